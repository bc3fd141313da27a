/* Includes through the public API: only regular files are read, an included
 * file that is not rule source is quoted once, include_root confines
 * includes (`..`, absolute paths and symbolic links), and include_resolver
 * decides where an include comes from. Every file lives in a mkdtemp
 * directory of the test's own. */
#define _XOPEN_SOURCE 700 /* mkdtemp, symlink, mkfifo */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "pathway.h"

typedef struct tdir {
    char path[64];
} tdir;

static void tdir_make(tdir *d)
{
    strcpy(d->path, "/tmp/pw_include_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(d->path));
}

static void tdir_path(const tdir *d, const char *name, char *out, size_t len)
{
    snprintf(out, len, "%s/%s", d->path, name);
}

static void tdir_mkdir(const tdir *d, const char *name)
{
    char p[256];
    tdir_path(d, name, p, sizeof p);
    ck_assert_int_eq(mkdir(p, 0700), 0);
}

static void tdir_write(const tdir *d, const char *name, const char *text)
{
    char p[256];
    tdir_path(d, name, p, sizeof p);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void tdir_remove(const tdir *d)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->path);
    ck_assert_int_eq(system(cmd), 0);
}

/* The rendered diagnostics of one compilation. */
typedef struct diags {
    char text[8192];
} diags;

static void on_diags(void *user, const char *rendered)
{
    diags *d = user;
    snprintf(d->text, sizeof d->text, "%s", rendered);
}

static pw_status compile(const tdir *d, const char *name, pw_compile_options *opt, diags *out)
{
    char p[256];
    tdir_path(d, name, p, sizeof p);
    out->text[0] = '\0';
    opt->on_diagnostics = on_diags;
    opt->user = out;
    pw_program *prog = NULL;
    pw_error err;
    pw_status st = pw_compile_file(p, opt, &prog, &err);
    pw_program_free(prog);
    return st;
}

static const char *const rules =
    "facts f { n: integer }\n"
    "program p { require \"r\": n > 1 }\n";

/* The number of quoted source lines ("   12 | ...") in rendered text. */
static int quoted_lines(const char *text)
{
    int n = 0;
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        const char *p = l;
        while (*p == ' ')
            p++;
        if (*p >= '0' && *p <= '9') {
            while (*p >= '0' && *p <= '9')
                p++;
            n += strncmp(p, " | ", 3) == 0;
        }
    }
    return n;
}

