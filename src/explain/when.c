/* When: the periods in which the coach is eligible, from the evaluation
 * date to the horizon's end, assuming no new facts. Every day is evaluated
 * with pw_evaluate (the version of the program in force on that day), so
 * the periods agree with `pathway eval --as-of` on every day by
 * construction; a boundary's reason is the top-level requirement whose
 * outcome, as the VM recorded it, flips on that day, or the version. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "bc/decision.h"

typedef struct px_changes {
    pw_change *v;
    size_t n, cap;
} px_changes;

typedef struct px_when_run {
    pw_context *ctx;
    pm_arena *a;
    pw_error *err;
    size_t first;
    /* The day before: its version, verdict and top-level outcomes. */
    size_t ver;
    pw_verdict verdict;
    uint8_t *prev;      /* per node of ver */
    pw_date *since;     /* per node of ver: first day of its current run */
    /* The last day evaluated on which a version was in force (fseen): that
     * version, verdict, outcomes and runs, so that a program that closes
     * within the horizon still names what blocked the coach while open. */
    bool fseen;
    size_t fver;
    pw_verdict fverdict;
    uint8_t *fprev;
    pw_date *fsince;
    pw_period *periods;
    size_t nperiods, cap;
} px_when_run;

static bool px_add_change(pm_arena *a, px_changes *c, pw_change ch)
{
    if (c->n == c->cap) {
        pw_change *nv = pm_grow(a, c->v, c->n, &c->cap, sizeof *nv, 4);
        if (!nv)
            return false;
        c->v = nv;
    }
    c->v[c->n++] = ch;
    return true;
}

static bool px_top_require(const pw_program *prog, size_t ver, size_t node)
{
    pw_requirement info;
    return pw_requirement_info(prog, ver, node, &info, NULL) == PW_OK && info.depth == 0 &&
           info.role == PW_ROLE_REQUIRE;
}

/* The version is in force (whether or not its enrolment window is open). */
static bool px_in_force(pw_verdict v)
{
    return v == PW_ELIGIBLE || v == PW_NOT_ELIGIBLE || v == PW_NOT_YET_OPEN || v == PW_CLOSED;
}

static bool px_window_shut(pw_verdict v)
{
    return v == PW_NOT_YET_OPEN || v == PW_CLOSED;
}

/* Why the verdict changed between the day before and `day` (verdict `now`
 * of version `ver`): a version coming into force or leaving it, else the
 * top-level requirements that became met (to_met) or stopped being met. */
static bool px_reasons(px_when_run *w, pw_date day, size_t ver, pw_verdict now, bool to_met, px_changes *c)
{
    const pw_program *prog = pt_context_program(w->ctx);
    bool version_change = ver != w->ver || (to_met ? !px_in_force(w->verdict) : !px_in_force(now));
    if (version_change) {
        size_t v = to_met ? ver : w->ver;
        pw_change ch = {to_met ? PW_CHANGE_IN_FORCE : PW_CHANGE_OUT_OF_FORCE, day, pw_program_title(prog, v), 0};
        return px_add_change(w->a, c, ch);
    }
    /* The enrolment window opening (a period starts) or closing (one ends)
     * is the reason when the day before was outside it, or the day is. */
    if (to_met ? px_window_shut(w->verdict) : px_window_shut(now)) {
        pw_change ch = {to_met ? PW_CHANGE_OPENS : PW_CHANGE_CLOSES, day, pw_program_title(prog, ver), 0};
        return px_add_change(w->a, c, ch);
    }
    size_t n = pw_requirement_count(prog, ver);
    for (size_t i = 0; i < n; i++) {
        if (!px_top_require(prog, ver, i))
            continue;
        pw_outcome o = pw_result_outcome(w->ctx, ver, i);
        bool flipped = to_met ? (w->prev[i] == PW_UNMET && o != PW_UNMET)
                              : (w->prev[i] != PW_UNMET && o == PW_UNMET);
        if (!flipped)
            continue;
        pw_requirement info;
        pw_requirement_info(prog, ver, i, &info, NULL);
        pw_change ch = {to_met ? PW_CHANGE_MET : PW_CHANGE_UNMET, day, info.label, i};
        if (!px_add_change(w->a, c, ch))
            return false;
    }
    return true;
}

static pw_period *px_new_period(px_when_run *w)
{
    if (w->nperiods == w->cap) {
        pw_period *np = pm_grow(w->a, w->periods, w->nperiods, &w->cap, sizeof *np, 4);
        if (!np)
            return NULL;
        w->periods = np;
    }
    pw_period *p = &w->periods[w->nperiods++];
    memset(p, 0, sizeof *p);
    return p;
}

