/* Compiling, loading, saving and describing programs. */
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
#include "gen/gen.h"
#include "util/date.h"
#include "util/file.h"

pw_status pw_fail(pw_error *err, pw_status st, const char *fmt, ...)
{
    if (err) {
        err->status = st;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return st;
}

static pw_status pw_ok(pw_error *err)
{
    if (err) {
        err->status = PW_OK;
        err->message[0] = '\0';
    }
    return PW_OK;
}

const char *pw_version(void)
{
    return "0.1.0";
}

pw_status pw_date_parse(const char *text, pw_date *out, pw_error *err)
{
    if (!text || !out)
        return pw_fail(err, PW_ERR_USAGE, "pw_date_parse: NULL argument");
    int32_t d;
    if (!pt_parse(text, strlen(text), &d))
        return pw_fail(err, PW_ERR_USAGE,
                       "invalid date \"%s\": expected a real day as YYYY-MM-DD, years %d-%d", text,
                       PT_YEAR_MIN, PT_YEAR_MAX);
    *out = d;
    return pw_ok(err);
}

void pw_date_format(pw_date date, char buf[11])
{
    pt_format(date, buf);
}

/* ---- compiling ------------------------------------------------------------ */

/* Hands a verified image to the caller as a program; takes ownership. */
static pw_status pw_wrap(pb_image *img, pw_program **out, pw_error *err)
{
    pw_program *p = malloc(sizeof *p);
    if (!p) {
        pb_image_free(img);
        return pw_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    p->img = img;
    *out = p;
    return pw_ok(err);
}

/* The first error as one line, for callers that only read pw_error. */
static void pw_summarize(const pd_list *diags, ps_sources *src, pw_error *err)
{
    const pd_diag *first = NULL;
    for (const pd_diag *d = diags->head; d && !first; d = d->next)
        if (d->severity == PD_ERROR)
            first = d;
    unsigned more = diags->errors ? diags->errors - 1 : 0;
    char tail[64] = "";
    if (more)
        snprintf(tail, sizeof tail, " (and %u more error%s)", more, more == 1 ? "" : "s");
    if (!first) {
        pw_fail(err, PW_ERR_COMPILE, "compilation failed%s", diags->oom ? ": out of memory" : "");
    } else if (first->has_span) {
        uint32_t line, col;
        ps_position(src, first->span.file, first->span.start, &line, &col);
        pw_fail(err, PW_ERR_COMPILE, "%s:%u:%u: %s%s", src->files[first->span.file].name, line, col,
                first->message, tail);
    } else {
        pw_fail(err, PW_ERR_COMPILE, "%s%s", first->message, tail);
    }
    if (diags->oom && err)
        err->status = PW_ERR_NOMEM;
}

/* Hands the rendered diagnostics to the caller. Returns false, without
 * calling back, when they could not all be rendered for want of memory: a
 * truncated rendering would pass for the whole list. */
static bool pw_report(const pw_compile_options *opt, const pd_list *diags, ps_sources *src)
{
    if (!opt || !opt->on_diagnostics || !diags->head)
        return true;
    pd_buf buf = {0};
    if (opt->format == PW_DIAG_JSON) {
        pd_render_json(diags, src, &buf);
    } else {
        pd_render_text(diags, src, opt->color, &buf);
        /* The closing tally, as clang prints it. */
        if (diags->truncated)
            pd_buf_printf(&buf, "error: too many errors; stopped reporting after %u\n", diags->max_errors);
        if (diags->warnings)
            pd_buf_printf(&buf, "%u warning%s%s", diags->warnings, diags->warnings == 1 ? "" : "s",
                          diags->errors ? " and " : " generated.\n");
        if (diags->errors)
            pd_buf_printf(&buf, "%u error%s generated.\n", diags->errors, diags->errors == 1 ? "" : "s");
    }
    bool ok = !buf.oom;
    if (ok && buf.data)
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
        if (d->severity == PD_ERROR && (strcmp(d->code, "E0001") == 0 || strcmp(d->code, "E0002") == 0 ||
                                        strcmp(d->code, "E0004") == 0 || strcmp(d->code, "E0005") == 0 ||
                                        strcmp(d->code, "E0006") == 0))
            return true;
    return false;
}

static pw_status pw_compile(const char *name, const char *text, size_t len,
                            const pw_compile_options *opt, pw_tree_fn inspect, void *user,
                            pw_program **out, pw_error *err)
{
    if (!name || !out)
        return pw_fail(err, PW_ERR_USAGE, "pw_compile: NULL argument");
    *out = NULL;
    if (opt && opt->limits && opt->limits->max_nesting > PW_MAX_NESTING)
        return pw_fail(err, PW_ERR_USAGE, "max_nesting %u is above %u, the most the stack is sized for",
                       opt->limits->max_nesting, PW_MAX_NESTING);
    pm_arena arena;
    pm_init(&arena, 65536);
    ps_sources src;
    ps_init(&src, &arena);
    pd_list diags;
    pd_init(&diags, &arena, opt && opt->max_errors ? opt->max_errors : 50);
    const pw_limits *lim = opt ? opt->limits : NULL;
    pp_limits limits = {lim ? lim->max_source_bytes : 0, lim ? lim->max_nesting : 0,
                        lim ? lim->max_includes : 0};
    pp_includes inc = {opt ? opt->include_root : NULL, opt ? opt->include_resolver : NULL,
                       opt ? opt->include_user : NULL};
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
    if ((decls || diags.errors == 0) && !diags.oom && !pw_files_missing(&diags))
        ok = pc_check(&arena, &src, &diags, decls, limits.max_depth, &checked) && ok;
    else
        ok = false;
    if (ok && diags.errors == 0) {
        img = pg_generate(&checked, &src, msg, sizeof msg);
        if (!img)
            st = pw_fail(err, strstr(msg, "memory") ? PW_ERR_NOMEM : PW_ERR_COMPILE, "%s: %s", name, msg);
        else if (!pb_verify(img, msg, sizeof msg)) {
            /* The verifier allocates too; running out there says nothing
             * about the bytecode. Its messages are its own text, never the
             * rules'. */
            if (strncmp(msg, "out of memory", 13) == 0)
                st = pw_fail(err, PW_ERR_NOMEM, "%s: %s", name, msg);
            else
                st = pw_fail(err, PW_ERR_COMPILE,
                             "%s: internal error: generated bytecode failed verification: %s", name, msg);
            pb_image_free(img);
        } else {
            st = pw_wrap(img, out, err); /* frees the image when it fails */
        }
    } else {
        pw_summarize(&diags, &src, err);
        st = err ? err->status : PW_ERR_COMPILE;
        if (st == PW_OK)
            st = PW_ERR_COMPILE;
    }
    if (!pw_report(opt, &diags, &src)) {
        /* The caller asked for the diagnostics and cannot have them. */
        pw_program_free(*out);
        *out = NULL;
        st = pw_fail(err, PW_ERR_NOMEM, "%s: out of memory rendering the diagnostics", name);
    }
    if (inspect && decls && !diags.oom) {
        pw_tree tree = {decls, &src, &checked, *out};
        inspect(user, &tree);
    }
    ps_fini(&src);
    pm_free(&arena);
    return st;
}

pw_status pw_compile_file(const char *path, const pw_compile_options *options, pw_program **out,
                          pw_error *err)
{
    return pw_compile(path, NULL, 0, options, NULL, NULL, out, err);
}

pw_status pw_compile_tree(const char *path, const pw_compile_options *options, pw_tree_fn inspect,
                          void *user, pw_program **out, pw_error *err)
{
    return pw_compile(path, NULL, 0, options, inspect, user, out, err);
}

pw_status pw_compile_source(const char *name, const char *source, size_t len,
                            const pw_compile_options *options, pw_program **out, pw_error *err)
{
    if (!source)
        return pw_fail(err, PW_ERR_USAGE, "pw_compile_source: NULL source");
    return pw_compile(name, source, len, options, NULL, NULL, out, err);
}

/* ---- bytecode ------------------------------------------------------------- */

pw_status pw_program_load(const void *bytes, size_t len, pw_program **out, pw_error *err)
{
    if (!bytes || !out)
        return pw_fail(err, PW_ERR_USAGE, "pw_program_load: NULL argument");
    *out = NULL;
    char msg[512];
    pb_image *img = pb_load(bytes, len, NULL, msg, sizeof msg);
    if (!img)
        return pw_fail(err, strstr(msg, "out of memory") ? PW_ERR_NOMEM : PW_ERR_FORMAT, "%s", msg);
    return pw_wrap(img, out, err);
}

pw_status pw_program_open(const char *path, const pw_compile_options *options, pw_program **out,
                          pw_error *err)
{
    if (!path || !out)
        return pw_fail(err, PW_ERR_USAGE, "pw_program_open: NULL argument");
    const pw_limits *lim = options ? options->limits : NULL;
    size_t max_bc = lim && lim->max_bytecode_bytes ? lim->max_bytecode_bytes : PW_DEFAULT_MAX_BYTECODE_BYTES;
    size_t max_src = lim && lim->max_source_bytes ? lim->max_source_bytes : PW_DEFAULT_MAX_SOURCE_BYTES;
    char *data;
    size_t len;
    char msg[512];
    /* Rules are read from regular files only: a FIFO or a device would
     * block the read forever. */
    if (strcmp(path, "-") != 0) {
        bool not_regular;
        int fd = ps_open_regular(path, &not_regular);
        if (fd < 0 && not_regular)
            return pw_fail(err, PW_ERR_IO, "cannot read %s: not a regular file", path);
        if (fd < 0)
            return pw_fail(err, errno == ENOMEM ? PW_ERR_NOMEM : PW_ERR_IO, "cannot open %s: %s", path,
                           strerror(errno));
        close(fd);
    }
    /* Either kind may be in the file: read up to the larger limit, then hold
     * each kind to its own (the compiler checks the source's). */
    if (!pu_read_file(path, max_bc > max_src ? max_bc : max_src, &data, &len, msg, sizeof msg))
        return pw_fail(err, errno == ENOMEM ? PW_ERR_NOMEM : PW_ERR_IO, "%s", msg);
    pw_status st;
    /* The magic decides; a file named .pwc is bytecode whatever it holds, so
     * a damaged one gets the loader's message, not a page of syntax errors. */
    size_t plen = strlen(path);
    bool named_pwc = plen >= 4 && strcmp(path + plen - 4, ".pwc") == 0;
    bool bytecode = named_pwc || (len >= PB_MAGIC_LEN && memcmp(data, PB_MAGIC, PB_MAGIC_LEN) == 0);
    if (bytecode && len > max_bc) {
        st = pw_fail(err, PW_ERR_FORMAT, "%s: bytecode of %zu bytes is larger than the limit of %zu bytes",
                     path, len, max_bc);
    } else if (bytecode) {
        st = pw_program_load(data, len, out, err);
        if (st != PW_OK && err) {
            char inner[sizeof err->message];
            memcpy(inner, err->message, sizeof inner);
            pw_fail(err, st, "%s: %s", path, inner);
        }
    } else {
        st = pw_compile(path, data, len, options, NULL, NULL, out, err);
    }
    free(data);
    return st;
}

pw_status pw_program_save(const pw_program *program, void **bytes, size_t *len, pw_error *err)
{
    if (!program || !bytes || !len)
        return pw_fail(err, PW_ERR_USAGE, "pw_program_save: NULL argument");
    uint8_t *out;
    if (!pb_save(program->img, &out, len))
        return pw_fail(err, PW_ERR_NOMEM, "out of memory");
    *bytes = out;
    return pw_ok(err);
}

void pw_program_free(pw_program *program)
{
    if (!program)
        return;
    pb_image_free(program->img);
    free(program);
}

/* ---- describing ----------------------------------------------------------- */

static const char *pw_str(const pb_image *img, uint32_t id)
{
    return id < img->nstrings ? img->strings[id] : NULL;
}

size_t pw_program_count(const pw_program *program)
{
    return program ? program->img->nprogs : 0;
}

const char *pw_program_id(const pw_program *program, size_t index)
{
    if (!program || index >= program->img->nprogs)
        return NULL;
    return pw_str(program->img, program->img->progs[index].id);
}

const char *pw_program_title(const pw_program *program, size_t index)
{
    if (!program || index >= program->img->nprogs)
        return NULL;
    return pw_str(program->img, program->img->progs[index].title);
}

pw_status pw_program_find(const pw_program *program, const char *id, size_t *index, pw_error *err)
{
    if (!program || !id || !index)
        return pw_fail(err, PW_ERR_USAGE, "pw_program_find: NULL argument");
    for (uint32_t i = 0; i < program->img->nprogs; i++) {
        if (strcmp(pw_str(program->img, program->img->progs[i].id), id) == 0) {
            *index = i;
            return pw_ok(err);
        }
    }
    return pw_fail(err, PW_ERR_USAGE, "no program `%s` in this rule set", id);
}

size_t pw_requirement_count(const pw_program *program, size_t prog)
{
    if (!program || prog >= program->img->nprogs)
        return 0;
    return program->img->progs[prog].nreqs;
}

pw_status pw_requirement_info(const pw_program *program, size_t prog, size_t req,
                              pw_requirement *out, pw_error *err)
{
    if (!program || !out || prog >= program->img->nprogs ||
        req >= program->img->progs[prog].nreqs)
        return pw_fail(err, PW_ERR_USAGE, "pw_requirement_info: no requirement %zu in program %zu", req,
                       prog);
    const pb_image *img = program->img;
    const pb_req *r = &img->reqs[img->progs[prog].first_req + req];
    out->label = pw_str(img, r->label);
    out->citation = pw_str(img, r->cite);
    out->kind = (pw_req_kind)r->kind;
    out->role = (pw_req_role)r->role;
    out->depth = r->depth;
    out->min = r->min;
    out->file = pw_str(img, r->file);
    out->line = r->line;
    out->column = r->col;
    out->from = r->from;
    out->until = r->until;
    return pw_ok(err);
}

/* ---- versions ------------------------------------------------------------- */

/* Versions are told apart by text, not string id: a loaded image need not
 * have interned its strings. */
static bool pw_same_id(const pb_image *img, uint32_t a, uint32_t b)
{
    return img->progs[a].id == img->progs[b].id ||
           strcmp(img->strings[img->progs[a].id], img->strings[img->progs[b].id]) == 0;
}

void pw_program_period(const pw_program *program, size_t prog, pw_date *from, pw_date *until)
{
    bool ok = program && prog < program->img->nprogs;
    if (from)
        *from = ok ? program->img->progs[prog].from : PW_DATE_MIN;
    if (until)
        *until = ok ? program->img->progs[prog].until : PW_DATE_MAX;
}

bool pw_program_dated(const pw_program *program, size_t prog)
{
    if (!program || prog >= program->img->nprogs)
        return false;
    const pb_image *img = program->img;
    for (uint32_t i = 0; i < img->nprogs; i++)
        if (pw_same_id(img, (uint32_t)prog, i) &&
            (img->progs[i].from != PB_OPEN_FROM || img->progs[i].until != PB_OPEN_UNTIL))
            return true;
    return false;
}

bool pw_program_is_first_version(const pw_program *program, size_t prog)
{
    if (!program || prog >= program->img->nprogs)
        return false;
    for (uint32_t i = 0; i < prog; i++)
        if (pw_same_id(program->img, (uint32_t)prog, i))
            return false;
    return true;
}

size_t pw_program_version_at(const pw_program *program, size_t prog, pw_date date)
{
    if (!program || prog >= program->img->nprogs)
        return prog;
    const pb_image *img = program->img;
    size_t next = SIZE_MAX, last = prog;
    for (uint32_t i = 0; i < img->nprogs; i++) {
        if (!pw_same_id(img, (uint32_t)prog, i))
            continue;
        const pb_prog *v = &img->progs[i];
        if (date >= v->from && date <= v->until)
            return i;
        if (v->from > date && (next == SIZE_MAX || v->from < img->progs[next].from))
            next = i;
        if (v->until < date && v->until >= img->progs[last].until)
            last = i;
    }
    return next != SIZE_MAX ? next : last;
}
