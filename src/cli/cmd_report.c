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

static const char report_help[] =
    "usage: pathway report RULES --facts FILE [--as-of YYYY-MM-DD]\n"
    "                     [--format text|json|csv|html] [--top N] [--jobs N] [-o FILE]\n"
    "                     [--limit NAME=N]...\n"
    "\n"
    "Evaluates every coach record in FILE against the rules (a .pw or .pwc file)\n"
    "and summarises the population: per program, the coaches eligible and their\n"
    "share, and the requirements most often unmet among those who are not.\n"
    "\n"
    "  --as-of DATE       the evaluation date, YYYY-MM-DD (default: today)\n"
    "  --format FORMAT    text (default), json, csv (one row per program and\n"
    "                     requirement), or html (a self-contained page with a bar\n"
    "                     chart per program)\n"
    "  --top N            text and html: unmet requirements shown per program\n"
    "                     (default 3); json and csv list them all\n";

static const char report_help_tail[] =
    "\n"
    "A record that cannot be evaluated is reported on standard error with its\n"
    "place, as pathway eval reports it, and is left out of every count.\n"
    "Exit status: 0 every record evaluated, 1 some record could not be,\n"
    "2 usage error, rules that do not compile, or facts that cannot be read,\n"
    "3 the output cannot be written.\n"
    "\n";

typedef struct report_opts {
    eval_opts eo;
    pi_format format;
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
    if (st) {
        pw_context_free(st->ctx);
        free(st->counts);
        free(st);
    }
}

static report_state *report_state_make(const pw_program *program, const pi_report *r, const pw_limits *limits)
{
    report_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->counts = calloc(r->ncounters + 1, sizeof *st->counts);
    if (!st->counts || pw_context_new(program, &st->ctx, NULL) != PW_OK ||
        pw_context_set_limits(st->ctx, limits, NULL) != PW_OK) {
        report_state_free(st);
        return NULL;
    }
    return st;
}

static void *report_state_new(const eval_shared *sh)
{
    return report_state_make(sh->program, sh->user, &sh->o->limits.limits);
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

static const eval_hooks report_hooks = {report_state_new, report_state_end, report_record, report_fail};

/* ---- the command ------------------------------------------------------------- */

static bool report_top(const char *v, unsigned *top)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || errno || n > 1000) {
        cli_error("--top: `%s` needs a whole number from 0 to 1000", v);
        return false;
    }
    *top = (unsigned)n;
    return true;
}

static int report_parse(int argc, char **argv, report_opts *o)
{
    static const char *const formats[] = {"text", "json", "csv", "html", NULL};
    o->eo.as_of = pw_date_today();
    o->top = 3;
    int st;
    bool ended = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (cli_end_of_options(a, &ended))
            continue;
        if (ended || a[0] != '-' || !a[1]) {
            if (o->eo.rules) {
                cli_error("report takes one rules file; `%s` is a second one", a);
                return CLI_USAGE;
            }
            o->eo.rules = a;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            printf("%s%s%s%s", report_help, pop_help, cli_limit_help, report_help_tail);
            return -1;
        } else if (pop_option(argc, argv, &i, &o->eo, &o->output, &st)) {
            if (st != CLI_OK)
                return st;
        } else if (cli_is_option(a, "--format")) {
            if (!(v = cli_option_value(argc, argv, &i, "--format")))
                return CLI_USAGE;
            if (!pop_format(v, formats, &o->format)) {
                cli_error("unknown format `%s` (expected text, json, csv or html)", v);
                return CLI_USAGE;
            }
        } else if (cli_is_option(a, "--top")) {
            if (!(v = cli_option_value(argc, argv, &i, "--top")) || !report_top(v, &o->top))
                return CLI_USAGE;
        } else {
            cli_error("unknown option `%s`\n%s", a, report_help);
            return CLI_USAGE;
        }
    }
    if (!o->eo.rules || !o->eo.facts) {
        cli_error("%s\n%s", !o->eo.rules ? "no rules file given" : "no facts given (--facts FILE)", report_help);
        return CLI_USAGE;
    }
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
    report_state *main_state = report_state_make(program, r, &o->eo.limits.limits);
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

int cli_report(int argc, char **argv)
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
