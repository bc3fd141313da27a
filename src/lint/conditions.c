/* PW110-PW113: what the conditions of a program's requirements say about
 * each other. A requirement that no coach can meet (PW110) or that every
 * coach meets (PW111); a `require` implied by another of the same program
 * version (PW112); a comparison that a field's declared range, or the
 * calendar's, decides whatever the coach (PW113). */
#include <string.h>

#include "lint_int.h"

static const char *pl_role_word(pa_role role)
{
    switch (role) {
    case PA_REQUIRE: return "requirement";
    case PA_PREFER: return "preference";
    case PA_ADVISE: return "advice";
    default: return "group member";
    }
}

/* ---- explaining a contradiction ------------------------------------------------------- */

/* The literals of a contradiction in the order they are written, then the
 * range that took part. */
static void pl_order_sides(const pl_clash *why, pl_side out[2])
{
    out[0] = why->a;
    out[1] = why->b;
    bool swap = (out[0].why && !out[1].why) ||
                (out[0].lit && out[1].lit && out[0].lit->atom && out[1].lit->atom &&
                 out[1].lit->atom->span.start < out[0].lit->atom->span.start);
    if (swap) {
        out[0] = why->b;
        out[1] = why->a;
    }
}

static void pl_note_sides(pl_ctx *c, pd_diag *d, const pl_clash *why, const char *first, const char *second)
{
    pl_side sides[2];
    pl_order_sides(why, sides);
    for (int i = 0; i < 2; i++) {
        const pl_side *s = &sides[i];
        if (i == 1 && s->lit && s->lit == sides[0].lit)
            break;
        if (s->why)
            pl_note(c, d, s->why->has_span ? &s->why->span : NULL, "%s", s->why->text);
        else if (s->lit && s->lit->atom)
            pl_note(c, d, &s->lit->atom->span, i == 0 ? first : second, pl_source(c, s->lit->atom->span, 60));
    }
}

/* The two parts of a condition that cannot hold together. */
static void pl_note_never(pl_ctx *c, pd_diag *d, const pl_clash *why)
{
    if (!why->found)
        pl_note(c, d, NULL, "none of its alternatives can be met");
    else
        pl_note_sides(c, d, why, "it needs `%s`", "and `%s`, which cannot hold together with it");
}

/* For a condition always met, the parts of its negation that contradict:
 * the parts of the condition that between them cover every case. */
static void pl_note_always(pl_ctx *c, pd_diag *d, const pl_clash *why)
{
    /* One comparison against its term's range (`month of d <= 12`) holds
     * for every value; two parts cover the cases between them. */
    bool one = (why->a.why != NULL) != (why->b.why != NULL);
    if (why->found)
        pl_note_sides(c, d, why, one ? "`%s` holds for every value it can take" : "`%s` holds in some cases",
                      "and `%s` in all the others");
}

/* The quantifiers in e whose `where` decides them: `any` with a condition
 * no element meets, `all` with one every element meets. */
static bool pl_note_quantifiers(pl_ctx *c, pl_logic *L, pd_diag *d, const pa_expr *e)
{
    if (!e)
        return false;
    switch (e->kind) {
    case PA_E_UNARY: return pl_note_quantifiers(c, L, d, e->u.un.a);
    case PA_E_BINARY: {
        bool a = pl_note_quantifiers(c, L, d, e->u.bin.a);
        return pl_note_quantifiers(c, L, d, e->u.bin.b) || a;
    }
    case PA_E_IF: {
        bool a = pl_note_quantifiers(c, L, d, e->u.cond.a);
        bool b = pl_note_quantifiers(c, L, d, e->u.cond.b);
        return pl_note_quantifiers(c, L, d, e->u.cond.c) || a || b;
    }
    case PA_E_QUANT:
        break;
    default:
        return false;
    }
    const pa_expr *where = e->u.quant.where;
    bool any = e->u.quant.q == PA_Q_ANY;
    if (!where || (!any && e->u.quant.q != PA_Q_ALL))
        return false;
    const pl_formula *w = pl_formula_expr(L, where);
    pl_clash why;
    if (!w || pl_satisfiable(L, any ? w : pl_not(L, w), true, &why) != PL_UNSAT)
        return false;
    pl_note(c, d, &where->span, any ? "no `%s` can meet this" : "every `%s` meets this", e->u.quant.var);
    if (any)
        pl_note_never(c, d, &why);
    else
        pl_note_always(c, d, &why);
    return true;
}

/* A condition its parts decide without any fact: say which parts. */
static void pl_note_constant(pl_ctx *c, pl_logic *L, pd_diag *d, const pa_req *r)
{
    if (r->group != PA_LEAF || !pl_note_quantifiers(c, L, d, r->cond))
        pl_note(c, d, NULL, "no fact of the coach enters into it: its parts decide it on their own");
}

