/* The parser (grammar/parser.y) and the front end's driver (src/front/parse.c):
 * the tree built for every construct of the grammar summary, precedence and
 * the ambiguous cases, spans, the exact syntax-error messages, recovery, the
 * limits, and includes (dedupe, cycles, missing files) with real files. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "front/parse.h"
#include "util/date.h"

typedef struct fx {
    pm_arena arena;
    ps_sources src;
    pd_list diags;
    pa_decl *decls;
    bool ok;
} fx;

static void fx_init(fx *f)
{
    pm_init(&f->arena, 0);
    ps_init(&f->src, &f->arena);
    pd_init(&f->diags, &f->arena, 0);
    f->decls = NULL;
    f->ok = false;
}

static void fx_free(fx *f)
{
    ps_fini(&f->src);
    pm_free(&f->arena);
}

static void parse_with(fx *f, const char *text, const pp_limits *limits)
{
    fx_init(f);
    int file = ps_add(&f->src, "t.pw", NULL, text, strlen(text));
    ck_assert_int_ge(file, 0);
    f->ok = pp_parse_text(&f->arena, &f->src, (uint32_t)file, &f->diags, limits, &f->decls);
}

static void parse(fx *f, const char *text) { parse_with(f, text, NULL); }

/* The source text a span covers. */
static const char *span_text(fx *f, ps_span s)
{
    static _Thread_local char buf[256];
    const ps_file *file = &f->src.files[s.file];
    size_t n = s.end - s.start;
    ck_assert_uint_le(s.end, file->len);
    ck_assert_uint_lt(n, sizeof buf);
    memcpy(buf, file->text + s.start, n);
    buf[n] = '\0';
    return buf;
}

/* ---- the tree as an S-expression ------------------------------------------------- */

static const char *op_name(pa_op op)
{
    static const char *const names[] = {"not", "neg", "and", "or", "=", "!=", "<", "<=",
                                        ">", ">=", "+", "-", "*", "in", "otherwise"};
    return names[op];
}

static const char *unit_name(pa_unit u)
{
    return u == PA_YEARS ? "years" : u == PA_MONTHS ? "months" : "days";
}

static void sx(pd_buf *b, const pa_expr *e);

static void sx_list(pd_buf *b, const pa_expr *e)
{
    for (; e; e = e->next) {
        pd_buf_printf(b, " ");
        sx(b, e);
    }
}

static void sx(pd_buf *b, const pa_expr *e)
{
    static const char *const quants[] = {"any", "all", "count", "sum"};
    char date[11];
    switch (e->kind) {
    case PA_E_INT: pd_buf_printf(b, "%lld", (long long)e->u.i); break;
    case PA_E_NUM: pd_buf_printf(b, "%g", e->u.n); break;
    case PA_E_STR: pd_buf_printf(b, "\"%s\"", e->u.str.s); break;
    case PA_E_DATE: pu_date_format(e->u.date, date); pd_buf_printf(b, "%s", date); break;
    case PA_E_BOOL: pd_buf_printf(b, "%s", e->u.b ? "true" : "false"); break;
    case PA_E_NONE: pd_buf_printf(b, "none"); break;
    case PA_E_TODAY: pd_buf_printf(b, "today"); break;
    case PA_E_DURATION:
        if (e->u.dur.count) {
            pd_buf_printf(b, "(");
            sx(b, e->u.dur.count);
            pd_buf_printf(b, " %s)", unit_name(e->u.dur.unit));
        } else {
            pd_buf_printf(b, "(%lld %s)", (long long)e->u.dur.n, unit_name(e->u.dur.unit));
        }
        break;
    case PA_E_DATE_PART:
        pd_buf_printf(b, "(%s-of ", unit_name(e->u.part.unit));
        sx(b, e->u.part.a);
        pd_buf_printf(b, ")");
        break;
    case PA_E_MAKE_DATE:
        pd_buf_printf(b, "(date ");
        sx(b, e->u.make.d);
        pd_buf_printf(b, " ");
        sx(b, e->u.make.m);
        pd_buf_printf(b, e->u.make.after ? " following " : " ");
        sx(b, e->u.make.after ? e->u.make.after : e->u.make.y);
        pd_buf_printf(b, ")");
        break;
    case PA_E_NAME: pd_buf_printf(b, "%s", e->u.name.name); break;
    case PA_E_FIELD:
        pd_buf_printf(b, "(. ");
        sx(b, e->u.field.obj);
        pd_buf_printf(b, " %s)", e->u.field.name);
        break;
    case PA_E_CALL:
        pd_buf_printf(b, "(call %s", e->u.call.name);
        sx_list(b, e->u.call.args);
        pd_buf_printf(b, ")");
        break;
    case PA_E_LIST:
        pd_buf_printf(b, "(list");
        sx_list(b, e->u.list.items);
        pd_buf_printf(b, ")");
        break;
    case PA_E_UNARY:
        pd_buf_printf(b, "(%s ", op_name(e->u.un.op));
        sx(b, e->u.un.a);
        pd_buf_printf(b, ")");
        break;
    case PA_E_BINARY:
        pd_buf_printf(b, "(%s ", op_name(e->u.bin.op));
        sx(b, e->u.bin.a);
        pd_buf_printf(b, " ");
        sx(b, e->u.bin.b);
        pd_buf_printf(b, ")");
        break;
    case PA_E_IS_NONE:
        pd_buf_printf(b, "(%s ", e->u.isnone.negated ? "is-not-none" : "is-none");
        sx(b, e->u.isnone.a);
        pd_buf_printf(b, ")");
        break;
    case PA_E_IF:
        pd_buf_printf(b, "(if ");
        sx(b, e->u.cond.c);
        pd_buf_printf(b, " ");
        sx(b, e->u.cond.a);
        pd_buf_printf(b, " ");
        sx(b, e->u.cond.b);
        pd_buf_printf(b, ")");
        break;
    case PA_E_BETWEEN:
        pd_buf_printf(b, "(%s-%s ", unit_name(e->u.between.unit),
                      e->u.between.b ? "between" : "since");
        sx(b, e->u.between.a);
        if (e->u.between.b) {
            pd_buf_printf(b, " ");
            sx(b, e->u.between.b);
        }
        pd_buf_printf(b, ")");
        break;
    case PA_E_QUANT:
        pd_buf_printf(b, "(%s %s ", quants[e->u.quant.q], e->u.quant.var);
        if (e->u.quant.value) {
            sx(b, e->u.quant.value);
            pd_buf_printf(b, " ");
        }
        sx(b, e->u.quant.list);
        if (e->u.quant.where) {
            pd_buf_printf(b, " where ");
            sx(b, e->u.quant.where);
        }
        pd_buf_printf(b, ")");
        break;
    }
}

/* Parses `define x = <expr>` and returns the body. */
static pa_expr *parse_expr(fx *f, const char *expr)
{
    char text[512];
    snprintf(text, sizeof text, "define x = %s", expr);
    parse(f, text);
    ck_assert_msg(f->ok, "`%s` does not parse: %s", expr,
                  f->diags.head ? f->diags.head->message : "?");
    ck_assert_ptr_nonnull(f->decls);
    ck_assert_int_eq(f->decls->kind, PA_D_DEFINE);
    ck_assert_ptr_null(f->decls->next);
    return f->decls->u.define.body;
}

/* ---- expressions ------------------------------------------------------------------ */

static const struct {
    const char *src;
    const char *tree;
} exprs[] = {
    /* primaries */
    {"18", "18"}, {"2.5", "2.5"}, {"\"text\"", "\"text\""}, {"2026-03-01", "2026-03-01"},
    {"true", "true"}, {"false", "false"}, {"none", "none"}, {"today", "today"},
    {"age", "age"}, {"(age)", "age"}, {"[]", "(list)"},
    {"[1, \"a\", 2026-01-02]", "(list 1 \"a\" 2026-01-02)"},
    /* durations and counting time */
    {"2 years", "(2 years)"}, {"1 year", "(1 years)"}, {"6 months", "(6 months)"},
    {"1 month", "(1 months)"}, {"30 days", "(30 days)"}, {"1 day", "(1 days)"},
    {"years since birth", "(years-since birth)"},
    {"days between a and b", "(days-between a b)"},
    {"months between start and end", "(months-between start end)"},
    /* `since` and `between` reach over `otherwise` and arithmetic, not further */
    {"years since birth >= 18", "(>= (years-since birth) 18)"},
    {"years since a.start otherwise today", "(years-since (otherwise (. a start) today))"},
    {"years between a and b and c", "(and (years-between a b) c)"},
    {"years between a otherwise today and b + 1",
     "(years-between (otherwise a today) (+ b 1))"},
    {"x and years between a and b > 2 or y", "(or (and x (> (years-between a b) 2)) y)"},
    {"(years since a) + 1", "(+ (years-since a) 1)"},
    /* issue 17's date forms: a computed count, the parts of a date, dates
     * from parts; their operands end before any operator */
    {"today - n months", "(- today (n months))"},
    {"today - (2 * k) years", "(- today ((* 2 k) years))"},
    {"year of today + 1", "(+ (years-of today) 1)"},
    {"month of a.start", "(months-of (. a start))"},
    {"day of f(x) < 15", "(< (days-of (call f x)) 15)"},
    {"31 August of course_year", "(date 31 8 course_year)"},
    {"1 January of (year of d + 1)", "(date 1 1 (+ (years-of d) 1))"},
    {"31 August of year of today", "(date 31 8 (years-of today))"},
    {"1 January following c.issued + 5 years", "(+ (date 1 1 following (. c issued)) (5 years))"},
    {"day d of month m of year y", "(date d m y)"},
    /* fields and calls */
    {"a.b", "(. a b)"}, {"a.b.c", "(. (. a b) c)"}, {"f()", "(call f)"},
    {"member(\"usatf\")", "(call member \"usatf\")"}, {"max(a, b + 1)", "(call max a (+ b 1))"},
    {"f(x).y", "(. (call f x) y)"}, {"(a).b", "(. a b)"},
    /* arithmetic */
    {"a + b * c", "(+ a (* b c))"}, {"a * b + c", "(+ (* a b) c)"},
    {"a - b - c", "(- (- a b) c)"}, {"a - (b - c)", "(- a (- b c))"},
    {"-a * b", "(* (neg a) b)"}, {"- - a", "(neg (neg a))"}, {"-5", "(neg 5)"},
    {"a - -1", "(- a (neg 1))"}, {"-a.b", "(neg (. a b))"},
    {"birth + 18 years", "(+ birth (18 years))"},
    /* otherwise sits between comparisons and arithmetic */
    {"a otherwise b + c", "(otherwise a (+ b c))"},
    {"a + b otherwise c", "(otherwise (+ a b) c)"},
    {"a otherwise b otherwise c", "(otherwise (otherwise a b) c)"},
    {"(m.expires otherwise today) >= today", "(>= (otherwise (. m expires) today) today)"},
    {"a otherwise b = c", "(= (otherwise a b) c)"},
    /* comparisons */
    {"a = b", "(= a b)"}, {"a != b", "(!= a b)"}, {"a < b", "(< a b)"}, {"a <= b", "(<= a b)"},
    {"a > b", "(> a b)"}, {"a >= b", "(>= a b)"}, {"a in s", "(in a s)"},
    {"a in [\"x\", \"y\"]", "(in a (list \"x\" \"y\"))"},
    {"a + 1 >= b * 2", "(>= (+ a 1) (* b 2))"},
    {"a is none", "(is-none a)"}, {"a.b is not none", "(is-not-none (. a b))"},
    {"a + 1 is none", "(is-none (+ a 1))"},
    /* logic */
    {"a or b and c", "(or a (and b c))"}, {"a and b or c", "(or (and a b) c)"},
    {"a and b and c", "(and (and a b) c)"}, {"a or b or c", "(or (or a b) c)"},
    {"not a", "(not a)"}, {"not a and b", "(and (not a) b)"}, {"not a or b", "(or (not a) b)"},
    {"not not a", "(not (not a))"}, {"not a = b", "(not (= a b))"},
    {"not a is none", "(not (is-none a))"},
    {"a = 1 and b != 2 or c in s", "(or (and (= a 1) (!= b 2)) (in c s))"},
    {"(a or b) and c", "(and (or a b) c)"},
    /* if and the quantifiers reach as far right as they can */
    {"if a then b else c", "(if a b c)"},
    {"if a then b else c or d", "(if a b (or c d))"},
    {"if a or b then c + 1 else d", "(if (or a b) (+ c 1) d)"},
    {"a and if b then c else d", "(and a (if b c d))"},
    {"if a then if b then c else d else e", "(if a (if b c d) e)"},
    {"(if a then b else c) + 1", "(+ (if a b c) 1)"},
    {"any m in ms where m.ok", "(any m ms where (. m ok))"},
    {"all c in certs where c.current and c.level >= 2",
     "(all c certs where (and (. c current) (>= (. c level) 2)))"},
    {"count c in certs", "(count c certs)"},
    {"count c in certs where c.ok", "(count c certs where (. c ok))"},
    {"(count c in certs where c.ok) >= 2", "(>= (count c certs where (. c ok)) 2)"},
    {"count c in certs where c.level > 2", "(count c certs where (> (. c level) 2))"},
    {"sum c.hours for c in courses", "(sum c (. c hours) courses)"},
    {"sum c.hours for c in courses where c.done", "(sum c (. c hours) courses where (. c done))"},
    {"not any x in l where p or q", "(not (any x l where (or p q)))"},
    {"a and any x in l where p", "(and a (any x l where p))"},
    {"any x in a.items where x in s", "(any x (. a items) where (in x s))"},
    {"any x in l where any y in x.l where y", "(any x l where (any y (. x l) where y))"},
    {"any x in (count y in l where p) where q", "(any x (count y l where p) where q)"},
    /* without `where`, `count` and `sum` end with their list (issue 17) */
    {"count c in certs >= 2", "(>= (count c certs) 2)"},
    {"count c in a.certs + 1 > n", "(> (+ (count c (. a certs)) 1) n)"},
    {"count c in certs(x) = 0 and ok", "(and (= (count c (call certs x)) 0) ok)"},
    {"sum c.h for c in l >= 20 or x", "(or (>= (sum c (. c h) l) 20) x)"},
    {"2 * count c in certs", "(* 2 (count c certs))"},
    /* with `where`, the condition still reaches as far as it can */
    {"count c in certs where c.ok and x", "(count c certs where (and (. c ok) x))"},
    {"any m in memberships where m.body = body and (m.expires otherwise today) >= today",
     "(any m memberships where (and (= (. m body) body) "
     "(>= (otherwise (. m expires) today) today)))"},
};

