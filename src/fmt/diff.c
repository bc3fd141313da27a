/* A unified diff for `pathway fmt --check`, without running diff(1): lines
 * are numbered by content, a shortest edit script is found with Myers'
 * O(ND) algorithm in linear space (the middle-snake bisection, as in
 * "An O(ND) Difference Algorithm and Its Variations", 1986, section 4b),
 * and the script is printed in hunks with three lines of context. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_int.h"

enum {
    FM_CONTEXT = 3,      /* unchanged lines around each change */
    FM_MAX_DEPTH = 200,  /* recursion: far more than the halving of D ever needs */
};
/* Work (diagonals tried) before the search settles for a longer script:
 * enough for any rule file, bounded for a pathological input. */
#define FM_MAX_WORK 100000000ull

/* ---- lines -------------------------------------------------------------------- */

typedef struct fm_text {
    const char *data;
    size_t len;
    size_t n;         /* lines */
    size_t *start;    /* n + 1 offsets: line i is [start[i], start[i + 1]) */
    uint32_t *id;     /* equal lines (of either text) have equal ids */
} fm_text;

/* Lines end after their '\n'; the last may have none. */
static bool fm_split(fm_text *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++)
        n += t->data[i] == '\n';
    if (t->len && t->data[t->len - 1] != '\n')
        n++;
    t->n = n;
    t->start = malloc((n + 1) * sizeof *t->start);
    t->id = malloc((n ? n : 1) * sizeof *t->id);
    if (!t->start || !t->id)
        return false;
    size_t k = 0;
    t->start[0] = 0;
    for (size_t i = 0; i < t->len; i++)
        if (t->data[i] == '\n')
            t->start[++k] = i + 1;
    t->start[n] = t->len;
    return true;
}

static uint64_t fm_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Numbers the distinct lines of both texts through an open-addressing table
 * of (text, line) references. */
typedef struct fm_ref {
    const fm_text *t;
    size_t line;
    uint32_t id;
} fm_ref;

static bool fm_same_line(const fm_text *a, size_t i, const fm_text *b, size_t j)
{
    size_t na = a->start[i + 1] - a->start[i], nb = b->start[j + 1] - b->start[j];
    return na == nb && memcmp(a->data + a->start[i], b->data + b->start[j], na) == 0;
}

static void fm_number(fm_ref *table, size_t mask, fm_text *t, uint32_t *next)
{
    for (size_t i = 0; i < t->n; i++) {
        size_t len = t->start[i + 1] - t->start[i];
        size_t h = (size_t)fm_hash(t->data + t->start[i], len) & mask;
        while (table[h].t && !fm_same_line(table[h].t, table[h].line, t, i))
            h = (h + 1) & mask;
        if (!table[h].t)
            table[h] = (fm_ref){t, i, (*next)++};
        t->id[i] = table[h].id;
    }
}

static bool fm_number_lines(fm_text *a, fm_text *b)
{
    size_t size = 16;
    while (size < 2 * (a->n + b->n))
        size *= 2;
    fm_ref *table = calloc(size, sizeof *table);
    if (!table)
        return false;
    uint32_t next = 0;
    fm_number(table, size - 1, a, &next);
    fm_number(table, size - 1, b, &next);
    free(table);
    return true;
}

/* ---- the edit script ------------------------------------------------------------ */

typedef struct fm_myers {
    const uint32_t *a, *b;
    uint8_t *del;             /* per line of a: deleted */
    uint8_t *ins;             /* per line of b: inserted */
    ptrdiff_t *v1, *v2;       /* furthest reaching paths, forward and backward */
    unsigned long long work;
} fm_myers;

static void fm_mark(uint8_t *marks, size_t from, size_t to)
{
    if (to > from)
        memset(marks + from, 1, to - from);
}

/* The state of one bisection: both searches over A[0..N) x B[0..M). v1[off + k]
 * is how far along diagonal k (x - y = k) the forward search has reached,
 * v2 the same for the backward search from the ends; lo/hi narrow the
 * diagonals once a search runs off an edge. */
typedef struct fm_search {
    const uint32_t *A, *B;
    ptrdiff_t N, M, off, vlen, delta;
    ptrdiff_t *v1, *v2;
    ptrdiff_t lo1, hi1, lo2, hi2;
} fm_search;

/* Where a search on diagonal k gets in round d, following equal lines
 * forward (`back` false) or backward from the ends. */
static ptrdiff_t fm_reach(const fm_search *s, const ptrdiff_t *v, ptrdiff_t d, ptrdiff_t k, bool back)
{
    ptrdiff_t o = s->off + k;
    ptrdiff_t x = (k == -d || (k != d && v[o - 1] < v[o + 1])) ? v[o + 1] : v[o - 1] + 1;
    ptrdiff_t y = x - k;
    while (x < s->N && y < s->M &&
           (back ? s->A[s->N - x - 1] == s->B[s->M - y - 1] : s->A[x] == s->B[y])) {
        x++;
        y++;
    }
    return x;
}

