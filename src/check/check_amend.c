/* Versions that amend the previous version:
 *
 *   program coach "Coach" effective from 2027-09-01 amends the previous version {
 *     drop "a current DBS check"
 *     replace "at least 16 years of age": age >= 18
 *     require "a current safeguarding course": ...
 *   }
 *
 * After every program is checked as written, each amending version (in
 * order of its start) becomes what it says: the title, attributes and
 * requirements of the version in force just before it (its period ends
 * before this one begins, later than any other's), in their order, with
 * the attributes it restates, the requirements it drops or replaces, and
 * its own requirements after them. Inherited requirements are copies that
 * keep their places (an explanation points at the line that states them);
 * a replacement is checked here, where it is written. The generator, lint
 * and explain then see only the expanded version; fmt sees the text. */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

/* ---- the previous version ---------------------------------------------------- */

/* The version of d's program whose period ends last before d's begins. */
static pa_decl *pc_previous(pa_decl *decls, const pa_decl *d)
{
    const pa_period *mine = &d->u.program.period;
    if (!mine->given || mine->from == PA_DATE_OPEN_FROM)
        return NULL;
    pa_decl *best = NULL;
    for (pa_decl *o = decls; o; o = o->next) {
        if (o == d || o->kind != PA_D_PROGRAM || strcmp(o->name, d->name) != 0)
            continue;
        const pa_period *theirs = &o->u.program.period;
        if (!theirs->given || theirs->until >= mine->from)
            continue;
        if (!best || theirs->until > best->u.program.period.until)
            best = o;
    }
    return best;
}

static void pc_no_previous(pc_ctx *c, const pa_decl *d)
{
    const pa_period *mine = &d->u.program.period;
    pd_diag *dg = PC_ERR(c, &d->u.program.amends_span, PD_E0397,
                         "version of program `%s` amends the previous version, but no version comes "
                         "before it", d->name);
    if (!mine->given || mine->from == PA_DATE_OPEN_FROM)
        pd_note_add(c->d, dg, mine->given ? &mine->span : NULL,
                    "an amending version begins when the one it amends has ended: give it "
                    "`effective from D`, the day after that version's last day");
    else
        pd_note_add(c->d, dg, &mine->span,
                    "it is in force from here; no version of `%s` ends before that day", d->name);
    pd_note_add(c->d, dg, NULL, "the first version of a program states all its requirements");
}

/* ---- attributes ---------------------------------------------------------------- */

static bool pc_has_attr(const pa_decl *d, const char *name)
{
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return true;
    return false;
}

/* The title and the attributes d does not restate, after its own. */
static void pc_inherit_attrs(pc_ctx *c, pa_decl *d, const pa_decl *prev)
{
    bool titled = d->u.program.title || pc_has_attr(d, "title");
    if (!titled) {
        d->u.program.title = prev->u.program.title;
        d->u.program.title_span = prev->u.program.title_span;
    }
    pa_attr **tail = &d->u.program.attrs;
    while (*tail)
        tail = &(*tail)->next;
    for (const pa_attr *a = prev->u.program.attrs; a && !c->d->oom; a = a->next) {
        if (pc_has_attr(d, a->name) || (titled && strcmp(a->name, "title") == 0))
            continue;
        pa_attr *copy = pm_alloc(c->arena, sizeof *copy);
        if (!copy) {
            c->d->oom = true;
            return;
        }
        *copy = *a;
        copy->inherited = true;
        copy->next = NULL;
        *tail = copy;
        tail = &copy->next;
    }
}

/* ---- requirements -------------------------------------------------------------- */

static pa_req **pc_find_label(pa_req **list, const char *label)
{
    for (pa_req **link = list; *link; link = &(*link)->next)
        if (strcmp((*link)->label, label) == 0)
            return link;
    return NULL;
}

/* A label the previous version does not have: the nearest it has, or all. */
static void pc_unknown_label(pc_ctx *c, const pa_change *ch, const pa_decl *prev, const pa_req *inherited)
{
    pd_diag *dg = PC_ERR(c, &ch->label_span, PD_E0398,
                         "cannot %s \"%s\": the version of `%s` this one amends has no such requirement",
                         ch->drop ? "drop" : "replace", ch->label, prev->name);
    pc_suggest s;
    pc_suggest_init(&s, ch->label);
    for (const pa_req *r = inherited; r; r = r->next)
        pc_suggest_offer(&s, r->label);
    if (pc_suggest_result(&s)) {
        pd_note_add(c->d, dg, NULL, "did you mean \"%s\"?", pc_suggest_result(&s));
        return;
    }
    pd_note_add(c->d, dg, &prev->name_span, "the version it amends is declared here");
    char list[512];
    size_t n = 0, shown = 0;
    list[0] = '\0';
    for (const pa_req *r = inherited; r && n + 8 < sizeof list; r = r->next) {
        int w = snprintf(list + n, sizeof list - n, "%s\"%s\"", shown ? ", " : "", r->label);
        if (w < 0 || (size_t)w >= sizeof list - n) {
            list[n] = '\0';
            break;
        }
        n += (size_t)w;
        shown++;
    }
    size_t total = 0;
    for (const pa_req *r = inherited; r; r = r->next)
        total++;
    if (shown && shown < total)
        pd_note_add(c->d, dg, NULL, "its requirements are %s and %zu more", list, total - shown);
    else if (shown)
        pd_note_add(c->d, dg, NULL, "its requirements are %s", list);
}

/* The change before ch in the same version that changes the same label. */
static const pa_change *pc_changed_before(const pa_decl *d, const pa_change *ch)
{
    for (const pa_change *o = d->u.program.changes; o && o != ch; o = o->next)
        if (o->label && strcmp(o->label, ch->label) == 0)
            return o;
    return NULL;
}

