/* Allocation-failure injection for the `pathway` command (src/cli), as
 * tests/unit/test_allocfail.c does it for the runtime.
 *
 * The CLI's sources are linked into this binary with main() renamed
 * pw_cli_main (tests/unit/cli_main.c, tests/CMakeLists.txt), and every
 * allocation goes through allocwrap.c (GNU ld --wrap). Each command line
 * below (diff with an affected list, report, eval with --jobs 1 in two
 * formats and of a JSON array, lint of a directory as SARIF and JSON, test of a
 * directory as JSON, check, fmt, compile, explain) is run once clean, in a child process whose
 * standard output and error go to files, for a reference. Then, for
 * N = 1, 2, ..., it is run with the Nth counted allocation failing
 * ("single") or every one from the Nth on ("sticky"), C allocations and
 * arena allocations in turn, until a run never reaches its Nth. Every run
 * is checked:
 *
 *   - a run that met an injected failure either printed exactly the
 *     reference's output and exited with its status (a recoverable failure),
 *     or exited with a non-zero status after saying on standard error that
 *     memory ran out (the library's and the command's messages all say
 *     "memory"): a command never exits 0 with a wrong output, nor fails
 *     without a word;
 *   - it did not crash (a signal), and left no allocation live (no leak)
 *     and freed nothing the wrappers did not hand out (but the buffers
 *     open_memstream allocates inside the C library: no more of them than
 *     the clean run frees);
 *   - a run that met no failure equals the reference;
 *   - eval's output keeps a piece per record (check_records): a failure
 *     turns a record's result into that record's error at most, unless the
 *     run said it stopped reading or writing, or evaluated nothing.
 *
 * The last block of lines runs eval, report, diff and explain with worker
 * threads (--jobs 2): allocwrap.c numbers the counted calls atomically, so
 * the Nth is still exactly one call, whichever thread makes it.
 *
 * PW_ALLOCFAIL_STRIDE=k tests every k-th N past the first 64 (the default
 * is 2 for C allocations, single and sticky runs taking every other N, and
 * 23 for the arena's: those are the compiler's, which test_allocfail sweeps
 * one by one; each run compiles the rules again, in a child process); PW_ALLOCFAIL_ONLY=text runs only
 * the command lines whose description contains the text; PW_ALLOCFAIL_AT=N
 * starts at N and runs it in-process (with CK_FORK=no, under a debugger). */
#include <check.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "allocwrap.h"
#include "check_main.h"
#include "ruletest/ruletest.h"
#include "tmpdir.h"

int pw_cli_main(int argc, char **argv);

static unsigned long stride; /* 0: each mode's own */
static unsigned scope;        /* arm()'s: 0, or SC_REPORT for the focused test */
static unsigned long at;
static const char *only;
static char dir[256];

#define R PW_SOURCE_DIR "/"

/* The allocations `pathway test` makes rendering a test's lines, counted
 * alone (tests/CMakeLists.txt wraps pr_render_test for this test). */
enum { SC_REPORT = 1 };
void __real_pr_render_test(const pr_test *t, pd_buf *out);
void __wrap_pr_render_test(const pr_test *t, pd_buf *out);
void __wrap_pr_render_test(const pr_test *t, pd_buf *out)
{
    active_scopes |= SC_REPORT;
    __real_pr_render_test(t, out);
    active_scopes &= ~(unsigned)SC_REPORT;
}

/* What a child run reports back (through a file: its stdout is closed). */
typedef struct outcome {
    int status;          /* exit status; -signal when killed */
    unsigned long calls; /* counted calls */
    unsigned long failed;
    long leaked;         /* allocations left live by the command */
    unsigned long foreign;
    char out[1 << 16], err[1 << 14];
    size_t nout, nerr;
} outcome;

