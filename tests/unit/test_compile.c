/* End to end through the public API: source -> checker -> code generator ->
 * verifier -> VM, one table row per language rule. Each row compiles a small
 * rule set, loads one record and checks the decision. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "pathway.h"

static const char *const prelude =
    "facts coach {\n"
    "  id: text\n"
    "  birth_date: date\n"
    "  coaching_since: date? = none\n"
    "  athletes_coached: integer = 0\n"
    "  advanced_degree: text? = none\n"
    "  bonus: integer? = none\n"
    "  teaching_experience: boolean = false\n"
    "  roles: set of text = []\n"
    "  certificates: list of certificate = []\n"
    "  courses: list of course = []\n"
    "}\n"
    "record certificate { id: text  issued: date  expires: date? }\n"
    "record course { id: text  completed: date  hours: number }\n"
    "define age = years since birth_date\n"
    "define experience = max(0, years since (coaching_since otherwise today))\n"
    "define current(cert: text) = any c in certificates where c.id = cert and c.issued <= today"
    " and (c.expires otherwise today) >= today\n";

typedef struct row {
    const char *name;
    const char *cond;   /* the requirement's condition */
    const char *facts;  /* JSON */
    const char *as_of;
    int eligible;
} row;

#define BASE "\"id\":\"T\",\"birth_date\":\"2000-02-29\""

static const row rows[] = {
    {"age reached on birthday", "age >= 18", "{\"id\":\"T\",\"birth_date\":\"2008-11-23\"}", "2026-11-23", 1},
    {"age one day short", "age >= 18", "{\"id\":\"T\",\"birth_date\":\"2008-11-24\"}", "2026-11-23", 0},
    {"29 Feb birthday not reached on 28 Feb", "age >= 18", "{\"id\":\"T\",\"birth_date\":\"2008-02-29\"}", "2026-02-28", 0},
    {"29 Feb birthday reached on 1 Mar", "age >= 18", "{\"id\":\"T\",\"birth_date\":\"2008-02-29\"}", "2026-03-01", 1},
    {"experience absent is zero", "experience = 0", "{" BASE "}", "2026-11-23", 1},
    {"experience in the future is zero", "experience = 0", "{" BASE ",\"coaching_since\":\"2030-01-01\"}", "2026-11-23", 1},
    {"experience full years", "experience = 2", "{" BASE ",\"coaching_since\":\"2024-11-23\"}", "2026-11-23", 1},
    {"experience one day short", "experience = 1", "{" BASE ",\"coaching_since\":\"2024-11-24\"}", "2026-11-23", 1},
    {"current: expires today", "current(\"x\")", "{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":\"2026-11-23\"}]}", "2026-11-23", 1},
    {"current: expired yesterday", "current(\"x\")", "{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":\"2026-11-22\"}]}", "2026-11-23", 0},
    {"current: issued tomorrow", "current(\"x\")", "{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2026-11-24\",\"expires\":null}]}", "2026-11-23", 0},
    {"current: no expiry", "current(\"x\")", "{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":null}]}", "2026-11-23", 1},
    {"current: other id", "current(\"x\")", "{" BASE ",\"certificates\":[{\"id\":\"y\",\"issued\":\"2020-01-01\",\"expires\":null}]}", "2026-11-23", 0},
    {"set membership", "\"b\" in roles", "{" BASE ",\"roles\":[\"a\",\"b\"]}", "2026-11-23", 1},
    {"set membership missing", "\"c\" in roles", "{" BASE ",\"roles\":[\"a\",\"b\"]}", "2026-11-23", 0},
    {"unknown texts compare equal", "any r in roles where r = \"zz-unknown\"", "{" BASE ",\"roles\":[\"zz-unknown\"]}", "2026-11-23", 1},
    {"literal list", "athletes_coached in [1, 2, 3]", "{" BASE ",\"athletes_coached\":2}", "2026-11-23", 1},
    {"literal list miss", "athletes_coached in [1, 3]", "{" BASE ",\"athletes_coached\":2}", "2026-11-23", 0},
    {"optional equality with none", "advanced_degree = \"sport-science\"", "{" BASE "}", "2026-11-23", 0},
    {"optional equality present", "advanced_degree = \"sport-science\"", "{" BASE ",\"advanced_degree\":\"sport-science\"}", "2026-11-23", 1},
    {"optional inequality with none", "advanced_degree != \"sport-science\"", "{" BASE "}", "2026-11-23", 1},
    {"is none", "coaching_since is none", "{" BASE ",\"coaching_since\":null}", "2026-11-23", 1},
    {"is not none", "coaching_since is not none", "{" BASE ",\"coaching_since\":\"2020-01-01\"}", "2026-11-23", 1},
    {"count with where", "(count c in certificates where c.expires is none) = 2", "{" BASE ",\"certificates\":[{\"id\":\"a\",\"issued\":\"2020-01-01\",\"expires\":null},{\"id\":\"b\",\"issued\":\"2020-01-01\",\"expires\":\"2021-01-01\"},{\"id\":\"c\",\"issued\":\"2020-01-01\",\"expires\":null}]}", "2026-11-23", 1},
    {"sum of numbers", "(sum c.hours for c in courses) >= 4.5", "{" BASE ",\"courses\":[{\"id\":\"a\",\"completed\":\"2026-01-01\",\"hours\":2},{\"id\":\"b\",\"completed\":\"2026-01-01\",\"hours\":2.5}]}", "2026-11-23", 1},
    {"sum over empty list", "(sum c.hours for c in courses) = 0", "{" BASE "}", "2026-11-23", 1},
    {"all over empty list", "all c in certificates where c.id = \"x\"", "{" BASE "}", "2026-11-23", 1},
    {"any over empty list", "not (any c in certificates where c.id = \"x\")", "{" BASE "}", "2026-11-23", 1},
    {"date plus years from 29 Feb", "birth_date + 1 year = 2001-03-01", "{" BASE "}", "2026-11-23", 1},
    {"date minus years to 29 Feb", "2001-03-01 - 1 year = 2000-03-01", "{" BASE "}", "2026-11-23", 1},
    {"date minus days", "today - 30 days = 2026-10-24", "{" BASE "}", "2026-11-23", 1},
    {"months between", "months between 2026-01-31 and 2026-02-28 = 0", "{" BASE "}", "2026-11-23", 1},
    {"days between", "days between 2026-01-01 and today = 326", "{" BASE "}", "2026-11-23", 1},
    {"if then else", "(if teaching_experience then 1 else 2) = 2", "{" BASE "}", "2026-11-23", 1},
    {"integer and number mix", "athletes_coached + 0.5 > 2", "{" BASE ",\"athletes_coached\":2}", "2026-11-23", 1},
    {"negative literal", "-3 + athletes_coached = -1", "{" BASE ",\"athletes_coached\":2}", "2026-11-23", 1},
    {"min builtin", "min(athletes_coached, 5) = 5", "{" BASE ",\"athletes_coached\":7}", "2026-11-23", 1},
    {"and short-circuit", "teaching_experience and age >= 18", "{" BASE "}", "2026-11-23", 0},
    {"or", "teaching_experience or age >= 18", "{" BASE "}", "2026-11-23", 1},
    {"absent integer promoted to number stays absent", "(bonus otherwise 2.5) = 2.5", "{" BASE "}", "2026-11-23", 1},
    {"present integer promoted to number", "(bonus otherwise 2.5) = 3", "{" BASE ",\"bonus\":3}", "2026-11-23", 1},
    {"otherwise fallback", "(coaching_since otherwise 1999-01-01) = 1999-01-01", "{" BASE "}", "2026-11-23", 1},
    {"nested quantifiers", "any c in certificates where any d in certificates where d.id != c.id", "{" BASE ",\"certificates\":[{\"id\":\"a\",\"issued\":\"2020-01-01\",\"expires\":null},{\"id\":\"b\",\"issued\":\"2020-01-01\",\"expires\":null}]}", "2026-11-23", 1},
};

