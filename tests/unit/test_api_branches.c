/* The public API's argument checks and edge branches (issue 23): every pw_
 * function given NULL or an out-of-range index returns its documented error
 * (or its documented empty answer), never crashes, and names what was wrong.
 * Each test asserts the status and the exact message the branch exists for. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_helpers.h"
#include "check_main.h"
#include "pathway.h"

#define USATF "rules/usatf/usatf.pw"

static const char coach[] = "{\"id\":\"C0001\",\"birth_date\":\"2009-05-14\",\"memberships\":[{\"body\":\"usatf\","
                            "\"expires\":\"2027-03-31\"}],\"background_checks\":[{\"kind\":\"safesport\","
                            "\"expires\":\"2027-09-01\"}]}";

/* Status and message of one call, checked together. */
#define EXPECT(call, want_st, want_msg)                                                                  \
    do {                                                                                           \
        pw_error e_;                                                                               \
        memset(&e_, 0x5a, sizeof e_);                                                              \
        pw_error *err = &e_;                                                                       \
        pw_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == (want_st), "%s: got %s (%s)", #call, pw_status_name(st_), e_.message); \
        ck_assert_int_eq(e_.status, (want_st));                                                     \
        ck_assert_str_eq(e_.message, (want_msg));                                                       \
    } while (0)

START_TEST(test_program_null_arguments)
{
    pw_program *p = (pw_program *)(uintptr_t)1;
    uint32_t fmt = 7;
    EXPECT(pw_bytecode_format_of(NULL, 8, &fmt, err), PW_ERR_USAGE, "pw_bytecode_format_of: NULL argument");
    EXPECT(pw_bytecode_format_of("PWC", 3, NULL, err), PW_ERR_USAGE, "pw_bytecode_format_of: NULL argument");
    ck_assert_uint_eq(fmt, 7);
    EXPECT(pw_date_parse(NULL, NULL, err), PW_ERR_USAGE, "pw_date_parse: NULL argument");
    pw_date d;
    EXPECT(pw_date_parse("2026-01-01", NULL, err), PW_ERR_USAGE, "pw_date_parse: NULL argument");
    EXPECT(pw_date_parse(NULL, &d, err), PW_ERR_USAGE, "pw_date_parse: NULL argument");
    EXPECT(pw_program_load(NULL, 10, &p, err), PW_ERR_USAGE, "pw_program_load: NULL argument");
    EXPECT(pw_program_load("x", 1, NULL, err), PW_ERR_USAGE, "pw_program_load: NULL argument");
    EXPECT(pw_program_open(NULL, NULL, &p, err), PW_ERR_USAGE, "pw_program_open: NULL argument");
    EXPECT(pw_program_open("x.pw", NULL, NULL, err), PW_ERR_USAGE, "pw_program_open: NULL argument");
    EXPECT(pw_compile_source("x.pw", NULL, 0, NULL, &p, err), PW_ERR_USAGE, "pw_compile_source: NULL source");
    EXPECT(pw_compile_source(NULL, "", 0, NULL, &p, err), PW_ERR_USAGE, "pw_compile: NULL argument");
    EXPECT(pw_compile_source("x.pw", "", 0, NULL, NULL, err), PW_ERR_USAGE, "pw_compile: NULL argument");
    void *bytes = NULL;
    size_t len = 0;
    EXPECT(pw_program_save(NULL, &bytes, &len, err), PW_ERR_USAGE, "pw_program_save: NULL argument");
    ck_assert_ptr_null(bytes);
    /* No error struct at all: the status alone, and no crash. */
    ck_assert_int_eq(pw_program_load(NULL, 0, NULL, NULL), PW_ERR_USAGE);
    ck_assert_int_eq(pw_context_new(NULL, NULL, NULL), PW_ERR_USAGE);
}
END_TEST

