/* Tables of the image: strings, constants, records, functions, programs and
 * requirement trees. Expressions are emitted by gen_expr.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/date.h"
#include "gen_int.h"
#include "../bc/decision.h"
#include "../bc/granted.h"

/* The format stores some counts in 16 bits. */
#define PG_MAX_U16 65535u

void *pk_push(pg *g, pk_vec *v)
{
    if (v->len == v->cap) {
        /* Past 2^31 items the doubled count would wrap (gigabytes of rules):
         * too large for the format's 32-bit counts. */
        if (v->cap > UINT32_MAX / 2) {
            g->too_big = true;
            return NULL;
        }
        uint32_t cap = v->cap ? v->cap * 2 : 64;
        void *d = realloc(v->data, (size_t)cap * v->item);
        if (!d) {
            g->oom = true;
            return NULL;
        }
        v->data = d;
        v->cap = cap;
    }
    void *p = (char *)v->data + (size_t)v->len * v->item;
    memset(p, 0, v->item);
    v->len++;
    return p;
}

static bool pk_map_grow(pg *g, pk_map *m, uint32_t count, uint64_t (*keyof)(pg *, uint32_t))
{
    if (((uint64_t)count + 1) * 2 <= m->cap)
        return true;
    /* The same limit as pk_push's: a table of 2^31 slots does not double. */
    if (m->cap > UINT32_MAX / 2) {
        g->too_big = true;
        return false;
    }
    uint32_t cap = m->cap ? m->cap * 2 : 256;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        g->oom = true;
        return false;
    }
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->vals[i])
            continue;
        uint64_t k = keyof(g, m->vals[i] - 1);
        uint32_t s = (uint32_t)(k * 0x9E3779B97F4A7C15ull >> 32) & (cap - 1);
        while (vals[s])
            s = (s + 1) & (cap - 1);
        keys[s] = m->keys[i];
        vals[s] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return true;
}

static uint64_t pk_string_key(pg *g, uint32_t id)
{
    return pb_hash_bytes(((const char **)g->strings.data)[id], ((uint32_t *)g->string_lens.data)[id]);
}

uint32_t pk_string(pg *g, const char *s, uint32_t len)
{
    if (!pk_map_grow(g, &g->string_map, g->strings.len, pk_string_key))
        return 0;
    uint64_t h = pb_hash_bytes(s, len);
    pk_map *m = &g->string_map;
    uint32_t slot = (uint32_t)(h * 0x9E3779B97F4A7C15ull >> 32) & (m->cap - 1);
    while (m->vals[slot]) {
        uint32_t id = m->vals[slot] - 1;
        if (m->keys[slot] == h && ((uint32_t *)g->string_lens.data)[id] == len &&
            memcmp(((const char **)g->strings.data)[id], s, len) == 0)
            return id;
        slot = (slot + 1) & (m->cap - 1);
    }
    const char **ps = pk_push(g, &g->strings);
    if (!ps)
        return 0;
    uint32_t *pl = pk_push(g, &g->string_lens);
    if (!pl) {
        /* Keep the two tables in step: an id indexes both, and generation
         * goes on (to be discarded) after running out of memory. */
        g->strings.len--;
        return 0;
    }
    *ps = s;
    *pl = len;
    m->keys[slot] = h;
    m->vals[slot] = g->strings.len;
    return g->strings.len - 1;
}

uint32_t pk_cstring(pg *g, const char *s)
{
    return s ? pk_string(g, s, (uint32_t)strlen(s)) : PB_NO_STRING;
}

static uint64_t pk_int_key(pg *g, uint32_t i) { return (uint64_t)((int64_t *)g->ints.data)[i]; }
static uint64_t pk_num_key(pg *g, uint32_t i)
{
    uint64_t k;
    memcpy(&k, &((double *)g->nums.data)[i], sizeof k);
    return k;
}

