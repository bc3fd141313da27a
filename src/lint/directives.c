/* `# lint:` directives. Comments are not in the tree, so the text is read
 * here: a `#` outside a string starts a comment that runs to the end of
 * the line (strings are one line long, with `\"` and `\\` escapes, as the
 * scanner reads them).
 *
 *   # lint: ignore PW112 -- reason         the next line with code, or this
 *                                          line when it trails code
 *   # lint: ignore PW112, PW113 -- reason  several codes
 *   # lint: ignore-file PW101 -- reason    the whole file
 *   # lint: require citations              PW140 applies to this file */
#include <string.h>

#include "lint_int.h"

typedef struct pl_dirscan {
    pm_arena *arena;
    const char *text;
    size_t len;
    bool *has_code;          /* per line (1-based): holds something besides a comment */
    uint32_t nlines;
    pl_directive *items;
    uint32_t n, cap;
    bool oom;
} pl_dirscan;

static bool pl_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* ---- one directive ----------------------------------------------------------------------- */

static bool pl_starts(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

static const char *pl_skip(const char *p, const char *end, const char *also)
{
    while (p < end && (pl_space(*p) || (also && strchr(also, *p))))
        p++;
    return p;
}

static pl_code_ref *pl_add_code(pl_dirscan *s, pl_directive *d, uint32_t cap)
{
    if (!d->codes) {
        d->codes = pm_alloc(s->arena, sizeof *d->codes * cap);
        if (!d->codes) {
            s->oom = true;
            return NULL;
        }
    }
    return d->ncodes < cap ? &d->codes[d->ncodes++] : NULL;
}

/* `PW112, PW113 -- reason` after `ignore`: the codes, then the reason. */
static void pl_parse_ignore(pl_dirscan *s, pl_directive *d, const char *p, const char *end)
{
    /* Codes are separated by at least one character: this many at most. */
    uint32_t cap = (uint32_t)((end - p) / 2 + 1);
    for (;;) {
        p = pl_skip(p, end, ",");
        if (p == end || pl_starts(p, end, "--"))
            break;
        const char *q = p;
        while (q < end && !pl_space(*q) && *q != ',' && !pl_starts(q, end, "--"))
            q++;
        pl_code_ref *code = pl_add_code(s, d, cap);
        if (!code)
            return;
        size_t n = (size_t)(q - p) < sizeof code->code - 1 ? (size_t)(q - p) : sizeof code->code - 1;
        memcpy(code->code, p, n);
        code->code[n] = '\0';
        code->start = (uint32_t)(p - s->text);
        code->end = (uint32_t)(q - s->text);
        code->known = (size_t)(q - p) == n && pl_rule(code->code) != NULL;
        p = q;
    }
    bool reason = false;
    if (pl_starts(p, end, "--"))
        reason = pl_skip(p + 2, end, NULL) < end;
    d->problem = d->ncodes == 0 ? PL_DP_NO_CODE : !reason ? PL_DP_NO_REASON : PL_DP_NONE;
}

/* The text after `# lint:`. */
static void pl_parse_body(pl_dirscan *s, pl_directive *d, const char *p, const char *end)
{
    p = pl_skip(p, end, NULL);
    const char *w = p;
    while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '-'))
        p++;
    size_t n = (size_t)(p - w);
    d->kind = PL_DIR_UNKNOWN;
    d->problem = PL_DP_UNKNOWN;
    if (n == 6 && memcmp(w, "ignore", 6) == 0) {
        d->kind = PL_DIR_IGNORE;
        pl_parse_ignore(s, d, p, end);
    } else if (n == 11 && memcmp(w, "ignore-file", 11) == 0) {
        d->kind = PL_DIR_IGNORE_FILE;
        pl_parse_ignore(s, d, p, end);
    } else if (n == 7 && memcmp(w, "require", 7) == 0) {
        p = pl_skip(p, end, NULL);
        if (pl_starts(p, end, "citations") && pl_skip(p + 9, end, NULL) == end) {
            d->kind = PL_DIR_CITATIONS;
            d->problem = PL_DP_NONE;
        }
    }
}

static pl_directive *pl_new_directive(pl_dirscan *s)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        pl_directive *items = pm_alloc(s->arena, sizeof *items * cap);
        if (!items) {
            s->oom = true;
            return NULL;
        }
        if (s->n)
            memcpy(items, s->items, sizeof *items * s->n);
        s->items = items;
        s->cap = cap;
    }
    pl_directive *d = &s->items[s->n++];
    memset(d, 0, sizeof *d);
    return d;
}

/* A comment from `at` (its `#`) to `end` on line `line`. */
static void pl_comment(pl_dirscan *s, size_t at, size_t end, uint32_t line, bool trailing)
{
    const char *p = pl_skip(s->text + at + 1, s->text + end, NULL);
    if (!pl_starts(p, s->text + end, "lint:"))
        return; /* an ordinary comment */
    pl_directive *d = pl_new_directive(s);
    if (!d)
        return;
    d->start = (uint32_t)at;
    d->end = (uint32_t)end;
    while (d->end > d->start && pl_space(s->text[d->end - 1]))
        d->end--;
    d->line = line;
    d->trailing = trailing;
    pl_parse_body(s, d, p + 5, s->text + end);
}

/* ---- the text ----------------------------------------------------------------------------- */

/* One line from `at`: its comment, if any, and whether it holds code.
 * Returns the offset of the next line. */
static size_t pl_scan_line(pl_dirscan *s, size_t at, uint32_t line)
{
    bool in_string = false, code = false;
    size_t i = at;
    for (; i < s->len && s->text[i] != '\n'; i++) {
        char ch = s->text[i];
        if (in_string) {
            if (ch == '\\' && i + 1 < s->len && s->text[i + 1] != '\n')
                i++;
            else if (ch == '"')
                in_string = false;
            continue;
        }
        if (ch == '#') {
            size_t end = i;
            while (end < s->len && s->text[end] != '\n')
                end++;
            pl_comment(s, i, end, line, code);
            i = end;
            break;
        }
        if (ch == '"')
            in_string = true;
        if (!pl_space(ch))
            code = true;
    }
    s->has_code[line] = code;
    return i < s->len ? i + 1 : i;
}

/* An ignore on a line of its own applies to the next line with code. */
static void pl_targets(pl_dirscan *s)
{
    for (uint32_t k = 0; k < s->n; k++) {
        pl_directive *d = &s->items[k];
        if (d->kind != PL_DIR_IGNORE)
            continue;
        if (d->trailing) {
            d->target = d->line;
            continue;
        }
        for (uint32_t l = d->line + 1; l <= s->nlines && !d->target; l++)
            if (s->has_code[l])
                d->target = l;
    }
}

bool pl_parse_directives(pm_arena *arena, const char *text, size_t len, pl_directives *out)
{
    pl_dirscan s = {arena, text, len, NULL, 1, NULL, 0, 0, false};
    for (size_t i = 0; i < len; i++)
        s.nlines += text[i] == '\n';
    s.has_code = pm_alloc(arena, sizeof *s.has_code * ((size_t)s.nlines + 1));
    if (!s.has_code)
        return false;
    size_t at = 0;
    for (uint32_t line = 1; line <= s.nlines && !s.oom; line++)
        at = pl_scan_line(&s, at, line);
    if (s.oom)
        return false;
    pl_targets(&s);
    out->items = s.items;
    out->n = s.n;
    return true;
}
