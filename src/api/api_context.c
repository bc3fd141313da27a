/* Contexts: facts in, evaluation, results out. Everything an evaluation
 * touches is allocated when the context is made. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_int.h"
#include "pathway_native.h"
#include "bc/decision.h"
#include "util/assert.h"
#include "util/date.h"

pw_date pw_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    /* localtime_r fails only for a year beyond int; time() gives -1 at worst. */
    bool ok = localtime_r(&now, &tm) != NULL;
    if (PU_NEVER(!ok))
        return 0;
    return pu_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static pw_status pw_done(pw_error *err)
{
    return pwi_ok(err);
}

/* Frees what a context holds; facts and vm only when they were set up. */
static void pw_context_release(pw_context *c, bool facts_ok, bool vm_ok)
{
    if (vm_ok)
        pv_fini(&c->vm);
    if (facts_ok)
        pf_fini(&c->facts);
    pw_result_format_free(c->json_fmt); /* pw_eval_json's, when it made one */
    free(c->evaluated);
    free(c->eligible);
    free(c->verdict);
    free(c->outcomes);
    free(c->lists);
    free(c->nunmet);
    free(c->npref);
    free(c->nadvice);
    free(c->order);
    free(c->ntop);
    free(c->has_decision);
    free(c->decided);
    free(c->fallback);
    free(c->native_eligible);
    free(c->native_outcomes);
    free(c->func_notes);
    free(c->native_scratch);
    free(c);
}

/* ctx->order and ctx->ntop (see api_int.h). */
static void pw_order_init(pw_context *c)
{
    const pb_image *img = c->program->img;
    for (uint32_t p = 0; p < img->nprogs; p++) {
        const pb_prog *pr = &img->progs[p];
        uint32_t n = 0;
        for (uint8_t role = PB_ROLE_REQUIRE; role <= PB_ROLE_ADVISE; role++)
            for (uint32_t i = 0; i < pr->nreqs; i += img->reqs[pr->first_req + i].size)
                if (img->reqs[pr->first_req + i].role == role)
                    c->order[pr->first_req + n++] = i;
        c->ntop[p] = n;
        for (uint32_t i = 0; i < pr->nreqs && !c->has_decision[p]; i++)
            c->has_decision[p] = pb_decision(img, pr->first_req + i, NULL) != PB_NO_DECISION;
    }
}

