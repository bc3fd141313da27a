/* The edges of src/explain's public entry points (issue 23): every NULL and
 * malformed argument of pw_explain, pw_when, pw_plan_find and their
 * _context forms, with the exact status and message; the days a question may
 * look at (the calendar's ends clip the horizon); the coach's `id` as the
 * context's facts give it; a program list naming an unknown program; and a
 * runtime error met on a later day of the horizon, worded as pw_evaluate
 * words it on that day. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_helpers.h"
#include "check_main.h"
#include "explain/explain.h"

static pw_program *compile(const char *src)
{
    pw_program *p = NULL;
    pw_error err;
    ck_assert_msg(pw_compile_source("t.pw", src, strlen(src), NULL, &p, &err) == PW_OK, "%s", err.message);
    return p;
}

static const char *const simple_rules = "facts coach {\n"
                                        "  id: text\n"
                                        "  n: integer = 0\n"
                                        "}\n"
                                        "program p \"P\" {\n"
                                        "  require \"n at least 1\": n >= 1\n"
                                        "}\n";
static const char *const simple_json = "{\"id\": \"a\", \"n\": 2}";

static pw_explain_options options(const char *as_of, int32_t horizon)
{
    pw_explain_options o;
    pw_explain_options_init(&o);
    o.as_of = pw_test_day(as_of);
    o.horizon_days = horizon;
    return o;
}

static char *text_of(pw_date d, char buf[11])
{
    pw_date_format(d, buf);
    return buf;
}

/* ---- arguments ------------------------------------------------------------ */