static size_t slurp(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    size_t n = 0;
    ssize_t got;
    while (n + 1 < cap && (got = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)got;
    close(fd);
    buf[n] = '\0';
    return n;
}

static void path_in(char *p, size_t cap, const char *name)
{
    int n = snprintf(p, cap, "%s/%s", dir, name);
    ck_assert(n > 0 && (size_t)n < cap);
}

/* Runs `pathway argv...` in a child with the injector armed as given. */
static void run(char **argv, unsigned sources, unsigned long fail_at, bool sticky, outcome *o)
{
    char out[300], err[300], res[300];
    path_in(out, sizeof out, "stdout");
    path_in(err, sizeof err, "stderr");
    path_in(res, sizeof res, "result");
    unlink(res);
    fflush(NULL);
    pid_t pid = at && fail_at ? 0 : fork(); /* PW_ALLOCFAIL_AT: in-process */
    ck_assert(pid >= 0);
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(120);
        close(fo);
        close(fe);
        int argc = 0;
        while (argv[argc])
            argc++;
        size_t live0 = nlive;
        arm(sources, scope, fail_at, sticky);
        int st = pw_cli_main(argc, argv);
        disarm();
        fflush(stderr);
        int fr = open(res, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fr < 0)
            _exit(121);
        dprintf(fr, "%d %lu %lu %ld %lu\n", st, atomic_load(&inj.calls), atomic_load(&inj.failed),
                tracking_broken ? -1L : (long)nlive - (long)live0, foreign_frees);
        close(fr);
        exit(0); /* not _exit: a coverage build writes its counts at exit */
    }
    int ws;
    ck_assert(waitpid(pid, &ws, 0) == pid);
    memset(o, 0, offsetof(outcome, out));
    if (WIFSIGNALED(ws)) {
        o->status = -WTERMSIG(ws);
    } else {
        ck_assert_int_eq(WEXITSTATUS(ws), 0);
        char buf[200];
        slurp(res, buf, sizeof buf);
        ck_assert_int_eq(sscanf(buf, "%d %lu %lu %ld %lu", &o->status, &o->calls, &o->failed, &o->leaked,
                                &o->foreign),
                         5);
    }
    o->nout = slurp(out, o->out, sizeof o->out);
    o->nerr = slurp(err, o->err, sizeof o->err);
}

static bool same(const outcome *a, const outcome *b)
{
    return a->status == b->status && a->nout == b->nout && a->nerr == b->nerr && !memcmp(a->out, b->out, a->nout) &&
           !memcmp(a->err, b->err, a->nerr);
}

static outcome ref, got;

/* pathway eval's output holds one piece per record, in input order: a line
 * of JSON Lines, or with --format text a block ending in a blank line. The
 * record pieces of a run that met a failure: NULL unless argv is such an
 * eval. */
static const char *record_separator(char **argv)
{
    if (strcmp(argv[1], "eval") != 0)
        return NULL;
    for (size_t i = 2; argv[i]; i++)
        if (strcmp(argv[i], "text") == 0)
            return "\n\n";
    return "\n";
}

/* The next piece of out (from *at) ending in sep, its length in *len; NULL
 * past the end. */
static const char *next_piece(const char *out, size_t nout, size_t *at, const char *sep, size_t *len)
{
    if (*at >= nout)
        return NULL;
    const char *p = out + *at, *end = strstr(p, sep);
    *len = end ? (size_t)(end - p) + strlen(sep) : nout - *at;
    *at += *len;
    return p;
}

/* Whether p[0..len) holds the text s. */
static bool holds(const char *p, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(p + i, s, n) == 0)
            return true;
    return false;
}

/* One bad record never costs the others their results: unless the run said
 * it stopped reading its input or writing its output, or evaluated nothing
 * (a usage-type failure, status 2, before the first record), every record of
 * the reference is there, the same or as its own error for want of memory. */
