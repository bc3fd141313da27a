/* Allocation-failure injection, as SQLite does it.
 *
 * The test binary is linked with GNU ld's --wrap for malloc, calloc, realloc,
 * free, strdup, strndup, realpath, pm_alloc, pm_strndup and pm_grow, and for five
 * internal entry points that only mark a scope (tests/CMakeLists.txt), so
 * every allocation the static Pathway libraries make comes through the
 * wrappers of allocwrap.c, shared with the language server's and the rule
 * tests' injection tests. libcjson is a shared library: its allocations are routed
 * through the same wrappers with cJSON_InitHooks (allowed here, in a test
 * program, and nowhere in library code). Two levels of injection:
 *
 *   malloc  the C allocator: malloc, calloc, realloc, strdup, strndup, the
 *           buffer realpath returns (glibc allocates it internally, so the
 *           wrapper fails the call itself, with ENOMEM) and cJSON's nodes;
 *   arena   pm_alloc / pm_strndup / pm_grow calls from outside the arena: the arena
 *           takes 64 KiB chunks from malloc, so most of its allocations never
 *           reach the C allocator, yet each is a place that must handle NULL
 *           (every AST node, scanner buffer, diagnostic, image table, list of
 *           facts).
 *
 * Each pipeline (compile + save; load + open + describe; context + JSON facts
 * + evaluation + results; context + field-by-field facts + ...; all of them
 * chained from source to results; the rule files' test declarations;
 * records that take the second pass over their text, copied through JSON;
 * the coarse calls: eval lines, result formats, fingerprints, the tools'
 * copies of a context and a compiled rule set refused; rule files with
 * errors, their diagnostics rendered as text and as JSON) is first
 * run clean to get a reference transcript: one line per API call with its
 * status, message and every output. Then, for N = 1, 2, 3, ... it is run with
 * the Nth allocation failing ("single"), or every allocation from the Nth on
 * ("sticky", which also fails the allocations of error paths), until a run
 * never reaches its Nth allocation. Every run is checked:
 *
 *   - each step's transcript equals the reference's, unless an injected
 *     failure was met during that very step, and then the step returned
 *     PW_ERR_NOMEM with a message; a step that met a failure and returned
 *     PW_OK must have produced the reference's outputs (the failure was
 *     recoverable, as when the table of line starts cannot be built);
 *   - after a failed step the pipeline goes on as a host would (the next
 *     record, then freeing); those later steps must match the reference: an
 *     out-of-memory error leaves the objects usable;
 *   - the number of live allocations is back to its value before the run (no
 *     leak), and nothing was freed that the wrappers did not hand out (no
 *     double free);
 *   - the next run with no failure injected (made after every injected run)
 *     equals the reference exactly.
 *
 * Nothing inside a run calls Check (libcheck is a static library here, so
 * its own allocations go through the wrappers and could be failed); problems
 * are collected and asserted after the run. A crash prints the pipeline and
 * N before dying. Focused regression tests for each bug this test found
 * follow the loop; they fail one kind of allocation (realpath, cJSON) or the
 * allocations inside one stage (checker, code generator, verifier,
 * diagnostics renderer).
 *
 * Environment: PW_ALLOCFAIL_STRIDE=k tests every k-th N only (past the first
 * 64), for a quick look under valgrind; the default, 1, tests every N.
 * PW_ALLOCFAIL_ONLY=text runs only the configurations whose description
 * ("compile+save of usatf, arena, single") contains the text. */
#include <check.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "allocwrap.h"
#include "api/tools.h"
#include "bc/bytecode.h"
#include "check_main.h"
#include "diag/diag.h"
#include "explain/explain.h"
#include "facts/facts.h"
#include "gen/gen.h"
#include "native/native.h"
#include "lint/lint_int.h"
#include "impact/impact.h"
#include "pathway.h"
#include "pathway_native.h"
#include "source/source.h"
#include "util/arena.h"

/* ---- the wrappers ---------------------------------------------------------- */

bool __real_pc_check(pm_arena *arena, ps_sources *src, pd_list *diags, pa_decl *decls, unsigned max_nesting, pc_program *out);
pb_image *__real_pk_generate(const pc_program *p, ps_sources *src, char *err, size_t errlen);
bool __real_pb_verify(pb_image *img, char *err, size_t errlen);
void __real_pd_render_text(const pd_list *l, ps_sources *src, bool color, pd_buf *out);
void __real_pd_render_json(const pd_list *l, ps_sources *src, pd_buf *out);

bool __wrap_pc_check(pm_arena *arena, ps_sources *src, pd_list *diags, pa_decl *decls, unsigned max_nesting, pc_program *out);
pb_image *__wrap_pk_generate(const pc_program *p, ps_sources *src, char *err, size_t errlen);
bool __wrap_pb_verify(pb_image *img, char *err, size_t errlen);
void __wrap_pd_render_text(const pd_list *l, ps_sources *src, bool color, pd_buf *out);
void __wrap_pd_render_json(const pd_list *l, ps_sources *src, pd_buf *out);

/* Stages an injection can be confined to (see the scope wrappers). */
enum { SC_CHECK = 1, SC_GEN = 2, SC_VERIFY = 4, SC_RENDER = 8 };

/* Scope wrappers: the stage is entered, nothing else changes. */
bool __wrap_pc_check(pm_arena *arena, ps_sources *src, pd_list *diags, pa_decl *decls, unsigned max_nesting, pc_program *out)
{
    active_scopes |= SC_CHECK;
    bool ok = __real_pc_check(arena, src, diags, decls, max_nesting, out);
    active_scopes &= ~(unsigned)SC_CHECK;
    return ok;
}

pb_image *__wrap_pk_generate(const pc_program *p, ps_sources *src, char *err, size_t errlen)
{
    active_scopes |= SC_GEN;
    pb_image *img = __real_pk_generate(p, src, err, errlen);
    active_scopes &= ~(unsigned)SC_GEN;
    return img;
}

bool __wrap_pb_verify(pb_image *img, char *err, size_t errlen)
{
    active_scopes |= SC_VERIFY;
    bool ok = __real_pb_verify(img, err, errlen);
    active_scopes &= ~(unsigned)SC_VERIFY;
    return ok;
}

void __wrap_pd_render_text(const pd_list *l, ps_sources *src, bool color, pd_buf *out)
{
    active_scopes |= SC_RENDER;
    __real_pd_render_text(l, src, color, out);
    active_scopes &= ~(unsigned)SC_RENDER;
}

void __wrap_pd_render_json(const pd_list *l, ps_sources *src, pd_buf *out)
{
    active_scopes |= SC_RENDER;
    __real_pd_render_json(l, src, out);
    active_scopes &= ~(unsigned)SC_RENDER;
}

/* ---- the test's own memory: never counted, never failed --------------------- */

static void *t_alloc(size_t n)
{
    void *p = __real_malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

static void *t_realloc(void *p, size_t n)
{
    void *q = __real_realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

static char *t_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(t_alloc(n), s, n);
}

/* A growing string. */
typedef struct sb {
    char *d;
    size_t len, cap;
} sb;

static void sb_vprintf(sb *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        b->d = t_realloc(b->d, cap);
        b->cap = cap;
    }
    vsnprintf(b->d + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

#if defined(__GNUC__)
#define PRINTF_LIKE(i, j) __attribute__((format(printf, i, j)))
#else
#define PRINTF_LIKE(i, j)
#endif

static void sb_printf(sb *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void sb_printf(sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

static const char *sb_str(const sb *b)
{
    return b->d ? b->d : "";
}

static void sb_free(sb *b)
{
    __real_free(b->d);
    b->d = NULL;
    b->len = b->cap = 0;
}

/* ---- what the pipelines read ------------------------------------------------ */

#define AS_OF_TEXT "2026-11-23"

typedef enum op_kind { OP_INT, OP_NUM, OP_BOOL, OP_TEXT, OP_DATE, OP_NONE, OP_ADD } op_kind;

/* One field-by-field call, made from a JSON record. */
typedef struct op {
    op_kind kind;
    char *path;
    int64_t i;
    double n;
    bool b;
    char *text;
    pw_date d;
} op;

typedef struct record {
    char *json;    /* the line */
    size_t len;
    op *ops;       /* the same record field by field; NULL when it is no object */
    size_t nops;
    bool object;
} record;

typedef struct facts_file {
    const char *name; /* short, for step keys */
    record *recs;
    size_t nrecs;
} facts_file;

typedef struct ruleset {
    const char *name;
    const char *path;
    const char *tests; /* the rule file's own test declarations */
    /* Reference products, made before any injection. */
    pw_program *prog;
    void *bytes;
    size_t nbytes;
    char pwc[256]; /* the bytes in a file, for pw_program_open */
} ruleset;

static ruleset rulesets[] = {
    {"usatf", PW_SOURCE_DIR "/rules/usatf/usatf.pw", PW_SOURCE_DIR "/rules/usatf/usatf.test.pw", NULL,
     NULL, 0, ""},
    {"england-athletics", PW_SOURCE_DIR "/rules/england-athletics/england-athletics.pw",
     PW_SOURCE_DIR "/rules/england-athletics/england-athletics.test.pw", NULL, NULL, 0, ""},
    /* From here on, compile+save only: the handbooks of other bodies
     * (tests/rules/handbooks), one per feature area of the language, so
     * that every construct's out-of-memory path in the front end, checker
     * and generator is taken (amendments, extensions, decisions, windows,
     * value tests, dated rules). Their tests are in the same file. */
#define HANDBOOK(name) {name, PW_SOURCE_DIR "/tests/rules/handbooks/" name ".pw", NULL, NULL, NULL, 0, ""}
    HANDBOOK("amend"), HANDBOOK("dates"), HANDBOOK("decisions"), HANDBOOK("extend"),
    HANDBOOK("narrow17"), HANDBOOK("reuse"), HANDBOOK("value-tests"), HANDBOOK("windows"),
#undef HANDBOOK
};
/* The shipped rule sets, which every pipeline reads. */
#define NFULL 2
#define NRULESETS (sizeof rulesets / sizeof rulesets[0])

static facts_file facts_files[] = {
    {"coaches.jsonl", NULL, 0},
    {"bad-records.jsonl", NULL, 0},
};
static const char *const facts_paths[] = {
    PW_SOURCE_DIR "/examples/coaches.jsonl",
    PW_SOURCE_DIR "/tests/rules/bad-records.jsonl",
};
#define NFACTS (sizeof facts_files / sizeof facts_files[0])

/* Rule files with errors: syntax, types with fix-its and notes, an include
 * cycle (its message is built in a growing buffer). Their diagnostics are
 * rendered as text and as JSON. */
static const char *const bad_sources[] = {
    PW_SOURCE_DIR "/tests/golden/diag/many_errors.pw",
    PW_SOURCE_DIR "/tests/golden/diag/include_cycle.pw",
    PW_SOURCE_DIR "/tests/golden/diag/unterminated_program.pw",
    PW_SOURCE_DIR "/tests/golden/diag/duplicates.pw",
    PW_SOURCE_DIR "/tests/golden/diag/extend.pw", /* extensions of an included file's declarations */
};
#define NBAD (sizeof bad_sources / sizeof bad_sources[0])

static pw_date as_of;

/* Rules compiled from memory: the shipped rules' text (read at setup), and an
 * expression nested so deeply that the parser's stack outgrows its first 200
 * entries and is moved to the heap (bison's YYSTACK_ALLOC). */
static char *ruleset_text[NRULESETS];
static size_t ruleset_len[NRULESETS];
static char deep_source[2048];

/* ---- building the field-by-field calls from JSON ----------------------------- */

typedef struct ops_builder {
    op *ops;
    size_t n, cap;
} ops_builder;

static op *ops_push(ops_builder *b, op_kind kind, const char *path)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->ops = t_realloc(b->ops, b->cap * sizeof *b->ops);
    }
    op *o = &b->ops[b->n++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->path = t_strdup(path);
    return o;
}

static bool looks_like_date(const char *s, pw_date *d)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    return pw_date_parse(s, d, NULL) == PW_OK;
}

/* One value at `path`: a scalar setter, or for an array an `add` per element
 * followed by the element's own calls. */
static void ops_value(ops_builder *b, const char *path, const cJSON *v)
{
    char sub[512];
    if (cJSON_IsNull(v)) {
        ops_push(b, OP_NONE, path);
    } else if (cJSON_IsBool(v)) {
        ops_push(b, OP_BOOL, path)->b = cJSON_IsTrue(v) != 0;
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == (double)(int64_t)d && d > -9e15 && d < 9e15)
            ops_push(b, OP_INT, path)->i = (int64_t)d;
        else
            ops_push(b, OP_NUM, path)->n = d;
    } else if (cJSON_IsString(v)) {
        pw_date d;
        if (looks_like_date(v->valuestring, &d)) {
            ops_push(b, OP_DATE, path)->d = d;
        } else {
            ops_push(b, OP_TEXT, path)->text = t_strdup(v->valuestring);
        }
    } else if (cJSON_IsArray(v)) {
        size_t i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            ops_push(b, OP_ADD, path)->i = (int64_t)i;
            if (cJSON_IsObject(e)) {
                for (const cJSON *f = e->child; f; f = f->next) {
                    snprintf(sub, sizeof sub, "%s[%zu].%s", path, i, f->string);
                    ops_value(b, sub, f);
                }
            } else {
                snprintf(sub, sizeof sub, "%s[%zu]", path, i);
                ops_value(b, sub, e);
            }
        }
    } else {
        /* An object where a field belongs: give it as text so that the
         * library names the mismatch. */
        ops_push(b, OP_TEXT, path)->text = t_strdup("{object}");
    }
}