START_TEST(test_expr)
{
    fx f;
    pa_expr *e = parse_expr(&f, exprs[_i].src);
    pd_buf b = {NULL, 0, 0, false};
    sx(&b, e);
    ck_assert_msg(strcmp(b.data, exprs[_i].tree) == 0, "`%s` parsed as %s, not %s",
                  exprs[_i].src, b.data, exprs[_i].tree);
    pd_buf_free(&b);
    fx_free(&f);
}
END_TEST

/* ---- spans ------------------------------------------------------------------------- */

START_TEST(test_expr_spans)
{
    fx f;
    pa_expr *e = parse_expr(&f, "(a + b) * c.d >= f(x, [1]) and not y is none");
    ck_assert_str_eq(span_text(&f, e->span), "(a + b) * c.d >= f(x, [1]) and not y is none");
    ck_assert_str_eq(span_text(&f, e->u.bin.op_span), "and");
    pa_expr *ge = e->u.bin.a, *not = e->u.bin.b;
    ck_assert_str_eq(span_text(&f, ge->span), "(a + b) * c.d >= f(x, [1])");
    ck_assert_str_eq(span_text(&f, ge->u.bin.op_span), ">=");
    pa_expr *mul = ge->u.bin.a, *call = ge->u.bin.b;
    ck_assert_str_eq(span_text(&f, mul->span), "(a + b) * c.d");
    ck_assert_str_eq(span_text(&f, mul->u.bin.a->span), "(a + b)"); /* with the parentheses */
    ck_assert_str_eq(span_text(&f, mul->u.bin.a->u.bin.op_span), "+");
    ck_assert_str_eq(span_text(&f, mul->u.bin.b->span), "c.d");
    ck_assert_str_eq(span_text(&f, mul->u.bin.b->u.field.name_span), "d");
    ck_assert_str_eq(span_text(&f, call->span), "f(x, [1])");
    ck_assert_str_eq(span_text(&f, call->u.call.name_span), "f");
    ck_assert_uint_eq(call->u.call.nargs, 2);
    ck_assert_str_eq(span_text(&f, call->u.call.args->next->span), "[1]");
    ck_assert_uint_eq(call->u.call.args->next->u.list.nitems, 1);
    ck_assert_str_eq(span_text(&f, not->span), "not y is none");
    ck_assert_str_eq(span_text(&f, not->u.un.a->span), "y is none");
    fx_free(&f);
}
END_TEST

static const struct {
    const char *src;
} whole_spans[] = {
    {"if a then b else c"}, {"any m in ms where m.ok"}, {"count c in certs"},
    {"sum c.h for c in l where c.x"}, {"years since birth"}, {"days between a and b + 1"},
    {"2 years"}, {"- 5"}, {"[1, 2]"}, {"x is not none"}, {"a otherwise b"}, {"\"q\""},
    {"2026-01-01"}, {"f()"},
};

START_TEST(test_whole_span)
{
    fx f;
    pa_expr *e = parse_expr(&f, whole_spans[_i].src);
    ck_assert_str_eq(span_text(&f, e->span), whole_spans[_i].src);
    ck_assert_uint_eq(e->span.file, 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_quant_spans)
{
    fx f;
    pa_expr *e = parse_expr(&f, "sum c.hours for c in courses where c.done");
    ck_assert_int_eq(e->u.quant.q, PA_Q_SUM);
    ck_assert_str_eq(span_text(&f, e->u.quant.var_span), "c");
    ck_assert_uint_eq(e->u.quant.var_span.start, 27); /* the variable, not the `c` in `c.hours` */
    ck_assert_str_eq(span_text(&f, e->u.quant.value->span), "c.hours");
    ck_assert_str_eq(span_text(&f, e->u.quant.list->span), "courses");
    ck_assert_str_eq(span_text(&f, e->u.quant.where->span), "c.done");
    fx_free(&f);
}
END_TEST

START_TEST(test_depth_field)
{
    fx f;
    pa_expr *e = parse_expr(&f, "a + f(b, -c)");
    ck_assert_uint_eq(e->depth, 4); /* + -> call -> neg -> c */
    ck_assert_uint_eq(e->u.bin.a->depth, 1);
    fx_free(&f);
}
END_TEST

/* ---- declarations --------------------------------------------------------------------- */

START_TEST(test_include_decl)
{
    fx f;
    parse(&f, "include \"../common/coach.pw\"\n");
    ck_assert(f.ok);
    pa_decl *d = f.decls;
    ck_assert_int_eq(d->kind, PA_D_INCLUDE);
    ck_assert_str_eq(d->u.include.path, "../common/coach.pw");
    ck_assert_str_eq(span_text(&f, d->u.include.path_span), "\"../common/coach.pw\"");
    ck_assert_str_eq(span_text(&f, d->span), "include \"../common/coach.pw\"");
    ck_assert_ptr_null(d->name);
    fx_free(&f);
}
END_TEST

START_TEST(test_records)
{
    fx f;
    parse(&f, "facts coach {\n"
              "  birth: date\n"
              "  age: integer = 0\n"
              "  note: text? = none\n"
              "  certs: set of text = []\n"
              "  jobs: list of job\n"
              "}\n"
              "record job { title: text  start: date? }\n"
              "record empty { }\n");
    ck_assert(f.ok);
    pa_decl *facts = f.decls, *job = facts->next, *empty = job->next;
    ck_assert_int_eq(facts->kind, PA_D_FACTS);
    ck_assert_str_eq(facts->name, "coach");
    ck_assert_str_eq(span_text(&f, facts->name_span), "coach");
    ck_assert(strncmp(span_text(&f, facts->span), "facts coach {", 13) == 0);
    ck_assert_uint_eq(facts->span.end, (uint32_t)(strstr(f.src.files[0].text, "}\n") -
                                                  f.src.files[0].text) + 1);
    static const struct {
        const char *name, *type;
        pa_type_form form;
        bool optional;
        const char *type_text, *def;
    } want[] = {
        {"birth", "date", PA_TY_NAMED, false, "date", NULL},
        {"age", "integer", PA_TY_NAMED, false, "integer", "0"},
        {"note", "text", PA_TY_NAMED, true, "text?", "none"},
        {"certs", "text", PA_TY_SET, false, "set of text", "[]"},
        {"jobs", "job", PA_TY_LIST, false, "list of job", NULL},
    };
    pa_field *fl = facts->u.record.fields;
    for (size_t i = 0; i < sizeof want / sizeof *want; i++, fl = fl->next) {
        ck_assert_ptr_nonnull(fl);
        ck_assert_str_eq(fl->name, want[i].name);
        ck_assert_str_eq(span_text(&f, fl->span), want[i].name);
        ck_assert_str_eq(fl->type.name, want[i].type);
        ck_assert_int_eq(fl->type.form, want[i].form);
        ck_assert(fl->type.optional == want[i].optional);
        ck_assert_str_eq(span_text(&f, fl->type.span), want[i].type_text);
        if (want[i].def)
            ck_assert_str_eq(span_text(&f, fl->def->span), want[i].def);
        else
            ck_assert_ptr_null(fl->def);
    }
    ck_assert_ptr_null(fl);
    ck_assert_int_eq(job->kind, PA_D_RECORD);
    ck_assert_str_eq(job->u.record.fields->next->name, "start");
    ck_assert(job->u.record.fields->next->type.optional);
    ck_assert_ptr_null(empty->u.record.fields);
    ck_assert_ptr_null(empty->next);
    fx_free(&f);
}
END_TEST

START_TEST(test_defines)
{
    fx f;
    parse(&f, "define adult = age >= 18\n"
              "define now() = today\n"
              "define member(body: text, start: date?): boolean = true\n"
              "define total: integer = 3\n");
    ck_assert(f.ok);
    pa_decl *a = f.decls, *b = a->next, *c = b->next, *d = c->next;
    ck_assert_str_eq(a->name, "adult");
    ck_assert(!a->u.define.has_params);
    ck_assert_ptr_null(a->u.define.params);
    ck_assert_ptr_null(a->u.define.result);
    ck_assert_str_eq(span_text(&f, a->span), "define adult = age >= 18");
    ck_assert(b->u.define.has_params);
    ck_assert_ptr_null(b->u.define.params);
    ck_assert(c->u.define.has_params);
    pa_param *p = c->u.define.params;
    ck_assert_str_eq(p->name, "body");
    ck_assert_str_eq(span_text(&f, p->span), "body");
    ck_assert_str_eq(p->type.name, "text");
    ck_assert_str_eq(p->next->name, "start");
    ck_assert(p->next->type.optional);
    ck_assert_ptr_null(p->next->next);
    ck_assert_str_eq(c->u.define.result->name, "boolean");
    ck_assert_str_eq(span_text(&f, c->u.define.result->span), "boolean");
    ck_assert_int_eq(c->u.define.body->kind, PA_E_BOOL);
    ck_assert_str_eq(d->u.define.result->name, "integer");
    ck_assert(!d->u.define.has_params);
    fx_free(&f);
}
END_TEST

static const char program_src[] =
    "program level_2 \"USATF Level 2 Program\" {\n"
    "  hours 32\n"
    "  format \"blended\"\n"
    "  grants \"usatf-level-2\" valid for 4 years\n"
    "  grants \"plain\"\n"
    "  duration 30 days\n"
    "  fee -5\n"
    "  starts 2026-09-01\n"
    "  open true\n"
    "  require \"USATF membership\": member(\"usatf\")\n"
    "    citing \"USATF membership required.\"\n"
    "  prefer \"adult\": age >= 18\n"
    "  advise \"experience\": at least 2 of {\n"
    "    \"coached\": experience >= 2 citing \"Two years.\"\n"
    "    \"either\": any of { \"x\": a \"y\": b }\n"
    "    \"every\": all of { }\n"
    "  } citing \"Handbook 3.2\"\n"
    "}\n";

START_TEST(test_program)
{
    fx f;
    parse(&f, program_src);
    ck_assert(f.ok);
    pa_decl *d = f.decls;
    ck_assert_int_eq(d->kind, PA_D_PROGRAM);
    ck_assert_str_eq(d->name, "level_2");
    ck_assert_str_eq(d->u.program.title, "USATF Level 2 Program");
    ck_assert_str_eq(span_text(&f, d->u.program.title_span), "\"USATF Level 2 Program\"");
    ck_assert_uint_eq(d->span.start, 0);
    ck_assert_uint_eq(d->span.end, sizeof program_src - 2); /* through the last `}` */

    static const struct {
        const char *name, *value, *validity;
        pa_expr_kind kind;
    } attrs[] = {
        {"hours", "32", NULL, PA_E_INT},
        {"format", "\"blended\"", NULL, PA_E_STR},
        {"grants", "\"usatf-level-2\"", "4 years", PA_E_STR},
        {"grants", "\"plain\"", NULL, PA_E_STR},
        {"duration", "30 days", NULL, PA_E_DURATION},
        {"fee", "-5", NULL, PA_E_UNARY},
        {"starts", "2026-09-01", NULL, PA_E_DATE},
        {"open", "true", NULL, PA_E_BOOL},
    };
    pa_attr *a = d->u.program.attrs;
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++, a = a->next) {
        ck_assert_ptr_nonnull(a);
        ck_assert_str_eq(a->name, attrs[i].name);
        ck_assert_str_eq(span_text(&f, a->span), attrs[i].name);
        ck_assert_str_eq(span_text(&f, a->value->span), attrs[i].value);
        ck_assert_int_eq(a->value->kind, attrs[i].kind);
        if (attrs[i].validity) {
            ck_assert_str_eq(span_text(&f, a->validity->span), attrs[i].validity);
            ck_assert_int_eq(a->validity->u.dur.n, 4);
            ck_assert_int_eq(a->validity->u.dur.unit, PA_YEARS);
        } else {
            ck_assert_ptr_null(a->validity);
        }
    }
    ck_assert_ptr_null(a);
    ck_assert_str_eq(d->u.program.attrs->next->value->u.str.s, "blended");

    pa_req *r = d->u.program.reqs;
    ck_assert_int_eq(r->role, PA_REQUIRE);
    ck_assert_str_eq(r->label, "USATF membership");
    ck_assert_str_eq(span_text(&f, r->label_span), "\"USATF membership\"");
    ck_assert_int_eq(r->group, PA_LEAF);
    ck_assert_int_eq(r->cond->kind, PA_E_CALL);
    ck_assert_str_eq(r->cite, "USATF membership required.");
    ck_assert_str_eq(span_text(&f, r->cite_span), "\"USATF membership required.\"");
    ck_assert(strncmp(span_text(&f, r->span), "require \"USATF membership\"", 26) == 0);
    ck_assert_uint_eq(r->span.end, r->cite_span.end); /* the whole requirement */

    r = r->next;
    ck_assert_int_eq(r->role, PA_PREFER);
    ck_assert_ptr_null(r->cite);
    ck_assert_str_eq(span_text(&f, r->span), "prefer \"adult\": age >= 18");

    r = r->next;
    ck_assert_int_eq(r->role, PA_ADVISE);
    ck_assert_int_eq(r->group, PA_AT_LEAST);
    ck_assert_int_eq(r->min, 2);
    ck_assert_str_eq(span_text(&f, r->min_span), "2");
    ck_assert_str_eq(r->cite, "Handbook 3.2");
    ck_assert_ptr_null(r->next);
    pa_req *m = r->members;
    ck_assert_int_eq(m->role, PA_MEMBER);
    ck_assert_str_eq(m->label, "coached");
    ck_assert_str_eq(m->cite, "Two years.");
    ck_assert_str_eq(span_text(&f, m->span), "\"coached\": experience >= 2 citing \"Two years.\"");
    m = m->next;
    ck_assert_int_eq(m->group, PA_ANY_OF);
    ck_assert_str_eq(span_text(&f, m->span), "\"either\": any of { \"x\": a \"y\": b }");
    ck_assert_str_eq(m->members->label, "x");
    ck_assert_str_eq(m->members->next->label, "y");
    ck_assert_int_eq(m->members->next->role, PA_MEMBER);
    ck_assert_ptr_null(m->members->next->next);
    m = m->next;
    ck_assert_int_eq(m->group, PA_ALL_OF);
    ck_assert_ptr_null(m->members);
    ck_assert_ptr_null(m->next);
    fx_free(&f);
}
END_TEST

