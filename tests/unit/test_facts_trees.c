/* The facts layer on what the public API never hands it, but its own
 * callers may: cJSON trees not made by the parser (tools pass trees from
 * pf_to_cjson; pf_load_json takes any), and loaded images the verifier
 * accepts but the compiler never makes (two fields of one name, a record
 * with no fields). Each gets the exact message or values; also the
 * setters' messages for an integer and a number field, a message cut to the caller's
 * buffer, and a quoted text that is not UTF-8. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "facts/facts.h"
#include "facts/facts_int.h"
#include "pathway.h"

#include "facts_image.h"

static pb_image *img;
static pf_facts f;
static char err[256];

static void coach_up(void)
{
    img = fi_coach_image();
    ck_assert_ptr_nonnull(img);
    ck_assert(pf_init(&f, img));
}

static void coach_down(void)
{
    pf_fini(&f);
    pb_image_free(img);
}

/* A coach record with its two required fields and one more member. */
static cJSON *coach_with(const char *name, cJSON *v)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", "c1");
    cJSON_AddStringToObject(o, "birth_date", "1990-01-01");
    cJSON_AddItemToObject(o, name, v);
    return o;
}

static void load_fails(cJSON *o, const char *msg)
{
    bool ok = pf_load_json(&f, o, err, sizeof err);
    cJSON_Delete(o);
    ck_assert_msg(!ok, "loaded; expected %s", msg);
    ck_assert_str_eq(err, msg);
}

static void load_ok(cJSON *o)
{
    bool ok = pf_load_json(&f, o, err, sizeof err);
    cJSON_Delete(o);
    ck_assert_msg(ok, "%s", err);
}

/* Numbers without their source text (no pf_json_scan): an integer field
 * judges the double, quoting it as pf_fmt_number writes it. */
START_TEST(test_numbers_without_text)
{
    load_fails(coach_with("athletes_coached", cJSON_CreateNumber(INFINITY)),
               "`athletes_coached`: expected an integer, got Infinity");
    load_fails(coach_with("athletes_coached", cJSON_CreateNumber(-1e300)),
               "`athletes_coached`: integer -1e+300 is out of range (magnitude at most 2^53)");
    load_fails(coach_with("athletes_coached", cJSON_CreateNumber(2.5)),
               "`athletes_coached`: expected an integer, got 2.5");
    load_ok(coach_with("athletes_coached", cJSON_CreateNumber(9007199254740992.0)));
    ck_assert_int_eq(f.root[FI_ATHLETES_COACHED].as.i, 9007199254740992LL);
}
END_TEST

/* A number's text given with the tree: leading zeros (which the pass
 * refuses before the loader sees them) are read past; text that is no
 * integer is quoted. */
START_TEST(test_number_text_given)
{
    cJSON *n = cJSON_CreateNumber(7);
    n->valuestring = malloc(4);
    memcpy(n->valuestring, "007", 4);
    load_ok(coach_with("athletes_coached", n));
    ck_assert_int_eq(f.root[FI_ATHLETES_COACHED].as.i, 7);
    n = cJSON_CreateNumber(0);
    n->valuestring = malloc(2);
    memcpy(n->valuestring, "-", 2);
    load_fails(coach_with("athletes_coached", n), "`athletes_coached`: expected an integer, got -");
}
END_TEST

/* A string node without its text reads as "" (text), an invalid date. */
START_TEST(test_string_without_text)
{
    cJSON *s = cJSON_CreateString("x");
    free(s->valuestring);
    s->valuestring = NULL;
    load_ok(coach_with("advanced_degree", s));
    ck_assert_str_eq(pf_string(&f, f.root[FI_ADVANCED_DEGREE].as.s), "");
    s = cJSON_CreateString("x");
    free(s->valuestring);
    s->valuestring = NULL;
    load_fails(coach_with("coaching_since", s),
               "`coaching_since`: invalid date \"\" (expected a real day as YYYY-MM-DD, years 1800-2999)");
}
END_TEST

/* A member without a key (an object's child added as to an array) matches
 * no field; a raw value is named as unsupported. */
