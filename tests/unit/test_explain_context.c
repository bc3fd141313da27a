/* Explain, when and plan on the facts already in a context
 * (pw_explain_context, pw_when_context, pw_plan_find_context): the same
 * answers as the calls that take JSON, however the facts were given, the
 * host's results left alone, and a cheap default (the evaluation date only). */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_helpers.h"
#include "check_main.h"
#include "pathway.h"

#define USATF PW_SOURCE_DIR "/rules/usatf/usatf.pw"
#define EA PW_SOURCE_DIR "/rules/england-athletics/england-athletics.pw"

static pw_program *open_rules(const char *path)
{
    pw_program *p;
    pw_error err;
    ck_assert_msg(pw_program_open(path, NULL, &p, &err) == PW_OK, "%s", err.message);
    return p;
}

static pw_explain_options opts(const char *as_of, int32_t horizon)
{
    pw_explain_options o;
    pw_explain_options_init(&o);
    o.as_of = pw_test_day(as_of);
    o.horizon_days = horizon;
    return o;
}

static void same_text(const char *a, const char *b)
{
    ck_assert_msg((a == NULL) == (b == NULL), "%s vs %s", a ? a : "NULL", b ? b : "NULL");
    if (a)
        ck_assert_str_eq(a, b);
}

/* Field by field: everything an explanation says. */
static void same_explanation(const pw_explanation *a, const pw_explanation *b)
{
    same_text(a->coach, b->coach);
    ck_assert_int_eq(a->as_of, b->as_of);
    ck_assert_int_eq(a->first, b->first);
    ck_assert_int_eq(a->last, b->last);
    ck_assert_uint_eq(a->nprograms, b->nprograms);
    for (size_t i = 0; i < a->nprograms; i++) {
        const pw_program_explained *x = &a->programs[i], *y = &b->programs[i];
        ck_assert_str_eq(x->id, y->id);
        ck_assert_int_eq(x->verdict, y->verdict);
        ck_assert_uint_eq(x->nreqs, y->nreqs);
        for (size_t k = 0; k < x->nreqs; k++) {
            const pw_req_explained *r = &x->reqs[k], *s = &y->reqs[k];
            ck_assert_int_eq(r->outcome, s->outcome);
            ck_assert_int_eq(r->holds, s->holds);
            ck_assert_int_eq(r->met_on, s->met_on);
            ck_assert_int_eq(r->last_met, s->last_met);
            ck_assert_int_eq(r->unmet_on, s->unmet_on);
            ck_assert_uint_eq(r->nseen, s->nseen);
            for (size_t j = 0; j < r->nseen; j++) {
                same_text(r->seen[j].expr, s->seen[j].expr);
                same_text(r->seen[j].value, s->seen[j].value);
                same_text(r->seen[j].value_then, s->seen[j].value_then);
                ck_assert_uint_eq(r->seen[j].nentries, s->seen[j].nentries);
            }
        }
    }
}

static const struct {
    const char *rules, *json, *as_of, *program;
} records[] = {
    {USATF, "{\"id\":\"a\",\"birth_date\":\"2009-03-14\",\"memberships\":[{\"body\":\"usatf\",\"expires\":null}]}",
     "2026-11-23", "level_1"},
    {USATF,
     "{\"id\":\"d\",\"birth_date\":\"1980-01-01\",\"coaching_since\":\"2019-05-01\",\"memberships\":[{\"body\":"
     "\"usatf\",\"expires\":\"2027-03-31\"}],\"certificates\":[{\"id\":\"usatf-level-1\",\"issued\":\"2020-01-01\","
     "\"expires\":\"2025-06-30\"},{\"id\":\"usatf-level-2\",\"issued\":\"2021-01-01\",\"expires\":null,"
     "\"event_group\":\"endurance\"}],\"roles\":[\"national-team-athlete\"]}",
     "2026-11-23", "level_3"},
    {EA, "{\"id\":\"k\",\"birth_date\":\"2009-01-01\"}", "2026-07-01", "sessional_coach"},
};

static pw_context *context_of(pw_program *p, const char *json)
{
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_msg(pw_context_set_json(ctx, json, strlen(json), &err) == PW_OK, "%s", err.message);
    return ctx;
}

