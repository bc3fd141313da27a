/* pathway diff: who a rule change affects. Two versions of a rule set (two
 * files, or one file at two dates) are evaluated over a whole population;
 * the summary says what changed in the rules and, per program, who gains
 * and who loses eligibility and which requirements made the difference
 * (docs/impact.md). `--list` streams the affected coaches, in input order. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "population.h"
#include "util/file.h"

typedef struct diff_opts {
    eval_opts eo;
    const char *old_rules, *new_rules;
    pw_date to;
    bool has_to;
    int format;        /* pi_format */
    const char *output, *list;
    int csv;           /* --list-format csv */
} diff_opts;

/* What every thread reads: the plan and the two rule sets. */
typedef struct diff_shared {
    const pi_diff *d;
    const diff_opts *o;
} diff_shared;

/* A thread's state: a context per side, its tallies (the last counter is
 * the records evaluated) and room for one change's reasons. */
typedef struct diff_state {
    pw_context *before, *after;
    uint64_t *counts;
    const char **scratch;
} diff_state;

/* ---- the list of affected coaches ---------------------------------------------- */

static void diff_csv_field(cli_buf *b, const char *s)
{
    if (s)
        pu_escape_csv(b, s, strlen(s));
}

typedef struct diff_line {
    const diff_opts *o;
    eval_sink *s;
    const char *id;
} diff_line;

static const char *diff_pair_id(const pi_pair *pr)
{
    return pr->has_new ? pr->new.id : pr->old.id;
}

/* One affected coach and program, as a JSON line or a CSV row; reasons are
 * joined with "; " in CSV. */
static void diff_list_line(void *user, const pi_affected *a)
{
    const diff_line *l = user;
    cli_buf *b = &l->s->out;
    const char *change = a->change == PI_LOST ? "lost" : "gained";
    if (l->o->csv) {
        diff_csv_field(b, l->id);
        cli_buf_put(b, ",", 1);
        diff_csv_field(b, diff_pair_id(a->pair));
        cli_buf_printf(b, ",%s,", change);
        size_t len = 0;
        for (size_t i = 0; i < a->nreasons; i++)
            len += strlen(a->reasons[i]) + 2;
        char *joined = malloc(len + 1);
        if (!joined) {
            b->oom = true;
            return;
        }
        joined[0] = '\0';
        for (size_t i = 0; i < a->nreasons; i++) {
            if (i)
                strcat(joined, "; ");
            strcat(joined, a->reasons[i]);
        }
        diff_csv_field(b, joined);
        free(joined);
        cli_buf_put(b, "\r\n", 2);
        return;
    }
    cli_buf_puts(b, "{\"id\":");
    if (l->id)
        cli_buf_json_string(b, l->id);
    else
        cli_buf_puts(b, "null");
    cli_buf_puts(b, ",\"program\":");
    cli_buf_json_string(b, diff_pair_id(a->pair));
    cli_buf_printf(b, ",\"change\":\"%s\",\"reasons\":[", change);
    for (size_t i = 0; i < a->nreasons; i++) {
        if (i)
            cli_buf_put(b, ",", 1);
        cli_buf_json_string(b, a->reasons[i]);
    }
    cli_buf_puts(b, "]}\n");
}

/* ---- per record ------------------------------------------------------------------ */

static void diff_fail(const eval_shared *sh, eval_sink *s, const char *id, const char *where, const char *msg)
{
    (void)sh;
    eval_write_note(s, id, where, msg);
}

/* Loads the record into one side's context and evaluates that side's
 * versions; false (after reporting) when it cannot. */
