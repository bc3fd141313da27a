/* The AST constructors of the grammar's actions (build.h). */
#include <inttypes.h>
#include <string.h>

#include "build.h"
#include "util/date.h"
#include "syntax.h"

void *pp_alloc(pp_parser *p, size_t size)
{
    void *m = pm_alloc(p->arena, size);
    if (!m) {
        p->oom = true;
        p->diags->oom = true;
    }
    return m;
}

/* ---- expressions ---------------------------------------------------------- */

uint32_t pp_height(const pa_expr *e) { return e ? e->depth : 0; }

/* The checker and code generator recurse over the tree, so its height is
 * bounded here, where the message can point at the source. */
void pp_check_depth(pp_parser *p, pa_expr *e)
{
    if (e->depth <= p->max_depth || p->depth_reported)
        return;
    p->depth_reported = true;
    pd_diag *d = pd_report(p->diags, PD_E0205, &e->span,
                           "expression is nested too deeply (the limit is %u levels)", p->max_depth);
    pd_note_add(p->diags, d, NULL, "split it into smaller parts with `define`");
}

/* A node with up to three children; its height is one more than theirs. */
pa_expr *pp_node(pp_parser *p, pa_expr_kind kind, ps_span span, const pa_expr *a,
                        const pa_expr *b, const pa_expr *c)
{
    pa_expr *e = pp_alloc(p, sizeof *e);
    if (!e)
        return NULL;
    uint32_t h = pp_height(a);
    if (pp_height(b) > h)
        h = pp_height(b);
    if (pp_height(c) > h)
        h = pp_height(c);
    e->kind = kind;
    e->span = span;
    e->depth = h + 1;
    pp_check_depth(p, e);
    return e;
}

pa_expr *pp_int(pp_parser *p, ps_span span, int64_t v)
{
    pa_expr *e = pp_node(p, PA_E_INT, span, NULL, NULL, NULL);
    if (e)
        e->u.i = v;
    return e;
}

pa_expr *pp_is_none(pp_parser *p, ps_span span, pa_expr *a, bool negated)
{
    pa_expr *e = pp_node(p, PA_E_IS_NONE, span, a, NULL, NULL);
    if (e) {
        e->u.isnone.a = a;
        e->u.isnone.negated = negated;
    }
    return e;
}

pa_expr *pp_text(pp_parser *p, ps_span span, pp_str s)
{
    pa_expr *e = pp_node(p, PA_E_STR, span, NULL, NULL, NULL);
    if (e) {
        e->u.str.s = s.s;
        e->u.str.len = s.len;
    }
    return e;
}

pa_expr *pp_unary(pp_parser *p, ps_span span, pa_op op, pa_expr *a)
{
    pa_expr *e = pp_node(p, PA_E_UNARY, span, a, NULL, NULL);
    if (e) {
        e->u.un.op = op;
        e->u.un.a = a;
    }
    return e;
}

pa_expr *pp_binary(pp_parser *p, ps_span span, pa_op op, ps_span op_span, pa_expr *a,
                          pa_expr *b)
{
    pa_expr *e = pp_node(p, PA_E_BINARY, span, a, b, NULL);
    if (e) {
        e->u.bin.op = op;
        e->u.bin.a = a;
        e->u.bin.b = b;
        e->u.bin.op_span = op_span;
    }
    return e;
}

pa_expr *pp_duration(pp_parser *p, ps_span span, int64_t n, pa_unit unit)
{
    pa_expr *e = pp_node(p, PA_E_DURATION, span, NULL, NULL, NULL);
    if (e) {
        e->u.dur.n = n;
        e->u.dur.unit = unit;
    }
    return e;
}

/* `n months`, `(2 * k) years`: a duration whose count is computed. */
pa_expr *pp_count_duration(pp_parser *p, ps_span span, pa_expr *count, pa_unit unit)
{
    pa_expr *e = pp_node(p, PA_E_DURATION, span, count, NULL, NULL);
    if (e) {
        e->u.dur.unit = unit;
        e->u.dur.count = count;
    }
    return e;
}

pa_expr *pp_date_part(pp_parser *p, ps_span span, pa_unit unit, pa_expr *a)
{
    pa_expr *e = pp_node(p, PA_E_DATE_PART, span, a, NULL, NULL);
    if (e) {
        e->u.part.unit = unit;
        e->u.part.a = a;
    }
    return e;
}

