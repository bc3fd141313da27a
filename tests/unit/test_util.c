/* src/util: the arena, the output buffer and its growth, dates, UTF-8, edit
 * distance and the escapers, at the edges each branch exists for (overflow,
 * out of memory, out of range, malformed input). The files are in
 * test_util_file.c. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "check_main.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/distance.h"
#include "util/escape.h"
#include "util/grow.h"
#include "util/utf8.h"

/* ---- arena ------------------------------------------------------------------------ */

/* A size whose rounding up to the alignment wraps around is refused, not
 * turned into a tiny block. */
START_TEST(arena_size_overflow)
{
    pm_arena a;
    pm_init(&a, 0);
    ck_assert_ptr_null(pm_alloc(&a, SIZE_MAX));
    ck_assert_ptr_null(pm_alloc(&a, SIZE_MAX - 3));
    /* Aligned without overflow, but the chunk's header would wrap it
     * (this once allocated a few bytes and wrote past them). */
    ck_assert_ptr_null(pm_alloc(&a, SIZE_MAX - 20));
    ck_assert_uint_eq(a.used_total, 0);
    pm_free(&a);
}
END_TEST

/* printf into an arena at its limit gives NULL; a conversion that fails
 * (a wide character the C locale cannot encode) gives NULL too. */
/* pm_grow: the first capacity, doubling with the elements in use copied,
 * and a size that would overflow refused with the capacity kept. */
START_TEST(arena_grow)
{
    pm_arena a;
    pm_init(&a, 0);
    size_t cap = 0;
    int *v = pm_grow(&a, NULL, 0, &cap, sizeof *v, 4);
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(cap, 4);
    for (int i = 0; i < 4; i++)
        v[i] = i + 10;
    int *w = pm_grow(&a, v, 3, &cap, sizeof *w, 4);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(cap, 8);
    ck_assert_int_eq(w[0], 10);
    ck_assert_int_eq(w[2], 12);
    ck_assert_int_eq(w[3], 0); /* only the 3 in use are copied */
    size_t huge = SIZE_MAX / 2 + 1;
    ck_assert_ptr_null(pm_grow(&a, w, 0, &huge, 1, 4));
    ck_assert_uint_eq(huge, SIZE_MAX / 2 + 1);
    size_t big = SIZE_MAX / 32;
    ck_assert_ptr_null(pm_grow(&a, w, 0, &big, 16, 4));
    ck_assert_uint_eq(big, SIZE_MAX / 32);
    /* Twice the capacity, in bytes, beyond SIZE_MAX (the case above only
     * asks the arena for more than it can give). */
    size_t over = SIZE_MAX / 16;
    ck_assert_ptr_null(pm_grow(&a, w, 0, &over, 16, 4));
    ck_assert_uint_eq(over, SIZE_MAX / 16);
    /* Elements of no size: only the capacity grows (no division by 0). */
    size_t none = 0;
    pm_grow(&a, NULL, 0, &none, 0, 4);
    ck_assert_uint_eq(none, 4);
    pm_free(&a);
}
END_TEST

START_TEST(arena_printf_failures)
{
    pm_arena a;
    pm_init(&a, 0);
    a.limit = 16;
    ck_assert_ptr_null(pm_printf(&a, "%s", "longer than sixteen bytes"));
    char *s = pm_printf(&a, "%d", 42);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "42");
    a.limit = 0;
    ck_assert_ptr_null(pm_printf(&a, "%ls", L"\u00e9"));
    pm_free(&a);
}
END_TEST

/* ---- buffers ---------------------------------------------------------------------- */

START_TEST(buf_reserve_limits)
{
    pu_buf b = {0};
    ck_assert(!pu_buf_reserve(&b, SIZE_MAX));
    ck_assert(b.oom);
    ck_assert_ptr_null(b.data);
    pu_buf_free(&b);

    /* Once out of memory, nothing more is added, short or long. */
    pu_buf_append(&b, "abc", 3);
    ck_assert_str_eq(b.data, "abc");
    b.oom = true;
    char big[300];
    memset(big, 'x', sizeof big);
    pu_buf_put(&b, big, b.cap + 1);
    pu_buf_printf(&b, "%.*s", (int)sizeof big, big);
    ck_assert_uint_eq(b.len, 3);
    pu_buf_free(&b);

    /* A failed conversion writes nothing and is not out of memory. */
    pu_buf_printf(&b, "%ls", L"\u00e9");
    ck_assert_uint_eq(b.len, 0);
    ck_assert(!b.oom);
    /* A long one is formatted in place. */
    pu_buf_printf(&b, "<%.*s>", (int)sizeof big, big);
    ck_assert_uint_eq(b.len, sizeof big + 2);
    ck_assert_int_eq(b.data[0], '<');
    ck_assert_int_eq(b.data[sizeof big + 1], '>');
    pu_buf_free(&b);
}
END_TEST