static void check_records(const char *what, const char *how, unsigned long n, const char *sep)
{
    if (strstr(got.err, "out of memory reading") || strstr(got.err, "out of memory writing"))
        return;
    if (got.nout == 0) {
        ck_assert_msg(got.status == 2, "%s %s N=%lu: status %d, yet no record's output", what, how, n, got.status);
        return;
    }
    const char *error = sep[1] ? ": error: " : "\"error\":";
    size_t at_ref = 0, at_got = 0, len_ref, len_got;
    const char *r, *g;
    for (unsigned k = 1; (r = next_piece(ref.out, ref.nout, &at_ref, sep, &len_ref)) != NULL; k++) {
        g = next_piece(got.out, got.nout, &at_got, sep, &len_got);
        ck_assert_msg(g, "%s %s N=%lu: record %u of the output is missing", what, how, n, k);
        bool ok = (len_got == len_ref && memcmp(g, r, len_ref) == 0) ||
                  (holds(g, len_got, error) && holds(g, len_got, "memory"));
        ck_assert_msg(ok, "%s %s N=%lu: record %u differs: %.*s", what, how, n, k, (int)len_got, g);
    }
    ck_assert_msg(at_got == got.nout, "%s %s N=%lu: more output than records", what, how, n);
}

static void sweep(const char *what, char **argv, unsigned sources, bool sticky, unsigned long step)
{
    const char *sep = record_separator(argv);
    run(argv, sources, 0, false, &ref);
    ck_assert_msg(ref.status >= 0 && ref.leaked == 0, "%s: clean run: status %d, %ld leaked", what, ref.status,
                  ref.leaked);
    /* Past 64, every step-th N: the sticky runs take the Ns between the single
     * runs' (65, 67, ... and 66, 68, ... for a step of 2). */
    for (unsigned long n = at ? at : 1;; n += n > 64 ? step : sticky && n == 64 && step > 1 ? 2 : 1) {
        run(argv, sources, n, sticky, &got);
        const char *how = sticky ? "sticky" : "single";
        ck_assert_msg(got.status >= 0, "%s %s N=%lu: killed by signal %d", what, how, n, -got.status);
        ck_assert_msg(got.leaked == 0 && got.foreign <= ref.foreign, "%s %s N=%lu: %ld leaked, %lu foreign frees",
                      what, how, n, got.leaked, got.foreign);
        if (!got.failed) {
            ck_assert_msg(same(&got, &ref), "%s %s N=%lu: no failure met, yet the run differs", what, how, n);
            fprintf(stderr, "%s: %lu counted allocations, status %d\n", what, ref.calls, ref.status);
            return;
        }
        if (same(&got, &ref))
            continue;
        ck_assert_msg(got.status != 0 && strstr(got.err, "memory"),
                      "%s %s N=%lu: status %d (reference %d) without saying memory ran out; stderr:\n%.600s", what, how,
                      n, got.status, ref.status, got.err);
        if (sep)
            check_records(what, how, n, sep);
    }
}