/* `31 August of Y` (after NULL) and `1 January following A`: the day and
 * the month are literals, so a day the month never has is reported here. */
pa_expr *pp_named_date(pp_parser *p, ps_span span, pa_expr *day, int month, ps_span month_span,
                       pa_expr *year, pa_expr *after)
{
    static const char *const names[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
    static const int most[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day->u.i < 1 || day->u.i > most[month - 1])
        pd_note_add(p->diags,
                    pd_report(p->diags, PD_E0451, &day->span, "there is no %" PRId64 " %s", day->u.i,
                              names[month - 1]),
                    NULL, "%s has %d days%s", names[month - 1], most[month - 1],
                    month == 2 ? " in a leap year, 28 in the others" : "");
    pa_expr *me = pp_int(p, month_span, month);
    pa_expr *e = pp_node(p, PA_E_MAKE_DATE, span, year ? year : after, NULL, NULL);
    if (!me || !e)
        return NULL;
    e->u.make.form = after ? PA_MAKE_FOLLOWING : PA_MAKE_NAMED;
    e->u.make.d = day;
    e->u.make.m = me;
    e->u.make.y = year;
    e->u.make.after = after;
    e->u.make.month_span = month_span;
    return e;
}

/* `day D of month M of year Y`. */
pa_expr *pp_parts_date(pp_parser *p, ps_span span, pa_expr *d, pa_expr *m, pa_expr *y)
{
    pa_expr *e = pp_node(p, PA_E_MAKE_DATE, span, d, m, y);
    if (e) {
        e->u.make.form = PA_MAKE_PARTS;
        e->u.make.d = d;
        e->u.make.m = m;
        e->u.make.y = y;
        e->u.make.month_span = m->span;
    }
    return e;
}

pa_expr *pp_between(pp_parser *p, ps_span span, pa_unit unit, pa_expr *a, pa_expr *b)
{
    pa_expr *e = pp_node(p, PA_E_BETWEEN, span, a, b, NULL);
    if (e) {
        e->u.between.unit = unit;
        e->u.between.a = a;
        e->u.between.b = b;
    }
    return e;
}

pa_expr *pp_quant(pp_parser *p, ps_span span, pa_quant q, const char *var, ps_span var_span,
                         pa_expr *list, pa_expr *where, pa_expr *value)
{
    pa_expr *e = pp_node(p, PA_E_QUANT, span, list, where, value);
    if (e) {
        e->u.quant.q = q;
        e->u.quant.var = var;
        e->u.quant.var_span = var_span;
        e->u.quant.list = list;
        e->u.quant.where = where;
        e->u.quant.value = value;
    }
    return e;
}

/* A call or a list literal: the node's height covers all its items. */
pa_expr *pp_items_node(pp_parser *p, pa_expr_kind kind, ps_span span, pp_exprs items)
{
    pa_expr *e = pp_alloc(p, sizeof *e);
    if (!e)
        return NULL;
    e->kind = kind;
    e->span = span;
    e->depth = items.depth + 1;
    pp_check_depth(p, e);
    if (kind == PA_E_LIST) {
        e->u.list.items = items.head;
        e->u.list.nitems = items.n;
    } else {
        e->u.call.args = items.head;
        e->u.call.nargs = items.n;
    }
    return e;
}

pp_exprs pp_exprs_one(pa_expr *e)
{
    pp_exprs l = {e, e, 1, e->depth};
    return l;
}

pp_exprs pp_exprs_add(pp_exprs l, pa_expr *e)
{
    l.tail->next = e;
    l.tail = e;
    l.n++;
    if (e->depth > l.depth)
        l.depth = e->depth;
    return l;
}

/* `a < b < c` is parsed so that the message can be precise. */
void pp_chained(pp_parser *p, ps_span op_span)
{
    pd_diag *d = pd_report(p->diags, PD_E0204, &op_span, "comparisons do not chain");
    pd_note_add(p->diags, d, NULL, "compare two values at a time and join the comparisons "
                                   "with `and`, e.g. `18 <= age and age < 65`");
}

/* ---- declarations --------------------------------------------------------- */

pa_decl *pp_decl(pp_parser *p, pa_decl_kind kind, ps_span span, const char *name,
                        ps_span name_span)
{
    pa_decl *d = pp_alloc(p, sizeof *d);
    if (d) {
        d->kind = kind;
        d->span = span;
        d->name = name;
        d->name_span = name_span;
    }
    return d;
}

/* A `program` declaration, closed or not (an unterminated block still
 * gives its requirements, so that later errors are about them). */
/* ---- amending versions -------------------------------------------------------- */

static const char *const pp_amend_phrase[] = {"amends", "the", "previous", "version"};
enum { PP_AMEND_WORDS = sizeof pp_amend_phrase / sizeof pp_amend_phrase[0] };

/* Words left over in a header: not the phrase. */
static void pp_header_words(pp_parser *p, const pp_tail *t)
{
    if (t->words == 0)
        return;
    pd_diag *d = pd_report(p->diags, PD_E0327, &t->words_span,
                           "a program's header takes `effective`, `assuming` and `amends the "
                           "previous version`, not these words");
    pd_note_add(p->diags, d, NULL, "a version that changes the one before it says "
                                   "`amends the previous version`, word for word");
}

pa_decl *pp_program(pp_parser *p, ps_span span, const char *name, ps_span name_span, pp_opt_str title,
                    pp_tail header, pp_pbody body)
{
    pp_header_words(p, &header);
    pa_decl *d = pp_decl(p, PA_D_PROGRAM, span, name, name_span);
    if (d) {
        d->u.program.title = title.s;
        d->u.program.title_span = title.span;
        d->u.program.period = header.period;
        d->u.program.window = header.window;
        d->u.program.assumes = header.ahead;
        d->u.program.attrs = body.ahead;
        d->u.program.reqs = body.rhead;
        d->u.program.amends = header.amends;
        d->u.program.amends_span = header.amends_span;
        d->u.program.changes = body.chead;
    }
    return d;
}

/* One word between a program's title and `{`: the phrase `amends the
 * previous version` is read word by word. */
pp_tail pp_tail_word(pp_parser *p, pp_tail t, const char *word, ps_span span)
{
    if (t.words == 0)
        t.words_span = span;
    else
        t.words_span.end = span.end;
    if (t.words < 0 || strcmp(word, pp_amend_phrase[t.words]) != 0) {
        t.words = -1;
        return t;
    }
    if (++t.words < PP_AMEND_WORDS)
        return t;
    t.words = 0;
    if (t.amends)
        pp_twice(p, "amends the previous version", t.words_span, t.amends_span);
    else {
        t.amends = true;
        t.amends_span = t.words_span;
    }
    return t;
}

/* `drop "label"`, read by the grammar as an attribute named `drop`: the
 * change it is, or NULL for any other attribute. */
pa_change *pp_drop(pp_parser *p, const pa_attr *a)
{
    if (strcmp(a->name, "drop") != 0 || !a->value || a->value->kind != PA_E_STR)
        return NULL;
    pa_change *c = pp_alloc(p, sizeof *c);
    if (!c)
        return NULL; /* the attribute stays: the checker reports it */
    c->drop = true;
    c->label = a->value->u.str.s;
    c->label_span = a->value->span;
    c->span = (ps_span){a->span.file, a->span.start, a->value->span.end};
    return c;
}

/* `replace "label": CONDITION ...`; another word before a label and `:` is
 * reported, and the change dropped (its label NULL). */
pa_change *pp_replace(pp_parser *p, ps_span span, const char *word, ps_span word_span, const char *label,
                      ps_span label_span, pa_req *body, pp_tail tail)
{
    pa_change *c = pp_alloc(p, sizeof *c);
    if (!c)
        return NULL;
    c->span = span;
    c->label_span = label_span;
    if (strcmp(word, "replace") != 0) {
        pd_diag *d = pd_report(p->diags, PD_E0327, &word_span,
                               "`%s` does not start a requirement: a program's requirement starts "
                               "with `require`, `prefer` or `advise`", word);
        pd_note_add(p->diags, d, NULL, "in a version that amends the previous version, "
                                       "`replace \"...\": ...` changes a requirement it inherits");
        return c;
    }
    c->label = label;
    c->req = pp_labelled(body, PA_REQUIRE, span, label, label_span, tail);
    return c;
}

void pp_append_decl(pp_parser *p, pa_decl *d)
{
    if (p->tail)
        p->tail->next = d;
    else
        p->head = d;
    p->tail = d;
}

void pp_define_failed(pp_parser *p)
{
    if (!p->defining)
        return;
    pa_decl *d = pp_decl(p, PA_D_DEFINE, p->defining_span, p->defining, p->defining_span);
    pa_expr *body = pp_node(p, PA_E_BOOL, p->defining_span, NULL, NULL, NULL);
    p->defining = NULL;
    if (!d || !body) {
        p->oom = true;
        return;
    }
    d->u.define.body = body;
    d->u.define.failed = true;
    pp_append_decl(p, d);
}

pa_req *pp_leaf(pp_parser *p, pa_expr *cond)
{
    pa_req *r = pp_alloc(p, sizeof *r);
    if (r) {
        r->group = PA_LEAF;
        r->cond = cond;
        r->span = cond->span;
    }
    return r;
}

pa_req *pp_use(pp_parser *p, ps_span span, const char *name, ps_span name_span)
{
    pa_req *r = pp_alloc(p, sizeof *r);
    if (r) {
        r->role = PA_REQUIRE;
        r->group = PA_USE;
        r->use = name;
        r->label = name;
        r->label_span = name_span;
        r->span = span;
        r->period.span = span;
        r->period.from = PA_DATE_OPEN_FROM;
        r->period.until = PA_DATE_OPEN_UNTIL;
    }
    return r;
}

pa_req *pp_group(pp_parser *p, ps_span span, pa_group g, pa_req *members)
{
    pa_req *r = pp_alloc(p, sizeof *r);
    if (r) {
        r->group = g;
        r->members = members;
        r->span = span;
    }
    return r;
}

/* Completes a requirement or group member around its body. */
pa_req *pp_labelled(pa_req *r, pa_role role, ps_span span, const char *label,
                           ps_span label_span, pp_tail tail)
{
    r->role = role;
    r->span = span;
    r->label = label;
    r->label_span = label_span;
    r->cite = tail.cite.s;
    r->cite_name = tail.cite_name;
    r->cite_span = tail.cite.span;
    r->period = tail.period;
    r->assumes = tail.ahead;
    r->arrange = tail.arrange.s;
    r->arrange_span = tail.arrange.span;
    return r;
}

/* `program x { ...` without its `}` before the next declaration or the end
 * of the file: the block ends there, so that what follows is still read. */
void pp_unterminated(pp_parser *p, pp_block block, ps_span brace)
{
    pp_lex *lx = p->lex;
    const pp_tok *la = &lx->hist[0];
    if (lx->stop)
        return; /* the scanner gave up (and said why): the end is not real */
    pp_report_unterminated(p, block, &la->span, la->kind, &brace);
    /* The scanner still counts this brace as open. */
    if (lx->braces && lx->braces->span.start == brace.start) {
        pp_brace *b = lx->braces;
        lx->braces = b->up;
        b->up = lx->spare;
        lx->spare = b;
        if (lx->depth)
            lx->depth--;
    }
}

pa_field *pp_field(pp_parser *p, const char *name, ps_span span, pa_typeref type,
                          pa_expr *def)
{
    pa_field *f = pp_alloc(p, sizeof *f);
    if (f) {
        f->name = name;
        f->span = span;
        f->type = type;
        f->def = def;
    }
    return f;
}

pa_grant *pp_grant(pp_parser *p, ps_span span, const char *here, ps_span here_span)
{
    (void)here; /* the scanner gives `granted` only before `here` */
    (void)here_span;
    pa_grant *g = pp_alloc(p, sizeof *g);
    if (g)
        g->span = span;
    return g;
}

pa_gkey *pp_grant_key(pp_parser *p, const char *key, ps_span key_span, const char *field, ps_span field_span)
{
    pa_gkey *k = pp_alloc(p, sizeof *k);
    if (k) {
        k->key = key;
        k->key_span = key_span;
        k->field = field;
        k->field_span = field_span;
    }
    return k;
}

void pp_grant_key_add(pa_grant *g, pa_gkey *k)
{
    if (g->keys_tail)
        g->keys_tail->next = k;
    else
        g->keys = k;
    g->keys_tail = k;
}

pa_typeref pp_type(pa_type_form form, const char *name, bool optional, ps_span span)
{
    pa_typeref t = {form, name, optional, span, NULL, span};
    return t;
}

/* `T in K`: the values of type t are listed by `known K`. */
pa_typeref pp_type_in(pa_typeref t, const char *known, ps_span known_span)
{
    t.known = known;
    t.known_span = known_span;
    return t;
}

/* ---- effective dates, assumptions, citations -------------------------------- */

pp_tail pp_tail_empty(ps_span at)
{
    pp_tail t = {{NULL, at}, NULL, {false, PA_DATE_OPEN_FROM, PA_DATE_OPEN_UNTIL, at}, NULL, NULL,
                 false, at, 0, at, {false, PA_DATE_OPEN_FROM, PA_DATE_OPEN_UNTIL, at, at, at}, {NULL, at}};
    return t;
}

pa_period pp_period(ps_span span, int32_t from, int32_t until)
{
    pa_period r = {true, from, until, span};
    return r;
}

/* A clause written twice keeps the first; the second is an error that
 * points back at it. */
void pp_twice(pp_parser *p, const char *what, ps_span again, ps_span first)
{
    pd_diag *d = pd_report(p->diags, PD_E0207, &again, "`%s` is given twice", what);
    pd_note_add(p->diags, d, &first, "first given here");
}

/* `>=` or `<=` after a field's type: the first of each counts. */
void pp_bound_once(pp_parser *p, pa_expr **bound, const char *op, ps_span op_span, pa_expr *value)
{
    if (*bound)
        pp_twice(p, op, op_span, (*bound)->span);
    else
        *bound = value;
}

/* `citing` between a program's title and its `{`: citations belong to what
 * they support, the requirements. */
void pp_program_citing(pp_parser *p, ps_span citing)
{
    pd_report(p->diags, PD_E0209, &citing,
           "a program has no citation of its own: cite its requirements");
}

pp_tail pp_tail_cite(pp_parser *p, pp_tail t, const char *s, ps_span span)
{
    if (t.cite.s || t.cite_name)
        pp_twice(p, "citing", span, t.cite.span);
    else
        t.cite = (pp_opt_str){s, span};
    return t;
}

/* `citing NAME`: the checker finds the `source` it names. */
pp_tail pp_tail_cite_name(pp_parser *p, pp_tail t, const char *name, ps_span span)
{
    if (t.cite.s || t.cite_name)
        pp_twice(p, "citing", span, t.cite.span);
    else {
        t.cite_name = name;
        t.cite.span = span;
    }
    return t;
}

pp_tail pp_tail_arrange(pp_parser *p, pp_tail t, const char *s, ps_span span)
{
    if (t.arrange.s)
        pp_twice(p, "arrange", span, t.arrange.span);
    else
        t.arrange = (pp_opt_str){s, span};
    return t;
}

pp_tail pp_tail_period(pp_parser *p, pp_tail t, pa_period period)
{
    if (t.period.given)
        pp_twice(p, "effective", period.span, t.period.span);
    else
        t.period = period;
    return t;
}

/* ---- enrolment windows ------------------------------------------------------ */

pa_window pp_window(ps_span span, pp_wday opens, pp_wday closes)
{
    pa_window w = {true, opens.day, closes.day, span, opens.span, closes.span};
    if (opens.day == PA_DATE_OPEN_FROM)
        w.opens_span.end = w.opens_span.start;
    if (closes.day == PA_DATE_OPEN_UNTIL)
        w.closes_span.start = w.closes_span.end;
    return w;
}

pp_wday pp_wday_shift(pp_parser *p, ps_span span, int32_t day, int sign, int64_t n, pa_unit unit)
{
    static const char *const units[] = {"days", "months", "years"};
    int32_t out;
    /* n is a literal (at most INT64_MAX): negating it cannot overflow. */
    if (pu_date_add(day, sign * n, (pu_unit)unit, &out) && out >= pu_from_ymd(PU_YEAR_MIN, 1, 1) &&
        out <= pu_from_ymd(PU_YEAR_MAX, 12, 31))
        return (pp_wday){out, span};
    pd_diag *d = pd_report(p->diags, PD_E0473, &span,
                           "this day is outside the years %d-%d that a date may take", PU_YEAR_MIN,
                           PU_YEAR_MAX);
    pd_note_add(p->diags, d, NULL, "a window's end is a date, or a date %s a number of %s",
                sign < 0 ? "minus" : "plus", units[unit]);
    return (pp_wday){day, span};
}

pp_tail pp_tail_window(pp_parser *p, pp_tail t, ps_span kw_span, const char *word, ps_span word_span,
                       pa_window w, ps_span clause)
{
    if (strcmp(word, "open") != 0) {
        /* The keyword as written: the two spellings differ in length. */
        const char *kw = kw_span.end - kw_span.start == 10 ? "enrollment" : "enrolment";
        pd_diag *d = pd_report(p->diags, PD_E0472, &word_span, "expected `open` after `%s`, found `%s`", kw, word);
        pd_note_add(p->diags, d, NULL, "an enrolment window reads `%s open from D until D`", kw);
        return t;
    }
    w.span = clause;
    if (t.window.given)
        pp_twice(p, "enrolment open", clause, t.window.span);
    else
        t.window = w;
    return t;
}

bool pp_tail_assume(pp_parser *p, pp_tail *t, const char *reason, ps_span span)
{
    pa_assume *a = pp_alloc(p, sizeof *a);
    if (!a)
        return false;
    a->reason = reason;
    a->span = span;
    PP_APPEND(*t, ahead, atail, a);
    return true;
}

/* ---- test data ------------------------------------------------------------- */

pa_value *pp_value(pp_parser *p, pa_value_kind kind, ps_span span)
{
    pa_value *v = pp_alloc(p, sizeof *v);
    if (v) {
        v->kind = kind;
        v->span = span;
    }
    return v;
}

pa_facts_ref pp_facts_ref(const char *base, ps_span base_span, pa_value *with, ps_span span)
{
    pa_facts_ref r = {base, base_span, with, span};
    return r;
}

/* `expect p WORD...`: the outcome words are checked here so that a typo gets
 * a sentence, not a list of tokens. */
bool pp_word_is(pp_parser *p, const char *word, const char *want, ps_span span)
{
    if (strcmp(word, want) == 0)
        return true;
    pd_report(p->diags, PD_E0208, &span,
              "expected `eligible`, `not eligible`, `not yet in force`, `withdrawn`, `not yet open` or `closed` "
              "after the program name, found `%s`", word);
    return false;
}

pa_expect *pp_new_expect(pp_parser *p, pa_expect_kind kind, ps_span span)
{
    pa_expect *x = pp_alloc(p, sizeof *x);
    if (x) {
        x->kind = kind;
        x->span = span;
    }
    return x;
}

/* `WORD of DATE` in a test, which is `as of DATE` or a mistake; the first
 * `as of` counts. */
void pp_test_as_of(pp_parser *p, pa_decl *test, const char *word, ps_span word_span, int32_t date,
                   ps_span date_span)
{
    if (strcmp(word, "as") != 0) {
        pd_report(p->diags, PD_E0201, &word_span,
               "unexpected `%s`; expected `as of`, `given` or `expect`", word);
    } else if (test->u.test.has_as_of) {
        ps_span clause = word_span;
        clause.end = date_span.end;
        pp_twice(p, "as of", clause, test->u.test.as_of_span);
    } else {
        test->u.test.has_as_of = true;
        test->u.test.as_of = date;
        test->u.test.as_of_span = date_span;
    }
}

/* `given FACTS` in a test; the first counts. */
void pp_test_given(pp_parser *p, pa_decl *test, pa_facts_ref given)
{
    if (test->u.test.has_given) {
        pp_twice(p, "given", given.span, test->u.test.given.span);
    } else {
        test->u.test.has_given = true;
        test->u.test.given = given;
    }
}

/* An `expect` in a test; x is NULL when its outcome words were wrong (and
 * reported): the test still counts as having expectations. */
void pp_test_expect(pp_tbody *b, pa_expect *x)
{
    b->test->u.test.expects_written = true;
    if (!x)
        return;
    if (b->tail)
        b->tail->next = x;
    else
        b->test->u.test.expects = x;
    b->tail = x;
}

/* `prefer unmet` or `advise` in an expectation: the second of a kind is
 * reported and ignored. */
void pp_clause_once(pp_parser *p, pp_clause *c, const char *what, ps_span span, pp_labels labels)
{
    if (c->has) {
        pp_twice(p, what, span, c->span);
        return;
    }
    c->has = true;
    c->labels = labels;
    c->span = span;
}

/* Completes `expect PROGRAM outcome ...` (x holds the outcome). */
void pp_expect_of(pa_expect *x, const char *program, ps_span program_span, ps_span span,
                  pp_xtail tail)
{
    x->program = program;
    x->program_span = program_span;
    x->span = span;
    x->has_pref = tail.pref.has;
    x->pref = tail.pref.labels.head;
    x->npref = tail.pref.labels.n;
    x->has_advice = tail.advice.has;
    x->advice = tail.advice.labels.head;
    x->nadvice = tail.advice.labels.n;
    x->has_awaiting = tail.awaiting.has;
    x->awaiting = tail.awaiting.labels.head;
    x->nawaiting = tail.awaiting.labels.n;
}

pa_expect *pp_expect_value(pp_parser *p, const char *name, ps_span name_span, ps_span span,
                           const pp_values *args, pa_value *value)
{
    pa_expect *x = pp_new_expect(p, PA_X_VALUE, span);
    if (!x)
        return NULL;
    x->program = name;
    x->program_span = name_span;
    x->value = value;
    if (args) {
        x->has_args = true;
        x->args = args->head;
        x->nargs = args->n;
    }
    return x;
}

/* ---- requirements a person decides ------------------------------------------ */

pa_req *pp_decided(pp_parser *p, ps_span span, const char *who, ps_span who_span, const char *key,
                   ps_span key_span)
{
    pa_req *r = pp_alloc(p, sizeof *r);
    if (r) {
        r->group = PA_LEAF;
        r->span = span;
        r->decided_by = who;
        r->decided_span = span;
        r->by_span = who_span;
        r->decision_key = key;
        r->key_span = key_span;
        r->key_given = key != NULL;
    }
    return r;
}

/* The loop variable of the made conditions: a name no rule can write, so
 * it hides nothing the author wrote. */
#define PP_DECISION_VAR "the decision"

static pa_expr *pp_decision_field(pp_parser *p, ps_span at, const char *name)
{
    pa_expr *var = pp_node(p, PA_E_NAME, at, NULL, NULL, NULL);
    if (!var)
        return NULL;
    var->u.name.name = PP_DECISION_VAR;
    pa_expr *e = pp_node(p, PA_E_FIELD, at, var, NULL, NULL);
    if (e) {
        e->u.field.obj = var;
        e->u.field.name = name;
        e->u.field.name_span = at;
    }
    return e;
}

/* `any the decision in decisions where the decision.key = KEY [and the
 * decision.accepted]`. */
static pa_expr *pp_decision_any(pp_parser *p, ps_span at, const char *key, bool accepted)
{
    pa_expr *list = pp_node(p, PA_E_NAME, at, NULL, NULL, NULL);
    pa_expr *k = pp_decision_field(p, at, "key");
    pa_expr *text = pp_text(p, at, (pp_str){key, (uint32_t)strlen(key)});
    if (!list || !k || !text)
        return NULL;
    list->u.name.name = "decisions";
    pa_expr *where = pp_binary(p, at, PA_OP_EQ, at, k, text);
    if (where && accepted) {
        pa_expr *yes = pp_decision_field(p, at, "accepted");
        where = yes ? pp_binary(p, at, PA_OP_AND, at, where, yes) : NULL;
    }
    if (!where)
        return NULL;
    return pp_quant(p, at, PA_Q_ANY, PP_DECISION_VAR, at, list, where, NULL);
}

bool pp_decision(pp_parser *p, pa_req *r)
{
    if (!r->decided_by)
        return true;
    if (!r->key_given)
        r->decision_key = r->label;
    ps_span at = r->decided_span;
    /* cond: a yes is recorded. decision: if yes then 1 else if recorded then 2 else 0. */
    r->cond = pp_decision_any(p, at, r->decision_key, true);
    pa_expr *recorded = pp_decision_any(p, at, r->decision_key, false);
    pa_expr *one = pp_int(p, at, 1), *two = pp_int(p, at, 2), *zero = pp_int(p, at, 0);
    if (!r->cond || !recorded || !one || !two || !zero)
        return false;
    pa_expr *inner = pp_node(p, PA_E_IF, at, recorded, two, zero);
    if (!inner)
        return false;
    inner->u.cond.c = recorded, inner->u.cond.a = two, inner->u.cond.b = zero;
    pa_expr *yes = pp_decision_any(p, at, r->decision_key, true);
    if (!yes)
        return false;
    r->decision = pp_node(p, PA_E_IF, at, yes, one, inner);
    if (!r->decision)
        return false;
    r->decision->u.cond.c = yes, r->decision->u.cond.a = one, r->decision->u.cond.b = inner;
    return true;
}
