/* The escapers of every output format (escape.h). They share one driver:
 * runs of bytes a format copies as they are go out with one memcpy, and
 * each other character goes through the format's own `one` step. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assert.h"
#include "escape.h"
#include "grow.h"
#include "utf8.h"

void pu_buf_json_string(pu_buf *b, const char *s)
{
    pu_escape_json(b, s, strlen(s));
}

/* ---- characters no output shows raw ----------------------------------------- */

/* The code point of the valid UTF-8 sequence p[0..k). */
static uint32_t pu_code_point(const unsigned char *p, size_t k)
{
    if (k == 1)
        return p[0];
    uint32_t cp = p[0] & (0x7F >> k);
    for (size_t i = 1; i < k; i++)
        cp = (cp << 6) | (p[i] & 0x3F);
    return cp;
}

/* lo <= cp <= hi, as one unsigned comparison. */
static inline bool pu_in(uint32_t cp, uint32_t lo, uint32_t hi) { return cp - lo <= hi - lo; }

/* Controls, separators and bidi controls (escape.h's list). Printable ASCII
 * never comes here (each format copies it or escapes it itself), so a
 * two-sided test of the C1 range would have a side no character takes. */
static bool pu_unsafe(uint32_t cp)
{
    return cp < 0x20 || pu_in(cp, 0x7F, 0x9F) || cp == 0x2028 || cp == 0x2029 || pu_in(cp, 0x202A, 0x202E) ||
           pu_in(cp, 0x2066, 0x2069);
}

static const char pu_hex[] = "0123456789abcdef";

/* Writes \xNN (width 2) or \uNNNN (width 4) at *o. */
static void pu_put_hex(char **o, char kind, uint32_t v, int width)
{
    char *w = *o;
    *w++ = '\\';
    *w++ = kind;
    for (int shift = 4 * (width - 1); shift >= 0; shift -= 4)
        *w++ = pu_hex[(v >> shift) & 15];
    *o = w;
}

static void pu_put(char **o, const char *s, size_t n)
{
    memcpy(*o, s, n);
    *o += n;
}

/* A format's step for one character that is not plain: reads the
 * character (or the one invalid byte) at p, writes at most PU_WORST bytes
 * per input byte at *o, and returns the bytes consumed. */
typedef size_t pu_one_fn(const unsigned char *p, const unsigned char *end, char **o);
#define PU_WORST 6

/* Input goes in chunks, so that room is reserved for a chunk's worst case
 * rather than the whole text's: an id may be megabytes long. */
#define PU_CHUNK 4096

/* The printable ASCII characters a format copies as they are: all but the
 * ones in the format's mask (bit c - 0x20 for c in 0x20..0x7E). */
typedef struct pu_plain {
    uint64_t lo, hi;
} pu_plain;

static inline bool pu_is_plain(pu_plain m, unsigned char c)
{
    if (c < 0x20 || c >= 0x7F)
        return false;
    unsigned bit = c - 0x20u;
    return !(bit < 64 ? (m.lo >> bit) & 1 : (m.hi >> (bit - 64)) & 1);
}

static pu_plain pu_plain_but(const char *specials)
{
    pu_plain m = {0, 0};
    for (; *specials; specials++) {
        unsigned bit = (unsigned char)*specials - 0x20u;
        /* Every format's specials (" \\ & < > ') are below 0x60; the other
         * half of the mask is there for a format that needs more. */
        if (PU_ALWAYS(bit < 64))
            m.lo |= (uint64_t)1 << bit;
        else
            m.hi |= (uint64_t)1 << (bit - 64);
    }
    return m;
}

static void pu_run(pu_buf *b, const unsigned char *p, const unsigned char *end, pu_plain plain, pu_one_fn *one)
{
    while (p < end) {
        size_t chunk = (size_t)(end - p) < PU_CHUNK ? (size_t)(end - p) : PU_CHUNK;
        /* A UTF-8 sequence that starts in the chunk may end 3 bytes past it. */
        if (!pu_buf_reserve(b, PU_WORST * (chunk + 3)))
            return;
        const unsigned char *stop = p + chunk;
        char *o = b->data + b->len;
        while (p < stop) {
            const unsigned char *q = p;
            while (q < stop && pu_is_plain(plain, *q))
                q++;
            pu_put(&o, (const char *)p, (size_t)(q - p));
            p = q;
            if (p < stop)
                p += one(p, end, &o);
        }
        b->len = (size_t)(o - b->data);
        b->data[b->len] = '\0';
    }
}

/* ---- text ----------------------------------------------------------------------- */

/* Shared by text and markup: a safe character is copied, an unsafe one
 * shown as \xNN or \uNNNN. */
static size_t pu_text_one(const unsigned char *p, const unsigned char *end, char **o)
{
    size_t k = pu_utf8_len(p, (size_t)(end - p));
    if (k == 0) {
        pu_put_hex(o, 'x', p[0], 2);
        return 1;
    }
    uint32_t cp = pu_code_point(p, k);
    if (!pu_unsafe(cp))
        pu_put(o, (const char *)p, k);
    else if (cp < 0x80)
        pu_put_hex(o, 'x', cp, 2);
    else
        pu_put_hex(o, 'u', cp, 4);
    return k;
}

void pu_escape_text(pu_buf *b, const char *s, size_t n)
{
    pu_plain plain = pu_plain_but("");
    pu_buf_append(b, "", 0); /* NUL-terminated even when s is empty */
    pu_run(b, (const unsigned char *)s, (const unsigned char *)s + n, plain, pu_text_one);
}

