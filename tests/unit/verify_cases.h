/* The images of the verifier's test cases, shared by tests/unit/test_verify.c
 * (which checks pb_verify's message for each) and tests/hostile/make_hostile.c
 * (which writes each as a .pwc file for the command line's tests), so that
 * the two cannot drift apart. Every builder starts from base(): `c_` cases
 * add a function, `r_` cases add programs and requirements, `p_` cases patch
 * the built image. Header-only (static functions), built on asm_helpers.h. */
#ifndef PW_VERIFY_CASES_H
#define PW_VERIFY_CASES_H

#include <math.h>
#include <string.h>

#include "asm_helpers.h"

/* ---- the base image ---------------------------------------------------------- */

enum { F_ID, F_BIRTH, F_SINCE, F_CERTS, F_ROLES, F_N, F_H, F_OKAY, F_DEG, NFACTS };
enum { C_ID, C_ISSUED, C_EXPIRES };
#define REC_CERT 1
#define NONE_V ((pv_value){0})

/* Days since 1970-01-01; the first and the last of the date range. */
enum {
    D_1800_01_01 = -62091,
    D_2026_01_01 = 20454,
    D_2026_05_31 = 20604,
    D_2026_06_01 = 20605,
    D_2026_12_31 = 20818,
    D_2999_12_31 = 376199,
};

static pb_type t_int(void) { return ah_t(PB_T_INT); }
static pb_type t_bool(void) { return ah_t(PB_T_BOOL); }
static uint32_t ty(pb_type t) { return pb_type_pack(t); }

/* A coach record with a certificate list, a set and one field of each kind;
 * function 0 `yes` returns true. */
static void base(ah *b)
{
    ah_str(b, "hostile.pw");
    ah_record(b, "coach");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, NONE_V);
    ah_field(b, "birth_date", ah_t(PB_T_DATE), PB_DEF_REQUIRED, NONE_V);
    ah_field(b, "since", ah_opt(PB_T_DATE), PB_DEF_NONE, NONE_V);
    ah_field(b, "certificates", ah_list(REC_CERT), PB_DEF_EMPTY, NONE_V);
    ah_field(b, "roles", ah_t(PB_T_SET), PB_DEF_EMPTY, NONE_V);
    ah_field(b, "n", t_int(), PB_DEF_VALUE, (pv_value){.as.i = 0});
    ah_field(b, "h", ah_t(PB_T_NUM), PB_DEF_VALUE, (pv_value){.as.n = 1.5});
    ah_field(b, "ok", t_bool(), PB_DEF_VALUE, (pv_value){.as.b = false});
    ah_field(b, "deg", ah_opt(PB_T_TEXT), PB_DEF_NONE, NONE_V);
    ah_record(b, "certificate");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, NONE_V);
    ah_field(b, "issued", ah_t(PB_T_DATE), PB_DEF_REQUIRED, NONE_V);
    ah_field(b, "expires", ah_opt(PB_T_DATE), PB_DEF_NONE, NONE_V);
    ah_const_fn(b, "yes", true); /* function 0 */
}


/* ---- verifier: code (each adds one function, number 1 unless said) ---------- */

#define ONE_OP(fn, op, a, x)                                                                     \
    static void fn(ah *b)                                                                        \
    {                                                                                            \
        AH_FN(b, "bad", t_bool(), 0, NULL, 2, 2, {op, a, x}, {PB_OP_PUSH_TRUE, 0, 0},           \
              {PB_OP_RET, 0, 0});                                                                \
    }
ONE_OP(c_kint, PB_OP_PUSH_INT, 99, 0)
ONE_OP(c_knum, PB_OP_PUSH_NUM, 99, 0)
ONE_OP(c_str, PB_OP_PUSH_STR, 999, 0)
ONE_OP(c_date, PB_OP_PUSH_DATE, 9999999, 0)
ONE_OP(c_slot, PB_OP_LOAD_FACT, 40, 0)
ONE_OP(c_local, PB_OP_LOAD_LOCAL, 3, 0)
ONE_OP(c_iter_local, PB_OP_ITER_NEXT, 1, 0)
ONE_OP(c_type_elem, PB_OP_PUSH_NONE, pb_type_pack(ah_elem(REC_CERT)), 0)
ONE_OP(c_type_kind, PB_OP_PUSH_NONE, 77, 0)
ONE_OP(c_jump_out, PB_OP_JUMP, 100, 0)
ONE_OP(c_loop_forward, PB_OP_LOOP, 0, 0)
ONE_OP(c_loop_before_start, PB_OP_LOOP, 50, 0)

static void c_unknown_opcode(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 0, 1);
    b->code[b->ncode++] = 200;
    ah_end(b);
}

