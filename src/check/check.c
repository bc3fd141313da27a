/* Declarations: records and the facts layout, definitions, programs. The
 * expression rules are in check_expr.c. */
#include <stdio.h>
#include <string.h>

#include "../bc/bytecode.h"
#include "../front/parse.h"
#include "../util/date.h"
#include "check_int.h"

static const char *const pc_base_names[] = {"integer", "number", "boolean", "text", "date"};
static const int pc_base_kinds[] = {PB_T_INT, PB_T_NUM, PB_T_BOOL, PB_T_TEXT, PB_T_DATE};

const char *pc_type_name(const pc_ctx *c, pb_type t, char *buf, size_t len)
{
    const char *base;
    switch (t.kind) {
    case PB_T_INT: base = "integer"; break;
    case PB_T_NUM: base = "number"; break;
    case PB_T_BOOL: base = "boolean"; break;
    case PB_T_TEXT: base = "text"; break;
    case PB_T_DATE: base = "date"; break;
    case PB_T_SET: base = "set of text"; break;
    case PC_T_DURATION: base = "duration"; break;
    case PC_T_LITLIST: base = "list literal"; break;
    case PB_T_LIST:
        snprintf(buf, len, "list of %s", c->p->records[t.rec].name);
        return buf;
    case PB_T_ELEM:
        snprintf(buf, len, "%s", c->p->records[t.rec].name);
        return buf;
    default: base = "(error)"; break;
    }
    snprintf(buf, len, "%s%s", base, t.optional ? "?" : "");
    return buf;
}

