/* Facts straight from yajl's tokens, without a cJSON tree (pf_stream_load).
 *
 * A fast path beside the loader of json.c, never instead of it: it says
 * LOADED only for a record it is certain the usual path (cJSON, the scan,
 * pf_load_json) would load, and then leaves the very facts that path leaves:
 * the same values, given bits, text ids (record-local ones in the same
 * order) and lists. For anything else it says DECLINED, leaves the facts
 * reset, and the caller runs the usual path, which writes the message; so
 * no message ever comes from here.
 *
 * Declined: text yajl refuses (not JSON, not UTF-8, raw control characters,
 * anything but white space after the value), any \u escape (so U+0000 and
 * surrogates need no thought: the check is a byte scan that steps over
 * each escape, so an escaped backslash before a u is no \u), a top level
 * that is not an object, a field given twice in one object (or "id" twice
 * at the top), a record of more than 64 fields or of two fields of one
 * name (which a loaded image may have),
 * a missing required field, a value of the wrong kind, null where the
 * field is not optional, a bound not met, a list or set past max_list, lists
 * nested max_depth deep, text past max_string, an integer that is not an
 * optional minus and at most 15 digits, a number that is neither that nor a
 * plain fraction (pf_plain_fraction), a date pu_date_parse refuses,
 * containers nested more than PF_STREAM_NEST deep, keys out of declaration
 * order in a record with two or more texts the image does not know (their
 * ids would be given in another order), and want of memory. Keys the record
 * does not declare are skipped, as pf_load_json ignores them; yajl still
 * checks their values. A duplicate among them changes nothing there.
 *
 * Memory. List elements are collected on a stack of values (the scratch,
 * on the C stack until it outgrows PF_STREAM_LOCAL values, then malloc'd):
 * a list's elements are contiguous above its base, because a list nested
 * in an element is copied out and popped when it ends, before the element
 * does; the finished list is copied into its pf_list_alloc block. */
#include <yajl/yajl_parse.h>

#include "facts_int.h"
#include "yajl_int.h"

/* Containers open at once, known or skipped (cJSON's own bound is 1000). */
#define PF_STREAM_NEST 128u
/* Values kept on the C stack before the scratch moves to the heap. */
#define PF_STREAM_LOCAL 256u

enum { PF_SF_OBJ, PF_SF_LIST, PF_SF_SET };

typedef struct pf_sframe {
    uint8_t kind;
    uint32_t rec;  /* OBJ: its record; LIST: its elements' */
    size_t vals;   /* OBJ: its values' offset in the scratch; SIZE_MAX: the root */
    uint64_t seen; /* OBJ: bit j once field j was met */
    int64_t cur;   /* OBJ: the field of the value to come; -1 for a key not declared */
    uint32_t next; /* OBJ: the field after the last one met in order */
    uint32_t n;    /* LIST, SET: elements so far */
    size_t base;   /* LIST, SET: the first element's offset in the scratch */
} pf_sframe;

typedef struct pf_grow {
    void *p;
    size_t n, cap, size; /* used and held, in elements of `size` bytes */
    void *local;         /* the first block, on the C stack */
} pf_grow;

typedef struct pf_stream {
    pf_facts *f;
    pf_ymem mem;
    pf_sframe *frames; /* PF_STREAM_NEST of them, on the C stack */
    uint32_t nframes;
    uint32_t nest;  /* containers open, known or skipped */
    uint32_t skip;  /* containers open inside a value being skipped */
    uint32_t lists; /* lists of records open */
    pf_grow vals;
    uint32_t max_list, max_depth;
    bool unordered; /* a key came after one declared later */
    bool want_id;   /* the caller wants the id */
    bool at_id;     /* the top level's current key is "id" */
    bool id_seen;
    const char *id;
    size_t id_len;
} pf_stream;

/* n more elements (zeroed) on a growable stack; NULL for want of memory. */
static void *pf_grow_push(pf_grow *g, size_t n)
{
    if (g->cap - g->n < n) {
        size_t cap = (g->cap + n) * 2;
        void *p = malloc(cap * g->size);
        if (!p)
            return NULL;
        memcpy(p, g->p, g->n * g->size);
        if (g->p != g->local)
            free(g->p);
        g->p = p;
        g->cap = cap;
    }
    char *at = (char *)g->p + g->n * g->size;
    memset(at, 0, n * g->size);
    g->n += n;
    return at;
}

static pv_value *pf_s_vals(pf_stream *S, const pf_sframe *fr)
{
    return fr->vals == SIZE_MAX ? S->f->root : (pv_value *)S->vals.p + fr->vals;
}

static const pb_field *pf_s_field(const pf_stream *S, uint32_t rec, uint32_t j)
{
    return &S->f->img->fields[S->f->img->records[rec].first_field + j];
}

