/* The checker: each row is a small rule set with one mistake, the code of
 * the diagnostic it must produce, and words its message must contain; a
 * second table holds rule sets that must check cleanly. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "check/check.h"
#include "front/parse.h"

static const char *const prelude =
    "facts coach {\n"
    "  birth_date: date\n"
    "  coaching_since: date? = none\n"
    "  athletes_coached: integer = 0\n"
    "  roles: set of text = []\n"
    "  certificates: list of certificate = []\n"
    "}\n"
    "record certificate { id: text  issued: date  expires: date? }\n"
    "define age = years since birth_date\n"
    "define current(cert: text) = any c in certificates where c.id = cert\n";

typedef struct result {
    pm_arena arena;
    ps_sources src;
    pd_list diags;
    bool ok;
} result;

static void run(result *r, const char *body)
{
    size_t len = strlen(prelude) + strlen(body) + 1;
    char *text = malloc(len);
    snprintf(text, len, "%s%s", prelude, body);
    pm_init(&r->arena, 0);
    ps_init(&r->src, &r->arena);
    pd_init(&r->diags, &r->arena, 50);
    pp_limits limits = {0, 0, 0};
    pa_decl *decls = NULL;
    pc_program p;
    r->ok = pp_parse_program(&r->arena, &r->src, &r->diags, &limits, "t.pw", text, strlen(text), &decls);
    ck_assert_msg(r->ok, "syntax error in a checker test: %s", r->diags.head ? r->diags.head->message : "");
    r->ok = pc_check(&r->arena, &r->src, &r->diags, decls, 0, &p);
    free(text);
}

static void done(result *r)
{
    ps_fini(&r->src);
    pm_free(&r->arena);
}

typedef struct bad {
    const char *body;
    const char *code;
    const char *words;
} bad;

static const bad bads[] = {
    {"program p { require \"r\": agee >= 18 }", "E0402", "unknown name `agee`"},
    {"program p { require \"r\": age >= \"18\" }", "E0421", "cannot compare integer with text"},
    {"program p { require \"r\": coaching_since < today }", "E0401", "may be none"},
    /* narrowing: only where the test has been made, and only the path tested */
    {"program p { require \"r\": coaching_since is none and coaching_since < today }", "E0401", "may be none"},
    {"program p { require \"r\": coaching_since is not none or coaching_since < today }", "E0401", "may be none"},
    {"program p { require \"r\": (coaching_since is not none) = true and coaching_since < today }", "E0401",
     "may be none"},
    {"program p { require \"r\": if coaching_since is none then coaching_since < today else true }", "E0401",
     "may be none"},
    {"program p { require \"r\": any c in certificates where c.expires is not none and "
     "(any c in certificates where c.expires < today) }", "E0401", "may be none"},
    {"program p { require \"r\": any c in certificates where c.expires is not none and "
     "(any d in certificates where d.expires < today) }", "E0401", "may be none"},
    {"program p { require \"r\": (any c in certificates where c.expires is not none) and "
     "any c in certificates where c.expires < today }", "E0401", "may be none"},
    {"program p { require \"r\": (max(1, 2) otherwise 3) > 1 }", "E0429", "never none"},
    {"program p { require \"r\": age }", "E0331", "must be a condition"},
    {"program p { require \"r\": age >= 18 and 3 }", "E0420", "`and` joins conditions"},
    {"program p { require \"r\": birth_date - birth_date > 2 }", "E0423", "cannot apply `-` to date and date"},
    {"program p { require \"r\": \"a\" < \"b\" }", "E0422", "text can only be compared"},
    {"program p { require \"r\": current() }", "E0413", "takes 1 argument, but 0 are given"},
    {"program p { require \"r\": current(3) }", "E0414", "argument 1 of `current` must be text"},
    {"program p { require \"r\": age() > 1 }", "E0412", "is a value, not a function"},
    {"program p { require \"r\": current > 1 }", "E0403", "`current` needs 1 argument"},
    {"program p { require \"r\": any c in certificates where c.idd = \"x\" }", "E0405", "has no field `idd`"},
    {"program p { require \"r\": certificates.id = \"x\" }", "E0404", "needs a record"},
    {"program p { require \"r\": \"x\" in certificates }", "E0426", "`in` looks in a set of text"},
    {"program p { require \"r\": 3 in roles }", "E0427", "a set of text holds text"},
    {"program p { require \"r\": age in [] }", "E0425", "empty list"},
    {"program p { require \"r\": (age otherwise 3) > 1 }", "E0429", "never none"},
    {"program p { require \"r\": age is none }", "E0432", "never none"},
    {"program p { require \"r\": (if age then 1 else 2) > 0 }", "E0433", "`if` needs a condition"},
    {"program p { require \"r\": (if age > 1 then 1 else \"a\") = 1 }", "E0434", "same type"},
    {"program p { require \"r\": years since athletes_coached > 1 }", "E0435", "needs a date"},
    {"program p { require \"r\": birth_date < today - (1.5) months }", "E0450", "count of a duration is a whole number"},
    {"program p { require \"r\": day 1 of month 0 of year 2026 < today }", "E0451", "there is no month 0"},
    {"program p { require \"r\": year of athletes_coached > 1 }", "E0452", "`year of` needs a date"},
    {"program p { require \"r\": 1 May following age < today }", "E0452", "`following` needs a date"},
    {"program p { require \"r\": 31 August of \"2026\" < today }", "E0453", "year of a date is a whole number"},
    {"program p { require \"r\": 31 August of coaching_since < today }", "E0453", "year of a date is a whole number"},
    {"program p { require \"r\": 1 January of year of birth_date + 1 < today }", "E0423", "cannot apply `+` to date"},
    {"program p { grants \"x\" valid until years since granted }", "E0454", "`valid until` needs the certificate's last day"},
    {"program p { grants \"x\" valid until coaching_since }", "E0454", "but this is date?"},
    {"program p { require \"r\": any x in age where true }", "E0436", "goes through a list or set"},
    {"program p { require \"r\": (sum c.id for c in certificates) > 1 }", "E0438", "`sum` adds numbers"},
    {"program p { require \"r\": max(1) > 0 }", "E0410", "takes two numbers"},
    {"program p { require \"r\": count c in certificates where current(c.id) >= 2 }", "E0444",
     "`where` takes everything to its right as its condition, including this `>=`"},
    {"program p { require \"r\": sum 1 for c in certificates where current(c.id) > 2 }", "E0444",
     "including this `>`"},
    {"program p { require \"r\": months between birth_date and today - 12 * athletes_coached > 1 }", "E0460",
     "`months between` takes everything to its right as its second date, including this `-`"},
    {"program p { require \"r\": years since birth_date + 1 year - 2 > 1 }", "E0460",
     "`years since` takes everything to its right as its date, including this `-`"},
    {"program p { require \"r\": days between birth_date and today * 2 > 1 }", "E0460", "including this `*`"},
    {"program p { require \"r\": [1, 2] }", "E0441", "only be used after `in`"},
    {"program p { require \"r\": none }", "E0440", "`none` cannot be used here"},
    {"program p { require \"r\": not age }", "E0430", "`not` needs a condition"},
    {"define age2: text = age\nprogram p { require \"r\": true }", "E0316", "declared as text but its value is integer"},
    {"define a = b\ndefine b = a\nprogram p { require \"r\": a > 1 }", "E0315", "depends on itself"},
    {"define birth_date = 3\nprogram p { require \"r\": true }", "E0311", "already a field"},
    {"define max = 3\nprogram p { require \"r\": true }", "E0312", "built-in"},
    {"define age = 3\nprogram p { require \"r\": true }", "E0313", "defined twice"},
    {"define f(x: integer, x: integer) = x\nprogram p { require \"r\": true }", "E0314", "appears twice"},
    {"define l = certificates\nprogram p { require \"r\": true }", "E0317", "single value"},
    {"record r2 { x: intger }\nprogram p { require \"r\": true }", "E0304", "unknown type `intger`"},
    {"record r2 { x: list of nothing }\nprogram p { require \"r\": true }", "E0301", "unknown record `nothing`"},
    {"record r2 { x: set of integer }\nprogram p { require \"r\": true }", "E0302", "only `set of text`"},
    {"record r2 { x: certificate }\nprogram p { require \"r\": true }", "E0303", "is a record"},
    {"record r2 { x: integer = \"a\" }\nprogram p { require \"r\": true }", "E0306", "does not fit"},
    {"record r2 { x: integer = none }\nprogram p { require \"r\": true }", "E0306", "does not fit"},
    {"record r2 { x: integer = 1 + 1 }\nprogram p { require \"r\": true }", "E0305", "literal value"},
    {"record certificate { x: integer }\nprogram p { require \"r\": true }", "E0310", "declared twice"},
    /* `extend` (issue 17); its other-file cases are in golden/diag/extend.pw */
    {"extend record certificat { x: integer = 0 }", "E0335", "no record `certificat` to extend"},
    {"extend facts certificate { x: integer = 0 }", "E0335", "no facts record `certificate`"},
    {"extend known ids with [\"a\"]", "E0335", "no known list `ids` to extend"},
    {"extend record certificate { issued: date? = none }", "E0336", "`certificate` already has a field `issued`"},
    {"extend facts coach { x: integer = 0 }\nextend facts coach { x: integer = 1 }", "E0336",
     "`coach` already has a field `x`"},
    {"known k = [\"a\"]\nextend known k with [\"b\", \"a\"]", "E0337", "\"a\" is already a known value of `k`"},
    {"known k = [\"a\"]\nextend known k with [\"b\"]", "E0339", "in the file that declares `k`"},
    {"extend facts coach { }", "E0346", "`extend facts coach` adds no field"},
    {"known k = [\"a\"]\nextend known k with []", "E0346", "adds no value"},
    {"known k = [\"a\"]\nextend known k with [1]", "E0371", "a known value is a text"},
    {"known k = [\"a\"]\nextend known k with \"b\"", "E0370", "takes a list of texts"},
    /* an added field is a field: a definition cannot take its name */
    {"extend facts coach { games: integer = 0 }\ndefine games = 3", "E0311", "already a field"},
    {"facts other { x: integer }\nprogram p { require \"r\": true }", "E0308", "second `facts`"},
    {"program p { title 3 }", "E0320", "takes text"},
    {"program p { hours \"x\" }", "E0323", "`hours` takes a number"},
    {"program p { duration 3 years }", "E0324", "number of days"},
    {"program p { grants \"c\" valid for 0 days }", "E0322", "positive duration"},
    {"program p { colour \"red\" }", "E0325", "unknown program attribute"},
    {"program p { hours 3  hours 4 }", "E0341", "given twice"},
    {"program p \"T\" { title \"U\" }", "E0342", "already has a title"},
    {"program p { require \"\": true }", "E0330", "cannot be empty"},
    {"program p { require \"g\": at least 3 of { \"a\": true \"b\": true } }", "E0333", "between 1 and 2"},
    {"program p { }\nprogram p { }", "E0340", "declared twice"},
    /* effective dates and versions */
    {"program p effective from 2026-01-01 { }\nprogram p effective from 2026-06-01 until 2026-12-31 { }",
     "E0343", "versions of program `p` overlap: this one is in force from 2026-06-01 until 2026-12-31, "
              "another from 2026-01-01"},
    {"program p effective until 2026-06-01 { }\nprogram p effective from 2026-06-01 { }", "E0343",
     "this one is in force from 2026-06-01, another until 2026-06-01"},
    {"program p effective from 2026-01-01 { }\nprogram p { }", "E0343",
     "this one is in force always, another from 2026-01-01"},
    {"program p { }\nprogram p effective until 2025-12-31 { }", "E0343",
     "this one is in force until 2025-12-31, another always"},
    {"program p effective from 2026-06-01 until 2026-05-31 { }", "E0344",
     "this period ends before it begins (from 2026-06-01 until 2026-05-31)"},
    {"program p { require \"r\": true effective from 2026-01-02 until 2026-01-01 }", "E0344",
     "this period ends before it begins (from 2026-01-02 until 2026-01-01)"},
    {"program p effective from 2026-01-01 until 2026-12-31 { require \"r\": true effective from 2027-01-01 }",
     "E0345", "requirement `r` is never in force while its program is: it is in force from 2027-01-01, "
              "the program from 2026-01-01 until 2026-12-31"},
    {"program p effective from 2026-01-01 { prefer \"r\": true effective until 2025-12-31 }", "E0345",
     "it is in force until 2025-12-31, the program from 2026-01-01"},
    {"program p effective from 2026-01-01 { require \"g\": all of { \"m\": true effective until 2025-12-31 } "
     "effective from 2026-01-01 }", "E0345", "requirement `m` is never in force"},
    /* examples */
    {"example e = { }\nexample e = { }\nprogram p { }", "E0350", "example `e` is declared twice"},
    {"example e = base with { }\nprogram p { }", "E0351", "unknown example `base`"},
    {"example a = b\nexample b = c\nexample c = a\nprogram p { }", "E0352", "is built on itself through"},
    {"example a = a with { athletes_coached: 1 }\nprogram p { }", "E0352",
     "example `a` is built on itself through `a`"},
    {"example e = { birth_date: \"2000-01-01\" }\nprogram p { }", "E0353",
     "`birth_date` holds date, but this is text"},
    {"example e = { athletes_coached: 1.5 }\nprogram p { }", "E0353",
     "`athletes_coached` holds integer, but this is a number"},
    {"example e = { birth_date: none }\nprogram p { }", "E0353", "`birth_date` holds date, but this is none"},
    {"example e = { roles: [1] }\nprogram p { }", "E0353", "`roles` holds set of text, but this is an integer"},
    {"example e = { certificates: [\"x\"] }\nprogram p { }", "E0353",
     "`certificates` holds list of certificate, but this is text"},
    {"example e = { certificates: [{ id: \"x\", issued: true, expires: none }] }\nprogram p { }", "E0353",
     "`issued` holds date, but this is true or false"},
    {"example e = { roles: { a: 1 } }\nprogram p { }", "E0353", "`roles` holds set of text, but this is a record"},
    {"example e = { birth_dat: 2000-01-01 }\nprogram p { }", "E0354", "`coach` has no field `birth_dat`"},
    {"example e = { certificates: [{ id: \"x\", issued: 2020-01-01, expires: none, level: 1 }] }\nprogram p { }",
     "E0354", "`certificate` has no field `level`"},
    {"example e = { certificates: [{ id: \"x\", expires: none }] }\nprogram p { }", "E0355",
     "this `certificate` lacks `issued`, which has no default"},
    {"example e = { athletes_coached: 1, athletes_coached: 2 }\nprogram p { }", "E0356",
     "`athletes_coached` is given twice"},
    {"example e = { athletes_coached: 9007199254740993 }\nprogram p { }", "E0357",
     "9007199254740993 is too large for facts (at most 9007199254740992 either way)"},
    {"example e = { athletes_coached: -9007199254740993 }\nprogram p { }", "E0357", "-9007199254740993 is too large"},
    /* tests */
    {"program p { }\ntest \"t\" { as of 2026-01-01 given { athletes_coached: 1 } expect p eligible }", "E0355",
     "these facts lack `birth_date`, which has no default"},
    {"example e = { athletes_coached: 1 }\nprogram p { }\n"
     "test \"t\" { as of 2026-01-01 given e with { roles: [] } expect p eligible }", "E0355",
     "these facts lack `birth_date`"},
    {"program p { }\ntest \"t\" { as of 2026-01-01 given adult expect p eligible }", "E0351",
     "unknown example `adult`"},
    {"program p { }\ntest \"\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect p eligible }", "E0360",
     "a test needs a title that says what it checks"},
    {"program p { }\ntest \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect p eligible }\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect p eligible }", "E0360",
     "another test is already called \"t\""},
    {"program p { }\ntest \"t\" { given { birth_date: 2000-01-01 } expect p eligible }", "E0361",
     "test \"t\" needs an evaluation date: `as of 2026-11-23`"},
    {"program p { }\ntest \"t\" { as of 2026-01-01 expect p eligible }", "E0362",
     "test \"t\" needs the coach's facts"},
    {"program p { }\ntest \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } }", "E0363",
     "test \"t\" expects nothing"},
    {"program level_1 { }\ntest \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect level1 eligible }",
     "E0364", "unknown program `level1`"},
    {"program p { require \"adult\": age >= 18 }\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect p not eligible unmet \"adlt\" }",
     "E0365", "program `p` has no requirement \"adlt\""},
    {"program p { require \"adult\": age >= 18  prefer \"young\": age < 30 }\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect p not eligible unmet \"young\" }",
     "E0365", "program `p` has no requirement \"young\""},
    {"program p { require \"g\": all of { \"m\": true } }\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect p not eligible unmet \"m\" }",
     "E0365", "program `p` has no requirement \"m\""},
    {"program p { require \"adult\": age >= 18 }\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect p not eligible unmet \"adult\", \"adult\" }",
     "E0366", "\"adult\" is listed twice"},
    /* value expectations */
    {"test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect aeg = 26 }", "E0380",
     "unknown definition `aeg`"},
    {"program p { }\ntest \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect p = 1 }", "E0380",
     "unknown definition `p`"},
    {"test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect current = true }", "E0381",
     "`current` needs 1 argument"},
    {"test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect age(1) = 26 }", "E0381",
     "`age` is a value, not a function"},
    {"test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect current(\"a\", \"b\") = true }",
     "E0381", "`current` takes 1 argument, but 2 are given"},
    {"test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect current(1) = true }", "E0382",
     "argument 1 of `current` must be text, but this is an integer"},
    {"test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect age = 26.5 }", "E0382",
     "`age` gives integer, but this is a number"},
    {"test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect age = none }", "E0382",
     "`age` gives integer, but this is none"},
    {"define lead(r: set of text) = \"lead\" in r\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect lead([\"lead\"]) = true }", "E0383",
     "argument 1 of `lead` is set of text, which a test cannot write as a value"},
    /* test data against known lists */
    {"known fmt = [\"7v7\", \"11v11\"]\ndefine f(x: text in fmt) = x = \"7v7\"\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect f(\"11 v 11\") = false }", "E0384",
     "\"11 v 11\" is not a known value of `fmt`"},
    {"known fmt = [\"7v7\", \"11v11\"]\ndefine f(x: text in fmt) = x = \"7v7\"\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect f(\"7v7\" not known) = true }",
     "E0385", "\"7v7\" is a known value of `fmt`"},
    {"program p { }\n"
     "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01, roles: [\"lead\" not known] } expect p "
     "eligible }", "E0385", "no known list holds this one"},
    /* named sources */
    {"source s = \"a\"\nsource s = \"b\"\nprogram p { }", "E0390", "source `s` is declared twice"},
    {"source enrol_18 = \"a\"\nprogram p { require \"r\": true citing enrol18 }", "E0391",
     "unknown source `enrol18`"},
    {"program p { require \"g\": any of { \"m\": true citing age } }", "E0391", "unknown source `age`"},
    {"source s = \"\"\nprogram p { require \"r\": true citing s }", "E0392", "source `s` is empty"},
    /* named requirements */
    {"requirements adult { require \"r\": age >= 18 }\nprogram p { require adlut }", "E0393",
     "unknown requirements `adlut`"},
    {"program p { require age }", "E0393", "unknown requirements `age`"},
    {"requirements a { require \"r\": true }\nrequirements a { require \"s\": true }", "E0394",
     "requirements `a` are declared twice"},
    {"requirements a { require b }\nrequirements b { require c }\nrequirements c { require a }", "E0395",
     "use themselves"},
    {"requirements a { require a }", "E0395", "requirements `a` use themselves"},
    {"requirements a { }", "E0396", "requirements `a` hold no requirement"},
    {"requirements a { require \"r\": agee >= 18 }\nprogram p { require a }", "E0402", "agee"},
    {"requirements a citing nowhere { require \"r\": true }", "E0391", "unknown source `nowhere`"},
    /* versions that amend the previous version */
    {"program p effective until 2026-12-31 { require \"r\": age >= 16  require \"s\": true }\n"
     "program p effective from 2027-01-01 { drop \"s\" }", "E0318", "does not amend it"},
    {"program p effective until 2026-12-31 { require \"r\": age >= 16  require \"s\": true }\n"
     "program p effective from 2027-01-01 amends the previous version { drop \"s\" drop \"s\" }", "E0319",
     "\"s\" is already dropped"},
    {"program p effective until 2026-12-31 { require \"r\": age >= 16  require \"s\": true }\n"
     "program p effective from 2027-01-01 amends the previous version { require \"r\": true }", "E0326",
     "already has the requirement \"r\""},
    {"program p effective from 2027-01-01 amends the previous version { require \"r\": true }", "E0397",
     "no version comes before it"},
    {"program p effective until 2026-12-31 { require \"r\": age >= 16  require \"s\": true }\n"
     "program p effective from 2027-01-01 amends the previous version { replace \"t\": true }", "E0398",
     "cannot replace \"t\""},
    {"program p effective until 2026-12-31 { require \"r\": age >= 16  require \"s\": true }\n"
     "program p effective from 2027-01-01 amends the previous version { }", "E0399", "changes nothing"},
    {"program p effective until 2026-12-31 { require \"r\": age >= 16  require \"s\": true }\n"
     "program p effective from 2027-01-01 amends the previous version { replace \"r\": agee >= 18 }",
     "E0402", "agee"},
    /* requirements a person decides: the prelude's facts have no `decisions` */
    {"program p { require \"r\": decided by \"the committee\" }", "E0476",
     "`r` is decided by a person, but the facts record has no field `decisions`"},
    {"program p { require \"g\": any of { \"m\": decided by \"the committee\" as \"k\" } }", "E0476",
     "`m` is decided by a person"},
};

