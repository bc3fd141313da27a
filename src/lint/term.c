/* Terms: the things conditions compare, shared by structural equality, and
 * the range of values each can take (declared bounds, the calendar, what a
 * definition's body allows). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"
#include "util/assert.h"
#include "util/date.h"

/* ---- structural equality ----------------------------------------------------------- */

/* Loop variables bound so far on both sides: local a on the left is local b
 * on the right. */
typedef struct pl_env {
    uint32_t a, b;
    const struct pl_env *up;
} pl_env;

static bool pl_same(const pa_expr *a, const pa_expr *b, const pl_env *env);

static bool pl_same_list(const pa_expr *a, const pa_expr *b, const pl_env *env)
{
    for (; a && b; a = a->next, b = b->next)
        if (!pl_same(a, b, env))
            return false;
    return !a && !b;
}

static bool pl_same_name(const pa_expr *a, const pa_expr *b, const pl_env *env)
{
    if (a->ref != b->ref)
        return false;
    if (a->ref == PA_REF_NONE)
        return strcmp(a->u.name.name, b->u.name.name) == 0;
    if (a->ref == PA_REF_LOCAL)
        for (const pl_env *e = env; e; e = e->up)
            if (e->a == a->ref_index || e->b == b->ref_index)
                return e->a == a->ref_index && e->b == b->ref_index;
    return a->ref_index == b->ref_index;
}

static bool pl_same_quant(const pa_expr *a, const pa_expr *b, const pl_env *env)
{
    if (a->u.quant.q != b->u.quant.q || !pl_same(a->u.quant.list, b->u.quant.list, env))
        return false;
    /* The loop variable is the quantifier's third local. */
    pl_env inner = {a->ref_index + PC_QUANT_VAR, b->ref_index + PC_QUANT_VAR, env};
    if ((a->u.quant.where == NULL) != (b->u.quant.where == NULL) ||
        (a->u.quant.value == NULL) != (b->u.quant.value == NULL))
        return false;
    return (!a->u.quant.where || pl_same(a->u.quant.where, b->u.quant.where, &inner)) &&
           (!a->u.quant.value || pl_same(a->u.quant.value, b->u.quant.value, &inner));
}

static bool pl_same(const pa_expr *a, const pa_expr *b, const pl_env *env)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind)
        return false;
    switch (a->kind) {
    case PA_E_INT: return a->u.i == b->u.i;
    case PA_E_NUM: return a->u.n == b->u.n;
    case PA_E_STR: return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case PA_E_DATE: return a->u.date == b->u.date;
    case PA_E_BOOL: return a->u.b == b->u.b;
    case PA_E_NONE:
    case PA_E_TODAY: return true;
    case PA_E_DURATION:
        return a->u.dur.n == b->u.dur.n && a->u.dur.unit == b->u.dur.unit &&
               pl_same(a->u.dur.count, b->u.dur.count, env);
    case PA_E_NAME: return pl_same_name(a, b, env);
    case PA_E_FIELD:
        return a->ref_rec == b->ref_rec && strcmp(a->u.field.name, b->u.field.name) == 0 &&
               pl_same(a->u.field.obj, b->u.field.obj, env);
    case PA_E_CALL:
        return strcmp(a->u.call.name, b->u.call.name) == 0 && pl_same_list(a->u.call.args, b->u.call.args, env);
    case PA_E_LIST: return pl_same_list(a->u.list.items, b->u.list.items, env);
    case PA_E_UNARY: return a->u.un.op == b->u.un.op && pl_same(a->u.un.a, b->u.un.a, env);
    case PA_E_BINARY:
        return a->u.bin.op == b->u.bin.op && pl_same(a->u.bin.a, b->u.bin.a, env) &&
               pl_same(a->u.bin.b, b->u.bin.b, env);
    case PA_E_IS_NONE: return a->u.isnone.negated == b->u.isnone.negated && pl_same(a->u.isnone.a, b->u.isnone.a, env);
    case PA_E_IF:
        return pl_same(a->u.cond.c, b->u.cond.c, env) && pl_same(a->u.cond.a, b->u.cond.a, env) &&
               pl_same(a->u.cond.b, b->u.cond.b, env);
    case PA_E_BETWEEN:
        return a->u.between.unit == b->u.between.unit && pl_same(a->u.between.a, b->u.between.a, env) &&
               pl_same(a->u.between.b, b->u.between.b, env);
    case PA_E_QUANT: return pl_same_quant(a, b, env);
    case PA_E_DATE_PART: return a->u.part.unit == b->u.part.unit && pl_same(a->u.part.a, b->u.part.a, env);
    case PA_E_MAKE_DATE:
        return pl_same(a->u.make.y, b->u.make.y, env) && pl_same(a->u.make.m, b->u.make.m, env) &&
               pl_same(a->u.make.d, b->u.make.d, env) && pl_same(a->u.make.after, b->u.make.after, env);
    }
    return false;
}

