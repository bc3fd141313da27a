/* A test's facts: examples resolved and written as the JSON a coach record
 * would be, so they go through the same loader (and the same checks) as
 * `pathway eval` input. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "ruletest_int.h"
#include "util/assert.h"
#include "util/date.h"

/* The checker rejects cycles; this bound only keeps a tree it did not check
 * from recursing without end. */
#define PR_MAX_CHAIN 256
/* An integer JSON cannot hold exactly (beyond 2^53 either way) would become
 * another number here: the checker refuses one in an example or a test's
 * `with` (E0357) before a test runs. */

static cJSON *pr_value_json(const pa_value *v);

static cJSON *pr_text_json(const pa_value *v)
{
    /* The text is counted, not necessarily NUL-terminated where it ends. */
    char *s = malloc((size_t)v->u.str.len + 1);
    if (!s)
        return NULL;
    memcpy(s, v->u.str.s, v->u.str.len);
    s[v->u.str.len] = '\0';
    cJSON *j = cJSON_CreateString(s);
    free(s);
    return j;
}

static cJSON *pr_list_json(const pa_value *v)
{
    cJSON *arr = cJSON_CreateArray();
    for (const pa_value *it = v->u.list.items; it && arr; it = it->next) {
        cJSON *item = pr_value_json(it);
        if (!item || !cJSON_AddItemToArray(arr, item)) {
            cJSON_Delete(item);
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* Not cJSON_ReplaceItemInObjectCaseSensitive: cJSON 1.7
 * does not check the copy of the name it makes there, and a replacement
 * whose name could not be copied took the field's place nameless, so the
 * field was silently lost ("missing required field" instead of out of
 * memory; tests/unit/test_ruletest_allocfail.c). The name is copied here,
 * checked, and the item put in the old one's place (order kept). */
bool pr_json_set(cJSON *obj, const char *name, cJSON *item)
{
    if (!item)
        return false;
    cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, name);
    bool ok;
    if (old) {
        size_t n = strlen(name) + 1;
        char *key = cJSON_malloc(n);
        if ((ok = key != NULL)) {
            memcpy(key, name, n);
            /* A duplicated item keeps its original's name: freed, as
             * cJSON_AddItemToObject frees it (it leaked). */
            if (item->string && !(item->type & cJSON_StringIsConst))
                cJSON_free(item->string);
            item->string = key;
            item->type &= ~cJSON_StringIsConst;
            cJSON_ReplaceItemViaPointer(obj, old, item); /* fails only on NULL arguments */
        }
    } else {
        ok = cJSON_AddItemToObject(obj, name, item);
    }
    if (!ok)
        cJSON_Delete(item);
    return ok;
}

/* Writes a record's entries into obj, replacing fields already there. */
static bool pr_record_into(cJSON *obj, const pa_value *rec)
{
    for (const pa_entry *e = rec->u.record.entries; e; e = e->next)
        if (!pr_json_set(obj, e->name, pr_value_json(e->value)))
            return false;
    return true;
}

static cJSON *pr_record_json(const pa_value *v)
{
    cJSON *obj = cJSON_CreateObject();
    if (obj && !pr_record_into(obj, v)) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    return obj;
}

/* NULL only when memory runs out. */
static cJSON *pr_value_json(const pa_value *v)
{
    char date[11];
    switch (v->kind) {
    case PA_V_INT: return cJSON_CreateNumber((double)v->u.i);
    case PA_V_NUM: return cJSON_CreateNumber(v->u.n);
    case PA_V_TEXT: return pr_text_json(v);
    case PA_V_DATE: pu_date_format(v->u.date, date); return cJSON_CreateString(date);
    case PA_V_BOOL: return cJSON_CreateBool(v->u.b);
    case PA_V_LIST: return pr_list_json(v);
    case PA_V_RECORD: return pr_record_json(v);
    case PA_V_NONE:
    default: return cJSON_CreateNull(); /* the parser makes only the kinds above */
    }
}

static const pa_decl *pr_find_example(const pa_decl *decls, const char *name)
{
    for (const pa_decl *d = decls; d; d = d->next)
        if (d->kind == PA_D_EXAMPLE && strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

/* Applies ref to obj: its base's fields first, then its own `with`. */
static pw_status pr_apply(const pt_tree *tree, const pa_facts_ref *ref, cJSON *obj, unsigned depth,
                          pw_error *err)
{
    if (depth > PR_MAX_CHAIN)
        return pt_fail(err, PW_ERR_FACTS, "examples are nested more than %d deep", PR_MAX_CHAIN);
    pw_status st = PW_OK;
    if (ref->base) {
        const pa_decl *ex = pr_find_example(tree->decls, ref->base);
        /* The checker refuses an unknown example (E0351). */
        if (PU_NEVER(!ex))
            return pt_fail(err, PW_ERR_FACTS, "no example `%s`", ref->base);
        st = pr_apply(tree, &ex->u.example.facts, obj, depth + 1, err);
    }
    if (st != PW_OK || !ref->with || ref->with->kind != PA_V_RECORD)
        return st;
    if (!pr_record_into(obj, ref->with))
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    return PW_OK;
}

pw_status pr_build_facts(const pt_tree *tree, const pa_facts_ref *ref, cJSON **out, pw_error *err)
{
    *out = NULL;
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    pw_status st = pr_apply(tree, ref, obj, 0, err);
    if (st != PW_OK) {
        cJSON_Delete(obj);
        return st;
    }
    *out = obj;
    return PW_OK;
}
