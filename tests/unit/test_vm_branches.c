/* The VM's rarer branches on hand-assembled, verified programs: the budget
 * checked after every kind of instruction, comparisons of absent values of
 * every type, remembered calls told apart by arguments of every parameter
 * type, a remembered requirement run again when the budget is short, and
 * the day windows' edge cases (more counts than pv_state.runs holds, counts
 * to a later date, dates near the ends of the calendar, absent operands,
 * stray marks). */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "asm_helpers.h"
#include "util/date.h"
#include "vm/vm.h"
#include "vm_helpers.h"

enum { F_CERTS, F_ROLES, F_N, NFACTS };
enum { C_ID, C_ISSUED, NCERT };
#define REC_CERT 1
#define ZERO ((pv_value){0})

static pb_type t_int(void) { return ah_t(PB_T_INT); }
static pb_type t_bool(void) { return ah_t(PB_T_BOOL); }
static pb_type t_date(void) { return ah_t(PB_T_DATE); }

static void base(ah *b)
{
    ah_str(b, "b.pw");
    ah_record(b, "coach");
    ah_field(b, "certificates", ah_list(REC_CERT), PB_DEF_EMPTY, ZERO);
    ah_field(b, "roles", ah_t(PB_T_SET), PB_DEF_EMPTY, ZERO);
    ah_field(b, "n", t_int(), PB_DEF_VALUE, ZERO);
    ah_record(b, "certificate");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, ZERO);
    ah_field(b, "issued", t_date(), PB_DEF_REQUIRED, ZERO);
}

static const int32_t TODAY = 20000; /* 2024-10-04 */

static int32_t ymd(int y, int m, int d) { return pu_from_ymd(y, m, d); }

static pv_value call_on(vm *v, const pv_value *facts, int32_t today, uint32_t f, const pv_value *args)
{
    pv_value r = {0};
    ck_assert_msg(pv_call(&v->st, facts, today, f, args, &r, &v->err), "runtime error: %s", v->err.message);
    return r;
}

static pv_value call(vm *v, const pv_value *facts, uint32_t f, const pv_value *args)
{
    return call_on(v, facts, TODAY, f, args);
}

/* ---- the budget, after every kind of instruction ------------------------------------ */

/* One straight function through every instruction that does not jump or
 * call, then a loop over a list of one certificate, each instruction on its
 * own source line (its index + 1). With a budget of b instructions the run
 * stops before the (b + 1)-th, whichever instruction that is, and the error
 * names its line. */
