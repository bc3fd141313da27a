/* pathway test: run the tests rule files declare, report them for people or
 * as JUnit XML, and measure requirement coverage. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "cli.h"
#include "eval.h"
#include "lint/lint.h"
#include "ruletest/ruletest.h"

typedef struct test_opts {
    int junit;        /* --format: TEST_TEXT, TEST_JUNIT, ... (test_formats) */
    bool quiet;       /* --quiet: no PASS lines */
    bool coverage;    /* print it */
    bool has_min;
    double min;
    bool mutate;      /* --mutate: mutation testing instead of a test run */
    bool has_min_score;
    double min_score;
    unsigned jobs;    /* --jobs: threads for --mutate */
    const char *output;
    pr_strings args;  /* FILE|DIR as given */
    pr_strings changed; /* --changed */
    cli_limits limits;
} test_opts;

typedef struct test_run {
    const test_opts *o;
    pr_file *files;
    size_t nfiles;
    pr_coverage cov;
    FILE *report;     /* where the readable report goes; NULL: into `saved` */
    pd_buf saved;
    size_t tests, passed, failed, errors, uncompiled;
    bool broken;      /* something failed outside the tests: a directory, memory */
    bool unreadable;  /* a file named that cannot be read (exit status 2) */
    bool oom;         /* "out of memory" said for the report */
} test_run;

/* ---- options -------------------------------------------------------------------- */

/* A percentage from 0 to 100, `%` allowed after it. */
static int test_percent(const cli_option *opt, const char *v, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end != v && *end == '%')
        end++;
    if (end == v || errno || !isfinite(d) || d < 0 || d > 100 || *end) {
        cli_error("%s: `%s` is not a percentage from 0 to 100", opt->name, v);
        return CLI_USAGE;
    }
    *out = d;
    return CLI_OK;
}

static int test_min_coverage(const cli_option *opt, void *dest, const char *v)
{
    test_opts *o = dest;
    o->has_min = true;
    return test_percent(opt, v, &o->min);
}

static int test_min_score(const cli_option *opt, void *dest, const char *v)
{
    test_opts *o = dest;
    o->has_min_score = true;
    return test_percent(opt, v, &o->min_score);
}

/* json and sarif are for --mutate only; github for a test run only. */
enum { TEST_TEXT, TEST_JUNIT, TEST_JSON, TEST_SARIF, TEST_GITHUB };
static const cli_choices test_formats = {"format",
                                         false,
                                         {{"text", TEST_TEXT, false},
                                          {"junit", TEST_JUNIT, false},
                                          {"json", TEST_JSON, false},
                                          {"sarif", TEST_SARIF, false},
                                          {"github", TEST_GITHUB, false}}};

static const cli_option test_options[] = {
    {.name = "--format", .arg = "FORMAT", .kind = CLI_CHOICE, CLI_DEST(test_opts, junit, int),
     .choices = &test_formats, .brief = "how the results are reported",
     .help = "text (default): a PASS/FAIL line per test and a summary;\njunit: JUnit XML (the text "
             "report then goes to standard error, or to standard output with -o);\njson: with --mutate "
             "only, one JSON document with every mutant's outcome;\nsarif: with --mutate only, a SARIF 2.1.0 "
             "log with a result per surviving mutant;\ngithub: the text report, and each test that did not "
             "pass (and each compile error) as a GitHub Actions annotation at its place"},
    {.name = "--quiet", .short_name = 'q', .kind = CLI_FLAG, CLI_DEST(test_opts, quiet, bool),
     .help = "report only the tests that did not pass, and the summary (no PASS lines)"},
    {.name = "--coverage", .kind = CLI_FLAG, CLI_DEST(test_opts, coverage, bool),
     .help = "after the tests, which requirements the tests saw both met and unmet, per program version"},
    {.name = "--min-coverage", .arg = "PCT", .kind = CLI_CALL, .set = test_min_coverage,
     .help = "fail when fewer than PCT percent of the requirements are covered (0-100)"},
    {.name = "--mutate", .kind = CLI_FLAG, CLI_DEST(test_opts, mutate, bool),
     .help = "mutation testing: change the requirements one small step at a time (an operator, a "
             "literal or an effective or enrolment date by one, and/or, all of/any of, at least N, a "
             "`not` or a requirement removed, a known value replaced), compile each mutant in memory "
             "and run the tests against it; report the mutants the tests do not kill, each with the "
             "tests to paste (a coach and day on either side of the boundary, found from the file's "
             "tests)"},
    {.name = "--jobs", .arg = "N", .kind = CLI_CALL, CLI_DEST(test_opts, jobs, unsigned), .set = eval_set_jobs,
     .help = "with --mutate: run the mutants on N threads (default 1); the report is the same whatever N is"},
    {.name = "--min-mutation-score", .arg = "PCT", .kind = CLI_CALL, .set = test_min_score,
     .help = "with --mutate: fail when fewer than PCT percent of the mutants that compile are killed "
             "(0-100)"},
    {.name = "--output", .short_name = 'o', .arg = "FILE", .kind = CLI_STRING, .complete = CLI_FILE,
     CLI_DEST(test_opts, output, const char *),
     .help = "write the report (or the XML) to FILE, atomically (not a rule file read: that is refused)"},
    CLI_CHANGED_OPTION(test_opts, changed),
    CLI_LIMIT_OPTIONS(test_opts, limits),
};