static pw_program *compile_cond(const char *cond, pw_error *err)
{
    size_t len = strlen(prelude) + strlen(cond) + 128;
    char *src = malloc(len);
    ck_assert_ptr_nonnull(src);
    snprintf(src, len, "%sprogram p {\n  require \"the condition\": %s\n}\n", prelude, cond);
    pw_program *prog = NULL;
    pw_compile_source("row.pw", src, strlen(src), NULL, &prog, err);
    free(src);
    return prog;
}

START_TEST(test_rows)
{
    const row *r = &rows[_i];
    pw_error err;
    pw_program *prog = compile_cond(r->cond, &err);
    ck_assert_msg(prog != NULL, "%s: does not compile: %s", r->name, err.message);
    pw_context *ctx = NULL;
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    ck_assert_msg(pw_context_set_json(ctx, r->facts, strlen(r->facts), &err) == PW_OK, "%s: facts: %s",
                  r->name, err.message);
    pw_date d;
    ck_assert_int_eq(pw_date_parse(r->as_of, &d, &err), PW_OK);
    ck_assert_msg(pw_evaluate(ctx, 0, d, &err) == PW_OK, "%s: %s", r->name, err.message);
    ck_assert_msg(pw_result_eligible(ctx, 0) == (r->eligible != 0), "%s: expected %s", r->name,
                  r->eligible ? "eligible" : "not eligible");
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 0), r->eligible ? 0 : 1);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* Groups, prefer and advise: outcomes per node and the result lists. */
START_TEST(test_groups_and_roles)
{
    const char *body =
        "program p {\n"
        "  require \"adult\": age >= 18\n"
        "  require \"a route\": any of {\n"
        "    \"teaching\": teaching_experience\n"
        "    \"adult member\": age >= 18\n"
        "    \"never reached\": age >= 100\n"
        "  }\n"
        "  require \"two of three\": at least 2 of {\n"
        "    \"a\": age >= 100\n"
        "    \"b\": age >= 101\n"
        "    \"c\": age >= 18\n"
        "  }\n"
        "  prefer \"teaching experience\": teaching_experience\n"
        "  advise \"find an athlete\": athletes_coached >= 1\n"
        "}\n";
    size_t len = strlen(prelude) + strlen(body) + 1;
    char *src = malloc(len);
    snprintf(src, len, "%s%s", prelude, body);
    pw_error err;
    pw_program *prog = NULL;
    ck_assert_msg(pw_compile_source("g.pw", src, strlen(src), NULL, &prog, &err) == PW_OK, "%s",
                  err.message);
    free(src);
    pw_context *ctx = NULL;
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    const char *facts = "{" BASE "}";
    ck_assert_int_eq(pw_context_set_json(ctx, facts, strlen(facts), &err), PW_OK);
    pw_date d;
    pw_date_parse("2026-11-23", &d, &err);
    ck_assert_int_eq(pw_evaluate_all(ctx, d, &err), PW_OK);
    ck_assert(!pw_result_eligible(ctx, 0));
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 0), 1);
    ck_assert_str_eq(pw_result_unmet_label(ctx, 0, 0), "two of three");
    ck_assert_uint_eq(pw_result_preferred_unmet_count(ctx, 0), 1);
    ck_assert_str_eq(pw_result_preferred_unmet_label(ctx, 0, 0), "teaching experience");
    ck_assert_uint_eq(pw_result_advice_count(ctx, 0), 1);
    ck_assert_str_eq(pw_result_advice(ctx, 0, 0), "find an athlete");
    /* Nodes: adult, route{teaching, adult member, never reached}, two{a,b,c}, prefer, advise */
    ck_assert_uint_eq(pw_requirement_count(prog, 0), 11);
    const pw_outcome want[11] = {PW_MET,   PW_MET,   PW_UNMET, PW_MET,   PW_NOT_EVALUATED, PW_UNMET,
                                 PW_UNMET, PW_UNMET, PW_NOT_EVALUATED, PW_UNMET, PW_UNMET};
    for (size_t i = 0; i < 11; i++)
        ck_assert_msg(pw_result_outcome(ctx, 0, i) == want[i], "node %zu: outcome %d, expected %d", i,
                      pw_result_outcome(ctx, 0, i), want[i]);
    pw_requirement info;
    ck_assert_int_eq(pw_requirement_info(prog, 0, 5, &info, &err), PW_OK);
    ck_assert_str_eq(info.label, "two of three");
    ck_assert_int_eq(info.kind, PW_REQ_AT_LEAST);
    ck_assert_uint_eq(info.min, 2);
    ck_assert_uint_eq(info.depth, 0);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* A compiled program saved to bytecode and loaded back decides the same. */