bool pl_expr_equal(const pa_expr *a, const pa_expr *b)
{
    return pl_same(a, b, NULL);
}

bool pl_req_equal(const pa_req *a, const pa_req *b)
{
    if (a->group != b->group)
        return false;
    if (a->group == PA_LEAF)
        return pl_expr_equal(a->cond, b->cond);
    if (a->group == PA_AT_LEAST && a->min != b->min)
        return false;
    const pa_req *x = a->members, *y = b->members;
    for (; x && y; x = x->next, y = y->next)
        if (!pl_req_equal(x, y))
            return false;
    return !x && !y;
}

/* ---- ranges ---------------------------------------------------------------------------- */

typedef struct pl_range {
    bool has_lo, has_hi;
    pl_val lo, hi;
    pl_why lo_why, hi_why;
    bool declared;
} pl_range;

static pl_val pl_int_val(int64_t i)
{
    pl_val v = {i, (double)i};
    return v;
}

/* A literal bound of a field: exact for integers and dates. */
static bool pl_literal_val(const pa_expr *e, pl_val *out)
{
    bool neg = e->kind == PA_E_UNARY && e->u.un.op == PA_OP_NEG;
    const pa_expr *v = neg ? e->u.un.a : e;
    if (v->kind == PA_E_INT && !(neg && v->u.i == INT64_MIN)) {
        *out = pl_int_val(neg ? -v->u.i : v->u.i);
        return true;
    }
    if (v->kind == PA_E_DATE && !neg) {
        *out = pl_int_val(v->u.date);
        return true;
    }
    if (v->kind == PA_E_NUM) {
        /* Only number fields take such bounds: `i` is never read. */
        pl_val r = {0, neg ? -v->u.n : v->u.n};
        *out = r;
        return true;
    }
    return false;
}

static pl_why pl_why_at(const ps_span *span, const char *text)
{
    pl_why w = {text ? text : "", {0, 0, 0}, span != NULL};
    if (span)
        w.span = *span;
    return w;
}

/* A bound as the rules write it: a number or a date. */
static const char *pl_bound_text(pl_ctx *c, bool integral, bool date, pl_val v)
{
    if (date) {
        char b[11];
        pu_date_format((int32_t)v.i, b);
        return pl_format(c, "%s", b);
    }
    return integral ? pl_format(c, "%lld", (long long)v.i) : pl_format(c, "%g", v.d);
}

/* Every date lies in the years the calendar allows. */
static void pl_date_range(pl_range *r)
{
    r->has_lo = r->has_hi = true;
    r->lo = pl_int_val(pu_from_ymd(PU_YEAR_MIN, 1, 1));
    r->hi = pl_int_val(pu_from_ymd(PU_YEAR_MAX, 12, 31));
    r->lo_why = pl_why_at(NULL, "dates are never before 1800-01-01");
    r->hi_why = pl_why_at(NULL, "dates are never after 2999-12-31");
    r->declared = true;
}

static void pl_field_range(pl_ctx *c, const pc_field *f, pl_range *r)
{
    if (f->type.kind == PB_T_DATE)
        pl_date_range(r);
    pl_val v;
    if (f->min && pl_literal_val(f->min, &v)) {
        r->has_lo = true;
        r->lo = v;
        r->lo_why = pl_why_at(&f->min->span,
                              pl_format(c, "`%s` is declared `>= %s` here", f->name, pl_source(c, f->min->span, 40)));
        r->declared = true;
    }
    if (f->max && pl_literal_val(f->max, &v)) {
        r->has_hi = true;
        r->hi = v;
        r->hi_why = pl_why_at(&f->max->span,
                              pl_format(c, "`%s` is declared `<= %s` here", f->name, pl_source(c, f->max->span, 40)));
        r->declared = true;
    }
}

static bool pl_val_less(bool integral, pl_val a, pl_val b)
{
    return integral ? a.i < b.i : a.d < b.d;
}

static void pl_range_of(pl_ctx *c, const pa_expr *e, pl_range *r, unsigned depth);

/* max(a, b) is at least what either is at least; at most what both are at
 * most. min the other way round. */
