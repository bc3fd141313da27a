/* Named requirements: `requirements adult_member citing enrol_18 { require
 * "USATF membership": member("usatf") ... }` declares requirements once, and
 * `require adult_member` in a program (or in another block) stands for them.
 * Each block is checked once, where it is written; every use is then
 * replaced by copies of its requirements, so the generator sees exactly what
 * writing them out in the program gives (same labels, conditions and
 * citations). A block's citation is that of each of its own requirements
 * that cites nothing itself. */
#include <string.h>

#include "check_int.h"

typedef enum pc_block_state { PC_BLOCK_NEW, PC_BLOCK_EXPANDING, PC_BLOCK_DONE } pc_block_state;

typedef struct pc_block {
    pa_decl *decl;
    pc_block_state state;
    bool ok;          /* the block and the blocks it uses checked cleanly */
    pa_req *reqs;     /* its requirements with every use replaced (after DONE) */
} pc_block;

/* ---- copies ------------------------------------------------------------------- */

static pa_req *pc_copy_req(pc_ctx *c, const pa_req *r)
{
    pa_req *q = pm_alloc(c->arena, sizeof *q);
    if (!q) {
        c->d->oom = true;
        return NULL;
    }
    *q = *r;
    q->shared = true;
    q->next = NULL;
    q->members = pc_copy_reqs(c, r->members, NULL);
    return q;
}

/* A copy of the list r (its `next`s), with its last element in *tail. */
pa_req *pc_copy_reqs(pc_ctx *c, const pa_req *r, pa_req **tail)
{
    pa_req *head = NULL, *last = NULL;
    for (; r && !c->d->oom; r = r->next) {
        pa_req *q = pc_copy_req(c, r);
        if (!q)
            return NULL;
        if (last)
            last->next = q;
        else
            head = q;
        last = q;
    }
    if (tail)
        *tail = last;
    return head;
}

/* ---- declarations ------------------------------------------------------------- */

static void pc_collect_blocks(pc_ctx *c, pa_decl *decls)
{
    uint32_t n = 0;
    for (const pa_decl *d = decls; d; d = d->next)
        n += d->kind == PA_D_REQUIREMENTS;
    c->blocks_of = pm_alloc(c->arena, sizeof *c->blocks_of * (n ? n : 1));
    if (!c->blocks_of) {
        c->d->oom = true;
        return;
    }
    for (pa_decl *d = decls; d && !c->d->oom; d = d->next) {
        if (d->kind != PA_D_REQUIREMENTS)
            continue;
        uint32_t old;
        if (!pc_names_add(&c->blocks, d->name, c->nblocks, &old)) {
            if (old == UINT32_MAX) {
                c->d->oom = true;
                return;
            }
            pd_diag *dg = PC_ERR(c, &d->name_span, PD_E0394, "requirements `%s` are declared twice", d->name);
            pd_note_add(c->d, dg, &c->blocks_of[old].decl->name_span, "first declared here");
            continue;
        }
        c->blocks_of[c->nblocks++] = (pc_block){d, PC_BLOCK_NEW, true, NULL};
    }
}

