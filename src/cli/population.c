/* The options and the run that pathway report and pathway diff share
 * (population.h). The streaming, the threads and the order of the output
 * are pathway eval's own (eval_input.c, eval_jobs.c). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "population.h"

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
