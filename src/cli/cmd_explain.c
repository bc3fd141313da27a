/* pathway explain, when and plan: why a coach may not enrol, when they will
 * be able to, and what to take to get there (docs/explain.md). The three
 * commands share their options; the facts stream through pathway eval's
 * reader and worker threads (eval.h), so that framing, bad records and
 * --jobs behave as they do for eval; the answers come from the explain
 * library (src/explain). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval.h"
#include "explain/explain.h"
#include "util/date.h"

typedef enum cx_cmd { CX_EXPLAIN, CX_WHEN, CX_PLAN } cx_cmd;

typedef struct cx_opts {
    cx_cmd cmd;
    const char *rules, *facts, *program; /* program: --program (when) or --target (plan) */
    const char **programs;               /* explain: --program, repeatable */
    size_t nprograms;
    pw_date as_of;
    int64_t horizon_n;
    pu_unit horizon_unit;
    int json;                            /* --format json */
    cli_limits limits;
    unsigned jobs;                       /* --jobs; 0 = one per online core */
} cx_opts;

static const cli_command *const cx_cmds[] = {&cli_explain_cmd, &cli_when_cmd, &cli_plan_cmd};

static int cx_horizon(const cli_option *opt, void *dest, const char *v)
{
    cx_opts *o = dest;
    char *end;
    long n = strtol(v, &end, 10);
    pu_unit u = *end == 'y' ? PU_YEARS : *end == 'm' ? PU_MONTHS : PU_DAYS;
    if (*v < '0' || *v > '9' || n < 1 || n > 36525 || (*end && end[1]) ||
        (*end && *end != 'y' && *end != 'm' && *end != 'd')) {
        cli_error("%s: `%s` needs a whole number of years, months or days, e.g. 20y, 6m, 90d", opt->name, v);
        return CLI_USAGE;
    }
    o->horizon_n = n;
    o->horizon_unit = u;
    return CLI_OK;
}

/* explain: --program, repeatable (room for argc of them). */
static int cx_programs(const cli_option *opt, void *dest, const char *v)
{
    (void)opt;
    cx_opts *o = dest;
    o->programs[o->nprograms++] = v;
    return CLI_OK;
}

static const cli_choices cx_formats = {"format", false, {{"text", 0, false}, {"json", 1, false}, {"jsonl", 1, true}}};

/* The options of the three commands, after each one's own. */
#define CX_OPTIONS                                                                                       \
    {.name = "--facts", .arg = "FILE", .kind = CLI_STRING, .complete = CLI_FILE,                       \
     CLI_DEST(cx_opts, facts, const char *),                                                           \
     .help = "coach records: one JSON object, an array, or JSON Lines"},                               \
    {.name = "--as-of", .arg = "DATE", .kind = CLI_CALL, CLI_DEST(cx_opts, as_of, pw_date),             \
     .set = cli_set_date, .help = "the evaluation date (default: today)"},                             \
    {.name = "--horizon", .arg = "N(y|m|d)", .kind = CLI_CALL, .set = cx_horizon,                      \
     .help = "how far to look ahead (and, for explain, back): years, months or days; default 20y"},    \
    {.name = "--format", .arg = "FORMAT", .kind = CLI_CHOICE, CLI_DEST(cx_opts, json, int),             \
     .choices = &cx_formats, .brief = "the answers' format",                                           \
     .help = "text (default on a terminal) or json (one object per coach, one per line)"},             \
    {.name = "--jobs", .arg = "N", .kind = CLI_CALL, CLI_DEST(cx_opts, jobs, unsigned), .set = eval_set_jobs, \
     .help = "answer on N threads (default: one per online core, once the input has more than 4096 "   \
             "records); the output is in input order whatever N is"},                                  \
    CLI_LIMIT_OPTIONS(cx_opts, limits)

