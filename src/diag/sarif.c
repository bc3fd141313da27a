/* SARIF 2.1.0, the static-analysis results format GitHub code scanning
 * reads: one run of one tool, with its rules and a result per diagnostic.
 * Columns are counted in Unicode code points (run.columnKind says so), not
 * in bytes as the text renderer counts them, so that a viewer puts the mark
 * on the right character of a line with accented text. */
#include <string.h>

#include "diag.h"

/* ---- places ------------------------------------------------------------------ */

/* 1-based code-point column of byte offset `offset` of file `file`. */
static uint32_t pd_sarif_column(ps_sources *src, uint32_t file, uint32_t offset, uint32_t *line)
{
    uint32_t bytecol, len;
    ps_position(src, file, offset, line, &bytecol);
    const char *text = ps_line_text(src, file, *line, &len);
    uint32_t col = 1;
    for (uint32_t i = 0; i + 1 < bytecol && i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    /* Past the end of the line's text (the newline itself): one more. */
    if (bytecol > len + 1)
        col += bytecol - len - 1;
    return col;
}

static bool pd_uri_plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("-._~/", c) != NULL;
}

/* A file name as a URI reference: relative names stay relative to where
 * the tool ran (GitHub resolves them against the checkout), with `.` and
 * `dir/..` segments folded as a shell would see them; absolute ones become
 * file: URIs. Other bytes are percent-encoded. */
void pd_sarif_uri(pd_buf *b, const char *name)
{
    size_t n = strlen(name);
    pd_buf folded = {0};
    pd_buf_printf(&folded, "%s", name[0] == '/' ? "file://" : "");
    /* Segments kept so far: their start offsets in `folded`. */
    size_t starts[256], nseg = 0;
    size_t base = folded.len;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && name[j] != '/')
            j++;
        size_t len = j - i;
        bool last = j == n;
        if (len == 1 && name[i] == '.' && !last) {
            /* `./`: nothing */
        } else if (len == 2 && name[i] == '.' && name[i + 1] == '.' && nseg > 0 &&
                   !(folded.data && strncmp(folded.data + starts[nseg - 1], "../", 3) == 0)) {
            folded.len = starts[--nseg]; /* `dir/..` */
            if (folded.data)
                folded.data[folded.len] = '\0';
        } else {
            if (nseg < sizeof starts / sizeof *starts)
                starts[nseg++] = folded.len;
            for (size_t k = i; k < j; k++) {
                unsigned char c = (unsigned char)name[k];
                if (pd_uri_plain(c))
                    pd_buf_printf(&folded, "%c", c);
                else
                    pd_buf_printf(&folded, "%%%02X", c);
            }
            if (!last)
                pd_buf_printf(&folded, "/");
        }
        i = last ? j : j + 1;
    }
    if (folded.len == base)
        pd_buf_printf(&folded, ".");
    pd_json_str(b, folded.data ? folded.data : "");
    if (folded.oom)
        b->oom = true;
    pd_buf_free(&folded);
}

static void pd_sarif_region(pd_buf *b, ps_sources *src, const ps_span *span)
{
    uint32_t line, col, end_line, end_col;
    col = pd_sarif_column(src, span->file, span->start, &line);
    end_col = pd_sarif_column(src, span->file, span->end > span->start ? span->end : span->start, &end_line);
    pd_buf_printf(b, "{\"startLine\":%u,\"startColumn\":%u,\"endLine\":%u,\"endColumn\":%u}", line, col,
                  end_line, end_col);
}

static void pd_sarif_artifact(pd_buf *b, ps_sources *src, const ps_span *span)
{
    pd_buf_printf(b, "{\"uri\":");
    pd_sarif_uri(b, src->files[span->file].name);
    pd_buf_printf(b, "}");
}

static void pd_sarif_physical(pd_buf *b, ps_sources *src, const ps_span *span)
{
    pd_buf_printf(b, "{\"artifactLocation\":");
    pd_sarif_artifact(b, src, span);
    pd_buf_printf(b, ",\"region\":");
    pd_sarif_region(b, src, span);
    pd_buf_printf(b, "}");
}

static bool pd_placed(ps_sources *src, const ps_span *span, bool has_span)
{
    return has_span && span->file < src->nfiles;
}

/* ---- results ------------------------------------------------------------------ */

static const char *pd_sarif_level(pd_severity s)
{
    return s == PD_ERROR ? "error" : s == PD_WARNING ? "warning" : "note";
}

static long pd_rule_index(const pd_sarif_tool *tool, const char *code)
{
    for (size_t i = 0; code && i < tool->nrules; i++)
        if (strcmp(tool->rules[i].code, code) == 0)
            return (long)i;
    return -1;
}

/* The message, then each note that has no place of its own, a line each:
 * a viewer shows only the message and the related locations. */
static void pd_sarif_message(pd_buf *b, const pd_diag *d, ps_sources *src)
{
    pd_buf text = {0};
    pd_buf_printf(&text, "%s", d->message);
    for (const pd_note *n = d->notes; n; n = n->next)
        if (!pd_placed(src, &n->span, n->has_span))
            pd_buf_printf(&text, "\n%s", n->message);
    pd_buf_printf(b, "{\"text\":");
    pd_json_str(b, text.data ? text.data : "");
    pd_buf_printf(b, "}");
    if (text.oom)
        b->oom = true;
    pd_buf_free(&text);
}

