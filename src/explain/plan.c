/* How: the programs to take, and when, to become eligible for a target at
 * the earliest date. A search over the certificates granted so far: each
 * state is the coach's facts plus the certificates of the steps taken (each
 * issued on its enrolment day plus the program's duration, expiring after
 * its validity), and a step is taken on the first day its program is
 * eligible, found by evaluating day by day. States are taken earliest day
 * first, so the first plan that reaches the target on a day no later state
 * can beat is the earliest; ties go to fewer programs, then fewer hours.
 * The plan found is replayed (px_plan_replay) before it is returned. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"
#include "bc/decision.h"
#include "util/date.h"

/* A state of the search: the steps taken, as a chain to the root. */
typedef struct px_state {
    int32_t parent;      /* index into the states, -1 for the root */
    size_t version;      /* the program version of the last step */
    pw_date enrol, granted, expires;
    pw_date t;           /* the day the last step was taken (as_of at the root) */
    unsigned nsteps;
    double hours;
    uint64_t taken;      /* candidates taken, by index into px_scope.cand */
    const char *const *waits, *const *arrange;
    size_t nwaits, narrange;
    bool done;           /* expanded */
} px_state;

typedef struct px_search {
    pw_context *ctx;
    const cJSON *record;
    px_scope scope;
    px_span span;
    pm_arena *a;
    pw_error *err;
    px_state *states;
    size_t nstates, cap;
    /* The best plan so far: the state whose last step is the target. */
    int32_t best;
} px_search;

/* ---- facts of a state -------------------------------------------------- */

static bool px_add_cert(cJSON *certs, const px_land *land, const char *id, pw_date issued, pw_date expires)
{
    char d[11];
    cJSON *c = cJSON_CreateObject();
    if (!c || !cJSON_AddItemToArray(certs, c))
        return cJSON_Delete(c), false;
    pw_date_format(issued, d);
    bool ok = cJSON_AddStringToObject(c, land->id, id) && cJSON_AddStringToObject(c, land->issued, d);
    if (!land->expires)
        return ok; /* a record without an expiry: its rules compute any expiry from the issue day */
    if (expires == PW_DATE_MAX) {
        ok = ok && cJSON_AddNullToObject(c, land->expires);
    } else {
        pw_date_format(expires, d);
        ok = ok && cJSON_AddStringToObject(c, land->expires, d);
    }
    return ok;
}

/* A certificate a step grants, as it is added to the facts. */
typedef struct px_cert {
    const char *id;
    pw_date issued, expires;
} px_cert;

/* Loads the coach's record plus n granted certificates, as
 * pw_context_set_json loads a record. */
static pw_status px_load_certs(pw_context *ctx, const cJSON *record, const px_cert *certs, size_t n,
                               pw_error *err)
{
    cJSON *copy = cJSON_Duplicate(record, 1);
    if (!copy)
        return px_fail_nomem(err);
    px_land land;
    bool ok = true;
    cJSON *list = NULL;
    if (n && px_landing(pt_program_image(pt_context_program(ctx)), &land)) {
        list = cJSON_GetObjectItemCaseSensitive(copy, land.list);
        if (!cJSON_IsArray(list)) {
            cJSON_DeleteItemFromObjectCaseSensitive(copy, land.list);
            ok = (list = cJSON_AddArrayToObject(copy, land.list)) != NULL;
        }
    }
    for (size_t i = 0; ok && list && i < n; i++)
        ok = px_add_cert(list, &land, certs[i].id, certs[i].issued, certs[i].expires);
    pw_status st = ok ? pt_context_set_cjson(ctx, copy, err) : px_fail_nomem(err);
    cJSON_Delete(copy);
    return st;
}

/* Loads the coach's record plus the certificates of `state`'s steps. */
static pw_status px_load_steps(pw_context *ctx, const cJSON *record, const px_state *states, int32_t state,
                               pw_error *err)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    px_cert certs[PX_MAX_CANDIDATES];
    size_t n = 0;
    for (int32_t s = state; s >= 0 && states[s].parent >= 0 && n < PX_MAX_CANDIDATES; s = states[s].parent) {
        uint32_t g = img->progs[states[s].version].grants;
        if (g != PB_NO_STRING)
            certs[n++] = (px_cert){img->strings[g], states[s].granted, states[s].expires};
    }
    return px_load_certs(ctx, record, certs, n, err);
}

/* ---- the first day a program may be taken -------------------------------- */

typedef struct px_day {
    pw_date day;          /* PW_DATE_MAX: none in the horizon */
    size_t version;
    const char **arrange; /* labels the coach must arrange on that day */
    size_t narrange;
} px_day;

