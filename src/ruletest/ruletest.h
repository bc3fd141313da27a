/* Rule tests and assumptions: tools that read a rule file's checked tree, not
 * only its bytecode.
 *
 * `test "title" { as of D  given FACTS  expect ... }` declarations are run
 * against the compiled rules: each test's facts are built from its examples,
 * every program it names is evaluated as of its date, and the verdicts are
 * compared with the expectations. Results come back as data (pr_file); the
 * renderers write text or JUnit XML into a buffer. Nothing here prints.
 *
 * Coverage accumulates over any number of runs (a directory of rule files
 * compiles the same rules several times): a requirement is covered when some
 * test's evaluation saw it met and some saw it unmet. */
#ifndef PR_RULETEST_H
#define PR_RULETEST_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "pathway.h"

/* ---- results ---------------------------------------------------------------- */

typedef struct pr_strings {
    char **items;
    size_t n, cap;
} pr_strings;

/* Appends a copy of text. False when memory runs out. */
bool pr_strings_push(pr_strings *s, const char *text);
void pr_strings_fini(pr_strings *s);

typedef enum pr_status {
    PR_PASS = 0,
    PR_FAIL,   /* some expectation did not hold */
    PR_ERROR   /* the test could not run: bad facts, a runtime error */
} pr_status;

/* The label lists an expectation can pin exactly: unmet `require`s
 * (`unmet`), unmet `prefer`s (`prefer unmet`), advice shown (`advise`). */
typedef enum pr_list { PR_UNMET = 0, PR_PREFERRED, PR_ADVICE, PR_AWAITING, PR_NLISTS } pr_list;

typedef struct pr_labels {
    bool given;              /* written in the expectation: `expected` is exact */
    pr_strings expected;
    pr_strings actual;       /* what the evaluation gave, in declaration order */
    pr_strings missing;      /* expected, but not there */
    pr_strings unexpected;   /* there, but not expected */
} pr_labels;

/* One expectation that did not hold (or could not be evaluated). */
typedef struct pr_failure {
    char *program;           /* as the expectation names it */
    unsigned line, column;   /* of the expectation */
    pw_verdict expected;
    pw_verdict actual;
    pr_labels lists[PR_NLISTS];
    pw_date from, until;     /* the evaluated version's effective period */
    pw_date opens, closes;   /* its enrolment window (open ends when none) */
    char *error;             /* evaluation error (then actual is meaningless), or NULL */
    /* `expect NAME(args) = value`: the expectation as written
     * ("pd_points(2020, 2024) = 19") and what the definition gave ("17");
     * NULL for an expectation about a program. value_actual is set
     * whenever value_expected is and error is not. */
    char *value_expected;
    char *value_actual;
} pr_failure;

typedef struct pr_test {
    char *file;              /* the rule file, as named */
    unsigned line, column;   /* of `test` */
    char *title;
    pr_status status;
    char *error;             /* facts error: nothing was evaluated; or NULL */
    pr_failure *failures;    /* every expectation that did not hold */
    size_t nfailures;
    size_t nexpects;
    double seconds;
} pr_test;

typedef struct pr_file {
    char *path;              /* as given */
    bool compiled;
    char *error;             /* !compiled: the first error, one line */
    pr_test *tests;          /* declared in this file (not in its includes), in order */
    size_t ntests;
    double seconds;
} pr_file;

/* ---- coverage ---------------------------------------------------------------- */

typedef struct pr_cov_req {
    char *label;
    unsigned line, column, depth;
    pw_req_role role;
    bool met, unmet;         /* some asserted evaluation saw it so */
    bool out_of_force;       /* some evaluation found it outside its period */
} pr_cov_req;

/* One version of one program, wherever it was compiled from. */
typedef struct pr_cov_prog {
    char *file;              /* display name (as first compiled) */
    char *key;               /* resolved path: the same file through any include */
    unsigned line;           /* of the program declaration */
    char *id;
    bool dated;
    pw_date from, until;
    unsigned evaluations;    /* asserted evaluations of this version */
    pr_cov_req *reqs;        /* requirement nodes in pre-order (members too) */
    size_t nreqs;
} pr_cov_prog;

typedef struct pr_coverage {
    pr_cov_prog *progs;      /* in the order first registered */
    size_t n, cap;
} pr_coverage;

void pr_coverage_init(pr_coverage *cov);
void pr_coverage_fini(pr_coverage *cov);
/* Requirements of one version seen both met and unmet. */
size_t pr_cov_prog_covered(const pr_cov_prog *p);
void pr_coverage_totals(const pr_coverage *cov, size_t *covered, size_t *total);

/* ---- running ---------------------------------------------------------------- */

/* Compiles `path` (diagnostics go through `options`) and runs the tests it
 * declares; with `cov`, registers every program compiled and records what the
 * tests saw. A file that does not compile is a result (out->compiled false),
 * not a failure of this call, which fails only on a bad argument or when
 * memory runs out. Release *out with pr_file_fini even then. */
pw_status pr_run_file(const char *path, const pw_compile_options *options, pr_coverage *cov,
                      pr_file *out, pw_error *err);
void pr_file_fini(pr_file *f);

/* ---- rendering (into a buffer; the caller decides where it goes) ------------ */

/* "PASS", "FAIL" or "ERROR". */
const char *pr_status_word(pr_status s);
/* "PASS file:line title" or "FAIL ..." with the failures under it. */
void pr_render_test(const pr_test *t, pd_buf *out);
/* The details of one failed expectation, each line starting with `indent`. */
void pr_render_failure(const pr_failure *f, const char *indent, pd_buf *out);
/* Per program version: covered / total and every uncovered requirement; then
 * the total. */
