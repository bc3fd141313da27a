/* Requirements a person decides (`decided by "WHO" [as "KEY"]`): the facts
 * field that records the decisions, the made conditions, and one decider
 * per key. The conditions themselves are made by the parser (pp_decision)
 * and typed here like any other, so that the generator compiles them to
 * the facts lookups it already has. */
#include <string.h>

#include "check_int.h"

/* The shape a rule set gives its decisions, for the notes. */
#define PC_DECISION_SHAPE \
    "record decision { key: text  accepted: boolean }` and, in the facts record, " \
    "`decisions: list of decision = []"

/* Whether the facts field `decisions` has the shape a decision needs (a
 * list of records with `key: text` and `accepted: boolean`); reports E0476
 * or E0477 at r's `decided by` otherwise, once per rule set. */
static bool pc_decisions_field(pc_ctx *c, const pa_req *r)
{
    const ps_span *use = &r->decided_span;
    uint32_t slot;
    if (!c->p->has_facts || c->decisions_reported)
        return false; /* E0309 said it, or the first decided requirement did */
    if (!pc_names_get(&c->facts, "decisions", &slot)) {
        pd_diag *dg = PC_ERR(c, use, PD_E0476,
                             "`%s` is decided by a person, but the facts record has no field "
                             "`decisions` to record decisions in", r->label);
        pd_note_add(c->d, dg, NULL, "declare `" PC_DECISION_SHAPE "`");
        c->decisions_reported = true;
        return false;
    }
    const pc_record *facts = &c->p->records[0];
    const pc_field *f = &facts->fields[slot];
    const pc_record *rec = f->type.kind == PB_T_LIST ? &c->p->records[f->type.rec] : NULL;
    const char *missing = NULL;
    bool key = false, accepted = false;
    for (uint32_t i = 0; rec && i < rec->nfields; i++) {
        const pc_field *g = &rec->fields[i];
        if (strcmp(g->name, "key") == 0)
            key = g->type.kind == PB_T_TEXT && !g->type.optional;
        else if (strcmp(g->name, "accepted") == 0)
            accepted = g->type.kind == PB_T_BOOL && !g->type.optional;
    }
    if (!rec)
        missing = "is not a list of records";
    else if (!key)
        missing = "has no field `key: text` (what was decided)";
    else if (!accepted)
        missing = "has no field `accepted: boolean` (the decision: true for yes, false for no)";
    if (!missing)
        return true;
    char b[64];
    pd_diag *dg = PC_ERR(c, use, PD_E0477,
                         "`%s` is decided by a person, but the facts field `decisions` (%s) %s",
                         r->label, pc_type_name(c, f->type, b, sizeof b), missing);
    pd_note_add(c->d, dg, &f->span, "`decisions` is declared here");
    pd_note_add(c->d, dg, NULL, "a rule set records decisions as `" PC_DECISION_SHAPE "`");
    c->decisions_reported = true;
    return false;
}

void pc_check_decided(pc_ctx *c, pa_req *r)
{
    if (r->decided_by[0] == '\0')
        PC_ERR(c, &r->by_span, PD_E0479, "a decision needs someone to decide it: name who decides `%s`",
               r->label);
    else if (r->key_given && r->decision_key[0] == '\0')
        PC_ERR(c, &r->key_span, PD_E0479, "a decision's key cannot be empty: leave out `as \"\"` to "
               "record the decision under the label");
    if (!pc_decisions_field(c, r))
        return;
    pc_fn fn = {NULL, NULL, 0, 0, NULL};
    pc_expr(c, &fn, r->cond);
    pc_fn state = {NULL, NULL, 0, 0, NULL};
    pc_expr(c, &state, r->decision);
}

/* ---- one decider per key ---------------------------------------------------- */

typedef struct pc_decider {
    const pa_req *first;
} pc_decider;

typedef struct pc_keys {
    pc_names names;        /* key -> index into at */
    pc_decider *at;
    uint32_t n, cap;
} pc_keys;

static void pc_key_seen(pc_ctx *c, pc_keys *k, const pa_req *r)
{
    uint32_t old;
    if (pc_names_get(&k->names, r->decision_key, &old)) {
        const pa_req *first = k->at[old].first;
        if (strcmp(first->decided_by, r->decided_by) != 0) {
            pd_diag *dg = PC_ERR(c, &r->by_span, PD_E0478,
                                 "the decision `%s` is made by \"%s\" here, but by \"%s\" elsewhere",
                                 r->decision_key, r->decided_by, first->decided_by);
            pd_note_add(c->d, dg, &first->by_span, "first decided by \"%s\" here", first->decided_by);
            pd_note_add(c->d, dg, NULL, "one decision has one decider; give the other its own key: "
                        "`as \"...\"`");
        }
        return;
    }
    if (k->n == k->cap) {
        uint32_t cap = k->cap ? k->cap * 2 : 16;
        pc_decider *at = pm_alloc(c->arena, sizeof *at * cap);
        if (!at) {
            c->d->oom = true;
            return;
        }
        if (k->n)
            memcpy(at, k->at, sizeof *at * k->n);
        k->at = at;
        k->cap = cap;
    }
    if (!pc_names_add(&k->names, r->decision_key, k->n, &old)) {
        c->d->oom = true;
        return;
    }
    k->at[k->n++].first = r;
}

