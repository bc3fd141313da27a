/* The language server's parts that do not need a client (src/lsp): UTF-16
 * positions, file: URIs and the Content-Length framing, over a pipe. The
 * whole exchange is tests/lsp/protocol.py's. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "lsp/lsp_int.h"

/* "a", "é" (2 bytes), "😀" (4 bytes: two UTF-16 units), "b", a newline,
 * a stray byte, "x". */
static const char text[] = "a\xc3\xa9\xf0\x9f\x98\x80"
                           "b\n\xffx";
#define TEXT_LEN (sizeof text - 1)

START_TEST(test_pos_of)
{
    ls_pos p = ls_pos_of(text, TEXT_LEN, 7); /* "b" */
    ck_assert_uint_eq(p.line, 0);
    ck_assert_uint_eq(p.character, 4);
    p = ls_pos_of(text, TEXT_LEN, 5); /* inside the emoji: its start */
    ck_assert_uint_eq(p.character, 2);
    p = ls_pos_of(text, TEXT_LEN, 10); /* "x", after a stray byte */
    ck_assert_uint_eq(p.line, 1);
    ck_assert_uint_eq(p.character, 1);
    p = ls_pos_of(text, TEXT_LEN, 1000); /* past the end: the end */
    ck_assert_uint_eq(p.line, 1);
    ck_assert_uint_eq(p.character, 2);
}
END_TEST

START_TEST(test_offset_of)
{
    ck_assert_uint_eq(ls_offset_of(text, TEXT_LEN, (ls_pos){0, 4}), 7);
    ck_assert_uint_eq(ls_offset_of(text, TEXT_LEN, (ls_pos){0, 2}), 3);
    ck_assert_uint_eq(ls_offset_of(text, TEXT_LEN, (ls_pos){0, 99}), 8); /* clamped to the line */
    ck_assert_uint_eq(ls_offset_of(text, TEXT_LEN, (ls_pos){1, 1}), 10);
    ck_assert_uint_eq(ls_offset_of(text, TEXT_LEN, (ls_pos){7, 0}), TEXT_LEN);
    ck_assert_uint_eq(ls_offset_of_line_col(text, TEXT_LEN, 2, 2), 10);
    ck_assert_uint_eq(ls_offset_of_line_col(text, TEXT_LEN, 1, 99), 8);
    ck_assert_uint_eq(ls_offset_of_line_col(text, TEXT_LEN, 9, 1), TEXT_LEN);
}
END_TEST

/* The line table gives what the scan gives, at every offset. */
START_TEST(test_lines_agree)
{
    ls_lines l;
    ls_lines_init(&l, text, TEXT_LEN);
    ck_assert_ptr_nonnull(l.starts);
    for (size_t i = 0; i <= TEXT_LEN; i++) {
        ls_pos a = ls_pos_of(text, TEXT_LEN, i), b = ls_lines_pos(&l, i);
        ck_assert_uint_eq(a.line, b.line);
        ck_assert_uint_eq(a.character, b.character);
    }
    for (uint32_t line = 0; line < 4; line++)
        for (uint32_t col = 0; col < 12; col++)
            ck_assert_uint_eq(ls_lines_offset(&l, line, col), ls_offset_of_line_col(text, TEXT_LEN, line, col));
    ls_lines_fini(&l);
}
END_TEST

START_TEST(test_uris)
{
    char *p = ls_uri_path("file:///a%20b/c%C3%A9.pw");
    ck_assert_str_eq(p, "/a b/c\xc3\xa9.pw");
    free(p);
    ck_assert_ptr_null(ls_uri_path("untitled:Untitled-1"));
    ck_assert_ptr_null(ls_uri_path("file://host/share/x.pw"));
    ck_assert_ptr_null(ls_uri_path("file:///a%00b.pw"));
    char *u = ls_path_uri("/a b/\xc3\xa9#.pw");
    ck_assert_str_eq(u, "file:///a%20b/%C3%A9%23.pw");
    p = ls_uri_path(u);
    ck_assert_str_eq(p, "/a b/\xc3\xa9#.pw");
    free(p);
    free(u);
}
END_TEST

/* A pipe holding `data`, its writing end closed. */
static int pipe_with(const char *data, size_t len)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    ck_assert_int_eq(write(fd[1], data, len), (ssize_t)len);
    close(fd[1]);
    return fd[0];
}

static void expect_message(ls_conn *c, const char *want)
{
    const char *body;
    size_t len;
    ck_assert_int_eq(ls_conn_read(c, -1, &body, &len), LS_READ_MESSAGE);
    ck_assert_uint_eq(len, strlen(want));
    ck_assert(memcmp(body, want, len) == 0);
}

