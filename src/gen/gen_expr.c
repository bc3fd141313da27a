/* Emitting expressions. Every emitter leaves exactly one value on the stack;
 * control flow is structured (forward jumps, and loops only through
 * ITER_NEXT or ITER_FIND and LOOP), which is what the verifier accepts. */
#include <string.h>

#include "gen_int.h"
#include "../util/assert.h"

/* ---- emission ------------------------------------------------------------- */

static int pk_stack_effect(pg *g, pb_op op, uint32_t a, int *pops)
{
    const pb_opinfo *info = &pb_opinfo_table[op];
    if (op == PB_OP_CALL) {
        const pb_func *f = &((const pb_func *)g->funcs.data)[a];
        *pops = f->nparams;
        if (f->frame > g->fn.callee_frame)
            g->fn.callee_frame = f->frame;
        return 1;
    }
    if (op == PB_OP_RET) {
        *pops = 1;
        return 0;
    }
    *pops = (int)strlen(info->pops);
    return (int)strlen(info->pushes);
}

uint32_t pk_emit(pg *g, pb_op op, uint32_t a, uint32_t b)
{
    /* Out of memory, the tables may lack what an operand names (a function
     * whose entry could not be added, which CALL's stack effect reads):
     * nothing more is emitted, and the image is discarded. */
    if (g->oom)
        return g->code.len;
    uint8_t buf[PB_MAX_INSN];
    uint32_t n = pb_encode(buf, op, a, b);
    uint32_t at = g->code.len;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *p = pk_push(g, &g->code);
        if (!p)
            return at;
        *p = buf[i];
    }
    int pops;
    int pushes = pk_stack_effect(g, op, a, &pops);
    g->fn.depth += pushes - pops;
    if (g->fn.depth > g->fn.max)
        g->fn.max = g->fn.depth;
    return at;
}

uint32_t pk_jump(pg *g, pb_op op, uint32_t a)
{
    uint32_t at = pk_emit(g, op, a, 0);
    const pb_opinfo *info = &pb_opinfo_table[op];
    /* The jump operand is the last operand of the instruction. */
    return at + 1 + (info->b == PB_K_JUMP ? pb_operand_size[info->a] : 0);
}

void pk_patch(pg *g, uint32_t at)
{
    if (g->oom)
        return;
    uint8_t *code = g->code.data;
    uint32_t end = at + 4;
    /* The jump operand written here is the format's: 4 bytes, forward. */
    _Static_assert(PB_W_JUMP == 4, "a jump operand is 4 bytes");
    PU_ASSERT(end <= g->code.len);
    uint32_t off = g->code.len - end;
    code[at] = (uint8_t)off;
    code[at + 1] = (uint8_t)(off >> 8);
    code[at + 2] = (uint8_t)(off >> 16);
    code[at + 3] = (uint8_t)(off >> 24);
}

/* A backward jump to `target`, from the end of the LOOP instruction. */
static void pk_loop(pg *g, uint32_t target)
{
    uint32_t end = g->code.len + pb_opinfo_table[PB_OP_LOOP].size;
    pk_emit(g, PB_OP_LOOP, end - target, 0);
}

/* Line-table entries: exact positions before operations that can fail at
 * run time (so errors point at the operator), line starts elsewhere (so the
 * disassembly groups code under its source line). */
static void pk_mark_at(pg *g, const ps_span *span, bool exact)
{
    uint32_t line, col;
    ps_position(g->src, span->file, span->start, &line, &col);
    uint32_t file = pk_file(g, span->file);
    if (g->lines.len) {
        pb_line *last = &((pb_line *)g->lines.data)[g->lines.len - 1];
        if (last->file == file && last->line == line && (!exact || last->col == col))
            return;
        if (last->pc == g->code.len) {
            *last = (pb_line){g->code.len, file, line, col};
            return;
        }
    }
    pb_line *l = pk_push(g, &g->lines);
    if (l)
        *l = (pb_line){g->code.len, file, line, col};
}

void pk_mark(pg *g, const ps_span *span)
{
    pk_mark_at(g, span, true);
}

