/* What pathway report and pathway diff share: the options every command
 * over a population takes (--facts, --jobs, --limit, -o), the run
 * of every record through the streaming layer of pathway eval (eval.h,
 * eval_jobs.c) with a command's own hooks, and writing the summary. */
#ifndef CLI_POPULATION_H
#define CLI_POPULATION_H

#include "eval.h"
#include "impact/impact.h"

/* The entries of the options every command over a population takes, in
 * its table (--as-of is each command's own: what the date means differs):
 * T's field `eo` is an eval_opts, `output` a const char *. */
#define POP_OPTIONS(T)                                                                                   \
    {.name = "--facts", .arg = "FILE", .kind = CLI_STRING, .complete = CLI_FILE,                       \
     CLI_DEST(T, eo.facts, const char *),                                                              \
     .help = "the coach records: one JSON object, a JSON array of objects, or JSON Lines (\"-\": "     \
             "standard input); read as a stream"},                                                     \
    {.name = "--jobs", .arg = "N", .kind = CLI_CALL, CLI_DEST(T, eo.jobs, unsigned), .set = eval_set_jobs, \
     .help = "evaluate on N threads (default: one per online core, once the input has more than "      \
             "4096 records); the output is the same whatever N is"},                                  \
    {.name = "--output", .short_name = 'o', .arg = "FILE", .kind = CLI_STRING, .complete = CLI_FILE,   \
     CLI_DEST(T, output, const char *),                                                                \
     .help = "write the summary to FILE (atomically) instead of standard output; not an input (the "   \
             "rules, what they include, the facts)"},                                                  \
    CLI_LIMIT_OPTIONS(T, eo.limits)

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