static void pc_keys_in(pc_ctx *c, pc_keys *k, const pa_req *r);

static void pc_keys_of(pc_ctx *c, pc_keys *k, const pa_req *r)
{
    if (r->shared)
        return; /* a copy of a block's requirement: seen with the block */
    if (r->decided_by)
        pc_key_seen(c, k, r);
    else if (r->group != PA_LEAF && r->group != PA_USE)
        pc_keys_in(c, k, r->members);
}

static void pc_keys_in(pc_ctx *c, pc_keys *k, const pa_req *r)
{
    for (; r && !c->d->oom; r = r->next)
        pc_keys_of(c, k, r);
}

void pc_check_decision_keys(pc_ctx *c, const pa_decl *decls)
{
    pc_keys *kp = pm_alloc(c->arena, sizeof *kp);
    if (!kp) {
        c->d->oom = true;
        return;
    }
    memset(kp, 0, sizeof *kp);
    pc_keys k = {0};
    pc_names_init(&k.names, c->arena);
    for (const pa_decl *d = decls; d; d = d->next)
        if (d->kind == PA_D_REQUIREMENTS)
            pc_keys_in(c, &k, d->u.block.reqs);
    for (const pa_decl *d = decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM)
            pc_keys_in(c, &k, d->u.program.reqs);
    *kp = k;
    c->decision_keys = kp;
}

void pc_check_decision_value(pc_ctx *c, const pa_value *list)
{
    const pc_keys *k = c->decision_keys;
    if (!k || k->n == 0 || list->kind != PA_V_LIST)
        return;
    for (const pa_value *it = list->u.list.items; it; it = it->next) {
        if (it->kind != PA_V_RECORD)
            continue;
        for (const pa_entry *e = it->u.record.entries; e; e = e->next) {
            uint32_t old;
            const pa_value *v = e->value;
            if (strcmp(e->name, "key") != 0 || v->kind != PA_V_TEXT ||
                pc_names_get(&k->names, v->u.str.s, &old))
                continue;
            pd_diag *dg = PC_ERR(c, &v->span, PD_E0386,
                                 "no requirement is decided under the key \"%s\"", v->u.str.s);
            pc_suggest s;
            pc_suggest_init(&s, v->u.str.s);
            for (uint32_t i = 0; i < k->n; i++)
                pc_suggest_offer(&s, k->at[i].first->decision_key);
            if (pc_suggest_result(&s)) {
                pd_note_add(c->d, dg, NULL, "did you mean \"%s\"?", pc_suggest_result(&s));
            } else {
                pd_note_add(c->d, dg, NULL, "a decision is recorded under its requirement's label, "
                            "or the key after `as`");
            }
        }
    }
}

/* ---- `awaiting decision` in tests ---------------------------------------------- */

static const pa_req *pc_decided_label(const pa_req *r, const char *label, pc_suggest *s, const pa_req **any)
{
    for (; r; r = r->next) {
        if (strcmp(r->label, label) == 0 && !*any)
            *any = r;
        if (r->role == PA_PREFER || r->role == PA_ADVISE)
            continue; /* never awaited: it does not block eligibility */
        if (r->decided_by) {
            if (strcmp(r->label, label) == 0)
                return r;
            pc_suggest_offer(s, r->label);
        } else if (r->group != PA_LEAF && r->group != PA_USE) {
            const pa_req *m = pc_decided_label(r->members, label, s, any);
            if (m)
                return m;
        }
    }
    return NULL;
}

void pc_check_awaiting_label(pc_ctx *c, const char *prog, const pa_label *l)
{
    pc_suggest s;
    pc_suggest_init(&s, l->text);
    const pa_req *any = NULL;
    for (uint32_t k = 0; k < c->p->nprogs; k++) {
        const pa_decl *d = c->p->progs[k];
        if (strcmp(d->name, prog) == 0 && pc_decided_label(d->u.program.reqs, l->text, &s, &any))
            return;
    }
    pd_diag *dg = PC_ERR(c, &l->span, PD_E0387, "program `%s` has no requirement \"%s\" that a person decides",
                         prog, l->text);
    if (any && (any->role == PA_PREFER || any->role == PA_ADVISE))
        pd_note_add(c->d, dg, &any->label_span, "\"%s\" is %s, which never holds up eligibility", l->text,
                    any->role == PA_PREFER ? "a preference (`prefer`)" : "advice (`advise`)");
    else if (any)
        pd_note_add(c->d, dg, &any->label_span, "\"%s\" is decided by its condition, not by a person",
                    l->text);
    else if (pc_suggest_result(&s))
        pd_note_add(c->d, dg, NULL, "did you mean \"%s\"?", pc_suggest_result(&s));
    pd_note_add(c->d, dg, NULL, "`awaiting decision` lists the `decided by` requirements no decision "
                "is recorded for");
}
