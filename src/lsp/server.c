/* The server: lifecycle (initialize, shutdown, exit), open documents (full
 * text sync), dispatch of requests and notifications, and the debounce that
 * checks a burst of changes once, at its last version. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lsp_int.h"
#include "pathway.h"

/* Milliseconds on a clock that only goes forward (the options' own, if
 * they give one). */
static uint64_t ls_now_ms(const ls_server *s)
{
    if (s->opt.clock_ms)
        return s->opt.clock_ms(s->opt.clock_user);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A document's text (or an include) changed: it is checked once no change
 * has come for the debounce time. */
static void ls_touch(const ls_server *s, ls_doc *d)
{
    d->dirty = true;
    d->changed_at = ls_now_ms(s);
}

bool ls_fail(ls_error *e, int code, const char *fmt, ...)
{
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return false;
}

/* ---- documents ------------------------------------------------------------------- */

static void ls_doc_free(ls_doc *d)
{
    if (!d)
        return;
    free(d->uri);
    free(d->path);
    free(d->text);
    ls_index_free(d->index);
    cJSON_Delete(d->test_diags);
    free(d);
}

static ls_doc *ls_find(const ls_server *s, const char *uri, size_t *at)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (strcmp(s->docs[i]->uri, uri) == 0) {
            if (at)
                *at = i;
            return s->docs[i];
        }
    return NULL;
}

static const char *ls_param_uri(const cJSON *params, ls_error *e)
{
    const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
    const cJSON *uri = cJSON_GetObjectItemCaseSensitive(td, "uri");
    if (!cJSON_IsString(uri)) {
        ls_fail(e, LS_INVALID_PARAMS, "params.textDocument.uri: a string is required");
        return NULL;
    }
    return uri->valuestring;
}

ls_doc *ls_param_doc(ls_server *s, const cJSON *params, ls_error *e)
{
    const char *uri = ls_param_uri(params, e);
    if (!uri)
        return NULL;
    ls_doc *d = ls_find(s, uri, NULL);
    if (!d)
        ls_fail(e, LS_INVALID_PARAMS, "%.200s is not open", uri);
    return d;
}

/* The tests' results describe the saved text; an edit makes them stale. */
static void ls_forget_tests(ls_doc *d)
{
    cJSON_Delete(d->test_diags);
    d->test_diags = NULL;
}

/* Replaces a document's text with a copy of `text`. */
static bool ls_doc_set(const ls_server *s, ls_doc *d, const char *text, size_t len)
{
    char *t = malloc(len + 1);
    if (!t)
        return false;
    memcpy(t, text, len);
    t[len] = '\0';
    free(d->text);
    d->text = t;
    d->len = len;
    ls_touch(s, d);
    d->index_stale = true;
    ls_forget_tests(d);
    return true;
}

static bool ls_did_open(ls_server *s, const cJSON *params, ls_error *e)
{
    const char *uri = ls_param_uri(params, e);
    if (!uri)
        return false;
    const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(td, "text");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(td, "version");
    if (!cJSON_IsString(text))
        return ls_fail(e, LS_INVALID_PARAMS, "params.textDocument.text: a string is required");
    ls_doc *d = ls_find(s, uri, NULL);
    bool fresh = !d;
    if (fresh) {
        if (s->ndocs == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 8;
            ls_doc **docs = realloc(s->docs, cap * sizeof *docs);
            if (!docs)
                return ls_fail(e, LS_INTERNAL_ERROR, "out of memory");
            s->docs = docs;
            s->cap = cap;
        }
        d = calloc(1, sizeof *d);
        if (!d || !(d->uri = strdup(uri))) {
            ls_doc_free(d);
            return ls_fail(e, LS_INTERNAL_ERROR, "out of memory");
        }
        d->path = ls_uri_path(uri);
    }
    d->version = cJSON_IsNumber(version) ? version->valueint : 0;
    if (!ls_doc_set(s, d, text->valuestring, strlen(text->valuestring))) {
        /* A new document is open only with its text: every feature reads
         * d->text, which would be NULL. */
        if (fresh)
            ls_doc_free(d);
        return ls_fail(e, LS_INTERNAL_ERROR, "out of memory");
    }
    if (fresh)
        s->docs[s->ndocs++] = d;
    return true;
}

