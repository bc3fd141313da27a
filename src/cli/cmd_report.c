/* pathway report: per program, how many coaches of a population are
 * eligible, and what those who are not most often lack (docs/impact.md).
 * Records stream through pathway eval's reader and worker threads; each
 * thread counts into its own tallies, which are added up at the end. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "population.h"

typedef struct report_opts {
    eval_opts eo;
    int format;        /* pi_format */
    unsigned top;
    const char *output;
} report_opts;

/* A thread's state: its context and its tallies; the last counter is the
 * number of records evaluated. */
typedef struct report_state {
    pw_context *ctx;
    uint64_t *counts;
} report_state;

/* ---- per record -------------------------------------------------------------- */

static void report_fail(const eval_shared *sh, eval_sink *s, const char *id, const char *where, const char *msg)
{
    (void)sh;
    eval_write_note(s, id, where, msg);
}

static void report_record(const eval_shared *sh, void *state, eval_sink *s, const cJSON *rec, const eval_where *w)
{
    const pi_report *r = sh->user;
    report_state *st = state;
    const char *id = eval_record_id(rec);
    pw_error err;
    if (!cJSON_IsObject(rec)) {
        eval_fail(sh, s, w, NULL, "expected a JSON object for the record");
        return;
    }
    if (pt_context_set_cjson(st->ctx, rec, &err) != PW_OK) {
        eval_fail(sh, s, w, id, err.message);
        return;
    }
    for (size_t k = 0; k < r->nprogs; k++) {
        if (pw_evaluate(st->ctx, r->progs[k].p, r->as_of, &err) != PW_OK) {
            eval_fail(sh, s, w, id, err.message);
            return;
        }
    }
    pi_report_record(r, st->ctx, st->counts);
    st->counts[r->ncounters]++;
}

static void report_state_free(report_state *st)
{
    pw_context_free(st->ctx);
    free(st->counts);
    free(st);
}

static report_state *report_state_make(const pw_program *program, const pi_report *r, const cli_limits *limits)
{
    report_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->counts = calloc(r->ncounters + 1, sizeof *st->counts);
    if (!st->counts || cli_context_new(program, limits, &st->ctx, NULL) != PW_OK) {
        report_state_free(st);
        return NULL;
    }
    return st;
}

static void *report_state_new(const eval_shared *sh)
{
    return report_state_make(sh->program, sh->user, &sh->o->limits);
}

/* Adds a worker's tallies to the main thread's. */
static void report_state_end(const eval_shared *sh, void *state, void *main_state)
{
    const pi_report *r = sh->user;
    report_state *st = state, *m = main_state;
    for (size_t i = 0; i <= r->ncounters; i++)
        m->counts[i] += st->counts[i];
    report_state_free(st);
}

static const eval_hooks report_hooks = {report_state_new, report_state_end, report_record, report_fail, NULL};

/* ---- the command ------------------------------------------------------------- */

static int report_top(const cli_option *opt, void *dest, const char *v)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || errno || n > 1000) {
        cli_error("%s: `%s` needs a whole number from 0 to 1000", opt->name, v);
        return CLI_USAGE;
    }
    *(unsigned *)dest = (unsigned)n;
    return CLI_OK;
}

static const cli_choices report_formats = {
    "format", false,
    {{"text", PI_TEXT, false}, {"json", PI_JSON, false}, {"csv", PI_CSV, false}, {"html", PI_HTML, false}}};

static const cli_option report_options[] = {
    {.name = "--as-of", .arg = "DATE", .kind = CLI_CALL, CLI_DEST(report_opts, eo.as_of, pw_date),
     .set = cli_set_date, .help = "the evaluation date, YYYY-MM-DD (default: today)"},
    {.name = "--format", .arg = "FORMAT", .kind = CLI_CHOICE, CLI_DEST(report_opts, format, int),
     .choices = &report_formats, .brief = "the summary's format",
     .help = "text (default), json, csv (one row per program and requirement), or html (a "
             "self-contained page with a bar chart per program)"},
    {.name = "--top", .arg = "N", .kind = CLI_CALL, CLI_DEST(report_opts, top, unsigned), .set = report_top,
     .brief = "unmet requirements shown per program", .help = "text and html: unmet requirements shown per program (default 3); json and csv list them all"},
    POP_OPTIONS(report_opts),
};