static bool diff_side(const eval_shared *sh, eval_sink *s, const eval_where *w, const cJSON *rec, pw_context *ctx,
                      bool after)
{
    const diff_shared *ds = sh->user;
    const pi_diff *d = ds->d;
    const char *id = eval_record_id(rec);
    pw_error err;
    pw_status st = pt_context_set_cjson(ctx, rec, &err);
    for (size_t k = 0; st == PW_OK && k < d->npairs; k++) {
        const pi_pair *pr = &d->pairs[k];
        if (after ? pr->has_new : pr->has_old)
            st = pw_evaluate(ctx, after ? pr->new.p : pr->old.p, after ? d->new_date : d->old_date, &err);
    }
    if (st == PW_OK)
        return true;
    /* The old side's message is pathway eval's; the new side's says which
     * rules it comes from (they may declare the record differently). */
    char msg[sizeof err.message + 64];
    snprintf(msg, sizeof msg, "%s%s", after ? "under the new rules: " : "", err.message);
    eval_fail(sh, s, w, id, msg);
    return false;
}

static void diff_record(const eval_shared *sh, void *state, eval_sink *s, const cJSON *rec, const eval_where *w)
{
    const diff_shared *ds = sh->user;
    diff_state *st = state;
    if (!cJSON_IsObject(rec)) {
        eval_fail(sh, s, w, NULL, "expected a JSON object for the record");
        return;
    }
    if (!diff_side(sh, s, w, rec, st->before, false) || !diff_side(sh, s, w, rec, st->after, true))
        return;
    diff_line line = {ds->o, s, eval_record_id(rec)};
    pi_diff_record(ds->d, st->before, st->after, st->counts, st->scratch, ds->o->list ? diff_list_line : NULL,
                   &line);
    st->counts[ds->d->ncounters]++;
}

static void diff_state_free(diff_state *st)
{
    pw_context_free(st->before);
    pw_context_free(st->after);
    free(st->counts);
    free(st->scratch);
    free(st);
}

static pw_context *diff_context(const pw_program *program, const cli_limits *limits)
{
    pw_context *ctx;
    return cli_context_new(program, limits, &ctx, NULL) == PW_OK ? ctx : NULL;
}

static diff_state *diff_state_make(const pi_diff *d, const cli_limits *limits)
{
    diff_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->counts = calloc(d->ncounters + 1, sizeof *st->counts);
    st->scratch = calloc(d->max_reasons, sizeof *st->scratch);
    st->before = diff_context(d->old, limits);
    st->after = diff_context(d->new, limits);
    if (!st->counts || !st->scratch || !st->before || !st->after) {
        diff_state_free(st);
        return NULL;
    }
    return st;
}

static void *diff_state_new(const eval_shared *sh)
{
    const diff_shared *ds = sh->user;
    return diff_state_make(ds->d, &sh->o->limits);
}

static void diff_state_end(const eval_shared *sh, void *state, void *main_state)
{
    const diff_shared *ds = sh->user;
    diff_state *st = state, *m = main_state;
    for (size_t i = 0; i <= ds->d->ncounters; i++)
        m->counts[i] += st->counts[i];
    diff_state_free(st);
}

static const eval_hooks diff_hooks = {diff_state_new, diff_state_end, diff_record, diff_fail, NULL};

/* ---- options ---------------------------------------------------------------------- */

static int diff_to(const cli_option *opt, void *dest, const char *v)
{
    diff_opts *o = dest;
    if (cli_set_date(opt, &o->to, v) != CLI_OK)
        return CLI_USAGE;
    o->has_to = true;
    return CLI_OK;
}

static const cli_choices diff_formats = {"format", false, {{"text", PI_TEXT, false}, {"json", PI_JSON, false}}};
static const cli_choices diff_list_formats = {"list format", false, {{"jsonl", 0, false}, {"csv", 1, false}}};

