/* The .pwc format: an image survives save and load unchanged, and every kind
 * of damaged or hostile file is rejected with a message that says what is
 * wrong: bad magic, other versions, truncation at every byte, flipped bytes,
 * unknown or misplaced sections, hostile counts, out-of-range indices. Also
 * pins the disassembler's output. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "asm_helpers.h"
#include "util/date.h"
#include "vm/vm.h"

/* ---- a rich image -------------------------------------------------------------- */

enum { F_ID, F_BIRTH, F_SINCE, F_CERTS, F_ROLES, F_N, F_H, F_OK, F_START, F_TITLE, NFACTS };
enum { C_ID, C_ISSUED, C_EXPIRES };
#define REC_CERT 1

static pb_type t_bool(void) { return ah_t(PB_T_BOOL); }

/* Uses every table, every default kind and every section. */
static pb_image *rich(void)
{
    ah *b = ah_new();
    ah_str(b, "r.pw");
    ah_record(b, "coach");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "birth_date", ah_t(PB_T_DATE), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "since", ah_opt(PB_T_DATE), PB_DEF_NONE, (pv_value){0});
    ah_field(b, "certificates", ah_list(REC_CERT), PB_DEF_EMPTY, (pv_value){0});
    ah_field(b, "roles", ah_t(PB_T_SET), PB_DEF_EMPTY, (pv_value){0});
    ah_field(b, "n", ah_t(PB_T_INT), PB_DEF_VALUE, (pv_value){.as.i = -18});
    ah_field(b, "h", ah_t(PB_T_NUM), PB_DEF_VALUE, (pv_value){.as.n = 2.5});
    ah_field(b, "ok", t_bool(), PB_DEF_VALUE, (pv_value){.as.b = true});
    ah_field(b, "start", ah_t(PB_T_DATE), PB_DEF_VALUE, (pv_value){.as.d = pu_from_ymd(2020, 1, 1)});
    ah_field(b, "title", ah_t(PB_T_TEXT), PB_DEF_VALUE, (pv_value){.as.s = ah_str(b, "Coach \"A\"\n")});
    ah_record(b, "certificate");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "issued", ah_t(PB_T_DATE), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "expires", ah_opt(PB_T_DATE), PB_DEF_NONE, (pv_value){0});
    ah_num(b, -0.0);
    ah_num(b, 1e300);
    ah_int(b, INT64_MIN);

    uint32_t yes = ah_const_fn(b, "yes", true);
    /* age >= 18 */
    uint32_t adult = ah_func(b, "adult", t_bool(), 0, NULL, 0, 2);
    ah_line(b, b->ncode, "r.pw", 3, 1);
    ah_emit(b, PB_OP_LOAD_FACT, F_BIRTH, 0);
    ah_emit(b, PB_OP_PUSH_TODAY, 0, 0);
    ah_emit(b, PB_OP_BETWEEN, PU_YEARS, 0);
    ah_line(b, b->ncode, "r.pw", 4, 5);
    ah_emit(b, PB_OP_PUSH_INT, ah_int(b, 18), 0);
    ah_emit(b, PB_OP_CMP_INT, PB_GE, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    /* has(id: text) = any c in certificates where c.id = id */
    pb_type p[1] = {ah_t(PB_T_TEXT)};
    uint32_t has = ah_func(b, "has", t_bool(), 1, p, 4, 2);
    ah_line(b, b->ncode, "r.pw", 6, 1);
    ah_emit(b, PB_OP_LOAD_FACT, F_CERTS, 0);
    ah_emit(b, PB_OP_ITER_INIT, 1, pb_type_pack(ah_list(REC_CERT)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 1, 0);
    ah_emit(b, PB_OP_LOAD_FIELD, REC_CERT, C_ID);
    ah_emit(b, PB_OP_LOAD_LOCAL, 0, 0);
    ah_emit(b, PB_OP_CMP_TEXT, PB_EQ, 0);
    uint32_t found = ah_emit(b, PB_OP_JUMP_TRUE, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_FALSE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_patch(b, found, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    uint32_t has_l1 = AH_FN(b, "level_2.0", t_bool(), 0, NULL, 0, 1, {PB_OP_PUSH_STR, ah_str(b, "l1"), 0},
                            {PB_OP_CALL, has, 0}, {PB_OP_RET, 0, 0});

    uint32_t p0 = ah_prog(b, "level_2");
    pb_prog *pr = &b->progs[p0];
    pr->title = ah_str(b, "Level 2");
    pr->format = ah_str(b, "blended");
    pr->provider = ah_str(b, "USATF");
    pr->hours = 32.5;
    pr->duration = 90;
    pr->grants = ah_str(b, "level-2");
    pr->valid_n = 4;
    pr->valid_unit = PU_YEARS;
    pr->file = ah_str(b, "r.pw");
    pr->line = 8;
    uint32_t r = ah_leaf(b, PB_ROLE_REQUIRE, "adult", adult);
    b->reqs[r].cite = ah_str(b, "at least 18 years of age");
    b->reqs[r].file = ah_str(b, "r.pw");
    b->reqs[r].line = 9;
    b->reqs[r].col = 3;
    ah_open(b, PB_R_ATLEAST, PB_ROLE_REQUIRE, "two of", 2);
    ah_leaf(b, PB_ROLE_REQUIRE, "l1", has_l1);
    ah_open(b, PB_R_ALL, PB_ROLE_REQUIRE, "both", 0);
    ah_leaf(b, PB_ROLE_REQUIRE, "y1", yes);
    ah_leaf(b, PB_ROLE_REQUIRE, "y2", yes);
    ah_close(b);
    ah_leaf(b, PB_ROLE_REQUIRE, "y3", yes);
    ah_close(b);
    ah_leaf(b, PB_ROLE_PREFER, "preferably", adult);
    ah_open(b, PB_R_ANY, PB_ROLE_ADVISE, "advice", 0);
    ah_leaf(b, PB_ROLE_ADVISE, "a", yes);
    ah_close(b);
    ah_prog(b, "bare");
    ah_leaf(b, PB_ROLE_REQUIRE, "y", yes);
    pb_image *img = ah_image(b);
    free(b);
    char err[256];
    ck_assert_msg(pb_verify(img, err, sizeof err), "%s", err);
    return img;
}

static void save(const pb_image *img, uint8_t **data, size_t *len)
{
    ck_assert(pb_save(img, data, len));
}

/* ---- comparing images ---------------------------------------------------------- */

static bool same_type(pb_type a, pb_type b) { return pb_type_pack(a) == pb_type_pack(b); }

static bool same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void check_same(const pb_image *a, const pb_image *b)
{
    ck_assert_uint_eq(a->nstrings, b->nstrings);
    for (uint32_t i = 0; i < a->nstrings; i++) {
        ck_assert_uint_eq(a->string_len[i], b->string_len[i]);
        ck_assert_str_eq(a->strings[i], b->strings[i]);
    }
    ck_assert_uint_eq(a->nrecords, b->nrecords);
    for (uint32_t i = 0; i < a->nrecords; i++) {
        ck_assert_uint_eq(a->records[i].name, b->records[i].name);
        ck_assert_uint_eq(a->records[i].first_field, b->records[i].first_field);
        ck_assert_uint_eq(a->records[i].nfields, b->records[i].nfields);
    }
    ck_assert_uint_eq(a->nfields, b->nfields);
    for (uint32_t i = 0; i < a->nfields; i++) {
        const pb_field *x = &a->fields[i], *y = &b->fields[i];
        ck_assert_uint_eq(x->name, y->name);
        ck_assert(same_type(x->type, y->type));
        ck_assert_uint_eq(x->def, y->def);
        if (x->def == PB_DEF_VALUE) {
            switch (x->type.kind) {
            case PB_T_INT: ck_assert_int_eq(x->defv.as.i, y->defv.as.i); break;
            case PB_T_NUM: ck_assert(same_bits(x->defv.as.n, y->defv.as.n)); break;
            case PB_T_BOOL: ck_assert(x->defv.as.b == y->defv.as.b); break;
            case PB_T_TEXT: ck_assert_uint_eq(x->defv.as.s, y->defv.as.s); break;
            case PB_T_DATE: ck_assert_int_eq(x->defv.as.d, y->defv.as.d); break;
            default: ck_abort();
            }
        }
    }
    ck_assert_uint_eq(a->nints, b->nints);
    for (uint32_t i = 0; i < a->nints; i++)
        ck_assert_int_eq(a->ints[i], b->ints[i]);
    ck_assert_uint_eq(a->nnums, b->nnums);
    for (uint32_t i = 0; i < a->nnums; i++)
        ck_assert(same_bits(a->nums[i], b->nums[i]));
    ck_assert_uint_eq(a->ncode, b->ncode);
    ck_assert(a->ncode == 0 || memcmp(a->code, b->code, a->ncode) == 0);
    ck_assert_uint_eq(a->nfuncs, b->nfuncs);
    for (uint32_t i = 0; i < a->nfuncs; i++) {
        const pb_func *x = &a->funcs[i], *y = &b->funcs[i];
        ck_assert_uint_eq(x->name, y->name);
        ck_assert_uint_eq(x->code_off, y->code_off);
        ck_assert_uint_eq(x->code_len, y->code_len);
        ck_assert_uint_eq(x->nparams, y->nparams);
        ck_assert_uint_eq(x->nlocals, y->nlocals);
        ck_assert_uint_eq(x->max_stack, y->max_stack);
        ck_assert_uint_eq(x->first_param, y->first_param);
        ck_assert(same_type(x->result, y->result));
        ck_assert_uint_eq(x->frame, y->frame);
    }
    ck_assert_uint_eq(a->nparam_types, b->nparam_types);
    for (uint32_t i = 0; i < a->nparam_types; i++)
        ck_assert(same_type(a->param_types[i], b->param_types[i]));
    ck_assert_uint_eq(a->nprogs, b->nprogs);
    for (uint32_t i = 0; i < a->nprogs; i++) {
        const pb_prog *x = &a->progs[i], *y = &b->progs[i];
        ck_assert_uint_eq(x->id, y->id);
        ck_assert_uint_eq(x->title, y->title);
        ck_assert_uint_eq(x->format, y->format);
        ck_assert_uint_eq(x->provider, y->provider);
        ck_assert(same_bits(x->hours, y->hours));
        ck_assert_int_eq(x->duration, y->duration);
        ck_assert_uint_eq(x->grants, y->grants);
        ck_assert_int_eq(x->valid_n, y->valid_n);
        ck_assert_uint_eq(x->valid_unit, y->valid_unit);
        ck_assert_uint_eq(x->first_req, y->first_req);
        ck_assert_uint_eq(x->nreqs, y->nreqs);
        ck_assert_uint_eq(x->file, y->file);
        ck_assert_uint_eq(x->line, y->line);
        ck_assert_int_eq(x->from, y->from);
        ck_assert_int_eq(x->until, y->until);
        ck_assert_int_eq(x->opens, y->opens);
        ck_assert_int_eq(x->closes, y->closes);
    }
    ck_assert_uint_eq(a->nreqs, b->nreqs);
    ck_assert(a->nreqs == 0 || memcmp(a->reqs, b->reqs, sizeof *a->reqs * a->nreqs) == 0); /* no padding */
    ck_assert_uint_eq(a->nlines, b->nlines);
    ck_assert(a->nlines == 0 || memcmp(a->lines, b->lines, sizeof *a->lines * a->nlines) == 0);
    ck_assert_uint_eq(a->max_frame, b->max_frame);
    ck_assert_uint_eq(a->max_reqs, b->max_reqs);
    ck_assert_uint_eq(a->max_calls, b->max_calls);
}

START_TEST(bc_round_trip)
{
    pb_image *img = rich();
    uint8_t *data;
    size_t len;
    save(img, &data, &len);
    char err[256];
    pb_image *back = pb_load(data, len, NULL, err, sizeof err);
    ck_assert_msg(back, "%s", err);
    check_same(img, back);
    ck_assert_uint_eq(pb_find_string(back, "level_2", 7), pb_find_string(img, "level_2", 7));
    /* Saving is deterministic: the reloaded image saves to the same bytes. */
    uint8_t *again;
    size_t len2;
    save(back, &again, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(data, again, len) == 0);
    free(again);
    free(data);
    pb_image_free(back);
    pb_image_free(img);
}
END_TEST

/* Effective periods of programs and requirements survive save and load:
 * closed, open at either end, and the ends of the date range. */
START_TEST(bc_periods_round_trip)
{
    pb_image *img = rich();
    const int32_t first = pu_from_ymd(1800, 1, 1), last = pu_from_ymd(2999, 12, 31);
    img->progs[0].from = pu_from_ymd(2026, 6, 1);
    img->progs[0].until = pu_from_ymd(2027, 8, 31);
    img->progs[1].from = PB_OPEN_FROM;
    img->progs[1].until = pu_from_ymd(2026, 5, 31);
    img->reqs[0].from = pu_from_ymd(2026, 9, 1);          /* adult */
    img->reqs[2].from = first;                            /* l1, a member */
    img->reqs[2].until = last;
    img->reqs[4].until = pu_from_ymd(2026, 12, 31);       /* y1, in a nested group */
    img->progs[0].opens = pu_from_ymd(2026, 3, 1);        /* an enrolment window (format 6) */
    img->progs[0].closes = pu_from_ymd(2026, 6, 15);
    img->progs[1].closes = last;                          /* open at the start */
    char err[256];
    ck_assert_msg(pb_verify(img, err, sizeof err), "%s", err);
    uint8_t *data;
    size_t len;
    save(img, &data, &len);
    pb_image *back = pb_load(data, len, NULL, err, sizeof err);
    ck_assert_msg(back, "%s", err);
    check_same(img, back);
    ck_assert_int_eq(back->progs[0].from, pu_from_ymd(2026, 6, 1));
    ck_assert_int_eq(back->progs[0].until, pu_from_ymd(2027, 8, 31));
    ck_assert_int_eq(back->progs[1].from, PB_OPEN_FROM);
    ck_assert_int_eq(back->progs[1].until, pu_from_ymd(2026, 5, 31));
    ck_assert_int_eq(back->progs[0].opens, pu_from_ymd(2026, 3, 1));
    ck_assert_int_eq(back->progs[0].closes, pu_from_ymd(2026, 6, 15));
    ck_assert_int_eq(back->progs[1].opens, PB_OPEN_FROM);
    ck_assert_int_eq(back->progs[1].closes, last);
    ck_assert_int_eq(back->reqs[0].from, pu_from_ymd(2026, 9, 1));
    ck_assert_int_eq(back->reqs[0].until, PB_OPEN_UNTIL);
    ck_assert_int_eq(back->reqs[1].from, PB_OPEN_FROM);
    ck_assert_int_eq(back->reqs[1].until, PB_OPEN_UNTIL);
    ck_assert_int_eq(back->reqs[2].from, first);
    ck_assert_int_eq(back->reqs[2].until, last);
    ck_assert_int_eq(back->reqs[4].from, PB_OPEN_FROM);
    ck_assert_int_eq(back->reqs[4].until, pu_from_ymd(2026, 12, 31));
    /* The periods are part of the bytes: an undated image saves differently. */
    pb_image *plain = rich();
    uint8_t *pdata;
    size_t plen;
    save(plain, &pdata, &plen);
    ck_assert_uint_eq(plen, len);
    ck_assert(memcmp(pdata, data, len) != 0);
    free(pdata);
    pb_image_free(plain);
    free(data);
    pb_image_free(back);
    pb_image_free(img);
}
END_TEST

START_TEST(bc_empty_image)
{
    pb_image *img = pb_image_new();
    uint8_t *data;
    size_t len;
    save(img, &data, &len);
    ck_assert_uint_eq(len, PB_HEADER_LEN + PB_NSECTIONS * (PB_SECTION_HEADER_LEN + 4) + 4 /* FUNC's param types */ + 4 /* RECS' fields */);
    /* It encodes and decodes; the verifier (which pb_load runs) then
     * refuses an image with no facts record. */
    char err[256];
    ck_assert_ptr_null(pb_load(data, len, NULL, err, sizeof err));
    ck_assert_str_eq(err, "the image has no facts record (record 0)");
    free(data);
    pb_image_free(img);
}
END_TEST

/* The header's fields are little-endian whatever the machine. */
START_TEST(bc_header_layout)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    save(img, &d, &len);
    ck_assert(memcmp(d, "\x89PWC\r\n\x1a\n", 8) == 0);
    static const uint8_t rest[12] = {6, 0, 0, 0, 0, 0, 0, 0, PB_NSECTIONS, 0, 0, 0};
    ck_assert(memcmp(d + 8, rest, sizeof rest) == 0);
    ck_assert(memcmp(d + 20, "STRS", 4) == 0);
    uint32_t strs_len = pb_rd32(d + 24);
    ck_assert_uint_eq(pb_rd32(d + 28), pb_crc32(d + 32, strs_len));
    ck_assert_uint_eq(pb_rd32(d + 32), img->nstrings);
    ck_assert_uint_eq(pb_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u); /* the CRC-32 check value */
    free(d);
    pb_image_free(img);
}
END_TEST

/* ---- damaged files ------------------------------------------------------------- */

typedef struct section {
    size_t at;  /* the tag */
    uint32_t len;
} section;

/* Where each section of a well-formed file is. */
static void find_sections(const uint8_t *d, section out[PB_NSECTIONS])
{
    size_t at = PB_HEADER_LEN;
    for (int s = 0; s < PB_NSECTIONS; s++) {
        out[s].at = at;
        out[s].len = pb_rd32(d + at + 4);
        at += PB_SECTION_HEADER_LEN + out[s].len;
    }
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A copy of the file with section s's payload replaced (length and checksum
 * made to match, so that only the contents are wrong). */
static uint8_t *replace_payload(const uint8_t *d, size_t len, int s, const uint8_t *payload, uint32_t plen,
                                size_t *out_len)
{
    section sec[PB_NSECTIONS];
    find_sections(d, sec);
    size_t head = sec[s].at + PB_SECTION_HEADER_LEN, tail = head + sec[s].len;
    *out_len = head + plen + (len - tail);
    uint8_t *o = malloc(*out_len);
    memcpy(o, d, head);
    memcpy(o + head, payload, plen);
    memcpy(o + head + plen, d + tail, len - tail);
    put32(o + sec[s].at + 4, plen);
    put32(o + sec[s].at + 8, pb_crc32(payload, plen));
    return o;
}

static void expect_load_error(const uint8_t *d, size_t len, const pb_limits *lim, const char *want)
{
    char err[512] = "";
    pb_image *img = pb_load(d, len, lim, err, sizeof err);
    ck_assert_msg(!img, "accepted; expected: %s", want);
    ck_assert_msg(strcmp(err, want) == 0, "\n  got      %s\n  expected %s", err, want);
}

START_TEST(bc_bad_magic)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    save(img, &d, &len);
    const char *want = "not a Pathway bytecode file (bad magic)";
    d[0] = 'P';
    expect_load_error(d, len, NULL, want);
    const char *text = "program p { require \"x\": true }";
    expect_load_error((const uint8_t *)text, strlen(text), NULL, want);
    expect_load_error(d, 0, NULL, want);
    /* Line endings translated by a text-mode transfer break the magic. */
    d[0] = 0x89;
    memmove(d + 5, d + 6, len - 6);
    expect_load_error(d, len - 1, NULL, want);
    free(d);
    pb_image_free(img);
}
END_TEST

START_TEST(bc_version_and_flags)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    save(img, &d, &len);
    put32(d + 8, 7);
    expect_load_error(d, len, NULL, "bytecode format version 7 is not supported (this build reads version 6)");
    put32(d + 8, PB_FORMAT_VERSION);
    put32(d + 12, 2);
    expect_load_error(d, len, NULL, "unsupported header flags 0x00000002 (this build knows none)");
    free(d);
    pb_image_free(img);
}
END_TEST

