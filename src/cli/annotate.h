/* `--format github` for check, lint and test: diagnostics as GitHub Actions
 * workflow commands (pd_render_github), read back from their JSON lines so
 * that compile errors and lint findings take one path. */
#ifndef CLI_ANNOTATE_H
#define CLI_ANNOTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag/diag.h"

/* A diagnostic read back from its JSON line (`check --format json`). */
typedef struct cli_json_diag {
    const char *code;       /* "" for none */
    pd_severity severity;
    const char *file;       /* NULL: no place */
    uint32_t line, column, end_line, end_column; /* columns in code points; 0 for none */
    const char *message;    /* the notes folded in, a line each:
                             * "file:line:col: note: text" or "note: text" */
} cli_json_diag;
typedef void (*cli_json_diag_fn)(void *user, const cli_json_diag *d);
/* Calls `fn` with each JSON line of `rendered`, byte columns turned into
 * code points by reading the file. False when a line is not such JSON or
 * memory ran out (the others are still passed on). */
bool cli_read_json_diags(const char *rendered, cli_json_diag_fn fn, void *user);
/* Each JSON line of `rendered` as an annotation (pd_render_github) appended
 * to `out`. False as cli_read_json_diags. */
bool cli_annotate_json(const char *rendered, pd_buf *out);
/* pw_compile_options.on_diagnostics for --format github (the options' format
 * PW_DIAG_JSON, `user` a cli_diag_sink): each diagnostic as a workflow
 * command on standard output, where the runner reads them. */
void cli_annotate_sink(void *user, const char *rendered);
/* Line `line` (1-based) of file `path`, without its newline, into *out;
 * false when the file or the line is not there. */
bool cli_read_line(const char *path, uint32_t line, pd_buf *out);
/* The code-point column of byte column `col` of line `line` of `path`
 * (col when the line cannot be read). */
uint32_t cli_codepoint_column(const char *path, uint32_t line, uint32_t col);

/* Whether a file named on the command line can be read; prints
 * "pathway: cannot read `F`: reason" when not. check and lint exit 2 for
 * such a file (docs/cli.md, "Exit status"), where an include that cannot
 * be read is an error in the rules (1). */
bool cli_named_readable(const char *path);

#endif