static bool px_push_label(pm_arena *a, const char ***v, size_t *n, const char *label)
{
    const char **nv = pm_alloc(a, (*n + 1) * sizeof *nv);
    if (!nv)
        return false;
    if (*n)
        memcpy(nv, *v, *n * sizeof *nv);
    nv[(*n)++] = label;
    *v = nv;
    return true;
}

/* A step's `arrange` labels, followed (past n: the step's arrange_decision)
 * by, for each, what the coach asks of whom when it is a requirement a
 * person decides ("ask WHO for a decision on",
 * "ask WHO to review its refusal of"), else NULL. NULL when out of memory. */
static const char *const *px_with_deciders(px_search *x, size_t ver, pw_date day, const char *const *labels,
                                           size_t n)
{
    const char **v = pm_alloc(x->a, (2 * n + 1) * sizeof *v);
    if (!v)
        return NULL;
    const pw_program *prog = pt_context_program(x->ctx);
    for (size_t i = 0; i < n; i++) {
        v[i] = labels[i];
        v[n + i] = NULL;
        for (size_t k = 0; k < pw_requirement_count(prog, ver); k++) {
            pw_requirement info;
            const char *who;
            int decided;
            if (pw_requirement_info(prog, ver, k, &info, NULL) != PW_OK || info.depth ||
                strcmp(info.label, labels[i]) != 0)
                continue;
            if (pt_decision_at(x->ctx, ver, k, day, &who, &decided, NULL) != PW_OK || decided < 0)
                break;
            const char *lead = decided == PB_DECIDED_NO ? "ask %s to review its refusal of" : "ask %s for a decision on";
            size_t len = strlen(lead) + strlen(who) + 1;
            char *t = pm_alloc(x->a, len);
            if (!t)
                return NULL;
            snprintf(t, len, lead, who);
            v[n + i] = t;
            break;
        }
    }
    return v;
}

/* For each of a step's `arrange` labels, the requirement's own `arrange
 * "..."` text, or NULL. NULL when out of memory. */
static const char *const *px_arrange_how(px_search *x, size_t ver, const char *const *labels, size_t n)
{
    const char **v = pm_alloc(x->a, (n + 1) * sizeof *v);
    if (!v)
        return NULL;
    const pw_program *prog = pt_context_program(x->ctx);
    uint32_t first = x->scope.img->progs[ver].first_req;
    for (size_t i = 0; i < n; i++) {
        v[i] = NULL;
        for (size_t k = 0; k < pw_requirement_count(prog, ver); k++) {
            pw_requirement info;
            if (pw_requirement_info(prog, ver, k, &info, NULL) == PW_OK && !info.depth &&
                strcmp(info.label, labels[i]) == 0) {
                v[i] = x->scope.arrange_how[first + (uint32_t)k];
                break;
            }
        }
    }
    return v;
}

/* Whether the version evaluated on `day` is eligible once the coach
 * arranges what no step can give; *arranged gets those labels. */
static pw_status px_ok_on(px_search *x, size_t ver, pw_date day, bool *ok, px_day *out)
{
    pw_verdict v = pw_result_verdict(x->ctx, ver);
    *ok = v == PW_ELIGIBLE;
    out->arrange = NULL;
    out->narrange = 0;
    if (v != PW_NOT_ELIGIBLE)
        return PW_OK;
    size_t n = pw_requirement_count(pt_context_program(x->ctx), ver);
    for (size_t i = 0; i < n; i++) {
        pw_requirement info;
        pw_requirement_info(pt_context_program(x->ctx), ver, i, &info, NULL);
        if (info.depth || info.role != PW_ROLE_REQUIRE || pw_result_outcome(x->ctx, ver, i) != PW_UNMET)
            continue;
        bool can;
        pw_status st = px_arrangeable(&x->scope, x->ctx, ver, i, day, &x->span, &can, x->err);
        if (st != PW_OK)
            return st;
        if (!can)
            return PW_OK;
        if (!px_push_label(x->a, &out->arrange, &out->narrange, info.label))
            return px_fail_nomem(x->err);
    }
    *ok = true;
    return PW_OK;
}

/* The requirements of `ver` unmet on `from` (evaluated whether or not the
 * version was in force then) and met on `day`: what the step waited for. */
