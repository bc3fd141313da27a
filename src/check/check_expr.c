/* Typing expressions. Each rule states what the language allows and, when it
 * does not, says what the author probably meant. A VOID type marks an
 * expression that already has an error, so one mistake is reported once. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check_int.h"

static pb_type pc_void(void) { return pc_ty(PB_T_VOID, false, 0); }
static bool pc_is_void(pb_type t) { return t.kind == PB_T_VOID; }
static bool pc_numeric(pb_type t) { return t.kind == PB_T_INT || t.kind == PB_T_NUM; }

static const char *pc_tn(const pc_ctx *c, pb_type t, char *buf)
{
    return pc_type_name(c, t, buf, 64);
}

static pb_type pc_set(pa_expr *e, pb_type t)
{
    e->type = t;
    return t;
}

/* ---- narrowing ----------------------------------------------------------- */

/* A name or a field path such as `c.expires`: what `is not none` narrows. */
static bool pc_is_path(const pa_expr *e)
{
    while (e->kind == PA_E_FIELD)
        e = e->u.field.obj;
    return e->kind == PA_E_NAME;
}

/* Do two checked paths read the same value? Names by what they resolved to
 * (each quantifier's variable has its own local), fields by record and index. */
static bool pc_same_path(const pa_expr *a, const pa_expr *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == PA_E_NAME)
        return a->ref == b->ref && a->ref_index == b->ref_index;
    return a->kind == PA_E_FIELD && a->ref_rec == b->ref_rec && a->ref_index == b->ref_index &&
           pc_same_path(a->u.field.obj, b->u.field.obj);
}

static bool pc_narrowed(const pc_fn *fn, const pa_expr *e)
{
    for (const pc_narrow *n = fn->narrow; n; n = n->up)
        if (pc_same_path(n->path, e))
            return true;
    return false;
}

static pc_narrow *pc_narrow_push(pc_ctx *c, const pa_expr *path, pc_narrow *up)
{
    if (path->type.kind == PB_T_VOID || !pc_is_path(path))
        return up;
    pc_narrow *n = pm_alloc(c->arena, sizeof *n);
    if (!n) {
        /* Without the note the path would look optional, and the rules
         * would be refused for a reason they do not have. */
        c->d->oom = true;
        return up;
    }
    n->path = path;
    n->up = up;
    return n;
}

/* The paths that are not none when the checked condition k evaluates to
 * `holds`, added to `up`: `x is not none` true, `x is none` false, both
 * sides of a true `and` and of a false `or`, through `not`. The code
 * generator short-circuits `and`, `or` and `if`, so what depends on these
 * never runs with none. `left` bounds the walk: a condition deeper than the
 * nesting limit is refused anyway (E0439), and a chain of 100,000 `and`s
 * must not overflow the stack here (tests/cli/deep.sh). */
static pc_narrow *pc_narrow_walk(pc_ctx *c, const pa_expr *k, bool holds, pc_narrow *up, unsigned left)
{
    if (left == 0)
        return up;
    switch (k->kind) {
    case PA_E_IS_NONE:
        return k->u.isnone.negated == holds ? pc_narrow_push(c, k->u.isnone.a, up) : up;
    case PA_E_UNARY:
        return k->u.un.op == PA_OP_NOT ? pc_narrow_walk(c, k->u.un.a, !holds, up, left - 1) : up;
    case PA_E_BINARY:
        if ((k->u.bin.op == PA_OP_AND && holds) || (k->u.bin.op == PA_OP_OR && !holds))
            return pc_narrow_walk(c, k->u.bin.b, holds, pc_narrow_walk(c, k->u.bin.a, holds, up, left - 1),
                                  left - 1);
        return up;
    default:
        return up;
    }
}

static pc_narrow *pc_narrow_by(pc_ctx *c, const pa_expr *k, bool holds, pc_narrow *up)
{
    return pc_narrow_walk(c, k, holds, up, c->max_nesting);
}

/* Writes a path as the author wrote it (`c.expires`) into buf. */
static void pc_path_text(const pa_expr *e, char *buf, size_t len)
{
    if (e->kind == PA_E_NAME) {
        snprintf(buf, len, "%s", e->u.name.name);
        return;
    }
    pc_path_text(e->u.field.obj, buf, len);
    size_t used = strlen(buf);
    if (used < len)
        snprintf(buf + used, len - used, ".%s", e->u.field.name);
}

/* Optional values must be unwrapped before arithmetic and ordering. A name
 * or field path can be tested first, which narrows it (pc_narrow_by). */
static bool pc_require_plain(pc_ctx *c, const pa_expr *e, pb_type t, const char *what)
{
    if (!t.optional)
        return true;
    char b[64];
    pd_diag *dg = PC_ERR(c, &e->span, PD_E0401, "%s needs a value, but this is %s and may be none",
                         what, pc_tn(c, t, b));
    const char *stand_in = t.kind == PB_T_DATE ? "today" : t.kind == PB_T_BOOL ? "false" : "0";
    if (!pc_is_path(e)) {
        pd_note_add(c->d, dg, NULL, "say what to use when it is none, e.g. `(...) otherwise %s`", stand_in);
        return false;
    }
    char path[96];
    pc_path_text(e, path, sizeof path);
    pd_note_add(c->d, dg, NULL, "say what to use when it is none, e.g. `%s otherwise %s`, "
                                "or test it first: `%s is not none and ...`", path, stand_in, path);
    return false;
}

/* ---- names ---------------------------------------------------------------- */

