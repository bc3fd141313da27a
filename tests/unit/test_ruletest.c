/* Rule tests (src/ruletest): facts from example chains, every kind of
 * expectation passing and failing, exact unmet sets, facts and evaluation
 * errors, coverage counting and merging, assumptions, and the JUnit writer's
 * escaping. Rule files are written to a temporary directory, since the
 * tools compile from a path. */
#include <cjson/cJSON.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "ruletest/ruletest_int.h"

/* ---- a temporary directory of rule files ------------------------------------------ */

typedef struct tdir {
    char path[64];
    char files[8][128];
    int n;
} tdir;

static void tdir_make(tdir *d)
{
    memset(d, 0, sizeof *d);
    strcpy(d->path, "/tmp/pw_ruletest_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(d->path));
}

/* Writes `name` in the directory; returns its path (valid until tdir_remove). */
static const char *tdir_write(tdir *d, const char *name, const char *text)
{
    ck_assert_int_lt(d->n, 8);
    char *path = d->files[d->n++];
    size_t n = strlen(d->path);
    memcpy(path, d->path, n);
    snprintf(path + n, sizeof d->files[0] - n, "/%s", name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void tdir_remove(tdir *d)
{
    for (int i = 0; i < d->n; i++)
        unlink(d->files[i]);
    rmdir(d->path);
}

static const char rules[] =
    "facts coach {\n"
    "  id: text\n"
    "  birth_date: date\n"
    "  athletes_coached: integer = 0\n"
    "  roles: set of text = []\n"
    "}\n"
    "define age = years since birth_date\n"
    "program p \"P\" {\n"
    "  require \"adult\": age >= 18\n"
    "  require \"coaches\": athletes_coached >= 1\n"
    "  require \"assistant\": \"assistant\" in roles\n"
    "}\n"
    "program later \"Later\" effective from 2030-01-01 {\n"
    "  require \"adult\": age >= 18\n"
    "}\n"
    "program old \"Old\" effective until 2020-12-31 {\n"
    "  require \"adult\": age >= 18\n"
    "}\n"
    "program big \"Big\" {\n"
    "  require \"cubed\": athletes_coached * athletes_coached * athletes_coached >= 1\n"
    "}\n";

/* Runs the tests of `tests` (which includes "rules.pw"), with coverage into
 * cov when given. */
static void run(tdir *d, const char *tests, pr_coverage *cov, pr_file *out)
{
    tdir_write(d, "rules.pw", rules);
    const char *path = tdir_write(d, "t.test.pw", tests);
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, cov, out, &err), PW_OK);
    ck_assert_msg(out->compiled, "%s", out->error ? out->error : "");
}

#define KID "given { id: \"k\" birth_date: 2015-01-01 }\n"
#define ADULT "given { id: \"a\" birth_date: 1990-01-01 athletes_coached: 1 roles: [\"assistant\"] }\n"

/* ---- facts from examples -------------------------------------------------------------- */

typedef struct facts_probe {
    char *json; /* the first test's facts, printed */
    pw_status st;
    char msg[sizeof ((pw_error *)0)->message];
} facts_probe;

static void probe_facts(void *user, const pt_tree *tree)
{
    facts_probe *p = user;
    for (const pa_decl *d = tree->decls; d; d = d->next) {
        if (d->kind != PA_D_TEST)
            continue;
        cJSON *facts = NULL;
        pw_error err;
        p->st = pr_build_facts(tree, &d->u.test.given, &facts, &err);
        if (p->st == PW_OK)
            p->json = cJSON_PrintUnformatted(facts);
        else
            snprintf(p->msg, sizeof p->msg, "%s", err.message);
        cJSON_Delete(facts);
        return;
    }
}

START_TEST(test_example_chain)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "rules.pw", rules);
    const char *path = tdir_write(&d, "t.test.pw",
                                  "include \"rules.pw\"\n"
                                  "example base = {\n"
                                  "  id: \"base\" birth_date: 1990-01-01 roles: [\"a\", \"b\"]\n"
                                  "}\n"
                                  "example mid = base with { id: \"mid\" athletes_coached: 2 }\n"
                                  "example top = mid with { roles: [\"c\"] }\n"
                                  "test \"t\" {\n"
                                  "  as of 2026-06-01\n"
                                  "  given top with { birth_date: 2000-02-29 athletes_coached: 3 }\n"
                                  "  expect p not eligible\n"
                                  "}\n");
    facts_probe probe = {NULL, PW_OK, {0}};
    pw_program *prog = NULL;
    pw_error err;
    ck_assert_int_eq(pt_compile_tree(path, NULL, probe_facts, &probe, &prog, &err), PW_OK);
    ck_assert_int_eq(probe.st, PW_OK);
    /* Base first, each `with` replacing whole top-level fields (the list too). */
    cJSON *got = cJSON_Parse(probe.json);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(cJSON_GetObjectItem(got, "id")->valuestring, "mid");
    ck_assert_str_eq(cJSON_GetObjectItem(got, "birth_date")->valuestring, "2000-02-29");
    ck_assert_int_eq((int)cJSON_GetObjectItem(got, "athletes_coached")->valuedouble, 3);
    cJSON *roles = cJSON_GetObjectItem(got, "roles");
    ck_assert_int_eq(cJSON_GetArraySize(roles), 1);
    ck_assert_str_eq(cJSON_GetArrayItem(roles, 0)->valuestring, "c");
    ck_assert_int_eq(cJSON_GetArraySize(got), 4);
    cJSON_Delete(got);
    free(probe.json);
    pw_program_free(prog);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_values_as_json)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "rules.pw",
               "facts coach { id: text  n: number? = none  ok: boolean = false  when: date? = none\n"
               "  items: list of item = [] }\n"
               "record item { name: text  seen: date? }\n"
               "program p { require \"ok\": ok }\n");
    const char *path = tdir_write(&d, "t.test.pw",
                                  "include \"rules.pw\"\n"
                                  "test \"t\" {\n"
                                  "  as of 2026-06-01\n"
                                  "  given { id: \"q\\\"\\\\\" n: -2.5 ok: true when: none\n"
                                  "          items: [{ name: \"x\" seen: 2024-02-29 },\n"
                                  "                  { name: \"y\", seen: none }] }\n"
                                  "  expect p eligible\n"
                                  "}\n");
    facts_probe probe = {NULL, PW_OK, {0}};
    pw_program *prog = NULL;
    pw_error err;
    ck_assert_int_eq(pt_compile_tree(path, NULL, probe_facts, &probe, &prog, &err), PW_OK);
    ck_assert_int_eq(probe.st, PW_OK);
    ck_assert_str_eq(probe.json,
                     "{\"id\":\"q\\\"\\\\\",\"n\":-2.5,\"ok\":true,\"when\":null,"
                     "\"items\":[{\"name\":\"x\",\"seen\":\"2024-02-29\"},{\"name\":\"y\",\"seen\":null}]}");
    free(probe.json);
    pw_program_free(prog);
    tdir_remove(&d);
}
END_TEST

/* ---- expectations ----------------------------------------------------------------------- */

/* One test with one expectation: does it pass? */
static pr_status one(const char *as_of, const char *given, const char *expect, pr_file *f, tdir *d)
{
    char text[1024];
    snprintf(text, sizeof text,
             "include \"rules.pw\"\ntest \"t\" {\n  as of %s\n  %s  expect %s\n}\n", as_of, given, expect);
    tdir_make(d);
    run(d, text, NULL, f);
    ck_assert_uint_eq(f->ntests, 1);
    return f->tests[0].status;
}

typedef struct kind_row {
    const char *as_of, *given, *expect;
    pr_status want;
    pw_verdict actual; /* when it fails */
} kind_row;

static const kind_row kind_rows[] = {
    {"2026-06-01", ADULT, "p eligible", PR_PASS, PW_ELIGIBLE},
    {"2026-06-01", KID, "p eligible", PR_FAIL, PW_NOT_ELIGIBLE},
    {"2026-06-01", KID, "p not eligible", PR_PASS, PW_NOT_ELIGIBLE},
    {"2026-06-01", ADULT, "p not eligible", PR_FAIL, PW_ELIGIBLE},
    {"2026-06-01", ADULT, "later not yet in force", PR_PASS, PW_NOT_YET_IN_FORCE},
    {"2030-01-01", ADULT, "later not yet in force", PR_FAIL, PW_ELIGIBLE},
    {"2026-06-01", ADULT, "old withdrawn", PR_PASS, PW_WITHDRAWN},
    {"2020-12-31", ADULT, "old withdrawn", PR_FAIL, PW_ELIGIBLE},
    {"2026-06-01", ADULT, "later withdrawn", PR_FAIL, PW_NOT_YET_IN_FORCE},
    {"2026-06-01", ADULT, "old not yet in force", PR_FAIL, PW_WITHDRAWN},
};

