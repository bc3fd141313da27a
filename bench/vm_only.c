/* bench/vm_only.c: Pathway's evaluation alone, through the public API.
 *
 * The same measurement as floor.c, made on the library: the first K coach
 * records (default 100) are loaded (pw_context_set_json, not timed) into K
 * contexts, one coach each; then pw_evaluate_all runs on them round-robin N
 * times, and that is what is timed. A hundred contexts stay in the caches,
 * as the one context `pathway eval` reuses for record after record does;
 * with thousands (a context is some 19 KB) most evaluations miss them. No
 * JSON is read or written in the timed loop: the facts are already in the
 * contexts, as the floor's are in its structs. The date alternates between
 * the day and the next, pass after pass, so that the VM cannot reuse what it
 * remembered of a context's last evaluation (see below).
 *
 * It also times loading the facts alone, for the breakdown of `pathway eval`'s
 * time: pw_context_set_json (cJSON parse, then the record laid out in the
 * context) on the same K records, round-robin, min(N, 200000) times.
 *
 * usage: vm_only RULES FILE --as-of YYYY-MM-DD [--coaches K] [--evals N] [--rounds R]
 *          prints  vm: ns_per_coach=... load_ns_per_coach=... coaches=K evals=N checksum=...
 *        vm_only RULES FILE --as-of YYYY-MM-DD --emit
 *          prints, from the API's results, what `pathway eval --format jsonl`
 *          prints (for rule sets without effective dates); the benchmark
 *          checks that the two agree. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathway.h"
#include "bench_lines.h"

/* Built with -DVM_ONLY_NATIVE and a file from `pathway compile --emit c`
 * (bench/native.sh), it measures the compiled rules through the same API
 * (pw_program_use_native) and prints "native:" instead of "vm:". */
#ifdef VM_ONLY_NATIVE
#include "pathway_native.h"
extern const pw_native pathway_native_rules;
#define VM_ONLY_TAG "native"
#else
#define VM_ONLY_TAG "vm"
#endif

static _Noreturn void usage(void)
{
    fputs("usage: vm_only RULES FILE --as-of YYYY-MM-DD [--coaches K] [--evals N] [--rounds R] "
          "[--emit]\n",
          stderr);
    exit(2);
}

static _Noreturn void fail(const char *what, const pw_error *err)
{
    fprintf(stderr, "vm_only: %s: %s\n", what, err->message);
    exit(1);
}

static void emit_list(FILE *out, const pw_context *ctx, size_t p, size_t n,
                      const char *(*label)(const pw_context *, size_t, size_t))
{
    putc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(',', out);
        bl_json_string(out, label(ctx, p, i));
    }
    putc(']', out);
}

static void emit(FILE *out, const pw_program *prog, const pw_context *ctx, const char *id,
                 const char *asof)
{
    fputs("{\"id\":", out);
    bl_json_string(out, id);
    fprintf(out, ",\"as_of\":\"%s\",\"results\":[", asof);
    bool first = true;
    for (size_t p = 0; p < pw_program_count(prog); p++) {
        if (!pw_program_is_first_version(prog, p))
            continue;
        fprintf(out, "%s{\"program\":", first ? "" : ",");
        first = false;
        bl_json_string(out, pw_program_id(prog, p));
        fprintf(out, ",\"eligible\":%s,\"unmet\":", pw_result_eligible(ctx, p) ? "true" : "false");
        emit_list(out, ctx, p, pw_result_unmet_count(ctx, p), pw_result_unmet_label);
        fputs(",\"preferred_unmet\":", out);
        emit_list(out, ctx, p, pw_result_preferred_unmet_count(ctx, p),
                  pw_result_preferred_unmet_label);
        putc('}', out);
    }
    fputs("]}\n", out);
}

