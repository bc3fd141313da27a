/* What a requirement looked at. A leaf requirement is a function of no
 * parameters returning boolean; its bytecode says which definitions it calls
 * and with which arguments (`member("usatf")`, `held_for("b", 12)`,
 * `held_for(sought, 12)`), which fields of the facts it reads (`roles`),
 * which totals it computes (`(sum c.points for c in courses where ...)`)
 * and which constants it compares them with (`age >= 18`). This file reads
 * that from the code, with a model of the operand stack over the
 * straight-line instructions, and asks the VM for each value: the values
 * shown are computed exactly as the rule computes them. A shape it does not
 * recognise is simply not shown (the outcome and its dates never depend on
 * this file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc/code.h"
#include "seen_int.h"
#include "util/date.h"

#define PX_MAX_TERMS 16
#define PX_MAX_MODEL 32
#define PX_MAX_ARGS 8 /* a call with more parameters is not shown */
#define PX_MAX_TOTALS 8

typedef enum px_item_kind { PX_UNKNOWN = 0, PX_CONST, PX_TERM, PX_TODAY } px_item_kind;

/* A value on the modelled stack: unknown, a constant, or a term. */
typedef struct px_item {
    px_item_kind kind;
    pb_type type;
    pv_value v;   /* PX_CONST */
    int term;     /* PX_TERM: index into px_leaf.terms */
} px_item;

/* A call whose arguments are constants or other terms, a facts field, a
 * part of the date (`year of today`) or a total written in the requirement
 * itself, and the comparison it was put to (cmp < 0: none; PB_CMP_COUNT:
 * `in`, set membership). */
typedef struct px_term {
    bool call;
    uint8_t part;   /* `year of today`: its pu_unit + 1; 0 for the others */
    int8_t total;   /* a total in the requirement: its index in px_leaf.totals; else -1 */
    uint32_t func, slot;
    pv_value args[PX_MAX_ARGS];    /* the constant arguments */
    int8_t argterm[PX_MAX_ARGS];   /* an argument computed by another term: its index; else -1 */
    pb_type type;
    int cmp;
    pv_value k;
    pb_type ktype;
} px_term;

typedef struct px_leaf {
    px_item stack[PX_MAX_MODEL];
    unsigned depth;
    px_term terms[PX_MAX_TERMS];
    unsigned nterms;
    uint32_t func;                   /* the requirement's function */
    px_quant totals[PX_MAX_TOTALS]; /* the totals in its code */
    unsigned ntotals;
} px_leaf;

/* Whether two terms compute the same value (their comparisons aside). */
static bool px_same(const px_term *u, const px_term *t)
{
    return u->call == t->call && u->func == t->func && u->slot == t->slot && u->part == t->part &&
           u->total == t->total && memcmp(u->args, t->args, sizeof t->args) == 0 &&
           memcmp(u->argterm, t->argterm, sizeof t->argterm) == 0;
}

static void px_push(px_leaf *l, px_item it)
{
    if (l->depth < PX_MAX_MODEL)
        l->stack[l->depth++] = it;
}

static px_item px_pop(px_leaf *l)
{
    px_item none = {PX_UNKNOWN, {0, 0, 0}, {.count = 0}, -1};
    return l->depth ? l->stack[--l->depth] : none;
}

static px_item px_const(pb_kind kind, pv_value v)
{
    px_item it = {PX_CONST, {(uint8_t)kind, 0, 0}, v, -1};
    return it;
}

/* A new term (or the same one seen before), pushed as an item. */
static px_item px_term_item(px_leaf *l, const px_term *t)
{
    px_item it = {PX_UNKNOWN, t->type, {.count = 0}, -1};
    for (unsigned i = 0; i < l->nterms; i++) {
        const px_term *u = &l->terms[i];
        if (u->cmp < 0 && px_same(u, t)) {
            it.kind = PX_TERM;
            it.term = (int)i;
            return it;
        }
    }
    if (l->nterms == PX_MAX_TERMS)
        return it;
    l->terms[l->nterms] = *t;
    it.kind = PX_TERM;
    it.term = (int)l->nterms++;
    return it;
}