static const cli_option explain_options[] = {
    {.name = "--program", .arg = "ID", .kind = CLI_CALL, .set = cx_programs,
     .help = "only this program (repeatable); default: all"},
    CX_OPTIONS,
};
static const cli_option when_options[] = {
    {.name = "--program", .arg = "ID", .kind = CLI_STRING, CLI_DEST(cx_opts, program, const char *),
     .help = "the program"},
    CX_OPTIONS,
};
static const cli_option plan_options[] = {
    {.name = "--target", .arg = "ID", .kind = CLI_STRING, CLI_DEST(cx_opts, program, const char *),
     .help = "the program to become eligible for"},
    CX_OPTIONS,
};

static int cx_operand(const cli_command *cmd, void *opts, const char *a)
{
    cx_opts *o = opts;
    if (o->rules) {
        cli_error("%s takes one rules file; `%s` is a second one", cmd->name, a);
        return CLI_USAGE;
    }
    o->rules = a;
    return CLI_OK;
}

static int cx_parse(int argc, char **argv, cx_opts *o)
{
    o->as_of = pw_date_today();
    o->json = !isatty(STDOUT_FILENO);
    o->horizon_n = 20;
    o->horizon_unit = PU_YEARS;
    int st = cli_parse(cx_cmds[o->cmd], argc, argv, o);
    if (st != CLI_OK)
        return st;
    const char *missing = !o->rules ? "no rules file given"
                          : !o->facts ? "no facts given (--facts FILE)"
                          : o->cmd == CX_WHEN && !o->program ? "no program given (--program ID)"
                          : o->cmd == CX_PLAN && !o->program ? "no target given (--target ID)"
                                                              : NULL;
    if (missing)
        return cli_usage_error(cx_cmds[o->cmd], "%s", missing);
    return CLI_OK;
}

/* ---- records ------------------------------------------------------------- */

/* What every thread reads: the command and its options. */
typedef struct cx_shared {
    const cx_opts *o;
    pw_explain_options xo;
} cx_shared;

/* A thread's own: its context, the answer being rendered, and how many
 * coaches are never eligible / cannot reach the target. */
typedef struct cx_state {
    pw_context *ctx;
    char *out;
    size_t len, cap;
    unsigned long long negative;
} cx_state;

static void *cx_state_new(const eval_shared *sh)
{
    cx_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    if (cli_context_new(sh->program, &sh->o->limits, &st->ctx, NULL) != PW_OK) {
        free(st);
        return NULL;
    }
    return st;
}

static void cx_state_end(const eval_shared *sh, void *state, void *main_state)
{
    (void)sh;
    cx_state *st = state;
    ((cx_state *)main_state)->negative += st->negative;
    pw_context_free(st->ctx);
    free(st->out);
    free(st);
}

/* A bad record's error line in the answers, and its message on standard
 * error, as eval writes them. */
static void cx_fail(const eval_shared *sh, eval_sink *s, const char *id, const char *where, const char *msg)
{
    const cx_shared *x = sh->user;
    if (x->o->json) {
        cli_buf_puts(&s->out, "{\"id\":");
        if (id)
            cli_buf_json_string(&s->out, id);
        else
            cli_buf_puts(&s->out, "null");
        cli_buf_puts(&s->out, ",\"error\":");
        cli_buf_json_string(&s->out, msg);
        cli_buf_puts(&s->out, "}\n");
    } else {
        cli_buf_text(&s->out, id ? id : "(no id)");
        cli_buf_puts(&s->out, ": error: ");
        cli_buf_text(&s->out, msg);
        cli_buf_puts(&s->out, "\n");
    }
    eval_write_note(s, id, where, msg);
}

