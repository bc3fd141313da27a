/* pw_requirement_fingerprint: what a requirement's condition computes, as a
 * 64-bit hash that two separately compiled rule sets can compare.
 *
 * Why not compare the bytecode bytes: operands are indices into the image's
 * tables (string ids, constants, fields, functions), and adding one program
 * anywhere in a file renumbers them all. So the hash reads each instruction
 * and feeds in what its operands stand for instead: a text's characters, a
 * constant's value, a field's record and name and type, a called
 * definition's own fingerprint. Jumps, locals, dates, units and comparisons
 * are position independent already and go in as they are. */
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "bc/decision.h"
#include "bc/code.h"
#include "util/assert.h"

/* FNV-1a over a value's bytes: stable across builds and hosts. */
typedef struct fp_hash {
    uint64_t h;
} fp_hash;

static void fp_bytes(fp_hash *f, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        f->h ^= b[i];
        f->h *= 0x100000001b3ull;
    }
}

static void fp_u64(fp_hash *f, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    fp_bytes(f, b, sizeof b);
}

/* Every string id it is given was checked by the verifier (string operands,
 * labels, record, field and function names), or by fp_record. */
static void fp_str(fp_hash *f, const pb_image *img, uint32_t id)
{
    if (PU_NEVER(id >= img->nstrings)) {
        fp_u64(f, UINT64_MAX);
        return;
    }
    fp_u64(f, img->string_len[id]);
    fp_bytes(f, img->strings[id], img->string_len[id]);
}

static void fp_record(fp_hash *f, const pb_image *img, uint32_t rec)
{
    /* Verified image: a list or element type's record, and a REC operand,
     * are in range (v_type, v_operand). */
    fp_str(f, img, PU_ALWAYS(rec < img->nrecords) ? img->records[rec].name : PB_NO_STRING);
}

/* A type, with its record by name. */
static void fp_type(fp_hash *f, const pb_image *img, pb_type t)
{
    fp_u64(f, (uint64_t)t.kind << 8 | t.optional);
    if (t.kind == PB_T_LIST || t.kind == PB_T_ELEM)
        fp_record(f, img, t.rec);
}

/* Field `field` of record `rec`: its record, name and type. */
static void fp_field(fp_hash *f, const pb_image *img, uint32_t rec, uint32_t field)
{
    fp_record(f, img, rec);
    /* Verified image: the record is record 0 (SLOT), a REC operand or the
     * record of a list type (v_operand, v_type). The field is checked: an
     * ITER_KEY's is in range for the record its iterator walks when the
     * key runs, which in an image not made by the compiler need not be
     * the record of the ITER_INIT written last before it. */
    if (PU_NEVER(rec >= img->nrecords) || field >= img->records[rec].nfields) {
        fp_u64(f, UINT64_MAX);
        return;
    }
    const pb_field *fd = &img->fields[img->records[rec].first_field + field];
    fp_str(f, img, fd->name);
    fp_type(f, img, fd->type);
}

typedef struct fp_state {
    const pb_image *img;
    uint64_t *memo;  /* per function: its fingerprint, once known */
    uint8_t *known;
} fp_state;

static uint64_t fp_func(fp_state *st, uint32_t fi);

/* The iterators a function set up most recently (ITER_INIT local, record),
 * so that ITER_KEY's field, an index into the record its iterator walks, is
 * named like any other field. Generated code sets an iterator up just
 * before its key; a few entries are plenty, and a key whose ITER_INIT has
 * dropped out is hashed by its index, which only makes equal conditions
 * look different, never different ones equal. */
#define FP_ITERS 8
typedef struct fp_iters {
    uint32_t local[FP_ITERS], rec[FP_ITERS];
    unsigned n, next;
} fp_iters;

static void fp_iter_init(fp_iters *it, const pb_insn *in)
{
    pb_type t = pb_type_unpack(in->b);
    if (t.kind != PB_T_LIST)
        return;
    it->local[it->next] = in->a;
    it->rec[it->next] = t.rec;
    it->next = (it->next + 1) % FP_ITERS;
    if (it->n < FP_ITERS)
        it->n++;
}

/* The record iterator `local` walks, or UINT32_MAX. */
static uint32_t fp_iter_rec(const fp_iters *it, uint32_t local)
{
    for (unsigned k = 1; k <= it->n; k++) {
        unsigned i = (it->next + FP_ITERS - k) % FP_ITERS;
        if (it->local[i] == local)
            return it->rec[i];
    }
    return UINT32_MAX;
}

