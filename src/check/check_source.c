/* Named sources: `source enrol_18 = "USATF membership and at least 18 years
 * of age required to enroll."` quotes a handbook sentence once, and
 * `citing enrol_18` cites it. The checker replaces each name by its text, so
 * the generator (and the bytecode) see exactly what `citing "..."` gives. */
#include <string.h>

#include "check_int.h"

void pc_collect_sources(pc_ctx *c, const pa_decl *decls)
{
    uint32_t n = 0;
    for (const pa_decl *d = decls; d; d = d->next)
        n += d->kind == PA_D_SOURCE;
    c->sources_decl = pm_alloc(c->arena, sizeof *c->sources_decl * (n ? n : 1));
    if (!c->sources_decl) {
        c->d->oom = true;
        return;
    }
    for (const pa_decl *d = decls; d && !c->d->oom; d = d->next) {
        if (d->kind != PA_D_SOURCE)
            continue;
        uint32_t old;
        if (!pc_names_add(&c->sources, d->name, c->nsources, &old)) {
            if (old == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &d->name_span, PD_E0390, "source `%s` is declared twice", d->name);
            pd_note_add(c->d, dg, &c->sources_decl[old]->name_span, "first declared here");
            continue;
        }
        if (d->u.source.text[0] == '\0')
            PC_ERR(c, &d->u.source.text_span, PD_E0392,
                   "source `%s` is empty: quote the handbook's sentence", d->name);
        c->sources_decl[c->nsources++] = d;
    }
}

/* Why `name` is not a source, when it names something else: true when said. */
static bool pc_cite_other(pc_ctx *c, pd_diag *dg, const char *name)
{
    uint32_t i;
    if (pc_names_get(&c->defs, name, &i))
        pd_note_add(c->d, dg, &c->p->defs[i].decl->name_span,
                    "`%s` is a definition; `citing` names a `source`", name);
    else if (pc_names_get(&c->known, name, &i))
        pd_note_add(c->d, dg, &c->p->known[i].decl->name_span,
                    "`%s` is a known list; `citing` names a `source`", name);
    else
        return false;
    return true;
}

void pc_resolve_cite(pc_ctx *c, pa_req *r)
{
    if (r->cite_name)
        r->cite = pc_source_text(c, r->cite_name, &r->cite_span);
}

const char *pc_source_text(pc_ctx *c, const char *name, const ps_span *span)
{
    uint32_t i;
    if (pc_names_get(&c->sources, name, &i))
        return c->sources_decl[i]->u.source.text;
    pd_diag *dg = PC_ERR(c, span, PD_E0391, "unknown source `%s`", name);
    pc_suggest s;
    pc_suggest_init(&s, name);
    for (uint32_t k = 0; k < c->nsources; k++)
        pc_suggest_offer(&s, c->sources_decl[k]->name);
    if (pc_suggest_result(&s)) {
        pd_note_add(c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(c->d, dg, pc_suggest_result(&s));
        return NULL;
    }
    if (!pc_cite_other(c, dg, name))
        pd_note_add(c->d, dg, NULL, "declare it once with `source %s = \"the handbook's sentence\"`, "
                                    "or quote the sentence here: `citing \"...\"`", name);
    return NULL;
}
