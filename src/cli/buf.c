/* Output assembled in memory: a growing buffer and the JSON string escaper
 * every JSON writer of the command line shares. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "cli.h"
#include "util/grow.h"
#include "util/utf8.h"

bool cli_buf_reserve(cli_buf *b, size_t n)
{
    void *data = b->data;
    bool ok = pu_grow(&data, &b->cap, b->len, n, 4096, &b->oom);
    b->data = data;
    return ok;
}

void cli_buf_free(cli_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void cli_buf_printf(cli_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        cli_buf_put(b, small, (size_t)n);
        return;
    }
    /* Longer than the stack buffer: format again, in place. */
    if (!cli_buf_reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Printable ASCII other than the two characters JSON escapes: copied as is. */
static inline bool cli_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Escapes one byte that is not plain (or the invalid UTF-8 sequence starting
 * there) at o; returns the bytes consumed from p, writing at most 6. */
static size_t cli_escape_one(const unsigned char *p, const unsigned char *end, char **o)
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
#define CLI_ESCAPE_CHUNK 4096

void cli_buf_json_string(cli_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + strlen(s);
    cli_buf_put(b, "\"", 1);
    while (p < end) {
        size_t chunk = (size_t)(end - p) < CLI_ESCAPE_CHUNK ? (size_t)(end - p) : CLI_ESCAPE_CHUNK;
        /* A UTF-8 sequence that starts in the chunk may end 3 bytes past it. */
        if (!cli_buf_reserve(b, 6 * chunk + 8))
            return;
        const unsigned char *stop = p + chunk;
        char *o = b->data + b->len;
        while (p < stop) {
            const unsigned char *q = p;
            while (q < stop && cli_plain(*q))
                q++;
            memcpy(o, p, (size_t)(q - p));
            o += q - p;
            p = q;
            if (p < stop)
                p += cli_escape_one(p, end, &o);
        }
        b->len = (size_t)(o - b->data);
    }
    cli_buf_put(b, "\"", 1);
}

void cli_json_string(FILE *out, const char *s)
{
    cli_buf b = {0};
    cli_buf_json_string(&b, s);
    if (b.data)
        fwrite(b.data, 1, b.len, out);
    cli_buf_free(&b);
}
