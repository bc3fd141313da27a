/* PW101-PW103: declarations nothing uses. A declaration is used when any
 * expression, type, test, example or program of the compilation refers to
 * it (a definition used only by an unused definition still counts).
 * Reported only for declarations of the root, and only when the root
 * declares a program: a shared library file (coach.pw) is used in part by
 * each rule set that includes it, and a test file declares no program. */
/* realpath is an XSI interface; the build asks only for POSIX. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"
#include "util/assert.h"

/* One file's declaration used from another file. */
typedef struct pl_file_use {
    uint32_t to, from;
} pl_file_use;

typedef struct pl_usage {
    pl_ctx *c;
    bool *defs;            /* per definition */
    bool **fields;         /* per record, per field: read by an expression */
    bool *records;         /* per record: the type of some field */
    bool *known;           /* per known list */
    pl_file_use *uses;     /* malloc'd */
    uint32_t nuses, cap;
} pl_usage;

static void pl_use_file(pl_usage *u, uint32_t to, uint32_t from)
{
    if (to == from)
        return;
    for (uint32_t i = 0; i < u->nuses; i++)
        if (u->uses[i].to == to && u->uses[i].from == from)
            return;
    if (u->nuses == u->cap) {
        uint32_t cap = u->cap ? u->cap * 2 : 16;
        pl_file_use *uses = realloc(u->uses, sizeof *uses * cap);
        if (!uses) {
            u->c->oom = true;
            return;
        }
        u->uses = uses;
        u->cap = cap;
    }
    u->uses[u->nuses++] = (pl_file_use){to, from};
}

/* ---- what expressions and types use ----------------------------------------------------- */

static void pl_use_expr(pl_usage *u, const pa_expr *e, uint32_t from);

static void pl_use_ref(pl_usage *u, const pa_expr *e, uint32_t from)
{
    const pc_program *p = u->c->p;
    if (e->ref == PA_REF_DEFINE && PU_ALWAYS(e->ref_index < p->ndefs)) {
        u->defs[e->ref_index] = true;
        pl_use_file(u, p->defs[e->ref_index].decl->span.file, from);
    } else if (e->kind == PA_E_NAME && e->ref == PA_REF_FACT &&
               PU_ALWAYS(p->nrecords && e->ref_index < p->records[0].nfields)) {
        u->fields[0][e->ref_index] = true;
        pl_use_file(u, p->records[0].fields[e->ref_index].span.file, from);
    }
}

typedef struct pl_use_walk {
    pl_usage *u;
    uint32_t from;
} pl_use_walk;

static void pl_use_child(void *w, const pa_expr *e)
{
    const pl_use_walk *x = w;
    pl_use_expr(x->u, e, x->from);
}

static void pl_use_expr(pl_usage *u, const pa_expr *e, uint32_t from)
{
    if (!e)
        return;
    const pc_program *p = u->c->p;
    if (e->kind == PA_E_NAME || e->kind == PA_E_CALL)
        pl_use_ref(u, e, from);
    if (e->kind == PA_E_FIELD && e->u.field.obj->type.kind == PB_T_ELEM &&
        PU_ALWAYS(e->ref_rec < p->nrecords && e->ref_index < p->records[e->ref_rec].nfields)) {
        u->fields[e->ref_rec][e->ref_index] = true;
        pl_use_file(u, p->records[e->ref_rec].span.file, from);
    }
    pl_use_walk w = {u, from};
    pa_each_child(e, pl_use_child, &w);
}

static const pa_decl *pl_find_decl(const pl_ctx *c, pa_decl_kind kind, const char *name);

static void pl_use_reqs(pl_usage *u, const pa_req *r, uint32_t from)
{
    for (; r; r = r->next) {
        pl_use_expr(u, r->cond, from);
        /* `citing NAME` uses the file that declares the source. */
        const pa_decl *s = r->cite_name ? pl_find_decl(u->c, PA_D_SOURCE, r->cite_name) : NULL;
        if (s)
            pl_use_file(u, s->span.file, from);
        /* A copy of a `requirements` block's requirement uses the block's file. */
        if (r->shared)
            pl_use_file(u, r->span.file, from);
        pl_use_reqs(u, r->members, from);
    }
}

