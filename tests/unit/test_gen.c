/* The code generator: the exact instruction sequence small expressions
 * compile to (as Lua's tests pin its code generator), and the tables it
 * builds. Goes through the internal stages directly. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "bc/bytecode.h"
#include "bc/code.h"
#include "check/check.h"
#include "front/parse.h"
#include "gen/gen.h"
#include "gen/gen_int.h"

static const char *const prelude =
    "facts coach {\n"
    "  birth_date: date\n"
    "  coaching_since: date? = none\n"
    "  roles: set of text = []\n"
    "  certificates: list of certificate = []\n"
    "}\n"
    "record certificate { id: text  issued: date }\n";

/* Compiles prelude + body; returns the image or fails the test. */
static pb_image *build(const char *body)
{
    size_t len = strlen(prelude) + strlen(body) + 1;
    char *src = malloc(len);
    snprintf(src, len, "%s%s", prelude, body);
    pm_arena arena;
    pm_init(&arena, 0);
    ps_sources sources;
    ps_init(&sources, &arena);
    pd_list diags;
    pd_init(&diags, &arena, 20);
    pp_limits limits = {0, 0, 0};
    pa_decl *decls = NULL;
    pc_program p;
    bool ok = pp_parse_program(&arena, &sources, &diags, &limits, "gen.pw", src, strlen(src), &decls);
    ok = ok && pc_check(&arena, &sources, &diags, decls, 0, &p);
    if (!ok) {
        pd_buf b = {0};
        pd_render_text(&diags, &sources, false, &b);
        ck_abort_msg("does not compile:\n%s", b.data ? b.data : "");
    }
    char err[256];
    pb_image *img = pk_generate(&p, &sources, err, sizeof err);
    ck_assert_msg(img != NULL, "%s", err);
    ck_assert_msg(pb_verify(img, err, sizeof err), "verifier: %s", err);
    ps_fini(&sources);
    pm_free(&arena);
    free(src);
    return img;
}

/* "OP OP OP" of function f. */
static void listing(const pb_image *img, uint32_t f, char *out, size_t len)
{
    const pb_func *fn = &img->funcs[f];
    size_t n = 0;
    out[0] = '\0';
    for (uint32_t pc = fn->code_off; pc < fn->code_off + fn->code_len;) {
        pb_insn in;
        ck_assert(pb_decode(img->code, img->ncode, pc, &in));
        n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " " : "", pb_opinfo_table[in.op].name);
        pc += in.size;
    }
}

typedef struct row {
    const char *cond;
    const char *ops;
} row;

