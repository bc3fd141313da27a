/* Writing an image as a .pwc file. Every field is written explicitly in
 * little-endian order (never a struct in memory), so the file means the same
 * on every machine; docs/bytecode.md gives the layout that load.c reads back. */
#include "bytecode.h"
#include "../util/grow.h"

#include <stdlib.h>
#include <string.h>

/* The longest section: its length is a 32-bit count. A test build lowers it
 * (tests/unit/small_limits.c); real images need gigabytes of rules to come
 * near it. */
#ifndef PB_SECTION_MAX
#define PB_SECTION_MAX UINT32_MAX
#endif

/* A growing output buffer. The first failed allocation sets `oom` and makes
 * every later write a no-op, so writers need not check each call. */
typedef struct pb_buf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} pb_buf;

static bool pb_buf_reserve(pb_buf *b, size_t n)
{
    void *p = b->p;
    bool ok = pu_grow(&p, &b->cap, b->len, n, 4096, &b->oom);
    b->p = p;
    return ok;
}

static void put_bytes(pb_buf *b, const void *src, size_t n)
{
    if (n && pb_buf_reserve(b, n)) {
        memcpy(b->p + b->len, src, n);
        b->len += n;
    }
}

static void put_le(pb_buf *b, uint64_t v, unsigned bytes)
{
    if (!pb_buf_reserve(b, bytes))
        return;
    for (unsigned i = 0; i < bytes; i++)
        b->p[b->len++] = (uint8_t)(v >> (8 * i));
}

static void put_u8(pb_buf *b, uint32_t v) { put_le(b, v, 1); }
static void put_u16(pb_buf *b, uint32_t v) { put_le(b, v, 2); }
static void put_u32(pb_buf *b, uint32_t v) { put_le(b, v, 4); }
static void put_u64(pb_buf *b, uint64_t v) { put_le(b, v, 8); }

static void put_f64(pb_buf *b, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits); /* the IEEE 754 bit pattern */
    put_u64(b, bits);
}

static void poke_u32(pb_buf *b, size_t at, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        b->p[at + i] = (uint8_t)(v >> (8 * i));
}

uint32_t pb_crc32(const uint8_t *p, size_t n)
{
    /* The table is rebuilt per call (2 KiB of work) rather than kept in a
     * static: the library holds no global state. */
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

/* ---- sections --------------------------------------------------------------- */

static void save_strings(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->nstrings);
    for (uint32_t i = 0; i < img->nstrings; i++) {
        put_u32(b, img->string_len[i]);
        put_bytes(b, img->strings[i], img->string_len[i]);
    }
}

/* A field's value (default or bound) is written in the width of the field's
 * kind; lists, sets and invalid kinds have no value bytes (the loader
 * rejects a value for them). */
static void save_scalar(pb_buf *b, const pb_field *f, const pv_value *v)
{
    switch ((pb_kind)f->type.kind) {
    case PB_T_INT: put_u64(b, (uint64_t)v->as.i); break;
    case PB_T_NUM: put_f64(b, v->as.n); break;
    case PB_T_BOOL: put_u8(b, v->as.b ? 1 : 0); break;
    case PB_T_TEXT: put_u32(b, v->as.s); break;
    case PB_T_DATE: put_u32(b, (uint32_t)v->as.d); break;
    default: break;
    }
}

static void save_field_values(pb_buf *b, const pb_field *f)
{
    if (f->def == PB_DEF_VALUE)
        save_scalar(b, f, &f->defv);
    put_u8(b, f->bounds);
    if (f->bounds & PB_BOUND_MIN)
        save_scalar(b, f, &f->minv);
    if (f->bounds & PB_BOUND_MAX)
        save_scalar(b, f, &f->maxv);
}

static void save_records(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->nrecords);
    for (uint32_t i = 0; i < img->nrecords; i++) {
        const pb_record *r = &img->records[i];
        put_u32(b, r->name);
        put_u32(b, r->first_field);
        put_u32(b, r->nfields);
    }
    put_u32(b, img->nfields);
    for (uint32_t i = 0; i < img->nfields; i++) {
        const pb_field *f = &img->fields[i];
        put_u32(b, f->name);
        put_u32(b, pb_type_pack(f->type));
        put_u8(b, f->def);
        save_field_values(b, f);
    }
}

static void save_ints(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->nints);
    for (uint32_t i = 0; i < img->nints; i++)
        put_u64(b, (uint64_t)img->ints[i]);
}

static void save_nums(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->nnums);
    for (uint32_t i = 0; i < img->nnums; i++)
        put_f64(b, img->nums[i]);
}

