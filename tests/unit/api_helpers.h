/* Helpers for the unit tests that go through the public API: opening a
 * rule file of the source tree and reading a date, each failing the test
 * with the library's message. */
#ifndef PW_API_HELPERS_H
#define PW_API_HELPERS_H

#include <check.h>
#include <stdio.h>

#include "pathway.h"

/* A rule file by its path in the source tree ("rules/usatf/usatf.pw"). */
static inline pw_program *pw_test_open(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", PW_SOURCE_DIR, rel);
    pw_program *p;
    pw_error err;
    ck_assert_msg(pw_program_open(path, NULL, &p, &err) == PW_OK, "%s", err.message);
    return p;
}

static inline pw_date pw_test_day(const char *text)
{
    pw_date d;
    ck_assert_int_eq(pw_date_parse(text, &d, NULL), PW_OK);
    return d;
}

#endif
