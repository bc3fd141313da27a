/* The facts layer's branches (issue 23), through the public API on a rule
 * set whose record has every kind of field, bounds of each kind, optional
 * fields, a set and nested lists: each bad record or bad call gets the
 * exact message, with the field's path, and the exact status. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_helpers.h"
#include "check_main.h"
#include "facts/facts.h"
#include "pathway.h"

#include "facts_image.h"

static const char rules[] =
    "facts coach {\n"
    "  id: text\n"
    "  birth_date: date >= 1900-01-01 <= 2020-12-31\n"
    "  coaching_since: date? = none\n"
    "  nickname: text? = none\n"
    "  roles: set of text = []\n"
    "  athletes: integer >= 0 <= 1000 = 0\n"
    "  score: number >= 0 <= 100 = 0\n"
    "  ratio: number? = none\n"
    "  active: boolean = true\n"
    "  certificates: list of certificate = []\n"
    "  level: integer? <= 5 = none\n"
    "  weight: number <= 10 = 0\n"
    "  last_seen: date? <= 2100-01-01 = none\n"
    "}\n"
    "record certificate {\n"
    "  id: text\n"
    "  issued: date\n"
    "  expires: date?\n"
    "  modules: list of module = []\n"
    "}\n"
    "record module {\n"
    "  code: text\n"
    "  hours: number >= 0 = 0\n"
    "}\n"
    "define adult = years since birth_date >= 18\n"
    "program p \"P\" {\n"
    "  require \"adult\": adult\n"
    "  require \"athletes\": athletes >= 0 and score >= 0 and active\n"
    "  require \"certified\": (count c in certificates where c.id = \"x\") >= 0 and \"x\" in roles\n"
    "}\n";

static pw_program *prog;
static pw_context *ctx;

static void setup(void)
{
    pw_error err;
    ck_assert_msg(pw_compile_source("facts.pw", rules, strlen(rules), NULL, &prog, &err) == PW_OK, "%s", err.message);
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
}

static void teardown(void)
{
    pw_context_free(ctx);
    pw_program_free(prog);
}

/* Loads a JSON record; checks status, message and field path. */
static void json_fails(const char *json, pw_status st, const char *msg, const char *field)
{
    pw_error e;
    pw_status got = pw_context_set_json(ctx, json, strlen(json), &e);
    ck_assert_msg(got == st, "%s: got %s (%s)", json, pw_status_name(got), e.message);
    ck_assert_str_eq(e.message, msg);
    ck_assert_str_eq(e.field, field);
}

static void json_ok(const char *json)
{
    pw_error e;
    ck_assert_msg(pw_context_set_json(ctx, json, strlen(json), &e) == PW_OK, "%s: %s", json, e.message);
}

#define BASE "\"id\":\"a\",\"birth_date\":\"2000-01-01\""

START_TEST(test_bounds_from_json)
{
    json_ok("{" BASE ",\"athletes\":1000,\"score\":100,\"certificates\":[]}");
    json_fails("{" BASE ",\"athletes\":-1}", PW_ERR_FACTS, "`athletes`: -1 is below the minimum 0", "athletes");
    json_fails("{" BASE ",\"athletes\":1001}", PW_ERR_FACTS, "`athletes`: 1001 is above the maximum 1000", "athletes");
    json_fails("{" BASE ",\"score\":-0.5}", PW_ERR_FACTS, "`score`: -0.5 is below the minimum 0", "score");
    json_fails("{" BASE ",\"score\":100.5}", PW_ERR_FACTS, "`score`: 100.5 is above the maximum 100", "score");
    json_fails("{\"id\":\"a\",\"birth_date\":\"1899-12-31\"}", PW_ERR_FACTS,
               "`birth_date`: 1899-12-31 is below the minimum 1900-01-01", "birth_date");
    json_fails("{\"id\":\"a\",\"birth_date\":\"2021-01-01\"}", PW_ERR_FACTS,
               "`birth_date`: 2021-01-01 is above the maximum 2020-12-31", "birth_date");
    json_fails("{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":null,"
               "\"modules\":[{\"code\":\"m\",\"hours\":-1}]}]}",
               PW_ERR_FACTS, "`certificates[0].modules[0].hours`: -1 is below the minimum 0",
               "certificates[0].modules[0].hours");
}
END_TEST

