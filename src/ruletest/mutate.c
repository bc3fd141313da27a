/* Mutation testing: small changes to the rules' requirements, each compiled
 * in memory and run against the file's own tests. A mutant the tests still
 * pass survives: the tests do not pin what was changed. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruletest_int.h"
#include "lint/lint.h"
#include "util/date.h"

/* One file of the compilation, as it was read. */
typedef struct pr_mfile {
    char *name; /* display name */
    char *real; /* resolved path: what the overlay replaces */
    char *text;
    size_t len;
} pr_mfile;

/* One mutant before it runs: the bytes [start, end) of file become `repl`. */
typedef struct pr_mplan {
    uint32_t file, start, end;
    char *repl;
    char *equivalent; /* proved to change no decision (pl_conditions_equivalent): why; else NULL */
    uint32_t ctx_start, ctx_end; /* the text shown before and after */
    unsigned line, column, cp_column;
} pr_mplan;

typedef struct pr_menum {
    const pt_tree *tree;
    pr_mfile *files;
    size_t nfiles;
    pr_mplan *plans;
    size_t n, cap;
    bool oom;
    const pa_req *req;   /* the requirement whose condition is being walked, or NULL */
} pr_menum;

/* ---- enumeration ---------------------------------------------------------------- */

static const char *pr_file_text(const pr_menum *m, uint32_t file)
{
    return m->tree->src->files[file].text;
}

/* ---- equivalent mutants ---------------------------------------------------------- */

/* The copies one mutated condition is made of. */
typedef struct pr_eqcopy {
    pa_expr *nodes[64];
    size_t n;
    char text[256]; /* a replaced text literal */
} pr_eqcopy;

static pa_expr *pr_eq_node(pr_eqcopy *k, const pa_expr *e)
{
    if (k->n == sizeof k->nodes / sizeof k->nodes[0])
        return NULL;
    pa_expr *c = malloc(sizeof *c);
    if (c) {
        memcpy(c, e, sizeof *c);
        k->nodes[k->n++] = c;
    }
    return c;
}

static bool pr_span_in(ps_span at, ps_span in)
{
    return at.file == in.file && at.start >= in.start && at.end <= in.end;
}

static bool pr_span_is(ps_span a, ps_span b)
{
    return a.file == b.file && a.start == b.start && a.end == b.end;
}

/* The operator `repl` spells, for a change of operator. */
static bool pr_op_of(const char *repl, pa_op *op)
{
    static const struct { const char *s; pa_op op; } ops[] = {
        {"<", PA_OP_LT}, {"<=", PA_OP_LE}, {">", PA_OP_GT}, {">=", PA_OP_GE}, {"=", PA_OP_EQ},
        {"!=", PA_OP_NE}, {"and", PA_OP_AND}, {"or", PA_OP_OR}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(repl, ops[i].s) == 0) {
            *op = ops[i].op;
            return true;
        }
    return false;
}

/* A literal node changed as `repl` writes it; false when it is not one
 * this models. */
static bool pr_eq_literal(pr_eqcopy *k, pa_expr *c, const char *repl)
{
    char *end;
    size_t n = strlen(repl);
    if (c->kind == PA_E_INT || c->kind == PA_E_DURATION) {
        long long v = strtoll(repl, &end, 10);
        if (end == repl)
            return false;
        if (c->kind == PA_E_INT)
            c->u.i = v;
        else
            c->u.dur.n = v;
        return true;
    }
    if (c->kind == PA_E_DATE)
        return pu_date_parse(repl, n, &c->u.date);
    if (c->kind == PA_E_STR && n >= 2 && n - 2 < sizeof k->text && repl[0] == '"') {
        memcpy(k->text, repl + 1, n - 2);
        k->text[n - 2] = '\0';
        c->u.str.s = k->text;
        c->u.str.len = (uint32_t)(n - 2);
        return true;
    }
    return false;
}

/* `e` with the change of the bytes `at` into `repl` made on copies of the
 * nodes from e down to the one changed (the rest shared); NULL when the
 * change is not one this models (then nothing is claimed). Only `and`,
 * `or`, `not` and comparisons are walked through. */
