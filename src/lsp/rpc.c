/* The connection: JSON-RPC messages framed by a Content-Length header, read
 * from and written to file descriptors (LSP "Base Protocol"). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lsp_int.h"

/* A header block longer than this has no end in sight: it is dropped. */
enum { LS_MAX_HEADER = 8192, LS_READ_CHUNK = 65536 };

void ls_conn_init(ls_conn *c, int in_fd, int out_fd, size_t max_message)
{
    memset(c, 0, sizeof *c);
    c->in_fd = in_fd;
    c->out_fd = out_fd;
    c->max_message = max_message ? max_message : LS_DEFAULT_MAX_MESSAGE;
}

void ls_conn_fini(ls_conn *c)
{
    free(c->buf);
    c->buf = NULL;
}

/* Drops the first n bytes of the buffer (n <= len: a message handed out, a
 * header block, or bytes of a refused body, all in the buffer). */
static void ls_drop(ls_conn *c, size_t n)
{
    if (n == 0)
        return; /* also an empty buffer, which may be NULL */
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

/* Reads what is there (at least one byte, or the end). False at the end of
 * the input or on a read error, or without memory. */
static bool ls_fill(ls_conn *c)
{
    if (c->cap - c->len < LS_READ_CHUNK) {
        /* Twice the old capacity leaves at least a chunk free: len <= cap,
         * and cap >= 2 chunks. */
        size_t cap = c->cap ? c->cap * 2 : LS_READ_CHUNK * 2;
        char *b = realloc(c->buf, cap + 1);
        if (!b) {
            c->oom = true;
            return false;
        }
        c->buf = b;
        c->cap = cap;
    }
    ssize_t n;
    do
        n = read(c->in_fd, c->buf + c->len, LS_READ_CHUNK);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return false;
    c->len += (size_t)n;
    return true;
}

/* Whether input is waiting within timeout_ms (< 0: for ever). */
static bool ls_wait(const ls_conn *c, int timeout_ms)
{
    struct pollfd p = {.fd = c->in_fd, .events = POLLIN};
    int r;
    do
        r = poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    return r != 0; /* an error counts as ready: the read then reports it */
}

/* Where the header block ends (just past its blank line), or 0. */
static size_t ls_header_end(const ls_conn *c)
{
    for (size_t i = 0; i + 3 < c->len; i++)
        if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0)
            return i + 4;
    return 0;
}

/* The Content-Length of a header block; false when it has none, or a value
 * that is not a number. Other headers (Content-Type) are ignored. */
static bool ls_content_length(const char *h, size_t n, size_t *out)
{
    const char *key = "content-length:";
    size_t klen = strlen(key);
    bool found = false;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && h[e] != '\r')
            e++;
        if (e - i > klen && strncasecmp(h + i, key, klen) == 0) {
            size_t j = i + klen, v = 0;
            while (j < e && h[j] == ' ')
                j++;
            if (j == e)
                return false;
            for (; j < e && h[j] != ' '; j++) {
                if (h[j] < '0' || h[j] > '9' || v > (SIZE_MAX - 9) / 10)
                    return false;
                v = v * 10 + (size_t)(h[j] - '0');
            }
            while (j < e && h[j] == ' ')
                j++;
            if (j != e)
                return false;
            *out = v;
            found = true;
        }
        i = e + 2;
    }
    return found;
}

/* Discards the rest of a refused body as it arrives. */
static void ls_skip(ls_conn *c)
{
    size_t n = c->skip < c->len ? c->skip : c->len;
    ls_drop(c, n);
    c->skip -= n;
}

ls_read_status ls_conn_read(ls_conn *c, int timeout_ms, const char **body, size_t *len)
{
    ls_drop(c, c->consumed);
    c->consumed = 0;
    for (;;) {
        ls_skip(c);
        size_t hend = c->skip ? 0 : ls_header_end(c);
        if (hend) {
            size_t n;
            if (!ls_content_length(c->buf, hend - 4, &n)) {
                ls_drop(c, hend);
                return LS_READ_BAD_HEADER;
            }
            if (n > c->max_message) {
                ls_drop(c, hend);
                c->skip = n;
                return LS_READ_TOO_BIG;
            }
            if (c->len - hend >= n) {
                *body = c->buf + hend;
                *len = n;
                c->consumed = hend + n;
                return LS_READ_MESSAGE;
            }
        } else if (!c->skip && c->len > LS_MAX_HEADER) {
            c->len = 0;
            return LS_READ_BAD_HEADER;
        }
        if (c->eof)
            return LS_READ_EOF;
        /* A message begun is waited for; between messages, the caller's time. */
        if (c->len == 0 && !c->skip && !ls_wait(c, timeout_ms))
            return LS_READ_TIMEOUT;
        if (!ls_fill(c))
            c->eof = true;
    }
}

bool ls_conn_buffered(const ls_conn *c)
{
    return c->len > c->consumed;
}

static bool ls_write_all(ls_conn *c, const char *p, size_t n)
{
    while (n > 0 && !c->write_failed) {
        ssize_t w = write(c->out_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            c->write_failed = true;
            break;
        }
        p += w;
        n -= (size_t)w;
    }
    return !c->write_failed;
}

bool ls_conn_send(ls_conn *c, const cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    if (!text)
        return false;
    char head[64];
    size_t n = strlen(text);
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
    bool ok = ls_write_all(c, head, (size_t)h) && ls_write_all(c, text, n);
    cJSON_free(text);
    return ok;
}
