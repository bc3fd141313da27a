/* Test results and coverage as text for people and as JUnit XML for CI, each
 * written into a buffer for the caller to print or save. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ruletest_int.h"

const char *pr_verdict_word(pw_verdict v)
{
    switch (v) {
    case PW_ELIGIBLE: return "eligible";
    case PW_NOT_ELIGIBLE: return "not eligible";
    case PW_NOT_YET_IN_FORCE: return "not yet in force";
    case PW_WITHDRAWN: return "withdrawn";
    case PW_NOT_YET_OPEN: return "not yet open";
    case PW_CLOSED: return "closed";
    case PW_VERDICT_NOT_EVALUATED: return "not evaluated";
    case PW_VERDICT_NO_PROGRAM: return "no such program";
    }
    return "?";
}

const char *pr_status_word(pr_status s)
{
    return s == PR_PASS ? "PASS" : s == PR_FAIL ? "FAIL" : "ERROR";
}

/* "a", "b", "c" */
static void pr_render_labels(const pr_strings *s, pd_buf *out)
{
    for (size_t i = 0; i < s->n; i++)
        pd_buf_printf(out, "%s\"%s\"", i ? ", " : "", s->items[i]);
}

/* " (in force from D until D)"; nothing for a version always in force. */
static void pr_render_period(pw_date from, pw_date until, pd_buf *out)
{
    char a[11] = "", b[11] = "";
    if (from == PW_DATE_MIN && until == PW_DATE_MAX)
        return;
    /* The open ends are not days: only the bounded ones are formatted. */
    if (from != PW_DATE_MIN)
        pw_date_format(from, a);
    if (until != PW_DATE_MAX)
        pw_date_format(until, b);
    if (from == PW_DATE_MIN)
        pd_buf_printf(out, " (in force until %s)", b);
    else if (until == PW_DATE_MAX)
        pd_buf_printf(out, " (in force from %s)", a);
    else
        pd_buf_printf(out, " (in force from %s until %s)", a, b);
}

/* " (open for enrolment from D until D)"; nothing without a window. */
static void pr_render_window(pw_date opens, pw_date closes, pd_buf *out)
{
    char a[11] = "", b[11] = "";
    if (opens == PW_DATE_MIN && closes == PW_DATE_MAX)
        return;
    if (opens != PW_DATE_MIN)
        pw_date_format(opens, a);
    if (closes != PW_DATE_MAX)
        pw_date_format(closes, b);
    pd_buf_printf(out, " (open for enrolment");
    if (opens != PW_DATE_MIN)
        pd_buf_printf(out, " from %s", a);
    if (closes != PW_DATE_MAX)
        pd_buf_printf(out, " until %s", b);
    pd_buf_printf(out, ")");
}

/* ---- text ---------------------------------------------------------------------- */

static bool pr_out_of_force(pw_verdict v)
{
    return v == PW_NOT_YET_IN_FORCE || v == PW_WITHDRAWN;
}

static bool pr_out_of_window(pw_verdict v)
{
    return v == PW_NOT_YET_OPEN || v == PW_CLOSED;
}

static const char *const pr_list_word[PR_NLISTS] = {"unmet", "prefer unmet", "advise",
                                                    "awaiting decision"};

static void pr_render_list(const pr_strings *l, const char *word, pd_buf *out)
{
    pd_buf_printf(out, ", %s ", word);
    if (l->n)
        pr_render_labels(l, out);
    else
        pd_buf_printf(out, "none");
}

/* line 15: expected level_2: not eligible, unmet "a", "b"
 *          got: not eligible, unmet "b"
 *          missing unmet: "a"                                  */
