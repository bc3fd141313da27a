/* A language-server session in the test process: ls_serve runs on a thread
 * between two pipes, the test writes framed messages to one and reads the
 * server's from the other. The debounce reads a clock the test sets
 * (ls_options.clock_ms), so what is due is decided by the test, never by
 * how fast the machine is: a change is published only once the test has
 * moved the clock past the debounce and woken the server with a message.
 * A message that never comes fails after a generous wait (no timing is
 * asserted). */
#ifndef UT_LSP_SESSION_H
#define UT_LSP_SESSION_H

#include <check.h>
#include <cjson/cJSON.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp/lsp_int.h"

enum { UT_WAIT_MS = 60000, UT_DEBOUNCE = 200 };

typedef struct ut_session {
    int to_server, from_server; /* the test's ends */
    int in_fd, out_fd;          /* the server's ends */
    pthread_t thread;
    ls_options opt;
    _Atomic uint64_t now;
    int status;
    char *buf;
    size_t len, cap;
    cJSON *pending; /* messages read while looking for another */
    int next_id;
} ut_session;

static uint64_t ut_clock(void *user)
{
    ut_session *s = user;
    return atomic_load(&s->now);
}

static void *ut_serve(void *arg)
{
    ut_session *s = arg;
    s->status = ls_serve(s->in_fd, s->out_fd, &s->opt);
    close(s->out_fd);
    return NULL;
}

static void ut_start_opts(ut_session *s, size_t max_message)
{
    memset(s, 0, sizeof *s);
    int a[2], b[2];
    ck_assert_int_eq(pipe(a), 0);
    ck_assert_int_eq(pipe(b), 0);
    s->in_fd = a[0];
    s->to_server = a[1];
    s->from_server = b[0];
    s->out_fd = b[1];
    s->opt.debounce_ms = UT_DEBOUNCE;
    s->opt.max_message = max_message;
    s->opt.clock_ms = ut_clock;
    s->opt.clock_user = s;
    atomic_store(&s->now, 1000);
    s->pending = cJSON_CreateArray();
    ck_assert_int_eq(pthread_create(&s->thread, NULL, ut_serve, s), 0);
}

static void ut_start(ut_session *s) { ut_start_opts(s, 0); }

static void ut_raw(ut_session *s, const char *data, size_t len)
{
    if (getenv("UT_LSP_TRACE"))
        fprintf(stderr, "-> %.*s\n", (int)len, data);
    while (len > 0) {
        ssize_t w = write(s->to_server, data, len);
        ck_assert_int_gt(w, 0);
        data += w;
        len -= (size_t)w;
    }
}

static void ut_send_json(ut_session *s, const cJSON *msg)
{
    char *body = cJSON_PrintUnformatted(msg);
    char head[64];
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", strlen(body));
    /* One write, so that the server reads the message whole. */
    size_t n = (size_t)h + strlen(body);
    char *all = malloc(n);
    memcpy(all, head, (size_t)h);
    memcpy(all + h, body, strlen(body));
    ut_raw(s, all, n);
    free(all);
    free(body);
}

/* Frames a body as it is (it need not be JSON). */
static void ut_body(ut_session *s, const char *body)
{
    char head[64];
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", strlen(body));
    size_t n = (size_t)h + strlen(body);
    char *all = malloc(n);
    memcpy(all, head, (size_t)h);
    memcpy(all + h, body, strlen(body));
    ut_raw(s, all, n);
    free(all);
}

/* JSON written with ' for " (none of the tests' strings holds a '). */
static cJSON *ut_json(const char *text)
{
    char *t = strdup(text);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    cJSON *j = cJSON_Parse(t);
    ck_assert_msg(j != NULL, "bad test JSON: %s", t);
    free(t);
    return j;
}

/* Sends a request (params: JSON with '; NULL: none) and returns its id. */
static int ut_request(ut_session *s, const char *method, const char *params)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddNumberToObject(m, "id", ++s->next_id);
    cJSON_AddStringToObject(m, "method", method);
    if (params)
        cJSON_AddItemToObject(m, "params", ut_json(params));
    ut_send_json(s, m);
    cJSON_Delete(m);
    return s->next_id;
}

static void ut_notify_item(ut_session *s, const char *method, cJSON *params)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddStringToObject(m, "method", method);
    if (params)
        cJSON_AddItemToObject(m, "params", params);
    ut_send_json(s, m);
    cJSON_Delete(m);
}