static uint32_t pk_temp(pg *g)
{
    return g->fn.nlocals++;
}

static void pk_locals_child(void *n, const pa_expr *e)
{
    *(uint32_t *)n = pk_locals_needed(e, *(uint32_t *)n);
}

uint32_t pk_locals_needed(const pa_expr *e, uint32_t floor)
{
    if (!e)
        return floor;
    uint32_t n = floor;
    if (e->kind == PA_E_QUANT && e->ref_index + PC_QUANT_LOCALS > n)
        n = e->ref_index + PC_QUANT_LOCALS;
    pa_each_child(e, pk_locals_child, &n);
    return n;
}

/* ---- helpers -------------------------------------------------------------- */

static bool pk_is_num(const pa_expr *e) { return e->type.kind == PB_T_NUM; }

/* Pushes a boolean constant at a join: the two paths into `end` both carry
 * one boolean. */
static void pk_bool_join(pg *g, uint32_t jump_to_const, bool value, int depth)
{
    uint32_t skip = pk_jump(g, PB_OP_JUMP, 0);
    pk_patch(g, jump_to_const);
    g->fn.depth = depth;
    pk_emit(g, value ? PB_OP_PUSH_TRUE : PB_OP_PUSH_FALSE, 0, 0);
    pk_patch(g, skip);
}

static pb_op pk_cmp_op(pb_kind k)
{
    switch (k) {
    case PB_T_NUM: return PB_OP_CMP_NUM;
    case PB_T_DATE: return PB_OP_CMP_DATE;
    case PB_T_TEXT: return PB_OP_CMP_TEXT;
    case PB_T_BOOL: return PB_OP_CMP_BOOL;
    default: return PB_OP_CMP_INT;
    }
}

static pb_cmp pk_cmp(pa_op op)
{
    switch (op) {
    case PA_OP_EQ: return PB_EQ;
    case PA_OP_NE: return PB_NE;
    case PA_OP_LT: return PB_LT;
    case PA_OP_LE: return PB_LE;
    case PA_OP_GT: return PB_GT;
    default: return PB_GE;
    }
}

/* ---- expressions ---------------------------------------------------------- */

static void pk_none(pg *g, const pa_expr *e)
{
    pb_type t = e->type;
    t.optional = 1;
    pk_emit(g, PB_OP_PUSH_NONE, pb_type_pack(t), 0);
}

static void pk_name(pg *g, const pa_expr *e)
{
    switch (e->ref) {
    case PA_REF_FACT: pk_emit(g, PB_OP_LOAD_FACT, e->ref_index, 0); break;
    case PA_REF_DEFINE: pk_emit(g, PB_OP_CALL, g->p->defs[e->ref_index].func, 0); break;
    default: pk_emit(g, PB_OP_LOAD_LOCAL, e->ref_index, 0); break;
    }
}

static void pk_call(pg *g, const pa_expr *e)
{
    if (e->ref == PA_REF_BUILTIN) {
        bool num = pk_is_num(e);
        pk_expr(g, e->u.call.args, num);
        pk_expr(g, e->u.call.args->next, num);
        pk_mark(g, &e->span);
        pb_op op = e->ref_index == PC_BI_MAX ? (num ? PB_OP_MAX_NUM : PB_OP_MAX_INT)
                                             : (num ? PB_OP_MIN_NUM : PB_OP_MIN_INT);
        pk_emit(g, op, 0, 0);
        return;
    }
    const pc_define *def = &g->p->defs[e->ref_index];
    uint32_t i = 0;
    for (const pa_expr *a = e->u.call.args; a; a = a->next, i++)
        pk_expr(g, a, def->params[i].kind == PB_T_NUM);
    pk_mark(g, &e->span);
    pk_emit(g, PB_OP_CALL, def->func, 0);
}

static void pk_logic(pg *g, const pa_expr *e)
{
    bool is_and = e->u.bin.op == PA_OP_AND;
    pk_expr(g, e->u.bin.a, false);
    int depth = g->fn.depth - 1;
    uint32_t out = pk_jump(g, is_and ? PB_OP_JUMP_FALSE : PB_OP_JUMP_TRUE, 0);
    pk_expr(g, e->u.bin.b, false);
    pk_bool_join(g, out, !is_and, depth);
}

