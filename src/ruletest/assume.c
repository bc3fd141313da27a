/* Every `assuming "reason"` of a rule set: the requirements (and program
 * headers, and definitions) its authors added without the source document stating them, for
 * someone to review. */
#include <stdlib.h>
#include <string.h>

#include "ruletest_int.h"

typedef struct pr_collector {
    pr_assumptions *out;
    bool oom;
} pr_collector;

static void pr_assumption_fini(pr_assumption *a)
{
    free(a->file);
    free(a->key);
    free(a->program);
    free(a->version);
    free(a->requirement);
    free(a->definition);
    free(a->reason);
}

void pr_assumptions_fini(pr_assumptions *a)
{
    for (size_t i = 0; i < a->n; i++)
        pr_assumption_fini(&a->items[i]);
    free(a->items);
    memset(a, 0, sizeof *a);
}

/* One `assuming`: of a program's header or requirement (`prog`, with
 * `requirement` NULL for the header), or of a definition (`define`, prog
 * NULL). */
static void pr_add_assumption(pr_collector *c, const pt_tree *tree, const pa_assume *as,
                              const pa_decl *prog, const char *requirement, const pa_decl *define)
{
    char period[48];
    bool dated = prog && prog->u.program.period.given;
    if (dated)
        pc_period_text(&prog->u.program.period, period, sizeof period);
    pr_assumptions *out = c->out;
    pr_assumption *items = pr_reserve(out->items, &out->cap, out->n, sizeof *out->items);
    if (!items) {
        c->oom = true;
        return;
    }
    out->items = items;
    pr_pos pos = pr_position(tree, as->span);
    pr_assumption *a = &items[out->n];
    memset(a, 0, sizeof *a);
    a->line = pos.line;
    a->column = pos.column;
    a->file = pr_dup(pos.file);
    a->key = pr_dup(pos.key);
    a->program = prog ? pr_dup(prog->name) : NULL;
    a->version = dated ? pr_dup(period) : NULL;
    a->requirement = pr_dup(requirement);
    a->definition = define ? pr_dup(define->name) : NULL;
    a->reason = pr_dup(as->reason);
    if (!a->file || !a->key || (prog && !a->program) || (dated && !a->version) ||
        (requirement && !a->requirement) || (define && !a->definition) || !a->reason) {
        pr_assumption_fini(a);
        c->oom = true;
        return;
    }
    out->n++;
}

/* Requirements and, under each group, its members, in pre-order. */
static void pr_collect_reqs(pr_collector *c, const pt_tree *tree, const pa_decl *program,
                            const pa_req *reqs)
{
    for (const pa_req *r = reqs; r && !c->oom; r = r->next) {
        for (const pa_assume *a = r->assumes; a && !c->oom; a = a->next)
            pr_add_assumption(c, tree, a, program, r->label, NULL);
        pr_collect_reqs(c, tree, program, r->members);
    }
}

static bool pr_before(const pr_assumption *a, const pr_assumption *b)
{
    return a->line < b->line || (a->line == b->line && a->column < b->column);
}

/* One program's clauses in the order they are written: a group's own
 * `assuming` may follow its members. A program lies in one file, so line and
 * column order is source order. */
static void pr_sort_from(pr_assumptions *a, size_t begin)
{
    for (size_t i = begin + 1; i < a->n; i++) {
        pr_assumption x = a->items[i];
        size_t j = i;
        for (; j > begin && pr_before(&x, &a->items[j - 1]); j--)
            a->items[j] = a->items[j - 1];
        a->items[j] = x;
    }
}

static void pr_collect(void *user, const pt_tree *tree)
{
    pr_collector *c = user;
    if (!tree->program)
        return;
    for (const pa_decl *d = tree->decls; d && !c->oom; d = d->next) {
        if (d->kind == PA_D_DEFINE)
            for (const pa_assume *a = d->u.define.assumes; a && !c->oom; a = a->next)
                pr_add_assumption(c, tree, a, NULL, NULL, d);
        if (d->kind != PA_D_PROGRAM)
            continue;
        size_t begin = c->out->n;
        for (const pa_assume *a = d->u.program.assumes; a && !c->oom; a = a->next)
            pr_add_assumption(c, tree, a, d, NULL, NULL);
        pr_collect_reqs(c, tree, d, d->u.program.reqs);
        pr_sort_from(c->out, begin);
    }
}

pw_status pr_list_assumptions(const char *path, const pw_compile_options *options,
                              pr_assumptions *out, pw_error *err)
{
    if (!path || !out)
        return pt_fail(err, PW_ERR_USAGE, "pr_list_assumptions: NULL argument");
    pr_collector c = {out, false};
    pw_program *prog = NULL;
    pw_status st = pt_compile_tree(path, options, pr_collect, &c, &prog, err);
    pw_program_free(prog);
    if (c.oom)
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    return st;
}
