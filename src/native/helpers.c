/* The date helpers generated code calls (include/pathway_native.h): the
 * VM's calendar (util/date.c) behind the VM's own range checks, so that the
 * generated code gives up exactly where the VM would stop with an error. */
#include "pathway_native.h"

#include "../util/date.h"
#include "../vm/vm.h"

/* Beyond the VM's limit on day numbers the VM reports an error, and so the
 * generated code falls back to it. */
static bool pn_day_ok(int32_t d) { return d >= -PV_DAY_LIMIT && d <= PV_DAY_LIMIT; }

bool pw_native_date_add(int32_t day, int64_t n, unsigned unit, int32_t *out)
{
    return unit <= PU_YEARS && pn_day_ok(day) && pu_date_add(day, n, (pu_unit)unit, out);
}

bool pw_native_between(int32_t a, int32_t b, unsigned unit, int64_t *out)
{
    if (unit > PU_YEARS || !pn_day_ok(a) || !pn_day_ok(b))
        return false;
    *out = pu_date_between(a, b, (pu_unit)unit);
    return true;
}

bool pw_native_date_part(int32_t day, unsigned unit, int64_t *out)
{
    if (unit > PU_YEARS || !pn_day_ok(day))
        return false;
    *out = pu_date_part(day, (pu_unit)unit);
    return true;
}

bool pw_native_date_make(int64_t y, int64_t m, int64_t d, int32_t *out)
{
    return pu_date_make(y, m, d, out);
}

bool pw_native_date_next(int32_t from, int64_t m, int64_t d, int32_t *out)
{
    return pn_day_ok(from) && m >= 1 && m <= 12 && d >= 1 && d <= 31 && pu_date_following(from, (int)m, (int)d, out);
}

/* The generated code reads the library's values through the public
 * layout: the two must agree. */
#include <stddef.h>

#include "../bc/image.h"
_Static_assert(sizeof(pw_native_value) == sizeof(pv_value), "pw_native_value is pv_value");
_Static_assert(offsetof(pw_native_value, count) == offsetof(pv_value, count), "count");
_Static_assert(offsetof(pw_native_value, none) == offsetof(pv_value, none), "none");