static uint32_t pk_const(pg *g, pk_map *m, pk_vec *v, uint64_t key, const void *value,
                         uint64_t (*keyof)(pg *, uint32_t))
{
    if (!pk_map_grow(g, m, v->len, keyof))
        return 0;
    uint32_t slot = (uint32_t)(key * 0x9E3779B97F4A7C15ull >> 32) & (m->cap - 1);
    while (m->vals[slot]) {
        if (m->keys[slot] == key)
            return m->vals[slot] - 1;
        slot = (slot + 1) & (m->cap - 1);
    }
    void *p = pk_push(g, v);
    if (!p)
        return 0;
    memcpy(p, value, v->item);
    m->keys[slot] = key;
    m->vals[slot] = v->len;
    return v->len - 1;
}

uint32_t pk_int(pg *g, int64_t v)
{
    return pk_const(g, &g->int_map, &g->ints, (uint64_t)v, &v, pk_int_key);
}

uint32_t pk_num(pg *g, double v)
{
    uint64_t k;
    memcpy(&k, &v, sizeof k);
    return pk_const(g, &g->num_map, &g->nums, k, &v, pk_num_key);
}

/* ---- records -------------------------------------------------------------- */

/* A field's default or bound: a literal, possibly negated, in the field's
 * kind (an integer literal in a number field is a number). */
static pv_value pk_field_value(pg *g, const pc_field *f, const pa_expr *lit)
{
    pv_value v;
    memset(&v, 0, sizeof v);
    bool neg = lit->kind == PA_E_UNARY;
    const pa_expr *e = neg ? lit->u.un.a : lit;
    switch (e->kind) {
    case PA_E_INT:
        if (f->type.kind == PB_T_NUM)
            v.as.n = neg ? -(double)e->u.i : (double)e->u.i;
        else
            v.as.i = neg ? -e->u.i : e->u.i;
        break;
    case PA_E_NUM: v.as.n = neg ? -e->u.n : e->u.n; break;
    case PA_E_BOOL: v.as.b = e->u.b; break;
    case PA_E_STR: v.as.s = pk_string(g, e->u.str.s, e->u.str.len); break;
    case PA_E_DATE: v.as.d = e->u.date; break;
    default: break;
    }
    return v;
}

static void pk_records(pg *g, pb_image *img)
{
    const pc_program *p = g->p;
    uint32_t nfields = 0;
    for (uint32_t r = 0; r < p->nrecords; r++)
        nfields += p->records[r].nfields;
    img->nrecords = p->nrecords;
    img->nfields = nfields;
    img->records = pm_alloc(&img->arena, sizeof *img->records * (p->nrecords ? p->nrecords : 1));
    img->fields = pm_alloc(&img->arena, sizeof *img->fields * (nfields ? nfields : 1));
    if (!img->records || !img->fields) {
        g->oom = true;
        return;
    }
    uint32_t at = 0;
    for (uint32_t r = 0; r < p->nrecords; r++) {
        const pc_record *rec = &p->records[r];
        img->records[r] = (pb_record){pk_cstring(g, rec->name), at, rec->nfields};
        for (uint32_t i = 0; i < rec->nfields; i++, at++) {
            pb_field *f = &img->fields[at];
            f->name = pk_cstring(g, rec->fields[i].name);
            f->type = rec->fields[i].type;
            f->def = rec->fields[i].def;
            if (f->def == PB_DEF_VALUE)
                f->defv = pk_field_value(g, &rec->fields[i], rec->fields[i].defexpr);
            if (rec->fields[i].min) {
                f->bounds |= PB_BOUND_MIN;
                f->minv = pk_field_value(g, &rec->fields[i], rec->fields[i].min);
            }
            if (rec->fields[i].max) {
                f->bounds |= PB_BOUND_MAX;
                f->maxv = pk_field_value(g, &rec->fields[i], rec->fields[i].max);
            }
        }
    }
}

/* ---- functions ------------------------------------------------------------ */

static void pk_begin_fn(pg *g, uint32_t nlocals)
{
    g->fn = (pk_fn){g->code.len, 0, 0, nlocals, 0};
}