/* The command lines, NULL-separated; "@" in an argument is the temp dir. */
static const char *const cmdlines[][16] = {
    {"diff", R "rules/usatf/usatf.pw", "@/new.pw", "--facts", R "tests/impact/club.jsonl", "--as-of", "2026-11-23",
     "--list", "@/list.jsonl", "--jobs", "1"},
    {"diff", R "rules/usatf/usatf.pw", "@/new.pw", "--facts", R "tests/impact/club.jsonl", "--as-of", "2026-11-23",
     "--format", "json", "--list", "@/list.csv", "--list-format", "csv", "--jobs", "1"},
    {"report", R "rules/usatf/usatf.pw", "--facts", R "tests/impact/club.jsonl", "--as-of", "2026-11-23", "--format",
     "json", "--jobs", "1"},
    {"eval", R "rules/usatf/usatf.pw", "--facts", R "tests/impact/club.jsonl", "--as-of", "2026-11-23", "--jobs", "1"},
    {"eval", R "rules/usatf/usatf.pw", "--facts", R "tests/impact/club.jsonl", "--as-of", "2026-11-23", "--format",
     "text", "--jobs", "1"},
    {"lint", R "rules/usatf", "--format", "sarif"},
    {"lint", R "rules/common/coach.pw", "@/new.pw", "--format", "json", "-o", "@/lint.json"},
    {"test", R "rules/usatf", "--format", "json", "--jobs", "1"},
    {"check", R "rules/usatf/usatf.pw", "@/new.pw"},
    {"eval", R "rules/usatf/usatf.pw", "--facts", "@/club.json", "--as-of", "2026-11-23", "--jobs", "1"},
    {"fmt", "--check", R "rules/usatf"},
    {"fmt", R "rules/common/coach.pw"},
    {"compile", R "rules/usatf/usatf.pw", "-o", "@/usatf.pwc"},
    {"explain", "--format", "text", R "rules/usatf/usatf.pw", "--facts", R "tests/impact/club.jsonl", "--as-of",
     "2026-11-23", "--jobs", "1"},
    /* Worker threads (src/cli/eval_jobs.c), which this binary starts from a
     * run's third record on, with batches of a record or two
     * (tests/CMakeLists.txt): eval of JSON Lines and of an array, then
     * report, diff and explain, whose hooks make and merge each thread's
     * own state. A failed allocation in a worker costs its record alone.
     * Only the C allocations are failed (threaded, below): the arena's are
     * the compiler's and explain's, which the lines above sweep. The lines
     * over the small rules (a few hundred allocations) fail every one, so
     * that each state a thread makes fails at each of its steps. */
    {"eval", R "rules/usatf/usatf.pw", "--facts", R "tests/impact/club.jsonl", "--as-of", "2026-11-23", "--jobs", "2"},
    {"eval", R "rules/usatf/usatf.pw", "--facts", "@/club.json", "--as-of", "2026-11-23", "--format", "text",
     "--jobs", "2"},
    {"report", R "rules/usatf/usatf.pw", "--facts", R "tests/impact/club.jsonl", "--as-of", "2026-11-23", "--jobs",
     "2"},
    {"diff", R "rules/usatf/usatf.pw", "@/new.pw", "--facts", R "tests/impact/club.jsonl", "--as-of", "2026-11-23",
     "--list", "@/list.csv", "--list-format", "csv", "--jobs", "2"},
    {"explain", "--format", "json", "@/small.pw", "--facts", "@/small.jsonl", "--as-of", "2026-11-23", "--jobs", "2"},
    {"eval", "@/small.pw", "--facts", "@/small.jsonl", "--as-of", "2026-11-23", "--jobs", "2"},
    {"report", "@/small.pw", "--facts", "@/small.jsonl", "--as-of", "2026-11-23", "--jobs", "2"},
    {"diff", "@/small.pw", "@/small2.pw", "--facts", "@/small.jsonl", "--as-of", "2026-11-23", "--list", "@/small.csv",
     "--list-format", "csv", "--jobs", "2"},
    /* Issue 23 (cli-a), on small files to keep the sweep short: test
     * --coverage as JUnit to -o (usatf's report has cli_allocfail_test_report
     * below; JUnit on standard output holds times, which differ run to run),
     * as text to -o, --mutate as SARIF (strong.test.pw: weak's witness
     * search takes a second a run), --format github; lint's SARIF and GitHub
     * outputs of findings; fmt --check's diff and syntax errors. */
    {"test", R "tests/mutate/weak.test.pw", "--coverage", "--format", "junit", "-o", "@/junit.xml"},
    {"test", R "tests/mutate/weak.test.pw", "-o", "@/report.txt"},
    {"test", R "tests/mutate/strong.test.pw", "--mutate", "--format", "sarif"}, /* weak: too slow */
    {"test", R "tests/ruletest/broken.test.pw", "--format", "github"},
    {"lint", R "tests/lint/PW101.bad.pw", "--format", "github"},
    {"lint", R "tests/lint/PW101.bad.pw", "--format", "sarif"},
    {"fmt", "--check", R "tests/fmt/corpus/comments.pw"},
    {"fmt", "--check", R "tests/golden/diag/missing_colon.pw"},
    /* check --list-assumptions as JSON lines: each line is built whole, and
     * one that runs out of memory is said, never half written. */
    {"check", "--list-assumptions", "--format", "json", R "rules/england-athletics/england-athletics.pw"},
};
#define NCMD (sizeof cmdlines / sizeof *cmdlines)