static const cli_option diff_options[] = {
    {.name = "OLD, NEW", .kind = CLI_NOTE,
     .help = "the rules before and after (.pw or .pwc); without NEW, OLD is both, and --to gives the "
             "second date"},
    {.name = "--as-of", .arg = "DATE", .kind = CLI_CALL, CLI_DEST(diff_opts, eo.as_of, pw_date),
     .set = cli_set_date, .help = "when the old rules are evaluated (default: today)"},
    {.name = "--to", .arg = "DATE", .kind = CLI_CALL, .set = diff_to,
     .help = "when the new rules are evaluated (default: --as-of)"},
    {.name = "--format", .arg = "FORMAT", .kind = CLI_CHOICE, CLI_DEST(diff_opts, format, int),
     .choices = &diff_formats, .brief = "the summary's format", .help = "text (default) or json"},
    {.name = "--list", .arg = "FILE", .kind = CLI_STRING, .complete = CLI_FILE,
     CLI_DEST(diff_opts, list, const char *),
     .help = "write each affected coach and program, with the reasons, to FILE as it goes, in input order"},
    {.name = "--list-format", .arg = "F", .kind = CLI_CHOICE, CLI_DEST(diff_opts, csv, int),
     .choices = &diff_list_formats, .brief = "the list's format", .help = "jsonl (default) or csv"},
    POP_OPTIONS(diff_opts),
};

static int diff_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)cmd;
    diff_opts *o = opts;
    if (!o->old_rules) {
        o->old_rules = a;
    } else if (!o->new_rules) {
        o->new_rules = a;
    } else {
        cli_error("diff takes two rules files at most; `%s` is a third", a);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int diff_parse(int argc, char **argv, diff_opts *o)
{
    o->eo.as_of = pw_date_today();
    int st = cli_parse(&cli_diff_cmd, argc, argv, o);
    if (st != CLI_OK)
        return st;
    if (!o->old_rules || !o->eo.facts)
        return cli_usage_error(&cli_diff_cmd, "%s",
                               !o->old_rules ? "no rules file given" : "no facts given (--facts FILE)");
    if (!o->new_rules && !o->has_to)
        return cli_usage_error(&cli_diff_cmd,
                               "diff needs a second rules file, or --to DATE to compare one file at two dates");
    if (!o->has_to)
        o->to = o->eo.as_of;
    o->eo.rules = o->old_rules;
    return CLI_OK;
}

/* ---- the run ----------------------------------------------------------------------- */

typedef struct diff_render {
    pi_diff_view view;
    pi_format format;
} diff_render;

static bool diff_render_fn(FILE *out, const void *p)
{
    const diff_render *dr = p;
    return pi_render_diff(out, &dr->view, dr->format);
}

/* Opens the list file (through the atomic writer: it appears, complete,
 * once the run is over) with its CSV header; false after reporting. */
static bool diff_open_list(const diff_opts *o, pu_out *list)
{
    char msg[1024];
    static const char header[] = "id,program,change,reasons\r\n";
    if (!pu_out_open(list, o->list, msg, sizeof msg)) {
        cli_error("%s", msg);
        return false;
    }
    if (o->csv && !pu_out_write(list, header, sizeof header - 1, msg, sizeof msg)) {
        cli_error("%s", msg);
        pu_out_abort(list);
        return false;
    }
    return true;
}

/* No output may name an input, nor -o the list. */
static int diff_check_outputs(const diff_opts *o)
{
    if (!o->output && !o->list)
        return CLI_OK;
    cli_inputs inputs = {0};
    cli_inputs_add_rules(&inputs, o->old_rules, &o->eo.limits);
    if (o->new_rules)
        cli_inputs_add_rules(&inputs, o->new_rules, &o->eo.limits);
    cli_inputs_add(&inputs, o->eo.facts);
    int rc = cli_output_check(&inputs, o->output);
    if (rc == CLI_OK)
        rc = cli_output_check(&inputs, o->list);
    cli_inputs_fini(&inputs);
    if (rc == CLI_OK && o->output && o->list && strcmp(o->output, "-") != 0) {
        cli_inputs list = {0};
        cli_inputs_add(&list, o->list);
        bool same = strcmp(o->output, o->list) == 0 || (list.n && cli_output_check(&list, o->output) != CLI_OK);
        cli_inputs_fini(&list);
        if (same) {
            if (strcmp(o->output, o->list) == 0)
                cli_error("cannot write %s: -o and --list name the same file", o->output);
            return CLI_WRITE;
        }
    }
    return rc;
}

static int diff_run(const diff_opts *o, const pi_diff *d)
{
    diff_state *main_state = diff_state_make(d, &o->eo.limits);
    if (!main_state) {
        cli_error("out of memory");
        return CLI_USAGE;
    }
    pu_out list;
    bool listing = o->list != NULL;
    int rc = listing && !diff_open_list(o, &list) ? CLI_WRITE : CLI_OK;
    unsigned long long bad = 0;
    if (rc == CLI_OK) {
        diff_shared ds = {d, o};
        eval_shared sh = {&o->eo, d->old, NULL, &diff_hooks, &ds};
        rc = pop_run(&sh, main_state, listing ? list.fd : -1, &bad);
    }
    if (listing && rc == CLI_OK) {
        char msg[1024];
        if (!pu_out_commit(&list, msg, sizeof msg)) {
            cli_error("%s", msg);
            rc = CLI_WRITE;
        }
    } else if (listing) {
        pu_out_abort(&list); /* the run failed: the list is left as it was */
    }
    if (rc == CLI_OK) {
        const char *new_name = o->new_rules ? o->new_rules : o->old_rules;
        diff_render dr = {{d, main_state->counts, {main_state->counts[d->ncounters], bad}, o->old_rules, new_name},
                          o->format};
        rc = pop_write_summary(o->output, diff_render_fn, &dr);
        if (rc == CLI_OK && bad)
            rc = CLI_FOUND;
    }
    diff_state_free(main_state);
    return rc;
}

static int diff_main(int argc, char **argv)
{
    diff_opts o;
    memset(&o, 0, sizeof o);
    int rc = diff_parse(argc, argv, &o);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = diff_check_outputs(&o)) != CLI_OK)
        return rc;
    pw_program *old = pop_open_rules(o.old_rules, &o.eo.limits);
    pw_program *new = old && o.new_rules ? pop_open_rules(o.new_rules, &o.eo.limits) : NULL;
    if (!old || (o.new_rules && !new)) {
        pw_program_free(old);
        return CLI_USAGE;
    }
    pi_diff d;
    pw_error err;
    if (!pi_diff_init(&d, old, o.eo.as_of, new ? new : old, o.to, &err)) {
        cli_error("%s", err.message);
        rc = CLI_USAGE;
    } else {
        rc = diff_run(&o, &d);
    }
    pi_diff_fini(&d);
    pw_program_free(new);
    pw_program_free(old);
    return rc;
}

