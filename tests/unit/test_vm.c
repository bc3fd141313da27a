/* The VM on hand-assembled programs: every opcode's semantics, the runtime
 * errors (overflow, dates, budget) with their source positions, iteration over
 * lists of records and sets of text, calls, and requirement trees (short
 * circuits, eligibility, outcomes). Every image is verified first, as the
 * loader and the code generator do. */
#include <check.h>
#include <signal.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "asm_helpers.h"
#include "util/date.h"
#include "vm/vm.h"
#include "vm_helpers.h"

/* ---- fixture ------------------------------------------------------------------- */

enum { F_CERTS, F_ROLES, F_N, F_OK, F_SINCE, NFACTS };
enum { C_ID, C_ISSUED, C_EXPIRES, NCERT };
#define REC_CERT 1
#define ZERO ((pv_value){0})

static pb_type t_int(void) { return ah_t(PB_T_INT); }
static pb_type t_bool(void) { return ah_t(PB_T_BOOL); }

static void base(ah *b)
{
    ah_str(b, "f.pw");
    ah_record(b, "coach");
    ah_field(b, "certificates", ah_list(REC_CERT), PB_DEF_EMPTY, ZERO);
    ah_field(b, "roles", ah_t(PB_T_SET), PB_DEF_EMPTY, ZERO);
    ah_field(b, "n", t_int(), PB_DEF_VALUE, ZERO);
    ah_field(b, "ok", t_bool(), PB_DEF_VALUE, ZERO);
    ah_field(b, "since", ah_opt(PB_T_DATE), PB_DEF_NONE, ZERO);
    ah_record(b, "certificate");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, ZERO);
    ah_field(b, "issued", ah_t(PB_T_DATE), PB_DEF_REQUIRED, ZERO);
    ah_field(b, "expires", ah_opt(PB_T_DATE), PB_DEF_NONE, ZERO);
}

static const int32_t TODAY = 20000; /* 2024-10-04 */

static pv_value call(vm *v, const pv_value *facts, uint32_t f, const pv_value *args)
{
    pv_value r = {0};
    ck_assert_msg(pv_call(&v->st, facts, TODAY, f, args, &r, &v->err), "runtime error: %s", v->err.message);
    return r;
}

static bool call_fails(vm *v, const pv_value *facts, uint32_t f, const pv_value *args)
{
    pv_value r;
    return !pv_call(&v->st, facts, TODAY, f, args, &r, &v->err);
}

/* f(a, b) = a OP b, for two-operand opcodes over one type. */
static uint32_t binary_fn(ah *b, pb_op op, pb_type in, pb_type out)
{
    pb_type p[2] = {in, in};
    return AH_FN(b, pb_opinfo_table[op].name, out, 2, p, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0},
                 {PB_OP_LOAD_LOCAL, 1, 0}, {op, 0, 0}, {PB_OP_RET, 0, 0});
}

/* ---- constants, stack and locals ----------------------------------------------- */

