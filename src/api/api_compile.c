/* Compiling: every public entry point that needs the front end, the checker
 * or the code generator. The runtime library (loading .pwc files and
 * evaluating) is src/api without this file, so a host that only loads
 * bytecode links no compiler code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_int.h"
#include "bc/bytecode.h"
#include "check/check.h"
#include "diag/diag.h"
#include "front/parse.h"
#include "source/source.h"
#include "gen/gen.h"
#include "util/assert.h"
#include "util/file.h"

/* ---- compiling ------------------------------------------------------------ */

/* The first error as one line, for callers that only read pw_error; the
 * status, PW_ERR_NOMEM when a diagnostic was lost for want of memory,
 * whether or not the caller passed a pw_error. */
static pw_status pw_summarize(const pd_list *diags, ps_sources *src, pw_error *err)
{
    pw_status st = diags->oom ? PW_ERR_NOMEM : PW_ERR_COMPILE;
    const pd_diag *first = NULL;
    for (const pd_diag *d = diags->head; d && !first; d = d->next)
        if (PU_ALWAYS(d->severity == PD_ERROR)) /* every compiler code is an error (codes.h) */
            first = d;
    unsigned more = diags->errors ? diags->errors - 1 : 0;
    char tail[64] = "";
    if (more)
        snprintf(tail, sizeof tail, " (and %u more error%s)", more, more == 1 ? "" : "s");
    if (!first) {
        /* No error to show: it could not be stored. A compilation fails
         * only after an error or for want of memory (the parser and the
         * checker return false only then), and the first error is always
         * kept (max_errors is at least 1) unless memory ran out. */
        pwi_fail(err, st, "compilation failed%s", PU_ALWAYS(diags->oom) ? ": out of memory" : "");
    } else if (first->has_span) {
        uint32_t line, col;
        ps_position(src, first->span.file, first->span.start, &line, &col);
        const char *file = src->files[first->span.file].name;
        pwi_fail(err, st, "%s:%u:%u: %s%s", file, line, col, first->message, tail);
        if (err) {
            snprintf(err->file, sizeof err->file, "%s", file);
            err->line = line;
            err->column = col;
        }
    } else {
        pwi_fail(err, st, "%s%s", first->message, tail);
    }
    return st;
}

/* Hands the rendered diagnostics to the caller. Returns false, without
 * calling back, when they could not all be rendered for want of memory: a
 * truncated rendering would pass for the whole list. */
static bool pw_report(const pw_compile_options *opt, const pd_list *diags, ps_sources *src)
{
    if (!opt->on_diagnostics || !diags->head) /* opt: the caller's, read into a copy */
        return true;
    pd_buf buf = {0};
    if (opt->format == PW_DIAG_JSON) {
        pd_render_json(diags, src, &buf);
    } else {
        pd_render_text(diags, src, opt->color, &buf);
        /* The closing tally, as clang prints it. */
        if (diags->truncated)
            pd_buf_printf(&buf, "error: too many errors; stopped reporting after %u\n", diags->max_errors);
        if (PU_NEVER(diags->warnings)) /* the compiler has no warning codes (codes.h) */
            pd_buf_printf(&buf, "%u warning%s%s", diags->warnings, diags->warnings == 1 ? "" : "s",
                          diags->errors ? " and " : " generated.\n");
        if (PU_ALWAYS(diags->errors)) /* the list is not empty, and all errors */
            pd_buf_printf(&buf, "%u error%s generated.\n", diags->errors, diags->errors == 1 ? "" : "s");
    }
    bool ok = !buf.oom;
    if (ok && PU_ALWAYS(buf.data)) /* a list that is not empty renders its first header */
        opt->on_diagnostics(opt->user, buf.data);
    pd_buf_free(&buf);
    return ok;
}

/* A file of the rule set could not be read (missing, too large, too many
 * files, not rule source, refused by the include root or resolver): every name it declares would be reported unknown, which buries
 * the one error that matters, so checking stops there, as a C compiler
 * stops at a missing header. */
static bool pw_files_missing(const pd_list *diags)
{
    for (const pd_diag *d = diags->head; d; d = d->next)
        if (pd_diag_is(d, PD_E0001) || pd_diag_is(d, PD_E0002) || pd_diag_is(d, PD_E0004) ||
            pd_diag_is(d, PD_E0005) || pd_diag_is(d, PD_E0006))
            return true;
    return false;
}

