/* bench/coarse.c: one coach's results in one call, against reading them call
 * by call.
 *
 * The first K records (default 1000) are read into memory. Then, round-robin
 * over them, N times each way (best of R rounds):
 *   coarse  pw_eval_json: load the record, evaluate every program, write the
 *           eval line (docs/coach-record.md) into a caller buffer; 1 call;
 *   fine    pw_context_set_json, pw_evaluate_all, then for each program its
 *           id, verdict and the labels of its unmet and preferred-unmet
 *           requirements, written as the same line by the host; the calls a
 *           host makes are counted;
 *   tree    the coarse call for a host that holds the record as a structure
 *           (a cJSON tree, parsed before timing) and writes it as JSON first
 *           (cJSON_PrintUnformatted): the C side of a Python host evaluating
 *           a dict (bench/python.py).
 * Both write the same bytes (checked on every record before timing). In C a
 * call costs nanoseconds, so the two take about the same time; the number of
 * calls is what a host behind a foreign-function interface (Python's ctypes,
 * a database's extension glue) pays for, per call.
 *
 * usage: coarse RULES FILE --as-of YYYY-MM-DD [--coaches K] [--evals N] [--rounds R]
 *        prints  coarse: ns_per_coach=... fine_ns_per_coach=... fine_calls_per_coach=... coaches=K
 *                ... cpu_ns_per_coach=... fine_cpu_ns_per_coach=... (the process's CPU time)
 *                ... tree_ns_per_coach=... tree_cpu_ns_per_coach=... */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pathway.h"
#include "bench_lines.h"

static _Noreturn void fail(const char *what, const pw_error *err)
{
    fprintf(stderr, "coarse: %s: %s\n", what, err->message);
    exit(1);
}

typedef struct out {
    char *p;
    size_t len, cap;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        if (!(o->p = realloc(o->p, o->cap)))
            exit(1);
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

/* The population's ids and labels need no escaping (checked: the lines
 * compare equal to the library's). */
static void quoted(out *o, const char *s)
{
    put(o, "\"", 1);
    puts_(o, s);
    put(o, "\"", 1);
}

static void labels(out *o, const pw_context *ctx, size_t p, size_t n,
                   const char *(*label)(const pw_context *, size_t, size_t))
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(o, ",", 1);
        quoted(o, label(ctx, p, i));
    }
}

/* The eval line through the fine-grained calls; returns the calls made. */
static long fine(pw_context *ctx, const pw_program *prog, const char *rec, size_t len, pw_date asof,
                 const char *asof_text, const char *id, out *o)
{
    pw_error err;
    long calls = 2;
    if (pw_context_set_json(ctx, rec, len, &err) != PW_OK || pw_evaluate_all(ctx, asof, &err) != PW_OK)
        fail(id, &err);
    o->len = 0;
    puts_(o, "{\"id\":");
    quoted(o, id);
    puts_(o, ",\"as_of\":\"");
    puts_(o, asof_text);
    puts_(o, "\",\"results\":[");
    size_t n = pw_program_count(prog);
    calls++;
    bool first = true;
    for (size_t p = 0; p < n; p++, calls++) {
        if (!pw_program_is_first_version(prog, p))
            continue;
        puts_(o, first ? "{\"program\":" : ",{\"program\":");
        first = false;
        quoted(o, pw_program_id(prog, p));
        puts_(o, pw_result_eligible(ctx, p) ? ",\"eligible\":true,\"unmet\":[" : ",\"eligible\":false,\"unmet\":[");
        size_t u = pw_result_unmet_count(ctx, p);
        labels(o, ctx, p, u, pw_result_unmet_label);
        puts_(o, "],\"preferred_unmet\":[");
        size_t f = pw_result_preferred_unmet_count(ctx, p);
        labels(o, ctx, p, f, pw_result_preferred_unmet_label);
        puts_(o, "]}");
        calls += 5 + (long)u + (long)f;
    }
    puts_(o, "]}\n");
    return calls;
}

