/* pn_emit_c: a verified image as C source (see native.h).
 *
 * The shape of the output:
 * - one C function per class of functions with the same code (the VM's
 *   memo classes: same bytes, locals and parameter types), whose operand
 *   stack slots are named locals s0, s1, ... (the depth at every pc is
 *   known, as the verifier proved) and whose jumps are gotos;
 * - for each function without parameters (`age`, every requirement leaf)
 *   a wrapper that computes it at most once per entry and remembers its
 *   result and its instruction count, as the VM's memo does;
 * - per program, its requirement tree unrolled into straight code
 *   (pv_run / pv_group / pv_node of src/vm/vm.c, node for node);
 * - one entry that runs every program for one coach and date.
 * Every instruction adds one to a count (the C compiler folds the
 * increments of a block into one add), so that each program's count is the
 * VM's exactly; a program that exceeds the budget, or meets any runtime
 * error, is marked to fall back to the VM, which reports it as it always
 * does. The per-instruction C comes from the opcode table's names (the
 * switch below has no default: a new opcode without a translation is a
 * -Wswitch error). */
#include "native.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bc/bytecode.h"
#include "../bc/code.h"
#include "../bc/opcodes.h"
#include "../util/assert.h"

typedef struct pn_gen {
    const pb_image *img;
    pu_buf *out;
    uint32_t *cls;     /* per function: the first function with the same code */
    uint8_t *used;     /* per function (class representatives): emitted */
    uint32_t *zslot;   /* per function without parameters: its memo slot */
    uint32_t nzero;
    int32_t *depth;    /* per code byte of the function being emitted: stack depth, -1 unknown */
    uint8_t *target;   /* per code byte: a jump lands here */
    char *err;
    size_t errlen;
} pn_gen;

static bool pn_fail(pn_gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->err, g->errlen, fmt, ap);
    va_end(ap);
    return false;
}

#define P(...) pu_buf_printf(g->out, __VA_ARGS__)

/* ---- function classes -------------------------------------------------------- */

static bool pn_same_code(const pb_image *img, uint32_t a, uint32_t b)
{
    const pb_func *f = &img->funcs[a], *h = &img->funcs[b];
    if (f->code_len != h->code_len || f->nparams != h->nparams || f->nlocals != h->nlocals)
        return false;
    if (memcmp(img->code + f->code_off, img->code + h->code_off, f->code_len) != 0)
        return false;
    const pb_type *pa = img->param_types + f->first_param, *pb = img->param_types + h->first_param;
    for (uint32_t i = 0; i < f->nparams; i++)
        if (pb_type_pack(pa[i]) != pb_type_pack(pb[i]))
            return false;
    return true;
}

/* Classes by a hash of each function's code, chained through `next`. */
static bool pn_classes(pn_gen *g)
{
    const pb_image *img = g->img;
    size_t cap = 16;
    while (cap / 2 < img->nfuncs)
        cap *= 2;
    uint32_t *head = calloc(cap, sizeof *head), *next = calloc(img->nfuncs + 1u, sizeof *next);
    if (!head || !next) {
        free(head);
        free(next);
        return false;
    }
    for (uint32_t f = 0; f < img->nfuncs; f++) {
        const pb_func *fn = &img->funcs[f];
        size_t h = pb_hash_bytes((const char *)img->code + fn->code_off, fn->code_len) & (cap - 1);
        uint32_t c = head[h];
        while (c && !pn_same_code(img, c - 1, f))
            c = next[c - 1];
        if (c) {
            g->cls[f] = c - 1;
        } else {
            g->cls[f] = f;
            next[f] = head[h];
            head[h] = f + 1;
        }
    }
    free(head);
    free(next);
    return true;
}

/* ---- stack depths --------------------------------------------------------------- */

static unsigned pn_pops(const pb_image *img, const uint8_t *pc)
{
    const pb_opinfo *oi = &pb_opinfo_table[*pc];
    if (*pc == PB_OP_CALL)
        return img->funcs[pb_rd16(pc + 1)].nparams;
    if (*pc == PB_OP_RET)
        return 1;
    return (unsigned)strlen(oi->pops);
}