static void read_facts(facts_file *ff, const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[65536];
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (ff->nrecs == cap) {
            cap = cap ? cap * 2 : 16;
            ff->recs = t_realloc(ff->recs, cap * sizeof *ff->recs);
        }
        record *r = &ff->recs[ff->nrecs++];
        memset(r, 0, sizeof *r);
        r->json = t_strdup(line);
        r->len = len;
        cJSON *j = cJSON_ParseWithLength(line, len);
        if (j && cJSON_IsObject(j)) {
            ops_builder b = {NULL, 0, 0};
            for (const cJSON *fl = j->child; fl; fl = fl->next)
                ops_value(&b, fl->string, fl);
            r->ops = b.ops;
            r->nops = b.n;
            r->object = true;
        }
        cJSON_Delete(j);
    }
    fclose(f);
}

/* ---- a run: steps, each with its transcript --------------------------------- */

typedef struct step {
    char *key;
    char *text;
    pw_status st;
    bool hit; /* an injected failure was met during the step */
} step;

typedef struct run {
    step *steps;
    size_t n, cap;
    sb cur;                 /* the open step's text */
    char *cur_key;
    unsigned long failed_at_begin;
    sb problems;            /* consistency problems found while running */
} run;

static void run_free(run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        __real_free(r->steps[i].key);
        __real_free(r->steps[i].text);
    }
    __real_free(r->steps);
    sb_free(&r->cur);
    sb_free(&r->problems);
    __real_free(r->cur_key);
    memset(r, 0, sizeof *r);
}

static void step_begin(run *r, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void step_begin(run *r, const char *fmt, ...)
{
    sb key = {NULL, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&key, fmt, ap);
    va_end(ap);
    r->cur_key = key.d;
    r->cur.len = 0;
    if (r->cur.d)
        r->cur.d[0] = '\0';
    r->failed_at_begin = inj.failed;
}

static void step_printf(run *r, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void step_printf(run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&r->cur, fmt, ap);
    va_end(ap);
}

static const char *status_name(pw_status st)
{
    switch (st) {
    case PW_OK: return "OK";
    case PW_ERR_USAGE: return "USAGE";
    case PW_ERR_IO: return "IO";
    case PW_ERR_COMPILE: return "COMPILE";
    case PW_ERR_FORMAT: return "FORMAT";
    case PW_ERR_FACTS: return "FACTS";
    case PW_ERR_EVAL: return "EVAL";
    case PW_ERR_NOMEM: return "NOMEM";
    }
    return "?";
}

/* Closes the step with the call's status; checks the pw_error agrees. */
static pw_status step_end(run *r, pw_status st, const pw_error *err)
{
    if (st != PW_OK && (err->status != st || err->message[0] == '\0'))
        sb_printf(&r->problems, "  %s: returned %s but the pw_error says %s, \"%s\"\n", r->cur_key,
                  status_name(st), status_name(err->status), err->message);
    if (st == PW_OK && err->status != PW_OK)
        sb_printf(&r->problems, "  %s: returned OK but the pw_error says %s\n", r->cur_key,
                  status_name(err->status));
    step_printf(r, " -> %s", status_name(st));
    if (st != PW_OK)
        step_printf(r, " \"%s\"", err->message);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->steps = t_realloc(r->steps, r->cap * sizeof *r->steps);
    }
    step *s = &r->steps[r->n++];
    s->key = r->cur_key;
    s->text = t_strdup(sb_str(&r->cur));
    s->st = st;
    s->hit = inj.failed != r->failed_at_begin;
    r->cur_key = NULL;
    return st;
}

/* ---- the pipelines' steps ---------------------------------------------------- */