static pw_status px_waits(px_search *x, size_t ver, pw_date from, pw_date day, const char ***waits, size_t *nwaits)
{
    for (size_t i = 0; day > from && i < pw_requirement_count(pt_context_program(x->ctx), ver); i++) {
        pw_requirement info;
        pw_requirement_info(pt_context_program(x->ctx), ver, i, &info, NULL);
        if (info.depth || info.role != PW_ROLE_REQUIRE || pw_result_outcome(x->ctx, ver, i) != PW_MET)
            continue;
        pw_outcome before;
        pw_status st = px_node_at(x->ctx, ver, i, from, &before, x->err);
        if (st != PW_OK)
            return st;
        if (before == PW_UNMET && !px_push_label(x->a, waits, nwaits, info.label))
            return px_fail_nomem(x->err);
    }
    return PW_OK;
}

/* The verdict and outcomes of `ver` stay as on day d up to `next`, but
 * px_ok_on also asks whether an unmet requirement still holds on some later
 * day (px_arrangeable): the answer changes the day after its last such day.
 * `next`, or that day when it comes first. */
static int64_t px_arrange_cut(const px_search *x, size_t ver, pw_date d, int64_t next)
{
    const pb_prog *p = &x->scope.img->progs[ver];
    for (uint32_t r = p->first_req; r < p->first_req + p->nreqs; r++)
        if (x->scope.known[r] && x->scope.last_met[r] >= d && (int64_t)x->scope.last_met[r] + 1 < next)
            next = (int64_t)x->scope.last_met[r] + 1;
    return next;
}

/* The first day from `from` to `to` on which program `first` may be taken
 * with the facts in the context, and what it waited for. */
static pw_status px_first_day(px_search *x, size_t first, pw_date from, pw_date to, px_day *out,
                              const char ***waits, size_t *nwaits)
{
    out->day = PW_DATE_MAX;
    *waits = NULL;
    *nwaits = 0;
    struct pv_state *vm = pt_context_vm(x->ctx);
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    for (pw_date d = from; d <= to;) {
        size_t ver;
        pw_verdict v;
        bool ok;
        pv_window_open(vm);
        pw_status st = px_verdict_at(x->ctx, first, d, &ver, &v, x->err);
        pv_window_close(vm);
        /* Read now: px_ok_on opens windows of its own. */
        int64_t next = st == PW_OK ? px_after_window(vm, 1, px_next_version_change(img, first, ver, d)) : 0;
        if (st == PW_OK)
            st = px_ok_on(x, ver, d, &ok, out);
        if (st != PW_OK)
            return st;
        if (ok) {
            out->day = d;
            out->version = ver;
            return px_waits(x, ver, from, d, waits, nwaits);
        }
        next = px_arrange_cut(x, ver, d, next);
        if (next > to)
            break;
        d = (pw_date)next;
    }
    return PW_OK;
}

/* ---- the search ---------------------------------------------------------- */

static int32_t px_new_state(px_search *x, const px_state *s)
{
    if (x->nstates == x->cap) {
        size_t ncap = x->cap ? x->cap * 2 : 16;
        px_state *ns = realloc(x->states, ncap * sizeof *ns);
        if (!ns)
            return -1;
        x->states = ns;
        x->cap = ncap;
    }
    x->states[x->nstates] = *s;
    return (int32_t)x->nstates++;
}

/* Whether a plan ending (day, steps, hours) beats the best so far. */
static bool px_better(const px_search *x, pw_date day, unsigned steps, double hours)
{
    if (x->best < 0)
        return true;
    const px_state *b = &x->states[x->best];
    if (day != b->enrol)
        return day < b->enrol;
    if (steps != b->nsteps)
        return steps < b->nsteps;
    return hours < b->hours;
}

static double px_hours(const pb_image *img, size_t ver)
{
    return img->progs[ver].hours > 0 ? img->progs[ver].hours : 0;
}

/* The last valid day of a certificate granted on `granted` by a program
 * whose `grants` says `valid until EXPR` (PB_VALID_COMPUTED): its
 * function, called with the day of the grant, on that day. */
static pw_status px_valid_until(px_search *x, const pb_prog *p, pw_date granted, pw_date *expires)
{
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    pv_value arg = {.as.d = granted}, res;
    pv_error verr;
    if (!pv_call(pt_context_vm(x->ctx), pt_context_facts(x->ctx)->root, granted, (uint32_t)p->valid_n, &arg, &res,
                 &verr)) {
        const char *file = verr.file < img->nstrings ? img->strings[verr.file] : NULL;
        if (file && verr.line)
            return pt_fail(x->err, PW_ERR_EVAL, "%s:%u:%u: %s (the validity of `%s`)", file, verr.line, verr.col,
                           verr.message, img->strings[p->id]);
        return pt_fail(x->err, PW_ERR_EVAL, "%s (the validity of `%s`)", verr.message, img->strings[p->id]);
    }
    *expires = res.as.d;
    return PW_OK;
}

