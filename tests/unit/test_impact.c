/* src/impact and pw_requirement_fingerprint: the fingerprint sees what a
 * condition computes and not where its pieces sit in the image; programs of
 * two rule sets are matched by id, then title, then requirement labels;
 * requirement changes are classified (docs/impact.md). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "impact/impact.h"

#define FACTS "facts coach {\n  id: text\n  birth_date: date\n  level: integer = 0\n  club: text? = none\n}\n"

static pw_program *compile_text(const char *text)
{
    pw_program *p = NULL;
    pw_error err;
    ck_assert_msg(pw_compile_source("impact.pw", text, strlen(text), NULL, &p, &err) == PW_OK, "%s",
                  err.message);
    return p;
}

/* The fingerprint of requirement `req` of the first version of `id`. */
static uint64_t fingerprint(const pw_program *p, const char *id, size_t req)
{
    size_t prog;
    uint64_t fp;
    ck_assert_int_eq(pw_program_find(p, id, &prog, NULL), PW_OK);
    ck_assert_int_eq(pw_requirement_fingerprint(p, prog, req, &fp, NULL), PW_OK);
    return fp;
}

static const char base[] = FACTS
    "define senior: boolean = level >= 3\n"
    "program a \"A\" {\n  require \"level two\": level >= 2\n  require \"in a club\": club = \"x\"\n"
    "  require \"senior\": senior\n}\n";

START_TEST(fingerprint_ignores_layout)
{
    /* Another program first shifts every string id, constant and function. */
    pw_program *p = compile_text(base);
    pw_program *q = compile_text(FACTS "program z \"Z\" {\n  require \"other\": club = \"y\" and level >= 7\n}\n"
                                       "define senior: boolean = level >= 3\n"
                                       "program a \"A\" {\n  require \"level two\": level >= 2\n"
                                       "  require \"in a club\": club = \"x\"\n  require \"senior\": senior\n}\n");
    for (size_t i = 0; i < 3; i++)
        ck_assert_msg(fingerprint(p, "a", i) == fingerprint(q, "a", i), "requirement %zu", i);
    ck_assert(fingerprint(p, "a", 0) != fingerprint(p, "a", 1));
    pw_program_free(p);
    pw_program_free(q);
}
END_TEST

START_TEST(fingerprint_sees_changes)
{
    pw_program *p = compile_text(base);
    static const char *const changed[] = {
        /* a constant, a text, a called definition */
        FACTS "define senior: boolean = level >= 3\nprogram a \"A\" {\n  require \"level two\": level >= 3\n"
              "  require \"in a club\": club = \"x\"\n  require \"senior\": senior\n}\n",
        FACTS "define senior: boolean = level >= 3\nprogram a \"A\" {\n  require \"level two\": level >= 2\n"
              "  require \"in a club\": club = \"y\"\n  require \"senior\": senior\n}\n",
        FACTS "define senior: boolean = level >= 4\nprogram a \"A\" {\n  require \"level two\": level >= 2\n"
              "  require \"in a club\": club = \"x\"\n  require \"senior\": senior\n}\n",
    };
    for (size_t k = 0; k < 3; k++) {
        pw_program *q = compile_text(changed[k]);
        for (size_t i = 0; i < 3; i++)
            ck_assert_msg((fingerprint(p, "a", i) == fingerprint(q, "a", i)) == (i != k), "change %zu, req %zu", k,
                          i);
        pw_program_free(q);
    }
    pw_program_free(p);
}
END_TEST

/* A keyed loop (ITER_KEY names its field by index in the element record)
 * fingerprints by the field's name: reordering the record's fields changes
 * nothing, comparing another field does. */
