/* The `pathway` command: shared helpers of the subcommands. */
#ifndef CLI_H
#define CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pathway.h"
#include "util/buf.h"
#include "util/escape.h"

/* Exit statuses, the same for every subcommand. */
enum {
    CLI_OK = 0,
    CLI_FOUND = 1,  /* the command ran and found problems (bad records, errors) */
    CLI_USAGE = 2,  /* a usage error, or (eval) rules that do not compile */
    CLI_WRITE = 3   /* an output could not be written, or was refused (it names
                       an input, a symbolic link, a read-only file...) */
};

#include "options.h"

/* The commands, each with its option table (cmd_*.c). */
extern const cli_command cli_check_cmd, cli_compile_cmd, cli_disasm_cmd; /* cmd_check.c */
extern const cli_command cli_eval_cmd, cli_report_cmd, cli_diff_cmd, cli_test_cmd, cli_fmt_cmd,
    cli_lint_cmd;
extern const cli_command cli_explain_cmd, cli_when_cmd, cli_plan_cmd; /* cmd_explain.c */
extern const cli_command cli_completion_cmd;                            /* completion.c */
extern const cli_command cli_lsp_cmd;                                   /* cmd_lsp.c */
/* explain_code.c: `check --explain CODE` prints a compiler code's section of
 * docs/errors.md; CLI_USAGE for an unknown code. */
int cli_explain_code(const char *code);

/* Prints "pathway: message" to stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* cli_error with the arguments in a va_list. */
void cli_verror(const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 0)))
#endif
    ;

/* Where compile diagnostics go, and whether any were printed (so a failure
 * without diagnostics still gets its message shown). */
typedef struct cli_diag_sink {
    FILE *out;
    bool printed;
} cli_diag_sink;
/* Compile options that print diagnostics to the sink: stderr for text
 * (colour on a terminal), stdout for JSON. */
pw_compile_options cli_compile_options(pw_diag_format format, cli_diag_sink *sink);
/* Reports a failed compile or load unless its diagnostics said it already. */
void cli_report_failure(const cli_diag_sink *sink, const pw_error *err);
/* `--limit NAME=VALUE`: the limits a command was given (docs/robustness.md). */
typedef struct cli_limits {
    pw_limits limits;
    unsigned max_errors; /* diagnostics reported per file; 0 = the default */
    const char *include_root; /* --include-root DIR, or NULL */
    size_t max_record_bytes; /* one line of JSON Lines facts; 0 = CLI_DEFAULT_RECORD_BYTES */
} cli_limits;
/* A facts line longer than this is a bad record, skipped to its newline. */
#define CLI_DEFAULT_RECORD_BYTES ((size_t)1 << 20)
/* Puts the limits into compile options made by cli_compile_options. */
void cli_apply_limits(pw_compile_options *opt, const cli_limits *l);
/* A context for program under the limits, as pw_context_new. */
pw_status cli_context_new(const pw_program *program, const cli_limits *l, pw_context **out, pw_error *err);
/* The rule files FILE|DIR arguments name (a DIR searched for *.pw files,
 * see pr_collect_files), appended to `files`; problems and notes are
 * printed. False when a directory could not be read. */
struct pr_strings;
bool cli_collect_files(const struct pr_strings *args, struct pr_strings *files);
/* A FILE|DIR operand (lint, test, fmt) pushed onto args; CLI_OK, or
 * CLI_USAGE after reporting a want of memory. */
int cli_push_operand(struct pr_strings *args, const char *arg);

/* The files a command reads, by identity (device and inode), so that no
 * output can name one of them (docs/robustness.md, "Outputs"). */
typedef struct cli_input {
    unsigned long long dev, ino;
    char *name;
} cli_input;
typedef struct cli_inputs {
    cli_input *items;
    size_t n, cap;
    bool oom;
} cli_inputs;
/* Adds a file ("-": standard input, when it is a file); one that does not
 * exist is nothing to protect. */
void cli_inputs_add(cli_inputs *in, const char *path);
/* Adds a rule file and every file it includes (read again, quietly, to
 * learn their names; bytecode includes nothing). */
void cli_inputs_add_rules(cli_inputs *in, const char *path, const cli_limits *limits);
void cli_inputs_fini(cli_inputs *in);
/* --changed (CLI_CHANGED_OPTION): keeps the files of `files` that are one of
 * `changed` or include one, at any depth; every file when one of `changed`
 * no longer exists. False (with a message) when memory runs out. */
bool cli_keep_changed(struct pr_strings *files, const struct pr_strings *changed, const cli_limits *limits);
/* True when the file starts with the bytecode magic: it has no source to
 * analyse, and compiling it would only report its bytes as syntax errors. */
bool cli_is_bytecode(const char *path);
/* CLI_OK when `output` (NULL: none, "-": standard output) names none of the
 * inputs and the writer would take it (pu_out_check); otherwise reports it
 * and returns CLI_WRITE. Commands call it before their work. */
int cli_output_check(const cli_inputs *in, const char *output);
/* Writes data to `path` with pu_write_file; CLI_OK or, after the message,
 * CLI_WRITE. */
int cli_write_output(const char *path, const void *data, size_t len);
/* The command line's output buffer is util/buf.h's (the library's eval
 * line is assembled with the same code). */
typedef pu_buf cli_buf;
#define cli_buf_reserve pu_buf_reserve
#define cli_buf_free pu_buf_free
#define cli_buf_printf pu_buf_printf
#define cli_buf_json_string pu_buf_json_string
#define cli_buf_put pu_buf_put
#define cli_buf_puts pu_buf_puts
/* Appends s (up to its NUL) as text for a terminal or a log: control and
 * bidi characters shown as visible escapes (pu_escape_text). */
void cli_buf_text(cli_buf *b, const char *s);

#endif
