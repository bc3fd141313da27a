/* Relations between terms: the solver (solve.c) checks each term on its
 * own; a term computed from others must also take a value its parts
 * allow. `total` (`k + n`) is at most what `k` and `n` are at most; `age`
 * (`years since birth_date`) is at least the years from the latest birth
 * date allowed to the earliest `today`; `a >= b` between two terms needs
 * a's most to reach b's least. Bounds are carried forward from the parts
 * (interval arithmetic over functions that only grow or only shrink in
 * each part), so every conclusion holds: a branch is refused only when no
 * values of the parts give the computed term a value its literals allow. */
#include <math.h>
#include <string.h>

#include "lint_int.h"
#include "util/date.h"

/* Values past this are not reasoned about exactly as doubles. */
#define PL_EXACT 4503599627370496.0 /* 2^52 */

typedef struct pl_ival {
    bool lo_ok, hi_ok;
    double lo, hi;
} pl_ival;

typedef struct pl_rel_ctx {
    pl_logic *L;
    const pl_lit **lits;
    uint32_t n;
    bool *used;              /* the literals a conclusion rests on */
} pl_rel_ctx;

static const pl_ival pl_unknown = {false, false, 0, 0};

static pl_ival pl_point(double v)
{
    pl_ival r = {true, true, v, v};
    return r;
}

static bool pl_exact(double v)
{
    return isfinite(v) && fabs(v) <= PL_EXACT;
}

static pl_ival pl_meet(pl_ival a, pl_ival b)
{
    if (b.lo_ok && (!a.lo_ok || b.lo > a.lo)) {
        a.lo_ok = true;
        a.lo = b.lo;
    }
    if (b.hi_ok && (!a.hi_ok || b.hi < a.hi)) {
        a.hi_ok = true;
        a.hi = b.hi;
    }
    return a;
}

/* The range a term is declared or defined to have. */
static pl_ival pl_term_range(const pl_term *t)
{
    pl_ival r = pl_unknown;
    if (t->has_lo && (t->integral ? pl_exact((double)t->lo.i) : pl_exact(t->lo.d))) {
        r.lo_ok = true;
        r.lo = t->integral ? (double)t->lo.i : t->lo.d;
    }
    if (t->has_hi && (t->integral ? pl_exact((double)t->hi.i) : pl_exact(t->hi.d))) {
        r.hi_ok = true;
        r.hi = t->integral ? (double)t->hi.i : t->hi.d;
    }
    return r;
}

/* What the branch's literals allow a number term (`<` read as `<=`: a
 * wider interval, so still sound); unknown when it may be none. */
static pl_ival pl_term_bounds(pl_rel_ctx *x, const pl_term *t, bool mark)
{
    pl_ival r = pl_term_range(t);
    for (uint32_t i = 0; i < x->n; i++) {
        const pl_lit *l = x->lits[i];
        if (l->t != t || l->rel == PL_NE)
            continue;
        if (l->none && l->rel == PL_EQ)
            return pl_unknown;
        if (l->none)
            continue;
        double v = t->integral ? (double)l->v.i : l->v.d;
        if (!pl_exact(v))
            continue;
        pl_ival b = pl_unknown;
        if (l->rel == PL_EQ || l->rel == PL_GE || l->rel == PL_GT) {
            b.lo_ok = true;
            b.lo = v;
        }
        if (l->rel == PL_EQ || l->rel == PL_LE || l->rel == PL_LT) {
            b.hi_ok = true;
            b.hi = v;
        }
        r = pl_meet(r, b);
        if (mark)
            x->used[i] = true;
    }
    return r;
}

/* The number term of the branch with this expression, or NULL. */
static const pl_term *pl_branch_term(pl_rel_ctx *x, const pa_expr *canon)
{
    for (uint32_t i = 0; i < x->n; i++) {
        const pl_term *t = x->lits[i]->t;
        if (t->cls == PL_C_NUM && t->canon && pl_expr_equal(t->canon, canon))
            return t;
    }
    return NULL;
}

