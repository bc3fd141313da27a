/* Facts: one record laid out as the image's record 0 says, from a cJSON object
 * or field by field. Nothing here knows about coaches: every decision comes
 * from the image's record and field tables.
 *
 * Memory. Everything of one record (list blocks, record-local text) comes from
 * f->arena, which pf_reset empties (pm_reset keeps its first chunk, so a
 * typical record allocates nothing from the system). The root values, the
 * root's given flags and the record-local string table are malloc'd once and
 * reused from record to record; the string table only grows.
 *
 * Lists. A list of records is one contiguous array of count * nfields values
 * (element i's fields start at items + i * nfields); a set of text is an array
 * of count text values. Every non-empty array comes from pf_list_alloc and is
 * preceded, in the same arena block, by a pf_list header:
 *
 *     [pf_list header, padded][items: cap * width pv_values][given: cap * width bytes]
 *
 * `cap` is the capacity in elements; `given` is NULL when every field of every
 * element is known to be set (lists loaded from JSON, which are complete, and
 * sets, whose elements are always texts), otherwise one byte per element field,
 * 1 once the field was set. The header is found from the list's `items`
 * pointer, so a list value needs no side table. pf_append grows a full list by
 * copying it into a block of twice the capacity (the old block stays in the
 * arena until the record is reset: amortised O(1), and the arena is reset per
 * record anyway); a list from JSON (given NULL) that is grown gets a given
 * array with its existing elements marked set. Lists are never shared, so
 * moving one only updates its own pv_value, which lives in its parent (the root
 * or an element of the enclosing list). */
#include "facts.h"
#include "../util/distance.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/date.h"
#include "../util/escape.h"

#define PF_DEFAULT_MAX_LIST 100000u
#define PF_DEFAULT_MAX_DEPTH 64u
#define PF_DEFAULT_MAX_STRING (1024u * 1024u)

/* 2^53: beyond it a double no longer holds every integer. */
#define PF_INT_LIMIT 9007199254740992.0

typedef struct pf_list {
    uint8_t *given; /* NULL: every element field is set */
    uint32_t cap;   /* elements the block holds */
} pf_list;

#define PF_HDR_SIZE ((sizeof(pf_list) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))

static uint32_t pf_lim(uint32_t v, uint32_t def)
{
    return v ? v : def;
}

/* ---- error text ----------------------------------------------------------- */

/* A bounded writer: output past the end is dropped, the buffer stays
 * NUL-terminated. */
typedef struct pf_out {
    char *buf;
    size_t len, pos;
} pf_out;

static void pf_vput(pf_out *o, const char *fmt, va_list ap)
{
    if (!o->buf || o->len == 0 || o->pos + 1 >= o->len)
        return;
    int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
    if (n < 0)
        return;
    o->pos += (size_t)n;
    if (o->pos >= o->len)
        o->pos = o->len - 1;
}

static void pf_put(pf_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pf_vput(o, fmt, ap);
    va_end(ap);
}

/* Where the JSON loader is: a chain of stack frames from the innermost field or
 * element back to the root, printed as `certificates[2].issued`. */
typedef struct pf_frame {
    const struct pf_frame *up;
    const char *name; /* field name, or NULL for an element index */
    size_t index;
} pf_frame;

/* One segment of a path: "name", ".name" or "[i]". */
static void pf_put_seg(pf_out *o, const pf_frame *fr)
{
    if (!fr->name)
        pf_put(o, "[%zu]", fr->index);
    else
        pf_put(o, fr->up ? ".%s" : "%s", fr->name);
}

static size_t pf_seg_len(const pf_frame *fr)
{
    char b[32];
    if (!fr->name)
        return (size_t)snprintf(b, sizeof b, "[%zu]", fr->index);
    return strlen(fr->name) + (fr->up ? 1 : 0);
}

/* The k-th frame from the root (of n). Quadratic, but only for a message. */
static const pf_frame *pf_frame_at(const pf_frame *leaf, size_t n, size_t k)
{
    for (size_t i = n - 1; i > k; i--)
        leaf = leaf->up;
    return leaf;
}

#define PF_PATH_SHOWN 160
#define PF_PATH_HEAD 40

/* Writes the path; a very long one (deep nesting) keeps its start and its end
 * around "...", so that the message after it still fits. */
static void pf_put_path(pf_out *o, const pf_frame *leaf)
{
    size_t n = 0, total = 0;
    for (const pf_frame *fr = leaf; fr; fr = fr->up, n++)
        total += pf_seg_len(fr);
    size_t k = 0, shown = 0;
    if (total > PF_PATH_SHOWN) {
        /* The head ends after an index, the tail starts at a field name. */
        for (; k < n; k++) {
            const pf_frame *fr = pf_frame_at(leaf, n, k);
            if (shown >= PF_PATH_HEAD && fr->name)
                break;
            pf_put_seg(o, fr);
            shown += pf_seg_len(fr);
        }
        pf_put(o, "...");
        size_t rest = total - shown;
        for (; k < n; k++) {
            const pf_frame *fr = pf_frame_at(leaf, n, k);
            if (rest <= PF_PATH_SHOWN - PF_PATH_HEAD && fr->name)
                break;
            rest -= pf_seg_len(fr);
        }
        if (k < n) {
            pf_put(o, "%s", pf_frame_at(leaf, n, k)->name);
            k++;
        }
    }
    for (; k < n; k++)
        pf_put_seg(o, pf_frame_at(leaf, n, k));
}

/* Writes "`path`: message" (or just the message when at is NULL) and returns
 * false. */
static bool pf_fail(char *err, size_t errlen, const pf_frame *at, const char *fmt, ...)
{
    pf_out o = {err, errlen, 0};
    if (err && errlen)
        err[0] = '\0';
    if (at) {
        pf_put(&o, "`");
        pf_put_path(&o, at);
        pf_put(&o, "`: ");
    }
    va_list ap;
    va_start(ap, fmt);
    pf_vput(&o, fmt, ap);
    va_end(ap);
    return false;
}

/* Out of memory: the message, and the flag that lets the caller say so. */
static bool pf_oom(pf_facts *f, char *err, size_t errlen, const pf_frame *at)
{
    f->oom = true;
    return pf_fail(err, errlen, at, "out of memory");
}

