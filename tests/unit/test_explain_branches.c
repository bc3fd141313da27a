/* The edges of src/explain's public entry points (issue 23): every NULL and
 * malformed argument of pw_explain, pw_when, pw_plan_find and their
 * _context forms, with the exact status and message; the days a question may
 * look at (the calendar's ends clip the horizon); the coach's `id` as the
 * context's facts give it; a program list naming an unknown program; and a
 * runtime error met on a later day of the horizon, worded as pw_evaluate
 * words it on that day; and the totals explain recognises in the code
 * (a `sum` or `count` of the code generator's exact shape), each change to
 * that shape refused. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_helpers.h"
#include "check_main.h"
#include "bc/code.h"
#include "explain/explain.h"
#include "explain/seen_int.h"

static pw_program *compile(const char *src)
{
    pw_program *p = NULL;
    pw_error err;
    ck_assert_msg(pw_compile_source("t.pw", src, strlen(src), NULL, &p, &err) == PW_OK, "%s", err.message);
    return p;
}

static const char *const simple_rules = "facts coach {\n"
                                        "  id: text\n"
                                        "  n: integer = 0\n"
                                        "}\n"
                                        "program p \"P\" {\n"
                                        "  require \"n at least 1\": n >= 1\n"
                                        "}\n";
static const char *const simple_json = "{\"id\": \"a\", \"n\": 2}";

static pw_explain_options options(const char *as_of, int32_t horizon)
{
    pw_explain_options o;
    pw_explain_options_init(&o);
    o.as_of = pw_test_day(as_of);
    o.horizon_days = horizon;
    return o;
}

static char *text_of(pw_date d, char buf[11])
{
    pw_date_format(d, buf);
    return buf;
}

/* ---- arguments ------------------------------------------------------------ */