START_TEST(test_save_load_round_trip)
{
    pw_error err;
    pw_program *prog = compile_cond("current(\"x\") and age >= 18", &err);
    ck_assert_ptr_nonnull(prog);
    void *bytes = NULL;
    size_t len = 0;
    ck_assert_int_eq(pw_program_save(prog, &bytes, &len, &err), PW_OK);
    pw_program *back = NULL;
    ck_assert_msg(pw_program_load(bytes, len, &back, &err) == PW_OK, "%s", err.message);
    const char *facts = "{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":null}]}";
    pw_date d;
    pw_date_parse("2026-11-23", &d, &err);
    pw_program *both[2] = {prog, back};
    for (int i = 0; i < 2; i++) {
        pw_context *ctx = NULL;
        ck_assert_int_eq(pw_context_new(both[i], &ctx, &err), PW_OK);
        ck_assert_int_eq(pw_context_set_json(ctx, facts, strlen(facts), &err), PW_OK);
        ck_assert_int_eq(pw_evaluate(ctx, 0, d, &err), PW_OK);
        ck_assert(pw_result_eligible(ctx, 0));
        pw_context_free(ctx);
    }
    /* A corrupted copy is refused, not run. */
    ((unsigned char *)bytes)[len / 2] ^= 0x55;
    pw_program *bad = NULL;
    ck_assert_int_eq(pw_program_load(bytes, len, &bad, &err), PW_ERR_FORMAT);
    ck_assert_ptr_null(bad);
    pw_free(bytes);
    pw_program_free(back);
    pw_program_free(prog);
}
END_TEST

/* Compile errors come back as a status and a message, with every
 * diagnostic rendered through the callback. */
static void collect(void *user, const char *text)
{
    char **out = user;
    *out = strdup(text);
}

START_TEST(test_compile_errors_reported)
{
    pw_error err;
    char *rendered = NULL;
    pw_compile_options opt = {.on_diagnostics = collect, .user = &rendered, .format = PW_DIAG_TEXT};
    const char *src = "facts coach { birth_date: date }\n"
                      "program p {\n"
                      "  require \"a\": birth_dat >= 2000-01-01\n"
                      "  require \"b\": birth_date >= 18\n"
                      "}\n";
    pw_program *prog = NULL;
    ck_assert_int_eq(pw_compile_source("bad.pw", src, strlen(src), &opt, &prog, &err), PW_ERR_COMPILE);
    ck_assert_ptr_null(prog);
    ck_assert_msg(strstr(err.message, "bad.pw:3:16: unknown name `birth_dat`") != NULL, "%s", err.message);
    ck_assert_msg(strstr(err.message, "(and 1 more error)") != NULL, "%s", err.message);
    ck_assert_ptr_nonnull(rendered);
    ck_assert_msg(strstr(rendered, "did you mean `birth_date`?") != NULL, "%s", rendered);
    ck_assert_msg(strstr(rendered, "cannot compare date with integer") != NULL, "%s", rendered);
    free(rendered);
}
END_TEST

/* Definitions: recursion is refused, and a function may only call lower ones. */
START_TEST(test_recursion_refused)
{
    pw_error err;
    char *rendered = NULL;
    pw_compile_options opt = {.on_diagnostics = collect, .user = &rendered, .format = PW_DIAG_TEXT};
    const char *src = "facts coach { birth_date: date }\n"
                      "define a = b + 1\n"
                      "define b = c + 1\n"
                      "define c = a + 1\n"
                      "program p { require \"x\": a > 0 }\n";
    pw_program *prog = NULL;
    ck_assert_int_eq(pw_compile_source("rec.pw", src, strlen(src), &opt, &prog, &err), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(rendered);
    ck_assert_msg(strstr(rendered, "depends on itself: a → b → c → a") != NULL, "%s", rendered);
    free(rendered);
}
END_TEST

/* Group nesting is bounded at compile time (the VM walks groups
 * recursively); a rule file gets an error, never a deep recursion. */
START_TEST(test_group_depth_limit)
{
    enum { DEPTH = 70 };
    char *src = malloc(64 * 1024);
    size_t n = (size_t)snprintf(src, 64 * 1024, "facts coach { birth_date: date }\nprogram p {\n  require \"g\": ");
    for (int i = 0; i < DEPTH; i++)
        n += (size_t)snprintf(src + n, 64 * 1024 - n, "all of { \"g%d\": ", i);
    n += (size_t)snprintf(src + n, 64 * 1024 - n, "true");
    for (int i = 0; i < DEPTH; i++)
        n += (size_t)snprintf(src + n, 64 * 1024 - n, " }");
    snprintf(src + n, 64 * 1024 - n, "\n}\n");
    pw_error err;
    pw_program *prog = NULL;
    ck_assert_int_eq(pw_compile_source("deep.pw", src, strlen(src), NULL, &prog, &err), PW_ERR_COMPILE);
    ck_assert_msg(strstr(err.message, "requirement groups are nested too deeply: `g62` is group 64, "
                                      "one inside another (the limit is 63)") != NULL, "%s", err.message);
    free(src);
}
END_TEST

/* ---- effective dates and versions ------------------------------------------------ */

static pw_program *compile_body(const char *body)
{
    size_t len = strlen(prelude) + strlen(body) + 1;
    char *src = malloc(len);
    ck_assert_ptr_nonnull(src);
    snprintf(src, len, "%s%s", prelude, body);
    pw_error err;
    pw_program *prog = NULL;
    ck_assert_msg(pw_compile_source("dated.pw", src, strlen(src), NULL, &prog, &err) == PW_OK, "%s",
                  err.message);
    free(src);
    return prog;
}

static pw_date day(const char *text)
{
    pw_date d;
    pw_error err;
    ck_assert_msg(pw_date_parse(text, &d, &err) == PW_OK, "%s", err.message);
    return d;
}

static pw_context *context_for(pw_program *prog, const char *facts)
{
    pw_error err;
    pw_context *ctx = NULL;
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    ck_assert_msg(pw_context_set_json(ctx, facts, strlen(facts), &err) == PW_OK, "%s", err.message);
    return ctx;
}

static void evaluate_on(pw_context *ctx, size_t p, const char *date)
{
    pw_error err;
    ck_assert_msg(pw_evaluate(ctx, p, day(date), &err) == PW_OK, "%s", err.message);
}

/* The unmet labels of a result, joined with "|". */
static const char *unmet_text(const pw_context *ctx, size_t p)
{
    static char buf[256];
    buf[0] = '\0';
    for (size_t i = 0; i < pw_result_unmet_count(ctx, p); i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", i ? "|" : "", pw_result_unmet_label(ctx, p, i));
    }
    return buf;
}

static const char *const versions_src =
    "program level_1 \"Old\" effective until 2026-05-31 {\n"
    "  require \"at least 18 years of age\": age >= 18\n"
    "}\n"
    "program level_1 \"New\" effective from 2026-06-01 {\n"
    "  require \"at least 21 years of age\": age >= 21\n"
    "}\n"
    "program other { require \"adult\": age >= 18 }\n";

/* Twenty years old on both sides of 2026-06-01. */
#define AGED_20 "{\"id\":\"T\",\"birth_date\":\"2006-01-01\"}"

/* One coach, one program id, two versions: the version in force decides. */
START_TEST(test_version_switch)
{
    pw_program *prog = compile_body(versions_src);
    pw_error err;
    ck_assert_uint_eq(pw_program_count(prog), 3);
    size_t idx = 99;
    ck_assert_int_eq(pw_program_find(prog, "level_1", &idx, &err), PW_OK);
    ck_assert_uint_eq(idx, 0); /* the first declared */
    ck_assert_str_eq(pw_program_id(prog, 1), "level_1");
    ck_assert_str_eq(pw_program_title(prog, 0), "Old");
    ck_assert_str_eq(pw_program_title(prog, 1), "New");
    ck_assert(pw_program_is_first_version(prog, 0));
    ck_assert(!pw_program_is_first_version(prog, 1));
    ck_assert(pw_program_is_first_version(prog, 2));
    ck_assert(pw_program_dated(prog, 0) && pw_program_dated(prog, 1));
    ck_assert(!pw_program_dated(prog, 2));
    pw_date from, until;
    pw_program_period(prog, 0, &from, &until);
    ck_assert_int_eq(from, PW_DATE_MIN);
    ck_assert_int_eq(until, day("2026-05-31"));
    pw_program_period(prog, 1, &from, &until);
    ck_assert_int_eq(from, day("2026-06-01"));
    ck_assert_int_eq(until, PW_DATE_MAX);
    pw_program_period(prog, 2, &from, &until);
    ck_assert_int_eq(from, PW_DATE_MIN);
    ck_assert_int_eq(until, PW_DATE_MAX);

    /* The last day of the old version and the first of the new. */
    ck_assert_uint_eq(pw_program_version_at(prog, 0, day("2026-05-31")), 0);
    ck_assert_uint_eq(pw_program_version_at(prog, 0, day("2026-06-01")), 1);
    ck_assert_uint_eq(pw_program_version_at(prog, 1, day("2026-05-31")), 0);
    ck_assert_uint_eq(pw_program_version_at(prog, 2, day("2026-05-31")), 2);

    pw_context *ctx = context_for(prog, AGED_20);
    evaluate_on(ctx, 0, "2026-05-31");
    ck_assert(pw_result_eligible(ctx, 0));
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_ELIGIBLE);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 0), PW_MET);
    evaluate_on(ctx, 1, "2026-06-01");
    ck_assert(!pw_result_eligible(ctx, 1));
    ck_assert_int_eq(pw_result_verdict(ctx, 1), PW_NOT_ELIGIBLE);
    ck_assert_str_eq(unmet_text(ctx, 1), "at least 21 years of age");

    /* A version outside its period is not evaluated: no requirement is met
     * or unmet, and the verdict says why. */
    evaluate_on(ctx, 0, "2026-06-01");
    ck_assert(!pw_result_eligible(ctx, 0));
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_WITHDRAWN);
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 0), 0);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 0), PW_NOT_EVALUATED);
    evaluate_on(ctx, 1, "2026-05-31");
    ck_assert(!pw_result_eligible(ctx, 1));
    ck_assert_int_eq(pw_result_verdict(ctx, 1), PW_NOT_YET_IN_FORCE);
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 1), 0);
    ck_assert_int_eq(pw_result_outcome(ctx, 1, 0), PW_NOT_EVALUATED);

    /* Evaluating everything gives each version its own verdict. */
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2026-06-01"), &err), PW_OK);
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_WITHDRAWN);
    ck_assert_int_eq(pw_result_verdict(ctx, 1), PW_NOT_ELIGIBLE);
    ck_assert_int_eq(pw_result_verdict(ctx, 2), PW_ELIGIBLE);
    ck_assert(pw_result_eligible(ctx, 2));
    pw_context_free(ctx);

    /* Before any evaluation the verdict says so, and a bad index is told
     * apart from both. */
    ctx = context_for(prog, AGED_20);
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_VERDICT_NOT_EVALUATED);
    ck_assert_int_eq(pw_result_verdict(ctx, 3), PW_VERDICT_NO_PROGRAM);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 0), PW_NOT_EVALUATED);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 999), PW_NO_REQUIREMENT);
    ck_assert_int_eq(pw_result_outcome(ctx, 3, 0), PW_NO_REQUIREMENT);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

