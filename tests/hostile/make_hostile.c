/* Writes the hostile bytecode corpus: one .pwc file per check the loader and
 * the verifier make (docs/bytecode.md, sections 1 and 3), each breaking
 * exactly that check and nothing before it.
 *
 *     make_hostile DIR            the committed cases (tests/hostile/NAME.pwc)
 *     make_hostile --large DIR    the cases too big to commit (> 16 MiB)
 *
 * Every case starts from one valid image (built with tests/unit/asm_helpers.h,
 * saved with pb_save), then changes it at one of three levels: the image's
 * tables before saving (`build` adds functions or programs, `patch` edits
 * what was built), the saved file's sections (`edit`: payloads, order,
 * count; lengths and checksums are recomputed), or the final bytes (`raw`:
 * truncation, a flipped byte, trailing bytes). Before writing a case the
 * generator loads it with pb_load and requires the message to contain the
 * case's `expect`, so a case that stops testing its rule (because the base
 * image or an earlier check changed) fails the build's test instead of
 * silently testing something else.
 *
 * A few cases are valid bytecode that fails at run time (`facts` given):
 * they are written with NAME.facts for `pathway eval`.
 *
 * Checks a file cannot reach, because the loader establishes them before the
 * verifier runs: "table of ... missing", "string N missing", "string N is not
 * NUL-terminated" (the loader terminates every string it reads). The
 * verifier's bound on its own memory (256 MiB of saved states) needs a
 * function far larger than a committed file; tests/unit/test_verify.c covers
 * it where practical. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "verify_cases.h"

/* ---- verifier: code (the cases test_verify.c shares are in verify_cases.h) ---- */

/* A LOOP whose distance lands inside the PUSH_INT before it. */
static void c_loop_inside(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 0, 1);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 1), 0);
    uint32_t at = ah_emit(b, PB_OP_LOOP, 0, 0);
    pb_encode(b->code + at, PB_OP_LOOP, 5 + 3, 0); /* back to PUSH_INT + 2 */
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* A JUMP skips the ITER_NEXT, so only the LOOP leads there. */
static void c_loop_head_unreached(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 2);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_t(PB_T_SET)));
    uint32_t skip = ah_emit(b, PB_OP_JUMP, 0, 0);
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, skip, b->ncode);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* ---- verifier: types --------------------------------------------------------- */

/* A loop over list `slot` (of type `list`) that finds with ITER_FIND 0.
 * `key` is the instruction that pushes the key (NOP: no ITER_KEY at all);
 * then ITER_KEY 0, `field`, and `extra`, an instruction run before the loop
 * (NOP for none). Locals 0, 1 and 2 are the iterator's. */