static void pc_unknown_name(pc_ctx *c, pc_fn *fn, pa_expr *e, const char *name)
{
    pc_suggest s;
    pc_suggest_init(&s, name);
    const ps_span *where = NULL;
    for (pc_scope *sc = fn->scope; sc; sc = sc->up)
        pc_suggest_offer(&s, sc->name);
    for (uint32_t i = 0; i < c->p->ndefs; i++)
        pc_suggest_offer(&s, c->p->defs[i].decl->name);
    for (uint32_t i = 0; i < c->p->records[0].nfields; i++)
        pc_suggest_offer(&s, c->p->records[0].fields[i].name);
    const char *best = pc_suggest_result(&s);
    pd_diag *dg = PC_ERR(c, &e->span, PD_E0402, "unknown name `%s`", name);
    if (!best)
        return;
    for (pc_scope *sc = fn->scope; sc && !where; sc = sc->up)
        if (strcmp(sc->name, best) == 0)
            where = &sc->span;
    uint32_t idx;
    if (!where && pc_names_get(&c->defs, best, &idx))
        where = &c->p->defs[idx].decl->name_span;
    if (!where && pc_names_get(&c->facts, best, &idx))
        where = &c->p->records[0].fields[idx].span;
    pd_note_add(c->d, dg, NULL, "did you mean `%s`?", best);
    if (where)
        pd_note_add(c->d, dg, where, "`%s` is declared here", best);
    pd_set_fix(c->d, dg, best);
}

static pb_type pc_use_define(pc_ctx *c, pa_expr *e, uint32_t idx)
{
    pc_define *def = &c->p->defs[idx];
    e->ref = PA_REF_DEFINE;
    e->ref_index = idx;
    if (!pc_check_use(c, def, &e->span))
        return pc_void();
    return def->typed ? def->result : pc_void();
}

static pb_type pc_name_typed(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    const char *name = e->u.name.name;
    for (pc_scope *sc = fn->scope; sc; sc = sc->up) {
        if (strcmp(sc->name, name) == 0) {
            e->ref = sc->ref;
            e->ref_index = sc->local;
            return sc->type;
        }
    }
    uint32_t idx;
    if (pc_names_get(&c->defs, name, &idx)) {
        if (c->p->defs[idx].decl->u.define.failed)
            return pc_use_define(c, e, idx);
        if (c->p->defs[idx].decl->u.define.has_params) {
            pd_diag *dg = PC_ERR(c, &e->span, PD_E0403, "`%s` needs %u argument%s", name,
                                 c->p->defs[idx].nparams, c->p->defs[idx].nparams == 1 ? "" : "s");
            pd_note_add(c->d, dg, &c->p->defs[idx].decl->name_span, "`%s` is defined here", name);
            return pc_void();
        }
        return pc_use_define(c, e, idx);
    }
    if (pc_names_get(&c->facts, name, &idx)) {
        e->ref = PA_REF_FACT;
        e->ref_index = idx;
        return c->p->records[0].fields[idx].type;
    }
    pc_unknown_name(c, fn, e, name);
    return pc_void();
}

/* A path tested with `is not none` on the way here is a plain value. */
static pb_type pc_narrow_type(const pc_fn *fn, const pa_expr *e, pb_type t)
{
    if (t.optional && pc_narrowed(fn, e))
        t.optional = 0;
    return t;
}

static pb_type pc_name(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    return pc_narrow_type(fn, e, pc_name_typed(c, fn, e));
}

static pb_type pc_field_typed(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type obj = pc_expr(c, fn, e->u.field.obj);
    if (pc_is_void(obj))
        return obj;
    char b[64];
    if (obj.kind != PB_T_ELEM) {
        pd_diag *dg = PC_ERR(c, &e->u.field.name_span, PD_E0404, "`.%s` needs a record, but this is %s",
                             e->u.field.name, pc_tn(c, obj, b));
        if (obj.kind == PB_T_LIST)
            pd_note_add(c->d, dg, NULL, "to look inside a list, use `any x in LIST where x.%s ...`",
                        e->u.field.name);
        return pc_void();
    }
    const pc_record *r = &c->p->records[obj.rec];
    for (uint32_t i = 0; i < r->nfields; i++) {
        if (strcmp(r->fields[i].name, e->u.field.name) == 0) {
            e->ref_rec = obj.rec;
            e->ref_index = i;
            return r->fields[i].type;
        }
    }
    pc_suggest s;
    pc_suggest_init(&s, e->u.field.name);
    for (uint32_t i = 0; i < r->nfields; i++)
        pc_suggest_offer(&s, r->fields[i].name);
    pd_diag *dg = PC_ERR(c, &e->u.field.name_span, PD_E0405, "record `%s` has no field `%s`", r->name,
                         e->u.field.name);
    if (pc_suggest_result(&s)) {
        pd_note_add(c->d, dg, NULL, "did you mean `%s`?", pc_suggest_result(&s));
        pd_set_fix(c->d, dg, pc_suggest_result(&s));
    }
    pd_note_add(c->d, dg, &r->span, "`%s` is declared here", r->name);
    return pc_void();
}

static pb_type pc_field_access(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    return pc_narrow_type(fn, e, pc_field_typed(c, fn, e));
}

/* ---- calls ---------------------------------------------------------------- */

/* Can a value of type `have` be passed where `want` is expected? */
static bool pc_fits(pb_type want, pb_type have)
{
    if (have.optional && !want.optional)
        return false;
    if (want.kind == PB_T_NUM && have.kind == PB_T_INT)
        return true;
    if (want.kind != have.kind)
        return false;
    return (want.kind != PB_T_LIST && want.kind != PB_T_ELEM) || want.rec == have.rec;
}