START_TEST(test_odd_members)
{
    cJSON *o = coach_with("roles", cJSON_CreateArray());
    cJSON_AddItemToArray(o, cJSON_CreateNumber(5));
    load_ok(o);
    ck_assert_uint_eq(f.root[FI_ROLES].count, 0);
    load_fails(coach_with("advanced_degree", cJSON_CreateRaw("1")),
               "`advanced_degree`: expected text or null, got an unsupported JSON value");
}
END_TEST

/* A date that is not UTF-8, longer than the 40 bytes a message quotes:
 * no character starts in them, so none is quoted. */
START_TEST(test_quote_not_utf8)
{
    char bytes[51];
    memset(bytes, 0x80, 50);
    bytes[50] = '\0';
    load_fails(coach_with("coaching_since", cJSON_CreateString(bytes)),
               "`coaching_since`: invalid date \"...\" (expected a real day as YYYY-MM-DD, years 1800-2999)");
}
END_TEST

/* A message longer than the caller's buffer is cut to it. */
START_TEST(test_message_cut)
{
    char small[12];
    cJSON *o = coach_with("athletes_coached", cJSON_CreateString("x"));
    ck_assert(!pf_load_json(&f, o, small, sizeof small));
    cJSON_Delete(o);
    ck_assert_str_eq(small, "`athletes_c");
    /* Without a buffer, only the answer. */
    ck_assert(!pf_complete(&f, NULL, 0));
}
END_TEST

/* A list block whose size does not fit in memory's addresses is refused
 * before any allocation. */
START_TEST(test_list_too_big)
{
    ck_assert_ptr_null(pf_list_alloc(&f, UINT32_MAX, UINT32_MAX, true));
    ck_assert_ptr_nonnull(pf_list_alloc(&f, 4, 2, true));
}
END_TEST

/* The setters name an integer or a number field's type. */
START_TEST(test_field_kinds_named)
{
    ck_assert(!pf_set_text(&f, "athletes_coached", "x", err, sizeof err));
    ck_assert_str_eq(err, "`athletes_coached` is an integer field; it cannot be set to text");
    size_t at;
    ck_assert_msg(pf_append(&f, "courses", &at, err, sizeof err), "%s", err);
    ck_assert(!pf_set_text(&f, "courses[0].hours", "x", err, sizeof err));
    ck_assert_str_eq(err, "`courses[0].hours` is a number field; it cannot be set to text");
}
END_TEST

/* Images the compiler never makes. Two fields of one name: each takes the
 * member of that name (the lookup is no longer by order), whatever order
 * the record's keys come in. */
static const fi_field dup_fields[] = {
    {"n", PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 0}, 0, 0}},
    {"m", PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 0}, 0, 0}},
    {"n", PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 0}, 0, 0}},
};
static const fi_record dup_records[] = {{"r", dup_fields, FI_N(dup_fields)}};
static const fi_record empty_records[] = {{"r", NULL, 0}};

START_TEST(test_duplicate_field_names)
{
    (void)fi_nested_image, (void)fi_node_image, (void)fi_req_image, (void)fi_coach_image;
    pb_image *d = fi_build(dup_records, 1, NULL, 0);
    ck_assert_ptr_nonnull(d);
    pf_facts g;
    ck_assert(pf_init(&g, d));
    cJSON *o = cJSON_Parse("{\"m\":2,\"n\":3}");
    ck_assert_msg(pf_load_json(&g, o, err, sizeof err), "%s", err);
    cJSON_Delete(o);
    ck_assert_int_eq(g.root[0].as.i, 3);
    ck_assert_int_eq(g.root[1].as.i, 2);
    ck_assert_int_eq(g.root[2].as.i, 3);
    pf_fini(&g);
    pb_image_free(d);
}
END_TEST