static void save_code(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->ncode);
    put_bytes(b, img->code, img->ncode);
}

static void save_funcs(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->nfuncs);
    for (uint32_t i = 0; i < img->nfuncs; i++) {
        const pb_func *f = &img->funcs[i];
        put_u32(b, f->name);
        put_u32(b, f->code_off);
        put_u32(b, f->code_len);
        put_u16(b, f->nparams);
        put_u16(b, f->nlocals);
        put_u16(b, f->max_stack);
        put_u32(b, f->first_param);
        put_u32(b, pb_type_pack(f->result));
        put_u32(b, f->frame);
    }
    put_u32(b, img->nparam_types);
    for (uint32_t i = 0; i < img->nparam_types; i++)
        put_u32(b, pb_type_pack(img->param_types[i]));
}

static void save_progs(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->nprogs);
    for (uint32_t i = 0; i < img->nprogs; i++) {
        const pb_prog *p = &img->progs[i];
        put_u32(b, p->id);
        put_u32(b, p->title);
        put_u32(b, p->format);
        put_u32(b, p->provider);
        put_f64(b, p->hours);
        put_u32(b, (uint32_t)p->duration);
        put_u32(b, p->grants);
        put_u32(b, (uint32_t)p->valid_n);
        put_u8(b, p->valid_unit);
        put_u32(b, p->first_req);
        put_u32(b, p->nreqs);
        put_u32(b, p->file);
        put_u32(b, p->line);
        put_u32(b, (uint32_t)p->from);
        put_u32(b, (uint32_t)p->until);
        put_u32(b, (uint32_t)p->opens);
        put_u32(b, (uint32_t)p->closes);
    }
}

static void save_reqs(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->nreqs);
    for (uint32_t i = 0; i < img->nreqs; i++) {
        const pb_req *r = &img->reqs[i];
        put_u8(b, r->kind);
        put_u8(b, r->role);
        put_u16(b, r->depth);
        put_u32(b, r->label);
        put_u32(b, r->cite);
        put_u32(b, r->func);
        put_u32(b, r->min);
        put_u32(b, r->nchildren);
        put_u32(b, r->size);
        put_u32(b, r->file);
        put_u32(b, r->line);
        put_u32(b, r->col);
        put_u32(b, (uint32_t)r->from);
        put_u32(b, (uint32_t)r->until);
    }
}

static void save_lines(pb_buf *b, const pb_image *img)
{
    put_u32(b, img->nlines);
    for (uint32_t i = 0; i < img->nlines; i++) {
        const pb_line *l = &img->lines[i];
        put_u32(b, l->pc);
        put_u32(b, l->file);
        put_u32(b, l->line);
        put_u32(b, l->col);
    }
}

typedef void (*pb_section_writer)(pb_buf *b, const pb_image *img);

/* Indexed by enum pb_section. */
static const pb_section_writer pb_writers[PB_NSECTIONS] = {
    save_strings, save_records, save_ints, save_nums, save_code,
    save_funcs,   save_progs,   save_reqs, save_lines,
};

const char pb_section_tag[PB_NSECTIONS][5] = {
#define PB_X(tag) #tag,
    PB_SECTIONS(PB_X)
#undef PB_X
};

/* Tag, then length and checksum patched in once the payload is written. */
static void save_section(pb_buf *b, const pb_image *img, unsigned sec)
{
    put_bytes(b, pb_section_tag[sec], 4);
    size_t head = b->len;
    put_u32(b, 0);
    put_u32(b, 0);
    size_t start = b->len;
    pb_writers[sec](b, img);
    if (b->oom)
        return;
    size_t n = b->len - start;
    if (n > PB_SECTION_MAX) {
        b->oom = true; /* its length is not representable: saving fails */
        return;
    }
    poke_u32(b, head, (uint32_t)n);
    poke_u32(b, head + 4, pb_crc32(b->p + start, n));
}

bool pb_save(const pb_image *img, uint8_t **out, size_t *len)
{
    pb_buf b = {0};
    put_bytes(&b, PB_MAGIC, PB_MAGIC_LEN);
    put_u32(&b, PB_FORMAT_VERSION);
    put_u32(&b, 0); /* flags */
    put_u32(&b, PB_NSECTIONS);
    for (unsigned s = 0; s < PB_NSECTIONS; s++)
        save_section(&b, img, s);
    if (b.oom) {
        free(b.p);
        return false;
    }
    *out = b.p;
    *len = b.len;
    return true;
}