START_TEST(test_program_minimal)
{
    fx f;
    parse(&f, "program p { }\nprogram q {}");
    ck_assert(f.ok);
    ck_assert_ptr_null(f.decls->u.program.title);
    ck_assert_ptr_null(f.decls->u.program.attrs);
    ck_assert_ptr_null(f.decls->u.program.reqs);
    ck_assert_str_eq(f.decls->next->name, "q");
    fx_free(&f);
}
END_TEST

START_TEST(test_empty_file)
{
    fx f;
    parse(&f, "  # nothing here\n");
    ck_assert(f.ok);
    ck_assert_ptr_null(f.decls);
    ck_assert_uint_eq(f.diags.errors, 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_appends)
{
    /* pp_parse_text appends to what the list holds already */
    fx f;
    fx_init(&f);
    int a = ps_add(&f.src, "a.pw", NULL, "define a = 1", 12);
    int b = ps_add(&f.src, "b.pw", NULL, "define b = 2 define c = 3", 25);
    ck_assert(pp_parse_text(&f.arena, &f.src, (uint32_t)a, &f.diags, NULL, &f.decls));
    ck_assert(pp_parse_text(&f.arena, &f.src, (uint32_t)b, &f.diags, NULL, &f.decls));
    ck_assert_str_eq(f.decls->name, "a");
    ck_assert_str_eq(f.decls->next->name, "b");
    ck_assert_uint_eq(f.decls->next->span.file, (uint32_t)b);
    ck_assert_str_eq(f.decls->next->next->name, "c");
    ck_assert(!pp_parse_text(&f.arena, &f.src, 9, &f.diags, NULL, &f.decls));
    fx_free(&f);
}
END_TEST

/* ---- effective dates, examples and tests ---------------------------------------- */

static int32_t ymd(int y, int m, int d) { return pu_from_ymd(y, m, d); }

/* The reasons of an `assuming` list, joined with "|". */
static const char *assumes_text(const pa_assume *a)
{
    static _Thread_local char buf[256];
    buf[0] = '\0';
    for (; a; a = a->next) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", n ? "|" : "", a->reason);
    }
    return buf;
}

static const char effective_src[] =
    "program p \"Level 2\" effective from 2026-06-01 until 2027-08-31\n"
    "    assuming \"the 2026 handbook\" assuming \"dates from the board\" {\n"
    "  hours 8\n"
    "  require \"adult\": age >= 18 effective from 2026-09-01\n"
    "  require \"member\": member citing \"4.1\" effective until 2027-01-31 assuming \"why\"\n"
    "  require \"both\": ok assuming \"w1\" citing \"4.2\" assuming \"w2\"\n"
    "  require \"plain\": ok\n"
    "  prefer \"g\": any of {\n"
    "    \"m1\": a effective from 2026-07-01 until 2026-12-31\n"
    "    \"m2\": b citing \"4.3\"\n"
    "  } effective from 2026-06-15 citing \"4.4\"\n"
    "}\n"
    "program q effective until 2026-05-31 { }\n"
    "program r assuming \"only\" effective from 2026-01-01 { }\n"
    "program s \"S\" { }\n";

START_TEST(test_effective_periods)
{
    fx f;
    parse(&f, effective_src);
    ck_assert_msg(f.ok, "%s", f.diags.head ? f.diags.head->message : "");
    pa_decl *p = f.decls;
    ck_assert_str_eq(p->name, "p");
    ck_assert_str_eq(p->u.program.title, "Level 2");
    const pa_period *pp = &p->u.program.period;
    ck_assert(pp->given);
    ck_assert_int_eq(pp->from, ymd(2026, 6, 1));
    ck_assert_int_eq(pp->until, ymd(2027, 8, 31));
    ck_assert_str_eq(span_text(&f, pp->span), "from 2026-06-01 until 2027-08-31");
    ck_assert_str_eq(assumes_text(p->u.program.assumes), "the 2026 handbook|dates from the board");
    ck_assert_str_eq(span_text(&f, p->u.program.assumes->span), "\"the 2026 handbook\"");
    ck_assert_str_eq(p->u.program.attrs->name, "hours");
    ck_assert_ptr_null(p->u.program.attrs->next);

    pa_req *r = p->u.program.reqs;
    ck_assert_str_eq(r->label, "adult");
    ck_assert(r->period.given);
    ck_assert_int_eq(r->period.from, ymd(2026, 9, 1));
    ck_assert_int_eq(r->period.until, PA_DATE_OPEN_UNTIL);
    ck_assert_str_eq(span_text(&f, r->period.span), "from 2026-09-01");
    ck_assert_ptr_null(r->cite);
    ck_assert_ptr_null(r->assumes);
    ck_assert_str_eq(span_text(&f, r->span), "require \"adult\": age >= 18 effective from 2026-09-01");

    r = r->next;
    ck_assert_str_eq(r->label, "member");
    ck_assert_str_eq(r->cite, "4.1");
    ck_assert(r->period.given);
    ck_assert_int_eq(r->period.from, PA_DATE_OPEN_FROM);
    ck_assert_int_eq(r->period.until, ymd(2027, 1, 31));
    ck_assert_str_eq(span_text(&f, r->period.span), "until 2027-01-31");
    ck_assert_str_eq(assumes_text(r->assumes), "why");

    /* `assuming` may be given more than once, around a `citing` */
    r = r->next;
    ck_assert_str_eq(r->label, "both");
    ck_assert_str_eq(r->cite, "4.2");
    ck_assert(!r->period.given);
    ck_assert_str_eq(assumes_text(r->assumes), "w1|w2");
    ck_assert_str_eq(span_text(&f, r->span), "require \"both\": ok assuming \"w1\" citing \"4.2\" assuming \"w2\"");

    /* no clause: open at both ends, nothing assumed */
    r = r->next;
    ck_assert_str_eq(r->label, "plain");
    ck_assert(!r->period.given);
    ck_assert_int_eq(r->period.from, PA_DATE_OPEN_FROM);
    ck_assert_int_eq(r->period.until, PA_DATE_OPEN_UNTIL);
    ck_assert_ptr_null(r->assumes);
    ck_assert_ptr_null(r->cite);

    /* a group's clauses follow its `}`; its members have their own */
    r = r->next;
    ck_assert_int_eq(r->role, PA_PREFER);
    ck_assert_int_eq(r->group, PA_ANY_OF);
    ck_assert(r->period.given);
    ck_assert_int_eq(r->period.from, ymd(2026, 6, 15));
    ck_assert_int_eq(r->period.until, PA_DATE_OPEN_UNTIL);
    ck_assert_str_eq(r->cite, "4.4");
    ck_assert_ptr_null(r->next);
    pa_req *m = r->members;
    ck_assert_int_eq(m->role, PA_MEMBER);
    ck_assert_str_eq(m->label, "m1");
    ck_assert(m->period.given);
    ck_assert_int_eq(m->period.from, ymd(2026, 7, 1));
    ck_assert_int_eq(m->period.until, ymd(2026, 12, 31));
    ck_assert_ptr_null(m->cite);
    ck_assert_str_eq(span_text(&f, m->span), "\"m1\": a effective from 2026-07-01 until 2026-12-31");
    m = m->next;
    ck_assert_str_eq(m->label, "m2");
    ck_assert(!m->period.given);
    ck_assert_str_eq(m->cite, "4.3");
    ck_assert_ptr_null(m->next);

    pa_decl *q = p->next;
    ck_assert_str_eq(q->name, "q");
    ck_assert_ptr_null(q->u.program.title);
    ck_assert(q->u.program.period.given);
    ck_assert_int_eq(q->u.program.period.from, PA_DATE_OPEN_FROM);
    ck_assert_int_eq(q->u.program.period.until, ymd(2026, 5, 31));
    ck_assert_ptr_null(q->u.program.assumes);

    /* header clauses in either order */
    pa_decl *rr = q->next;
    ck_assert_str_eq(rr->name, "r");
    ck_assert(rr->u.program.period.given);
    ck_assert_int_eq(rr->u.program.period.from, ymd(2026, 1, 1));
    ck_assert_int_eq(rr->u.program.period.until, PA_DATE_OPEN_UNTIL);
    ck_assert_str_eq(assumes_text(rr->u.program.assumes), "only");

    pa_decl *s = rr->next;
    ck_assert_str_eq(s->u.program.title, "S");
    ck_assert(!s->u.program.period.given);
    ck_assert_int_eq(s->u.program.period.from, PA_DATE_OPEN_FROM);
    ck_assert_int_eq(s->u.program.period.until, PA_DATE_OPEN_UNTIL);
    ck_assert_ptr_null(s->u.program.assumes);
    ck_assert_ptr_null(s->next);
    fx_free(&f);
}
END_TEST

