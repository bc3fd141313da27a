/* What the parts of the rule-test library share. */
#ifndef PR_RULETEST_INT_H
#define PR_RULETEST_INT_H

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "check/check.h"
#include "front/ast.h"
#include "ruletest.h"

struct cJSON;

/* ---- strings (strings.c) ------------------------------------------------------ */

/* A malloc'd copy; NULL for NULL, and NULL when memory runs out. */
char *pr_dup(const char *s);
/* Seconds on the monotonic clock, for the reports' timings. */
double pr_now(void);
bool pr_strings_has(const pr_strings *s, const char *text);
/* The values of `known name = [...]` (or of `extend known name with [...]`)
 * when d is that declaration: the first item, linked through `next`; else
 * NULL. A known list and its extensions are several declarations. */
const pa_expr *pr_known_items(const pa_decl *d, const char *name);
/* "eligible", "not eligible", ... as tests write a verdict. */
const char *pr_verdict_word(pw_verdict v);
/* Makes room for one more element of `size` bytes in an array with n used of
 * *cap allocated: returns the (possibly moved) array, or NULL when memory runs
 * out (the old array is then still valid). */
void *pr_reserve(void *items, size_t *cap, size_t n, size_t size);

/* ---- positions (strings.c) ----------------------------------------------------- */

typedef struct pr_pos {
    const char *file;   /* as the user or the include named it */
    const char *key;    /* resolved path: one file, however it was reached */
    unsigned line, column;
} pr_pos;
pr_pos pr_position(const pt_tree *tree, ps_span span);

/* ---- facts from examples (examples.c) ------------------------------------------ */

/* The facts a test gives: its example chain resolved (the base first, then
 * each `with` replacing top-level fields) and turned into the JSON object a
 * coach record would be. PW_ERR_FACTS with a message when the chain cannot be
 * resolved or holds an integer JSON cannot carry exactly; PW_ERR_NOMEM. */
pw_status pr_build_facts(const pt_tree *tree, const pa_facts_ref *ref, struct cJSON **out,
                         pw_error *err);
/* Sets (or replaces, in its place) the field `name` of a JSON object to
 * `item`, which it takes (NULL is memory that ran out). False when memory
 * runs out: the field is then as it was. */
bool pr_json_set(struct cJSON *obj, const char *name, struct cJSON *item);

/* ---- value expectations (value.c) ---------------------------------------------- */

/* Arguments a test passes at most (a definition with more is an error). */
#define PR_MAX_ARGS 32
/* Runs `expect NAME(args) = value` on the facts in ctx as of as_of: sets
 * *holds, and fills f's value_expected, value_actual, or error (a runtime
 * error). False only when memory runs out. */
bool pr_check_value(const pt_tree *tree, pw_context *ctx, const pa_expect *x, pw_date as_of,
                    pr_failure *f, bool *holds);

/* ---- running (run.c) ------------------------------------------------------------ */

/* pr_run_file with one file's text taken from memory (a mutant). */
pw_status pr_run_file_overlay(const char *path, const pw_compile_options *options,
                              const pt_overlay *overlay, pr_coverage *cov, pr_file *out, pw_error *err);

/* ---- suggested tests (mutate_suggest.c) ---------------------------------------- */

/* The rules as written and the tests of one file, compiled once. */
typedef struct pr_suggester pr_suggester;
pw_status pr_suggester_new(const char *path, const pw_compile_options *quiet, pr_suggester **out,
                           pw_error *err);
void pr_suggester_free(pr_suggester *s);
/* Compiles the mutant (`ov` over the suggester's file) and searches the
 * tests' coaches and days for one where it and the rules disagree: sets
 * out->witness and out->suggestion, or out->no_witness. Fails only when
 * memory runs out. */
pw_status pr_suggest(pr_suggester *s, const pt_overlay *ov, const pw_compile_options *quiet, pr_mutant *out,
                     pw_error *err);

/* ---- coverage (coverage.c) ------------------------------------------------------- */

/* Registers every program version of a compiled tree (merging with those a
 * previous compilation of the same file registered); map[p] gets the entry of
 * program p. */
pw_status pr_coverage_register(pr_coverage *cov, const pt_tree *tree, size_t *map, pw_error *err);
/* Records what the last evaluation of program p in ctx saw. */
void pr_coverage_mark(pr_coverage *cov, size_t entry, const pw_program *program,
                      const pw_context *ctx, size_t p);

#endif
