/* The plans of pathway report and pathway diff: which program versions are
 * evaluated, where each counter lives, and counting one coach. The matching
 * of programs and the structural comparison of a diff are in match.c. */
#include <stdlib.h>
#include <string.h>

#include "impact.h"

bool pi_prog_init(pi_prog *out, const pw_program *program, size_t first, pw_date date)
{
    memset(out, 0, sizeof *out);
    out->p = pw_program_version_at(program, first, date);
    out->id = pw_program_id(program, out->p);
    out->title = pw_program_title(program, out->p);
    out->windowed = pw_program_has_window(program, out->p);
    size_t n = pw_requirement_count(program, out->p);
    out->reqs = calloc(n ? n : 1, sizeof *out->reqs);
    out->labels = calloc(n ? n : 1, sizeof *out->labels);
    if (!out->reqs || !out->labels) {
        pi_prog_fini(out); /* the caller does not count a program it failed */
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        pw_requirement info;
        if (pw_requirement_info(program, out->p, i, &info, NULL) == PW_OK && info.depth == 0 &&
            info.role == PW_ROLE_REQUIRE) {
            out->labels[out->nreqs] = info.label;
            out->reqs[out->nreqs++] = i;
        }
    }
    return true;
}

void pi_prog_fini(pi_prog *p)
{
    free(p->reqs);
    free(p->labels);
    p->reqs = NULL;
    p->labels = NULL;
}

static bool pi_nomem(pw_error *err)
{
    if (err) {
        err->status = PW_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return false;
}

/* ---- report ---------------------------------------------------------------------- */

bool pi_report_init(pi_report *r, const pw_program *program, pw_date as_of, pw_error *err)
{
    memset(r, 0, sizeof *r);
    r->program = program;
    r->as_of = as_of;
    size_t n = pw_program_count(program);
    r->progs = calloc(n ? n : 1, sizeof *r->progs);
    r->base = calloc(n ? n : 1, sizeof *r->base);
    if (!r->progs || !r->base)
        return pi_nomem(err);
    for (size_t i = 0; i < n; i++) {
        if (!pw_program_is_first_version(program, i))
            continue;
        pi_prog *p = &r->progs[r->nprogs];
        if (!pi_prog_init(p, program, i, as_of))
            return pi_nomem(err);
        r->base[r->nprogs++] = r->ncounters;
        r->ncounters += PI_R_UNMET + p->nreqs;
    }
    return true;
}

void pi_report_fini(pi_report *r)
{
    for (size_t k = 0; r->progs && k < r->nprogs; k++)
        pi_prog_fini(&r->progs[k]);
    free(r->progs);
    free(r->base);
    memset(r, 0, sizeof *r);
}

static bool pi_in_force(pw_verdict v)
{
    return v == PW_ELIGIBLE || v == PW_NOT_ELIGIBLE;
}

void pi_report_record(const pi_report *r, const pw_context *ctx, uint64_t *counts)
{
    for (size_t k = 0; k < r->nprogs; k++) {
        const pi_prog *p = &r->progs[k];
        uint64_t *c = counts + r->base[k];
        pw_verdict v = pw_result_verdict(ctx, p->p);
        if (v == PW_ELIGIBLE) {
            c[PI_R_ELIGIBLE]++;
        } else if (v == PW_CLOSED) {
            c[PI_R_CLOSED]++;
        } else if (v == PW_NOT_YET_OPEN) {
            c[PI_R_NOT_YET_OPEN]++;
        } else if (!pi_in_force(v)) {
            c[PI_R_NOT_IN_FORCE]++;
        } else {
            for (size_t j = 0; j < p->nreqs; j++)
                if (pw_result_outcome(ctx, p->p, p->reqs[j]) == PW_UNMET)
                    c[PI_R_UNMET + j]++;
        }
    }
}

/* ---- diff: counting one coach ------------------------------------------------------- */

/* Why a coach is not eligible for version `p` of one side: the labels of
 * its unmet requires (each counted at reason_counts[j]), else the side's
 * reason, counted at *other. Returns the number of reasons put in `out`. */
static size_t pi_why_not(const pw_context *ctx, bool has, const pi_prog *p, uint64_t *reason_counts,
                         uint64_t *other, const char *absent, const char **out)
{
    size_t n = 0;
    if (has && pi_in_force(pw_result_verdict(ctx, p->p))) {
        for (size_t j = 0; j < p->nreqs; j++) {
            if (pw_result_outcome(ctx, p->p, p->reqs[j]) == PW_UNMET) {
                reason_counts[j]++;
                out[n++] = p->labels[j];
            }
        }
    }
    if (n == 0) {
        (*other)++;
        out[n++] = has ? "(not in force)" : absent;
    }
    return n;
}

void pi_diff_record(const pi_diff *d, const pw_context *before, const pw_context *after, uint64_t *counts,
                    const char **scratch, pi_affected_fn fn, void *user)
{
    for (size_t k = 0; k < d->npairs; k++) {
        const pi_pair *pr = &d->pairs[k];
        uint64_t *c = counts + pr->base;
        bool be = pr->has_old && pw_result_eligible(before, pr->old.p);
        bool ae = pr->has_new && pw_result_eligible(after, pr->new.p);
        c[PI_D_BEFORE] += be;
        c[PI_D_AFTER] += ae;
        if (be == ae)
            continue;
        pi_affected a = {pr, be ? PI_LOST : PI_GAINED, scratch, 0};
        if (be) {
            c[PI_D_LOST]++;
            a.nreasons = pi_why_not(after, pr->has_new, &pr->new, c + PI_D_REASONS + pr->old.nreqs,
                                    c + PI_D_LOST_OTHER, "(program removed)", scratch);
        } else {
            c[PI_D_GAINED]++;
            a.nreasons = pi_why_not(before, pr->has_old, &pr->old, c + PI_D_REASONS, c + PI_D_GAINED_OTHER,
                                    "(program added)", scratch);
        }
        if (fn)
            fn(user, &a);
    }
}
