/* What explain shows a requirement looked at (src/explain/seen.c and
 * total.c), through pw_explain, on a rule set written for it
 * (tests/explain/seen-ladder.pw): a definition called with several
 * arguments, constants or values of the facts, lists the entries it looked
 * at as a one-argument call does; a computed total (a `sum` or a `count`,
 * written in the requirement or as a definition) lists the entries that
 * counted and what each adds. Then, day after day for generated coaches,
 * every total shown agrees with the requirement's outcome (the VM's) and
 * its entries add up to it. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_helpers.h"
#include "check_main.h"
#include "pathway.h"

#define RULES "tests/explain/seen-ladder.pw"

/* ana of tests/golden/explain/seen.jsonl */
static const char *const ana =
    "{\"id\":\"ana\",\"current_licence\":\"ussf-b\",\"licences\":[{\"id\":\"uefa-b\",\"issued\":\"2020-03-01\"},"
    "{\"id\":\"ussf-b\",\"issued\":\"2026-01-10\"},{\"id\":\"ussf-c\",\"issued\":\"2019-01-10\"}],"
    "\"courses\":[{\"title\":\"course a\",\"completed\":\"2021-05-01\",\"points\":8,\"hours\":2.5,\"in_person\":true},"
    "{\"title\":\"course b\",\"completed\":\"2023-02-01\",\"points\":11,\"hours\":4},"
    "{\"title\":\"course c\",\"completed\":\"2019-06-01\",\"points\":5,\"in_person\":true},"
    "{\"title\":\"course d\",\"completed\":\"2025-09-01\",\"points\":6,\"hours\":1.25},"
    "{\"title\":\"course e\",\"completed\":\"2022-01-01\",\"points\":0,\"hours\":3,\"in_person\":false}]}";

static pw_explanation *explain(pw_program *p, const char *json, pw_date as_of, int32_t horizon)
{
    pw_explain_options o = {.as_of = as_of, .horizon_days = horizon};
    pw_explanation *e;
    pw_error err;
    ck_assert_msg(pw_explain(p, json, strlen(json), &o, &e, &err) == PW_OK, "%s", err.message);
    return e;
}

static const pw_req_explained *req_of(const pw_explanation *e, const char *label)
{
    for (size_t i = 0; i < e->nprograms; i++)
        for (size_t k = 0; k < e->programs[i].nreqs; k++)
            if (strcmp(e->programs[i].reqs[k].info.label, label) == 0)
                return &e->programs[i].reqs[k];
    ck_abort_msg("no requirement \"%s\"", label);
    return NULL;
}

/* The value requirement `label` looked at under `expr`. */
static const pw_seen *seen_of(const pw_explanation *e, const char *label, const char *expr)
{
    const pw_req_explained *r = req_of(e, label);
    for (size_t i = 0; i < r->nseen; i++)
        if (r->seen[i].expr && strcmp(r->seen[i].expr, expr) == 0)
            return &r->seen[i];
    ck_abort_msg("\"%s\" does not show %s", label, expr);
    return NULL;
}

