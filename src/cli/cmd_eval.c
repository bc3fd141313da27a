/* pathway eval: one line of results per coach record, in input order, as
 * docs/coach-record.md (section 5) fixes it. This file holds the
 * command's options and the run; eval.h names the other pieces. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval.h"

static const char eval_help[] =
    "usage: pathway eval RULES --facts FILE [--as-of YYYY-MM-DD] [--program ID]...\n"
    "                   [--format jsonl|text] [--jobs N] [--limit NAME=N]...\n"
    "\n"
    "Evaluates every coach record in FILE (\"-\" for standard input) against the\n"
    "rules (a .pw source file or a compiled .pwc file) as of a date (default:\n"
    "today). FILE holds one JSON object, a JSON array of objects, or JSON Lines.\n"
    "\n"
    "  --facts FILE       the coach records\n"
    "  --as-of DATE       the evaluation date\n"
    "  --program ID       only this program (repeatable); default: all, in the\n"
    "                     order the rule file declares them\n"
    "  --format FORMAT    jsonl (default when standard output is not a terminal):\n"
    "                     one JSON object per record; text: a readable report\n"
    "  --jobs N           evaluate on N threads (default: one per online core,\n"
    "                     once the input has more than 4096 records); the output\n"
    "                     is in input order whatever N is\n"
    "\n"
    "A record that cannot be evaluated gets {\"id\":...,\"error\":\"...\"} in its place\n"
    "and a message on standard error; the other records are still evaluated.\n"
    "Exit status: 0 every record evaluated, 1 some record had an error,\n"
    "2 usage error or rules that do not compile.\n"
    "\n";

typedef struct eval_run {
    eval_opts *o;
    pw_program *program;
    pw_context *ctx;
} eval_run;

/* ---- options -------------------------------------------------------------- */

static int eval_parse(int argc, char **argv, eval_opts *o)
{
    o->as_of = pw_date_today();
    o->text = isatty(STDOUT_FILENO);
    o->prog_ids = calloc((size_t)argc, sizeof *o->prog_ids);
    if (!o->prog_ids)
        return CLI_USAGE;
    int st;
    bool ended = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        if (cli_end_of_options(a, &ended))
            continue;
        if (ended || a[0] != '-' || !a[1]) {
            if (o->rules) {
                cli_error("eval takes one rules file; `%s` is a second one", a);
                return CLI_USAGE;
            }
            o->rules = a;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(eval_help, stdout);
            fputs(cli_limit_help, stdout);
            return -1;
        } else if (cli_limit_option(argc, argv, &i, &o->limits, &st)) {
            if (st != CLI_OK)
                return st;
        } else if (cli_is_option(a, "--facts")) {
            if (!(o->facts = cli_option_value(argc, argv, &i, "--facts")))
                return CLI_USAGE;
        } else if (cli_is_option(a, "--as-of")) {
            if (!(v = cli_option_value(argc, argv, &i, "--as-of")))
                return CLI_USAGE;
            pw_error err;
            if (pw_date_parse(v, &o->as_of, &err) != PW_OK) {
                cli_error("--as-of: %s", err.message);
                return CLI_USAGE;
            }
        } else if (cli_is_option(a, "--program")) {
            if (!(v = cli_option_value(argc, argv, &i, "--program")))
                return CLI_USAGE;
            o->prog_ids[o->nids++] = v;
        } else if (cli_is_option(a, "--jobs")) {
            if (!(v = cli_option_value(argc, argv, &i, "--jobs")))
                return CLI_USAGE;
            if (!eval_parse_jobs(v, &o->jobs))
                return CLI_USAGE;
        } else if (cli_is_option(a, "--format")) {
            if (!(v = cli_option_value(argc, argv, &i, "--format")))
                return CLI_USAGE;
            if (strcmp(v, "jsonl") == 0 || strcmp(v, "json") == 0) {
                o->text = false;
            } else if (strcmp(v, "text") == 0) {
                o->text = true;
            } else {
                cli_error("unknown format `%s` (expected jsonl or text)", v);
                return CLI_USAGE;
            }
        } else {
            cli_error("unknown option `%s`\n%s", a, eval_help);
            return CLI_USAGE;
        }
    }
    if (!o->rules || !o->facts) {
        cli_error("%s\n%s", !o->rules ? "no rules file given" : "no facts given (--facts FILE)", eval_help);
        return CLI_USAGE;
    }
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

int cli_eval(int argc, char **argv)
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
    } else if (pw_context_new(r.program, &r.ctx, &err) != PW_OK ||
               pw_context_set_limits(r.ctx, &o.limits.limits, &err) != PW_OK) {
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