/* A container opens: 0 past the nesting bound (declined), 1 inside a
 * value being skipped (counted there), -1 for the caller to place it. */
static int pf_s_enter(pf_stream *S)
{
    if (++S->nest > PF_STREAM_NEST)
        return 0;
    if (S->skip) {
        S->skip++;
        return 1;
    }
    return -1;
}

/* A container closes: true when it was inside a value being skipped. */
static bool pf_s_leave(pf_stream *S)
{
    S->nest--;
    if (!S->skip)
        return false;
    S->skip--;
    return true;
}

/* A record's object opens (the root's values are f->root, an element's
 * go on the scratch). Declined for a record of more than 64 fields (one
 * bit each for a field met), and for two fields of one name, which a
 * loaded image may have (pf_load_json's business). */
static int pf_s_object(pf_stream *S, uint32_t rec, bool root)
{
    uint32_t nf = S->f->img->records[rec].nfields;
    if (!S->f->distinct[rec] || nf > 64)
        return 0;
    pf_sframe *fr = &S->frames[S->nframes];
    fr->kind = PF_SF_OBJ;
    fr->rec = rec;
    fr->cur = -1;
    fr->next = 0;
    fr->seen = 0;
    fr->vals = root ? SIZE_MAX : S->vals.n;
    if (!root && !pf_grow_push(&S->vals, nf))
        return 0;
    S->nframes++;
    return 1;
}

/* Where a scalar goes: 1 with *slot (and its field, NULL for a set's
 * element, and type), 2 when it is ignored (inside a skipped value or the
 * value of a key not declared), 0 to decline. */
static int pf_s_target(pf_stream *S, pv_value **slot, const pb_field **fld, pb_type *t)
{
    if (S->skip)
        return 2;
    if (S->nframes == 0)
        return 0; /* the top level is no object */
    pf_sframe *fr = &S->frames[S->nframes - 1];
    switch (fr->kind) { /* GCOVR_EXCL_BR_LINE */
    case PF_SF_OBJ:
        if (fr->cur < 0)
            return 2;
        *fld = pf_s_field(S, fr->rec, (uint32_t)fr->cur);
        *t = (*fld)->type;
        *slot = pf_s_vals(S, fr) + fr->cur;
        return 1;
    case PF_SF_SET:
        if (++fr->n > S->max_list || !(*slot = pf_grow_push(&S->vals, 1)))
            return 0;
        *fld = NULL;
        *t = (pb_type){PB_T_TEXT, 0, 0};
        return 1;
    default:
        return 0; /* a list of records' element that is no object */
    }
}

/* The value's bounds, as pf_load_record checks them. */
static int pf_s_bounded(const pb_field *fld, const pv_value *v)
{
    char msg[160];
    return !fld->bounds || pf_in_bounds(fld, v, msg, sizeof msg);
}

static int pf_s_null(void *ctx)
{
    pf_stream *S = ctx;
    pv_value *slot;
    const pb_field *fld;
    pb_type t;
    int to = pf_s_target(S, &slot, &fld, &t);
    if (to != 1)
        return to;
    if (!t.optional)
        return 0;
    slot->none = 1;
    return 1;
}

static int pf_s_bool(void *ctx, int b)
{
    pf_stream *S = ctx;
    pv_value *slot;
    const pb_field *fld;
    pb_type t;
    int to = pf_s_target(S, &slot, &fld, &t);
    if (to != 1)
        return to;
    if (t.kind != PB_T_BOOL)
        return 0;
    slot->as.b = b != 0;
    return 1;
}

/* Whether c is a digit (one test). */
static bool pf_s_digit(char c)
{
    return (unsigned char)(c - '0') < 10;
}

/* An integer as the usual path takes it from the text alone: an optional
 * minus and at most 15 digits (yajl's number has a digit after a minus,
 * and no leading zero). */