/* The same answers as from the JSON, for explain, when and plan. */
START_TEST(test_same_as_json)
{
    pw_program *p = open_rules(records[_i].rules);
    const char *json = records[_i].json;
    pw_context *ctx = context_of(p, json);
    pw_explain_options o = opts(records[_i].as_of, 0);
    pw_error err;

    pw_explanation *a, *b;
    ck_assert_int_eq(pw_explain(p, json, strlen(json), &o, &a, &err), PW_OK);
    ck_assert_msg(pw_explain_context(ctx, &o, &b, &err) == PW_OK, "%s", err.message);
    same_explanation(a, b);
    pw_explanation_free(a);
    pw_explanation_free(b);

    pw_eligibility *w, *v;
    ck_assert_int_eq(pw_when(p, json, strlen(json), records[_i].program, &o, &w, &err), PW_OK);
    ck_assert_int_eq(pw_when_context(ctx, records[_i].program, &o, &v, &err), PW_OK);
    same_text(w->coach, v->coach);
    ck_assert_uint_eq(w->nperiods, v->nperiods);
    for (size_t i = 0; i < w->nperiods; i++) {
        ck_assert_int_eq(w->periods[i].from, v->periods[i].from);
        ck_assert_int_eq(w->periods[i].until, v->periods[i].until);
    }
    ck_assert_uint_eq(w->nblocking, v->nblocking);
    pw_eligibility_free(w);
    pw_eligibility_free(v);

    pw_plan *x, *y;
    ck_assert_int_eq(pw_plan_find(p, json, strlen(json), records[_i].program, &o, &x, &err), PW_OK);
    ck_assert_int_eq(pw_plan_find_context(ctx, records[_i].program, &o, &y, &err), PW_OK);
    ck_assert_int_eq(x->reachable, y->reachable);
    ck_assert_uint_eq(x->nsteps, y->nsteps);
    for (size_t i = 0; i < x->nsteps; i++) {
        ck_assert_str_eq(x->steps[i].program, y->steps[i].program);
        ck_assert_int_eq(x->steps[i].enrol, y->steps[i].enrol);
    }
    pw_plan_free(x);
    pw_plan_free(y);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* Facts given field by field (no JSON anywhere) answer as their JSON does;
 * a list built with pw_context_add survives the copy. */
START_TEST(test_field_by_field)
{
    pw_program *p = open_rules(USATF);
    pw_context *ctx;
    pw_error err;
    size_t i;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "id", "a", &err), PW_OK);
    ck_assert_int_eq(pw_context_set_date(ctx, "birth_date", pw_test_day("2009-03-14"), &err), PW_OK);
    ck_assert_int_eq(pw_context_add(ctx, "memberships", &i, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "memberships[0].body", "usatf", &err), PW_OK);
    ck_assert_int_eq(pw_context_set_none(ctx, "memberships[0].expires", &err), PW_OK);
    pw_explain_options o = opts("2026-11-23", 0);
    pw_explanation *a, *b;
    ck_assert_msg(pw_explain_context(ctx, &o, &b, &err) == PW_OK, "%s", err.message);
    const char *json = records[0].json;
    ck_assert_int_eq(pw_explain(p, json, strlen(json), &o, &a, &err), PW_OK);
    same_explanation(a, b);
    pw_explanation_free(a);
    pw_explanation_free(b);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* The host's evaluation is untouched by a question on another day. */
