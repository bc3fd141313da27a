/* The verifier, part two: programs, their requirement trees and effective
 * periods, and the line table. See verify.c for the whole. */
#include <stdlib.h>
#include <string.h>

#include "../util/assert.h"
#include "../util/date.h"
#include "verify_int.h"

/* ---- effective periods -------------------------------------------------------- */

/* A period is two days in the date range, or an open end, in order. */
/* The function of a computed validity: one date parameter, a plain date
 * result (the checker allows nothing else). */
static bool v_valid_func(const pb_image *img, uint32_t f)
{
    if (f >= img->nfuncs)
        return false;
    const pb_func *fn = &img->funcs[f];
    /* v_functions checked first_param + nparams <= nparam_types. */
    return fn->nparams == 1 && PU_ALWAYS((uint64_t)fn->first_param < img->nparam_types) &&
           img->param_types[fn->first_param].kind == PB_T_DATE && !img->param_types[fn->first_param].optional &&
           fn->result.kind == PB_T_DATE && !fn->result.optional;
}

static bool v_period_ok(vc *c, int32_t from, int32_t until)
{
    bool from_ok = from == PB_OPEN_FROM || pbv_date(c, from);
    bool until_ok = until == PB_OPEN_UNTIL || pbv_date(c, until);
    return from_ok && until_ok && from <= until;
}

/* Versions of one program (the same id text: a hostile image may hold the
 * same string twice) must not overlap, or a date would have two answers.
 * Sorted by (id, from), overlaps are between neighbours. */
static int v_id_cmp(const pb_image *img, const pb_prog *a, const pb_prog *b)
{
    return a->id == b->id ? 0 : strcmp(img->strings[a->id], img->strings[b->id]);
}

static bool v_before(const pb_image *img, const pb_prog *a, const pb_prog *b)
{
    int c = v_id_cmp(img, a, b);
    return c < 0 || (c == 0 && a->from < b->from);
}

