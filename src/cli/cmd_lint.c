/* pathway lint: static analysis of rule files that compile (src/lint,
 * docs/lint.md), printed clang-style, as JSON lines, or as a SARIF log for
 * code scanning. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annotate.h"
#include "bc/bytecode.h"
#include "cli.h"
#include "error_docs.h"
#include "lint/lint.h"
#include "lint_docs.h"
#include "util/assert.h"
#include "ruletest/ruletest.h"

typedef enum lint_format { LINT_TEXT, LINT_JSON, LINT_SARIF, LINT_GITHUB } lint_format;

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
    /* SARIF: the lint's rules, then each compiler code a file that does not
     * compile was reported under, with their documentation. */
    pd_rule *rules;
    pd_rule_doc *docs;
    size_t nrules, ndocs;
    const char *(*error_text)[2]; /* a compiler code's docs/errors.md section, as lines */
    pd_sarif_extra extra;
    char srcroot[PATH_MAX];
    pl_counts counts;
    bool color;
    bool uncompiled;          /* some file does not compile */
    bool bytecode;            /* some file is compiled bytecode, not source */
    bool broken;              /* something else failed: a directory, memory */
} lint_run;

/* ---- options ------------------------------------------------------------------------ */

static const cli_choices lint_formats = {
    "format",
    false,
    {{"text", LINT_TEXT, false}, {"json", LINT_JSON, false}, {"sarif", LINT_SARIF, false}, {"github", LINT_GITHUB, false}}};

/* --fail-on: PD_ERROR, PD_WARNING, PD_NOTE, LINT_NEVER. */
static const cli_choices lint_levels = {
    "level", true,
    {{"error", PD_ERROR, false}, {"warning", PD_WARNING, false}, {"note", PD_NOTE, false}, {"never", LINT_NEVER, false}}};