static void pl_minmax_range(pl_ctx *c, const pa_expr *e, pl_range *r, unsigned depth)
{
    bool is_max = e->ref_index == PC_BI_MAX;
    bool integral = e->type.kind == PB_T_INT;
    pl_range a = {0}, b = {0};
    pl_range_of(c, e->u.call.args, &a, depth + 1);
    pl_range_of(c, e->u.call.args->next, &b, depth + 1);
    const char *call = pl_source(c, e->span, 40);
    if (is_max) {
        pl_range *best = a.has_lo && (!b.has_lo || pl_val_less(integral, b.lo, a.lo)) ? &a : b.has_lo ? &b : NULL;
        if (best) {
            r->has_lo = true;
            r->lo = best->lo;
            r->lo_why = pl_why_at(&e->span, pl_format(c, "`%s` is never below %s", call,
                                                         pl_bound_text(c, integral, false, best->lo)));
        }
    } else {
        pl_range *best = a.has_hi && (!b.has_hi || pl_val_less(integral, a.hi, b.hi)) ? &a : b.has_hi ? &b : NULL;
        if (best) {
            r->has_hi = true;
            r->hi = best->hi;
            r->hi_why = pl_why_at(&e->span, pl_format(c, "`%s` is never above %s", call,
                                                         pl_bound_text(c, integral, false, best->hi)));
        }
    }
}

/* Full years, months or days between two dates of the calendar. */
static void pl_between_range(const pa_expr *e, pl_range *r)
{
    int32_t first = pu_from_ymd(PU_YEAR_MIN, 1, 1), last = pu_from_ymd(PU_YEAR_MAX, 12, 31);
    int64_t most = pu_date_between(first, last, (pu_unit)e->u.between.unit);
    r->has_lo = r->has_hi = true;
    r->lo = pl_int_val(-most);
    r->hi = pl_int_val(most);
    r->lo_why = r->hi_why = pl_why_at(&e->span, "the time between two dates of the years 1800-2999 is bounded");
}

/* `month of D` is 1-12 and `day of D` 1-31 for any date; `year of D` is
 * left open (a date shifted past the calendar still has a year). */
static void pl_part_range(const pa_expr *e, pl_range *r)
{
    if (e->u.part.unit == PA_YEARS)
        return;
    bool month = e->u.part.unit == PA_MONTHS;
    r->has_lo = r->has_hi = true;
    r->lo = pl_int_val(1);
    r->hi = pl_int_val(month ? 12 : 31);
    r->lo_why = r->hi_why = pl_why_at(&e->span, month ? "a month is 1 to 12" : "a day of the month is 1 to 31");
}

static void pl_define_range(pl_ctx *c, const pa_expr *e, pl_range *r, unsigned depth)
{
    const pc_define *def = &c->p->defs[e->ref_index];
    pl_range body = {0};
    pl_range_of(c, def->decl->u.define.body, &body, depth + 1);
    const char *name = def->decl->name;
    bool integral = e->type.kind == PB_T_INT;
    if (body.has_lo) {
        r->has_lo = true;
        r->lo = body.lo;
        r->lo_why = pl_why_at(&def->decl->name_span,
                              pl_format(c, "`%s` is never below %s, by its definition", name,
                                        pl_bound_text(c, integral, false, body.lo)));
    }
    if (body.has_hi) {
        r->has_hi = true;
        r->hi = body.hi;
        r->hi_why = pl_why_at(&def->decl->name_span,
                              pl_format(c, "`%s` is never above %s, by its definition", name,
                                        pl_bound_text(c, integral, false, body.hi)));
    }
}

/* x + y or x - y as exact integers, or as doubles (rounding is monotonic,
 * so the bounds of the parts bound the rounded result); false on overflow. */
static bool pl_combine(bool integral, pl_val x, pl_val y, bool sub, pl_val *out)
{
    if (!integral) {
        pl_val v = {0, sub ? x.d - y.d : x.d + y.d};
        *out = v;
        return isfinite(v.d);
    }
    bool over = sub ? (y.i < 0 && x.i > INT64_MAX + y.i) || (y.i > 0 && x.i < INT64_MIN + y.i)
                    : (y.i > 0 && x.i > INT64_MAX - y.i) || (y.i < 0 && x.i < INT64_MIN - y.i);
    if (over)
        return false;
    *out = pl_int_val(sub ? x.i - y.i : x.i + y.i);
    return true;
}

static bool pl_is_quantity(const pa_expr *e)
{
    return (e->type.kind == PB_T_INT || e->type.kind == PB_T_NUM) && !e->type.optional;
}

