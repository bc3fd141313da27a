/* The one option parser of the `pathway` command, and the help it prints,
 * both walking a command's table (options.h). What every command accepts is
 * decided here:
 *   - `--` ends the options (the first one); every word after it, `-`, and
 *     every word not starting with `-`, is an operand;
 *   - `--name VALUE` and `--name=VALUE` for an option with a value (VALUE is
 *     the next word whatever it is), `-x VALUE` for its short name;
 *   - a flag is the exact word (`--check`, `-w`);
 *   - -h and --help print the help;
 *   - anything else starting with `-` is an unknown option. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/assert.h"

/* The option column of the help: labels are indented by 2 and followed by
 * at least 2 spaces (help2man takes an option line apart there). */
enum { CLI_HELP_COLUMN = 22, CLI_HELP_WIDTH = 79 };

const cli_option cli_help_option = {
    .name = "--help", .short_name = 'h', .kind = CLI_FLAG, .help = "print this help and exit"};

/* ---- the parser ----------------------------------------------------------------------- */

static bool cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* The entry `arg` names, and where its value starts when given as
 * `--name=VALUE` (else *inline_value is NULL). NULL: no entry. */
static const cli_option *cli_find(const cli_command *cmd, const char *arg, const char **inline_value)
{
    *inline_value = NULL;
    for (size_t k = 0; k < cmd->noptions; k++) {
        const cli_option *o = &cmd->options[k];
        if (o->kind == CLI_NOTE)
            continue;
        if (o->short_name && arg[1] == o->short_name && arg[2] == '\0')
            return o;
        size_t n = strlen(o->name);
        if (strncmp(arg, o->name, n) != 0)
            continue;
        if (arg[n] == '\0')
            return o;
        if (arg[n] == '=' && o->kind != CLI_FLAG) {
            *inline_value = arg + n + 1;
            return o;
        }
    }
    return NULL;
}

/* How many choices c has: up to the first without a name. */
static size_t cli_nchoices(const cli_choices *c)
{
    size_t n = 0;
    while (n < CLI_MAX_CHOICES && c->items[n].name)
        n++;
    return n;
}

/* "a, b or c": the choices offered (not the aliases). */
static void cli_choice_list(const cli_choices *c, char *buf, size_t len)
{
    size_t n = cli_nchoices(c), at = 0, shown = 0, total = 0;
    for (size_t i = 0; i < n; i++)
        total += !c->items[i].alias;
    buf[0] = '\0';
    for (size_t i = 0; i < n && at < len; i++) {
        if (c->items[i].alias)
            continue;
        const char *sep = shown == 0 ? "" : shown + 1 == total ? " or " : ", ";
        int w = snprintf(buf + at, len - at, "%s%s", sep, c->items[i].name);
        at += w > 0 ? (size_t)w : 0;
        shown++;
    }
}

static int cli_set_choice(const cli_option *o, void *dest, const char *value)
{
    const cli_choices *c = o->choices;
    for (size_t i = 0, n = cli_nchoices(c); i < n; i++) {
        if (strcmp(value, c->items[i].name) == 0) {
            *(int *)dest = c->items[i].value;
            return CLI_OK;
        }
    }
    char expected[256];
    cli_choice_list(c, expected, sizeof expected);
    cli_error("%s%sunknown %s `%s` (expected %s)", c->named ? o->name : "", c->named ? ": " : "", c->what,
              value, expected);
    return CLI_USAGE;
}

/* Applies one option; *i is advanced past a value taken from the next word. */
static int cli_apply(const cli_option *o, const char *arg, const char *inline_value, int argc, char **argv,
                     int *i, void *opts)
{
    void *dest = (char *)opts + o->dest;
    if (o->kind == CLI_FLAG) {
        *(bool *)dest = true;
        return CLI_OK;
    }
    const char *value = inline_value;
    if (!value) {
        if (*i + 1 >= argc) {
            /* The name as given: `-o needs a value`, `--output needs a value`. */
            cli_error("%s needs a value", arg);
            return CLI_USAGE;
        }
        value = argv[++*i];
    }
    switch (o->kind) { /* GCOVR_EXCL_BR_LINE: a flag returned above, and cli_find never finds a note */
    case CLI_STRING: *(const char **)dest = value; return CLI_OK;
    case CLI_CHOICE: return cli_set_choice(o, dest, value);
    case CLI_CALL: return o->set(o, dest, value);
    default: PU_ASSERT(!"cli_apply: a flag or a note"); return CLI_USAGE;
    }
}

/* help_first: whether -h/--help comes before `--`. */
static bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (cli_is_help(argv[i]))
            return true;
    return false;
}

