/* Why: every requirement of every program, met or not, the values it looked
 * at, and the days around the evaluation date on which that changes. The
 * days come from evaluating the requirement day by day (px_holds_at), so
 * "reaches 18 on 2027-03-14" is the first day on which the VM finds it met. */
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "explain.h"
#include "bc/decision.h"

/* A scan of a single requirement already made: the programs of a rule set
 * repeat the same few (`member("usatf")`, `age >= 18` in most of USATF's),
 * each compiled to a function of its own with the same code, and a scan's
 * result depends only on that code, the periods it is cut at and where it
 * starts, ends and what it looks for. */
typedef struct px_scanned {
    uint32_t func;
    int32_t from, until, pfrom, puntil; /* the node's and its program's periods */
    pw_date start, to, found;
    int step;
    pw_outcome o;
    bool want;
} px_scanned;

typedef struct px_scans {
    px_scanned *items;
    size_t n, cap;
} px_scans;

/* What a single requirement looked at (px_seen), already read: it depends
 * only on the leaf's code, the evaluation date and the day it changes
 * (`then`), and the same leaf (`member("usatf")`, `age >= 18`) is explained
 * in program after program. The entries are shared, never written after. */
typedef struct px_looked {
    uint32_t func;
    pw_date then;
    pw_seen *seen;
    size_t nseen;
} px_looked;

typedef struct px_lookeds {
    px_looked *items;
    size_t n, cap;
} px_lookeds;

typedef struct px_exp {
    pw_context *ctx;
    px_span span;
    pm_arena *a;
    pw_error *err;
    px_memo memo;     /* this record's: leaves without the date, once */
    px_scans *scans;  /* this record's single requirements scanned */
    px_lookeds *looked; /* this record's single requirements' px_seen */
} px_exp;

/* Whether functions f and g compute the same: the same code, byte for byte
 * (a verified function's jumps stay inside it, so equal bytes at two places
 * cannot reach different code), and the same frame. */
static bool px_same_func(const pb_image *img, uint32_t f, uint32_t g)
{
    const pb_func *a = &img->funcs[f], *b = &img->funcs[g];
    return f == g || (a->code_len == b->code_len && a->nparams == b->nparams && a->nlocals == b->nlocals &&
                      memcmp(img->code + a->code_off, img->code + b->code_off, a->code_len) == 0);
}

/* The scan of `probe` made before, or NULL. */
static const px_scanned *px_scan_seen(const pb_image *img, const px_scans *seen, const px_scanned *probe)
{
    for (size_t k = 0; seen && k < seen->n; k++) {
        const px_scanned *q = &seen->items[k];
        if (q->from == probe->from && q->until == probe->until && q->pfrom == probe->pfrom &&
            q->puntil == probe->puntil && q->start == probe->start && q->to == probe->to && q->step == probe->step &&
            q->o == probe->o && q->want == probe->want && px_same_func(img, q->func, probe->func))
            return q;
    }
    return NULL;
}

/* At most this many scans are remembered: looking one up is a walk of the
 * list, and a rule set of thousands of programs must not make every scan
 * pay for thousands of comparisons. The repeats worth finding (a handful
 * of shared requirements) are among the first. */
#define PX_SCANS_KEPT 256

/* Remembers a scan (when memory allows: forgetting only costs time). */
static void px_scan_keep(const px_exp *x, const px_scanned *done)
{
    px_scans *seen = x->scans;
    if (seen->n >= PX_SCANS_KEPT)
        return;
    if (seen->n == seen->cap) {
        px_scanned *items = pm_grow(x->a, seen->items, seen->n, &seen->cap, sizeof *items, 32);
        if (!items)
            return;
        seen->items = items;
    }
    seen->items[seen->n++] = *done;
}

static pw_status px_scan_days(const px_exp *x, size_t version, size_t node, pw_date from, pw_date to, int step,
                              pw_outcome o, bool want, pw_date *found);

/* px_scan_days, made once for each single requirement of the same code
 * and periods (px_scanned). */