START_TEST(budget_after_each_instruction)
{
    ah *b = ah_new();
    base(b);
    uint32_t k2024 = ah_int(b, 2024), k2 = ah_int(b, 2), k29 = ah_int(b, 29), k3 = ah_int(b, 3), k1 = ah_int(b, 1),
             k0 = ah_int(b, 0), k10 = ah_int(b, 10), k40 = ah_int(b, 40);
    uint32_t half = ah_num(b, 0.5), big = ah_num(b, 1000.0);
    uint32_t s1 = ah_str(b, "a"), s2 = ah_str(b, "b");
    uint32_t f = ah_func(b, "everything", t_bool(), 0, NULL, 3, 4);
    const ah_op body[] = {
        {PB_OP_NOP, 0, 0},
        {PB_OP_PUSH_DATE, (uint32_t)TODAY, 0},
        {PB_OP_POP, 0, 0},
        {PB_OP_PUSH_NONE, pb_type_pack(ah_opt(PB_T_INT)), 0},
        {PB_OP_IS_NONE, 0, 0}, /* true */
        {PB_OP_NOT, 0, 0},     /* false */
        {PB_OP_PUSH_FALSE, 0, 0},
        {PB_OP_CMP_BOOL, PB_EQ, 0}, /* true */
        {PB_OP_POP, 0, 0},
        {PB_OP_PUSH_INT, k2024, 0},
        {PB_OP_PUSH_INT, k2, 0},
        {PB_OP_PUSH_INT, k29, 0},
        {PB_OP_DATE_MAKE, 0, 0}, /* 2024-02-29 */
        {PB_OP_PUSH_INT, k3, 0},
        {PB_OP_PUSH_INT, k1, 0},
        {PB_OP_DATE_NEXT, 0, 0}, /* 2024-03-01 */
        {PB_OP_PUSH_INT, k10, 0},
        {PB_OP_DATE_ADD, PU_DAYS, 0}, /* 2024-03-11 */
        {PB_OP_DUP, 0, 0},
        {PB_OP_STORE_LOCAL, 0, 0},
        {PB_OP_DATE_PART, PU_DAYS, 0}, /* 11 */
        {PB_OP_PUSH_INT, k1, 0},
        {PB_OP_ADD_INT, 0, 0}, /* 12 */
        {PB_OP_PUSH_INT, k2, 0},
        {PB_OP_SUB_INT, 0, 0}, /* 10 */
        {PB_OP_PUSH_INT, k3, 0},
        {PB_OP_MUL_INT, 0, 0}, /* 30 */
        {PB_OP_NEG_INT, 0, 0}, /* -30 */
        {PB_OP_PUSH_INT, k0, 0},
        {PB_OP_MIN_INT, 0, 0}, /* -30 */
        {PB_OP_PUSH_INT, k40, 0},
        {PB_OP_MAX_INT, 0, 0}, /* 40 */
        {PB_OP_INT_TO_NUM, 0, 0},
        {PB_OP_NEG_NUM, 0, 0}, /* -40 */
        {PB_OP_PUSH_NUM, half, 0},
        {PB_OP_ADD_NUM, 0, 0}, /* -39.5 */
        {PB_OP_PUSH_NUM, half, 0},
        {PB_OP_SUB_NUM, 0, 0}, /* -40 */
        {PB_OP_PUSH_NUM, half, 0},
        {PB_OP_MUL_NUM, 0, 0}, /* -20 */
        {PB_OP_PUSH_NUM, big, 0},
        {PB_OP_MIN_NUM, 0, 0}, /* -20 */
        {PB_OP_PUSH_NUM, half, 0},
        {PB_OP_MAX_NUM, 0, 0}, /* 0.5 */
        {PB_OP_PUSH_NUM, half, 0},
        {PB_OP_CMP_NUM, PB_EQ, 0}, /* true */
        {PB_OP_PUSH_STR, s1, 0},
        {PB_OP_PUSH_STR, s2, 0},
        {PB_OP_CMP_TEXT, PB_NE, 0}, /* true */
        {PB_OP_CMP_BOOL, PB_EQ, 0}, /* true */
        {PB_OP_LOAD_LOCAL, 0, 0},
        {PB_OP_PUSH_TODAY, 0, 0},
        {PB_OP_CMP_DATE, PB_LT, 0}, /* 2024-03-11 < today: true */
        {PB_OP_CMP_BOOL, PB_EQ, 0}, /* true */
        {PB_OP_PUSH_INT, k0, 0},
        {PB_OP_PUSH_INT, k1, 0},
        {PB_OP_CMP_INT, PB_LT, 0}, /* true */
        {PB_OP_CMP_BOOL, PB_EQ, 0}, /* true */
        {PB_OP_LOAD_FACT, F_CERTS, 0},
        {PB_OP_ITER_INIT, 1, pb_type_pack(ah_list(REC_CERT))},
    };
    /* The line of each instruction in the order they run. */
    uint32_t order[128], n = 0, line = 0;
    for (size_t i = 0; i < sizeof body / sizeof body[0]; i++) {
        ah_line(b, ah_emit(b, body[i].op, body[i].a, body[i].b), "b.pw", ++line, 1);
        order[n++] = line;
    }
    uint32_t next = ah_emit(b, PB_OP_ITER_NEXT, 1, 0), l_next = ++line;
    ah_line(b, next, "b.pw", l_next, 1);
    ah_line(b, ah_emit(b, PB_OP_POP, 0, 0), "b.pw", ++line, 1);
    uint32_t loop = ah_emit(b, PB_OP_LOOP, 0, 0);
    ah_line(b, loop, "b.pw", ++line, 1);
    ah_patch(b, loop, next);
    ah_patch(b, next, b->ncode);
    ah_line(b, ah_emit(b, PB_OP_RET, 0, 0), "b.pw", ++line, 1);
    ah_end(b);
    /* ITER_NEXT gives the certificate, POP, LOOP, ITER_NEXT is done, RET. */
    order[n++] = l_next, order[n++] = l_next + 1, order[n++] = l_next + 2, order[n++] = l_next;
    order[n++] = l_next + 3;
    vm v;
    vm_open(&v, b);
    pv_value certs[NCERT] = {{.as.s = 0}, {.as.d = TODAY}};
    pv_value facts[NFACTS] = {{.as.items = certs, .count = 1}};
    ck_assert(call(&v, facts, f, NULL).as.b);
    ck_assert_uint_eq(v.st.executed, n);
    for (uint32_t budget = 1; budget < n; budget++) {
        v.st.budget = budget;
        pv_value r;
        ck_assert_msg(!pv_call(&v.st, facts, TODAY, f, NULL, &r, &v.err), "budget %u: no error", budget);
        char want[64];
        snprintf(want, sizeof want, "instruction budget exceeded (%u instructions)", budget);
        ck_assert_str_eq(v.err.message, want);
        ck_assert_uint_eq(v.err.line, order[budget]);
        ck_assert_uint_eq(v.st.executed, budget + 1);
    }
    v.st.budget = n;
    ck_assert(call(&v, facts, f, NULL).as.b);
    vm_close(&v);
}
END_TEST

/* ---- comparisons with absent values ------------------------------------------------ */

/* Ordered types (integer, number, date): absent equals absent only, and an
 * ordering comparison with an absent value is an error naming it. */
START_TEST(compare_absent_ordered)
{
    static const pb_op ops[] = {PB_OP_CMP_INT, PB_OP_CMP_NUM, PB_OP_CMP_DATE};
    static const pb_kind kinds[] = {PB_T_INT, PB_T_NUM, PB_T_DATE};
    static const char *const sym[] = {"=", "!=", "<", "<=", ">", ">="};
    ah *b = ah_new();
    base(b);
    uint32_t fn[3][PB_CMP_COUNT];
    for (int k = 0; k < 3; k++) {
        pb_type p[2] = {ah_opt(kinds[k]), ah_opt(kinds[k])};
        for (uint32_t c = 0; c < PB_CMP_COUNT; c++)
            fn[k][c] = AH_FN(b, "cmp", t_bool(), 2, p, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                             {ops[k], c, 0}, {PB_OP_RET, 0, 0});
    }
    vm v;
    vm_open(&v, b);
    pv_value none = {.none = 1}, one = {.as.i = 1};
    const pv_value pairs[3][2] = {{none, none}, {none, one}, {one, none}};
    for (int k = 0; k < 3; k++) {
        pv_value val = k == 1 ? (pv_value){.as.n = 1.0} : k == 2 ? (pv_value){.as.d = 1} : one;
        for (int p = 0; p < 3; p++) {
            pv_value args[2] = {pairs[p][0].none ? none : val, pairs[p][1].none ? none : val};
            ck_assert_msg(call(&v, NULL, fn[k][PB_EQ], args).as.b == (p == 0), "%s pair %d eq",
                          pb_opinfo_table[ops[k]].name, p);
            ck_assert_msg(call(&v, NULL, fn[k][PB_NE], args).as.b == (p != 0), "%s pair %d ne",
                          pb_opinfo_table[ops[k]].name, p);
            for (uint32_t c = PB_LT; c < PB_CMP_COUNT; c++) {
                pv_value r;
                ck_assert(!pv_call(&v.st, NULL, TODAY, fn[k][c], args, &r, &v.err));
                char want[96];
                snprintf(want, sizeof want, "ordering comparison `%s` with an absent value (the checker forbids this)",
                         sym[c]);
                ck_assert_str_eq(v.err.message, want);
            }
        }
    }
    /* Present numbers and booleans under every condition. */
    static const bool want[3][PB_CMP_COUNT] = {
        {false, true, true, true, false, false}, /* 1 against 2 */
        {true, false, false, true, false, true},  /* 2 against 2 */
        {false, true, false, false, true, true},  /* 3 against 2 */
    };
    for (int x = 0; x < 3; x++)
        for (uint32_t c = 0; c < PB_CMP_COUNT; c++) {
            pv_value args[2] = {{.as.n = x + 1.0}, {.as.n = 2.0}};
            ck_assert(call(&v, NULL, fn[1][c], args).as.b == want[x][c]);
        }
    vm_close(&v);
}
END_TEST

