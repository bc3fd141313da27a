/* Facts field by field: paths resolved against the image's records, lists
 * grown in place. */
#include "facts_int.h"

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
        if (PU_NEVER(!pf_record_ok(f, rec)))
            return pf_fail(err, errlen, NULL, "the image's record %u is invalid", (unsigned)rec);
        const pb_record *r = &img->records[rec];
        const pb_field *fld = NULL;
        uint32_t j = 0;
        for (; j < r->nfields; j++) {
            const pb_field *c = &img->fields[r->first_field + j];
            /* Field names are strings of the image (the verifier, v_field). */
            if (PU_ALWAYS(c->name < img->nstrings) && img->string_len[c->name] == nlen &&
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
                if (PU_NEVER(c->name >= img->nstrings))
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
                           PU_ALWAYS(pf_record_ok(f, t.rec)) && img->records[t.rec].nfields
                               ? pf_field_name(f, &img->fields[img->records[t.rec].first_field])
                               : "field");
        if (*p != '.')
            return pf_fail(err, errlen, NULL, "invalid field path `%s`: expected `.` at offset %zu",
                           path, (size_t)(p - path));
        p++;
        if (PU_NEVER(!pf_record_ok(f, t.rec)))
            return pf_fail(err, errlen, NULL, "the image's record %u is invalid", (unsigned)t.rec);
        uint32_t nf = img->records[t.rec].nfields;
        pf_list *h = pf_list_of(v);
        vals = items + idx * nf;
        given = h->given ? h->given + idx * nf : NULL;
        rec = t.rec;
    }
}

/* Names the kind of value the caller gave, not the internal setter: the
 * message reaches hosts through pw_context_set_*, which never see pf_set_*. */
static bool pf_wrong_setter(const char *path, pb_type t, const char *given, char *err, size_t errlen)
{
    return pf_fail(err, errlen, NULL, "`%s` is %s field; it cannot be set to %s", path, pf_type_noun(t), given);
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
    /* Only a set's element has no field, and it is text: never bounded. */
    if (PU_NEVER(!t->field) || pf_in_bounds(t->field, &now, msg, sizeof msg)) {
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
        return pf_wrong_setter(path, t.type, "an integer", err, errlen);
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
        return pf_wrong_setter(path, t.type, "a number", err, errlen);
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
        return pf_wrong_setter(path, t.type, "true or false", err, errlen);
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
        return pf_wrong_setter(path, t.type, "text", err, errlen);
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
        return pf_wrong_setter(path, t.type, "a date", err, errlen);
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
        return pf_fail(err, errlen, NULL, "`%s` is %s field, not optional; it cannot be set to none",
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
        return pf_fail(err, errlen, NULL, "`%s` is %s field, not a list or set; it cannot be set to empty",
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
        return pf_fail(err, errlen, NULL, "`%s` is %s field, not a list or set; no element can be added to it",
                       path, pf_type_noun(t.type));
    bool is_set = t.type.kind == PB_T_SET;
    if (!is_set && PU_NEVER(!pf_record_ok(f, t.type.rec)))
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
    /* A list with room was grown here, with given bytes for records; a list
     * from JSON is full (its block holds just its elements), so it is grown
     * here and gets them. */
    if (!h || n == h->cap) {
        /* Twice as many, but never room past the limit (n < max). */
        uint64_t want = n ? (uint64_t)n * 2 : 4;
        uint32_t cap = want < max ? (uint32_t)want : max;
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
