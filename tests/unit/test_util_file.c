/* src/util/file.c at the edges a real file system can show (each test in
 * its own mktemp directory): the size limit exactly met and just passed,
 * reading a directory, names that are not file names, a name too long, a
 * fifo, the root directory, and an output abandoned before its commit.
 * Failures of the system calls themselves (fsync, rename, close) are not
 * reached here. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "tmpdir.h"
#include "util/file.h"

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/pw_util_file.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    ut_tmpdir_remove(dir);
}

static const char *in_dir(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void write_bytes(const char *path, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < n; i++)
        fputc('x', f);
    ck_assert_int_eq(fclose(f), 0);
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

/* The limit in bytes: a file of exactly that size is read, one byte more
 * is refused (EFBIG), at the first buffer's size and below it. */
START_TEST(read_limits)
{
    char err[4096], *data;
    size_t len;
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("big"));
    write_bytes(path, 65536);
    ck_assert_msg(pu_read_file(path, 65536, &data, &len, err, sizeof err), "%s", err);
    ck_assert_uint_eq(len, 65536);
    free(data);
    write_bytes(path, 65537);
    errno = 0;
    ck_assert(!pu_read_file(path, 65536, &data, &len, err, sizeof err));
    ck_assert_int_eq(errno, EFBIG);
    char want[4096];
    snprintf(want, sizeof want, "%s is larger than the limit of 65536 bytes", path);
    ck_assert_str_eq(err, want);
    write_bytes(path, 11);
    ck_assert(!pu_read_file(path, 10, &data, &len, err, sizeof err));
    ck_assert_int_eq(errno, EFBIG);
    snprintf(want, sizeof want, "%s is larger than the limit of 10 bytes", path);
    ck_assert_str_eq(err, want);
    ck_assert(pu_read_file(path, 11, &data, &len, err, sizeof err));
    ck_assert_uint_eq(len, 11);
    free(data);
}
END_TEST

/* A directory opens but cannot be read. */
START_TEST(read_directory)
{
    char err[4096], *data = NULL;
    size_t len;
    errno = 0;
    ck_assert(!pu_read_file(dir, 0, &data, &len, err, sizeof err));
    ck_assert_int_eq(errno, EISDIR);
    char want[4096];
    snprintf(want, sizeof want, "cannot read %s: %s", dir, strerror(EISDIR));
    ck_assert_str_eq(err, want);
}
END_TEST

/* Outputs that name no file, or a file in something that is not a
 * directory, or a name the file system cannot hold. */
