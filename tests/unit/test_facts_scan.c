/* The second pass over a facts record's text (src/facts/scan.c), where the
 * two JSON parsers disagree: cJSON accepted the text, yajl stopped in it.
 * Raw control characters between tokens or inside text (cJSON skips the
 * former as white space and keeps the latter), after a number, a key or a
 * literal, or before the value: each record is refused with yajl's reason
 * at the right byte, as the embedder sees it through pw_context_set_json.
 * Then the facts layer's own view: the marks and messages pf_json_scan
 * leaves in the tree (a number that is not JSON blamed, with its text cut
 * at 40 characters; every container past the stop refused), and its
 * arguments. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "facts/facts.h"
#include "pathway.h"

static const char rules[] =
    "facts r {\n"
    "  a: integer = 0\n"
    "  b: integer = 0\n"
    "  s: text = \"\"\n"
    "  xs: list of x = []\n"
    "  tags: set of text = []\n"
    "}\n"
    "record x {\n"
    "  v: integer = 0\n"
    "}\n"
    "program p \"P\" {\n"
    "  require \"a\": a >= 0\n"
    "}\n";

static pw_program *prog;
static pw_context *ctx;

static void setup(void)
{
    pw_error err;
    ck_assert_msg(pw_compile_source("r.pw", rules, strlen(rules), NULL, &prog, &err) == PW_OK, "%s", err.message);
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
}

static void teardown(void)
{
    pw_context_free(ctx);
    pw_program_free(prog);
}

/* A record (a literal: it may hold any byte) refused with msg at field. */
static void refused(const char *json, size_t len, const char *msg, const char *field)
{
    pw_error e;
    pw_status st = pw_context_set_json(ctx, json, len, &e);
    ck_assert_msg(st == PW_ERR_FACTS, "%s: got %s (%s)", json, pw_status_name(st), e.message);
    ck_assert_str_eq(e.message, msg);
    ck_assert_str_eq(e.field, field);
    /* A failed record leaves the context wanting facts, not half-loaded. */
    ck_assert_int_eq(pw_context_set_json(ctx, "{}", 2, &e), PW_OK);
}
#define REFUSED(lit, msg) refused(lit, sizeof lit - 1, msg, "")

/* yajl stops between tokens, where cJSON skipped a control character as
 * white space: before a key (no key token for the member), before a
 * value (no token for it), before the record, after a literal. */
START_TEST(test_control_between_tokens)
{
    REFUSED("{\"a\":1,\x01\"b\":2}", "not valid JSON (RFC 8259) at byte 8: invalid char in json text");
    REFUSED("{\"a\":1, \"b\":\x01 2}", "not valid JSON (RFC 8259) at byte 13: invalid char in json text");
    REFUSED("\x01{\"a\":1}", "not valid JSON (RFC 8259) at byte 1: invalid char in json text");
    REFUSED("{\"a\":1 \x01}", "not valid JSON (RFC 8259) at byte 8: invalid char in json text");
    /* After true: its last letter is a number character (e), but no
     * number starts with it, so nothing is blamed. */
    REFUSED("{\"a\":true\x01}", "not valid JSON (RFC 8259) at byte 10: invalid char in json text");
    /* Right before a number: the character is to blame, not the number
     * yajl never read (it was refused as "5 is not a JSON number"). */
    REFUSED("{\"a\":\x01" "5}", "not valid JSON (RFC 8259) at byte 6: invalid char in json text");
    REFUSED("{\"tags\":[\"q\",\x01" "-2]}", "not valid JSON (RFC 8259) at byte 14: invalid char in json text");
}
END_TEST

/* yajl reads a number whole, then stops at the control character after it:
 * the number is not to blame (it is as written), the record is refused. */
/* A UTF-8 byte order mark before the record, which cJSON skips: the record
 * loads with the pass as without it (a tab between tokens calls for the
 * pass), and bytes are still counted from the text's first. */
