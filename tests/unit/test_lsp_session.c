/* The language server through whole sessions (src/lsp/server.c and the
 * features behind it): the lifecycle, every malformed message and bad
 * parameter with the exact error the Language Server Protocol 3.17 asks
 * for, the documents' synchronisation (ranged changes in UTF-16), the
 * debounce on a clock the test sets (lsp_session.h), and each request on
 * the declarations that reach its every case. */
/* realpath is an XSI interface; the build asks only for POSIX. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "lsp_session.h"
#include "tmpdir.h"

/* ---- fixtures ----------------------------------------------------------------- */

static char dir[256];

static void write_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* The file: URI of a file in the test's directory (static buffers, two). */
static const char *uri_of(const char *name)
{
    static char bufs[2][600];
    static int k;
    char *b = bufs[k++ & 1];
    snprintf(b, sizeof bufs[0], "file://%s/%s", dir, name);
    return b;
}

static const char SBASE[] = "known colours = [\"red\", \"blue\"]\n"
                            "facts person {\n"
                            "  age: integer\n"
                            "  colour: text in colours\n"
                            "}\n";

static const char SYM[] = "include \"sbase.pw\"\n"
                          "extend known colours with [\"green\"]\n"
                          "source rule = \"Adults only.\"\n"
                          "extend facts person { height: integer = 0 }\n"
                          "define adult: boolean = age >= 18\n"
                          "requirements grown citing rule {\n"
                          "  require \"adult\": adult\n"
                          "  prefer \"likes red\": colour = \"red\"\n"
                          "  advise \"tall\": height > 180\n"
                          "}\n"
                          "program p \"P\" {\n"
                          "  require grown\n"
                          "  require \"cited\": adult citing \"The book.\"\n"
                          "}\n"
                          "record tag {\n"
                          "  label: text\n"
                          "}\n"
                          "example kid = { age: 10, colour: \"red\" }\n"
                          "test \"kid\" {\n"
                          "  as of 2026-01-01\n"
                          "  given kid\n"
                          "  expect p not eligible\n"
                          "}\n"
                          "known sizes = [\"s\"]\n";

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/pw-lsp-session-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *real = realpath(dir, NULL); /* the server names files by realpath */
    snprintf(dir, sizeof dir, "%s", real);
    free(real);
    write_file("sbase.pw", SBASE);
    write_file("sym.pw", SYM);
}

static void teardown(void) { ut_tmpdir_remove(dir); }

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- the lifecycle ------------------------------------------------------------ */

START_TEST(lifecycle)
{
    ut_session s;
    ut_start(&s);
    /* Before initialize: requests fail with ServerNotInitialized, and
     * notifications are dropped (the document is not opened). */
    ut_expect_error(&s, ut_request(&s, "shutdown", NULL), LS_SERVER_NOT_INITIALIZED,
                    "the server is not initialized");
    ut_open(&s, uri_of("sym.pw"), 1, SYM);
    cJSON *r = ut_result(&s, ut_request(&s, "initialize", "{'processId':null,'capabilities':{}}"));
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(r, "capabilities");
    const cJSON *sync = cJSON_GetObjectItemCaseSensitive(caps, "textDocumentSync");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(sync, "change")->valueint, 1);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sync, "openClose")));
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(caps, "hoverProvider")));
    ck_assert_str_eq(str(cJSON_GetObjectItemCaseSensitive(r, "serverInfo"), "name"), "pathway");
    cJSON_Delete(r);
    char want[700];
    snprintf(want, sizeof want, "%s is not open", uri_of("sym.pw"));
    char params[700];
    snprintf(params, sizeof params, "{'textDocument':{'uri':'%s'}}", uri_of("sym.pw"));
    ut_expect_error(&s, ut_request(&s, "textDocument/documentSymbol", params), LS_INVALID_PARAMS, want);
    /* A second initialize is an invalid request. */
    ut_expect_error(&s, ut_request(&s, "initialize", "{'capabilities':{}}"), LS_INVALID_REQUEST,
                    "initialize was already received");
    r = ut_result(&s, ut_request(&s, "shutdown", NULL));
    ck_assert(cJSON_IsNull(r));
    cJSON_Delete(r);
    /* After shutdown: requests are invalid, notifications dropped. */
    ut_expect_error(&s, ut_request(&s, "textDocument/documentSymbol", params), LS_INVALID_REQUEST,
                    "the server was shut down");
    ut_notify(&s, "textDocument/didOpen", "{}"); /* no log message: dropped unread */
    ut_expect_error(&s, ut_request(&s, "shutdown", NULL), LS_INVALID_REQUEST, "the server was shut down");
    ck_assert(!ut_pending(&s, ut_is_method, "window/logMessage"));
    ut_notify(&s, "exit", NULL);
    ck_assert_int_eq(ut_finish(&s), 0);
}
END_TEST

/* Options left out: the defaults; the session still runs. */
START_TEST(no_options)
{
    static const char in[] =
        "Content-Length: 58\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"
        "Content-Length: 44\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}"
        "Content-Length: 33\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}";
    int a[2], b[2];
    ck_assert_int_eq(pipe(a), 0);
    ck_assert_int_eq(pipe(b), 0);
    ck_assert_int_eq(write(a[1], in, sizeof in - 1), (ssize_t)(sizeof in - 1));
    close(a[1]);
    ck_assert_int_eq(ls_serve(a[0], b[1], NULL), 0);
    close(b[1]);
    char out[4096];
    ssize_t n = read(b[0], out, sizeof out - 1);
    ck_assert_int_gt(n, 0);
    out[n] = '\0';
    ck_assert_ptr_nonnull(strstr(out, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":null}"));
    close(a[0]);
    close(b[0]);
}
END_TEST

