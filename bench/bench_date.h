/* Dates for the benchmark's C programs: "YYYY-MM-DD" to and from days since
 * 1970-01-01 (proleptic Gregorian), as coach-record.md section 1 defines
 * them. Header-only, shared by gen.c and floor.c. */
#ifndef BENCH_DATE_H
#define BENCH_DATE_H

#include <stdbool.h>
#include <stdint.h>

static inline bool bd_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int bd_month_days(int y, int m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && bd_leap(y) ? 29 : md[m - 1];
}

/* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
static inline int32_t bd_days(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

static inline void bd_civil(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Parses exactly "YYYY-MM-DD" (years 1800-2999, a real day) into y, m, d. */
static inline bool bd_parse(const char *s, int *y, int *m, int *d)
{
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return false;
        } else if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    if (s[10] != '\0')
        return false;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 1800 && *y <= 2999 && *m >= 1 && *m <= 12 && *d >= 1 &&
           *d <= bd_month_days(*y, *m);
}

/* Writes "YYYY-MM-DD" (10 characters, no NUL). */
static inline void bd_format(int32_t days, char *out)
{
    int y, m, d;
    bd_civil(days, &y, &m, &d);
    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
}

#endif