void pr_render_coverage(const pr_coverage *cov, pd_buf *out);
/* covered * 100 / total, rounded down to a tenth; 100 when there is nothing to cover. */
double pr_coverage_percent(size_t covered, size_t total);
/* JUnit XML: <testsuites>, a <testsuite> per file, a <testcase> per test. */
void pr_render_junit(const pr_file *files, size_t nfiles, pd_buf *out);
/* The rule files that FILE|DIR arguments name, for `pathway test` and
 * `pathway fmt`: a FILE as given; under a DIR, every *.pw file, recursively,
 * sorted by name at each level. Symbolic links to directories are not
 * followed (as find does), so a link cycle cannot recurse without end.
 * Appends to `files`. What the user should hear goes to `notes`, one
 * message each: a directory that cannot be read or memory running out (and
 * then it returns false), and a directory without rule files (not a failure,
 * but a CI job pointed at the wrong place should not pass unnoticed). */
bool pr_collect_files(const pr_strings *args, pr_strings *files, pr_strings *notes);

/* ---- mutation testing ---------------------------------------------------------- */

/* PR_EQUIVALENT: the tests pass it, but the lint's reasoning proves that
 * its condition holds for exactly the coaches and days the original's does
 * (pl_conditions_equivalent): no test could kill it; not counted. */
typedef enum pr_outcome { PR_KILLED = 0, PR_SURVIVED, PR_UNCOMPILED, PR_EQUIVALENT } pr_outcome;

/* One small change to a requirement or definition (an operator, a literal
 * moved by one, `and`/`or`, `all of`/`any of`, `at least N`, a `not` or a
 * requirement removed, a known value replaced) and what the file's tests
 * made of it. */
typedef struct pr_mutant {
    char *file;              /* display name of the file changed */
    unsigned line, column;   /* of the changed text (column in bytes) */
    unsigned cp_column;      /* the column in code points, as SARIF counts it */
    char *before, *after;    /* the surrounding text, as written and as mutated */
    pr_outcome outcome;
    char *equivalent;        /* proved equivalent (whatever the tests made of it): why; else NULL */
    char *killed_by;         /* the first test that failed, when killed */
    /* A survivor: a coach and day on which the rules as written and the
     * mutant disagree, found from the file's tests (mutate_suggest.c): a
     * sentence saying so and the tests to paste (one, or two on either
     * side of the boundary), or no_witness when none was found within the
     * search's horizon (a candidate equivalent mutant, not a proof).
     * witness and suggestion are set together, or neither is. */
    char *witness;
    char *suggestion;
    bool no_witness;
} pr_mutant;

typedef struct pr_mutation {
    char *path;
    char *error;             /* the mutants were not run: why (does not compile, tests fail) */
    bool no_tests;           /* the file declares no tests: nothing run, not a failure */
    pr_mutant *mutants;      /* in source order of enumeration */
    size_t n, killed, survived, uncompiled, equivalent;
    double seconds;
} pr_mutation;

/* Compiles `path`, checks that its tests pass, then compiles every mutant of
 * the requirements and definitions it and its includes declare, in memory
 * (no file is written), and runs the tests against each, on `jobs` threads
 * (each with its own compilations and contexts; 0 is 1), the results in the
 * same order whatever `jobs` is. A file whose tests cannot serve is a
 * result (out->error), not a failure of this call. */
pw_status pr_mutate_file(const char *path, const pw_compile_options *options, unsigned jobs,
                         pr_mutation *out, pw_error *err);
void pr_mutation_fini(pr_mutation *m);
/* killed * 100 / counted, rounded down to a tenth; 100 when nothing counts. */
double pr_mutation_score(size_t killed, size_t counted);
/* A line per survivor and per mutant that did not compile (per mutant with
 * `all`), then the file's tally and score. */
void pr_render_mutation(const pr_mutation *m, bool all, pd_buf *out);
/* One JSON object: the tally and every mutant's outcome. */
void pr_render_mutation_json(const pr_mutation *m, pd_buf *out);
/* SARIF: the rule survivors are reported under, and one result per
 * survivor appended to `results` (comma-separated; *count updated), for
 * pd_render_sarif. */
extern const pd_rule pr_mutation_rule;
void pr_mutation_sarif_results(const pr_mutation *m, pd_buf *results, size_t *count);

/* ---- assumptions ------------------------------------------------------------- */

typedef struct pr_assumption {
    char *file;              /* display name */
    char *key;               /* resolved path, to drop duplicates across roots */
    unsigned line, column;   /* of `assuming` */
    char *program;           /* NULL for a definition's */
    char *version;           /* "from 2026-06-01": the program's period; NULL when undated */
    char *requirement;       /* NULL for the program's header */
    char *definition;        /* `define NAME ... assuming`: NAME; NULL for a program's */
    char *reason;
} pr_assumption;

typedef struct pr_assumptions {
    pr_assumption *items;    /* in source order, includes expanded */
    size_t n, cap;
} pr_assumptions;

/* Compiles `path` and, when it compiles, appends every `assuming` of every
 * program and definition it (or an include) declares, in source order. Returns the compile status. */
pw_status pr_list_assumptions(const char *path, const pw_compile_options *options,
                              pr_assumptions *out, pw_error *err);
void pr_assumptions_fini(pr_assumptions *a);

#endif
