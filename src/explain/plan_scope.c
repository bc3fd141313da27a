/* What a plan may change: the programs whose certificates the target's
 * rules name (transitively: a step's own requirements may name more), and
 * which requirements read the certificates at all. A requirement whose code
 * never reads the `certificates` field cannot be changed by any step; if it
 * never holds again in the horizon, the coach has to arrange it (renew a
 * membership, take on a role). */
#include <stdlib.h>
#include <string.h>

#include "bc/code.h"
#include "plan_int.h"

/* Marks the strings function f pushes and whether it (or what it calls)
 * reads facts field `slot`; `seen` keeps each function once. */
static bool px_scan_func(const pb_image *img, uint32_t f, int32_t slot, uint8_t *seen, uint8_t *strings)
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
        else if (in.op == PB_OP_LOAD_FACT && (int32_t)in.a == slot)
            reads = true;
        else if (in.op == PB_OP_CALL && in.a < f && px_scan_func(img, in.a, slot, seen, strings))
            reads = true;
    }
    seen[f] = reads ? 2 : 3;
    return reads;
}

/* Which of text `id` (1), date `issued` (2) and optional date `expires`
 * (4) the record of the facts field `certificates` has; -1 without such a
 * list. */
static int px_cert_fields(const pb_image *img, int32_t *slot)
{
    const pb_record *facts = &img->records[0];
    for (uint32_t i = 0; i < facts->nfields; i++) {
        const pb_field *f = &img->fields[facts->first_field + i];
        if (strcmp(img->strings[f->name], "certificates") != 0 || f->type.kind != PB_T_LIST)
            continue;
        const pb_record *r = &img->records[f->type.rec];
        unsigned found = 0;
        for (uint32_t k = 0; k < r->nfields; k++) {
            const pb_field *g = &img->fields[r->first_field + k];
            const char *n = img->strings[g->name];
            found |= (strcmp(n, "id") == 0 && g->type.kind == PB_T_TEXT) ? 1u : 0u;
            found |= (strcmp(n, "issued") == 0 && g->type.kind == PB_T_DATE) ? 2u : 0u;
            found |= (strcmp(n, "expires") == 0 && g->type.kind == PB_T_DATE && g->type.optional) ? 4u : 0u;
        }
        *slot = (int32_t)i;
        return (int)found;
    }
    return -1;
}

/* The `certificates` list with text `id` and date `issued` (and optional
 * date `expires`, or none: rules that say how long a certificate lasts
 * from its `issued` day, as `valid until` does, need no such field). */
static int32_t px_cert_slot(const pb_image *img)
{
    int32_t slot = -1;
    int found = px_cert_fields(img, &slot);
    return found >= 0 && (found & 3) == 3 ? slot : -1;
}

bool px_cert_has_expires(const pb_image *img)
{
    int32_t slot;
    int found = px_cert_fields(img, &slot);
    return found >= 0 && (found & 4);
}

/* Every version of the program whose first version is `first`: the strings
 * their leaves push. */
static void px_mark_program(const pb_image *img, size_t first, uint8_t *strings)
{
    uint32_t id = img->progs[first].id;
    uint8_t *seen = calloc(img->nfuncs ? img->nfuncs : 1, 1);
    if (!seen)
        return; /* fewer candidates: the plan is still replayed and valid */
    for (uint32_t p = 0; p < img->nprogs; p++) {
        if (img->progs[p].id != id)
            continue;
        for (uint32_t r = img->progs[p].first_req; r < img->progs[p].first_req + img->progs[p].nreqs; r++)
            if (img->reqs[r].kind == PB_R_LEAF)
                px_scan_func(img, img->reqs[r].func, -1, seen, strings);
    }
    free(seen);
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

static void px_find_candidates(px_scope *s, pw_context *ctx, uint8_t *strings)
{
    const pw_program *prog = pt_context_program(ctx);
    px_mark_program(s->img, s->target, strings);
    bool grew = true;
    while (grew && s->cert_slot >= 0) {
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
            px_mark_program(s->img, i, strings);
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
    s->cert_slot = px_cert_slot(img);
    size_t nr = img->nreqs ? img->nreqs : 1;
    uint8_t *strings = calloc(img->nstrings ? img->nstrings : 1, 1);
    uint8_t *seen = calloc(img->nfuncs ? img->nfuncs : 1, 1);
    s->influenced = calloc(nr, 1);
    s->last_met = calloc(nr, sizeof *s->last_met);
    s->known = calloc(nr, 1);
    if (!strings || !seen || !s->influenced || !s->last_met || !s->known) {
        free(strings);
        free(seen);
        px_scope_fini(s);
        return px_fail_nomem(err);
    }
    px_find_candidates(s, ctx, strings);
    /* A group reads the certificates when one of its members does. */
    for (uint32_t r = img->nreqs; r-- > 0;) {
        const pb_req *q = &img->reqs[r];
        if (q->kind == PB_R_LEAF) {
            s->influenced[r] = s->cert_slot >= 0 && px_scan_func(img, q->func, s->cert_slot, seen, NULL);
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
    s->influenced = s->known = NULL;
    s->last_met = NULL;
}

pw_status px_arrangeable(px_scope *s, pw_context *ctx, size_t version, size_t node, pw_date day,
                         const px_span *span, bool *out, pw_error *err)
{
    uint32_t r = s->img->progs[version].first_req + (uint32_t)node;
    *out = false;
    if (s->influenced[r])
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