START_TEST(grow_overflow)
{
    void *d = NULL;
    size_t cap = 0;
    bool oom = false;
    ck_assert(!pu_grow(&d, &cap, 0, SIZE_MAX / 2 + 2, 4096, &oom));
    ck_assert(oom);
    ck_assert_ptr_null(d);
    ck_assert_uint_eq(cap, 0);
}
END_TEST

/* ---- dates ------------------------------------------------------------------------ */

START_TEST(date_parse_rejects)
{
    int32_t out = 12345;
    static const char *const bad[] = {
        "2026/01-01", "2026-01/01", "20a6-01-01", "2026-0a-01", "2026-01-0a",
        "2026-/1-01", "2026-13-01", "2026-02-30", "1799-12-31", "3000-01-01", "2026-1-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!pu_date_parse(bad[i], strlen(bad[i]), &out), "%s accepted", bad[i]);
    ck_assert_int_eq(out, 12345);
    ck_assert(pu_date_parse("2024-02-29", 10, &out));
    ck_assert_int_eq(out, 19782);
}
END_TEST

/* Years before 0 and after 9999 convert (day numbers of any int32_t are
 * defined), and print as year 0000 (a day that is never valid). */
START_TEST(date_far_years)
{
    ck_assert_int_eq(pu_from_ymd(0, 1, 1), -719528);
    ck_assert_int_eq(pu_from_ymd(-1, 12, 31), -719529);
    int y, m, d;
    pu_to_ymd(-719529, &y, &m, &d);
    ck_assert_int_eq(y, -1);
    ck_assert_int_eq(m, 12);
    ck_assert_int_eq(d, 31);
    char buf[11];
    pu_date_format(pu_from_ymd(-5, 3, 4), buf);
    ck_assert_str_eq(buf, "0000-03-04");
    pu_date_format(pu_from_ymd(10000, 6, 7), buf);
    ck_assert_str_eq(buf, "0000-06-07");
    pu_date_format(pu_from_ymd(9999, 12, 31), buf);
    ck_assert_str_eq(buf, "9999-12-31");
}
END_TEST

START_TEST(date_add_range)
{
    int32_t out = 7;
    ck_assert(!pu_date_add(0, 100001, PU_DAYS, &out));
    ck_assert(!pu_date_add(0, -100001, PU_DAYS, &out));
    ck_assert(!pu_date_add(999999, 2, PU_DAYS, &out));
    ck_assert(!pu_date_add(-999999, -2, PU_DAYS, &out));
    ck_assert(!pu_date_add(0, 99999, PU_YEARS, &out));
    ck_assert(!pu_date_add(0, -99999, PU_YEARS, &out));
    ck_assert_int_eq(out, 7);
    ck_assert(pu_date_add(999999, 1, PU_DAYS, &out));
    ck_assert_int_eq(out, 1000000);
    ck_assert(pu_date_add(0, -100000, PU_DAYS, &out));
    ck_assert_int_eq(out, -100000);
}
END_TEST

START_TEST(date_make_rejects)
{
    int32_t out = 7;
    ck_assert(!pu_date_make(2026, 13, 1, &out));
    ck_assert(!pu_date_make(2026, 0, 1, &out));
    ck_assert(!pu_date_make(2026, 1, 0, &out));
    ck_assert(!pu_date_make(2026, 1, 32, &out));
    ck_assert(!pu_date_make(2026, 2, 29, &out));
    ck_assert(!pu_date_make(1799, 1, 1, &out));
    ck_assert(!pu_date_make(3000, 1, 1, &out));
    ck_assert_int_eq(out, 7);
    ck_assert(pu_date_make(2024, 2, 29, &out));
    ck_assert_int_eq(out, 19782);
}
END_TEST

/* No 1 January after 2999-06-01 within the date range, no 31 December
 * before 1800-06-01. */
START_TEST(date_recurrence_range)
{
    int32_t out = 7;
    ck_assert(!pu_date_following(pu_from_ymd(2999, 6, 1), 1, 1, &out));
    ck_assert(!pu_date_preceding(pu_from_ymd(1800, 6, 1), 12, 31, &out));
    ck_assert_int_eq(out, 7);
    ck_assert(pu_date_following(pu_from_ymd(2998, 6, 1), 1, 1, &out));
    ck_assert_int_eq(out, pu_from_ymd(2999, 1, 1));
}
END_TEST

/* ---- UTF-8, distance -------------------------------------------------------------- */

START_TEST(utf8_edges)
{
    static const struct {
        const char *s;
        size_t len;
    } cases[] = {
        {"\xE0\x80\x80", 0},     /* overlong 3-byte form */
        {"\xE0\xA0\x80", 3},     /* U+0800, the first 3-byte one */
        {"\xED\xA0\x80", 0},     /* U+D800, a surrogate */
        {"\xED\x9F\xBF", 3},     /* U+D7FF */
        {"\xE1\x80\x80", 3},     /* U+1000 */
        {"\xF0\x80\x80\x80", 0}, /* overlong 4-byte form */
        {"\xF0\x90\x80\x80", 4}, /* U+10000 */
        {"\xF4\x90\x80\x80", 0}, /* past U+10FFFF */
        {"\xF4\x8F\xBF\xBF", 4}, /* U+10FFFF */
        {"\xF1\x80\x80\x80", 4}, /* U+40000 */
        {"\xF5\x80\x80\x80", 0}, /* no such lead byte */
        {"\xC1\xBF", 0},         /* overlong 2-byte form */
        {"\xE0\xA0", 0},         /* cut short */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(pu_utf8_len((const unsigned char *)cases[i].s, strlen(cases[i].s)) == cases[i].len,
                      "case %zu", i);
}
END_TEST

START_TEST(distance_long)
{
    char a[70];
    memset(a, 'a', sizeof a);
    ck_assert_uint_eq(pu_distance("a", 1, a, 64), SIZE_MAX);
    ck_assert_uint_eq(pu_distance(a, 64, "a", 1), SIZE_MAX);
    ck_assert_uint_eq(pu_distance("a", 1, a, 63), 62);
}
END_TEST

/* ---- escapers --------------------------------------------------------------------- */

/* s[0..n) through fn, into b (emptied first). */
static char *esc(pu_buf *b, pu_escape_fn *fn, const char *s, size_t n)
{
    pu_buf_free(b);
    fn(b, s, n);
    ck_assert(!b->oom);
    return b->data;
}

/* Each class of characters escape.h lists, at its edges. */
START_TEST(escape_unsafe_edges)
{
    pu_buf b = {0};
    ck_assert_str_eq(esc(&b, pu_escape_text, "\x7e\x7f", 2), "~\\x7f");
    ck_assert_str_eq(esc(&b, pu_escape_text, "\xC2\x80|\xC2\x9F|\xC2\xA0", 8), "\\u0080|\\u009f|\xC2\xA0");
    ck_assert_str_eq(esc(&b, pu_escape_text, "\xE2\x80\xA7|\xE2\x80\xA8|\xE2\x80\xA9|\xE2\x80\xAA", 15),
                     "\xE2\x80\xA7|\\u2028|\\u2029|\\u202a");
    ck_assert_str_eq(esc(&b, pu_escape_text, "\xE2\x80\xAE|\xE2\x80\xAF", 7), "\\u202e|\xE2\x80\xAF");
    ck_assert_str_eq(esc(&b, pu_escape_text, "\xE2\x81\xA5|\xE2\x81\xA6|\xE2\x81\xA9|\xE2\x81\xAA", 15),
                     "\xE2\x81\xA5|\\u2066|\\u2069|\xE2\x81\xAA");
    pu_buf_free(&b);
}
END_TEST

/* CSV: a field that ends in a space is quoted; one that starts with NUL is
 * quoted (a control) but is no formula. */
START_TEST(escape_csv_edges)
{
    pu_buf b = {0};
    ck_assert_str_eq(esc(&b, pu_escape_csv, "a ", 2), "\"a \"");
    char *s = esc(&b, pu_escape_csv, "\0a", 2);
    ck_assert_uint_eq(b.len, 4);
    ck_assert(memcmp(s, "\"\0a\"", 4) == 0);
    ck_assert_str_eq(esc(&b, pu_escape_csv, "\rx", 2), "\"'\rx\"");
    pu_buf_free(&b);
}
END_TEST

static void write_nothing(pu_buf *b, const char *s, size_t n)
{
    (void)b;
    (void)s;
    (void)n;
}

/* pu_escape_fputs: NULL writes nothing; an escaper that leaves the buffer
 * unallocated writes nothing either; the text otherwise. */
START_TEST(escape_fputs)
{
    char *mem = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&mem, &size);
    ck_assert_ptr_nonnull(f);
    ck_assert(pu_escape_fputs(f, pu_escape_json, NULL));
    ck_assert(pu_escape_fputs(f, write_nothing, "abc"));
    ck_assert(pu_escape_fputs(f, pu_escape_json, "a\"b"));
    fclose(f);
    ck_assert_str_eq(mem, "\"a\\\"b\"");
    free(mem);
}
END_TEST

static Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("edges");
    tcase_add_test(tc, arena_size_overflow);
    tcase_add_test(tc, arena_grow);
    tcase_add_test(tc, arena_printf_failures);
    tcase_add_test(tc, buf_reserve_limits);
    tcase_add_test(tc, grow_overflow);
    tcase_add_test(tc, date_parse_rejects);
    tcase_add_test(tc, date_far_years);
    tcase_add_test(tc, date_add_range);
    tcase_add_test(tc, date_make_rejects);
    tcase_add_test(tc, date_recurrence_range);
    tcase_add_test(tc, utf8_edges);
    tcase_add_test(tc, distance_long);
    tcase_add_test(tc, escape_unsafe_edges);
    tcase_add_test(tc, escape_csv_edges);
    tcase_add_test(tc, escape_fputs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(util_suite());
}