/* The shortest "%.*g" form that reads back as d. */
static void pf_fmt_number(double d, char *buf, size_t len)
{
    if (isnan(d)) {
        snprintf(buf, len, "NaN");
        return;
    }
    if (isinf(d)) {
        snprintf(buf, len, d < 0 ? "-Infinity" : "Infinity");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

/* How an unexpected JSON value is named after "got". */
static const char *pf_json_what(const cJSON *v, char *buf, size_t len)
{
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsTrue(v))
        return "true";
    if (cJSON_IsFalse(v))
        return "false";
    if (cJSON_IsNumber(v)) {
        if (v->valuestring) /* as written (pf_json_scan) */
            snprintf(buf, len, "%s", v->valuestring);
        else
            pf_fmt_number(v->valuedouble, buf, len);
        return buf;
    }
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "an unsupported JSON value";
}

/* A string quoted for a message: at most 40 bytes of it (cut at a
 * character's start), between quotes, shown as every text output shows
 * text from outside (pu_escape_text: controls, bidi and separator
 * characters and bytes that are not UTF-8 as visible escapes). False when
 * memory runs out. */
static bool pf_quote(const char *s, char *buf, size_t len)
{
    size_t n = strlen(s), cut = n > 40 ? 40 : n;
    while (cut > 0 && cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    pu_buf b = {0};
    pu_escape_text(&b, s, cut);
    bool ok = !b.oom && (b.data || cut == 0);
    if (ok)
        snprintf(buf, len, "\"%.*s%s\"", (int)b.len, b.data ? b.data : "", cut < n ? "..." : "");
    pu_buf_free(&b);
    return ok;
}

static const char *pf_rec_name(const pf_facts *f, uint32_t rec)
{
    uint32_t id = rec < f->img->nrecords ? f->img->records[rec].name : PB_NO_STRING;
    return id < f->img->nstrings ? f->img->strings[id] : "?";
}

static const char *pf_field_name(const pf_facts *f, const pb_field *fld)
{
    return fld->name < f->img->nstrings ? f->img->strings[fld->name] : "?";
}

/* What a JSON value for type t must be, after "expected". */
static void pf_expected(const pf_facts *f, pb_type t, char *buf, size_t len)
{
    pf_out o = {buf, len, 0};
    buf[0] = '\0';
    switch (t.kind) {
    case PB_T_INT: pf_put(&o, "an integer"); break;
    case PB_T_NUM: pf_put(&o, "a number"); break;
    case PB_T_BOOL: pf_put(&o, "true or false"); break;
    case PB_T_TEXT: pf_put(&o, "text"); break;
    case PB_T_DATE: pf_put(&o, "a date \"YYYY-MM-DD\""); break;
    case PB_T_LIST: pf_put(&o, "a list of `%s` objects", pf_rec_name(f, t.rec)); break;
    case PB_T_SET: pf_put(&o, "a set of text"); break;
    default: pf_put(&o, "nothing (the image's field type is invalid)"); break;
    }
    if (t.optional)
        pf_put(&o, " or null");
}

/* The type of a field as a noun, for the field-by-field API. */
static const char *pf_type_noun(pb_type t)
{
    switch (t.kind) {
    case PB_T_INT: return "an integer";
    case PB_T_NUM: return "a number";
    case PB_T_BOOL: return "a boolean";
    case PB_T_TEXT: return "a text";
    case PB_T_DATE: return "a date";
    case PB_T_LIST: return "a list";
    case PB_T_SET: return "a set";
    default: return "an invalid";
    }
}

/* ---- record-local text ---------------------------------------------------- */

static bool pf_extra_rehash(pf_facts *f, uint32_t cap)
{
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h)
        return false;
    uint32_t mask = cap - 1;
    for (uint32_t k = 0; k < f->nextra; k++) {
        uint32_t slot = (uint32_t)pb_hash_text(f->extra[k], f->extra_len[k]) & mask;
        while (h[slot])
            slot = (slot + 1) & mask;
        h[slot] = k + 1;
    }
    free(f->extra_hash);
    f->extra_hash = h;
    f->extra_mask = mask;
    return true;
}

static void pf_extra_clear(pf_facts *f)
{
    if (!f->extra_hash) {
        f->nextra = 0;
        return;
    }
    if ((uint64_t)f->nextra * 8 < (uint64_t)f->extra_mask + 1) {
        /* Few entries in a big table: clear just their slots. Every entry is
         * cleared, so removing them one by one cannot break a probe chain
         * that a later lookup in this loop needs: each is found by scanning
         * its chain for its own k + 1. */
        for (uint32_t k = 0; k < f->nextra; k++) {
            uint32_t slot = (uint32_t)pb_hash_text(f->extra[k], f->extra_len[k]) & f->extra_mask;
            while (f->extra_hash[slot] != k + 1)
                slot = (slot + 1) & f->extra_mask;
            f->extra_hash[slot] = 0;
        }
    } else {
        memset(f->extra_hash, 0, sizeof *f->extra_hash * ((size_t)f->extra_mask + 1));
    }
    f->nextra = 0;
}

/* The id of text s (len bytes): the image's id when the rules mention it,
 * else a record-local id img->nstrings + k, equal for equal text. */
static bool pf_intern(pf_facts *f, const char *s, size_t len, uint32_t *id, const pf_frame *at,
                      char *err, size_t errlen)
{
    uint32_t max = pf_lim(f->max_string, PF_DEFAULT_MAX_STRING);
    if (len > max)
        return pf_fail(err, errlen, at, "text of %zu bytes is longer than the limit of %u bytes", len,
                       max);
    uint32_t img_id = pb_find_string(f->img, s, len);
    if (img_id != PB_NO_STRING) {
        *id = img_id;
        return true;
    }
    if (!f->extra_hash || ((uint64_t)f->nextra + 1) * 2 > (uint64_t)f->extra_mask + 1) {
        uint64_t cap = f->extra_hash ? ((uint64_t)f->extra_mask + 1) * 2 : 64;
        if (cap > UINT32_MAX / 2 || !pf_extra_rehash(f, (uint32_t)cap))
            return pf_oom(f, err, errlen, at);
    }
    uint32_t slot = (uint32_t)pb_hash_text(s, len) & f->extra_mask;
    for (;;) {
        uint32_t e = f->extra_hash[slot];
        if (!e)
            break;
        if (f->extra_len[e - 1] == len && memcmp(f->extra[e - 1], s, len) == 0) {
            *id = f->img->nstrings + (e - 1);
            return true;
        }
        slot = (slot + 1) & f->extra_mask;
    }
    if ((uint64_t)f->img->nstrings + f->nextra + 1 >= PB_NO_STRING)
        return pf_fail(err, errlen, at, "too many distinct texts in one record");
    if (f->nextra == f->extra_cap) {
        uint32_t cap = f->extra_cap ? f->extra_cap * 2 : 32;
        const char **ns = realloc((void *)f->extra, sizeof *ns * cap);
        if (!ns)
            return pf_oom(f, err, errlen, at);
        f->extra = ns;
        uint32_t *nl = realloc(f->extra_len, sizeof *nl * cap);
        if (!nl)
            return pf_oom(f, err, errlen, at);
        f->extra_len = nl;
        f->extra_cap = cap;
    }
    char *copy = pm_strndup(&f->arena, s, len);
    if (!copy)
        return pf_oom(f, err, errlen, at);
    f->extra[f->nextra] = copy;
    f->extra_len[f->nextra] = (uint32_t)len;
    f->extra_hash[slot] = f->nextra + 1;
    *id = f->img->nstrings + f->nextra;
    f->nextra++;
    return true;
}

const char *pf_string(const pf_facts *f, uint32_t id)
{
    if (!f || !f->img)
        return NULL;
    if (id < f->img->nstrings)
        return f->img->strings[id];
    if (id - f->img->nstrings < f->nextra)
        return f->extra[id - f->img->nstrings];
    return NULL;
}

/* ---- lists ---------------------------------------------------------------- */

static pf_list *pf_list_of(const pv_value *v)
{
    return (pf_list *)(void *)((char *)(void *)(uintptr_t)v->as.items - PF_HDR_SIZE);
}

/* A block for cap elements of width values each, with given bytes when
 * with_given; returns the items. */
static pv_value *pf_list_alloc(pf_facts *f, uint32_t cap, uint32_t width, bool with_given)
{
    size_t n = (size_t)cap * width;
    if (width && n / width != cap)
        return NULL;
    if (n > (SIZE_MAX - PF_HDR_SIZE) / (sizeof(pv_value) + 1))
        return NULL;
    char *blk = pm_alloc(&f->arena, PF_HDR_SIZE + n * sizeof(pv_value) + (with_given ? n : 0));
    if (!blk)
        return NULL;
    pf_list *h = (pf_list *)(void *)blk;
    pv_value *items = (pv_value *)(void *)(blk + PF_HDR_SIZE);
    h->cap = cap;
    h->given = with_given ? (uint8_t *)(items + n) : NULL;
    return items;
}

/* ---- defaults ------------------------------------------------------------- */

static bool pf_apply_default(const pb_field *fld, pv_value *v)
{
    memset(v, 0, sizeof *v);
    switch (fld->def) {
    case PB_DEF_NONE:
        v->none = 1;
        return true;
    case PB_DEF_EMPTY:
        return true;
    case PB_DEF_VALUE:
        *v = fld->defv;
        return true;
    default:
        return false;
    }
}

static bool pf_record_ok(const pf_facts *f, uint32_t rec)
{
    const pb_image *img = f->img;
    return rec < img->nrecords && img->records[rec].first_field <= img->nfields &&
           img->records[rec].nfields <= img->nfields - img->records[rec].first_field;
}

/* ---- JSON ----------------------------------------------------------------- */

typedef struct pf_load {
    pf_facts *f;
    char *err;
    size_t errlen;
    uint32_t max_list, max_depth;
} pf_load;

static bool pf_load_record(pf_load *L, uint32_t rec, const cJSON *obj, pv_value *vals,
                           const pf_frame *at, uint32_t depth);

/* cJSON_IsNull & co. inline (the same test of the type's low byte): the
 * loader asks several per value, and the library's are calls. */
static inline bool pf_is(const cJSON *v, int type)
{
    return (v->type & 0xFF) == type;
}

static bool pf_json_text(pf_load *L, const cJSON *v, pv_value *out, const pf_frame *at)
{
    const char *s = v->valuestring ? v->valuestring : "";
    return pf_intern(L->f, s, strlen(s), &out->as.s, at, L->err, L->errlen);
}

/* An integer field's number as written (pf_json_scan): the coach record
 * wants a JSON integer, an optional minus and digits, no fraction and no
 * exponent, of magnitude at most 2^53; the message quotes the number as the
 * record wrote it. */
static bool pf_json_int_text(pf_load *L, const char *s, pv_value *out, const pf_frame *at)
{
    const char *p = s + (*s == '-');
    size_t digits = strspn(p, "0123456789");
    char q[64];
    snprintf(q, sizeof q, "%.40s%s", s, strlen(s) > 40 ? "..." : "");
    if (digits == 0 || p[digits] != '\0')
        return pf_fail(L->err, L->errlen, at,
                       "expected an integer, got %s", q);
    while (digits > 1 && *p == '0') { /* JSON has no leading zeros; be safe */
        p++;
        digits--;
    }
    uint64_t v = 0;
    bool big = digits > 16;
    for (size_t i = 0; !big && i < digits; i++)
        v = v * 10 + (uint64_t)(p[i] - '0');
    if (big || v > ((uint64_t)1 << 53))
        return pf_fail(L->err, L->errlen, at,
                       "integer %s is out of range (magnitude at most 2^53)", q);
    out->as.i = *s == '-' ? -(int64_t)v : (int64_t)v;
    return true;
}

static bool pf_json_value(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                          uint32_t depth)
{
    char what[64], exp[160];
    memset(out, 0, sizeof *out);
    if (pf_is(v, cJSON_NULL) && t.optional) {
        out->none = 1;
        return true;
    }
    switch (t.kind) {
    case PB_T_INT:
        if (!pf_is(v, cJSON_Number))
            break;
        if (v->valuestring)
            return pf_json_int_text(L, v->valuestring, out, at);
        /* Without pf_json_scan's text (its byte scan found no `.`, `e` or
         * sixteen-digit run in the record) the number was plain digits that
         * strtod read exactly. */
        if (!isfinite(v->valuedouble) || v->valuedouble != floor(v->valuedouble))
            break;
        if (fabs(v->valuedouble) > PF_INT_LIMIT) {
            pf_fmt_number(v->valuedouble, what, sizeof what);
            return pf_fail(L->err, L->errlen, at,
                           "integer %s is out of range (magnitude at most 2^53)", what);
        }
        out->as.i = (int64_t)v->valuedouble;
        return true;
    case PB_T_NUM:
        if (!pf_is(v, cJSON_Number) || !isfinite(v->valuedouble))
            break;
        out->as.n = v->valuedouble;
        return true;
    case PB_T_BOOL:
        if (!pf_is(v, cJSON_True) && !pf_is(v, cJSON_False))
            break;
        out->as.b = pf_is(v, cJSON_True);
        return true;
    case PB_T_TEXT:
        if (!pf_is(v, cJSON_String))
            break;
        return pf_json_text(L, v, out, at);
    case PB_T_DATE: {
        if (!pf_is(v, cJSON_String))
            break;
        const char *s = v->valuestring ? v->valuestring : "";
        if (!pu_date_parse(s, strlen(s), &out->as.d)) {
            char q[200];
            if (!pf_quote(s, q, sizeof q))
                return pf_oom(L->f, L->err, L->errlen, at);
            return pf_fail(L->err, L->errlen, at,
                           "invalid date %s (expected a real day as YYYY-MM-DD, years %d-%d)", q,
                           PU_YEAR_MIN, PU_YEAR_MAX);
        }
        return true;
    }
    case PB_T_LIST: {
        if (!pf_is(v, cJSON_Array))
            break;
        if (!pf_record_ok(L->f, t.rec))
            return pf_fail(L->err, L->errlen, at, "the image's record %u is invalid", (unsigned)t.rec);
        if (depth >= L->max_depth)
            return pf_fail(L->err, L->errlen, at, "nested deeper than the limit of %u level%s",
                           L->max_depth, L->max_depth == 1 ? "" : "s");
        uint32_t n = 0;
        for (const cJSON *e = v->child; e; e = e->next)
            if (++n > L->max_list)
                return pf_fail(L->err, L->errlen, at, "more than %u element%s (the limit)",
                               L->max_list, L->max_list == 1 ? "" : "s");
        if (n == 0)
            return true;
        uint32_t nf = L->f->img->records[t.rec].nfields;
        pv_value *items = pf_list_alloc(L->f, n, nf, false);
        if (!items)
            return pf_oom(L->f, L->err, L->errlen, at);
        uint32_t i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            pf_frame ef = {at, NULL, i};
            if (!pf_is(e, cJSON_Object))
                return pf_fail(L->err, L->errlen, &ef, "expected a `%s` object, got %s",
                               pf_rec_name(L->f, t.rec), pf_json_what(e, what, sizeof what));
            if (!pf_load_record(L, t.rec, e, items + (size_t)i * nf, &ef, depth + 1))
                return false;
        }
        out->as.items = items;
        out->count = n;
        return true;
    }
    case PB_T_SET: {
        if (!pf_is(v, cJSON_Array))
            break;
        uint32_t n = 0;
        for (const cJSON *e = v->child; e; e = e->next)
            if (++n > L->max_list)
                return pf_fail(L->err, L->errlen, at, "more than %u element%s (the limit)",
                               L->max_list, L->max_list == 1 ? "" : "s");
        if (n == 0)
            return true;
        pv_value *items = pf_list_alloc(L->f, n, 1, false);
        if (!items)
            return pf_oom(L->f, L->err, L->errlen, at);
        uint32_t i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            pf_frame ef = {at, NULL, i};
            if (!pf_is(e, cJSON_String))
                return pf_fail(L->err, L->errlen, &ef, "expected text, got %s",
                               pf_json_what(e, what, sizeof what));
            if (!pf_json_text(L, e, &items[i], &ef))
                return false;
        }
        out->as.items = items;
        out->count = n;
        return true;
    }
    default:
        return pf_fail(L->err, L->errlen, at, "the image gives this field an invalid type");
    }
    pf_expected(L->f, t, exp, sizeof exp);
    return pf_fail(L->err, L->errlen, at, "expected %s, got %s", exp,
                   pf_json_what(v, what, sizeof what));
}

