/* Helpers shared by the fuzz harnesses; see fuzz_common.h. The internal
 * headers are used only to read a program's facts layout, to generate facts
 * that fit it. */
#include "fuzz_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"

/* ---- fixed inputs ----------------------------------------------------------- */

const char *const fz_coaches[] = {
    /* examples/coaches.jsonl C0003: lists, nulls, a number */
    "{\"id\":\"C0003\",\"birth_date\":\"1985-03-10\",\"coaching_since\":\"2019-09-01\","
    "\"memberships\":[{\"body\":\"usatf\",\"expires\":null}],"
    "\"certificates\":[{\"id\":\"usatf-developmental\",\"issued\":\"2019-06-20\",\"expires\":null},"
    "{\"id\":\"usatf-level-1\",\"issued\":\"2021-06-12\",\"expires\":null}],"
    "\"athletes_coached\":22,\"courses\":[{\"id\":\"basic-principles-of-endurance-training\","
    "\"completed\":\"2024-02-11\",\"hours\":2.5}]}",
    /* only the required fields; born on a leap day */
    "{\"id\":\"F1\",\"birth_date\":\"2008-02-29\"}",
    /* every field of the coach record, roles and checks included */
    "{\"id\":\"F2\",\"birth_date\":\"1970-01-01\",\"coaching_since\":\"2000-02-29\","
    "\"memberships\":[{\"body\":\"usatf\",\"expires\":\"2028-02-29\"},"
    "{\"body\":\"usatf-coaches-registry\",\"expires\":null},"
    "{\"body\":\"england-athletics\",\"expires\":\"2030-01-01\"}],"
    "\"certificates\":[{\"id\":\"usatf-level-2\",\"issued\":\"2010-01-01\",\"expires\":\"2028-02-28\","
    "\"event_group\":\"endurance\"},{\"id\":\"ea-coach\",\"issued\":\"2020-05-05\",\"expires\":null}],"
    "\"roles\":[\"national-team-staff-coach\",\"primary-coach-collegiate-qualifier\"],"
    "\"athletes_coached\":9007199254740992,\"teaching_experience\":true,"
    "\"advanced_degree\":\"sport-science\","
    "\"background_checks\":[{\"kind\":\"safesport\",\"expires\":\"2027-01-01\"},"
    "{\"kind\":\"dbs\",\"expires\":\"2026-11-23\"}],"
    "\"courses\":[{\"id\":\"a\",\"completed\":\"2025-01-01\",\"hours\":1e300},"
    "{\"id\":\"b\",\"completed\":\"2025-01-02\",\"hours\":-0.5}]}",
};
const size_t fz_ncoaches = sizeof fz_coaches / sizeof fz_coaches[0];

pw_date fz_date(size_t i)
{
    /* 2026-11-23, 2028-02-29, 1800-01-01, 2999-12-31 as day numbers */
    static const pw_date dates[FZ_NDATES] = {20780, 21243, -62091, 376199};
    return dates[i % FZ_NDATES];
}

void fz_set_budget(pw_context *ctx, uint64_t budget)
{
    pw_limits lim;
    memset(&lim, 0, sizeof lim);
    lim.max_instructions = budget;
    pw_error err;
    if (pw_context_set_limits(ctx, &lim, &err) != PW_OK)
        fz_die("pw_context_set_limits: %s", err.message);
}

char *fz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        if (size)
            memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* ---- buffers ------------------------------------------------------------------ */