/* The client went away: the answer cannot be written, status 2. */
START_TEST(write_fails)
{
    static const char in[] =
        "Content-Length: 58\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}";
    int a[2], b[2];
    ck_assert_int_eq(pipe(a), 0);
    ck_assert_int_eq(pipe(b), 0);
    ck_assert_int_eq(write(a[1], in, sizeof in - 1), (ssize_t)(sizeof in - 1));
    close(b[0]);
    signal(SIGPIPE, SIG_IGN);
    ls_options o = {.debounce_ms = 1};
    ck_assert_int_eq(ls_serve(a[0], b[1], &o), 2);
    close(a[0]);
    close(a[1]);
    close(b[1]);
}
END_TEST

/* ---- malformed messages -------------------------------------------------------- */

START_TEST(malformed)
{
    ut_session s;
    ut_start_opts(&s, 4096);
    ut_initialize(&s);
    /* Bytes after the JSON value: not a message (Parse error, no id). */
    ut_body(&s, "{\"jsonrpc\":\"2.0\",\"id\":90,\"method\":\"x\"} junk");
    ut_expect_null_id_error(&s, LS_PARSE_ERROR, "the message is not JSON");
    /* Texts cJSON refuses: each a parse error, never taken for memory
     * running out (the server's own syntax check must refuse them too, or
     * it would stop with status 2). */
    static const char *const bad[] = {
        "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}",
        "{\"a\":\"\\ud800x\"}", "{\"a\" 1}", "[1 2]", "[1,]", "{\"a\":1,}", "tru", "\"abc",
        "{\"a\":-}", "{\"a\":1e}", "{1:2}", "{\"a\"", "[", "", "{\"a\":\"\\", "{\"a\":[1}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ut_body(&s, bad[i]);
        ut_expect_null_id_error(&s, LS_PARSE_ERROR, "the message is not JSON");
    }
    char deep[2100];
    memset(deep, '[', 1001);
    memset(deep + 1001, ']', 1001);
    deep[2002] = '\0';
    ut_body(&s, deep);
    ut_expect_null_id_error(&s, LS_PARSE_ERROR, "the message is not JSON");
    /* Blanks after it are fine. */
    ut_body(&s, "{\"jsonrpc\":\"2.0\",\"id\":91,\"method\":\"x\"} \t\r\n");
    int id = 91;
    cJSON *r = ut_response(&s, id);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "error"), "code")->valueint,
                     LS_METHOD_NOT_FOUND);
    cJSON_Delete(r);
    /* An id that is neither a number nor a string. */
    cJSON *m = ut_json("{'jsonrpc':'2.0','id':true,'method':'shutdown'}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    ut_expect_null_id_error(&s, LS_INVALID_REQUEST, "a message must be an object with a number or string id");
    /* A string id is echoed as a string. */
    m = ut_json("{'jsonrpc':'2.0','id':'abc','method':'pathway/none'}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    r = ut_read(&s);
    ck_assert_str_eq(str(r, "id"), "abc");
    cJSON_Delete(r);
    /* A response to the server (it sends no request): nothing answers it. */
    m = ut_json("{'jsonrpc':'2.0','id':5,'result':null}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    m = ut_json("{'jsonrpc':'2.0','id':5,'error':{'code':1,'message':'no'}}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    /* Neither a method nor a result nor an error. */
    m = ut_json("{'jsonrpc':'2.0','id':6}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    id = 6;
    ut_expect_error(&s, id, LS_INVALID_REQUEST, "a message needs a method, a result or an error");
    m = ut_json("{'jsonrpc':'2.0','id':7,'method':7}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    ut_expect_error(&s, 7, LS_INVALID_REQUEST, "method must be a string");
    /* Params neither object nor array: a request is told, a notification
     * dropped. */
    m = ut_json("{'jsonrpc':'2.0','method':'textDocument/didOpen','params':3}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    m = ut_json("{'jsonrpc':'2.0','id':8,'method':'textDocument/hover','params':3}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    ut_expect_error(&s, 8, LS_INVALID_PARAMS, "params must be an object or an array");
    /* null params are absent ones; an array has no textDocument. */
    m = ut_json("{'jsonrpc':'2.0','id':9,'method':'textDocument/hover','params':null}");
    ut_send_json(&s, m);
    cJSON_Delete(m);
    ut_expect_error(&s, 9, LS_INVALID_PARAMS, "params.textDocument.uri: a string is required");
    ut_expect_error(&s, ut_request(&s, "textDocument/hover", "[1]"), LS_INVALID_PARAMS,
                    "params.textDocument.uri: a string is required");
    /* Framing: a header without Content-Length; a body past max_message,
     * refused and skipped whole. */
    ut_raw(&s, "Content-Type: x\r\n\r\n", 19);
    ut_expect_null_id_error(&s, LS_PARSE_ERROR, "a message header without a valid Content-Length");
    char big[5000];
    memset(big, ' ', sizeof big);
    memcpy(big, "{\"id\":1}", 8);
    ut_raw(&s, "Content-Length: 5000\r\n\r\n", 24);
    ut_raw(&s, big, sizeof big);
    ut_expect_null_id_error(&s, LS_REQUEST_FAILED, "the message is larger than the server accepts");
    ut_sync(&s);
    ck_assert_int_eq(cJSON_GetArraySize(s.pending), 0);
    ut_stop(&s);
}
END_TEST

/* ---- documents ------------------------------------------------------------------ */

/* The detail of the outline's symbol `name` (the source's text for a source). */
static char *symbol_detail(ut_session *s, const char *uri, const char *name)
{
    char params[700];
    snprintf(params, sizeof params, "{'textDocument':{'uri':'%s'}}", uri);
    cJSON *r = ut_result(s, ut_request(s, "textDocument/documentSymbol", params));
    char *got = NULL;
    const cJSON *sym;
    cJSON_ArrayForEach(sym, r) if (str(sym, "name") && strcmp(str(sym, "name"), name) == 0) got =
        strdup(str(sym, "detail"));
    cJSON_Delete(r);
    ck_assert_msg(got != NULL, "no symbol %s", name);
    return got;
}

static void expect_detail(ut_session *s, const char *uri, const char *name, const char *want)
{
    char *got = symbol_detail(s, uri, name);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(documents)
{
    ut_session s;
    ut_start(&s);
    ut_initialize(&s);
    const char *u = uri_of("new.pw");
    char uri[600];
    snprintf(uri, sizeof uri, "%s", u);
    char m[1200];

    ut_notify(&s, "textDocument/didOpen", "{'textDocument':{'text':''}}");
    ut_expect_log(&s, "textDocument/didOpen: params.textDocument.uri: a string is required");
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'}}", uri);
    ut_notify(&s, "textDocument/didOpen", m);
    ut_expect_log(&s, "textDocument/didOpen: params.textDocument.text: a string is required");
    char want[800];
    snprintf(want, sizeof want, "textDocument/didChange: %s is not open", uri);
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'},'contentChanges':[{'text':''}]}", uri);
    ut_notify(&s, "textDocument/didChange", m);
    ut_expect_log(&s, want);
    snprintf(want, sizeof want, "textDocument/didClose: %s is not open", uri);
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'}}", uri);
    ut_notify(&s, "textDocument/didClose", m);
    ut_expect_log(&s, want);
    ut_notify(&s, "textDocument/didClose", "{}");
    ut_expect_log(&s, "textDocument/didClose: params.textDocument.uri: a string is required");
    snprintf(want, sizeof want, "textDocument/didSave: %s is not open", uri);
    ut_notify(&s, "textDocument/didSave", m);
    ut_expect_log(&s, want);

    /* A file never saved, its text with a 4-byte character: "😀" is two
     * UTF-16 code units, characters 12 and 13. */
    ut_open(&s, uri, 1, "source s = \"\xf0\x9f\x98\x80" "ab\"\n");
    expect_detail(&s, uri, "s", "\xf0\x9f\x98\x80" "ab");
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s','version':2},'contentChanges':["
                          "{'range':{'start':{'line':0,'character':14},'end':{'line':0,'character':15}},"
                          "'text':'Z'}]}", uri);
    ut_notify(&s, "textDocument/didChange", m);
    expect_detail(&s, uri, "s", "\xf0\x9f\x98\x80" "Zb");
    /* An end before the start: an insertion at the start. */
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'},'contentChanges':["
                          "{'range':{'start':{'line':0,'character':15},'end':{'line':0,'character':14}},"
                          "'text':'Y'}]}", uri);
    ut_notify(&s, "textDocument/didChange", m);
    expect_detail(&s, uri, "s", "\xf0\x9f\x98\x80" "ZYb");
    /* Bad changes: logged, the text as it was. */
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'}}", uri);
    ut_notify(&s, "textDocument/didChange", m);
    ut_expect_log(&s, "textDocument/didChange: params.contentChanges: an array is required");
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'},'contentChanges':[{'range':{}}]}", uri);
    ut_notify(&s, "textDocument/didChange", m);
    ut_expect_log(&s, "textDocument/didChange: contentChanges[].text: a string is required");
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'},'contentChanges':[{'range':{'start':{}},'text':'Q'}]}",
             uri);
    ut_notify(&s, "textDocument/didChange", m);
    ut_expect_log(&s, "textDocument/didChange: contentChanges[].range: a range is required");
    snprintf(m, sizeof m,
             "{'textDocument':{'uri':'%s'},'contentChanges':[{'range':{'start':{'line':0,'character':0},"
             "'end':{'line':0}},'text':'Q'}]}",
             uri);
    ut_notify(&s, "textDocument/didChange", m);
    ut_expect_log(&s, "textDocument/didChange: contentChanges[].range: a range is required");
    /* No change at all: nothing to do, nothing said. */
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'},'contentChanges':[]}", uri);
    ut_notify(&s, "textDocument/didChange", m);
    expect_detail(&s, uri, "s", "\xf0\x9f\x98\x80" "ZYb");
    ck_assert(!ut_pending(&s, ut_is_method, "window/logMessage"));

    /* Published at the version of the last change that gave one (2); the
     * file does not exist: its text alone is checked. */
    ut_advance(&s, UT_DEBOUNCE);
    int version;
    cJSON *d = ut_diagnostics(&s, uri, &version);
    ck_assert_int_eq(version, 2);
    ck_assert_int_eq(cJSON_GetArraySize(d), 1);
    ck_assert_str_eq(str(cJSON_GetArrayItem(d, 0), "message"),
                     "no `facts` declaration: a rule set must declare the record it evaluates, e.g. "
                     "`facts coach { birth_date: date }`");
    cJSON_Delete(d);

    /* Opened without a version: version 0. */
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s','text':''}}", uri_of("nover.pw"));
    ut_notify(&s, "textDocument/didOpen", m);
    ut_advance(&s, UT_DEBOUNCE);
    cJSON_Delete(ut_diagnostics(&s, uri_of("nover.pw"), &version));
    ck_assert_int_eq(version, 0);
    /* Opened again: the new text and version replace the old. */
    ut_open(&s, uri, 7, "source s = \"again\"\n");
    expect_detail(&s, uri, "s", "again");
    /* Many documents (the table grows). */
    for (int i = 0; i < 10; i++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "doc%d.pw", i);
        snprintf(text, sizeof text, "source s%d = \"t%d\"\n", i, i);
        ut_open(&s, uri_of(name), 1, text);
    }
    expect_detail(&s, uri_of("doc9.pw"), "s9", "t9");
    ut_advance(&s, UT_DEBOUNCE);
    d = ut_diagnostics(&s, uri, &version);
    ck_assert_int_eq(version, 7);
    cJSON_Delete(d);
    for (int i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof name, "doc%d.pw", i);
        cJSON_Delete(ut_diagnostics(&s, uri_of(name), NULL));
    }
    /* Closed: its diagnostics cleared, without a version. */
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'}}", uri);
    ut_notify(&s, "textDocument/didClose", m);
    d = ut_diagnostics(&s, uri, &version);
    ck_assert_int_eq(version, -1);
    ck_assert_int_eq(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    ut_stop(&s);
}
END_TEST

/* ---- the debounce --------------------------------------------------------------- */

START_TEST(debounce)
{
    ut_session s;
    ut_start(&s);
    ut_initialize(&s);
    char a[600], b[600];
    snprintf(a, sizeof a, "%s", uri_of("a.pw"));
    snprintf(b, sizeof b, "%s", uri_of("b.pw"));
    ut_open(&s, a, 1, "facts f { a: integer }\ndefine x: integer = y\n");
    ut_sync(&s);
    ut_advance(&s, UT_DEBOUNCE / 2);
    ut_open(&s, b, 1, "facts f { a: integer }\ndefine z: integer = 1\n");
    ut_sync(&s);
    ck_assert(!ut_pending(&s, ut_is_publish, a));
    /* a is due, b not yet. */
    ut_advance(&s, UT_DEBOUNCE / 2);
    int version;
    cJSON *d = ut_diagnostics(&s, a, &version);
    ck_assert_int_eq(version, 1);
    ck_assert_int_eq(cJSON_GetArraySize(d), 1);
    ck_assert_str_eq(str(cJSON_GetArrayItem(d, 0), "code"), "E0402");
    cJSON_Delete(d);
    ut_sync(&s);
    ck_assert(!ut_pending(&s, ut_is_publish, b));
    ut_advance(&s, UT_DEBOUNCE / 2);
    cJSON_Delete(ut_diagnostics(&s, b, &version));
    ut_sync(&s);
    ck_assert(!ut_pending(&s, ut_is_publish, a)); /* clean since: not checked again */

    /* A burst: checked once, at its last version. */
    ut_change(&s, a, 2, "facts f { a: integer }\ndefine x: integer = 1\n");
    ut_change(&s, a, 3, "facts f { a: integer }\ndefine x: integer = yy\n");
    ut_change(&s, a, 4, "facts f { a: integer }\ndefine x: integer = 2\n");
    ut_advance(&s, UT_DEBOUNCE);
    d = ut_diagnostics(&s, a, &version);
    ck_assert_int_eq(version, 4);
    ck_assert_int_eq(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    ut_sync(&s);
    ck_assert(!ut_pending(&s, ut_is_publish, a));

    ut_stop(&s);
}
END_TEST

/* A clock that moves a second each time it is read: every change is due
 * at once. */
static uint64_t fast_clock(void *user)
{
    uint64_t *t = user;
    return *t += 1000;
}

/* Due while a message is already read behind the change: the message is
 * handled first (a burst is taken whole), then the check; so the answer
 * comes before the diagnostics. */
START_TEST(due_behind_buffered)
{
    char in[2048] = "";
    const char *msgs[] = {
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}",
        ("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
         "{\"uri\":\"untitled:1\",\"version\":3,\"text\":\"\"}}}"),
        "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"pathway/x\"}"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(in);
        snprintf(in + n, sizeof in - n, "Content-Length: %zu\r\n\r\n%s", strlen(msgs[i]), msgs[i]);
    }
    int a[2], b[2];
    ck_assert_int_eq(pipe(a), 0);
    ck_assert_int_eq(pipe(b), 0);
    ck_assert_int_eq(write(a[1], in, strlen(in)), (ssize_t)strlen(in));
    close(a[1]);
    uint64_t t = 0;
    ls_options o = {.debounce_ms = 200, .clock_ms = fast_clock, .clock_user = &t};
    ck_assert_int_eq(ls_serve(a[0], b[1], &o), 1); /* the input ended without exit */
    close(b[1]);
    char out[4096];
    ssize_t n = read(b[0], out, sizeof out - 1);
    ck_assert_int_gt(n, 0);
    out[n] = '\0';
    const char *answer = strstr(out, "\"id\":77");
    const char *diags = strstr(out, "publishDiagnostics");
    ck_assert_ptr_nonnull(answer);
    ck_assert_ptr_nonnull(diags);
    ck_assert(answer < diags);
    ck_assert_ptr_nonnull(strstr(diags, "\"uri\":\"untitled:1\",\"version\":3,\"diagnostics\":[]"));
    close(a[0]);
    close(b[0]);
}
END_TEST

/* ---- diagnostics ----------------------------------------------------------------- */

START_TEST(diagnostics_elsewhere)
{
    write_file("bad.pw", "facts f {\n  a: integer\n}\ndefine broken: integer = nope\n");
    ut_session s;
    ut_start(&s);
    ut_initialize(&s);
    /* An error in an include: shown at the top, named by its place. */
    char u[600];
    snprintf(u, sizeof u, "%s", uri_of("inc.pw"));
    ut_open(&s, u, 1, "include \"bad.pw\"\ndefine ok: integer = a\n");
    /* Not a local file: nothing to check it against. */
    ut_open(&s, "untitled:Untitled-1", 1, "define x: integer = y\n");
    ut_advance(&s, UT_DEBOUNCE);
    cJSON *d = ut_diagnostics(&s, u, NULL);
    ck_assert_int_ge(cJSON_GetArraySize(d), 1);
    const cJSON *first = cJSON_GetArrayItem(d, 0);
    char want[700];
    snprintf(want, sizeof want, "%s/bad.pw:4:26: ", dir);
    ck_assert_msg(strncmp(str(first, "message"), want, strlen(want)) == 0, "%s", str(first, "message"));
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(first, "range"), "start");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(start, "line")->valueint, 0);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(start, "character")->valueint, 0);
    cJSON_Delete(d);
    d = ut_diagnostics(&s, "untitled:Untitled-1", NULL);
    ck_assert_int_eq(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    ut_stop(&s);
}
END_TEST