/* Texts and booleans compare for equality only: absent equals absent, a
 * present value equals the same value, whatever the other bits hold. */
START_TEST(compare_absent_equality)
{
    ah *b = ah_new();
    base(b);
    uint32_t ft[2], fb[2];
    pb_type pt[2] = {ah_opt(PB_T_TEXT), ah_opt(PB_T_TEXT)}, pb[2] = {ah_opt(PB_T_BOOL), ah_opt(PB_T_BOOL)};
    for (uint32_t c = 0; c < 2; c++) {
        ft[c] = AH_FN(b, "ct", t_bool(), 2, pt, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                      {PB_OP_CMP_TEXT, c, 0}, {PB_OP_RET, 0, 0});
        fb[c] = AH_FN(b, "cb", t_bool(), 2, pb, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                      {PB_OP_CMP_BOOL, c, 0}, {PB_OP_RET, 0, 0});
    }
    vm v;
    vm_open(&v, b);
    /* An absent value keeps whatever bits it had: they do not count. */
    pv_value tn = {.as.s = 5, .none = 1}, t5 = {.as.s = 5}, t6 = {.as.s = 6};
    pv_value bn = {.as.b = true, .none = 1}, bt = {.as.b = true}, bf = {.as.b = false};
    const struct {
        pv_value a, b;
        bool eq;
    } cases[] = {
        {tn, tn, true}, {tn, t5, false}, {t5, tn, false}, {t5, t5, true}, {t5, t6, false},
        {bn, bn, true}, {bn, bt, false}, {bt, bn, false}, {bt, bt, true}, {bt, bf, false}, {bf, bf, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pv_value args[2] = {cases[i].a, cases[i].b};
        const uint32_t *f = i < 5 ? ft : fb;
        ck_assert_msg(call(&v, NULL, f[PB_EQ], args).as.b == cases[i].eq, "case %zu eq", i);
        ck_assert_msg(call(&v, NULL, f[PB_NE], args).as.b == !cases[i].eq, "case %zu ne", i);
    }
    vm_close(&v);
}
END_TEST

/* ---- remembered calls: arguments of every type ------------------------------------------ */

/* outer(x) calls inner(x), which returns fact n: with memory on and the
 * facts changed behind its back (no pv_memo_forget), a call with the same
 * argument gives the remembered n, one with a different argument the new n.
 * So the results show which arguments the VM takes for the same. */
static uint32_t memo_pair(ah *b, pb_type t)
{
    pb_type p[1] = {t};
    uint32_t inner = AH_FN(b, "inner", t_int(), 1, p, 1, 1, {PB_OP_LOAD_FACT, F_N, 0}, {PB_OP_RET, 0, 0});
    return AH_FN(b, "outer", t_int(), 1, p, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_CALL, inner, 0},
                 {PB_OP_RET, 0, 0});
}

/* Calls `outer` with a then b: first with n = 1, then n = 2 without forgetting.
 * Returns what the second call gave: 1 when b was taken for a. */
static int64_t second(vm *v, uint32_t outer, pv_value a, pv_value b)
{
    pv_value facts[NFACTS] = {0};
    pv_memo_forget(&v->st);
    facts[F_N].as.i = 1;
    ck_assert_int_eq(call(v, facts, outer, &a).as.i, 1);
    facts[F_N].as.i = 2;
    return call(v, facts, outer, &b).as.i;
}

