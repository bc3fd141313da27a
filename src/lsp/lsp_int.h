/* The language server's parts (src/lsp): the connection (rpc.c), positions
 * (text.c), documents and dispatch (server.c), and the features
 * (diagnose.c, format.c, symbols.c). */
#ifndef LS_LSP_INT_H
#define LS_LSP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "front/parse.h"
#include "lsp.h"

/* cJSON_AddItemToObject and cJSON_AddItemToArray, freeing the item when it
 * cannot be added (memory ran out copying the key, or the container could
 * not be made): cJSON leaves it to the caller, and dropping it leaked. */
static inline void ls_put(cJSON *object, const char *key, cJSON *item)
{
    if (!cJSON_AddItemToObject(object, key, item))
        cJSON_Delete(item);
}
static inline void ls_push(cJSON *array, cJSON *item)
{
    if (!cJSON_AddItemToArray(array, item))
        cJSON_Delete(item);
}

/* ---- the connection (rpc.c) ------------------------------------------------ */

typedef struct ls_conn {
    int in_fd, out_fd;
    char *buf;          /* bytes read and not yet handed out */
    size_t len, cap;
    size_t consumed;    /* the message handed out last, dropped on the next read */
    size_t skip;        /* bytes of a refused (too large) body still to discard */
    size_t max_message;
    bool eof;
    bool write_failed;
    bool oom;           /* no memory for the input buffer (then eof too) */
} ls_conn;

typedef enum ls_read_status {
    LS_READ_MESSAGE,    /* *body, *len: one message's content */
    LS_READ_TIMEOUT,    /* nothing came within the time given */
    LS_READ_EOF,        /* the input ended (or failed) */
    LS_READ_BAD_HEADER, /* a header block without a usable Content-Length, dropped */
    LS_READ_TOO_BIG     /* a message past max_message, being skipped */
} ls_read_status;

void ls_conn_init(ls_conn *c, int in_fd, int out_fd, size_t max_message);
void ls_conn_fini(ls_conn *c);
/* The next message; timeout_ms < 0 waits for ever. The body stays valid
 * until the next call. */
ls_read_status ls_conn_read(ls_conn *c, int timeout_ms, const char **body, size_t *len);
/* Whether bytes past the message handed out last are already read. */
bool ls_conn_buffered(const ls_conn *c);
/* Sends one message (the JSON text of `msg`); false when it could not be
 * written (then every later write fails too). */
bool ls_conn_send(ls_conn *c, const cJSON *msg);

/* ---- positions (text.c) ------------------------------------------------------ */

/* An LSP position: 0-based line, and the character offset in UTF-16 code
 * units (the protocol's default encoding). */
typedef struct ls_pos {
    uint32_t line, character;
} ls_pos;

/* The position of byte `offset` of text. */
ls_pos ls_pos_of(const char *text, size_t len, size_t offset);
/* The byte offset of an LSP position (clamped to its line and the text). */
size_t ls_offset_of(const char *text, size_t len, ls_pos pos);
/* The byte offset of a 1-based line and 1-based byte column (the
 * diagnostics' positions), clamped to the text. */
size_t ls_offset_of_line_col(const char *text, size_t len, uint32_t line, uint32_t col);
/* A text's line starts, for positions in a large text without scanning it
 * from the start each time. Without memory for the table, the positions
 * are computed by scanning (slower, still right). */
typedef struct ls_lines {
    const char *text;
    size_t len;
    size_t *starts;  /* byte offset of each line */
    size_t n;
} ls_lines;
void ls_lines_init(ls_lines *l, const char *text, size_t len);
void ls_lines_fini(ls_lines *l);
ls_pos ls_lines_pos(const ls_lines *l, size_t offset);
/* As ls_offset_of_line_col. */
size_t ls_lines_offset(const ls_lines *l, uint32_t line, uint32_t col);
cJSON *ls_lines_span(const ls_lines *l, size_t start, size_t end);

/* {"line":..,"character":..} and {"start":..,"end":..}. */
cJSON *ls_json_pos(ls_pos p);
cJSON *ls_json_range(ls_pos start, ls_pos end);
/* The range of bytes [start, end) of text. */
cJSON *ls_json_span(const char *text, size_t len, size_t start, size_t end);
/* Reads {"line":..,"character":..}; false when it is not one. */
bool ls_read_pos(const cJSON *j, ls_pos *out);