void pr_render_failure(const pr_failure *f, const char *indent, pd_buf *out)
{
    char head[32];
    int pad = snprintf(head, sizeof head, "line %u: ", f->line);
    /* line 15: expected pd_points(2020, 2024) = 19
     *          got: 17                                             */
    if (f->value_expected) {
        pd_buf_printf(out, "%s%sexpected %s\n", indent, head, f->value_expected);
        if (f->error)
            pd_buf_printf(out, "%s%*serror: %s\n", indent, pad, "", f->error);
        else
            pd_buf_printf(out, "%s%*sgot: %s\n", indent, pad, "", f->value_actual);
        return;
    }
    pd_buf_printf(out, "%s%sexpected %s: %s", indent, head, f->program, pr_verdict_word(f->expected));
    for (int i = 0; i < PR_NLISTS; i++)
        if (f->lists[i].given)
            pr_render_list(&f->lists[i].expected, pr_list_word[i], out);
    pd_buf_printf(out, "\n");
    if (f->error) {
        pd_buf_printf(out, "%s%*serror: %s\n", indent, pad, "", f->error);
        return;
    }
    pd_buf_printf(out, "%s%*sgot: %s", indent, pad, "", pr_verdict_word(f->actual));
    /* Unmet requirements always (they say why); the other lists when the
     * expectation asked about them. */
    for (int i = 0; i < PR_NLISTS; i++)
        if ((f->lists[i].actual.n && i != PR_AWAITING) || (i != PR_UNMET && f->lists[i].given))
            pr_render_list(&f->lists[i].actual, pr_list_word[i], out);
    /* The dates explain a version in or out of force, nothing else. */
    if (f->actual != f->expected && (pr_out_of_force(f->actual) || pr_out_of_force(f->expected)))
        pr_render_period(f->from, f->until, out);
    if (f->actual != f->expected && (pr_out_of_window(f->actual) || pr_out_of_window(f->expected)))
        pr_render_window(f->opens, f->closes, out);
    pd_buf_printf(out, "\n");
    for (int i = 0; i < PR_NLISTS; i++) {
        const pr_labels *l = &f->lists[i];
        if (l->missing.n) {
            pd_buf_printf(out, "%s%*smissing %s: ", indent, pad, "", pr_list_word[i]);
            pr_render_labels(&l->missing, out);
            pd_buf_printf(out, "\n");
        }
        if (l->unexpected.n) {
            pd_buf_printf(out, "%s%*sunexpected %s: ", indent, pad, "", pr_list_word[i]);
            pr_render_labels(&l->unexpected, out);
            pd_buf_printf(out, "\n");
        }
    }
}

/* What went wrong in a test, without its heading line. */
static void pr_render_details(const pr_test *t, const char *indent, pd_buf *out)
{
    if (t->error)
        pd_buf_printf(out, "%sfacts error: %s\n", indent, t->error);
    for (size_t i = 0; i < t->nfailures; i++)
        pr_render_failure(&t->failures[i], indent, out);
}

void pr_render_test(const pr_test *t, pd_buf *out)
{
    pd_buf_printf(out, "%s %s:%u %s\n", pr_status_word(t->status), t->file, t->line, t->title);
    pr_render_details(t, "    ", out);
}

/* ---- coverage -------------------------------------------------------------------- */

double pr_coverage_percent(size_t covered, size_t total)
{
    if (total == 0)
        return 100.0;
    /* Rounded down, so that 99.96% never reads as 100.0%. */
    return (double)((uint64_t)covered * 1000u / total) / 10.0;
}

static const char *pr_never(const pr_cov_req *r)
{
    if (r->met)
        return "never unmet";
    if (r->unmet)
        return "never met";
    return r->out_of_force ? "never evaluated (not in force on any test's date)" : "never evaluated";
}

static void pr_render_cov_prog(const pr_cov_prog *p, pd_buf *out)
{
    pd_buf_printf(out, "%s:%u: %s", p->file, p->line, p->id);
    if (p->dated)
        pr_render_period(p->from, p->until, out);
    pd_buf_printf(out, ": %zu/%zu requirements covered%s\n", pr_cov_prog_covered(p), p->nreqs,
                  p->evaluations ? "" : " (no test evaluated it in force)");
    for (size_t i = 0; i < p->nreqs; i++) {
        const pr_cov_req *r = &p->reqs[i];
        if (!(r->met && r->unmet))
            pd_buf_printf(out, "    line %u: \"%s\": %s\n", r->line, r->label, pr_never(r));
    }
}

void pr_render_coverage(const pr_coverage *cov, pd_buf *out)
{
    size_t covered, total;
    pd_buf_printf(out, "coverage (a requirement is covered when tests saw it both met and unmet):\n");
    for (size_t i = 0; i < cov->n; i++)
        pr_render_cov_prog(&cov->progs[i], out);
    pr_coverage_totals(cov, &covered, &total);
    pd_buf_printf(out, "total: %zu/%zu requirements covered (%.1f%%)\n", covered, total,
                  pr_coverage_percent(covered, total));
}

/* ---- JUnit XML ------------------------------------------------------------------- */

static void pr_attr(pd_buf *out, const char *name, const char *value)
{
    pd_buf_printf(out, " %s=\"", name);
    pu_escape_markup_attr(out, value, strlen(value));
    pd_buf_printf(out, "\"");
}

typedef struct pr_counts {
    size_t tests, failures, errors;
    double seconds;
} pr_counts;

static pr_counts pr_count_file(const pr_file *f)
{
    pr_counts c = {0, 0, 0, f->seconds};
    if (!f->compiled) {
        c.tests = c.errors = 1;
        return c;
    }
    c.tests = f->ntests;
    for (size_t i = 0; i < f->ntests; i++) {
        c.failures += f->tests[i].status == PR_FAIL;
        c.errors += f->tests[i].status == PR_ERROR;
    }
    return c;
}