START_TEST(test_several_arguments)
{
    pw_program *p = pw_test_open(RULES);
    pw_explanation *e = explain(p, ana, pw_test_day("2026-06-01"), 0);
    /* One argument, as before. */
    const pw_seen *s = seen_of(e, "holds the UEFA B", "holds(\"uefa-b\")");
    ck_assert_uint_eq(s->nentries, 1);
    ck_assert_str_eq(s->entries[0], "{id: \"uefa-b\", issued: 2020-03-01}");
    /* Two constant arguments, the second computed from integers. */
    s = seen_of(e, "held the B License for 12 months", "held_for_months(\"ussf-b\", 12)");
    ck_assert_str_eq(s->value, "false");
    ck_assert_str_eq(s->value_then, "true");
    ck_assert_uint_eq(s->nentries, 1);
    ck_assert_str_eq(s->entries[0], "{id: \"ussf-b\", issued: 2026-01-10}");
    s = seen_of(e, "held the C License for two years", "held_for_months(\"ussf-c\", 24)");
    ck_assert_str_eq(s->value, "true");
    ck_assert_uint_eq(s->nentries, 1);
    ck_assert_str_eq(s->entries[0], "{id: \"ussf-c\", issued: 2019-01-10}");
    /* An argument read from the facts: shown by name, its value beside. */
    s = seen_of(e, "held the current licence for 12 months", "current_licence");
    ck_assert_str_eq(s->value, "\"ussf-b\"");
    s = seen_of(e, "held the current licence for 12 months", "held_for_months(current_licence, 12)");
    ck_assert_str_eq(s->value, "false");
    ck_assert_uint_eq(s->nentries, 1);
    ck_assert_str_eq(s->entries[0], "{id: \"ussf-b\", issued: 2026-01-10}");
    pw_explanation_free(e);
    pw_program_free(p);
}
END_TEST

START_TEST(test_totals)
{
    pw_program *p = pw_test_open(RULES);
    pw_explanation *e = explain(p, ana, pw_test_day("2026-06-01"), 0);
    /* A definition with two date arguments that is a sum: the courses in
     * the cycle that add points (course e adds 0 and is not listed). */
    const pw_seen *s = seen_of(e, "20 points earned 2020-2024", "points_earned(2020-01-01, 2024-12-31)");
    ck_assert_str_eq(s->value, "19");
    ck_assert_str_eq(s->test, "at least 20");
    ck_assert_uint_eq(s->nentries, 2);
    ck_assert_str_eq(s->entries[0],
                     "{title: \"course a\", completed: 2021-05-01, points: 8, hours: 2.5, in_person: true} adds 8");
    ck_assert_str_eq(s->entries[1],
                     "{title: \"course b\", completed: 2023-02-01, points: 11, hours: 4, in_person: false} adds 11");
    /* A named total without arguments. */
    s = seen_of(e, "20 points in the cycle", "cycle_points");
    ck_assert_str_eq(s->value, "19");
    ck_assert_uint_eq(s->nentries, 2);
    /* Written in the requirement: a count and a sum that depends on the day. */
    s = seen_of(e, "two in-person courses since 2020", "count of courses");
    ck_assert_str_eq(s->value, "1");
    ck_assert_uint_eq(s->nentries, 1);
    ck_assert_str_eq(s->entries[0],
                     "{title: \"course a\", completed: 2021-05-01, points: 8, hours: 2.5, in_person: true}");
    s = seen_of(e, "10 points in the last three years", "sum of points over courses");
    ck_assert_str_eq(s->value, "6");
    ck_assert_uint_eq(s->nentries, 1);
    ck_assert_ptr_nonnull(strstr(s->entries[0], "course d"));
    /* A number. */
    s = seen_of(e, "ten hours of courses", "sum of hours over courses");
    ck_assert_str_eq(s->value, "10.75");
    ck_assert_uint_eq(s->nentries, 4);
    ck_assert_ptr_nonnull(strstr(s->entries[3], "} adds 3"));
    /* A total whose `where` reads its list again: its value, no entries. */
    s = seen_of(e, "10 points from the best course", "sum of points over courses");
    ck_assert_str_eq(s->value, "11");
    ck_assert_uint_eq(s->nentries, 0);
    /* A count that depends on the licence around it is no value of its own. */
    const pw_req_explained *r = req_of(e, "a course after each licence");
    for (size_t i = 0; i < r->nseen; i++)
        ck_assert_msg(strncmp(r->seen[i].expr, "count", 5) != 0, "%s shown", r->seen[i].expr);
    pw_explanation_free(e);
    pw_program_free(p);
}
END_TEST

