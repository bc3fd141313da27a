/* Reading a .pwc file. The file is untrusted: every length is checked against
 * the bytes that remain before anything is read or allocated, so a hostile
 * count cannot cause a huge allocation, and the result is handed to pb_verify
 * before anyone may run it. The layout is in docs/bytecode.md. */
#include "bytecode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "code.h"
#include "../util/assert.h"

#define PB_DEFAULT_MAX_FILE ((size_t)64 << 20)
#define PB_DEFAULT_MAX_CODE (16u << 20)
#define PB_DEFAULT_MAX_FRAME (1u << 20)

/* Encoded bytes of one table entry, the least for variable-sized ones; a
 * count is accepted only when count * size bytes remain. */
enum {
    PB_SZ_STRING = 4,  /* length; the bytes follow */
    PB_SZ_RECORD = 12,
    PB_SZ_FIELD = 10,  /* name, type, default kind, bounds; values follow */
    PB_SZ_INT = 8,
    PB_SZ_NUM = 8,
    PB_SZ_CODE = 1,
    PB_SZ_FUNC = 30,
    PB_SZ_PARAM = 4,
    PB_SZ_PROG = 69,
    PB_SZ_REQ = 48,
    PB_SZ_LINE = 16,
};

typedef struct pb_loader {
    pb_image *img;
    char *err;
    size_t errlen;
    const char *tag;  /* section being read, for messages */
    const uint8_t *p; /* reading position in its payload */
    const uint8_t *end;
    bool bad;         /* a read ran past the payload (message written) */
    uint32_t max_code;
} pb_loader;

