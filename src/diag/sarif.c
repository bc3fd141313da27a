/* SARIF 2.1.0, the static-analysis results format GitHub code scanning
 * reads: one run of one tool, with its rules and a result per diagnostic.
 * Columns are counted in Unicode code points (run.columnKind says so), not
 * in bytes as the text renderer counts them, so that a viewer puts the mark
 * on the right character of a line with accented text.
 *
 * What GitHub code scanning needs beyond the schema (docs/lint.md, "SARIF
 * and GitHub code scanning"): each rule's fullDescription and help, a
 * partialFingerprints.primaryLocationLineHash per result that survives
 * moving the code, relative URIs under the %SRCROOT% base, and notes with a
 * place linked from the message as SARIF embedded links ("[text](id)"). */
#include <inttypes.h>
#include <string.h>

#include "diag.h"

/* ---- places ------------------------------------------------------------------ */

/* 1-based code-point column of byte offset `offset` of file `file`. */
static uint32_t pd_sarif_column(ps_sources *src, uint32_t file, uint32_t offset, uint32_t *line)
{
    uint32_t bytecol, len;
    ps_position(src, file, offset, line, &bytecol);
    const char *text = ps_line_text(src, file, *line, &len);
    return pd_sarif_codepoint_column(text, len, bytecol);
}

