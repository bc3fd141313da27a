/* The lint: static analysis of a rule file that compiles. It reads the
 * checked tree (pt_compile_tree) and reports, as diagnostics with stable
 * codes (PW1xx, docs/lint.md), what the compiler accepts but is most likely
 * a mistake: declarations nothing uses, requirements that can never be met
 * or are always met, requirements implied by others, comparisons the
 * declared bounds decide, text that is not a known value, programs no
 * coach can ever become eligible for, duplicates, and missing citations.
 *
 * Findings are reported only for the file being linted (the root): a file
 * it includes is linted when it is named itself, as `pathway test` runs
 * only the root's tests. Comments in the root may silence a finding
 * (`# lint: ignore PW112 -- reason`), and must give a reason.
 *
 * Nothing here prints: findings come back as a pd_list that the diagnostic
 * renderers (text, JSON, SARIF) print. */
#ifndef PL_LINT_H
#define PL_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "pathway.h"

/* Where each rule is documented: the docs/lint.md anchors are #pw101 ...
 * The command is built with the CMake cache variable PATHWAY_DOCS_URL
 * (ending in `/`), which defines PL_HOMEPAGE; a release points it at its
 * repository's tree at the release tag (docs/lint.md, "SARIF and GitHub
 * code scanning"). The default is a placeholder. */
#ifndef PL_HOMEPAGE
#define PL_HOMEPAGE "https://pathway.example/"
/* Whether conditions a and b (expressions of the checked `tree`; b may be a
 * copy of a with one node changed, sharing the rest) hold for exactly the
 * same values of what they read, within the declared ranges: true only with
 * a proof (src/lint/equiv.c). For mutation testing's equivalent mutants.
 * *oom set when memory ran out (then false). */
struct pt_tree;
struct pa_expr;
bool pl_conditions_equivalent(const struct pt_tree *tree, const struct pa_expr *a, const struct pa_expr *b,
                              bool *oom);

#endif
#define PL_HELP_URI PL_HOMEPAGE "docs/lint.md"

/* Every rule the lint reports, in code order. */
const pd_rule *pl_rules(size_t *count);
/* The rule of a code, or NULL. */
const pd_rule *pl_rule(const char *code);

typedef struct pl_counts {
    unsigned errors, warnings, notes;
} pl_counts;

/* Called once per file that compiles, with its findings (possibly none),
 * sorted by place, while the sources they point into are alive. */
typedef void (*pl_emit_fn)(void *user, const pd_list *findings, ps_sources *src);

/* Compiles `path` (compile diagnostics go through `options` as for
 * pw_compile_file), lints it and hands the findings to `emit`; adds them to
 * *counts. Returns PW_ERR_COMPILE, without calling `emit`, when the file
 * does not compile; PW_ERR_NOMEM when memory runs out. */
pw_status pl_lint_file(const char *path, const pw_compile_options *options, pl_emit_fn emit, void *user,
                       pl_counts *counts, pw_error *err);

/* Whether conditions a and b (expressions of the checked `tree`; b may be a
 * copy of a with one node changed, sharing the rest) hold for exactly the
 * same values of what they read, within the declared ranges: true only with
 * a proof (src/lint/equiv.c). For mutation testing's equivalent mutants.
 * *oom set when memory ran out (then false). */
struct pt_tree;
struct pa_expr;
bool pl_conditions_equivalent(const struct pt_tree *tree, const struct pa_expr *a, const struct pa_expr *b,
                              bool *oom);

#endif
