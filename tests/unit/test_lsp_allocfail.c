/* Allocation failures in the language server (src/lsp), as
 * tests/unit/test_allocfail.c does it for the runtime: the test binary is
 * linked with GNU ld's --wrap for malloc, calloc, realloc, free, strdup,
 * strndup and realpath (tests/CMakeLists.txt), and cJSON's allocations are
 * routed through the same wrappers (cJSON_InitHooks, allowed in a test
 * program). One session (every request the server advertises, on files with
 * includes, tests and errors) is run clean for a reference, then with the
 * Nth allocation failing ("single"), or every allocation from the Nth on
 * ("sticky"), for N = 1, 2, ... until a run never reaches its Nth. Every run
 * must:
 *
 *   - end with status 2 (memory ran out, said so on the way out) or with the
 *     reference's status 0 (the failure was survived: an error response, a
 *     recomputed index, a table of line starts done without);
 *   - leave no allocation behind (every block the wrappers handed out is
 *     freed) and free nothing they did not hand out;
 *   - when no failure was met, answer exactly as the reference did.
 *
 * The session's input is written to a pipe before the server starts and
 * its output goes to a file: one thread, nothing timed. The debounce reads a
 * clock that moves a second each time it is read, so that every change is
 * checked as soon as the input already read is handled.
 *
 * PW_ALLOCFAIL_STRIDE=k tests every k-th N only (past the first 64). */
/* realpath is an XSI interface; the build asks only for POSIX. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <check.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allocwrap.h"
#include "check_main.h"
#include "lsp/lsp_int.h"
#include "tmpdir.h"

/* ---- the session ---------------------------------------------------------------- */

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

static const char BASE[] = "known colours = [\"red\", \"blue\"]\n"
                           "facts person {\n"
                           "  age: integer\n"
                           "  colour: text in colours\n"
                           "  pets: list of pet = []\n"
                           "}\n"
                           "record pet {\n"
                           "  kind: text in colours\n"
                           "}\n";

/* Includes, every kind of declaration, an unknown name with a fix-it, a
 * lint warning with a note in the include, a failing test. */
static const char RULES[] = "include \"base.pw\"\n"
                            "source rule = \"Adults only.\"\n"
                            "define adult: boolean = age >= 18\n"
                            "define sized(z: text in colours): boolean = z = \"red\"\n"
                            "define odd: boolean = colour = \"q\" or sized(\"red\") or any p in pets where p.kind = \"red\"\n"
                            "requirements grown citing rule {\n"
                            "  require \"adult\": adult\n"
                            "  prefer \"red\": colour = \"red\"\n"
                            "}\n"
                            "program p \"P\" {\n"
                            "  hours 6\n"
                            "  require grown\n"
                            "  require \"odd\": odd citing rule\n"
                            "}\n"
                            "example kid = { age: 10, colour: \"red\" }\n"
                            "test \"kid\" {\n"
                            "  as of 2026-01-01\n"
                            "  given kid\n"
                            "  expect p eligible\n"
                            "}\n"
                            "define typo: boolean = adlt\n";

static char session_in[8 << 16];
static size_t session_len;
static int next_id;

static void add_msg(const char *json)
{
    /* ' for " in the tests' JSON (no ' in it otherwise). */
    char body[8192];
    snprintf(body, sizeof body, "%s", json);
    for (char *p = body; *p; p++)
        if (*p == '\'')
            *p = '"';
    int n = snprintf(session_in + session_len, sizeof session_in - session_len, "Content-Length: %zu\r\n\r\n%s",
                     strlen(body), body);
    session_len += (size_t)n;
}

/* Pads the input to the next 64 KiB with a notification the server ignores:
 * the server reads 64 KiB at a time from a file, so that it has handled all
 * it read there, and checks the changed documents (the clock says they are
 * due) before it reads on. */
static void add_boundary(void)
{
    static const char head[] = "{\"jsonrpc\":\"2.0\",\"method\":\"$/pad\",\"params\":{\"x\":\"\"}}";
    size_t left = 65536 - session_len % 65536;
    /* "Content-Length: NNNNN\r\n\r\n" + head + the padding. */
    size_t hlen = 0;
    for (size_t body = 0;; ) {
        char h[64];
        body = left - hlen;
        hlen = (size_t)snprintf(h, sizeof h, "Content-Length: %zu\r\n\r\n", body);
        if (hlen + body == left)
            break;
    }
    size_t body = left - hlen;
    ck_assert_uint_ge(body, sizeof head - 1);
    int n = snprintf(session_in + session_len, sizeof session_in - session_len, "Content-Length: %zu\r\n\r\n",
                     body);
    session_len += (size_t)n;
    size_t pad = body - (sizeof head - 1);
    memcpy(session_in + session_len, head, sizeof head - 1 - 3);
    session_len += sizeof head - 1 - 3;
    memset(session_in + session_len, ' ', pad);
    session_len += pad;
    memcpy(session_in + session_len, "\"}}", 3);
    session_len += 3;
    ck_assert_uint_eq(session_len % 65536, 0);
}