START_TEST(vm_push)
{
    ah *b = ah_new();
    base(b);
    uint32_t k = ah_int(b, -42), x = ah_num(b, 2.5), s = ah_str(b, "hello");
    uint32_t f_int = AH_FN(b, "i", t_int(), 0, NULL, 0, 1, {PB_OP_PUSH_INT, k, 0}, {PB_OP_RET, 0, 0});
    uint32_t f_num = AH_FN(b, "n", ah_t(PB_T_NUM), 0, NULL, 0, 1, {PB_OP_PUSH_NUM, x, 0}, {PB_OP_RET, 0, 0});
    uint32_t f_str = AH_FN(b, "s", ah_t(PB_T_TEXT), 0, NULL, 0, 1, {PB_OP_PUSH_STR, s, 0}, {PB_OP_RET, 0, 0});
    uint32_t f_date = AH_FN(b, "d", ah_t(PB_T_DATE), 0, NULL, 0, 1,
                            {PB_OP_PUSH_DATE, (uint32_t)pu_from_ymd(1999, 12, 31), 0}, {PB_OP_RET, 0, 0});
    uint32_t f_today = AH_FN(b, "t", ah_t(PB_T_DATE), 0, NULL, 0, 1, {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t f_true = ah_const_fn(b, "yes", true), f_false = ah_const_fn(b, "no", false);
    uint32_t f_none = AH_FN(b, "none", ah_opt(PB_T_DATE), 0, NULL, 0, 1,
                            {PB_OP_PUSH_NONE, pb_type_pack(ah_opt(PB_T_DATE)), 0}, {PB_OP_RET, 0, 0});
    /* 7 stored in local 1, copied, the copy dropped: DUP, POP, STORE_LOCAL,
     * LOAD_LOCAL and NOP. */
    uint32_t seven = ah_int(b, 7);
    uint32_t f_locals = AH_FN(b, "locals", t_int(), 0, NULL, 2, 2, {PB_OP_NOP, 0, 0}, {PB_OP_PUSH_INT, seven, 0},
                              {PB_OP_DUP, 0, 0}, {PB_OP_STORE_LOCAL, 1, 0}, {PB_OP_POP, 0, 0},
                              {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    ck_assert_int_eq(call(&v, NULL, f_int, NULL).as.i, -42);
    ck_assert(call(&v, NULL, f_num, NULL).as.n == 2.5);
    ck_assert_uint_eq(call(&v, NULL, f_str, NULL).as.s, s);
    ck_assert_int_eq(call(&v, NULL, f_date, NULL).as.d, pu_from_ymd(1999, 12, 31));
    ck_assert_int_eq(call(&v, NULL, f_today, NULL).as.d, TODAY);
    ck_assert(call(&v, NULL, f_true, NULL).as.b);
    ck_assert(!call(&v, NULL, f_false, NULL).as.b);
    pv_value none = call(&v, NULL, f_none, NULL);
    ck_assert(none.none);
    ck_assert(!call(&v, NULL, f_int, NULL).none);
    ck_assert_int_eq(call(&v, NULL, f_locals, NULL).as.i, 7);
    ck_assert_uint_eq(v.st.executed, 7);
    vm_close(&v);
}
END_TEST

/* ---- arithmetic ------------------------------------------------------------------ */

typedef struct int_case {
    pb_op op;
    int64_t a, b, want;
} int_case;

static const int_case int_cases[] = {
    {PB_OP_ADD_INT, 2, 3, 5},
    {PB_OP_ADD_INT, INT64_MAX - 1, 1, INT64_MAX},
    {PB_OP_SUB_INT, 2, 3, -1},
    {PB_OP_SUB_INT, INT64_MIN + 1, 1, INT64_MIN},
    {PB_OP_MUL_INT, -4, 6, -24},
    {PB_OP_MUL_INT, INT64_MAX, 1, INT64_MAX},
    {PB_OP_MUL_INT, INT64_MIN, 1, INT64_MIN},
    {PB_OP_MIN_INT, -4, 6, -4},
    {PB_OP_MAX_INT, -4, 6, 6},
};

START_TEST(vm_int_ops)
{
    const int_case *c = &int_cases[_i];
    ah *b = ah_new();
    base(b);
    uint32_t f = binary_fn(b, c->op, t_int(), t_int());
    vm v;
    vm_open(&v, b);
    pv_value args[2] = {{.as.i = c->a}, {.as.i = c->b}};
    ck_assert_int_eq(call(&v, NULL, f, args).as.i, c->want);
    vm_close(&v);
}
END_TEST

typedef struct overflow_case {
    pb_op op;
    int64_t a, b;
    const char *message;
} overflow_case;

static const overflow_case overflow_cases[] = {
    {PB_OP_ADD_INT, INT64_MAX, 1, "integer overflow in `+`"},
    {PB_OP_ADD_INT, INT64_MIN, -1, "integer overflow in `+`"},
    {PB_OP_SUB_INT, INT64_MIN, 1, "integer overflow in `-`"},
    {PB_OP_SUB_INT, 0, INT64_MIN, "integer overflow in `-`"},
    {PB_OP_MUL_INT, INT64_MAX, 2, "integer overflow in `*`"},
    {PB_OP_MUL_INT, INT64_MIN, -1, "integer overflow in `*`"},
    {PB_OP_MUL_INT, -3, INT64_MAX / 2, "integer overflow in `*`"},
    {PB_OP_NEG_INT, INT64_MIN, 0, "integer overflow in unary `-`"},
};

/* The error carries the position the line table gives the failing code. */
START_TEST(vm_int_overflow)
{
    const overflow_case *c = &overflow_cases[_i];
    ah *b = ah_new();
    base(b);
    pb_type p[2] = {t_int(), t_int()};
    uint32_t f = ah_func(b, "f", t_int(), 2, p, 2, 2);
    ah_line(b, b->ncode, "f.pw", 3, 1);
    ah_emit(b, PB_OP_LOAD_LOCAL, 0, 0);
    if (c->op != PB_OP_NEG_INT)
        ah_emit(b, PB_OP_LOAD_LOCAL, 1, 0);
    ah_line(b, b->ncode, "rules.pw", 12, 7);
    ah_emit(b, c->op, 0, 0);
    ah_line(b, b->ncode, "f.pw", 13, 1);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    vm v;
    vm_open(&v, b);
    pv_value args[2] = {{.as.i = c->a}, {.as.i = c->b}};
    ck_assert(call_fails(&v, NULL, f, args));
    ck_assert_str_eq(v.err.message, c->message);
    ck_assert_str_eq(v.img->strings[v.err.file], "rules.pw");
    ck_assert_uint_eq(v.err.line, 12);
    ck_assert_uint_eq(v.err.col, 7);
    vm_close(&v);
}
END_TEST

START_TEST(vm_num_ops)
{
    ah *b = ah_new();
    base(b);
    pb_type num = ah_t(PB_T_NUM);
    uint32_t add = binary_fn(b, PB_OP_ADD_NUM, num, num), sub = binary_fn(b, PB_OP_SUB_NUM, num, num);
    uint32_t mul = binary_fn(b, PB_OP_MUL_NUM, num, num), mn = binary_fn(b, PB_OP_MIN_NUM, num, num);
    uint32_t mx = binary_fn(b, PB_OP_MAX_NUM, num, num);
    pb_type p1[1] = {num}, pi[1] = {t_int()};
    uint32_t neg = AH_FN(b, "neg", num, 1, p1, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_NEG_NUM, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t conv = AH_FN(b, "conv", num, 1, pi, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_INT_TO_NUM, 0, 0},
                          {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    pv_value args[2] = {{.as.n = 1.5}, {.as.n = -4.25}};
    ck_assert(call(&v, NULL, add, args).as.n == -2.75);
    ck_assert(call(&v, NULL, sub, args).as.n == 5.75);
    ck_assert(call(&v, NULL, mul, args).as.n == -6.375);
    ck_assert(call(&v, NULL, mn, args).as.n == -4.25);
    ck_assert(call(&v, NULL, mx, args).as.n == 1.5);
    ck_assert(call(&v, NULL, neg, args).as.n == -1.5);
    pv_value big = {.as.i = (int64_t)1 << 53};
    ck_assert(call(&v, NULL, conv, &big).as.n == 9007199254740992.0);
    vm_close(&v);
}
END_TEST

/* ---- comparisons and absent values ------------------------------------------------ */

START_TEST(vm_compare)
{
    ah *b = ah_new();
    base(b);
    pb_type ti = t_int(), tn = ah_t(PB_T_NUM), td = ah_t(PB_T_DATE), ts = ah_t(PB_T_TEXT), tb = t_bool();
    uint32_t fi[PB_CMP_COUNT], fn[PB_CMP_COUNT], fd[PB_CMP_COUNT], ft[2], fb[2];
    for (uint32_t c = 0; c < PB_CMP_COUNT; c++) {
        pb_type pi[2] = {ti, ti}, pn[2] = {tn, tn}, pd[2] = {td, td};
        fi[c] = AH_FN(b, "ci", tb, 2, pi, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                      {PB_OP_CMP_INT, c, 0}, {PB_OP_RET, 0, 0});
        fn[c] = AH_FN(b, "cn", tb, 2, pn, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                      {PB_OP_CMP_NUM, c, 0}, {PB_OP_RET, 0, 0});
        fd[c] = AH_FN(b, "cd", tb, 2, pd, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                      {PB_OP_CMP_DATE, c, 0}, {PB_OP_RET, 0, 0});
    }
    for (uint32_t c = 0; c < 2; c++) {
        pb_type ps[2] = {ts, ts}, pb[2] = {tb, tb};
        ft[c] = AH_FN(b, "ct", tb, 2, ps, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                      {PB_OP_CMP_TEXT, c, 0}, {PB_OP_RET, 0, 0});
        fb[c] = AH_FN(b, "cb", tb, 2, pb, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                      {PB_OP_CMP_BOOL, c, 0}, {PB_OP_RET, 0, 0});
    }
    vm v;
    vm_open(&v, b);
    /* eq ne lt le gt ge, for (1, 2), (2, 2), (3, 2) */
    static const bool want[3][PB_CMP_COUNT] = {
        {false, true, true, true, false, false},
        {true, false, false, true, false, true},
        {false, true, false, false, true, true},
    };
    for (int k = 0; k < 3; k++) {
        for (uint32_t c = 0; c < PB_CMP_COUNT; c++) {
            pv_value ai[2] = {{.as.i = k + 1}, {.as.i = 2}};
            pv_value an[2] = {{.as.n = k + 1.0}, {.as.n = 2.0}};
            pv_value ad[2] = {{.as.d = k + 1}, {.as.d = 2}};
            ck_assert_msg(call(&v, NULL, fi[c], ai).as.b == want[k][c], "int %d %s", k + 1, pb_cmp_name[c]);
            ck_assert_msg(call(&v, NULL, fn[c], an).as.b == want[k][c], "num %d %s", k + 1, pb_cmp_name[c]);
            ck_assert_msg(call(&v, NULL, fd[c], ad).as.b == want[k][c], "date %d %s", k + 1, pb_cmp_name[c]);
        }
    }
    pv_value same[2] = {{.as.s = 3}, {.as.s = 3}}, diff[2] = {{.as.s = 3}, {.as.s = 4}};
    ck_assert(call(&v, NULL, ft[PB_EQ], same).as.b);
    ck_assert(!call(&v, NULL, ft[PB_EQ], diff).as.b);
    ck_assert(call(&v, NULL, ft[PB_NE], diff).as.b);
    pv_value bt[2] = {{.as.b = true}, {.as.b = false}};
    ck_assert(!call(&v, NULL, fb[PB_EQ], bt).as.b);
    ck_assert(call(&v, NULL, fb[PB_NE], bt).as.b);
    /* NaN equals nothing, itself included; only ne holds. */
    pv_value nan[2] = {{.as.n = 0.0 / 0.0}, {.as.n = 0.0 / 0.0}};
    for (uint32_t c = 0; c < PB_CMP_COUNT; c++)
        ck_assert(call(&v, NULL, fn[c], nan).as.b == (c == PB_NE));

    /* Absent values: equal only to each other; ordering them is an error. */
    pv_value none = {.none = 1}, two = {.as.i = 2};
    pv_value n_n[2] = {none, none}, n_2[2] = {none, two}, two_n[2] = {two, none};
    ck_assert(call(&v, NULL, fi[PB_EQ], n_n).as.b);
    ck_assert(!call(&v, NULL, fi[PB_NE], n_n).as.b);
    ck_assert(!call(&v, NULL, fi[PB_EQ], n_2).as.b);
    ck_assert(call(&v, NULL, fi[PB_NE], two_n).as.b);
    pv_value t_none[2] = {{.as.s = 0, .none = 1}, {.as.s = 0}};
    ck_assert(!call(&v, NULL, ft[PB_EQ], t_none).as.b); /* same id, but one is absent */
    ck_assert(call_fails(&v, NULL, fi[PB_LT], n_2));
    ck_assert_str_eq(v.err.message, "ordering comparison `<` with an absent value (the checker forbids this)");
    ck_assert(call_fails(&v, NULL, fd[PB_GE], two_n));
    ck_assert_str_eq(v.err.message, "ordering comparison `>=` with an absent value (the checker forbids this)");
    vm_close(&v);
}
END_TEST

START_TEST(vm_none_ops)
{
    ah *b = ah_new();
    base(b);
    pb_type oi = ah_opt(PB_T_INT), p2[2] = {oi, oi}, p1[1] = {oi}, pb1[1] = {t_bool()};
    uint32_t other = AH_FN(b, "otherwise", oi, 2, p2, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                           {PB_OP_OTHERWISE, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t isnone = AH_FN(b, "is_none", t_bool(), 1, p1, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0},
                            {PB_OP_IS_NONE, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t not = AH_FN(b, "not", t_bool(), 1, pb1, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_NOT, 0, 0},
                         {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    pv_value none = {.none = 1}, five = {.as.i = 5}, six = {.as.i = 6};
    pv_value a1[2] = {five, six}, a2[2] = {none, six}, a3[2] = {none, none};
    ck_assert_int_eq(call(&v, NULL, other, a1).as.i, 5);
    ck_assert_int_eq(call(&v, NULL, other, a2).as.i, 6);
    ck_assert(call(&v, NULL, other, a3).none);
    ck_assert(call(&v, NULL, isnone, &none).as.b);
    ck_assert(!call(&v, NULL, isnone, &five).as.b);
    pv_value t = {.as.b = true};
    ck_assert(!call(&v, NULL, not, &t).as.b);
    vm_close(&v);
}
END_TEST

/* ---- dates ----------------------------------------------------------------------- */

START_TEST(vm_dates)
{
    ah *b = ah_new();
    base(b);
    pb_type pdi[2] = {ah_t(PB_T_DATE), t_int()}, pdd[2] = {ah_t(PB_T_DATE), ah_t(PB_T_DATE)};
    uint32_t add[3], btw[3];
    for (uint32_t u = 0; u < 3; u++) {
        add[u] = AH_FN(b, "add", ah_t(PB_T_DATE), 2, pdi, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0},
                       {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_DATE_ADD, u, 0}, {PB_OP_RET, 0, 0});
        btw[u] = AH_FN(b, "between", t_int(), 2, pdd, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0},
                       {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_BETWEEN, u, 0}, {PB_OP_RET, 0, 0});
    }
    vm v;
    vm_open(&v, b);
    int32_t leap = pu_from_ymd(2024, 2, 29);
    pv_value a[2] = {{.as.d = leap}, {.as.i = 1}};
    ck_assert_int_eq(call(&v, NULL, add[PU_YEARS], a).as.d, pu_from_ymd(2025, 3, 1));
    ck_assert_int_eq(call(&v, NULL, add[PU_MONTHS], a).as.d, pu_from_ymd(2024, 3, 29));
    ck_assert_int_eq(call(&v, NULL, add[PU_DAYS], a).as.d, pu_from_ymd(2024, 3, 1));
    a[1].as.i = -1;
    ck_assert_int_eq(call(&v, NULL, add[PU_YEARS], a).as.d, pu_from_ymd(2023, 2, 28));
    a[1].as.i = 200000;
    ck_assert(call_fails(&v, NULL, add[PU_YEARS], a));
    ck_assert_str_eq(v.err.message, "date out of range");

    pv_value d[2] = {{.as.d = pu_from_ymd(2008, 2, 29)}, {.as.d = pu_from_ymd(2026, 2, 28)}};
    ck_assert_int_eq(call(&v, NULL, btw[PU_YEARS], d).as.i, 17);
    d[1].as.d = pu_from_ymd(2026, 3, 1);
    ck_assert_int_eq(call(&v, NULL, btw[PU_YEARS], d).as.i, 18);
    ck_assert_int_eq(call(&v, NULL, btw[PU_MONTHS], d).as.i, 18 * 12);
    ck_assert_int_eq(call(&v, NULL, btw[PU_DAYS], d).as.i, d[1].as.d - d[0].as.d);
    /* A wild date from a host is an error, not undefined behaviour. */
    d[1].as.d = INT32_MAX;
    ck_assert(call_fails(&v, NULL, btw[PU_YEARS], d));
    ck_assert_str_eq(v.err.message, "date out of range");
    vm_close(&v);
}
END_TEST

/* DATE_PART, DATE_MAKE, DATE_NEXT: the parts of a date, a date from parts
 * (no clamping: a day the month lacks is an error), the next given day. */
START_TEST(vm_date_parts)
{
    ah *b = ah_new();
    base(b);
    pb_type pd[1] = {ah_t(PB_T_DATE)}, piii[3] = {t_int(), t_int(), t_int()},
            pdii[3] = {ah_t(PB_T_DATE), t_int(), t_int()};
    uint32_t part[3];
    for (uint32_t u = 0; u < 3; u++)
        part[u] = AH_FN(b, "part", t_int(), 1, pd, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_DATE_PART, u, 0},
                        {PB_OP_RET, 0, 0});
    uint32_t make = AH_FN(b, "make", ah_t(PB_T_DATE), 3, piii, 3, 3, {PB_OP_LOAD_LOCAL, 0, 0},
                          {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_LOAD_LOCAL, 2, 0}, {PB_OP_DATE_MAKE, 0, 0},
                          {PB_OP_RET, 0, 0});
    uint32_t next = AH_FN(b, "next", ah_t(PB_T_DATE), 3, pdii, 3, 3, {PB_OP_LOAD_LOCAL, 0, 0},
                          {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_LOAD_LOCAL, 2, 0}, {PB_OP_DATE_NEXT, 0, 0},
                          {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    pv_value d = {.as.d = pu_from_ymd(2024, 2, 29)};
    ck_assert_int_eq(call(&v, NULL, part[PU_YEARS], &d).as.i, 2024);
    ck_assert_int_eq(call(&v, NULL, part[PU_MONTHS], &d).as.i, 2);
    ck_assert_int_eq(call(&v, NULL, part[PU_DAYS], &d).as.i, 29);

    pv_value ymd[3] = {{.as.i = 2026}, {.as.i = 8}, {.as.i = 31}};
    ck_assert_int_eq(call(&v, NULL, make, ymd).as.d, pu_from_ymd(2026, 8, 31));
    ymd[1].as.i = 2, ymd[2].as.i = 29;
    ck_assert(call_fails(&v, NULL, make, ymd));
    ck_assert_str_eq(v.err.message, "no day 29 in February 2026");
    ymd[0].as.i = 2028;
    ck_assert_int_eq(call(&v, NULL, make, ymd).as.d, pu_from_ymd(2028, 2, 29));
    ymd[0].as.i = 3000;
    ck_assert(call_fails(&v, NULL, make, ymd));
    ck_assert_str_eq(v.err.message, "no date in the year 3000 (dates are in the years 1800-2999)");
    ymd[0].as.i = INT64_MIN, ymd[1].as.i = INT64_MAX;
    ck_assert(call_fails(&v, NULL, make, ymd));
    ymd[0].as.i = 2026, ymd[1].as.i = 13;
    ck_assert(call_fails(&v, NULL, make, ymd));
    ck_assert_str_eq(v.err.message, "no month 13 in a year (months are 1-12)");

    /* Strictly after: 1 January following 1 January is a year later. */
    pv_value a[3] = {{.as.d = pu_from_ymd(2024, 1, 1)}, {.as.i = 1}, {.as.i = 1}};
    ck_assert_int_eq(call(&v, NULL, next, a).as.d, pu_from_ymd(2025, 1, 1));
    a[0].as.d = pu_from_ymd(2024, 12, 31);
    ck_assert_int_eq(call(&v, NULL, next, a).as.d, pu_from_ymd(2025, 1, 1));
    a[0].as.d = pu_from_ymd(2024, 3, 1), a[1].as.i = 2, a[2].as.i = 29;
    ck_assert_int_eq(call(&v, NULL, next, a).as.d, pu_from_ymd(2028, 2, 29));
    a[0].as.d = pu_from_ymd(2999, 6, 1), a[1].as.i = 1, a[2].as.i = 1;
    ck_assert(call_fails(&v, NULL, next, a));
    a[0].as.d = INT32_MAX;
    ck_assert(call_fails(&v, NULL, next, a));
    vm_close(&v);
}
END_TEST

/* The edges of the date opcodes that the other tests leave one way only: a
 * wild date from a host below the range (not only above), a month or day below
 * 1 or above its limit for DATE_MAKE and DATE_NEXT, and MIN/MAX of numbers with
 * the operands in either order (issue 23). */
START_TEST(vm_date_edges)
{
    ah *b = ah_new();
    base(b);
    pb_type pd[1] = {ah_t(PB_T_DATE)}, pdi[2] = {ah_t(PB_T_DATE), t_int()},
            pdd[2] = {ah_t(PB_T_DATE), ah_t(PB_T_DATE)}, piii[3] = {t_int(), t_int(), t_int()},
            pdii[3] = {ah_t(PB_T_DATE), t_int(), t_int()}, num = ah_t(PB_T_NUM);
    uint32_t part = AH_FN(b, "part", t_int(), 1, pd, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0},
                          {PB_OP_DATE_PART, PU_YEARS, 0}, {PB_OP_RET, 0, 0});
    uint32_t add = AH_FN(b, "add", ah_t(PB_T_DATE), 2, pdi, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0},
                         {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_DATE_ADD, PU_DAYS, 0}, {PB_OP_RET, 0, 0});
    uint32_t btw = AH_FN(b, "between", t_int(), 2, pdd, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0},
                         {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_BETWEEN, PU_DAYS, 0}, {PB_OP_RET, 0, 0});
    uint32_t make = AH_FN(b, "make", ah_t(PB_T_DATE), 3, piii, 3, 3, {PB_OP_LOAD_LOCAL, 0, 0},
                          {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_LOAD_LOCAL, 2, 0}, {PB_OP_DATE_MAKE, 0, 0},
                          {PB_OP_RET, 0, 0});
    uint32_t next = AH_FN(b, "next", ah_t(PB_T_DATE), 3, pdii, 3, 3, {PB_OP_LOAD_LOCAL, 0, 0},
                          {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_LOAD_LOCAL, 2, 0}, {PB_OP_DATE_NEXT, 0, 0},
                          {PB_OP_RET, 0, 0});
    uint32_t mn = binary_fn(b, PB_OP_MIN_NUM, num, num), mx = binary_fn(b, PB_OP_MAX_NUM, num, num);
    vm v;
    vm_open(&v, b);

    /* Below the range: each date opcode refuses, as it does above it. */
    pv_value low = {.as.d = INT32_MIN};
    ck_assert(call_fails(&v, NULL, part, &low));
    ck_assert_str_eq(v.err.message, "date out of range");
    pv_value a[2] = {{.as.d = INT32_MIN}, {.as.i = 1}};
    ck_assert(call_fails(&v, NULL, add, a));
    ck_assert_str_eq(v.err.message, "date out of range");
    pv_value d[2] = {{.as.d = INT32_MIN}, {.as.d = pu_from_ymd(2026, 3, 1)}};
    ck_assert(call_fails(&v, NULL, btw, d));
    ck_assert_str_eq(v.err.message, "date out of range");
    d[0].as.d = pu_from_ymd(2026, 3, 1), d[1].as.d = INT32_MIN;
    ck_assert(call_fails(&v, NULL, btw, d));
    ck_assert_str_eq(v.err.message, "date out of range");
    d[1].as.d = pu_from_ymd(2026, 3, 11);
    ck_assert_int_eq(call(&v, NULL, btw, d).as.i, 10);
    pv_value next_low[3] = {{.as.d = INT32_MIN}, {.as.i = 1}, {.as.i = 1}};
    ck_assert(call_fails(&v, NULL, next, next_low));
    ck_assert_str_eq(v.err.message, "no day 1/1 (day/month) follows that date in the years 1800-2999");

    /* A month below 1 is named as such, not read before the table of names. */
    pv_value ymd[3] = {{.as.i = 2026}, {.as.i = 0}, {.as.i = 1}};
    ck_assert(call_fails(&v, NULL, make, ymd));
    ck_assert_str_eq(v.err.message, "no month 0 in a year (months are 1-12)");

    /* DATE_NEXT: each bound of the month and the day, on both sides. */
    static const struct {
        int64_t m, d;
        const char *message;
    } bad[] = {
        {0, 1, "no day 1/0 (day/month) follows that date in the years 1800-2999"},
        {13, 1, "no day 1/13 (day/month) follows that date in the years 1800-2999"},
        {1, 0, "no day 0/1 (day/month) follows that date in the years 1800-2999"},
        {1, 32, "no day 32/1 (day/month) follows that date in the years 1800-2999"},
        {2, 30, "no day 30/2 (day/month) follows that date in the years 1800-2999"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pv_value n[3] = {{.as.d = pu_from_ymd(2024, 1, 1)}, {.as.i = bad[i].m}, {.as.i = bad[i].d}};
        ck_assert_msg(call_fails(&v, NULL, next, n), "case %zu", i);
        ck_assert_str_eq(v.err.message, bad[i].message);
    }
    pv_value n[3] = {{.as.d = pu_from_ymd(2024, 1, 1)}, {.as.i = 12}, {.as.i = 31}};
    ck_assert_int_eq(call(&v, NULL, next, n).as.d, pu_from_ymd(2024, 12, 31));

    /* MIN and MAX with the smaller operand first, and with equal operands. */
    pv_value x[2] = {{.as.n = -4.25}, {.as.n = 1.5}};
    ck_assert(call(&v, NULL, mn, x).as.n == -4.25);
    ck_assert(call(&v, NULL, mx, x).as.n == 1.5);
    x[1].as.n = -4.25;
    ck_assert(call(&v, NULL, mn, x).as.n == -4.25);
    ck_assert(call(&v, NULL, mx, x).as.n == -4.25);
    vm_close(&v);
}
END_TEST

/* ---- facts, lists and sets --------------------------------------------------------- */

/* b2i(x: boolean): integer = if x then 1 else 0 (function 0). */
static uint32_t b2i_fn(ah *b)
{
    pb_type p[1] = {t_bool()};
    return AH_FN(b, "b2i", t_int(), 1, p, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_JUMP_FALSE, 6, 0},
                 {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_RET, 0, 0}, {PB_OP_PUSH_INT, ah_int(b, 0), 0},
                 {PB_OP_RET, 0, 0});
}

/* sum of per(element) over the list in facts slot `slot`: locals 0-1 the
 * iterator, 2 the sum. `per` turns the element on the stack into an integer. */
static uint32_t sum_fn(ah *b, const char *name, uint32_t slot, pb_type list, void (*per)(ah *b))
{
    uint32_t f = ah_func(b, name, t_int(), 0, NULL, 3, 3);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 2, 0);
    ah_emit(b, PB_OP_LOAD_FACT, slot, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, pb_type_pack(list));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    per(b);
    ah_emit(b, PB_OP_LOAD_LOCAL, 2, 0);
    ah_emit(b, PB_OP_ADD_INT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 2, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_LOAD_LOCAL, 2, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    return f;
}

static void per_id_is_x(ah *b)
{
    ah_emit(b, PB_OP_LOAD_FIELD, REC_CERT, C_ID);
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "x"), 0);
    ah_emit(b, PB_OP_CMP_TEXT, PB_EQ, 0);
    ah_emit(b, PB_OP_CALL, 0, 0);
}

static void per_no_expiry(ah *b)
{
    ah_emit(b, PB_OP_LOAD_FIELD, REC_CERT, C_EXPIRES);
    ah_emit(b, PB_OP_IS_NONE, 0, 0);
    ah_emit(b, PB_OP_CALL, 0, 0);
}

static void per_issued_day(ah *b)
{
    ah_emit(b, PB_OP_LOAD_FIELD, REC_CERT, C_ISSUED);
    ah_emit(b, PB_OP_PUSH_DATE, 0, 0); /* 1970-01-01 */
    ah_emit(b, PB_OP_BETWEEN, PU_DAYS, 0);
    ah_emit(b, PB_OP_NEG_INT, 0, 0);
}

static void per_role_is_coach(ah *b)
{
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "coach"), 0);
    ah_emit(b, PB_OP_CMP_TEXT, PB_EQ, 0);
    ah_emit(b, PB_OP_CALL, 0, 0);
}

/* pairs(): the number of (certificate, role) pairs, by nested loops. */
static uint32_t pairs_fn(ah *b)
{
    uint32_t f = ah_func(b, "pairs", t_int(), 0, NULL, 5, 2);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 4, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, pb_type_pack(ah_list(REC_CERT)));
    uint32_t outer = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 2, pb_type_pack(ah_t(PB_T_SET)));
    uint32_t inner = ah_emit(b, PB_OP_ITER_NEXT, 2, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_LOAD_LOCAL, 4, 0);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 1), 0);
    ah_emit(b, PB_OP_ADD_INT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 4, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), inner);
    ah_patch(b, inner, b->ncode);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), outer);
    ah_patch(b, outer, b->ncode);
    ah_emit(b, PB_OP_LOAD_LOCAL, 4, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    return f;
}