/* The comparison a term is put to; a term compared twice is shown twice. */
static void px_compare(px_leaf *l, px_item term, int cmp, px_item k)
{
    px_term *t = &l->terms[term.term];
    if (t->cmp >= 0) {
        if (l->nterms == PX_MAX_TERMS)
            return;
        l->terms[l->nterms] = *t;
        t = &l->terms[l->nterms++];
    }
    t->cmp = cmp;
    t->k = k.v;
    t->ktype = k.type;
}

static int px_flip(int cmp)
{
    switch (cmp) {
    case PB_LT: return PB_GT;
    case PB_LE: return PB_GE;
    case PB_GT: return PB_LT;
    case PB_GE: return PB_LE;
    default: return cmp;
    }
}

static void px_model_cmp(px_leaf *l, uint32_t cmp)
{
    px_item b = px_pop(l), a = px_pop(l);
    if (a.kind == PX_TERM && b.kind == PX_CONST)
        px_compare(l, a, (int)cmp, b);
    else if (a.kind == PX_CONST && b.kind == PX_TERM)
        px_compare(l, b, px_flip((int)cmp), a);
    px_push(l, (px_item){PX_UNKNOWN, {PB_T_BOOL, 0, 0}, {.count = 0}, -1});
}

static void px_term_init(px_term *t)
{
    memset(t, 0, sizeof *t);
    t->total = -1;
    t->cmp = -1;
    memset(t->argterm, -1, sizeof t->argterm);
}

/* A call is a term when each argument is a constant or a term itself (a
 * field of the facts, a call: `held_for(sought, 12)`), so that the VM can
 * compute its arguments and then it, on any day. */
static void px_model_call(px_leaf *l, const pb_image *img, uint32_t f)
{
    const pb_func *fn = &img->funcs[f];
    px_term t;
    px_term_init(&t);
    t.call = true;
    t.func = f;
    t.type = fn->result;
    bool known = fn->nparams <= PX_MAX_ARGS;
    for (unsigned i = fn->nparams; i-- > 0;) {
        px_item a = px_pop(l);
        if (a.kind == PX_CONST && i < PX_MAX_ARGS)
            t.args[i] = a.v;
        else if (a.kind == PX_TERM && i < PX_MAX_ARGS)
            t.argterm[i] = (int8_t)a.term;
        else
            known = false;
    }
    if (known)
        px_push(l, px_term_item(l, &t));
    else
        px_push(l, (px_item){PX_UNKNOWN, fn->result, {.count = 0}, -1});
}

/* A total written in the requirement (`(sum ...) >= 20`): a term, in place
 * of the list it reads. */
static void px_model_total(px_leaf *l, const px_quant *q)
{
    if (l->ntotals == PX_MAX_TOTALS) {
        px_push(l, (px_item){PX_UNKNOWN, q->type, {.count = 0}, -1});
        return;
    }
    l->totals[l->ntotals] = *q;
    px_term t;
    px_term_init(&t);
    t.total = (int8_t)l->ntotals++;
    t.func = l->func;
    t.slot = q->slot;
    t.type = q->type;
    px_push(l, px_term_item(l, &t));
}

static void px_model_fact(px_leaf *l, const pb_image *img, uint32_t slot)
{
    px_term t;
    px_term_init(&t);
    t.slot = slot;
    t.type = img->fields[img->records[0].first_field + slot].type;
    px_push(l, px_term_item(l, &t));
}

/* Any other instruction: its stack effect, from the opcode table. */
static void px_model_other(px_leaf *l, const pb_insn *in)
{
    const pb_opinfo *info = &pb_opinfo_table[in->op];
    size_t pops = strlen(info->pops), pushes = strlen(info->pushes);
    for (size_t i = 0; i < pops; i++)
        px_pop(l);
    for (size_t i = 0; i < pushes; i++)
        px_push(l, (px_item){PX_UNKNOWN, {0, 0, 0}, {.count = 0}, -1});
}

/* Integer arithmetic on constants gives a constant, so that a call with a
 * computed argument (`held_for("c-licence", 2 * 12)`) is shown like one
 * with a literal; on anything else, or on overflow (an evaluation error the
 * outcome reports), the result is unknown. */