/* A file: URI's path (percent-decoded, malloc'd), or NULL when the URI is
 * not a local file. */
char *ls_uri_path(const char *uri);
/* The file: URI of an absolute path (malloc'd), or NULL without memory. */
char *ls_path_uri(const char *path);

/* ---- documents and the server (server.c) ------------------------------------- */

typedef struct ls_doc {
    char *uri;
    char *path;      /* the file the URI names (NULL: not a local file) */
    char *text;      /* the buffer's text, NUL-terminated */
    size_t len;
    int version;
    bool dirty;      /* changed since its diagnostics were published */
    uint64_t changed_at; /* when it last changed (ms, monotonic clock) */
    struct ls_index *index; /* names and places, for navigation (index.h) */
    bool index_stale;       /* the text changed since the index was built */
    cJSON *test_diags;      /* the failures of the file's tests when last saved,
                               until the text changes; or NULL */
} ls_doc;

typedef struct ls_server {
    ls_conn conn;
    ls_options opt;
    ls_doc **docs;
    size_t ndocs, cap;
    bool initialized;   /* `initialize` answered */
    bool shut_down;     /* `shutdown` answered */
    bool exited;        /* `exit` received */
    bool oom;
} ls_server;

/* The error a request handler returns: an LSP error code and its message. */
typedef struct ls_error {
    int code;
    char message[256];
} ls_error;

enum {
    LS_PARSE_ERROR = -32700,
    LS_INVALID_REQUEST = -32600,
    LS_METHOD_NOT_FOUND = -32601,
    LS_INVALID_PARAMS = -32602,
    LS_INTERNAL_ERROR = -32603,
    LS_SERVER_NOT_INITIALIZED = -32002,
    LS_REQUEST_FAILED = -32803
};

/* Sets e and returns false, for a handler's early return. */
bool ls_fail(ls_error *e, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The open document params.textDocument.uri names; NULL after ls_fail. */
ls_doc *ls_param_doc(ls_server *s, const cJSON *params, ls_error *e);

/* Whether body is JSON by a syntax check that allocates nothing and is no
 * more lenient than cJSON's parser (server.c): when cJSON refuses a text
 * this accepts, memory ran out. */
bool ls_json_valid(const char *body, size_t len);

/* ---- features ---------------------------------------------------------------- */

/* The diagnostics of a document's current text: check, then lint when it
 * compiles (diagnose.c). An array of LSP Diagnostic; NULL without memory. */
cJSON *ls_diagnose(const ls_doc *doc);
/* textDocument/formatting (format.c): *result gets the edits. */
bool ls_format(const ls_doc *doc, cJSON **result, ls_error *e);
/* textDocument/documentSymbol (symbols.c). */
bool ls_symbols(const ls_doc *doc, cJSON **result, ls_error *e);

/* One document's text parsed alone (no includes, no checking): what the
 * outline and the uses of blocks (`require NAME`, which the checker
 * replaces) read. False when memory ran out (decls then NULL or partial);
 * ls_parse_fini in every case. */
typedef struct ls_parsed {
    pm_arena arena;
    ps_sources src;
    pd_list diags;
    pa_decl *decls;
} ls_parsed;
bool ls_parse_alone(ls_parsed *p, const char *name, const char *text, size_t len);
void ls_parse_fini(ls_parsed *p);
/* The diagnostics of the file's tests, run as `pathway test` runs them,
 * on the saved file (tests.c). */
cJSON *ls_run_tests(const ls_doc *doc);
/* navigate.c: hover, definition, references, completion, codeAction. */
bool ls_hover(ls_server *s, const cJSON *params, cJSON **result, ls_error *e);
bool ls_definition(ls_server *s, const cJSON *params, cJSON **result, ls_error *e);
bool ls_references(ls_server *s, const cJSON *params, cJSON **result, ls_error *e);
bool ls_completion(ls_server *s, const cJSON *params, cJSON **result, ls_error *e);
bool ls_code_action(ls_server *s, const cJSON *params, cJSON **result, ls_error *e);
/* index.c */
struct ls_index;
void ls_index_free(struct ls_index *x);

#endif
