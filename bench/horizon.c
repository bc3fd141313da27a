/* bench/horizon.c: what `pathway when` and `pathway explain` cost against one
 * evaluation of the same coach (issue 21's goal: each within 20x).
 *
 * A sample of K coaches, spread evenly over FILE (every (records/K)-th
 * record), each loaded into a context (pw_context_set_json, not measured).
 * For each coach it measures:
 *   eval     one pw_evaluate_all of every program on the evaluation date;
 *   when     pw_when_context for each program (the first versions) over the
 *            default horizon (20 years), one program at a time, as
 *            `pathway when --program ID` asks;
 *   explain  pw_explain_context of every program over the default horizon,
 *            as `pathway explain` gives it.
 *
 * Time (default): each measured as the best of R rounds of a batch of calls,
 * the date of the evaluations alternating between the day and the next so
 * that the VM's memory of a context's last evaluation never answers (see
 * vm_only.c). Prints, per coach,
 *   horizon: coach=I id=ID eval_ns=.. when_ns=.. when_worst=PROG explain_ns=..
 * where when_ns is the slowest program's `when`.
 *
 * Instructions (--callgrind, under valgrind --tool=callgrind
 * --collect-atstart=no): each call once, between CALLGRIND_ZERO_STATS and
 * CALLGRIND_DUMP_STATS_AT("eval I" | "when I PROG" | "explain I"), so that
 * every dump holds the instructions of exactly one call (the result freed
 * included); bench.py reads the dumps. Without valgrind's header this mode
 * is refused.
 *
 * usage: horizon RULES FILE --as-of YYYY-MM-DD [--coaches K] [--rounds R] [--callgrind] */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathway.h"
#include "bench_lines.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HZ_CALLGRIND 1
#endif
#endif
#ifndef HZ_CALLGRIND
#define HZ_CALLGRIND 0
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(what) ((void)(what))
#endif

/* Calls per timed batch: enough that the clock's resolution does not count. */
enum { EVAL_BATCH = 200, WHEN_BATCH = 20, EXPLAIN_BATCH = 5 };

static bool g_callgrind;

static bool is_callgrind(const char *arg)
{
    if (strcmp(arg, "--callgrind") != 0)
        return false;
    g_callgrind = true;
    return true;
}

static _Noreturn void usage(void)
{
    fputs("usage: horizon RULES FILE --as-of YYYY-MM-DD [--coaches K] [--rounds R] [--callgrind]\n", stderr);
    exit(2);
}

static _Noreturn void fail(const char *what, const pw_error *err)
{
    fprintf(stderr, "horizon: %s: %s\n", what, err->message);
    exit(1);
}

typedef struct hz_setup {
    const pw_program *prog;
    pw_date asof;
    pw_explain_options opts; /* the evaluation date, the default horizon */
} hz_setup;

static void one_eval(pw_context *ctx, pw_date day)
{
    pw_error err;
    if (pw_evaluate_all(ctx, day, &err) != PW_OK)
        fail("pw_evaluate_all", &err);
}

static void one_when(const hz_setup *s, pw_context *ctx, const char *id)
{
    pw_error err;
    pw_eligibility *e;
    if (pw_when_context(ctx, id, &s->opts, &e, &err) != PW_OK)
        fail("pw_when_context", &err);
    pw_eligibility_free(e);
}

static void one_explain(const hz_setup *s, pw_context *ctx)
{
    pw_error err;
    pw_explanation *e;
    if (pw_explain_context(ctx, &s->opts, &e, &err) != PW_OK)
        fail("pw_explain_context", &err);
    pw_explanation_free(e);
}

/* Best of `rounds` batches of evaluations, alternating the day and the next
 * (each evaluation then starts afresh); ns per evaluation. */
static double time_eval(const hz_setup *s, pw_context *ctx, long rounds)
{
    const pw_date days[2] = {s->asof, s->asof + 1};
    double best = 0;
    for (long r = 0; r < rounds; r++) {
        double t0 = bl_now_ns();
        for (int i = 0; i < EVAL_BATCH; i++)
            one_eval(ctx, days[(i + 1) & 1]);
        double t = (bl_now_ns() - t0) / EVAL_BATCH;
        if (r == 0 || t < best)
            best = t;
    }
    return best;
}

static double time_when(const hz_setup *s, pw_context *ctx, const char *id, long rounds)
{
    double best = 0;
    for (long r = 0; r < rounds; r++) {
        double t0 = bl_now_ns();
        for (int i = 0; i < WHEN_BATCH; i++)
            one_when(s, ctx, id);
        double t = (bl_now_ns() - t0) / WHEN_BATCH;
        if (r == 0 || t < best)
            best = t;
    }
    return best;
}