/* `assuming` after a definition's value; `expect NAME(args) = value` and a
 * text marked `not known` in a test. */
START_TEST(test_define_assuming_and_values)
{
    fx f;
    parse(&f, "define signed = true assuming \"w1\" assuming \"w2\"\n"
              "define f(a: integer) = a + 1\n"
              "define plain = 1\n"
              "test \"t\" { as of 2026-01-01 given { body: \"x\" not known }\n"
              "  expect f(1) = 2 expect plain = 1 expect g() = none }\n");
    ck_assert_msg(f.ok, "%s", f.diags.head ? f.diags.head->message : "");
    pa_decl *d = f.decls;
    ck_assert_str_eq(assumes_text(d->u.define.assumes), "w1|w2");
    ck_assert_str_eq(span_text(&f, d->u.define.assumes->span), "\"w1\"");
    ck_assert_int_eq(d->u.define.body->kind, PA_E_BOOL);
    ck_assert_ptr_null(d->next->u.define.assumes);
    pa_decl *t = d->next->next->next;
    const pa_value *body = t->u.test.given.with->u.record.entries->value;
    ck_assert_int_eq(body->kind, PA_V_TEXT);
    ck_assert(body->not_known);
    ck_assert_str_eq(span_text(&f, body->not_known_span), "not known");
    ck_assert_str_eq(span_text(&f, body->span), "\"x\"");
    const pa_expect *x = t->u.test.expects;
    ck_assert_int_eq(x->kind, PA_X_VALUE);
    ck_assert_str_eq(x->program, "f");
    ck_assert(x->has_args);
    ck_assert_uint_eq(x->nargs, 1);
    ck_assert_int_eq(x->args->u.i, 1);
    ck_assert_int_eq(x->value->u.i, 2);
    ck_assert_str_eq(span_text(&f, x->span), "expect f(1) = 2");
    x = x->next;
    ck_assert(!x->has_args);
    ck_assert_str_eq(x->program, "plain");
    x = x->next;
    ck_assert(x->has_args);
    ck_assert_uint_eq(x->nargs, 0);
    ck_assert_int_eq(x->value->kind, PA_V_NONE);
    ck_assert_ptr_null(x->next);
    fx_free(&f);
}
END_TEST

/* A facts value as text: 3, n:2.5, "t", 2026-01-01, true, none, [a b], {k=v k=v}. */
static void vx(pd_buf *b, const pa_value *v)
{
    char date[11];
    switch (v->kind) {
    case PA_V_INT: pd_buf_printf(b, "%lld", (long long)v->u.i); break;
    case PA_V_NUM: pd_buf_printf(b, "n:%g", v->u.n); break;
    case PA_V_TEXT: pd_buf_printf(b, "\"%.*s\"", (int)v->u.str.len, v->u.str.s); break;
    case PA_V_DATE: pu_date_format(v->u.date, date); pd_buf_printf(b, "%s", date); break;
    case PA_V_BOOL: pd_buf_printf(b, "%s", v->u.b ? "true" : "false"); break;
    case PA_V_NONE: pd_buf_printf(b, "none"); break;
    case PA_V_LIST: {
        uint32_t n = 0;
        pd_buf_printf(b, "[");
        for (const pa_value *it = v->u.list.items; it; it = it->next, n++) {
            if (n)
                pd_buf_printf(b, " ");
            vx(b, it);
        }
        pd_buf_printf(b, "]");
        ck_assert_uint_eq(n, v->u.list.n);
        break;
    }
    case PA_V_RECORD:
        pd_buf_printf(b, "{");
        for (const pa_entry *e = v->u.record.entries; e; e = e->next) {
            pd_buf_printf(b, "%s%s=", e == v->u.record.entries ? "" : " ", e->name);
            vx(b, e->value);
        }
        pd_buf_printf(b, "}");
        break;
    }
}

static const char *value_text(const pa_value *v)
{
    static _Thread_local char out[512];
    pd_buf b = {NULL, 0, 0, false};
    vx(&b, v);
    ck_assert_uint_lt(b.len, sizeof out);
    memcpy(out, b.data, b.len + 1);
    pd_buf_free(&b);
    return out;
}

START_TEST(test_examples)
{
    fx f;
    parse(&f, "example base = {\n"
              "  age: 30, n: -5  x: 2.5 y: -0.25, z: - 7\n"
              "  name: \"Ann \\\"A\\\"\"  born: 1990-02-03\n"
              "  ok: true, gone: false  nothing: none\n"
              "  empty: []  nums: [1, 2 3,]  words: [\"a\" \"b\"]\n"
              "  nested: [{ id: \"l1\", issued: 2020-01-01 }, { tags: [true] }]\n"
              "  rec: { inner: { deep: [[]] } },\n"
              "}\n"
              "example child = base with { age: 31 }\n"
              "example alias = base\n"
              "example blank = { }\n");
    ck_assert_msg(f.ok, "%s", f.diags.head ? f.diags.head->message : "");
    pa_decl *d = f.decls;
    ck_assert_int_eq(d->kind, PA_D_EXAMPLE);
    ck_assert_str_eq(d->name, "base");
    ck_assert_str_eq(span_text(&f, d->name_span), "base");
    const pa_facts_ref *fr = &d->u.example.facts;
    ck_assert_ptr_null(fr->base);
    ck_assert_ptr_nonnull(fr->with);
    ck_assert_int_eq(fr->with->kind, PA_V_RECORD);
    ck_assert_str_eq(value_text(fr->with),
                     "{age=30 n=-5 x=n:2.5 y=n:-0.25 z=-7 name=\"Ann \"A\"\" born=1990-02-03 ok=true "
                     "gone=false nothing=none empty=[] nums=[1 2 3] words=[\"a\" \"b\"] "
                     "nested=[{id=\"l1\" issued=2020-01-01} {tags=[true]}] rec={inner={deep=[[]]}}}");
    /* kinds, not just their rendering */
    const pa_entry *e = fr->with->u.record.entries;
    ck_assert_str_eq(span_text(&f, e->span), "age");
    ck_assert_int_eq(e->value->kind, PA_V_INT);
    ck_assert_int_eq(e->next->value->kind, PA_V_INT);
    ck_assert_int_eq(e->next->value->u.i, -5);
    ck_assert_str_eq(span_text(&f, e->next->value->span), "-5");
    ck_assert_int_eq(e->next->next->value->kind, PA_V_NUM);
    ck_assert(e->next->next->next->value->u.n == -0.25);

    d = d->next;
    ck_assert_str_eq(d->name, "child");
    fr = &d->u.example.facts;
    ck_assert_str_eq(fr->base, "base");
    ck_assert_str_eq(span_text(&f, fr->base_span), "base");
    ck_assert_str_eq(value_text(fr->with), "{age=31}");
    ck_assert_str_eq(span_text(&f, fr->span), "base with { age: 31 }");
    ck_assert_str_eq(span_text(&f, d->span), "example child = base with { age: 31 }");

    d = d->next;
    ck_assert_str_eq(d->name, "alias");
    ck_assert_str_eq(d->u.example.facts.base, "base");
    ck_assert_ptr_null(d->u.example.facts.with);

    d = d->next;
    ck_assert_str_eq(d->name, "blank");
    ck_assert_ptr_null(d->u.example.facts.base);
    ck_assert_str_eq(value_text(d->u.example.facts.with), "{}");
    ck_assert_ptr_null(d->next);
    fx_free(&f);
}
END_TEST

static const char test_src[] =
    "test \"a coach turning 18\" {\n"
    "  as of 2026-11-23\n"
    "  given base with { age: 17, roles: [\"x\"] }\n"
    "  expect level_1 eligible\n"
    "  expect level_2 not eligible\n"
    "  expect level_3 not eligible unmet \"adult\", \"first aid\", \"a, b\"\n"
    "  expect level_4 not yet in force\n"
    "  expect level_5 withdrawn\n"
    "}\n"
    "test \"clauses in any order\" { expect p eligible given base as of 2026-01-01 }\n"
    "test \"a record\" { given { age: 1 } }\n"
    "test \"\" { }\n";

START_TEST(test_tests)
{
    fx f;
    parse(&f, test_src);
    ck_assert_msg(f.ok, "%s", f.diags.head ? f.diags.head->message : "");
    pa_decl *d = f.decls;
    ck_assert_int_eq(d->kind, PA_D_TEST);
    ck_assert_str_eq(d->name, "a coach turning 18");
    ck_assert_str_eq(span_text(&f, d->name_span), "\"a coach turning 18\"");
    ck_assert_uint_eq(d->span.start, 0);
    ck_assert_uint_eq(d->span.end, (uint32_t)(strstr(test_src, "\n}\n") - test_src) + 2); /* through `}` */
    ck_assert(d->u.test.has_as_of);
    ck_assert_int_eq(d->u.test.as_of, ymd(2026, 11, 23));
    ck_assert_str_eq(span_text(&f, d->u.test.as_of_span), "2026-11-23");
    ck_assert(d->u.test.has_given);
    const pa_facts_ref *g = &d->u.test.given;
    ck_assert_str_eq(g->base, "base");
    ck_assert_str_eq(value_text(g->with), "{age=17 roles=[\"x\"]}");
    ck_assert_str_eq(span_text(&f, g->span), "base with { age: 17, roles: [\"x\"] }");

    static const struct {
        pa_expect_kind kind;
        const char *program, *span, *unmet;
        bool has_unmet;
    } want[] = {
        {PA_X_ELIGIBLE, "level_1", "expect level_1 eligible", "", false},
        {PA_X_NOT_ELIGIBLE, "level_2", "expect level_2 not eligible", "", false},
        {PA_X_NOT_ELIGIBLE, "level_3", "expect level_3 not eligible unmet \"adult\", \"first aid\", \"a, b\"",
         "adult|first aid|a, b", true},
        {PA_X_NOT_YET, "level_4", "expect level_4 not yet in force", "", false},
        {PA_X_WITHDRAWN, "level_5", "expect level_5 withdrawn", "", false},
    };
    const pa_expect *x = d->u.test.expects;
    for (size_t i = 0; i < sizeof want / sizeof *want; i++, x = x->next) {
        ck_assert_ptr_nonnull(x);
        ck_assert_int_eq(x->kind, want[i].kind);
        ck_assert_str_eq(x->program, want[i].program);
        ck_assert_str_eq(span_text(&f, x->program_span), want[i].program);
        ck_assert_str_eq(span_text(&f, x->span), want[i].span);
        ck_assert(x->has_unmet == want[i].has_unmet);
        char labels[128] = "";
        uint32_t n = 0;
        for (const pa_label *l = x->unmet; l; l = l->next, n++) {
            size_t len = strlen(labels);
            snprintf(labels + len, sizeof labels - len, "%s%s", n ? "|" : "", l->text);
        }
        ck_assert_str_eq(labels, want[i].unmet);
        ck_assert_uint_eq(n, x->nunmet);
    }
    ck_assert_ptr_null(x);
    ck_assert_str_eq(span_text(&f, d->u.test.expects->next->next->unmet->span), "\"adult\"");

    d = d->next;
    ck_assert_str_eq(d->name, "clauses in any order");
    ck_assert(d->u.test.has_as_of);
    ck_assert_int_eq(d->u.test.as_of, ymd(2026, 1, 1));
    ck_assert_str_eq(d->u.test.given.base, "base");
    ck_assert_ptr_null(d->u.test.given.with);
    ck_assert_int_eq(d->u.test.expects->kind, PA_X_ELIGIBLE);
    ck_assert_ptr_null(d->u.test.expects->next);

    d = d->next;
    ck_assert_str_eq(d->name, "a record");
    ck_assert(!d->u.test.has_as_of);
    ck_assert(d->u.test.has_given);
    ck_assert_ptr_null(d->u.test.given.base);
    ck_assert_str_eq(value_text(d->u.test.given.with), "{age=1}");
    ck_assert_ptr_null(d->u.test.expects);

    /* an empty title and body parse; the checker says what is missing */
    d = d->next;
    ck_assert_str_eq(d->name, "");
    ck_assert(!d->u.test.has_as_of);
    ck_assert(!d->u.test.has_given);
    ck_assert_ptr_null(d->u.test.expects);
    ck_assert_ptr_null(d->next);
    fx_free(&f);
}
END_TEST