START_TEST(out_bad_names)
{
    char err[4096], want[4096];
    ck_assert(!pu_out_check("", err, sizeof err));
    ck_assert_str_eq(err, "cannot write ``: no file name");
    char p[512];
    snprintf(p, sizeof p, "%s/..", dir);
    ck_assert(!pu_out_check(p, err, sizeof err));
    snprintf(want, sizeof want, "cannot write %s: it names a directory; give a file name", p);
    ck_assert_str_eq(err, want);
    snprintf(p, sizeof p, "%s/.", dir);
    ck_assert(!pu_out_check(p, err, sizeof err));
    snprintf(want, sizeof want, "cannot write %s: it names a directory; give a file name", p);
    ck_assert_str_eq(err, want);

    char file[256];
    snprintf(file, sizeof file, "%s", in_dir("plain"));
    write_bytes(file, 1);
    snprintf(p, sizeof p, "%s/x", file);
    ck_assert(!pu_out_check(p, err, sizeof err));
    snprintf(want, sizeof want, "cannot write %s: cannot open its directory %s: %s", p, file, strerror(ENOTDIR));
    ck_assert_str_eq(err, want);
    /* Deeper below a file: the directory cannot even be looked at. */
    char sub[sizeof file + 8];
    snprintf(sub, sizeof sub, "%s/sub", file);
    snprintf(p, sizeof p, "%s/x", sub);
    ck_assert(!pu_out_check(p, err, sizeof err));
    snprintf(want, sizeof want, "cannot write %s: cannot open its directory %s: %s", p, sub, strerror(ENOTDIR));
    ck_assert_str_eq(err, want);
    /* A loop of symbolic links on the way (ELOOP) is no link to name. */
    char loop[256];
    snprintf(loop, sizeof loop, "%s", in_dir("loop"));
    ck_assert_int_eq(symlink("loop", loop), 0);
    snprintf(sub, sizeof sub, "%s/sub", loop);
    snprintf(p, sizeof p, "%s/x", sub);
    ck_assert(!pu_out_check(p, err, sizeof err));
    snprintf(want, sizeof want, "cannot write %s: cannot open its directory %s: %s", p, sub, strerror(ELOOP));
    ck_assert_str_eq(err, want);
    /* A directory that is a link (named, not followed), one that is not. */
    char link_dir[256];
    snprintf(link_dir, sizeof link_dir, "%s", in_dir("link"));
    ck_assert_int_eq(symlink(".", link_dir), 0);
    snprintf(p, sizeof p, "%s/x", link_dir);
    ck_assert(!pu_out_check(p, err, sizeof err));
    snprintf(want, sizeof want, "cannot write %s: its directory %s is a symbolic link; name the directory it points to",
             p, link_dir);
    ck_assert_str_eq(err, want);
    snprintf(sub, sizeof sub, "%s", in_dir("missing"));
    snprintf(p, sizeof p, "%s/x", sub);
    ck_assert(!pu_out_check(p, err, sizeof err));
    snprintf(want, sizeof want, "cannot write %s: cannot open its directory %s: %s", p, sub, strerror(ENOENT));
    ck_assert_str_eq(err, want);

    char name[300];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    snprintf(p, sizeof p, "%s/%s", dir, name);
    ck_assert(!pu_out_check(p, err, sizeof err));
    snprintf(want, sizeof want, "cannot write %s: %s", p, strerror(ENAMETOOLONG));
    ck_assert_str_eq(err, want);
}
END_TEST

/* Standard output, a fifo (written in place, not opened by the check) and
 * a file directly under / (its directory is "/") pass the check. */
START_TEST(out_check_kinds)
{
    char err[512] = "";
    ck_assert(pu_out_check("-", err, sizeof err));
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s", in_dir("fifo"));
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_msg(pu_out_check(fifo, err, sizeof err), "%s", err);
    /* Nothing is created by the check; as another user than root, "/"
     * is not writable and says so. */
    bool ok = pu_out_check("/pathway-coverage-no-such-file", err, sizeof err);
    if (geteuid() == 0)
        ck_assert_msg(ok, "%s", err);
    else
        ck_assert_str_eq(err, "cannot write /pathway-coverage-no-such-file: Permission denied");
    ck_assert_int_eq(access("/pathway-coverage-no-such-file", F_OK), -1);
}
END_TEST

/* An output abandoned before its commit leaves neither the target nor its
 * temporary file. */
START_TEST(out_abort)
{
    char err[512];
    pu_out o;
    char target[256];
    snprintf(target, sizeof target, "%s", in_dir("out.txt"));
    ck_assert_msg(pu_out_open(&o, target, err, sizeof err), "%s", err);
    ck_assert(pu_out_write(&o, "abc", 3, err, sizeof err));
    ck_assert_uint_eq(entries(), 1); /* the temporary file */
    pu_out_abort(&o);
    ck_assert_uint_eq(entries(), 0);
    ck_assert_int_eq(o.fd, -1);
    ck_assert_int_eq(o.dir, -1);
}
END_TEST

static Suite *file_suite(void)
{
    Suite *s = suite_create("util_file");
    TCase *tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, read_limits);
    tcase_add_test(tc, read_directory);
    tcase_add_test(tc, out_bad_names);
    tcase_add_test(tc, out_check_kinds);
    tcase_add_test(tc, out_abort);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(file_suite());
}