static bool pl_numeric(const pa_expr *e)
{
    return e->type.kind == PB_T_INT || e->type.kind == PB_T_NUM || e->type.kind == PB_T_DATE;
}

static pl_ival pl_ival_of(pl_rel_ctx *x, const pa_expr *e, bool maybe_none, unsigned depth);

/* a + b, a - b of numbers: the ends of the parts combined. */
static pl_ival pl_ival_arith(pl_rel_ctx *x, const pa_expr *e, unsigned depth)
{
    bool sub = e->u.bin.op == PA_OP_SUB;
    if (e->type.kind == PB_T_DATE || !pl_numeric(e->u.bin.a) || !pl_numeric(e->u.bin.b) ||
        e->u.bin.a->type.kind == PB_T_DATE || e->u.bin.b->type.kind == PB_T_DATE)
        return pl_unknown;
    pl_ival a = pl_ival_of(x, e->u.bin.a, false, depth + 1), b = pl_ival_of(x, e->u.bin.b, false, depth + 1);
    pl_ival r = pl_unknown;
    if (a.lo_ok && (sub ? b.hi_ok : b.lo_ok)) {
        r.lo = sub ? a.lo - b.hi : a.lo + b.lo;
        r.lo_ok = pl_exact(r.lo);
    }
    if (a.hi_ok && (sub ? b.lo_ok : b.hi_ok)) {
        r.hi = sub ? a.hi - b.lo : a.hi + b.hi;
        r.hi_ok = pl_exact(r.hi);
    }
    return r;
}

/* Full units from a to b grow with b and shrink with a: the least is from
 * a's latest to b's earliest. */
static pl_ival pl_ival_between(pl_rel_ctx *x, const pa_expr *e, unsigned depth)
{
    pl_ival a = pl_ival_of(x, e->u.between.a, false, depth + 1);
    pl_ival b = e->u.between.b ? pl_ival_of(x, e->u.between.b, false, depth + 1) : pl_unknown;
    if (!e->u.between.b) {
        const pl_term *t = pl_branch_term(x, &(pa_expr){.kind = PA_E_TODAY});
        b = t ? pl_term_bounds(x, t, true) : pl_unknown;
        pl_ival cal = {true, true, pu_from_ymd(PU_YEAR_MIN, 1, 1), pu_from_ymd(PU_YEAR_MAX, 12, 31)};
        b = pl_meet(b, cal);
    }
    pl_ival r = pl_unknown;
    pu_unit unit = (pu_unit)e->u.between.unit;
    if (a.hi_ok && b.lo_ok) {
        r.lo_ok = true;
        r.lo = (double)pu_date_between((int32_t)a.hi, (int32_t)b.lo, unit);
    }
    if (a.lo_ok && b.hi_ok) {
        r.hi_ok = true;
        r.hi = (double)pu_date_between((int32_t)a.lo, (int32_t)b.hi, unit);
    }
    return r;
}

/* max(a, b) and min(a, b) grow with both. */
static pl_ival pl_ival_minmax(pl_rel_ctx *x, const pa_expr *e, unsigned depth)
{
    if (e->ref != PA_REF_BUILTIN || e->u.call.nargs != 2 ||
        (e->ref_index != PC_BI_MAX && e->ref_index != PC_BI_MIN))
        return pl_unknown;
    bool is_max = e->ref_index == PC_BI_MAX;
    pl_ival a = pl_ival_of(x, e->u.call.args, false, depth + 1);
    pl_ival b = pl_ival_of(x, e->u.call.args->next, false, depth + 1);
    pl_ival r = pl_unknown;
    if (is_max) {
        r.lo_ok = a.lo_ok || b.lo_ok;
        r.lo = a.lo_ok && b.lo_ok ? fmax(a.lo, b.lo) : a.lo_ok ? a.lo : b.lo;
        r.hi_ok = a.hi_ok && b.hi_ok;
        r.hi = fmax(a.hi, b.hi);
    } else {
        r.hi_ok = a.hi_ok || b.hi_ok;
        r.hi = a.hi_ok && b.hi_ok ? fmin(a.hi, b.hi) : a.hi_ok ? a.hi : b.hi;
        r.lo_ok = a.lo_ok && b.lo_ok;
        r.lo = fmin(a.lo, b.lo);
    }
    return r;
}

