/* The lint (src/lint): the interval reasoning over conditions (a table of
 * conditions and whether no coach, every coach or some coaches meet them),
 * implication between requirements, the `# lint:` comment parser, the
 * suppressions and pathway reachability end to end, and the SARIF
 * renderer's places (code-point columns, URIs, fixes). Rule files are
 * written to a temporary directory, since compiling reads a path. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "lint/lint_int.h"

/* ---- compiling a rule file ------------------------------------------------------------ */

#define LIB_FACTS \
    "known body = [\"usatf\", \"england-athletics\"]\n" \
    "record membership { body: text in body  expires: date? }\n" \
    "record certificate { id: text  issued: date }\n" \
    "facts coach {\n" \
    "  id: text\n" \
    "  birth_date: date\n" \
    "  coaching_since: date? = none\n" \
    "  memberships: list of membership = []\n" \
    "  certificates: list of certificate = []\n" \
    "  roles: set of text = []\n" \
    "  athletes_coached: integer >= 0 = 0\n" \
    "  score: number = 0\n" \
    "  ratio: number >= 0 <= 1 = 0\n" \
    "  teaching_experience: boolean = false\n" \
    "  advanced_degree: text? = none\n" \
    "  level: integer? = none\n"
#define LIB_DEFINES \
    "define age: integer = years since birth_date\n" \
    "define experience: integer = max(0, years since (coaching_since otherwise today))\n" \
    "define member(b: text in body): boolean = any m in memberships where m.body = b\n" \
    "define current(cert: text): boolean = any c in certificates where c.id = cert\n"

static const char lib[] = LIB_FACTS "}\n" LIB_DEFINES;

/* The same, with fields of more kinds of bounds, for the table of conditions. */
static const char decide_lib[] = LIB_FACTS
    "  small: integer >= -5 <= 5 = 0\n"
    "  fraction: number >= -0.5 <= 2.5 = 0\n"
    "  joined: date >= 2000-01-01 <= 2010-12-31 = 2000-01-01\n"
    "  huge: integer >= 9000000000000000000 = 9000000000000000000\n"
    "  flag: boolean? = none\n"
    "}\n" LIB_DEFINES
    "define as_number: number = athletes_coached\n"
    "define maybe_level: number? = level\n"
    "define d0: number = athletes_coached\n";

/* Writes `text` to a temporary file and compiles it; `inspect` sees the tree. */
static void compile_with(const char *text, pt_tree_fn inspect, void *user)
{
    char path[] = "/tmp/pw_lint_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    pw_program *prog = NULL;
    pw_error err;
    pw_status st = pt_compile_tree(path, NULL, inspect, user, &prog, &err);
    unlink(path);
    if (st != PW_OK)
        fprintf(stderr, "%s\n", text);
    ck_assert_msg(st == PW_OK, "does not compile: %s", err.message);
    pw_program_free(prog);
}

/* A lint context over a tree, with its own arena. */
typedef struct fixture {
    pm_arena arena;
    pd_list found;
    pl_ctx c;
} fixture;

static void fixture_init(fixture *fx, const pt_tree *tree)
{
    memset(fx, 0, sizeof *fx);
    pm_init(&fx->arena, 0);
    pd_init(&fx->found, &fx->arena, 0);
    fx->c.tree = tree;
    fx->c.p = tree->checked;
    fx->c.src = tree->src;
    fx->c.arena = &fx->arena;
    fx->c.found = &fx->found;
}

/* ---- the interval reasoning ---------------------------------------------------------- */

typedef struct decide_case {
    const char *cond;
    pl_verdict want;
} decide_case;