static void px_model_int(px_leaf *l, const pb_insn *in)
{
    px_item b = px_pop(l), a = in->op == PB_OP_NEG_INT ? px_const(PB_T_INT, (pv_value){.as.i = 0}) : px_pop(l);
    int64_t r = 0;
    bool overflow = true;
    if (a.kind == PX_CONST && b.kind == PX_CONST) {
        if (in->op == PB_OP_ADD_INT)
            overflow = __builtin_add_overflow(a.v.as.i, b.v.as.i, &r);
        else if (in->op == PB_OP_MUL_INT)
            overflow = __builtin_mul_overflow(a.v.as.i, b.v.as.i, &r);
        else
            overflow = __builtin_sub_overflow(a.v.as.i, b.v.as.i, &r);
    }
    if (overflow)
        px_push(l, (px_item){PX_UNKNOWN, {PB_T_INT, 0, 0}, {.count = 0}, -1});
    else
        px_push(l, px_const(PB_T_INT, (pv_value){.as.i = r}));
}

/* `year of today`, `month of today`, `day of today`: a term of its own. */
static void px_model_part(px_leaf *l, const pb_insn *in)
{
    px_item d = px_pop(l);
    if (d.kind != PX_TODAY || in->a > PU_YEARS) {
        px_push(l, (px_item){PX_UNKNOWN, {PB_T_INT, 0, 0}, {.count = 0}, -1});
        return;
    }
    px_term t;
    px_term_init(&t);
    t.part = (uint8_t)(in->a + 1);
    t.type = (pb_type){PB_T_INT, 0, 0};
    px_push(l, px_term_item(l, &t));
}

static void px_model(px_leaf *l, const pb_image *img, const pb_insn *in)
{
    switch (in->op) {
    case PB_OP_PUSH_INT: px_push(l, px_const(PB_T_INT, (pv_value){.as.i = img->ints[in->a]})); break;
    case PB_OP_PUSH_NUM: px_push(l, px_const(PB_T_NUM, (pv_value){.as.n = img->nums[in->a]})); break;
    case PB_OP_PUSH_STR: px_push(l, px_const(PB_T_TEXT, (pv_value){.as.s = in->a})); break;
    case PB_OP_PUSH_DATE: px_push(l, px_const(PB_T_DATE, (pv_value){.as.d = in->ja})); break;
    case PB_OP_PUSH_TRUE: px_push(l, px_const(PB_T_BOOL, (pv_value){.as.b = true})); break;
    case PB_OP_PUSH_FALSE: px_push(l, px_const(PB_T_BOOL, (pv_value){.as.b = false})); break;
    case PB_OP_LOAD_FACT: px_model_fact(l, img, in->a); break;
    case PB_OP_PUSH_TODAY: px_push(l, (px_item){PX_TODAY, {PB_T_DATE, 0, 0}, {.count = 0}, -1}); break;
    case PB_OP_DATE_PART: px_model_part(l, in); break;
    case PB_OP_CALL: px_model_call(l, img, in->a); break;
    case PB_OP_CMP_INT:
    case PB_OP_CMP_NUM:
    case PB_OP_CMP_DATE:
    case PB_OP_CMP_TEXT:
    case PB_OP_CMP_BOOL: px_model_cmp(l, in->a); break;
    case PB_OP_NEG_INT:
    case PB_OP_ADD_INT:
    case PB_OP_SUB_INT:
    case PB_OP_MUL_INT: px_model_int(l, in); break;
    case PB_OP_INT_TO_NUM: {
        px_item it = px_pop(l);
        if (it.kind == PX_CONST) {
            it.v.as.n = (double)it.v.as.i;
            it.type.kind = PB_T_NUM;
        }
        px_push(l, it);
        break;
    }
    case PB_OP_HAS: {
        px_item text = px_pop(l), set = px_pop(l);
        if (set.kind == PX_TERM && text.kind == PX_CONST)
            px_compare(l, set, PB_CMP_COUNT, text);
        px_push(l, (px_item){PX_UNKNOWN, {PB_T_BOOL, 0, 0}, {.count = 0}, -1});
        break;
    }
    default: px_model_other(l, in); break;
    }
}