/* `require NAME` for a name no block has: what it may be instead. */
static void pc_unknown_block(pc_ctx *c, const pa_req *use)
{
    pd_diag *dg = PC_ERR(c, &use->label_span, PD_E0393, "unknown requirements `%s`", use->use);
    pc_suggest s;
    pc_suggest_init(&s, use->use);
    for (uint32_t k = 0; k < c->nblocks; k++)
        pc_suggest_offer(&s, c->blocks_of[k].decl->name);
    if (pc_suggest_result(&s)) {
        pd_note_add(c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(c->d, dg, pc_suggest_result(&s));
        return;
    }
    uint32_t i;
    if (pc_names_get(&c->defs, use->use, &i))
        pd_note_add(c->d, dg, &c->p->defs[i].decl->name_span,
                    "`%s` is a definition: a requirement on it needs a label in quotes, "
                    "`require \"...\": %s`", use->use, use->use);
    else
        pd_note_add(c->d, dg, NULL, "`require NAME` uses a block declared `requirements %s { ... }`; "
                                    "a requirement of its own needs a label in quotes", use->use);
}

/* ---- expansion ---------------------------------------------------------------- */

static bool pc_block_expand(pc_ctx *c, pc_block *b, const pa_req *use, const pc_block *owner);

/* Replaces the uses in *list (of the block `owner`, or of a program when
 * NULL) by copies of the blocks' requirements; drops a use that cannot be
 * expanded (reported). False when some block used is not clean. */
static bool pc_expand_list(pc_ctx *c, pa_req **list, const pc_block *owner)
{
    bool ok = true;
    pa_req **link = list;
    while (*link && !c->d->oom) {
        pa_req *r = *link;
        if (r->group != PA_USE) {
            link = &r->next;
            continue;
        }
        *link = r->next; /* drop the use, then splice the copies in its place */
        uint32_t i;
        if (!r->use)
            continue; /* a syntax error followed it (E0203) */
        if (!pc_names_get(&c->blocks, r->use, &i)) {
            pc_unknown_block(c, r);
            ok = false;
            continue;
        }
        pc_block *b = &c->blocks_of[i];
        if (!pc_block_expand(c, b, r, owner) || !b->ok) {
            ok = false;
            continue;
        }
        pa_req *tail = NULL;
        pa_req *copy = pc_copy_reqs(c, b->reqs, &tail);
        if (!copy)
            continue;
        tail->next = *link;
        *link = copy;
        link = &tail->next;
    }
    return ok;
}

/* A use, in the block `owner`, of the block b being expanded. */
static void pc_block_cycle(pc_ctx *c, const pc_block *b, const pa_req *use, const pc_block *owner)
{
    pd_diag *dg;
    if (owner && owner != b)
        dg = PC_ERR(c, &use->label_span, PD_E0395,
                    "requirements `%s` use themselves, through `%s`: a block cannot hold itself",
                    b->decl->name, owner->decl->name);
    else
        dg = PC_ERR(c, &use->label_span, PD_E0395,
                    "requirements `%s` use themselves: a block cannot hold itself", b->decl->name);
    pd_note_add(c->d, dg, &b->decl->name_span, "`%s` is declared here", b->decl->name);
}

/* Checks b's own requirements once, then expands its uses. False when
 * the use at `use` closes a cycle (reported). */
static bool pc_block_expand(pc_ctx *c, pc_block *b, const pa_req *use, const pc_block *owner)
{
    if (b->state == PC_BLOCK_DONE)
        return true;
    if (b->state == PC_BLOCK_EXPANDING) {
        pc_block_cycle(c, b, use, owner);
        b->ok = false;
        return false;
    }
    b->state = PC_BLOCK_EXPANDING;
    pa_decl *d = b->decl;
    const char *cite = d->u.block.cite;
    if (d->u.block.cite_name)
        cite = pc_source_text(c, d->u.block.cite_name, &d->u.block.cite_span);
    unsigned errors = c->d->errors;
    uint32_t n = 0;
    for (pa_req *r = d->u.block.reqs; r; r = r->next) {
        n++;
        if (r->group == PA_USE)
            continue;
        if (!r->cite && !r->cite_name && cite) {
            r->cite = cite;
            r->cite_span = d->u.block.cite_span;
        }
        pc_check_req(c, r, 0);
    }
    if (n == 0)
        PC_ERR(c, &d->name_span, PD_E0396, "requirements `%s` hold no requirement", d->name);
    b->reqs = d->u.block.reqs;
    if (!pc_expand_list(c, &b->reqs, b))
        b->ok = false;
    if (c->d->errors != errors)
        b->ok = false;
    b->state = PC_BLOCK_DONE;
    return true;
}

void pc_expand_blocks(pc_ctx *c, pa_decl *decls)
{
    pc_collect_blocks(c, decls);
    for (uint32_t i = 0; i < c->nblocks && !c->d->oom; i++)
        pc_block_expand(c, &c->blocks_of[i], NULL, NULL);
    for (pa_decl *d = decls; d && !c->d->oom; d = d->next)
        if (d->kind == PA_D_PROGRAM)
            pc_expand_list(c, &d->u.program.reqs, NULL);
}