static void c_truncated(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 0, 1);
    b->code[b->ncode++] = PB_OP_PUSH_INT;
    b->code[b->ncode++] = 0;
    ah_end(b);
}

static void c_rec(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_LOAD_FIELD, 7, 0},
          {PB_OP_RET, 0, 0});
}

static void c_field(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_LOAD_FIELD, REC_CERT, 5},
          {PB_OP_RET, 0, 0});
}

static void c_self_call(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_CALL, 1, 0}, {PB_OP_RET, 0, 0});
}

static void c_unit(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_PUSH_INT, ah_int(b, 1), 0},
          {PB_OP_DATE_ADD, 3, 0}, {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

/* The date instructions of format version 5: their operand and stack
 * types come from the opcode table like every other's. */
static void c_date_part_unit(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_DATE_PART, 3, 0},
          {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_date_part_type(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_DATE_PART, 2, 0},
          {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_date_make_type(ah *b)
{
    uint32_t k = ah_int(b, 1);
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 3, {PB_OP_PUSH_INT, k, 0}, {PB_OP_PUSH_INT, k, 0},
          {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_DATE_MAKE, 0, 0}, {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0},
          {PB_OP_RET, 0, 0});
}

static void c_date_next_type(ah *b)
{
    uint32_t k = ah_int(b, 1);
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 3, {PB_OP_PUSH_INT, k, 0}, {PB_OP_PUSH_INT, k, 0},
          {PB_OP_PUSH_INT, k, 0}, {PB_OP_DATE_NEXT, 0, 0}, {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0},
          {PB_OP_RET, 0, 0});
}

static void c_date_make_short(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_INT, ah_int(b, 1), 0},
          {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_DATE_MAKE, 0, 0}, {PB_OP_POP, 0, 0},
          {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_cmp(ah *b)
{
    uint32_t k = ah_int(b, 1);
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_INT, k, 0}, {PB_OP_PUSH_INT, k, 0},
          {PB_OP_CMP_INT, 6, 0}, {PB_OP_RET, 0, 0});
}

static void c_cmp_text_order(ah *b)
{
    uint32_t s = ah_str(b, "a");
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_STR, s, 0}, {PB_OP_PUSH_STR, s, 0},
          {PB_OP_CMP_TEXT, PB_LT, 0}, {PB_OP_RET, 0, 0});
}

static void c_cmp_bool_order(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0},
          {PB_OP_CMP_BOOL, PB_GT, 0}, {PB_OP_RET, 0, 0});
}

static void c_iter_type_operand(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 2, 1, {PB_OP_LOAD_FACT, F_CERTS, 0},
          {PB_OP_ITER_INIT, 0, pb_type_pack(t_int())}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_jump_inside(ah *b)
{
    uint32_t k = ah_int(b, 1);
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_JUMP_FALSE, 1, 0},
          {PB_OP_PUSH_INT, k, 0}, {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_loop_not_iter(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 0, 1);
    uint32_t top = ah_emit(b, PB_OP_NOP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), top);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* The ITER_NEXT's exit leads into the loop body, before the LOOP. */
static void c_loop_exit_inside(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_t(PB_T_SET)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, head, b->ncode);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

static void c_falls_off(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_TRUE, 0, 0});
}

static void c_underflow(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_ADD_INT, 0, 0},
          {PB_OP_RET, 0, 0});
}

static void c_type_mismatch(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_INT, ah_int(b, 1), 0},
          {PB_OP_PUSH_STR, ah_str(b, "s"), 0}, {PB_OP_ADD_INT, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_no_conversion(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_INT, ah_int(b, 1), 0},
          {PB_OP_PUSH_NUM, ah_num(b, 1.0), 0}, {PB_OP_ADD_NUM, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_ret_type(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_RET, 0, 0});
}

static void c_call_args(ah *b)
{
    pb_type p[2] = {ah_t(PB_T_TEXT), t_int()};
    uint32_t g = AH_FN(b, "g", t_bool(), 2, p, 2, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t k = ah_int(b, 1);
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_INT, k, 0}, {PB_OP_PUSH_INT, k, 0},
          {PB_OP_CALL, g, 0}, {PB_OP_RET, 0, 0});
}

static void c_overflow(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0},
          {PB_OP_POP, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_merge_depth(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_JUMP_FALSE, 1, 0},
          {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_merge_type(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_JUMP_FALSE, 10, 0},
          {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_JUMP, 5, 0}, {PB_OP_PUSH_STR, ah_str(b, "s"), 0},
          {PB_OP_POP, 0, 0}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_unset_local(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_RET, 0, 0});
}

