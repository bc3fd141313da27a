/* What cJSON forgets about a facts record's text, recovered from the source
 * with yajl's tokeniser (docs/coach-record.md, "Numbers and text").
 *
 * cJSON keeps a number only as the double strtod made of it, so 100, 1e2 and
 * 100.0 look alike, and integers beyond 2^53 arrive rounded; and it keeps
 * strings NUL-terminated, so "usatf\u0000-expired" arrives as "usatf". yajl
 * hands over every number token as written and every string with its decoded
 * length. Both parsers meet the values of a JSON text in the same order
 * (document order, duplicate keys included), so the k-th number token yajl
 * reports is the k-th number node of cJSON's tree, and likewise for strings
 * and keys. The pass marks the tree: a number node gets its source text in
 * valuestring (cJSON_Delete frees it), a string or member whose decoded text
 * holds U+0000 gets PF_JSON_NUL, and every ancestor of one gets
 * PF_JSON_NUL_BELOW, so the loader can name the path.
 *
 * cJSON is also lenient where RFC 8259 is not: strtod reads 01, -007, 1.,
 * -.5 and 1.e5, which JSON has no place for. yajl refuses them, and where it
 * stops tells which number it was: the bad number's node gets its source
 * text and PF_JSON_BAD_NUMBER, its ancestors PF_JSON_BAD_BELOW, so the loader
 * names its path. Should yajl stop anywhere else (cJSON also takes raw
 * control characters inside text), and for every object or array from the
 * bad number on, the nodes past that point would go unmarked, so those
 * containers get PF_JSON_INVALID and yajl's reason in their valuestring:
 * such a record is refused rather than read half-checked.
 *
 * The pass costs a second tokenisation, so it runs only on text that may
 * need it (pf_scan_needed): text holding the six bytes \u0000 or a raw
 * control character (a tab included), or a number with an exponent, a
 * leading zero, sixteen integer digits or a fraction that is not plain.
 * Any other record's numbers are short runs of plain digits without a
 * leading zero, which strtod reads exactly and JSON allows, or plain
 * fractions such as 6.5, which strtod reads to no integer and
 * pf_fmt_number writes back as written (pf_plain_fraction). */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "facts.h"
#include "util/assert.h"
#include "yajl_int.h"

/* Whether the fraction with integer digits ip[0..idigits) and fraction
 * digits fp[0..fdigits) is one the loader needs no source text for: a digit
 * on each side of the point, the last not 0, at most 15 significant digits,
 * and at most three zeros after "0.". strtod reads such a text to a double
 * that is no integer (an integer field refuses it from the double alone),
 * and pf_fmt_number writes that double back as the very text: 15 digits
 * round-trip (DBL_DIG), so no shorter text reads back the same double, and
 * %g prints it without an exponent (the exponent is -4 at least and below
 * the digit count). Benchmark records carry such numbers ("hours": 6.5),
 * and every one of them used to cost the record the whole pass. */
bool pf_plain_fraction(const char *ip, size_t idigits, const char *fp, size_t fdigits)
{
    if (idigits == 0 || fdigits == 0 || fp[fdigits - 1] == '0' || idigits + fdigits > 15)
        return false;
    if (idigits == 1 && ip[0] == '0') {
        size_t zeros = 0; /* stops before fp[fdigits - 1], which is not 0 */
        while (fp[zeros] == '0')
            zeros++;
        return zeros <= 3;
    }
    return true;
}

static size_t pf_digits(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && *q >= '0' && *q <= '9')
        q++;
    return (size_t)(q - p);
}

/* Whether the value starting at p (just after a `:`, `,` or `[`) is a number
 * that strtod may not have read as written, or that JSON may not allow: one
 * with an exponent, a leading zero or sixteen integer digits or more, or a
 * fraction other than a plain one (pf_plain_fraction). */
static bool pf_odd_number(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p == end || (*p != '-' && (*p < '0' || *p > '9')))
        return false;
    p += *p == '-';
    if (end - p >= 2 && p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        return true;
    size_t idigits = pf_digits(p, end);
    const char *q = p + idigits;
    if (q < end && *q == '.') {
        size_t fdigits = pf_digits(q + 1, end);
        if (!pf_plain_fraction(p, idigits, q + 1, fdigits))
            return true;
        q += 1 + fdigits;
    }
    if (q < end && (*q == '.' || *q == 'e' || *q == 'E' || *q == '+' || *q == '-'))
        return true;
    return idigits >= 16;
}

static bool pf_control(char c)
{
    return (unsigned char)c < 0x20 && c != '\n' && c != '\r';
}