static int report_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)cmd;
    report_opts *o = opts;
    if (o->eo.rules) {
        cli_error("report takes one rules file; `%s` is a second one", a);
        return CLI_USAGE;
    }
    o->eo.rules = a;
    return CLI_OK;
}

static int report_parse(int argc, char **argv, report_opts *o)
{
    o->eo.as_of = pw_date_today();
    o->top = 3;
    int st = cli_parse(&cli_report_cmd, argc, argv, o);
    if (st != CLI_OK)
        return st;
    if (!o->eo.rules || !o->eo.facts)
        return cli_usage_error(&cli_report_cmd, "%s",
                               !o->eo.rules ? "no rules file given" : "no facts given (--facts FILE)");
    return CLI_OK;
}

typedef struct report_render {
    pi_report_view view;
    pi_format format;
} report_render;

static bool report_render_fn(FILE *out, const void *p)
{
    const report_render *rr = p;
    return pi_render_report(out, &rr->view, rr->format);
}

/* Evaluates the population and writes the summary; the exit status. */
static int report_run(const report_opts *o, const pw_program *program, const pi_report *r)
{
    report_state *main_state = report_state_make(program, r, &o->eo.limits);
    if (!main_state) {
        cli_error("out of memory");
        return CLI_USAGE;
    }
    eval_shared sh = {&o->eo, program, NULL, &report_hooks, r};
    unsigned long long bad = 0;
    int rc = pop_run(&sh, main_state, -1, &bad);
    if (rc == CLI_OK) {
        report_render rr = {{r, main_state->counts, {main_state->counts[r->ncounters], bad}, o->eo.rules, o->top},
                            o->format};
        rc = pop_write_summary(o->output, report_render_fn, &rr);
        if (rc == CLI_OK && bad)
            rc = CLI_FOUND;
    }
    report_state_free(main_state);
    return rc;
}

static int report_main(int argc, char **argv)
{
    report_opts o;
    memset(&o, 0, sizeof o);
    int rc = report_parse(argc, argv, &o);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (o.output) { /* -o may not name the rules, what they include, or the facts */
        cli_inputs inputs = {0};
        cli_inputs_add_rules(&inputs, o.eo.rules, &o.eo.limits);
        cli_inputs_add(&inputs, o.eo.facts);
        rc = cli_output_check(&inputs, o.output);
        cli_inputs_fini(&inputs);
        if (rc != CLI_OK)
            return rc;
    }
    pw_program *program = pop_open_rules(o.eo.rules, &o.eo.limits);
    if (!program)
        return CLI_USAGE;
    pi_report r;
    pw_error err;
    if (!pi_report_init(&r, program, o.eo.as_of, &err)) {
        cli_error("%s", err.message);
        rc = CLI_USAGE;
    } else {
        rc = report_run(&o, program, &r);
    }
    pi_report_fini(&r);
    pw_program_free(program);
    return rc;
}

const cli_command cli_report_cmd = {
    .name = "report",
    .synopsis = "RULES --facts FILE",
    .summary = "eligibility across a population, and what is unmet",
    .usage = "usage: pathway report RULES --facts FILE [--as-of YYYY-MM-DD]\n"
             "                     [--format text|json|csv|html] [--top N] [--jobs N] [-o FILE]\n"
             "                     [--limit NAME=N]...\n",
    .about = "Evaluates every coach record in FILE against the rules (a .pw or .pwc file)\n"
             "and summarises the population: per program, the coaches eligible and their\n"
             "share, and the requirements most often unmet among those who are not.\n",
    CLI_OPTIONS(report_options),
    .tail = "A record that cannot be evaluated is reported on standard error with its\n"
            "place, as pathway eval reports it, and is left out of every count.\n"
            "Exit status: 0 every record evaluated, 1 some record could not be,\n"
            "2 usage error, rules that do not compile, or facts that cannot be read,\n"
            "3 the output cannot be written.\n",
    .operand = report_operand,
    .operands = CLI_FILE,
    .run = report_main,
};