static const char *const windows_src =
    "program course \"Course\" effective from 2027-01-01 until 2027-12-31\n"
    "  enrolment open from 2027-03-01 until 2027-09-15 - 3 months {\n"
    "  require \"at least 30 years of age\": age >= 30\n"
    "}\n"
    "program deadline enrollment open until 2027-06-15 { require \"adult\": age >= 18 }\n"
    "program other { require \"adult\": age >= 18 }\n";

/* Enrolment windows: in force first, then open or not; outside the window
 * the requirements are evaluated all the same. */
START_TEST(test_enrolment_window)
{
    pw_program *prog = compile_body(windows_src);
    pw_date opens, closes;
    pw_program_window(prog, 0, &opens, &closes);
    ck_assert_int_eq(opens, day("2027-03-01"));
    ck_assert_int_eq(closes, day("2027-06-15")); /* 2027-09-15 - 3 months */
    ck_assert(pw_program_has_window(prog, 0));
    pw_program_window(prog, 1, &opens, &closes);
    ck_assert_int_eq(opens, PW_DATE_MIN);
    ck_assert_int_eq(closes, day("2027-06-15"));
    ck_assert(pw_program_has_window(prog, 1));
    pw_program_window(prog, 2, &opens, &closes);
    ck_assert_int_eq(opens, PW_DATE_MIN);
    ck_assert_int_eq(closes, PW_DATE_MAX);
    ck_assert(!pw_program_has_window(prog, 2));
    ck_assert(!pw_program_has_window(prog, 3));

    pw_context *ctx = context_for(prog, AGED_20);
    /* Not in force: the period's statuses, nothing evaluated. */
    evaluate_on(ctx, 0, "2026-12-31");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_NOT_YET_IN_FORCE);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 0), PW_NOT_EVALUATED);
    /* In force, before the window: not yet open, the requirement evaluated. */
    evaluate_on(ctx, 0, "2027-02-28");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_NOT_YET_OPEN);
    ck_assert(!pw_result_eligible(ctx, 0));
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 0), PW_UNMET);
    ck_assert_str_eq(unmet_text(ctx, 0), "at least 30 years of age");
    /* Both ends are days of the window. */
    evaluate_on(ctx, 0, "2027-03-01");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_NOT_ELIGIBLE);
    evaluate_on(ctx, 0, "2027-06-16");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_CLOSED);
    ck_assert_str_eq(unmet_text(ctx, 0), "at least 30 years of age");
    evaluate_on(ctx, 0, "2028-01-01");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_WITHDRAWN);
    /* Every requirement met, but closed: not eligible, nothing unmet. */
    evaluate_on(ctx, 1, "2027-06-15");
    ck_assert_int_eq(pw_result_verdict(ctx, 1), PW_ELIGIBLE);
    ck_assert(pw_result_eligible(ctx, 1));
    evaluate_on(ctx, 1, "2027-06-16");
    ck_assert_int_eq(pw_result_verdict(ctx, 1), PW_CLOSED);
    ck_assert(!pw_result_eligible(ctx, 1));
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 1), 0);
    ck_assert_int_eq(pw_result_outcome(ctx, 1, 0), PW_MET);

    /* The JSON line: status and window only for programs with a window. */
    pw_error err;
    char line[1024];
    size_t needed;
    ck_assert_msg(pw_eval_json(ctx, AGED_20, strlen(AGED_20), day("2027-06-16"), line, sizeof line, &needed,
                               &err) == PW_OK, "%s", err.message);
    ck_assert_str_eq(line,
                     "{\"id\":\"T\",\"as_of\":\"2027-06-16\",\"results\":["
                     "{\"program\":\"course\",\"eligible\":false,\"status\":\"closed\","
                     "\"in_force\":{\"from\":\"2027-01-01\",\"until\":\"2027-12-31\"},"
                     "\"enrolment\":{\"opens\":\"2027-03-01\",\"closes\":\"2027-06-15\"},"
                     "\"unmet\":[\"at least 30 years of age\"],\"preferred_unmet\":[]},"
                     "{\"program\":\"deadline\",\"eligible\":false,\"status\":\"closed\","
                     "\"enrolment\":{\"opens\":null,\"closes\":\"2027-06-15\"},"
                     "\"unmet\":[],\"preferred_unmet\":[]},"
                     "{\"program\":\"other\",\"eligible\":true,\"unmet\":[],\"preferred_unmet\":[]}]}\n");
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

