/* PW114: a text literal that is not a known value. Where a field or a
 * parameter is declared `text in NAME` (or `set of text in NAME`), a
 * literal compared with it (=, !=, in) or passed for it must be one of the
 * list's values, or a certificate some program grants; anything else is
 * most likely misspelt, and would silently match no coach. */
#include <string.h>

#include "check/names.h"
#include "lint_int.h"
#include "util/assert.h"

/* A loop variable over a set whose values are known. */
typedef struct pl_kscope {
    uint32_t local;
    uint32_t known;
    const struct pl_kscope *up;
} pl_kscope;

typedef struct pl_kwalk {
    pl_ctx *c;
    const pc_define *def;    /* the definition being walked, or NULL */
} pl_kwalk;

/* The known list (index + 1) that e's values are declared in, or 0. */
static uint32_t pl_known_of(const pl_kwalk *w, const pa_expr *e, const pl_kscope *sc)
{
    const pc_program *p = w->c->p;
    if (e->kind == PA_E_FIELD && e->u.field.obj->type.kind == PB_T_ELEM && PU_ALWAYS(e->ref_rec < p->nrecords))
        return p->records[e->ref_rec].fields[e->ref_index].known;
    if (e->kind != PA_E_NAME)
        return 0;
    switch (e->ref) {
    case PA_REF_FACT: return PU_ALWAYS(p->nrecords) ? p->records[0].fields[e->ref_index].known : 0;
    case PA_REF_PARAM:
        return w->def && PU_ALWAYS(e->ref_index < w->def->nparams) ? w->def->param_known[e->ref_index] : 0;
    case PA_REF_LOCAL:
        for (; sc; sc = sc->up)
            if (sc->local == e->ref_index)
                return sc->known;
        return 0;
    default: return 0;
    }
}

static bool pl_is_known(const pl_ctx *c, uint32_t known, const char *s)
{
    const pc_known *k = &c->p->known[known - 1];
    for (uint32_t i = 0; i < k->nvalues; i++)
        if (strcmp(k->values[i]->u.str.s, s) == 0)
            return true;
    return pl_granted(c, s);
}

/* `"text"` as the rules write it: quotes, and escapes where needed. */
static const char *pl_quoted(pl_ctx *c, const char *s)
{
    size_t n = strlen(s);
    char *q = pl_alloc(c, 2 * n + 3);
    if (!q)
        return "\"\"";
    size_t k = 0;
    q[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '"' || ch == '\\' || ch == '\n' || ch == '\t') {
            q[k++] = '\\';
            ch = ch == '\n' ? 'n' : ch == '\t' ? 't' : ch;
        }
        q[k++] = ch;
    }
    q[k++] = '"';
    q[k] = '\0';
    return q;
}

/* Of the values a or b, the one nearer `text` in length. */
static const char *pl_nearer(const char *text, const char *a, const char *b)
{
    if (!a)
        return b;
    size_t n = strlen(text), la = strlen(a), lb = strlen(b);
    return (la > n ? la - n : n - la) <= (lb > n ? lb - n : n - lb) ? a : b;
}

/* The value `text` most likely meant: a near spelling ("usatf-levl-1"),
 * else one that holds it or that it holds ("coaches-registry" for
 * "usatf-coaches-registry"); NULL when none is likely. */
static const char *pl_closest(const pl_ctx *c, const pc_known *k, const char *text)
{
    pc_suggest s;
    pc_suggest_init(&s, text);
    for (uint32_t i = 0; i < k->nvalues; i++)
        pc_suggest_offer(&s, k->values[i]->u.str.s);
    for (uint32_t i = 0; i < c->ngrants; i++)
        pc_suggest_offer(&s, c->grants[i]->u.str.s);
    if (pc_suggest_result(&s) || !text[0])
        return pc_suggest_result(&s);
    const char *best = NULL;
    for (uint32_t i = 0; i < k->nvalues; i++) {
        const char *v = k->values[i]->u.str.s;
        if (v[0] && (strstr(v, text) || strstr(text, v)))
            best = pl_nearer(text, best, v);
    }
    return best;
}

