/* The verifier: hand-assembled images, each breaking one rule, must be
 * rejected with the message that names it; valid ones (including the shapes
 * the code generator emits) must be accepted. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "verify_cases.h"

/* `valid until`: the program names the function that computes the expiry,
 * which must exist and take and give a date. */
static void p_prog_valid_func(pb_image *img)
{
    img->progs[0].valid_unit = PB_VALID_COMPUTED;
    img->progs[0].valid_n = 0;
}

static void p_prog_valid_range(pb_image *img)
{
    img->progs[0].valid_unit = PB_VALID_COMPUTED;
    img->progs[0].valid_n = 999;
}

/* The base image and the invalid cases shared with the hostile corpus are in
 * verify_cases.h; the valid shapes and the cases only this test makes (the
 * loader stops a file before the verifier would see them) are here. */

/* A frame of 2^32 values, one more than a frame can count: function 0
 * (one local, 65,535 stack) returns true, and each of the next 65,536
 * (65,535 stack) calls the one before, the most a CALL operand can name, so
 * the last needs 65,536 + 65,536 * 65,535 values. Every frame but the last is
 * declared as needed; a frame field cannot hold the last's. About 2 MB. */
static void p_frame_chain(pb_image *img)
{
    enum { N = 65537 };
    pb_func *f = pm_alloc(&img->arena, sizeof *f * N);
    uint8_t *code = pm_alloc(&img->arena, (size_t)4 * N);
    ck_assert(f && code);
    uint32_t ncode = 0;
    uint64_t need = 0;
    for (uint32_t i = 0; i < N; i++) {
        f[i] = img->funcs[0]; /* 'yes': no parameters, a boolean */
        f[i].code_off = ncode;
        f[i].nlocals = i == 0;
        f[i].max_stack = UINT16_MAX;
        if (i == 0)
            ncode += pb_encode(code + ncode, PB_OP_PUSH_TRUE, 0, 0);
        else
            ncode += pb_encode(code + ncode, PB_OP_CALL, i - 1, 0);
        ncode += pb_encode(code + ncode, PB_OP_RET, 0, 0);
        f[i].code_len = ncode - f[i].code_off;
        need += (uint64_t)f[i].nlocals + f[i].max_stack;
        f[i].frame = need > UINT32_MAX ? UINT32_MAX : (uint32_t)need;
    }
    img->funcs = f;
    img->nfuncs = N;
    img->code = code;
    img->ncode = ncode;
}

/* ---- valid code ---------------------------------------------------------------- */

