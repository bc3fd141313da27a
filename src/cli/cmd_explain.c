/* pathway explain, when and plan: why a coach may not enrol, when they will
 * be able to, and what to take to get there (docs/explain.md). The three
 * commands share their options and the reading of the facts; the answers
 * come from the explain library (src/explain). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "explain/explain.h"
#include "util/date.h"
#include "util/file.h"

typedef enum cx_cmd { CX_EXPLAIN, CX_WHEN, CX_PLAN } cx_cmd;

typedef struct cx_opts {
    cx_cmd cmd;
    const char *rules, *facts, *program; /* program: --program (when) or --target (plan) */
    const char **programs;               /* explain: --program, repeatable */
    size_t nprograms;
    pw_date as_of;
    int64_t horizon_n;
    pt_unit horizon_unit;
    bool json;
    cli_limits limits;
} cx_opts;

static const char *const cx_help[] = {
    "usage: pathway explain RULES --facts FILE [--program ID]... [--as-of DATE]\n"
    "                       [--horizon N(y|m|d)] [--format text|json]\n"
    "\n"
    "For each program (or those named) and each coach record in FILE: every\n"
    "requirement, met or not, with its citation, the values it looked at and,\n"
    "for one not met, what is missing and the day it will be met (\"age 17,\n"
    "needs at least 18: reaches 18 on 2027-03-14\") or was last met.\n"
    "Exit status: 0 every record explained, 1 some record had an error, 2 usage\n"
    "error or rules that do not compile.\n",
    "usage: pathway when RULES --facts FILE --program ID [--as-of DATE]\n"
    "                    [--horizon N(y|m|d)] [--format text|json]\n"
    "\n"
    "The periods, from the evaluation date to the end of the horizon (default\n"
    "20 years), in which each coach is eligible for the program, assuming no\n"
    "new facts, and what starts and ends each; or what blocks it. Every day is\n"
    "evaluated as `pathway eval --as-of DAY` evaluates it.\n"
    "Exit status: 0 every coach is eligible on some day of the horizon, 1 some\n"
    "coach is not or some record had an error, 2 usage error or rules that do\n"
    "not compile.\n",
    "usage: pathway plan RULES --facts FILE --target ID [--as-of DATE]\n"
    "                    [--horizon N(y|m|d)] [--format text|json]\n"
    "\n"
    "The programs to take, and on which days, to be eligible for the target at\n"
    "the earliest date (ties: fewer programs, then fewer hours): what each\n"
    "grants, what must be waited for, and what no program grants and the coach\n"
    "must arrange. Every plan is replayed through the evaluation before it is\n"
    "printed.\n"
    "Exit status: 0 every coach can reach the target within the horizon, 1 some\n"
    "cannot or some record had an error, 2 usage error or rules that do not\n"
    "compile.\n",
};

static const char cx_common_help[] =
    "\n"
    "  --facts FILE       coach records: one JSON object, an array, or JSON Lines\n"
    "  --as-of DATE       the evaluation date (default: today)\n"
    "  --horizon N(y|m|d) how far to look ahead (and, for explain, back):\n"
    "                     years, months or days; default 20y\n"
    "  --format FORMAT    text (default on a terminal) or json (one object per\n"
    "                     coach, one per line)\n";

static const char *const cx_name[] = {"explain", "when", "plan"};

static bool cx_parse_horizon(const char *v, cx_opts *o)
{
    char *end;
    long n = strtol(v, &end, 10);
    pt_unit u = *end == 'y' ? PT_YEARS : *end == 'm' ? PT_MONTHS : PT_DAYS;
    if (*v < '0' || *v > '9' || n < 1 || n > 36525 || (*end && end[1]) ||
        (*end && *end != 'y' && *end != 'm' && *end != 'd')) {
        cli_error("--horizon: `%s` needs a whole number of years, months or days, e.g. 20y, 6m, 90d", v);
        return false;
    }
    o->horizon_n = n;
    o->horizon_unit = u;
    return true;
}

