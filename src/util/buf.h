/* A growing byte buffer for output assembled before it is written: the
 * library's eval line, the command line's outputs, diagnostics. The
 * escapers of every output format write into it (escape.h). */
#ifndef PU_BUF_H
#define PU_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Running out of memory sets `oom` and drops what does not fit; the writer
 * checks it once, at the end. cli_buf and pd_buf are this type. */
typedef struct pu_buf {
    char *data;
    size_t len, cap;
    bool oom;
} pu_buf;

/* Makes room for n more bytes and a NUL; false (oom set) when it cannot. */
bool pu_buf_reserve(pu_buf *b, size_t n);
/* Appends n bytes and keeps the buffer NUL-terminated (pu_buf_put, below,
 * the hot path, does not write the NUL). */
void pu_buf_append(pu_buf *b, const void *s, size_t n);
void pu_buf_free(pu_buf *b);
void pu_buf_printf(pu_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Inline: the output of `pathway eval` is mostly short fixed pieces. */
static inline void pu_buf_put(pu_buf *b, const void *s, size_t n)
{
    if (n == 0 || (n > b->cap - b->len && !pu_buf_reserve(b, n)))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static inline void pu_buf_puts(pu_buf *b, const char *s)
{
    pu_buf_put(b, s, strlen(s));
}

#endif
