/* Conditions as formulas over literals `term rel constant`, in negation
 * normal form. What is not taken apart (a call, a quantifier, a comparison
 * of two terms) becomes a boolean term of its own, which only agrees with
 * itself: the formula then allows more than the rules do, never less, so
 * "never" and "always" found on it hold for the rules too. */
#include <math.h>
#include <string.h>

#include "lint_int.h"

/* Deeper conditions are taken whole: the search recurses on them. */
enum { PL_MAX_DEPTH = 64, PL_MAX_CHOICES = 64 };

/* ---- nodes --------------------------------------------------------------------------- */

static const pl_formula pl_true_node = {PL_F_TRUE, {0}, NULL, NULL, 1};
static const pl_formula pl_false_node = {PL_F_FALSE, {0}, NULL, NULL, 1};

static const pl_formula *pl_const_formula(bool v)
{
    return v ? &pl_true_node : &pl_false_node;
}

static uint32_t pl_size_sum(const pl_formula *a, const pl_formula *b)
{
    uint64_t n = (uint64_t)a->size + b->size + 1;
    return n > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)n;
}

static const pl_formula *pl_join(pl_logic *L, pl_fkind kind, const pl_formula *a, const pl_formula *b)
{
    if (!a || !b)
        return NULL;
    pl_fkind absorb = kind == PL_F_AND ? PL_F_FALSE : PL_F_TRUE;
    if (a->kind == absorb || b->kind == absorb)
        return pl_const_formula(absorb == PL_F_TRUE);
    if (a->kind == PL_F_TRUE || a->kind == PL_F_FALSE)
        return b; /* the neutral element */
    if (b->kind == PL_F_TRUE || b->kind == PL_F_FALSE)
        return a;
    pl_formula *f = pl_alloc(L->c, sizeof *f);
    if (!f)
        return NULL;
    f->kind = kind;
    f->a = a;
    f->b = b;
    f->size = pl_size_sum(a, b);
    return f;
}

const pl_formula *pl_and(pl_logic *L, const pl_formula *a, const pl_formula *b)
{
    return pl_join(L, PL_F_AND, a, b);
}

const pl_formula *pl_or(pl_logic *L, const pl_formula *a, const pl_formula *b)
{
    return pl_join(L, PL_F_OR, a, b);
}

const pl_formula *pl_lit_formula(pl_logic *L, const pl_lit *lit)
{
    if (!lit->t)
        return NULL;
    pl_formula *f = pl_alloc(L->c, sizeof *f);
    if (!f)
        return NULL;
    f->kind = PL_F_LIT;
    f->lit = *lit;
    f->size = 1;
    return f;
}

/* ---- negation -------------------------------------------------------------------------- */

static const pl_formula *pl_not_lit(pl_logic *L, const pl_lit *lit)
{
    pl_lit n = *lit;
    if (lit->t->cls == PL_C_BOOL) {
        n.b = !lit->b;
    } else if (lit->t->cls == PL_C_TEXT || lit->none || !lit->t->integral) {
        static const pl_rel flip[] = {[PL_EQ] = PL_NE, [PL_NE] = PL_EQ, [PL_LT] = PL_GE,
                                      [PL_LE] = PL_GT, [PL_GT] = PL_LE, [PL_GE] = PL_LT};
        n.rel = flip[lit->rel];
    } else if (lit->rel == PL_EQ || lit->rel == PL_NE) {
        n.rel = lit->rel == PL_EQ ? PL_NE : PL_EQ;
    } else if (lit->rel == PL_LE) { /* not (x <= c) is x >= c + 1 */
        if (lit->v.i == INT64_MAX)
            return pl_const_formula(false);
        n.rel = PL_GE;
        n.v.i = lit->v.i + 1;
    } else {                        /* not (x >= c) is x <= c - 1 */
        if (lit->v.i == INT64_MIN)
            return pl_const_formula(false);
        n.rel = PL_LE;
        n.v.i = lit->v.i - 1;
    }
    return pl_lit_formula(L, &n);
}