static pw_status px_scan(const px_exp *x, size_t version, size_t node, pw_date from, pw_date to, int step,
                         pw_outcome o, bool want, pw_date *found)
{
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    const pb_prog *p = &img->progs[version];
    const pb_req *r = &img->reqs[p->first_req + (uint32_t)node];
    if (r->kind != PB_R_LEAF)
        return px_scan_days(x, version, node, from, to, step, o, want, found);
    px_scanned probe = {r->func, r->from, r->until, p->from, p->until, from, to, 0, step, o, want};
    const px_scanned *seen = px_scan_seen(img, x->scans, &probe);
    if (seen) {
        *found = seen->found;
        return PW_OK;
    }
    pw_status st = px_scan_days(x, version, node, from, to, step, o, want, found);
    if (st == PW_OK) {
        probe.found = *found;
        px_scan_keep(x, &probe);
    }
    return st;
}

/* The first day after `from` up to `to` (step +1) or down to it (step -1)
 * on which the node's holding differs from (want false) or equals (want
 * true) `o`; PW_DATE_MAX / PW_DATE_MIN when there is none. */
/* Each day costs a full evaluation, which for a requirement over a list is
 * as long as the list, and the span is the horizon both ways (7305 days by
 * default). So the scan does not go day by day: after evaluating the node
 * on day d it jumps past every day on which the evaluation would repeat
 * exactly: the VM's day window (pv_window_open: the days on which each
 * comparison with the date comes out the same) cut at the starts and ends
 * of periods (the program's, its members'). A requirement that never looks
 * at the date has a window without end; one over certificates jumps from
 * issue day to expiry day; one that computes with the date (`age`) goes day
 * by day. */
static pw_status px_scan_days(const px_exp *x, size_t version, size_t node, pw_date from, pw_date to, int step,
                              pw_outcome o, bool want, pw_date *found)
{
    *found = step > 0 ? PW_DATE_MAX : PW_DATE_MIN;
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    const pb_prog *p = &img->progs[version];
    uint32_t i = p->first_req + (uint32_t)node;
    px_memo memo = x->memo; /* the same arrays */
    struct pv_state *vm = pt_context_vm(x->ctx);
    for (pw_date d = from + step; step > 0 ? d <= to : d >= to;) {
        pw_outcome h;
        pv_window_open(vm);
        pw_status st = px_holds_at_memo(x->ctx, &memo, version, node, d, &h, NULL, NULL, x->err);
        pv_window_close(vm);
        if (st != PW_OK)
            return st;
        if ((h == o) == want) {
            *found = d;
            return PW_OK;
        }
        int64_t next = px_after_window(vm, step, px_next_change(img, p, i, d, step));
        if (next > PW_DATE_MAX || next < PW_DATE_MIN || next == (step > 0 ? PW_DATE_MAX : PW_DATE_MIN))
            break;
        d = (pw_date)next;
    }
    return PW_OK;
}

/* At most this many px_seen results are remembered (px_scan_keep says why). */
#define PX_LOOKED_KEPT 256

/* px_seen of the leaf (version, node) on the evaluation date, with `then`,
 * read once for each leaf code and `then` (px_looked). */
static pw_status px_seen_once(const px_exp *x, size_t version, size_t node, pw_date then, pw_seen **seen,
                              size_t *nseen)
{
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    const pb_req *r = &img->reqs[img->progs[version].first_req + (uint32_t)node];
    px_lookeds *l = x->looked;
    for (size_t k = 0; r->kind == PB_R_LEAF && k < l->n; k++) {
        if (l->items[k].then == then && px_same_func(img, l->items[k].func, r->func)) {
            *seen = l->items[k].seen;
            *nseen = l->items[k].nseen;
            return PW_OK;
        }
    }
    pw_status st = px_seen(x->ctx, version, node, x->span.as_of, then, x->a, seen, nseen, x->err);
    if (st != PW_OK || r->kind != PB_R_LEAF || l->n >= PX_LOOKED_KEPT)
        return st;
    if (l->n == l->cap) { /* when memory allows: forgetting only costs time */
        px_looked *items = pm_grow(x->a, l->items, l->n, &l->cap, sizeof *items, 32);
        if (!items)
            return st;
        l->items = items;
    }
    l->items[l->n++] = (px_looked){r->func, then, *seen, *nseen};
    return st;
}