static const char *const dated_reqs_src =
    "program from_june {\n"
    "  require \"adult\": age >= 18\n"
    "  require \"first aid\": \"first-aid\" in roles effective from 2026-06-01\n"
    "  prefer \"teaching\": teaching_experience effective from 2026-06-01\n"
    "}\n"
    "program until_may {\n"
    "  require \"adult\": age >= 18\n"
    "  require \"a hundred athletes\": athletes_coached >= 100 effective until 2026-05-31\n"
    "  advise \"coach more\": athletes_coached >= 1 effective until 2026-05-31\n"
    "}\n";

/* A requirement that takes effect, and one that is withdrawn, on 2026-06-01. */
START_TEST(test_requirement_takes_effect)
{
    pw_program *prog = compile_body(dated_reqs_src);
    pw_error err;
    pw_requirement info;
    ck_assert_int_eq(pw_requirement_info(prog, 0, 0, &info, &err), PW_OK);
    ck_assert_int_eq(info.from, PW_DATE_MIN);
    ck_assert_int_eq(info.until, PW_DATE_MAX);
    ck_assert_int_eq(pw_requirement_info(prog, 0, 1, &info, &err), PW_OK);
    ck_assert_str_eq(info.label, "first aid");
    ck_assert_int_eq(info.from, day("2026-06-01"));
    ck_assert_int_eq(info.until, PW_DATE_MAX);
    ck_assert_int_eq(pw_requirement_info(prog, 1, 1, &info, &err), PW_OK);
    ck_assert_int_eq(info.from, PW_DATE_MIN);
    ck_assert_int_eq(info.until, day("2026-05-31"));
    /* Dated requirements do not make a program dated. */
    ck_assert(!pw_program_dated(prog, 0));

    pw_context *ctx = context_for(prog, "{" BASE "}");
    evaluate_on(ctx, 0, "2026-05-31");
    ck_assert(pw_result_eligible(ctx, 0));
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_ELIGIBLE);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 1), PW_NOT_IN_FORCE);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 2), PW_NOT_IN_FORCE);
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 0), 0);
    ck_assert_uint_eq(pw_result_preferred_unmet_count(ctx, 0), 0);
    evaluate_on(ctx, 0, "2026-06-01");
    ck_assert(!pw_result_eligible(ctx, 0));
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_NOT_ELIGIBLE);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 1), PW_UNMET);
    ck_assert_str_eq(unmet_text(ctx, 0), "first aid");
    ck_assert_uint_eq(pw_result_preferred_unmet_count(ctx, 0), 1);
    ck_assert_str_eq(pw_result_preferred_unmet_label(ctx, 0, 0), "teaching");

    evaluate_on(ctx, 1, "2026-05-31");
    ck_assert(!pw_result_eligible(ctx, 1));
    ck_assert_str_eq(unmet_text(ctx, 1), "a hundred athletes");
    ck_assert_uint_eq(pw_result_advice_count(ctx, 1), 1);
    evaluate_on(ctx, 1, "2026-06-01");
    ck_assert(pw_result_eligible(ctx, 1));
    ck_assert_int_eq(pw_result_outcome(ctx, 1, 1), PW_NOT_IN_FORCE);
    ck_assert_int_eq(pw_result_outcome(ctx, 1, 2), PW_NOT_IN_FORCE);
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 1), 0);
    ck_assert_uint_eq(pw_result_advice_count(ctx, 1), 0);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* Three versions declared out of date order, with gaps between them. */
static const char *const three_versions_src =
    "program other { require \"adult\": age >= 18 }\n"
    "program p \"2025\" effective from 2025-01-01 until 2025-12-31 { require \"adult\": age >= 18 }\n"
    "program p \"2027\" effective from 2027-01-01 until 2027-12-31 { require \"adult\": age >= 18 }\n"
    "program p \"2026\" effective from 2026-01-01 until 2026-06-30 { require \"adult\": age >= 18 }\n";

