/* Requirement coverage: which requirement nodes asserted evaluations saw met
 * and unmet, per program version, merged over every compilation of a run. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "ruletest_int.h"
#include "util/assert.h"

void pr_coverage_init(pr_coverage *cov)
{
    memset(cov, 0, sizeof *cov);
}

static void pr_cov_prog_fini(pr_cov_prog *p)
{
    for (size_t i = 0; i < p->nreqs; i++)
        free(p->reqs[i].label);
    free(p->reqs);
    free(p->file);
    free(p->key);
    free(p->id);
}

void pr_coverage_fini(pr_coverage *cov)
{
    for (size_t i = 0; i < cov->n; i++)
        pr_cov_prog_fini(&cov->progs[i]);
    free(cov->progs);
    memset(cov, 0, sizeof *cov);
}

size_t pr_cov_prog_covered(const pr_cov_prog *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nreqs; i++)
        n += p->reqs[i].met && p->reqs[i].unmet;
    return n;
}

void pr_coverage_totals(const pr_coverage *cov, size_t *covered, size_t *total)
{
    *covered = *total = 0;
    for (size_t i = 0; i < cov->n; i++) {
        *covered += pr_cov_prog_covered(&cov->progs[i]);
        *total += cov->progs[i].nreqs;
    }
}

/* Where program p is declared. The checker's table lists the declarations in
 * image order: the generator writes one image program per checked program,
 * in the table's order, with the declaration's name as its id
 * (src/gen/gen.c, pk_generate and pk_program), and this runs only on a tree
 * it compiled. Should that ever change, the first requirement's position
 * still tells versions apart (docs/robustness.md, marks). */
static pr_pos pr_program_pos(const pt_tree *tree, size_t p)
{
    const pc_program *c = tree->checked;
    const char *id = pw_program_id(tree->program, p);
    if (PU_ALWAYS(c && c->nprogs == pw_program_count(tree->program) && c->progs[p]->name && id &&
                  strcmp(c->progs[p]->name, id) == 0))
        return pr_position(tree, c->progs[p]->span);
    pr_pos pos = {"", "", 0, 0};
    pw_requirement info;
    if (pw_requirement_info(tree->program, p, 0, &info, NULL) == PW_OK && info.file) {
        pos.file = pos.key = info.file;
        pos.line = info.line;
        pos.column = info.column;
    } else if (tree->src && tree->src->nfiles) {
        pos.file = pos.key = tree->src->files[0].name;
    }
    return pos;
}

static size_t pr_coverage_find(const pr_coverage *cov, const pr_pos *pos, const char *id, size_t nreqs)
{
    for (size_t i = 0; i < cov->n; i++) {
        const pr_cov_prog *e = &cov->progs[i];
        if (e->line == pos->line && e->nreqs == nreqs && strcmp(e->key, pos->key) == 0 &&
            strcmp(e->id, id) == 0)
            return i;
    }
    return (size_t)-1;
}

static bool pr_cov_prog_fill(pr_cov_prog *e, const pt_tree *tree, size_t p, const pr_pos *pos)
{
    const pw_program *prog = tree->program;
    memset(e, 0, sizeof *e);
    e->file = pr_dup(pos->file);
    e->key = pr_dup(pos->key);
    e->id = pr_dup(pw_program_id(prog, p));
    e->line = pos->line;
    e->dated = pw_program_dated(prog, p);
    pw_program_period(prog, p, &e->from, &e->until);
    size_t n = pw_requirement_count(prog, p);
    e->reqs = calloc(n ? n : 1, sizeof *e->reqs);
    if (!e->file || !e->key || !e->id || !e->reqs)
        return false;
    for (size_t i = 0; i < n; i++, e->nreqs++) {
        pw_requirement info;
        pr_cov_req *r = &e->reqs[i];
        pw_status st = pw_requirement_info(prog, p, i, &info, NULL);
        if (PU_NEVER(st != PW_OK)) /* i < pw_requirement_count(prog, p) */
            memset(&info, 0, sizeof info);
        if (!(r->label = pr_dup(info.label ? info.label : "")))
            return false;
        r->line = info.line;
        r->column = info.column;
        r->depth = info.depth;
        r->role = info.role;
    }
    return true;
}

/* A new entry for program p; SIZE_MAX when memory runs out. */
static size_t pr_coverage_add(pr_coverage *cov, const pt_tree *tree, size_t p, const pr_pos *pos)
{
    pr_cov_prog *progs = pr_reserve(cov->progs, &cov->cap, cov->n, sizeof *cov->progs);
    if (!progs)
        return (size_t)-1;
    cov->progs = progs;
    if (!pr_cov_prog_fill(&progs[cov->n], tree, p, pos)) {
        pr_cov_prog_fini(&progs[cov->n]);
        return (size_t)-1;
    }
    return cov->n++;
}

pw_status pr_coverage_register(pr_coverage *cov, const pt_tree *tree, size_t *map, pw_error *err)
{
    size_t n = pw_program_count(tree->program);
    for (size_t p = 0; p < n; p++) {
        pr_pos pos = pr_program_pos(tree, p);
        const char *id = pw_program_id(tree->program, p);
        size_t e = pr_coverage_find(cov, &pos, id ? id : "", pw_requirement_count(tree->program, p));
        if (e == (size_t)-1 && (e = pr_coverage_add(cov, tree, p, &pos)) == (size_t)-1)
            return pt_fail(err, PW_ERR_NOMEM, "out of memory");
        map[p] = e;
    }
    return PW_OK;
}

void pr_coverage_mark(pr_coverage *cov, size_t entry, const pw_program *program,
                      const pw_context *ctx, size_t p)
{
    if (!cov || entry >= cov->n)
        return;
    pr_cov_prog *e = &cov->progs[entry];
    pw_verdict v = pw_result_verdict(ctx, p);
    /* A version out of force evaluates nothing: it is not coverage. */
    if (v != PW_ELIGIBLE && v != PW_NOT_ELIGIBLE)
        return;
    e->evaluations++;
    size_t n = pw_requirement_count(program, p);
    /* entry was found or made for this program: its nreqs is n */
    for (size_t i = 0; i < n && PU_ALWAYS(i < e->nreqs); i++) {
        switch (pw_result_outcome(ctx, p, i)) {
        case PW_MET: e->reqs[i].met = true; break;
        case PW_UNMET: e->reqs[i].unmet = true; break;
        case PW_NOT_IN_FORCE: e->reqs[i].out_of_force = true; break;
        case PW_NOT_EVALUATED:
        case PW_NO_REQUIREMENT: break;
        }
    }
}