/* A value of a bounded field (`integer >= 0`) inside its bounds; else false
 * with a message "-1 is below the minimum 0". */
static bool pf_in_bounds(const pb_field *fld, const pv_value *v, char *msg, size_t len)
{
    if (!fld->bounds || v->none)
        return true;
    bool below, above;
    switch (fld->type.kind) {
    case PB_T_INT:
        below = (fld->bounds & PB_BOUND_MIN) && v->as.i < fld->minv.as.i;
        above = (fld->bounds & PB_BOUND_MAX) && v->as.i > fld->maxv.as.i;
        break;
    case PB_T_NUM:
        below = (fld->bounds & PB_BOUND_MIN) && v->as.n < fld->minv.as.n;
        above = (fld->bounds & PB_BOUND_MAX) && v->as.n > fld->maxv.as.n;
        break;
    case PB_T_DATE:
        below = (fld->bounds & PB_BOUND_MIN) && v->as.d < fld->minv.as.d;
        above = (fld->bounds & PB_BOUND_MAX) && v->as.d > fld->maxv.as.d;
        break;
    default:
        return true; /* the verifier allows bounds on no other kind */
    }
    if (!below && !above)
        return true;
    /* Formatted only now: this runs for every bounded field of every record. */
    char a[64], b[64];
    const pv_value *lim = below ? &fld->minv : &fld->maxv;
    if (fld->type.kind == PB_T_INT) {
        snprintf(a, sizeof a, "%lld", (long long)v->as.i);
        snprintf(b, sizeof b, "%lld", (long long)lim->as.i);
    } else if (fld->type.kind == PB_T_NUM) {
        pf_fmt_number(v->as.n, a, sizeof a);
        pf_fmt_number(lim->as.n, b, sizeof b);
    } else {
        pu_date_format(v->as.d, a);
        pu_date_format(lim->as.d, b);
    }
    snprintf(msg, len, "%s is %s the %s %s", a, below ? "below" : "above", below ? "minimum" : "maximum", b);
    return false;
}