static pb_type pc_builtin_call(pc_ctx *c, pc_fn *fn, pa_expr *e, pc_builtin which)
{
    const char *name = e->u.call.name;
    if (e->u.call.nargs != 2) {
        PC_ERR(c, &e->span, PD_E0410, "`%s` takes two numbers, e.g. `%s(0, years since start)`", name,
               name);
        for (pa_expr *a = e->u.call.args; a; a = a->next)
            pc_expr(c, fn, a);
        return pc_void();
    }
    pb_type a = pc_expr(c, fn, e->u.call.args);
    pb_type b = pc_expr(c, fn, e->u.call.args->next);
    e->ref = PA_REF_BUILTIN;
    e->ref_index = which;
    if (pc_is_void(a) || pc_is_void(b))
        return pc_void();
    char ba[64], bb[64];
    if (!pc_numeric(a) || !pc_numeric(b)) {
        PC_ERR(c, &e->span, PD_E0411, "`%s` takes two numbers, not %s and %s", name, pc_tn(c, a, ba),
               pc_tn(c, b, bb));
        return pc_void();
    }
    if (!pc_require_plain(c, e->u.call.args, a, "this argument") ||
        !pc_require_plain(c, e->u.call.args->next, b, "this argument"))
        return pc_void();
    return pc_ty(a.kind == PB_T_NUM || b.kind == PB_T_NUM ? PB_T_NUM : PB_T_INT, false, 0);
}

static pb_type pc_call(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    const char *name = e->u.call.name;
    if (strcmp(name, "max") == 0)
        return pc_builtin_call(c, fn, e, PC_BI_MAX);
    if (strcmp(name, "min") == 0)
        return pc_builtin_call(c, fn, e, PC_BI_MIN);
    uint32_t idx;
    if (!pc_names_get(&c->defs, name, &idx)) {
        pa_expr probe = *e;
        probe.kind = PA_E_NAME;
        probe.u.name.name = name;
        probe.span = e->u.call.name_span;
        pc_unknown_name(c, fn, &probe, name);
        for (pa_expr *a = e->u.call.args; a; a = a->next)
            pc_expr(c, fn, a);
        return pc_void();
    }
    pc_define *def = &c->p->defs[idx];
    if (def->decl->u.define.failed) {
        /* A syntax error cut its declaration short; only the arguments'
         * own mistakes are news. */
        for (pa_expr *a = e->u.call.args; a; a = a->next)
            pc_expr(c, fn, a);
        return pc_use_define(c, e, idx);
    }
    if (!def->decl->u.define.has_params) {
        pd_diag *dg = PC_ERR(c, &e->span, PD_E0412, "`%s` is a value, not a function; write `%s` without parentheses",
                             name, name);
        pd_note_add(c->d, dg, &def->decl->name_span, "`%s` is defined here", name);
        return pc_void();
    }
    if (e->u.call.nargs != def->nparams) {
        pd_diag *dg = PC_ERR(c, &e->span, PD_E0413, "`%s` takes %u argument%s, but %u %s given", name,
                             def->nparams, def->nparams == 1 ? "" : "s", e->u.call.nargs,
                             e->u.call.nargs == 1 ? "is" : "are");
        pd_note_add(c->d, dg, &def->decl->name_span, "`%s` is defined here", name);
        for (pa_expr *a = e->u.call.args; a; a = a->next)
            pc_expr(c, fn, a);
        return pc_void();
    }
    bool ok = true;
    uint32_t i = 0;
    const pa_param *pp = def->decl->u.define.params;
    for (pa_expr *a = e->u.call.args; a; a = a->next, i++, pp = pp->next) {
        pb_type t = pc_expr(c, fn, a);
        if (pc_is_void(t) || pc_is_void(def->params[i])) {
            ok = false;
            continue;
        }
        if (!pc_fits(def->params[i], t)) {
            char bw[64], bh[64];
            pd_diag *dg = PC_ERR(c, &a->span, PD_E0414, "argument %u of `%s` must be %s, but this is %s",
                                 i + 1, name, pc_tn(c, def->params[i], bw), pc_tn(c, t, bh));
            pd_note_add(c->d, dg, &pp->span, "parameter `%s` is declared here", pp->name);
            ok = false;
        }
    }
    pb_type r = pc_use_define(c, e, idx);
    return ok ? r : pc_void();
}

/* ---- operators ------------------------------------------------------------ */

static pb_type pc_logic(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type a = pc_expr(c, fn, e->u.bin.a);
    pc_narrow *outer = fn->narrow;
    fn->narrow = pc_narrow_by(c, e->u.bin.a, e->u.bin.op == PA_OP_AND, outer);
    pb_type b = pc_expr(c, fn, e->u.bin.b);
    fn->narrow = outer;
    const char *op = e->u.bin.op == PA_OP_AND ? "and" : "or";
    char buf[64];
    bool ok = true;
    const pa_expr *sides[2] = {e->u.bin.a, e->u.bin.b};
    pb_type types[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (pc_is_void(types[i])) {
            ok = false;
        } else if (types[i].kind != PB_T_BOOL || types[i].optional) {
            PC_ERR(c, &sides[i]->span, PD_E0420, "`%s` joins conditions, but this is %s", op,
                   pc_tn(c, types[i], buf));
            ok = false;
        }
    }
    return ok ? pc_ty(PB_T_BOOL, false, 0) : pc_void();
}

static bool pc_comparable(pb_type a, pb_type b)
{
    if (pc_numeric(a) && pc_numeric(b))
        return true;
    return a.kind == b.kind &&
           (a.kind == PB_T_TEXT || a.kind == PB_T_DATE || a.kind == PB_T_BOOL);
}

/* Types an operand that may be a bare `none`, whose type its context decides. */
static pb_type pc_operand(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    return e->kind == PA_E_NONE ? pc_void() : pc_expr(c, fn, e);
}

