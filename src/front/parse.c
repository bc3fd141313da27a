/* The front end's driver: runs the scanner and parser over one text, and
 * follows `include`s from file to file (each file read once, cycles
 * reported), splicing every included file's declarations in at its include.
 * No global state: everything lives in the caller's arena, sources and
 * diagnostics, or on the stack. */

/* realpath is an XSI interface; the build asks only for POSIX. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include "parse.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parser.h"
#include "util/assert.h"

enum {
    PP_DEFAULT_FILE_SIZE = 4 << 20,
    PP_DEFAULT_INCLUDES = 256,
};

static pp_limits pp_limits_of(const pp_limits *given)
{
    pp_limits l;
    memset(&l, 0, sizeof l);
    if (given)
        l = *given;
    if (!l.max_file_size)
        l.max_file_size = PP_DEFAULT_FILE_SIZE;
    if (!l.max_depth)
        l.max_depth = PP_DEFAULT_NESTING;
    if (!l.max_includes)
        l.max_includes = PP_DEFAULT_INCLUDES;
    return l;
}

/* ---- one text -------------------------------------------------------------- */

static int pp_run_guarded(pp_lex *lx, pp_parser *p, const char *text, size_t len)
{
    yyscan_t scanner;
    if (!pp_lex_open(lx, &scanner, text, len))
        return 2;
    errno = 0; /* pw_yyerror reads it to tell a failed malloc from a too deep parse */
    int rc = pw_yyparse(scanner, p);
    pp_lex_close(scanner);
    return rc;
}

/* Flex reports running out of memory through YY_FATAL_ERROR, which must not
 * return; it jumps back here instead. The scanner's memory is in the arena,
 * so nothing is lost but the parse. Returns yyparse's result (0 parsed,
 * 1 gave up after errors, 2 out of memory). */
static int pp_run(pp_lex *lx, pp_parser *p, const char *text, size_t len)
{
    jmp_buf fatal;
    lx->fatal = &fatal;
    if (setjmp(fatal))
        return 2;
    return pp_run_guarded(lx, p, text, len);
}

static void pp_lex_init(pp_lex *lx, pm_arena *arena, ps_sources *src, uint32_t file,
                        pd_list *diags, unsigned max_depth)
{
    memset(lx, 0, sizeof *lx);
    lx->arena = arena;
    lx->src = src;
    lx->file = file;
    lx->diags = diags;
    lx->max_depth = max_depth;
    for (int i = 0; i < 3; i++) {
        lx->hist[i].kind = T_PW_YYEMPTY;
        lx->hist[i].span = (ps_span){file, 0, 0};
    }
}

bool pp_parse_text(pm_arena *arena, ps_sources *src, uint32_t file, pd_list *diags,
                   const pp_limits *limits, pa_decl **decls)
{
    if (file >= src->nfiles)
        return false;
    pp_limits lim = pp_limits_of(limits);
    unsigned errors = diags->errors;
    pp_lex lx;
    pp_lex_init(&lx, arena, src, file, diags, lim.max_depth);
    pp_parser p;
    memset(&p, 0, sizeof p);
    p.lex = &lx;
    p.arena = arena;
    p.diags = diags;
    p.file = file;
    p.max_depth = lim.max_depth;
    int rc = pp_run(&lx, &p, src->files[file].text, src->files[file].len);
    if (rc == 2 && !diags->oom && diags->errors == errors)
        diags->oom = true; /* the scanner could not start */
    /* Whatever was parsed is kept, even after errors: declarations are
     * appended as they are completed. */
    pa_decl **end = decls;
    while (*end)
        end = &(*end)->next;
    *end = p.head;
    return rc == 0 && !p.oom && !diags->oom && diags->errors == errors;
}

/* ---- files and includes --------------------------------------------------- */

/* One file on the chain of includes being loaded, for cycle reports. */
typedef struct pp_frame pp_frame;
struct pp_frame {
    uint32_t file;
    const pa_decl *inc; /* the include that brought it in; NULL for the root */
    const pp_frame *up;
};

typedef struct pp_loader {
    pm_arena *arena;
    ps_sources *src;
    pd_list *diags;
    pp_limits lim;
    pp_includes inc;
    const char *root; /* realpath of inc.root, or NULL */
} pp_loader;

