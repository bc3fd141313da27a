/* Facts: loading a coach record from JSON and field by field, against a hand
 * built image with the reference coach layout (facts_image.h). */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "facts/facts.h"
#include "pathway.h"
#include "util/date.h"

#include "facts_image.h"

static pb_image *img;
static pf_facts F;
static char err[512];

static void setup(void)
{
    img = fi_coach_image();
    ck_assert_ptr_nonnull(img);
    ck_assert(pf_init(&F, img));
}

static void teardown(void)
{
    pf_fini(&F);
    pb_image_free(img);
    img = NULL;
}

static cJSON *parse(const char *s)
{
    cJSON *j = cJSON_ParseWithLengthOpts(s, strlen(s), NULL, 0);
    ck_assert_msg(j != NULL, "test JSON does not parse: %s", s);
    return j;
}

/* Loads JSON text as the callers do (pf_json_scan, then pf_load_json);
 * returns the result, err holds the message. */
static bool load(pf_facts *f, const char *s)
{
    cJSON *j = parse(s);
    ck_assert(pf_json_scan(j, s, strlen(s)));
    bool ok = pf_load_json(f, j, err, sizeof err);
    cJSON_Delete(j);
    return ok;
}

static const pv_value *elem(const pv_value *list, uint32_t i, uint32_t nfields)
{
    ck_assert_uint_lt(i, list->count);
    return list->as.items + (size_t)i * nfields;
}

static const char *text(const pf_facts *f, const pv_value *v)
{
    ck_assert(!v->none);
    const char *s = pf_string(f, v->as.s);
    ck_assert_ptr_nonnull(s);
    return s;
}

static uint32_t nf(uint32_t rec)
{
    return img->records[rec].nfields;
}

/* ---- a full coach ---------------------------------------------------------- */

static const char *const full_coach =
    "{\"id\":\"C0001\",\"birth_date\":\"1980-05-17\",\"coaching_since\":\"2015-09-01\","
    "\"memberships\":[{\"body\":\"usatf\",\"expires\":\"2027-01-31\"},"
    "{\"body\":\"usatf-coaches-registry\",\"expires\":null,\"note\":\"ignored\"}],"
    "\"certificates\":[{\"id\":\"usatf-level-1\",\"issued\":\"2016-06-01\",\"expires\":null},"
    "{\"id\":\"usatf-level-2\",\"issued\":\"2019-07-15\",\"expires\":\"2029-07-15\",\"event_group\":\"jumps\"},"
    "{\"id\":\"my-own-cert\",\"issued\":\"2020-01-01\",\"expires\":null,\"event_group\":null}],"
    "\"roles\":[\"national-team-athlete\",\"primary-coach-state-hs-qualifier\",\"national-team-athlete\"],"
    "\"athletes_coached\":12,\"teaching_experience\":true,\"advanced_degree\":\"sport-science\","
    "\"background_checks\":[{\"kind\":\"safesport\",\"expires\":\"2026-12-31\"}],"
    "\"courses\":[{\"id\":\"first-aid\",\"completed\":\"2024-03-03\",\"hours\":2.5}],"
    "\"nickname\":\"ignored\",\"extra\":{\"deep\":[1,[2,[3]]]}}";

static void check_full_coach(const pf_facts *f)
{
    const pv_value *r = f->root;
    ck_assert_str_eq(text(f, &r[FI_ID]), "C0001");
    ck_assert_int_eq(r[FI_BIRTH_DATE].as.d, pu_from_ymd(1980, 5, 17));
    ck_assert(!r[FI_BIRTH_DATE].none);
    ck_assert_int_eq(r[FI_COACHING_SINCE].as.d, pu_from_ymd(2015, 9, 1));
    ck_assert(!r[FI_COACHING_SINCE].none);

    const pv_value *ms = &r[FI_MEMBERSHIPS];
    ck_assert_uint_eq(ms->count, 2);
    const pv_value *m0 = elem(ms, 0, nf(FI_MEMBERSHIP)), *m1 = elem(ms, 1, nf(FI_MEMBERSHIP));
    ck_assert_str_eq(text(f, &m0[0]), "usatf");
    ck_assert_uint_eq(m0[0].as.s, pb_find_string(img, "usatf", 5));
    ck_assert_int_eq(m0[1].as.d, pu_from_ymd(2027, 1, 31));
    ck_assert(!m0[1].none);
    ck_assert_str_eq(text(f, &m1[0]), "usatf-coaches-registry");
    ck_assert(m1[1].none);

    const pv_value *cs = &r[FI_CERTIFICATES];
    ck_assert_uint_eq(cs->count, 3);
    uint32_t cn = nf(FI_CERTIFICATE);
    const pv_value *c0 = elem(cs, 0, cn), *c1 = elem(cs, 1, cn), *c2 = elem(cs, 2, cn);
    ck_assert_str_eq(text(f, &c0[0]), "usatf-level-1");
    ck_assert_int_eq(c0[1].as.d, pu_from_ymd(2016, 6, 1));
    ck_assert(c0[2].none);
    ck_assert(c0[3].none); /* event_group absent */
    ck_assert_str_eq(text(f, &c1[0]), "usatf-level-2");
    ck_assert_int_eq(c1[2].as.d, pu_from_ymd(2029, 7, 15));
    ck_assert_str_eq(text(f, &c1[3]), "jumps");
    ck_assert_str_eq(text(f, &c2[0]), "my-own-cert");
    ck_assert(c2[3].none); /* event_group null */

    const pv_value *roles = &r[FI_ROLES];
    ck_assert_uint_eq(roles->count, 3);
    ck_assert_str_eq(text(f, &roles->as.items[0]), "national-team-athlete");
    ck_assert_str_eq(text(f, &roles->as.items[1]), "primary-coach-state-hs-qualifier");
    ck_assert_uint_eq(roles->as.items[0].as.s, roles->as.items[2].as.s);
    ck_assert_uint_ne(roles->as.items[0].as.s, roles->as.items[1].as.s);

    ck_assert_int_eq(r[FI_ATHLETES_COACHED].as.i, 12);
    ck_assert(r[FI_TEACHING_EXPERIENCE].as.b);
    ck_assert_str_eq(text(f, &r[FI_ADVANCED_DEGREE]), "sport-science");
    ck_assert_uint_lt(r[FI_ADVANCED_DEGREE].as.s, img->nstrings);

    const pv_value *bc = elem(&r[FI_BACKGROUND_CHECKS], 0, nf(FI_BACKGROUND_CHECK));
    ck_assert_uint_eq(r[FI_BACKGROUND_CHECKS].count, 1);
    ck_assert_str_eq(text(f, &bc[0]), "safesport");
    ck_assert_int_eq(bc[1].as.d, pu_from_ymd(2026, 12, 31));

    const pv_value *co = elem(&r[FI_COURSES], 0, nf(FI_COURSE));
    ck_assert_uint_eq(r[FI_COURSES].count, 1);
    ck_assert_str_eq(text(f, &co[0]), "first-aid");
    ck_assert_int_eq(co[1].as.d, pu_from_ymd(2024, 3, 3));
    ck_assert_double_eq(co[2].as.n, 2.5);
}

START_TEST(full_coach_loads)
{
    ck_assert_msg(load(&F, full_coach), "%s", err);
    check_full_coach(&F);
    /* Every root field counts as given after a load. */
    for (uint32_t j = 0; j < FI_COACH_NFIELDS; j++)
        ck_assert_uint_eq(F.given[j], 1);
    ck_assert_msg(pf_complete(&F, err, sizeof err), "%s", err);
    check_full_coach(&F);
}
END_TEST

START_TEST(defaults_applied)
{
    ck_assert_msg(load(&F, "{\"id\":\"C2\",\"birth_date\":\"2000-02-29\"}"), "%s", err);
    const pv_value *r = F.root;
    ck_assert_str_eq(text(&F, &r[FI_ID]), "C2");
    ck_assert_int_eq(r[FI_BIRTH_DATE].as.d, pu_from_ymd(2000, 2, 29));
    ck_assert(r[FI_COACHING_SINCE].none);
    ck_assert_uint_eq(r[FI_MEMBERSHIPS].count, 0);
    ck_assert_uint_eq(r[FI_CERTIFICATES].count, 0);
    ck_assert_uint_eq(r[FI_ROLES].count, 0);
    ck_assert_int_eq(r[FI_ATHLETES_COACHED].as.i, 0);
    ck_assert(!r[FI_ATHLETES_COACHED].none);
    ck_assert(!r[FI_TEACHING_EXPERIENCE].as.b);
    ck_assert(r[FI_ADVANCED_DEGREE].none);
    ck_assert_uint_eq(r[FI_BACKGROUND_CHECKS].count, 0);
    ck_assert_uint_eq(r[FI_COURSES].count, 0);
}
END_TEST