START_TEST(test_version_at)
{
    pw_program *prog = compile_body(three_versions_src);
    static const struct {
        const char *date;
        size_t version;
        pw_verdict verdict;
    } want[] = {
        {"2024-06-01", 1, PW_NOT_YET_IN_FORCE}, /* before all: the next to come */
        {"2024-12-31", 1, PW_NOT_YET_IN_FORCE},
        {"2025-01-01", 1, PW_ELIGIBLE},         /* current */
        {"2025-12-31", 1, PW_ELIGIBLE},
        {"2026-01-01", 3, PW_ELIGIBLE},
        {"2026-06-30", 3, PW_ELIGIBLE},
        {"2026-07-01", 2, PW_NOT_YET_IN_FORCE}, /* in a gap: the next, not the last */
        {"2027-12-31", 2, PW_ELIGIBLE},
        {"2028-01-01", 2, PW_WITHDRAWN},        /* after all: the last withdrawn */
        {"2999-12-31", 2, PW_WITHDRAWN},
    };
    pw_context *ctx = context_for(prog, "{" BASE "}");
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        /* any version of the id finds the same one */
        for (size_t from = 1; from <= 3; from++)
            ck_assert_msg(pw_program_version_at(prog, from, day(want[i].date)) == want[i].version,
                          "%s from version %zu: got %zu, expected %zu", want[i].date, from,
                          pw_program_version_at(prog, from, day(want[i].date)), want[i].version);
        evaluate_on(ctx, want[i].version, want[i].date);
        ck_assert_msg(pw_result_verdict(ctx, want[i].version) == want[i].verdict, "%s: verdict %d",
                      want[i].date, pw_result_verdict(ctx, want[i].version));
    }
    ck_assert_uint_eq(pw_program_version_at(prog, 0, day("2026-01-01")), 0); /* undated: itself */
    ck_assert(pw_program_is_first_version(prog, 1));
    ck_assert(!pw_program_is_first_version(prog, 2));
    ck_assert(!pw_program_is_first_version(prog, 3));
    ck_assert(!pw_program_dated(prog, 0));
    ck_assert(pw_program_dated(prog, 3));
    /* Out of range: the index comes back, the period is open. */
    ck_assert_uint_eq(pw_program_version_at(prog, 9, day("2026-01-01")), 9);
    ck_assert(!pw_program_is_first_version(prog, 9));
    ck_assert(!pw_program_dated(prog, 9));
    pw_date from = 0, until = 0;
    pw_program_period(prog, 9, &from, &until);
    ck_assert_int_eq(from, PW_DATE_MIN);
    ck_assert_int_eq(until, PW_DATE_MAX);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* Groups leave their members out of force out of the count. */
static const char *const groups_src =
    "program g {\n"
    "  require \"all of\": all of {\n"
    "    \"adult\": age >= 18\n"
    "    \"a hundred athletes\": athletes_coached >= 100 effective from 2027-01-01\n"
    "  }\n"
    "  require \"any of\": any of {\n"
    "    \"adult, old rule\": age >= 18 effective until 2025-12-31\n"
    "    \"teacher\": teaching_experience\n"
    "  }\n"
    "  require \"two of three\": at least 2 of {\n"
    "    \"adult\": age >= 18\n"
    "    \"adult, old rule\": age >= 18 effective until 2025-12-31\n"
    "    \"coached\": athletes_coached >= 1\n"
    "  }\n"
    "  require \"later\": any of { \"x\": age >= 18  \"y\": age >= 18 } effective from 2027-01-01\n"
    "  require \"none in force\": any of { \"x\": age >= 18 effective from 2027-01-01 }\n"
    "}\n";

START_TEST(test_groups_out_of_force)
{
    pw_program *prog = compile_body(groups_src);
    ck_assert_uint_eq(pw_requirement_count(prog, 0), 15);
    /* athletes_coached 0: the in-force members of "two of three" give one */
    pw_context *ctx = context_for(prog, "{" BASE "}");
    evaluate_on(ctx, 0, "2026-11-23");
    const pw_outcome want[15] = {
        PW_MET, PW_MET, PW_NOT_IN_FORCE,                  /* all of: met by the member in force */
        PW_UNMET, PW_NOT_IN_FORCE, PW_UNMET,              /* any of: its one met member is out of force */
        PW_UNMET, PW_MET, PW_NOT_IN_FORCE, PW_UNMET,      /* two of three: one met member in force */
        PW_NOT_IN_FORCE, PW_NOT_EVALUATED, PW_NOT_EVALUATED, /* a group out of force: members untouched */
        PW_UNMET, PW_NOT_IN_FORCE,                        /* an any-of with no member in force */
    };
    for (size_t i = 0; i < 15; i++)
        ck_assert_msg(pw_result_outcome(ctx, 0, i) == want[i], "node %zu: outcome %d, expected %d", i,
                      pw_result_outcome(ctx, 0, i), want[i]);
    ck_assert_str_eq(unmet_text(ctx, 0), "any of|two of three|none in force");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_NOT_ELIGIBLE);
    pw_context_free(ctx);

    /* athletes_coached 1: two of the three, one out of force, make two */
    ctx = context_for(prog, "{" BASE ",\"athletes_coached\":1}");
    evaluate_on(ctx, 0, "2026-11-23");
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 6), PW_MET);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 8), PW_NOT_IN_FORCE);
    ck_assert_str_eq(unmet_text(ctx, 0), "any of|none in force");
    /* Before 2026, the old rule is in force and meets "any of". */
    evaluate_on(ctx, 0, "2025-12-31");
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 3), PW_MET);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 4), PW_MET);
    ck_assert_str_eq(unmet_text(ctx, 0), "none in force");
    /* From 2027, the hundred athletes are needed and "later" is evaluated. */
    evaluate_on(ctx, 0, "2027-01-01");
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 0), PW_UNMET);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 2), PW_UNMET);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 10), PW_MET);
    ck_assert_int_eq(pw_result_outcome(ctx, 0, 14), PW_MET);
    ck_assert_str_eq(unmet_text(ctx, 0), "all of|any of");
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* Periods survive a .pwc round trip, and the loaded program decides the same. */
START_TEST(test_dated_save_load)
{
    pw_program *prog = compile_body(versions_src);
    pw_error err;
    void *bytes = NULL;
    size_t len = 0;
    ck_assert_int_eq(pw_program_save(prog, &bytes, &len, &err), PW_OK);
    pw_program *back = NULL;
    ck_assert_msg(pw_program_load(bytes, len, &back, &err) == PW_OK, "%s", err.message);
    pw_free(bytes);
    ck_assert_uint_eq(pw_program_count(back), 3);
    for (size_t p = 0; p < 3; p++) {
        pw_date a, b, c, d;
        pw_program_period(prog, p, &a, &b);
        pw_program_period(back, p, &c, &d);
        ck_assert_int_eq(a, c);
        ck_assert_int_eq(b, d);
        ck_assert(pw_program_dated(prog, p) == pw_program_dated(back, p));
        ck_assert(pw_program_is_first_version(prog, p) == pw_program_is_first_version(back, p));
    }
    const char *dates[] = {"2026-05-31", "2026-06-01", "2030-01-01"};
    const size_t version[] = {0, 1, 1};
    const pw_verdict verdict[] = {PW_ELIGIBLE, PW_NOT_ELIGIBLE, PW_ELIGIBLE}; /* 24 by 2030 */
    pw_context *a = context_for(prog, AGED_20), *b = context_for(back, AGED_20);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(pw_program_version_at(back, 0, day(dates[i])), version[i]);
        ck_assert_int_eq(pw_evaluate_all(a, day(dates[i]), &err), PW_OK);
        ck_assert_int_eq(pw_evaluate_all(b, day(dates[i]), &err), PW_OK);
        ck_assert_int_eq(pw_result_verdict(b, version[i]), verdict[i]);
        for (size_t p = 0; p < 3; p++) {
            ck_assert_int_eq(pw_result_verdict(a, p), pw_result_verdict(b, p));
            ck_assert_uint_eq(pw_result_unmet_count(a, p), pw_result_unmet_count(b, p));
        }
    }
    pw_context_free(a);
    pw_context_free(b);
    pw_program_free(back);
    pw_program_free(prog);

    /* requirement periods too */
    prog = compile_body(dated_reqs_src);
    ck_assert_int_eq(pw_program_save(prog, &bytes, &len, &err), PW_OK);
    ck_assert_msg(pw_program_load(bytes, len, &back, &err) == PW_OK, "%s", err.message);
    pw_free(bytes);
    pw_requirement info;
    ck_assert_int_eq(pw_requirement_info(back, 0, 1, &info, &err), PW_OK);
    ck_assert_int_eq(info.from, day("2026-06-01"));
    ck_assert_int_eq(info.until, PW_DATE_MAX);
    ck_assert_int_eq(pw_requirement_info(back, 1, 2, &info, &err), PW_OK);
    ck_assert_int_eq(info.from, PW_DATE_MIN);
    ck_assert_int_eq(info.until, day("2026-05-31"));
    pw_context *ctx = context_for(back, "{" BASE "}");
    evaluate_on(ctx, 0, "2026-05-31");
    ck_assert(pw_result_eligible(ctx, 0));
    evaluate_on(ctx, 0, "2026-06-01");
    ck_assert_str_eq(unmet_text(ctx, 0), "first aid");
    pw_context_free(ctx);
    pw_program_free(back);
    pw_program_free(prog);
}
END_TEST

