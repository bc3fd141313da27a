/* hover, go to definition, find references, completion and code actions:
 * answered from the document's index (index.h), built again only when the
 * text changed since it was last built. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "lsp_int.h"

/* LSP CompletionItemKind values. */
enum { LS_CI_FUNCTION = 3, LS_CI_FIELD = 5, LS_CI_MODULE = 9, LS_CI_VALUE = 12, LS_CI_TEXT = 1 };

/* The document's index, current with its text; NULL after ls_fail. */
static const ls_index *ls_doc_index(ls_doc *doc, ls_error *e)
{
    if (doc->index && !doc->index_stale)
        return doc->index;
    ls_index_free(doc->index);
    doc->index = ls_index_build(doc);
    doc->index_stale = false;
    if (!doc->index)
        ls_fail(e, LS_INTERNAL_ERROR, "out of memory indexing the document");
    return doc->index;
}

/* The document and the byte offset of params.position. */
static ls_doc *ls_param_at(ls_server *s, const cJSON *params, size_t *offset, ls_error *e)
{
    ls_doc *d = ls_param_doc(s, params, e);
    ls_pos p;
    if (d && !ls_read_pos(cJSON_GetObjectItemCaseSensitive(params, "position"), &p)) {
        ls_fail(e, LS_INVALID_PARAMS, "params.position: a position is required");
        return NULL;
    }
    if (d)
        *offset = ls_offset_of(d->text, d->len, p);
    return d;
}

/* The use under the cursor (NULL: none, *result already null). */
static const ls_use *ls_use_under(ls_server *s, const cJSON *params, const ls_index **x, cJSON **result,
                                  ls_error *e, bool *ok)
{
    size_t offset = 0;
    ls_doc *d = ls_param_at(s, params, &offset, e);
    *ok = false;
    if (!d || !(*x = ls_doc_index(d, e)))
        return NULL;
    *ok = true;
    const ls_use *u = ls_index_use_at(*x, offset);
    if (!u)
        *result = cJSON_CreateNull();
    return u;
}

bool ls_hover(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    const ls_index *x;
    bool ok;
    const ls_use *u = ls_use_under(s, params, &x, result, e, &ok);
    if (!u)
        return ok;
    const ls_entity *ent = &x->ents[u->entity];
    *result = cJSON_CreateObject();
    cJSON *contents = cJSON_AddObjectToObject(*result, "contents");
    cJSON_AddStringToObject(contents, "kind", "markdown");
    cJSON_AddStringToObject(contents, "value", ent->hover ? ent->hover : ent->name);
    ls_put(*result, "range", ls_json_range(u->at.a, u->at.b));
    return true;
}

bool ls_definition(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    const ls_index *x;
    bool ok;
    const ls_use *u = ls_use_under(s, params, &x, result, e, &ok);
    if (u)
        *result = ls_index_location(x, &x->ents[u->entity].at);
    return ok;
}

bool ls_references(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    const ls_index *x;
    bool ok;
    const ls_use *u = ls_use_under(s, params, &x, result, e, &ok);
    if (!u)
        return ok;
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params, "context");
    bool with_decl = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "includeDeclaration"));
    const ls_entity *ent = &x->ents[u->entity];
    *result = cJSON_CreateArray();
    for (size_t i = 0; i < x->nuses; i++) {
        const ls_use *v = &x->uses[i];
        bool is_decl = v->at.file == ent->at.file && v->at.start == ent->at.start;
        if (v->entity == u->entity && (with_decl || !is_decl))
            ls_push(*result, ls_index_location(x, &v->at));
    }
    return true;
}

/* ---- completion ------------------------------------------------------------------- */

/* The items offered, each label once (a field of two records, a label of
 * two versions); labels are the index's strings, which outlive the list. */
typedef struct ls_items {
    cJSON *list;
    ls_map seen;
} ls_items;