START_TEST(test_bad)
{
    const bad *b = &bads[_i];
    result r;
    run(&r, b->body);
    ck_assert_msg(!r.ok, "row %d: expected error %s, but it checked cleanly", _i, b->code);
    const pd_diag *d = r.diags.head;
    while (d && strcmp(d->code, b->code) != 0)
        d = d->next;
    ck_assert_msg(d != NULL, "row %d: no %s; first diagnostic: %s %s", _i, b->code,
                  r.diags.head ? r.diags.head->code : "-", r.diags.head ? r.diags.head->message : "-");
    ck_assert_msg(strstr(d->message, b->words) != NULL, "row %d: %s message \"%s\" lacks \"%s\"", _i, b->code,
                  d->message, b->words);
    ck_assert(d->has_span);
    done(&r);
}
END_TEST

static const char *const goods[] = {
    "program p { }",
    /* an amending version, and one that amends an amendment */
    "program p effective until 2026-12-31 { hours 3 require \"r\": age >= 16  require \"s\": true }\n"
    "program p effective from 2027-01-01 until 2027-12-31 amends the previous version {\n"
    "  drop \"s\" replace \"r\": age >= 18 require \"t\": true }\n"
    "program p effective from 2028-01-01 amends the previous version { drop \"t\" require \"s\": true }",
    /* `decided` and `as` are words only in `decided by "WHO" as "KEY"` */
    "define decided = true\ndefine as = 1\nprogram p { require \"r\": decided and as >= 1 }",
    /* a source cited by name, before or after its declaration, inside a group too */
    "program p { require \"r\": true citing s  require \"g\": any of { \"m\": true citing s } citing t }\n"
    "source s = \"a sentence\"\nsource t = \"another\"",
    /* blocks used before they are declared, one inside another */
    "program p { require a  require \"own\": true }\nprogram q { require b }\n"
    "requirements b citing s { require a  prefer \"pre\": age > 30 }\n"
    "requirements a { require \"r\": age >= 18  require \"g\": any of { \"m\": true \"n\": false } }\n"
    "source s = \"x\"\n"
    "test \"t\" { as of 2026-01-01 given { birth_date: 2010-01-01 } expect q not eligible unmet \"r\" "
    "prefer unmet \"pre\" }",
    "known fmt = [\"7v7\", \"11v11\"]\ndefine f(x: text in fmt) = x = \"7v7\"\n"
    "program p { grants \"9v9\" }\n"
    "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect f(\"11v11\") = false "
    "expect f(\"futsal\" not known) = false expect f(\"9v9\") = false }",
    "define later(d: date?) = d otherwise today\ndefine half(x: number) = x * 0.5\n"
    "test \"t\" { as of 2026-01-01 given { birth_date: 2000-01-01 } expect age = 26 expect current(\"a\") = "
    "false expect later(none) = 2026-01-01 expect later(2020-01-01) = 2020-01-01 expect half(3) = 1.5 "
    "expect half(2) = 1 }",
    "program p { require \"r\": (coaching_since otherwise today) < today }",
    /* without `where`, `count` and `sum` end with their list (issue 17) */
    "program p { require \"r\": count c in certificates >= 2 }",
    "program p { require \"r\": count c in certificates - 1 >= athletes_coached }",
    "program p { require \"r\": sum days between c.issued and today for c in certificates >= 2 }",
    /* the last date of `between` still takes a duration */
    "program p { require \"r\": days between birth_date and today + 90 days > 1 }",
    "program p { require \"r\": years since birth_date - 1 year + 2 days >= 18 }",
    "program p { require \"r\": (months between birth_date and today) - 12 * athletes_coached > 1 }",
    /* `x is not none` narrows x (a name, a parameter, a field path) */
    "program p { require \"r\": coaching_since is not none and years since coaching_since < 5 }",
    "program p { require \"r\": coaching_since is none or coaching_since < today }",
    "program p { require \"r\": not (coaching_since is none) and coaching_since < today }",
    "program p { require \"r\": if coaching_since is none then false else coaching_since < today }",
    "program p { require \"r\": if coaching_since is not none then coaching_since < today else true }",
    "program p { require \"r\": any c in certificates where c.expires is not none and c.expires > today }",
    "program p { require \"r\": (sum days between c.issued and c.expires for c in certificates "
    "where c.expires is not none) > 1 }",
    "define left(d: date?) = d is not none and days between today and d > 0\n"
    "program p { require \"r\": left(coaching_since) }",
    "define plain(d: date) = d > today\n"
    "program p { require \"r\": coaching_since is not none and plain(coaching_since) }",
    "define since2: date = if coaching_since is none then today else coaching_since\n"
    "program p { require \"r\": since2 < today }",
    /* a narrowed value still accepts what an optional one does */
    "program p { require \"r\": coaching_since is not none and (coaching_since otherwise today) < today }",
    "program p { require \"r\": coaching_since is none or coaching_since is not none }",
    "program p { require \"r\": coaching_since = none or coaching_since = 2020-01-01 }",
    "program p { require \"r\": age + 0.5 > 18 }",
    "program p { require \"r\": (if age > 18 then none else 2020-01-01) is none }",
    "define later(d: date?) = (d otherwise today) > today\nprogram p { require \"r\": later(coaching_since) }",
    "define n(x: number) = x * 2\nprogram p { require \"r\": n(athletes_coached) > 1 }",
    "program p { require \"r\": all of { \"a\": true \"b\": any of { \"c\": false \"d\": true } } }",
    "program p { prefer \"r\": \"x\" in roles  advise \"s\": athletes_coached >= 1 }",
    "program p \"T\" { hours 2.5  format \"online\"  provider \"X\"  duration 30 days  grants \"c\" valid for 2 years }",
    /* Definitions may be used before they are defined. */
    "program p { require \"r\": later2 }\ndefine later2 = age > 3",
    /* Versions whose periods do not overlap, back to back (both days are included). */
    "program p effective until 2026-05-31 { }\nprogram p effective from 2026-06-01 { }",
    "program p \"T\" effective from 2026-06-01 { }\nprogram p \"T\" effective until 2026-05-31 { }",
    "program p effective from 2025-01-01 until 2025-12-31 { }\n"
    "program p effective from 2027-01-01 { }\n"
    "program p effective from 2026-01-01 until 2026-12-31 { }",
    /* A single day; a requirement overlapping its program's period in part. */
    "program p effective from 2026-06-01 until 2026-06-01 { require \"r\": true effective until 2026-06-01 }",
    "program p effective from 2026-01-01 until 2026-12-31 {\n"
    "  require \"r\": true effective from 2026-12-31 assuming \"a guess\" citing \"4.1\"\n"
    "  require \"g\": any of { \"m\": true effective until 2026-01-01 } effective from 2025-01-01\n"
    "}",
    /* An undated program may hold dated requirements. */
    "program p assuming \"the draft\" { require \"r\": true effective from 1900-01-01 until 2999-12-31 }",
    /* The largest integers a JSON number holds exactly. */
    "example e = { athletes_coached: 9007199254740992 }\n"
    "example f = { athletes_coached: -9007199254740992 }\nprogram p { }",
    /* Examples and tests that fit the facts and the programs. */
    "example adult = { birth_date: 2000-01-01, roles: [\"coach\"],\n"
    "  certificates: [{ id: \"l1\", issued: 2020-01-01, expires: none }] }\n"
    "example older = adult with { birth_date: 1990-01-01 coaching_since: 2010-05-01 }\n"
    "example renamed = older\n"
    "program p { require \"adult\": age >= 18  require \"l1\": current(\"l1\") }\n"
    "program p2 effective from 2027-01-01 { require \"adult\": age >= 18 }\n"
    "program p2 effective until 2026-12-31 { require \"older\": age >= 21 }\n"
    "test \"a\" { as of 2026-11-23 given renamed expect p eligible }\n"
    "test \"b\" { as of 2026-11-23 given adult with { certificates: [] } expect p not eligible unmet \"l1\" }\n"
    "test \"c\" { as of 2026-11-23 given { birth_date: 2010-01-01 } expect p not eligible\n"
    "  expect p2 not eligible unmet \"older\" }\n"
    "program p3 effective until 2019-12-31 { }\n"
    "program p4 effective from 2021-01-01 { }\n"
    "test \"d\" { as of 2027-11-23 given adult expect p2 eligible }\n"
    "test \"e\" { as of 2020-01-01 given { birth_date: 2000-01-01, athletes_coached: -1 }\n"
    "  expect p not eligible unmet \"adult\", \"l1\" expect p3 withdrawn expect p4 not yet in force }",
};