/* Valid oddities: each loads; the check function looks at one value. */
START_TEST(valid_edge_cases)
{
    /* null where allowed */
    ck_assert_msg(load(&F, "{\"id\":\"a\",\"birth_date\":\"1990-01-01\",\"coaching_since\":null,"
                           "\"advanced_degree\":null}"), "%s", err);
    ck_assert(F.root[FI_COACHING_SINCE].none);
    ck_assert(F.root[FI_ADVANCED_DEGREE].none);
    /* negative integers: range constraints are not the facts layer's */
    ck_assert_msg(load(&F, "{\"id\":\"a\",\"birth_date\":\"1990-01-01\",\"athletes_coached\":-3}"), "%s", err);
    ck_assert_int_eq(F.root[FI_ATHLETES_COACHED].as.i, -3);
    /* 2^53 itself, as written; a number field still takes 1e2 and 2.5; an
     * escaped backslash before u0000 is the text \u0000, not U+0000 */
    ck_assert_msg(load(&F, "{\"id\":\"a\",\"birth_date\":\"1990-01-01\",\"athletes_coached\":-9007199254740992}"), "%s", err);
    ck_assert_int_eq(F.root[FI_ATHLETES_COACHED].as.i, -9007199254740992LL);
    ck_assert_msg(load(&F, "{\"id\":\"a\\\\u0000\",\"birth_date\":\"1990-01-01\","
                           "\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\",\"hours\":1e2}]}"), "%s", err);
    ck_assert_str_eq(text(&F, &F.root[FI_ID]), "a\\u0000");
    ck_assert_double_eq(F.root[FI_COURSES].as.items[2].as.n, 100.0);
    ck_assert_msg(load(&F, "{\"id\":\"a\",\"birth_date\":\"1990-01-01\",\"athletes_coached\":9007199254740992}"), "%s", err);
    ck_assert_int_eq(F.root[FI_ATHLETES_COACHED].as.i, 9007199254740992LL);
    /* a number field takes integers */
    ck_assert_msg(load(&F, "{\"id\":\"a\",\"birth_date\":\"1990-01-01\","
                           "\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\",\"hours\":3}]}"), "%s", err);
    ck_assert_double_eq(F.root[FI_COURSES].as.items[2].as.n, 3.0);
    /* date range edges, leap day */
    ck_assert_msg(load(&F, "{\"id\":\"a\",\"birth_date\":\"1800-01-01\",\"coaching_since\":\"2999-12-31\"}"), "%s", err);
    ck_assert_int_eq(F.root[FI_BIRTH_DATE].as.d, pu_from_ymd(1800, 1, 1));
    ck_assert_int_eq(F.root[FI_COACHING_SINCE].as.d, pu_from_ymd(2999, 12, 31));
    /* a key given twice counts at its first occurrence */
    ck_assert_msg(load(&F, "{\"id\":\"first\",\"birth_date\":\"1990-01-01\",\"id\":\"second\"}"), "%s", err);
    ck_assert_str_eq(text(&F, &F.root[FI_ID]), "first");
    /* empty lists and empty text */
    ck_assert_msg(load(&F, "{\"id\":\"\",\"birth_date\":\"1990-01-01\",\"roles\":[],\"certificates\":[]}"), "%s", err);
    ck_assert_str_eq(text(&F, &F.root[FI_ID]), "");
    ck_assert_uint_eq(F.root[FI_ROLES].count, 0);
    /* zero, minus zero and a zero before the decimal point are JSON; a
     * tab between tokens is white space */
    ck_assert_msg(load(&F, "{\"id\":\"a\",\"birth_date\":\"1990-01-01\",\"athletes_coached\":0}"), "%s", err);
    ck_assert_int_eq(F.root[FI_ATHLETES_COACHED].as.i, 0);
    ck_assert_msg(load(&F, "{\"id\":\"a\",\t\"birth_date\":\"1990-01-01\",\"athletes_coached\":-0,"
                           "\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\",\"hours\":0.5e0}]}"), "%s", err);
    ck_assert_int_eq(F.root[FI_ATHLETES_COACHED].as.i, 0);
    ck_assert_double_eq(F.root[FI_COURSES].as.items[2].as.n, 0.5);
    /* Unicode text passes through */
    ck_assert_msg(load(&F, "{\"id\":\"Zo\\u00eb\",\"birth_date\":\"1990-01-01\"}"), "%s", err);
    ck_assert_str_eq(text(&F, &F.root[FI_ID]), "Zo\xc3\xab");
}
END_TEST

/* ---- errors ---------------------------------------------------------------- */

typedef struct err_case {
    const char *json;
    const char *message;
} err_case;

#define BASE "\"id\":\"C1\",\"birth_date\":\"1990-01-01\""