static pb_type pc_compare(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pa_expr *ea = e->u.bin.a, *eb = e->u.bin.b;
    pb_type a = pc_operand(c, fn, ea);
    pb_type b = pc_operand(c, fn, eb);
    if (ea->kind == PA_E_NONE && eb->kind == PA_E_NONE) {
        PC_ERR(c, &e->span, PD_E0442, "comparing `none` with `none` is always the same");
        return pc_void();
    }
    /* `x = none` takes the type of x. */
    if (ea->kind == PA_E_NONE && !pc_is_void(b))
        a = pc_set(ea, pc_ty(b.kind, true, b.rec));
    if (eb->kind == PA_E_NONE && !pc_is_void(a))
        b = pc_set(eb, pc_ty(a.kind, true, a.rec));
    if (pc_is_void(a) || pc_is_void(b))
        return pc_void();
    char ba[64], bb[64];
    if (!pc_comparable(a, b)) {
        pd_diag *dg = PC_ERR(c, &e->u.bin.op_span, PD_E0421, "cannot compare %s with %s", pc_tn(c, a, ba),
                             pc_tn(c, b, bb));
        if (a.kind == PB_T_DATE && pc_numeric(b))
            pd_note_add(c->d, dg, NULL, "to compare a time span, count it: `years since DATE >= N`");
        if (a.kind == PB_T_SET || b.kind == PB_T_SET)
            pd_note_add(c->d, dg, NULL, "to test membership of a set, use `\"value\" in SET`");
        const pa_expr *quoted = eb->kind == PA_E_STR ? eb : ea->kind == PA_E_STR ? ea : NULL;
        if (quoted && pc_numeric(quoted == eb ? a : b) && quoted->u.str.len > 0 &&
            strspn(quoted->u.str.s, "0123456789.") == quoted->u.str.len) {
            pd_note_add(c->d, dg, &quoted->span, "write the number without quotes: %s", quoted->u.str.s);
        }
        return pc_void();
    }
    bool equality = e->u.bin.op == PA_OP_EQ || e->u.bin.op == PA_OP_NE;
    if (!equality) {
        if (a.kind == PB_T_TEXT || a.kind == PB_T_BOOL) {
            PC_ERR(c, &e->u.bin.op_span, PD_E0422, "%s can only be compared with `=` and `!=`",
                   a.kind == PB_T_TEXT ? "text" : "a condition");
            return pc_void();
        }
        if (!pc_require_plain(c, ea, a, "an ordering comparison") ||
            !pc_require_plain(c, eb, b, "an ordering comparison"))
            return pc_void();
    }
    return pc_ty(PB_T_BOOL, false, 0);
}

static pb_type pc_arith(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type a = pc_expr(c, fn, e->u.bin.a);
    pb_type b = pc_expr(c, fn, e->u.bin.b);
    if (pc_is_void(a) || pc_is_void(b))
        return pc_void();
    pa_op op = e->u.bin.op;
    const char *sym = op == PA_OP_ADD ? "+" : op == PA_OP_SUB ? "-" : "*";
    char ba[64], bb[64];
    if (a.kind == PB_T_DATE && b.kind == PC_T_DURATION && op != PA_OP_MUL) {
        if (!pc_require_plain(c, e->u.bin.a, a, "date arithmetic"))
            return pc_void();
        return pc_ty(PB_T_DATE, false, 0);
    }
    if (pc_numeric(a) && pc_numeric(b)) {
        if (!pc_require_plain(c, e->u.bin.a, a, "arithmetic") ||
            !pc_require_plain(c, e->u.bin.b, b, "arithmetic"))
            return pc_void();
        return pc_ty(a.kind == PB_T_NUM || b.kind == PB_T_NUM ? PB_T_NUM : PB_T_INT, false, 0);
    }
    pd_diag *dg = PC_ERR(c, &e->u.bin.op_span, PD_E0423, "cannot apply `%s` to %s and %s", sym,
                         pc_tn(c, a, ba), pc_tn(c, b, bb));
    if (a.kind == PB_T_DATE && b.kind == PB_T_DATE && op == PA_OP_SUB)
        pd_note_add(c->d, dg, NULL, "to count the time between two dates, write `days between A and B` "
                                    "(or months, years)");
    else if (a.kind == PB_T_DATE && b.kind == PB_T_INT && op != PA_OP_MUL && e->u.bin.a->kind != PA_E_MAKE_DATE &&
             e->u.bin.b->kind != PA_E_INT)
        pd_note_add(c->d, dg, NULL, "to move a date by a computed count, give its unit: `%s %s months` "
                                    "(or days, years)",
                    sym, e->u.bin.b->kind == PA_E_NAME ? e->u.bin.b->u.name.name : "(...)");
    else if (e->u.bin.a->kind == PA_E_MAKE_DATE && e->u.bin.a->u.make.form == PA_MAKE_NAMED && pc_numeric(b))
        pd_note_add(c->d, dg, NULL, "the year of `31 August of Y` ends before any operator: "
                                    "write `31 August of (Y %s ...)`",
                    sym);
    else if (b.kind == PC_T_DURATION || a.kind == PC_T_DURATION)
        pd_note_add(c->d, dg, NULL, "a duration such as `2 years` can only be added to or taken from a date");
    return pc_void();
}

static pb_type pc_in(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type a = pc_expr(c, fn, e->u.bin.a);
    pa_expr *eb = e->u.bin.b;
    char ba[64], bb[64];
    if (eb->kind == PA_E_LIST) {
        bool ok = !pc_is_void(a);
        for (pa_expr *it = eb->u.list.items; it; it = it->next) {
            pb_type t = pc_expr(c, fn, it);
            if (pc_is_void(t) || pc_is_void(a)) {
                ok = false;
            } else if (!pc_comparable(a, t) || t.optional) {
                PC_ERR(c, &it->span, PD_E0424, "this list item is %s, but the value looked for is %s",
                       pc_tn(c, t, bb), pc_tn(c, a, ba));
                ok = false;
            }
        }
        pc_set(eb, pc_ty(PC_T_LITLIST, false, 0));
        if (ok && eb->u.list.nitems == 0)
            PC_ERR(c, &eb->span, PD_E0425, "nothing is in an empty list; this is always false");
        return ok ? pc_ty(PB_T_BOOL, false, 0) : pc_void();
    }
    pb_type b = pc_expr(c, fn, eb);
    if (pc_is_void(a) || pc_is_void(b))
        return pc_void();
    if (b.kind != PB_T_SET) {
        pd_diag *dg = PC_ERR(c, &eb->span, PD_E0426, "`in` looks in a set of text or a list like [\"a\", \"b\"], but this is %s",
                             pc_tn(c, b, bb));
        if (b.kind == PB_T_LIST)
            pd_note_add(c->d, dg, NULL, "for a list of records, use `any x in LIST where ...`");
        return pc_void();
    }
    if (a.kind != PB_T_TEXT) {
        PC_ERR(c, &e->u.bin.a->span, PD_E0427, "a set of text holds text, but this is %s", pc_tn(c, a, ba));
        return pc_void();
    }
    return pc_ty(PB_T_BOOL, false, 0);
}

