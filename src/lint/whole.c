/* PW150: a program version whose requirements cannot all hold together.
 * Each `require` in force whenever the version is (its own period covers
 * the version's) can be met on its own (PW110 says when one cannot), yet
 * together they may exclude every coach: `age >= 18` and `age < 16`. The
 * reasoning is the one PW110 uses, over the conjunction of the version's
 * requirements; certificates are taken to be obtainable (PW120 follows
 * them). A conjunction the search cannot decide is not reported. The
 * finding names a smallest set of requirements that conflict (each one
 * needed for the conflict), with the two comparisons that exclude each
 * other when the reasoning finds them, and for a group, why each of its
 * members fails alongside the others. */
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

typedef struct pl_whole {
    pl_ctx *c;
    pl_logic L;
    const pa_req **reqs;     /* the version's requirements in force together */
    const pl_formula **fs;
    bool *in;                /* the conflicting set, as it shrinks */
    uint32_t n;
} pl_whole;

/* The conjunction of the requirements in the set, leaving out `skip`
 * (UINT32_MAX: none) and adding `extra` (may be NULL). */
static const pl_formula *pl_conj(pl_whole *W, uint32_t skip, const pl_formula *extra)
{
    const pl_formula *f = extra;
    for (uint32_t k = 0; k < W->n; k++)
        if (W->in[k] && k != skip)
            f = f ? pl_and(&W->L, f, W->fs[k]) : W->fs[k];
    return f;
}

static bool pl_unsat(pl_whole *W, const pl_formula *f, pl_clash *why)
{
    if (why)
        memset(why, 0, sizeof *why);
    return f && pl_satisfiable(&W->L, f, true, why) == PL_UNSAT;
}

/* Drops each requirement the conflict holds without: what remains is a
 * set each of whose requirements takes part. */
static uint32_t pl_shrink(pl_whole *W)
{
    uint32_t left = W->n;
    for (uint32_t k = 0; k < W->n && !W->c->oom; k++) {
        W->in[k] = false;
        if (pl_unsat(W, pl_conj(W, UINT32_MAX, NULL), NULL))
            left--;
        else
            W->in[k] = true;
    }
    return left;
}

static const char *pl_side_text(pl_ctx *c, const pl_side *s)
{
    if (s->why)
        return s->why->text;
    if (s->lit && s->lit->atom)
        return pl_format(c, "`%s`", pl_source(c, s->lit->atom->span, 60));
    return NULL;
}

/* "`age >= 18` and `age < 16`: no value of `age` meets both". */
static void pl_note_witness(pl_ctx *c, pd_diag *d, const char *lead, const pl_clash *why)
{
    if (!why->found)
        return;
    const char *a = pl_side_text(c, &why->a), *b = pl_side_text(c, &why->b);
    if (!a || !b)
        return;
    /* Written order, the range last. */
    if (why->a.why || (why->a.lit && why->b.lit && why->a.lit->atom && why->b.lit->atom &&
                       why->b.lit->atom->span.start < why->a.lit->atom->span.start)) {
        const char *t = a;
        a = b;
        b = t;
    }
    const char *term = why->t && why->t->e ? pl_format(c, " of `%s`", pl_source(c, why->t->e->span, 40)) : "";
    const pl_side *at = why->a.lit && why->a.lit->atom ? &why->a : why->b.lit && why->b.lit->atom ? &why->b : NULL;
    if (why->t && why->t->cls == PL_C_BOOL)
        pl_note(c, d, at ? &at->lit->atom->span : NULL, "%s%s and %s: they cannot both be true", lead, a, b);
    else
        pl_note(c, d, at ? &at->lit->atom->span : NULL, "%s%s and %s: no value%s meets both", lead, a, b, term);
}

/* For a group in the conflict: each member that cannot hold alongside the
 * other requirements of the set, with its witness; how many can. */