static uint32_t pn_arg(const uint8_t *pc, int which)
{
    const pb_opinfo *oi = &pb_opinfo_table[*pc];
    unsigned off = 1;
    pb_operand k = oi->a;
    if (which == 1) {
        off += pb_operand_size[oi->a];
        k = oi->b;
    }
    switch (pb_operand_size[k]) {
    case 0: return 0;
    case 1: return pc[off];
    case 2: return pb_rd16(pc + off);
    default: return pb_rd32(pc + off);
    }
}

/* The jump target of the instruction at pc (an offset into the function),
 * for the kinds with one. */
static bool pn_jump(const uint8_t *pc, uint32_t at, uint32_t *to)
{
    const pb_opinfo *oi = &pb_opinfo_table[*pc];
    uint32_t end = at + oi->size;
    switch (*pc) {
    case PB_OP_JUMP:
    case PB_OP_JUMP_FALSE:
    case PB_OP_JUMP_TRUE: *to = end + pn_arg(pc, 0); return true;
    case PB_OP_ITER_NEXT:
    case PB_OP_ITER_FIND: *to = end + pn_arg(pc, 1); return true;
    case PB_OP_LOOP: *to = end - pn_arg(pc, 0); return true;
    default: return false;
    }
}

/* Depth before each reachable instruction: forward jumps carry theirs to
 * their targets, LOOP goes back to an ITER_NEXT already seen. Returns the
 * largest depth. */
static uint32_t pn_depths(pn_gen *g, const pb_func *f)
{
    const uint8_t *code = g->img->code + f->code_off;
    for (uint32_t i = 0; i < f->code_len; i++)
        g->depth[i] = -1, g->target[i] = 0;
    int32_t d = 0;
    uint32_t max = 0;
    for (uint32_t at = 0; at < f->code_len; at += pb_opinfo_table[code[at]].size) {
        const uint8_t *pc = code + at;
        if (d < 0)
            d = g->depth[at];
        g->depth[at] = d;
        if (d < 0)
            continue; /* not reachable */
        const pb_opinfo *oi = &pb_opinfo_table[*pc];
        int32_t after = d - (int32_t)pn_pops(g->img, pc);
        uint32_t to;
        if (pn_jump(pc, at, &to)) {
            g->target[to] = 1;
            /* ITER_NEXT/ITER_FIND leave with nothing pushed */
            if (*pc != PB_OP_LOOP && g->depth[to] < 0)
                g->depth[to] = after;
        }
        after += (int32_t)strlen(oi->pushes);
        if ((uint32_t)after > max)
            max = (uint32_t)after;
        d = (*pc == PB_OP_JUMP || *pc == PB_OP_LOOP || *pc == PB_OP_RET) ? -1 : after;
    }
    /* Every depth before an instruction is 0 or one left by the instruction
     * before it or by a jump, at most `max` either way. */
    return max;
}

/* ---- instructions ---------------------------------------------------------------- */

static const char *const pn_cmp_c[PB_CMP_COUNT] = {"==", "!=", "<", "<=", ">", ">="};

static void pn_cmp(pn_gen *g, uint32_t c, const char *m, int32_t d)
{
    int a = d - 2, b = d - 1;
    P("        if (s%d.none || s%d.none) {\n", a, b);
    if (c > PB_NE)
        P("            goto fail;\n");
    else
        P("            s%d = B((s%d.none && s%d.none) == %d);\n", a, a, b, c == PB_EQ);
    P("        } else {\n            s%d = B(s%d.as.%s %s s%d.as.%s);\n        }\n", a, a, m, pn_cmp_c[c], b, m);
}

/* A call: to the remembering wrapper of a function without parameters,
 * else to the class's function with the arguments from the stack. */
