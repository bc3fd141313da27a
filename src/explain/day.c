/* One day: the verdict pw_evaluate gives, and a requirement evaluated in
 * full (groups without short-circuit) by the same VM. */
#include <string.h>

#include "explain.h"

pw_status px_verdict_at(pw_context *ctx, size_t first, pw_date day, size_t *version, pw_verdict *v,
                        pw_error *err)
{
    size_t ver = pw_program_version_at(pt_context_program(ctx), first, day);
    pw_status st = pw_evaluate(ctx, ver, day, err);
    if (st != PW_OK)
        return st;
    *version = ver;
    *v = pw_result_verdict(ctx, ver);
    return PW_OK;
}

/* A VM error from a direct call, worded as pw_evaluate words its own. */
static pw_status px_vm_fail(const pw_context *ctx, size_t version, const pv_error *verr, pw_error *err)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const char *prog = img->strings[img->progs[version].id];
    const char *file = verr->file < img->nstrings ? img->strings[verr->file] : NULL;
    if (file && verr->line)
        return pt_fail(err, PW_ERR_EVAL, "%s:%u:%u: %s (program `%s`)", file, verr->line, verr->col,
                       verr->message, prog);
    return pt_fail(err, PW_ERR_EVAL, "%s (program `%s`)", verr->message, prog);
}

/* Node i (an index into img->reqs) on `day`, in full. The counting is the
 * VM's (pv_group): members not in force count neither way; `all of` needs
 * every member in force, `any of` one, `at least N of` N. */
static pw_status px_node(pw_context *ctx, size_t version, uint32_t i, pw_date day, pw_outcome *out,
                         unsigned *met_out, unsigned *members_out, pw_error *err)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const pb_req *r = &img->reqs[i];
    if (pv_force_at(r->from, r->until, day) != PV_IN_FORCE) {
        *out = PW_NOT_IN_FORCE;
        return PW_OK;
    }
    if (r->kind == PB_R_LEAF) {
        pv_value v;
        pv_error verr;
        if (!pv_call(pt_context_vm(ctx), pt_context_facts(ctx)->root, day, r->func, NULL, &v, &verr))
            return px_vm_fail(ctx, version, &verr, err);
        *out = v.as.b && !v.none ? PW_MET : PW_UNMET;
        return PW_OK;
    }
    unsigned met = 0, members = 0;
    for (uint32_t m = 0, j = i + 1; m < r->nchildren; m++, j += img->reqs[j].size) {
        pw_outcome o;
        pw_status st = px_node(ctx, version, j, day, &o, NULL, NULL, err);
        if (st != PW_OK)
            return st;
        members += o != PW_NOT_IN_FORCE;
        met += o == PW_MET;
    }
    unsigned need = r->kind == PB_R_ALL ? members : r->kind == PB_R_ANY ? 1 : r->min;
    *out = met >= need ? PW_MET : PW_UNMET;
    if (met_out)
        *met_out = met;
    if (members_out)
        *members_out = members;
    return PW_OK;
}

pw_status px_holds_at(pw_context *ctx, size_t version, size_t node, pw_date day, pw_outcome *out,
                      unsigned *met, unsigned *members, pw_error *err)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const pb_prog *p = &img->progs[version];
    if (met)
        *met = 0;
    if (members)
        *members = 0;
    if (node >= p->nreqs)
        return pt_fail(err, PW_ERR_USAGE, "no requirement %zu in program `%s`", node, img->strings[p->id]);
    if (pv_force_at(p->from, p->until, day) != PV_IN_FORCE) {
        *out = PW_NOT_IN_FORCE;
        return PW_OK;
    }
    if (pt_context_pending(ctx)) {
        /* Completes facts set field by field (or fails naming the field). */
        pw_status st = pw_evaluate(ctx, version, day, err);
        if (st != PW_OK)
            return st;
    }
    return px_node(ctx, version, p->first_req + (uint32_t)node, day, out, met, members, err);
}

pw_status px_node_at(pw_context *ctx, size_t version, size_t node, pw_date day, pw_outcome *out, pw_error *err)
{
    const pb_prog *p = &pt_program_image(pt_context_program(ctx))->progs[version];
    if (node >= p->nreqs)
        return pt_fail(err, PW_ERR_USAGE, "no requirement %zu in program `%s`", node,
                       pt_program_image(pt_context_program(ctx))->strings[p->id]);
    if (pt_context_pending(ctx)) {
        pw_status st = pw_evaluate(ctx, version, day, err);
        if (st != PW_OK)
            return st;
    }
    return px_node(ctx, version, p->first_req + (uint32_t)node, day, out, NULL, NULL, err);
}
