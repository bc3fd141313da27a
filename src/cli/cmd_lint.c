/* pathway lint: static analysis of rule files that compile (src/lint,
 * docs/lint.md), printed clang-style, as JSON lines, or as a SARIF log for
 * code scanning. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bc/bytecode.h"
#include "cli.h"
#include "lint/lint.h"
#include "ruletest/ruletest.h"

typedef enum lint_format { LINT_TEXT, LINT_JSON, LINT_SARIF } lint_format;

/* --fail-on: findings of this severity or worse fail; PD_NOTE + 1 never. */
enum { LINT_NEVER = PD_NOTE + 1 };

typedef struct lint_opts {
    int format;           /* lint_format */
    int fail_on;
    const char *output;
    pr_strings args;
    pr_strings changed; /* --changed */
    cli_limits limits;
} lint_opts;

typedef struct lint_run {
    const lint_opts *o;
    pd_buf out;               /* the report (text, JSON lines) or the SARIF results */
    size_t nresults;          /* SARIF results so far */
    pd_sarif_tool tool;
    pl_counts counts;
    bool color;
    bool uncompiled;          /* some file does not compile */
    bool broken;              /* something else failed: a directory, memory */
} lint_run;

/* ---- options ------------------------------------------------------------------------ */

static const cli_choices lint_formats = {
    "format", false, {{"text", LINT_TEXT, false}, {"json", LINT_JSON, false}, {"sarif", LINT_SARIF, false}}};

/* --fail-on: PD_ERROR, PD_WARNING, PD_NOTE, LINT_NEVER. */
static const cli_choices lint_levels = {
    "level", true,
    {{"error", PD_ERROR, false}, {"warning", PD_WARNING, false}, {"note", PD_NOTE, false}, {"never", LINT_NEVER, false}}};

static const cli_option lint_options[] = {
    {.name = "--format", .arg = "FORMAT", .kind = CLI_CHOICE, CLI_DEST(lint_opts, format, int),
     .choices = &lint_formats, .brief = "how findings are reported",
     .help = "text (default): clang-style, with a closing tally;\njson: one JSON object per finding;\n"
             "sarif: a SARIF 2.1.0 log (GitHub code scanning)"},
    {.name = "--fail-on", .arg = "LEVEL", .kind = CLI_CHOICE, CLI_DEST(lint_opts, fail_on, int),
     .choices = &lint_levels,
     .help = "exit 1 when a finding is at least this severe: error, warning (default), note, or never"},
    {.name = "--output", .short_name = 'o', .arg = "FILE", .kind = CLI_STRING, .complete = CLI_FILE,
     CLI_DEST(lint_opts, output, const char *), .help = "write the findings to FILE, atomically"},
    CLI_CHANGED_OPTION(lint_opts, changed),
    CLI_LIMIT_OPTIONS(lint_opts, limits),
};

static int lint_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)cmd;
    return cli_push_operand(&((lint_opts *)opts)->args, a);
}

/* Returns CLI_HELP after printing help. */
static int lint_parse(int argc, char **argv, lint_opts *o)
{
    int st = cli_parse(&cli_lint_cmd, argc, argv, o);
    if (st != CLI_OK)
        return st;
    if (o->output && strcmp(o->output, "-") == 0)
        o->output = NULL; /* standard output */
    if (o->args.n == 0)
        return cli_usage_error(&cli_lint_cmd, "no rule files or directories given");
    return CLI_OK;
}

/* ---- findings ----------------------------------------------------------------------- */

static void lint_emit(void *user, const pd_list *findings, ps_sources *src)
{
    lint_run *r = user;
    switch (r->o->format) {
    case LINT_TEXT: pd_render_text_coded(findings, src, r->color, true, &r->out); break;
    case LINT_JSON: pd_render_json(findings, src, &r->out); break;
    case LINT_SARIF: pd_sarif_results(findings, src, &r->tool, &r->out, &r->nresults); break;
    }
}

/* Compile diagnostics in JSON go with the findings, as `check` prints
 * them with its own. The sink comes first, for cli_report_failure. */
typedef struct lint_json_sink {
    cli_diag_sink sink;
    lint_run *run;
} lint_json_sink;

static void lint_compile_json(void *user, const char *rendered)
{
    lint_json_sink *js = user;
    pd_buf_printf(&js->run->out, "%s", rendered);
    js->sink.printed = true;
}

static void lint_one(lint_run *r, const char *path, const pw_compile_options *opt, cli_diag_sink *sink)
{
    if (cli_is_bytecode(path)) {
        cli_error("%s is compiled bytecode; lint reads rule source (.pw)", path);
        r->uncompiled = true;
        return;
    }
    pw_error err;
    sink->printed = false;
    pw_status st = pl_lint_file(path, opt, lint_emit, r, &r->counts, &err);
    if (st == PW_ERR_COMPILE) {
        cli_report_failure(sink, &err);
        r->uncompiled = true;
    } else if (st != PW_OK) {
        cli_error("%s", err.message);
        r->broken = true;
    }
}

/* "2 warnings and 1 error generated." as clang closes; notes last. */
static void lint_tally(const pl_counts *n, pd_buf *b)
{
    const unsigned counts[3] = {n->warnings, n->errors, n->notes};
    static const char *const words[3] = {"warning", "error", "note"};
    unsigned parts = 0, total = (counts[0] > 0) + (counts[1] > 0) + (counts[2] > 0);
    for (int i = 0; i < 3; i++) {
        if (!counts[i])
            continue;
        const char *sep = parts == 0 ? "" : parts + 1 == total ? " and " : ", ";
        pd_buf_printf(b, "%s%u %s%s", sep, counts[i], words[i], counts[i] == 1 ? "" : "s");
        parts++;
    }
    if (parts)
        pd_buf_printf(b, " generated.\n");
}