static void keyed_loop(ah *b, uint32_t slot, pb_type list, ah_op key, uint32_t field, ah_op extra)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 3, 1);
    ah_emit(b, PB_OP_LOAD_FACT, slot, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(list));
    if (key.op != PB_OP_NOP) {
        ah_emit(b, key.op, key.a, key.b);
        ah_emit(b, PB_OP_ITER_KEY, 0, field);
    }
    if (extra.op != PB_OP_NOP)
        ah_emit(b, extra.op, extra.a, extra.b);
    uint32_t head = ah_emit(b, PB_OP_ITER_FIND, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

#define NO_OP ((ah_op){PB_OP_NOP, 0, 0})
#define KEY_STR(b) ((ah_op){PB_OP_PUSH_STR, ah_str(b, "usatf-level-1"), 0})

static void c_find_without_key(ah *b) { keyed_loop(b, F_CERTS, ah_list(REC_CERT), NO_OP, 0, NO_OP); }
static void c_find_on_set(ah *b) { keyed_loop(b, F_ROLES, ah_t(PB_T_SET), NO_OP, 0, NO_OP); }
static void c_key_on_set(ah *b) { keyed_loop(b, F_ROLES, ah_t(PB_T_SET), KEY_STR(b), 0, NO_OP); }
static void c_key_field_range(ah *b) { keyed_loop(b, F_CERTS, ah_list(REC_CERT), KEY_STR(b), 9, NO_OP); }
static void c_key_field_date(ah *b) { keyed_loop(b, F_CERTS, ah_list(REC_CERT), KEY_STR(b), 1, NO_OP); }

static void c_key_integer(ah *b)
{
    keyed_loop(b, F_CERTS, ah_list(REC_CERT), (ah_op){PB_OP_PUSH_INT, ah_int(b, 1), 0}, 0, NO_OP);
}

/* The key local holds a field index the VM trusts: bytecode may not read it... */
static void c_key_read(ah *b)
{
    keyed_loop(b, F_CERTS, ah_list(REC_CERT), KEY_STR(b), 0, (ah_op){PB_OP_LOAD_LOCAL, 2, 0});
}

/* ...nor make one: a text stored where the key goes is no key. */
static void c_key_forged(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 3, 1);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_list(REC_CERT)));
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "usatf-level-1"), 0);
    ah_emit(b, PB_OP_STORE_LOCAL, 2, 0);
    uint32_t head = ah_emit(b, PB_OP_ITER_FIND, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* ITER_KEY uses three locals from its operand. */
static void c_key_locals(ah *b)
{
    AH_FN(b, "bad", t_bool(), 0, NULL, 2, 1, {PB_OP_PUSH_STR, ah_str(b, "x"), 0}, {PB_OP_ITER_KEY, 0, 0},
          {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
}

/* The same depth on the back edge, but an integer where the head had text. */
static void c_loop_stack_type(ah *b)
{
    ah_func(b, "bad", t_bool(), 0, NULL, 2, 3);
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "s"), 0);
    ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, ty(ah_t(PB_T_SET)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 1), 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
}

/* ---- verifier: tables ------------------------------------------------------------ */

static void p_string_prog(pb_image *img) { img->progs[0].title = 12345; }
static void p_string_record(pb_image *img) { img->records[1].name = 500; }
static void p_string_field(pb_image *img) { img->fields[2].name = 501; }
static void p_string_func(pb_image *img) { img->funcs[0].name = 502; }
static void p_string_req_label(pb_image *img) { img->reqs[0].label = 4000; }
static void p_string_req_cite(pb_image *img) { img->reqs[0].cite = 4001; }
static void p_string_line(pb_image *img) { img->lines[0].file = 777; }
static void p_field_optional(pb_image *img) { img->fields[0].type.optional = 2; }
static void p_def_date(pb_image *img)
{
    img->fields[F_BIRTH].def = PB_DEF_VALUE;
    img->fields[F_BIRTH].defv.as.d = D_2999_12_31 + 1;
}
static void p_bounds_default(pb_image *img) /* n defaults to 0 */
{
    img->fields[F_N].bounds = PB_BOUND_MIN;
    img->fields[F_N].minv.as.i = 1;
}
static void p_bounds_list(pb_image *img) { img->fields[F_CERTS].bounds = PB_BOUND_MIN; }
static void p_func_frame_limit(pb_image *img) { img->funcs[0].frame = 2000000; }
static void p_req_size(pb_image *img) { img->reqs[0].size = 7; }

/* ---- verifier: requirement trees ------------------------------------------------------ */

static void p_child_size(pb_image *img) { img->reqs[1].size = 0; }

/* ---- valid bytecode that fails at run time (for `pathway eval`) ------------------ */

/* `since < today` with since absent: the checker forbids ordering an
 * optional value, so only hand-made bytecode gets here. */
static void e_ordering_absent(ah *b)
{
    uint32_t f = AH_FN(b, "since_before_today", t_bool(), 0, NULL, 0, 2, {PB_OP_LOAD_FACT, F_SINCE, 0},
                       {PB_OP_PUSH_TODAY, 0, 0}, {PB_OP_CMP_DATE, PB_LT, 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "coaching since before today", f);
}

static void e_overflow(ah *b)
{
    uint32_t f = AH_FN(b, "huge", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_INT, ah_int(b, INT64_MAX), 0},
                       {PB_OP_PUSH_INT, ah_int(b, 1), 0}, {PB_OP_ADD_INT, 0, 0}, {PB_OP_POP, 0, 0},
                       {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "an overflowing sum", f);
}

static void e_date_range(ah *b)
{
    uint32_t f = AH_FN(b, "far", t_bool(), 0, NULL, 0, 2, {PB_OP_PUSH_DATE, (uint32_t)D_2999_12_31, 0},
                       {PB_OP_PUSH_INT, ah_int(b, 200000), 0}, {PB_OP_DATE_ADD, 0, 0}, {PB_OP_POP, 0, 0},
                       {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "200000 days after the calendar ends", f);
}

/* Three loops nested over the roles: 300 roles are 27 million iterations,
 * past the budget of 10 million instructions. */
static void e_budget(ah *b)
{
    ah_func(b, "cube", t_bool(), 0, NULL, 6, 2);
    uint32_t head[3];
    for (int i = 0; i < 3; i++) {
        ah_emit(b, PB_OP_LOAD_FACT, F_ROLES, 0);
        ah_emit(b, PB_OP_ITER_INIT, (uint32_t)(2 * i), ty(ah_t(PB_T_SET)));
        head[i] = ah_emit(b, PB_OP_ITER_NEXT, (uint32_t)(2 * i), 0);
        ah_emit(b, PB_OP_POP, 0, 0);
    }
    for (int i = 2; i >= 0; i--) {
        ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head[i]);
        ah_patch(b, head[i], b->ncode);
    }
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    uint32_t f = ah_end(b);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "every triple of roles", f);
}

/* ---- the file: sections and bytes ---------------------------------------------------- */

typedef struct hsec {
    char tag[4];
    uint8_t *p;
    size_t n;
} hsec;

typedef struct hfile {
    uint8_t head[PB_HEADER_LEN];
    hsec sec[16];
    unsigned nsec;
} hfile;

typedef struct hraw {
    uint8_t *p;
    size_t n;
} hraw;

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "make_hostile: out of memory\n");
        exit(1);
    }
    return p;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void hf_parse(hfile *f, const uint8_t *p, size_t n)
{
    memset(f, 0, sizeof *f);
    memcpy(f->head, p, PB_HEADER_LEN);
    size_t at = PB_HEADER_LEN;
    while (at + PB_SECTION_HEADER_LEN <= n && f->nsec < 16) {
        hsec *s = &f->sec[f->nsec++];
        memcpy(s->tag, p + at, 4);
        s->n = pb_rd32(p + at + 4);
        s->p = xmalloc(s->n);
        memcpy(s->p, p + at + PB_SECTION_HEADER_LEN, s->n);
        at += PB_SECTION_HEADER_LEN + s->n;
    }
}

/* Lengths and checksums are computed afresh. */
static hraw hf_write(const hfile *f)
{
    size_t n = PB_HEADER_LEN;
    for (unsigned i = 0; i < f->nsec; i++)
        n += PB_SECTION_HEADER_LEN + f->sec[i].n;
    hraw r = {xmalloc(n), n};
    memcpy(r.p, f->head, PB_HEADER_LEN);
    size_t at = PB_HEADER_LEN;
    for (unsigned i = 0; i < f->nsec; i++) {
        const hsec *s = &f->sec[i];
        memcpy(r.p + at, s->tag, 4);
        put32(r.p + at + 4, (uint32_t)s->n);
        put32(r.p + at + 8, pb_crc32(s->p, s->n));
        if (s->n)
            memcpy(r.p + at + PB_SECTION_HEADER_LEN, s->p, s->n);
        at += PB_SECTION_HEADER_LEN + s->n;
    }
    return r;
}

