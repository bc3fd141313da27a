/* A record's facts back as JSON: what a context holds, in the form
 * pf_load_json reads, so that a copy of the facts can be made however they
 * were given (JSON or field by field). Used where a question needs a
 * context of its own on the caller's facts (explain, when, plan). */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "util/assert.h"
#include "util/date.h"

static cJSON *pf_record_json(const pf_facts *f, uint32_t rec, const pv_value *vals);

/* An integer as its decimal text, kept where pf_json_scan keeps a number's
 * source (valuestring), so that values beyond 2^53 read back exactly. */
static cJSON *pf_int_json(int64_t i)
{
    cJSON *n = cJSON_CreateNumber((double)i);
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, i);
    char *copy = n ? malloc(strlen(text) + 1) : NULL;
    if (!copy) {
        cJSON_Delete(n);
        return NULL;
    }
    n->valuestring = strcpy(copy, text);
    return n;
}

/* The elements of a list (records laid out one after another) or a set. */
static cJSON *pf_items_json(const pf_facts *f, pb_type t, const pv_value *v)
{
    cJSON *a = cJSON_CreateArray();
    uint32_t nf = t.kind == PB_T_LIST ? f->img->records[t.rec].nfields : 1;
    for (uint32_t i = 0; a && i < v->count; i++) {
        const pv_value *item = v->as.items + (size_t)i * nf;
        cJSON *e = t.kind == PB_T_LIST ? pf_record_json(f, t.rec, item)
                                       : cJSON_CreateString(pf_string(f, item->as.s));
        if (!e) {
            cJSON_Delete(a);
            return NULL;
        }
        /* Fails only for a NULL item or array, or the array itself. */
        (void)cJSON_AddItemToArray(a, e);
    }
    return a;
}

static cJSON *pf_value_json(const pf_facts *f, pb_type t, const pv_value *v)
{
    if (v->none && PU_ALWAYS(t.optional)) /* pf_complete gave every required field a value */
        return cJSON_CreateNull();
    char day[11];
    switch ((pb_kind)t.kind) {
    case PB_T_INT: return pf_int_json(v->as.i);
    case PB_T_NUM: return cJSON_CreateNumber(v->as.n);
    case PB_T_BOOL: return cJSON_CreateBool(v->as.b);
    case PB_T_TEXT: return cJSON_CreateString(pf_string(f, v->as.s));
    case PB_T_DATE: pu_date_format(v->as.d, day); return cJSON_CreateString(day);
    case PB_T_LIST:
    case PB_T_SET: return pf_items_json(f, t, v);
    default: return NULL; /* no field has another kind (the verifier checks) */
    }
}

static cJSON *pf_record_json(const pf_facts *f, uint32_t rec, const pv_value *vals)
{
    const pb_record *r = &f->img->records[rec];
    cJSON *o = cJSON_CreateObject();
    for (uint32_t j = 0; o && j < r->nfields; j++) {
        const pb_field *fld = &f->img->fields[r->first_field + j];
        cJSON *v = pf_value_json(f, fld->type, &vals[j]);
        if (!v || !cJSON_AddItemToObject(o, f->img->strings[fld->name], v)) {
            cJSON_Delete(v);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

cJSON *pf_to_cjson(const pf_facts *f)
{
    /* pf_init gives an image a root, or leaves no image (pf_fini). */
    return f && f->img && PU_ALWAYS(f->root) ? pf_record_json(f, 0, f->root) : NULL;
}