START_TEST(memo_argument_types)
{
    ah *b = ah_new();
    base(b);
    static const pb_kind kinds[] = {PB_T_INT, PB_T_NUM, PB_T_BOOL, PB_T_TEXT, PB_T_DATE};
    uint32_t outer[5];
    for (int k = 0; k < 5; k++)
        outer[k] = memo_pair(b, ah_opt(kinds[k]));
    uint32_t o_list = memo_pair(b, ah_list(REC_CERT));
    uint32_t o_set = memo_pair(b, ah_t(PB_T_SET));
    uint32_t o_elem = memo_pair(b, ah_elem(REC_CERT));
    vm v;
    vm_open(&v, b);
    ck_assert(pv_memo_init(&v.st));
    /* The same value: remembered; another: not. An absent value with the
     * bits of a present one (the same entry) is another value. */
    pv_value i3 = {.as.i = 3}, i4 = {.as.i = 4}, i_none = {.as.i = 1, .none = 1}, i0 = {.as.i = 0};
    ck_assert_int_eq(second(&v, outer[0], i3, i3), 1);
    ck_assert_int_eq(second(&v, outer[0], i3, i4), 2);
    ck_assert_int_eq(second(&v, outer[0], i0, i_none), 2);
    ck_assert_int_eq(second(&v, outer[0], i_none, i_none), 1);
    /* Numbers by their bits: NaN is the same NaN, -0 is not 0. */
    pv_value nan = {.as.n = NAN}, zero = {.as.n = 0.0}, mzero = {.as.n = -0.0}, half = {.as.n = 0.5};
    ck_assert_int_eq(second(&v, outer[1], nan, nan), 1);
    ck_assert_int_eq(second(&v, outer[1], half, half), 1);
    ck_assert_int_eq(second(&v, outer[1], zero, mzero), 2);
    ck_assert_int_eq(second(&v, outer[1], zero, half), 2);
    pv_value yes = {.as.b = true}, no = {.as.b = false};
    ck_assert_int_eq(second(&v, outer[2], yes, yes), 1);
    ck_assert_int_eq(second(&v, outer[2], yes, no), 2);
    pv_value s7 = {.as.s = 7}, s8 = {.as.s = 8};
    ck_assert_int_eq(second(&v, outer[3], s7, s7), 1);
    ck_assert_int_eq(second(&v, outer[3], s7, s8), 2);
    pv_value d1 = {.as.d = TODAY}, d2 = {.as.d = TODAY + 1};
    ck_assert_int_eq(second(&v, outer[4], d1, d1), 1);
    ck_assert_int_eq(second(&v, outer[4], d1, d2), 2);
    /* Lists and sets: the same elements of the same facts, so the same
     * pointer and the same length (a shorter list from the same place is
     * another list); elements: the same pointer. */
    pv_value certs[3 * NCERT] = {0};
    pv_value l3 = {.as.items = certs, .count = 3}, l2 = {.as.items = certs, .count = 2};
    pv_value l3b = {.as.items = certs + NCERT, .count = 3};
    ck_assert_int_eq(second(&v, o_list, l3, l3), 1);
    ck_assert_int_eq(second(&v, o_list, l3, l2), 2);
    ck_assert_int_eq(second(&v, o_list, l3, l3b), 2);
    pv_value roles[2] = {{.as.s = 7}, {.as.s = 8}};
    pv_value r2 = {.as.items = roles, .count = 2}, r1 = {.as.items = roles, .count = 1};
    ck_assert_int_eq(second(&v, o_set, r2, r2), 1);
    ck_assert_int_eq(second(&v, o_set, r2, r1), 2);
    pv_value e0 = {.as.items = certs}, e1 = {.as.items = certs + NCERT};
    ck_assert_int_eq(second(&v, o_elem, e0, e0), 1);
    ck_assert_int_eq(second(&v, o_elem, e0, e1), 2);
    vm_close(&v);
}
END_TEST

/* A remembered requirement whose cost no longer fits the budget is run
 * again, so that the error and its position are those of a run without
 * memory. */