START_TEST(test_program_queries_null_and_out_of_range)
{
    pw_program *p = pw_test_open(USATF);
    size_t n = pw_program_count(p);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_eq(pw_program_count(NULL), 0);
    ck_assert_ptr_null(pw_program_id(NULL, 0));
    ck_assert_ptr_null(pw_program_id(p, n));
    ck_assert_ptr_null(pw_program_title(NULL, 0));
    ck_assert_ptr_null(pw_program_title(p, n));
    size_t idx = 99;
    EXPECT(pw_program_find(NULL, "x", &idx, err), PW_ERR_USAGE, "pw_program_find: NULL argument");
    EXPECT(pw_program_find(p, NULL, &idx, err), PW_ERR_USAGE, "pw_program_find: NULL argument");
    EXPECT(pw_program_find(p, "x", NULL, err), PW_ERR_USAGE, "pw_program_find: NULL argument");
    EXPECT(pw_program_find(p, "nope", &idx, err), PW_ERR_USAGE, "no program `nope` in this rule set");
    ck_assert_uint_eq(pw_requirement_count(NULL, 0), 0);
    ck_assert_uint_eq(pw_requirement_count(p, n), 0);
    size_t nreq = pw_requirement_count(p, 0);
    pw_requirement info;
    char want[160];
    snprintf(want, sizeof want, "pw_requirement_info: no requirement %zu in program 0", nreq);
    EXPECT(pw_requirement_info(p, 0, nreq, &info, err), PW_ERR_USAGE, want);
    EXPECT(pw_requirement_info(p, 0, 0, NULL, err), PW_ERR_USAGE, "pw_requirement_info: no requirement 0 in program 0");
    snprintf(want, sizeof want, "pw_requirement_info: no requirement 0 in program %zu", n);
    EXPECT(pw_requirement_info(p, n, 0, &info, err), PW_ERR_USAGE, want);
    EXPECT(pw_requirement_info(NULL, 0, 0, &info, err), PW_ERR_USAGE,
           "pw_requirement_info: no requirement 0 in program 0");
    uint64_t fp = 5;
    snprintf(want, sizeof want, "pw_requirement_fingerprint: no requirement %zu in program 0", nreq);
    EXPECT(pw_requirement_fingerprint(p, 0, nreq, &fp, err), PW_ERR_USAGE, want);
    EXPECT(pw_requirement_fingerprint(NULL, 0, 0, &fp, err), PW_ERR_USAGE,
           "pw_requirement_fingerprint: no requirement 0 in program 0");
    EXPECT(pw_requirement_fingerprint(p, 0, 0, NULL, err), PW_ERR_USAGE,
           "pw_requirement_fingerprint: no requirement 0 in program 0");
    ck_assert_uint_eq(fp, 5);
    /* Period and window of a program that is not there: the widest. */
    pw_date from = 1, until = 1, opens = 1, closes = 1;
    pw_program_period(NULL, 0, &from, &until);
    ck_assert_int_eq(from, PW_DATE_MIN);
    ck_assert_int_eq(until, PW_DATE_MAX);
    pw_program_period(p, n, NULL, NULL); /* both outputs optional */
    pw_program_window(p, n, &opens, &closes);
    ck_assert_int_eq(opens, PW_DATE_MIN);
    ck_assert_int_eq(closes, PW_DATE_MAX);
    pw_program_window(NULL, 0, NULL, NULL);
    ck_assert(!pw_program_has_window(NULL, 0));
    ck_assert(!pw_program_has_window(p, n));
    ck_assert(!pw_program_dated(NULL, 0));
    ck_assert(!pw_program_dated(p, n));
    ck_assert(!pw_program_is_first_version(NULL, 0));
    ck_assert(!pw_program_is_first_version(p, n));
    /* An index out of range comes back unchanged (nothing to resolve). */
    ck_assert_uint_eq(pw_program_version_at(NULL, 3, 0), 3);
    ck_assert_uint_eq(pw_program_version_at(p, n, 0), n);
    pw_program_free(p);
    pw_program_free(NULL);
}
END_TEST

