/* The verifier: proves that an image cannot make the VM misbehave, whether it
 * came from the code generator or from an untrusted file.
 *
 * Tables first: every cross reference in range, strings NUL-terminated,
 * requirement trees well formed. Then each function's code in one pass in
 * address order, driven by the opcode table: operands are checked by their
 * kind, and an abstract interpreter follows every path with a stack of types
 * (kind and record, as the VM sees them; whether a value may be absent is a
 * runtime matter) and the type of each local. Because every jump goes forward
 * except LOOP, which goes back to an ITER_NEXT, all paths into an instruction
 * are known by the time the pass reaches it; the stack must then be the same on
 * all of them, and a local that differs becomes unset (it cannot be read
 * again). A loop's back edge must bring what its ITER_NEXT was verified with.
 * Functions may only call lower-numbered functions, so there is no recursion,
 * and each one's frame is checked against its own needs plus its callees'. */
#include "bytecode.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/assert.h"
#include "../util/date.h"
#include "code.h"

#include "verify_int.h"

bool pbv_fail(vc *c, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* Every name a message quotes was checked (pbv_str) before: records' in
 * v_records, a function's first in v_func_header, programs' ids before
 * v_versions compares them. */
const char *pbv_name(const pb_image *img, uint32_t id)
{
    return PU_ALWAYS(id < img->nstrings) ? img->strings[id] : "?";
}

/* A failure inside code: the message, then where. */
static bool pbv_fail_code(vc *c, const char *fmt, ...)
{
    char msg[192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pbv_fail(c, "%s in function %u '%s' at offset %u (%s)", msg, c->fi, pbv_name(c->img, c->f->name),
                 c->pc, pb_opinfo_table[c->op].name);
}

static const char *vt_str(const vc *c, vt t, char *buf, size_t n)
{
    if (t.kind == VT_UNSET) {
        snprintf(buf, n, "unset");
        return buf;
    }
    if (t.kind == VT_ITER) {
        snprintf(buf, n, "an iterator position");
        return buf;
    }
    if (t.kind == VT_KEY) {
        snprintf(buf, n, "an iterator key");
        return buf;
    }
    pb_type p = {t.kind, 0, t.rec};
    return pb_type_str(c->img, p, buf, n);
}

/* ---- tables -------------------------------------------------------------------- */

/* Checks a string id; `opt` allows PB_NO_STRING. `where` completes the message. */
bool pbv_str(vc *c, uint32_t id, bool opt, const char *where, ...)
{
    if (id < c->img->nstrings || (opt && id == PB_NO_STRING))
        return true;
    char w[96];
    va_list ap;
    va_start(ap, where);
    vsnprintf(w, sizeof w, where, ap);
    va_end(ap);
    return pbv_fail(c, "string %u out of range (image has %u strings) in %s", id, c->img->nstrings, w);
}

static bool v_tables_present(vc *c)
{
    const pb_image *img = c->img;
    struct {
        uint32_t n;
        const void *p;
        const char *what;
    } t[] = {
        {img->nstrings, img->strings, "strings"},
        {img->nstrings, img->string_len, "string lengths"},
        {img->nrecords, img->records, "records"},
        {img->nfields, img->fields, "fields"},
        {img->nints, img->ints, "integer constants"},
        {img->nnums, img->nums, "number constants"},
        {img->ncode, img->code, "code"},
        {img->nfuncs, img->funcs, "functions"},
        {img->nparam_types, img->param_types, "parameter types"},
        {img->nprogs, img->progs, "programs"},
        {img->nreqs, img->reqs, "requirement nodes"},
        {img->nlines, img->lines, "line entries"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].n && !t[i].p)
            return pbv_fail(c, "table of %s missing (count %u)", t[i].what, t[i].n);
    return true;
}

static bool v_strings(vc *c)
{
    const pb_image *img = c->img;
    for (uint32_t i = 0; i < img->nstrings; i++) {
        const char *s = img->strings[i];
        if (!s)
            return pbv_fail(c, "string %u missing", i);
        if (memchr(s, '\0', img->string_len[i]))
            return pbv_fail(c, "string %u contains a NUL byte", i);
        if (s[img->string_len[i]] != '\0')
            return pbv_fail(c, "string %u is not NUL-terminated", i);
    }
    return true;
}

/* A type a field or operand may have: a value kind (never an element), the
 * record only for lists. `elem` also allows elements (parameters, results). */
static bool v_type(vc *c, pb_type t, bool elem)
{
    if (t.kind == PB_T_VOID || t.kind > PB_T_ELEM || (t.kind == PB_T_ELEM && !elem) ||
        t.optional > 1)
        return false;
    if (t.kind == PB_T_LIST || t.kind == PB_T_ELEM)
        return t.rec < c->img->nrecords;
    return t.rec == 0;
}

bool pbv_date(vc *c, int32_t d) { return d >= c->dmin && d <= c->dmax; }

/* A bound or default as a number, to order them; dates must be in range. */
static bool v_scalar(vc *c, const pb_field *f, const pv_value *v, double *out)
{
    switch (f->type.kind) {
    case PB_T_INT: *out = (double)v->as.i; return true;
    case PB_T_NUM: *out = v->as.n; return v->as.n == v->as.n; /* NaN orders nothing */
    case PB_T_DATE: *out = v->as.d; return pbv_date(c, v->as.d);
    default: return false;
    }
}

/* Bounds only on integers, numbers and dates, in order, around the default. */
static bool v_field_bounds(vc *c, uint32_t i, const pb_field *f)
{
    if (!f->bounds)
        return true;
    char tb[96];
    double lo = 0, hi = 0, d;
    bool has_lo = f->bounds & PB_BOUND_MIN, has_hi = f->bounds & PB_BOUND_MAX;
    if ((has_lo && !v_scalar(c, f, &f->minv, &lo)) || (has_hi && !v_scalar(c, f, &f->maxv, &hi)))
        return pbv_fail(c, "field %u of type %s has invalid bounds", i,
                        pb_type_str(c->img, f->type, tb, sizeof tb));
    if (has_lo && has_hi && lo > hi)
        return pbv_fail(c, "field %u: its minimum is above its maximum", i);
    /* A NaN default (v_scalar refuses it) is within no bounds. */
    if (f->def == PB_DEF_VALUE && (!v_scalar(c, f, &f->defv, &d) || (has_lo && d < lo) || (has_hi && d > hi)))
        return pbv_fail(c, "field %u: its default is outside its bounds", i);
    return true;
}

static bool v_field_default(vc *c, uint32_t i, const pb_field *f)
{
    char tb[96];
    bool many = f->type.kind == PB_T_LIST || f->type.kind == PB_T_SET;
    switch (f->def) {
    case PB_DEF_REQUIRED: return true;
    case PB_DEF_NONE:
        if (!f->type.optional)
            return pbv_fail(c, "field %u defaults to none but its type %s is not optional", i,
                         pb_type_str(c->img, f->type, tb, sizeof tb));
        return true;
    case PB_DEF_EMPTY:
        if (!many)
            return pbv_fail(c, "field %u defaults to empty but its type %s is not a list or set", i,
                         pb_type_str(c->img, f->type, tb, sizeof tb));
        return true;
    case PB_DEF_VALUE:
        if (many)
            return pbv_fail(c, "field %u of type %s cannot have a default value", i,
                         pb_type_str(c->img, f->type, tb, sizeof tb));
        if (f->type.kind == PB_T_TEXT)
            return pbv_str(c, f->defv.as.s, false, "the default of field %u", i);
        if (f->type.kind == PB_T_DATE && !pbv_date(c, f->defv.as.d))
            return pbv_fail(c, "field %u: default date %d out of range", i, (int)f->defv.as.d);
        return true;
    default: return pbv_fail(c, "field %u has an invalid default kind %u", i, f->def);
    }
}

static bool v_field(vc *c, uint32_t i)
{
    const pb_field *f = &c->img->fields[i];
    char tb[96];
    if (!pbv_str(c, f->name, false, "field %u", i))
        return false;
    if (!v_type(c, f->type, false))
        return pbv_fail(c, "field %u has an invalid type (%s)", i, pb_type_str(c->img, f->type, tb, sizeof tb));
    return v_field_default(c, i, f) && v_field_bounds(c, i, f);
}

static bool v_records(vc *c)
{
    const pb_image *img = c->img;
    if (img->nrecords == 0)
        return pbv_fail(c, "the image has no facts record (record 0)");
    for (uint32_t i = 0; i < img->nrecords; i++) {
        const pb_record *r = &img->records[i];
        if (!pbv_str(c, r->name, false, "record %u", i))
            return false;
        if ((uint64_t)r->first_field + r->nfields > img->nfields)
            return pbv_fail(c, "record %u: fields %u..%u out of range (image has %u fields)", i,
                         r->first_field, r->first_field + r->nfields, img->nfields);
    }
    for (uint32_t i = 0; i < img->nfields; i++)
        if (!v_field(c, i))
            return false;
    return true;
}

static bool v_func_header(vc *c, uint32_t i)
{
    const pb_image *img = c->img;
    const pb_func *f = &img->funcs[i];
    char tb[96];
    if (!pbv_str(c, f->name, false, "function %u", i))
        return false;
    if (f->code_len == 0)
        return pbv_fail(c, "function %u '%s' has no code", i, pbv_name(img, f->name));
    if ((uint64_t)f->code_off + f->code_len > img->ncode)
        return pbv_fail(c, "function %u '%s': code %u..%u out of range (image has %u code bytes)", i,
                     pbv_name(img, f->name), f->code_off, f->code_off + f->code_len, img->ncode);
    if (f->nparams > f->nlocals)
        return pbv_fail(c, "function %u '%s' has %u parameters but only %u locals", i,
                     pbv_name(img, f->name), f->nparams, f->nlocals);
    if ((uint64_t)f->first_param + f->nparams > img->nparam_types)
        return pbv_fail(c, "function %u '%s': parameter types %u..%u out of range (image has %u)", i,
                     pbv_name(img, f->name), f->first_param, f->first_param + f->nparams,
                     img->nparam_types);
    for (uint32_t p = 0; p < f->nparams; p++) {
        pb_type t = img->param_types[f->first_param + p];
        if (!v_type(c, t, true))
            return pbv_fail(c, "function %u '%s': parameter %u has an invalid type (%s)", i,
                         pbv_name(img, f->name), p, pb_type_str(img, t, tb, sizeof tb));
    }
    if (!v_type(c, f->result, true))
        return pbv_fail(c, "function %u '%s' has an invalid result type (%s)", i, pbv_name(img, f->name),
                     pb_type_str(img, f->result, tb, sizeof tb));
    return true;
}

/* ---- code: states ---------------------------------------------------------------- */

static vstate *st_new(vc *c)
{
    vstate *s = pm_alloc(&c->states, sizeof *s + sizeof(vt) * ((size_t)c->nl + c->ms));
    if (!s)
        pbv_fail(c, "out of memory verifying function %u '%s'", c->fi, pbv_name(c->img, c->f->name));
    return s;
}

static void st_copy(vc *c, vstate *dst, const vstate *src)
{
    dst->depth = src->depth;
    memcpy(dst->v, src->v, sizeof(vt) * ((size_t)c->nl + src->depth));
}

/* Merges the state of one more path into the state recorded for `target`. */
static bool st_merge(vc *c, uint32_t target, const vstate *in)
{
    vstate **slot = &c->at[target - c->start];
    if (!*slot) {
        if (!(*slot = st_new(c)))
            return false;
        st_copy(c, *slot, in);
        return true;
    }
    vstate *s = *slot;
    char a[96], b[96];
    if (s->depth != in->depth)
        return pbv_fail_code(c, "paths into offset %u disagree: stack depth %u on one, %u on another",
                          target, s->depth, in->depth);
    for (uint32_t i = c->nl; i < c->nl + s->depth; i++)
        if (!vt_eq(s->v[i], in->v[i]))
            return pbv_fail_code(c, "paths into offset %u disagree: stack value %u is %s on one, %s on another",
                              target, i - c->nl, vt_str(c, s->v[i], a, sizeof a),
                              vt_str(c, in->v[i], b, sizeof b));
    for (uint32_t i = 0; i < c->nl; i++)
        if (!vt_eq(s->v[i], in->v[i]))
            s->v[i].kind = VT_UNSET, s->v[i].sub = 0, s->v[i].rec = 0;
    return true;
}

/* A loop's back edge must bring the stack its head (ITER_NEXT or ITER_FIND)
 * was verified with, and no local the head could read with a different
 * type. */
static bool st_back_edge(vc *c, uint32_t head, const vstate *in)
{
    const vstate *s = c->at[head - c->start];
    const char *op = pb_opinfo_table[c->img->code[head]].name; /* v_loop_shape checked it */
    char a[96], b[96];
    if (!s)
        return pbv_fail_code(c, "LOOP back to the %s at offset %u, which no other path reaches", op, head);
    if (s->depth != in->depth)
        return pbv_fail_code(c, "LOOP back to offset %u with stack depth %u; the %s there has %u",
                          head, in->depth, op, s->depth);
    for (uint32_t i = 0; i < c->nl + s->depth; i++) {
        if (vt_eq(s->v[i], in->v[i]) || (i < c->nl && s->v[i].kind == VT_UNSET))
            continue;
        if (i < c->nl)
            return pbv_fail_code(c, "LOOP back to offset %u: local %u is %s, but %s at the %s "
                                 "(a local keeps its type around a loop)",
                              head, i, vt_str(c, in->v[i], a, sizeof a), vt_str(c, s->v[i], b, sizeof b), op);
        return pbv_fail_code(c, "LOOP back to offset %u: stack value %u is %s, but %s at the %s", head,
                          i - c->nl, vt_str(c, in->v[i], a, sizeof a), vt_str(c, s->v[i], b, sizeof b), op);
    }
    return true;
}

/* ---- code: operands ---------------------------------------------------------------- */

static bool v_operand(vc *c, const pb_insn *in, pb_operand k, uint32_t v, int32_t sv)
{
    const pb_image *img = c->img;
    char tb[96];
    switch (k) { /* GCOVR_EXCL_BR_LINE: the opcode table holds no PB_K_COUNT operand */
    case PB_K_NONE:
    case PB_K_JUMP: /* checked with the control flow */
        return true;
    case PB_K_TYPE: {
        pb_type t = pb_type_unpack(v);
        bool list = t.kind == PB_T_LIST || t.kind == PB_T_SET;
        if (!v_type(c, t, false) || (in->op == PB_OP_ITER_INIT && !list))
            return pbv_fail_code(c, "invalid type operand 0x%08x (%s)", v, pb_type_str(img, t, tb, sizeof tb));
        return true;
    }
    case PB_K_KINT:
        if (v >= img->nints)
            return pbv_fail_code(c, "integer constant %u out of range (image has %u)", v, img->nints);
        return true;
    case PB_K_KNUM:
        if (v >= img->nnums)
            return pbv_fail_code(c, "number constant %u out of range (image has %u)", v, img->nnums);
        return true;
    case PB_K_STR:
        if (v >= img->nstrings)
            return pbv_fail_code(c, "string %u out of range (image has %u strings)", v, img->nstrings);
        return true;
    case PB_K_DATE:
        if (!pbv_date(c, sv))
            return pbv_fail_code(c, "date %d out of range (years %d to %d)", (int)sv, PU_YEAR_MIN, PU_YEAR_MAX);
        return true;
    case PB_K_SLOT:
        /* v_records refused an image without record 0 before any code. */
        if (PU_NEVER(!img->nrecords) || v >= img->records[0].nfields)
            return pbv_fail_code(c, "facts field %u out of range (the facts record has %u fields)", v,
                              PU_ALWAYS(img->nrecords) ? img->records[0].nfields : 0);
        return true;
    case PB_K_REC:
        if (v >= img->nrecords)
            return pbv_fail_code(c, "record %u out of range (image has %u records)", v, img->nrecords);
        return true;
    case PB_K_FIELD: /* of the record in operand A, already checked */
        if (in->op == PB_OP_ITER_KEY) /* of the iterator's record: checked with the types */
            return true;
        if (v >= img->records[in->a].nfields)
            return pbv_fail_code(c, "field %u out of range (record %u '%s' has %u fields)", v, in->a,
                              pbv_name(img, img->records[in->a].name), img->records[in->a].nfields);
        return true;
    case PB_K_LOCAL: {
        /* An iterator uses two locals: the list and the position; a third,
         * the key, when it finds. */
        uint32_t used = in->op == PB_OP_ITER_INIT || in->op == PB_OP_ITER_NEXT ? 2
                        : in->op == PB_OP_ITER_KEY || in->op == PB_OP_ITER_FIND ? 3
                                                                                : 1;
        if ((uint64_t)v + used > c->nl)
            return pbv_fail_code(c, "local %u out of range (function has %u locals)", v + used - 1, c->nl);
        return true;
    }
    case PB_K_FUNC:
        if (v >= c->fi)
            return pbv_fail_code(c, "call to function %u: only lower-numbered functions may be called", v);
        return true;
    case PB_K_UNIT:
        if (v > PU_YEARS)
            return pbv_fail_code(c, "invalid unit %u", v);
        return true;
    case PB_K_CMP:
        if (v >= PB_CMP_COUNT)
            return pbv_fail_code(c, "invalid comparison %u", v);
        if ((in->op == PB_OP_CMP_TEXT || in->op == PB_OP_CMP_BOOL) && v != PB_EQ && v != PB_NE)
            return pbv_fail_code(c, "only eq and ne apply to %s, not %s",
                              in->op == PB_OP_CMP_TEXT ? "text" : "booleans", pb_cmp_name[v]);
        return true;
    case PB_K_COUNT: PU_ASSERT(!"an operand of kind PB_K_COUNT"); break;
    }
    return pbv_fail_code(c, "invalid operand kind");
}

/* ---- code: control flow ---------------------------------------------------------- */

static bool v_loop_head(pb_op op)
{
    return op == PB_OP_ITER_NEXT || op == PB_OP_ITER_FIND;
}

static bool v_falls_through(pb_op op)
{
    return op != PB_OP_JUMP && op != PB_OP_LOOP && op != PB_OP_RET;
}

/* Where a JUMP operand leads: forward from the end of the instruction, except
 * LOOP's, which leads back. Checks it lands on an instruction of this
 * function; forward targets are marked and checked when the pass gets there. */
static bool v_target(vc *c, const pb_insn *in, uint32_t dist, uint32_t *target)
{
    uint64_t next = (uint64_t)c->pc + in->size;
    if (in->op == PB_OP_LOOP) {
        if (dist <= in->size || dist > next - c->start)
            return pbv_fail_code(c, "LOOP by %u does not go back to an earlier instruction of the function",
                              dist);
        *target = (uint32_t)(next - dist);
        if (!(c->flags[*target - c->start] & AT_BOUNDARY))
            return pbv_fail_code(c, "jump to offset %u, inside an instruction", *target);
        return true;
    }
    uint64_t t = next + dist;
    if (t >= c->end)
        return pbv_fail_code(c, "jump to offset %llu, outside the function (code %u..%u)",
                          (unsigned long long)t, c->start, c->end);
    *target = (uint32_t)t;
    c->flags[*target - c->start] |= AT_TARGET;
    return true;
}

/* LOOP must close an iteration: go back to an ITER_NEXT (or ITER_FIND) whose
 * exit lands after the LOOP, so the loop body is exactly the code between
 * them. */
static bool v_loop_shape(vc *c, const pb_insn *in, uint32_t head)
{
    pb_insn h;
    /* v_target checked that head is the boundary of an instruction this
     * pass already decoded: it decodes again. */
    bool decoded = pb_decode(c->img->code, c->end, head, &h);
    if (PU_NEVER(!decoded) || !v_loop_head(h.op))
        return pbv_fail_code(c, "LOOP to offset %u, which is not an ITER_NEXT or ITER_FIND", head);
    uint64_t exit = (uint64_t)head + h.size + h.b;
    if (exit < (uint64_t)c->pc + in->size)
        return pbv_fail_code(c, "LOOP to the %s at offset %u, whose exit (offset %llu) is not after the LOOP",
                          pb_opinfo_table[h.op].name, head, (unsigned long long)exit);
    return true;
}

/* ---- code: types ------------------------------------------------------------------- */

/* How a message names what a letter of the opcode table's POPS strings wants.
 * Indexed by the letter: the table's letters are these and '@', which is
 * never looked up (unit.test_bytecode checks every POPS string). */
static const char *letter_name(char l)
{
    static const char *const names[UCHAR_MAX + 1] = {
        ['i'] = "integer", ['n'] = "number",        ['b'] = "boolean",        ['s'] = "text",
        ['d'] = "date",    ['l'] = "a list or set", ['e'] = "a list element", ['*'] = "a value",
    };
    return names[(unsigned char)l];
}

static bool letter_fits(char l, vt t)
{
    switch (l) {
    case 'i': return t.kind == PB_T_INT;
    case 'n': return t.kind == PB_T_NUM;
    case 'b': return t.kind == PB_T_BOOL;
    case 's': return t.kind == PB_T_TEXT;
    case 'd': return t.kind == PB_T_DATE;
    case 'l': return t.kind == PB_T_LIST || t.kind == PB_T_SET;
    case 'e': return t.kind == PB_T_ELEM;
    default: return true; /* '*' */
    }
}

static vt letter_type(char l)
{
    switch (l) {
    case 'i': return vt_make(PB_T_INT, 0);
    case 'n': return vt_make(PB_T_NUM, 0);
    case 'b': return vt_make(PB_T_BOOL, 0);
    case 's': return vt_make(PB_T_TEXT, 0);
    default: return vt_make(PB_T_DATE, 0); /* 'd': the only other fixed push */
    }
}

/* Values an instruction pops: its POPS string, with '@' standing for the
 * callee's parameters (CALL) or the function's result (RET). */
static uint32_t v_npops(vc *c, const pb_insn *in)
{
    const char *p = pb_opinfo_table[in->op].pops;
    if (strcmp(p, "@") != 0)
        return (uint32_t)strlen(p);
    return in->op == PB_OP_CALL ? c->img->funcs[in->a].nparams : 1u;
}

/* The type '@' pops as value i of n. */
static vt v_at_pop(vc *c, const pb_insn *in, uint32_t i)
{
    if (in->op == PB_OP_CALL) {
        const pb_func *g = &c->img->funcs[in->a];
        return vt_of(c->img->param_types[g->first_param + i]);
    }
    return vt_of(c->f->result);
}

static bool v_pops(vc *c, const pb_insn *in, const vt *args, uint32_t n)
{
    const char *p = pb_opinfo_table[in->op].pops;
    bool at = strcmp(p, "@") == 0;
    char a[96], b[96];
    for (uint32_t i = 0; i < n; i++) {
        bool ok = at ? vt_eq(args[i], v_at_pop(c, in, i)) : letter_fits(p[i], args[i]);
        if (!ok)
            return pbv_fail_code(c, "expected %s, found %s (value %u of the %u it pops)",
                              at ? vt_str(c, v_at_pop(c, in, i), b, sizeof b) : letter_name(p[i]),
                              vt_str(c, args[i], a, sizeof a), i + 1, n);
    }
    return true;
}

/* What the table's letters cannot say: which list, which record, same kinds. */
static bool v_pops_exact(vc *c, const pb_insn *in, const vt *args)
{
    char a[96], b[96];
    switch (in->op) {
    case PB_OP_LOAD_FIELD:
        if (args[0].rec != in->a)
            return pbv_fail_code(c, "field of record %u applied to %s", in->a, vt_str(c, args[0], a, sizeof a));
        return true;
    case PB_OP_HAS:
        if (args[0].kind != PB_T_SET)
            return pbv_fail_code(c, "expected a set of text, found %s", vt_str(c, args[0], a, sizeof a));
        return true;
    case PB_OP_ITER_INIT:
        if (!vt_eq(args[0], vt_of(pb_type_unpack(in->b))))
            return pbv_fail_code(c, "the operand says %s, the stack holds %s",
                              vt_str(c, vt_of(pb_type_unpack(in->b)), b, sizeof b),
                              vt_str(c, args[0], a, sizeof a));
        return true;
    case PB_OP_OTHERWISE:
        if (!vt_eq(args[0], args[1]))
            return pbv_fail_code(c, "the value is %s but the alternative is %s", vt_str(c, args[0], a, sizeof a),
                              vt_str(c, args[1], b, sizeof b));
        return true;
    default: return true;
    }
}

static bool v_local(vc *c, uint32_t i, vt *out)
{
    vt t = c->cur->v[i];
    if (t.kind == VT_UNSET)
        return pbv_fail_code(c, "local %u is read before it is set", i);
    if (t.kind == VT_KEY)
        return pbv_fail_code(c, "local %u is an iterator key, which only ITER_FIND reads", i);
    *out = t.kind == VT_ITER ? vt_make(PB_T_INT, 0) : t; /* a position reads as its index */
    return true;
}

/* The element ITER_NEXT pushes: the iterator's list must still be the one its
 * ITER_INIT set up (the VM's stride depends on it). */
static bool v_iter_elem(vc *c, uint32_t a, vt *out)
{
    /* Set on every path: callers read *out only after success, but an
     * optimizer cannot see that pbv_fail_code always returns false. */
    *out = vt_make(PB_T_VOID, 0);
    vt list = c->cur->v[a], pos = c->cur->v[a + 1];
    if (pos.kind != VT_ITER || list.kind != pos.sub || list.rec != pos.rec)
        return pbv_fail_code(c, "locals %u and %u are not an iterator set up by ITER_INIT", a, a + 1);
    *out = list.kind == PB_T_SET ? vt_make(PB_T_TEXT, 0) : vt_make(PB_T_ELEM, list.rec);
    return true;
}

/* The element ITER_FIND pushes: an iterator over a list of records (it
 * compares a field), with a key for the same record. */
static bool v_find_elem(vc *c, uint32_t a, vt *out)
{
    if (!v_iter_elem(c, a, out))
        return false;
    vt key = c->cur->v[a + 2];
    if (out->kind != PB_T_ELEM)
        return pbv_fail_code(c, "ITER_FIND walks a set of text; it finds only in lists of records");
    if (key.kind != VT_KEY || key.rec != out->rec)
        return pbv_fail_code(c, "local %u is not a key for the elements of the iterator at local %u "
                             "(ITER_KEY sets it)", a + 2, a);
    return true;
}

/* ITER_KEY: the iterator is over a list of records, and the key is compared
 * with one of their text fields. */
static bool v_key(vc *c, const pb_insn *in)
{
    vt elem;
    if (!v_iter_elem(c, in->a, &elem))
        return false;
    if (elem.kind != PB_T_ELEM)
        return pbv_fail_code(c, "ITER_KEY for an iterator over a set of text; only lists of records have fields");
    const pb_record *r = &c->img->records[elem.rec];
    if (in->b >= r->nfields)
        return pbv_fail_code(c, "field %u out of range (record %u '%s' has %u fields)", in->b, elem.rec,
                             pbv_name(c->img, r->name), r->nfields);
    pb_type t = c->img->fields[r->first_field + in->b].type;
    if (t.kind != PB_T_TEXT) {
        char b[96];
        return pbv_fail_code(c, "ITER_KEY compares field %u of record '%s', which is %s, not text", in->b,
                             pbv_name(c->img, r->name), pb_type_str(c->img, t, b, sizeof b));
    }
    c->cur->v[in->a + 2] = (vt){VT_KEY, 0, (uint16_t)elem.rec};
    return true;
}

/* The type '@' pushes. */
static bool v_at_push(vc *c, const pb_insn *in, const vt *args, vt *out)
{
    const pb_image *img = c->img;
    /* Only the instructions whose PUSHES string is "@" come here. */
    switch (in->op) { /* GCOVR_EXCL_BR_LINE: these are all of them (unit.test_bytecode) */
    case PB_OP_PUSH_NONE: *out = vt_of(pb_type_unpack(in->a)); return true;
    case PB_OP_LOAD_FACT: *out = vt_of(img->fields[img->records[0].first_field + in->a].type); return true;
    case PB_OP_LOAD_FIELD: *out = vt_of(img->fields[img->records[in->a].first_field + in->b].type); return true;
    case PB_OP_LOAD_LOCAL: return v_local(c, in->a, out);
    case PB_OP_ITER_NEXT: return v_iter_elem(c, in->a, out);
    case PB_OP_ITER_FIND: return v_find_elem(c, in->a, out);
    case PB_OP_CALL: *out = vt_of(img->funcs[in->a].result); return true;
    case PB_OP_OTHERWISE: *out = args[0]; return true;
    default:
        PU_ASSERT(!"an instruction pushing '@' without a rule");
        return pbv_fail_code(c, "no rule for the type this instruction pushes");
    }
}

static bool v_push(vc *c, vt t)
{
    if (c->cur->depth >= c->ms)
        return pbv_fail_code(c, "stack overflow: more than max_stack %u values", c->ms);
    c->cur->v[c->nl + c->cur->depth++] = t;
    return true;
}

static bool v_has_jump(pb_op op)
{
    return pb_opinfo_table[op].a == PB_K_JUMP || pb_opinfo_table[op].b == PB_K_JUMP;
}

/* Branches: every JUMP operand leaves after the pops and before the pushes
 * (so ITER_NEXT's exit carries no element). */
static bool v_branch(vc *c, const pb_insn *in, uint32_t target)
{
    if (!v_has_jump(in->op))
        return true;
    if (in->op == PB_OP_LOOP)
        return st_back_edge(c, target, c->cur);
    return st_merge(c, target, c->cur);
}

/* One reachable instruction's effect on the state, from its table entry. */
static bool v_effect(vc *c, const pb_insn *in, uint32_t target)
{
    const pb_opinfo *info = &pb_opinfo_table[in->op];
    vstate *s = c->cur;
    uint32_t n = v_npops(c, in);
    if (s->depth < n)
        return pbv_fail_code(c, "stack underflow: pops %u values, the stack holds %u", n, s->depth);
    vt args[2] = {{0, 0, 0}, {0, 0, 0}};
    const vt *popped = s->v + c->nl + s->depth - n;
    if (!v_pops(c, in, popped, n))
        return false;
    if (n <= 2)
        memcpy(args, popped, sizeof(vt) * n);
    if (!v_pops_exact(c, in, args))
        return false;
    s->depth -= n;
    if (!v_branch(c, in, target))
        return false;
    for (const char *l = info->pushes; *l; l++) {
        vt t;
        if (*l == '*')
            t = args[0];
        else if (*l == '@') {
            if (!v_at_push(c, in, args, &t))
                return false;
        } else
            t = letter_type(*l);
        if (!v_push(c, t))
            return false;
    }
    if (in->op == PB_OP_STORE_LOCAL)
        s->v[in->a] = args[0];
    if (in->op == PB_OP_ITER_KEY && !v_key(c, in))
        return false;
    if (in->op == PB_OP_ITER_INIT) {
        s->v[in->a] = args[0];
        s->v[in->a + 1] = (vt){VT_ITER, args[0].kind, args[0].rec};
    }
    return true;
}

static void v_note_call(vc *c, const pb_insn *in)
{
    if (in->op != PB_OP_CALL)
        return;
    if (c->need[in->a] > c->callee_need)
        c->callee_need = c->need[in->a];
    if (c->calls[in->a] > c->callee_calls)
        c->callee_calls = c->calls[in->a];
}

/* Entering the instruction at c->pc: joins the fall-through path with the
 * jumps recorded for it. A loop head (ITER_NEXT, ITER_FIND) keeps its entry
 * state for the loop's back edge. */
static bool v_enter(vc *c, pb_op op)
{
    vstate **slot = &c->at[c->pc - c->start];
    if (*slot) {
        if (c->live && !st_merge(c, c->pc, c->cur))
            return false;
        st_copy(c, c->cur, *slot);
        c->live = true;
    } else if (c->live && v_loop_head(op)) {
        if (!(*slot = st_new(c)))
            return false;
        st_copy(c, *slot, c->cur);
    }
    return true;
}

static bool v_insn(vc *c)
{
    pb_insn in;
    if (!pb_decode(c->img->code, c->end, c->pc, &in)) {
        c->op = PB_OP_NOP;
        if (c->img->code[c->pc] >= PB_OP_COUNT)
            return pbv_fail_code(c, "unknown opcode %u", c->img->code[c->pc]);
        c->op = (pb_op)c->img->code[c->pc];
        return pbv_fail_code(c, "instruction runs past the end of the function");
    }
    c->op = in.op;
    c->flags[c->pc - c->start] |= AT_BOUNDARY;
    for (uint32_t i = 1; i < in.size; i++)
        if (c->flags[c->pc - c->start + i] & AT_TARGET)
            return pbv_fail_code(c, "a jump lands at offset %u, inside this instruction", c->pc + i);
    const pb_opinfo *info = &pb_opinfo_table[in.op];
    if (!v_operand(c, &in, info->a, in.a, in.ja) || !v_operand(c, &in, info->b, in.b, in.jb))
        return false;
    /* Jump targets are checked even in unreachable code, which is never run
     * and so is not type-checked. */
    uint32_t target = 0;
    if (v_has_jump(in.op) && !v_target(c, &in, info->a == PB_K_JUMP ? in.a : in.b, &target))
        return false;
    if (in.op == PB_OP_LOOP && !v_loop_shape(c, &in, target))
        return false;
    if (!v_enter(c, in.op))
        return false;
    if (c->live) {
        if (!v_effect(c, &in, target))
            return false;
        v_note_call(c, &in);
    }
    if (!v_falls_through(in.op))
        c->live = false;
    c->pc += in.size;
    return true;
}

/* ---- code: functions ----------------------------------------------------------------- */

static bool v_scratch(vc *c, size_t len)
{
    if (len > c->scratch_len) {
        free(c->flags);
        free(c->at);
        c->flags = malloc(len);
        c->at = malloc(len * sizeof *c->at);
        c->scratch_len = c->flags && c->at ? len : 0;
        if (!c->scratch_len)
            return pbv_fail(c, "out of memory");
    }
    memset(c->flags, 0, len);
    for (size_t i = 0; i < len; i++)
        c->at[i] = NULL;
    return true;
}

static bool v_frame(vc *c)
{
    uint64_t need = (uint64_t)c->nl + c->ms + c->callee_need;
    if (need > UINT32_MAX)
        return pbv_fail(c, "function %u '%s' needs a frame of %llu values, too many", c->fi,
                     pbv_name(c->img, c->f->name), (unsigned long long)need);
    if (c->f->frame < need)
        return pbv_fail(c, "function %u '%s' declares a frame of %u values but needs %llu "
                        "(%u locals + %u stack + %u for calls)",
                     c->fi, pbv_name(c->img, c->f->name), c->f->frame, (unsigned long long)need, c->nl,
                     c->ms, c->callee_need);
    c->need[c->fi] = (uint32_t)need;
    c->calls[c->fi] = c->callee_calls + 1;
    return true;
}

static bool v_code(vc *c, uint32_t fi)
{
    const pb_func *f = &c->img->funcs[fi];
    c->fi = fi;
    c->f = f;
    c->start = f->code_off;
    c->end = f->code_off + f->code_len;
    c->nl = f->nlocals;
    c->ms = f->max_stack;
    c->callee_need = c->callee_calls = 0;
    c->op = PB_OP_NOP;
    pm_reset(&c->states);
    if (!v_scratch(c, f->code_len) || !(c->cur = st_new(c)))
        return false;
    for (uint32_t i = 0; i < c->nl; i++)
        c->cur->v[i] = i < f->nparams ? vt_of(c->img->param_types[f->first_param + i])
                                      : vt_make(VT_UNSET, 0);
    c->cur->depth = 0;
    c->live = true;
    for (c->pc = c->start; c->pc < c->end;)
        if (!v_insn(c))
            return false;
    if (c->live)
        return pbv_fail_code(c, "execution falls off the end of the function");
    return v_frame(c);
}

/* ---- driver ------------------------------------------------------------------------ */

static bool v_functions(vc *c)
{
    const pb_image *img = c->img;
    for (uint32_t i = 0; i < img->nfuncs; i++)
        if (!v_func_header(c, i))
            return false;
    for (uint32_t i = 0; i < img->nfuncs; i++)
        if (!v_code(c, i))
            return false;
    return true;
}

static void v_summary(vc *c)
{
    pb_image *img = c->img;
    img->max_frame = img->max_reqs = img->max_calls = 0;
    for (uint32_t i = 0; i < img->nfuncs; i++) {
        if (img->funcs[i].frame > img->max_frame)
            img->max_frame = img->funcs[i].frame;
        if (c->calls[i] > img->max_calls)
            img->max_calls = c->calls[i];
    }
    for (uint32_t p = 0; p < img->nprogs; p++)
        if (img->progs[p].nreqs > img->max_reqs)
            img->max_reqs = img->progs[p].nreqs;
}

bool pb_verify(pb_image *img, char *err, size_t errlen)
{
    vc c = {.img = img, .err = err, .errlen = errlen};
    c.dmin = pu_from_ymd(PU_YEAR_MIN, 1, 1);
    c.dmax = pu_from_ymd(PU_YEAR_MAX, 12, 31);
    pm_init(&c.states, 65536);
    c.states.limit = PB_VERIFY_MEMORY;
    bool ok = v_tables_present(&c) && v_strings(&c) && v_records(&c);
    if (ok) {
        c.need = calloc(img->nfuncs ? img->nfuncs : 1, sizeof *c.need);
        c.calls = calloc(img->nfuncs ? img->nfuncs : 1, sizeof *c.calls);
        if (!c.need || !c.calls)
            ok = pbv_fail(&c, "out of memory");
    }
    ok = ok && v_functions(&c) && pbv_programs(&c) && pbv_lines(&c);
    if (ok)
        v_summary(&c);
    free(c.need);
    free(c.calls);
    free(c.flags);
    free(c.at);
    pm_free(&c.states);
    return ok;
}