START_TEST(test_wrong_types_from_json)
{
    json_fails("[]", PW_ERR_FACTS, "expected a JSON object, got an array", "");
    json_fails("{\"id\":1,\"birth_date\":\"2000-01-01\"}", PW_ERR_FACTS, "`id`: expected text, got 1", "id");
    json_fails("{" BASE ",\"active\":1}", PW_ERR_FACTS, "`active`: expected true or false, got 1", "active");
    json_fails("{" BASE ",\"score\":\"1\"}", PW_ERR_FACTS, "`score`: expected a number, got a string", "score");
    json_fails("{" BASE ",\"athletes\":1.5}", PW_ERR_FACTS, "`athletes`: expected an integer, got 1.5", "athletes");
    json_fails("{" BASE ",\"athletes\":1e2}", PW_ERR_FACTS, "`athletes`: expected an integer, got 1e2", "athletes");
    json_fails("{" BASE ",\"athletes\":12345678901234567890}", PW_ERR_FACTS,
               "`athletes`: integer 12345678901234567890 is out of range (magnitude at most 2^53)", "athletes");
    json_fails("{" BASE ",\"athletes\":9007199254740993}", PW_ERR_FACTS,
               "`athletes`: integer 9007199254740993 is out of range (magnitude at most 2^53)", "athletes");
    json_fails("{" BASE ",\"roles\":[\"a\",1]}", PW_ERR_FACTS, "`roles[1]`: expected text, got 1", "roles[1]");
    json_fails("{" BASE ",\"roles\":null}", PW_ERR_FACTS, "`roles`: expected a set of text, got null", "roles");
    json_fails("{" BASE ",\"certificates\":[1]}", PW_ERR_FACTS, "`certificates[0]`: expected a `certificate` object, got 1",
               "certificates[0]");
    json_fails("{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\"}]}", PW_ERR_FACTS,
               "`certificates[0]`: missing required field `expires`", "certificates[0].expires");
    json_fails("{\"id\":\"a\",\"birth_date\":\"2000-02-30\"}", PW_ERR_FACTS,
               "`birth_date`: invalid date \"2000-02-30\" (expected a real day as YYYY-MM-DD, years 1800-2999)",
               "birth_date");
    json_fails("{\"id\":\"a\",\"birth_date\":false}", PW_ERR_FACTS, "`birth_date`: expected a date \"YYYY-MM-DD\", got false",
               "birth_date");
    json_fails("{\"id\":\"a\",\"birth_date\":{}}", PW_ERR_FACTS, "`birth_date`: expected a date \"YYYY-MM-DD\", got an object",
               "birth_date");
}
END_TEST

/* Text and numbers the parser reads leniently, refused with their path. */
START_TEST(test_refused_text_and_numbers)
{
    json_fails("{" BASE ",\"nickname\":\"a\\u0000b\"}", PW_ERR_FACTS,
               "`nickname`: text holds \\u0000 (U+0000), which facts text and keys may not contain", "nickname");
    json_fails("{" BASE ",\"roles\":[\"x\",\"a\\u0000\"]}", PW_ERR_FACTS,
               "`roles[1]`: text holds \\u0000 (U+0000), which facts text and keys may not contain", "roles[1]");
    json_fails("{" BASE ",\"a\\u0000\":1}", PW_ERR_FACTS,
               "a key holds \\u0000 (U+0000), which facts text and keys may not contain", "");
    json_fails("{" BASE ",\"athletes\":01}", PW_ERR_FACTS,
               "`athletes`: 01 is not a JSON number (RFC 8259): it has a leading zero", "athletes");
    json_fails("{" BASE ",\"score\":1.}", PW_ERR_FACTS,
               "`score`: 1. is not a JSON number (RFC 8259): it has no digit on one side of the decimal point", "score");
    json_fails("{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":null,"
               "\"modules\":[{\"code\":\"m\",\"hours\":-.5}]}]}",
               PW_ERR_FACTS,
               "`certificates[0].modules[0].hours`: -.5 is not a JSON number (RFC 8259): it has no digit on one side "
               "of the decimal point",
               "certificates[0].modules[0].hours");
}
END_TEST