typedef struct lists {
    pv_value facts[NFACTS];
    pv_value certs[3 * NCERT];
    pv_value roles[3];
    uint32_t x, coach;
} lists;

/* Three certificates (x, y, x) and three roles (coach, judge, coach). */
static void lists_fill(lists *l, const pb_image *img)
{
    memset(l, 0, sizeof *l);
    l->x = pb_find_string(img, "x", 1);
    l->coach = pb_find_string(img, "coach", 5);
    uint32_t ids[3] = {l->x, 1000, l->x};
    for (int i = 0; i < 3; i++) {
        l->certs[i * NCERT + C_ID].as.s = ids[i];
        l->certs[i * NCERT + C_ISSUED].as.d = 100 * (i + 1);
        l->certs[i * NCERT + C_EXPIRES] = i == 1 ? (pv_value){.as.d = 9000} : (pv_value){.none = 1};
    }
    l->roles[0].as.s = l->coach;
    l->roles[1].as.s = 1001;
    l->roles[2].as.s = l->coach;
    l->facts[F_CERTS] = (pv_value){.as.items = l->certs, .count = 3};
    l->facts[F_ROLES] = (pv_value){.as.items = l->roles, .count = 3};
}

START_TEST(vm_iteration)
{
    ah *b = ah_new();
    base(b);
    b2i_fn(b);
    pb_type certs = ah_list(REC_CERT), set = ah_t(PB_T_SET);
    uint32_t n_x = sum_fn(b, "n_x", F_CERTS, certs, per_id_is_x);
    uint32_t n_open = sum_fn(b, "n_open", F_CERTS, certs, per_no_expiry);
    uint32_t days = sum_fn(b, "days", F_CERTS, certs, per_issued_day);
    uint32_t n_coach = sum_fn(b, "n_coach", F_ROLES, set, per_role_is_coach);
    uint32_t pairs = pairs_fn(b);
    vm v;
    vm_open(&v, b);
    lists l;
    lists_fill(&l, v.img);
    ck_assert_int_eq(call(&v, l.facts, n_x, NULL).as.i, 2);
    ck_assert_int_eq(call(&v, l.facts, n_open, NULL).as.i, 2);
    ck_assert_int_eq(call(&v, l.facts, days, NULL).as.i, 100 + 200 + 300);
    ck_assert_int_eq(call(&v, l.facts, n_coach, NULL).as.i, 2);
    ck_assert_int_eq(call(&v, l.facts, pairs, NULL).as.i, 9);
    /* Empty and absent lists have no elements. */
    l.facts[F_CERTS].count = 0;
    l.facts[F_ROLES] = (pv_value){.none = 1};
    ck_assert_int_eq(call(&v, l.facts, n_x, NULL).as.i, 0);
    ck_assert_int_eq(call(&v, l.facts, n_coach, NULL).as.i, 0);
    ck_assert_int_eq(call(&v, l.facts, pairs, NULL).as.i, 0);
    vm_close(&v);
}
END_TEST