START_TEST(test_null_arguments)
{
    pw_program *p = compile(simple_rules);
    pw_explain_options o = options("2026-06-01", 30);
    pw_explanation *e = (pw_explanation *)&o; /* any non-NULL value: cleared first */
    pw_eligibility *w = (pw_eligibility *)&o;
    pw_plan *plan = (pw_plan *)&o;
    pw_error err;
    size_t n = strlen(simple_json);

    /* Whatever is wrong, the result pointer is cleared first. */
    ck_assert_int_eq(pw_explain(NULL, simple_json, n, &o, &e, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_explain: NULL argument");
    ck_assert_ptr_null(e);
    ck_assert_int_eq(pw_explain(p, NULL, n, &o, &e, &err), PW_ERR_USAGE);
    ck_assert_int_eq(pw_explain(p, simple_json, n, &o, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_explain: NULL argument");

    ck_assert_int_eq(pw_when(p, simple_json, n, NULL, &o, &w, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_when: NULL argument");
    ck_assert_ptr_null(w);
    ck_assert_int_eq(pw_when(p, simple_json, n, "p", &o, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_when: NULL argument");

    ck_assert_int_eq(pw_plan_find(p, simple_json, n, NULL, &o, &plan, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_plan_find: NULL argument");
    ck_assert_ptr_null(plan);
    ck_assert_int_eq(pw_plan_find(p, simple_json, n, "p", &o, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_plan_find: NULL argument");

    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_explain_context(NULL, &o, &e, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_explain_context: NULL argument");
    ck_assert_int_eq(pw_explain_context(ctx, &o, NULL, &err), PW_ERR_USAGE);
    ck_assert_int_eq(pw_when_context(ctx, NULL, &o, &w, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_when_context: NULL argument");
    ck_assert_int_eq(pw_plan_find_context(ctx, NULL, &o, &plan, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_plan_find_context: NULL argument");
    pw_context_free(ctx);

    /* NULL options structures and results are no-ops. */
    pw_explain_options_init(NULL);
    pw_explanation_free(NULL);
    pw_eligibility_free(NULL);
    pw_plan_free(NULL);
    pw_explanation empty;
    memset(&empty, 0, sizeof empty);
    pw_explanation_free(&empty); /* no arena inside: nothing to free */
    pw_program_free(p);
}
END_TEST

/* Options from a newer release (fields this one does not know, set) are
 * refused, by the JSON and the context forms alike. */
START_TEST(test_foreign_options)
{
    pw_program *p = compile(simple_rules);
    struct {
        pw_explain_options o;
        unsigned char extra[8];
    } newer;
    memset(&newer, 0, sizeof newer);
    newer.o.size = sizeof newer;
    newer.o.as_of = pw_test_day("2026-06-01");
    newer.extra[3] = 1;
    pw_explanation *e;
    pw_eligibility *w;
    pw_error err;
    ck_assert_int_eq(pw_explain(p, simple_json, strlen(simple_json), &newer.o, &e, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "pw_explain_options: fields past byte"));
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, simple_json, strlen(simple_json), &err), PW_OK);
    ck_assert_int_eq(pw_when_context(ctx, "p", &newer.o, &w, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "pw_explain_options: fields past byte"));
    /* Without options, the context's question is about today alone. */
    ck_assert_int_eq(pw_when_context(ctx, "p", NULL, &w, &err), PW_OK);
    ck_assert_int_eq(w->as_of, pw_date_today());
    ck_assert_int_eq(w->last, pw_date_today());
    ck_assert_uint_eq(w->nperiods, 1);
    pw_eligibility_free(w);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(test_facts_not_an_object)
{
    pw_program *p = compile(simple_rules);
    pw_explain_options o = options("2026-06-01", 30);
    pw_explanation *e;
    pw_error err;
    ck_assert_int_eq(pw_explain(p, "{\"id\":", 6, &o, &e, &err), PW_ERR_FACTS);
    ck_assert_str_eq(err.message, "the facts are not valid JSON");
    ck_assert_int_eq(pw_explain(p, "[1, 2]", 6, &o, &e, &err), PW_ERR_FACTS);
    ck_assert_str_eq(err.message, "the facts are not a JSON object");
    pw_program_free(p);
}
END_TEST

/* ---- the days looked at ----------------------------------------------------- */

START_TEST(test_span)
{
    px_span s;
    pw_error err;
    pw_explain_options o = options("2026-06-01", 10);
    char a[11], b[11], c[11];

    /* The horizon is clipped to the calendar's ends, both ways. */
    o.as_of = pw_test_day("2999-12-25");
    ck_assert_int_eq(px_span_of(&o, &s, &err), PW_OK);
    ck_assert_str_eq(text_of(s.last, a), "2999-12-31");
    ck_assert_str_eq(text_of(s.first, b), "2999-12-15");
    o.as_of = pw_test_day("1800-01-05");
    ck_assert_int_eq(px_span_of(&o, &s, &err), PW_OK);
    ck_assert_str_eq(text_of(s.first, a), "1800-01-01");
    ck_assert_str_eq(text_of(s.last, b), "1800-01-15");
    ck_assert_str_eq(text_of(s.as_of, c), "1800-01-05");

    /* A date the calendar has no room for. */
    o.as_of = pw_test_day("1800-01-01") - 1;
    ck_assert_int_eq(px_span_of(&o, &s, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "the evaluation date is outside the years 1800-2999");
    o.as_of = pw_test_day("2999-12-31") + 1;
    ck_assert_int_eq(px_span_of(&o, &s, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "the evaluation date is outside the years 1800-2999");

    /* No options: today, twenty years each way. */
    ck_assert_int_eq(px_span_of(NULL, &s, &err), PW_OK);
    ck_assert_int_eq(s.as_of, pw_date_today());
    ck_assert_int_eq(s.last - s.as_of, PW_DEFAULT_HORIZON_DAYS);
    ck_assert_int_eq(s.as_of - s.first, PW_DEFAULT_HORIZON_DAYS);

    /* Through pw_explain, the message reaches the caller. */
    pw_program *p = compile(simple_rules);
    pw_explanation *e;
    o.as_of = pw_test_day("1800-01-01") - 1;
    ck_assert_int_eq(pw_explain(p, simple_json, strlen(simple_json), &o, &e, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "the evaluation date is outside the years 1800-2999");
    pw_program_free(p);
}
END_TEST

/* ---- the coach's id from a context ------------------------------------------- */

static const char *context_coach(const char *rules, const char *json)
{
    static char id[64];
    pw_program *p = compile(rules);
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_msg(pw_context_set_json(ctx, json, strlen(json), &err) == PW_OK, "%s", err.message);
    pw_explain_options o = options("2026-06-01", PW_HORIZON_NONE);
    pw_explanation *e;
    ck_assert_msg(pw_explain_context(ctx, &o, &e, &err) == PW_OK, "%s", err.message);
    snprintf(id, sizeof id, "%s", e->coach ? e->coach : "(null)");
    ck_assert_uint_eq(e->nprograms, 1);
    pw_explanation_free(e);
    pw_context_free(ctx);
    pw_program_free(p);
    return id;
}

START_TEST(test_context_coach_id)
{
    /* A text id, after other fields. */
    ck_assert_str_eq(context_coach("facts coach {\n  n: integer = 0\n  id: text\n}\n"
                                   "program p \"P\" {\n  require \"n\": n >= 0\n}\n",
                                   "{\"n\": 1, \"id\": \"zed\"}"),
                     "zed");
    /* An id that is not text is no coach id. */
    ck_assert_str_eq(context_coach("facts coach {\n  id: integer\n}\n"
                                   "program p \"P\" {\n  require \"id\": id >= 0\n}\n",
                                   "{\"id\": 7}"),
                     "(null)");
    /* An optional text id left out. */
    ck_assert_str_eq(context_coach("facts coach {\n  id: text? = none\n  n: integer = 0\n}\n"
                                   "program p \"P\" {\n  require \"n\": n >= 0\n}\n",
                                   "{\"n\": 1}"),
                     "(null)");
    /* No field called id at all. */
    ck_assert_str_eq(context_coach("facts coach {\n  n: integer = 0\n}\n"
                                   "program p \"P\" {\n  require \"n\": n >= 0\n}\n",
                                   "{\"n\": 1}"),
                     "(null)");
}
END_TEST

/* ---- programs asked about ----------------------------------------------------- */

START_TEST(test_unknown_program_in_list)
{
    pw_program *p = compile(simple_rules);
    pw_explain_options o = options("2026-06-01", 30);
    const char *const names[] = {"p", "nope"};
    o.programs = names;
    o.nprograms = 2;
    pw_explanation *e;
    pw_error err;
    ck_assert_int_eq(pw_explain(p, simple_json, strlen(simple_json), &o, &e, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "nope"));
    ck_assert_ptr_null(e);
    o.nprograms = 1;
    ck_assert_int_eq(pw_explain(p, simple_json, strlen(simple_json), &o, &e, &err), PW_OK);
    ck_assert_uint_eq(e->nprograms, 1);
    ck_assert_str_eq(e->programs[0].id, "p");
    pw_explanation_free(e);
    pw_program_free(p);
}
END_TEST

/* ---- a runtime error on a later day ---------------------------------------------- */

/* n * 512 * (days since start) fits on the evaluation date (2^62) and
 * overflows the next day: each question looks at that day and fails with
 * the message pw_evaluate gives for it, place and program included. */
static const char *const overflow_rules = "facts coach {\n"
                                          "  id: text\n"
                                          "  n: integer\n"
                                          "  start: date\n"
                                          "}\n"
                                          "program p \"P\" {\n"
                                          "  require \"small product\": n * 512 * (days since start) < 100\n"
                                          "}\n";
static const char *const overflow_json = "{\"id\": \"a\", \"n\": 9007199254740992, \"start\": \"2025-12-31\"}";

START_TEST(test_error_on_a_later_day)
{
    pw_program *p = compile(overflow_rules);
    pw_context *ctx;
    pw_error err, eval_err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, overflow_json, strlen(overflow_json), &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, pw_test_day("2026-01-01"), &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, pw_test_day("2026-01-02"), &eval_err), PW_ERR_EVAL);
    ck_assert_str_eq(eval_err.message, "t.pw:7:36: integer overflow in `*` (program `p`)");

    pw_explain_options o = options("2026-01-01", 30);
    size_t n = strlen(overflow_json);
    pw_explanation *e;
    pw_eligibility *w;
    pw_plan *plan;
    ck_assert_int_eq(pw_explain(p, overflow_json, n, &o, &e, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, eval_err.message);
    ck_assert_int_eq(pw_when(p, overflow_json, n, "p", &o, &w, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, eval_err.message);
    ck_assert_int_eq(pw_plan_find(p, overflow_json, n, "p", &o, &plan, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, eval_err.message);
    /* The evaluation date alone is fine. */
    o.horizon_days = PW_HORIZON_NONE;
    ck_assert_int_eq(pw_explain(p, overflow_json, n, &o, &e, &err), PW_OK);
    ck_assert_int_eq(e->programs[0].reqs[0].holds, PW_UNMET);
    pw_explanation_free(e);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* ---- one day, by node ---------------------------------------------------------- */

/* px_holds_at and px_node_at: a node past the program's last is a usage
 * error naming the program; a day outside the program's period is "not in
 * force"; facts set field by field are completed first (the required
 * field left out is named). */
START_TEST(test_node_at)
{
    pw_program *p = compile("facts coach {\n  id: text\n  n: integer\n}\n"
                            "program p \"P\"\n  effective from 2026-01-01\n{\n  require \"n\": n >= 1\n}\n");
    pw_context *ctx;
    pw_error err;
    pw_outcome out;
    unsigned met = 9, members = 9;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "id", "a", &err), PW_OK);
    pw_date day = pw_test_day("2026-06-01");
    ck_assert_int_eq(px_holds_at(ctx, 0, 0, day, &out, &met, &members, &err), PW_ERR_FACTS);
    ck_assert_ptr_nonnull(strstr(err.field, "n"));
    ck_assert_int_eq(px_node_at(ctx, 0, 0, day, &out, &err), PW_ERR_FACTS);
    ck_assert_int_eq(pw_context_set_int(ctx, "n", 3, &err), PW_OK);
    ck_assert_int_eq(px_node_at(ctx, 0, 0, day, &out, &err), PW_OK);
    ck_assert_int_eq(out, PW_MET);
    ck_assert_int_eq(px_holds_at(ctx, 0, 0, day, &out, &met, &members, &err), PW_OK);
    ck_assert_int_eq(out, PW_MET);
    ck_assert_uint_eq(met, 0); /* a leaf has no members */
    ck_assert_uint_eq(members, 0);
    ck_assert_int_eq(px_holds_at(ctx, 0, 0, pw_test_day("2025-06-01"), &out, NULL, NULL, &err), PW_OK);
    ck_assert_int_eq(out, PW_NOT_IN_FORCE);
    ck_assert_int_eq(px_holds_at(ctx, 0, 1, day, &out, NULL, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "no requirement 1 in program `p`");
    ck_assert_int_eq(px_node_at(ctx, 0, 1, day, &out, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "no requirement 1 in program `p`");
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

static Suite *explain_branches_suite(void)
{
    Suite *s = suite_create("explain_branches");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, test_null_arguments);
    tcase_add_test(tc, test_foreign_options);
    tcase_add_test(tc, test_facts_not_an_object);
    tcase_add_test(tc, test_span);
    tcase_add_test(tc, test_context_coach_id);
    tcase_add_test(tc, test_unknown_program_in_list);
    tcase_add_test(tc, test_error_on_a_later_day);
    tcase_add_test(tc, test_node_at);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(explain_branches_suite());
}