/* Round d of the forward search; true with the meeting point when it
 * overlaps the backward search (checked when delta is odd). */
static bool fm_forward(fm_search *s, ptrdiff_t d, ptrdiff_t *sx, ptrdiff_t *sy)
{
    for (ptrdiff_t k = -d + s->lo1; k <= d - s->hi1; k += 2) {
        ptrdiff_t x = fm_reach(s, s->v1, d, k, false), y = x - k;
        s->v1[s->off + k] = x;
        if (x > s->N) {
            s->hi1 += 2; /* off the right edge */
        } else if (y > s->M) {
            s->lo1 += 2; /* off the bottom edge */
        } else if (s->delta % 2 != 0) {
            ptrdiff_t k2 = s->off + s->delta - k;
            if (k2 >= 0 && k2 < s->vlen && s->v2[k2] != -1 && x >= s->N - s->v2[k2]) {
                *sx = x;
                *sy = y;
                return true;
            }
        }
    }
    return false;
}

/* Round d of the backward search (overlaps checked when delta is even). */
static bool fm_backward(fm_search *s, ptrdiff_t d, ptrdiff_t *sx, ptrdiff_t *sy)
{
    for (ptrdiff_t k = -d + s->lo2; k <= d - s->hi2; k += 2) {
        ptrdiff_t x = fm_reach(s, s->v2, d, k, true), y = x - k;
        s->v2[s->off + k] = x;
        if (x > s->N) {
            s->hi2 += 2;
        } else if (y > s->M) {
            s->lo2 += 2;
        } else if (s->delta % 2 == 0) {
            ptrdiff_t k1 = s->off + s->delta - k;
            if (k1 >= 0 && k1 < s->vlen && s->v1[k1] != -1 && s->v1[k1] >= s->N - x) {
                *sx = s->v1[k1];
                *sy = s->v1[k1] - (k1 - s->off);
                return true;
            }
        }
    }
    return false;
}

/* Finds a point (x, y) of a shortest path through A[0..N) x B[0..M) where
 * the forward and backward searches meet. False when there is none (the
 * texts share nothing) or the work ran out. */
static bool fm_bisect(fm_myers *m, const uint32_t *A, ptrdiff_t N, const uint32_t *B, ptrdiff_t M,
                      ptrdiff_t *sx, ptrdiff_t *sy)
{
    ptrdiff_t max_d = (N + M + 1) / 2;
    fm_search s = {A, B, N, M, max_d, 2 * max_d + 2, N - M, m->v1, m->v2, 0, 0, 0, 0};
    for (ptrdiff_t i = 0; i < s.vlen; i++)
        s.v1[i] = s.v2[i] = -1;
    s.v1[s.off + 1] = s.v2[s.off + 1] = 0;
    for (ptrdiff_t d = 0; d < max_d; d++) {
        if ((m->work += (unsigned long long)(2 * d + 2)) > FM_MAX_WORK)
            return false;
        if (fm_forward(&s, d, sx, sy) || fm_backward(&s, d, sx, sy))
            return true;
    }
    return false;
}

/* Marks the deletions and insertions that turn a[a0..a1) into b[b0..b1). */
static void fm_script(fm_myers *m, size_t a0, size_t a1, size_t b0, size_t b1, int depth)
{
    while (a0 < a1 && b0 < b1 && m->a[a0] == m->b[b0]) {
        a0++;
        b0++;
    }
    while (a0 < a1 && b0 < b1 && m->a[a1 - 1] == m->b[b1 - 1]) {
        a1--;
        b1--;
    }
    ptrdiff_t x, y, N = (ptrdiff_t)(a1 - a0), M = (ptrdiff_t)(b1 - b0);
    if (N == 0 || M == 0 || depth > FM_MAX_DEPTH ||
        !fm_bisect(m, m->a + a0, N, m->b + b0, M, &x, &y) || (x == 0 && y == 0) ||
        (x == N && y == M)) {
        /* Nothing in common (or no split that makes progress): replace. */
        fm_mark(m->del, a0, a1);
        fm_mark(m->ins, b0, b1);
        return;
    }
    fm_script(m, a0, a0 + (size_t)x, b0, b0 + (size_t)y, depth + 1);
    fm_script(m, a0 + (size_t)x, a1, b0 + (size_t)y, b1, depth + 1);
}

/* ---- printing ------------------------------------------------------------------- */

typedef enum fm_op_kind { FM_EQ, FM_DEL, FM_INS } fm_op_kind;
typedef struct fm_op {
    uint8_t kind;
    size_t i, j; /* lines of a and b before the operation */
} fm_op;