void fz_printf(fz_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        fz_die("fz_printf: bad format");
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            fz_die("fz_printf: out of memory");
        b->p = p;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void fz_buf_free(fz_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void fz_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz check failed: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void fz_same(const char *what, const fz_buf *a, const fz_buf *b)
{
    const char *pa = a->p ? a->p : "", *pb = b->p ? b->p : "";
    if (a->len == b->len && memcmp(pa, pb, a->len) == 0)
        return;
    size_t i = 0, line = 1, start = 0;
    while (i < a->len && i < b->len && pa[i] == pb[i]) {
        if (pa[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    fprintf(stderr, "fuzz check failed: %s differ at line %zu:\n  first:  %.200s\n  second: %.200s\n",
            what, line, pa + start, pb + start);
    fprintf(stderr, "---- first ----\n%.*s\n---- second ----\n%.*s\n", (int)(a->len > 20000 ? 20000 : a->len),
            pa, (int)(b->len > 20000 ? 20000 : b->len), pb);
    abort();
}

/* ---- facts from bytes --------------------------------------------------------- */

typedef struct fz_gen {
    const pb_image *img;
    const uint8_t *p;
    size_t n, at;
    fz_ops *out;
} fz_gen;

/* Operations per generated record: bounds the work one input can cause. */
#define FZ_MAX_OPS 512
/* Records nested in lists in lists ... */
#define FZ_MAX_DEPTH 3

static uint8_t fz_byte(fz_gen *g)
{
    return g->at < g->n ? g->p[g->at++] : 0;
}

static fz_op *fz_push(fz_gen *g, fz_op_kind kind, const char *path)
{
    fz_ops *o = g->out;
    if (o->n >= FZ_MAX_OPS)
        return NULL;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        fz_op *p = realloc(o->op, cap * sizeof *p);
        if (!p)
            fz_die("fz_push: out of memory");
        o->op = p;
        o->cap = cap;
    }
    fz_op *op = &o->op[o->n++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    snprintf(op->path, sizeof op->path, "%s", path);
    return op;
}

static int64_t fz_gen_int(fz_gen *g)
{
    static const int64_t ints[] = {0, 1, 2, 5, 17, 18, 19, -1, 100, 9007199254740992,
                                   INT64_MAX, INT64_MIN, INT64_MAX / 2, 3};
    uint8_t s = fz_byte(g);
    if (s < 0xf0)
        return ints[s % (sizeof ints / sizeof ints[0])];
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | fz_byte(g);
    return (int64_t)v;
}

static double fz_gen_num(fz_gen *g)
{
    static const double nums[] = {0.0, 0.5, 2.5, 10.0, -1.0, 1e308, -0.0, 6.0, 22.0, 1e-300};
    uint8_t s = fz_byte(g);
    if (s == 0xff)
        return NAN;
    if (s == 0xfe)
        return INFINITY;
    if (s >= 0xf0) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v = v << 8 | fz_byte(g);
        double d;
        memcpy(&d, &v, sizeof d);
        return d;
    }
    return nums[s % (sizeof nums / sizeof nums[0])];
}

static const char *fz_gen_text(fz_gen *g)
{
    static const char *const lits[] = {"", "x", "usatf", "\xff\xfe", "usatf-level-1", "C0001"};
    uint8_t s = fz_byte(g);
    if (g->img->nstrings && (s & 3) != 0)
        return g->img->strings[fz_byte(g) % g->img->nstrings];
    return lits[s % (sizeof lits / sizeof lits[0])];
}

static pw_date fz_gen_date(fz_gen *g)
{
    /* 2026-11-23, 2008-02-29, 1970-01-01, 1800-01-01, 2999-12-31, 2028-02-29 */
    static const pw_date base[] = {20780, 13938, 0, -62091, 376199, 21243};
    static const int32_t unit[] = {1, 30, 365, 3653};
    uint8_t s = fz_byte(g), o = fz_byte(g);
    return base[s % 6] + (int32_t)(int8_t)o * unit[(s >> 4) & 3];
}

static void fz_gen_record(fz_gen *g, uint32_t rec, const char *prefix, int depth);

static void fz_gen_field(fz_gen *g, const pb_field *f, const char *path, int depth)
{
    uint8_t s = fz_byte(g);
    if (s % 13 == 0)
        return; /* left unset: its default, or a missing required field */
    if (f->type.optional && s % 13 == 1) {
        fz_push(g, FZ_SET_NONE, path);
        return;
    }
    fz_op *op;
    switch ((pb_kind)f->type.kind) {
    case PB_T_INT:
        if ((op = fz_push(g, FZ_SET_INT, path)))
            op->i = fz_gen_int(g);
        break;
    case PB_T_NUM:
        if ((op = fz_push(g, FZ_SET_NUM, path)))
            op->n = fz_gen_num(g);
        break;
    case PB_T_BOOL:
        if ((op = fz_push(g, FZ_SET_BOOL, path)))
            op->i = fz_byte(g) & 1;
        break;
    case PB_T_TEXT:
        if ((op = fz_push(g, FZ_SET_TEXT, path)))
            op->s = fz_gen_text(g);
        break;
    case PB_T_DATE:
        if ((op = fz_push(g, FZ_SET_DATE, path)))
            op->d = fz_gen_date(g);
        break;
    case PB_T_SET:
    case PB_T_LIST: {
        unsigned n = fz_byte(g) % 4;
        for (unsigned i = 0; i < n; i++) {
            char sub[128];
            if (!fz_push(g, FZ_ADD, path))
                return;
            int len = snprintf(sub, sizeof sub, "%s[%u]", path, i);
            if (len < 0 || (size_t)len >= sizeof sub)
                continue; /* too long to name: the element stays unset */
            if (f->type.kind == PB_T_SET) {
                if ((op = fz_push(g, FZ_SET_TEXT, sub)))
                    op->s = fz_gen_text(g);
            } else if (depth < FZ_MAX_DEPTH) {
                fz_gen_record(g, f->type.rec, sub, depth + 1);
            }
        }
        break;
    }
    default:
        break;
    }
}

static void fz_gen_record(fz_gen *g, uint32_t rec, const char *prefix, int depth)
{
    const pb_image *img = g->img;
    if (rec >= img->nrecords)
        return;
    const pb_record *r = &img->records[rec];
    for (uint32_t i = 0; i < r->nfields && i < 64; i++) {
        const pb_field *f = &img->fields[r->first_field + i];
        const char *name = f->name < img->nstrings ? img->strings[f->name] : "";
        char path[128];
        int len = prefix ? snprintf(path, sizeof path, "%s.%s", prefix, name)
                         : snprintf(path, sizeof path, "%s", name);
        if (len < 0 || (size_t)len >= sizeof path)
            continue; /* a path this long is not worth the op */
        fz_gen_field(g, f, path, depth);
    }
}

void fz_gen_facts(const pw_program *program, const uint8_t *bytes, size_t n, fz_ops *out)
{
    fz_gen g = {pt_program_image(program), bytes, n, 0, out};
    if (g.img->nrecords)
        fz_gen_record(&g, 0, NULL, 0);
}

void fz_ops_free(fz_ops *ops)
{
    free(ops->op);
    memset(ops, 0, sizeof *ops);
}

void fz_apply(pw_context *ctx, const fz_ops *ops, fz_buf *log)
{
    for (size_t i = 0; i < ops->n; i++) {
        const fz_op *op = &ops->op[i];
        pw_error err;
        err.status = (pw_status)-1; /* a call must fill it in */
        size_t index = 0;
        pw_status st = PW_OK;
        switch (op->kind) {
        case FZ_SET_INT: st = pw_context_set_int(ctx, op->path, op->i, &err); break;
        case FZ_SET_NUM: st = pw_context_set_number(ctx, op->path, op->n, &err); break;
        case FZ_SET_BOOL: st = pw_context_set_bool(ctx, op->path, op->i != 0, &err); break;
        case FZ_SET_TEXT: st = pw_context_set_text(ctx, op->path, op->s, &err); break;
        case FZ_SET_DATE: st = pw_context_set_date(ctx, op->path, op->d, &err); break;
        case FZ_SET_NONE: st = pw_context_set_none(ctx, op->path, &err); break;
        case FZ_ADD: st = pw_context_add(ctx, op->path, &index, &err); break;
        }
        if (st != err.status)
            fz_die("status %d returned but %d in the pw_error (op %zu on `%s`)", (int)st,
                   (int)err.status, i, op->path);
        if (log)
            fz_printf(log, "op %zu %d %s: %d %zu %s\n", i, (int)op->kind, op->path, (int)st, index,
                      st == PW_OK ? "" : err.message);
    }
}

/* ---- snapshots ------------------------------------------------------------------- */

static const char *fz_s(const char *s)
{
    return s ? s : "(null)";
}

void fz_describe(const pw_program *program, fz_buf *out)
{
    size_t n = pw_program_count(program);
    fz_printf(out, "programs %zu\n", n);
    for (size_t p = 0; p < n; p++) {
        pw_date from, until;
        pw_program_period(program, p, &from, &until);
        const char *id = pw_program_id(program, p);
        if (!id)
            fz_die("program %zu has no id", p);
        fz_printf(out, "program %zu %s \"%s\" %d..%d dated %d first %d\n", p, id,
                  fz_s(pw_program_title(program, p)), (int)from, (int)until,
                  (int)pw_program_dated(program, p), (int)pw_program_is_first_version(program, p));
        for (size_t d = 0; d < FZ_NDATES; d++) {
            size_t v = pw_program_version_at(program, p, fz_date(d));
            if (v >= n || strcmp(pw_program_id(program, v), id) != 0)
                fz_die("pw_program_version_at(%zu) gave %zu, not a version of `%s`", p, v, id);
            fz_printf(out, "  at %d: version %zu\n", (int)fz_date(d), v);
        }
        size_t found = SIZE_MAX;
        pw_error err;
        if (pw_program_find(program, id, &found, &err) != PW_OK || found > p ||
            strcmp(pw_program_id(program, found), id) != 0)
            fz_die("pw_program_find(`%s`) does not find program %zu or an earlier version", id, p);
        size_t nr = pw_requirement_count(program, p);
        for (size_t r = 0; r < nr; r++) {
            pw_requirement q;
            if (pw_requirement_info(program, p, r, &q, &err) != PW_OK)
                fz_die("pw_requirement_info(%zu, %zu) failed: %s", p, r, err.message);
            if (!q.label)
                fz_die("requirement %zu of program %zu has no label", r, p);
            fz_printf(out, "  req %zu \"%s\" cite \"%s\" kind %d role %d depth %u min %u at %s:%u:%u %d..%d\n",
                      r, q.label, fz_s(q.citation), (int)q.kind, (int)q.role, q.depth, q.min,
                      fz_s(q.file), q.line, q.column, (int)q.from, (int)q.until);
        }
        pw_requirement q;
        if (pw_requirement_info(program, p, nr, &q, &err) != PW_ERR_USAGE)
            fz_die("pw_requirement_info past the end of program %zu did not fail", p);
    }
    /* Past the end: NULL and zero, never a crash. */
    if (pw_program_id(program, n) || pw_program_title(program, n) || pw_requirement_count(program, n) ||
        pw_program_dated(program, n) || pw_program_is_first_version(program, n) ||
        pw_program_version_at(program, n, 0) != n)
        fz_die("a describing call past the last program returned something");
    size_t none = 0;
    pw_error err;
    if (pw_program_find(program, "\x01no such program", &none, &err) != PW_ERR_USAGE)
        fz_die("pw_program_find found a program that does not exist");
}

/* Appends every result of program p. */
static void fz_results(const pw_context *ctx, const pw_program *program, size_t p, fz_buf *out)
{
    fz_printf(out, "  verdict %d eligible %d\n  outcomes", (int)pw_result_verdict(ctx, p),
              (int)pw_result_eligible(ctx, p));
    size_t nr = pw_requirement_count(program, p);
    for (size_t r = 0; r < nr; r++)
        fz_printf(out, " %d", (int)pw_result_outcome(ctx, p, r));
    fz_printf(out, "\n");
    size_t n = pw_result_unmet_count(ctx, p);
    for (size_t i = 0; i < n; i++)
        fz_printf(out, "  unmet \"%s\"\n", fz_s(pw_result_unmet_label(ctx, p, i)));
    if (pw_result_unmet_label(ctx, p, n))
        fz_die("an unmet label past the end");
    n = pw_result_preferred_unmet_count(ctx, p);
    for (size_t i = 0; i < n; i++)
        fz_printf(out, "  prefer \"%s\"\n", fz_s(pw_result_preferred_unmet_label(ctx, p, i)));
    if (pw_result_preferred_unmet_label(ctx, p, n))
        fz_die("a preferred label past the end");
    n = pw_result_advice_count(ctx, p);
    for (size_t i = 0; i < n; i++)
        fz_printf(out, "  advise \"%s\"\n", fz_s(pw_result_advice(ctx, p, i)));
    if (pw_result_advice(ctx, p, n))
        fz_die("an advice past the end");
    if (pw_result_outcome(ctx, p, nr) != PW_NO_REQUIREMENT)
        fz_die("an outcome past the last requirement");
}

/* Runtime errors compiled rules may meet; anything else (an ordering of an
 * absent value, an invalid opcode) means the checker or code generator let
 * through what the VM only expects from hand-made bytecode. */
static void fz_check_runtime_error(const pw_error *err)
{
    if (err->status != PW_ERR_EVAL)
        return;
    if (strstr(err->message, "integer overflow in") || strstr(err->message, "date out of range") ||
        strstr(err->message, "instruction budget exceeded"))
        return;
    fz_die("compiled rules failed at run time with an error the checker should rule out: %s",
           err->message);
}

void fz_evaluate(pw_context *ctx, const pw_program *program, pw_date date, size_t max_progs,
                 bool compiled, fz_buf *out)
{
    size_t n = pw_program_count(program);
    pw_error all;
    pw_status st_all = pw_evaluate_all(ctx, date, &all);
    if (st_all != all.status)
        fz_die("pw_evaluate_all returned %d but its pw_error says %d", (int)st_all, (int)all.status);
    fz_printf(out, "evaluate_all %d: %d %s\n", (int)date, (int)st_all, st_all == PW_OK ? "" : all.message);
    if (compiled)
        fz_check_runtime_error(&all);
    bool seen_error = false;
    for (size_t p = 0; p < n && p < max_progs; p++) {
        pw_error err;
        pw_status st = pw_evaluate(ctx, p, date, &err);
        if (st != err.status)
            fz_die("pw_evaluate returned %d but its pw_error says %d", (int)st, (int)err.status);
        fz_printf(out, "evaluate %zu: %d %s\n", p, (int)st, st == PW_OK ? "" : err.message);
        if (st != PW_OK) {
            if (compiled)
                fz_check_runtime_error(&err);
            /* pw_evaluate_all stops at the first program that fails, with
             * that program's error. */
            if (!seen_error && n <= max_progs &&
                (st_all != st || strcmp(all.message, err.message) != 0))
                fz_die("pw_evaluate_all gave \"%s\" but program %zu alone \"%s\"", all.message, p,
                       err.message);
            seen_error = true;
            continue;
        }
        fz_results(ctx, program, p, out);
        fz_check_results(ctx, program, p, date);
    }
    /* With no programs, only pw_evaluate_all completes the facts. */
    if (n > 0 && n <= max_progs && !seen_error && st_all != PW_OK)
        fz_die("pw_evaluate_all failed (\"%s\") but every program alone succeeded", all.message);
    pw_error err;
    if (pw_evaluate(ctx, n, date, &err) != PW_ERR_USAGE)
        fz_die("pw_evaluate of program %zu (past the end) did not fail", n);
}

/* ---- invariants of one program's results ---------------------------------------- */

/* The checks below need every node's description; programs larger than this
 * are only snapshotted. */
#define FZ_MAX_CHECKED_REQS 4096

static bool fz_in_force(const pw_requirement *q, pw_date date)
{
    return date >= q->from && date <= q->until;
}

/* Checks node i (and its subtree) given that it was reached (`reached`) or
 * not; returns the index after its subtree. */
static size_t fz_subtree_end(const pw_requirement *q, size_t n, size_t i)
{
    size_t end = i + 1;
    while (end < n && q[end].depth > q[i].depth)
        end++;
    return end;
}

static size_t fz_check_node(const pw_requirement *q, const pw_outcome *o, size_t n, size_t i,
                            bool reached, pw_date date, size_t prog)
{
    size_t end = fz_subtree_end(q, n, i);
    if (!reached) {
        for (size_t j = i; j < end; j++)
            if (o[j] != PW_NOT_EVALUATED)
                fz_die("program %zu: requirement %zu was not reached but its outcome is %d", prog, j,
                       (int)o[j]);
        return end;
    }
    if (!fz_in_force(&q[i], date)) {
        if (o[i] != PW_NOT_IN_FORCE)
            fz_die("program %zu: requirement %zu is not in force on day %d but its outcome is %d", prog,
                   i, (int)date, (int)o[i]);
        for (size_t j = i + 1; j < end; j++)
            if (o[j] != PW_NOT_EVALUATED)
                fz_die("program %zu: requirement %zu is inside a node not in force but its outcome is %d",
                       prog, j, (int)o[j]);
        return end;
    }
    if (o[i] != PW_MET && o[i] != PW_UNMET)
        fz_die("program %zu: requirement %zu was reached and is in force, but its outcome is %d", prog,
               i, (int)o[i]);
    if (q[i].kind == PW_REQ_SINGLE)
        return end;
    /* A group: its members are the nodes one deeper, each followed by its
     * subtree. Members not in force count neither way. */
    size_t in_force = 0;
    for (size_t j = i + 1; j < end; j = fz_subtree_end(q, n, j)) {
        if (q[j].depth != q[i].depth + 1)
            fz_die("program %zu: requirement %zu has depth %u inside group %zu of depth %u", prog, j,
                   q[j].depth, i, q[i].depth);
        in_force += fz_in_force(&q[j], date);
    }
    size_t need = q[i].kind == PW_REQ_ALL_OF ? in_force : q[i].kind == PW_REQ_ANY_OF ? 1 : q[i].min;
    size_t met = 0, left = in_force;
    pw_outcome decided = PW_NOT_EVALUATED;
    for (size_t j = i + 1; j < end; j = fz_subtree_end(q, n, j)) {
        if (decided == PW_NOT_EVALUATED) {
            if (met >= need)
                decided = PW_MET;
            else if (met + left < need)
                decided = PW_UNMET;
        }
        if (!fz_in_force(&q[j], date)) {
            /* Marked not in force whether reached or not. */
            fz_check_node(q, o, n, j, true, date, prog);
            continue;
        }
        /* Members after the decision are not evaluated. */
        fz_check_node(q, o, n, j, decided == PW_NOT_EVALUATED, date, prog);
        if (decided == PW_NOT_EVALUATED) {
            met += o[j] == PW_MET;
            left--;
        }
    }
    if (decided == PW_NOT_EVALUATED)
        decided = met >= need ? PW_MET : PW_UNMET;
    if (o[i] != decided)
        fz_die("program %zu: group %zu (kind %d, need %zu of %zu in force, %zu met) is %d, expected %d",
               prog, i, (int)q[i].kind, need, in_force, met, (int)o[i], (int)decided);
    return end;
}

void fz_check_results(const pw_context *ctx, const pw_program *program, size_t p, pw_date date)
{
    size_t n = pw_requirement_count(program, p);
    if (n > FZ_MAX_CHECKED_REQS)
        return;
    pw_requirement *q = malloc((n ? n : 1) * sizeof *q);
    pw_outcome *o = malloc((n ? n : 1) * sizeof *o);
    if (!q || !o)
        fz_die("out of memory");
    for (size_t r = 0; r < n; r++) {
        pw_error err;
        if (pw_requirement_info(program, p, r, &q[r], &err) != PW_OK)
            fz_die("pw_requirement_info(%zu, %zu): %s", p, r, err.message);
        o[r] = pw_result_outcome(ctx, p, r);
    }
    pw_date from, until;
    pw_program_period(program, p, &from, &until);
    pw_verdict v = pw_result_verdict(ctx, p);
    bool eligible = pw_result_eligible(ctx, p);
    if ((v == PW_ELIGIBLE) != eligible)
        fz_die("program %zu: verdict %d but eligible %d", p, (int)v, (int)eligible);
    if (date < from || date > until) {
        pw_verdict want = date < from ? PW_NOT_YET_IN_FORCE : PW_WITHDRAWN;
        if (v != want)
            fz_die("program %zu: not in force on day %d (period %d..%d) but verdict %d", p, (int)date,
                   (int)from, (int)until, (int)v);
        for (size_t r = 0; r < n; r++)
            if (o[r] != PW_NOT_EVALUATED)
                fz_die("program %zu is not in force but requirement %zu has outcome %d", p, r, (int)o[r]);
    } else {
        bool all = true;
        for (size_t r = 0; r < n;) {
            if (q[r].depth != 0)
                fz_die("program %zu: requirement %zu is at depth %u where a top-level node belongs", p,
                       r, q[r].depth);
            size_t next = fz_check_node(q, o, n, r, true, date, p);
            if (q[r].role == PW_ROLE_REQUIRE && o[r] == PW_UNMET)
                all = false;
            r = next;
        }
        /* Outside its enrolment window a version is evaluated but never
         * eligible: the verdict must match the window, and eligibility the
         * requirements only inside it. */
        pw_date opens, closes;
        pw_program_window(program, p, &opens, &closes);
        pw_verdict shut = date < opens ? PW_NOT_YET_OPEN : date > closes ? PW_CLOSED : PW_ELIGIBLE;
        if (shut != PW_ELIGIBLE && v != shut)
            fz_die("program %zu: outside its window on day %d (%d..%d) but verdict %d", p, (int)date,
                   (int)opens, (int)closes, (int)v);
        if (shut == PW_ELIGIBLE && (v == PW_NOT_YET_OPEN || v == PW_CLOSED))
            fz_die("program %zu: inside its window on day %d (%d..%d) but verdict %d", p, (int)date,
                   (int)opens, (int)closes, (int)v);
        if (shut == PW_ELIGIBLE && eligible != all)
            fz_die("program %zu: eligible %d but the top-level requirements say %d", p, (int)eligible,
                   (int)all);
    }
    /* The three lists: unmet top-level nodes of each role, in order. */
    size_t counts[3] = {0, 0, 0};
    for (size_t r = 0; r < n; r++) {
        if (q[r].depth != 0 || o[r] != PW_UNMET || (unsigned)q[r].role > 2)
            continue;
        size_t k = counts[q[r].role]++;
        const char *got = q[r].role == PW_ROLE_REQUIRE  ? pw_result_unmet_label(ctx, p, k)
                          : q[r].role == PW_ROLE_PREFER ? pw_result_preferred_unmet_label(ctx, p, k)
                                                        : pw_result_advice(ctx, p, k);
        if (!got || strcmp(got, q[r].label) != 0)
            fz_die("program %zu: list of role %d item %zu is \"%s\", expected \"%s\"", p, (int)q[r].role,
                   k, fz_s(got), q[r].label);
    }
    if (counts[0] != pw_result_unmet_count(ctx, p) || counts[1] != pw_result_preferred_unmet_count(ctx, p) ||
        counts[2] != pw_result_advice_count(ctx, p))
        fz_die("program %zu: list sizes %zu/%zu/%zu, the outcomes say %zu/%zu/%zu", p,
               pw_result_unmet_count(ctx, p), pw_result_preferred_unmet_count(ctx, p),
               pw_result_advice_count(ctx, p), counts[0], counts[1], counts[2]);
    free(q);
    free(o);
}