/* Looking up a record's fields among a JSON object's members. */
typedef struct pf_keys {
    const cJSON *first;  /* the object's first member */
    const cJSON *cursor; /* the member after the last one found in order */
    bool ordered;        /* the record's field names are distinct */
} pf_keys;

/* The first member named `name`. Records are usually written with their
 * keys in declaration order, so the member at the cursor is tried first:
 * every member before it was found for an earlier field, and field names
 * are distinct, so a match there is the name's first occurrence too, and
 * once the cursor has passed the last member no other field is present.
 * Otherwise the members are searched from the start. */
/* A key equal to a field name: keys are short, and an inline loop beats a
 * call to strcmp for every field of every record. */
static bool pf_key_is(const cJSON *member, const char *name)
{
    const char *k = member->string;
    if (!k)
        return false;
    while (*k && *k == *name) {
        k++;
        name++;
    }
    return *k == *name;
}

static const cJSON *pf_find_key(pf_keys *k, const char *name)
{
    const cJSON *c = k->cursor;
    if (k->ordered) {
        if (!c)
            return NULL;
        if (pf_key_is(c, name)) {
            k->cursor = c->next;
            return c;
        }
    }
    const cJSON *v = k->first;
    while (v && !pf_key_is(v, name))
        v = v->next;
    return v;
}