static double time_explain(const hz_setup *s, pw_context *ctx, long rounds)
{
    double best = 0;
    for (long r = 0; r < rounds; r++) {
        double t0 = bl_now_ns();
        for (int i = 0; i < EXPLAIN_BATCH; i++)
            one_explain(s, ctx);
        double t = (bl_now_ns() - t0) / EXPLAIN_BATCH;
        if (r == 0 || t < best)
            best = t;
    }
    return best;
}

static void measure_time(const hz_setup *s, pw_context *ctx, size_t coach, const char *id, long rounds)
{
    double eval = time_eval(s, ctx, rounds), worst = -1;
    const char *worst_id = "";
    for (size_t p = 0; p < pw_program_count(s->prog); p++) {
        if (!pw_program_is_first_version(s->prog, p))
            continue;
        double t = time_when(s, ctx, pw_program_id(s->prog, p), rounds);
        if (t > worst) {
            worst = t;
            worst_id = pw_program_id(s->prog, p);
        }
    }
    double explain = time_explain(s, ctx, rounds);
    printf("horizon: coach=%zu id=%s eval_ns=%.1f when_ns=%.1f when_worst=%s explain_ns=%.1f\n", coach, id,
           eval, worst, worst_id, explain);
}

/* One call of each, each alone in a callgrind dump. The evaluation comes
 * after one on the next day, so that it starts afresh as in `pathway eval`. */
static void measure_instructions(const hz_setup *s, pw_context *ctx, size_t coach)
{
    char what[256];
    one_eval(ctx, s->asof + 1);
    CALLGRIND_ZERO_STATS;
    one_eval(ctx, s->asof);
    snprintf(what, sizeof what, "eval %zu", coach);
    CALLGRIND_DUMP_STATS_AT(what);
    for (size_t p = 0; p < pw_program_count(s->prog); p++) {
        if (!pw_program_is_first_version(s->prog, p))
            continue;
        CALLGRIND_ZERO_STATS;
        one_when(s, ctx, pw_program_id(s->prog, p));
        snprintf(what, sizeof what, "when %zu %s", coach, pw_program_id(s->prog, p));
        CALLGRIND_DUMP_STATS_AT(what);
    }
    CALLGRIND_ZERO_STATS;
    one_explain(s, ctx);
    snprintf(what, sizeof what, "explain %zu", coach);
    CALLGRIND_DUMP_STATS_AT(what);
}

/* The records of FILE, each a malloc'd copy; their number in *n. */
static char **read_all(const char *path, size_t *n)
{
    bl_reader r;
    if (!bl_open(&r, path)) {
        perror(path);
        exit(1);
    }
    char **lines = NULL;
    size_t cap = 0, len;
    const char *text;
    *n = 0;
    while ((text = bl_next(&r, &len))) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            if (!(lines = realloc(lines, cap * sizeof *lines)))
                exit(1);
        }
        if (!(lines[(*n)++] = strndup(text, len)))
            exit(1);
    }
    bl_close(&r);
    return lines;
}

int main(int argc, char **argv)
{
    bo_options o;
    const char *pos[2];
    if (!bo_parse(argc, argv, &o, pos, 2, is_callgrind))
        usage();
    if (g_callgrind && !HZ_CALLGRIND) {
        fputs("horizon: --callgrind: built without valgrind/callgrind.h (apt-get install valgrind)\n", stderr);
        return 1;
    }
    pw_error err;
    hz_setup s;
    if (pw_date_parse(o.as_of, &s.asof, &err) != PW_OK)
        fail("--as-of", &err);
    pw_program *prog;
    if (pw_program_open(pos[0], NULL, &prog, &err) != PW_OK)
        fail(pos[0], &err);
    s.prog = prog;
    pw_explain_options_init(&s.opts);
    s.opts.as_of = s.asof;
    s.opts.horizon_days = PW_DEFAULT_HORIZON_DAYS;

    size_t n;
    char **lines = read_all(pos[1], &n);
    size_t k = (size_t)o.coaches < n ? (size_t)o.coaches : n;
    if (k == 0) {
        fprintf(stderr, "horizon: %s: no records\n", pos[1]);
        return 1;
    }
    pw_context *ctx;
    if (pw_context_new(prog, &ctx, &err) != PW_OK)
        fail("pw_context_new", &err);
    for (size_t c = 0; c < k; c++) {
        size_t at = c * (n / k);
        if (pw_context_set_json(ctx, lines[at], strlen(lines[at]), &err) != PW_OK)
            fail("pw_context_set_json", &err);
        if (g_callgrind) {
            measure_instructions(&s, ctx, c);
        } else {
            char *id = bl_record_id(lines[at]);
            measure_time(&s, ctx, c, id, o.rounds);
            free(id);
        }
    }
    pw_context_free(ctx);
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    pw_program_free(prog);
    return fflush(stdout) == 0 ? 0 : 1;
}
