/* src/util/file.c when the system calls themselves fail: each test fails
 * one call (fsync, close, rename, write, ...) on request and checks the
 * message and that the target and the directory are as the failure
 * requires. The calls are replaced at link time, as test_allocfail.c
 * replaces the allocator (GNU ld's --wrap, tests/CMakeLists.txt); unarmed,
 * every wrapper is the real call. Everything is written in the test's own
 * mkdtemp directory. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "tmpdir.h"
#include "util/file.h"

/* ---- the failures ----------------------------------------------------------------- */

/* Call `fn` fails `times` times with errno `err` (returning `ret`) after
 * `skip` calls pass; a second call may be armed too (arm_also), for a
 * failure that follows another. */
typedef struct armed {
    const char *fn;
    int skip, times, err;
    long ret;
} armed;
static armed arm, arm2;
static long fail_ret; /* what the failing call returns */

static void arm_set(armed *a, const char *fn, int skip, int times, int err, long ret)
{
    a->fn = fn;
    a->skip = skip;
    a->times = times;
    a->err = err;
    a->ret = ret;
}

static void arm_fail(const char *fn, int skip, int times, int err, long ret)
{
    arm_set(&arm, fn, skip, times, err, ret);
    memset(&arm2, 0, sizeof arm2);
}

static void arm_also(const char *fn, int skip, int times, int err, long ret)
{
    arm_set(&arm2, fn, skip, times, err, ret);
}

static bool failing_at(armed *a, const char *fn)
{
    if (!a->fn || strcmp(fn, a->fn) != 0)
        return false;
    if (a->skip > 0) {
        a->skip--;
        return false;
    }
    if (a->times <= 0)
        return false;
    a->times--;
    errno = a->err;
    fail_ret = a->ret;
    return true;
}

static bool failing(const char *fn)
{
    return failing_at(&arm, fn) || failing_at(&arm2, fn);
}

int __real_fsync(int fd);
int __real_close(int fd);
int __real_renameat(int a, const char *p, int b, const char *q);
int __real_ftruncate(int fd, off_t n);
int __real_fchmod(int fd, mode_t m);
int __real_fchown(int fd, uid_t u, gid_t g);
ssize_t __real_write(int fd, const void *p, size_t n);
ssize_t __real_read(int fd, void *p, size_t n);
int __real_openat(int dir, const char *p, int flags, ...);
int __real_open(const char *p, int flags, ...);
void *__real_realloc(void *p, size_t n);
void *__real_malloc(size_t n);
int __real_fflush(FILE *f);
int __real_faccessat(int dir, const char *p, int mode, int flags);
uid_t __real_geteuid(void);
int __real_fstat(int fd, struct stat *st);
size_t __real_fread(void *p, size_t size, size_t n, FILE *f);
int __real_ferror(FILE *f);

int __wrap_fsync(int fd) { return failing("fsync") ? (int)fail_ret : __real_fsync(fd); }
int __wrap_close(int fd)
{
    /* A failing close has closed the descriptor all the same (POSIX leaves
     * it unspecified; Linux closes it). */
    int r = __real_close(fd);
    return failing("close") ? (int)fail_ret : r;
}
int __wrap_renameat(int a, const char *p, int b, const char *q)
{
    return failing("renameat") ? (int)fail_ret : __real_renameat(a, p, b, q);
}
int __wrap_ftruncate(int fd, off_t n) { return failing("ftruncate") ? (int)fail_ret : __real_ftruncate(fd, n); }
int __wrap_fchmod(int fd, mode_t m) { return failing("fchmod") ? (int)fail_ret : __real_fchmod(fd, m); }
int __wrap_fchown(int fd, uid_t u, gid_t g) { return failing("fchown") ? (int)fail_ret : __real_fchown(fd, u, g); }
ssize_t __wrap_write(int fd, const void *p, size_t n) { return failing("write") ? fail_ret : __real_write(fd, p, n); }
ssize_t __wrap_read(int fd, void *p, size_t n) { return failing("read") ? fail_ret : __real_read(fd, p, n); }
int __wrap_openat(int dir, const char *p, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & O_CREAT) ? (mode_t)va_arg(ap, int) : 0;
    va_end(ap);
    return failing("openat") ? (int)fail_ret : __real_openat(dir, p, flags, mode);
}
int __wrap_open(const char *p, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & O_CREAT) ? (mode_t)va_arg(ap, int) : 0;
    va_end(ap);
    /* Only /dev/urandom: the directory opens go on. */
    if (strcmp(p, "/dev/urandom") == 0 && failing("open"))
        return (int)fail_ret;
    return __real_open(p, flags, mode);
}
void *__wrap_realloc(void *p, size_t n) { return failing("realloc") ? NULL : __real_realloc(p, n); }
void *__wrap_malloc(size_t n) { return failing("malloc") ? NULL : __real_malloc(n); }
int __wrap_fflush(FILE *f) { return failing("fflush") ? (int)fail_ret : __real_fflush(f); }
int __wrap_faccessat(int dir, const char *p, int mode, int flags)
{
    return failing("faccessat") ? (int)fail_ret : __real_faccessat(dir, p, mode, flags);
}
/* stdio's own reads do not go through the wrapped read: a failing fread
 * returns nothing, and ferror says whether that was an error. */