/* A contradiction with a declared range is one comparison the range
 * decides, which PW113 reports. */
static bool pl_declared_clash(const pl_clash *why)
{
    return why->found && (why->a.why || why->b.why) && why->t && why->t->declared;
}

/* ---- PW113 ----------------------------------------------------------------------------- */

/* A comparison `field op constant` that the field's declared range (or
 * the calendar) decides: PL_NEVER or PL_ALWAYS, with the bound in *why. */
static pl_verdict pl_range_decides(pl_logic *L, const pa_expr *e, pl_lit *lit, pl_clash *why)
{
    if (!pl_comparison_lit(L, e, lit) || !lit->t->declared)
        return PL_MAYBE;
    const pl_formula *f = pl_lit_formula(L, lit);
    if (f && pl_satisfiable(L, f, true, why) == PL_UNSAT && why->found)
        return PL_NEVER;
    if (f && pl_satisfiable(L, pl_not(L, f), true, why) == PL_UNSAT && why->found)
        return PL_ALWAYS;
    return PL_MAYBE;
}

static void pl_report_range(pl_ctx *c, pl_logic *L, const pa_expr *e)
{
    pl_lit lit;
    pl_clash why;
    pl_verdict v = pl_range_decides(L, e, &lit, &why);
    if (v == PL_MAYBE)
        return;
    /* The side compared, as written here (the term may have been met first
     * elsewhere, under another loop variable's name). */
    const pa_expr *side = e->u.bin.a == lit.konst ? e->u.bin.b : e->u.bin.a;
    const char *cmp = pl_source(c, e->span, 60), *term = pl_source(c, side->span, 40);
    pd_diag *d = v == PL_NEVER
                     ? pl_report(c, "PW113", &lit.konst->span,
                                 "`%s` is never true: this value is outside the range of `%s`", cmp, term)
                     : pl_report(c, "PW113", &lit.konst->span,
                                 "`%s` is always true: every value `%s` can take meets it", cmp, term);
    const pl_why *bound = why.a.why ? why.a.why : why.b.why;
    if (d && bound)
        pl_note(c, d, bound->has_span ? &bound->span : NULL, "%s", bound->text);
}

static void pl_ranges_in(pl_ctx *c, pl_logic *L, const pa_expr *e);

static void pl_ranges_in(pl_ctx *c, pl_logic *L, const pa_expr *e);

typedef struct pl_ranges_walk {
    pl_ctx *c;
    pl_logic *L;
} pl_ranges_walk;

static void pl_ranges_child(void *w, const pa_expr *e)
{
    pl_ranges_walk *x = w;
    pl_ranges_in(x->c, x->L, e);
}

/* Every comparison inside e. */
static void pl_ranges_in(pl_ctx *c, pl_logic *L, const pa_expr *e)
{
    if (!e || c->oom)
        return;
    if (e->kind == PA_E_BINARY)
        pl_report_range(c, L, e);
    pl_ranges_walk w = {c, L};
    pa_each_child(e, pl_ranges_child, &w);
}

static void pl_ranges_in_reqs(pl_ctx *c, pl_logic *L, const pa_req *r)
{
    for (; r; r = r->next) {
        pl_ranges_in(c, L, r->cond);
        pl_ranges_in_reqs(c, L, r->members);
    }
}

/* ---- PW110, PW111 ------------------------------------------------------------------------- */

/* A condition that is one comparison PW113 reports says it all. */
static bool pl_said_by_range(pl_logic *L, const pa_req *r)
{
    pl_lit lit;
    pl_clash why;
    return r->group == PA_LEAF && pl_range_decides(L, r->cond, &lit, &why) != PL_MAYBE;
}

/* Checks a requirement node after its members; a group is reported only
 * when no member already explains it. */
static pl_verdict pl_check_node(pl_ctx *c, pl_logic *L, const pa_decl *prog, const pa_req *r)
{
    bool member_never = false, member_always = false;
    for (const pa_req *m = r->members; m; m = m->next) {
        pl_verdict v = pl_check_node(c, L, prog, m);
        member_never = member_never || v == PL_NEVER;
        member_always = member_always || v == PL_ALWAYS;
    }
    const pl_formula *f = pl_formula_req(L, r, prog);
    pl_clash why = {0};
    pl_verdict v = pl_decide(L, f, &why);
    if (v == PL_ALWAYS && pl_satisfiable(L, pl_not(L, f), true, &why) != PL_UNSAT)
        memset(&why, 0, sizeof why);
    if (v == PL_MAYBE || (v == PL_NEVER ? member_never : member_always) || pl_said_by_range(L, r) ||
        pl_declared_clash(&why))
        return v;
    ps_span at = pl_req_span(c, r);
    pd_diag *d;
    if (v == PL_NEVER)
        d = pl_report(c, "PW110", &at, "%s \"%s\" can never be met", pl_role_word(r->role), r->label);
    else
        d = pl_report(c, "PW111", &at, "%s \"%s\" is always met, whatever the coach's facts",
                      pl_role_word(r->role), r->label);
    if (f->kind == PL_F_TRUE || f->kind == PL_F_FALSE)
        pl_note_constant(c, L, d, r);
    else if (v == PL_NEVER)
        pl_note_never(c, d, &why);
    else
        pl_note_always(c, d, &why);
    return v;
}