/* A step: program `first` taken from state `from` on its first day. */
static pw_status px_step(px_search *x, int32_t from, size_t first, bool target, uint64_t bit)
{
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    px_state s = x->states[from];
    pw_date to = x->span.last;
    if (x->best >= 0)
        to = x->states[x->best].enrol < to ? x->states[x->best].enrol : to;
    px_day day;
    const char **waits;
    size_t nwaits;
    pw_status st = px_first_day(x, first, s.t, to, &day, &waits, &nwaits);
    if (st != PW_OK || day.day == PW_DATE_MAX)
        return st;
    px_state n = {from, day.version, day.day, day.day, PW_DATE_MAX, day.day, s.nsteps + 1,
                  s.hours + px_hours(img, day.version), s.taken | bit, waits, day.arrange, nwaits,
                  day.narrange, target};
    const pb_prog *p = &img->progs[day.version];
    if (!pu_date_add(n.enrol, p->duration, PU_DAYS, &n.granted))
        return PW_OK; /* past the calendar: not a plan */
    if (p->valid_unit == PB_VALID_COMPUTED) {
        st = px_valid_until(x, p, n.granted, &n.expires);
        if (st != PW_OK)
            return st;
    } else if (p->valid_n && !pu_date_add(n.granted, p->valid_n, (pu_unit)p->valid_unit, &n.expires)) {
        return PW_OK;
    }
    if (target ? !px_better(x, n.enrol, n.nsteps, n.hours) : !px_better(x, n.enrol, n.nsteps + 1, n.hours))
        return PW_OK;
    int32_t k = px_new_state(x, &n);
    if (k < 0)
        return px_fail_nomem(x->err);
    if (target)
        x->best = k;
    return PW_OK;
}

/* Whether a certificate of `first` (at its version on `day`) is already
 * held through the state's own steps: taking it again changes nothing. */
static bool px_granted_before(const px_search *x, int32_t s, size_t first, pw_date day)
{
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    uint32_t g = img->progs[pw_program_version_at(pt_context_program(x->ctx), first, day)].grants;
    for (; s >= 0 && x->states[s].parent >= 0; s = x->states[s].parent)
        if (img->progs[x->states[s].version].grants == g)
            return true;
    return false;
}

static pw_status px_expand(px_search *x, int32_t s)
{
    x->states[s].done = true;
    pw_status st = px_load_steps(x->ctx, x->record, x->states, s, x->err);
    if (st == PW_OK)
        st = px_step(x, s, x->scope.target, true, 0);
    for (unsigned k = 0; st == PW_OK && k < x->scope.ncand; k++) {
        uint64_t bit = (uint64_t)1 << k;
        if ((x->states[s].taken & bit) || px_granted_before(x, s, x->scope.cand[k], x->states[s].t))
            continue;
        st = px_step(x, s, x->scope.cand[k], false, bit);
    }
    return st;
}

/* The open state taken next: the earliest day, then fewer steps; none
 * once no open state can beat the best plan. A set of programs already
 * expanded is not expanded again (the earlier state had every choice). */
static int32_t px_next(const px_search *x)
{
    int32_t pick = -1;
    for (size_t i = 0; i < x->nstates; i++) {
        const px_state *s = &x->states[i];
        if (s->done)
            continue;
        bool dup = false;
        for (size_t j = 0; j < x->nstates && !dup; j++)
            dup = x->states[j].done && x->states[j].taken == s->taken && (int32_t)j != x->best;
        if (dup)
            continue;
        if (pick < 0 || s->t < x->states[pick].t ||
            (s->t == x->states[pick].t && s->nsteps < x->states[pick].nsteps))
            pick = (int32_t)i;
    }
    if (pick >= 0 && !px_better(x, x->states[pick].t, x->states[pick].nsteps + 1, x->states[pick].hours))
        return -1;
    return pick;
}

/* ---- the plan ------------------------------------------------------------ */

#define PX_MAX_STATES 20000