static void pk_in_list(pg *g, const pa_expr *e)
{
    const pa_expr *list = e->u.bin.b;
    bool num = pk_is_num(e->u.bin.a);
    for (const pa_expr *it = list->u.list.items; it; it = it->next)
        num = num || pk_is_num(it);
    pk_expr(g, e->u.bin.a, num);
    uint32_t tmp = pk_temp(g);
    pk_emit(g, PB_OP_STORE_LOCAL, tmp, 0);
    int depth = g->fn.depth;
    /* One forward jump per item to the shared "found" exit. */
    uint32_t *found = pm_alloc(&g->names, sizeof *found * (list->u.list.nitems + 1u));
    if (!found) {
        g->oom = true;
        return;
    }
    uint32_t nfound = 0;
    pb_op cmp = pk_cmp_op(num ? PB_T_NUM : (pb_kind)e->u.bin.a->type.kind);
    for (const pa_expr *it = list->u.list.items; it; it = it->next) {
        pk_emit(g, PB_OP_LOAD_LOCAL, tmp, 0);
        pk_expr(g, it, num);
        pk_emit(g, cmp, PB_EQ, 0);
        found[nfound++] = pk_jump(g, PB_OP_JUMP_TRUE, 0);
    }
    pk_emit(g, PB_OP_PUSH_FALSE, 0, 0);
    uint32_t end = pk_jump(g, PB_OP_JUMP, 0);
    for (uint32_t i = 0; i < nfound; i++)
        pk_patch(g, found[i]);
    g->fn.depth = depth;
    pk_emit(g, PB_OP_PUSH_TRUE, 0, 0);
    pk_patch(g, end);
}

static void pk_binary(pg *g, const pa_expr *e)
{
    const pa_expr *a = e->u.bin.a, *b = e->u.bin.b;
    pa_op op = e->u.bin.op;
    if (op == PA_OP_AND || op == PA_OP_OR) {
        pk_logic(g, e);
        return;
    }
    if (op == PA_OP_IN) {
        if (b->kind == PA_E_LIST) {
            pk_in_list(g, e);
            return;
        }
        pk_expr(g, b, false);
        pk_expr(g, a, false);
        pk_mark(g, &e->u.bin.op_span);
        pk_emit(g, PB_OP_HAS, 0, 0);
        return;
    }
    if (op >= PA_OP_EQ && op <= PA_OP_GE) {
        bool num = pk_is_num(a) || pk_is_num(b);
        pk_expr(g, a, num);
        pk_expr(g, b, num);
        pk_mark(g, &e->u.bin.op_span);
        pk_emit(g, pk_cmp_op(num ? PB_T_NUM : (pb_kind)a->type.kind), pk_cmp(op), 0);
        return;
    }
    if (a->type.kind == PB_T_DATE && b->type.kind == PC_T_DURATION) {
        pk_expr(g, a, false);
        const pa_expr *d = b->kind == PA_E_UNARY ? b->u.un.a : b;
        bool back = (b->kind == PA_E_UNARY) != (op == PA_OP_SUB);
        if (d->u.dur.count) {
            /* `n months`: the count is computed; taking it away negates it
             * (an error on overflow, as any negation). */
            pk_expr(g, d->u.dur.count, false);
            if (back) {
                pk_mark(g, &d->u.dur.count->span);
                pk_emit(g, PB_OP_NEG_INT, 0, 0);
            }
        } else {
            pk_emit(g, PB_OP_PUSH_INT, pk_int(g, back ? -d->u.dur.n : d->u.dur.n), 0);
        }
        pk_mark(g, &e->u.bin.op_span);
        pk_emit(g, PB_OP_DATE_ADD, (uint32_t)d->u.dur.unit, 0);
        return;
    }
    bool num = pk_is_num(e);
    pk_expr(g, a, num);
    pk_expr(g, b, num);
    pk_mark(g, &e->u.bin.op_span);
    pb_op o;
    switch (op) {
    case PA_OP_ADD: o = num ? PB_OP_ADD_NUM : PB_OP_ADD_INT; break;
    case PA_OP_SUB: o = num ? PB_OP_SUB_NUM : PB_OP_SUB_INT; break;
    case PA_OP_MUL: o = num ? PB_OP_MUL_NUM : PB_OP_MUL_INT; break;
    default: o = PB_OP_OTHERWISE; break;
    }
    pk_emit(g, o, 0, 0);
}

