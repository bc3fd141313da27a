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

/* A remembered call: a definition's result for its arguments, on the facts
 * and the day of the current memo epoch (see pv_memo_init). */
#define PV_MEMO_ARGS 2  /* definitions with more parameters are not remembered */
#define PV_MEMO_WAYS 16 /* entries per definition with parameters */
typedef struct pv_memo {
    uint32_t epoch;       /* valid while equal to pv_state.memo_epoch */
    uint64_t cost;        /* instructions the call took, its RET included */
    pv_value args[PV_MEMO_ARGS];
    pv_value result;
} pv_memo;

/* Where a CALL returns to (the VM's own bookkeeping). */
typedef struct pv_return {
    const uint8_t *pc;    /* the instruction after the CALL */
    pv_value *base;       /* the caller's locals */
    pv_memo *memo;        /* where to remember the result, or NULL */
    uint64_t start;       /* instructions executed when the call began */
} pv_return;

typedef struct pv_state {
    const pb_image *img;
    pv_value *stack;      /* img->max_frame values */
    uint8_t *outcomes;    /* img->max_reqs entries, pv_outcome */
    pv_return *calls;     /* img->max_calls return points */
    uint64_t budget;      /* instructions per program evaluation */
    uint64_t executed;    /* instructions executed by the last run */
    /* Remembered calls (NULL unless pv_memo_init was called). */
    pv_memo *memo;
    size_t memo_count;    /* entries in memo */
    uint32_t *memo_class; /* per function: the first function with the same code */
    uint32_t *memo_first; /* per class: its first entry in memo */
    uint8_t *memo_ways;   /* per function: its class's entries (0: not remembered) */
    uint32_t memo_epoch;
    int32_t memo_today;   /* the day the current epoch's results hold for */
    /* The day window (pv_window_open): the days around the evaluation date
     * on which the runs since it was opened take every branch they took. */
    bool track;
    int32_t win_lo, win_hi;
    /* Counts of units between a marked date and another (BETWEEN) while
     * the window is open: each such integer is pushed marked with its entry
     * here (pv_window_open), and narrows the window only where it is used:
     * to the days on which a comparison with it comes out the same, or,
     * used any other way, on which it has the same value. */
    struct pv_run {
        int32_t other;  /* the unmarked date */
        uint8_t right;  /* the marked date is the second operand */
        uint8_t unit;   /* pu_unit */
        int64_t lo, hi; /* the count clamped to [lo, hi] (MAX_INT/MIN_INT) */
    } runs[16];
    uint32_t nruns;
    /* Builds with PV_STATS (cmake -DPATHWAY_STATS=ON) count each executed
     * pair of opcodes here, (PB_OP_COUNT + 1) rows of PB_OP_COUNT, the last
     * row for a function's first instruction, and pv_fini appends them to
     * the file named by $PATHWAY_STATS. Always declared, so that the layout
     * does not depend on the option; NULL otherwise. */
    uint64_t *pairs;
} pv_state;

/* Day windows, for tools that evaluate one requirement day after day
 * (explain's scans). Between pv_window_open and pv_window_close the VM
 * notes, for the runs it makes, the days on which they would come out the
 * same: the evaluation date is pushed marked (PUSH_TODAY), each comparison
 * of a marked date with one that does not depend on the day narrows
 * [win_lo, win_hi] to the days on which that comparison gives what it gave,
 * a shifted marked date (DATE_ADD) narrows it to the evaluation date alone,
 * and a count between a marked date and another (BETWEEN: `age` is one) is
 * pushed marked too (pv_state.runs): compared with a value that does not
 * depend on the day, it narrows the window to the days on which the
 * comparison comes out the same (`age >= 18`: from the 18th birthday on,
 * not one year); used any other way, to the days on which it is the same. Everything else a run computes
 * depends on the facts only, so on every day of the window the runs repeat
 * exactly. Remembered calls are not used meanwhile (their comparisons would
 * go unseen). Costs nothing while closed but one test per date comparison. */
static inline void pv_window_open(pv_state *st)
{
    st->track = true;
    st->win_lo = INT32_MIN;
    st->win_hi = INT32_MAX;
    st->nruns = 0;
}
static inline void pv_window_close(pv_state *st)
{
    st->track = false;
}