/* ---- the outline ------------------------------------------------------------------ */

static void outline(const cJSON *syms, char *out, size_t size)
{
    const cJSON *sym;
    cJSON_ArrayForEach(sym, syms)
    {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s|%s|%d", str(sym, "name"), str(sym, "detail") ? str(sym, "detail") : "",
                 cJSON_GetObjectItemCaseSensitive(sym, "kind")->valueint);
        const cJSON *kids = cJSON_GetObjectItemCaseSensitive(sym, "children");
        if (kids) {
            strncat(out, "[", size - strlen(out) - 1);
            outline(kids, out, size);
            strncat(out, "]", size - strlen(out) - 1);
        }
        strncat(out, ";", size - strlen(out) - 1);
    }
}

START_TEST(outline_every_kind)
{
    ut_session s;
    ut_start(&s);
    ut_initialize(&s);
    char u[600];
    snprintf(u, sizeof u, "%s", uri_of("sym.pw"));
    ut_open(&s, u, 1, SYM);
    char params[700];
    snprintf(params, sizeof params, "{'textDocument':{'uri':'%s'}}", u);
    cJSON *r = ut_result(&s, ut_request(&s, "textDocument/documentSymbol", params));
    char got[2000] = "";
    outline(r, got, sizeof got);
    cJSON_Delete(r);
    ck_assert_str_eq(got, "sbase.pw|include|1;colours|extend|23;rule|Adults only.|15;"
                          "person|extend|23[height||8;];adult|define|14;"
                          "grown|requirements|3[adult|require|20;likes red|prefer|20;tall|advise|20;];"
                          "p|P|2[grown|require (block)|3;cited|The book.|20;];tag|record|23[label||8;];kid|example|19;"
                          "kid|test|24;sizes|known|10;");
    /* A requirement with an empty label: "(unnamed)". */
    ut_change(&s, u, 2, "program p \"P\" {\n  require \"\": 1 = 1\n}\n");
    r = ut_result(&s, ut_request(&s, "textDocument/documentSymbol", params));
    got[0] = '\0';
    outline(r, got, sizeof got);
    ck_assert_str_eq(got, "p|P|2[(unnamed)|require|20;];");
    cJSON_Delete(r);
    ut_stop(&s);
}
END_TEST


