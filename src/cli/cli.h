/* The `pathway` command: shared helpers of the subcommands. */
#ifndef CLI_H
#define CLI_H

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

typedef int (*cli_main_fn)(int argc, char **argv);

int cli_check(int argc, char **argv);
int cli_compile(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_diff(int argc, char **argv);
int cli_disasm(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_fmt(int argc, char **argv);
int cli_lint(int argc, char **argv);
int cli_explain(int argc, char **argv); /* cmd_explain.c: explain, when, plan */
int cli_when(int argc, char **argv);
int cli_plan(int argc, char **argv);
/* explain_code.c: `check --explain CODE` prints a compiler code's section of
 * docs/errors.md; CLI_USAGE for an unknown code. */
int cli_explain_code(const char *code);

/* Prints "pathway: message" to stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* The value of an option given as `--name VALUE` or `--name=VALUE`; advances
 * *i. Returns NULL (after reporting) when the value is missing. */
const char *cli_option_value(int argc, char **argv, int *i, const char *name);
/* True when argv[i] is `--name` or `--name=...`. */
bool cli_is_option(const char *arg, const char *name);
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
/* When argv[*i] is `--limit` (or `--include-root`, which confines the
 * files rules may include), reads its value into *l (advancing *i) and
 * returns true with *status CLI_OK, or CLI_USAGE after reporting a bad one.
 * Returns false for any other argument. */
bool cli_limit_option(int argc, char **argv, int *i, cli_limits *l, int *status);
/* Prints a command's help, a blank line and the paragraph on --limit. */
void cli_print_help(const char *help);
/* The options every command over rule files takes: -h/--help (prints help
 * with cli_print_help; *status -1) and --limit (as cli_limit_option). True
 * when argv[*i] is one of them. */
bool cli_common_option(int argc, char **argv, int *i, const char *help, cli_limits *l, int *status);
/* Puts the limits into compile options made by cli_compile_options. */
void cli_apply_limits(pw_compile_options *opt, const cli_limits *l);
/* The help text's paragraph on --limit. */
extern const char cli_limit_help[];

/* The rule files FILE|DIR arguments name (a DIR searched for *.pw files,
 * see pr_collect_files), appended to `files`; problems and notes are
 * printed. False when a directory could not be read. */
struct pr_strings;
bool cli_collect_files(const struct pr_strings *args, struct pr_strings *files);
/* The part of the option loops of the FILE|DIR commands (lint, test) they
 * share: `--`, an operand (pushed onto args) or a common option. True when
 * argv[*i] was one of these; *status is then CLI_OK to go on, or the exit
 * status (-1 after printing help). */
bool cli_files_arg(int argc, char **argv, int *i, bool *ended, const char *help, cli_limits *limits,
                   struct pr_strings *args, int *status);

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
/* `--` ends the options: true (and sets *ended) when argv[i] is the first
 * `--`; the arguments after it are operands even when they start with -. */
bool cli_end_of_options(const char *arg, bool *ended);

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

/* Writes s as a JSON string literal, quotes included (as cli_buf_json_string). */
void cli_json_string(FILE *out, const char *s);

#endif