/* Answers the question for one record into the batch's output. */
static void cx_record(const eval_shared *sh, void *state, eval_sink *s, const cJSON *record,
                      const eval_where *w)
{
    const cx_shared *x = sh->user;
    cx_state *st = state;
    const char *id = eval_record_id(record);
    pw_error err;
    if (!cJSON_IsObject(record)) {
        eval_fail(sh, s, w, NULL, "expected a JSON object for the record");
        return;
    }
    pw_status rc = pt_context_set_cjson(st->ctx, record, &err);
    bool ok = true;
    st->len = 0;
    if (rc == PW_OK && x->o->cmd == CX_EXPLAIN) {
        pw_explanation *e;
        if ((rc = px_explain(st->ctx, id, &x->xo, &e, &err)) == PW_OK)
            ok = px_render_explain(e, x->o->json, &st->out, &st->len, &st->cap);
        pw_explanation_free(rc == PW_OK ? e : NULL);
    } else if (rc == PW_OK && x->o->cmd == CX_WHEN) {
        pw_eligibility *e;
        if ((rc = px_when(st->ctx, id, x->o->program, &x->xo, &e, &err)) == PW_OK) {
            ok = px_render_when(e, x->o->json, &st->out, &st->len, &st->cap);
            st->negative += e->nperiods == 0;
            pw_eligibility_free(e);
        }
    } else if (rc == PW_OK) {
        pw_plan *p;
        if ((rc = px_plan(st->ctx, record, x->o->program, &x->xo, &p, &err)) == PW_OK) {
            ok = px_render_plan(p, x->o->json, &st->out, &st->len, &st->cap);
            st->negative += !p->reachable;
            pw_plan_free(p);
        }
    }
    if (rc != PW_OK)
        eval_fail(sh, s, w, id, err.message);
    else if (!ok)
        eval_fail(sh, s, w, id, "out of memory");
    else
        cli_buf_put(&s->out, st->out, st->len);
}

static const eval_hooks cx_hooks = {cx_state_new, cx_state_end, cx_record, cx_fail, NULL};

static int cx_run_facts(cx_opts *o, const pw_program *program, cx_state *main_state,
                        const pw_explain_options *xo)
{
    eval_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.facts = o->facts;
    eo.as_of = o->as_of;
    eo.limits = o->limits;
    eo.jobs = o->jobs;
    cx_shared x = {o, *xo};
    eval_shared sh = {&eo, program, NULL, &cx_hooks, &x};
    unsigned long long bad = 0;
    int rc = eval_stream(&sh, main_state, STDOUT_FILENO, "the answers", CLI_WRITE, &bad);
    if (rc != CLI_OK)
        return rc;
    return bad || main_state->negative ? CLI_FOUND : CLI_OK;
}

static int cx_main(cx_cmd cmd, int argc, char **argv)
{
    cx_opts o;
    memset(&o, 0, sizeof o);
    o.cmd = cmd;
    o.programs = calloc((size_t)argc, sizeof *o.programs);
    int rc = CLI_USAGE;
    if (o.programs)
        rc = cx_parse(argc, argv, &o);
    else
        cli_error("out of memory");
    pw_program *program = NULL;
    cx_state main_state;
    memset(&main_state, 0, sizeof main_state);
    pw_explain_options xo;
    cli_diag_sink sink;
    pw_compile_options copt = cli_compile_options(PW_DIAG_TEXT, &sink);
    cli_apply_limits(&copt, &o.limits);
    pw_error err;
    int32_t horizon_end;
    if (rc != CLI_OK) {
        rc = rc < 0 ? CLI_OK : rc;
    } else if (!pu_date_add(o.as_of, o.horizon_n, o.horizon_unit, &horizon_end) || horizon_end - o.as_of > 36525) {
        cli_error("--horizon: at most 100 years, within the years %d-%d", PU_YEAR_MIN, PU_YEAR_MAX);
        rc = CLI_USAGE;
    } else if (pw_program_open(o.rules, &copt, &program, &err) != PW_OK) {
        cli_report_failure(&sink, &err);
        rc = CLI_USAGE;
    } else if (cli_context_new(program, &o.limits, &main_state.ctx, &err) != PW_OK) {
        cli_error("%s", err.message);
        rc = CLI_USAGE;
    } else {
        size_t idx;
        const char *unknown = NULL;
        for (size_t i = 0; i < o.nprograms && !unknown; i++)
            unknown = pw_program_find(program, o.programs[i], &idx, NULL) == PW_OK ? NULL : o.programs[i];
        if (!unknown && o.program && pw_program_find(program, o.program, &idx, NULL) != PW_OK)
            unknown = o.program;
        xo = (pw_explain_options){sizeof xo, o.as_of, horizon_end - o.as_of, o.nprograms ? o.programs : NULL,
                                  o.nprograms};
        if (unknown) {
            cli_error("no program `%s` in %s", unknown, o.rules);
            rc = CLI_USAGE;
        } else {
            rc = cx_run_facts(&o, program, &main_state, &xo);
        }
    }
    pw_context_free(main_state.ctx);
    free(main_state.out);
    pw_program_free(program);
    free(o.programs);
    return rc;
}