static pw_status px_fill_steps(px_search *x, pw_plan *plan)
{
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    size_t n = 0;
    for (int32_t s = x->best; s >= 0 && x->states[s].parent >= 0; s = x->states[s].parent)
        n++;
    pw_plan_step *steps = pm_alloc(x->a, (n ? n : 1) * sizeof *steps);
    if (!steps)
        return px_fail_nomem(x->err);
    size_t k = n;
    for (int32_t s = x->best; s >= 0 && x->states[s].parent >= 0; s = x->states[s].parent) {
        const px_state *st = &x->states[s];
        const pb_prog *p = &img->progs[st->version];
        pw_plan_step *o = &steps[--k];
        o->version = st->version;
        o->program = pw_program_id(pt_context_program(x->ctx), st->version);
        o->title = pw_program_title(pt_context_program(x->ctx), st->version);
        o->enrol = st->enrol;
        o->granted = st->granted;
        o->expires = st->expires;
        o->grants = p->grants == PB_NO_STRING ? NULL : img->strings[p->grants];
        o->hours = p->hours;
        o->waits = st->waits;
        o->nwaits = st->nwaits;
        o->narrange = st->narrange;
        o->arrange = px_with_deciders(x, st->version, st->enrol, st->arrange, st->narrange);
        if (!o->arrange)
            return px_fail_nomem(x->err);
        o->arrange_decision = o->arrange + st->narrange;
        if (!(o->arrange_how = px_arrange_how(x, st->version, st->arrange, st->narrange)))
            return px_fail_nomem(x->err);
        if (p->hours > 0)
            plan->hours += p->hours;
    }
    plan->steps = steps;
    plan->nsteps = n;
    plan->reachable = true;
    return PW_OK;
}

/* Whether some version of `first` is open for enrolment on a day from..to
 * (in force and inside its window). */
static bool px_enrollable(const pw_program *prog, size_t first, pw_date from, pw_date to)
{
    for (size_t v = 0; v < pw_program_count(prog); v++) {
        if (strcmp(pw_program_id(prog, v), pw_program_id(prog, first)) != 0)
            continue;
        pw_date a, b, opens, closes;
        pw_program_period(prog, v, &a, &b);
        pw_program_window(prog, v, &opens, &closes);
        a = a > opens ? a : opens;
        b = b < closes ? b : closes;
        a = a > from ? a : from;
        b = b < to ? b : to;
        if (a <= b)
            return true;
    }
    return false;
}

/* No step could be taken because its enrolment is closed (or not yet open)
 * through the whole horizon: say so, with the window of its last version. */
static pw_status px_window_blocking(px_search *x, const char ***labels, size_t *n)
{
    const pw_program *prog = pt_context_program(x->ctx);
    for (unsigned k = 0; k < x->scope.ncand; k++) {
        size_t c = x->scope.cand[k];
        if (px_enrollable(prog, c, x->span.as_of, x->span.last))
            continue;
        size_t ver = pw_program_version_at(prog, c, x->span.last);
        if (!pw_program_has_window(prog, ver))
            continue;
        pw_date opens, closes;
        pw_program_window(prog, ver, &opens, &closes);
        const char *title = pw_program_title(prog, ver) ? pw_program_title(prog, ver) : pw_program_id(prog, ver);
        const char *why = closes < x->span.as_of
                              ? pm_printf(x->a, "%s closed for enrolment on %s", title, px_date_text(x->a, closes))
                              : pm_printf(x->a, "%s opens for enrolment on %s", title, px_date_text(x->a, opens));
        if (!why || !px_push_label(x->a, labels, n, why))
            return px_fail_nomem(x->err);
    }
    return PW_OK;
}

/* ---- why a step is never taken ------------------------------------------- */

/* The program (the target, or a candidate) whose rules name the certificate
 * of candidate `k` (at its version on `day`): the step it leads to;
 * SIZE_MAX when out of memory. */
static size_t px_needed_by(const px_search *x, unsigned k, pw_date day)
{
    const pw_program *prog = pt_context_program(x->ctx);
    uint32_t g = x->scope.img->progs[pw_program_version_at(prog, x->scope.cand[k], day)].grants;
    int named = px_names_string(x->scope.img, x->scope.target, g);
    if (named)
        return named < 0 ? SIZE_MAX : x->scope.target;
    for (unsigned j = 0; j < x->scope.ncand; j++)
        if (j != k && (named = px_names_string(x->scope.img, x->scope.cand[j], g)) != 0)
            return named < 0 ? SIZE_MAX : x->scope.cand[j];
    return x->scope.target;
}

/* "national_a needs ussf-b from ussf_b, which needs ussf-c from ussf_c":
 * the chain from the target down to candidate k. NULL when out of memory. */
