/* The coarse call: one coach's eval line (docs/coach-record.md, "eval
 * output") from pw_eval_json is byte for byte what `pathway eval` prints,
 * and reading a coach's results costs one call however many programs and
 * unmet requirements there are. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "pathway.h"

#define RULES PW_SOURCE_DIR "/rules/usatf/usatf.pw"
#define COACHES PW_SOURCE_DIR "/examples/coaches.jsonl"
#define EXPECTED PW_SOURCE_DIR "/examples/coaches.expected.jsonl"

static pw_program *usatf(void)
{
    pw_program *p = NULL;
    pw_error err;
    ck_assert_msg(pw_program_open(RULES, NULL, &p, &err) == PW_OK, "%s", err.message);
    return p;
}

static pw_date day(const char *text)
{
    pw_date d;
    ck_assert_int_eq(pw_date_parse(text, &d, NULL), PW_OK);
    return d;
}

/* The example coaches give the example output, line for line (the same file
 * tests/cli/rules_usatf.sh holds `pathway eval` to). */
START_TEST(test_same_bytes_as_eval)
{
    pw_program *p = usatf();
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    FILE *in = fopen(COACHES, "r"), *want = fopen(EXPECTED, "r");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(want);
    char rec[8192], line[16384], got[16384];
    size_t n = 0;
    while (fgets(rec, sizeof rec, in)) {
        ck_assert_ptr_nonnull(fgets(line, sizeof line, want));
        size_t needed = 0;
        ck_assert_msg(pw_eval_json(ctx, rec, strlen(rec), day("2026-11-23"), got, sizeof got, &needed, &err) ==
                          PW_OK,
                      "%s", err.message);
        ck_assert_str_eq(got, line);
        ck_assert_uint_eq(needed, strlen(line));
        char *owned = NULL;
        size_t len = 0;
        ck_assert_int_eq(pw_eval_json_alloc(ctx, rec, strlen(rec), day("2026-11-23"), &owned, &len, &err), PW_OK);
        ck_assert_str_eq(owned, line);
        ck_assert_uint_eq(len, strlen(line));
        pw_free(owned);
        n++;
    }
    ck_assert_uint_gt(n, 3);
    ck_assert_ptr_null(fgets(line, sizeof line, want));
    fclose(in);
    fclose(want);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(test_buffer_too_small)
{
    pw_program *p = usatf();
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    const char *rec = "{\"id\":\"C9\",\"birth_date\":\"2000-01-01\"}";
    size_t needed = 0;
    char small[8];
    ck_assert_int_eq(pw_eval_json(ctx, rec, strlen(rec), day("2026-11-23"), small, sizeof small, &needed, &err),
                     PW_ERR_USAGE);
    ck_assert_uint_gt(needed, sizeof small);
    ck_assert_str_eq(small, "{\"id\":\"");
    /* Asking for the size only. */
    ck_assert_int_eq(pw_eval_json(ctx, rec, strlen(rec), day("2026-11-23"), NULL, 0, &needed, &err), PW_ERR_USAGE);
    char *big = malloc(needed + 1);
    ck_assert_int_eq(pw_eval_json(ctx, rec, strlen(rec), day("2026-11-23"), big, needed + 1, NULL, &err), PW_OK);
    ck_assert_uint_eq(strlen(big), needed);
    ck_assert_ptr_nonnull(strstr(big, "\"id\":\"C9\""));
    free(big);
    /* Bad facts: the facts error, with its place. */
    const char *bad = "{\"id\":\"C9\",\n\"birth_date\" 1}";
    ck_assert_int_eq(pw_eval_json(ctx, bad, strlen(bad), day("2026-11-23"), NULL, 0, &needed, &err), PW_ERR_FACTS);
    ck_assert_uint_eq(err.line, 2);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* Counts the public calls a host makes to read one coach's results. */
static unsigned calls;
#define CALL(x) (calls++, (x))

/* Field by field: set, evaluate, then per program its verdict and each
 * unmet and preferred label. */
static unsigned field_by_field(pw_context *ctx, const pw_program *p, const char *rec, pw_date as_of)
{
    calls = 0;
    pw_error err;
    ck_assert_int_eq(CALL(pw_context_set_json(ctx, rec, strlen(rec), &err)), PW_OK);
    ck_assert_int_eq(CALL(pw_evaluate_all(ctx, as_of, &err)), PW_OK);
    size_t np = CALL(pw_program_count(p));
    for (size_t k = 0; k < np; k++) {
        if (!CALL(pw_program_is_first_version(p, k)))
            continue;
        size_t v = CALL(pw_program_version_at(p, k, as_of));
        (void)CALL(pw_program_id(p, v));
        (void)CALL(pw_result_verdict(ctx, v));
        size_t nu = CALL(pw_result_unmet_count(ctx, v));
        for (size_t i = 0; i < nu; i++)
            (void)CALL(pw_result_unmet_label(ctx, v, i));
        size_t npf = CALL(pw_result_preferred_unmet_count(ctx, v));
        for (size_t i = 0; i < npf; i++)
            (void)CALL(pw_result_preferred_unmet_label(ctx, v, i));
    }
    return calls;
}

static unsigned coarse(pw_context *ctx, const char *rec, pw_date as_of)
{
    calls = 0;
    char buf[16384];
    ck_assert_int_eq(CALL(pw_eval_json(ctx, rec, strlen(rec), as_of, buf, sizeof buf, NULL, NULL)), PW_OK);
    return calls;
}

/* Ids from facts are shown as `pathway eval` shows them
 * (docs/robustness.md): a bidi override or a tab escaped. An id holding
 * U+0000 (printed cut short it would pass for another coach's) is refused
 * with the facts' own message, as every text holding it is. */
START_TEST(test_hostile_ids)
{
    pw_program *p = usatf();
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    static const struct {
        const char *rec, *starts;
    } cases[] = {
        {"{\"id\":\"C1\\u202eevil\",\"birth_date\":\"2000-01-01\"}", "{\"id\":\"C1\\u202eevil\","},
        {"{\"id\":\"tab\\there\",\"birth_date\":\"2000-01-01\"}", "{\"id\":\"tab\\there\","},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *line = NULL;
        ck_assert_msg(pw_eval_json_alloc(ctx, cases[i].rec, strlen(cases[i].rec), day("2026-11-23"), &line,
                                         NULL, &err) == PW_OK,
                      "%s", err.message);
        ck_assert_msg(strncmp(line, cases[i].starts, strlen(cases[i].starts)) == 0, "case %zu: %s", i, line);
        pw_free(line);
    }
    const char *nul = "{\"id\":\"C1\\u0000C2\",\"birth_date\":\"2000-01-01\"}";
    char *line = NULL;
    ck_assert_int_eq(pw_eval_json_alloc(ctx, nul, strlen(nul), day("2026-11-23"), &line, NULL, &err),
                     PW_ERR_FACTS);
    ck_assert_ptr_null(line);
    ck_assert_str_eq(err.field, "id");
    ck_assert_ptr_nonnull(strstr(err.message, "U+0000"));
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* A required field left out is named in err.field, at the top level and in
 * a list element; a date outside the years the line can write is refused. */
START_TEST(test_field_and_date_errors)
{
    pw_program *p = usatf();
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    char line[4096];
    const char *rec = "{\"id\":\"C1\"}";
    ck_assert_int_eq(pw_eval_json(ctx, rec, strlen(rec), day("2026-11-23"), line, sizeof line, NULL, &err),
                     PW_ERR_FACTS);
    ck_assert_str_eq(err.field, "birth_date");
    rec = "{\"id\":\"C1\",\"birth_date\":\"2000-01-01\",\"certificates\":[{\"id\":\"usatf-level-1\"}]}";
    ck_assert_int_eq(pw_eval_json(ctx, rec, strlen(rec), day("2026-11-23"), line, sizeof line, NULL, &err),
                     PW_ERR_FACTS);
    ck_assert_str_eq(err.field, "certificates[0].issued");
    rec = "{\"id\":\"C1\",\"birth_date\":\"2000-01-01\"}";
    ck_assert_int_eq(pw_eval_json(ctx, rec, strlen(rec), day("2026-11-23") + 400000, line, sizeof line, NULL, &err),
                     PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "1800-2999"));
    /* field by field: the same name when evaluating */
    ck_assert_int_eq(pw_context_reset(ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "id", "C2", &err), PW_OK);
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2026-11-23"), &err), PW_ERR_FACTS);
    ck_assert_str_eq(err.field, "birth_date");
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(test_calls_per_coach)
{
    pw_program *p = usatf();
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    FILE *in = fopen(COACHES, "r");
    ck_assert_ptr_nonnull(in);
    char rec[8192];
    unsigned most = 0, fewest = ~0u;
    while (fgets(rec, sizeof rec, in)) {
        unsigned f = field_by_field(ctx, p, rec, day("2026-11-23"));
        most = f > most ? f : most;
        fewest = f < fewest ? f : fewest;
        ck_assert_uint_eq(coarse(ctx, rec, day("2026-11-23")), 1);
    }
    fclose(in);
    /* The field-by-field path grows with the programs and the unmet
     * requirements; the coarse one does not. */
    ck_assert_uint_gt(fewest, 2 * pw_program_count(p));
    ck_assert_uint_gt(most, fewest);
    fprintf(stderr, "calls per coach: field by field %u-%u, coarse 1\n", fewest, most);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

static Suite *eval_json_suite(void)
{
    Suite *s = suite_create("eval_json");
    TCase *tc = tcase_create("eval_json");
    tcase_add_test(tc, test_same_bytes_as_eval);
    tcase_add_test(tc, test_buffer_too_small);
    tcase_add_test(tc, test_calls_per_coach);
    tcase_add_test(tc, test_hostile_ids);
    tcase_add_test(tc, test_field_and_date_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(eval_json_suite());
}