static uint64_t fnv(const void *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= ((const unsigned char *)p)[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void collect_diags(void *user, const char *rendered)
{
    sb_printf(user, "%s", rendered);
}

static pw_status do_compile(run *r, const char *key, const char *path, pw_diag_format fmt,
                            pw_program **prog)
{
    sb diags = {NULL, 0, 0};
    pw_compile_options opt = {.on_diagnostics = collect_diags, .user = &diags, .format = fmt};
    pw_error err;
    step_begin(r, "%s", key);
    *prog = NULL;
    pw_status st = pw_compile_file(path, &opt, prog, &err);
    step_printf(r, "diagnostics<<%s>>", sb_str(&diags));
    if ((st == PW_OK) != (*prog != NULL))
        sb_printf(&r->problems, "  %s: status %s but the program is %s\n", key, status_name(st),
                  *prog ? "set" : "NULL");
    sb_free(&diags);
    return step_end(r, st, &err);
}

static void describe(run *r, const pw_program *prog);

static pw_status do_compile_source(run *r, const char *key, const char *name, const char *text,
                                   size_t len, pw_program **prog)
{
    sb diags = {NULL, 0, 0};
    pw_compile_options opt = {.on_diagnostics = collect_diags, .user = &diags};
    pw_error err;
    step_begin(r, "%s", key);
    *prog = NULL;
    pw_status st = pw_compile_source(name, text, len, &opt, prog, &err);
    step_printf(r, "diagnostics<<%s>>", sb_str(&diags));
    if ((st == PW_OK) != (*prog != NULL))
        sb_printf(&r->problems, "  %s: status %s but the program is %s\n", key, status_name(st),
                  *prog ? "set" : "NULL");
    if (st == PW_OK)
        describe(r, *prog);
    sb_free(&diags);
    return step_end(r, st, &err);
}

static pw_status do_save(run *r, const char *key, const pw_program *prog, void **bytes, size_t *len)
{
    pw_error err;
    step_begin(r, "%s", key);
    *bytes = NULL;
    *len = 0;
    pw_status st = pw_program_save(prog, bytes, len, &err);
    if (st == PW_OK)
        step_printf(r, "%zu bytes, fnv %016llx", *len, (unsigned long long)fnv(*bytes, *len));
    return step_end(r, st, &err);
}

static void put_date(run *r, pw_date d)
{
    char buf[11];
    if (d == PW_DATE_MIN || d == PW_DATE_MAX) {
        step_printf(r, "%s", d == PW_DATE_MIN ? "min" : "max");
        return;
    }
    pw_date_format(d, buf);
    step_printf(r, "%s", buf);
}

/* Everything a program says about itself (reading allocates nothing, but it
 * shows that what was loaded is what was saved). */
static void describe(run *r, const pw_program *prog)
{
    size_t np = pw_program_count(prog);
    step_printf(r, "%zu programs", np);
    for (size_t p = 0; p < np; p++) {
        pw_date from, until;
        pw_program_period(prog, p, &from, &until);
        size_t found = 99999;
        pw_program_find(prog, pw_program_id(prog, p), &found, NULL);
        step_printf(r, "; %s \"%s\" ", pw_program_id(prog, p), pw_program_title(prog, p));
        put_date(r, from);
        step_printf(r, "..");
        put_date(r, until);
        step_printf(r, " dated=%d first=%d at=%zu find=%zu reqs:", pw_program_dated(prog, p),
                    pw_program_is_first_version(prog, p), pw_program_version_at(prog, p, as_of), found);
        for (size_t q = 0; q < pw_requirement_count(prog, p); q++) {
            pw_requirement info;
            pw_error err;
            if (pw_requirement_info(prog, p, q, &info, &err) != PW_OK) {
                step_printf(r, " [error %s]", err.message);
                continue;
            }
            step_printf(r, " [%s|%s|%d|%d|%u|%u|%s:%u:%u|", info.label,
                        info.citation ? info.citation : "-", (int)info.kind, (int)info.role,
                        info.depth, info.min, info.file, info.line, info.column);
            put_date(r, info.from);
            step_printf(r, "..");
            put_date(r, info.until);
            step_printf(r, "]");
        }
    }
}

static pw_status do_load(run *r, const char *key, const void *bytes, size_t len, pw_program **prog)
{
    pw_error err;
    step_begin(r, "%s", key);
    *prog = NULL;
    pw_status st = pw_program_load(bytes, len, prog, &err);
    if (st == PW_OK)
        describe(r, *prog);
    return step_end(r, st, &err);
}

static pw_status do_open(run *r, const char *key, const char *path, pw_program **prog)
{
    pw_error err;
    step_begin(r, "%s", key);
    *prog = NULL;
    pw_status st = pw_program_open(path, NULL, prog, &err);
    if (st == PW_OK)
        describe(r, *prog);
    return step_end(r, st, &err);
}

static pw_status do_context(run *r, const char *key, const pw_program *prog, pw_context **ctx)
{
    pw_error err;
    step_begin(r, "%s", key);
    *ctx = NULL;
    pw_status st = pw_context_new(prog, ctx, &err);
    return step_end(r, st, &err);
}

/* Evaluates every program and writes every result. */
static pw_status do_eval(run *r, const char *key, pw_context *ctx, const pw_program *prog)
{
    pw_error err;
    step_begin(r, "%s", key);
    pw_status st = pw_evaluate_all(ctx, as_of, &err);
    if (st == PW_OK) {
        for (size_t p = 0; p < pw_program_count(prog); p++) {
            step_printf(r, "%s:%d/%d", pw_program_id(prog, p), pw_result_eligible(ctx, p),
                        (int)pw_result_verdict(ctx, p));
            step_printf(r, " outcomes ");
            for (size_t q = 0; q < pw_requirement_count(prog, p); q++)
                step_printf(r, "%d", (int)pw_result_outcome(ctx, p, q));
            for (size_t i = 0; i < pw_result_unmet_count(ctx, p); i++)
                step_printf(r, " unmet \"%s\"", pw_result_unmet_label(ctx, p, i));
            for (size_t i = 0; i < pw_result_preferred_unmet_count(ctx, p); i++)
                step_printf(r, " pref \"%s\"", pw_result_preferred_unmet_label(ctx, p, i));
            for (size_t i = 0; i < pw_result_advice_count(ctx, p); i++)
                step_printf(r, " advice \"%s\"", pw_result_advice(ctx, p, i));
            step_printf(r, "; ");
        }
    }
    return step_end(r, st, &err);
}

static void do_json_records(run *r, const char *prefix, pw_context *ctx, const pw_program *prog)
{
    char key[256];
    for (size_t f = 0; f < NFACTS; f++) {
        const facts_file *ff = &facts_files[f];
        for (size_t i = 0; i < ff->nrecs; i++) {
            pw_error err;
            snprintf(key, sizeof key, "%s:json:%s:%zu", prefix, ff->name, i + 1);
            step_begin(r, "%s:set", key);
            pw_status st = pw_context_set_json(ctx, ff->recs[i].json, ff->recs[i].len, &err);
            if (step_end(r, st, &err) != PW_OK)
                continue; /* a host goes on with the next record */
            snprintf(key, sizeof key, "%s:json:%s:%zu:eval", prefix, ff->name, i + 1);
            do_eval(r, key, ctx, prog);
        }
    }
}

static pw_status apply_op(pw_context *ctx, const op *o, run *r, pw_error *err)
{
    size_t idx = 0;
    pw_status st = PW_OK;
    switch (o->kind) {
    case OP_INT: st = pw_context_set_int(ctx, o->path, o->i, err); break;
    case OP_NUM: st = pw_context_set_number(ctx, o->path, o->n, err); break;
    case OP_BOOL: st = pw_context_set_bool(ctx, o->path, o->b, err); break;
    case OP_TEXT: st = pw_context_set_text(ctx, o->path, o->text, err); break;
    case OP_DATE: st = pw_context_set_date(ctx, o->path, o->d, err); break;
    case OP_NONE: st = pw_context_set_none(ctx, o->path, err); break;
    case OP_ADD:
        st = pw_context_add(ctx, o->path, &idx, err);
        if (st == PW_OK)
            step_printf(r, "[%zu]", idx);
        break;
    }
    return st;
}

static void do_field_records(run *r, const char *prefix, pw_context *ctx, const pw_program *prog)
{
    char key[256];
    for (size_t f = 0; f < NFACTS; f++) {
        const facts_file *ff = &facts_files[f];
        for (size_t i = 0; i < ff->nrecs; i++) {
            const record *rec = &ff->recs[i];
            if (!rec->object)
                continue;
            pw_error err;
            snprintf(key, sizeof key, "%s:fields:%s:%zu", prefix, ff->name, i + 1);
            step_begin(r, "%s:set", key);
            pw_status st = pw_context_reset(ctx, &err);
            /* The calls until the first failure, as a host makes them. */
            for (size_t k = 0; st == PW_OK && k < rec->nops; k++) {
                step_printf(r, "%zu", k);
                st = apply_op(ctx, &rec->ops[k], r, &err);
            }
            if (step_end(r, st, &err) != PW_OK)
                continue;
            snprintf(key, sizeof key, "%s:fields:%s:%zu:eval", prefix, ff->name, i + 1);
            do_eval(r, key, ctx, prog);
        }
    }
}

/* Records that take the second pass over the text (src/facts/scan.c): many
 * tokens (its table grows), numbers as written, a number that is not JSON
 * before two containers, a raw control character inside text with
 * containers after it, U+0000; each record that loads is then copied
 * through JSON (pf_to_cjson, as explain, when and plan copy the host's
 * facts), the copy printed into a fixed buffer (no allocation). */
#define ROLES10(d) "\"r" d "0\",\"r" d "1\",\"r" d "2\",\"r" d "3\",\"r" d "4\",\"r" d "5\",\"r" d "6\",\"r" d "7\",\"r" d "8\",\"r" d "9\""
static const char *const scan_records[] = {
    /* 62 roles after the key: the table of tokens grows at the number. */
    "{\"roles\":[" ROLES10("0") "," ROLES10("1") "," ROLES10("2") "," ROLES10("3") "," ROLES10("4") ","
    ROLES10("5") ",\"r60\",\"r61\"],\"athletes_coached\":12,\"id\":\"S-many\",\"birth_date\":\"1990-01-01\","
    "\"memberships\":[{\"body\":\"usatf\",\"expires\":null},{\"body\":\"x\",\"expires\":\"2030-01-01\"}],"
    "\"courses\":[{\"id\":\"c\",\"completed\":\"2020-01-01\",\"hours\":1.5e1}],\"teaching_experience\":true}",
    /* The fast path (src/facts/stream.c): 600 roles, then 300
     * memberships, past its scratch on the stack and past its first block
     * on the heap; built by scan_many. */
    NULL,
    NULL,
    "{\"id\":\"S-bad-number\",\"birth_date\":\"1990-01-01\",\"athletes_coached\":01,\"memberships\":[],"
    "\"roles\":[]}",
    /* Past the stop, more containers than the list of them first holds. */
    "{\"id\":\"S-control\",\"birth_date\":\"1990-01-01\",\"roles\":[\"a\x01\"],\"courses\":[],"
    "\"memberships\":[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}]}",
    "{\"id\":\"S-nul\\u0000\",\"birth_date\":\"1990-01-01\",\"athletes_coached\":1e0}",
    /* yajl's own blocks grow and move (src/facts/scan.c, pf_yrealloc): its
     * stack of states past 128 levels, its buffer of decoded text past
     * 2,048 bytes; built by scan_grown below. */
    NULL,
};
#define NSCAN (sizeof scan_records / sizeof scan_records[0])

/* Records the fast path loads: with 600 roles (which 1), with 300
 * memberships (2). Built on the first call, in place. */
static const char *scan_many(size_t which)
{
    static char json[2][16384];
    char *j = json[which - 1];
    if (!j[0]) {
        size_t n = (size_t)snprintf(j, sizeof json[0], "{\"id\":\"S-fast\",\"birth_date\":\"1990-01-01\",\"%s\":[",
                                    which == 1 ? "roles" : "memberships");
        for (int k = 0; k < (which == 1 ? 600 : 300); k++)
            n += (size_t)snprintf(j + n, sizeof json[0] - n, which == 1 ? "%s\"r%d\"" : "%s{\"body\":\"b%d\",\"expires\":null}",
                                  k ? "," : "", k);
        snprintf(j + n, sizeof json[0] - n, "]}");
    }
    return j;
}

/* A record (refused: no field `deep`) nested 150 levels deep, with a text of
 * 3,000 bytes holding an escape, and a number written 1e0, so that it takes
 * the second pass. Built on the first call (the clean reference run), in
 * place: nothing allocated. */
static const char *scan_grown(void)
{
    static char json[4096];
    if (!json[0]) {
        size_t n = (size_t)snprintf(json, sizeof json, "{\"id\":\"S-grown\",\"athletes_coached\":1e0,\"bio\":\"\\n");
        memset(json + n, 'x', 3000);
        n += 3000;
        n += (size_t)snprintf(json + n, sizeof json - n, "\",\"deep\":");
        memset(json + n, '[', 150);
        memset(json + n + 150, ']', 150);
        n += 300;
        snprintf(json + n, sizeof json - n, "}");
    }
    return json;
}

static void do_scan_records(run *r, pw_context *ctx)
{
    static char printed[8192];
    for (size_t i = 0; i < NSCAN; i++) {
        pw_error err;
        /* The refused ones are expected to fail (test_inject). */
        const char *key = i <= 2 ? "scan:json" : "scan:bad:json";
        const char *json = scan_records[i] ? scan_records[i] : i <= 2 ? scan_many(i) : scan_grown();
        step_begin(r, "%s:%zu:set", key, i + 1);
        pw_status st = pw_context_set_json(ctx, json, strlen(json), &err);
        if (step_end(r, st, &err) != PW_OK)
            continue;
        pw_context *copy = NULL;
        cJSON *rec = NULL;
        step_begin(r, "%s:%zu:copy", key, i + 1);
        st = pt_context_copy(ctx, &copy, &rec, &err);
        if (st == PW_OK)
            step_printf(r, " %s", cJSON_PrintPreallocated(rec, printed, (int)sizeof printed, 0) ? printed : "?");
        step_end(r, st, &err);
        pw_context_free(copy);
        cJSON_Delete(rec);
        /* The eval line reads the text again, through the same pass (last:
         * when it fails, the context is left without facts). */
        char *line = NULL;
        size_t len = 0;
        step_begin(r, "%s:%zu:eval", key, i + 1);
        st = pw_eval_json_alloc(ctx, json, strlen(json), as_of, &line, &len, &err);
        if (st == PW_OK)
            step_printf(r, "%zu<<%s>>", len, line);
        free(line);
        step_end(r, st, &err);
    }
}

/* ---- pipelines ---------------------------------------------------------------- */

typedef enum pipeline {
    P_COMPILE, P_LOAD, P_JSON, P_FIELDS, P_WHOLE, P_TESTS, P_SCAN, P_COARSE, P_DIAGS, P_EXPLAIN, P_IMPACT
} pipeline;

static const char *const pipeline_names[] = {"compile+save",        "load+open",         "context+json+eval",
                                             "context+fields+eval", "whole",             "rule tests",
                                             "context+scan+copy",   "coarse calls",      "other sources",
                                             "explain+when+plan",   "report+diff"};

static void pipe_compile(run *r, const ruleset *rs)
{
    pw_program *prog;
    if (do_compile(r, "compile", rs->path, PW_DIAG_TEXT, &prog) == PW_OK) {
        void *bytes;
        size_t len;
        if (do_save(r, "save", prog, &bytes, &len) == PW_OK)
            free(bytes);
    }
    pw_program_free(prog);
}

static void pipe_load(run *r, const ruleset *rs)
{
    pw_program *a, *b;
    do_load(r, "load", rs->bytes, rs->nbytes, &a);
    do_open(r, "open-pwc", rs->pwc, &b);
    pw_program_free(a);
    pw_program_free(b);
}

static void pipe_json(run *r, const ruleset *rs)
{
    pw_context *ctx;
    if (do_context(r, "context", rs->prog, &ctx) == PW_OK)
        do_json_records(r, "", ctx, rs->prog);
    pw_context_free(ctx);
}

static void pipe_fields(run *r, const ruleset *rs)
{
    pw_context *ctx;
    if (do_context(r, "context", rs->prog, &ctx) == PW_OK)
        do_field_records(r, "", ctx, rs->prog);
    pw_context_free(ctx);
}

/* Source to results in one go: compile, save, load the saved bytes (which
 * verifies them), then facts and evaluations on the loaded program. */
static void pipe_whole(run *r, const ruleset *rs)
{
    pw_program *compiled = NULL, *loaded = NULL;
    pw_context *ctx = NULL;
    void *bytes = NULL;
    size_t len = 0;
    if (do_compile(r, "compile", rs->path, PW_DIAG_TEXT, &compiled) == PW_OK &&
        do_save(r, "save", compiled, &bytes, &len) == PW_OK &&
        do_load(r, "load", bytes, len, &loaded) == PW_OK &&
        do_context(r, "context", loaded, &ctx) == PW_OK) {
        do_json_records(r, "", ctx, loaded);
        do_field_records(r, "", ctx, loaded);
    }
    pw_context_free(ctx);
    pw_program_free(loaded);
    free(bytes);
    pw_program_free(compiled);
}

/* The rule file's test declarations (checked with the rules). */
static void pipe_tests(run *r, const ruleset *rs)
{
    pw_program *prog;
    do_compile(r, "compile-tests", rs->tests, PW_DIAG_TEXT, &prog);
    pw_program_free(prog);
}

static void pipe_scan(run *r, const ruleset *rs)
{
    pw_context *ctx;
    if (do_context(r, "context", rs->prog, &ctx) == PW_OK)
        do_scan_records(r, ctx);
    pw_context_free(ctx);
}

static void native_never(pw_native_run *run)
{
    (void)run;
}

static pw_status format_nomem(pw_error *err)
{
    err->status = PW_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "pw_result_format_json: 0 (out of memory)");
    return PW_ERR_NOMEM;
}

/* The coarse calls: the eval line of each record (pw_eval_json_alloc, then
 * pw_eval_json into a buffer), a format of its own for every program
 * (pw_result_format_new and _json), and every requirement's fingerprint. */
static void pipe_coarse(run *r, const ruleset *rs)
{
    pw_context *ctx;
    if (do_context(r, "context", rs->prog, &ctx) != PW_OK)
        return;
    char key[256];
    const facts_file *ff = &facts_files[0];
    for (size_t i = 0; i < ff->nrecs && i < 3; i++) {
        pw_error err;
        char *line = NULL;
        size_t len = 0;
        snprintf(key, sizeof key, "json:alloc:%zu", i + 1);
        step_begin(r, "%s", key);
        pw_status st = pw_eval_json_alloc(ctx, ff->recs[i].json, ff->recs[i].len, as_of, &line, &len, &err);
        if (st == PW_OK)
            step_printf(r, "%zu<<%s>>", len, line);
        free(line);
        step_end(r, st, &err);
        char buf[4096];
        size_t needed = 0;
        snprintf(key, sizeof key, "json:buffer:%zu", i + 1);
        step_begin(r, "%s", key);
        st = pw_eval_json(ctx, ff->recs[i].json, ff->recs[i].len, as_of, buf, sizeof buf, &needed, &err);
        if (st == PW_OK)
            step_printf(r, "%zu<<%s>>", needed, buf);
        step_end(r, st, &err);
    }
    /* The tools' copy of a context's facts, and its saved results. */
    {
        pw_error err;
        step_begin(r, "json:copy");
        pw_status st = pw_context_set_json(ctx, ff->recs[0].json, ff->recs[0].len, &err);
        if (st == PW_OK)
            st = pw_evaluate_all(ctx, as_of, &err);
        pw_context *copy = NULL;
        cJSON *rec = NULL;
        if (st == PW_OK)
            st = pt_context_copy(ctx, &copy, &rec, &err);
        if (st == PW_OK && (st = pw_evaluate_all(copy, as_of, &err)) == PW_OK)
            step_printf(r, "copy %d", pw_result_eligible(copy, 0));
        pw_context_free(copy);
        cJSON_Delete(rec);
        struct pwi_saved *saved = NULL;
        if (st == PW_OK)
            st = pt_context_save(ctx, &saved, &err);
        if (st == PW_OK) {
            pt_context_restore(ctx, saved);
            step_printf(r, " saved %zu", pw_result_unmet_count(ctx, 0));
        }
        step_end(r, st, &err);
    }
    /* A compiled rule set from other rules: refused, with the image's hash. */
    {
        pw_error err;
        pw_native other = {PW_NATIVE_ABI, 0, 0, 0, 0, native_never};
        step_begin(r, "bad:use-native"); /* refused: "bad" lets the reference fail */
        pw_status st = pw_program_use_native(rs->prog, &other, &err);
        step_end(r, st, &err);
    }
    size_t n = pw_program_count(rs->prog);
    for (size_t p = 0; p < n; p++) {
        pw_error err;
        pw_result_format *f = NULL;
        snprintf(key, sizeof key, "json:format:%zu", p);
        step_begin(r, "%s", key);
        /* The context's results are the step's own, whatever came before. */
        pw_status st = pw_context_set_json(ctx, ff->recs[0].json, ff->recs[0].len, &err);
        if (st == PW_OK)
            st = pw_evaluate_all(ctx, as_of, &err);
        if (st == PW_OK)
            st = pw_result_format_new(rs->prog, as_of, &p, 1, &f, &err);
        if (st == PW_OK) {
            char buf[4096];
            size_t len = pw_result_format_json(f, ctx, "C", buf, sizeof buf);
            /* 0 only for want of memory here (pathway.h). */
            if (len == 0)
                st = format_nomem(&err);
            else
                step_printf(r, "%zu<<%s>>", len, buf);
        }
        pw_result_format_free(f);
        step_end(r, st, &err);
        snprintf(key, sizeof key, "fingerprints:%zu", p);
        step_begin(r, "%s", key);
        st = PW_OK;
        err.status = PW_OK;
        for (size_t q = 0; st == PW_OK && q < pw_requirement_count(rs->prog, p); q++) {
            uint64_t fp = 0;
            st = pw_requirement_fingerprint(rs->prog, p, q, &fp, &err);
            if (st == PW_OK)
                step_printf(r, " %016llx", (unsigned long long)fp);
        }
        step_end(r, st, &err);
    }
    pw_context_free(ctx);
}

static void pipe_diags(run *r)
{
    char key[64];
    for (size_t i = 0; i < NBAD; i++) {
        for (int fmt = 0; fmt < 2; fmt++) {
            pw_program *prog;
            snprintf(key, sizeof key, "bad%zu:%s", i, fmt ? "json" : "text");
            do_compile(r, key, bad_sources[i], fmt ? PW_DIAG_JSON : PW_DIAG_TEXT, &prog);
            pw_program_free(prog);
        }
    }
    pw_program *prog;
    do_compile_source(r, "deep", "deep.pw", deep_source, strlen(deep_source), &prog);
    pw_program_free(prog);
    /* The USATF rules from memory, under the file's name (for its include). */
    do_compile_source(r, "usatf-source", rulesets[0].path, ruleset_text[0], ruleset_len[0], &prog);
    pw_program_free(prog);
}

/* ---- explain, when and plan (src/explain) ------------------------------------- */

/* The plan tests' licence ladder (tests/plan/), whose certificates land in a
 * list of the rules' choosing, and three of its coaches; and one USATF coach
 * whose requirements read lists through definitions with text arguments and
 * counts (the values explain shows with their entries). */
static const char *const ladder_path = PW_SOURCE_DIR "/tests/plan/ladder.pw";
static pw_program *ladder_prog;
static const char *const ladder_coaches[] = {
    ("{\"id\": \"ana\", \"birth_date\": \"1990-04-02\", \"coaching_since\": \"2018-01-01\", "
     "\"membership_expires\": \"2040-12-31\", \"licences\": [{\"code\": \"ussf-c\", \"awarded\": "
     "\"2025-03-01\", \"lapses\": \"2028-02-29\"}]}"),
    ("{\"id\": \"ben\", \"birth_date\": \"2009-01-20\", \"coaching_since\": \"2025-01-01\", \"licences\": "
     "[{\"code\": \"grassroots\", \"awarded\": \"2025-03-01\", \"lapses\": null}], \"courses\": "
     "[{\"completed\": \"2025-04-01\", \"in_person\": true}, {\"completed\": \"2025-05-01\", \"in_person\": true}]}"),
    /* Eligible for ussf_c from 2026-09-01 until the membership ends. */
    ("{\"id\": \"dee\", \"birth_date\": \"1990-01-01\", \"membership_expires\": \"2027-06-30\", "
     "\"licences\": [{\"code\": \"ussf-d\", \"awarded\": \"2025-09-01\", \"lapses\": null}]}"),
};

/* A step's product, rendered as text and (with_json) as JSON (px_render_*;
 * cJSON's nodes are many allocations, so only some steps show both); a
 * render that runs out of memory makes the step's status PW_ERR_NOMEM. */
typedef enum qkind { Q_EXPLAIN, Q_WHEN, Q_PLAN } qkind;

static pw_status put_answer(run *r, qkind k, const void *answer, bool with_json, pw_status st, pw_error *err)
{
    if (st != PW_OK)
        return st;
    for (int json = 0; json < 1 + with_json; json++) {
        char *buf = NULL;
        size_t len = 0, cap = 0;
        bool ok = k == Q_EXPLAIN ? px_render_explain(answer, json, &buf, &len, &cap)
                  : k == Q_WHEN  ? px_render_when(answer, json, &buf, &len, &cap)
                                 : px_render_plan(answer, json, &buf, &len, &cap);
        if (ok)
            step_printf(r, "%s%.*s", json ? " | " : "", (int)len, buf ? buf : "");
        free(buf);
        if (!ok) {
            err->status = PW_ERR_NOMEM;
            snprintf(err->message, sizeof err->message, "rendering: out of memory");
            return PW_ERR_NOMEM;
        }
    }
    return PW_OK;
}

static pw_explain_options question_options(int32_t horizon)
{
    pw_explain_options o;
    pw_explain_options_init(&o);
    pw_date_parse("2026-06-01", &o.as_of, NULL);
    o.horizon_days = horizon;
    return o;
}

/* One question about a JSON record (ctx NULL) or about a context's facts. */
static void do_question(run *r, const char *key, qkind k, const pw_program *prog, pw_context *ctx,
                        const char *json, const char *id, int32_t horizon, bool with_json)
{
    pw_error err;
    pw_explain_options o = question_options(horizon);
    step_begin(r, "%s", key);
    pw_status st;
    if (k == Q_EXPLAIN) {
        pw_explanation *e = NULL;
        st = ctx ? pw_explain_context(ctx, &o, &e, &err) : pw_explain(prog, json, strlen(json), &o, &e, &err);
        st = put_answer(r, k, e, with_json, st, &err);
        pw_explanation_free(e);
    } else if (k == Q_WHEN) {
        pw_eligibility *e = NULL;
        st = ctx ? pw_when_context(ctx, id, &o, &e, &err) : pw_when(prog, json, strlen(json), id, &o, &e, &err);
        st = put_answer(r, k, e, with_json, st, &err);
        pw_eligibility_free(e);
    } else {
        pw_plan *p = NULL;
        st = ctx ? pw_plan_find_context(ctx, id, &o, &p, &err)
                 : pw_plan_find(prog, json, strlen(json), id, &o, &p, &err);
        st = put_answer(r, k, p, with_json, st, &err);
        pw_plan_free(p);
    }
    step_end(r, st, &err);
}

/* Each question about each ladder coach, from JSON and from a context, and
 * explain about a USATF coach: every allocation of src/explain's searches
 * (the day-by-day scans, the plan's states, the values seen, the renders). */
static void pipe_explain(run *r)
{
    const char *ana = ladder_coaches[0], *ben = ladder_coaches[1];
    do_question(r, "ladder:json:explain", Q_EXPLAIN, ladder_prog, NULL, ana, NULL, 800, true);
    do_question(r, "ladder:json:when", Q_WHEN, ladder_prog, NULL, ben, "ussf_c", 800, true);
    do_question(r, "ladder:json:when-period", Q_WHEN, ladder_prog, NULL, ladder_coaches[2], "ussf_c", 800, true);
    do_question(r, "ladder:json:plan", Q_PLAN, ladder_prog, NULL, ben, "national_a", 1500, true);
    /* Not reachable in 200 days: the steps never taken, and the chain of
     * certificates from the target down to each, as sentences. */
    do_question(r, "ladder:json:plan-blocked", Q_PLAN, ladder_prog, NULL, ben, "national_a", 200, true);
    pw_context *ctx;
    if (do_context(r, "ladder:context", ladder_prog, &ctx) == PW_OK) {
        pw_error err;
        step_begin(r, "ladder:context:json:set");
        pw_status st = pw_context_set_json(ctx, ben, strlen(ben), &err);
        if (step_end(r, st, &err) == PW_OK) {
            do_question(r, "ladder:context:explain", Q_EXPLAIN, NULL, ctx, NULL, NULL, 400, false);
            do_question(r, "ladder:context:when", Q_WHEN, NULL, ctx, NULL, "ussf_d", PW_HORIZON_NONE, false);
            do_question(r, "ladder:context:plan", Q_PLAN, NULL, ctx, NULL, "ussf_c", 1500, false);
        }
    }
    pw_context_free(ctx);
    do_question(r, "usatf:json:explain", Q_EXPLAIN, rulesets[0].prog, NULL, facts_files[0].recs[1].json, NULL,
                400, false);
}

/* ---- report and diff (src/impact) --------------------------------------------- */

/* The fixtures of tests/cli/impact_windows.sh: windows and programs out of
 * force for a report, and a change of rules for a diff, over seven coaches. */
static const char *const impact_paths[] = {
    PW_SOURCE_DIR "/tests/impact/windows.pw",
    PW_SOURCE_DIR "/tests/impact/changes-old.pw",
    PW_SOURCE_DIR "/tests/impact/changes-new.pw",
};
static pw_program *impact_prog[3];
static const char *const impact_coaches[] = {
    "{\"id\":\"a\",\"n\":0}", "{\"id\":\"b\",\"n\":1}", "{\"id\":\"c\",\"n\":3}", "{\"id\":\"d\",\"n\":4}",
    "{\"id\":\"e\",\"n\":6}", "{\"id\":\"f\",\"n\":2}", "{\"id\":\"g\",\"n\":3}",
};
#define NIMPACT_COACHES (sizeof impact_coaches / sizeof impact_coaches[0])

static pw_status nomem_status(pw_error *err, const char *what)
{
    err->status = PW_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "%s: out of memory", what);
    return PW_ERR_NOMEM;
}