static const char *px_chain(px_search *x, unsigned k, pw_date day)
{
    const pw_program *prog = pt_context_program(x->ctx);
    const char *tail = NULL;
    size_t at = x->scope.cand[k];
    for (unsigned hops = 0; hops <= x->scope.ncand; hops++) {
        unsigned idx = 0;
        while (idx < x->scope.ncand && x->scope.cand[idx] != at)
            idx++;
        if (idx == x->scope.ncand)
            break;
        size_t up = px_needed_by(x, idx, day);
        if (up == SIZE_MAX)
            return NULL;
        uint32_t g = x->scope.img->progs[pw_program_version_at(prog, at, day)].grants;
        const char *link = pm_printf(x->a, "%s needs %s from %s", pw_program_id(prog, up),
                                     x->scope.img->strings[g], pw_program_id(prog, at));
        if (!link)
            return NULL;
        tail = tail ? pm_printf(x->a, "%s, which %s", link, strchr(tail, ' ') + 1) : link;
        if (!tail)
            return NULL;
        if (up == x->scope.target)
            break;
        at = up;
    }
    return tail;
}

/* Unreachable, with every certificate loaded: a step the search never took
 * whose own requirement, one no step can change, is unmet on the horizon's
 * last day blocks the target, not the target's own requirement that needs
 * the step's certificate. Adds a sentence per such requirement. */
static pw_status px_step_blocking(px_search *x, const char ***labels, size_t *n)
{
    const pw_program *prog = pt_context_program(x->ctx);
    uint64_t ever = 0;
    for (size_t i = 0; i < x->nstates; i++)
        ever |= x->states[i].taken;
    for (unsigned k = 0; k < x->scope.ncand; k++) {
        if (ever & ((uint64_t)1 << k))
            continue;
        size_t ver;
        pw_verdict v;
        pw_status st = px_verdict_at(x->ctx, x->scope.cand[k], x->span.last, &ver, &v, x->err);
        if (st != PW_OK)
            return st;
        if (v != PW_NOT_ELIGIBLE)
            continue;
        for (size_t i = 0; i < pw_requirement_count(prog, ver); i++) {
            pw_requirement info;
            pw_requirement_info(prog, ver, i, &info, NULL);
            uint32_t r = x->scope.img->progs[ver].first_req + (uint32_t)i;
            /* What the coach could arrange, the search would have. */
            if (info.depth || info.role != PW_ROLE_REQUIRE || pw_result_outcome(x->ctx, ver, i) != PW_UNMET ||
                x->scope.influenced[r] || !x->scope.fixed[r] || x->scope.arrange_how[r])
                continue;
            const char *chain = px_chain(x, k, x->span.last);
            const char *title = pw_program_title(prog, ver) ? pw_program_title(prog, ver) : pw_program_id(prog, ver);
            const char *why = chain ? pm_printf(x->a, "\"%s\" of %s (%s) is not met on any day, whatever programs "
                                                      "are taken: %s",
                                                info.label, pw_program_id(prog, ver), title, chain)
                                    : NULL;
            if (!why || !px_push_label(x->a, labels, n, why))
                return px_fail_nomem(x->err);
        }
    }
    return PW_OK;
}

/* Unreachable: the target's requirements unmet on the horizon's last day
 * that a step could change (those it could not are arranged, so they do
 * not block), or all of them when none could. */