START_TEST(test_expectation_kinds)
{
    const kind_row *r = &kind_rows[_i];
    tdir d;
    pr_file f;
    ck_assert_int_eq(one(r->as_of, r->given, r->expect, &f, &d), r->want);
    const pr_test *t = &f.tests[0];
    ck_assert_uint_eq(t->nexpects, 1);
    if (r->want == PR_PASS) {
        ck_assert_uint_eq(t->nfailures, 0);
    } else {
        ck_assert_uint_eq(t->nfailures, 1);
        ck_assert_int_eq(t->failures[0].actual, r->actual);
        ck_assert_uint_eq(t->failures[0].line, 5);
    }
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_unmet_sets)
{
    tdir d;
    tdir_make(&d);
    pr_file f;
    run(&d,
        "include \"rules.pw\"\n"
        "example kid = { id: \"k\" birth_date: 2015-01-01 }\n"
        "test \"any order\" {\n  as of 2026-06-01\n  given kid\n"
        "  expect p not eligible unmet \"assistant\", \"adult\", \"coaches\"\n}\n"
        "test \"missing and unexpected\" {\n  as of 2026-06-01\n  given kid with { athletes_coached: 2 }\n"
        "  expect p not eligible unmet \"adult\", \"coaches\"\n}\n"
        "test \"verdict wrong too\" {\n  as of 2026-06-01\n" ADULT
        "  expect p not eligible unmet \"adult\"\n}\n",
        NULL, &f);
    ck_assert_uint_eq(f.ntests, 3);
    ck_assert_int_eq(f.tests[0].status, PR_PASS);

    const pr_test *t = &f.tests[1];
    ck_assert_int_eq(t->status, PR_FAIL);
    ck_assert_uint_eq(t->nfailures, 1);
    const pr_failure *x = &t->failures[0];
    ck_assert_int_eq(x->actual, PW_NOT_ELIGIBLE);
    ck_assert_uint_eq(x->lists[PR_UNMET].actual.n, 2);
    ck_assert_str_eq(x->lists[PR_UNMET].actual.items[0], "adult");
    ck_assert_str_eq(x->lists[PR_UNMET].actual.items[1], "assistant");
    ck_assert_uint_eq(x->lists[PR_UNMET].missing.n, 1);
    ck_assert_str_eq(x->lists[PR_UNMET].missing.items[0], "coaches");
    ck_assert_uint_eq(x->lists[PR_UNMET].unexpected.n, 1);
    ck_assert_str_eq(x->lists[PR_UNMET].unexpected.items[0], "assistant");

    pd_buf b = {0};
    pr_render_test(t, &b);
    ck_assert_ptr_nonnull(strstr(b.data, "FAIL "));
    ck_assert_ptr_nonnull(strstr(b.data, "expected p: not eligible, unmet \"adult\", \"coaches\"\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "got: not eligible, unmet \"adult\", \"assistant\"\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "missing unmet: \"coaches\"\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "unexpected unmet: \"assistant\"\n"));
    pd_buf_free(&b);

    /* Eligible when "not eligible" was expected: the verdict is the failure. */
    x = &f.tests[2].failures[0];
    ck_assert_int_eq(x->actual, PW_ELIGIBLE);
    ck_assert_uint_eq(x->lists[PR_UNMET].missing.n + x->lists[PR_UNMET].unexpected.n, 0);
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_every_failure_collected)
{
    tdir d;
    tdir_make(&d);
    pr_file f;
    run(&d,
        "include \"rules.pw\"\n"
        "test \"three wrong, one right\" {\n  as of 2026-06-01\n" ADULT
        "  expect p not eligible\n  expect later eligible\n"
        "  expect old withdrawn\n  expect big not eligible\n}\n",
        NULL, &f);
    const pr_test *t = &f.tests[0];
    ck_assert_int_eq(t->status, PR_FAIL);
    ck_assert_uint_eq(t->nexpects, 4);
    ck_assert_uint_eq(t->nfailures, 3);
    ck_assert_str_eq(t->failures[0].program, "p");
    ck_assert_str_eq(t->failures[1].program, "later");
    ck_assert_str_eq(t->failures[2].program, "big");
    ck_assert_uint_eq(t->line, 2);
    ck_assert_str_eq(t->title, "three wrong, one right");
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

/* `prefer unmet` and `advise` pin the other two lists exactly. */
START_TEST(test_prefer_and_advice)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "rules.pw",
               "facts coach { id: text\n athletes_coached: integer = 0\n teaching: boolean = false }\n"
               "program course \"Course\" {\n"
               "  prefer \"teaching experience\": teaching\n"
               "  advise \"bring an athlete\": athletes_coached >= 1\n"
               "}\n");
    const char *path = tdir_write(&d, "t.test.pw",
        "include \"rules.pw\"\n"
        "test \"right\" {\n  as of 2026-06-01\n  given { id: \"a\" }\n"
        "  expect course eligible prefer unmet \"teaching experience\" advise \"bring an athlete\"\n}\n"
        "test \"none\" {\n  as of 2026-06-01\n  given { id: \"a\" teaching: true athletes_coached: 1 }\n"
        "  expect course eligible prefer unmet none advise none\n}\n"
        "test \"wrong\" {\n  as of 2026-06-01\n  given { id: \"a\" teaching: true }\n"
        "  expect course eligible prefer unmet \"teaching experience\" advise none\n}\n");
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, NULL, &f, &err), PW_OK);
    ck_assert_msg(f.compiled, "%s", f.error ? f.error : "");
    ck_assert_uint_eq(f.ntests, 3);
    ck_assert_int_eq(f.tests[0].status, PR_PASS);
    ck_assert_int_eq(f.tests[1].status, PR_PASS);
    ck_assert_int_eq(f.tests[2].status, PR_FAIL);
    const pr_failure *x = &f.tests[2].failures[0];
    ck_assert_uint_eq(x->lists[PR_PREFERRED].missing.n, 1);
    ck_assert_str_eq(x->lists[PR_PREFERRED].missing.items[0], "teaching experience");
    ck_assert_uint_eq(x->lists[PR_ADVICE].unexpected.n, 1);
    ck_assert_str_eq(x->lists[PR_ADVICE].unexpected.items[0], "bring an athlete");
    pd_buf b = {0};
    pr_render_failure(x, "", &b);
    ck_assert_str_eq(b.data, "line 15: expected course: eligible, prefer unmet \"teaching experience\", advise none\n"
                             "         got: eligible, prefer unmet none, advise \"bring an athlete\"\n"
                             "         missing prefer unmet: \"teaching experience\"\n"
                             "         unexpected advise: \"bring an athlete\"\n");
    pd_buf_free(&b);
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_facts_error)
{
    /* Facts JSON cannot hold an integer past 2^53: the checker refuses it,
     * so the file does not compile, and says where. */
    tdir d;
    tdir_make(&d);
    pr_file f;
    tdir_write(&d, "rules.pw", rules);
    const char *path = tdir_write(&d, "t.test.pw",
                                  "include \"rules.pw\"\n"
                                  "test \"too big for JSON\" {\n  as of 2026-06-01\n"
                                  "  given { id: \"x\" birth_date: 1990-01-01 athletes_coached: "
                                  "9007199254740993 }\n"
                                  "  expect p eligible\n}\n");
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, NULL, &f, &err), PW_OK);
    ck_assert(!f.compiled);
    ck_assert_ptr_nonnull(f.error);
    ck_assert_ptr_nonnull(strstr(f.error, "t.test.pw:4:"));
    ck_assert_ptr_nonnull(strstr(f.error, "9007199254740993 is too large for facts"));
    ck_assert_uint_eq(f.ntests, 0);
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_evaluation_error)
{
    tdir d;
    tdir_make(&d);
    pr_file f;
    run(&d,
        "include \"rules.pw\"\n"
        "test \"overflow\" {\n  as of 2026-06-01\n"
        "  given { id: \"x\" birth_date: 1990-01-01 athletes_coached: 9007199254740992 }\n"
        "  expect big eligible\n  expect p not eligible\n}\n",
        NULL, &f);
    const pr_test *t = &f.tests[0];
    ck_assert_int_eq(t->status, PR_ERROR);
    ck_assert_uint_eq(t->nfailures, 1); /* the error; `p not eligible` holds */
    ck_assert_ptr_nonnull(t->failures[0].error);
    ck_assert_ptr_nonnull(strstr(t->failures[0].error, "overflow"));
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_only_own_tests)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "rules.pw", rules);
    tdir_write(&d, "inc.test.pw",
               "include \"rules.pw\"\n"
               "test \"included\" {\n  as of 2026-06-01\n" ADULT "  expect p eligible\n}\n");
    const char *path = tdir_write(&d, "top.test.pw",
                                  "include \"inc.test.pw\"\ntest \"own\" {\n  as of 2026-06-01\n" ADULT
                                  "  expect p eligible\n}\n");
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, NULL, &f, &err), PW_OK);
    ck_assert_uint_eq(f.ntests, 1);
    ck_assert_str_eq(f.tests[0].title, "own");
    ck_assert_str_eq(f.tests[0].file, path);
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_uncompiled_file)
{
    tdir d;
    tdir_make(&d);
    pr_coverage cov;
    pr_coverage_init(&cov);
    const char *path =
        tdir_write(&d, "bad.pw", "facts coach { id: text }\nprogram p { require \"x\": nope }\n");
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, &cov, &f, &err), PW_OK);
    ck_assert(!f.compiled);
    ck_assert_ptr_nonnull(strstr(f.error, "unknown name"));
    ck_assert_uint_eq(cov.n, 0);
    pr_file_fini(&f);
    pr_coverage_fini(&cov);
    tdir_remove(&d);
}
END_TEST

/* ---- coverage ------------------------------------------------------------------------------ */

static const char cov_rules[] =
    "facts coach { id: text  birth_date: date  athletes_coached: integer = 0 }\n"
    "define age = years since birth_date\n"
    "program c {\n"
    "  require \"met only\": age >= 0\n"
    "  require \"unmet only\": age >= 200\n"
    "  require \"both\": athletes_coached >= 1\n"
    "  require \"group\": any of {\n"
    "    \"first\": age >= 0\n"
    "    \"second\": age >= 0\n"
    "  }\n"
    "  prefer \"preferred\": athletes_coached >= 5\n"
    "}\n"
    "program untouched { require \"alone\": age >= 18 }\n";