static void hf_free(hfile *f)
{
    for (unsigned i = 0; i < f->nsec; i++)
        free(f->sec[i].p);
    f->nsec = 0;
}

static hsec *hf_sec(hfile *f, const char *tag)
{
    for (unsigned i = 0; i < f->nsec; i++)
        if (memcmp(f->sec[i].tag, tag, 4) == 0)
            return &f->sec[i];
    fprintf(stderr, "make_hostile: no section %s\n", tag);
    exit(1);
}

static void sec_resize(hsec *s, size_t n)
{
    uint8_t *p = xmalloc(n);
    memset(p, 0, n);
    memcpy(p, s->p, s->n < n ? s->n : n);
    free(s->p);
    s->p = p;
    s->n = n;
}

/* Offset of section i's header in the written file. */
static size_t raw_section(const hraw *r, unsigned i)
{
    size_t at = PB_HEADER_LEN;
    for (unsigned k = 0; k < i && at + PB_SECTION_HEADER_LEN <= r->n; k++)
        at += PB_SECTION_HEADER_LEN + pb_rd32(r->p + at + 4);
    return at;
}

/* ---- loader cases: the header and the framing -------------------------------------- */

static void x_empty(hraw *r) { r->n = 0; }
static void x_magic(hraw *r) { r->p[1] = 'Q'; }
static void x_version(hraw *r) { put32(r->p + 8, 7); }
static void x_old_version(hraw *r) { put32(r->p + 8, PB_FORMAT_VERSION - 1); }
static void x_flags(hraw *r) { put32(r->p + 12, 2); }
static void x_cut_header(hraw *r) { r->n = 13; }
static void x_cut_magic(hraw *r) { r->n = 5; }
static void x_cut_sections(hraw *r) { r->n = raw_section(r, 5); }
static void x_cut_section_tag(hraw *r) { r->n = raw_section(r, 5) + 2; }
static void x_cut_section_header(hraw *r) { r->n = raw_section(r, 5) + 7; }
static void x_cut_payload(hraw *r) { r->n = raw_section(r, 4) + PB_SECTION_HEADER_LEN + 3; }
static void x_checksum(hraw *r) { r->p[raw_section(r, 4) + PB_SECTION_HEADER_LEN + 4] ^= 0x01; }
static void x_trailing(hraw *r)
{
    uint8_t *p = xmalloc(r->n + 3);
    memcpy(p, r->p, r->n);
    memcpy(p + r->n, "abc", 3);
    free(r->p);
    r->p = p;
    r->n += 3;
}
static void x_tag_unknown(hraw *r) { memcpy(r->p + raw_section(r, 2), "XYZW", 4); }
static void x_tag_unprintable(hraw *r) { memcpy(r->p + raw_section(r, 2), "K\x01'\\", 4); }

static void f_swap(hfile *f)
{
    hsec t = f->sec[2];
    f->sec[2] = f->sec[3];
    f->sec[3] = t;
}
static void f_repeat(hfile *f)
{
    /* STRS twice: the second stands where RECS belongs. */
    hsec *s = &f->sec[1];
    free(s->p);
    *s = f->sec[0];
    s->p = xmalloc(s->n);
    memcpy(s->p, f->sec[0].p, s->n);
}
static void f_missing(hfile *f)
{
    free(f->sec[--f->nsec].p);
    put32(f->head + 16, f->nsec);
}
static void f_extra(hfile *f)
{
    hsec *s = &f->sec[f->nsec++];
    *s = f->sec[f->nsec - 2];
    s->p = xmalloc(s->n);
    memcpy(s->p, f->sec[f->nsec - 2].p, s->n);
    put32(f->head + 16, f->nsec);
}
static void f_count_small(hfile *f) { put32(f->head + 16, 0); }

/* ---- loader cases: contents of the sections --------------------------------------- */

static void f_strs_count(hfile *f) { put32(hf_sec(f, "STRS")->p, UINT32_MAX); }
static void f_strs_len(hfile *f) { put32(hf_sec(f, "STRS")->p + 4, 256); }
/* The bounds byte of field 0 (`id`, required, so no default value before
 * it): after the record table, the field count, its name, type and default
 * kind. */
static void f_bounds_flags(hfile *f)
{
    hsec *s = hf_sec(f, "RECS");
    s->p[4 + 12 * pb_rd32(s->p) + 4 + 4 + 4 + 1] = 0x04;
}

/* String 0 is "hostile.pw", its bytes from offset 8 of the payload. */
static void f_strs_nul(hfile *f) { hf_sec(f, "STRS")->p[9] = 0; }
static void f_strs_left_over(hfile *f)
{
    hsec *s = hf_sec(f, "STRS");
    sec_resize(s, s->n + 2);
}
static void f_recs_count(hfile *f) { put32(hf_sec(f, "RECS")->p, 1000000); }
static void f_fields_count(hfile *f)
{
    hsec *s = hf_sec(f, "RECS");
    put32(s->p + 4 + 12 * pb_rd32(s->p), 1000000);
}
static void f_recs_short(hfile *f)
{
    hsec *s = hf_sec(f, "RECS");
    sec_resize(s, s->n - 7);
}
static void f_kint_count(hfile *f) { put32(hf_sec(f, "KINT")->p, 1000); }
static void f_knum_count(hfile *f) { put32(hf_sec(f, "KNUM")->p, 1000); }
static void f_code_count(hfile *f) { put32(hf_sec(f, "CODE")->p, 1000); }
static void f_func_count(hfile *f) { put32(hf_sec(f, "FUNC")->p, 1000); }
static void f_param_count(hfile *f)
{
    hsec *s = hf_sec(f, "FUNC");
    put32(s->p + 4 + 30 * pb_rd32(s->p), 1000);
}
static void f_prog_count(hfile *f) { put32(hf_sec(f, "PROG")->p, 1000); }
static void f_reqs_count(hfile *f) { put32(hf_sec(f, "REQS")->p, 1000); }
static void f_line_count(hfile *f) { put32(hf_sec(f, "LINE")->p, 1000); }