static pb_type pc_otherwise(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type a = pc_expr(c, fn, e->u.bin.a);
    pb_type b = pc_expr(c, fn, e->u.bin.b);
    if (pc_is_void(a) || pc_is_void(b))
        return pc_void();
    char ba[64], bb[64];
    bool numeric = pc_numeric(a) && pc_numeric(b);
    if (!numeric && a.kind != b.kind) {
        PC_ERR(c, &e->u.bin.op_span, PD_E0428, "`otherwise` needs a replacement of the same type: %s and %s",
               pc_tn(c, a, ba), pc_tn(c, b, bb));
        return pc_void();
    }
    /* Lists, sets, elements, durations and literal lists are never none,
     * even after `x is not none` (which says so too): `roles otherwise
     * roles` has no effect (it said "needs a replacement of the same type:
     * set of text and set of text"). */
    bool composite = a.kind == PB_T_LIST || a.kind == PB_T_SET || a.kind == PB_T_ELEM ||
                     a.kind == PC_T_DURATION || a.kind == PC_T_LITLIST;
    if (composite || (!a.optional && !pc_narrowed(fn, e->u.bin.a))) {
        PC_ERR(c, &e->u.bin.a->span, PD_E0429, "this is %s and is never none, so `otherwise` has no effect",
               pc_tn(c, a, ba));
        return pc_void();
    }
    int kind = numeric && (a.kind == PB_T_NUM || b.kind == PB_T_NUM) ? PB_T_NUM : a.kind;
    return pc_ty(kind, b.optional, 0);
}

static pb_type pc_binary(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    switch (e->u.bin.op) {
    case PA_OP_AND:
    case PA_OP_OR:
        return pc_logic(c, fn, e);
    case PA_OP_EQ: case PA_OP_NE: case PA_OP_LT: case PA_OP_LE: case PA_OP_GT: case PA_OP_GE:
        return pc_compare(c, fn, e);
    case PA_OP_ADD: case PA_OP_SUB: case PA_OP_MUL:
        return pc_arith(c, fn, e);
    case PA_OP_IN:
        return pc_in(c, fn, e);
    case PA_OP_OTHERWISE:
        return pc_otherwise(c, fn, e);
    default:
        return pc_void();
    }
}

static pb_type pc_unary(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type a = pc_expr(c, fn, e->u.un.a);
    if (pc_is_void(a))
        return a;
    char b[64];
    if (e->u.un.op == PA_OP_NOT) {
        if (a.kind != PB_T_BOOL || a.optional) {
            PC_ERR(c, &e->u.un.a->span, PD_E0430, "`not` needs a condition, but this is %s", pc_tn(c, a, b));
            return pc_void();
        }
        return a;
    }
    if (a.kind == PC_T_DURATION)
        return a;
    if (!pc_numeric(a)) {
        PC_ERR(c, &e->u.un.a->span, PD_E0431, "`-` needs a number, but this is %s", pc_tn(c, a, b));
        return pc_void();
    }
    if (!pc_require_plain(c, e->u.un.a, a, "`-`"))
        return pc_void();
    return a;
}

static pb_type pc_is_none(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type a = pc_expr(c, fn, e->u.isnone.a);
    if (pc_is_void(a))
        return a;
    char b[64];
    if (!a.optional && !pc_narrowed(fn, e->u.isnone.a)) {
        PC_ERR(c, &e->u.isnone.a->span, PD_E0432, "this is %s and is never none", pc_tn(c, a, b));
        return pc_void();
    }
    return pc_ty(PB_T_BOOL, false, 0);
}

static pb_type pc_if(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type k = pc_expr(c, fn, e->u.cond.c);
    pc_narrow *outer = fn->narrow;
    fn->narrow = pc_narrow_by(c, e->u.cond.c, true, outer);
    pb_type a = pc_operand(c, fn, e->u.cond.a);
    fn->narrow = pc_narrow_by(c, e->u.cond.c, false, outer);
    pb_type b = pc_operand(c, fn, e->u.cond.b);
    fn->narrow = outer;
    char ba[64], bb[64];
    bool none_a = e->u.cond.a->kind == PA_E_NONE, none_b = e->u.cond.b->kind == PA_E_NONE;
    if (none_a && none_b) {
        PC_ERR(c, &e->span, PD_E0443, "both branches of `if` are `none`");
        return pc_void();
    }
    bool ok = !pc_is_void(k) && (none_a || !pc_is_void(a)) && (none_b || !pc_is_void(b));
    if (!pc_is_void(k) && (k.kind != PB_T_BOOL || k.optional)) {
        PC_ERR(c, &e->u.cond.c->span, PD_E0433, "`if` needs a condition, but this is %s", pc_tn(c, k, ba));
        ok = false;
    }
    if (!ok)
        return pc_void();
    if (none_a)
        a = pc_set(e->u.cond.a, pc_ty(b.kind, true, b.rec));
    if (none_b)
        b = pc_set(e->u.cond.b, pc_ty(a.kind, true, a.rec));
    bool numeric = pc_numeric(a) && pc_numeric(b);
    if (!numeric && a.kind != b.kind) {
        PC_ERR(c, &e->span, PD_E0434, "the two branches of `if` must have the same type: %s and %s",
               pc_tn(c, a, ba), pc_tn(c, b, bb));
        return pc_void();
    }
    /* It said "must have the same type: set of text and set of text". */
    if (a.kind == PB_T_LIST || a.kind == PB_T_SET || a.kind == PB_T_ELEM || a.kind >= PB_T_COUNT) {
        PC_ERR(c, &e->span, PD_E0434, "`if` chooses between single values (numbers, text, dates, conditions), not %s",
               pc_tn(c, a, ba));
        return pc_void();
    }
    int kind = numeric && (a.kind == PB_T_NUM || b.kind == PB_T_NUM) ? PB_T_NUM : a.kind;
    return pc_ty(kind, a.optional || b.optional, 0);
}