START_TEST(test_results_kept)
{
    pw_program *p = open_rules(USATF);
    pw_context *ctx = context_of(p, records[0].json);
    pw_error err;
    size_t l1;
    ck_assert_int_eq(pw_program_find(p, "level_1", &l1, &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, l1, pw_test_day("2027-06-01"), &err), PW_OK);
    ck_assert_int_eq(pw_result_verdict(ctx, l1), PW_ELIGIBLE);
    pw_explain_options o = opts("2026-11-23", 0);
    pw_explanation *e;
    ck_assert_int_eq(pw_explain_context(ctx, &o, &e, &err), PW_OK);
    pw_explanation_free(e);
    ck_assert_int_eq(pw_result_verdict(ctx, l1), PW_ELIGIBLE); /* 17 on 2026-11-23, 18 on 2027-06-01 */
    ck_assert_uint_eq(pw_result_unmet_count(ctx, l1), 0);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* Everything an evaluation of every program leaves to read, as text. */
static char *results_text(const pw_program *p, const pw_context *ctx)
{
    size_t cap = 65536, at = 0;
    char *t = malloc(cap);
    ck_assert_ptr_nonnull(t);
    for (size_t k = 0; k < pw_program_count(p); k++) {
        at += (size_t)snprintf(t + at, cap - at, "%s %d %d unmet", pw_program_id(p, k), pw_result_verdict(ctx, k),
                               pw_result_eligible(ctx, k));
        for (size_t i = 0; i < pw_result_unmet_count(ctx, k); i++)
            at += (size_t)snprintf(t + at, cap - at, " [%s]", pw_result_unmet_label(ctx, k, i));
        for (size_t i = 0; i < pw_result_preferred_unmet_count(ctx, k); i++)
            at += (size_t)snprintf(t + at, cap - at, " p[%s]", pw_result_preferred_unmet_label(ctx, k, i));
        for (size_t i = 0; i < pw_result_advice_count(ctx, k); i++)
            at += (size_t)snprintf(t + at, cap - at, " a[%s]", pw_result_advice(ctx, k, i));
        for (size_t n = 0; n < pw_requirement_count(p, k); n++)
            at += (size_t)snprintf(t + at, cap - at, " %d", pw_result_outcome(ctx, k, n));
        at += (size_t)snprintf(t + at, cap - at, "\n");
        ck_assert_uint_lt(at, cap);
    }
    return t;
}

/* Every program's results, every outcome and list, are as the host's
 * evaluation left them after explain, when for every program (over 20
 * years, many days evaluated on the host's own context), a plan, and a
 * question that fails part way (an unknown program). */
START_TEST(test_all_results_kept)
{
    pw_program *p = open_rules(USATF);
    pw_error err;
    for (size_t c = 0; c < sizeof records / sizeof records[0]; c++) {
        pw_context *ctx = context_of(p, records[c].json);
        ck_assert_int_eq(pw_evaluate_all(ctx, pw_test_day("2027-06-01"), &err), PW_OK);
        char *before = results_text(p, ctx);
        pw_explain_options o = opts("2026-11-23", 0);
        pw_explanation *e;
        ck_assert_int_eq(pw_explain_context(ctx, &o, &e, &err), PW_OK);
        pw_explanation_free(e);
        for (size_t k = 0; k < pw_program_count(p); k++) {
            pw_eligibility *w;
            ck_assert_int_eq(pw_when_context(ctx, pw_program_id(p, k), &o, &w, &err), PW_OK);
            pw_eligibility_free(w);
        }
        pw_eligibility *w;
        ck_assert_int_eq(pw_when_context(ctx, "no_such_program", &o, &w, &err), PW_ERR_USAGE);
        pw_plan *plan;
        if (pw_plan_find_context(ctx, "level_2", &o, &plan, &err) == PW_OK)
            pw_plan_free(plan);
        char *after = results_text(p, ctx);
        ck_assert_str_eq(before, after);
        free(before);
        free(after);
        pw_context_free(ctx);
    }
    pw_program_free(p);
}
END_TEST

/* PW_HORIZON_NONE (and NULL options: today) look at one day: outcomes as an
 * evaluation gives them, no day searched for. */
START_TEST(test_one_day)
{
    pw_program *p = open_rules(USATF);
    pw_context *ctx = context_of(p, records[0].json);
    pw_error err;
    pw_explain_options o = opts("2026-11-23", PW_HORIZON_NONE);
    pw_explanation *e;
    ck_assert_int_eq(pw_explain_context(ctx, &o, &e, &err), PW_OK);
    ck_assert_int_eq(e->first, o.as_of);
    ck_assert_int_eq(e->last, o.as_of);
    bool age_seen = false;
    for (size_t i = 0; i < e->nprograms; i++)
        for (size_t k = 0; k < e->programs[i].nreqs; k++) {
            const pw_req_explained *r = &e->programs[i].reqs[k];
            ck_assert_int_eq(r->met_on, PW_DATE_MAX);
            ck_assert_int_eq(r->unmet_on, PW_DATE_MAX);
            ck_assert_int_eq(r->last_met, PW_DATE_MIN);
            if (strcmp(r->info.label, "at least 18 years of age") == 0) {
                ck_assert_int_eq(r->holds, PW_UNMET);
                ck_assert_str_eq(r->seen[0].value, "17");
                age_seen = true;
            }
        }
    ck_assert(age_seen);
    pw_explanation_free(e);

    /* when: eligible on the day, or not; the JSON call takes the option too */
    pw_eligibility *w;
    const char *json = records[0].json;
    ck_assert_int_eq(pw_when(p, json, strlen(json), "developmental_coach", &o, &w, &err), PW_OK);
    ck_assert_uint_eq(w->nperiods, 0);
    pw_eligibility_free(w);
    pw_explain_options later = opts("2027-03-14", PW_HORIZON_NONE);
    ck_assert_int_eq(pw_when_context(ctx, "developmental_coach", &later, &w, &err), PW_OK);
    ck_assert_uint_eq(w->nperiods, 1);
    ck_assert_int_eq(w->periods[0].from, later.as_of);
    ck_assert_int_eq(w->periods[0].until, later.as_of);
    pw_eligibility_free(w);

    /* plan: no later day to wait for, and an age is waited for, never
     * arranged (issue 18): the target is not reachable within the one
     * day, and the age is what blocks */
    pw_plan *pl;
    ck_assert_int_eq(pw_plan_find_context(ctx, "level_1", &o, &pl, &err), PW_OK);
    ck_assert(!pl->reachable);
    ck_assert_uint_eq(pl->nsteps, 0);
    ck_assert_uint_eq(pl->nblocking, 1);
    ck_assert_str_eq(pl->blocking[0], "at least 18 years of age");
    pw_plan_free(pl);

    /* NULL options: today, one day */
    ck_assert_int_eq(pw_explain_context(ctx, NULL, &e, &err), PW_OK);
    ck_assert_int_eq(e->as_of, pw_date_today());
    ck_assert_int_eq(e->first, e->last);
    pw_explanation_free(e);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* Every kind of field survives the copy a question makes of the context's
 * facts: the largest integer (2^53 - 1) exactly, a number, a boolean, an absent
 * date, a set, a list of records with an absent member. Each requirement
 * holds only when its field came through as set. */
static const char kinds_rules[] = "record item {\n  name: text\n  n: integer?\n}\n"
                                  "facts f {\n  id: text\n  big: integer\n  ratio: number\n  flag: boolean\n"
                                  "  when: date?\n  tags: set of text = []\n  items: list of item = []\n}\n"
                                  "program p \"P\" {\n"
                                  "  require \"big\": big = 9007199254740991\n"
                                  "  require \"ratio\": ratio > 2.4 and ratio < 2.6\n"
                                  "  require \"flag\": flag\n"
                                  "  require \"when\": when is none\n"
                                  "  require \"tags\": \"x\" in tags\n"
                                  "  require \"items\": (count i in items where i.name = \"a\" and i.n is none) = 1\n"
                                  "}\n";

START_TEST(test_every_kind_copied)
{
    pw_program *p;
    pw_error err;
    ck_assert_msg(pw_compile_source("kinds.pw", kinds_rules, strlen(kinds_rules), NULL, &p, &err) == PW_OK, "%s",
                  err.message);
    pw_context *ctx;
    size_t i;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "id", "k", &err), PW_OK);
    ck_assert_int_eq(pw_context_set_int(ctx, "big", 9007199254740991LL, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_number(ctx, "ratio", 2.5, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_bool(ctx, "flag", true, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_none(ctx, "when", &err), PW_OK);
    ck_assert_int_eq(pw_context_add(ctx, "tags", &i, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "tags[0]", "x", &err), PW_OK);
    ck_assert_int_eq(pw_context_add(ctx, "items", &i, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "items[0].name", "a", &err), PW_OK);
    ck_assert_int_eq(pw_context_set_none(ctx, "items[0].n", &err), PW_OK);
    pw_explain_options o = opts("2026-11-23", PW_HORIZON_NONE);
    pw_explanation *e;
    ck_assert_msg(pw_explain_context(ctx, &o, &e, &err) == PW_OK, "%s", err.message);
    ck_assert_str_eq(e->coach, "k");
    ck_assert_uint_eq(e->nprograms, 1);
    ck_assert_int_eq(e->programs[0].verdict, PW_ELIGIBLE);
    for (size_t k = 0; k < e->programs[0].nreqs; k++)
        ck_assert_msg(e->programs[0].reqs[k].holds == PW_MET, "%s", e->programs[0].reqs[k].info.label);
    pw_explanation_free(e);
    /* and one off: a big integer is not rounded to the required one */
    ck_assert_int_eq(pw_context_set_int(ctx, "big", 9007199254740990LL, &err), PW_OK);
    ck_assert_int_eq(pw_explain_context(ctx, &o, &e, &err), PW_OK);
    ck_assert_int_eq(e->programs[0].verdict, PW_NOT_ELIGIBLE);
    pw_explanation_free(e);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(test_errors)
{
    pw_program *p = open_rules(USATF);
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    pw_explanation *e = (pw_explanation *)&err; /* set to NULL on every failure */
    /* nothing set: the first required field is named */
    ck_assert_int_eq(pw_explain_context(ctx, NULL, &e, &err), PW_ERR_FACTS);
    ck_assert_ptr_null(e);
    ck_assert_ptr_nonnull(strstr(err.message, "`id`"));
    ck_assert_int_eq(pw_explain_context(NULL, NULL, &e, &err), PW_ERR_USAGE);
    pw_eligibility *w = (pw_eligibility *)&err;
    ck_assert_int_eq(pw_when_context(ctx, NULL, NULL, &w, &err), PW_ERR_USAGE);
    ck_assert_ptr_null(w);
    pw_context_free(ctx);
    ctx = context_of(p, records[0].json);
    ck_assert_int_eq(pw_when_context(ctx, "no_such_program", NULL, &w, &err), PW_ERR_USAGE);
    ck_assert_ptr_null(w);
    pw_explain_options bad = opts("2026-11-23", -2);
    ck_assert_int_eq(pw_explain_context(ctx, &bad, &e, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "PW_HORIZON_NONE"));
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("explain_context");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_same_as_json, 0, (int)(sizeof records / sizeof records[0]));
    tcase_add_test(tc, test_field_by_field);
    tcase_add_test(tc, test_results_kept);
    tcase_add_test(tc, test_all_results_kept);
    tcase_add_test(tc, test_one_day);
    tcase_add_test(tc, test_every_kind_copied);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(suite());
}
