/* Pathway: qualification-pathway rules, compiled to bytecode and evaluated.
 *
 * The whole public API. A pw_program is a compiled rule set: compile it from
 * source or load it from a .pwc file (loading verifies it), then share it,
 * read-only, between threads. A pw_context is one thread's evaluation state:
 * it holds one coach's facts and the results of the last evaluation, and owns
 * every buffer evaluation needs, so evaluating does not allocate.
 *
 * Every function that can fail returns a pw_status and, when given one, fills
 * a caller-owned pw_error with a message. Nothing here aborts or exits.
 * See docs/embedding.md for a walk-through and examples/host.c for a complete
 * host program. */
#ifndef PATHWAY_H
#define PATHWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PW_VERSION_MAJOR 0
#define PW_VERSION_MINOR 1
#define PW_VERSION_PATCH 0

typedef enum pw_status {
    PW_OK = 0,
    PW_ERR_USAGE,   /* a bad argument: unknown program, bad path, NULL */
    PW_ERR_IO,      /* a file could not be read or written */
    PW_ERR_COMPILE, /* the rule source has errors (see the diagnostics) */
    PW_ERR_FORMAT,  /* bytecode that is not a valid, verified .pwc image */
    PW_ERR_FACTS,   /* facts that do not fit the rule set's record */
    PW_ERR_EVAL,    /* a runtime error: overflow, instruction budget */
    PW_ERR_NOMEM    /* out of memory */
} pw_status;

typedef struct pw_error {
    pw_status status;
    char message[1024];
} pw_error;

/* A date: days since 1970-01-01, proleptic Gregorian. */
typedef int32_t pw_date;
/* The open ends of an effective period (see pw_program_period). */
#define PW_DATE_MIN INT32_MIN
#define PW_DATE_MAX INT32_MAX

typedef struct pw_program pw_program;
typedef struct pw_context pw_context;

/* "0.1.0" */
const char *pw_version(void);

/* "YYYY-MM-DD", years 1800-2999, to a pw_date. */
pw_status pw_date_parse(const char *text, pw_date *out, pw_error *err);
/* Writes "YYYY-MM-DD" and a NUL into buf. */
void pw_date_format(pw_date date, char buf[11]);
/* Today's date, local time. */
pw_date pw_date_today(void);

/* ---- compiling and loading ------------------------------------------------ */

typedef enum pw_diag_format { PW_DIAG_TEXT = 0, PW_DIAG_JSON } pw_diag_format;

/* What one input may cost. Rules, bytecode and facts may come from people
 * the host does not trust; each limit turns a hostile input into a clear
 * error instead of unbounded time or memory. A zero field takes the default
 * (given in brackets); docs/robustness.md explains each one. */
typedef struct pw_limits {
    /* compiling and loading (pw_compile_options.limits) */
    size_t max_source_bytes;   /* one rule file [4 MiB] */
    unsigned max_nesting;      /* brackets, and expression depth, in rules [200] */
    unsigned max_includes;     /* files in one compilation [256] */
    size_t max_bytecode_bytes; /* a file pw_program_open reads [64 MiB] */
    /* facts and evaluation (pw_context_set_limits) */
    uint32_t max_list_items;   /* elements of one list or set in facts [100000] */
    uint32_t max_json_depth;   /* lists of records nested in a facts record [64];
                                * JSON nested past 1000 levels anywhere is
                                * refused by the parser itself */
    uint32_t max_text_bytes;   /* one text value in facts [1 MiB] */
    uint64_t max_instructions; /* VM instructions per program evaluation [10000000] */
} pw_limits;

#define PW_DEFAULT_MAX_SOURCE_BYTES ((size_t)4 << 20)
#define PW_DEFAULT_MAX_NESTING 200u
#define PW_DEFAULT_MAX_INCLUDES 256u
#define PW_DEFAULT_MAX_BYTECODE_BYTES ((size_t)64 << 20)
#define PW_DEFAULT_MAX_LIST_ITEMS 100000u
#define PW_DEFAULT_MAX_JSON_DEPTH 64u
#define PW_MAX_JSON_DEPTH 1000u /* the JSON parser's own bound */
#define PW_DEFAULT_MAX_TEXT_BYTES ((uint32_t)1 << 20)
#define PW_DEFAULT_MAX_INSTRUCTIONS 10000000u