/* ---- reach: what an operand takes in ------------------------------------ */

static const char *pc_op_text(pa_op op)
{
    switch (op) {
    case PA_OP_EQ: return "=";
    case PA_OP_NE: return "!=";
    case PA_OP_LT: return "<";
    case PA_OP_LE: return "<=";
    case PA_OP_GT: return ">";
    case PA_OP_GE: return ">=";
    case PA_OP_ADD: return "+";
    case PA_OP_SUB: return "-";
    default: return "*";
    }
}

/* `(whole up to inner) rest`: the source of `whole` with a closing
 * parenthesis after `inner`, which `whole` starts with, into buf; false when
 * it does not fit on a line (or spans another line), to say it in words. */
static bool pc_paren_text(const pc_ctx *c, const ps_span *whole, const ps_span *inner, char *buf, size_t len)
{
    const ps_file *f = &c->src->files[whole->file];
    if (whole->end > f->len || inner->end > whole->end || inner->file != whole->file)
        return false;
    int head = (int)(inner->end - whole->start), tail = (int)(whole->end - inner->end);
    if (memchr(f->text + whole->start, '\n', (size_t)(whole->end - whole->start)) || head + tail + 3 >= (int)len)
        return false;
    const char *rest = f->text + inner->end;
    while (tail > 0 && *rest == ' ')
        rest++, tail--;
    snprintf(buf, len, "(%.*s) %.*s", head, f->text + whole->start, tail, rest);
    return true;
}

/* Was e written in parentheses? Their span covers them, so it starts before
 * its left operand. */
static bool pc_parenthesised(const pa_expr *e)
{
    return e->kind == PA_E_BINARY && e->span.start < e->u.bin.a->span.start;
}

static bool pc_reach_op(pa_op op)
{
    return (op >= PA_OP_EQ && op <= PA_OP_GE) || op == PA_OP_ADD || op == PA_OP_SUB || op == PA_OP_MUL;
}

static bool pc_is_duration(const pa_expr *e)
{
    return e->kind == PA_E_DURATION || (e->kind == PA_E_UNARY && e->u.un.a->kind == PA_E_DURATION);
}

/* An operand's arithmetic as the reader sees it: `b - 12 * x` unparenthesised. */
static bool pc_arith_chain(const pa_expr *e)
{
    return e->kind == PA_E_BINARY && !pc_parenthesised(e) &&
           (e->u.bin.op == PA_OP_ADD || e->u.bin.op == PA_OP_SUB || e->u.bin.op == PA_OP_MUL);
}

/* In a chain such as `d + 1 year - 2`, the first operation (from the left)
 * that does not add or take a duration: where a date's arithmetic stops. */
static pa_expr *pc_first_break(pa_expr *e)
{
    if (!pc_arith_chain(e))
        return NULL;
    pa_expr *below = pc_first_break(e->u.bin.a);
    if (below)
        return below;
    return pc_is_duration(e->u.bin.b) && e->u.bin.op != PA_OP_MUL ? NULL : e;
}

/* Types every operand of an arithmetic chain once, leftmost first. */
static void pc_check_chain(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    if (!pc_arith_chain(e)) {
        pc_expr(c, fn, e);
        return;
    }
    pc_check_chain(c, fn, e->u.bin.a);
    pc_operand(c, fn, e->u.bin.b);
}

/* `months between a and b - 12 * x` reads as the count less 12 * x, but the
 * last date of `between` (and the date of `since`) reaches over arithmetic,
 * so that `days between a and today + 90 days` is a date: the date is
 * `b - 12 * x`. A date's only arithmetic adds or takes a duration, so any
 * other arithmetic there is this mistake: say so, with the parenthesised
 * form, from the first operation that is not a date's. */
static bool pc_between_swallowed(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pa_expr *last = e->u.between.b ? e->u.between.b : e->u.between.a;
    pa_expr *parent = pc_first_break(last);
    if (!parent)
        return false;
    if (e->u.between.b)
        pc_expr(c, fn, e->u.between.a);
    pc_check_chain(c, fn, last);
    const ps_file *f = &c->src->files[e->span.file];
    int wlen = 0;
    while (e->span.start + (uint32_t)wlen < f->len && f->text[e->span.start + (uint32_t)wlen] >= 'a' &&
           f->text[e->span.start + (uint32_t)wlen] <= 'z')
        wlen++;
    const char *word = f->text + e->span.start;
    const char *how = e->u.between.b ? "between" : "since";
    pd_diag *dg = PC_ERR(c, &parent->u.bin.op_span, PD_E0460,
                         "`%.*s %s` takes everything to its right as its %sdate, including this `%s`", wlen, word,
                         how, e->u.between.b ? "second " : "", pc_op_text(parent->u.bin.op));
    char fixed[160];
    if (pc_paren_text(c, &e->span, &parent->u.bin.a->span, fixed, sizeof fixed))
        pd_note_add(c->d, dg, NULL, "to apply it to the count, put the count in parentheses: `%s`", fixed);
    else
        pd_note_add(c->d, dg, NULL, "to apply it to the count, put the count in parentheses: `(%.*s %s ...) %s ...`",
                    wlen, word, how, pc_op_text(parent->u.bin.op));
    return true;
}