/* Overlapping versions do not compile. */
START_TEST(test_overlapping_versions_refused)
{
    const char *src = "facts coach { birth_date: date }\n"
                      "program p effective from 2026-01-01 { require \"a\": true }\n"
                      "program p effective from 2026-06-01 until 2026-12-31 { require \"a\": true }\n";
    pw_error err;
    pw_program *prog = NULL;
    ck_assert_int_eq(pw_compile_source("v.pw", src, strlen(src), NULL, &prog, &err), PW_ERR_COMPILE);
    ck_assert_ptr_null(prog);
    ck_assert_msg(strstr(err.message, "v.pw:3:21: versions of program `p` overlap") != NULL, "%s", err.message);
}
END_TEST

/* ---- limits ---------------------------------------------------------------------------- */

/* pw_context_set_limits: each facts and evaluation limit bites, and NULL
 * brings the defaults back. */
START_TEST(test_context_limits)
{
    pw_error err;
    pw_program *prog = compile_cond("athletes_coached >= 1", &err);
    ck_assert_msg(prog, "%s", err.message);
    pw_context *ctx = NULL;
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    const char *two = "{" BASE ",\"roles\":[\"abc\",\"b\"],\"athletes_coached\":1}";

    pw_limits l = {.max_list_items = 1};
    ck_assert_int_eq(pw_context_set_limits(ctx, &l, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, two, strlen(two), &err), PW_ERR_FACTS);
    ck_assert_str_eq(err.message, "`roles`: more than 1 element (the limit)");

    l = (pw_limits){.max_text_bytes = 2};
    ck_assert_int_eq(pw_context_set_limits(ctx, &l, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, two, strlen(two), &err), PW_ERR_FACTS);
    ck_assert_ptr_nonnull(strstr(err.message, "longer than the limit of 2 bytes"));

    l = (pw_limits){.max_instructions = 3};
    ck_assert_int_eq(pw_context_set_limits(ctx, &l, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, two, strlen(two), &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, 20000, &err), PW_ERR_EVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "instruction budget exceeded (3 instructions)"));

    l = (pw_limits){.max_json_depth = PW_MAX_JSON_DEPTH + 1};
    ck_assert_int_eq(pw_context_set_limits(ctx, &l, &err), PW_ERR_USAGE);
    ck_assert_int_eq(pw_context_set_limits(NULL, &l, &err), PW_ERR_USAGE);

    ck_assert_int_eq(pw_context_set_limits(ctx, NULL, &err), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, two, strlen(two), &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, 20000, &err), PW_OK);
    ck_assert(pw_result_eligible(ctx, 0));
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

/* Compile-side limits come in through pw_compile_options. */
START_TEST(test_compile_limits)
{
    pw_error err;
    pw_program *prog = NULL;
    const char *src = "facts f { n: integer }\nprogram p { require \"r\": ((((n > 1)))) }\n";
    pw_limits l = {.max_nesting = 3};
    pw_compile_options opt = {.limits = &l};
    ck_assert_int_eq(pw_compile_source("n.pw", src, strlen(src), &opt, &prog, &err), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(err.message, "the limit is 3 levels"));
    l = (pw_limits){.max_source_bytes = 10};
    ck_assert_int_eq(pw_compile_source("n.pw", src, strlen(src), &opt, &prog, &err), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(err.message, "is too large: the limit is 10 bytes"));
    l = (pw_limits){0};
    ck_assert_int_eq(pw_compile_source("n.pw", src, strlen(src), &opt, &prog, &err), PW_OK);
    pw_program_free(prog);
    /* The nesting limit has a maximum: the stack each level costs. */
    l = (pw_limits){.max_nesting = PW_MAX_NESTING + 1};
    ck_assert_int_eq(pw_compile_source("n.pw", src, strlen(src), &opt, &prog, &err), PW_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "max_nesting 2001 is above 2000"));
    ck_assert_ptr_null(prog);
}
END_TEST

/* An operator chain deeper than the default nesting limit compiles when
 * the limit is raised, up to the maximum: the checker's own bound is the
 * same limit, not a fixed 200. */
