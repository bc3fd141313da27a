/* Running the tests a rule file declares, against its own compiled rules. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "ruletest_int.h"
#include "util/assert.h"

typedef struct pr_runner {
    pr_coverage *cov;
    pr_file *out;
    size_t *map;        /* program index -> coverage entry */
    pw_status st;       /* PW_ERR_NOMEM when memory ran out while running */
    pw_error err;
} pr_runner;

static void pr_oom(pr_runner *r)
{
    r->st = pt_fail(&r->err, PW_ERR_NOMEM, "out of memory");
}

/* ---- results ------------------------------------------------------------------ */

static void pr_failure_fini(pr_failure *f)
{
    free(f->program);
    free(f->error);
    free(f->value_expected);
    free(f->value_actual);
    for (int i = 0; i < PR_NLISTS; i++) {
        pr_strings_fini(&f->lists[i].expected);
        pr_strings_fini(&f->lists[i].actual);
        pr_strings_fini(&f->lists[i].missing);
        pr_strings_fini(&f->lists[i].unexpected);
    }
    memset(f, 0, sizeof *f);
}

static void pr_test_fini(pr_test *t)
{
    for (size_t i = 0; i < t->nfailures; i++)
        pr_failure_fini(&t->failures[i]);
    free(t->failures);
    free(t->file);
    free(t->title);
    free(t->error);
}

void pr_file_fini(pr_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->ntests; i++)
        pr_test_fini(&f->tests[i]);
    free(f->tests);
    free(f->path);
    free(f->error);
    memset(f, 0, sizeof *f);
}

/* Takes the failure's contents. */
static bool pr_test_add_failure(pr_test *t, pr_failure *f)
{
    size_t cap = t->nfailures; /* grown one at a time: failures are few */
    pr_failure *fs = realloc(t->failures, (cap + 1) * sizeof *fs);
    if (!fs)
        return false;
    t->failures = fs;
    fs[t->nfailures++] = *f;
    memset(f, 0, sizeof *f);
    return true;
}

/* ---- one expectation ------------------------------------------------------------ */

static pw_verdict pr_expected_verdict(pa_expect_kind k)
{
    switch (k) {
    case PA_X_ELIGIBLE: return PW_ELIGIBLE;
    case PA_X_NOT_ELIGIBLE: return PW_NOT_ELIGIBLE;
    case PA_X_NOT_YET: return PW_NOT_YET_IN_FORCE;
    case PA_X_WITHDRAWN: return PW_WITHDRAWN;
    case PA_X_NOT_YET_OPEN: return PW_NOT_YET_OPEN;
    case PA_X_CLOSED: return PW_CLOSED;
    case PA_X_VALUE:
    default: break; /* a value has no verdict; the parser makes only the kinds above */
    }
    return PW_ELIGIBLE;
}

static bool pr_expect_labels(pr_labels *l, bool given, const pa_label *labels)
{
    l->given = given;
    for (; labels; labels = labels->next)
        if (!pr_strings_push(&l->expected, labels->text))
            return false;
    return true;
}

/* The expectation as written, into f. */
static bool pr_failure_start(pr_failure *f, const pt_tree *tree, const pa_expect *x)
{
    pr_pos pos = pr_position(tree, x->span);
    memset(f, 0, sizeof *f);
    f->line = pos.line;
    f->column = pos.column;
    f->expected = pr_expected_verdict(x->kind);
    f->from = PW_DATE_MIN;
    f->until = PW_DATE_MAX;
    f->opens = PW_DATE_MIN;
    f->closes = PW_DATE_MAX;
    return (f->program = pr_dup(x->program)) &&
           pr_expect_labels(&f->lists[PR_UNMET], x->has_unmet, x->unmet) &&
           pr_expect_labels(&f->lists[PR_PREFERRED], x->has_pref, x->pref) &&
           pr_expect_labels(&f->lists[PR_ADVICE], x->has_advice, x->advice) &&
           pr_expect_labels(&f->lists[PR_AWAITING], x->has_awaiting, x->awaiting);
}

typedef size_t (*pr_count_fn)(const pw_context *, size_t);
typedef const char *(*pr_label_fn)(const pw_context *, size_t, size_t);

/* Reads one list of the result and, when the expectation gives it, the set
 * differences (order does not matter; the list must be complete). */