pb_type pc_resolve_type(pc_ctx *c, const pa_typeref *t)
{
    if (t->form == PA_TY_LIST) {
        uint32_t r;
        if (pc_names_get(&c->records, t->name, &r) && r != 0)
            return pc_ty(PB_T_LIST, false, r);
        pd_diag *dg = PC_ERR(c, &t->span, PD_E0301, "unknown record `%s` in `list of %s`",
                             t->name, t->name);
        if (pc_names_get(&c->records, t->name, &r) && r == 0)
            pd_note_add(c->d, dg, NULL, "the facts record cannot be a list element");
        return pc_ty(PB_T_VOID, false, 0);
    }
    if (t->form == PA_TY_SET) {
        if (strcmp(t->name, "text") == 0)
            return pc_ty(PB_T_SET, false, 0);
        PC_ERR(c, &t->span, PD_E0302, "only `set of text` is supported, not `set of %s`", t->name);
        return pc_ty(PB_T_VOID, false, 0);
    }
    for (size_t i = 0; i < sizeof pc_base_names / sizeof *pc_base_names; i++)
        if (strcmp(t->name, pc_base_names[i]) == 0)
            return pc_ty(pc_base_kinds[i], t->optional, 0);
    pc_suggest s;
    pc_suggest_init(&s, t->name);
    for (size_t i = 0; i < sizeof pc_base_names / sizeof *pc_base_names; i++)
        pc_suggest_offer(&s, pc_base_names[i]);
    uint32_t r;
    pd_diag *dg;
    if (pc_names_get(&c->records, t->name, &r)) {
        dg = PC_ERR(c, &t->span, PD_E0303, "`%s` is a record; a field holds records as `list of %s`",
                    t->name, t->name);
    } else {
        dg = PC_ERR(c, &t->span, PD_E0304, "unknown type `%s`", t->name);
        if (pc_suggest_result(&s)) {
            pd_note_add(c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
            pd_set_fix(c->d, dg, pc_suggest_result(&s));
        } else {
            pd_note_add(c->d, dg, NULL,
                        "the types are integer, number, boolean, text, date, `list of RECORD` "
                        "and `set of text`; add `?` for a value that may be none");
        }
    }
    return pc_ty(PB_T_VOID, false, 0);
}

/* ---- records ------------------------------------------------------------- */

static const pa_expr *pc_literal_core(const pa_expr *e, bool *negated)
{
    *negated = false;
    if (e->kind == PA_E_UNARY && e->u.un.op == PA_OP_NEG) {
        *negated = true;
        return e->u.un.a;
    }
    return e;
}

/* A default must be a literal of the field's type. */
static void pc_field_default(pc_ctx *c, pc_field *f, const pa_expr *def)
{
    char tb[64];
    bool neg;
    const pa_expr *e = pc_literal_core(def, &neg);
    bool ok = false;
    switch (e->kind) {
    case PA_E_NONE:
        ok = f->type.optional;
        f->def = PB_DEF_NONE;
        break;
    case PA_E_LIST:
        ok = (f->type.kind == PB_T_LIST || f->type.kind == PB_T_SET) && e->u.list.nitems == 0;
        f->def = PB_DEF_EMPTY;
        break;
    case PA_E_INT:
        ok = f->type.kind == PB_T_INT || f->type.kind == PB_T_NUM;
        break;
    case PA_E_NUM:
        ok = f->type.kind == PB_T_NUM;
        break;
    case PA_E_BOOL:
        ok = f->type.kind == PB_T_BOOL && !neg;
        break;
    case PA_E_STR:
        ok = f->type.kind == PB_T_TEXT && !neg;
        break;
    case PA_E_DATE:
        ok = f->type.kind == PB_T_DATE && !neg;
        break;
    default:
        PC_ERR(c, &def->span, PD_E0305, "a default must be a literal value, such as 0, false, \"text\", 2026-01-01, none or []");
        return;
    }
    if (e->kind != PA_E_NONE && e->kind != PA_E_LIST) {
        f->def = PB_DEF_VALUE;
        f->defexpr = def;
    }
    if (!ok && f->type.kind != PB_T_VOID) {
        pd_diag *dg = PC_ERR(c, &def->span, PD_E0306, "default does not fit field `%s` of type %s",
                             f->name, pc_type_name(c, f->type, tb, sizeof tb));
        if (e->kind == PA_E_NONE)
            pd_note_add(c->d, dg, NULL, "only an optional field (`%s?`) can default to none",
                        pc_type_name(c, f->type, tb, sizeof tb));
        else if (e->kind == PA_E_LIST && (f->type.kind == PB_T_LIST || f->type.kind == PB_T_SET))
            pd_note_add(c->d, dg, NULL, "a list or set defaults to the empty `[]`; its items come with the facts");
        else if (e->kind == PA_E_LIST)
            pd_note_add(c->d, dg, NULL, "only a list or set can default to `[]`");
    }
}

static void pc_record_fields(pc_ctx *c, pc_record *r, const pa_decl *decl)
{
    uint32_t n = 0;
    for (const pa_field *f = decl->u.record.fields; f; f = f->next)
        n++;
    r->fields = pm_alloc(c->arena, sizeof *r->fields * (n ? n : 1));
    if (!r->fields) {
        c->d->oom = true;
        return;
    }
    pc_names seen;
    pc_names_init(&seen, c->arena);
    for (const pa_field *f = decl->u.record.fields; f; f = f->next) {
        uint32_t old;
        if (!pc_names_add(&seen, f->name, r->nfields, &old)) {
            if (old == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &f->span, PD_E0307, "field `%s` is declared twice in `%s`",
                                 f->name, r->name);
            pd_note_add(c->d, dg, &r->fields[old].span, "first declared here");
            continue;
        }
        pc_add_field(c, r, f);
    }
}

void pc_add_field(pc_ctx *c, pc_record *r, const pa_field *f)
{
    pc_field *pf = &r->fields[r->nfields++];
    pf->name = f->name;
    pf->span = f->span;
    pf->type = pc_resolve_type(c, &f->type);
    pf->known = pc_resolve_known(c, &f->type, pf->type);
    pf->grant = f->grant;
    pf->def = PB_DEF_REQUIRED;
    if (f->def)
        pc_field_default(c, pf, f->def);
    pc_field_bounds(c, pf, f);
}

static void pc_collect_records(pc_ctx *c, pa_decl *decls)
{
    uint32_t n = 1;
    const pa_decl *facts = NULL;
    for (const pa_decl *d = decls; d; d = d->next) {
        if (d->kind == PA_D_RECORD)
            n++;
        if (d->kind == PA_D_FACTS) {
            if (facts) {
                pd_diag *dg = PC_ERR(c, &d->name_span, PD_E0308,
                                     "a second `facts` declaration; a rule set has one facts record");
                pd_note_add(c->d, dg, &facts->name_span, "the facts record is declared here");
                if (facts->span.file != d->span.file)
                    pd_note_add(c->d, dg, NULL, "to add fields to it, write `extend facts %s { ... }`",
                                facts->name);
            } else {
                facts = d;
            }
        }
    }
    c->p->records = pm_alloc(c->arena, sizeof *c->p->records * n);
    if (!c->p->records) {
        c->d->oom = true;
        return;
    }
    if (!facts) {
        PC_ERR(c, NULL, PD_E0309,
               "no `facts` declaration: a rule set must declare the record it evaluates, "
               "e.g. `facts coach { birth_date: date }`");
        c->p->records[0].name = "facts";
    } else {
        c->p->records[0].name = facts->name;
        c->p->records[0].span = facts->name_span;
        c->p->has_facts = true;
    }
    c->p->nrecords = 1;
    uint32_t old;
    /* Every add below may fail for want of memory (old == UINT32_MAX): a
     * name left out would be reported unknown wherever it is used. */
    if (facts && !pc_names_add(&c->records, facts->name, 0, &old) && old == UINT32_MAX) {
        c->d->oom = true;
        return;
    }
    for (const pa_decl *d = decls; d; d = d->next) {
        if (d->kind != PA_D_RECORD)
            continue;
        if (!pc_names_add(&c->records, d->name, c->p->nrecords, &old)) {
            if (old == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &d->name_span, PD_E0310, "record `%s` is declared twice", d->name);
            pd_note_add(c->d, dg, &c->p->records[old].span, "first declared here");
            if (c->p->records[old].span.file != d->span.file)
                pd_note_add(c->d, dg, NULL, "to add fields to it, write `extend %s %s { ... }`",
                            old ? "record" : "facts", d->name);
            continue;
        }
        pc_record *r = &c->p->records[c->p->nrecords++];
        r->name = d->name;
        r->span = d->name_span;
    }
    /* Fields after all names are known, so records may refer to each other
     * in any order. */
    if (facts)
        pc_record_fields(c, &c->p->records[0], facts);
    for (const pa_decl *d = decls; d; d = d->next) {
        uint32_t idx;
        if (d->kind == PA_D_RECORD && pc_names_get(&c->records, d->name, &idx) &&
            c->p->records[idx].span.start == d->name_span.start &&
            c->p->records[idx].span.file == d->name_span.file)
            pc_record_fields(c, &c->p->records[idx], d);
    }
    pc_extend_records(c, decls);
    if (c->d->oom)
        return;
    for (uint32_t i = 0; i < c->p->records[0].nfields; i++)
        if (!pc_names_add(&c->facts, c->p->records[0].fields[i].name, i, &old) && old == UINT32_MAX) {
            c->d->oom = true;
            return;
        }
}

/* ---- definitions ---------------------------------------------------------- */

static void pc_collect_defines(pc_ctx *c, pa_decl *decls)
{
    uint32_t n = 0;
    for (const pa_decl *d = decls; d; d = d->next)
        n += d->kind == PA_D_DEFINE;
    c->p->defs = pm_alloc(c->arena, sizeof *c->p->defs * (n ? n : 1));
    c->p->def_order = pm_alloc(c->arena, sizeof *c->p->def_order * (n ? n : 1));
    c->stack = pm_alloc(c->arena, sizeof *c->stack * (n ? n : 1));
    if (!c->p->defs || !c->p->def_order || !c->stack) {
        c->d->oom = true;
        return;
    }
    for (const pa_decl *d = decls; d; d = d->next) {
        if (d->kind != PA_D_DEFINE)
            continue;
        uint32_t old;
        if (pc_names_get(&c->facts, d->name, &old)) {
            pd_diag *dg = PC_ERR(c, &d->name_span, PD_E0311,
                                 "`%s` is already a field of the facts record", d->name);
            pd_note_add(c->d, dg, &c->p->records[0].fields[old].span, "the field is declared here");
            continue;
        }
        if (strcmp(d->name, "max") == 0 || strcmp(d->name, "min") == 0) {
            PC_ERR(c, &d->name_span, PD_E0312, "`%s` is a built-in function and cannot be redefined",
                   d->name);
            continue;
        }
        if (!pc_names_add(&c->defs, d->name, c->p->ndefs, &old)) {
            if (old == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &d->name_span, PD_E0313, "`%s` is defined twice", d->name);
            pd_note_add(c->d, dg, &c->p->defs[old].decl->name_span, "first defined here");
            continue;
        }
        pc_define *def = &c->p->defs[c->p->ndefs++];
        def->decl = d;
        for (const pa_param *pp = d->u.define.params; pp; pp = pp->next)
            def->nparams++;
        def->params = pm_alloc(c->arena, sizeof *def->params * (def->nparams ? def->nparams : 1));
        def->param_known = pm_alloc(c->arena, sizeof *def->param_known * (def->nparams ? def->nparams : 1));
        if (!def->params || !def->param_known) {
            c->d->oom = true;
            return;
        }
        uint32_t i = 0;
        pc_names seen;
        pc_names_init(&seen, c->arena);
        for (const pa_param *pp = d->u.define.params; pp; pp = pp->next, i++) {
            def->params[i] = pc_resolve_type(c, &pp->type);
            def->param_known[i] = pc_resolve_known(c, &pp->type, def->params[i]);
            if (!pc_names_add(&seen, pp->name, i, &old)) {
                if (old == UINT32_MAX)
                    c->d->oom = true; /* the duplicate check could not be made */
                else
                    PC_ERR(c, &pp->span, PD_E0314, "parameter `%s` appears twice", pp->name);
            }
        }
    }
}

static void pc_report_cycle(pc_ctx *c, pc_define *def, const ps_span *use)
{
    char chain[512];
    size_t len = 0;
    uint32_t from = 0;
    while (from < c->nstack && c->stack[from] != def)
        from++;
    for (uint32_t i = from; i < c->nstack && len < sizeof chain - 80; i++)
        len += (size_t)snprintf(chain + len, sizeof chain - len, "%s → ", c->stack[i]->decl->name);
    snprintf(chain + len, sizeof chain - len, "%s", def->decl->name);
    pd_diag *dg = PC_ERR(c, use, PD_E0315, "definition `%s` depends on itself: %s", def->decl->name,
                         chain);
    for (uint32_t i = from; i < c->nstack; i++)
        pd_note_add(c->d, dg, &c->stack[i]->decl->name_span, "`%s` is defined here",
                    c->stack[i]->decl->name);
    pd_note_add(c->d, dg, NULL, "definitions cannot be recursive: every rule must be decidable "
                                "in a bounded number of steps");
}

/* Writes the names of a chain of definitions: all of them when there are
 * few, else the first and the last three (a chain can be 100,000 long). */
static void pc_chain_text(pc_define *const *chain, uint32_t n, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n && at < len; i++) {
        if (n > 8 && i == 3) {
            at += (size_t)snprintf(buf + at, len - at, " → …");
            i = n - 4;
            continue;
        }
        at += (size_t)snprintf(buf + at, len - at, "%s`%s`", i ? " → " : "", chain[i]->decl->name);
    }
}

