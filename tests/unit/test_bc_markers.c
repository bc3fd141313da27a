/* The markers the generator compiles into ordinary functions of an image
 * (src/bc/granted.c, src/bc/decision.c): `granted here`, `arrange` and
 * `decided by`, found only when the function has exactly the expected name,
 * shape and code; and the small lookups of src/bc (pb_decode at the end of
 * the code, pb_find_string without a hash). Each image is verified first,
 * as every image these run on is. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "asm_helpers.h"
#include "bc/decision.h"
#include "bc/granted.h"

enum { F_ID, F_CERTS, F_ROLES, F_COURSES };
enum { C_ID, C_ISSUED, C_EXPIRES };
#define REC_CERT 1
#define REC_COURSE 2

static pb_type t_int(void) { return ah_t(PB_T_INT); }
static uint32_t ty(pb_type t) { return pb_type_pack(t); }

/* A coach with a certificate list and a set; function 0 `yes`. */
static void base(ah *b)
{
    ah_str(b, "markers.pw");
    ah_record(b, "coach");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "certificates", ah_list(REC_CERT), PB_DEF_EMPTY, (pv_value){0});
    ah_field(b, "roles", ah_t(PB_T_SET), PB_DEF_EMPTY, (pv_value){0});
    ah_field(b, "courses", ah_list(REC_COURSE), PB_DEF_EMPTY, (pv_value){0});
    ah_record(b, "certificate");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "issued", ah_t(PB_T_DATE), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "expires", ah_opt(PB_T_DATE), PB_DEF_NONE, (pv_value){0});
    ah_record(b, "course");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, (pv_value){0});
    ah_const_fn(b, "yes", true);
}

/* base() and one program whose leaf calls `yes` (0), after `extra` added
 * its functions. */
static pb_image *image(void (*extra)(ah *b))
{
    ah *b = ah_new();
    ck_assert_ptr_nonnull(b);
    base(b);
    if (extra)
        extra(b);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "always", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "decided", 1);
    pb_image *img = ah_image(b);
    free(b);
    char err[512];
    ck_assert_msg(pb_verify(img, err, sizeof err), "%s", err);
    return img;
}

/* ---- granted here -------------------------------------------------------------- */

static const char *marker;

/* A function 1 that returns true (leaf "decided"), then the marker: the
 * certificates list, loaded and returned. */
static void with_marker(ah *b)
{
    ah_const_fn(b, "plain", true);
    AH_FN(b, marker, ah_list(REC_CERT), 0, NULL, 0, 1, {PB_OP_LOAD_FACT, F_CERTS, 0}, {PB_OP_RET, 0, 0});
}

static bool granted(const char *name, pb_granted *g)
{
    marker = name;
    pb_image *img = image(with_marker);
    bool found = pb_granted_find(img, g);
    pb_image_free(img);
    return found;
}

START_TEST(granted_names)
{
    pb_granted g;
    ck_assert(granted("granted here with id: id, issued: issued", &g));
    ck_assert_uint_eq(g.slot, F_CERTS);
    ck_assert_uint_eq(g.id, C_ID);
    ck_assert_uint_eq(g.issued, C_ISSUED);
    ck_assert_uint_eq(g.expires, PB_NO_GRANT_FIELD);
    ck_assert(granted("granted here with id: id, issued: issued, expires: expires", &g));
    ck_assert_uint_eq(g.expires, C_EXPIRES);
    /* Not markers: a key out of place, a field the record lacks, a comma
     * without its space, no issue day. */
    ck_assert(!granted("granted here with issued: issued, id: id", &g));
    ck_assert(!granted("granted here with id: nope, issued: issued", &g));
    ck_assert(!granted("granted here with id: id,issued: issued", &g));
    ck_assert(!granted("granted here with id: id", &g));
    ck_assert(!granted("granted here without", &g));
    ck_assert(!granted("granted here with ", &g));
    ck_assert(!granted("granted here with id: ix, issued: issued", &g)); /* as long as "id" */
}
END_TEST

/* The marker's code must load the list of the record its names are fields
 * of, as its first instruction. */