static void ut_notify(ut_session *s, const char *method, const char *params)
{
    ut_notify_item(s, method, params ? ut_json(params) : NULL);
}

static void ut_open(ut_session *s, const char *uri, int version, const char *text)
{
    cJSON *p = cJSON_CreateObject();
    cJSON *td = cJSON_AddObjectToObject(p, "textDocument");
    cJSON_AddStringToObject(td, "uri", uri);
    cJSON_AddStringToObject(td, "languageId", "pathway");
    cJSON_AddNumberToObject(td, "version", version);
    cJSON_AddStringToObject(td, "text", text);
    ut_notify_item(s, "textDocument/didOpen", p);
}

static void ut_change(ut_session *s, const char *uri, int version, const char *text)
{
    cJSON *p = cJSON_CreateObject();
    cJSON *td = cJSON_AddObjectToObject(p, "textDocument");
    cJSON_AddStringToObject(td, "uri", uri);
    cJSON_AddNumberToObject(td, "version", version);
    cJSON *ch = cJSON_AddArrayToObject(p, "contentChanges");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "text", text);
    cJSON_AddItemToArray(ch, c);
    ut_notify_item(s, "textDocument/didChange", p);
}

/* The next message from the server; NULL when its output ended. */
static cJSON *ut_read(ut_session *s)
{
    for (;;) {
        char *end = NULL;
        for (size_t i = 0; !end && i + 4 <= s->len; i++)
            if (memcmp(s->buf + i, "\r\n\r\n", 4) == 0)
                end = s->buf + i;
        if (end) {
            size_t n = 0, hlen = (size_t)(end - s->buf) + 4;
            char head[256]; /* the header, NUL-terminated for sscanf */
            ck_assert_uint_lt(hlen, sizeof head);
            memcpy(head, s->buf, hlen);
            head[hlen] = '\0';
            ck_assert(sscanf(head, "Content-Length: %zu", &n) == 1);
            if (s->len >= hlen + n) {
                cJSON *j = cJSON_ParseWithLength(s->buf + hlen, n);
                if (getenv("UT_LSP_TRACE"))
                    fprintf(stderr, "<- %.*s\n", (int)n, s->buf + hlen);
                ck_assert_msg(j != NULL, "the server sent bad JSON: %.*s", (int)n, s->buf + hlen);
                memmove(s->buf, s->buf + hlen + n, s->len - hlen - n);
                s->len -= hlen + n;
                return j;
            }
        }
        struct pollfd p = {.fd = s->from_server, .events = POLLIN};
        ck_assert_msg(poll(&p, 1, UT_WAIT_MS) == 1, "no message from the server");
        if (s->cap - s->len < 65536) {
            s->cap = s->cap ? s->cap * 2 : 131072;
            s->buf = realloc(s->buf, s->cap);
        }
        ssize_t r = read(s->from_server, s->buf + s->len, 65536);
        ck_assert_int_ge(r, 0);
        if (r == 0) {
            ck_assert_msg(s->len == 0, "the server's output ends inside a message");
            return NULL;
        }
        s->len += (size_t)r;
    }
}

typedef bool (*ut_pred)(const cJSON *m, const void *arg);

/* The first message (pending, then new) that pred accepts; the others are
 * kept pending. */
static cJSON *ut_wait(ut_session *s, ut_pred pred, const void *arg)
{
    for (cJSON *m = s->pending->child; m; m = m->next)
        if (pred(m, arg))
            return cJSON_DetachItemViaPointer(s->pending, m);
    for (;;) {
        cJSON *m = ut_read(s);
        ck_assert_msg(m != NULL, "the server's output ended");
        if (pred(m, arg))
            return m;
        cJSON_AddItemToArray(s->pending, m);
    }
}

static bool ut_is_response(const cJSON *m, const void *arg)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
    return !cJSON_GetObjectItemCaseSensitive(m, "method") && cJSON_IsNumber(id) &&
           id->valueint == *(const int *)arg;
}

static bool ut_is_null_id_error(const cJSON *m, const void *arg)
{
    (void)arg;
    return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(m, "id")) &&
           cJSON_GetObjectItemCaseSensitive(m, "error");
}

static bool ut_is_method(const cJSON *m, const void *arg)
{
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(m, "method");
    return cJSON_IsString(method) && strcmp(method->valuestring, arg) == 0;
}

static bool ut_is_publish(const cJSON *m, const void *uri)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(m, "params");
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(p, "uri");
    return ut_is_method(m, "textDocument/publishDiagnostics") && cJSON_IsString(u) &&
           strcmp(u->valuestring, uri) == 0;
}

