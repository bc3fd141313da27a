/* The public API's ABI hygiene (docs/embedding.md, "ABI and versioning"):
 * version numbers, the bytecode format, size-carrying option structures,
 * status names, structured error fields and the open-ended dates. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "pathway.h"

static const char *const rules =
    "facts coach {\n"
    "  id: text\n"
    "  birth_date: date\n"
    "}\n"
    "define age = years since birth_date\n"
    "program adult \"Adult\" {\n"
    "  require \"is an adult\": age >= 18\n"
    "}\n";

static pw_program *compiled(void)
{
    pw_program *p = NULL;
    pw_error err;
    ck_assert_int_eq(pw_compile_source("abi.pw", rules, strlen(rules), NULL, &p, &err), PW_OK);
    return p;
}

START_TEST(test_version_numbers)
{
    ck_assert_int_eq(pw_version_number(), PW_VERSION_NUMBER);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", PW_VERSION_MAJOR, PW_VERSION_MINOR, PW_VERSION_PATCH);
    ck_assert_str_eq(pw_version(), want);
    ck_assert_uint_eq(pw_bytecode_format(), PW_BYTECODE_FORMAT);
}
END_TEST

START_TEST(test_bytecode_format_of)
{
    pw_program *p = compiled();
    void *bytes = NULL;
    size_t len = 0;
    pw_error err;
    ck_assert_int_eq(pw_program_save(p, &bytes, &len, &err), PW_OK);
    uint32_t format = 0;
    ck_assert_int_eq(pw_bytecode_format_of(bytes, len, &format, &err), PW_OK);
    ck_assert_uint_eq(format, pw_bytecode_format());
    /* A newer format is read from the header although the loader refuses it. */
    ((unsigned char *)bytes)[8] = 99;
    ck_assert_int_eq(pw_bytecode_format_of(bytes, len, &format, &err), PW_OK);
    ck_assert_uint_eq(format, 99);
    pw_program *q = NULL;
    ck_assert_int_eq(pw_program_load(bytes, len, &q, &err), PW_ERR_FORMAT);
    ck_assert_int_eq(pw_bytecode_format_of("facts x {}", 10, &format, &err), PW_ERR_FORMAT);
    ck_assert_int_eq(pw_bytecode_format_of(bytes, 5, &format, &err), PW_ERR_FORMAT);
    pw_free(bytes);
    pw_free(NULL);
    pw_program_free(p);
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(pw_status_name(PW_OK), "PW_OK");
    ck_assert_str_eq(pw_status_name(PW_ERR_FACTS), "PW_ERR_FACTS");
    ck_assert_str_eq(pw_status_name(PW_ERR_NOMEM), "PW_ERR_NOMEM");
    ck_assert_str_eq(pw_status_name((pw_status)1000), "PW_UNKNOWN");
}
END_TEST

START_TEST(test_option_sizes)
{
    pw_compile_options opt;
    pw_compile_options_init(&opt);
    ck_assert_uint_eq(opt.size, sizeof opt);
    pw_limits lim;
    pw_limits_init(&lim);
    ck_assert_uint_eq(lim.size, sizeof lim);
    pw_explain_options xo;
    pw_explain_options_init(&xo);
    ck_assert_uint_eq(xo.size, sizeof xo);

    pw_program *p = NULL;
    pw_error err;
    lim.max_nesting = 1;
    opt.limits = &lim;
    /* The limit is read: one level of brackets is too many for `program {`. */
    ck_assert_int_ne(pw_compile_source("abi.pw", rules, strlen(rules), &opt, &p, &err), PW_OK);

    /* An older caller whose struct ends before `limits`: the limit is not
     * read, the defaults apply. */
    opt.size = offsetof(pw_compile_options, limits);
    ck_assert_int_eq(pw_compile_source("abi.pw", rules, strlen(rules), &opt, &p, &err), PW_OK);
    pw_program_free(p);

    /* A newer caller: larger, with the unknown tail zero, is accepted; with
     * it set, refused. */
    struct {
        pw_compile_options opt;
        int newer_field;
    } big;
    memset(&big, 0, sizeof big);
    big.opt.size = sizeof big;
    ck_assert_int_eq(pw_compile_source("abi.pw", rules, strlen(rules), &big.opt, &p, &err), PW_OK);
    pw_program_free(p);
    big.newer_field = 1;
    ck_assert_int_eq(pw_compile_source("abi.pw", rules, strlen(rules), &big.opt, &p, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "does not know"));

    /* Contexts read pw_limits the same way. */
    p = compiled();
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    pw_limits_init(&lim);
    lim.size = 1;
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, &err), PW_ERR_USAGE);
    pw_limits_init(&lim);
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, &err), PW_OK);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(test_structured_errors)
{
    pw_program *p = NULL;
    pw_error err;
    const char *bad = "facts coach {\n  id: text\n}\nprogram x \"X\" {\n  require \"r\": nope > 1\n}\n";
    ck_assert_int_eq(pw_compile_source("bad.pw", bad, strlen(bad), NULL, &p, &err), PW_ERR_COMPILE);
    ck_assert_str_eq(err.file, "bad.pw");
    ck_assert_uint_eq(err.line, 5);
    ck_assert_uint_gt(err.column, 1);
    ck_assert_str_eq(err.field, "");

    p = compiled();
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    const char *wrong = "{\"id\":\"C1\",\"birth_date\":\"not a date\"}";
    ck_assert_int_eq(pw_context_set_json(ctx, wrong, strlen(wrong), &err), PW_ERR_FACTS);
    ck_assert_str_eq(err.field, "birth_date");
    ck_assert_str_eq(err.file, "");
    const char *broken = "{\"id\":\"C1\",\n  \"birth_date\" 1}";
    ck_assert_int_eq(pw_context_set_json(ctx, broken, strlen(broken), &err), PW_ERR_FACTS);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_gt(err.column, 1);
    /* Success clears the fields. */
    const char *good = "{\"id\":\"C1\",\"birth_date\":\"2000-01-01\"}";
    ck_assert_int_eq(pw_context_set_json(ctx, good, strlen(good), &err), PW_OK);
    ck_assert_uint_eq(err.line, 0);
    ck_assert_str_eq(err.field, "");
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(test_open_dates_formatted)
{
    char buf[11];
    pw_date_format(PW_DATE_MAX, buf);
    ck_assert_str_eq(buf, "infinity");
    pw_date_format(PW_DATE_MIN, buf);
    ck_assert_str_eq(buf, "-infinity");
    pw_date d;
    ck_assert_int_eq(pw_date_parse("2026-11-23", &d, NULL), PW_OK);
    pw_date_format(d, buf);
    ck_assert_str_eq(buf, "2026-11-23");
}
END_TEST

static Suite *abi_suite(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("abi");
    tcase_add_test(tc, test_version_numbers);
    tcase_add_test(tc, test_bytecode_format_of);
    tcase_add_test(tc, test_status_names);
    tcase_add_test(tc, test_option_sizes);
    tcase_add_test(tc, test_structured_errors);
    tcase_add_test(tc, test_open_dates_formatted);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(abi_suite());
}
