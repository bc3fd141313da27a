/* Diagnostics of an open buffer: the compiler's (check) and, when the rules
 * compile, the lint's, for the buffer's unsaved text. The buffer is compiled
 * through an overlay, so that its includes are read from disk while its own
 * text comes from memory. Both kinds arrive as the diagnostics' JSON lines
 * (pd_render_json) and become LSP Diagnostic objects here. */

/* realpath is an XSI interface; the build asks only for POSIX. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "api/tools.h"
#include "diag/diag.h"
#include "lint/lint.h"
#include "lint/lint_int.h" /* pl_lint_tree: the lint of a tree already checked */
#include "lsp_int.h"
#include "util/file.h"

enum { LS_MAX_OTHER_FILE = 4 << 20 };

/* What one compilation collected: the JSON lines of both kinds. */
typedef struct ls_collect {
    pu_buf lines;
} ls_collect;

static void ls_on_diagnostics(void *user, const char *rendered)
{
    ls_collect *c = user;
    pu_buf_append(&c->lines, rendered, strlen(rendered));
}

/* The lint over the checked tree, rendered as the compiler's diagnostics. */
static void ls_lint(void *user, const pt_tree *tree)
{
    ls_collect *c = user;
    if (!tree->program || !tree->checked || tree->src->nfiles == 0)
        return; /* it did not compile: the compiler's diagnostics say why */
    pm_arena arena;
    pm_init(&arena, 65536);
    pd_list out;
    if (pl_lint_tree(tree, &arena, &out))
        pd_render_json(&out, tree->src, &c->lines);
    pm_free(&arena);
}

/* An include's text, to place a note in (the buffer's own notes use the
 * buffer); NULL when it cannot be read. The caller frees *owned. */
static const char *ls_text_of(const char *path, size_t *len, char **owned)
{
    char msg[256];
    if (!pu_read_file(path, LS_MAX_OTHER_FILE, owned, len, msg, sizeof msg))
        return NULL;
    return *owned;
}

/* The range a diagnostic's JSON position gives in `text`. */
static cJSON *ls_range(const cJSON *j, const ls_lines *lines, bool has_end)
{
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(j, "line");
    const cJSON *col = cJSON_GetObjectItemCaseSensitive(j, "column");
    if (!lines || !cJSON_IsNumber(line) || !cJSON_IsNumber(col))
        return ls_json_range((ls_pos){0, 0}, (ls_pos){0, 0});
    size_t a = ls_lines_offset(lines, (uint32_t)line->valueint, (uint32_t)col->valueint);
    size_t b = a;
    const cJSON *eline = cJSON_GetObjectItemCaseSensitive(j, "end_line");
    const cJSON *ecol = cJSON_GetObjectItemCaseSensitive(j, "end_column");
    if (has_end && cJSON_IsNumber(eline) && cJSON_IsNumber(ecol))
        b = ls_lines_offset(lines, (uint32_t)eline->valueint, (uint32_t)ecol->valueint);
    return ls_lines_span(lines, a, b < a ? a : b);
}

/* Where the documentation of a code is: docs/errors.md for the compiler's
 * codes, docs/lint.md for the lint's; anchors are the code in lower case. */
static cJSON *ls_code_description(const char *code)
{
    char href[256];
    bool lint = strncmp(code, "PW", 2) == 0;
    int n = snprintf(href, sizeof href, "%s#", lint ? PL_HELP_URI : PL_HOMEPAGE "docs/errors.md");
    for (const char *p = code; *p && n + 1 < (int)sizeof href; p++)
        href[n++] = (char)tolower((unsigned char)*p);
    href[n] = '\0';
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "href", href);
    return o;
}

/* A member that is a string, or `absent`. */
static const char *ls_str(const cJSON *j, const char *absent)
{
    return cJSON_IsString(j) ? j->valuestring : absent;
}

static int ls_severity(const char *s)
{
    return strcmp(s, "error") == 0 ? 1 : strcmp(s, "warning") == 0 ? 2 : 3;
}

/* A note with a place becomes related information; one without is added to
 * the message (the client has nowhere else to show it). */
static void ls_note(const ls_doc *doc, const ls_lines *lines, const cJSON *n, cJSON *related,
                    pu_buf *message)
{
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(n, "file");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(n, "message");
    const char *text_msg = ls_str(msg, "");
    if (!cJSON_IsString(file)) {
        pu_buf_printf(message, "\nnote: %s", text_msg);
        return;
    }
    /* Every name the compiler gives is absolute: the root's path comes from
     * a file: URI, and an include is found from the root's directory. */
    char *path = strdup(file->valuestring);
    char *uri = path ? (strcmp(path, doc->path) == 0 ? strdup(doc->uri) : ls_path_uri(path)) : NULL;
    char *owned = NULL;
    size_t len = 0;
    bool here = path && strcmp(path, doc->path) == 0;
    const char *text = path && !here ? ls_text_of(path, &len, &owned) : NULL;
    ls_lines other;
    if (text)
        ls_lines_init(&other, text, len);
    if (uri) {
        cJSON *info = cJSON_CreateObject();
        cJSON *loc = cJSON_AddObjectToObject(info, "location");
        cJSON_AddStringToObject(loc, "uri", uri);
        ls_put(loc, "range", ls_range(n, here ? lines : text ? &other : NULL, false));
        cJSON_AddStringToObject(info, "message", text_msg);
        ls_push(related, info);
    }
    if (text)
        ls_lines_fini(&other);
    free(owned);
    free(uri);
    free(path);
}