/* Remembers the day's version, verdict and outcomes for the next day, and
 * for each requirement the first day of its current run of outcomes. */
static void px_remember(px_when_run *w, size_t ver, pw_verdict v, pw_date day, bool first_day)
{
    size_t n = pw_requirement_count(pt_context_program(w->ctx), ver);
    for (size_t i = 0; i < n; i++) {
        uint8_t o = (uint8_t)pw_result_outcome(w->ctx, ver, i);
        if (first_day || ver != w->ver || o != w->prev[i])
            w->since[i] = day;
        w->prev[i] = o;
    }
    w->ver = ver;
    w->verdict = v;
    if (px_in_force(v)) {
        w->fseen = true;
        w->fver = ver;
        w->fverdict = v;
        memcpy(w->fprev, w->prev, n);
        memcpy(w->fsince, w->since, n * sizeof *w->since);
    }
}

/* One day: opens or closes a period when the verdict changes. */
static bool px_when_day(px_when_run *w, pw_date day, bool first_day, size_t ver, pw_verdict v)
{
    bool was = !first_day && w->verdict == PW_ELIGIBLE, is = v == PW_ELIGIBLE;
    if (is && !was) {
        pw_period *p = px_new_period(w);
        if (!p)
            return false;
        p->from = day;
        p->from_start = first_day;
        px_changes c = {NULL, 0, 0};
        if (!first_day && !px_reasons(w, day, ver, v, true, &c))
            return false;
        p->start = c.v;
        p->nstart = c.n;
    } else if (was && !is) {
        pw_period *p = &w->periods[w->nperiods - 1];
        p->until = day - 1;
        px_changes c = {NULL, 0, 0};
        if (!px_reasons(w, day, ver, v, false, &c))
            return false;
        p->end = c.v;
        p->nend = c.n;
    }
    return true;
}

/* e->blocking_decision: for each blocking change, what the facts record of
 * a requirement a person decides ("needs a decision by WHO", "refused by
 * WHO"), NULL for any other. The requirements listed after a version that
 * left force are that version's (px_blocking). */
static bool px_blocking_deciders(px_when_run *w, pw_eligibility *e)
{
    const char **v = pm_alloc(w->a, (e->nblocking + 1) * sizeof *v);
    if (!v)
        return false;
    size_t ver = w->ver;
    for (size_t k = 0; k < e->nblocking; k++) {
        const pw_change *c = &e->blocking[k];
        const char *who;
        int decided = -1;
        v[k] = NULL;
        if (c->kind == PW_CHANGE_OUT_OF_FORCE && w->fseen)
            ver = w->fver;
        if (c->kind == PW_CHANGE_UNMET && pt_decision_at(w->ctx, ver, c->node, c->day, &who, &decided, NULL) == PW_OK &&
            decided >= 0) {
            const char *lead = decided == PB_DECIDED_NO ? "refused by " : "needs a decision by ";
            size_t len = strlen(lead) + strlen(who) + 1;
            char *t = pm_alloc(w->a, len);
            if (!t)
                return false;
            snprintf(t, len, "%s%s", lead, who);
            v[k] = t;
        }
    }
    e->blocking_decision = v;
    return true;
}

/* What blocked on the last day `ver` was evaluated in force (verdict v,
 * outcomes prev, runs since): its enrolment window when shut, then each
 * top-level requirement unmet, and since when. */
static bool px_blocking_in_force(px_when_run *w, px_changes *c, size_t ver, pw_verdict v, const uint8_t *prev,
                                 const pw_date *since)
{
    const pw_program *prog = pt_context_program(w->ctx);
    if (px_window_shut(v)) {
        pw_date opens, closes;
        pw_program_window(prog, ver, &opens, &closes);
        pw_change ch = {v == PW_CLOSED ? PW_CHANGE_CLOSES : PW_CHANGE_OPENS, v == PW_CLOSED ? closes + 1 : opens,
                        pw_program_title(prog, ver), 0};
        if (!px_add_change(w->a, c, ch))
            return false;
    }
    /* Outside the window too: the coach still sees what else is missing. */
    size_t n = pw_requirement_count(prog, ver);
    for (size_t i = 0; i < n; i++) {
        if (!px_top_require(prog, ver, i) || prev[i] != PW_UNMET)
            continue;
        pw_requirement info;
        pw_requirement_info(prog, ver, i, &info, NULL);
        pw_change ch = {PW_CHANGE_UNMET, since[i], info.label, i};
        if (!px_add_change(w->a, c, ch))
            return false;
    }
    return true;
}

/* No period: what is unmet on the horizon's last day, and since when. A
 * program not in force then but in force earlier in the horizon: the day
 * it left force, then what blocked on its last day in force (so that a
 * coach does not read the date as the only obstacle), then the version
 * still to come, if any. */
