/* GitHub Actions workflow commands: a diagnostic as an annotation that a
 * workflow run shows on the line of the pull request's diff, without code
 * scanning (docs/cli.md, "Annotations for GitHub Actions"):
 *   ::error file=F,line=L,endLine=L,col=C,endColumn=C,title=E0402::message
 * The runner reads them from standard output. Its escaping: in the message
 * `%`, CR and LF as %25, %0D, %0A; in a property also `:` and `,` as %3A
 * and %2C, which would otherwise end the property. */
#include "diag.h"

static void pd_github_escape(pd_buf *b, const char *s, bool property)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '%': pd_buf_printf(b, "%%25"); break;
        case '\r': pd_buf_printf(b, "%%0D"); break;
        case '\n': pd_buf_printf(b, "%%0A"); break;
        case ':':
            if (property) {
                pd_buf_printf(b, "%%3A");
                break;
            }
            pd_buf_printf(b, ":");
            break;
        case ',':
            if (property) {
                pd_buf_printf(b, "%%2C");
                break;
            }
            pd_buf_printf(b, ",");
            break;
        default: pd_buf_printf(b, "%c", *s);
        }
    }
}

/* error, warning, and notice for a note (GitHub's three levels). */
static const char *pd_github_level(pd_severity s)
{
    return s == PD_ERROR ? "error" : s == PD_WARNING ? "warning" : "notice";
}

void pd_render_github(const pd_annotation *a, pd_buf *out)
{
    pd_buf_printf(out, "::%s ", pd_github_level(a->severity));
    bool sep = false;
    if (a->file && a->line) {
        pd_buf_printf(out, "file=");
        pd_github_escape(out, a->file, true);
        pd_buf_printf(out, ",line=%u,endLine=%u", a->line, a->end_line >= a->line ? a->end_line : a->line);
        /* Columns only within one line: GitHub ignores them across lines. */
        if (a->column && (a->end_line == a->line || a->end_line == 0)) {
            pd_buf_printf(out, ",col=%u", a->column);
            if (a->end_column > a->column)
                pd_buf_printf(out, ",endColumn=%u", a->end_column);
        }
        sep = true;
    }
    if (a->code && *a->code) {
        pd_buf_printf(out, "%stitle=", sep ? "," : "");
        pd_github_escape(out, a->code, true);
    }
    pd_buf_printf(out, "::");
    pd_github_escape(out, a->message, false);
    pd_buf_printf(out, "\n");
}