START_TEST(fingerprint_names_key_fields)
{
    static const char facts[] = "facts coach {\n  id: text\n  certs: list of cert = []\n}\n";
    static const char rule[] = "program a \"A\" {\n  require \"x\": any c in certs where c.id = \"x\"\n}\n";
    static const char other[] = "program a \"A\" {\n  require \"x\": any c in certs where c.kind = \"x\"\n}\n";
    char text[512];
    snprintf(text, sizeof text, "%srecord cert { id: text  kind: text }\n%s", facts, rule);
    pw_program *p = compile_text(text);
    snprintf(text, sizeof text, "%srecord cert { kind: text  id: text }\n%s", facts, rule);
    pw_program *q = compile_text(text);
    snprintf(text, sizeof text, "%srecord cert { kind: text  id: text }\n%s", facts, other);
    pw_program *r = compile_text(text);
    ck_assert(fingerprint(p, "a", 0) == fingerprint(q, "a", 0));
    ck_assert(fingerprint(p, "a", 0) != fingerprint(r, "a", 0));
    pw_program_free(p);
    pw_program_free(q);
    pw_program_free(r);
}
END_TEST

static const pi_pair *pair_of(const pi_diff *d, const char *id)
{
    for (size_t k = 0; k < d->npairs; k++) {
        const pi_pair *pr = &d->pairs[k];
        if (strcmp(pr->has_new ? pr->new.id : pr->old.id, id) == 0)
            return pr;
    }
    ck_abort_msg("no pair %s", id);
    return NULL;
}

START_TEST(diff_matches_programs)
{
    pw_program *old = compile_text(FACTS
        "program s \"Starter\" {\n  require \"l1\": level >= 1\n}\n"
        "program c \"Club\" {\n  require \"l2\": level >= 2\n  require \"club\": club = \"x\"\n}\n"
        "program one \"One\" {\n  require \"l1\": level >= 1\n}\n"
        "program m \"M\" {\n  require \"l5\": level >= 5\n  require \"l6\": level >= 6\n}\n");
    pw_program *new = compile_text(FACTS
        "program starter \"Starter\" {\n  require \"l1\": level >= 1\n}\n"
        "program club \"Club 2027\" {\n  require \"l2\": level >= 2\n  require \"club\": club = \"x\"\n}\n"
        "program two \"Two\" {\n  require \"l1\": level >= 1\n}\n"
        "program m \"M\" {\n  require \"l5\": level >= 6\n  prefer \"l6\": level >= 6\n  require \"l7\": level >= 7\n}\n");
    pi_diff d;
    pw_error err;
    ck_assert_msg(pi_diff_init(&d, old, 0, new, 0, &err), "%s", err.message);
    ck_assert_uint_eq(d.npairs, 5);
    const pi_pair *s = pair_of(&d, "starter"), *c = pair_of(&d, "club"), *m = pair_of(&d, "m");
    ck_assert(s->kind == PI_RENAMED && strcmp(s->renamed_by, "title") == 0 && strcmp(s->old.id, "s") == 0);
    ck_assert(c->kind == PI_RENAMED && strcmp(c->renamed_by, "requirements") == 0 && c->what == PI_W_TITLE);
    /* One shared label is not enough to call two programs one. */
    ck_assert(pair_of(&d, "one")->kind == PI_REMOVED);
    ck_assert(pair_of(&d, "two")->kind == PI_ADDED);
    ck_assert(m->kind == PI_SAME);
    ck_assert_uint_eq(m->nchanges, 3);
    ck_assert(m->changes[0].kind == PI_REQ_CHANGED && m->changes[0].what == PI_W_CONDITION);
    ck_assert(m->changes[1].kind == PI_REQ_CHANGED && m->changes[1].what == PI_W_ROLE);
    ck_assert(m->changes[2].kind == PI_REQ_ADDED && strcmp(m->changes[2].label, "l7") == 0);
    ck_assert_uint_eq(d.max_reasons, 2);
    pi_diff_fini(&d);
    pw_program_free(old);
    pw_program_free(new);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("impact");
    TCase *tc = tcase_create("impact");
    tcase_add_test(tc, fingerprint_ignores_layout);
    tcase_add_test(tc, fingerprint_names_key_fields);
    tcase_add_test(tc, fingerprint_sees_changes);
    tcase_add_test(tc, diff_matches_programs);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
