/* What pathway report and pathway diff share: the options every command
 * over a population takes (--facts, --as-of, --jobs, --limit, -o), the run
 * of every record through the streaming layer of pathway eval (eval.h,
 * eval_jobs.c) with a command's own hooks, and writing the summary. */
#ifndef CLI_POPULATION_H
#define CLI_POPULATION_H

#include "eval.h"
#include "impact/impact.h"

/* When argv[*i] is one of the shared options, reads it into o (advancing
 * *i) and returns true with *status CLI_OK, or CLI_USAGE after reporting a
 * bad value. False for any other argument. */
bool pop_option(int argc, char **argv, int *i, eval_opts *o, const char **output, int *status);
/* The help text's lines on the shared options. */
extern const char pop_help[];

/* --format: one of `allowed` (a NULL-terminated list of names of
 * pi_format, in its order text, json, csv, html). */
bool pop_format(const char *v, const char *const *allowed, pi_format *out);

/* Compiles or loads a rules file, reporting a failure; NULL then. */
pw_program *pop_open_rules(const char *path, const cli_limits *limits);

/* Streams o->facts through sh->hooks (with `state` as the main thread's),
 * the output of each record (if any) written to list_fd in input order.
 * Returns CLI_OK, or CLI_USAGE when the facts cannot be read or memory ran
 * out; *bad gets the records that could not be evaluated. */
int pop_run(const eval_shared *sh, void *state, int list_fd, unsigned long long *bad);

/* Writes what render() makes to standard output, or atomically to `path`. */
int pop_write_summary(const char *path, bool (*render)(FILE *out, const void *view), const void *view);

#endif