static const row rows[] = {
    {"true", "PUSH_TRUE RET"},
    {"years since birth_date >= 18", "LOAD_FACT PUSH_TODAY BETWEEN PUSH_INT CMP_INT RET"},
    {"coaching_since is none", "LOAD_FACT IS_NONE RET"},
    {"coaching_since is not none", "LOAD_FACT IS_NONE NOT RET"},
    {"(coaching_since otherwise today) < today", "LOAD_FACT PUSH_TODAY OTHERWISE PUSH_TODAY CMP_DATE RET"},
    {"\"a\" in roles", "LOAD_FACT PUSH_STR HAS RET"},
    {"true and false", "PUSH_TRUE JUMP_FALSE PUSH_FALSE JUMP PUSH_FALSE RET"},
    {"true or false", "PUSH_TRUE JUMP_TRUE PUSH_FALSE JUMP PUSH_TRUE RET"},
    {"today + 2 years > birth_date", "PUSH_TODAY PUSH_INT DATE_ADD LOAD_FACT CMP_DATE RET"},
    {"today - 30 days > birth_date", "PUSH_TODAY PUSH_INT DATE_ADD LOAD_FACT CMP_DATE RET"},
    /* A loop that looks for a key finds it with ITER_FIND, and leaves the
     * test out of its body. */
    {"any c in certificates where c.id = \"x\"",
     "LOAD_FACT ITER_INIT PUSH_STR ITER_KEY ITER_FIND STORE_LOCAL PUSH_TRUE JUMP_TRUE LOOP "
     "PUSH_FALSE JUMP PUSH_TRUE RET"},
    {"any c in certificates where \"x\" = c.id and c.issued <= today",
     "LOAD_FACT ITER_INIT PUSH_STR ITER_KEY ITER_FIND STORE_LOCAL LOAD_LOCAL LOAD_FIELD PUSH_TODAY CMP_DATE "
     "JUMP_TRUE LOOP PUSH_FALSE JUMP PUSH_TRUE RET"},
    {"any c in certificates where c.id = \"x\" and c.issued <= today and c.issued > birth_date",
     "LOAD_FACT ITER_INIT PUSH_STR ITER_KEY ITER_FIND STORE_LOCAL LOAD_LOCAL LOAD_FIELD PUSH_TODAY CMP_DATE "
     "JUMP_FALSE LOAD_LOCAL LOAD_FIELD LOAD_FACT CMP_DATE JUMP PUSH_FALSE JUMP_TRUE LOOP PUSH_FALSE JUMP "
     "PUSH_TRUE RET"},
    {"any r in roles where any c in certificates where c.id = r",
     "LOAD_FACT ITER_INIT ITER_NEXT STORE_LOCAL LOAD_FACT ITER_INIT LOAD_LOCAL ITER_KEY ITER_FIND STORE_LOCAL "
     "PUSH_TRUE JUMP_TRUE LOOP PUSH_FALSE JUMP PUSH_TRUE JUMP_TRUE LOOP PUSH_FALSE JUMP PUSH_TRUE RET"},
    /* Not a key: the test is not first, `all` must see every element, the
     * value depends on the element, or the loop counts. */
    {"any c in certificates where c.issued <= today and c.id = \"x\"",
     "LOAD_FACT ITER_INIT ITER_NEXT STORE_LOCAL LOAD_LOCAL LOAD_FIELD PUSH_TODAY CMP_DATE JUMP_FALSE "
     "LOAD_LOCAL LOAD_FIELD PUSH_STR CMP_TEXT JUMP PUSH_FALSE JUMP_TRUE LOOP PUSH_FALSE JUMP PUSH_TRUE RET"},
    {"all c in certificates where c.id = \"x\"",
     "LOAD_FACT ITER_INIT ITER_NEXT STORE_LOCAL LOAD_LOCAL LOAD_FIELD PUSH_STR CMP_TEXT JUMP_FALSE LOOP "
     "PUSH_TRUE JUMP PUSH_FALSE RET"},
    {"any c in certificates where c.id = c.id",
     "LOAD_FACT ITER_INIT ITER_NEXT STORE_LOCAL LOAD_LOCAL LOAD_FIELD LOAD_LOCAL LOAD_FIELD CMP_TEXT JUMP_TRUE "
     "LOOP PUSH_FALSE JUMP PUSH_TRUE RET"},
    {"(count c in certificates) >= 2",
     "PUSH_INT STORE_LOCAL LOAD_FACT ITER_INIT ITER_NEXT STORE_LOCAL LOAD_LOCAL PUSH_INT ADD_INT STORE_LOCAL "
     "LOOP LOAD_LOCAL PUSH_INT CMP_INT RET"},
    {"1 + 2.5 > 3", "PUSH_INT INT_TO_NUM PUSH_NUM ADD_NUM PUSH_INT INT_TO_NUM CMP_NUM RET"},
    {"-1 < 0", "PUSH_INT PUSH_INT CMP_INT RET"},
};

START_TEST(test_sequences)
{
    const row *r = &rows[_i];
    char body[512];
    snprintf(body, sizeof body, "program p {\n  require \"r\": %s\n}\n", r->cond);
    pb_image *img = build(body);
    char got[1024];
    listing(img, img->nfuncs - 1, got, sizeof got);
    ck_assert_msg(strcmp(got, r->ops) == 0, "%s\n  got:      %s\n  expected: %s", r->cond, got, r->ops);
    pb_image_free(img);
}
END_TEST

/* The opcode a forward jump of function f lands on: the first jump of
 * opcode `op`. */
static pb_op jump_lands_on(const pb_image *img, uint32_t f, pb_op op)
{
    const pb_func *fn = &img->funcs[f];
    for (uint32_t pc = fn->code_off; pc < fn->code_off + fn->code_len;) {
        pb_insn in;
        ck_assert(pb_decode(img->code, img->ncode, pc, &in));
        if (in.op == op) {
            pb_insn to;
            ck_assert(pb_decode(img->code, img->ncode, pc + in.size + (uint32_t)in.ja, &to));
            return to.op;
        }
        pc += in.size;
    }
    ck_abort_msg("no %s", pb_opinfo_table[op].name);
    return PB_OP_NOP;
}

