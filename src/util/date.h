/* Calendar arithmetic on the proleptic Gregorian calendar. A date is a day
 * number: days since 1970-01-01 (negative before it). */
#ifndef PU_DATE_H
#define PU_DATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define PU_YEAR_MIN 1800
#define PU_YEAR_MAX 2999

typedef enum pu_unit { PU_DAYS = 0, PU_MONTHS = 1, PU_YEARS = 2 } pu_unit;

bool pu_valid_ymd(int y, int m, int d);
int32_t pu_from_ymd(int y, int m, int d);
void pu_to_ymd(int32_t days, int *y, int *m, int *d);
/* Parses exactly "YYYY-MM-DD" (len bytes, no NUL needed) with the year in
 * PU_YEAR_MIN..PU_YEAR_MAX. Returns false on anything else. */
bool pu_date_parse(const char *s, size_t len, int32_t *out);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void pu_date_format(int32_t days, char buf[11]);
/* Full units from a to b by the spec's age formula,
 * b.year - a.year - ((b.month, b.day) < (a.month, a.day)), for months the same
 * on (year*12 + month, day); negative when b is before a. */
int64_t pu_date_between(int32_t a, int32_t b, pu_unit unit);
/* The first day d such that pu_date_between(from, d, unit) >= n (for n >= 0), or,
 * for negative n, the same shift backwards. So 2024-02-29 + 1 year is
 * 2025-03-01, the day a 29 February birthday is reached; backwards it is the
 * last day still a full count away (2024-02-29 - 1 year = 2023-02-28).
 * Returns false when
 * the result leaves the representable range. */
bool pu_date_add(int32_t from, int64_t n, pu_unit unit, int32_t *out);
/* The year, month or day of a date (unit PU_YEARS, PU_MONTHS, PU_DAYS). */
int64_t pu_date_part(int32_t days, pu_unit unit);
/* The day y-m-d. Returns false when there is no such day or its year is
 * outside PU_YEAR_MIN..PU_YEAR_MAX (no clamping: `31 February` is an error,
 * not 3 March). */
bool pu_date_make(int64_t y, int64_t m, int64_t d, int32_t *out);
/* The first day after `from` (strictly) that is day d of month m: for
 * 29 February, the next leap day. Returns false when there is none in the
 * years PU_YEAR_MIN..PU_YEAR_MAX. pu_date_preceding is the same backwards
 * (the last such day strictly before `from`). */
bool pu_date_following(int32_t from, int m, int d, int32_t *out);
bool pu_date_preceding(int32_t from, int m, int d, int32_t *out);

#endif