static void pl_check_literal(const pl_kwalk *w, const pa_expr *lit, uint32_t known)
{
    pl_ctx *c = w->c;
    if (!known || lit->kind != PA_E_STR || PU_NEVER(known > c->p->nknown) || pl_is_known(c, known, lit->u.str.s))
        return;
    const pc_known *k = &c->p->known[known - 1];
    pd_diag *d = pl_report(c, "PW114", &lit->span, "%s is not a known value of `%s`",
                           pl_quoted(c, lit->u.str.s), k->decl->name);
    const char *best = pl_closest(c, k, lit->u.str.s);
    if (best) {
        const char *fix = pl_quoted(c, best);
        pl_note(c, d, NULL, "did you mean %s?", fix);
        pd_set_fix(c->found, d, fix);
    }
    pl_note(c, d, &k->decl->name_span, "the known values of `%s` are listed here; add it there if it is one",
            k->decl->name);
}

static void pl_known_walk(const pl_kwalk *w, const pa_expr *e, const pl_kscope *sc);

static void pl_known_binary(const pl_kwalk *w, const pa_expr *e, const pl_kscope *sc)
{
    const pa_expr *a = e->u.bin.a, *b = e->u.bin.b;
    pa_op op = e->u.bin.op;
    if (op == PA_OP_EQ || op == PA_OP_NE) {
        pl_check_literal(w, b, pl_known_of(w, a, sc));
        pl_check_literal(w, a, pl_known_of(w, b, sc));
    } else if (op == PA_OP_IN && b->kind == PA_E_LIST) {
        uint32_t k = pl_known_of(w, a, sc);
        for (const pa_expr *it = b->u.list.items; it; it = it->next)
            pl_check_literal(w, it, k);
    } else if (op == PA_OP_IN) {
        pl_check_literal(w, a, pl_known_of(w, b, sc));
    }
    pl_known_walk(w, a, sc);
    pl_known_walk(w, b, sc);
}

static void pl_known_call(const pl_kwalk *w, const pa_expr *e, const pl_kscope *sc)
{
    const pc_program *p = w->c->p;
    const pc_define *def =
        e->ref == PA_REF_DEFINE && PU_ALWAYS(e->ref_index < p->ndefs) ? &p->defs[e->ref_index] : NULL;
    uint32_t i = 0;
    for (const pa_expr *a = e->u.call.args; a; a = a->next, i++) {
        if (def && i < def->nparams)
            pl_check_literal(w, a, def->param_known[i]);
        pl_known_walk(w, a, sc);
    }
}

static void pl_known_quant(const pl_kwalk *w, const pa_expr *e, const pl_kscope *sc)
{
    pl_known_walk(w, e->u.quant.list, sc);
    /* The loop variable takes the set's values: the quantifier's third local. */
    pl_kscope inner = {e->ref_index + PC_QUANT_VAR, pl_known_of(w, e->u.quant.list, sc), sc};
    pl_known_walk(w, e->u.quant.where, &inner);
    pl_known_walk(w, e->u.quant.value, &inner);
}

typedef struct pl_known_step {
    const pl_kwalk *w;
    const pl_kscope *sc;
} pl_known_step;

static void pl_known_child(void *x, const pa_expr *e)
{
    const pl_known_step *k = x;
    pl_known_walk(k->w, e, k->sc);
}

static void pl_known_walk(const pl_kwalk *w, const pa_expr *e, const pl_kscope *sc)
{
    if (!e || w->c->oom)
        return;
    switch (e->kind) {
    case PA_E_BINARY: pl_known_binary(w, e, sc); break;
    case PA_E_CALL: pl_known_call(w, e, sc); break;
    case PA_E_QUANT: pl_known_quant(w, e, sc); break;
    default: {
        pl_known_step k = {w, sc};
        pa_each_child(e, pl_known_child, &k);
        break;
    }
    }
}

static void pl_known_reqs(const pl_kwalk *w, const pa_req *r)
{
    for (; r; r = r->next) {
        pl_known_walk(w, r->cond, NULL);
        pl_known_reqs(w, r->members);
    }
}

void pl_check_known(pl_ctx *c)
{
    if (c->p->nknown == 0)
        return;
    for (uint32_t i = 0; i < c->p->ndefs; i++) {
        const pc_define *def = &c->p->defs[i];
        if (pl_in_root(c, def->decl->span)) {
            pl_kwalk w = {c, def};
            pl_known_walk(&w, def->decl->u.define.body, NULL);
        }
    }
    pl_kwalk w = {c, NULL};
    for (const pa_decl *d = c->tree->decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM && pl_in_root(c, d->span))
            pl_known_reqs(&w, d->u.program.reqs);
}