START_TEST(test_fifo_and_directory_refused)
{
    tdir d;
    tdir_make(&d);
    char p[256];
    tdir_path(&d, "fifo", p, sizeof p);
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    tdir_mkdir(&d, "dir");
    tdir_write(&d, "a.pw", "include \"fifo\"\n");
    tdir_write(&d, "b.pw", "include \"dir\"\n");
    pw_compile_options opt = {0};
    diags out;
    ck_assert_int_eq(compile(&d, "a.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "a.pw:1:9: error: cannot read `"));
    ck_assert_ptr_nonnull(strstr(out.text, "/fifo`: not a regular file"));
    ck_assert_int_eq(compile(&d, "b.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "/dir`: not a regular file"));
    /* The main file too, through pw_program_open. */
    pw_program *prog = NULL;
    pw_error err;
    ck_assert_int_eq(pw_program_open(p, NULL, &prog, &err), PW_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "not a regular file"));
    tdir_remove(&d);
}
END_TEST

START_TEST(test_not_rule_source_quoted_once)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "passwd",
               "root:x:0:0:root:/root:/bin/bash\n"
               "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
               "secondsecret:x:2:2::/:/bin/sh\n");
    tdir_write(&d, "a.pw", "include \"passwd\"\nfacts f { n: integer }\n");
    pw_compile_options opt = {0};
    diags out;
    ck_assert_int_eq(compile(&d, "a.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "root:x:0:0"));
    ck_assert_ptr_null(strstr(out.text, "daemon"));
    ck_assert_ptr_null(strstr(out.text, "secondsecret"));
    ck_assert_ptr_nonnull(strstr(out.text, "passwd` is not a rule file"));
    ck_assert_int_eq(quoted_lines(out.text), 2); /* its first line, and the include */
    ck_assert_ptr_nonnull(strstr(out.text, "2 errors generated."));
    /* The first error's note would quote another line (the unclosed `{`):
     * it is dropped, so one line is still all that is quoted. */
    tdir_write(&d, "unclosed", "program p { # first-line-secret\n  require \"r\": 1 > 0\n");
    tdir_write(&d, "b.pw", "include \"unclosed\"\n");
    ck_assert_int_eq(compile(&d, "b.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "unterminated `program` block"));
    ck_assert_ptr_null(strstr(out.text, "first-line-secret"));
    ck_assert_int_eq(quoted_lines(out.text), 2);
    tdir_remove(&d);
}
END_TEST

START_TEST(test_include_root)
{
    tdir d;
    tdir_make(&d);
    tdir_mkdir(&d, "root");
    tdir_mkdir(&d, "root/sub");
    tdir_mkdir(&d, "out");
    tdir_write(&d, "out/secret.pw", "# outside_secret\nfacts f { n: integer }\nprogram p { require \"r\": n > 1 }\n");
    tdir_write(&d, "root/sub/inc.pw", rules);
    char target[256], link[256], root[256];
    tdir_path(&d, "out/secret.pw", target, sizeof target);
    tdir_path(&d, "root/sub/link.pw", link, sizeof link);
    tdir_path(&d, "root", root, sizeof root);
    ck_assert_int_eq(symlink(target, link), 0);
    tdir_write(&d, "root/ok.pw", "include \"sub/inc.pw\"\n");
    tdir_write(&d, "root/dotdot.pw", "include \"../out/secret.pw\"\n");
    tdir_write(&d, "root/link.pw", "include \"sub/link.pw\"\n");
    char abs[300];
    snprintf(abs, sizeof abs, "include \"%s\"\n", target);
    tdir_write(&d, "root/abs.pw", abs);

    pw_compile_options opt = {.include_root = root};
    diags out;
    ck_assert_int_eq(compile(&d, "root/ok.pw", &opt, &out), PW_OK);
    ck_assert_int_eq(compile(&d, "root/dotdot.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "include `../out/secret.pw` refused: `"));
    ck_assert_ptr_nonnull(strstr(out.text, "is outside the include root"));
    ck_assert_ptr_null(strstr(out.text, "outside_secret"));
    ck_assert_int_eq(compile(&d, "root/abs.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "refused: an absolute path is outside the include root"));
    ck_assert_int_eq(compile(&d, "root/link.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "include `sub/link.pw` refused"));
    ck_assert_ptr_nonnull(strstr(out.text, "1 error generated."));
    /* Out of the root and missing: refused all the same. */
    tdir_write(&d, "root/missing.pw", "include \"../out/no-such.pw\"\n");
    ck_assert_int_eq(compile(&d, "root/missing.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "include `../out/no-such.pw` refused"));
    ck_assert_ptr_null(strstr(out.text, "No such file"));
    /* Without a root the link is followed. */
    pw_compile_options open_opt = {0};
    ck_assert_int_eq(compile(&d, "root/link.pw", &open_opt, &out), PW_OK);
    /* A root that does not exist is an error, not an open door. */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/nowhere", d.path);
    opt.include_root = missing;
    ck_assert_int_eq(compile(&d, "root/ok.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "/nowhere`: No such file or directory"));
    tdir_remove(&d);
}
END_TEST

/* A resolver that maps `lib:NAME` to a file in its directory and refuses
 * anything else; it records what it was asked. */
typedef struct resolver {
    const char *dir;
    char includer[256];
    int calls;
} resolver;

static char *resolve(void *user, const char *includer, const char *include, char *why, size_t why_size)
{
    resolver *r = user;
    r->calls++;
    snprintf(r->includer, sizeof r->includer, "%s", includer);
    if (strncmp(include, "lib:", 4) != 0) {
        snprintf(why, why_size, "only lib: includes are allowed here");
        return NULL;
    }
    size_t n = strlen(r->dir) + strlen(include) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", r->dir, include + 4);
    return p; /* the library frees it */
}

/* A resolver that refuses without saying why. */
static char *refuse(void *user, const char *includer, const char *include, char *why, size_t why_size)
{
    (void)user, (void)includer, (void)include, (void)why, (void)why_size;
    return NULL;
}

START_TEST(test_include_resolver_silent)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "common.pw", rules);
    tdir_write(&d, "a.pw", "include \"common.pw\"\n");
    pw_compile_options opt = {.include_resolver = refuse};
    diags out;
    ck_assert_int_eq(compile(&d, "a.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "a.pw:1:9: error: include `common.pw` refused: the include resolver refused it"));
    tdir_remove(&d);
}
END_TEST

START_TEST(test_include_resolver)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "common.pw", rules);
    tdir_write(&d, "a.pw", "include \"lib:common.pw\"\n");
    tdir_write(&d, "b.pw", "include \"common.pw\"\n");
    resolver r = {d.path, "", 0};
    pw_compile_options opt = {.include_resolver = resolve, .include_user = &r};
    diags out;
    ck_assert_int_eq(compile(&d, "a.pw", &opt, &out), PW_OK);
    ck_assert_int_eq(r.calls, 1);
    ck_assert_ptr_nonnull(strstr(r.includer, "/a.pw"));
    ck_assert_int_eq(compile(&d, "b.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "b.pw:1:9: error: include `common.pw` refused: only lib: includes are allowed here"));
    /* With a root too, the resolver's answer must still be under it. */
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub", d.path);
    tdir_mkdir(&d, "sub");
    opt.include_root = sub;
    ck_assert_int_eq(compile(&d, "a.pw", &opt, &out), PW_ERR_COMPILE);
    ck_assert_ptr_nonnull(strstr(out.text, "is outside the include root"));
    tdir_remove(&d);
}
END_TEST

static Suite *include_suite(void)
{
    Suite *s = suite_create("include");
    TCase *tc = tcase_create("include");
    tcase_add_test(tc, test_fifo_and_directory_refused);
    tcase_add_test(tc, test_not_rule_source_quoted_once);
    tcase_add_test(tc, test_include_root);
    tcase_add_test(tc, test_include_resolver);
    tcase_add_test(tc, test_include_resolver_silent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(include_suite());
}
