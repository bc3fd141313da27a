/* Output assembled in memory: a growing buffer and the JSON string escaper
 * every JSON writer shares (moved here from the command line so that the
 * library's eval line is the same code). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "grow.h"
#include "utf8.h"

bool pu_buf_reserve(pu_buf *b, size_t n)
{
    void *data = b->data;
    bool ok = pu_grow(&data, &b->cap, b->len, n, 4096, &b->oom);
    b->data = data;
    return ok;
}

void pu_buf_free(pu_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void pu_buf_printf(pu_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        pu_buf_put(b, small, (size_t)n);
        return;
    }
    /* Longer than the stack buffer: format again, in place. */
    if (!pu_buf_reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Printable ASCII other than the two characters JSON escapes: copied as is. */
static inline bool pu_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Escapes one byte that is not plain (or the invalid UTF-8 sequence starting
 * there) at o; returns the bytes consumed from p, writing at most 6. */
static size_t pu_escape_one(const unsigned char *p, const unsigned char *end, char **o)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char c = *p;
    const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                    : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
    if (esc) {
        memcpy(*o, esc, 2);
        *o += 2;
        return 1;
    }
    if (c < 0x20) {
        memcpy(*o, "\\u00", 4);
        (*o)[4] = hex[c >> 4];
        (*o)[5] = hex[c & 15];
        *o += 6;
        return 1;
    }
    size_t k = pu_utf8_len(p, (size_t)(end - p));
    if (k == 0) {
        /* Facts are not checked for UTF-8; the output must still parse. */
        memcpy(*o, "\\ufffd", 6);
        *o += 6;
        return 1;
    }
    memcpy(*o, p, k);
    *o += k;
    return k;
}

/* Input is escaped in chunks, so that room is reserved for a chunk's worst
 * case (6 output bytes per input byte) rather than the whole text's: an id
 * may be megabytes long. */
#define PU_ESCAPE_CHUNK 4096

void pu_buf_json_string(pu_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + strlen(s);
    pu_buf_put(b, "\"", 1);
    while (p < end) {
        size_t chunk = (size_t)(end - p) < PU_ESCAPE_CHUNK ? (size_t)(end - p) : PU_ESCAPE_CHUNK;
        /* A UTF-8 sequence that starts in the chunk may end 3 bytes past it. */
        if (!pu_buf_reserve(b, 6 * chunk + 8))
            return;
        const unsigned char *stop = p + chunk;
        char *o = b->data + b->len;
        while (p < stop) {
            const unsigned char *q = p;
            while (q < stop && pu_plain(*q))
                q++;
            memcpy(o, p, (size_t)(q - p));
            o += q - p;
            p = q;
            if (p < stop)
                p += pu_escape_one(p, end, &o);
        }
        b->len = (size_t)(o - b->data);
    }
    pu_buf_put(b, "\"", 1);
}