static void fp_operand(fp_state *st, fp_hash *f, const pb_insn *in, pb_operand k, uint32_t v,
                       const fp_iters *iters)
{
    const pb_image *img = st->img;
    switch (k) {
    case PB_K_NONE:
        break;
    case PB_K_STR:
        fp_str(f, img, v);
        break;
    case PB_K_KINT:
        /* Constant operands are inside their tables (the verifier, v_operand). */
        fp_u64(f, PU_ALWAYS(v < img->nints) ? (uint64_t)img->ints[v] : UINT64_MAX);
        break;
    case PB_K_KNUM: {
        uint64_t bits = UINT64_MAX;
        if (PU_ALWAYS(v < img->nnums))
            memcpy(&bits, &img->nums[v], sizeof bits);
        fp_u64(f, bits);
        break;
    }
    case PB_K_TYPE:
        fp_type(f, img, pb_type_unpack(v));
        break;
    case PB_K_SLOT:
        fp_field(f, img, 0, v);
        break;
    case PB_K_REC:
        break; /* named with its FIELD operand */
    case PB_K_FIELD:
        /* Named when operand A is its record, or (ITER_KEY) when the
         * record of the iterator in operand A is known. */
        if (pb_opinfo_table[in->op].a == PB_K_REC)
            fp_field(f, img, in->a, v);
        else if (PU_ALWAYS(in->op == PB_OP_ITER_KEY) && fp_iter_rec(iters, in->a) != UINT32_MAX)
            fp_field(f, img, fp_iter_rec(iters, in->a), v);
        else
            fp_u64(f, v);
        break;
    case PB_K_FUNC:
        fp_u64(f, fp_func(st, v));
        break;
    default: /* DATE, LOCAL, JUMP, UNIT, CMP: meaningful as they are */
        fp_u64(f, v);
        break;
    }
}

/* A function's fingerprint. A function calls only lower-numbered ones (the
 * verifier holds images to it), so the recursion ends; the memo keeps a
 * definition called from many places from being hashed again each time. */
static uint64_t fp_func(fp_state *st, uint32_t fi)
{
    const pb_image *img = st->img;
    /* Verified image: a call goes to a lower-numbered function, a leaf to
     * one of the image's (v_operand, the requirement table's checks). */
    if (PU_NEVER(fi >= img->nfuncs))
        return UINT64_MAX;
    if (st->known[fi])
        return st->memo[fi];
    const pb_func *fn = &img->funcs[fi];
    fp_hash f = {0xcbf29ce484222325ull};
    fp_u64(&f, fn->nparams);
    fp_type(&f, img, fn->result);
    const uint8_t *code = img->code + fn->code_off;
    pb_insn in;
    fp_iters iters = {{0}, {0}, 0, 0};
    for (size_t pc = 0; pc < fn->code_len; pc += in.size) {
        bool decoded = pb_decode(code, fn->code_len, pc, &in);
        if (PU_NEVER(!decoded)) /* verified image: the code is whole instructions */
            break;
        const pb_opinfo *oi = &pb_opinfo_table[in.op];
        fp_u64(&f, (uint64_t)in.op);
        fp_operand(st, &f, &in, oi->a, in.a, &iters);
        fp_operand(st, &f, &in, oi->b, in.b, &iters);
        if (in.op == PB_OP_ITER_INIT)
            fp_iter_init(&iters, &in);
    }
    st->memo[fi] = f.h;
    st->known[fi] = 1;
    return f.h;
}

/* Node `at` of the image's requirement table, and for a group its members
 * (each with its label), in order. */
static uint64_t fp_node(fp_state *st, uint32_t at)
{
    const pb_req *r = &st->img->reqs[at];
    fp_hash f = {0xcbf29ce484222325ull};
    fp_u64(&f, r->kind);
    if (r->kind == PB_R_LEAF) {
        fp_u64(&f, fp_func(st, r->func));
        /* Who decides is part of a decided requirement's meaning. */
        uint32_t decision = pb_decision(st->img, at, NULL);
        if (decision != PB_NO_DECISION)
            fp_str(&f, st->img, st->img->funcs[decision].name);
        return f.h;
    }
    fp_u64(&f, r->min);
    for (uint32_t i = at + 1; i < at + r->size; i += st->img->reqs[i].size) {
        fp_str(&f, st->img, st->img->reqs[i].label);
        fp_u64(&f, fp_node(st, i));
    }
    return f.h;
}

pw_status pw_requirement_fingerprint(const pw_program *program, size_t prog, size_t req, uint64_t *out,
                                     pw_error *err)
{
    if (!program || !out || prog >= program->img->nprogs || req >= program->img->progs[prog].nreqs)
        return pwi_fail(err, PW_ERR_USAGE, "pw_requirement_fingerprint: no requirement %zu in program %zu",
                       req, prog);
    const pb_image *img = program->img;
    /* One spare entry: calloc(0) may return NULL, which is not a failure. */
    fp_state st = {img, calloc((size_t)img->nfuncs + 1, sizeof *st.memo), calloc((size_t)img->nfuncs + 1, 1)};
    if (!st.memo || !st.known) {
        free(st.memo);
        free(st.known);
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    *out = fp_node(&st, img->progs[prog].first_req + (uint32_t)req);
    free(st.memo);
    free(st.known);
    return pwi_ok(err);
}