static bool pf_s_int(const char *s, size_t len, int64_t *out)
{
    bool neg = *s == '-';
    if (len - neg > 15)
        return false;
    int64_t v = 0;
    for (size_t i = neg; i < len; i++) {
        if (!pf_s_digit(s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = neg ? -v : v;
    return true;
}

/* Whether yajl's number s is a plain fraction (pf_plain_fraction): digits,
 * a point, digits and nothing after them (no exponent). */
static bool pf_s_fraction(const char *s, size_t len)
{
    const char *end = s + len, *ip = s + (*s == '-'), *p = ip;
    while (p < end && pf_s_digit(*p))
        p++;
    if (p == end || *p != '.')
        return false;
    const char *fp = ++p;
    while (p < end && pf_s_digit(*p))
        p++;
    return p == end && pf_plain_fraction(ip, (size_t)(fp - 1 - ip), fp, (size_t)(p - fp));
}

static int pf_s_number(void *ctx, const char *s, size_t len)
{
    pf_stream *S = ctx;
    pv_value *slot;
    const pb_field *fld;
    pb_type t;
    int to = pf_s_target(S, &slot, &fld, &t);
    if (to != 1)
        return to;
    int64_t i;
    bool whole = pf_s_int(s, len, &i);
    if (t.kind == PB_T_INT && whole) {
        slot->as.i = i;
        return pf_s_bounded(fld, slot);
    }
    if (t.kind != PB_T_NUM || (!whole && !pf_s_fraction(s, len)))
        return 0;
    char buf[24]; /* at most a minus, 15 digits and a point */
    memcpy(buf, s, len);
    buf[len] = '\0';
    slot->as.n = strtod(buf, NULL);
    return pf_s_bounded(fld, slot);
}

static int pf_s_string(void *ctx, const unsigned char *v, size_t len)
{
    pf_stream *S = ctx;
    const char *s = (const char *)v;
    if (S->at_id && S->nframes + S->skip == 1) { /* the top level's value */
        S->id = pm_strndup(&S->f->arena, s, len);
        S->id_len = len;
        if (!S->id)
            return 0;
    }
    pv_value *slot;
    const pb_field *fld;
    pb_type t;
    int to = pf_s_target(S, &slot, &fld, &t);
    if (to != 1)
        return to;
    char e[1];
    if (t.kind == PB_T_TEXT)
        return pf_intern(S->f, s, len, &slot->as.s, NULL, e, sizeof e);
    if (t.kind != PB_T_DATE || !pu_date_parse(s, len, &slot->as.d))
        return 0;
    return pf_s_bounded(fld, slot);
}

static int pf_s_start_map(void *ctx)
{
    pf_stream *S = ctx;
    int in = pf_s_enter(S);
    if (in >= 0)
        return in;
    if (S->nframes == 0)
        return pf_s_object(S, 0, true);
    pf_sframe *fr = &S->frames[S->nframes - 1];
    if (fr->kind == PF_SF_OBJ && fr->cur < 0) {
        S->skip = 1;
        return 1;
    }
    if (fr->kind != PF_SF_LIST || ++fr->n > S->max_list)
        return 0; /* no field takes an object; a set's element is text */
    return pf_s_object(S, fr->rec, false);
}

static int pf_s_key(void *ctx, const unsigned char *k, size_t len)
{
    pf_stream *S = ctx;
    if (S->skip)
        return 1;
    const char *key = (const char *)k;
    pf_sframe *fr = &S->frames[S->nframes - 1];
    if (S->nframes == 1) {
        S->at_id = S->want_id && len == 2 && memcmp(key, "id", 2) == 0;
        if (S->at_id && S->id_seen)
            return 0;
        S->id_seen |= S->at_id;
    }
    const pb_record *r = &S->f->img->records[fr->rec];
    uint32_t j = fr->next;
    const char *name = j < r->nfields ? pf_field_name(S->f, pf_s_field(S, fr->rec, j)) : NULL;
    if (!name || strncmp(name, key, len) != 0 || name[len] != '\0') {
        for (j = 0; j < r->nfields; j++) {
            name = pf_field_name(S->f, pf_s_field(S, fr->rec, j));
            if (strncmp(name, key, len) == 0 && name[len] == '\0')
                break;
        }
    }
    if (j == r->nfields) {
        fr->cur = -1;
        return 1;
    }
    if (fr->seen >> j & 1)
        return 0;
    fr->seen |= (uint64_t)1 << j;
    fr->cur = j;
    if (j < fr->next)
        S->unordered = true;
    else
        fr->next = j + 1;
    return 1;
}

static int pf_s_end_map(void *ctx)
{
    pf_stream *S = ctx;
    if (pf_s_leave(S))
        return 1;
    pf_sframe *fr = &S->frames[S->nframes - 1];
    const pb_record *r = &S->f->img->records[fr->rec];
    pv_value *vals = pf_s_vals(S, fr);
    for (uint32_t j = 0; j < r->nfields; j++)
        if (!(fr->seen >> j & 1) && !pf_apply_default(pf_s_field(S, fr->rec, j), &vals[j]))
            return 0;
    S->nframes--;
    return 1;
}

static int pf_s_start_array(void *ctx)
{
    pf_stream *S = ctx;
    int in = pf_s_enter(S);
    if (in >= 0)
        return in;
    if (S->nframes == 0)
        return 0;
    pf_sframe *fr = &S->frames[S->nframes - 1];
    if (fr->kind != PF_SF_OBJ)
        return 0; /* an array as a list's or set's element */
    if (fr->cur < 0) {
        S->skip = 1;
        return 1;
    }
    pb_type t = pf_s_field(S, fr->rec, (uint32_t)fr->cur)->type;
    if (t.kind == PB_T_LIST) {
        if (PU_NEVER(!pf_record_ok(S->f, t.rec)) || S->lists >= S->max_depth)
            return 0;
        S->lists++;
    } else if (t.kind != PB_T_SET) {
        return 0;
    }
    pf_sframe *a = &S->frames[S->nframes++];
    a->kind = t.kind == PB_T_LIST ? PF_SF_LIST : PF_SF_SET;
    a->rec = t.rec;
    a->n = 0;
    a->base = S->vals.n;
    return 1;
}

static int pf_s_end_array(void *ctx)
{
    pf_stream *S = ctx;
    if (pf_s_leave(S))
        return 1;
    pf_sframe *a = &S->frames[--S->nframes];
    uint32_t width = 1;
    if (a->kind == PF_SF_LIST) {
        width = S->f->img->records[a->rec].nfields;
        S->lists--;
    }
    pf_sframe *fr = &S->frames[S->nframes - 1];
    pv_value *out = pf_s_vals(S, fr) + fr->cur;
    if (a->n) {
        pv_value *items = pf_list_alloc(S->f, a->n, width, false);
        if (!items)
            return 0;
        memcpy(items, (pv_value *)S->vals.p + a->base, sizeof *items * a->n * width);
        out->as.items = items;
        out->count = a->n;
    }
    S->vals.n = a->base;
    return 1;
}

/* Runs yajl over the text (memory it runs out of ends here, through
 * pf_ymalloc's jump). Nothing is changed after setjmp but through S. */
static bool pf_s_parse(pf_stream *S, const char *json, size_t len)
{
    static const yajl_callbacks cb = {
        .yajl_null = pf_s_null,           .yajl_boolean = pf_s_bool,
        .yajl_number = pf_s_number,       .yajl_string = pf_s_string,
        .yajl_start_map = pf_s_start_map, .yajl_map_key = pf_s_key,
        .yajl_end_map = pf_s_end_map,     .yajl_start_array = pf_s_start_array,
        .yajl_end_array = pf_s_end_array};
    if (setjmp(S->mem.nomem) != 0)
        return false;
    yajl_alloc_funcs af = {.malloc = pf_ymalloc, .realloc = pf_yrealloc, .free = pf_yfree, .ctx = &S->mem};
    yajl_handle h = yajl_alloc(&cb, &af, S); /* never NULL (scan.c) */
    yajl_status st = yajl_parse(h, (const unsigned char *)json, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    yajl_free(h);
    return st == yajl_status_ok;
}

/* What the usual path refuses before yajl could: any \u escape, and white
 * space after the value that cJSON does not skip (yajl also skips \f and
 * \v). */
static bool pf_s_pre(const char *json, size_t len)
{
    const char *end = json + len;
    for (const char *q = json; q < end && (q = memchr(q, '\\', (size_t)(end - q))) != NULL; q += 2)
        if (q + 1 < end && q[1] == 'u')
            return false;
    while (end > json && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    return end > json && end[-1] == '}';
}

pf_stream_result pf_stream_load(pf_facts *f, const char *json, size_t len, const char **id, size_t *id_len)
{
    if (id) {
        *id = NULL;
        *id_len = 0;
    }
    if (!f->img)
        return PF_STREAM_DECLINED;
    f->oom = false;
    pf_reset(f);
    /* Not zeroed (a frame is filled when pushed): the struct is. */
    pv_value local_vals[PF_STREAM_LOCAL];
    pf_sframe frames[PF_STREAM_NEST];
    pf_stream S = {.f = f,
                   .frames = frames,
                   .vals = {local_vals, 0, PF_STREAM_LOCAL, sizeof(pv_value), local_vals},
                   .max_list = pf_lim(f->max_list, PF_DEFAULT_MAX_LIST),
                   .max_depth = pf_lim(f->max_depth, PF_DEFAULT_MAX_DEPTH),
                   .want_id = id != NULL};
    bool ok = pf_s_pre(json, len) && pf_s_parse(&S, json, len);
    pf_yrelease(&S.mem);
    if (S.vals.p != S.vals.local)
        free(S.vals.p);
    /* Text the image does not know gets ids in the order met: the usual
     * path meets it in declaration order. */
    if (!ok || (S.unordered && f->nextra > 1)) {
        pf_reset(f);
        f->oom = false;
        return PF_STREAM_DECLINED;
    }
    memset(f->given, 1, f->img->records[0].nfields);
    if (id) {
        *id = S.id;
        *id_len = S.id_len;
    }
    return PF_STREAM_LOADED;
}