/* Full sync (the capabilities say so): the last change holding the whole
 * text wins. A ranged change is applied too, for a client that sends one
 * anyway. */
static bool ls_apply_change(const ls_server *s, ls_doc *d, const cJSON *ch, ls_error *e)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(ch, "text");
    if (!cJSON_IsString(text))
        return ls_fail(e, LS_INVALID_PARAMS, "contentChanges[].text: a string is required");
    size_t tlen = strlen(text->valuestring);
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(ch, "range");
    if (!range)
        return ls_doc_set(s, d, text->valuestring, tlen) ||
               ls_fail(e, LS_INTERNAL_ERROR, "out of memory");
    ls_pos a, b;
    if (!ls_read_pos(cJSON_GetObjectItemCaseSensitive(range, "start"), &a) ||
        !ls_read_pos(cJSON_GetObjectItemCaseSensitive(range, "end"), &b))
        return ls_fail(e, LS_INVALID_PARAMS, "contentChanges[].range: a range is required");
    size_t from = ls_offset_of(d->text, d->len, a), to = ls_offset_of(d->text, d->len, b);
    if (to < from)
        to = from;
    size_t n = d->len - (to - from) + tlen;
    char *t = malloc(n + 1);
    if (!t)
        return ls_fail(e, LS_INTERNAL_ERROR, "out of memory");
    memcpy(t, d->text, from);
    memcpy(t + from, text->valuestring, tlen);
    memcpy(t + from + tlen, d->text + to, d->len - to);
    t[n] = '\0';
    free(d->text);
    d->text = t;
    d->len = n;
    ls_touch(s, d);
    d->index_stale = true;
    ls_forget_tests(d);
    return true;
}

static bool ls_did_change(ls_server *s, const cJSON *params, ls_error *e)
{
    ls_doc *d = ls_param_doc(s, params, e);
    if (!d)
        return false;
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
    if (!cJSON_IsArray(changes))
        return ls_fail(e, LS_INVALID_PARAMS, "params.contentChanges: an array is required");
    const cJSON *ch;
    cJSON_ArrayForEach(ch, changes) if (!ls_apply_change(s, d, ch, e)) return false;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "version");
    if (cJSON_IsNumber(version))
        d->version = version->valueint;
    return true;
}

static void ls_publish(ls_server *s, const char *uri, cJSON *diags, int version, bool has_version)
{
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
    cJSON_AddStringToObject(msg, "method", "textDocument/publishDiagnostics");
    cJSON *params = cJSON_AddObjectToObject(msg, "params");
    cJSON_AddStringToObject(params, "uri", uri);
    if (has_version)
        cJSON_AddNumberToObject(params, "version", version);
    ls_put(params, "diagnostics", diags ? diags : cJSON_CreateArray());
    ls_conn_send(&s->conn, msg);
    cJSON_Delete(msg);
}

static bool ls_did_close(ls_server *s, const cJSON *params, ls_error *e)
{
    const char *uri = ls_param_uri(params, e);
    size_t at;
    if (!uri)
        return false;
    ls_doc *d = ls_find(s, uri, &at);
    if (!d)
        return ls_fail(e, LS_INVALID_PARAMS, "%.200s is not open", uri);
    /* Its diagnostics go with it: the client shows none for a closed file. */
    ls_publish(s, uri, NULL, 0, false);
    ls_doc_free(d);
    s->docs[at] = s->docs[--s->ndocs];
    return true;
}

static bool ls_did_save(ls_server *s, const cJSON *params, ls_error *e)
{
    ls_doc *d = ls_param_doc(s, params, e);
    if (!d)
        return false;
    /* The saved file may be an include of the others: they are checked
     * again too (the debounce makes it one check each). */
    for (size_t i = 0; i < s->ndocs; i++) {
        ls_touch(s, s->docs[i]);
        s->docs[i]->index_stale = true;
    }
    ls_forget_tests(d);
    d->test_diags = ls_run_tests(d);
    return true;
}