/* Checking definitions on first use recurses once per definition: only
 * along a cycle, since pc_check_defines orders them callees first. A cycle
 * (or a loop through a shadowed name) longer than max_nesting stops here,
 * once per compilation: the chain of definitions being checked, then `def`. */
static bool pc_chain_too_long(pc_ctx *c, pc_define *def, const ps_span *use)
{
    if (c->chain_reported)
        return false;
    c->chain_reported = true;
    uint32_t n = c->nstack + 1;
    pc_define **chain = pm_alloc(c->arena, sizeof *chain * n);
    if (!chain) {
        c->d->oom = true;
        return false;
    }
    memcpy(chain, c->stack, sizeof *chain * c->nstack);
    chain[c->nstack] = def;
    char text[512];
    pc_chain_text(chain, n, text, sizeof text);
    pd_diag *dg = PC_ERR(c, use, PD_E0445,
                         "definitions are nested too deeply: %s is a chain of %u definitions, each "
                         "using the next (the limit is %u)", text, n, c->max_nesting);
    if (n > 2) /* else the use is in chain[0], shown already */
        pd_note_add(c->d, dg, &chain[0]->decl->name_span, "the chain starts at `%s`", chain[0]->decl->name);
    pd_note_add(c->d, dg, NULL, "the nesting limit (`--limit nesting=N`, pw_limits.max_nesting) bounds "
                                "chains of definitions as it bounds brackets");
    return false;
}

