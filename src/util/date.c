#include "date.h"

/* Day-number conversions after Howard Hinnant's civil-calendar algorithms. */
int32_t pu_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2u) / 5u + (unsigned)d - 1u;
    const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

/* 64-bit so that any int32_t day, the open ends of a period included, is
 * defined behaviour (years beyond ±5.8 million still fit an int). */
void pu_to_ymd(int32_t days, int *y, int *m, int *d)
{
    const int64_t z = (int64_t)days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    const int yy = (int)((int64_t)yoe + era * 400);
    const unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    const unsigned mp = (5u * doy + 2u) / 153u;
    *d = (int)(doy - (153u * mp + 2u) / 5u + 1u);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

static bool pu_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int pu_month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && pu_leap(y) ? 29 : days[m - 1];
}

bool pu_valid_ymd(int y, int m, int d)
{
    return y >= PU_YEAR_MIN && y <= PU_YEAR_MAX && m >= 1 && m <= 12 && d >= 1 &&
           d <= pu_month_days(y, m);
}

static int pu_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool pu_date_parse(const char *s, size_t len, int32_t *out)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = pu_digits(s, 4), m = pu_digits(s + 5, 2), d = pu_digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !pu_valid_ymd(y, m, d))
        return false;
    *out = pu_from_ymd(y, m, d);
    return true;
}

void pu_date_format(int32_t days, char buf[11])
{
    int y, m, d;
    pu_to_ymd(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

int64_t pu_date_between(int32_t a, int32_t b, pu_unit unit)
{
    if (unit == PU_DAYS)
        return (int64_t)b - a;
    int ay, am, ad, by, bm, bd;
    pu_to_ymd(a, &ay, &am, &ad);
    pu_to_ymd(b, &by, &bm, &bd);
    /* The spec's age formula, applied as written in both directions: for b
     * before a it gives the negative age the spec asks for. */
    if (unit == PU_YEARS)
        return (int64_t)by - ay - ((bm < am || (bm == am && bd < ad)) ? 1 : 0);
    return ((int64_t)by - ay) * 12 + (bm - am) - (bd < ad ? 1 : 0);
}

/* Date range that day numbers may reach in arithmetic: well past the years
 * facts may hold, small enough that no intermediate overflows. */
#define PU_DAY_MIN (-1000000)
#define PU_DAY_MAX (1000000)

bool pu_date_add(int32_t from, int64_t n, pu_unit unit, int32_t *out)
{
    if (n > 100000 || n < -100000)
        return false;
    if (unit == PU_DAYS) {
        int64_t r = (int64_t)from + n;
        if (r < PU_DAY_MIN || r > PU_DAY_MAX)
            return false;
        *out = (int32_t)r;
        return true;
    }
    int y, m, d;
    pu_to_ymd(from, &y, &m, &d);
    int64_t months = (int64_t)m - 1 + (unit == PU_YEARS ? n * 12 : n);
    int64_t ny = y + (months >= 0 ? months / 12 : -((11 - months) / 12));
    int nm = (int)(months - (ny - y) * 12) + 1;
    if (ny < -2000 || ny > 4000)
        return false;
    int last = pu_month_days((int)ny, nm);
    /* A day that the target month lacks rolls to the 1st of the next month:
     * the first day on which the full count of units is reached. */
    if (d > last) {
        /* Backwards, the last day that is still a full count away. */
        *out = pu_from_ymd((int)ny, nm, last) + (n >= 0 ? 1 : 0);
    } else {
        *out = pu_from_ymd((int)ny, nm, d);
    }
    return true;
}

int64_t pu_date_part(int32_t days, pu_unit unit)
{
    int y, m, d;
    pu_to_ymd(days, &y, &m, &d);
    return unit == PU_YEARS ? y : unit == PU_MONTHS ? m : d;
}

bool pu_date_make(int64_t y, int64_t m, int64_t d, int32_t *out)
{
    if (y < PU_YEAR_MIN || y > PU_YEAR_MAX || m < 1 || m > 12 || d < 1 || d > 31 ||
        !pu_valid_ymd((int)y, (int)m, (int)d))
        return false;
    *out = pu_from_ymd((int)y, (int)m, (int)d);
    return true;
}

/* A leap day recurs within 8 years (1896 to 1904); any other day yearly. */
#define PU_RECUR_YEARS 8

static bool pu_date_step(int32_t from, int m, int d, int dir, int32_t *out)
{
    int y, fm, fd;
    pu_to_ymd(from, &y, &fm, &fd);
    for (int i = 0; i <= PU_RECUR_YEARS; i++) {
        int64_t yy = (int64_t)y + dir * i;
        if (yy < PU_YEAR_MIN || yy > PU_YEAR_MAX || !pu_valid_ymd((int)yy, m, d))
            continue;
        int32_t r = pu_from_ymd((int)yy, m, d);
        if (dir > 0 ? r > from : r < from) {
            *out = r;
            return true;
        }
    }
    return false;
}

bool pu_date_following(int32_t from, int m, int d, int32_t *out)
{
    return pu_date_step(from, m, d, 1, out);
}

bool pu_date_preceding(int32_t from, int m, int d, int32_t *out)
{
    return pu_date_step(from, m, d, -1, out);
}