/* A renderer's output, read back from a memory stream (whose buffer libc
 * allocates itself: it is released with the real free). */
typedef bool (*render_fn)(FILE *out, const void *view, int format);

static bool render_report(FILE *out, const void *view, int format)
{
    return format == PI_HTML ? pi_render_report_html(out, view) : pi_render_report(out, view, (pi_format)format);
}

static bool render_diff(FILE *out, const void *view, int format)
{
    return pi_render_diff(out, view, (pi_format)format);
}

static void do_render(run *r, const char *key, render_fn fn, const void *view, int format)
{
    pw_error err;
    memset(&err, 0, sizeof err);
    step_begin(r, "%s", key);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pw_status st = PW_OK;
    if (!f) {
        st = nomem_status(&err, "open_memstream");
    } else {
        bool ok = fn(f, view, format);
        fclose(f);
        if (ok)
            step_printf(r, "%zu bytes, fnv %016llx", len, (unsigned long long)fnv(buf, len));
        else
            st = nomem_status(&err, "rendering");
    }
    __real_free(buf);
    step_end(r, st, &err);
}

static void pipe_report(run *r, pw_date day)
{
    pw_error err;
    memset(&err, 0, sizeof err);
    pi_report rep;
    step_begin(r, "report:init");
    pw_status st = pi_report_init(&rep, impact_prog[0], day, &err) ? PW_OK : err.status;
    if (st == PW_OK)
        step_printf(r, "%zu programs, %zu counters", rep.nprogs, rep.ncounters);
    uint64_t *counts = NULL;
    pw_context *ctx = NULL;
    if (step_end(r, st, &err) == PW_OK) {
        step_begin(r, "report:json:count");
        counts = calloc(rep.ncounters ? rep.ncounters : 1, sizeof *counts);
        st = counts ? pw_context_new(impact_prog[0], &ctx, &err) : nomem_status(&err, "counters");
        for (size_t i = 0; st == PW_OK && i < NIMPACT_COACHES; i++) {
            st = pw_context_set_json(ctx, impact_coaches[i], strlen(impact_coaches[i]), &err);
            for (size_t k = 0; st == PW_OK && k < rep.nprogs; k++)
                st = pw_evaluate(ctx, rep.progs[k].p, day, &err);
            if (st == PW_OK)
                pi_report_record(&rep, ctx, counts);
        }
        for (size_t k = 0; st == PW_OK && k < rep.ncounters; k++)
            step_printf(r, "%llu ", (unsigned long long)counts[k]);
        if (step_end(r, st, &err) == PW_OK) {
            pi_report_view v = {&rep, counts, {NIMPACT_COACHES, 0}, "windows.pw", 2};
            static const char *const names[] = {"text", "json", "csv", "html"};
            for (int fmt = PI_TEXT; fmt <= PI_HTML; fmt++) {
                char key[64];
                snprintf(key, sizeof key, "report:%s", names[fmt]);
                do_render(r, key, render_report, &v, fmt);
            }
        }
    }
    pw_context_free(ctx);
    free(counts);
    pi_report_fini(&rep);
}

static void note_affected(void *user, const pi_affected *a)
{
    run *r = user;
    step_printf(r, "%s %s:", a->change == PI_LOST ? "lost" : "gained",
                a->pair->has_new ? a->pair->new.id : a->pair->old.id);
    for (size_t i = 0; i < a->nreasons; i++)
        step_printf(r, " \"%s\"", a->reasons[i]);
    step_printf(r, "; ");
}