static const decide_case decide_cases[] = {
    /* integers, exactly */
    {"age >= 18", PL_MAYBE},
    {"age >= 18 and age < 16", PL_NEVER},
    {"age >= 18 or age < 20", PL_ALWAYS},
    {"age >= 18 or age < 18", PL_ALWAYS},
    {"age >= 18 or age < 17", PL_MAYBE},
    {"age > 17 and age < 18", PL_NEVER},
    {"age >= 17 and age <= 17", PL_MAYBE},
    {"age >= 17 and age <= 17 and age != 17", PL_NEVER},
    {"age >= 17 and age <= 18 and age != 17", PL_MAYBE},
    {"age >= 17 and age <= 18 and age != 17 and age != 18", PL_NEVER},
    {"age = 18 and age = 19", PL_NEVER},
    {"age = 17.5", PL_NEVER},
    {"age != 17.5", PL_ALWAYS},
    {"age >= 17.5 and age <= 17.9", PL_NEVER},
    {"age > 17.5 and age < 18.5", PL_MAYBE},
    {"18 <= age and 16 > age", PL_NEVER},
    {"not (age >= 18) and age >= 20", PL_NEVER},
    {"age in [1, 2] and age > 5", PL_NEVER},
    {"age in [1, 2] or age >= 3", PL_MAYBE},
    {"age in [1, 2] or age >= 3 or age <= 0", PL_ALWAYS},
    /* numbers, as reals */
    {"score > 17 and score < 18", PL_MAYBE},
    {"score > 2.5 and score <= 2.5", PL_NEVER},
    {"score >= 2.5 and score <= 2.5", PL_MAYBE},
    {"score >= 2.5 and score <= 2.5 and score != 2.5", PL_NEVER},
    {"score < 1 or score >= 1", PL_ALWAYS},
    {"score < 1 or score > 1", PL_MAYBE},
    /* declared bounds, and the calendar */
    {"athletes_coached < 0", PL_NEVER},
    {"athletes_coached >= 0", PL_ALWAYS},
    {"athletes_coached <= 0 and athletes_coached != 0", PL_NEVER},
    {"ratio > 1", PL_NEVER},
    {"ratio <= 1 and ratio >= 0", PL_ALWAYS},
    {"ratio < 1", PL_MAYBE},
    {"birth_date < 1800-01-01", PL_NEVER},
    {"birth_date <= 2999-12-31", PL_ALWAYS},
    {"birth_date >= 2000-01-01 and birth_date < 2000-01-02 and birth_date != 2000-01-01", PL_NEVER},
    {"birth_date > 2000-01-01 and birth_date < 2000-01-03", PL_MAYBE},
    /* ranges a definition or an expression implies */
    {"experience < 0", PL_NEVER},
    {"experience >= 0", PL_ALWAYS},
    {"(count c in certificates) < 0", PL_NEVER},
    {"years since birth_date > 1199", PL_NEVER},
    {"age > 1199", PL_NEVER},
    /* text, optional values and none */
    {"advanced_degree = \"a\" and advanced_degree = \"b\"", PL_NEVER},
    {"advanced_degree = \"a\" and advanced_degree != \"b\"", PL_MAYBE},
    {"advanced_degree = \"a\" and advanced_degree != \"a\"", PL_NEVER},
    {"advanced_degree != \"a\" or advanced_degree = \"a\"", PL_ALWAYS},
    {"advanced_degree is none and advanced_degree = \"a\"", PL_NEVER},
    {"advanced_degree is none and advanced_degree != \"a\"", PL_MAYBE},
    {"advanced_degree is none or advanced_degree is not none", PL_ALWAYS},
    {"advanced_degree = none and advanced_degree is not none", PL_NEVER},
    {"level is none and level = 3", PL_NEVER},
    {"level != 3 and level != 4", PL_MAYBE},
    /* boolean terms: fields, calls, membership, quantifiers */
    {"teaching_experience and not teaching_experience", PL_NEVER},
    {"teaching_experience or not teaching_experience", PL_ALWAYS},
    {"teaching_experience = true and teaching_experience = false", PL_NEVER},
    {"member(\"usatf\") and not member(\"usatf\")", PL_NEVER},
    {"member(\"usatf\") and not member(\"england-athletics\")", PL_MAYBE},
    {"\"x\" in roles or not (\"x\" in roles)", PL_ALWAYS},
    {"\"x\" in roles and not (\"y\" in roles)", PL_MAYBE},
    {"any m in memberships where m.body = \"usatf\" and m.body = \"england-athletics\"", PL_NEVER},
    {"all m in memberships where m.body = \"usatf\" or m.body != \"usatf\"", PL_ALWAYS},
    {"any m in memberships where m.body = \"usatf\"", PL_MAYBE},
    {"(any c in certificates where c.id = \"a\") and not (any d in certificates where d.id = \"a\")", PL_NEVER},
    /* two terms compared: one term, whichever way round */
    {"age >= experience and age < experience", PL_NEVER},
    {"age >= experience or experience > age", PL_ALWAYS},
    {"age = experience and experience != age", PL_NEVER},
    {"age <= experience and experience <= age", PL_MAYBE},
    /* negative, fractional and date bounds a field declares */
    {"small < -5", PL_NEVER},
    {"small >= -5 and small <= 5", PL_ALWAYS},
    {"small > 5", PL_NEVER},
    {"fraction < -0.5", PL_NEVER},
    {"fraction <= 2.5", PL_ALWAYS},
    {"fraction > 2.4", PL_MAYBE},
    {"joined < 2000-01-01", PL_NEVER},
    {"joined <= 2010-12-31", PL_ALWAYS},
    /* sums and differences: their parts' bounds, unless they overflow */
    {"huge + small >= 8999999999999999995", PL_ALWAYS},
    {"huge + huge < 0", PL_MAYBE},
    {"small - huge <= -8999999999999999995", PL_ALWAYS},
    {"athletes_coached + small >= -5", PL_ALWAYS},
    {"athletes_coached + small > 1000", PL_MAYBE},
    {"ratio + fraction > 3.5", PL_NEVER},
    {"ratio - fraction < -2.5", PL_NEVER},
    {"ratio - fraction > 1.5", PL_NEVER},
    {"ratio - fraction >= 1.4", PL_MAYBE},
    /* max and min: the better bound of either, or of both */
    {"max(athletes_coached, 5) < 5", PL_NEVER},
    {"max(age, experience) < 0", PL_NEVER},
    {"min(age, 5) > 5", PL_NEVER},
    {"min(ratio, fraction) > 1", PL_NEVER},
    {"min(fraction, ratio) > 1", PL_NEVER},
    {"min(score, score) > 5", PL_MAYBE},
    {"max(score, score) < 5", PL_MAYBE},
    /* the same term, written again: durations, negation, if, dates made of parts, sums */
    {"birth_date + 2 years >= 2000-01-01 and birth_date + 2 years < 2000-01-01", PL_NEVER},
    {"birth_date + 2 years >= 2000-01-01 and birth_date + 3 years < 2000-01-01", PL_MAYBE},
    {"birth_date + 2 years >= 2000-01-01 and birth_date + 2 months < 2000-01-01", PL_MAYBE},
    {"birth_date + small years >= 2000-01-01 and birth_date + small years < 2000-01-01", PL_NEVER},
    {"birth_date + small years >= 2000-01-01 and birth_date + athletes_coached years < 2000-01-01", PL_MAYBE},
    {"-age >= 3 and -age < 3", PL_NEVER},
    {"-age >= 3 and -experience < 3", PL_MAYBE},
    {"(if advanced_degree is none then age else 0) >= 3 and (if advanced_degree is none then age else 0) < 3",
     PL_NEVER},
    {"(if advanced_degree is none then age else 0) >= 3 and (if advanced_degree is not none then age else 0) < 3",
     PL_MAYBE},
    {"(if teaching_experience then age else 0) >= 3 and (if teaching_experience then age else 1) < 3", PL_MAYBE},
    {"(if teaching_experience then age else 0) >= 3 and (if teaching_experience then experience else 0) < 3",
     PL_MAYBE},
    {"1 January following birth_date >= 2000-01-01 and 1 January following birth_date < 2000-01-01", PL_NEVER},
    {"1 January following birth_date >= 2000-01-01 and 1 February following birth_date < 2000-01-01", PL_MAYBE},
    {"1 January following birth_date >= 2000-01-01 and 1 January following joined < 2000-01-01", PL_MAYBE},
    {"day 1 of month 2 of year (year of birth_date) >= 2000-01-01 and day 1 of month 2 of year (year of birth_date) "
     "< 2000-01-01",
     PL_NEVER},
    {"day 1 of month 2 of year (year of birth_date) >= 2000-01-01 and day 1 of month 3 of year (year of birth_date) "
     "< 2000-01-01",
     PL_MAYBE},
    {"day 1 of month 2 of year (year of birth_date) >= 2000-01-01 and day 2 of month 2 of year (year of birth_date) "
     "< 2000-01-01",
     PL_MAYBE},
    {"(sum 1 for c in certificates) >= 0 and (sum 1 for c in certificates) < 0", PL_NEVER},
    {"(sum 1 for c in certificates) >= 0 and (sum 2 for c in certificates) < 0", PL_MAYBE},
    /* two terms compared, each with its range: equal, unequal, min and max */
    {"small = athletes_coached + 6", PL_NEVER},
    {"athletes_coached + 6 = small", PL_NEVER},
    {"small = huge", PL_MAYBE}, /* beyond the doubles that are exact integers: not reasoned about */
    {"small = athletes_coached", PL_MAYBE},
    {"small != athletes_coached", PL_MAYBE},
    {"small = 3 and athletes_coached = 3 and small != athletes_coached", PL_NEVER},
    {"small = 3 and athletes_coached = 4 and small != athletes_coached", PL_MAYBE},
    {"min(small, huge) >= small + 11", PL_NEVER},
    {"min(score, small) >= small + 11", PL_NEVER},
    {"min(score, small) >= small + 10", PL_MAYBE},
    {"max(score, small) < small - 11", PL_NEVER},
    {"max(small, athletes_coached) < small - 11", PL_NEVER},
    {"birth_date + 2 years >= joined", PL_MAYBE},
    /* a computed value whose own bounds miss what its parts give */
    {"ratio >= 0.75 and ratio + fraction < 0.1", PL_NEVER},
    {"ratio >= 0.75 and ratio + fraction < 0.5", PL_MAYBE},
    {"small >= 3 and small + athletes_coached < 2", PL_NEVER},
    {"small <= -3 and small - athletes_coached > 0", PL_NEVER},
    {"athletes_coached >= 3 and athletes_coached + count c in certificates < 2", PL_NEVER},
    {"athletes_coached >= 3 and athletes_coached - count c in certificates < 2", PL_MAYBE},
    {"ratio + 2 = fraction", PL_MAYBE},
    {"ratio + 3 = fraction", PL_NEVER},
    {"fraction = ratio + 3", PL_NEVER},
    {"small != athletes_coached and small = 2", PL_MAYBE},
    /* `otherwise` where the branch says whether the value is none */
    {"level is none and (level otherwise 0) > small + 5", PL_NEVER},
    {"(level otherwise 0) > small + 5", PL_MAYBE},
    {"level is not none and (level otherwise 0) > small + 5", PL_MAYBE},
    {"level is not none and level >= 20 and (level otherwise 0) < small + 5", PL_NEVER},
    /* a field of a record element: its declared range (a date's calendar) */
    {"any c in certificates where c.issued < 1800-01-01", PL_NEVER},
    {"all c in certificates where c.issued <= 2999-12-31", PL_ALWAYS},
    /* a value defined as another type, an optional one */
    {"as_number < 0", PL_NEVER},
    {"(maybe_level otherwise 0) >= 0", PL_MAYBE},
    /* groups: each kind; a member not always in force stands for anything;
     * too many ways to choose, or too deep a condition, is not taken apart */
    {"all of { \"a\": age >= 18 \"b\": age < 10 }", PL_NEVER},
    {"any of { \"a\": small > 5 \"b\": athletes_coached < 0 }", PL_NEVER},
    {"at least 2 of { \"a\": small > 5 \"b\": small > 5 \"c\": age >= 18 }", PL_NEVER},
    {"at least 2 of { \"a\": small <= 5 \"b\": small <= 5 \"c\": small > 5 }", PL_ALWAYS},
    {"any of { \"a\": small > 5 effective from 2027-01-01 \"b\": small > 5 }", PL_MAYBE},
    {"any of { \"a\": small > 5 effective until 2027-01-01 \"b\": small > 5 }", PL_MAYBE},
    {"at least 3 of { \"m0\": small > 5 \"m1\": small > 5 \"m2\": small > 5 \"m3\": small > 5 \"m4\": small > 5 \"m5\": small > 5 \"m6\": small > 5 \"m7\": small > 5 \"m8\": small > 5 \"m9\": small > 5 }", PL_MAYBE},
    {"age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age >= 1 and age < 0", PL_MAYBE},
    /* real bounds: strict and not at one value, a point not excluded */
    {"score >= 2.5 and score <= 2.5 and score != 3", PL_MAYBE},
    {"score >= 2 and score <= 3 and score != 2.5", PL_MAYBE},
    {"score > 2.5 and score >= 2.5 and score <= 2.5", PL_NEVER},
    {"score < 2.5 and score <= 2.5 and score >= 2.5", PL_NEVER},
    {"score >= 2.5 and score > 2.5 and score <= 2.5", PL_NEVER},
    {"score <= 2.5 and score < 2.5 and score >= 2.5", PL_NEVER},
    /* texts: the same value twice; none and a text */
    {"advanced_degree = \"a\" and advanced_degree = \"a\"", PL_MAYBE},
    {"advanced_degree = none and advanced_degree = \"a\"", PL_NEVER},
    {"advanced_degree = \"a\" and advanced_degree = none", PL_NEVER},
    /* two terms compared where one is a call of a definition, or dates */
    {"current(\"x\") and age >= experience", PL_MAYBE},
    {"days between birth_date and joined >= days between joined and birth_date", PL_MAYBE},
    {"age + as_number >= small", PL_MAYBE},
    /* terms that differ only deep inside: a list's length, a `where`, a date part, a tested value */
    {"(any c in certificates where c.id in [\"a\", \"b\"]) and not (any d in certificates where d.id in [\"a\", \"b\"])",
     PL_NEVER},
    {"(any c in certificates where c.id in [\"a\", \"b\"]) and not (any d in certificates where d.id in [\"a\", \"b\", "
     "\"c\"])",
     PL_MAYBE},
    {"(count c in certificates) >= 1 and (count d in certificates where d.id = \"a\") < 1", PL_MAYBE},
    {"month of birth_date >= 3 and day of birth_date < 3", PL_MAYBE},
    {"month of birth_date >= 3 and month of joined < 3", PL_MAYBE},
    {"(if advanced_degree is none then age else 0) >= 3 and (if level is none then age else 0) < 3", PL_MAYBE},
    /* constants on both sides */
    {"true = false", PL_NEVER},
    {"true != false", PL_ALWAYS},
    {"2.5 < 3", PL_ALWAYS},
    {"2 <= 2", PL_ALWAYS},
    {"3 > 2.5", PL_ALWAYS},
    {"2000-01-01 >= 2000-01-02", PL_NEVER},
    {"3 in [1, 2]", PL_NEVER},
    {"2 in [1, 2]", PL_ALWAYS},
    {"age in [1, small]", PL_MAYBE},
    /* integers against numbers beyond them */
    {"age > 10000000000000000000.5", PL_NEVER},
    {"age < 10000000000000000000.5", PL_ALWAYS},
    {"age > -10000000000000000000.5", PL_ALWAYS},
    {"age = 10000000000000000000.0", PL_NEVER},
    {"age > 9223372036854775807", PL_NEVER},
    {"age <= 9223372036854775807", PL_ALWAYS},
    /* an optional boolean is no literal; none against a boolean neither */
    {"flag = true and flag = false", PL_MAYBE},
    {"flag is none and flag = true", PL_MAYBE},
    {"teaching_experience != true and teaching_experience", PL_NEVER},
    {"all m in memberships where m.body = \"usatf\" and m.body != \"usatf\"", PL_MAYBE},
    /* if, constants */
    {"if age >= 18 then age < 10 else false", PL_NEVER},
    {"if teaching_experience then age >= 18 else age >= 21", PL_MAYBE},
    {"18 >= 16", PL_ALWAYS},
    {"\"a\" = \"b\"", PL_NEVER},
    {"age >= 18 and true", PL_MAYBE},
    {"age >= 18 and false", PL_NEVER},
};