/* The one line a CI page shows for a failed test. */
static void pr_failure_message(const pr_test *t, pd_buf *out)
{
    const pr_failure *f = t->nfailures ? &t->failures[0] : NULL;
    if (t->error)
        pd_buf_printf(out, "facts error: %s", t->error);
    else if (f && f->value_expected && f->error)
        pd_buf_printf(out, "expected %s: %s", f->value_expected, f->error);
    else if (f && f->value_expected)
        pd_buf_printf(out, "expected %s, got %s", f->value_expected, f->value_actual);
    else if (f && f->error)
        pd_buf_printf(out, "%s: %s", f->program, f->error);
    else if (f && f->actual != f->expected)
        pd_buf_printf(out, "%s: expected %s, got %s", f->program, pr_verdict_word(f->expected),
                      pr_verdict_word(f->actual));
    else if (f)
        pd_buf_printf(out, "%s: expected other unmet requirements", f->program);
    size_t more = t->nfailures - (t->error ? 0 : 1);
    if (t->nfailures && more)
        pd_buf_printf(out, " (and %zu more)", more);
}

static void pr_junit_outcome(const pr_test *t, pd_buf *out)
{
    const char *tag = t->status == PR_ERROR ? "error" : "failure";
    pd_buf msg = {0}, body = {0};
    pr_failure_message(t, &msg);
    pr_render_details(t, "", &body);
    pd_buf_printf(out, "      <%s", tag);
    pr_attr(out, "message", msg.data ? msg.data : "");
    pr_attr(out, "type", t->status == PR_ERROR ? (t->error ? "facts" : "evaluation") : "expectation");
    pd_buf_printf(out, ">");
    pu_escape_markup(out, body.data ? body.data : "", body.len);
    pd_buf_printf(out, "</%s>\n", tag);
    if (msg.oom || body.oom)
        out->oom = true;
    pd_buf_free(&msg);
    pd_buf_free(&body);
}

static void pr_junit_test(const pr_file *f, const pr_test *t, pd_buf *out)
{
    pd_buf_printf(out, "    <testcase");
    pr_attr(out, "name", t->title);
    pr_attr(out, "classname", f->path);
    /* No `file` or `line`: the Jenkins junit-10 schema allows neither on a
     * testcase (the suite has the file; the details give each line). */
    pd_buf_printf(out, " time=\"%.3f\"", t->seconds);
    if (t->status == PR_PASS) {
        pd_buf_printf(out, "/>\n");
        return;
    }
    pd_buf_printf(out, ">\n");
    pr_junit_outcome(t, out);
    pd_buf_printf(out, "    </testcase>\n");
}

/* A file that does not compile is one test case in error. */
static void pr_junit_uncompiled(const pr_file *f, pd_buf *out)
{
    pd_buf_printf(out, "    <testcase name=\"compile\"");
    pr_attr(out, "classname", f->path);
    pd_buf_printf(out, " time=\"%.3f\">\n      <error", f->seconds);
    pr_attr(out, "message", f->error ? f->error : "does not compile");
    pd_buf_printf(out, " type=\"compile\">");
    {
        const char *e = f->error ? f->error : "does not compile";
        pu_escape_markup(out, e, strlen(e));
    }
    pd_buf_printf(out, "</error>\n    </testcase>\n");
}

static void pr_junit_suite(const pr_file *f, pd_buf *out)
{
    pr_counts c = pr_count_file(f);
    pd_buf_printf(out, "  <testsuite");
    pr_attr(out, "name", f->path);
    pr_attr(out, "file", f->path);
    pd_buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"%.3f\">\n",
                  c.tests, c.failures, c.errors, c.seconds);
    if (!f->compiled)
        pr_junit_uncompiled(f, out);
    for (size_t i = 0; i < f->ntests; i++)
        pr_junit_test(f, &f->tests[i], out);
    pd_buf_printf(out, "  </testsuite>\n");
}

void pr_render_junit(const pr_file *files, size_t nfiles, pd_buf *out)
{
    pr_counts all = {0, 0, 0, 0};
    for (size_t i = 0; i < nfiles; i++) {
        pr_counts c = pr_count_file(&files[i]);
        all.tests += c.tests;
        all.failures += c.failures;
        all.errors += c.errors;
        all.seconds += c.seconds;
    }
    pd_buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    pd_buf_printf(out,
                  "<testsuites name=\"pathway test\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                  "time=\"%.3f\">\n",
                  all.tests, all.failures, all.errors, all.seconds);
    for (size_t i = 0; i < nfiles; i++)
        pr_junit_suite(&files[i], out);
    pd_buf_printf(out, "</testsuites>\n");
}