/* `31 August of Y`, `day D of month M of year Y`: DATE_MAKE on the three
 * parts; `1 January following A`: DATE_NEXT on A, the month and the day. */
static void pk_make_date(pg *g, const pa_expr *e)
{
    pk_expr(g, e->u.make.after ? e->u.make.after : e->u.make.y, false);
    pk_expr(g, e->u.make.m, false);
    pk_expr(g, e->u.make.d, false);
    pk_mark(g, &e->span);
    pk_emit(g, e->u.make.after ? PB_OP_DATE_NEXT : PB_OP_DATE_MAKE, 0, 0);
}

static void pk_unary(pg *g, const pa_expr *e)
{
    const pa_expr *a = e->u.un.a;
    if (e->u.un.op == PA_OP_NOT) {
        pk_expr(g, a, false);
        pk_emit(g, PB_OP_NOT, 0, 0);
        return;
    }
    /* Negative literals are constants, not arithmetic. */
    if (a->kind == PA_E_INT) {
        pk_emit(g, PB_OP_PUSH_INT, pk_int(g, -a->u.i), 0);
        return;
    }
    if (a->kind == PA_E_NUM) {
        pk_emit(g, PB_OP_PUSH_NUM, pk_num(g, -a->u.n), 0);
        return;
    }
    pk_expr(g, a, false);
    pk_mark(g, &e->span);
    pk_emit(g, pk_is_num(a) ? PB_OP_NEG_NUM : PB_OP_NEG_INT, 0, 0);
}

static void pk_if(pg *g, const pa_expr *e)
{
    bool num = pk_is_num(e);
    pk_expr(g, e->u.cond.c, false);
    int depth = g->fn.depth - 1;
    uint32_t to_else = pk_jump(g, PB_OP_JUMP_FALSE, 0);
    pk_expr(g, e->u.cond.a, num);
    uint32_t to_end = pk_jump(g, PB_OP_JUMP, 0);
    pk_patch(g, to_else);
    g->fn.depth = depth;
    pk_expr(g, e->u.cond.b, num);
    pk_patch(g, to_end);
}

/* ---- quantifiers ----------------------------------------------------------- */

/* A value the loop cannot change and that cannot fail, so that computing it
 * once before the loop is the same as computing it for every element: a
 * text literal, a facts field, a parameter or an enclosing loop's variable,
 * or a field of one of those. `var` is this loop's variable. */
static bool pk_loop_invariant(const pa_expr *k, uint32_t var)
{
    if (k->kind == PA_E_FIELD)
        k = k->u.field.obj;
    switch (k->kind) {
    case PA_E_STR: return true;
    case PA_E_NAME:
        return k->ref == PA_REF_FACT ||
               ((k->ref == PA_REF_PARAM || k->ref == PA_REF_LOCAL) && k->ref_index != var);
    default: return false;
    }
}

/* `var.f` for a field f of the loop variable: f's index, else -1. */
static int32_t pk_var_field(const pa_expr *e, uint32_t var)
{
    if (e->kind != PA_E_FIELD || e->u.field.obj->kind != PA_E_NAME)
        return -1;
    const pa_expr *o = e->u.field.obj;
    return o->ref == PA_REF_LOCAL && o->ref_index == var ? (int32_t)e->ref_index : -1;
}

/* The key of `any x in L where x.f = K and ...`: when the first test of the
 * where clause compares a text field of the element with a value K the
 * loop does not change, every element whose f differs from K fails the
 * clause before anything else in it runs. ITER_FIND skips those without
 * running their code at all (the scan for a certificate id or a membership
 * body, in `current` and `member`), and the elements it finds pass the
 * test, so the loop's body leaves it out. Sets *field and *key (K) and
 * returns the test, or NULL. */