/* ---- navigation -------------------------------------------------------------------- */

static const char NAV[] =
    "include \"sbase.pw\"\n"
    "extend facts person { height: integer = 0 }\n"
    "source rule = \"Adults only.\"\n"
    "known sizes = [\"s\", \"m\"]\n"
    "define adult: boolean = age >= 18\n"
    "define sized(z: text in sizes, w: integer): boolean = z = \"s\" and w > 0\n"
    "define both(w: integer, t: text, z: text in sizes): boolean = w > 0 and t = z\n"
    "define tall: boolean = height > 180 and sized(\"m\", 1) and both((1 + 2), \"a,(b\", \"s\")\n"
    "define esc: boolean = colour = \"x\\\"y\" or colour != \"red\" or colour in [\"red\", \"blue\"] or colour in[\"red\"]\n"
    "define lst: boolean = \"s\" in [\"s\", \"m\"] and colour = \"q\"\n"
    "requirements grown citing rule {\n"
    "  require \"adult\": adult\n"
    "  prefer \"likes red\": colour = \"red\"\n"
    "}\n"
    "program p \"P\" {\n"
    "  require grown\n"
    "  require \"tall\": tall citing rule\n"
    "}\n"
    "example kid = { age: 10, colour: \"red\" }\n"
    "example kid2 = kid with { age: 11 }\n"
    "test \"kid\" {\n"
    "  as of 2026-01-01\n"
    "  given kid with { height: 100, colour: \"blue\" }\n"
    "  expect p not eligible unmet \"adult\"\n"
    "  expect adult = false\n"
    "}\n"
    "program v \"V\" effective until 2026-12-31 {\n"
    "  hours 6\n"
    "  require \"a\": adult\n"
    "}\n"
    "program v \"V\" effective from 2027-01-01 amends the previous version {\n"
    "  drop \"a\"\n"
    "  advise \"b\": tall\n"
    "}\n"
    "define long: boolean =\n"
    "  age > 1\n"
    "  and age > 2\n"
    "  and age > 3\n"
    "  and age > 4\n"
    "  and age > 5\n"
    "  and age > 6\n"
    "  and age > 7\n"
    "  and age > 8\n"
    "  and age > 9\n";

