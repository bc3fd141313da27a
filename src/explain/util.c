/* Small helpers shared by the explain library. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "util/assert.h"
#include "util/date.h"

#include <cjson/cJSON.h>

const char *px_date_text(pm_arena *a, pw_date d)
{
    char buf[11];
    pu_date_format(d, buf);
    return pm_strndup(a, buf, 10);
}

pw_status px_fail_nomem(pw_error *err)
{
    return pt_fail(err, PW_ERR_NOMEM, "out of memory");
}

pw_status px_span_of(const pw_explain_options *o, px_span *span, pw_error *err)
{
    pw_date as_of = o ? o->as_of : pw_date_today();
    int32_t h = o && o->horizon_days ? o->horizon_days : PW_DEFAULT_HORIZON_DAYS;
    if (h == PW_HORIZON_NONE)
        h = 0;
    else if (h < 1 || h > 36525)
        return pt_fail(err, PW_ERR_USAGE,
                       "the horizon must be from 1 day to 100 years (36525 days) or PW_HORIZON_NONE, not %ld days",
                       (long)h);
    int32_t lo = pu_from_ymd(PU_YEAR_MIN, 1, 1), hi = pu_from_ymd(PU_YEAR_MAX, 12, 31);
    if (as_of < lo || as_of > hi)
        return pt_fail(err, PW_ERR_USAGE, "the evaluation date is outside the years %d-%d", PU_YEAR_MIN,
                       PU_YEAR_MAX);
    span->as_of = as_of;
    span->last = as_of > hi - h ? hi : as_of + h;
    span->first = as_of < lo + h ? lo : as_of - h;
    return PW_OK;
}

const char *px_coach_id(const cJSON *record)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(record, "id");
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

const char *px_context_coach_id(pw_context *ctx)
{
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const pf_facts *f = pt_context_cfacts(ctx);
    /* Record 0 exists (the checker and the verifier refuse a program
     * without one) and the context's facts were allocated with it. */
    if (PU_NEVER(!img->nrecords || !f->root))
        return NULL;
    const pb_record *r = &img->records[0];
    for (uint32_t i = 0; i < r->nfields; i++) {
        const pb_field *fld = &img->fields[r->first_field + i];
        if (strcmp(img->strings[fld->name], "id") != 0)
            continue;
        if (fld->type.kind != PB_T_TEXT || (f->root[i].none && fld->type.optional))
            return NULL;
        return pf_string(f, f->root[i].as.s);
    }
    return NULL;
}