static void pl_note_group(pl_whole *W, pd_diag *d, uint32_t g, const pa_decl *prog)
{
    pl_ctx *c = W->c;
    const pa_req *r = W->reqs[g];
    uint32_t n = 0, fail = 0;
    for (const pa_req *m = r->members; m; m = m->next)
        n++;
    uint32_t need = r->group == PA_ALL_OF ? n : r->group == PA_ANY_OF ? 1 : (uint32_t)r->min;
    ps_span gs = pl_req_span(c, r);
    pd_diag *head = d;
    for (const pa_req *m = r->members; m && !c->oom; m = m->next) {
        if (!pl_always_in_force(m, prog))
            continue;
        const pl_formula *fm = pl_formula_req(&W->L, m, prog);
        pl_clash why;
        if (!fm || !pl_unsat(W, pl_conj(W, g, fm), &why))
            continue;
        if (fail++ == 0 && r->group != PA_ALL_OF)
            pl_note(c, head, &gs, "\"%s\" needs %u of its %u members alongside the others", r->label, need, n);
        ps_span at = pl_req_span(c, m);
        pl_note(c, d, &at, "member \"%s\" cannot hold alongside them", m->label);
        pl_note_witness(c, d, "", &why);
    }
}

/* The last requirement of the set as written: the finding's place. */
static uint32_t pl_last_in(const pl_whole *W)
{
    uint32_t last = UINT32_MAX;
    for (uint32_t k = 0; k < W->n; k++)
        if (W->in[k] && (last == UINT32_MAX || W->reqs[k]->span.start >= W->reqs[last]->span.start))
            last = k;
    return last;
}

/* The `requirements` block all of the set's requirements are copies of
 * (none with a period of its own), or NULL: a conflict of the block by
 * itself, the same in every program that uses it, is the block's. */
static const pa_decl *pl_block_of_set(const pl_whole *W)
{
    const pa_decl *block = NULL;
    for (uint32_t k = 0; k < W->n; k++) {
        if (!W->in[k])
            continue;
        const pa_req *r = W->reqs[k];
        if (!r->shared || r->period.given)
            return NULL;
        const pa_decl *in = NULL;
        for (const pa_decl *d = W->c->tree->decls; d; d = d->next)
            if (d->kind == PA_D_REQUIREMENTS && d->span.file == r->span.file && d->span.start <= r->span.start &&
                r->span.end <= d->span.end && (!in || d->span.start >= in->span.start))
                in = d;
        if (!in || (block && in != block))
            return NULL;
        block = in;
    }
    return block;
}

/* `period`: the days of the version the conflict is on, when not all of
 * them (NULL: the whole version). */
static void pl_report_conflict(pl_whole *W, const pa_decl *prog, uint32_t size, const pa_period *period)
{
    pl_ctx *c = W->c;
    uint32_t at = pl_last_in(W);
    const char *names = "";
    for (uint32_t k = 0, seen = 0; k < W->n; k++) {
        if (!W->in[k])
            continue;
        seen++;
        names = pl_format(c, "%s%s\"%s\"", names, seen == 1 ? "" : seen == size ? " and " : ", ", W->reqs[k]->label);
    }
    ps_span span = pl_req_span(c, W->reqs[at]);
    char days[48];
    const pa_decl *block = period ? NULL : pl_block_of_set(W);
    pd_diag *d = block ? pl_report(c, "PW150", &span,
                                   "requirements %s of `requirements %s` cannot hold together: no coach can ever "
                                   "become eligible for a program that uses them",
                                   names, block->name)
               : period ? pl_report(c, "PW150", &span,
                                    "requirements %s of program %s cannot hold together %s: no coach can become "
                                    "eligible for it on those days",
                                    names, pl_program_name(c, prog), pc_period_text(period, days, sizeof days))
                        : pl_report(c, "PW150", &span,
                                    "requirements %s of program %s cannot hold together: no coach can ever become "
                                    "eligible for it",
                                    names, pl_program_name(c, prog));
    if (!d)
        return;
    for (uint32_t k = 0; k < W->n; k++) {
        if (!W->in[k] || k == at)
            continue;
        ps_span s = pl_req_span(c, W->reqs[k]);
        pl_note(c, d, &s, "requirement \"%s\" is here", W->reqs[k]->label);
    }
    pl_clash why;
    if (pl_unsat(W, pl_conj(W, UINT32_MAX, NULL), &why) && why.found) {
        pl_note_witness(c, d, "", &why);
        return;
    }
    for (uint32_t k = 0; k < W->n; k++)
        if (W->in[k] && W->reqs[k]->group != PA_LEAF)
            pl_note_group(W, d, k, prog);
}

