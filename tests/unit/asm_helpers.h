/* Building program images by hand for the bytecode, verifier and VM tests:
 * fill an `ah` builder (fixed-size tables, plenty for a test), then ah_image()
 * copies it into a pb_image the way the code generator would. Nothing here is
 * verified; tests decide when to call pb_verify. */
#ifndef PW_TEST_ASM_HELPERS_H
#define PW_TEST_ASM_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include "bc/bytecode.h"
#include "bc/code.h"
#include "bc/image.h"

#define AH_MAX 256
#define AH_CODE 16384

typedef struct ah {
    const char *strs[AH_MAX];
    uint32_t nstrs;
    pb_record recs[AH_MAX];
    uint32_t nrecs;
    pb_field fields[AH_MAX];
    uint32_t nfields;
    int64_t ints[AH_MAX];
    uint32_t nints;
    double nums[AH_MAX];
    uint32_t nnums;
    uint8_t code[AH_CODE];
    uint32_t ncode;
    pb_func funcs[AH_MAX];
    uint32_t nfuncs;
    pb_type params[AH_MAX];
    uint32_t nparams;
    pb_prog progs[AH_MAX];
    uint32_t nprogs;
    pb_req reqs[AH_MAX];
    uint32_t nreqs;
    pb_line lines[AH_MAX];
    uint32_t nlines;
    /* Requirement groups being built, innermost last. */
    uint32_t open[PB_MAX_REQ_DEPTH + 1];
    uint32_t nopen;
} ah;

static inline ah *ah_new(void) { return calloc(1, sizeof(ah)); }

static inline pb_type ah_t(pb_kind kind) { return (pb_type){(uint8_t)kind, 0, 0}; }
static inline pb_type ah_opt(pb_kind kind) { return (pb_type){(uint8_t)kind, 1, 0}; }
static inline pb_type ah_list(uint32_t rec) { return (pb_type){PB_T_LIST, 0, (uint16_t)rec}; }
static inline pb_type ah_elem(uint32_t rec) { return (pb_type){PB_T_ELEM, 0, (uint16_t)rec}; }

/* Interns s (the same text gives the same id). */
static inline uint32_t ah_str(ah *b, const char *s)
{
    for (uint32_t i = 0; i < b->nstrs; i++)
        if (strcmp(b->strs[i], s) == 0)
            return i;
    b->strs[b->nstrs] = s;
    return b->nstrs++;
}

static inline uint32_t ah_int(ah *b, int64_t v)
{
    b->ints[b->nints] = v;
    return b->nints++;
}

static inline uint32_t ah_num(ah *b, double v)
{
    b->nums[b->nnums] = v;
    return b->nnums++;
}

/* Records take the fields added after them, until the next record. */
static inline uint32_t ah_record(ah *b, const char *name)
{
    b->recs[b->nrecs] = (pb_record){ah_str(b, name), b->nfields, 0};
    return b->nrecs++;
}

static inline uint32_t ah_field(ah *b, const char *name, pb_type t, pb_default def, pv_value defv)
{
    b->fields[b->nfields] = (pb_field){.name = ah_str(b, name), .type = t, .def = (uint8_t)def, .defv = defv};
    b->recs[b->nrecs - 1].nfields++;
    return b->nfields++;
}

/* Starts a function; its code is what is emitted until ah_end. */
static inline uint32_t ah_func(ah *b, const char *name, pb_type result, uint32_t nparams,
                               const pb_type *params, uint32_t nlocals, uint32_t max_stack)
{
    pb_func *f = &b->funcs[b->nfuncs];
    memset(f, 0, sizeof *f);
    f->name = ah_str(b, name);
    f->code_off = b->ncode;
    f->nparams = (uint16_t)nparams;
    f->nlocals = (uint16_t)nlocals;
    f->max_stack = (uint16_t)max_stack;
    f->first_param = b->nparams;
    f->result = result;
    for (uint32_t i = 0; i < nparams; i++)
        b->params[b->nparams++] = params[i];
    return b->nfuncs++;
}

