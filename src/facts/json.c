/* Facts from a cJSON object: each field by the image's type, with the
 * checks docs/coach-record.md promises. */
#include <ctype.h>

#include "facts_int.h"

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

/* One kind's loader, for a value that is not null: PF_WRONG when v is not
 * a JSON value of that kind (the caller then says what was expected),
 * PF_FAILED after reporting why it does not fit, PF_LOADED. */
typedef enum pf_got { PF_LOADED, PF_FAILED, PF_WRONG } pf_got;
typedef pf_got pf_kind_fn(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                          uint32_t depth);

static pf_got pf_ok(bool loaded)
{
    return loaded ? PF_LOADED : PF_FAILED;
}

static pf_got pf_json_int(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                          uint32_t depth)
{
    (void)t, (void)depth;
    if (!pf_is(v, cJSON_Number))
        return PF_WRONG;
    if (v->valuestring)
        return pf_ok(pf_json_int_text(L, v->valuestring, out, at));
    /* Without pf_json_scan's text (its byte scan found no exponent, odd
     * fraction or sixteen-digit run in the record) the number was plain
     * digits that strtod read exactly, or a plain fraction, which
     * pf_fmt_number writes as written: refused as the text would be. */
    if (!isfinite(v->valuedouble))
        return PF_WRONG;
    if (v->valuedouble != floor(v->valuedouble)) {
        char written[64];
        pf_fmt_number(v->valuedouble, written, sizeof written);
        return pf_ok(pf_json_int_text(L, written, out, at));
    }
    if (fabs(v->valuedouble) > PF_INT_LIMIT) {
        char what[64];
        pf_fmt_number(v->valuedouble, what, sizeof what);
        return pf_ok(pf_fail(L->err, L->errlen, at, "integer %s is out of range (magnitude at most 2^53)", what));
    }
    out->as.i = (int64_t)v->valuedouble;
    return PF_LOADED;
}

static pf_got pf_json_num(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                          uint32_t depth)
{
    (void)L, (void)t, (void)at, (void)depth;
    if (!pf_is(v, cJSON_Number) || !isfinite(v->valuedouble))
        return PF_WRONG;
    out->as.n = v->valuedouble;
    return PF_LOADED;
}

static pf_got pf_json_bool(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                           uint32_t depth)
{
    (void)L, (void)t, (void)at, (void)depth;
    if (!pf_is(v, cJSON_True) && !pf_is(v, cJSON_False))
        return PF_WRONG;
    out->as.b = pf_is(v, cJSON_True);
    return PF_LOADED;
}

static pf_got pf_json_string(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                             uint32_t depth)
{
    (void)t, (void)depth;
    return pf_is(v, cJSON_String) ? pf_ok(pf_json_text(L, v, out, at)) : PF_WRONG;
}

static pf_got pf_json_date(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                           uint32_t depth)
{
    (void)t, (void)depth;
    if (!pf_is(v, cJSON_String))
        return PF_WRONG;
    const char *s = v->valuestring ? v->valuestring : "";
    if (pu_date_parse(s, strlen(s), &out->as.d))
        return PF_LOADED;
    char q[200];
    if (!pf_quote(s, q, sizeof q))
        return pf_ok(pf_oom(L->f, L->err, L->errlen, at));
    return pf_ok(pf_fail(L->err, L->errlen, at, "invalid date %s (expected a real day as YYYY-MM-DD, years %d-%d)",
                         q, PU_YEAR_MIN, PU_YEAR_MAX));
}

/* The elements of an array, counted against the limit; false (reported)
 * past it. */
static bool pf_json_count(pf_load *L, const cJSON *v, const pf_frame *at, uint32_t *n)
{
    *n = 0;
    for (const cJSON *e = v->child; e; e = e->next)
        if (++*n > L->max_list)
            return pf_fail(L->err, L->errlen, at, "more than %u element%s (the limit)", L->max_list,
                           L->max_list == 1 ? "" : "s");
    return true;
}