typedef struct pw_compile_options {
    /* Called with the rendered diagnostics (clang-style text with source
     * lines and carets, or one JSON object per diagnostic), once per
     * compilation, when there are any. NULL: diagnostics are only summarised
     * in the pw_error message. */
    void (*on_diagnostics)(void *user, const char *rendered);
    void *user;
    pw_diag_format format;
    bool color;                /* ANSI colours in text diagnostics */
    unsigned max_errors;       /* stop after this many errors; 0 = 50 */
    const pw_limits *limits;   /* NULL: the defaults */
} pw_compile_options;

/* Compiles a rule file and everything it includes. `options` may be NULL. */
pw_status pw_compile_file(const char *path, const pw_compile_options *options,
                          pw_program **out, pw_error *err);
/* Compiles source held in memory; `name` is used in messages and to resolve
 * includes relative to it. */
pw_status pw_compile_source(const char *name, const char *source, size_t len,
                            const pw_compile_options *options, pw_program **out,
                            pw_error *err);

/* Loads and verifies bytecode (the contents of a .pwc file). Bytes that are not
 * a well-formed, verified image are rejected with PW_ERR_FORMAT. */
pw_status pw_program_load(const void *bytes, size_t len, pw_program **out, pw_error *err);
/* Reads a .pwc or rule source file, telling them apart by the magic bytes. */
pw_status pw_program_open(const char *path, const pw_compile_options *options,
                          pw_program **out, pw_error *err);
/* Serializes to bytecode. *bytes is malloc'd; release it with free(). */
pw_status pw_program_save(const pw_program *program, void **bytes, size_t *len, pw_error *err);
void pw_program_free(pw_program *program);

/* ---- what a program declares ---------------------------------------------- */

size_t pw_program_count(const pw_program *program);
/* The program's identifier ("level_2") and title, or NULL past the end. */
const char *pw_program_id(const pw_program *program, size_t index);
const char *pw_program_title(const pw_program *program, size_t index);
/* Finds a program by identifier: its first-declared version. */
pw_status pw_program_find(const pw_program *program, const char *id, size_t *index,
                          pw_error *err);

/* Effective dates. A program may be declared several times with the same
 * identifier, each declaration a version in force for its own period
 * (`effective from D until D`, both days inclusive); periods never overlap.
 * Every version has its own index. A program without dates has one version,
 * in force from PW_DATE_MIN to PW_DATE_MAX. */
void pw_program_period(const pw_program *program, size_t prog, pw_date *from, pw_date *until);
/* True when any version of prog's identifier carries effective dates. */
bool pw_program_dated(const pw_program *program, size_t prog);
/* True for the first-declared version of each identifier: visit these to see
 * every program once, in declaration order. */
bool pw_program_is_first_version(const pw_program *program, size_t prog);
/* The version of prog's identifier that applies on `date`: the one in force,
 * else the next to come into force, else the last withdrawn. */
size_t pw_program_version_at(const pw_program *program, size_t prog, pw_date date);

typedef enum pw_req_kind { PW_REQ_SINGLE = 0, PW_REQ_ALL_OF, PW_REQ_ANY_OF, PW_REQ_AT_LEAST } pw_req_kind;
typedef enum pw_req_role { PW_ROLE_REQUIRE = 0, PW_ROLE_PREFER, PW_ROLE_ADVISE } pw_req_role;

typedef struct pw_requirement {
    const char *label;
    const char *citation; /* NULL when none */
    pw_req_kind kind;
    pw_req_role role;
    unsigned depth;       /* 0 for a top-level requirement, 1 for a group member... */
    unsigned min;         /* for groups: how many members must hold */
    const char *file;     /* source position */
    unsigned line, column;
    pw_date from, until;  /* effective period; PW_DATE_MIN / PW_DATE_MAX when open */
} pw_requirement;

/* Requirement nodes of a program, in pre-order (a group, then its members). */
size_t pw_requirement_count(const pw_program *program, size_t prog);
pw_status pw_requirement_info(const pw_program *program, size_t prog, size_t req,
                              pw_requirement *out, pw_error *err);
/* What requirement node `req` checks, as a 64-bit hash that rule sets
 * compiled separately can compare (pathway diff's structural summary): for a
 * single condition, the code it runs with every constant, text, field and
 * called definition taken by value or name rather than by its place in the
 * image; for a group, its kind, its minimum and each member's label and
 * fingerprint, in order. The node's own label, citation, role, effective
 * period and source position are not part of it. Equal conditions over the
 * same record layout give equal fingerprints, whatever else the files hold;
 * different ones give different fingerprints except for hash collisions. */
