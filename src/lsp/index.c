/* The index of a compilation (index.h): built from the checked tree while it
 * lives (pt_compile_tree_overlay's inspect), so that hover, go to
 * definition, find references and completion answer from plain data. Names
 * are resolved as the checker resolved them (pa_expr.ref), so a use in any
 * file of the compilation, includes too, leads to its declaration. */

/* realpath is an XSI interface; the build asks only for POSIX. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/tools.h"
#include "check/check.h"
#include "front/ast.h"
#include "front/parse.h"
#include "index.h"
#include "util/assert.h"
#include "util/buf.h"

enum { LS_HOVER_LINES = 8 };

typedef struct ls_build {
    ls_index *x;
    const pt_tree *tree;
    ls_lines *lines;     /* per file */
} ls_build;

/* ---- the string table ------------------------------------------------------------- */

static size_t ls_hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

size_t ls_map_get(const ls_map *m, const char *key)
{
    if (!m->cap)
        return SIZE_MAX;
    for (size_t i = ls_hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return SIZE_MAX;
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
    }
}

static bool ls_map_grow(ls_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    ls_map n = {calloc(cap, sizeof *n.keys), calloc(cap, sizeof *n.vals), cap, 0};
    if (!n.keys || !n.vals) {
        ls_map_fini(&n);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            ls_map_put(&n, m->keys[i], m->vals[i]);
    ls_map_fini(m);
    *m = n;
    return true;
}

bool ls_map_put(ls_map *m, const char *key, size_t val)
{
    if ((m->count + 1) * 2 > m->cap && !ls_map_grow(m))
        return false;
    size_t i = ls_hash(key) & (m->cap - 1);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = key;
    m->vals[i] = val;
    m->count++;
    return true;
}

void ls_map_fini(ls_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- growing arrays --------------------------------------------------------------- */

static bool ls_grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = realloc(*items, c * size);
    if (!p)
        return false;
    *items = p;
    *cap = c;
    return true;
}

static char *ls_strdup(ls_index *x, const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        x->oom = true;
    return d;
}

/* printf into a new string. */
static char *ls_printf(ls_index *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static char *ls_printf(ls_index *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s) {
        x->oom = true;
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static char *ls_take(ls_index *x, pu_buf *b)
{
    pu_buf_append(b, "", 0);
    if (b->oom) {
        x->oom = true;
        pu_buf_free(b);
        return NULL;
    }
    return b->data;
}

/* ---- places ----------------------------------------------------------------------- */

static ls_place ls_place_of(const ls_build *b, ps_span span)
{
    ls_place p = {span.file, span.start, span.end, {0, 0}, {0, 0}};
    p.a = ls_lines_pos(&b->lines[span.file], span.start);
    p.b = ls_lines_pos(&b->lines[span.file], span.end);
    return p;
}

/* The compilation's own spans: each names one of its files and lies within
 * that file's text (docs/robustness.md). */
static bool ls_span_ok(const ls_build *b, ps_span span)
{
    return PU_ALWAYS(span.file < b->x->nfiles && span.end >= span.start &&
                     span.end <= b->tree->src->files[span.file].len);
}

/* The source text of a span, up to LS_HOVER_LINES lines, into b. */
static void ls_quote(const ls_build *bd, ps_span span, pu_buf *b)
{
    if (!ls_span_ok(bd, span))
        return;
    const char *t = bd->tree->src->files[span.file].text;
    size_t end = span.start, lines = 0;
    while (end < span.end && lines < LS_HOVER_LINES)
        if (t[end++] == '\n')
            lines++;
    pu_buf_append(b, "```pathway\n", 11);
    pu_buf_append(b, t + span.start, end - span.start);
    if (end > span.start && t[end - 1] != '\n')
        pu_buf_append(b, "\n", 1);
    if (end < span.end)
        pu_buf_append(b, "...\n", 4);
    pu_buf_append(b, "```\n", 4);
}

/* The whole line of a span's start. */
static ps_span ls_line_span(const ls_build *bd, ps_span span)
{
    const ps_file *f = &bd->tree->src->files[span.file];
    uint32_t a = span.start, e = span.start;
    while (a > 0 && f->text[a - 1] != '\n')
        a--;
    while (a < e && (f->text[a] == ' ' || f->text[a] == '\t'))
        a++;
    while (e < f->len && f->text[e] != '\n')
        e++;
    return (ps_span){span.file, a, e};
}

/* ---- entities and uses ------------------------------------------------------------ */

static size_t ls_find_key(const ls_index *x, const char *key)
{
    return ls_map_get(&x->by_key, key);
}

static void ls_use_add(ls_build *b, size_t ent, ps_span span)
{
    ls_index *x = b->x;
    if (ent == SIZE_MAX || !ls_span_ok(b, span))
        return;
    if (!ls_grow((void **)&x->uses, &x->cap_uses, x->nuses, sizeof *x->uses)) {
        x->oom = true;
        return;
    }
    x->uses[x->nuses++] = (ls_use){ent, ls_place_of(b, span)};
}

/* Declares an entity (or, for a key already declared, as a program's later
 * version, adds a use); takes key, hover and detail. Its index. */
static size_t ls_declare(ls_build *b, char *key, const char *name, ls_kind kind, ps_span at,
                         char *hover, char *detail)
{
    ls_index *x = b->x;
    size_t i = key ? ls_find_key(x, key) : SIZE_MAX; /* no key: memory ran out (flagged) */
    bool add = key && i == SIZE_MAX && ls_span_ok(b, at);
    if (add && (!ls_grow((void **)&x->ents, &x->cap_ents, x->nents, sizeof *x->ents) ||
                !ls_map_put(&x->by_key, key, x->nents))) {
        x->oom = true;
        add = false;
    }
    if (!add) {
        free(key);
        free(hover);
        free(detail);
        if (i != SIZE_MAX)
            ls_use_add(b, i, at); /* a later version of a program: a use */
        return i;
    }
    i = x->nents++;
    memset(&x->ents[i], 0, sizeof x->ents[i]);
    x->ents[i].key = key;
    x->ents[i].name = ls_strdup(x, name);
    x->ents[i].kind = kind;
    x->ents[i].hover = hover;
    x->ents[i].detail = detail;
    x->ents[i].at = ls_place_of(b, at);
    ls_use_add(b, i, at);
    return i;
}

/* ---- declarations ----------------------------------------------------------------- */

static const pa_decl *ls_known_decl(const ls_build *b, const char *name)
{
    for (const pa_decl *d = b->tree->decls; d; d = d->next)
        if (d->kind == PA_D_KNOWN && d->name && strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

static void ls_field(ls_build *b, const char *record, const pa_field *f)
{
    pu_buf h = {0};
    ls_quote(b, ls_line_span(b, f->span), &h);
    pu_buf_printf(&h, "\nfield of `%s`\n", record);
    const pa_decl *k = f->type.known ? ls_known_decl(b, f->type.known) : NULL;
    if (k) {
        pu_buf_printf(&h, "\nknown values (`%s`):\n", k->name);
        ls_quote(b, k->span, &h);
    }
    size_t i = ls_declare(b, ls_printf(b->x, "f:%s.%s", record, f->name), f->name, LS_K_FIELD, f->span,
                          ls_take(b->x, &h), ls_printf(b->x, "%s.%s", record, f->name));
    if (i != SIZE_MAX && f->type.known && !b->x->ents[i].known)
        b->x->ents[i].known = ls_strdup(b->x, f->type.known);
}

static const char *ls_role_word(pa_role r)
{
    return r == PA_PREFER ? "prefer" : r == PA_ADVISE ? "advise" : "require";
}

static const char *ls_source_text(const ls_build *b, const char *name)
{
    for (const pa_decl *d = b->tree->decls; d; d = d->next)
        if (d->kind == PA_D_SOURCE && d->name && strcmp(d->name, name) == 0)
            return d->u.source.text;
    return NULL;
}

static void ls_reqs(ls_build *b, const char *owner, const pa_req *r, unsigned depth)
{
    if (depth > PW_MAX_NESTING)
        return; /* groups nested past the limit (E0205): not walked */
    for (; r; r = r->next) {
        if (r->shared || r->use) {
            continue;
        }
        if (r->label) {
            pu_buf h = {0};
            pu_buf_printf(&h, "**%s** \"%s\" (in `%s`)\n\n", ls_role_word(r->role), r->label, owner);
            const char *cite = r->cite ? r->cite : r->cite_name ? ls_source_text(b, r->cite_name) : NULL;
            if (cite)
                pu_buf_printf(&h, "citing%s%s: \"%s\"\n\n", r->cite_name ? " " : "",
                              r->cite_name ? r->cite_name : "", cite);
            ls_quote(b, r->span, &h);
            ls_declare(b, ls_printf(b->x, "r:%s:%s", owner, r->label), r->label, LS_K_REQUIREMENT,
                       r->label_span, ls_take(b->x, &h), ls_strdup(b->x, owner));
        }
        ls_reqs(b, owner, r->members, depth + 1);
    }
}

static void ls_program(ls_build *b, const pa_decl *d)
{
    pu_buf h = {0};
    pu_buf_printf(&h, "**%s**", d->u.program.title ? d->u.program.title : d->name);
    pu_buf_printf(&h, " (program `%s`)\n\n", d->name);
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next) {
        if (a->inherited || !a->value || !ls_span_ok(b, a->value->span))
            continue;
        const char *t = b->tree->src->files[a->value->span.file].text;
        pu_buf_printf(&h, "- %s %.*s\n", a->name, (int)(a->value->span.end - a->value->span.start),
                      t + a->value->span.start);
    }
    ls_declare(b, ls_printf(b->x, "p:%s", d->name), d->name, LS_K_PROGRAM, d->name_span, ls_take(b->x, &h),
               ls_strdup(b->x, d->u.program.title ? d->u.program.title : ""));
    ls_reqs(b, d->name, d->u.program.reqs, 0);
}

/* A declaration quoted as its hover. */
static size_t ls_quoted(ls_build *b, const pa_decl *d, const char *prefix, ls_kind kind, const char *what)
{
    pu_buf h = {0};
    ls_quote(b, d->span, &h);
    return ls_declare(b, ls_printf(b->x, "%s:%s", prefix, d->name), d->name, kind, d->name_span,
                      ls_take(b->x, &h), ls_strdup(b->x, what));
}

/* A definition: its text, and the known list of each parameter (`body:
 * text in membership_body`), for completion inside its calls. */
static void ls_define(ls_build *b, const pa_decl *d)
{
    size_t i = ls_quoted(b, d, "d", LS_K_DEFINE, "define");
    if (i == SIZE_MAX || b->x->ents[i].param_known || d->span.file != b->x->ents[i].at.file ||
        d->name_span.start != b->x->ents[i].at.start)
        return; /* not this declaration's entity */
    size_t n = 0;
    for (const pa_param *p = d->u.define.params; p; p = p->next)
        n++;
    ls_entity *e = &b->x->ents[i];
    if (n == 0 || !(e->param_known = calloc(n, sizeof *e->param_known))) {
        if (n > 0)
            b->x->oom = true; /* not `= n > 0`: that cleared an earlier failure */
        return;
    }
    for (const pa_param *p = d->u.define.params; p; p = p->next, e->nparams++)
        if (p->type.known)
            e->param_known[e->nparams] = ls_strdup(b->x, p->type.known);
}

static void ls_declarations(ls_build *b)
{
    for (const pa_decl *d = b->tree->decls; d; d = d->next) {
        if (d->kind != PA_D_INCLUDE && !d->name)
            continue;
        switch (d->kind) {
        case PA_D_FACTS:
        case PA_D_RECORD:
            ls_quoted(b, d, "t", LS_K_RECORD, d->kind == PA_D_FACTS ? "facts" : "record");
            for (const pa_field *f = d->u.record.fields; f; f = f->next)
                ls_field(b, d->name, f);
            break;
        case PA_D_EXTEND:
            for (const pa_field *f = d->u.extend.fields; f; f = f->next)
                ls_field(b, d->name, f);
            break;
        case PA_D_DEFINE: ls_define(b, d); break;
        case PA_D_PROGRAM: ls_program(b, d); break;
        case PA_D_REQUIREMENTS:
            ls_quoted(b, d, "b", LS_K_BLOCK, "requirements");
            ls_reqs(b, d->name, d->u.block.reqs, 0);
            break;
        case PA_D_KNOWN: ls_quoted(b, d, "k", LS_K_KNOWN, "known"); break;
        case PA_D_SOURCE: ls_quoted(b, d, "s", LS_K_SOURCE, "source"); break;
        case PA_D_EXAMPLE: ls_quoted(b, d, "e", LS_K_EXAMPLE, "example"); break;
        case PA_D_TEST:
            if (d->span.file == 0 && ls_grow((void **)&b->x->tests, &b->x->cap_tests, b->x->ntests * 2 + 1,
                                             sizeof *b->x->tests)) {
                b->x->tests[b->x->ntests * 2] = d->span.start;
                b->x->tests[b->x->ntests * 2 + 1] = d->span.end;
                b->x->ntests++;
            }
            break;
        case PA_D_INCLUDE: break;
        }
    }
}

/* ---- uses ------------------------------------------------------------------------- */

static void ls_use_key(ls_build *b, ps_span span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void ls_use_key(ls_build *b, ps_span span, const char *fmt, ...)
{
    char key[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    ls_use_add(b, ls_find_key(b->x, key), span);
}

/* A field of record `rec` (the checker's index) at `span`. */
static void ls_use_field(ls_build *b, uint32_t rec, const char *name, ps_span span)
{
    const pc_program *p = b->tree->checked;
    if (!p || rec >= p->nrecords || !p->records[rec].name)
        return;
    ls_use_key(b, span, "f:%s.%s", p->records[rec].name, name);
}

static void ls_expr(void *ctx, const pa_expr *e)
{
    ls_build *b = ctx;
    switch (e->kind) {
    case PA_E_NAME:
        if (e->ref == PA_REF_DEFINE)
            ls_use_key(b, e->span, "d:%s", e->u.name.name);
        else if (e->ref == PA_REF_FACT)
            ls_use_field(b, 0, e->u.name.name, e->span);
        break;
    case PA_E_CALL:
        if (e->ref == PA_REF_DEFINE)
            ls_use_key(b, e->u.call.name_span, "d:%s", e->u.call.name);
        break;
    case PA_E_FIELD:
        /* Unresolved, it names no field its record declares: no use. */
        ls_use_field(b, e->ref_rec, e->u.field.name, e->u.field.name_span);
        break;
    default: break;
    }
    pa_each_child(e, ls_expr, b);
}

/* A tree taller than any the compiler accepts is kept by the parser after
 * E0205 (and nothing checked it): it is not walked, so that walking cannot
 * exhaust the stack. */
static void ls_expr_root(ls_build *b, const pa_expr *e)
{
    if (e && e->depth <= PW_MAX_NESTING)
        ls_expr(b, e);
}

static void ls_req_uses(ls_build *b, const pa_req *r, unsigned depth)
{
    if (depth > PW_MAX_NESTING)
        return;
    for (; r; r = r->next) {
        if (r->shared)
            continue;
        if (r->cite_name)
            ls_use_key(b, r->cite_span, "s:%s", r->cite_name);
        ls_expr_root(b, r->cond);
        ls_req_uses(b, r->members, depth + 1);
    }
}

/* A label a test names: the program's requirement, or a block's. */
static void ls_label_use(ls_build *b, const char *prog, const pa_label *l)
{
    for (; l; l = l->next) {
        char key[512];
        snprintf(key, sizeof key, "r:%s:%s", prog, l->text);
        size_t i = ls_find_key(b->x, key);
        for (size_t k = 0; i == SIZE_MAX && k < b->x->nents; k++)
            if (b->x->ents[k].kind == LS_K_REQUIREMENT && strcmp(b->x->ents[k].name, l->text) == 0)
                i = k;
        ls_use_add(b, i, l->span);
    }
}

static void ls_test_uses(ls_build *b, const pa_decl *d)
{
    if (d->u.test.has_given && d->u.test.given.base)
        ls_use_key(b, d->u.test.given.base_span, "e:%s", d->u.test.given.base);
    for (const pa_expect *x = d->u.test.expects; x; x = x->next) {
        if (!x->program)
            continue;
        ls_use_key(b, x->program_span, "%s:%s", x->kind == PA_X_VALUE ? "d" : "p", x->program);
        ls_label_use(b, x->program, x->unmet);
        ls_label_use(b, x->program, x->pref);
        ls_label_use(b, x->program, x->advice);
        ls_label_use(b, x->program, x->awaiting);
    }
}

static void ls_field_uses(ls_build *b, const pa_field *f)
{
    for (; f; f = f->next)
        if (f->type.known)
            ls_use_key(b, f->type.known_span, "k:%s", f->type.known);
}

static void ls_uses(ls_build *b)
{
    for (const pa_decl *d = b->tree->decls; d; d = d->next) {
        switch (d->kind) {
        case PA_D_DEFINE:
            if (!d->u.define.failed)
                ls_expr_root(b, d->u.define.body);
            break;
        case PA_D_PROGRAM:
            for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
                if (!a->inherited)
                    ls_expr_root(b, a->valid_until);
            ls_req_uses(b, d->u.program.reqs, 0);
            break;
        case PA_D_REQUIREMENTS:
            if (d->u.block.cite_name)
                ls_use_key(b, d->u.block.cite_span, "s:%s", d->u.block.cite_name);
            ls_req_uses(b, d->u.block.reqs, 0);
            break;
        case PA_D_FACTS:
        case PA_D_RECORD: ls_field_uses(b, d->u.record.fields); break;
        case PA_D_EXTEND: ls_field_uses(b, d->u.extend.fields); break;
        case PA_D_TEST: ls_test_uses(b, d); break;
        case PA_D_EXAMPLE:
            if (d->u.example.facts.base)
                ls_use_key(b, d->u.example.facts.base_span, "e:%s", d->u.example.facts.base);
            break;
        default: break;
        }
    }
}

/* ---- building --------------------------------------------------------------------- */

/* The values of each `known` list, extensions included, as checked. */
static void ls_known_values(ls_build *b)
{
    const pc_program *p = b->tree->checked;
    for (uint32_t k = 0; p && k < p->nknown; k++) {
        const pc_known *kn = &p->known[k];
        if (!kn->decl || !kn->decl->name)
            continue;
        char key[512];
        snprintf(key, sizeof key, "k:%s", kn->decl->name);
        size_t i = ls_find_key(b->x, key);
        if (i == SIZE_MAX || b->x->ents[i].values || kn->nvalues == 0)
            continue;
        ls_entity *e = &b->x->ents[i];
        e->values = calloc(kn->nvalues, sizeof *e->values);
        if (!e->values) {
            b->x->oom = true;
            return;
        }
        for (uint32_t v = 0; v < kn->nvalues; v++)
            if (kn->values[v] && kn->values[v]->kind == PA_E_STR)
                e->values[e->nvalues++] = ls_strdup(b->x, kn->values[v]->u.str.s);
    }
}

static void ls_block_uses_in(ls_build *b, const pa_req *r, unsigned depth)
{
    if (depth > PW_MAX_NESTING)
        return;
    for (; r; r = r->next) {
        if (r->use)
            ls_use_key(b, r->label_span, "b:%s", r->use);
        ls_block_uses_in(b, r->members, depth + 1);
    }
}

/* `require NAME`, a block's use: the checker replaces each by copies of the
 * block's requirements, so that the checked tree holds none; they are found
 * in the document's own parse (its text is file 0's). */
static void ls_block_uses(ls_build *b)
{
    const ps_file *f = &b->tree->src->files[0];
    ls_parsed parsed;
    if (!ls_parse_alone(&parsed, f->name, f->text, f->len))
        b->x->oom = true;
    for (const pa_decl *d = parsed.decls; d && !b->x->oom; d = d->next)
        if (d->kind == PA_D_PROGRAM)
            ls_block_uses_in(b, d->u.program.reqs, 0);
        else if (d->kind == PA_D_REQUIREMENTS)
            ls_block_uses_in(b, d->u.block.reqs, 0);
    ls_parse_fini(&parsed);
}

static void ls_inspect(void *user, const pt_tree *tree)
{
    ls_build *b = user;
    ls_index *x = b->x;
    b->tree = tree;
    x->uris = calloc(tree->src->nfiles ? tree->src->nfiles : 1, sizeof *x->uris);
    if (!x->uris) {
        x->oom = true;
        return;
    }
    b->lines = calloc(tree->src->nfiles ? tree->src->nfiles : 1, sizeof *b->lines);
    if (!b->lines) {
        x->oom = true;
        return;
    }
    x->nfiles = tree->src->nfiles;
    for (uint32_t i = 0; i < x->nfiles; i++) {
        const ps_file *f = &tree->src->files[i];
        x->uris[i] = ls_path_uri(f->path ? f->path : f->name);
        if (!x->uris[i])
            x->oom = true;
        ls_lines_init(&b->lines[i], f->text, f->len);
    }
    ls_declarations(b);
    ls_known_values(b);
    ls_uses(b);
    if (x->nfiles > 0)
        ls_block_uses(b);
    for (uint32_t i = 0; i < x->nfiles; i++)
        ls_lines_fini(&b->lines[i]);
    free(b->lines);
    b->lines = NULL;
}

ls_index *ls_index_build(const ls_doc *doc)
{
    ls_index *x = calloc(1, sizeof *x);
    if (!x || !doc->path)
        return x;
    ls_build b = {x, NULL, NULL};
    pw_compile_options o;
    pw_compile_options_init(&o);
    pw_program *prog = NULL;
    pw_error err;
    char *real = realpath(doc->path, NULL);
    if (real) {
        pt_overlay overlay = {real, doc->text, doc->len};
        pt_compile_tree_overlay(doc->path, &o, &overlay, ls_inspect, &b, &prog, &err);
    }
    pw_program_free(prog);
    free(real);
    /* The document is file 0 under its own URI (the client's spelling). */
    if (x->nfiles > 0 && !x->oom) {
        free(x->uris[0]);
        x->uris[0] = strdup(doc->uri);
        if (!x->uris[0])
            x->oom = true;
    }
    if (x->oom) {
        ls_index_free(x);
        return NULL;
    }
    return x;
}

void ls_index_free(ls_index *x)
{
    if (!x)
        return;
    for (uint32_t i = 0; i < x->nfiles; i++)
        free(x->uris[i]);
    free(x->uris);
    for (size_t i = 0; i < x->nents; i++) {
        free(x->ents[i].key);
        free(x->ents[i].name);
        free(x->ents[i].hover);
        free(x->ents[i].detail);
        free(x->ents[i].known);
        for (size_t k = 0; k < x->ents[i].nvalues; k++)
            free(x->ents[i].values[k]);
        free(x->ents[i].values);
        for (size_t k = 0; k < x->ents[i].nparams; k++)
            free(x->ents[i].param_known[k]);
        free(x->ents[i].param_known);
    }
    free(x->ents);
    ls_map_fini(&x->by_key);
    free(x->uses);
    free(x->tests);
    free(x);
}

const ls_use *ls_index_use_at(const ls_index *x, size_t offset)
{
    for (size_t i = 0; i < x->nuses; i++) {
        const ls_use *u = &x->uses[i];
        if (u->at.file == 0 && u->at.start <= offset && offset <= u->at.end)
            return u;
    }
    return NULL;
}

const ls_entity *ls_index_find(const ls_index *x, const char *key)
{
    size_t i = ls_find_key(x, key);
    return i == SIZE_MAX ? NULL : &x->ents[i];
}

cJSON *ls_index_location(const ls_index *x, const ls_place *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "uri", p->file < x->nfiles && x->uris[p->file] ? x->uris[p->file] : "");
    ls_put(o, "range", ls_json_range(p->a, p->b));
    return o;
}