size_t __wrap_fread(void *p, size_t size, size_t n, FILE *f)
{
    return failing("fread") ? 0 : __real_fread(p, size, n, f);
}
int __wrap_ferror(FILE *f) { return failing("ferror") ? 1 : __real_ferror(f); }
/* Set, the process is user 1000, not root. */
static bool as_user;
uid_t __wrap_geteuid(void) { return as_user ? 1000 : __real_geteuid(); }
int __wrap_fstat(int fd, struct stat *st)
{
    if (failing("fstat"))
        return (int)fail_ret;
    int r = __real_fstat(fd, st);
    /* Another file than the one examined, on another device or not. */
    if (r == 0 && failing("fstat-dev"))
        st->st_dev ^= 1;
    if (r == 0 && failing("fstat-ino"))
        st->st_ino ^= 1;
    return r;
}

/* ---- the directory ------------------------------------------------------------------ */

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/pw_util_syscalls.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    memset(&arm, 0, sizeof arm);
    memset(&arm2, 0, sizeof arm2);
    as_user = false;
}

static void teardown(void)
{
    memset(&arm, 0, sizeof arm);
    as_user = false;
    ut_tmpdir_remove(dir);
}

static char target[128];

static const char *in_dir(const char *name)
{
    snprintf(target, sizeof target, "%s/%s", dir, name);
    return target;
}

static size_t entries(void)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void expect_err(const char *err, const char *path, const char *why)
{
    char want[512];
    snprintf(want, sizeof want, "cannot write %s: %s", path, why);
    ck_assert_str_eq(err, want);
}

/* ---- a new file: every step of the commit ------------------------------------------ */

/* pu_write_file of a new file with `fn` failing: refused with the
 * message, and nothing left in the directory. */
static void new_file_fails(const char *fn, int skip, int err, long ret, const char *why)
{
    char e[512] = "";
    const char *p = in_dir("new.txt");
    arm_fail(fn, skip, 1, err, ret);
    ck_assert_msg(!pu_write_file(p, "abc", 3, e, sizeof e), "%s: written", fn);
    expect_err(e, p, why);
    ck_assert_uint_eq(entries(), 0);
}

START_TEST(commit_failures)
{
    new_file_fails("fsync", 0, EIO, -1, strerror(EIO));
    new_file_fails("close", 1, EIO, -1, strerror(EIO)); /* the first closes /dev/urandom */
    new_file_fails("renameat", 0, EXDEV, -1, strerror(EXDEV));
    new_file_fails("write", 0, ENOSPC, -1, strerror(ENOSPC));
    new_file_fails("write", 0, 0, 0, "nothing written");
    /* The temporary file's close failing after its fsync did: the fsync's
     * error is reported (the first close is /dev/urandom's). */
    {
        char e2[512] = "";
        const char *p2 = in_dir("new.txt");
        arm_fail("fsync", 0, 1, EIO, -1);
        arm_also("close", 1, 1, ENOSPC, -1);
        ck_assert(!pu_write_file(p2, "abc", 3, e2, sizeof e2));
        expect_err(e2, p2, strerror(EIO));
        ck_assert_int_eq(arm2.times, 0);
        ck_assert_uint_eq(entries(), 0);
    }
    /* The directory's fsync: after the rename, so the file is there. */
    char e[512] = "";
    const char *p = in_dir("new.txt");
    arm_fail("fsync", 1, 1, EIO, -1);
    ck_assert(!pu_write_file(p, "abc", 3, e, sizeof e));
    expect_err(e, p, strerror(EIO));
    ck_assert_uint_eq(entries(), 1);
}
END_TEST

/* What is no failure: a write interrupted before it wrote (retried), a
 * directory that cannot be synced (EINVAL, EROFS). */