static void ls_item(ls_items *items, const char *label, int kind, const char *detail)
{
    if (ls_map_get(&items->seen, label) != SIZE_MAX || !ls_map_put(&items->seen, label, 0))
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "label", label);
    cJSON_AddNumberToObject(o, "kind", kind);
    if (detail && *detail)
        cJSON_AddStringToObject(o, "detail", detail);
    ls_push(items->list, o);
}

static bool ls_in_test(const ls_index *x, size_t offset)
{
    for (size_t i = 0; i < x->ntests; i++)
        if (x->tests[2 * i] <= offset && offset <= x->tests[2 * i + 1])
            return true;
    return false;
}

static bool ls_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Where the string the cursor is in opens (the quote), or SIZE_MAX when it
 * is not in one; *comment when it is in a comment. */
static size_t ls_string_start(const char *t, size_t line, size_t offset, bool *comment)
{
    size_t open = SIZE_MAX;
    *comment = false;
    for (size_t i = line; i < offset; i++) {
        if (open == SIZE_MAX && t[i] == '#') {
            *comment = true;
            return SIZE_MAX;
        }
        if (t[i] == '\\' && open != SIZE_MAX)
            i++;
        else if (t[i] == '"')
            open = open == SIZE_MAX ? i : SIZE_MAX;
    }
    return open;
}

/* The name a string at `quote` is compared with: `NAME = "`, `NAME != "`,
 * `NAME in ["a", "`, `NAME: "` (a record literal); the last part of a
 * dotted name. Copied into buf; false when there is none. */
static bool ls_compared_name(const char *t, size_t line, size_t quote, char *buf, size_t size)
{
    size_t i = quote;
    /* Inside a list: back to its bracket. */
    for (size_t k = quote; k > line; k--)
        if (t[k - 1] == '[') {
            i = k - 1;
            break;
        } else if (t[k - 1] == ']') {
            break;
        }
    if (i == quote) /* not in a list: the blanks before the string */
        while (i > line && t[i - 1] == ' ')
            i--;
    if (i < quote && t[i] == '[') {
        /* `in [` */
        if (i < line + 2 || strncmp(t + i - 2, "in", 2) != 0) {
            while (i > line && t[i - 1] == ' ')
                i--;
            if (i < line + 2 || strncmp(t + i - 2, "in", 2) != 0)
                return false;
        }
        i -= 2;
    } else if (i > line && (t[i - 1] == '=' || t[i - 1] == ':')) {
        i--;
        if (i > line && t[i - 1] == '!')
            i--;
    } else {
        return false;
    }
    while (i > line && t[i - 1] == ' ')
        i--;
    size_t end = i;
    while (i > line && ls_word_char(t[i - 1]))
        i--;
    if (i == end || end - i >= size)
        return false;
    memcpy(buf, t + i, end - i);
    buf[end - i] = '\0';
    return true;
}

/* The values of the `known` list named `known`. */
static void ls_list_items(const ls_index *x, const char *known, ls_items *items)
{
    char key[512];
    snprintf(key, sizeof key, "k:%s", known);
    const ls_entity *k = ls_index_find(x, key);
    for (size_t v = 0; k && v < k->nvalues; v++)
        ls_item(items, k->values[v], LS_CI_VALUE, k->name);
}

/* A string that is argument `arg` of a call to `name(`: the known list of
 * that parameter. Scans back from the quote on its line for the call's
 * open parenthesis, counting the commas between. */
static bool ls_call_arg(const char *t, size_t line, size_t quote, char *buf, size_t size, size_t *arg)
{
    size_t i = quote, depth = 0;
    bool in_str = false;
    *arg = 0;
    while (i > line) {
        char c = t[--i];
        if (c == '"')
            in_str = !in_str;
        else if (in_str)
            continue;
        else if (c == ')' || c == ']')
            depth++;
        else if ((c == '(' || c == '[') && depth > 0)
            depth--;
        else if (c == ',' && depth == 0)
            ++*arg;
        else if (c == '(' && depth == 0)
            break;
        else if (c == '[' && depth == 0)
            return false;
        if (i == line)
            return false;
    }
    size_t end = i; /* at the call's `(`: the loop stops nowhere else */
    while (i > line && ls_word_char(t[i - 1]))
        i--;
    if (i == end || end - i >= size)
        return false;
    memcpy(buf, t + i, end - i);
    buf[end - i] = '\0';
    return true;
}