static int test_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)cmd;
    return cli_push_operand(&((test_opts *)opts)->args, a);
}

/* Returns CLI_HELP after printing help. */
static int test_parse(int argc, char **argv, test_opts *o)
{
    int st = cli_parse(&cli_test_cmd, argc, argv, o);
    if (st != CLI_OK)
        return st;
    if (o->output && strcmp(o->output, "-") == 0)
        o->output = NULL; /* standard output, where the report goes anyway */
    if (o->args.n == 0)
        return cli_usage_error(&cli_test_cmd, "no rule files or directories given");
    if (o->mutate && (o->junit == TEST_JUNIT || o->junit == TEST_GITHUB || o->coverage || o->has_min))
        return cli_usage_error(&cli_test_cmd, "--mutate reports as text, json or sarif; it takes no "
                                              "--coverage, --min-coverage or --format junit|github");
    if (!o->mutate && (o->junit == TEST_JSON || o->junit == TEST_SARIF || o->has_min_score || o->jobs))
        return cli_usage_error(&cli_test_cmd,
                               "--format json|sarif, --min-mutation-score and --jobs need --mutate");
    return CLI_OK;
}

/* ---- the readable report ------------------------------------------------------------ */

/* Prints a chunk of the report as it comes (or keeps it for -o). */
static void test_emit(test_run *r, pd_buf *chunk)
{
    if (chunk->data) {
        if (r->report) {
            fputs(chunk->data, r->report);
            fflush(r->report);
        } else {
            pd_buf_printf(&r->saved, "%s", chunk->data);
        }
    }
    /* A chunk cut short by memory: said once (the report goes on, short of
     * it, and the status is 1), never a silent failure. */
    if (chunk->oom && !r->oom) {
        cli_error("out of memory");
        r->oom = true;
    }
    r->broken = r->broken || chunk->oom;
    pd_buf_free(chunk);
}

/* --format github: a test that did not pass as an annotation at each
 * expectation that failed (at the test when nothing was evaluated), its
 * message the report's lines for it. */
static void test_annotate(const pr_test *t, pd_buf *out)
{
    pd_buf msg = {0};
    pr_render_test(t, &msg);
    while (msg.len && msg.data[msg.len - 1] == '\n')
        msg.data[--msg.len] = '\0';
    pd_buf title = {0};
    pd_buf_printf(&title, "%s: %s", pr_status_word(t->status), t->title);
    pd_annotation a = {PD_ERROR, title.data, t->file, t->line, 0, 0, 0, msg.data};
    for (size_t i = 0; i < t->nfailures; i++) {
        a.line = t->failures[i].line;
        a.column = cli_codepoint_column(t->file, a.line, t->failures[i].column);
        pd_render_github(&a, out);
    }
    if (t->nfailures == 0) {
        a.column = cli_codepoint_column(t->file, a.line, t->column);
        pd_render_github(&a, out);
    }
    out->oom = out->oom || msg.oom || title.oom; /* an annotation short of its text */
    pd_buf_free(&title);
    pd_buf_free(&msg);
}

static void test_report_file(test_run *r, const pr_file *f)
{
    pd_buf b = {0};
    if (!f->compiled)
        pd_buf_printf(&b, "FAIL %s: does not compile\n", f->path);
    for (size_t i = 0; i < f->ntests; i++) {
        if (r->o->quiet && f->tests[i].status == PR_PASS)
            continue;
        pr_render_test(&f->tests[i], &b);
        if (r->o->junit == TEST_GITHUB && f->tests[i].status != PR_PASS)
            test_annotate(&f->tests[i], &b);
    }
    test_emit(r, &b);
}

