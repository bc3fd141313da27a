/* PW120: programs no coach can ever become eligible for. A program version
 * is reachable when its `require`s can be met, each and together, given which
 * certificates can be had: a certificate that some program grants can be
 * had only by completing a reachable version of such a program; one that
 * no program grants is taken to come from outside the pathway. Starting
 * from nothing reachable, versions are added until none more can be; what
 * is left either has a requirement that can never be met, or needs a
 * certificate only unreachable programs grant: a cycle in the pathway, or
 * a chain that ends in such a program. */
#include <string.h>

#include "lint_int.h"

typedef struct pl_edge {
    uint32_t to;              /* a version that grants the certificate */
    const pa_expr *call;      /* the call that needs it */
    const char *cert;
} pl_edge;

typedef struct pl_version {
    const pa_decl *d;
    bool reached;
    const pa_req **reqs;      /* the `require`s in force whenever the version is */
    const pl_formula **fs;
    uint32_t nreqs;
    const pa_req *never;      /* one that can never be met, certificates or not */
    pl_edge *edges;
    uint32_t nedges;
} pl_version;

typedef struct pl_reach {
    pl_ctx *c;
    pl_logic L;
    pl_version *v;
    uint32_t n;
} pl_reach;

static bool pl_grants(const pa_decl *d, const char *cert)
{
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
        if (strcmp(a->name, "grants") == 0 && a->value->kind == PA_E_STR && strcmp(a->value->u.str.s, cert) == 0)
            return true;
    return false;
}

/* pl_logic's question: can no coach have this certificate (yet)? */
static bool pl_unobtainable(void *user, const char *cert)
{
    const pl_reach *R = user;
    for (uint32_t i = 0; i < R->n; i++)
        if (R->v[i].reached && pl_grants(R->v[i].d, cert))
            return false;
    return true;
}

/* ---- the versions and their requirements ------------------------------------------------- */

static bool pl_version_init(pl_reach *R, pl_version *v, const pa_decl *d)
{
    v->d = d;
    uint32_t n = 0;
    for (const pa_req *r = d->u.program.reqs; r; r = r->next)
        n += r->role == PA_REQUIRE;
    v->reqs = pl_alloc(R->c, sizeof *v->reqs * (n ? n : 1));
    v->fs = pl_alloc(R->c, sizeof *v->fs * (n ? n : 1));
    if (!v->reqs || !v->fs)
        return false;
    for (const pa_req *r = d->u.program.reqs; r; r = r->next) {
        /* A requirement in force only part of the time blocks nobody on the
         * other days. */
        if (r->role != PA_REQUIRE || !pl_always_in_force(r, d))
            continue;
        const pl_formula *f = pl_formula_req(&R->L, r, d);
        if (!f)
            continue; /* out of memory, or too large: assumed meetable */
        v->reqs[v->nreqs] = r;
        v->fs[v->nreqs++] = f;
    }
    return true;
}

/* The conjunction of the version's requirements (true when it has none). */
static const pl_formula *pl_version_all(pl_reach *R, const pl_version *v)
{
    const pl_formula *f = NULL;
    for (uint32_t k = 0; k < v->nreqs; k++)
        f = f ? pl_and(&R->L, f, v->fs[k]) : v->fs[k];
    return f;
}

/* Each requirement can be met, and all of them together (PW150: a version
 * whose requirements exclude each other grants nothing). */
static bool pl_version_meetable(pl_reach *R, const pl_version *v)
{
    for (uint32_t k = 0; k < v->nreqs; k++)
        if (pl_satisfiable(&R->L, v->fs[k], true, NULL) == PL_UNSAT)
            return false;
    const pl_formula *all = pl_version_all(R, v);
    return !all || pl_satisfiable(&R->L, all, true, NULL) != PL_UNSAT;
}

/* Its requirements cannot hold together whatever certificates a coach
 * has: PW150 reports that, so PW120 does not. */
static bool pl_conflicting(pl_reach *R, const pl_version *v)
{
    R->L.unobtainable = NULL;
    /* The requirements PW150 weighs: those it can tell can be met alone. */
    const pl_formula *all = NULL;
    uint32_t n = 0;
    for (uint32_t k = 0; k < v->nreqs; k++)
        if (pl_satisfiable(&R->L, v->fs[k], true, NULL) == PL_SAT) {
            all = all ? pl_and(&R->L, all, v->fs[k]) : v->fs[k];
            n++;
        }
    bool conflict = n >= 2 && all && pl_satisfiable(&R->L, all, true, NULL) == PL_UNSAT;
    R->L.unobtainable = pl_unobtainable;
    return conflict;
}