static inline uint32_t ah_emit(ah *b, pb_op op, uint32_t a, uint32_t x)
{
    uint32_t at = b->ncode;
    b->ncode += pb_encode(b->code + at, op, a, x);
    return at;
}

/* Points the jump operand of the instruction at `at` to `target`. */
static inline void ah_patch(ah *b, uint32_t at, uint32_t target)
{
    pb_insn in;
    pb_decode(b->code, b->ncode, at, &in);
    uint32_t end = at + in.size;
    uint32_t dist = in.op == PB_OP_LOOP ? end - target : target - end;
    if (pb_opinfo_table[in.op].a == PB_K_JUMP)
        pb_encode(b->code + at, in.op, dist, in.b);
    else
        pb_encode(b->code + at, in.op, in.a, dist);
}

/* Ends the current function: its length, and a frame of its locals, stack and
 * the largest frame among the functions it calls. */
static inline uint32_t ah_end(ah *b)
{
    pb_func *f = &b->funcs[b->nfuncs - 1];
    f->code_len = b->ncode - f->code_off;
    uint32_t callee = 0;
    for (uint32_t pc = f->code_off; pc < b->ncode;) {
        pb_insn in;
        if (!pb_decode(b->code, b->ncode, pc, &in))
            break;
        if (in.op == PB_OP_CALL && in.a < b->nfuncs && b->funcs[in.a].frame > callee)
            callee = b->funcs[in.a].frame;
        pc += in.size;
    }
    f->frame = f->nlocals + f->max_stack + callee;
    return b->nfuncs - 1;
}

/* A whole function in one call: body is `n` (op, a, b) triples. */
typedef struct ah_op {
    pb_op op;
    uint32_t a, b;
} ah_op;

static inline uint32_t ah_fn(ah *b, const char *name, pb_type result, uint32_t nparams,
                             const pb_type *params, uint32_t nlocals, uint32_t max_stack,
                             const ah_op *body, size_t n)
{
    uint32_t f = ah_func(b, name, result, nparams, params, nlocals, max_stack);
    for (size_t i = 0; i < n; i++)
        ah_emit(b, body[i].op, body[i].a, body[i].b);
    ah_end(b);
    return f;
}
#define AH_FN(b, name, result, np, params, nl, ms, ...)                                     \
    ah_fn(b, name, result, np, params, nl, ms, (const ah_op[]){__VA_ARGS__},                \
          sizeof((const ah_op[]){__VA_ARGS__}) / sizeof(ah_op))

/* A boolean function of no parameters that returns a constant. */
static inline uint32_t ah_const_fn(ah *b, const char *name, bool v)
{
    return AH_FN(b, name, ah_t(PB_T_BOOL), 0, NULL, 0, 1,
                 {v ? PB_OP_PUSH_TRUE : PB_OP_PUSH_FALSE, 0, 0}, {PB_OP_RET, 0, 0});
}

/* ---- programs and requirement trees ---------------------------------------- */

static inline uint32_t ah_prog(ah *b, const char *id)
{
    pb_prog *p = &b->progs[b->nprogs];
    memset(p, 0, sizeof *p);
    p->id = ah_str(b, id);
    p->title = p->format = p->provider = p->grants = p->file = PB_NO_STRING;
    p->hours = -1;
    p->from = PB_OPEN_FROM;
    p->until = PB_OPEN_UNTIL;
    p->opens = PB_OPEN_FROM;
    p->closes = PB_OPEN_UNTIL;
    p->first_req = b->nreqs;
    b->nopen = 0;
    return b->nprogs++;
}