static const pa_expr *pr_eq_copy(pr_eqcopy *k, const pa_expr *e, ps_span at, const char *repl)
{
    if (!pr_span_in(at, e->span))
        return NULL;
    if (e->kind == PA_E_UNARY && e->u.un.op == PA_OP_NOT && pr_span_is(at, e->span))
        return e->u.un.a; /* `not X` -> `(X)` */
    pa_expr *c = pr_eq_node(k, e);
    if (!c)
        return NULL;
    if (e->kind == PA_E_BINARY && pr_span_is(at, e->u.bin.op_span))
        return pr_op_of(repl, &c->u.bin.op) ? c : NULL;
    if (e->kind == PA_E_BINARY && pr_span_in(at, e->u.bin.a->span))
        return (c->u.bin.a = (pa_expr *)pr_eq_copy(k, e->u.bin.a, at, repl)) ? c : NULL;
    if (e->kind == PA_E_BINARY && pr_span_in(at, e->u.bin.b->span))
        return (c->u.bin.b = (pa_expr *)pr_eq_copy(k, e->u.bin.b, at, repl)) ? c : NULL;
    if (e->kind == PA_E_UNARY && pr_span_in(at, e->u.un.a->span))
        return (c->u.un.a = (pa_expr *)pr_eq_copy(k, e->u.un.a, at, repl)) ? c : NULL;
    if (pr_span_is(at, e->span) && pr_eq_literal(k, c, repl))
        return c;
    return NULL;
}

/* Whether changing the bytes `at` of condition `cond` into `repl` provably
 * leaves the condition true for exactly the same coaches and days. */
static bool pr_plan_equivalent(pr_menum *m, const pa_expr *cond, ps_span at, const char *repl)
{
    pr_eqcopy k;
    k.n = 0;
    pa_expr yes;
    const pa_expr *mutated;
    if (pr_span_is(at, cond->span) && strcmp(repl, "true") == 0) {
        memset(&yes, 0, sizeof yes); /* the requirement removed: `true` */
        yes.kind = PA_E_BOOL;
        yes.span = cond->span;
        yes.depth = 1;
        yes.u.b = true;
        mutated = &yes;
    } else {
        mutated = pr_eq_copy(&k, cond, at, repl);
    }
    bool oom = false;
    bool same = mutated && pl_conditions_equivalent(m->tree, cond, mutated, &oom);
    for (size_t i = 0; i < k.n; i++)
        free(k.nodes[i]);
    m->oom = m->oom || oom;
    return same;
}

static char *pr_squeeze(const char *s, size_t n);

/* The reason a proved mutant is given: the condition that does not change. */
static char *pr_equivalent_why(pr_menum *m, const pa_req *r)
{
    const pa_expr *c = r->cond;
    char *cond = pr_squeeze(pr_file_text(m, c->span.file) + c->span.start, c->span.end - c->span.start);
    pd_buf b = {0};
    if (cond)
        pd_buf_printf(&b, "the condition of \"%s\", `%s`, holds as mutated for exactly the same values "
                          "(the lint's reasoning, within the record's declared ranges): it changes no decision",
                      r->label, cond);
    free(cond);
    if (!cond || b.oom || !b.data) {
        pd_buf_free(&b);
        m->oom = true;
        return NULL;
    }
    return b.data;
}

/* Adds a mutant unless the same change is already planned (an amended
 * version's copies of a requirement carry the same spans). */
static void pr_plan(pr_menum *m, ps_span at, ps_span ctx, const char *repl)
{
    if (m->oom || at.file >= m->nfiles)
        return;
    const char *text = pr_file_text(m, at.file);
    if ((size_t)(at.end - at.start) == strlen(repl) && memcmp(text + at.start, repl, strlen(repl)) == 0)
        return; /* no change */
    for (size_t i = 0; i < m->n; i++)
        if (m->plans[i].file == at.file && m->plans[i].start == at.start && m->plans[i].end == at.end &&
            strcmp(m->plans[i].repl, repl) == 0)
            return;
    pr_mplan *p = pr_reserve(m->plans, &m->cap, m->n, sizeof *p);
    if (p)
        m->plans = p; /* before anything else can fail: the old array may be gone */
    char *r = p ? pr_dup(repl) : NULL;
    if (!r) {
        m->oom = true;
        return;
    }
    p = &m->plans[m->n++];
    memset(p, 0, sizeof *p);
    p->file = at.file;
    p->start = at.start;
    p->end = at.end;
    p->repl = r;
    p->ctx_start = ctx.start < at.start ? ctx.start : at.start;
    p->ctx_end = ctx.end > at.end ? ctx.end : at.end;
    uint32_t line, col;
    ps_position(m->tree->src, at.file, at.start, &line, &col);
    p->line = line;
    p->column = col;
    if (m->req && pr_plan_equivalent(m, m->req->cond, at, repl))
        p->equivalent = pr_equivalent_why(m, m->req);
    /* UTF-8 continuation bytes start no code point. */
    p->cp_column = 1;
    for (uint32_t i = at.start - (col - 1); i < at.start; i++)
        p->cp_column += ((unsigned char)text[i] & 0xC0) != 0x80;
}