static const char cov_tests[] =
    "include \"cov.pw\"\n"
    "test \"one athlete\" {\n  as of 2026-06-01\n"
    "  given { id: \"a\" birth_date: 1990-01-01 athletes_coached: 1 }\n"
    "  expect c not eligible unmet \"unmet only\"\n}\n"
    "test \"no athlete\" {\n  as of 2026-06-01\n"
    "  given { id: \"b\" birth_date: 1990-01-01 }\n"
    "  expect c not eligible unmet \"unmet only\", \"both\"\n}\n";

START_TEST(test_coverage_counting)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "cov.pw", cov_rules);
    const char *path = tdir_write(&d, "cov.test.pw", cov_tests);
    pr_coverage cov;
    pr_coverage_init(&cov);
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, &cov, &f, &err), PW_OK);
    ck_assert_int_eq(f.tests[0].status, PR_PASS);
    ck_assert_int_eq(f.tests[1].status, PR_PASS);
    ck_assert_uint_eq(cov.n, 2);
    const pr_cov_prog *c = &cov.progs[0];
    ck_assert_str_eq(c->id, "c");
    ck_assert_uint_eq(c->line, 3);
    ck_assert_uint_eq(c->evaluations, 2);
    ck_assert_uint_eq(c->nreqs, 7);
    static const struct { const char *label; bool met, unmet; } want[] = {
        {"met only", true, false}, {"unmet only", false, true}, {"both", true, true},
        {"group", true, false},    {"first", true, false},      {"second", false, false},
        {"preferred", false, true},
    };
    for (size_t i = 0; i < 7; i++) {
        ck_assert_str_eq(c->reqs[i].label, want[i].label);
        ck_assert_msg(c->reqs[i].met == want[i].met && c->reqs[i].unmet == want[i].unmet, "%s",
                      want[i].label);
    }
    ck_assert_uint_eq(c->reqs[4].depth, 1);
    ck_assert_uint_eq(pr_cov_prog_covered(c), 1);
    ck_assert_uint_eq(cov.progs[1].evaluations, 0); /* registered, never named by a test */
    size_t covered, total;
    pr_coverage_totals(&cov, &covered, &total);
    ck_assert_uint_eq(covered, 1);
    ck_assert_uint_eq(total, 8);

    pd_buf b = {0};
    pr_render_coverage(&cov, &b);
    ck_assert_ptr_nonnull(strstr(b.data, "cov.pw:3: c: 1/7 requirements covered\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "line 4: \"met only\": never unmet\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "line 5: \"unmet only\": never met\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "line 9: \"second\": never evaluated\n"));
    ck_assert_ptr_null(strstr(b.data, "\"both\""));
    ck_assert_ptr_nonnull(
        strstr(b.data, "untouched: 0/1 requirements covered (no test evaluated it in force)\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "total: 1/8 requirements covered (12.5%)\n"));
    pd_buf_free(&b);
    pr_file_fini(&f);
    pr_coverage_fini(&cov);
    tdir_remove(&d);
}
END_TEST

/* Only asserted evaluations count: a version out of force on the test's
 * date evaluates nothing. */
START_TEST(test_coverage_out_of_force)
{
    tdir d;
    tdir_make(&d);
    pr_coverage cov;
    pr_coverage_init(&cov);
    pr_file f;
    run(&d,
        "include \"rules.pw\"\n"
        "test \"t\" {\n  as of 2026-06-01\n" ADULT "  expect later not yet in force\n}\n",
        &cov, &f);
    ck_assert_int_eq(f.tests[0].status, PR_PASS);
    ck_assert_uint_eq(cov.n, 4);
    ck_assert_str_eq(cov.progs[1].id, "later");
    ck_assert(cov.progs[1].dated);
    ck_assert_uint_eq(cov.progs[1].evaluations, 0);
    ck_assert(!cov.progs[1].reqs[0].met && !cov.progs[1].reqs[0].unmet);
    ck_assert_uint_eq(cov.progs[0].evaluations, 0); /* p: not named */
    pr_file_fini(&f);
    pr_coverage_fini(&cov);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_coverage_merge)
{
    tdir d;
    tdir_make(&d);
    const char *rules_path = tdir_write(&d, "cov.pw", cov_rules);
    const char *tests_path = tdir_write(&d, "cov.test.pw", cov_tests);
    pr_coverage cov;
    pr_coverage_init(&cov);
    pr_file f;
    pw_error err;
    /* The rules alone: registered, nothing seen. */
    ck_assert_int_eq(pr_run_file(rules_path, NULL, &cov, &f, &err), PW_OK);
    ck_assert_uint_eq(f.ntests, 0);
    pr_file_fini(&f);
    ck_assert_uint_eq(cov.n, 2);
    ck_assert_uint_eq(cov.progs[0].evaluations, 0);
    /* The tests, compiling the same rules through an include, twice. */
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(pr_run_file(tests_path, NULL, &cov, &f, &err), PW_OK);
        pr_file_fini(&f);
    }
    ck_assert_uint_eq(cov.n, 2);
    ck_assert_str_eq(cov.progs[0].file, rules_path);
    ck_assert_uint_eq(cov.progs[0].evaluations, 4);
    ck_assert(cov.progs[0].reqs[2].met && cov.progs[0].reqs[2].unmet);
    /* The same rules in another file are other programs (same name, same
     * line): entries of their own, nothing seen. */
    const char *copy_path = tdir_write(&d, "copy.pw", cov_rules);
    ck_assert_int_eq(pr_run_file(copy_path, NULL, &cov, &f, &err), PW_OK);
    pr_file_fini(&f);
    ck_assert_uint_eq(cov.n, 4);
    ck_assert_str_eq(cov.progs[2].file, copy_path);
    ck_assert_str_eq(cov.progs[2].id, "c");
    ck_assert_uint_eq(cov.progs[2].evaluations, 0);
    ck_assert_uint_eq(cov.progs[0].evaluations, 4);
    pr_coverage_fini(&cov);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_coverage_percent)
{
    ck_assert(pr_coverage_percent(0, 0) == 100.0);
    ck_assert(pr_coverage_percent(2, 3) == 66.6);
    ck_assert(pr_coverage_percent(1999, 2000) == 99.9);
    ck_assert(pr_coverage_percent(9999, 10000) == 99.9); /* never reads as 100 */
    ck_assert(pr_coverage_percent(5, 5) == 100.0);
}
END_TEST

/* ---- assumptions ------------------------------------------------------------------------------ */

START_TEST(test_assumptions)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "inc.pw",
               "facts coach { id: text  birth_date: date }\n"
               "define age = years since birth_date\n"
               "program first assuming \"header one\" assuming \"header two\" {\n"
               "  require \"adult\": age >= 18 assuming \"on the requirement\"\n"
               "}\n");
    const char *path = tdir_write(&d, "main.pw",
                                  "include \"inc.pw\"\n"
                                  "program second {\n"
                                  "  require \"group\": any of {\n"
                                  "    \"a\": age >= 18 assuming \"on a member\"\n"
                                  "    \"b\": age >= 21\n"
                                  "  } assuming \"on the group, after its members\"\n"
                                  "}\n");
    pr_assumptions a = {0};
    pw_error err;
    ck_assert_int_eq(pr_list_assumptions(path, NULL, &a, &err), PW_OK);
    ck_assert_uint_eq(a.n, 5);
    static const struct { const char *program, *requirement, *reason; unsigned line; } want[] = {
        {"first", NULL, "header one", 3},
        {"first", NULL, "header two", 3},
        {"first", "adult", "on the requirement", 4},
        {"second", "a", "on a member", 4},
        {"second", "group", "on the group, after its members", 6},
    };
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(a.items[i].program, want[i].program);
        ck_assert_str_eq(a.items[i].reason, want[i].reason);
        ck_assert_uint_eq(a.items[i].line, want[i].line);
        if (want[i].requirement)
            ck_assert_str_eq(a.items[i].requirement, want[i].requirement);
        else
            ck_assert_ptr_null(a.items[i].requirement);
    }
    ck_assert_ptr_nonnull(strstr(a.items[0].file, "inc.pw"));
    ck_assert_str_eq(a.items[3].file, path);
    pr_assumptions_fini(&a);

    /* Nothing is listed for rules that do not compile. */
    const char *bad = tdir_write(&d, "bad.pw", "program p assuming \"x\" { require \"y\": nope }\n");
    ck_assert_int_eq(pr_list_assumptions(bad, NULL, &a, &err), PW_ERR_COMPILE);
    ck_assert_uint_eq(a.n, 0);
    pr_assumptions_fini(&a);
    tdir_remove(&d);
}
END_TEST

/* ---- JUnit ------------------------------------------------------------------------------------- */

static char *escaped(const char *s, bool attribute)
{
    static char out[256];
    pd_buf b = {0};
    (attribute ? pu_escape_markup_attr : pu_escape_markup)(&b, s, strlen(s));
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    pd_buf_free(&b);
    return out;
}