/* Whether s holds a raw control character other than a line break. Eight
 * bytes at a time: (x - 0x2020...) & ~x & 0x8080... is nonzero exactly when
 * a byte of x is below 0x20 (Hacker's Delight, "has less than"), so only a
 * word holding one, a line break mostly, is looked at byte by byte. */
static bool pf_raw_control(const char *s, size_t len)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (((x - ones * 0x20) & ~x & highs) == 0)
            continue;
        for (size_t j = i; j < i + 8; j++)
            if (pf_control(s[j]))
                return true;
    }
    for (; i < len; i++)
        if (pf_control(s[i]))
            return true;
    return false;
}

/* Whether text may hold what only the pass can see: a number that is not a
 * short run of plain digits (as a member's value or a list's element: what
 * follows a `:`, `,` or `[`), the six bytes \u0000, or a raw control
 * character, which JSON allows only as white space between tokens (a tab)
 * and cJSON also inside text. Line breaks are left out: a JSON Lines record
 * has none, and a file that is one array has many, between its tokens.
 * False positives (a `:` inside text, an escaped backslash before u0000, a
 * tab between tokens) cost only the pass. */
static bool pf_scan_needed(const char *s, size_t len)
{
    const char *end = s + len;
    static const char before[] = ":,[";
    for (const char *b = before; *b; b++)
        for (const char *q = s; (q = memchr(q, *b, (size_t)(end - q))) != NULL; q++)
            if (pf_odd_number(q + 1, end))
                return true;
    for (const char *q = s; (q = memchr(q, '\\', (size_t)(end - q))) != NULL; q++)
        if (end - q >= 6 && memcmp(q + 1, "u0000", 5) == 0)
            return true;
    return pf_raw_control(s, len);
}

/* One token of interest, in document order. */
typedef struct pf_tok {
    enum { PF_TOK_NUMBER, PF_TOK_STRING, PF_TOK_KEY } kind;
    bool nul;         /* string or key: its decoded text holds U+0000 */
    char *text;       /* number: its source text */
    size_t at;        /* number: its offset in the source */
} pf_tok;

typedef struct pf_scan {
    pf_tok *toks;
    size_t n, cap;
    bool oom;
    const char *src;  /* the text yajl reads, in one piece */
    char *bad;        /* yajl stopped inside this number (source text) */
    size_t bad_at;    /* and here it starts; SIZE_MAX when not in a number */
    bool blamed;      /* the bad number's node is marked */
    const char *blamed_text; /* its text, now the node's */
    cJSON **unread;   /* containers past where yajl stopped */
    size_t nunread, capunread;
    pf_ymem mem;      /* what yajl holds, and where pf_ymalloc goes when malloc fails */
} pf_scan;

/* yajl's memory. yajl 2.1 uses what its allocator returns without looking
 * (yajl_alloc writes into the handle, its buffers and its stack of states
 * into what they get), so a NULL would be written through inside yajl. Its
 * allocator therefore never returns NULL: when malloc fails it jumps back to
 * pf_scan_guarded, yajl is never called again, and every block it still
 * holds is freed from this list (pf_yrelease). The blocks are malloc's, so
 * a failure is one of ours, like any other. */
typedef union pf_yblock {
    struct {
        union pf_yblock *prev, *next;
    } link;
    max_align_t align; /* what follows is aligned for anything */
} pf_yblock;

static void pf_ylink(pf_ymem *s, pf_yblock *b)
{
    b->link.prev = NULL;
    b->link.next = s->blocks;
    if (s->blocks)
        s->blocks->link.prev = b;
    s->blocks = b;
}

static void pf_yunlink(pf_ymem *s, pf_yblock *b)
{
    if (b->link.prev)
        b->link.prev->link.next = b->link.next;
    else
        s->blocks = b->link.next;
    if (b->link.next)
        b->link.next->link.prev = b->link.prev;
}

void *pf_yrealloc(void *ctx, void *p, size_t n)
{
    pf_ymem *s = ctx;
    pf_yblock *b = p ? (pf_yblock *)p - 1 : NULL;
    if (b)
        pf_yunlink(s, b);
    /* yajl asks for its handle and fixed structures, a stack of states
     * grown 128 levels at a time and buffers doubled from 2,048 bytes to
     * hold a token: never more than about twice the text, which is in
     * memory, so far below SIZE_MAX (a 64-bit address space has 2^47 bytes
     * of user memory). */
    pf_yblock *nb = PU_NEVER(n > SIZE_MAX - sizeof *nb) ? NULL : realloc(b, sizeof *nb + n);
    if (!nb) {
        if (b)
            pf_ylink(s, b); /* still valid: freed with the rest */
        longjmp(s->nomem, 1);
    }
    pf_ylink(s, nb);
    return nb + 1;
}