/* Whether the branch says a is none (1), is not none (0), or neither (-1). */
static int pl_none_in_branch(pl_rel_ctx *x, const pa_expr *a)
{
    const pa_expr *canon = pl_canon(x->L->c, a);
    for (uint32_t i = 0; i < x->n; i++) {
        const pl_lit *l = x->lits[i];
        if (l->none && l->t->canon && pl_expr_equal(l->t->canon, canon)) {
            x->used[i] = true;
            return l->rel == PL_EQ;
        }
    }
    return -1;
}

/* `a otherwise b` is a (when it is not none) or b: either's values, or
 * the one the branch decides. */
static pl_ival pl_ival_otherwise(pl_rel_ctx *x, const pa_expr *e, unsigned depth)
{
    int none = pl_none_in_branch(x, e->u.bin.a);
    if (none >= 0)
        return none ? pl_ival_of(x, e->u.bin.b, false, depth + 1) : pl_ival_of(x, e->u.bin.a, true, depth + 1);
    pl_ival a = pl_ival_of(x, e->u.bin.a, true, depth + 1), b = pl_ival_of(x, e->u.bin.b, false, depth + 1);
    pl_ival r = {a.lo_ok && b.lo_ok, a.hi_ok && b.hi_ok, fmin(a.lo, b.lo), fmax(a.hi, b.hi)};
    return r;
}

/* A fact, `today`: its term's bounds in the branch, or its range. A term
 * that may be none somewhere only where `otherwise` stands in for none. */
static pl_ival pl_ival_leaf(pl_rel_ctx *x, const pa_expr *e, bool maybe_none)
{
    const pl_term *t = pl_term_of(x->L, e);
    if (!t || t->cls != PL_C_NUM || (t->optional && !maybe_none))
        return pl_unknown;
    const pl_term *b = pl_branch_term(x, e);
    return b ? pl_term_bounds(x, b, true) : pl_term_range(t);
}

/* The values e can take in the branch, by its structure. A value that may
 * be none is reasoned about only where `otherwise` replaces none. */
static pl_ival pl_ival_structure(pl_rel_ctx *x, const pa_expr *e, bool maybe_none, unsigned depth)
{
    switch (e->kind) {
    case PA_E_INT: return pl_point((double)e->u.i);
    case PA_E_NUM: return pl_point(e->u.n);
    case PA_E_DATE: return pl_point(e->u.date);
    case PA_E_TODAY: return pl_ival_leaf(x, e, false);
    case PA_E_NAME: return e->ref == PA_REF_FACT ? pl_ival_leaf(x, e, maybe_none) : pl_unknown;
    case PA_E_BETWEEN: return pl_ival_between(x, e, depth);
    case PA_E_CALL: return pl_ival_minmax(x, e, depth);
    case PA_E_BINARY:
        if (e->u.bin.op == PA_OP_OTHERWISE)
            return pl_ival_otherwise(x, e, depth);
        if (e->u.bin.op == PA_OP_ADD || e->u.bin.op == PA_OP_SUB)
            return pl_ival_arith(x, e, depth);
        return pl_unknown;
    case PA_E_QUANT:
        /* A count is never negative (the other quantifiers are no numbers,
         * or sums of anything). */
        if (e->u.quant.q == PA_Q_COUNT) {
            pl_ival r = {true, false, 0, 0};
            return r;
        }
        return pl_unknown;
    default: return pl_unknown;
    }
}