bool pc_check_use(pc_ctx *c, pc_define *def, const ps_span *use)
{
    /* Checking `def` now would recurse once more: bound that first. */
    if (def->state == 0 && c->nstack >= c->max_nesting)
        return pc_chain_too_long(c, def, use);
    pc_check_define(c, def, use);
    return true;
}

void pc_check_define(pc_ctx *c, pc_define *def, const ps_span *use)
{
    if (def->state == 2)
        return;
    if (def->state == 1) {
        pc_report_cycle(c, def, use ? use : &def->decl->name_span);
        return;
    }
    if (def->decl->u.define.failed) {
        /* Its syntax error is reported: it has no type, and its uses are
         * not errors of their own. */
        def->result = pc_ty(PB_T_VOID, false, 0);
        def->typed = true;
        def->state = 2;
        return;
    }
    def->state = 1;
    c->stack[c->nstack++] = def;
    pc_fn fn = {def, NULL, def->nparams, 0, NULL};
    uint32_t i = 0;
    pc_scope *scopes = pm_alloc(c->arena, sizeof *scopes * (def->nparams ? def->nparams : 1));
    if (!scopes) {
        c->d->oom = true;
    } else {
        for (const pa_param *pp = def->decl->u.define.params; pp; pp = pp->next, i++) {
            scopes[i] = (pc_scope){pp->name, pp->span, def->params[i], i, PA_REF_PARAM, fn.scope};
            fn.scope = &scopes[i];
        }
    }
    /* Without its parameters' scopes the body is not checked: each use of a
     * parameter would be reported as an unknown name, and the compile fails
     * for want of memory instead (tests/unit/test_cli_allocfail.c). */
    pb_type t = scopes ? pc_expr(c, &fn, def->decl->u.define.body) : pc_ty(PB_T_VOID, false, 0);
    if (scopes && def->decl->u.define.result) {
        pb_type want = pc_resolve_type(c, def->decl->u.define.result);
        char a[64], b[64];
        bool fits = want.kind == t.kind && (want.optional || !t.optional);
        if (want.kind == PB_T_NUM && t.kind == PB_T_INT)
            fits = want.optional || !t.optional;
        if (!fits && want.kind != PB_T_VOID && t.kind != PB_T_VOID)
            PC_ERR(c, &def->decl->u.define.body->span, PD_E0316,
                   "`%s` is declared as %s but its value is %s", def->decl->name,
                   pc_type_name(c, want, a, sizeof a), pc_type_name(c, t, b, sizeof b));
        if (want.kind != PB_T_VOID)
            t = want;
    }
    if (t.kind == PB_T_LIST || t.kind == PB_T_SET || t.kind == PB_T_ELEM ||
        t.kind == PC_T_DURATION || t.kind == PC_T_LITLIST) {
        char a[64];
        PC_ERR(c, &def->decl->u.define.body->span, PD_E0317,
               "a definition must be a single value, not %s", pc_type_name(c, t, a, sizeof a));
        t = pc_ty(PB_T_VOID, false, 0);
    }
    def->result = t;
    def->typed = true;
    def->nlocals = fn.nlocals;
    def->state = 2;
    c->nstack--;
    def->func = c->next_func++;
    c->p->def_order[def->func] = (uint32_t)(def - c->p->defs);
}

/* ---- the order of checking definitions ------------------------------------ */

/* The definitions one body names: a superset, as a parameter or loop
 * variable of the same name counts too, which changes only the order. */
typedef struct pc_edges {
    uint32_t *to;
    uint32_t n, cap;
} pc_edges;

static void pc_edge_add(pc_ctx *c, const char *name, pc_edges *out)
{
    uint32_t idx;
    if (!pc_names_get(&c->defs, name, &idx))
        return;
    if (out->n == out->cap) {
        uint32_t cap = out->cap ? out->cap * 2 : 4;
        uint32_t *to = pm_alloc(c->arena, sizeof *to * cap);
        if (!to) {
            c->d->oom = true;
            return;
        }
        if (out->n)
            memcpy(to, out->to, sizeof *to * out->n);
        out->to = to;
        out->cap = cap;
    }
    out->to[out->n++] = idx;
}