/* ---- JSON ----------------------------------------------------------------------- */

static size_t pu_json_one(const unsigned char *p, const unsigned char *end, char **o)
{
    unsigned char c = p[0];
    const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                    : c == '\t' ? "\\t" : NULL;
    if (esc) {
        pu_put(o, esc, 2);
        return 1;
    }
    size_t k = pu_utf8_len(p, (size_t)(end - p));
    if (k == 0) {
        /* Facts are not checked for UTF-8; the output must still parse. */
        pu_put(o, "\\ufffd", 6);
        return 1;
    }
    uint32_t cp = pu_code_point(p, k);
    if (pu_unsafe(cp))
        pu_put_hex(o, 'u', cp, 4);
    else
        pu_put(o, (const char *)p, k);
    return k;
}

void pu_escape_json(pu_buf *b, const char *s, size_t n)
{
    pu_plain plain = pu_plain_but("\"\\");
    pu_buf_append(b, "\"", 1);
    pu_run(b, (const unsigned char *)s, (const unsigned char *)s + n, plain, pu_json_one);
    pu_buf_append(b, "\"", 1);
}

/* ---- markup --------------------------------------------------------------------- */

static size_t pu_markup_common(const unsigned char *p, const unsigned char *end, char **o, bool attribute)
{
    switch (p[0]) {
    case '&': pu_put(o, "&amp;", 5); return 1;
    case '<': pu_put(o, "&lt;", 4); return 1;
    case '>': pu_put(o, "&gt;", 4); return 1;
    case '"': pu_put(o, "&quot;", 6); return 1;
    case '\'': pu_put(o, "&#39;", 5); return 1;
    /* A raw CR would be normalised away, and so would LF and TAB in an
     * XML attribute value. */
    case '\r': pu_put(o, "&#13;", 5); return 1;
    case '\n': attribute ? pu_put(o, "&#10;", 5) : pu_put(o, "\n", 1); return 1;
    case '\t': attribute ? pu_put(o, "&#9;", 4) : pu_put(o, "\t", 1); return 1;
    default: return pu_text_one(p, end, o);
    }
}

static size_t pu_markup_one(const unsigned char *p, const unsigned char *end, char **o)
{
    return pu_markup_common(p, end, o, false);
}

static size_t pu_markup_attr_one(const unsigned char *p, const unsigned char *end, char **o)
{
    return pu_markup_common(p, end, o, true);
}

void pu_escape_markup(pu_buf *b, const char *s, size_t n)
{
    pu_buf_append(b, "", 0); /* NUL-terminated even when s is empty */
    pu_run(b, (const unsigned char *)s, (const unsigned char *)s + n, pu_plain_but("&<>\"'"), pu_markup_one);
}

void pu_escape_markup_attr(pu_buf *b, const char *s, size_t n)
{
    pu_buf_append(b, "", 0); /* NUL-terminated even when s is empty */
    pu_run(b, (const unsigned char *)s, (const unsigned char *)s + n, pu_plain_but("&<>\"'"), pu_markup_attr_one);
}

/* ---- CSV ------------------------------------------------------------------------ */

static bool pu_csv_formula(const char *s, size_t n)
{
    return n > 0 && strchr("=+-@\t\r", s[0]) && s[0] != '\0';
}

static bool pu_csv_quoted(const char *s, size_t n)
{
    if (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))
        return true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == '"' || c < 0x20 || c == 0x7F)
            return true;
    }
    return false;
}

/* Inside a field: quotes doubled, and a byte that is not UTF-8 replaced by
 * U+FFFD (the file is UTF-8 for whatever reads it). */
static size_t pu_csv_one(const unsigned char *p, const unsigned char *end, char **o)
{
    if (p[0] == '"') {
        pu_put(o, "\"\"", 2);
        return 1;
    }
    size_t k = pu_utf8_len(p, (size_t)(end - p));
    if (k == 0) {
        pu_put(o, "\xEF\xBF\xBD", 3);
        return 1;
    }
    pu_put(o, (const char *)p, k);
    return k;
}

void pu_escape_csv(pu_buf *b, const char *s, size_t n)
{
    bool quote = pu_csv_quoted(s, n);
    pu_buf_append(b, quote ? "\"" : "", quote);
    if (pu_csv_formula(s, n))
        pu_buf_append(b, "'", 1);
    pu_run(b, (const unsigned char *)s, (const unsigned char *)s + n, pu_plain_but("\""), pu_csv_one);
    if (quote)
        pu_buf_append(b, "\"", 1);
}

/* ---- cJSON -------------------------------------------------------------------- */

cJSON *pu_json_cjson(const char *s)
{
    if (!s)
        return cJSON_CreateNull();
    pu_buf b = {0};
    pu_escape_json(&b, s, strlen(s));
    cJSON *j = b.oom ? NULL : cJSON_CreateRaw(b.data);
    free(b.data);
    return j;
}

/* ---- to a file ------------------------------------------------------------------ */

bool pu_escape_fputs(FILE *out, pu_escape_fn *fn, const char *s)
{
    if (!s)
        return true;
    pu_buf b = {0};
    fn(&b, s, strlen(s));
    bool ok = !b.oom;
    if (b.data)
        fwrite(b.data, 1, b.len, out);
    free(b.data);
    return ok;
}