/* ---- the cases --------------------------------------------------------------------- */

typedef struct hcase {
    const char *name;
    void (*build)(ah *b);
    void (*patch)(pb_image *img);
    void (*edit)(hfile *f);
    void (*raw)(hraw *r);
    const char *expect; /* part of pb_load's message; NULL: loads */
    const char *facts;  /* for `pathway eval`: one coach (JSON) */
} hcase;

/* The format version as text, for the messages that name it. */
#define STR2(x) #x
#define STR(x) STR2(x)
#define FORMAT STR(PB_FORMAT_VERSION)

#define LOAD(name, edit, raw, expect) {name, NULL, NULL, edit, raw, expect, NULL}
#define VERIFY(name, build, patch, expect) {name, build, patch, NULL, NULL, expect, NULL}

static const char coach_facts[] = "{\"id\":\"H1\",\"birth_date\":\"1990-01-01\"}\n";
static char budget_facts[4096];

static const hcase cases[] = {
    /* 1. the loader: header and framing */
    LOAD("load-empty", NULL, x_empty, "not a Pathway bytecode file (bad magic)"),
    LOAD("load-bad-magic", NULL, x_magic, "not a Pathway bytecode file (bad magic)"),
    LOAD("load-truncated-magic", NULL, x_cut_magic, "truncated file: the header needs 20 bytes, 5 remain"),
    LOAD("load-old-version", NULL, x_old_version, "bytecode format version 5 is older than this build's (version " FORMAT "): recompile the rules from their source"),
    LOAD("load-version", NULL, x_version, "bytecode format version 7 is not supported (this build reads version " FORMAT ")"),
    LOAD("load-flags", NULL, x_flags, "unsupported header flags 0x00000002 (this build knows none)"),
    LOAD("load-truncated-header", NULL, x_cut_header, "truncated file: the header needs 20 bytes, 13 remain"),
    LOAD("load-truncated-sections", NULL, x_cut_sections, "truncated file: 5 of 9 sections present"),
    LOAD("load-truncated-section-tag", NULL, x_cut_section_tag, "truncated file: the header of section 5 needs 12 bytes, 2 remain"),
    LOAD("load-truncated-section-header", NULL, x_cut_section_header, "truncated file: the header of section 'FUNC' needs 12 bytes, 7 remain"),
    LOAD("load-truncated-payload", NULL, x_cut_payload, "truncated file: section 'CODE' needs 6 bytes, 3 remain"),
    LOAD("load-checksum", NULL, x_checksum, "checksum mismatch in section 'CODE' (file corrupted)"),
    LOAD("load-unknown-section", NULL, x_tag_unknown, "unknown section 'XYZW' (format version " FORMAT " has no such section)"),
    LOAD("load-unknown-section-unprintable", NULL, x_tag_unprintable, "unknown section 'K\\x01\\x27\\x5c'"),
    LOAD("load-section-order", f_swap, NULL, "section 'KNUM' out of order or repeated (expected 'KINT')"),
    LOAD("load-section-repeated", f_repeat, NULL, "section 'STRS' out of order or repeated (expected 'RECS')"),
    LOAD("load-section-missing", f_missing, NULL, "section 'LINE' is missing (the file has 8 sections)"),
    LOAD("load-section-extra", f_extra, NULL, "unexpected extra section 'LINE' (section 9; there are 9)"),
    LOAD("load-section-count-zero", f_count_small, NULL, "section 'STRS' is missing (the file has 0 sections)"),
    LOAD("load-trailing-bytes", NULL, x_trailing, "3 unexpected bytes after the last section"),
    /* 1. the loader: contents that do not fit their section */
    LOAD("load-strings-count", f_strs_count, NULL, "malformed section 'STRS': 4294967295 strings need at least 17179869180 bytes"),
    LOAD("load-string-length", f_strs_len, NULL, "malformed section 'STRS': string 0 needs 256 bytes"),
    LOAD("load-string-nul", f_strs_nul, NULL, "malformed section 'STRS': string 0 contains a NUL byte"),
    LOAD("load-strings-left-over", f_strs_left_over, NULL, "malformed section 'STRS': 2 bytes left over after its contents"),
    LOAD("load-records-count", f_recs_count, NULL, "malformed section 'RECS': 1000000 records need at least 12000000 bytes"),
    LOAD("load-fields-count", f_fields_count, NULL, "malformed section 'RECS': 1000000 fields need at least"),
    LOAD("load-records-short", f_recs_short, NULL, "malformed section 'RECS': an entry needs"),
    VERIFY("load-default-on-list", NULL, p_def_value_list, "malformed section 'RECS': field 3 of type list of certificate cannot have a default value"),
    LOAD("load-int-count", f_kint_count, NULL, "malformed section 'KINT': 1000 integer constants need at least 8000 bytes"),
    LOAD("load-num-count", f_knum_count, NULL, "malformed section 'KNUM': 1000 number constants need at least 8000 bytes"),
    LOAD("load-code-count", f_code_count, NULL, "malformed section 'CODE': 1000 code bytes need at least 1000 bytes"),
    LOAD("load-func-count", f_func_count, NULL, "malformed section 'FUNC': 1000 functions need at least 30000 bytes"),
    LOAD("load-param-count", f_param_count, NULL, "malformed section 'FUNC': 1000 parameter types need at least 4000 bytes"),
    LOAD("load-prog-count", f_prog_count, NULL, "malformed section 'PROG': 1000 programs need at least 69000 bytes"),
    LOAD("load-reqs-count", f_reqs_count, NULL, "malformed section 'REQS': 1000 requirement nodes need at least 48000 bytes"),
    LOAD("load-line-count", f_line_count, NULL, "malformed section 'LINE': 1000 line entries need at least 16000 bytes"),
    LOAD("load-bounds-flags", f_bounds_flags, NULL, "malformed section 'RECS': field 0 has invalid bounds 0x04"),
    VERIFY("load-bounds-on-list", NULL, p_bounds_list, "malformed section 'RECS': field 3 of type list of certificate cannot have bounds"),
    VERIFY("load-frame-limit", NULL, p_func_frame_limit, "evaluation needs a stack of 2000000 values, more than the limit of 1048576"),

    /* 3. the verifier: tables */
    VERIFY("table-string-nul", NULL, p_string_nul, "malformed section 'STRS': string 0 contains a NUL byte"),
    VERIFY("table-string-program", NULL, p_string_prog, "string 12345 out of range (image has 17 strings) in program 0"),
    VERIFY("table-string-record", NULL, p_string_record, "string 500 out of range (image has 17 strings) in record 1"),
    VERIFY("table-string-field", NULL, p_string_field, "string 501 out of range (image has 17 strings) in field 2"),
    VERIFY("table-string-function", NULL, p_string_func, "string 502 out of range (image has 17 strings) in function 0"),
    VERIFY("table-string-default", NULL, p_def_text, "string 999 out of range (image has 17 strings) in the default of field 0"),
    VERIFY("table-string-requirement", NULL, p_string_req_label, "string 4000 out of range (image has 17 strings) in requirement 0 of program 0"),
    VERIFY("table-string-citation", NULL, p_string_req_cite, "string 4001 out of range (image has 17 strings) in requirement 0 of program 0"),
    VERIFY("table-string-line", NULL, p_string_line, "string 777 out of range (image has 17 strings) in line entry 0"),
    VERIFY("table-record-fields", NULL, p_record_range, "record 1: fields 9..108 out of range (image has 12 fields)"),
    VERIFY("table-field-kind", NULL, p_field_kind, "field 0 has an invalid type (<kind 9>)"),
    VERIFY("table-field-optional-flag", NULL, p_field_optional, "field 0 has an invalid type"),
    VERIFY("table-field-list-record", NULL, p_field_list_rec, "field 3 has an invalid type (list of record 9)"),
    VERIFY("table-field-record-on-text", NULL, p_field_text_rec, "field 0 has an invalid type (text)"),
    VERIFY("table-default-none", NULL, p_def_none, "field 0 defaults to none but its type text is not optional"),
    VERIFY("table-default-empty", NULL, p_def_empty, "field 0 defaults to empty but its type text is not a list or set"),
    VERIFY("table-default-date", NULL, p_def_date, "field 1: default date 376200 out of range"),
    VERIFY("table-default-kind", NULL, p_def_kind, "field 0 has an invalid default kind 9"),
    VERIFY("table-bounds-on-text", NULL, p_bounds_text, "field 0 of type text has invalid bounds"),
    VERIFY("table-bounds-nan", NULL, p_bounds_nan, "field 6 of type number has invalid bounds"),
    VERIFY("table-bounds-date-range", NULL, p_bounds_date, "field 1 of type date has invalid bounds"),
    VERIFY("table-bounds-order", NULL, p_bounds_order, "field 5: its minimum is above its maximum"),
    VERIFY("table-bounds-default", NULL, p_bounds_default, "field 5: its default is outside its bounds"),
    VERIFY("table-function-code-range", NULL, p_func_range, "function 0 'yes': code 0..9999 out of range (image has 2 code bytes)"),
    VERIFY("table-function-no-code", NULL, p_func_empty, "function 0 'yes' has no code"),
    VERIFY("table-function-params-locals", NULL, p_func_params, "function 0 'yes' has 1 parameters but only 0 locals"),
    VERIFY("table-function-param-range", NULL, p_func_param_range, "function 0 'yes': parameter types 0..1 out of range (image has 0)"),
    VERIFY("table-function-param-type", with_param_func, NULL, "function 1 'g': parameter 0 has an invalid type (void)"),
    VERIFY("table-function-result", NULL, p_func_result, "function 0 'yes' has an invalid result type (void)"),
    VERIFY("table-function-frame", NULL, p_func_frame, "function 0 'yes' declares a frame of 0 values but needs 1 (0 locals + 1 stack + 0 for calls)"),
    VERIFY("table-function-callee-frame", with_callee_frame, p_callee_frame, "function 2 'caller' declares a frame of 8 values but needs 9 (1 locals + 1 stack + 7 for calls)"),
    VERIFY("table-program-unit", NULL, p_prog_unit, "program 0 has an invalid validity unit 7"),
    VERIFY("table-program-requirements", NULL, p_prog_range, "program 0: requirements 0..50 out of range (image has 1 requirement nodes)"),
    VERIFY("table-program-overlap", r_overlap, p_overlap, "program 1: requirement nodes 0..1 overlap those of program 0"),
    VERIFY("table-program-period-order", NULL, p_prog_period_order, "program 0: invalid effective period (day 20605 to day 20604)"),
    VERIFY("table-program-period-from", NULL, p_prog_from_range, "program 0: invalid effective period (day -62092 to day 2147483647)"),
    VERIFY("table-program-period-until", NULL, p_prog_until_range, "program 0: invalid effective period (day -2147483648 to day 376200)"),
    VERIFY("table-window-order", NULL, p_window_order, "program 0: invalid enrolment window (day 20605 to day 20604)"),
    VERIFY("table-window-opens", NULL, p_window_opens_range, "program 0: invalid enrolment window (day -62092 to day 2147483647)"),
    VERIFY("table-window-closes", NULL, p_window_closes_range, "program 0: invalid enrolment window (day -2147483648 to day 376200)"),
    VERIFY("table-requirement-period", NULL, p_req_period_order, "requirement 0 of program 0: invalid effective period (day 20605 to day 20604)"),
    VERIFY("table-versions-overlap", r_versions_overlap, NULL, "programs 0 and 1 are versions of 'p' whose effective periods overlap"),
    VERIFY("table-versions-overlap-twin-strings", r_versions_overlap_twin_strings, NULL, "programs 0 and 1 are versions of 'p' whose effective periods overlap"),
    VERIFY("table-line-offset", NULL, p_line_pc, "line entry 0: code offset 5000 out of range (image has 2 code bytes)"),
    VERIFY("table-line-order", NULL, p_lines_unsorted, "line entry 1: code offset 0 is before the previous entry's 1 (not sorted)"),

    /* 3. the verifier: requirement trees */
    VERIFY("tree-kind", NULL, p_req_kind, "requirement 0 of program 0 has an invalid kind 9"),
    VERIFY("tree-role", NULL, p_req_role, "requirement 0 of program 0 has an invalid role 5"),
    VERIFY("tree-top-level-depth", NULL, p_req_top_depth, "requirement 0 of program 0: depth 1, expected 0 (top level)"),
    VERIFY("tree-member-depth", r_all, p_child_depth, "requirement 1 of program 0: depth 2, expected 1"),
    VERIFY("tree-member-role", r_all, p_child_role, "requirement 2 of program 0: role 1 differs from its group's role 0"),
    VERIFY("tree-size-range", NULL, p_req_size, "requirement 0 of program 0: size 7 out of range"),
    VERIFY("tree-member-size-range", r_all, p_child_size, "requirement 1 of program 0: size 0 out of range"),
    VERIFY("tree-group-size", r_all, p_group_size, "requirement 0 of program 0: size 2 too small for its 2 members"),
    VERIFY("tree-group-members", r_all, p_group_children, "requirement 0 of program 0: size 3 does not match its 1 members (2 nodes)"),
    VERIFY("tree-leaf-members", NULL, p_req_leaf_children, "requirement 0 of program 0: a single requirement with 1 members (size 1)"),
    VERIFY("tree-leaf-function", NULL, p_req_func, "requirement 0 of program 0: function 99 out of range (image has 1 functions)"),
    VERIFY("tree-leaf-parameters", r_leaf_params, NULL, "requirement 0 of program 0: function 1 'g' takes 1 parameters (needs none)"),
    VERIFY("tree-leaf-result", r_leaf_result, NULL, "requirement 0 of program 0: function 1 'g' returns integer (needs boolean)"),
    VERIFY("tree-all-of-min", r_all, p_all_min, "requirement 0 of program 0: all-of group has min 1, needs 2 (all members)"),
    VERIFY("tree-any-of-min", r_any, p_any_min, "requirement 0 of program 0: any-of group has min 2, needs 1"),
    VERIFY("tree-at-least-min", r_atleast3, NULL, "requirement 0 of program 0: at-least group needs 3 of only 2 members"),
    VERIFY("tree-nesting", r_too_deep, NULL, "requirement 64 of program 0 is nested 65 deep (the limit is 64)"),

    /* 3. the verifier: code structure */
    VERIFY("code-unknown-opcode", c_unknown_opcode, NULL, "unknown opcode 200 in function 1 'bad' at offset 2"),
    VERIFY("code-runs-past-end", c_truncated, NULL, "instruction runs past the end of the function in function 1 'bad' at offset 2 (PUSH_INT)"),
    VERIFY("code-int-constant", c_kint, NULL, "integer constant 99 out of range (image has 0) in function 1 'bad' at offset 2 (PUSH_INT)"),
    VERIFY("code-num-constant", c_knum, NULL, "number constant 99 out of range (image has 0)"),
    VERIFY("code-string", c_str, NULL, "string 999 out of range (image has 18 strings) in function 1 'bad' at offset 2 (PUSH_STR)"),
    VERIFY("code-date", c_date, NULL, "date 9999999 out of range (years 1800 to 2999)"),
    VERIFY("code-facts-field", c_slot, NULL, "facts field 40 out of range (the facts record has 9 fields)"),
    VERIFY("code-record", c_rec, NULL, "record 7 out of range (image has 2 records)"),
    VERIFY("code-field", c_field, NULL, "field 5 out of range (record 1 'certificate' has 3 fields)"),
    VERIFY("code-local", c_local, NULL, "local 3 out of range (function has 2 locals)"),
    VERIFY("code-iterator-locals", c_iter_local, NULL, "local 2 out of range (function has 2 locals)"),
    VERIFY("code-call-self", c_self_call, NULL, "call to function 1: only lower-numbered functions may be called"),
    VERIFY("code-unit", c_unit, NULL, "invalid unit 3"),
    VERIFY("code-date-part-unit", c_date_part_unit, NULL, "invalid unit 3"),
    VERIFY("code-date-part-type", c_date_part_type, NULL, "expected date, found integer (value 1 of the 1 it pops)"),
    VERIFY("code-date-make-type", c_date_make_type, NULL, "expected integer, found date (value 3 of the 3 it pops)"),
    VERIFY("code-date-next-type", c_date_next_type, NULL, "expected date, found integer (value 1 of the 3 it pops)"),
    VERIFY("code-date-make-short", c_date_make_short, NULL, "DATE_MAKE"),
    VERIFY("code-comparison", c_cmp, NULL, "invalid comparison 6"),
    VERIFY("code-text-ordering", c_cmp_text_order, NULL, "only eq and ne apply to text, not lt"),
    VERIFY("code-boolean-ordering", c_cmp_bool_order, NULL, "only eq and ne apply to booleans, not gt"),
    VERIFY("code-type-element", c_type_elem, NULL, "invalid type operand 0x00010008 (certificate)"),
    VERIFY("code-type-kind", c_type_kind, NULL, "invalid type operand 0x0000004d"),
    VERIFY("code-iter-type", c_iter_type_operand, NULL, "invalid type operand 0x00000001 (integer)"),
    VERIFY("code-jump-outside", c_jump_out, NULL, "jump to offset 107, outside the function (code 2..9)"),
    VERIFY("code-jump-inside-instruction", c_jump_inside, NULL, "a jump lands at offset 9, inside this instruction"),
    VERIFY("code-loop-inside-instruction", c_loop_inside, NULL, "jump to offset 4, inside an instruction"),
    VERIFY("code-loop-forward", c_loop_forward, NULL, "LOOP by 0 does not go back to an earlier instruction of the function"),
    VERIFY("code-loop-before-start", c_loop_before_start, NULL, "LOOP by 50 does not go back to an earlier instruction"),
    VERIFY("code-loop-not-iter-next", c_loop_not_iter, NULL, "LOOP to offset 2, which is not an ITER_NEXT or ITER_FIND"),
    VERIFY("code-key-locals", c_key_locals, NULL, "local 2 out of range (function has 2 locals)"),
    VERIFY("code-loop-exit-inside", c_loop_exit_inside, NULL, "LOOP to the ITER_NEXT at offset 12, whose exit (offset 20) is not after the LOOP"),
    VERIFY("code-loop-head-unreached", c_loop_head_unreached, NULL, "which no other path reaches"),
    VERIFY("code-falls-off-end", c_falls_off, NULL, "execution falls off the end of the function"),

    /* 3. the verifier: types */
    VERIFY("type-stack-underflow", c_underflow, NULL, "stack underflow: pops 2 values, the stack holds 1"),
    VERIFY("type-operand", c_type_mismatch, NULL, "expected integer, found text (value 2 of the 2 it pops) in function 1 'bad' at offset 12 (ADD_INT)"),
    VERIFY("type-no-conversion", c_no_conversion, NULL, "expected number, found integer (value 1 of the 2 it pops)"),
    VERIFY("type-result", c_ret_type, NULL, "expected boolean, found integer (value 1 of the 1 it pops)"),
    VERIFY("type-call-arguments", c_call_args, NULL, "expected text, found integer (value 1 of the 2 it pops)"),
    VERIFY("type-field-of-wrong-record", c_field_wrong_record, NULL, "field of record 0 applied to certificate"),
    VERIFY("type-has-on-list", c_has_list, NULL, "expected a set of text, found list of certificate"),
    VERIFY("type-iter-init", c_iter_init_mismatch, NULL, "the operand says list of certificate, the stack holds set of text"),
    VERIFY("type-otherwise", c_otherwise_kinds, NULL, "the value is date but the alternative is integer"),
    VERIFY("type-stack-overflow", c_overflow, NULL, "stack overflow: more than max_stack 1 values"),
    VERIFY("type-local-unset", c_unset_local, NULL, "local 0 is read before it is set"),
    VERIFY("type-local-unset-by-merge", c_local_after_conflict, NULL, "local 0 is read before it is set"),
    VERIFY("type-iter-without-init", c_iter_without_init, NULL, "locals 0 and 1 are not an iterator set up by ITER_INIT"),
    VERIFY("type-iter-position-forged", c_iter_position_forged, NULL, "locals 0 and 1 are not an iterator set up by ITER_INIT"),
    VERIFY("type-find-without-key", c_find_without_key, NULL, "local 2 is not a key for the elements of the iterator at local 0 (ITER_KEY sets it)"),
    VERIFY("type-find-on-set", c_find_on_set, NULL, "ITER_FIND walks a set of text; it finds only in lists of records"),
    VERIFY("type-key-on-set", c_key_on_set, NULL, "ITER_KEY for an iterator over a set of text; only lists of records have fields"),
    VERIFY("type-key-field-range", c_key_field_range, NULL, "field 9 out of range (record 1 'certificate' has 3 fields)"),
    VERIFY("type-key-field-not-text", c_key_field_date, NULL, "ITER_KEY compares field 1 of record 'certificate', which is date, not text"),
    VERIFY("type-key-not-text", c_key_integer, NULL, "expected text, found integer (value 1 of the 1 it pops)"),
    VERIFY("type-key-read", c_key_read, NULL, "local 2 is an iterator key, which only ITER_FIND reads"),
    VERIFY("type-key-forged", c_key_forged, NULL, "local 2 is not a key for the elements of the iterator at local 0 (ITER_KEY sets it)"),
    VERIFY("type-iter-list-replaced", c_iter_list_replaced, NULL, "locals 0 and 1 are not an iterator set up by ITER_INIT"),
    VERIFY("type-merge-depth", c_merge_depth, NULL, "paths into offset 9 disagree: stack depth 0 on one, 1 on another"),
    VERIFY("type-merge-types", c_merge_type, NULL, "paths into offset 23 disagree: stack value 0 is integer on one, text on another"),
    VERIFY("type-loop-stack-depth", c_loop_stack, NULL, "with stack depth 1; the ITER_NEXT there has 0"),
    VERIFY("type-loop-stack-type", c_loop_stack_type, NULL, "stack value 0 is integer, but text at the ITER_NEXT"),
    VERIFY("type-loop-local", c_loop_local_type, NULL, "local 3 is text, but integer at the ITER_NEXT (a local keeps its type around a loop)"),

    /* 4. the VM: verified bytecode that fails at run time */
    {"vm-ordering-absent", e_ordering_absent, NULL, NULL, NULL, NULL, coach_facts},
    {"vm-integer-overflow", e_overflow, NULL, NULL, NULL, NULL, coach_facts},
    {"vm-date-out-of-range", e_date_range, NULL, NULL, NULL, NULL, coach_facts},
    {"vm-budget", e_budget, NULL, NULL, NULL, NULL, budget_facts},
};