/* The leaf's model; with `totals`, a total in its code is one term. */
static void px_read_leaf(px_leaf *l, const pb_image *img, uint32_t func, bool totals)
{
    memset(l, 0, sizeof *l);
    l->func = func;
    const pb_func *f = &img->funcs[func];
    size_t end = (size_t)f->code_off + f->code_len;
    pb_insn in;
    size_t pc = f->code_off;
    while (pc < end) {
        px_quant q;
        if (totals && px_quant_at(img, pc, end, f->nparams, &q)) {
            px_model_total(l, &q);
            pc = q.end;
            continue;
        }
        if (!pb_decode(img->code, end, pc, &in))
            break;
        px_model(l, img, &in);
        pc += in.size;
    }
}

/* ---- values as text ------------------------------------------------------ */

/* Appends fmt to buf[*at..n) with its one "%s" replaced by s, as
 * snprintf(buf + *at, n - *at, fmt, s) would (cut at n, always ended by a
 * NUL, *at moved on by the whole length): explain writes thousands of
 * these, and snprintf's parsing of the format was most of their cost. */
static void px_put(char *buf, size_t n, size_t *at, const char *fmt, const char *s)
{
    if (*at >= n)
        return;
    size_t w = *at;
    for (const char *f = fmt; *f; f++) {
        const char *from = f, *to = f + 1;
        if (f[0] == '%' && f[1] == 's') {
            from = s;
            to = s + strlen(s);
            f++;
        }
        for (const char *c = from; c < to; c++, w++)
            if (w + 1 < n)
                buf[w] = *c;
    }
    buf[w + 1 < n ? w : n - 1] = '\0';
    *at = w;
}