/* In the order pc_expr meets the names, so that functions keep the numbers
 * checking on first use gives them. Recurses as deep as the tree is high,
 * which the parser bounds. */
typedef struct pc_edges_walk {
    pc_ctx *c;
    pc_edges *out;
} pc_edges_walk;

static void pc_edges_of(pc_ctx *c, const pa_expr *e, pc_edges *out);

static void pc_edges_child(void *w, const pa_expr *e)
{
    pc_edges_walk *x = w;
    pc_edges_of(x->c, e, x->out);
}

static void pc_edges_of(pc_ctx *c, const pa_expr *e, pc_edges *out)
{
    if (!e || c->d->oom)
        return;
    if (e->kind == PA_E_NAME)
        pc_edge_add(c, e->u.name.name, out);
    pc_edges_walk w = {c, out};
    pa_each_child(e, pc_edges_child, &w);
    if (e->kind == PA_E_CALL)
        pc_edge_add(c, e->u.call.name, out);
}

/* Checks every definition, each after the ones it uses (depth first, in
 * declaration order, as checking on first use would), with an explicit
 * stack: a chain of definitions each using the next may be 100,000 long,
 * and checking on first use would recurse once per link. A definition that
 * reaches a cycle is left to the loop at the end, which checks on first
 * use as before, so that a cycle is reported from where it is first met;
 * that recursion is bounded by pc_check_use. */
static void pc_check_defines(pc_ctx *c)
{
    uint32_t n = c->p->ndefs;
    if (!n)
        return;
    pc_edges *edges = pm_alloc(c->arena, sizeof *edges * n);
    /* 0 new, 1 on the path, 2 checked, 3 reaches a cycle: left for later */
    uint8_t *mark = pm_alloc(c->arena, n);
    bool *cyclic = pm_alloc(c->arena, sizeof *cyclic * n);
    struct pc_step { uint32_t def, next; } *path = pm_alloc(c->arena, sizeof *path * n);
    if (!edges || !mark || !cyclic || !path) {
        c->d->oom = true;
        return;
    }
    for (uint32_t i = 0; i < n && !c->d->oom; i++)
        pc_edges_of(c, c->p->defs[i].decl->u.define.body, &edges[i]);
    for (uint32_t root = 0; root < n && !c->d->oom; root++) {
        if (mark[root])
            continue;
        uint32_t np = 0;
        path[np++] = (struct pc_step){root, 0};
        mark[root] = 1;
        while (np) {
            struct pc_step *s = &path[np - 1];
            if (s->next < edges[s->def].n) {
                uint32_t to = edges[s->def].to[s->next++];
                if (!mark[to]) {
                    mark[to] = 1;
                    path[np++] = (struct pc_step){to, 0};
                } else if (mark[to] != 2) {
                    cyclic[s->def] = true;
                }
                continue;
            }
            np--;
            if (cyclic[s->def]) {
                mark[s->def] = 3;
                if (np)
                    cyclic[path[np - 1].def] = true;
            } else {
                mark[s->def] = 2;
                pc_check_define(c, &c->p->defs[s->def], NULL);
            }
        }
    }
    for (uint32_t i = 0; i < n && !c->d->oom; i++)
        pc_check_define(c, &c->p->defs[i], NULL);
}

/* ---- programs ------------------------------------------------------------- */

/* `grants "id" valid until EXPR`: EXPR is checked as the body of a
 * function of one date, `granted`, the day the certificate is granted, and
 * must give a plain date, the certificate's last valid day. */
static void pc_check_valid_until(pc_ctx *c, pa_attr *a)
{
    pc_scope granted = {"granted", a->value->span, pc_ty(PB_T_DATE, false, 0), 0, PA_REF_PARAM, NULL};
    pc_fn fn = {NULL, &granted, 1, 0, NULL};
    pb_type t = pc_expr(c, &fn, a->valid_until);
    a->valid_nlocals = fn.nlocals;
    char b[64];
    if (t.kind != PB_T_VOID && (t.kind != PB_T_DATE || t.optional)) {
        pd_diag *dg = PC_ERR(c, &a->valid_until->span, PD_E0454,
                             "`valid until` needs the certificate's last day, a date, but this is %s",
                             pc_type_name(c, t, b, sizeof b));
        pd_note_add(c->d, dg, NULL, "compute it from `granted`, the day the certificate is granted, e.g. "
                                    "`valid until 1 January following granted + 5 years - 1 day`");
    }
}