static void pipe_diff(run *r, pw_date from, pw_date to)
{
    pw_error err;
    memset(&err, 0, sizeof err);
    pi_diff d;
    step_begin(r, "diff:init");
    pw_status st = pi_diff_init(&d, impact_prog[1], from, impact_prog[2], to, &err) ? PW_OK : err.status;
    if (st == PW_OK)
        step_printf(r, "%zu pairs, %zu counters", d.npairs, d.ncounters);
    if (step_end(r, st, &err) != PW_OK) {
        pi_diff_fini(&d);
        return;
    }
    pw_context *before = NULL, *after = NULL;
    step_begin(r, "diff:json:count");
    uint64_t *counts = calloc(d.ncounters ? d.ncounters : 1, sizeof *counts);
    const char **scratch = calloc(d.max_reasons + 1, sizeof *scratch);
    st = counts && scratch ? pw_context_new(impact_prog[1], &before, &err) : nomem_status(&err, "counters");
    if (st == PW_OK)
        st = pw_context_new(impact_prog[2], &after, &err);
    for (size_t i = 0; st == PW_OK && i < NIMPACT_COACHES; i++) {
        const char *json = impact_coaches[i];
        st = pw_context_set_json(before, json, strlen(json), &err);
        if (st == PW_OK)
            st = pw_context_set_json(after, json, strlen(json), &err);
        for (size_t k = 0; st == PW_OK && k < d.npairs; k++) {
            const pi_pair *pr = &d.pairs[k];
            if (pr->has_old)
                st = pw_evaluate(before, pr->old.p, from, &err);
            if (st == PW_OK && pr->has_new)
                st = pw_evaluate(after, pr->new.p, to, &err);
        }
        if (st == PW_OK)
            pi_diff_record(&d, before, after, counts, scratch, note_affected, r);
    }
    if (step_end(r, st, &err) == PW_OK) {
        pi_diff_view v = {&d, counts, {NIMPACT_COACHES, 0}, "changes-old.pw", "changes-new.pw"};
        do_render(r, "diff:text", render_diff, &v, PI_TEXT);
        do_render(r, "diff:json", render_diff, &v, PI_JSON);
    }
    pw_context_free(before);
    pw_context_free(after);
    free(counts);
    free(scratch);
    pi_diff_fini(&d);
}

/* A report of windows.pw in every format, and the diff of the changed rules
 * as text and JSON (tests/cli/impact_windows.sh pins their outputs). */
static void pipe_impact(run *r)
{
    pw_date day, to;
    pw_date_parse("2026-06-15", &day, NULL);
    pw_date_parse("2026-10-01", &to, NULL);
    pipe_report(r, day);
    pipe_diff(r, day, to);
}

static void run_pipeline(run *r, pipeline p, const ruleset *rs)
{
    switch (p) {
    case P_COMPILE: pipe_compile(r, rs); break;
    case P_LOAD: pipe_load(r, rs); break;
    case P_JSON: pipe_json(r, rs); break;
    case P_FIELDS: pipe_fields(r, rs); break;
    case P_WHOLE: pipe_whole(r, rs); break;
    case P_TESTS: pipe_tests(r, rs); break;
    case P_SCAN: pipe_scan(r, rs); break;
    case P_COARSE: pipe_coarse(r, rs); break;
    case P_DIAGS: pipe_diags(r); break;
    case P_EXPLAIN: pipe_explain(r); break;
    case P_IMPACT: pipe_impact(r); break;
    }
}

/* ---- crash reports -------------------------------------------------------------- */

static char crash_note[256];

static void on_crash(int sig)
{
    ssize_t w = write(STDERR_FILENO, crash_note, strlen(crash_note));
    (void)w;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_crash_note(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], on_crash);
}

/* ---- comparing a run with the reference ---------------------------------------- */

typedef struct verdict {
    sb report;              /* problems, for the assertion message */
    unsigned nproblems;
    unsigned long recovered; /* runs that met a failure, returned OK everywhere and matched */
} verdict;

#define MAX_REPORTED 12

static void problem(verdict *v, const char *what, unsigned long n, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
static void problem(verdict *v, const char *what, unsigned long n, const char *fmt, ...)
{
    v->nproblems++;
    if (v->nproblems > MAX_REPORTED)
        return;
    sb_printf(&v->report, "\n[%s, N=%lu] ", what, n);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&v->report, fmt, ap);
    va_end(ap);
}

static void compare(verdict *v, const char *what, unsigned long n, const run *ref, const run *got,
                    bool clean)
{
    if (got->problems.len)
        problem(v, what, n, "inconsistent results:\n%s", sb_str(&got->problems));
    size_t j = 0;
    for (size_t i = 0; i < got->n; i++) {
        const step *s = &got->steps[i];
        size_t k = j;
        while (k < ref->n && strcmp(ref->steps[k].key, s->key) != 0)
            k++;
        if (k == ref->n) {
            problem(v, what, n, "step %s is not in the reference run (out of order?)", s->key);
            return;
        }
        j = k + 1;
        const step *e = &ref->steps[k];
        if (strcmp(e->text, s->text) == 0)
            continue;
        if (!s->hit)
            problem(v, what, n, "step %s differs from the reference with no failure injected in it:\n"
                                "  expected: %.600s\n  got:      %.600s",
                    s->key, e->text, s->text);
        else if (s->st == PW_OK)
            problem(v, what, n, "step %s met an injected failure, returned OK, but its output differs:\n"
                                "  expected: %.600s\n  got:      %.600s",
                    s->key, e->text, s->text);
        else if (s->st == PW_ERR_FACTS && strstr(s->key, "json:") &&
                 (strstr(s->text, "invalid JSON") || strstr(s->text, "not valid JSON")))
            continue; /* cJSON cannot tell no memory from bad JSON: a documented limit */
        else if (s->st != PW_ERR_NOMEM)
            problem(v, what, n, "step %s met an injected failure but reports it as %s: %.600s", s->key,
                    status_name(s->st), s->text);
    }
    if (clean && got->n != ref->n)
        problem(v, what, n, "a clean run made %zu steps, the reference %zu", got->n, ref->n);
}

/* ---- the driver ----------------------------------------------------------------- */

typedef struct config {
    pipeline p;
    int rs;         /* index into rulesets; -1 for P_DIAGS */
    bool arena;     /* the arena level, else the C allocator */
    bool sticky;
} config;

/* Every pipeline of both shipped rule sets, and compile+save of each
 * handbook, at both levels, single and sticky; then explain, when and
 * plan, and report and diff (their own rule sets), at both levels. The
 * handbooks found two faults: a failed allocation while narrowing `x is
 * not none` left `x` optional, so the rules were refused for a reason they
 * do not have ("needs a value, but this is date?") instead of
 * PW_ERR_NOMEM; and the code generator went on emitting after a function's
 * entry could not be added, and read that entry (a crash). */
static config configs[128];
static size_t nconfigs;

static void make_configs(void)
{
    static const pipeline per_ruleset[] = {P_COMPILE, P_LOAD, P_JSON, P_FIELDS,
                                           P_WHOLE,   P_TESTS, P_SCAN, P_COARSE};
    nconfigs = 0;
    for (size_t k = 0; k < sizeof per_ruleset / sizeof per_ruleset[0] + 1; k++)
        for (int rs = 0; rs < (int)NRULESETS; rs++)
            for (int lvl = 0; lvl < 2; lvl++)
                for (int sticky = 0; sticky < 2; sticky++) {
                    bool diags = k == sizeof per_ruleset / sizeof per_ruleset[0];
                    if (diags && rs > 0)
                        continue;
                    if (rs >= NFULL && (diags || per_ruleset[k] != P_COMPILE))
                        continue;
                    if (nconfigs == sizeof configs / sizeof configs[0])
                        abort(); /* configs[] is too small */
                    configs[nconfigs++] = (config){diags ? P_DIAGS : per_ruleset[k], diags ? -1 : rs,
                                                   lvl == 1, sticky == 1};
                }
    for (int lvl = 0; lvl < 2; lvl++)
        for (int sticky = 0; sticky < 2; sticky++)
            for (int p = P_EXPLAIN; p <= P_IMPACT; p++) {
                if (nconfigs == sizeof configs / sizeof configs[0])
                    abort(); /* configs[] is too small */
                configs[nconfigs++] = (config){(pipeline)p, -1, lvl == 1, sticky == 1};
            }
}

static unsigned long stride = 1;

/* One run with the given failure (0: none); returns the allocation calls
 * it counted, and in *leaked the change in live allocations. */
static unsigned long one_run(const config *c, unsigned long fail_at, run *out, long *leaked)
{
    const ruleset *rs = c->rs >= 0 ? &rulesets[c->rs] : NULL;
    memset(out, 0, sizeof *out);
    size_t before = nlive;
    foreign_frees = 0;
    arm(c->arena ? SRC_ARENA : SRC_SYS, 0, fail_at, c->sticky);
    run_pipeline(out, c->p, rs);
    disarm();
    *leaked = (long)nlive - (long)before;
    return inj.calls;
}

static void describe_config(const config *c, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s, %s, %s", pipeline_names[c->p], c->rs >= 0 ? " of " : "",
             c->rs >= 0 ? rulesets[c->rs].name : "", c->arena ? "arena" : "malloc",
             c->sticky ? "sticky" : "single");
}

/* Checks a finished run: its steps against the reference, its memory. */
static void judge(verdict *v, const char *what, unsigned long n, const run *ref, const run *got,
                  bool clean, long leaked)
{
    compare(v, what, n, ref, got, clean);
    if (leaked != 0)
        problem(v, what, n, "%ld allocation(s) not freed%s", leaked, clean ? " (a clean run)" : "");
    if (foreign_frees)
        problem(v, what, n, "%lu free(s) of pointers not allocated (double free?)", foreign_frees);
}