/* The decimal digits of i. */
static void px_int_text(int64_t i, char *buf, size_t n)
{
    char d[24];
    size_t k = sizeof d;
    uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    d[--k] = '\0';
    do {
        d[--k] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (i < 0)
        d[--k] = '-';
    size_t at = 0;
    px_put(buf, n, &at, "%s", d + k);
}

void px_value_text(const pw_context *ctx, pb_type t, const pv_value *v, char *buf, size_t n)
{
    char d[11];
    size_t at = 0;
    if (v->none) {
        px_put(buf, n, &at, "%s", "none");
        return;
    }
    switch (t.kind) {
    case PB_T_INT: px_int_text(v->as.i, buf, n); break;
    case PB_T_NUM: snprintf(buf, n, "%g", v->as.n); break;
    case PB_T_BOOL: px_put(buf, n, &at, "%s", v->as.b ? "true" : "false"); break;
    case PB_T_TEXT: px_put(buf, n, &at, "\"%s\"", pf_string(pt_context_cfacts(ctx), v->as.s)); break;
    case PB_T_DATE: pw_date_format(v->as.d, d); px_put(buf, n, &at, "%s", d); break;
    case PB_T_SET: {
        size_t at = 0;
        px_put(buf, n, &at, "%s", "[");
        for (uint32_t i = 0; i < v->count; i++) {
            px_put(buf, n, &at, i ? ", \"%s\"" : "\"%s\"", pf_string(pt_context_cfacts(ctx), v->as.items[i].as.s));
        }
        px_put(buf, n, &at, "%s", "]");
        break;
    }
    case PB_T_LIST: snprintf(buf, n, "%u %s", v->count, v->count == 1 ? "entry" : "entries"); break;
    default: snprintf(buf, n, "?"); break;
    }
}

/* What a term is computed with: the context's VM for calls, and for
 * totals a runner of their own (seen_int.h). */
typedef struct px_env {
    pw_context *ctx;
    const px_leaf *l;
    px_runner *run; /* NULL when the requirement has no total in sight */
    uint32_t nfuncs; /* the program's functions: the leaf's totals follow them in run */
} px_env;

/* The field of the facts record in slot `slot`. */
static const pb_field *px_fact_field(const pb_image *img, uint32_t slot)
{
    return &img->fields[img->records[0].first_field + slot];
}

/* A total as the language would say it without its `where`: `sum of
 * points over courses`, `count of courses`; the entries shown under it say
 * which counted. */
static void px_total_expr(const pb_image *img, const px_quant *q, char *buf, size_t n)
{
    const char *list = img->strings[px_fact_field(img, q->slot)->name];
    if (q->kind == PX_COUNT)
        snprintf(buf, n, "count of %s", list);
    else if (q->field >= 0)
        snprintf(buf, n, "sum of %s over %s", img->strings[img->fields[q->field].name], list);
    else
        snprintf(buf, n, "sum over %s", list);
}

/* The term as the rules write it: `age`, `member("usatf")`, `roles`,
 * `held_for(sought, 12)`. */
static void px_term_expr(const px_env *e, const px_term *t, char *buf, size_t n)
{
    const pb_image *img = pt_program_image(pt_context_program(e->ctx));
    size_t at = 0;
    if (t->part) {
        static const char *const parts[] = {"day of today", "month of today", "year of today"};
        px_put(buf, n, &at, "%s", parts[t->part - 1]);
        return;
    }
    if (t->total >= 0) {
        px_total_expr(img, &e->l->totals[t->total], buf, n);
        return;
    }
    if (!t->call) {
        px_put(buf, n, &at, "%s", img->strings[px_fact_field(img, t->slot)->name]);
        return;
    }
    const pb_func *f = &img->funcs[t->func];
    px_put(buf, n, &at, "%s", img->strings[f->name]);
    if (!f->nparams)
        return;
    px_put(buf, n, &at, "%s", "(");
    for (unsigned i = 0; i < f->nparams && i < PX_MAX_ARGS; i++) {
        char v[256];
        if (t->argterm[i] >= 0) /* an earlier term: the recursion ends */
            px_term_expr(e, &e->l->terms[t->argterm[i]], v, sizeof v);
        else
            px_value_text(e->ctx, img->param_types[f->first_param + i], &t->args[i], v, sizeof v);
        px_put(buf, n, &at, i ? ", %s" : "%s", v);
    }
    px_put(buf, n, &at, "%s", ")");
}

static void px_test_text(const pw_context *ctx, const px_term *t, char *buf, size_t n)
{
    static const char *const words[] = {"equal to", "not", "less than", "at most", "more than", "at least"};
    char k[256];
    size_t at = 0;
    px_value_text(ctx, t->ktype, &t->k, k, sizeof k);
    px_put(buf, n, &at, "%s", t->cmp == PB_CMP_COUNT ? "holding" : words[t->cmp]);
    px_put(buf, n, &at, " %s", k);
}

/* ---- evaluating terms ---------------------------------------------------- */

static bool px_term_value(const px_env *e, const px_term *t, pw_date day, pv_value *out);

/* A call's arguments on `day`: the constants, and the terms computed. */
static bool px_args(const px_env *e, const px_term *t, pw_date day, pv_value *args)
{
    for (unsigned i = 0; i < PX_MAX_ARGS; i++) {
        if (t->argterm[i] < 0)
            args[i] = t->args[i];
        else if (!px_term_value(e, &e->l->terms[t->argterm[i]], day, &args[i]))
            return false;
    }
    return true;
}

static bool px_term_value(const px_env *e, const px_term *t, pw_date day, pv_value *out)
{
    pv_error verr;
    if (t->part) {
        *out = (pv_value){.as.i = pu_date_part(day, (pu_unit)(t->part - 1))};
        return true;
    }
    if (t->total >= 0)
        return e->run && pv_call(&e->run->st, pt_context_facts(e->ctx)->root, day, e->nfuncs + (uint32_t)t->total,
                                 t->args, out, &verr);
    if (!t->call) {
        *out = pt_context_facts(e->ctx)->root[t->slot];
        return true;
    }
    pv_value args[PX_MAX_ARGS];
    return px_args(e, t, day, args) &&
           pv_call(pt_context_vm(e->ctx), pt_context_facts(e->ctx)->root, day, t->func, args, out, &verr);
}

/* A list entry as {field: value, ...}, followed by `suffix`. */
const char *px_entry_text(pm_arena *a, const pw_context *ctx, uint32_t rec, const pv_value *fields,
                          const char *suffix)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const pb_record *r = &img->records[rec];
    char buf[1024];
    size_t at = 0;
    px_put(buf, sizeof buf, &at, "%s", "{");
    for (uint32_t i = 0; i < r->nfields; i++) {
        const pb_field *f = &img->fields[r->first_field + i];
        char v[256];
        px_value_text(ctx, f->type, &fields[i], v, sizeof v);
        px_put(buf, sizeof buf, &at, i ? ", %s" : "%s", img->strings[f->name]);
        px_put(buf, sizeof buf, &at, ": %s", v);
    }
    px_put(buf, sizeof buf, &at, "%s", "}");
    px_put(buf, sizeof buf, &at, "%s", suffix);
    return pm_strndup(a, buf, strlen(buf));
}