START_TEST(test_xml_escape)
{
    ck_assert_str_eq(escaped("a&b<c>d\"e'f", false), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    /* Controls XML cannot hold are shown, not dropped (util/escape.h). */
    ck_assert_str_eq(escaped("x\x01y\x1fz\x7f", false), "x\\x01y\\x1fz\\x7f");
    ck_assert_str_eq(escaped("l1\nl2\tt\rr", false), "l1\nl2\tt&#13;r");
    ck_assert_str_eq(escaped("l1\nl2\tt", true), "l1&#10;l2&#9;t");
    ck_assert_str_eq(escaped("caf\xc3\xa9 \xe2\x9c\x93", false), "caf\xc3\xa9 \xe2\x9c\x93");
    ck_assert_str_eq(escaped("bad \xff\xc3 end", false), "bad \\xff\\xc3 end");
    ck_assert_str_eq(escaped("", false), "");
}
END_TEST

START_TEST(test_junit_document)
{
    tdir d;
    tdir_make(&d);
    pr_file files[2];
    run(&d,
        "include \"rules.pw\"\n"
        "test \"<pass> & 'quotes'\" {\n  as of 2026-06-01\n" ADULT "  expect p eligible\n}\n"
        "test \"fails\" {\n  as of 2026-06-01\n" ADULT "  expect p not eligible unmet \"adult\"\n}\n"
        "test \"errs\" {\n  as of 2026-06-01\n"
        "  given { id: \"x\" birth_date: 1990-01-01 athletes_coached: 3000000 }\n"
        "  expect big eligible\n}\n",
        NULL, &files[0]);
    memset(&files[1], 0, sizeof files[1]);
    files[1].path = pr_dup("bad<1>.pw");
    files[1].error = pr_dup("bad<1>.pw:1:1: unknown name `x` & more");
    pd_buf b = {0};
    pr_render_junit(files, 2, &b);
    ck_assert(!b.oom);
    ck_assert_ptr_nonnull(strstr(b.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    ck_assert_ptr_nonnull(strstr(b.data, "tests=\"4\" failures=\"1\" errors=\"2\""));
    ck_assert_ptr_nonnull(strstr(b.data, "tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\""));
    ck_assert_ptr_nonnull(strstr(b.data, "name=\"&lt;pass&gt; &amp; &#39;quotes&#39;\""));
    /* The junit-10 schema has no `file` or `line` on a testcase. */
    ck_assert_ptr_null(strstr(b.data, "line=\""));
    ck_assert_ptr_nonnull(strstr(b.data, "<failure message=\"p: expected not eligible, got eligible\""));
    ck_assert_ptr_nonnull(strstr(b.data, "type=\"evaluation\""));
    ck_assert_ptr_nonnull(
        strstr(b.data, "<testsuite name=\"bad&lt;1&gt;.pw\" file=\"bad&lt;1&gt;.pw\" tests=\"1\" failures=\"0\" errors=\"1\""));
    ck_assert_ptr_nonnull(strstr(b.data, "unknown name `x` &amp; more</error>"));
    ck_assert_ptr_nonnull(strstr(b.data, "</testsuites>\n"));
    ck_assert_ptr_null(strstr(b.data, "<pass>"));
    pd_buf_free(&b);
    pr_file_fini(&files[0]);
    pr_file_fini(&files[1]);
    tdir_remove(&d);
}
END_TEST

/* ---- values, windows and mutants ------------------------------------------------------------ */

/* `expect NAME(args) = value` with every kind of literal as an argument
 * and as the value, each failing on purpose: the expectation is written
 * back as the language writes it (text escaped) and the result beside it. */
START_TEST(test_value_literals)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "v.test.pw",
                                  "facts coach {\n  id: text\n  start: date? = none\n}\n"
                                  "define echo(s: text) = s\n"
                                  "define half(x: number) = x * 0.5\n"
                                  "define flip(b: boolean) = not b\n"
                                  "define later(d: date) = d\n"
                                  "define maybe(s: text?) = s\n"
                                  "define started = start\n"
                                  "test \"values\" {\n  as of 2026-06-01\n  given { id: \"a\" }\n"
                                  "  expect echo(\"q\\\"b\\\\c\\nd\\te\") = \"x\"\n"
                                  "  expect half(1.5) = 0.7\n"
                                  "  expect flip(true) = true\n"
                                  "  expect later(2020-01-01) = 2020-01-02\n"
                                  "  expect maybe(none) = \"x\"\n"
                                  "  expect started = 2020-01-01\n"
                                  "  expect echo(\"z\") = \"z\"\n"
                                  "  expect half(1) = 0.5\n"
                                  "  expect flip(false) = true\n"
                                  "}\n");
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, NULL, &f, &err), PW_OK);
    ck_assert_msg(f.compiled, "%s", f.error ? f.error : "");
    ck_assert_uint_eq(f.ntests, 1);
    const pr_test *t = &f.tests[0];
    ck_assert_int_eq(t->status, PR_FAIL);
    static const char *const want[][2] = {
        {"echo(\"q\\\"b\\\\c\\nd\\te\") = \"x\"", "\"q\\\"b\\\\c\\nd\\te\""},
        {"half(1.5) = 0.7", "0.75"},
        {"flip(true) = true", "false"},
        {"later(2020-01-01) = 2020-01-02", "2020-01-01"},
        {"maybe(none) = \"x\"", "none"},
        {"started = 2020-01-01", "none"},
    };
    ck_assert_uint_eq(t->nexpects, 9);
    ck_assert_uint_eq(t->nfailures, sizeof want / sizeof *want); /* the last three hold */
    for (size_t i = 0; i < t->nfailures; i++) {
        ck_assert_str_eq(t->failures[i].value_expected, want[i][0]);
        ck_assert_str_eq(t->failures[i].value_actual, want[i][1]);
        ck_assert_ptr_null(t->failures[i].error);
    }
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

/* A verdict about an enrolment window that is wrong shows the window,
 * whichever of its ends are given. */
START_TEST(test_window_shown)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "w.test.pw",
                                  "facts coach { id: text }\n"
                                  "program early \"Early\" enrolment open from 2026-01-01 {\n  require \"any\": true\n}\n"
                                  "program late \"Late\" enrolment open until 2026-12-31 {\n  require \"any\": true\n}\n"
                                  "program both \"Both\" enrolment open from 2026-03-01 until 2026-04-30 {\n"
                                  "  require \"any\": true\n}\n"
                                  "test \"windows\" {\n  as of 2026-06-01\n  given { id: \"a\" }\n"
                                  "  expect early closed\n  expect late not yet open\n  expect both eligible\n}\n");
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, NULL, &f, &err), PW_OK);
    ck_assert_msg(f.compiled, "%s", f.error ? f.error : "");
    pd_buf b = {0};
    pr_render_test(&f.tests[0], &b);
    ck_assert_ptr_nonnull(b.data);
    ck_assert_ptr_nonnull(strstr(b.data, "expected early: closed\n"
                                         "             got: eligible (open for enrolment from 2026-01-01)\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "expected late: not yet open\n"
                                         "             got: eligible (open for enrolment until 2026-12-31)\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "expected both: eligible\n"
                                         "             got: closed (open for enrolment from 2026-03-01 until "
                                         "2026-04-30)\n"));
    pd_buf_free(&b);
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

/* Every kind of change `--mutate` makes to a comparison, a literal and a
 * group, in source order: `<`, `>` and `!=` to their neighbours, a date,
 * an integer and a duration moved by one (`1 year`, singular), `at least
 * N` moved by one (3 of 2 members does not compile), a requirement's own
 * period moved by a day, a requirement made `true`; each survivor with
 * the coach and day that tells it from the rules. */
START_TEST(test_mutation_kinds)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "m.test.pw",
                                  "facts coach {\n  id: text\n  birth_date: date\n"
                                  "  athletes_coached: integer = 0\n  first_day: date = 2020-01-01\n}\n"
                                  "program p \"P\" {\n"
                                  "  require \"born before 2000\": birth_date < 2000-01-01\n"
                                  "  require \"more than two\": athletes_coached > 2\n"
                                  "  require \"not four\": athletes_coached != 4\n"
                                  "  require \"long since\": first_day <= today - 2 years\n"
                                  "  require \"two of two\": at least 2 of {\n"
                                  "    \"coaches\": athletes_coached >= 1\n"
                                  "    \"recent\": first_day >= 2024-04-01 effective from 2026-01-01\n"
                                  "  }\n}\n"
                                  "test \"a coach\" {\n  as of 2026-06-01\n"
                                  "  given { id: \"a\", birth_date: 1999-12-01, athletes_coached: 3, "
                                  "first_day: 2024-05-01 }\n"
                                  "  expect p eligible\n}\n");
    static const struct {
        unsigned line, column;
        pr_outcome outcome;
        const char *after;
    } want[] = {
        {8, 31, PR_SURVIVED, "true"},
        {8, 42, PR_SURVIVED, "birth_date <= 2000-01-01"},
        {8, 44, PR_SURVIVED, "birth_date < 1999-12-31"},
        {8, 44, PR_SURVIVED, "birth_date < 2000-01-02"},
        {9, 28, PR_SURVIVED, "true"},
        {9, 45, PR_SURVIVED, "athletes_coached >= 2"},
        {9, 47, PR_SURVIVED, "athletes_coached > 1"},
        {9, 47, PR_KILLED, "athletes_coached > 3"},
        {10, 23, PR_SURVIVED, "true"},
        {10, 40, PR_KILLED, "athletes_coached = 4"},
        {10, 43, PR_KILLED, "athletes_coached != 3"},
        {10, 43, PR_SURVIVED, "athletes_coached != 5"},
        {11, 25, PR_SURVIVED, "true"},
        {11, 35, PR_SURVIVED, "first_day < today - 2 years"},
        {11, 46, PR_SURVIVED, "first_day <= today - 1 year"},
        {11, 46, PR_KILLED, "first_day <= today - 3 years"},
        {12, 34, PR_SURVIVED, NULL}, /* at least 1 of */
        {12, 34, PR_UNCOMPILED, NULL}, /* at least 3 of */
        {13, 33, PR_SURVIVED, "athletes_coached > 1"},
        {13, 36, PR_SURVIVED, "athletes_coached >= 0"},
        {13, 36, PR_SURVIVED, "athletes_coached >= 2"},
        {14, 54, PR_SURVIVED, "from 2025-12-31"},
        {14, 54, PR_SURVIVED, "from 2026-01-02"},
        {14, 25, PR_SURVIVED, "first_day > 2024-04-01"},
        {14, 28, PR_SURVIVED, "first_day >= 2024-03-31"},
        {14, 28, PR_SURVIVED, "first_day >= 2024-04-02"},
    };
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(path, NULL, 1, &m, &err), PW_OK);
    ck_assert_ptr_null(m.error);
    ck_assert_uint_eq(m.n, sizeof want / sizeof *want);
    ck_assert_uint_eq(m.killed, 4);
    ck_assert_uint_eq(m.uncompiled, 1);
    ck_assert_uint_eq(m.survived, 21);
    for (size_t i = 0; i < m.n; i++) {
        const pr_mutant *x = &m.mutants[i];
        ck_assert_uint_eq(x->line, want[i].line);
        ck_assert_uint_eq(x->column, want[i].column);
        ck_assert_int_eq(x->outcome, want[i].outcome);
        if (want[i].after)
            ck_assert_str_eq(x->after, want[i].after);
        if (x->outcome == PR_KILLED)
            ck_assert_str_eq(x->killed_by, "a coach");
        /* Every survivor here has a coach and day that tells it apart. */
        if (x->outcome == PR_SURVIVED)
            ck_assert_msg(!x->no_witness && x->witness && x->suggestion, "mutant %zu", i);
    }
    ck_assert_ptr_nonnull(strstr(m.mutants[16].after, "at least 1 of {"));
    ck_assert_ptr_nonnull(strstr(m.mutants[17].after, "at least 3 of {"));
    ck_assert_str_eq(m.mutants[12].witness, "`p` is not eligible as written and eligible as mutated as of "
                                            "2026-04-30 for the coach of test \"a coach\"; as of 2026-05-01 "
                                            "it is eligible either way");
    ck_assert_ptr_nonnull(strstr(m.mutants[0].witness, "with its `birth_date` moved 31 days later"));
    ck_assert_ptr_nonnull(strstr(m.mutants[8].witness, "with its `athletes_coached` set to 4"));
    pr_mutation_fini(&m);
    tdir_remove(&d);
}
END_TEST