START_TEST(commit_tolerated)
{
    char e[512] = "";
    const char *p = in_dir("new.txt");
    arm_fail("write", 0, 1, EINTR, -1);
    ck_assert_msg(pu_write_file(p, "abc", 3, e, sizeof e), "%s", e);
    arm_fail("fsync", 1, 1, EINVAL, -1);
    ck_assert_msg(pu_write_file(p, "abcd", 4, e, sizeof e), "%s", e);
    arm_fail("fsync", 1, 1, EROFS, -1);
    ck_assert_msg(pu_write_file(p, "abcde", 5, e, sizeof e), "%s", e);
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert_int_eq(st.st_size, 5);
    ck_assert_uint_eq(entries(), 1);
}
END_TEST

/* ---- the temporary file ------------------------------------------------------------ */

START_TEST(temp_names)
{
    char e[512] = "";
    const char *p = in_dir("t.txt");
    /* No /dev/urandom (a chroot), or a short read from it: the name comes
     * from the clock; the write succeeds. */
    arm_fail("open", 0, 1, ENOENT, -1);
    ck_assert_msg(pu_write_file(p, "a", 1, e, sizeof e), "%s", e);
    arm_fail("read", 0, 1, EIO, -1);
    ck_assert_msg(pu_write_file(p, "b", 1, e, sizeof e), "%s", e);
    /* A name taken is tried again with another; 100 taken is an error. */
    unlink(p);
    arm_fail("openat", 0, 3, EEXIST, -1);
    ck_assert_msg(pu_write_file(p, "c", 1, e, sizeof e), "%s", e);
    unlink(p);
    arm_fail("openat", 0, 100, EEXIST, -1);
    ck_assert(!pu_write_file(p, "d", 1, e, sizeof e));
    expect_err(e, p, strerror(EEXIST));
    ck_assert_uint_eq(entries(), 0);
}
END_TEST

/* Replacing a file keeps its owner and permissions, or fails saying so. */
START_TEST(keep_owner_and_mode)
{
    char e[512] = "";
    const char *p = in_dir("old.txt");
    ck_assert(pu_write_file(p, "old", 3, e, sizeof e));
    ck_assert_int_eq(chmod(p, 0640), 0);
    arm_fail("fchmod", 0, 1, EPERM, -1);
    ck_assert(!pu_write_file(p, "new", 3, e, sizeof e));
    expect_err(e, p, "cannot keep its permissions");
    arm_fail("fchown", 0, 1, EPERM, -1);
    if (geteuid() == 0) {
        ck_assert(!pu_write_file(p, "new", 3, e, sizeof e));
        expect_err(e, p, "cannot keep its owner");
    }
    ck_assert_uint_eq(entries(), 1);
    char buf[8] = "";
    FILE *f = fopen(p, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fread(buf, 1, sizeof buf - 1, f), 3);
    fclose(f);
    ck_assert_str_eq(buf, "old");
}
END_TEST

/* As a user other than root: a file the access check finds not writable
 * is read-only, another error of the check is no refusal; a group that
 * cannot be kept is a failure unless the user may not give it (EPERM). */
START_TEST(not_root)
{
    char e[512] = "";
    const char *p = in_dir("mine.txt");
    ck_assert(pu_write_file(p, "x", 1, e, sizeof e));
    as_user = true;
    arm_fail("faccessat", 0, 1, EACCES, -1);
    ck_assert(!pu_out_check(p, e, sizeof e));
    expect_err(e, p, "it is read-only; make it writable first (chmod u+w) if it is to be replaced");
    arm_fail("faccessat", 0, 1, EIO, -1);
    ck_assert_msg(pu_out_check(p, e, sizeof e), "%s", e);
    if (__real_geteuid() == 0) { /* a group of another's needs root to set up */
        ck_assert_int_eq(chown(p, (uid_t)-1, 1234), 0);
        arm_fail("fchown", 0, 1, EPERM, -1);
        ck_assert_msg(pu_write_file(p, "y", 1, e, sizeof e), "%s", e);
        ck_assert_int_eq(chown(p, (uid_t)-1, 1234), 0);
        arm_fail("fchown", 0, 1, EIO, -1);
        ck_assert(!pu_write_file(p, "z", 1, e, sizeof e));
        expect_err(e, p, "cannot keep its owner");
        /* Another group the user may give: kept. */
        ck_assert_int_eq(chown(p, (uid_t)-1, 1234), 0);
        ck_assert_msg(pu_write_file(p, "v", 1, e, sizeof e), "%s", e);
        struct stat st;
        ck_assert_int_eq(stat(p, &st), 0);
        ck_assert_int_eq(st.st_gid, 1234);
        /* The user's own group: nothing to keep, fchown is not called. */
        ck_assert_int_eq(chown(p, (uid_t)-1, getegid()), 0);
        arm_fail("fchown", 0, 1, EIO, -1);
        ck_assert_msg(pu_write_file(p, "w", 1, e, sizeof e), "%s", e);
        ck_assert_int_eq(arm.times, 1);
    }
    as_user = false;
    /* The directory the temporary file would go in is not writable. */
    arm_fail("faccessat", 0, 1, EACCES, -1);
    ck_assert(!pu_out_check(p, e, sizeof e));
    expect_err(e, p, strerror(EACCES));
    ck_assert_uint_eq(entries(), 1);
}
END_TEST