/* A coach with n courses from a small generator (deterministic). */
static void make_coach(unsigned k, char *buf, size_t cap)
{
    unsigned x = k * 2654435761u + 12345u;
    size_t at = (size_t)snprintf(buf, cap, "{\"id\":\"g%u\",\"current_licence\":\"ussf-c\",\"licences\":"
                                           "[{\"id\":\"ussf-c\",\"issued\":\"2024-0%u-15\"}],\"courses\":[",
                                 k, 1 + k % 9);
    unsigned n = k % 7;
    for (unsigned i = 0; i < n && at < cap; i++) {
        x = x * 1103515245u + 12345u;
        unsigned year = 2018 + (x >> 8) % 12, month = 1 + (x >> 12) % 12, day = 1 + (x >> 16) % 28;
        unsigned points = (x >> 20) % 13;
        at += (size_t)snprintf(buf + at, cap - at,
                               "%s{\"title\":\"c%u\",\"completed\":\"%u-%02u-%02u\",\"points\":%u,\"hours\":%u.5,"
                               "\"in_person\":%s}",
                               i ? "," : "", i, year, month, day, points, points % 4, x >> 28 & 1 ? "true" : "false");
    }
    snprintf(buf + at, cap > at ? cap - at : 0, "]}");
}

/* The threshold N of a test "at least N". */
static double at_least(const char *test)
{
    ck_assert_ptr_nonnull(test);
    ck_assert_msg(strncmp(test, "at least ", 9) == 0, "%s", test);
    return strtod(test + 9, NULL);
}

/* Every total shown on that day agrees with the requirement's outcome, and
 * its entries with it. */
static void check_totals(const pw_explanation *e, const char *json, pw_date day)
{
    unsigned checked = 0;
    for (size_t i = 0; i < e->nprograms; i++) {
        for (size_t k = 0; k < e->programs[i].nreqs; k++) {
            const pw_req_explained *r = &e->programs[i].reqs[k];
            bool total = strstr(r->info.label, "points") || strstr(r->info.label, "hours") ||
                         strstr(r->info.label, "courses");
            if (r->nseen != 1 || !r->seen[0].test || !total)
                continue;
            const pw_seen *s = &r->seen[0];
            double v = strtod(s->value, NULL);
            ck_assert_msg((r->holds == PW_MET) == (v >= at_least(s->test)), "%s on day %ld: %s %s but %s", json,
                          (long)day, s->expr, s->value, r->holds == PW_MET ? "met" : "not met");
            if (strncmp(s->expr, "count of", 8) == 0) {
                ck_assert_msg(s->nentries == (size_t)v, "%s: %zu entries for %s", json, s->nentries, s->value);
            } else if (strstr(r->info.label, "best") == NULL) {
                double total = 0;
                for (size_t j = 0; j < s->nentries; j++) {
                    const char *a = strstr(s->entries[j], "} adds ");
                    ck_assert_ptr_nonnull(a);
                    total += strtod(a + 7, NULL);
                }
                ck_assert_msg(total == v, "%s on day %ld: %s is %s, its entries add %g", json, (long)day, s->expr,
                              s->value, total);
            }
            checked++;
        }
    }
    ck_assert_uint_eq(checked, 6);
}

START_TEST(test_totals_every_day)
{
    pw_program *p = pw_test_open(RULES);
    char json[4096];
    for (unsigned k = 0; k < 14; k++) {
        make_coach(k, json, sizeof json);
        for (pw_date d = pw_test_day("2019-01-01"); d <= pw_test_day("2031-12-31"); d += 23) {
            pw_explanation *e = explain(p, json, d, PW_HORIZON_NONE);
            check_totals(e, json, d);
            pw_explanation_free(e);
        }
    }
    pw_program_free(p);
}
END_TEST

static Suite *seen_suite(void)
{
    Suite *s = suite_create("explain_seen");
    TCase *tc = tcase_create("seen");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_several_arguments);
    tcase_add_test(tc, test_totals);
    tcase_add_test(tc, test_totals_every_day);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(seen_suite());
}
