/* `extend`: a body's own fields and known values added to a record or a
 * known list that another file of the rule set declares (the shared coach
 * record, rules/common/coach.pw), without copying it.
 *
 *   extend known certificate_id with ["ussf-d", "ussf-c"]
 *   extend facts coach { licences: list of licence = [] }
 *   extend record certificate { issuer: text? = none }
 *
 * The added fields come after the declaration's own, in the order the
 * extensions are read (includes first, as everywhere), so every field the
 * declaration has keeps its place: code compiled against the shared file
 * reads the same slots. An extension only adds: a record that the
 * declaration accepted is still accepted, which is why an added field needs
 * a default (E0338). */
#include <stdio.h>
#include <string.h>

#include "../bc/bytecode.h"
#include "check_int.h"

/* E0339: the declaration is in the extension's own file. */
static void pc_same_file(pc_ctx *c, const pa_decl *ext, const ps_span *decl, const char *what)
{
    pd_diag *dg = PC_ERR(c, &ext->name_span, PD_E0339,
                         "`extend %s %s` in the file that declares `%s`", what, ext->name, ext->name);
    pd_note_add(c->d, dg, decl, "`%s` is declared here", ext->name);
    pd_note_add(c->d, dg, NULL, "`extend` adds to a declaration of another file (an included one); "
                                "here, add to the declaration itself");
}

/* ---- known lists --------------------------------------------------------------- */

static void pc_no_known(pc_ctx *c, const pa_decl *ext)
{
    pd_diag *dg = PC_ERR(c, &ext->name_span, PD_E0335, "no known list `%s` to extend", ext->name);
    pc_note_known_name(c, dg, ext->name, "a new list is declared with");
}

/* The list's values by text (to their index), so that a long list and a
 * long extension cost time in proportion to their lengths. */
static bool pc_known_names(pc_ctx *c, const pc_known *k, pc_names *names)
{
    pc_names_init(names, c->arena);
    uint32_t old;
    for (uint32_t i = 0; i < k->nvalues; i++)
        if (!pc_names_add(names, k->values[i]->u.str.s, i, &old) && old == UINT32_MAX) {
            c->d->oom = true;
            return false;
        }
    return true;
}

static void pc_extend_list(pc_ctx *c, pc_known *k, const pa_decl *ext)
{
    const pa_expr *list = ext->u.extend.values;
    if (list->kind != PA_E_LIST) {
        PC_ERR(c, &list->span, PD_E0370, "`extend known %s with` takes a list of texts in brackets, "
                                        "e.g. [\"ussf-d\", \"ussf-c\"]", ext->name);
        return;
    }
    if (list->u.list.nitems == 0) {
        pd_diag *dg = PC_ERR(c, &list->span, PD_E0346, "`extend known %s` adds no value", ext->name);
        pd_note_add(c->d, dg, NULL, "list the values to add, e.g. [\"ussf-d\"], or remove the extension");
        return;
    }
    const pa_expr **values = pm_alloc(c->arena, sizeof *values * (k->nvalues + list->u.list.nitems));
    if (!values) {
        c->d->oom = true;
        return;
    }
    if (k->nvalues)
        memcpy(values, k->values, sizeof *values * k->nvalues);
    k->values = values;
    pc_names names;
    if (!pc_known_names(c, k, &names))
        return;
    for (const pa_expr *e = list->u.list.items; e; e = e->next) {
        if (e->kind != PA_E_STR) {
            PC_ERR(c, &e->span, PD_E0371, "a known value is a text in quotes");
            continue;
        }
        uint32_t at;
        if (!pc_names_add(&names, e->u.str.s, k->nvalues, &at)) {
            if (at == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &e->span, PD_E0337, "\"%s\" is already a known value of `%s`",
                                 e->u.str.s, ext->name);
            pd_note_add(c->d, dg, &k->values[at]->span, "listed here");
            continue;
        }
        k->values[k->nvalues++] = e;
    }
}

