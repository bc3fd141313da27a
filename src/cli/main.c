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

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pathway: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

bool cli_is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *cli_option_value(int argc, char **argv, int *i, const char *name)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (arg[n] == '=')
        return arg + n + 1;
    if (*i + 1 >= argc) {
        cli_error("%s needs a value", name);
        return NULL;
    }
    return argv[++*i];
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

const char cli_limit_help[] =
    "  --limit NAME=N     change a limit on what the input may cost (repeatable):\n"
    "                     source-bytes, nesting, includes, errors, bytecode-bytes,\n"
    "                     list-items, json-depth, text-bytes, instructions,\n"
    "                     record-bytes;\n"
    "                     N may end in k, M or G (x1024). See docs/robustness.md.\n"
    "  --include-root DIR every file the rules include must be under DIR\n"
    "                     (for rules you did not write; see docs/robustness.md)\n";

/* Parses N with an optional binary suffix; false unless it is a whole
 * number from 1 up to max. */
static bool cli_parse_amount(const char *s, uint64_t max, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = *end == 'k' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
    if (shift)
        end++;
    if (errno || *end || v == 0 || v > (max >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

/* Each --limit name, the field it sets in cli_limits and the largest value. */
typedef struct cli_limit_field {
    const char *name;
    size_t offset;
    size_t size; /* of the field: 4 (unsigned, uint32_t) or 8 (size_t, uint64_t) */
    uint64_t max;
} cli_limit_field;

#define CLI_LIMIT(name, field, max) {name, offsetof(cli_limits, field), sizeof ((cli_limits *)0)->field, max}
static const cli_limit_field cli_limit_fields[] = {
    CLI_LIMIT("source-bytes", limits.max_source_bytes, SIZE_MAX),
    CLI_LIMIT("nesting", limits.max_nesting, PW_MAX_NESTING),
    CLI_LIMIT("includes", limits.max_includes, 100000),
    CLI_LIMIT("errors", max_errors, UINT32_MAX),
    CLI_LIMIT("bytecode-bytes", limits.max_bytecode_bytes, SIZE_MAX),
    CLI_LIMIT("list-items", limits.max_list_items, UINT32_MAX),
    CLI_LIMIT("json-depth", limits.max_json_depth, PW_MAX_JSON_DEPTH),
    CLI_LIMIT("text-bytes", limits.max_text_bytes, UINT32_MAX),
    CLI_LIMIT("instructions", limits.max_instructions, UINT64_MAX),
    CLI_LIMIT("record-bytes", max_record_bytes, SIZE_MAX),
};
#undef CLI_LIMIT

bool cli_limit_option(int argc, char **argv, int *i, cli_limits *l, int *status)
{
    if (cli_is_option(argv[*i], "--include-root")) {
        l->include_root = cli_option_value(argc, argv, i, "--include-root");
        *status = l->include_root && *l->include_root ? CLI_OK : CLI_USAGE;
        if (l->include_root && !*l->include_root)
            cli_error("--include-root: needs a directory");
        return true;
    }
    if (!cli_is_option(argv[*i], "--limit"))
        return false;
    *status = CLI_USAGE;
    const char *v = cli_option_value(argc, argv, i, "--limit");
    if (!v)
        return true;
    const char *eq = strchr(v, '=');
    size_t n = eq ? (size_t)(eq - v) : 0;
    for (size_t k = 0; eq && k < sizeof cli_limit_fields / sizeof *cli_limit_fields; k++) {
        const cli_limit_field *f = &cli_limit_fields[k];
        if (strlen(f->name) != n || memcmp(v, f->name, n) != 0)
            continue;
        uint64_t amount;
        if (!cli_parse_amount(eq + 1, f->max, &amount)) {
            cli_error("--limit: `%s` needs a whole number from 1 to %llu", v, (unsigned long long)f->max);
            return true;
        }
        char *field = (char *)l + f->offset;
        if (f->size == sizeof(uint32_t)) {
            uint32_t x = (uint32_t)amount;
            memcpy(field, &x, sizeof x);
        } else {
            memcpy(field, &amount, sizeof amount); /* an 8-byte size_t or uint64_t */
        }
        *status = CLI_OK;
        return true;
    }
    cli_error("--limit: unknown limit `%s`; expected NAME=N\n%s", v, cli_limit_help);
    return true;
}

void cli_print_help(const char *help)
{
    fputs(help, stdout);
    fputs("\n", stdout);
    fputs(cli_limit_help, stdout);
}

bool cli_common_option(int argc, char **argv, int *i, const char *help, cli_limits *l, int *status)
{
    if (strcmp(argv[*i], "--help") == 0 || strcmp(argv[*i], "-h") == 0) {
        cli_print_help(help);
        *status = -1;
        return true;
    }
    return cli_limit_option(argc, argv, i, l, status);
}

void cli_apply_limits(pw_compile_options *opt, const cli_limits *l)
{
    opt->limits = &l->limits;
    opt->include_root = l->include_root;
    if (l->max_errors)
        opt->max_errors = l->max_errors;
}

static void cli_usage(FILE *out)
{
    fputs("usage: pathway <command> [options]\n"
          "\n"
          "Commands:\n"
          "  check FILE...                 compile rule files and report every error\n"
          "  compile FILE -o OUT.pwc       compile a rule file to bytecode\n"
          "  eval RULES --facts FILE       decide who may enrol in which program\n"
          "  report RULES --facts FILE     eligibility across a population, and what is unmet\n"
          "  diff OLD NEW --facts FILE     who a rule change affects, and why\n"
          "  disasm FILE                   print the bytecode of a rule or .pwc file\n"
          "  test FILE|DIR...              run the tests rule files declare\n"
          "  fmt FILE|DIR...               lay rule files out in the canonical layout\n"
          "  lint FILE|DIR...              find likely mistakes in rule files that compile\n"
          "  explain RULES --facts FILE    why: every requirement, met or not, and what is missing\n"
          "  when RULES --facts FILE --program ID    when: the periods of eligibility\n"
          "  plan RULES --facts FILE --target ID     how: the programs to take, and when\n"
          "\n"
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
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int got = open("/dev/null", O_RDONLY);
        if (got >= 0 && got != fd) {
            dup2(got, fd);
            close(got);
        }
    }
}

static int cli_dispatch(int argc, char **argv)
{
    static const struct {
        const char *name;
        cli_main_fn fn;
    } commands[] = {
        {"check", cli_check},
        {"compile", cli_compile},
        {"eval", cli_eval},
        {"report", cli_report},
        {"diff", cli_diff},
        {"disasm", cli_disasm},
        {"test", cli_test},
        {"fmt", cli_fmt},
        {"lint", cli_lint},
        {"explain", cli_explain},
        {"when", cli_when},
        {"plan", cli_plan},
    };
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
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    cli_error("unknown command `%s`", argv[1]);
    cli_usage(stderr);
    return CLI_USAGE;
}

int main(int argc, char **argv)
{
    cli_fill_std_fds();
    return cli_finish(cli_dispatch(argc, argv));
}
