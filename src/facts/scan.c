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
 * The pass costs a second tokenisation, so it runs only on text that may
 * need it (pf_scan_needed): text holding the six bytes \u0000, or a member
 * whose number has a fraction, an exponent or sixteen digits. Any other
 * record's member numbers are short runs of plain digits, which strtod reads
 * exactly. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "facts.h"

/* Whether the member value starting at p (just after a `:`) is a number
 * that strtod may not have read as written: one with a fraction, an exponent
 * or sixteen digits or more. */
static bool pf_odd_number(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p == end || (*p != '-' && (*p < '0' || *p > '9')))
        return false;
    unsigned digits = 0;
    for (p += *p == '-'; p < end; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p == '.' || *p == 'e' || *p == 'E' || *p == '+' || *p == '-')
            return true;
        else
            break;
    }
    return digits >= 16;
}

/* Whether text may hold what only the pass can see: a member's number that
 * is not a short run of plain digits, or the six bytes \u0000. Integers
 * only matter as members' values (facts have no lists of numbers), so only
 * what follows a `:` is looked at; memchr finds those and the backslashes
 * in a few vector steps. False positives (a `:` inside text, an escaped
 * backslash before u0000) cost only the pass. */
static bool pf_scan_needed(const char *s, size_t len)
{
    const char *end = s + len;
    for (const char *q = s; (q = memchr(q, ':', (size_t)(end - q))) != NULL; q++)
        if (pf_odd_number(q + 1, end))
            return true;
    for (const char *q = s; (q = memchr(q, '\\', (size_t)(end - q))) != NULL; q++)
        if (end - q >= 6 && memcmp(q + 1, "u0000", 5) == 0)
            return true;
    return false;
}

/* One token of interest, in document order. */
typedef struct pf_tok {
    enum { PF_TOK_NUMBER, PF_TOK_STRING, PF_TOK_KEY } kind;
    bool nul;         /* string or key: its decoded text holds U+0000 */
    char *text;       /* number: its source text */
} pf_tok;

typedef struct pf_scan {
    pf_tok *toks;
    size_t n, cap;
    bool oom;
} pf_scan;

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

/* Hands the tokens to the tree's nodes in document order; returns whether a
 * node below (or node itself) holds U+0000. False in *ok when the two
 * parsers disagree (they cannot on text both accepted; then nothing more is
 * marked). */
static bool pf_scan_mark(cJSON *node, const pf_scan *s, size_t *k, bool *ok)
{
    bool nul = false;
    if (node->string && *ok) {
        if (*k >= s->n || s->toks[*k].kind != PF_TOK_KEY) {
            *ok = false;
            return false;
        }
        if (s->toks[(*k)++].nul) {
            node->type |= PF_JSON_NUL_KEY;
            nul = true;
        }
    }
    int type = node->type & 0xFF;
    if (type == cJSON_Number || type == cJSON_String) {
        int want = type == cJSON_Number ? PF_TOK_NUMBER : PF_TOK_STRING;
        if (!*ok || *k >= s->n || (int)s->toks[*k].kind != want) {
            *ok = false;
            return nul;
        }
        pf_tok *t = &s->toks[(*k)++];
        if (type == cJSON_Number) {
            node->valuestring = t->text; /* the tree owns it now */
            t->text = NULL;
        } else if (t->nul) {
            node->type |= PF_JSON_NUL;
            nul = true;
        }
    }
    for (cJSON *c = node->child; c && *ok; c = c->next)
        if (pf_scan_mark(c, s, k, ok)) {
            node->type |= PF_JSON_NUL_BELOW;
            nul = true;
        }
    return nul;
}

bool pf_json_scan(struct cJSON *root, const char *text, size_t len)
{
    if (!root || !pf_scan_needed(text, len))
        return true;
    static const yajl_callbacks cb = {
        .yajl_number = pf_on_number, .yajl_string = pf_on_string, .yajl_map_key = pf_on_key};
    pf_scan s = {0};
    yajl_handle h = yajl_alloc(&cb, NULL, &s);
    if (!h)
        return false;
    /* cJSON decided validity; yajl only reports tokens. */
    yajl_config(h, yajl_dont_validate_strings, 1);
    yajl_config(h, yajl_allow_trailing_garbage, 1);
    yajl_parse(h, (const unsigned char *)text, len);
    yajl_complete_parse(h);
    yajl_free(h);
    bool ok = !s.oom;
    size_t k = 0;
    if (ok)
        pf_scan_mark(root, &s, &k, &ok);
    for (size_t i = 0; i < s.n; i++)
        free(s.toks[i].text);
    free(s.toks);
    return !s.oom;
}

bool pf_json_has_nul(const struct cJSON *v)
{
    return v && (v->type & (PF_JSON_NUL | PF_JSON_NUL_KEY | PF_JSON_NUL_BELOW)) != 0;
}
