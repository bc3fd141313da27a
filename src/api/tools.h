/* The tools tier: what Pathway's own tools (the command line, lint,
 * explain, rule tests, impact, the fuzzers and tests) may use beyond the
 * public API, pathway.h. Names start pt_; pw_ names are only the public API.
 *
 * The public API keeps a host out of the library's insides; these tools
 * need a little more (the checked tree for lint and rule tests, the image
 * and the VM for explain, a parsed record for the command line). They get
 * it through these narrow entry points, never through the structures
 * behind pw_program and pw_context, which stay private to src/api
 * (api_int.h). Nothing here is installed or promised to hosts: it changes
 * with the tools (docs/architecture.md, "Two tiers"). */
#ifndef PW_TOOLS_H
#define PW_TOOLS_H

#include <stdarg.h>
#include <stdint.h>

#include "pathway.h"
#include "util/buf.h"

struct cJSON;
struct pb_image;
struct pf_facts;
struct pv_state;
struct pa_decl;
struct ps_sources;
struct pc_program;

/* A pw_error with a formatted message; returns st. */
pw_status pt_fail(pw_error *err, pw_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Copies a caller's size-carrying option structure into this release's
 * layout (see "Option structures" in pathway.h); NULL gives all defaults. */
pw_status pt_options(const void *given, size_t known, void *copy, const char *what, pw_error *err);

/* ---- programs and contexts ---------------------------------------------- */

/* The verified image behind a program: the disassembler, explain, fuzzers. */
const struct pb_image *pt_program_image(const pw_program *program);
/* The program a context evaluates. */
const pw_program *pt_context_program(const pw_context *ctx);
/* True when facts were set field by field since the last evaluation: the
 * record is completed (defaults, required fields) by the next pw_evaluate,
 * which explain then calls before reading the facts itself. */
bool pt_context_pending(const pw_context *ctx);
/* The facts and VM state of a context: explain evaluates calls and reads
 * fields day by day with the same VM as pw_evaluate. */
struct pf_facts *pt_context_facts(pw_context *ctx);
const struct pf_facts *pt_context_cfacts(const pw_context *ctx);
struct pv_state *pt_context_vm(pw_context *ctx);
/* One byte per function of the image, zero when the context is made, for
 * a tool to note what it learned of a function's code (explain: whether it
 * reads the date), which holds for every record the context will hold. */
uint8_t *pt_context_func_notes(pw_context *ctx);

/* Like pw_context_set_json, for a caller that already parsed the record
 * (the command line, which also needs the record's id when it is bad). */
pw_status pt_context_set_cjson(pw_context *ctx, const struct cJSON *record, pw_error *err);
/* Evaluates the n programs progs[] in order, as pw_evaluate one by one
 * would (stopping at the first that fails), in one VM call. */
pw_status pt_evaluate_list(pw_context *ctx, const size_t *progs, size_t n, pw_date as_of, pw_error *err);
/* The fast path of pw_context_set_json alone (docs/performance.md): true
 * when it loaded the record from the text, with *id the record's "id" when
 * it is text (else NULL; valid until the facts change); false when it
 * declined, and the caller reads the text the usual way, which says why the
 * record does not fit. */
bool pt_context_try_json(pw_context *ctx, const char *json, size_t len, const char **id, pw_error *err);

/* A new context on src's program and limits holding a copy of src's facts
 * (completed first, as pw_evaluate completes them), and the copy as a JSON
 * record in *record (the caller deletes it and frees the context). For
 * questions about a host's context that must leave its results alone. */
pw_status pt_context_copy(pw_context *src, pw_context **out, struct cJSON **record, pw_error *err);

/* For questions that evaluate but never change the facts (explain, when),
 * asked of the host's context itself, which costs no copy (a copy through
 * JSON cost explain and when several evaluations of the coach): its facts
 * completed, its results (everything pw_evaluate leaves to read) saved in
 * *saved, and restored (and *saved freed) by pt_context_restore, whatever
 * the question gave. */
struct pwi_saved;
pw_status pt_context_save(pw_context *ctx, struct pwi_saved **saved, pw_error *err);
void pt_context_restore(pw_context *ctx, struct pwi_saved *saved);

/* For node `node` of prog in the last successful evaluation: what the facts
 * record for a requirement a person decides that was not met (the decider's
 * name in *who): PB_DECIDED_NOTHING (it awaits a decision) or
 * PB_DECIDED_NO (refused). -1 for any other node, and for a decided one
 * that was met or not evaluated. */
int pt_result_decision(const pw_context *ctx, size_t prog, size_t node, const char **who);
/* For node `node` of program version `version` on `day`: when it is a
 * requirement a person decides, what the facts record (*decided: a
 * pb_decided) and who decides (*who); else *decided is -1. Evaluates only
 * the decision, with the context's facts. */
pw_status pt_decision_at(pw_context *ctx, size_t version, size_t node, pw_date day, const char **who,
                         int *decided, pw_error *err);
/* The `require`s (or their members) a person decides with no decision
 * recorded, in the last successful evaluation of prog, in order: eval's
 * "awaiting_decision". */
size_t pt_result_awaiting_count(const pw_context *ctx, size_t prog);
const char *pt_result_awaiting_label(const pw_context *ctx, size_t prog, size_t i);

/* ---- the eval line -------------------------------------------------------- */

/* Appends one eval line (pw_result_format_json's text) to out, for the
 * command line, which assembles its output in large buffers. */
void pt_result_format_append(const pw_result_format *f, const pw_context *ctx, const char *id,
                             pu_buf *out);

/* ---- the checked tree ----------------------------------------------------- */

/* A compilation for tools that read more than the bytecode (rule tests,
 * assumptions, lint): `inspect` sees the checked tree, then the tree is
 * freed and the program returned as pw_compile_file does. The tree's
 * declarations are those of every file, includes expanded; file 0 of `src`
 * is the file named by `path`. `program` is NULL when the rules did not
 * compile (then the checked tables may be partial and `inspect` is not
 * called at all when the text could not be read or parsed into
 * declarations). In the compiler's part of the library (api_compile.c). */
typedef struct pt_tree {
    const struct pa_decl *decls;
    struct ps_sources *src;
    const struct pc_program *checked;
    const pw_program *program;
} pt_tree;
typedef void (*pt_tree_fn)(void *user, const pt_tree *tree);
pw_status pt_compile_tree(const char *path, const pw_compile_options *options, pt_tree_fn inspect,
                          void *user, pw_program **out, pw_error *err);
/* One file's text held in memory: the file (the root or an include) whose
 * resolved path (realpath) is `path` is read from `text` instead of the
 * disk. Mutation testing compiles each mutant so, writing no file. */
typedef struct pt_overlay {
    const char *path;
    const char *text;
    size_t len;
} pt_overlay;
pw_status pt_compile_tree_overlay(const char *path, const pw_compile_options *options,
                                  const pt_overlay *overlay, pt_tree_fn inspect, void *user,
                                  pw_program **out, pw_error *err);

#endif