static void pd_sarif_related(pd_buf *b, const pd_diag *d, ps_sources *src)
{
    unsigned id = 0;
    for (const pd_note *n = d->notes; n; n = n->next) {
        if (!pd_placed(src, &n->span, n->has_span))
            continue;
        pd_buf_printf(b, "%s{\"id\":%u,\"physicalLocation\":", id ? "," : ",\"relatedLocations\":[", id);
        pd_sarif_physical(b, src, &n->span);
        pd_buf_printf(b, ",\"message\":{\"text\":");
        pd_json_str(b, n->message);
        pd_buf_printf(b, "}}");
        id++;
    }
    if (id)
        pd_buf_printf(b, "]");
}

/* A fix replaces the diagnostic's span with its text. */
static void pd_sarif_fix(pd_buf *b, const pd_diag *d, ps_sources *src)
{
    pd_buf_printf(b, ",\"fixes\":[{\"description\":{\"text\":");
    pd_buf desc = {0};
    pd_buf_printf(&desc, "Replace with: %s", d->fix);
    pd_json_str(b, desc.data ? desc.data : "");
    if (desc.oom)
        b->oom = true;
    pd_buf_free(&desc);
    pd_buf_printf(b, "},\"artifactChanges\":[{\"artifactLocation\":");
    pd_sarif_artifact(b, src, &d->span);
    pd_buf_printf(b, ",\"replacements\":[{\"deletedRegion\":");
    pd_sarif_region(b, src, &d->span);
    pd_buf_printf(b, ",\"insertedContent\":{\"text\":");
    pd_json_str(b, d->fix);
    pd_buf_printf(b, "}}]}]}]");
}

static void pd_sarif_result(pd_buf *b, const pd_diag *d, ps_sources *src, const pd_sarif_tool *tool)
{
    pd_buf_printf(b, "{\"ruleId\":");
    pd_json_str(b, d->code ? d->code : "");
    long index = pd_rule_index(tool, d->code);
    if (index >= 0)
        pd_buf_printf(b, ",\"ruleIndex\":%ld", index);
    pd_buf_printf(b, ",\"level\":\"%s\",\"message\":", pd_sarif_level(d->severity));
    pd_sarif_message(b, d, src);
    bool placed = pd_placed(src, &d->span, d->has_span);
    if (placed) {
        pd_buf_printf(b, ",\"locations\":[{\"physicalLocation\":");
        pd_sarif_physical(b, src, &d->span);
        pd_buf_printf(b, "}]");
    }
    pd_sarif_related(b, d, src);
    if (placed && d->fix)
        pd_sarif_fix(b, d, src);
    pd_buf_printf(b, "}");
}

void pd_sarif_results(const pd_list *l, ps_sources *src, const pd_sarif_tool *tool, pd_buf *results,
                      size_t *count)
{
    for (const pd_diag *d = l->head; d; d = d->next) {
        if ((*count)++)
            pd_buf_printf(results, ",");
        pd_sarif_result(results, d, src, tool);
    }
}

/* ---- the log ------------------------------------------------------------------ */

static void pd_sarif_rule(pd_buf *b, const pd_sarif_tool *tool, const pd_rule *r)
{
    char anchor[32];
    size_t i = 0;
    for (; r->code[i] && i + 1 < sizeof anchor; i++)
        anchor[i] = (char)(r->code[i] >= 'A' && r->code[i] <= 'Z' ? r->code[i] - 'A' + 'a' : r->code[i]);
    anchor[i] = '\0';
    pd_buf_printf(b, "{\"id\":");
    pd_json_str(b, r->code);
    pd_buf_printf(b, ",\"shortDescription\":{\"text\":");
    pd_json_str(b, r->summary);
    pd_buf_printf(b, "}");
    if (tool->help_uri) {
        pd_buf uri = {0};
        pd_buf_printf(&uri, "%s#%s", tool->help_uri, anchor);
        pd_buf_printf(b, ",\"helpUri\":");
        pd_json_str(b, uri.data ? uri.data : "");
        if (uri.oom)
            b->oom = true;
        pd_buf_free(&uri);
    }
    pd_buf_printf(b, ",\"defaultConfiguration\":{\"level\":\"%s\"}}", pd_sarif_level(r->severity));
}

void pd_render_sarif(const pd_sarif_tool *tool, const char *results, pd_buf *out)
{
    pd_buf_printf(out, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                       "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":");
    pd_json_str(out, tool->name);
    if (tool->version) {
        pd_buf_printf(out, ",\"version\":");
        pd_json_str(out, tool->version);
    }
    if (tool->information_uri) {
        pd_buf_printf(out, ",\"informationUri\":");
        pd_json_str(out, tool->information_uri);
    }
    pd_buf_printf(out, ",\"rules\":[");
    for (size_t i = 0; i < tool->nrules; i++) {
        if (i)
            pd_buf_printf(out, ",");
        pd_sarif_rule(out, tool, &tool->rules[i]);
    }
    pd_buf_printf(out, "]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[%s]}]}\n",
                  results ? results : "");
}
