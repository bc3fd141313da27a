/* Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c): fixed coach
 * records and dates, facts generated from fuzzer bytes to fit any rule set's
 * facts record, and a text "snapshot" of everything the public API says about
 * a program and an evaluation, so that two programs (compiled and reloaded)
 * can be compared byte for byte. Every check that fails prints what it saw
 * and calls abort(), which libFuzzer reports as a crash with the input. */
#ifndef PW_FUZZ_COMMON_H
#define PW_FUZZ_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "pathway.h"

/* libFuzzer's entry point; replay_main.c calls it too. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- fixed inputs ----------------------------------------------------------- */

/* Coach records (JSON) in the shape of rules/common/coach.pw. Other rule sets
 * reject them with a facts error, which is fine: the error is compared. */
extern const char *const fz_coaches[];
extern const size_t fz_ncoaches;

/* Evaluation dates: an ordinary day, a leap day, and both ends of the
 * calendar the language allows (date arithmetic overflows there). */
#define FZ_NDATES 4
pw_date fz_date(size_t i);

/* Instructions per program evaluation in the harnesses: enough for every
 * shipped rule set many times over, small enough that a rule with deeply
 * nested quantifiers cannot turn one input into a timeout. */
#define FZ_BUDGET 200000u
/* Sets ctx's instruction budget (pw_context_set_limits). */
void fz_set_budget(pw_context *ctx, uint64_t budget);

/* A NUL-terminated malloc'd copy of the fuzzer's bytes (NULL on OOM). */
char *fz_strndup(const uint8_t *data, size_t size);

/* ---- a text buffer ---------------------------------------------------------- */

typedef struct fz_buf {
    char *p;
    size_t len, cap;
} fz_buf;

void fz_printf(fz_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void fz_buf_free(fz_buf *b);

/* Prints `what`, the two buffers' first differing line and both in full, then
 * aborts when they differ. */
void fz_same(const char *what, const fz_buf *a, const fz_buf *b);
/* Prints the message and aborts. */
void fz_die(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2), noreturn))
#endif
    ;

/* ---- facts from bytes -------------------------------------------------------- */

typedef enum fz_op_kind {
    FZ_SET_INT,
    FZ_SET_NUM,
    FZ_SET_BOOL,
    FZ_SET_TEXT,
    FZ_SET_DATE,
    FZ_SET_NONE,
    FZ_ADD
} fz_op_kind;

/* One field-by-field call. Text points into the program's strings or at a
 * literal, so an op list lives as long as the program. */
typedef struct fz_op {
    fz_op_kind kind;
    char path[128];
    int64_t i;
    double n;
    const char *s;
    pw_date d;
} fz_op;

typedef struct fz_ops {
    fz_op *op;
    size_t n, cap;
} fz_ops;

/* Field-by-field calls that give `program`'s facts record values chosen by
 * `bytes` (read from the start; zeros once they run out): every field of the
 * record, lists of up to three elements with their fields, texts taken from
 * the program's own strings (so they match what the rules compare with),
 * integers, numbers and dates near the interesting edges. Some fields are
 * left unset, some set to none. */
void fz_gen_facts(const pw_program *program, const uint8_t *bytes, size_t n, fz_ops *out);
void fz_ops_free(fz_ops *ops);
/* Applies the ops to ctx in order; logs each call's status and message. */
void fz_apply(pw_context *ctx, const fz_ops *ops, fz_buf *log);

/* ---- snapshots --------------------------------------------------------------- */

/* Everything the describing API returns: programs, titles, periods, versions
 * at each of the dates, requirement nodes; plus out-of-range queries. */
void fz_describe(const pw_program *program, fz_buf *out);

/* Evaluates every program (at most `max_progs`) of ctx's program on `date`,
 * one by one and with pw_evaluate_all, and logs each status, message and the
 * full results. Checks that the results agree with one another (see
 * fz_check_results). When `compiled` is set the program came from the
 * compiler, so runtime errors the checker rules out are reported too. */
void fz_evaluate(pw_context *ctx, const pw_program *program, pw_date date, size_t max_progs,
                 bool compiled, fz_buf *out);

/* The invariants of one program's results after a successful evaluation:
 * the verdict agrees with eligibility and the program's period; in force,
 * every top-level node is decided; each group's outcome follows from its
 * members' (met once `need` members are met, members after the decision not
 * evaluated); the unmet, preferred and advice lists are exactly the unmet
 * top-level nodes of each role, in order. Aborts on a violation. */
void fz_check_results(const pw_context *ctx, const pw_program *program, size_t prog, pw_date date);

#endif