START_TEST(test_framing)
{
    static const char stream[] = "Content-Length: 5\r\n\r\nhello"
                                 "Content-Length: x\r\n\r\n"
                                 "content-length:   3  \r\nContent-Type: a\r\n\r\nabc"
                                 "Content-Length: 20\r\n\r\n01234567890123456789"
                                 "Content-Length: 99999999999999999999999\r\n\r\n"
                                 "Content-Length: 2\r\n\r\nok"
                                 "Content-Length: 9\r\n\r\ncut";
    int fd = pipe_with(stream, sizeof stream - 1);
    ls_conn c;
    ls_conn_init(&c, fd, -1, 10);
    const char *body;
    size_t len;
    expect_message(&c, "hello");
    ck_assert_int_eq(ls_conn_read(&c, -1, &body, &len), LS_READ_BAD_HEADER);
    expect_message(&c, "abc");
    ck_assert_int_eq(ls_conn_read(&c, -1, &body, &len), LS_READ_TOO_BIG); /* and skipped */
    ck_assert_int_eq(ls_conn_read(&c, -1, &body, &len), LS_READ_BAD_HEADER);
    expect_message(&c, "ok");
    ck_assert_int_eq(ls_conn_read(&c, -1, &body, &len), LS_READ_EOF); /* a body cut short */
    ls_conn_fini(&c);
    close(fd);
}
END_TEST

START_TEST(test_timeout)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    ls_conn c;
    ls_conn_init(&c, fd[0], -1, 0);
    const char *body;
    size_t len;
    ck_assert_int_eq(ls_conn_read(&c, 0, &body, &len), LS_READ_TIMEOUT);
    ls_conn_fini(&c);
    close(fd[0]);
    close(fd[1]);
}
END_TEST

START_TEST(test_send)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    ls_conn c;
    ls_conn_init(&c, -1, fd[1], 0);
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "m", "\xc3\xa9");
    ck_assert(ls_conn_send(&c, msg));
    cJSON_Delete(msg);
    close(fd[1]);
    char got[128];
    ssize_t n = read(fd[0], got, sizeof got - 1);
    ck_assert_int_gt(n, 0);
    got[n] = '\0';
    /* The length counts bytes, not characters. */
    ck_assert_str_eq(got, "Content-Length: 10\r\n\r\n{\"m\":\"\xc3\xa9\"}");
    close(fd[0]);
    ls_conn_fini(&c);
}
END_TEST

/* A three-byte character is one UTF-16 unit; a text cut inside a character
 * ends there; offsets past the end are the end. */
START_TEST(test_pos_edges)
{
    static const char euro[] = "\xe2\x82\xac" "x"; /* "€x" */
    ck_assert_uint_eq(ls_pos_of(euro, 4, 3).character, 1);
    ck_assert_uint_eq(ls_offset_of(euro, 4, (ls_pos){0, 1}), 3);
    static const char cut[] = "a\xf0\x9f"; /* a 4-byte sequence cut after 2 */
    ck_assert_uint_eq(ls_offset_of(cut, 3, (ls_pos){0, 9}), 3);
    ls_lines l;
    ls_lines_init(&l, euro, 4);
    ls_pos p = ls_lines_pos(&l, 99);
    ck_assert_uint_eq(p.line, 0);
    ck_assert_uint_eq(p.character, 2);
    ls_lines_fini(&l);
}
END_TEST

static bool read_pos(const char *json, ls_pos *p)
{
    cJSON *j = cJSON_Parse(json);
    bool ok = ls_read_pos(j, p);
    cJSON_Delete(j);
    return ok;
}

START_TEST(test_read_pos)
{
    ls_pos p;
    ck_assert(read_pos("{\"line\":3,\"character\":4000000000}", &p));
    ck_assert_uint_eq(p.line, 3);
    ck_assert_uint_eq(p.character, 4000000000u);
    ck_assert(!read_pos("{\"line\":-1,\"character\":0}", &p));
    ck_assert(!read_pos("{\"line\":0,\"character\":-1}", &p));
    ck_assert(!read_pos("{\"line\":5e9,\"character\":0}", &p));
    ck_assert(!read_pos("{\"line\":0,\"character\":5e9}", &p));
    ck_assert(!read_pos("{\"line\":\"0\",\"character\":0}", &p));
    ck_assert(!read_pos("{\"line\":0}", &p));
    ck_assert(!read_pos("[]", &p));
}
END_TEST

/* Percent-escapes in either case; a bad or cut one is kept as it is; the
 * query and fragment are not part of the path. */
START_TEST(test_uri_escapes)
{
    char *p = ls_uri_path("file:///a%c3%A9%zz%4?q=1");
    ck_assert_str_eq(p, "/a\xc3\xa9%zz%4");
    free(p);
    p = ls_uri_path("file:///b%2fc#frag");
    ck_assert_str_eq(p, "/b/c");
    free(p);
    ck_assert_ptr_null(ls_uri_path(NULL));
    ck_assert_ptr_null(ls_uri_path("http:///x"));
}
END_TEST

/* The syntax check behind "memory ran out parsing a message" (server.c):
 * it must never accept what cJSON refuses (a bad message would then be
 * taken for a failure of memory), and it accepts the JSON a client sends. */
