/* The objects behind the public handles: private to src/api. Tools use
 * tools.h. */
#ifndef PW_API_INT_H
#define PW_API_INT_H

#include <stdarg.h>

#include "pathway.h"
#include "tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"

struct pw_program {
    pb_image *img;
    /* The rule set compiled to C (pw_program_use_native), or NULL. */
    const struct pw_native *native;
    /* img->nprogs: each program's first version (the first program of its
     * id), so that versions are found without comparing text (pwi_wrap). */
    const uint32_t *first_version;
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
    /* Requirements a person decides: per program whether it has one, and
     * per node, for an unmet one, 1 + what the facts record (pb_decided). */
    uint8_t *has_decision; /* nprogs */
    uint8_t *decided;      /* img->nreqs */
    /* The native entry's results (pw_program_use_native), copied program
     * by program as pw_evaluate_all reaches each, as the VM's are. */
    uint8_t *fallback;     /* nprogs: the native entry left the program to the VM */
    uint8_t *native_eligible; /* nprogs */
    uint8_t *native_outcomes; /* img->nreqs */
    uint8_t *func_notes;      /* img->nfuncs: pt_context_func_notes */
    void *native_scratch;     /* the entry's (pw_native.scratch_size bytes) */
    size_t native_scratch_size;
    /* pw_eval_json's format, made for json_as_of on first use. */
    pw_result_format *json_fmt;
    pw_date json_as_of;
};

/* Hands a verified image to the caller as a program; takes ownership (frees
 * the image when it fails). */
pw_status pwi_wrap(pb_image *img, pw_program **out, pw_error *err);

/* Every compilation: `inspect` (may be NULL) sees the checked tree, as
 * pt_compile_tree describes. In api_compile.c. */
pw_status pwi_compile(const char *name, const char *text, size_t len, const pw_compile_options *given,
                      pt_tree_fn inspect, void *user, pw_program **out, pw_error *err);
/* The same, with one file's text taken from memory (pt_compile_tree_overlay). */
pw_status pwi_compile_overlay(const char *name, const char *text, size_t len,
                              const pw_compile_options *given, const pt_overlay *overlay,
                              pt_tree_fn inspect, void *user, pw_program **out, pw_error *err);

/* pw_error with a formatted message; returns st. */
pw_status pwi_fail(pw_error *err, pw_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
pw_status pwi_vfail(pw_error *err, pw_status st, const char *fmt, va_list ap);

/* Copies a caller's size-carrying option structure (pw_limits,
 * pw_compile_options, pw_explain_options) into `copy`, `known` bytes, this
 * release's layout: fields the caller's size does not reach are zero (their
 * defaults), and a larger size is accepted only when the extra bytes are
 * zero. NULL `given` gives all defaults. */
pw_status pwi_options(const void *given, size_t known, void *copy, const char *what, pw_error *err);

pw_status pwi_context_set_cjson(pw_context *ctx, const struct cJSON *record, pw_error *err);
/* The facts from JSON text through the fast path (pf_stream_load): true
 * when it loaded them (results forgotten, err cleared, *id the record's id
 * text or NULL); false when it declined, and the caller reads the text the
 * usual way, which says why it does not fit. */
bool pwi_context_try_stream(pw_context *ctx, const char *json, size_t len, const char **id, pw_error *err);
pw_status pwi_context_copy(pw_context *src, pw_context **out, struct cJSON **record, pw_error *err);
struct pwi_saved;
pw_status pwi_context_save(pw_context *ctx, struct pwi_saved **out, pw_error *err);
void pwi_context_restore(pw_context *ctx, struct pwi_saved *saved);
void pwi_result_format_append(const pw_result_format *f, const pw_context *ctx, const char *id, pu_buf *out);

/* The requirement nodes (indices as pw_requirement_info counts them) behind
 * the result lists of the last successful evaluation of prog: the unmet
 * `require`s (pw_result_unmet_count of them), then the unmet `prefer`s, then
 * the advice. */
static inline const uint32_t *pwi_result_nodes(const pw_context *ctx, size_t prog)
{
    return ctx->lists + ctx->program->img->progs[prog].first_req;
}

/* With compiled rules (pw_program_use_native): prepares the facts and runs
 * the compiled entry for every program, *ran then true; without, only
 * prepares. pwi_native_result then gives program prog's results from it
 * (or from the VM where the entry left the program to it), as pw_evaluate
 * would. */
pw_status pwi_native_run(pw_context *ctx, pw_date as_of, bool *ran, pw_error *err);
pw_status pwi_native_result(pw_context *ctx, size_t prog, pw_date as_of, pw_error *err);
/* Evaluates the n programs progs[] (indices, in order) as pw_evaluate does
 * one by one, stopping at the first that fails, with one VM call for them
 * all (pv_run_all). */
pw_status pwi_evaluate_list(pw_context *ctx, const size_t *progs, size_t n, pw_date as_of, pw_error *err);

/* Success: clears the caller's error, structured fields included. */
pw_status pwi_ok(pw_error *err);


#endif