/* A chain of examples deeper than 256 (the checker allows any depth
 * without a cycle) cannot be resolved: the test is an error, said so in
 * the report and in JUnit, and nothing is evaluated. */
START_TEST(test_examples_too_deep)
{
    tdir d;
    tdir_make(&d);
    static char src[300 * 48 + 512];
    size_t n = (size_t)snprintf(src, sizeof src,
                                "facts coach {\n  id: text\n  n: integer = 0\n}\n"
                                "program q \"Q\" {\n  require \"any\": n >= 0\n}\n"
                                "example e0 = { id: \"a\" }\n");
    for (int i = 1; i < 300; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, "example e%d = e%d with { n: %d }\n", i, i - 1, i);
    snprintf(src + n, sizeof src - n, "test \"deep\" {\n  as of 2026-06-01\n  given e299\n  expect q eligible\n}\n");
    const char *path = tdir_write(&d, "deep.test.pw", src);
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, NULL, &f, &err), PW_OK);
    ck_assert_msg(f.compiled, "%s", f.error ? f.error : "");
    const pr_test *t = &f.tests[0];
    ck_assert_int_eq(t->status, PR_ERROR);
    ck_assert_str_eq(t->error, "examples are nested more than 256 deep");
    ck_assert_uint_eq(t->nfailures, 0);
    pd_buf b = {0};
    pr_render_test(t, &b);
    ck_assert_ptr_nonnull(strstr(b.data, "    facts error: examples are nested more than 256 deep\n"));
    pd_buf_free(&b);
    pr_render_junit(&f, 1, &b);
    ck_assert_ptr_nonnull(strstr(b.data, "<error message=\"facts error: examples are nested more than 256 deep\" "
                                         "type=\"facts\">"));
    pd_buf_free(&b);
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

/* A requirement whose own period no test's date falls in is never
 * evaluated, and the coverage report says why. */
START_TEST(test_coverage_requirement_period)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "c.test.pw",
                                  "facts coach {\n  id: text\n  age: integer\n}\n"
                                  "program p \"P\" {\n  require \"adult\": age >= 18\n"
                                  "  require \"later\": age >= 21 effective from 2030-01-01\n}\n"
                                  "test \"adult\" {\n  as of 2026-06-01\n  given { id: \"a\", age: 20 }\n"
                                  "  expect p eligible\n}\n"
                                  "test \"kid\" {\n  as of 2026-06-01\n  given { id: \"k\", age: 10 }\n"
                                  "  expect p not eligible\n}\n");
    pr_coverage cov;
    pr_coverage_init(&cov);
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, &cov, &f, &err), PW_OK);
    ck_assert_uint_eq(cov.n, 1);
    ck_assert_uint_eq(cov.progs[0].nreqs, 2);
    ck_assert(cov.progs[0].reqs[0].met && cov.progs[0].reqs[0].unmet);
    ck_assert(!cov.progs[0].reqs[1].met && !cov.progs[0].reqs[1].unmet);
    ck_assert(cov.progs[0].reqs[1].out_of_force);
    pd_buf b = {0};
    pr_render_coverage(&cov, &b);
    ck_assert_ptr_nonnull(strstr(b.data, ": p: 1/2 requirements covered\n"
                                         "    line 7: \"later\": never evaluated (not in force on any test's date)\n"));
    pd_buf_free(&b);
    pr_file_fini(&f);
    pr_coverage_fini(&cov);
    tdir_remove(&d);
}
END_TEST

/* Under a directory (named with a trailing slash): a rule file, a link to
 * one (listed, under the link's name), not a dangling link, not a link to
 * a directory (not followed, as find does), not another kind of file. */
START_TEST(test_collect_links)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "a.pw", "facts coach { id: text }\n");
    tdir_write(&d, "notes.txt", "not rules\n");
    static const char *const links[][2] = {{"a.pw", "link.pw"}, {"nowhere.pw", "dangling.pw"}, {".", "self.pw"}};
    for (size_t i = 0; i < 3; i++) {
        /* Through a copy: the path and the list are one struct, and gcc
         * -O2 cannot tell that they do not overlap (-Wrestrict). */
        char p[sizeof d.files[0]];
        snprintf(p, sizeof p, "%s/%s", d.path, links[i][1]);
        memcpy(d.files[d.n++], p, sizeof p);
        ck_assert_int_eq(symlink(links[i][0], p), 0);
    }
    char arg[80], want[2][128];
    snprintf(arg, sizeof arg, "%s/", d.path);
    snprintf(want[0], sizeof want[0], "%s/a.pw", d.path);
    snprintf(want[1], sizeof want[1], "%s/link.pw", d.path);
    pr_strings args = {0}, files = {0}, notes = {0};
    ck_assert(pr_strings_push(&args, arg));
    ck_assert(pr_collect_files(&args, &files, &notes));
    ck_assert_uint_eq(notes.n, 0);
    ck_assert_uint_eq(files.n, 2);
    ck_assert_str_eq(files.items[0], want[0]);
    ck_assert_str_eq(files.items[1], want[1]);
    pr_strings_fini(&args);
    pr_strings_fini(&files);
    pr_strings_fini(&notes);
    tdir_remove(&d);
}
END_TEST

/* A definition with more parameters than a test can pass (PR_MAX_ARGS):
 * the rules may call it, a test's `expect` cannot, and says so. */
START_TEST(test_value_too_many_args)
{
    tdir d;
    tdir_make(&d);
    char params[33 * 16], body[33 * 8], args[33 * 4], src[2048];
    size_t np = 0, nb = 0, na = 0;
    for (int i = 0; i <= PR_MAX_ARGS; i++) {
        np += (size_t)snprintf(params + np, sizeof params - np, "%sa%d: integer", i ? ", " : "", i);
        nb += (size_t)snprintf(body + nb, sizeof body - nb, "%sa%d", i ? " + " : "", i);
        na += (size_t)snprintf(args + na, sizeof args - na, "%s1", i ? ", " : "");
    }
    snprintf(src, sizeof src,
             "facts coach { id: text }\ndefine total(%s) = %s\n"
             "program q \"Q\" {\n  require \"any\": total(%s) >= 1\n}\n"
             "test \"many\" {\n  as of 2026-06-01\n  given { id: \"a\" }\n  expect total(%s) = 33\n}\n",
             params, body, args, args);
    const char *path = tdir_write(&d, "many.test.pw", src);
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, NULL, &f, &err), PW_OK);
    ck_assert_msg(f.compiled, "%s", f.error ? f.error : "");
    const pr_test *t = &f.tests[0];
    ck_assert_int_eq(t->status, PR_ERROR);
    ck_assert_uint_eq(t->nfailures, 1);
    ck_assert_str_eq(t->failures[0].error, "`total` takes more arguments than a test can pass");
    ck_assert_ptr_null(t->failures[0].value_actual);
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