int main(int argc, char **argv)
{
    bo_options o;
    const char *pos[2];
    if (!bo_parse(argc, argv, &o, pos, 2, NULL)) {
        fputs("usage: coarse RULES FILE --as-of YYYY-MM-DD [--coaches K] [--evals N] [--rounds R]\n", stderr);
        return 2;
    }
    if (o.coaches == 100)
        o.coaches = 1000; /* bo_parse's default is vm_only's */
    pw_error err;
    pw_date asof;
    pw_program *prog;
    if (pw_date_parse(o.as_of, &asof, &err) != PW_OK)
        fail("--as-of", &err);
    if (pw_program_open(pos[0], NULL, &prog, &err) != PW_OK)
        fail(pos[0], &err);
    bl_reader r;
    if (!bl_open(&r, pos[1])) {
        perror(pos[1]);
        return 1;
    }
    char **recs = calloc((size_t)o.coaches, sizeof *recs), **ids = calloc((size_t)o.coaches, sizeof *ids);
    size_t *lens = calloc((size_t)o.coaches, sizeof *lens), n = 0, len;
    const char *text;
    while (recs && ids && lens && (long)n < o.coaches && (text = bl_next(&r, &len))) {
        recs[n] = strndup(text, len);
        ids[n] = bl_record_id(text);
        lens[n++] = len;
    }
    bl_close(&r);
    if (n == 0) {
        fprintf(stderr, "coarse: %s: no records\n", pos[1]);
        return 1;
    }
    long evals = o.evals > 0 ? o.evals : (long)n;
    pw_context *ctx;
    if (pw_context_new(prog, &ctx, &err) != PW_OK)
        fail("pw_context_new", &err);
    static char line[1 << 16];
    out mine = {0};
    long calls = 0;
    cJSON **trees = calloc(n, sizeof *trees);
    if (!trees)
        return 1;
    for (size_t k = 0; k < n; k++) {
        calls += fine(ctx, prog, recs[k], lens[k], asof, o.as_of, ids[k], &mine);
        if (pw_eval_json(ctx, recs[k], lens[k], asof, line, sizeof line, NULL, &err) != PW_OK)
            fail(ids[k], &err);
        if (strcmp(line, mine.p) != 0) {
            fprintf(stderr, "coarse: %s: the lines differ:\n%s%s", ids[k], line, mine.p);
            return 1;
        }
        if (!(trees[k] = cJSON_ParseWithLength(recs[k], lens[k]))) {
            fprintf(stderr, "coarse: %s: cJSON does not parse the record\n", ids[k]);
            return 1;
        }
        char *again = cJSON_PrintUnformatted(trees[k]);
        if (!again || pw_eval_json(ctx, again, strlen(again), asof, line, sizeof line, NULL, &err) != PW_OK ||
            strcmp(line, mine.p) != 0) {
            fprintf(stderr, "coarse: %s: the record written again from its tree gives another line\n", ids[k]);
            return 1;
        }
        cJSON_free(again);
    }
    double best[3] = {0, 0, 0}, best_cpu[3] = {0, 0, 0};
    size_t sum = 0;
    for (long round = 0; round < o.rounds; round++)
        for (int way = 0; way < 3; way++) {
            double t0 = bl_now_ns(), c0 = bl_cpu_ns();
            for (long i = 0; i < evals; i++) {
                size_t k = (size_t)i % n, needed = 0;
                if (way == 0) {
                    if (pw_eval_json(ctx, recs[k], lens[k], asof, line, sizeof line, &needed, &err) != PW_OK)
                        fail(ids[k], &err);
                } else if (way == 1) {
                    fine(ctx, prog, recs[k], lens[k], asof, o.as_of, ids[k], &mine);
                    needed = mine.len;
                } else {
                    char *json = cJSON_PrintUnformatted(trees[k]);
                    if (!json || pw_eval_json(ctx, json, strlen(json), asof, line, sizeof line, &needed, &err) != PW_OK)
                        fail(ids[k], &err);
                    cJSON_free(json);
                }
                sum += needed;
            }
            double t = bl_now_ns() - t0, c = bl_cpu_ns() - c0;
            if (round == 0 || t < best[way])
                best[way] = t;
            if (round == 0 || c < best_cpu[way])
                best_cpu[way] = c;
        }
    printf("coarse: ns_per_coach=%.0f fine_ns_per_coach=%.0f fine_calls_per_coach=%.1f coaches=%zu evals=%ld "
           "bytes=%zu cpu_ns_per_coach=%.0f fine_cpu_ns_per_coach=%.0f tree_ns_per_coach=%.0f "
           "tree_cpu_ns_per_coach=%.0f\n",
           best[0] / (double)evals, best[1] / (double)evals, (double)calls / (double)n, n, evals, sum,
           best_cpu[0] / (double)evals, best_cpu[1] / (double)evals, best[2] / (double)evals,
           best_cpu[2] / (double)evals);
    pw_context_free(ctx);
    pw_program_free(prog);
    for (size_t k = 0; k < n; k++) {
        free(recs[k]);
        free(ids[k]);
        cJSON_Delete(trees[k]);
    }
    free(trees);
    free(recs);
    free(ids);
    free(lens);
    free(mine.p);
    return 0;
}