/* Fills vals (the record's nfields values) from obj, a JSON object. Fields are
 * taken in declaration order, so the first error is the first bad field in the
 * record's declaration; a key given twice counts once, at its first
 * occurrence; unknown keys are ignored. */
static bool pf_load_record(pf_load *L, uint32_t rec, const cJSON *obj, pv_value *vals,
                           const pf_frame *at, uint32_t depth)
{
    const pb_record *r = &L->f->img->records[rec];
    pf_keys keys = {obj->child, obj->child, L->f->distinct[rec] != 0};
    for (uint32_t j = 0; j < r->nfields; j++) {
        const pb_field *fld = &L->f->img->fields[r->first_field + j];
        const char *name = pf_field_name(L->f, fld);
        const cJSON *v = pf_find_key(&keys, name);
        pf_frame ff = {at, name, 0};
        if (v) {
            char msg[160];
            if (!pf_json_value(L, fld->type, v, &vals[j], &ff, depth))
                return false;
            if (fld->bounds && !pf_in_bounds(fld, &vals[j], msg, sizeof msg))
                return pf_fail(L->err, L->errlen, &ff, "%s", msg);
        } else if (!pf_apply_default(fld, &vals[j])) {
            return pf_fail(L->err, L->errlen, at, "missing required field `%s`", name);
        }
    }
    return true;
}

/* Why a number pf_json_scan marked is not JSON. */
static const char *pf_bad_number_why(const char *s)
{
    s += *s == '-';
    if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
        return "a leading zero";
    return "no digit on one side of the decimal point";
}

/* The first text or key below v that holds U+0000, or number that JSON does
 * not allow (pf_json_scan marked the way to it), reported at its path. Facts
 * text may not hold U+0000: cJSON ends strings at it, so "usatf\u0000-expired"
 * would read as "usatf". A number such as 01 is not JSON (RFC 8259), though
 * cJSON's strtod reads it. */
static bool pf_refused_fail(const cJSON *v, const pf_frame *at, char *err, size_t errlen)
{
    static const char why[] = "which facts text and keys may not contain";
    size_t i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        if (!pf_json_refused(c))
            continue;
        pf_frame fr = {at, cJSON_IsArray(v) ? NULL : c->string, i};
        if (c->type & PF_JSON_NUL_KEY)
            return pf_fail(err, errlen, at, "a key holds \\u0000 (U+0000), %s", why);
        if (c->type & PF_JSON_NUL)
            return pf_fail(err, errlen, &fr, "text holds \\u0000 (U+0000), %s", why);
        if (c->type & PF_JSON_BAD_NUMBER)
            return pf_fail(err, errlen, &fr, "%.40s%s is not a JSON number (RFC 8259): it has %s",
                           c->valuestring, strlen(c->valuestring) > 40 ? "..." : "",
                           pf_bad_number_why(c->valuestring));
        return pf_refused_fail(c, &fr, err, errlen);
    }
    return pf_fail(err, errlen, at, "text holds \\u0000 (U+0000), %s", why);
}

bool pf_load_json(pf_facts *f, const struct cJSON *obj, char *err, size_t errlen)
{
    char what[64];
    if (err && errlen)
        err[0] = '\0';
    if (!f->img)
        return pf_fail(err, errlen, NULL, "facts not initialised");
    f->oom = false;
    pf_reset(f);
    if (!obj || !cJSON_IsObject(obj))
        return pf_fail(err, errlen, NULL, "expected a JSON object, got %s",
                       obj ? pf_json_what(obj, what, sizeof what) : "nothing");
    if (obj->type & PF_JSON_INVALID)
        return pf_fail(err, errlen, NULL, "%s", obj->valuestring);
    if (pf_json_refused(obj))
        return pf_refused_fail(obj, NULL, err, errlen);
    pf_load L = {f, err, errlen, pf_lim(f->max_list, PF_DEFAULT_MAX_LIST),
                 pf_lim(f->max_depth, PF_DEFAULT_MAX_DEPTH)};
    if (!pf_load_record(&L, 0, obj, f->root, NULL, 0)) {
        pf_reset(f);
        return false;
    }
    memset(f->given, 1, f->img->records[0].nfields);
    return true;
}

/* ---- lifetime ------------------------------------------------------------- */

/* Whether no two fields of r have the same name. A compiled image never has
 * two, but a loaded one is only verified, and the verifier does not ask. */
static bool pf_names_distinct(const pf_facts *f, const pb_record *r)
{
    for (uint32_t a = 0; a < r->nfields; a++)
        for (uint32_t b = a + 1; b < r->nfields; b++)
            if (strcmp(pf_field_name(f, &f->img->fields[r->first_field + a]),
                       pf_field_name(f, &f->img->fields[r->first_field + b])) == 0)
                return false;
    return true;
}