static const pa_expr *pk_seek_key(const pa_expr *e, uint32_t var, uint32_t *field, const pa_expr **key)
{
    if (e->u.quant.q != PA_Q_ANY || e->u.quant.list->type.kind != PB_T_LIST || !e->u.quant.where)
        return NULL;
    const pa_expr *t = e->u.quant.where;
    while (t->kind == PA_E_BINARY && t->u.bin.op == PA_OP_AND)
        t = t->u.bin.a;
    if (t->kind != PA_E_BINARY || t->u.bin.op != PA_OP_EQ || t->u.bin.a->type.kind != PB_T_TEXT)
        return NULL;
    for (int side = 0; side < 2; side++) {
        const pa_expr *f = side ? t->u.bin.b : t->u.bin.a, *k = side ? t->u.bin.a : t->u.bin.b;
        int32_t i = pk_var_field(f, var);
        if (i >= 0 && pk_loop_invariant(k, var)) {
            *field = (uint32_t)i;
            *key = k;
            return t;
        }
    }
    return NULL;
}

/* The where clause w of a loop over ITER_FIND, without its first test
 * (pk_seek_key), which every element the loop sees passes: `test and b and
 * c` is emitted as `b and c`. */
static void pk_where_rest(pg *g, const pa_expr *w, const pa_expr *test)
{
    if (w == test) {
        pk_emit(g, PB_OP_PUSH_TRUE, 0, 0);
        return;
    }
    if (w->u.bin.a == test) {
        pk_expr(g, w->u.bin.b, false);
        return;
    }
    pk_where_rest(g, w->u.bin.a, test);
    int depth = g->fn.depth - 1;
    uint32_t out = pk_jump(g, PB_OP_JUMP_FALSE, 0);
    pk_expr(g, w->u.bin.b, false);
    pk_bool_join(g, out, false, depth);
}

static void pk_quant(pg *g, const pa_expr *e)
{
    uint32_t base = e->ref_index, var = base + PC_QUANT_VAR, acc = base + PC_QUANT_VAR + 1;
    pa_quant q = e->u.quant.q;
    bool num = q == PA_Q_SUM && pk_is_num(e);
    if (q == PA_Q_COUNT || q == PA_Q_SUM) {
        if (num)
            pk_emit(g, PB_OP_PUSH_NUM, pk_num(g, 0.0), 0);
        else
            pk_emit(g, PB_OP_PUSH_INT, pk_int(g, 0), 0);
        pk_emit(g, PB_OP_STORE_LOCAL, acc, 0);
    }
    pk_expr(g, e->u.quant.list, false);
    pb_type lt = e->u.quant.list->type;
    lt.optional = 0;
    pk_emit(g, PB_OP_ITER_INIT, base, pb_type_pack(lt));
    uint32_t field = 0;
    const pa_expr *key = NULL, *test = pk_seek_key(e, var, &field, &key);
    if (test) {
        pk_expr(g, key, false);
        pk_emit(g, PB_OP_ITER_KEY, base, field);
    }
    int depth = g->fn.depth;
    uint32_t head = g->code.len;
    uint32_t done = pk_jump(g, test ? PB_OP_ITER_FIND : PB_OP_ITER_NEXT, base);
    pk_emit(g, PB_OP_STORE_LOCAL, var, 0);
    uint32_t exit = 0, skip = 0;
    bool has_skip = false;
    if (test) {
        pk_where_rest(g, e->u.quant.where, test);
        exit = pk_jump(g, PB_OP_JUMP_TRUE, 0);
    } else if (q == PA_Q_ANY || q == PA_Q_ALL) {
        pk_expr(g, e->u.quant.where, false);
        exit = pk_jump(g, q == PA_Q_ANY ? PB_OP_JUMP_TRUE : PB_OP_JUMP_FALSE, 0);
    } else {
        if (e->u.quant.where) {
            pk_expr(g, e->u.quant.where, false);
            skip = pk_jump(g, PB_OP_JUMP_FALSE, 0);
            has_skip = true;
        }
        pk_emit(g, PB_OP_LOAD_LOCAL, acc, 0);
        if (q == PA_Q_COUNT)
            pk_emit(g, PB_OP_PUSH_INT, pk_int(g, 1), 0);
        else
            pk_expr(g, e->u.quant.value, num);
        pk_mark(g, &e->span);
        pk_emit(g, num ? PB_OP_ADD_NUM : PB_OP_ADD_INT, 0, 0);
        pk_emit(g, PB_OP_STORE_LOCAL, acc, 0);
        if (has_skip)
            pk_patch(g, skip);
    }
    pk_loop(g, head);
    pk_patch(g, done);
    g->fn.depth = depth;
    if (q == PA_Q_ANY || q == PA_Q_ALL) {
        pk_emit(g, q == PA_Q_ANY ? PB_OP_PUSH_FALSE : PB_OP_PUSH_TRUE, 0, 0);
        uint32_t end = pk_jump(g, PB_OP_JUMP, 0);
        pk_patch(g, exit);
        g->fn.depth = depth;
        pk_emit(g, q == PA_Q_ANY ? PB_OP_PUSH_TRUE : PB_OP_PUSH_FALSE, 0, 0);
        pk_patch(g, end);
    } else {
        pk_emit(g, PB_OP_LOAD_LOCAL, acc, 0);
    }
}