/* An expression taller than the nesting limit (E0205): the parser reports it
 * but keeps the tree, and every pass after it recurses over trees, so checking
 * stops there (a chain of 100,000 `.field`s or `and`s must not overflow a
 * pass's stack: tests/cli/deep.sh). */
static bool pw_too_deep(const pd_list *diags)
{
    for (const pd_diag *d = diags->head; d; d = d->next)
        if (pd_diag_is(d, PD_E0205))
            return true;
    return false;
}

/* The caller's options in this release's layout, limits included. */
typedef struct pwi_compile_opts {
    pw_compile_options opt;
    pw_limits limits;
} pwi_compile_opts;

static pw_status pwi_compile_opts_read(const pw_compile_options *given, pwi_compile_opts *o, pw_error *err)
{
    pw_status st = pwi_options(given, sizeof o->opt, &o->opt, "pw_compile_options", err);
    if (st == PW_OK)
        st = pwi_options(o->opt.limits, sizeof o->limits, &o->limits, "pw_limits", err);
    o->opt.limits = &o->limits;
    return st;
}

pw_status pwi_compile(const char *name, const char *text, size_t len,
                            const pw_compile_options *given, pt_tree_fn inspect, void *user,
                            pw_program **out, pw_error *err)
{
    return pwi_compile_overlay(name, text, len, given, NULL, inspect, user, out, err);
}

pw_status pwi_compile_overlay(const char *name, const char *text, size_t len,
                              const pw_compile_options *given, const pt_overlay *overlay,
                              pt_tree_fn inspect, void *user, pw_program **out, pw_error *err)
{
    if (!name || !out)
        return pwi_fail(err, PW_ERR_USAGE, "pw_compile: NULL argument");
    *out = NULL;
    pwi_compile_opts o;
    pw_status ost = pwi_compile_opts_read(given, &o, err);
    if (ost != PW_OK)
        return ost;
    const pw_compile_options *opt = &o.opt;
    const pw_limits *lim = &o.limits;
    if (lim->max_nesting > PW_MAX_NESTING)
        return pwi_fail(err, PW_ERR_USAGE, "max_nesting %u is above %u, the most the stack is sized for",
                       lim->max_nesting, PW_MAX_NESTING);
    pm_arena arena;
    pm_init(&arena, 65536);
    ps_sources src;
    ps_init(&src, &arena);
    pd_list diags;
    pd_init(&diags, &arena, opt->max_errors ? opt->max_errors : 50);
    pp_limits limits = {lim->max_source_bytes, lim->max_nesting, lim->max_includes};
    pp_includes inc = {opt->include_root, opt->include_resolver, opt->include_user,
                       overlay ? overlay->path : NULL,
                       overlay ? overlay->text : NULL,
                       overlay ? overlay->len : 0};
    pa_decl *decls = NULL;
    pc_program checked;
    memset(&checked, 0, sizeof checked);
    pb_image *img = NULL;
    pw_status st = PW_OK;
    char msg[512];

    bool ok = pp_parse_program_with(&arena, &src, &diags, &limits, &inc, name, text, len, &decls);
    /* Check even after syntax errors: the tree is whole where recovery
     * worked, and one run should report as much as it can. */
    /* An empty file has no declarations but still deserves its "no facts"
     * error; after syntax errors with nothing parsed, that would be noise. */
    if ((decls || diags.errors == 0) && !diags.oom && !pw_files_missing(&diags) && !pw_too_deep(&diags))
        ok = pc_check(&arena, &src, &diags, decls, limits.max_depth, &checked) && ok;
    else
        ok = false;
    /* ok: parsed and checked with no error and no want of memory (the
     * parser and the checker return true only then). */
    if (ok && PU_ALWAYS(diags.errors == 0)) {
        img = pk_generate(&checked, &src, msg, sizeof msg);
        if (!img)
            st = pwi_fail(err, strstr(msg, "memory") ? PW_ERR_NOMEM : PW_ERR_COMPILE, "%s: %s", name, msg);
        else if (!pb_verify(img, msg, sizeof msg)) {
            /* The verifier allocates too; running out there says nothing
             * about the bytecode. Its messages are its own text, never the
             * rules'. */
            bool nomem = strncmp(msg, "out of memory", 13) == 0;
            /* The code generator's output verifies (the fuzzers and every
             * rule file of the tests hold it to that). */
            if (PU_ALWAYS(nomem))
                st = pwi_fail(err, PW_ERR_NOMEM, "%s: %s", name, msg);
            else
                st = pwi_fail(err, PW_ERR_COMPILE,
                             "%s: internal error: generated bytecode failed verification: %s", name, msg);
            pb_image_free(img);
        } else {
            st = pwi_wrap(img, out, err); /* frees the image when it fails */
        }
    } else {
        st = pw_summarize(&diags, &src, err);
    }
    if (!pw_report(opt, &diags, &src)) {
        /* The caller asked for the diagnostics and cannot have them. */
        pw_program_free(*out);
        *out = NULL;
        st = pwi_fail(err, PW_ERR_NOMEM, "%s: out of memory rendering the diagnostics", name);
    }
    if (inspect && decls && !diags.oom) {
        pt_tree tree = {decls, &src, &checked, *out};
        inspect(user, &tree);
    }
    ps_fini(&src);
    pm_free(&arena);
    return st;
}