pw_status pw_context_new(const pw_program *program, pw_context **out, pw_error *err)
{
    if (!program || !out)
        return pwi_fail(err, PW_ERR_USAGE, "pw_context_new: NULL argument");
    *out = NULL;
    const pb_image *img = program->img;
    pw_context *c = calloc(1, sizeof *c);
    if (!c)
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    c->program = program;
    size_t np = img->nprogs ? img->nprogs : 1, nr = img->nreqs ? img->nreqs : 1;
    bool facts_ok = pf_init(&c->facts, img);
    bool vm_ok = facts_ok && pv_init(&c->vm, img);
    bool memo_ok = vm_ok && pv_memo_init(&c->vm);
    c->evaluated = calloc(np, 1);
    c->eligible = calloc(np, 1);
    c->verdict = calloc(np, 1);
    c->outcomes = calloc(nr, 1);
    c->lists = calloc(nr, sizeof *c->lists);
    c->nunmet = calloc(np, sizeof *c->nunmet);
    c->npref = calloc(np, sizeof *c->npref);
    c->nadvice = calloc(np, sizeof *c->nadvice);
    c->order = calloc(nr, sizeof *c->order);
    c->ntop = calloc(np, sizeof *c->ntop);
    c->has_decision = calloc(np, 1);
    c->decided = calloc(nr, 1);
    c->fallback = calloc(np, 1);
    c->native_eligible = calloc(np, 1);
    c->native_outcomes = calloc(nr, 1);
    c->func_notes = calloc(img->nfuncs ? img->nfuncs : 1, 1);
    if (!c->has_decision || !c->decided || !c->fallback || !c->native_eligible || !c->native_outcomes ||
        !c->func_notes)
        memo_ok = false;
    if (!memo_ok || !c->evaluated || !c->eligible || !c->verdict || !c->outcomes || !c->lists || !c->nunmet ||
        !c->npref || !c->nadvice || !c->order || !c->ntop) {
        pw_context_release(c, facts_ok, vm_ok);
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    pw_order_init(c);
    c->pending = true; /* no facts yet: evaluating fails naming a required field */
    *out = c;
    return pw_done(err);
}

void pw_context_free(pw_context *ctx)
{
    if (ctx)
        pw_context_release(ctx, true, true);
}

/* The facts change: results, and the VM's remembered calls, go. */
static void pw_forget_results(pw_context *ctx)
{
    memset(ctx->evaluated, 0, ctx->program->img->nprogs);
    pv_memo_forget(&ctx->vm);
}

pw_status pw_context_reset(pw_context *ctx, pw_error *err)
{
    if (!ctx)
        return pwi_fail(err, PW_ERR_USAGE, "pw_context_reset: NULL context");
    pw_forget_results(ctx);
    ctx->pending = true; /* nothing is given: evaluating says which field is missing */
    /* pf_reset fails only for facts without an image, and pw_context_new
     * gave the context's facts its program's. */
    bool reset = pf_reset(&ctx->facts);
    if (PU_NEVER(!reset))
        return pwi_fail(err, PW_ERR_USAGE, "pw_context_reset: the context has no program");
    return pw_done(err);
}

/* The line and column (both from 1) of byte `at` of a JSON text, for
 * pw_error's structured fields. */
static void pw_json_position(const char *json, size_t at, pw_error *err)
{
    if (!err)
        return;
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < at; i++) {
        if (json[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    err->line = line;
    err->column = col;
}

bool pwi_context_try_stream(pw_context *ctx, const char *json, size_t len, const char **id, pw_error *err)
{
    size_t id_len;
    pw_forget_results(ctx);
    ctx->pending = false;
    if (pf_stream_load(&ctx->facts, json, len, id, &id_len) != PF_STREAM_LOADED)
        return false;
    pw_done(err);
    return true;
}

pw_status pw_context_set_json(pw_context *ctx, const char *json, size_t len, pw_error *err)
{
    if (!ctx || !json)
        return pwi_fail(err, PW_ERR_USAGE, "pw_context_set_json: NULL argument");
    /* The fast path, for a record it is certain the rest would load alike;
     * anything else (and every message) is the rest's. */
    if (pwi_context_try_stream(ctx, json, len, NULL, err))
        return PW_OK;
    pw_forget_results(ctx);
    ctx->pending = false;
    /* cJSON sets end whether it succeeds or not (to where it stopped). */
    const char *end = json;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!root) {
        pf_reset(&ctx->facts);
        ctx->pending = true;
        /* cJSON fails the same way for bad JSON and for want of memory (a
         * known limit, docs/robustness.md): either way the record is refused
         * cleanly, at the place the parser stopped. */
        size_t at = (size_t)(end - json);
        pwi_fail(err, PW_ERR_FACTS, "invalid JSON at byte %zu", at);
        pw_json_position(json, at, err);
        return PW_ERR_FACTS;
    }
    /* Anything but white space after the value is an error too. */
    for (const char *p = end; p < json + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            cJSON_Delete(root);
            pf_reset(&ctx->facts);
            ctx->pending = true;
            pwi_fail(err, PW_ERR_FACTS, "unexpected text after the JSON value at byte %zu",
                    (size_t)(p - json));
            pw_json_position(json, (size_t)(p - json), err);
            return PW_ERR_FACTS;
        }
    }
    /* Integers as written, and no U+0000 in text (docs/coach-record.md). */
    if (!pf_json_scan(root, json, len)) {
        cJSON_Delete(root);
        pf_reset(&ctx->facts);
        ctx->pending = true;
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory reading the facts");
    }
    pw_status st = pwi_context_set_cjson(ctx, root, err);
    cJSON_Delete(root);
    return st;
}

pw_status pw_context_set_limits(pw_context *ctx, const pw_limits *limits, pw_error *err)
{
    if (!ctx)
        return pwi_fail(err, PW_ERR_USAGE, "pw_context_set_limits: NULL context");
    pw_limits copy;
    pw_status st = pwi_options(limits, sizeof copy, &copy, "pw_limits", err);
    if (st != PW_OK)
        return st;
    const pw_limits *l = &copy;
    if (l->max_json_depth > PW_MAX_JSON_DEPTH)
        return pwi_fail(err, PW_ERR_USAGE, "max_json_depth %u is above %u, the JSON parser's own bound",
                       (unsigned)l->max_json_depth, PW_MAX_JSON_DEPTH);
    /* Zero keeps each layer's default. */
    ctx->facts.max_list = l->max_list_items;
    ctx->facts.max_depth = l->max_json_depth;
    ctx->facts.max_string = l->max_text_bytes;
    ctx->vm.budget = l->max_instructions ? l->max_instructions : PV_DEFAULT_BUDGET;
    return pw_done(err);
}

/* A facts call failed: facts that do not fit, or no memory to hold them. */
static pw_status pw_facts_fail(const pw_context *ctx, pw_error *err, const char *msg)
{
    pw_status st = pwi_fail(err, ctx->facts.oom ? PW_ERR_NOMEM : PW_ERR_FACTS, "%s", msg);
    if (!err)
        return st;
    /* The facts layer starts a message about one field with "`path`: ";
     * a required field left out is named after it, under that path when
     * it is a list element's ("`certificates[0]`: missing required field
     * `issued`" is certificates[0].issued). */
    const char *end = msg[0] == '`' ? strstr(msg + 1, "`: ") : NULL;
    int plen = end ? (int)(end - msg - 1) : 0;
    static const char missing[] = "missing required field `";
    const char *m = strstr(end ? end + 3 : msg, missing);
    const char *name = m ? m + sizeof missing - 1 : NULL;
    const char *close = name ? strchr(name, '`') : NULL;
    if (close)
        snprintf(err->field, sizeof err->field, "%.*s%s%.*s", plen, end ? msg + 1 : "", plen ? "." : "",
                 (int)(close - name), name);
    else if (end)
        snprintf(err->field, sizeof err->field, "%.*s", plen, msg + 1);
    return st;
}

pw_status pwi_context_set_cjson(pw_context *ctx, const cJSON *record, pw_error *err)
{
    if (!ctx || !record)
        return pwi_fail(err, PW_ERR_USAGE, "pwi_context_set_cjson: NULL argument");
    pw_forget_results(ctx);
    ctx->pending = false;
    char msg[512];
    if (!pf_load_json(&ctx->facts, record, msg, sizeof msg)) {
        ctx->pending = true; /* the record was reset: no phantom coach to evaluate */
        return pw_facts_fail(ctx, err, msg);
    }
    return pw_done(err);
}

/* Field-by-field setters share their checks and error handling. */
#define PW_SETTER(fn, type, call)                                                    \
    pw_status fn(pw_context *ctx, const char *path, type value, pw_error *err)      \
    {                                                                                \
        if (!ctx || !path)                                                           \
            return pwi_fail(err, PW_ERR_USAGE, #fn ": NULL argument");                 \
        char msg[512];                                                               \
        pw_forget_results(ctx);                                                      \
        ctx->pending = true;                                                         \
        if (!call(&ctx->facts, path, value, msg, sizeof msg))                        \
            return pw_facts_fail(ctx, err, msg);                                     \
        return pw_done(err);                                                         \
    }

PW_SETTER(pw_context_set_int, int64_t, pf_set_int)
PW_SETTER(pw_context_set_number, double, pf_set_number)
PW_SETTER(pw_context_set_bool, bool, pf_set_bool)
PW_SETTER(pw_context_set_text, const char *, pf_set_text)
PW_SETTER(pw_context_set_date, pw_date, pf_set_date)

pw_status pw_context_set_none(pw_context *ctx, const char *path, pw_error *err)
{
    if (!ctx || !path)
        return pwi_fail(err, PW_ERR_USAGE, "pw_context_set_none: NULL argument");
    char msg[512];
    pw_forget_results(ctx);
    ctx->pending = true;
    if (!pf_set_none(&ctx->facts, path, msg, sizeof msg))
        return pw_facts_fail(ctx, err, msg);
    return pw_done(err);
}

pw_status pw_context_add(pw_context *ctx, const char *path, size_t *index, pw_error *err)
{
    if (!ctx || !path || !index)
        return pwi_fail(err, PW_ERR_USAGE, "pw_context_add: NULL argument");
    char msg[512];
    pw_forget_results(ctx);
    ctx->pending = true;
    if (!pf_append(&ctx->facts, path, index, msg, sizeof msg))
        return pw_facts_fail(ctx, err, msg);
    return pw_done(err);
}

/* ---- evaluating ----------------------------------------------------------- */

/* Sorts the program's nodes into the unmet / preferred / advice lists, in
 * declaration order, so that readers are O(1). */
static inline void pw_collect(pw_context *ctx, uint32_t p)
{
    const pb_image *img = ctx->program->img;
    const uint32_t first = img->progs[p].first_req, ntop = ctx->ntop[p];
    const uint8_t *out = ctx->outcomes + first;
    const uint32_t *order = ctx->order + first;
    const pb_req *reqs = img->reqs + first;
    uint32_t *list = ctx->lists + first;
    /* Counted in locals: the stores to list[] may alias ctx's fields. */
    uint32_t n = 0, counts[3] = {0, 0, 0};
    for (uint32_t k = 0; k < ntop; k++) {
        uint32_t i = order[k];
        if (out[i] == PV_UNMET) {
            list[n++] = i;
            counts[reqs[i].role]++;
        }
    }
    ctx->nunmet[p] = counts[PB_ROLE_REQUIRE];
    ctx->npref[p] = counts[PB_ROLE_PREFER];
    ctx->nadvice[p] = counts[PB_ROLE_ADVISE];
}

static pw_status pw_prepare(pw_context *ctx, pw_error *err)
{
    if (!ctx->pending)
        return PW_OK;
    char msg[512];
    if (!pf_complete(&ctx->facts, msg, sizeof msg))
        return pw_facts_fail(ctx, err, msg);
    ctx->pending = false;
    return PW_OK;
}

/* A question about the caller's facts (explain, when, plan) runs on a
 * context of its own, so that the caller's results stay as they were: the
 * same program and limits, and the facts copied through JSON, which also
 * gives the plan search a record to add certificates to. */
pw_status pwi_context_copy(pw_context *src, pw_context **out, cJSON **record, pw_error *err)
{
    *out = NULL;
    *record = NULL;
    pw_status st = pw_prepare(src, err);
    if (st != PW_OK)
        return st;
    cJSON *r = pf_to_cjson(&src->facts);
    if (!r)
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory copying the facts");
    pw_context *c = NULL;
    st = pw_context_new(src->program, &c, err);
    if (st == PW_OK) {
        c->facts.max_list = src->facts.max_list;
        c->facts.max_depth = src->facts.max_depth;
        c->facts.max_string = src->facts.max_string;
        c->vm.budget = src->vm.budget;
        st = pwi_context_set_cjson(c, r, err);
    }
    if (st != PW_OK) {
        pw_context_free(c);
        cJSON_Delete(r);
        return st;
    }
    *out = c;
    *record = r;
    return PW_OK;
}

/* A context's results, saved (pwi_context_save): the per-program and
 * per-node arrays an evaluation fills, one block after this header. */
struct pwi_saved {
    uint64_t executed;
};

/* The arrays saved, in the block's order: where each lives and its size. */
static size_t pwi_saved_parts(pw_context *ctx, void **where[9], size_t size[9])
{
    size_t np = ctx->program->img->nprogs, nr = ctx->program->img->nreqs;
    void **w[9] = {(void **)&ctx->nunmet, (void **)&ctx->npref, (void **)&ctx->nadvice, (void **)&ctx->lists,
                   (void **)&ctx->evaluated, (void **)&ctx->eligible, (void **)&ctx->verdict,
                   (void **)&ctx->outcomes, (void **)&ctx->decided};
    size_t z[9] = {np * sizeof *ctx->nunmet, np * sizeof *ctx->npref, np * sizeof *ctx->nadvice,
                   nr * sizeof *ctx->lists, np, np, np, nr, nr};
    size_t total = 0;
    for (int i = 0; i < 9; i++) {
        where[i] = w[i];
        size[i] = z[i];
        total += z[i];
    }
    return total;
}

pw_status pwi_context_save(pw_context *ctx, struct pwi_saved **out, pw_error *err)
{
    *out = NULL;
    pw_status st = pw_prepare(ctx, err);
    if (st != PW_OK)
        return st;
    void **where[9];
    size_t size[9];
    size_t total = pwi_saved_parts(ctx, where, size);
    struct pwi_saved *s = malloc(sizeof *s + total);
    if (!s)
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory saving the context's results");
    s->executed = ctx->vm.executed;
    unsigned char *at = (unsigned char *)(s + 1);
    for (int i = 0; i < 9; i++) {
        if (size[i])
            memcpy(at, *where[i], size[i]);
        at += size[i];
    }
    *out = s;
    return PW_OK;
}

void pwi_context_restore(pw_context *ctx, struct pwi_saved *s)
{
    if (!s)
        return;
    void **where[9];
    size_t size[9];
    pwi_saved_parts(ctx, where, size);
    const unsigned char *at = (const unsigned char *)(s + 1);
    for (int i = 0; i < 9; i++) {
        if (size[i])
            memcpy(*where[i], at, size[i]);
        at += size[i];
    }
    ctx->vm.executed = s->executed;
    free(s);
}

/* For each unmet requirement a person decides: what the facts record,
 * from its decision function (pb_decision). */
static void pw_decisions(pw_context *ctx, uint32_t p, pw_date as_of)
{
    const pb_image *img = ctx->program->img;
    const pb_prog *pr = &img->progs[p];
    for (uint32_t i = 0; i < pr->nreqs; i++) {
        uint32_t node = pr->first_req + i;
        ctx->decided[node] = 0;
        uint32_t fn;
        if (ctx->outcomes[node] != PV_UNMET || (fn = pb_decision(img, node, NULL)) == PB_NO_DECISION)
            continue;
        pv_value v;
        /* The requirement's leaf is this function's `= yes` (bc/decision.h):
         * pv_run just ran it within the same budget, counted afresh by
         * pv_call, and it can fail no other way (it reads the decisions
         * and compares texts); should it, nothing is taken as decided. */
        pv_error verr;
        bool ran = pv_call(&ctx->vm, ctx->facts.root, as_of, fn, NULL, &v, &verr);
        if (PU_NEVER(!ran))
            continue;
        ctx->decided[node] = (uint8_t)(1 + (v.as.i == PB_DECIDED_NO ? PB_DECIDED_NO : PB_DECIDED_NOTHING));
    }
}

/* A program's verdict from its periods and whether its requirements hold. */
static pw_verdict pw_verdict_at(const pb_prog *pr, pw_date as_of, bool eligible)
{
    switch (pv_force_at(pr->from, pr->until, as_of)) {
    case PV_NOT_YET: return PW_NOT_YET_IN_FORCE;
    case PV_WITHDRAWN: return PW_WITHDRAWN;
    default: break;
    }
    switch (pv_force_at(pr->opens, pr->closes, as_of)) {
    case PV_NOT_YET: return PW_NOT_YET_OPEN;
    case PV_WITHDRAWN: return PW_CLOSED;
    default: return eligible ? PW_ELIGIBLE : PW_NOT_ELIGIBLE;
    }
}

/* Program p's runtime error, with its place when the VM knows it. */
static pw_status pw_eval_fail(const pw_context *ctx, uint32_t p, const pv_error *verr, pw_error *err)
{
    const pb_image *img = ctx->program->img;
    const char *file = verr->file < img->nstrings ? img->strings[verr->file] : NULL;
    const char *id = img->strings[img->progs[p].id];
    if (!file || !verr->line)
        return pwi_fail(err, PW_ERR_EVAL, "%s (program `%s`)", verr->message, id);
    pwi_fail(err, PW_ERR_EVAL, "%s:%u:%u: %s (program `%s`)", file, verr->line, verr->col, verr->message, id);
    if (err) {
        snprintf(err->file, sizeof err->file, "%s", file);
        err->line = verr->line;
        err->column = verr->col;
    }
    return PW_ERR_EVAL;
}

/* Program p's results, once its outcomes are in place: what a person
 * decides, the verdict, the lists. */
static inline void pw_finish(pw_context *ctx, uint32_t p, pw_date as_of, bool eligible)
{
    if (ctx->has_decision[p])
        pw_decisions(ctx, p, as_of);
    ctx->eligible[p] = eligible;
    ctx->verdict[p] = (uint8_t)pw_verdict_at(&ctx->program->img->progs[p], as_of, eligible);
    ctx->evaluated[p] = 1;
    pw_collect(ctx, p);
}

/* Program p, by the VM, or from the native entry's outcomes and
 * eligibility when `native` (pw_evaluate_all). */
static pw_status pw_run_one(pw_context *ctx, uint32_t p, pw_date as_of, bool native, pw_error *err)
{
    const pb_prog *pr = &ctx->program->img->progs[p];
    bool eligible = native && ctx->native_eligible[p];
    pv_error verr;
    ctx->evaluated[p] = 0;
    /* The VM writes the outcomes in place; after an error they are not
     * read (evaluated[p] stays 0). */
    uint8_t *outcomes = ctx->outcomes + pr->first_req;
    if (native)
        memcpy(outcomes, ctx->native_outcomes + pr->first_req, pr->nreqs);
    else if (!pv_run_into(&ctx->vm, ctx->facts.root, as_of, p, outcomes, &eligible, &verr))
        return pw_eval_fail(ctx, p, &verr, err);
    pw_finish(ctx, p, as_of, eligible);
    return PW_OK;
}

/* Programs by the VM in one call (pv_run_all), with what pw_run_one gives
 * program by program: those after a program that fails are left as they
 * were. progs as for pv_run_all. */
static pw_status pw_run_all(pw_context *ctx, const size_t *progs, size_t n, pw_date as_of, pw_error *err)
{
    size_t failed = n;
    pv_error verr;
    bool ran = pv_run_all(&ctx->vm, ctx->facts.root, as_of, progs, n, ctx->outcomes, ctx->eligible, &failed, &verr);
    /* The programs whose outcomes were written, the failed one included. */
    size_t written = ran ? n : failed + 1;
    for (size_t k = 0; k < written; k++)
        ctx->evaluated[progs ? progs[k] : k] = 0;
    for (size_t k = 0; k < failed; k++) {
        uint32_t p = (uint32_t)(progs ? progs[k] : k);
        pw_finish(ctx, p, as_of, ctx->eligible[p]);
    }
    return ran ? PW_OK : pw_eval_fail(ctx, (uint32_t)(progs ? progs[failed] : failed), &verr, err);
}

pw_status pwi_evaluate_list(pw_context *ctx, const size_t *progs, size_t n, pw_date as_of, pw_error *err)
{
    /* The callers took the indices from the program (pw_result_format_new,
     * the command line's --program). */
    for (size_t k = 0; k < n; k++)
        PU_ASSERT(progs[k] < ctx->program->img->nprogs);
    pw_status st = pw_prepare(ctx, err);
    if (st == PW_OK)
        st = pw_run_all(ctx, progs, n, as_of, err);
    return st == PW_OK ? pw_done(err) : st;
}

pw_status pw_evaluate(pw_context *ctx, size_t prog, pw_date as_of, pw_error *err)
{
    if (!ctx)
        return pwi_fail(err, PW_ERR_USAGE, "pw_evaluate: NULL context");
    if (prog >= ctx->program->img->nprogs)
        return pwi_fail(err, PW_ERR_USAGE, "pw_evaluate: no program %zu (the rule set has %u)", prog,
                       ctx->program->img->nprogs);
    pw_status st = pw_prepare(ctx, err);
    if (st == PW_OK)
        st = pw_run_one(ctx, (uint32_t)prog, as_of, false, err);
    return st == PW_OK ? pw_done(err) : st;
}

pw_status pwi_native_run(pw_context *ctx, pw_date as_of, bool *ran, pw_error *err)
{
    *ran = false;
    pw_status st = pw_prepare(ctx, err);
    /* A tool noting day windows (pv_window_open) needs the VM's runs. */
    const pw_native *native = ctx->vm.track ? NULL : ctx->program->native;
    if (st == PW_OK && native && ctx->native_scratch_size < native->scratch_size) {
        /* Once per context and compiled rule set. */
        void *s = malloc(native->scratch_size);
        if (!s) {
            st = pwi_fail(err, PW_ERR_NOMEM, "out of memory");
        } else {
            free(ctx->native_scratch);
            ctx->native_scratch = s;
            ctx->native_scratch_size = native->scratch_size;
        }
    }
    if (st == PW_OK && native) {
        /* Every program at once; the VM only for those the generated code
         * gave up on (a runtime error or the budget: the VM then reports it
         * exactly as it always does). */
        pw_native_run run = {(const pw_native_value *)ctx->facts.root, as_of, ctx->vm.budget,
                             ctx->native_outcomes, ctx->native_eligible, ctx->fallback, ctx->native_scratch};
        native->entry(&run);
        *ran = true;
    }
    return st;
}

pw_status pwi_native_result(pw_context *ctx, size_t prog, pw_date as_of, pw_error *err)
{
    pw_status st = pw_run_one(ctx, (uint32_t)prog, as_of, !ctx->fallback[prog], err);
    return st == PW_OK ? pw_done(err) : st;
}

pw_status pw_evaluate_all(pw_context *ctx, pw_date as_of, pw_error *err)
{
    if (!ctx)
        return pwi_fail(err, PW_ERR_USAGE, "pw_evaluate_all: NULL context");
    bool native;
    pw_status st = pwi_native_run(ctx, as_of, &native, err);
    if (st == PW_OK && !native)
        st = pw_run_all(ctx, NULL, ctx->program->img->nprogs, as_of, err);
    for (uint32_t p = 0; st == PW_OK && native && p < ctx->program->img->nprogs; p++)
        st = pw_run_one(ctx, p, as_of, !ctx->fallback[p], err);
    return st == PW_OK ? pw_done(err) : st;
}

/* ---- results -------------------------------------------------------------- */

static bool pw_has_result(const pw_context *ctx, size_t prog)
{
    return ctx && prog < ctx->program->img->nprogs && ctx->evaluated[prog];
}

bool pw_result_eligible(const pw_context *ctx, size_t prog)
{
    return pw_has_result(ctx, prog) && ctx->eligible[prog];
}

pw_verdict pw_result_verdict(const pw_context *ctx, size_t prog)
{
    if (!ctx || prog >= ctx->program->img->nprogs)
        return PW_VERDICT_NO_PROGRAM;
    return ctx->evaluated[prog] ? (pw_verdict)ctx->verdict[prog] : PW_VERDICT_NOT_EVALUATED;
}

pw_outcome pw_result_outcome(const pw_context *ctx, size_t prog, size_t req)
{
    if (!ctx || prog >= ctx->program->img->nprogs || req >= ctx->program->img->progs[prog].nreqs)
        return PW_NO_REQUIREMENT;
    if (!ctx->evaluated[prog])
        return PW_NOT_EVALUATED;
    return (pw_outcome)ctx->outcomes[ctx->program->img->progs[prog].first_req + req];
}

static const char *pw_list_label(const pw_context *ctx, size_t prog, size_t skip, size_t i, uint32_t n)
{
    if (i >= n) /* the callers checked pw_has_result */
        return NULL;
    const pb_image *img = ctx->program->img;
    uint32_t first = img->progs[prog].first_req;
    uint32_t node = ctx->lists[first + skip + i];
    return img->strings[img->reqs[first + node].label];
}

size_t pw_result_unmet_count(const pw_context *ctx, size_t prog)
{
    return pw_has_result(ctx, prog) ? ctx->nunmet[prog] : 0;
}

const char *pw_result_unmet_label(const pw_context *ctx, size_t prog, size_t i)
{
    return pw_has_result(ctx, prog) ? pw_list_label(ctx, prog, 0, i, ctx->nunmet[prog]) : NULL;
}

size_t pw_result_preferred_unmet_count(const pw_context *ctx, size_t prog)
{
    return pw_has_result(ctx, prog) ? ctx->npref[prog] : 0;
}

const char *pw_result_preferred_unmet_label(const pw_context *ctx, size_t prog, size_t i)
{
    return pw_has_result(ctx, prog) ? pw_list_label(ctx, prog, ctx->nunmet[prog], i, ctx->npref[prog])
                                    : NULL;
}

size_t pw_result_advice_count(const pw_context *ctx, size_t prog)
{
    return pw_has_result(ctx, prog) ? ctx->nadvice[prog] : 0;
}

const char *pw_result_advice(const pw_context *ctx, size_t prog, size_t i)
{
    return pw_has_result(ctx, prog)
               ? pw_list_label(ctx, prog, ctx->nunmet[prog] + ctx->npref[prog], i, ctx->nadvice[prog])
               : NULL;
}

int pt_result_decision(const pw_context *ctx, size_t prog, size_t node, const char **who)
{
    if (!pw_has_result(ctx, prog) || !ctx->has_decision[prog] ||
        node >= ctx->program->img->progs[prog].nreqs)
        return -1;
    uint32_t at = ctx->program->img->progs[prog].first_req + (uint32_t)node;
    if (!ctx->decided[at])
        return -1;
    pb_decision(ctx->program->img, at, who);
    return ctx->decided[at] - 1;
}

pw_status pt_decision_at(pw_context *ctx, size_t version, size_t node, pw_date day, const char **who,
                         int *decided, pw_error *err)
{
    *decided = -1;
    const pb_image *img = ctx->program->img;
    if (version >= img->nprogs || node >= img->progs[version].nreqs)
        return pwi_fail(err, PW_ERR_USAGE, "no requirement %zu in program %zu", node, version);
    uint32_t fn = pb_decision(img, img->progs[version].first_req + (uint32_t)node, who);
    if (fn == PB_NO_DECISION)
        return PW_OK;
    pw_status st = pw_prepare(ctx, err);
    if (st != PW_OK)
        return st;
    pv_value v;
    pv_error verr;
    if (!pv_call(&ctx->vm, ctx->facts.root, day, fn, NULL, &v, &verr))
        return pwi_fail(err, PW_ERR_EVAL, "%s (program `%s`)", verr.message, img->strings[img->progs[version].id]);
    *decided = v.as.i == PB_DECIDED_YES ? PB_DECIDED_YES : v.as.i == PB_DECIDED_NO ? PB_DECIDED_NO
                                                                              : PB_DECIDED_NOTHING;
    return PW_OK;
}

/* The i-th awaiting node of prog, or the count when i is SIZE_MAX. */
static size_t pw_awaiting(const pw_context *ctx, size_t prog, size_t i, const char **label)
{
    size_t n = 0;
    if (!pw_has_result(ctx, prog) || !ctx->has_decision[prog])
        return 0;
    const pb_image *img = ctx->program->img;
    const pb_prog *pr = &img->progs[prog];
    for (uint32_t k = 0; k < pr->nreqs; k++) {
        uint32_t at = pr->first_req + k;
        if (img->reqs[at].role != PB_ROLE_REQUIRE || ctx->decided[at] != 1 + PB_DECIDED_NOTHING)
            continue;
        if (n++ == i) {
            *label = img->strings[img->reqs[at].label];
            return n;
        }
    }
    return n;
}

size_t pt_result_awaiting_count(const pw_context *ctx, size_t prog)
{
    const char *label;
    return pw_awaiting(ctx, prog, SIZE_MAX, &label);
}

const char *pt_result_awaiting_label(const pw_context *ctx, size_t prog, size_t i)
{
    const char *label = NULL;
    pw_awaiting(ctx, prog, i, &label);
    return label;
}
