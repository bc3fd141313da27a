/* pathway: check, compile, evaluate, disassemble, test and format rule files. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/assert.h"

void cli_verror(const char *fmt, va_list ap)
{
    fputs("pathway: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_verror(fmt, ap);
    va_end(ap);
}

static void cli_print_diagnostics(void *user, const char *rendered)
{
    cli_diag_sink *sink = user;
    fputs(rendered, sink->out);
    sink->printed = true;
}

void cli_report_failure(const cli_diag_sink *sink, const pw_error *err)
{
    if (!sink->printed || err->status != PW_ERR_COMPILE)
        cli_error("%s", err->message);
}

pw_compile_options cli_compile_options(pw_diag_format format, cli_diag_sink *sink)
{
    pw_compile_options o;
    pw_compile_options_init(&o);
    sink->out = format == PW_DIAG_JSON ? stdout : stderr;
    sink->printed = false;
    o.on_diagnostics = cli_print_diagnostics;
    o.user = sink;
    o.format = format;
    o.color = format == PW_DIAG_TEXT && isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    return o;
}

/* Every command, in the order `pathway --help` lists them. */
const cli_command *const cli_commands[] = {
    &cli_check_cmd, &cli_compile_cmd, &cli_eval_cmd, &cli_report_cmd, &cli_diff_cmd,
    &cli_disasm_cmd, &cli_test_cmd, &cli_fmt_cmd, &cli_lint_cmd, &cli_explain_cmd,
    &cli_when_cmd, &cli_plan_cmd, &cli_lsp_cmd, &cli_completion_cmd,
};
const size_t cli_ncommands = sizeof cli_commands / sizeof *cli_commands;

/* `pathway --help`: the commands, each with its synopsis and summary. */
static void cli_usage(FILE *out)
{
    fputs("usage: pathway <command> [options]\n\nCommands:\n", out);
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *c = cli_commands[i];
        char label[128];
        snprintf(label, sizeof label, "%s%s%s", c->name, *c->synopsis ? " " : "", c->synopsis);
        /* A synopsis too long for the column puts its summary on the next line. */
        if (strlen(label) > 28)
            fprintf(out, "  %s\n  %-28s  %s\n", label, "", c->summary);
        else
            fprintf(out, "  %-28s  %s\n", label, c->summary);
    }
    fputs("\n"
          "Run `pathway <command> --help` for a command's options.\n"
          "Options: --help, --version\n",
          out);
}

/* Every command's standard output, checked once at the end: a full disk
 * or a closed pipe is a failure whatever the command was (CLI_WRITE, said
 * once: a command that already reported its own returns CLI_WRITE). */
static int cli_finish(int rc)
{
    bool bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = true;
        e = errno;
    }
    if (!bad)
        return rc;
    if (rc != CLI_WRITE)
        cli_error("error writing standard output: %s", strerror(e));
    return CLI_WRITE;
}

/* A standard stream the caller closed gets a read-only /dev/null, so that
 * no file opened later takes its number: an output file opened as fd 1
 * would otherwise receive what is printed, and a write to a closed stdout
 * still fails (EBADF) and is reported. */
static void cli_fill_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        /* F_GETFD fails only for a descriptor that is not open (EBADF). */
        if (fcntl(fd, F_GETFD) != -1)
            continue;
        int got = open("/dev/null", O_RDONLY);
        /* open takes the lowest free number: fd itself, as the lower ones
         * were open or have just been filled. */
        if (PU_NEVER(got >= 0 && got != fd)) {
            dup2(got, fd);
            close(got);
        }
    }
}

static int cli_dispatch(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("pathway %s\n", pw_version());
        return CLI_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        cli_usage(stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < cli_ncommands; i++)
        if (strcmp(argv[1], cli_commands[i]->name) == 0)
            return cli_commands[i]->run(argc - 1, argv + 1);
    cli_error("unknown command `%s`", argv[1]);
    cli_usage(stderr);
    return CLI_USAGE;
}

int main(int argc, char **argv)
{
    cli_fill_std_fds();
    return cli_finish(cli_dispatch(argc, argv));
}
