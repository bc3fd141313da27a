/* Equivalent mutants (`pathway test --mutate`, src/ruletest/mutate.c): the
 * lint's reasoning asked whether two conditions of one checked tree hold
 * for exactly the same values. A mutant whose condition provably agrees
 * with the original changes no decision, and mutation testing leaves it out
 * of the score. The reasoning may only say yes with a proof: terms it does
 * not take apart are free (more valuations than the record allows, never
 * fewer), and a search that gives up proves nothing. */
#include "lint_int.h"

bool pl_conditions_equivalent(const pt_tree *tree, const pa_expr *a, const pa_expr *b, bool *oom)
{
    *oom = false;
    if (!tree || !tree->checked || !a || !b)
        return false;
    pm_arena arena;
    pm_init(&arena, 16384);
    pd_list found;
    pd_init(&found, &arena, 0);
    pl_ctx c = {.tree = tree, .p = tree->checked, .src = tree->src, .arena = &arena, .found = &found};
    pl_logic L;
    pl_logic_init(&L, &c);
    const pl_formula *fa = pl_formula_expr(&L, a);
    const pl_formula *fb = pl_formula_expr(&L, b);
    bool same = fa && fb && pl_implies(&L, fa, fb) && pl_implies(&L, fb, fa);
    *oom = c.oom || !fa || !fb;
    pl_logic_fini(&L);
    pm_free(&arena);
    return same && !*oom;
}