static bool ld_fail(pb_loader *l, const char *fmt, ...)
{
    if (l->err && l->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(l->err, l->errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static size_t ld_left(const pb_loader *l) { return (size_t)(l->end - l->p); }

/* Reads an unsigned little-endian value. Past the end of the payload it
 * records the error once and returns 0, so a table can be read field by
 * field and checked once per entry. */
static uint64_t ld_le(pb_loader *l, unsigned bytes)
{
    if (l->bad)
        return 0;
    if (ld_left(l) < bytes) {
        ld_fail(l, "malformed section '%s': an entry needs %u more bytes, %zu remain", l->tag,
                bytes, ld_left(l));
        l->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)l->p[i] << (8 * i);
    l->p += bytes;
    return v;
}

static uint8_t ld_u8(pb_loader *l) { return (uint8_t)ld_le(l, 1); }
static uint16_t ld_u16(pb_loader *l) { return (uint16_t)ld_le(l, 2); }
static uint32_t ld_u32(pb_loader *l) { return (uint32_t)ld_le(l, 4); }
static int32_t ld_i32(pb_loader *l) { return (int32_t)ld_u32(l); }
static int64_t ld_i64(pb_loader *l) { return (int64_t)ld_le(l, 8); }

static double ld_f64(pb_loader *l)
{
    uint64_t bits = ld_le(l, 8);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Reads a table's count and allocates it, after making sure the payload can
 * hold that many entries of at least `entry` bytes. */
static void *ld_table(pb_loader *l, uint32_t *count, size_t entry, size_t elem_size,
                      const char *what)
{
    *count = ld_u32(l);
    if (l->bad)
        return NULL;
    if (*count > ld_left(l) / entry) {
        ld_fail(l, "malformed section '%s': %u %s need at least %zu bytes, %zu remain", l->tag,
                *count, what, (size_t)*count * entry, ld_left(l));
        return NULL;
    }
    void *p = pm_alloc(&l->img->arena, elem_size * (*count ? *count : 1));
    if (!p)
        ld_fail(l, "out of memory");
    return p;
}

/* ---- sections --------------------------------------------------------------- */

static bool load_strings(pb_loader *l)
{
    pb_image *img = l->img;
    img->strings = ld_table(l, &img->nstrings, PB_SZ_STRING, sizeof *img->strings, "strings");
    if (!img->strings)
        return false;
    img->string_len = pm_alloc(&img->arena, sizeof *img->string_len * (img->nstrings ? img->nstrings : 1u));
    if (!img->string_len)
        return ld_fail(l, "out of memory");
    for (uint32_t i = 0; i < img->nstrings; i++) {
        uint32_t n = ld_u32(l);
        if (l->bad)
            return false;
        if (n > ld_left(l))
            return ld_fail(l, "malformed section 'STRS': string %u needs %u bytes, %zu remain", i,
                           n, ld_left(l));
        /* Strings are C strings in memory; an embedded NUL would cut one short. */
        if (memchr(l->p, '\0', n))
            return ld_fail(l, "malformed section 'STRS': string %u contains a NUL byte", i);
        img->strings[i] = pm_strndup(&img->arena, (const char *)l->p, n);
        if (!img->strings[i])
            return ld_fail(l, "out of memory");
        img->string_len[i] = n;
        l->p += n;
    }
    return true;
}

/* A default or a bound, in the width of the field's kind (see save.c). */
static bool load_scalar(pb_loader *l, uint32_t index, pb_field *f, pv_value *v, const char *what)
{
    switch ((pb_kind)f->type.kind) {
    case PB_T_INT: v->as.i = ld_i64(l); break;
    case PB_T_NUM: v->as.n = ld_f64(l); break;
    case PB_T_BOOL: v->as.b = ld_u8(l) != 0; break;
    case PB_T_TEXT: v->as.s = ld_u32(l); break;
    case PB_T_DATE: v->as.d = ld_i32(l); break;
    default: {
        char t[96];
        return ld_fail(l, "malformed section 'RECS': field %u of type %s cannot have %s", index,
                       pb_type_str(l->img, f->type, t, sizeof t), what);
    }
    }
    return !l->bad;
}

static bool load_field_values(pb_loader *l, uint32_t index, pb_field *f)
{
    if (f->def == PB_DEF_VALUE && !load_scalar(l, index, f, &f->defv, "a default value"))
        return false;
    f->bounds = ld_u8(l);
    if (l->bad)
        return false;
    if (f->bounds & ~(PB_BOUND_MIN | PB_BOUND_MAX))
        return ld_fail(l, "malformed section 'RECS': field %u has invalid bounds 0x%02x", index, f->bounds);
    if ((f->bounds & PB_BOUND_MIN) && !load_scalar(l, index, f, &f->minv, "bounds"))
        return false;
    if ((f->bounds & PB_BOUND_MAX) && !load_scalar(l, index, f, &f->maxv, "bounds"))
        return false;
    return true;
}

static bool load_records(pb_loader *l)
{
    pb_image *img = l->img;
    img->records = ld_table(l, &img->nrecords, PB_SZ_RECORD, sizeof *img->records, "records");
    if (!img->records)
        return false;
    for (uint32_t i = 0; i < img->nrecords; i++) {
        pb_record *r = &img->records[i];
        r->name = ld_u32(l);
        r->first_field = ld_u32(l);
        r->nfields = ld_u32(l);
    }
    /* ld_table made sure count * PB_SZ_RECORD bytes remain, and a record is
     * exactly that many: no read above ran past the payload. */
    if (PU_NEVER(l->bad))
        return false;
    img->fields = ld_table(l, &img->nfields, PB_SZ_FIELD, sizeof *img->fields, "fields");
    if (!img->fields)
        return false;
    for (uint32_t i = 0; i < img->nfields; i++) {
        pb_field *f = &img->fields[i];
        f->name = ld_u32(l);
        f->type = pb_type_unpack(ld_u32(l));
        f->def = ld_u8(l);
        if (l->bad || !load_field_values(l, i, f))
            return false;
    }
    return true;
}

static bool load_ints(pb_loader *l)
{
    pb_image *img = l->img;
    img->ints = ld_table(l, &img->nints, PB_SZ_INT, sizeof *img->ints, "integer constants");
    if (!img->ints)
        return false;
    for (uint32_t i = 0; i < img->nints; i++)
        img->ints[i] = ld_i64(l);
    return !l->bad;
}

static bool load_nums(pb_loader *l)
{
    pb_image *img = l->img;
    img->nums = ld_table(l, &img->nnums, PB_SZ_NUM, sizeof *img->nums, "number constants");
    if (!img->nums)
        return false;
    for (uint32_t i = 0; i < img->nnums; i++)
        img->nums[i] = ld_f64(l);
    return !l->bad;
}

static bool load_code(pb_loader *l)
{
    pb_image *img = l->img;
    img->code = ld_table(l, &img->ncode, PB_SZ_CODE, 1, "code bytes");
    if (!img->code)
        return false;
    if (img->ncode > l->max_code)
        return ld_fail(l, "code is %u bytes, more than the limit of %u", img->ncode, l->max_code);
    if (img->ncode)
        memcpy(img->code, l->p, img->ncode);
    l->p += img->ncode;
    return true;
}

static bool load_funcs(pb_loader *l)
{
    pb_image *img = l->img;
    img->funcs = ld_table(l, &img->nfuncs, PB_SZ_FUNC, sizeof *img->funcs, "functions");
    if (!img->funcs)
        return false;
    for (uint32_t i = 0; i < img->nfuncs; i++) {
        pb_func *f = &img->funcs[i];
        f->name = ld_u32(l);
        f->code_off = ld_u32(l);
        f->code_len = ld_u32(l);
        f->nparams = ld_u16(l);
        f->nlocals = ld_u16(l);
        f->max_stack = ld_u16(l);
        f->first_param = ld_u32(l);
        f->result = pb_type_unpack(ld_u32(l));
        f->frame = ld_u32(l);
    }
    /* As for records: a function is exactly PB_SZ_FUNC bytes, all checked
     * to remain by ld_table. */
    if (PU_NEVER(l->bad))
        return false;
    img->param_types = ld_table(l, &img->nparam_types, PB_SZ_PARAM, sizeof *img->param_types,
                                "parameter types");
    if (!img->param_types)
        return false;
    for (uint32_t i = 0; i < img->nparam_types; i++)
        img->param_types[i] = pb_type_unpack(ld_u32(l));
    return !l->bad;
}

static bool load_progs(pb_loader *l)
{
    pb_image *img = l->img;
    img->progs = ld_table(l, &img->nprogs, PB_SZ_PROG, sizeof *img->progs, "programs");
    if (!img->progs)
        return false;
    for (uint32_t i = 0; i < img->nprogs; i++) {
        pb_prog *p = &img->progs[i];
        p->id = ld_u32(l);
        p->title = ld_u32(l);
        p->format = ld_u32(l);
        p->provider = ld_u32(l);
        p->hours = ld_f64(l);
        p->duration = ld_i32(l);
        p->grants = ld_u32(l);
        p->valid_n = ld_i32(l);
        p->valid_unit = ld_u8(l);
        p->first_req = ld_u32(l);
        p->nreqs = ld_u32(l);
        p->file = ld_u32(l);
        p->line = ld_u32(l);
        p->from = ld_i32(l);
        p->until = ld_i32(l);
        p->opens = ld_i32(l);
        p->closes = ld_i32(l);
    }
    return !l->bad;
}

static bool load_reqs(pb_loader *l)
{
    pb_image *img = l->img;
    img->reqs = ld_table(l, &img->nreqs, PB_SZ_REQ, sizeof *img->reqs, "requirement nodes");
    if (!img->reqs)
        return false;
    for (uint32_t i = 0; i < img->nreqs; i++) {
        pb_req *r = &img->reqs[i];
        r->kind = ld_u8(l);
        r->role = ld_u8(l);
        r->depth = ld_u16(l);
        r->label = ld_u32(l);
        r->cite = ld_u32(l);
        r->func = ld_u32(l);
        r->min = ld_u32(l);
        r->nchildren = ld_u32(l);
        r->size = ld_u32(l);
        r->file = ld_u32(l);
        r->line = ld_u32(l);
        r->col = ld_u32(l);
        r->from = ld_i32(l);
        r->until = ld_i32(l);
    }
    return !l->bad;
}

static bool load_lines(pb_loader *l)
{
    pb_image *img = l->img;
    img->lines = ld_table(l, &img->nlines, PB_SZ_LINE, sizeof *img->lines, "line entries");
    if (!img->lines)
        return false;
    for (uint32_t i = 0; i < img->nlines; i++) {
        pb_line *e = &img->lines[i];
        e->pc = ld_u32(l);
        e->file = ld_u32(l);
        e->line = ld_u32(l);
        e->col = ld_u32(l);
    }
    return !l->bad;
}

typedef bool (*pb_section_reader)(pb_loader *l);

/* Indexed by enum pb_section. */
static const pb_section_reader pb_readers[PB_NSECTIONS] = {
    load_strings, load_records, load_ints,  load_nums,  load_code,
    load_funcs,   load_progs,   load_reqs,  load_lines,
};

/* ---- framing ---------------------------------------------------------------- */

/* A tag as printable text: the file may hold anything there. */
static const char *tag_text(const uint8_t *t, char out[17])
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (t[i] >= 0x20 && t[i] < 0x7f && t[i] != '\'' && t[i] != '\\')
            out[n++] = (char)t[i];
        else
            n += (size_t)snprintf(out + n, 5, "\\x%02x", t[i]);
    }
    out[n] = '\0';
    return out;
}

static int section_of(const uint8_t *t)
{
    for (int s = 0; s < PB_NSECTIONS; s++)
        if (memcmp(t, pb_section_tag[s], 4) == 0)
            return s;
    return -1;
}

/* Section number `index` starts at data[*pos]: checks its framing and
 * checksum, reads its payload into the image, and advances *pos. */
static bool load_section(pb_loader *l, const uint8_t *data, size_t len, size_t *pos,
                         uint32_t index, uint32_t count)
{
    size_t left = len - *pos;
    const uint8_t *h = data + *pos;
    char tag[17];
    if (left == 0)
        return ld_fail(l, "truncated file: %u of %u sections present", index, count);
    if (left < 4)
        return ld_fail(l, "truncated file: the header of section %u needs %u bytes, %zu remain",
                       index, PB_SECTION_HEADER_LEN, left);
    int sec = section_of(h);
    if (sec < 0)
        return ld_fail(l, "unknown section '%s' (format version %u has no such section)",
                       tag_text(h, tag), PB_FORMAT_VERSION);
    if (left < PB_SECTION_HEADER_LEN)
        return ld_fail(l, "truncated file: the header of section '%s' needs %u bytes, %zu remain",
                       pb_section_tag[sec], PB_SECTION_HEADER_LEN, left);
    if (index >= PB_NSECTIONS)
        return ld_fail(l, "unexpected extra section '%s' (section %u; there are %d)",
                       pb_section_tag[sec], index, PB_NSECTIONS);
    if ((uint32_t)sec != index)
        return ld_fail(l, "section '%s' out of order or repeated (expected '%s')",
                       pb_section_tag[sec], pb_section_tag[index]);
    uint32_t plen = pb_rd32(h + 4), crc = pb_rd32(h + 8);
    left -= PB_SECTION_HEADER_LEN;
    if (plen > left)
        return ld_fail(l, "truncated file: section '%s' needs %u bytes, %zu remain",
                       pb_section_tag[sec], plen, left);
    const uint8_t *payload = h + PB_SECTION_HEADER_LEN;
    if (pb_crc32(payload, plen) != crc)
        return ld_fail(l, "checksum mismatch in section '%s' (file corrupted)", pb_section_tag[sec]);
    l->tag = pb_section_tag[sec];
    l->p = payload;
    l->end = payload + plen;
    l->bad = false;
    if (!pb_readers[sec](l))
        return false;
    if (l->p != l->end)
        return ld_fail(l, "malformed section '%s': %zu bytes left over after its contents",
                       pb_section_tag[sec], ld_left(l));
    *pos += PB_SECTION_HEADER_LEN + (size_t)plen;
    return true;
}

static bool load_header(pb_loader *l, const uint8_t *data, size_t len, uint32_t *count)
{
    size_t n = len < PB_MAGIC_LEN ? len : PB_MAGIC_LEN;
    if (len == 0 || memcmp(data, PB_MAGIC, n) != 0)
        return ld_fail(l, "not a Pathway bytecode file (bad magic)");
    if (len < PB_HEADER_LEN)
        return ld_fail(l, "truncated file: the header needs %u bytes, %zu remain", PB_HEADER_LEN,
                       len);
    uint32_t version = pb_rd32(data + 8), flags = pb_rd32(data + 12);
    /* An older file was written by an older build: its source compiles
     * again, and saying so is the whole fix. */
    if (version < PB_FORMAT_VERSION)
        return ld_fail(l, "bytecode format version %u is older than this build's (version %u): "
                          "recompile the rules from their source",
                       version, PB_FORMAT_VERSION);
    if (version != PB_FORMAT_VERSION)
        return ld_fail(l, "bytecode format version %u is not supported (this build reads version %u)",
                       version, PB_FORMAT_VERSION);
    if (flags != 0)
        return ld_fail(l, "unsupported header flags 0x%08x (this build knows none)", flags);
    *count = pb_rd32(data + 16);
    return true;
}

static bool load_all(pb_loader *l, const uint8_t *data, size_t len, uint32_t max_frame)
{
    uint32_t count = 0;
    if (!load_header(l, data, len, &count))
        return false;
    size_t pos = PB_HEADER_LEN;
    for (uint32_t i = 0; i < count; i++)
        if (!load_section(l, data, len, &pos, i, count))
            return false;
    if (count < PB_NSECTIONS)
        return ld_fail(l, "section '%s' is missing (the file has %u sections)",
                       pb_section_tag[count], count);
    if (pos != len)
        return ld_fail(l, "%zu unexpected bytes after the last section", len - pos);
    if (!pb_build_hash(l->img))
        return ld_fail(l, "out of memory");
    if (!pb_verify(l->img, l->err, l->errlen))
        return false;
    if (l->img->max_frame > max_frame)
        return ld_fail(l, "evaluation needs a stack of %u values, more than the limit of %u",
                       l->img->max_frame, max_frame);
    return true;
}

pb_image *pb_load(const uint8_t *data, size_t len, const pb_limits *limits, char *err,
                  size_t errlen)
{
    pb_limits lim = limits ? *limits : (pb_limits){0};
    if (!lim.max_file)
        lim.max_file = PB_DEFAULT_MAX_FILE;
    if (!lim.max_code)
        lim.max_code = PB_DEFAULT_MAX_CODE;
    if (!lim.max_frame)
        lim.max_frame = PB_DEFAULT_MAX_FRAME;

    pb_loader l = {.err = err, .errlen = errlen, .max_code = lim.max_code};
    if (len > lim.max_file) {
        ld_fail(&l, "file is %zu bytes, more than the limit of %zu", len, lim.max_file);
        return NULL;
    }
    l.img = pb_image_new();
    if (!l.img) {
        ld_fail(&l, "out of memory");
        return NULL;
    }
    if (!load_all(&l, data, len, lim.max_frame)) {
        pb_image_free(l.img);
        return NULL;
    }
    return l.img;
}