int main(int argc, char **argv)
{
    bo_options o;
    const char *pos[2];
    if (!bo_parse(argc, argv, &o, pos, 2, NULL))
        usage();
    const char *rules = pos[0], *path = pos[1], *asof_text = o.as_of;
    long want = o.coaches, evals = o.evals, rounds = o.rounds;
    bool emit_mode = o.emit;
    pw_error err;
    pw_date asof;
    if (pw_date_parse(asof_text, &asof, &err) != PW_OK)
        fail("--as-of", &err);
    pw_program *prog;
    if (pw_program_open(rules, NULL, &prog, &err) != PW_OK)
        fail(rules, &err);
#ifdef VM_ONLY_NATIVE
    if (pw_program_use_native(prog, &pathway_native_rules, &err) != PW_OK)
        fail(rules, &err);
#endif
    for (size_t p = 0; p < pw_program_count(prog); p++)
        if (emit_mode && pw_program_dated(prog, p)) {
            fprintf(stderr, "vm_only: --emit supports rule sets without effective dates\n");
            return 1;
        }

    bl_reader r;
    if (!bl_open(&r, path)) {
        perror(path);
        return 1;
    }
    size_t len;
    const char *text;
    long records = 0;

    if (emit_mode) {
        static char obuf[1 << 16];
        setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
        pw_context *ctx;
        if (pw_context_new(prog, &ctx, &err) != PW_OK)
            fail("pw_context_new", &err);
        while ((text = bl_next(&r, &len))) {
            char *id = bl_record_id(text);
            if (pw_context_set_json(ctx, text, len, &err) != PW_OK)
                fail(id, &err);
            if (pw_evaluate_all(ctx, asof, &err) != PW_OK)
                fail(id, &err);
            emit(stdout, prog, ctx, id, asof_text);
            free(id);
        }
        bl_close(&r);
        pw_context_free(ctx);
        pw_program_free(prog);
        return fflush(stdout) == 0 ? 0 : 1;
    }

    pw_context **ctxs = calloc((size_t)want, sizeof *ctxs);
    char **lines = calloc((size_t)want, sizeof *lines);
    size_t *lens = calloc((size_t)want, sizeof *lens);
    if (!ctxs || !lines || !lens)
        return 1;
    size_t n = 0;
    while ((text = bl_next(&r, &len))) {
        records++;
        if ((long)n < want) {
            if (pw_context_new(prog, &ctxs[n], &err) != PW_OK)
                fail("pw_context_new", &err);
            if (pw_context_set_json(ctxs[n], text, len, &err) != PW_OK)
                fail("pw_context_set_json", &err);
            if (!(lines[n] = strndup(text, len)))
                return 1;
            lens[n] = len;
            n++;
        }
    }
    bl_close(&r);
    if (n == 0) {
        fprintf(stderr, "vm_only: %s: no records\n", path);
        return 1;
    }
    if (evals <= 0)
        evals = records;

    /* The VM remembers the results of the calls and requirements it
     * evaluated, for as long as the facts and the evaluation date stay the
     * same: evaluating a context a second time with nothing changed only
     * looks its results up. So that every timed evaluation does the work of
     * a coach seen for the first time (as in `pathway eval`, where the facts
     * change from record to record), the date alternates between the day
     * and the next, pass after pass over the contexts: each evaluation of a
     * context is on a different day from its last one. The floor does the
     * same. The results are then computed again, at the day, for the
     * checksum. */
    const pw_date dates[2] = {asof, asof + 1};
    double best = 0;
    size_t k = 0;
    unsigned pass = 0;
    for (long round = 0; round < rounds; round++) {
        double t0 = bl_now_ns();
        for (long i = 0; i < evals; i++) {
            if (pw_evaluate_all(ctxs[k], dates[pass & 1], &err) != PW_OK)
                fail("pw_evaluate_all", &err);
            if (++k == n) {
                k = 0;
                pass++;
            }
        }
        double t = bl_now_ns() - t0;
        if (round == 0 || t < best)
            best = t;
    }
    for (size_t i = 0; i < n; i++)
        if (pw_evaluate_all(ctxs[i], asof, &err) != PW_OK)
            fail("pw_evaluate_all", &err);

    /* Loading alone, into one more context. */
    long loads = evals < 200000 ? evals : 200000;
    double best_load = 0;
    pw_context *scratch;
    if (pw_context_new(prog, &scratch, &err) != PW_OK)
        fail("pw_context_new", &err);
    for (long round = 0; round < rounds; round++) {
        double t0 = bl_now_ns();
        size_t k = 0;
        for (long i = 0; i < loads; i++) {
            if (pw_context_set_json(scratch, lines[k], lens[k], &err) != PW_OK)
                fail("pw_context_set_json", &err);
            if (++k == n)
                k = 0;
        }
        double t = bl_now_ns() - t0;
        if (round == 0 || t < best_load)
            best_load = t;
    }
    pw_context_free(scratch);

    /* The same checksum as the floor's: per program, the unmet `require`s as
     * bits (declaration order) and the unmet `prefer` at bit 4. */
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t p = 0; p < pw_program_count(prog); p++) {
            unsigned bits = 0, nreq = 0, npref = 0;
            pw_requirement info;
            for (size_t q = 0; q < pw_requirement_count(prog, p); q++) {
                if (pw_requirement_info(prog, p, q, &info, &err) != PW_OK)
                    fail("pw_requirement_info", &err);
                if (info.depth != 0)
                    continue;
                bool unmet = pw_result_outcome(ctxs[i], p, q) == PW_UNMET;
                if (info.role == PW_ROLE_REQUIRE)
                    bits |= (unsigned)unmet << nreq++;
                else if (info.role == PW_ROLE_PREFER)
                    bits |= (unsigned)unmet << (4 + npref++);
            }
            sum = sum * 31 + bits;
        }
    }
    printf(VM_ONLY_TAG ": ns_per_coach=%.2f load_ns_per_coach=%.2f coaches=%zu evals=%ld checksum=%016llx\n",
           best / (double)evals, best_load / (double)loads, n, evals, (unsigned long long)sum);
    for (size_t i = 0; i < n; i++) {
        pw_context_free(ctxs[i]);
        free(lines[i]);
    }
    free(ctxs);
    free(lines);
    free(lens);
    pw_program_free(prog);
    return 0;
}
