/* Fuzzing the compiler: bytes as a rule file.
 *
 * Every input goes through the scanner, parser, checker and (when it checks)
 * the code generator and verifier, with the diagnostics rendered (text with
 * colours for inputs of odd length, JSON for even, so both renderers see
 * every kind of error). What compiles must also survive the rest of a
 * program's life: saved, loaded back (a compiled program that does not load
 * is a bug), and evaluated on a fixed coach record when it fits the rules'
 * facts, on facts generated from the input's bytes, and on a context whose
 * facts were never set. Errors are fine; crashes, leaks, sanitizer reports
 * and broken invariants (fuzz_common.h) are not. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

/* The renderers' output is only measured: what matters is that producing it
 * does not crash. */
static void fz_diagnostics(void *user, const char *rendered)
{
    size_t *total = user;
    *total += strlen(rendered);
}

static void fz_run(const pw_program *prog, const uint8_t *data, size_t size)
{
    fz_buf out = {0};
    pw_context *ctx = NULL;
    pw_error err;
    if (pw_context_new(prog, &ctx, &err) != PW_OK) {
        /* Only memory can fail here, and a fuzzer's memory is bounded by
         * -rss_limit_mb, not by what the rules say. */
        fz_die("pw_context_new: %s", err.message);
    }
    fz_set_budget(ctx, FZ_BUDGET);

    /* Facts never set: evaluation must cope with the empty record. */
    fz_evaluate(ctx, prog, fz_date(0), 64, true, &out);

    /* The fixed record, when it fits. */
    if (pw_context_set_json(ctx, fz_coaches[0], strlen(fz_coaches[0]), &err) == PW_OK)
        fz_evaluate(ctx, prog, fz_date(1), 64, true, &out);

    /* Facts made from the input's last bytes. */
    size_t tail = size < 128 ? size : 128;
    fz_ops ops = {0};
    fz_gen_facts(prog, data + size - tail, tail, &ops);
    if (pw_context_reset(ctx, &err) != PW_OK)
        fz_die("pw_context_reset: %s", err.message);
    fz_apply(ctx, &ops, NULL);
    for (size_t d = 0; d < FZ_NDATES; d += 3)
        fz_evaluate(ctx, prog, fz_date(d), 64, true, &out);
    fz_ops_free(&ops);
    pw_context_free(ctx);
    fz_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_compile_options opt;
    memset(&opt, 0, sizeof opt);
    size_t rendered = 0;
    opt.on_diagnostics = fz_diagnostics;
    opt.user = &rendered;
    opt.format = size % 2 ? PW_DIAG_TEXT : PW_DIAG_JSON;
    opt.color = size % 4 == 1;

    pw_program *prog = NULL;
    pw_error err;
    pw_status st = pw_compile_source("fuzz.pw", (const char *)data, size, &opt, &prog, &err);
    if (st != err.status)
        fz_die("pw_compile_source returned %d but its pw_error says %d", (int)st, (int)err.status);
    if (st != PW_OK) {
        if (prog)
            fz_die("pw_compile_source failed but gave a program");
        if (st != PW_ERR_COMPILE && st != PW_ERR_NOMEM)
            fz_die("pw_compile_source failed with status %d: %s", (int)st, err.message);
        return 0;
    }

    void *bytes = NULL;
    size_t len = 0;
    if (pw_program_save(prog, &bytes, &len, &err) != PW_OK)
        fz_die("pw_program_save: %s", err.message);
    pw_program *loaded = NULL;
    if (pw_program_load(bytes, len, &loaded, &err) != PW_OK)
        fz_die("a compiled program does not load back: %s", err.message);
    free(bytes);

    fz_run(prog, data, size);
    fz_run(loaded, data, size);
    pw_program_free(loaded);
    pw_program_free(prog);
    return 0;
}