/* `list of R` and `text in K` in a field's or a parameter's type. */
/* A program uses what its requirements and its `valid until` name. */
static void pl_use_program(pl_usage *u, const pa_decl *d)
{
    pl_use_reqs(u, d->u.program.reqs, d->span.file);
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
        if (a->valid_until)
            pl_use_expr(u, a->valid_until, d->span.file);
}

/* `extend facts|record|known NAME` uses the file that declares NAME. */
static void pl_use_extend(pl_usage *u, const pa_decl *d)
{
    const pc_program *p = u->c->p;
    if (d->u.extend.what == PA_D_KNOWN) {
        for (uint32_t i = 0; i < p->nknown; i++)
            if (strcmp(p->known[i].decl->name, d->name) == 0)
                pl_use_file(u, p->known[i].decl->span.file, d->span.file);
        return;
    }
    for (uint32_t r = 0; r < p->nrecords; r++)
        if ((r == 0) == (d->u.extend.what == PA_D_FACTS) && strcmp(p->records[r].name, d->name) == 0)
            pl_use_file(u, p->records[r].span.file, d->span.file);
}

static void pl_use_type(pl_usage *u, pb_type type, uint32_t known, uint32_t from)
{
    const pc_program *p = u->c->p;
    if (type.kind == PB_T_LIST && PU_ALWAYS(type.rec < p->nrecords)) {
        u->records[type.rec] = true;
        pl_use_file(u, p->records[type.rec].span.file, from);
    }
    if (known && PU_ALWAYS(known <= p->nknown)) {
        u->known[known - 1] = true;
        pl_use_file(u, p->known[known - 1].decl->span.file, from);
    }
}

static void pl_use_types(pl_usage *u)
{
    const pc_program *p = u->c->p;
    for (uint32_t r = 0; r < p->nrecords; r++)
        for (uint32_t i = 0; i < p->records[r].nfields; i++) {
            const pc_field *f = &p->records[r].fields[i];
            pl_use_type(u, f->type, f->known, f->span.file);
        }
    for (uint32_t d = 0; d < p->ndefs; d++)
        for (uint32_t i = 0; i < p->defs[d].nparams; i++)
            pl_use_type(u, p->defs[d].params[i], p->defs[d].param_known[i], p->defs[d].decl->span.file);
}

/* ---- tests and examples -------------------------------------------------------------------- */