static pf_got pf_json_list(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                           uint32_t depth)
{
    char what[64];
    if (!pf_is(v, cJSON_Array))
        return PF_WRONG;
    if (PU_NEVER(!pf_record_ok(L->f, t.rec)))
        return pf_ok(pf_fail(L->err, L->errlen, at, "the image's record %u is invalid", (unsigned)t.rec));
    if (depth >= L->max_depth)
        return pf_ok(pf_fail(L->err, L->errlen, at, "nested deeper than the limit of %u level%s", L->max_depth,
                             L->max_depth == 1 ? "" : "s"));
    uint32_t n;
    if (!pf_json_count(L, v, at, &n))
        return PF_FAILED;
    if (n == 0)
        return PF_LOADED;
    uint32_t nf = L->f->img->records[t.rec].nfields;
    pv_value *items = pf_list_alloc(L->f, n, nf, false);
    if (!items)
        return pf_ok(pf_oom(L->f, L->err, L->errlen, at));
    uint32_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        pf_frame ef = {at, NULL, i};
        if (!pf_is(e, cJSON_Object))
            return pf_ok(pf_fail(L->err, L->errlen, &ef, "expected a `%s` object, got %s", pf_rec_name(L->f, t.rec),
                                 pf_json_what(e, what, sizeof what)));
        if (!pf_load_record(L, t.rec, e, items + (size_t)i * nf, &ef, depth + 1))
            return PF_FAILED;
    }
    out->as.items = items;
    out->count = n;
    return PF_LOADED;
}

static pf_got pf_json_set(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                          uint32_t depth)
{
    (void)t, (void)depth;
    char what[64];
    if (!pf_is(v, cJSON_Array))
        return PF_WRONG;
    uint32_t n;
    if (!pf_json_count(L, v, at, &n))
        return PF_FAILED;
    if (n == 0)
        return PF_LOADED;
    pv_value *items = pf_list_alloc(L->f, n, 1, false);
    if (!items)
        return pf_ok(pf_oom(L->f, L->err, L->errlen, at));
    uint32_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        pf_frame ef = {at, NULL, i};
        if (!pf_is(e, cJSON_String))
            return pf_ok(pf_fail(L->err, L->errlen, &ef, "expected text, got %s", pf_json_what(e, what, sizeof what)));
        if (!pf_json_text(L, e, &items[i], &ef))
            return PF_FAILED;
    }
    out->as.items = items;
    out->count = n;
    return PF_LOADED;
}

/* The loader of each kind a field may have (the verifier allows no other). */
static pf_kind_fn *const pf_loaders[PB_T_COUNT] = {
    [PB_T_INT] = pf_json_int,   [PB_T_NUM] = pf_json_num,   [PB_T_BOOL] = pf_json_bool,
    [PB_T_TEXT] = pf_json_string, [PB_T_DATE] = pf_json_date, [PB_T_LIST] = pf_json_list,
    [PB_T_SET] = pf_json_set,
};

static bool pf_json_value(pf_load *L, pb_type t, const cJSON *v, pv_value *out, const pf_frame *at,
                          uint32_t depth)
{
    memset(out, 0, sizeof *out);
    if (pf_is(v, cJSON_NULL) && t.optional) {
        out->none = 1;
        return true;
    }
    /* The verifier gives every field a value kind (v_type): each has a loader. */
    if (PU_NEVER(t.kind >= PB_T_COUNT || !pf_loaders[t.kind]))
        return pf_fail(L->err, L->errlen, at, "the image gives this field an invalid type");
    pf_kind_fn *load = pf_loaders[t.kind];
    pf_got got = load(L, t, v, out, at, depth);
    if (got != PF_WRONG)
        return got == PF_LOADED;
    char what[64], exp[160];
    pf_expected(L->f, t, exp, sizeof exp);
    return pf_fail(L->err, L->errlen, at, "expected %s, got %s", exp, pf_json_what(v, what, sizeof what));
}

/* A value of a bounded field (`integer >= 0`) inside its bounds; else false
 * with a message "-1 is below the minimum 0". */
bool pf_in_bounds(const pb_field *fld, const pv_value *v, char *msg, size_t len)
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
    if (s[0] == '0' && isdigit((unsigned char)s[1]))
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
    /* pf_json_scan marks a container only for a child it marked: v, refused,
     * has a refused child. */
    for (const cJSON *c = v->child; PU_ALWAYS(c); c = c->next, i++) {
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