pw_status pw_compile_file(const char *path, const pw_compile_options *options, pw_program **out,
                          pw_error *err)
{
    return pwi_compile(path, NULL, 0, options, NULL, NULL, out, err);
}

pw_status pw_compile_source(const char *name, const char *source, size_t len,
                            const pw_compile_options *options, pw_program **out, pw_error *err)
{
    if (!source)
        return pwi_fail(err, PW_ERR_USAGE, "pw_compile_source: NULL source");
    return pwi_compile(name, source, len, options, NULL, NULL, out, err);
}

pw_status pw_program_open(const char *path, const pw_compile_options *options, pw_program **out,
                          pw_error *err)
{
    if (!path || !out)
        return pwi_fail(err, PW_ERR_USAGE, "pw_program_open: NULL argument");
    *out = NULL;
    pwi_compile_opts o;
    pw_status ost = pwi_compile_opts_read(options, &o, err);
    if (ost != PW_OK)
        return ost;
    const pw_limits *lim = &o.limits;
    size_t max_bc = lim->max_bytecode_bytes ? lim->max_bytecode_bytes : PW_DEFAULT_MAX_BYTECODE_BYTES;
    size_t max_src = lim->max_source_bytes ? lim->max_source_bytes : PW_DEFAULT_MAX_SOURCE_BYTES;
    char *data;
    size_t len;
    char msg[512];
    /* Rules are read from regular files only: a FIFO or a device would
     * block the read forever. */
    if (strcmp(path, "-") != 0) {
        bool not_regular;
        int fd = ps_open_regular(path, &not_regular);
        if (fd < 0 && not_regular)
            return pwi_fail(err, PW_ERR_IO, "cannot read %s: not a regular file", path);
        if (fd < 0)
            return pwi_fail(err, errno == ENOMEM ? PW_ERR_NOMEM : PW_ERR_IO, "cannot open %s: %s", path,
                           strerror(errno));
        close(fd);
    }
    /* Either kind may be in the file: read up to the larger limit, then hold
     * each kind to its own (the compiler checks the source's). */
    if (!pu_read_file(path, max_bc > max_src ? max_bc : max_src, &data, &len, msg, sizeof msg))
        return pwi_fail(err, errno == ENOMEM ? PW_ERR_NOMEM : PW_ERR_IO, "%s", msg);
    pw_status st;
    /* The magic decides; a file named .pwc is bytecode whatever it holds, so
     * a damaged one gets the loader's message, not a page of syntax errors. */
    size_t plen = strlen(path);
    bool named_pwc = plen >= 4 && strcmp(path + plen - 4, ".pwc") == 0;
    bool bytecode = named_pwc || (len >= PB_MAGIC_LEN && memcmp(data, PB_MAGIC, PB_MAGIC_LEN) == 0);
    if (bytecode && len > max_bc) {
        st = pwi_fail(err, PW_ERR_FORMAT, "%s: bytecode of %zu bytes is larger than the limit of %zu bytes",
                     path, len, max_bc);
    } else if (bytecode) {
        st = pw_program_load(data, len, out, err);
        if (st != PW_OK && err) {
            char inner[sizeof err->message];
            memcpy(inner, err->message, sizeof inner);
            pwi_fail(err, st, "%s: %s", path, inner);
        }
    } else {
        st = pwi_compile(path, data, len, options, NULL, NULL, out, err);
    }
    free(data);
    return st;
}