static bool pr_compare_list(const pw_context *ctx, size_t v, pr_labels *l, pr_count_fn count,
                            pr_label_fn label, bool diff)
{
    for (size_t i = 0; i < count(ctx, v); i++)
        if (!pr_strings_push(&l->actual, label(ctx, v, i)))
            return false;
    if (!l->given || !diff)
        return true;
    for (size_t i = 0; i < l->expected.n; i++) {
        const char *s = l->expected.items[i];
        if (!pr_strings_has(&l->actual, s) && !pr_strings_has(&l->missing, s) &&
            !pr_strings_push(&l->missing, s))
            return false;
    }
    for (size_t i = 0; i < l->actual.n; i++) {
        const char *s = l->actual.items[i];
        if (!pr_strings_has(&l->expected, s) && !pr_strings_has(&l->unexpected, s) &&
            !pr_strings_push(&l->unexpected, s))
            return false;
    }
    return true;
}

/* Compares the evaluation of version v with the expectation in f: fills the
 * actual verdict and label lists, and the differences of the lists the
 * expectation gives. The lists are only compared when the verdict agrees. */
static bool pr_compare(const pw_program *prog, const pw_context *ctx, size_t v, pr_failure *f,
                       bool *holds)
{
    static const pr_count_fn counts[PR_NLISTS] = {
        pw_result_unmet_count, pw_result_preferred_unmet_count, pw_result_advice_count,
        pt_result_awaiting_count};
    static const pr_label_fn labels[PR_NLISTS] = {
        pw_result_unmet_label, pw_result_preferred_unmet_label, pw_result_advice,
        pt_result_awaiting_label};
    pw_program_period(prog, v, &f->from, &f->until);
    pw_program_window(prog, v, &f->opens, &f->closes);
    f->actual = pw_result_verdict(ctx, v);
    bool verdict = f->actual == f->expected;
    *holds = verdict;
    for (int i = 0; i < PR_NLISTS; i++) {
        pr_labels *l = &f->lists[i];
        if (!pr_compare_list(ctx, v, l, counts[i], labels[i], verdict))
            return false;
        if (l->missing.n || l->unexpected.n)
            *holds = false;
    }
    return true;
}

/* Evaluates the version of program `id` that applies on as_of; *v gets it. */
static pw_status pr_evaluate_version(const pw_program *prog, pw_context *ctx, const char *id,
                                     pw_date as_of, size_t *v, pw_error *e)
{
    size_t first;
    pw_status st = pw_program_find(prog, id, &first, e);
    if (st != PW_OK)
        return st;
    *v = pw_program_version_at(prog, first, as_of);
    return pw_evaluate(ctx, *v, as_of, e);
}

/* Evaluates x's program as of as_of and records a failure in t when the
 * expectation does not hold. */
static void pr_check_expect(pr_runner *r, const pt_tree *tree, pw_context *ctx, const pa_expect *x,
                            pw_date as_of, pr_test *t)
{
    pr_failure f;
    bool holds = false;
    size_t v = 0;
    pw_error e;
    if (!pr_failure_start(&f, tree, x)) {
        pr_oom(r);
    } else if (x->kind == PA_X_VALUE) {
        if (!pr_check_value(tree, ctx, x, as_of, &f, &holds))
            pr_oom(r);
        else if (f.error)
            t->status = PR_ERROR;
        else if (!holds && t->status == PR_PASS)
            t->status = PR_FAIL;
    } else if (pr_evaluate_version(tree->program, ctx, f.program, as_of, &v, &e) != PW_OK) {
        if (e.status == PW_ERR_NOMEM || !(f.error = pr_dup(e.message)))
            pr_oom(r);
        t->status = PR_ERROR;
    } else {
        if (r->map)
            pr_coverage_mark(r->cov, r->map[v], tree->program, ctx, v);
        if (!pr_compare(tree->program, ctx, v, &f, &holds))
            pr_oom(r);
        else if (!holds && t->status == PR_PASS)
            t->status = PR_FAIL;
    }
    if (r->st == PW_OK && !holds && !pr_test_add_failure(t, &f))
        pr_oom(r);
    pr_failure_fini(&f);
}

/* ---- one test ------------------------------------------------------------------- */

/* Loads the test's facts into ctx. False (with t->error, or r->st on memory)
 * when they cannot be built or do not fit the record. */
static bool pr_load_facts(pr_runner *r, const pt_tree *tree, pw_context *ctx, const pa_decl *d,
                          pr_test *t)
{
    cJSON *facts = NULL;
    pw_error e;
    pw_status st;
    /* The checker refuses a test without `given` or `as of`, and tests run
     * only on a tree that checked (docs/robustness.md, marks). */
    if (PU_NEVER(!d->u.test.has_given))
        st = pt_fail(&e, PW_ERR_FACTS, "the test gives no facts (`given`)");
    else if (PU_NEVER(!d->u.test.has_as_of))
        st = pt_fail(&e, PW_ERR_FACTS, "the test gives no date (`as of`)");
    else if ((st = pr_build_facts(tree, &d->u.test.given, &facts, &e)) == PW_OK)
        st = pt_context_set_cjson(ctx, facts, &e);
    cJSON_Delete(facts);
    if (st == PW_OK)
        return true;
    if (st == PW_ERR_NOMEM || !(t->error = pr_dup(e.message)))
        pr_oom(r);
    t->status = PR_ERROR;
    return false;
}

