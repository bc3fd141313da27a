/* One day: the verdict pw_evaluate gives, and a requirement evaluated in
 * full (groups without short-circuit) by the same VM. */
#include <stdlib.h>
#include <string.h>

#include "bc/code.h"

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

/* Whether function f, or any function it calls, pushes the evaluation date;
 * m->func remembers each function's answer (PX_FN_*). */
enum { PX_FN_UNKNOWN, PX_FN_VISITING, PX_FN_FREE, PX_FN_READS };
static bool px_func_reads_day(px_memo *m, const pb_image *img, uint32_t f)
{
    if (f >= img->nfuncs)
        return true; /* cannot tell: assume it does */
    if (m->func[f] != PX_FN_UNKNOWN)
        return m->func[f] == PX_FN_READS; /* a call cycle: its own code decides */
    m->func[f] = PX_FN_VISITING;
    const pb_func *fn = &img->funcs[f];
    size_t end = (size_t)fn->code_off + fn->code_len;
    bool reads = false;
    pb_insn in;
    for (size_t pc = fn->code_off; !reads && pc < end; pc += in.size)
        reads = !pb_decode(img->code, end, pc, &in) || in.op == PB_OP_PUSH_TODAY ||
                (in.op == PB_OP_CALL && px_func_reads_day(m, img, in.a));
    m->func[f] = reads ? PX_FN_READS : PX_FN_FREE;
    return reads;
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
static pw_status px_node(pw_context *ctx, px_memo *m, size_t version, uint32_t i, pw_date day,
                         pw_outcome *out, unsigned *met_out, unsigned *members_out, pw_error *err)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const pb_req *r = &img->reqs[i];
    /* Set on every path, errors too: an optimizer cannot see that
     * px_vm_fail never returns PW_OK. */
    *out = PW_UNMET;
    if (pv_force_at(r->from, r->until, day) != PV_IN_FORCE) {
        *out = PW_NOT_IN_FORCE;
        return PW_OK;
    }
    if (r->kind == PB_R_LEAF) {
        /* A leaf that never looks at the date holds the same every day it
         * is in force: with a memo it is evaluated once. */
        enum { PX_LEAF_UNKNOWN, PX_LEAF_DAY, PX_LEAF_FREE, PX_LEAF_MET, PX_LEAF_UNMET };
        uint8_t *leaf = m ? &m->leaf[i] : NULL;
        if (leaf && *leaf == PX_LEAF_UNKNOWN)
            *leaf = px_func_reads_day(m, img, r->func) ? PX_LEAF_DAY : PX_LEAF_FREE;
        if (leaf && (*leaf == PX_LEAF_MET || *leaf == PX_LEAF_UNMET)) {
            *out = *leaf == PX_LEAF_MET ? PW_MET : PW_UNMET;
            return PW_OK;
        }
        pv_value v;
        pv_error verr;
        if (!pv_call(pt_context_vm(ctx), pt_context_facts(ctx)->root, day, r->func, NULL, &v, &verr))
            return px_vm_fail(ctx, version, &verr, err);
        *out = v.as.b && !v.none ? PW_MET : PW_UNMET;
        if (leaf && *leaf == PX_LEAF_FREE)
            *leaf = *out == PW_MET ? PX_LEAF_MET : PX_LEAF_UNMET;
        return PW_OK;
    }
    unsigned met = 0, members = 0;
    for (uint32_t k = 0, j = i + 1; k < r->nchildren; k++, j += img->reqs[j].size) {
        pw_outcome o;
        pw_status st = px_node(ctx, m, version, j, day, &o, NULL, NULL, err);
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
    return px_holds_at_memo(ctx, NULL, version, node, day, out, met, members, err);
}

pw_status px_holds_at_memo(pw_context *ctx, px_memo *m, size_t version, size_t node, pw_date day,
                           pw_outcome *out, unsigned *met, unsigned *members, pw_error *err)
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
    return px_node(ctx, m, version, p->first_req + (uint32_t)node, day, out, met, members, err);
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
    return px_node(ctx, NULL, version, p->first_req + (uint32_t)node, day, out, NULL, NULL, err);
}

bool px_memo_init(px_memo *m, pw_context *ctx, pm_arena *a)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    /* What a function's code reads holds for every record: the context
     * keeps it from one explanation to the next. */
    m->func = pt_context_func_notes(ctx);
    m->leaf = pm_alloc(a, img->nreqs ? img->nreqs : 1);
    if (!m->leaf)
        return false;
    memset(m->leaf, 0, img->nreqs);
    return true;
}

/* A boundary b (the first day of a period, or the day after its last) seen
 * from day d: the nearest day beyond d, in the direction of step, whose
 * holding may differ from the day before it in that direction. */
static void px_consider(int64_t b, pw_date d, int step, int64_t *best)
{
    if (step > 0 && b > d && b < *best)
        *best = b;
    else if (step < 0 && b - 1 < d && b - 1 > *best)
        *best = b - 1;
}

pw_date px_next_change(const pb_image *img, const pb_prog *p, uint32_t i, pw_date d, int step)
{
    int64_t best = step > 0 ? (int64_t)PW_DATE_MAX : (int64_t)PW_DATE_MIN;
    const int64_t open_from = PB_OPEN_FROM, open_until = PB_OPEN_UNTIL;
    for (uint32_t j = i; j <= i + img->reqs[i].size; j++) {
        /* The program's period, then each node's of the subtree. */
        int32_t from = j == i + img->reqs[i].size ? p->from : img->reqs[j].from;
        int32_t until = j == i + img->reqs[i].size ? p->until : img->reqs[j].until;
        if (from != open_from)
            px_consider(from, d, step, &best);
        if (until != open_until)
            px_consider((int64_t)until + 1, d, step, &best);
    }
    return (pw_date)best;
}

/* The periods a verdict of program `first` (by id) on day d depends on:
 * every version's, and every requirement's of the version `ver` applying on
 * d. The first day after d on which one starts or ends. */
pw_date px_next_version_change(const pb_image *img, size_t first, size_t ver, pw_date d)
{
    int64_t best = PW_DATE_MAX;
    const int64_t open_from = PB_OPEN_FROM, open_until = PB_OPEN_UNTIL;
    for (uint32_t k = 0; k < img->nprogs; k++) {
        const pb_prog *p = &img->progs[k];
        if (p->id != img->progs[first].id)
            continue;
        if (p->from != open_from)
            px_consider(p->from, d, 1, &best);
        if (p->until != open_until)
            px_consider((int64_t)p->until + 1, d, 1, &best);
    }
    /* The enrolment window's ends: the verdict changes there too. */
    const pb_prog *v = &img->progs[ver];
    if (v->opens != open_from)
        px_consider(v->opens, d, 1, &best);
    if (v->closes != open_until)
        px_consider((int64_t)v->closes + 1, d, 1, &best);
    for (uint32_t j = v->first_req; j < v->first_req + v->nreqs; j++) {
        if (img->reqs[j].from != open_from)
            px_consider(img->reqs[j].from, d, 1, &best);
        if (img->reqs[j].until != open_until)
            px_consider((int64_t)img->reqs[j].until + 1, d, 1, &best);
    }
    return (pw_date)best;
}

int64_t px_after_window(const struct pv_state *vm, int step, pw_date boundary)
{
    int64_t next = boundary;
    if (step > 0 && (int64_t)vm->win_hi + 1 < next)
        next = (int64_t)vm->win_hi + 1;
    if (step < 0 && (int64_t)vm->win_lo - 1 > next)
        next = (int64_t)vm->win_lo - 1;
    return next;
}