static const cli_option lint_options[] = {
    {.name = "--format", .arg = "FORMAT", .kind = CLI_CHOICE, CLI_DEST(lint_opts, format, int),
     .choices = &lint_formats, .brief = "how findings are reported",
     .help = "text (default): clang-style, with a closing tally;\njson: one JSON object per finding;\n"
             "sarif: a SARIF 2.1.0 log (GitHub code scanning);\n"
             "github: GitHub Actions annotations (::warning file=...::message)"},
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

/* Findings as annotations: through their JSON, the path compile errors
 * take too (annotate.h). */
static void lint_annotate(lint_run *r, const pd_list *findings, ps_sources *src)
{
    pd_buf json = {0};
    pd_render_json(findings, src, &json);
    if (json.oom || !cli_annotate_json(json.data, &r->out))
        r->out.oom = true;
    pd_buf_free(&json);
}

/* on_diagnostics with --format github: a file's compile errors. */
static void lint_compile_github(void *user, const char *rendered)
{
    lint_run *r = user;
    if (!cli_annotate_json(rendered, &r->out))
        r->out.oom = true;
}

static void lint_emit(void *user, const pd_list *findings, ps_sources *src)
{
    lint_run *r = user;
    switch (r->o->format) { /* GCOVR_EXCL_BR_LINE: --format is one of lint_formats' four */
    case LINT_TEXT: pd_render_text_coded(findings, src, r->color, true, &r->out); break;
    case LINT_JSON: pd_render_json(findings, src, &r->out); break;
    case LINT_SARIF: pd_sarif_results(findings, src, &r->tool, &r->out, &r->nresults); break;
    case LINT_GITHUB: lint_annotate(r, findings, src); break;
    default: PU_ASSERT(!"lint: a --format lint_formats does not hold"); break;
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

/* ---- SARIF: files that do not compile ------------------------------------------------ */

/* A compile error is a result of the log under its code (E0402 ...), so
 * that code scanning shows it where it is, as it shows a finding: the
 * reason a file has no findings is then in the log, not only on standard
 * error (docs/lint.md, "SARIF and GitHub code scanning"). Its rule is added
 * to the driver's rules with docs/errors.md's section as its help. */
static void lint_error_rule(lint_run *r, const char *code)
{
    pd_code c;
    if (!pd_code_find(code, &c)) /* "" when the diagnostic has none (cli_json_diag) */
        return;
    for (size_t i = 0; i < r->nrules; i++)
        if (strcmp(r->rules[i].code, pd_code_name(c)) == 0)
            return;
    r->rules[r->nrules++] = (pd_rule){pd_code_name(c), pd_code_severity(c), pd_code_summary(c)};
    for (size_t i = 0; i < cli_error_ndocs; i++)
        if (strcmp(cli_error_docs[i].code, pd_code_name(c)) == 0) {
            r->error_text[c][0] = cli_error_docs[i].text;
            r->docs[r->ndocs++] = (pd_rule_doc){pd_code_name(c), pd_code_summary(c), r->error_text[c],
                                                PL_HOMEPAGE "docs/errors.md"};
        }
    r->tool.rules = r->rules;
    r->tool.nrules = r->nrules;
    r->extra.ndocs = r->ndocs;
}

/* One compile diagnostic as a result, its rule added to the driver's; the
 * source line goes into the fingerprint. */
static void lint_compile_result(void *user, const cli_json_diag *d)
{
    lint_run *r = user;
    lint_error_rule(r, d->code);
    pd_sarif_plain p = {d->code, d->severity, d->message, NULL, 0, 0, 0, 0, NULL, 0};
    pd_buf src = {0};
    if (d->file && d->line) {
        p.file = d->file;
        p.line = d->line;
        p.end_line = d->end_line;
        p.column = d->column ? d->column : 1;
        p.end_column = d->end_column;
        /* SARIF wants a region that is not empty. */
        if (p.end_line == p.line && p.end_column <= p.column)
            p.end_column = p.column + 1;
        cli_read_line(d->file, d->line, &src);
        p.line_text = src.data;
        p.line_len = src.len;
    }
    pd_sarif_plain_result(&p, &r->tool, &r->out, &r->nresults);
    if (src.oom)
        r->out.oom = true;
    pd_buf_free(&src);
}

/* on_diagnostics in SARIF: the compile errors as JSON lines, read back. */
static void lint_compile_sarif(void *user, const char *rendered)
{
    lint_run *r = user;
    if (!cli_read_json_diags(rendered, lint_compile_result, r))
        r->out.oom = true;
}

static void lint_one(lint_run *r, const char *path, const pw_compile_options *opt, cli_diag_sink *sink)
{
    if (cli_is_bytecode(path)) {
        cli_error("%s is compiled bytecode; lint reads rule source (.pw)", path);
        r->bytecode = true;
        return;
    }
    if (!cli_named_readable(path)) {
        r->broken = true;
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
    if (r->o->format == LINT_JSON || r->o->format == LINT_GITHUB)
        return lint_write(r, &r->out, unwritten);
    pd_buf log = {0};
    r->extra.failed = r->uncompiled || r->bytecode || r->broken;
    pd_render_sarif_log(&r->tool, &r->extra, r->out.data, &log);
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

/* The driver: the lint's rules with docs/lint.md's sections, room for the
 * compiler's codes, and the directory relative names resolve against.
 * False when memory runs out. */
static bool lint_tool(lint_run *r)
{
    size_t n;
    const pd_rule *rules = pl_rules(&n);
    r->tool = (pd_sarif_tool){"pathway", pw_version(), PL_HOMEPAGE, PL_HELP_URI, rules, n};
    if (r->o->format != LINT_SARIF)
        return true;
    r->rules = calloc(n + PD_CODE_COUNT, sizeof *r->rules);
    r->docs = calloc(cli_lint_ndocs + PD_CODE_COUNT, sizeof *r->docs);
    r->error_text = calloc(PD_CODE_COUNT, sizeof *r->error_text);
    if (!r->rules || !r->docs || !r->error_text)
        return false;
    memcpy(r->rules, rules, n * sizeof *rules);
    memcpy(r->docs, cli_lint_docs, cli_lint_ndocs * sizeof *cli_lint_docs);
    r->nrules = n;
    r->ndocs = cli_lint_ndocs;
    r->tool.rules = r->rules;
    r->extra = (pd_sarif_extra){r->docs, r->ndocs, NULL, false};
    if (getcwd(r->srcroot, sizeof r->srcroot))
        r->extra.srcroot = r->srcroot;
    return true;
}

static void lint_tool_free(lint_run *r)
{
    free(r->rules);
    free(r->docs);
    free(r->error_text);
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
    if (!lint_tool(&r)) {
        lint_tool_free(&r);
        pr_strings_fini(&o.args);
        cli_error("out of memory");
        return CLI_USAGE;
    }
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
            lint_tool_free(&r);
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
    } else if (o.format == LINT_SARIF || o.format == LINT_GITHUB) {
        opt.format = PW_DIAG_JSON;
        opt.color = false;
        opt.on_diagnostics = o.format == LINT_SARIF ? lint_compile_sarif : lint_compile_github;
        opt.user = &r;
    }
    cli_apply_limits(&opt, &o.limits);
    for (size_t i = 0; i < files.n; i++)
        lint_one(&r, files.items[i], &opt, &js.sink);
    bool unwritten = false;
    bool written = lint_finish(&r, &unwritten);
    pd_buf_free(&r.out);
    lint_tool_free(&r);
    pr_strings_fini(&files);
    pr_strings_fini(&o.args);
    pr_strings_fini(&o.changed);
    if (unwritten)
        return CLI_WRITE;
    /* docs/cli.md, "Exit status": a file that does not compile is a problem
     * in the rules (1, whatever --fail-on says, as `check` and `test` exit);
     * bytecode, a directory that cannot be read or memory running out is
     * one lint could not work on (2). */
    if (r.bytecode || r.broken || !written)
        return CLI_USAGE;
    return r.uncompiled || lint_fails(&o, &r.counts) ? CLI_FOUND : CLI_OK;
}

const cli_command cli_lint_cmd = {
    .name = "lint",
    .synopsis = "FILE|DIR...",
    .summary = "find likely mistakes in rule files that compile",
    .usage = "usage: pathway lint [--format text|json|sarif|github] [--fail-on error|warning|note|never]\n"
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
            "Exit status: 0 no finding at or above --fail-on, 1 some finding is or a\n"
            "file does not compile (its errors are printed as `check` prints them),\n"
            "2 a usage error or a file or directory that cannot be read, 3 the\n"
            "output cannot be written.\n",
    .operand = lint_operand,
    .operands = CLI_FILE,
    .run = lint_main,
};