static void write_new_rules(void)
{
    FILE *in = fopen(R "rules/usatf/usatf.pw", "r");
    char p[300];
    path_in(p, sizeof p, "new.pw");
    FILE *out = fopen(p, "w");
    ck_assert(in && out);
    char line[1024], *t;
    while (fgets(line, sizeof line, in)) {
        if (strstr(line, "include \"../common/coach.pw\""))
            fprintf(out, "include \"%s\"\n", R "rules/common/coach.pw");
        else if ((t = strstr(line, "\"at least two years of coaching experience\": experience >= 2")))
            fprintf(out, "%.*s\"at least three years of coaching experience\": experience >= 3\n", (int)(t - line),
                    line);
        else
            fputs(line, out);
    }
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
    /* The same facts as one JSON array, a record a line. */
    in = fopen(R "tests/impact/club.jsonl", "r");
    path_in(p, sizeof p, "club.json");
    out = fopen(p, "w");
    ck_assert(in && out);
    for (const char *sep = "[\n"; fgets(line, sizeof line, in); sep = ",\n")
        fprintf(out, "%s%.*s", sep, (int)strcspn(line, "\n"), line);
    fputs("\n]\n", out);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
    /* Rules and records small enough to explain in every way it can fail. */
    path_in(p, sizeof p, "small.pw");
    out = fopen(p, "w");
    ck_assert(out);
    fputs("facts coach {\n  id: text\n  age: integer\n}\n\nprogram p \"P\" {\n  require \"adult\": age >= 18\n}\n", out);
    ck_assert_int_eq(fclose(out), 0);
    path_in(p, sizeof p, "small.jsonl");
    out = fopen(p, "w");
    ck_assert(out);
    fputs("{\"id\":\"a\",\"age\":20}\n{\"id\":\"b\",\"age\":17}\n{\"id\":\"c\",\"age\":30}\n", out);
    ck_assert_int_eq(fclose(out), 0);
    /* Their change: a loses eligibility for two reasons. */
    path_in(p, sizeof p, "small2.pw");
    out = fopen(p, "w");
    ck_assert(out);
    fputs("facts coach {\n  id: text\n  age: integer\n}\n\nprogram p \"P\" {\n  require \"adult\": age >= 21\n"
          "  require \"older\": age >= 25\n}\n",
          out);
    ck_assert_int_eq(fclose(out), 0);
}

/* A line over the small rules, swept at every N. */
static bool small(const char *const *line)
{
    for (size_t k = 0; k < 16 && line[k]; k++)
        if (strcmp(line[k], "@/small.pw") == 0)
            return true;
    return false;
}

/* A line run with worker threads (--jobs 2). */
static bool threaded(const char *const *line)
{
    for (size_t k = 0; k + 1 < 16 && line[k + 1]; k++)
        if (strcmp(line[k], "--jobs") == 0 && strcmp(line[k + 1], "1") != 0)
            return true;
    return false;
}

static const struct {
    const char *name;
    unsigned sources;
    bool sticky;
    unsigned long stride; /* the arena's are the compiler's, swept by test_allocfail */
} modes[] = {
    {"malloc single", SRC_SYS, false, 2},
    {"malloc sticky", SRC_SYS, true, 2},
    {"arena single", SRC_ARENA, false, 23},
    {"arena sticky", SRC_ARENA, true, 23},
};