bool pf_init(pf_facts *f, const pb_image *img)
{
    memset(f, 0, sizeof *f);
    if (!img || img->nrecords == 0)
        return false;
    f->img = img;
    if (!pf_record_ok(f, 0)) {
        f->img = NULL;
        return false;
    }
    size_t n = img->records[0].nfields ? img->records[0].nfields : 1;
    f->root = calloc(n, sizeof *f->root);
    f->given = calloc(n, 1);
    f->distinct = calloc(img->nrecords, 1);
    pm_init(&f->arena, 65536);
    if (f->distinct)
        for (uint32_t rec = 0; rec < img->nrecords; rec++)
            f->distinct[rec] = pf_record_ok(f, rec) && pf_names_distinct(f, &img->records[rec]);
    if (!f->root || !f->given || !f->distinct) {
        pf_fini(f);
        return false;
    }
    return true;
}

void pf_fini(pf_facts *f)
{
    free(f->root);
    free(f->given);
    free(f->distinct);
    free((void *)f->extra);
    free(f->extra_len);
    free(f->extra_hash);
    pm_free(&f->arena);
    memset(f, 0, sizeof *f);
}

bool pf_reset(pf_facts *f)
{
    if (!f->img)
        return false;
    uint32_t n = f->img->records[0].nfields;
    memset(f->root, 0, sizeof *f->root * n);
    memset(f->given, 0, n);
    /* The extra texts live in the arena and clearing their hash reads them:
     * clear it first, then give the memory back. */
    pf_extra_clear(f);
    pm_reset(&f->arena);
    return true;
}

/* ---- field by field ------------------------------------------------------- */

/* What a path names: a value, its given flag (NULL when it needs no tracking)
 * and its type. */
typedef struct pf_target {
    pv_value *v;
    uint8_t *given;
    pb_type type;
    const pb_field *field; /* the field itself (NULL for a set's element) */
} pf_target;

/* Resolves `path`: NAME { "[" DIGITS "]" "." NAME } [ "[" DIGITS "]" ]. A
 * trailing index is allowed only on a set (its element is a text); a list
 * element must be followed by ".field". Errors quote the path up to the bad
 * part. */
static bool pf_resolve(pf_facts *f, const char *path, pf_target *out, char *err, size_t errlen)
{
    const pb_image *img = f->img;
    f->oom = false; /* every setter resolves its path first */
    if (!img)
        return pf_fail(err, errlen, NULL, "facts not initialised");
    if (!path)
        return pf_fail(err, errlen, NULL, "no field path given");
    uint32_t rec = 0;
    pv_value *vals = f->root;
    uint8_t *given = f->given;
    const char *p = path;
    for (;;) {
        const char *name = p;
        while (*p && *p != '[' && *p != '.' && *p != ']')
            p++;
        size_t nlen = (size_t)(p - name);
        int pre = (int)(name - path > 0 ? name - path - 1 : 0); /* the part before ".name" */
        if (nlen == 0)
            return pf_fail(err, errlen, NULL, "invalid field path `%s`: expected a field name at offset %zu",
                           path, (size_t)(name - path));
        if (!pf_record_ok(f, rec))
            return pf_fail(err, errlen, NULL, "the image's record %u is invalid", (unsigned)rec);
        const pb_record *r = &img->records[rec];
        const pb_field *fld = NULL;
        uint32_t j = 0;
        for (; j < r->nfields; j++) {
            const pb_field *c = &img->fields[r->first_field + j];
            if (c->name < img->nstrings && img->string_len[c->name] == nlen &&
                memcmp(img->strings[c->name], name, nlen) == 0) {
                fld = c;
                break;
            }
        }
        if (!fld) {
            pf_out o = {err, errlen, 0};
            if (err && errlen)
                err[0] = '\0';
            if (pre)
                pf_put(&o, "`%.*s`: ", pre, path);
            pf_put(&o, "no field `%.*s` in record `%s`", (int)nlen, name, pf_rec_name(f, rec));
            size_t best = SIZE_MAX;
            const char *sugg = NULL;
            for (uint32_t k = 0; k < r->nfields; k++) {
                const pb_field *c = &img->fields[r->first_field + k];
                if (c->name >= img->nstrings)
                    continue;
                size_t d = pu_distance(name, nlen, img->strings[c->name], img->string_len[c->name]);
                if (d < best) {
                    best = d;
                    sugg = img->strings[c->name];
                }
            }
            size_t room = nlen / 3 > 2 ? nlen / 3 : 2;
            if (sugg && best <= room && best < nlen)
                pf_put(&o, " (did you mean `%s`?)", sugg);
            return false;
        }
        pv_value *v = &vals[j];
        uint8_t *g = given ? &given[j] : NULL;
        pb_type t = fld->type;
        int upto = (int)(p - path);
        if (*p == '\0') {
            out->v = v;
            out->given = g;
            out->type = t;
            out->field = fld;
            return true;
        }
        if (*p == '.') {
            if (t.kind == PB_T_LIST)
                return pf_fail(err, errlen, NULL,
                               "`%.*s` is a list; name one element, as in `%.*s[0]%s`", upto, path,
                               upto, path, p);
            return pf_fail(err, errlen, NULL, "`%.*s` is %s field; it has no field `%s`", upto, path,
                           pf_type_noun(t), p + 1);
        }
        if (*p != '[')
            return pf_fail(err, errlen, NULL, "invalid field path `%s`: unexpected `%c` at offset %zu",
                           path, *p, (size_t)(p - path));
        /* An index. */
        p++;
        if (*p < '0' || *p > '9')
            return pf_fail(err, errlen, NULL, "invalid field path `%s`: expected an index at offset %zu",
                           path, (size_t)(p - path));
        size_t idx = 0;
        bool big = false;
        while (*p >= '0' && *p <= '9') {
            if (idx > (SIZE_MAX - 9) / 10)
                big = true;
            else
                idx = idx * 10 + (size_t)(*p - '0');
            p++;
        }
        if (*p != ']')
            return pf_fail(err, errlen, NULL, "invalid field path `%s`: expected `]` at offset %zu",
                           path, (size_t)(p - path));
        p++;
        int upto_idx = (int)(p - path);
        if (t.kind != PB_T_LIST && t.kind != PB_T_SET)
            return pf_fail(err, errlen, NULL, "`%.*s` is %s field, not a list or set; it has no elements",
                           upto, path, pf_type_noun(t));
        if (big || idx >= v->count)
            return pf_fail(err, errlen, NULL, "`%.*s`: index out of range (`%.*s` has %u element%s)",
                           upto_idx, path, upto, path, (unsigned)v->count, v->count == 1 ? "" : "s");
        pv_value *items = (pv_value *)(void *)(uintptr_t)v->as.items;
        if (t.kind == PB_T_SET) {
            if (*p != '\0')
                return pf_fail(err, errlen, NULL, "`%.*s` is a text; it has no fields", upto_idx, path);
            out->v = &items[idx];
            out->given = NULL;
            out->type = (pb_type){PB_T_TEXT, 0, 0};
            return true;
        }
        if (*p == '\0')
            return pf_fail(err, errlen, NULL,
                           "`%s` is a `%s` element; name one of its fields, as in `%s.%s`", path,
                           pf_rec_name(f, t.rec), path,
                           pf_record_ok(f, t.rec) && img->records[t.rec].nfields
                               ? pf_field_name(f, &img->fields[img->records[t.rec].first_field])
                               : "field");
        if (*p != '.')
            return pf_fail(err, errlen, NULL, "invalid field path `%s`: expected `.` at offset %zu",
                           path, (size_t)(p - path));
        p++;
        if (!pf_record_ok(f, t.rec))
            return pf_fail(err, errlen, NULL, "the image's record %u is invalid", (unsigned)t.rec);
        uint32_t nf = img->records[t.rec].nfields;
        pf_list *h = pf_list_of(v);
        vals = items + idx * nf;
        given = h->given ? h->given + idx * nf : NULL;
        rec = t.rec;
    }
}