/* ---- in place, standard output, reading -------------------------------------------- */

/* A file with another hard link is written in place: a failing truncate
 * or close is an error; a failing open or a file that changed too. */
START_TEST(in_place_failures)
{
    char e[512] = "", other[128];
    const char *p = in_dir("linked.txt");
    ck_assert(pu_write_file(p, "abc", 3, e, sizeof e));
    snprintf(other, sizeof other, "%s/other.txt", dir);
    ck_assert_int_eq(link(p, other), 0);
    arm_fail("ftruncate", 0, 1, EIO, -1);
    ck_assert(!pu_write_file(p, "x", 1, e, sizeof e));
    expect_err(e, p, strerror(EIO));
    arm_fail("close", 0, 1, EIO, -1);
    ck_assert(!pu_write_file(p, "x", 1, e, sizeof e));
    expect_err(e, p, strerror(EIO));
    arm_fail("openat", 0, 1, EACCES, -1);
    ck_assert(!pu_write_file(p, "x", 1, e, sizeof e));
    expect_err(e, p, strerror(EACCES));
    arm_fail("fsync", 0, 1, EIO, -1);
    ck_assert(!pu_write_file(p, "x", 1, e, sizeof e));
    expect_err(e, p, strerror(EIO));
    arm_fail("fstat", 0, 1, EIO, -1);
    ck_assert(!pu_write_file(p, "x", 1, e, sizeof e));
    expect_err(e, p, "it changed while it was being opened");
    arm_fail("fstat-dev", 0, 1, 0, 0);
    ck_assert(!pu_write_file(p, "x", 1, e, sizeof e));
    expect_err(e, p, "it changed while it was being opened");
    arm_fail("fstat-ino", 0, 1, 0, 0);
    ck_assert(!pu_write_file(p, "x", 1, e, sizeof e));
    expect_err(e, p, "it changed while it was being opened");
    /* A close that fails after the truncation failed: the first failure
     * is the one reported. */
    arm_fail("ftruncate", 0, 1, EIO, -1);
    arm_also("close", 0, 1, ENOSPC, -1);
    ck_assert(!pu_write_file(p, "x", 1, e, sizeof e));
    expect_err(e, p, strerror(EIO));
    ck_assert_int_eq(arm2.times, 0);
    ck_assert_uint_eq(entries(), 2);
}
END_TEST

START_TEST(stdout_flush)
{
    char e[512] = "";
    pu_out o;
    arm_fail("fflush", 0, 1, EIO, EOF);
    ck_assert(!pu_out_open(&o, "-", e, sizeof e));
    char want[256];
    snprintf(want, sizeof want, "cannot write standard output: %s", strerror(EIO));
    ck_assert_str_eq(e, want);
    /* A write to standard output that fails names it; abandoning standard
     * output leaves it open. Nothing reaches the real standard output. */
    ck_assert(pu_out_open(&o, "-", e, sizeof e));
    arm_fail("write", 0, 1, ENOSPC, -1);
    ck_assert(!pu_out_write(&o, "x", 1, e, sizeof e));
    snprintf(want, sizeof want, "cannot write standard output: %s", strerror(ENOSPC));
    ck_assert_str_eq(e, want);
    pu_out_abort(&o);
    ck_assert_int_ne(fcntl(STDOUT_FILENO, F_GETFD), -1);
}
END_TEST

/* Out of memory while a file grows past the first buffer: ENOMEM, and the
 * message says so. */
START_TEST(read_out_of_memory)
{
    const char *p = in_dir("big");
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 70000; i++)
        fputc('x', f);
    fclose(f);
    char e[512] = "", *data = NULL, want[256];
    size_t len;
    arm_fail("realloc", 0, 1, ENOMEM, 0);
    errno = 0;
    ck_assert(!pu_read_file(p, 0, &data, &len, e, sizeof e));
    ck_assert_int_eq(errno, ENOMEM);
    snprintf(want, sizeof want, "out of memory reading %s", p);
    ck_assert_str_eq(e, want);
}
END_TEST