static void pl_fixpoint(pl_reach *R)
{
    for (bool changed = true; changed && !R->c->oom;) {
        changed = false;
        for (uint32_t i = 0; i < R->n; i++)
            if (!R->v[i].reached && pl_version_meetable(R, &R->v[i]))
                changed = R->v[i].reached = true;
    }
}

/* A requirement that can never be met even with every certificate. */
static const pa_req *pl_never_met(pl_reach *R, const pl_version *v)
{
    R->L.unobtainable = NULL;
    const pa_req *found = NULL;
    for (uint32_t k = 0; k < v->nreqs && !found; k++)
        if (pl_satisfiable(&R->L, v->fs[k], true, NULL) == PL_UNSAT)
            found = v->reqs[k];
    R->L.unobtainable = pl_unobtainable;
    return found;
}

/* ---- what an unreachable version waits for ------------------------------------------------ */

static void pl_add_edges(pl_reach *R, pl_version *v, const pl_lit *lit)
{
    if (!lit->t->cert || !lit->b || !lit->atom || !pl_unobtainable(R, lit->t->cert))
        return;
    for (uint32_t to = 0; to < R->n; to++) {
        if (!pl_grants(R->v[to].d, lit->t->cert))
            continue;
        bool dup = false;
        for (uint32_t k = 0; k < v->nedges && !dup; k++)
            dup = v->edges[k].to == to && strcmp(v->edges[k].cert, lit->t->cert) == 0;
        if (!dup)
            v->edges[v->nedges++] = (pl_edge){to, lit->atom, lit->t->cert};
    }
}

static uint32_t pl_count_lits(const pl_formula *f)
{
    if (f->kind == PL_F_LIT)
        return 1;
    if (f->kind == PL_F_AND || f->kind == PL_F_OR)
        return pl_count_lits(f->a) + pl_count_lits(f->b);
    return 0;
}

static void pl_edges_in(pl_reach *R, pl_version *v, const pl_formula *f)
{
    if (f->kind == PL_F_LIT)
        pl_add_edges(R, v, &f->lit);
    else if (f->kind == PL_F_AND || f->kind == PL_F_OR) {
        pl_edges_in(R, v, f->a);
        pl_edges_in(R, v, f->b);
    }
}

/* The certificates that the failing requirements of v need, each to
 * every version that grants it. */
static void pl_version_edges(pl_reach *R, pl_version *v)
{
    uint32_t room = 0;
    for (uint32_t k = 0; k < v->nreqs; k++)
        room += pl_count_lits(v->fs[k]);
    v->edges = pl_alloc(R->c, sizeof *v->edges * ((size_t)room * R->n + 1));
    if (!v->edges)
        return;
    bool one = false;
    for (uint32_t k = 0; k < v->nreqs; k++)
        if (pl_satisfiable(&R->L, v->fs[k], true, NULL) == PL_UNSAT) {
            pl_edges_in(R, v, v->fs[k]);
            one = true;
        }
    /* Only together do they fail: every certificate they need counts. */
    for (uint32_t k = 0; k < v->nreqs && !one; k++)
        pl_edges_in(R, v, v->fs[k]);
}

/* A path from `at` back to `goal` through unreachable versions: the edge
 * taken from each version on it, in order, into path[]. */
static bool pl_cycle_from(pl_reach *R, uint32_t at, uint32_t goal, bool *seen, const pl_edge **path,
                          uint32_t *len)
{
    const pl_version *v = &R->v[at];
    for (uint32_t k = 0; k < v->nedges; k++) {
        const pl_edge *e = &v->edges[k];
        path[(*len)++] = e;
        if (e->to == goal)
            return true;
        if (!seen[e->to]) {
            seen[e->to] = true;
            if (pl_cycle_from(R, e->to, goal, seen, path, len))
                return true;
        }
        (*len)--;
    }
    return false;
}

/* ---- reporting ----------------------------------------------------------------------------- */

