/* The evaluator. One pv_state per thread and image: it owns the value stack and
 * the requirement outcomes, both sized once from the image, so evaluation never
 * allocates. The image is only read. */
#ifndef PV_VM_H
#define PV_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "../bc/image.h"

typedef enum pv_outcome {
    PV_NOT_EVALUATED = 0, /* skipped: a group was already decided */
    PV_MET = 1,
    PV_UNMET = 2,
    PV_NOT_IN_FORCE = 3   /* outside the requirement's effective period */
} pv_outcome;

typedef enum pv_force { PV_IN_FORCE = 0, PV_NOT_YET, PV_WITHDRAWN } pv_force;

/* Whether a period (pb_prog / pb_req from..until, both days included) holds
 * on day `today`. */
static inline pv_force pv_force_at(int32_t from, int32_t until, int32_t today)
{
    return today < from ? PV_NOT_YET : today > until ? PV_WITHDRAWN : PV_IN_FORCE;
}

typedef struct pv_error {
    char message[256];
    uint32_t line, col; /* source position of the failing code, 0 if unknown */
    uint32_t file;      /* string id of the source file, or PB_NO_STRING */
} pv_error;

/* Where a CALL returns to (the VM's own bookkeeping). */
typedef struct pv_return {
    const uint8_t *pc;    /* the instruction after the CALL */
    pv_value *base;       /* the caller's locals */
} pv_return;

typedef struct pv_state {
    const pb_image *img;
    pv_value *stack;      /* img->max_frame values */
    uint8_t *outcomes;    /* img->max_reqs entries, pv_outcome */
    pv_return *calls;     /* img->max_calls return points */
    uint64_t budget;      /* instructions per program evaluation */
    uint64_t executed;    /* instructions executed by the last run */
} pv_state;

#define PV_DEFAULT_BUDGET 10000000u

/* Returns false when out of memory. */
bool pv_init(pv_state *st, const pb_image *img);
void pv_fini(pv_state *st);

/* Evaluates program `prog` against the facts record `facts` (the fields of
 * record 0, in order) as of day `today`. On success returns true, sets
 * *eligible (every top-level `require` in force met) and leaves the outcome
 * of each requirement node of the program in st->outcomes[0 .. nreqs). A
 * requirement outside its effective period is PV_NOT_IN_FORCE and counts
 * neither way; a program outside its own period is not evaluated at all
 * (every node PV_NOT_EVALUATED, *eligible false): callers check
 * pv_force_at first to say why. On a runtime
 * error (integer overflow, instruction budget) returns false with err set. */
bool pv_run(pv_state *st, const pv_value *facts, int32_t today, uint32_t prog,
            bool *eligible, pv_error *err);

/* Calls function `func` with its nparams arguments `args` (of the parameter
 * types) and stores its result in *result. For tests, tools and hosts that
 * evaluate a single definition; shares pv_run's budget and errors. */
bool pv_call(pv_state *st, const pv_value *facts, int32_t today, uint32_t func,
             const pv_value *args, pv_value *result, pv_error *err);

#endif