const pl_formula *pl_not(pl_logic *L, const pl_formula *f)
{
    if (!f)
        return NULL;
    switch (f->kind) {
    case PL_F_TRUE: return pl_const_formula(false);
    case PL_F_FALSE: return pl_const_formula(true);
    case PL_F_LIT: return pl_not_lit(L, &f->lit);
    case PL_F_AND: return pl_or(L, pl_not(L, f->a), pl_not(L, f->b));
    case PL_F_OR: return pl_and(L, pl_not(L, f->a), pl_not(L, f->b));
    }
    return NULL;
}

/* ---- constants ------------------------------------------------------------------------------ */

typedef enum pl_ckind { PL_K_INT, PL_K_NUM, PL_K_DATE, PL_K_TEXT, PL_K_BOOL, PL_K_NONE } pl_ckind;

typedef struct pl_const {
    pl_ckind kind;
    int64_t i;
    double d;
    const char *s;
    bool b;
} pl_const;

/* A literal, possibly negated: `18`, `-1`, `2.5`, `"usatf"`, a date,
 * `true`, `none`. */
static bool pl_constant(const pa_expr *e, pl_const *k)
{
    memset(k, 0, sizeof *k);
    bool neg = e->kind == PA_E_UNARY && e->u.un.op == PA_OP_NEG;
    const pa_expr *v = neg ? e->u.un.a : e;
    switch (v->kind) {
    case PA_E_INT:
        if (neg && v->u.i == INT64_MIN)
            return false;
        k->kind = PL_K_INT;
        k->i = neg ? -v->u.i : v->u.i;
        return true;
    case PA_E_NUM:
        k->kind = PL_K_NUM;
        k->d = neg ? -v->u.n : v->u.n;
        return true;
    case PA_E_DATE: k->kind = PL_K_DATE; k->i = v->u.date; return !neg;
    case PA_E_STR: k->kind = PL_K_TEXT; k->s = v->u.str.s; return !neg;
    case PA_E_BOOL: k->kind = PL_K_BOOL; k->b = v->u.b; return !neg;
    case PA_E_NONE: k->kind = PL_K_NONE; return !neg;
    default: return false;
    }
}

static bool pl_numeric_const(const pl_const *k)
{
    return k->kind == PL_K_INT || k->kind == PL_K_NUM || k->kind == PL_K_DATE;
}

static double pl_const_real(const pl_const *k)
{
    return k->kind == PL_K_NUM ? k->d : (double)k->i;
}

/* Both sides constant: the comparison's value, or -1 when it is not one
 * the lint evaluates. */
static int pl_fold(pa_op op, const pl_const *a, const pl_const *b)
{
    int cmp;
    if (pl_numeric_const(a) && pl_numeric_const(b)) {
        if (a->kind != PL_K_NUM && b->kind != PL_K_NUM)
            cmp = (a->i > b->i) - (a->i < b->i);
        else
            cmp = (pl_const_real(a) > pl_const_real(b)) - (pl_const_real(a) < pl_const_real(b));
    } else if (a->kind == PL_K_TEXT && b->kind == PL_K_TEXT) {
        cmp = strcmp(a->s, b->s);
    } else if (a->kind == PL_K_BOOL && b->kind == PL_K_BOOL) {
        cmp = (int)a->b - (int)b->b;
    } else {
        return -1;
    }
    switch (op) {
    case PA_OP_EQ: return cmp == 0;
    case PA_OP_NE: return cmp != 0;
    case PA_OP_LT: return cmp < 0;
    case PA_OP_LE: return cmp <= 0;
    case PA_OP_GT: return cmp > 0;
    case PA_OP_GE: return cmp >= 0;
    default: return -1;
    }
}

static pa_op pl_flip_op(pa_op op)
{
    switch (op) {
    case PA_OP_LT: return PA_OP_GT;
    case PA_OP_LE: return PA_OP_GE;
    case PA_OP_GT: return PA_OP_LT;
    case PA_OP_GE: return PA_OP_LE;
    default: return op;
    }
}

static pl_rel pl_rel_of(pa_op op)
{
    switch (op) {
    case PA_OP_EQ: return PL_EQ;
    case PA_OP_NE: return PL_NE;
    case PA_OP_LT: return PL_LT;
    case PA_OP_LE: return PL_LE;
    case PA_OP_GT: return PL_GT;
    default: return PL_GE;
    }
}

/* ---- comparisons ------------------------------------------------------------------------------ */

