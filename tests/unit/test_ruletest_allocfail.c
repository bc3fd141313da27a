/* Allocation-failure injection for the rule-test library (src/ruletest),
 * as tests/unit/test_allocfail.c does it for the runtime.
 *
 * The binary is linked with GNU ld's --wrap for malloc, calloc, realloc,
 * free, strdup, strndup, realpath, pm_alloc and pm_strndup (tests/CMakeLists.txt);
 * cJSON's allocations are routed through the same wrappers with
 * cJSON_InitHooks (allowed in a test program, nowhere in library code).
 * Each pipeline below (a rule file's tests run with coverage and rendered as
 * text, JUnit and coverage; mutation testing with suggested tests; the
 * assumptions listed; the rule files under a directory collected) is run
 * clean for a reference transcript, then for N = 1, 2, ... with the Nth
 * counted allocation failing ("single") or every one from the Nth on
 * ("sticky"), for C allocations and arena allocations in turn, until a run
 * never reaches its Nth. Every run is checked:
 *
 *   - a step during which a failure was injected either returned
 *     PW_ERR_NOMEM with a message, or returned PW_OK with the reference's
 *     output (a recoverable failure), or its renderer's buffer says it ran
 *     out of memory (pu_buf.oom): a step never returns a wrong result as if
 *     it were right;
 *   - a step that met no failure equals the reference;
 *   - no allocation is left live after the pipeline (no leak), and nothing
 *     is freed that the wrappers did not hand out (no double free).
 *
 * PW_ALLOCFAIL_STRIDE=k tests every k-th N past the first 64 (the default
 * is 1); PW_ALLOCFAIL_ONLY=text runs only the configurations whose
 * description contains the text; PW_ALLOCFAIL_AT=N runs that N only (with
 * CK_FORK=no, under valgrind, to see where a leak was allocated). */
#include <check.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "allocwrap.h"
#include "check_main.h"
#include "tmpdir.h"
#include "ruletest/ruletest.h"
#include "util/arena.h"

/* ---- transcripts: the test's own memory, never counted ----------------------- */

typedef struct text {
    char *s;
    size_t len;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    char *p = __real_realloc(t->s, t->len + n + 1);
    if (!p)
        abort();
    memcpy(p + t->len, s, n);
    t->len += n;
    p[t->len] = '\0';
    t->s = p;
}