/* A clause written twice keeps the first and points back at it. */
static const struct {
    const char *src;
    const char *again, *first; /* the error's span and its note's */
    const char *what;
} twice[] = {
    {"program p effective from 2026-01-01 effective until 2027-01-01 { }",
     "until 2027-01-01", "from 2026-01-01", "effective"},
    {"program p { require \"r\": ok citing \"a\" citing \"b\" }", "\"b\"", "\"a\"", "citing"},
    {"program p { require \"r\": ok effective from 2026-01-01 assuming \"x\" effective until 2027-01-01 }",
     "until 2027-01-01", "from 2026-01-01", "effective"},
    {"program p { require \"g\": all of { \"m\": ok citing \"a\" citing \"b\" } }", "\"b\"", "\"a\"", "citing"},
    /* a source cited by name, and a quote or another name */
    {"program p { require \"r\": ok citing enrol citing \"b\" }", "\"b\"", "enrol", "citing"},
    {"program p { require \"r\": ok citing \"a\" citing enrol }", "enrol", "\"a\"", "citing"},
    {"program p { require \"r\": ok citing enrol citing other }", "other", "enrol", "citing"},
    {"test \"t\" { given a given { x: 1 } }", "{ x: 1 }", "a", "given"},
};

START_TEST(test_clause_twice)
{
    fx f;
    parse(&f, twice[_i].src);
    ck_assert(!f.ok);
    ck_assert_uint_eq(f.diags.errors, 1);
    pd_diag *d = f.diags.head;
    ck_assert_str_eq(d->code, "E0207");
    char msg[64];
    snprintf(msg, sizeof msg, "`%s` is given twice", twice[_i].what);
    ck_assert_str_eq(d->message, msg);
    ck_assert_str_eq(span_text(&f, d->span), twice[_i].again);
    ck_assert_ptr_nonnull(d->notes);
    ck_assert_str_eq(d->notes->message, "first given here");
    ck_assert_str_eq(span_text(&f, d->notes->span), twice[_i].first);
    ck_assert_ptr_nonnull(f.decls); /* the declaration is kept, with the first clause */
    fx_free(&f);
}
END_TEST

/* `as of` twice: the error covers the second clause (and its note points at
 * the first date). */
START_TEST(test_as_of_twice)
{
    const char *src = "test \"t\" {\n  as of 2026-01-01\n  as of 2026-02-01\n}\n";
    fx f;
    parse(&f, src);
    ck_assert(!f.ok);
    ck_assert_uint_eq(f.diags.errors, 1);
    pd_diag *d = f.diags.head;
    ck_assert_str_eq(d->code, "E0207");
    ck_assert_str_eq(d->message, "`as of` is given twice");
    const char *second = strstr(src, "as of 2026-02-01");
    ck_assert_uint_le(d->span.start, (uint32_t)(second - src));
    ck_assert_uint_eq(d->span.end, (uint32_t)(second - src) + strlen("as of 2026-02-01"));
    ck_assert_str_eq(d->notes->message, "first given here");
    ck_assert_str_eq(span_text(&f, d->notes->span), "2026-01-01");
    /* the first date is kept */
    ck_assert_int_eq(f.decls->u.test.as_of, ymd(2026, 1, 1));
    fx_free(&f);
}
END_TEST

/* A wrong expectation is dropped; the test keeps the rest, and the next
 * declaration parses. */
START_TEST(test_test_recovery)
{
    fx f;
    parse(&f, "test \"a\" {\n  as of 2026-01-01\n  expect p eligble\n  expect q withdrawn\n}\n"
              "test \"b\" { expect r not yet in force }\n");
    ck_assert(!f.ok);
    ck_assert_uint_eq(f.diags.errors, 1);
    ck_assert_str_eq(f.diags.head->code, "E0208");
    /* the bad expectation is dropped, the rest kept, and the next test parsed */
    pa_decl *d = f.decls;
    ck_assert_str_eq(d->name, "a");
    ck_assert(d->u.test.has_as_of);
    ck_assert_str_eq(d->u.test.expects->program, "q");
    ck_assert_int_eq(d->u.test.expects->kind, PA_X_WITHDRAWN);
    ck_assert_ptr_null(d->u.test.expects->next);
    ck_assert_str_eq(d->next->name, "b");
    ck_assert_int_eq(d->next->u.test.expects->kind, PA_X_NOT_YET);
    fx_free(&f);
}
END_TEST

/* ---- syntax errors ------------------------------------------------------------------- */

static const struct {
    const char *src;
    const char *message;   /* the first error */
    uint32_t line, col;
    unsigned errors;       /* all errors reported */
} syntax[] = {
    {"program p {\n  require \"at least 18 years of age\" age >= 18\n}\n",
     "expected `:` after the requirement label, found `age`", 2, 38, 1},
    {"program p {\n  require age >= 18\n}\n",
     "a requirement needs a label in quotes: require \"at least 18 years of age\": age >= 18",
     2, 11, 1},
    {"program p { prefer 18 }",
     "a requirement needs a label in quotes: prefer \"at least 18 years of age\": age >= 18",
     1, 20, 1},
    {"program p {\n  require \"x\": }\n", "unexpected `}`; expected an expression or a group",
     2, 16, 1},
    {"define x = a +\n", "unexpected end of file; expected an expression", 1, 15, 1},
    {"define x = a + }", "unexpected `}`; expected an expression", 1, 16, 1},
    {"program p {\n  require \"x\": age >= 18\n", "unterminated `program` block: expected `}`",
     2, 25, 1},
    {"program p {\n  require \"x\": age >= 18\nprogram q { }\n",
     "unterminated `program` block: expected `}` before `program`", 3, 1, 1},
    {"facts f { a: integer\ndefine x = 1", "unterminated `facts` block: expected `}` before "
                                           "`define`", 2, 1, 1},
    {"record r {", "unterminated `record` block: expected `}`", 1, 11, 1},
    {"program p { require \"x\": all of { \"a\": x",
     "unterminated `all of` group: expected `}`", 1, 41, 1},
    {"define x = a < b < c", "comparisons do not chain", 1, 18, 1},
    {"define x = a = b is none", "comparisons do not chain", 1, 18, 1},
    {"define x = a in b in c", "comparisons do not chain", 1, 19, 1},
    {"program { }", "expected identifier after `program`, found `{`", 1, 9, 1},
    {"include foo", "expected text in quotes after `include`, found `foo`", 1, 9, 1},
    {"facts f { a: }", "unexpected `}`; expected a type", 1, 14, 1},
    {"facts f { a integer }", "unexpected `integer`; expected `:`", 1, 13, 1},
    {"define f(x: integer = 3) = x", "unexpected `=`; expected `in`, `)`, `,` or `?`", 1, 21, 1},
    {"define x = (a", "unexpected end of file; expected an operator or `)`", 1, 14, 1},
    {"define x = [1, 2", "unexpected end of file; expected an operator, `]` or `,`", 1, 17, 1},
    {"define x = if a then b", "unexpected end of file; expected an operator or `else`", 1, 23, 1},
    {"define x = any y in z", "unexpected end of file; expected `where`, `(` or `.`", 1, 22, 1},
    {"define x = any y in z + 1 where true", "unexpected `+`; expected `where`, `(` or `.`", 1, 23, 1},
    {"define x = sum a for", "expected identifier after `for`, found end of file", 1, 21, 1},
    {"program p { require \"x\": age >= 18 18 }", "unexpected `18` after an expression", 1, 36,
     1},
    {"program p { require \"x\": at least of { } }", "expected integer after `least`, found `of`",
     1, 35, 1},
    {"program p { hours }", "unexpected `}`; expected a value", 1, 19, 1},
    {"program p { 42 }", "unexpected `42`; expected a requirement, an attribute or `}`", 1, 13,
     1},
    {"foo", "unexpected `foo`; expected a declaration", 1, 1, 1},
    {"program p { require \"x\": any of { \"a\" a } }", "expected `:` after the label, found `a`",
     1, 39, 1},
    {"define f x", "expected `(`, `:` or `=` after the definition name, found `x`", 1, 10, 1},
    {"facts f x", "expected `{` after the record name, found `x`", 1, 9, 1},
    {"define x = a is not", "expected `none` after `not`, found end of file", 1, 20, 1},
    {"record r { x: list text }", "expected `of` after `list`, found `text`", 1, 20, 1},
    {"define x = \"a very long piece of text that goes on\" \"b\"",
     "unexpected `\"b\"`; expected an operator or a declaration", 1, 53, 1},
    {"define x = 1 \"a very long piece of text that goes on\"",
     "unexpected `\"a very long piece of text th...`; expected an operator or a declaration",
     1, 14, 1},
    {"program p { grants \"x\" valid 4 years }", "expected `for` or `until` after `valid`, found `4`", 1, 30,
     1},
    /* effective dates, examples and tests */
    {"test \"t\" { expect p eligble }",
     "expected `eligible`, `not eligible`, `not yet in force`, `withdrawn`, `not yet open` or `closed` after the program name, "
     "found `eligble`", 1, 21, 1},
    {"test \"t\" { expect p not eligble }",
     "expected `eligible`, `not eligible`, `not yet in force`, `withdrawn`, `not yet open` or `closed` after the program name, "
     "found `eligble`", 1, 25, 1},
    {"test \"t\" { expect p not yet in forse }",
     "expected `eligible`, `not eligible`, `not yet in force`, `withdrawn`, `not yet open` or `closed` after the program name, "
     "found `forse`", 1, 32, 1},
    {"test \"t\" { expect p not yt in force }",
     "expected `eligible`, `not eligible`, `not yet in force`, `withdrawn`, `not yet open` or `closed` after the program name, "
     "found `yt`", 1, 25, 1},
    {"test \"t\" { expect p eligble expect q withdrawn expect r not eligibel unmet \"x\" }",
     "expected `eligible`, `not eligible`, `not yet in force`, `withdrawn`, `not yet open` or `closed` after the program name, "
     "found `eligble`", 1, 21, 2},
    {"test \"t\" { expect p not yet opn }",
     "expected `eligible`, `not eligible`, `not yet in force`, `withdrawn`, `not yet open` or `closed` after the program name, "
     "found `opn`", 1, 29, 1},
    {"program p enrolment opens from 2026-01-01 { }", "expected `open` after `enrolment`, found `opens`", 1, 21, 1},
    {"program p enrolment open until 2999-12-01 + 1 month { }",
     "this day is outside the years 1800-2999 that a date may take", 1, 32, 1},
    {"program p enrolment open from 2026-01-01 enrollment open until 2026-02-01 { }",
     "`enrolment open` is given twice", 1, 42, 1},
    {"program p \"T\" citing \"x\" { }",
     "a program has no citation of its own: cite its requirements", 1, 15, 1},
    {"program p effective from 2026-01-01 citing \"x\" citing \"y\" { }",
     "a program has no citation of its own: cite its requirements", 1, 37, 2},
    {"test \"t\" { ass of 2026-01-01 }", "unexpected `ass`; expected `as of`, `given` or `expect`",
     1, 12, 1},
    {"test \"t\" {\n  As of 2026-01-01\n}", "unexpected `As`; expected `as of`, `given` or `expect`",
     2, 3, 1},
    {"test \"t\" { as at 2026-01-01 }", "unexpected `at`; expected `of`", 1, 15, 1},
    {"test \"t\" { as of 2026-01-01", "unterminated `test` block: expected `}`", 1, 28, 1},
    {"test \"t\" { as of 2026-01-01\nprogram p { }", "unterminated `test` block: expected `}` before "
                                                  "`program`", 2, 1, 1},
    {"test t { }", "expected text in quotes after `test`, found `t`", 1, 6, 1},
    {"program p effective { }", "expected `from` or `until` after `effective`, found `{`", 1, 21, 1},
    {"program p effective from { }", "expected date after `from`, found `{`", 1, 26, 1},
    {"program p { require \"a\": ok effective until \"2026-01-01\" }",
     "expected date after `until`, found `\"2026-01-01\"`", 1, 45, 1},
    {"program p { require \"a\": ok assuming }", "expected text in quotes after `assuming`, found `}`",
     1, 38, 1},
    {"test \"t\" { expect p not eligible unmet }", "expected text in quotes after `unmet`, found `}`",
     1, 40, 1},
    {"example e = [1, 2]", "unexpected `[`; expected `{` or identifier", 1, 13, 1},
    /* recovery: one run reports the errors of several requirements and declarations */
    /* (`require c` alone uses the block `c`: a syntax error no more) */
    {"program p {\n  require \"a\": x >=\n  require \"b\": y <\n  require c\n}\n"
     "define z = * 2\nprogram q { require \"d\": ) }\n",
     "unexpected `require`; expected an expression", 3, 3, 4},
    {"define a = (\ndefine b = )\ndefine c = 1 +\n", "unexpected `define`; expected an expression",
     2, 1, 3},
};