void pk_expr(pg *g, const pa_expr *e, bool want_num)
{
    pk_mark_at(g, &e->span, false);
    switch (e->kind) {
    case PA_E_INT: pk_emit(g, PB_OP_PUSH_INT, pk_int(g, e->u.i), 0); break;
    case PA_E_NUM: pk_emit(g, PB_OP_PUSH_NUM, pk_num(g, e->u.n), 0); break;
    case PA_E_STR: pk_emit(g, PB_OP_PUSH_STR, pk_string(g, e->u.str.s, e->u.str.len), 0); break;
    case PA_E_DATE: pk_emit(g, PB_OP_PUSH_DATE, (uint32_t)e->u.date, 0); break;
    case PA_E_BOOL: pk_emit(g, e->u.b ? PB_OP_PUSH_TRUE : PB_OP_PUSH_FALSE, 0, 0); break;
    case PA_E_NONE: pk_none(g, e); break;
    case PA_E_TODAY: pk_emit(g, PB_OP_PUSH_TODAY, 0, 0); break;
    case PA_E_NAME: pk_name(g, e); break;
    case PA_E_FIELD:
        pk_expr(g, e->u.field.obj, false);
        pk_emit(g, PB_OP_LOAD_FIELD, e->ref_rec, e->ref_index);
        break;
    case PA_E_CALL: pk_call(g, e); break;
    case PA_E_UNARY: pk_unary(g, e); break;
    case PA_E_BINARY: pk_binary(g, e); break;
    case PA_E_IS_NONE:
        pk_expr(g, e->u.isnone.a, false);
        pk_emit(g, PB_OP_IS_NONE, 0, 0);
        if (e->u.isnone.negated)
            pk_emit(g, PB_OP_NOT, 0, 0);
        break;
    case PA_E_IF: pk_if(g, e); break;
    case PA_E_BETWEEN:
        pk_expr(g, e->u.between.a, false);
        if (e->u.between.b)
            pk_expr(g, e->u.between.b, false);
        else
            pk_emit(g, PB_OP_PUSH_TODAY, 0, 0);
        pk_mark(g, &e->span);
        pk_emit(g, PB_OP_BETWEEN, (uint32_t)e->u.between.unit, 0);
        break;
    case PA_E_QUANT: pk_quant(g, e); break;
    case PA_E_DATE_PART:
        pk_expr(g, e->u.part.a, false);
        pk_mark(g, &e->span);
        pk_emit(g, PB_OP_DATE_PART, (uint32_t)e->u.part.unit, 0);
        break;
    case PA_E_MAKE_DATE: pk_make_date(g, e); break;
    default: break; /* durations and lists are handled by their parents */
    }
    if (want_num && e->type.kind == PB_T_INT)
        pk_emit(g, PB_OP_INT_TO_NUM, 0, 0);
}