/* Whether an element of record `rec` (its fields) has a text field equal to
 * one of the texts. */
static bool px_entry_holds(const pb_image *img, uint32_t rec, const pv_value *fields, const uint32_t *texts,
                           size_t ntexts)
{
    const pb_record *r = &img->records[rec];
    for (uint32_t i = 0; i < r->nfields; i++) {
        if (img->fields[r->first_field + i].type.kind != PB_T_TEXT || fields[i].none)
            continue;
        for (size_t j = 0; j < ntexts; j++)
            if (fields[i].as.s == texts[j])
                return true;
    }
    return false;
}

/* For a call with text arguments (`member("usatf")`, `held_for("b",
 * 12)`): the entries of each list of the facts the definition reads that
 * hold one of those texts in one of their fields. */
static bool px_text_entries(pm_arena *a, const pw_context *ctx, const px_term *t, const pv_value *args,
                            pw_seen *s)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const pb_func *f = &img->funcs[t->func];
    uint32_t texts[PX_MAX_ARGS];
    size_t ntexts = 0;
    for (unsigned i = 0; i < f->nparams && i < PX_MAX_ARGS; i++)
        if (img->param_types[f->first_param + i].kind == PB_T_TEXT && !args[i].none)
            texts[ntexts++] = args[i].as.s;
    if (!ntexts)
        return true;
    const char **list = NULL;
    size_t n = 0, cap = 0;
    pb_insn in;
    size_t end = (size_t)f->code_off + f->code_len;
    for (size_t pc = f->code_off; pc < end && pb_decode(img->code, end, pc, &in); pc += in.size) {
        if (in.op != PB_OP_LOAD_FACT)
            continue;
        const pb_field *fd = px_fact_field(img, in.a);
        const pv_value *lv = &pt_context_cfacts(ctx)->root[in.a];
        if (fd->type.kind != PB_T_LIST)
            continue;
        uint32_t nf = img->records[fd->type.rec].nfields;
        for (uint32_t k = 0; k < lv->count && nf; k++) {
            const pv_value *fields = lv->as.items + (size_t)k * nf; /* elements lie flat, field after field */
            if (!px_entry_holds(img, fd->type.rec, fields, texts, ntexts))
                continue;
            if (n == cap) {
                const char **nl = pm_grow(a, list, n, &cap, sizeof *nl, 4);
                if (!nl)
                    return false;
                list = nl;
            }
            if (!(list[n++] = px_entry_text(a, ctx, fd->type.rec, fields, "")))
                return false;
        }
    }
    s->entries = list;
    s->nentries = n;
    return true;
}

/* The entries a term looked at: for a total (written in the requirement,
 * or a definition that is one), those that counted and what each added;
 * for a call with text arguments, those that hold the text. */
static bool px_entries(const px_env *e, pm_arena *a, const px_term *t, pw_date day, pw_seen *s)
{
    const pb_image *img = pt_program_image(pt_context_program(e->ctx));
    const char **list = NULL;
    size_t n = 0;
    if (t->total >= 0) {
        if (!e->run)
            return true;
        if (!px_total_entries(e->run, e->ctx, e->nfuncs + (uint32_t)t->total, &e->l->totals[t->total], t->args,
                              day, a, &list, &n))
            return false;
        s->entries = list;
        s->nentries = n;
        return true;
    }
    if (!t->call || (!img->funcs[t->func].nparams && !e->run))
        return true;
    pv_value args[PX_MAX_ARGS];
    if (!px_args(e, t, day, args))
        return true; /* the value itself failed: px_seen_one says so */
    px_quant q;
    if (e->run && px_quant_func(img, t->func, &q)) {
        if (!px_total_entries(e->run, e->ctx, t->func, &q, args, day, a, &list, &n))
            return false;
        s->entries = list;
        s->nentries = n;
        return true;
    }
    return px_text_entries(a, e->ctx, t, args, s);
}

