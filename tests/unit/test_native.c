/* The C back end on hand-assembled, verified images (the shapes the
 * compiler does not make today: NOP, DUP, POP, absent constants, the
 * smallest integer, number arithmetic, iteration over a set, calls with two
 * arguments, functions alike but for their parameters or locals), and the
 * date helpers generated code calls, at and past their limits. The rule
 * sets the compiler makes are run against the VM by tests/native/native.sh. */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_helpers.h"
#include "check_main.h"
#include "native/native.h"
#include "pathway_native.h"
#include "tmpdir.h"
#include "util/date.h"
#include "vm/vm.h"

enum { F_CERTS, F_ROLES, NFACTS };
#define REC_CERT 1
#define ZERO ((pv_value){0})

static int32_t ymd(int y, int m, int d) { return pu_from_ymd(y, m, d); }

/* ---- the date helpers --------------------------------------------------------------- */

/* Each helper gives what the VM gives where the VM gives a value, and
 * refuses (so that the generated code falls back to the VM and its error)
 * a unit past years and a day past PV_DAY_LIMIT. */
START_TEST(helpers_limits)
{
    int32_t d = 0;
    int64_t k = 0;
    const int32_t today = ymd(2024, 10, 4), past = PV_DAY_LIMIT + 1;
    ck_assert(pw_native_date_add(ymd(2024, 1, 31), 1, PU_MONTHS, &d));
    ck_assert_int_eq(d, ymd(2024, 3, 1)); /* no 31 February: the first day the month is full */
    ck_assert(!pw_native_date_add(today, 1, PU_YEARS + 1, &d));
    ck_assert(!pw_native_date_add(past, 0, PU_DAYS, &d));
    ck_assert(!pw_native_date_add(-past, 0, PU_DAYS, &d));
    ck_assert(!pw_native_date_add(today, 200000, PU_DAYS, &d)); /* past the calendar */
    ck_assert(pw_native_between(ymd(2000, 3, 1), today, PU_YEARS, &k));
    ck_assert_int_eq(k, 24);
    ck_assert(!pw_native_between(ymd(2000, 3, 1), today, PU_YEARS + 1, &k));
    ck_assert(!pw_native_between(past, today, PU_DAYS, &k));
    ck_assert(!pw_native_between(today, -past, PU_DAYS, &k));
    ck_assert(pw_native_between(-PV_DAY_LIMIT, PV_DAY_LIMIT, PU_DAYS, &k));
    ck_assert_int_eq(k, 2 * PV_DAY_LIMIT);
    ck_assert(pw_native_date_part(today, PU_MONTHS, &k));
    ck_assert_int_eq(k, 10);
    ck_assert(!pw_native_date_part(today, PU_YEARS + 1, &k));
    ck_assert(!pw_native_date_part(past, PU_YEARS, &k));
    ck_assert(!pw_native_date_part(-past, PU_YEARS, &k));
    ck_assert(pw_native_date_make(2024, 2, 29, &d));
    ck_assert_int_eq(d, ymd(2024, 2, 29));
    ck_assert(!pw_native_date_make(2023, 2, 29, &d));
    ck_assert(pw_native_date_next(today, 2, 29, &d));
    ck_assert_int_eq(d, ymd(2028, 2, 29));
    ck_assert(!pw_native_date_next(past, 1, 1, &d));
    ck_assert(!pw_native_date_next(-past, 1, 1, &d));
    ck_assert(!pw_native_date_next(today, 0, 1, &d));
    ck_assert(!pw_native_date_next(today, 13, 1, &d));
    ck_assert(!pw_native_date_next(today, 1, 0, &d));
    ck_assert(!pw_native_date_next(today, 1, 32, &d));
    ck_assert(!pw_native_date_next(today, 2, 30, &d)); /* no such day in any year */
}
END_TEST

/* ---- the emitted C ------------------------------------------------------------------ */

typedef struct shapes {
    pb_image *img;
    uint32_t f_shapes, f_two, f_alike;
    char *c; /* the generated C */
} shapes;

static void base(ah *b)
{
    ah_str(b, "n.pw");
    ah_record(b, "coach");
    ah_field(b, "certificates", ah_list(REC_CERT), PB_DEF_EMPTY, ZERO);
    ah_field(b, "roles", ah_t(PB_T_SET), PB_DEF_EMPTY, ZERO);
    ah_record(b, "certificate");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, ZERO);
}

/* Functions of the code PUSH_TRUE, RET: two(text, integer) first, then one
 * exactly alike (its class is two's), and ones that differ only in their
 * parameter types, their number or their locals; and `shapes`, the
 * requirement, which runs through the rarer instructions. */