static void position(fx *f, const ps_span *s, uint32_t *line, uint32_t *col)
{
    ps_position(&f->src, s->file, s->start, line, col);
}

START_TEST(test_syntax_error)
{
    fx f;
    parse(&f, syntax[_i].src);
    ck_assert(!f.ok);
    pd_diag *d = f.diags.head;
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, PD_ERROR);
    ck_assert_str_eq(d->message, syntax[_i].message);
    ck_assert(d->has_span);
    uint32_t line, col;
    position(&f, &d->span, &line, &col);
    ck_assert_uint_eq(line, syntax[_i].line);
    ck_assert_uint_eq(col, syntax[_i].col);
    ck_assert_uint_eq(f.diags.errors, syntax[_i].errors);
    fx_free(&f);
}
END_TEST

START_TEST(test_unterminated_note)
{
    fx f;
    parse(&f, "program p {\n  require \"x\": a\nprogram q { require \"y\": b }\n");
    pd_diag *d = f.diags.head;
    ck_assert_str_eq(d->code, "E0202");
    ck_assert_str_eq(d->notes->message, "to match this `{`");
    ck_assert_str_eq(span_text(&f, d->notes->span), "{");
    ck_assert_uint_eq(d->notes->span.start, 10);
    /* both programs are still there, each with its requirement */
    ck_assert_str_eq(f.decls->name, "p");
    ck_assert_str_eq(f.decls->u.program.reqs->label, "x");
    ck_assert_str_eq(f.decls->next->name, "q");
    ck_assert_str_eq(f.decls->next->u.program.reqs->label, "y");
    fx_free(&f);
}
END_TEST

START_TEST(test_chain_note)
{
    fx f;
    parse(&f, "define x = 1 < a < 3");
    pd_diag *d = f.diags.head;
    ck_assert_str_eq(d->code, "E0204");
    ck_assert_str_eq(span_text(&f, d->span), "<");
    ck_assert_str_eq(d->notes->message, "compare two values at a time and join the comparisons "
                                        "with `and`, e.g. `18 <= age and age < 65`");
    /* the first comparison is kept, so that the tree has no type error */
    pd_buf b = {NULL, 0, 0, false};
    sx(&b, f.decls->u.define.body);
    ck_assert_str_eq(b.data, "(< 1 a)");
    pd_buf_free(&b);
    fx_free(&f);
}
END_TEST

START_TEST(test_recovery_keeps_decls)
{
    fx f;
    parse(&f, "define a = 1\ndefine b = = 2\ndefine c = 3\n"
              "program p {\n  require \"x\": >\n  require \"y\": ok\n}\n");
    ck_assert(!f.ok);
    ck_assert_uint_eq(f.diags.errors, 2);
    /* `b` stays declared, without a body, so that its uses are not unknown names */
    const char *names[] = {"a", "b", "c", "p"};
    pa_decl *d = f.decls;
    for (int i = 0; i < 4; i++, d = d->next) {
        ck_assert_ptr_nonnull(d);
        ck_assert_str_eq(d->name, names[i]);
        ck_assert(d->kind != PA_D_DEFINE || d->u.define.failed == (i == 1));
    }
    ck_assert_ptr_null(d);
    ck_assert_str_eq(f.decls->next->next->next->u.program.reqs->label, "y");
    fx_free(&f);
}
END_TEST

/* A keyword where a name is written: one E0210 naming the word, two
 * spellings, and the definition still declared. */
START_TEST(test_reserved_word_as_name)
{
    static const struct { const char *text, *word, *message, *fix; } cases[] = {
        {"define held_for(licence: text, months: integer) = licence = \"b\"", "months",
         "`months` is a reserved word of the language and cannot be a parameter's name", "n_months"},
        {"define year = 3", "year", "`year` is a reserved word of the language and cannot be a definition's name",
         "n_years"},
        {"define f(count: integer) = count", "count",
         "`count` is a reserved word of the language and cannot be a parameter's name", "n"},
        {"define where = 3", "where", "`where` is a reserved word of the language and cannot be a definition's name",
         "the_where"},
        {"program p {\n  require \"x\": days > 1\n}", "days",
         "`days` is a reserved word of the language and cannot be a name", "n_days"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx f;
        parse(&f, cases[i].text);
        ck_assert(!f.ok);
        ck_assert_uint_eq(f.diags.errors, 1);
        pd_diag *d = f.diags.head;
        ck_assert_str_eq(d->code, "E0210");
        ck_assert_str_eq(span_text(&f, d->span), cases[i].word);
        ck_assert_str_eq(d->message, cases[i].message);
        ck_assert_str_eq(d->fix, cases[i].fix);
        fx_free(&f);
    }
    /* the definition whose parameter failed is declared, marked failed */
    fx f;
    parse(&f, "define held_for(licence: text, months: integer) = 1\ndefine b = held_for(\"x\", 2)");
    ck_assert_str_eq(f.decls->name, "held_for");
    ck_assert(f.decls->u.define.failed);
    ck_assert_str_eq(f.decls->next->name, "b");
    ck_assert(!f.decls->next->u.define.failed);
    fx_free(&f);
    /* an operator where an expression is needed is not a name */
    parse(&f, "define x = 1 + where");
    ck_assert_str_eq(f.diags.head->code, "E0201");
    fx_free(&f);
}
END_TEST

/* `extend facts|record NAME { fields }` and `extend known NAME with [...]`:
 * what is extended, its name and the fields or values, each with its span;
 * `extend` is a reserved word. */
START_TEST(test_extend)
{
    fx f;
    parse(&f, "extend facts coach {\n  licences: list of licence = []\n  games: integer >= 0 = 0\n}\n"
              "extend record certificate { in_person: boolean = false }\n"
              "extend known certificate_id with [\"ussf-d\", \"ussf-c\"]\n");
    ck_assert_msg(f.ok, "%s", f.diags.head ? f.diags.head->message : "");
    pa_decl *d = f.decls;
    ck_assert_int_eq(d->kind, PA_D_EXTEND);
    ck_assert_int_eq(d->u.extend.what, PA_D_FACTS);
    ck_assert_str_eq(d->name, "coach");
    ck_assert_str_eq(span_text(&f, d->name_span), "coach");
    ck_assert_str_eq(span_text(&f, d->u.extend.what_span), "facts");
    ck_assert_str_eq(d->u.extend.fields->name, "licences");
    ck_assert_int_eq(d->u.extend.fields->type.form, PA_TY_LIST);
    ck_assert_str_eq(d->u.extend.fields->next->name, "games");
    ck_assert_ptr_nonnull(d->u.extend.fields->next->min);
    ck_assert_ptr_null(d->u.extend.fields->next->next);
    d = d->next;
    ck_assert_int_eq(d->u.extend.what, PA_D_RECORD);
    ck_assert_str_eq(d->name, "certificate");
    ck_assert_str_eq(d->u.extend.fields->name, "in_person");
    d = d->next;
    ck_assert_int_eq(d->kind, PA_D_EXTEND);
    ck_assert_int_eq(d->u.extend.what, PA_D_KNOWN);
    ck_assert_str_eq(d->name, "certificate_id");
    ck_assert_str_eq(span_text(&f, d->span), "extend known certificate_id with [\"ussf-d\", \"ussf-c\"]");
    ck_assert_int_eq(d->u.extend.values->kind, PA_E_LIST);
    ck_assert_uint_eq(d->u.extend.values->u.list.nitems, 2);
    ck_assert_ptr_null(d->next);
    fx_free(&f);
    parse(&f, "define extend = 3");
    ck_assert(!f.ok);
    ck_assert_str_eq(f.diags.head->code, "E0210");
    fx_free(&f);
    /* an unterminated block says whose */
    parse(&f, "extend facts coach {\n  games: integer = 0\nprogram p { }");
    ck_assert(!f.ok);
    ck_assert_msg(strstr(f.diags.head->message, "`facts` block") != NULL, "%s", f.diags.head->message);
    fx_free(&f);
}
END_TEST

START_TEST(test_lexical_errors_fail)
{
    fx f;
    parse(&f, "define x = 2026-02-30");
    ck_assert(!f.ok);
    ck_assert_uint_eq(f.diags.errors, 1);
    ck_assert_ptr_nonnull(f.decls); /* the tree is there for what parsed */
    fx_free(&f);
}
END_TEST

/* ---- limits ------------------------------------------------------------------------- */

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t len = strlen(head) + strlen(unit) * n + strlen(tail) + 1;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    strcpy(s, head);
    for (size_t i = 0; i < n; i++)
        strcat(s, unit);
    strcat(s, tail);
    return s;
}

static const struct {
    const char *head, *unit, *tail;
    size_t n;
    unsigned max_depth;
    const char *message; /* NULL: parses */
} depths[] = {
    {"define x = ", "(", "1", 300, 0, "too deeply nested (the limit is 200 levels of brackets)"},
    {"define x = ", "not ", "a", 300, 0, "expression is nested too deeply (the limit is 200 levels)"},
    {"define x = a", " + a", "", 300, 0, "expression is nested too deeply (the limit is 200 levels)"},
    {"define x = ", "-", "1", 20, 10, "expression is nested too deeply (the limit is 10 levels)"},
    {"define x = ", "not ", "a", 9, 10, NULL},
    {"define x = ", "not ", "a", 20000, 0, "too deeply nested to parse"},
    {"program p { require \"x\": ", "all of { \"m\": ", "a", 12, 10,
     "too deeply nested (the limit is 10 levels of brackets)"},
};