START_TEST(test_byte_order_mark)
{
    pw_error e;
    static const char plain[] = "\xEF\xBB\xBF{\"a\":0,\"b\":2}";
    static const char tab[] = "\xEF\xBB\xBF{\"a\":0,\t\"b\":2}";
    ck_assert_int_eq(pw_context_set_json(ctx, plain, sizeof plain - 1, &e), PW_OK);
    ck_assert_msg(pw_context_set_json(ctx, tab, sizeof tab - 1, &e) == PW_OK, "%s", e.message);
    REFUSED("\xEF\xBB\xBF{\"a\":1,\x01\"b\":2}", "not valid JSON (RFC 8259) at byte 11: invalid char in json text");
    static const char bad[] = "\xEF\xBB\xBF{\"a\":01}";
    refused(bad, sizeof bad - 1, "`a`: 01 is not a JSON number (RFC 8259): it has a leading zero", "a");
    static const char zero_point[] = "{\"a\":0.}";
    refused(zero_point, sizeof zero_point - 1,
            "`a`: 0. is not a JSON number (RFC 8259): it has no digit on one side of the decimal point", "a");
}
END_TEST

START_TEST(test_control_after_number)
{
    REFUSED("{\"a\":5\x01}", "not valid JSON (RFC 8259) at byte 7: invalid char in json text");
    REFUSED("{\"a\":1\x01,\"b\":2}", "not valid JSON (RFC 8259) at byte 7: invalid char in json text");
}
END_TEST

/* A raw control character inside text: cJSON keeps it, yajl stops at it.
 * The characters before it look like a number's (e, ., 1), which must not
 * make it blame a number: the last number read (5) is elsewhere. */
START_TEST(test_control_inside_text)
{
    REFUSED("{\"s\":\"e\x01\"}", "not valid JSON (RFC 8259) at byte 8: invalid character inside string");
    REFUSED("{\"s\":\"a.\x01\"}", "not valid JSON (RFC 8259) at byte 9: invalid character inside string");
    REFUSED("{\"s\":\"1\x01\"}", "not valid JSON (RFC 8259) at byte 8: invalid character inside string");
    REFUSED("{\"a\":5,\"s\":\"1\x01\"}", "not valid JSON (RFC 8259) at byte 14: invalid character inside string");
    REFUSED("{\"tags\":[5,\"1\x01\"]}", "not valid JSON (RFC 8259) at byte 14: invalid character inside string");
    REFUSED("{\"tags\":[\"x\"],\"s\":\"\x1f\"}", "not valid JSON (RFC 8259) at byte 20: invalid character inside string");
    /* Several containers past the stop (the set, and the record): each is
     * refused with the same reason. */
    REFUSED("{\"a\":1,\"xs\":[{\"v\":1},{\"v\":2}],\"tags\":[\"q\x01\"]}",
            "not valid JSON (RFC 8259) at byte 41: invalid character inside string");
}
END_TEST

/* The number blamed, found on the way to it, wins over the containers after
 * it (which the pass refuses with the number's reason). */
START_TEST(test_bad_number_before_containers)
{
    refused("{\"xs\":[{\"v\":01}],\"tags\":[]}", strlen("{\"xs\":[{\"v\":01}],\"tags\":[]}"),
            "`xs[0].v`: 01 is not a JSON number (RFC 8259): it has a leading zero", "xs[0].v");
}
END_TEST

/* ---- the facts layer's view ---------------------------------------------- */

static cJSON *scanned(const char *text)
{
    cJSON *j = cJSON_ParseWithLengthOpts(text, strlen(text), NULL, 0);
    ck_assert_ptr_nonnull(j);
    ck_assert(pf_json_scan(j, text, strlen(text)));
    return j;
}

/* Every container after a blamed number carries the number's reason, its
 * text cut at 40 characters; the containers on the way to it do not (they
 * lead to the number, which the loader names). */
START_TEST(test_unread_after_bad_number)
{
    static const char text[] = "{\"xs\":[{\"v\":012345678901234567890123456789012345678901}],\"tags\":[],\"o\":{}}";
    cJSON *j = scanned(text);
    ck_assert(pf_json_refused(j));
    ck_assert(!(j->type & PF_JSON_INVALID));
    const cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "xs"), 0)->child;
    ck_assert(v->type & PF_JSON_BAD_NUMBER);
    ck_assert_str_eq(v->valuestring, "012345678901234567890123456789012345678901");
    static const char why[] = "not valid JSON (RFC 8259) at byte 13: 0123456789012345678901234567890123456789... "
                              "is not a JSON number";
    const cJSON *tags = cJSON_GetObjectItem(j, "tags"), *o = cJSON_GetObjectItem(j, "o");
    ck_assert(tags->type & PF_JSON_INVALID);
    ck_assert(o->type & PF_JSON_INVALID);
    ck_assert_str_eq(tags->valuestring, why);
    ck_assert_str_eq(o->valuestring, why);
    cJSON_Delete(j);
}
END_TEST