static void pk_end_fn(pg *g, uint32_t name, uint32_t nparams, const pb_type *params, pb_type result)
{
    pk_emit(g, PB_OP_RET, 0, 0);
    pk_thread_jumps(g, g->fn.start);
    uint32_t first = g->params.len;
    for (uint32_t i = 0; i < nparams; i++) {
        pb_type *t = pk_push(g, &g->params);
        if (t)
            *t = params[i];
    }
    pb_func *f = pk_push(g, &g->funcs);
    if (!f)
        return;
    if (g->fn.nlocals > PG_MAX_U16 || g->fn.max > (int)PG_MAX_U16)
        g->too_big = true;
    f->name = name;
    f->code_off = g->fn.start;
    f->code_len = g->code.len - g->fn.start;
    f->nparams = (uint16_t)nparams;
    f->nlocals = (uint16_t)g->fn.nlocals;
    f->max_stack = (uint16_t)g->fn.max;
    f->first_param = first;
    f->result = result;
    f->frame = g->fn.nlocals + (uint32_t)g->fn.max + g->fn.callee_frame;
}

static void pk_defines(pg *g)
{
    const pc_program *p = g->p;
    for (uint32_t k = 0; k < p->ndefs; k++) {
        const pc_define *def = &p->defs[p->def_order[k]];
        const pa_expr *body = def->decl->u.define.body;
        pk_begin_fn(g, pk_locals_needed(body, def->nlocals));
        pk_mark(g, &def->decl->name_span);
        pk_expr(g, body, def->result.kind == PB_T_NUM);
        pk_end_fn(g, pk_cstring(g, def->decl->name), def->nparams, def->params, def->result);
    }
}

/* A decided requirement's leaf is followed by the function that says what
 * was decided (0: nothing recorded, 1: yes, 2: no), named `decided by WHO`:
 * the tools find the decider there (pb_decision), and the format needs no
 * new field. */
static void pk_decision(pg *g, const pa_req *r)
{
    size_t len = strlen(r->decided_by) + sizeof PB_DECISION_PREFIX;
    char *name = pm_alloc(&g->names, len);
    if (!name) {
        g->oom = true;
        return;
    }
    snprintf(name, len, PB_DECISION_PREFIX "%s", r->decided_by);
    pk_begin_fn(g, pk_locals_needed(r->decision, 0));
    pk_mark(g, &r->decided_span);
    pk_expr(g, r->decision, false);
    pb_type result = {PB_T_INT, 0, 0};
    pk_end_fn(g, pk_cstring(g, name), 0, NULL, result);
}

static uint32_t pk_leaf(pg *g, const pa_decl *prog, const pa_req *r, uint32_t node)
{
    /* Leaf functions are named after their program and node, for the
     * disassembler and runtime error messages. */
    char name[160];
    int len = snprintf(name, sizeof name, "%s#%u", prog->name, node);
    char *copy = pm_strndup(&g->names, name, (size_t)(len < (int)sizeof name ? len : (int)sizeof name - 1));
    if (!copy) {
        g->oom = true;
        return 0;
    }
    uint32_t fn = g->funcs.len;
    pk_begin_fn(g, pk_locals_needed(r->cond, 0));
    pk_mark(g, &r->cond->span);
    pk_expr(g, r->cond, false);
    pb_type result = {PB_T_BOOL, 0, 0};
    pk_end_fn(g, pk_cstring(g, copy), 0, NULL, result);
    if (r->decided_by)
        pk_decision(g, r);
    return fn;
}

/* ---- programs ------------------------------------------------------------- */

uint32_t pk_file(pg *g, uint32_t file)
{
    /* The bytecode names files relative to the main rule file's directory
     * (the main file by its base name), so the same rules give the same
     * bytes from any working directory or path. Included files are named
     * from their includer's name, so they share its directory's prefix;
     * only an absolute include (or a host resolver's path) keeps its own. */
    const char *main = g->src->files[0].name, *name = g->src->files[file].name;
    const char *slash = strrchr(main, '/');
    size_t dir = slash ? (size_t)(slash - main) + 1 : 0;
    if (dir && strncmp(name, main, dir) == 0 && name[dir])
        name += dir;
    return pk_cstring(g, name);
}