START_TEST(test_inject)
{
    const config *c = &configs[_i];
    char what[160];
    describe_config(c, what, sizeof what);
    const char *only = getenv("PW_ALLOCFAIL_ONLY");
    if (only && !strstr(what, only))
        return;
    verdict v;
    memset(&v, 0, sizeof v);

    run ref;
    long leaked;
    snprintf(crash_note, sizeof crash_note, "\ncrash: %s, reference run\n", what);
    unsigned long total = one_run(c, 0, &ref, &leaked);
    ck_assert_msg(ref.problems.len == 0, "%s: reference run: %s", what, sb_str(&ref.problems));
    ck_assert_msg(leaked == 0, "%s: reference run leaks %ld allocations", what, leaked);
    ck_assert_msg(total > 0, "%s: no allocation calls seen (are the wrappers linked?)", what);
    for (size_t i = 0; i < ref.n; i++)
        ck_assert_msg(ref.steps[i].st == PW_OK || strstr(ref.steps[i].key, "bad"),
                      "%s: reference step %s failed: %s", what, ref.steps[i].key, ref.steps[i].text);

    clock_t t0 = clock();
    unsigned long n = 1, runs = 0, recovered = 0;
    for (;; n += (n < 64 ? 1 : stride)) {
        run got;
        snprintf(crash_note, sizeof crash_note, "\ncrash: %s, N=%lu\n", what, n);
        unsigned long calls = one_run(c, n, &got, &leaked);
        unsigned long failed = inj.failed;
        runs++;
        bool clean = calls < n; /* the Nth allocation was never reached */
        unsigned before = v.nproblems;
        judge(&v, what, n, &ref, &got, clean, leaked);
        if (!clean && v.nproblems == before && got.n == ref.n) {
            bool same = true;
            for (size_t i = 0; i < got.n && same; i++)
                same = strcmp(got.steps[i].text, ref.steps[i].text) == 0;
            recovered += same && failed > 0;
        }
        run_free(&got);
        if (clean)
            break;
        /* The next run with no failure injected succeeds and matches. */
        snprintf(crash_note, sizeof crash_note, "\ncrash: %s, clean run after N=%lu\n", what, n);
        one_run(c, 0, &got, &leaked);
        judge(&v, what, n, &ref, &got, true, leaked);
        run_free(&got);
        if (v.nproblems > 200)
            break;
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    fprintf(stderr, "allocfail: %-52s %5lu allocations, N=1..%-5lu %5lu runs, %2lu recovered, %5.2fs\n",
            what, total, n - 1, runs, recovered, secs);
    run_free(&ref);
    ck_assert_msg(!tracking_broken, "the live-allocation set overflowed or saw a pointer twice");
    /* Check limits the length of a failure message: the details go to stderr. */
    if (v.nproblems)
        fprintf(stderr, "allocfail: %s: %u problem(s):%s\n", what, v.nproblems, sb_str(&v.report));
    ck_assert_msg(v.nproblems == 0, "%s: %u problem(s), the first:%.1500s", what, v.nproblems,
                  sb_str(&v.report));
    sb_free(&v.report);
}
END_TEST

/* ---- fixture: reference products, made once, before any injection ----------- */

static void fixture_up(void)
{
    static cJSON_Hooks hooks = {aw_cjson_malloc, aw_cjson_free};
    cJSON_InitHooks(&hooks);
    install_crash_note();
    const char *s = getenv("PW_ALLOCFAIL_STRIDE");
    if (s && atol(s) > 0)
        stride = (unsigned long)atol(s);
    ck_assert_int_eq(pw_date_parse(AS_OF_TEXT, &as_of, NULL), PW_OK);
    for (size_t f = 0; f < NFACTS; f++)
        read_facts(&facts_files[f], facts_paths[f]);
    int depth = 190; /* under the default limit of 200 brackets */
    int at = snprintf(deep_source, sizeof deep_source,
                      "facts coach { id: text  n: integer = 0 }\nprogram p { require \"x\": ");
    for (int i = 0; i < depth; i++)
        deep_source[at++] = '(';
    deep_source[at++] = 'n';
    for (int i = 0; i < depth; i++)
        deep_source[at++] = ')';
    snprintf(deep_source + at, sizeof deep_source - (size_t)at, " >= 0 }\n");
    for (size_t i = 0; i < NRULESETS; i++) {
        ruleset *rs = &rulesets[i];
        pw_error err;
        FILE *src = fopen(rs->path, "rb");
        ck_assert_msg(src != NULL, "cannot open %s", rs->path);
        ruleset_text[i] = t_alloc(1u << 20);
        ruleset_len[i] = fread(ruleset_text[i], 1, 1u << 20, src);
        fclose(src);
        ck_assert(ruleset_len[i] > 0 && ruleset_len[i] < 1u << 20);
        ck_assert_msg(pw_compile_file(rs->path, NULL, &rs->prog, &err) == PW_OK, "%s", err.message);
        ck_assert_int_eq(pw_program_save(rs->prog, &rs->bytes, &rs->nbytes, &err), PW_OK);
        snprintf(rs->pwc, sizeof rs->pwc, "%s/pw-allocfail-%ld-%s.pwc",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(), rs->name);
        FILE *f = fopen(rs->pwc, "wb");
        ck_assert_msg(f != NULL, "cannot write %s", rs->pwc);
        ck_assert_uint_eq(fwrite(rs->bytes, 1, rs->nbytes, f), rs->nbytes);
        ck_assert_int_eq(fclose(f), 0);
    }
    pw_error err;
    ck_assert_msg(pw_compile_file(ladder_path, NULL, &ladder_prog, &err) == PW_OK, "%s", err.message);
    for (size_t i = 0; i < sizeof impact_paths / sizeof impact_paths[0]; i++)
        ck_assert_msg(pw_compile_file(impact_paths[i], NULL, &impact_prog[i], &err) == PW_OK, "%s", err.message);
}

static void fixture_down(void)
{
    pw_program_free(ladder_prog);
    ladder_prog = NULL;
    for (size_t i = 0; i < sizeof impact_paths / sizeof impact_paths[0]; i++) {
        pw_program_free(impact_prog[i]);
        impact_prog[i] = NULL;
    }
    for (size_t i = 0; i < NRULESETS; i++) {
        ruleset *rs = &rulesets[i];
        remove(rs->pwc);
        __real_free(ruleset_text[i]);
        ruleset_text[i] = NULL;
        pw_program_free(rs->prog);
        free(rs->bytes);
        rs->prog = NULL;
        rs->bytes = NULL;
    }
    for (size_t f = 0; f < NFACTS; f++) {
        facts_file *ff = &facts_files[f];
        for (size_t i = 0; i < ff->nrecs; i++) {
            record *r = &ff->recs[i];
            for (size_t k = 0; k < r->nops; k++) {
                __real_free(r->ops[k].path);
                __real_free(r->ops[k].text);
            }
            __real_free(r->ops);
            __real_free(r->json);
        }
        __real_free(ff->recs);
        ff->recs = NULL;
        ff->nrecs = 0;
    }
}

/* ---- focused regressions ------------------------------------------------------ */

/* Each of these failed before the fix named in docs/robustness-allocfail.md.
 * They fail one kind of allocation, or the allocations of one stage, so that
 * they keep testing the same place when the order of allocations changes. */

typedef struct collected {
    sb text;
    unsigned calls;
} collected;

static void collect_once(void *user, const char *rendered)
{
    collected *c = user;
    c->calls++;
    sb_printf(&c->text, "%s", rendered);
}

/* Bytes of a program, to compare with the reference. */
static bool same_bytes(const pw_program *prog, const ruleset *rs)
{
    void *bytes = NULL;
    size_t len = 0;
    bool same = pw_program_save(prog, &bytes, &len, NULL) == PW_OK && len == rs->nbytes &&
                memcmp(bytes, rs->bytes, len) == 0;
    free(bytes);
    return same;
}

/* Compiles with failures armed; *failed gets the failures injected, *leaked
 * the change in live allocations once the program is freed, and *same
 * (when cmp is given) whether the program saves to cmp's reference bytes. */
static pw_status compile_armed(const char *path, const pw_compile_options *opt, unsigned sources,
                               unsigned scope, unsigned long fail_at, bool sticky, const ruleset *cmp,
                               bool *same, pw_error *err, unsigned long *failed, long *leaked)
{
    size_t before = nlive;
    pw_program *prog = NULL;
    arm(sources, scope, fail_at, sticky);
    pw_status st = pw_compile_file(path, opt, &prog, err);
    disarm();
    *failed = inj.failed;
    if ((st == PW_OK) != (prog != NULL))
        st = (pw_status)-1; /* fails the caller's status check */
    if (cmp)
        *same = prog && same_bytes(prog, cmp);
    pw_program_free(prog);
    *leaked = (long)nlive - (long)before;
    return st;
}

/* The code generator copied its tables into the image and then read
 * img->funcs even when that copy had failed (NULL with nfuncs set): a crash
 * in pk_finish. Every arena allocation of the code generator, in turn. */
START_TEST(gen_table_copy_failure)
{
    for (unsigned long k = 1;; k++) {
        pw_error err;
        unsigned long failed;
        long leaked;
        bool same;
        pw_status st = compile_armed(rulesets[0].path, NULL, SRC_ARENA, SC_GEN, k, false, &rulesets[0],
                                     &same, &err, &failed, &leaked);
        ck_assert_int_eq(leaked, 0);
        if (!failed) {
            ck_assert(same);
            ck_assert_uint_gt(k, 10);
            break;
        }
        /* Source positions fall back to counting lines when their table
         * cannot be built: those failures change nothing. */
        if (st == PW_OK && same)
            continue;
        ck_assert_msg(st == PW_ERR_NOMEM, "k=%lu: %s %s", k, status_name(st), err.message);
        ck_assert_msg(strstr(err.message, "out of memory") != NULL, "k=%lu: %s", k, err.message);
    }
}
END_TEST

/* The checker ignored a failed insertion of the facts record's name and of
 * its fields' names, so running out of memory there showed as "unknown name
 * `birth_date`" errors (PW_ERR_COMPILE) instead of PW_ERR_NOMEM. Every arena
 * allocation of the checker, in turn, over the shipped rules and a file with
 * errors: each is fatal (PW_ERR_NOMEM) or changes nothing. */
START_TEST(check_name_table_failure)
{
    const char *paths[] = {rulesets[0].path, rulesets[1].path, bad_sources[0]};
    for (size_t r = 0; r < sizeof paths / sizeof paths[0]; r++) {
        collected ref = {{NULL, 0, 0}, 0};
        pw_compile_options opt = {.on_diagnostics = collect_once, .user = &ref};
        pw_program *prog = NULL;
        pw_error err;
        pw_status want = pw_compile_file(paths[r], &opt, &prog, &err);
        pw_program_free(prog);
        for (unsigned long k = 1;; k++) {
            collected got = {{NULL, 0, 0}, 0};
            opt.user = &got;
            unsigned long failed;
            long leaked;
            bool same = true;
            pw_status st = compile_armed(paths[r], &opt, SRC_ARENA, SC_CHECK, k, false,
                                         r < NFULL ? &rulesets[r] : NULL, &same, &err, &failed, &leaked);
            ck_assert_int_eq(leaked, 0);
            same = same && st == want && strcmp(sb_str(&got.text), sb_str(&ref.text)) == 0;
            ck_assert_msg(st == PW_ERR_NOMEM || same, "%s, k=%lu: %s %s", paths[r], k, status_name(st),
                          err.message);
            sb_free(&got.text);
            if (!failed) {
                ck_assert(same);
                ck_assert_uint_gt(k, 10);
                break;
            }
        }
        sb_free(&ref.text);
    }
}
END_TEST

/* Running out of memory inside the verifier of freshly generated code was
 * reported as "internal error: generated bytecode failed verification"
 * (PW_ERR_COMPILE). */
START_TEST(verify_failure_is_nomem)
{
    pw_error err;
    unsigned long failed;
    long leaked;
    pw_status st = compile_armed(rulesets[0].path, NULL, SRC_LIBC, SC_VERIFY, 1, true, NULL, NULL, &err,
                                 &failed, &leaked);
    ck_assert_uint_gt(failed, 0);
    ck_assert_int_eq(leaked, 0);
    ck_assert_msg(st == PW_ERR_NOMEM, "%s: %s", status_name(st), err.message);
    ck_assert_msg(strstr(err.message, "internal error") == NULL, "%s", err.message);
    /* Loading verifies too, and said so already. */
    pw_program *prog = NULL;
    arm(SRC_LIBC, SC_VERIFY, 1, true);
    st = pw_program_load(rulesets[0].bytes, rulesets[0].nbytes, &prog, &err);
    disarm();
    ck_assert_msg(st == PW_ERR_NOMEM && prog == NULL, "%s: %s", status_name(st), err.message);
}
END_TEST

/* When the diagnostics could not all be rendered, the callback got a
 * truncated rendering (or none) and the status stayed PW_ERR_COMPILE: the
 * caller could not tell that errors were missing. Every allocation of the
 * renderers, in turn, for text and for JSON. */
START_TEST(render_failure_is_nomem)
{
    const char *path = bad_sources[0];
    for (int json = 0; json < 2; json++) {
        collected ref = {{NULL, 0, 0}, 0};
        pw_compile_options opt = {.on_diagnostics = collect_once, .user = &ref,
                                  .format = json ? PW_DIAG_JSON : PW_DIAG_TEXT};
        pw_error err;
        pw_program *prog = NULL;
        ck_assert_int_eq(pw_compile_file(path, &opt, &prog, &err), PW_ERR_COMPILE);
        ck_assert_uint_eq(ref.calls, 1);
        for (unsigned long k = 1;; k++) {
            collected got = {{NULL, 0, 0}, 0};
            opt.user = &got;
            unsigned long failed;
            long leaked;
            pw_status st = compile_armed(path, &opt, SRC_LIBC, SC_RENDER, k, false, NULL, NULL, &err,
                                         &failed, &leaked);
            ck_assert_int_eq(leaked, 0);
            if (!failed) {
                ck_assert_int_eq(st, PW_ERR_COMPILE);
                ck_assert_str_eq(sb_str(&got.text), sb_str(&ref.text));
                sb_free(&got.text);
                ck_assert_uint_gt(k, 1);
                break;
            }
            ck_assert_msg(st == PW_ERR_NOMEM, "json=%d k=%lu: %s %s", json, k, status_name(st), err.message);
            ck_assert_msg(got.calls == 0, "json=%d k=%lu: a partial rendering was handed out: %s", json, k,
                          sb_str(&got.text));
        }
        sb_free(&ref.text);
    }
}
END_TEST

/* realpath allocates its result; when that failed the file was reported as
 * unreadable ("cannot read `usatf.pw`: Cannot allocate memory",
 * PW_ERR_COMPILE), the root file and each include alike. */
START_TEST(realpath_failure_is_nomem)
{
    for (unsigned long k = 1;; k++) {
        pw_error err;
        unsigned long failed;
        long leaked;
        pw_status st = compile_armed(rulesets[0].path, NULL, SRC_REALPATH, 0, k, false, NULL, NULL, &err,
                                     &failed, &leaked);
        ck_assert_int_eq(leaked, 0);
        if (!failed) {
            ck_assert_int_eq(st, PW_OK);
            ck_assert_uint_gt(k, 2); /* the rules and their include */
            break;
        }
        ck_assert_msg(st == PW_ERR_NOMEM, "k=%lu: %s %s", k, status_name(st), err.message);
        ck_assert_msg(strstr(err.message, "cannot read") == NULL, "k=%lu: %s", k, err.message);
    }
    /* Source in memory: its name is resolved too. */
    static const char text[] = "facts coach { id: text }\nprogram p { require \"x\": id = \"a\" }\n";
    pw_program *prog = NULL;
    pw_error err;
    arm(SRC_REALPATH, 0, 1, true);
    pw_status st = pw_compile_source(rulesets[0].path, text, sizeof text - 1, NULL, &prog, &err);
    disarm();
    ck_assert_msg(st == PW_ERR_NOMEM && prog == NULL, "%s: %s", status_name(st), err.message);
}
END_TEST

/* Bison says "memory exhausted" both when its stack would outgrow YYMAXDEPTH
 * and when malloc cannot grow it: a failed malloc was reported as "too deeply
 * nested to parse" (E0206, PW_ERR_COMPILE) for a text well within the
 * limits. Every C allocation of compiling a deeply nested expression, in
 * turn; and a text that is too deep is still reported as such. */
START_TEST(parser_stack_failure_is_nomem)
{
    size_t len = strlen(deep_source);
    for (unsigned long k = 1;; k++) {
        collected got = {{NULL, 0, 0}, 0};
        pw_compile_options opt = {.on_diagnostics = collect_once, .user = &got};
        pw_program *prog = NULL;
        pw_error err;
        size_t before = nlive;
        arm(SRC_LIBC, 0, k, false);
        pw_status st = pw_compile_source("deep.pw", deep_source, len, &opt, &prog, &err);
        disarm();
        pw_program_free(prog);
        ck_assert_int_eq((long)nlive - (long)before, 0);
        ck_assert_msg(strstr(sb_str(&got.text), "too deeply nested") == NULL, "k=%lu: %s", k,
                      sb_str(&got.text));
        sb_free(&got.text);
        if (!inj.failed) {
            ck_assert_int_eq(st, PW_OK);
            break;
        }
        ck_assert_msg(st == PW_ERR_NOMEM, "k=%lu: %s %s", k, status_name(st), err.message);
    }
    /* Ten thousand unfinished `not`s are too deep, memory or not. */
    static const char head[] = "facts coach { n: integer = 0 }\nprogram p { require \"x\": ";
    size_t n = 10001, cap = sizeof head + 4 * n + 16;
    char *text = t_alloc(cap);
    size_t at = (size_t)snprintf(text, cap, "%s", head);
    for (size_t i = 0; i < n; i++, at += 4)
        memcpy(text + at, "not ", 4);
    at += (size_t)snprintf(text + at, cap - at, "n > 0 }\n");
    pw_program *prog = NULL;
    pw_error err;
    pw_status st = pw_compile_source("nots.pw", text, at, NULL, &prog, &err);
    __real_free(text);
    ck_assert_msg(st == PW_ERR_COMPILE && strstr(err.message, "too deeply nested") != NULL, "%s: %s",
                  status_name(st), err.message);
}
END_TEST

/* pw_program_open could not read the file into memory and said PW_ERR_IO. */
START_TEST(read_file_failure_is_nomem)
{
    pw_program *prog = NULL;
    pw_error err;
    arm(SRC_LIBC, 0, 1, false);
    pw_status st = pw_program_open(rulesets[0].pwc, NULL, &prog, &err);
    disarm();
    ck_assert_uint_eq(inj.failed, 1);
    ck_assert_msg(st == PW_ERR_NOMEM && prog == NULL, "%s: %s", status_name(st), err.message);
    /* A file that is not there is still an I/O error. */
    st = pw_program_open(PW_SOURCE_DIR "/no/such/file.pwc", NULL, &prog, &err);
    ck_assert_msg(st == PW_ERR_IO && prog == NULL, "%s: %s", status_name(st), err.message);
}
END_TEST

/* cJSON returns NULL for bad JSON and for want of memory alike: a valid
 * record was rejected as "invalid JSON at byte N" (PW_ERR_FACTS), and bad
 * JSON was placed wherever cJSON ran out of memory. Every cJSON allocation
 * of every record, in turn. */
START_TEST(cjson_failure_is_refused_cleanly)
{
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(rulesets[0].prog, &ctx, &err), PW_OK);
    for (size_t f = 0; f < NFACTS; f++) {
        for (size_t i = 0; i < facts_files[f].nrecs; i++) {
            const record *rec = &facts_files[f].recs[i];
            pw_status want = pw_context_set_json(ctx, rec->json, rec->len, &err);
            char msg[sizeof err.message];
            memcpy(msg, err.message, sizeof msg);
            for (unsigned long k = 1;; k++) {
                size_t before = nlive;
                arm(SRC_CJSON, 0, k, false);
                pw_status st = pw_context_set_json(ctx, rec->json, rec->len, &err);
                disarm();
                ck_assert_int_eq((long)nlive - (long)before, 0);
                if (!inj.failed) {
                    ck_assert_int_eq(st, want);
                    break;
                }
                /* cJSON cannot tell a failed allocation from bad JSON (a
                 * documented limit): the record must be refused cleanly,
                 * as out of memory or as invalid JSON. */
                ck_assert_msg(st == PW_ERR_NOMEM ||
                                  (st == PW_ERR_FACTS && strncmp(err.message, "invalid JSON", 12) == 0) ||
                                  (st == want && strcmp(err.message, msg) == 0),
                              "%s:%zu k=%lu: %s %s", facts_files[f].name, i + 1, k, status_name(st),
                              err.message);
            }
        }
    }
    pw_context_free(ctx);
}
END_TEST

