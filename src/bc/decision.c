#include <string.h>

#include "../util/assert.h"
#include "bytecode.h"
#include "decision.h"

uint32_t pb_decision(const pb_image *img, uint32_t req, const char **who)
{
    if (req >= img->nreqs || img->reqs[req].kind != PB_R_LEAF)
        return PB_NO_DECISION;
    uint32_t f = img->reqs[req].func + 1;
    if (f >= img->nfuncs || img->funcs[f].nparams != 0 || img->funcs[f].result.kind != PB_T_INT ||
        img->funcs[f].result.optional || PU_NEVER(img->funcs[f].name >= img->nstrings)) /* verified */
        return PB_NO_DECISION;
    const char *name = img->strings[img->funcs[f].name];
    size_t n = sizeof PB_DECISION_PREFIX - 1;
    if (strncmp(name, PB_DECISION_PREFIX, n) != 0)
        return PB_NO_DECISION;
    if (who)
        *who = name + n;
    return f;
}