/* One diagnostic's JSON line as an LSP Diagnostic on the document. One in
 * another file (an include) is shown at the top of the document, named by
 * its place, since the client shows a document's diagnostics only. */
static cJSON *ls_diagnostic(const ls_doc *doc, const ls_lines *lines, const cJSON *j)
{
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(j, "file");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
    const cJSON *sev = cJSON_GetObjectItemCaseSensitive(j, "severity");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    const cJSON *fix = cJSON_GetObjectItemCaseSensitive(j, "fix");
    bool here = cJSON_IsString(file) && strcmp(file->valuestring, doc->path) == 0;
    pu_buf message = {0};
    if (cJSON_IsString(file) && !here) {
        const cJSON *line = cJSON_GetObjectItemCaseSensitive(j, "line");
        const cJSON *col = cJSON_GetObjectItemCaseSensitive(j, "column");
        pu_buf_printf(&message, "%s:%d:%d: ", file->valuestring, line ? line->valueint : 0,
                      col ? col->valueint : 0);
    }
    const char *m = ls_str(msg, "");
    pu_buf_append(&message, m, strlen(m)); /* keeps the NUL */
    cJSON *d = cJSON_CreateObject();
    ls_put(d, "range", ls_range(j, here ? lines : NULL, true));
    cJSON_AddNumberToObject(d, "severity", ls_severity(ls_str(sev, "error")));
    if (cJSON_IsString(code)) {
        cJSON_AddStringToObject(d, "code", code->valuestring);
        ls_put(d, "codeDescription", ls_code_description(code->valuestring));
    }
    cJSON_AddStringToObject(d, "source", "pathway");
    cJSON *related = cJSON_CreateArray();
    const cJSON *n;
    const cJSON *notes = cJSON_GetObjectItemCaseSensitive(j, "notes");
    cJSON_ArrayForEach(n, notes) ls_note(doc, lines, n, related, &message);
    pu_buf_append(&message, "", 0); /* printf leaves no NUL */
    cJSON_AddStringToObject(d, "message", message.data && !message.oom ? message.data : "");
    pu_buf_free(&message);
    if (cJSON_GetArraySize(related) > 0)
        ls_put(d, "relatedInformation", related);
    else
        cJSON_Delete(related);
    /* The fix-it, for the code action that applies it (its range is the
     * diagnostic's). */
    if (here && cJSON_IsString(fix)) {
        cJSON *data = cJSON_AddObjectToObject(d, "data");
        cJSON_AddStringToObject(data, "fix", fix->valuestring);
    }
    return d;
}

/* The JSON lines as an array of Diagnostic. */
static cJSON *ls_convert(const ls_doc *doc, const char *lines, size_t len)
{
    cJSON *out = cJSON_CreateArray();
    ls_lines doc_lines;
    ls_lines_init(&doc_lines, doc->text, doc->len);
    for (size_t i = 0; out && i < len;) {
        const char *nl = memchr(lines + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - lines) : len;
        cJSON *j = cJSON_ParseWithLength(lines + i, e - i);
        if (j)
            ls_push(out, ls_diagnostic(doc, &doc_lines, j));
        cJSON_Delete(j);
        i = e + 1;
    }
    ls_lines_fini(&doc_lines);
    return out;
}

cJSON *ls_diagnose(const ls_doc *doc)
{
    if (!doc->path) /* not a file on this machine: nothing to resolve includes from */
        return cJSON_CreateArray();
    ls_collect c = {{0}};
    pw_compile_options o;
    pw_compile_options_init(&o);
    o.format = PW_DIAG_JSON;
    o.on_diagnostics = ls_on_diagnostics;
    o.user = &c;
    pw_program *prog = NULL;
    pw_error err;
    pw_status st;
    char *real = realpath(doc->path, NULL);
    if (real) {
        pt_overlay overlay = {real, doc->text, doc->len};
        st = pt_compile_tree_overlay(doc->path, &o, &overlay, ls_lint, &c, &prog, &err);
    } else {
        /* A new file, never saved: its text alone (its includes resolve
         * from its directory all the same). */
        st = pw_compile_source(doc->path, doc->text, doc->len, &o, &prog, &err);
    }
    pw_program_free(prog);
    free(real);
    cJSON *out = ls_convert(doc, c.lines.data ? c.lines.data : "", c.lines.len);
    if (out && st != PW_OK && cJSON_GetArraySize(out) == 0) {
        /* A failure with nothing rendered (memory ran out): say so, or the
         * buffer would pass for clean. */
        cJSON *d = cJSON_CreateObject();
        ls_put(d, "range", ls_json_range((ls_pos){0, 0}, (ls_pos){0, 0}));
        cJSON_AddNumberToObject(d, "severity", 1);
        cJSON_AddStringToObject(d, "source", "pathway");
        cJSON_AddStringToObject(d, "message", err.message);
        ls_push(out, d);
    }
    pu_buf_free(&c.lines);
    return out;
}
