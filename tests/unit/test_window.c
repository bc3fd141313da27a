/* Day windows (pv_window_open): after a run on day d, every day of the
 * window the VM reports gives exactly what d gave. Checked the slow way: for
 * requirements that use the date in every way the language allows
 * (comparisons of each kind on either side, `otherwise today`, counts
 * between dates in both directions and units, date shifts), facts around
 * month ends and 29 February, and days over a dozen years, each day of each
 * reported window (up to 500 days either side) is evaluated without a
 * window and must agree. And windows must be wide where they can be, or
 * explain's scans gain nothing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/tools.h"
#include "bc/image.h"
#include "bc/opcodes.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "check_main.h"

static const char rules[] =
    "record cert {\n  id: text\n  issued: date\n  expires: date?\n}\n"
    "facts coach {\n  id: text\n  birth_date: date\n  started: date?\n  certs: list of cert = []\n}\n"
    "define age: integer = years since birth_date\n"
    "define current(c: text): boolean =\n"
    "  any x in certs where x.id = c and x.issued <= today and (x.expires otherwise today) >= today\n"
    "define held_for(c: text, n: integer): boolean = any x in certs where x.id = c and x.issued <= today - n months\n"
    "program p {\n"
    "  require \"adult\": age >= 18\n"
    "  require \"months old\": months since birth_date >= 222\n"
    "  require \"days old\": days since birth_date < 7000\n"
    "  require \"until\": months between today and 2030-06-15 >= 7\n"
    "  require \"years until\": years between today and 2031-02-28 = 3\n"
    "  require \"current\": current(\"a\")\n"
    "  require \"lt\": today < 2027-03-01\n"
    "  require \"le\": 2027-03-01 <= today\n"
    "  require \"gt\": today > birth_date + 30 years\n"
    "  require \"ne\": today != 2028-02-29\n"
    "  require \"eq\": 2026-12-31 = today\n"
    "  require \"started\": years since (started otherwise today) >= 2\n"
    "  require \"shift\": today + 45 days >= 2027-01-10\n"
    "  require \"shift back\": today - 1 month <= 2029-01-31\n"
    "  require \"otherwise\": (started otherwise today) >= today\n"
    "  require \"year of\": year of today >= 2027\n"
    "  require \"month of\": month of today = 3\n"
    "  require \"day of\": day of today < 15\n"
    "  require \"31 August of\": years between birth_date and 31 August of year of today >= 18\n"
    "  require \"following\": 1 January following today <= 2029-01-01\n"
    "  require \"leap following\": 29 February following today = 2032-02-29\n"
    "  require \"following back\": 1 March following birth_date + (year of today - 2020) years < today\n"
    "  require \"held for\": held_for(\"a\", year of today - 2020)\n"
    "  require \"parts\": day 1 of month month of today of year 2030 > today\n"
    "  require \"started, added to\": (years since (started otherwise today)) + 1 >= 3\n"
    "  require \"age eq\": age = 20\n"
    "  require \"age ne\": 30 != age\n"
    "  require \"clamped\": min(40, max(age, 18)) < 25\n"
    "  require \"months to go\": months between today and birth_date + 25 years > 2\n"
    "  require \"two counts\": age > months since (started otherwise today)\n"
    "  require \"seventeen counts\": age + age + age + age + age + age + age + age + age + age + age + age\n"
    "    + age + age + age + age + months between today and 2030-06-15 > 500\n"
    "}\n";

/* Each record parenthesized: one literal in pieces, not two elements. */
static const char *const records[] = {
    ("{\"id\":\"a\",\"birth_date\":\"2008-02-29\",\"started\":\"2025-01-31\",\"certs\":["
     "{\"id\":\"a\",\"issued\":\"2024-01-31\",\"expires\":\"2027-02-28\"},"
     "{\"id\":\"a\",\"issued\":\"2028-03-31\",\"expires\":null},{\"id\":\"b\",\"issued\":\"2020-01-01\",\"expires\":null}]}"),
    "{\"id\":\"b\",\"birth_date\":\"1990-01-31\",\"started\":null}",
    ("{\"id\":\"c\",\"birth_date\":\"2010-12-31\",\"started\":\"2031-03-31\",\"certs\":["
     "{\"id\":\"a\",\"issued\":\"2026-12-31\",\"expires\":\"2026-12-31\"}]}"),
};

static pv_value run(pv_state *vm, const pv_value *facts, int32_t day, uint32_t func)
{
    pv_value v;
    pv_error err;
    ck_assert_msg(pv_call(vm, facts, day, func, NULL, &v, &err), "%s", err.message);
    return v;
}