/* A facts record with no fields: any object loads, and it is complete. */
START_TEST(test_empty_record)
{
    pb_image *e = fi_build(empty_records, 1, NULL, 0);
    ck_assert_ptr_nonnull(e);
    pf_facts g;
    ck_assert(pf_init(&g, e));
    cJSON *o = cJSON_Parse("{\"x\":1}");
    ck_assert_msg(pf_load_json(&g, o, err, sizeof err), "%s", err);
    cJSON_Delete(o);
    ck_assert(pf_complete(&g, err, sizeof err));
    cJSON *back = pf_to_cjson(&g);
    ck_assert_ptr_nonnull(back);
    ck_assert_ptr_null(back->child);
    cJSON_Delete(back);
    pf_fini(&g);
    pb_image_free(e);
}
END_TEST

/* Optional lists and sets, and a list of records with no fields: the
 * verifier lets them through (the compiler never makes them). A list or set
 * is never none, optional or not; an element of a record with no fields
 * has no field to name, neither as the example of a path nor as the
 * suggestion for a wrong one. */
static const fi_field odd_fields[] = {
    {"xs", PB_T_LIST, 1, 1, PB_DEF_EMPTY, {{0}, 0, 0}},
    {"ts", PB_T_SET, 1, 0, PB_DEF_EMPTY, {{0}, 0, 0}},
};
static const fi_record odd_records[] = {{"r", odd_fields, FI_N(odd_fields)}, {"e", NULL, 0}};

START_TEST(test_odd_lists)
{
    pb_image *oi = fi_build(odd_records, 2, NULL, 0);
    ck_assert_ptr_nonnull(oi);
    pf_facts g;
    ck_assert(pf_init(&g, oi));
    ck_assert(!pf_set_none(&g, "xs", err, sizeof err));
    ck_assert_str_eq(err, "`xs` is a list field, not optional; it cannot be set to none");
    ck_assert(!pf_set_none(&g, "ts", err, sizeof err));
    ck_assert_str_eq(err, "`ts` is a set field, not optional; it cannot be set to none");
    size_t i = 9;
    ck_assert_msg(pf_append(&g, "xs", &i, err, sizeof err), "%s", err);
    ck_assert_uint_eq(i, 0);
    ck_assert(!pf_set_int(&g, "xs[0]", 1, err, sizeof err));
    ck_assert_str_eq(err, "`xs[0]` is a `e` element; name one of its fields, as in `xs[0].field`");
    ck_assert(!pf_set_int(&g, "xs[0].v", 1, err, sizeof err));
    ck_assert_str_eq(err, "`xs[0]`: no field `v` in record `e`");
    pf_fini(&g);
    pb_image_free(oi);
}
END_TEST

/* Paths with a field name longer than a message shows of a path (160):
 * alone, it is shown whole, with no "..." for what was not left out; deep
 * down, the tail after "..." is that name (it used to be dropped, leaving
 * the path without its field); a set's element below a long name keeps
 * its index. */
static char long_l[171], long_m[131];
static fi_field long_fields[3];
static const fi_record long_records[] = {{"r", long_fields, 3}};

START_TEST(test_long_field_names)
{
    memset(long_l, 'l', 170);
    memset(long_m, 'm', 130);
    long_fields[0] = (fi_field){"xs", PB_T_LIST, 0, 0, PB_DEF_EMPTY, {{0}, 0, 0}};
    long_fields[1] = (fi_field){long_l, PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 0}, 0, 0}};
    long_fields[2] = (fi_field){long_m, PB_T_SET, 0, 0, PB_DEF_EMPTY, {{0}, 0, 0}};
    pb_image *li = fi_build(long_records, 1, NULL, 0);
    ck_assert_ptr_nonnull(li);
    pf_facts g;
    ck_assert(pf_init(&g, li));
    char msg[600], want[600], text[600];

    snprintf(text, sizeof text, "{\"%s\":\"x\"}", long_l);
    cJSON *o = cJSON_Parse(text);
    ck_assert(!pf_load_json(&g, o, msg, sizeof msg));
    cJSON_Delete(o);
    snprintf(want, sizeof want, "`%s`: expected an integer, got a string", long_l);
    ck_assert_str_eq(msg, want);