/* A read that fails inside stdio: with errno, that error; without one
 * (stdio need not set it), EIO. Also the one-byte read past a file of
 * exactly the limit's size: its failure is a read error, not a size. */
START_TEST(read_errors)
{
    const char *p = in_dir("limit");
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 65536; i++)
        fputc('x', f);
    fclose(f);
    char e[512] = "", *data = NULL, want[256];
    size_t len;
    snprintf(want, sizeof want, "cannot read %s: %s", p, strerror(EIO));
    arm_fail("fread", 0, 1, 0, 0);
    arm_also("ferror", 0, 1, 0, 0);
    ck_assert(!pu_read_file(p, 0, &data, &len, e, sizeof e));
    ck_assert_int_eq(errno, EIO);
    ck_assert_str_eq(e, want);
    arm_fail("fread", 1, 1, EIO, 0); /* the probe past the limit */
    arm_also("ferror", 0, 1, 0, 0);
    ck_assert(!pu_read_file(p, 65536, &data, &len, e, sizeof e));
    ck_assert_int_eq(errno, EIO);
    ck_assert_str_eq(e, want);
    ck_assert_int_eq(arm.times + arm2.times, 0);
    /* Unarmed: exactly the limit is read whole. */
    memset(&arm, 0, sizeof arm);
    memset(&arm2, 0, sizeof arm2);
    ck_assert_msg(pu_read_file(p, 65536, &data, &len, e, sizeof e), "%s", e);
    ck_assert_uint_eq(len, 65536);
    free(data);
}
END_TEST

/* A character device is written in place: judging it needs no temporary
 * file, so the directory's write permission is not asked (pu_out_check
 * only looks; nothing is opened for writing). A regular file is. */
START_TEST(device_in_place)
{
    char e[512] = "";
    arm_fail("faccessat", 0, 1, EACCES, -1);
    ck_assert_msg(pu_out_check("/dev/null", e, sizeof e), "%s", e);
    ck_assert_int_eq(arm.times, 1);
    const char *p = in_dir("plain.txt");
    ck_assert(!pu_out_check(p, e, sizeof e));
    expect_err(e, p, strerror(EACCES));
    ck_assert_int_eq(arm.times, 0);
}
END_TEST

/* Every temporary name taken (EEXIST, 100 times): the writer gives up with
 * that error, and leaves nothing; another error ends the tries at once. */
START_TEST(temp_names_exhausted)
{
    char e[512] = "";
    const char *p = in_dir("new.txt");
    arm_fail("openat", 0, 100, EEXIST, -1);
    ck_assert(!pu_write_file(p, "abc", 3, e, sizeof e));
    expect_err(e, p, strerror(EEXIST));
    ck_assert_int_eq(arm.times, 0);
    ck_assert_uint_eq(entries(), 0);
    /* Any other error is not retried. */
    arm_fail("openat", 0, 2, EDQUOT, -1);
    ck_assert(!pu_write_file(p, "abc", 3, e, sizeof e));
    expect_err(e, p, strerror(EDQUOT));
    ck_assert_int_eq(arm.times, 1);
    ck_assert_uint_eq(entries(), 0);
}
END_TEST

/* Out of memory for the name of the target's directory: refused before
 * anything is opened or written. */
START_TEST(out_of_memory_for_directory)
{
    char e[512] = "";
    const char *p = in_dir("new.txt");
    arm_fail("malloc", 0, 1, ENOMEM, 0);
    ck_assert(!pu_write_file(p, "abc", 3, e, sizeof e));
    expect_err(e, p, "out of memory");
    ck_assert_uint_eq(entries(), 0);
}
END_TEST

static Suite *syscalls_suite(void)
{
    Suite *s = suite_create("util_syscalls");
    TCase *tc = tcase_create("failures");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, commit_failures);
    tcase_add_test(tc, commit_tolerated);
    tcase_add_test(tc, temp_names);
    tcase_add_test(tc, keep_owner_and_mode);
    tcase_add_test(tc, not_root);
    tcase_add_test(tc, in_place_failures);
    tcase_add_test(tc, stdout_flush);
    tcase_add_test(tc, read_out_of_memory);
    tcase_add_test(tc, out_of_memory_for_directory);
    tcase_add_test(tc, temp_names_exhausted);
    tcase_add_test(tc, read_errors);
    tcase_add_test(tc, device_in_place);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(syscalls_suite());
}