typedef struct decide_run {
    size_t n;
    pl_verdict got[sizeof decide_cases / sizeof *decide_cases];
} decide_run;

static void decide_inspect(void *user, const pt_tree *tree)
{
    decide_run *r = user;
    fixture fx;
    fixture_init(&fx, tree);
    for (const pa_decl *d = tree->decls; d; d = d->next) {
        if (d->kind != PA_D_PROGRAM)
            continue;
        pl_logic L;
        pl_logic_init(&L, &fx.c);
        for (const pa_req *q = d->u.program.reqs; q && r->n < sizeof r->got / sizeof *r->got; q = q->next)
            r->got[r->n++] = pl_decide(&L, pl_formula_req(&L, q, d), NULL);
        pl_logic_fini(&L);
    }
    ck_assert(!fx.c.oom);
    pm_free(&fx.arena);
}

START_TEST(test_decide_table)
{
    size_t n = sizeof decide_cases / sizeof *decide_cases;
    size_t size = sizeof decide_lib + 64;
    for (size_t i = 0; i < n; i++)
        size += strlen(decide_cases[i].cond) + 32;
    char *text = malloc(size);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)snprintf(text, size, "%sprogram p \"P\" {\n", decide_lib);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, size - len, "  advise \"c%zu\": %s\n", i, decide_cases[i].cond);
    snprintf(text + len, size - len, "}\n");
    decide_run r = {0};
    compile_with(text, decide_inspect, &r);
    free(text);
    ck_assert_uint_eq(r.n, n);
    static const char *const words[] = {"maybe", "never", "always"};
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(r.got[i] == decide_cases[i].want, "`%s`: %s, expected %s", decide_cases[i].cond, words[r.got[i]],
                      words[decide_cases[i].want]);
}
END_TEST