/* A text that is one number (pf_json_scan takes any value cJSON read):
 * yajl stops inside it, and the number, running to the end of the text, is
 * blamed with its whole text, as a record's number is. */
START_TEST(test_number_alone)
{
    cJSON *j = scanned("\t1.e5");
    ck_assert(j->type & PF_JSON_BAD_NUMBER);
    ck_assert(pf_json_refused(j));
    ck_assert_str_eq(j->valuestring, "1.e5");
    cJSON_Delete(j);
    /* Cut off at the end of the text: yajl fails when told the text is
     * complete, and the number is blamed all the same. */
    j = scanned("\t1.");
    ck_assert(j->type & PF_JSON_BAD_NUMBER);
    ck_assert_str_eq(j->valuestring, "1.");
    cJSON_Delete(j);
    /* Shorter than a byte order mark, and JSON: the number as written. */
    j = scanned("\t7");
    ck_assert(!pf_json_refused(j));
    ck_assert_str_eq(j->valuestring, "7");
    cJSON_Delete(j);
    /* From the first byte on. */
    j = scanned("1.e5\t");
    ck_assert(j->type & PF_JSON_BAD_NUMBER);
    ck_assert_str_eq(j->valuestring, "1.e5");
    cJSON_Delete(j);
}
END_TEST

/* Whether text after the value (the command line's JSON Lines reader runs
 * the pass before it refuses such text) calls for the pass: the byte scan
 * stops at the end of the text wherever it ends, inside white space, a
 * lone 0, digits or a fraction. With the pass, the record's number gets
 * its source text; without it, none. */
static const char *scanned_a(const char *text)
{
    static char got[32];
    cJSON *j = scanned(text);
    const cJSON *a = cJSON_GetObjectItem(j, "a");
    snprintf(got, sizeof got, "%s", a->valuestring ? a->valuestring : "(none)");
    cJSON_Delete(j);
    return got;
}

START_TEST(test_text_after_value)
{
    ck_assert_str_eq(scanned_a("{\"a\":7} :  "), "(none)");
    ck_assert_str_eq(scanned_a("{\"a\":7} :0"), "(none)");
    ck_assert_str_eq(scanned_a("{\"a\":7} :12"), "(none)");
    ck_assert_str_eq(scanned_a("{\"a\":7} :1.5"), "(none)");
    ck_assert_str_eq(scanned_a("{\"a\":7} :00"), "7");
    ck_assert_str_eq(scanned_a("{\"a\":7} :1."), "7");
    ck_assert_str_eq(scanned_a("{\"a\":7} ,1234567890123456"), "7");
    ck_assert_str_eq(scanned_a("{\"a\":7} :1.5."), "7");
    ck_assert_str_eq(scanned_a("{\"a\":7} :1+"), "7");
    ck_assert_str_eq(scanned_a("{\"a\":7} :1-"), "7");
    ck_assert_str_eq(scanned_a("{\"a\":7} :1E"), "7");
}
END_TEST

/* No tree (cJSON refused the text): nothing to mark, no failure; no node:
 * neither U+0000 nor refused. */
START_TEST(test_layer_arguments)
{
    ck_assert(pf_json_scan(NULL, "01", 2));
    ck_assert(!pf_json_has_nul(NULL));
    ck_assert(!pf_json_refused(NULL));
    /* No facts, or facts never initialised (or finished): no JSON. */
    pf_facts none;
    memset(&none, 0, sizeof none);
    ck_assert_ptr_null(pf_to_cjson(NULL));
    ck_assert_ptr_null(pf_to_cjson(&none));
}
END_TEST


/* The reason a refused root gets, from yajl's message and where it stopped
 * (pf_scan_reason), for the shapes of message other versions of yajl may
 * write: none at all, no "error: " before the reason, trailing dots, only
 * dots, more lines after the first (yajl's verbose form). */
