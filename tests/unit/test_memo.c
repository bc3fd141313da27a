/* Remembered calls (pv_memo_init): a context reuses the results of
 * definitions and of requirements with the same code, and that must never
 * show. For every record, every evaluation date and every instruction budget,
 * a VM that remembers decides exactly as one that does not: the same
 * success or runtime error (message and source position), the same outcomes
 * and the same instruction count. And a context forgets when its facts or
 * the date change. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "check_main.h"

#define RULES PW_SOURCE_DIR "/rules/usatf/usatf.pw"
#define COACHES PW_SOURCE_DIR "/examples/coaches.jsonl"

/* Two programs with the same requirement, the second also calling the
 * definition directly, and one definition with a parameter. */
static const char small_rules[] =
    "facts coach { id: text\n birth_date: date\n tags: set of text = [] }\n"
    "define age: integer = years since birth_date\n"
    "define tagged(t: text): boolean = t in tags\n"
    "program a { require \"adult\": age >= 18\n require \"x\": tagged(\"x\") }\n"
    "program b { require \"adult\": age >= 18\n require \"old\": age >= 60 and tagged(\"x\") }\n";

static pw_program *compile_text(const char *text)
{
    pw_program *p = NULL;
    pw_error err;
    ck_assert_msg(pw_compile_source("memo.pw", text, strlen(text), NULL, &p, &err) == PW_OK, "%s",
                  err.message);
    return p;
}

/* What one run of a program gave. */
typedef struct run {
    bool ok, eligible;
    char message[256];
    uint32_t line, col;
    uint64_t executed;
    uint8_t outcomes[64];
} run;

static run run_program(pv_state *st, const pv_value *facts, int32_t today, uint32_t prog)
{
    run r;
    memset(&r, 0, sizeof r);
    pv_error err;
    r.ok = pv_run(st, facts, today, prog, &r.eligible, &err);
    snprintf(r.message, sizeof r.message, "%s", r.ok ? "" : err.message);
    r.line = r.ok ? 0 : err.line;
    r.col = r.ok ? 0 : err.col;
    r.executed = st->executed;
    uint32_t n = st->img->progs[prog].nreqs;
    memcpy(r.outcomes, st->outcomes, n < sizeof r.outcomes ? n : sizeof r.outcomes);
    return r;
}

static void assert_same(const run *a, const run *b, const char *what, uint64_t budget, uint32_t prog)
{
    ck_assert_msg(a->ok == b->ok && a->eligible == b->eligible && strcmp(a->message, b->message) == 0 &&
                      a->line == b->line && a->col == b->col && a->executed == b->executed &&
                      memcmp(a->outcomes, b->outcomes, sizeof a->outcomes) == 0,
                  "%s, budget %llu, program %u: remembering changed the run (%d/%d \"%s\" %llu vs "
                  "%d/%d \"%s\" %llu)",
                  what, (unsigned long long)budget, prog, a->ok, a->eligible, a->message,
                  (unsigned long long)a->executed, b->ok, b->eligible, b->message,
                  (unsigned long long)b->executed);
}

/* Every program in order, as `pathway eval` runs them, with and without
 * memory, for budgets from 1 up to one that every run fits in. */
static void compare_record(const pw_program *prog, const char *json, const char *what)
{
    const pb_image *img = pt_program_image(prog);
    pf_facts facts;
    ck_assert(pf_init(&facts, img));
    char msg[512];
    cJSON *rec = cJSON_Parse(json);
    bool loaded = rec && pf_load_json(&facts, rec, msg, sizeof msg);
    cJSON_Delete(rec);
    if (!loaded) {
        pf_fini(&facts);
        return; /* a bad record never reaches the VM */
    }
    static const char *const dates[] = {"2026-11-23", "2026-11-24", "2027-09-01", "1990-01-01"};
    for (size_t d = 0; d < sizeof dates / sizeof *dates; d++) {
        pw_date day;
        ck_assert(pw_date_parse(dates[d], &day, NULL) == PW_OK);
        for (uint64_t budget = 1; budget <= 400; budget += budget < 60 ? 1 : 17) {
            pv_state plain, memo;
            ck_assert(pv_init(&plain, img) && pv_init(&memo, img) && pv_memo_init(&memo));
            plain.budget = memo.budget = budget;
            for (uint32_t p = 0; p < img->nprogs; p++) {
                run a = run_program(&plain, facts.root, day, p);
                run b = run_program(&memo, facts.root, day, p);
                assert_same(&a, &b, what, budget, p);
            }
            pv_fini(&plain);
            pv_fini(&memo);
        }
    }
    pf_fini(&facts);
}

START_TEST(memo_never_shows)
{
    pw_program *prog = NULL;
    pw_error err;
    ck_assert_msg(pw_program_open(RULES, NULL, &prog, &err) == PW_OK, "%s", err.message);
    FILE *f = fopen(COACHES, "r");
    ck_assert(f);
    char line[8192];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        char what[32];
        snprintf(what, sizeof what, "coach %d", ++n);
        compare_record(prog, line, what);
    }
    fclose(f);
    ck_assert_int_gt(n, 5);
    pw_program_free(prog);
}
END_TEST

START_TEST(memo_small_rules)
{
    pw_program *prog = compile_text(small_rules);
    compare_record(prog, "{\"id\":\"a\",\"birth_date\":\"1950-01-01\",\"tags\":[\"x\"]}", "old, tagged");
    compare_record(prog, "{\"id\":\"b\",\"birth_date\":\"2010-01-01\",\"tags\":[\"y\"]}", "young");
    pw_program_free(prog);
}
END_TEST

static bool eligible(pw_context *ctx, size_t p, const char *date)
{
    pw_date d;
    pw_error err;
    ck_assert(pw_date_parse(date, &d, &err) == PW_OK);
    ck_assert_msg(pw_evaluate(ctx, p, d, &err) == PW_OK, "%s", err.message);
    return pw_result_eligible(ctx, p);
}

START_TEST(memo_forgets_changed_facts)
{
    pw_program *prog = compile_text(small_rules);
    pw_context *ctx;
    pw_error err;
    ck_assert(pw_context_new(prog, &ctx, &err) == PW_OK);
    const char *old = "{\"id\":\"a\",\"birth_date\":\"1950-01-01\",\"tags\":[\"x\"]}";
    const char *young = "{\"id\":\"b\",\"birth_date\":\"2010-01-01\",\"tags\":[\"x\"]}";
    ck_assert(pw_context_set_json(ctx, old, strlen(old), &err) == PW_OK);
    ck_assert(eligible(ctx, 0, "2026-11-23") && eligible(ctx, 1, "2026-11-23"));
    /* New facts from JSON, then field by field: each time decided afresh. */
    ck_assert(pw_context_set_json(ctx, young, strlen(young), &err) == PW_OK);
    ck_assert(!eligible(ctx, 0, "2026-11-23") && !eligible(ctx, 1, "2026-11-23"));
    pw_date born;
    ck_assert(pw_date_parse("1940-06-01", &born, &err) == PW_OK);
    ck_assert(pw_context_set_date(ctx, "birth_date", born, &err) == PW_OK);
    ck_assert(eligible(ctx, 0, "2026-11-23") && eligible(ctx, 1, "2026-11-23"));
    /* Another day: the same facts, a different age. */
    ck_assert(!eligible(ctx, 1, "1999-06-01"));
    ck_assert(eligible(ctx, 1, "2026-11-23"));
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("memo");
    TCase *tc = tcase_create("memo");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, memo_never_shows);
    tcase_add_test(tc, memo_small_rules);
    tcase_add_test(tc, memo_forgets_changed_facts);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
