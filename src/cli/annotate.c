/* Diagnostics in JSON read back as GitHub Actions annotations (annotate.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "annotate.h"
#include "cli.h"

bool cli_named_readable(const char *path)
{
    /* stat first: opening a FIFO would wait for a writer. */
    struct stat st;
    const char *why = NULL;
    if (stat(path, &st) != 0)
        why = strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = strerror(EISDIR);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else {
        FILE *f = fopen(path, "rb");
        if (!f)
            why = strerror(errno);
        else
            fclose(f);
    }
    if (why)
        cli_error("cannot read `%s`: %s", path, why);
    return why == NULL;
}

bool cli_read_line(const char *path, uint32_t line, pd_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint32_t at = 1;
    int c = 0;
    while (at < line && (c = getc(f)) != EOF)
        if (c == '\n')
            at++;
    while (at == line && (c = getc(f)) != EOF && c != '\n')
        pd_buf_printf(out, "%c", c);
    fclose(f);
    return at == line;
}

uint32_t cli_codepoint_column(const char *path, uint32_t line, uint32_t col)
{
    pd_buf text = {0};
    uint32_t cp = col;
    if (col > 1 && cli_read_line(path, line, &text) && !text.oom)
        cp = pd_sarif_codepoint_column(text.data ? text.data : "", text.len, col);
    pd_buf_free(&text);
    return cp;
}

static uint32_t cli_json_uint(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble < 4e9 ? (uint32_t)v->valuedouble : 0;
}

static const char *cli_json_text(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static pd_severity cli_json_severity(const cJSON *d)
{
    const char *s = cli_json_text(d, "severity");
    return s && strcmp(s, "warning") == 0 ? PD_WARNING : s && strcmp(s, "note") == 0 ? PD_NOTE : PD_ERROR;
}

/* The message, then each note on its own line, "file:line:col: note: text"
 * as the text renderer writes it when it has a place. */
static void cli_fold_notes(const cJSON *d, pd_buf *msg)
{
    const char *message = cli_json_text(d, "message");
    pd_buf_printf(msg, "%s", message ? message : "");
    const cJSON *note;
    cJSON_ArrayForEach(note, cJSON_GetObjectItemCaseSensitive(d, "notes")) {
        const char *file = cli_json_text(note, "file"), *text = cli_json_text(note, "message");
        if (file)
            pd_buf_printf(msg, "\n%s:%u:%u: note: %s", file, cli_json_uint(note, "line"),
                          cli_json_uint(note, "column"), text ? text : "");
        else
            pd_buf_printf(msg, "\nnote: %s", text ? text : "");
    }
}

/* One JSON line as a diagnostic, to `fn`. False when memory ran out. */
static bool cli_read_one(const cJSON *d, cli_json_diag_fn fn, void *user)
{
    pd_buf msg = {0};
    cli_fold_notes(d, &msg);
    const char *code = cli_json_text(d, "code");
    cli_json_diag diag = {code ? code : "", cli_json_severity(d), cli_json_text(d, "file"), 0, 0, 0, 0,
                          msg.data ? msg.data : ""};
    if (diag.file) {
        diag.line = cli_json_uint(d, "line");
        diag.end_line = cli_json_uint(d, "end_line");
        if (diag.end_line < diag.line)
            diag.end_line = diag.line;
        uint32_t col = cli_json_uint(d, "column"), end_col = cli_json_uint(d, "end_column");
        diag.column = col ? cli_codepoint_column(diag.file, diag.line, col) : 0;
        diag.end_column = end_col ? cli_codepoint_column(diag.file, diag.end_line, end_col) : 0;
    }
    fn(user, &diag);
    bool ok = !msg.oom;
    pd_buf_free(&msg);
    return ok;
}

bool cli_read_json_diags(const char *rendered, cli_json_diag_fn fn, void *user)
{
    bool ok = true;
    for (const char *line = rendered; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        cJSON *d = len ? cJSON_ParseWithLength(line, len) : NULL;
        if (d)
            ok = cli_read_one(d, fn, user) && ok;
        else if (len)
            ok = false;
        cJSON_Delete(d);
        line += len + (end != NULL);
    }
    return ok;
}

static void cli_annotate_one(void *user, const cli_json_diag *d)
{
    pd_annotation a = {d->severity, d->code, d->file, d->line, d->column, d->end_line, d->end_column, d->message};
    pd_render_github(&a, user);
}

bool cli_annotate_json(const char *rendered, pd_buf *out)
{
    return cli_read_json_diags(rendered, cli_annotate_one, out) && !out->oom;
}

void cli_annotate_sink(void *user, const char *rendered)
{
    cli_diag_sink *sink = user;
    pd_buf out = {0};
    if (!cli_annotate_json(rendered, &out)) { /* false too when out ran out of memory */
        fputs(rendered, stderr); /* never lose an error: as JSON, then */
    } else if (out.data) {
        fwrite(out.data, 1, out.len, stdout);
    }
    pd_buf_free(&out);
    sink->printed = true;
}