/* params for a request at the position `after` bytes into the first
 * occurrence of needle in NAV (ASCII: bytes are UTF-16 units), with `extra`
 * JSON members (with ') appended. */
static char *at(const char *uri, const char *needle, int after, const char *extra)
{
    const char *p = strstr(NAV, needle);
    ck_assert_msg(p != NULL, "%s not in NAV", needle);
    p += after;
    int line = 0;
    const char *bol = NAV;
    for (const char *q = NAV; q < p; q++)
        if (*q == '\n') {
            line++;
            bol = q + 1;
        }
    static char buf[1200];
    snprintf(buf, sizeof buf, "{'textDocument':{'uri':'%s'},'position':{'line':%d,'character':%d}%s%s}", uri,
             line, (int)(p - bol), extra ? "," : "", extra ? extra : "");
    return buf;
}

/* The labels of a completion result, joined with spaces. */
static void labels(const cJSON *items, char *out, size_t size)
{
    out[0] = '\0';
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", n ? " " : "", str(it, "label"));
    }
}

static void expect_completion(ut_session *s, const char *uri, const char *needle, int after, const char *want)
{
    cJSON *r = ut_result(s, ut_request(s, "textDocument/completion", at(uri, needle, after, NULL)));
    char got[4096];
    labels(r, got, sizeof got);
    ck_assert_msg(strcmp(got, want) == 0, "completion at %s+%d: got `%s`, want `%s`", needle, after, got, want);
    cJSON_Delete(r);
}