int cli_parse(const cli_command *cmd, int argc, char **argv, void *opts)
{
    if (cmd->help_first && cli_wants_help(argc, argv)) {
        cli_print_help_of(cmd, stdout);
        return CLI_HELP;
    }
    bool ended = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int st = CLI_OK;
        if (!ended && strcmp(a, "--") == 0) {
            ended = true;
        } else if (ended || a[0] != '-' || !a[1]) {
            st = cmd->operand(cmd, opts, a);
        } else if (cli_is_help(a)) {
            cli_print_help_of(cmd, stdout);
            return CLI_HELP;
        } else {
            const char *inline_value;
            const cli_option *o = cli_find(cmd, a, &inline_value);
            st = o ? cli_apply(o, a, inline_value, argc, argv, &i, opts)
                   : cli_usage_error(cmd, "unknown option `%s`", a);
        }
        if (st != CLI_OK)
            return st;
    }
    return CLI_OK;
}

/* ---- the help --------------------------------------------------------------------------- */

/* "-o, --output FILE", "--facts FILE", "--check", "OLD, NEW". */
static void cli_label(const cli_option *o, char *buf, size_t len)
{
    if (o->short_name)
        snprintf(buf, len, "-%c, %s%s%s", o->short_name, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    else
        snprintf(buf, len, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* Writes text from the current column `col`, breaking lines at spaces so
 * that none passes CLI_HELP_WIDTH (a longer word stands alone), and at
 * every \n; each new line starts at CLI_HELP_COLUMN. */
static void cli_wrap(const char *text, size_t col, FILE *out)
{
    const char *p = text;
    bool line_start = true;
    while (*p) {
        if (*p == '\n') {
            fprintf(out, "\n%*s", CLI_HELP_COLUMN, "");
            col = CLI_HELP_COLUMN;
            line_start = true;
            p++;
            continue;
        }
        size_t word = strcspn(p, " \n");
        if (!line_start && col + 1 + word > CLI_HELP_WIDTH) {
            fprintf(out, "\n%*s", CLI_HELP_COLUMN, "");
            col = CLI_HELP_COLUMN;
            line_start = true;
        }
        if (!line_start) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, word, out);
        col += word;
        line_start = false;
        p += word;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

static void cli_print_option(const cli_option *o, FILE *out)
{
    char label[128];
    cli_label(o, label, sizeof label);
    size_t n = strlen(label) + 2;
    fprintf(out, "  %s", label);
    if (n + 2 > CLI_HELP_COLUMN) {
        /* Too long to share the line: the help starts on the next. */
        fprintf(out, "\n%*s", CLI_HELP_COLUMN, "");
        n = CLI_HELP_COLUMN;
    } else {
        fprintf(out, "%*s", (int)(CLI_HELP_COLUMN - n), "");
        n = CLI_HELP_COLUMN;
    }
    cli_wrap(o->help, n, out);
}

void cli_print_options(const cli_option *opts, size_t n, FILE *out)
{
    for (size_t k = 0; k < n; k++)
        cli_print_option(&opts[k], out);
}

void cli_print_help_of(const cli_command *cmd, FILE *out)
{
    fputs(cmd->usage, out);
    /* Every command has both (cli_commands); kept for one that might not. */
    if (PU_ALWAYS(cmd->about)) {
        fputc('\n', out);
        fputs(cmd->about, out);
    }
    fputc('\n', out);
    cli_print_options(cmd->options, cmd->noptions, out);
    cli_print_option(&cli_help_option, out);
    if (PU_ALWAYS(cmd->tail)) {
        fputc('\n', out);
        fputs(cmd->tail, out);
    }
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_verror(fmt, ap);
    va_end(ap);
    cli_print_help_of(cmd, stderr);
    return CLI_USAGE;
}

const char *cli_option_brief(const cli_option *o, char *buf, size_t len)
{
    if (o->brief)
        return o->brief;
    /* Up to the first " (", "; ", ": " or line break: "evaluate on N threads". */
    size_t n = 0;
    const char *h = o->help;
    while (h[n] && h[n] != '\n' && !(h[n] == ' ' && h[n + 1] == '(') &&
           !((h[n] == ';' || h[n] == ':') && (h[n + 1] == ' ' || !h[n + 1])))
        n++;
    snprintf(buf, len, "%.*s", (int)n, h);
    return buf;
}

/* ---- setters the tables share ------------------------------------------------------------ */

int cli_set_date(const cli_option *opt, void *dest, const char *value)
{
    pw_error err;
    if (pw_date_parse(value, dest, &err) == PW_OK)
        return CLI_OK;
    cli_error("%s: %s", opt->name, err.message);
    return CLI_USAGE;
}