START_TEST(test_depth)
{
    char *close = repeat("", depths[_i].unit[0] == '(' ? ")" : "", depths[_i].n, "");
    char *src = repeat(depths[_i].head, depths[_i].unit, depths[_i].n, depths[_i].tail);
    char *text = malloc(strlen(src) + strlen(close) + 1);
    ck_assert_ptr_nonnull(text);
    strcpy(text, src);
    strcat(text, close);
    pp_limits lim = {0, depths[_i].max_depth, 0};
    fx f;
    parse_with(&f, text, &lim);
    if (depths[_i].message) {
        ck_assert(!f.ok);
        ck_assert_uint_eq(f.diags.errors, 1);
        ck_assert_str_eq(f.diags.head->message, depths[_i].message);
        ck_assert(!f.diags.oom);
    } else {
        ck_assert(f.ok);
    }
    fx_free(&f);
    free(text);
    free(src);
    free(close);
}
END_TEST

/* Every arena size from nothing up: the parse either succeeds or reports
 * that memory ran out; it never crashes or reports a false syntax error. */
START_TEST(test_oom)
{
    bool done = false;
    size_t limit = 1;
    for (; !done; limit += 48) {
        ck_assert_uint_lt(limit, 1 << 20);
        fx f;
        fx_init(&f);
        int file = ps_add(&f.src, "t.pw", NULL, program_src, strlen(program_src));
        ck_assert_int_ge(file, 0);
        f.arena.limit = f.arena.used_total + limit;
        f.ok = pp_parse_text(&f.arena, &f.src, (uint32_t)file, &f.diags, NULL, &f.decls);
        if (f.ok) {
            done = true;
            ck_assert_str_eq(f.decls->name, "level_2");
        } else {
            ck_assert(f.diags.oom);
            ck_assert_uint_eq(f.diags.errors, 0);
        }
        fx_free(&f);
    }
    ck_assert_uint_gt(limit, 1024);
}
END_TEST

/* The same for the effective dates, examples and tests: every allocation the
 * new rules make fails cleanly. */
static const char oom_examples_src[] =
    "example base = { a: 1, b: [1 -2.5 \"x\"], c: { d: [{ e: none }] } }\n"
    "example child = base with { a: 2 }\n";

START_TEST(test_oom_new_decls)
{
    const char *const srcs[] = {effective_src, test_src, oom_examples_src};
    const char *first[] = {"p", "a coach turning 18", "base"};
    for (int k = 0; k < 3; k++) {
        bool done = false;
        for (size_t limit = 1; !done; limit += 16) {
            ck_assert_uint_lt(limit, 1 << 20);
            fx f;
            fx_init(&f);
            int file = ps_add(&f.src, "t.pw", NULL, srcs[k], strlen(srcs[k]));
            ck_assert_int_ge(file, 0);
            f.arena.limit = f.arena.used_total + limit;
            f.ok = pp_parse_text(&f.arena, &f.src, (uint32_t)file, &f.diags, NULL, &f.decls);
            if (f.ok) {
                done = true;
                ck_assert_str_eq(f.decls->name, first[k]);
            } else {
                ck_assert_msg(f.diags.oom, "source %d, limit %zu: %s", k, limit,
                              f.diags.head ? f.diags.head->message : "failed without a diagnostic");
                ck_assert_uint_eq(f.diags.errors, 0);
            }
            fx_free(&f);
        }
    }
}
END_TEST

/* ---- files and includes -------------------------------------------------------------- */

typedef struct dir {
    char path[64];
} dir;

static void dir_make(dir *d)
{
    strcpy(d->path, "/tmp/pw_parser_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(d->path));
}

static void dir_write(const dir *d, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700); /* one level of subdirectory is enough here */
    *slash = '/';
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void dir_remove(const dir *d)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->path);
    ck_assert_int_eq(system(cmd), 0);
}

static void load(fx *f, const dir *d, const char *name, const pp_limits *lim)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    fx_init(f);
    f->ok = pp_parse_program(&f->arena, &f->src, &f->diags, lim, path, NULL, 0, &f->decls);
}

/* The declarations as "name" or "+path" (for includes), space separated. */
static void decl_names(fx *f, char *buf, size_t len)
{
    buf[0] = '\0';
    for (pa_decl *d = f->decls; d; d = d->next) {
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, "%s%s%s", n ? " " : "",
                 d->kind == PA_D_INCLUDE ? "+" : "", d->kind == PA_D_INCLUDE ? d->u.include.path : d->name);
    }
}

START_TEST(test_include_splice)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "main.pw", "define m1 = 1\ninclude \"lib/a.pw\"\ninclude \"b.pw\"\ndefine m2 = 2\n");
    dir_write(&d, "lib/a.pw", "include \"../b.pw\"\ndefine a = 1\ninclude \"c.pw\"\n");
    dir_write(&d, "lib/c.pw", "define c = 3\n");
    dir_write(&d, "b.pw", "define b = 2\n");
    fx f;
    load(&f, &d, "main.pw", NULL);
    ck_assert_msg(f.ok, "%s", f.diags.head ? f.diags.head->message : "");
    char names[256];
    decl_names(&f, names, sizeof names);
    /* depth first, each file once: b.pw's second include brings nothing */
    ck_assert_str_eq(names, "m1 +lib/a.pw +../b.pw b a +c.pw c +b.pw m2");
    ck_assert_uint_eq(f.src.nfiles, 4);
    /* included files are named relative to the file that includes them */
    char want[128];
    snprintf(want, sizeof want, "%s/lib/../b.pw", d.path);
    ck_assert_str_eq(f.src.files[2].name, want);
    snprintf(want, sizeof want, "%s/b.pw", d.path);
    ck_assert(strstr(f.src.files[2].path, "/b.pw") != NULL);
    ck_assert(strstr(f.src.files[2].path, "..") == NULL); /* the real path */
    /* declarations remember their file */
    pa_decl *b = f.decls->next->next->next;
    ck_assert_str_eq(b->name, "b");
    ck_assert_uint_eq(b->span.file, 2);
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

START_TEST(test_include_cycle)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "include \"b.pw\"\ndefine a = 1\n");
    dir_write(&d, "b.pw", "include \"sub/c.pw\"\ndefine b = 2\n");
    dir_write(&d, "sub/c.pw", "define c = 3\ninclude \"../a.pw\"\n");
    fx f;
    load(&f, &d, "a.pw", NULL);
    ck_assert(!f.ok);
    ck_assert_uint_eq(f.diags.errors, 1);
    pd_diag *e = f.diags.head;
    char want[512];
    snprintf(want, sizeof want, "include cycle: %s/a.pw → %s/b.pw → %s/sub/c.pw → %s/a.pw",
             d.path, d.path, d.path, d.path);
    ck_assert_str_eq(e->message, want);
    ck_assert_str_eq(e->code, "E0003");
    ck_assert_uint_eq(e->span.file, 2);
    ck_assert_str_eq(span_text(&f, e->span), "\"../a.pw\"");
    /* a note at each include on the chain */
    pd_note *n = e->notes;
    ck_assert_uint_eq(n->span.file, 0);
    ck_assert_str_eq(span_text(&f, n->span), "\"b.pw\"");
    snprintf(want, sizeof want, "`%s/a.pw` includes `%s/b.pw` here", d.path, d.path);
    ck_assert_str_eq(n->message, want);
    n = n->next;
    ck_assert_uint_eq(n->span.file, 1);
    ck_assert_str_eq(span_text(&f, n->span), "\"sub/c.pw\"");
    ck_assert_ptr_null(n->next);
    /* everything else is still read */
    char names[256];
    decl_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "+b.pw +sub/c.pw c +../a.pw b a");
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

START_TEST(test_include_self)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "include \"a.pw\"\n");
    fx f;
    load(&f, &d, "a.pw", NULL);
    char want[256];
    snprintf(want, sizeof want, "include cycle: %s/a.pw → %s/a.pw", d.path, d.path);
    ck_assert_str_eq(f.diags.head->message, want);
    ck_assert_ptr_null(f.diags.head->notes);
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

START_TEST(test_include_missing)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "define a = 1\ninclude \"nope.pw\"\ninclude \"sub\"\ndefine z = 2\n");
    dir_write(&d, "sub/x.pw", "");
    fx f;
    load(&f, &d, "a.pw", NULL);
    ck_assert(!f.ok);
    ck_assert_uint_eq(f.diags.errors, 2);
    char want[256];
    snprintf(want, sizeof want, "cannot read `%s/nope.pw`: No such file or directory", d.path);
    pd_diag *e = f.diags.head;
    ck_assert_str_eq(e->message, want);
    ck_assert_str_eq(e->code, "E0001");
    ck_assert_str_eq(span_text(&f, e->span), "\"nope.pw\"");
    snprintf(want, sizeof want, "cannot read `%s/sub`: not a regular file", d.path);
    ck_assert_str_eq(e->next->message, want);
    char names[256];
    decl_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "a +nope.pw +sub z");
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

START_TEST(test_root_missing)
{
    fx f;
    fx_init(&f);
    f.ok = pp_parse_program(&f.arena, &f.src, &f.diags, NULL, "/nonexistent/x.pw", NULL, 0,
                            &f.decls);
    ck_assert(!f.ok);
    ck_assert_str_eq(f.diags.head->message,
                     "cannot read `/nonexistent/x.pw`: No such file or directory");
    ck_assert(!f.diags.head->has_span);
    ck_assert_uint_eq(f.src.nfiles, 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_limits_files)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "include \"b.pw\"\ninclude \"c.pw\"\n");
    dir_write(&d, "b.pw", "define b = 1\n");
    dir_write(&d, "c.pw", "define c = 12345678901234567890\n");
    pp_limits lim = {0, 0, 2};
    fx f;
    load(&f, &d, "a.pw", &lim);
    ck_assert_str_eq(f.diags.head->message, "too many files: the limit is 2");
    ck_assert_str_eq(span_text(&f, f.diags.head->span), "\"c.pw\"");
    fx_free(&f);
    lim = (pp_limits){31, 0, 0}; /* a.pw has 30 bytes, c.pw 32 */
    load(&f, &d, "a.pw", &lim);
    char want[256];
    snprintf(want, sizeof want, "`%s/c.pw` is too large: the limit is 31 bytes", d.path);
    ck_assert_str_eq(f.diags.head->message, want);
    ck_assert_uint_eq(f.diags.errors, 1);
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

START_TEST(test_text_root)
{
    /* Text in memory: includes resolve against the directory of its name. */
    dir d;
    dir_make(&d);
    dir_write(&d, "lib.pw", "define lib = 1\n");
    char name[128];
    snprintf(name, sizeof name, "%s/virtual.pw", d.path);
    const char *text = "include \"lib.pw\"\ndefine main = lib\n";
    fx f;
    fx_init(&f);
    f.ok = pp_parse_program(&f.arena, &f.src, &f.diags, NULL, name, text, strlen(text), &f.decls);
    ck_assert(f.ok);
    char names[128];
    decl_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "+lib.pw lib main");
    ck_assert_str_eq(f.src.files[0].name, name);
    ck_assert_str_eq(f.src.files[0].text, text);
    fx_free(&f);
    pp_limits lim = {10, 0, 0};
    fx_init(&f);
    f.ok = pp_parse_program(&f.arena, &f.src, &f.diags, &lim, "m.pw", text, strlen(text), &f.decls);
    ck_assert(!f.ok);
    ck_assert_str_eq(f.diags.head->message, "`m.pw` is too large: the limit is 10 bytes");
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

/* The file held in memory (pathway test --mutate): an include of it reads
 * the overlay, not the file on disk; an overlay over the size limit is
 * refused as a file would be. */
