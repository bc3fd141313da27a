/* Examples and tests. The facts they write are checked against the facts
 * record here, with the same clang-style messages as the rules, so that a
 * test run only ever loads records that fit; and every expectation must name
 * a real program and real requirement labels, so that a typo in a test is a
 * compile error rather than a test that cannot fail. */
#include <stdio.h>
#include <string.h>

#include "check_int.h"

#define PC_JSON_INT_MAX 9007199254740992LL /* 2^53 */

typedef struct pc_tctx {
    pc_ctx *c;
    const pc_names *ids;   /* program name -> first version */
    pc_names examples;     /* example name -> index into ex */
    const pa_decl **ex;
    uint8_t *state;        /* per example: 0 new, 1 on the path, 2 done */
    uint32_t nex;
    bool no_facts;         /* the rule set declares no facts record */
} pc_tctx;

/* ---- values ------------------------------------------------------------------- */

static const char *pc_value_what(const pa_value *v)
{
    static const char *const what[] = {
        [PA_V_INT] = "an integer", [PA_V_NUM] = "a number", [PA_V_TEXT] = "text",
        [PA_V_DATE] = "a date",    [PA_V_BOOL] = "true or false", [PA_V_NONE] = "none",
        [PA_V_LIST] = "a list",    [PA_V_RECORD] = "a record",
    };
    return what[v->kind];
}

static void pc_check_entries(pc_tctx *t, const pa_value *rec, uint32_t r, bool complete);

static void pc_mismatch(pc_tctx *t, const pa_value *v, const char *field, pb_type ft)
{
    char b[64];
    pd_diag *dg = PC_ERR(t->c, &v->span, PD_E0353, "`%s` holds %s, but this is %s", field,
                         pc_type_name(t->c, ft, b, sizeof b), pc_value_what(v));
    if (ft.kind == PB_T_LIST)
        pd_note_add(t->c->d, dg, NULL, "write a list of records: [{ field: value ... }]");
    else if (ft.kind == PB_T_SET)
        pd_note_add(t->c->d, dg, NULL, "write a list of texts: [\"a\", \"b\"]");
    else if (v->kind == PA_V_NONE)
        pd_note_add(t->c->d, dg, NULL, "only a field whose type ends in `?` may be none");
    else if (ft.kind == PB_T_DATE)
        pd_note_add(t->c->d, dg, NULL, "write a date without quotes: 2026-11-23");
}

/* Whether value v fits a field of type ft (named `field` in messages), and
 * its texts the field's known list (`known`: index + 1, or 0). */
static void pc_check_value(pc_tctx *t, const pa_value *v, const char *field, pb_type ft, uint32_t known)
{
    bool ok;
    switch (v->kind) {
    case PA_V_NONE: ok = ft.optional; break;
    case PA_V_INT: ok = ft.kind == PB_T_INT || ft.kind == PB_T_NUM; break;
    case PA_V_NUM: ok = ft.kind == PB_T_NUM; break;
    case PA_V_TEXT: ok = ft.kind == PB_T_TEXT; break;
    case PA_V_DATE: ok = ft.kind == PB_T_DATE; break;
    case PA_V_BOOL: ok = ft.kind == PB_T_BOOL; break;
    case PA_V_LIST: ok = ft.kind == PB_T_LIST || ft.kind == PB_T_SET; break;
    default: ok = false; break;
    }
    if (!ok) {
        pc_mismatch(t, v, field, ft);
        return;
    }
    /* Facts travel as JSON numbers, which hold integers exactly only up to
     * 2^53: past that a test would silently check a different value. */
    if (v->kind == PA_V_INT && (v->u.i > PC_JSON_INT_MAX || v->u.i < -PC_JSON_INT_MAX)) {
        PC_ERR(t->c, &v->span, PD_E0357, "%lld is too large for facts (at most %lld either way)",
               (long long)v->u.i, (long long)PC_JSON_INT_MAX);
        return;
    }
    pc_check_known_value(t->c, ft.kind == PB_T_TEXT ? known : 0, v);
    if (v->kind != PA_V_LIST)
        return;
    for (const pa_value *it = v->u.list.items; it; it = it->next) {
        if (ft.kind == PB_T_SET && it->kind != PA_V_TEXT)
            pc_mismatch(t, it, field, ft);
        else if (ft.kind == PB_T_SET)
            pc_check_known_value(t->c, known, it);
        else if (ft.kind == PB_T_LIST && it->kind != PA_V_RECORD)
            pc_mismatch(t, it, field, ft);
        else if (ft.kind == PB_T_LIST)
            pc_check_entries(t, it, ft.rec, true);
    }
}

