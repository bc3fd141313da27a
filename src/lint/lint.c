/* The lint's driver: one run over a checked tree (every check, then the
 * root file's suppressions) and the lint of a file. The rules and the
 * helpers the checks share are in share.c, so that the checks depend on
 * it and this file on them, not round in a circle. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

/* ---- suppressions ---------------------------------------------------------------------- */

static uint32_t pl_line_of(pl_ctx *c, ps_span span)
{
    uint32_t line, col;
    ps_position(c->src, span.file, span.start, &line, &col);
    return line;
}

/* Does some directive silence d? Marks the code that does. */
static bool pl_silenced(pl_ctx *c, pl_directives *dirs, const pd_diag *d)
{
    if (!d->has_span || !pl_in_root(c, d->span))
        return false;
    uint32_t line = pl_line_of(c, d->span);
    for (uint32_t i = 0; i < dirs->n; i++) {
        pl_directive *dir = &dirs->items[i];
        bool here = dir->kind == PL_DIR_IGNORE_FILE || (dir->kind == PL_DIR_IGNORE && dir->target == line);
        for (uint32_t k = 0; here && k < dir->ncodes; k++) {
            if (dir->codes[k].known && strcmp(dir->codes[k].code, d->code) == 0) {
                dir->codes[k].used = true;
                return true;
            }
        }
    }
    return false;
}

static void pl_directive_problem(pl_ctx *c, const pl_directive *dir)
{
    ps_span at = {c->root, dir->start, dir->end};
    switch (dir->problem) {
    case PL_DP_NO_REASON:
        pl_report(c, "PW190", &at, "this suppression gives no reason");
        break;
    case PL_DP_NO_CODE:
        pl_report(c, "PW190", &at, "this suppression names no code to silence");
        break;
    case PL_DP_UNKNOWN:
        pl_report(c, "PW190", &at,
                  "unknown lint directive; expected `ignore CODE -- reason`, `ignore-file CODE -- reason` "
                  "or `require citations`");
        break;
    default:
        break;
    }
    for (uint32_t k = 0; k < dir->ncodes; k++) {
        ps_span cs = {c->root, dir->codes[k].start, dir->codes[k].end};
        if (!dir->codes[k].known)
            pl_report(c, "PW190", &cs, "`%s` is not a lint code (they are PW101 to PW191, see docs/lint.md)",
                      dir->codes[k].code);
    }
}

static void pl_unused_suppressions(pl_ctx *c, const pl_directives *dirs)
{
    for (uint32_t i = 0; i < dirs->n; i++) {
        const pl_directive *dir = &dirs->items[i];
        for (uint32_t k = 0; k < dir->ncodes; k++) {
            const pl_code_ref *code = &dir->codes[k];
            if (!code->known || code->used)
                continue;
            ps_span cs = {c->root, code->start, code->end};
            if (dir->kind == PL_DIR_IGNORE_FILE)
                pl_report(c, "PW191", &cs, "this suppression silences nothing: this file has no %s finding",
                          code->code);
            else if (dir->target)
                pl_report(c, "PW191", &cs, "this suppression silences nothing: line %u has no %s finding",
                          dir->target, code->code);
            else
                pl_report(c, "PW191", &cs, "this suppression silences nothing: no line follows it");
        }
    }
}

/* ---- a run ----------------------------------------------------------------------------- */

static void pl_collect_grants(pl_ctx *c)
{
    uint32_t n = 0;
    for (const pa_decl *d = c->tree->decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM)
            for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
                n += strcmp(a->name, "grants") == 0 && a->value->kind == PA_E_STR;
    c->grants = pl_alloc(c, sizeof *c->grants * (n ? n : 1));
    if (!c->grants)
        return;
    for (const pa_decl *d = c->tree->decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM)
            for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
                if (strcmp(a->name, "grants") == 0 && a->value->kind == PA_E_STR)
                    c->grants[c->ngrants++] = a->value;
}