START_TEST(test_include_overlay)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "include \"b.pw\"\n");
    dir_write(&d, "b.pw", "define on_disk = 1\n");
    char b[256], real[PATH_MAX], main[256];
    snprintf(b, sizeof b, "%s/b.pw", d.path);
    snprintf(main, sizeof main, "%s/a.pw", d.path);
    ck_assert_ptr_nonnull(realpath(b, real));
    const char *mutant = "define in_memory = 2\n";
    pp_includes inc = {.overlay_path = real, .overlay_text = mutant, .overlay_len = strlen(mutant)};
    fx f;
    fx_init(&f);
    f.ok = pp_parse_program_with(&f.arena, &f.src, &f.diags, NULL, &inc, main, NULL, 0, &f.decls);
    ck_assert(f.ok);
    char names[128];
    decl_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "+b.pw in_memory");
    fx_free(&f);
    pp_limits lim = {16, 0, 0}; /* a.pw has 15 bytes, the overlay 21 */
    fx_init(&f);
    f.ok = pp_parse_program_with(&f.arena, &f.src, &f.diags, &lim, &inc, main, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    char want[300];
    snprintf(want, sizeof want, "`%s/b.pw` is too large: the limit is 16 bytes", d.path);
    ck_assert_str_eq(f.diags.head->message, want);
    ck_assert_str_eq(f.diags.head->code, "E0002");
    ck_assert_str_eq(span_text(&f, f.diags.head->span), "\"b.pw\"");
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

/* Under max_errors, an included file's error past the limit is counted but
 * not recorded: the list says it was cut short. */
START_TEST(test_include_max_errors)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "define a = \ninclude \"b.pw\"\n");
    dir_write(&d, "b.pw", "define b = )\n");
    char main[256];
    snprintf(main, sizeof main, "%s/a.pw", d.path);
    fx f;
    pm_init(&f.arena, 0);
    ps_init(&f.src, &f.arena);
    pd_init(&f.diags, &f.arena, 1);
    f.decls = NULL;
    f.ok = pp_parse_program(&f.arena, &f.src, &f.diags, NULL, main, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    ck_assert_str_eq(f.diags.head->message, "unexpected `include`; expected an expression");
    ck_assert_ptr_null(f.diags.head->next);
    ck_assert(f.diags.truncated);
    ck_assert_uint_ge(f.diags.errors, 2);
    fx_free(&f);
    /* Without the limit, the included file's error follows the root's. */
    fx_init(&f);
    f.ok = pp_parse_program(&f.arena, &f.src, &f.diags, NULL, main, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    ck_assert_str_eq(f.diags.head->message, "unexpected `include`; expected an expression");
    ck_assert_str_eq(f.diags.head->next->message, "unexpected `)`; expected an expression");
    ck_assert_uint_eq(f.diags.head->next->span.file, 1);
    ck_assert_str_eq(f.diags.head->next->next->code, "E0005");
    ck_assert_uint_eq(f.diags.errors, 3);
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

/* An included file that is not rule source: its first error keeps a note
 * on its own line (the `{` it quotes anyway) and drops one on another. */
START_TEST(test_include_note_same_line)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "include \"b.txt\"\n");
    dir_write(&d, "b.txt", "program p { require \"r\": true");
    char main[256];
    snprintf(main, sizeof main, "%s/a.pw", d.path);
    fx f;
    fx_init(&f);
    f.ok = pp_parse_program(&f.arena, &f.src, &f.diags, NULL, main, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    pd_diag *e = f.diags.head;
    ck_assert_str_eq(e->message, "unterminated `program` block: expected `}`");
    ck_assert_uint_eq(e->span.file, 1);
    ck_assert_ptr_nonnull(e->notes);
    ck_assert_str_eq(e->notes->message, "to match this `{`");
    ck_assert_str_eq(span_text(&f, e->notes->span), "{");
    ck_assert_str_eq(e->next->code, "E0005");
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

/* Under an include root, a missing include is judged on its path as
 * written: `.` and empty parts are skipped, `..` past `/` stays at `/`
 * (outside the root: refused, not "no such file"); a root of `/` admits
 * every path. */
/* A note without a place (E0210's other spellings) stays on the one error
 * kept of an included file that is not rule source. */
START_TEST(test_include_note_no_span)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "include \"b.txt\"\n");
    dir_write(&d, "b.txt", "define count = 1\n");
    char main[256];
    snprintf(main, sizeof main, "%s/a.pw", d.path);
    fx f;
    fx_init(&f);
    f.ok = pp_parse_program(&f.arena, &f.src, &f.diags, NULL, main, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    pd_diag *e = f.diags.head;
    ck_assert_str_eq(e->code, "E0210");
    ck_assert_ptr_nonnull(e->notes);
    ck_assert(!e->notes->has_span);
    ck_assert_str_eq(e->notes->message, "choose another spelling, e.g. `n` or `how_many`");
    ck_assert_str_eq(e->next->code, "E0005");
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

/* A second program read into the same list is appended after the first. */
START_TEST(test_program_appends)
{
    fx f;
    fx_init(&f);
    const char *one = "define a = 1\n", *two = "define b = 2\n";
    ck_assert(pp_parse_program(&f.arena, &f.src, &f.diags, NULL, "one.pw", one, strlen(one), &f.decls));
    ck_assert(pp_parse_program(&f.arena, &f.src, &f.diags, NULL, "two.pw", two, strlen(two), &f.decls));
    char names[64];
    decl_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "a b");
    fx_free(&f);
}
END_TEST

START_TEST(test_include_root_lexical)
{
    dir d;
    dir_make(&d);
    dir_write(&d, "a.pw", "include \"./sub//../gone.pw\"\n");
    dir_write(&d, "b.pw", "include \"../../../../../../../../../../gone.pw\"\n");
    dir_write(&d, "c.pw", "include \"sub/x.pw\"\n");
    dir_write(&d, "sub/x.pw", "define x = 1\n");
    char path[256], want[512];
    pp_includes inc = {.root = d.path};
    fx f;
    snprintf(path, sizeof path, "%s/a.pw", d.path);
    fx_init(&f);
    f.ok = pp_parse_program_with(&f.arena, &f.src, &f.diags, NULL, &inc, path, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    snprintf(want, sizeof want, "cannot read `%s/./sub//../gone.pw`: No such file or directory", d.path);
    ck_assert_str_eq(f.diags.head->message, want);
    fx_free(&f);
    snprintf(path, sizeof path, "%s/b.pw", d.path);
    fx_init(&f);
    f.ok = pp_parse_program_with(&f.arena, &f.src, &f.diags, NULL, &inc, path, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    snprintf(want, sizeof want,
             "include `../../../../../../../../../../gone.pw` refused: `%s/../../../../../../../../../../gone.pw` "
             "is outside the include root", d.path);
    ck_assert_str_eq(f.diags.head->message, want);
    fx_free(&f);
    /* `.x` is a name, not `..`; `..` past `/` leaves `/` itself. */
    dir_write(&d, "e.pw", "include \".x/gone.pw\"\ninclude \"../../../../../../../../../..\"\n");
    snprintf(path, sizeof path, "%s/e.pw", d.path);
    fx_init(&f);
    f.ok = pp_parse_program_with(&f.arena, &f.src, &f.diags, NULL, &inc, path, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    snprintf(want, sizeof want, "cannot read `%s/.x/gone.pw`: No such file or directory", d.path);
    ck_assert_str_eq(f.diags.head->message, want);
    snprintf(want, sizeof want,
             "include `../../../../../../../../../..` refused: `%s/../../../../../../../../../..` "
             "is outside the include root", d.path);
    ck_assert_str_eq(f.diags.head->next->message, want);
    fx_free(&f);
    /* A sibling whose name starts with the root's is outside it. */
    dir_write(&d, "subx/y.pw", "define y = 1\n");
    dir_write(&d, "sub/f.pw", "include \"../subx/y.pw\"\n");
    char sub[256];
    snprintf(sub, sizeof sub, "%s/sub", d.path);
    inc.root = sub;
    snprintf(path, sizeof path, "%s/sub/f.pw", d.path);
    fx_init(&f);
    f.ok = pp_parse_program_with(&f.arena, &f.src, &f.diags, NULL, &inc, path, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    snprintf(want, sizeof want, "include `../subx/y.pw` refused: `%s/sub/../subx/y.pw` is outside the include root",
             d.path);
    ck_assert_str_eq(f.diags.head->message, want);
    fx_free(&f);
    /* Names of one and two letters are names; a path through a directory
     * that does not exist is judged as written (here it leads to `/`). */
    dir_write(&d, "sub/g.pw", "include \"./ab/x/../../gone.pw\"\ninclude \"../../../../../../../../../../nowhere/..\"\n"
                              "include \".\"\n");
    inc.root = d.path;
    snprintf(path, sizeof path, "%s/sub/g.pw", d.path);
    fx_init(&f);
    f.ok = pp_parse_program_with(&f.arena, &f.src, &f.diags, NULL, &inc, path, NULL, 0, &f.decls);
    ck_assert(!f.ok);
    snprintf(want, sizeof want, "cannot read `%s/sub/./ab/x/../../gone.pw`: No such file or directory", d.path);
    ck_assert_str_eq(f.diags.head->message, want);
    snprintf(want, sizeof want,
             "include `../../../../../../../../../../nowhere/..` refused: "
             "`%s/sub/../../../../../../../../../../nowhere/..` is outside the include root", d.path);
    ck_assert_str_eq(f.diags.head->next->message, want);
    /* The root itself is under the root, but not a file. */
    snprintf(want, sizeof want, "cannot read `%s/sub/.`: not a regular file", d.path);
    ck_assert_str_eq(f.diags.head->next->next->message, want);
    fx_free(&f);
    inc.root = "/";
    snprintf(path, sizeof path, "%s/c.pw", d.path);
    fx_init(&f);
    f.ok = pp_parse_program_with(&f.arena, &f.src, &f.diags, NULL, &inc, path, NULL, 0, &f.decls);
    ck_assert(f.ok);
    char names[64];
    decl_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "+sub/x.pw x");
    fx_free(&f);
    dir_remove(&d);
}
END_TEST

static Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *ex = tcase_create("expressions");
    tcase_add_loop_test(ex, test_expr, 0, (int)(sizeof exprs / sizeof *exprs));
    tcase_add_test(ex, test_expr_spans);
    tcase_add_loop_test(ex, test_whole_span, 0, (int)(sizeof whole_spans / sizeof *whole_spans));
    tcase_add_test(ex, test_quant_spans);
    tcase_add_test(ex, test_depth_field);
    suite_add_tcase(s, ex);
    TCase *decl = tcase_create("declarations");
    tcase_add_test(decl, test_include_decl);
    tcase_add_test(decl, test_records);
    tcase_add_test(decl, test_defines);
    tcase_add_test(decl, test_program);
    tcase_add_test(decl, test_program_minimal);
    tcase_add_test(decl, test_empty_file);
    tcase_add_test(decl, test_appends);
    tcase_add_test(decl, test_effective_periods);
    tcase_add_test(decl, test_define_assuming_and_values);
    tcase_add_test(decl, test_extend);
    tcase_add_test(decl, test_examples);
    tcase_add_test(decl, test_tests);
    suite_add_tcase(s, decl);
    TCase *err = tcase_create("errors");
    tcase_add_loop_test(err, test_syntax_error, 0, (int)(sizeof syntax / sizeof *syntax));
    tcase_add_test(err, test_unterminated_note);
    tcase_add_test(err, test_chain_note);
    tcase_add_test(err, test_recovery_keeps_decls);
    tcase_add_test(err, test_reserved_word_as_name);
    tcase_add_test(err, test_lexical_errors_fail);
    tcase_add_loop_test(err, test_clause_twice, 0, (int)(sizeof twice / sizeof *twice));
    tcase_add_test(err, test_as_of_twice);
    tcase_add_test(err, test_test_recovery);
    suite_add_tcase(s, err);
    TCase *lim = tcase_create("limits");
    tcase_add_loop_test(lim, test_depth, 0, (int)(sizeof depths / sizeof *depths));
    tcase_add_test(lim, test_oom);
    tcase_add_test(lim, test_oom_new_decls);
    suite_add_tcase(s, lim);
    TCase *files = tcase_create("files");
    tcase_add_test(files, test_include_splice);
    tcase_add_test(files, test_include_cycle);
    tcase_add_test(files, test_include_self);
    tcase_add_test(files, test_include_missing);
    tcase_add_test(files, test_root_missing);
    tcase_add_test(files, test_limits_files);
    tcase_add_test(files, test_text_root);
    tcase_add_test(files, test_include_overlay);
    tcase_add_test(files, test_include_max_errors);
    tcase_add_test(files, test_include_note_same_line);
    tcase_add_test(files, test_include_root_lexical);
    tcase_add_test(files, test_include_note_no_span);
    tcase_add_test(files, test_program_appends);
    suite_add_tcase(s, files);
    return s;
}

int main(void)
{
    return pw_run_suite(parser_suite());
}