static void v_merge_sort(const pb_image *img, uint32_t *idx, uint32_t *tmp, uint32_t n)
{
    const pb_prog *progs = img->progs;
    for (uint32_t w = 1; w < n; w *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * w) {
            uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = v_before(img, &progs[idx[j]], &progs[idx[i]]) ? idx[j++] : idx[i++];
            while (i < mid)
                tmp[k++] = idx[i++];
            while (j < hi)
                tmp[k++] = idx[j++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

static bool v_versions(vc *c)
{
    const pb_image *img = c->img;
    uint32_t n = img->nprogs;
    uint32_t *idx = malloc((n ? n : 1) * sizeof *idx), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!idx || !tmp) {
        free(idx);
        free(tmp);
        return pbv_fail(c, "out of memory");
    }
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    v_merge_sort(img, idx, tmp, n);
    bool ok = true;
    for (uint32_t i = 1; ok && i < n; i++) {
        const pb_prog *a = &img->progs[idx[i - 1]], *b = &img->progs[idx[i]];
        if (v_id_cmp(img, a, b) == 0 && a->until >= b->from)
            ok = pbv_fail(c, "programs %u and %u are versions of '%s' whose effective periods overlap",
                          idx[i - 1], idx[i], pbv_name(img, a->id));
    }
    free(idx);
    free(tmp);
    return ok;
}

/* ---- requirement trees ----------------------------------------------------------- */

static bool v_req_leaf(vc *c, uint32_t p, uint32_t k, const pb_req *r)
{
    const pb_image *img = c->img;
    if (r->nchildren != 0 || r->size != 1)
        return pbv_fail(c, "requirement %u of program %u: a single requirement with %u members (size %u)",
                     k, p, r->nchildren, r->size);
    if (r->func >= img->nfuncs)
        return pbv_fail(c, "requirement %u of program %u: function %u out of range (image has %u functions)",
                     k, p, r->func, img->nfuncs);
    const pb_func *f = &img->funcs[r->func];
    if (f->nparams != 0)
        return pbv_fail(c, "requirement %u of program %u: function %u '%s' takes %u parameters (needs none)",
                     k, p, r->func, pbv_name(img, f->name), f->nparams);
    if (f->result.kind != PB_T_BOOL) {
        char tb[96];
        return pbv_fail(c, "requirement %u of program %u: function %u '%s' returns %s (needs boolean)", k,
                     p, r->func, pbv_name(img, f->name), pb_type_str(img, f->result, tb, sizeof tb));
    }
    return true;
}

static bool v_req_min(vc *c, uint32_t p, uint32_t k, const pb_req *r)
{
    switch (r->kind) {
    case PB_R_ALL:
        if (r->min != r->nchildren)
            return pbv_fail(c, "requirement %u of program %u: all-of group has min %u, needs %u (all members)",
                         k, p, r->min, r->nchildren);
        return true;
    case PB_R_ANY:
        if (r->min != 1)
            return pbv_fail(c, "requirement %u of program %u: any-of group has min %u, needs 1", k, p, r->min);
        return true;
    default:
        if (r->min > r->nchildren)
            return pbv_fail(c, "requirement %u of program %u: at-least group needs %u of only %u members",
                         k, p, r->min, r->nchildren);
        return true;
    }
}

/* A group's members tile its subtree exactly, each one level deeper and with
 * the group's role. Each member's own subtree is checked when the walk over
 * the program's nodes reaches it. */
static bool v_req_group(vc *c, uint32_t p, uint32_t k, uint32_t i, uint32_t end)
{
    const pb_req *reqs = c->img->reqs, *r = &reqs[i];
    if (!v_req_min(c, p, k, r))
        return false;
    uint32_t j = i + 1, stop = i + r->size;
    for (uint32_t m = 0; m < r->nchildren; m++) {
        if (j >= stop)
            return pbv_fail(c, "requirement %u of program %u: size %u too small for its %u members", k, p,
                         r->size, r->nchildren);
        const pb_req *ch = &reqs[j];
        if (ch->depth != r->depth + 1u)
            return pbv_fail(c, "requirement %u of program %u: depth %u, expected %u", j - (i - k), p,
                         ch->depth, r->depth + 1u);
        if (ch->role != r->role)
            return pbv_fail(c, "requirement %u of program %u: role %u differs from its group's role %u",
                         j - (i - k), p, ch->role, r->role);
        if (ch->size == 0 || ch->size > end - j)
            return pbv_fail(c, "requirement %u of program %u: size %u out of range", j - (i - k), p,
                         ch->size);
        j += ch->size;
    }
    if (j != stop)
        return pbv_fail(c, "requirement %u of program %u: size %u does not match its %u members (%u nodes)",
                     k, p, r->size, r->nchildren, j - i);
    return true;
}

static bool v_req_node(vc *c, uint32_t p, uint32_t i, uint32_t end)
{
    const pb_image *img = c->img;
    const pb_req *r = &img->reqs[i];
    uint32_t k = i - img->progs[p].first_req;
    if (r->kind > PB_R_ATLEAST)
        return pbv_fail(c, "requirement %u of program %u has an invalid kind %u", k, p, r->kind);
    if (r->role > PB_ROLE_ADVISE)
        return pbv_fail(c, "requirement %u of program %u has an invalid role %u", k, p, r->role);
    if (r->depth >= PB_MAX_REQ_DEPTH)
        return pbv_fail(c, "requirement %u of program %u is nested %u deep (the limit is %u)", k, p,
                     r->depth + 1u, PB_MAX_REQ_DEPTH);
    if (!pbv_str(c, r->label, false, "requirement %u of program %u", k, p) ||
        !pbv_str(c, r->cite, true, "requirement %u of program %u", k, p) ||
        !pbv_str(c, r->file, true, "requirement %u of program %u", k, p))
        return false;
    if (r->size == 0 || r->size > end - i)
        return pbv_fail(c, "requirement %u of program %u: size %u out of range", k, p, r->size);
    if (!v_period_ok(c, r->from, r->until))
        return pbv_fail(c, "requirement %u of program %u: invalid effective period (day %d to day %d)",
                        k, p, (int)r->from, (int)r->until);
    return r->kind == PB_R_LEAF ? v_req_leaf(c, p, k, r) : v_req_group(c, p, k, i, end);
}

static bool v_req_tree(vc *c, uint32_t p)
{
    const pb_prog *pr = &c->img->progs[p];
    uint32_t end = pr->first_req + pr->nreqs;
    for (uint32_t i = pr->first_req; i < end; i++)
        if (!v_req_node(c, p, i, end))
            return false;
    /* The top-level requirements tile the program's range. */
    for (uint32_t i = pr->first_req; i < end; i += c->img->reqs[i].size)
        if (c->img->reqs[i].depth != 0)
            return pbv_fail(c, "requirement %u of program %u: depth %u, expected 0 (top level)",
                         i - pr->first_req, p, c->img->reqs[i].depth);
    return true;
}

static bool v_program(vc *c, uint32_t p, uint32_t *owner)
{
    const pb_image *img = c->img;
    const pb_prog *pr = &img->progs[p];
    if (!pbv_str(c, pr->id, false, "program %u", p) || !pbv_str(c, pr->title, true, "program %u", p) ||
        !pbv_str(c, pr->format, true, "program %u", p) ||
        !pbv_str(c, pr->provider, true, "program %u", p) ||
        !pbv_str(c, pr->grants, true, "program %u", p) || !pbv_str(c, pr->file, true, "program %u", p))
        return false;
    if (!v_period_ok(c, pr->from, pr->until))
        return pbv_fail(c, "program %u: invalid effective period (day %d to day %d)", p, (int)pr->from,
                        (int)pr->until);
    if (!v_period_ok(c, pr->opens, pr->closes))
        return pbv_fail(c, "program %u: invalid enrolment window (day %d to day %d)", p, (int)pr->opens,
                        (int)pr->closes);
    if (pr->valid_unit > PB_VALID_COMPUTED)
        return pbv_fail(c, "program %u has an invalid validity unit %u", p, pr->valid_unit);
    if (pr->valid_unit == PB_VALID_COMPUTED && !v_valid_func(img, (uint32_t)pr->valid_n))
        return pbv_fail(c, "program %u: validity function %u is not a function of one date that gives a date", p,
                        (uint32_t)pr->valid_n);
    if ((uint64_t)pr->first_req + pr->nreqs > img->nreqs)
        return pbv_fail(c, "program %u: requirements %u..%u out of range (image has %u requirement nodes)",
                     p, pr->first_req, pr->first_req + pr->nreqs, img->nreqs);
    for (uint32_t i = pr->first_req; i < pr->first_req + pr->nreqs; i++) {
        if (owner[i])
            return pbv_fail(c, "program %u: requirement nodes %u..%u overlap those of program %u", p,
                         pr->first_req, pr->first_req + pr->nreqs, owner[i] - 1);
        owner[i] = p + 1;
    }
    return v_req_tree(c, p);
}

bool pbv_programs(vc *c)
{
    const pb_image *img = c->img;
    uint32_t *owner = calloc(img->nreqs ? img->nreqs : 1, sizeof *owner);
    if (!owner)
        return pbv_fail(c, "out of memory");
    bool ok = true;
    for (uint32_t p = 0; ok && p < img->nprogs; p++)
        ok = v_program(c, p, owner);
    free(owner);
    return ok && v_versions(c);
}

bool pbv_lines(vc *c)
{
    const pb_image *img = c->img;
    for (uint32_t i = 0; i < img->nlines; i++) {
        const pb_line *l = &img->lines[i];
        if (!pbv_str(c, l->file, true, "line entry %u", i))
            return false;
        if (l->pc > img->ncode)
            return pbv_fail(c, "line entry %u: code offset %u out of range (image has %u code bytes)", i,
                         l->pc, img->ncode);
        if (i && l->pc < img->lines[i - 1].pc)
            return pbv_fail(c, "line entry %u: code offset %u is before the previous entry's %u (not sorted)",
                         i, l->pc, img->lines[i - 1].pc);
    }
    return true;
}