static pl_ival pl_ival_of(pl_rel_ctx *x, const pa_expr *e, bool maybe_none, unsigned depth)
{
    if (depth > 12 || !pl_numeric(e) || (e->type.optional && !maybe_none))
        return pl_unknown;
    const pa_expr *canon = pl_canon(x->L->c, e);
    pl_ival r = pl_ival_structure(x, canon, maybe_none, depth);
    const pl_term *t = canon->kind == PA_E_TODAY || canon->kind == PA_E_NAME ? NULL : pl_branch_term(x, canon);
    if (t)
        r = pl_meet(r, pl_term_bounds(x, t, true));
    return r;
}

/* "`a`, `b` and `c`": the literals marked, as written. */
static const char *pl_used_text(pl_rel_ctx *x)
{
    pl_ctx *c = x->L->c;
    uint32_t total = 0, k = 0;
    for (uint32_t i = 0; i < x->n; i++)
        total += x->used[i] && x->lits[i]->atom;
    const char *s = "";
    for (uint32_t i = 0; i < x->n; i++) {
        if (!x->used[i] || !x->lits[i]->atom)
            continue;
        k++;
        s = pl_format(c, "%s%s`%s`", s, k == 1 ? "" : k == total ? " and " : ", ",
                      pl_source(c, x->lits[i]->atom->span, 60));
    }
    return s;
}

static const char *pl_num_text(pl_ctx *c, const pl_term *t, double v)
{
    if (t->is_date) {
        char b[11];
        pu_date_format((int32_t)v, b);
        return pl_format(c, "%s", b);
    }
    return t->integral ? pl_format(c, "%lld", (long long)v) : pl_format(c, "%g", v);
}

/* A value of e as the rules write it: a date for a date. */
static const char *pl_expr_num_text(pl_ctx *c, const pa_expr *e, double v)
{
    if (e->type.kind == PB_T_DATE) {
        char b[11];
        pu_date_format((int32_t)v, b);
        return pl_format(c, "%s", b);
    }
    return e->type.kind == PB_T_INT ? pl_format(c, "%lld", (long long)v) : pl_format(c, "%g", v);
}

/* The side of a term's own bounds that the computed values miss: the
 * literal that set it, or its range. */
static pl_side pl_own_side(pl_rel_ctx *x, const pl_term *t, bool upper)
{
    const pl_lit *best = NULL;
    for (uint32_t i = 0; i < x->n; i++) {
        const pl_lit *l = x->lits[i];
        if (l->t != t || l->none || l->rel == PL_NE)
            continue;
        bool is_upper = l->rel == PL_LE || l->rel == PL_LT || l->rel == PL_EQ;
        bool is_lower = l->rel == PL_GE || l->rel == PL_GT || l->rel == PL_EQ;
        if (!(upper ? is_upper : is_lower))
            continue;
        double v = t->integral ? (double)l->v.i : l->v.d, b = best ? (t->integral ? (double)best->v.i : best->v.d) : 0;
        if (!best || (upper ? v < b : v > b))
            best = l;
    }
    pl_side s = {best, best ? NULL : upper ? &t->hi_why : &t->lo_why};
    return s;
}

/* A computed term whose own bounds miss every value its parts allow. */
static bool pl_computed_ok(pl_rel_ctx *x, const pl_term *t, pl_clash *why)
{
    const pa_expr *canon = t->canon;
    if (!canon || t->optional || canon->kind == PA_E_NAME || canon->kind == PA_E_TODAY || canon->kind == PA_E_FIELD)
        return true;
    memset(x->used, 0, sizeof *x->used * x->n);
    pl_ival parts = pl_ival_structure(x, canon, false, 0);
    pl_ival own = pl_term_bounds(x, t, false);
    bool above = parts.lo_ok && own.hi_ok && parts.lo > own.hi; /* the parts give more than it may be */
    bool below = parts.hi_ok && own.lo_ok && parts.hi < own.lo;
    if (!above && !below)
        return true;
    if (why && !why->found) {
        pl_ctx *c = x->L->c;
        pl_why *w = pl_alloc(c, sizeof *w);
        if (!w)
            return false;
        const char *name = pl_source(c, t->e->span, 40), *used = pl_used_text(x);
        w->text = pl_format(c, "`%s` is %s %s %s", name, above ? "at least" : "at most",
                            pl_num_text(c, t, above ? parts.lo : parts.hi),
                            *used ? pl_format(c, "when %s", used) : "by its parts");
        w->has_span = false;
        why->found = true;
        why->t = t;
        why->a = pl_own_side(x, t, above);
        why->b.lit = NULL;
        why->b.why = w;
    }
    return false;
}