static void pl_group_given(pl_whole *W, uint32_t g, const pa_decl *prog);

/* A requirement in force on every day of [from, until]. */
static bool pl_in_force_over(const pa_req *r, int32_t from, int32_t until)
{
    return !r->period.given || (r->period.from <= from && r->period.until >= until);
}

/* Gathers the `require`s in force on every day of [from, until] that can
 * be met alone (one that cannot is PW110's). `partial`: whether one of
 * them has a period of its own. */
static void pl_gather(pl_whole *W, const pa_decl *d, int32_t from, int32_t until, bool *partial)
{
    W->n = 0;
    *partial = false;
    for (const pa_req *r = d->u.program.reqs; r; r = r->next) {
        if (r->role != PA_REQUIRE || !pl_in_force_over(r, from, until))
            continue;
        const pl_formula *f = pl_formula_req(&W->L, r, d);
        if (!f || pl_satisfiable(&W->L, f, true, NULL) != PL_SAT)
            continue;
        *partial |= r->period.given;
        W->reqs[W->n] = r;
        W->fs[W->n] = f;
        W->in[W->n++] = true;
    }
}

/* Whether the gathered requirements conflict; reports a smallest set. */
static bool pl_conflict(pl_whole *W, const pa_decl *d, const pa_period *period)
{
    if (W->n < 2 || !pl_unsat(W, pl_conj(W, UINT32_MAX, NULL), NULL))
        return false;
    uint32_t size = pl_shrink(W);
    if (size >= 2 && !W->c->oom)
        pl_report_conflict(W, d, size, period);
    return true;
}

static int pl_cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The days of the version split where a requirement's own period starts
 * or ends: on each stretch the same requirements are in force. A stretch
 * whose requirements (some in force only part of the version) conflict is
 * reported with its days, the first one only. */
static void pl_check_periods(pl_whole *W, const pa_decl *d, int32_t vfrom, int32_t vuntil, uint32_t nreqs)
{
    int32_t *at = pl_alloc(W->c, sizeof *at * (2 * nreqs + 1));
    if (!at)
        return;
    uint32_t n = 0;
    at[n++] = vfrom;
    for (const pa_req *r = d->u.program.reqs; r; r = r->next) {
        if (r->role != PA_REQUIRE || !r->period.given)
            continue;
        if (r->period.from > vfrom && r->period.from <= vuntil)
            at[n++] = r->period.from;
        if (r->period.until >= vfrom && r->period.until < vuntil)
            at[n++] = r->period.until + 1;
    }
    qsort(at, n, sizeof *at, pl_cmp_day);
    for (uint32_t i = 0; i < n && !W->c->oom; i++) {
        if (i + 1 < n && at[i + 1] == at[i])
            continue;
        uint32_t j = i + 1;
        int32_t until = j < n ? at[j] - 1 : vuntil;
        bool partial;
        pl_gather(W, d, at[i], until, &partial);
        pa_period days = {true, at[i], until, {0, 0, 0}};
        if (partial && pl_conflict(W, d, &days))
            return;
    }
}

static void pl_check_version(pl_whole *W, const pa_decl *d)
{
    pl_ctx *c = W->c;
    uint32_t n = 0;
    for (const pa_req *r = d->u.program.reqs; r; r = r->next)
        n += r->role == PA_REQUIRE;
    if (n < 2)
        return;
    W->reqs = pl_alloc(c, sizeof *W->reqs * n);
    W->fs = pl_alloc(c, sizeof *W->fs * n);
    W->in = pl_alloc(c, sizeof *W->in * n);
    if (!W->reqs || !W->fs || !W->in)
        return;
    const pa_period *p = &d->u.program.period;
    int32_t vfrom = p->given ? p->from : PA_DATE_OPEN_FROM, vuntil = p->given ? p->until : PA_DATE_OPEN_UNTIL;
    /* What is in force on every day of the version is in force together. */
    bool partial;
    pl_gather(W, d, vfrom, vuntil, &partial);
    if (pl_conflict(W, d, NULL))
        return;
    for (uint32_t k = 0; k < W->n && !c->oom; k++)
        if (W->reqs[k]->group == PA_ANY_OF)
            pl_group_given(W, k, d);
    pl_check_periods(W, d, vfrom, vuntil, n);
}