static void ls_param_items(const ls_index *x, const char *name, size_t arg, ls_items *items)
{
    char key[512];
    snprintf(key, sizeof key, "d:%s", name);
    const ls_entity *d = ls_index_find(x, key);
    if (d && arg < d->nparams && d->param_known[arg])
        ls_list_items(x, d->param_known[arg], items);
}

/* The values of the `known` list of a field named `name`. */
static void ls_known_items(const ls_index *x, const char *name, ls_items *items)
{
    for (size_t i = 0; i < x->nents; i++) {
        const ls_entity *f = &x->ents[i];
        if (f->kind != LS_K_FIELD || !f->known || strcmp(f->name, name) != 0)
            continue;
        ls_list_items(x, f->known, items);
    }
}

static void ls_kind_items(const ls_index *x, ls_kind kind, int ci, ls_items *items)
{
    for (size_t i = 0; i < x->nents; i++)
        if (x->ents[i].kind == kind)
            ls_item(items, x->ents[i].name, ci, x->ents[i].detail);
}

/* The facts record's name ("" when there is none). */
static const char *ls_facts_name(const ls_index *x)
{
    for (size_t i = 0; i < x->nents; i++)
        if (x->ents[i].kind == LS_K_RECORD && x->ents[i].detail && strcmp(x->ents[i].detail, "facts") == 0)
            return x->ents[i].name;
    return "";
}

/* Fields: of the facts record (top), or of the other records (after a dot). */
static void ls_field_items(const ls_index *x, bool after_dot, ls_items *items)
{
    const char *facts = ls_facts_name(x);
    size_t flen = strlen(facts);
    for (size_t i = 0; i < x->nents; i++) {
        const ls_entity *f = &x->ents[i];
        if (f->kind != LS_K_FIELD || !f->detail)
            continue;
        bool of_facts = strncmp(f->detail, facts, flen) == 0 && f->detail[flen] == '.';
        if (of_facts != after_dot)
            ls_item(items, f->name, LS_CI_FIELD, f->detail);
    }
}

static void ls_complete_code(const ls_index *x, const char *t, size_t line, size_t offset, ls_items *items)
{
    size_t w = offset;
    while (w > line && ls_word_char(t[w - 1]))
        w--;
    if (w > line && t[w - 1] == '.') {
        ls_field_items(x, true, items);
        return;
    }
    size_t k = w;
    while (k > line && t[k - 1] == ' ')
        k--;
    bool after_expect = k >= line + 6 && strncmp(t + k - 6, "expect", 6) == 0 &&
                        (k == line + 6 || !ls_word_char(t[k - 7]));
    if (ls_in_test(x, offset)) {
        ls_kind_items(x, LS_K_PROGRAM, LS_CI_MODULE, items);
        if (!after_expect)
            ls_kind_items(x, LS_K_DEFINE, LS_CI_FUNCTION, items);
        return;
    }
    ls_field_items(x, false, items);
    ls_kind_items(x, LS_K_DEFINE, LS_CI_FUNCTION, items);
}

bool ls_completion(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    size_t offset = 0;
    ls_doc *d = ls_param_at(s, params, &offset, e);
    const ls_index *x = d ? ls_doc_index(d, e) : NULL;
    if (!x)
        return false;
    const char *t = d->text;
    size_t line = offset;
    while (line > 0 && t[line - 1] != '\n')
        line--;
    ls_items items = {cJSON_CreateArray(), {0}};
    *result = items.list;
    bool comment;
    size_t quote = ls_string_start(t, line, offset, &comment);
    char name[128];
    size_t arg;
    if (comment) {
        /* nothing to offer in a comment */
    } else if (quote == SIZE_MAX) {
        ls_complete_code(x, t, line, offset, &items);
    } else if (ls_compared_name(t, line, quote, name, sizeof name)) {
        ls_known_items(x, name, &items);
    } else if (ls_call_arg(t, line, quote, name, sizeof name, &arg)) {
        ls_param_items(x, name, arg, &items);
    } else if (ls_in_test(x, offset)) {
        ls_kind_items(x, LS_K_REQUIREMENT, LS_CI_TEXT, &items);
    }
    ls_map_fini(&items.seen);
    return true;
}

