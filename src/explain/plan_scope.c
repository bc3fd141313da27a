/* What a plan may change: the programs whose certificates the target's
 * rules name (transitively: a step's own requirements may name more), and
 * which requirements read the certificates at all. A requirement whose code
 * never reads the `certificates` field cannot be changed by any step; if it
 * never holds again in the horizon, the coach has to arrange it (renew a
 * membership, take on a role). */
#include <stdlib.h>
#include <string.h>

#include "bc/code.h"
#include "bc/granted.h"
#include "plan_int.h"

/* Marks the strings function f pushes (when `strings` is given) and says
 * whether it (or what it calls) reads facts field `slot`, or a facts field
 * set in `fields` (when given); `seen` keeps each function once, so one
 * `seen` serves one question. */
static bool px_scan_func(const pb_image *img, uint32_t f, int32_t slot, const uint8_t *fields, uint8_t *seen,
                         uint8_t *strings)
{
    if (seen[f])
        return seen[f] == 2;
    seen[f] = 1;
    bool reads = false;
    const pb_func *fn = &img->funcs[f];
    size_t end = (size_t)fn->code_off + fn->code_len;
    pb_insn in;
    for (size_t pc = fn->code_off; pc < end && pb_decode(img->code, end, pc, &in); pc += in.size) {
        if (in.op == PB_OP_PUSH_STR && strings && in.a < img->nstrings)
            strings[in.a] = 1;
        else if (in.op == PB_OP_LOAD_FACT &&
                 ((int32_t)in.a == slot || (fields && in.a < img->records[0].nfields && fields[in.a])))
            reads = true;
        else if (in.op == PB_OP_CALL && in.a < f && px_scan_func(img, in.a, slot, fields, seen, strings))
            reads = true;
    }
    seen[f] = reads ? 2 : 3;
    return reads;
}

/* The field `name` of the facts record's field `slot`'s record. */
static const char *px_field_name(const pb_image *img, uint32_t slot, uint32_t k)
{
    const pb_field *list = &img->fields[img->records[0].first_field + slot];
    return img->strings[img->fields[img->records[list->type.rec].first_field + k].name];
}

/* Without `granted here`: the shipped coach record's `certificates` list,
 * with text `id`, date `issued` and optional date `expires` (or no
 * `expires`: rules that say how long a certificate lasts from its `issued`
 * day, as `valid until` does, need no such field). Any other shape is not
 * guessed at. */
static bool px_conventional(const pb_image *img, pb_granted *g)
{
    const pb_record *facts = &img->records[0];
    for (uint32_t i = 0; i < facts->nfields; i++) {
        const pb_field *f = &img->fields[facts->first_field + i];
        if (strcmp(img->strings[f->name], "certificates") != 0 || f->type.kind != PB_T_LIST)
            continue;
        const pb_record *r = &img->records[f->type.rec];
        *g = (pb_granted){i, PB_NO_GRANT_FIELD, PB_NO_GRANT_FIELD, PB_NO_GRANT_FIELD};
        for (uint32_t k = 0; k < r->nfields; k++) {
            const pb_field *h = &img->fields[r->first_field + k];
            const char *n = img->strings[h->name];
            if (strcmp(n, "id") == 0 && h->type.kind == PB_T_TEXT)
                g->id = k;
            else if (strcmp(n, "issued") == 0 && h->type.kind == PB_T_DATE)
                g->issued = k;
            else if (strcmp(n, "expires") == 0 && h->type.kind == PB_T_DATE && h->type.optional)
                g->expires = k;
        }
        return g->id != PB_NO_GRANT_FIELD && g->issued != PB_NO_GRANT_FIELD;
    }
    return false;
}

bool px_landing(const pb_image *img, px_land *out)
{
    pb_granted g;
    memset(out, 0, sizeof *out);
    out->slot = -1;
    if (!img->nrecords)
        return false;
    out->marked = pb_granted_find(img, &g);
    if (!out->marked && !px_conventional(img, &g))
        return false;
    out->slot = (int32_t)g.slot;
    out->list = img->strings[img->fields[img->records[0].first_field + g.slot].name];
    out->id = px_field_name(img, g.slot, g.id);
    out->issued = px_field_name(img, g.slot, g.issued);
    out->expires = g.expires == PB_NO_GRANT_FIELD ? NULL : px_field_name(img, g.slot, g.expires);
    return true;
}

/* Per node: whether it reads a date field of the facts record. */
static bool px_find_fixed(px_scope *s)
{
    const pb_image *img = s->img;
    uint32_t nf = img->nrecords ? img->records[0].nfields : 0;
    uint8_t *dates = calloc(nf ? nf : 1, 1);
    uint8_t *seen = calloc(img->nfuncs ? img->nfuncs : 1, 1);
    if (!dates || !seen) {
        free(dates);
        free(seen);
        return false;
    }
    for (uint32_t i = 0; i < nf; i++)
        dates[i] = img->fields[img->records[0].first_field + i].type.kind == PB_T_DATE;
    for (uint32_t r = img->nreqs; r-- > 0;) {
        const pb_req *q = &img->reqs[r];
        if (q->kind == PB_R_LEAF)
            s->fixed[r] = px_scan_func(img, q->func, -1, dates, seen, NULL);
        else
            for (uint32_t j = r + 1; j < r + q->size; j++)
                s->fixed[r] |= s->fixed[j];
    }
    free(dates);
    free(seen);
    return true;
}

/* Every version of the program whose first version is `first`: the strings
 * their leaves push. `seen` is scratch of img->nfuncs bytes (at least 1). */