/* ---- implication ------------------------------------------------------------------------ */

typedef struct implies_case {
    const char *a, *b;
    bool a_implies_b;
} implies_case;

static const implies_case implies_cases[] = {
    {"experience >= 8", "experience >= 5", true},
    {"experience >= 5", "experience >= 8", false},
    {"member(\"usatf\") and age >= 18", "member(\"usatf\")", true},
    {"member(\"usatf\")", "member(\"usatf\") or current(\"x\")", true},
    {"age >= 18", "age >= 18 or teaching_experience", true},
    {"age > 20", "age >= 21", true},
    {"score > 20", "score >= 21", false},
    {"advanced_degree = \"a\"", "advanced_degree != \"b\"", true},
    {"advanced_degree != \"b\"", "advanced_degree = \"a\"", false},
};

typedef struct implies_run {
    size_t n;
    bool got[sizeof implies_cases / sizeof *implies_cases];
} implies_run;

static void implies_inspect(void *user, const pt_tree *tree)
{
    implies_run *r = user;
    fixture fx;
    fixture_init(&fx, tree);
    for (const pa_decl *d = tree->decls; d; d = d->next) {
        if (d->kind != PA_D_PROGRAM)
            continue;
        pl_logic L;
        pl_logic_init(&L, &fx.c);
        const pa_req *a = d->u.program.reqs, *b = a->next;
        r->got[r->n++] = pl_implies(&L, pl_formula_req(&L, a, d), pl_formula_req(&L, b, d));
        pl_logic_fini(&L);
    }
    pm_free(&fx.arena);
}

START_TEST(test_implies_table)
{
    size_t n = sizeof implies_cases / sizeof *implies_cases;
    char *text = malloc(sizeof lib + n * 256);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)sprintf(text, "%s", lib);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "program p%zu \"P%zu\" {\n  require \"a\": %s\n  require \"b\": %s\n}\n", i,
                               i, implies_cases[i].a, implies_cases[i].b);
    implies_run r = {0};
    compile_with(text, implies_inspect, &r);
    free(text);
    ck_assert_uint_eq(r.n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(r.got[i] == implies_cases[i].a_implies_b, "`%s` implies `%s`: got %d", implies_cases[i].a,
                      implies_cases[i].b, r.got[i]);
}
END_TEST

/* ---- structural equality ---------------------------------------------------------------- */

typedef struct equal_run {
    bool same_quant, different_var_same, different;
} equal_run;

static void equal_inspect(void *user, const pt_tree *tree)
{
    equal_run *r = user;
    for (const pa_decl *d = tree->decls; d; d = d->next) {
        if (d->kind != PA_D_PROGRAM)
            continue;
        const pa_req *a = d->u.program.reqs, *b = a->next, *c = b->next;
        /* Two quantifiers in one condition live in different locals. */
        const pa_expr *and = c->cond;
        r->same_quant = pl_expr_equal(a->cond, b->cond);
        r->different_var_same = pl_expr_equal(and->u.bin.a, and->u.bin.b);
        r->different = pl_expr_equal(a->cond, c->cond);
    }
}

START_TEST(test_structural_equality)
{
    char text[4096];
    snprintf(text, sizeof text,
             "%sprogram p \"P\" {\n"
             "  require \"a\": any c in certificates where c.id = \"x\"\n"
             "  require \"b\": any d in certificates where d.id = \"x\"\n"
             "  require \"c\": (any c in certificates where c.id = \"x\") and (any e in certificates where e.id = \"x\")\n"
             "}\n",
             lib);
    equal_run r = {0};
    compile_with(text, equal_inspect, &r);
    ck_assert(r.same_quant);
    ck_assert(r.different_var_same);
    ck_assert(!r.different);
}
END_TEST

/* ---- equivalent conditions (mutation testing) ------------------------------------------ */

typedef struct equiv_run {
    bool same, different, stronger, none, oom_same, oom_different;
} equiv_run;

static void equiv_inspect(void *user, const pt_tree *tree)
{
    equiv_run *r = user;
    for (const pa_decl *d = tree->decls; d; d = d->next) {
        if (d->kind != PA_D_PROGRAM)
            continue;
        const pa_req *a = d->u.program.reqs, *b = a->next, *c = b->next, *e = c->next;
        bool oom = true;
        r->same = pl_conditions_equivalent(tree, a->cond, b->cond, &oom);
        r->oom_same = oom;
        r->different = pl_conditions_equivalent(tree, a->cond, c->cond, &oom);
        r->oom_different = oom;
        /* One implies the other, not the other way round. */
        r->stronger = pl_conditions_equivalent(tree, e->cond, a->cond, &oom);
        pt_tree unchecked = *tree;
        unchecked.checked = NULL;
        r->none = pl_conditions_equivalent(NULL, a->cond, b->cond, &oom) ||
                  pl_conditions_equivalent(&unchecked, a->cond, b->cond, &oom) ||
                  pl_conditions_equivalent(tree, NULL, b->cond, &oom) ||
                  pl_conditions_equivalent(tree, a->cond, NULL, &oom) || oom;
    }
}