static const char *pr_unit_word(pa_unit u, int64_t n)
{
    static const char *const one[] = {"day", "month", "year"};
    static const char *const many[] = {"days", "months", "years"};
    return n == 1 ? one[u] : many[u]; /* n >= 0: pr_plan_literal moves no count below 0 */
}

/* A literal operand of a comparison moved by one (a day, a unit); also a
 * literal one `+` or `-` away (`today - 2 years`). */
static void pr_plan_literal(pr_menum *m, const pa_expr *lit, ps_span ctx)
{
    char buf[64];
    if (lit->kind == PA_E_BINARY && (lit->u.bin.op == PA_OP_ADD || lit->u.bin.op == PA_OP_SUB)) {
        pr_plan_literal(m, lit->u.bin.a, ctx);
        pr_plan_literal(m, lit->u.bin.b, ctx);
        return;
    }
    for (int d = -1; d <= 1; d += 2) {
        if (lit->kind == PA_E_INT) {
            snprintf(buf, sizeof buf, "%" PRId64, lit->u.i + d);
        } else if (lit->kind == PA_E_DATE) {
            pu_date_format(lit->u.date + d, buf);
        } else if (lit->kind == PA_E_DURATION && !lit->u.dur.count) {
            if (lit->u.dur.n + d < 0)
                continue; /* no negative count: `0 days` moves only up */
            snprintf(buf, sizeof buf, "%" PRId64 " %s", lit->u.dur.n + d,
                     pr_unit_word(lit->u.dur.unit, lit->u.dur.n + d));
        } else {
            return;
        }
        pr_plan(m, lit->span, ctx, buf);
    }
}

/* Every date written in the clause at `at` (`effective from D until D`,
 * `enrolment open from D until D - 3 months`) moved by a day either way. */
static void pr_plan_clause_dates(pr_menum *m, ps_span at)
{
    const char *text = pr_file_text(m, at.file);
    char buf[16];
    for (uint32_t i = at.start; i + 10 <= at.end; i++) {
        int32_t d;
        bool edge = (i == at.start || !(text[i - 1] >= '0' && text[i - 1] <= '9')) &&
                    (i + 10 == at.end || !(text[i + 10] >= '0' && text[i + 10] <= '9'));
        if (!edge || text[i + 4] != '-' || text[i + 7] != '-' || !pu_date_parse(text + i, 10, &d))
            continue;
        for (int k = -1; k <= 1; k += 2) {
            pu_date_format(d + k, buf);
            pr_plan(m, (ps_span){at.file, i, i + 10}, at, buf);
        }
        i += 9;
    }
}

static bool pr_is_comparison(pa_op op)
{
    return op == PA_OP_LT || op == PA_OP_LE || op == PA_OP_GT || op == PA_OP_GE || op == PA_OP_EQ ||
           op == PA_OP_NE;
}

/* `<` and `<=`, `>` and `>=`, `=` and `!=`: each to its neighbour. */
static const char *pr_neighbour(pa_op op)
{
    switch (op) {
    case PA_OP_LT: return "<=";
    case PA_OP_LE: return "<";
    case PA_OP_GT: return ">=";
    case PA_OP_GE: return ">";
    case PA_OP_EQ: return "!=";
    case PA_OP_NE: return "=";
    default: return NULL;
    }
}

static void pr_walk_expr(void *user, const pa_expr *e);