/* The field-by-field setters: paths, kinds, bounds, NULL and none. */
START_TEST(test_setter_paths)
{
    pw_error e;
#define SET_FAILS(call, msg)                                                             \
    do {                                                                                 \
        pw_status s_ = (call);                                                           \
        ck_assert_msg(s_ == PW_ERR_FACTS, "%s: %s (%s)", #call, pw_status_name(s_), e.message); \
        ck_assert_str_eq(e.message, msg);                                                \
    } while (0)
    SET_FAILS(pw_context_set_int(ctx, "", 1, &e), "invalid field path ``: expected a field name at offset 0");
    SET_FAILS(pw_context_set_int(ctx, "athletez", 1, &e), "no field `athletez` in record `coach` (did you mean `athletes`?)");
    SET_FAILS(pw_context_set_int(ctx, "zzzzzzzz", 1, &e), "no field `zzzzzzzz` in record `coach`");
    SET_FAILS(pw_context_set_int(ctx, "athletes]", 1, &e), "invalid field path `athletes]`: unexpected `]` at offset 8");
    SET_FAILS(pw_context_set_int(ctx, "athletes[x]", 1, &e), "invalid field path `athletes[x]`: expected an index at offset 9");
    SET_FAILS(pw_context_set_int(ctx, "roles[0", 1, &e), "invalid field path `roles[0`: expected `]` at offset 7");
    SET_FAILS(pw_context_set_int(ctx, "athletes[0]", 1, &e),
              "`athletes` is an integer field, not a list or set; it has no elements");
    SET_FAILS(pw_context_set_int(ctx, "athletes.x", 1, &e), "`athletes` is an integer field; it has no field `x`");
    SET_FAILS(pw_context_set_int(ctx, "certificates.id", 1, &e),
              "`certificates` is a list; name one element, as in `certificates[0].id`");
    SET_FAILS(pw_context_set_text(ctx, "certificates[0].id", "x", &e),
              "`certificates[0]`: index out of range (`certificates` has 0 elements)");
    SET_FAILS(pw_context_set_text(ctx, "roles[99999999999999999999999]", "x", &e),
              "`roles[99999999999999999999999]`: index out of range (`roles` has 0 elements)");
    size_t i = 9;
    ck_assert_int_eq(pw_context_add(ctx, "certificates", &i, &e), PW_OK);
    ck_assert_uint_eq(i, 0);
    SET_FAILS(pw_context_set_text(ctx, "certificates[1].id", "x", &e),
              "`certificates[1]`: index out of range (`certificates` has 1 element)");
    SET_FAILS(pw_context_set_text(ctx, "certificates[0]", "x", &e),
              "`certificates[0]` is a `certificate` element; name one of its fields, as in `certificates[0].id`");
    SET_FAILS(pw_context_set_text(ctx, "certificates[0]x", "x", &e),
              "invalid field path `certificates[0]x`: expected `.` at offset 15");
    SET_FAILS(pw_context_set_text(ctx, "certificates[0].nope", "x", &e),
              "`certificates[0]`: no field `nope` in record `certificate`");
    ck_assert_int_eq(pw_context_add(ctx, "certificates[0].modules", &i, &e), PW_OK);
    ck_assert_int_eq(pw_context_set_number(ctx, "certificates[0].modules[0].hours", 2.5, &e), PW_OK);
    SET_FAILS(pw_context_set_number(ctx, "certificates[0].modules[0].hours", -1, &e),
              "`certificates[0].modules[0].hours`: -1 is below the minimum 0");
    ck_assert_str_eq(e.field, "certificates[0].modules[0].hours");
    ck_assert_int_eq(pw_context_add(ctx, "roles", &i, &e), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "roles[0]", "x", &e), PW_OK);
    SET_FAILS(pw_context_set_text(ctx, "roles[0].x", "x", &e), "`roles[0]` is a text; it has no fields");
    /* Kinds. */
    SET_FAILS(pw_context_set_int(ctx, "id", 1, &e), "`id` is a text field; it cannot be set to an integer");
    SET_FAILS(pw_context_set_number(ctx, "id", 1, &e), "`id` is a text field; it cannot be set to a number");
    SET_FAILS(pw_context_set_bool(ctx, "id", 1, &e), "`id` is a text field; it cannot be set to true or false");
    SET_FAILS(pw_context_set_text(ctx, "active", "x", &e), "`active` is a boolean field; it cannot be set to text");
    SET_FAILS(pw_context_set_date(ctx, "id", 1, &e), "`id` is a text field; it cannot be set to a date");
    SET_FAILS(pw_context_set_none(ctx, "id", &e), "`id` is a text field, not optional; it cannot be set to none");
    SET_FAILS(pw_context_set_none(ctx, "roles", &e), "`roles` is a set field, not optional; it cannot be set to none");
    SET_FAILS(pw_context_add(ctx, "id", &i, &e), "`id` is a text field, not a list or set; no element can be added to it");
    /* Numbers into an integer field, and bounds of every kind. */
    SET_FAILS(pw_context_set_number(ctx, "athletes", 1.5, &e), "`athletes` is an integer field; 1.5 is not an integer");
    SET_FAILS(pw_context_set_number(ctx, "athletes", 1e16, &e),
              "`athletes`: integer 1e+16 is out of range (magnitude at most 2^53)");
    SET_FAILS(pw_context_set_number(ctx, "score", INFINITY, &e), "`score`: a number must be finite, got Infinity");
    SET_FAILS(pw_context_set_number(ctx, "score", -INFINITY, &e), "`score`: a number must be finite, got -Infinity");
    SET_FAILS(pw_context_set_number(ctx, "score", NAN, &e), "`score`: a number must be finite, got NaN");
    ck_assert_int_eq(pw_context_set_number(ctx, "athletes", 12, &e), PW_OK);
    ck_assert_int_eq(pw_context_set_int(ctx, "score", 100, &e), PW_OK);
    SET_FAILS(pw_context_set_int(ctx, "score", 101, &e), "`score`: 101 is above the maximum 100");
    SET_FAILS(pw_context_set_int(ctx, "athletes", 1001, &e), "`athletes`: 1001 is above the maximum 1000");
    SET_FAILS(pw_context_set_date(ctx, "birth_date", pw_test_day("1899-12-31"), &e),
              "`birth_date`: 1899-12-31 is below the minimum 1900-01-01");
    SET_FAILS(pw_context_set_date(ctx, "birth_date", PW_DATE_MAX, &e),
              "`birth_date`: day 2147483647 is outside the years 1800-2999");
    ck_assert_int_eq(pw_context_set_none(ctx, "ratio", &e), PW_OK);
    ck_assert_int_eq(pw_context_set_none(ctx, "certificates[0].expires", &e), PW_OK);
#undef SET_FAILS
}
END_TEST