static void pr_run_test(pr_runner *r, const pt_tree *tree, pw_context *ctx, const pa_decl *d,
                        pr_test *t)
{
    double start = pr_now();
    pr_pos pos = pr_position(tree, d->span);
    t->line = pos.line;
    t->column = pos.column;
    t->status = PR_PASS;
    if (!(t->file = pr_dup(pos.file)) || !(t->title = pr_dup(d->name))) {
        pr_oom(r);
        return;
    }
    for (const pa_expect *x = d->u.test.expects; x; x = x->next)
        t->nexpects++;
    if (pr_load_facts(r, tree, ctx, d, t))
        for (const pa_expect *x = d->u.test.expects; x && r->st == PW_OK; x = x->next)
            pr_check_expect(r, tree, ctx, x, d->u.test.as_of, t);
    t->seconds = pr_now() - start;
}

/* ---- one file ------------------------------------------------------------------- */

/* Only the named file's own tests run: an included file's tests belong to
 * that file and run when it is tested itself. */
static bool pr_is_own_test(const pa_decl *d)
{
    return d->kind == PA_D_TEST && d->span.file == 0;
}

static void pr_run_tests(pr_runner *r, const pt_tree *tree)
{
    size_t n = 0;
    for (const pa_decl *d = tree->decls; d; d = d->next)
        n += pr_is_own_test(d);
    if (n == 0)
        return;
    pw_context *ctx = NULL;
    pw_error e;
    if (!(r->out->tests = calloc(n, sizeof *r->out->tests))) {
        pr_oom(r);
        return;
    }
    if (pw_context_new(tree->program, &ctx, &e) != PW_OK) {
        r->st = pt_fail(&r->err, e.status, "%s", e.message);
        return;
    }
    for (const pa_decl *d = tree->decls; d && r->st == PW_OK; d = d->next)
        if (pr_is_own_test(d))
            pr_run_test(r, tree, ctx, d, &r->out->tests[r->out->ntests++]);
    pw_context_free(ctx);
}

static void pr_inspect(void *user, const pt_tree *tree)
{
    pr_runner *r = user;
    if (!tree->program)
        return;
    if (r->cov) {
        size_t n = pw_program_count(tree->program);
        r->map = calloc(n ? n : 1, sizeof *r->map);
        if (!r->map) {
            pr_oom(r);
            return;
        }
        if ((r->st = pr_coverage_register(r->cov, tree, r->map, &r->err)) != PW_OK)
            return;
    }
    pr_run_tests(r, tree);
}

pw_status pr_run_file(const char *path, const pw_compile_options *options, pr_coverage *cov,
                      pr_file *out, pw_error *err)
{
    return pr_run_file_overlay(path, options, NULL, cov, out, err);
}

pw_status pr_run_file_overlay(const char *path, const pw_compile_options *options,
                              const pt_overlay *overlay, pr_coverage *cov, pr_file *out, pw_error *err)
{
    if (!out)
        return pt_fail(err, PW_ERR_USAGE, "pr_run_file: NULL argument");
    memset(out, 0, sizeof *out);
    if (!path)
        return pt_fail(err, PW_ERR_USAGE, "pr_run_file: NULL argument");
    double start = pr_now();
    pr_runner r;
    memset(&r, 0, sizeof r);
    r.cov = cov;
    r.out = out;
    if (!(out->path = pr_dup(path)))
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    pw_program *prog = NULL;
    pw_error cerr;
    pw_status st = pt_compile_tree_overlay(path, options, overlay, pr_inspect, &r, &prog, &cerr);
    pw_program_free(prog);
    free(r.map);
    out->seconds = pr_now() - start;
    if (r.st != PW_OK)
        return pt_fail(err, r.st, "%s", r.err.message);
    if (st == PW_ERR_NOMEM)
        return pt_fail(err, st, "%s", cerr.message);
    out->compiled = st == PW_OK;
    if (!out->compiled && !(out->error = pr_dup(cerr.message)))
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    if (err) {
        err->status = PW_OK;
        err->message[0] = '\0';
    }
    return PW_OK;
}