static void test_count(test_run *r, const pr_file *f)
{
    r->uncompiled += !f->compiled;
    for (size_t i = 0; i < f->ntests; i++) {
        r->tests++;
        r->passed += f->tests[i].status == PR_PASS;
        r->failed += f->tests[i].status == PR_FAIL;
        r->errors += f->tests[i].status == PR_ERROR;
    }
}

/* "42 tests: 41 passed, 1 failed" */
static void test_summary(test_run *r, pd_buf *b)
{
    pd_buf_printf(b, "%zu test%s: %zu passed, %zu failed", r->tests, r->tests == 1 ? "" : "s", r->passed,
                  r->failed);
    if (r->errors)
        pd_buf_printf(b, ", %zu error%s", r->errors, r->errors == 1 ? "" : "s");
    if (r->uncompiled)
        pd_buf_printf(b, "; %zu %s", r->uncompiled,
                      r->uncompiled == 1 ? "file does not compile" : "files do not compile");
    pd_buf_printf(b, "\n");
}

/* The tests that did not pass once more, after the details have scrolled
 * away, as a test framework's short summary does. */
static void test_recap(const test_run *r, pd_buf *b)
{
    if (!r->failed && !r->errors && !r->uncompiled)
        return;
    pd_buf_printf(b, "\nnot passed:\n");
    for (size_t i = 0; i < r->nfiles; i++) {
        const pr_file *f = &r->files[i];
        if (!f->compiled)
            pd_buf_printf(b, "    FAIL %s: does not compile\n", f->path);
        for (size_t k = 0; k < f->ntests; k++)
            if (f->tests[k].status != PR_PASS)
                pd_buf_printf(b, "    %s %s:%u %s\n", pr_status_word(f->tests[k].status), f->tests[k].file,
                              f->tests[k].line, f->tests[k].title);
    }
}

/* False when coverage is below --min-coverage (said in the report). */
static bool test_coverage_ok(test_run *r, pd_buf *b)
{
    size_t covered, total;
    pr_coverage_totals(&r->cov, &covered, &total);
    if (!r->o->has_min || (double)covered * 100.0 >= r->o->min * (double)total)
        return true;
    pd_buf_printf(b, "FAIL coverage %.1f%% is below the minimum of %g%%\n",
                  pr_coverage_percent(covered, total), r->o->min);
    return false;
}

/* ---- running ------------------------------------------------------------------------ */

static bool test_keep(test_run *r, pr_file *f)
{
    pr_file *files = realloc(r->files, (r->nfiles + 1) * sizeof *files);
    if (!files)
        return false;
    r->files = files;
    files[r->nfiles++] = *f;
    return true;
}

static void test_one(test_run *r, const char *path, const pw_compile_options *opt, cli_diag_sink *sink)
{
    pr_file f;
    pw_error err;
    sink->printed = false;
    if (!cli_named_readable(path)) {
        r->unreadable = true;
        return;
    }
    bool want_cov = r->o->coverage || r->o->has_min;
    if (pr_run_file(path, opt, want_cov ? &r->cov : NULL, &f, &err) != PW_OK) {
        cli_error("%s: %s", path, err.message);
        r->broken = true;
        pr_file_fini(&f);
        return;
    }
    if (!f.compiled && !sink->printed)
        cli_error("%s", f.error ? f.error : "does not compile");
    test_count(r, &f);
    test_report_file(r, &f);
    if (!test_keep(r, &f)) {
        cli_error("out of memory");
        r->broken = true;
        pr_file_fini(&f);
    }
}

static bool test_write(const char *path, const pd_buf *b)
{
    if (b->oom) {
        cli_error("out of memory writing %s", path);
        return false;
    }
    return cli_write_output(path, b->data ? b->data : "", b->len) == CLI_OK;
}

/* The JUnit XML, to -o FILE or standard output. */
static bool test_write_junit(test_run *r)
{
    pd_buf x = {0};
    pr_render_junit(r->files, r->nfiles, &x);
    bool ok = true;
    if (r->o->output) {
        ok = test_write(r->o->output, &x);
    } else if (x.oom) {
        cli_error("out of memory writing the JUnit XML");
        ok = false;
    } else if (x.data) {
        fputs(x.data, stdout);
    }
    pd_buf_free(&x);
    return ok;
}