/* Facts that could not be stored for want of memory were PW_ERR_FACTS
 * ("`id`: out of memory"), which a host takes for a bad record. And the
 * context stays usable afterwards. */
START_TEST(facts_failure_is_nomem)
{
    const record *rec = &facts_files[0].recs[1]; /* a coach with lists and texts */
    pw_context *ctx;
    pw_error err;
    size_t idx;
    ck_assert_int_eq(pw_context_new(rulesets[0].prog, &ctx, &err), PW_OK);
    arm(SRC_ARENA, 0, 1, true);
    pw_status st = pw_context_set_json(ctx, rec->json, rec->len, &err);
    disarm();
    ck_assert_msg(st == PW_ERR_NOMEM, "%s: %s", status_name(st), err.message);
    ck_assert_int_eq(pw_context_set_json(ctx, rec->json, rec->len, &err), PW_OK);
    ck_assert_int_eq(pw_evaluate_all(ctx, as_of, &err), PW_OK);

    /* Field by field, in a new context: text the rules never mention needs
     * a table (malloc) and a copy (arena). */
    pw_context_free(ctx);
    ck_assert_int_eq(pw_context_new(rulesets[0].prog, &ctx, &err), PW_OK);
    arm(SRC_LIBC, 0, 1, true);
    st = pw_context_set_text(ctx, "id", "a text no rule mentions", &err);
    disarm();
    ck_assert_msg(st == PW_ERR_NOMEM, "%s: %s", status_name(st), err.message);
    arm(SRC_ARENA, 0, 1, true);
    st = pw_context_set_text(ctx, "id", "a text no rule mentions", &err);
    disarm();
    ck_assert_msg(st == PW_ERR_NOMEM, "%s: %s", status_name(st), err.message);
    arm(SRC_ARENA, 0, 1, true);
    st = pw_context_add(ctx, "memberships", &idx, &err);
    disarm();
    ck_assert_msg(st == PW_ERR_NOMEM, "%s: %s", status_name(st), err.message);
    /* A field that is not there is still a facts error. */
    ck_assert_int_eq(pw_context_set_text(ctx, "no_such_field", "x", &err), PW_ERR_FACTS);
    ck_assert_int_eq(pw_context_set_text(ctx, "id", "a text no rule mentions", &err), PW_OK);
    ck_assert_int_eq(pw_context_add(ctx, "memberships", &idx, &err), PW_OK);
    pw_context_free(ctx);
}
END_TEST

/* The C back end (pathway compile --emit c) on the first rule set, with
 * each of its allocations failing in turn (the class tables, the image's
 * .pwc encoding for its hash, the growing text), alone and from there on:
 * each failure is reported as "out of memory", nothing leaks, and a run
 * that meets no failure gives the reference text. */
/* Compiled rules (pw_program_use_native) get scratch memory from the
 * context once: when it cannot be had, the evaluation is out of memory, the
 * context keeps nothing half-made, and the next evaluation (memory back)
 * runs the compiled entry as if nothing had happened. */
static int scratch_runs;

static void scratch_entry(pw_native_run *run)
{
    scratch_runs++;
    memset(run->scratch, 0xAB, 64); /* the 64 bytes asked for are there */
    run->fallback[0] = 1;           /* and the VM decides */
}

START_TEST(native_scratch_failure_is_nomem)
{
    static const char rules[] = "facts coach { id: text  level: integer = 0 }\n"
                                "program a \"A\" { require \"l1\": level >= 1 }\n";
    pw_program *p;
    pw_error err;
    ck_assert_int_eq(pw_compile_source("n.pw", rules, strlen(rules), NULL, &p, &err), PW_OK);
    uint64_t hash;
    ck_assert(pn_image_hash(pt_program_image(p), &hash));
    pw_native n = {PW_NATIVE_ABI, 1, 1, hash, 64, scratch_entry};
    ck_assert_int_eq(pw_program_use_native(p, &n, &err), PW_OK);
    static const char facts[] = "{\"id\":\"c\",\"level\":1}";
    pw_date as_of;
    ck_assert_int_eq(pw_date_parse("2026-01-01", &as_of, NULL), PW_OK);
    unsigned long failures = 0;
    for (unsigned long k = 1;; k++) {
        size_t before = nlive;
        pw_context *ctx;
        ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
        ck_assert_int_eq(pw_context_set_json(ctx, facts, strlen(facts), &err), PW_OK);
        scratch_runs = 0;
        arm(SRC_LIBC, 0, k, false);
        pw_status st = pw_evaluate_all(ctx, as_of, &err);
        disarm();
        bool failed = inj.failed != 0;
        if (failed) {
            failures++;
            ck_assert_int_eq(st, PW_ERR_NOMEM);
            ck_assert_str_eq(err.message, "out of memory");
            ck_assert_int_eq(scratch_runs, 0);
            st = pw_evaluate_all(ctx, as_of, &err);
        }
        ck_assert_int_eq(st, PW_OK);
        ck_assert_int_eq(scratch_runs, 1);
        ck_assert(pw_result_eligible(ctx, 0));
        pw_context_free(ctx);
        ck_assert_int_eq((long)nlive - (long)before, 0);
        if (!failed)
            break;
    }
    ck_assert_uint_ge(failures, 1);
    pw_program_free(p);
}
END_TEST

/* pw_eval_json_alloc ends the line with a NUL of its own: when the line
 * fills its buffer exactly (4,096 bytes, the buffer's first size), that
 * NUL needs more memory, and not getting it is out of memory, with no line
 * handed out and nothing kept. The line's
 * length is set with the unmet requirement's label (put as written; an id
 * would be escaped into room reserved for the worst case). */
static pw_program *labelled(size_t label_len)
{
    static char rules[8192];
    int n = snprintf(rules, sizeof rules, "facts coach { id: text  level: integer = 0 }\n"
                                          "program a \"A\" { require \"");
    memset(rules + n, 'l', label_len);
    snprintf(rules + n + label_len, sizeof rules - (size_t)n - label_len, "\": level >= 1 }\n");
    pw_program *p = NULL;
    pw_error err;
    ck_assert_msg(pw_compile_source("n.pw", rules, strlen(rules), NULL, &p, &err) == PW_OK, "%s", err.message);
    return p;
}

START_TEST(eval_line_nul_failure_is_nomem)
{
    static const char facts[] = "{\"id\":\"x\",\"level\":0}";
    pw_date as_of;
    ck_assert_int_eq(pw_date_parse("2026-01-01", &as_of, NULL), PW_OK);
    pw_error err;
    pw_context *ctx;
    char *line;
    size_t len;
    pw_program *p = labelled(1);
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_eval_json_alloc(ctx, facts, strlen(facts), as_of, &line, &len, &err), PW_OK);
    pw_free(line);
    pw_context_free(ctx);
    pw_program_free(p);
    p = labelled(1 + (4096 - len));
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_eval_json_alloc(ctx, facts, strlen(facts), as_of, &line, &len, &err), PW_OK);
    ck_assert_uint_eq(len, 4096);
    pw_free(line);
    /* Count the allocations of a call (Check's assertions allocate: none
     * while armed), then fail the last: the NUL's. */
    arm(SRC_LIBC, 0, 0, false);
    pw_status st = pw_eval_json_alloc(ctx, facts, strlen(facts), as_of, &line, &len, &err);
    unsigned long calls = inj.calls;
    disarm();
    ck_assert_int_eq(st, PW_OK);
    pw_free(line);
    size_t before = nlive;
    line = (char *)facts;
    arm(SRC_LIBC, 0, calls, false);
    st = pw_eval_json_alloc(ctx, facts, strlen(facts), as_of, &line, &len, &err);
    disarm();
    ck_assert_uint_eq(inj.failed, 1);
    ck_assert_int_eq(st, PW_ERR_NOMEM);
    ck_assert_str_eq(err.message, "out of memory");
    ck_assert_ptr_null(line);
    ck_assert_int_eq((long)nlive - (long)before, 0);
    /* Memory back: the same line. */
    ck_assert_int_eq(pw_eval_json_alloc(ctx, facts, strlen(facts), as_of, &line, &len, &err), PW_OK);
    ck_assert_uint_eq(len, 4096);
    pw_free(line);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(native_emit_failure_is_reported)
{
    const pb_image *img = pt_program_image(rulesets[0].prog);
    pu_buf ref = {0};
    char err[256];
    ck_assert_msg(pn_emit_c(img, "rules.pw", &ref, err, sizeof err), "%s", err);
    for (int sticky = 0; sticky < 2; sticky++) {
        for (unsigned long k = 1;; k++) {
            size_t before = nlive;
            pu_buf out = {0};
            strcpy(err, "(none)");
            arm(SRC_LIBC, 0, k, sticky);
            bool ok = pn_emit_c(img, "rules.pw", &out, err, sizeof err);
            disarm();
            unsigned long failed = inj.failed;
            bool same = ok && out.len == ref.len && memcmp(out.data, ref.data, ref.len) == 0;
            pu_buf_free(&out);
            ck_assert_msg(nlive == before, "k=%lu: %ld allocation(s) not freed", k, (long)nlive - (long)before);
            if (!failed) {
                ck_assert_msg(same, "k=%lu%s: not the reference text", k, sticky ? " (sticky)" : "");
                ck_assert_uint_gt(k, 3);
                break;
            }
            ck_assert_msg(!ok, "k=%lu%s: a failed allocation went unreported", k, sticky ? " (sticky)" : "");
            ck_assert_str_eq(err, "out of memory");
        }
    }
    pu_buf_free(&ref);
}
END_TEST