static void add_request(const char *method, const char *params)
{
    char m[8192];
    int n = snprintf(m, sizeof m, "{'jsonrpc':'2.0','id':%d,'method':'%s','params':%s}", ++next_id, method,
                     params);
    ck_assert(n > 0 && (size_t)n < sizeof m);
    add_msg(m);
}

static void add_notify(const char *method, const char *params)
{
    char m[8192];
    int n = snprintf(m, sizeof m, "{'jsonrpc':'2.0','method':'%s','params':%s}", method, params);
    ck_assert(n > 0 && (size_t)n < sizeof m);
    add_msg(m);
}

/* A JSON string of text (with \" for "), for didOpen. */
static void json_text(const char *text, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = text; *p && n + 3 < size; p++) {
        if (*p == '"') {
            out[n++] = '\\';
            out[n++] = '"';
        } else if (*p == '\n') {
            out[n++] = '\\';
            out[n++] = 'n';
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

static void build_session(void)
{
    session_len = 0;
    next_id = 0;
    char uri[400], m[8192], text[4096];
    snprintf(uri, sizeof uri, "file://%s/rules.pw", dir);
    add_request("initialize", "{'capabilities':{}}");
    add_notify("initialized", "{}");
    json_text(RULES, text, sizeof text);
    /* The JSON text has \" for "; the ' rewrite leaves it alone. */
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s','version':1,'text':\"%s\"}}", uri, text);
    add_notify("textDocument/didOpen", m);
    add_notify("textDocument/didOpen",
               "{'textDocument':{'uri':'untitled:1','version':1,'text':'source s = \\'x\\''}}");
    add_boundary(); /* diagnostics of both */
    char pos[600];
#define AT(line, ch) (snprintf(pos, sizeof pos, "{'textDocument':{'uri':'%s'},'position':{'line':%d,'character':%d}," \
                                                "'context':{'includeDeclaration':true}}",                                  \
                               uri, line, ch),                                                                        \
                      pos)
    add_request("textDocument/hover", AT(2, 25));      /* age, in the include */
    add_request("textDocument/hover", AT(11, 12));     /* the block's use */
    add_request("textDocument/hover", AT(12, 20));     /* odd */
    add_request("textDocument/hover", AT(12, 29));     /* the source */
    add_request("textDocument/hover", AT(17, 9));      /* the example */
    add_request("textDocument/hover", AT(10, 3));      /* nothing */
    add_request("textDocument/definition", AT(2, 25));
    add_request("textDocument/definition", AT(4, 77)); /* a record's field */
    add_request("textDocument/references", AT(2, 8));
    add_request("textDocument/completion", AT(4, 32)); /* colour = "q */
    add_request("textDocument/completion", AT(4, 45)); /* sized("r */
    add_request("textDocument/completion", AT(4, 77)); /* p.k */
    add_request("textDocument/completion", AT(18, 9)); /* expect */
    add_request("textDocument/completion", AT(2, 25));
    add_request("textDocument/completion", AT(20, 24));
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'}}", uri);
    add_request("textDocument/documentSymbol", m);
    add_request("textDocument/formatting", m);
    snprintf(m, sizeof m,
             "{'textDocument':{'uri':'%s'},'range':{'start':{'line':20,'character':23},'end':{'line':20,"
             "'character':27}},'context':{'diagnostics':[{'range':{'start':{'line':20,'character':23},"
             "'end':{'line':20,'character':27}},'code':'E0402','data':{'fix':'adult'}},"
             "{'range':{'start':{'line':4,'character':7},'end':{'line':4,'character':10}},'code':'PW101'}]}}",
             uri);
    add_request("textDocument/codeAction", m);
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'}}", uri);
    add_notify("textDocument/didSave", m);
    add_boundary(); /* the tests' failures with them */
    snprintf(m, sizeof m,
             "{'textDocument':{'uri':'%s','version':2},'contentChanges':[{'range':{'start':{'line':20,"
             "'character':23},'end':{'line':20,'character':27}},'text':'adult'}]}",
             uri);
    add_notify("textDocument/didChange", m);
    add_boundary();
    add_request("textDocument/hover", AT(20, 24));
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s','version':3},'contentChanges':[{'text':'program {'}]}", uri);
    add_notify("textDocument/didChange", m);
    snprintf(m, sizeof m, "{'textDocument':{'uri':'%s'}}", uri);
    add_request("textDocument/formatting", m);
    add_request("textDocument/documentSymbol", m);
    add_boundary();
    add_notify("textDocument/didClose", "{'textDocument':{'uri':'untitled:1'}}");
    add_request("shutdown", "null");
    add_notify("exit", "null");
#undef AT
}

static uint64_t fast_clock(void *user)
{
    uint64_t *t = user;
    return *t += 1000;
}

/* Runs the session; its output in *out (malloc'd through the real
 * allocator, outside any count), its status returned. */
static int run_session(char **out, size_t *outlen, unsigned long fail_at, bool sticky)
{
    char path[512];
    snprintf(path, sizeof path, "%s/in", dir);
    int in = open(path, O_RDONLY);
    ck_assert_int_ge(in, 0);
    snprintf(path, sizeof path, "%s/out", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    uint64_t t = 0;
    ls_options o = {.debounce_ms = 200, .clock_ms = fast_clock, .clock_user = &t};
    /* Armed only while the server runs: Check allocates too. */
    if (fail_at)
        arm(SRC_SYS, 0, fail_at, sticky);
    else
        memset(&inj, 0, sizeof inj);
    int st = ls_serve(in, fd, &o);
    disarm();
    close(in);
    off_t n = lseek(fd, 0, SEEK_END);
    *out = __real_malloc((size_t)n + 1);
    ck_assert_int_eq(pread(fd, *out, (size_t)n, 0), n);
    (*out)[n] = '\0';
    *outlen = (size_t)n;
    close(fd);
    return st;
}

static void setup(void)
{
    cJSON_Hooks hooks = {aw_cjson_malloc, aw_cjson_free};
    cJSON_InitHooks(&hooks);
    snprintf(dir, sizeof dir, "/tmp/pw-lsp-allocfail-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *real = __real_realpath(dir, NULL);
    snprintf(dir, sizeof dir, "%s", real);
    __real_free(real);
    write_file("base.pw", BASE);
    write_file("rules.pw", RULES);
    build_session();
    char path[512];
    snprintf(path, sizeof path, "%s/in", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(session_in, 1, session_len, f), session_len);
    fclose(f);
}

static void teardown(void)
{
    ut_tmpdir_remove(dir);
    cJSON_InitHooks(NULL);
}

/* The reference: the exchange as it should go (checked in part, so that
 * the runs below compare with a session that does what it is meant to). */
START_TEST(reference)
{
    char *out;
    size_t n;
    size_t before = nlive;
    ck_assert_int_eq(run_session(&out, &n, 0, false), 0);
    ck_assert_uint_eq(nlive, before);
    ck_assert_ptr_nonnull(strstr(out, "\"id\":2,\"result\":{\"contents\":{\"kind\":\"markdown\""));
    ck_assert_ptr_nonnull(strstr(out, "\"code\":\"E0402\""));
    ck_assert_ptr_nonnull(strstr(out, "\"title\":\"Replace with `adult`\""));
    ck_assert_ptr_nonnull(strstr(out, "\"title\":\"Silence PW101 on this line (# lint: ignore)\""));
    ck_assert_ptr_nonnull(strstr(out, "\"uri\":\"untitled:1\",\"diagnostics\":[]"));
    ck_assert_ptr_nonnull(strstr(out, "the text does not parse"));
    __real_free(out);
}
END_TEST

static void run_injected(bool sticky)
{
    char *ref;
    size_t reflen;
    ck_assert_int_eq(run_session(&ref, &reflen, 0, false), 0);
    const char *s = getenv("PW_ALLOCFAIL_STRIDE");
    unsigned long stride = s ? strtoul(s, NULL, 10) : 1;
    if (stride == 0)
        stride = 1;
    char problems[4096] = "";
    unsigned nproblems = 0;
    unsigned long n = 1, runs = 0;
    const char *only = getenv("PW_ALLOCFAIL_N"); /* one run, for a debugger */
    if (only)
        n = strtoul(only, NULL, 10);
    for (;; n += n > 64 ? stride : 1) {
        size_t before = nlive;
        tracking_broken = false;
        foreign_frees = 0;
        char *out;
        size_t len;
        int st = run_session(&out, &len, n, sticky);
        runs++;
        const char *why = NULL;
        if (st != 0 && st != 2)
            why = "a status other than 0 or 2";
        else if (nlive != before)
            why = "allocations left behind";
        else if (foreign_frees || tracking_broken)
            why = "a free of a block not handed out";
        else if (!inj.failed && (len != reflen || memcmp(out, ref, len) != 0))
            why = "no failure met, yet the exchange differs";
        if (why && nproblems++ < 20) {
            size_t k = strlen(problems);
            snprintf(problems + k, sizeof problems - k, "N=%lu (%s): %s (status %d, %zu live more)\n", n,
                     sticky ? "sticky" : "single", why, st, nlive - before);
        }
        __real_free(out);
        if (inj.calls < n || only)
            break; /* the run never reached its Nth allocation */
    }
    __real_free(ref);
    ck_assert_msg(nproblems == 0, "%u runs of %lu failed:\n%s", nproblems, runs, problems);
    ck_assert(only || runs > 64); /* the first 64 always run */
}

START_TEST(single_failures) { run_injected(false); }
END_TEST

START_TEST(sticky_failures) { run_injected(true); }
END_TEST

static Suite *allocfail_suite(void)
{
    Suite *s = suite_create("lsp_allocfail");
    TCase *tc = tcase_create("inject");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 1800);
    tcase_add_test(tc, reference);
    tcase_add_test(tc, single_failures);
    tcase_add_test(tc, sticky_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return pw_run_suite(allocfail_suite()); }