/* `not X` becomes `(X)`. */
static void pr_plan_not(pr_menum *m, const pa_expr *e)
{
    const pa_expr *a = e->u.un.a;
    const char *text = pr_file_text(m, a->span.file);
    size_t n = a->span.end - a->span.start;
    char *repl = malloc(n + 3);
    if (!repl) {
        m->oom = true;
        return;
    }
    repl[0] = '(';
    memcpy(repl + 1, text + a->span.start, n);
    repl[n + 1] = ')';
    repl[n + 2] = '\0';
    pr_plan(m, e->span, e->span, repl);
    free(repl);
}

/* The declaration of definition `name`, or NULL. */
static const pa_decl *pr_find_define(const pr_menum *m, const char *name)
{
    for (const pa_decl *d = m->tree->decls; d; d = d->next)
        if (d->kind == PA_D_DEFINE && strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

/* The value after `s` in known list `name` (its extensions included),
 * cyclically; NULL when the list has no other value. */
/* ruletest_int.h */
const pa_expr *pr_known_items(const pa_decl *d, const char *name)
{
    const pa_expr *v = d->kind == PA_D_KNOWN                                       ? d->u.known.values
                       : d->kind == PA_D_EXTEND && d->u.extend.what == PA_D_KNOWN ? d->u.extend.values
                                                                                 : NULL;
    if (!v || strcmp(d->name, name) != 0) /* v: a `known` list or its extension, both named */
        return NULL;
    return v->kind == PA_E_LIST ? v->u.list.items : v;
}

static const pa_expr *pr_next_known(const pr_menum *m, const char *name, const pa_expr *s)
{
    const pa_expr *first = NULL, *next = NULL;
    bool seen = false;
    for (const pa_decl *d = m->tree->decls; d && !next; d = d->next) {
        for (const pa_expr *v = pr_known_items(d, name); v && !next; v = v->next) {
            /* a text: the checker refuses any other known value (E0371) */
            bool same = v->u.str.len == s->u.str.len && memcmp(v->u.str.s, s->u.str.s, s->u.str.len) == 0;
            if (!first && !same)
                first = v;
            if (seen && !same)
                next = v;
            seen = seen || same;
        }
    }
    return next ? next : first;
}

/* `member("usatf")` with `body: text in membership_body`: the argument
 * replaced by another known value, `member("usatf-coaches-registry")`. */
static void pr_plan_known(pr_menum *m, const pa_expr *call)
{
    const pa_decl *d = pr_find_define(m, call->u.call.name);
    if (!d)
        return;
    const pa_param *p = d->u.define.params;
    for (const pa_expr *a = call->u.call.args; a && p; a = a->next, p = p->next) {
        if (a->kind != PA_E_STR || !p->type.known)
            continue;
        const pa_expr *v = pr_next_known(m, p->type.known, a);
        if (!v || memchr(v->u.str.s, '"', v->u.str.len) || memchr(v->u.str.s, '\\', v->u.str.len))
            continue;
        char *repl = malloc(v->u.str.len + 3);
        if (!repl) {
            m->oom = true;
            return;
        }
        repl[0] = '"';
        memcpy(repl + 1, v->u.str.s, v->u.str.len);
        repl[v->u.str.len + 1] = '"';
        repl[v->u.str.len + 2] = '\0';
        pr_plan(m, a->span, call->span, repl);
        free(repl);
    }
}

/* The `known` list of field `name` of the coach record or any record, when
 * every field of that name declares the same one; else NULL. */
static const char *pr_field_known(const pr_menum *m, const char *name)
{
    const char *known = NULL;
    for (const pa_decl *d = m->tree->decls; d; d = d->next) {
        const pa_field *f = d->kind == PA_D_FACTS || d->kind == PA_D_RECORD ? d->u.record.fields
                            : d->kind == PA_D_EXTEND && d->u.extend.what != PA_D_KNOWN ? d->u.extend.fields
                                                                                        : NULL;
        for (; f; f = f->next) {
            if (strcmp(f->name, name) != 0)
                continue;
            if (!f->type.known || (known && strcmp(known, f->type.known) != 0))
                return NULL;
            known = f->type.known;
        }
    }
    return known;
}

/* A text literal as the language writes it; NULL when it would need an escape. */
static char *pr_quoted(const pa_expr *v)
{
    if (memchr(v->u.str.s, '"', v->u.str.len) || memchr(v->u.str.s, '\\', v->u.str.len))
        return NULL;
    char *repl = malloc(v->u.str.len + 3);
    if (repl) {
        repl[0] = '"';
        memcpy(repl + 1, v->u.str.s, v->u.str.len);
        repl[v->u.str.len + 1] = '"';
        repl[v->u.str.len + 2] = '\0';
    }
    return repl;
}

/* `advanced_degree = "sport-science"`, `"x" in roles`, `c.kind = "dbs"`: a
 * known value compared with a field replaced by the next of the field's
 * `known` list. */
static void pr_plan_compared_known(pr_menum *m, const pa_expr *e)
{
    const pa_expr *lit = e->u.bin.a->kind == PA_E_STR ? e->u.bin.a : e->u.bin.b;
    const pa_expr *other = lit == e->u.bin.a ? e->u.bin.b : e->u.bin.a;
    if (lit->kind != PA_E_STR || (other->kind != PA_E_NAME && other->kind != PA_E_FIELD))
        return;
    const char *known = pr_field_known(m, other->kind == PA_E_NAME ? other->u.name.name : other->u.field.name);
    const pa_expr *v = known ? pr_next_known(m, known, lit) : NULL;
    char *repl = v ? pr_quoted(v) : NULL;
    if (v && !repl && !memchr(v->u.str.s, '"', v->u.str.len) && !memchr(v->u.str.s, '\\', v->u.str.len))
        m->oom = true;
    if (repl)
        pr_plan(m, lit->span, e->span, repl);
    free(repl);
}

static void pr_walk_expr(void *user, const pa_expr *e)
{
    pr_menum *m = user;
    if (e->kind == PA_E_BINARY && (e->u.bin.op == PA_OP_EQ || e->u.bin.op == PA_OP_NE || e->u.bin.op == PA_OP_IN))
        pr_plan_compared_known(m, e);
    if (e->kind == PA_E_CALL && e->ref == PA_REF_DEFINE)
        pr_plan_known(m, e);
    if (e->kind == PA_E_BINARY && pr_is_comparison(e->u.bin.op)) {
        pr_plan(m, e->u.bin.op_span, e->span, pr_neighbour(e->u.bin.op));
        pr_plan_literal(m, e->u.bin.a, e->span);
        pr_plan_literal(m, e->u.bin.b, e->span);
    } else if (e->kind == PA_E_BINARY && (e->u.bin.op == PA_OP_AND || e->u.bin.op == PA_OP_OR)) {
        pr_plan(m, e->u.bin.op_span, e->span, e->u.bin.op == PA_OP_AND ? "or" : "and");
    } else if (e->kind == PA_E_UNARY && e->u.un.op == PA_OP_NOT) {
        pr_plan_not(m, e);
    }
    pa_each_child(e, pr_walk_expr, m);
}

/* The words `all of` / `any of` of a group: between its label and its
 * first member. */
static void pr_plan_group(pr_menum *m, const pa_req *r)
{
    const char *text = pr_file_text(m, r->span.file);
    uint32_t from = r->label_span.end > r->span.start ? r->label_span.end : r->span.start;
    uint32_t to = r->members ? r->members->span.start : r->span.end;
    const char *word = r->group == PA_ALL_OF ? "all of" : "any of";
    for (uint32_t i = from; i + 6 <= to; i++)
        if (memcmp(text + i, word, 6) == 0) {
            ps_span at = {r->span.file, i, i + 6};
            pr_plan(m, at, at, r->group == PA_ALL_OF ? "any of" : "all of");
            return;
        }
}

static void pr_walk_req(pr_menum *m, const pa_req *r, bool top)
{
    if (r->group == PA_USE || r->shared)
        return; /* a block's copy is mutated in the block; a `require NAME` is only its name */
    if (r->period.given)
        pr_plan_clause_dates(m, r->period.span);
    /* A requirement removed: its condition made `true`, which keeps the
     * label the tests name (deleting the line would not compile). */
    if (r->group == PA_LEAF && r->cond && !r->decided_by) {
        m->req = r;
        if (top)
            pr_plan(m, r->cond->span, r->cond->span, "true");
        pr_walk_expr(m, r->cond);
        m->req = NULL;
    }
    if (r->group == PA_ALL_OF || r->group == PA_ANY_OF)
        pr_plan_group(m, r);
    if (r->group == PA_AT_LEAST) {
        char buf[32];
        for (int d = -1; d <= 1; d += 2)
            if (r->min + d >= 1) {
                snprintf(buf, sizeof buf, "%" PRId64, r->min + d);
                pr_plan(m, r->min_span, r->span, buf);
            }
    }
    for (const pa_req *k = r->members; k; k = k->next)
        pr_walk_req(m, k, false);
}

static void pr_walk_reqs(pr_menum *m, const pa_req *r)
{
    for (; r; r = r->next)
        pr_walk_req(m, r, true);
}

static bool pr_keep_files(pr_menum *m, const pt_tree *tree)
{
    /* nfiles only once the array is there: pr_menum_fini walks it. */
    size_t n = tree->src->nfiles;
    if (!(m->files = calloc(n ? n : 1, sizeof *m->files)))
        return false;
    m->nfiles = n;
    for (size_t i = 0; i < m->nfiles; i++) {
        const ps_file *f = &tree->src->files[i];
        pr_mfile *k = &m->files[i];
        k->len = f->len;
        if (!(k->name = pr_dup(f->name)) || !(k->real = pr_dup(f->path)) || !(k->text = malloc(f->len + 1)))
            return false;
        memcpy(k->text, f->text, f->len + 1);
    }
    return true;
}

static void pr_enumerate(void *user, const pt_tree *tree)
{
    pr_menum *m = user;
    if (!tree->program)
        return;
    m->tree = tree;
    if (!pr_keep_files(m, tree)) {
        m->oom = true;
        return;
    }
    for (const pa_decl *d = tree->decls; d; d = d->next) {
        if (d->kind == PA_D_PROGRAM) {
            if (d->u.program.period.given)
                pr_plan_clause_dates(m, d->u.program.period.span);
            if (d->u.program.window.given)
                pr_plan_clause_dates(m, d->u.program.window.span);
            pr_walk_reqs(m, d->u.program.reqs);
            for (const pa_change *c = d->u.program.changes; c; c = c->next)
                if (!c->drop && c->req)
                    pr_walk_req(m, c->req, false);
        } else if (d->kind == PA_D_REQUIREMENTS) {
            pr_walk_reqs(m, d->u.block.reqs);
        } else if (d->kind == PA_D_DEFINE && d->u.define.body && !d->u.define.failed) {
            /* The words the requirements are written in decide as much. */
            pr_walk_expr(m, d->u.define.body);
        }
    }
    m->tree = NULL;
}

/* ---- running ---------------------------------------------------------------- */

/* Text with newlines and runs of blanks as one space. */
static char *pr_squeeze(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    bool blank = false;
    for (size_t i = 0; i < n; i++) {
        bool b = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
        if (b && (blank || k == 0)) {
            blank = true;
            continue;
        }
        out[k++] = b ? ' ' : s[i];
        blank = b;
    }
    while (k && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
    return out;
}

/* The file's text with the plan applied, in *text (malloc'd). */
static bool pr_apply(const pr_mfile *f, const pr_mplan *p, char **text, size_t *len)
{
    size_t r = strlen(p->repl);
    *len = f->len - (p->end - p->start) + r;
    if (!(*text = malloc(*len + 1)))
        return false;
    memcpy(*text, f->text, p->start);
    memcpy(*text + p->start, p->repl, r);
    memcpy(*text + p->start + r, f->text + p->end, f->len - p->end);
    (*text)[*len] = '\0';
    return true;
}

/* "before" and "after" of the mutant: the surrounding text, one line. */
static bool pr_describe(const pr_mfile *f, const pr_mplan *p, pr_mutant *out)
{
    const char *t = f->text;
    out->before = pr_squeeze(t + p->ctx_start, p->ctx_end - p->ctx_start);
    size_t r = strlen(p->repl), n = (p->start - p->ctx_start) + r + (p->ctx_end - p->end);
    char *raw = malloc(n + 1);
    if (raw) {
        memcpy(raw, t + p->ctx_start, p->start - p->ctx_start);
        memcpy(raw + (p->start - p->ctx_start), p->repl, r);
        memcpy(raw + (p->start - p->ctx_start) + r, t + p->end, p->ctx_end - p->end);
        out->after = pr_squeeze(raw, n);
        free(raw);
    }
    return out->before && out->after && (out->file = pr_dup(f->name));
}

/* Runs the tests against one mutant: killed, survived, or not compiled. */
static pw_status pr_run_mutant(const char *path, const pw_compile_options *quiet, pr_suggester **sg,
                               const pr_mfile *f, const pr_mplan *p, pr_mutant *out, pw_error *err)
{
    char *text;
    size_t len;
    if (!pr_apply(f, p, &text, &len) || !pr_describe(f, p, out)) {
        free(text);
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    out->line = p->line;
    out->column = p->column;
    out->cp_column = p->cp_column;
    pt_overlay ov = {f->real, text, len};
    if (p->equivalent && !(out->equivalent = pr_dup(p->equivalent))) {
        free(text);
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    pr_file res;
    pw_status st = pr_run_file_overlay(path, quiet, &ov, NULL, &res, err);
    if (st != PW_OK) {
        free(text);
        pr_file_fini(&res);
        return st;
    }
    out->outcome = res.compiled ? PR_SURVIVED : PR_UNCOMPILED;
    for (size_t i = 0; res.compiled && i < res.ntests; i++)
        if (res.tests[i].status != PR_PASS) {
            out->outcome = PR_KILLED;
            if (!(out->killed_by = pr_dup(res.tests[i].title)))
                st = pt_fail(err, PW_ERR_NOMEM, "out of memory");
            break;
        }
    pr_file_fini(&res);
    if (st == PW_OK && out->outcome == PR_SURVIVED && p->equivalent)
        out->outcome = PR_EQUIVALENT; /* proved: no test could kill it */
    if (st == PW_OK && out->outcome == PR_SURVIVED && !*sg)
        st = pr_suggester_new(path, quiet, sg, err);
    if (st == PW_OK && out->outcome == PR_SURVIVED)
        st = pr_suggest(*sg, &ov, quiet, out, err);
    free(text);
    return st;
}

void pr_mutation_fini(pr_mutation *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->mutants[i].file);
        free(m->mutants[i].before);
        free(m->mutants[i].after);
        free(m->mutants[i].killed_by);
        free(m->mutants[i].witness);
        free(m->mutants[i].equivalent);
        free(m->mutants[i].suggestion);
    }
    free(m->mutants);
    free(m->path);
    free(m->error);
    memset(m, 0, sizeof *m);
}

static void pr_menum_fini(pr_menum *m)
{
    for (size_t i = 0; i < m->nfiles; i++) {
        free(m->files[i].name);
        free(m->files[i].real);
        free(m->files[i].text);
    }
    free(m->files);
    for (size_t i = 0; i < m->n; i++) {
        free(m->plans[i].repl);
        free(m->plans[i].equivalent);
    }
    free(m->plans);
}

/* The tests must pass on the rules as written, or no mutant means anything. */
static pw_status pr_baseline(const char *path, const pw_compile_options *options, pr_mutation *out,
                             pw_error *err)
{
    pr_file res;
    pw_status st = pr_run_file(path, options, NULL, &res, err);
    if (st != PW_OK) {
        pr_file_fini(&res);
        return st;
    }
    const char *why = NULL;
    size_t failed = 0;
    for (size_t i = 0; i < res.ntests; i++)
        failed += res.tests[i].status != PR_PASS;
    if (!res.compiled)
        why = "does not compile";
    else if (res.ntests == 0)
        out->no_tests = true; /* nothing to measure, as `pathway test` passes it */
    else if (failed)
        why = "has tests that fail on the rules as written (run `pathway test` first)";
    if (why && !(out->error = pr_dup(why)))
        st = pt_fail(err, PW_ERR_NOMEM, "out of memory");
    pr_file_fini(&res);
    return st;
}

/* The mutants shared by the jobs: each takes the next one not yet taken
 * and writes its result into its own slot, so the order is the plans'. */
typedef struct pr_mpool {
    const char *path;
    const pw_compile_options *quiet;
    const pr_menum *m;
    pr_mutant *slots;
    pthread_mutex_t mu;
    size_t next;
    pw_status st; /* the first failure (memory) */
    pw_error err;
} pr_mpool;

/* One job: its own compilations and contexts, and its own suggester, made
 * when it first meets a survivor. */
static void *pr_mworker(void *arg)
{
    pr_mpool *pool = arg;
    pr_suggester *sg = NULL;
    pw_status st = PW_OK;
    pw_error err;
    for (;;) {
        pthread_mutex_lock(&pool->mu);
        size_t i = pool->st == PW_OK ? pool->next++ : pool->m->n;
        pthread_mutex_unlock(&pool->mu);
        if (i >= pool->m->n)
            break;
        const pr_mplan *p = &pool->m->plans[i];
        st = pr_run_mutant(pool->path, pool->quiet, &sg, &pool->m->files[p->file], p, &pool->slots[i], &err);
        if (st != PW_OK) {
            pthread_mutex_lock(&pool->mu);
            if (pool->st == PW_OK) {
                pool->st = st;
                pool->err = err;
            }
            pthread_mutex_unlock(&pool->mu);
            break;
        }
    }
    pr_suggester_free(sg);
    return NULL;
}

/* Runs every planned mutant on `jobs` threads (the calling one among them). */
static pw_status pr_run_mutants(pr_mpool *pool, unsigned jobs, pw_error *err)
{
    if (pthread_mutex_init(&pool->mu, NULL) != 0)
        return pt_fail(err, PW_ERR_NOMEM, "cannot create a lock for the jobs");
    pthread_t *threads = jobs > 1 ? calloc(jobs - 1, sizeof *threads) : NULL;
    unsigned started = 0;
    while (threads && started < jobs - 1 && pthread_create(&threads[started], NULL, pr_mworker, pool) == 0)
        started++; /* a thread that cannot start leaves its share to the others */
    pr_mworker(pool);
    for (unsigned k = 0; k < started; k++)
        pthread_join(threads[k], NULL);
    free(threads);
    pthread_mutex_destroy(&pool->mu);
    return pool->st == PW_OK ? PW_OK : pt_fail(err, pool->st, "%s", pool->err.message);
}

pw_status pr_mutate_file(const char *path, const pw_compile_options *options, unsigned jobs,
                         pr_mutation *out, pw_error *err)
{
    if (!out || !path)
        return pt_fail(err, PW_ERR_USAGE, "pr_mutate_file: NULL argument");
    memset(out, 0, sizeof *out);
    double start = pr_now();
    if (!(out->path = pr_dup(path)))
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    pw_status st = pr_baseline(path, options, out, err);
    if (st != PW_OK || out->error || out->no_tests) {
        out->seconds = pr_now() - start;
        return st;
    }
    pw_compile_options quiet;
    if (options)
        quiet = *options;
    else
        pw_compile_options_init(&quiet);
    quiet.on_diagnostics = NULL; /* a mutant that does not compile is counted, not shown */
    pr_menum m;
    memset(&m, 0, sizeof m);
    pw_program *prog = NULL;
    pw_error cerr;
    /* The baseline compiled: this compile fails only when memory runs out,
     * maybe before the tree was enumerated (then no mutant is not an answer). */
    pw_status cst = pt_compile_tree(path, &quiet, pr_enumerate, &m, &prog, &cerr);
    pw_program_free(prog);
    if (cst != PW_OK)
        st = pt_fail(err, cst, "%s", cerr.message);
    else if (m.oom || (m.n && !(out->mutants = calloc(m.n, sizeof *out->mutants))))
        st = pt_fail(err, PW_ERR_NOMEM, "out of memory");
    if (st == PW_OK && m.n) {
        pr_mpool pool;
        memset(&pool, 0, sizeof pool);
        pool.path = path;
        pool.quiet = &quiet;
        pool.m = &m;
        pool.slots = out->mutants;
        out->n = m.n;
        st = pr_run_mutants(&pool, jobs ? jobs : 1, err);
    }
    for (size_t i = 0; i < out->n; i++) {
        out->killed += out->mutants[i].outcome == PR_KILLED;
        out->survived += out->mutants[i].outcome == PR_SURVIVED;
        out->uncompiled += out->mutants[i].outcome == PR_UNCOMPILED;
        out->equivalent += out->mutants[i].outcome == PR_EQUIVALENT;
    }
    pr_menum_fini(&m);
    out->seconds = pr_now() - start;
    return st;
}