/* ---- PW112 ---------------------------------------------------------------------------------- */

static void pl_in_force(const pa_req *r, const pa_decl *prog, int32_t *from, int32_t *until)
{
    const pa_period *p = &prog->u.program.period;
    *from = p->given ? p->from : PA_DATE_OPEN_FROM;
    *until = p->given ? p->until : PA_DATE_OPEN_UNTIL;
    if (r->period.given) {
        *from = r->period.from > *from ? r->period.from : *from;
        *until = r->period.until < *until ? r->period.until : *until;
    }
}

/* `strong` is in force whenever `weak` is. */
static bool pl_covers(const pa_req *strong, const pa_req *weak, const pa_decl *prog)
{
    int32_t sf, su, wf, wu;
    pl_in_force(strong, prog, &sf, &su);
    pl_in_force(weak, prog, &wf, &wu);
    return sf <= wf && su >= wu;
}

typedef struct pl_top {
    const pa_req *r;
    const pl_formula *f;
    pl_verdict v;
} pl_top;

static void pl_report_implied(pl_ctx *c, const pl_top *weak, const pl_top *strong, bool same)
{
    ps_span at = pl_req_span(c, weak->r), other = pl_req_span(c, strong->r);
    pd_diag *d = same ? pl_report(c, "PW112", &at, "requirement \"%s\" says the same as requirement \"%s\"",
                                  weak->r->label, strong->r->label)
                      : pl_report(c, "PW112", &at, "requirement \"%s\" is implied by requirement \"%s\"",
                                  weak->r->label, strong->r->label);
    pl_note(c, d, &other, same ? "\"%s\" is required here" : "whenever \"%s\" is met, so is \"%s\"",
            strong->r->label, weak->r->label);
}

static void pl_check_implied(pl_ctx *c, pl_logic *L, const pa_decl *prog, pl_top *tops, uint32_t n)
{
    for (uint32_t i = 0; i < n && !c->oom; i++) {
        if (tops[i].v != PL_MAYBE)
            continue;
        for (uint32_t j = 0; j < n; j++) {
            if (j == i || tops[j].v != PL_MAYBE || !pl_covers(tops[j].r, tops[i].r, prog) ||
                !pl_implies(L, tops[j].f, tops[i].f))
                continue;
            bool same = pl_covers(tops[i].r, tops[j].r, prog) && pl_implies(L, tops[i].f, tops[j].f);
            if (same && j > i)
                continue; /* the later of two equal ones is reported */
            pl_report_implied(c, &tops[i], &tops[j], same);
            break;
        }
    }
}

/* ---- a program ------------------------------------------------------------------------------- */

static void pl_check_program(pl_ctx *c, const pa_decl *prog)
{
    pl_logic L;
    pl_logic_init(&L, c);
    uint32_t n = 0;
    for (const pa_req *r = prog->u.program.reqs; r; r = r->next)
        n += r->role == PA_REQUIRE;
    pl_top *tops = pl_alloc(c, sizeof *tops * (n ? n : 1));
    uint32_t k = 0;
    for (const pa_req *r = prog->u.program.reqs; r && tops && !c->oom; r = r->next) {
        pl_verdict v = pl_check_node(c, &L, prog, r);
        if (r->role == PA_REQUIRE)
            tops[k++] = (pl_top){r, pl_formula_req(&L, r, prog), v};
    }
    if (tops && !c->oom)
        pl_check_implied(c, &L, prog, tops, k);
    pl_ranges_in_reqs(c, &L, prog->u.program.reqs);
    pl_logic_fini(&L);
}

void pl_check_conditions(pl_ctx *c)
{
    for (const pa_decl *d = c->tree->decls; d && !c->oom; d = d->next) {
        if (!pl_in_root(c, d->span))
            continue;
        if (d->kind == PA_D_PROGRAM) {
            pl_check_program(c, d);
        } else if (d->kind == PA_D_DEFINE) {
            pl_logic L;
            pl_logic_init(&L, c);
            pl_ranges_in(c, &L, d->u.define.body);
            pl_logic_fini(&L);
        }
    }
}
