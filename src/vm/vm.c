/* The evaluator. It runs only verified images (pb_verify), so it checks no
 * types, operands or stack bounds itself: the verifier proved them (builds
 * with invariants checked, util/assert.h, assert the stack and code bounds
 * before every instruction, so that a verifier bug stops a fuzzer at once).
 * What only shows at run time is checked here: integer overflow, dates
 * leaving the calendar, comparisons of absent values, and the instruction
 * budget.
 *
 * The dispatch loop follows Lua and wren: handlers are generated from nothing
 * but the opcode table's names (a missing handler fails to compile), dispatch
 * is computed goto under GCC and Clang and a switch elsewhere, the hot state
 * (pc, stack top, frame base, instruction count) lives in locals, rare work
 * is in out-of-line helpers, and every error leaves through one label, which
 * finds the source position. Nothing here allocates: pv_init sized the stack,
 * the return points and the outcomes from the image, and pv_memo_init the
 * remembered calls (see vm.h). */
#include "vm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bc/code.h"
#include "../util/assert.h"
#include "../util/date.h"

#if defined(__GNUC__) && !defined(PV_NO_COMPUTED_GOTO)
#define PV_COMPUTED_GOTO 1
#endif

/* Encoded size and operand widths of every instruction, as constants. */
enum {
#define PB_X(name, a, b, pops, pushes, desc) PV_SIZE_##name = 1 + PB_W_##a + PB_W_##b,
    PB_OPCODES(PB_X)
#undef PB_X
};
enum {
#define PB_X(name, a, b, pops, pushes, desc) PV_WA_##name = PB_W_##a, PV_WB_##name = PB_W_##b,
    PB_OPCODES(PB_X)
#undef PB_X
};

static inline uint32_t pv_operand(const uint8_t *p, unsigned width)
{
    switch (width) {
    case 1: return p[0];
    case 2: return pb_rd16(p);
    default: return pb_rd32(p);
    }
}

/* Operands of the instruction at pc, read at the widths the table gives. */
#define ARG_A(name) pv_operand(pc + 1, PV_WA_##name)
#define ARG_B(name) pv_operand(pc + 1 + PV_WA_##name, PV_WB_##name)
#define ARG_SA(name) ((int32_t)ARG_A(name)) /* DATE: signed */

/* An iterator's position local holds the element index in as.i and, in
 * count, the values per element: a record's field count, or PV_ITER_SET for a
 * set of text, whose elements are the values themselves. ITER_INIT writes it
 * from its type operand; the verifier keeps bytecode from writing it.
 * ITER_KEY and ITER_FIND use a third local, the key (see ITER_KEY). */
#define PV_ITER_SET UINT32_MAX

static inline pv_value pv_int(int64_t i) { return (pv_value){.as.i = i}; }
static inline pv_value pv_num(double n) { return (pv_value){.as.n = n}; }
static inline pv_value pv_bool(bool b) { return (pv_value){.as.b = b}; }
static inline pv_value pv_date(int32_t d) { return (pv_value){.as.d = d}; }
/* The evaluation date, marked (count is unused by dates) for day windows. */
#define PV_TODAY_MARK 1u
static inline pv_value pv_today(int32_t d) { return (pv_value){.as.d = d, .count = PV_TODAY_MARK}; }
static inline pv_value pv_text(uint32_t s) { return (pv_value){.as.s = s}; }

/* ---- slow paths ---------------------------------------------------------------- */

static bool pv_add_overflows(int64_t a, int64_t b, int64_t *r)
{
#if defined(__GNUC__)
    return __builtin_add_overflow(a, b, r);
#else
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
        return true;
    *r = a + b;
    return false;
#endif
}

static bool pv_sub_overflows(int64_t a, int64_t b, int64_t *r)
{
#if defined(__GNUC__)
    return __builtin_sub_overflow(a, b, r);
#else
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
        return true;
    *r = a - b;
    return false;
#endif
}

