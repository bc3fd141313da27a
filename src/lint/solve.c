/* Deciding formulas: a search over the branches of the `or`s, each branch a
 * conjunction of literals checked term by term: intervals for numbers and
 * dates (integers and dates exactly, numbers as reals), one value or
 * excluded values for text, a value for a boolean term; then the
 * relations between terms (relate.c): a term computed from others, and a
 * comparison of two terms, within what the others' literals allow. A
 * branch is refused only when that is proved impossible. */
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

/* Formulas past this many nodes, or searches past this many steps, are
 * left undecided. */
enum { PL_MAX_NODES = 4000, PL_MAX_STEPS = 20000 };

typedef struct pl_search {
    pl_logic *L;
    bool ranges;
    unsigned steps;
    bool gave_up;
    const pl_lit **scratch; /* the literals of one branch, sorted by term */
    const pl_lit **ne;      /* scratch: one term's `!=` literals */
    bool *used;             /* scratch for the relations between terms */
    uint32_t nscratch;
    pl_clash *why;          /* the first contradiction found, or NULL */
} pl_search;

/* ---- one term ----------------------------------------------------------------------- */

/* The strictest bound so far on one side, and what set it. */
typedef struct pl_bound {
    bool has;
    pl_val v;
    bool strict;            /* reals: < or > rather than <= or >= */
    pl_side by;
} pl_bound;

static pl_side pl_by_lit(const pl_lit *l)
{
    pl_side s = {l, NULL};
    return s;
}

static pl_side pl_by_why(const pl_why *w)
{
    pl_side s = {NULL, w};
    return s;
}

static void pl_clash_set(pl_clash *why, const pl_term *t, pl_side a, pl_side b)
{
    if (!why || why->found)
        return;
    why->found = true;
    why->t = t;
    why->a = a;
    why->b = b;
}

/* Is `v (strict)` a tighter lower bound than b? */
static bool pl_tighter_lo(const pl_term *t, const pl_bound *b, pl_val v, bool strict)
{
    if (!b->has)
        return true;
    if (t->integral)
        return v.i > b->v.i;
    return v.d > b->v.d || (v.d == b->v.d && strict && !b->strict);
}

static bool pl_tighter_hi(const pl_term *t, const pl_bound *b, pl_val v, bool strict)
{
    if (!b->has)
        return true;
    if (t->integral)
        return v.i < b->v.i;
    return v.d < b->v.d || (v.d == b->v.d && strict && !b->strict);
}

static void pl_bound_lo(const pl_term *t, pl_bound *b, pl_val v, bool strict, pl_side by)
{
    if (pl_tighter_lo(t, b, v, strict)) {
        b->has = true;
        b->v = v;
        b->strict = strict;
        b->by = by;
    }
}

static void pl_bound_hi(const pl_term *t, pl_bound *b, pl_val v, bool strict, pl_side by)
{
    if (pl_tighter_hi(t, b, v, strict)) {
        b->has = true;
        b->v = v;
        b->strict = strict;
        b->by = by;
    }
}

static bool pl_val_eq(const pl_term *t, pl_val a, pl_val b)
{
    return t->integral ? a.i == b.i : a.d == b.d;
}

/* Are all the values of [lo, hi] among the excluded ones (n literals)?
 * Only a closed interval of integers, or a single real, can be. */
static const pl_lit *pl_all_excluded(const pl_term *t, const pl_bound *lo, const pl_bound *hi,
                                     const pl_lit **ne, uint32_t n)
{
    if (!lo->has || !hi->has || n == 0)
        return NULL;
    if (!t->integral) {
        for (uint32_t k = 0; k < n; k++)
            if (lo->v.d == hi->v.d && ne[k]->v.d == lo->v.d)
                return ne[k];
        return NULL;
    }
    if ((uint64_t)hi->v.i - (uint64_t)lo->v.i >= n)
        return NULL;
    const pl_lit *last = NULL;
    for (int64_t x = lo->v.i;; x++) {
        const pl_lit *hit = NULL;
        for (uint32_t k = 0; k < n && !hit; k++)
            if (ne[k]->v.i == x)
                hit = ne[k];
        if (!hit)
            return NULL;
        last = hit;
        if (x == hi->v.i)
            return last;
    }
}

/* The numbers a term can take under its literals (and range): an interval
 * less some excluded points, or none when the term may be none. */
