/* textDocument/formatting: the buffer through the formatter of `pathway fmt`
 * (src/fmt). The result is one edit replacing the whole document, or none
 * when it is already formatted; a buffer that does not parse is refused
 * with an error response, never half formatted. */
#include <string.h>

#include "fmt/fmt.h"
#include "lsp_int.h"

/* The first syntax error, as "line:col: message". */
static void ls_first_error(const pd_list *diags, ps_sources *src, char *out, size_t size)
{
    snprintf(out, size, "the text does not parse");
    for (const pd_diag *d = diags->head; d; d = d->next)
        if (d->severity == PD_ERROR && d->has_span) {
            uint32_t line, col;
            ps_position(src, d->span.file, d->span.start, &line, &col);
            snprintf(out, size, "the text does not parse: %u:%u: %s", line, col, d->message);
            return;
        }
}

bool ls_format(const ls_doc *doc, cJSON **result, ls_error *e)
{
    pm_arena arena;
    pm_init(&arena, 0);
    ps_sources src;
    ps_init(&src, &arena);
    pd_list diags;
    pd_init(&diags, &arena, 10);
    pd_buf out = {0};
    const char *name = doc->path ? doc->path : doc->uri;
    int file = ps_add(&src, name, name, doc->text, doc->len);
    fm_status st = file < 0 ? FM_NOMEM : fm_format(&src, (uint32_t)file, &diags, &out);
    bool ok = st == FM_OK;
    if (st == FM_SYNTAX) {
        char msg[sizeof e->message];
        ls_first_error(&diags, &src, msg, sizeof msg);
        ls_fail(e, LS_REQUEST_FAILED, "%s", msg);
    } else if (!ok) {
        ls_fail(e, LS_INTERNAL_ERROR, "out of memory formatting the document");
    } else {
        *result = cJSON_CreateArray();
        const char *formatted = out.data ? out.data : "";
        /* An empty document's text may be NULL: no memcmp of it. */
        if (out.len != doc->len || (doc->len && memcmp(formatted, doc->text, doc->len) != 0)) {
            cJSON *edit = cJSON_CreateObject();
            ls_put(edit, "range", ls_json_span(doc->text, doc->len, 0, doc->len));
            cJSON *text = cJSON_CreateString(formatted);
            ls_put(edit, "newText", text);
            ls_push(*result, edit);
        }
    }
    pd_buf_free(&out);
    ps_fini(&src);
    pm_free(&arena);
    return ok;
}
