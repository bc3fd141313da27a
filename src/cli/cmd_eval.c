/* pathway eval: one line of results per coach record, in input order, as
 * docs/coach-record.md (section 5) fixes it. This file holds the
 * command's options and the run; eval.h names the other pieces. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval.h"

typedef struct eval_run {
    eval_opts *o;
    pw_program *program;
    pw_context *ctx;
} eval_run;

/* ---- options -------------------------------------------------------------- */

static int eval_program(const cli_option *opt, void *dest, const char *v)
{
    (void)opt;
    eval_opts *o = dest;
    o->prog_ids[o->nids++] = v; /* room for argc of them */
    return CLI_OK;
}

static const cli_choices eval_formats = {
    "format", false, {{"jsonl", 0, false}, {"text", 1, false}, {"json", 0, true}}};

static const cli_option eval_options[] = {
    {.name = "--facts", .arg = "FILE", .kind = CLI_STRING, .complete = CLI_FILE,
     CLI_DEST(eval_opts, facts, const char *), .help = "the coach records"},
    {.name = "--as-of", .arg = "DATE", .kind = CLI_CALL, CLI_DEST(eval_opts, as_of, pw_date),
     .set = cli_set_date, .help = "the evaluation date"},
    {.name = "--program", .arg = "ID", .kind = CLI_CALL, .dest = 0, .set = eval_program,
     .help = "only this program (repeatable); default: all, in the order the rule file declares them"},
    {.name = "--format", .arg = "FORMAT", .kind = CLI_CHOICE, CLI_DEST(eval_opts, text, int),
     .choices = &eval_formats, .brief = "the output's format",
     .help = "jsonl (default when standard output is not a terminal): one JSON object per record; "
             "text: a readable report"},
    {.name = "--jobs", .arg = "N", .kind = CLI_CALL, CLI_DEST(eval_opts, jobs, unsigned),
     .set = eval_set_jobs,
     .help = "evaluate on N threads (default: one per online core, once the input has more than "
             "4096 records); the output is in input order whatever N is"},
    CLI_LIMIT_OPTIONS(eval_opts, limits),
};

static int eval_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)cmd;
    eval_opts *o = opts;
    if (o->rules) {
        cli_error("eval takes one rules file; `%s` is a second one", a);
        return CLI_USAGE;
    }
    o->rules = a;
    return CLI_OK;
}

static int eval_parse(int argc, char **argv, eval_opts *o)
{
    o->as_of = pw_date_today();
    o->text = isatty(STDOUT_FILENO);
    o->prog_ids = calloc((size_t)argc, sizeof *o->prog_ids);
    if (!o->prog_ids) {
        cli_error("out of memory");
        return CLI_USAGE;
    }
    int st = cli_parse(&cli_eval_cmd, argc, argv, o);
    if (st != CLI_OK)
        return st;
    if (!o->rules || !o->facts)
        return cli_usage_error(&cli_eval_cmd, "%s",
                               !o->rules ? "no rules file given" : "no facts given (--facts FILE)");
    return CLI_OK;
}

/* Resolves --program ids, in the order the rule file declares them, each
 * to the version that applies on the evaluation date. */
static int eval_select(eval_run *r)
{
    eval_opts *o = r->o;
    size_t n = pw_program_count(r->program);
    o->progs = calloc(n ? n : 1, sizeof *o->progs);
    bool *chosen = calloc(n ? n : 1, sizeof *chosen);
    if (!o->progs || !chosen) {
        free(chosen);
        cli_error("out of memory");
        return CLI_USAGE;
    }
    for (size_t k = 0; k < o->nids; k++) {
        size_t idx;
        if (pw_program_find(r->program, o->prog_ids[k], &idx, NULL) != PW_OK) {
            cli_error("--program: no program `%s` in %s", o->prog_ids[k], o->rules);
            fprintf(stderr, "  the programs are:");
            for (size_t i = 0; i < n; i++)
                if (pw_program_is_first_version(r->program, i))
                    fprintf(stderr, " %s", pw_program_id(r->program, i));
            fputc('\n', stderr);
            free(chosen);
            return CLI_USAGE;
        }
        chosen[idx] = true;
    }
    for (size_t i = 0; i < n; i++)
        if ((!o->nids || chosen[i]) && pw_program_is_first_version(r->program, i))
            o->progs[o->nprogs++] = pw_program_version_at(r->program, i, o->as_of);
    free(chosen);
    return CLI_OK;
}

/* Reads, evaluates and writes every record; the exit status. */
static int eval_facts(eval_run *r)
{
    eval_fmt fmt;
    if (!eval_fmt_init(&fmt, r->program, r->o)) {
        cli_error("out of memory");
        return CLI_USAGE;
    }
    eval_shared sh = {r->o, r->program, &fmt, &eval_record_hooks, NULL};
    unsigned long long bad = 0;
    int rc = eval_stream(&sh, r->ctx, STDOUT_FILENO, "the results", CLI_WRITE, &bad);
    eval_fmt_fini(&fmt);
    return rc == CLI_OK && bad ? CLI_FOUND : rc;
}

static int eval_main(int argc, char **argv)
{
    eval_opts o;
    memset(&o, 0, sizeof o);
    int rc = eval_parse(argc, argv, &o);
    if (rc != CLI_OK) {
        free(o.prog_ids);
        return rc < 0 ? CLI_OK : rc;
    }
    eval_run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    cli_diag_sink sink;
    pw_compile_options copt = cli_compile_options(PW_DIAG_TEXT, &sink);
    cli_apply_limits(&copt, &o.limits);
    pw_error err;
    if (pw_program_open(o.rules, &copt, &r.program, &err) != PW_OK) {
        cli_report_failure(&sink, &err);
        rc = CLI_USAGE;
    } else if ((rc = eval_select(&r)) != CLI_OK) {
        /* reported */
    } else if (cli_context_new(r.program, &o.limits, &r.ctx, &err) != PW_OK) {
        cli_error("%s", err.message);
        rc = CLI_USAGE;
    } else {
        rc = eval_facts(&r);
    }
    pw_context_free(r.ctx);
    pw_program_free(r.program);
    free(o.progs);
    free(o.prog_ids);
    return rc;
}

const cli_command cli_eval_cmd = {
    .name = "eval",
    .synopsis = "RULES --facts FILE",
    .summary = "decide who may enrol in which program",
    .usage = "usage: pathway eval RULES --facts FILE [--as-of YYYY-MM-DD] [--program ID]...\n"
             "                   [--format jsonl|text] [--jobs N] [--limit NAME=N]...\n",
    .about = "Evaluates every coach record in FILE (\"-\" for standard input) against the\n"
             "rules (a .pw source file or a compiled .pwc file) as of a date (default:\n"
             "today). FILE holds one JSON object, a JSON array of objects, or JSON Lines.\n",
    CLI_OPTIONS(eval_options),
    .tail = "A record that cannot be evaluated gets {\"id\":...,\"error\":\"...\"} in its place\n"
            "and a message on standard error; the other records are still evaluated.\n"
            "Exit status: 0 every record evaluated, 1 some record had an error,\n"
            "2 usage error or rules that do not compile.\n",
    .operand = eval_operand,
    .operands = CLI_FILE,
    .run = eval_main,
};