static void pc_check_attr(pc_ctx *c, const pa_attr *a)
{
    static const char *const names[] = {"title", "hours", "format", "provider", "duration", "grants"};
    const pa_expr *v = a->value;
    bool neg;
    const pa_expr *core = pc_literal_core(v, &neg);
    if (strcmp(a->name, "title") == 0 || strcmp(a->name, "format") == 0 ||
        strcmp(a->name, "provider") == 0 || strcmp(a->name, "grants") == 0) {
        if (core->kind != PA_E_STR || neg)
            PC_ERR(c, &v->span, PD_E0320, "`%s` takes text in quotes", a->name);
        else if (core->u.str.len == 0)
            PC_ERR(c, &v->span, PD_E0321, "`%s` cannot be empty", a->name);
        if (a->valid_until)
            pc_check_valid_until(c, (pa_attr *)a);
        if (a->validity && (a->validity->kind != PA_E_DURATION || a->validity->u.dur.n <= 0))
            PC_ERR(c, &a->validity->span, PD_E0322,
                   "a validity period is a positive duration, e.g. `valid for 4 years`");
        return;
    }
    if (strcmp(a->name, "hours") == 0) {
        if ((core->kind != PA_E_INT && core->kind != PA_E_NUM) || neg)
            PC_ERR(c, &v->span, PD_E0323, "`hours` takes a number of hours that is not negative, e.g. `hours 22`");
        return;
    }
    if (strcmp(a->name, "duration") == 0) {
        bool ok = (core->kind == PA_E_DURATION && core->u.dur.unit == PA_DAYS) || core->kind == PA_E_INT;
        if (!ok || neg)
            PC_ERR(c, &v->span, PD_E0324, "`duration` takes a number of days, e.g. `duration 30 days`");
        else if ((core->kind == PA_E_INT && core->u.i > 36500) ||
                 (core->kind == PA_E_DURATION && core->u.dur.n > 36500))
            PC_ERR(c, &v->span, PD_E0324, "`duration` is at most 36500 days (a hundred years)");
        return;
    }
    pc_suggest s;
    pc_suggest_init(&s, a->name);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        pc_suggest_offer(&s, names[i]);
    pd_diag *dg = PC_ERR(c, &a->span, PD_E0325, "unknown program attribute `%s`", a->name);
    if (strcmp(a->name, "replace") == 0 || strcmp(a->name, "drop") == 0) {
        /* `replace "label" cond` without its colon, or `drop` without a label */
        pd_note_add(c->d, dg, NULL, "a version that amends the previous version changes a requirement "
                                    "with `drop \"LABEL\"` or `replace \"LABEL\": CONDITION`");
    } else if (pc_suggest_result(&s)) {
        pd_note_add(c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(c->d, dg, pc_suggest_result(&s));
    } else {
        pd_note_add(c->d, dg, NULL, "a program's attributes are title, hours, format, provider, "
                                    "duration and grants");
    }
}

/* E0485: `arrange "..."` says what the coach does to meet a requirement
 * that blocks enrolment, so it is a program's own `require`, with words. */
static void pc_check_arrange(pc_ctx *c, const pa_req *r, unsigned depth)
{
    const ps_span *at = &r->arrange_span;
    if (r->arrange[strspn(r->arrange, " \t")] == '\0') {
        PC_ERR(c, at, PD_E0485, "`arrange` on `%s` says nothing: write what the coach does", r->label);
    } else if (depth) {
        pd_diag *dg = PC_ERR(c, at, PD_E0485,
                             "`arrange` is on `%s`, a member of a group: a plan arranges a program's own requirements",
                             r->label);
        pd_note_add(c->d, dg, NULL, "put `arrange` after the group's own `require \"LABEL\": ...`");
    } else if (r->role != PA_REQUIRE) {
        PC_ERR(c, at, PD_E0485, "`arrange` is on `%s`, which never blocks enrolment (`prefer`, `advise`)", r->label);
    }
}

/* `depth`: the groups around r. */
void pc_check_req(pc_ctx *c, pa_req *r, unsigned depth)
{
    if (r->shared)
        return; /* checked with its block */
    if (r->group != PA_LEAF && depth >= PB_MAX_GROUP_NESTING) {
        PC_ERR(c, &r->label_span, PD_E0334,
               "requirement groups are nested too deeply: `%s` is group %u, one inside another "
               "(the limit is %d)", r->label, depth + 1, PB_MAX_GROUP_NESTING);
        return;
    }
    pc_resolve_cite(c, r);
    if (r->label[0] == '\0')
        PC_ERR(c, &r->label_span, PD_E0330, "a requirement label cannot be empty");
    if (r->arrange)
        pc_check_arrange(c, r, depth);
    if (r->group == PA_LEAF && r->decided_by) {
        pc_check_decided(c, r);
        return;
    }
    if (r->group == PA_LEAF) {
        pc_fn fn = {NULL, NULL, 0, 0, NULL};
        pb_type t = pc_expr(c, &fn, r->cond);
        char b[64];
        if (t.kind != PB_T_VOID && (t.kind != PB_T_BOOL || t.optional)) {
            pd_diag *dg = PC_ERR(c, &r->cond->span, PD_E0331,
                                 "a requirement must be a condition (true or false), but this is %s",
                                 pc_type_name(c, t, b, sizeof b));
            if (t.kind == PB_T_BOOL)
                pd_note_add(c->d, dg, NULL,
                            "say what it means when the value is none: `(...) otherwise false`");
            else if (r->cond->kind == PA_E_QUANT && r->cond->u.quant.where)
                pd_note_add(c->d, dg, NULL,
                            "a `%s` reaches as far right as it can; to compare it, put it in "
                            "parentheses: `(%s ...) >= 2`",
                            r->cond->u.quant.q == PA_Q_COUNT ? "count" : "sum",
                            r->cond->u.quant.q == PA_Q_COUNT ? "count" : "sum");
            else if (r->cond->kind == PA_E_QUANT)
                pd_note_add(c->d, dg, NULL, "a `%s` is a number: compare it to make a condition, e.g. `%s ... >= 1`",
                            r->cond->u.quant.q == PA_Q_COUNT ? "count" : "sum",
                            r->cond->u.quant.q == PA_Q_COUNT ? "count" : "sum");
        }
        return;
    }
    uint32_t n = 0;
    for (pa_req *m = r->members; m; m = m->next) {
        pc_check_req(c, m, depth + 1);
        n++;
    }
    if (n == 0)
        PC_ERR(c, &r->span, PD_E0332, "the group `%s` has no members", r->label);
    if (r->group == PA_AT_LEAST && (r->min < 1 || (uint64_t)r->min > n) && n > 0)
        PC_ERR(c, &r->min_span, PD_E0333, "`at least %lld of` needs between 1 and %u (the group has %u member%s)",
               (long long)r->min, n, n, n == 1 ? "" : "s");
}

/* ---- effective periods ------------------------------------------------------ */

const char *pc_period_text(const pa_period *p, char *buf, size_t len)
{
    char from[11] = "", until[11] = "";
    if (!p->given || (p->from == PA_DATE_OPEN_FROM && p->until == PA_DATE_OPEN_UNTIL)) {
        snprintf(buf, len, "always");
        return buf;
    }
    /* Only the bounded ends are dates; the open ones are sentinels. */
    if (p->from != PA_DATE_OPEN_FROM)
        pu_date_format(p->from, from);
    if (p->until != PA_DATE_OPEN_UNTIL)
        pu_date_format(p->until, until);
    if (p->from == PA_DATE_OPEN_FROM)
        snprintf(buf, len, "until %s", until);
    else if (p->until == PA_DATE_OPEN_UNTIL)
        snprintf(buf, len, "from %s", from);
    else
        snprintf(buf, len, "from %s until %s", from, until);
    return buf;
}

static bool pc_period_ok(pc_ctx *c, const pa_period *p)
{
    if (!p->given || p->from <= p->until)
        return true;
    char b[48];
    pd_diag *dg = PC_ERR(c, &p->span, PD_E0344, "this period ends before it begins (%s)",
                         pc_period_text(p, b, sizeof b));
    char from[11], until[11];
    pu_date_format(p->from, from);
    pu_date_format(p->until, until);
    pd_note_add(c->d, dg, NULL, "did you mean `effective from %s until %s`? Both days are included",
                until, from);
    return false;
}

static bool pc_overlap(const pa_period *a, const pa_period *b)
{
    int32_t from = a->from > b->from ? a->from : b->from;
    int32_t until = a->until < b->until ? a->until : b->until;
    return from <= until;
}

/* A second declaration of a program is a new version of it: allowed when the
 * versions' periods do not overlap, so one date always picks one version. */
static void pc_check_versions(pc_ctx *c, const pa_decl *d, uint32_t first)
{
    const pa_period *mine = &d->u.program.period;
    for (uint32_t i = first; i < c->p->nprogs; i++) {
        const pa_decl *o = c->p->progs[i];
        if (strcmp(o->name, d->name) != 0)
            continue;
        const pa_period *theirs = &o->u.program.period;
        if (!mine->given && !theirs->given) {
            pd_diag *dg = PC_ERR(c, &d->name_span, PD_E0340, "program `%s` is declared twice", d->name);
            pd_note_add(c->d, dg, &o->name_span, "first declared here");
            pd_note_add(c->d, dg, NULL, "to give a program versions, give each an `effective` "
                                        "period that does not overlap the others'");
            return;
        }
        if (pc_overlap(mine, theirs)) {
            char a[48], b[48];
            pd_diag *dg = PC_ERR(c, mine->given ? &mine->span : &d->name_span, PD_E0343,
                                 "versions of program `%s` overlap: this one is in force %s, "
                                 "another %s", d->name, pc_period_text(mine, a, sizeof a),
                                 pc_period_text(theirs, b, sizeof b));
            pd_note_add(c->d, dg, theirs->given ? &theirs->span : &o->name_span,
                        "the other version is declared here");
            pd_note_add(c->d, dg, NULL, "on any day at most one version may be in force; end one "
                                        "the day before the next begins");
            return;
        }
    }
}

/* A requirement dated outside its program's period would never apply. */
void pc_check_req_period(pc_ctx *c, const pa_req *r, const pa_decl *prog)
{
    const pa_period *pp = &prog->u.program.period;
    if (r->period.given && pc_period_ok(c, &r->period) && pp->given && !pc_overlap(&r->period, pp)) {
        char a[48], b[48];
        pd_diag *dg = PC_ERR(c, &r->period.span, PD_E0345,
                             "requirement `%s` is never in force while its program is: it is in force "
                             "%s, the program %s", r->label, pc_period_text(&r->period, a, sizeof a),
                             pc_period_text(pp, b, sizeof b));
        pd_note_add(c->d, dg, &pp->span, "the program's period is given here");
    }
    for (const pa_req *m = r->members; m; m = m->next)
        pc_check_req_period(c, m, prog);
}

/* ---- enrolment windows ------------------------------------------------------ */

/* "from D until D" for a window, its open ends left out. */
static const char *pc_window_text(const pa_window *w, char *buf, size_t len)
{
    pa_period p = {true, w->opens, w->closes, w->span};
    return pc_period_text(&p, buf, len);
}

/* A window must open before it closes, and be open on some day the
 * version is in force: otherwise no coach could ever enrol in it. */
static void pc_check_window(pc_ctx *c, const pa_decl *d, bool period_ok)
{
    const pa_window *w = &d->u.program.window;
    if (!w->given)
        return;
    char a[48], b[48];
    if (w->opens > w->closes) {
        char from[11], until[11];
        pu_date_format(w->opens, from);
        pu_date_format(w->closes, until);
        pd_diag *dg = PC_ERR(c, &w->closes_span, PD_E0470,
                             "this enrolment window closes on %s, before it opens on %s", until, from);
        pd_note_add(c->d, dg, &w->opens_span, "it opens here");
        pd_note_add(c->d, dg, NULL, "did you mean `enrolment open from %s until %s`? Both days are "
                                    "included", until, from);
        return;
    }
    const pa_period *pp = &d->u.program.period;
    pa_period wp = {true, w->opens, w->closes, w->span};
    if (period_ok && pp->given && !pc_overlap(&wp, pp)) {
        pd_diag *dg = PC_ERR(c, &w->span, PD_E0471,
                             "program `%s` is never open for enrolment while it is in force: enrolment is "
                             "open %s, the program is in force %s", d->name,
                             pc_window_text(w, a, sizeof a), pc_period_text(pp, b, sizeof b));
        pd_note_add(c->d, dg, &pp->span, "the program's period is given here");
    }
}

static void pc_check_program(pc_ctx *c, const pa_decl *d, pc_names *ids)
{
    uint32_t old;
    bool period_ok = pc_period_ok(c, &d->u.program.period);
    if (!pc_names_add(ids, d->name, c->p->nprogs, &old)) {
        if (old == UINT32_MAX) {
            c->d->oom = true;
            return;
        }
        if (period_ok) /* a reversed period was reported; overlap would be noise */
            pc_check_versions(c, d, old);
    }
    pc_check_window(c, d, period_ok);
    c->p->progs[c->p->nprogs++] = d;
    pc_names attrs;
    pc_names_init(&attrs, c->arena);
    uint32_t nattrs = 0;
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
        nattrs++;
    const pa_attr **list = pm_alloc(c->arena, sizeof *list * (nattrs ? nattrs : 1));
    if (!list) {
        c->d->oom = true;
        return;
    }
    uint32_t nlist = 0;
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next) {
        if (!pc_names_add(&attrs, a->name, nlist, &old)) {
            if (old == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &a->span, PD_E0341, "attribute `%s` is given twice", a->name);
            pd_note_add(c->d, dg, &list[old]->span, "first given here");
        } else {
            list[nlist++] = a;
        }
        pc_check_attr(c, a);
    }
    if (d->u.program.title && pc_names_get(&attrs, "title", &old)) {
        pd_diag *dg = PC_ERR(c, &list[old]->span, PD_E0342, "program `%s` already has a title", d->name);
        pd_note_add(c->d, dg, &d->u.program.title_span, "the title is given here");
    }
    for (pa_req *r = d->u.program.reqs; r; r = r->next) {
        pc_check_req(c, r, 0);
        pc_check_req_period(c, r, d);
    }
}