static pw_status px_fill_blocking(px_search *x, pw_plan *plan)
{
    /* With every certificate a step could grant held on the last day, what
     * is still unmet is what no plan can give. */
    const pb_image *img = pt_program_image(pt_context_program(x->ctx));
    px_cert certs[PX_MAX_CANDIDATES];
    size_t nc = 0;
    for (unsigned k = 0; k < x->scope.ncand; k++) {
        uint32_t g = img->progs[pw_program_version_at(pt_context_program(x->ctx), x->scope.cand[k], x->span.last)].grants;
        if (g != PB_NO_STRING)
            certs[nc++] = (px_cert){img->strings[g], x->span.last, PW_DATE_MAX};
    }
    size_t ver;
    pw_verdict v;
    pw_status st = px_load_certs(x->ctx, x->record, certs, nc, x->err);
    if (st == PW_OK)
        st = px_verdict_at(x->ctx, x->scope.target, x->span.last, &ver, &v, x->err);
    if (st != PW_OK)
        return st;
    const char **labels = NULL;
    size_t n = 0;
    /* The target not in force on the horizon's last day: a sentence with the
     * day it ended (its last day in force) or comes into force, counted
     * with the window sentences, never a requirement's label. */
    size_t nwindow = 0;
    if (v == PW_NOT_YET_IN_FORCE || v == PW_WITHDRAWN) {
        pw_date from, until;
        pw_program_period(pt_context_program(x->ctx), ver, &from, &until);
        const char *title = pw_program_title(pt_context_program(x->ctx), ver);
        if (!title)
            title = pw_program_id(pt_context_program(x->ctx), ver);
        const char *why = v == PW_WITHDRAWN
                              ? pm_printf(x->a, "%s is not in force (it ended on %s)", title, px_date_text(x->a, until))
                              : pm_printf(x->a, "%s is not in force (it comes into force on %s)", title,
                                          px_date_text(x->a, from));
        if (!why || !px_push_label(x->a, &labels, &n, why))
            return px_fail_nomem(x->err);
        nwindow = n;
    }
    /* Outside the enrolment window: the window, and then what else is
     * unmet (the requirements were evaluated). */
    if (v == PW_NOT_YET_OPEN || v == PW_CLOSED) {
        pw_date opens, closes;
        pw_program_window(pt_context_program(x->ctx), ver, &opens, &closes);
        const char *title = pw_program_title(pt_context_program(x->ctx), ver);
        if (!title)
            title = pw_program_id(pt_context_program(x->ctx), ver);
        const char *why = v == PW_CLOSED
                              ? pm_printf(x->a, "%s closed for enrolment on %s", title, px_date_text(x->a, closes))
                              : pm_printf(x->a, "%s opens for enrolment on %s", title, px_date_text(x->a, opens));
        if (!why || !px_push_label(x->a, &labels, &n, why))
            return px_fail_nomem(x->err);
        nwindow = n;
    }
    /* A step that is never taken, and why (before the target's own
     * requirements that need its certificate). */
    bool chained = false;
    if (n == 0 && v == PW_NOT_ELIGIBLE) {
        if ((st = px_step_blocking(x, &labels, &n)) != PW_OK)
            return st;
        nwindow = n;
        chained = n > 0;
        /* The candidates' evaluations replaced the target's results. */
        if ((st = px_verdict_at(x->ctx, x->scope.target, x->span.last, &ver, &v, x->err)) != PW_OK)
            return st;
    }
    /* Pass 0: what a step could change; 1: what the coach can neither
     * arrange nor change (an age past the horizon, experience with no start
     * day), so that an arrangement is never named as the block; 2: all. */
    /* After a step that blocks, only what else the target lacks that the
     * coach cannot change (pass 1): the rest needs the step's certificate. */
    for (int pass = chained ? 1 : 0; pass < (chained ? 2 : 3) && n == nwindow; pass++) {
        for (size_t i = 0; i < pw_requirement_count(pt_context_program(x->ctx), ver); i++) {
            pw_requirement info;
            pw_requirement_info(pt_context_program(x->ctx), ver, i, &info, NULL);
            uint32_t r = pt_program_image(pt_context_program(x->ctx))->progs[ver].first_req + (uint32_t)i;
            if (info.depth || info.role != PW_ROLE_REQUIRE || pw_result_outcome(x->ctx, ver, i) != PW_UNMET ||
                (pass == 0 && !x->scope.influenced[r]) ||
                (pass == 1 && (x->scope.influenced[r] || !x->scope.fixed[r] || x->scope.arrange_how[r])))
                continue;
            if (!px_push_label(x->a, &labels, &n, info.label))
                return px_fail_nomem(x->err);
        }
    }
    /* Nothing unmet with every step's certificate: a step that cannot be
     * taken within the horizon for its enrolment window is what blocks. */
    if (!n) {
        if ((st = px_window_blocking(x, &labels, &n)) != PW_OK)
            return st;
        nwindow = n;
    }
    plan->blocking = labels;
    plan->nblocking = n;
    plan->nsentences = nwindow;
    return PW_OK;
}

static pw_status px_search_run(px_search *x)
{
    px_state root;
    memset(&root, 0, sizeof root);
    root.parent = -1;
    root.t = root.enrol = x->span.as_of;
    if (px_new_state(x, &root) < 0)
        return px_fail_nomem(x->err);
    for (int32_t s; (s = px_next(x)) >= 0;) {
        if (x->nstates > PX_MAX_STATES)
            return pt_fail(x->err, PW_ERR_EVAL, "the plan search gave up after %d states", PX_MAX_STATES);
        pw_status st = px_expand(x, s);
        if (st != PW_OK)
            return st;
    }
    return PW_OK;
}