/* any c in certificates where c.id = "x", as the code generator lays it out. */
static void v_quantifier(ah *b)
{
    ah_func(b, "any_cert", t_bool(), 0, NULL, 3, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 2, 0);
    ah_emit(b, PB_OP_LOAD_LOCAL, 2, 0);
    ah_emit(b, PB_OP_LOAD_FIELD, REC_CERT, C_ID);
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "x"), 0);
    ah_emit(b, PB_OP_CMP_TEXT, PB_EQ, 0);
    uint32_t found = ah_emit(b, PB_OP_JUMP_TRUE, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_FALSE, 0, 0);
    uint32_t end = ah_emit(b, PB_OP_JUMP, 0, 0);
    ah_patch(b, found, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_patch(b, end, b->ncode);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* count of certificates >= 2, with the count carried around the loop in a
 * local that holds an integer before the loop and on its back edge. */
static void v_sum(ah *b)
{
    ah_func(b, "count", t_bool(), 0, NULL, 4, 2);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 3, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 2, 0);
    ah_emit(b, PB_OP_LOAD_LOCAL, 3, 0);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 1), 0);
    ah_emit(b, PB_OP_ADD_INT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 3, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_LOAD_LOCAL, 3, 0);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 2), 0);
    ah_emit(b, PB_OP_CMP_INT, PB_GE, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* Iterating a set of text yields text; HAS takes a set. */
static void v_set(ah *b)
{
    ah_func(b, "roles", t_bool(), 0, NULL, 2, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_t(PB_T_SET)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "coach"), 0);
    ah_emit(b, PB_OP_CMP_TEXT, PB_NE, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "coach"), 0);
    ah_emit(b, PB_OP_HAS, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* g(text, integer): boolean, called with `deg otherwise "x"` and 3. */
static void v_call(ah *b)
{
    pb_type p[2] = {ah_t(PB_T_TEXT), t_int()};
    uint32_t g = AH_FN(b, "g", t_bool(), 2, p, 2, 2, {PB_OP_LOAD_LOCAL, 1, 0}, {PB_OP_LOAD_LOCAL, 1, 0},
                       {PB_OP_CMP_INT, PB_EQ, 0}, {PB_OP_RET, 0, 0});
    AH_FN(b, "caller", t_bool(), 0, NULL, 0, 3, {PB_OP_LOAD_FACT, F_DEG, 0},
          {PB_OP_PUSH_STR, ah_str(b, "x"), 0}, {PB_OP_OTHERWISE, 0, 0}, {PB_OP_PUSH_INT, ah_int(b, 3), 0},
          {PB_OP_CALL, g, 0}, {PB_OP_RET, 0, 0});
}

/* A function of one element: the verifier follows records through ELEM. */
static void v_elem_param(ah *b)
{
    pb_type p[1] = {ah_elem(REC_CERT)};
    uint32_t issued = AH_FN(b, "issued", ah_t(PB_T_DATE), 1, p, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0},
                            {PB_OP_LOAD_FIELD, REC_CERT, C_ISSUED}, {PB_OP_RET, 0, 0});
    ah_func(b, "first_issued_before", t_bool(), 0, NULL, 2, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_CALL, issued, 0);
    ah_emit(b, PB_OP_PUSH_TODAY, 0, 0);
    ah_emit(b, PB_OP_CMP_DATE, PB_LT, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_FALSE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* Never run, so never type-checked. */
static void v_unreachable(ah *b)
{
    AH_FN(b, "dead", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0},
          {PB_OP_ADD_INT, 0, 0}, {PB_OP_RET, 0, 0});
}

/* Local 0 is an integer on one path and text on the other; fine while no one
 * reads it after they join. */
static void v_local_conflict_unread(ah *b)
{
    uint32_t k = ah_int(b, 1), s = ah_str(b, "s");
    AH_FN(b, "f", t_bool(), 0, NULL, 1, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_JUMP_FALSE, 13, 0},
          {PB_OP_PUSH_INT, k, 0}, {PB_OP_STORE_LOCAL, 0, 0}, {PB_OP_JUMP, 8, 0},
          {PB_OP_PUSH_STR, s, 0}, {PB_OP_STORE_LOCAL, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

/* Two loops in sequence over different lists, then nested loops. */
static void v_nested(ah *b)
{
    ah_func(b, "nested", t_bool(), 0, NULL, 5, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    uint32_t outer = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 4, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 2, ty(ah_t(PB_T_SET)));
    uint32_t inner = ah_emit(b, PB_OP_ITER_NEXT, 2, 0);
    ah_emit(b, PB_OP_LOAD_LOCAL, 4, 0);
    ah_emit(b, PB_OP_LOAD_FIELD, REC_CERT, C_ID);
    ah_emit(b, PB_OP_CMP_TEXT, PB_EQ, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), inner);
    ah_patch(b, inner, b->ncode);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), outer);
    ah_patch(b, outer, b->ncode);
    ah_emit(b, PB_OP_LOAD_LOCAL, 1, 0); /* a position reads as an integer */
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_CMP_INT, PB_GE, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* ---- invalid tables (patched after the image is built) ------------------------- */

/* string 0 is "hostile.pw" (verify_cases.h): its length says 10, its bytes go on. */
static void p_string_unterminated(pb_image *img) { img->strings[0] = "hostile.pwXYZ"; }
/* Bounds (`integer >= 0`): only on integers, numbers and dates, in order,
 * around the default, dates in range. */
static void p_bounds_ok(pb_image *img)
{
    img->fields[F_N].bounds = PB_BOUND_MIN | PB_BOUND_MAX;
    img->fields[F_N].minv.as.i = 0;
    img->fields[F_N].maxv.as.i = 10;
    img->fields[F_BIRTH].bounds = PB_BOUND_MIN;
    img->fields[F_BIRTH].minv.as.d = 0;
}
static void p_bounds_bool(pb_image *img) { img->fields[F_OKAY].bounds = PB_BOUND_MAX; }
static void p_bounds_default(pb_image *img)
{
    p_bounds_ok(img);
    img->fields[F_N].minv.as.i = 1; /* the default is 0 */
}
static void p_prog_string(pb_image *img) { img->progs[0].title = 12345; }
static void p_req_label(pb_image *img) { img->reqs[0].label = 4000; }
static void p_line_file(pb_image *img) { img->lines[0].file = 777; }
static void p_missing_table(pb_image *img) { img->funcs = NULL; }

static void with_lines(ah *b)
{
    ah_line(b, 0, "hostile.pw", 1, 1);
    ah_line(b, 1, "hostile.pw", 2, 1);
}

static void r_deep_ok(ah *b)
{
    ah_prog(b, "p");
    for (int i = 0; i < PB_MAX_REQ_DEPTH - 1; i++)
        ah_open(b, PB_R_ANY, PB_ROLE_PREFER, "g", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "deep", 0);
    for (int i = 0; i < PB_MAX_REQ_DEPTH - 1; i++)
        ah_close(b);
}

/* Effective periods: more days since 1970-01-01 (verify_cases.h has the
 * first and last of the date range). */
enum {
    D_2026_03_31 = 20543,
    D_2027_01_01 = 20819,
};

static void p_prog_open_ends_swapped(pb_image *img)
{
    img->progs[0].from = PB_OPEN_UNTIL;
    img->progs[0].until = PB_OPEN_FROM;
}
static void p_prog_period_range_ends(pb_image *img)
{
    img->progs[0].from = D_1800_01_01;
    img->progs[0].until = D_2999_12_31;
}
static void p_prog_one_day(pb_image *img) { img->progs[0].from = img->progs[0].until = D_2026_06_01; }
static void p_req_from_range(pb_image *img) { img->reqs[0].from = INT32_MIN + 1; }
static void p_req_until_range(pb_image *img)
{
    img->reqs[0].from = D_2026_01_01;
    img->reqs[0].until = INT32_MAX - 1;
}

static void r_versions_overlap_out_of_order(ah *b)
{
    version(b, "p", D_2026_06_01, D_2026_12_31);
    version(b, "p", D_2026_01_01, D_2026_06_01); /* one day in common */
}
static void r_versions_overlap_apart(ah *b)
{
    version(b, "p", D_2026_01_01, D_2026_03_31);
    version(b, "q", D_2026_01_01, D_2026_03_31);
    version(b, "p", D_2027_01_01, PB_OPEN_UNTIL);
    version(b, "p", D_2026_03_31, D_2026_12_31);
}
static void r_versions_same_day(ah *b)
{
    version(b, "p", D_2026_06_01, D_2026_06_01);
    version(b, "p", D_2026_06_01, D_2026_06_01);
}
static void r_versions_undated_twice(ah *b)
{
    version(b, "p", PB_OPEN_FROM, PB_OPEN_UNTIL);
    version(b, "p", PB_OPEN_FROM, PB_OPEN_UNTIL);
}
static void r_versions_back_to_back(ah *b)
{
    version(b, "p", D_2026_06_01, PB_OPEN_UNTIL);
    version(b, "q", PB_OPEN_FROM, PB_OPEN_UNTIL);
    version(b, "p", D_2026_01_01, D_2026_05_31);
    version(b, "p", PB_OPEN_FROM, D_2026_01_01 - 1);
}

/* ---- the table ---------------------------------------------------------------------- */

/* ---- branches the cases above leave untaken (docs/robustness.md, "Coverage") -- */

/* A computed validity's function must take one plain date and give one. */
static void r_valid_with(ah *b, pb_type param, pb_type result)
{
    pb_type p[1] = {param};
    AH_FN(b, "v", result, 1, p, 1, 1, {PB_OP_PUSH_NONE, ty(result), 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "always", 0);
}
static void r_valid_opt_param(ah *b) { r_valid_with(b, ah_opt(PB_T_DATE), ah_t(PB_T_DATE)); }
static void r_valid_int_param(ah *b) { r_valid_with(b, t_int(), ah_t(PB_T_DATE)); }
static void r_valid_opt_result(ah *b) { r_valid_with(b, ah_t(PB_T_DATE), ah_opt(PB_T_DATE)); }
static void r_valid_int_result(ah *b) { r_valid_with(b, ah_t(PB_T_DATE), t_int()); }
static void p_valid_func1(pb_image *img)
{
    img->progs[0].valid_unit = PB_VALID_COMPUTED;
    img->progs[0].valid_n = 1;
}

/* Two top-level leaves; the first claims the second as its member. */
static void r_two_leaves(ah *b)
{
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "a", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "b", 0);
}
static void p_leaf_size(pb_image *img) { img->reqs[0].size = 2; }
static void p_string_missing(pb_image *img) { img->strings[1] = NULL; }

/* Bounds with a maximum alone (n: integer, default 0). */
static void p_max_below_default(pb_image *img)
{
    img->fields[F_N].bounds = PB_BOUND_MAX;
    img->fields[F_N].maxv.as.i = -1;
}
static void p_max_above_default(pb_image *img)
{
    img->fields[F_N].bounds = PB_BOUND_MAX;
    img->fields[F_N].maxv.as.i = 10;
}
static void p_both_below_default(pb_image *img)
{
    img->fields[F_N].bounds = PB_BOUND_MIN | PB_BOUND_MAX;
    img->fields[F_N].minv.as.i = -5;
    img->fields[F_N].maxv.as.i = -1;
}

/* A number field with bounds and a NaN default (h: number, default 1.5). */
static void p_default_nan(pb_image *img)
{
    img->fields[F_H].bounds = PB_BOUND_MIN;
    img->fields[F_H].minv.as.n = 0;
    img->fields[F_H].defv.as.n = NAN;
}

/* A loop whose body overwrites the iterator's position (local 1). */
static void c_loop_position_overwritten(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 1, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* A finding loop whose body overwrites the key (local 2). */
static void c_loop_key_overwritten(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 3, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "x"), 0);
    ah_emit(b, PB_OP_ITER_KEY, 0, C_ID);
    uint32_t head = ah_emit(b, PB_OP_ITER_FIND, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 2, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* Local 3 is an integer at the loop head; the body makes it text on one
 * path only, so that on the back edge its type is unknown (unset). */
static void c_loop_local_unset(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 4, 2);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 3, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_t(PB_T_SET)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    uint32_t skip = ah_emit(b, PB_OP_JUMP_FALSE, 0, 0);
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "s"), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 3, 0);
    ah_patch(b, skip, b->ncode);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* A third record, course, whose list the patch below makes `deg`. */