static int explain_main(int argc, char **argv) { return cx_main(CX_EXPLAIN, argc, argv); }
static int when_main(int argc, char **argv) { return cx_main(CX_WHEN, argc, argv); }
static int plan_main(int argc, char **argv) { return cx_main(CX_PLAN, argc, argv); }

const cli_command cli_explain_cmd = {
    .name = "explain",
    .synopsis = "RULES --facts FILE",
    .summary = "why: every requirement, met or not, and what is missing",
    .usage = "usage: pathway explain RULES --facts FILE [--program ID]... [--as-of DATE]\n"
             "                       [--horizon N(y|m|d)] [--format text|json] [--jobs N]\n",
    .about = "For each program (or those named) and each coach record in FILE: every\n"
             "requirement, met or not, with its citation, the values it looked at and,\n"
             "for one not met, what is missing and the day it will be met (\"age 17,\n"
             "needs at least 18: reaches 18 on 2027-03-14\") or was last met.\n",
    CLI_OPTIONS(explain_options),
    .tail = "Exit status: 0 every record explained, 1 some record had an error, 2 usage\n"
            "error or rules that do not compile.\n",
    .operand = cx_operand,
    .operands = CLI_FILE,
    .run = explain_main,
};

const cli_command cli_when_cmd = {
    .name = "when",
    .synopsis = "RULES --facts FILE --program ID",
    .summary = "when: the periods of eligibility",
    .usage = "usage: pathway when RULES --facts FILE --program ID [--as-of DATE]\n"
             "                    [--horizon N(y|m|d)] [--format text|json] [--jobs N]\n",
    .about = "The periods, from the evaluation date to the end of the horizon (default\n"
             "20 years), in which each coach is eligible for the program, assuming no\n"
             "new facts, and what starts and ends each; or what blocks it. Every day is\n"
             "evaluated as `pathway eval --as-of DAY` evaluates it.\n",
    CLI_OPTIONS(when_options),
    .tail = "Exit status: 0 every coach is eligible on some day of the horizon, 1 some\n"
            "coach is not or some record had an error, 2 usage error or rules that do\n"
            "not compile.\n",
    .operand = cx_operand,
    .operands = CLI_FILE,
    .run = when_main,
};

const cli_command cli_plan_cmd = {
    .name = "plan",
    .synopsis = "RULES --facts FILE --target ID",
    .summary = "how: the programs to take, and when",
    .usage = "usage: pathway plan RULES --facts FILE --target ID [--as-of DATE]\n"
             "                    [--horizon N(y|m|d)] [--format text|json] [--jobs N]\n",
    .about = "The programs to take, and on which days, to be eligible for the target at\n"
             "the earliest date (ties: fewer programs, then fewer hours): what each\n"
             "grants, what must be waited for, and what no program grants and the coach\n"
             "must arrange. Every plan is replayed through the evaluation before it is\n"
             "printed.\n",
    CLI_OPTIONS(plan_options),
    .tail = "Exit status: 0 every coach can reach the target within the horizon, 1 some\n"
            "cannot or some record had an error, 2 usage error or rules that do not\n"
            "compile.\n",
    .operand = cx_operand,
    .operands = CLI_FILE,
    .run = plan_main,
};
