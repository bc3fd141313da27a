/* Why, when and how (px_): explanations, eligibility over time and pathway
 * plans, over the public API and the runtime's VM. Everything here decides
 * by evaluating the compiled rules day by day with the context's VM, the
 * same code pw_evaluate runs, so the answers agree with `pathway eval` on
 * every day by construction. The public entry points (pw_explain, pw_when,
 * pw_plan_find) are in api.c; the command line calls the px_ functions with
 * records it has already parsed. */
#ifndef PX_EXPLAIN_H
#define PX_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "util/arena.h"

struct cJSON;

/* The days a question looks at: as_of .. last, and for explain as far back
 * as first. */
typedef struct px_span {
    pw_date as_of, first, last;
} px_span;

/* Resolves the options (NULL: today and the default horizon) to a span;
 * PW_ERR_USAGE for a horizon out of range or days past the calendar. */
pw_status px_span_of(const pw_explain_options *o, px_span *span, pw_error *err);

/* ---- one day (day.c) -------------------------------------------------------- */

/* The verdict of the version of `first` (any version of a program) that
 * applies on `day`, by pw_evaluate: exactly what `pathway eval --as-of day`
 * reports. *version gets the version evaluated. */
pw_status px_verdict_at(pw_context *ctx, size_t first, pw_date day, size_t *version, pw_verdict *v,
                        pw_error *err);

/* Whether requirement node `node` (of version `version`, as
 * pw_requirement_info counts) holds on `day`, evaluated in full: every
 * member of a group is evaluated, unlike pw_evaluate, which stops once a
 * group is decided. Counts are those of the VM (members not in force count
 * neither way). *met and *members get a group's counts (may be NULL). */
pw_status px_holds_at(pw_context *ctx, size_t version, size_t node, pw_date day, pw_outcome *out,
                      unsigned *met, unsigned *members, pw_error *err);

/* Like px_holds_at, whether or not the program version is in force on
 * `day` (the requirement's own period still counts): for what a
 * requirement would give on days outside its program's period. */
/* What explain's day-by-day scans learn about one record: per function
 * whether it (or a callee) looks at the evaluation date, per requirement
 * node the outcome of a leaf that does not (the same on every day). */
typedef struct px_memo {
    uint8_t *func; /* img->nfuncs: the context's (pt_context_func_notes) */
    uint8_t *leaf; /* img->nreqs */
} px_memo;
bool px_memo_init(px_memo *m, pw_context *ctx, pm_arena *a);
/* px_holds_at, with leaves that never look at the date evaluated once. */
pw_status px_holds_at_memo(pw_context *ctx, px_memo *m, size_t version, size_t node, pw_date day,
                           pw_outcome *out, unsigned *met, unsigned *members, pw_error *err);
/* For node i of program p: the first day after d in the direction of step
 * (+1 or -1) on which a period (the program's, the node's or a member's)
 * starts or ends, so that the node's holding may differ from d's for that
 * reason alone. PW_DATE_MAX / PW_DATE_MIN when there is none. */
pw_date px_next_change(const pb_image *img, const pb_prog *p, uint32_t i, pw_date d, int step);
/* For a verdict of program `first` on day d (version `ver`): the first day
 * after d on which a version or one of ver's requirements starts or ends. */
pw_date px_next_version_change(const pb_image *img, size_t first, size_t ver, pw_date d);
/* Day windows (pv_window_open): after an evaluation on day d made with the
 * window open, every day up to the window's end gives what d gave, unless a
 * period changes first (`boundary`, from the two functions above). The next
 * day worth evaluating in the direction of step; PW_DATE_MAX / PW_DATE_MIN
 * or beyond when there is none. */
int64_t px_after_window(const struct pv_state *vm, int step, pw_date boundary);
pw_status px_node_at(pw_context *ctx, size_t version, size_t node, pw_date day, pw_outcome *out, pw_error *err);

/* ---- what a requirement looked at (seen.c) -------------------------------- */

/* The values leaf `node` of `version` looked at on `day`, read from its
 * bytecode (calls with constant arguments, facts fields, comparisons with
 * constants) and computed by the VM; and, when `then` is a day, their values
 * on that day too. Allocated from `a`. */
pw_status px_seen(pw_context *ctx, size_t version, size_t node, pw_date day, pw_date then,
                  pm_arena *a, pw_seen **out, size_t *n, pw_error *err);

/* ---- the three questions ------------------------------------------------- */

/* The facts are already in ctx (the record's id in `coach`, may be NULL). */
pw_status px_explain(pw_context *ctx, const char *coach, const pw_explain_options *o, pw_explanation **out,
                     pw_error *err);
pw_status px_when(pw_context *ctx, const char *coach, const char *program_id, const pw_explain_options *o,
                  pw_eligibility **out, pw_error *err);
/* Plans need the record itself: each step's certificate is added to a copy
 * of it and the copy loaded as pw_context_set_json loads a record. */
pw_status px_plan(pw_context *ctx, const struct cJSON *record, const char *target,
                  const pw_explain_options *o, pw_plan **out, pw_error *err);
/* Replays a plan: evaluates each step's program on its enrolment day, with
 * the certificates of the steps before it, by pw_evaluate, and checks that
 * the only requirements unmet are those the step says the coach must
 * arrange. PW_OK when every step holds; PW_ERR_EVAL naming the step when
 * one does not. */
pw_status px_plan_replay(pw_context *ctx, const struct cJSON *record, const pw_plan *plan, pw_error *err);

/* ---- rendering (render.c) ------------------------------------------------ */

/* A person's report (text) or one JSON object (json: a line, no newline
 * inside), appended to *buf (malloc'd, grown; *len its length). False when
 * out of memory. */
bool px_render_explain(const pw_explanation *e, bool json, char **buf, size_t *len, size_t *cap);
bool px_render_when(const pw_eligibility *e, bool json, char **buf, size_t *len, size_t *cap);
bool px_render_plan(const pw_plan *p, bool json, char **buf, size_t *len, size_t *cap);

/* ---- helpers (util.c) ---------------------------------------------------- */

/* "YYYY-MM-DD" in an arena; NULL when out of memory. */
const char *px_date_text(pm_arena *a, pw_date d);
/* The record's `id` when it is text, else NULL. */
const char *px_coach_id(const struct cJSON *record);
/* The same of the facts in a context: its `id` field when the facts declare
 * one of type text and it is not absent (what px_coach_id finds in the
 * facts copied to JSON), else NULL. */
const char *px_context_coach_id(pw_context *ctx);
/* Turns a VM error of the last evaluation into a pw_error. */
pw_status px_fail_nomem(pw_error *err);

#endif
