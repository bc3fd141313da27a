/* PW130-PW134: what a program says twice, and PW140: requirements without
 * a citation in a file that asks for them. */
#include <string.h>

#include "lint_int.h"
#include "util/assert.h"

static const char *pl_group_word(pa_group g)
{
    return g == PA_ALL_OF ? "all of" : g == PA_ANY_OF ? "any of" : "at least";
}

/* ---- PW130: labels ----------------------------------------------------------------------- */

static void pl_same_labels(pl_ctx *c, const pa_req *list, const char *where)
{
    for (const pa_req *r = list; r; r = r->next)
        for (const pa_req *o = list; o != r; o = o->next)
            if (strcmp(o->label, r->label) == 0) {
                pd_diag *d = pl_report(c, "PW130", &r->label_span, "%s has two requirements labelled \"%s\"",
                                       where, r->label);
                pl_note(c, d, &o->label_span, "the first is here; a coach could not tell which one is unmet");
                break;
            }
}

static void pl_group_labels(pl_ctx *c, const pa_req *r)
{
    for (; r; r = r->next) {
        if (r->group == PA_LEAF)
            continue;
        for (const pa_req *m = r->members; m; m = m->next)
            for (const pa_req *o = r->members; o != m; o = o->next)
                if (strcmp(o->label, m->label) == 0) {
                    pd_diag *d = pl_report(c, "PW130", &m->label_span,
                                           "group \"%s\" has two members labelled \"%s\"", r->label, m->label);
                    pl_note(c, d, &o->label_span, "the first is here");
                    break;
                }
        pl_group_labels(c, r->members);
    }
}

/* ---- PW131: titles --------------------------------------------------------------------------- */

static const char *pl_title(const pa_decl *d)
{
    if (d->u.program.title)
        return d->u.program.title;
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
        if (strcmp(a->name, "title") == 0 && a->value->kind == PA_E_STR)
            return a->value->u.str.s;
    return NULL;
}

static ps_span pl_title_span(const pa_decl *d)
{
    if (d->u.program.title)
        return d->u.program.title_span;
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
        if (strcmp(a->name, "title") == 0)
            return a->value->span;
    return d->name_span;
}

/* Reported at the program of the root: the later one when both are. */
static void pl_same_title(pl_ctx *c, const pa_decl *prog)
{
    const char *title = pl_title(prog);
    if (!title)
        return;
    bool earlier = true;
    for (const pa_decl *d = c->tree->decls; d; d = d->next) {
        if (d == prog) {
            earlier = false;
            continue;
        }
        if (d->kind != PA_D_PROGRAM || strcmp(d->name, prog->name) == 0)
            continue;
        const char *other = pl_title(d);
        if (!other || strcmp(other, title) != 0 || (!earlier && pl_in_root(c, d->span)))
            continue;
        ps_span at = pl_title_span(prog), there = pl_title_span(d);
        pd_diag *dg = pl_report(c, "PW131", &at, "programs `%s` and `%s` have the same title \"%s\"",
                                prog->name, d->name, title);
        pl_note(c, dg, &there, "the title of `%s` is here", d->name);
        return;
    }
}

/* ---- PW132: a preference that is a requirement ---------------------------------------------- */

static void pl_prefer_required(pl_ctx *c, const pa_decl *prog)
{
    for (const pa_req *p = prog->u.program.reqs; p; p = p->next) {
        if (p->role != PA_PREFER)
            continue;
        for (const pa_req *r = prog->u.program.reqs; r; r = r->next) {
            if (r->role != PA_REQUIRE || !pl_req_equal(p, r))
                continue;
            ps_span at = pl_req_span(c, p), there = pl_req_span(c, r);
            pd_diag *d = pl_report(c, "PW132", &at,
                                   "preference \"%s\" has the same condition as requirement \"%s\"", p->label,
                                   r->label);
            pl_note(c, d, &there, "it is required here, so it is never unmet for an eligible coach");
            break;
        }
    }
}

/* ---- PW133: a group of one ------------------------------------------------------------------- */

/* The exact source of a span (no layout folded): a fix's replacement. */
static const char *pl_raw(pl_ctx *c, ps_span s)
{
    if (PU_NEVER(s.file >= c->src->nfiles || s.end > c->src->files[s.file].len || s.end < s.start))
        return NULL;
    char *out = pl_alloc(c, (size_t)(s.end - s.start) + 1);
    if (out)
        memcpy(out, c->src->files[s.file].text + s.start, s.end - s.start);
    return out;
}

static void pl_single_member(pl_ctx *c, const pa_req *r)
{
    for (; r; r = r->next) {
        if (r->group == PA_LEAF)
            continue;
        pl_single_member(c, r->members);
        if (!r->members || r->members->next)
            continue;
        const pa_req *m = r->members;
        ps_span at = pl_group_span(c, r);
        pd_diag *d = pl_report(c, "PW133", &at, "`%s` group \"%s\" has one member", pl_group_word(r->group),
                               r->label);
        pl_note(c, d, NULL, "a group of one is its member: make the member's condition the requirement");
        /* The member's own citation, period or assumption would be lost. */
        if (m->group == PA_LEAF && !m->cite && !m->period.given && !m->assumes) {
            const char *fix = pl_raw(c, m->cond->span);
            if (fix)
                pd_set_fix(c->found, d, fix);
        }
    }
}