void *pf_ymalloc(void *ctx, size_t n)
{
    return pf_yrealloc(ctx, NULL, n);
}

/* yajl frees only blocks it holds: its buffers and stack are freed only
 * when allocated, and its error message is never NULL (pf_ymalloc does not
 * return NULL). */
void pf_yfree(void *ctx, void *p)
{
    if (PU_NEVER(!p))
        return;
    pf_yblock *b = (pf_yblock *)p - 1;
    pf_yunlink(ctx, b);
    free(b);
}

/* Frees what yajl left: nothing after yajl_free, everything it held when
 * memory ran out. */
void pf_yrelease(pf_ymem *s)
{
    while (s->blocks) {
        pf_yblock *b = s->blocks;
        s->blocks = b->link.next;
        free(b);
    }
}

static pf_tok *pf_scan_push(pf_scan *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        pf_tok *t = realloc(s->toks, cap * sizeof *t);
        if (!t) {
            s->oom = true;
            return NULL;
        }
        s->toks = t;
        s->cap = cap;
    }
    pf_tok *t = &s->toks[s->n++];
    memset(t, 0, sizeof *t);
    return t;
}

static int pf_on_number(void *ctx, const char *s, size_t len)
{
    pf_tok *t = pf_scan_push(ctx);
    if (!t || !(t->text = malloc(len + 1))) {
        ((pf_scan *)ctx)->oom = true;
        return 0;
    }
    t->kind = PF_TOK_NUMBER;
    /* One chunk, so yajl's number is a pointer into the source. */
    t->at = (size_t)(s - ((pf_scan *)ctx)->src);
    memcpy(t->text, s, len);
    t->text[len] = '\0';
    return 1;
}

static int pf_on_text(pf_scan *s, int kind, const unsigned char *v, size_t len)
{
    pf_tok *t = pf_scan_push(s);
    if (!t)
        return 0;
    t->kind = kind;
    t->nul = memchr(v, 0, len) != NULL;
    return 1;
}

static int pf_on_string(void *ctx, const unsigned char *v, size_t len)
{
    return pf_on_text(ctx, PF_TOK_STRING, v, len);
}

static int pf_on_key(void *ctx, const unsigned char *v, size_t len)
{
    return pf_on_text(ctx, PF_TOK_KEY, v, len);
}

static bool pf_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
}

/* Where yajl stopped (stop, an offset into text) on text cJSON accepted:
 * inside a number cJSON took but RFC 8259 does not (01, 1., -.5), or
 * elsewhere. yajl stops within or just after such a number, so the run of
 * number characters around stop is the number as written, the run cJSON's
 * strtod read. */
static void pf_scan_stopped(pf_scan *s, const char *text, size_t len, size_t stop)
{
    s->bad_at = SIZE_MAX;
    size_t to = stop < len ? stop : len;
    size_t from = to;
    while (from > 0 && pf_number_char(text[from - 1]))
        from--;
    /* Not stopped in a number: yajl stopped at what came before the run
     * (a raw control character before 5 is to blame, not 5). */
    if (from == to)
        return;
    while (to < len && pf_number_char(text[to]))
        to++;
    if (text[from] != '-' && (text[from] < '0' || text[from] > '9'))
        return;
    if (!(s->bad = malloc(to - from + 1))) {
        s->oom = true;
        return;
    }
    memcpy(s->bad, text + from, to - from);
    s->bad[to - from] = '\0';
    s->bad_at = from;
}

/* Marks node as the number yajl stopped in, when it is: either the number
 * node that met the last token yajl gave, shorter than the number written
 * (it read 01 as 0, then stopped), or the first number node that met none
 * (it stopped inside 1.). A number yajl read whole, then stopped after
 * (5 followed by a raw control character, which cJSON skips as white
 * space), is not to blame. */
static bool pf_scan_blame(cJSON *node, pf_scan *s, const pf_tok *t)
{
    if (!s->bad || (node->type & 0xFF) != cJSON_Number) /* once blamed, s->bad is NULL */
        return false;
    if (t && (t != &s->toks[s->n - 1] || t->at != s->bad_at))
        return false;
    /* The number yajl read whole: yajl 2.1, the version Pathway is built
     * and tested with, counts the byte it stops at as read, so the run of
     * number characters before the stop never ends at a whole number; a
     * yajl that stops before the byte would come here. */
    if (t && strlen(t->text) >= strlen(s->bad)) /* GCOVR_EXCL_BR_LINE: taken only with another yajl */
        return false;
    free(node->valuestring);
    node->valuestring = s->bad; /* the tree owns it now */
    s->blamed_text = s->bad;
    s->bad = NULL;
    node->type |= PF_JSON_BAD_NUMBER;
    s->blamed = true;
    return true;
}