/* The memo's edges (issue 23): forgetting without a memo does nothing; when
 * the epoch counter wraps, every entry is invalidated, so that an entry from
 * an old epoch with the same number is never reused; and a definition with
 * more parameters than PV_MEMO_ARGS is run every time, never remembered. */
START_TEST(vm_memo_edges)
{
    ah *b = ah_new();
    base(b);
    pb_type p3[3] = {t_int(), t_int(), t_int()};
    uint32_t sum3 = AH_FN(b, "sum3", t_int(), 3, p3, 3, 3, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                          {PB_OP_ADD_INT, 0, 0}, {PB_OP_LOAD_LOCAL, 2, 0}, {PB_OP_ADD_INT, 0, 0},
                          {PB_OP_RET, 0, 0});
    uint32_t caller = AH_FN(b, "caller", t_int(), 0, NULL, 0, 3, {PB_OP_PUSH_INT, ah_int(b, 1), 0},
                            {PB_OP_PUSH_INT, ah_int(b, 20), 0}, {PB_OP_PUSH_INT, ah_int(b, 300), 0},
                            {PB_OP_CALL, sum3, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    pv_memo_forget(&v.st);
    ck_assert_ptr_null(v.st.memo);
    ck_assert_uint_eq(v.st.memo_epoch, 0);

    ck_assert(pv_memo_init(&v.st));
    ck_assert_uint_eq(v.st.memo_ways[sum3], 0);
    ck_assert_int_eq(call(&v, NULL, caller, NULL).as.i, 321);
    uint64_t first = v.st.executed;
    ck_assert_uint_eq(first, 11); /* 4 in caller, 6 in sum3 and its RET, 1 for caller's RET */
    ck_assert_int_eq(call(&v, NULL, caller, NULL).as.i, 321);
    ck_assert_uint_eq(v.st.executed, first); /* sum3 ran again: not remembered */

    ck_assert_uint_gt(v.st.memo_count, 0);
    uint32_t epoch = v.st.memo_epoch;
    pv_memo_forget(&v.st);
    ck_assert_uint_eq(v.st.memo_epoch, epoch + 1);
    v.st.memo[0].epoch = 1; /* an entry from the first epoch */
    v.st.memo_epoch = UINT32_MAX;
    pv_memo_forget(&v.st);
    ck_assert_uint_eq(v.st.memo_epoch, 1);
    for (size_t i = 0; i < v.st.memo_count; i++)
        ck_assert_uint_eq(v.st.memo[i].epoch, 0);
    vm_close(&v);
}
END_TEST

/* Look-alike functions share memo entries only when they behave alike: the
 * same code bytes are not enough if the locals or the parameter types
 * differ (pv_same_code). And pv_call and pv_run accept a NULL error. */
START_TEST(vm_memo_classes)
{
    ah *b = ah_new();
    base(b);
    pb_type pi[1] = {t_int()}, pn[1] = {ah_t(PB_T_NUM)};
    uint32_t id_a = AH_FN(b, "id_a", t_int(), 1, pi, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t id_b = AH_FN(b, "id_b", t_int(), 1, pi, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t id_locals = AH_FN(b, "id_locals", t_int(), 1, pi, 2, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t id_num = AH_FN(b, "id_num", ah_t(PB_T_NUM), 1, pn, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_RET, 0, 0});
    /* The first of two parameters: the same bytes, another number of them. */
    pb_type pii[2] = {t_int(), t_int()};
    uint32_t id_two = AH_FN(b, "id_two", t_int(), 2, pii, 2, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    ck_assert(pv_memo_init(&v.st));
    ck_assert_uint_eq(v.st.memo_class[id_a], id_a);
    ck_assert_uint_eq(v.st.memo_class[id_b], id_a);
    ck_assert_uint_eq(v.st.memo_class[id_locals], id_locals);
    ck_assert_uint_eq(v.st.memo_class[id_num], id_num);
    ck_assert_uint_eq(v.st.memo_class[id_two], id_two);

    pv_value r;
    ck_assert(!pv_call(&v.st, NULL, TODAY, 999, NULL, &r, NULL));
    bool eligible = true;
    ck_assert(!pv_run(&v.st, NULL, TODAY, 7, &eligible, NULL));
    vm_close(&v);
}
END_TEST

/* A list of records without fields (nothing to point into): the loop still
 * runs once per element, and not at all for an empty list (issue 23). */
START_TEST(vm_iter_fieldless)
{
    ah *b = ah_new();
    ah_str(b, "f.pw");
    ah_record(b, "coach");
    ah_field(b, "blanks", ah_list(1), PB_DEF_EMPTY, ZERO);
    ah_record(b, "blank");
    uint32_t f = ah_func(b, "count", t_int(), 0, NULL, 3, 2);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 2, 0);
    ah_emit(b, PB_OP_LOAD_FACT, 0, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, pb_type_pack(ah_list(1)));
    uint32_t next = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_LOAD_LOCAL, 2, 0);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 1), 0);
    ah_emit(b, PB_OP_ADD_INT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 2, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), next);
    ah_patch(b, next, b->ncode);
    ah_emit(b, PB_OP_LOAD_LOCAL, 2, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    vm v;
    vm_open(&v, b);
    pv_value item = {0};
    pv_value facts[1] = {{.as.items = &item, .count = 3}};
    ck_assert_int_eq(call(&v, facts, f, NULL).as.i, 3);
    facts[0] = (pv_value){.as.items = NULL, .count = 0};
    ck_assert_int_eq(call(&v, facts, f, NULL).as.i, 0);
    vm_close(&v);
}
END_TEST

/* A requirement whose boolean is absent is unmet, whatever bits the absent
 * value carries (issue 23). */
START_TEST(vm_absent_requirement)
{
    ah *b = ah_new();
    ah_str(b, "f.pw");
    ah_record(b, "coach");
    ah_field(b, "maybe", ah_opt(PB_T_BOOL), PB_DEF_NONE, ZERO);
    uint32_t f = AH_FN(b, "maybe", ah_opt(PB_T_BOOL), 0, NULL, 0, 1, {PB_OP_LOAD_FACT, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t prog = ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "maybe", f);
    vm v;
    vm_open(&v, b);
    pv_value facts[1] = {{.none = 1, .as.b = true}};
    bool eligible = true;
    ck_assert(pv_run(&v.st, facts, TODAY, prog, &eligible, &v.err));
    ck_assert(!eligible);
    ck_assert_uint_eq(v.st.outcomes[0], PV_UNMET);
    facts[0] = (pv_value){.as.b = true};
    ck_assert(pv_run(&v.st, facts, TODAY, prog, &eligible, &v.err));
    ck_assert(eligible);
    ck_assert_uint_eq(v.st.outcomes[0], PV_MET);
    vm_close(&v);
}
END_TEST

START_TEST(vm_has)
{
    ah *b = ah_new();
    base(b);
    uint32_t coach = ah_str(b, "coach"), judge = ah_str(b, "judge");
    uint32_t has_coach = AH_FN(b, "has_coach", t_bool(), 0, NULL, 0, 2, {PB_OP_LOAD_FACT, F_ROLES, 0},
                               {PB_OP_PUSH_STR, coach, 0}, {PB_OP_HAS, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t has_judge = AH_FN(b, "has_judge", t_bool(), 0, NULL, 0, 2, {PB_OP_LOAD_FACT, F_ROLES, 0},
                               {PB_OP_PUSH_STR, judge, 0}, {PB_OP_HAS, 0, 0}, {PB_OP_RET, 0, 0});
    pb_type pt[1] = {ah_opt(PB_T_TEXT)};
    uint32_t has_text = AH_FN(b, "has_text", t_bool(), 1, pt, 1, 2, {PB_OP_LOAD_FACT, F_ROLES, 0},
                              {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_HAS, 0, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    pv_value roles[2] = {{.as.s = 99}, {.as.s = coach}};
    pv_value facts[NFACTS] = {0};
    facts[F_ROLES] = (pv_value){.as.items = roles, .count = 2};
    ck_assert(call(&v, facts, has_coach, NULL).as.b);
    ck_assert(!call(&v, facts, has_judge, NULL).as.b);
    facts[F_ROLES] = (pv_value){.none = 1};
    ck_assert(!call(&v, facts, has_coach, NULL).as.b);
    /* An absent text is in no set, even one holding the same text id. */
    facts[F_ROLES] = (pv_value){.as.items = roles, .count = 2};
    pv_value absent = {.none = 1, .as.s = coach};
    ck_assert(!call(&v, facts, has_text, &absent).as.b);
    pv_value present = {.as.s = coach};
    ck_assert(call(&v, facts, has_text, &present).as.b);
    vm_close(&v);
}
END_TEST

/* ---- calls --------------------------------------------------------------------------- */

START_TEST(vm_calls)
{
    ah *b = ah_new();
    base(b);
    pb_type p2[2] = {t_int(), t_int()}, p1[1] = {t_int()};
    uint32_t ten = ah_int(b, 10), one = ah_int(b, 1);
    /* f(a, b) = a * 10 + b */
    uint32_t f = AH_FN(b, "f", t_int(), 2, p2, 2, 2, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_PUSH_INT, ten, 0},
                       {PB_OP_MUL_INT, 0, 0}, {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_ADD_INT, 0, 0},
                       {PB_OP_RET, 0, 0});
    /* g(x) = 1000 + f(x, x + 1) + x, keeping x + 1 in a local of its own */
    uint32_t g = AH_FN(b, "g", t_int(), 1, p1, 2, 4, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_PUSH_INT, one, 0},
                       {PB_OP_ADD_INT, 0, 0}, {PB_OP_STORE_LOCAL, 1, 0},
                       {PB_OP_PUSH_INT, ah_int(b, 1000), 0}, {PB_OP_LOAD_LOCAL, 0, 0},
                       {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_CALL, f, 0}, {PB_OP_ADD_INT, 0, 0},
                       {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_ADD_INT, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t h = AH_FN(b, "h", t_int(), 0, NULL, 0, 3, {PB_OP_PUSH_INT, ah_int(b, 7), 0},
                       {PB_OP_PUSH_INT, ah_int(b, 3), 0}, {PB_OP_CALL, g, 0}, {PB_OP_ADD_INT, 0, 0},
                       {PB_OP_RET, 0, 0});
    /* A chain: c0 = 1, c(k) = c(k-1) + 1 */
    uint32_t c = AH_FN(b, "c0", t_int(), 0, NULL, 0, 1, {PB_OP_PUSH_INT, one, 0}, {PB_OP_RET, 0, 0});
    for (int k = 1; k < 20; k++)
        c = AH_FN(b, "c", t_int(), 0, NULL, 0, 2, {PB_OP_CALL, c, 0}, {PB_OP_PUSH_INT, one, 0},
                  {PB_OP_ADD_INT, 0, 0}, {PB_OP_RET, 0, 0});
    vm v;
    vm_open(&v, b);
    ck_assert_int_eq(call(&v, NULL, h, NULL).as.i, 7 + 1000 + 34 + 3);
    pv_value x = {.as.i = 5};
    ck_assert_int_eq(call(&v, NULL, g, &x).as.i, 1000 + 56 + 5);
    ck_assert_int_eq(call(&v, NULL, c, NULL).as.i, 20);
    ck_assert_uint_eq(v.img->max_calls, 20);
    ck_assert(!pv_call(&v.st, NULL, TODAY, 999, NULL, &x, &v.err));
    ck_assert_str_eq(v.err.message, "no function 999 (the image has 23)");
    vm_close(&v);
}
END_TEST

/* ---- the instruction budget ----------------------------------------------------------- */

/* count(key): the elements ITER_FIND finds for text parameter `key` (which
 * may be absent) in field C_ID of the certificates: locals 0 the key, 1-3
 * the iterator, 4 the count. */
static uint32_t find_count_fn(ah *b)
{
    pb_type p[1] = {ah_opt(PB_T_TEXT)};
    uint32_t f = ah_func(b, "find_count", t_int(), 1, p, 5, 2);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 4, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 1, pb_type_pack(ah_list(REC_CERT)));
    ah_emit(b, PB_OP_LOAD_LOCAL, 0, 0);
    ah_emit(b, PB_OP_ITER_KEY, 1, C_ID);
    uint32_t head = ah_emit(b, PB_OP_ITER_FIND, 1, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_LOAD_LOCAL, 4, 0);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 1), 0);
    ah_emit(b, PB_OP_ADD_INT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 4, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_LOAD_LOCAL, 4, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    return f;
}

/* ITER_FIND sees exactly the elements whose field equals the key, absent
 * equal to absent as CMP_TEXT has it, and counts each element it passes
 * over against the budget. */
START_TEST(vm_find)
{
    ah *b = ah_new();
    base(b);
    uint32_t f = find_count_fn(b);
    vm v;
    vm_open(&v, b);
    lists l;
    lists_fill(&l, v.img); /* ids x, 1000, x */
    pv_value key = {.as.s = l.x};
    ck_assert_int_eq(call(&v, l.facts, f, &key).as.i, 2);
    key.as.s = 1000;
    ck_assert_int_eq(call(&v, l.facts, f, &key).as.i, 1);
    key.as.s = 4242;
    ck_assert_int_eq(call(&v, l.facts, f, &key).as.i, 0);
    /* Six instructions before the loop, the ITER_FIND that finds nothing
     * after passing over the three certificates (1 + 3), LOAD_LOCAL, RET. */
    ck_assert_uint_eq(v.st.executed, 6 + 1 + 3 + 2);
    v.st.budget = 10;
    ck_assert(call_fails(&v, l.facts, f, &key));
    ck_assert_str_eq(v.err.message, "instruction budget exceeded (10 instructions)");
    v.st.budget = PV_DEFAULT_BUDGET;
    /* An absent key finds the absent ids only. */
    key = (pv_value){.none = 1};
    ck_assert_int_eq(call(&v, l.facts, f, &key).as.i, 0);
    l.certs[1 * NCERT + C_ID] = (pv_value){.none = 1};
    ck_assert_int_eq(call(&v, l.facts, f, &key).as.i, 1);
    key = (pv_value){.as.s = l.x};
    ck_assert_int_eq(call(&v, l.facts, f, &key).as.i, 2);
    /* Empty and absent lists. */
    l.facts[F_CERTS].count = 0;
    ck_assert_int_eq(call(&v, l.facts, f, &key).as.i, 0);
    l.facts[F_CERTS] = (pv_value){.none = 1};
    ck_assert_int_eq(call(&v, l.facts, f, &key).as.i, 0);
    vm_close(&v);
}
END_TEST

START_TEST(vm_budget)
{
    ah *b = ah_new();
    base(b);
    b2i_fn(b);
    uint32_t n_x = sum_fn(b, "n_x", F_CERTS, ah_list(REC_CERT), per_id_is_x);
    uint32_t straight = AH_FN(b, "five", t_bool(), 0, NULL, 0, 1, {PB_OP_NOP, 0, 0}, {PB_OP_NOP, 0, 0},
                              {PB_OP_NOP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    ah_line(b, 0, "f.pw", 4, 2);
    vm v;
    vm_open(&v, b);
    pv_value certs[1000 * NCERT] = {0};
    pv_value facts[NFACTS] = {0};
    facts[F_CERTS] = (pv_value){.as.items = certs, .count = 1000};
    ck_assert_int_eq(call(&v, facts, n_x, NULL).as.i, 0);
    uint64_t full = v.st.executed;
    ck_assert_uint_gt(full, 1000 * 10);
    v.st.budget = full;
    ck_assert_int_eq(call(&v, facts, n_x, NULL).as.i, 0);
    v.st.budget = full - 1;
    ck_assert(call_fails(&v, facts, n_x, NULL));
    char want[96];
    snprintf(want, sizeof want, "instruction budget exceeded (%llu instructions)", (unsigned long long)(full - 1));
    ck_assert_str_eq(v.err.message, want);
    ck_assert_uint_eq(v.st.executed, full);
    /* Exactly the instructions executed, here five. */
    v.st.budget = 5;
    ck_assert(call(&v, NULL, straight, NULL).as.b);
    ck_assert_uint_eq(v.st.executed, 5);
    v.st.budget = 4;
    ck_assert(call_fails(&v, NULL, straight, NULL));
    ck_assert_str_eq(v.err.message, "instruction budget exceeded (4 instructions)");
    vm_close(&v);
}
END_TEST

/* ---- requirement trees -------------------------------------------------------------------- */

typedef struct tree {
    vm v;
    uint32_t prog, other, empty;
} tree;

/* Program 0 ("p"), node indices in comments:
 *  0 require all of                      unmet (b)
 *  1   a: true                           met
 *  2   b: false                          unmet
 *  3   c: true                           not evaluated
 *  4 require any of                      met (b)
 *  5   a: false                          unmet
 *  6   b: true                           met
 *  7   c: false                          not evaluated
 *  8 require at least 2 of               met after the third
 *  9   t 10 f 11 t                       met, unmet, met
 * 12   t                                 not evaluated
 * 13 require at least 3 of               unmet after the second
 * 14   f 15 f                            unmet, unmet
 * 16   t 17 t                            not evaluated
 * 18 prefer: false                       unmet (does not block)
 * 19 advise: false                       unmet (does not block)
 * 20 require all of                      met
 * 21   any of                            met
 * 22     f 23 ok (facts)                 unmet, met when ok
 * 24   t                                 met
 * Program 1 ("q"): require t, prefer f, advise f, require any of {ok, f}.
 * Program 2 ("e"): require all of {}, prefer any of {}, require at least 0 of {t}. */
static void tree_open(tree *t)
{
    ah *b = ah_new();
    base(b);
    uint32_t T = ah_const_fn(b, "true", true), F = ah_const_fn(b, "false", false);
    uint32_t OK = AH_FN(b, "ok", t_bool(), 0, NULL, 0, 1, {PB_OP_LOAD_FACT, F_OK, 0}, {PB_OP_RET, 0, 0});
    t->prog = ah_prog(b, "p");
    ah_open(b, PB_R_ALL, PB_ROLE_REQUIRE, "all", 0);
    ah_leaf(b, 0, "a", T), ah_leaf(b, 0, "b", F), ah_leaf(b, 0, "c", T);
    ah_close(b);
    ah_open(b, PB_R_ANY, PB_ROLE_REQUIRE, "any", 0);
    ah_leaf(b, 0, "a", F), ah_leaf(b, 0, "b", T), ah_leaf(b, 0, "c", F);
    ah_close(b);
    ah_open(b, PB_R_ATLEAST, PB_ROLE_REQUIRE, "two", 2);
    ah_leaf(b, 0, "1", T), ah_leaf(b, 0, "2", F), ah_leaf(b, 0, "3", T), ah_leaf(b, 0, "4", T);
    ah_close(b);
    ah_open(b, PB_R_ATLEAST, PB_ROLE_REQUIRE, "three", 3);
    ah_leaf(b, 0, "1", F), ah_leaf(b, 0, "2", F), ah_leaf(b, 0, "3", T), ah_leaf(b, 0, "4", T);
    ah_close(b);
    ah_leaf(b, PB_ROLE_PREFER, "prefer", F);
    ah_leaf(b, PB_ROLE_ADVISE, "advise", F);
    ah_open(b, PB_R_ALL, PB_ROLE_REQUIRE, "nested", 0);
    ah_open(b, PB_R_ANY, PB_ROLE_REQUIRE, "inner", 0);
    ah_leaf(b, 0, "f", F), ah_leaf(b, 0, "ok", OK);
    ah_close(b);
    ah_leaf(b, 0, "t", T);
    ah_close(b);

    t->other = ah_prog(b, "q");
    ah_leaf(b, PB_ROLE_REQUIRE, "t", T);
    ah_leaf(b, PB_ROLE_PREFER, "f", F);
    ah_leaf(b, PB_ROLE_ADVISE, "f", F);
    ah_open(b, PB_R_ANY, PB_ROLE_REQUIRE, "ok or f", 0);
    ah_leaf(b, 0, "ok", OK), ah_leaf(b, 0, "f", F);
    ah_close(b);

    t->empty = ah_prog(b, "e");
    ah_open(b, PB_R_ALL, PB_ROLE_REQUIRE, "nothing", 0);
    ah_close(b);
    ah_open(b, PB_R_ANY, PB_ROLE_PREFER, "none of nothing", 0);
    ah_close(b);
    ah_open(b, PB_R_ATLEAST, PB_ROLE_REQUIRE, "zero", 0);
    ah_leaf(b, 0, "t", T);
    ah_close(b);
    vm_open(&t->v, b);
}

static void check_outcomes(const tree *t, const uint8_t *want, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        ck_assert_msg(t->v.st.outcomes[i] == want[i], "node %u: outcome %u, expected %u", i,
                      t->v.st.outcomes[i], want[i]);
}

enum { N_ = PV_NOT_EVALUATED, M_ = PV_MET, U_ = PV_UNMET };

START_TEST(vm_requirements)
{
    tree t;
    tree_open(&t);
    pv_value facts[NFACTS] = {0};
    bool eligible = true;
    facts[F_OK].as.b = true;
    ck_assert(pv_run(&t.v.st, facts, TODAY, t.prog, &eligible, &t.v.err));
    ck_assert(!eligible);
    static const uint8_t want[25] = {U_, M_, U_, N_, M_, U_, M_, N_, M_, M_, U_, M_, N_,
                                     U_, U_, U_, N_, N_, U_, U_, M_, M_, U_, M_, M_};
    ck_assert_uint_eq(t.v.img->progs[t.prog].nreqs, 25);
    check_outcomes(&t, want, 25);

    /* Outcomes are cleared per run: with `ok` false the inner group is decided
     * only at its last member, and nothing stale is left from before. */
    facts[F_OK].as.b = false;
    ck_assert(pv_run(&t.v.st, facts, TODAY, t.prog, &eligible, &t.v.err));
    static const uint8_t want2[25] = {U_, M_, U_, N_, M_, U_, M_, N_, M_, M_, U_, M_, N_,
                                      U_, U_, U_, N_, N_, U_, U_, U_, U_, U_, U_, N_};
    check_outcomes(&t, want2, 25);

    /* prefer and advise never block: eligible when every require is met. */
    facts[F_OK].as.b = true;
    ck_assert(pv_run(&t.v.st, facts, TODAY, t.other, &eligible, &t.v.err));
    ck_assert(eligible);
    static const uint8_t want3[6] = {M_, U_, U_, M_, M_, N_};
    check_outcomes(&t, want3, 6);
    facts[F_OK].as.b = false;
    ck_assert(pv_run(&t.v.st, facts, TODAY, t.other, &eligible, &t.v.err));
    ck_assert(!eligible);

    /* Empty groups: all of nothing holds, any of nothing does not, at least 0
     * holds without evaluating its members. */
    ck_assert(pv_run(&t.v.st, facts, TODAY, t.empty, &eligible, &t.v.err));
    ck_assert(eligible);
    static const uint8_t want4[4] = {M_, U_, M_, N_};
    check_outcomes(&t, want4, 4);

    ck_assert(!pv_run(&t.v.st, facts, TODAY, 7, &eligible, &t.v.err));
    ck_assert_str_eq(t.v.err.message, "no program 7 (the image has 3)");
    vm_close(&t.v);
}
END_TEST

/* A failing leaf fails the run with the leaf's position; an absent boolean
 * result is unmet. */
START_TEST(vm_requirement_errors)
{
    ah *b = ah_new();
    base(b);
    uint32_t big = ah_int(b, INT64_MAX);
    uint32_t boom = ah_func(b, "boom", t_bool(), 0, NULL, 0, 2);
    ah_emit(b, PB_OP_PUSH_INT, big, 0);
    ah_line(b, b->ncode, "f.pw", 9, 14);
    ah_emit(b, PB_OP_DUP, 0, 0);
    ah_emit(b, PB_OP_ADD_INT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    uint32_t maybe = AH_FN(b, "maybe", ah_opt(PB_T_BOOL), 0, NULL, 0, 1,
                           {PB_OP_PUSH_NONE, pb_type_pack(ah_opt(PB_T_BOOL)), 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "maybe", maybe);
    ah_prog(b, "q");
    ah_leaf(b, PB_ROLE_ADVISE, "boom", boom);
    vm v;
    vm_open(&v, b);
    bool eligible = true;
    ck_assert(pv_run(&v.st, NULL, TODAY, 0, &eligible, &v.err));
    ck_assert(!eligible);
    ck_assert_uint_eq(v.st.outcomes[0], PV_UNMET);
    ck_assert(!pv_run(&v.st, NULL, TODAY, 1, &eligible, &v.err));
    ck_assert_str_eq(v.err.message, "integer overflow in `+`");
    ck_assert_uint_eq(v.err.line, 9);
    ck_assert_uint_eq(v.err.col, 14);
    ck_assert_str_eq(v.img->strings[v.err.file], "f.pw");
    vm_close(&v);
}
END_TEST

/* ---- threads ------------------------------------------------------------------------------ */

typedef struct worker {
    const pb_image *img;
    uint32_t prog;
    int failures;
} worker;

/* One context per thread on one shared image. */
static void *work(void *arg)
{
    worker *w = arg;
    pv_state st;
    if (!pv_init(&st, w->img)) {
        w->failures++;
        return NULL;
    }
    pv_value facts[NFACTS] = {0};
    for (int i = 0; i < 2000; i++) {
        bool eligible = true;
        pv_error err;
        facts[F_OK].as.b = i % 2;
        if (!pv_run(&st, facts, TODAY, w->prog, &eligible, &err) || eligible != (i % 2 == 1))
            w->failures++;
    }
    pv_fini(&st);
    return NULL;
}

START_TEST(vm_threads)
{
    tree t;
    tree_open(&t);
    worker w[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){t.v.img, t.other, 0};
        ck_assert_int_eq(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(w[i].failures, 0);
    }
    vm_close(&t.v);
}
END_TEST

#if defined(PATHWAY_ASSERTS) && !defined(PATHWAY_COVERAGE) /* util/assert.h */
/* Unverified code that pops more than it pushed: in a build with
 * invariants checked (util/assert.h) the VM stops at the next instruction
 * instead of reading below its frame. */
START_TEST(vm_invariant_stops)
{
    ah *b = ah_new();
    base(b);
    uint32_t f = AH_FN(b, "underflow", ah_t(PB_T_BOOL), 0, NULL, 0, 1, {PB_OP_POP, 0, 0}, {PB_OP_POP, 0, 0},
                       {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "none");
    pb_image *img = ah_image(b); /* not verified: the verifier would refuse it */
    free(b);
    pv_state st;
    ck_assert(img && pv_init(&st, img));
    pv_value r;
    pv_error err;
    pv_call(&st, NULL, TODAY, f, NULL, &r, &err);
}
END_TEST
#endif

static Suite *vm_suite(void)
{
    Suite *s = suite_create("vm");
    TCase *ops = tcase_create("opcodes");
    tcase_add_test(ops, vm_push);
    tcase_add_loop_test(ops, vm_int_ops, 0, (int)(sizeof int_cases / sizeof int_cases[0]));
    tcase_add_loop_test(ops, vm_int_overflow, 0, (int)(sizeof overflow_cases / sizeof overflow_cases[0]));
    tcase_add_test(ops, vm_num_ops);
    tcase_add_test(ops, vm_compare);
    tcase_add_test(ops, vm_none_ops);
    tcase_add_test(ops, vm_dates);
    tcase_add_test(ops, vm_date_parts);
    tcase_add_test(ops, vm_date_edges);
    tcase_add_test(ops, vm_iteration);
    tcase_add_test(ops, vm_has);
    tcase_add_test(ops, vm_iter_fieldless);
    tcase_add_test(ops, vm_memo_edges);
    tcase_add_test(ops, vm_memo_classes);
    tcase_add_test(ops, vm_calls);
    tcase_add_test(ops, vm_budget);
    tcase_add_test(ops, vm_find);
    suite_add_tcase(s, ops);
    TCase *reqs = tcase_create("requirements");
    tcase_add_test(reqs, vm_requirements);
    tcase_add_test(reqs, vm_absent_requirement);
    tcase_add_test(reqs, vm_requirement_errors);
    tcase_add_test(reqs, vm_threads);
    suite_add_tcase(s, reqs);
#if defined(PATHWAY_ASSERTS) && !defined(PATHWAY_COVERAGE) /* util/assert.h */
    TCase *inv = tcase_create("invariants");
    tcase_add_test_raise_signal(inv, vm_invariant_stops, SIGABRT);
    suite_add_tcase(s, inv);
#endif
    return s;
}

int main(void)
{
    return pw_run_suite(vm_suite());
}