START_TEST(test_null_arguments)
{
    pw_program *p = compile(simple_rules);
    pw_explain_options o = options("2026-06-01", 30);
    pw_explanation *e = (pw_explanation *)&o; /* any non-NULL value: cleared first */
    pw_eligibility *w = (pw_eligibility *)&o;
    pw_plan *plan = (pw_plan *)&o;
    pw_error err;
    size_t n = strlen(simple_json);

    /* Whatever is wrong, the result pointer is cleared first. */
    ck_assert_int_eq(pw_explain(NULL, simple_json, n, &o, &e, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_explain: NULL argument");
    ck_assert_ptr_null(e);
    ck_assert_int_eq(pw_explain(p, NULL, n, &o, &e, &err), PW_ERR_USAGE);
    ck_assert_int_eq(pw_explain(p, simple_json, n, &o, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_explain: NULL argument");

    ck_assert_int_eq(pw_when(p, simple_json, n, NULL, &o, &w, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_when: NULL argument");
    ck_assert_ptr_null(w);
    ck_assert_int_eq(pw_when(p, simple_json, n, "p", &o, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_when: NULL argument");

    ck_assert_int_eq(pw_plan_find(p, simple_json, n, NULL, &o, &plan, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_plan_find: NULL argument");
    ck_assert_ptr_null(plan);
    ck_assert_int_eq(pw_plan_find(p, simple_json, n, "p", &o, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_plan_find: NULL argument");

    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_explain_context(NULL, &o, &e, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_explain_context: NULL argument");
    ck_assert_int_eq(pw_explain_context(ctx, &o, NULL, &err), PW_ERR_USAGE);
    ck_assert_int_eq(pw_when_context(ctx, NULL, &o, &w, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_when_context: NULL argument");
    ck_assert_int_eq(pw_plan_find_context(ctx, NULL, &o, &plan, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pw_plan_find_context: NULL argument");
    pw_context_free(ctx);

    /* NULL options structures and results are no-ops. */
    pw_explain_options_init(NULL);
    pw_explanation_free(NULL);
    pw_eligibility_free(NULL);
    pw_plan_free(NULL);
    pw_explanation empty;
    memset(&empty, 0, sizeof empty);
    pw_explanation_free(&empty); /* no arena inside: nothing to free */
    pw_program_free(p);
}
END_TEST

/* Options from a newer release (fields this one does not know, set) are
 * refused, by the JSON and the context forms alike. */
START_TEST(test_foreign_options)
{
    pw_program *p = compile(simple_rules);
    struct {
        pw_explain_options o;
        unsigned char extra[8];
    } newer;
    memset(&newer, 0, sizeof newer);
    newer.o.size = sizeof newer;
    newer.o.as_of = pw_test_day("2026-06-01");
    newer.extra[3] = 1;
    pw_explanation *e;
    pw_eligibility *w;
    pw_error err;
    ck_assert_int_eq(pw_explain(p, simple_json, strlen(simple_json), &newer.o, &e, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "pw_explain_options: fields past byte"));
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, simple_json, strlen(simple_json), &err), PW_OK);
    ck_assert_int_eq(pw_when_context(ctx, "p", &newer.o, &w, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "pw_explain_options: fields past byte"));
    /* Without options, the context's question is about today alone. */
    ck_assert_int_eq(pw_when_context(ctx, "p", NULL, &w, &err), PW_OK);
    ck_assert_int_eq(w->as_of, pw_date_today());
    ck_assert_int_eq(w->last, pw_date_today());
    ck_assert_uint_eq(w->nperiods, 1);
    pw_eligibility_free(w);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(test_facts_not_an_object)
{
    pw_program *p = compile(simple_rules);
    pw_explain_options o = options("2026-06-01", 30);
    pw_explanation *e;
    pw_error err;
    ck_assert_int_eq(pw_explain(p, "{\"id\":", 6, &o, &e, &err), PW_ERR_FACTS);
    ck_assert_str_eq(err.message, "the facts are not valid JSON");
    ck_assert_int_eq(pw_explain(p, "[1, 2]", 6, &o, &e, &err), PW_ERR_FACTS);
    ck_assert_str_eq(err.message, "the facts are not a JSON object");
    pw_program_free(p);
}
END_TEST

/* ---- the days looked at ----------------------------------------------------- */

START_TEST(test_span)
{
    px_span s;
    pw_error err;
    pw_explain_options o = options("2026-06-01", 10);
    char a[11], b[11], c[11];

    /* The horizon is clipped to the calendar's ends, both ways. */
    o.as_of = pw_test_day("2999-12-25");
    ck_assert_int_eq(px_span_of(&o, &s, &err), PW_OK);
    ck_assert_str_eq(text_of(s.last, a), "2999-12-31");
    ck_assert_str_eq(text_of(s.first, b), "2999-12-15");
    o.as_of = pw_test_day("1800-01-05");
    ck_assert_int_eq(px_span_of(&o, &s, &err), PW_OK);
    ck_assert_str_eq(text_of(s.first, a), "1800-01-01");
    ck_assert_str_eq(text_of(s.last, b), "1800-01-15");
    ck_assert_str_eq(text_of(s.as_of, c), "1800-01-05");

    /* A date the calendar has no room for. */
    o.as_of = pw_test_day("1800-01-01") - 1;
    ck_assert_int_eq(px_span_of(&o, &s, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "the evaluation date is outside the years 1800-2999");
    o.as_of = pw_test_day("2999-12-31") + 1;
    ck_assert_int_eq(px_span_of(&o, &s, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "the evaluation date is outside the years 1800-2999");

    /* No options: today, twenty years each way. */
    ck_assert_int_eq(px_span_of(NULL, &s, &err), PW_OK);
    ck_assert_int_eq(s.as_of, pw_date_today());
    ck_assert_int_eq(s.last - s.as_of, PW_DEFAULT_HORIZON_DAYS);
    ck_assert_int_eq(s.as_of - s.first, PW_DEFAULT_HORIZON_DAYS);

    /* Through pw_explain, the message reaches the caller. */
    pw_program *p = compile(simple_rules);
    pw_explanation *e;
    o.as_of = pw_test_day("1800-01-01") - 1;
    ck_assert_int_eq(pw_explain(p, simple_json, strlen(simple_json), &o, &e, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "the evaluation date is outside the years 1800-2999");
    pw_program_free(p);
}
END_TEST

/* ---- the coach's id from a context ------------------------------------------- */

static const char *context_coach(const char *rules, const char *json)
{
    static char id[64];
    pw_program *p = compile(rules);
    pw_context *ctx;
    pw_error err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_msg(pw_context_set_json(ctx, json, strlen(json), &err) == PW_OK, "%s", err.message);
    pw_explain_options o = options("2026-06-01", PW_HORIZON_NONE);
    pw_explanation *e;
    ck_assert_msg(pw_explain_context(ctx, &o, &e, &err) == PW_OK, "%s", err.message);
    snprintf(id, sizeof id, "%s", e->coach ? e->coach : "(null)");
    ck_assert_uint_eq(e->nprograms, 1);
    pw_explanation_free(e);
    pw_context_free(ctx);
    pw_program_free(p);
    return id;
}

START_TEST(test_context_coach_id)
{
    /* A text id, after other fields. */
    ck_assert_str_eq(context_coach("facts coach {\n  n: integer = 0\n  id: text\n}\n"
                                   "program p \"P\" {\n  require \"n\": n >= 0\n}\n",
                                   "{\"n\": 1, \"id\": \"zed\"}"),
                     "zed");
    /* An id that is not text is no coach id. */
    ck_assert_str_eq(context_coach("facts coach {\n  id: integer\n}\n"
                                   "program p \"P\" {\n  require \"id\": id >= 0\n}\n",
                                   "{\"id\": 7}"),
                     "(null)");
    /* An optional text id left out. */
    ck_assert_str_eq(context_coach("facts coach {\n  id: text? = none\n  n: integer = 0\n}\n"
                                   "program p \"P\" {\n  require \"n\": n >= 0\n}\n",
                                   "{\"n\": 1}"),
                     "(null)");
    /* A context whose facts were never set: the defaults, completed first. */
    {
        pw_program *p = compile("facts coach {\n  id: text = \"dflt\"\n  n: integer = 0\n}\n"
                                "program p \"P\" {\n  require \"n\": n >= 0\n}\n");
        pw_context *ctx;
        pw_error err;
        ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
        pw_explain_options o = options("2026-06-01", PW_HORIZON_NONE);
        pw_explanation *e;
        ck_assert_msg(pw_explain_context(ctx, &o, &e, &err) == PW_OK, "%s", err.message);
        ck_assert_str_eq(e->coach ? e->coach : "(null)", "dflt");
        ck_assert_int_eq(e->programs[0].verdict, PW_ELIGIBLE);
        pw_explanation_free(e);
        pw_context_free(ctx);
        pw_program_free(p);
    }
    /* No field called id at all; the answers, as text, say so. */
    {
        pw_program *p = compile("facts coach {\n  n: integer = 0\n}\n"
                                "program p \"P\" {\n  require \"n\": n >= 0\n}\n");
        pw_context *ctx;
        pw_error err;
        ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
        ck_assert_int_eq(pw_context_set_json(ctx, "{\"n\": 1}", 8, &err), PW_OK);
        pw_explain_options o = options("2026-06-01", PW_HORIZON_NONE);
        pw_explanation *e;
        pw_eligibility *w;
        pw_plan *plan;
        char *buf = NULL;
        size_t len = 0, cap = 0;
        ck_assert_int_eq(pw_explain_context(ctx, &o, &e, &err), PW_OK);
        ck_assert(px_render_explain(e, false, &buf, &len, &cap));
        ck_assert_int_eq(pw_when_context(ctx, "p", &o, &w, &err), PW_OK);
        ck_assert(px_render_when(w, false, &buf, &len, &cap));
        ck_assert_int_eq(pw_plan_find_context(ctx, "p", &o, &plan, &err), PW_OK);
        ck_assert(px_render_plan(plan, false, &buf, &len, &cap));
        ck_assert_str_eq(buf, "(no id) as of 2026-06-01 (looking from 2026-06-01 to 2026-06-01)\n"
                              "  p (P): eligible\n"
                              "    [met] n\n"
                              "          n 1 (needs at least 0)\n"
                              "(no id): p, from 2026-06-01 to 2026-06-01\n"
                              "  eligible from 2026-06-01 (the evaluation date), to the end of the horizon\n"
                              "(no id): plan for p as of 2026-06-01\n"
                              "  1. 2026-06-01: p (P)\n"
                              "  eligible for p on 2026-06-01: 1 program\n");
        free(buf);
        pw_plan_free(plan);
        pw_eligibility_free(w);
        pw_explanation_free(e);
        pw_context_free(ctx);
        pw_program_free(p);
    }
    /* No field called id at all. */
    ck_assert_str_eq(context_coach("facts coach {\n  n: integer = 0\n}\n"
                                   "program p \"P\" {\n  require \"n\": n >= 0\n}\n",
                                   "{\"n\": 1}"),
                     "(null)");
}
END_TEST

/* ---- programs asked about ----------------------------------------------------- */

START_TEST(test_unknown_program_in_list)
{
    pw_program *p = compile(simple_rules);
    pw_explain_options o = options("2026-06-01", 30);
    const char *const names[] = {"p", "nope"};
    o.programs = names;
    o.nprograms = 2;
    pw_explanation *e;
    pw_error err;
    ck_assert_int_eq(pw_explain(p, simple_json, strlen(simple_json), &o, &e, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "nope"));
    ck_assert_ptr_null(e);
    o.nprograms = 1;
    ck_assert_int_eq(pw_explain(p, simple_json, strlen(simple_json), &o, &e, &err), PW_OK);
    ck_assert_uint_eq(e->nprograms, 1);
    ck_assert_str_eq(e->programs[0].id, "p");
    pw_explanation_free(e);
    pw_program_free(p);
}
END_TEST

/* ---- a runtime error on a later day ---------------------------------------------- */

/* n * 512 * (days since start) fits on the evaluation date (2^62) and
 * overflows the next day: each question looks at that day and fails with
 * the message pw_evaluate gives for it, place and program included. */
static const char *const overflow_rules = "facts coach {\n"
                                          "  id: text\n"
                                          "  n: integer\n"
                                          "  start: date\n"
                                          "}\n"
                                          "program p \"P\" {\n"
                                          "  require \"small product\": n * 512 * (days since start) < 100\n"
                                          "}\n";
static const char *const overflow_json = "{\"id\": \"a\", \"n\": 9007199254740992, \"start\": \"2025-12-31\"}";

START_TEST(test_error_on_a_later_day)
{
    pw_program *p = compile(overflow_rules);
    pw_context *ctx;
    pw_error err, eval_err;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, overflow_json, strlen(overflow_json), &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, pw_test_day("2026-01-01"), &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, pw_test_day("2026-01-02"), &eval_err), PW_ERR_EVAL);
    ck_assert_str_eq(eval_err.message, "t.pw:7:36: integer overflow in `*` (program `p`)");

    pw_explain_options o = options("2026-01-01", 30);
    size_t n = strlen(overflow_json);
    pw_explanation *e;
    pw_eligibility *w;
    pw_plan *plan;
    ck_assert_int_eq(pw_explain(p, overflow_json, n, &o, &e, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, eval_err.message);
    ck_assert_int_eq(pw_when(p, overflow_json, n, "p", &o, &w, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, eval_err.message);
    ck_assert_int_eq(pw_plan_find(p, overflow_json, n, "p", &o, &plan, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, eval_err.message);
    /* The evaluation date alone is fine. */
    o.horizon_days = PW_HORIZON_NONE;
    ck_assert_int_eq(pw_explain(p, overflow_json, n, &o, &e, &err), PW_OK);
    ck_assert_int_eq(e->programs[0].reqs[0].holds, PW_UNMET);
    pw_explanation_free(e);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* ---- one day, by node ---------------------------------------------------------- */

/* px_holds_at and px_node_at: a node past the program's last is a usage
 * error naming the program; a day outside the program's period is "not in
 * force"; facts set field by field are completed first (the required
 * field left out is named). */
START_TEST(test_node_at)
{
    pw_program *p = compile("facts coach {\n  id: text\n  n: integer\n}\n"
                            "program p \"P\"\n  effective from 2026-01-01\n{\n  require \"n\": n >= 1\n}\n");
    pw_context *ctx;
    pw_error err;
    pw_outcome out;
    unsigned met = 9, members = 9;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "id", "a", &err), PW_OK);
    pw_date day = pw_test_day("2026-06-01");
    ck_assert_int_eq(px_holds_at(ctx, 0, 0, day, &out, &met, &members, &err), PW_ERR_FACTS);
    ck_assert_ptr_nonnull(strstr(err.field, "n"));
    ck_assert_int_eq(px_node_at(ctx, 0, 0, day, &out, &err), PW_ERR_FACTS);
    ck_assert_int_eq(pw_context_set_int(ctx, "n", 3, &err), PW_OK);
    ck_assert_int_eq(px_node_at(ctx, 0, 0, day, &out, &err), PW_OK);
    ck_assert_int_eq(out, PW_MET);
    ck_assert_int_eq(px_holds_at(ctx, 0, 0, day, &out, &met, &members, &err), PW_OK);
    ck_assert_int_eq(out, PW_MET);
    ck_assert_uint_eq(met, 0); /* a leaf has no members */
    ck_assert_uint_eq(members, 0);
    ck_assert_int_eq(px_holds_at(ctx, 0, 0, pw_test_day("2025-06-01"), &out, NULL, NULL, &err), PW_OK);
    ck_assert_int_eq(out, PW_NOT_IN_FORCE);
    ck_assert_int_eq(px_holds_at(ctx, 0, 1, day, &out, NULL, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "no requirement 1 in program `p`");
    ck_assert_int_eq(px_node_at(ctx, 0, 1, day, &out, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "no requirement 1 in program `p`");
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* ---- totals: the code generator's shape, and nothing else ------------------------ */

static const char *const totals_rules = "record course {\n"
                                        "  completed: date\n"
                                        "  hours: number\n"
                                        "  points: integer\n"
                                        "  in_person: boolean = false\n"
                                        "}\n"
                                        "facts coach {\n"
                                        "  id: text\n"
                                        "  birth_date: date\n"
                                        "  courses: list of course = []\n"
                                        "}\n"
                                        "define in_person_courses: integer = count c in courses where c.in_person\n"
                                        "define hours: number = sum c.hours for c in courses\n"
                                        "define points: integer = sum c.points for c in courses where c.completed <= today\n"
                                        "define points_as_number: number = sum c.points for c in courses\n"
                                        "program p \"P\" {\n"
                                        "  require \"two in person\": in_person_courses >= 2\n"
                                        "  require \"ten hours\": hours >= 10.0\n"
                                        "  require \"five points\": points >= 5\n"
                                        "  require \"five and a half\": points_as_number >= 5.5\n"
                                        "}\n";

typedef struct decoded {
    pb_insn in[64];
    size_t pc[64];
    size_t n;
} decoded;

static void decode_func(const pb_image *img, uint32_t f, decoded *d)
{
    const pb_func *fn = &img->funcs[f];
    size_t end = (size_t)fn->code_off + fn->code_len;
    d->n = 0;
    for (size_t pc = fn->code_off; pc < end; pc += d->in[d->n++].size) {
        ck_assert_uint_lt(d->n, 64);
        ck_assert(pb_decode(img->code, end, pc, &d->in[d->n]));
        d->pc[d->n] = pc;
    }
}

/* The function named `name`. */
static uint32_t func_named(const pb_image *img, const char *name)
{
    for (uint32_t f = 0; f < img->nfuncs; f++)
        if (strcmp(img->strings[img->funcs[f].name], name) == 0)
            return f;
    ck_abort_msg("no function %s", name);
    return 0;
}

/* The k-th instruction (from 0) with opcode op; -1: the last. */
static size_t nth(const decoded *d, pb_op op, int k)
{
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < d->n; i++)
        if (d->in[i].op == op && (found = i, k-- == 0))
            return i;
    ck_assert_msg(k < 0 && found != SIZE_MAX, "no such instruction");
    return found;
}

/* Function f of a copy of img with instruction i re-encoded as (op, a, b)
 * (the same size: the jumps stay right): whether it is still a total. */
static bool total_with(const pb_image *img, uint32_t f, const decoded *d, size_t i, pb_op op, uint32_t a,
                       uint32_t b)
{
    pb_image m = *img;
    uint8_t *code = malloc(img->ncode);
    ck_assert_ptr_nonnull(code);
    memcpy(code, img->code, img->ncode);
    ck_assert_uint_eq(pb_encode(code + d->pc[i], op, a, b), d->in[i].size);
    m.code = code;
    px_quant q;
    bool total = px_quant_func(&m, f, &q);
    free(code);
    return total;
}

START_TEST(test_totals_shape)
{
    pw_program *p = compile(totals_rules);
    const pb_image *img = pt_program_image(p);
    px_quant q;
    decoded d;

    /* The three shapes are totals: a count, a sum of numbers, a sum of
     * integers with a where clause; the sums name the field they add. */
    uint32_t count = func_named(img, "in_person_courses"), hours = func_named(img, "hours"),
             points = func_named(img, "points");
    ck_assert(px_quant_func(img, count, &q));
    ck_assert_int_eq(q.kind, PX_COUNT);
    ck_assert_int_eq(q.type.kind, PB_T_INT);
    ck_assert(px_quant_func(img, hours, &q));
    ck_assert_int_eq(q.kind, PX_SUM);
    ck_assert_int_eq(q.type.kind, PB_T_NUM);
    ck_assert_str_eq(img->strings[img->fields[q.field].name], "hours");
    ck_assert(px_quant_func(img, points, &q));
    ck_assert_int_eq(q.kind, PX_SUM);
    ck_assert_str_eq(img->strings[img->fields[q.field].name], "points");
    /* Not at any other instruction of the function. */
    decode_func(img, points, &d);
    for (size_t i = 1; i < d.n; i++)
        ck_assert(!px_quant_at(img, d.pc[i], d.pc[d.n - 1] + d.in[d.n - 1].size, 0, &q));

    /* Each change of the count's shape is refused. */
    decode_func(img, count, &d);
    size_t i0 = 0;
    ck_assert_int_eq(d.in[i0].op, PB_OP_PUSH_INT);
    uint32_t one = d.in[nth(&d, PB_OP_PUSH_INT, 1)].a; /* the 1 a count adds */
    ck_assert(!total_with(img, count, &d, i0, PB_OP_PUSH_INT, one, 0));          /* starts from 1 */
    ck_assert(!total_with(img, count, &d, i0, PB_OP_PUSH_INT, img->nints, 0));   /* no such constant */
    ck_assert(!total_with(img, count, &d, i0, PB_OP_PUSH_NUM, img->nnums, 0));   /* no such number */
    size_t acc = nth(&d, PB_OP_STORE_LOCAL, 0);
    ck_assert(!total_with(img, count, &d, acc, PB_OP_LOAD_LOCAL, d.in[acc].a, 0)); /* no accumulator */
    size_t list = nth(&d, PB_OP_LOAD_FACT, 0);
    ck_assert(!total_with(img, count, &d, list, PB_OP_LOAD_FACT, 1, 0)); /* birth_date: no list */
    ck_assert(!total_with(img, count, &d, list, PB_OP_LOAD_FACT, img->records[0].nfields, 0));
    ck_assert(!total_with(img, count, &d, list, PB_OP_LOAD_LOCAL, 0, 0));
    size_t init = nth(&d, PB_OP_ITER_INIT, 0);
    ck_assert(!total_with(img, count, &d, init, PB_OP_ITER_NEXT, d.in[init].a, 0));
    size_t next = nth(&d, PB_OP_ITER_NEXT, 0);
    ck_assert(!total_with(img, count, &d, next, PB_OP_ITER_FIND, d.in[next].a, d.in[next].b));
    ck_assert(!total_with(img, count, &d, next, PB_OP_ITER_NEXT, d.in[next].a + 7, d.in[next].b));
    ck_assert(!total_with(img, count, &d, next, PB_OP_ITER_NEXT, d.in[next].a, 4096)); /* done past the end */
    size_t var = nth(&d, PB_OP_STORE_LOCAL, 1);
    ck_assert(!total_with(img, count, &d, var, PB_OP_LOAD_LOCAL, d.in[var].a, 0));
    /* Inside the body: a jump out of it, a local never written. */
    size_t jf = nth(&d, PB_OP_JUMP_FALSE, 0);
    ck_assert(!total_with(img, count, &d, jf, PB_OP_JUMP_FALSE, 4096, 0));
    ck_assert(!total_with(img, count, &d, jf, PB_OP_JUMP, 4096, 0));
    ck_assert(!total_with(img, count, &d, jf, PB_OP_JUMP_TRUE, 4096, 0));
    size_t ld = nth(&d, PB_OP_LOAD_LOCAL, 0);
    ck_assert(!total_with(img, count, &d, ld, PB_OP_LOAD_LOCAL, 40, 0));
    /* The loop back, and what comes after it. */
    size_t loop = nth(&d, PB_OP_LOOP, 0);
    ck_assert(!total_with(img, count, &d, loop, PB_OP_LOOP, d.in[loop].a + 4096, 0)); /* before the code */
    ck_assert(!total_with(img, count, &d, loop, PB_OP_LOOP, d.in[loop].a - 1, 0));    /* not to the head */
    ck_assert(!total_with(img, count, &d, loop, PB_OP_JUMP, 0, 0));                   /* no loop last */
    size_t fin = nth(&d, PB_OP_LOAD_LOCAL, -1);
    ck_assert(!total_with(img, count, &d, fin, PB_OP_LOAD_LOCAL, d.in[var].a, 0));   /* not the accumulator */
    ck_assert(!total_with(img, count, &d, fin, PB_OP_LOAD_LOCAL, 40, 0));            /* a local never written */
    ck_assert(!total_with(img, count, &d, fin, PB_OP_STORE_LOCAL, d.in[fin].a, 0));
    /* The tail: the accumulator stored, by the right addition. */
    size_t store = nth(&d, PB_OP_STORE_LOCAL, -1);
    ck_assert(!total_with(img, count, &d, store, PB_OP_STORE_LOCAL, d.in[var].a, 0));
    size_t add = nth(&d, PB_OP_ADD_INT, 0);
    ck_assert(!total_with(img, count, &d, add, PB_OP_SUB_INT, 0, 0));
    /* Adding something other than 1 is a sum, of no field. */
    {
        pb_image m = *img;
        uint8_t *code = malloc(img->ncode);
        memcpy(code, img->code, img->ncode);
        m.code = code;
        size_t k = nth(&d, PB_OP_PUSH_INT, 1);
        pb_encode(code + d.pc[k], PB_OP_PUSH_INT, d.in[i0].a, 0); /* adds 0 */
        ck_assert(px_quant_func(&m, count, &q));
        ck_assert_int_eq(q.kind, PX_SUM);
        ck_assert_int_eq(q.field, -1);
        free(code);
    }
    /* A function that is a total and then more is not one total. */
    ck_assert(!total_with(img, count, &d, d.n - 1, PB_OP_NOP, 0, 0));
    /* A return inside the body. */
    ck_assert(!total_with(img, count, &d, nth(&d, PB_OP_ADD_INT, 0), PB_OP_RET, 0, 0));
    /* An integer sum made a number: a total, then a conversion, so the
     * function as a whole is not one. */
    {
        uint32_t f = func_named(img, "points_as_number");
        const pb_func *fn = &img->funcs[f];
        ck_assert(px_quant_at(img, fn->code_off, (size_t)fn->code_off + fn->code_len, fn->nparams, &q));
        ck_assert_int_eq(q.type.kind, PB_T_INT);
        ck_assert(!px_quant_func(img, f, &q));
    }

    /* Code cut short anywhere inside the total is not one. */
    {
        size_t start = d.pc[0];
        ck_assert(!px_quant_at(img, start, start, 0, &q));
        for (size_t i = 0; i + 1 < d.n; i++) /* the last is the function's RET, after the total */
            ck_assert_msg(!px_quant_at(img, start, d.pc[i] + d.in[i].size - 1, 0, &q), "cut inside instruction %zu", i);
        ck_assert(px_quant_at(img, start, d.pc[d.n - 1], 0, &q));
    }
    /* A loop whose body is empty, or that ends inside an instruction. */
    ck_assert(!total_with(img, count, &d, next, PB_OP_ITER_NEXT, d.in[next].a, d.in[var].size));
    ck_assert(!total_with(img, count, &d, next, PB_OP_ITER_NEXT, d.in[next].a, 0));
    /* The tail: the accumulator not stored last. */
    ck_assert(!total_with(img, count, &d, store, PB_OP_LOAD_LOCAL, d.in[store].a, 0));
    /* Adding 1 to something other than the accumulator is a sum. */
    {
        size_t k = nth(&d, PB_OP_PUSH_INT, 1), before = k - 1;
        ck_assert_int_eq(d.in[before].op, PB_OP_LOAD_LOCAL);
        pb_image m = *img;
        uint8_t *code = malloc(img->ncode);
        memcpy(code, img->code, img->ncode);
        m.code = code;
        pb_encode(code + d.pc[before], PB_OP_LOAD_LOCAL, d.in[var].a, 0);
        ck_assert(px_quant_func(&m, count, &q));
        ck_assert_int_eq(q.kind, PX_SUM);
        ck_assert_int_eq(q.field, -1);
        free(code);
    }

    /* The sum of numbers: its zero, and its addition of numbers. */
    decode_func(img, hours, &d);
    ck_assert_int_eq(d.in[0].op, PB_OP_PUSH_NUM);
    ck_assert(!total_with(img, hours, &d, 0, PB_OP_PUSH_NUM, img->nnums, 0));
    ck_assert(!total_with(img, hours, &d, nth(&d, PB_OP_ADD_NUM, 0), PB_OP_ADD_INT, 0, 0));
    /* A field of something other than the entry, or added to something
     * other than the accumulator: a sum of no field. */
    for (int k = 0; k < 2; k++) {
        size_t f = nth(&d, PB_OP_LOAD_FIELD, 0), at = f - 1 - (size_t)k; /* the entry, then the accumulator */
        ck_assert_int_eq(d.in[at].op, PB_OP_LOAD_LOCAL);
        uint32_t other = d.in[f - 1].a == d.in[at].a ? d.in[f - 2].a : d.in[f - 1].a;
        pb_image m = *img;
        uint8_t *code = malloc(img->ncode);
        memcpy(code, img->code, img->ncode);
        m.code = code;
        pb_encode(code + d.pc[at], PB_OP_LOAD_LOCAL, other, 0);
        ck_assert(px_quant_func(&m, hours, &q));
        ck_assert_int_eq(q.kind, PX_SUM);
        ck_assert_int_eq(q.field, -1);
        free(code);
    }
    pw_program_free(p);
}
END_TEST

/* ---- replaying a plan ------------------------------------------------------------ */

/* A course open for enrolment in the autumn, an award in force from
 * October that needs the course's certificate, and a target that needs the
 * award's. */
static const char *const replay_rules = "record certificate {\n"
                                        "  id: text\n"
                                        "  issued: date\n"
                                        "  expires: date? = none\n"
                                        "}\n"
                                        "facts coach {\n"
                                        "  id: text\n"
                                        "  certificates: list of certificate = []\n"
                                        "}\n"
                                        "define holds(c: text): boolean =\n"
                                        "  any x in certificates where x.id = c and x.issued <= today\n"
                                        "program course \"Course\"\n"
                                        "  enrolment open from 2026-09-01 until 2026-12-31\n"
                                        "{\n"
                                        "  grants \"course-cert\"\n"
                                        "  require \"a coach\": id != \"\"\n"
                                        "}\n"
                                        "program award \"Award\"\n"
                                        "  effective from 2026-10-01\n"
                                        "{\n"
                                        "  grants \"award-cert\"\n"
                                        "  require \"the course\": holds(\"course-cert\")\n"
                                        "}\n"
                                        "program top \"Top\" {\n"
                                        "  require \"the award\": holds(\"award-cert\")\n"
                                        "}\n";

/* The plan found is replayed before it is returned; px_plan_replay is the
 * check, and each way a plan can be wrong is caught with its own message:
 * a step taken before its window opens, before its program is in force,
 * before the certificate it needs is granted, or under another version. */
START_TEST(test_plan_replay)
{
    pw_program *p = compile(replay_rules);
    const char *json = "{\"id\": \"a\"}";
    pw_explain_options o = options("2026-06-01", 730);
    pw_plan *plan;
    pw_error err;
    char b[11];
    ck_assert_msg(pw_plan_find(p, json, strlen(json), "top", &o, &plan, &err) == PW_OK, "%s", err.message);
    ck_assert(plan->reachable);
    ck_assert_uint_eq(plan->nsteps, 3);
    ck_assert_str_eq(plan->steps[0].program, "course");
    ck_assert_str_eq(text_of(plan->steps[0].enrol, b), "2026-09-01");
    ck_assert_str_eq(plan->steps[1].program, "award");
    ck_assert_str_eq(text_of(plan->steps[1].enrol, b), "2026-10-01");
    ck_assert_str_eq(plan->steps[2].program, "top");

    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, &err), PW_OK);
    cJSON *record = cJSON_Parse(json);
    ck_assert_ptr_nonnull(record);
    ck_assert_int_eq(pt_context_set_cjson(ctx, record, &err), PW_OK);
    ck_assert_int_eq(px_plan_replay(ctx, record, plan, &err), PW_OK);

    pw_plan_step steps[3];
    memcpy(steps, plan->steps, sizeof steps);
    pw_plan wrong = *plan;
    wrong.steps = steps;

    steps[0].enrol = pw_test_day("2026-08-31");
    ck_assert_int_eq(px_plan_replay(ctx, record, &wrong, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, "replay: step 1 (course) is not open for enrolment on 2026-08-31");
    steps[0] = plan->steps[0];

    steps[1].enrol = pw_test_day("2026-09-15");
    ck_assert_int_eq(px_plan_replay(ctx, record, &wrong, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, "replay: step 2 (award) is not in force on 2026-09-15");
    steps[1] = plan->steps[1];

    steps[2].enrol = pw_test_day("2026-09-20");
    ck_assert_int_eq(px_plan_replay(ctx, record, &wrong, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, "replay: step 3 (top) on 2026-09-20: \"the award\" is not met");
    steps[2] = plan->steps[2];

    steps[2].version = steps[1].version; /* top, said to be award's version */
    ck_assert_int_eq(px_plan_replay(ctx, record, &wrong, &err), PW_ERR_EVAL);
    ck_assert_str_eq(err.message, "replay: step 3 (top) is not the version in force on 2026-10-01");
    steps[2] = plan->steps[2];

    /* The facts are the record's again after each replay. */
    ck_assert_int_eq(px_plan_replay(ctx, record, &wrong, &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, steps[2].version, steps[2].enrol, &err), PW_OK);
    ck_assert_int_eq(pw_result_verdict(ctx, steps[2].version), PW_NOT_ELIGIBLE);
    cJSON_Delete(record);
    pw_context_free(ctx);
    pw_plan_free(plan);
    pw_program_free(p);
}
END_TEST

/* ---- more requirements than explain remembers ------------------------------------- */

/* 300 programs, each with a requirement of its own (`years since
 * birth_date >= K`, K = 1..300): more than the 256 scans and values explain
 * keeps to share between programs. Those past the limit are computed
 * afresh, and every answer is still right. */
START_TEST(test_many_requirements)
{
    size_t cap = 64 * 1024, at = 0;
    char *src = malloc(cap);
    ck_assert_ptr_nonnull(src);
    at += (size_t)snprintf(src + at, cap - at, "facts coach {\n  id: text\n  birth_date: date\n}\n");
    for (int k = 1; k <= 300; k++)
        at += (size_t)snprintf(src + at, cap - at,
                               "program p%d \"P%d\" {\n  require \"%d years\": years since birth_date >= %d\n}\n", k, k,
                               k, k);
    ck_assert_uint_lt(at, cap);
    pw_program *p = compile(src);
    free(src);
    const char *json = "{\"id\": \"a\", \"birth_date\": \"2000-01-01\"}";
    pw_explain_options o = options("2026-06-01", 0);
    pw_explanation *e;
    pw_error err;
    ck_assert_msg(pw_explain(p, json, strlen(json), &o, &e, &err) == PW_OK, "%s", err.message);
    ck_assert_uint_eq(e->nprograms, 300);
    for (int k = 1; k <= 300; k++) {
        const pw_program_explained *pe = &e->programs[k - 1];
        const pw_req_explained *r = &pe->reqs[0];
        char want[11], got[11];
        if (k <= 26) {
            ck_assert_int_eq(pe->verdict, PW_ELIGIBLE);
            ck_assert_int_eq(r->holds, PW_MET);
            ck_assert_int_eq(r->unmet_on, PW_DATE_MAX);
        } else if (k <= 46) { /* within the 20 years ahead */
            ck_assert_int_eq(r->holds, PW_UNMET);
            snprintf(want, sizeof want, "%04d-01-01", 2000 + k);
            ck_assert_str_eq(text_of(r->met_on, got), want);
        } else {
            ck_assert_int_eq(r->holds, PW_UNMET);
            ck_assert_int_eq(r->met_on, PW_DATE_MAX);
        }
        ck_assert_uint_eq(r->nseen, 1);
        ck_assert_str_eq(r->seen[0].expr, "birth_date");
        ck_assert_str_eq(r->seen[0].value, "2000-01-01");
    }
    pw_explanation_free(e);
    pw_program_free(p);
}
END_TEST

/* A certificate's validity computed from the facts (`valid until granted +
 * n years`) that leaves the calendar: the plan fails with the VM's message,
 * its place, and which program's validity it was. */
START_TEST(test_plan_validity_error)
{
    pw_program *p = compile("record certificate {\n"
                            "  id: text\n"
                            "  issued: date\n"
                            "  expires: date? = none\n"
                            "}\n"
                            "facts coach {\n"
                            "  id: text\n"
                            "  n: integer = 1\n"
                            "  certificates: list of certificate = []\n"
                            "}\n"
                            "program course \"Course\" {\n"
                            "  grants \"c\" valid until granted + n years\n"
                            "  require \"a coach\": id != \"\"\n"
                            "}\n"
                            "program top \"Top\" {\n"
                            "  require \"the course\": any x in certificates where x.id = \"c\"\n"
                            "}\n");
    pw_explain_options o = options("2026-06-01", 365);
    pw_plan *plan;
    pw_error err;
    const char *fine = "{\"id\": \"a\", \"n\": 2}", *huge = "{\"id\": \"a\", \"n\": 5000}";
    ck_assert_msg(pw_plan_find(p, fine, strlen(fine), "top", &o, &plan, &err) == PW_OK, "%s", err.message);
    char b[11];
    ck_assert_uint_eq(plan->nsteps, 2);
    ck_assert_str_eq(text_of(plan->steps[0].expires, b), "2028-06-01");
    pw_plan_free(plan);
    ck_assert_int_eq(pw_plan_find(p, huge, strlen(huge), "top", &o, &plan, &err), PW_ERR_EVAL);
    ck_assert_ptr_null(plan);
    ck_assert_ptr_nonnull(strstr(err.message, "(the validity of `course`)"));
    ck_assert_msg(strncmp(err.message, "t.pw:12:", 8) == 0, "%s", err.message);
    pw_program_free(p);
}
END_TEST

/* A count whose where clause looks through another list by key
 * (ITER_KEY, ITER_FIND inside the body): a total; with the inner lookup
 * reading an iterator never set up, not one. */
START_TEST(test_totals_nested)
{
    pw_program *p = compile("record course {\n  points: integer\n  code: text = \"\"\n}\n"
                            "record licence {\n  code: text\n}\n"
                            "facts coach {\n  id: text\n  courses: list of course = []\n"
                            "  licences: list of licence = []\n}\n"
                            "define with_licence: integer =\n"
                            "  count c in courses where any l in licences where l.code = c.code\n"
                            "program p \"P\" {\n  require \"x\": with_licence >= 1\n}\n");
    const pb_image *img = pt_program_image(p);
    uint32_t f = func_named(img, "with_licence");
    px_quant q;
    decoded d;
    ck_assert(px_quant_func(img, f, &q));
    ck_assert_int_eq(q.kind, PX_COUNT);
    decode_func(img, f, &d);
    size_t key = nth(&d, PB_OP_ITER_KEY, 0), find = nth(&d, PB_OP_ITER_FIND, 0);
    uint32_t it = d.in[nth(&d, PB_OP_ITER_INIT, 1)].a; /* the inner iterator */
    ck_assert(!total_with(img, f, &d, key, PB_OP_ITER_KEY, 40, d.in[key].b));
    ck_assert(!total_with(img, f, &d, find, PB_OP_ITER_FIND, 40, d.in[find].b));
    ck_assert(!total_with(img, f, &d, find, PB_OP_ITER_FIND, it + 1, d.in[find].b)); /* its third local unset */
    ck_assert(!total_with(img, f, &d, find, PB_OP_ITER_NEXT, 40, d.in[find].b));
    pw_program_free(p);
}
END_TEST

/* Without options: today, and the default horizon of twenty years. */
START_TEST(test_no_options)
{
    pw_program *p = compile(simple_rules);
    size_t n = strlen(simple_json);
    pw_explanation *e;
    pw_eligibility *w;
    pw_plan *plan;
    pw_error err;
    ck_assert_int_eq(pw_explain(p, simple_json, n, NULL, &e, &err), PW_OK);
    ck_assert_int_eq(e->as_of, pw_date_today());
    ck_assert_uint_eq(e->nprograms, 1);
    ck_assert_int_eq(e->programs[0].verdict, PW_ELIGIBLE);
    pw_explanation_free(e);
    ck_assert_int_eq(pw_when(p, simple_json, n, "p", NULL, &w, &err), PW_OK);
    ck_assert_int_eq(w->last - w->as_of, PW_DEFAULT_HORIZON_DAYS);
    ck_assert_uint_eq(w->nperiods, 1);
    ck_assert(w->periods[0].from_start && w->periods[0].to_end);
    pw_eligibility_free(w);
    ck_assert_int_eq(pw_plan_find(p, simple_json, n, "p", NULL, &plan, &err), PW_OK);
    ck_assert(plan->reachable);
    ck_assert_uint_eq(plan->nsteps, 1);
    pw_plan_free(plan);
    pw_program_free(p);
}
END_TEST

/* Requirements a person decides (tests/rules/handbooks/decisions.pw): what
 * explain shows and what blocks `when`, for a refusal and an acceptance. */
START_TEST(test_decisions)
{
    pw_program *p = pw_test_open("tests/rules/handbooks/decisions.pw");
    const char *refused = "{\"id\":\"refused\",\"birth_date\":\"1990-06-15\",\"licences\":[{\"id\":\"c-licence\","
                          "\"issued\":\"2024-03-01\"}],\"decisions\":[{\"key\":\"meets the 3.2 Rule\","
                          "\"accepted\":false},{\"key\":\"foreign-licence\",\"accepted\":false}]}";
    const char *accepted = "{\"id\":\"accepted\",\"birth_date\":\"1990-06-15\",\"licences\":[{\"id\":\"c-licence\","
                           "\"issued\":\"2024-03-01\"}],\"decisions\":[{\"key\":\"meets the 3.2 Rule\","
                           "\"accepted\":true}]}";
    pw_explain_options o = options("2026-11-23", 365);
    pw_eligibility *w;
    pw_explanation *e;
    pw_error err;
    ck_assert_msg(pw_when(p, refused, strlen(refused), "b_licence", &o, &w, &err) == PW_OK, "%s", err.message);
    ck_assert_uint_eq(w->nperiods, 0);
    bool found = false;
    for (size_t i = 0; i < w->nblocking; i++)
        if (strcmp(w->blocking[i].label, "meets the 3.2 Rule") == 0) {
            ck_assert_str_eq(w->blocking_decision[i], "refused by the national coaching committee");
            found = true;
        }
    ck_assert(found);
    pw_eligibility_free(w);
    const char *const b_only[] = {"b_licence"};
    o.programs = b_only;
    o.nprograms = 1;
    ck_assert_msg(pw_explain(p, accepted, strlen(accepted), &o, &e, &err) == PW_OK, "%s", err.message);
    found = false;
    for (size_t k = 0; k < e->programs[0].nreqs; k++) {
        const pw_req_explained *r = &e->programs[0].reqs[k];
        if (strcmp(r->info.label, "meets the 3.2 Rule") == 0) {
            ck_assert_int_eq(r->holds, PW_MET);
            ck_assert_uint_eq(r->nseen, 1);
            ck_assert_ptr_null(r->seen[0].expr);
            ck_assert_str_eq(r->seen[0].value, "accepted by the national coaching committee");
            found = true;
        }
    }
    ck_assert(found);
    pw_explanation_free(e);
    pw_program_free(p);
}
END_TEST

/* Plans with untitled programs (the sentences name them by id) and with
 * certificates that have no expiry field. */
START_TEST(test_plan_untitled)
{
    const char *json = "{\"id\": \"a\"}";
    pw_explain_options o = options("2027-02-01", 30);
    pw_plan *plan;
    pw_error err;
    /* The course's window closed before the horizon; the target needs it. */
    pw_program *p = compile("record certificate {\n  id: text\n  issued: date\n}\n"
                            "facts coach {\n  id: text\n  certificates: list of certificate = []\n}\n"
                            "program course\n  enrolment open until 2026-12-31\n{\n"
                            "  grants \"course-cert\"\n  require \"a coach\": id != \"\"\n}\n"
                            "program top {\n"
                            "  require \"the course\": any x in certificates where x.id = \"course-cert\"\n}\n"
                            "program gone\n  effective until 2026-12-31\n{\n  require \"a coach\": id != \"\"\n}\n");
    ck_assert_int_eq(pw_plan_find(p, json, strlen(json), "top", &o, &plan, &err), PW_OK);
    ck_assert(!plan->reachable);
    ck_assert_uint_ge(plan->nsentences, 1);
    ck_assert_str_eq(plan->blocking[0], "course closed for enrolment on 2026-12-31");
    pw_plan_free(plan);
    ck_assert_int_eq(pw_plan_find(p, json, strlen(json), "gone", &o, &plan, &err), PW_OK);
    ck_assert(!plan->reachable);
    ck_assert_str_eq(plan->blocking[0], "gone is not in force (it ended on 2026-12-31)");
    pw_plan_free(plan);
    /* In its window, the course's certificate (no expiry field) lands and
     * the plan replays. */
    o = options("2026-06-01", 30);
    ck_assert_msg(pw_plan_find(p, json, strlen(json), "top", &o, &plan, &err) == PW_OK, "%s", err.message);
    ck_assert(plan->reachable);
    ck_assert_uint_eq(plan->nsteps, 2);
    ck_assert_str_eq(plan->steps[0].grants, "course-cert");
    ck_assert_int_eq(plan->steps[0].expires, PW_DATE_MAX);
    pw_plan_free(plan);
    pw_program_free(p);
}
END_TEST

/* Equality written with the constant first reads the same either way; a
 * requirement not yet in force. */
START_TEST(test_equality_constant_first)
{
    pw_program *p = compile("facts coach {\n  id: text\n  n: integer = 0\n}\n"
                            "program p \"P\" {\n  require \"n is two\": 2 = n\n"
                            "  require \"n is not three\": 3 != n\n"
                            "  require \"later\": n >= 0\n    effective from 2027-01-01\n}\n");
    const char *json = "{\"id\": \"a\", \"n\": 2}";
    pw_explain_options o = options("2026-06-01", 365);
    pw_explanation *e;
    pw_error err;
    ck_assert_int_eq(pw_explain(p, json, strlen(json), &o, &e, &err), PW_OK);
    ck_assert_str_eq(e->programs[0].reqs[0].seen[0].test, "equal to 2");
    ck_assert_str_eq(e->programs[0].reqs[1].seen[0].test, "not 3");
    ck_assert_str_eq(e->programs[0].reqs[1].seen[0].value, "2");
    /* A requirement not yet in force says so, and nothing else. */
    ck_assert_int_eq(e->programs[0].reqs[2].holds, PW_NOT_IN_FORCE);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ck_assert(px_render_explain(e, false, &buf, &len, &cap));
    ck_assert_ptr_nonnull(strstr(buf, "    [not in force] later\n"));
    ck_assert_ptr_null(strstr(buf, "later\n      "));
    free(buf);
    pw_explanation_free(e);
    pw_program_free(p);
}
END_TEST

static Suite *explain_branches_suite(void)
{
    Suite *s = suite_create("explain_branches");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, test_null_arguments);
    tcase_add_test(tc, test_foreign_options);
    tcase_add_test(tc, test_facts_not_an_object);
    tcase_add_test(tc, test_span);
    tcase_add_test(tc, test_context_coach_id);
    tcase_add_test(tc, test_unknown_program_in_list);
    tcase_add_test(tc, test_error_on_a_later_day);
    tcase_add_test(tc, test_node_at);
    tcase_add_test(tc, test_many_requirements);
    tcase_add_test(tc, test_no_options);
    tcase_add_test(tc, test_decisions);
    tcase_add_test(tc, test_equality_constant_first);
    suite_add_tcase(s, tc);
    tc = tcase_create("totals");
    tcase_add_test(tc, test_totals_shape);
    tcase_add_test(tc, test_totals_nested);
    suite_add_tcase(s, tc);
    tc = tcase_create("plan");
    tcase_add_test(tc, test_plan_replay);
    tcase_add_test(tc, test_plan_validity_error);
    tcase_add_test(tc, test_plan_untitled);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(explain_branches_suite());
}