/* Checks every changed document whose last change is at least the debounce
 * time old, and publishes its diagnostics. */
static void ls_publish_due(ls_server *s)
{
    uint64_t now = ls_now_ms(s);
    for (size_t i = 0; i < s->ndocs; i++) {
        ls_doc *d = s->docs[i];
        if (!d->dirty || now - d->changed_at < s->opt.debounce_ms)
            continue;
        d->dirty = false;
        cJSON *diags = ls_diagnose(d);
        const cJSON *t;
        if (diags)
            cJSON_ArrayForEach(t, d->test_diags) ls_push(diags, cJSON_Duplicate(t, true));
        ls_publish(s, d->uri, diags, d->version, true);
    }
}

/* How long the next read may wait: until the first changed document is due
 * (0: one is due now), or for ever (-1) when none changed. Counted from the
 * last change, not the last message, so that a stream of requests (hover,
 * code actions as the cursor moves) never holds the diagnostics back. */
static int ls_wait_ms(const ls_server *s)
{
    uint64_t now = ls_now_ms(s), wait = UINT64_MAX;
    for (size_t i = 0; i < s->ndocs; i++) {
        const ls_doc *d = s->docs[i];
        if (!d->dirty)
            continue;
        uint64_t due = d->changed_at + s->opt.debounce_ms;
        uint64_t left = due > now ? due - now : 0;
        if (left < wait)
            wait = left;
    }
    return wait == UINT64_MAX ? -1 : (int)wait;
}

/* ---- lifecycle ------------------------------------------------------------------- */