/* The lint (src/lint) over a checked tree, every lint fixture
 * (tests/lint/PW*.bad.pw, tests/lint/edges): every allocation it makes (its
 * arena's and the C allocator's), in turn, failing alone. Each run either
 * says it ran out of memory (pl_lint_tree false), or gives exactly the
 * findings of a clean run: a failure swallowed on the way would drop or
 * change a finding. Nothing leaks. The tree is compiled once per file. */
typedef struct lint_failures {
    const char *path;
    unsigned long runs, refused;
    char problem[512];
} lint_failures;

/* The findings as `pathway lint` prints them; false when out of memory. */
static bool lint_render(const pt_tree *tree, unsigned long fail_at, sb *text, size_t *live_change)
{
    size_t before = nlive;
    pm_arena arena;
    pm_init(&arena, 65536);
    pd_list out;
    arm(SRC_SYS | SRC_ARENA, 0, fail_at, false);
    bool ok = pl_lint_tree(tree, &arena, &out);
    disarm();
    if (ok) {
        pd_buf b = {0};
        pd_render_text_coded(&out, tree->src, false, true, &b);
        sb_printf(text, "%s", b.data ? b.data : "");
        pd_buf_free(&b);
    }
    pm_free(&arena);
    *live_change = nlive - before;
    return ok;
}

static void lint_inject(void *user, const pt_tree *tree)
{
    lint_failures *r = user;
    if (!tree->program || !tree->checked)
        return;
    sb ref = {NULL, 0, 0};
    size_t leaked;
    if (!lint_render(tree, 0, &ref, &leaked) || leaked || !ref.len) {
        snprintf(r->problem, sizeof r->problem, "%s: the clean run failed or found nothing", r->path);
        sb_free(&ref);
        return;
    }
    for (unsigned long k = 1;; k++) {
        sb got = {NULL, 0, 0};
        bool ok = lint_render(tree, k, &got, &leaked);
        unsigned long failed = inj.failed;
        bool same = ok && strcmp(sb_str(&got), sb_str(&ref)) == 0;
        sb_free(&got);
        r->runs++;
        r->refused += !ok;
        if (leaked)
            snprintf(r->problem, sizeof r->problem, "%s k=%lu: %zu allocation(s) not freed", r->path, k, leaked);
        else if (!failed && !same)
            snprintf(r->problem, sizeof r->problem, "%s k=%lu: a run with no failure differs", r->path, k);
        else if (ok && !same)
            snprintf(r->problem, sizeof r->problem, "%s k=%lu: a failure was swallowed: the findings differ",
                     r->path, k);
        if (!failed || r->problem[0])
            break;
    }
    sb_free(&ref);
    /* Equivalent mutants: the first requirement against itself, each
     * allocation failing in turn: a proof, or out of memory said. */
    const pa_expr *cond = NULL;
    for (const pa_decl *d = tree->decls; d && !cond; d = d->next)
        if (d->kind == PA_D_PROGRAM && d->u.program.reqs && d->u.program.reqs->group == PA_LEAF)
            cond = d->u.program.reqs->cond;
    for (unsigned long k = 1; cond && !r->problem[0]; k++) {
        size_t before = nlive;
        bool oom = false;
        arm(SRC_SYS | SRC_ARENA, 0, k, false);
        bool same = pl_conditions_equivalent(tree, cond, cond, &oom);
        disarm();
        if (nlive != before)
            snprintf(r->problem, sizeof r->problem, "%s equivalence k=%lu: not freed", r->path, k);
        else if (same == oom)
            snprintf(r->problem, sizeof r->problem, "%s equivalence k=%lu: same=%d oom=%d", r->path, k, same, oom);
        if (!inj.failed)
            break;
    }
}

START_TEST(lint_failure_is_refused)
{
    static const char *const files[] = {
        PW_SOURCE_DIR "/tests/lint/PW101.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW102.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW103.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW110.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW111.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW112.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW113.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW114.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW120.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW130.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW131.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW132.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW133.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW134.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW140.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW150.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW151.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW190.bad.pw",
        PW_SOURCE_DIR "/tests/lint/PW191.bad.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW110-parts.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW110-source.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW111-all.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW113-sides.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW114-texts.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW120-grants.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW133-groups.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW134-groups.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW150-amended.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW150-periods.pw",
        PW_SOURCE_DIR "/tests/lint/edges/PW191-ends.pw",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        lint_failures r = {files[i], 0, 0, ""};
        pw_program *prog = NULL;
        pw_error err;
        pw_status st = pt_compile_tree(files[i], NULL, lint_inject, &r, &prog, &err);
        pw_program_free(prog);
        ck_assert_msg(st == PW_OK, "%s: %s", files[i], err.message);
        ck_assert_msg(!r.problem[0], "%s", r.problem);
        /* Every allocation was reached and failed once; most are fatal. */
        ck_assert_msg(r.runs > 10 && r.refused > 0, "%s: %lu runs, %lu refused", files[i], r.runs, r.refused);
    }
}
END_TEST

/* ---- suite ------------------------------------------------------------------ */

/* The SARIF renderer (src/diag/sarif.c) builds its URIs, messages and
 * fingerprints in buffers of its own: when one of them cannot grow, the
 * buffer the caller reads says so (oom), nothing leaks, and otherwise the
 * output is the reference's. Every allocation of a rendering, in turn,
 * single and sticky. */
typedef struct sarif_out {
    pd_buf results, log, uri, plain;
    size_t count;
} sarif_out;

static void sarif_render(ps_sources *src, const pd_list *l, sarif_out *o)
{
    static const pd_rule rules[] = {{"E0402", PD_ERROR, "An unknown name"},
                                    {"W1", PD_WARNING, "A warning [with] brackets\\"}};
    static const char *const md[] = {"Some *text*.", "```pathway", "x: y", "```", NULL};
    static const pd_rule_doc docs[] = {{"E0402", "An unknown name.", md, NULL},
                                       {"W1", "A warning", md, "https://example.org/w"}};
    pd_sarif_tool tool = {"pathway", "0.1.0", "https://example.org", "https://example.org/errors",
                          rules, 2};
    pd_sarif_extra extra = {docs, 2, "/src/dir", true};
    memset(o, 0, sizeof *o);
    pd_sarif_results(l, src, &tool, &o->results, &o->count);
    pd_sarif_plain plain = {"W1", PD_WARNING, "plain [message]", "./sub/../p q.pw", 3, 2, 3, 5,
                            "  the line", 10};
    pd_sarif_plain_result(&plain, &tool, &o->plain, &o->count);
    pd_sarif_uri(&o->uri, "../up/./x%.pw");
    pd_render_sarif_log(&tool, &extra, o->results.data, &o->log);
}

static void sarif_free(sarif_out *o)
{
    pd_buf_free(&o->results);
    pd_buf_free(&o->log);
    pd_buf_free(&o->uri);
    pd_buf_free(&o->plain);
}

static bool sarif_same(const pd_buf *a, const pd_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

START_TEST(sarif_failure_is_flagged)
{
    pm_arena arena;
    pm_init(&arena, 65536);
    ps_sources src;
    ps_init(&src, &arena);
    pd_list l;
    pd_init(&l, &arena, 50);
    static const char a[] = "facts coach { id: text }\nprogram p { require \"x\": nope }\n";
    int fa = ps_add(&src, "dir/../a b.pw", NULL, a, strlen(a));
    int fb = ps_add(&src, "/abs/b\xc3\xa9.pw", NULL, "x\n", 2);
    ck_assert(fa >= 0 && fb >= 0);
    ps_span s1 = {(uint32_t)fa, 53, 57}, s2 = {(uint32_t)fb, 0, 1};
    pd_diag *d = pd_report(&l, PD_E0402, &s1, "unknown name `nope` [a] \\ b");
    pd_note_add(&l, d, &s2, "declared here");
    pd_note_add(&l, d, NULL, "a note without a place");
    pd_set_fix(&l, d, "none");
    pd_report(&l, PD_E0402, NULL, "no place at all");
    ck_assert(!l.oom);

    sarif_out ref;
    sarif_render(&src, &l, &ref);
    ck_assert(!ref.results.oom && !ref.log.oom && !ref.uri.oom && !ref.plain.oom);
    ck_assert_uint_eq(ref.count, 3);
    for (int sticky = 0; sticky < 2; sticky++) {
        for (unsigned long k = 1;; k++) {
            size_t before = nlive;
            sarif_out got;
            arm(SRC_LIBC, 0, k, sticky == 1);
            sarif_render(&src, &l, &got);
            disarm();
            unsigned long failed = inj.failed;
            bool flagged = got.results.oom || got.log.oom || got.uri.oom || got.plain.oom;
            bool same = sarif_same(&got.results, &ref.results) && sarif_same(&got.log, &ref.log) &&
                        sarif_same(&got.uri, &ref.uri) && sarif_same(&got.plain, &ref.plain);
            sarif_free(&got);
            ck_assert_msg((long)nlive - (long)before == 0, "k=%lu: leak", k);
            if (!failed) {
                ck_assert(same && !flagged);
                ck_assert_uint_gt(k, 10);
                break;
            }
            /* The table of line starts is not needed: failing it changes nothing. */
            ck_assert_msg(flagged || same, "k=%lu sticky=%d: a failure neither flagged nor harmless", k, sticky);
        }
    }
    sarif_free(&ref);
    ps_fini(&src);
    pm_free(&arena);
}
END_TEST

/* pw_compile took its status from the pw_error: without one, a compilation
 * that lost diagnostics for want of memory returned PW_ERR_COMPILE where
 * the same call with a pw_error returned PW_ERR_NOMEM. Every arena
 * allocation of a file with errors, from the Nth on, both ways. */
START_TEST(nomem_without_pw_error)
{
    unsigned long nomem = 0;
    for (unsigned long k = 1;; k++) {
        pw_program *p = NULL;
        pw_error err;
        arm(SRC_ARENA, 0, k, true);
        pw_status with = pw_compile_file(bad_sources[0], NULL, &p, &err);
        disarm();
        unsigned long failed = inj.failed;
        pw_program_free(p);
        p = NULL;
        arm(SRC_ARENA, 0, k, true);
        pw_status without = pw_compile_file(bad_sources[0], NULL, &p, NULL);
        disarm();
        pw_program_free(p);
        ck_assert_msg(with == without, "k=%lu: %s with a pw_error, %s without", k, status_name(with),
                      status_name(without));
        if (!failed) {
            ck_assert_int_eq(with, PW_ERR_COMPILE);
            break;
        }
        ck_assert_msg(with == PW_ERR_NOMEM || with == PW_ERR_COMPILE, "k=%lu: %s", k, status_name(with));
        nomem += with == PW_ERR_NOMEM;
    }
    ck_assert_uint_gt(nomem, 0);
}
END_TEST

static Suite *allocfail_suite(void)
{
    make_configs();
    Suite *s = suite_create("allocfail");
    TCase *tc = tcase_create("inject");
    tcase_add_unchecked_fixture(tc, fixture_up, fixture_down);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_inject, 0, (int)nconfigs);
    suite_add_tcase(s, tc);

    tc = tcase_create("regressions");
    tcase_add_unchecked_fixture(tc, fixture_up, fixture_down);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, gen_table_copy_failure);
    tcase_add_test(tc, check_name_table_failure);
    tcase_add_test(tc, verify_failure_is_nomem);
    tcase_add_test(tc, render_failure_is_nomem);
    tcase_add_test(tc, realpath_failure_is_nomem);
    tcase_add_test(tc, parser_stack_failure_is_nomem);
    tcase_add_test(tc, read_file_failure_is_nomem);
    tcase_add_test(tc, cjson_failure_is_refused_cleanly);
    tcase_add_test(tc, facts_failure_is_nomem);
    tcase_add_test(tc, sarif_failure_is_flagged);
    tcase_add_test(tc, nomem_without_pw_error);
    tcase_add_test(tc, native_emit_failure_is_reported);
    tcase_add_test(tc, native_scratch_failure_is_nomem);
    tcase_add_test(tc, eval_line_nul_failure_is_nomem);
    suite_add_tcase(s, tc);

    tc = tcase_create("lint");
    tcase_add_unchecked_fixture(tc, fixture_up, fixture_down);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, lint_failure_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(allocfail_suite());
}