static void pk_position(pg *g, const ps_span *s, uint32_t *file, uint32_t *line, uint32_t *col)
{
    *file = pk_file(g, s->file);
    ps_position(g->src, s->file, s->start, line, col);
}

/* `arrange "TEXT"` on node `at`: the function bc/granted.h describes. */
static void pk_arrange(pg *g, const pa_req *r, uint32_t at)
{
    char *name = pm_printf(&g->names, PB_ARRANGE_PREFIX "%u: %s", at, r->arrange);
    if (!name) {
        g->oom = true;
        return;
    }
    pk_begin_fn(g, 0);
    pk_emit(g, PB_OP_PUSH_TRUE, 0, 0);
    pb_type result = {PB_T_BOOL, 0, 0};
    pk_end_fn(g, pk_cstring(g, name), 0, NULL, result);
}

static uint32_t pk_req_tree(pg *g, const pa_decl *prog, const pa_req *r, pb_req_role role,
                            uint16_t depth, uint32_t first)
{
    uint32_t at = g->reqs.len;
    pb_req *q = pk_push(g, &g->reqs);
    if (!q)
        return 0;
    q->kind = r->group == PA_LEAF ? PB_R_LEAF : r->group == PA_ALL_OF ? PB_R_ALL
              : r->group == PA_ANY_OF ? PB_R_ANY : PB_R_ATLEAST;
    q->role = (uint8_t)role;
    q->depth = depth;
    q->label = pk_cstring(g, r->label);
    q->cite = pk_cstring(g, r->cite);
    pk_position(g, &r->label_span, &q->file, &q->line, &q->col);
    q->from = r->period.given ? r->period.from : PB_OPEN_FROM;
    q->until = r->period.given ? r->period.until : PB_OPEN_UNTIL;
    uint32_t func = 0, n = 0, min = 0;
    if (r->group == PA_LEAF) {
        func = pk_leaf(g, prog, r, at - first);
    } else {
        for (const pa_req *m = r->members; m; m = m->next, n++)
            pk_req_tree(g, prog, m, role, (uint16_t)(depth + 1), first);
        min = r->group == PA_ALL_OF ? n : r->group == PA_ANY_OF ? 1 : (uint32_t)r->min;
    }
    if (r->arrange)
        pk_arrange(g, r, at);
    /* pk_push may have moved the vector: find the node again. */
    q = &((pb_req *)g->reqs.data)[at];
    q->func = func;
    q->nchildren = n;
    q->min = min;
    q->size = g->reqs.len - at;
    return at;
}