static const pc_field *pc_record_field(const pc_record *rec, const char *name)
{
    for (uint32_t i = 0; i < rec->nfields; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return &rec->fields[i];
    return NULL;
}

static void pc_unknown_field(pc_tctx *t, const pa_entry *e, const pc_record *rec)
{
    pd_diag *dg = PC_ERR(t->c, &e->span, PD_E0354, "`%s` has no field `%s`", rec->name, e->name);
    pc_suggest s;
    pc_suggest_init(&s, e->name);
    for (uint32_t i = 0; i < rec->nfields; i++)
        pc_suggest_offer(&s, rec->fields[i].name);
    if (pc_suggest_result(&s)) {
        pd_note_add(t->c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(t->c->d, dg, pc_suggest_result(&s));
    }
    pd_note_add(t->c->d, dg, &rec->span, "`%s` is declared here", rec->name);
}

static const pa_entry *pc_entry(const pa_value *rec, const char *name)
{
    for (const pa_entry *e = rec->u.record.entries; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

/* The entries of a record value against record r; `complete`: every field
 * without a default must be there (a list element, as the facts reader
 * requires). */
static void pc_check_entries(pc_tctx *t, const pa_value *v, uint32_t r, bool complete)
{
    if (t->no_facts)
        return;
    const pc_record *rec = &t->c->p->records[r];
    for (const pa_entry *e = v->u.record.entries; e; e = e->next) {
        const pa_entry *first = pc_entry(v, e->name);
        if (first != e) {
            pd_diag *dg = PC_ERR(t->c, &e->span, PD_E0356, "`%s` is given twice", e->name);
            pd_note_add(t->c->d, dg, &first->span, "first given here");
            continue;
        }
        const pc_field *f = pc_record_field(rec, e->name);
        if (!f)
            pc_unknown_field(t, e, rec);
        else if (f->type.kind != PB_T_VOID)
            pc_check_value(t, e->value, e->name, f->type, f->known);
        if (f && r == 0 && strcmp(e->name, "decisions") == 0)
            pc_check_decision_value(t->c, e->value);
    }
    if (!complete)
        return;
    for (uint32_t i = 0; i < rec->nfields; i++) {
        if (rec->fields[i].def != PB_DEF_REQUIRED || pc_entry(v, rec->fields[i].name))
            continue;
        pd_diag *dg = PC_ERR(t->c, &v->span, PD_E0355, "this `%s` lacks `%s`, which has no default",
                             rec->name, rec->fields[i].name);
        pd_note_add(t->c->d, dg, &rec->fields[i].span, "`%s` is declared here", rec->fields[i].name);
    }
}

/* ---- examples -------------------------------------------------------------------- */

static bool pc_find_example(pc_tctx *t, const char *name, const ps_span *use, uint32_t *index)
{
    if (pc_names_get(&t->examples, name, index))
        return true;
    pd_diag *dg = PC_ERR(t->c, use, PD_E0351, "unknown example `%s`", name);
    pc_suggest s;
    pc_suggest_init(&s, name);
    for (uint32_t i = 0; i < t->nex; i++)
        pc_suggest_offer(&s, t->ex[i]->name);
    if (pc_suggest_result(&s)) {
        pd_note_add(t->c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(t->c->d, dg, pc_suggest_result(&s));
    } else {
        pd_note_add(t->c->d, dg, NULL, "declare it with `example %s = { ... }`", name);
    }
    return false;
}

/* Follows `base with` links from example i; an example that reaches itself
 * is reported once, at the link that closes the loop. */
static void pc_walk_example(pc_tctx *t, uint32_t i)
{
    if (t->state[i] == 2)
        return;
    const pa_facts_ref *f = &t->ex[i]->u.example.facts;
    t->state[i] = 1;
    uint32_t b;
    if (f->base && pc_find_example(t, f->base, &f->base_span, &b)) {
        if (t->state[b] == 1) {
            pd_diag *dg = PC_ERR(t->c, &f->base_span, PD_E0352,
                                 "example `%s` is built on itself through `%s`", t->ex[i]->name, f->base);
            pd_note_add(t->c->d, dg, &t->ex[b]->name_span, "`%s` is declared here", f->base);
        } else {
            pc_walk_example(t, b);
        }
    }
    t->state[i] = 2;
}

/* Whether the facts of `f` (its own entries, then its bases') give `name`. */
static bool pc_ref_gives(const pc_tctx *t, const pa_facts_ref *f, const char *name)
{
    for (uint32_t hops = 0; f && hops <= t->nex; hops++) {
        if (f->with && pc_entry(f->with, name))
            return true;
        uint32_t b;
        if (!f->base || !pc_names_get(&t->examples, f->base, &b))
            return false;
        f = &t->ex[b]->u.example.facts;
    }
    return false;
}

static void pc_check_given(pc_tctx *t, const pa_facts_ref *f)
{
    uint32_t b;
    bool known = !f->base || pc_find_example(t, f->base, &f->base_span, &b);
    if (f->with)
        pc_check_entries(t, f->with, 0, false);
    if (!known || t->no_facts)
        return; /* what the unknown example would give is unknown too */
    const pc_record *facts = &t->c->p->records[0];
    for (uint32_t i = 0; i < facts->nfields; i++) {
        const pc_field *fd = &facts->fields[i];
        if (fd->def != PB_DEF_REQUIRED || pc_ref_gives(t, f, fd->name))
            continue;
        pd_diag *dg = PC_ERR(t->c, &f->span, PD_E0355, "these facts lack `%s`, which has no default",
                             fd->name);
        pd_note_add(t->c->d, dg, &fd->span, "`%s` is declared here", fd->name);
    }
}

/* ---- expectations ------------------------------------------------------------------ */

static const pa_decl *pc_find_program(pc_tctx *t, const pa_expect *x)
{
    uint32_t i;
    if (pc_names_get(t->ids, x->program, &i))
        return t->c->p->progs[i];
    pd_diag *dg = PC_ERR(t->c, &x->program_span, PD_E0364, "unknown program `%s`", x->program);
    pc_suggest s;
    pc_suggest_init(&s, x->program);
    for (uint32_t k = 0; k < t->c->p->nprogs; k++)
        pc_suggest_offer(&s, t->c->p->progs[k]->name);
    if (pc_suggest_result(&s)) {
        pd_note_add(t->c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(t->c->d, dg, pc_suggest_result(&s));
    }
    return NULL;
}

/* `closed` and `not yet open` are a window's statuses: a program none of
 * whose versions has one can never give them, so the test could only fail. */
static void pc_check_window_expect(pc_tctx *t, const pa_expect *x, const pa_decl *prog)
{
    if (x->kind != PA_X_CLOSED && x->kind != PA_X_NOT_YET_OPEN)
        return;
    for (uint32_t k = 0; k < t->c->p->nprogs; k++) {
        const pa_decl *v = t->c->p->progs[k];
        if (strcmp(v->name, prog->name) == 0 && v->u.program.window.given)
            return;
    }
    pd_diag *dg = PC_ERR(t->c, &x->span, PD_E0358,
                         "program `%s` has no enrolment window, so it is never %s", prog->name,
                         x->kind == PA_X_CLOSED ? "closed" : "not yet open");
    pd_note_add(t->c->d, dg, &prog->name_span, "the program is declared here");
    pd_note_add(t->c->d, dg, NULL,
                "give it one in its header (`enrolment open from D until D`), or expect `withdrawn` or "
                "`not yet in force` for a version out of force");
}

/* A label of a top-level requirement of the given role in any version of
 * the program. */
static bool pc_has_label(const pc_tctx *t, const char *prog, pa_role role, const char *label,
                         pc_suggest *s)
{
    for (uint32_t k = 0; k < t->c->p->nprogs; k++) {
        const pa_decl *d = t->c->p->progs[k];
        if (strcmp(d->name, prog) != 0)
            continue;
        for (const pa_req *r = d->u.program.reqs; r; r = r->next) {
            if (r->role != role)
                continue;
            if (strcmp(r->label, label) == 0)
                return true;
            pc_suggest_offer(s, r->label);
        }
    }
    return false;
}

/* Each label once, and each one a real label of that role. */
static void pc_check_labels(pc_tctx *t, const pa_expect *x, const pa_label *labels, pa_role role)
{
    static const char *const what[] = {
        [PA_REQUIRE] = "requirement", [PA_PREFER] = "preference", [PA_ADVISE] = "advice",
    };
    static const char *const note[] = {
        [PA_REQUIRE] = "`unmet` lists the labels of the program's `require`s",
        [PA_PREFER] = "`prefer unmet` lists the labels of the program's `prefer`s",
        [PA_ADVISE] = "`advise` lists the texts of the program's `advise` notes",
    };
    for (const pa_label *l = labels; l; l = l->next) {
        for (const pa_label *e = labels; e != l; e = e->next)
            if (strcmp(e->text, l->text) == 0) {
                pd_diag *dg = PC_ERR(t->c, &l->span, PD_E0366, "\"%s\" is listed twice", l->text);
                pd_note_add(t->c->d, dg, &e->span, "first listed here");
                break;
            }
        pc_suggest s;
        pc_suggest_init(&s, l->text);
        if (pc_has_label(t, x->program, role, l->text, &s))
            continue;
        pd_diag *dg = PC_ERR(t->c, &l->span, PD_E0365, "program `%s` has no %s \"%s\"", x->program,
                             what[role], l->text);
        static const char *const clause[] = {
            [PA_REQUIRE] = "unmet", [PA_PREFER] = "prefer unmet", [PA_ADVISE] = "advise",
        };
        pc_suggest other;
        pc_suggest_init(&other, l->text);
        bool elsewhere = false;
        for (pa_role o = PA_REQUIRE; o <= PA_ADVISE; o++) {
            if (o == role || !pc_has_label(t, x->program, o, l->text, &other))
                continue;
            elsewhere = true;
            pd_note_add(t->c->d, dg, NULL, "\"%s\" labels %s of `%s`: list it after `%s`", l->text,
                        o == PA_REQUIRE ? "a `require`" : o == PA_PREFER ? "a `prefer`" : "an `advise`",
                        x->program, clause[o]);
        }
        if (!elsewhere && pc_suggest_result(&s))
            pd_note_add(t->c->d, dg, NULL, "did you mean \"%s\"?", pc_suggest_result(&s));
        pd_note_add(t->c->d, dg, NULL, "%s", note[role]);
    }
}

/* ---- value expectations ------------------------------------------------------------ */

/* The types a test can write as a literal value: not lists, sets or records. */
static bool pc_writable(pb_type t)
{
    return t.kind == PB_T_INT || t.kind == PB_T_NUM || t.kind == PB_T_TEXT || t.kind == PB_T_DATE ||
           t.kind == PB_T_BOOL;
}

static bool pc_value_fits(const pa_value *v, pb_type t)
{
    switch (v->kind) {
    case PA_V_NONE: return t.optional;
    case PA_V_INT: return t.kind == PB_T_INT || t.kind == PB_T_NUM;
    case PA_V_NUM: return t.kind == PB_T_NUM;
    case PA_V_TEXT: return t.kind == PB_T_TEXT;
    case PA_V_DATE: return t.kind == PB_T_DATE;
    case PA_V_BOOL: return t.kind == PB_T_BOOL;
    default: return false;
    }
}

static const pc_define *pc_find_define(pc_tctx *t, const pa_expect *x)
{
    uint32_t i;
    if (pc_names_get(&t->c->defs, x->program, &i))
        return &t->c->p->defs[i];
    pd_diag *dg = PC_ERR(t->c, &x->program_span, PD_E0380, "unknown definition `%s`", x->program);
    pc_suggest s;
    pc_suggest_init(&s, x->program);
    for (uint32_t k = 0; k < t->c->p->ndefs; k++)
        pc_suggest_offer(&s, t->c->p->defs[k].decl->name);
    if (pc_suggest_result(&s)) {
        pd_note_add(t->c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(t->c->d, dg, pc_suggest_result(&s));
    } else if (pc_names_get(&t->c->facts, x->program, &i)) {
        pd_note_add(t->c->d, dg, NULL, "`%s` is a field of the facts: the test gives it with `given`",
                    x->program);
    } else if (pc_names_get(t->ids, x->program, &i)) {
        pd_note_add(t->c->d, dg, NULL, "`%s` is a program: write `expect %s eligible` or `expect %s "
                    "not eligible`", x->program, x->program, x->program);
    } else {
        pd_note_add(t->c->d, dg, NULL, "`expect NAME = value` checks the value of a `define`");
    }
    return NULL;
}

/* The arguments written against the definition's parameters: as many, in
 * the same words as a call in the rules. */
static bool pc_value_arity(pc_tctx *t, const pa_expect *x, const pc_define *def)
{
    const char *name = x->program;
    bool has_params = def->decl->u.define.has_params;
    pd_diag *dg = NULL;
    if (!has_params && x->has_args)
        dg = PC_ERR(t->c, &x->program_span, PD_E0381,
                    "`%s` is a value, not a function; write `expect %s = ...` without parentheses", name, name);
    else if (has_params && !x->has_args)
        dg = PC_ERR(t->c, &x->program_span, PD_E0381, "`%s` needs %u argument%s: write `expect %s(...) = ...`",
                    name, def->nparams, def->nparams == 1 ? "" : "s", name);
    else if (x->nargs != def->nparams)
        dg = PC_ERR(t->c, &x->program_span, PD_E0381, "`%s` takes %u argument%s, but %u %s given", name,
                    def->nparams, def->nparams == 1 ? "" : "s", x->nargs, x->nargs == 1 ? "is" : "are");
    if (dg)
        pd_note_add(t->c->d, dg, &def->decl->name_span, "`%s` is defined here", name);
    return !dg;
}

/* One literal against the type it stands for; `what` names it in messages
 * ("argument 2 of `f`", "`f`"), `decl` is where that type is declared. */
static void pc_value_of(pc_tctx *t, const pa_value *v, pb_type ty, const char *what, bool result,
                        const ps_span *decl, const char *decl_note)
{
    char b[64];
    if (ty.kind == PB_T_VOID)
        return; /* its declaration was reported */
    if (!pc_writable(ty)) {
        pd_diag *dg = PC_ERR(t->c, &v->span, PD_E0383, "%s %s %s, which a test cannot write as a value",
                             what, result ? "gives" : "is", pc_type_name(t->c, ty, b, sizeof b));
        pd_note_add(t->c->d, dg, decl, "%s", decl_note);
        pd_note_add(t->c->d, dg, NULL, "`expect` compares integers, numbers, texts, dates and true or "
                    "false; test a definition over it that gives one of these");
        return;
    }
    if (pc_value_fits(v, ty))
        return;
    pd_diag *dg = PC_ERR(t->c, &v->span, PD_E0382, "%s %s %s, but this is %s", what,
                         result ? "gives" : "must be", pc_type_name(t->c, ty, b, sizeof b), pc_value_what(v));
    pd_note_add(t->c->d, dg, decl, "%s", decl_note);
    if (v->kind == PA_V_NONE)
        pd_note_add(t->c->d, dg, NULL, "only a type that ends in `?` may be none");
    else if (ty.kind == PB_T_DATE)
        pd_note_add(t->c->d, dg, NULL, "write a date without quotes: 2026-11-23");
    else if (ty.kind == PB_T_INT && v->kind == PA_V_NUM)
        pd_note_add(t->c->d, dg, NULL, "an integer is written without a decimal point");
}

/* `expect NAME = v`, `expect NAME(args) = v`: a real definition, its
 * arguments and the expected value each of its parameter or result type. */
static void pc_check_value_expect(pc_tctx *t, const pa_expect *x)
{
    const pc_define *def = pc_find_define(t, x);
    if (!def || !pc_value_arity(t, x, def))
        return;
    const pa_param *pp = def->decl->u.define.params;
    uint32_t i = 0;
    for (const pa_value *a = x->args; a && pp; a = a->next, pp = pp->next, i++) {
        char what[96];
        char note[96];
        snprintf(what, sizeof what, "argument %u of `%s`", i + 1, x->program);
        snprintf(note, sizeof note, "parameter `%s` is declared here", pp->name);
        pc_value_of(t, a, def->params[i], what, false, &pp->span, note);
        if (def->params[i].kind == PB_T_TEXT)
            pc_check_known_value(t->c, def->param_known[i], a);
    }
    char what[80], note[96];
    snprintf(what, sizeof what, "`%s`", x->program);
    snprintf(note, sizeof note, "`%s` is defined here", x->program);
    if (x->value)
        pc_value_of(t, x->value, def->result, what, true, &def->decl->name_span, note);
    if (x->value && x->value->not_known)
        pc_check_known_value(t->c, 0, x->value);
}

static void pc_check_expect(pc_tctx *t, const pa_expect *x)
{
    if (x->kind == PA_X_VALUE) {
        pc_check_value_expect(t, x);
        return;
    }
    const pa_decl *prog = pc_find_program(t, x);
    if (!prog)
        return;
    pc_check_window_expect(t, x, prog);
    pc_check_labels(t, x, x->unmet, PA_REQUIRE);
    pc_check_labels(t, x, x->pref, PA_PREFER);
    pc_check_labels(t, x, x->advice, PA_ADVISE);
    for (const pa_label *l = x->awaiting; l; l = l->next)
        pc_check_awaiting_label(t->c, x->program, l);
}

static void pc_check_test(pc_tctx *t, const pa_decl *d, pc_names *titles)
{
    uint32_t old;
    if (d->name[0] == '\0')
        PC_ERR(t->c, &d->name_span, PD_E0360, "a test needs a title that says what it checks");
    else if (!pc_names_add(titles, d->name, 0, &old)) {
        if (old == UINT32_MAX)
            t->c->d->oom = true; /* the duplicate check could not be made */
        else
            PC_ERR(t->c, &d->name_span, PD_E0360, "another test is already called \"%s\"", d->name);
    }
    if (!d->u.test.has_as_of)
        PC_ERR(t->c, &d->name_span, PD_E0361,
               "test \"%s\" needs an evaluation date: `as of 2026-11-23`", d->name);
    if (!d->u.test.has_given)
        PC_ERR(t->c, &d->name_span, PD_E0362,
               "test \"%s\" needs the coach's facts: `given NAME`, `given { ... }` or `given NAME "
               "with { ... }`", d->name);
    else
        pc_check_given(t, &d->u.test.given);
    if (!d->u.test.expects && !d->u.test.expects_written)
        PC_ERR(t->c, &d->name_span, PD_E0363,
               "test \"%s\" expects nothing: add `expect PROGRAM eligible` or `expect PROGRAM not "
               "eligible`", d->name);
    for (const pa_expect *x = d->u.test.expects; x; x = x->next)
        pc_check_expect(t, x);
}

static bool pc_collect_examples(pc_tctx *t, const pa_decl *decls)
{
    for (const pa_decl *d = decls; d; d = d->next)
        t->nex += d->kind == PA_D_EXAMPLE;
    t->ex = pm_alloc(t->c->arena, sizeof *t->ex * (t->nex ? t->nex : 1));
    t->state = pm_alloc(t->c->arena, t->nex ? t->nex : 1);
    if (!t->ex || !t->state)
        return false;
    uint32_t n = 0, old;
    for (const pa_decl *d = decls; d; d = d->next) {
        if (d->kind != PA_D_EXAMPLE)
            continue;
        if (!pc_names_add(&t->examples, d->name, n, &old)) {
            if (old == UINT32_MAX)
                return false;
            pd_diag *dg = PC_ERR(t->c, &d->name_span, PD_E0350, "example `%s` is declared twice", d->name);
            pd_note_add(t->c->d, dg, &t->ex[old]->name_span, "first declared here");
        }
        t->ex[n++] = d;
    }
    return true;
}

void pc_check_tests(pc_ctx *c, const pa_decl *decls, const pc_names *ids)
{
    pc_tctx t = {.c = c, .ids = ids};
    /* Without a `facts` declaration (reported already) there is nothing to
     * check the values against. */
    t.no_facts = !c->p->has_facts;
    pc_names_init(&t.examples, c->arena);
    if (!pc_collect_examples(&t, decls)) {
        c->d->oom = true;
        return;
    }
    for (uint32_t i = 0; i < t.nex; i++) {
        pc_walk_example(&t, i);
        if (t.ex[i]->u.example.facts.with)
            pc_check_entries(&t, t.ex[i]->u.example.facts.with, 0, false);
    }
    pc_names titles;
    pc_names_init(&titles, c->arena);
    for (const pa_decl *d = decls; d; d = d->next)
        if (d->kind == PA_D_TEST)
            pc_check_test(&t, d, &titles);
}