static void pp_strerror(int err, char *buf, size_t len)
{
    /* err is the errno of a failed system call, which has a message, and
     * every buffer here holds the longest (128 bytes). */
    int rc = strerror_r(err, buf, len);
    if (PU_NEVER(rc != 0))
        snprintf(buf, len, "error %d", err);
}

static void pp_oom(pp_loader *L) { L->diags->oom = true; }

/* The path as the user wrote it, resolved against the including file's
 * directory: `../common/coach.pw` in `rules/usatf/usatf.pw` is
 * `rules/usatf/../common/coach.pw`. */
static char *pp_join(pp_loader *L, const char *includer, const char *path)
{
    const char *slash = strrchr(includer, '/');
    if (path[0] == '/' || !slash)
        return pm_strndup(L->arena, path, strlen(path));
    size_t dir = (size_t)(slash - includer) + 1, n = strlen(path);
    char *s = pm_alloc(L->arena, dir + n + 1);
    if (s) {
        memcpy(s, includer, dir);
        memcpy(s + dir, path, n + 1);
    }
    return s;
}

/* The canonical path (for dedupe and cycles), in the arena; NULL with errno
 * set when the file cannot be resolved. */
static char *pp_realpath(pp_loader *L, const char *name)
{
    char *r = realpath(name, NULL);
    if (!r) {
        /* realpath allocates its result: running out of memory there is not
         * a file that cannot be read. */
        if (errno == ENOMEM)
            pp_oom(L);
        return NULL;
    }
    char *s = pm_strndup(L->arena, r, strlen(r));
    free(r);
    if (!s) {
        pp_oom(L);
        errno = ENOMEM;
    }
    return s;
}

static void pp_cannot_read(pp_loader *L, const ps_span *at, const char *name, int err)
{
    char why[128];
    pp_strerror(err, why, sizeof why);
    pd_report(L->diags, PD_E0001, at, "cannot read `%s`: %s", name, why);
}

/* Reads a whole file, refusing more than the size limit and anything but a
 * regular file (a FIFO would block forever). Returns a malloc'd buffer (NULL
 * after reporting the problem). */
