/* pathway diff's structure: which program of the old rules is which of the
 * new, and what changed in each (docs/impact.md, "Matching programs" and
 * "The structural summary").
 *
 * Programs are matched by identifier. Of those left over, an old and a new
 * program are the same program renamed when they have the same title, or
 * else the same top-level `require` labels in the same order (at least two:
 * one generic label such as "at least 18 years of age" says too little);
 * each side is paired at most once, in declaration order, titles first.
 * Top-level requirements of a matched pair (every role) are matched by
 * label; a pair of requirements with the same label has changed when its
 * role, citation, effective period or condition (pw_requirement_fingerprint)
 * differs. */
#include <stdlib.h>
#include <string.h>

#include "impact.h"

static bool pi_fail(pw_error *err, pw_status st, const char *msg)
{
    if (err) {
        err->status = st;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return false;
}

static bool pi_same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The first versions of a rule set's programs, in declaration order. */
static size_t *pi_firsts(const pw_program *program, size_t *n)
{
    size_t count = pw_program_count(program);
    size_t *out = calloc(count ? count : 1, sizeof *out);
    *n = 0;
    for (size_t i = 0; out && i < count; i++)
        if (pw_program_is_first_version(program, i))
            out[(*n)++] = i;
    return out;
}

static bool pi_same_labels(const pi_prog *a, const pi_prog *b)
{
    if (a->nreqs < 2 || a->nreqs != b->nreqs)
        return false;
    for (size_t j = 0; j < a->nreqs; j++)
        if (strcmp(a->labels[j], b->labels[j]) != 0)
            return false;
    return true;
}

/* ---- requirements of a matched pair ---------------------------------------------- */

static const char *const pi_role_word[] = {"require", "prefer", "advise"};

typedef struct pi_node {
    size_t req;
    pw_requirement info;
    uint64_t fp;
    bool used;
} pi_node;

/* The top-level requirement nodes of version p, every role. */
static pi_node *pi_top_nodes(const pw_program *program, size_t p, size_t *n, pw_error *err)
{
    size_t count = pw_requirement_count(program, p);
    pi_node *out = calloc(count ? count : 1, sizeof *out);
    *n = 0;
    if (!out) {
        pi_fail(err, PW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        pi_node *nd = &out[*n];
        if (pw_requirement_info(program, p, i, &nd->info, err) != PW_OK ||
            pw_requirement_fingerprint(program, p, i, &nd->fp, err) != PW_OK) {
            free(out);
            return NULL;
        }
        if (nd->info.depth == 0) {
            nd->req = i;
            (*n)++;
        }
    }
    return out;
}

static unsigned pi_node_diff(const pi_node *a, const pi_node *b)
{
    unsigned what = 0;
    if (a->fp != b->fp)
        what |= PI_W_CONDITION;
    if (a->info.role != b->info.role)
        what |= PI_W_ROLE;
    if (!pi_same_text(a->info.citation, b->info.citation))
        what |= PI_W_CITATION;
    if (a->info.from != b->info.from || a->info.until != b->info.until)
        what |= PI_W_PERIOD;
    return what;
}

static void pi_add_change(pi_pair *pr, pi_req_change_kind kind, const pi_node *nd, unsigned what)
{
    pi_req_change *c = &pr->changes[pr->nchanges++];
    c->kind = kind;
    c->label = nd->info.label;
    c->role = pi_role_word[nd->info.role <= PW_ROLE_ADVISE ? nd->info.role : 0];
    c->what = what;
}

/* Removed and changed requirements in the old order, then the added ones in
 * the new order. */
static bool pi_compare_reqs(const pi_diff *d, pi_pair *pr, pw_error *err)
{
    size_t no, nn;
    pi_node *o = pi_top_nodes(d->old, pr->old.p, &no, err);
    pi_node *n = o ? pi_top_nodes(d->new, pr->new.p, &nn, err) : NULL;
    pr->changes = n ? calloc(no + nn + 1, sizeof *pr->changes) : NULL;
    if (!pr->changes) {
        free(o);
        free(n);
        return o && n ? pi_fail(err, PW_ERR_NOMEM, "out of memory") : false;
    }
    for (size_t i = 0; i < no; i++) {
        pi_node *match = NULL;
        for (size_t j = 0; j < nn && !match; j++)
            if (!n[j].used && strcmp(n[j].info.label, o[i].info.label) == 0)
                match = &n[j];
        if (!match) {
            pi_add_change(pr, PI_REQ_REMOVED, &o[i], 0);
            continue;
        }
        match->used = true;
        unsigned what = pi_node_diff(&o[i], match);
        if (what)
            pi_add_change(pr, PI_REQ_CHANGED, match, what);
    }
    for (size_t j = 0; j < nn; j++)
        if (!n[j].used)
            pi_add_change(pr, PI_REQ_ADDED, &n[j], 0);
    free(o);
    free(n);
    return true;
}

static unsigned pi_prog_diff(const pi_diff *d, const pi_pair *pr)
{
    unsigned what = 0;
    if (!pi_same_text(pr->old.title, pr->new.title))
        what |= PI_W_TITLE;
    pw_date of, ou, nf, nu;
    pw_program_period(d->old, pr->old.p, &of, &ou);
    pw_program_period(d->new, pr->new.p, &nf, &nu);
    if (of != nf || ou != nu)
        what |= PI_W_PERIOD;
    pw_program_window(d->old, pr->old.p, &of, &ou);
    pw_program_window(d->new, pr->new.p, &nf, &nu);
    if (of != nf || ou != nu)
        what |= PI_W_WINDOW;
    return what;
}

/* ---- programs ------------------------------------------------------------------ */

typedef struct pi_sides {
    pi_prog *old, *new;
    size_t nold, nnew;
    long *match;    /* per old program: the new one it is paired with, or -1 */
    bool *taken;    /* per new program */
    const char **by;/* per old program: how (NULL: same id) */
} pi_sides;

/* Pairs left-over programs that `same` says are one renamed program. */
static void pi_pair_renamed(pi_sides *s, bool (*same)(const pi_prog *, const pi_prog *), const char *by)
{
    for (size_t i = 0; i < s->nold; i++) {
        for (size_t j = 0; j < s->nnew && s->match[i] < 0; j++) {
            if (!s->taken[j] && same(&s->old[i], &s->new[j])) {
                s->match[i] = (long)j;
                s->taken[j] = true;
                s->by[i] = by;
            }
        }
    }
}

static bool pi_same_title(const pi_prog *a, const pi_prog *b)
{
    return a->title && b->title && strcmp(a->title, b->title) == 0;
}

static void pi_pair_all(pi_sides *s)
{
    for (size_t i = 0; i < s->nold; i++) {
        s->match[i] = -1;
        for (size_t j = 0; j < s->nnew && s->match[i] < 0; j++) {
            if (strcmp(s->old[i].id, s->new[j].id) == 0) {
                s->match[i] = (long)j;
                s->taken[j] = true;
            }
        }
    }
    pi_pair_renamed(s, pi_same_title, "title");
    pi_pair_renamed(s, pi_same_labels, "requirements");
}

static bool pi_load_side(const pw_program *program, pw_date date, pi_prog **out, size_t *n)
{
    size_t *firsts = pi_firsts(program, n);
    *out = calloc(*n ? *n : 1, sizeof **out);
    bool ok = firsts && *out;
    for (size_t i = 0; ok && i < *n; i++)
        ok = pi_prog_init(&(*out)[i], program, firsts[i], date);
    free(firsts);
    return ok;
}

/* Moves the sides' programs into the pairs (which own them from then on). */
static void pi_make_pairs(pi_diff *d, pi_sides *s)
{
    for (size_t i = 0; i < s->nold; i++) {
        pi_pair *pr = &d->pairs[d->npairs++];
        pr->has_old = true;
        pr->old = s->old[i];
        if (s->match[i] < 0) {
            pr->kind = PI_REMOVED;
            continue;
        }
        pr->has_new = true;
        pr->new = s->new[s->match[i]];
        pr->kind = s->by[i] ? PI_RENAMED : PI_SAME;
        pr->renamed_by = s->by[i];
    }
    for (size_t j = 0; j < s->nnew; j++) {
        if (s->taken[j])
            continue;
        pi_pair *pr = &d->pairs[d->npairs++];
        pr->kind = PI_ADDED;
        pr->has_new = true;
        pr->new = s->new[j];
    }
}

static void pi_sides_free(pi_sides *s, bool progs)
{
    for (size_t i = 0; progs && s->old && i < s->nold; i++)
        pi_prog_fini(&s->old[i]);
    for (size_t j = 0; progs && s->new && j < s->nnew; j++)
        pi_prog_fini(&s->new[j]);
    free(s->old);
    free(s->new);
    free(s->match);
    free(s->taken);
    free(s->by);
}

/* Counter layout and the most reasons one change can list. */
static void pi_layout(pi_diff *d)
{
    d->max_reasons = 1;
    for (size_t k = 0; k < d->npairs; k++) {
        pi_pair *pr = &d->pairs[k];
        pr->base = d->ncounters;
        d->ncounters += PI_D_REASONS + pr->old.nreqs + pr->new.nreqs;
        if (pr->old.nreqs > d->max_reasons)
            d->max_reasons = pr->old.nreqs;
        if (pr->new.nreqs > d->max_reasons)
            d->max_reasons = pr->new.nreqs;
    }
}

bool pi_diff_init(pi_diff *d, const pw_program *old, pw_date old_date, const pw_program *new,
                  pw_date new_date, pw_error *err)
{
    memset(d, 0, sizeof *d);
    d->old = old;
    d->new = new;
    d->old_date = old_date;
    d->new_date = new_date;
    pi_sides s;
    memset(&s, 0, sizeof s);
    bool ok = pi_load_side(old, old_date, &s.old, &s.nold) && pi_load_side(new, new_date, &s.new, &s.nnew);
    if (ok) {
        s.match = calloc(s.nold + 1, sizeof *s.match);
        s.taken = calloc(s.nnew + 1, sizeof *s.taken);
        s.by = calloc(s.nold + 1, sizeof *s.by);
        d->pairs = calloc(s.nold + s.nnew + 1, sizeof *d->pairs);
        ok = s.match && s.taken && s.by && d->pairs;
    }
    if (!ok) {
        pi_sides_free(&s, true);
        return pi_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    pi_pair_all(&s);
    pi_make_pairs(d, &s);
    pi_sides_free(&s, false);
    for (size_t k = 0; k < d->npairs; k++) {
        pi_pair *pr = &d->pairs[k];
        if (pr->has_old && pr->has_new) {
            pr->what = pi_prog_diff(d, pr);
            if (!pi_compare_reqs(d, pr, err))
                return false;
        }
    }
    pi_layout(d);
    return true;
}

void pi_diff_fini(pi_diff *d)
{
    for (size_t k = 0; d->pairs && k < d->npairs; k++) {
        pi_prog_fini(&d->pairs[k].old);
        pi_prog_fini(&d->pairs[k].new);
        free(d->pairs[k].changes);
    }
    free(d->pairs);
    memset(d, 0, sizeof *d);
}