static void marker_loads_set(ah *b)
{
    ah_const_fn(b, "plain", true);
    AH_FN(b, "granted here with id: id, issued: issued", ah_list(REC_CERT), 0, NULL, 0, 1,
          {PB_OP_LOAD_FACT, F_ROLES, 0}, {PB_OP_POP, 0, 0}, {PB_OP_LOAD_FACT, F_CERTS, 0}, {PB_OP_RET, 0, 0});
}

static void marker_loads_other_list(ah *b)
{
    ah_const_fn(b, "plain", true);
    AH_FN(b, "granted here with id: id, issued: issued", ah_list(REC_CERT), 0, NULL, 0, 1,
          {PB_OP_LOAD_FACT, F_COURSES, 0}, {PB_OP_POP, 0, 0}, {PB_OP_LOAD_FACT, F_CERTS, 0}, {PB_OP_RET, 0, 0});
}

static void marker_no_load(ah *b)
{
    ah_const_fn(b, "plain", true);
    AH_FN(b, "granted here with id: id, issued: issued", ah_list(REC_CERT), 0, NULL, 0, 1,
          {PB_OP_PUSH_NONE, ty(ah_list(REC_CERT)), 0}, {PB_OP_RET, 0, 0});
}

static void marker_with_param(ah *b)
{
    ah_const_fn(b, "plain", true);
    pb_type p[1] = {t_int()};
    AH_FN(b, "granted here with id: id, issued: issued", ah_list(REC_CERT), 1, p, 1, 1,
          {PB_OP_LOAD_FACT, F_CERTS, 0}, {PB_OP_RET, 0, 0});
}

START_TEST(granted_shapes)
{
    void (*const shapes[])(ah *) = {marker_loads_set, marker_loads_other_list, marker_no_load, marker_with_param};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        pb_image *img = image(shapes[i]);
        pb_granted g;
        ck_assert_msg(!pb_granted_find(img, &g), "shape %zu taken for a marker", i);
        pb_image_free(img);
    }
}
END_TEST

/* ---- arrange ---------------------------------------------------------------------- */