/* A requirement a person decides looks at one thing, the decision: one
 * line that says who decides and what the facts record (an entry whose
 * `expr` is NULL: a statement, not a value). It never changes with the
 * day. */
static pw_status px_decision_seen(const px_exp *x, const char *who, int decided, pw_req_explained *r)
{
    pw_seen *s = pm_alloc(x->a, sizeof *s);
    const char *what = decided == PB_DECIDED_YES ? "accepted by " : decided == PB_DECIDED_NO ? "refused by "
                                                                                          : "needs a decision by ";
    size_t len = strlen(what) + strlen(who) + 1;
    char *value = pm_alloc(x->a, len);
    if (!s || !value)
        return px_fail_nomem(x->err);
    memset(s, 0, sizeof *s);
    snprintf(value, len, "%s%s", what, who);
    s->value = value;
    r->seen = s;
    r->nseen = 1;
    return PW_OK;
}

static pw_status px_explain_req(const px_exp *x, size_t version, size_t node, pw_req_explained *r)
{
    const pw_program *prog = pt_context_program(x->ctx);
    pw_date from, until, as_of = x->span.as_of;
    pw_program_period(prog, version, &from, &until);
    pw_date hi = until < x->span.last ? until : x->span.last;
    pw_date lo = from > x->span.first ? from : x->span.first;
    r->node = node;
    pw_status st = pw_requirement_info(prog, version, node, &r->info, x->err);
    if (st != PW_OK)
        return st;
    r->outcome = pw_result_outcome(x->ctx, version, node);
    r->met_on = r->unmet_on = PW_DATE_MAX;
    r->last_met = PW_DATE_MIN;
    st = px_holds_at(x->ctx, version, node, as_of, &r->holds, &r->members_met, &r->members, x->err);
    /* Evaluated in full, a requirement the VM evaluated must come out the
     * same: a guard, so that the two can never silently disagree. */
    if (st == PW_OK && r->outcome != PW_NOT_EVALUATED && r->outcome != r->holds)
        return pt_fail(x->err, PW_ERR_EVAL, "requirement \"%s\": the full evaluation disagrees with the VM's",
                       r->info.label);
    pw_date then = PW_DATE_MAX;
    if (st == PW_OK && r->holds == PW_UNMET) {
        st = px_scan(x, version, node, as_of, hi, 1, PW_MET, true, &r->met_on);
        if (st == PW_OK)
            st = px_scan(x, version, node, as_of, lo, -1, PW_MET, true, &r->last_met);
        then = r->met_on;
    } else if (st == PW_OK && r->holds == PW_MET) {
        st = px_scan(x, version, node, as_of, hi, 1, PW_MET, false, &r->unmet_on);
        then = r->unmet_on;
    }
    if (st != PW_OK || r->holds == PW_NOT_IN_FORCE)
        return st;
    int decided;
    const char *who;
    st = pt_decision_at(x->ctx, version, node, as_of, &who, &decided, x->err);
    if (st != PW_OK || decided >= 0)
        return st != PW_OK ? st : px_decision_seen(x, who, decided, r);
    pw_seen *seen;
    st = px_seen_once(x, version, node, then, &seen, &r->nseen);
    r->seen = seen;
    return st;
}

