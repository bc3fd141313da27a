/* A file's tests run when it is saved (src/ruletest, as `pathway test`):
 * each failed expectation becomes a diagnostic on it, and a test that could
 * not run one on the test. They are published with the check and lint
 * diagnostics until the text changes. */
#include <stdlib.h>
#include <string.h>

#include "lsp_int.h"
#include "ruletest/ruletest.h"

/* A diagnostic at a 1-based line and byte column of the document, over the
 * word there. */
static cJSON *ls_test_diag(const ls_doc *doc, unsigned line, unsigned col, const char *message)
{
    size_t a = ls_offset_of_line_col(doc->text, doc->len, line, col), b = a;
    while (b < doc->len && doc->text[b] != '\n' && doc->text[b] != ' ')
        b++;
    cJSON *d = cJSON_CreateObject();
    ls_put(d, "range", ls_json_span(doc->text, doc->len, a, b));
    cJSON_AddNumberToObject(d, "severity", 1);
    cJSON_AddStringToObject(d, "code", "test");
    cJSON_AddStringToObject(d, "source", "pathway test");
    cJSON_AddStringToObject(d, "message", message);
    return d;
}

static void ls_test_failures(const ls_doc *doc, const pr_test *t, cJSON *out)
{
    if (t->status == PR_PASS)
        return;
    pd_buf b = {0};
    if (t->error || t->nfailures == 0) {
        pd_buf_printf(&b, "test \"%s\" could not run: %s", t->title ? t->title : "",
                      t->error ? t->error : "an error");
        pu_buf_append(&b, "", 0);
        ls_push(out, ls_test_diag(doc, t->line, t->column, b.data && !b.oom ? b.data : ""));
        pd_buf_free(&b);
        return;
    }
    for (size_t i = 0; i < t->nfailures; i++) {
        const pr_failure *f = &t->failures[i];
        pd_buf_printf(&b, "test \"%s\" failed:\n", t->title ? t->title : "");
        pr_render_failure(f, "", &b);
        pu_buf_append(&b, "", 0);
        /* The renderer ends in a newline: the client shows none. */
        while (b.len > 0 && b.data[b.len - 1] == '\n')
            b.data[--b.len] = '\0';
        ls_push(out, ls_test_diag(doc, f->line, f->column, b.data && !b.oom ? b.data : ""));
        pd_buf_free(&b);
    }
}

cJSON *ls_run_tests(const ls_doc *doc)
{
    cJSON *out = cJSON_CreateArray();
    if (!doc->path || !out)
        return out;
    pr_file f;
    pw_error err;
    pw_compile_options o;
    pw_compile_options_init(&o);
    if (pr_run_file(doc->path, &o, NULL, &f, &err) == PW_OK && f.compiled)
        for (size_t i = 0; i < f.ntests; i++)
            ls_test_failures(doc, &f.tests[i], out);
    pr_file_fini(&f);
    return out;
}