START_TEST(test_json_valid)
{
    static const char *const good[] = {
        "{}", "[]", " {\"a\" : [1, -2.5e+3, 0, 1E2, true, false, null, \"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\\b\\f\\r\\t\"]}\t",
        "\"x\"", "0", "-0.5", "[[],{}]", "{\"a\":{\"b\":[{}]}}", "1e-7", "{\"\":\"\\uABCD\"}"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        cJSON *j = cJSON_ParseWithLengthOpts(good[i], strlen(good[i]), NULL, false);
        ck_assert_msg(j != NULL, "cJSON refuses %s", good[i]);
        cJSON_Delete(j);
        ck_assert_msg(ls_json_valid(good[i], strlen(good[i])), "refused: %s", good[i]);
    }
    static const char *const bad[] = {
        "", " ", "{", "[", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "[1", "[1,", "[1 2]", "[1,]", "{\"a\":1,}",
        "{1:2}", "{\"a\" 1}", "tru", "nul", "fals", "\"abc", "\"a\\", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"\\ud800\\x\"", "\"\\ud800\\",
        "\"a\nb\"", "-", "-a", "1.", "1.e3", "1e", "1e+", "+1", ".5", "{\"a\":-}", "}", "x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(!ls_json_valid(bad[i], strlen(bad[i])), "accepted: %s", bad[i]);
    /* A NUL inside a string, and one where a value starts. */
    ck_assert(!ls_json_valid("\"a\0b\"", 5));
    ck_assert(!ls_json_valid("[\0]", 3));
    /* Nesting: cJSON's limit is 1000; deeper is refused by both. */
    char deep[2100];
    memset(deep, '[', 1000);
    memset(deep + 1000, ']', 1000);
    ck_assert(!ls_json_valid(deep, 2000));
    ck_assert(ls_json_valid(deep + 10, 1980)); /* 990 deep */
}
END_TEST

/* Framing: a Content-Length without a value, with two, and a header block
 * that never ends (dropped past 8 KiB). */
START_TEST(test_bad_headers)
{
    static const char stream[] = "Content-Length:   \r\n\r\n"
                                 "Content-Length: 1 2\r\n\r\n"
                                 "Content-Length: 2\r\n\r\nok";
    int fd = pipe_with(stream, sizeof stream - 1);
    ls_conn c;
    ls_conn_init(&c, fd, -1, 0);
    const char *body;
    size_t len;
    ck_assert_int_eq(ls_conn_read(&c, -1, &body, &len), LS_READ_BAD_HEADER);
    ck_assert_int_eq(ls_conn_read(&c, -1, &body, &len), LS_READ_BAD_HEADER);
    expect_message(&c, "ok");
    ls_conn_fini(&c);
    close(fd);
    char *endless = malloc(9000);
    memset(endless, 'x', 9000);
    fd = pipe_with(endless, 9000);
    free(endless);
    ls_conn_init(&c, fd, -1, 0);
    ck_assert_int_eq(ls_conn_read(&c, -1, &body, &len), LS_READ_BAD_HEADER);
    ck_assert_int_eq(ls_conn_read(&c, -1, &body, &len), LS_READ_EOF);
    ls_conn_fini(&c);
    close(fd);
}
END_TEST

/* A message larger than the buffer's first size (128 KiB): it grows. */
START_TEST(test_large_message)
{
    char path[] = "/tmp/pw-lsp-large-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    unlink(path);
    size_t n = 300000;
    char head[64];
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
    ck_assert_int_eq(write(fd, head, (size_t)h), h);
    char *body = malloc(n);
    memset(body, 'y', n);
    ck_assert_int_eq(write(fd, body, n), (ssize_t)n);
    lseek(fd, 0, SEEK_SET);
    ls_conn c;
    ls_conn_init(&c, fd, -1, 0);
    const char *got;
    size_t len;
    ck_assert_int_eq(ls_conn_read(&c, -1, &got, &len), LS_READ_MESSAGE);
    ck_assert_uint_eq(len, n);
    ck_assert(memcmp(got, body, n) == 0);
    ck_assert(!ls_conn_buffered(&c));
    ck_assert_int_eq(ls_conn_read(&c, -1, &got, &len), LS_READ_EOF);
    ls_conn_fini(&c);
    free(body);
    close(fd);
}
END_TEST

static Suite *lsp_suite(void)
{
    Suite *s = suite_create("lsp");
    TCase *pos = tcase_create("positions");
    tcase_add_test(pos, test_pos_of);
    tcase_add_test(pos, test_offset_of);
    tcase_add_test(pos, test_lines_agree);
    tcase_add_test(pos, test_uris);
    tcase_add_test(pos, test_pos_edges);
    tcase_add_test(pos, test_read_pos);
    tcase_add_test(pos, test_uri_escapes);
    tcase_add_test(pos, test_json_valid);
    suite_add_tcase(s, pos);
    TCase *rpc = tcase_create("framing");
    tcase_add_test(rpc, test_framing);
    tcase_add_test(rpc, test_timeout);
    tcase_add_test(rpc, test_send);
    tcase_add_test(rpc, test_bad_headers);
    tcase_add_test(rpc, test_large_message);
    suite_add_tcase(s, rpc);
    return s;
}

int main(void) { return pw_run_suite(lsp_suite()); }