static void arranges(ah *b)
{
    ah_const_fn(b, "plain", true);
    ah_const_fn(b, "arrange 1: take the course", true);
    ah_const_fn(b, "arrange x: no node number", true);
    ah_const_fn(b, "arrange 0 no colon", true);
    ah_const_fn(b, "arrange 0:no space", true);
    ah_const_fn(b, "arrange 99: no such node", true);
    AH_FN(b, "arrange 0: not a boolean", t_int(), 0, NULL, 0, 1, {PB_OP_PUSH_INT, ah_int(b, 1), 0},
          {PB_OP_RET, 0, 0});
    pb_type p[1] = {t_int()};
    AH_FN(b, "arrange 0: with a parameter", ah_t(PB_T_BOOL), 1, p, 1, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

START_TEST(arrange_texts)
{
    pb_image *img = image(arranges);
    const char *texts[2] = {"stale", "stale"};
    ck_assert_uint_eq(img->nreqs, 2);
    pb_arrange_texts(img, texts);
    ck_assert_ptr_null(texts[0]);
    ck_assert_str_eq(texts[1], "take the course");
    pb_image_free(img);
}
END_TEST

/* ---- decided by --------------------------------------------------------------------- */

/* Leaf 1 calls function 1; function 2 is its decision when so named. */
static const char *decider;

static void with_decider(ah *b)
{
    ah_const_fn(b, "plain", true);
    AH_FN(b, decider, t_int(), 0, NULL, 0, 1, {PB_OP_PUSH_INT, ah_int(b, 0), 0}, {PB_OP_RET, 0, 0});
}

static void with_decider_param(ah *b)
{
    ah_const_fn(b, "plain", true);
    pb_type p[1] = {t_int()};
    AH_FN(b, decider, t_int(), 1, p, 1, 1, {PB_OP_PUSH_INT, ah_int(b, 0), 0}, {PB_OP_RET, 0, 0});
}

static void with_decider_optional(ah *b)
{
    ah_const_fn(b, "plain", true);
    AH_FN(b, decider, ah_opt(PB_T_INT), 0, NULL, 0, 1, {PB_OP_PUSH_NONE, ty(ah_opt(PB_T_INT)), 0}, {PB_OP_RET, 0, 0});
}

/* A group is decided by no one; nor is a leaf whose function is the last. */
START_TEST(decision_shapes)
{
    ah *b = ah_new();
    base(b);
    ah_prog(b, "p");
    ah_open(b, PB_R_ALL, PB_ROLE_REQUIRE, "all", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "a", 0);
    ah_close(b);
    pb_image *img = ah_image(b);
    free(b);
    char err[256];
    ck_assert_msg(pb_verify(img, err, sizeof err), "%s", err);
    ck_assert_uint_eq(img->nfuncs, 1);
    ck_assert_uint_eq(pb_decision(img, 0, NULL), PB_NO_DECISION); /* the group */
    ck_assert_uint_eq(pb_decision(img, 1, NULL), PB_NO_DECISION); /* calls the last function */
    pb_image_free(img);
}
END_TEST

START_TEST(decision_names)
{
    decider = "decided by the head coach";
    pb_image *img = image(with_decider);
    const char *who = NULL;
    ck_assert_uint_eq(pb_decision(img, 1, &who), 2);
    ck_assert_str_eq(who, "the head coach");
    ck_assert_uint_eq(pb_decision(img, 1, NULL), 2);
    /* Leaf 0 calls `yes` (0): function 1 is no decision. Node 2 does not
     * exist. */
    ck_assert_uint_eq(pb_decision(img, 0, NULL), PB_NO_DECISION);
    ck_assert_uint_eq(pb_decision(img, 2, NULL), PB_NO_DECISION);
    pb_image_free(img);

    /* The function after a leaf's is its decision only when it takes
     * nothing: with a parameter it is not. */
    decider = "decided by the head coach";
    img = image(with_decider_param);
    ck_assert_uint_eq(pb_decision(img, 1, NULL), PB_NO_DECISION);
    pb_image_free(img);

    /* Nor when it may give none. */
    img = image(with_decider_optional);
    ck_assert_uint_eq(pb_decision(img, 1, NULL), PB_NO_DECISION);
    pb_image_free(img);

    decider = "chosen by the head coach";
    img = image(with_decider);
    who = "untouched";
    ck_assert_uint_eq(pb_decision(img, 1, &who), PB_NO_DECISION);
    ck_assert_str_eq(who, "untouched");
    pb_image_free(img);
}
END_TEST

/* ---- lookups ---------------------------------------------------------------------- */

START_TEST(decode_and_find_edges)
{
    static const uint8_t code[] = {PB_OP_PUSH_TRUE, PB_OP_COUNT, PB_OP_PUSH_INT, 0};
    pb_insn in;
    ck_assert(pb_decode(code, 1, 0, &in));
    ck_assert_int_eq(in.op, PB_OP_PUSH_TRUE);
    ck_assert(!pb_decode(code, 1, 1, &in)); /* past the end */
    ck_assert(!pb_decode(code, 2, 1, &in)); /* no such opcode */
    ck_assert(!pb_decode(code, 0, 0, &in)); /* no code at all */
    ck_assert(!pb_decode(code, 4, 2, &in)); /* an operand cut short */
    /* An image whose strings were never hashed (nothing loaded) finds none. */
    pb_image *img = pb_image_new();
    ck_assert_uint_eq(pb_find_string(img, "x", 1), PB_NO_STRING);
    pb_image_free(img);
}
END_TEST

static Suite *markers_suite(void)
{
    Suite *s = suite_create("bc_markers");
    TCase *tc = tcase_create("markers");
    tcase_add_test(tc, granted_names);
    tcase_add_test(tc, granted_shapes);
    tcase_add_test(tc, arrange_texts);
    tcase_add_test(tc, decision_names);
    tcase_add_test(tc, decision_shapes);
    tcase_add_test(tc, decode_and_find_edges);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(markers_suite());
}