/* ---- writing ------------------------------------------------------------------------ */

static hraw build_case(const hcase *c)
{
    ah *b = ah_new();
    if (!b) {
        fprintf(stderr, "make_hostile: out of memory\n");
        exit(1);
    }
    base(b);
    if (c->build)
        c->build(b);
    if (b->nprogs == 0) {
        ah_prog(b, "p");
        ah_leaf(b, PB_ROLE_REQUIRE, "always", 0);
    }
    ah_line(b, 0, "hostile.pw", 1, 1);
    ah_line(b, 1, "hostile.pw", 2, 1);
    pb_image *img = ah_image(b);
    free(b);
    if (!img) {
        fprintf(stderr, "make_hostile: out of memory\n");
        exit(1);
    }
    if (c->patch)
        c->patch(img);
    uint8_t *bytes;
    size_t n;
    if (!pb_save(img, &bytes, &n)) {
        fprintf(stderr, "make_hostile: out of memory\n");
        exit(1);
    }
    pb_image_free(img);
    hraw r = {bytes, n};
    if (c->edit) {
        hfile f;
        hf_parse(&f, r.p, r.n);
        c->edit(&f);
        free(r.p);
        r = hf_write(&f);
        hf_free(&f);
    }
    if (c->raw)
        c->raw(&r);
    return r;
}