static pb_type pc_between(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    if (pc_between_swallowed(c, fn, e))
        return pc_void();
    pa_expr *sides[2] = {e->u.between.a, e->u.between.b};
    bool ok = true;
    char b[64];
    for (int i = 0; i < 2; i++) {
        if (!sides[i])
            continue;
        pb_type t = pc_expr(c, fn, sides[i]);
        if (pc_is_void(t)) {
            ok = false;
        } else if (t.kind != PB_T_DATE) {
            PC_ERR(c, &sides[i]->span, PD_E0435, "counting time needs a date, but this is %s", pc_tn(c, t, b));
            ok = false;
        } else if (!pc_require_plain(c, sides[i], t, "counting time")) {
            ok = false;
        }
    }
    return ok ? pc_ty(PB_T_INT, false, 0) : pc_void();
}

/* An integer that a date form needs: a duration's count, a part of a date. */
static bool pc_whole(pc_ctx *c, pc_fn *fn, pa_expr *e, pd_code code, const char *what)
{
    pb_type t = pc_expr(c, fn, e);
    if (pc_is_void(t))
        return false;
    char b[64];
    if (t.kind != PB_T_INT) {
        PC_ERR(c, &e->span, code, "%s is a whole number, but this is %s", what, pc_tn(c, t, b));
        return false;
    }
    return pc_require_plain(c, e, t, what);
}

/* A plain date that `year of`, `month of`, `day of` or `following` reads. */
static bool pc_date_operand(pc_ctx *c, pc_fn *fn, pa_expr *e, const char *what)
{
    pb_type t = pc_expr(c, fn, e);
    if (pc_is_void(t))
        return false;
    char b[64];
    if (t.kind != PB_T_DATE) {
        PC_ERR(c, &e->span, PD_E0452, "%s needs a date, but this is %s", what, pc_tn(c, t, b));
        return false;
    }
    return pc_require_plain(c, e, t, what);
}

static pb_type pc_duration(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    if (e->u.dur.count && !pc_whole(c, fn, e->u.dur.count, PD_E0450, "the count of a duration"))
        return pc_void();
    return pc_ty(PC_T_DURATION, false, 0);
}

static pb_type pc_date_part(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    static const char *const what[] = {"`day of`", "`month of`", "`year of`"};
    if (!pc_date_operand(c, fn, e->u.part.a, what[e->u.part.unit]))
        return pc_void();
    return pc_ty(PB_T_INT, false, 0);
}

/* A literal month or day of `day D of month M of year Y` out of range. */
static bool pc_part_literal(pc_ctx *c, const pa_expr *e, int64_t most, const char *what)
{
    if (e->kind != PA_E_INT || (e->u.i >= 1 && e->u.i <= most))
        return true;
    PC_ERR(c, &e->span, PD_E0451, "there is no %s %" PRId64 " (%ss are 1 to %" PRId64 ")", what, e->u.i, what,
           most);
    return false;
}

static pb_type pc_make_date(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    bool ok = true;
    if (e->u.make.after)
        ok = pc_date_operand(c, fn, e->u.make.after, "`following`");
    else
        ok = pc_whole(c, fn, e->u.make.y, PD_E0453, "the year of a date");
    if (e->u.make.form == PA_MAKE_PARTS) {
        ok = pc_whole(c, fn, e->u.make.m, PD_E0453, "the month of a date") && ok;
        ok = pc_whole(c, fn, e->u.make.d, PD_E0453, "the day of a date") && ok;
        ok = ok && pc_part_literal(c, e->u.make.m, 12, "month") && pc_part_literal(c, e->u.make.d, 31, "day");
    } else {
        pc_set(e->u.make.m, pc_ty(PB_T_INT, false, 0));
        pc_set(e->u.make.d, pc_ty(PB_T_INT, false, 0));
    }
    return ok ? pc_ty(PB_T_DATE, false, 0) : pc_void();
}

static const char *pc_quant_word(pa_quant q)
{
    return q == PA_Q_ANY ? "any" : q == PA_Q_ALL ? "all" : q == PA_Q_COUNT ? "count" : "sum";
}

/* `count c in certificates where c.current >= 2` reads as a comparison of
 * the count, but `where` takes everything to its right: the condition is
 * `c.current >= 2`. Say so, instead of complaining about comparing a
 * condition with a number. (Without `where`, a count or sum ends with its
 * list: the grammar stops it there.) Returns 1 when reported, -1 when a
 * side already had an error (reported), 0 when this is not that case and
 * nothing was reported. */
static int pc_where_swallowed(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pa_expr *w = e->u.quant.where;
    if ((e->u.quant.q != PA_Q_COUNT && e->u.quant.q != PA_Q_SUM) || w->kind != PA_E_BINARY ||
        !pc_reach_op(w->u.bin.op) || pc_parenthesised(w))
        return 0;
    pb_type a = pc_expr(c, fn, w->u.bin.a);
    if (pc_is_void(a)) {
        pc_operand(c, fn, w->u.bin.b);
        return -1;
    }
    if (a.kind != PB_T_BOOL)
        return 0;
    pb_type b = pc_expr(c, fn, w->u.bin.b);
    if (pc_is_void(b))
        return -1;
    if (!pc_numeric(b))
        return 0;
    const char *q = pc_quant_word(e->u.quant.q);
    pd_diag *dg = PC_ERR(c, &w->u.bin.op_span, PD_E0444,
                         "`where` takes everything to its right as its condition, including this `%s`",
                         pc_op_text(w->u.bin.op));
    char fixed[160];
    if (pc_paren_text(c, &e->span, &w->u.bin.a->span, fixed, sizeof fixed))
        pd_note_add(c->d, dg, NULL, "to apply it to the %s, put the %s in parentheses: `%s`", q, q, fixed);
    else
        pd_note_add(c->d, dg, NULL, "to apply it to the %s, put the %s in parentheses: `(%s ... where ...) %s ...`",
                    q, q, q, pc_op_text(w->u.bin.op));
    return 1;
}

