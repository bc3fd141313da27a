/* A growing byte buffer for output assembled before it is written, and the
 * JSON string escaper every JSON writer shares (the library's eval line,
 * the command line's outputs). */
#ifndef PU_BUF_H
#define PU_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* A growing byte buffer for output that is assembled before it is written.
 * Running out of memory sets `oom` and drops what does not fit; the writer
 * checks it once, at the end. */
typedef struct pu_buf {
    char *data;
    size_t len, cap;
    bool oom;
} pu_buf;

/* Makes room for n more bytes; false (oom set) when memory runs out. */
bool pu_buf_reserve(pu_buf *b, size_t n);
void pu_buf_free(pu_buf *b);
void pu_buf_printf(pu_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends s (up to its NUL) as a JSON string literal, quotes included:
 * valid UTF-8 passes through, control characters, quotes and backslashes
 * are escaped, and each byte that is not valid UTF-8 becomes \ufffd, so
 * that the output always parses. */
void pu_buf_json_string(pu_buf *b, const char *s);

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