/* `a + b` and `a - b` of numbers: the parts' bounds combined, so a total
 * of fields that are never negative is never negative. */
static void pl_arith_range(pl_ctx *c, const pa_expr *e, pl_range *r, unsigned depth)
{
    bool sub = e->u.bin.op == PA_OP_SUB;
    if ((!sub && e->u.bin.op != PA_OP_ADD) || !pl_is_quantity(e) || !pl_is_quantity(e->u.bin.a) ||
        !pl_is_quantity(e->u.bin.b))
        return;
    pl_range a, b;
    pl_range_of(c, e->u.bin.a, &a, depth + 1);
    pl_range_of(c, e->u.bin.b, &b, depth + 1);
    bool integral = e->type.kind == PB_T_INT;
    /* The least of a - b is a's least less b's most. */
    bool b_lo = sub ? b.has_hi : b.has_lo, b_hi = sub ? b.has_lo : b.has_hi;
    pl_val least = sub ? b.hi : b.lo, most = sub ? b.lo : b.hi;
    const char *text = pl_source(c, e->span, 40);
    pl_val v;
    if (a.has_lo && b_lo && pl_combine(integral, a.lo, least, sub, &v)) {
        r->has_lo = true;
        r->lo = v;
        r->lo_why = pl_why_at(&e->span, pl_format(c, "`%s` is never below %s, by the bounds of its parts", text,
                                                     pl_bound_text(c, integral, false, v)));
    }
    if (a.has_hi && b_hi && pl_combine(integral, a.hi, most, sub, &v)) {
        r->has_hi = true;
        r->hi = v;
        r->hi_why = pl_why_at(&e->span, pl_format(c, "`%s` is never above %s, by the bounds of its parts", text,
                                                     pl_bound_text(c, integral, false, v)));
    }
}

/* What is known of the values of e. Dates always; declared bounds of
 * fields; the results of count, max, min, time between dates, and of a
 * named value's definition. */
static void pl_range_of(pl_ctx *c, const pa_expr *e, pl_range *r, unsigned depth)
{
    memset(r, 0, sizeof *r);
    if (depth > 16)
        return;
    if (e->type.kind == PB_T_DATE)
        pl_date_range(r);
    switch (e->kind) {
    case PA_E_INT: case PA_E_DATE: case PA_E_NUM:
        r->has_lo = r->has_hi = pl_literal_val(e, &r->lo);
        r->hi = r->lo;
        break;
    case PA_E_NAME:
        if (e->ref == PA_REF_FACT && c->p->nrecords)
            pl_field_range(c, &c->p->records[0].fields[e->ref_index], r);
        else if (e->ref == PA_REF_DEFINE && e->type.kind != PB_T_DATE && !e->type.optional)
            pl_define_range(c, e, r, depth);
        break;
    case PA_E_FIELD:
        if (e->u.field.obj->type.kind == PB_T_ELEM && PU_ALWAYS(e->ref_rec < c->p->nrecords))
            pl_field_range(c, &c->p->records[e->ref_rec].fields[e->ref_index], r);
        break;
    case PA_E_CALL:
        if (e->ref == PA_REF_BUILTIN && e->u.call.nargs == 2 && !e->type.optional)
            pl_minmax_range(c, e, r, depth);
        break;
    case PA_E_BINARY:
        pl_arith_range(c, e, r, depth);
        break;
    case PA_E_BETWEEN:
        pl_between_range(e, r);
        break;
    case PA_E_DATE_PART:
        pl_part_range(e, r);
        break;
    case PA_E_QUANT:
        if (e->u.quant.q == PA_Q_COUNT) {
            r->has_lo = true;
            r->lo = pl_int_val(0);
            r->lo_why = pl_why_at(&e->span, "a count is never negative");
        }
        break;
    default:
        break;
    }
}

/* ---- the term table --------------------------------------------------------------------- */

void pl_logic_init(pl_logic *L, pl_ctx *c)
{
    memset(L, 0, sizeof *L);
    L->c = c;
}

void pl_logic_fini(pl_logic *L)
{
    free(L->terms);
    L->terms = NULL;
    L->nterms = L->cap = 0;
}

static pl_term *pl_term_add(pl_logic *L)
{
    if (L->nterms == L->cap) {
        uint32_t cap = L->cap ? L->cap * 2 : 32;
        pl_term **t = realloc(L->terms, sizeof *t * cap);
        if (!t) {
            L->c->oom = true;
            return NULL;
        }
        L->terms = t;
        L->cap = cap;
    }
    pl_term *t = pl_alloc(L->c, sizeof *t);
    if (!t)
        return NULL;
    t->id = L->nterms;
    L->terms[L->nterms++] = t;
    return t;
}