static void px_mark_program(const pb_image *img, size_t first, uint8_t *strings, uint8_t *seen)
{
    uint32_t id = img->progs[first].id;
    memset(seen, 0, img->nfuncs ? img->nfuncs : 1);
    for (uint32_t p = 0; p < img->nprogs; p++) {
        if (img->progs[p].id != id)
            continue;
        for (uint32_t r = img->progs[p].first_req; r < img->progs[p].first_req + img->progs[p].nreqs; r++)
            if (img->reqs[r].kind == PB_R_LEAF)
                px_scan_func(img, img->reqs[r].func, -1, NULL, seen, strings);
    }
}

int px_names_string(const pb_image *img, size_t first, uint32_t str)
{
    size_t ns = img->nstrings ? img->nstrings : 1;
    uint8_t *strings = calloc(ns + (img->nfuncs ? img->nfuncs : 1), 1);
    if (!strings)
        return -1;
    px_mark_program(img, first, strings, strings + ns);
    int named = str < img->nstrings && strings[str];
    free(strings);
    return named;
}

/* Whether some version of `first` grants a certificate marked in strings. */
static bool px_grants_marked(const pb_image *img, size_t first, const uint8_t *strings)
{
    for (uint32_t p = 0; p < img->nprogs; p++)
        if (img->progs[p].id == img->progs[first].id && img->progs[p].grants != PB_NO_STRING &&
            strings[img->progs[p].grants])
            return true;
    return false;
}

static void px_find_candidates(px_scope *s, pw_context *ctx, uint8_t *strings, uint8_t *mark)
{
    const pw_program *prog = pt_context_program(ctx);
    px_mark_program(s->img, s->target, strings, mark);
    bool grew = true;
    while (grew) { /* with no list to land in, px_plan_build refuses any candidate */
        grew = false;
        for (size_t i = 0; i < pw_program_count(prog) && s->ncand < PX_MAX_CANDIDATES; i++) {
            if (!pw_program_is_first_version(prog, i) || i == s->target)
                continue;
            bool have = false;
            for (unsigned k = 0; k < s->ncand; k++)
                have |= s->cand[k] == i;
            if (have || !px_grants_marked(s->img, i, strings))
                continue;
            s->cand[s->ncand++] = i;
            px_mark_program(s->img, i, strings, mark);
            grew = true;
        }
    }
}

pw_status px_scope_init(px_scope *s, pw_context *ctx, size_t target, pw_error *err)
{
    memset(s, 0, sizeof *s);
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    s->img = img;
    s->target = target;
    px_land land;
    s->cert_slot = px_landing(img, &land) ? land.slot : -1;
    size_t nr = img->nreqs ? img->nreqs : 1;
    uint8_t *strings = calloc(img->nstrings ? img->nstrings : 1, 1);
    uint8_t *seen = calloc(img->nfuncs ? img->nfuncs : 1, 1);
    uint8_t *mark = calloc(img->nfuncs ? img->nfuncs : 1, 1);
    s->influenced = calloc(nr, 1);
    s->last_met = calloc(nr, sizeof *s->last_met);
    s->known = calloc(nr, 1);
    s->fixed = calloc(nr, 1);
    s->arrange_how = calloc(nr, sizeof *s->arrange_how);
    if (!strings || !seen || !mark || !s->influenced || !s->last_met || !s->known || !s->fixed || !s->arrange_how ||
        !px_find_fixed(s)) {
        free(strings);
        free(seen);
        free(mark);
        px_scope_fini(s);
        return px_fail_nomem(err);
    }
    pb_arrange_texts(img, s->arrange_how);
    px_find_candidates(s, ctx, strings, mark);
    free(mark);
    /* A group reads the certificates when one of its members does. */
    for (uint32_t r = img->nreqs; r-- > 0;) {
        const pb_req *q = &img->reqs[r];
        if (q->kind == PB_R_LEAF) {
            s->influenced[r] = s->cert_slot >= 0 && px_scan_func(img, q->func, s->cert_slot, NULL, seen, NULL);
        } else {
            for (uint32_t j = r + 1; j < r + q->size; j++)
                s->influenced[r] |= s->influenced[j];
        }
    }
    free(strings);
    free(seen);
    return PW_OK;
}

void px_scope_fini(px_scope *s)
{
    free(s->influenced);
    free(s->last_met);
    free(s->known);
    free(s->fixed);
    free((void *)s->arrange_how);
    s->influenced = s->known = s->fixed = NULL;
    s->arrange_how = NULL;
    s->last_met = NULL;
}

pw_status px_arrangeable(px_scope *s, pw_context *ctx, size_t version, size_t node, pw_date day,
                         const px_span *span, bool *out, pw_error *err)
{
    uint32_t r = s->img->progs[version].first_req + (uint32_t)node;
    *out = false;
    if (s->influenced[r] || (s->fixed[r] && !s->arrange_how[r]))
        return PW_OK;
    if (!s->known[r]) {
        s->last_met[r] = PW_DATE_MIN;
        struct pv_state *vm = pt_context_vm(ctx);
        const pb_prog *p = &s->img->progs[version];
        for (pw_date d = span->last; d >= span->as_of;) {
            pw_outcome o;
            pv_window_open(vm);
            pw_status st = px_node_at(ctx, version, node, d, &o, err);
            pv_window_close(vm);
            if (st != PW_OK)
                return st;
            if (o == PW_MET) {
                s->last_met[r] = d;
                break;
            }
            /* Back past the days on which it would be unmet again. */
            int64_t next = px_after_window(vm, -1, px_next_change(s->img, p, r, d, -1));
            if (next < span->as_of)
                break;
            d = (pw_date)next;
        }
        s->known[r] = 1;
    }
    *out = s->last_met[r] < day;
    return PW_OK;
}
