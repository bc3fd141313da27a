/* `granted here`: the facts list a program's `grants` adds its certificate
 * to when `pathway plan` takes the program, and which fields of the list's
 * record hold the certificate's id (text), issue day (date) and expiry
 * (`date?`, optional). Without the marker, a `certificates` list whose
 * record has `id` and `issued` is where certificates land, as before the
 * marker existed; otherwise no list is (the plan says so). */
#include <string.h>

#include "check_int.h"

/* The keys of `granted here with KEY: FIELD`, in pc_grants order. */
static const char *const pc_grant_keys[] = {"id", "issued", "expires"};

/* The field of `rec` named `name`, or PC_NO_FIELD. */
static uint32_t pc_field_named(const pc_record *rec, const char *name)
{
    for (uint32_t i = 0; i < rec->nfields; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return i;
    return PC_NO_FIELD;
}

/* Whether field `f` can hold key k: text id, date issued, `date?` expiry
 * (an expiry that is never none could not record a certificate that does
 * not lapse). */
static bool pc_grant_fits(const pc_field *f, unsigned k)
{
    if (k == 0)
        return f->type.kind == PB_T_TEXT && !f->type.optional;
    if (k == 1)
        return f->type.kind == PB_T_DATE && !f->type.optional;
    return f->type.kind == PB_T_DATE && f->type.optional;
}

static const char *const pc_grant_want[] = {"text", "date", "date?"};

/* The `with` pairs: each a known key given once (E0482), each naming a
 * field of the record (E0483). *named gets the field per key. */
static bool pc_grant_pairs(pc_ctx *c, const pc_field *list, const pc_record *rec, uint32_t named[3],
                           const pa_gkey *given[3])
{
    bool ok = true;
    for (const pa_gkey *k = list->grant->keys; k; k = k->next) {
        unsigned i = 0;
        while (i < 3 && strcmp(k->key, pc_grant_keys[i]) != 0)
            i++;
        if (i == 3 || given[i]) {
            pd_diag *dg = i == 3 ? PC_ERR(c, &k->key_span, PD_E0482,
                                          "`granted here with` names `%s`, which is not `id`, `issued` or `expires`",
                                          k->key)
                                 : PC_ERR(c, &k->key_span, PD_E0482, "`%s` is named twice after `granted here with`",
                                          k->key);
            if (i == 3)
                pd_note_add(c->d, dg, NULL, "write `id: FIELD`, `issued: FIELD` or `expires: FIELD`, each at most once");
            else
                pd_note_add(c->d, dg, &given[i]->key_span, "first named here");
            ok = false;
            continue;
        }
        given[i] = k;
        named[i] = pc_field_named(rec, k->field);
        if (named[i] == PC_NO_FIELD) {
            pd_diag *dg = PC_ERR(c, &k->field_span, PD_E0483, "record `%s` has no field `%s`", rec->name, k->field);
            pd_note_add(c->d, dg, &list->span, "`%s` is a list of `%s`", list->name, rec->name);
            ok = false;
        }
    }
    return ok;
}

/* The id and issue fields (named, or `id` and `issued`), and the expiry
 * (named, or `expires` when the record has one): each must exist and fit. */
static bool pc_grant_fields(pc_ctx *c, const pc_field *list, const pc_record *rec, pc_grants *out)
{
    uint32_t named[3] = {PC_NO_FIELD, PC_NO_FIELD, PC_NO_FIELD};
    const pa_gkey *given[3] = {NULL, NULL, NULL};
    if (!pc_grant_pairs(c, list, rec, named, given))
        return false;
    bool ok = true;
    for (unsigned k = 0; k < 3; k++) {
        if (!given[k])
            named[k] = pc_field_named(rec, pc_grant_keys[k]);
        if (named[k] == PC_NO_FIELD) {
            if (k == 2)
                continue; /* no expiry: rules compute it from the issue day, or it never lapses */
            pd_diag *dg = PC_ERR(c, &list->grant->span, PD_E0483,
                                 "a certificate granted into `%s` needs its %s, but record `%s` has no field `%s`",
                                 list->name, k == 0 ? "id" : "issue day", rec->name, pc_grant_keys[k]);
            pd_note_add(c->d, dg, NULL, "name the field that holds it: `granted here with %s: FIELD`",
                        pc_grant_keys[k]);
            ok = false;
            continue;
        }
        const pc_field *f = &rec->fields[named[k]];
        if (!pc_grant_fits(f, k)) {
            char t[64];
            pd_diag *dg = PC_ERR(c, given[k] ? &given[k]->field_span : &list->grant->span, PD_E0484,
                                 "`%s.%s` is %s, but a certificate's %s must be %s", rec->name, f->name,
                                 pc_type_name(c, f->type, t, sizeof t), k == 0 ? "id" : k == 1 ? "issue day" : "expiry",
                                 pc_grant_want[k]);
            pd_note_add(c->d, dg, &f->span, "`%s` is declared here", f->name);
            if (k == 2)
                pd_note_add(c->d, dg, NULL, "an expiry is `date?`: none for a certificate that does not lapse");
            ok = false;
        }
    }
    out->id = named[0];
    out->issued = named[1];
    out->expires = named[2];
    return ok;
}

/* E0480 for a marker in a record other than the facts record. */
static void pc_grant_not_facts(pc_ctx *c)
{
    for (uint32_t r = 1; r < c->p->nrecords; r++)
        for (uint32_t i = 0; i < c->p->records[r].nfields; i++) {
            const pc_field *f = &c->p->records[r].fields[i];
            if (!f->grant)
                continue;
            pd_diag *dg = PC_ERR(c, &f->grant->span, PD_E0480,
                                 "`granted here` is on `%s.%s`, but certificates land in a list of the facts record",
                                 c->p->records[r].name, f->name);
            pd_note_add(c->d, dg, NULL, "mark a field of `facts %s`", c->p->records[0].name);
        }
}

/* Without the marker: a `certificates` list with a text `id` and a date
 * `issued` (and `expires`, when it is `date?`), the shipped coach record. */
static void pc_grant_convention(pc_ctx *c)
{
    const pc_record *facts = &c->p->records[0];
    uint32_t slot = pc_field_named(facts, "certificates");
    if (slot == PC_NO_FIELD || facts->fields[slot].type.kind != PB_T_LIST)
        return;
    const pc_record *rec = &c->p->records[facts->fields[slot].type.rec];
    uint32_t id = pc_field_named(rec, "id"), issued = pc_field_named(rec, "issued");
    uint32_t expires = pc_field_named(rec, "expires");
    if (id == PC_NO_FIELD || issued == PC_NO_FIELD || !pc_grant_fits(&rec->fields[id], 0) ||
        !pc_grant_fits(&rec->fields[issued], 1))
        return;
    if (expires != PC_NO_FIELD && !pc_grant_fits(&rec->fields[expires], 2))
        expires = PC_NO_FIELD;
    c->p->grants = (pc_grants){slot, id, issued, expires, false};
}

void pc_check_grants(pc_ctx *c)
{
    c->p->grants = (pc_grants){PC_NO_FIELD, PC_NO_FIELD, PC_NO_FIELD, PC_NO_FIELD, false};
    if (!c->p->nrecords)
        return;
    pc_grant_not_facts(c);
    const pc_record *facts = &c->p->records[0];
    const pc_field *first = NULL;
    for (uint32_t i = 0; i < facts->nfields; i++) {
        const pc_field *f = &facts->fields[i];
        if (!f->grant)
            continue;
        if (f->type.kind != PB_T_LIST) {
            char t[64];
            pd_diag *dg = PC_ERR(c, &f->grant->span, PD_E0480,
                                 "`granted here` is on `%s`, which is %s: a certificate lands in a list of records",
                                 f->name, pc_type_name(c, f->type, t, sizeof t));
            pd_note_add(c->d, dg, NULL, "mark a field such as `licences: list of licence = [] granted here`");
            continue;
        }
        if (first) {
            pd_diag *dg = PC_ERR(c, &f->grant->span, PD_E0481,
                                 "`granted here` is on `%s` and on `%s`: a granted certificate lands in one list",
                                 first->name, f->name);
            pd_note_add(c->d, dg, &first->grant->span, "`%s` is marked here", first->name);
            continue;
        }
        first = f;
        pc_grants g = {i, PC_NO_FIELD, PC_NO_FIELD, PC_NO_FIELD, true};
        if (pc_grant_fields(c, f, &c->p->records[f->type.rec], &g))
            c->p->grants = g;
    }
    if (!first)
        pc_grant_convention(c);
}
