/* Pathway: the interface between the library and a rule set compiled to C
 * (`pathway compile RULES --emit c -o rules.c`, docs/embedding.md).
 *
 * The generated file includes this header only, defines one descriptor,
 * `const pw_native pathway_native_rules`, and calls the pw_native_* date
 * helpers below. A host compiles it, links it with libpathway and hands the
 * descriptor to pw_program_use_native (pathway.h); pw_evaluate_all then runs
 * the generated code, and the VM only for a program on which the generated
 * code gave up (a runtime error or the instruction budget: the VM then
 * reports exactly what it always does). */
#ifndef PATHWAY_NATIVE_H
#define PATHWAY_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pathway.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Raised whenever the layout below or the meaning of a run changes. */
#define PW_NATIVE_ABI 1

/* One value, laid out as the library's own (16 bytes): integer, number,
 * date (day number), text (string id of the rule set), boolean, or a list
 * (its first element or field, and in count its length). */
typedef struct pw_native_value {
    union {
        int64_t i;
        double n;
        int32_t d;
        uint32_t s;
        bool b;
        const struct pw_native_value *items;
    } as;
    uint32_t count;
    uint8_t none; /* 1: absent */
} pw_native_value;

/* One evaluation of every program for one coach on one day. The library
 * fills the inputs and provides the outputs. */
typedef struct pw_native_run {
    const pw_native_value *facts; /* the facts record's fields */
    int32_t today;
    uint64_t budget;              /* instructions per program, as the VM counts them */
    uint8_t *outcomes;            /* every requirement node of the rule set (pw_outcome) */
    uint8_t *eligible;            /* per program: 0 or 1 */
    uint8_t *fallback;            /* per program: 1 when the VM must evaluate it */
    void *scratch;                /* scratch_size bytes (malloc-aligned) the entry may use */
} pw_native_run;

typedef struct pw_native {
    uint32_t abi;        /* PW_NATIVE_ABI of the generating release */
    uint32_t nprogs;     /* programs of the rule set */
    uint32_t nreqs;      /* requirement nodes, all programs */
    uint64_t image_hash; /* of the bytecode it was generated from */
    size_t scratch_size; /* bytes of pw_native_run.scratch (what it remembers during a run) */
    void (*entry)(pw_native_run *run);
} pw_native;

/* Date arithmetic for generated code, exactly the VM's. Each returns false
 * when the VM would stop with an error (the generated code then falls back).
 * unit: 0 days, 1 months, 2 years. */
PW_API bool pw_native_date_add(int32_t day, int64_t n, unsigned unit, int32_t *out);
PW_API bool pw_native_between(int32_t a, int32_t b, unsigned unit, int64_t *out);
PW_API bool pw_native_date_part(int32_t day, unsigned unit, int64_t *out);
PW_API bool pw_native_date_make(int64_t y, int64_t m, int64_t d, int32_t *out);
PW_API bool pw_native_date_next(int32_t from, int64_t m, int64_t d, int32_t *out);

#ifdef __cplusplus
}
#endif

#endif