static const err_case err_cases[] = {
    {"{}", "missing required field `id`"},
    {"{\"birth_date\":\"1990-01-01\"}", "missing required field `id`"},
    {"{\"id\":\"C1\"}", "missing required field `birth_date`"},
    {"{\"id\":\"C1\",\"birth_date\":null}", "`birth_date`: expected a date \"YYYY-MM-DD\", got null"},
    {"{\"id\":null,\"birth_date\":\"1990-01-01\"}", "`id`: expected text, got null"},
    {"{\"id\":5,\"birth_date\":\"1990-01-01\"}", "`id`: expected text, got 5"},
    {"{\"id\":true,\"birth_date\":\"1990-01-01\"}", "`id`: expected text, got true"},
    {"{" BASE ",\"roles\":null}", "`roles`: expected a set of text, got null"},
    {"{" BASE ",\"roles\":\"a\"}", "`roles`: expected a set of text, got a string"},
    {"{" BASE ",\"roles\":[\"a\",null]}", "`roles[1]`: expected text, got null"},
    {"{" BASE ",\"roles\":[\"a\",[\"b\"]]}", "`roles[1]`: expected text, got an array"},
    {"{\"id\":\"C1\",\"birth_date\":\"2026-02-30\"}",
     "`birth_date`: invalid date \"2026-02-30\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    {"{\"id\":\"C1\",\"birth_date\":\"1799-12-31\"}",
     "`birth_date`: invalid date \"1799-12-31\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    {"{\"id\":\"C1\",\"birth_date\":\"3000-01-01\"}",
     "`birth_date`: invalid date \"3000-01-01\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    {"{\"id\":\"C1\",\"birth_date\":\"1990-1-1\"}",
     "`birth_date`: invalid date \"1990-1-1\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    {"{\"id\":\"C1\",\"birth_date\":\"1990-01-01T00:00\"}",
     "`birth_date`: invalid date \"1990-01-01T00:00\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    /* shown as text outputs show text from outside (pu_escape_text):
     * controls, bidi and bytes that are not UTF-8 visible, the rest as is */
    {"{\"id\":\"C1\",\"birth_date\":\"a\\\"b\\\\c\\nd\"}",
     "`birth_date`: invalid date \"a\"b\\c\\x0ad\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    {"{\"id\":\"C1\",\"birth_date\":\"x\\u001b[2J\\u202e\\u0085\xff\"}",
     "`birth_date`: invalid date \"x\\x1b[2J\\u202e\\u0085\\xff\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    {"{\"id\":\"C1\",\"birth_date\":\"0123456789012345678901234567890123456\u00e9\u00e9\"}",
     "`birth_date`: invalid date \"0123456789012345678901234567890123456\u00e9...\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    {"{\"id\":\"C1\",\"birth_date\":\"0123456789012345678901234567890123456789TOO-LONG\"}",
     "`birth_date`: invalid date \"0123456789012345678901234567890123456789...\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    {"{\"id\":\"C1\",\"birth_date\":19900101}", "`birth_date`: expected a date \"YYYY-MM-DD\", got 19900101"},
    {"{" BASE ",\"coaching_since\":5}", "`coaching_since`: expected a date \"YYYY-MM-DD\" or null, got 5"},
    {"{" BASE ",\"athletes_coached\":2.5}", "`athletes_coached`: expected an integer, got 2.5"},
    {"{" BASE ",\"athletes_coached\":-0.1}", "`athletes_coached`: expected an integer, got -0.1"},
    {"{" BASE ",\"athletes_coached\":\"3\"}", "`athletes_coached`: expected an integer, got a string"},
    {"{" BASE ",\"athletes_coached\":null}", "`athletes_coached`: expected an integer, got null"},
    {"{" BASE ",\"athletes_coached\":[]}", "`athletes_coached`: expected an integer, got an array"},
    {"{" BASE ",\"athletes_coached\":{}}", "`athletes_coached`: expected an integer, got an object"},
    {"{" BASE ",\"athletes_coached\":1e300}", "`athletes_coached`: expected an integer, got 1e300"},
    /* Integers as written: no exponent or fraction even when the value is
     * whole, and no rounding past 2^53 (the message quotes the record). */
    {"{" BASE ",\"athletes_coached\":1e2}", "`athletes_coached`: expected an integer, got 1e2"},
    {"{" BASE ",\"athletes_coached\":1.0}", "`athletes_coached`: expected an integer, got 1.0"},
    {"{" BASE ",\"athletes_coached\":1E15}", "`athletes_coached`: expected an integer, got 1E15"},
    {"{" BASE ",\"athletes_coached\":2.50}", "`athletes_coached`: expected an integer, got 2.50"},
    {"{" BASE ",\"athletes_coached\": 9007199254740993}",
     "`athletes_coached`: integer 9007199254740993 is out of range (magnitude at most 2^53)"},
    {"{" BASE ",\"athletes_coached\":-9007199254740993}",
     "`athletes_coached`: integer -9007199254740993 is out of range (magnitude at most 2^53)"},
    /* Numbers RFC 8259 does not allow, though cJSON's strtod reads them:
     * refused in any field, at the number's path, quoted as written. */
    {"{" BASE ",\"athletes_coached\":01}",
     "`athletes_coached`: 01 is not a JSON number (RFC 8259): it has a leading zero"},
    {"{" BASE ",\"athletes_coached\":-01}",
     "`athletes_coached`: -01 is not a JSON number (RFC 8259): it has a leading zero"},
    {"{" BASE ",\"athletes_coached\": 007 }",
     "`athletes_coached`: 007 is not a JSON number (RFC 8259): it has a leading zero"},
    {"{" BASE ",\"athletes_coached\":00}",
     "`athletes_coached`: 00 is not a JSON number (RFC 8259): it has a leading zero"},
    {"{" BASE ",\"athletes_coached\":1.}",
     "`athletes_coached`: 1. is not a JSON number (RFC 8259): it has no digit on one side of the decimal point"},
    {"{" BASE ",\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\",\"hours\":00.5}]}",
     "`courses[0].hours`: 00.5 is not a JSON number (RFC 8259): it has a leading zero"},
    {"{" BASE ",\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\",\"hours\":-.5}]}",
     "`courses[0].hours`: -.5 is not a JSON number (RFC 8259): it has no digit on one side of the decimal point"},
    {"{" BASE ",\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\",\"hours\":1.e5}]}",
     "`courses[0].hours`: 1.e5 is not a JSON number (RFC 8259): it has no digit on one side of the decimal point"},
    /* in a field the record does not declare, too: the text is not JSON */
    {"{" BASE ",\"note\":{\"n\":[1,02]}}",
     "`note.n[1]`: 02 is not a JSON number (RFC 8259): it has a leading zero"},
    /* U+0000 before the bad number is found first, in document order */
    {"{\"id\":\"a\\u0000\",\"birth_date\":\"1990-01-01\",\"athletes_coached\":01}",
     "`id`: text holds \\u0000 (U+0000), which facts text and keys may not contain"},
    /* a number read whole, then a raw control character, which cJSON skips
     * as white space: the number is not to blame */
    {"{" BASE ",\"athletes_coached\":5\x01}",
     "not valid JSON (RFC 8259) at byte 58: invalid char in json text"},
    {"{" BASE ",\"roles\":[\"a\"],\"x\":[1,22\x01]}",
     "not valid JSON (RFC 8259) at byte 61: invalid char in json text"},
    /* a raw control character inside text (cJSON takes it, JSON does not) */
    {"{" BASE ",\"advanced_degree\":\"a\tb\"}",
     "not valid JSON (RFC 8259) at byte 58: invalid character inside string"},
    {"{" BASE ",\"advanced_degree\":\"a\x1b[2Jb\",\"athletes_coached\":3}",
     "not valid JSON (RFC 8259) at byte 58: invalid character inside string"},
    /* Text, keys and ids holding U+0000 (cJSON would cut them short). */
    {"{" BASE ",\"memberships\":[{\"body\":\"usatf\\u0000-expired-2001\",\"expires\":null}]}",
     "`memberships[0].body`: text holds \\u0000 (U+0000), which facts text and keys may not contain"},
    {"{\"id\":\"C0001\\u0000\",\"birth_date\":\"1990-01-01\"}",
     "`id`: text holds \\u0000 (U+0000), which facts text and keys may not contain"},
    {"{" BASE ",\"roles\":[\"a\",\"b\\u0000\"]}",
     "`roles[1]`: text holds \\u0000 (U+0000), which facts text and keys may not contain"},
    {"{" BASE ",\"certificates\":[{\"id\":\"a\",\"issued\":\"2020-01-01\",\"expires\":null,\"x\\u0000\":1}]}",
     "`certificates[0]`: a key holds \\u0000 (U+0000), which facts text and keys may not contain"},
    {"{" BASE ",\"athletes_coached\":9007199254740994}",
     "`athletes_coached`: integer 9007199254740994 is out of range (magnitude at most 2^53)"},
    {"{" BASE ",\"teaching_experience\":\"yes\"}", "`teaching_experience`: expected true or false, got a string"},
    {"{" BASE ",\"teaching_experience\":1}", "`teaching_experience`: expected true or false, got 1"},
    {"{" BASE ",\"teaching_experience\":null}", "`teaching_experience`: expected true or false, got null"},
    {"{" BASE ",\"advanced_degree\":[]}", "`advanced_degree`: expected text or null, got an array"},
    {"{" BASE ",\"certificates\":null}", "`certificates`: expected a list of `certificate` objects, got null"},
    {"{" BASE ",\"certificates\":{}}", "`certificates`: expected a list of `certificate` objects, got an object"},
    {"{" BASE ",\"certificates\":[5]}", "`certificates[0]`: expected a `certificate` object, got 5"},
    {"{" BASE ",\"certificates\":[[]]}", "`certificates[0]`: expected a `certificate` object, got an array"},
    {"{" BASE ",\"certificates\":[{\"id\":\"a\",\"issued\":\"2026-02-30\",\"expires\":null}]}",
     "`certificates[0].issued`: invalid date \"2026-02-30\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
    /* `expires` must be present in a certificate even though it may be null */
    {"{" BASE ",\"certificates\":[{\"id\":\"a\",\"issued\":\"2020-01-01\"}]}",
     "`certificates[0]`: missing required field `expires`"},
    {"{" BASE ",\"certificates\":[{\"id\":\"a\",\"issued\":\"2020-01-01\",\"expires\":null},"
     "{\"id\":\"b\",\"issued\":\"2020-01-01\",\"expires\":null},{\"id\":\"c\",\"expires\":null}]}",
     "`certificates[2]`: missing required field `issued`"},
    {"{" BASE ",\"certificates\":[{\"id\":\"a\",\"issued\":\"2020-01-01\",\"expires\":null,\"event_group\":5}]}",
     "`certificates[0].event_group`: expected text or null, got 5"},
    {"{" BASE ",\"memberships\":[{\"body\":null,\"expires\":null}]}",
     "`memberships[0].body`: expected text, got null"},
    {"{" BASE ",\"memberships\":[{\"body\":\"usatf\"}]}", "`memberships[0]`: missing required field `expires`"},
    {"{" BASE ",\"background_checks\":[{\"kind\":\"dbs\",\"expires\":null}]}",
     "`background_checks[0].expires`: expected a date \"YYYY-MM-DD\", got null"},
    {"{" BASE ",\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\",\"hours\":\"2\"}]}",
     "`courses[0].hours`: expected a number, got a string"},
    {"{" BASE ",\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\",\"hours\":1e999}]}",
     "`courses[0].hours`: expected a number, got 1e999"},
    {"{" BASE ",\"courses\":[{\"id\":\"x\",\"completed\":\"2020-01-01\"}]}",
     "`courses[0]`: missing required field `hours`"},
    /* not an object */
    {"[]", "expected a JSON object, got an array"},
    {"[{\"id\":\"C1\",\"birth_date\":\"1990-01-01\"}]", "expected a JSON object, got an array"},
    {"5", "expected a JSON object, got 5"},
    {"\"x\"", "expected a JSON object, got a string"},
    {"null", "expected a JSON object, got null"},
    /* the first bad field in declaration order is reported */
    {"{\"athletes_coached\":2.5,\"id\":\"C1\",\"birth_date\":\"bad\"}",
     "`birth_date`: invalid date \"bad\" (expected a real day as YYYY-MM-DD, years 1800-2999)"},
};

START_TEST(load_errors)
{
    const err_case *c = &err_cases[_i];
    /* A good record first, so that a failed load visibly resets it. */
    ck_assert_msg(load(&F, full_coach), "%s", err);
    ck_assert_msg(!load(&F, c->json), "case %d loaded: %s", _i, c->json);
    ck_assert_msg(strcmp(err, c->message) == 0, "case %d: %s\n got: %s\n want: %s", _i, c->json,
                  err, c->message);
    /* After a failed load the record is reset: nothing is given. */
    for (uint32_t j = 0; j < FI_COACH_NFIELDS; j++)
        ck_assert_uint_eq(F.given[j], 0);
    ck_assert_uint_eq(F.nextra, 0);
    ck_assert(!pf_complete(&F, err, sizeof err));
    ck_assert_str_eq(err, "missing required field `id`");
}
END_TEST

/* Through the library's entry point: a number JSON does not allow is a
 * facts error naming the field, and the context keeps no half record. */
START_TEST(context_set_json_numbers)
{
    static const char rules[] = "facts coach {\n  id: text\n  n: integer\n}\n"
                                "program p \"P\" {\n  require \"some\": n > 0\n}\n";
    pw_program *p = NULL;
    pw_context *ctx = NULL;
    pw_error e;
    ck_assert_int_eq(pw_compile_source("n.pw", rules, strlen(rules), NULL, &p, &e), PW_OK);
    ck_assert_int_eq(pw_context_new(p, &ctx, &e), PW_OK);
    static const char *const bad[][3] = {
        {"{\"id\":\"a\",\"n\":01}", "n", "`n`: 01 is not a JSON number (RFC 8259): it has a leading zero"},
        {"{\"id\":\"a\",\n \"n\": -007}", "n", "`n`: -007 is not a JSON number (RFC 8259): it has a leading zero"},
        {"{\"id\":\"a\",\"n\":1.}", "n",
         "`n`: 1. is not a JSON number (RFC 8259): it has no digit on one side of the decimal point"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(pw_context_set_json(ctx, bad[i][0], strlen(bad[i][0]), &e), PW_ERR_FACTS);
        ck_assert_str_eq(e.field, bad[i][1]);
        ck_assert_msg(strstr(e.message, bad[i][2]) != NULL, "case %zu: %s", i, e.message);
    }
    const char *good = "{\"id\":\"a\",\"n\":10}";
    ck_assert_int_eq(pw_context_set_json(ctx, good, strlen(good), &e), PW_OK);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

START_TEST(error_buffer_edge_cases)
{
    cJSON *j = parse("{}");
    /* no buffer, tiny buffer: no crash, NUL-terminated */
    ck_assert(!pf_load_json(&F, j, NULL, 0));
    char small[8];
    memset(small, 'x', sizeof small);
    ck_assert(!pf_load_json(&F, j, small, sizeof small));
    ck_assert_str_eq(small, "missing");
    ck_assert(!pf_load_json(&F, NULL, err, sizeof err));
    ck_assert_str_eq(err, "expected a JSON object, got nothing");
    cJSON_Delete(j);
}
END_TEST

/* ---- interning ------------------------------------------------------------- */

START_TEST(interning)
{
    ck_assert_msg(load(&F, "{\"id\":\"usatf\",\"birth_date\":\"1990-01-01\","
                           "\"advanced_degree\":\"basket-weaving\","
                           "\"roles\":[\"basket-weaving\",\"x\",\"usatf-level-2\",\"x\"]}"), "%s", err);
    const pv_value *r = F.root;
    uint32_t known = pb_find_string(img, "usatf", 5);
    ck_assert_uint_ne(known, PB_NO_STRING);
    ck_assert_uint_eq(r[FI_ID].as.s, known);
    const pv_value *roles = r[FI_ROLES].as.items;
    uint32_t bw = r[FI_ADVANCED_DEGREE].as.s;
    ck_assert_uint_ge(bw, img->nstrings);
    ck_assert_uint_eq(roles[0].as.s, bw);
    ck_assert_uint_ge(roles[1].as.s, img->nstrings);
    ck_assert_uint_ne(roles[1].as.s, bw);
    ck_assert_uint_eq(roles[1].as.s, roles[3].as.s);
    ck_assert_uint_eq(roles[2].as.s, pb_find_string(img, "usatf-level-2", 13));
    ck_assert_uint_eq(F.nextra, 2);
    ck_assert_str_eq(pf_string(&F, bw), "basket-weaving");
    ck_assert_str_eq(pf_string(&F, roles[1].as.s), "x");
    ck_assert_str_eq(pf_string(&F, known), "usatf");
    ck_assert_ptr_null(pf_string(&F, img->nstrings + 2));
    ck_assert_ptr_null(pf_string(&F, UINT32_MAX));

    /* The next record starts a new table: ids are reused, old ones vanish. */
    ck_assert_msg(load(&F, "{\"id\":\"y\",\"birth_date\":\"1990-01-01\"}"), "%s", err);
    ck_assert_uint_eq(F.nextra, 1);
    ck_assert_uint_eq(F.root[FI_ID].as.s, img->nstrings);
    ck_assert_str_eq(pf_string(&F, img->nstrings), "y");
    ck_assert_ptr_null(pf_string(&F, img->nstrings + 1));

    ck_assert(pf_reset(&F));
    ck_assert_uint_eq(F.nextra, 0);
    ck_assert_ptr_null(pf_string(&F, img->nstrings));
}
END_TEST

/* Many distinct texts grow the table; a following small record clears it. */
START_TEST(interning_many)
{
    enum { N = 5000 };
    size_t cap = 64 + (size_t)N * 24;
    char *js = malloc(cap);
    ck_assert_ptr_nonnull(js);
    size_t pos = (size_t)snprintf(js, cap, "{\"id\":\"x\",\"birth_date\":\"1990-01-01\",\"roles\":[");
    for (int i = 0; i < N; i++)
        pos += (size_t)snprintf(js + pos, cap - pos, "%s\"t%d\",\"t%d\"", i ? "," : "", i, i);
    snprintf(js + pos, cap - pos, "]}");
    for (int round = 0; round < 2; round++) {
        ck_assert_msg(load(&F, js), "%s", err);
        const pv_value *roles = F.root[FI_ROLES].as.items;
        ck_assert_uint_eq(F.root[FI_ROLES].count, 2 * N);
        ck_assert_uint_eq(F.nextra, N + 1);
        for (int i = 0; i < N; i++) {
            char want[16];
            snprintf(want, sizeof want, "t%d", i);
            ck_assert_uint_eq(roles[2 * i].as.s, roles[2 * i + 1].as.s);
            ck_assert_str_eq(pf_string(&F, roles[2 * i].as.s), want);
            if (i)
                ck_assert_uint_ne(roles[2 * i].as.s, roles[2 * i - 2].as.s);
        }
        /* a small record: the sparse clear path, then lookups still work */
        ck_assert_msg(load(&F, "{\"id\":\"t1\",\"birth_date\":\"1990-01-01\",\"roles\":[\"t1\",\"t2\"]}"), "%s", err);
        ck_assert_uint_eq(F.nextra, 2);
        ck_assert_uint_eq(F.root[FI_ID].as.s, F.root[FI_ROLES].as.items[0].as.s);
        ck_assert_str_eq(pf_string(&F, F.root[FI_ROLES].as.items[1].as.s), "t2");
    }
    free(js);
}
END_TEST

/* ---- field by field ------------------------------------------------------- */

#define OK(call) ck_assert_msg((call), "%s: %s", #call, err)

static void build_full_coach(pf_facts *f)
{
    size_t i;
    OK(pf_set_text(f, "id", "C0001", err, sizeof err));
    OK(pf_set_date(f, "birth_date", pu_from_ymd(1980, 5, 17), err, sizeof err));
    OK(pf_set_date(f, "coaching_since", pu_from_ymd(2015, 9, 1), err, sizeof err));
    OK(pf_append(f, "memberships", &i, err, sizeof err));
    ck_assert_uint_eq(i, 0);
    OK(pf_set_text(f, "memberships[0].body", "usatf", err, sizeof err));
    OK(pf_set_date(f, "memberships[0].expires", pu_from_ymd(2027, 1, 31), err, sizeof err));
    OK(pf_append(f, "memberships", &i, err, sizeof err));
    ck_assert_uint_eq(i, 1);
    OK(pf_set_text(f, "memberships[1].body", "usatf-coaches-registry", err, sizeof err));
    OK(pf_set_none(f, "memberships[1].expires", err, sizeof err));
    OK(pf_append(f, "certificates", NULL, err, sizeof err));
    OK(pf_append(f, "certificates", NULL, err, sizeof err));
    OK(pf_append(f, "certificates", &i, err, sizeof err));
    ck_assert_uint_eq(i, 2);
    OK(pf_set_text(f, "certificates[0].id", "usatf-level-1", err, sizeof err));
    OK(pf_set_date(f, "certificates[0].issued", pu_from_ymd(2016, 6, 1), err, sizeof err));
    OK(pf_set_none(f, "certificates[0].expires", err, sizeof err));
    OK(pf_set_text(f, "certificates[1].id", "usatf-level-2", err, sizeof err));
    OK(pf_set_date(f, "certificates[1].issued", pu_from_ymd(2019, 7, 15), err, sizeof err));
    OK(pf_set_date(f, "certificates[1].expires", pu_from_ymd(2029, 7, 15), err, sizeof err));
    OK(pf_set_text(f, "certificates[1].event_group", "jumps", err, sizeof err));
    OK(pf_set_text(f, "certificates[2].id", "my-own-cert", err, sizeof err));
    OK(pf_set_date(f, "certificates[2].issued", pu_from_ymd(2020, 1, 1), err, sizeof err));
    OK(pf_set_none(f, "certificates[2].expires", err, sizeof err));
    OK(pf_set_none(f, "certificates[2].event_group", err, sizeof err));
    const char *roles[] = {"national-team-athlete", "primary-coach-state-hs-qualifier",
                           "national-team-athlete"};
    for (int k = 0; k < 3; k++) {
        char path[32];
        OK(pf_append(f, "roles", &i, err, sizeof err));
        ck_assert_str_eq(pf_string(f, f->root[FI_ROLES].as.items[i].as.s), "");
        snprintf(path, sizeof path, "roles[%zu]", i);
        OK(pf_set_text(f, path, roles[k], err, sizeof err));
    }
    OK(pf_set_int(f, "athletes_coached", 12, err, sizeof err));
    OK(pf_set_bool(f, "teaching_experience", true, err, sizeof err));
    OK(pf_set_text(f, "advanced_degree", "sport-science", err, sizeof err));
    OK(pf_append(f, "background_checks", NULL, err, sizeof err));
    OK(pf_set_text(f, "background_checks[0].kind", "safesport", err, sizeof err));
    OK(pf_set_date(f, "background_checks[0].expires", pu_from_ymd(2026, 12, 31), err, sizeof err));
    OK(pf_append(f, "courses", NULL, err, sizeof err));
    OK(pf_set_text(f, "courses[0].id", "first-aid", err, sizeof err));
    OK(pf_set_date(f, "courses[0].completed", pu_from_ymd(2024, 3, 3), err, sizeof err));
    OK(pf_set_number(f, "courses[0].hours", 2.5, err, sizeof err));
}

/* Structural equality of two records under the image's layout; texts compared
 * by content. */
static void same_record(const pf_facts *a, const pv_value *va, const pf_facts *b,
                        const pv_value *vb, uint32_t rec)
{
    const pb_record *r = &img->records[rec];
    for (uint32_t j = 0; j < r->nfields; j++) {
        const pb_field *fld = &img->fields[r->first_field + j];
        const char *name = img->strings[fld->name];
        const pv_value *x = &va[j], *y = &vb[j];
        ck_assert_msg(x->none == y->none, "field %s: none %d vs %d", name, x->none, y->none);
        if (x->none)
            continue;
        switch (fld->type.kind) {
        case PB_T_INT: ck_assert_int_eq(x->as.i, y->as.i); break;
        case PB_T_NUM: ck_assert_double_eq(x->as.n, y->as.n); break;
        case PB_T_BOOL: ck_assert_int_eq(x->as.b, y->as.b); break;
        case PB_T_DATE: ck_assert_int_eq(x->as.d, y->as.d); break;
        case PB_T_TEXT:
            ck_assert_str_eq(pf_string(a, x->as.s), pf_string(b, y->as.s));
            ck_assert_uint_eq(x->as.s < img->nstrings, y->as.s < img->nstrings);
            break;
        case PB_T_SET:
            ck_assert_uint_eq(x->count, y->count);
            for (uint32_t i = 0; i < x->count; i++)
                ck_assert_str_eq(pf_string(a, x->as.items[i].as.s), pf_string(b, y->as.items[i].as.s));
            break;
        case PB_T_LIST: {
            ck_assert_msg(x->count == y->count, "field %s: %u vs %u elements", name, x->count, y->count);
            uint32_t n = img->records[fld->type.rec].nfields;
            for (uint32_t i = 0; i < x->count; i++)
                same_record(a, x->as.items + i * n, b, y->as.items + i * n, fld->type.rec);
            break;
        }
        default: ck_abort_msg("unexpected type");
        }
    }
}

START_TEST(field_by_field_matches_json)
{
    pf_facts G;
    ck_assert(pf_init(&G, img));
    ck_assert_msg(load(&G, full_coach), "%s", err);
    build_full_coach(&F);
    OK(pf_complete(&F, err, sizeof err));
    check_full_coach(&F);
    same_record(&F, F.root, &G, G.root, 0);
    /* The same record-local texts, plus the empty text pf_append gives a new
     * set element. */
    ck_assert_uint_eq(F.nextra, G.nextra + 1);
    /* And again after a reset, reusing the arena. */
    ck_assert(pf_reset(&F));
    build_full_coach(&F);
    OK(pf_complete(&F, err, sizeof err));
    same_record(&F, F.root, &G, G.root, 0);
    pf_fini(&G);
}
END_TEST

START_TEST(field_by_field_defaults)
{
    OK(pf_set_text(&F, "id", "C2", err, sizeof err));
    OK(pf_set_date(&F, "birth_date", pu_from_ymd(2000, 2, 29), err, sizeof err));
    OK(pf_append(&F, "certificates", NULL, err, sizeof err));
    OK(pf_set_text(&F, "certificates[0].id", "usatf-level-1", err, sizeof err));
    OK(pf_set_date(&F, "certificates[0].issued", pu_from_ymd(2020, 1, 1), err, sizeof err));
    /* expires is required in an element (though optional): not yet given */
    ck_assert(!pf_complete(&F, err, sizeof err));
    ck_assert_str_eq(err, "`certificates[0]`: missing required field `expires`");
    OK(pf_set_none(&F, "certificates[0].expires", err, sizeof err));
    OK(pf_complete(&F, err, sizeof err));
    const pv_value *r = F.root;
    ck_assert(r[FI_COACHING_SINCE].none);
    ck_assert_uint_eq(r[FI_MEMBERSHIPS].count, 0);
    ck_assert_uint_eq(r[FI_ROLES].count, 0);
    ck_assert_int_eq(r[FI_ATHLETES_COACHED].as.i, 0);
    ck_assert(!r[FI_ATHLETES_COACHED].none);
    ck_assert(!r[FI_TEACHING_EXPERIENCE].as.b);
    ck_assert(r[FI_ADVANCED_DEGREE].none);
    ck_assert(r[FI_CERTIFICATES].as.items[2].none);
    ck_assert(r[FI_CERTIFICATES].as.items[3].none); /* event_group defaulted */
    /* complete is idempotent; a later set still overrides a default */
    OK(pf_complete(&F, err, sizeof err));
    OK(pf_set_int(&F, "athletes_coached", 4, err, sizeof err));
    OK(pf_complete(&F, err, sizeof err));
    ck_assert_int_eq(F.root[FI_ATHLETES_COACHED].as.i, 4);
    /* a value set then none-d and back */
    OK(pf_set_none(&F, "coaching_since", err, sizeof err));
    OK(pf_set_date(&F, "coaching_since", pu_from_ymd(2010, 1, 1), err, sizeof err));
    ck_assert(!F.root[FI_COACHING_SINCE].none);
    /* int into a number field, whole number into an integer field */
    OK(pf_append(&F, "courses", NULL, err, sizeof err));
    OK(pf_set_int(&F, "courses[0].hours", 3, err, sizeof err));
    ck_assert_double_eq(F.root[FI_COURSES].as.items[2].as.n, 3.0);
    OK(pf_set_number(&F, "athletes_coached", 7.0, err, sizeof err));
    ck_assert_int_eq(F.root[FI_ATHLETES_COACHED].as.i, 7);
}
END_TEST

START_TEST(field_by_field_missing)
{
    ck_assert(!pf_complete(&F, err, sizeof err));
    ck_assert_str_eq(err, "missing required field `id`");
    OK(pf_set_text(&F, "id", "x", err, sizeof err));
    ck_assert(!pf_complete(&F, err, sizeof err));
    ck_assert_str_eq(err, "missing required field `birth_date`");
    OK(pf_set_date(&F, "birth_date", 0, err, sizeof err));
    for (int k = 0; k < 3; k++)
        OK(pf_append(&F, "certificates", NULL, err, sizeof err));
    for (int k = 0; k < 3; k++) {
        char p[64];
        snprintf(p, sizeof p, "certificates[%d].id", k);
        OK(pf_set_text(&F, p, "c", err, sizeof err));
        snprintf(p, sizeof p, "certificates[%d].expires", k);
        OK(pf_set_none(&F, p, err, sizeof err));
        if (k != 2) {
            snprintf(p, sizeof p, "certificates[%d].issued", k);
            OK(pf_set_date(&F, p, 0, err, sizeof err));
        }
    }
    ck_assert(!pf_complete(&F, err, sizeof err));
    ck_assert_str_eq(err, "`certificates[2]`: missing required field `issued`");
}
END_TEST

typedef struct path_case {
    int op; /* 0 text, 1 int, 2 none, 3 append, 4 date, 5 number, 6 bool, 7 empty */
    const char *path;
    const char *message;
} path_case;

static const path_case path_cases[] = {
    {1, "athletes_coachd", "no field `athletes_coachd` in record `coach` (did you mean `athletes_coached`?)"},
    {0, "birthdate", "no field `birthdate` in record `coach` (did you mean `birth_date`?)"},
    {0, "zzz", "no field `zzz` in record `coach`"},
    {0, "x", "no field `x` in record `coach`"},
    {0, "certificates[0].isued", "`certificates[0]`: no field `isued` in record `certificate` (did you mean `issued`?)"},
    {0, "athletes_coached", "`athletes_coached` is an integer field; it cannot be set to text"},
    {1, "id", "`id` is a text field; it cannot be set to an integer"},
    {4, "id", "`id` is a text field; it cannot be set to a date"},
    {6, "athletes_coached", "`athletes_coached` is an integer field; it cannot be set to true or false"},
    {5, "teaching_experience", "`teaching_experience` is a boolean field; it cannot be set to a number"},
    {0, "certificates", "`certificates` is a list field; it cannot be set to text"},
    {0, "roles", "`roles` is a set field; it cannot be set to text"},
    {2, "id", "`id` is a text field, not optional; it cannot be set to none"},
    {2, "roles", "`roles` is a set field, not optional; it cannot be set to none"},
    {3, "id", "`id` is a text field, not a list or set; no element can be added to it"},
    {3, "certificates[0].id", "`certificates[0].id` is a text field, not a list or set; no element can be added to it"},
    {7, "athletes_coached", "`athletes_coached` is an integer field, not a list or set; it cannot be set to empty"},
    {0, "certificates[2].id", "`certificates[2]`: index out of range (`certificates` has 2 elements)"},
    {0, "certificates[99999999999999999999999].id", "`certificates[99999999999999999999999]`: index out of range (`certificates` has 2 elements)"},
    {0, "memberships[0].body", "`memberships[0]`: index out of range (`memberships` has 0 elements)"},
    {0, "roles[1]", "`roles[1]`: index out of range (`roles` has 1 element)"},
    {0, "certificates.id", "`certificates` is a list; name one element, as in `certificates[0].id`"},
    {0, "certificates[0]", "`certificates[0]` is a `certificate` element; name one of its fields, as in `certificates[0].id`"},
    {0, "id[0]", "`id` is a text field, not a list or set; it has no elements"},
    {0, "id.x", "`id` is a text field; it has no field `x`"},
    {0, "roles[0].x", "`roles[0]` is a text; it has no fields"},
    {0, "", "invalid field path ``: expected a field name at offset 0"},
    {0, "certificates[", "invalid field path `certificates[`: expected an index at offset 13"},
    {0, "certificates[x]", "invalid field path `certificates[x]`: expected an index at offset 13"},
    {0, "certificates[-1].id", "invalid field path `certificates[-1].id`: expected an index at offset 13"},
    {0, "certificates[0", "invalid field path `certificates[0`: expected `]` at offset 14"},
    {0, "certificates[0]x", "invalid field path `certificates[0]x`: expected `.` at offset 15"},
    {0, "certificates[0].", "invalid field path `certificates[0].`: expected a field name at offset 16"},
    {0, "id]", "invalid field path `id]`: unexpected `]` at offset 2"},
    {0, ".id", "invalid field path `.id`: expected a field name at offset 0"},
    {4, "birth_date", "`birth_date`: day -62092 is outside the years 1800-2999"},
    {5, "athletes_coached", "`athletes_coached` is an integer field; 2.5 is not an integer"},
    {5, "courses[0].hours", "`courses[0].hours`: a number must be finite, got NaN"},
};

START_TEST(field_by_field_errors)
{
    const path_case *c = &path_cases[_i];
    OK(pf_append(&F, "certificates", NULL, err, sizeof err));
    OK(pf_append(&F, "certificates", NULL, err, sizeof err));
    OK(pf_append(&F, "roles", NULL, err, sizeof err));
    OK(pf_append(&F, "courses", NULL, err, sizeof err));
    bool ok = false;
    switch (c->op) {
    case 0: ok = pf_set_text(&F, c->path, "v", err, sizeof err); break;
    case 1: ok = pf_set_int(&F, c->path, 1, err, sizeof err); break;
    case 2: ok = pf_set_none(&F, c->path, err, sizeof err); break;
    case 3: ok = pf_append(&F, c->path, NULL, err, sizeof err); break;
    case 4: ok = pf_set_date(&F, c->path, pu_from_ymd(1799, 12, 31), err, sizeof err); break;
    case 5: ok = pf_set_number(&F, c->path, strcmp(c->path, "athletes_coached") ? NAN : 2.5, err, sizeof err); break;
    case 6: ok = pf_set_bool(&F, c->path, true, err, sizeof err); break;
    case 7: ok = pf_set_empty(&F, c->path, err, sizeof err); break;
    }
    ck_assert_msg(!ok, "case %d (%s) succeeded", _i, c->path);
    ck_assert_msg(strcmp(err, c->message) == 0, "case %d: %s\n got: %s\n want: %s", _i, c->path, err,
                  c->message);
}
END_TEST

/* pf_append keeps a list contiguous while it grows, and given flags follow. */
START_TEST(append_growth)
{
    enum { N = 1000 };
    uint32_t cn = nf(FI_CERTIFICATE);
    for (int i = 0; i < N; i++) {
        size_t idx;
        char p[64], v[32];
        OK(pf_append(&F, "certificates", &idx, err, sizeof err));
        ck_assert_uint_eq(idx, (size_t)i);
        snprintf(p, sizeof p, "certificates[%d].id", i);
        snprintf(v, sizeof v, "c%d", i);
        OK(pf_set_text(&F, p, v, err, sizeof err));
        snprintf(p, sizeof p, "certificates[%d].issued", i);
        OK(pf_set_date(&F, p, i, err, sizeof err));
        if (i % 2) {
            snprintf(p, sizeof p, "certificates[%d].expires", i);
            OK(pf_set_date(&F, p, i + 1, err, sizeof err));
        }
    }
    OK(pf_set_text(&F, "id", "x", err, sizeof err));
    OK(pf_set_date(&F, "birth_date", 0, err, sizeof err));
    ck_assert(!pf_complete(&F, err, sizeof err));
    ck_assert_str_eq(err, "`certificates[0]`: missing required field `expires`");
    for (int i = 0; i < N; i += 2) {
        char p[64];
        snprintf(p, sizeof p, "certificates[%d].expires", i);
        OK(pf_set_none(&F, p, err, sizeof err));
    }
    OK(pf_complete(&F, err, sizeof err));
    const pv_value *cs = &F.root[FI_CERTIFICATES];
    ck_assert_uint_eq(cs->count, N);
    for (int i = 0; i < N; i++) {
        const pv_value *e = cs->as.items + (size_t)i * cn;
        char v[32];
        snprintf(v, sizeof v, "c%d", i);
        ck_assert_str_eq(pf_string(&F, e[0].as.s), v);
        ck_assert_int_eq(e[1].as.d, i);
        ck_assert_int_eq(e[2].none, i % 2 == 0);
        if (i % 2)
            ck_assert_int_eq(e[2].as.d, i + 1);
        ck_assert(e[3].none);
    }
}
END_TEST

/* A list loaded from JSON can be grown and changed field by field. */
START_TEST(append_after_json)
{
    ck_assert_msg(load(&F, full_coach), "%s", err);
    size_t idx;
    OK(pf_append(&F, "certificates", &idx, err, sizeof err));
    ck_assert_uint_eq(idx, 3);
    ck_assert(!pf_complete(&F, err, sizeof err));
    ck_assert_str_eq(err, "`certificates[3]`: missing required field `id`");
    OK(pf_set_text(&F, "certificates[3].id", "usatf-level-2", err, sizeof err));
    OK(pf_set_date(&F, "certificates[3].issued", 5, err, sizeof err));
    OK(pf_set_none(&F, "certificates[3].expires", err, sizeof err));
    OK(pf_set_text(&F, "certificates[0].event_group", "throws", err, sizeof err));
    OK(pf_append(&F, "roles", &idx, err, sizeof err));
    ck_assert_uint_eq(idx, 3);
    OK(pf_set_text(&F, "roles[3]", "usatf", err, sizeof err));
    OK(pf_complete(&F, err, sizeof err));
    uint32_t cn = nf(FI_CERTIFICATE);
    const pv_value *cs = F.root[FI_CERTIFICATES].as.items;
    ck_assert_str_eq(pf_string(&F, cs[0 * cn + 3].as.s), "throws");
    ck_assert_str_eq(pf_string(&F, cs[1 * cn + 0].as.s), "usatf-level-2");
    ck_assert_str_eq(pf_string(&F, cs[3 * cn + 0].as.s), "usatf-level-2");
    ck_assert(cs[3 * cn + 3].none);
    ck_assert_uint_eq(F.root[FI_ROLES].count, 4);
    ck_assert_str_eq(pf_string(&F, F.root[FI_ROLES].as.items[0].as.s), "national-team-athlete");
    ck_assert_uint_eq(F.root[FI_ROLES].as.items[3].as.s, pb_find_string(img, "usatf", 5));
    /* pf_set_empty drops the elements */
    OK(pf_set_empty(&F, "certificates", err, sizeof err));
    ck_assert_uint_eq(F.root[FI_CERTIFICATES].count, 0);
    OK(pf_complete(&F, err, sizeof err));
}
END_TEST

/* ---- other layouts -------------------------------------------------------- */

START_TEST(nested_paths)
{
    pb_image *ni = fi_nested_image();
    ck_assert_ptr_nonnull(ni);
    pf_facts N;
    ck_assert(pf_init(&N, ni));
    size_t idx;
    for (int i = 0; i < 2; i++)
        OK(pf_append(&N, "xs", NULL, err, sizeof err));
    for (int i = 0; i < 3; i++) {
        OK(pf_append(&N, "xs[1].ys", &idx, err, sizeof err));
        ck_assert_uint_eq(idx, (size_t)i);
    }
    OK(pf_append(&N, "xs[0].ys", &idx, err, sizeof err));
    ck_assert_uint_eq(idx, 0);
    OK(pf_set_text(&N, "xs[1].ys[2].c", "deep", err, sizeof err));
    OK(pf_set_number(&N, "xs[1].ys[2].w", 4.25, err, sizeof err));
    OK(pf_set_int(&N, "xs[0].n", 10, err, sizeof err));
    OK(pf_set_int(&N, "xs[1].n", 11, err, sizeof err));
    ck_assert(!pf_complete(&N, err, sizeof err));
    ck_assert_str_eq(err, "`xs[0].ys[0]`: missing required field `c`");
    OK(pf_set_text(&N, "xs[0].ys[0].c", "a", err, sizeof err));
    ck_assert(!pf_complete(&N, err, sizeof err));
    ck_assert_str_eq(err, "`xs[1].ys[0]`: missing required field `c`");
    OK(pf_set_text(&N, "xs[1].ys[0].c", "b", err, sizeof err));
    OK(pf_set_text(&N, "xs[1].ys[1].c", "c", err, sizeof err));
    ck_assert(!pf_set_text(&N, "xs[1].ys[3].c", "c", err, sizeof err));
    ck_assert_str_eq(err, "`xs[1].ys[3]`: index out of range (`xs[1].ys` has 3 elements)");
    ck_assert(!pf_set_text(&N, "xs[1].ys[0].d", "c", err, sizeof err));
    ck_assert_str_eq(err, "`xs[1].ys[0]`: no field `d` in record `y`");
    OK(pf_complete(&N, err, sizeof err));
    const pv_value *x1 = N.root[0].as.items + 2;
    ck_assert_int_eq(x1[0].as.i, 11);
    ck_assert_uint_eq(x1[1].count, 3);
    ck_assert_str_eq(pf_string(&N, x1[1].as.items[2 * 2].as.s), "deep");
    ck_assert_double_eq(x1[1].as.items[2 * 2 + 1].as.n, 4.25);
    ck_assert_double_eq(x1[1].as.items[0 * 2 + 1].as.n, 1.5); /* default */
    ck_assert(N.root[1].none);

    /* the same from JSON */
    pf_facts M;
    ck_assert(pf_init(&M, ni));
    cJSON *j = parse("{\"xs\":[{\"n\":10,\"ys\":[{\"c\":\"a\"}]},{\"n\":11,\"ys\":[{\"c\":\"b\"},{\"c\":\"c\"},"
                     "{\"c\":\"deep\",\"w\":4.25}]}]}");
    OK(pf_load_json(&M, j, err, sizeof err));
    cJSON_Delete(j);
    pb_image *saved = img;
    img = ni;
    same_record(&N, N.root, &M, M.root, 0);
    img = saved;
    j = parse("{\"xs\":[{\"n\":10,\"ys\":[{\"c\":\"a\"},{\"w\":1}]}]}");
    ck_assert(!pf_load_json(&M, j, err, sizeof err));
    ck_assert_str_eq(err, "`xs[0].ys[1]`: missing required field `c`");
    cJSON_Delete(j);
    pf_fini(&M);
    pf_fini(&N);
    pb_image_free(ni);
}
END_TEST

START_TEST(required_lists)
{
    pb_image *ri = fi_req_image();
    ck_assert_ptr_nonnull(ri);
    pf_facts R;
    ck_assert(pf_init(&R, ri));
    ck_assert(!pf_complete(&R, err, sizeof err));
    ck_assert_str_eq(err, "missing required field `items`");
    OK(pf_append(&R, "items", NULL, err, sizeof err));
    ck_assert(!pf_complete(&R, err, sizeof err));
    ck_assert_str_eq(err, "missing required field `tags`");
    OK(pf_set_empty(&R, "tags", err, sizeof err));
    OK(pf_complete(&R, err, sizeof err));
    ck_assert_int_eq(R.root[0].as.items[0].as.i, 7);
    ck_assert_uint_eq(R.root[1].count, 0);

    cJSON *j = parse("{\"items\":[{},{\"k\":1}],\"tags\":[]}");
    OK(pf_load_json(&R, j, err, sizeof err));
    cJSON_Delete(j);
    ck_assert_uint_eq(R.root[0].count, 2);
    ck_assert_int_eq(R.root[0].as.items[0].as.i, 7);
    ck_assert_int_eq(R.root[0].as.items[1].as.i, 1);
    j = parse("{\"items\":[]}");
    ck_assert(!pf_load_json(&R, j, err, sizeof err));
    ck_assert_str_eq(err, "missing required field `tags`");
    cJSON_Delete(j);
    pf_fini(&R);
    pb_image_free(ri);
}
END_TEST

/* ---- limits --------------------------------------------------------------- */

static char *nested_nodes(int depth)
{
    size_t cap = (size_t)depth * 32 + 16;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    size_t pos = 0;
    for (int i = 0; i < depth; i++)
        pos += (size_t)snprintf(s + pos, cap - pos, "{\"v\":%d,\"kids\":[", i);
    pos += (size_t)snprintf(s + pos, cap - pos, "{}");
    for (int i = 0; i < depth; i++)
        pos += (size_t)snprintf(s + pos, cap - pos, "]}");
    return s;
}

START_TEST(limits)
{
    /* list length */
    F.max_list = 3;
    ck_assert_msg(load(&F, "{" BASE ",\"roles\":[\"a\",\"b\",\"c\"]}"), "%s", err);
    ck_assert(!load(&F, "{" BASE ",\"roles\":[\"a\",\"b\",\"c\",\"d\"]}"));
    ck_assert_str_eq(err, "`roles`: more than 3 elements (the limit)");
    ck_assert(!load(&F, "{" BASE ",\"memberships\":[{},{},{},{}]}"));
    ck_assert_str_eq(err, "`memberships`: more than 3 elements (the limit)");
    for (int i = 0; i < 3; i++)
        OK(pf_append(&F, "roles", NULL, err, sizeof err));
    ck_assert(!pf_append(&F, "roles", NULL, err, sizeof err));
    ck_assert_str_eq(err, "`roles` already has 3 elements (the limit)");
    F.max_list = 0;

    /* string length */
    F.max_string = 8;
    ck_assert_msg(load(&F, "{\"id\":\"12345678\",\"birth_date\":\"1990-01-01\"}"), "%s", err);
    ck_assert(!load(&F, "{\"id\":\"123456789\",\"birth_date\":\"1990-01-01\"}"));
    ck_assert_str_eq(err, "`id`: text of 9 bytes is longer than the limit of 8 bytes");
    ck_assert(!load(&F, "{" BASE ",\"roles\":[\"ok\",\"much too long\"]}"));
    ck_assert_str_eq(err, "`roles[1]`: text of 13 bytes is longer than the limit of 8 bytes");
    ck_assert(!pf_set_text(&F, "id", "123456789", err, sizeof err));
    ck_assert_str_eq(err, "`id`: text of 9 bytes is longer than the limit of 8 bytes");
    /* text the image knows is subject to the limit too */
    ck_assert(!pf_set_text(&F, "id", "usatf-level-1", err, sizeof err));
    F.max_string = 0;

    /* the default list limit */
    enum { BIG = 100001 };
    size_t cap = 64 + (size_t)BIG * 4;
    char *js = malloc(cap);
    ck_assert_ptr_nonnull(js);
    size_t pos = (size_t)snprintf(js, cap, "{" BASE ",\"roles\":[");
    for (int i = 0; i < BIG; i++)
        pos += (size_t)snprintf(js + pos, cap - pos, "%s\"a\"", i ? "," : "");
    snprintf(js + pos, cap - pos, "]}");
    ck_assert(!load(&F, js));
    ck_assert_str_eq(err, "`roles`: more than 100000 elements (the limit)");
    /* drop one element: loads */
    char *comma = strstr(js, "\"a\",");
    memmove(comma, comma + 4, strlen(comma + 4) + 1);
    ck_assert_msg(load(&F, js), "%s", err);
    ck_assert_uint_eq(F.root[FI_ROLES].count, 100000);
    free(js);
}
END_TEST

START_TEST(depth_limit)
{
    pb_image *ni = fi_node_image();
    ck_assert_ptr_nonnull(ni);
    pf_facts N;
    ck_assert(pf_init(&N, ni));
    N.max_depth = 2;
    char *s = nested_nodes(2);
    cJSON *j = parse(s);
    OK(pf_load_json(&N, j, err, sizeof err));
    cJSON_Delete(j);
    free(s);
    s = nested_nodes(3);
    j = parse(s);
    ck_assert(!pf_load_json(&N, j, err, sizeof err));
    ck_assert_str_eq(err, "`kids[0].kids[0].kids`: nested deeper than the limit of 2 levels");
    cJSON_Delete(j);
    free(s);
    /* the default: 64 */
    N.max_depth = 0;
    s = nested_nodes(64);
    j = parse(s);
    OK(pf_load_json(&N, j, err, sizeof err));
    cJSON_Delete(j);
    free(s);
    s = nested_nodes(65);
    j = parse(s);
    ck_assert(!pf_load_json(&N, j, err, sizeof err));
    /* A path this deep is shown by its start and its end. */
    ck_assert_str_eq(err, "`kids[0].kids[0].kids[0].kids[0].kids[0].kids[0]..."
                          "kids[0].kids[0].kids[0].kids[0].kids[0].kids[0].kids[0].kids[0].kids[0]."
                          "kids[0].kids[0].kids[0].kids[0].kids[0].kids`: "
                          "nested deeper than the limit of 64 levels");
    cJSON_Delete(j);
    free(s);
    pf_fini(&N);
    pb_image_free(ni);
}
END_TEST

/* Many records through one pf_facts: values never leak between records. */
START_TEST(many_records)
{
    for (int i = 0; i < 200; i++) {
        if (i % 3 == 0) {
            ck_assert_msg(load(&F, full_coach), "%s", err);
            check_full_coach(&F);
        } else if (i % 3 == 1) {
            ck_assert_msg(load(&F, "{\"id\":\"C2\",\"birth_date\":\"2000-02-29\"}"), "%s", err);
            ck_assert_uint_eq(F.root[FI_CERTIFICATES].count, 0);
            ck_assert(F.root[FI_ADVANCED_DEGREE].none);
        } else {
            ck_assert(pf_reset(&F));
            build_full_coach(&F);
            OK(pf_complete(&F, err, sizeof err));
            check_full_coach(&F);
        }
    }
}
END_TEST

START_TEST(init_guards)
{
    pf_facts G;
    ck_assert(!pf_init(&G, NULL));
    pf_fini(&G); /* safe after a failed init */
    pb_image *empty = pb_image_new();
    ck_assert_ptr_nonnull(empty);
    ck_assert(!pf_init(&G, empty));
    pf_fini(&G);
    ck_assert(!pf_set_text(&G, "id", "x", err, sizeof err));
    ck_assert_str_eq(err, "facts not initialised");
    pb_image_free(empty);
    pf_fini(&F);
    pf_fini(&F); /* twice is harmless */
    ck_assert(pf_init(&F, img));
}
END_TEST
/* pf_json_scan skips its pass for a record whose only numbers beyond plain
 * digits are plain fractions (6.5): for those the loader needs no source
 * text, because strtod reads them to a double that is no integer and that
 * pf_number_text writes back exactly as written. Every spelling below is
 * checked either way: skipped (no text) only when both hold; and the ones
 * the scan must not skip (trailing zero, too many digits, 0.00001, which
 * prints as 1e-05) keep their text. */
START_TEST(scan_plain_fractions)
{
    static const char *const ints[] = {"0", "1", "9", "10", "123", "99999", "1234567",
                                       "12345678901234", "123456789012345", "-0", "-42"};
    static const char *const fracs[] = {"5", "25", "05", "0001", "00001", "000123", "1", "9",
                                        "99999999", "123456789012345", "50", "0", "3333333333333"};
    size_t skipped = 0, kept = 0;
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        for (size_t k = 0; k < sizeof fracs / sizeof fracs[0]; k++) {
            char num[64], json[96], back[64];
            snprintf(num, sizeof num, "%s.%s", ints[i], fracs[k]);
            snprintf(json, sizeof json, "{\"hours\":%s}", num);
            cJSON *j = parse(json);
            ck_assert(pf_json_scan(j, json, strlen(json)));
            const cJSON *n = j->child;
            if (n->valuestring) {
                ck_assert_str_eq(n->valuestring, num);
                kept++;
            } else {
                pf_number_text(n->valuedouble, back, sizeof back);
                ck_assert_msg(strcmp(back, num) == 0, "%s skipped but prints as %s", num, back);
                ck_assert_msg(n->valuedouble != floor(n->valuedouble), "%s skipped but is an integer", num);
                skipped++;
            }
            cJSON_Delete(j);
        }
    }
    ck_assert_uint_gt(skipped, 50);
    ck_assert_uint_gt(kept, 20);
    /* The benchmark's shape, and the ones that must keep their text. */
    static const struct { const char *json; bool text; } cases[] = {
        {"{\"a\":21,\"hours\":6.5}", false},
        {"{\"hours\":[0.25,2.5,-0.0001]}", false},
        {"{\"hours\":6.50}", true},
        {"{\"hours\":0.00001}", true},
        {"{\"hours\":6.5e0}", true},
        {"{\"hours\":1234567890123456.5}", true},
        {"{\"hours\":12345678901234.56}", true},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        cJSON *j = parse(cases[c].json);
        ck_assert(pf_json_scan(j, cases[c].json, strlen(cases[c].json)));
        const cJSON *n = cJSON_IsArray(j->child) ? j->child->child : j->child;
        while (n && !cJSON_IsNumber(n))
            n = n->next;
        for (const cJSON *v = n; v; v = v->next)
            if (cJSON_IsNumber(v) && strcmp(v->string ? v->string : "hours", "hours") == 0)
                ck_assert_msg((v->valuestring != NULL) == cases[c].text, "case %zu: %s", c, cases[c].json);
        cJSON_Delete(j);
    }
}
END_TEST

/* An integer field given a plain fraction, with the pass skipped, is
 * refused as the text path refuses it: the same message whether or not the
 * field is optional (not "expected an integer or null"). */
START_TEST(plain_fraction_in_integer_field)
{
    static const char rules[] = "facts coach {\n  id: text\n  n: integer\n  m: integer? = none\n}\n"
                                "program p \"P\" {\n  require \"some\": n > 0\n}\n";
    pw_program *p = NULL;
    pw_context *ctx = NULL;
    pw_error e;
    ck_assert_int_eq(pw_compile_source("n.pw", rules, strlen(rules), NULL, &p, &e), PW_OK);
    ck_assert_int_eq(pw_context_new(p, &ctx, &e), PW_OK);
    static const char *const bad[][2] = {
        {"{\"id\":\"a\",\"n\":6.5}", "`n`: expected an integer, got 6.5"},
        {"{\"id\":\"a\",\"n\":1,\"m\":-0.25}", "`m`: expected an integer, got -0.25"},
        {"{\"id\":\"a\",\"n\":1,\"m\":0.00001}", "`m`: expected an integer, got 0.00001"},
        {"{\"id\":\"a\",\"n\":1,\"m\":2.50}", "`m`: expected an integer, got 2.50"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(pw_context_set_json(ctx, bad[i][0], strlen(bad[i][0]), &e), PW_ERR_FACTS);
        ck_assert_msg(strstr(e.message, bad[i][1]) != NULL, "case %zu: %s", i, e.message);
    }
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST


static Suite *facts_suite(void)
{
    Suite *s = suite_create("facts");
    TCase *tc = tcase_create("json");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, full_coach_loads);
    tcase_add_test(tc, defaults_applied);
    tcase_add_test(tc, valid_edge_cases);
    tcase_add_loop_test(tc, load_errors, 0, (int)(sizeof err_cases / sizeof err_cases[0]));
    tcase_add_test(tc, error_buffer_edge_cases);
    tcase_add_test(tc, context_set_json_numbers);
    tcase_add_test(tc, scan_plain_fractions);
    tcase_add_test(tc, plain_fraction_in_integer_field);
    tcase_add_test(tc, interning);
    tcase_add_test(tc, interning_many);
    tcase_add_test(tc, many_records);
    suite_add_tcase(s, tc);

    tc = tcase_create("fields");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, field_by_field_matches_json);
    tcase_add_test(tc, field_by_field_defaults);
    tcase_add_test(tc, field_by_field_missing);
    tcase_add_loop_test(tc, field_by_field_errors, 0, (int)(sizeof path_cases / sizeof path_cases[0]));
    tcase_add_test(tc, append_growth);
    tcase_add_test(tc, append_after_json);
    tcase_add_test(tc, nested_paths);
    tcase_add_test(tc, required_lists);
    tcase_add_test(tc, init_guards);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, depth_limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(facts_suite());
}
