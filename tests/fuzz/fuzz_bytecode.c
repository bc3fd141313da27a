/* Fuzzing the loader and verifier: bytes as a .pwc file.
 *
 * pw_program_load must reject anything that is not a well-formed image with
 * PW_ERR_FORMAT, and whatever it accepts must be safe to run: the verifier's
 * promise is that no image it passes can make the VM read or write outside
 * its tables, frame or facts. So an accepted image is described through the
 * whole API, given a context, and evaluated at several dates (2028-02-29
 * among them) on facts never set, on a fixed coach record (usually a facts
 * error: the record rarely fits a fuzzed layout), and on facts generated to
 * fit its own layout from the input's bytes. Finally the image is saved,
 * which must load again, and saved again, byte for byte the same as the
 * first save and as long as the input (every field of the format is read and
 * written back; only a boolean default byte other than 0/1 is normalised).
 *
 * Each input is tried twice: as it is, and with its sections' checksums
 * recomputed, so that mutated payloads get past the checksum. Accepted images
 * are also disassembled (to /dev/null), as `pathway disasm` would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "bc/bytecode.h"
#include "bc/code.h"
#include "fuzz_common.h"

static void fz_save_round_trip(const pw_program *prog, size_t input_len)
{
    pw_error err;
    void *first = NULL, *second = NULL;
    size_t n1 = 0, n2 = 0;
    if (pw_program_save(prog, &first, &n1, &err) != PW_OK)
        fz_die("pw_program_save: %s", err.message);
    if (n1 != input_len)
        fz_die("a loaded file of %zu bytes saves as %zu bytes", input_len, n1);
    pw_program *again = NULL;
    if (pw_program_load(first, n1, &again, &err) != PW_OK)
        fz_die("a saved program does not load back: %s", err.message);
    if (pw_program_save(again, &second, &n2, &err) != PW_OK)
        fz_die("pw_program_save (second): %s", err.message);
    if (n1 != n2 || memcmp(first, second, n1) != 0)
        fz_die("saving a program, loading and saving again gives different bytes (%zu and %zu)", n1, n2);
    pw_program_free(again);
    free(first);
    free(second);
}

/* The input with every section's checksum recomputed (sections are walked
 * as framed; a malformed frame ends the walk). Mutations nearly always break
 * a checksum, and the loader stops there; with the checksums made right
 * they reach the section readers and the verifier. NULL when nothing
 * changed. */
static uint8_t *fz_fix_checksums(const uint8_t *data, size_t size)
{
    uint8_t *fixed = NULL;
    size_t pos = PB_HEADER_LEN;
    while (size >= PB_HEADER_LEN && pos + PB_SECTION_HEADER_LEN <= size) {
        uint32_t len = pb_rd32(data + pos + 4);
        if (len > size - pos - PB_SECTION_HEADER_LEN)
            break;
        uint32_t crc = pb_crc32(data + pos + PB_SECTION_HEADER_LEN, len);
        if (crc != pb_rd32(data + pos + 8)) {
            if (!fixed) {
                fixed = malloc(size);
                if (!fixed)
                    fz_die("out of memory");
                memcpy(fixed, data, size);
            }
            for (int i = 0; i < 4; i++)
                fixed[pos + 8 + (size_t)i] = (uint8_t)(crc >> (8 * i));
        }
        pos += PB_SECTION_HEADER_LEN + (size_t)len;
    }
    return fixed;
}

static void fz_one(const uint8_t *data, size_t size);

/* The listing of every image that loads (`pathway disasm` prints it for any
 * file the loader accepts), written to /dev/null: a harness static, opened
 * once. */
static void fz_disasm(const pw_program *prog)
{
    static FILE *null;
    if (!null && !(null = fopen("/dev/null", "w")))
        fz_die("cannot open /dev/null");
    pb_disasm(pt_program_image(prog), null, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_one(data, size);
    uint8_t *fixed = fz_fix_checksums(data, size);
    if (fixed) {
        fz_one(fixed, size);
        free(fixed);
    }
    return 0;
}

/* Loads the bytes and, when they load, runs everything on the program. */
static void fz_one(const uint8_t *data, size_t size)
{
    pw_program *prog = NULL;
    pw_error err;
    pw_status st = pw_program_load(data, size, &prog, &err);
    if (st != err.status)
        fz_die("pw_program_load returned %d but its pw_error says %d", (int)st, (int)err.status);
    if (st != PW_OK) {
        if (prog)
            fz_die("pw_program_load failed but gave a program");
        if (st != PW_ERR_FORMAT && st != PW_ERR_NOMEM)
            fz_die("pw_program_load failed with status %d: %s", (int)st, err.message);
        return;
    }

    fz_buf out = {0};
    fz_describe(prog, &out);
    fz_disasm(prog);

    pw_context *ctx = NULL;
    st = pw_context_new(prog, &ctx, &err);
    if (st == PW_OK) {
        fz_set_budget(ctx, FZ_BUDGET);
        for (size_t d = 0; d < FZ_NDATES; d++)
            fz_evaluate(ctx, prog, fz_date(d), 32, false, &out);
        if (pw_context_set_json(ctx, fz_coaches[2], strlen(fz_coaches[2]), &err) == PW_OK)
            for (size_t d = 0; d < 2; d++)
                fz_evaluate(ctx, prog, fz_date(d), 32, false, &out);
        fz_ops ops = {0};
        size_t tail = size < 128 ? size : 128;
        fz_gen_facts(prog, data + size - tail, tail, &ops);
        if (pw_context_reset(ctx, &err) != PW_OK)
            fz_die("pw_context_reset: %s", err.message);
        fz_apply(ctx, &ops, &out);
        for (size_t d = 0; d < 2; d++)
            fz_evaluate(ctx, prog, fz_date(d), 32, false, &out);
        fz_ops_free(&ops);
        pw_context_free(ctx);
    } else if (st != PW_ERR_NOMEM) {
        fz_die("pw_context_new failed with status %d: %s", (int)st, err.message);
    }

    fz_save_round_trip(prog, size);
    fz_buf_free(&out);
    pw_program_free(prog);
}