/* A call of a definition with a literal text argument that some program
 * grants needs that certificate (PW120). */
static void pl_term_cert(pl_logic *L, pl_term *t, const pa_expr *e)
{
    if (e->kind != PA_E_CALL || e->ref != PA_REF_DEFINE || e->type.kind != PB_T_BOOL)
        return;
    for (const pa_expr *a = e->u.call.args; a; a = a->next)
        if (a->kind == PA_E_STR && pl_granted(L->c, a->u.str.s)) {
            t->cert = a->u.str.s;
            t->cert_arg = a;
            return;
        }
}

static void pl_term_class(pl_term *t, pb_type type)
{
    t->optional = type.optional;
    switch (type.kind) {
    case PB_T_INT: t->cls = PL_C_NUM; t->integral = true; break;
    case PB_T_DATE: t->cls = PL_C_NUM; t->integral = t->is_date = true; break;
    case PB_T_NUM: t->cls = PL_C_NUM; break;
    case PB_T_TEXT: t->cls = PL_C_TEXT; break;
    default: t->cls = PL_C_BOOL; break;
    }
}

const pa_expr *pl_canon(const pl_ctx *c, const pa_expr *e)
{
    for (unsigned depth = 0; depth < 16 && e->kind == PA_E_NAME && e->ref == PA_REF_DEFINE; depth++) {
        const pc_define *def = &c->p->defs[e->ref_index];
        const pa_expr *body = def->decl->u.define.body;
        /* The same kind of value: not a number made of an integer. (A name
         * after `x is not none` is typed plain where the body may be none:
         * still the same value.) */
        if (def->nparams || !body || body->type.kind != e->type.kind)
            break;
        e = body;
    }
    return e;
}

pl_term *pl_term_of(pl_logic *L, const pa_expr *e)
{
    const pa_expr *canon = pl_canon(L->c, e);
    for (uint32_t i = 0; i < L->nterms; i++) {
        pl_term *t = L->terms[i];
        if (!t->opaque && !t->rhs && t->e && pl_expr_equal(t->canon, canon)) {
            /* After `x is not none`, the checker types x as plain; the
             * term may still be none wherever it is not tested. */
            t->optional |= e->type.optional;
            return t;
        }
    }
    pl_term *t = pl_term_add(L);
    if (!t)
        return NULL;
    t->e = e;
    t->canon = canon;
    pl_term_class(t, e->type);
    if (t->cls == PL_C_NUM) {
        pl_range r;
        pl_range_of(L->c, e, &r, 0);
        t->has_lo = r.has_lo;
        t->has_hi = r.has_hi;
        t->lo = r.lo;
        t->hi = r.hi;
        t->lo_why = r.lo_why;
        t->hi_why = r.hi_why;
        t->declared = r.declared;
    }
    pl_term_cert(L, t, e);
    return t;
}

/* `a < b` is the negation of `a >= b`, and `b <= a` the same term: the
 * caller brings every comparison to GE or EQ. */
pl_term *pl_term_pair(pl_logic *L, const pa_expr *a, pa_op op, const pa_expr *b)
{
    for (uint32_t i = 0; i < L->nterms; i++) {
        pl_term *t = L->terms[i];
        if (!t->rhs || t->op != op)
            continue;
        const pa_expr *ta = pl_canon(L->c, t->e), *tb = pl_canon(L->c, t->rhs);
        const pa_expr *ca = pl_canon(L->c, a), *cb = pl_canon(L->c, b);
        if (pl_expr_equal(ta, ca) && pl_expr_equal(tb, cb))
            return t;
        if (op == PA_OP_EQ && pl_expr_equal(ta, cb) && pl_expr_equal(tb, ca))
            return t;
    }
    pl_term *t = pl_term_add(L);
    if (!t)
        return NULL;
    t->cls = PL_C_BOOL;
    t->e = a;
    t->canon = pl_canon(L->c, a);
    t->rhs = b;
    t->op = op;
    return t;
}

pl_term *pl_term_opaque(pl_logic *L, const void *key)
{
    for (uint32_t i = 0; i < L->nterms; i++)
        if (L->terms[i]->opaque == key)
            return L->terms[i];
    pl_term *t = pl_term_add(L);
    if (t) {
        t->cls = PL_C_BOOL;
        t->opaque = key;
    }
    return t;
}