#define DEEP8(inner) "{\"xs\":[{\"xs\":[{\"xs\":[{\"xs\":[{\"xs\":[{\"xs\":[{\"xs\":[{\"xs\":[" inner "]}]}]}]}]}]}]}]}"
    snprintf(text, sizeof text, DEEP8("{\"%s\":\"x\"}"), long_l);
    o = cJSON_Parse(text);
    ck_assert_ptr_nonnull(o);
    ck_assert(!pf_load_json(&g, o, msg, sizeof msg));
    cJSON_Delete(o);
    snprintf(want, sizeof want, "`xs[0].xs[0].xs[0].xs[0].xs[0].xs[0].xs[0]...%s`: expected an integer, got a string",
             long_l);
    ck_assert_str_eq(msg, want);

    snprintf(text, sizeof text, DEEP8("{\"%s\":[\"a\",1]}"), long_m);
    o = cJSON_Parse(text);
    ck_assert_ptr_nonnull(o);
    ck_assert(!pf_load_json(&g, o, msg, sizeof msg));
    cJSON_Delete(o);
    ck_assert_str_eq(msg, "`xs[0].xs[0].xs[0].xs[0].xs[0].xs[0].xs[0]...[1]`: expected text, got 1");
    pf_fini(&g);
    pb_image_free(li);
}
END_TEST

/* Field types the verifier never lets through (void, a list's element):
 * the facts layer's words for them, a bound on a kind that has none (no
 * refusal), and no JSON for a record holding one. */
static const fi_field void_fields[] = {
    {"v", PB_T_VOID, 0, 0, PB_DEF_NONE, {{0}, 0, 0}},
};
static const fi_record void_records[] = {{"r", void_fields, 1}};

START_TEST(test_invalid_types)
{
    char buf[96];
    pb_type elem = {PB_T_ELEM, 1, 0};
    pf_expected(NULL, elem, buf, sizeof buf);
    ck_assert_str_eq(buf, "nothing (the image's field type is invalid) or null");
    ck_assert_str_eq(pf_type_noun((pb_type){PB_T_VOID, 0, 0}), "an invalid");
    pb_field text = {0};
    text.type = (pb_type){PB_T_TEXT, 0, 0};
    text.bounds = PB_BOUND_MIN | PB_BOUND_MAX;
    pv_value v;
    memset(&v, 0, sizeof v);
    ck_assert(pf_in_bounds(&text, &v, buf, sizeof buf));
    pb_image *vi = fi_build(void_records, 1, NULL, 0);
    ck_assert_ptr_nonnull(vi);
    pf_facts g;
    ck_assert(pf_init(&g, vi));
    ck_assert_ptr_null(pf_to_cjson(&g));
    pf_fini(&g);
    pb_image_free(vi);
}
END_TEST

/* The shortest form that reads back: some doubles need all 17 digits. */
START_TEST(test_number_seventeen_digits)
{
    char buf[40];
    pf_fmt_number(0.1 + 0.2, buf, sizeof buf);
    ck_assert_str_eq(buf, "0.30000000000000004");
    pf_fmt_number(1e300, buf, sizeof buf);
    ck_assert_str_eq(buf, "1e+300");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("facts_trees");
    TCase *tc = tcase_create("trees");
    tcase_add_checked_fixture(tc, coach_up, coach_down);
    tcase_add_test(tc, test_numbers_without_text);
    tcase_add_test(tc, test_number_text_given);
    tcase_add_test(tc, test_string_without_text);
    tcase_add_test(tc, test_odd_members);
    tcase_add_test(tc, test_quote_not_utf8);
    tcase_add_test(tc, test_message_cut);
    tcase_add_test(tc, test_field_kinds_named);
    tcase_add_test(tc, test_list_too_big);
    suite_add_tcase(s, tc);
    TCase *ti = tcase_create("images");
    tcase_add_test(ti, test_duplicate_field_names);
    tcase_add_test(ti, test_empty_record);
    tcase_add_test(ti, test_odd_lists);
    tcase_add_test(ti, test_long_field_names);
    tcase_add_test(ti, test_number_seventeen_digits);
    tcase_add_test(ti, test_invalid_types);
    suite_add_tcase(s, ti);
    return pw_run_suite(s);
}