/* Past the end of the line's text (the newline itself): one more. */
uint32_t pd_sarif_codepoint_column(const char *line, size_t len, uint32_t bytecol)
{
    uint32_t col = 1;
    for (size_t i = 0; i + 1 < bytecol && i < len; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            col++;
    if (bytecol > len + 1)
        col += (uint32_t)(bytecol - len - 1);
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
static void pd_sarif_fold(pd_buf *out, const char *name)
{
    size_t n = strlen(name);
    pd_buf folded = {0};
    pd_buf_printf(&folded, "%s", name[0] == '/' ? "file://" : "");
    /* Segments kept so far: their start offsets in `folded`. */
    size_t starts[256], nseg = 0;
    bool deep = false; /* more segments than starts[] holds: `..` stays as written */
    size_t base = folded.len;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && name[j] != '/')
            j++;
        size_t len = j - i;
        bool last = j == n;
        if (len == 1 && name[i] == '.' && !last) {
            /* `./`: nothing */
        } else if (len == 2 && name[i] == '.' && name[i + 1] == '.' && nseg > 0 && !deep &&
                   !(folded.data && strncmp(folded.data + starts[nseg - 1], "../", 3) == 0)) {
            folded.len = starts[--nseg]; /* `dir/..` */
            if (folded.data)
                folded.data[folded.len] = '\0';
        } else {
            if (nseg < sizeof starts / sizeof *starts)
                starts[nseg++] = folded.len;
            else
                deep = true;
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
    pd_buf_printf(out, "%s", folded.data ? folded.data : "");
    if (folded.oom)
        out->oom = true;
    pd_buf_free(&folded);
}

void pd_sarif_uri(pd_buf *b, const char *name)
{
    pd_buf folded = {0};
    pd_sarif_fold(&folded, name);
    pd_json_str(b, folded.data ? folded.data : "");
    if (folded.oom)
        b->oom = true;
    pd_buf_free(&folded);
}

/* An artifactLocation of a file name: relative names are relative to the
 * %SRCROOT% base (originalUriBaseIds), as code scanning expects. */
static void pd_sarif_file(pd_buf *b, const char *name)
{
    pd_buf_printf(b, "{\"uri\":");
    pd_sarif_uri(b, name);
    if (name[0] != '/')
        pd_buf_printf(b, ",\"uriBaseId\":\"%%SRCROOT%%\"");
    pd_buf_printf(b, "}");
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
    pd_sarif_file(b, src->files[span->file].name);
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

/* Plain text in a SARIF message, where `[` and `]` would start an
 * embedded link (SARIF 2.1.0 §3.11.6): escaped with a backslash, as is the
 * backslash itself. */
static void pd_sarif_text(pd_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '[' || *s == ']' || *s == '\\')
            pd_buf_printf(b, "\\");
        pd_buf_printf(b, "%c", *s);
    }
}

/* The message, then each note a line: a note with a place as an embedded
 * link to its related location ("[note](1)", the ids pd_sarif_related
 * gives), one without as text, since a viewer shows only the message and
 * the related locations. */
static void pd_sarif_message(pd_buf *b, const pd_diag *d, ps_sources *src)
{
    pd_buf text = {0};
    pd_sarif_text(&text, d->message);
    unsigned id = 0;
    for (const pd_note *n = d->notes; n; n = n->next) {
        pd_buf_printf(&text, "\n");
        if (pd_placed(src, &n->span, n->has_span)) {
            pd_buf_printf(&text, "[");
            pd_sarif_text(&text, n->message);
            pd_buf_printf(&text, "](%u)", ++id);
        } else {
            pd_sarif_text(&text, n->message);
        }
    }
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
        pd_buf_printf(b, "%s{\"id\":%u,\"physicalLocation\":", id ? "," : ",\"relatedLocations\":[", id + 1);
        pd_sarif_physical(b, src, &n->span);
        pd_buf text = {0};
        pd_sarif_text(&text, n->message);
        pd_buf_printf(b, ",\"message\":{\"text\":");
        pd_json_str(b, text.data ? text.data : "");
        pd_buf_printf(b, "}}");
        if (text.oom)
            b->oom = true;
        pd_buf_free(&text);
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

/* ---- fingerprints ---------------------------------------------------------------- */

static uint64_t pd_fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

/* partialFingerprints.primaryLocationLineHash, in the form GitHub's own
 * has ("<hash>:<n>"): an FNV-1a hash of the rule, the file's URI and the
 * text of the result's first line with its runs of blanks folded to one
 * space (so neither the line number nor the indentation counts, and code
 * moved elsewhere in the file keeps its alerts); <n> counts the results of
 * the log with the same hash so far, so that two alike stay apart. Code
 * scanning matches alerts across runs by it; an upload through the API
 * computes none of its own. */
static void pd_sarif_fingerprint(pd_buf *b, const char *code, const char *file, const char *line,
                                 size_t len)
{
    pd_buf uri = {0};
    pd_sarif_fold(&uri, file);
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    h = pd_fnv(h, code ? code : "", code ? strlen(code) + 1 : 1);
    h = pd_fnv(h, uri.data ? uri.data : "", uri.len + 1);
    if (uri.oom)
        b->oom = true;
    pd_buf_free(&uri);
    bool blank = false, started = false; /* leading and trailing blanks fold away */
    for (size_t i = 0; line && i < len; i++) {
        if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n') {
            blank = true;
            continue;
        }
        if (blank && started)
            h = pd_fnv(h, " ", 1);
        blank = false;
        started = true;
        h = pd_fnv(h, line + i, 1);
    }
    char key[64];
    snprintf(key, sizeof key, "\"primaryLocationLineHash\":\"%016" PRIx64 ":", h);
    unsigned seen = 1;
    for (const char *p = b->data; p && (p = strstr(p, key)) != NULL; p++)
        seen++;
    pd_buf_printf(b, ",\"partialFingerprints\":{%s%u\"}", key, seen);
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
    if (placed) {
        uint32_t line, col, len;
        ps_position(src, d->span.file, d->span.start, &line, &col);
        const char *text = ps_line_text(src, d->span.file, line, &len);
        pd_sarif_fingerprint(b, d->code, src->files[d->span.file].name, text, len);
    }
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

void pd_sarif_plain_result(const pd_sarif_plain *p, const pd_sarif_tool *tool, pd_buf *results,
                           size_t *count)
{
    if ((*count)++)
        pd_buf_printf(results, ",");
    pd_buf_printf(results, "{\"ruleId\":");
    pd_json_str(results, p->code ? p->code : "");
    long index = pd_rule_index(tool, p->code);
    if (index >= 0)
        pd_buf_printf(results, ",\"ruleIndex\":%ld", index);
    pd_buf_printf(results, ",\"level\":\"%s\",\"message\":{\"text\":", pd_sarif_level(p->severity));
    pd_buf text = {0};
    pd_sarif_text(&text, p->message ? p->message : "");
    pd_json_str(results, text.data ? text.data : "");
    if (text.oom)
        results->oom = true;
    pd_buf_free(&text);
    pd_buf_printf(results, "}");
    if (p->file) {
        pd_buf_printf(results, ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":");
        pd_sarif_file(results, p->file);
        pd_buf_printf(results, ",\"region\":{\"startLine\":%u,\"startColumn\":%u,\"endLine\":%u,"
                               "\"endColumn\":%u}}}]",
                      p->line, p->column, p->end_line, p->end_column);
        pd_sarif_fingerprint(results, p->code, p->file, p->line_text, p->line_len);
    }
    pd_buf_printf(results, "}");
}

/* ---- the log ------------------------------------------------------------------ */

static const pd_rule_doc *pd_rule_doc_of(const pd_sarif_extra *extra, const char *code)
{
    for (size_t i = 0; extra && i < extra->ndocs; i++)
        if (strcmp(extra->docs[i].code, code) == 0)
            return &extra->docs[i];
    return NULL;
}

/* help: the markdown as it is, and as text without the code fences. */
static void pd_sarif_help(pd_buf *b, const pd_rule_doc *doc)
{
    pd_buf text = {0}, md = {0};
    for (const char *const *l = doc->markdown; *l; l++) {
        pd_buf_printf(&md, "%s%s", l == doc->markdown ? "" : "\n", *l);
        if (strncmp(*l, "```", 3) != 0)
            pd_buf_printf(&text, "%s%s", text.len ? "\n" : "", *l);
    }
    /* A sentence, as SARIF asks (§3.49.9): the compiler's summaries have
     * no period of their own. */
    pd_buf full = {0};
    size_t n = strlen(doc->title);
    pd_buf_printf(&full, "%s%s", doc->title, n && doc->title[n - 1] == '.' ? "" : ".");
    pd_buf_printf(b, ",\"fullDescription\":{\"text\":");
    pd_json_str(b, full.data ? full.data : doc->title);
    if (full.oom)
        b->oom = true;
    pd_buf_free(&full);
    pd_buf_printf(b, "},\"help\":{\"text\":");
    pd_json_str(b, text.data ? text.data : doc->title);
    pd_buf_printf(b, ",\"markdown\":");
    pd_json_str(b, md.data ? md.data : doc->title);
    pd_buf_printf(b, "}");
    if (text.oom || md.oom)
        b->oom = true;
    pd_buf_free(&text);
    pd_buf_free(&md);
}

static void pd_sarif_rule(pd_buf *b, const pd_sarif_tool *tool, const pd_sarif_extra *extra,
                          const pd_rule *r)
{
    const pd_rule_doc *doc = pd_rule_doc_of(extra, r->code);
    const char *page = doc && doc->page ? doc->page : tool->help_uri;
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
    if (doc)
        pd_sarif_help(b, doc);
    if (page) {
        pd_buf uri = {0};
        pd_buf_printf(&uri, "%s#%s", page, anchor);
        pd_buf_printf(b, ",\"helpUri\":");
        pd_json_str(b, uri.data ? uri.data : "");
        if (uri.oom)
            b->oom = true;
        pd_buf_free(&uri);
    }
    pd_buf_printf(b, ",\"defaultConfiguration\":{\"level\":\"%s\"}}", pd_sarif_level(r->severity));
}

/* originalUriBaseIds: %SRCROOT% as a file: URI ending in `/`. */
static void pd_sarif_srcroot(pd_buf *out, const char *dir)
{
    pd_buf uri = {0};
    pd_sarif_fold(&uri, dir);
    if (uri.len && uri.data[uri.len - 1] != '/')
        pd_buf_printf(&uri, "/");
    pd_buf_printf(out, ",\"originalUriBaseIds\":{\"%%SRCROOT%%\":{\"uri\":");
    pd_json_str(out, uri.data ? uri.data : "");
    pd_buf_printf(out, ",\"description\":{\"text\":\"The directory pathway ran in: relative file "
                       "names are relative to it.\"}}}");
    if (uri.oom)
        out->oom = true;
    pd_buf_free(&uri);
}

void pd_render_sarif(const pd_sarif_tool *tool, const char *results, pd_buf *out)
{
    pd_render_sarif_log(tool, NULL, results, out);
}

void pd_render_sarif_log(const pd_sarif_tool *tool, const pd_sarif_extra *extra, const char *results,
                         pd_buf *out)
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
        pd_sarif_rule(out, tool, extra, &tool->rules[i]);
    }
    pd_buf_printf(out, "]}}");
    if (extra) {
        pd_buf_printf(out, ",\"invocations\":[{\"executionSuccessful\":%s}]",
                      extra->failed ? "false" : "true");
        if (extra->srcroot && extra->srcroot[0] == '/')
            pd_sarif_srcroot(out, extra->srcroot);
    }
    pd_buf_printf(out, ",\"columnKind\":\"unicodeCodePoints\",\"results\":[%s]}]}\n",
                  results ? results : "");
}