/* A container the two parsers did not agree all through (where yajl
 * stopped, and every one after): its records cannot be vouched for. */
static void pf_scan_unread(cJSON *node, pf_scan *s)
{
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return;
    if (!(node->type & PF_JSON_BAD_BELOW)) {
        if (s->nunread == s->capunread) {
            size_t cap = s->capunread ? s->capunread * 2 : 16;
            cJSON **u = realloc(s->unread, cap * sizeof *u);
            if (!u) {
                s->oom = true;
                return;
            }
            s->unread = u;
            s->capunread = cap;
        }
        s->unread[s->nunread++] = node;
    }
}

/* Hands the tokens to the tree's nodes in document order; returns the marks
 * the node's ancestors get (PF_JSON_NUL_BELOW, PF_JSON_BAD_BELOW). False in
 * *ok once the two parsers part (where yajl stopped); from there on nodes
 * get no tokens, and containers are listed as unread. */
static int pf_scan_mark(cJSON *node, pf_scan *s, size_t *k, bool *ok)
{
    int below = 0;
    if (node->string && *ok) {
        if (*k >= s->n || PU_NEVER(s->toks[*k].kind != PF_TOK_KEY))
            *ok = false;
        else if (s->toks[(*k)++].nul) {
            node->type |= PF_JSON_NUL_KEY;
            below |= PF_JSON_NUL_BELOW;
        }
    }
    int type = node->type & 0xFF;
    if ((type == cJSON_Number || type == cJSON_String) && *ok) {
        int want = type == cJSON_Number ? PF_TOK_NUMBER : PF_TOK_STRING;
        pf_tok *t = *k < s->n ? &s->toks[(*k)++] : NULL;
        /* Up to where yajl stopped, both parsers read the same JSON text
         * and meet its values in the same order: a token is the node's. */
        if (t && PU_NEVER((int)t->kind != want)) {
            t = NULL; /* parted: as past where yajl stopped */
        } else if (pf_scan_blame(node, s, t)) {
            *ok = false;
            return below | PF_JSON_BAD_BELOW;
        }
        if (!t) {
            *ok = false;
        } else if (type == cJSON_Number) {
            node->valuestring = t->text; /* the tree owns it now */
            t->text = NULL;
        } else if (t->nul) {
            node->type |= PF_JSON_NUL;
            below |= PF_JSON_NUL_BELOW;
        }
    }
    /* Past where the parsers parted, nothing is known of a string or key:
     * it may hold U+0000 that cJSON cut at, so it is not shown as an id. */
    if (!*ok)
        node->type |= PF_JSON_UNCHECKED;
    for (cJSON *c = node->child; c; c = c->next) {
        int m = pf_scan_mark(c, s, k, ok);
        node->type |= m;
        below |= m;
    }
    if (!*ok)
        pf_scan_unread(node, s);
    return below;
}

char *pf_scan_reason(const char *why, const char *text, size_t len, size_t stop)
{
    const char *w = why ? why : "";
    const char *colon = strstr(w, "error: ");
    w = colon ? colon + 7 : w;
    size_t wl = strcspn(w, "\n");
    while (wl > 0 && w[wl - 1] == '.')
        wl--;
    /* yajl's offset is at the offending byte or just past it; a raw
     * control character, the usual culprit, says which. */
    size_t at = stop < len ? stop : len;
    if ((at == len || !pf_control(text[at])) && at > 0 && pf_control(text[at - 1]))
        at--;
    char *msg = malloc(wl + 96);
    if (msg)
        snprintf(msg, wl + 96, "not valid JSON (RFC 8259) at byte %zu: %.*s", at + 1, (int)wl, w);
    return msg;
}

/* Why the text is not JSON where yajl stopped, for PF_JSON_INVALID. */
static char *pf_scan_why(const pf_scan *s, yajl_handle h, const char *text, size_t len, size_t stop)
{
    if (s->blamed) {
        size_t n = 128;
        char *msg = malloc(n);
        if (msg)
            snprintf(msg, n, "not valid JSON (RFC 8259) at byte %zu: %.40s%s is not a JSON number", s->bad_at + 1,
                     s->blamed_text, strlen(s->blamed_text) > 40 ? "..." : "");
        return msg;
    }
    /* Never NULL: yajl's allocator jumps instead (pf_yrealloc). */
    unsigned char *why = yajl_get_error(h, 0, (const unsigned char *)text, len);
    char *msg = pf_scan_reason((const char *)why, text, len, stop);
    yajl_free_error(h, why);
    return msg;
}