static const pl_formula *pl_bool_term(pl_logic *L, const pa_expr *e, bool value)
{
    pl_lit lit = {pl_term_of(L, e), PL_EQ, false, {0, 0}, NULL, value, e, NULL};
    return pl_lit_formula(L, &lit);
}

/* An integer or date term against a number: whole numbers exactly, a
 * fraction rounded to the integers it admits. Sets *decided (and returns
 * the constant formula) when the comparison decides itself. */
static bool pl_integral_bound(pa_op op, const pl_const *k, pl_lit *lit, int *decided)
{
    *decided = -1;
    int64_t c;
    if (k->kind != PL_K_NUM) {
        c = k->i;
    } else if (k->d == floor(k->d) && fabs(k->d) < 9.2e18) {
        c = (int64_t)k->d;
    } else {
        /* x = 2.5 never; x >= 2.5 is x >= 3; x <= 2.5 is x <= 2. */
        if (op == PA_OP_EQ || op == PA_OP_NE) {
            *decided = op == PA_OP_NE;
            return false;
        }
        bool up = op == PA_OP_GE || op == PA_OP_GT;
        double r = up ? ceil(k->d) : floor(k->d);
        if (r > 9.2e18 || r < -9.2e18) {
            *decided = up ? r < 0 : r > 0;
            return false;
        }
        lit->rel = up ? PL_GE : PL_LE;
        lit->v.i = (int64_t)r;
        return true;
    }
    switch (op) {
    case PA_OP_LT:
        if (c == INT64_MIN) {
            *decided = 0;
            return false;
        }
        lit->rel = PL_LE;
        lit->v.i = c - 1;
        break;
    case PA_OP_GT:
        if (c == INT64_MAX) {
            *decided = 0;
            return false;
        }
        lit->rel = PL_GE;
        lit->v.i = c + 1;
        break;
    default:
        lit->rel = pl_rel_of(op);
        lit->v.i = c;
    }
    lit->v.d = (double)lit->v.i;
    return true;
}

/* `te op ke`, ke a constant: a literal on te's term. */
static const pl_formula *pl_term_const(pl_logic *L, const pa_expr *atom, const pa_expr *te, pa_op op,
                                       const pa_expr *ke, const pl_const *k)
{
    pl_term *t = pl_term_of(L, te);
    if (!t)
        return NULL;
    pl_lit lit = {t, pl_rel_of(op), false, {0, 0}, NULL, false, atom, ke};
    if (k->kind == PL_K_NONE && (op == PA_OP_EQ || op == PA_OP_NE) && t->cls != PL_C_BOOL) {
        lit.none = true;
        return pl_lit_formula(L, &lit);
    }
    if (t->cls == PL_C_BOOL && k->kind == PL_K_BOOL && !t->optional && (op == PA_OP_EQ || op == PA_OP_NE)) {
        lit.rel = PL_EQ;
        lit.b = k->b == (op == PA_OP_EQ);
        return pl_lit_formula(L, &lit);
    }
    if (t->cls == PL_C_TEXT && k->kind == PL_K_TEXT && (op == PA_OP_EQ || op == PA_OP_NE)) {
        lit.s = k->s;
        return pl_lit_formula(L, &lit);
    }
    if (t->cls == PL_C_NUM && pl_numeric_const(k)) {
        if (!t->integral) {
            lit.v.d = pl_const_real(k);
            return pl_lit_formula(L, &lit);
        }
        int decided;
        if (!pl_integral_bound(op, k, &lit, &decided))
            return decided >= 0 ? pl_const_formula(decided) : NULL;
        return pl_lit_formula(L, &lit);
    }
    return pl_bool_term(L, atom, true);
}

/* Two expressions that are not constants: one boolean term, GE or EQ. */
static const pl_formula *pl_term_term(pl_logic *L, const pa_expr *atom, const pa_expr *a, pa_op op,
                                      const pa_expr *b)
{
    bool swap = op == PA_OP_LE || op == PA_OP_GT;
    bool positive = op == PA_OP_GE || op == PA_OP_LE || op == PA_OP_EQ;
    pa_op key = op == PA_OP_EQ || op == PA_OP_NE ? PA_OP_EQ : PA_OP_GE;
    pl_lit lit = {pl_term_pair(L, swap ? b : a, key, swap ? a : b), PL_EQ, false, {0, 0}, NULL, positive, atom,
                  NULL};
    return pl_lit_formula(L, &lit);
}