/* A list grows past its first allocation; the elements set before stay. */
START_TEST(test_append_grows)
{
    pw_error e;
    char path[64];
    for (size_t k = 0; k < 20; k++) {
        size_t i;
        ck_assert_int_eq(pw_context_add(ctx, "certificates", &i, &e), PW_OK);
        ck_assert_uint_eq(i, k);
        snprintf(path, sizeof path, "certificates[%zu].id", k);
        ck_assert_int_eq(pw_context_set_text(ctx, path, k % 2 ? "odd" : "even", &e), PW_OK);
        ck_assert_int_eq(pw_context_add(ctx, "roles", &i, &e), PW_OK);
    }
    ck_assert_int_eq(pw_context_set_text(ctx, "certificates[19].id", "x", &e), PW_OK);
    /* The list from JSON is complete; adding to it keeps its elements. */
    json_ok("{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":null}]}");
    size_t i;
    ck_assert_int_eq(pw_context_add(ctx, "certificates", &i, &e), PW_OK);
    ck_assert_uint_eq(i, 1);
    ck_assert_int_eq(pw_context_set_text(ctx, "certificates[0].id", "y", &e), PW_OK);

    pw_limits lim;
    pw_limits_init(&lim);
    lim.max_list_items = 2;
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, &e), PW_OK);
    ck_assert_int_eq(pw_context_add(ctx, "certificates", &i, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "`certificates` already has 2 elements (the limit)");
    /* A list grown under a limit of 3 gets room for 3 (not 4), and all of it
     * is used. */
    lim.max_list_items = 3;
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, &e), PW_OK);
    for (size_t k = 0; k < 3; k++) {
        ck_assert_int_eq(pw_context_add(ctx, "roles", &i, &e), PW_OK);
        ck_assert_uint_eq(i, k);
        snprintf(path, sizeof path, "roles[%zu]", k);
        ck_assert_int_eq(pw_context_set_text(ctx, path, k ? "b" : "a", &e), PW_OK);
    }
    ck_assert_int_eq(pw_context_add(ctx, "roles", &i, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "`roles` already has 3 elements (the limit)");
    lim.max_list_items = 2;
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, &e), PW_OK);
    json_fails("{" BASE ",\"roles\":[\"a\",\"b\",\"c\"]}", PW_ERR_FACTS, "`roles`: more than 2 elements (the limit)", "roles");
    lim.max_list_items = 1;
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, &e), PW_OK);
    json_fails("{" BASE ",\"roles\":[\"a\",\"b\"]}", PW_ERR_FACTS, "`roles`: more than 1 element (the limit)", "roles");
    lim.max_list_items = 0;
    lim.max_json_depth = 1;
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, &e), PW_OK);
    json_fails("{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":null,"
               "\"modules\":[{\"code\":\"m\"}]}]}",
               PW_ERR_FACTS, "`certificates[0].modules`: nested deeper than the limit of 1 level",
               "certificates[0].modules");
}
END_TEST

