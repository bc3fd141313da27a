/* Differential fuzzing: a compiled program and the same program saved and
 * loaded back must be indistinguishable through the public API.
 *
 * Bytes are a rule file. When it compiles, it is saved and loaded, and both
 * programs go through the same sequence of calls, each into its own context:
 * the describing API; evaluation of every program at each of the dates
 * (2028-02-29 and both ends of the calendar among them) on facts never set,
 * on each fixed coach record (most rule sets reject them: the errors are
 * compared), and on facts generated from the input's last bytes to fit the
 * rules' own facts record. Everything each call returns is written to one
 * text snapshot per program: every status and message, verdict, outcome of
 * every requirement node, and the unmet, preferred and advice labels. The
 * two snapshots must be identical; on the first difference the harness
 * prints both and aborts, which libFuzzer reports as a crash. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

/* Programs evaluated per date: enough for every shipped rule set. */
#define FZ_MAX_PROGS 48

/* Runs the whole sequence on one program, writing the snapshot. */
static void fz_session(const pw_program *prog, const fz_ops *ops, fz_buf *out)
{
    fz_describe(prog, out);
    pw_context *ctx = NULL;
    pw_error err;
    pw_status st = pw_context_new(prog, &ctx, &err);
    fz_printf(out, "context: %d %s\n", (int)st, st == PW_OK ? "" : err.message);
    if (st != PW_OK)
        return;
    fz_set_budget(ctx, FZ_BUDGET);

    fz_evaluate(ctx, prog, fz_date(0), FZ_MAX_PROGS, true, out);

    for (size_t c = 0; c < fz_ncoaches; c++) {
        st = pw_context_set_json(ctx, fz_coaches[c], strlen(fz_coaches[c]), &err);
        fz_printf(out, "coach %zu: %d %s\n", c, (int)st, st == PW_OK ? "" : err.message);
        if (st == PW_OK)
            for (size_t d = 0; d < FZ_NDATES; d++)
                fz_evaluate(ctx, prog, fz_date(d), FZ_MAX_PROGS, true, out);
    }

    st = pw_context_reset(ctx, &err);
    fz_printf(out, "reset: %d\n", (int)st);
    fz_apply(ctx, ops, out);
    for (size_t d = 0; d < FZ_NDATES; d++)
        fz_evaluate(ctx, prog, fz_date(d), FZ_MAX_PROGS, true, out);
    pw_context_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_program *prog = NULL;
    pw_error err;
    if (pw_compile_source("fuzz.pw", (const char *)data, size, NULL, &prog, &err) != PW_OK)
        return 0;
    void *bytes = NULL;
    size_t len = 0;
    if (pw_program_save(prog, &bytes, &len, &err) != PW_OK)
        fz_die("pw_program_save: %s", err.message);
    pw_program *loaded = NULL;
    if (pw_program_load(bytes, len, &loaded, &err) != PW_OK)
        fz_die("a compiled program does not load back: %s", err.message);
    free(bytes);

    /* The facts are generated once, from the compiled program, and replayed
     * on both: the same calls, whatever the loaded image holds. */
    fz_ops ops = {0};
    size_t tail = size < 128 ? size : 128;
    fz_gen_facts(prog, data + size - tail, tail, &ops);

    fz_buf a = {0}, b = {0};
    fz_session(prog, &ops, &a);
    fz_session(loaded, &ops, &b);
    fz_same("the compiled and the reloaded program's results", &a, &b);

    fz_buf_free(&a);
    fz_buf_free(&b);
    fz_ops_free(&ops);
    pw_program_free(loaded);
    pw_program_free(prog);
    return 0;
}
