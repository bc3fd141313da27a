/* textDocument/documentSymbol: the outline of a buffer, from its parsed
 * declarations (src/front/ast.h): programs with their requirements,
 * requirement blocks, facts and records with their fields, definitions,
 * known lists, sources, examples and tests. Only the buffer is parsed (its
 * includes have outlines of their own); a buffer with syntax errors gives
 * what the parser recovered. */
#include <string.h>

#include "front/ast.h"
#include "front/parse.h"
#include "lsp_int.h"
#include "util/assert.h"

/* LSP SymbolKind values. */
enum {
    LS_SYM_FILE = 1, LS_SYM_MODULE = 2, LS_SYM_NAMESPACE = 3, LS_SYM_FIELD = 8,
    LS_SYM_ENUM = 10, LS_SYM_FUNCTION = 12, LS_SYM_CONSTANT = 14, LS_SYM_STRING = 15,
    LS_SYM_OBJECT = 19, LS_SYM_KEY = 20, LS_SYM_STRUCT = 23, LS_SYM_EVENT = 24
};

static cJSON *ls_symbol(const ls_lines *doc, const char *name, const char *detail, int kind,
                        ps_span range, ps_span sel)
{
    cJSON *s = cJSON_CreateObject();
    /* The protocol wants a name that is not empty. */
    cJSON_AddStringToObject(s, "name", name && *name ? name : "(unnamed)");
    if (detail)
        cJSON_AddStringToObject(s, "detail", detail);
    cJSON_AddNumberToObject(s, "kind", kind);
    /* The parser's spans: each ends after it starts, and a name or label
     * lies within its declaration's (docs/robustness.md). */
    if (PU_NEVER(range.end < range.start))
        range.end = range.start;
    /* The selection must lie inside the range. */
    if (PU_NEVER(sel.start < range.start || sel.end > range.end || sel.end < sel.start))
        sel = range;
    ls_put(s, "range", ls_lines_span(doc, range.start, range.end));
    ls_put(s, "selectionRange", ls_lines_span(doc, sel.start, sel.end));
    return s;
}

static void ls_add_child(cJSON *parent, cJSON *child)
{
    cJSON *kids = cJSON_GetObjectItemCaseSensitive(parent, "children");
    if (!kids)
        kids = cJSON_AddArrayToObject(parent, "children");
    ls_push(kids, child);
}

static const char *ls_role(pa_role role)
{
    return role == PA_PREFER ? "prefer" : role == PA_ADVISE ? "advise" : "require";
}

/* Requirements (a group's members as its children). */
static void ls_reqs(const ls_lines *doc, const pa_req *r, cJSON *parent, unsigned depth)
{
    if (depth > PW_MAX_NESTING)
        return; /* groups nested past the limit (E0205): the outline stops */
    /* Only the buffer is parsed (file 0), and nothing is checked, so no
     * requirement is a block's shared copy. */
    for (; r; r = r->next) {
        cJSON *s = r->use ? ls_symbol(doc, r->use, "require (block)", LS_SYM_NAMESPACE, r->span, r->span)
                          : ls_symbol(doc, r->label, r->cite ? r->cite : ls_role(r->role), LS_SYM_KEY,
                                      r->span, r->label_span);
        ls_reqs(doc, r->members, s, depth + 1);
        ls_add_child(parent, s);
    }
}

static void ls_fields(const ls_lines *doc, const pa_field *f, cJSON *parent)
{
    for (; f; f = f->next)
        ls_add_child(parent, ls_symbol(doc, f->name, NULL, LS_SYM_FIELD, f->span, f->span));
}

static cJSON *ls_decl(const ls_lines *doc, const pa_decl *d)
{
    switch (d->kind) {
    case PA_D_INCLUDE:
        return ls_symbol(doc, d->u.include.path, "include", LS_SYM_FILE, d->span, d->u.include.path_span);
    case PA_D_FACTS:
    case PA_D_RECORD: {
        cJSON *s = ls_symbol(doc, d->name, d->kind == PA_D_FACTS ? "facts" : "record", LS_SYM_STRUCT,
                             d->span, d->name_span);
        ls_fields(doc, d->u.record.fields, s);
        return s;
    }
    case PA_D_EXTEND: {
        cJSON *s = ls_symbol(doc, d->name, "extend", LS_SYM_STRUCT, d->span, d->name_span);
        ls_fields(doc, d->u.extend.fields, s);
        return s;
    }
    case PA_D_DEFINE:
        return ls_symbol(doc, d->name, "define", d->u.define.has_params ? LS_SYM_FUNCTION : LS_SYM_CONSTANT,
                         d->span, d->name_span);
    case PA_D_PROGRAM: {
        cJSON *s = ls_symbol(doc, d->name, d->u.program.title, LS_SYM_MODULE, d->span, d->name_span);
        ls_reqs(doc, d->u.program.reqs, s, 0);
        return s;
    }
    case PA_D_REQUIREMENTS: {
        cJSON *s = ls_symbol(doc, d->name, "requirements", LS_SYM_NAMESPACE, d->span, d->name_span);
        ls_reqs(doc, d->u.block.reqs, s, 0);
        return s;
    }
    case PA_D_EXAMPLE:
        return ls_symbol(doc, d->name, "example", LS_SYM_OBJECT, d->span, d->name_span);
    case PA_D_TEST:
        return ls_symbol(doc, d->name, "test", LS_SYM_EVENT, d->span, d->name_span);
    case PA_D_KNOWN:
        return ls_symbol(doc, d->name, "known", LS_SYM_ENUM, d->span, d->name_span);
    case PA_D_SOURCE:
        return ls_symbol(doc, d->name, d->u.source.text, LS_SYM_STRING, d->span, d->name_span);
    }
    return NULL;
}

bool ls_parse_alone(ls_parsed *p, const char *name, const char *text, size_t len)
{
    pm_init(&p->arena, 0);
    ps_init(&p->src, &p->arena);
    pd_init(&p->diags, &p->arena, 50);
    p->decls = NULL;
    pp_limits limits;
    memset(&limits, 0, sizeof limits);
    int file = ps_add(&p->src, name, name, text, len);
    if (file < 0)
        return false;
    pp_parse_text(&p->arena, &p->src, (uint32_t)file, &p->diags, &limits, &p->decls);
    return !p->diags.oom;
}

void ls_parse_fini(ls_parsed *p)
{
    ps_fini(&p->src);
    pm_free(&p->arena);
}

bool ls_symbols(const ls_doc *doc, cJSON **result, ls_error *e)
{
    ls_parsed parsed;
    const char *name = doc->path ? doc->path : doc->uri;
    bool ok = ls_parse_alone(&parsed, name, doc->text, doc->len);
    const pa_decl *decls = parsed.decls;
    if (ok) {
        ls_lines lines;
        ls_lines_init(&lines, doc->text, doc->len);
        *result = cJSON_CreateArray();
        for (const pa_decl *d = decls; d; d = d->next) {
            cJSON *s = ls_decl(&lines, d);
            if (s)
                ls_push(*result, s);
        }
        ls_lines_fini(&lines);
    } else {
        ls_fail(e, LS_INTERNAL_ERROR, "out of memory reading the outline");
    }
    ls_parse_fini(&parsed);
    return ok;
}