START_TEST(cli_allocfail)
{
    size_t c = (size_t)_i / (sizeof modes / sizeof *modes), m = (size_t)_i % (sizeof modes / sizeof *modes);
    strcpy(dir, "/tmp/pw-cli-allocfail-XXXXXX");
    ck_assert(mkdtemp(dir));
    write_new_rules();
    char what[512], args[16][300];
    char *argv[18] = {"pathway"};
    int w = snprintf(what, sizeof what, "%s:", modes[m].name);
    size_t k = 0;
    for (; k < 16 && cmdlines[c][k]; k++) {
        const char *a = cmdlines[c][k];
        if (a[0] == '@')
            snprintf(args[k], sizeof args[k], "%s%s", dir, a + 1);
        else
            snprintf(args[k], sizeof args[k], "%s", a);
        argv[k + 1] = args[k];
        if (w > 0 && (size_t)w < sizeof what)
            w += snprintf(what + w, sizeof what - (size_t)w, " %s", a);
    }
    argv[k + 1] = NULL;
    if ((!only || strstr(what, only)) && !(threaded(cmdlines[c]) && modes[m].sources == SRC_ARENA))
        sweep(what, argv, modes[m].sources, modes[m].sticky,
              small(cmdlines[c]) ? 1 : stride ? stride : modes[m].stride);
    ut_tmpdir_remove(dir);
}
END_TEST

/* Each allocation of the readable report of `test --format junit -o FILE`
 * failed in turn (the report then goes to standard output): the run says
 * "out of memory" and exits 1, the XML still written. It once exited 1
 * without a word (the report's chunk was dropped silently). */
START_TEST(cli_allocfail_test_report)
{
    strcpy(dir, "/tmp/pw-cli-allocfail-XXXXXX");
    ck_assert(mkdtemp(dir));
    char xml[300];
    path_in(xml, sizeof xml, "junit.xml");
    char *argv[] = {"pathway", "test", R "rules/usatf/usatf.test.pw", "--coverage", "--format", "junit", "-o", xml,
                    NULL};
    run(argv, SRC_SYS, 0, false, &ref);
    ck_assert_int_eq(ref.status, 0);
    scope = SC_REPORT;
    unsigned long n = 1;
    for (;; n++) {
        unlink(xml);
        run(argv, SRC_SYS, n, false, &got);
        if (!got.failed)
            break;
        ck_assert_msg(got.status == 1 && got.leaked == 0 && strcmp(got.err, "pathway: out of memory\n") == 0,
                      "N=%lu: status %d, %ld leaked, stderr:\n%.600s", n, got.status, got.leaked, got.err);
        char x[1 << 10];
        ck_assert_msg(slurp(xml, x, sizeof x) > 0 && strstr(x, "<testsuites"), "N=%lu: no XML", n);
    }
    scope = 0;
    ck_assert_msg(same(&got, &ref), "N=%lu: no failure met, yet the run differs", n);
    ck_assert_uint_gt(n, 1);
    ut_tmpdir_remove(dir);
}
END_TEST

int main(void)
{
    cJSON_Hooks hooks = {aw_cjson_malloc, aw_cjson_free};
    cJSON_InitHooks(&hooks);
    const char *s = getenv("PW_ALLOCFAIL_STRIDE");
    if (s && atol(s) > 0)
        stride = (unsigned long)atol(s);
    only = getenv("PW_ALLOCFAIL_ONLY");
    if ((s = getenv("PW_ALLOCFAIL_AT")))
        at = strtoul(s, NULL, 10);
    Suite *su = suite_create("cli_allocfail");
    TCase *tc = tcase_create("commands");
    tcase_set_timeout(tc, 1800);
    tcase_add_loop_test(tc, cli_allocfail, 0, (int)(NCMD * (sizeof modes / sizeof *modes)));
    tcase_add_test(tc, cli_allocfail_test_report);
    suite_add_tcase(su, tc);
    return pw_run_suite(su);
}
