/* What the parts of the lint share: the context of one run over a checked
 * tree, reporting, the logic over conditions, and the comment directives. */
#ifndef PL_LINT_INT_H
#define PL_LINT_INT_H

#include <stdint.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "check/check.h"
#include "front/ast.h"
#include "lint.h"

/* ---- one run, and the helpers the checks share (share.c) ---------------------------- */

typedef struct pl_ctx {
    const pt_tree *tree;
    const pc_program *p;
    ps_sources *src;
    pm_arena *arena;         /* the lint's own: findings and scratch */
    pd_list *found;          /* findings, before suppressions */
    uint32_t root;           /* the file being linted */
    bool oom;
    bool root_has_program;   /* the root declares a program: unused declarations count */
    const pa_expr **grants;  /* every `grants` value of the compilation (PA_E_STR) */
    uint32_t ngrants;
} pl_ctx;

/* Records a finding with its rule's severity; NULL when it could not be. */
pd_diag *pl_report(pl_ctx *c, const char *code, const ps_span *span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
#define pl_note(c, d, span, ...) pd_note_add((c)->found, d, span, __VA_ARGS__)
void *pl_alloc(pl_ctx *c, size_t size);
/* printf into the arena ("" when out of memory). */
const char *pl_format(pl_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
bool pl_in_root(const pl_ctx *c, ps_span span);
/* The source text of a span on one line, runs of layout as one space, cut
 * to about `max` bytes with "..." (in the arena; "" when out of memory). */
const char *pl_source(pl_ctx *c, ps_span span, size_t max);
/* Whether `text` is a value some program grants. */
bool pl_granted(const pl_ctx *c, const char *text);
/* "`coach`" or "`coach` (from 2027-09-01)" for a dated version. */
const char *pl_program_name(pl_ctx *c, const pa_decl *prog);
/* The span a finding about a requirement points at: a condition's, or for
 * a group the group's own (`any of { ... }`). */
ps_span pl_req_span(pl_ctx *c, const pa_req *r);
/* The span of `any of { ... }` (keyword to closing brace), read from the
 * source: the tree keeps only the whole requirement's. */
ps_span pl_group_span(pl_ctx *c, const pa_req *r);
/* A requirement whose own period does not cover its program's is not
 * always in force while the program is. */
bool pl_always_in_force(const pa_req *r, const pa_decl *prog);

/* ---- the checks ------------------------------------------------------------------- */

void pl_check_usage(pl_ctx *c);       /* PW101-PW103, usage.c */
void pl_check_conditions(pl_ctx *c);  /* PW110-PW113, conditions.c */
void pl_check_known(pl_ctx *c);       /* PW114, known.c */
void pl_check_reach(pl_ctx *c);       /* PW120, reach.c */
void pl_check_whole(pl_ctx *c);       /* PW150, PW151, whole.c */
void pl_check_duplicates(pl_ctx *c);  /* PW130-PW134, duplicates.c */
void pl_check_citations(pl_ctx *c);   /* PW140, duplicates.c */

/* ---- expressions (term.c) ----------------------------------------------------------- */

/* Structural equality of two checked expressions: the same shape, values
 * and resolved names; loop variables are matched by their binding, so two
 * quantifiers that differ only in where their locals live are equal. */
bool pl_expr_equal(const pa_expr *a, const pa_expr *b);
/* The same for requirement bodies: group kind, `at least` count, members'
 * bodies (labels and clauses aside). */
bool pl_req_equal(const pa_req *a, const pa_req *b);

/* ---- logic over conditions (term.c, formula.c) --------------------------------------- */

/* Why a term's values stop at a bound: a declared bound, the calendar, a
 * definition; for a note. */
typedef struct pl_why {
    const char *text;
    ps_span span;
    bool has_span;
} pl_why;

/* A number: `i` is exact for integers and dates (day numbers), `d` for
 * numbers. */
typedef struct pl_val {
    int64_t i;
    double d;
} pl_val;

typedef enum pl_class {
    PL_C_NUM,   /* integer, number, date: intervals */
    PL_C_TEXT,  /* text: equal to one value, or to none of some */
    PL_C_BOOL   /* a condition that is not taken apart: true or false */
} pl_class;

/* A term is what a condition compares: a field, a definition, a call with
 * constant arguments, any expression that is not a constant. Terms are
 * shared by structural equality, so `age >= 18` and `age < 16` talk about
 * one `age`, and a named value is its definition (`age` is `years since
 * birth_date`). Different terms vary independently, except as the solver's
 * relations say (solve.c: a term computed from others). */
typedef struct pl_term {
    uint32_t id;
    pl_class cls;
    bool integral;           /* integer or date: exact integer reasoning */
    bool is_date;
    bool optional;           /* may be none */
    const pa_expr *e;        /* the expression; NULL for an opaque group */
    const pa_expr *canon;    /* e with named values replaced by their definitions */
    const pa_expr *rhs;      /* a comparison of two terms: e op rhs */
    pa_op op;
    const void *opaque;      /* a group that is not modelled (keyed by identity) */
    /* Every value of the term lies in [lo, hi] where given. */
    bool has_lo, has_hi;
    pl_val lo, hi;
    pl_why lo_why, hi_why;
    bool declared;           /* the range is declared (field bounds, dates): PW113 */
    const char *cert;        /* a call with a literal argument some program grants */
    const pa_expr *cert_arg;
} pl_term;

typedef enum pl_rel { PL_EQ, PL_NE, PL_LT, PL_LE, PL_GT, PL_GE } pl_rel;

/* `term rel constant`. Integral terms only use EQ, NE, LE, GE; a boolean
 * term only EQ (b: the value it must have). `none` compares with none. */
typedef struct pl_lit {
    pl_term *t;
    pl_rel rel;
    bool none;
    pl_val v;
    const char *s;            /* text */
    bool b;
    const pa_expr *atom;      /* where it was written (for notes), or NULL */
    const pa_expr *konst;     /* its constant, or NULL */
} pl_lit;

typedef enum pl_fkind { PL_F_TRUE, PL_F_FALSE, PL_F_LIT, PL_F_AND, PL_F_OR } pl_fkind;

/* Conditions in negation normal form: `not` is pushed into the literals. */
typedef struct pl_formula pl_formula;
struct pl_formula {
    pl_fkind kind;
    pl_lit lit;
    const pl_formula *a, *b;
    uint32_t size;            /* nodes, to bound the search */
};

typedef struct pl_logic {
    pl_ctx *c;
    pl_term **terms;          /* malloc'd */
    uint32_t nterms, cap;
    /* PW120: a certificate that cannot be had makes its term false. */
    bool (*unobtainable)(void *user, const char *cert);
    void *user;
} pl_logic;

void pl_logic_init(pl_logic *L, pl_ctx *c);
void pl_logic_fini(pl_logic *L);

/* A named value without parameters stands for its definition's body (of
 * the same type): `age` and `years since birth_date` are one term. */
const pa_expr *pl_canon(const pl_ctx *c, const pa_expr *e);
/* The term of an expression (created on first use); NULL when out of memory. */
pl_term *pl_term_of(pl_logic *L, const pa_expr *e);
/* An opaque boolean term, one per key. */
pl_term *pl_term_opaque(pl_logic *L, const void *key);
/* `a op b` between two expressions that are not constants, as one boolean
 * term; op is PA_OP_GE or PA_OP_EQ (the caller turns the others into
 * these, negated or swapped). */
pl_term *pl_term_pair(pl_logic *L, const pa_expr *a, pa_op op, const pa_expr *b);

/* A condition as a formula; NULL when out of memory. */
const pl_formula *pl_formula_expr(pl_logic *L, const pa_expr *e);
/* A requirement's body: a condition, or a group of members. */
const pl_formula *pl_formula_req(pl_logic *L, const pa_req *r, const pa_decl *prog);
const pl_formula *pl_not(pl_logic *L, const pl_formula *f);
const pl_formula *pl_and(pl_logic *L, const pl_formula *a, const pl_formula *b);
const pl_formula *pl_or(pl_logic *L, const pl_formula *a, const pl_formula *b);
const pl_formula *pl_lit_formula(pl_logic *L, const pl_lit *lit);
/* A comparison `e` (`x op constant`), when it is one: its literal. */
bool pl_comparison_lit(pl_logic *L, const pa_expr *e, pl_lit *out);

/* One side of a contradiction: a literal, or an end of a term's range. */
typedef struct pl_side {
    const pl_lit *lit;
    const pl_why *why;
} pl_side;

/* Why a conjunction cannot hold: two of its parts contradict. */
typedef struct pl_clash {
    bool found;
    const pl_term *t;
    pl_side a, b;
} pl_clash;

typedef enum pl_sat { PL_SAT, PL_UNSAT, PL_GAVE_UP } pl_sat;
typedef enum pl_verdict { PL_MAYBE, PL_NEVER, PL_ALWAYS } pl_verdict;

/* Whether some values of the terms make f true; with `ranges`, within the
 * terms' ranges. When f is one conjunction and cannot hold, *why (may be
 * NULL) says which two parts contradict. */
pl_sat pl_satisfiable(pl_logic *L, const pl_formula *f, bool ranges, pl_clash *why);
/* Relations between the terms of one branch's literals (relate.c): a
 * term computed from others (`total` is `k + n`, `age` the years from
 * `birth_date` to `today`) takes a value its parts allow, and `a >= b`
 * between two terms can hold with their bounds. False, with *why (may be
 * NULL; filled when not yet found), when not. `used` holds n flags. */
bool pl_relations_ok(pl_logic *L, const pl_lit **lits, uint32_t n, bool *used, pl_clash *why);
/* Never true, always true, or either (also when the search gave up). */
pl_verdict pl_decide(pl_logic *L, const pl_formula *f, pl_clash *why);
/* a implies b (every value that makes a true makes b true). */
bool pl_implies(pl_logic *L, const pl_formula *a, const pl_formula *b);

/* ---- directives in comments (directives.c) --------------------------------------------- */

typedef enum pl_dir_kind {
    PL_DIR_IGNORE,       /* # lint: ignore PW112 -- reason */
    PL_DIR_IGNORE_FILE,  /* # lint: ignore-file PW101 -- reason */
    PL_DIR_CITATIONS,    /* # lint: require citations */
    PL_DIR_UNKNOWN       /* # lint: anything else */
} pl_dir_kind;

typedef enum pl_dir_problem {
    PL_DP_NONE,
    PL_DP_NO_REASON,     /* no `-- reason` */
    PL_DP_NO_CODE,       /* an ignore that names no code */
    PL_DP_BAD_CODE,      /* a code that is not a lint rule's */
    PL_DP_UNKNOWN        /* not a directive the lint knows */
} pl_dir_problem;

typedef struct pl_code_ref {
    char code[16];       /* "PW112" */
    uint32_t start, end; /* byte offsets of the code in the text */
    bool known;          /* a rule's code */
    bool used;           /* it silenced something */
} pl_code_ref;

typedef struct pl_directive {
    pl_dir_kind kind;
    pl_dir_problem problem;
    uint32_t start, end;      /* the comment, `#` to the end of the line */
    uint32_t line;            /* 1-based */
    bool trailing;            /* after code on the same line */
    uint32_t target;          /* ignore: the line it silences (0: none) */
    pl_code_ref *codes;
    uint32_t ncodes;
} pl_directive;

typedef struct pl_directives {
    pl_directive *items;
    uint32_t n;
} pl_directives;

/* Every `# lint:` comment of a text, with the line each ignore applies to:
 * its own line when it trails code, else the next line that holds code
 * (blank lines and comment lines are skipped). A `#` in a string is not a
 * comment. False when out of memory. */
bool pl_parse_directives(pm_arena *arena, const char *text, size_t len, pl_directives *out);

/* ---- running over a tree (lint.c) --------------------------------------------------------- */

/* Lints a checked tree into `out` (a list in its own arena): every check,
 * then the root's suppressions, sorted by place. False when out of memory. */
bool pl_lint_tree(const pt_tree *tree, pm_arena *arena, pd_list *out);

#endif