/* The script in order: deletions before insertions within a change. */
static size_t fm_ops(const fm_text *a, const fm_text *b, const fm_myers *m, fm_op *ops)
{
    size_t i = 0, j = 0, n = 0;
    while (i < a->n || j < b->n) {
        fm_op op = {FM_EQ, i, j};
        if (i < a->n && m->del[i]) {
            op.kind = FM_DEL;
            i++;
        } else if (j < b->n && m->ins[j]) {
            op.kind = FM_INS;
            j++;
        } else {
            i++;
            j++;
        }
        ops[n++] = op;
    }
    return n;
}

static void fm_put_line(pd_buf *out, char mark, const fm_text *t, size_t line)
{
    size_t from = t->start[line], to = t->start[line + 1];
    fm_put(out, &mark, 1);
    fm_put(out, t->data + from, to - from);
    static const char no_newline[] = "\n\\ No newline at end of file\n";
    if (to == from || t->data[to - 1] != '\n')
        fm_put(out, no_newline, sizeof no_newline - 1);
}

/* "-3,4" as diff writes it: an empty range names the line before it, a
 * one-line range has no count. */
static void fm_range(pd_buf *out, char sign, size_t start, size_t count)
{
    if (count == 1)
        pd_buf_printf(out, "%c%zu", sign, start + 1);
    else
        pd_buf_printf(out, "%c%zu,%zu", sign, count ? start + 1 : start, count);
}

static void fm_hunk(pd_buf *out, const fm_text *a, const fm_text *b, const fm_op *ops, size_t s,
                    size_t e)
{
    size_t na = 0, nb = 0;
    for (size_t k = s; k < e; k++) {
        na += ops[k].kind != FM_INS;
        nb += ops[k].kind != FM_DEL;
    }
    pd_buf_printf(out, "@@ ");
    fm_range(out, '-', ops[s].i, na);
    pd_buf_printf(out, " ");
    fm_range(out, '+', ops[s].j, nb);
    pd_buf_printf(out, " @@\n");
    for (size_t k = s; k < e; k++) {
        if (ops[k].kind == FM_DEL)
            fm_put_line(out, '-', a, ops[k].i);
        else if (ops[k].kind == FM_INS)
            fm_put_line(out, '+', b, ops[k].j);
        else
            fm_put_line(out, ' ', a, ops[k].i);
    }
}

/* Groups the changes into hunks: changes closer than twice the context
 * share one. */
static void fm_hunks(pd_buf *out, const fm_text *a, const fm_text *b, const fm_op *ops, size_t n)
{
    size_t k = 0;
    while (k < n) {
        while (k < n && ops[k].kind == FM_EQ)
            k++;
        if (k == n)
            return;
        size_t s = k >= FM_CONTEXT ? k - FM_CONTEXT : 0, e = k;
        for (;;) {
            while (e < n && ops[e].kind != FM_EQ)
                e++;
            size_t same = 0;
            while (e + same < n && ops[e + same].kind == FM_EQ)
                same++;
            if (e + same == n || same > 2 * FM_CONTEXT) {
                e += same < FM_CONTEXT ? same : FM_CONTEXT;
                break;
            }
            e += same;
        }
        fm_hunk(out, a, b, ops, s, e);
        k = e;
    }
}

static void fm_text_free(fm_text *t)
{
    free(t->start);
    free(t->id);
}

void fm_diff(const char *a_name, const char *a, size_t alen, const char *b_name, const char *b,
             size_t blen, pd_buf *out)
{
    if (alen == blen && memcmp(a, b, alen) == 0)
        return;
    fm_text ta = {a, alen, 0, NULL, NULL}, tb = {b, blen, 0, NULL, NULL};
    fm_myers m;
    memset(&m, 0, sizeof m);
    fm_op *ops = NULL;
    bool ok = fm_split(&ta) && fm_split(&tb) && fm_number_lines(&ta, &tb);
    if (ok) {
        size_t vlen = 2 * ((ta.n + tb.n + 1) / 2) + 4;
        m.a = ta.id;
        m.b = tb.id;
        m.del = calloc(ta.n + 1, 1);
        m.ins = calloc(tb.n + 1, 1);
        m.v1 = malloc(vlen * sizeof *m.v1);
        m.v2 = malloc(vlen * sizeof *m.v2);
        ops = malloc((ta.n + tb.n + 1) * sizeof *ops);
        ok = m.del && m.ins && m.v1 && m.v2 && ops;
    }
    if (ok) {
        fm_script(&m, 0, ta.n, 0, tb.n, 0);
        pd_buf_printf(out, "--- %s\n+++ %s\n", a_name, b_name);
        fm_hunks(out, &ta, &tb, ops, fm_ops(&ta, &tb, &m, ops));
    } else {
        out->oom = true;
    }
    free(ops);
    free(m.del);
    free(m.ins);
    free(m.v1);
    free(m.v2);
    fm_text_free(&ta);
    fm_text_free(&tb);
}