void pc_extend_known(pc_ctx *c, const pa_decl *decls)
{
    for (const pa_decl *d = decls; d && !c->d->oom; d = d->next) {
        if (d->kind != PA_D_EXTEND || d->u.extend.what != PA_D_KNOWN)
            continue;
        uint32_t idx;
        if (!pc_names_get(&c->known, d->name, &idx)) {
            pc_no_known(c, d);
            continue;
        }
        pc_known *k = &c->p->known[idx];
        if (k->decl->span.file == d->span.file)
            pc_same_file(c, d, &k->decl->name_span, "known");
        pc_extend_list(c, k, d);
    }
}

/* ---- records --------------------------------------------------------------------- */

/* The record `extend facts|record NAME` names (its index), or false after
 * E0335 with what the author likely meant. */
static bool pc_extend_target(pc_ctx *c, const pa_decl *ext, uint32_t *idx)
{
    bool facts = ext->u.extend.what == PA_D_FACTS;
    const char *what = facts ? "facts" : "record";
    uint32_t r;
    if (pc_names_get(&c->records, ext->name, &r) && (r == 0) == facts && (r != 0 || c->p->has_facts)) {
        *idx = r;
        return true;
    }
    if (facts && !c->p->has_facts)
        return false; /* E0309 said it: there is no facts record */
    pd_diag *dg = PC_ERR(c, &ext->name_span, PD_E0335, "no %s `%s` to extend",
                         facts ? "facts record" : "record", ext->name);
    if (pc_names_get(&c->records, ext->name, &r)) {
        /* The other kind of record: say which word fits. */
        pd_note_add(c->d, dg, &c->p->records[r].span, "`%s` is %s: write `extend %s %s`", ext->name,
                    r == 0 ? "the facts record" : "a record", r == 0 ? "facts" : "record", ext->name);
        return false;
    }
    if (facts) {
        pd_note_add(c->d, dg, &c->p->records[0].span, "the facts record is `%s`", c->p->records[0].name);
        pd_set_fix(c->d, dg, c->p->records[0].name);
        return false;
    }
    pc_suggest s;
    pc_suggest_init(&s, ext->name);
    for (uint32_t i = 1; i < c->p->nrecords; i++)
        pc_suggest_offer(&s, c->p->records[i].name);
    if (pc_suggest_result(&s)) {
        pd_note_add(c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(c->d, dg, pc_suggest_result(&s));
    } else {
        pd_note_add(c->d, dg, NULL, "a new record is declared with `%s %s { ... }`", what, ext->name);
    }
    return false;
}

/* The fields of each record by name, made on a record's first extension. */
typedef struct pc_ext_names {
    pc_names *names;  /* per record */
    bool *ready;      /* per record: names holds its fields */
} pc_ext_names;

static pc_names *pc_record_names(pc_ctx *c, pc_ext_names *x, uint32_t r)
{
    if (x->ready[r])
        return &x->names[r];
    pc_names_init(&x->names[r], c->arena);
    uint32_t old;
    for (uint32_t i = 0; i < c->p->records[r].nfields; i++)
        if (!pc_names_add(&x->names[r], c->p->records[r].fields[i].name, i, &old) && old == UINT32_MAX) {
            c->d->oom = true;
            return NULL;
        }
    x->ready[r] = true;
    return &x->names[r];
}

/* The field as it would be written with a default, for E0338's note:
 * `licence_no: text? = none`, `licences: list of licence = []`. */
static const char *pc_with_default(pc_ctx *c, const pa_field *f)
{
    const pa_typeref *t = &f->type;
    const char *form = t->form == PA_TY_LIST ? "list of " : t->form == PA_TY_SET ? "set of " : "";
    const char *def = "none";
    bool question = t->form == PA_TY_NAMED;
    if (t->form != PA_TY_NAMED)
        def = "[]";
    else if (!t->optional && (strcmp(t->name, "integer") == 0 || strcmp(t->name, "number") == 0))
        def = "0", question = false;
    else if (!t->optional && strcmp(t->name, "boolean") == 0)
        def = "false", question = false;
    size_t n = strlen(f->name) + strlen(t->name) + (t->known ? strlen(t->known) : 0) + 32;
    char *text = pm_alloc(c->arena, n);
    if (!text) {
        c->d->oom = true;
        return "a default";
    }
    snprintf(text, n, "`%s: %s%s%s%s%s = %s`", f->name, form, t->name, question ? "?" : "",
             t->known ? " in " : "", t->known ? t->known : "", def);
    return text;
}

/* E0338: a field without a default, added to a record of another file. */
static void pc_required_field(pc_ctx *c, const pa_field *f, const pc_record *rec)
{
    pd_diag *dg = PC_ERR(c, &f->span, PD_E0338, "field `%s` added to `%s` needs a default", f->name,
                         rec->name);
    pd_note_add(c->d, dg, &rec->span,
                "`%s` is declared in another file: the facts, examples and tests written for it need not "
                "give `%s`, and an extension only adds to what a record accepts", rec->name, f->name);
    pd_note_add(c->d, dg, NULL, "give it a default, e.g. %s, so that a coach's JSON may leave it out",
                pc_with_default(c, f));
}

/* Appends the fields of one extension to record r. */
static void pc_extend_fields(pc_ctx *c, pc_ext_names *x, uint32_t r, const pa_decl *ext)
{
    pc_record *rec = &c->p->records[r];
    bool same_file = rec->span.file == ext->span.file;
    if (same_file)
        pc_same_file(c, ext, &rec->span, ext->u.extend.what == PA_D_FACTS ? "facts" : "record");
    uint32_t n = 0;
    for (const pa_field *f = ext->u.extend.fields; f; f = f->next)
        n++;
    if (n == 0) {
        pd_diag *dg = PC_ERR(c, &ext->name_span, PD_E0346, "`extend %s %s` adds no field",
                             ext->u.extend.what == PA_D_FACTS ? "facts" : "record", ext->name);
        pd_note_add(c->d, dg, NULL, "write the fields to add between the braces, e.g. `licences: list of "
                                    "licence = []`, or remove the extension");
        return;
    }
    pc_names *names = pc_record_names(c, x, r);
    pc_field *fields = pm_alloc(c->arena, sizeof *fields * (rec->nfields + n));
    if (!names || !fields) {
        c->d->oom = true;
        return;
    }
    if (rec->nfields)
        memcpy(fields, rec->fields, sizeof *fields * rec->nfields);
    rec->fields = fields;
    for (const pa_field *f = ext->u.extend.fields; f; f = f->next) {
        uint32_t old;
        if (!pc_names_add(names, f->name, rec->nfields, &old)) {
            if (old == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &f->span, PD_E0336, "`%s` already has a field `%s`", rec->name, f->name);
            pd_note_add(c->d, dg, &rec->fields[old].span, "`%s` is declared here", f->name);
            continue;
        }
        pc_add_field(c, rec, f);
        if (!f->def && !same_file) {
            pc_required_field(c, f, rec);
            /* Reported once: facts that leave it out are not errors too
             * (nothing runs after an error, so the default is never used). */
            rec->fields[rec->nfields - 1].def = PB_DEF_NONE;
        }
    }
}

void pc_extend_records(pc_ctx *c, const pa_decl *decls)
{
    pc_ext_names x = {NULL, NULL};
    for (const pa_decl *d = decls; d && !c->d->oom; d = d->next) {
        if (d->kind != PA_D_EXTEND || d->u.extend.what == PA_D_KNOWN)
            continue;
        uint32_t r;
        if (!pc_extend_target(c, d, &r))
            continue;
        if (!x.names) {
            x.names = pm_alloc(c->arena, sizeof *x.names * c->p->nrecords);
            x.ready = pm_alloc(c->arena, sizeof *x.ready * c->p->nrecords);
            if (!x.names || !x.ready) {
                c->d->oom = true;
                return;
            }
            memset(x.ready, 0, sizeof *x.ready * c->p->nrecords);
        }
        pc_extend_fields(c, &x, r, d);
    }
}