/* Jump threading: a failed `c.id = "x"` goes straight on to the next
 * certificate instead of through the PUSH_FALSE / JUMP_FALSE ladder of the
 * enclosing `and` and `any`; a failed `or` item that is found goes straight
 * to the PUSH_TRUE. */
START_TEST(test_threading)
{
    pb_image *img = build("program p {\n  require \"r\": any c in certificates where c.id = \"x\" and "
                          "c.issued <= today and c.issued > birth_date\n}\n");
    ck_assert_int_eq(jump_lands_on(img, img->nfuncs - 1, PB_OP_JUMP_FALSE), PB_OP_LOOP);
    pb_image_free(img);
    img = build("program p {\n  require \"r\": (\"a\" in roles or \"b\" in roles) and true\n}\n");
    ck_assert_int_eq(jump_lands_on(img, img->nfuncs - 1, PB_OP_JUMP_TRUE), PB_OP_PUSH_TRUE);
    pb_image_free(img);
}
END_TEST

/* Constants and strings are shared, definitions come before their callers,
 * and frames include callees. */
START_TEST(test_tables)
{
    pb_image *img = build("define age = years since birth_date\n"
                          "define adult = age >= 18\n"
                          "program a { require \"adult\": adult  require \"x\": \"x\" in roles }\n"
                          "program b { require \"adult\": adult and age >= 18 }\n");
    ck_assert_uint_eq(img->nprogs, 2);
    ck_assert_uint_eq(img->nfuncs, 5); /* age, adult, a#0, a#1, b#0 */
    ck_assert_str_eq(img->strings[img->funcs[0].name], "age");
    ck_assert_str_eq(img->strings[img->funcs[1].name], "adult");
    ck_assert_str_eq(img->strings[img->funcs[2].name], "a#0");
    ck_assert_uint_eq(img->nints, 1); /* 18, once */
    ck_assert(img->funcs[1].frame > img->funcs[0].frame);
    ck_assert_uint_eq(img->records[0].nfields, 4);
    ck_assert_str_eq(img->strings[img->fields[0].name], "birth_date");
    ck_assert_int_eq(img->fields[0].def, PB_DEF_REQUIRED);
    ck_assert_int_eq(img->fields[1].def, PB_DEF_NONE);
    ck_assert_int_eq(img->fields[2].type.kind, PB_T_SET);
    ck_assert_int_eq(img->fields[3].type.kind, PB_T_LIST);
    ck_assert_uint_eq(img->fields[3].type.rec, 1);
    ck_assert_uint_eq(pb_find_string(img, "x", 1) != PB_NO_STRING, 1);
    pb_image_free(img);
}
END_TEST

/* A table of 2^31 entries does not double: its 32-bit count would wrap to
 * 0 and the next entry be written out of bounds. The rules are too large
 * for the format (gigabytes of them: the counts are set by hand here, and
 * the refusal comes before any memory is asked for), not out of memory. */
START_TEST(test_tables_past_2_31)
{
    pg g;
    memset(&g, 0, sizeof g);
    pk_vec v = {NULL, UINT32_C(1) << 31, UINT32_C(1) << 31, 8};
    ck_assert_ptr_null(pk_push(&g, &v));
    ck_assert(g.too_big);
    ck_assert(!g.oom);
    ck_assert_uint_eq(v.cap, UINT32_C(1) << 31);
    memset(&g, 0, sizeof g);
    g.strings.len = UINT32_C(1) << 30;
    g.string_map.cap = UINT32_C(1) << 31;
    ck_assert_uint_eq(pk_string(&g, "x", 1), 0);
    ck_assert(g.too_big);
    ck_assert(!g.oom);
    ck_assert_uint_eq(g.string_map.cap, UINT32_C(1) << 31);
}
END_TEST

static Suite *gen_suite(void)
{
    Suite *s = suite_create("gen");
    TCase *tc = tcase_create("code");
    tcase_add_loop_test(tc, test_sequences, 0, (int)(sizeof rows / sizeof *rows));
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_threading);
    tcase_add_test(tc, test_tables_past_2_31);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(gen_suite());
}
