/* The public entry points: one JSON record, or the facts in a context, in;
 * a structure out. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

void pw_explain_options_init(pw_explain_options *options)
{
    if (options) {
        memset(options, 0, sizeof *options);
        options->size = sizeof *options;
    }
}

/* The three questions, asked the same way of a JSON record or a context. */
typedef enum px_kind { PX_EXPLAIN, PX_WHEN, PX_PLAN } px_kind;
typedef struct px_question {
    px_kind kind;
    const char *call;  /* the public function, for messages */
    const char *id;    /* when: the program; plan: the target */
    pw_explanation **explanation;
    pw_eligibility **eligibility;
    pw_plan **plan;
} px_question;

/* Clears the question's result pointer (whatever else is wrong); false
 * when it or a needed id is NULL. */
static bool px_start(const px_question *q)
{
    if (q->kind == PX_EXPLAIN) {
        if (q->explanation)
            *q->explanation = NULL;
        return q->explanation != NULL;
    }
    if (q->kind == PX_WHEN) {
        if (q->eligibility)
            *q->eligibility = NULL;
        return q->eligibility && q->id;
    }
    if (q->plan) /* PX_PLAN: the public functions make no other kind */
        *q->plan = NULL;
    return q->plan && q->id;
}

/* The caller's options in this release's layout; NULL gives `fallback`. */
static pw_status px_options(const pw_explain_options *given, const pw_explain_options *fallback,
                            pw_explain_options *copy, const pw_explain_options **use, pw_error *err)
{
    *use = fallback;
    if (!given)
        return PW_OK;
    pw_status st = pt_options(given, sizeof *copy, copy, "pw_explain_options", err);
    if (st == PW_OK)
        *use = copy;
    return st;
}

static pw_status px_ask(pw_context *ctx, const cJSON *r, const px_question *q, const pw_explain_options *o,
                        pw_error *err)
{
    if (q->kind == PX_EXPLAIN)
        return px_explain(ctx, px_coach_id(r), o, q->explanation, err);
    if (q->kind == PX_WHEN)
        return px_when(ctx, px_coach_id(r), q->id, o, q->eligibility, err);
    return px_plan(ctx, r, q->id, o, q->plan, err);
}

/* The question on a context of its own holding the record. */
static pw_status px_ask_json(const pw_program *program, const char *json, size_t len,
                             const pw_explain_options *options, const px_question *q, pw_error *err)
{
    if (!px_start(q) || !program || !json)
        return pt_fail(err, PW_ERR_USAGE, "%s: NULL argument", q->call);
    pw_explain_options copy;
    const pw_explain_options *o;
    pw_status st = px_options(options, NULL, &copy, &o, err);
    if (st != PW_OK)
        return st;
    cJSON *r = cJSON_ParseWithLength(json, len);
    if (!r)
        return pt_fail(err, PW_ERR_FACTS, "the facts are not valid JSON");
    pw_context *ctx = NULL;
    if (!pf_json_scan(r, json, len))
        st = pt_fail(err, PW_ERR_NOMEM, "out of memory reading the facts");
    else if (!cJSON_IsObject(r))
        st = pt_fail(err, PW_ERR_FACTS, "the facts are not a JSON object");
    else if ((st = pw_context_new(program, &ctx, err)) == PW_OK &&
             (st = pt_context_set_cjson(ctx, r, err)) == PW_OK)
        st = px_ask(ctx, r, q, o, err);
    pw_context_free(ctx);
    cJSON_Delete(r);
    return st;
}

/* The question on a host's context, whose own results stay as they were:
 * explain and when on the context itself, its results saved and restored
 * (a copy through JSON cost them several evaluations of the coach), a plan
 * on a copy (it adds certificates to the record). Without options: the
 * evaluation date is today and no other day is looked at (the cheap
 * answer). */
static pw_status px_ask_context(pw_context *host, const pw_explain_options *options, const px_question *q,
                                pw_error *err)
{
    if (!px_start(q) || !host)
        return pt_fail(err, PW_ERR_USAGE, "%s: NULL argument", q->call);
    pw_explain_options today, copy;
    pw_explain_options_init(&today);
    today.as_of = pw_date_today();
    today.horizon_days = PW_HORIZON_NONE;
    const pw_explain_options *o;
    pw_status st = px_options(options, &today, &copy, &o, err);
    if (st != PW_OK)
        return st;
    if (q->kind != PX_PLAN) { /* explain and when never change the facts */
        struct pwi_saved *saved;
        st = pt_context_save(host, &saved, err);
        if (st != PW_OK)
            return st;
        const char *coach = px_context_coach_id(host);
        st = q->kind == PX_EXPLAIN ? px_explain(host, coach, o, q->explanation, err)
                                   : px_when(host, coach, q->id, o, q->eligibility, err);
        pt_context_restore(host, saved);
        return st;
    }
    pw_context *ctx;
    cJSON *r;
    st = pt_context_copy(host, &ctx, &r, err);
    if (st == PW_OK)
        st = px_ask(ctx, r, q, o, err);
    pw_context_free(ctx);
    cJSON_Delete(r);
    return st;
}

pw_status pw_explain(const pw_program *program, const char *json, size_t len, const pw_explain_options *options,
                     pw_explanation **out, pw_error *err)
{
    px_question q = {PX_EXPLAIN, "pw_explain", NULL, out, NULL, NULL};
    return px_ask_json(program, json, len, options, &q, err);
}

pw_status pw_when(const pw_program *program, const char *json, size_t len, const char *program_id,
                  const pw_explain_options *options, pw_eligibility **out, pw_error *err)
{
    px_question q = {PX_WHEN, "pw_when", program_id, NULL, out, NULL};
    return px_ask_json(program, json, len, options, &q, err);
}

pw_status pw_plan_find(const pw_program *program, const char *json, size_t len, const char *target,
                       const pw_explain_options *options, pw_plan **out, pw_error *err)
{
    px_question q = {PX_PLAN, "pw_plan_find", target, NULL, NULL, out};
    return px_ask_json(program, json, len, options, &q, err);
}

pw_status pw_explain_context(pw_context *ctx, const pw_explain_options *options, pw_explanation **out,
                             pw_error *err)
{
    px_question q = {PX_EXPLAIN, "pw_explain_context", NULL, out, NULL, NULL};
    return px_ask_context(ctx, options, &q, err);
}

pw_status pw_when_context(pw_context *ctx, const char *program_id, const pw_explain_options *options,
                          pw_eligibility **out, pw_error *err)
{
    px_question q = {PX_WHEN, "pw_when_context", program_id, NULL, out, NULL};
    return px_ask_context(ctx, options, &q, err);
}

pw_status pw_plan_find_context(pw_context *ctx, const char *target, const pw_explain_options *options,
                               pw_plan **out, pw_error *err)
{
    px_question q = {PX_PLAN, "pw_plan_find_context", target, NULL, NULL, out};
    return px_ask_context(ctx, options, &q, err);
}

/* Each result lives in one arena, which it points to. */
static void px_release(void *internal)
{
    if (internal) {
        pm_free(internal);
        free(internal);
    }
}

void pw_explanation_free(pw_explanation *e)
{
    if (e)
        px_release(e->internal);
}

void pw_eligibility_free(pw_eligibility *e)
{
    if (e)
        px_release(e->internal);
}

void pw_plan_free(pw_plan *p)
{
    if (p)
        px_release(p->internal);
}