static void pn_call(pn_gen *g, uint32_t fi, int32_t d)
{
    uint32_t c = g->cls[fi];
    unsigned np = g->img->funcs[c].nparams;
    if (np == 0) {
        P("        s%d = Z%u(x);\n", d, c);
    } else {
        P("        {\n            const V a_[%u] = {", np);
        for (unsigned i = 0; i < np; i++)
            P("%ss%d", i ? ", " : "", d - (int)np + (int)i);
        P("};\n            s%d = F%u(x, a_);\n        }\n", d - (int)np, c);
    }
    P("        if (x->fail)\n            goto fail;\n");
}

static void pn_insn(pn_gen *g, const uint8_t *pc, uint32_t at, int32_t d, bool *fails)
{
    const pb_image *img = g->img;
    uint32_t a = pn_arg(pc, 0), b = pn_arg(pc, 1), to = 0;
    pn_jump(pc, at, &to);
    int t = d - 1, u = d - 2; /* top, the one beneath */
    switch ((pb_op)*pc) {
    case PB_OP_NOP:
    case PB_OP_COUNT: /* not an opcode: pn_depths has already looked each one up in the table */
        break;
    case PB_OP_PUSH_TRUE: P("        s%d = B(1);\n", d); break;
    case PB_OP_PUSH_FALSE: P("        s%d = B(0);\n", d); break;
    case PB_OP_PUSH_NONE: P("        s%d = NONE_;\n", d); break;
    case PB_OP_PUSH_INT: {
        int64_t v = img->ints[a];
        if (v == INT64_MIN)
            P("        s%d = I(INT64_MIN);\n", d);
        else
            P("        s%d = I(INT64_C(%" PRId64 "));\n", d, v);
        break;
    }
    case PB_OP_PUSH_NUM: {
        uint64_t bits;
        memcpy(&bits, &img->nums[a], sizeof bits);
        P("        s%d = N(K_(UINT64_C(0x%" PRIx64 ")));\n", d, bits);
        break;
    }
    case PB_OP_PUSH_STR: P("        s%d = T(%" PRIu32 "u);\n", d, a); break;
    case PB_OP_PUSH_DATE: P("        s%d = D(%" PRId32 ");\n", d, (int32_t)a); break;
    case PB_OP_PUSH_TODAY: P("        s%d = TODAY_(x->today);\n", d); break;
    case PB_OP_LOAD_FACT: P("        s%d = x->facts[%" PRIu32 "];\n", d, a); break;
    case PB_OP_LOAD_FIELD: P("        s%d = s%d.as.items[%" PRIu32 "];\n", t, t, b); break;
    case PB_OP_LOAD_LOCAL: P("        s%d = l%" PRIu32 ";\n", d, a); break;
    case PB_OP_STORE_LOCAL: P("        l%" PRIu32 " = s%d;\n", a, t); break;
    case PB_OP_DUP: P("        s%d = s%d;\n", d, t); break;
    case PB_OP_POP: break;
    case PB_OP_NOT: P("        s%d = B(!s%d.as.b);\n", t, t); break;
    case PB_OP_NEG_INT:
        P("        if (pn_sub_(0, s%d.as.i, &s%d))\n            goto fail;\n", t, t);
        *fails = true;
        break;
    case PB_OP_ADD_INT:
    case PB_OP_SUB_INT:
    case PB_OP_MUL_INT:
        P("        if (pn_%s_(s%d.as.i, s%d.as.i, &s%d))\n            goto fail;\n",
          *pc == PB_OP_ADD_INT ? "add" : *pc == PB_OP_SUB_INT ? "sub" : "mul", u, t, u);
        *fails = true;
        break;
    case PB_OP_MIN_INT: P("        s%d = I(s%d.as.i < s%d.as.i ? s%d.as.i : s%d.as.i);\n", u, u, t, u, t); break;
    case PB_OP_MAX_INT: P("        s%d = I(s%d.as.i > s%d.as.i ? s%d.as.i : s%d.as.i);\n", u, u, t, u, t); break;
    case PB_OP_NEG_NUM: P("        s%d = N(-s%d.as.n);\n", t, t); break;
    case PB_OP_ADD_NUM: P("        s%d = N(s%d.as.n + s%d.as.n);\n", u, u, t); break;
    case PB_OP_SUB_NUM: P("        s%d = N(s%d.as.n - s%d.as.n);\n", u, u, t); break;
    case PB_OP_MUL_NUM: P("        s%d = N(s%d.as.n * s%d.as.n);\n", u, u, t); break;
    case PB_OP_MIN_NUM: P("        s%d = N(s%d.as.n < s%d.as.n ? s%d.as.n : s%d.as.n);\n", u, t, u, t, u); break;
    case PB_OP_MAX_NUM: P("        s%d = N(s%d.as.n > s%d.as.n ? s%d.as.n : s%d.as.n);\n", u, t, u, t, u); break;
    case PB_OP_INT_TO_NUM:
        P("        { uint8_t none_ = s%d.none; s%d = N((double)s%d.as.i); s%d.none = none_; }\n", t, t, t, t);
        break;
    case PB_OP_CMP_INT: pn_cmp(g, a, "i", d); *fails |= a > PB_NE; break;
    case PB_OP_CMP_NUM: pn_cmp(g, a, "n", d); *fails |= a > PB_NE; break;
    case PB_OP_CMP_DATE: pn_cmp(g, a, "d", d); *fails |= a > PB_NE; break;
    case PB_OP_CMP_TEXT: pn_cmp(g, a, "s", d); *fails |= a > PB_NE; break;
    case PB_OP_CMP_BOOL: pn_cmp(g, a, "b", d); *fails |= a > PB_NE; break;
    case PB_OP_IS_NONE: P("        s%d = B(s%d.none != 0);\n", t, t); break;
    case PB_OP_OTHERWISE: P("        if (s%d.none)\n            s%d = s%d;\n", u, u, t); break;
    case PB_OP_DATE_ADD:
        P("        { int32_t r_; if (!pw_native_date_add(s%d.as.d, s%d.as.i, %uu, &r_)) goto fail; s%d = D(r_); }\n",
          u, t, a, u);
        *fails = true;
        break;
    case PB_OP_BETWEEN:
        P("        { int64_t r_; if (!pw_native_between(s%d.as.d, s%d.as.d, %uu, &r_)) goto fail; s%d = I(r_); }\n",
          u, t, a, u);
        *fails = true;
        break;
    case PB_OP_HAS: P("        s%d = B(has_(s%d, s%d));\n", u, u, t); break;
    case PB_OP_JUMP: P("        goto L%" PRIu32 ";\n", to); break;
    case PB_OP_JUMP_FALSE: P("        if (!s%d.as.b)\n            goto L%" PRIu32 ";\n", t, to); break;
    case PB_OP_JUMP_TRUE: P("        if (s%d.as.b)\n            goto L%" PRIu32 ";\n", t, to); break;
    case PB_OP_ITER_INIT: {
        pb_type ty = pb_type_unpack(b);
        uint32_t stride = ty.kind == PB_T_SET ? UINT32_MAX : img->records[ty.rec].nfields;
        P("        l%u = s%d;\n        l%u = (V){.as.i = 0, .count = %" PRIu32 "u};\n", a, t, a + 1, stride);
        break;
    }
    case PB_OP_ITER_NEXT:
        P("        {\n            uint64_t i_ = (uint64_t)l%u.as.i;\n", a + 1);
        P("            if (l%u.none || i_ >= l%u.count)\n                goto L%" PRIu32 ";\n", a, a, to);
        P("            s%d = l%u.count == UINT32_MAX ? l%u.as.items[i_] : ITEM_(l%u.as.items + i_ * l%u.count);\n",
          d, a + 1, a, a, a + 1);
        P("            l%u.as.i++;\n        }\n", a + 1);
        break;
    case PB_OP_ITER_KEY: P("        l%u = s%d;\n        l%u.count = %" PRIu32 "u;\n", a + 2, t, a + 2, b); break;
    case PB_OP_ITER_FIND:
        P("        {\n            uint64_t i_ = (uint64_t)l%u.as.i;\n            const uint32_t st_ = l%u.count;\n",
          a + 1, a + 1);
        P("            if (!l%u.none)\n                for (; i_ < l%u.count; i_++) {\n", a, a);
        P("                    const V *v_ = l%u.as.items + i_ * st_ + l%u.count;\n", a, a + 2);
        P("                    if (v_->none ? l%u.none : !l%u.none && v_->as.s == l%u.as.s)\n"
          "                        break;\n                    n++;\n                }\n",
          a + 2, a + 2, a + 2);
        P("            if (l%u.none || i_ >= l%u.count) {\n                l%u.as.i = (int64_t)i_;\n"
          "                goto L%" PRIu32 ";\n            }\n",
          a, a, a + 1, to);
        P("            s%d = ITEM_(l%u.as.items + i_ * st_);\n            l%u.as.i = (int64_t)i_ + 1;\n        }\n",
          d, a, a + 1);
        break;
    case PB_OP_LOOP:
        /* A long loop stops as soon as the budget is gone. */
        P("        if (x->n + n > x->budget)\n            goto fail;\n        goto L%" PRIu32 ";\n", to);
        *fails = true;
        break;
    case PB_OP_CALL: pn_call(g, a, d); *fails = true; break;
    case PB_OP_RET: P("        x->n += n;\n        return s%d;\n", t); break;
    case PB_OP_DATE_PART:
        P("        if (!pw_native_date_part(s%d.as.d, %uu, &s%d.as.i))\n            goto fail;\n"
          "        s%d = I(s%d.as.i);\n",
          t, a, t, t, t);
        *fails = true;
        break;
    case PB_OP_DATE_MAKE:
        P("        { int32_t r_; if (!pw_native_date_make(s%d.as.i, s%d.as.i, s%d.as.i, &r_)) goto fail; s%d = D(r_); }\n",
          d - 3, u, t, d - 3);
        *fails = true;
        break;
    case PB_OP_DATE_NEXT:
        P("        { int32_t r_; if (!pw_native_date_next(s%d.as.d, s%d.as.i, s%d.as.i, &r_)) goto fail; s%d = D(r_); }\n",
          d - 3, u, t, d - 3);
        *fails = true;
        break;
    }
}

