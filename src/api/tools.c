/* The tools tier (tools.h) over the library's insides: narrow accessors, so
 * that no tool depends on the layout of pw_program or pw_context. */
#include "api_int.h"

pw_status pt_fail(pw_error *err, pw_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pwi_vfail(err, st, fmt, ap);
    va_end(ap);
    return st;
}

pw_status pt_options(const void *given, size_t known, void *copy, const char *what, pw_error *err)
{
    return pwi_options(given, known, copy, what, err);
}

const struct pb_image *pt_program_image(const pw_program *program)
{
    return program->img;
}

const pw_program *pt_context_program(const pw_context *ctx)
{
    return ctx->program;
}

bool pt_context_pending(const pw_context *ctx)
{
    return ctx->pending;
}

struct pf_facts *pt_context_facts(pw_context *ctx)
{
    return &ctx->facts;
}

const struct pf_facts *pt_context_cfacts(const pw_context *ctx)
{
    return &ctx->facts;
}

struct pv_state *pt_context_vm(pw_context *ctx)
{
    return &ctx->vm;
}

uint8_t *pt_context_func_notes(pw_context *ctx)
{
    return ctx->func_notes;
}

pw_status pt_context_set_cjson(pw_context *ctx, const struct cJSON *record, pw_error *err)
{
    return pwi_context_set_cjson(ctx, record, err);
}

pw_status pt_evaluate_list(pw_context *ctx, const size_t *progs, size_t n, pw_date as_of, pw_error *err)
{
    return pwi_evaluate_list(ctx, progs, n, as_of, err);
}

bool pt_context_try_json(pw_context *ctx, const char *json, size_t len, const char **id, pw_error *err)
{
    return pwi_context_try_stream(ctx, json, len, id, err);
}

pw_status pt_context_copy(pw_context *src, pw_context **out, struct cJSON **record, pw_error *err)
{
    return pwi_context_copy(src, out, record, err);
}

pw_status pt_context_save(pw_context *ctx, struct pwi_saved **saved, pw_error *err)
{
    return pwi_context_save(ctx, saved, err);
}

void pt_context_restore(pw_context *ctx, struct pwi_saved *saved)
{
    pwi_context_restore(ctx, saved);
}

void pt_result_format_append(const pw_result_format *f, const pw_context *ctx, const char *id, pu_buf *out)
{
    pwi_result_format_append(f, ctx, id, out);
}