/* The response to request `id`. */
static cJSON *ut_response(ut_session *s, int id) { return ut_wait(s, ut_is_response, &id); }

/* The result of request `id` (the response must have one), detached. */
static cJSON *ut_result(ut_session *s, int id)
{
    cJSON *r = ut_response(s, id);
    cJSON *res = cJSON_DetachItemFromObjectCaseSensitive(r, "result");
    ck_assert_msg(res != NULL, "no result: %s", cJSON_PrintUnformatted(r));
    cJSON_Delete(r);
    return res;
}

/* Asserts that request `id` failed with code and message. */
static void ut_expect_error(ut_session *s, int id, int code, const char *message)
{
    cJSON *r = ut_response(s, id);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    ck_assert_msg(e != NULL, "no error: %s", cJSON_PrintUnformatted(r));
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(e, "code")->valueint, code);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "message")->valuestring, message);
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(r, "result"));
    cJSON_Delete(r);
}

/* Asserts that the next error without an id has code and message. */
static void ut_expect_null_id_error(ut_session *s, int code, const char *message)
{
    cJSON *r = ut_wait(s, ut_is_null_id_error, NULL);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(e, "code")->valueint, code);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "message")->valuestring, message);
    cJSON_Delete(r);
}

/* Asserts the next window/logMessage says `message` (an error, type 1). */
static void ut_expect_log(ut_session *s, const char *message)
{
    cJSON *r = ut_wait(s, ut_is_method, "window/logMessage");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "params");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(p, "type")->valueint, 1);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(p, "message")->valuestring, message);
    cJSON_Delete(r);
}

/* The diagnostics published next for uri (the params' array, detached);
 * *version gets the version published (-1: none). */
static cJSON *ut_diagnostics(ut_session *s, const char *uri, int *version)
{
    cJSON *m = ut_wait(s, ut_is_publish, uri);
    cJSON *p = cJSON_GetObjectItemCaseSensitive(m, "params");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, "version");
    if (version)
        *version = cJSON_IsNumber(v) ? v->valueint : -1;
    cJSON *d = cJSON_DetachItemFromObjectCaseSensitive(p, "diagnostics");
    cJSON_Delete(m);
    return d;
}

static void ut_sync(ut_session *s);

/* Moves the clock by ms, once every message sent was handled (at the time
 * before), and wakes the server (a notification it ignores), so that what
 * is due now is published. */
static void ut_advance(ut_session *s, uint64_t ms)
{
    ut_sync(s);
    atomic_fetch_add(&s->now, ms);
    ut_notify(s, "$/wake", "{}");
}

/* A round trip: when its answer is here, every message sent before it was
 * handled (and nothing was due that is not published by now). */
static void ut_sync(ut_session *s)
{
    int id = ut_request(s, "pathway/sync", "{}");
    ut_expect_error(s, id, LS_METHOD_NOT_FOUND, "unknown method pathway/sync");
}

static void ut_initialize(ut_session *s)
{
    cJSON *r = ut_result(s, ut_request(s, "initialize", "{'capabilities':{}}"));
    ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(r, "capabilities"));
    cJSON_Delete(r);
    ut_notify(s, "initialized", "{}");
}

/* Whether any pending message satisfies pred. */
static bool ut_pending(const ut_session *s, ut_pred pred, const void *arg)
{
    for (const cJSON *m = s->pending->child; m; m = m->next)
        if (pred(m, arg))
            return true;
    return false;
}

/* Closes the input and returns the server's exit status (its output must
 * hold nothing more than `left` unread messages, which are dropped). */
static int ut_finish(ut_session *s)
{
    close(s->to_server);
    cJSON *m;
    while ((m = ut_read(s)))
        cJSON_AddItemToArray(s->pending, m);
    pthread_join(s->thread, NULL);
    close(s->in_fd);
    close(s->from_server);
    free(s->buf);
    cJSON_Delete(s->pending);
    return s->status;
}

/* Ends the session as the protocol asks: shutdown, exit; status 0. */
static void ut_stop(ut_session *s)
{
    cJSON *r = ut_result(s, ut_request(s, "shutdown", NULL));
    ck_assert(cJSON_IsNull(r));
    cJSON_Delete(r);
    ut_notify(s, "exit", NULL);
    ck_assert_int_eq(ut_finish(s), 0);
}

#endif