pw_status pw_requirement_fingerprint(const pw_program *program, size_t prog, size_t req,
                                     uint64_t *out, pw_error *err);

/* ---- contexts and facts --------------------------------------------------- */

pw_status pw_context_new(const pw_program *program, pw_context **out, pw_error *err);
void pw_context_free(pw_context *ctx);
/* Forgets the facts: every field back to unset. */
pw_status pw_context_reset(pw_context *ctx, pw_error *err);
/* Sets the facts and evaluation limits of this context (the compile-side
 * fields are ignored); NULL restores the defaults. */
pw_status pw_context_set_limits(pw_context *ctx, const pw_limits *limits, pw_error *err);

/* Replaces the facts with one JSON object (the record the rule set declares).
 * A missing required field, a wrong type or an impossible date fails with a
 * message naming the field. */
pw_status pw_context_set_json(pw_context *ctx, const char *json, size_t len, pw_error *err);

/* Field by field. `path` is a field name ("athletes_coached") or an element's
 * field ("certificates[0].id"). Text is copied. Call pw_context_add to grow a
 * list first. Fields left unset take their defaults; a required field left
 * unset makes pw_evaluate fail naming it. */
pw_status pw_context_set_int(pw_context *ctx, const char *path, int64_t value, pw_error *err);
pw_status pw_context_set_number(pw_context *ctx, const char *path, double value, pw_error *err);
pw_status pw_context_set_bool(pw_context *ctx, const char *path, bool value, pw_error *err);
pw_status pw_context_set_text(pw_context *ctx, const char *path, const char *value, pw_error *err);
pw_status pw_context_set_date(pw_context *ctx, const char *path, pw_date value, pw_error *err);
pw_status pw_context_set_none(pw_context *ctx, const char *path, pw_error *err);
/* Appends an element to the list or set at `path`; *index gets its position. */
pw_status pw_context_add(pw_context *ctx, const char *path, size_t *index, pw_error *err);

/* ---- evaluating ----------------------------------------------------------- */

/* Evaluates one program as of `as_of`. Results stay in the context until the
 * next evaluation of the same program or a change of facts. */
pw_status pw_evaluate(pw_context *ctx, size_t prog, pw_date as_of, pw_error *err);
/* Evaluates every program. */
pw_status pw_evaluate_all(pw_context *ctx, pw_date as_of, pw_error *err);

typedef enum pw_outcome {
    PW_NOT_EVALUATED = 0,
    PW_MET = 1,
    PW_UNMET = 2,
    PW_NOT_IN_FORCE = 3   /* outside the requirement's effective period */
} pw_outcome;

typedef enum pw_verdict {
    PW_ELIGIBLE = 0,
    PW_NOT_ELIGIBLE,
    PW_NOT_YET_IN_FORCE,  /* the version takes effect after the evaluation date */
    PW_WITHDRAWN          /* the version stopped applying before it */
} pw_verdict;

/* After an evaluation of `prog`: */
bool pw_result_eligible(const pw_context *ctx, size_t prog);
/* Eligible, not eligible, or not in force on the evaluation date (then no
 * requirement was evaluated and eligible is false). PW_NOT_ELIGIBLE when the
 * program was not evaluated. */
pw_verdict pw_result_verdict(const pw_context *ctx, size_t prog);
/* Outcome of requirement node `req` (see pw_requirement_count). A member of a
 * group that was decided before reaching it is PW_NOT_EVALUATED; one outside
 * its effective period is PW_NOT_IN_FORCE and counts neither way (an `all of`
 * needs its members in force, an `any of` or `at least N of` counts met
 * members in force). */
pw_outcome pw_result_outcome(const pw_context *ctx, size_t prog, size_t req);
/* Labels of the unmet top-level requirements (`require`), in declaration order. */
size_t pw_result_unmet_count(const pw_context *ctx, size_t prog);
const char *pw_result_unmet_label(const pw_context *ctx, size_t prog, size_t i);
/* Labels of the unmet `prefer` clauses, which never block. */
size_t pw_result_preferred_unmet_count(const pw_context *ctx, size_t prog);
const char *pw_result_preferred_unmet_label(const pw_context *ctx, size_t prog, size_t i);
/* Texts of the `advise` notes that apply (whose condition does not hold). */
size_t pw_result_advice_count(const pw_context *ctx, size_t prog);
const char *pw_result_advice(const pw_context *ctx, size_t prog, size_t i);

#ifdef __cplusplus
}
#endif

#endif