static bool pf_wrong_setter(const char *path, pb_type t, const char *fn, char *err, size_t errlen)
{
    return pf_fail(err, errlen, NULL, "`%s` is %s field; %s cannot set it", path, pf_type_noun(t), fn);
}

static void pf_mark(pf_target *t)
{
    t->v->none = 0;
    if (t->given)
        *t->given = 1;
}

/* For the setters of bounded kinds: the value just written stands only if
 * it is inside the field's bounds; otherwise the old value comes back. */
static bool pf_keep_in_bounds(pf_target *t, pv_value old, const char *path, char *err, size_t errlen)
{
    char msg[160];
    pv_value now = *t->v;
    now.none = 0;
    if (!t->field || pf_in_bounds(t->field, &now, msg, sizeof msg)) {
        pf_mark(t);
        return true;
    }
    *t->v = old;
    return pf_fail(err, errlen, NULL, "`%s`: %s", path, msg);
}

bool pf_set_int(pf_facts *f, const char *path, int64_t v, char *err, size_t errlen)
{
    pf_target t;
    if (!pf_resolve(f, path, &t, err, errlen))
        return false;
    pv_value old = *t.v;
    if (t.type.kind == PB_T_INT) {
        t.v->as.i = v;
    } else if (t.type.kind == PB_T_NUM) {
        t.v->as.n = (double)v; /* a number field takes an integer, as JSON does */
    } else {
        return pf_wrong_setter(path, t.type, "pf_set_int", err, errlen);
    }
    return pf_keep_in_bounds(&t, old, path, err, errlen);
}

bool pf_set_number(pf_facts *f, const char *path, double v, char *err, size_t errlen)
{
    char num[64];
    pf_target t;
    if (!pf_resolve(f, path, &t, err, errlen))
        return false;
    if (t.type.kind != PB_T_NUM && t.type.kind != PB_T_INT)
        return pf_wrong_setter(path, t.type, "pf_set_number", err, errlen);
    pv_value old = *t.v;
    if (!isfinite(v)) {
        pf_fmt_number(v, num, sizeof num);
        return pf_fail(err, errlen, NULL, "`%s`: a number must be finite, got %s", path, num);
    }
    if (t.type.kind == PB_T_INT) {
        /* As from JSON: a whole number of magnitude at most 2^53. */
        pf_fmt_number(v, num, sizeof num);
        if (v != floor(v))
            return pf_fail(err, errlen, NULL, "`%s` is an integer field; %s is not an integer", path, num);
        if (fabs(v) > PF_INT_LIMIT)
            return pf_fail(err, errlen, NULL, "`%s`: integer %s is out of range (magnitude at most 2^53)",
                           path, num);
        t.v->as.i = (int64_t)v;
    } else {
        t.v->as.n = v;
    }
    return pf_keep_in_bounds(&t, old, path, err, errlen);
}

bool pf_set_bool(pf_facts *f, const char *path, bool v, char *err, size_t errlen)
{
    pf_target t;
    if (!pf_resolve(f, path, &t, err, errlen))
        return false;
    if (t.type.kind != PB_T_BOOL)
        return pf_wrong_setter(path, t.type, "pf_set_bool", err, errlen);
    t.v->as.b = v;
    pf_mark(&t);
    return true;
}

bool pf_set_text(pf_facts *f, const char *path, const char *v, char *err, size_t errlen)
{
    pf_target t;
    if (!pf_resolve(f, path, &t, err, errlen))
        return false;
    if (t.type.kind != PB_T_TEXT)
        return pf_wrong_setter(path, t.type, "pf_set_text", err, errlen);
    if (!v)
        return pf_fail(err, errlen, NULL, "`%s`: no text given (NULL)", path);
    uint32_t id;
    char msg[160];
    if (!pf_intern(f, v, strlen(v), &id, NULL, msg, sizeof msg))
        return pf_fail(err, errlen, NULL, "`%s`: %s", path, msg);
    t.v->as.s = id;
    pf_mark(&t);
    return true;
}

