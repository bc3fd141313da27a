/* Computed totals, for explain: a `sum` or `count` over a list of the
 * facts, found in the code and run by the VM on its own and one entry at a
 * time (see seen_int.h). The code generator emits a total as
 *
 *     PUSH_INT 0 (PUSH_NUM 0.0)   STORE_LOCAL acc
 *     LOAD_FACT list              ITER_INIT it
 *   head:
 *     ITER_NEXT it -> done        STORE_LOCAL var
 *     the where clause            JUMP_FALSE -> next     (when there is one)
 *     LOAD_LOCAL acc              the value (PUSH_INT 1 for a count)
 *     ADD_INT (ADD_NUM)           STORE_LOCAL acc
 *   next:
 *     LOOP -> head
 *   done:
 *     LOAD_LOCAL acc
 *
 * and this file recognises exactly that shape, with every jump inside it;
 * anything else is not a total here (explain then shows less, never
 * something wrong). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc/bytecode.h"
#include "bc/code.h"
#include "seen_int.h"

static bool px_dec(const pb_image *img, size_t end, size_t pc, pb_insn *in)
{
    return pc < end && pb_decode(img->code, end, pc, in);
}

/* The accumulator's first value: 0 or 0.0. */
static bool px_zero(const pb_image *img, const pb_insn *in)
{
    if (in->op == PB_OP_PUSH_INT)
        return in->a < img->nints && img->ints[in->a] == 0;
    return in->op == PB_OP_PUSH_NUM && in->a < img->nnums && img->nums[in->a] == 0.0;
}

/* Whether the jumps of instruction `in` at pc land in [lo, hi). */
static bool px_jumps_inside(const pb_insn *in, size_t pc, size_t lo, size_t hi)
{
    size_t after = pc + in->size, to;
    switch (in->op) {
    case PB_OP_JUMP:
    case PB_OP_JUMP_FALSE:
    case PB_OP_JUMP_TRUE: to = after + in->a; break;
    case PB_OP_ITER_NEXT:
    case PB_OP_ITER_FIND: to = after + in->b; break;
    case PB_OP_LOOP:
        if (in->a > after)
            return false;
        to = after - in->a;
        break;
    case PB_OP_RET: return false;
    default: return true;
    }
    return to >= lo && to < hi;
}

/* The locals a total's code has written so far. A total that reads a local
 * it does not write (the variable of a quantifier around it: `any l in
 * licences where (count c in courses where c.completed >= l.issued) > 1`)
 * is not a value of its own, and is not taken for one. */
#define PX_LOCALS 64
typedef struct px_locals {
    uint32_t nparams; /* the function's parameters: set by its caller */
    unsigned n;
    uint32_t set[PX_LOCALS];
} px_locals;

static bool px_local_known(const px_locals *k, uint32_t a)
{
    if (a < k->nparams)
        return true;
    for (unsigned i = 0; i < k->n; i++)
        if (k->set[i] == a)
            return true;
    return false;
}

static bool px_local_write(px_locals *k, uint32_t a)
{
    if (px_local_known(k, a))
        return true;
    if (k->n == PX_LOCALS)
        return false;
    k->set[k->n++] = a;
    return true;
}

/* Whether instruction `in` reads only locals written before it (or
 * parameters); notes those it writes. */
static bool px_locals_ok(px_locals *k, const pb_insn *in)
{
    switch (in->op) {
    case PB_OP_LOAD_LOCAL: return px_local_known(k, in->a);
    case PB_OP_STORE_LOCAL: return px_local_write(k, in->a);
    case PB_OP_ITER_INIT: return px_local_write(k, in->a) && px_local_write(k, in->a + 1);
    case PB_OP_ITER_KEY: return px_local_known(k, in->a) && px_local_write(k, in->a + 2);
    case PB_OP_ITER_NEXT: return px_local_known(k, in->a) && px_local_known(k, in->a + 1);
    case PB_OP_ITER_FIND:
        return px_local_known(k, in->a) && px_local_known(k, in->a + 1) && px_local_known(k, in->a + 2);
    default: return true;
    }
}

/* What the last instructions of the body say: a count adds 1, a sum adds
 * its value (a field of the entry: its name is shown). `tail` holds the
 * last n instructions, the LOOP last. */