START_TEST(test_context_null_arguments)
{
    pw_program *p = pw_test_open(USATF);
    pw_context *ctx = NULL;
    EXPECT(pw_context_new(NULL, &ctx, err), PW_ERR_USAGE, "pw_context_new: NULL argument");
    EXPECT(pw_context_new(p, NULL, err), PW_ERR_USAGE, "pw_context_new: NULL argument");
    ck_assert_ptr_null(ctx);
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    EXPECT(pw_context_reset(NULL, err), PW_ERR_USAGE, "pw_context_reset: NULL context");
    EXPECT(pw_context_set_json(NULL, "{}", 2, err), PW_ERR_USAGE, "pw_context_set_json: NULL argument");
    EXPECT(pw_context_set_json(ctx, NULL, 2, err), PW_ERR_USAGE, "pw_context_set_json: NULL argument");
    EXPECT(pw_context_set_limits(NULL, NULL, err), PW_ERR_USAGE, "pw_context_set_limits: NULL context");
    EXPECT(pw_context_set_int(NULL, "x", 1, err), PW_ERR_USAGE, "pw_context_set_int: NULL argument");
    EXPECT(pw_context_set_int(ctx, NULL, 1, err), PW_ERR_USAGE, "pw_context_set_int: NULL argument");
    EXPECT(pw_context_set_number(NULL, "x", 1, err), PW_ERR_USAGE, "pw_context_set_number: NULL argument");
    EXPECT(pw_context_set_number(ctx, NULL, 1, err), PW_ERR_USAGE, "pw_context_set_number: NULL argument");
    EXPECT(pw_context_set_bool(NULL, "x", 1, err), PW_ERR_USAGE, "pw_context_set_bool: NULL argument");
    EXPECT(pw_context_set_bool(ctx, NULL, 1, err), PW_ERR_USAGE, "pw_context_set_bool: NULL argument");
    EXPECT(pw_context_set_text(NULL, "x", "y", err), PW_ERR_USAGE, "pw_context_set_text: NULL argument");
    EXPECT(pw_context_set_text(ctx, NULL, "y", err), PW_ERR_USAGE, "pw_context_set_text: NULL argument");
    EXPECT(pw_context_set_text(ctx, "id", NULL, err), PW_ERR_FACTS, "`id`: no text given (NULL)");
    EXPECT(pw_context_set_date(NULL, "x", 1, err), PW_ERR_USAGE, "pw_context_set_date: NULL argument");
    EXPECT(pw_context_set_date(ctx, NULL, 1, err), PW_ERR_USAGE, "pw_context_set_date: NULL argument");
    EXPECT(pw_context_set_none(NULL, "x", err), PW_ERR_USAGE, "pw_context_set_none: NULL argument");
    EXPECT(pw_context_set_none(ctx, NULL, err), PW_ERR_USAGE, "pw_context_set_none: NULL argument");
    size_t idx;
    EXPECT(pw_context_add(NULL, "roles", &idx, err), PW_ERR_USAGE, "pw_context_add: NULL argument");
    EXPECT(pw_context_add(ctx, NULL, &idx, err), PW_ERR_USAGE, "pw_context_add: NULL argument");
    EXPECT(pw_context_add(ctx, "roles", NULL, err), PW_ERR_USAGE, "pw_context_add: NULL argument");
    EXPECT(pw_evaluate(NULL, 0, 0, err), PW_ERR_USAGE, "pw_evaluate: NULL context");
    EXPECT(pw_evaluate_all(NULL, 0, err), PW_ERR_USAGE, "pw_evaluate_all: NULL context");
    char buf[64];
    size_t needed;
    EXPECT(pw_eval_json(NULL, "{}", 2, 0, buf, sizeof buf, &needed, err), PW_ERR_USAGE,
           "pw_eval_json: NULL argument");
    EXPECT(pw_eval_json(ctx, NULL, 2, 0, buf, sizeof buf, &needed, err), PW_ERR_USAGE,
           "pw_eval_json: NULL argument");
    char *line = NULL;
    EXPECT(pw_eval_json_alloc(ctx, "{}", 2, 0, NULL, &needed, err), PW_ERR_USAGE,
           "pw_eval_json_alloc: NULL argument");
    EXPECT(pw_eval_json_alloc(NULL, "{}", 2, 0, &line, &needed, err), PW_ERR_USAGE,
           "pw_eval_json: NULL argument");
    ck_assert_ptr_null(line);
    pw_context_free(ctx);
    pw_context_free(NULL);
    pw_program_free(p);
}
END_TEST