/* ---- output ----------------------------------------------------------------------------- */

/* False after reporting memory running out; *unwritten when the output
 * cannot be written (standard output is checked by main). */
static bool lint_write(const lint_run *r, const pd_buf *b, bool *unwritten)
{
    if (b->oom) {
        cli_error("out of memory writing the findings");
        return false;
    }
    if (r->o->output) {
        *unwritten = cli_write_output(r->o->output, b->data ? b->data : "", b->len) != CLI_OK;
        return true;
    }
    if (b->data)
        fwrite(b->data, 1, b->len, stdout);
    return true;
}

static bool lint_finish(lint_run *r, bool *unwritten)
{
    if (r->o->format == LINT_TEXT) {
        lint_tally(&r->counts, &r->out);
        return lint_write(r, &r->out, unwritten);
    }
    if (r->o->format == LINT_JSON)
        return lint_write(r, &r->out, unwritten);
    pd_buf log = {0};
    pd_render_sarif(&r->tool, r->out.data, &log);
    if (r->out.oom)
        log.oom = true;
    bool ok = lint_write(r, &log, unwritten);
    pd_buf_free(&log);
    return ok;
}

static bool lint_fails(const lint_opts *o, const pl_counts *n)
{
    switch (o->fail_on) {
    case PD_ERROR: return n->errors > 0;
    case PD_WARNING: return n->errors + n->warnings > 0;
    case PD_NOTE: return n->errors + n->warnings + n->notes > 0;
    default: return false;
    }
}

static void lint_tool(lint_run *r)
{
    size_t n;
    const pd_rule *rules = pl_rules(&n);
    r->tool = (pd_sarif_tool){"pathway", pw_version(), PL_HOMEPAGE, PL_HELP_URI, rules, n};
}

static int lint_main(int argc, char **argv)
{
    lint_opts o;
    memset(&o, 0, sizeof o);
    o.fail_on = PD_WARNING;
    int rc = lint_parse(argc, argv, &o);
    if (rc != CLI_OK) {
        pr_strings_fini(&o.args);
        pr_strings_fini(&o.changed);
        return rc < 0 ? CLI_OK : rc;
    }
    lint_run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    lint_tool(&r);
    r.color = o.format == LINT_TEXT && !o.output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    pr_strings files = {0};
    if (!cli_collect_files(&o.args, &files) ||
        (o.changed.n && !cli_keep_changed(&files, &o.changed, &o.limits)))
        r.broken = true;
    if (o.output) { /* -o may not name a file linted or one it includes */
        cli_inputs inputs = {0};
        for (size_t i = 0; i < files.n; i++)
            cli_inputs_add_rules(&inputs, files.items[i], &o.limits);
        rc = cli_output_check(&inputs, o.output);
        cli_inputs_fini(&inputs);
        if (rc != CLI_OK) {
            pr_strings_fini(&files);
            pr_strings_fini(&o.args);
            pr_strings_fini(&o.changed);
            return rc;
        }
    }
    lint_json_sink js = {{stdout, false}, &r};
    pw_compile_options opt = cli_compile_options(PW_DIAG_TEXT, &js.sink);
    if (o.format == LINT_JSON) {
        opt.format = PW_DIAG_JSON;
        opt.color = false;
        opt.on_diagnostics = lint_compile_json;
        opt.user = &js;
    }
    cli_apply_limits(&opt, &o.limits);
    for (size_t i = 0; i < files.n; i++)
        lint_one(&r, files.items[i], &opt, &js.sink);
    bool unwritten = false;
    bool written = lint_finish(&r, &unwritten);
    pd_buf_free(&r.out);
    pr_strings_fini(&files);
    pr_strings_fini(&o.args);
    pr_strings_fini(&o.changed);
    if (unwritten)
        return CLI_WRITE;
    if (r.uncompiled || r.broken || !written)
        return CLI_USAGE;
    return lint_fails(&o, &r.counts) ? CLI_FOUND : CLI_OK;
}

const cli_command cli_lint_cmd = {
    .name = "lint",
    .synopsis = "FILE|DIR...",
    .summary = "find likely mistakes in rule files that compile",
    .usage = "usage: pathway lint [--format text|json|sarif] [--fail-on error|warning|note|never]\n"
             "                    [-o FILE] FILE|DIR...\n",
    .about = "Compiles each rule file and reports what it most likely gets wrong, each\n"
             "finding with a code (PW101...) documented in docs/lint.md: declarations\n"
             "nothing uses, requirements that can never be met or are always met,\n"
             "requirements implied by others, comparisons a field's declared range\n"
             "decides, text that is not a known value, programs no coach can ever\n"
             "become eligible for, duplicates, and (on request) missing citations.\n"
             "Findings are reported for the files named, not for the files they\n"
             "include. A directory is searched recursively for *.pw files.\n",
    CLI_OPTIONS(lint_options),
    .tail = "Silence a finding with a comment, giving the reason:\n"
            "  # lint: ignore PW112 -- the handbook states both\n"
            "\n"
            "Exit status: 0 no finding at or above --fail-on, 1 some finding is,\n"
            "2 a file does not compile (its errors are printed as `check` prints\n"
            "them) or a usage error, 3 the output cannot be written.\n",
    .operand = lint_operand,
    .operands = CLI_FILE,
    .run = lint_main,
};