static bool px_blocking(px_when_run *w, pw_eligibility *e)
{
    const pw_program *prog = pt_context_program(w->ctx);
    px_changes c = {NULL, 0, 0};
    pw_date from, until;
    bool ok = true;
    if (px_in_force(w->verdict)) {
        ok = px_blocking_in_force(w, &c, w->ver, w->verdict, w->prev, w->since);
    } else {
        size_t ended = w->fseen ? w->fver : w->ver;
        if (w->fseen || w->verdict == PW_WITHDRAWN) {
            pw_program_period(prog, ended, &from, &until);
            pw_change ch = {PW_CHANGE_OUT_OF_FORCE, until + 1, pw_program_title(prog, ended), 0};
            ok = px_add_change(w->a, &c, ch);
        }
        if (ok && w->fseen)
            ok = px_blocking_in_force(w, &c, w->fver, w->fverdict, w->fprev, w->fsince);
        if (ok && w->verdict == PW_NOT_YET_IN_FORCE) {
            pw_program_period(prog, w->ver, &from, &until);
            pw_change ch = {PW_CHANGE_IN_FORCE, from, pw_program_title(prog, w->ver), 0};
            ok = px_add_change(w->a, &c, ch);
        }
    }
    if (!ok)
        return false;
    e->blocking = c.v;
    e->nblocking = c.n;
    return px_blocking_deciders(w, e);
}

static pw_status px_when_sweep(px_when_run *w, const px_span *span, pw_eligibility *e)
{
    /* Days on which the evaluation would repeat exactly (the VM's day
     * window, cut where a period changes) change nothing: skipped. */
    struct pv_state *vm = pt_context_vm(w->ctx);
    const pb_image *img = pt_program_image(pt_context_program(w->ctx));
    for (pw_date d = span->as_of; d <= span->last;) {
        size_t ver;
        pw_verdict v;
        pv_window_open(vm);
        pw_status st = px_verdict_at(w->ctx, w->first, d, &ver, &v, w->err);
        pv_window_close(vm);
        if (st != PW_OK)
            return st;
        if (!px_when_day(w, d, d == span->as_of, ver, v))
            return px_fail_nomem(w->err);
        px_remember(w, ver, v, d, d == span->as_of);
        int64_t next = px_after_window(vm, 1, px_next_version_change(img, w->first, ver, d));
        if (next > span->last)
            break;
        d = (pw_date)next;
    }
    if (w->nperiods && w->verdict == PW_ELIGIBLE) {
        w->periods[w->nperiods - 1].until = span->last;
        w->periods[w->nperiods - 1].to_end = true;
    }
    e->periods = w->periods;
    e->nperiods = w->nperiods;
    if (!w->nperiods && !px_blocking(w, e))
        return px_fail_nomem(w->err);
    return PW_OK;
}

pw_status px_when(pw_context *ctx, const char *coach, const char *program_id, const pw_explain_options *o,
                  pw_eligibility **out, pw_error *err)
{
    *out = NULL;
    px_span span;
    size_t first;
    pw_status st = px_span_of(o, &span, err);
    if (st == PW_OK)
        st = pw_program_find(pt_context_program(ctx), program_id, &first, err);
    if (st != PW_OK)
        return st;
    size_t maxr = pt_program_image(pt_context_program(ctx))->max_reqs ? pt_program_image(pt_context_program(ctx))->max_reqs : 1;
    pm_arena *a = malloc(sizeof *a);
    if (!a)
        return px_fail_nomem(err);
    pm_init(a, 16384);
    px_when_run w = {ctx, a, err, first, first, PW_NOT_ELIGIBLE, pm_alloc(a, maxr),
                     pm_alloc(a, maxr * sizeof(pw_date)), false, first, PW_NOT_ELIGIBLE, pm_alloc(a, maxr),
                     pm_alloc(a, maxr * sizeof(pw_date)), NULL, 0, 0};
    pw_eligibility *e = pm_alloc(a, sizeof *e);
    st = e && w.prev && w.since && w.fprev && w.fsince ? PW_OK : px_fail_nomem(err);
    if (st == PW_OK) {
        e->internal = a;
        e->as_of = span.as_of;
        e->last = span.last;
        e->program = pw_program_id(pt_context_program(ctx), first);
        if (coach && !(e->coach = pm_strndup(a, coach, strlen(coach))))
            st = px_fail_nomem(err);
    }
    if (st == PW_OK)
        st = px_when_sweep(&w, &span, e);
    if (st != PW_OK) {
        pm_free(a);
        free(a);
        return st;
    }
    *out = e;
    return PW_OK;
}
