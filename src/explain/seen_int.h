/* What seen.c and total.c share: computed totals. A `sum` or `count` over
 * a list of the facts is found in the code (its shape is the code
 * generator's, gen_expr.c pk_quant) and run by the VM, as a whole and one
 * entry at a time, so that explain can say which entries counted and what
 * each added. */
#ifndef PX_SEEN_INT_H
#define PX_SEEN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "explain.h"

enum { PX_SUM = 1, PX_COUNT = 2 };

/* A total in a function's code. */
typedef struct px_quant {
    uint8_t kind;        /* PX_SUM or PX_COUNT */
    uint32_t start, end; /* its code: the first byte, and the byte after it */
    uint32_t slot;       /* the facts field (a list of records) it runs over */
    int32_t field;       /* PX_SUM: the entries' field it adds, or -1 */
    pb_type type;        /* integer or number */
} px_quant;

/* Whether the code of a function (ending at `end`, with `nparams`
 * parameters) holds a total starting at byte `pc` that reads no local it
 * does not write but the parameters; *q says which. */
bool px_quant_at(const pb_image *img, size_t pc, size_t end, uint32_t nparams, px_quant *q);
/* Whether function `func` is one total and nothing else (`define points =
 * sum c.points for c in courses where ...`). */
bool px_quant_func(const pb_image *img, uint32_t func, px_quant *q);

/* Runs totals on their own. The image is the program's, with each total
 * found inside a requirement's code (`(sum ...) >= 20`) appended as a
 * function of its own (the code is copied: its jumps are relative), and a
 * VM state of its own that remembers nothing, since the runs below see
 * facts with one entry of a list only. Allocated here, not by the VM. */
typedef struct px_runner {
    pb_image img;
    uint8_t *code;
    pb_func *funcs;
    pv_state st;
    pv_value *root; /* the facts' fields, one list cut to one entry */
    bool rejected;  /* the totals on their own did not pass the verifier */
} px_runner;

/* nq totals of the code of function `owner` (its parameters are theirs)
 * become functions img->nfuncs + 0 .. nq-1, when the image with them
 * passes the verifier (pb_verify); else r->rejected is set and r holds
 * nothing. False when out of memory. */
bool px_runner_init(px_runner *r, const pb_image *img, uint32_t owner, const px_quant *qs, size_t nq);
void px_runner_fini(px_runner *r);

/* For total `q`, the whole of function `func` of the runner's image, called
 * with `args` on `day`: the entries of its list that add something, each
 * as the entry's text followed by " adds N" for a sum, in list order.
 * Nothing when an entry's part cannot be told from the total alone (the
 * code reads the list again, or calls a definition that does) or a run
 * fails. False only when out of memory. */
bool px_total_entries(px_runner *r, const pw_context *ctx, uint32_t func, const px_quant *q,
                      const pv_value *args, pw_date day, pm_arena *a, const char ***out, size_t *n);

/* seen.c: a value and a list entry as explain shows them. */
void px_value_text(const pw_context *ctx, pb_type t, const pv_value *v, char *buf, size_t n);
const char *px_entry_text(pm_arena *a, const pw_context *ctx, uint32_t rec, const pv_value *fields,
                          const char *suffix);

#endif