/* Results asked of no context, a program out of range, or a program not
 * evaluated: the documented empty answers. */
START_TEST(test_results_without_evaluation)
{
    pw_program *p = pw_test_open(USATF);
    size_t n = pw_program_count(p);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    ck_assert(!pw_result_eligible(NULL, 0));
    ck_assert(!pw_result_eligible(ctx, 0));
    ck_assert(!pw_result_eligible(ctx, n));
    ck_assert_int_eq(pw_result_verdict(NULL, 0), PW_VERDICT_NO_PROGRAM);
    ck_assert_int_eq(pw_result_verdict(ctx, n), PW_VERDICT_NO_PROGRAM);
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_VERDICT_NOT_EVALUATED);
    ck_assert_int_eq(pw_result_outcome(NULL, 0, 0), PW_NO_REQUIREMENT);
    ck_assert_int_eq(pw_result_outcome(ctx, n, 0), PW_NO_REQUIREMENT);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, pw_requirement_count(p, 0)), PW_NO_REQUIREMENT);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 0), PW_NOT_EVALUATED);
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 0), 0);
    ck_assert_ptr_null(pw_result_unmet_label(ctx, 0, 0));
    ck_assert_uint_eq(pw_result_preferred_unmet_count(ctx, 0), 0);
    ck_assert_ptr_null(pw_result_preferred_unmet_label(ctx, 0, 0));
    ck_assert_uint_eq(pw_result_advice_count(ctx, 0), 0);
    ck_assert_ptr_null(pw_result_advice(ctx, 0, 0));
    /* Evaluated: an index past a list is NULL, not a neighbour's label. */
    pw_date day = pw_test_day("2026-11-23");
    ck_assert_int_eq(pw_context_set_json(ctx, coach, strlen(coach), NULL), PW_OK);
    ck_assert_int_eq(pw_evaluate_all(ctx, day, NULL), PW_OK);
    for (size_t k = 0; k < n; k++) {
        ck_assert_ptr_null(pw_result_unmet_label(ctx, k, pw_result_unmet_count(ctx, k)));
        ck_assert_ptr_null(pw_result_preferred_unmet_label(ctx, k, pw_result_preferred_unmet_count(ctx, k)));
        ck_assert_ptr_null(pw_result_advice(ctx, k, pw_result_advice_count(ctx, k)));
    }
    char want[128];
    snprintf(want, sizeof want, "pw_evaluate: no program %zu (the rule set has %zu)", n, n);
    EXPECT(pw_evaluate(ctx, n, day, err), PW_ERR_USAGE, want);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(test_result_format_arguments)
{
    pw_program *p = pw_test_open(USATF);
    size_t n = pw_program_count(p);
    pw_result_format *f = NULL;
    pw_date day = pw_test_day("2026-11-23");
    size_t one = 0, bad = n;
    EXPECT(pw_result_format_new(NULL, day, NULL, 0, &f, err), PW_ERR_USAGE, "pw_result_format_new: NULL argument");
    EXPECT(pw_result_format_new(p, day, NULL, 0, NULL, err), PW_ERR_USAGE, "pw_result_format_new: NULL argument");
    EXPECT(pw_result_format_new(p, day, NULL, 1, &f, err), PW_ERR_USAGE, "pw_result_format_new: NULL argument");
    char want[128];
    snprintf(want, sizeof want, "pw_result_format_new: no program %zu", n);
    EXPECT(pw_result_format_new(p, day, &bad, 1, &f, err), PW_ERR_USAGE, want);
    EXPECT(pw_result_format_new(p, pw_test_day("1800-01-01") - 1, NULL, 0, &f, err), PW_ERR_USAGE,
           "the evaluation date is outside the years 1800-2999");
    EXPECT(pw_result_format_new(p, pw_test_day("2999-12-31") + 1, NULL, 0, &f, err), PW_ERR_USAGE,
           "the evaluation date is outside the years 1800-2999");
    ck_assert_ptr_null(f);
    ck_assert_int_eq(pw_result_format_new(p, day, &one, 1, &f, NULL), PW_OK);
    /* A format is for contexts of its own program only; no context, no line. */
    char buf[16] = "unchanged";
    ck_assert_uint_eq(pw_result_format_json(f, NULL, "x", buf, sizeof buf), 0);
    ck_assert_uint_eq(pw_result_format_json(NULL, NULL, "x", buf, sizeof buf), 0);
    pw_program *q = pw_test_open(USATF);
    pw_context *other;
    ck_assert_int_eq(pw_context_new(q, &other, NULL), PW_OK);
    ck_assert_uint_eq(pw_result_format_json(f, other, "x", buf, sizeof buf), 0);
    pw_context_free(other);
    pw_program_free(q);
    pw_result_format_free(f);
    pw_result_format_free(NULL);
    pw_program_free(p);
}
END_TEST