static int pl_order(const void *x, const void *y)
{
    const pd_diag *a = *(const pd_diag *const *)x, *b = *(const pd_diag *const *)y;
    if (a->span.file != b->span.file)
        return a->span.file < b->span.file ? -1 : 1;
    if (a->span.start != b->span.start)
        return a->span.start < b->span.start ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* The same finding among kept[0..n) (in order of place): a requirement of
 * a `requirements` block is checked in each program that uses it. */
static bool pl_repeated(pd_diag *const *kept, size_t n, const pd_diag *d)
{
    for (size_t j = n; j-- > 0;) {
        const pd_diag *e = kept[j];
        if (e->span.file != d->span.file || e->span.start != d->span.start || e->has_span != d->has_span)
            return false;
        if (e->span.end == d->span.end && strcmp(e->code, d->code) == 0 &&
            strcmp(e->message, d->message) == 0)
            return true;
    }
    return false;
}

/* Moves what no suppression silences from c->found to out, in order of
 * place (the checks report check by check), each finding once. */
static bool pl_finish(pl_ctx *c, pl_directives *dirs, pd_list *out)
{
    size_t n = 0;
    for (const pd_diag *d = c->found->head; d; d = d->next)
        n++;
    pd_diag **all = pl_alloc(c, sizeof *all * (n ? n : 1));
    if (!all)
        return false;
    size_t kept = 0;
    for (pd_diag *d = c->found->head; d; d = d->next)
        if (!pl_silenced(c, dirs, d))
            all[kept++] = d;
    qsort(all, kept, sizeof *all, pl_order);
    size_t unique = 0;
    for (size_t i = 0; i < kept; i++)
        if (!pl_repeated(all, unique, all[i]))
            all[unique++] = all[i];
    kept = unique;
    for (size_t i = 0; i < kept; i++) {
        all[i]->next = NULL;
        if (out->tail)
            out->tail->next = all[i];
        else
            out->head = all[i];
        out->tail = all[i];
        out->errors += all[i]->severity == PD_ERROR;
        out->warnings += all[i]->severity == PD_WARNING;
    }
    return true;
}

static bool pl_root_has_program(const pl_ctx *c)
{
    for (const pa_decl *d = c->tree->decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM && pl_in_root(c, d->span))
            return true;
    return false;
}

static void pl_run_checks(pl_ctx *c, bool citations)
{
    pl_collect_grants(c);
    c->root_has_program = pl_root_has_program(c);
    pl_check_usage(c);
    pl_check_conditions(c);
    pl_check_known(c);
    pl_check_reach(c);
    pl_check_whole(c);
    pl_check_duplicates(c);
    if (citations)
        pl_check_citations(c);
}

bool pl_lint_tree(const pt_tree *tree, pm_arena *arena, pd_list *out)
{
    pd_list found;
    pd_init(&found, arena, 0);
    pd_init(out, arena, 0);
    pl_ctx c = {.tree = tree, .p = tree->checked, .src = tree->src, .arena = arena, .found = &found};
    const ps_file *root = &tree->src->files[0];
    pl_directives dirs;
    if (!pl_parse_directives(arena, root->text, root->len, &dirs))
        return false;
    bool citations = false;
    for (uint32_t i = 0; i < dirs.n; i++)
        citations = citations || dirs.items[i].kind == PL_DIR_CITATIONS;
    pl_run_checks(&c, citations);
    if (c.oom || found.oom || !pl_finish(&c, &dirs, out))
        return false;
    /* Said about the suppressions themselves, which cannot be silenced. */
    pd_init(&found, arena, 0);
    for (uint32_t i = 0; i < dirs.n; i++)
        pl_directive_problem(&c, &dirs.items[i]);
    pl_unused_suppressions(&c, &dirs);
    pl_directives none = {NULL, 0};
    pd_list tail;
    pd_init(&tail, arena, 0);
    if (c.oom || found.oom || !pl_finish(&c, &none, &tail))
        return false;
    /* Both lists are in order of place; merge them. */
    pd_list merged;
    pd_init(&merged, arena, 0);
    pd_diag *a = out->head, *b = tail.head;
    while (a || b) {
        pd_diag **take = !b || (a && pl_order(&a, &b) <= 0) ? &a : &b;
        pd_diag *d = *take;
        *take = d->next;
        d->next = NULL;
        if (merged.tail)
            merged.tail->next = d;
        else
            merged.head = d;
        merged.tail = d;
    }
    merged.errors = out->errors + tail.errors;
    merged.warnings = out->warnings + tail.warnings;
    *out = merged;
    return true;
}

/* ---- a file ---------------------------------------------------------------------------- */

typedef struct pl_file_run {
    pl_emit_fn emit;
    void *user;
    pl_counts *counts;
    bool linted;
    bool oom;
} pl_file_run;

static void pl_count(const pd_list *l, pl_counts *counts)
{
    for (const pd_diag *d = l->head; d; d = d->next) {
        counts->errors += d->severity == PD_ERROR;
        counts->warnings += d->severity == PD_WARNING;
        counts->notes += d->severity == PD_NOTE;
    }
}

static void pl_inspect(void *user, const pt_tree *tree)
{
    pl_file_run *run = user;
    if (!tree->program || !tree->checked || tree->src->nfiles == 0)
        return; /* it did not compile: the diagnostics said why */
    pm_arena arena;
    pm_init(&arena, 65536);
    pd_list out;
    if (pl_lint_tree(tree, &arena, &out)) {
        run->linted = true;
        if (run->counts)
            pl_count(&out, run->counts);
        if (run->emit)
            run->emit(run->user, &out, tree->src);
    } else {
        run->oom = true;
    }
    pm_free(&arena);
}

pw_status pl_lint_file(const char *path, const pw_compile_options *options, pl_emit_fn emit, void *user,
                       pl_counts *counts, pw_error *err)
{
    if (!path)
        return pt_fail(err, PW_ERR_USAGE, "pl_lint_file: NULL path");
    pl_file_run run = {emit, user, counts, false, false};
    pw_program *prog = NULL;
    pw_status st = pt_compile_tree(path, options, pl_inspect, &run, &prog, err);
    pw_program_free(prog);
    if (st != PW_OK)
        return st;
    if (run.oom || !run.linted)
        return pt_fail(err, PW_ERR_NOMEM, "%s: out of memory while linting", path);
    return PW_OK;
}