/* ---- PW134: members that overlap ---------------------------------------------------------------- */

/* Reports the pair a, b (a written first) when they overlap; returns the
 * member reported, which is not reported again. */
static const pa_req *pl_overlap_pair(pl_ctx *c, pl_logic *L, const pa_req *g, const pa_req *a, const pa_req *b,
                                     const pa_decl *prog)
{
    ps_span sa = pl_req_span(c, a), sb = pl_req_span(c, b);
    if (pl_req_equal(a, b)) {
        pd_diag *d = pl_report(c, "PW134", &sb, "members \"%s\" and \"%s\" of group \"%s\" have the same condition",
                               a->label, b->label, g->label);
        pl_note(c, d, &sa, "\"%s\" is here", a->label);
        return b;
    }
    const pl_formula *fa = pl_formula_req(L, a, prog), *fb = pl_formula_req(L, b, prog);
    if (pl_decide(L, fa, NULL) != PL_MAYBE || pl_decide(L, fb, NULL) != PL_MAYBE)
        return NULL; /* PW110 or PW111 says so */
    bool ab = pl_implies(L, fa, fb), ba = !ab && pl_implies(L, fb, fa);
    if (!ab && !ba)
        return NULL;
    const pa_req *strong = ab ? a : b, *weak = ab ? b : a;
    /* In `any of` the stronger member adds nothing, in `all of` the weaker. */
    const pa_req *extra = g->group == PA_ANY_OF ? strong : g->group == PA_ALL_OF ? weak : b;
    const pa_req *other = extra == a ? b : a;
    ps_span at = extra == a ? sa : sb, there = extra == a ? sb : sa;
    pd_diag *d = pl_report(c, "PW134", &at, "members \"%s\" and \"%s\" of group \"%s\" overlap: whenever \"%s\" "
                           "is met, so is \"%s\"", a->label, b->label, g->label, strong->label, weak->label);
    pl_note(c, d, &there, "\"%s\" is here", other->label);
    if (g->group != PA_AT_LEAST)
        pl_note(c, d, NULL, "\"%s\" changes nothing in an `%s` group", extra->label, pl_group_word(g->group));
    return extra;
}

static bool pl_listed(const pa_req *const *list, uint32_t n, const pa_req *r)
{
    for (uint32_t i = 0; i < n; i++)
        if (list[i] == r)
            return true;
    return false;
}

/* Each pair of members once; a member found redundant is left out of the
 * pairs that follow. */
static void pl_group_overlaps(pl_ctx *c, pl_logic *L, const pa_req *g, const pa_decl *prog)
{
    uint32_t n = 0;
    for (const pa_req *m = g->members; m; m = m->next)
        n++;
    const pa_req **done = pl_alloc(c, sizeof *done * (n ? n : 1));
    uint32_t ndone = 0;
    for (const pa_req *b = g->members; b && done; b = b->next)
        for (const pa_req *a = g->members; a != b && !pl_listed(done, ndone, b); a = a->next) {
            if (pl_listed(done, ndone, a) || !pl_always_in_force(a, prog) || !pl_always_in_force(b, prog))
                continue;
            const pa_req *reported = pl_overlap_pair(c, L, g, a, b, prog);
            if (reported)
                done[ndone++] = reported;
        }
}

static void pl_overlaps(pl_ctx *c, pl_logic *L, const pa_req *r, const pa_decl *prog)
{
    for (; r && !c->oom; r = r->next) {
        if (r->group == PA_LEAF)
            continue;
        pl_group_overlaps(c, L, r, prog);
        pl_overlaps(c, L, r->members, prog);
    }
}

/* ---- the checks ------------------------------------------------------------------------------------ */

void pl_check_duplicates(pl_ctx *c)
{
    for (const pa_decl *d = c->tree->decls; d && !c->oom; d = d->next) {
        if (d->kind != PA_D_PROGRAM || !pl_in_root(c, d->span))
            continue;
        pl_same_labels(c, d->u.program.reqs, pl_format(c, "program %s", pl_program_name(c, d)));
        pl_group_labels(c, d->u.program.reqs);
        pl_same_title(c, d);
        pl_prefer_required(c, d);
        pl_single_member(c, d->u.program.reqs);
        pl_logic L;
        pl_logic_init(&L, c);
        pl_overlaps(c, &L, d->u.program.reqs, d);
        pl_logic_fini(&L);
    }
}

static void pl_uncited(pl_ctx *c, const pa_req *r)
{
    static const char *const what[] = {[PA_REQUIRE] = "requirement", [PA_PREFER] = "preference",
                                       [PA_ADVISE] = "advice", [PA_MEMBER] = "group member"};
    for (; r; r = r->next) {
        if (!r->cite)
            pl_report(c, "PW140", &r->label_span, "%s \"%s\" cites no source (`citing \"...\"`)", what[r->role],
                      r->label);
        pl_uncited(c, r->members);
    }
}

void pl_check_citations(pl_ctx *c)
{
    for (const pa_decl *d = c->tree->decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM && pl_in_root(c, d->span))
            pl_uncited(c, d->u.program.reqs);
}