/* `a` needs "x", which `b` grants: one step of a cycle. */
static void pl_note_step(pl_reach *R, pd_diag *d, uint32_t from, const pl_edge *e)
{
    pl_ctx *c = R->c;
    pl_note(c, d, &e->call->span, "%s needs \"%s\", which %s grants", pl_program_name(c, R->v[from].d), e->cert,
            pl_program_name(c, R->v[e->to].d));
}

/* Each certificate v waits for, once, with every program that grants it. */
static void pl_note_waits(pl_reach *R, pd_diag *d, const pl_version *v)
{
    pl_ctx *c = R->c;
    for (uint32_t k = 0; k < v->nedges; k++) {
        const pl_edge *e = &v->edges[k];
        bool first = true;
        for (uint32_t j = 0; j < k && first; j++)
            first = strcmp(v->edges[j].cert, e->cert) != 0;
        if (!first)
            continue;
        const char *who = pl_program_name(c, R->v[e->to].d);
        uint32_t n = 1;
        for (uint32_t j = k + 1; j < v->nedges; j++)
            if (strcmp(v->edges[j].cert, e->cert) == 0) {
                who = pl_format(c, "%s, %s", who, pl_program_name(c, R->v[v->edges[j].to].d));
                n++;
            }
        pl_note(c, d, &e->call->span, "it needs \"%s\", which only %s %s, and no coach can become eligible for %s",
                e->cert, who, n == 1 ? "grants" : "grant", n == 1 ? "it" : "them");
    }
}

static void pl_report_cycle(pl_reach *R, pd_diag *d, uint32_t i, const pl_edge **path, uint32_t len)
{
    pl_ctx *c = R->c;
    const char *chain = pl_program_name(c, R->v[i].d);
    for (uint32_t k = 0; k < len; k++)
        chain = pl_format(c, "%s → %s", chain, pl_program_name(c, R->v[path[k]->to].d));
    pl_note(c, d, NULL, "its prerequisites form a cycle: %s", chain);
    uint32_t from = i;
    for (uint32_t k = 0; k < len; k++) {
        pl_note_step(R, d, from, path[k]);
        from = path[k]->to;
    }
}

static void pl_report_version(pl_reach *R, uint32_t i, bool *seen, const pl_edge **path)
{
    pl_ctx *c = R->c;
    pl_version *v = &R->v[i];
    if (!pl_never_met(R, v) && pl_conflicting(R, v))
        return;
    pd_diag *d = pl_report(c, "PW120", &v->d->name_span, "no coach can ever become eligible for program %s",
                           pl_program_name(c, v->d));
    const pa_req *never = pl_never_met(R, v);
    if (never) {
        ps_span at = pl_req_span(c, never);
        pl_note(c, d, &at, "requirement \"%s\" can never be met", never->label);
        return;
    }
    memset(seen, 0, sizeof *seen * R->n);
    uint32_t len = 0;
    if (pl_cycle_from(R, i, i, seen, path, &len)) {
        pl_report_cycle(R, d, i, path, len);
        return;
    }
    pl_note_waits(R, d, v);
}

/* Edges of every unreachable version, so that a cycle can be followed
 * through versions of other files. */
static void pl_all_edges(pl_reach *R)
{
    for (uint32_t i = 0; i < R->n && !R->c->oom; i++)
        if (!R->v[i].reached)
            pl_version_edges(R, &R->v[i]);
}

void pl_check_reach(pl_ctx *c)
{
    pl_reach R = {c, {0}, NULL, 0};
    pl_logic_init(&R.L, c);
    R.L.unobtainable = pl_unobtainable;
    R.L.user = &R;
    R.v = pl_alloc(c, sizeof *R.v * (c->p->nprogs ? c->p->nprogs : 1));
    for (uint32_t i = 0; R.v && i < c->p->nprogs && !c->oom; i++)
        if (pl_version_init(&R, &R.v[R.n], c->p->progs[i]))
            R.n++;
    pl_fixpoint(&R);
    bool *seen = pl_alloc(c, sizeof *seen * (R.n + 1));
    /* A cycle visits each version once. */
    const pl_edge **path = pl_alloc(c, sizeof *path * (R.n + 1));
    if (!c->oom && seen && path)
        pl_all_edges(&R);
    for (uint32_t i = 0; i < R.n && !c->oom && seen && path; i++)
        if (!R.v[i].reached && pl_in_root(c, R.v[i].d->span))
            pl_report_version(&R, i, seen, path);
    pl_logic_fini(&R.L);
}