static const pa_attr *pk_attr(const pa_decl *d, const char *name)
{
    for (const pa_attr *a = d->u.program.attrs; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

static uint32_t pk_attr_text(pg *g, const pa_decl *d, const char *name)
{
    const pa_attr *a = pk_attr(d, name);
    return a ? pk_string(g, a->value->u.str.s, a->value->u.str.len) : PB_NO_STRING;
}

/* The function of `grants "id" valid until EXPR`: `granted` is its one
 * parameter (local 0), its result the certificate's last valid day. */
static uint32_t pk_valid_until(pg *g, const pa_decl *prog, const pa_attr *a)
{
    char name[160];
    int len = snprintf(name, sizeof name, "%s#valid", prog->name);
    char *copy = pm_strndup(&g->names, name, (size_t)(len < (int)sizeof name ? len : (int)sizeof name - 1));
    if (!copy) {
        g->oom = true;
        return 0;
    }
    uint32_t fn = g->funcs.len;
    pk_begin_fn(g, pk_locals_needed(a->valid_until, a->valid_nlocals));
    pk_mark(g, &a->valid_until->span);
    pk_expr(g, a->valid_until, false);
    pb_type date = {PB_T_DATE, 0, 0};
    pk_end_fn(g, pk_cstring(g, copy), 1, &date, date);
    return fn;
}

static void pk_program(pg *g, const pa_decl *d)
{
    pb_prog pr;
    memset(&pr, 0, sizeof pr);
    pr.id = pk_cstring(g, d->name);
    pr.title = d->u.program.title ? pk_cstring(g, d->u.program.title) : pk_attr_text(g, d, "title");
    pr.format = pk_attr_text(g, d, "format");
    pr.provider = pk_attr_text(g, d, "provider");
    pr.grants = pk_attr_text(g, d, "grants");
    const pa_attr *a = pk_attr(d, "hours");
    pr.hours = !a ? -1.0 : a->value->kind == PA_E_INT ? (double)a->value->u.i : a->value->u.n;
    a = pk_attr(d, "duration");
    if (a)
        pr.duration = (int32_t)(a->value->kind == PA_E_INT ? a->value->u.i : a->value->u.dur.n);
    a = pk_attr(d, "grants");
    if (a && a->validity) {
        pr.valid_n = (int32_t)a->validity->u.dur.n;
        pr.valid_unit = (uint8_t)a->validity->u.dur.unit;
    }
    uint32_t line, col;
    pk_position(g, &d->name_span, &pr.file, &line, &col);
    pr.line = line;
    pr.from = d->u.program.period.given ? d->u.program.period.from : PB_OPEN_FROM;
    pr.until = d->u.program.period.given ? d->u.program.period.until : PB_OPEN_UNTIL;
    pr.opens = d->u.program.window.given ? d->u.program.window.opens : PB_OPEN_FROM;
    pr.closes = d->u.program.window.given ? d->u.program.window.closes : PB_OPEN_UNTIL;
    pr.first_req = g->reqs.len;
    for (const pa_req *r = d->u.program.reqs; r; r = r->next) {
        pb_req_role role = r->role == PA_PREFER ? PB_ROLE_PREFER
                         : r->role == PA_ADVISE ? PB_ROLE_ADVISE : PB_ROLE_REQUIRE;
        pk_req_tree(g, d, r, role, 0, pr.first_req);
    }
    pr.nreqs = g->reqs.len - pr.first_req;
    a = pk_attr(d, "grants");
    if (a && a->valid_until) {
        pr.valid_unit = PB_VALID_COMPUTED;
        pr.valid_n = (int32_t)pk_valid_until(g, d, a);
    }
    pb_prog *slot = pk_push(g, &g->progs);
    if (slot)
        *slot = pr;
}

/* `granted here`: the function bc/granted.h describes, after every other
 * (so that no index a rule set without the marker has moves). */
static void pk_granted(pg *g)
{
    const pc_grants *gr = &g->p->grants;
    if (!gr->marked || gr->slot == PC_NO_FIELD)
        return;
    const pc_field *list = &g->p->records[0].fields[gr->slot];
    const pc_record *rec = &g->p->records[list->type.rec];
    const char *exp = gr->expires == PC_NO_FIELD ? NULL : rec->fields[gr->expires].name;
    char *name = pm_printf(&g->names, PB_GRANTED_PREFIX "id: %s, issued: %s%s%s", rec->fields[gr->id].name,
                           rec->fields[gr->issued].name, exp ? ", expires: " : "", exp ? exp : "");
    if (!name) {
        g->oom = true;
        return;
    }
    pk_begin_fn(g, 0);
    pk_emit(g, PB_OP_LOAD_FACT, gr->slot, 0);
    pk_end_fn(g, pk_cstring(g, name), 0, NULL, list->type);
}

/* ---- assembling the image ------------------------------------------------- */

static void *pk_copy(pg *g, pb_image *img, const pk_vec *v)
{
    size_t n = (size_t)(v->len ? v->len : 1) * v->item;
    void *p = pm_alloc(&img->arena, n);
    if (!p) {
        g->oom = true;
        return NULL;
    }
    if (v->len)
        memcpy(p, v->data, (size_t)v->len * v->item);
    return p;
}

static void pk_strings_into(pg *g, pb_image *img)
{
    img->nstrings = g->strings.len;
    img->strings = pm_alloc(&img->arena, sizeof *img->strings * (img->nstrings ? img->nstrings : 1));
    img->string_len = pk_copy(g, img, &g->string_lens);
    if (!img->strings || !img->string_len) {
        g->oom = true;
        return;
    }
    for (uint32_t i = 0; i < img->nstrings; i++) {
        const char *s = ((const char **)g->strings.data)[i];
        img->strings[i] = pm_strndup(&img->arena, s, img->string_len[i]);
        if (!img->strings[i]) {
            g->oom = true;
            return;
        }
    }
}

static void pk_finish(pg *g, pb_image *img)
{
    img->ints = pk_copy(g, img, &g->ints);
    img->nints = g->ints.len;
    img->nums = pk_copy(g, img, &g->nums);
    img->nnums = g->nums.len;
    img->code = pk_copy(g, img, &g->code);
    img->ncode = g->code.len;
    img->funcs = pk_copy(g, img, &g->funcs);
    img->nfuncs = g->funcs.len;
    img->param_types = pk_copy(g, img, &g->params);
    img->nparam_types = g->params.len;
    img->progs = pk_copy(g, img, &g->progs);
    img->nprogs = g->progs.len;
    img->reqs = pk_copy(g, img, &g->reqs);
    img->nreqs = g->reqs.len;
    img->lines = pk_copy(g, img, &g->lines);
    img->nlines = g->lines.len;
    /* A failed copy leaves a NULL table behind a non-zero count: stop before
     * reading it (the caller frees the image). */
    if (g->oom)
        return;
    for (uint32_t i = 0; i < img->nfuncs; i++)
        if (img->funcs[i].frame > img->max_frame)
            img->max_frame = img->funcs[i].frame;
    for (uint32_t i = 0; i < img->nprogs; i++)
        if (img->progs[i].nreqs > img->max_reqs)
            img->max_reqs = img->progs[i].nreqs;
    pk_strings_into(g, img);
    if (!g->oom && !pb_build_hash(img))
        g->oom = true;
}

static void pk_release(pg *g)
{
    pm_free(&g->names);
    pk_vec *vecs[] = {&g->strings, &g->string_lens, &g->ints, &g->nums, &g->code, &g->funcs,
                      &g->params, &g->progs, &g->reqs, &g->lines};
    for (size_t i = 0; i < sizeof vecs / sizeof *vecs; i++)
        free(vecs[i]->data);
    pk_map *maps[] = {&g->string_map, &g->int_map, &g->num_map};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) {
        free(maps[i]->keys);
        free(maps[i]->vals);
    }
}

pb_image *pk_generate(const pc_program *p, ps_sources *src, char *err, size_t errlen)
{
    pg g;
    memset(&g, 0, sizeof g);
    g.p = p;
    g.src = src;
    g.strings.item = sizeof(const char *);
    g.string_lens.item = sizeof(uint32_t);
    g.ints.item = sizeof(int64_t);
    g.nums.item = sizeof(double);
    g.code.item = 1;
    g.funcs.item = sizeof(pb_func);
    g.params.item = sizeof(pb_type);
    g.progs.item = sizeof(pb_prog);
    g.reqs.item = sizeof(pb_req);
    g.lines.item = sizeof(pb_line);
    pm_init(&g.names, 4096);

    pb_image *img = pb_image_new();
    if (!img) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pk_records(&g, img);
    pk_defines(&g);
    for (uint32_t i = 0; i < p->nprogs && !g.oom; i++)
        pk_program(&g, p->progs[i]);
    if (!g.oom)
        pk_granted(&g);
    if (g.funcs.len > PG_MAX_U16 || p->nrecords > PG_MAX_U16)
        g.too_big = true;
    if (!g.oom && !g.too_big)
        pk_finish(&g, img);
    pk_release(&g);
    if (g.oom || g.too_big) {
        snprintf(err, errlen, g.oom ? "out of memory" : "the rule set is too large for the bytecode format "
                                                         "(more than 65535 functions, records or locals, "
                                                         "or 2^31 entries in one of its tables)");
        pb_image_free(img);
        return NULL;
    }
    return img;
}