static inline pb_req *ah_node(ah *b, pb_req_kind kind, pb_req_role role, const char *label)
{
    pb_req *r = &b->reqs[b->nreqs++];
    memset(r, 0, sizeof *r);
    r->kind = (uint8_t)kind;
    r->role = (uint8_t)(b->nopen ? b->reqs[b->open[b->nopen - 1]].role : role);
    r->depth = (uint16_t)b->nopen;
    r->label = ah_str(b, label);
    r->cite = PB_NO_STRING;
    r->file = PB_NO_STRING;
    r->from = PB_OPEN_FROM;
    r->until = PB_OPEN_UNTIL;
    r->size = 1;
    if (b->nopen)
        b->reqs[b->open[b->nopen - 1]].nchildren++;
    b->progs[b->nprogs - 1].nreqs++;
    return r;
}

/* A leaf; inside a group its role is the group's. */
static inline uint32_t ah_leaf(ah *b, pb_req_role role, const char *label, uint32_t func)
{
    pb_req *r = ah_node(b, PB_R_LEAF, role, label);
    r->func = func;
    return (uint32_t)(r - b->reqs);
}

/* Opens a group: members follow until ah_close. min is used for AT LEAST. */
static inline uint32_t ah_open(ah *b, pb_req_kind kind, pb_req_role role, const char *label,
                               uint32_t min)
{
    pb_req *r = ah_node(b, kind, role, label);
    r->min = min;
    uint32_t i = (uint32_t)(r - b->reqs);
    b->open[b->nopen++] = i;
    return i;
}

static inline void ah_close(ah *b)
{
    pb_req *r = &b->reqs[b->open[--b->nopen]];
    r->size = b->nreqs - (uint32_t)(r - b->reqs);
    if (r->kind == PB_R_ALL)
        r->min = r->nchildren;
    else if (r->kind == PB_R_ANY)
        r->min = 1;
}

static inline void ah_line(ah *b, uint32_t pc, const char *file, uint32_t line, uint32_t col)
{
    b->lines[b->nlines++] = (pb_line){pc, ah_str(b, file), line, col};
}

/* ---- the image ---------------------------------------------------------------- */

static inline void *ah_copy(pb_image *img, const void *src, size_t n)
{
    void *p = pm_alloc(&img->arena, n ? n : 1);
    if (p && n)
        memcpy(p, src, n);
    return p;
}

/* The builder's tables as an image (unverified). */
static inline pb_image *ah_image(const ah *b)
{
    pb_image *img = pb_image_new();
    if (!img)
        return NULL;
    img->nstrings = b->nstrs;
    img->strings = pm_alloc(&img->arena, sizeof *img->strings * (b->nstrs + 1));
    img->string_len = pm_alloc(&img->arena, sizeof *img->string_len * (b->nstrs + 1));
    for (uint32_t i = 0; i < b->nstrs; i++) {
        img->string_len[i] = (uint32_t)strlen(b->strs[i]);
        img->strings[i] = pm_strndup(&img->arena, b->strs[i], img->string_len[i]);
    }
    img->nrecords = b->nrecs;
    img->records = ah_copy(img, b->recs, sizeof(pb_record) * b->nrecs);
    img->nfields = b->nfields;
    img->fields = ah_copy(img, b->fields, sizeof(pb_field) * b->nfields);
    img->nints = b->nints;
    img->ints = ah_copy(img, b->ints, sizeof(int64_t) * b->nints);
    img->nnums = b->nnums;
    img->nums = ah_copy(img, b->nums, sizeof(double) * b->nnums);
    img->ncode = b->ncode;
    img->code = ah_copy(img, b->code, b->ncode);
    img->nfuncs = b->nfuncs;
    img->funcs = ah_copy(img, b->funcs, sizeof(pb_func) * b->nfuncs);
    img->nparam_types = b->nparams;
    img->param_types = ah_copy(img, b->params, sizeof(pb_type) * b->nparams);
    img->nprogs = b->nprogs;
    img->progs = ah_copy(img, b->progs, sizeof(pb_prog) * b->nprogs);
    img->nreqs = b->nreqs;
    img->reqs = ah_copy(img, b->reqs, sizeof(pb_req) * b->nreqs);
    img->nlines = b->nlines;
    img->lines = ah_copy(img, b->lines, sizeof(pb_line) * b->nlines);
    pb_build_hash(img);
    return img;
}

#endif
