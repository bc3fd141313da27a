/* What a rule file says about the values its facts take: `known` lists of
 * texts (`known certificate_id = ["usatf-level-1", ...]`, used as `text in
 * certificate_id`) and bounds on numbers and dates (`integer >= 0`). Known
 * lists never restrict facts (coach-record.md: other values simply match
 * nothing); they let the lint catch a misspelt id. Bounds do restrict facts:
 * a value outside is an error for that record. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_int.h"

/* ---- known lists ------------------------------------------------------------ */

static void pc_known_values(pc_ctx *c, pc_known *k)
{
    const pa_expr *list = k->decl->u.known.values;
    if (list->kind != PA_E_LIST || list->u.list.nitems == 0) {
        PC_ERR(c, &list->span, PD_E0370, "`known %s` takes a list of texts in brackets, e.g. "
                                        "[\"usatf\", \"england-athletics\"]", k->decl->name);
        return;
    }
    k->values = pm_alloc(c->arena, sizeof *k->values * list->u.list.nitems);
    if (!k->values) {
        c->d->oom = true;
        return;
    }
    /* By name, so that a list of 100,000 values is not 10^10 comparisons. */
    pc_names seen;
    pc_names_init(&seen, c->arena);
    for (const pa_expr *e = list->u.list.items; e; e = e->next) {
        if (e->kind != PA_E_STR) {
            PC_ERR(c, &e->span, PD_E0371, "a known value is a text in quotes");
            continue;
        }
        uint32_t i;
        if (!pc_names_add(&seen, e->u.str.s, k->nvalues, &i)) {
            if (i == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &e->span, PD_E0372, "\"%s\" is listed twice", e->u.str.s);
            pd_note_add(c->d, dg, &k->values[i]->span, "first listed here");
        }
        k->values[k->nvalues++] = e;
    }
}

void pc_collect_known(pc_ctx *c, const pa_decl *decls)
{
    uint32_t n = 0;
    for (const pa_decl *d = decls; d; d = d->next)
        n += d->kind == PA_D_KNOWN;
    c->p->known = pm_alloc(c->arena, sizeof *c->p->known * (n ? n : 1));
    if (!c->p->known) {
        c->d->oom = true;
        return;
    }
    for (const pa_decl *d = decls; d && !c->d->oom; d = d->next) {
        if (d->kind != PA_D_KNOWN)
            continue;
        uint32_t old;
        if (!pc_names_add(&c->known, d->name, c->p->nknown, &old)) {
            if (old == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &d->name_span, PD_E0373, "`known %s` is declared twice", d->name);
            pd_note_add(c->d, dg, &c->p->known[old].decl->name_span, "first declared here");
            if (c->p->known[old].decl->span.file != d->span.file)
                pd_note_add(c->d, dg, NULL, "to add values to it, write `extend known %s with [\"a\", \"b\"]`",
                            d->name);
            continue;
        }
        pc_known *k = &c->p->known[c->p->nknown++];
        k->decl = d;
        pc_known_values(c, k);
    }
}

uint32_t pc_resolve_known(pc_ctx *c, const pa_typeref *t, pb_type resolved)
{
    if (!t->known)
        return 0;
    if (resolved.kind != PB_T_TEXT && resolved.kind != PB_T_SET) {
        if (resolved.kind != PB_T_VOID)
            PC_ERR(c, &t->known_span, PD_E0374, "only text and `set of text` can be `in` a known list");
        return 0;
    }
    uint32_t k;
    if (pc_names_get(&c->known, t->known, &k))
        return k + 1;
    pd_diag *dg = PC_ERR(c, &t->known_span, PD_E0375, "unknown list `%s`", t->known);
    pc_note_known_name(c, dg, t->known, "declare it with");
    return 0;
}