START_TEST(test_windows_repeat)
{
    pw_program *prog;
    pw_context *ctx;
    pw_error err;
    ck_assert_msg(pw_compile_source("window.pw", rules, strlen(rules), NULL, &prog, &err) == PW_OK, "%s",
                  err.message);
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    const char *rec = records[_i];
    ck_assert_msg(pw_context_set_json(ctx, rec, strlen(rec), &err) == PW_OK, "%s", err.message);
    const pb_image *img = pt_program_image(prog);
    pv_state *vm = pt_context_vm(ctx);
    const pv_value *facts = pt_context_facts(ctx)->root;
    pw_date start, end;
    ck_assert_int_eq(pw_date_parse("2022-01-01", &start, NULL), PW_OK);
    ck_assert_int_eq(pw_date_parse("2033-12-31", &end, NULL), PW_OK);
    long checked = 0, wide = 0;
    for (uint32_t r = img->progs[0].first_req; r < img->progs[0].first_req + img->progs[0].nreqs; r++) {
        uint32_t f = img->reqs[r].func;
        for (pw_date d = start; d <= end; d += 41) {
            pv_window_open(vm);
            pv_value v = run(vm, facts, d, f);
            pv_window_close(vm);
            int32_t lo = vm->win_lo, hi = vm->win_hi;
            ck_assert_msg(lo <= d && d <= hi, "the window [%d, %d] misses its own day %d", lo, hi, d);
            if ((int64_t)hi - lo > 1)
                wide++;
            int64_t from = lo > (int64_t)d - 500 ? lo : (int64_t)d - 500;
            int64_t to = hi < (int64_t)d + 500 ? hi : (int64_t)d + 500;
            for (int64_t e = from; e <= to; e++, checked++) {
                pv_value w = run(vm, facts, (int32_t)e, f);
                if (w.as.b != v.as.b || w.none != v.none) {
                    char a[11], b[11];
                    pw_date_format(d, a);
                    pw_date_format((pw_date)e, b);
                    ck_abort_msg("record %d, requirement %u: %s on %s but %s on %s, inside the window [%d, %d]", _i,
                                 r - img->progs[0].first_req, v.as.b ? "met" : "unmet", a,
                                 w.as.b ? "met" : "unmet", b, lo, hi);
                }
            }
        }
    }
    /* Most windows reach past their day: only the date shifts and days
     * with a count change at them collapse. */
    ck_assert_int_gt(wide, 0);
    printf("record %d: %ld days checked inside windows, %ld windows wider than a day\n", _i, checked, wide);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* The function of requirement `label` of program 0. */
static uint32_t req_func(const pb_image *img, const char *label)
{
    for (uint32_t r = img->progs[0].first_req; r < img->progs[0].first_req + img->progs[0].nreqs; r++)
        if (strcmp(img->strings[img->reqs[r].label], label) == 0)
            return img->reqs[r].func;
    ck_abort_msg("no requirement \"%s\"", label);
    return 0;
}

/* The window of requirement `label` on `day` is [lo, hi]. */
static void expect_window(pv_state *vm, const pv_value *facts, uint32_t func, const char *day, const char *lo,
                          const char *hi)
{
    pw_date d, l, h;
    ck_assert_int_eq(pw_date_parse(day, &d, NULL), PW_OK);
    ck_assert_int_eq(pw_date_parse(lo, &l, NULL), PW_OK);
    ck_assert_int_eq(pw_date_parse(hi, &h, NULL), PW_OK);
    pv_window_open(vm);
    run(vm, facts, d, func);
    pv_window_close(vm);
    ck_assert_int_eq(vm->win_lo, l);
    ck_assert_int_eq(vm->win_hi, h);
}

/* A count compared with a constant (`age >= 18`) narrows the window to the
 * days on which the comparison comes out the same, not to the year of the
 * count: the whole time before the 18th birthday, and all after it (to the
 * VM's last day), so `when` and explain's scans step over years at once.
 * The days inside are checked by test_windows_repeat. */
START_TEST(test_count_compared_window)
{
    pw_program *prog;
    pw_context *ctx;
    pw_error err;
    ck_assert_msg(pw_compile_source("window.pw", rules, strlen(rules), NULL, &prog, &err) == PW_OK, "%s",
                  err.message);
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    const char *rec = records[0]; /* born 2008-02-29: 18 on 2026-03-01 */
    ck_assert_msg(pw_context_set_json(ctx, rec, strlen(rec), &err) == PW_OK, "%s", err.message);
    const pb_image *img = pt_program_image(prog);
    pv_state *vm = pt_context_vm(ctx);
    const pv_value *facts = pt_context_facts(ctx)->root;
    pw_date first, last;
    ck_assert_int_eq(pw_date_parse("2026-03-01", &first, NULL), PW_OK);
    pv_window_open(vm);
    run(vm, facts, first - 2000, req_func(img, "adult"));
    pv_window_close(vm);
    ck_assert_int_lt(vm->win_lo, first - 365 * 100);
    ck_assert_int_eq(vm->win_hi, first - 1);
    pv_window_open(vm);
    run(vm, facts, first + 400, req_func(img, "adult"));
    pv_window_close(vm);
    ck_assert_int_eq(vm->win_lo, first);
    ck_assert_int_gt(vm->win_hi, first + 365 * 100);
    /* age = 20: the year of 20 (2028-02-29 to 2029-02-28), and the days
     * before it and after it; clamped to [18, 40] and below 25: from the
     * 25th birthday on. */
    expect_window(vm, facts, req_func(img, "age eq"), "2028-07-01", "2028-02-29", "2029-02-28");
    /* Sixteen counts fill pv_state.runs: the seventeenth narrows the
     * window at once to the days on which it is the same (23 months to
     * 2030-06-15 from 2028-06-16 to 2028-07-15), inside the year of 20. */
    expect_window(vm, facts, req_func(img, "seventeen counts"), "2028-07-01", "2028-06-16", "2028-07-15");
    ck_assert_int_eq(pw_date_parse("2033-03-01", &last, NULL), PW_OK);
    pv_window_open(vm);
    run(vm, facts, last + 10, req_func(img, "clamped"));
    pv_window_close(vm);
    ck_assert_int_eq(vm->win_lo, last);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* A count to a date after the day (`years since started` before the coach
 * started: negative) has no closed form for its window; the VM searches for
 * the run of days that give the same count. Before, such a window was the
 * day alone, and explain's scan went day by day over the horizon (2 ms a
 * coach instead of 0.1). The days inside are checked by
 * test_windows_repeat; here, used in arithmetic, the run must be the whole
 * year of that count, and compared with 2, every day before the count
 * reaches 2 (2033-03-31). */
START_TEST(test_negative_count_window)
{
    pw_program *prog;
    pw_context *ctx;
    pw_error err;
    ck_assert_msg(pw_compile_source("window.pw", rules, strlen(rules), NULL, &prog, &err) == PW_OK, "%s",
                  err.message);
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    const char *rec = records[2]; /* started 2031-03-31 */
    ck_assert_msg(pw_context_set_json(ctx, rec, strlen(rec), &err) == PW_OK, "%s", err.message);
    const pb_image *img = pt_program_image(prog);
    pv_state *vm = pt_context_vm(ctx);
    const pv_value *facts = pt_context_facts(ctx)->root;
    uint32_t started = UINT32_MAX;
    for (uint32_t r = img->progs[0].first_req; r < img->progs[0].first_req + img->progs[0].nreqs; r++)
        if (strcmp(img->strings[img->reqs[r].label], "started") == 0)
            started = img->reqs[r].func;
    ck_assert_uint_ne(started, UINT32_MAX);
    pw_date day, lo, hi;
    ck_assert_int_eq(pw_date_parse("2026-06-15", &day, NULL), PW_OK);
    /* years since 2031-03-31 is -5 on 2026-06-15, and on exactly the days
     * from 2026-03-31 (2026 - 2031) to 2027-03-30 (2027 - 2031 - 1). */
    ck_assert_int_eq(pw_date_parse("2026-03-31", &lo, NULL), PW_OK);
    ck_assert_int_eq(pw_date_parse("2027-03-30", &hi, NULL), PW_OK);
    pv_window_open(vm);
    run(vm, facts, day, req_func(img, "started, added to"));
    pv_window_close(vm);
    ck_assert_int_eq(vm->win_lo, lo);
    ck_assert_int_eq(vm->win_hi, hi);
    ck_assert_int_eq(pw_date_parse("2033-03-30", &hi, NULL), PW_OK);
    pv_window_open(vm);
    run(vm, facts, day, started);
    pv_window_close(vm);
    ck_assert_int_lt(vm->win_lo, lo - 365 * 100);
    ck_assert_int_eq(vm->win_hi, hi);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* The windows of the shipped rules' requirements over certificates reach
 * from one issue or expiry day to the next: what makes `pathway explain` of
 * a coach with a long list cheap. */
START_TEST(test_certificate_window)
{
    pw_program *prog;
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_program_open(PW_SOURCE_DIR "/rules/usatf/usatf.pw", NULL, &prog, &err), PW_OK);
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    const char *rec = "{\"id\":\"x\",\"birth_date\":\"1980-01-01\",\"certificates\":[{\"id\":\"usatf-level-1\","
                      "\"issued\":\"2020-01-01\",\"expires\":\"2030-12-31\"}]}";
    ck_assert_int_eq(pw_context_set_json(ctx, rec, strlen(rec), &err), PW_OK);
    const pb_image *img = pt_program_image(prog);
    size_t l2;
    ck_assert_int_eq(pw_program_find(prog, "level_2", &l2, &err), PW_OK);
    pv_state *vm = pt_context_vm(ctx);
    pw_date d, issued, expires;
    pw_date_parse("2026-11-23", &d, NULL);
    pw_date_parse("2020-01-01", &issued, NULL);
    pw_date_parse("2030-12-31", &expires, NULL);
    bool found = false;
    for (uint32_t r = img->progs[l2].first_req; r < img->progs[l2].first_req + img->progs[l2].nreqs; r++) {
        pw_requirement info;
        pw_requirement_info(prog, l2, r - img->progs[l2].first_req, &info, NULL);
        if (strcmp(info.label, "current USATF Level 1 certificate") != 0)
            continue;
        pv_window_open(vm);
        pv_value v = run(vm, pt_context_facts(ctx)->root, d, img->reqs[r].func);
        pv_window_close(vm);
        ck_assert(v.as.b);
        ck_assert_int_eq(vm->win_lo, issued);
        ck_assert_int_eq(vm->win_hi, expires);
        found = true;
    }
    ck_assert(found);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* `year of today` is the same all year, `month of today` all month: the
 * windows are exactly the year and the month, so explain's scans step over
 * them; `1 January following today` is the same from one 1 January to the
 * day before the next. */
START_TEST(test_date_part_windows)
{
    static const char src[] = "facts coach { id: text }\n"
                              "program p {\n"
                              "  require \"year\": year of today = 2026\n"
                              "  require \"month\": month of today = 2\n"
                              "  require \"following\": 1 January following today = 2027-01-01\n"
                              "}\n";
    static const char *const want[][2] = {
        {"2026-01-01", "2026-12-31"}, {"2024-02-01", "2024-02-29"}, {"2026-01-01", "2026-12-31"}};
    static const char *const days[] = {"2026-07-04", "2024-02-10", "2026-01-01"};
    pw_program *prog;
    pw_context *ctx;
    pw_error err;
    ck_assert_msg(pw_compile_source("part.pw", src, strlen(src), NULL, &prog, &err) == PW_OK, "%s", err.message);
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, "{\"id\":\"x\"}", 10, &err), PW_OK);
    const pb_image *img = pt_program_image(prog);
    pv_state *vm = pt_context_vm(ctx);
    for (uint32_t r = 0; r < 3; r++) {
        pw_date d, lo, hi;
        pw_date_parse(days[r], &d, NULL);
        pw_date_parse(want[r][0], &lo, NULL);
        pw_date_parse(want[r][1], &hi, NULL);
        pv_window_open(vm);
        (void)run(vm, pt_context_facts(ctx)->root, d, img->reqs[img->progs[0].first_req + r].func);
        pv_window_close(vm);
        ck_assert_int_eq(vm->win_lo, lo);
        ck_assert_int_eq(vm->win_hi, hi);
    }
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* Every instruction that reads an integer narrows the window for a marked
 * count (pv_window_count_role), and every one that may move an integer
 * keeps the mark: checked against the operand shapes of the opcode table,
 * so that a new instruction (a superinstruction comparing with a constant)
 * cannot silently lose a count's window. */
START_TEST(test_count_roles)
{
    for (int op = 0; op < PB_OP_COUNT; op++) {
        const pb_opinfo *info = &pb_opinfo_table[op];
        pv_count_role role = pv_window_count_role((unsigned)op);
        if (strchr(info->pops, 'i'))
            ck_assert_msg(role == PV_COUNT_READ, "%s reads an integer but does not follow marked counts",
                          info->name);
        else if (strpbrk(info->pops, "@*"))
            ck_assert_msg(role != PV_COUNT_NONE, "%s takes any value but has no role for marked counts",
                          info->name);
        else
            ck_assert_msg(role == PV_COUNT_NONE, "%s takes no integer", info->name);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("window");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_windows_repeat, 0, (int)(sizeof records / sizeof records[0]));
    tcase_add_test(tc, test_certificate_window);
    tcase_add_test(tc, test_negative_count_window);
    tcase_add_test(tc, test_count_compared_window);
    tcase_add_test(tc, test_count_roles);
    tcase_add_test(tc, test_date_part_windows);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(suite());
}