bool pf_set_date(pf_facts *f, const char *path, int32_t day, char *err, size_t errlen)
{
    pf_target t;
    if (!pf_resolve(f, path, &t, err, errlen))
        return false;
    if (t.type.kind != PB_T_DATE)
        return pf_wrong_setter(path, t.type, "pf_set_date", err, errlen);
    if (day < pu_from_ymd(PU_YEAR_MIN, 1, 1) || day > pu_from_ymd(PU_YEAR_MAX, 12, 31))
        return pf_fail(err, errlen, NULL, "`%s`: day %ld is outside the years %d-%d", path, (long)day,
                       PU_YEAR_MIN, PU_YEAR_MAX);
    pv_value old = *t.v;
    t.v->as.d = day;
    return pf_keep_in_bounds(&t, old, path, err, errlen);
}

bool pf_set_none(pf_facts *f, const char *path, char *err, size_t errlen)
{
    pf_target t;
    if (!pf_resolve(f, path, &t, err, errlen))
        return false;
    if (!t.type.optional || t.type.kind == PB_T_LIST || t.type.kind == PB_T_SET)
        return pf_fail(err, errlen, NULL, "`%s` is %s field, not optional; pf_set_none cannot set it",
                       path, pf_type_noun(t.type));
    memset(t.v, 0, sizeof *t.v);
    t.v->none = 1;
    if (t.given)
        *t.given = 1;
    return true;
}

bool pf_set_empty(pf_facts *f, const char *path, char *err, size_t errlen)
{
    pf_target t;
    if (!pf_resolve(f, path, &t, err, errlen))
        return false;
    if (t.type.kind != PB_T_LIST && t.type.kind != PB_T_SET)
        return pf_fail(err, errlen, NULL, "`%s` is %s field, not a list or set; pf_set_empty cannot set it",
                       path, pf_type_noun(t.type));
    memset(t.v, 0, sizeof *t.v);
    if (t.given)
        *t.given = 1;
    return true;
}

bool pf_append(pf_facts *f, const char *path, size_t *index, char *err, size_t errlen)
{
    pf_target t;
    if (!pf_resolve(f, path, &t, err, errlen))
        return false;
    if (t.type.kind != PB_T_LIST && t.type.kind != PB_T_SET)
        return pf_fail(err, errlen, NULL, "`%s` is %s field, not a list or set; pf_append cannot grow it",
                       path, pf_type_noun(t.type));
    bool is_set = t.type.kind == PB_T_SET;
    if (!is_set && !pf_record_ok(f, t.type.rec))
        return pf_fail(err, errlen, NULL, "the image's record %u is invalid", (unsigned)t.type.rec);
    uint32_t width = is_set ? 1 : f->img->records[t.type.rec].nfields;
    uint32_t max = pf_lim(f->max_list, PF_DEFAULT_MAX_LIST);
    pv_value *v = t.v;
    uint32_t n = v->count;
    if (n >= max)
        return pf_fail(err, errlen, NULL, "`%s` already has %u elements (the limit)", path, max);
    uint32_t empty_text = 0;
    if (is_set && !pf_intern(f, "", 0, &empty_text, NULL, err, errlen))
        return false;
    pf_list *h = n ? pf_list_of(v) : NULL;
    if (!h || n == h->cap || (!is_set && !h->given)) {
        /* Grow (or give a complete list from JSON its given bytes). */
        uint32_t cap = h ? h->cap : 0;
        if (n == cap)
            cap = cap ? (cap > UINT32_MAX / 2 ? UINT32_MAX : cap * 2) : 4;
        pv_value *items = pf_list_alloc(f, cap, width, !is_set);
        if (!items) {
            f->oom = true;
            return pf_fail(err, errlen, NULL, "`%s`: out of memory", path);
        }
        pf_list *nh = pf_list_of(&(pv_value){.as.items = items});
        size_t used = (size_t)n * width;
        if (n) {
            memcpy(items, v->as.items, used * sizeof *items);
            if (nh->given) {
                if (h->given)
                    memcpy(nh->given, h->given, used);
                else
                    memset(nh->given, 1, used);
            }
        }
        v->as.items = items;
        h = nh;
    }
    pv_value *items = (pv_value *)(void *)(uintptr_t)v->as.items;
    memset(items + (size_t)n * width, 0, sizeof *items * width);
    if (h->given)
        memset(h->given + (size_t)n * width, 0, width);
    if (is_set)
        items[n].as.s = empty_text;
    v->count = n + 1;
    v->none = 0;
    if (t.given)
        *t.given = 1;
    if (index)
        *index = n;
    return true;
}

/* Fills the defaults of unset fields of vals (given: NULL when all are set),
 * recursing into lists; fails at the first required field left unset, in
 * declaration order, depth first. */
static bool pf_complete_record(pf_facts *f, uint32_t rec, pv_value *vals, uint8_t *given,
                               const pf_frame *at, char *err, size_t errlen)
{
    const pb_record *r = &f->img->records[rec];
    for (uint32_t j = 0; j < r->nfields; j++) {
        const pb_field *fld = &f->img->fields[r->first_field + j];
        const char *name = pf_field_name(f, fld);
        if (given && !given[j]) {
            if (!pf_apply_default(fld, &vals[j]))
                return pf_fail(err, errlen, at, "missing required field `%s`", name);
            given[j] = 1;
            continue;
        }
        if (fld->type.kind != PB_T_LIST || vals[j].count == 0)
            continue;
        if (!pf_record_ok(f, fld->type.rec))
            return pf_fail(err, errlen, at, "the image's record %u is invalid", (unsigned)fld->type.rec);
        pf_frame ff = {at, name, 0};
        uint32_t nf = f->img->records[fld->type.rec].nfields;
        pv_value *items = (pv_value *)(void *)(uintptr_t)vals[j].as.items;
        pf_list *h = pf_list_of(&vals[j]);
        for (uint32_t i = 0; i < vals[j].count; i++) {
            pf_frame ef = {&ff, NULL, i};
            if (!pf_complete_record(f, fld->type.rec, items + (size_t)i * nf,
                                    h->given ? h->given + (size_t)i * nf : NULL, &ef, err, errlen))
                return false;
        }
    }
    return true;
}

bool pf_complete(pf_facts *f, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!f->img)
        return pf_fail(err, errlen, NULL, "facts not initialised");
    return pf_complete_record(f, 0, f->root, f->given, NULL, err, errlen);
}