static pw_status px_explain_prog(const px_exp *x, size_t first, pw_program_explained *pe)
{
    const pw_program *prog = pt_context_program(x->ctx);
    pw_status st = px_verdict_at(x->ctx, first, x->span.as_of, &pe->version, &pe->verdict, x->err);
    if (st != PW_OK)
        return st;
    pe->id = pw_program_id(prog, pe->version);
    pe->title = pw_program_title(prog, pe->version);
    pw_program_period(prog, pe->version, &pe->from, &pe->until);
    pe->windowed = pw_program_has_window(prog, pe->version);
    pw_program_window(prog, pe->version, &pe->opens, &pe->closes);
    pe->nreqs = pw_requirement_count(prog, pe->version);
    pw_req_explained *reqs = pm_alloc(x->a, (pe->nreqs ? pe->nreqs : 1) * sizeof *reqs);
    if (!reqs)
        return px_fail_nomem(x->err);
    pe->reqs = reqs;
    /* Outside its enrolment window a version is in force: its requirements
     * are explained as on any other day. */
    bool in_force = pe->verdict == PW_ELIGIBLE || pe->verdict == PW_NOT_ELIGIBLE ||
                    pe->verdict == PW_NOT_YET_OPEN || pe->verdict == PW_CLOSED;
    for (size_t n = 0; n < pe->nreqs; n++) {
        if (!in_force) {
            reqs[n].node = n;
            reqs[n].holds = PW_NOT_IN_FORCE;
            reqs[n].met_on = reqs[n].unmet_on = PW_DATE_MAX;
            reqs[n].last_met = PW_DATE_MIN;
            st = pw_requirement_info(prog, pe->version, n, &reqs[n].info, x->err);
        } else {
            st = px_explain_req(x, pe->version, n, &reqs[n]);
        }
        if (st != PW_OK)
            return st;
    }
    return PW_OK;
}

static bool px_selected(const pw_explain_options *o, const char *id)
{
    if (!o || !o->programs)
        return true;
    for (size_t i = 0; i < o->nprograms; i++)
        if (strcmp(o->programs[i], id) == 0)
            return true;
    return false;
}

static pw_status px_explain_all(const px_exp *x, const pw_explain_options *o, pw_explanation *e)
{
    const pw_program *prog = pt_context_program(x->ctx);
    size_t n = pw_program_count(prog), k = 0;
    for (size_t i = 0; o && o->programs && i < o->nprograms; i++) {
        size_t idx;
        pw_status st = pw_program_find(prog, o->programs[i], &idx, x->err);
        if (st != PW_OK)
            return st;
    }
    pw_program_explained *pe = pm_alloc(x->a, (n ? n : 1) * sizeof *pe);
    if (!pe)
        return px_fail_nomem(x->err);
    for (size_t i = 0; i < n; i++) {
        if (!pw_program_is_first_version(prog, i) || !px_selected(o, pw_program_id(prog, i)))
            continue;
        /* The scans call the VM directly (px_node), never pw_evaluate: the
         * context's results stay the evaluation date's of each version, as
         * px_verdict_at left them, with nothing to restore. */
        pw_status st = px_explain_prog(x, i, &pe[k]);
        if (st != PW_OK)
            return st;
        k++;
    }
    e->programs = pe;
    e->nprograms = k;
    return PW_OK;
}

pw_status px_explain(pw_context *ctx, const char *coach, const pw_explain_options *o, pw_explanation **out,
                     pw_error *err)
{
    *out = NULL;
    pm_arena *a = malloc(sizeof *a);
    if (!a)
        return px_fail_nomem(err);
    pm_init(a, 16384);
    pw_explanation *e = pm_alloc(a, sizeof *e);
    px_scans scans = {NULL, 0, 0};
    px_lookeds looked = {NULL, 0, 0};
    px_exp x = {ctx, {0, 0, 0}, a, err, {NULL, NULL}, &scans, &looked};
    pw_status st = e && px_memo_init(&x.memo, ctx, a) ? px_span_of(o, &x.span, err)
                                                                     : px_fail_nomem(err);
    if (st == PW_OK) {
        e->internal = a;
        e->as_of = x.span.as_of;
        e->first = x.span.first;
        e->last = x.span.last;
        if (coach && !(e->coach = pm_strndup(a, coach, strlen(coach))))
            st = px_fail_nomem(err);
    }
    if (st == PW_OK)
        st = px_explain_all(&x, o, e);
    if (st != PW_OK) {
        pm_free(a);
        free(a);
        return st;
    }
    *out = e;
    return PW_OK;
}
