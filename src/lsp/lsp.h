/* The language server behind `pathway lsp` (docs/lsp.md): the Language
 * Server Protocol over a pair of file descriptors (JSON-RPC with
 * Content-Length framing). It offers diagnostics from check and lint on the
 * open buffers' unsaved text, formatting through the fmt module, and the
 * outline of a file (document symbols).
 *
 * Library code: nothing is printed but the protocol's messages on the
 * output; a malformed message or a failing request gets an LSP error
 * response and the server carries on. */
#ifndef LS_LSP_H
#define LS_LSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ls_options {
    /* How long the server waits for more input after a change before it
     * checks the changed buffers: a burst of edits is checked once, at its
     * last version. 0: the default (LS_DEFAULT_DEBOUNCE_MS). */
    unsigned debounce_ms;
    /* Messages larger than this are refused with an error response (and
     * skipped); 0: LS_DEFAULT_MAX_MESSAGE. */
    size_t max_message;
    /* The clock the debounce reads, in milliseconds, never going back;
     * NULL: CLOCK_MONOTONIC. Tests drive it, to check the debounce without
     * waiting on the real clock. */
    uint64_t (*clock_ms)(void *user);
    void *clock_user;
} ls_options;

enum { LS_DEFAULT_DEBOUNCE_MS = 200 };
#define LS_DEFAULT_MAX_MESSAGE ((size_t)64 << 20)

/* Serves one client reading from in_fd and writing to out_fd until the
 * client sends `exit` or closes the input. Returns the exit status the
 * protocol asks for: 0 after `shutdown` then `exit`, 1 when `exit` comes
 * without `shutdown` or the input ends without it, 2 when memory ran out
 * or the output could not be written. */
int ls_serve(int in_fd, int out_fd, const ls_options *options);

#endif
