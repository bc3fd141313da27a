/* pathway lsp: the language server over standard input and output
 * (docs/lsp.md). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "lsp/lsp.h"

typedef struct lsp_opts {
    bool stdio;
    unsigned debounce_ms;
} lsp_opts;

enum { LSP_MAX_DEBOUNCE_MS = 60000 };

static int lsp_set_debounce(const cli_option *opt, void *dest, const char *v)
{
    (void)opt;
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || errno || n < 1 || n > LSP_MAX_DEBOUNCE_MS) {
        cli_error("--debounce: `%s` needs a whole number of milliseconds from 1 to %u", v,
                  LSP_MAX_DEBOUNCE_MS);
        return CLI_USAGE;
    }
    *(unsigned *)dest = (unsigned)n;
    return CLI_OK;
}

static const cli_option lsp_options[] = {
    {.name = "--stdio", .kind = CLI_FLAG, CLI_DEST(lsp_opts, stdio, bool),
     .help = "talk over standard input and output (the default and only transport; editors' "
             "clients may pass it)"},
    {.name = "--debounce", .arg = "MS", .kind = CLI_CALL, CLI_DEST(lsp_opts, debounce_ms, unsigned),
     .set = lsp_set_debounce,
     .help = "check a changed buffer once no edit has come for MS milliseconds (default 200)"},
};

static int lsp_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)opts;
    return cli_usage_error(cmd, "unexpected argument `%s`", a);
}

static int lsp_main(int argc, char **argv)
{
    lsp_opts o = {false, 0};
    int st = cli_parse(&cli_lsp_cmd, argc, argv, &o);
    if (st != CLI_OK)
        return st < 0 ? CLI_OK : st;
    /* A client gone away is a failed write (exit 3), not a kill by SIGPIPE. */
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, NULL);
    ls_options lo = {.debounce_ms = o.debounce_ms};
    int rc = ls_serve(STDIN_FILENO, STDOUT_FILENO, &lo);
    if (rc == 2)
        cli_error("lsp: the output could not be written, or memory ran out");
    return rc == 2 ? CLI_WRITE : rc;
}

const cli_command cli_lsp_cmd = {
    .name = "lsp",
    .synopsis = "",
    .summary = "serve the Language Server Protocol to an editor",
    .usage = "usage: pathway lsp [--stdio] [--debounce MS]\n",
    .about = "A language server for editors (docs/lsp.md): diagnostics from check and lint\n"
             "as a rule file changes and from its tests when it is saved, hover, go to\n"
             "definition, references, completion, quick fixes, formatting and the\n"
             "outline. It speaks JSON-RPC with Content-Length framing on standard input\n"
             "and output.\n",
    CLI_OPTIONS(lsp_options),
    .tail = "Exit status: 0 after the client's `shutdown` and `exit`, 1 when the input\n"
            "ends or `exit` comes without `shutdown`, 3 when the output cannot be written.\n",
    .operand = lsp_operand,
    .operands = CLI_ANY,
    .run = lsp_main,
};