bool pc_check(pm_arena *arena, ps_sources *src, pd_list *diags, pa_decl *decls, unsigned max_nesting,
              pc_program *out)
{
    memset(out, 0, sizeof *out);
    pc_ctx c = {.arena = arena, .src = src, .d = diags, .p = out,
                .max_nesting = max_nesting ? max_nesting : PP_DEFAULT_NESTING};
    pc_names_init(&c.records, arena);
    pc_names_init(&c.defs, arena);
    pc_names_init(&c.facts, arena);
    pc_names_init(&c.known, arena);
    pc_names_init(&c.sources, arena);
    pc_names_init(&c.blocks, arena);
    unsigned errors = diags->errors;

    pc_collect_known(&c, decls);
    if (diags->oom)
        return false;
    pc_extend_known(&c, decls);
    if (diags->oom)
        return false;
    pc_collect_sources(&c, decls);
    if (diags->oom)
        return false;
    pc_collect_records(&c, decls);
    if (diags->oom)
        return false;
    pc_check_grants(&c);
    if (diags->oom)
        return false;
    pc_collect_defines(&c, decls);
    if (diags->oom)
        return false;
    pc_check_defines(&c);
    if (diags->oom)
        return false;

    pc_expand_blocks(&c, decls);
    if (diags->oom)
        return false;

    uint32_t n = 0;
    for (const pa_decl *d = decls; d; d = d->next)
        n += d->kind == PA_D_PROGRAM;
    out->progs = pm_alloc(arena, sizeof *out->progs * (n ? n : 1));
    if (!out->progs) {
        diags->oom = true;
        return false;
    }
    pc_names ids;
    pc_names_init(&ids, arena);
    for (const pa_decl *d = decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM)
            pc_check_program(&c, d, &ids);
    if (!diags->oom)
        pc_expand_amendments(&c, decls);
    if (!diags->oom)
        pc_check_decision_keys(&c, decls);
    if (!diags->oom)
        pc_check_tests(&c, decls, &ids);
    return diags->errors == errors && !diags->oom;
}
