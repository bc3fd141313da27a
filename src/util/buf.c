/* Output assembled in memory (buf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "grow.h"

bool pu_buf_reserve(pu_buf *b, size_t n)
{
    if (n >= SIZE_MAX) {
        b->oom = true;
        return false;
    }
    void *data = b->data;
    bool ok = pu_grow(&data, &b->cap, b->len, n + 1, 4096, &b->oom);
    b->data = data;
    return ok;
}

void pu_buf_append(pu_buf *b, const void *s, size_t n)
{
    if (!pu_buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
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
    if (!pu_buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