/* ---- PW151: a group member that the other requirements make redundant ------------------- */

/* Whether, given the requirements in the set other than `g`, `a` implies
 * `b` (and `a` can hold with them: else it is not redundant but dead). */
static bool pl_implied_given(pl_whole *W, uint32_t g, const pl_formula *fa, const pl_formula *fb)
{
    const pl_formula *ctx = pl_conj(W, g, fa);
    if (!ctx || pl_satisfiable(&W->L, ctx, true, NULL) != PL_SAT)
        return false;
    return pl_unsat(W, pl_and(&W->L, ctx, pl_not(&W->L, fb)), NULL);
}

/* Shrinks the context of an implication to the requirements it needs. */
static void pl_shrink_given(pl_whole *W, uint32_t g, const pl_formula *fa, const pl_formula *fb)
{
    for (uint32_t k = 0; k < W->n && !W->c->oom; k++) {
        if (k == g || !W->in[k])
            continue;
        W->in[k] = false;
        if (!pl_implied_given(W, g, fa, fb))
            W->in[k] = true;
    }
}

static void pl_report_given(pl_whole *W, uint32_t g, const pa_req *strong, const pa_req *weak)
{
    pl_ctx *c = W->c;
    const pa_req *r = W->reqs[g];
    ps_span at = pl_req_span(c, strong), there = pl_req_span(c, weak);
    pd_diag *d = pl_report(c, "PW151", &at,
                           "member \"%s\" of group \"%s\" changes nothing: alongside the program's other "
                           "requirements, whenever it is met so is \"%s\"",
                           strong->label, r->label, weak->label);
    pl_note(c, d, &there, "\"%s\" is here", weak->label);
    for (uint32_t k = 0; k < W->n; k++)
        if (W->in[k] && k != g) {
            ps_span s = pl_req_span(c, W->reqs[k]);
            pl_note(c, d, &s, "given requirement \"%s\"", W->reqs[k]->label);
        }
}

/* In a required `any of` group, a member that, given the other
 * requirements, implies another member adds nothing. Pairs that imply
 * each other without them are PW134's. */
static void pl_group_given(pl_whole *W, uint32_t g, const pa_decl *prog)
{
    const pa_req *r = W->reqs[g];
    for (const pa_req *a = r->members; a && !W->c->oom; a = a->next) {
        for (const pa_req *b = r->members; b && !W->c->oom; b = b->next) {
            if (a == b || !pl_always_in_force(a, prog) || !pl_always_in_force(b, prog))
                continue;
            const pl_formula *fa = pl_formula_req(&W->L, a, prog), *fb = pl_formula_req(&W->L, b, prog);
            if (!fa || !fb || pl_decide(&W->L, fa, NULL) != PL_MAYBE || pl_decide(&W->L, fb, NULL) != PL_MAYBE ||
                pl_implies(&W->L, fa, fb) || pl_implies(&W->L, fb, fa) || !pl_implied_given(W, g, fa, fb))
                continue;
            pl_shrink_given(W, g, fa, fb);
            pl_report_given(W, g, a, b);
            for (uint32_t k = 0; k < W->n; k++)
                W->in[k] = true;
            break; /* one finding per member */
        }
    }
}

void pl_check_whole(pl_ctx *c)
{
    pl_whole W = {c, {0}, NULL, NULL, NULL, 0};
    pl_logic_init(&W.L, c);
    for (uint32_t i = 0; i < c->p->nprogs && !c->oom; i++)
        if (pl_in_root(c, c->p->progs[i]->span))
            pl_check_version(&W, c->p->progs[i]);
    pl_logic_fini(&W.L);
}