static const pa_decl *pl_find_decl(const pl_ctx *c, pa_decl_kind kind, const char *name)
{
    for (const pa_decl *d = c->tree->decls; d; d = d->next)
        if (d->kind == kind && d->name && strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

static void pl_use_facts_ref(pl_usage *u, const pa_facts_ref *ref, uint32_t from, const pa_decl **used,
                             uint32_t *nused)
{
    const pa_decl *ex = ref->base ? pl_find_decl(u->c, PA_D_EXAMPLE, ref->base) : NULL;
    if (!ex)
        return;
    used[(*nused)++] = ex;
    pl_use_file(u, ex->span.file, from);
}

/* Examples referred to by tests and other examples (into used[]); the
 * programs tests expect something of. */
static void pl_use_tests(pl_usage *u, const pa_decl **used, uint32_t *nused)
{
    for (const pa_decl *d = u->c->tree->decls; d; d = d->next) {
        uint32_t from = d->span.file;
        if (d->kind == PA_D_EXAMPLE)
            pl_use_facts_ref(u, &d->u.example.facts, from, used, nused);
        if (d->kind != PA_D_TEST)
            continue;
        if (PU_ALWAYS(d->u.test.has_given))
            pl_use_facts_ref(u, &d->u.test.given, from, used, nused);
        for (const pa_expect *x = d->u.test.expects; x; x = x->next) {
            const pa_decl *prog = pl_find_decl(u->c, x->kind == PA_X_VALUE ? PA_D_DEFINE : PA_D_PROGRAM,
                                               x->program);
            if (PU_ALWAYS(prog))
                pl_use_file(u, prog->span.file, from);
        }
    }
}

/* ---- PW101, PW102 ------------------------------------------------------------------------- */

static void pl_unused_defines(pl_usage *u)
{
    pl_ctx *c = u->c;
    for (uint32_t i = 0; i < c->p->ndefs; i++) {
        const pa_decl *d = c->p->defs[i].decl;
        if (!u->defs[i] && pl_in_root(c, d->name_span))
            pl_report(c, "PW101", &d->name_span, "definition `%s` is never used", d->name);
    }
    for (uint32_t i = 0; i < c->p->nknown; i++) {
        const pa_decl *d = c->p->known[i].decl;
        if (!u->known[i] && pl_in_root(c, d->name_span))
            pl_report(c, "PW101", &d->name_span, "known list `%s` is never used: no field or parameter is "
                                                 "declared `text in %s`", d->name, d->name);
    }
}

static bool pl_cites(const pa_req *r, const char *name)
{
    for (; r; r = r->next)
        if ((r->cite_name && strcmp(r->cite_name, name) == 0) || pl_cites(r->members, name))
            return true;
    return false;
}

/* A `source` no requirement cites by name. */
static void pl_unused_sources(pl_usage *u)
{
    pl_ctx *c = u->c;
    for (const pa_decl *d = c->tree->decls; d; d = d->next) {
        if (d->kind != PA_D_SOURCE || !pl_in_root(c, d->name_span))
            continue;
        bool cited = false;
        for (const pa_decl *q = c->tree->decls; q && !cited; q = q->next)
            cited = (q->kind == PA_D_PROGRAM && pl_cites(q->u.program.reqs, d->name)) ||
                    (q->kind == PA_D_REQUIREMENTS &&
                     ((q->u.block.cite_name && strcmp(q->u.block.cite_name, d->name) == 0) ||
                      pl_cites(q->u.block.reqs, d->name)));
        if (!cited)
            pl_report(c, "PW101", &d->name_span, "source `%s` is never cited: no requirement says "
                                                 "`citing %s`", d->name, d->name);
    }
}

static bool pl_uses_block(const pa_req *r, const char *name)
{
    for (; r; r = r->next)
        if (r->group == PA_USE && r->use && strcmp(r->use, name) == 0)
            return true;
    return false;
}

/* A `requirements` block no program or other block uses. (The checker
 * replaced the uses in programs by copies; a block's own list keeps them.
 * A copy's span is in its block: one inside the block's braces counts.) */
static void pl_unused_blocks(pl_usage *u)
{
    pl_ctx *c = u->c;
    for (const pa_decl *d = c->tree->decls; d; d = d->next) {
        if (d->kind != PA_D_REQUIREMENTS || !pl_in_root(c, d->name_span))
            continue;
        bool used = false;
        for (const pa_decl *q = c->tree->decls; q && !used; q = q->next) {
            if (q->kind == PA_D_REQUIREMENTS)
                used = pl_uses_block(q->u.block.reqs, d->name);
            else if (q->kind == PA_D_PROGRAM)
                for (const pa_req *r = q->u.program.reqs; r && !used; r = r->next)
                    used = r->shared && r->span.file == d->span.file && r->span.start >= d->span.start &&
                           r->span.end <= d->span.end;
        }
        if (!used)
            pl_report(c, "PW101", &d->name_span, "requirements `%s` are never used: no program says "
                                                 "`require %s`", d->name, d->name);
    }
}

static void pl_unused_examples(pl_usage *u, const pa_decl **used, uint32_t nused)
{
    pl_ctx *c = u->c;
    for (const pa_decl *d = c->tree->decls; d; d = d->next) {
        if (d->kind != PA_D_EXAMPLE || !pl_in_root(c, d->name_span))
            continue;
        bool found = false;
        for (uint32_t i = 0; i < nused && !found; i++)
            found = used[i] == d;
        if (!found)
            pl_report(c, "PW101", &d->name_span, "example `%s` is never used by a test or another example",
                      d->name);
    }
}

/* The facts record's `id` is read by `pathway eval`, which echoes it. */
static bool pl_echoed(uint32_t rec, const pc_field *f)
{
    return rec == 0 && strcmp(f->name, "id") == 0;
}

static void pl_unused_fields(pl_usage *u)
{
    pl_ctx *c = u->c;
    for (uint32_t r = 0; r < c->p->nrecords; r++) {
        const pc_record *rec = &c->p->records[r];
        if (!pl_in_root(c, rec->span)) {
            /* Fields the root adds to a record of another file (`extend`). */
            for (uint32_t i = 0; i < rec->nfields; i++)
                if (!u->fields[r][i] && pl_in_root(c, rec->fields[i].span))
                    pl_report(c, "PW102", &rec->fields[i].span, "field `%s` of %s `%s` is never read",
                              rec->fields[i].name, r == 0 ? "facts" : "record", rec->name);
            continue;
        }
        uint32_t read = 0;
        for (uint32_t i = 0; i < rec->nfields; i++)
            read += u->fields[r][i];
        if (r != 0 && read == 0 && rec->nfields > 0) {
            pl_report(c, "PW102", &rec->span, "no field of record `%s` is ever read", rec->name);
            continue;
        }
        for (uint32_t i = 0; i < rec->nfields; i++)
            if (!u->fields[r][i] && !pl_echoed(r, &rec->fields[i]) && pl_in_root(c, rec->fields[i].span))
                pl_report(c, "PW102", &rec->fields[i].span, "field `%s` of %s `%s` is never read",
                          rec->fields[i].name, r == 0 ? "facts" : "record", rec->name);
    }
}

/* ---- PW103 --------------------------------------------------------------------------------- */

/* The file an include names, as the parser resolved it. Out of memory
 * (c->oom), it is not found. */
static bool pl_include_target(pl_ctx *c, const pa_decl *inc, uint32_t *out)
{
    const ps_sources *src = c->src;
    const char *includer = src->files[inc->span.file].name, *path = inc->u.include.path;
    const char *slash = strrchr(includer, '/');
    size_t dir = path[0] != '/' && slash ? (size_t)(slash - includer) + 1 : 0;
    char *name = malloc(dir + strlen(path) + 1);
    if (!name) {
        c->oom = true;
        return false;
    }
    memcpy(name, includer, dir);
    strcpy(name + dir, path);
    errno = 0;
    char *real = realpath(name, NULL);
    if (!real && errno == ENOMEM)
        c->oom = true; /* else the file is matched by the name it was read under */
    bool found = false;
    for (uint32_t i = 0; i < src->nfiles && !found; i++) {
        found = strcmp(src->files[i].name, name) == 0 || (real && strcmp(src->files[i].path, real) == 0);
        if (found)
            *out = i;
    }
    free(real);
    free(name);
    return found;
}

/* The files an include brings in: the target and what it includes. */
static void pl_include_closure(pl_ctx *c, uint32_t target, bool *in)
{
    if (in[target])
        return;
    in[target] = true;
    for (const pa_decl *d = c->tree->decls; d; d = d->next) {
        uint32_t next;
        if (d->kind == PA_D_INCLUDE && d->span.file == target && pl_include_target(c, d, &next))
            pl_include_closure(c, next, in);
    }
}

/* An include is needed when the files only it brings in hold the facts
 * record or a program (they are part of the rule set whether or not
 * anything names them), or something a file outside them uses. */
static bool pl_include_used(const pl_usage *u, const bool *only)
{
    for (const pa_decl *d = u->c->tree->decls; d; d = d->next)
        if ((d->kind == PA_D_FACTS || d->kind == PA_D_PROGRAM) && only[d->span.file])
            return true;
    for (uint32_t i = 0; i < u->nuses; i++)
        if (only[u->uses[i].to] && !only[u->uses[i].from])
            return true;
    return false;
}

/* The files the include `inc` of the root brings in that no other include
 * of the root does: what removing it would remove. When other includes
 * bring them all, the include is redundant, which is not this check's
 * business: then all of them. */
static void pl_brought_only_by(pl_ctx *c, const pa_decl *inc, uint32_t target, bool *only, bool *others)
{
    uint32_t n = c->src->nfiles;
    memset(only, 0, sizeof *only * n);
    memset(others, 0, sizeof *others * n);
    pl_include_closure(c, target, only);
    for (const pa_decl *d = c->tree->decls; d; d = d->next) {
        uint32_t t;
        if (d != inc && d->kind == PA_D_INCLUDE && pl_in_root(c, d->span) && pl_include_target(c, d, &t) &&
            t != target)
            pl_include_closure(c, t, others);
    }
    bool any = false;
    for (uint32_t i = 0; i < n; i++) {
        bool mine = only[i];
        only[i] = mine && !others[i] && i != c->root;
        others[i] = mine; /* keep the whole closure for the fallback */
        any = any || only[i];
    }
    if (!any)
        memcpy(only, others, sizeof *only * n);
}

static void pl_unused_includes(pl_usage *u)
{
    pl_ctx *c = u->c;
    bool *only = malloc(sizeof *only * c->src->nfiles), *others = malloc(sizeof *others * c->src->nfiles);
    if (!only || !others) {
        free(only);
        free(others);
        c->oom = true;
        return;
    }
    for (const pa_decl *d = c->tree->decls; d; d = d->next) {
        uint32_t target;
        if (d->kind != PA_D_INCLUDE || !pl_in_root(c, d->span) || !pl_include_target(c, d, &target))
            continue;
        pl_brought_only_by(c, d, target, only, others);
        if (!pl_include_used(u, only)) {
            pd_diag *dg = pl_report(c, "PW103", &d->u.include.path_span,
                                    "nothing from \"%s\" is used", d->u.include.path);
            pl_note(c, dg, NULL, "no definition, field, record, known list, example or program that only this "
                                 "include brings in is used");
        }
    }
    free(only);
    free(others);
}

/* ---- the check ------------------------------------------------------------------------------ */

static bool pl_usage_init(pl_usage *u, pl_ctx *c)
{
    memset(u, 0, sizeof *u);
    u->c = c;
    const pc_program *p = c->p;
    u->defs = pl_alloc(c, sizeof *u->defs * (p->ndefs + 1));
    u->records = pl_alloc(c, sizeof *u->records * (p->nrecords + 1));
    u->known = pl_alloc(c, sizeof *u->known * (p->nknown + 1));
    u->fields = pl_alloc(c, sizeof *u->fields * (p->nrecords + 1));
    if (!u->defs || !u->records || !u->known || !u->fields)
        return false;
    for (uint32_t r = 0; r < p->nrecords; r++)
        if (!(u->fields[r] = pl_alloc(c, sizeof **u->fields * (p->records[r].nfields + 1))))
            return false;
    return true;
}

void pl_check_usage(pl_ctx *c)
{
    if (!c->root_has_program)
        return;
    pl_usage u;
    if (!pl_usage_init(&u, c))
        return;
    uint32_t ndecls = 0;
    for (const pa_decl *d = c->tree->decls; d; d = d->next) {
        ndecls++;
        if (d->kind == PA_D_DEFINE)
            pl_use_expr(&u, d->u.define.body, d->span.file);
        else if (d->kind == PA_D_PROGRAM)
            pl_use_program(&u, d);
        else if (d->kind == PA_D_EXTEND)
            pl_use_extend(&u, d);
    }
    pl_use_types(&u);
    const pa_decl **examples = pl_alloc(c, sizeof *examples * (2 * ndecls + 1));
    uint32_t nexamples = 0;
    if (examples)
        pl_use_tests(&u, examples, &nexamples);
    if (!c->oom) {
        pl_unused_defines(&u);
        pl_unused_sources(&u);
        pl_unused_blocks(&u);
        pl_unused_fields(&u);
        pl_unused_examples(&u, examples, nexamples);
        pl_unused_includes(&u);
    }
    free(u.uses);
}