/* Coverage, the summary, and the outputs; the exit status. */
static int test_finish(test_run *r)
{
    pd_buf b = {0};
    if (r->o->coverage) {
        pd_buf_printf(&b, "\n");
        pr_render_coverage(&r->cov, &b);
    }
    test_recap(r, &b);
    pd_buf_printf(&b, "\n");
    test_summary(r, &b);
    bool ok = test_coverage_ok(r, &b);
    test_emit(r, &b);
    ok = ok && !r->broken && r->failed == 0 && r->errors == 0 && r->uncompiled == 0;
    bool written = true;
    if (r->o->junit == TEST_JUNIT)
        written = test_write_junit(r);
    else if (r->o->output)
        written = test_write(r->o->output, &r->saved);
    /* Standard output is checked by main, as every command's. */
    /* docs/cli.md, "Exit status": a file named that cannot be read is 2. */
    return !written ? CLI_WRITE : r->unreadable ? CLI_USAGE : ok ? CLI_OK : CLI_FOUND;
}

/* ---- --mutate ---------------------------------------------------------------------- */

typedef struct mutate_run {
    size_t mutants, killed, survived, uncompiled, equivalent;
    bool errors;      /* a file whose tests cannot serve, or a failure */
    pd_buf text, json, sarif;
    size_t nsarif;    /* SARIF results so far */
} mutate_run;

static void mutate_one(mutate_run *m, const char *path, const pw_compile_options *opt, unsigned jobs)
{
    pr_mutation res;
    pw_error err;
    if (pr_mutate_file(path, opt, jobs, &res, &err) != PW_OK) {
        cli_error("%s: %s", path, err.message);
        m->errors = true;
    }
    m->errors = m->errors || res.error;
    m->mutants += res.n;
    m->killed += res.killed;
    m->survived += res.survived;
    m->uncompiled += res.uncompiled;
    m->equivalent += res.equivalent;
    pr_render_mutation(&res, false, &m->text);
    if (m->json.len)
        pd_buf_printf(&m->json, ",");
    pr_render_mutation_json(&res, &m->json);
    pr_mutation_sarif_results(&res, &m->sarif, &m->nsarif);
    pr_mutation_fini(&res);
}

static int mutate_main(const test_opts *o, const pr_strings *files, const pw_compile_options *opt,
                       bool broken)
{
    mutate_run m;
    memset(&m, 0, sizeof m);
    for (size_t i = 0; i < files->n; i++)
        mutate_one(&m, files->items[i], opt, o->jobs);
    double score = pr_mutation_score(m.killed, m.killed + m.survived);
    bool low = o->has_min_score && (double)m.killed * 100.0 < o->min_score * (double)(m.killed + m.survived);
    pd_buf out = {0};
    if (o->junit == TEST_SARIF) {
        pd_sarif_tool tool = {"pathway", pw_version(), PL_HOMEPAGE, PL_HOMEPAGE "docs/cli.md", &pr_mutation_rule,
                              1};
        pd_render_sarif(&tool, m.sarif.data, &out);
    } else if (o->junit == TEST_JSON) {
        pd_buf_printf(&out, "{\"files\":[%s],\"mutants\":%zu,\"killed\":%zu,\"survived\":%zu,"
                            "\"not_compiled\":%zu,\"equivalent\":%zu,\"score\":%.1f}\n",
                      m.json.data ? m.json.data : "", m.mutants, m.killed, m.survived, m.uncompiled, m.equivalent,
                      score);
    } else {
        pd_buf_printf(&out, "%s", m.text.data ? m.text.data : "");
        if (files->n > 1) {
            pd_buf_printf(&out, "\n%zu mutants: %zu killed, %zu survived, %zu not compiled", m.mutants, m.killed,
                          m.survived, m.uncompiled);
            if (m.equivalent)
                pd_buf_printf(&out, ", %zu equivalent", m.equivalent);
            pd_buf_printf(&out, "; mutation score %.1f%%\n", score);
        }
        if (low)
            pd_buf_printf(&out, "FAIL mutation score %.1f%% is below the minimum of %g%%\n", score,
                          o->min_score);
    }
    bool written = true;
    if (out.oom || m.text.oom || m.json.oom || m.sarif.oom) {
        cli_error("out of memory");
        m.errors = true;
    } else if (o->output) {
        written = test_write(o->output, &out);
    } else if (out.data) {
        fputs(out.data, stdout);
    }
    pd_buf_free(&out);
    pd_buf_free(&m.text);
    pd_buf_free(&m.json);
    pd_buf_free(&m.sarif);
    return !written ? CLI_WRITE : (low || m.errors || broken) ? CLI_FOUND : CLI_OK;
}

