/* The public entry points: one JSON record in, a structure out. */
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

/* The caller's options in this release's layout; NULL stays NULL (today,
 * the default horizon, every program). */
static pw_status px_options(const pw_explain_options *given, pw_explain_options *copy,
                            const pw_explain_options **use, pw_error *err)
{
    *use = NULL;
    if (!given)
        return PW_OK;
    pw_status st = pt_options(given, sizeof *copy, copy, "pw_explain_options", err);
    if (st == PW_OK)
        *use = copy;
    return st;
}

/* A context holding the record, for one question. */
static pw_status px_open(const pw_program *program, const char *json, size_t len, pw_context **ctx,
                         cJSON **record, pw_error *err)
{
    *ctx = NULL;
    *record = NULL;
    if (!program || !json)
        return pt_fail(err, PW_ERR_USAGE, "NULL argument");
    cJSON *r = cJSON_ParseWithLength(json, len);
    if (!r)
        return pt_fail(err, PW_ERR_FACTS, "the facts are not valid JSON");
    if (!pf_json_scan(r, json, len)) {
        cJSON_Delete(r);
        return pt_fail(err, PW_ERR_NOMEM, "out of memory reading the facts");
    }
    if (!cJSON_IsObject(r)) {
        cJSON_Delete(r);
        return pt_fail(err, PW_ERR_FACTS, "the facts are not a JSON object");
    }
    pw_status st = pw_context_new(program, ctx, err);
    if (st == PW_OK)
        st = pt_context_set_cjson(*ctx, r, err);
    if (st != PW_OK) {
        pw_context_free(*ctx);
        *ctx = NULL;
        cJSON_Delete(r);
        return st;
    }
    *record = r;
    return PW_OK;
}

pw_status pw_explain(const pw_program *program, const char *json, size_t len, const pw_explain_options *options,
                     pw_explanation **out, pw_error *err)
{
    if (!out)
        return pt_fail(err, PW_ERR_USAGE, "pw_explain: NULL argument");
    *out = NULL;
    pw_context *ctx;
    cJSON *r;
    pw_explain_options copy;
    const pw_explain_options *o;
    pw_status st = px_options(options, &copy, &o, err);
    if (st != PW_OK)
        return st;
    st = px_open(program, json, len, &ctx, &r, err);
    if (st == PW_OK)
        st = px_explain(ctx, px_coach_id(r), o, out, err);
    pw_context_free(ctx);
    cJSON_Delete(r);
    return st;
}

pw_status pw_when(const pw_program *program, const char *json, size_t len, const char *program_id,
                  const pw_explain_options *options, pw_eligibility **out, pw_error *err)
{
    if (!out || !program_id)
        return pt_fail(err, PW_ERR_USAGE, "pw_when: NULL argument");
    *out = NULL;
    pw_context *ctx;
    cJSON *r;
    pw_explain_options copy;
    const pw_explain_options *o;
    pw_status st = px_options(options, &copy, &o, err);
    if (st != PW_OK)
        return st;
    st = px_open(program, json, len, &ctx, &r, err);
    if (st == PW_OK)
        st = px_when(ctx, px_coach_id(r), program_id, o, out, err);
    pw_context_free(ctx);
    cJSON_Delete(r);
    return st;
}

pw_status pw_plan_find(const pw_program *program, const char *json, size_t len, const char *target,
                       const pw_explain_options *options, pw_plan **out, pw_error *err)
{
    if (!out || !target)
        return pt_fail(err, PW_ERR_USAGE, "pw_plan_find: NULL argument");
    *out = NULL;
    pw_context *ctx;
    cJSON *r;
    pw_explain_options copy;
    const pw_explain_options *o;
    pw_status st = px_options(options, &copy, &o, err);
    if (st != PW_OK)
        return st;
    st = px_open(program, json, len, &ctx, &r, err);
    if (st == PW_OK)
        st = px_plan(ctx, r, target, o, out, err);
    pw_context_free(ctx);
    cJSON_Delete(r);
    return st;
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