/* The entry points refuse what they cannot use, with a message. */
START_TEST(test_api_arguments)
{
    pw_error err;
    pr_file f;
    ck_assert_int_eq(pr_run_file("x.pw", NULL, NULL, NULL, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pr_run_file: NULL argument");
    ck_assert_int_eq(pr_run_file(NULL, NULL, NULL, &f, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pr_run_file: NULL argument");
    ck_assert_uint_eq(f.ntests, 0);
    pr_file_fini(&f);
    pr_file_fini(NULL);
    pr_mutation m;
    ck_assert_int_eq(pr_mutate_file(NULL, NULL, 1, &m, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pr_mutate_file: NULL argument");
    ck_assert_int_eq(pr_mutate_file("x.pw", NULL, 1, NULL, &err), PW_ERR_USAGE);
    pr_mutation_fini(NULL);
    pr_assumptions a = {0};
    ck_assert_int_eq(pr_list_assumptions(NULL, NULL, &a, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pr_list_assumptions: NULL argument");
    ck_assert_int_eq(pr_list_assumptions("x.pw", NULL, NULL, &err), PW_ERR_USAGE);
}
END_TEST

/* Mutation testing needs rules that compile and tests that pass on them;
 * a file with no tests has nothing to measure and is not a failure. */
START_TEST(test_mutate_cannot_serve)
{
    tdir d;
    tdir_make(&d);
    const char *bad = tdir_write(&d, "bad.pw", "facts coach { id: text }\nprogram p \"P\" { require \"x\": nope }\n");
    const char *failing = tdir_write(&d, "failing.test.pw",
                                     "facts coach { id: text }\nprogram p \"P\" {\n  require \"x\": false\n}\n"
                                     "test \"t\" {\n  as of 2026-06-01\n  given { id: \"a\" }\n  expect p eligible\n}\n");
    const char *none = tdir_write(&d, "none.pw", "facts coach { id: text }\nprogram p \"P\" {\n  require \"x\": true\n}\n");
    pw_compile_options quiet;
    pw_compile_options_init(&quiet);
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(bad, &quiet, 1, &m, &err), PW_OK);
    ck_assert_str_eq(m.error, "does not compile");
    ck_assert_uint_eq(m.n, 0);
    pr_mutation_fini(&m);
    ck_assert_int_eq(pr_mutate_file(failing, &quiet, 1, &m, &err), PW_OK);
    ck_assert_str_eq(m.error, "has tests that fail on the rules as written (run `pathway test` first)");
    pr_mutation_fini(&m);
    ck_assert_int_eq(pr_mutate_file(none, &quiet, 1, &m, &err), PW_OK);
    ck_assert_ptr_null(m.error);
    ck_assert(m.no_tests);
    ck_assert_uint_eq(m.n, 0);
    pr_mutation_fini(&m);
    tdir_remove(&d);
}
END_TEST

/* Known values: an argument of a `text in LIST` parameter and a text
 * compared with such a field replaced by the list's next value (an
 * extension's values too); `not (X)` removed, and its comparison changed
 * inside; an extended record's field; the text shown with a tab and a
 * carriage return as one space. */
START_TEST(test_mutation_known_values)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "base.pw",
               "facts coach {\n  id: text\n  level: text in levels = \"bronze\"\n  age: integer\n}\n"
               "known levels = [\"bronze\", \"silver\"]\n");
    const char *path = tdir_write(&d, "k.test.pw",
                                  "include \"base.pw\"\nextend known levels with [\"gold\"]\n"
                                  "extend facts coach {\n  active: boolean = true\n}\n"
                                  "define at_level(l: text in levels) = level = l\n"
                                  "program p \"P\" {\n  require \"silver\":\tat_level(\"silver\")\n"
                                  "  require \"not young\": not (age < 18)\n"
                                  "  require \"gold\": level = \"gold\"\r\n  require \"on\": active\n}\n"
                                  "test \"a\" {\n  as of 2026-06-01\n  given { id: \"a\", level: \"silver\", age: 30 }\n"
                                  "  expect p not eligible unmet \"gold\"\n}\n");
    static const struct {
        unsigned line, column;
        pr_outcome outcome;
        const char *before, *after;
    } want[] = {
        {6, 44, PR_KILLED, "level = l", "level != l"},
        {8, 21, PR_SURVIVED, "at_level(\"silver\")", "true"},
        {8, 30, PR_KILLED, "at_level(\"silver\")", "at_level(\"gold\")"},
        {9, 24, PR_SURVIVED, "not (age < 18)", "true"},
        {9, 24, PR_KILLED, "not (age < 18)", "((age < 18))"},
        {9, 33, PR_SURVIVED, "(age < 18)", "(age <= 18)"},
        {9, 35, PR_SURVIVED, "(age < 18)", "(age < 17)"},
        {9, 35, PR_SURVIVED, "(age < 18)", "(age < 19)"},
        {10, 19, PR_KILLED, "level = \"gold\"", "true"},
        {10, 27, PR_SURVIVED, "level = \"gold\"", "level = \"bronze\""},
        {10, 25, PR_KILLED, "level = \"gold\"", "level != \"gold\""},
        {11, 17, PR_SURVIVED, "active", "true"},
    };
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(path, NULL, 1, &m, &err), PW_OK);
    ck_assert_ptr_null(m.error);
    ck_assert_uint_eq(m.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < m.n; i++) {
        const pr_mutant *x = &m.mutants[i];
        ck_assert_uint_eq(x->line, want[i].line);
        ck_assert_uint_eq(x->column, want[i].column);
        ck_assert_int_eq(x->outcome, want[i].outcome);
        ck_assert_str_eq(x->before, want[i].before);
        ck_assert_str_eq(x->after, want[i].after);
    }
    pr_mutation_fini(&m);
    tdir_remove(&d);
}
END_TEST

/* The mutation report from results as a host might hold them: a removal
 * shown as "(removed)", every outcome's word, a survivor whose search found
 * nothing (a candidate equivalent mutant) in text, JSON and SARIF, one
 * without a witness written (nothing under it, none in the JSON). */
START_TEST(test_mutation_render_kinds)
{
    pr_mutant u[4];
    memset(u, 0, sizeof u);
    char f[] = "f.pw", b0[] = "x and y", a0[] = "", b1[] = "a < 1", a1[] = "a <= 1", why[] = "same values";
    u[0] = (pr_mutant){f, 1, 2, 2, b0, a0, PR_KILLED, NULL, NULL, NULL, NULL, false};
    u[1] = (pr_mutant){f, 3, 4, 4, b1, a1, PR_SURVIVED, NULL, NULL, NULL, NULL, true};
    u[2] = (pr_mutant){f, 5, 6, 6, b1, a1, PR_SURVIVED, NULL, NULL, NULL, NULL, false};
    u[3] = (pr_mutant){f, 7, 8, 8, b1, a1, PR_EQUIVALENT, why, NULL, NULL, NULL, false};
    char path[] = "f.test.pw";
    pr_mutation m = {path, NULL, false, u, 4, 1, 2, 0, 1, 0.0};
    pd_buf b = {0};
    pr_render_mutation(&m, true, &b);
    ck_assert_str_eq(b.data,
                     "KILLED f.pw:1:2 `x and y` -> `(removed)` (by \"\")\n"
                     "SURVIVED f.pw:3:4 `a < 1` -> `a <= 1`\n"
                     "  no coach and day found on which it changes a decision (the file's tests' coaches on "
                     "other days, with one field changed or their dates moved, within the search's horizon): "
                     "a candidate equivalent mutant\n"
                     "SURVIVED f.pw:5:6 `a < 1` -> `a <= 1`\n"
                     "EQUIVALENT f.pw:7:8 `a < 1` -> `a <= 1`\n  same values; not counted\n"
                     "f.test.pw: 4 mutants: 1 killed, 2 survived, 1 equivalent (not counted); "
                     "mutation score 33.3% (0.00 s)\n");
    pd_buf_free(&b);
    pr_render_mutation_json(&m, &b);
    ck_assert_ptr_nonnull(strstr(b.data, "\"outcome\":\"survived\",\"before\":\"a < 1\",\"after\":\"a <= 1\","
                                         "\"witness\":null}"));
    ck_assert_ptr_nonnull(strstr(b.data, "\"line\":5,\"column\":6,\"outcome\":\"survived\",\"before\":\"a < 1\","
                                         "\"after\":\"a <= 1\"}"));
    ck_assert_ptr_nonnull(strstr(b.data, "\"outcome\":\"equivalent\",\"before\":\"a < 1\",\"after\":\"a <= 1\","
                                         "\"equivalent_because\":\"same values\"}"));
    pd_buf_free(&b);
    size_t count = 0;
    pr_mutation_sarif_results(&m, &b, &count);
    ck_assert_uint_eq(count, 2);
    ck_assert_ptr_nonnull(strstr(b.data, "no coach and day found on which it changes a decision: a candidate "
                                         "equivalent mutant"));
    ck_assert_ptr_null(strstr(b.data, "suggestedTests"));
    pd_buf_free(&b);
    /* One mutant: no plural. */
    m.n = 1;
    m.survived = m.equivalent = 0;
    pr_render_mutation(&m, false, &b);
    ck_assert_str_eq(b.data, "f.test.pw: 1 mutant: 1 killed, 0 survived; mutation score 100.0% (0.00 s)\n");
    pd_buf_free(&b);
}
END_TEST

/* The words for every verdict, one the library does not know as "?", and
 * a file that did not compile without a message in JUnit. */
START_TEST(test_words_and_bare_results)
{
    ck_assert_str_eq(pr_verdict_word(PW_VERDICT_NOT_EVALUATED), "not evaluated");
    ck_assert_str_eq(pr_verdict_word(PW_VERDICT_NO_PROGRAM), "no such program");
    ck_assert_str_eq(pr_verdict_word(PW_NOT_YET_OPEN), "not yet open");
    ck_assert_str_eq(pr_verdict_word((pw_verdict)99), "?");
    char path[] = "bad.pw";
    pr_file f;
    memset(&f, 0, sizeof f);
    f.path = path;
    pd_buf b = {0};
    pr_render_junit(&f, 1, &b);
    ck_assert_ptr_nonnull(strstr(b.data, "<testcase name=\"compile\" classname=\"bad.pw\" time=\"0.000\">\n"
                                         "      <error message=\"does not compile\" type=\"compile\">does not "
                                         "compile</error>\n"));
    pd_buf_free(&b);
    /* Marks for no coverage, or an entry it does not have, are ignored. */
    pr_coverage cov;
    pr_coverage_init(&cov);
    pr_coverage_mark(NULL, 0, NULL, NULL, 0);
    pr_coverage_mark(&cov, 3, NULL, NULL, 0);
    ck_assert_uint_eq(cov.n, 0);
    pr_coverage_fini(&cov);
    /* A copy of no text is an empty text. */
    pr_strings s = {0};
    ck_assert(pr_strings_push(&s, NULL));
    ck_assert_str_eq(s.items[0], "");
    pr_strings_fini(&s);
}
END_TEST

/* A survivor told apart by a set of known values: the test's coach with a
 * known value taken out of the set, or another put in, written back as a
 * list in the suggested test. */
START_TEST(test_suggest_set_values)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "s.test.pw",
                                  "facts coach {\n  id: text\n  roles: set of text in role_names = []\n}\n"
                                  "known role_names = [\"coach\", \"judge\"]\n"
                                  "program p \"P\" {\n  require \"coach\": \"coach\" in roles\n"
                                  "  require \"no judge\": not (\"judge\" in roles)\n}\n"
                                  "test \"a coach\" {\n  as of 2026-06-01\n  given { id: \"a\", roles: [\"coach\"] }\n"
                                  "  expect p eligible\n}\n");
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(path, NULL, 1, &m, &err), PW_OK);
    ck_assert_uint_eq(m.n, 5);
    ck_assert_uint_eq(m.killed, 3);
    ck_assert_uint_eq(m.survived, 2);
    const pr_mutant *a = NULL, *b = NULL;
    for (size_t i = 0; i < m.n; i++)
        if (m.mutants[i].outcome == PR_SURVIVED)
            *(a ? &b : &a) = &m.mutants[i];
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(a->after, "true");
    ck_assert_ptr_nonnull(strstr(a->witness, "is not eligible as written and eligible as mutated as of 2026-06-01 "
                                             "for the coach of test \"a coach\" with its `roles` set to []"));
    ck_assert_ptr_nonnull(strstr(a->suggestion, "  given { id: \"a\", roles: [] }\n  expect p not eligible\n"));
    ck_assert_ptr_nonnull(strstr(b->witness, "with its `roles` set to [\"coach\", \"judge\"]"));
    ck_assert_ptr_nonnull(strstr(b->suggestion, "  given { id: \"a\", roles: [\"coach\", \"judge\"] }\n"));
    pr_mutation_fini(&m);
    tdir_remove(&d);
}
END_TEST

/* Known values with a quote or a backslash: no string literal is mutated
 * into one (the mutant's text would need escapes), but the suggestion's
 * search gives the coach such a value, written back with its escapes; and a
 * boolean field turned the other way (`true`) in the witness and the test. */
START_TEST(test_suggest_escaped_values)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "q.test.pw",
                                  "facts coach {\n  id: text\n  level: text in levels\n  path: text in paths\n"
                                  "  active: boolean\n}\n"
                                  "known levels = [\"say \\\"hi\\\"\", \"plain\"]\n"
                                  "known paths = [\"back\\\\slash\", \"plain\"]\n"
                                  "program p \"P\" {\n  require \"plain\": level = \"plain\"\n"
                                  "  require \"plain path\": path = \"plain\"\n  require \"off\": not active\n}\n"
                                  "test \"a\" {\n  as of 2026-06-01\n"
                                  "  given { id: \"a\", level: \"plain\", path: \"plain\", active: false }\n"
                                  "  expect p eligible\n}\n");
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(path, NULL, 1, &m, &err), PW_OK);
    ck_assert_ptr_null(m.error);
    ck_assert_uint_eq(m.n, 6);
    ck_assert_uint_eq(m.killed, 3);
    ck_assert_uint_eq(m.survived, 3);
    for (size_t i = 0; i < m.n; i++) {
        ck_assert_ptr_null(strstr(m.mutants[i].after, "say"));
        ck_assert_ptr_null(strstr(m.mutants[i].after, "back"));
    }
    const pr_mutant *s[3];
    size_t ns = 0;
    for (size_t i = 0; i < m.n; i++)
        if (m.mutants[i].outcome == PR_SURVIVED)
            s[ns++] = &m.mutants[i];
    ck_assert_uint_eq(ns, 3);
    ck_assert_str_eq(s[0]->before, "level = \"plain\"");
    ck_assert_str_eq(s[0]->after, "true");
    ck_assert_ptr_nonnull(strstr(s[0]->witness, "is not eligible as written and eligible as mutated as of 2026-06-01 "
                                                "for the coach of test \"a\" with its `level` set to \"say \\\"hi\\\"\""));
    ck_assert_ptr_nonnull(strstr(s[0]->suggestion, "  given { id: \"a\", level: \"say \\\"hi\\\"\", path: \"plain\", "
                                                   "active: false }\n  expect p not eligible\n"));
    ck_assert_str_eq(s[1]->before, "path = \"plain\"");
    ck_assert_ptr_nonnull(strstr(s[1]->witness, "with its `path` set to \"back\\\\slash\""));
    ck_assert_ptr_nonnull(strstr(s[1]->suggestion, "path: \"back\\\\slash\", active: false }\n"));
    ck_assert_str_eq(s[2]->before, "not active");
    ck_assert_str_eq(s[2]->after, "true");
    ck_assert_ptr_nonnull(strstr(s[2]->witness, "with its `active` set to true"));
    ck_assert_ptr_nonnull(strstr(s[2]->suggestion, "path: \"plain\", active: true }\n  expect p not eligible\n"));
    pr_mutation_fini(&m);
    tdir_remove(&d);
}
END_TEST

