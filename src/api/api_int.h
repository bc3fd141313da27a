/* The objects behind the public handles. */
#ifndef PW_API_INT_H
#define PW_API_INT_H

#include <stdarg.h>

#include "pathway.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"

struct pw_program {
    pb_image *img;
};

struct pw_context {
    const pw_program *program;
    pf_facts facts;
    pv_state vm;
    bool pending;        /* set field by field since the last completion */
    /* Per program, filled by an evaluation (sized once, at creation). */
    uint8_t *evaluated;  /* nprogs */
    uint8_t *eligible;   /* nprogs */
    uint8_t *verdict;    /* nprogs: pw_verdict */
    uint8_t *outcomes;   /* img->nreqs: outcome of every node of every program */
    uint32_t *lists;     /* img->nreqs: per program, unmet then preferred then advice nodes */
    uint32_t *nunmet, *npref, *nadvice; /* nprogs */
    /* Made at creation from the image: per program, its top-level nodes in
     * the lists' order (requires, then prefers, then advice, each in
     * declaration order), so that sorting the unmet ones is one pass. */
    uint32_t *order;     /* img->nreqs, per program from its first_req */
    uint32_t *ntop;      /* nprogs: entries of order */
};

/* The requirement nodes (indices as pw_requirement_info counts them) behind
 * the result lists of the last successful evaluation of prog: the unmet
 * `require`s (pw_result_unmet_count of them), then the unmet `prefer`s, then
 * the advice. For the command line, which keeps per-node output (each label
 * escaped once per run) and so needs the node, not the label. */
static inline const uint32_t *pw_result_nodes(const pw_context *ctx, size_t prog)
{
    return ctx->lists + ctx->program->img->progs[prog].first_req;
}

struct cJSON;
/* Like pw_context_set_json, for a caller that already parsed the record
 * (the command line, which also needs the record's id when it is bad). */
pw_status pw_context_set_cjson(pw_context *ctx, const struct cJSON *record, pw_error *err);

/* A compilation for tools that read more than the bytecode (rule tests,
 * assumptions): `inspect` sees the checked tree, then the tree is freed and
 * the program returned as pw_compile_file does. The tree's declarations are
 * those of every file, includes expanded; file 0 of `src` is the file named
 * by `path`. `program` is NULL when the rules did not compile (then the
 * checked tables may be partial and `inspect` is not called at all when the
 * text could not be read or parsed into declarations). */
struct pa_decl;
struct ps_sources;
struct pc_program;
typedef struct pw_tree {
    const struct pa_decl *decls;
    struct ps_sources *src;
    const struct pc_program *checked;
    const pw_program *program;
} pw_tree;
typedef void (*pw_tree_fn)(void *user, const pw_tree *tree);
pw_status pw_compile_tree(const char *path, const pw_compile_options *options, pw_tree_fn inspect,
                          void *user, pw_program **out, pw_error *err);

/* Hands a verified image to the caller as a program; takes ownership (frees
 * the image when it fails). */
pw_status pwi_wrap(pb_image *img, pw_program **out, pw_error *err);

/* Copies a caller's size-carrying option structure (pw_limits,
 * pw_compile_options, pw_explain_options) into `copy`, `known` bytes, this
 * release's layout: fields the caller's size does not reach are zero (their
 * defaults), and a larger size is accepted only when the extra bytes are
 * zero. NULL `given` gives all defaults. */
pw_status pwi_options(const void *given, size_t known, void *copy, const char *what, pw_error *err);

/* Success: clears the caller's error, structured fields included. */
pw_status pwi_ok(pw_error *err);

pw_status pw_fail(pw_error *err, pw_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
