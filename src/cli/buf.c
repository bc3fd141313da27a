/* Output assembled in memory: a growing buffer, and the escapers of
 * util/escape.h applied to NUL-terminated strings. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "cli.h"
#include "util/grow.h"

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

void cli_buf_json_string(cli_buf *b, const char *s)
{
    pu_escape_json(b, s, strlen(s));
}

void cli_buf_text(cli_buf *b, const char *s)
{
    pu_escape_text(b, s, strlen(s));
}

void cli_json_string(FILE *out, const char *s)
{
    cli_buf b = {0};
    cli_buf_json_string(&b, s);
    if (b.data)
        fwrite(b.data, 1, b.len, out);
    cli_buf_free(&b);
}
