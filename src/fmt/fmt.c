/* The formatter (docs/fmt.md): parse to be sure the text is a rule file,
 * scan it again keeping comments, cut the tokens into the author's lines,
 * indent them (layout.c), space the tokens within each line, align trailing
 * comments, and print. Nothing but layout changes: the tokens come out in
 * the same order with the same text, and the line breaks stay where they
 * were (runs of blank lines become one). */
#include <stdlib.h>
#include <string.h>

#include "fmt_int.h"
#include "parser.h"
#include "../front/parse.h"
#include "../util/grow.h"

enum { FM_COMMENT_GAP = 2, FM_TAB = 8 };

/* ---- the output ----------------------------------------------------------------- */

void fm_put(pd_buf *b, const char *s, size_t n)
{
    void *p = b->data;
    bool ok = pu_grow(&p, &b->cap, b->len, n + 1, 4096, &b->oom);
    b->data = p;
    if (!ok)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void fm_pad(pd_buf *b, size_t n)
{
    static const char spaces[] = "                                ";
    for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
        fm_put(b, spaces, sizeof spaces - 1);
    fm_put(b, spaces, n);
}

/* Columns of UTF-8 text: one per character (continuation bytes add none). */
static uint32_t fm_columns(const char *s, size_t n)
{
    uint32_t cols = 0;
    for (size_t i = 0; i < n; i++)
        cols += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cols;
}

/* ---- lines ----------------------------------------------------------------------- */

/* The column at which `offset` starts in the input, tabs to multiples of 8:
 * only compared with another such column, to tell a comment that continues
 * the trailing comment above it. */
static uint32_t fm_input_column(const char *text, uint32_t offset)
{
    uint32_t start = offset;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    if (start == 0 && offset >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        start = 3; /* a byte order mark takes no room */
    uint32_t col = 0;
    for (uint32_t i = start; i < offset; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\t')
            col = (col / FM_TAB + 1) * FM_TAB;
        else if ((c & 0xC0) != 0x80)
            col++;
    }
    return col;
}

static uint32_t fm_newlines(const char *text, uint32_t from, uint32_t to)
{
    uint32_t n = 0;
    for (uint32_t i = from; i < to; i++)
        n += text[i] == '\n';
    return n;
}

/* Cuts the tokens into lines as the input breaks them. */
static bool fm_cut_lines(fm_doc *d)
{
    d->nlines = 0;
    d->lines = calloc(d->ntoks ? d->ntoks : 1, sizeof *d->lines);
    if (!d->lines)
        return false;
    uint32_t prev_end = 0;
    for (size_t i = 0; i < d->ntoks; i++) {
        const fm_token *t = &d->toks[i];
        uint32_t nl = fm_newlines(d->text, prev_end, t->start);
        if (i == 0 || nl > 0) {
            fm_line *ln = &d->lines[d->nlines++];
            ln->first = (uint32_t)i;
            ln->blanks = nl > 1 ? nl - 1 : 0;
        }
        fm_line *ln = &d->lines[d->nlines - 1];
        ln->n++;
        if (t->kind == T_COMMENT) {
            ln->comment_only = ln->n == 1;
            ln->trailing = ln->n > 1;
            ln->comment_col = fm_input_column(d->text, t->start);
        }
        prev_end = t->end;
    }
    return true;
}

static int fm_last_code(const fm_doc *d, const fm_line *ln)
{
    if (ln->comment_only)
        return 0;
    return d->toks[ln->first + ln->n - 1 - (ln->trailing ? 1 : 0)].kind;
}

static bool fm_opens(int k) { return k == T_LBRACE || k == T_LBRACKET || k == T_LPAREN; }
static bool fm_closes(int k) { return k == T_RBRACE || k == T_RBRACKET || k == T_RPAREN; }

/* At most one blank line, none at the top, none just inside brackets. From
 * here on `blanks` is what is printed: 0 or 1. */
static void fm_blank_lines(fm_doc *d)
{
    for (size_t i = 0; i < d->nlines; i++) {
        fm_line *ln = &d->lines[i];
        bool keep = i > 0 && ln->blanks > 0 && !fm_opens(fm_last_code(d, &d->lines[i - 1])) &&
                    !(!ln->comment_only && fm_closes(d->toks[ln->first].kind));
        ln->blanks = keep;
    }
}

/* A comment alone on its line, right under a trailing comment and starting
 * in the same column, continues it (a note running over several lines). */
static void fm_mark_continuations(fm_doc *d)
{
    for (size_t i = 1; i < d->nlines; i++) {
        fm_line *ln = &d->lines[i];
        const fm_line *up = &d->lines[i - 1];
        ln->cont = ln->comment_only && !ln->blanks && (up->trailing || up->cont) &&
                   ln->comment_col == up->comment_col;
    }
}

/* ---- within a line ---------------------------------------------------------------- */

/* One space between tokens, but none before `, : ) ] . ?`, none after
 * `( [ .` or a sign, none between a function's name and `(`, and `{}` when
 * empty. */
static bool fm_space_before(const fm_doc *d, size_t i)
{
    int a = d->toks[i - 1].kind, b = d->toks[i].kind;
    if (a == T_LPAREN || a == T_LBRACKET || a == T_DOT || (a == T_MINUS && d->unary[i - 1]))
        return false;
    if (b == T_COMMA || b == T_COLON || b == T_RPAREN || b == T_RBRACKET || b == T_DOT ||
        b == T_QUESTION)
        return false;
    return !(b == T_LPAREN && a == T_IDENT) && !(a == T_LBRACE && b == T_RBRACE);
}

static uint32_t fm_code_end(const fm_line *ln) { return ln->first + ln->n - (ln->trailing ? 1 : 0); }

static uint32_t fm_code_width(const fm_doc *d, const fm_line *ln)
{
    uint32_t w = 0;
    for (uint32_t i = ln->first; i < fm_code_end(ln); i++) {
        const fm_token *t = &d->toks[i];
        w += (i > ln->first && fm_space_before(d, i)) + fm_columns(d->text + t->start, t->end - t->start);
    }
    return w;
}

static void fm_put_code(const fm_doc *d, const fm_line *ln, pd_buf *out)
{
    for (uint32_t i = ln->first; i < fm_code_end(ln); i++) {
        const fm_token *t = &d->toks[i];
        if (i > ln->first && fm_space_before(d, i))
            fm_put(out, " ", 1);
        fm_put(out, d->text + t->start, t->end - t->start);
    }
}

/* Trailing comments on consecutive lines line up, two columns after the
 * longest code among them; comments continuing them join the column. */
static void fm_align_runs(fm_doc *d)
{
    for (size_t i = 0; i < d->nlines;) {
        if (!d->lines[i].trailing) {
            i++;
            continue;
        }
        size_t j = i;
        uint32_t col = 0;
        do {
            const fm_line *ln = &d->lines[j];
            uint32_t c = ln->trailing ? ln->indent + fm_code_width(d, ln) + FM_COMMENT_GAP : 0;
            col = c > col ? c : col;
            j++;
        } while (j < d->nlines && !d->lines[j].blanks && (d->lines[j].trailing || d->lines[j].cont));
        for (size_t k = i; k < j; k++) {
            d->lines[k].col = col;
            if (d->lines[k].cont)
                d->lines[k].indent = col;
        }
        i = j;
    }
}

/* A comment of its own that its indentation puts in the column of the
 * trailing comment just above it would read as continuing it, and would be
 * taken for one when the output is formatted again: it is one. */
static bool fm_absorb(fm_doc *d)
{
    bool changed = false;
    for (size_t i = 1; i < d->nlines; i++) {
        fm_line *ln = &d->lines[i];
        const fm_line *up = &d->lines[i - 1];
        if (ln->comment_only && !ln->cont && !ln->blanks && (up->trailing || up->cont) &&
            ln->indent == up->col) {
            ln->cont = true;
            changed = true;
        }
    }
    return changed;
}

/* Each absorbed comment joins a run, which may move the run's column: align
 * again until no comment joins (each round adds one at least, so it ends). */
static void fm_align_comments(fm_doc *d)
{
    do
        fm_align_runs(d);
    while (fm_absorb(d));
}

static void fm_print(const fm_doc *d, pd_buf *out)
{
    for (size_t i = 0; i < d->nlines; i++) {
        const fm_line *ln = &d->lines[i];
        const fm_token *last = &d->toks[ln->first + ln->n - 1];
        if (ln->blanks)
            fm_put(out, "\n", 1);
        fm_pad(out, ln->indent);
        if (!ln->comment_only) {
            fm_put_code(d, ln, out);
            if (ln->trailing)
                fm_pad(out, ln->col - ln->indent - fm_code_width(d, ln));
        }
        if (ln->trailing || ln->comment_only)
            fm_put(out, d->text + last->start, last->end - last->start);
        fm_put(out, "\n", 1);
    }
}

/* ---- the whole ---------------------------------------------------------------------- */

static bool fm_parses(ps_sources *src, uint32_t file, pd_list *diags)
{
    pm_arena ast; /* the tree is not needed: only whether it could be built */
    pm_init(&ast, 0);
    pa_decl *decls = NULL;
    bool ok = pp_parse_text(&ast, src, file, diags, NULL, &decls);
    pm_free(&ast);
    return ok;
}

static bool fm_lay_out(fm_doc *d, pd_buf *out)
{
    if (!fm_cut_lines(d))
        return false;
    d->unary = calloc(d->ntoks ? d->ntoks : 1, 1);
    if (!d->unary || !fm_indent(d))
        return false;
    fm_blank_lines(d);
    fm_mark_continuations(d);
    fm_align_comments(d);
    pd_buf text = {0};
    fm_print(d, &text);
    if (text.oom) {
        pd_buf_free(&text);
        return false;
    }
    if (text.len)
        fm_put(out, text.data, text.len);
    pd_buf_free(&text);
    return !out->oom;
}

fm_status fm_format(ps_sources *src, uint32_t file, pd_list *diags, pd_buf *out)
{
    if (file >= src->nfiles)
        return FM_NOMEM;
    if (!fm_parses(src, file, diags))
        return diags->oom ? FM_NOMEM : FM_SYNTAX;
    fm_doc d;
    memset(&d, 0, sizeof d);
    d.text = src->files[file].text;
    fm_token *toks = fm_scan(src, file, 0, &d.ntoks);
    d.toks = toks;
    bool ok = toks && fm_lay_out(&d, out);
    free(toks);
    free(d.lines);
    free(d.unary);
    return ok ? FM_OK : FM_NOMEM;
}