/* `a >= b` or `a = b` between two terms, true or false in the branch. */
static bool pl_pair_ok(pl_rel_ctx *x, const pl_lit *l, pl_clash *why)
{
    const pl_term *t = l->t;
    memset(x->used, 0, sizeof *x->used * x->n);
    pl_ival a = pl_ival_of(x, t->e, false, 0), b = pl_ival_of(x, t->rhs, false, 0);
    bool ok = true;
    if (t->op == PA_OP_GE && l->b)       /* a >= b: a's most reaches b's least */
        ok = !(a.hi_ok && b.lo_ok && a.hi < b.lo);
    else if (t->op == PA_OP_GE)          /* a < b */
        ok = !(a.lo_ok && b.hi_ok && a.lo >= b.hi);
    else if (l->b)                       /* a = b: the intervals meet */
        ok = !((a.hi_ok && b.lo_ok && a.hi < b.lo) || (a.lo_ok && b.hi_ok && b.hi < a.lo));
    else                                 /* a != b: not both one and the same value */
        ok = !(a.lo_ok && a.hi_ok && b.lo_ok && b.hi_ok && a.lo == a.hi && b.lo == b.hi && a.lo == b.lo);
    if (ok || !why || why->found)
        return ok;
    pl_ctx *c = x->L->c;
    pl_why *w = pl_alloc(c, sizeof *w);
    if (!w)
        return false;
    const char *used = pl_used_text(x);
    const char *an = pl_source(c, t->e->span, 40), *bn = pl_source(c, t->rhs->span, 40);
    /* a's most below b's least, or a's least at or above b's most. */
    bool below = a.hi_ok && b.lo_ok && a.hi < b.lo && (l->b || t->op != PA_OP_GE);
    const char *how = t->op == PA_OP_EQ && !l->b
                          ? pl_format(c, "`%s` and `%s` are both %s", an, bn, pl_expr_num_text(c, t->e, a.lo))
                      : below ? pl_format(c, "`%s` is at most %s and `%s` at least %s", an,
                                          pl_expr_num_text(c, t->e, a.hi), bn, pl_expr_num_text(c, t->rhs, b.lo))
                              : pl_format(c, "`%s` is at least %s and `%s` at most %s", an,
                                          pl_expr_num_text(c, t->e, a.lo), bn, pl_expr_num_text(c, t->rhs, b.hi));
    w->text = *used ? pl_format(c, "%s when %s", how, used) : pl_format(c, "%s by their ranges", how);
    w->has_span = false;
    why->found = true;
    why->t = t;
    why->a.lit = l;
    why->a.why = NULL;
    why->b.lit = NULL;
    why->b.why = w;
    return false;
}

bool pl_relations_ok(pl_logic *L, const pl_lit **lits, uint32_t n, bool *used, pl_clash *why)
{
    pl_rel_ctx x = {L, lits, n, used};
    for (uint32_t i = 0; i < n; i++) {
        const pl_term *t = lits[i]->t;
        bool first = true;
        for (uint32_t k = 0; k < i && first; k++)
            first = lits[k]->t != t;
        if (t->cls == PL_C_NUM && first && !pl_computed_ok(&x, t, why))
            return false;
        if (t->cls == PL_C_BOOL && t->rhs && !pl_pair_ok(&x, lits[i], why))
            return false;
    }
    return true;
}