START_TEST(test_good)
{
    result r;
    run(&r, goods[_i]);
    ck_assert_msg(r.ok, "row %d should check cleanly: %s", _i, r.diags.head ? r.diags.head->message : "");
    done(&r);
}
END_TEST

/* Every mistake in one file is reported, not just the first. */
START_TEST(test_keeps_going)
{
    result r;
    run(&r, "program p {\n require \"a\": agee > 1\n require \"b\": age > \"x\"\n require \"c\": current(1)\n}");
    ck_assert(!r.ok);
    ck_assert_uint_eq(r.diags.errors, 3);
    done(&r);
}
END_TEST

/* The checker's nesting limit (pw_limits.max_nesting): a chain of
 * definitions (here along a cycle) longer than it is reported once, naming
 * its first three and last three links; an expression deeper than it is
 * reported once. */
static void run_limited(result *r, const char *text, unsigned max_nesting)
{
    pm_init(&r->arena, 0);
    ps_init(&r->src, &r->arena);
    pd_init(&r->diags, &r->arena, 50);
    pa_decl *decls = NULL;
    pc_program p;
    r->ok = pp_parse_program(&r->arena, &r->src, &r->diags, NULL, "t.pw", text, strlen(text), &decls);
    ck_assert(r->ok);
    r->ok = pc_check(&r->arena, &r->src, &r->diags, decls, max_nesting, &p);
}