START_TEST(memo_requirement_over_budget)
{
    ah *b = ah_new();
    base(b);
    uint32_t f = AH_FN(b, "slow", t_bool(), 0, NULL, 0, 1, {PB_OP_NOP, 0, 0}, {PB_OP_NOP, 0, 0},
                       {PB_OP_NOP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    ah_line(b, 0, "b.pw", 7, 3);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "slow", f);
    vm v;
    vm_open(&v, b);
    ck_assert(pv_memo_init(&v.st));
    bool eligible = false;
    ck_assert(pv_run(&v.st, NULL, TODAY, 0, &eligible, &v.err));
    ck_assert(eligible);
    ck_assert_uint_eq(v.st.executed, 5);
    /* Remembered: the same five instructions counted. */
    ck_assert(pv_run(&v.st, NULL, TODAY, 0, &eligible, &v.err));
    ck_assert_uint_eq(v.st.executed, 5);
    v.st.budget = 4;
    ck_assert(!pv_run(&v.st, NULL, TODAY, 0, &eligible, &v.err));
    ck_assert_str_eq(v.err.message, "instruction budget exceeded (4 instructions)");
    ck_assert_uint_eq(v.err.line, 7);
    ck_assert_uint_eq(v.err.col, 3);
    ck_assert_uint_eq(v.st.executed, 5);
    vm_close(&v);
}
END_TEST

/* With a day window open a remembered requirement is not used (its date
 * comparisons would go unseen): a changed fact shows at once, and after the
 * window closes the remembered result is back. */
START_TEST(memo_requirement_in_window)
{
    ah *b = ah_new();
    base(b);
    uint32_t k1 = ah_int(b, 1);
    uint32_t f = AH_FN(b, "n_is_1", t_bool(), 0, NULL, 0, 2, {PB_OP_LOAD_FACT, F_N, 0}, {PB_OP_PUSH_INT, k1, 0},
                       {PB_OP_CMP_INT, PB_EQ, 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "n is 1", f);
    vm v;
    vm_open(&v, b);
    ck_assert(pv_memo_init(&v.st));
    pv_value facts[NFACTS] = {0};
    facts[F_N].as.i = 1;
    bool eligible = false;
    ck_assert(pv_run(&v.st, facts, TODAY, 0, &eligible, &v.err));
    ck_assert(eligible);
    facts[F_N].as.i = 2; /* not forgotten: the owner's mistake, made visible */
    ck_assert(pv_run(&v.st, facts, TODAY, 0, &eligible, &v.err));
    ck_assert(eligible);
    pv_window_open(&v.st);
    ck_assert(pv_run(&v.st, facts, TODAY, 0, &eligible, &v.err));
    pv_window_close(&v.st);
    ck_assert(!eligible);
    ck_assert_uint_eq(v.st.outcomes[0], PV_UNMET);
    ck_assert(pv_run(&v.st, facts, TODAY, 0, &eligible, &v.err));
    ck_assert(eligible);
    vm_close(&v);
}
END_TEST

/* An image without functions or requirements (a program that asks for
 * nothing): the context still gets buffers, remembering has no entries, and
 * the program is met. */
START_TEST(empty_image)
{
    ah *b = ah_new();
    base(b);
    ah_prog(b, "nothing");
    vm v;
    vm_open(&v, b);
    ck_assert_uint_eq(v.img->nfuncs, 0);
    ck_assert_uint_eq(v.img->max_frame, 0);
    ck_assert(pv_memo_init(&v.st));
    ck_assert_uint_eq(v.st.memo_count, 0);
    bool eligible = false;
    ck_assert(pv_run(&v.st, NULL, TODAY, 0, &eligible, &v.err));
    ck_assert(eligible);
    ck_assert_uint_eq(v.st.executed, 0);
    vm_close(&v);
}
END_TEST

/* ---- day windows ------------------------------------------------------------------------ */

/* Runs f on `today` with a window open; returns the result. */
static pv_value windowed(vm *v, uint32_t f, const pv_value *args, int32_t today)
{
    pv_window_open(&v->st);
    pv_value r = call_on(v, NULL, today, f, args);
    pv_window_close(&v->st);
    return r;
}

#define ck_window(v, lo, hi)                        \
    do {                                            \
        ck_assert_int_eq((v)->st.win_lo, (lo));     \
        ck_assert_int_eq((v)->st.win_hi, (hi));     \
    } while (0)

/* `29 February following today` from a day in 1800 (not a leap year): the
 * 29 February before 1804's is outside the calendar, so the window starts
 * at the day itself and ends the day before 1804-02-29. */
START_TEST(window_following_first_year)
{
    ah *b = ah_new();
    base(b);
    uint32_t k2 = ah_int(b, 2), k29 = ah_int(b, 29);
    uint32_t f = AH_FN(b, "leap", t_bool(), 0, NULL, 0, 3, {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_PUSH_INT, k2, 0},
                       {PB_OP_PUSH_INT, k29, 0}, {PB_OP_DATE_NEXT, 0, 0},
                       {PB_OP_PUSH_DATE, (uint32_t)ymd(1804, 2, 29), 0}, {PB_OP_CMP_DATE, PB_EQ, 0},
                       {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    ck_assert(windowed(&v, f, NULL, ymd(1800, 6, 15)).as.b);
    ck_window(&v, ymd(1800, 6, 15), ymd(1804, 2, 28));
    /* Later, the window reaches back to the previous 29 February. */
    ck_assert(!windowed(&v, f, NULL, ymd(1805, 6, 15)).as.b);
    ck_window(&v, ymd(1804, 2, 29), ymd(1808, 2, 28));
    vm_close(&v);
}
END_TEST

/* Comparisons of today with today, or of a date with an absent one, come
 * out the same every day: the window stays whole. */
START_TEST(window_compare_same_every_day)
{
    ah *b = ah_new();
    base(b);
    pb_type od[1] = {ah_opt(PB_T_DATE)};
    uint32_t tt = AH_FN(b, "today_today", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_TODAY, 0, 0},
                        {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_CMP_DATE, PB_LE, 0}, {PB_OP_RET, 0, 0});
    uint32_t tn = AH_FN(b, "today_absent", t_bool(), 1, od, 1, 2, {PB_OP_PUSH_TODAY, 0, 0},
                        {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_CMP_DATE, PB_EQ, 0}, {PB_OP_RET, 0, 0});
    uint32_t nt = AH_FN(b, "absent_today", t_bool(), 1, od, 1, 2, {PB_OP_LOAD_LOCAL, 0, 0},
                        {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_CMP_DATE, PB_NE, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    pv_value none = {.none = 1};
    ck_assert(windowed(&v, tt, NULL, TODAY).as.b);
    ck_window(&v, INT32_MIN, INT32_MAX);
    ck_assert(!windowed(&v, tn, &none, TODAY).as.b);
    ck_window(&v, INT32_MIN, INT32_MAX);
    ck_assert(windowed(&v, nt, &none, TODAY).as.b);
    ck_window(&v, INT32_MIN, INT32_MAX);
    vm_close(&v);
}
END_TEST

/* An integer argument whose count happens to look like a mark (a host's
 * stray bits: only BETWEEN marks, and only within a run) is an ordinary
 * integer: comparing it narrows nothing. */
START_TEST(window_stray_mark)
{
    ah *b = ah_new();
    base(b);
    pb_type pi[1] = {t_int()};
    uint32_t k5 = ah_int(b, 5);
    uint32_t f = AH_FN(b, "ge5", t_bool(), 1, pi, 1, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_PUSH_INT, k5, 0},
                       {PB_OP_CMP_INT, PB_GE, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    pv_value x = {.as.i = 7, .count = 0xFFFFFF03u};
    ck_assert(windowed(&v, f, &x, TODAY).as.b);
    ck_window(&v, INT32_MIN, INT32_MAX);
    vm_close(&v);
}
END_TEST

/* Emits years since 2000-03-01 (24 on 2024-10-04). */
static void emit_age(ah *b)
{
    ah_emit(b, PB_OP_PUSH_DATE, (uint32_t)ymd(2000, 3, 1), 0);
    ah_emit(b, PB_OP_PUSH_TODAY, 0, 0);
    ah_emit(b, PB_OP_BETWEEN, PU_YEARS, 0);
}

/* The age compared (=) with an absent integer, on either side: false every
 * day, but the count is used, so the window is the year of that age; min
 * and max of two counts, or of a count and an absent integer, the days on
 * which both stay the same; of two integers that do not depend on the day,
 * the whole window. */
START_TEST(window_count_with_absent_or_count)
{
    ah *b = ah_new();
    base(b);
    pb_type oi[1] = {ah_opt(PB_T_INT)}, pi[1] = {t_int()};
    uint32_t k30 = ah_int(b, 30);
    uint32_t eq_r = ah_func(b, "age_eq", t_bool(), 1, oi, 1, 3);
    emit_age(b);
    ah_emit(b, PB_OP_LOAD_LOCAL, 0, 0);
    ah_emit(b, PB_OP_CMP_INT, PB_EQ, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    uint32_t eq_l = ah_func(b, "eq_age", t_bool(), 1, oi, 1, 3);
    ah_emit(b, PB_OP_LOAD_LOCAL, 0, 0);
    emit_age(b);
    ah_emit(b, PB_OP_CMP_INT, PB_NE, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    /* min(age, months since 2024-09-15) */
    uint32_t two = ah_func(b, "two_counts", t_int(), 0, NULL, 0, 3);
    emit_age(b);
    ah_emit(b, PB_OP_PUSH_DATE, (uint32_t)ymd(2024, 9, 15), 0);
    ah_emit(b, PB_OP_PUSH_TODAY, 0, 0);
    ah_emit(b, PB_OP_BETWEEN, PU_MONTHS, 0);
    ah_emit(b, PB_OP_MIN_INT, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    uint32_t mx = ah_func(b, "max_absent", t_int(), 1, oi, 1, 3);
    emit_age(b);
    ah_emit(b, PB_OP_LOAD_LOCAL, 0, 0);
    ah_emit(b, PB_OP_MAX_INT, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    uint32_t plain = AH_FN(b, "plain", t_int(), 1, pi, 1, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_PUSH_INT, k30, 0},
                           {PB_OP_MIN_INT, 0, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    pv_value none = {.none = 1}, seven = {.as.i = 7};
    ck_assert(!windowed(&v, eq_r, &none, TODAY).as.b);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    ck_assert(windowed(&v, eq_l, &none, TODAY).as.b);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    /* months since 2024-09-15 is 0 from then to 2024-10-14. */
    ck_assert_int_eq(windowed(&v, two, NULL, TODAY).as.i, 0);
    ck_window(&v, ymd(2024, 9, 15), ymd(2024, 10, 14));
    ck_assert_int_eq(windowed(&v, mx, &none, TODAY).as.i, 24);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    ck_assert_int_eq(windowed(&v, plain, &seven, TODAY).as.i, 7);
    ck_window(&v, INT32_MIN, INT32_MAX);
    vm_close(&v);
}
END_TEST

/* A count multiplied, or made a number: the days on which it is the same
 * (the year of the age); max of an absent integer and a count: the same.
 * After a shift of today (the day alone), a count compared: still the day
 * alone, nothing to search. */
START_TEST(window_count_used)
{
    ah *b = ah_new();
    base(b);
    pb_type oi[1] = {ah_opt(PB_T_INT)};
    uint32_t k2 = ah_int(b, 2), k18 = ah_int(b, 18), k1 = ah_int(b, 1);
    uint32_t twice = ah_func(b, "twice", t_int(), 0, NULL, 0, 3);
    emit_age(b);
    ah_emit(b, PB_OP_PUSH_INT, k2, 0);
    ah_emit(b, PB_OP_MUL_INT, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    uint32_t num = ah_func(b, "num", ah_t(PB_T_NUM), 0, NULL, 0, 3);
    emit_age(b);
    ah_emit(b, PB_OP_INT_TO_NUM, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    uint32_t mx = ah_func(b, "max_absent", t_int(), 1, oi, 1, 3);
    ah_emit(b, PB_OP_LOAD_LOCAL, 0, 0);
    emit_age(b);
    ah_emit(b, PB_OP_MAX_INT, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    uint32_t shifted = ah_func(b, "shifted", t_bool(), 0, NULL, 0, 3);
    ah_emit(b, PB_OP_PUSH_TODAY, 0, 0);
    ah_emit(b, PB_OP_PUSH_INT, k1, 0);
    ah_emit(b, PB_OP_DATE_ADD, PU_DAYS, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    emit_age(b);
    ah_emit(b, PB_OP_PUSH_INT, k18, 0);
    ah_emit(b, PB_OP_CMP_INT, PB_GE, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    vm v;
    vm_open(&v, b);
    pv_value none = {.none = 1};
    ck_assert_int_eq(windowed(&v, twice, NULL, TODAY).as.i, 48);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    ck_assert(windowed(&v, num, NULL, TODAY).as.n == 24.0);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    ck_assert_int_eq(windowed(&v, mx, &none, TODAY).as.i, 24);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    ck_assert(windowed(&v, shifted, NULL, TODAY).as.b);
    ck_window(&v, TODAY, TODAY);
    vm_close(&v);
}
END_TEST

/* `age < 2500`: true until the 2500th birthday, in 4500, past the years
 * pu_date_add reaches: the edge is searched for, and is still the day
 * before the count reaches 2500. */
START_TEST(window_edge_past_calendar)
{
    ah *b = ah_new();
    base(b);
    uint32_t k2500 = ah_int(b, 2500);
    uint32_t f = ah_func(b, "under_2500", t_bool(), 0, NULL, 0, 3);
    emit_age(b);
    ah_emit(b, PB_OP_PUSH_INT, k2500, 0);
    ah_emit(b, PB_OP_CMP_INT, PB_LT, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    vm v;
    vm_open(&v, b);
    ck_assert(windowed(&v, f, NULL, TODAY).as.b);
    ck_assert_int_eq(v.st.win_lo, -PV_DAY_LIMIT);
    int32_t hi = v.st.win_hi, birth = ymd(2000, 3, 1);
    ck_assert_int_eq(pu_date_between(birth, hi, PU_YEARS), 2499);
    ck_assert_int_eq(pu_date_between(birth, hi + 1, PU_YEARS), 2500);
    vm_close(&v);
}
END_TEST

/* A function that pushes and drops 16 counts of days since 2024-01-01 (no
 * narrowing: POP moves a value whole), then runs `tail`: a BETWEEN there
 * finds pv_state.runs full and narrows the window at once, to the days on
 * which its count is the same. */
static uint32_t full_runs_fn(ah *b, const char *name, pb_type result, int counts, const ah_op *tail, size_t n)
{
    uint32_t f = ah_func(b, name, result, 0, NULL, 0, 3);
    for (int i = 0; i < counts; i++) {
        ah_emit(b, PB_OP_PUSH_DATE, (uint32_t)ymd(2024, 1, 1), 0);
        ah_emit(b, PB_OP_PUSH_TODAY, 0, 0);
        ah_emit(b, PB_OP_BETWEEN, PU_DAYS, 0);
        ah_emit(b, PB_OP_POP, 0, 0);
    }
    for (size_t i = 0; i < n; i++)
        ah_emit(b, tail[i].op, tail[i].a, tail[i].b);
    ah_end(b);
    return f;
}
#define RUNS_THEN(b, name, result, counts, ...)                                                \
    full_runs_fn(b, name, result, counts, (const ah_op[]){__VA_ARGS__},                       \
                 sizeof((const ah_op[]){__VA_ARGS__}) / sizeof(ah_op))
#define FULL_RUNS(b, name, result, ...) RUNS_THEN(b, name, result, 16, __VA_ARGS__)

START_TEST(window_runs_full)
{
    ah *b = ah_new();
    base(b);
    uint32_t k30 = ah_int(b, 30);
    /* years since 2000-03-01 (today on the right). */
    uint32_t since = FULL_RUNS(b, "since", t_int(), {PB_OP_PUSH_DATE, (uint32_t)ymd(2000, 3, 1), 0},
                               {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_BETWEEN, PU_YEARS, 0}, {PB_OP_RET, 0, 0});
    /* months between today and 2030-06-15 (today on the left). */
    uint32_t until = FULL_RUNS(b, "until", t_int(), {PB_OP_PUSH_TODAY, 0, 0},
                               {PB_OP_PUSH_DATE, (uint32_t)ymd(2030, 6, 15), 0}, {PB_OP_BETWEEN, PU_MONTHS, 0},
                               {PB_OP_RET, 0, 0});
    /* years since 2030-06-15: negative, no closed form; searched for. */
    uint32_t before = FULL_RUNS(b, "before", t_int(), {PB_OP_PUSH_DATE, (uint32_t)ymd(2030, 6, 15), 0},
                                {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_BETWEEN, PU_YEARS, 0}, {PB_OP_RET, 0, 0});
    /* The same, after the window was narrowed on both sides to days inside
     * the count's run by comparisons of today. */
    uint32_t inside = FULL_RUNS(
        b, "inside", t_int(), {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_PUSH_DATE, (uint32_t)ymd(2024, 8, 1), 0},
        {PB_OP_CMP_DATE, PB_GE, 0}, {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TODAY, 0, 0},
        {PB_OP_PUSH_DATE, (uint32_t)ymd(2025, 1, 31), 0}, {PB_OP_CMP_DATE, PB_LE, 0}, {PB_OP_POP, 0, 0},
        {PB_OP_PUSH_DATE, (uint32_t)ymd(2030, 6, 15), 0}, {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_BETWEEN, PU_YEARS, 0},
        {PB_OP_RET, 0, 0});
    /* months between today and 2020-01-01: negative, today on the left. */
    uint32_t past = FULL_RUNS(b, "past", t_int(), {PB_OP_PUSH_TODAY, 0, 0},
                              {PB_OP_PUSH_DATE, (uint32_t)ymd(2020, 1, 1), 0}, {PB_OP_BETWEEN, PU_MONTHS, 0},
                              {PB_OP_RET, 0, 0});
    /* Days since 1800-01-01 and until 2030-06-15: more than 100000 days
     * cannot be added (pu_date_add), so the runs are searched for. */
    uint32_t days_since = FULL_RUNS(b, "days_since", t_int(), {PB_OP_PUSH_DATE, (uint32_t)ymd(1800, 1, 1), 0},
                                    {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_BETWEEN, PU_DAYS, 0}, {PB_OP_RET, 0, 0});
    uint32_t days_until = FULL_RUNS(b, "days_until", t_int(), {PB_OP_PUSH_TODAY, 0, 0},
                                    {PB_OP_PUSH_DATE, (uint32_t)ymd(2030, 6, 15), 0}, {PB_OP_BETWEEN, PU_DAYS, 0},
                                    {PB_OP_RET, 0, 0});
    /* A count and a constant: min does not keep the mark when runs is full,
     * whether the count came too late for an entry or took the last one. */
    uint32_t last = RUNS_THEN(b, "last", t_bool(), 15, {PB_OP_PUSH_DATE, (uint32_t)ymd(2000, 3, 1), 0},
                              {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_BETWEEN, PU_YEARS, 0}, {PB_OP_PUSH_INT, k30, 0},
                              {PB_OP_MIN_INT, 0, 0}, {PB_OP_PUSH_INT, k30, 0}, {PB_OP_CMP_INT, PB_LT, 0},
                              {PB_OP_RET, 0, 0});
    uint32_t clamp = FULL_RUNS(b, "clamp", t_int(), {PB_OP_PUSH_DATE, (uint32_t)ymd(2000, 3, 1), 0},
                               {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_BETWEEN, PU_YEARS, 0}, {PB_OP_PUSH_INT, k30, 0},
                               {PB_OP_MIN_INT, 0, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    ck_assert_int_eq(windowed(&v, since, NULL, TODAY).as.i, 24);
    ck_assert_uint_eq(v.st.nruns, 16);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    /* 68 months from 2024-09-16 to 2024-10-15. */
    ck_assert_int_eq(windowed(&v, until, NULL, TODAY).as.i, 68);
    ck_window(&v, ymd(2024, 9, 16), ymd(2024, 10, 15));
    int64_t k = windowed(&v, before, NULL, TODAY).as.i;
    ck_assert_int_eq(k, pu_date_between(ymd(2030, 6, 15), TODAY, PU_YEARS));
    int32_t lo = v.st.win_lo, hi = v.st.win_hi, later = ymd(2030, 6, 15);
    ck_assert_int_le(lo, TODAY);
    ck_assert_int_ge(hi, TODAY);
    ck_assert_int_eq(pu_date_between(later, lo, PU_YEARS), k);
    ck_assert_int_ne(pu_date_between(later, lo - 1, PU_YEARS), k);
    ck_assert_int_eq(pu_date_between(later, hi, PU_YEARS), k);
    ck_assert_int_ne(pu_date_between(later, hi + 1, PU_YEARS), k);
    ck_assert_int_eq(windowed(&v, inside, NULL, TODAY).as.i, k);
    ck_window(&v, ymd(2024, 8, 1), ymd(2025, 1, 31));
    ck_assert_int_eq(windowed(&v, clamp, NULL, TODAY).as.i, 24);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    /* In 4000 (a day the VM takes, past the calendar), the end of the
     * count's run is in 4001, past the years pu_date_add reaches: searched
     * for. */
    ck_assert_int_eq(windowed(&v, since, NULL, ymd(4000, 6, 1)).as.i, 2000);
    ck_window(&v, ymd(4000, 3, 1), ymd(4001, 2, 28));
    /* A negative count, today on the left: the run of days that give it. */
    k = windowed(&v, past, NULL, TODAY).as.i;
    ck_assert_int_eq(k, pu_date_between(TODAY, ymd(2020, 1, 1), PU_MONTHS));
    lo = v.st.win_lo, hi = v.st.win_hi;
    ck_assert_int_le(lo, TODAY);
    ck_assert_int_ge(hi, TODAY);
    ck_assert_int_eq(pu_date_between(lo, ymd(2020, 1, 1), PU_MONTHS), k);
    ck_assert_int_ne(pu_date_between(lo - 1, ymd(2020, 1, 1), PU_MONTHS), k);
    ck_assert_int_eq(pu_date_between(hi, ymd(2020, 1, 1), PU_MONTHS), k);
    ck_assert_int_ne(pu_date_between(hi + 1, ymd(2020, 1, 1), PU_MONTHS), k);
    int32_t day = ymd(1800, 1, 1) + 150000;
    ck_assert_int_eq(windowed(&v, days_since, NULL, day).as.i, 150000);
    ck_window(&v, day, day);
    day = ymd(2030, 6, 15) - 150000;
    ck_assert_int_eq(windowed(&v, days_until, NULL, day).as.i, 150000);
    ck_window(&v, day, day);
    /* 100000 days back can be added, 100001 not. */
    day = ymd(2030, 6, 15) - 100000;
    ck_assert_int_eq(windowed(&v, days_until, NULL, day).as.i, 100000);
    ck_window(&v, day, day);
    ck_assert(windowed(&v, last, NULL, TODAY).as.b);
    ck_assert_uint_eq(v.st.nruns, 16);
    ck_window(&v, ymd(2024, 3, 1), ymd(2025, 2, 28));
    vm_close(&v);
}
END_TEST

/* A role for every opcode; anything past the table takes no integer. */
START_TEST(window_role_out_of_table)
{
    ck_assert_int_eq(pv_window_count_role(PB_OP_COUNT), PV_COUNT_NONE);
    ck_assert_int_eq(pv_window_count_role(255), PV_COUNT_NONE);
    ck_assert_int_eq(pv_window_count_role(PB_OP_CMP_INT), PV_COUNT_READ);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("vm_branches");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, budget_after_each_instruction);
    tcase_add_test(tc, compare_absent_ordered);
    tcase_add_test(tc, compare_absent_equality);
    tcase_add_test(tc, memo_argument_types);
    tcase_add_test(tc, memo_requirement_over_budget);
    tcase_add_test(tc, memo_requirement_in_window);
    tcase_add_test(tc, empty_image);
    tcase_add_test(tc, window_following_first_year);
    tcase_add_test(tc, window_compare_same_every_day);
    tcase_add_test(tc, window_stray_mark);
    tcase_add_test(tc, window_count_with_absent_or_count);
    tcase_add_test(tc, window_edge_past_calendar);
    tcase_add_test(tc, window_count_used);
    tcase_add_test(tc, window_runs_full);
    tcase_add_test(tc, window_role_out_of_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(suite());
}