static void pn_function(pn_gen *g, uint32_t fi)
{
    const pb_image *img = g->img;
    const pb_func *f = &img->funcs[fi];
    uint32_t max = pn_depths(g, f);
    const uint8_t *code = img->code + f->code_off;
    P("\n/* %s */\nstatic V F%u(X *x, const V *a)\n{\n    uint64_t n = 0;\n", img->strings[f->name], fi);
    for (uint32_t i = 0; i < f->nlocals; i++) {
        if (i < f->nparams)
            P("    V l%u = a[%u];\n", i, i);
        else
            P("    V l%u = ZERO_;\n", i);
        P("    (void)l%u;\n", i);
    }
    P("    (void)a;\n");
    for (uint32_t i = 0; i < max + 1; i++)
        P("    V s%u = ZERO_;\n    (void)s%u;\n", i, i);
    bool fails = false;
    for (uint32_t at = 0; at < f->code_len; at += pb_opinfo_table[code[at]].size) {
        if (g->depth[at] < 0)
            continue;
        if (g->target[at])
            P("L%u:\n", at);
        P("    n++; /* %s */\n", pb_opinfo_table[code[at]].name);
        pn_insn(g, code + at, at, g->depth[at], &fails);
    }
    if (fails)
        P("fail:\n    x->n += n;\n    x->fail = 1;\n    return ZERO_;\n");
    P("}\n");
    if (f->nparams == 0) {
        uint32_t z = g->zslot[fi];
        P("\nstatic V Z%u(X *x)\n{\n    if (x->have[%u]) {\n        x->n += x->cost[%u];\n        return x->v[%u];\n    }\n",
          fi, z, z, z);
        P("    uint64_t n0 = x->n;\n    V r = F%u(x, 0);\n    if (!x->fail) {\n", fi);
        P("        x->have[%u] = 1;\n        x->cost[%u] = x->n - n0;\n        x->v[%u] = r;\n    }\n    return r;\n}\n",
          z, z, z);
    }
}