static bool px_tail(const pb_image *img, const pb_insn *tail, unsigned n, uint32_t acc, uint32_t var,
                    px_quant *q)
{
    /* ... LOAD_LOCAL acc, value, ADD, STORE_LOCAL acc, LOOP */
    if (n < 5 || tail[n - 2].op != PB_OP_STORE_LOCAL || tail[n - 2].a != acc)
        return false;
    pb_op add = tail[n - 3].op;
    if (add != (q->type.kind == PB_T_NUM ? PB_OP_ADD_NUM : PB_OP_ADD_INT))
        return false;
    const pb_insn *v = &tail[n - 4];
    if (v->op == PB_OP_PUSH_INT && tail[n - 5].op == PB_OP_LOAD_LOCAL && tail[n - 5].a == acc &&
        img->ints[v->a] == 1) {
        q->kind = PX_COUNT;
        return true;
    }
    q->kind = PX_SUM;
    q->field = -1;
    unsigned at = n - 4;
    if (tail[at].op == PB_OP_INT_TO_NUM && at > 0)
        at--;
    if (at >= 2 && tail[at].op == PB_OP_LOAD_FIELD && tail[at - 1].op == PB_OP_LOAD_LOCAL &&
        tail[at - 1].a == var && tail[at - 2].op == PB_OP_LOAD_LOCAL && tail[at - 2].a == acc)
        q->field = (int32_t)(img->records[tail[at].a].first_field + tail[at].b);
    return true;
}

bool px_quant_at(const pb_image *img, size_t pc, size_t end, uint32_t nparams, px_quant *q)
{
    enum { TAIL = 8 };
    pb_insn zero, acc, list, init, next, var, in, fin;
    size_t p = pc;
    px_locals k = {.nparams = nparams};
    /* Tried at every instruction of a leaf: most are not even a push. */
    if (pc >= end || (img->code[pc] != PB_OP_PUSH_INT && img->code[pc] != PB_OP_PUSH_NUM))
        return false;
    if (!px_dec(img, end, p, &zero) || !px_zero(img, &zero))
        return false;
    p += zero.size;
    if (!px_dec(img, end, p, &acc) || acc.op != PB_OP_STORE_LOCAL)
        return false;
    p += acc.size;
    if (!px_dec(img, end, p, &list) || list.op != PB_OP_LOAD_FACT || list.a >= img->records[0].nfields ||
        img->fields[img->records[0].first_field + list.a].type.kind != PB_T_LIST)
        return false;
    p += list.size;
    if (!px_dec(img, end, p, &init) || init.op != PB_OP_ITER_INIT)
        return false;
    size_t head = p + init.size;
    if (!px_dec(img, end, head, &next) || next.op != PB_OP_ITER_NEXT || next.a != init.a)
        return false;
    size_t done = head + next.size + next.b;
    p = head + next.size;
    if (done >= end || !px_dec(img, end, p, &var) || var.op != PB_OP_STORE_LOCAL)
        return false;
    if (!px_locals_ok(&k, &acc) || !px_locals_ok(&k, &init) || !px_locals_ok(&k, &next) ||
        !px_locals_ok(&k, &var))
        return false;
    memset(q, 0, sizeof *q);
    q->type = (pb_type){zero.op == PB_OP_PUSH_NUM ? PB_T_NUM : PB_T_INT, 0, 0};
    pb_insn tail[TAIL];
    unsigned n = 0;
    for (p += var.size; p < done; p += in.size) {
        if (!px_dec(img, end, p, &in) || !px_jumps_inside(&in, p, pc, done) || !px_locals_ok(&k, &in))
            return false;
        if (n == TAIL)
            memmove(tail, tail + 1, (TAIL - 1) * sizeof *tail);
        tail[n < TAIL ? n++ : TAIL - 1] = in;
    }
    if (p != done || !n || tail[n - 1].op != PB_OP_LOOP || done - tail[n - 1].a != head)
        return false;
    if (!px_dec(img, end, done, &fin) || fin.op != PB_OP_LOAD_LOCAL || fin.a != acc.a || !px_locals_ok(&k, &fin))
        return false;
    if (!px_tail(img, tail, n, acc.a, var.a, q))
        return false;
    q->start = (uint32_t)pc;
    q->end = (uint32_t)(done + fin.size);
    q->slot = list.a;
    return true;
}

bool px_quant_func(const pb_image *img, uint32_t func, px_quant *q)
{
    const pb_func *f = &img->funcs[func];
    size_t end = (size_t)f->code_off + f->code_len;
    return px_quant_at(img, f->code_off, end, f->nparams, q) && q->end + 1 == end && img->code[q->end] == PB_OP_RET;
}

/* ---- running totals ---------------------------------------------------- */