/* The hover text at a place. */
static char *hover(ut_session *s, const char *uri, const char *needle, int after)
{
    cJSON *r = ut_result(s, ut_request(s, "textDocument/hover", at(uri, needle, after, NULL)));
    char *v = NULL;
    if (!cJSON_IsNull(r))
        v = strdup(str(cJSON_GetObjectItemCaseSensitive(r, "contents"), "value"));
    cJSON_Delete(r);
    return v;
}

START_TEST(navigation)
{
    write_file("nav.pw", NAV);
    ut_session s;
    ut_start(&s);
    ut_initialize(&s);
    char u[600];
    snprintf(u, sizeof u, "%s", uri_of("nav.pw"));
    ut_open(&s, u, 1, NAV);

    /* Bad params: the exact errors. */
    char p[800];
    snprintf(p, sizeof p, "{'textDocument':{'uri':'%s'}}", u);
    ut_expect_error(&s, ut_request(&s, "textDocument/hover", p), LS_INVALID_PARAMS,
                    "params.position: a position is required");
    ut_expect_error(&s, ut_request(&s, "textDocument/codeAction", p), LS_INVALID_PARAMS,
                    "params.context.diagnostics: an array is required");
    char want[800];
    snprintf(want, sizeof want, "%s is not open", uri_of("none.pw"));
    ut_expect_error(&s, ut_request(&s, "textDocument/completion", at(uri_of("none.pw"), "adult", 0, NULL)),
                    LS_INVALID_PARAMS, want);
    ut_expect_error(&s,
                    ut_request(&s, "textDocument/codeAction",
                               "{'textDocument':{'uri':'file:///none.pw'},'context':{'diagnostics':[]}}"),
                    LS_INVALID_PARAMS, "file:///none.pw is not open");
    ut_expect_error(&s, ut_request(&s, "textDocument/hover",
                                   "{'textDocument':{'uri':'file:///none.pw'},"
                                   "'position':{'line':-1,'character':0}}"),
                    LS_INVALID_PARAMS, "file:///none.pw is not open");

    /* A field added by `extend`, hovered where it is used. */
    char *h = hover(&s, u, "height > 180", 0);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "height: integer = 0"));
    free(h);
    /* An example, where a test gives it. */
    h = hover(&s, u, "given kid", 7);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "example kid"));
    free(h);
    /* A requirement of a block, named in a test's unmet list. */
    h = hover(&s, u, "unmet \"adult\"", 8);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "\"adult\""));
    free(h);
    /* A definition a test expects a value of. */
    h = hover(&s, u, "expect adult", 8);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "define adult"));
    free(h);
    /* A position past the end of its line and of the text: nothing. */
    snprintf(p, sizeof p, "{'textDocument':{'uri':'%s'},'position':{'line':999,'character':999}}", u);
    cJSON *r = ut_result(&s, ut_request(&s, "textDocument/hover", p));
    ck_assert(cJSON_IsNull(r));
    cJSON_Delete(r);

    /* An example another is made from. */
    h = hover(&s, u, "= kid with", 3);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "example kid = {"));
    free(h);
    /* A long declaration: its first lines, then "...". */
    h = hover(&s, u, "define long", 8);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "and age > 7\n...\n```\n"));
    ck_assert_ptr_null(strstr(h, "age > 8"));
    free(h);
    /* A program's later version is a use of the program; the amending
     * version's inherited attributes are not listed again. */
    h = hover(&s, u, "program v \"V\" effective from", 8);
    ck_assert_ptr_nonnull(h);
    ck_assert_str_eq(h, "**V** (program `v`)\n\n- hours 6\n");
    free(h);
    r = ut_result(&s, ut_request(&s, "textDocument/references",
                                  at(u, "program v", 8, "'context':{'includeDeclaration':true}")));
    ck_assert_msg(cJSON_GetArraySize(r) == 2, "%s", cJSON_PrintUnformatted(r));
    cJSON_Delete(r);
    /* An advice's hover names its role. */
    h = hover(&s, u, "advise \"b", 8);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "**advise** \"b\" (in `v`)"));
    free(h);
    /* References without the declaration. */
    r = ut_result(&s, ut_request(&s, "textDocument/references",
                                  at(u, "define adult", 8, "'context':{'includeDeclaration':false}")));
    ck_assert_int_eq(cJSON_GetArraySize(r), 3); /* two requirements and the test */
    cJSON_Delete(r);
    r = ut_result(&s, ut_request(&s, "textDocument/references",
                                  at(u, "define adult", 8, "'context':{'includeDeclaration':true}")));
    ck_assert_int_eq(cJSON_GetArraySize(r), 4);
    cJSON_Delete(r);
    /* A block's use (`require grown`): the checker replaces it by the
     * block's requirements, so it was missing from the index (a bug: hover
     * and definition answered null). */
    h = hover(&s, u, "require grown", 9);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "requirements grown citing rule {"));
    free(h);
    /* Definition of a block's use. */
    r = ut_result(&s, ut_request(&s, "textDocument/definition", at(u, "require grown", 9, NULL)));
    const cJSON *start =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "range"), "start");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(start, "line")->valueint, 10);
    cJSON_Delete(r);

    /* Completion of values: after an escaped quote, after !=, in a list
     * after `in`, with and without a blank, and the arguments of calls. */
    expect_completion(&s, u, "\"x\\\"y", 4, "red blue");
    expect_completion(&s, u, "!= \"red", 4, "red blue");
    /* `NAME in [` with a blank before the bracket (a bug: the blank hid the
     * list, nothing was offered). */
    expect_completion(&s, u, "[\"red\", \"blue", 9, "red blue");
    expect_completion(&s, u, "in[\"red", 4, "red blue");
    expect_completion(&s, u, "sized(\"m", 7, "s m");
    expect_completion(&s, u, "\"a,(b\", \"s", 9, "s m");
    expect_completion(&s, u, "\"a,(b", 2, "");
    expect_completion(&s, u, "in [\"s\", \"m", 10, "");
    /* A list closed before the string: the comparison after it. */
    expect_completion(&s, u, "colour = \"q", 10, "red blue");
    /* A record literal's field. */
    expect_completion(&s, u, "colour: \"blue", 9, "red blue");
    /* Text that names nothing to complete (a buffer never saved, so no
     * index): a list not after `in`, a call of no known function, a
     * bracket with no name before it. */
    char probe[600];
    snprintf(probe, sizeof probe, "%s", uri_of("probe.pw"));
    ut_open(&s, probe, 1, "x = [\"\n f([1], \"\n (\"x\", \"\n");
    static const int lines[][2] = {{0, 6}, {1, 9}, {2, 9}};
    for (size_t i = 0; i < 3; i++) {
        char q[800];
        snprintf(q, sizeof q, "{'textDocument':{'uri':'%s'},'position':{'line':%d,'character':%d}}", probe,
                 lines[i][0], lines[i][1]);
        r = ut_result(&s, ut_request(&s, "textDocument/completion", q));
        ck_assert_int_eq(cJSON_GetArraySize(r), 0);
        cJSON_Delete(r);
    }
    /* A buffer whose include is missing: indexed unchecked (the checker
     * does not run), a requirement's citation found by the source's name. */
    char broken[600];
    snprintf(broken, sizeof broken, "%s", uri_of("broken.pw"));
    write_file("broken.pw", "");
    ut_open(&s, broken, 1,
            "include \"nosuch.pw\"\nsource rule = \"Adults only.\"\n"
            "program p \"P\" {\n  require \"grown\": age >= 18 citing rule\n}\nprogram {\n");
    char q[800];
    snprintf(q, sizeof q, "{'textDocument':{'uri':'%s'},'position':{'line':3,'character':12}}", broken);
    r = ut_result(&s, ut_request(&s, "textDocument/hover", q));
    ck_assert_msg(!cJSON_IsNull(r), "no hover on a requirement of a buffer with a missing include");
    ck_assert_ptr_nonnull(strstr(str(cJSON_GetObjectItemCaseSensitive(r, "contents"), "value"),
                                 "citing rule: \"Adults only.\""));
    cJSON_Delete(r);
    /* Code actions for diagnostics that give no place, or no usable code:
     * none. */
    char ca[1200];
    snprintf(ca, sizeof ca,
             "{'textDocument':{'uri':'%s'},'range':{'start':{'line':0,'character':0},'end':{'line':0,"
             "'character':0}},'context':{'diagnostics':[{'code':'PW101'},{'data':{'fix':'x'},'code':5},"
             "{'range':{'start':{'line':0,'character':0},'end':{'line':0,'character':1}},'code':'E0402'}]}}",
             u);
    r = ut_result(&s, ut_request(&s, "textDocument/codeAction", ca));
    ck_assert_int_eq(cJSON_GetArraySize(r), 0);
    cJSON_Delete(r);
    /* In a test, not after expect: programs and definitions. */
    expect_completion(&s, u, "  given kid", 0, "p v adult sized both tall esc lst long");
    ut_stop(&s);
}
END_TEST