static cJSON *ls_capabilities(void)
{
    cJSON *caps = cJSON_CreateObject();
    cJSON *sync = cJSON_AddObjectToObject(caps, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", true);
    cJSON_AddNumberToObject(sync, "change", 1); /* Full: each change sends the whole text */
    cJSON *save = cJSON_AddObjectToObject(sync, "save");
    cJSON_AddBoolToObject(save, "includeText", false);
    cJSON_AddBoolToObject(caps, "documentFormattingProvider", true);
    cJSON_AddBoolToObject(caps, "documentSymbolProvider", true);
    cJSON_AddBoolToObject(caps, "hoverProvider", true);
    cJSON_AddBoolToObject(caps, "definitionProvider", true);
    cJSON_AddBoolToObject(caps, "referencesProvider", true);
    cJSON *completion = cJSON_AddObjectToObject(caps, "completionProvider");
    cJSON *triggers = cJSON_AddArrayToObject(completion, "triggerCharacters");
    ls_push(triggers, cJSON_CreateString("."));
    ls_push(triggers, cJSON_CreateString("\""));
    cJSON *actions = cJSON_AddObjectToObject(caps, "codeActionProvider");
    cJSON *kinds = cJSON_AddArrayToObject(actions, "codeActionKinds");
    ls_push(kinds, cJSON_CreateString("quickfix"));
    return caps;
}

static bool ls_initialize(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    (void)params;
    if (s->initialized)
        return ls_fail(e, LS_INVALID_REQUEST, "initialize was already received");
    s->initialized = true;
    *result = cJSON_CreateObject();
    ls_put(*result, "capabilities", ls_capabilities());
    cJSON *info = cJSON_AddObjectToObject(*result, "serverInfo");
    cJSON_AddStringToObject(info, "name", "pathway");
    cJSON_AddStringToObject(info, "version", pw_version());
    return true;
}

static bool ls_shutdown(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    (void)params;
    (void)e;
    s->shut_down = true;
    *result = cJSON_CreateNull();
    return true;
}

/* ---- requests -------------------------------------------------------------------- */

static bool ls_formatting(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    ls_doc *d = ls_param_doc(s, params, e);
    return d && ls_format(d, result, e);
}

static bool ls_document_symbol(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    ls_doc *d = ls_param_doc(s, params, e);
    return d && ls_symbols(d, result, e);
}

typedef bool (*ls_request_fn)(ls_server *s, const cJSON *params, cJSON **result, ls_error *e);
typedef bool (*ls_notify_fn)(ls_server *s, const cJSON *params, ls_error *e);

static const struct {
    const char *method;
    ls_request_fn fn;
} ls_requests[] = {
    {"initialize", ls_initialize},
    {"shutdown", ls_shutdown},
    {"textDocument/formatting", ls_formatting},
    {"textDocument/documentSymbol", ls_document_symbol},
    {"textDocument/hover", ls_hover},
    {"textDocument/definition", ls_definition},
    {"textDocument/references", ls_references},
    {"textDocument/completion", ls_completion},
    {"textDocument/codeAction", ls_code_action},
};

static const struct {
    const char *method;
    ls_notify_fn fn;
} ls_notifications[] = {
    {"textDocument/didOpen", ls_did_open},
    {"textDocument/didChange", ls_did_change},
    {"textDocument/didClose", ls_did_close},
    {"textDocument/didSave", ls_did_save},
};

/* ---- messages -------------------------------------------------------------------- */

static void ls_respond(ls_server *s, const cJSON *id, cJSON *result, const ls_error *e)
{
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
    ls_put(msg, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
    if (e) {
        cJSON *err = cJSON_AddObjectToObject(msg, "error");
        cJSON_AddNumberToObject(err, "code", e->code);
        cJSON_AddStringToObject(err, "message", e->message);
        cJSON_Delete(result);
    } else {
        ls_put(msg, "result", result ? result : cJSON_CreateNull());
    }
    if (!ls_conn_send(&s->conn, msg) && !s->conn.write_failed)
        s->oom = true;
    cJSON_Delete(msg);
}

static void ls_respond_error(ls_server *s, const cJSON *id, int code, const char *message)
{
    ls_error e;
    ls_fail(&e, code, "%s", message);
    ls_respond(s, id, NULL, &e);
}

static void ls_request(ls_server *s, const char *method, const cJSON *id, const cJSON *params)
{
    ls_error e = {0, ""};
    if (!s->initialized && strcmp(method, "initialize") != 0) {
        ls_respond_error(s, id, LS_SERVER_NOT_INITIALIZED, "the server is not initialized");
        return;
    }
    if (s->shut_down) {
        ls_respond_error(s, id, LS_INVALID_REQUEST, "the server was shut down");
        return;
    }
    for (size_t i = 0; i < sizeof ls_requests / sizeof *ls_requests; i++)
        if (strcmp(method, ls_requests[i].method) == 0) {
            cJSON *result = NULL;
            bool ok = ls_requests[i].fn(s, params, &result, &e);
            ls_respond(s, id, result, ok ? NULL : &e);
            return;
        }
    char msg[300];
    snprintf(msg, sizeof msg, "unknown method %.200s", method);
    ls_respond_error(s, id, LS_METHOD_NOT_FOUND, msg);
}

/* A notification has no response; a bad one is dropped (the protocol has
 * no way to answer it), with a message the client may log. */
static void ls_notify(ls_server *s, const char *method, const cJSON *params)
{
    if (strcmp(method, "exit") == 0) {
        s->exited = true;
        return;
    }
    if (!s->initialized || s->shut_down)
        return;
    ls_error e = {0, ""};
    for (size_t i = 0; i < sizeof ls_notifications / sizeof *ls_notifications; i++)
        if (strcmp(method, ls_notifications[i].method) == 0) {
            if (!ls_notifications[i].fn(s, params, &e)) {
                cJSON *msg = cJSON_CreateObject();
                cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
                cJSON_AddStringToObject(msg, "method", "window/logMessage");
                cJSON *p = cJSON_AddObjectToObject(msg, "params");
                cJSON_AddNumberToObject(p, "type", 1);
                char text[400];
                snprintf(text, sizeof text, "%s: %s", method, e.message);
                cJSON_AddStringToObject(p, "message", text);
                ls_conn_send(&s->conn, msg);
                cJSON_Delete(msg);
            }
            return;
        }
    /* `initialized`, `$/...` and anything unknown: nothing to do. */
}

/* A JSON syntax check that allocates nothing, no more lenient than cJSON's
 * parser: when cJSON fails on a text this accepts, memory ran out (cJSON
 * does not say which). */
typedef struct ls_scan {
    const char *p, *end;
} ls_scan;

/* Whether the next byte is one of set (never the NUL that ends it). */
static bool ls_scan_at(const ls_scan *j, const char *set)
{
    return j->p < j->end && *j->p && strchr(set, *j->p);
}

static void ls_scan_blanks(ls_scan *j)
{
    while (ls_scan_at(j, " \t\r\n"))
        j->p++;
}

static bool ls_scan_hex4(ls_scan *j, unsigned *out)
{
    static const char hex[] = "0123456789abcdef0123456789ABCDEF";
    *out = 0;
    for (int i = 0; i < 4; i++, j->p++) {
        if (!ls_scan_at(j, hex))
            return false;
        *out = *out * 16 + (unsigned)((strchr(hex, *j->p) - hex) & 15);
    }
    return true;
}

static bool ls_scan_string(ls_scan *j)
{
    j->p++; /* the opening quote */
    while (!ls_scan_at(j, "\"")) {
        if (j->p >= j->end || (unsigned char)*j->p < 0x20)
            return false;
        if (*j->p++ != '\\')
            continue;
        if (ls_scan_at(j, "\"\\/bfnrt")) {
            j->p++;
            continue;
        }
        if (!ls_scan_at(j, "u"))
            return false;
        j->p++;
        unsigned u, lo;
        if (!ls_scan_hex4(j, &u) || (u >= 0xDC00 && u <= 0xDFFF))
            return false;
        if (u < 0xD800 || u > 0xDBFF)
            continue;
        /* A high surrogate: a low one follows (cJSON refuses it alone). */
        if (!ls_scan_at(j, "\\") || (j->p++, !ls_scan_at(j, "u")))
            return false;
        j->p++;
        if (!ls_scan_hex4(j, &lo) || lo < 0xDC00 || lo > 0xDFFF)
            return false;
    }
    j->p++;
    return true;
}

static bool ls_scan_digits(ls_scan *j)
{
    const char *from = j->p;
    while (ls_scan_at(j, "0123456789"))
        j->p++;
    return j->p > from;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool ls_scan_number(ls_scan *j)
{
    if (ls_scan_at(j, "-"))
        j->p++;
    if (ls_scan_at(j, "0"))
        j->p++;
    else if (!ls_scan_digits(j))
        return false;
    if (ls_scan_at(j, ".") && (j->p++, !ls_scan_digits(j)))
        return false;
    if (ls_scan_at(j, "eE")) {
        j->p++;
        if (ls_scan_at(j, "+-"))
            j->p++;
        if (!ls_scan_digits(j))
            return false;
    }
    return true;
}

static bool ls_scan_value(ls_scan *j, unsigned depth)
{
    ls_scan_blanks(j);
    if (j->p >= j->end)
        return false;
    char c = *j->p;
    if (c == '"')
        return ls_scan_string(j);
    if (ls_scan_at(j, "-0123456789"))
        return ls_scan_number(j);
    static const char *const words[] = {"null", "true", "false"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(j->end - j->p) >= n && memcmp(j->p, words[i], n) == 0) {
            j->p += n;
            return true;
        }
    }
    if ((c != '[' && c != '{') || depth >= 999) /* cJSON's nesting limit: 1000 */
        return false;
    char close = c == '[' ? ']' : '}';
    j->p++;
    ls_scan_blanks(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return true;
    }
    for (;;) {
        if (close == '}') {
            ls_scan_blanks(j);
            if (!ls_scan_at(j, "\"") || !ls_scan_string(j))
                return false;
            ls_scan_blanks(j);
            if (!ls_scan_at(j, ":"))
                return false;
            j->p++;
        }
        if (!ls_scan_value(j, depth + 1))
            return false;
        ls_scan_blanks(j);
        if (ls_scan_at(j, close == ']' ? "]" : "}")) {
            j->p++;
            return true;
        }
        if (!ls_scan_at(j, ","))
            return false;
        j->p++;
    }
}

bool ls_json_valid(const char *body, size_t len)
{
    ls_scan j = {body, body + len};
    return ls_scan_value(&j, 0);
}

static void ls_message(ls_server *s, const char *body, size_t len)
{
    const char *end = NULL;
    cJSON *msg = cJSON_ParseWithLengthOpts(body, len, &end, false);
    if (!msg && ls_json_valid(body, len)) {
        s->oom = true; /* not a syntax error: memory ran out */
        return;
    }
    if (msg && end) /* only blanks may follow the value */
        for (; end < body + len; end++)
            if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n') {
                cJSON_Delete(msg);
                msg = NULL;
                break;
            }
    if (!msg) {
        ls_respond_error(s, NULL, LS_PARSE_ERROR, "the message is not JSON");
        return;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    if (cJSON_IsNull(params)) /* as good as absent (shutdown and exit take none) */
        params = NULL;
    bool id_ok = !id || cJSON_IsNumber(id) || cJSON_IsString(id);
    if (!cJSON_IsObject(msg) || !id_ok) {
        ls_respond_error(s, NULL, LS_INVALID_REQUEST,
                         "a message must be an object with a number or string id");
    } else if (!method) {
        /* A response to a request of ours (we send none that want one). */
        if (!cJSON_GetObjectItemCaseSensitive(msg, "result") &&
            !cJSON_GetObjectItemCaseSensitive(msg, "error"))
            ls_respond_error(s, id, LS_INVALID_REQUEST, "a message needs a method, a result or an error");
    } else if (!cJSON_IsString(method)) {
        ls_respond_error(s, id, LS_INVALID_REQUEST, "method must be a string");
    } else if (params && !cJSON_IsObject(params) && !cJSON_IsArray(params)) {
        if (id)
            ls_respond_error(s, id, LS_INVALID_PARAMS, "params must be an object or an array");
    } else if (id) {
        ls_request(s, method->valuestring, id, params);
    } else {
        ls_notify(s, method->valuestring, params);
    }
    cJSON_Delete(msg);
}

int ls_serve(int in_fd, int out_fd, const ls_options *options)
{
    ls_server s;
    memset(&s, 0, sizeof s);
    if (options)
        s.opt = *options;
    if (!s.opt.debounce_ms)
        s.opt.debounce_ms = LS_DEFAULT_DEBOUNCE_MS;
    ls_conn_init(&s.conn, in_fd, out_fd, s.opt.max_message);
    while (!s.exited && !s.conn.write_failed && !s.oom) {
        const char *body;
        size_t len;
        int timeout = ls_wait_ms(&s);
        /* Due, and no message read ahead (a burst already here is taken in
         * whole first, so that only its last version is checked). */
        if (timeout == 0 && !ls_conn_buffered(&s.conn)) {
            ls_publish_due(&s);
            continue;
        }
        ls_read_status st = ls_conn_read(&s.conn, timeout, &body, &len);
        if (st == LS_READ_EOF)
            break;
        if (st == LS_READ_TIMEOUT)
            ls_publish_due(&s);
        else if (st == LS_READ_BAD_HEADER)
            ls_respond_error(&s, NULL, LS_PARSE_ERROR, "a message header without a valid Content-Length");
        else if (st == LS_READ_TOO_BIG)
            ls_respond_error(&s, NULL, LS_REQUEST_FAILED, "the message is larger than the server accepts");
        else
            ls_message(&s, body, len);
    }
    for (size_t i = 0; i < s.ndocs; i++)
        ls_doc_free(s.docs[i]);
    free(s.docs);
    bool failed = s.conn.write_failed || s.oom || s.conn.oom;
    ls_conn_fini(&s.conn);
    if (failed)
        return 2;
    return s.exited && s.shut_down ? 0 : 1;
}