static pw_status px_plan_build(px_search *x, const char *coach, pw_plan *plan)
{
    pw_status st = px_scope_init(&x->scope, x->ctx, x->scope.target, x->err);
    if (st != PW_OK)
        return st;
    /* A program grants a certificate the target's rules name (so it is a
     * step), but the rules do not say where it lands: a plan without it
     * would blame the target for what the step gives. */
    if (x->scope.cert_slot < 0 && x->scope.ncand > 0) {
        px_scope_fini(&x->scope);
        return pt_fail(x->err, PW_ERR_EVAL,
                       "the rules do not say where a certificate a program grants lands: mark the facts list "
                       "with `granted here` (docs/language.md, \"Where a granted certificate lands\")");
    }
    plan->as_of = x->span.as_of;
    plan->last = x->span.last;
    plan->target = pw_program_id(pt_context_program(x->ctx), x->scope.target);
    if (coach && !(plan->coach = pm_strndup(x->a, coach, strlen(coach))))
        st = px_fail_nomem(x->err);
    if (st == PW_OK)
        st = px_search_run(x);
    if (st == PW_OK)
        st = x->best >= 0 ? px_fill_steps(x, plan) : px_fill_blocking(x, plan);
    if (st == PW_OK)
        st = px_load_certs(x->ctx, x->record, NULL, 0, x->err);
    if (st == PW_OK && plan->reachable)
        st = px_plan_replay(x->ctx, x->record, plan, x->err);
    px_scope_fini(&x->scope);
    return st;
}

pw_status px_plan(pw_context *ctx, const cJSON *record, const char *target, const pw_explain_options *o,
                  pw_plan **out, pw_error *err)
{
    *out = NULL;
    px_search x;
    memset(&x, 0, sizeof x);
    x.ctx = ctx;
    x.record = record;
    x.err = err;
    x.best = -1;
    pw_status st = px_span_of(o, &x.span, err);
    if (st == PW_OK)
        st = pw_program_find(pt_context_program(ctx), target, &x.scope.target, err);
    if (st != PW_OK)
        return st;
    if (!(x.a = malloc(sizeof *x.a)))
        return px_fail_nomem(err);
    pm_init(x.a, 16384);
    pw_plan *plan = pm_alloc(x.a, sizeof *plan);
    st = plan ? px_plan_build(&x, px_coach_id(record), plan) : px_fail_nomem(err);
    free(x.states);
    if (st != PW_OK) {
        pm_free(x.a);
        free(x.a);
        return st;
    }
    plan->internal = x.a;
    *out = plan;
    return PW_OK;
}

/* ---- replay -------------------------------------------------------------- */

static bool px_arranged(const pw_plan_step *s, const char *label)
{
    for (size_t i = 0; i < s->narrange; i++)
        if (strcmp(s->arrange[i], label) == 0)
            return true;
    return false;
}

pw_status px_plan_replay(pw_context *ctx, const cJSON *record, const pw_plan *plan, pw_error *err)
{
    px_cert certs[PX_MAX_CANDIDATES];
    size_t n = 0;
    pw_status st = PW_OK;
    for (size_t k = 0; st == PW_OK && k < plan->nsteps; k++) {
        const pw_plan_step *s = &plan->steps[k];
        size_t first;
        if ((st = pw_program_find(pt_context_program(ctx), s->program, &first, err)) != PW_OK ||
            (st = px_load_certs(ctx, record, certs, n, err)) != PW_OK ||
            (st = pw_evaluate(ctx, s->version, s->enrol, err)) != PW_OK)
            break;
        char day[11];
        pw_date_format(s->enrol, day);
        if (pw_program_version_at(pt_context_program(ctx), first, s->enrol) != s->version)
            st = pt_fail(err, PW_ERR_EVAL, "replay: step %zu (%s) is not the version in force on %s", k + 1,
                         s->program, day);
        for (size_t i = 0; st == PW_OK && i < pw_result_unmet_count(ctx, s->version); i++)
            if (!px_arranged(s, pw_result_unmet_label(ctx, s->version, i)))
                st = pt_fail(err, PW_ERR_EVAL, "replay: step %zu (%s) on %s: \"%s\" is not met", k + 1,
                             s->program, day, pw_result_unmet_label(ctx, s->version, i));
        pw_verdict v = pw_result_verdict(ctx, s->version);
        if (st == PW_OK && (v == PW_NOT_YET_OPEN || v == PW_CLOSED))
            st = pt_fail(err, PW_ERR_EVAL, "replay: step %zu (%s) is not open for enrolment on %s", k + 1, s->program,
                         day);
        else if (st == PW_OK && v != PW_ELIGIBLE && v != PW_NOT_ELIGIBLE)
            st = pt_fail(err, PW_ERR_EVAL, "replay: step %zu (%s) is not in force on %s", k + 1, s->program, day);
        if (s->grants && n < PX_MAX_CANDIDATES)
            certs[n++] = (px_cert){s->grants, s->granted, s->expires};
    }
    pw_error scratch;
    pw_status restore = px_load_certs(ctx, record, NULL, 0, st == PW_OK ? err : &scratch);
    return st == PW_OK ? restore : st;
}