static void reason_is(const char *why, const char *text, size_t len, size_t stop, const char *want)
{
    char *got = pf_scan_reason(why, text, len, stop);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(test_reason_message_shapes)
{
    static const char t[] = "{\"a\":1}";
    size_t n = sizeof t - 1;
    reason_is("lexical error: invalid char in json text.\n", t, n, 3,
              "not valid JSON (RFC 8259) at byte 4: invalid char in json text");
    reason_is(NULL, t, n, 3, "not valid JSON (RFC 8259) at byte 4: ");
    reason_is("premature EOF", t, n, 3, "not valid JSON (RFC 8259) at byte 4: premature EOF");
    reason_is("parse error: trailing garbage...", t, n, 3, "not valid JSON (RFC 8259) at byte 4: trailing garbage");
    reason_is("parse error: ...", t, n, 3, "not valid JSON (RFC 8259) at byte 4: ");
    reason_is("lexical error: invalid char in json text.\n  {\"a\":1}\n     (right here) ------^\n", t, n, 3,
              "not valid JSON (RFC 8259) at byte 4: invalid char in json text");
}
END_TEST

/* The byte named: yajl's offset, or the raw control character just before
 * it when the offset is past one (at the end of the text too); never before
 * the first byte, never past the end. */
START_TEST(test_reason_byte)
{
    static const char t[] = "ab\x01" "cd\x02";
    size_t n = sizeof t - 1;
    const char *w = "e: why";
    reason_is(w, t, n, 2, "not valid JSON (RFC 8259) at byte 3: e: why"); /* at the control character */
    reason_is("x error: why", t, n, 3, "not valid JSON (RFC 8259) at byte 3: why"); /* just past it */
    reason_is("x error: why", t, n, 4, "not valid JSON (RFC 8259) at byte 5: why"); /* past a letter */
    reason_is("x error: why", t, n, 6, "not valid JSON (RFC 8259) at byte 6: why"); /* the end, after one */
    reason_is("x error: why", t, n, 99, "not valid JSON (RFC 8259) at byte 6: why"); /* beyond the end */
    reason_is("x error: why", t, n, 0, "not valid JSON (RFC 8259) at byte 1: why"); /* the first byte */
    reason_is("x error: why", "ab", 2, 2, "not valid JSON (RFC 8259) at byte 3: why"); /* the end, after a letter */
    reason_is("x error: why", "", 0, 0, "not valid JSON (RFC 8259) at byte 1: why"); /* no text */
}
END_TEST

/* yajl's buffers grow while it reads: its stack of states past 128 levels
 * of nesting, its buffer of decoded text past 2,048 bytes (a string with an
 * escape is decoded there). Their blocks are moved (pf_yrealloc) and the
 * numbers still get their text as written. */
START_TEST(test_yajl_grows)
{
    enum { DEPTH = 300, TEXT = 5000 };
    char *json = malloc(2 * DEPTH + TEXT + 64);
    ck_assert_ptr_nonnull(json);
    size_t n = (size_t)sprintf(json, "{\"n\":1e0,\"s\":\"\\n");
    memset(json + n, 'x', TEXT);
    n += TEXT;
    n += (size_t)sprintf(json + n, "\",\"d\":");
    memset(json + n, '[', DEPTH);
    n += DEPTH;
    n += (size_t)sprintf(json + n, "2E1");
    memset(json + n, ']', DEPTH);
    n += DEPTH;
    json[n++] = '}';
    cJSON *root = cJSON_ParseWithLength(json, n);
    ck_assert_ptr_nonnull(root);
    ck_assert(pf_json_scan(root, json, n));
    ck_assert_str_eq(cJSON_GetObjectItem(root, "n")->valuestring, "1e0");
    const cJSON *d = cJSON_GetObjectItem(root, "d");
    for (int i = 1; i < DEPTH; i++)
        d = d->child;
    ck_assert_str_eq(d->child->valuestring, "2E1");
    ck_assert_int_eq(strlen(cJSON_GetObjectItem(root, "s")->valuestring), TEXT + 1);
    ck_assert(!pf_json_refused(root));
    cJSON_Delete(root);
    free(json);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("facts_scan");
    TCase *tc = tcase_create("api");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_control_between_tokens);
    tcase_add_test(tc, test_byte_order_mark);
    tcase_add_test(tc, test_control_after_number);
    tcase_add_test(tc, test_control_inside_text);
    tcase_add_test(tc, test_bad_number_before_containers);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("layer");
    tcase_add_test(tl, test_unread_after_bad_number);
    tcase_add_test(tl, test_number_alone);
    tcase_add_test(tl, test_text_after_value);
    tcase_add_test(tl, test_layer_arguments);
    tcase_add_test(tl, test_reason_message_shapes);
    tcase_add_test(tl, test_reason_byte);
    tcase_add_test(tl, test_yajl_grows);
    suite_add_tcase(s, tl);
    return pw_run_suite(s);
}