bool px_runner_init(px_runner *r, const pb_image *img, uint32_t owner, const px_quant *qs, size_t nq)
{
    memset(r, 0, sizeof *r);
    r->img = *img; /* the tables are shared, only read */
    size_t extra = 0;
    for (size_t j = 0; j < nq; j++)
        extra += qs[j].end - qs[j].start + 1;
    uint32_t nroot = img->records[0].nfields;
    r->root = malloc((nroot ? nroot : 1) * sizeof *r->root);
    if (!r->root)
        return false;
    if (nq) {
        r->code = malloc(img->ncode + extra);
        r->funcs = malloc((img->nfuncs + nq) * sizeof *r->funcs);
        if (!r->code || !r->funcs) {
            px_runner_fini(r);
            return false;
        }
        memcpy(r->code, img->code, img->ncode);
        memcpy(r->funcs, img->funcs, img->nfuncs * sizeof *r->funcs);
        size_t at = img->ncode;
        for (size_t j = 0; j < nq; j++) {
            size_t len = qs[j].end - qs[j].start;
            memcpy(r->code + at, img->code + qs[j].start, len);
            r->code[at + len] = (uint8_t)PB_OP_RET;
            pb_func *f = &r->funcs[img->nfuncs + j];
            *f = img->funcs[owner]; /* its parameters, locals and frame */
            f->code_off = (uint32_t)at;
            f->code_len = (uint32_t)(len + 1);
            f->result = qs[j].type;
            at += len + 1;
        }
        r->img.code = r->code;
        r->img.ncode = (uint32_t)at;
        r->img.funcs = r->funcs;
        r->img.nfuncs = img->nfuncs + (uint32_t)nq;
        /* The copied code ran in the requirement with its state at that
         * point; on its own it must be proved safe again (code the
         * requirement never reaches was never type-checked). The
         * verifier's word is the one the VM trusts. */
        char err[256];
        if (!pb_verify(&r->img, err, sizeof err)) {
            r->rejected = true;
            px_runner_fini(r);
            return true;
        }
    }
    if (!pv_init(&r->st, &r->img)) {
        px_runner_fini(r);
        return false;
    }
    return true;
}

void px_runner_fini(px_runner *r)
{
    bool rejected = r->rejected;
    if (r->st.img)
        pv_fini(&r->st);
    free(r->code);
    free(r->funcs);
    free(r->root);
    memset(r, 0, sizeof *r);
    r->rejected = rejected;
}

/* Whether function `func` reads facts field `slot` anywhere but at its one
 * total, or calls (at any depth) a definition that reads it: then a run
 * with that list cut to one entry would change more than the total. -1
 * when out of memory. */
static int px_reads_again(const pb_image *img, uint32_t func, uint32_t slot)
{
    uint8_t *seen = calloc(img->nfuncs, 1);
    uint32_t *todo = malloc(img->nfuncs * sizeof *todo);
    if (!seen || !todo) {
        free(seen);
        free(todo);
        return -1;
    }
    size_t ntodo = 0;
    unsigned own = 0;
    int again = 0;
    todo[ntodo++] = func;
    seen[func] = 1;
    while (ntodo && !again) {
        const pb_func *f = &img->funcs[todo[--ntodo]];
        bool top = f == &img->funcs[func];
        size_t end = (size_t)f->code_off + f->code_len;
        pb_insn in;
        for (size_t pc = f->code_off; pc < end && pb_decode(img->code, end, pc, &in); pc += in.size) {
            if (in.op == PB_OP_LOAD_FACT && in.a == slot) {
                if (!top || ++own > 1)
                    again = 1;
            } else if (in.op == PB_OP_CALL && in.a < img->nfuncs && !seen[in.a]) {
                seen[in.a] = 1;
                todo[ntodo++] = in.a;
            }
        }
    }
    free(seen);
    free(todo);
    return again;
}

bool px_total_entries(px_runner *r, const pw_context *ctx, uint32_t func, const px_quant *q,
                      const pv_value *args, pw_date day, pm_arena *a, const char ***out, size_t *n)
{
    const pb_image *img = &r->img;
    const pv_value *root = pt_context_cfacts(ctx)->root;
    const pv_value *lv = &root[q->slot];
    uint32_t rec = img->fields[img->records[0].first_field + q->slot].type.rec;
    uint32_t nf = img->records[rec].nfields;
    *out = NULL;
    *n = 0;
    if (!nf || lv->none || !lv->count)
        return true;
    int again = px_reads_again(img, func, q->slot);
    if (again)
        return again > 0; /* false: out of memory */
    const char **list = pm_alloc(a, lv->count * sizeof *list);
    if (!list)
        return false;
    memcpy(r->root, root, img->records[0].nfields * sizeof *r->root);
    size_t m = 0;
    for (uint32_t k = 0; k < lv->count; k++) {
        const pv_value *fields = lv->as.items + (size_t)k * nf; /* elements lie flat, field after field */
        pv_value one = *lv, v;
        one.as.items = fields;
        one.count = 1;
        r->root[q->slot] = one;
        pv_error verr;
        if (!pv_call(&r->st, r->root, day, func, args, &v, &verr))
            return true; /* the total itself says what went wrong */
        if (q->type.kind == PB_T_NUM ? v.as.n == 0.0 : v.as.i == 0)
            continue;
        char suffix[96] = "", vb[64];
        if (q->kind == PX_SUM) {
            px_value_text(ctx, q->type, &v, vb, sizeof vb);
            snprintf(suffix, sizeof suffix, " adds %s", vb);
        }
        if (!(list[m++] = px_entry_text(a, ctx, rec, fields, suffix)))
            return false;
    }
    *out = list;
    *n = m;
    return true;
}