/* One `drop` or `replace` on the inherited list. */
static void pc_apply_change(pc_ctx *c, pa_decl *d, const pa_decl *prev, pa_req **list, const pa_change *ch)
{
    const pa_change *first = pc_changed_before(d, ch);
    if (first) {
        pd_diag *dg = PC_ERR(c, &ch->label_span, PD_E0319, "\"%s\" is already %s in this version",
                             ch->label, first->drop ? "dropped" : "replaced");
        pd_note_add(c->d, dg, &first->span, "%s here", first->drop ? "dropped" : "replaced");
        return;
    }
    pa_req **link = pc_find_label(list, ch->label);
    if (!link) {
        pc_unknown_label(c, ch, prev, prev->u.program.reqs);
        return;
    }
    pa_req *old = *link;
    if (ch->drop) {
        *link = old->next;
        return;
    }
    pa_req *r = ch->req;
    r->role = old->role;
    pc_check_req(c, r, 0);
    pc_check_req_period(c, r, d);
    r->next = old->next;
    *link = r;
}

/* d's own requirements come after the inherited ones; a label both have
 * would make `unmet "..."` ambiguous. */
static void pc_append_own(pc_ctx *c, pa_decl *d, pa_req **list)
{
    pa_req **tail = list;
    while (*tail)
        tail = &(*tail)->next;
    for (const pa_req *r = d->u.program.reqs; r; r = r->next) {
        pa_req **same = pc_find_label(list, r->label);
        if (!same)
            continue;
        pd_diag *dg = PC_ERR(c, &r->label_span, PD_E0326,
                             "the version this one amends already has the requirement \"%s\"", r->label);
        pd_note_add(c->d, dg, &(*same)->label_span, "inherited from here");
        pd_note_add(c->d, dg, NULL, "to change it, write `replace \"%s\": ...`; to keep it, leave it out",
                    r->label);
    }
    *tail = d->u.program.reqs;
    d->u.program.reqs = *list;
}

/* No drop, replacement, requirement or attribute, and the title (when
 * written) that of the version amended. */
static bool pc_changes_nothing(const pa_decl *d, const pa_decl *prev)
{
    const char *t = d->u.program.title, *pt = prev->u.program.title;
    bool same_title = !t || (pt && strcmp(t, pt) == 0);
    return !d->u.program.changes && !d->u.program.reqs && !d->u.program.attrs && same_title;
}

static void pc_amend(pc_ctx *c, pa_decl *d, pa_decl *prev)
{
    /* After another error (a change that did not parse), "nothing" may
     * only be what was lost. */
    if (c->d->errors == 0 && pc_changes_nothing(d, prev)) {
        pd_diag *dg = PC_ERR(c, &d->u.program.amends_span, PD_E0399,
                             "this version of `%s` changes nothing in the version it amends", d->name);
        pd_note_add(c->d, dg, &prev->u.program.period.span, "the version it amends is in force until here");
        pd_note_add(c->d, dg, NULL, "to keep the same rules for longer, extend that version's "
                                    "`effective` period instead");
    }
    pc_inherit_attrs(c, d, prev);
    pa_req *list = pc_copy_reqs(c, prev->u.program.reqs, NULL);
    if (c->d->oom)
        return;
    for (const pa_change *ch = d->u.program.changes; ch && !c->d->oom; ch = ch->next)
        if (ch->label)
            pc_apply_change(c, d, prev, &list, ch);
    pc_append_own(c, d, &list);
}

/* ---- the versions, in order ---------------------------------------------------- */

static int pc_by_start(const void *x, const void *y)
{
    const pa_decl *a = *(pa_decl *const *)x, *b = *(pa_decl *const *)y;
    int32_t fa = a->u.program.period.from, fb = b->u.program.period.from;
    return fa < fb ? -1 : fa > fb;
}

/* `drop` or `replace` in a version that does not amend: once per version. */
static void pc_stray_changes(pc_ctx *c, const pa_decl *d)
{
    const pa_change *ch = d->u.program.changes;
    while (ch && !ch->label)
        ch = ch->next;
    if (!ch)
        return;
    pd_diag *dg = PC_ERR(c, &ch->span, PD_E0318,
                         "`%s` changes the version before this one, but this version of `%s` does "
                         "not amend it", ch->drop ? "drop" : "replace", d->name);
    pd_note_add(c->d, dg, &d->name_span, "add `amends the previous version` to the header, after "
                                         "the `effective` period");
}

void pc_expand_amendments(pc_ctx *c, pa_decl *decls)
{
    size_t n = 0;
    for (const pa_decl *d = decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM) {
            if (d->u.program.amends)
                n++;
            else
                pc_stray_changes(c, d);
        }
    if (n == 0)
        return;
    pa_decl **order = pm_alloc(c->arena, sizeof *order * n);
    if (!order) {
        c->d->oom = true;
        return;
    }
    size_t k = 0;
    for (pa_decl *d = decls; d; d = d->next)
        if (d->kind == PA_D_PROGRAM && d->u.program.amends)
            order[k++] = d;
    /* A version ends before the one that amends it begins, so it is
     * expanded first: a chain of amendments builds on the expansions. */
    qsort(order, n, sizeof *order, pc_by_start);
    for (size_t i = 0; i < n && !c->d->oom; i++) {
        pa_decl *prev = pc_previous(decls, order[i]);
        if (prev)
            pc_amend(c, order[i], prev);
        else
            pc_no_previous(c, order[i]);
    }
}