static bool pv_mul_overflows(int64_t a, int64_t b, int64_t *r)
{
#if defined(__GNUC__)
    return __builtin_mul_overflow(a, b, r);
#else
    /* CERT INT32-C: compare against the limit divided by one operand. */
    bool over = a > 0 ? (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
                      : (b > 0 ? a < INT64_MIN / b : a != 0 && b < INT64_MAX / a);
    if (over)
        return true;
    *r = a * b;
    return false;
#endif
}

static bool pv_day_ok(int32_t d) { return d >= -PV_DAY_LIMIT && d <= PV_DAY_LIMIT; }

static bool pv_date_add(int32_t d, int64_t n, uint32_t unit, int32_t *out)
{
    return pv_day_ok(d) && pu_date_add(d, n, (pu_unit)unit, out);
}

static bool pv_between(int32_t a, int32_t b, uint32_t unit, int64_t *out)
{
    if (!pv_day_ok(a) || !pv_day_ok(b))
        return false;
    *out = pu_date_between(a, b, (pu_unit)unit);
    return true;
}

/* The outcome of a comparison: EQ, NE and the orderings from the facts
 * lt/eq/gt (all false for NaN, so only NE holds then). */
static inline bool pv_test(uint32_t cmp, bool lt, bool eq, bool gt)
{
    switch (cmp) {
    case PB_EQ: return eq;
    case PB_NE: return !eq;
    case PB_LT: return lt;
    case PB_LE: return lt || eq;
    case PB_GT: return gt;
    default: return gt || eq;
    }
}

static void pv_window_narrow(pv_state *st, int64_t lo, int64_t hi)
{
    if (lo > st->win_lo)
        st->win_lo = (int32_t)lo;
    if (hi < st->win_hi)
        st->win_hi = (int32_t)hi;
}

/* Narrows the day window to the days T on which `T c d` comes out as it
 * does on `today` (T: the marked side, d: the other). */
static void pv_window_cmp(pv_state *st, uint32_t c, const pv_value *x, int32_t today)
{
    static const uint8_t mirror[PB_CMP_COUNT] = {PB_EQ, PB_NE, PB_GT, PB_GE, PB_LT, PB_LE};
    bool left = x[0].count == PV_TODAY_MARK, right = x[1].count == PV_TODAY_MARK;
    /* c < PB_CMP_COUNT: the verifier refuses any other comparison operand. */
    if (left == right || x[0].none || x[1].none || PU_NEVER(c >= PB_CMP_COUNT))
        return; /* today against today, or against nothing: the same every day */
    int64_t d = left ? x[1].as.d : x[0].as.d, lo = INT32_MIN, hi = INT32_MAX;
    if (!left)
        c = mirror[c];
    bool r = pv_test(c, today < d, today == d, today > d);
    switch (c) {
    case PB_EQ:
    case PB_NE:
        if (today == d)
            lo = hi = d;
        else if (today < d)
            hi = d - 1;
        else
            lo = d + 1;
        break;
    case PB_LT: /* T < d holds up to d - 1 */
    case PB_GE:
        if (r == (c == PB_LT))
            hi = d - 1;
        else
            lo = d;
        break;
    default: /* PB_LE, PB_GT: T <= d holds up to d */
        if (r == (c == PB_LE))
            hi = d;
        else
            lo = d + 1;
        break;
    }
    pv_window_narrow(st, lo, hi);
}

/* A marked date shifted (DATE_ADD: x[0] the date, x[1] the count, whose
 * own mark pv_window_count_use follows): the run may differ any day. */
static inline void pv_window_day(pv_state *st, const pv_value *x, int32_t today)
{
    if (st->track && x[0].count == PV_TODAY_MARK)
        st->win_lo = st->win_hi = today;
}

/* The day window of a date part of `today` (DATE_PART): the year's or the
 * month's days, or the day itself. */
static void pv_window_part(pv_state *st, uint32_t unit, int32_t today)
{
    if (unit == PU_DAYS) {
        pv_window_narrow(st, today, today);
        return;
    }
    int y, m, d;
    pu_to_ymd(today, &y, &m, &d);
    int32_t lo, hi;
    if (unit == PU_YEARS)
        lo = pu_from_ymd(y, 1, 1), hi = pu_from_ymd(y + 1, 1, 1) - 1;
    else
        lo = pu_from_ymd(y, m, 1), hi = pu_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
    pv_window_narrow(st, lo, hi);
}

/* DATE_NEXT of `today` gave r: the days from the previous such day up to
 * the day before r give r again. */
static void pv_window_next(pv_state *st, int32_t r, int m, int d, int32_t today)
{
    int32_t prev;
    if (pu_date_preceding(r, m, d, &prev))
        pv_window_narrow(st, prev, (int64_t)r - 1);
    else
        pv_window_narrow(st, today, (int64_t)r - 1);
}

/* BETWEEN with the date on one side and a date d on the other gave k: the
 * days on which it gives k again. From d forward (`age`): the k-th to the
 * (k+1)-th anniversary, less a day (pu_date_add finds the first day a count
 * is reached); back to d: the days after the last one k + 1 units before d,
 * up to the last one k units before it. */
/* The count between `other` and day t, the day on the right (`right`) or on
 * the left. */
static int64_t pv_count_at(int32_t other, int32_t t, bool right, uint32_t unit)
{
    return right ? pu_date_between(other, t, (pu_unit)unit) : pu_date_between(t, other, (pu_unit)unit);
}

/* The days around `today` on which that count is k again, by bisection
 * inside the window so far: the count is monotone in the day (it does not
 * fall as the day moves on when the day is on the right, nor rise when it
 * is on the left), so those days are one run, and the count itself says
 * where it ends; no inverse of it is assumed. */
static void pv_window_count_run(pv_state *st, int32_t other, bool right, uint32_t unit, int64_t k, int32_t today)
{
    int32_t lo = st->win_lo > -PV_DAY_LIMIT ? st->win_lo : -PV_DAY_LIMIT;
    int32_t hi = st->win_hi < PV_DAY_LIMIT ? st->win_hi : PV_DAY_LIMIT;
    /* Every narrowing keeps today (each is to the days that give what today
     * gave), and BETWEEN refused a today beyond PV_DAY_LIMIT. */
    if (PU_NEVER(lo > today || hi < today))
        return;
    /* The first day of the run: every day in [b, today] gives k, a does not. */
    int32_t a = lo, b = today;
    if (pv_count_at(other, a, right, unit) == k)
        b = a;
    while (b - a > 1) {
        int32_t mid = a + (b - a) / 2;
        if (pv_count_at(other, mid, right, unit) == k)
            b = mid;
        else
            a = mid;
    }
    int32_t first = b;
    /* The last day: every day in [today, a] gives k, b does not. */
    a = today, b = hi;
    if (pv_count_at(other, b, right, unit) == k)
        a = b;
    while (b - a > 1) {
        int32_t mid = a + (b - a) / 2;
        if (pv_count_at(other, mid, right, unit) == k)
            a = mid;
        else
            b = mid;
    }
    pv_window_narrow(st, first, a);
}

static void pv_window_between(pv_state *st, const pv_value *x, uint32_t unit, int64_t k, int32_t today)
{
    /* One side is the marked date: pv_window_count returned for today
     * against today (0 every day) before calling here. */
    bool right = x[1].count == PV_TODAY_MARK;
    int32_t a, b;
    /* A negative count (the other date after the day, for `age`) has no
     * closed form here (pu_date_add's backward rule is not the inverse of
     * the count there): its run is searched for; so is a count whose run
     * ends beyond what pu_date_add reaches. The nearer day first: when it
     * cannot be added, neither can the farther one. */
    bool ok = k >= 0 && (right ? pv_date_add(x[0].as.d, k, unit, &a) && pv_date_add(x[0].as.d, k + 1, unit, &b)
                               : pv_date_add(x[1].as.d, -k, unit, &b) && pv_date_add(x[1].as.d, -(k + 1), unit, &a));
    if (!ok)
        pv_window_count_run(st, right ? x[0].as.d : x[1].as.d, right, unit, k, today);
    else if (right)
        pv_window_narrow(st, a, (int64_t)b - 1);
    else
        pv_window_narrow(st, (int64_t)a + 1, b);
}

/* ---- counts marked (pv_state.runs) ----------------------------------------------
 * A count between the marked date and another (BETWEEN) is a function of the
 * day t, h(t) = the count clamped to [lo, hi], that never falls as t moves on
 * when t is the later date (`age`) and never rises when t is the earlier one.
 * So any class of its values that keeps their order (below k or not, its
 * sign against k, the value itself) is a run of days around the evaluation
 * date, found by probing h: the window narrows to that run where the count
 * is used (pv_window_count_cmp, pv_window_count_use), not at BETWEEN. */
#define PV_RUN_MARK 0xFFFFFF00u
#define PV_RUNS_MAX ((uint32_t)(sizeof ((pv_state *)0)->runs / sizeof ((pv_state *)0)->runs[0]))

enum { PV_CLS_VALUE, PV_CLS_LT, PV_CLS_LE, PV_CLS_SIGN };
typedef struct pv_cls {
    int mode;
    int64_t k;
} pv_cls;

/* The entry of a marked count, or NULL for any other value. */
static inline const struct pv_run *pv_run_of(const pv_state *st, const pv_value *v)
{
    uint32_t i = v->count - PV_RUN_MARK;
    return v->count >= PV_RUN_MARK && i < st->nruns ? &st->runs[i] : NULL;
}

/* The raw count on day t, and clamped (h(t)). */
static int64_t pv_run_raw(const struct pv_run *r, int32_t t)
{
    return pv_count_at(r->other, t, r->right, r->unit);
}
static int64_t pv_run_clamp(const struct pv_run *r, int64_t c)
{
    c = c < r->lo ? r->lo : c;
    return c > r->hi ? r->hi : c;
}
static int64_t pv_cls_of(pv_cls cls, int64_t h)
{
    switch (cls.mode) {
    case PV_CLS_LT: return h < cls.k;
    case PV_CLS_LE: return h <= cls.k;
    case PV_CLS_SIGN: return (h > cls.k) - (h < cls.k);
    default: return h;
    }
}
static bool pv_run_same(const struct pv_run *r, pv_cls cls, int64_t c0, int32_t t)
{
    return pv_cls_of(cls, pv_run_clamp(r, pv_run_raw(r, t))) == c0;
}

/* A first guess of the edge of today's run toward `bound` (dir +1 or -1),
 * as a distance from today, or -1: the count n at which the class first
 * changes (found among the counts, no dates), and the day the count reaches
 * n by pu_date_add. Only a guess: pv_run_edge checks it day by day. */
static int64_t pv_run_guess(const struct pv_run *r, pv_cls cls, int64_t c0, int32_t today, int32_t bound, int dir)
{
    int64_t a = pv_run_raw(r, today), b = pv_run_raw(r, bound); /* class c0 at a, not at b */
    int s = b > a ? 1 : -1;
    while ((b - a) * s > 1) {
        int64_t mid = a + (b - a) / 2;
        if (pv_cls_of(cls, pv_run_clamp(r, mid)) == c0)
            a = mid;
        else
            b = mid;
    }
    /* The count first reaches b (rising) or falls to b. */
    int64_t n = r->right ? (s > 0 ? b : b + 1) : (s > 0 ? -b : -(b + 1));
    int32_t day;
    /* n is a count between two days within PV_DAY_LIMIT, far inside int32. */
    if (!pv_date_add(r->other, n, r->unit, &day))
        return -1;
    if (r->right && s < 0)
        day -= 1; /* the last day still below b + 1 */
    int64_t g = ((int64_t)day - today) * dir;
    return g > 0 ? g : -1;
}

/* The farthest day from today toward `bound` (dir +1 or -1) up to which
 * every day's class is c0 (today's). The class is monotone in the day, so
 * it is one run: from the guess, outward by doubling steps until the class
 * flips, then by bisection; the answer is checked on both sides whatever
 * the guess was. */
static int32_t pv_run_edge(const struct pv_run *r, pv_cls cls, int64_t c0, int32_t today, int32_t bound, int dir)
{
    int64_t n = ((int64_t)bound - today) * dir;
    if (n <= 0 || pv_run_same(r, cls, c0, bound))
        return bound;
    int64_t good = 0, bad = n; /* class c0 at good, not at bad */
    int64_t g = pv_run_guess(r, cls, c0, today, bound, dir);
    bool up = true;
    if (g > good && g < bad) {
        up = pv_run_same(r, cls, c0, (int32_t)(today + dir * g));
        if (up)
            good = g;
        else
            bad = g;
    }
    for (int64_t step = 1; bad - good > 1; step *= 2) {
        int64_t p = up ? good + step : bad - step;
        if (p <= good || p >= bad)
            break;
        bool same = pv_run_same(r, cls, c0, (int32_t)(today + dir * p));
        if (same)
            good = p;
        else
            bad = p;
        if (same != up)
            break;
    }
    while (bad - good > 1) {
        int64_t mid = good + (bad - good) / 2;
        if (pv_run_same(r, cls, c0, (int32_t)(today + dir * mid)))
            good = mid;
        else
            bad = mid;
    }
    return (int32_t)(today + dir * good);
}

/* Narrows the day window to the days around today on which the class of
 * the count is today's. */
static void pv_window_run(pv_state *st, const struct pv_run *r, pv_cls cls, int32_t today)
{
    int32_t lo = st->win_lo > -PV_DAY_LIMIT ? st->win_lo : -PV_DAY_LIMIT;
    int32_t hi = st->win_hi < PV_DAY_LIMIT ? st->win_hi : PV_DAY_LIMIT;
    /* As in pv_window_count_run: the window holds today, within the limit. */
    if (PU_NEVER(lo > today || hi < today))
        return;
    int64_t c0 = pv_cls_of(cls, pv_run_clamp(r, pv_run_raw(r, today)));
    int32_t first = pv_run_edge(r, cls, c0, today, lo, -1);
    int32_t last = pv_run_edge(r, cls, c0, today, hi, 1);
    pv_window_narrow(st, first, last);
}

/* BETWEEN gave k with the window open: the mark its result is pushed with
 * (0: none, the window narrowed here as before when no entry is free). */
static uint32_t pv_window_count(pv_state *st, const pv_value *x, uint32_t unit, int64_t k, int32_t today)
{
    bool left = x[0].count == PV_TODAY_MARK, right = x[1].count == PV_TODAY_MARK;
    if (left == right)
        return 0; /* between today and today: 0 every day */
    if (st->nruns == PV_RUNS_MAX) {
        pv_window_between(st, x, unit, k, today);
        return 0;
    }
    st->runs[st->nruns] = (struct pv_run){right ? x[0].as.d : x[1].as.d, right, (uint8_t)unit, INT64_MIN, INT64_MAX};
    return PV_RUN_MARK + st->nruns++;
}

/* Integers x[0..n) used by an instruction that does not follow marks: each
 * marked count narrows the window to the days on which it is the same. */
static void pv_window_count_use(pv_state *st, const pv_value *x, int n, int32_t today)
{
    for (int i = 0; i < n; i++) {
        const struct pv_run *r = pv_run_of(st, &x[i]);
        if (r)
            pv_window_run(st, r, (pv_cls){PV_CLS_VALUE, 0}, today);
    }
}

/* CMP_INT of x[0] and x[1] (condition c): a marked count against an
 * integer that does not depend on the day narrows the window to the days on
 * which the comparison comes out the same. */
static void pv_window_count_cmp(pv_state *st, uint32_t c, const pv_value *x, int32_t today)
{
    static const uint8_t mirror[PB_CMP_COUNT] = {PB_EQ, PB_NE, PB_GT, PB_GE, PB_LT, PB_LE};
    const struct pv_run *a = pv_run_of(st, &x[0]), *b = pv_run_of(st, &x[1]);
    /* c < PB_CMP_COUNT: the verifier refuses any other comparison operand. */
    if (!a == !b || x[0].none || x[1].none || PU_NEVER(c >= PB_CMP_COUNT)) {
        pv_window_count_use(st, x, 2, today);
        return;
    }
    if (!a)
        c = mirror[c];
    int mode = c == PB_LT || c == PB_GE ? PV_CLS_LT : c == PB_LE || c == PB_GT ? PV_CLS_LE : PV_CLS_SIGN;
    pv_window_run(st, a ? a : b, (pv_cls){mode, a ? x[1].as.i : x[0].as.i}, today);
}

/* MIN_INT / MAX_INT (is_max) of x[0] and x[1]: a marked count against an
 * integer that does not depend on the day is still a count, clamped; the
 * mark the result is pushed with (0: none, the window narrowed here). */
static uint32_t pv_window_count_clamp(pv_state *st, const pv_value *x, bool is_max, int32_t today)
{
    const struct pv_run *a = pv_run_of(st, &x[0]), *b = pv_run_of(st, &x[1]);
    if (!a && !b)
        return 0;
    if ((a && b) || x[0].none || x[1].none || st->nruns == PV_RUNS_MAX) {
        pv_window_count_use(st, x, 2, today);
        return 0;
    }
    struct pv_run r = a ? *a : *b;
    int64_t k = a ? x[1].as.i : x[0].as.i;
    /* max(k, min(hi, max(lo, c))) = min(max(hi, k), max(lo, k, c)); min alike. */
    if (is_max) {
        r.lo = r.lo > k ? r.lo : k;
        r.hi = r.hi > k ? r.hi : k;
    } else {
        r.lo = r.lo < k ? r.lo : k;
        r.hi = r.hi < k ? r.hi : k;
    }
    st->runs[st->nruns] = r;
    return PV_RUN_MARK + st->nruns++;
}

pv_count_role pv_window_count_role(unsigned op)
{
    switch ((pb_op)op) {
    /* Read the integer, and narrow the window for a marked one. */
    case PB_OP_NEG_INT:
    case PB_OP_ADD_INT:
    case PB_OP_SUB_INT:
    case PB_OP_MUL_INT:
    case PB_OP_MIN_INT:
    case PB_OP_MAX_INT:
    case PB_OP_INT_TO_NUM:
    case PB_OP_CMP_INT:
    case PB_OP_DATE_ADD:
    case PB_OP_DATE_MAKE:
    case PB_OP_DATE_NEXT:
        return PV_COUNT_READ;
    /* Move values whole (or look only at whether one is absent). */
    case PB_OP_STORE_LOCAL:
    case PB_OP_DUP:
    case PB_OP_POP:
    case PB_OP_IS_NONE:
    case PB_OP_OTHERWISE:
    case PB_OP_CALL:
    case PB_OP_RET:
        return PV_COUNT_MOVE;
    case PB_OP_NOP:
    case PB_OP_PUSH_TRUE:
    case PB_OP_PUSH_FALSE:
    case PB_OP_PUSH_NONE:
    case PB_OP_PUSH_INT:
    case PB_OP_PUSH_NUM:
    case PB_OP_PUSH_STR:
    case PB_OP_PUSH_DATE:
    case PB_OP_PUSH_TODAY:
    case PB_OP_LOAD_FACT:
    case PB_OP_LOAD_FIELD:
    case PB_OP_LOAD_LOCAL:
    case PB_OP_NOT:
    case PB_OP_NEG_NUM:
    case PB_OP_ADD_NUM:
    case PB_OP_SUB_NUM:
    case PB_OP_MUL_NUM:
    case PB_OP_MIN_NUM:
    case PB_OP_MAX_NUM:
    case PB_OP_CMP_NUM:
    case PB_OP_CMP_DATE:
    case PB_OP_CMP_TEXT:
    case PB_OP_CMP_BOOL:
    case PB_OP_BETWEEN:
    case PB_OP_HAS:
    case PB_OP_JUMP:
    case PB_OP_JUMP_FALSE:
    case PB_OP_JUMP_TRUE:
    case PB_OP_ITER_INIT:
    case PB_OP_ITER_NEXT:
    case PB_OP_LOOP:
    case PB_OP_ITER_KEY:
    case PB_OP_ITER_FIND:
    case PB_OP_DATE_PART:
    case PB_OP_COUNT:
        return PV_COUNT_NONE;
    }
    return PV_COUNT_NONE;
}

static bool pv_has(const pv_value *set, const pv_value *text)
{
    if (set->none || text->none)
        return false;
    for (uint32_t i = 0; i < set->count; i++)
        if (set->as.items[i].as.s == text->as.s)
            return true;
    return false;
}

static void pv_message(pv_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

static void pv_where(const pb_image *img, uint32_t pc, pv_error *err)
{
    const pb_line *l = pb_line_at(img, pc);
    if (l) {
        err->file = l->file;
        err->line = l->line;
        err->col = l->col;
    }
}

static void pv_clear_error(pv_error *err)
{
    err->message[0] = '\0';
    err->line = err->col = 0;
    err->file = PB_NO_STRING;
}

/* ---- remembered calls ------------------------------------------------------------ */

/* Whether two arguments of type t are the same value. Compared as the type
 * reads them (a union's other bytes are not part of the value); a list is
 * the same list when it is the same elements of the same facts. */
static bool pv_same(pb_type t, const pv_value *a, const pv_value *b)
{
    if (a->none != b->none)
        return false;
    switch (t.kind) {
    case PB_T_INT: return a->as.i == b->as.i;
    case PB_T_NUM: return memcmp(&a->as.n, &b->as.n, sizeof a->as.n) == 0;
    case PB_T_BOOL: return a->as.b == b->as.b;
    case PB_T_TEXT: return a->as.s == b->as.s;
    case PB_T_DATE: return a->as.d == b->as.d;
    case PB_T_LIST:
    case PB_T_SET: return a->as.items == b->as.items && a->count == b->count;
    default: return a->as.items == b->as.items; /* PB_T_ELEM: the verifier allows no other parameter type */
    }
}

/* The bits of an argument that pv_same compares, for choosing an entry. */
static uint64_t pv_key(pb_type t, const pv_value *v)
{
    uint64_t k;
    switch (t.kind) {
    case PB_T_INT: k = (uint64_t)v->as.i; break;
    case PB_T_NUM: memcpy(&k, &v->as.n, sizeof k); break;
    case PB_T_BOOL: k = v->as.b; break;
    case PB_T_TEXT: k = v->as.s; break;
    case PB_T_DATE: k = (uint32_t)v->as.d; break;
    default: k = (uint64_t)(uintptr_t)v->as.items; break; /* PB_T_LIST, PB_T_SET, PB_T_ELEM */
    }
    return k ^ v->none;
}

/* Each argument list has one entry it may live in (chosen by a hash of the
 * arguments), so that a lookup is one comparison; two lists that share an
 * entry replace each other, which costs a recomputation, never a wrong
 * result. A function without parameters has one entry. Returns the
 * remembered result of calling f with args, or NULL; then *slot is the entry
 * to remember it in once the call returns. */
static const pv_memo *pv_memo_find(pv_state *st, uint32_t f, const pv_value *args, pv_memo **slot)
{
    uint32_t c = st->memo_class[f];
    const pb_func *g = &st->img->funcs[c];
    pv_memo *m = st->memo + st->memo_first[c];
    if (g->nparams) {
        uint64_t h = 0;
        for (uint32_t i = 0; i < g->nparams; i++)
            h = (h ^ pv_key(st->img->param_types[g->first_param + i], &args[i])) * 0x9E3779B97F4A7C15u;
        m += (h >> 32) % st->memo_ways[c];
    }
    if (m->epoch == st->memo_epoch) {
        uint32_t i = 0;
        while (i < g->nparams && pv_same(st->img->param_types[g->first_param + i], &m->args[i], &args[i]))
            i++;
        if (i == g->nparams)
            return m;
    }
    /* Copied now: the callee's code may reuse its parameters' slots. */
    m->epoch = 0; /* not valid until the call returns */
    /* A loop, not memcpy: one or two values, where a call costs more. */
    for (uint32_t i = 0; i < g->nparams; i++)
        m->args[i] = args[i];
    *slot = m;
    return NULL;
}

/* pv_memo_find for a function without parameters (every requirement is
 * one): its one entry, found without a call or a hash. */
static inline const pv_memo *pv_memo_find0(pv_state *st, uint32_t f, pv_memo **slot)
{
    pv_memo *m = st->memo + st->memo_first[st->memo_class[f]];
    if (m->epoch == st->memo_epoch)
        return m;
    m->epoch = 0; /* not valid until the call returns */
    *slot = m;
    return NULL;
}

static void pv_memo_keep(const pv_state *st, pv_memo *m, pv_value result, uint64_t cost)
{
    m->result = result;
    m->cost = cost;
    m->epoch = st->memo_epoch;
}

void pv_memo_forget(pv_state *st)
{
    if (!st->memo)
        return;
    if (++st->memo_epoch == 0) {
        /* After 2^32 epochs an old entry's epoch could come round again. */
        for (size_t i = 0; i < st->memo_count; i++)
            st->memo[i].epoch = 0;
        st->memo_epoch = 1;
    }
}

/* Results hold for one day: a run on another day starts a new epoch. */
static void pv_memo_day(pv_state *st, int32_t today)
{
    if (st->memo && today != st->memo_today) {
        pv_memo_forget(st);
        st->memo_today = today;
    }
}

/* Runs a requirement's function (no parameters), or reuses its result. */
static bool pv_exec(pv_state *st, const pv_value *facts, int32_t today, uint32_t func,
                    pv_value *result, pv_error *err);

/* remember: st->memo && !st->track, which holds for a whole run. */
static bool pv_exec_leaf(pv_state *st, const pv_value *facts, int32_t today, uint32_t func, bool remember,
                         pv_value *result, pv_error *err)
{
    pv_memo *keep = NULL;
    const pv_memo *m = NULL;
    /* A requirement's function has no parameters (the verifier refuses
     * others, verify_progs.c), so it has its one entry. */
    if (remember)
        m = pv_memo_find0(st, func, &keep);
    if (m && m->cost <= st->budget - st->executed) {
        st->executed += m->cost;
        *result = m->result;
        return true;
    }
    uint64_t start = st->executed;
    if (!pv_exec(st, facts, today, func, result, err))
        return false;
    if (keep)
        pv_memo_keep(st, keep, *result, st->executed - start);
    return true;
}

/* Language spelling of a comparison, for messages. */
static const char *pv_cmp_symbol(uint32_t cmp)
{
    static const char *const sym[PB_CMP_COUNT] = {"=", "!=", "<", "<=", ">", ">="};
    /* The verifier refuses a comparison operand outside the table. */
    return PU_ALWAYS(cmp < PB_CMP_COUNT) ? sym[cmp] : "?";
}

/* ---- the loop ------------------------------------------------------------------ */

/* What the verifier promised (assert.h): before every instruction the
 * operands are within the frame the image sizes, the code within the
 * function. */
#define PV_CHECK_STATE()                                                                  \
    do {                                                                                  \
        PU_ASSERT(sp >= base && sp <= st->stack + (img->max_frame ? img->max_frame : 1)); \
        PU_ASSERT(pc >= code && pc < code + img->ncode);                               \
    } while (0)
/* Opcode pairs, in PV_STATS builds only (vm.h: st->pairs). */
#ifdef PV_STATS
#define PV_COUNT_PAIR()                                              \
    do {                                                             \
        if (st->pairs)                                               \
            st->pairs[(size_t)stats_prev * PB_OP_COUNT + *pc]++;     \
        stats_prev = *pc;                                            \
    } while (0)
#else
#define PV_COUNT_PAIR() ((void)0)
#endif
#ifdef PV_COMPUTED_GOTO
#define PV_OP(name) op_##name:
#define PV_DISPATCH()                 \
    do {                              \
        if (++n > budget)             \
            goto over_budget;         \
        PV_CHECK_STATE();             \
        PV_COUNT_PAIR();              \
        goto *pv_labels[*pc];         \
    } while (0)
#else
#define PV_OP(name) case PB_OP_##name:
#define PV_DISPATCH() goto dispatch
#endif
#define PV_NEXT(name)            \
    do {                         \
        pc += PV_SIZE_##name;    \
        PV_DISPATCH();           \
    } while (0)
#define PV_FAIL(...)                    \
    do {                                \
        pv_message(err, __VA_ARGS__);   \
        goto fail;                      \
    } while (0)

/* Integer arithmetic on the two top values, failing on overflow. */
#define PV_INT_OP(name, check, sym)                              \
    PV_OP(name) {                                                \
        int64_t r;                                               \
        if (st->track)                                           \
            pv_window_count_use(st, sp - 2, 2, today);           \
        if (check(sp[-2].as.i, sp[-1].as.i, &r))                 \
            PV_FAIL("integer overflow in `%s`", sym);            \
        sp--;                                                    \
        sp[-1] = pv_int(r);                                      \
        PV_NEXT(name);                                           \
    }

#define PV_NUM_OP(name, expr)                                    \
    PV_OP(name) {                                                \
        double x = sp[-2].as.n, y = sp[-1].as.n;                 \
        sp[-2] = pv_num(expr);                                   \
        sp--;                                                    \
        PV_NEXT(name);                                           \
    }

/* Absent operands: equal only to each other; ordering them is an error (the
 * checker rejects such comparisons, so only unchecked bytecode gets here).
 * `window` runs first (dates: the day window). */
#define PV_CMP_OP(name, m, window)                                                   \
    PV_OP(name) {                                                                    \
        uint32_t c = ARG_A(name);                                                    \
        pv_value *x = sp - 2;                                                        \
        bool r;                                                                      \
        window                                                                       \
        if (x[0].none || x[1].none) {                                                \
            if (c > PB_NE)                                                           \
                PV_FAIL("ordering comparison `%s` with an absent value (the checker " \
                        "forbids this)", pv_cmp_symbol(c));                          \
            r = (x[0].none && x[1].none) == (c == PB_EQ);                            \
        } else {                                                                     \
            r = pv_test(c, x[0].as.m < x[1].as.m, x[0].as.m == x[1].as.m,            \
                        x[0].as.m > x[1].as.m);                                      \
        }                                                                            \
        x[0] = pv_bool(r);                                                           \
        sp--;                                                                        \
        PV_NEXT(name);                                                               \
    }

/* Equality of texts or booleans: the verifier allows them no ordering
 * (condition eq or ne only), so absent or not, only equality decides. */
#define PV_EQ_OP(name, m)                                                            \
    PV_OP(name) {                                                                    \
        pv_value *x = sp - 2;                                                        \
        bool eq = x[0].none || x[1].none ? x[0].none && x[1].none                    \
                                         : x[0].as.m == x[1].as.m;                   \
        x[0] = pv_bool(eq == (ARG_A(name) == PB_EQ));                                \
        sp--;                                                                        \
        PV_NEXT(name);                                                               \
    }

#if defined(PV_COMPUTED_GOTO)
/* Labels as values and `goto *` are the GNU extension this loop is built on. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif

/* Runs function `func`, whose arguments are already at st->stack[0..nparams),
 * and stores its result. Counts instructions into st->executed. */
static bool pv_exec(pv_state *st, const pv_value *facts, int32_t today, uint32_t func,
                    pv_value *result, pv_error *err)
{
#ifdef PV_COMPUTED_GOTO
    static const void *const pv_labels[PB_OP_COUNT] = {
#define PB_X(name, a, b, pops, pushes, desc) &&op_##name,
        PB_OPCODES(PB_X)
#undef PB_X
    };
#endif
    const pb_image *img = st->img;
    const pb_func *f = &img->funcs[func];
    const uint8_t *const code = img->code;
    const uint8_t *pc = code + f->code_off;
    pv_value *base = st->stack;
    pv_value *sp = base + f->nlocals;
    pv_return *const calls = st->calls;
    uint32_t ncalls = 0;
    uint64_t n = st->executed;
    const uint64_t budget = st->budget;
    /* With a day window open, nothing is reused (pv_window_open). */
    const uint8_t *const memo_ways = st->memo && !st->track ? st->memo_ways : NULL;
    for (uint32_t i = f->nparams; i < f->nlocals; i++)
        base[i] = (pv_value){0};
#ifdef PV_STATS
    unsigned stats_prev = PB_OP_COUNT; /* the row of first instructions */
#endif

#ifdef PV_COMPUTED_GOTO
    PV_DISPATCH();
#else
dispatch:
    if (++n > budget)
        goto over_budget;
    PV_CHECK_STATE();
    PV_COUNT_PAIR();
    switch ((pb_op)*pc) {
#endif

    PV_OP(NOP) PV_NEXT(NOP);
    PV_OP(PUSH_TRUE) *sp++ = pv_bool(true); PV_NEXT(PUSH_TRUE);
    PV_OP(PUSH_FALSE) *sp++ = pv_bool(false); PV_NEXT(PUSH_FALSE);
    PV_OP(PUSH_NONE) *sp++ = (pv_value){.none = 1}; PV_NEXT(PUSH_NONE);
    PV_OP(PUSH_INT) *sp++ = pv_int(img->ints[ARG_A(PUSH_INT)]); PV_NEXT(PUSH_INT);
    PV_OP(PUSH_NUM) *sp++ = pv_num(img->nums[ARG_A(PUSH_NUM)]); PV_NEXT(PUSH_NUM);
    PV_OP(PUSH_STR) *sp++ = pv_text(ARG_A(PUSH_STR)); PV_NEXT(PUSH_STR);
    PV_OP(PUSH_DATE) *sp++ = pv_date(ARG_SA(PUSH_DATE)); PV_NEXT(PUSH_DATE);
    PV_OP(PUSH_TODAY) *sp++ = pv_today(today); PV_NEXT(PUSH_TODAY);
    PV_OP(LOAD_FACT) *sp++ = facts[ARG_A(LOAD_FACT)]; PV_NEXT(LOAD_FACT);
    /* An element's as.items points at its record's first field. */
    PV_OP(LOAD_FIELD) sp[-1] = sp[-1].as.items[ARG_B(LOAD_FIELD)]; PV_NEXT(LOAD_FIELD);
    PV_OP(LOAD_LOCAL) *sp++ = base[ARG_A(LOAD_LOCAL)]; PV_NEXT(LOAD_LOCAL);
    PV_OP(STORE_LOCAL) base[ARG_A(STORE_LOCAL)] = *--sp; PV_NEXT(STORE_LOCAL);
    PV_OP(DUP) sp[0] = sp[-1]; sp++; PV_NEXT(DUP);
    PV_OP(POP) sp--; PV_NEXT(POP);
    PV_OP(NOT) sp[-1] = pv_bool(!sp[-1].as.b); PV_NEXT(NOT);
    PV_OP(NEG_INT) {
        int64_t r;
        if (st->track)
            pv_window_count_use(st, sp - 1, 1, today);
        if (pv_sub_overflows(0, sp[-1].as.i, &r))
            PV_FAIL("integer overflow in unary `-`");
        sp[-1] = pv_int(r);
        PV_NEXT(NEG_INT);
    }
    PV_INT_OP(ADD_INT, pv_add_overflows, "+")
    PV_INT_OP(SUB_INT, pv_sub_overflows, "-")
    PV_INT_OP(MUL_INT, pv_mul_overflows, "*")
    PV_OP(MIN_INT) {
        int64_t x = sp[-2].as.i, y = sp[-1].as.i;
        uint32_t mark = st->track ? pv_window_count_clamp(st, sp - 2, false, today) : 0;
        sp[-2] = pv_int(x < y ? x : y);
        sp[-2].count = mark;
        sp--;
        PV_NEXT(MIN_INT);
    }
    PV_OP(MAX_INT) {
        int64_t x = sp[-2].as.i, y = sp[-1].as.i;
        uint32_t mark = st->track ? pv_window_count_clamp(st, sp - 2, true, today) : 0;
        sp[-2] = pv_int(x > y ? x : y);
        sp[-2].count = mark;
        sp--;
        PV_NEXT(MAX_INT);
    }
    PV_OP(NEG_NUM) sp[-1] = pv_num(-sp[-1].as.n); PV_NEXT(NEG_NUM);
    PV_NUM_OP(ADD_NUM, x + y)
    PV_NUM_OP(SUB_NUM, x - y)
    PV_NUM_OP(MUL_NUM, x * y)
    PV_NUM_OP(MIN_NUM, y < x ? y : x)
    PV_NUM_OP(MAX_NUM, y > x ? y : x)
    PV_OP(INT_TO_NUM) {
        /* An absent optional integer stays absent as a number. */
        uint8_t none = sp[-1].none;
        if (st->track)
            pv_window_count_use(st, sp - 1, 1, today);
        sp[-1] = pv_num((double)sp[-1].as.i);
        sp[-1].none = none;
        PV_NEXT(INT_TO_NUM);
    }
    PV_CMP_OP(CMP_INT, i, if (st->track) pv_window_count_cmp(st, c, x, today);)
    PV_CMP_OP(CMP_NUM, n, )
    PV_CMP_OP(CMP_DATE, d, if (st->track) pv_window_cmp(st, c, x, today);)
    PV_EQ_OP(CMP_TEXT, s)
    PV_EQ_OP(CMP_BOOL, b)
    PV_OP(IS_NONE) sp[-1] = pv_bool(sp[-1].none); PV_NEXT(IS_NONE);
    /* [value, alternative] -> value unless it is absent. */
    PV_OP(OTHERWISE) {
        if (sp[-2].none)
            sp[-2] = sp[-1];
        sp--;
        PV_NEXT(OTHERWISE);
    }
    PV_OP(DATE_ADD) {
        pv_window_day(st, sp - 2, today);
        if (st->track)
            pv_window_count_use(st, sp - 1, 1, today);
        int32_t r;
        if (!pv_date_add(sp[-2].as.d, sp[-1].as.i, ARG_A(DATE_ADD), &r))
            PV_FAIL("date out of range");
        sp[-2] = pv_date(r);
        sp--;
        PV_NEXT(DATE_ADD);
    }
    PV_OP(BETWEEN) {
        int64_t r;
        if (!pv_between(sp[-2].as.d, sp[-1].as.d, ARG_A(BETWEEN), &r))
            PV_FAIL("date out of range");
        uint32_t mark = st->track ? pv_window_count(st, sp - 2, ARG_A(BETWEEN), r, today) : 0;
        sp[-2] = pv_int(r);
        sp[-2].count = mark;
        sp--;
        PV_NEXT(BETWEEN);
    }
    PV_OP(DATE_PART) {
        if (!pv_day_ok(sp[-1].as.d))
            PV_FAIL("date out of range");
        if (st->track && sp[-1].count == PV_TODAY_MARK)
            pv_window_part(st, ARG_A(DATE_PART), today);
        sp[-1] = pv_int(pu_date_part(sp[-1].as.d, (pu_unit)ARG_A(DATE_PART)));
        PV_NEXT(DATE_PART);
    }
    PV_OP(DATE_MAKE) {
        int32_t r;
        if (st->track)
            pv_window_count_use(st, sp - 3, 3, today);
        int64_t y = sp[-3].as.i, m = sp[-2].as.i, d = sp[-1].as.i;
        if (!pu_date_make(y, m, d, &r)) {
            if (y < PU_YEAR_MIN || y > PU_YEAR_MAX)
                PV_FAIL("no date in the year %" PRId64 " (dates are in the years %d-%d)", y, PU_YEAR_MIN,
                        PU_YEAR_MAX);
            static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};
            if (m < 1 || m > 12)
                PV_FAIL("no month %" PRId64 " in a year (months are 1-12)", m);
            PV_FAIL("no day %" PRId64 " in %s %" PRId64, d, months[m - 1], y);
        }
        sp -= 2;
        sp[-1] = pv_date(r);
        PV_NEXT(DATE_MAKE);
    }
    PV_OP(DATE_NEXT) {
        int32_t r, from = sp[-3].as.d;
        if (st->track)
            pv_window_count_use(st, sp - 2, 2, today);
        int64_t m = sp[-2].as.i, d = sp[-1].as.i;
        if (!pv_day_ok(from) || m < 1 || m > 12 || d < 1 || d > 31 || !pu_date_following(from, (int)m, (int)d, &r))
            PV_FAIL("no day %" PRId64 "/%" PRId64 " (day/month) follows that date in the years %d-%d", d, m,
                    PU_YEAR_MIN, PU_YEAR_MAX);
        if (st->track && sp[-3].count == PV_TODAY_MARK)
            pv_window_next(st, r, (int)m, (int)d, today);
        sp -= 2;
        sp[-1] = pv_date(r);
        PV_NEXT(DATE_NEXT);
    }
    PV_OP(HAS) {
        sp[-2] = pv_bool(pv_has(&sp[-2], &sp[-1]));
        sp--;
        PV_NEXT(HAS);
    }
    PV_OP(JUMP) pc += PV_SIZE_JUMP + ARG_A(JUMP); PV_DISPATCH();
    PV_OP(JUMP_FALSE) {
        bool b = (--sp)->as.b;
        pc += PV_SIZE_JUMP_FALSE + (b ? 0 : ARG_A(JUMP_FALSE));
        PV_DISPATCH();
    }
    PV_OP(JUMP_TRUE) {
        bool b = (--sp)->as.b;
        pc += PV_SIZE_JUMP_TRUE + (b ? ARG_A(JUMP_TRUE) : 0);
        PV_DISPATCH();
    }
    PV_OP(ITER_INIT) {
        uint32_t a = ARG_A(ITER_INIT);
        pb_type t = pb_type_unpack(ARG_B(ITER_INIT));
        base[a] = *--sp;
        base[a + 1] = (pv_value){.as.i = 0,
                                 .count = t.kind == PB_T_SET ? PV_ITER_SET : img->records[t.rec].nfields};
        PV_NEXT(ITER_INIT);
    }
    PV_OP(ITER_NEXT) {
        uint32_t a = ARG_A(ITER_NEXT);
        const pv_value *list = &base[a];
        pv_value *pos = &base[a + 1];
        uint64_t i = (uint64_t)pos->as.i;
        if (list->none || i >= list->count) {
            pc += PV_SIZE_ITER_NEXT + ARG_B(ITER_NEXT);
            PV_DISPATCH();
        }
        if (pos->count == PV_ITER_SET)
            *sp++ = list->as.items[i];
        else if (pos->count == 0) /* a record without fields: nothing to point into */
            *sp++ = (pv_value){.as.items = list->as.items};
        else
            *sp++ = (pv_value){.as.items = list->as.items + i * pos->count};
        pos->as.i++;
        PV_NEXT(ITER_NEXT);
    }
    /* The key local holds the text in as.s and none, and the field it is
     * compared with in count. */
    PV_OP(ITER_KEY) {
        pv_value key = *--sp;
        key.count = ARG_B(ITER_KEY);
        base[ARG_A(ITER_KEY) + 2] = key;
        PV_NEXT(ITER_KEY);
    }
    /* ITER_NEXT over a list of records, past the elements whose key field is
     * not equal (as CMP_TEXT eq has it: two absent texts are equal) to the
     * key. Each element passed over counts as an instruction, so that the
     * budget bounds the scan as it bounded the code it replaces. */
    PV_OP(ITER_FIND) {
        uint32_t a = ARG_A(ITER_FIND);
        const pv_value *list = &base[a], *key = &base[a + 2];
        pv_value *pos = &base[a + 1];
        uint64_t i = (uint64_t)pos->as.i;
        const uint32_t stride = pos->count;
        if (!list->none) {
            for (; i < list->count; i++) {
                const pv_value *v = list->as.items + i * stride + key->count;
                if (v->none ? key->none : !key->none && v->as.s == key->as.s)
                    break;
                if (++n > budget)
                    goto over_budget;
            }
        }
        if (list->none || i >= list->count) {
            pos->as.i = (int64_t)i;
            pc += PV_SIZE_ITER_FIND + ARG_B(ITER_FIND);
            PV_DISPATCH();
        }
        *sp++ = (pv_value){.as.items = list->as.items + i * stride};
        pos->as.i = (int64_t)i + 1;
        PV_NEXT(ITER_FIND);
    }
    PV_OP(LOOP) pc = pc + PV_SIZE_LOOP - ARG_A(LOOP); PV_DISPATCH();
    /* The arguments on the stack become the callee's first locals in place. */
    PV_OP(CALL) {
        uint32_t fi = ARG_A(CALL);
        const pb_func *g = &img->funcs[fi];
        pv_value *callee = sp - g->nparams;
        pv_memo *keep = NULL;
        if (memo_ways && memo_ways[fi]) {
            const pv_memo *m = pv_memo_find(st, fi, callee, &keep);
            /* Reused only when running it would stay within the budget. */
            if (m && m->cost <= budget - n) {
                n += m->cost;
                sp = callee;
                *sp++ = m->result;
                PV_NEXT(CALL);
            }
        }
        for (uint32_t i = g->nparams; i < g->nlocals; i++)
            callee[i] = (pv_value){0};
        PU_ASSERT(ncalls < (img->max_calls ? img->max_calls : 1u));
        calls[ncalls++] = (pv_return){pc + PV_SIZE_CALL, base, keep, n};
        base = callee;
        sp = callee + g->nlocals;
        pc = code + g->code_off;
        PV_DISPATCH();
    }
    /* The result replaces the arguments. */
    PV_OP(RET) {
        pv_value r = sp[-1];
        if (ncalls == 0) {
            *result = r;
            st->executed = n;
            return true;
        }
        sp = base;
        *sp++ = r;
        ncalls--;
        if (calls[ncalls].memo)
            pv_memo_keep(st, calls[ncalls].memo, r, n - calls[ncalls].start);
        base = calls[ncalls].base;
        pc = calls[ncalls].pc;
        PV_DISPATCH();
    }

#ifndef PV_COMPUTED_GOTO
    case PB_OP_COUNT: break;
    }
    PV_FAIL("invalid opcode %u (the image was not verified)", *pc);
#endif

over_budget:
    pv_message(err, "instruction budget exceeded (%llu instructions)", (unsigned long long)budget);
fail:
    pv_where(img, (uint32_t)(pc - code), err);
    st->executed = n;
    return false;
}

#if defined(PV_COMPUTED_GOTO)
#pragma GCC diagnostic pop
#endif

/* ---- requirement trees ------------------------------------------------------------ */

typedef struct pv_eval {
    pv_state *st;
    const pb_req *reqs; /* the program's nodes */
    uint8_t *out;       /* and their outcomes, both indexed from its first node */
    const pv_value *facts;
    int32_t today;
    bool remember;      /* calls are remembered (pv_memo_init, no day window) */
    pv_error *err;
} pv_eval;

static bool pv_node(pv_eval *e, uint32_t i, uint8_t *out);

static bool pv_in_force(const pv_eval *e, const pb_req *r)
{
    return pv_force_at(r->from, r->until, e->today) == PV_IN_FORCE;
}

/* Members in order until the group is decided: met once `need` members are
 * met, unmet once the members left cannot make up the difference. Members
 * after that stay PV_NOT_EVALUATED. Members not in force are left out: they
 * are neither needed (`all of`) nor counted. */
static bool pv_group(pv_eval *e, const pb_req *g, uint32_t i, uint8_t *out)
{
    const pb_req *reqs = e->reqs;
    uint32_t in_force = 0;
    for (uint32_t m = 0, j = i + 1; m < g->nchildren; m++, j += reqs[j].size) {
        if (pv_in_force(e, &reqs[j]))
            in_force++;
        else
            e->out[j] = PV_NOT_IN_FORCE; /* whether reached or not */
    }
    uint32_t need = g->kind == PB_R_ALL ? in_force : g->kind == PB_R_ANY ? 1 : g->min;
    uint32_t met = 0, left = in_force, j = i + 1;
    for (;;) {
        if (met >= need) {
            *out = PV_MET;
            return true;
        }
        if (met + left < need) {
            *out = PV_UNMET;
            return true;
        }
        uint8_t o;
        if (!pv_node(e, j, &o))
            return false;
        if (o != PV_NOT_IN_FORCE) {
            met += o == PV_MET;
            left--;
        }
        j += reqs[j].size;
    }
}

static bool pv_node(pv_eval *e, uint32_t i, uint8_t *out)
{
    const pb_req *r = &e->reqs[i];
    uint8_t o;
    if (!pv_in_force(e, r)) {
        o = PV_NOT_IN_FORCE;
    } else if (r->kind == PB_R_LEAF) {
        pv_value v;
        if (!pv_exec_leaf(e->st, e->facts, e->today, r->func, e->remember, &v, e->err))
            return false;
        o = v.as.b && !v.none ? PV_MET : PV_UNMET;
    } else if (!pv_group(e, r, i, &o)) {
        return false;
    }
    e->out[i] = o;
    *out = o;
    return true;
}

/* Program p's tree on e's day, its outcomes into out; e->st and the day's
 * memory are set up. */
static bool pv_run_prog(pv_eval *e, const pb_prog *p, uint8_t *out, bool *eligible)
{
    e->st->executed = 0; /* the budget is per program */
    e->reqs = e->st->img->reqs + p->first_req;
    e->out = out;
    memset(out, 0, p->nreqs);
    *eligible = false;
    if (pv_force_at(p->from, p->until, e->today) != PV_IN_FORCE)
        return true;
    /* Every top-level requirement is evaluated, whatever the others gave, so
     * that the caller can report all that are unmet. */
    bool all = true;
    for (uint32_t i = 0; i < p->nreqs; i += e->reqs[i].size) {
        uint8_t o;
        if (!pv_node(e, i, &o))
            return false;
        if (e->reqs[i].role == PB_ROLE_REQUIRE && o == PV_UNMET)
            all = false;
    }
    /* Outside the enrolment window nobody may enrol; the requirements were
     * still evaluated, so their outcomes show what else stands in the way. */
    *eligible = all && pv_force_at(p->opens, p->closes, e->today) == PV_IN_FORCE;
    return true;
}

/* The evaluation of a run on `today`: its error cleared, the day's memory. */
static pv_eval pv_begin(pv_state *st, const pv_value *facts, int32_t today, pv_error *err)
{
    pv_clear_error(err);
    st->executed = 0;
    pv_memo_day(st, today);
    return (pv_eval){st, NULL, NULL, facts, today, st->memo && !st->track, err};
}

bool pv_run_into(pv_state *st, const pv_value *facts, int32_t today, uint32_t prog, uint8_t *outcomes,
                 bool *eligible, pv_error *err)
{
    pv_error scratch;
    if (!err)
        err = &scratch;
    pv_eval e = pv_begin(st, facts, today, err);
    if (prog >= st->img->nprogs) {
        pv_message(err, "no program %u (the image has %u)", prog, st->img->nprogs);
        return false;
    }
    return pv_run_prog(&e, &st->img->progs[prog], outcomes, eligible);
}

bool pv_run_all(pv_state *st, const pv_value *facts, int32_t today, const size_t *progs, size_t n,
                uint8_t *outcomes, uint8_t *eligible, size_t *failed, pv_error *err)
{
    pv_eval e = pv_begin(st, facts, today, err);
    const pb_image *img = st->img;
    for (size_t k = 0; k < n; k++) {
        size_t i = progs ? progs[k] : k;
        bool ok;
        if (!pv_run_prog(&e, &img->progs[i], outcomes + img->progs[i].first_req, &ok)) {
            *failed = k;
            return false;
        }
        eligible[i] = ok;
    }
    return true;
}

bool pv_run(pv_state *st, const pv_value *facts, int32_t today, uint32_t prog, bool *eligible,
            pv_error *err)
{
    return pv_run_into(st, facts, today, prog, st->outcomes, eligible, err);
}

bool pv_call(pv_state *st, const pv_value *facts, int32_t today, uint32_t func,
             const pv_value *args, pv_value *result, pv_error *err)
{
    pv_error scratch;
    if (!err)
        err = &scratch;
    pv_clear_error(err);
    const pb_image *img = st->img;
    st->executed = 0;
    if (func >= img->nfuncs) {
        pv_message(err, "no function %u (the image has %u)", func, img->nfuncs);
        return false;
    }
    pv_memo_day(st, today);
    for (uint32_t i = 0; i < img->funcs[func].nparams; i++)
        st->stack[i] = args[i];
    return pv_exec(st, facts, today, func, result, err);
}

/* ---- contexts ---------------------------------------------------------------------- */

bool pv_init(pv_state *st, const pb_image *img)
{
    memset(st, 0, sizeof *st);
    st->img = img;
    st->budget = PV_DEFAULT_BUDGET;
    /* At least one of each, so that an empty image still gets real buffers. */
    st->stack = calloc(img->max_frame ? img->max_frame : 1, sizeof *st->stack);
    st->outcomes = calloc(img->max_reqs ? img->max_reqs : 1, sizeof *st->outcomes);
    st->calls = calloc(img->max_calls ? img->max_calls : 1, sizeof *st->calls);
#ifdef PV_STATS
    st->pairs = calloc((size_t)(PB_OP_COUNT + 1) * PB_OP_COUNT, sizeof *st->pairs);
    if (!st->pairs) {
        pv_fini(st);
        return false;
    }
#endif
    if (!st->stack || !st->outcomes || !st->calls) {
        pv_fini(st);
        return false;
    }
    return true;
}

/* Whether functions a and b behave alike: the same code bytes (operands
 * are indices into the one image, jumps are relative), the same locals and
 * parameter types. */
static bool pv_same_code(const pb_image *img, uint32_t a, uint32_t b)
{
    const pb_func *f = &img->funcs[a], *g = &img->funcs[b];
    if (f->code_len != g->code_len || f->nparams != g->nparams || f->nlocals != g->nlocals ||
        memcmp(img->code + f->code_off, img->code + g->code_off, f->code_len) != 0)
        return false;
    for (uint32_t i = 0; i < f->nparams; i++)
        if (pb_type_pack(img->param_types[f->first_param + i]) !=
            pb_type_pack(img->param_types[g->first_param + i]))
            return false;
    return true;
}

/* memo_class: each function's first look-alike, found through a hash of
 * the code (a temporary table, made once per context). */
static bool pv_memo_classes(pv_state *st)
{
    const pb_image *img = st->img;
    size_t cap = 16; /* at most half full, so that every probe ends */
    while (cap / 2 < img->nfuncs)
        cap *= 2;
    uint32_t *table = calloc(cap, sizeof *table); /* slot -> function + 1 */
    if (!table)
        return false;
    for (uint32_t f = 0; f < img->nfuncs; f++) {
        const pb_func *g = &img->funcs[f];
        size_t slot = pb_hash_text((const char *)img->code + g->code_off, g->code_len) & (cap - 1);
        while (table[slot] && !pv_same_code(img, table[slot] - 1, f))
            slot = (slot + 1) & (cap - 1);
        if (!table[slot])
            table[slot] = f + 1;
        st->memo_class[f] = table[slot] - 1;
    }
    free(table);
    return true;
}

bool pv_memo_init(pv_state *st)
{
    const pb_image *img = st->img;
    size_t nf = img->nfuncs ? img->nfuncs : 1, total = 0;
    st->memo_class = calloc(nf, sizeof *st->memo_class);
    st->memo_first = calloc(nf, sizeof *st->memo_first);
    st->memo_ways = calloc(nf, 1);
    if (!st->memo_class || !st->memo_first || !st->memo_ways || !pv_memo_classes(st))
        return false;
    for (uint32_t f = 0; f < img->nfuncs; f++) {
        uint32_t c = st->memo_class[f];
        uint16_t np = img->funcs[f].nparams;
        if (c == f) {
            st->memo_first[f] = (uint32_t)total;
            st->memo_ways[f] = np == 0 ? 1 : np <= PV_MEMO_ARGS ? PV_MEMO_WAYS : 0;
            total += st->memo_ways[f];
        } else {
            st->memo_ways[f] = st->memo_ways[c];
        }
    }
    st->memo = calloc(total ? total : 1, sizeof *st->memo);
    if (!st->memo)
        return false;
    st->memo_count = total;
    st->memo_epoch = 1;
    st->memo_today = INT32_MIN; /* no day yet: the first run starts an epoch */
    return true;
}

#ifdef PV_STATS
/* Appends "FIRST SECOND COUNT" lines (FIRST "-" for a function's first
 * instruction) to $PATHWAY_STATS; bench/pairs.py adds them up. A measuring
 * build's own output, so a file that cannot be opened is skipped silently. */
static void pv_stats_dump(const pv_state *st)
{
    const char *path = getenv("PATHWAY_STATS");
    FILE *out = st->pairs && path ? fopen(path, "a") : NULL;
    if (!out)
        return;
    for (size_t a = 0; a <= PB_OP_COUNT; a++)
        for (size_t b = 0; b < PB_OP_COUNT; b++)
            if (st->pairs[a * PB_OP_COUNT + b])
                fprintf(out, "%s %s %" PRIu64 "\n", a < PB_OP_COUNT ? pb_opinfo_table[a].name : "-",
                        pb_opinfo_table[b].name, st->pairs[a * PB_OP_COUNT + b]);
    fclose(out);
}
#endif

void pv_fini(pv_state *st)
{
#ifdef PV_STATS
    pv_stats_dump(st);
#endif
    free(st->pairs);
    st->pairs = NULL;
    free(st->stack);
    free(st->outcomes);
    free(st->calls);
    free(st->memo);
    free(st->memo_class);
    free(st->memo_first);
    free(st->memo_ways);
    st->stack = NULL;
    st->outcomes = NULL;
    st->calls = NULL;
    st->memo = NULL;
    st->memo_class = NULL;
    st->memo_first = NULL;
    st->memo_ways = NULL;
}