static void text_printf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_printf(text *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    text_add(t, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

#define MAX_STEPS 16
typedef struct step {
    pw_status st;
    bool buf_oom;          /* a renderer's buffer ran out of memory */
    unsigned long failed;  /* failures injected during the step */
    text out;
} step;

typedef struct run {
    step steps[MAX_STEPS];
    size_t n;
    unsigned long failed_before;
} run;

static step *step_begin(run *r)
{
    if (r->n >= MAX_STEPS)
        abort();
    r->failed_before = inj.failed;
    return &r->steps[r->n++];
}

static void step_end(run *r, step *s, pw_status st, const pw_error *err)
{
    s->st = st;
    s->failed = inj.failed - r->failed_before;
    text_printf(&s->out, "status %d", (int)st);
    if (st != PW_OK)
        text_printf(&s->out, ": %s", err->message[0] ? err->message : "(no message)");
    text_add(&s->out, "\n", 1);
}

static void step_buf(step *s, pd_buf *b)
{
    if (b->oom)
        s->buf_oom = true;
    else if (b->len)
        text_add(&s->out, b->data, b->len);
    pd_buf_free(b);
}

static void run_free(run *r)
{
    for (size_t i = 0; i < r->n; i++)
        __real_free(r->steps[i].out.s);
}

/* ---- the pipelines ----------------------------------------------------------- */

#define DIR PW_SOURCE_DIR "/tests/"

static void put_strings(step *s, const char *what, const pr_strings *l)
{
    text_printf(&s->out, "%s:", what);
    for (size_t i = 0; i < l->n; i++)
        text_printf(&s->out, " [%s]", l->items[i]);
    text_add(&s->out, "\n", 1);
}

/* Every field of a result, so a wrong one cannot pass as the reference. */
static void put_file(step *s, const pr_file *f)
{
    text_printf(&s->out, "file %s compiled=%d error=%s tests=%zu\n", f->path ? f->path : "(null)",
                f->compiled, f->error ? f->error : "-", f->ntests);
    for (size_t i = 0; i < f->ntests; i++) {
        const pr_test *t = &f->tests[i];
        text_printf(&s->out, " test %s:%u:%u %s status=%d error=%s expects=%zu failures=%zu\n", t->file,
                    t->line, t->column, t->title, t->status, t->error ? t->error : "-", t->nexpects,
                    t->nfailures);
        for (size_t k = 0; k < t->nfailures; k++) {
            const pr_failure *x = &t->failures[k];
            text_printf(&s->out, "  failure %s %u:%u %d/%d error=%s value=%s/%s\n", x->program, x->line,
                        x->column, x->expected, x->actual, x->error ? x->error : "-",
                        x->value_expected ? x->value_expected : "-",
                        x->value_actual ? x->value_actual : "-");
            for (int l = 0; l < PR_NLISTS; l++) {
                put_strings(s, "   expected", &x->lists[l].expected);
                put_strings(s, "   actual", &x->lists[l].actual);
                put_strings(s, "   missing", &x->lists[l].missing);
                put_strings(s, "   unexpected", &x->lists[l].unexpected);
            }
        }
    }
}

static void pipe_run(run *r)
{
    static const char *const files[] = {
        DIR "ruletest/values.test.pw", DIR "ruletest/broken.test.pw", DIR "ruletest/pass.test.pw",
        DIR "ruletest/uncompiled/bad.pw",
    };
    pr_coverage cov;
    pr_coverage_init(&cov);
    pr_file all[sizeof files / sizeof *files];
    memset(all, 0, sizeof all);
    size_t n = 0;
    bool ok = true;
    for (; n < sizeof files / sizeof *files && ok; n++) {
        step *s = step_begin(r);
        pw_error err;
        pw_compile_options quiet;
        pw_compile_options_init(&quiet);
        pw_status st = pr_run_file(files[n], &quiet, &cov, &all[n], &err);
        if (st == PW_OK) {
            /* Times differ from run to run: not compared. */
            all[n].seconds = 0;
            for (size_t i = 0; i < all[n].ntests; i++)
                all[n].tests[i].seconds = 0;
            put_file(s, &all[n]);
            pd_buf b = {0};
            for (size_t i = 0; i < all[n].ntests; i++)
                pr_render_test(&all[n].tests[i], &b);
            step_buf(s, &b);
        }
        step_end(r, s, st, &err);
        ok = st == PW_OK;
    }
    if (ok) {
        step *s = step_begin(r);
        pd_buf b = {0};
        pr_render_coverage(&cov, &b);
        pr_render_junit(all, n, &b);
        step_buf(s, &b);
        step_end(r, s, PW_OK, NULL);
    }
    for (size_t i = 0; i < n; i++)
        pr_file_fini(&all[i]);
    pr_coverage_fini(&cov);
}

/* A rule file small enough to mutate thousands of times: a killed mutant,
 * survivors with suggested tests. Written to the test's own directory. */
static char tmp_dir[64];
static char mutate_path[128];
static const char mutate_source[] =
    "facts coach {\n"
    "  id: text\n"
    "  athletes_coached: integer = 0\n"
    "}\n"
    "program helper \"Helper course\" {\n"
    "  require \"coaches\": athletes_coached >= 2\n"
    "}\n"
    "test \"a coach of five may help\" {\n"
    "  as of 2026-06-01\n"
    "  given { id: \"a\", athletes_coached: 5 }\n"
    "  expect helper eligible\n"
    "}\n"
    "test \"a coach of none may not\" {\n"
    "  as of 2026-06-01\n"
    "  given { id: \"b\" }\n"
    "  expect helper not eligible\n"
    "}\n";

static void pipe_mutate(run *r)
{
    step *s = step_begin(r);
    pr_mutation m;
    pw_error err;
    pw_compile_options quiet;
    pw_compile_options_init(&quiet);
    pw_status st = pr_mutate_file(mutate_path, &quiet, 1, &m, &err);
    if (st == PW_OK) {
        text_printf(&s->out, "error=%s n=%zu killed=%zu survived=%zu uncompiled=%zu equivalent=%zu\n",
                    m.error ? m.error : "-", m.n, m.killed, m.survived, m.uncompiled, m.equivalent);
        m.seconds = 0; /* differs from run to run */
        pd_buf b = {0};
        pr_render_mutation(&m, true, &b);
        pr_render_mutation_json(&m, &b);
        size_t count = 0;
        pr_mutation_sarif_results(&m, &b, &count);
        step_buf(s, &b);
    }
    step_end(r, s, st, &err);
    pr_mutation_fini(&m);
}

static void pipe_assumptions(run *r)
{
    static const char *const files[] = {DIR "ruletest/define-assumptions.pw", DIR "ruletest/lib.pw"};
    for (size_t i = 0; i < 2; i++) {
        step *s = step_begin(r);
        pr_assumptions a;
        memset(&a, 0, sizeof a);
        pw_error err;
        pw_compile_options quiet;
        pw_compile_options_init(&quiet);
        pw_status st = pr_list_assumptions(files[i], &quiet, &a, &err);
        if (st == PW_OK)
            for (size_t k = 0; k < a.n; k++) {
                const pr_assumption *x = &a.items[k];
                text_printf(&s->out, "%s:%u:%u %s %s %s %s %s\n", x->file, x->line, x->column,
                            x->program ? x->program : "-", x->version ? x->version : "-",
                            x->requirement ? x->requirement : "-", x->definition ? x->definition : "-",
                            x->reason);
            }
        step_end(r, s, st, &err);
        pr_assumptions_fini(&a);
        if (st != PW_OK)
            return;
    }
}

static void pipe_collect(run *r)
{
    step *s = step_begin(r);
    pr_strings args = {0}, files = {0}, notes = {0};
    bool ok = pr_strings_push(&args, DIR "ruletest/tree") && pr_strings_push(&args, DIR "mutate/rules.pw");
    pw_status st = PW_ERR_NOMEM;
    pw_error err;
    snprintf(err.message, sizeof err.message, "out of memory");
    if (ok && pr_collect_files(&args, &files, &notes))
        st = PW_OK;
    if (st == PW_OK) {
        put_strings(s, "files", &files);
        put_strings(s, "notes", &notes);
    }
    step_end(r, s, st, &err);
    pr_strings_fini(&args);
    pr_strings_fini(&files);
    pr_strings_fini(&notes);
}

typedef enum pipeline { P_RUN, P_MUTATE, P_ASSUME, P_COLLECT, P_N } pipeline;
static const char *const pipeline_names[] = {"run+render", "mutate+suggest", "assumptions", "collect"};

static void run_pipeline(run *r, pipeline p)
{
    switch (p) {
    case P_RUN: pipe_run(r); break;
    case P_MUTATE: pipe_mutate(r); break;
    case P_ASSUME: pipe_assumptions(r); break;
    case P_COLLECT: pipe_collect(r); break;
    case P_N: break;
    }
}

/* ---- the loop ------------------------------------------------------------------ */

typedef struct config {
    pipeline p;
    bool arena, sticky;
} config;

#define NCONFIGS (P_N * 4)
static config configs[NCONFIGS];

static unsigned long one_run(const config *c, unsigned long fail_at, run *out, long *leaked)
{
    memset(out, 0, sizeof *out);
    size_t before = nlive;
    foreign_frees = 0;
    /* The C allocator's level counts cJSON's nodes and realpath's buffers
     * too (the hooks in main). */
    arm(c->arena ? SRC_ARENA : SRC_SYS, 0, fail_at, c->sticky);
    run_pipeline(out, c->p);
    disarm();
    *leaked = (long)nlive - (long)before;
    return inj.calls;
}

static char crash_note[256];

static void on_crash(int sig)
{
    ssize_t w = write(2, crash_note, strlen(crash_note));
    (void)w;
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Problems are collected while armed (Check's own allocations go through the
 * wrappers) and reported after the loop. */
typedef struct verdict {
    unsigned nproblems;
    text details;
} verdict;

static void problem(verdict *v, unsigned long n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(verdict *v, unsigned long n, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (v->nproblems++ < 8)
        text_printf(&v->details, "N=%lu: %s\n", n, buf);
}

static bool same_output(const step *a, const step *b)
{
    return strcmp(a->out.s ? a->out.s : "", b->out.s ? b->out.s : "") == 0;
}

/* The first line where a step's output departs from the reference's. */
static void first_difference(const step *got, const step *ref, char *buf, size_t len)
{
    const char *g = got->out.s ? got->out.s : "", *r = ref->out.s ? ref->out.s : "";
    const char *line_g = g, *line_r = r;
    while (*g && *g == *r) {
        if (*g == '\n') {
            line_g = g + 1;
            line_r = r + 1;
        }
        g++;
        r++;
    }
    int ng = (int)strcspn(line_g, "\n"), nr = (int)strcspn(line_r, "\n");
    snprintf(buf, len, "got \"%.*s\", reference \"%.*s\"", ng > 200 ? 200 : ng, line_g,
             nr > 200 ? 200 : nr, line_r);
}

static void judge(verdict *v, unsigned long n, const run *ref, const run *got, bool clean, long leaked)
{
    if (leaked)
        problem(v, n, "%ld allocation(s) not freed", leaked);
    if (foreign_frees)
        problem(v, n, "%lu free(s) of pointers not allocated", foreign_frees);
    if (clean && got->n != ref->n)
        problem(v, n, "a clean run made %zu steps, the reference %zu", got->n, ref->n);
    char diff[512];
    for (size_t i = 0; i < got->n && i < ref->n; i++) {
        const step *g = &got->steps[i], *w = &ref->steps[i];
        if (g->failed == 0 || clean) {
            if (!same_output(g, w) || g->buf_oom) {
                first_difference(g, w, diff, sizeof diff);
                problem(v, n, "step %zu met no failure yet differs: %s", i, diff);
            }
        } else if (g->st == PW_ERR_NOMEM) {
            if (strstr(g->out.s ? g->out.s : "", "(no message)"))
                problem(v, n, "step %zu: PW_ERR_NOMEM without a message", i);
        } else if (g->st != PW_OK) {
            first_difference(g, w, diff, sizeof diff);
            problem(v, n, "step %zu met a failure and returned %d, not PW_ERR_NOMEM: %s", i, g->st, diff);
        } else if (!g->buf_oom && !same_output(g, w)) {
            first_difference(g, w, diff, sizeof diff);
            problem(v, n, "step %zu met a failure, returned PW_OK and differs: %s", i, diff);
        }
        /* What follows a wrong step inherits its results: one report. */
        if (v->nproblems && g->failed)
            break;
    }
}

static unsigned long stride = 1;

START_TEST(test_inject)
{
    const config *c = &configs[_i];
    char what[128];
    snprintf(what, sizeof what, "%s, %s, %s", pipeline_names[c->p], c->arena ? "arena" : "malloc",
             c->sticky ? "sticky" : "single");
    const char *only = getenv("PW_ALLOCFAIL_ONLY");
    if (only && !strstr(what, only))
        return;
    verdict v;
    memset(&v, 0, sizeof v);
    run ref;
    long leaked;
    snprintf(crash_note, sizeof crash_note, "\ncrash: %s, reference run\n", what);
    unsigned long total = one_run(c, 0, &ref, &leaked);
    ck_assert_msg(leaked == 0, "%s: the reference run leaks %ld allocations", what, leaked);
    ck_assert_msg(total > 0 || c->arena, "%s: no allocation seen (are the wrappers linked?)", what);
    for (size_t i = 0; i < ref.n; i++)
        ck_assert_msg(ref.steps[i].st == PW_OK && !ref.steps[i].buf_oom, "%s: reference step %zu: %s",
                      what, i, ref.steps[i].out.s);

    clock_t t0 = clock();
    unsigned long n = 1, runs = 0;
    const char *at = getenv("PW_ALLOCFAIL_AT"); /* one N only, to debug it */
    if (at && atol(at) > 0)
        n = (unsigned long)atol(at);
    for (;; n += (n < 64 ? 1 : stride)) {
        run got;
        snprintf(crash_note, sizeof crash_note, "\ncrash: %s, N=%lu\n", what, n);
        unsigned long calls = one_run(c, n, &got, &leaked);
        runs++;
        bool clean = calls < n;
        judge(&v, n, &ref, &got, clean, leaked);
        run_free(&got);
        if (clean || v.nproblems > 50 || at)
            break;
    }
    fprintf(stderr, "ruletest allocfail: %-32s %6lu allocations, %6lu runs, %6.2fs\n", what, total, runs,
            (double)(clock() - t0) / CLOCKS_PER_SEC);
    run_free(&ref);
    ck_assert_msg(!tracking_broken, "the live-allocation set overflowed or saw a pointer twice");
    if (v.nproblems)
        fprintf(stderr, "%s: %u problem(s):\n%s", what, v.nproblems, v.details.s);
    __real_free(v.details.s);
    ck_assert_msg(v.nproblems == 0, "%s: %u problem(s), the first ones on stderr", what, v.nproblems);
}
END_TEST

/* The wrappers do count: a failed allocation reaches the library as NULL. */
START_TEST(test_wrappers_linked)
{
    arm(SRC_LIBC, 0, 1, false);
    pr_strings s = {0};
    bool ok = pr_strings_push(&s, "x");
    disarm();
    ck_assert(!ok);
    ck_assert_uint_eq(s.n, 0);
    pr_strings_fini(&s);
}
END_TEST

int main(void)
{
    cJSON_Hooks hooks = {aw_cjson_malloc, aw_cjson_free};
    cJSON_InitHooks(&hooks);
    const char *s = getenv("PW_ALLOCFAIL_STRIDE");
    if (s && atol(s) > 0)
        stride = (unsigned long)atol(s);
    signal(SIGSEGV, on_crash);
    signal(SIGABRT, on_crash);
    size_t k = 0;
    for (int p = 0; p < P_N; p++)
        for (int a = 0; a < 2; a++)
            for (int st = 0; st < 2; st++)
                configs[k++] = (config){(pipeline)p, a != 0, st != 0};
    strcpy(tmp_dir, "/tmp/pw_rt_allocfail_XXXXXX");
    if (!mkdtemp(tmp_dir))
        return EXIT_FAILURE;
    snprintf(mutate_path, sizeof mutate_path, "%s/m.test.pw", tmp_dir);
    FILE *f = fopen(mutate_path, "w");
    if (!f)
        return EXIT_FAILURE;
    fputs(mutate_source, f);
    fclose(f);
    Suite *suite = suite_create("ruletest_allocfail");
    TCase *tc = tcase_create("inject");
    tcase_set_timeout(tc, 3600);
    tcase_add_test(tc, test_wrappers_linked);
    tcase_add_loop_test(tc, test_inject, 0, NCONFIGS);
    suite_add_tcase(suite, tc);
    int status = pw_run_suite(suite);
    ut_tmpdir_remove(tmp_dir);
    return status;
}