static pw_status px_seen_one(const px_env *e, const px_term *t, pw_date day, pw_date then, pm_arena *a,
                             pw_seen *s, pw_error *err)
{
    char buf[1024];
    pv_value v;
    memset(s, 0, sizeof *s);
    px_term_expr(e, t, buf, sizeof buf);
    if (!(s->expr = pm_strndup(a, buf, strlen(buf))))
        return px_fail_nomem(err);
    if (!px_term_value(e, t, day, &v))
        return pt_fail(err, PW_ERR_EVAL, "evaluating %s failed", s->expr);
    px_value_text(e->ctx, t->type, &v, buf, sizeof buf);
    if (!(s->value = pm_strndup(a, buf, strlen(buf))))
        return px_fail_nomem(err);
    if (t->cmp >= 0) {
        px_test_text(e->ctx, t, buf, sizeof buf);
        if (!(s->test = pm_strndup(a, buf, strlen(buf))))
            return px_fail_nomem(err);
    }
    if (then != PW_DATE_MAX && then != PW_DATE_MIN && (t->call || t->part || t->total >= 0)) {
        if (!px_term_value(e, t, then, &v))
            return pt_fail(err, PW_ERR_EVAL, "evaluating %s failed", s->expr);
        px_value_text(e->ctx, t->type, &v, buf, sizeof buf);
        if (!(s->value_then = pm_strndup(a, buf, strlen(buf))))
            return px_fail_nomem(err);
    }
    return px_entries(e, a, t, day, s) ? PW_OK : px_fail_nomem(err);
}

/* Whether the leaf computes a total: in its own code, or by calling a
 * definition that is one. */
static bool px_has_total(const pb_image *img, const px_leaf *l)
{
    px_quant q;
    if (l->ntotals)
        return true;
    for (unsigned i = 0; i < l->nterms; i++)
        if (l->terms[i].call && px_quant_func(img, l->terms[i].func, &q))
            return true;
    return false;
}

static pw_status px_seen_terms(const px_env *e, pw_date day, pw_date then, pm_arena *a, pw_seen **out,
                               size_t *n, pw_error *err)
{
    const px_leaf *l = e->l;
    /* A term that is also compared is shown once, with its comparison. */
    bool shown[PX_MAX_TERMS] = {false};
    size_t count = 0;
    for (unsigned i = 0; i < l->nterms; i++) {
        for (unsigned j = 0; j < l->nterms && !shown[i]; j++)
            if (j != i && l->terms[i].cmp < 0 && l->terms[j].cmp >= 0 && px_same(&l->terms[j], &l->terms[i]))
                shown[i] = true; /* hidden: its compared twin stands for it */
        count += !shown[i];
    }
    if (!count)
        return PW_OK;
    pw_seen *s = pm_alloc(a, count * sizeof *s);
    if (!s)
        return px_fail_nomem(err);
    size_t k = 0;
    for (unsigned i = 0; i < l->nterms; i++) {
        if (shown[i])
            continue;
        pw_status st = px_seen_one(e, &l->terms[i], day, then, a, &s[k++], err);
        if (st != PW_OK)
            return st;
    }
    *out = s;
    *n = count;
    return PW_OK;
}

pw_status px_seen(pw_context *ctx, size_t version, size_t node, pw_date day, pw_date then, pm_arena *a,
                  pw_seen **out, size_t *n, pw_error *err)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const pb_req *r = &img->reqs[img->progs[version].first_req + node];
    *out = NULL;
    *n = 0;
    if (r->kind != PB_R_LEAF)
        return PW_OK;
    px_leaf l;
    px_read_leaf(&l, img, r->func, true);
    px_runner run;
    px_env e = {ctx, &l, NULL, img->nfuncs};
    if (px_has_total(img, &l)) {
        if (!px_runner_init(&run, img, r->func, l.totals, l.ntotals))
            return px_fail_nomem(err);
        if (run.rejected) { /* the totals in its code are read as before */
            px_read_leaf(&l, img, r->func, false);
            if (px_has_total(img, &l) && !px_runner_init(&run, img, r->func, NULL, 0))
                return px_fail_nomem(err);
        }
        e.run = run.st.img ? &run : NULL;
    }
    pw_status st = px_seen_terms(&e, day, then, a, out, n, err);
    if (e.run)
        px_runner_fini(&run);
    return st;
}