void pc_note_known_name(pc_ctx *c, pd_diag *dg, const char *name, const char *lead)
{
    pc_suggest s;
    pc_suggest_init(&s, name);
    for (uint32_t i = 0; i < c->p->nknown; i++)
        pc_suggest_offer(&s, c->p->known[i].decl->name);
    if (pc_suggest_result(&s)) {
        pd_note_add(c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(c->d, dg, pc_suggest_result(&s));
    } else {
        pd_note_add(c->d, dg, NULL, "%s `known %s = [\"a\", \"b\"]`", lead, name);
    }
}

/* ---- test data against the lists ------------------------------------------------- */

/* A certificate id some program grants counts as known, as in the lint's
 * PW114: `grants "x"` names a value the facts will hold. */
static bool pc_granted(const pc_ctx *c, const char *s, pc_suggest *sg)
{
    for (uint32_t i = 0; i < c->p->nprogs; i++)
        for (const pa_attr *a = c->p->progs[i]->u.program.attrs; a; a = a->next) {
            if (strcmp(a->name, "grants") != 0 || !a->value || a->value->kind != PA_E_STR)
                continue;
            if (strcmp(a->value->u.str.s, s) == 0)
                return true;
            pc_suggest_offer(sg, a->value->u.str.s);
        }
    return false;
}

static bool pc_known_has(const pc_ctx *c, const pc_known *k, const char *s, pc_suggest *sg)
{
    for (uint32_t i = 0; i < k->nvalues; i++) {
        if (strcmp(k->values[i]->u.str.s, s) == 0)
            return true;
        pc_suggest_offer(sg, k->values[i]->u.str.s);
    }
    return pc_granted(c, s, sg);
}

/* `"x" not known` where it means nothing: no list checks the text, or the
 * list holds it. */
static void pc_needless_not_known(pc_ctx *c, const pc_known *k, const pa_value *v)
{
    pd_diag *dg;
    if (!k) {
        dg = PC_ERR(c, &v->not_known_span, PD_E0385, "`not known` marks a text outside a known list, "
                    "but no known list holds this one");
        pd_note_add(c->d, dg, NULL, "only a field or parameter declared `text in NAME` (or `set of text "
                    "in NAME`) has known values");
    } else {
        dg = PC_ERR(c, &v->not_known_span, PD_E0385, "\"%s\" is a known value of `%s`", v->u.str.s,
                    k->decl->name);
        pd_note_add(c->d, dg, &k->decl->name_span, "the known values of `%s` are listed here",
                    k->decl->name);
    }
    pd_note_add(c->d, dg, NULL, "remove `not known`");
}

void pc_check_known_value(pc_ctx *c, uint32_t known, const pa_value *v)
{
    if (v->kind != PA_V_TEXT)
        return;
    const pc_known *k = known && known <= c->p->nknown ? &c->p->known[known - 1] : NULL;
    pc_suggest sg;
    pc_suggest_init(&sg, v->u.str.s);
    bool has = k && pc_known_has(c, k, v->u.str.s, &sg);
    if (v->not_known) {
        if (!k || has)
            pc_needless_not_known(c, k, v);
        return;
    }
    if (!k || has)
        return;
    const char *s = v->u.str.s;
    pd_diag *dg = PC_ERR(c, &v->span, PD_E0384, "\"%s\" is not a known value of `%s`", s, k->decl->name);
    const char *best = pc_suggest_result(&sg);
    if (best) {
        pd_note_add(c->d, dg, NULL, "did you mean \"%s\"?", best);
        size_t n = strlen(best) + 3;
        char *fix = pm_alloc(c->arena, n);
        if (fix) {
            snprintf(fix, n, "\"%s\"", best);
            pd_set_fix(c->d, dg, fix);
        } else {
            c->d->oom = true; /* the message would lack its fix */
        }
    }
    if (k->decl->span.file == v->span.file)
        pd_note_add(c->d, dg, &k->decl->name_span,
                    "the known values of `%s` are listed here; add it there if it is one", k->decl->name);
    else
        pd_note_add(c->d, dg, &k->decl->name_span,
                    "the known values of `%s` are listed here; if it is one, add it there, or in this "
                    "file with `extend known %s with [\"%s\"]`", k->decl->name, k->decl->name, s);
    pd_note_add(c->d, dg, NULL, "a test about a value outside the list says so: \"%s\" not known", s);
}

/* ---- bounds ------------------------------------------------------------------ */

bool pc_literal_number(const pa_expr *e, double *out)
{
    bool neg = e->kind == PA_E_UNARY && e->u.un.op == PA_OP_NEG;
    const pa_expr *v = neg ? e->u.un.a : e;
    double x;
    switch (v->kind) {
    case PA_E_INT: x = (double)v->u.i; break;
    case PA_E_NUM: x = v->u.n; break;
    case PA_E_DATE:
        if (neg)
            return false;
        x = v->u.date;
        break;
    default: return false;
    }
    *out = neg ? -x : x;
    return true;
}

/* A bound must be a literal the field's type can hold. */
static bool pc_bound_fits(pc_ctx *c, const pc_field *f, const pa_expr *b)
{
    bool neg = b->kind == PA_E_UNARY && b->u.un.op == PA_OP_NEG;
    const pa_expr *v = neg ? b->u.un.a : b;
    bool ok = (f->type.kind == PB_T_INT && v->kind == PA_E_INT) ||
              (f->type.kind == PB_T_NUM && (v->kind == PA_E_INT || v->kind == PA_E_NUM)) ||
              (f->type.kind == PB_T_DATE && v->kind == PA_E_DATE && !neg);
    if (!ok) {
        char tb[64];
        PC_ERR(c, &b->span, PD_E0377, "a bound of `%s` must be a literal %s", f->name,
               pc_type_name(c, f->type, tb, sizeof tb));
    }
    return ok;
}

void pc_field_bounds(pc_ctx *c, pc_field *f, const pa_field *decl)
{
    if (!decl->min && !decl->max)
        return;
    if (f->type.kind != PB_T_INT && f->type.kind != PB_T_NUM && f->type.kind != PB_T_DATE) {
        if (f->type.kind != PB_T_VOID)
            PC_ERR(c, decl->min ? &decl->min->span : &decl->max->span, PD_E0376,
                   "only integer, number and date fields can have bounds (`>= 0`)");
        return;
    }
    if (decl->min && pc_bound_fits(c, f, decl->min))
        f->min = decl->min;
    if (decl->max && pc_bound_fits(c, f, decl->max))
        f->max = decl->max;
    double lo = -INFINITY, hi = INFINITY, d;
    if (f->min)
        pc_literal_number(f->min, &lo);
    if (f->max)
        pc_literal_number(f->max, &hi);
    if (lo > hi) {
        PC_ERR(c, &f->max->span, PD_E0378, "no value of `%s` is both >= its minimum and <= this", f->name);
        return;
    }
    if (f->def == PB_DEF_VALUE && pc_literal_number(f->defexpr, &d) && (d < lo || d > hi)) {
        pd_diag *dg = PC_ERR(c, &f->defexpr->span, PD_E0379, "the default of `%s` is outside its bounds",
                             f->name);
        pd_note_add(c->d, dg, d < lo ? &f->min->span : &f->max->span, "the bound is given here");
    }
}
