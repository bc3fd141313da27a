/* The options and the run that pathway report and pathway diff share
 * (population.h). The streaming, the threads and the order of the output
 * are pathway eval's own (eval_input.c, eval_jobs.c). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "population.h"

const char pop_help[] =
    "  --facts FILE       the coach records: one JSON object, a JSON array of objects,\n"
    "                     or JSON Lines (\"-\": standard input); read as a stream\n"
    "  --jobs N           evaluate on N threads (default: one per online core, once\n"
    "                     the input has more than 4096 records); the output is the\n"
    "                     same whatever N is\n"
    "  -o, --output FILE  write the summary to FILE (atomically) instead of standard output;\n"
    "                     not an input (the rules, what they include, the facts)\n";

bool pop_option(int argc, char **argv, int *i, eval_opts *o, const char **output, int *status)
{
    const char *a = argv[*i], *v;
    *status = CLI_USAGE;
    if (cli_limit_option(argc, argv, i, &o->limits, status))
        return true;
    if (cli_is_option(a, "--facts")) {
        if ((o->facts = cli_option_value(argc, argv, i, "--facts")))
            *status = CLI_OK;
    } else if (cli_is_option(a, "--as-of")) {
        pw_error err;
        if (!(v = cli_option_value(argc, argv, i, "--as-of")))
            return true;
        if (pw_date_parse(v, &o->as_of, &err) != PW_OK)
            cli_error("--as-of: %s", err.message);
        else
            *status = CLI_OK;
    } else if (cli_is_option(a, "--jobs")) {
        if ((v = cli_option_value(argc, argv, i, "--jobs")) && eval_parse_jobs(v, &o->jobs))
            *status = CLI_OK;
    } else if (strcmp(a, "-o") == 0 || cli_is_option(a, "--output")) {
        if ((*output = cli_option_value(argc, argv, i, a[1] == 'o' ? "-o" : "--output")))
            *status = CLI_OK;
    } else {
        return false;
    }
    return true;
}

bool pop_format(const char *v, const char *const *allowed, pi_format *out)
{
    static const char *const names[] = {"text", "json", "csv", "html"};
    for (size_t i = 0; allowed[i]; i++) {
        if (strcmp(v, allowed[i]) != 0)
            continue;
        for (size_t f = 0; f < sizeof names / sizeof *names; f++)
            if (strcmp(v, names[f]) == 0)
                *out = (pi_format)f;
        return true;
    }
    return false;
}

pw_program *pop_open_rules(const char *path, const cli_limits *limits)
{
    cli_diag_sink sink;
    pw_compile_options copt = cli_compile_options(PW_DIAG_TEXT, &sink);
    cli_apply_limits(&copt, limits);
    pw_error err;
    pw_program *program = NULL;
    if (pw_program_open(path, &copt, &program, &err) != PW_OK) {
        cli_report_failure(&sink, &err);
        return NULL;
    }
    return program;
}

int pop_run(const eval_shared *sh, void *state, int list_fd, unsigned long long *bad)
{
    return eval_stream(sh, state, list_fd, "the list of affected coaches", CLI_WRITE, bad);
}

int pop_write_summary(const char *path, bool (*render)(FILE *out, const void *view), const void *view)
{
    char *data = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&data, &len);
    if (!mem) {
        cli_error("out of memory");
        return CLI_USAGE;
    }
    bool ok = render(mem, view);
    if (fclose(mem) != 0)
        ok = false;
    int rc = CLI_OK;
    if (!ok) {
        cli_error("out of memory writing the summary");
        rc = CLI_USAGE;
    } else if (path) {
        rc = cli_write_output(path, data, len); /* "-" is standard output */
    } else if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("error writing the summary");
        rc = CLI_WRITE;
    }
    free(data);
    return rc;
}
