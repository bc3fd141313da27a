/* util/escape.h: each output format's escaper, character class by
 * character class (docs/robustness.md, "Ids and text from facts in
 * output"). tests/cli/output_escaping.sh runs the same classes through
 * every command. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "util/escape.h"

/* fn applied to s[0..n); the result, valid until the next call. */
static const char *esc(pu_escape_fn *fn, const char *s, size_t n)
{
    static char out[512];
    pu_buf b = {0};
    fn(&b, s, n);
    ck_assert(!b.oom);
    ck_assert_ptr_nonnull(b.data);
    ck_assert_uint_eq(strlen(b.data), b.len); /* NUL-terminated, no NUL inside */
    snprintf(out, sizeof out, "%s", b.data);
    free(b.data);
    return out;
}
#define ESC(fn, lit) esc(fn, lit, sizeof lit - 1)

START_TEST(test_text)
{
    ck_assert_str_eq(ESC(pu_escape_text, ""), "");
    ck_assert_str_eq(ESC(pu_escape_text, "C0001 caf\xc3\xa9 \xe2\x9c\x93 a\\b \"q\""), "C0001 caf\xc3\xa9 \xe2\x9c\x93 a\\b \"q\"");
    ck_assert_str_eq(ESC(pu_escape_text, "\x1b[2J"), "\\x1b[2J");
    ck_assert_str_eq(ESC(pu_escape_text, "a\nb\rc\td"), "a\\x0ab\\x0dc\\x09d");
    ck_assert_str_eq(ESC(pu_escape_text, "nul\0x"), "nul\\x00x");
    ck_assert_str_eq(ESC(pu_escape_text, "\x7f"), "\\x7f");
    ck_assert_str_eq(ESC(pu_escape_text, "\xc2\x80\xc2\x9b\xc2\x9f\xc2\xa0"), "\\u0080\\u009b\\u009f\xc2\xa0");
    ck_assert_str_eq(ESC(pu_escape_text, "\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9"), "\\u202a\\u202e\\u2066\\u2069");
    ck_assert_str_eq(ESC(pu_escape_text, "\xe2\x80\xa8\xe2\x80\xa9"), "\\u2028\\u2029");
    /* The neighbours of each range stay: U+2027, U+202F, U+2065, U+206A. */
    ck_assert_str_eq(ESC(pu_escape_text, "\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa"),
                     "\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa");
    ck_assert_str_eq(ESC(pu_escape_text, "\xe2\x80\xaf\xe2\x81\xa5"), "\xe2\x80\xaf\xe2\x81\xa5"); /* neighbours */
    ck_assert_str_eq(ESC(pu_escape_text, "\xff\xc3 \xc0\xaf \xed\xa0\x80 \x9b"), "\\xff\\xc3 \\xc0\\xaf \\xed\\xa0\\x80 \\x9b");
}
END_TEST

START_TEST(test_json)
{
    ck_assert_str_eq(ESC(pu_escape_json, ""), "\"\"");
    ck_assert_str_eq(ESC(pu_escape_json, "a\"b\\c/\xc3\xa9"), "\"a\\\"b\\\\c/\xc3\xa9\"");
    ck_assert_str_eq(ESC(pu_escape_json, "\n\r\t\x01\x1b\x7f"), "\"\\n\\r\\t\\u0001\\u001b\\u007f\"");
    ck_assert_str_eq(ESC(pu_escape_json, "\xc2\x85\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xae\xe2\x81\xa7"),
                     "\"\\u0085\\u2028\\u2029\\u202e\\u2067\"");
    ck_assert_str_eq(ESC(pu_escape_json, "x\xffy\xc3"), "\"x\\ufffdy\\ufffd\"");
    ck_assert_str_eq(ESC(pu_escape_json, "\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\""); /* 4-byte UTF-8 stays */
}
END_TEST

START_TEST(test_csv)
{
    ck_assert_str_eq(ESC(pu_escape_csv, ""), "");
    ck_assert_str_eq(ESC(pu_escape_csv, "C0001"), "C0001");
    ck_assert_str_eq(ESC(pu_escape_csv, "a,b"), "\"a,b\"");
    ck_assert_str_eq(ESC(pu_escape_csv, "say \"hi\""), "\"say \"\"hi\"\"\"");
    ck_assert_str_eq(ESC(pu_escape_csv, "l1\nl2"), "\"l1\nl2\"");
    ck_assert_str_eq(ESC(pu_escape_csv, "\x1b[2J"), "\"\x1b[2J\"");
    ck_assert_str_eq(ESC(pu_escape_csv, " pad"), "\" pad\"");
    ck_assert_str_eq(ESC(pu_escape_csv, "=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    ck_assert_str_eq(ESC(pu_escape_csv, "=1+1"), "'=1+1");
    ck_assert_str_eq(ESC(pu_escape_csv, "+1"), "'+1");
    ck_assert_str_eq(ESC(pu_escape_csv, "-1"), "'-1");
    ck_assert_str_eq(ESC(pu_escape_csv, "@SUM(A1)"), "'@SUM(A1)");
    ck_assert_str_eq(ESC(pu_escape_csv, "\t=1"), "\"'\t=1\"");
    ck_assert_str_eq(ESC(pu_escape_csv, "\r=1"), "\"'\r=1\"");
    ck_assert_str_eq(ESC(pu_escape_csv, "a=1"), "a=1");
    ck_assert_str_eq(ESC(pu_escape_csv, "x\xffy"), "x\xef\xbf\xbdy");
}
END_TEST

START_TEST(test_markup)
{
    ck_assert_str_eq(ESC(pu_escape_markup, "a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    ck_assert_str_eq(ESC(pu_escape_markup, "l1\nl2\tt\rr"), "l1\nl2\tt&#13;r");
    ck_assert_str_eq(ESC(pu_escape_markup_attr, "l1\nl2\tt\rr"), "l1&#10;l2&#9;t&#13;r");
    ck_assert_str_eq(ESC(pu_escape_markup, "\x1b[2J\x7f\xc2\x9b\xe2\x80\xae\xff"), "\\x1b[2J\\x7f\\u009b\\u202e\\xff");
}
END_TEST

/* A long id goes through in chunks: nothing lost at a chunk's edge, even
 * where a UTF-8 sequence or an escape straddles it. */
START_TEST(test_long)
{
    size_t n = 3 * 4097; /* 4096 is no multiple of 3: sequences straddle chunk edges */
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i += 3)
        memcpy(s + i, i % 2 ? "\xe2\x80\xae" : "\xc3\xa9\x1b", 3);
    s[n] = '\0';
    pu_buf b = {0};
    pu_escape_text(&b, s, n);
    ck_assert(!b.oom);
    size_t rle = 0, esc = 0;
    for (const char *p = b.data; (p = strstr(p, "\\u202e")); p++)
        rle++;
    for (const char *p = b.data; (p = strstr(p, "\\x1b")); p++)
        esc++;
    ck_assert_uint_eq(rle + esc, n / 3);
    ck_assert_uint_eq(b.len, rle * 6 + esc * 6); /* \u202e; é + \x1b */
    free(b.data);
    free(s);
}
END_TEST

static Suite *escape_suite(void)
{
    Suite *s = suite_create("escape");
    TCase *t = tcase_create("formats");
    tcase_add_test(t, test_text);
    tcase_add_test(t, test_json);
    tcase_add_test(t, test_csv);
    tcase_add_test(t, test_markup);
    tcase_add_test(t, test_long);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return pw_run_suite(escape_suite());
}