START_TEST(test_nesting_limit)
{
    result r;
    run_limited(&r,
                "facts f { n: integer = 0 }\ndefine d1 = d2\ndefine d2 = d3\ndefine d3 = d4\ndefine d4 = d5\ndefine d5 = d6\n"
                "define d6 = d7\ndefine d7 = d8\ndefine d8 = d9\ndefine d9 = d10\ndefine d10 = d1\n",
                8);
    ck_assert(!r.ok);
    ck_assert_uint_eq(r.diags.errors, 1);
    const pd_diag *d = r.diags.head;
    ck_assert_str_eq(d->code, "E0445");
    ck_assert_str_eq(d->message, "definitions are nested too deeply: `d1` → `d2` → `d3` → … → `d7` → `d8` → `d9` "
                                 "is a chain of 9 definitions, each using the next (the limit is 8)");
    ck_assert_str_eq(d->notes->message, "the chain starts at `d1`");
    done(&r);
    run_limited(&r, "facts f { n: integer = 0 }\ndefine e = true and (true and (true and (true and true)))\n", 3);
    ck_assert(!r.ok);
    ck_assert_uint_eq(r.diags.errors, 1);
    ck_assert_str_eq(r.diags.head->code, "E0439");
    ck_assert_str_eq(r.diags.head->message, "expression nested too deeply (the limit is 3 levels)");
    done(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bads / sizeof *bads));
    tcase_add_loop_test(tc, test_good, 0, (int)(sizeof goods / sizeof *goods));
    tcase_add_test(tc, test_keeps_going);
    tcase_add_test(tc, test_nesting_limit);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