/* Every proper prefix of a valid file is rejected as truncated. */
START_TEST(bc_truncated_everywhere)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    save(img, &d, &len);
    for (size_t n = 1; n < len; n++) {
        char err[256] = "";
        uint8_t *copy = malloc(n); /* exactly n bytes, so valgrind sees any overread */
        memcpy(copy, d, n);
        pb_image *bad = pb_load(copy, n, NULL, err, sizeof err);
        free(copy);
        ck_assert_msg(!bad, "prefix of %zu bytes accepted", n);
        ck_assert_msg(strncmp(err, "truncated file: ", 16) == 0, "prefix of %zu bytes: %s", n, err);
    }
    section sec[PB_NSECTIONS];
    find_sections(d, sec);
    char want[128];
    size_t cut = sec[PB_SEC_CODE].at + PB_SECTION_HEADER_LEN + 12;
    snprintf(want, sizeof want, "truncated file: section 'CODE' needs %u bytes, 12 remain", sec[PB_SEC_CODE].len);
    expect_load_error(d, cut, NULL, want);
    expect_load_error(d, sec[PB_SEC_FUNC].at + 7, NULL,
                      "truncated file: the header of section 'FUNC' needs 12 bytes, 7 remain");
    expect_load_error(d, sec[PB_SEC_FUNC].at + 2, NULL,
                      "truncated file: the header of section 5 needs 12 bytes, 2 remain");
    expect_load_error(d, sec[PB_SEC_FUNC].at, NULL, "truncated file: 5 of 9 sections present");
    expect_load_error(d, 13, NULL, "truncated file: the header needs 20 bytes, 13 remain");
    expect_load_error(d, 3, NULL, "truncated file: the header needs 20 bytes, 3 remain");
    free(d);
    pb_image_free(img);
}
END_TEST