/* What an instruction does with a count marked while a day window is open
 * (pv_state.runs), for the check that every instruction is accounted for:
 * the window is exact only if each instruction that reads an integer
 * narrows it for a marked one (PV_COUNT_READ), the instructions that move
 * values whole keep the mark (PV_COUNT_MOVE), and the rest take no integer.
 * A switch without a default: a new opcode does not compile (-Wswitch)
 * until it is given its role here, and unit.test_window checks the roles
 * against the operand shapes of the opcode table. */
typedef enum pv_count_role { PV_COUNT_NONE, PV_COUNT_MOVE, PV_COUNT_READ } pv_count_role;
pv_count_role pv_window_count_role(unsigned op); /* a pb_op */

/* Day numbers far beyond any date facts or date arithmetic can produce, but
 * small enough that the calendar code's arithmetic cannot overflow. A host
 * passing a wild `today` or date gets an error rather than undefined
 * behaviour; the compiled rules (src/native) give up at the same limit. */
#define PV_DAY_LIMIT 4000000

#define PV_DEFAULT_BUDGET 10000000u

/* Returns false when out of memory. */
bool pv_init(pv_state *st, const pb_image *img);
void pv_fini(pv_state *st);

/* Remembering calls. A function's result depends only on the facts, the
 * day and its arguments, and the same definitions (`age`, `member("usatf")`)
 * are called by requirement after requirement of program after program,
 * whose requirements are often the same code too ("USATF membership" in
 * seven programs). After pv_memo_init the VM keeps the result of each call
 * and of each requirement it evaluates, and reuses it for an equal call
 * until pv_memo_forget, which the owner must call whenever the facts change;
 * a different day forgets by itself. Functions with the same code share
 * what they remember. A function of at most PV_MEMO_ARGS parameters has
 * PV_MEMO_WAYS entries, one argument list to an entry (one entry without
 * parameters). Only calls that returned are remembered, and a reused call
 * counts the instructions it took when it ran, against the same budget, and
 * is run again when that would exceed the budget: results, errors and their
 * positions are exactly those without memory. pv_memo_init allocates every
 * entry; evaluating still allocates nothing. Returns false when out of
 * memory. */
bool pv_memo_init(pv_state *st);
void pv_memo_forget(pv_state *st);

/* Evaluates program `prog` against the facts record `facts` (the fields of
 * record 0, in order) as of day `today`. On success returns true, sets
 * *eligible (every top-level `require` in force met) and leaves the outcome
 * of each requirement node of the program in st->outcomes[0 .. nreqs). A
 * requirement outside its effective period is PV_NOT_IN_FORCE and counts
 * neither way; a program outside its own period is not evaluated at all
 * (every node PV_NOT_EVALUATED, *eligible false): callers check
 * pv_force_at first to say why. Outside the program's enrolment window
 * (opens..closes) the requirements are evaluated as usual but *eligible is
 * false: pv_force_at on the window says whether it is not yet open or
 * closed. On a runtime
 * error (integer overflow, instruction budget) returns false with err set. */
bool pv_run(pv_state *st, const pv_value *facts, int32_t today, uint32_t prog,
            bool *eligible, pv_error *err);
/* pv_run with the outcomes written to `outcomes` (the program's nreqs
 * entries) instead of st->outcomes: a host keeping every program's
 * outcomes side by side (pw_evaluate_all) needs no copy. On a runtime
 * error the entries hold what the run had reached. */
bool pv_run_into(pv_state *st, const pv_value *facts, int32_t today, uint32_t prog, uint8_t *outcomes,
                 bool *eligible, pv_error *err);

/* Several programs in one call: what pv_run_into gives program by
 * program, with the setup done once. `progs` lists the n programs to run,
 * in order, each below img->nprogs (the caller checks), or is NULL for the
 * first n (every program: n = img->nprogs). `outcomes` holds img->nreqs
 * entries (program p's from its first_req), `eligible` img->nprogs. On a
 * runtime error returns false with *failed the position in the list of the
 * program that failed and err (not NULL) set as pv_run would; the programs
 * before it have their results, those after it are not touched. */
bool pv_run_all(pv_state *st, const pv_value *facts, int32_t today, const size_t *progs, size_t n,
                uint8_t *outcomes, uint8_t *eligible, size_t *failed, pv_error *err);

/* Calls function `func` with its nparams arguments `args` (of the parameter
 * types) and stores its result in *result. For tests, tools and hosts that
 * evaluate a single definition; shares pv_run's budget and errors. */
bool pv_call(pv_state *st, const pv_value *facts, int32_t today, uint32_t func,
             const pv_value *args, pv_value *result, pv_error *err);

#endif