/* -o may not name a rule file tested or one it includes. */
static int test_check_output(const test_opts *o, const pr_strings *files)
{
    if (!o->output)
        return CLI_OK;
    cli_inputs inputs = {0};
    for (size_t i = 0; i < files->n; i++)
        cli_inputs_add_rules(&inputs, files->items[i], &o->limits);
    int rc = cli_output_check(&inputs, o->output);
    cli_inputs_fini(&inputs);
    return rc;
}

static int test_main(int argc, char **argv)
{
    test_opts o;
    memset(&o, 0, sizeof o);
    int rc = test_parse(argc, argv, &o);
    if (rc != CLI_OK) {
        pr_strings_fini(&o.args);
        pr_strings_fini(&o.changed);
        return rc < 0 ? CLI_OK : rc;
    }
    test_run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    pr_coverage_init(&r.cov);
    /* The XML owns standard output unless it goes to a file; the report then
     * goes to standard error. A text report with -o is kept for the file. */
    r.report = o.junit == TEST_JUNIT ? (o.output ? stdout : stderr) : (o.output ? NULL : stdout);
    pr_strings files = {0};
    if (!cli_collect_files(&o.args, &files) ||
        (o.changed.n && !cli_keep_changed(&files, &o.changed, &o.limits)))
        r.broken = true;
    if ((rc = test_check_output(&o, &files)) != CLI_OK) {
        pr_strings_fini(&files);
        pr_strings_fini(&o.args);
        pr_strings_fini(&o.changed);
        pr_coverage_fini(&r.cov);
        return rc;
    }
    cli_diag_sink sink;
    bool github = o.junit == TEST_GITHUB;
    pw_compile_options opt = cli_compile_options(github ? PW_DIAG_JSON : PW_DIAG_TEXT, &sink);
    if (github)
        opt.on_diagnostics = cli_annotate_sink;
    cli_apply_limits(&opt, &o.limits);
    if (o.mutate) {
        rc = mutate_main(&o, &files, &opt, r.broken);
        pr_strings_fini(&files);
        pr_strings_fini(&o.args);
        pr_strings_fini(&o.changed);
        pr_coverage_fini(&r.cov);
        return rc;
    }
    for (size_t i = 0; i < files.n; i++)
        test_one(&r, files.items[i], &opt, &sink);
    rc = test_finish(&r);
    for (size_t i = 0; i < r.nfiles; i++)
        pr_file_fini(&r.files[i]);
    free(r.files);
    pd_buf_free(&r.saved);
    pr_coverage_fini(&r.cov);
    pr_strings_fini(&files);
    pr_strings_fini(&o.args);
    pr_strings_fini(&o.changed);
    return rc;
}

const cli_command cli_test_cmd = {
    .name = "test",
    .synopsis = "FILE|DIR...",
    .summary = "run the tests rule files declare",
    .usage = "usage: pathway test [--format text|junit|github] [--quiet] [--coverage] [--min-coverage PCT]\n"
             "                    [--changed FILE]... [-o FILE] FILE|DIR...\n"
             "       pathway test --mutate [--format text|json|sarif] [--min-mutation-score PCT]\n"
             "                    [--jobs N] [-o FILE] FILE|DIR...\n",
    .about = "Compiles each rule file and runs the tests it declares (`test \"...\" { ... }`;\n"
             "an included file's tests run when that file is tested). A directory is\n"
             "searched recursively for *.pw files, in sorted order.\n",
    CLI_OPTIONS(test_options),
    .tail = "Exit status: 0 every test passed (and coverage is at least the minimum),\n"
            "1 a test failed or could not run, a file does not compile, or coverage is\n"
            "below the minimum (with --mutate: a mutation score below the minimum, or a\n"
            "file whose tests cannot serve), 2 usage error or a file named that cannot be\n"
            "read, 3 the output cannot be written.\n",
    .operand = test_operand,
    .operands = CLI_FILE,
    .run = test_main,
};