/* ---- code actions ----------------------------------------------------------------- */

/* {"changes": {uri: [{range, newText}]}} */
static cJSON *ls_edit(const char *uri, cJSON *range, const char *text)
{
    cJSON *edit = cJSON_CreateObject();
    cJSON *changes = cJSON_AddObjectToObject(edit, "changes");
    cJSON *list = cJSON_AddArrayToObject(changes, uri);
    cJSON *te = cJSON_CreateObject();
    ls_put(te, "range", range);
    cJSON_AddStringToObject(te, "newText", text);
    ls_push(list, te);
    return edit;
}

static cJSON *ls_action(const char *title, const cJSON *diag, cJSON *edit, bool preferred)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "title", title);
    cJSON_AddStringToObject(a, "kind", "quickfix");
    cJSON *diags = cJSON_AddArrayToObject(a, "diagnostics");
    ls_push(diags, cJSON_Duplicate(diag, true));
    if (preferred)
        cJSON_AddBoolToObject(a, "isPreferred", true);
    ls_put(a, "edit", edit);
    return a;
}

/* A lint finding silenced by `# lint: ignore CODE -- reason` on a line of
 * its own above it, indented as its line (docs/lint.md). */
static cJSON *ls_suppress(const ls_doc *d, const cJSON *diag, const char *code)
{
    ls_pos start;
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(diag, "range");
    if (!ls_read_pos(cJSON_GetObjectItemCaseSensitive(range, "start"), &start))
        return NULL;
    size_t at = ls_offset_of(d->text, d->len, (ls_pos){start.line, 0}), end = at;
    while (end < d->len && (d->text[end] == ' ' || d->text[end] == '\t'))
        end++;
    size_t n = end - at + strlen(code) + 64;
    char *text = malloc(n);
    if (!text)
        return NULL;
    snprintf(text, n, "%.*s# lint: ignore %s -- reason\n", (int)(end - at), d->text + at, code);
    char title[96];
    snprintf(title, sizeof title, "Silence %s on this line (# lint: ignore)", code);
    ls_pos bol = {start.line, 0};
    cJSON *a = ls_action(title, diag, ls_edit(d->uri, ls_json_range(bol, bol), text), false);
    free(text);
    return a;
}

bool ls_code_action(ls_server *s, const cJSON *params, cJSON **result, ls_error *e)
{
    ls_doc *d = ls_param_doc(s, params, e);
    if (!d)
        return false;
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params, "context");
    const cJSON *diags = cJSON_GetObjectItemCaseSensitive(ctx, "diagnostics");
    if (!cJSON_IsArray(diags))
        return ls_fail(e, LS_INVALID_PARAMS, "params.context.diagnostics: an array is required");
    *result = cJSON_CreateArray();
    const cJSON *diag;
    cJSON_ArrayForEach(diag, diags)
    {
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(diag, "data");
        const cJSON *fix = cJSON_GetObjectItemCaseSensitive(data, "fix");
        const cJSON *range = cJSON_GetObjectItemCaseSensitive(diag, "range");
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(diag, "code");
        if (cJSON_IsString(fix) && range) {
            char title[160];
            snprintf(title, sizeof title, "Replace with `%.100s`", fix->valuestring);
            cJSON *edit = ls_edit(d->uri, cJSON_Duplicate(range, true), fix->valuestring);
            ls_push(*result, ls_action(title, diag, edit, true));
        }
        if (cJSON_IsString(code) && strncmp(code->valuestring, "PW", 2) == 0) {
            cJSON *a = ls_suppress(d, diag, code->valuestring);
            if (a)
                ls_push(*result, a);
        }
    }
    return true;
}