static char *pp_slurp(pp_loader *L, const ps_span *at, const char *name, const char *real,
                      size_t *len)
{
    bool not_regular;
    int fd = ps_open_regular(real, &not_regular);
    if (fd < 0) {
        if (not_regular)
            pd_report(L->diags, PD_E0001, at, "cannot read `%s`: not a regular file", name);
        else
            pp_cannot_read(L, at, name, errno);
        return NULL;
    }
    size_t cap = 0, n = 0, max = L->lim.max_file_size;
    char *buf = NULL;
    int err = 0;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            if (ncap > max + 1)
                ncap = max + 1;
            char *nb = ncap > cap ? realloc(buf, ncap) : NULL;
            if (!nb) {
                err = n > max ? EFBIG : ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            err = got < 0 ? errno : 0;
            break;
        }
        n += (size_t)got;
    }
    close(fd);
    if (err == EFBIG) {
        pd_report(L->diags, PD_E0002, at, "`%s` is too large: the limit is %zu bytes", name,
                  max);
    } else if (err == ENOMEM) {
        pp_oom(L);
    } else if (err) {
        pp_cannot_read(L, at, name, err);
    }
    if (err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Reads a file into the sources; its index, or -1 after reporting. */
static int pp_read(pp_loader *L, const ps_span *at, const char *name, const char *real)
{
    if (L->inc.overlay_path && strcmp(real, L->inc.overlay_path) == 0) {
        if (L->inc.overlay_len > L->lim.max_file_size) {
            pd_report(L->diags, PD_E0002, at, "`%s` is too large: the limit is %zu bytes", name,
                      L->lim.max_file_size);
            return -1;
        }
        int idx = ps_add(L->src, name, real, L->inc.overlay_text, L->inc.overlay_len);
        if (idx < 0)
            pp_oom(L);
        return idx;
    }
    size_t len = 0;
    char *text = pp_slurp(L, at, name, real, &len);
    if (!text)
        return -1;
    int idx = ps_add(L->src, name, real, text, len);
    free(text);
    if (idx < 0)
        pp_oom(L);
    return idx;
}

static bool pp_loaded(const pp_loader *L, const char *real)
{
    for (uint32_t i = 0; i < L->src->nfiles; i++)
        if (strcmp(L->src->files[i].path, real) == 0)
            return true;
    return false;
}

/* `include` back into a file that is still being read: name the chain, from
 * that file to here, and show each include on it. */
static void pp_cycle(pp_loader *L, const pa_decl *inc, const pp_frame *here, const pp_frame *target)
{
    size_t n = 0;
    for (const pp_frame *f = here; f != target->up; f = f->up)
        n++;
    /* path[0] is this file, path[n - 1] the one included again */
    const pp_frame **path = pm_alloc(L->arena, n * sizeof *path);
    pd_buf chain = {NULL, 0, 0, false};
    if (!path) {
        pp_oom(L);
        return;
    }
    n = 0;
    for (const pp_frame *f = here; f != target->up; f = f->up)
        path[n++] = f;
    pd_buf_printf(&chain, "include cycle: ");
    for (size_t i = n; i-- > 0;)
        pd_buf_printf(&chain, "%s → ", L->src->files[path[i]->file].name);
    pd_buf_printf(&chain, "%s", L->src->files[target->file].name);
    if (chain.oom) {
        pp_oom(L);
        pd_buf_free(&chain);
        return;
    }
    pd_diag *d = pd_report(L->diags, PD_E0003, &inc->u.include.path_span, "%s", chain.data);
    pd_buf_free(&chain);
    for (size_t i = n - 1; i-- > 0;) { /* from the first include on the chain */
        const pp_frame *f = path[i];
        pd_note_add(L->diags, d, &f->inc->u.include.path_span, "`%s` includes `%s` here",
                    L->src->files[f->up->file].name, L->src->files[f->file].name);
    }
}

static void pp_load(pp_loader *L, uint32_t file, const pa_decl *via, const pp_frame *up,
                    pa_decl **out);

/* The name an include is read under: the host's resolver decides when it
 * is given; otherwise the path relative to the including file, where an
 * absolute path is refused under an include root. NULL after reporting. */
static char *pp_include_name(pp_loader *L, const pa_decl *inc, const pp_frame *here)
{
    const ps_span *at = &inc->u.include.path_span;
    const char *includer = L->src->files[here->file].name;
    const char *path = inc->u.include.path;
    if (L->inc.resolver) {
        char why[256] = "";
        char *r = L->inc.resolver(L->inc.user, includer, path, why, sizeof why);
        if (!r) {
            why[sizeof why - 1] = '\0';
            pd_report(L->diags, PD_E0006, at, "include `%s` refused: %s", path,
                      why[0] ? why : "the include resolver refused it");
            return NULL;
        }
        char *name = pm_strndup(L->arena, r, strlen(r));
        free(r); /* the resolver's result is malloc'd and ours to free */
        if (!name)
            pp_oom(L);
        return name;
    }
    if (L->root && path[0] == '/') {
        pd_report(L->diags, PD_E0006, at,
                  "include `%s` refused: an absolute path is outside the include root", path);
        return NULL;
    }
    char *name = pp_join(L, includer, path);
    if (!name)
        pp_oom(L);
    return name;
}

/* True when the canonical path `real` is the include root or under it. */
static bool pp_under_root(const pp_loader *L, const char *real)
{
    size_t n = strlen(L->root);
    if (n == 1) /* the root is `/` */
        return true;
    return strncmp(real, L->root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* The absolute form of `name` with `.` and `..` taken away by their
 * spelling alone (symbolic links are not followed: the path need not
 * exist), in the arena; NULL when out of memory or without a cwd. */
static char *pp_lexical(pp_loader *L, const char *name)
{
    char cwd[4096] = "";
    if (name[0] != '/' && !getcwd(cwd, sizeof cwd))
        return NULL;
    size_t n = strlen(cwd) + strlen(name) + 2;
    char *out = pm_alloc(L->arena, n), *o = out;
    char *in = pm_alloc(L->arena, n);
    if (!out || !in) {
        pp_oom(L);
        return NULL;
    }
    snprintf(in, n, "%s/%s", cwd, name);
    *o = '\0';
    for (char *p = in; *p;) {
        while (*p == '/')
            p++;
        char *end = p;
        while (*end && *end != '/')
            end++;
        size_t len = (size_t)(end - p);
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (o > out && *--o != '/') /* back to the previous slash */
                ;
            *o = '\0';
        } else if (len && !(len == 1 && p[0] == '.')) {
            *o++ = '/';
            memcpy(o, p, len);
            o += len;
            *o = '\0';
        }
        p = end;
    }
    if (o == out) {
        out[0] = '/';
        out[1] = '\0';
    }
    return out;
}

/* Follows one include; *sub receives the included file's declarations
 * (NULL when it was read before, or could not be). */
static void pp_include(pp_loader *L, const pa_decl *inc, const pp_frame *here, pa_decl **sub)
{
    const ps_span *at = &inc->u.include.path_span;
    char *name = pp_include_name(L, inc, here);
    if (!name)
        return;
    char *real = pp_realpath(L, name);
    if (!real) {
        int err = errno;
        if (L->diags->oom)
            return;
        /* Under a root, a path that leads out is refused whether or not it
         * exists: "no such file" would tell what is outside. */
        const char *lex = L->root ? pp_lexical(L, name) : NULL;
        if (L->root && (!lex || !pp_under_root(L, lex)))
            pd_report(L->diags, PD_E0006, at,
                      "include `%s` refused: `%s` is outside the include root", inc->u.include.path, name);
        else
            pp_cannot_read(L, at, name, err);
        return;
    }
    /* Checked on the canonical path, so neither `..` nor a symbolic link
     * leads out; the file outside is never opened. */
    if (L->root && !pp_under_root(L, real)) {
        pd_report(L->diags, PD_E0006, at, "include `%s` refused: `%s` is outside the include root",
                  inc->u.include.path, name);
        return;
    }
    for (const pp_frame *f = here; f; f = f->up)
        if (strcmp(L->src->files[f->file].path, real) == 0) {
            pp_cycle(L, inc, here, f);
            return;
        }
    if (pp_loaded(L, real))
        return; /* each file once: its declarations are already in */
    if (L->src->nfiles >= L->lim.max_includes) {
        pd_report(L->diags, PD_E0004, at, "too many files: the limit is %u",
                  L->lim.max_includes);
        return;
    }
    int idx = pp_read(L, at, name, real);
    if (idx >= 0)
        pp_load(L, (uint32_t)idx, inc, here, sub);
}

/* Moves the diagnostics of `from` to the end of `to`, counting them there. */
static void pp_move_diags(pd_list *to, pd_list *from)
{
    for (pd_diag *d = from->head, *next; d; d = next) {
        next = d->next;
        d->next = NULL;
        if (PU_ALWAYS(d->severity == PD_ERROR)) { /* the parser reports errors only */
            to->errors++;
            if (to->max_errors && to->errors > to->max_errors) {
                to->truncated = true;
                continue;
            }
        } else if (d->severity == PD_WARNING) {
            to->warnings++;
        }
        if (to->tail)
            to->tail->next = d;
        else
            to->head = d;
        to->tail = d;
    }
    to->oom = to->oom || from->oom;
}

/* Drops the notes of `d` that would quote a line of its file other than
 * its own (an unclosed bracket's opening line, say): one line is all that
 * is quoted of a file that is not rule source. */
static void pp_keep_line_notes(pp_loader *L, pd_diag *d)
{
    uint32_t line, col, nline;
    ps_position(L->src, d->span.file, d->span.start, &line, &col);
    pd_note **at = &d->notes;
    while (*at) {
        pd_note *n = *at;
        if (n->has_span)
            ps_position(L->src, n->span.file, n->span.start, &nline, &col);
        if (n->has_span && (n->span.file != d->span.file || nline != line))
            *at = n->next;
        else
            at = &n->next;
    }
}

/* Parses an included file. Any readable file can be named, so when it is
 * not valid rule source its first syntax error is all that is reported
 * (one line of it is quoted), then E0005 at the include; its declarations
 * are dropped, so the checker never quotes it either. */
static pa_decl *pp_parse_included(pp_loader *L, uint32_t file, const pa_decl *via)
{
    pd_list local;
    pd_init(&local, L->arena, 1); /* later errors are counted, never recorded */
    pa_decl *list = NULL;
    pp_parse_text(L->arena, L->src, file, &local, &L->lim, &list);
    if (local.errors == 0 || local.oom) {
        pp_move_diags(L->diags, &local);
        return list;
    }
    /* The parser reports errors only, and `local` records the first of them
     * (max_errors 1): its head is that error, alone. */
    pd_diag *first = local.head;
    if (PU_NEVER(!first || first->severity != PD_ERROR || first->next)) {
        local.head = local.tail = NULL;
        local.errors = 0;
    } else {
        pp_keep_line_notes(L, first);
        local.errors = 1;
    }
    local.warnings = 0;
    pp_move_diags(L->diags, &local);
    pd_report(L->diags, PD_E0005, &via->u.include.path_span,
              "`%s` is not a rule file: diagnostics of an included file stop at its first syntax error",
              L->src->files[file].name);
    return NULL;
}

/* Parses a file, then its includes depth first; the declarations of each
 * included file follow its include declaration. */
static void pp_load(pp_loader *L, uint32_t file, const pa_decl *via, const pp_frame *up,
                    pa_decl **out)
{
    pa_decl *list = NULL;
    if (via)
        list = pp_parse_included(L, file, via);
    else
        pp_parse_text(L->arena, L->src, file, L->diags, &L->lim, &list);
    pp_frame me = {file, via, up};
    for (pa_decl *d = list; d && !L->diags->oom; d = d->next) {
        if (d->kind != PA_D_INCLUDE)
            continue;
        pa_decl *sub = NULL;
        pp_include(L, d, &me, &sub);
        if (!sub)
            continue;
        pa_decl *tail = sub;
        while (tail->next)
            tail = tail->next;
        tail->next = d->next;
        d->next = sub;
        d = tail;
    }
    *out = list;
}

/* The root: a file, or text handed in under a name. */
static int pp_root(pp_loader *L, const char *path, const char *text, size_t len)
{
    char *real = pp_realpath(L, path);
    if (!text) {
        if (!real) {
            if (!L->diags->oom)
                pp_cannot_read(L, NULL, path, errno);
            return -1;
        }
        return pp_read(L, NULL, path, real);
    }
    if (L->diags->oom)
        return -1; /* no memory to resolve the name */
    if (len > L->lim.max_file_size) {
        pd_report(L->diags, PD_E0002, NULL, "`%s` is too large: the limit is %zu bytes", path,
                  L->lim.max_file_size);
        return -1;
    }
    int idx = ps_add(L->src, path, real ? real : path, text, len);
    if (idx < 0)
        pp_oom(L);
    return idx;
}

bool pp_parse_program(pm_arena *arena, ps_sources *src, pd_list *diags, const pp_limits *limits,
                      const char *path, const char *text, size_t len, pa_decl **decls)
{
    return pp_parse_program_with(arena, src, diags, limits, NULL, path, text, len, decls);
}

bool pp_parse_program_with(pm_arena *arena, ps_sources *src, pd_list *diags,
                           const pp_limits *limits, const pp_includes *inc, const char *path,
                           const char *text, size_t len, pa_decl **decls)
{
    pp_loader L = {arena, src, diags, pp_limits_of(limits), {NULL, NULL, NULL, NULL, NULL, 0}, NULL};
    if (inc)
        L.inc = *inc;
    unsigned errors = diags->errors;
    if (L.inc.root) {
        L.root = pp_realpath(&L, L.inc.root);
        if (!L.root) {
            if (!diags->oom) {
                char why[128];
                pp_strerror(errno, why, sizeof why);
                pd_report(diags, PD_E0006, NULL, "include root `%s`: %s", L.inc.root,
                          why);
            }
            return false;
        }
    }
    int root = pp_root(&L, path, text, len);
    if (root < 0)
        return false;
    pa_decl *list = NULL;
    pp_load(&L, (uint32_t)root, NULL, NULL, &list);
    pa_decl **end = decls;
    while (*end)
        end = &(*end)->next;
    *end = list;
    return !diags->oom && diags->errors == errors;
}