/* One option of the three commands; -1 help printed, else a status. */
static int cx_option(int argc, char **argv, int *i, cx_opts *o)
{
    const char *a = argv[*i], *v;
    int st;
    if (cli_limit_option(argc, argv, i, &o->limits, &st))
        return st;
    if (cli_is_option(a, "--facts"))
        return (o->facts = cli_option_value(argc, argv, i, "--facts")) ? CLI_OK : CLI_USAGE;
    if (cli_is_option(a, "--as-of")) {
        pw_error err;
        if (!(v = cli_option_value(argc, argv, i, "--as-of")))
            return CLI_USAGE;
        if (pw_date_parse(v, &o->as_of, &err) == PW_OK)
            return CLI_OK;
        cli_error("--as-of: %s", err.message);
        return CLI_USAGE;
    }
    if (cli_is_option(a, "--horizon"))
        return (v = cli_option_value(argc, argv, i, "--horizon")) && cx_parse_horizon(v, o) ? CLI_OK : CLI_USAGE;
    if (cli_is_option(a, "--format")) {
        if (!(v = cli_option_value(argc, argv, i, "--format")))
            return CLI_USAGE;
        if (strcmp(v, "json") == 0 || strcmp(v, "jsonl") == 0 || strcmp(v, "text") == 0) {
            o->json = v[0] == 'j';
            return CLI_OK;
        }
        cli_error("unknown format `%s` (expected text or json)", v);
        return CLI_USAGE;
    }
    const char *name = o->cmd == CX_PLAN ? "--target" : "--program";
    if (cli_is_option(a, name)) {
        if (!(v = cli_option_value(argc, argv, i, name)))
            return CLI_USAGE;
        if (o->cmd == CX_EXPLAIN)
            o->programs[o->nprograms++] = v;
        else
            o->program = v;
        return CLI_OK;
    }
    cli_error("unknown option `%s`\n%s", a, cx_help[o->cmd]);
    return CLI_USAGE;
}