/* A zero duration moves only up (`today - 0 days` -> `today - 1 day`: it
 * once lost that mutant too, returning at the count that would go below 0);
 * an argument whose next known value needs an escape is not mutated. */
START_TEST(test_mutation_zero_duration_and_escaped_arguments)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "r.test.pw",
                                  "facts coach {\n  id: text\n  level: text in levels\n  path: text in paths\n"
                                  "  first_day: date\n}\n"
                                  "known levels = [\"plain\", \"say \\\"hi\\\"\"]\n"
                                  "known paths = [\"plain\", \"back\\\\slash\"]\n"
                                  "define at_level(l: text in levels) = level = l\n"
                                  "define on_path(x: text in paths) = path = x\n"
                                  "program p \"P\" {\n  require \"plain\": at_level(\"plain\")\n"
                                  "  require \"plain path\": on_path(\"plain\")\n"
                                  "  require \"started\": first_day <= today - 0 days\n}\n"
                                  "test \"a\" {\n  as of 2026-06-01\n"
                                  "  given { id: \"a\", level: \"plain\", path: \"plain\", first_day: 2026-05-31 }\n"
                                  "  expect p eligible\n}\n");
    static const struct {
        unsigned line, column;
        pr_outcome outcome;
        const char *after;
    } want[] = {
        {9, 44, PR_KILLED, "level != l"},
        {10, 41, PR_KILLED, "path != x"},
        {12, 20, PR_SURVIVED, "true"},
        {13, 25, PR_SURVIVED, "true"},
        {14, 22, PR_SURVIVED, "true"},
        {14, 32, PR_SURVIVED, "first_day < today - 0 days"},
        {14, 43, PR_SURVIVED, "first_day <= today - 1 day"},
    };
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(path, NULL, 1, &m, &err), PW_OK);
    ck_assert_ptr_null(m.error);
    ck_assert_uint_eq(m.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < m.n; i++) {
        ck_assert_uint_eq(m.mutants[i].line, want[i].line);
        ck_assert_uint_eq(m.mutants[i].column, want[i].column);
        ck_assert_int_eq(m.mutants[i].outcome, want[i].outcome);
        ck_assert_str_eq(m.mutants[i].after, want[i].after);
    }
    ck_assert_ptr_nonnull(strstr(m.mutants[6].witness, "`p` is eligible as written and not eligible as mutated as "
                                                       "of 2026-05-31 for the coach of test \"a\""));
    pr_mutation_fini(&m);
    tdir_remove(&d);
}
END_TEST

/* Mutation-tests RULES (one file with its test), finds the mutant whose
 * text became AFTER, and holds it to surviving with exactly WITNESS and a
 * suggested test containing SUGGESTION. */
static void survivor(const char *rules_text, const char *after, const char *witness, const char *suggestion)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "x.test.pw", rules_text);
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(path, NULL, 1, &m, &err), PW_OK);
    const pr_mutant *x = NULL;
    for (size_t i = 0; i < m.n; i++)
        if (strcmp(m.mutants[i].after, after) == 0)
            x = &m.mutants[i];
    ck_assert_msg(x != NULL, "no mutant became `%s`", after);
    ck_assert_int_eq(x->outcome, PR_SURVIVED);
    ck_assert_str_eq(x->witness, witness);
    ck_assert_ptr_nonnull(strstr(x->suggestion, suggestion));
    pr_mutation_fini(&m);
    tdir_remove(&d);
}

/* Witnesses worded for one day ("moved 1 day later", no plural) and for
 * two lists that differ at once under the same verdict ("`prefer unmet`
 * and `advise` labels differ"), each list written in the suggested test. */