/* ---- requirement trees ------------------------------------------------------------- */

/* Code that leaves node i's outcome in o<i> and in the outcomes. */
static void pn_in_force(pn_gen *g, int32_t from, int32_t until)
{
    if (from == PB_OPEN_FROM && until == PB_OPEN_UNTIL)
        P("1");
    else if (from == PB_OPEN_FROM)
        P("(x->today <= %" PRId32 ")", until);
    else if (until == PB_OPEN_UNTIL)
        P("(x->today >= %" PRId32 ")", from);
    else
        P("(x->today >= %" PRId32 " && x->today <= %" PRId32 ")", from, until);
}

static void pn_node(pn_gen *g, const pb_prog *p, uint32_t i)
{
    const pb_req *r = &g->img->reqs[i];
    uint32_t k = i - p->first_req;
    P("    uint8_t o%u;\n    if (!", i);
    pn_in_force(g, r->from, r->until);
    P(") {\n    o%u = 3;\n    } else {\n", i);
    if (r->kind == PB_R_LEAF) {
        P("    V v%u = Z%u(x);\n    if (x->fail)\n        return 1;\n", i, g->cls[r->func]);
        P("    o%u = v%u.as.b && !v%u.none ? 1 : 2;\n", i, i, i);
    } else {
        P("    uint32_t inf%u = 0, met%u = 0, left%u, need%u;\n", i, i, i, i);
        const pb_req *reqs = g->img->reqs;
        uint32_t m, j;
        for (m = 0, j = i + 1; m < r->nchildren; m++, j += reqs[j].size) {
            P("    if (");
            pn_in_force(g, reqs[j].from, reqs[j].until);
            P(")\n        inf%u++;\n    else\n        o[%u] = 3;\n", i, j - p->first_req);
        }
        if (r->kind == PB_R_ALL)
            P("    need%u = inf%u;\n", i, i);
        else
            P("    need%u = %" PRIu32 "u;\n", i, r->kind == PB_R_ANY ? 1 : r->min);
        P("    left%u = inf%u;\n", i, i);
        for (m = 0, j = i + 1; m < r->nchildren; m++, j += reqs[j].size) {
            P("    if (met%u >= need%u) {\n        o%u = 1;\n        goto D%u;\n    }\n", i, i, i, i);
            P("    if (met%u + left%u < need%u) {\n        o%u = 2;\n        goto D%u;\n    }\n", i, i, i, i, i);
            P("    {\n");
            pn_node(g, p, j);
            P("    if (o%u != 3) {\n        met%u += o%u == 1;\n        left%u--;\n    }\n    }\n", j, i, j, i);
        }
        P("    o%u = met%u >= need%u ? 1 : 2;\n    D%u:;\n", i, i, i, i);
    }
    P("    }\n    o[%u] = o%u;\n", k, i);
}