/* pw_context_set_json's errors: where the JSON stops, and what follows it. */
START_TEST(test_set_json_positions)
{
    pw_program *p = pw_test_open(USATF);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    pw_error e;
    ck_assert_int_eq(pw_context_set_json(ctx, "{\n  \"id\": x}", 12, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "invalid JSON at byte 10");
    ck_assert_uint_eq(e.line, 2);
    ck_assert_uint_eq(e.column, 9);
    ck_assert_int_eq(pw_context_set_json(ctx, "{}\n x", 5, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "unexpected text after the JSON value at byte 4");
    ck_assert_uint_eq(e.line, 2);
    ck_assert_uint_eq(e.column, 2);
    /* White space of each kind after the value is fine; the record is then
     * short of its required fields. */
    ck_assert_int_eq(pw_context_set_json(ctx, "{} \t\r\n", 6, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "missing required field `id`");
    ck_assert_str_eq(e.field, "id");
    /* Without a pw_error, the same statuses. */
    ck_assert_int_eq(pw_context_set_json(ctx, "{", 1, NULL), PW_ERR_FACTS);
    ck_assert_int_eq(pw_context_set_json(ctx, "{} x", 4, NULL), PW_ERR_FACTS);
    ck_assert_int_eq(pw_context_set_json(ctx, "{\"id\":1}", 8, NULL), PW_ERR_FACTS);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* pw_eval_json's buffer: too small is PW_ERR_USAGE with the line cut and
 * the size needed; no buffer at all asks only the size. */
START_TEST(test_eval_json_buffer)
{
    pw_program *p = pw_test_open(USATF);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    pw_date day = pw_test_day("2026-11-23");
    char full[8192];
    size_t needed = 0;
    ck_assert_int_eq(pw_eval_json(ctx, coach, strlen(coach), day, full, sizeof full, &needed, NULL), PW_OK);
    ck_assert_uint_eq(needed, strlen(full));
    ck_assert_uint_gt(needed, 10);
    char small[8];
    size_t again = 0;
    char want[160];
    snprintf(want, sizeof want, "pw_eval_json: the line needs %zu bytes and a NUL; the buffer has 8", needed);
    EXPECT(pw_eval_json(ctx, coach, strlen(coach), day, small, sizeof small, &again, err), PW_ERR_USAGE, want);
    ck_assert_uint_eq(again, needed);
    ck_assert_int_eq(strncmp(small, full, 7), 0);
    ck_assert_uint_eq(strlen(small), 7);
    /* Exactly the line's length leaves no room for the NUL. */
    char *exact = malloc(needed);
    snprintf(want, sizeof want, "pw_eval_json: the line needs %zu bytes and a NUL; the buffer has %zu", needed, needed);
    EXPECT(pw_eval_json(ctx, coach, strlen(coach), day, exact, needed, NULL, err), PW_ERR_USAGE, want);
    free(exact);
    snprintf(want, sizeof want, "pw_eval_json: the line needs %zu bytes and a NUL; the buffer has 0", needed);
    again = 0;
    EXPECT(pw_eval_json(ctx, coach, strlen(coach), day, NULL, 0, &again, err), PW_ERR_USAGE, want);
    ck_assert_uint_eq(again, needed);
    /* A later date makes a new format; the line is that date's. */
    char later[8192];
    ck_assert_int_eq(pw_eval_json(ctx, coach, strlen(coach), pw_test_day("2030-01-01"), later, sizeof later, NULL, NULL),
                     PW_OK);
    ck_assert_str_ne(later, full);
    ck_assert_int_eq(pw_eval_json(ctx, coach, strlen(coach), day, later, sizeof later, NULL, NULL), PW_OK);
    ck_assert_str_eq(later, full);
    /* The allocated form, with and without the length. */
    char *line = NULL;
    ck_assert_int_eq(pw_eval_json_alloc(ctx, coach, strlen(coach), day, &line, NULL, NULL), PW_OK);
    ck_assert_str_eq(line, full);
    pw_free(line);
    /* An evaluation date out of range is refused by the format. */
    EXPECT(pw_eval_json(ctx, coach, strlen(coach), pw_test_day("1800-01-01") - 1, full, sizeof full, NULL, err),
           PW_ERR_USAGE, "the evaluation date is outside the years 1800-2999");
    line = (char *)full;
    EXPECT(pw_eval_json_alloc(ctx, "[1]", 3, day, &line, NULL, err), PW_ERR_FACTS,
           "expected a JSON object, got an array");
    ck_assert_ptr_null(line);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* Records pw_eval_json cannot take: its errors are pw_context_set_json's,
 * with the place in the text. */
START_TEST(test_eval_json_bad_records)
{
    pw_program *p = pw_test_open(USATF);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    pw_date day = pw_test_day("2026-11-23");
    char buf[4096];
    EXPECT(pw_eval_json(ctx, "[]", 2, day, buf, sizeof buf, NULL, err), PW_ERR_FACTS,
           "expected a JSON object, got an array");
    EXPECT(pw_eval_json(ctx, "{} {}", 5, day, buf, sizeof buf, NULL, err), PW_ERR_FACTS,
           "unexpected text after the JSON value at byte 3");
    EXPECT(pw_eval_json(ctx, "{\"id\":", 6, day, buf, sizeof buf, NULL, err), PW_ERR_FACTS,
           "invalid JSON at byte 5");
    /* White space after the record is fine. */
    char rec[1024];
    snprintf(rec, sizeof rec, "%s \t\r\n", coach);
    ck_assert_int_eq(pw_eval_json(ctx, rec, strlen(rec), day, buf, sizeof buf, NULL, NULL), PW_OK);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* A rule set whose record has no `id` field: the line's id is null, whatever
 * the record's `id` key holds (here a number). */
START_TEST(test_eval_json_without_id_field)
{
    static const char src[] = "facts coach {\n  n: integer = 0\n}\nprogram p \"P\" {\n  require \"n\": n >= 1\n}\n";
    pw_program *p = NULL;
    pw_error e;
    ck_assert_msg(pw_compile_source("noid.pw", src, strlen(src), NULL, &p, &e) == PW_OK, "%s", e.message);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    char a[1024], b[1024];
    pw_date day = pw_test_day("2026-11-23");
    ck_assert_int_eq(pw_eval_json(ctx, "{\"id\":5,\"n\":1}", 14, day, a, sizeof a, NULL, &e), PW_OK);
    ck_assert_int_eq(pw_eval_json(ctx, "{\"n\":1}", 7, day, b, sizeof b, NULL, &e), PW_OK);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(a, "\"id\":null"));
    /* The same through the cJSON tree (the fast path declines any \u
     * escape), with white space of each kind after the record: an id that
     * is no text is none there too, one that is text is the line's. */
    static const char *const tree[] = {
        "{\"id\":5,\"n\":1,\"z\":\"\\u0041\"} \t",
        "{\"n\":1,\"z\":\"\\u0041\"}\r\n",
        "{\"id\":\"\\u0041\",\"n\":1}\n",
    };
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(pw_eval_json(ctx, tree[i], strlen(tree[i]), day, a, sizeof a, NULL, &e), PW_OK);
        if (i < 2)
            ck_assert_str_eq(a, b);
        else
            ck_assert_ptr_nonnull(strstr(a, "\"id\":\"A\""));
    }
    /* pw_result_format_json: the line's length whatever the buffer. */
    pw_result_format *f;
    ck_assert_int_eq(pw_result_format_new(p, day, NULL, 0, &f, NULL), PW_OK);
    size_t n = pw_result_format_json(f, ctx, NULL, NULL, 0);
    ck_assert_uint_eq(n, strlen(b));
    char cut[5];
    ck_assert_uint_eq(pw_result_format_json(f, ctx, NULL, cut, sizeof cut), n);
    ck_assert_int_eq(strncmp(cut, b, 4), 0);
    ck_assert_uint_eq(strlen(cut), 4);
    /* An `id` key holding U+0000 is refused even where no field reads it:
     * no line could name the record without cutting its id short. */
    static const char nul_id[] = "{\"id\":\"a\\u0000b\",\"n\":1}";
    ck_assert_int_eq(pw_eval_json(ctx, nul_id, strlen(nul_id), day, a, sizeof a, NULL, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "`id`: text holds \\u0000 (U+0000), which facts text and keys may not contain");
    pw_result_format_free(f);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* Arguments of the smaller calls: header probing, saving, initialisers,
 * fingerprints of a program out of range, result buffers of size 0. */
START_TEST(test_small_calls)
{
    uint32_t fmt = 0;
    EXPECT(pw_bytecode_format_of("PWCXxxxxxxxxxxxxxxxx", 20, &fmt, err), PW_ERR_FORMAT,
           "not a .pwc image: no bytecode header");
    EXPECT(pw_bytecode_format_of("", 0, &fmt, err), PW_ERR_FORMAT, "not a .pwc image: no bytecode header");
    pw_program *p = pw_test_open(USATF);
    void *bytes = NULL;
    size_t len = 0;
    ck_assert_int_eq(pw_program_save(p, &bytes, &len, NULL), PW_OK);
    ck_assert_int_eq(pw_bytecode_format_of(bytes, len, &fmt, NULL), PW_OK);
    ck_assert_uint_gt(fmt, 0);
    pw_free(bytes);
    bytes = NULL;
    EXPECT(pw_program_save(p, NULL, &len, err), PW_ERR_USAGE, "pw_program_save: NULL argument");
    EXPECT(pw_program_save(p, &bytes, NULL, err), PW_ERR_USAGE, "pw_program_save: NULL argument");
    ck_assert_ptr_null(bytes);
    pw_limits_init(NULL);          /* documented as harmless */
    pw_compile_options_init(NULL);
    size_t n = pw_program_count(p);
    uint64_t fp = 5;
    char want[128];
    snprintf(want, sizeof want, "pw_requirement_fingerprint: no requirement 0 in program %zu", n);
    EXPECT(pw_requirement_fingerprint(p, n, 0, &fp, err), PW_ERR_USAGE, want);
    ck_assert_uint_eq(fp, 5);
    /* Size 0: nothing written, the length still told. */
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    pw_date day = pw_test_day("2026-11-23");
    ck_assert_int_eq(pw_context_set_json(ctx, coach, strlen(coach), NULL), PW_OK);
    ck_assert_int_eq(pw_evaluate_all(ctx, day, NULL), PW_OK);
    pw_result_format *f;
    ck_assert_int_eq(pw_result_format_new(p, day, NULL, 0, &f, NULL), PW_OK);
    char keep[4] = "abc";
    size_t line = pw_result_format_json(f, ctx, "C1", keep, 0);
    ck_assert_uint_gt(line, 0);
    ck_assert_str_eq(keep, "abc");
    size_t needed = 0;
    snprintf(want, sizeof want, "pw_eval_json: the line needs %zu bytes and a NUL; the buffer has 0",
             (size_t)pw_result_format_json(f, ctx, "C0001", NULL, 0));
    EXPECT(pw_eval_json(ctx, coach, strlen(coach), day, keep, 0, &needed, err), PW_ERR_USAGE, want);
    ck_assert_str_eq(keep, "abc");
    pw_result_format_free(f);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* An evaluation that runs out of its instruction budget: PW_ERR_EVAL,
 * naming the program, with the rule file's place when there is one. */
START_TEST(test_evaluation_error)
{
    static const char src[] = "facts coach {\n  n: integer = 0\n}\n"
                              "program p \"P\" {\n  require \"n\": n >= 1\n}\n";
    pw_program *p = NULL;
    pw_error e;
    ck_assert_msg(pw_compile_source("budget.pw", src, strlen(src), NULL, &p, &e) == PW_OK, "%s", e.message);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    pw_limits lim;
    pw_limits_init(&lim);
    lim.max_instructions = 1;
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, "{\"n\":1}", 7, NULL), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, pw_test_day("2026-01-01"), &e), PW_ERR_EVAL);
    ck_assert_str_eq(e.message, "budget.pw:5:16: instruction budget exceeded (1 instructions) (program `p`)");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_VERDICT_NOT_EVALUATED);
    ck_assert_str_eq(e.file, "budget.pw");
    ck_assert_uint_eq(e.line, 5);
    ck_assert_uint_eq(e.column, 16);
    /* Without a pw_error: the status alone. */
    ck_assert_int_eq(pw_evaluate(ctx, 0, pw_test_day("2026-01-01"), NULL), PW_ERR_EVAL);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* A format asked of a context whose dated or windowed programs were not
 * evaluated: "not_eligible", as the contract has always said, never a
 * status the program cannot have. */
START_TEST(test_format_not_evaluated)
{
    static const char src[] = "facts coach {\n  age: integer\n}\n"
                              "program fall \"Fall\"\n  enrolment open from 2027-03-01 until 2027-06-15\n"
                              "{\n  require \"adult\": age >= 18\n}\n"
                              "program spring \"Spring\"\n  effective from 2027-01-01\n"
                              "{\n  require \"adult\": age >= 18\n}\n";
    pw_program *p = NULL;
    pw_error e;
    ck_assert_msg(pw_compile_source("dated.pw", src, strlen(src), NULL, &p, &e) == PW_OK, "%s", e.message);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    pw_date day = pw_test_day("2026-11-23");
    pw_result_format *f;
    ck_assert_int_eq(pw_result_format_new(p, day, NULL, 0, &f, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, "{\"age\":30}", 10, NULL), PW_OK);
    char line[2048];
    ck_assert_uint_lt(pw_result_format_json(f, ctx, "x", line, sizeof line), sizeof line);
    const char *first = strstr(line, "\"status\":\"not_eligible\"");
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(strstr(first + 1, "\"status\":\"not_eligible\""));
    ck_assert_ptr_null(strstr(line, "\"status\":\"eligible\""));
    ck_assert_ptr_null(strstr(line, "not_yet"));
    /* Evaluated on the same day, their real statuses. */
    ck_assert_int_eq(pw_evaluate_all(ctx, day, NULL), PW_OK);
    ck_assert_uint_lt(pw_result_format_json(f, ctx, "x", line, sizeof line), sizeof line);
    ck_assert_ptr_nonnull(strstr(line, "\"status\":\"not_yet_open\""));
    ck_assert_ptr_nonnull(strstr(line, "\"status\":\"not_yet_in_force\""));
    pw_result_format_free(f);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api_branches");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_program_null_arguments);
    tcase_add_test(tc, test_program_queries_null_and_out_of_range);
    tcase_add_test(tc, test_context_null_arguments);
    tcase_add_test(tc, test_results_without_evaluation);
    tcase_add_test(tc, test_result_format_arguments);
    tcase_add_test(tc, test_set_json_positions);
    tcase_add_test(tc, test_eval_json_buffer);
    tcase_add_test(tc, test_eval_json_bad_records);
    tcase_add_test(tc, test_eval_json_without_id_field);
    tcase_add_test(tc, test_small_calls);
    tcase_add_test(tc, test_evaluation_error);
    tcase_add_test(tc, test_format_not_evaluated);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