static const pl_formula *pl_compare(pl_logic *L, const pa_expr *e)
{
    const pa_expr *a = e->u.bin.a, *b = e->u.bin.b;
    pl_const ka, kb;
    bool ca = pl_constant(a, &ka), cb = pl_constant(b, &kb);
    pa_op op = e->u.bin.op;
    if (ca && cb) {
        int v = pl_fold(op, &ka, &kb);
        return v >= 0 ? pl_const_formula(v) : pl_bool_term(L, e, true);
    }
    if (cb)
        return pl_term_const(L, e, a, op, b, &kb);
    if (ca)
        return pl_term_const(L, e, b, pl_flip_op(op), a, &ka);
    return pl_term_term(L, e, a, op, b);
}

/* `x in ["a", "b"]` is `x = "a" or x = "b"`; `x in roles` is a term. */
static const pl_formula *pl_membership(pl_logic *L, const pa_expr *e)
{
    const pa_expr *x = e->u.bin.a, *list = e->u.bin.b;
    if (list->kind != PA_E_LIST)
        return pl_bool_term(L, e, true);
    pl_const kx;
    bool cx = pl_constant(x, &kx);
    const pl_formula *f = pl_const_formula(false);
    for (const pa_expr *it = list->u.list.items; it && f; it = it->next) {
        pl_const ki;
        if (!pl_constant(it, &ki))
            return pl_bool_term(L, e, true);
        int v = cx ? pl_fold(PA_OP_EQ, &kx, &ki) : -1;
        if (cx && v < 0)
            return pl_bool_term(L, e, true);
        f = pl_or(L, f, cx ? pl_const_formula(v) : pl_term_const(L, e, x, PA_OP_EQ, it, &ki));
    }
    return f;
}

/* `any x in L where C` never holds when C cannot; `all` always holds when
 * C always does. Otherwise the quantifier is a term. */
static const pl_formula *pl_quantifier(pl_logic *L, const pa_expr *e)
{
    const pa_expr *where = e->u.quant.where;
    if (where && (e->u.quant.q == PA_Q_ANY || e->u.quant.q == PA_Q_ALL)) {
        const pl_formula *inner = pl_formula_expr(L, where);
        if (inner && e->u.quant.q == PA_Q_ANY && pl_satisfiable(L, inner, true, NULL) == PL_UNSAT)
            return pl_const_formula(false);
        if (inner && e->u.quant.q == PA_Q_ALL && pl_satisfiable(L, pl_not(L, inner), true, NULL) == PL_UNSAT)
            return pl_const_formula(true);
    }
    return pl_bool_term(L, e, true);
}

static const pl_formula *pl_is_none(pl_logic *L, const pa_expr *e)
{
    pl_term *t = pl_term_of(L, e->u.isnone.a);
    if (!t)
        return NULL;
    if (t->cls == PL_C_BOOL)
        return pl_bool_term(L, e, true);
    pl_lit lit = {t, e->u.isnone.negated ? PL_NE : PL_EQ, true, {0, 0}, NULL, false, e, NULL};
    return pl_lit_formula(L, &lit);
}

/* `not x`: a literal made from x alone is written as `not x`. */
static const pl_formula *pl_negation(pl_logic *L, const pa_expr *e)
{
    const pl_formula *inner = pl_formula_expr(L, e->u.un.a);
    const pl_formula *f = pl_not(L, inner);
    if (!f || f->kind != PL_F_LIT || inner->kind != PL_F_LIT || inner->lit.atom != e->u.un.a)
        return f;
    pl_lit lit = f->lit;
    lit.atom = e;
    return pl_lit_formula(L, &lit);
}