static void pn_program(pn_gen *g, uint32_t pi)
{
    const pb_image *img = g->img;
    const pb_prog *p = &img->progs[pi];
    P("\n/* program %s */\nstatic int P%u(X *x, uint8_t *o, uint8_t *eligible)\n{\n", img->strings[p->id], pi);
    if (p->nreqs)
        P("    memset(o, 0, %" PRIu32 "u);\n", p->nreqs);
    P("    *eligible = 0;\n    (void)o;\n    (void)x;\n    if (!");
    pn_in_force(g, p->from, p->until);
    P(")\n        return 0;\n    int all = 1;\n");
    for (uint32_t i = p->first_req; i < p->first_req + p->nreqs; i += img->reqs[i].size) {
        P("    {\n");
        pn_node(g, p, i);
        if (img->reqs[i].role == PB_ROLE_REQUIRE)
            P("    if (o%u == 2)\n        all = 0;\n", i);
        P("    }\n");
    }
    P("    *eligible = (uint8_t)(all && ");
    pn_in_force(g, p->opens, p->closes);
    P(");\n    return 0;\n}\n");
}

/* ---- the file --------------------------------------------------------------------- */

static const char pn_prelude[] =
    "#include <stdint.h>\n#include <string.h>\n\n#include \"pathway_native.h\"\n\n"
    "typedef pw_native_value V;\n"
    "#if defined(__GNUC__)\n#define HELPER_ static inline __attribute__((unused))\n#else\n#define HELPER_ static inline\n#endif\n"
    "#define ZERO_ ((V){.as.i = 0})\n"
    "#define NONE_ ((V){.none = 1})\n"
    "#define B(x) ((V){.as.b = (x)})\n"
    "#define I(x) ((V){.as.i = (x)})\n"
    "#define N(x) ((V){.as.n = (x)})\n"
    "#define D(x) ((V){.as.d = (x)})\n"
    "#define T(x) ((V){.as.s = (x)})\n"
    "#define TODAY_(x) ((V){.as.d = (x), .count = 1})\n"
    "#define ITEM_(p) ((V){.as.items = (p)})\n"
    "\n"
    "HELPER_ double K_(uint64_t bits)\n{\n    double d;\n    memcpy(&d, &bits, sizeof d);\n    return d;\n}\n"
    "\n"
    "/* Integer arithmetic that reports overflow (the VM's error). */\n"
    "HELPER_ int pn_add_(int64_t a, int64_t b, V *r)\n{\n"
    "    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))\n        return 1;\n"
    "    *r = I(a + b);\n    return 0;\n}\n"
    "HELPER_ int pn_sub_(int64_t a, int64_t b, V *r)\n{\n"
    "    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))\n        return 1;\n"
    "    *r = I(a - b);\n    return 0;\n}\n"
    "HELPER_ int pn_mul_(int64_t a, int64_t b, V *r)\n{\n"
    "#if defined(__GNUC__)\n    int64_t v;\n    if (__builtin_mul_overflow(a, b, &v))\n        return 1;\n    *r = I(v);\n"
    "#else\n"
    "    if (a > 0 ? (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a) : (b > 0 ? a < INT64_MIN / b : a != 0 && b < INT64_MAX / a))\n"
    "        return 1;\n    *r = I(a * b);\n#endif\n    return 0;\n}\n"
    "HELPER_ int has_(V set, V text)\n{\n"
    "    if (set.none || text.none)\n        return 0;\n"
    "    for (uint32_t i = 0; i < set.count; i++)\n        if (set.as.items[i].as.s == text.as.s)\n"
    "            return 1;\n    return 0;\n}\n";