START_TEST(test_suggest_one_day_and_two_lists)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "s.test.pw",
                                  "facts coach {\n  id: text\n  birth_date: date\n}\n"
                                  "program p \"P\" {\n  require \"born before 2000\": birth_date < 2000-01-01\n}\n"
                                  "test \"a\" {\n  as of 2026-06-01\n  given { id: \"a\", birth_date: 1999-12-31 }\n"
                                  "  expect p eligible\n}\n");
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(path, NULL, 1, &m, &err), PW_OK);
    ck_assert_uint_eq(m.n, 4);
    ck_assert_str_eq(m.mutants[1].after, "birth_date <= 2000-01-01");
    ck_assert_str_eq(m.mutants[1].witness,
                     "`p` is not eligible as written and eligible as mutated as of 2026-06-01 for the coach of "
                     "test \"a\" with its `birth_date` moved 1 day later; with its `birth_date` a day earlier, it "
                     "is eligible either way");
    ck_assert_ptr_nonnull(strstr(m.mutants[1].suggestion, "  given { id: \"a\", birth_date: 2000-01-01 }\n"
                                                          "  expect p not eligible\n"));
    pr_mutation_fini(&m);
    tdir_remove(&d);
    survivor("facts coach {\n  id: text\n  age: integer\n}\ndefine adult = age >= 1\n"
             "program p \"P\" {\n  require \"id\": id != \"\"\n  prefer \"grown\": adult\n"
             "  advise \"check age\": adult\n}\n"
             "test \"a\" {\n  as of 2026-06-01\n  given { id: \"a\", age: 30 }\n  expect p eligible\n}\n",
             "age >= 0",
             "`p` is eligible either way, but its `prefer unmet` and `advise` labels differ as "
             "of 2026-06-01 for the coach of test \"a\" with its `age` set to 0",
             "  given { id: \"a\", age: 0 }\n  expect p eligible\n"
             "      prefer unmet \"grown\"\n      advise \"check age\"\n}\n");
}
END_TEST

/* An integer literal expected of a number-valued definition is compared as
 * a number (`half(2) = 1` holds, `half(3) = 1` does not: 1.5), and `none`
 * expected of a value that is there does not hold. */
START_TEST(test_value_int_as_number_and_none)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "n.test.pw",
                                  "facts coach {\n  id: text\n}\n"
                                  "define half(x: number) = x * 0.5\n"
                                  "define maybe(s: text?) = s\n"
                                  "test \"values\" {\n  as of 2026-06-01\n  given { id: \"a\" }\n"
                                  "  expect half(2) = 1\n"
                                  "  expect half(3) = 1\n"
                                  "  expect maybe(\"x\") = none\n"
                                  "  expect maybe(none) = none\n"
                                  "}\n");
    pr_file f;
    pw_error err;
    ck_assert_int_eq(pr_run_file(path, NULL, NULL, &f, &err), PW_OK);
    ck_assert_msg(f.compiled, "%s", f.error ? f.error : "");
    ck_assert_uint_eq(f.ntests, 1);
    const pr_test *t = &f.tests[0];
    ck_assert_int_eq(t->status, PR_FAIL);
    ck_assert_uint_eq(t->nexpects, 4);
    ck_assert_uint_eq(t->nfailures, 2);
    ck_assert_str_eq(t->failures[0].value_expected, "half(3) = 1");
    ck_assert_str_eq(t->failures[0].value_actual, "1.5");
    ck_assert_str_eq(t->failures[1].value_expected, "maybe(\"x\") = none");
    ck_assert_str_eq(t->failures[1].value_actual, "\"x\"");
    pr_file_fini(&f);
    tdir_remove(&d);
}
END_TEST

/* A group's `assuming` written after its member on the same line: listed
 * after the member's (source order by column), though collected before. */
START_TEST(test_assumptions_one_line)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "one.pw",
                                  "facts coach { id: text  age: integer }\n"
                                  "program p {\n"
                                  "  require \"g\": any of { \"a\": age >= 18 assuming \"m\" } assuming \"g\"\n"
                                  "}\n");
    pr_assumptions a = {0};
    pw_error err;
    ck_assert_int_eq(pr_list_assumptions(path, NULL, &a, &err), PW_OK);
    ck_assert_uint_eq(a.n, 2);
    ck_assert_str_eq(a.items[0].reason, "m");
    ck_assert_str_eq(a.items[0].requirement, "a");
    ck_assert_uint_eq(a.items[0].line, 3);
    ck_assert_uint_eq(a.items[0].column, 49);
    ck_assert_str_eq(a.items[1].reason, "g");
    ck_assert_str_eq(a.items[1].requirement, "g");
    ck_assert_uint_eq(a.items[1].line, 3);
    ck_assert_uint_eq(a.items[1].column, 64);
    pr_assumptions_fini(&a);
    tdir_remove(&d);
}
END_TEST

/* The same verdict and as many unmet labels either way, but other ones:
 * the lists differ, and the suggested test pins the label. */
START_TEST(test_suggest_same_count_other_labels)
{
    survivor("facts coach {\n  id: text\n  age: integer\n}\ndefine big = age >= 5\n"
             "program p \"P\" {\n  require \"a\": big\n  require \"b\": not big\n}\n"
             "test \"a\" {\n  as of 2026-06-01\n  given { id: \"a\", age: 30 }\n"
             "  expect p not eligible unmet \"b\"\n}\n",
             "age >= 4",
             "`p` is not eligible either way, but its `unmet` labels differ as of 2026-06-01 "
             "for the coach of test \"a\" with its `age` set to 4",
             "  given { id: \"a\", age: 4 }\n  expect p not eligible\n      unmet \"a\"\n}\n");
}
END_TEST

/* A condition over two lines (CR LF, then tabs): a mutant's texts show
 * the line break and the tabs as one space. */
START_TEST(test_mutation_text_squeezed)
{
    tdir d;
    tdir_make(&d);
    const char *path = tdir_write(&d, "y.test.pw",
                                  "facts coach {\n  id: text\n  age: integer\n}\n"
                                  "program p \"P\" {\n  require \"x\": age >= 1 and\r\n\t\tage <= 9\n}\n"
                                  "test \"a\" {\n  as of 2026-06-01\n  given { id: \"a\", age: 3 }\n"
                                  "  expect p eligible\n}\n");
    pr_mutation m;
    pw_error err;
    ck_assert_int_eq(pr_mutate_file(path, NULL, 1, &m, &err), PW_OK);
    ck_assert_uint_eq(m.n, 8);
    ck_assert_str_eq(m.mutants[0].before, "age >= 1 and age <= 9");
    ck_assert_str_eq(m.mutants[0].after, "true");
    ck_assert_str_eq(m.mutants[1].before, "age >= 1 and age <= 9");
    ck_assert_str_eq(m.mutants[1].after, "age >= 1 or age <= 9");
    ck_assert_uint_eq(m.mutants[5].line, 7);
    ck_assert_uint_eq(m.mutants[5].column, 7);
    ck_assert_str_eq(m.mutants[5].before, "age <= 9");
    pr_mutation_fini(&m);
    tdir_remove(&d);
}
END_TEST

static Suite *ruletest_suite(void)
{
    Suite *s = suite_create("ruletest");
    TCase *tc = tcase_create("tests");
    tcase_add_test(tc, test_example_chain);
    tcase_add_test(tc, test_values_as_json);
    tcase_add_loop_test(tc, test_expectation_kinds, 0, (int)(sizeof kind_rows / sizeof *kind_rows));
    tcase_add_test(tc, test_unmet_sets);
    tcase_add_test(tc, test_every_failure_collected);
    tcase_add_test(tc, test_facts_error);
    tcase_add_test(tc, test_prefer_and_advice);
    tcase_add_test(tc, test_evaluation_error);
    tcase_add_test(tc, test_only_own_tests);
    tcase_add_test(tc, test_uncompiled_file);
    suite_add_tcase(s, tc);
    tc = tcase_create("coverage");
    tcase_add_test(tc, test_coverage_counting);
    tcase_add_test(tc, test_coverage_out_of_force);
    tcase_add_test(tc, test_coverage_merge);
    tcase_add_test(tc, test_coverage_percent);
    suite_add_tcase(s, tc);
    tc = tcase_create("assumptions and junit");
    tcase_add_test(tc, test_assumptions);
    tcase_add_test(tc, test_xml_escape);
    tcase_add_test(tc, test_junit_document);
    suite_add_tcase(s, tc);
    tc = tcase_create("values, windows and mutants");
    tcase_add_test(tc, test_value_literals);
    tcase_add_test(tc, test_window_shown);
    tcase_add_test(tc, test_mutation_kinds);
    tcase_add_test(tc, test_examples_too_deep);
    tcase_add_test(tc, test_coverage_requirement_period);
    tcase_add_test(tc, test_collect_links);
    tcase_add_test(tc, test_value_too_many_args);
    tcase_add_test(tc, test_api_arguments);
    tcase_add_test(tc, test_mutate_cannot_serve);
    tcase_add_test(tc, test_mutation_known_values);
    tcase_add_test(tc, test_mutation_render_kinds);
    tcase_add_test(tc, test_words_and_bare_results);
    tcase_add_test(tc, test_suggest_set_values);
    tcase_add_test(tc, test_suggest_escaped_values);
    tcase_add_test(tc, test_mutation_zero_duration_and_escaped_arguments);
    tcase_add_test(tc, test_suggest_one_day_and_two_lists);
    tcase_add_test(tc, test_value_int_as_number_and_none);
    tcase_add_test(tc, test_assumptions_one_line);
    tcase_add_test(tc, test_suggest_same_count_other_labels);
    tcase_add_test(tc, test_mutation_text_squeezed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(ruletest_suite());
}