static void with_courses(ah *b)
{
    ah_record(b, "course");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, NONE_V);
}
static void p_deg_courses(pb_image *img)
{
    img->fields[F_DEG].type = ah_list(2);
    img->fields[F_DEG].def = PB_DEF_EMPTY;
}

/* The iterator's list replaced by a list of another record. */
static void c_iter_list_other_record(ah *b)
{
    with_courses(b);
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 1);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    ah_emit(b, PB_OP_LOAD_FACT, F_DEG, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 0, 0);
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* A key made for certificates, then an iterator over courses. */
static void c_key_other_record(ah *b)
{
    with_courses(b);
    ah_func(b, "bad", t_bool(), 0, NULL, 3, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "x"), 0);
    ah_emit(b, PB_OP_ITER_KEY, 0, C_ID);
    ah_emit(b, PB_OP_LOAD_FACT, F_DEG, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(2)));
    uint32_t head = ah_emit(b, PB_OP_ITER_FIND, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* Two paths meet with an iterator over a list on one and over a set on
 * the other: no iterator after the join. */
static void c_iter_two_kinds(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 1);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    uint32_t to_set = ah_emit(b, PB_OP_JUMP_FALSE, 0, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    uint32_t to_join = ah_emit(b, PB_OP_JUMP, 0, 0);
    ah_patch(b, to_set, b->ncode);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_t(PB_T_SET)));
    ah_patch(b, to_join, b->ncode);
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* LOAD_FIELD pops a list element, not an integer. */
static void c_field_of_int(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_LOAD_FIELD, REC_CERT, 0},
          {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

/* ITER_KEY and ITER_FIND need an iterator that ITER_INIT set up. */
static void c_key_without_iter(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 3, 1, {PB_OP_PUSH_STR, ah_str(b, "x"), 0}, {PB_OP_ITER_KEY, 0, 0},
          {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}
static void c_find_without_iter(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 3, 1, {PB_OP_ITER_FIND, 0, 0}, {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0},
          {PB_OP_RET, 0, 0});
}

typedef struct vcase {
    const char *name;
    void (*build)(ah *b);
    void (*patch)(pb_image *img);
    const char *expect; /* part of the message; NULL: must verify */
} vcase;

static const vcase cases[] = {
    /* valid */
    {"base image", NULL, NULL, NULL},
    {"quantifier shape", v_quantifier, NULL, NULL},
    {"loop-carried local", v_sum, NULL, NULL},
    {"set iteration and HAS", v_set, NULL, NULL},
    {"call with parameters and OTHERWISE", v_call, NULL, NULL},
    {"element parameter", v_elem_param, NULL, NULL},
    {"unreachable code is not type-checked", v_unreachable, NULL, NULL},
    {"conflicting local never read", v_local_conflict_unread, NULL, NULL},
    {"sequential and nested loops", v_nested, NULL, NULL},
    {"groups nested to the limit", r_deep_ok, NULL, NULL},
    {"callee frame accounted", with_callee_frame, NULL, NULL},

    /* operands */
    {"unknown opcode", c_unknown_opcode, NULL, "unknown opcode 200 in function 1 'bad' at offset 2"},
    {"instruction cut short", c_truncated, NULL, "instruction runs past the end of the function"},
    {"integer constant", c_kint, NULL, "integer constant 99 out of range (image has 0) in function 1 'bad' at offset 2 (PUSH_INT)"},
    {"number constant", c_knum, NULL, "number constant 99 out of range (image has 0)"},
    {"string operand", c_str, NULL, "string 999 out of range (image has"},
    {"date operand", c_date, NULL, "date 9999999 out of range (years 1800 to 2999)"},
    {"facts slot", c_slot, NULL, "facts field 40 out of range (the facts record has 9 fields)"},
    {"record operand", c_rec, NULL, "record 7 out of range (image has 2 records)"},
    {"field operand", c_field, NULL, "field 5 out of range (record 1 'certificate' has 3 fields)"},
    {"local operand", c_local, NULL, "local 3 out of range (function has 2 locals)"},
    {"iterator needs two locals", c_iter_local, NULL, "local 2 out of range (function has 2 locals)"},
    {"call to itself", c_self_call, NULL, "call to function 1: only lower-numbered functions may be called"},
    {"unit operand", c_unit, NULL, "invalid unit 3"},
    {"DATE_PART unit operand", c_date_part_unit, NULL, "invalid unit 3"},
    {"DATE_PART of an integer", c_date_part_type, NULL, "expected date, found integer (value 1 of the 1 it pops)"},
    {"DATE_MAKE of a date", c_date_make_type, NULL, "expected integer, found date (value 3 of the 3 it pops)"},
    {"DATE_NEXT of an integer", c_date_next_type, NULL, "expected date, found integer (value 1 of the 3 it pops)"},
    {"DATE_MAKE short of values", c_date_make_short, NULL, "DATE_MAKE"},
    {"comparison operand", c_cmp, NULL, "invalid comparison 6"},
    {"text ordering", c_cmp_text_order, NULL, "only eq and ne apply to text, not lt"},
    {"boolean ordering", c_cmp_bool_order, NULL, "only eq and ne apply to booleans, not gt"},
    {"type operand: element", c_type_elem, NULL, "invalid type operand 0x00010008 (certificate)"},
    {"type operand: kind", c_type_kind, NULL, "invalid type operand 0x0000004d"},
    {"ITER_INIT of a non-list type", c_iter_type_operand, NULL, "invalid type operand 0x00000001 (integer)"},

    /* control flow */
    {"jump outside the function", c_jump_out, NULL, "jump to offset 107, outside the function (code 2..9)"},
    {"jump into an instruction", c_jump_inside, NULL, "a jump lands at offset 9, inside this instruction"},
    {"LOOP forward", c_loop_forward, NULL, "LOOP by 0 does not go back to an earlier instruction"},
    {"LOOP before the function", c_loop_before_start, NULL, "LOOP by 50 does not go back"},
    {"LOOP to a non-ITER_NEXT", c_loop_not_iter, NULL, "LOOP to offset 2, which is not an ITER_NEXT"},
    {"LOOP inside its loop's exit", c_loop_exit_inside, NULL, "LOOP to the ITER_NEXT at offset 12, whose exit (offset 20) is not after the LOOP"},
    {"falls off the end", c_falls_off, NULL, "execution falls off the end of the function"},

    /* types */
    {"stack underflow", c_underflow, NULL, "stack underflow: pops 2 values, the stack holds 1"},
    {"operand type", c_type_mismatch, NULL, "expected integer, found text (value 2 of the 2 it pops) in function 1 'bad' at offset 12 (ADD_INT)"},
    {"no implicit conversion", c_no_conversion, NULL, "expected number, found integer (value 1 of the 2 it pops)"},
    {"stack overflow", c_overflow, NULL, "stack overflow: more than max_stack 1 values"},
    {"merge: stack depth", c_merge_depth, NULL, "paths into offset 9 disagree: stack depth 0 on one, 1 on another"},
    {"merge: stack types", c_merge_type, NULL, "paths into offset 23 disagree: stack value 0 is integer on one, text on another"},
    {"unset local", c_unset_local, NULL, "local 0 is read before it is set"},
    {"local unset by a merge", c_local_after_conflict, NULL, "local 0 is read before it is set"},
    {"field of the wrong record", c_field_wrong_record, NULL, "field of record 0 applied to certificate"},
    {"HAS on a list", c_has_list, NULL, "expected a set of text, found list of certificate"},
    {"ITER_INIT type", c_iter_init_mismatch, NULL, "the operand says list of certificate, the stack holds set of text"},
    {"OTHERWISE kinds", c_otherwise_kinds, NULL, "the value is date but the alternative is integer"},
    {"ITER_NEXT without ITER_INIT", c_iter_without_init, NULL, "locals 0 and 1 are not an iterator set up by ITER_INIT"},
    {"iterator position overwritten", c_iter_position_forged, NULL, "locals 0 and 1 are not an iterator"},
    {"iterator list replaced", c_iter_list_replaced, NULL, "locals 0 and 1 are not an iterator"},
    {"call arguments", c_call_args, NULL, "expected text, found integer (value 1 of the 2 it pops)"},
    {"result type", c_ret_type, NULL, "expected boolean, found integer (value 1 of the 1 it pops)"},
    {"local changes type around a loop", c_loop_local_type, NULL, "local 3 is text, but integer at the ITER_NEXT"},
    {"stack changes around a loop", c_loop_stack, NULL, "with stack depth 1; the ITER_NEXT there has 0"},

    /* frames */
    {"frame too small", NULL, p_func_frame, "function 0 'yes' declares a frame of 0 values but needs 1 (0 locals + 1 stack + 0 for calls)"},
    {"frame without the callee's", with_callee_frame, p_callee_frame, "function 2 'caller' declares a frame of 8 values but needs 9"},

    /* strings, records, fields */
    {"string with NUL", NULL, p_string_nul, "string 0 contains a NUL byte"},
    {"string not terminated", NULL, p_string_unterminated, "string 0 is not NUL-terminated"},
    {"record fields out of range", NULL, p_record_range, "record 1: fields 9..108 out of range (image has 12 fields)"},
    {"field kind", NULL, p_field_kind, "field 0 has an invalid type (<kind 9>)"},
    {"field list record", NULL, p_field_list_rec, "field 3 has an invalid type (list of record 9)"},
    {"field record on a scalar", NULL, p_field_text_rec, "field 0 has an invalid type (text)"},
    {"none default, not optional", NULL, p_def_none, "field 0 defaults to none but its type text is not optional"},
    {"empty default, not a list", NULL, p_def_empty, "field 0 defaults to empty but its type text is not a list or set"},
    {"value default for a list", NULL, p_def_value_list, "field 3 of type list of certificate cannot have a default value"},
    {"text default string", NULL, p_def_text, "string 999 out of range (image has 17 strings) in the default of field 0"},
    {"default kind", NULL, p_def_kind, "field 0 has an invalid default kind 9"},
    {"bounds in order", NULL, p_bounds_ok, NULL},
    {"bounds on text", NULL, p_bounds_text, "field 0 of type text has invalid bounds"},
    {"bounds on a boolean", NULL, p_bounds_bool, "field 7 of type boolean has invalid bounds"},
    {"bounds out of order", NULL, p_bounds_order, "field 5: its minimum is above its maximum"},
    {"default outside bounds", NULL, p_bounds_default, "field 5: its default is outside its bounds"},
    {"date bound out of range", NULL, p_bounds_date, "field 1 of type date has invalid bounds"},
    {"NaN bound", NULL, p_bounds_nan, "field 6 of type number has invalid bounds"},
    {"missing table", NULL, p_missing_table, "table of functions missing (count 1)"},

    /* functions */
    {"function code range", NULL, p_func_range, "function 0 'yes': code 0..9999 out of range (image has 2 code bytes)"},
    {"function without code", NULL, p_func_empty, "function 0 'yes' has no code"},
    {"more parameters than locals", NULL, p_func_params, "function 0 'yes' has 1 parameters but only 0 locals"},
    {"parameter types range", NULL, p_func_param_range, "function 0 'yes': parameter types 0..1 out of range (image has 0)"},
    {"parameter type", with_param_func, NULL, "function 1 'g': parameter 0 has an invalid type (void)"},
    {"result type", NULL, p_func_result, "function 0 'yes' has an invalid result type (void)"},

    /* programs and requirement trees */
    {"program string", NULL, p_prog_string, "string 12345 out of range (image has 17 strings) in program 0"},
    {"program validity unit", NULL, p_prog_unit, "program 0 has an invalid validity unit 7"},
    {"validity function signature", NULL, p_prog_valid_func,
     "program 0: validity function 0 is not a function of one date that gives a date"},
    {"validity function range", NULL, p_prog_valid_range,
     "program 0: validity function 999 is not a function of one date that gives a date"},
    {"program requirement range", NULL, p_prog_range, "program 0: requirements 0..50 out of range (image has 1 requirement nodes)"},
    {"programs overlap", r_overlap, p_overlap, "program 1: requirement nodes 0..1 overlap those of program 0"},
    {"requirement kind", NULL, p_req_kind, "requirement 0 of program 0 has an invalid kind 9"},
    {"requirement role", NULL, p_req_role, "requirement 0 of program 0 has an invalid role 5"},
    {"requirement label", NULL, p_req_label, "string 4000 out of range (image has 17 strings) in requirement 0 of program 0"},
    {"leaf with members", NULL, p_req_leaf_children, "a single requirement with 1 members"},
    {"leaf function range", NULL, p_req_func, "function 99 out of range (image has 1 functions)"},
    {"leaf function parameters", r_leaf_params, NULL, "function 1 'g' takes 1 parameters (needs none)"},
    {"leaf function result", r_leaf_result, NULL, "function 1 'g' returns integer (needs boolean)"},
    {"all-of min", r_all, p_all_min, "all-of group has min 1, needs 2 (all members)"},
    {"any-of min", r_any, p_any_min, "any-of group has min 2, needs 1"},
    {"at-least min", r_atleast3, NULL, "at-least group needs 3 of only 2 members"},
    {"group size", r_all, p_group_size, "size 2 too small for its 2 members"},
    {"group members", r_all, p_group_children, "size 3 does not match its 1 members (2 nodes)"},
    {"member depth", r_all, p_child_depth, "requirement 1 of program 0: depth 2, expected 1"},
    {"member role", r_all, p_child_role, "requirement 2 of program 0: role 1 differs from its group's role 0"},
    {"top-level depth", NULL, p_req_top_depth, "depth 1, expected 0 (top level)"},
    {"nesting limit", r_too_deep, NULL, "requirement 64 of program 0 is nested 65 deep (the limit is 64)"},

    /* line table */
    {"line file", with_lines, p_line_file, "string 777 out of range (image has 17 strings) in line entry 0"},
    {"line offset", with_lines, p_line_pc, "line entry 0: code offset 5000 out of range (image has 2 code bytes)"},
    {"lines sorted", with_lines, p_lines_unsorted, "line entry 1: code offset 0 is before the previous entry's 1 (not sorted)"},

    /* branches the cases above leave untaken */
    {"validity function: optional date parameter", r_valid_opt_param, p_valid_func1,
     "program 0: validity function 1 is not a function of one date that gives a date"},
    {"validity function: integer parameter", r_valid_int_param, p_valid_func1,
     "program 0: validity function 1 is not a function of one date that gives a date"},
    {"validity function: optional date result", r_valid_opt_result, p_valid_func1,
     "program 0: validity function 1 is not a function of one date that gives a date"},
    {"validity function: integer result", r_valid_int_result, p_valid_func1,
     "program 0: validity function 1 is not a function of one date that gives a date"},
    {"leaf size", r_two_leaves, p_leaf_size, "requirement 0 of program 0: a single requirement with 0 members (size 2)"},
    {"string missing", NULL, p_string_missing, "string 1 missing"},
    {"maximum alone, below the default", NULL, p_max_below_default, "field 5: its default is outside its bounds"},
    {"maximum alone, above the default", NULL, p_max_above_default, NULL},
    {"both bounds below the default", NULL, p_both_below_default, "field 5: its default is outside its bounds"},
    {"NaN default within bounds", NULL, p_default_nan, "field 6: its default is outside its bounds"},
    {"iterator position overwritten in the loop", c_loop_position_overwritten, NULL,
     "local 1 is integer, but an iterator position at the ITER_NEXT"},
    {"iterator key overwritten in the loop", c_loop_key_overwritten, NULL,
     "local 2 is integer, but an iterator key at the ITER_FIND"},
    {"local unset on the back edge", c_loop_local_unset, NULL, "local 3 is unset, but integer at the ITER_NEXT"},
    {"iterator list of another record", c_iter_list_other_record, p_deg_courses,
     "locals 0 and 1 are not an iterator set up by ITER_INIT"},
    {"key for another record", c_key_other_record, p_deg_courses,
     "local 2 is not a key for the elements of the iterator at local 0 (ITER_KEY sets it)"},
    {"iterators over a list and a set joined", c_iter_two_kinds, NULL,
     "locals 0 and 1 are not an iterator set up by ITER_INIT"},
    {"field of an integer", c_field_of_int, NULL, "expected a list element, found integer (value 1 of the 1 it pops)"},
    {"ITER_KEY without ITER_INIT", c_key_without_iter, NULL, "locals 0 and 1 are not an iterator set up by ITER_INIT"},
    {"ITER_FIND without ITER_INIT", c_find_without_iter, NULL, "locals 0 and 1 are not an iterator set up by ITER_INIT"},
};

/* Effective periods and versions: the whole message is pinned. */
static const vcase periods[] = {
    {"program period: one day", NULL, p_prog_one_day, NULL},
    {"program period: the ends of the date range", NULL, p_prog_period_range_ends, NULL},
    {"program period out of order", NULL, p_prog_period_order,
     "program 0: invalid effective period (day 20605 to day 20604)"},
    {"program period: from before the date range", NULL, p_prog_from_range,
     "program 0: invalid effective period (day -62092 to day 2147483647)"},
    {"program period: until after the date range", NULL, p_prog_until_range,
     "program 0: invalid effective period (day -2147483648 to day 376200)"},
    {"enrolment window out of order", NULL, p_window_order,
     "program 0: invalid enrolment window (day 20605 to day 20604)"},
    {"enrolment window: opens before the date range", NULL, p_window_opens_range,
     "program 0: invalid enrolment window (day -62092 to day 2147483647)"},
    {"enrolment window: closes after the date range", NULL, p_window_closes_range,
     "program 0: invalid enrolment window (day -2147483648 to day 376200)"},
    {"program period: open ends swapped", NULL, p_prog_open_ends_swapped,
     "program 0: invalid effective period (day 2147483647 to day -2147483648)"},
    {"requirement period out of order", NULL, p_req_period_order,
     "requirement 0 of program 0: invalid effective period (day 20605 to day 20604)"},
    {"requirement period: from out of range", NULL, p_req_from_range,
     "requirement 0 of program 0: invalid effective period (day -2147483647 to day 2147483647)"},
    {"requirement period: until out of range", NULL, p_req_until_range,
     "requirement 0 of program 0: invalid effective period (day 20454 to day 2147483646)"},
    {"versions back to back", r_versions_back_to_back, NULL, NULL},
    {"versions overlap", r_versions_overlap, NULL,
     "programs 0 and 1 are versions of 'p' whose effective periods overlap"},
    {"versions overlap, declared out of date order", r_versions_overlap_out_of_order, NULL,
     "programs 1 and 0 are versions of 'p' whose effective periods overlap"},
    {"versions overlap, declared apart", r_versions_overlap_apart, NULL,
     "programs 0 and 3 are versions of 'p' whose effective periods overlap"},
    {"versions overlap, the id in twin strings", r_versions_overlap_twin_strings, NULL,
     "programs 0 and 1 are versions of 'p' whose effective periods overlap"},
    {"versions on the same day", r_versions_same_day, NULL,
     "programs 0 and 1 are versions of 'p' whose effective periods overlap"},
    {"two undated versions", r_versions_undated_twice, NULL,
     "programs 0 and 1 are versions of 'p' whose effective periods overlap"},
};

static pb_image *build(const vcase *c)
{
    ah *b = ah_new();
    ck_assert_ptr_nonnull(b);
    base(b);
    if (c->build)
        c->build(b);
    if (b->nprogs == 0) {
        ah_prog(b, "p");
        ah_leaf(b, PB_ROLE_REQUIRE, "always", 0);
    }
    pb_image *img = ah_image(b);
    free(b);
    ck_assert_ptr_nonnull(img);
    if (c->patch)
        c->patch(img);
    return img;
}

START_TEST(verify_case)
{
    const vcase *c = &cases[_i];
    pb_image *img = build(c);
    char err[512] = "";
    bool ok = pb_verify(img, err, sizeof err);
    if (!c->expect)
        ck_assert_msg(ok, "%s: rejected: %s", c->name, err);
    else {
        ck_assert_msg(!ok, "%s: accepted", c->name);
        ck_assert_msg(strstr(err, c->expect), "%s:\n  got      %s\n  expected %s", c->name, err, c->expect);
    }
    pb_image_free(img);
}
END_TEST

START_TEST(verify_period_case)
{
    const vcase *c = &periods[_i];
    pb_image *img = build(c);
    char err[512] = "";
    bool ok = pb_verify(img, err, sizeof err);
    if (!c->expect)
        ck_assert_msg(ok, "%s: rejected: %s", c->name, err);
    else {
        ck_assert_msg(!ok, "%s: accepted", c->name);
        ck_assert_msg(strcmp(err, c->expect) == 0, "%s:\n  got      %s\n  expected %s", c->name, err, c->expect);
    }
    pb_image_free(img);
}
END_TEST

/* What pb_verify computes for the VM: the largest frame, program and chain of
 * calls. */
START_TEST(verify_summary)
{
    ah *b = ah_new();
    base(b);
    v_call(b); /* g (1) called by caller (2): a chain of two */
    ah_prog(b, "p");
    ah_open(b, PB_R_ALL, PB_ROLE_REQUIRE, "all", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "a", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "b", 2);
    ah_close(b);
    ah_prog(b, "q");
    ah_leaf(b, PB_ROLE_ADVISE, "c", 0);
    pb_image *img = ah_image(b);
    free(b);
    char err[256];
    ck_assert_msg(pb_verify(img, err, sizeof err), "%s", err);
    ck_assert_uint_eq(img->funcs[2].frame, 0 + 3 + (2 + 2));
    ck_assert_uint_eq(img->max_frame, 7);
    ck_assert_uint_eq(img->max_reqs, 3);
    ck_assert_uint_eq(img->max_calls, 2);
    /* A generous declared frame is accepted and is what contexts reserve. */
    img->funcs[1].frame = 100;
    ck_assert(pb_verify(img, err, sizeof err));
    ck_assert_uint_eq(img->max_frame, 100);
    pb_image_free(img);
}
END_TEST

/* A frame of 2^32 values (p_frame_chain), from a file: the loader's default
 * limits let the chain through to the verifier (its file is about 2.2 MB,
 * 64 MiB allowed; its code 262,146 bytes, 16 MiB allowed). Half a second,
 * a few seconds under the sanitizers (a 256 KB state per function). */
START_TEST(verify_frame_chain_file)
{
    pb_image *img = build(&(vcase){"chain", NULL, p_frame_chain, NULL});
    uint8_t *data = NULL;
    size_t len = 0;
    ck_assert(pb_save(img, &data, &len));
    pb_image_free(img);
    char err[256] = "";
    ck_assert_ptr_null(pb_load(data, len, NULL, err, sizeof err));
    ck_assert_str_eq(err, "function 65536 'yes' needs a frame of 4294967296 values, too many");
    free(data);
}
END_TEST

/* Nothing could be evaluated without record 0 (a regression: such an image
 * loaded, then every context failed as "out of memory"). */
START_TEST(verify_empty_image)
{
    pb_image *img = pb_image_new();
    char err[64];
    ck_assert(!pb_verify(img, err, sizeof err));
    ck_assert_str_eq(err, "the image has no facts record (record 0)");
    pb_image_free(img);
}
END_TEST

/* Without room for a message the verdict is the same, and nothing is written. */
START_TEST(verify_no_message)
{
    pb_image *img = pb_image_new();
    ck_assert(!pb_verify(img, NULL, 0));
    char err[8] = "keep";
    ck_assert(!pb_verify(img, err, 0));
    ck_assert_str_eq(err, "keep");
    pb_image_free(img);
}
END_TEST

static Suite *verify_suite(void)
{
    Suite *s = suite_create("verify");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, verify_case, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_loop_test(tc, verify_period_case, 0, (int)(sizeof periods / sizeof periods[0]));
    tcase_add_test(tc, verify_summary);
    tcase_add_test(tc, verify_empty_image);
    tcase_add_test(tc, verify_frame_chain_file);
    tcase_add_test(tc, verify_no_message);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(verify_suite());
}