bool pn_image_hash(const pb_image *img, uint64_t *hash)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (!pb_save(img, &bytes, &len))
        return false;
    *hash = pb_hash_bytes((const char *)bytes, len);
    free(bytes);
    return true;
}

/* Marks the functions the requirement trees reach (calls only go to lower
 * numbers, so one pass downwards finds them all). */
static void pn_reach(pn_gen *g)
{
    const pb_image *img = g->img;
    for (uint32_t i = 0; i < img->nreqs; i++)
        if (img->reqs[i].kind == PB_R_LEAF)
            g->used[g->cls[img->reqs[i].func]] = 1;
    for (uint32_t f = img->nfuncs; f-- > 0;) {
        if (!g->used[f])
            continue;
        const pb_func *fn = &img->funcs[f];
        const uint8_t *code = img->code + fn->code_off;
        for (uint32_t at = 0; at < fn->code_len; at += pb_opinfo_table[code[at]].size)
            if (code[at] == PB_OP_CALL)
                g->used[g->cls[pb_rd16(code + at + 1)]] = 1;
    }
}

static bool pn_emit(pn_gen *g, const char *origin)
{
    const pb_image *img = g->img;
    /* The verifier refuses a requirement whose function has parameters
     * (verify_progs.c): Z<f> wrappers take none. */
    for (uint32_t i = 0; i < img->nreqs; i++)
        if (PU_NEVER(img->reqs[i].kind == PB_R_LEAF && img->funcs[img->reqs[i].func].nparams))
            return pn_fail(g, "requirement %u: its function has parameters", i);
    uint64_t hash;
    if (!pn_classes(g) || !pn_image_hash(img, &hash))
        return pn_fail(g, "out of memory");
    pn_reach(g);
    for (uint32_t f = 0; f < img->nfuncs; f++)
        if (g->used[f] && img->funcs[f].nparams == 0)
            g->zslot[f] = g->nzero++;
    P("/* Generated by `pathway compile --emit c` from %s: the rule set as C,\n"
      " * for pw_program_use_native (docs/embedding.md). Do not edit. */\n",
      origin ? origin : "a rule set");
    pu_buf_puts(g->out, pn_prelude);
    P("\ntypedef struct X {\n    const V *facts;\n    int32_t today;\n    int fail;\n    uint64_t n, budget;\n");
    P("    uint8_t have[%u];\n    uint64_t cost[%u];\n    V v[%u];\n} X;\n", g->nzero + 1, g->nzero + 1,
      g->nzero + 1);
    for (uint32_t f = 0; f < img->nfuncs; f++)
        if (g->used[f])
            P("static V F%u(X *x, const V *a);\n", f);
    for (uint32_t f = 0; f < img->nfuncs; f++)
        if (g->used[f])
            pn_function(g, f);
    for (uint32_t p = 0; p < img->nprogs; p++)
        pn_program(g, p);
    /* What the entry remembers lives in the caller's scratch (sized by the
     * descriptor), not on the stack: a large rule set remembers a lot. */
    P("\nstatic void entry(pw_native_run *run)\n{\n    X *x = (X *)run->scratch;\n    x->facts = (const V *)run->facts;\n"
      "    x->today = run->today;\n    x->budget = run->budget;\n    memset(x->have, 0, sizeof x->have);\n");
    for (uint32_t p = 0; p < img->nprogs; p++) {
        P("    x->n = 0;\n    x->fail = 0;\n");
        P("    run->fallback[%u] = (uint8_t)(P%u(x, run->outcomes + %" PRIu32 "u, run->eligible + %u) || x->fail || x->n > x->budget);\n",
          p, p, img->progs[p].first_req, p);
    }
    P("}\n\nconst pw_native pathway_native_rules = {PW_NATIVE_ABI, %uu, %uu, UINT64_C(0x%" PRIx64 "), sizeof(X), entry};\n",
      img->nprogs, img->nreqs, hash);
    if (g->out->oom)
        return pn_fail(g, "out of memory");
    return true;
}

bool pn_emit_c(const pb_image *img, const char *origin, pu_buf *out, char *err, size_t errlen)
{
    size_t nf = img->nfuncs + 1u, nc = img->ncode + 1u;
    pn_gen g = {.img = img, .out = out, .err = err, .errlen = errlen};
    g.cls = calloc(nf, sizeof *g.cls);
    g.used = calloc(nf, 1);
    g.zslot = calloc(nf, sizeof *g.zslot);
    g.depth = calloc(nc, sizeof *g.depth);
    g.target = calloc(nc, 1);
    bool ok = g.cls && g.used && g.zslot && g.depth && g.target ? pn_emit(&g, origin) : pn_fail(&g, "out of memory");
    free(g.cls);
    free(g.used);
    free(g.zslot);
    free(g.depth);
    free(g.target);
    return ok;
}