START_TEST(test_compile_nesting_chain)
{
    enum { N = PW_MAX_NESTING - 10 };
    size_t cap = 64 + 12 * (size_t)N;
    char *src = malloc(cap);
    size_t n = (size_t)snprintf(src, cap, "facts f { n: integer }\nprogram p { require \"r\": n > 0");
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(src + n, cap - n, " and n > 1");
    snprintf(src + n, cap - n, " }\n");
    pw_error err;
    pw_program *prog = NULL;
    ck_assert_int_eq(pw_compile_source("c.pw", src, strlen(src), NULL, &prog, &err), PW_ERR_COMPILE);
    ck_assert_msg(strstr(err.message, "(the limit is 200 levels)") != NULL, "%s", err.message);
    pw_limits l = {.max_nesting = PW_MAX_NESTING};
    pw_compile_options opt = {.limits = &l};
    ck_assert_int_eq(pw_compile_source("c.pw", src, strlen(src), &opt, &prog, &err), PW_OK);
    pw_program_free(prog);
    free(src);
}
END_TEST

/* Field bounds hold for facts from JSON and field by field, and survive a
 * .pwc round trip. */
START_TEST(test_field_bounds)
{
    const char *src = "facts f { id: text\n n: integer >= 0 <= 10 = 0\n d: date >= 2000-01-01 = 2001-01-01 }\n"
                      "program p { require \"r\": n >= 1 }\n";
    pw_error err;
    pw_program *prog = NULL;
    ck_assert_int_eq(pw_compile_source("b.pw", src, strlen(src), NULL, &prog, &err), PW_OK);
    void *bytes;
    size_t len;
    ck_assert_int_eq(pw_program_save(prog, &bytes, &len, &err), PW_OK);
    pw_program *back = NULL;
    ck_assert_int_eq(pw_program_load(bytes, len, &back, &err), PW_OK);
    pw_free(bytes);
    pw_program *both[2] = {prog, back};
    for (int k = 0; k < 2; k++) {
        pw_context *ctx = NULL;
        ck_assert_int_eq(pw_context_new(both[k], &ctx, &err), PW_OK);
        const char *low = "{\"id\":\"a\",\"n\":-1}", *high = "{\"id\":\"a\",\"n\":11}";
        const char *early = "{\"id\":\"a\",\"d\":\"1999-12-31\"}", *ok = "{\"id\":\"a\",\"n\":10}";
        ck_assert_int_eq(pw_context_set_json(ctx, low, strlen(low), &err), PW_ERR_FACTS);
        ck_assert_str_eq(err.message, "`n`: -1 is below the minimum 0");
        ck_assert_int_eq(pw_context_set_json(ctx, high, strlen(high), &err), PW_ERR_FACTS);
        ck_assert_str_eq(err.message, "`n`: 11 is above the maximum 10");
        ck_assert_int_eq(pw_context_set_json(ctx, early, strlen(early), &err), PW_ERR_FACTS);
        ck_assert_str_eq(err.message, "`d`: 1999-12-31 is below the minimum 2000-01-01");
        ck_assert_int_eq(pw_context_set_json(ctx, ok, strlen(ok), &err), PW_OK);
        ck_assert_int_eq(pw_evaluate(ctx, 0, 20000, &err), PW_OK);
        ck_assert(pw_result_eligible(ctx, 0));
        /* A setter that would break a bound changes nothing. */
        ck_assert_int_eq(pw_context_set_int(ctx, "n", 12, &err), PW_ERR_FACTS);
        ck_assert_str_eq(err.message, "`n`: 12 is above the maximum 10");
        ck_assert_int_eq(pw_context_set_number(ctx, "n", -3, &err), PW_ERR_FACTS);
        ck_assert_int_eq(pw_context_set_date(ctx, "d", 0, &err), PW_ERR_FACTS);
        ck_assert_str_eq(err.message, "`d`: 1970-01-01 is below the minimum 2000-01-01");
        ck_assert_int_eq(pw_evaluate(ctx, 0, 20000, &err), PW_OK);
        ck_assert(pw_result_eligible(ctx, 0)); /* n is still 10 */
        pw_context_free(ctx);
    }
    pw_program_free(back);
    pw_program_free(prog);
}
END_TEST

/* Regressions found by fuzzing: a record with a long unknown text and a later
 * error freed the text before clearing its hash (use after free); and a
 * context without facts (fresh, reset, or after a failed load) evaluated a
 * phantom all-zero coach instead of saying what is missing. */
START_TEST(test_failed_load_leaves_no_coach)
{
    pw_error err;
    pw_program *prog = compile_cond("athletes_coached >= 0", &err);
    ck_assert_msg(prog, "%s", err.message);
    pw_context *ctx = NULL;
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, 20000, &err), PW_ERR_FACTS);
    ck_assert_ptr_nonnull(strstr(err.message, "missing required field `id`"));

    size_t n = 300000;
    char *big = malloc(n + 64);
    ck_assert_ptr_nonnull(big);
    memcpy(big, "{\"id\":\"", 7);
    memset(big + 7, 'x', n);
    strcpy(big + 7 + n, "\",\"birth_date\":\"3980-01-01\"}");
    ck_assert_int_eq(pw_context_set_json(ctx, big, strlen(big), &err), PW_ERR_FACTS);
    free(big);
    ck_assert_int_eq(pw_evaluate(ctx, 0, 20000, &err), PW_ERR_FACTS);

    const char *good = "{" BASE "}";
    ck_assert_int_eq(pw_context_set_json(ctx, good, strlen(good), &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, 20000, &err), PW_OK);
    ck_assert_int_eq(pw_context_reset(ctx, &err), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, 20000, &err), PW_ERR_FACTS);
    pw_context_free(ctx);
    pw_program_free(prog);
}
END_TEST

static Suite *compile_suite(void)
{
    Suite *s = suite_create("compile");
    TCase *tc = tcase_create("language");
    tcase_add_loop_test(tc, test_rows, 0, (int)(sizeof rows / sizeof *rows));
    tcase_add_test(tc, test_groups_and_roles);
    tcase_add_test(tc, test_save_load_round_trip);
    tcase_add_test(tc, test_enrolment_window);
    tcase_add_test(tc, test_compile_errors_reported);
    tcase_add_test(tc, test_recursion_refused);
    tcase_add_test(tc, test_group_depth_limit);
    tcase_add_test(tc, test_version_switch);
    tcase_add_test(tc, test_requirement_takes_effect);
    tcase_add_test(tc, test_version_at);
    tcase_add_test(tc, test_groups_out_of_force);
    tcase_add_test(tc, test_dated_save_load);
    tcase_add_test(tc, test_overlapping_versions_refused);
    tcase_add_test(tc, test_context_limits);
    tcase_add_test(tc, test_compile_limits);
    tcase_add_test(tc, test_compile_nesting_chain);
    tcase_add_test(tc, test_field_bounds);
    tcase_add_test(tc, test_failed_load_leaves_no_coach);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(compile_suite());
}