const cli_command cli_diff_cmd = {
    .name = "diff",
    .synopsis = "OLD NEW --facts FILE",
    .summary = "who a rule change affects, and why",
    .usage = "usage: pathway diff OLD [NEW] --facts FILE [--as-of YYYY-MM-DD] [--to YYYY-MM-DD]\n"
             "                   [--format text|json] [--list FILE [--list-format jsonl|csv]]\n"
             "                   [--jobs N] [-o FILE] [--limit NAME=N]...\n",
    .about = "Evaluates every coach record in FILE under two versions of the rules and\n"
             "reports who that changes: the requirements added, removed or changed, then\n"
             "per program the coaches eligible before and after, how many gain and lose\n"
             "eligibility, and the requirements that made the difference.\n",
    CLI_OPTIONS(diff_options),
    .tail = "A record that cannot be evaluated under either version is reported on\n"
            "standard error with its place, as pathway eval reports it, and left out\n"
            "of every count and of the list.\n"
            "Exit status: 0 every record evaluated, 1 some record could not be,\n"
            "2 usage error, rules that do not compile, or facts that cannot be read,\n"
            "3 an output cannot be written (or names an input, or -o and --list are\n"
            "the same file).\n",
    .operand = diff_operand,
    .operands = CLI_FILE,
    .run = diff_main,
};