static bool write_file(const char *dir, const char *name, const char *ext, const void *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
        fprintf(stderr, "make_hostile: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

/* Loads the case the way pw_program_load does and checks the message. */
static bool check_case(const hcase *c, const hraw *r)
{
    char err[512] = "";
    /* pb_load reads the length it is given; give it a real pointer even for
     * the empty file. */
    static const uint8_t nothing[1] = {0};
    pb_image *img = pb_load(r->n ? r->p : nothing, r->n, NULL, err, sizeof err);
    bool ok = c->expect ? !img && strstr(err, c->expect) : img != NULL;
    if (!ok)
        fprintf(stderr, "make_hostile: %s: expected %s%s%s, got %s%s\n", c->name,
                c->expect ? "the message \"" : "it to load", c->expect ? c->expect : "",
                c->expect ? "\"" : "", img ? "an image that loads" : "\"", img ? "" : err);
    pb_image_free(img);
    return ok;
}

static int write_cases(const char *dir)
{
    /* 300 roles for the budget case. */
    size_t at = (size_t)snprintf(budget_facts, sizeof budget_facts,
                                 "{\"id\":\"H1\",\"birth_date\":\"1990-01-01\",\"roles\":[");
    for (int i = 0; i < 300; i++)
        at += (size_t)snprintf(budget_facts + at, sizeof budget_facts - at, "%s\"r%d\"", i ? "," : "", i);
    snprintf(budget_facts + at, sizeof budget_facts - at, "]}\n");

    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const hcase *c = &cases[i];
        hraw r = build_case(c);
        if (!check_case(c, &r))
            bad = 1;
        if (!write_file(dir, c->name, ".pwc", r.p, r.n))
            bad = 1;
        if (c->facts && !write_file(dir, c->name, ".facts", c->facts, strlen(c->facts)))
            bad = 1;
        free(r.p);
    }
    return bad;
}

/* Cases too large to commit: rebuilt by the hostile.large test. */
static int write_large(const char *dir)
{
    int bad = 0;
    /* More than the 64 MiB a bytecode file may have: a sparse file with a
     * valid header. */
    {
        hcase c = {"large-file", NULL, NULL, NULL, NULL, NULL, NULL};
        hraw r = build_case(&c);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.pwc", dir, c.name);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(r.p, 1, PB_HEADER_LEN, f) != PB_HEADER_LEN || fflush(f) != 0 ||
            ftruncate(fileno(f), 70000000) != 0 || fclose(f) != 0) {
            fprintf(stderr, "make_hostile: cannot write %s: %s\n", path, strerror(errno));
            bad = 1;
        }
        free(r.p);
    }
    /* More code than the 16 MiB a file may hold. */
    {
        hcase c = {"large-code", NULL, NULL, NULL, NULL, "code is 16777217 bytes, more than the limit of 16777216", NULL};
        hraw r = build_case(&c);
        hfile f;
        hf_parse(&f, r.p, r.n);
        free(r.p);
        hsec *code = hf_sec(&f, "CODE");
        uint32_t n = (16u << 20) + 1;
        sec_resize(code, 4 + (size_t)n);
        put32(code->p, n);
        memset(code->p + 4, PB_OP_NOP, n);
        r = hf_write(&f);
        hf_free(&f);
        if (!check_case(&c, &r) || !write_file(dir, c.name, ".pwc", r.p, r.n))
            bad = 1;
        free(r.p);
    }
    return bad;
}

int main(int argc, char **argv)
{
    bool large = argc == 3 && strcmp(argv[1], "--large") == 0;
    if (argc != 2 && !large) {
        fprintf(stderr, "usage: make_hostile [--large] DIR\n");
        return 2;
    }
    const char *dir = argv[argc - 1];
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "make_hostile: %s is not a directory\n", dir);
        return 2;
    }
    return large ? write_large(dir) : write_cases(dir);
}
