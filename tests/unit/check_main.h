/* What every Check suite binary's main() does: run the suite, print the
 * report, and exit non-zero on any failure (ctest reads the status). */
#ifndef PW_CHECK_MAIN_H
#define PW_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

static inline int pw_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
