/* The public API when the system refuses to open a file (issue 23): the
 * C library's open() is replaced at link time (GNU ld's --wrap,
 * tests/CMakeLists.txt) so that it fails for one path with the errno a test
 * asks for; every other open is the real call. pw_program_open tells a
 * want of memory (PW_ERR_NOMEM) from any other refusal (PW_ERR_IO), with
 * the system's words in the message. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "pathway.h"

static const char *fail_path; /* open() of this path fails ... */
static int fail_errno;        /* ... with this errno */

int __real_open(const char *p, int flags, ...);
int __wrap_open(const char *p, int flags, ...);

int __wrap_open(const char *p, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
    va_end(ap);
    if (fail_path && strcmp(p, fail_path) == 0) {
        errno = fail_errno;
        return -1;
    }
    return __real_open(p, flags, mode);
}

static void open_fails(int e, pw_status want)
{
    static const char path[] = PW_SOURCE_DIR "/rules/usatf/usatf.pw";
    fail_path = path;
    fail_errno = e;
    pw_program *p = (pw_program *)&p; /* not NULL: the call must clear it */
    pw_error err;
    pw_status st = pw_program_open(path, NULL, &p, &err);
    fail_path = NULL;
    char msg[512];
    snprintf(msg, sizeof msg, "cannot open %s: %s", path, strerror(e));
    ck_assert_int_eq(st, want);
    ck_assert_int_eq(err.status, want);
    ck_assert_str_eq(err.message, msg);
    ck_assert_ptr_null(p);
}

START_TEST(open_out_of_memory)
{
    open_fails(ENOMEM, PW_ERR_NOMEM);
}
END_TEST

START_TEST(open_refused)
{
    open_fails(EACCES, PW_ERR_IO);
    open_fails(EMFILE, PW_ERR_IO);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api_syscalls");
    TCase *tc = tcase_create("open");
    tcase_add_test(tc, open_out_of_memory);
    tcase_add_test(tc, open_refused);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
