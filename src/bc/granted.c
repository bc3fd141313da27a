#include <stdlib.h>
#include <string.h>

#include "../util/assert.h"
#include "code.h"
#include "granted.h"

/* The field of record `rec` whose name is text[0..len), or PB_NO_GRANT_FIELD.
 * Here and below the image is verified (every caller holds a loaded or
 * compiled program): its records' fields, names and types are in range. */
static uint32_t pb_field_of(const pb_image *img, uint32_t rec, const char *text, size_t len)
{
    const pb_record *r = &img->records[rec];
    for (uint32_t i = 0; i < r->nfields && PU_ALWAYS(r->first_field + i < img->nfields); i++) {
        uint32_t name = img->fields[r->first_field + i].name;
        if (PU_ALWAYS(name < img->nstrings) && strlen(img->strings[name]) == len && memcmp(img->strings[name], text, len) == 0)
            return i;
    }
    return PB_NO_GRANT_FIELD;
}

/* Reads "id: F, issued: G[, expires: H]" into out's fields. */
static bool pb_granted_names(const pb_image *img, uint32_t rec, const char *s, pb_granted *out)
{
    static const char *const keys[] = {"id: ", "issued: ", "expires: "};
    uint32_t *dst[] = {&out->id, &out->issued, &out->expires};
    for (unsigned k = 0; k < 3 && *s; k++) {
        size_t kl = strlen(keys[k]);
        if (strncmp(s, keys[k], kl) != 0)
            return false;
        s += kl;
        size_t len = strcspn(s, ",");
        *dst[k] = pb_field_of(img, rec, s, len);
        if (*dst[k] == PB_NO_GRANT_FIELD)
            return false;
        s += len;
        if (*s == ',' && s[1] == ' ')
            s += 2;
        else if (*s)
            return false;
    }
    return out->id != PB_NO_GRANT_FIELD && out->issued != PB_NO_GRANT_FIELD;
}

bool pb_granted_find(const pb_image *img, pb_granted *out)
{
    if (PU_NEVER(!img->nrecords))
        return false;
    const pb_record *facts = &img->records[0];
    for (uint32_t f = 0; f < img->nfuncs; f++) {
        const pb_func *fn = &img->funcs[f];
        if (fn->nparams != 0 || fn->result.kind != PB_T_LIST || PU_NEVER(fn->name >= img->nstrings) ||
            strncmp(img->strings[fn->name], PB_GRANTED_PREFIX, sizeof PB_GRANTED_PREFIX - 1) != 0)
            continue;
        pb_insn in;
        bool decoded = pb_decode(img->code, (size_t)fn->code_off + fn->code_len, fn->code_off, &in);
        if (PU_NEVER(!decoded) || in.op != PB_OP_LOAD_FACT || PU_NEVER(in.a >= facts->nfields) ||
            PU_NEVER(fn->result.rec >= img->nrecords))
            return false;
        /* The list it loads is of the record its names are fields of. */
        const pb_field *list = &img->fields[facts->first_field + in.a];
        if (list->type.kind != PB_T_LIST || list->type.rec != fn->result.rec)
            return false;
        *out = (pb_granted){in.a, PB_NO_GRANT_FIELD, PB_NO_GRANT_FIELD, PB_NO_GRANT_FIELD};
        return pb_granted_names(img, fn->result.rec, img->strings[fn->name] + sizeof PB_GRANTED_PREFIX - 1, out);
    }
    return false;
}

void pb_arrange_texts(const pb_image *img, const char **texts)
{
    for (uint32_t r = 0; r < img->nreqs; r++)
        texts[r] = NULL;
    for (uint32_t f = 0; f < img->nfuncs; f++) {
        const pb_func *fn = &img->funcs[f];
        if (fn->nparams != 0 || fn->result.kind != PB_T_BOOL || PU_NEVER(fn->name >= img->nstrings))
            continue;
        const char *name = img->strings[fn->name];
        if (strncmp(name, PB_ARRANGE_PREFIX, sizeof PB_ARRANGE_PREFIX - 1) != 0)
            continue;
        char *end;
        unsigned long node = strtoul(name + sizeof PB_ARRANGE_PREFIX - 1, &end, 10);
        if (end != name + sizeof PB_ARRANGE_PREFIX - 1 && end[0] == ':' && end[1] == ' ' && node < img->nreqs)
            texts[node] = end + 2;
    }
}