static bool pl_num_ok(pl_search *s, const pl_term *t, const pl_lit **lits, uint32_t n)
{
    pl_bound lo = {0}, hi = {0};
    const pl_lit *is_none = NULL, *not_none = NULL, *valued = NULL;
    const pl_lit **ne = s->ne; /* the NE literals, apart: the branch's own stay for the relations */
    uint32_t nne = 0;
    for (uint32_t i = 0; i < n; i++) {
        const pl_lit *l = lits[i];
        if (l->none) {
            if (l->rel == PL_EQ)
                is_none = l;
            else
                not_none = l;
            continue;
        }
        if (l->rel == PL_NE) {
            ne[nne++] = l;
            continue;
        }
        valued = l;
        bool strict = l->rel == PL_LT || l->rel == PL_GT;
        if (l->rel == PL_EQ || l->rel == PL_GE || l->rel == PL_GT)
            pl_bound_lo(t, &lo, l->v, strict, pl_by_lit(l));
        if (l->rel == PL_EQ || l->rel == PL_LE || l->rel == PL_LT)
            pl_bound_hi(t, &hi, l->v, strict, pl_by_lit(l));
    }
    if (is_none) {
        const pl_lit *other = not_none ? not_none : valued;
        if (other)
            pl_clash_set(s->why, t, pl_by_lit(is_none), pl_by_lit(other));
        return other == NULL;
    }
    /* none is different from every number: alone it meets every `!=`. */
    if (t->optional && !valued && !not_none)
        return true;
    if (s->ranges && t->has_lo)
        pl_bound_lo(t, &lo, t->lo, false, pl_by_why(&t->lo_why));
    if (s->ranges && t->has_hi)
        pl_bound_hi(t, &hi, t->hi, false, pl_by_why(&t->hi_why));
    if (lo.has && hi.has) {
        bool empty = t->integral ? lo.v.i > hi.v.i
                                 : lo.v.d > hi.v.d || (lo.v.d == hi.v.d && (lo.strict || hi.strict));
        if (empty) {
            pl_clash_set(s->why, t, lo.by, hi.by);
            return false;
        }
    }
    const pl_lit *ex = pl_all_excluded(t, &lo, &hi, ne, nne);
    if (ex) {
        pl_clash_set(s->why, t, pl_val_eq(t, lo.v, hi.v) ? lo.by : hi.by, pl_by_lit(ex));
        return false;
    }
    return true;
}

/* Text: at most one value it must equal, and that one not excluded. */
static bool pl_text_ok(pl_search *s, const pl_term *t, const pl_lit **lits, uint32_t n)
{
    const pl_lit *eq = NULL;
    for (uint32_t i = 0; i < n; i++) {
        const pl_lit *l = lits[i];
        if (l->rel != PL_EQ)
            continue;
        if (eq && (eq->none != l->none || (!l->none && strcmp(eq->s, l->s) != 0))) {
            pl_clash_set(s->why, t, pl_by_lit(eq), pl_by_lit(l));
            return false;
        }
        eq = l;
    }
    if (!eq)
        return true; /* text has more values than any rule excludes */
    for (uint32_t i = 0; i < n; i++) {
        const pl_lit *l = lits[i];
        if (l->rel == PL_NE && l->none == eq->none && (l->none || strcmp(eq->s, l->s) == 0)) {
            pl_clash_set(s->why, t, pl_by_lit(eq), pl_by_lit(l));
            return false;
        }
    }
    return true;
}

static bool pl_bool_ok(pl_search *s, const pl_term *t, const pl_lit **lits, uint32_t n)
{
    const pl_lit *yes = NULL, *no = NULL;
    for (uint32_t i = 0; i < n; i++) {
        if (lits[i]->b)
            yes = yes ? yes : lits[i];
        else
            no = no ? no : lits[i];
    }
    if (yes && no) {
        pl_clash_set(s->why, t, pl_by_lit(yes), pl_by_lit(no));
        return false;
    }
    /* PW120: a certificate no coach can obtain is never held. */
    if (yes && t->cert && s->L->unobtainable && s->L->unobtainable(s->L->user, t->cert))
        return false;
    return true;
}

/* ---- one branch ------------------------------------------------------------------------ */

typedef struct pl_assign {
    const pl_lit *lit;
    const struct pl_assign *up;
} pl_assign;

static int pl_by_term(const void *a, const void *b)
{
    const pl_lit *x = *(const pl_lit *const *)a, *y = *(const pl_lit *const *)b;
    return (x->t->id > y->t->id) - (x->t->id < y->t->id);
}

