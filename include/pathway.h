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
 *
 * Lifetimes of returned pointers, in four kinds (each function says which):
 *   static      - valid for the life of the process (pw_version, pw_status_name);
 *   program     - owned by the pw_program, valid until pw_program_free
 *                 (identifiers, titles, labels, citations, file names,
 *                 advice texts, including those returned through a context);
 *   result      - owned by the structure a call returned, valid until its
 *                 _free function (pw_explanation, pw_eligibility, pw_plan);
 *   caller's    - the caller owns it and releases it with pw_free
 *                 (pw_program_save's bytes, pw_result_json's line).
 * Handles (pw_program, pw_context) are released with their _free function;
 * a context must be freed before the program it was made from. Callbacks'
 * arguments are valid only during the call. Nothing returned is ever freed
 * behind the caller's back by a later call, except that a context's results
 * (verdicts, outcomes, counts) change with its next evaluation or change of
 * facts; the label pointers it returns stay valid (they are the program's).
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

/* Every public function carries PW_API: exported from a shared library
 * built with -fvisibility=hidden, so only the pw_ names are its ABI. */
#if defined(__GNUC__) || defined(__clang__)
#define PW_API __attribute__((visibility("default")))
#else
#define PW_API
#endif

/* The version of this header. pw_version_number() gives the library's, which
 * may be newer (same major) when the host links it dynamically. */
#define PW_VERSION_MAJOR 0
#define PW_VERSION_MINOR 1
#define PW_VERSION_PATCH 0
#define PW_VERSION_NUMBER (PW_VERSION_MAJOR * 10000 + PW_VERSION_MINOR * 100 + PW_VERSION_PATCH)
/* The .pwc bytecode format version this header's library reads and writes. */
#define PW_BYTECODE_FORMAT 6u

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

/* Filled by every call that fails, when the caller passes one. `message` is
 * the whole story as one line; the structured fields repeat the parts of it
 * a host may want to act on, and are empty ("" or 0) when the error has no
 * such part: a compile error's source position, a facts error's field path
 * ("certificates[1].issued") and, for JSON that does not parse, the line and
 * column in the JSON text. */
typedef struct pw_error {
    pw_status status;
    char message[1024];
    char file[256];         /* compile errors: the rule file */
    unsigned line, column;  /* compile errors: in `file`; facts: in the JSON text */
    char field[256];        /* facts errors: the field's path in the record, the
                             * missing one for a required field left out
                             * (certificates[0].issued) */
} pw_error;

/* "PW_OK", "PW_ERR_USAGE", ...: the enumerator's name; "PW_UNKNOWN" for a
 * value this library does not know. A static string. */
PW_API const char *pw_status_name(pw_status status);

/* Releases memory the library handed out for the caller to free
 * (pw_program_save's bytes, pw_result_json's line). NULL is a no-op. */
PW_API void pw_free(void *p);

/* A date: days since 1970-01-01, proleptic Gregorian. */
typedef int32_t pw_date;
/* The open ends of an effective period (see pw_program_period). */
#define PW_DATE_MIN INT32_MIN
#define PW_DATE_MAX INT32_MAX

typedef struct pw_program pw_program;
typedef struct pw_context pw_context;

/* "0.1.0": the library's version, a static string. */
PW_API const char *pw_version(void);
/* The library's version as MAJOR*10000 + MINOR*100 + PATCH (PW_VERSION_NUMBER
 * of the header it was built with). */
PW_API int pw_version_number(void);
/* The .pwc format version this library reads (and pw_program_save writes). */
PW_API uint32_t pw_bytecode_format(void);
/* The format version of a .pwc image, read from its header without loading
 * it: PW_ERR_FORMAT when `bytes` does not start with a .pwc header. Compare
 * with pw_bytecode_format() to tell "made by another release" from damage. */
PW_API pw_status pw_bytecode_format_of(const void *bytes, size_t len, uint32_t *format, pw_error *err);

/* "YYYY-MM-DD", years 1800-2999, to a pw_date. */
PW_API pw_status pw_date_parse(const char *text, pw_date *out, pw_error *err);
/* Writes "YYYY-MM-DD" and a NUL into buf. The open ends, PW_DATE_MIN and
 * PW_DATE_MAX (an open period's start and end; "never" in explain, when and
 * plan results), are written "-infinity" and "infinity". */
PW_API void pw_date_format(pw_date date, char buf[11]);
/* Today's date, local time. */
PW_API pw_date pw_date_today(void);

/* ---- compiling and loading ------------------------------------------------ */

typedef enum pw_diag_format { PW_DIAG_TEXT = 0, PW_DIAG_JSON } pw_diag_format;

/* What one input may cost. Rules, bytecode and facts may come from people
 * the host does not trust; each limit turns a hostile input into a clear
 * error instead of unbounded time or memory. A zero field takes the default
 * (given in brackets); docs/robustness.md explains each one. */
typedef struct pw_limits {
    size_t size;               /* sizeof(pw_limits), set by pw_limits_init; see
                                * "Option structures" below */
    /* compiling and loading (pw_compile_options.limits) */
    size_t max_source_bytes;   /* one rule file [4 MiB] */
    unsigned max_nesting;      /* brackets, and expression depth, in rules [200];
                                * at most PW_MAX_NESTING */
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
/* Each level of nesting costs the checker up to about 400 bytes of stack
 * (1.6 KiB under AddressSanitizer): the maximum needs under 1 MiB, 3 MiB
 * with sanitizers. */
#define PW_MAX_NESTING 2000u
#define PW_DEFAULT_MAX_INCLUDES 256u
#define PW_DEFAULT_MAX_BYTECODE_BYTES ((size_t)64 << 20)
#define PW_DEFAULT_MAX_LIST_ITEMS 100000u
#define PW_DEFAULT_MAX_JSON_DEPTH 64u
#define PW_MAX_JSON_DEPTH 1000u /* the JSON parser's own bound */
#define PW_DEFAULT_MAX_TEXT_BYTES ((uint32_t)1 << 20)
#define PW_DEFAULT_MAX_INSTRUCTIONS 10000000u

/* Resolves `include "PATH"` for a host that decides where includes come
 * from. `includer` is the including file as named in messages, `include` the
 * PATH as written. Returns the path to read, malloc'd (the library frees it
 * with free()), or NULL to refuse the include; a refusal may write a
 * NUL-terminated reason into `why` (at most why_size bytes). */
typedef char *(*pw_include_fn)(void *user, const char *includer, const char *include, char *why,
                               size_t why_size);

/* Option structures (pw_limits, pw_compile_options, pw_explain_options)
 * start with `size`, the sizeof the caller was compiled with: initialise
 * each with its _init function (or set size yourself; 0 means this
 * release's layout). A later minor release only appends fields, so the
 * library reads the fields that fit in `size` and takes the defaults for the
 * rest; a caller built against a newer header may pass a larger size only
 * when the fields this library does not know are zero (else PW_ERR_USAGE).
 * Zero in any field means its default. */
typedef struct pw_compile_options {
    size_t size;               /* sizeof(pw_compile_options) */
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
    /* Untrusted rule source (docs/robustness.md). When include_root is set,
     * every included file must resolve (realpath, after the resolver or
     * relative to its includer) to the root or a path under it; an absolute
     * include, a `..` or a symbolic link that leads out is refused without
     * reading the file. When include_resolver is set, it names the file
     * each include reads (include_user is passed to it). */
    const char *include_root;
    pw_include_fn include_resolver;
    void *include_user;
} pw_compile_options;

/* Zeroes the structure and sets its size: the defaults. */
PW_API void pw_limits_init(pw_limits *limits);
PW_API void pw_compile_options_init(pw_compile_options *options);

/* Compiles a rule file and everything it includes. `options` may be NULL. */
PW_API pw_status pw_compile_file(const char *path, const pw_compile_options *options,
                          pw_program **out, pw_error *err);
/* Compiles source held in memory; `name` is used in messages and to resolve
 * includes relative to it. */
PW_API pw_status pw_compile_source(const char *name, const char *source, size_t len,
                            const pw_compile_options *options, pw_program **out,
                            pw_error *err);

/* Loads and verifies bytecode (the contents of a .pwc file); `bytes` is
 * copied, the caller may free it on return. Bytes that are not
 * a well-formed, verified image are rejected with PW_ERR_FORMAT. */
PW_API pw_status pw_program_load(const void *bytes, size_t len, pw_program **out, pw_error *err);
/* Reads a .pwc or rule source file, telling them apart by the magic bytes. */
PW_API pw_status pw_program_open(const char *path, const pw_compile_options *options,
                          pw_program **out, pw_error *err);
/* Serializes to bytecode. *bytes belongs to the caller: release it with
 * pw_free(). */
PW_API pw_status pw_program_save(const pw_program *program, void **bytes, size_t *len, pw_error *err);
PW_API void pw_program_free(pw_program *program);

/* A rule set compiled to C (`pathway compile RULES --emit c`, see
 * pathway_native.h and docs/embedding.md). After this call pw_evaluate_all
 * (and pw_eval_json) on the program's contexts runs the compiled code, which gives the VM's
 * results exactly, and the VM for any program it leaves to it (a runtime
 * error, the instruction budget). Refused (PW_ERR_USAGE) when `native` was
 * generated from other rules or by an incompatible release; NULL goes back
 * to the VM alone. Call it before evaluating, not while other threads use
 * the program's contexts. */
typedef struct pw_native pw_native;
PW_API pw_status pw_program_use_native(pw_program *program, const pw_native *native, pw_error *err);

/* ---- what a program declares ---------------------------------------------- */

PW_API size_t pw_program_count(const pw_program *program);
/* The program's identifier ("level_2") and title, or NULL past the end.
 * Lifetime: program. */
PW_API const char *pw_program_id(const pw_program *program, size_t index);
PW_API const char *pw_program_title(const pw_program *program, size_t index);
/* Finds a program by identifier: its first-declared version. */
PW_API pw_status pw_program_find(const pw_program *program, const char *id, size_t *index,
                          pw_error *err);

/* Effective dates. A program may be declared several times with the same
 * identifier, each declaration a version in force for its own period
 * (`effective from D until D`, both days inclusive); periods never overlap.
 * Every version has its own index. A program without dates has one version,
 * in force from PW_DATE_MIN to PW_DATE_MAX. */
PW_API void pw_program_period(const pw_program *program, size_t prog, pw_date *from, pw_date *until);
/* The version's enrolment window (`enrolment open from D until D`, both
 * days inclusive): PW_DATE_MIN / PW_DATE_MAX for an open end, both when the
 * version has no window. pw_program_has_window says whether one was
 * written. Inside the version's effective period but outside the window,
 * pw_result_verdict is PW_NOT_YET_OPEN or PW_CLOSED. */
PW_API void pw_program_window(const pw_program *program, size_t prog, pw_date *opens, pw_date *closes);
PW_API bool pw_program_has_window(const pw_program *program, size_t prog);
/* True when any version of prog's identifier carries effective dates. */
PW_API bool pw_program_dated(const pw_program *program, size_t prog);
/* True for the first-declared version of each identifier: visit these to see
 * every program once, in declaration order. */
PW_API bool pw_program_is_first_version(const pw_program *program, size_t prog);
/* The version of prog's identifier that applies on `date`: the one in force,
 * else the next to come into force, else the last withdrawn. */
PW_API size_t pw_program_version_at(const pw_program *program, size_t prog, pw_date date);

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

/* Requirement nodes of a program, in pre-order (a group, then its members).
 * The strings pw_requirement_info fills in have lifetime program. */
PW_API size_t pw_requirement_count(const pw_program *program, size_t prog);
PW_API pw_status pw_requirement_info(const pw_program *program, size_t prog, size_t req,
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
PW_API pw_status pw_requirement_fingerprint(const pw_program *program, size_t prog, size_t req,
                                     uint64_t *out, pw_error *err);

/* ---- contexts and facts --------------------------------------------------- */

/* A context for `program`, which must outlive it. One thread at a time. */
PW_API pw_status pw_context_new(const pw_program *program, pw_context **out, pw_error *err);
PW_API void pw_context_free(pw_context *ctx);
/* Forgets the facts: every field back to unset. */
PW_API pw_status pw_context_reset(pw_context *ctx, pw_error *err);
/* Sets the facts and evaluation limits of this context (the compile-side
 * fields are ignored); NULL restores the defaults. */
PW_API pw_status pw_context_set_limits(pw_context *ctx, const pw_limits *limits, pw_error *err);

/* Replaces the facts with one JSON object (the record the rule set declares).
 * A missing required field, a wrong type or an impossible date fails with a
 * message naming the field. */
PW_API pw_status pw_context_set_json(pw_context *ctx, const char *json, size_t len, pw_error *err);

/* Field by field. `path` is a field name ("athletes_coached") or an element's
 * field ("certificates[0].id"). Text is copied. Call pw_context_add to grow a
 * list first. Fields left unset take their defaults; a required field left
 * unset makes pw_evaluate fail naming it. */
PW_API pw_status pw_context_set_int(pw_context *ctx, const char *path, int64_t value, pw_error *err);
PW_API pw_status pw_context_set_number(pw_context *ctx, const char *path, double value, pw_error *err);
PW_API pw_status pw_context_set_bool(pw_context *ctx, const char *path, bool value, pw_error *err);
PW_API pw_status pw_context_set_text(pw_context *ctx, const char *path, const char *value, pw_error *err);
PW_API pw_status pw_context_set_date(pw_context *ctx, const char *path, pw_date value, pw_error *err);
PW_API pw_status pw_context_set_none(pw_context *ctx, const char *path, pw_error *err);
/* Appends an element to the list or set at `path`; *index gets its position. */
PW_API pw_status pw_context_add(pw_context *ctx, const char *path, size_t *index, pw_error *err);

/* ---- evaluating ----------------------------------------------------------- */

/* Evaluates one program as of `as_of`. Results stay in the context until the
 * next evaluation of the same program or a change of facts. */
PW_API pw_status pw_evaluate(pw_context *ctx, size_t prog, pw_date as_of, pw_error *err);
/* Evaluates every program. */
PW_API pw_status pw_evaluate_all(pw_context *ctx, pw_date as_of, pw_error *err);

typedef enum pw_outcome {
    PW_NOT_EVALUATED = 0,
    PW_MET = 1,
    PW_UNMET = 2,
    PW_NOT_IN_FORCE = 3,  /* outside the requirement's effective period */
    PW_NO_REQUIREMENT = 4 /* no such program or requirement index */
} pw_outcome;

typedef enum pw_verdict {
    PW_ELIGIBLE = 0,
    PW_NOT_ELIGIBLE,
    PW_NOT_YET_IN_FORCE,  /* the version takes effect after the evaluation date */
    PW_WITHDRAWN,         /* the version stopped applying before it */
    PW_VERDICT_NOT_EVALUATED, /* the program has no result: not evaluated since
                               * the context was made or its facts changed, or
                               * its last evaluation failed */
    PW_VERDICT_NO_PROGRAM,    /* no such program index (or a NULL context) */
    /* The version is in force but the day is outside its enrolment window
     * (`enrolment open from D until D`): eligible is false, and the
     * requirements were evaluated all the same (the unmet lists are filled). */
    PW_NOT_YET_OPEN = 6,      /* the window opens after the evaluation date */
    PW_CLOSED = 7             /* the window closed before it */
} pw_verdict;

/* After an evaluation of `prog`: */
PW_API bool pw_result_eligible(const pw_context *ctx, size_t prog);
/* Eligible, not eligible, or not in force on the evaluation date (then no
 * requirement was evaluated and eligible is false), or in force but not yet
 * open or closed for enrolment (then eligible is false but the requirements
 * were evaluated).
 * PW_VERDICT_NOT_EVALUATED when the program has no result,
 * PW_VERDICT_NO_PROGRAM for an index past pw_program_count. */
PW_API pw_verdict pw_result_verdict(const pw_context *ctx, size_t prog);
/* Outcome of requirement node `req` (see pw_requirement_count);
 * PW_NOT_EVALUATED also when prog has no result, PW_NO_REQUIREMENT for an
 * index past the end of either. A member of a
 * group that was decided before reaching it is PW_NOT_EVALUATED; one outside
 * its effective period is PW_NOT_IN_FORCE and counts neither way (an `all of`
 * needs its members in force, an `any of` or `at least N of` counts met
 * members in force). */
PW_API pw_outcome pw_result_outcome(const pw_context *ctx, size_t prog, size_t req);
/* Labels of the unmet top-level requirements (`require`), in declaration
 * order. The label and advice strings below have lifetime program; NULL
 * past the end or when prog has no result. */
PW_API size_t pw_result_unmet_count(const pw_context *ctx, size_t prog);
PW_API const char *pw_result_unmet_label(const pw_context *ctx, size_t prog, size_t i);
/* Labels of the unmet `prefer` clauses, which never block. */
PW_API size_t pw_result_preferred_unmet_count(const pw_context *ctx, size_t prog);
PW_API const char *pw_result_preferred_unmet_label(const pw_context *ctx, size_t prog, size_t i);
/* Texts of the `advise` notes that apply (whose condition does not hold). */
PW_API size_t pw_result_advice_count(const pw_context *ctx, size_t prog);
PW_API const char *pw_result_advice(const pw_context *ctx, size_t prog, size_t i);

/* ---- the eval line: one coach's results in one call ------------------------
 *
 * The JSON line `pathway eval` prints for a coach (docs/coach-record.md,
 * "eval output"), made by the same code. */

/* What does not change from coach to coach (program ids, labels, the date),
 * escaped once. `progs` lists the program versions to write, in order;
 * NULL: every program's version applying on as_of, in declaration order
 * (what eval writes without --program). Share it between threads; it
 * must not outlive `program`. Release it with pw_result_format_free. */
typedef struct pw_result_format pw_result_format;
PW_API pw_status pw_result_format_new(const pw_program *program, pw_date as_of, const size_t *progs,
                                      size_t nprogs, pw_result_format **out, pw_error *err);
PW_API void pw_result_format_free(pw_result_format *format);
/* Writes the line for the context's last evaluation of the format's programs
 * (a program without a result reads as not eligible), with `id` as the
 * record's id (NULL: null), into buf as snprintf does: at most size - 1
 * bytes and a NUL. Returns the line's length, newline included and NUL
 * excluded; 0 only for a NULL argument, a context of another program or
 * want of memory. */
PW_API size_t pw_result_format_json(const pw_result_format *format, const pw_context *ctx, const char *id,
                                    char *buf, size_t size);

/* The coarse call: loads one JSON record into ctx (as pw_context_set_json),
 * evaluates every program's version applying on as_of and writes the eval
 * line into buf (snprintf-style: *needed gets the line's length without the
 * NUL; a buffer too small is PW_ERR_USAGE with the line truncated, and *needed
 * says how much to give). The format is made on the first call for an as_of
 * and kept in the context, so a batch of coaches costs one call each. */
PW_API pw_status pw_eval_json(pw_context *ctx, const char *json, size_t len, pw_date as_of, char *buf,
                              size_t size, size_t *needed, pw_error *err);
/* The same, into a NUL-terminated line the caller releases with pw_free
 * (lifetime: caller's); *line_len (when not NULL) gets its length. */
PW_API pw_status pw_eval_json_alloc(pw_context *ctx, const char *json, size_t len, pw_date as_of,
                                    char **line, size_t *line_len, pw_error *err);

/* ---- why, when and how: explanations, eligibility dates, plans ----------
 *
 * In libpathway_explain.a (link it before libpathway.a); docs/explain.md has
 * worked examples. Every answer comes from evaluating the compiled rules with
 * the same VM as pw_evaluate, one day at a time, so it never disagrees with
 * an evaluation on any day: the facts are fixed, and eligibility is a
 * function of the day alone. Each call takes one facts record as JSON (as
 * pw_context_set_json does) and returns a structure the caller releases
 * with its _free function; facts that do not fit are PW_ERR_FACTS. Every
 * pointer inside a returned structure (texts, arrays, nested structures)
 * has lifetime result: it lives exactly as long as the structure. */

typedef struct pw_explain_options {
    size_t size;             /* sizeof(pw_explain_options); see pw_compile_options */
    pw_date as_of;           /* the evaluation date */
    int32_t horizon_days;    /* days looked ahead (and, for explain, back);
                              * 0: 20 years, 7305 days. At most 100 years.
                              * PW_HORIZON_NONE: the evaluation date only */
    const char *const *programs; /* explain: only these identifiers; NULL: all */
    size_t nprograms;
} pw_explain_options;

#define PW_DEFAULT_HORIZON_DAYS 7305
/* No day but the evaluation date is looked at: an explanation gives the
 * values and outcomes of that day without searching for when they change
 * (met_on, unmet_on, last_met and value_then are left unset), `when` says
 * whether the coach is eligible on that day, and a plan has no later day to
 * wait for (what is unmet that day and no program gives is to be arranged).
 * The cheapest answer. */
#define PW_HORIZON_NONE (-1)

/* Zeroes the structure and sets its size; as_of is then 0 (1970-01-01):
 * set it. */
PW_API void pw_explain_options_init(pw_explain_options *options);

/* A value a requirement looked at: a definition it called with constant
 * arguments (`age`, `member("usatf")`) or a field of the facts it read,
 * with its value as evaluated by the VM on the evaluation date. */
typedef struct pw_seen {
    const char *expr;       /* as the rules write it: age, member("usatf"), roles; NULL for
                             * the decision of a requirement a person decides, whose
                             * value then says it: "needs a decision by ..." */
    const char *value;      /* 17, false, none, "sport-science", [], 2024-06-30 */
    const char *test;       /* the comparison it is put to ("at least 18"), or NULL */
    const char *value_then; /* the value on the day the requirement becomes (or stops
                             * being) met, when that day is in the horizon; or NULL */
    size_t nentries;        /* a call with text arguments: the entries of the lists
                             * the definition reads that hold one of those texts;
                             * a sum or count: the entries that counted */
    const char *const *entries; /* each as {id: "usatf-level-1", issued: ..., ...}; a
                             * sum's followed by what it adds: "{...} adds 8" */
} pw_seen;

typedef struct pw_req_explained {
    size_t node;            /* as pw_requirement_info counts */
    pw_requirement info;
    pw_outcome outcome;     /* as pw_evaluate reports it (groups short-circuit) */
    pw_outcome holds;       /* evaluated in full: PW_MET, PW_UNMET or PW_NOT_IN_FORCE */
    unsigned members;       /* groups: members in force */
    unsigned members_met;   /* groups: how many of them hold */
    pw_date met_on;         /* when it does not hold: the first later day in the
                             * horizon on which it does, else PW_DATE_MAX */
    pw_date last_met;       /* when it does not hold: the last earlier day (within
                             * the horizon back) on which it did, else PW_DATE_MIN */
    pw_date unmet_on;       /* when it holds: the first later day in the horizon
                             * on which it does not, else PW_DATE_MAX */
    size_t nseen;
    const pw_seen *seen;
} pw_req_explained;

typedef struct pw_program_explained {
    size_t version;         /* the version that applies on the evaluation date */
    const char *id, *title;
    pw_verdict verdict;
    pw_date from, until;    /* the version's period */
    size_t nreqs;
    const pw_req_explained *reqs; /* every node, in pre-order */
    bool windowed;          /* the version has an enrolment window: */
    pw_date opens, closes;  /* its days (PW_DATE_MIN / PW_DATE_MAX when open) */
} pw_program_explained;

typedef struct pw_explanation {
    const char *coach;      /* the record's `id` when it is text, else NULL */
    pw_date as_of, first, last; /* the evaluation date and the days looked at */
    size_t nprograms;
    const pw_program_explained *programs;
    void *internal;
} pw_explanation;

/* Why: for each program (the version applying on as_of), every requirement:
 * met or not, the values it looked at, and when it was or will be met. */
PW_API pw_status pw_explain(const pw_program *program, const char *json, size_t len,
                     const pw_explain_options *options, pw_explanation **out, pw_error *err);
PW_API void pw_explanation_free(pw_explanation *e);

typedef enum pw_change_kind {
    PW_CHANGE_MET = 0,      /* the requirement holds from this day */
    PW_CHANGE_UNMET,        /* it no longer holds from this day */
    PW_CHANGE_IN_FORCE,     /* a version of the program comes into force */
    PW_CHANGE_OUT_OF_FORCE, /* the version in force ends (or is replaced) */
    PW_CHANGE_OPENS,        /* its enrolment window opens on this day */
    PW_CHANGE_CLOSES        /* its enrolment window closed the day before */
} pw_change_kind;

/* Why eligibility changed on a day: a requirement (label) or the program's
 * version. */
typedef struct pw_change {
    pw_change_kind kind;
    pw_date day;            /* the first day of the new state */
    const char *label;      /* the requirement's label, or the program title */
    size_t node;            /* the requirement node (of the version before or after) */
} pw_change;

typedef struct pw_period {
    pw_date from, until;    /* eligible on both and every day between */
    bool from_start;        /* already eligible on the evaluation date */
    bool to_end;            /* still eligible on the last day of the horizon */
    size_t nstart, nend;    /* why it starts (empty when from_start) and ends */
    const pw_change *start, *end;
} pw_period;

typedef struct pw_eligibility {
    const char *coach;
    const char *program;    /* the identifier asked about */
    pw_date as_of, last;    /* the days looked at, both included */
    size_t nperiods;
    const pw_period *periods;
    size_t nblocking;       /* no period: the requirements unmet on the
                             * horizon's last day (or the program not in force) */
    const pw_change *blocking; /* kind PW_CHANGE_UNMET; day = the first day of the
                                * run of days, to the horizon's end, it is unmet.
                                * A program that left force within the horizon:
                                * PW_CHANGE_OUT_OF_FORCE (day = its first day out
                                * of force), then the requirements unmet on its
                                * last day in force (their runs end that day),
                                * then PW_CHANGE_IN_FORCE for a version after the
                                * horizon, if any. */
    void *internal;
    /* Parallel to blocking: for a requirement a person decides (`decided by
     * "WHO"`), what the facts record: "needs a decision by WHO" or "refused
     * by WHO"; NULL for every other entry. */
    const char *const *blocking_decision;
} pw_eligibility;

/* When: the periods from as_of to the horizon's end in which the coach is
 * eligible for `program_id`, assuming no new facts. */
PW_API pw_status pw_when(const pw_program *program, const char *json, size_t len, const char *program_id,
                  const pw_explain_options *options, pw_eligibility **out, pw_error *err);
PW_API void pw_eligibility_free(pw_eligibility *e);

typedef struct pw_plan_step {
    size_t version;         /* the program version taken */
    const char *program, *title;
    pw_date enrol;          /* the first day it may be taken */
    pw_date granted;        /* enrol + its duration: the certificate's issue date */
    const char *grants;     /* certificate id, or NULL */
    pw_date expires;        /* granted + validity, or PW_DATE_MAX */
    double hours;           /* < 0 when not given */
    size_t nwaits;          /* requirements met by waiting: unmet on the day the
                             * previous step was taken (or as_of), met on enrol */
    const char *const *waits;
    size_t narrange;        /* requirements no program can satisfy and that never
                             * hold again in the horizon: the coach must arrange
                             * them (a membership, a role); the plan assumes they do */
    const char *const *arrange;
    /* Parallel to arrange: for a requirement a person decides, what to ask
     * of whom, "ask WHO for a decision on" or "ask WHO to review its refusal
     * of" (the label follows); NULL for every other entry. */
    const char *const *arrange_decision;
    /* Parallel to arrange: what the rules say the coach does to meet it
     * (`arrange "renew your membership"`), or NULL where they say nothing. */
    const char *const *arrange_how;
} pw_plan_step;

typedef struct pw_plan {
    const char *coach;
    const char *target;
    pw_date as_of, last;
    bool reachable;
    size_t nsteps;          /* the programs to take, the target last */
    const pw_plan_step *steps;
    double hours;           /* of the steps that give hours */
    size_t nblocking;       /* unreachable: the target's requirements never met */
    const char *const *blocking;
    void *internal;
    /* The first nsentences entries of blocking are not labels but sentences:
     * the target not in force on the horizon's last day ("Level 1 is not
     * in force (it ended on 2027-06-15)", the version's last day in force,
     * or "(it comes into force on D)"), which program's enrolment window is
     * shut ("Level 1 closed for enrolment on 2027-06-15"), or which earlier
     * step's requirement is never met, and the chain from the target to
     * that step ("\"at least 18 years of age\" of ussf_d (...) is not met
     * on any day, ...: national_a needs ussf-b from ussf_b, which needs
     * ..."); the
     * requirements unmet, if any, follow. */
    size_t nsentences;
} pw_plan;

/* How: the sequence of programs that makes the coach eligible for `target`
 * at the earliest date (ties: fewer programs, then fewer hours), every step
 * replayed through pw_evaluate before it is returned. Granted certificates
 * are added to the facts' `certificates` list (id, issued, expires). */
PW_API pw_status pw_plan_find(const pw_program *program, const char *json, size_t len, const char *target,
                       const pw_explain_options *options, pw_plan **out, pw_error *err);
PW_API void pw_plan_free(pw_plan *p);

/* The same three questions about the facts already set in a context (by
 * pw_context_set_json or field by field), for a host that holds no JSON.
 * The question runs on a copy of the facts: ctx's results from pw_evaluate
 * stay as they were (the record is completed first, defaults and required
 * fields, as pw_evaluate completes it). With options NULL the evaluation
 * date is today and the horizon PW_HORIZON_NONE: the values and verdicts of
 * that one day, at about the cost of an evaluation; pass options (from
 * pw_explain_options_init) to look further. The explanation's and
 * eligibility's `coach` is the facts' `id` field when the rules declare
 * one, else NULL. Not thread-safe on one context (as pw_evaluate). */
PW_API pw_status pw_explain_context(pw_context *ctx, const pw_explain_options *options,
                                    pw_explanation **out, pw_error *err);
PW_API pw_status pw_when_context(pw_context *ctx, const char *program_id, const pw_explain_options *options,
                                 pw_eligibility **out, pw_error *err);
PW_API pw_status pw_plan_find_context(pw_context *ctx, const char *target, const pw_explain_options *options,
                                      pw_plan **out, pw_error *err);

#ifdef __cplusplus
}
#endif

#endif