/* Any flipped bit in a payload is caught by its section's checksum. */
START_TEST(bc_flipped_bytes)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    save(img, &d, &len);
    section sec[PB_NSECTIONS];
    find_sections(d, sec);
    for (int s = 0; s < PB_NSECTIONS; s++) {
        char want[96];
        snprintf(want, sizeof want, "checksum mismatch in section '%s' (file corrupted)", pb_section_tag[s]);
        size_t from = sec[s].at + PB_SECTION_HEADER_LEN;
        for (size_t i = from; i < from + sec[s].len; i++) {
            uint8_t keep = d[i];
            d[i] ^= (uint8_t)(1u << (i % 8));
            expect_load_error(d, len, NULL, want);
            d[i] = keep;
        }
    }
    /* A damaged checksum itself reads the same way. */
    d[sec[PB_SEC_REQS].at + 9] ^= 0x40;
    expect_load_error(d, len, NULL, "checksum mismatch in section 'REQS' (file corrupted)");
    free(d);
    pb_image_free(img);
}
END_TEST

START_TEST(bc_bad_sections)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    save(img, &d, &len);
    section sec[PB_NSECTIONS];
    find_sections(d, sec);
    uint8_t *tag = d + sec[PB_SEC_KINT].at;
    memcpy(tag, "XYZW", 4);
    expect_load_error(d, len, NULL, "unknown section 'XYZW' (format version 6 has no such section)");
    memcpy(tag, "\x01Z'W", 4);
    expect_load_error(d, len, NULL, "unknown section '\\x01Z\\x27W' (format version 6 has no such section)");
    memcpy(tag, "KNUM", 4);
    expect_load_error(d, len, NULL, "section 'KNUM' out of order or repeated (expected 'KINT')");
    memcpy(tag, "KINT", 4);

    /* Fewer sections than the format has. */
    put32(d + 16, 8);
    expect_load_error(d, sec[PB_SEC_LINE].at, NULL, "section 'LINE' is missing (the file has 8 sections)");
    /* More: a second LINE section after the last. */
    put32(d + 16, 10);
    size_t line_size = len - sec[PB_SEC_LINE].at;
    uint8_t *more = malloc(len + line_size);
    memcpy(more, d, len);
    memcpy(more + len, d + sec[PB_SEC_LINE].at, line_size);
    expect_load_error(more, len + line_size, NULL, "unexpected extra section 'LINE' (section 9; there are 9)");
    /* Bytes after the last section. */
    put32(more + 16, PB_NSECTIONS);
    expect_load_error(more, len + 3, NULL, "3 unexpected bytes after the last section");
    free(more);
    free(d);
    pb_image_free(img);
}
END_TEST