static pb_type pc_quant(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    pb_type l = pc_expr(c, fn, e->u.quant.list);
    char b[64];
    pb_type elem = pc_void();
    if (l.kind == PB_T_LIST) {
        elem = pc_ty(PB_T_ELEM, false, l.rec);
    } else if (l.kind == PB_T_SET) {
        elem = pc_ty(PB_T_TEXT, false, 0);
    } else if (!pc_is_void(l)) {
        PC_ERR(c, &e->u.quant.list->span, PD_E0436, "`%s` goes through a list or set, but this is %s",
               e->u.quant.var, pc_tn(c, l, b));
    }
    uint32_t base = fn->nlocals;
    fn->nlocals += PC_QUANT_LOCALS;
    e->ref_index = base;
    pc_scope sc = {e->u.quant.var, e->u.quant.var_span, elem, base + PC_QUANT_VAR, PA_REF_LOCAL, fn->scope};
    fn->scope = &sc;
    bool ok = !pc_is_void(elem);
    int swallowed = e->u.quant.where ? pc_where_swallowed(c, fn, e) : 0;
    if (swallowed) {
        ok = false;
    } else if (e->u.quant.where) {
        pb_type w = pc_expr(c, fn, e->u.quant.where);
        if (pc_is_void(w)) {
            ok = false;
        } else if (w.kind != PB_T_BOOL || w.optional) {
            PC_ERR(c, &e->u.quant.where->span, PD_E0437, "`where` needs a condition, but this is %s",
                   pc_tn(c, w, b));
            ok = false;
        }
    }
    pb_type result = pc_ty(PB_T_BOOL, false, 0);
    if (e->u.quant.q == PA_Q_COUNT)
        result = pc_ty(PB_T_INT, false, 0);
    if (e->u.quant.q == PA_Q_SUM) {
        /* The value is added only for the elements that pass `where`. */
        pc_narrow *outer = fn->narrow;
        if (e->u.quant.where)
            fn->narrow = pc_narrow_by(c, e->u.quant.where, true, outer);
        pb_type v = pc_expr(c, fn, e->u.quant.value);
        fn->narrow = outer;
        if (pc_is_void(v)) {
            ok = false;
        } else if (!pc_numeric(v)) {
            PC_ERR(c, &e->u.quant.value->span, PD_E0438, "`sum` adds numbers, but this is %s", pc_tn(c, v, b));
            ok = false;
        } else if (!pc_require_plain(c, e->u.quant.value, v, "`sum`")) {
            ok = false;
        }
        result = pc_ty(v.kind, false, 0);
    }
    fn->scope = sc.up;
    return ok ? result : pc_void();
}

pb_type pc_expr(pc_ctx *c, pc_fn *fn, pa_expr *e)
{
    /* The parser bounds a tree's height by the same limit; this guards the
     * recursion should a caller hand over a taller tree. */
    if (++fn->depth > c->max_nesting) {
        if (!c->depth_reported) /* not again for each node past the limit */
            PC_ERR(c, &e->span, PD_E0439, "expression nested too deeply (the limit is %u levels)",
                   c->max_nesting);
        c->depth_reported = true;
        fn->depth--;
        return pc_set(e, pc_void());
    }
    pb_type t;
    switch (e->kind) {
    case PA_E_INT: t = pc_ty(PB_T_INT, false, 0); break;
    case PA_E_NUM: t = pc_ty(PB_T_NUM, false, 0); break;
    case PA_E_STR: t = pc_ty(PB_T_TEXT, false, 0); break;
    case PA_E_DATE: t = pc_ty(PB_T_DATE, false, 0); break;
    case PA_E_BOOL: t = pc_ty(PB_T_BOOL, false, 0); break;
    case PA_E_TODAY: t = pc_ty(PB_T_DATE, false, 0); break;
    case PA_E_DURATION: t = pc_duration(c, fn, e); break;
    case PA_E_NONE:
        /* Only meaningful where the surrounding expression gives it a type. */
        t = e->type.kind ? e->type : pc_ty(PB_T_VOID, false, 0);
        if (!e->type.kind)
            PC_ERR(c, &e->span, PD_E0440, "`none` cannot be used here; test for it with `x is none`");
        break;
    case PA_E_NAME: t = pc_name(c, fn, e); break;
    case PA_E_FIELD: t = pc_field_access(c, fn, e); break;
    case PA_E_CALL: t = pc_call(c, fn, e); break;
    case PA_E_LIST:
        PC_ERR(c, &e->span, PD_E0441, "a list like [\"a\", \"b\"] can only be used after `in`");
        t = pc_void();
        break;
    case PA_E_UNARY: t = pc_unary(c, fn, e); break;
    case PA_E_BINARY: t = pc_binary(c, fn, e); break;
    case PA_E_IS_NONE: t = pc_is_none(c, fn, e); break;
    case PA_E_IF: t = pc_if(c, fn, e); break;
    case PA_E_BETWEEN: t = pc_between(c, fn, e); break;
    case PA_E_QUANT: t = pc_quant(c, fn, e); break;
    case PA_E_DATE_PART: t = pc_date_part(c, fn, e); break;
    case PA_E_MAKE_DATE: t = pc_make_date(c, fn, e); break;
    default: t = pc_void(); break;
    }
    fn->depth--;
    return pc_set(e, t);
}