START_TEST(test_conditions_equivalent)
{
    char text[4096];
    snprintf(text, sizeof text,
             "%sprogram p \"P\" {\n"
             "  require \"a\": age >= 18 and teaching_experience\n"
             "  require \"b\": not (age < 18 or not teaching_experience)\n"
             "  require \"c\": age > 18 and teaching_experience\n"
             "  require \"e\": age >= 21 and teaching_experience\n"
             "}\n",
             lib);
    equiv_run r = {0};
    compile_with(text, equiv_inspect, &r);
    ck_assert(r.same);
    ck_assert(!r.oom_same);
    ck_assert(!r.different);
    ck_assert(!r.oom_different);
    ck_assert(!r.stronger);
    ck_assert(!r.none);
}
END_TEST

/* ---- pl_lint_file ------------------------------------------------------------------------- */

static void count_emits(void *user, const pd_list *findings, ps_sources *src)
{
    (void)findings;
    (void)src;
    (*(int *)user)++;
}

/* No path is a usage error; a file that does not compile is not linted (its
 * errors go to the compile options' callback, the emitter is not called);
 * neither an emitter nor counts are needed. */
START_TEST(test_lint_file_calls)
{
    pw_error err;
    pl_counts counts = {0, 0, 0};
    int emits = 0;
    ck_assert_int_eq(pl_lint_file(NULL, NULL, count_emits, &emits, &counts, &err), PW_ERR_USAGE);
    ck_assert_str_eq(err.message, "pl_lint_file: NULL path");

    char dir[] = "/tmp/pw_lint_file_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char good[64], bad[64];
    snprintf(good, sizeof good, "%s/good.pw", dir);
    snprintf(bad, sizeof bad, "%s/bad.pw", dir);
    FILE *f = fopen(good, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("facts coach {\n  id: text\n  birth_date: date\n}\ndefine unused: integer = 1\n"
          "program p \"P\" {\n  require \"adult\": years since birth_date >= 18\n}\n",
          f);
    fclose(f);
    f = fopen(bad, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("program p \"P\" {\n  require \"x\": nothing >= 1\n}\n", f);
    fclose(f);

    ck_assert_int_eq(pl_lint_file(good, NULL, count_emits, &emits, &counts, &err), PW_OK);
    ck_assert_int_eq(emits, 1);
    ck_assert_uint_eq(counts.warnings, 1); /* PW101: `unused` */
    ck_assert_uint_eq(counts.errors, 0);
    ck_assert_int_eq(pl_lint_file(good, NULL, NULL, NULL, NULL, &err), PW_OK);
    ck_assert_int_eq(pl_lint_file(bad, NULL, count_emits, &emits, &counts, &err), PW_ERR_COMPILE);
    ck_assert_int_eq(emits, 1);
    ck_assert_uint_eq(counts.warnings, 1);
    unlink(good);
    unlink(bad);
    rmdir(dir);
}
END_TEST

/* ---- `# lint:` comments ------------------------------------------------------------------ */

static pl_directives parse(pm_arena *a, const char *text)
{
    pl_directives d;
    ck_assert(pl_parse_directives(a, text, strlen(text), &d));
    return d;
}

START_TEST(test_directive_targets)
{
    pm_arena a;
    pm_init(&a, 0);
    const char *text = "# lint: ignore PW112 -- both are in the handbook\n" /* 1 */
                       "\n"                                                 /* 2 */
                       "# an ordinary comment\n"                            /* 3 */
                       "program p {\n"                                      /* 4 */
                       "  require \"x\": age >= 1  # lint: ignore PW111 -- kept\n" /* 5 */
                       "}\n"                                                /* 6 */
                       "# lint: ignore PW101 -- at the end\n";              /* 7 */
    pl_directives d = parse(&a, text);
    ck_assert_uint_eq(d.n, 3);
    ck_assert_int_eq(d.items[0].kind, PL_DIR_IGNORE);
    ck_assert_int_eq(d.items[0].problem, PL_DP_NONE);
    ck_assert(!d.items[0].trailing);
    ck_assert_uint_eq(d.items[0].line, 1);
    ck_assert_uint_eq(d.items[0].target, 4); /* blank and comment lines skipped */
    ck_assert_uint_eq(d.items[0].ncodes, 1);
    ck_assert_str_eq(d.items[0].codes[0].code, "PW112");
    ck_assert(d.items[0].codes[0].known);
    ck_assert_uint_eq(d.items[0].codes[0].start, 15);
    ck_assert_uint_eq(d.items[0].codes[0].end, 20);
    ck_assert(d.items[1].trailing);
    ck_assert_uint_eq(d.items[1].target, 5);
    ck_assert_str_eq(d.items[1].codes[0].code, "PW111");
    ck_assert_uint_eq(d.items[2].target, 0); /* nothing follows */
    pm_free(&a);
}
END_TEST

START_TEST(test_directive_forms)
{
    pm_arena a;
    pm_init(&a, 0);
    const char *text = "#lint: ignore PW112, PW113 PW114 -- three\n"
                       "# lint: ignore-file PW101 -- shared\n"
                       "# lint: require citations\n"
                       "# lint: ignore PW112\n"
                       "# lint: ignore PW112 --   \n"
                       "# lint: ignore -- why\n"
                       "# lint: ignore PW999, pw112 -- typos\n"
                       "# lint: disable PW101 -- no\n"
                       "# lint: require everything\n"
                       "# lint:ignore PW112--reason\n"
                       "x\n";
    pl_directives d = parse(&a, text);
    ck_assert_uint_eq(d.n, 10);
    ck_assert_uint_eq(d.items[0].ncodes, 3);
    ck_assert_str_eq(d.items[0].codes[1].code, "PW113");
    ck_assert_str_eq(d.items[0].codes[2].code, "PW114");
    ck_assert_int_eq(d.items[0].problem, PL_DP_NONE);
    ck_assert_int_eq(d.items[1].kind, PL_DIR_IGNORE_FILE);
    ck_assert_int_eq(d.items[1].problem, PL_DP_NONE);
    ck_assert_int_eq(d.items[2].kind, PL_DIR_CITATIONS);
    ck_assert_int_eq(d.items[3].problem, PL_DP_NO_REASON);
    ck_assert_int_eq(d.items[4].problem, PL_DP_NO_REASON); /* a reason of blanks is none */
    ck_assert_int_eq(d.items[5].problem, PL_DP_NO_CODE);
    ck_assert_uint_eq(d.items[6].ncodes, 2);
    ck_assert(!d.items[6].codes[0].known);
    ck_assert(!d.items[6].codes[1].known); /* codes are upper case */
    ck_assert_int_eq(d.items[7].kind, PL_DIR_UNKNOWN);
    ck_assert_int_eq(d.items[7].problem, PL_DP_UNKNOWN);
    ck_assert_int_eq(d.items[8].kind, PL_DIR_UNKNOWN);
    ck_assert_int_eq(d.items[9].problem, PL_DP_NONE);
    ck_assert_str_eq(d.items[9].codes[0].code, "PW112");
    pm_free(&a);
}
END_TEST

/* Words that are almost a directive's, every blank a line may hold, codes
 * too long to be one, strings and comments at the end of the text. */
START_TEST(test_directive_edges)
{
    pm_arena a;
    pm_init(&a, 0);
    const char *text = "# lint:\f\vignore\tPW112\r-- blanks\v\f\n"  /* 0 */
                       "# lint: ignora PW112 -- r\n"               /* 1 */
                       "# lint: ignore-fila PW112 -- r   \n"       /* 2 */
                       "# lint: reqiure citations\n"               /* 3 */
                       "# lint: require citations please\n"        /* 4 */
                       "# lint: Ignore PW112 -- r\n"               /* 5 */
                       "# lint: ignore PW1120000000000000000000 -- too long\n" /* 6 */
                       "require \"a\\\"#\": x  # lint: ignore PW112 -- after a string\n" /* 7 */
                       "s = \"open\\\n"
                       "# lint: ignore PW113 -- at the end\n"      /* 8 */
                       "x = \"open\\";                               /* a string open at the end */
    pl_directives d = parse(&a, text);
    ck_assert_uint_eq(d.n, 9);
    ck_assert_int_eq(d.items[0].kind, PL_DIR_IGNORE);
    ck_assert_int_eq(d.items[0].problem, PL_DP_NONE);
    ck_assert_uint_eq(d.items[0].ncodes, 1);
    ck_assert_str_eq(d.items[0].codes[0].code, "PW112");
    ck_assert(d.items[0].codes[0].known);
    for (int i = 1; i <= 5; i++) {
        ck_assert_int_eq(d.items[i].kind, PL_DIR_UNKNOWN);
        ck_assert_int_eq(d.items[i].problem, PL_DP_UNKNOWN);
    }
    ck_assert_uint_eq(d.items[6].ncodes, 1);
    ck_assert(!d.items[6].codes[0].known); /* cut to fit, and not taken for PW112 */
    ck_assert_int_eq(d.items[7].problem, PL_DP_NONE);
    ck_assert(d.items[7].trailing);
    ck_assert_str_eq(d.items[7].codes[0].code, "PW112");
    ck_assert_uint_eq(d.items[8].line, 10);
    ck_assert_str_eq(d.items[8].codes[0].code, "PW113");
    ck_assert_uint_eq(d.items[8].end, strlen(text) - strlen("\nx = \"open\\"));
    ck_assert_uint_eq(d.items[2].end - d.items[2].start, strlen("# lint: ignore-fila PW112 -- r"));
    /* The text ends inside the directive: after its word, after its reason. */
    d = parse(&a, "# lint: ignore");
    ck_assert_uint_eq(d.n, 1);
    ck_assert_int_eq(d.items[0].kind, PL_DIR_IGNORE);
    ck_assert_int_eq(d.items[0].problem, PL_DP_NO_CODE);
    d = parse(&a, "x\n# lint: ignore PW112 -- the end");
    ck_assert_uint_eq(d.n, 1);
    ck_assert_int_eq(d.items[0].problem, PL_DP_NONE);
    ck_assert_uint_eq(d.items[0].line, 2);
    ck_assert_uint_eq(d.items[0].end, strlen("x\n# lint: ignore PW112 -- the end"));
    pm_free(&a);
}
END_TEST

START_TEST(test_directive_strings)
{
    pm_arena a;
    pm_init(&a, 0);
    /* `#` in a string is not a comment, even after an escaped quote; after
     * the string ends it is. */
    const char *text = "require \"a # lint: ignore PW101 -- x\": b\n"
                       "require \"a \\\" # lint: ignore PW101 -- x\": b\n"
                       "require \"a \\\\\" # lint: ignore PW102 -- y\n"
                       "require \"unterminated # lint: ignore PW101 -- z\n"
                       "# lint: ignore PW103 -- after the bad line\n"
                       "x\n";
    pl_directives d = parse(&a, text);
    ck_assert_uint_eq(d.n, 2);
    ck_assert_str_eq(d.items[0].codes[0].code, "PW102");
    ck_assert(d.items[0].trailing);
    ck_assert_uint_eq(d.items[0].line, 3);
    ck_assert_str_eq(d.items[1].codes[0].code, "PW103");
    ck_assert_uint_eq(d.items[1].target, 6);
    pm_free(&a);
}
END_TEST

/* ---- whole runs ---------------------------------------------------------------------------- */

typedef struct lint_probe {
    char codes[64][8];
    unsigned lines[64];
    size_t n;
} lint_probe;

static void lint_inspect(void *user, const pt_tree *tree)
{
    lint_probe *p = user;
    pm_arena arena;
    pm_init(&arena, 0);
    pd_list out;
    ck_assert(pl_lint_tree(tree, &arena, &out));
    for (const pd_diag *d = out.head; d && p->n < 64; d = d->next) {
        uint32_t line, col;
        ps_position(tree->src, d->span.file, d->span.start, &line, &col);
        snprintf(p->codes[p->n], sizeof p->codes[0], "%s", d->code);
        p->lines[p->n++] = line;
    }
    pm_free(&arena);
}

/* The findings with a code among `only` ("PW120 PW191"), as
 * "PW112@5 PW191@3": code and line. */
static void findings(const char *text, const char *only, char *buf, size_t len)
{
    lint_probe p = {0};
    compile_with(text, lint_inspect, &p);
    buf[0] = '\0';
    size_t k = 0;
    for (size_t i = 0; i < p.n; i++)
        if (strstr(only, p.codes[i]))
            k += (size_t)snprintf(buf + k, len - k, "%s%s@%u", k ? " " : "", p.codes[i], p.lines[i]);
}

START_TEST(test_suppressions)
{
    char text[4096], got[512];
    /* lib is 21 lines long: the program starts on line 22. */
    snprintf(text, sizeof text,
             "%sprogram p \"P\" {\n"                                                   /* 22 */
             "  # lint: ignore PW112 -- both in the handbook\n"                      /* 23 */
             "  require \"five\": experience >= 5\n"                                  /* 24 */
             "  require \"eight\": experience >= 8\n"                                 /* 25 */
             "  require \"six\": experience >= 6  # lint: ignore PW112 -- kept\n"      /* 26 */
             "  # lint: ignore PW112 -- nothing here\n"                              /* 27 */
             "  require \"adult\": age >= 18\n"                                       /* 28 */
             "  prefer \"x\": age >= 18 and age < 10  # lint: ignore PW110\n"          /* 29 */
             "}\n",
             lib);
    findings(text, "PW110 PW112 PW190 PW191", got, sizeof got);
    /* 24 and 26 silenced; 27 silences nothing; 29 silenced but has no reason. */
    ck_assert_str_eq(got, "PW191@27 PW190@29");
}
END_TEST

START_TEST(test_reach_versions)
{
    char text[4096], got[512];
    /* `a` grants x from its first version (no prerequisite), so its later
     * version, which asks for x, is reachable too, as is `b`. `c` and `d`
     * need each other. */
    snprintf(text, sizeof text,
             "%sprogram a \"A\" effective until 2020-12-31 { grants \"x\" }\n"                  /* 22 */
             "program a \"A\" effective from 2021-01-01 { grants \"x\" require \"x\": current(\"x\") }\n"
             "program b \"B\" { require \"x\": current(\"x\") }\n"                              /* 24 */
             "program c \"C\" { grants \"y\" require \"z\": current(\"z\") }\n"                  /* 25 */
             "program d \"D\" { grants \"z\" require \"y\": current(\"y\") or current(\"z\") }\n" /* 26 */
             "program e \"E\" { require \"w\": current(\"w\") }\n",                             /* 27 */
             lib);
    findings(text, "PW110 PW120", got, sizeof got);
    ck_assert_str_eq(got, "PW120@25 PW120@26");
}
END_TEST

/* The parts of a date have known ranges: a month over 12 never comes, a
 * day of at least 1 always does; the year is left open. */
START_TEST(test_date_part_ranges)
{
    char text[4096], got[512];
    snprintf(text, sizeof text,
             "%sprogram p \"P\" { require \"m\": month of birth_date > 12 }\n"
             "program q \"Q\" { require \"d\": day of today >= 1 }\n"
             "program r \"R\" { require \"y\": year of today > 2999 }\n",
             lib);
    findings(text, "PW110 PW111", got, sizeof got);
    char want[64];
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    snprintf(want, sizeof want, "PW110@%d PW111@%d", n - 2, n - 1);
    ck_assert_str_eq(got, want);
    /* A definition that only a `valid until` uses is used. */
    snprintf(text, sizeof text,
             "%sdefine end_of(d: date): date = 1 January following d + 5 years - 1 day\n"
             "program p \"P\" { grants \"x\" valid until end_of(granted) require \"a\": age >= 18 }\n",
             lib);
    findings(text, "PW101", got, sizeof got);
    int line = 0;
    for (const char *p = text; *p; p++)
        line += *p == '\n';
    snprintf(want, sizeof want, "PW101@%d", line - 1);
    ck_assert_msg(!strstr(got, want), "end_of reported unused: %s", got);
}
END_TEST

START_TEST(test_unused_only_in_program_files)
{
    char got[512];
    /* The same unused definition: reported in a file with a program, not in
     * a library of definitions. */
    char text[4096];
    snprintf(text, sizeof text, "%sdefine spare = 1\nprogram p \"P\" { require \"a\": age >= 18 }\n", lib);
    findings(text, "PW101", got, sizeof got);
    ck_assert_str_eq(got, "PW101@19 PW101@20 PW101@21 PW101@22");
    snprintf(text, sizeof text, "%sdefine spare = 1\n", lib);
    findings(text, "PW101 PW102 PW103", got, sizeof got);
    ck_assert_str_eq(got, "");
}
END_TEST

/* ---- SARIF ------------------------------------------------------------------------------------ */

typedef struct sarif_fx {
    pm_arena arena;
    ps_sources src;
    pd_list diags;
    pd_buf out;
} sarif_fx;

static const pd_rule sarif_rules[] = {{"PW101", PD_WARNING, "unused"}, {"PW114", PD_WARNING, "unknown"}};
static const pd_sarif_tool sarif_tool = {"pathway", "0.1.0", "https://pathway.example/",
                                         "https://pathway.example/docs/lint.md", sarif_rules, 2};

static void sarif_init(sarif_fx *f)
{
    pm_init(&f->arena, 0);
    ps_init(&f->src, &f->arena);
    pd_init(&f->diags, &f->arena, 0);
    memset(&f->out, 0, sizeof f->out);
}

static void sarif_free(sarif_fx *f)
{
    pd_buf_free(&f->out);
    ps_fini(&f->src);
    pm_free(&f->arena);
}

START_TEST(test_sarif_places)
{
    sarif_fx f;
    sarif_init(&f);
    /* "é" is two bytes: the text after it is one column further on, not two. */
    const char *text = "# café\nrequire \"é\": member(\"usatff\")\n";
    ck_assert_int_eq(ps_add(&f.src, "rules/./x/../café y.pw", NULL, text, strlen(text)), 0);
    const char *at = strstr(text, "\"usatff\"");
    ps_span span = {0, (uint32_t)(at - text), (uint32_t)(at - text) + 8};
    pd_diag *d = pd_add(&f.diags, PD_WARNING, "PW114", &span, "\"usatff\" is not known");
    pd_note_add(&f.diags, d, NULL, "did you mean \"usatf\"?");
    pd_note_add(&f.diags, d, &span, "here");
    pd_set_fix(&f.diags, d, "\"usatf\"");
    pd_add(&f.diags, PD_NOTE, "PW999", NULL, "no place, no rule");
    size_t count = 0;
    pd_sarif_results(&f.diags, &f.src, &sarif_tool, &f.out, &count);
    ck_assert_uint_eq(count, 2);
    const char *s = f.out.data;
    ck_assert_ptr_nonnull(strstr(s, "\"ruleId\":\"PW114\",\"ruleIndex\":1,\"level\":\"warning\""));
    ck_assert_ptr_nonnull(strstr(s, "\"uri\":\"rules/caf%C3%A9%20y.pw\""));
    ck_assert_ptr_nonnull(strstr(s, "\"startLine\":2,\"startColumn\":21,\"endLine\":2,\"endColumn\":29"));
    /* Notes a line each; one with a place as a link to its related location. */
    ck_assert_ptr_nonnull(
        strstr(s, "\"text\":\"\\\"usatff\\\" is not known\\ndid you mean \\\"usatf\\\"?\\n[here](1)\""));
    ck_assert_ptr_nonnull(strstr(s, "\"relatedLocations\":[{\"id\":1,"));
    ck_assert_ptr_nonnull(strstr(s, "\"uriBaseId\":\"%SRCROOT%\""));
    ck_assert_ptr_nonnull(strstr(s, "\"partialFingerprints\":{\"primaryLocationLineHash\":\""));
    ck_assert_ptr_nonnull(strstr(s, "\"insertedContent\":{\"text\":\"\\\"usatf\\\"\"}"));
    ck_assert_ptr_nonnull(strstr(s, "{\"ruleId\":\"PW999\",\"level\":\"note\",\"message\":{\"text\":\"no place, no rule\"}}"));
    pd_buf log = {0};
    pd_render_sarif(&sarif_tool, s, &log);
    ck_assert_ptr_nonnull(strstr(log.data, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\""));
    ck_assert_ptr_nonnull(strstr(log.data, "\"helpUri\":\"https://pathway.example/docs/lint.md#pw114\""));
    ck_assert_ptr_nonnull(strstr(log.data, "\"columnKind\":\"unicodeCodePoints\""));
    pd_buf_free(&log);
    sarif_free(&f);
}
END_TEST

START_TEST(test_sarif_uris)
{
    static const struct {
        const char *name, *uri;
    } cases[] = {
        {"a.pw", "\"uri\":\"a.pw\""},
        {"./a.pw", "\"uri\":\"a.pw\""},
        {"rules/usatf/../common/coach.pw", "\"uri\":\"rules/common/coach.pw\""},
        {"../x/a.pw", "\"uri\":\"../x/a.pw\""},
        {"a/../../b.pw", "\"uri\":\"../b.pw\""},
        {"/tmp/a b.pw", "\"uri\":\"file:///tmp/a%20b.pw\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sarif_fx f;
        sarif_init(&f);
        ck_assert_int_eq(ps_add(&f.src, cases[i].name, NULL, "x\n", 2), 0);
        ps_span span = {0, 0, 1};
        pd_add(&f.diags, PD_WARNING, "PW101", &span, "m");
        size_t count = 0;
        pd_sarif_results(&f.diags, &f.src, &sarif_tool, &f.out, &count);
        ck_assert_msg(strstr(f.out.data, cases[i].uri), "%s: %s", cases[i].name, f.out.data);
        sarif_free(&f);
    }
}
END_TEST

/* The primaryLocationLineHash of the results of one finding per span of
 * `text` in file `name`, each under `code`: into hash[] ("hex:n"). */
static void sarif_hashes(const char *name, const char *text, const char *const *at, size_t n, const char *code,
                         char hash[][32])
{
    sarif_fx f;
    sarif_init(&f);
    ck_assert_int_eq(ps_add(&f.src, name, NULL, text, strlen(text)), 0);
    for (size_t i = 0; i < n; i++) {
        const char *p = strstr(text, at[i]);
        ck_assert_ptr_nonnull(p);
        ps_span span = {0, (uint32_t)(p - text), (uint32_t)(p - text + strlen(at[i]))};
        pd_add(&f.diags, PD_WARNING, code, &span, "m");
    }
    size_t count = 0;
    pd_sarif_results(&f.diags, &f.src, &sarif_tool, &f.out, &count);
    const char *s = f.out.data;
    for (size_t i = 0; i < n; i++) {
        s = strstr(s, "\"primaryLocationLineHash\":\"");
        ck_assert_ptr_nonnull(s);
        s += strlen("\"primaryLocationLineHash\":\"");
        size_t len = strcspn(s, "\"");
        ck_assert_uint_lt(len, 32);
        memcpy(hash[i], s, len);
        hash[i][len] = '\0';
    }
    sarif_free(&f);
}

/* Fingerprints: the line's text counts, not its number or indentation;
 * the rule and the file count; alike findings are numbered apart. */
START_TEST(test_sarif_fingerprints)
{
    const char *at[] = {"age >= 18"};
    char a[1][32], moved[1][32], other_rule[1][32], other_file[1][32], edited[1][32];
    sarif_hashes("x.pw", "# one\n  require \"adult\": age >= 18\n", at, 1, "PW111", a);
    sarif_hashes("x.pw", "# one\n# two\n\n      require   \"adult\":  age >= 18  \n", at, 1, "PW111", moved);
    sarif_hashes("x.pw", "# one\n  require \"adult\": age >= 18\n", at, 1, "PW110", other_rule);
    sarif_hashes("y.pw", "# one\n  require \"adult\": age >= 18\n", at, 1, "PW111", other_file);
    sarif_hashes("x.pw", "# one\n  require \"grown\": age >= 18\n", at, 1, "PW111", edited);
    ck_assert_str_eq(a[0], moved[0]);
    ck_assert(strcmp(a[0] + strlen(a[0]) - 2, ":1") == 0);
    ck_assert_str_ne(a[0], other_rule[0]);
    ck_assert_str_ne(a[0], other_file[0]);
    ck_assert_str_ne(a[0], edited[0]);
    /* Two findings on lines alike: the same hash, numbered 1 and 2. */
    const char *twice[] = {"age >= 18", "age >= 21"};
    char two[2][32];
    sarif_hashes("x.pw", "f(age >= 18, age >= 21)\n", twice, 2, "PW111", two);
    size_t h = strcspn(two[0], ":");
    ck_assert(strncmp(two[0], two[1], h) == 0);
    ck_assert(strcmp(two[0] + h, ":1") == 0 && strcmp(two[1] + h, ":2") == 0);
}
END_TEST

/* ---- the rules -------------------------------------------------------------------------------- */

START_TEST(test_rule_table)
{
    size_t n;
    const pd_rule *rules = pl_rules(&n);
    ck_assert_uint_ge(n, 17);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq((int)strlen(rules[i].code), 5);
        ck_assert(strncmp(rules[i].code, "PW", 2) == 0);
        ck_assert(i == 0 || strcmp(rules[i - 1].code, rules[i].code) < 0);
        ck_assert_ptr_eq(pl_rule(rules[i].code), &rules[i]);
    }
    ck_assert_int_eq(pl_rule("PW110")->severity, PD_ERROR);
    ck_assert_int_eq(pl_rule("PW191")->severity, PD_NOTE);
    ck_assert_ptr_null(pl_rule("PW999"));
}
END_TEST

static Suite *lint_suite(void)
{
    Suite *s = suite_create("lint");
    TCase *t = tcase_create("reasoning");
    tcase_add_test(t, test_decide_table);
    tcase_add_test(t, test_date_part_ranges);
    tcase_add_test(t, test_implies_table);
    tcase_add_test(t, test_structural_equality);
    tcase_add_test(t, test_conditions_equivalent);
    tcase_add_test(t, test_lint_file_calls);
    suite_add_tcase(s, t);
    t = tcase_create("directives");
    tcase_add_test(t, test_directive_targets);
    tcase_add_test(t, test_directive_forms);
    tcase_add_test(t, test_directive_edges);
    tcase_add_test(t, test_directive_strings);
    suite_add_tcase(s, t);
    t = tcase_create("runs");
    tcase_add_test(t, test_suppressions);
    tcase_add_test(t, test_reach_versions);
    tcase_add_test(t, test_unused_only_in_program_files);
    tcase_add_test(t, test_rule_table);
    suite_add_tcase(s, t);
    t = tcase_create("sarif");
    tcase_add_test(t, test_sarif_places);
    tcase_add_test(t, test_sarif_uris);
    tcase_add_test(t, test_sarif_fingerprints);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return pw_run_suite(lint_suite());
}