const pl_formula *pl_formula_expr(pl_logic *L, const pa_expr *e)
{
    if (!e)
        return NULL;
    if (e->depth > PL_MAX_DEPTH)
        return pl_bool_term(L, e, true);
    switch (e->kind) {
    case PA_E_BOOL:
        return pl_const_formula(e->u.b);
    case PA_E_UNARY:
        if (e->u.un.op == PA_OP_NOT)
            return pl_negation(L, e);
        break;
    case PA_E_BINARY:
        switch (e->u.bin.op) {
        case PA_OP_AND: return pl_and(L, pl_formula_expr(L, e->u.bin.a), pl_formula_expr(L, e->u.bin.b));
        case PA_OP_OR: return pl_or(L, pl_formula_expr(L, e->u.bin.a), pl_formula_expr(L, e->u.bin.b));
        case PA_OP_EQ: case PA_OP_NE: case PA_OP_LT: case PA_OP_LE: case PA_OP_GT: case PA_OP_GE:
            return pl_compare(L, e);
        case PA_OP_IN:
            return pl_membership(L, e);
        default:
            break;
        }
        break;
    case PA_E_IS_NONE:
        return pl_is_none(L, e);
    case PA_E_IF: {
        const pl_formula *c = pl_formula_expr(L, e->u.cond.c);
        return pl_or(L, pl_and(L, c, pl_formula_expr(L, e->u.cond.a)),
                     pl_and(L, pl_not(L, c), pl_formula_expr(L, e->u.cond.b)));
    }
    case PA_E_QUANT:
        return pl_quantifier(L, e);
    default:
        break;
    }
    return pl_bool_term(L, e, true);
}

bool pl_comparison_lit(pl_logic *L, const pa_expr *e, pl_lit *out)
{
    if (e->kind != PA_E_BINARY || e->u.bin.op < PA_OP_EQ || e->u.bin.op > PA_OP_GE)
        return false;
    const pl_formula *f = pl_compare(L, e);
    if (!f || f->kind != PL_F_LIT || f->lit.konst == NULL)
        return false;
    *out = f->lit;
    return true;
}

/* ---- requirements ---------------------------------------------------------------------------- */

static uint64_t pl_choose(uint64_t n, uint64_t k)
{
    uint64_t r = 1;
    for (uint64_t i = 1; i <= k && r <= PL_MAX_CHOICES; i++)
        r = r * (n - k + i) / i;
    return r;
}

/* At least `need` of members[i..n): either members[i] and need-1 of the
 * rest, or need of the rest. */
static const pl_formula *pl_at_least(pl_logic *L, const pl_formula **m, uint32_t i, uint32_t n, uint32_t need)
{
    if (need == 0)
        return pl_const_formula(true);
    if (n - i < need)
        return pl_const_formula(false);
    return pl_or(L, pl_and(L, m[i], pl_at_least(L, m, i + 1, n, need - 1)), pl_at_least(L, m, i + 1, n, need));
}

static const pl_formula *pl_member(pl_logic *L, const pa_req *m, const pa_decl *prog)
{
    /* A member not always in force counts for nothing on some days: it may
     * stand for anything. */
    if (!pl_always_in_force(m, prog)) {
        pl_lit lit = {pl_term_opaque(L, m), PL_EQ, false, {0, 0}, NULL, true, NULL, NULL};
        return pl_lit_formula(L, &lit);
    }
    return pl_formula_req(L, m, prog);
}

const pl_formula *pl_formula_req(pl_logic *L, const pa_req *r, const pa_decl *prog)
{
    if (r->group == PA_LEAF)
        return pl_formula_expr(L, r->cond);
    uint32_t n = 0;
    for (const pa_req *m = r->members; m; m = m->next)
        n++;
    const pl_formula **fs = pl_alloc(L->c, sizeof *fs * (n ? n : 1));
    if (!fs)
        return NULL;
    uint32_t i = 0;
    for (const pa_req *m = r->members; m; m = m->next, i++)
        if (!(fs[i] = pl_member(L, m, prog)))
            return NULL;
    uint32_t need = r->group == PA_ALL_OF ? n : r->group == PA_ANY_OF ? 1 : (uint32_t)r->min;
    if (r->group == PA_AT_LEAST && need > 1 && need < n && pl_choose(n, need) > PL_MAX_CHOICES) {
        pl_lit lit = {pl_term_opaque(L, r), PL_EQ, false, {0, 0}, NULL, true, NULL, NULL};
        return pl_lit_formula(L, &lit);
    }
    if (need == n) {
        const pl_formula *f = pl_const_formula(true);
        for (i = 0; i < n && f; i++)
            f = pl_and(L, f, fs[i]);
        return f;
    }
    return pl_at_least(L, fs, 0, n, need);
}
