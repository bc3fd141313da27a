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
#include "facts_int.h"

/* The most slots of a record's table of its own texts (half of them used at
 * most): 2^30, so that ids stay below PB_NO_STRING (pf_intern). A test
 * build lowers it (tests/unit/small_limits.c) to reach the refusal. */
#ifndef PF_EXTRA_SLOTS_MAX
#define PF_EXTRA_SLOTS_MAX (UINT32_MAX / 2)
#endif

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
bool pf_intern(pf_facts *f, const char *s, size_t len, uint32_t *id, const pf_frame *at,
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
        if (cap > PF_EXTRA_SLOTS_MAX)
            return pf_fail(err, errlen, at, "too many distinct texts in one record");
        if (!pf_extra_rehash(f, (uint32_t)cap))
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
    /* Ids stay below PB_NO_STRING: nextra < 2^30 (the table above stops at
     * 2^31 slots, half full), and an image has fewer than 2^30 strings (a
     * loaded one: each takes 4 bytes or more of a section whose size is a
     * 32-bit count; a compiled one: the generator's map of strings has a
     * 32-bit capacity, 2^31 slots at most, half full). */
    if (PU_NEVER((uint64_t)f->img->nstrings + f->nextra + 1 >= PB_NO_STRING))
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

bool pf_text_id(pf_facts *f, const char *s, size_t len, uint32_t *id, char *err, size_t errlen)
{
    return pf_intern(f, s, len, id, NULL, err, errlen);
}

void pf_number_text(double d, char *buf, size_t len)
{
    pf_fmt_number(d, buf, len);
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

pf_list *pf_list_of(const pv_value *v)
{
    return (pf_list *)(void *)((char *)(void *)(uintptr_t)v->as.items - PF_HDR_SIZE);
}

/* A block for cap elements of width values each, with given bytes when
 * with_given; returns the items. */
pv_value *pf_list_alloc(pf_facts *f, uint32_t cap, uint32_t width, bool with_given)
{
    uint64_t n = (uint64_t)cap * width; /* below 2^64 */
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

bool pf_apply_default(const pb_field *fld, pv_value *v)
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
    if (PU_NEVER(!pf_record_ok(f, 0))) {
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
            f->distinct[rec] = PU_ALWAYS(pf_record_ok(f, rec)) && pf_names_distinct(f, &img->records[rec]);
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
        if (PU_NEVER(!pf_record_ok(f, fld->type.rec)))
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