static bool pl_branch_ok(pl_search *s, const pl_assign *as)
{
    uint32_t n = 0;
    for (const pl_assign *a = as; a && n < s->nscratch; a = a->up)
        s->scratch[n++] = a->lit;
    /* Written order, so that a contradiction names the earlier part first. */
    for (uint32_t i = 0; i < n / 2; i++) {
        const pl_lit *x = s->scratch[i];
        s->scratch[i] = s->scratch[n - 1 - i];
        s->scratch[n - 1 - i] = x;
    }
    /* qsort is not stable; the insertion sort keeps written order per term. */
    for (uint32_t i = 1; i < n; i++) {
        const pl_lit *x = s->scratch[i];
        uint32_t j = i;
        for (; j > 0 && pl_by_term(&s->scratch[j - 1], &x) > 0; j--)
            s->scratch[j] = s->scratch[j - 1];
        s->scratch[j] = x;
    }
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i;
        while (j < n && s->scratch[j]->t == s->scratch[i]->t)
            j++;
        const pl_term *t = s->scratch[i]->t;
        bool ok = t->cls == PL_C_NUM    ? pl_num_ok(s, t, s->scratch + i, j - i)
                  : t->cls == PL_C_TEXT ? pl_text_ok(s, t, s->scratch + i, j - i)
                                        : pl_bool_ok(s, t, s->scratch + i, j - i);
        if (!ok)
            return false;
        i = j;
    }
    /* Each term can hold; those computed from others as their parts allow. */
    return !s->ranges || pl_relations_ok(s->L, s->scratch, n, s->used, s->why);
}

/* ---- the search -------------------------------------------------------------------------- */

typedef struct pl_pending {
    const pl_formula *f;
    const struct pl_pending *up;
} pl_pending;

static pl_sat pl_search_from(pl_search *s, const pl_pending *todo, const pl_assign *as)
{
    if (++s->steps > PL_MAX_STEPS)
        return PL_GAVE_UP;
    if (!todo)
        return pl_branch_ok(s, as) ? PL_SAT : PL_UNSAT;
    const pl_formula *f = todo->f;
    switch (f->kind) {
    case PL_F_TRUE:
        return pl_search_from(s, todo->up, as);
    case PL_F_FALSE:
        return PL_UNSAT;
    case PL_F_LIT: {
        pl_assign a = {&f->lit, as};
        return pl_search_from(s, todo->up, &a);
    }
    case PL_F_AND: {
        pl_pending b = {f->b, todo->up};
        pl_pending a = {f->a, &b};
        return pl_search_from(s, &a, as);
    }
    case PL_F_OR: {
        pl_pending a = {f->a, todo->up};
        pl_sat r = pl_search_from(s, &a, as);
        if (r != PL_UNSAT)
            return r;
        pl_pending b = {f->b, todo->up};
        pl_sat r2 = pl_search_from(s, &b, as);
        return r2;
    }
    }
    return PL_GAVE_UP;
}

static bool pl_has_or(const pl_formula *f)
{
    if (f->kind == PL_F_OR)
        return true;
    return f->kind == PL_F_AND && (pl_has_or(f->a) || pl_has_or(f->b));
}

pl_sat pl_satisfiable(pl_logic *L, const pl_formula *f, bool ranges, pl_clash *why)
{
    if (why)
        memset(why, 0, sizeof *why);
    if (!f || f->size > PL_MAX_NODES)
        return PL_GAVE_UP;
    pl_search s = {L, ranges, 0, false, NULL, NULL, NULL, f->size, NULL};
    s.scratch = malloc(sizeof *s.scratch * (f->size ? f->size : 1));
    s.ne = malloc(sizeof *s.ne * (f->size ? f->size : 1));
    s.used = malloc(sizeof *s.used * (f->size ? f->size : 1));
    if (!s.scratch || !s.ne || !s.used) {
        free(s.scratch);
        free(s.ne);
        free(s.used);
        L->c->oom = true;
        return PL_GAVE_UP;
    }
    /* A contradiction is worth naming only when there is one branch. */
    pl_clash found = {0};
    s.why = why && !pl_has_or(f) ? &found : NULL;
    pl_pending top = {f, NULL};
    pl_sat r = pl_search_from(&s, &top, NULL);
    free(s.scratch);
    free(s.ne);
    free(s.used);
    if (why && r == PL_UNSAT)
        *why = found;
    return r;
}

pl_verdict pl_decide(pl_logic *L, const pl_formula *f, pl_clash *why)
{
    if (why)
        memset(why, 0, sizeof *why);
    if (!f)
        return PL_MAYBE;
    if (pl_satisfiable(L, f, true, why) == PL_UNSAT)
        return PL_NEVER;
    if (pl_satisfiable(L, pl_not(L, f), true, NULL) == PL_UNSAT)
        return PL_ALWAYS;
    return PL_MAYBE;
}

bool pl_implies(pl_logic *L, const pl_formula *a, const pl_formula *b)
{
    const pl_formula *f = pl_and(L, a, pl_not(L, b));
    return f && pl_satisfiable(L, f, true, NULL) == PL_UNSAT;
}