static int cx_parse(int argc, char **argv, cx_opts *o)
{
    o->as_of = pw_date_today();
    o->json = !isatty(STDOUT_FILENO);
    o->horizon_n = 20;
    o->horizon_unit = PT_YEARS;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(cx_help[o->cmd], stdout);
            fputs(cx_common_help, stdout);
            fputs(cli_limit_help, stdout);
            return -1;
        }
        if (a[0] == '-' && a[1]) {
            int st = cx_option(argc, argv, &i, o);
            if (st != CLI_OK)
                return st;
        } else if (o->rules) {
            cli_error("%s takes one rules file; `%s` is a second one", cx_name[o->cmd], a);
            return CLI_USAGE;
        } else {
            o->rules = a;
        }
    }
    const char *missing = !o->rules ? "no rules file given"
                          : !o->facts ? "no facts given (--facts FILE)"
                          : o->cmd == CX_WHEN && !o->program ? "no program given (--program ID)"
                          : o->cmd == CX_PLAN && !o->program ? "no target given (--target ID)"
                                                              : NULL;
    if (missing) {
        cli_error("%s\n%s", missing, cx_help[o->cmd]);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* ---- records ------------------------------------------------------------- */

typedef struct cx_run {
    cx_opts *o;
    pw_program *program;
    pw_context *ctx;
    pw_explain_options xo;
    char *out;
    size_t len, cap;
    unsigned long long bad, negative;
} cx_run;

/* Prints a bad record's error line and message, as eval does. */
static void cx_bad(cx_run *r, const char *where, const cJSON *record, const char *msg)
{
    const char *id = record ? px_coach_id(record) : NULL;
    fprintf(stderr, "%s: error: ", where);
    if (id)
        fprintf(stderr, "record \"%s\": ", id);
    fprintf(stderr, "%s\n", msg);
    if (r->o->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddItemToObject(j, "id", id ? cJSON_CreateString(id) : cJSON_CreateNull());
        cJSON_AddStringToObject(j, "error", msg);
        char *s = cJSON_PrintUnformatted(j);
        if (s)
            printf("%s\n", s);
        free(s);
        cJSON_Delete(j);
    } else {
        printf("%s: error: %s\n", id ? id : "(no id)", msg);
    }
    r->bad++;
}

/* Answers the question for one record, and prints the answer. */
static void cx_record(cx_run *r, const char *where, const cJSON *record)
{
    pw_error err;
    pw_status st = cJSON_IsObject(record) ? pw_context_set_cjson(r->ctx, record, &err)
                                          : pw_fail(&err, PW_ERR_FACTS, "the record is not a JSON object");
    bool ok = true;
    r->len = 0;
    if (st == PW_OK && r->o->cmd == CX_EXPLAIN) {
        pw_explanation *e;
        if ((st = px_explain(r->ctx, px_coach_id(record), &r->xo, &e, &err)) == PW_OK)
            ok = px_render_explain(e, r->o->json, &r->out, &r->len, &r->cap);
        pw_explanation_free(st == PW_OK ? e : NULL);
    } else if (st == PW_OK && r->o->cmd == CX_WHEN) {
        pw_eligibility *e;
        if ((st = px_when(r->ctx, px_coach_id(record), r->o->program, &r->xo, &e, &err)) == PW_OK) {
            ok = px_render_when(e, r->o->json, &r->out, &r->len, &r->cap);
            r->negative += e->nperiods == 0;
            pw_eligibility_free(e);
        }
    } else if (st == PW_OK) {
        pw_plan *p;
        if ((st = px_plan(r->ctx, record, r->o->program, &r->xo, &p, &err)) == PW_OK) {
            ok = px_render_plan(p, r->o->json, &r->out, &r->len, &r->cap);
            r->negative += !p->reachable;
            pw_plan_free(p);
        }
    }
    if (st != PW_OK)
        cx_bad(r, where, record, err.message);
    else if (!ok)
        cx_bad(r, where, record, "out of memory");
    else
        fwrite(r->out, 1, r->len, stdout);
}

/* A file that is one JSON value (an object, or an array of objects) is
 * that; anything else is JSON Lines, one record per non-blank line. */
static void cx_records(cx_run *r, const char *text, size_t len)
{
    const char *name = r->o->facts;
    char where[4096];
    const char *after = NULL;
    cJSON *all = cJSON_ParseWithLengthOpts(text, len, &after, false);
    while (all && after && after < text + len && (*after == ' ' || *after == '\t' || *after == '\r' || *after == '\n'))
        after++;
    if (all && after == text + len && (cJSON_IsObject(all) || cJSON_IsArray(all))) {
        if (cJSON_IsObject(all)) {
            snprintf(where, sizeof where, "%s", name);
            cx_record(r, where, all);
        }
        size_t k = 0;
        for (const cJSON *it = cJSON_IsArray(all) ? all->child : NULL; it; it = it->next, k++) {
            snprintf(where, sizeof where, "%s: record %zu", name, k + 1);
            cx_record(r, where, it);
        }
        cJSON_Delete(all);
        return;
    }
    cJSON_Delete(all);
    size_t line = 0;
    for (const char *p = text, *end = text + len; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *q = p;
        while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        snprintf(where, sizeof where, "%s:%zu", name, line + 1);
        if (q < stop) {
            cJSON *rec = cJSON_ParseWithLength(p, (size_t)(stop - p));
            if (rec)
                cx_record(r, where, rec);
            else
                cx_bad(r, where, NULL, "not valid JSON");
            cJSON_Delete(rec);
        }
        p = nl ? nl + 1 : end;
    }
}

static int cx_run_facts(cx_run *r)
{
    char *text = NULL;
    size_t len = 0;
    char msg[512];
    if (!pu_read_file(r->o->facts, 0, &text, &len, msg, sizeof msg)) {
        cli_error("%s", msg);
        return CLI_USAGE;
    }
    cx_records(r, text, len);
    free(text);
    free(r->out);
    fflush(stdout);
    return r->bad || r->negative ? CLI_FOUND : CLI_OK;
}

static int cx_main(cx_cmd cmd, int argc, char **argv)
{
    cx_opts o;
    memset(&o, 0, sizeof o);
    o.cmd = cmd;
    o.programs = calloc((size_t)argc, sizeof *o.programs);
    int rc = o.programs ? cx_parse(argc, argv, &o) : CLI_USAGE;
    cx_run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    cli_diag_sink sink;
    pw_compile_options copt = cli_compile_options(PW_DIAG_TEXT, &sink);
    cli_apply_limits(&copt, &o.limits);
    pw_error err;
    int32_t horizon_end;
    if (rc != CLI_OK) {
        rc = rc < 0 ? CLI_OK : rc;
    } else if (!pt_add(o.as_of, o.horizon_n, o.horizon_unit, &horizon_end) || horizon_end - o.as_of > 36525) {
        cli_error("--horizon: at most 100 years, within the years %d-%d", PT_YEAR_MIN, PT_YEAR_MAX);
        rc = CLI_USAGE;
    } else if (pw_program_open(o.rules, &copt, &r.program, &err) != PW_OK) {
        cli_report_failure(&sink, &err);
        rc = CLI_USAGE;
    } else if (pw_context_new(r.program, &r.ctx, &err) != PW_OK ||
               pw_context_set_limits(r.ctx, &o.limits.limits, &err) != PW_OK) {
        cli_error("%s", err.message);
        rc = CLI_USAGE;
    } else {
        size_t idx;
        const char *unknown = NULL;
        for (size_t i = 0; i < o.nprograms && !unknown; i++)
            unknown = pw_program_find(r.program, o.programs[i], &idx, NULL) == PW_OK ? NULL : o.programs[i];
        if (!unknown && o.program && pw_program_find(r.program, o.program, &idx, NULL) != PW_OK)
            unknown = o.program;
        r.xo = (pw_explain_options){o.as_of, horizon_end - o.as_of, o.nprograms ? o.programs : NULL, o.nprograms};
        if (unknown) {
            cli_error("no program `%s` in %s", unknown, o.rules);
            rc = CLI_USAGE;
        } else {
            rc = cx_run_facts(&r);
        }
    }
    pw_context_free(r.ctx);
    pw_program_free(r.program);
    free(o.programs);
    return rc;
}

int cli_explain(int argc, char **argv) { return cx_main(CX_EXPLAIN, argc, argv); }
int cli_when(int argc, char **argv) { return cx_main(CX_WHEN, argc, argv); }
int cli_plan(int argc, char **argv) { return cx_main(CX_PLAN, argc, argv); }