/* Gives every unread container yajl's reason (PF_JSON_INVALID), so that a
 * record the marks may have missed is refused rather than read half-checked. */
static void pf_scan_refuse_unread(pf_scan *s, yajl_handle h, const char *text, size_t len, size_t stop)
{
    if (s->nunread == 0)
        return;
    char *why = pf_scan_why(s, h, text, len, stop);
    if (!why) {
        s->oom = true;
        return;
    }
    for (size_t i = 0; i < s->nunread; i++) {
        char *msg = i + 1 == s->nunread ? why : strdup(why); /* the last takes why */
        if (!msg) {
            free(why);
            s->oom = true;
            return;
        }
        /* An object's or array's valuestring is free; cJSON_Delete frees it. */
        s->unread[i]->valuestring = msg;
        s->unread[i]->type |= PF_JSON_INVALID;
    }
}

/* Runs yajl over the text, then marks the tree (pf_json_scan). */
static void pf_scan_yajl(pf_scan *s, cJSON *root, const char *text, size_t len)
{
    static const yajl_callbacks cb = {
        .yajl_number = pf_on_number, .yajl_string = pf_on_string, .yajl_map_key = pf_on_key};
    yajl_alloc_funcs af = {.malloc = pf_ymalloc, .realloc = pf_yrealloc, .free = pf_yfree, .ctx = &s->mem};
    /* Never NULL: yajl refuses only an allocator missing a function, and
     * pf_ymalloc does not return NULL. */
    yajl_handle h = yajl_alloc(&cb, &af, s);
    /* cJSON decided the text is one value; yajl says where it is not JSON
     * and reports the tokens. UTF-8 is not yajl's to judge here. */
    yajl_config(h, yajl_dont_validate_strings, 1);
    yajl_config(h, yajl_allow_trailing_garbage, 1);
    /* A UTF-8 byte order mark, which cJSON skips (RFC 8259 lets a parser
     * ignore it), would stop yajl at once: a record that loads without the
     * pass would be refused with it. */
    size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    yajl_status st = yajl_parse(h, (const unsigned char *)text + bom, len - bom);
    size_t stop = bom + yajl_get_bytes_consumed(h);
    /* The end of the input can still fail (a number cut off there, 1.); the
     * count yajl keeps is then that of the empty last chunk, so stop stays
     * at the end of the text. */
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    if (st != yajl_status_ok && !s->oom)
        pf_scan_stopped(s, text, len, stop);
    bool ok = true;
    size_t k = 0;
    if (!s->oom)
        pf_scan_mark(root, s, &k, &ok);
    /* Stopped after every value was read (5 then a raw control character,
     * which cJSON skips): all was checked, but the text is not JSON. */
    if (st != yajl_status_ok && ok && !s->oom) /* a blamed number parted them */
        pf_scan_unread(root, s);
    if (st != yajl_status_ok && !s->oom)
        pf_scan_refuse_unread(s, h, text, len, stop);
    yajl_free(h);
}

/* pf_scan_yajl, or s->oom when memory ran out inside yajl (pf_yrealloc
 * jumped here). Nothing here is changed after setjmp, so nothing is
 * clobbered by the jump. */
static void pf_scan_guarded(pf_scan *s, cJSON *root, const char *text, size_t len)
{
    if (setjmp(s->mem.nomem) == 0)
        pf_scan_yajl(s, root, text, len);
    else
        s->oom = true;
}

bool pf_json_scan(struct cJSON *root, const char *text, size_t len)
{
    if (!root || !pf_scan_needed(text, len))
        return true;
    pf_scan s = {.src = text, .bad_at = SIZE_MAX};
    pf_scan_guarded(&s, root, text, len);
    pf_yrelease(&s.mem);
    for (size_t i = 0; i < s.n; i++)
        free(s.toks[i].text);
    free(s.toks);
    free(s.unread);
    free(s.bad);
    return !s.oom;
}

bool pf_json_has_nul(const struct cJSON *v)
{
    return v && (v->type & (PF_JSON_NUL | PF_JSON_NUL_KEY | PF_JSON_NUL_BELOW | PF_JSON_UNCHECKED)) != 0;
}

bool pf_json_refused(const struct cJSON *v)
{
    return v && (v->type & (PF_JSON_NUL | PF_JSON_NUL_KEY | PF_JSON_NUL_BELOW | PF_JSON_BAD_NUMBER |
                            PF_JSON_BAD_BELOW)) != 0;
}