/* Bounds with only a maximum, and optional bounded fields left null. */
START_TEST(test_one_sided_and_optional_bounds)
{
    json_ok("{" BASE ",\"level\":null,\"weight\":-5,\"last_seen\":null}");
    json_ok("{" BASE ",\"level\":-7,\"weight\":10,\"last_seen\":\"1800-01-01\"}");
    json_fails("{" BASE ",\"level\":6}", PW_ERR_FACTS, "`level`: 6 is above the maximum 5", "level");
    json_fails("{" BASE ",\"weight\":10.25}", PW_ERR_FACTS, "`weight`: 10.25 is above the maximum 10", "weight");
    json_fails("{" BASE ",\"last_seen\":\"2100-01-02\"}", PW_ERR_FACTS,
               "`last_seen`: 2100-01-02 is above the maximum 2100-01-01", "last_seen");
    pw_error e;
    ck_assert_int_eq(pw_context_set_none(ctx, "level", &e), PW_OK);
    ck_assert_int_eq(pw_context_set_int(ctx, "level", -100, &e), PW_OK);
    ck_assert_int_eq(pw_context_set_int(ctx, "level", 6, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "`level`: 6 is above the maximum 5");
}
END_TEST

/* More values of the wrong kind, and numbers only quoted in part. */
START_TEST(test_more_wrong_values)
{
    /* A whole number is quoted as written, not as 1e+02. */
    json_fails("{\"id\":100,\"birth_date\":\"2000-01-01\"}", PW_ERR_FACTS, "`id`: expected text, got 100", "id");
    json_fails("{" BASE ",\"active\":2500}", PW_ERR_FACTS, "`active`: expected true or false, got 2500", "active");
    json_fails("{" BASE ",\"athletes\":\"3\"}", PW_ERR_FACTS, "`athletes`: expected an integer, got a string", "athletes");
    json_fails("{" BASE ",\"athletes\":true}", PW_ERR_FACTS, "`athletes`: expected an integer, got true", "athletes");
    json_fails("{" BASE ",\"certificates\":{}}", PW_ERR_FACTS,
               "`certificates`: expected a list of `certificate` objects, got an object", "certificates");
    json_fails("{" BASE ",\"roles\":\"a\"}", PW_ERR_FACTS, "`roles`: expected a set of text, got a string", "roles");
    json_fails("{" BASE ",\"nickname\":[]}", PW_ERR_FACTS, "`nickname`: expected text or null, got an array", "nickname");
    json_fails("{" BASE ",\"coaching_since\":1}", PW_ERR_FACTS,
               "`coaching_since`: expected a date \"YYYY-MM-DD\" or null, got 1", "coaching_since");
    /* A number past 40 characters is quoted by its first 40 and "...". */
    json_fails("{" BASE ",\"athletes\":123456789012345678901234567890123456789012345}", PW_ERR_FACTS,
               "`athletes`: integer 1234567890123456789012345678901234567890... is out of range (magnitude at most 2^53)",
               "athletes");
    json_fails("{" BASE ",\"athletes\":0123456789012345678901234567890123456789012345}", PW_ERR_FACTS,
               "`athletes`: 0123456789012345678901234567890123456789... is not a JSON number (RFC 8259): it has a "
               "leading zero",
               "athletes");
    /* A text past 40 bytes is cut at a character's start. */
    char rec[512], want[256];
    snprintf(rec, sizeof rec, "{\"id\":\"a\",\"birth_date\":\"%s\"}",
             "2000-01-01xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xc3\xa9\xc3\xa9");
    snprintf(want, sizeof want,
             "`birth_date`: invalid date \"2000-01-01xxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" (expected a real day as "
             "YYYY-MM-DD, years 1800-2999)");
    json_fails(rec, PW_ERR_FACTS, want, "birth_date");
    /* Very small numbers keep their exponent. */
    pw_error e;
    ck_assert_int_eq(pw_context_set_number(ctx, "athletes", 1e-5, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "`athletes` is an integer field; 1e-05 is not an integer");
    ck_assert_int_eq(pw_context_set_number(ctx, "athletes", 0.25, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "`athletes` is an integer field; 0.25 is not an integer");
}
END_TEST

/* Lists from JSON hold no per-field given flags: setting a field of one of
 * their elements, setting it to none, and adding to a list inside one all
 * work on them. */
START_TEST(test_setters_on_json_lists)
{
    json_ok("{" BASE ",\"certificates\":[{\"id\":\"x\",\"issued\":\"2020-01-01\",\"expires\":\"2030-01-01\","
            "\"modules\":[{\"code\":\"m\",\"hours\":1}]}]}");
    pw_error e;
    ck_assert_int_eq(pw_context_set_text(ctx, "certificates[0].id", "y", &e), PW_OK);
    ck_assert_int_eq(pw_context_set_none(ctx, "certificates[0].expires", &e), PW_OK);
    ck_assert_int_eq(pw_context_set_number(ctx, "certificates[0].modules[0].hours", 3, &e), PW_OK);
    size_t i;
    ck_assert_int_eq(pw_context_add(ctx, "certificates[0].modules", &i, &e), PW_OK);
    ck_assert_uint_eq(i, 1);
    ck_assert_int_eq(pw_context_set_text(ctx, "certificates[0].modules[1].code", "n", &e), PW_OK);
    ck_assert_int_eq(pw_evaluate_all(ctx, pw_test_day("2026-01-01"), &e), PW_OK);
    /* Setters whose path does not resolve say so, whatever their kind. */
    ck_assert_int_eq(pw_context_set_number(ctx, "nope", 1, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "no field `nope` in record `coach`");
    ck_assert_int_eq(pw_context_set_date(ctx, "nope", 1, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "no field `nope` in record `coach`");
    ck_assert_int_eq(pw_context_set_none(ctx, "nope", &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "no field `nope` in record `coach`");
    ck_assert_int_eq(pw_context_set_bool(ctx, "nope", 1, &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "no field `nope` in record `coach`");
}
END_TEST

/* The facts layer called directly, as the API never calls it: no path, no
 * error buffer, a buffer too small, facts never initialised. */
START_TEST(test_facts_layer_arguments)
{
    (void)fi_node_image, (void)fi_req_image; /* facts_image.h's other layouts */
    pb_image *img = fi_coach_image();
    ck_assert_ptr_nonnull(img);
    pf_facts f;
    ck_assert(pf_init(&f, img));
    char err[128];
    ck_assert(!pf_set_int(&f, NULL, 1, err, sizeof err));
    ck_assert_str_eq(err, "no field path given");
    ck_assert(!pf_set_empty(&f, "nope", err, sizeof err));
    ck_assert_str_eq(err, "no field `nope` in record `coach`");
    ck_assert(!pf_set_empty(&f, "certificates[0].x", err, sizeof err));
    ck_assert_str_eq(err, "`certificates[0]`: index out of range (`certificates` has 0 elements)");
    /* No buffer, or none to write into: the answer alone. */
    ck_assert(!pf_set_int(&f, "nope", 1, NULL, 0));
    ck_assert(!pf_set_int(&f, "nope", 1, err, 0));
    ck_assert(!pf_load_json(&f, NULL, NULL, 0));
    /* A buffer too small holds the start of the message, NUL-terminated. */
    char tiny[8];
    ck_assert(!pf_set_int(&f, "nope", 1, tiny, sizeof tiny));
    ck_assert_str_eq(tiny, "no fiel");
    ck_assert(!pf_set_int(&f, "roles[0]", 1, tiny, sizeof tiny));
    ck_assert_str_eq(tiny, "`roles[");
    pf_fini(&f);
    pf_facts none;
    memset(&none, 0, sizeof none);
    ck_assert(!pf_set_int(&none, "id", 1, err, sizeof err));
    ck_assert_str_eq(err, "facts not initialised");
    ck_assert(!pf_load_json(&none, NULL, err, sizeof err));
    ck_assert_str_eq(err, "facts not initialised");
    ck_assert(!pf_complete(&none, err, sizeof err));
    ck_assert_str_eq(err, "facts not initialised");
    ck_assert(!pf_reset(&none));
    /* A buffer of size 0 is left alone. */
    strcpy(err, "unchanged");
    ck_assert(!pf_complete(&none, err, 0));
    ck_assert(!pf_load_json(&none, NULL, err, 0));
    ck_assert(!pf_set_int(&none, "id[", 1, err, 0));
    ck_assert_str_eq(err, "unchanged");
    ck_assert_ptr_null(pf_string(&none, 0));
    ck_assert_ptr_null(pf_string(NULL, 0));
    ck_assert_ptr_null(pf_to_cjson(&none));
    ck_assert_ptr_null(pf_to_cjson(NULL));
    pb_image_free(img);
}
END_TEST

/* Numbers in every form JSON allows: a number field takes them all, an
 * integer field refuses each that is not written as an integer, quoting it
 * as written, whatever white space comes before it. */
START_TEST(test_number_forms)
{
    json_ok("{" BASE ",\"score\":1E2,\"weight\":-2.5e-1,\"athletes\":\t7}");
    json_ok("{" BASE ",\"score\":\r\n 1e+1,\"weight\":1.25E+0}");
    json_fails("{" BASE ",\"athletes\":1E2}", PW_ERR_FACTS, "`athletes`: expected an integer, got 1E2", "athletes");
    json_fails("{" BASE ",\"athletes\":\t1e+2}", PW_ERR_FACTS, "`athletes`: expected an integer, got 1e+2", "athletes");
    json_fails("{" BASE ",\"athletes\":\r\n2.0}", PW_ERR_FACTS, "`athletes`: expected an integer, got 2.0", "athletes");
    json_fails("{" BASE ",\"athletes\": 1.50}", PW_ERR_FACTS, "`athletes`: expected an integer, got 1.50", "athletes");
    json_fails("{" BASE ",\"athletes\":0.00001}", PW_ERR_FACTS, "`athletes`: expected an integer, got 0.00001", "athletes");
    json_fails("{" BASE ",\"athletes\":-0.5}", PW_ERR_FACTS, "`athletes`: expected an integer, got -0.5", "athletes");
    json_fails("{" BASE ",\"roles\":[1E2]}", PW_ERR_FACTS, "`roles[0]`: expected text, got 1E2", "roles[0]");
}
END_TEST

/* pf_set_empty (no API call reaches it: a host has no way to give a
 * required list empty field by field) on a list inside a list from JSON,
 * whose elements keep no given flags. */
START_TEST(test_set_empty_in_json_list)
{
    pb_image *img = fi_nested_image();
    ck_assert_ptr_nonnull(img);
    pf_facts f;
    ck_assert(pf_init(&f, img));
    char err[128];
    static const char text[] = "{\"xs\":[{\"n\":1,\"ys\":[{\"c\":\"a\"}]}]}";
    cJSON *j = cJSON_ParseWithLengthOpts(text, strlen(text), NULL, 0);
    ck_assert_ptr_nonnull(j);
    ck_assert(pf_json_scan(j, text, strlen(text)));
    ck_assert_msg(pf_load_json(&f, j, err, sizeof err), "%s", err);
    cJSON_Delete(j);
    ck_assert_uint_eq(f.root[0].as.items[1].count, 1);
    ck_assert_msg(pf_set_empty(&f, "xs[0].ys", err, sizeof err), "%s", err);
    ck_assert_uint_eq(f.root[0].as.items[1].count, 0);
    ck_assert(pf_complete(&f, err, sizeof err));
    pf_fini(&f);
    pb_image_free(img);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("facts_branches");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_bounds_from_json);
    tcase_add_test(tc, test_wrong_types_from_json);
    tcase_add_test(tc, test_refused_text_and_numbers);
    tcase_add_test(tc, test_setter_paths);
    tcase_add_test(tc, test_append_grows);
    tcase_add_test(tc, test_one_sided_and_optional_bounds);
    tcase_add_test(tc, test_more_wrong_values);
    tcase_add_test(tc, test_setters_on_json_lists);
    tcase_add_test(tc, test_number_forms);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("layer");
    tcase_add_test(tl, test_facts_layer_arguments);
    tcase_add_test(tl, test_set_empty_in_json_list);
    suite_add_tcase(s, tl);
    return pw_run_suite(s);
}