/* Saved: the file's tests run; a failing one is a diagnostic on its
 * expectation, a passing one none; an edit drops them (they describe the
 * saved text). */
START_TEST(save_runs_tests)
{
    static const char T[] = "include \"sbase.pw\"\n"
                            "define adult: boolean = age >= 18\n"
                            "test \"passes\" {\n"
                            "  as of 2026-01-01\n"
                            "  given { age: 30, colour: \"red\" }\n"
                            "  expect adult = true\n"
                            "}\n"
                            "test \"fails\" {\n"
                            "  as of 2026-01-01\n"
                            "  given { age: 3, colour: \"red\" }\n"
                            "  expect adult = true\n"
                            "}\n";
    write_file("t.pw", T);
    ut_session s;
    ut_start(&s);
    ut_initialize(&s);
    char u[600], p[700];
    snprintf(u, sizeof u, "%s", uri_of("t.pw"));
    snprintf(p, sizeof p, "{'textDocument':{'uri':'%s'}}", u);
    ut_open(&s, u, 1, T);
    ut_advance(&s, UT_DEBOUNCE);
    cJSON *d = ut_diagnostics(&s, u, NULL);
    ck_assert_int_eq(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    ut_notify(&s, "textDocument/didSave", p);
    ut_advance(&s, UT_DEBOUNCE);
    d = ut_diagnostics(&s, u, NULL);
    ck_assert_int_eq(cJSON_GetArraySize(d), 1);
    const cJSON *t = cJSON_GetArrayItem(d, 0);
    ck_assert_str_eq(str(t, "code"), "test");
    ck_assert_str_eq(str(t, "source"), "pathway test");
    ck_assert_str_eq(str(t, "message"), "test \"fails\" failed:\nline 11: expected adult = true\n         got: false");
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t, "range"), "start");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(start, "line")->valueint, 10);
    cJSON_Delete(d);
    ut_change(&s, u, 2, T);
    ut_advance(&s, UT_DEBOUNCE);
    d = ut_diagnostics(&s, u, NULL);
    ck_assert_int_eq(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    /* A test whose facts break the record's bounds could not run: said on
     * the test's name. */
    static const char NEG[] = "facts person {\n"
                              "  age: integer >= 0\n"
                              "}\n"
                              "define adult: boolean = age >= 18\n"
                              "test \"neg\" {\n"
                              "  as of 2026-01-01\n"
                              "  given { age: -1 }\n"
                              "  expect adult = false\n"
                              "}";
    write_file("neg.pw", NEG);
    char nu[600], np[700];
    snprintf(nu, sizeof nu, "%s", uri_of("neg.pw"));
    snprintf(np, sizeof np, "{'textDocument':{'uri':'%s'}}", nu);
    ut_open(&s, nu, 1, NEG);
    ut_notify(&s, "textDocument/didSave", np);
    ut_advance(&s, UT_DEBOUNCE);
    d = ut_diagnostics(&s, nu, NULL);
    ck_assert_int_eq(cJSON_GetArraySize(d), 1);
    t = cJSON_GetArrayItem(d, 0);
    ck_assert_str_eq(str(t, "message"), "test \"neg\" could not run: `age`: -1 is below the minimum 0");
    start = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t, "range"), "start");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(start, "line")->valueint, 4);
    cJSON_Delete(d);
    /* A buffer that is not a local file has no tests to run. */
    ut_open(&s, "untitled:2", 1, T);
    ut_notify(&s, "textDocument/didSave", "{'textDocument':{'uri':'untitled:2'}}");
    ut_advance(&s, UT_DEBOUNCE);
    d = ut_diagnostics(&s, "untitled:2", NULL);
    ck_assert_int_eq(cJSON_GetArraySize(d), 0);
    cJSON_Delete(d);
    ut_stop(&s);
}
END_TEST

static Suite *session_suite(void)
{
    Suite *s = suite_create("lsp_session");
    TCase *tc = tcase_create("session");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, lifecycle);
    tcase_add_test(tc, no_options);
    tcase_add_test(tc, write_fails);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, documents);
    tcase_add_test(tc, debounce);
    tcase_add_test(tc, due_behind_buffered);
    tcase_add_test(tc, diagnostics_elsewhere);
    tcase_add_test(tc, outline_every_kind);
    tcase_add_test(tc, navigation);
    tcase_add_test(tc, save_runs_tests);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return pw_run_suite(session_suite()); }