/* Local 0 is an integer on one path and text on the other, then read. */
static void c_local_after_conflict(ah *b)
{
    uint32_t k = ah_int(b, 1), s = ah_str(b, "s");
    AH_FN(b, "bad", t_bool(), 0, NULL, 1, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_JUMP_FALSE, 13, 0},
          {PB_OP_PUSH_INT, k, 0}, {PB_OP_STORE_LOCAL, 0, 0}, {PB_OP_JUMP, 8, 0},
          {PB_OP_PUSH_STR, s, 0}, {PB_OP_STORE_LOCAL, 0, 0}, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_POP, 0, 0},
          {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_field_wrong_record(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_LOAD_FIELD, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

static void c_has_list(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_LOAD_FACT, F_CERTS, 0},
          {PB_OP_PUSH_STR, ah_str(b, "s"), 0}, {PB_OP_HAS, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_iter_init_mismatch(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 2, 1, {PB_OP_LOAD_FACT, F_ROLES, 0},
          {PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT))}, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_otherwise_kinds(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 0, 2, {PB_OP_LOAD_FACT, F_SINCE, 0},
          {PB_OP_PUSH_INT, ah_int(b, 0), 0}, {PB_OP_OTHERWISE, 0, 0}, {PB_OP_POP, 0, 0},
          {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void c_iter_without_init(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 1);
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* Writing the position (which holds the VM's stride) ends the iterator. */
static void c_iter_position_forged(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 1);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 1, 0);
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* Replacing the list with one of another record would change the stride. */
static void c_iter_list_replaced(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 1);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 0, 0);
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* Local 3 holds an integer at the loop head, text on the back edge. */
static void c_loop_local_type(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 4, 1);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 0), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 3, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_t(PB_T_SET)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 3, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* The body leaves the element on the stack: one more value on the back edge. */
static void c_loop_stack(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 8);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_t(PB_T_SET)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

static void p_string_nul(pb_image *img)
{
    img->strings[0] = "a\0b";
    img->string_len[0] = 3;
}

static void p_record_range(pb_image *img) { img->records[1].nfields = 99; }

static void p_field_kind(pb_image *img) { img->fields[0].type.kind = 9; }

static void p_field_list_rec(pb_image *img) { img->fields[F_CERTS].type.rec = 9; }

static void p_field_text_rec(pb_image *img) { img->fields[F_ID].type.rec = 1; }

static void p_def_none(pb_image *img) { img->fields[F_ID].def = PB_DEF_NONE; }

static void p_def_empty(pb_image *img) { img->fields[F_ID].def = PB_DEF_EMPTY; }

static void p_def_value_list(pb_image *img) { img->fields[F_CERTS].def = PB_DEF_VALUE; }

static void p_def_text(pb_image *img)
{
    img->fields[F_ID].def = PB_DEF_VALUE;
    img->fields[F_ID].defv.as.s = 999;
}

static void p_def_kind(pb_image *img) { img->fields[F_ID].def = 9; }

static void p_bounds_text(pb_image *img)
{
    img->fields[F_ID].bounds = PB_BOUND_MIN;
    img->fields[F_ID].minv.as.s = 0;
}

static void p_bounds_order(pb_image *img)
{
    img->fields[F_N].bounds = PB_BOUND_MIN | PB_BOUND_MAX;
    img->fields[F_N].minv.as.i = 5;
    img->fields[F_N].maxv.as.i = 1;
}

static void p_bounds_nan(pb_image *img)
{
    img->fields[F_H].bounds = PB_BOUND_MAX;
    img->fields[F_H].maxv.as.n = NAN;
}

static void p_bounds_date(pb_image *img)
{
    img->fields[F_BIRTH].bounds = PB_BOUND_MAX;
    img->fields[F_BIRTH].maxv.as.d = D_2999_12_31 + 1;
}

static void p_func_range(pb_image *img) { img->funcs[0].code_len = 9999; }

static void p_func_empty(pb_image *img) { img->funcs[0].code_len = 0; }

static void p_func_params(pb_image *img) { img->funcs[0].nparams = 1; }

static void p_func_param_range(pb_image *img) { img->funcs[0].nparams = img->funcs[0].nlocals = 1; }

static void p_func_result(pb_image *img) { img->funcs[0].result.kind = PB_T_VOID; }

static void p_func_frame(pb_image *img) { img->funcs[0].frame = 0; }

static void p_prog_unit(pb_image *img) { img->progs[0].valid_unit = 7; }

static void p_prog_range(pb_image *img) { img->progs[0].nreqs = 50; }

static void p_prog_period_order(pb_image *img)
{
    img->progs[0].from = D_2026_06_01;
    img->progs[0].until = D_2026_05_31;
}

static void p_prog_from_range(pb_image *img) { img->progs[0].from = D_1800_01_01 - 1; }

static void p_prog_until_range(pb_image *img) { img->progs[0].until = D_2999_12_31 + 1; }

/* Enrolment windows (format 6): checked as effective periods are. */
static void p_window_order(pb_image *img)
{
    img->progs[0].opens = D_2026_06_01;
    img->progs[0].closes = D_2026_05_31;
}

static void p_window_opens_range(pb_image *img) { img->progs[0].opens = D_1800_01_01 - 1; }

static void p_window_closes_range(pb_image *img) { img->progs[0].closes = D_2999_12_31 + 1; }

static void p_req_period_order(pb_image *img)
{
    img->reqs[0].from = D_2026_06_01;
    img->reqs[0].until = D_2026_05_31;
}

static void p_req_kind(pb_image *img) { img->reqs[0].kind = 9; }

static void p_req_role(pb_image *img) { img->reqs[0].role = 5; }

static void p_req_leaf_children(pb_image *img) { img->reqs[0].nchildren = 1; }

static void p_req_func(pb_image *img) { img->reqs[0].func = 99; }

static void p_req_top_depth(pb_image *img) { img->reqs[0].depth = 1; }

static void p_line_pc(pb_image *img) { img->lines[0].pc = 5000; }

static void p_lines_unsorted(pb_image *img) { img->lines[1].pc = 0, img->lines[0].pc = 1; }

static void with_param_func(ah *b)
{
    pb_type p[1] = {{0, 0, 0}};
    AH_FN(b, "g", t_bool(), 1, p, 1, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

static void with_callee_frame(ah *b)
{
    uint32_t g = AH_FN(b, "g", t_bool(), 0, NULL, 3, 4, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    AH_FN(b, "caller", t_bool(), 0, NULL, 1, 1, {PB_OP_CALL, g, 0}, {PB_OP_RET, 0, 0});
}

static void p_callee_frame(pb_image *img) { img->funcs[2].frame = 2 + 7 - 1; }

static void r_leaf_params(ah *b)
{
    pb_type p[1] = {t_int()};
    uint32_t g = AH_FN(b, "g", t_bool(), 1, p, 1, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "r", g);
}

static void r_leaf_result(ah *b)
{
    uint32_t g = AH_FN(b, "g", t_int(), 0, NULL, 0, 1, {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "r", g);
}

static void r_group(ah *b, pb_req_kind kind, uint32_t min)
{
    ah_prog(b, "p");
    ah_open(b, kind, PB_ROLE_REQUIRE, "g", min);
    ah_leaf(b, PB_ROLE_REQUIRE, "a", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "b", 0);
    ah_close(b);
}

static void r_all(ah *b) { r_group(b, PB_R_ALL, 0); }

static void r_any(ah *b) { r_group(b, PB_R_ANY, 0); }

static void r_atleast3(ah *b) { r_group(b, PB_R_ATLEAST, 3); }

static void p_all_min(pb_image *img) { img->reqs[0].min = 1; }

static void p_any_min(pb_image *img) { img->reqs[0].min = 2; }

static void p_group_size(pb_image *img) { img->reqs[0].size = 2; }

static void p_group_children(pb_image *img) { img->reqs[0].nchildren = img->reqs[0].min = 1; }

static void p_child_depth(pb_image *img) { img->reqs[1].depth = 2; }

static void p_child_role(pb_image *img) { img->reqs[2].role = PB_ROLE_PREFER; }

static void r_overlap(ah *b)
{
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "a", 0);
    ah_prog(b, "q");
    ah_leaf(b, PB_ROLE_REQUIRE, "b", 0);
}

static void p_overlap(pb_image *img) { img->progs[1].first_req = 0; }

static void r_too_deep(ah *b)
{
    ah_prog(b, "p");
    for (int i = 0; i < PB_MAX_REQ_DEPTH + 1; i++)
        ah_open(b, PB_R_ALL, PB_ROLE_REQUIRE, "g", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "deep", 0);
    for (int i = 0; i < PB_MAX_REQ_DEPTH + 1; i++)
        ah_close(b);
}

static void version(ah *b, const char *id, int32_t from, int32_t until)
{
    uint32_t p = ah_prog(b, id);
    b->progs[p].from = from;
    b->progs[p].until = until;
    ah_leaf(b, PB_ROLE_REQUIRE, "r", 0);
}

static void r_versions_overlap(ah *b)
{
    version(b, "p", D_2026_01_01, D_2026_12_31);
    version(b, "p", D_2026_06_01, PB_OPEN_UNTIL);
}

/* The same id held in two strings: a file need not intern its strings. */
static void r_versions_overlap_twin_strings(ah *b)
{
    version(b, "p", D_2026_01_01, D_2026_12_31);
    b->strs[b->nstrs] = "p";
    uint32_t twin = b->nstrs++;
    version(b, "q", D_2026_06_01, PB_OPEN_UNTIL);
    b->progs[b->nprogs - 1].id = twin;
}

#endif