/* Well-framed sections whose contents are wrong: hostile counts must fail
 * before any allocation of their size. */
START_TEST(bc_malformed_payloads)
{
    pb_image *img = rich();
    uint8_t *d, *o;
    size_t len, olen;
    save(img, &d, &len);

    static const uint8_t huge_strings[] = {0xff, 0xff, 0xff, 0xff};
    o = replace_payload(d, len, PB_SEC_STRS, huge_strings, sizeof huge_strings, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'STRS': 4294967295 strings need at least 17179869180 bytes, 0 remain");
    free(o);

    static const uint8_t nul_string[] = {1, 0, 0, 0, 3, 0, 0, 0, 'a', 0, 'b'};
    o = replace_payload(d, len, PB_SEC_STRS, nul_string, sizeof nul_string, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'STRS': string 0 contains a NUL byte");
    free(o);

    static const uint8_t long_string[] = {1, 0, 0, 0, 10, 0, 0, 0, 'a', 'b'};
    o = replace_payload(d, len, PB_SEC_STRS, long_string, sizeof long_string, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'STRS': string 0 needs 10 bytes, 2 remain");
    free(o);

    static const uint8_t left_over[] = {0, 0, 0, 0, 7, 7};
    o = replace_payload(d, len, PB_SEC_STRS, left_over, sizeof left_over, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'STRS': 2 bytes left over after its contents");
    free(o);

    static const uint8_t big_code[] = {0x00, 0x00, 0x00, 0x40};
    o = replace_payload(d, len, PB_SEC_CODE, big_code, sizeof big_code, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'CODE': 1073741824 code bytes need at least 1073741824 bytes, 0 remain");
    free(o);

    /* No records; one integer field whose default is cut short. */
    static const uint8_t short_default[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, PB_T_INT, 0, 0, 0, PB_DEF_VALUE, 1, 2};
    o = replace_payload(d, len, PB_SEC_RECS, short_default, sizeof short_default, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'RECS': an entry needs 8 more bytes, 2 remain");
    free(o);

    static const uint8_t list_default[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, PB_T_LIST, 0, 0, 0, PB_DEF_VALUE, 0};
    o = replace_payload(d, len, PB_SEC_RECS, list_default, sizeof list_default, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'RECS': field 0 of type list of record 0 cannot have a default value");
    free(o);

    static const uint8_t short_records[] = {1, 0, 0, 0, 1, 2, 3, 4};
    o = replace_payload(d, len, PB_SEC_RECS, short_records, sizeof short_records, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'RECS': 1 records need at least 12 bytes, 4 remain");
    free(o);
    free(d);
    pb_image_free(img);
}
END_TEST

/* A file whose periods are wrong is refused by the verifier when loaded. */
START_TEST(bc_bad_periods)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    img->progs[1].from = pu_from_ymd(2026, 6, 1);
    img->progs[1].until = pu_from_ymd(2026, 5, 31);
    save(img, &d, &len);
    expect_load_error(d, len, NULL, "program 1: invalid effective period (day 20605 to day 20604)");
    free(d);
    img->progs[1].from = PB_OPEN_FROM;
    img->progs[1].until = PB_OPEN_UNTIL;

    /* An enrolment window that closes before it opens, or ends outside the
     * years of a date (format 6). */
    img->progs[0].opens = pu_from_ymd(2026, 6, 1);
    img->progs[0].closes = pu_from_ymd(2026, 5, 31);
    save(img, &d, &len);
    expect_load_error(d, len, NULL, "program 0: invalid enrolment window (day 20605 to day 20604)");
    free(d);
    img->progs[0].opens = PB_OPEN_FROM;
    img->progs[0].closes = pu_from_ymd(3000, 1, 1);
    save(img, &d, &len);
    expect_load_error(d, len, NULL, "program 0: invalid enrolment window (day -2147483648 to day 376200)");
    free(d);
    img->progs[0].closes = PB_OPEN_UNTIL;

    img->reqs[3].until = pu_from_ymd(3000, 1, 1);
    save(img, &d, &len);
    expect_load_error(d, len, NULL,
                      "requirement 3 of program 0: invalid effective period (day -2147483648 to day 376200)");
    free(d);
    img->reqs[3].until = PB_OPEN_UNTIL;

    /* Two versions of level_2 that share 2026-06-01. */
    img->progs[1].id = img->progs[0].id;
    img->progs[0].from = pu_from_ymd(2026, 6, 1);
    img->progs[1].until = pu_from_ymd(2026, 6, 1);
    save(img, &d, &len);
    expect_load_error(d, len, NULL, "programs 1 and 0 are versions of 'level_2' whose effective periods overlap");
    free(d);
    img->progs[1].until = pu_from_ymd(2026, 5, 31);
    save(img, &d, &len);
    char err[256];
    pb_image *ok = pb_load(d, len, NULL, err, sizeof err);
    ck_assert_msg(ok, "%s", err);
    pb_image_free(ok);
    free(d);
    pb_image_free(img);
}
END_TEST

START_TEST(bc_limits)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    save(img, &d, &len);
    char want[128];
    snprintf(want, sizeof want, "file is %zu bytes, more than the limit of 100", len);
    expect_load_error(d, len, &(pb_limits){.max_file = 100}, want);
    snprintf(want, sizeof want, "code is %u bytes, more than the limit of 8", img->ncode);
    expect_load_error(d, len, &(pb_limits){.max_code = 8}, want);
    snprintf(want, sizeof want, "evaluation needs a stack of %u values, more than the limit of 2", img->max_frame);
    expect_load_error(d, len, &(pb_limits){.max_frame = 2}, want);
    char err[256];
    pb_image *ok = pb_load(d, len, &(pb_limits){.max_file = len, .max_code = img->ncode, .max_frame = img->max_frame},
                           err, sizeof err);
    ck_assert_msg(ok, "%s", err);
    pb_image_free(ok);
    free(d);
    pb_image_free(img);
}
END_TEST

/* Files that parse but refer to things that are not there: the verifier's
 * messages, through pb_load. */
START_TEST(bc_out_of_range)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    char want[160];

    uint32_t keep = img->progs[1].title;
    img->progs[1].title = img->nstrings + 2;
    save(img, &d, &len);
    snprintf(want, sizeof want, "string %u out of range (image has %u strings) in program 1", img->nstrings + 2,
             img->nstrings);
    expect_load_error(d, len, NULL, want);
    free(d);
    img->progs[1].title = keep;

    img->reqs[0].func = 40;
    save(img, &d, &len);
    snprintf(want, sizeof want, "requirement 0 of program 0: function 40 out of range (image has %u functions)",
             img->nfuncs);
    expect_load_error(d, len, NULL, want);
    free(d);
    img->reqs[0].func = 1;

    /* LOAD_FACT 200 at the start of function 1. */
    uint32_t at = img->funcs[1].code_off;
    uint8_t byte = img->code[at + 1];
    img->code[at + 1] = 200;
    save(img, &d, &len);
    snprintf(want, sizeof want,
             "facts field 200 out of range (the facts record has %d fields) in function 1 'adult' at offset %u (LOAD_FACT)",
             NFACTS, at);
    expect_load_error(d, len, NULL, want);
    free(d);
    img->code[at + 1] = byte;

    img->records[1].first_field = 1000;
    save(img, &d, &len);
    snprintf(want, sizeof want, "record 1: fields 1000..1003 out of range (image has %u fields)", img->nfields);
    expect_load_error(d, len, NULL, want);
    free(d);
    pb_image_free(img);
}
END_TEST

/* Whatever a damaged file says, loading it either fails with a message or
 * yields an image that runs within its budget: every payload byte of every
 * section replaced by a few values, with the checksum repaired so that the
 * parser and the verifier see it. (Run under valgrind or the sanitizers, this
 * is the safety claim; a random fuzzer found nothing more.) */
START_TEST(bc_mutations_are_safe)
{
    pb_image *img = rich();
    uint8_t *d;
    size_t len;
    save(img, &d, &len);
    section sec[PB_NSECTIONS];
    find_sections(d, sec);
    int loaded = 0, rejected = 0;
    for (int s = 0; s < PB_NSECTIONS; s++) {
        size_t from = sec[s].at + PB_SECTION_HEADER_LEN, to = from + sec[s].len;
        for (size_t i = from; i < to; i++) {
            static const uint8_t xor[] = {0x01, 0x80, 0xff};
            for (size_t k = 0; k < sizeof xor; k++) {
                d[i] ^= xor[k];
                put32(d + sec[s].at + 8, pb_crc32(d + from, sec[s].len));
                char err[512] = "";
                pb_image *m = pb_load(d, len, NULL, err, sizeof err);
                d[i] ^= xor[k];
                if (!m) {
                    ck_assert_msg(err[0], "rejected without a message");
                    rejected++;
                    continue;
                }
                loaded++;
                pv_state st;
                ck_assert(pv_init(&st, m));
                st.budget = 10000;
                pv_value facts[64] = {0};
                ck_assert_uint_le(m->nrecords ? m->records[0].nfields : 0, 64);
                for (uint32_t p = 0; p < m->nprogs; p++) {
                    bool eligible;
                    pv_error e;
                    pv_run(&st, facts, 20000, p, &eligible, &e);
                }
                pv_fini(&st);
                pb_image_free(m);
            }
        }
        put32(d + sec[s].at + 8, pb_crc32(d + from, sec[s].len));
    }
    ck_assert_int_gt(loaded, 0);
    ck_assert_int_gt(rejected, 0);
    free(d);
    pb_image_free(img);
}
END_TEST

/* ---- the disassembler ------------------------------------------------------------ */

static const char *source_line(void *user, const char *file, uint32_t line)
{
    (void)user;
    static const char *const lines[] = {"", "", "", "  define adult = years since birth_date",
                                        "    >= 18"};
    return strcmp(file, "r.pw") == 0 && line < 5 ? lines[line] : NULL;
}

static char *disasm(const pb_image *img, pb_source_line_fn fn)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    pb_disasm(img, f, fn, NULL);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The whole listing of rich(), reviewed by hand: a change here is a change
 * to what golden disassembly tests and users see. */
static const char *const golden =
    "; Pathway bytecode (format version 6)\n"
    "; 37 strings, 2 records, 13 fields, 2 integers, 2 numbers, 66 code bytes\n"
    "; 4 functions, 1 parameter types, 2 programs, 11 requirement nodes, 3 line entries\n"
    "; max frame 7, max requirements 10, max call depth 2\n"
    "\n"
    "strings (37):\n"
    "     0  \"r.pw\"\n"
    "     1  \"coach\"\n"
    "     2  \"id\"\n"
    "     3  \"birth_date\"\n"
    "     4  \"since\"\n"
    "     5  \"certificates\"\n"
    "     6  \"roles\"\n"
    "     7  \"n\"\n"
    "     8  \"h\"\n"
    "     9  \"ok\"\n"
    "    10  \"start\"\n"
    "    11  \"Coach \\\"A\\\"\\n\"\n"
    "    12  \"title\"\n"
    "    13  \"certificate\"\n"
    "    14  \"issued\"\n"
    "    15  \"expires\"\n"
    "    16  \"yes\"\n"
    "    17  \"adult\"\n"
    "    18  \"has\"\n"
    "    19  \"l1\"\n"
    "    20  \"level_2.0\"\n"
    "    21  \"level_2\"\n"
    "    22  \"Level 2\"\n"
    "    23  \"blended\"\n"
    "    24  \"USATF\"\n"
    "    25  \"level-2\"\n"
    "    26  \"at least 18 years of age\"\n"
    "    27  \"two of\"\n"
    "    28  \"both\"\n"
    "    29  \"y1\"\n"
    "    30  \"y2\"\n"
    "    31  \"y3\"\n"
    "    32  \"preferably\"\n"
    "    33  \"advice\"\n"
    "    34  \"a\"\n"
    "    35  \"bare\"\n"
    "    36  \"y\"\n"
    "\n"
    "records (2):\n"
    "  record 0 coach (facts), 10 fields\n"
    "       0  id: text\n"
    "       1  birth_date: date\n"
    "       2  since: date? = none\n"
    "       3  certificates: list of certificate = []\n"
    "       4  roles: set of text = []\n"
    "       5  n: integer = -18\n"
    "       6  h: number = 2.5\n"
    "       7  ok: boolean = true\n"
    "       8  start: date = 2020-01-01\n"
    "       9  title: text = \"Coach \\\"A\\\"\\n\"\n"
    "  record 1 certificate, 3 fields\n"
    "       0  id: text\n"
    "       1  issued: date\n"
    "       2  expires: date? = none\n"
    "\n"
    "integers (2):\n"
    "     0  -9223372036854775808\n"
    "     1  18\n"
    "\n"
    "numbers (2):\n"
    "     0  -0\n"
    "     1  1e+300\n"
    "\n"
    "program 0 level_2   ; r.pw:8\n"
    "  title \"Level 2\"\n"
    "  format \"blended\"\n"
    "  provider \"USATF\"\n"
    "  hours 32.5\n"
    "  duration 90 days\n"
    "  grants \"level-2\" valid for 4 years\n"
    "  requirements (10 nodes from 0):\n"
    "       0  require \"adult\": function 1 'adult'   ; r.pw:9:3\n"
    "            citing \"at least 18 years of age\"\n"
    "       1  require \"two of\": at least 2 of 3\n"
    "       2    \"l1\": function 3 'level_2.0'\n"
    "       3    \"both\": all of 2\n"
    "       4      \"y1\": function 0 'yes'\n"
    "       5      \"y2\": function 0 'yes'\n"
    "       6    \"y3\": function 0 'yes'\n"
    "       7  prefer \"preferably\": function 1 'adult'\n"
    "       8  advise \"advice\": any of 1\n"
    "       9    \"a\": function 0 'yes'\n"
    "\n"
    "program 1 bare\n"
    "  requirements (1 nodes from 10):\n"
    "       0  require \"y\": function 0 'yes'\n"
    "\n"
    "function 0 yes(): boolean\n"
    "  params 0, locals 0, max_stack 1, frame 1, code 0..2\n"
    "  0000  PUSH_TRUE\n"
    "  0001  RET\n"
    "\n"
    "function 1 adult(): boolean\n"
    "  params 0, locals 0, max_stack 2, frame 2, code 2..16\n"
    "; r.pw:3: define adult = years since birth_date\n"
    "  0002  LOAD_FACT      1        ; birth_date\n"
    "  0005  PUSH_TODAY\n"
    "  0006  BETWEEN        years\n"
    "; r.pw:4: >= 18\n"
    "  0008  PUSH_INT       1        ; 18\n"
    "  0013  CMP_INT        ge\n"
    "  0015  RET\n"
    "\n"
    "function 2 has(text): boolean\n"
    "  params 1, locals 4, max_stack 2, frame 6, code 16..57\n"
    "; r.pw:6\n"
    "  0016  LOAD_FACT      3        ; certificates\n"
    "  0019  ITER_INIT      1, list of certificate\n"
    "  0026  ITER_NEXT      1, -> 0053\n"
    "  0033  LOAD_FIELD     1, 0     ; certificate.id\n"
    "  0038  LOAD_LOCAL     0\n"
    "  0041  CMP_TEXT       eq\n"
    "  0043  JUMP_TRUE      -> 0055\n"
    "  0048  LOOP           -> 0026\n"
    "  0053  PUSH_FALSE\n"
    "  0054  RET\n"
    "  0055  PUSH_TRUE\n"
    "  0056  RET\n"
    "\n"
    "function 3 level_2.0(): boolean\n"
    "  params 0, locals 0, max_stack 1, frame 7, code 57..66\n"
    "; r.pw:6\n"
    "  0057  PUSH_STR       19       ; \"l1\"\n"
    "  0062  CALL           2        ; has\n"
    "  0065  RET\n";

START_TEST(bc_disasm)
{
    pb_image *img = rich();
    char *text = disasm(img, source_line);
    ck_assert_msg(strcmp(text, golden) == 0, "listing differs:\n%s", text);
    /* Without the callback: file and line only; and the same every time. */
    char *plain = disasm(img, NULL);
    ck_assert(strstr(plain, "\n; r.pw:3\n  0002  LOAD_FACT"));
    char *again = disasm(img, NULL);
    ck_assert_str_eq(plain, again);
    free(again);
    free(plain);
    free(text);
    pb_image_free(img);
}
END_TEST

/* An unverified image with wild indices is still listed, never crashed on. */
START_TEST(bc_disasm_unverified)
{
    pb_image *img = rich();
    img->funcs[1].name = 5000;
    img->reqs[0].label = 5000;
    img->fields[0].type.kind = 42;
    img->records[1].name = 7777;
    img->progs[1].first_req = 4000;
    img->code[img->funcs[2].code_off + 1] = 99; /* LOAD_FACT 99 */
    img->code[img->funcs[3].code_off] = 0xEE;
    char *text = disasm(img, NULL);
    ck_assert(strstr(text, "function 1 ?(): boolean"));
    ck_assert(strstr(text, "<no string>: function 1 '?'"));
    ck_assert(strstr(text, "id: <kind 42>"));
    ck_assert(strstr(text, "list of record 1"));
    ck_assert(strstr(text, "    <out of range>"));
    ck_assert(strstr(text, "LOAD_FACT      99\n"));
    ck_assert(strstr(text, "<undecodable byte 0xee>"));
    free(text);
    pb_image_free(img);
}
END_TEST

/* The loader's remaining refusals, each at the read that notices it. */
START_TEST(bc_loader_edges)
{
    pb_image *img = rich();
    uint8_t *d, *o;
    size_t len, olen;
    save(img, &d, &len);

    /* A section too short for its own count. */
    o = replace_payload(d, len, PB_SEC_STRS, (const uint8_t *)"", 0, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'STRS': an entry needs 4 more bytes, 0 remain");
    free(o);

    /* Two strings fit the count check (4 bytes each at least), but the
     * first one's text takes the bytes of the second's length. */
    static const uint8_t strings_short[] = {2, 0, 0, 0, 4, 0, 0, 0, 'a', 'b', 'c', 'd'};
    o = replace_payload(d, len, PB_SEC_STRS, strings_short, sizeof strings_short, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'STRS': an entry needs 4 more bytes, 0 remain");
    free(o);

    /* No records; one integer field whose 8-byte default leaves no byte
     * for its bounds. */
    static const uint8_t no_bounds[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, PB_T_INT, 0, 0, 0,
                                        PB_DEF_VALUE, 1, 2, 3, 4, 5, 6, 7, 8};
    o = replace_payload(d, len, PB_SEC_RECS, no_bounds, sizeof no_bounds, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'RECS': an entry needs 1 more bytes, 0 remain");
    free(o);

    /* A maximum (alone) on a list field. */
    static const uint8_t list_max[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, PB_T_LIST, 0, 0, 0,
                                       PB_DEF_REQUIRED, PB_BOUND_MAX};
    o = replace_payload(d, len, PB_SEC_RECS, list_max, sizeof list_max, &olen);
    expect_load_error(o, olen, NULL, "malformed section 'RECS': field 0 of type list of record 0 cannot have bounds");
    free(o);

    /* A tag byte past ASCII is shown escaped. */
    section sec[PB_NSECTIONS];
    find_sections(d, sec);
    memcpy(d + sec[PB_SEC_KINT].at, "\x80\xff" "AB", 4);
    expect_load_error(d, len, NULL, "unknown section '\\x80\\xffAB' (format version 6 has no such section)");
    memcpy(d + sec[PB_SEC_KINT].at, "KINT", 4);

    /* No room for a message: refused all the same, nothing written. */
    ck_assert_ptr_null(pb_load(d, 3, NULL, NULL, 0));
    char err[8] = "keep";
    ck_assert_ptr_null(pb_load(d, 3, NULL, err, 0));
    ck_assert_str_eq(err, "keep");
    free(d);
    pb_image_free(img);
}
END_TEST

/* What a source line looks like with leading blanks: they are dropped. */
static const char *wild_line(void *user, const char *file, uint32_t line)
{
    (void)user;
    (void)line;
    return strcmp(file, "w.pw") == 0 ? "\t  tabbed" : NULL;
}

/* Every fallback of the listing for a damaged, unverified image: each
 * index out of range, each kind the format does not have, strings that
 * need escapes or are cut in a comment. */
START_TEST(bc_disasm_wild)
{
    ah *b = ah_new();
    ah_str(b, "w.pw");
    uint32_t esc = ah_str(b, "a\\b\tc\x01\x7f");
    uint32_t lng = ah_str(b, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9z"); /* é across byte 48 */
    uint32_t gone = ah_str(b, "gone");
    /* Not UTF-8: no character boundary before byte 48 to cut at. */
    uint32_t tail = ah_str(b, "a\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80"
                              "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80"
                              "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80");
    ah_record(b, "coach");
    ah_field(b, "n", ah_t(PB_T_INT), PB_DEF_VALUE, (pv_value){.as.i = 3});
    ah_field(b, "odd", ah_t(PB_T_INT), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "bad", ah_t(PB_T_INT), PB_DEF_REQUIRED, (pv_value){0});
    ah_field(b, "gone", ah_t(PB_T_INT), PB_DEF_REQUIRED, (pv_value){0});
    ah_record(b, "cert");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, (pv_value){0});
    ah_num(b, 0.5);
    ah_func(b, "main", t_bool(), 0, NULL, 0, 4);
    ah_emit(b, PB_OP_PUSH_DATE, (uint32_t)9999999, 0);
    uint32_t second = ah_emit(b, PB_OP_PUSH_DATE, (uint32_t)-9999999, 0);
    uint32_t third = ah_emit(b, PB_OP_PUSH_STR, lng, 0);
    ah_emit(b, PB_OP_PUSH_STR, gone, 0);
    ah_emit(b, PB_OP_PUSH_STR, tail, 0);
    ah_emit(b, PB_OP_LOAD_FIELD, 0, 3);
    ah_emit(b, PB_OP_PUSH_INT, 99, 0);
    ah_emit(b, PB_OP_PUSH_NUM, 99, 0);
    ah_emit(b, PB_OP_LOAD_FIELD, 9, 0);
    ah_emit(b, PB_OP_LOAD_FIELD, 1, 2);
    ah_emit(b, PB_OP_LOAD_FIELD, 1, 7);
    ah_emit(b, PB_OP_LOAD_FIELD, 1, 0);
    ah_emit(b, PB_OP_LOAD_FACT, 3, 0);
    ah_emit(b, PB_OP_CALL, 99, 0);
    ah_emit(b, PB_OP_CALL, 1, 0);
    ah_emit(b, PB_OP_DATE_ADD, 7, 0);
    ah_emit(b, PB_OP_CMP_INT, 99, 0);
    ah_emit(b, PB_OP_ITER_KEY, 65535, 65535);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_end(b);
    pb_type two[2] = {t_bool(), t_bool()};
    AH_FN(b, "renamed", t_bool(), 2, two, 2, 1, {PB_OP_PUSH_TRUE, 0, 0}, {PB_OP_RET, 0, 0});
    ah_const_fn(b, "moved", true);
    ah_line(b, 0, "w.pw", 3, 0);
    ah_line(b, second, "x.pw", 3, 0);
    ah_line(b, third, "w.pw", 4, 0);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "r", 99);
    ah_leaf(b, PB_ROLE_REQUIRE, "k", 0);
    pb_image *img = ah_image(b);
    free(b);
    ck_assert_ptr_nonnull(img);
    img->fields[0].bounds = PB_BOUND_MAX;
    img->fields[0].maxv.as.i = 10;
    img->fields[1].type.kind = 42;
    img->fields[1].def = PB_DEF_VALUE;
    img->fields[2].def = 9;
    img->strings[gone] = NULL;
    img->records[1].nfields = 3;
    img->records[1].name = 7777;
    img->nums[0] = NAN;
    img->funcs[1].name = 5000;
    img->funcs[1].first_param = 999;
    img->funcs[2].code_off = 60000;
    img->lines[1].file = 888;
    img->progs[0].id = 6000;
    img->progs[0].grants = esc;
    img->progs[0].valid_unit = 7;
    img->progs[0].valid_n = 2;
    img->progs[0].opens = 20454; /* 2026-01-01 */
    img->progs[0].duration = 1;
    img->reqs[0].role = 5;
    img->reqs[0].line = 5;
    img->reqs[1].kind = 9;

    char *text = disasm(img, wild_line);
    static const char *const want[] = {
        "\"a\\\\b\\tc\\x01\\x7f\"",            /* escapes in the string table */
        "  <no string>\n",                       /* a string missing */
        "n: integer <= 10 = 3\n",                /* a maximum alone */
        "odd: <kind 42> = <value>\n",            /* a value of no kind */
        "bad: integer = <bad default kind 9>\n", /* a default of no kind */
        "?: integer\n",                          /* a field without a name */
        "       1  <field out of range>\n",
        "\n     0  nan\n",                         /* no decimal reads back as NaN */
        "program 0 ?\n",
        "  grants \"a\\\\b\\tc\\x01\\x7f\" valid for 2 <bad unit>\n",
        "  duration 1 day\n",                   /* one, not "days" */
        "  enrolment open from 2026-01-01\n",
        "<bad role> \"r\": function 99 '?'   ; ?:5\n",
        "\"k\": <bad kind 9>\n",
        "; w.pw:3: tabbed\n",
        "PUSH_DATE      day 9999999\n",
        "; ?:3\n",                               /* another file, the same line */
        "PUSH_DATE      day -9999999\n",
        "; \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"\n", /* cut before the é */
        "PUSH_STR       3\n",
        "PUSH_STR       4        ; \"...\"\n",
        "LOAD_FIELD     0, 3     ; coach.?\n",
        "PUSH_INT       99\n",
        "PUSH_NUM       99\n",
        "LOAD_FIELD     9, 0     ; record 9\n", /* no such record: no field named */
        "LOAD_FIELD     1, 2     ; record 1\n", /* past the fields table */
        "LOAD_FIELD     1, 7     ; record 1\n", /* past the record's fields */
        "; ?.id\n",
        "; ?\n",
        "CALL           99\n",
        "CALL           1\n",
        "DATE_ADD       <unit 7>\n",
        "CMP_INT        <cmp 99>\n",
        /* wider than the comment column: the note one space after */
        "  0073  ITER_KEY       65535, 65535 ; field 65535 of the elements\n",
        "function 1 ?(?): boolean\n",
        "  <code out of range>\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(text, want[i]), "missing: %s\n%s", want[i], text);
    free(text);
    /* Without a line table, no line is announced. */
    img->lines = NULL;
    text = disasm(img, wild_line);
    ck_assert_ptr_null(strstr(text, "; w.pw:3"));
    free(text);
    pb_image_free(img);
}
END_TEST

/* The verifier reads the opcode table's POPS and PUSHES strings letter by
 * letter (verify.c: letter_name, letter_fits, letter_type, v_at_push); it
 * names only these letters, and has a rule for the type of each instruction
 * that pushes '@'. A new letter or '@' instruction must be taught there. */
START_TEST(bc_opcode_letters)
{
    static const pb_op at_push[] = {PB_OP_PUSH_NONE, PB_OP_LOAD_FACT, PB_OP_LOAD_FIELD, PB_OP_LOAD_LOCAL,
                                    PB_OP_ITER_NEXT, PB_OP_ITER_FIND, PB_OP_CALL,      PB_OP_OTHERWISE};
    unsigned nat = 0;
    for (unsigned op = 0; op < PB_OP_COUNT; op++) {
        const pb_opinfo *in = &pb_opinfo_table[op];
        ck_assert_msg(in->a < PB_K_COUNT && in->b < PB_K_COUNT, "%s", in->name);
        if (strcmp(in->pops, "@") != 0)
            ck_assert_msg(strspn(in->pops, "inbsdle*") == strlen(in->pops), "%s pops %s", in->name, in->pops);
        if (strcmp(in->pushes, "@") == 0) {
            bool known = false;
            for (size_t i = 0; i < sizeof at_push / sizeof *at_push; i++)
                known = known || at_push[i] == op;
            ck_assert_msg(known, "%s pushes @", in->name);
            nat++;
        } else {
            ck_assert_msg(strspn(in->pushes, "inbsd") == strlen(in->pushes) || strcmp(in->pushes, "**") == 0,
                          "%s pushes %s", in->name, in->pushes);
        }
    }
    ck_assert_uint_eq(nat, sizeof at_push / sizeof *at_push);
}
END_TEST

static Suite *bytecode_suite(void)
{
    Suite *s = suite_create("bytecode");
    TCase *tc = tcase_create("format");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, bc_round_trip);
    tcase_add_test(tc, bc_empty_image);
    tcase_add_test(tc, bc_periods_round_trip);
    tcase_add_test(tc, bc_bad_periods);
    tcase_add_test(tc, bc_header_layout);
    tcase_add_test(tc, bc_bad_magic);
    tcase_add_test(tc, bc_version_and_flags);
    tcase_add_test(tc, bc_truncated_everywhere);
    tcase_add_test(tc, bc_flipped_bytes);
    tcase_add_test(tc, bc_bad_sections);
    tcase_add_test(tc, bc_malformed_payloads);
    tcase_add_test(tc, bc_loader_edges);
    tcase_add_test(tc, bc_limits);
    tcase_add_test(tc, bc_out_of_range);
    tcase_add_test(tc, bc_mutations_are_safe);
    tcase_add_test(tc, bc_opcode_letters);
    suite_add_tcase(s, tc);
    TCase *dis = tcase_create("disasm");
    tcase_add_test(dis, bc_disasm);
    tcase_add_test(dis, bc_disasm_unverified);
    tcase_add_test(dis, bc_disasm_wild);
    suite_add_tcase(s, dis);
    return s;
}

int main(void)
{
    return pw_run_suite(bytecode_suite());
}