static void shapes_build(shapes *s, const char *origin)
{
    ah *b = ah_new();
    base(b);
    pb_type tb = ah_t(PB_T_BOOL), ti = ah_t(PB_T_INT), tt = ah_t(PB_T_TEXT);
    pb_type p_ti[2] = {tt, ti}, p_ii[2] = {ti, ti}, p_t[1] = {tt};
    s->f_two = AH_FN(b, "two", tb, 2, p_ti, 2, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    s->f_alike = AH_FN(b, "alike", tb, 2, p_ti, 2, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    AH_FN(b, "ints", tb, 2, p_ii, 2, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    AH_FN(b, "one", tb, 1, p_t, 2, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    AH_FN(b, "none", tb, 0, NULL, 0, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    AH_FN(b, "local", tb, 0, NULL, 1, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t kmin = ah_int(b, INT64_MIN), k7 = ah_int(b, 7), half = ah_num(b, 0.5), s_x = ah_str(b, "x");
    s->f_shapes = ah_func(b, "shapes", tb, 0, NULL, 2, 2);
    ah_emit(b, PB_OP_NOP, 0, 0);
    ah_emit(b, PB_OP_PUSH_NONE, pb_type_pack(ah_opt(PB_T_INT)), 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_PUSH_INT, kmin, 0);
    ah_emit(b, PB_OP_DUP, 0, 0);
    ah_emit(b, PB_OP_MIN_INT, 0, 0);
    ah_emit(b, PB_OP_INT_TO_NUM, 0, 0);
    ah_emit(b, PB_OP_NEG_NUM, 0, 0);
    static const pb_op num_ops[] = {PB_OP_ADD_NUM, PB_OP_SUB_NUM, PB_OP_MIN_NUM, PB_OP_MAX_NUM};
    for (int i = 0; i < 4; i++) {
        ah_emit(b, PB_OP_PUSH_NUM, half, 0);
        ah_emit(b, num_ops[i], 0, 0);
    }
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, pb_type_pack(ah_t(PB_T_SET)));
    uint32_t next = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), next);
    ah_patch(b, next, b->ncode);
    ah_emit(b, PB_OP_PUSH_STR, s_x, 0);
    ah_emit(b, PB_OP_PUSH_INT, k7, 0);
    ah_emit(b, PB_OP_CALL, s->f_alike, 0);
    ah_emit(b, PB_OP_PUSH_FALSE, 0, 0);
    ah_emit(b, PB_OP_CMP_BOOL, PB_NE, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "shapes", s->f_shapes);
    s->img = ah_image(b);
    free(b);
    ck_assert_ptr_nonnull(s->img);
    char err[512];
    ck_assert_msg(pb_verify(s->img, err, sizeof err), "not verified: %s", err);
    pu_buf out = {0};
    ck_assert_msg(pn_emit_c(s->img, origin, &out, err, sizeof err), "%s", err);
    pu_buf_append(&out, "", 0); /* the text, as a C string */
    s->c = out.data;
}

static void shapes_free(shapes *s)
{
    free(s->c);
    pb_image_free(s->img);
}

#define ck_has(c, text) ck_assert_msg(strstr((c), (text)) != NULL, "no `%s` in the C", (text))
#define ck_lacks(c, text) ck_assert_msg(strstr((c), (text)) == NULL, "`%s` in the C", (text))

START_TEST(emit_shapes)
{
    shapes s;
    shapes_build(&s, NULL);
    const char *c = s.c;
    /* Without an origin, the header says what it is. */
    ck_has(c, "/* Generated by `pathway compile --emit c` from a rule set: the rule set as C,\n");
    /* NOP and POP give no C; an absent constant; the smallest integer has no
     * literal in C. */
    ck_has(c, "    n++; /* NOP */\n    n++; /* PUSH_NONE */\n        s0 = NONE_;\n    n++; /* POP */\n"
              "    n++; /* PUSH_INT */\n        s0 = I(INT64_MIN);\n");
    ck_has(c, "    n++; /* DUP */\n        s1 = s0;\n");
    ck_has(c, "        s0 = I(s0.as.i < s1.as.i ? s0.as.i : s1.as.i);\n");
    /* An absent integer stays absent as a number. */
    ck_has(c, "        { uint8_t none_ = s0.none; s0 = N((double)s0.as.i); s0.none = none_; }\n");
    ck_has(c, "        s0 = N(-s0.as.n);\n");
    ck_has(c, "        s0 = N(s0.as.n + s1.as.n);\n");
    ck_has(c, "        s0 = N(s0.as.n - s1.as.n);\n");
    /* min and max keep the VM's order of operands (NaN: the VM's choice). */
    ck_has(c, "        s0 = N(s1.as.n < s0.as.n ? s1.as.n : s0.as.n);\n");
    ck_has(c, "        s0 = N(s1.as.n > s0.as.n ? s1.as.n : s0.as.n);\n");
    /* A set's elements are its values: stride UINT32_MAX. */
    ck_has(c, "        l0 = s0;\n        l1 = (V){.as.i = 0, .count = 4294967295u};\n");
    /* A call with two arguments, to the class of functions alike (two's). */
    char call[96];
    snprintf(call, sizeof call, "const V a_[2] = {s0, s1};\n            s0 = F%u(x, a_);\n", s.f_two);
    ck_has(c, call);
    snprintf(call, sizeof call, "static V F%u(", s.f_alike);
    ck_lacks(c, call);
    /* Booleans compared: absent equal only to absent. */
    ck_has(c, "        if (s0.none || s1.none) {\n            s0 = B((s0.none && s1.none) == 0);\n"
              "        } else {\n            s0 = B(s0.as.b != s1.as.b);\n        }\n");
    shapes_free(&s);
}
END_TEST

/* The origin names the file; functions alike but for parameter types,
 * their number or their locals are classes of their own: the C of each
 * used one is there, the others are not emitted (nothing calls them). */
START_TEST(emit_classes)
{
    shapes s;
    shapes_build(&s, "n.pw");
    ck_has(s.c, "/* Generated by `pathway compile --emit c` from n.pw: the rule set as C,\n");
    char fn[64];
    snprintf(fn, sizeof fn, "static V F%u(X *x, const V *a);\n", s.f_two);
    ck_has(s.c, fn);
    snprintf(fn, sizeof fn, "static V F%u(X *x, const V *a);\n", s.f_shapes);
    ck_has(s.c, fn);
    snprintf(fn, sizeof fn, "static V Z%u(X *x)\n", s.f_shapes);
    ck_has(s.c, fn);
    for (uint32_t f = 0; f < s.img->nfuncs; f++) {
        if (f == s.f_two || f == s.f_shapes)
            continue;
        snprintf(fn, sizeof fn, "static V F%u(", f);
        ck_lacks(s.c, fn);
    }
    /* The same image gives the same C. */
    pu_buf again = {0};
    char err[256];
    ck_assert(pn_emit_c(s.img, "n.pw", &again, err, sizeof err));
    pu_buf_append(&again, "", 0);
    ck_assert_str_eq(again.data, s.c);
    pu_buf_free(&again);
    shapes_free(&s);
}
END_TEST

/* The C compiles warning-free, as native.sh compiles the compiler's: with
 * the system compiler when there is one. */
/* Many functions of different code, of two lengths: their hashes share
 * buckets of the class table, and each is still a class of its own, its C
 * emitted once; called without arguments, each through its remembering
 * wrapper. */
START_TEST(emit_many_classes)
{
    enum { NF = 40 };
    ah *b = ah_new();
    base(b);
    pb_type ti = ah_t(PB_T_INT);
    uint32_t f[NF];
    for (int i = 0; i < NF; i++) {
        uint32_t k = ah_int(b, 100 + i);
        if (i % 2)
            f[i] = AH_FN(b, "a", ti, 0, NULL, 0, 1, {PB_OP_PUSH_INT, k, 0}, {PB_OP_RET, 0, 0});
        else
            f[i] = AH_FN(b, "b", ti, 0, NULL, 0, 1, {PB_OP_PUSH_INT, k, 0}, {PB_OP_NEG_INT, 0, 0}, {PB_OP_RET, 0, 0});
    }
    uint32_t all = ah_func(b, "all", ah_t(PB_T_BOOL), 0, NULL, 0, 1);
    for (int i = 0; i < NF; i++) {
        ah_emit(b, PB_OP_CALL, f[i], 0);
        ah_emit(b, PB_OP_POP, 0, 0);
    }
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "all", all);
    pb_image *img = ah_image(b);
    free(b);
    char err[256];
    ck_assert_msg(pb_verify(img, err, sizeof err), "%s", err);
    pu_buf out = {0};
    ck_assert_msg(pn_emit_c(img, "many.pw", &out, err, sizeof err), "%s", err);
    pu_buf_append(&out, "", 0);
    for (int i = 0; i < NF; i++) {
        char want[64];
        snprintf(want, sizeof want, "\nstatic V F%u(X *x, const V *a)\n{", f[i]);
        ck_assert_msg(strstr(out.data, want) != NULL, "function %u not emitted", f[i]);
        ck_assert_msg(strstr(strstr(out.data, want) + 1, want) == NULL, "function %u emitted twice", f[i]);
        snprintf(want, sizeof want, "        s0 = Z%u(x);\n", f[i]);
        ck_has(out.data, want);
    }
    pu_buf_free(&out);
    pb_image_free(img);
}
END_TEST

/* Two functions of the same length whose code hashes to the same bucket of
 * the class table (pn_classes: 16 buckets for three functions): the bytes
 * tell them apart, and each has its C. */
START_TEST(emit_same_bucket)
{
    uint8_t code[2][16];
    uint32_t len = pb_encode(code[0], PB_OP_PUSH_DATE, (uint32_t)ymd(2024, 1, 1), 0);
    len += pb_encode(code[0] + len, PB_OP_RET, 0, 0);
    uint64_t want = pb_hash_bytes((const char *)code[0], len) & 15;
    int32_t other = ymd(2024, 1, 2);
    for (;; other++) {
        uint32_t n = pb_encode(code[1], PB_OP_PUSH_DATE, (uint32_t)other, 0);
        n += pb_encode(code[1] + n, PB_OP_RET, 0, 0);
        if ((pb_hash_bytes((const char *)code[1], n) & 15) == want)
            break;
    }
    ah *b = ah_new();
    base(b);
    pb_type td = ah_t(PB_T_DATE);
    uint32_t f1 = AH_FN(b, "d1", td, 0, NULL, 0, 1, {PB_OP_PUSH_DATE, (uint32_t)ymd(2024, 1, 1), 0},
                        {PB_OP_RET, 0, 0});
    uint32_t f2 = AH_FN(b, "d2", td, 0, NULL, 0, 1, {PB_OP_PUSH_DATE, (uint32_t)other, 0}, {PB_OP_RET, 0, 0});
    uint32_t all = AH_FN(b, "all", ah_t(PB_T_BOOL), 0, NULL, 0, 2, {PB_OP_CALL, f1, 0}, {PB_OP_CALL, f2, 0},
                         {PB_OP_CMP_DATE, PB_LT, 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "all", all);
    pb_image *img = ah_image(b);
    free(b);
    char err[256];
    ck_assert_msg(pb_verify(img, err, sizeof err), "%s", err);
    pu_buf out = {0};
    ck_assert_msg(pn_emit_c(img, "bucket.pw", &out, err, sizeof err), "%s", err);
    pu_buf_append(&out, "", 0);
    char line[96];
    snprintf(line, sizeof line, "static V F%u(X *x, const V *a)\n{\n    uint64_t n = 0;\n", f1);
    ck_has(out.data, line);
    snprintf(line, sizeof line, "static V F%u(X *x, const V *a)\n{\n    uint64_t n = 0;\n", f2);
    ck_has(out.data, line);
    snprintf(line, sizeof line, "        s0 = D(%d);\n", ymd(2024, 1, 1));
    ck_has(out.data, line);
    snprintf(line, sizeof line, "        s0 = D(%d);\n", other);
    ck_has(out.data, line);
    ck_has(out.data, "        s1 = Z");
    pu_buf_free(&out);
    pb_image_free(img);
}
END_TEST

START_TEST(emit_compiles)
{
    char dir[] = "/tmp/pw-native-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256], cmd[1024];
    snprintf(cmd, sizeof cmd, "cc --version >'%s/cc.out' 2>&1", dir);
    if (system(cmd) != 0) {
        ut_tmpdir_remove(dir);
        return; /* no compiler: native.sh skips the same way */
    }
    shapes s;
    shapes_build(&s, NULL);
    snprintf(path, sizeof path, "%s/shapes.c", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(s.c, f);
    ck_assert_int_eq(fclose(f), 0);
    snprintf(cmd, sizeof cmd,
             "cc -std=c11 -Wall -Wextra -Wpedantic -Werror -I'%s/include' -c '%s' -o '%s/shapes.o' 2>'%s/cc.err'",
             PW_SOURCE_DIR, path, dir, dir);
    int st = system(cmd);
    if (st != 0) {
        snprintf(cmd, sizeof cmd, "head -20 '%s/cc.err' >&2", dir);
        (void)system(cmd);
    }
    ut_tmpdir_remove(dir);
    shapes_free(&s);
    ck_assert_int_eq(st, 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("native");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, helpers_limits);
    tcase_add_test(tc, emit_shapes);
    tcase_add_test(tc, emit_classes);
    tcase_add_test(tc, emit_many_classes);
    tcase_add_test(tc, emit_same_bucket);
    tcase_add_test(tc, emit_compiles);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(suite());
}
