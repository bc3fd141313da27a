/* The compiler's diagnostic codes: the columns of the table in codes.h. */
#include "diag.h"

#include <ctype.h>
#include <string.h>

typedef struct pd_code_row {
    const char *name;
    pd_severity severity;
    const char *summary;
} pd_code_row;

static const pd_code_row pd_code_rows[PD_CODE_COUNT] = {
#define PD_CODE_ROW(code, sev, summary) {#code, PD_##sev, summary},
    PD_CODES(PD_CODE_ROW)
#undef PD_CODE_ROW
};

const char *pd_code_name(pd_code code)
{
    return pd_code_rows[code].name;
}

pd_severity pd_code_severity(pd_code code)
{
    return pd_code_rows[code].severity;
}

const char *pd_code_summary(pd_code code)
{
    return pd_code_rows[code].summary;
}

/* Case-insensitive equality of two codes. */
static bool pd_code_same(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
            return false;
    return *a == *b;
}

bool pd_code_find(const char *name, pd_code *out)
{
    for (int i = 0; i < PD_CODE_COUNT; i++) {
        if (pd_code_same(name, pd_code_rows[i].name)) {
            *out = (pd_code)i;
            return true;
        }
    }
    return false;
}

bool pd_diag_is(const pd_diag *d, pd_code code)
{
    return d->code && strcmp(d->code, pd_code_rows[code].name) == 0;
}

pd_diag *pd_report(pd_list *l, pd_code code, const ps_span *span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_diag *d = pd_vadd(l, pd_code_rows[code].severity, pd_code_rows[code].name, span, fmt, ap);
    va_end(ap);
    return d;
}
