/* src/cli/annotate.c on its own (tests/CMakeLists.txt links it in): the
 * JSON lines of diagnostics read back for --format github and lint's SARIF
 * log. The compiler writes those lines, so the command line never shows
 * this code a line that lacks a field, holds a number out of range or is
 * not JSON; it must still take each such line as the header says (a field
 * that is not there is empty, a number out of range is none, a line that
 * is not JSON is reported and the others passed on), and the file reads
 * and column conversions must hold for a file or line that is not there. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "cli/annotate.h"
#include "cli/cli.h"
#include "tmpdir.h"

/* cli_error (src/cli/main.c, not linked in): the last message, kept. */
static char said[512];
void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(said, sizeof said, fmt, ap);
    va_end(ap);
}

static char dir[256];

static void setup(void)
{
    strcpy(dir, "/tmp/pw-cli-annotate-XXXXXX");
    ck_assert(mkdtemp(dir));
    said[0] = '\0';
}

static void teardown(void)
{
    ut_tmpdir_remove(dir);
}

/* dir/name holding text; its path in p. */
static void make_file(char *p, size_t cap, const char *name, const char *text)
{
    ck_assert((size_t)snprintf(p, cap, "%s/%s", dir, name) < cap);
    FILE *f = fopen(p, "wb");
    ck_assert(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* ---- cli_named_readable ---------------------------------------------------------- */

START_TEST(named_readable)
{
    char p[300], msg[400];
    make_file(p, sizeof p, "a.pw", "x\n");
    ck_assert(cli_named_readable(p));
    ck_assert_str_eq(said, "");
    /* A directory is refused by name, before fopen (which opens one). */
    ck_assert(!cli_named_readable(dir));
    snprintf(msg, sizeof msg, "cannot read `%s`: %s", dir, strerror(EISDIR));
    ck_assert_str_eq(said, msg);
    /* A FIFO is never opened: that would wait for a writer. */
    snprintf(p, sizeof p, "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    ck_assert(!cli_named_readable(p));
    snprintf(msg, sizeof msg, "cannot read `%s`: not a regular file", p);
    ck_assert_str_eq(said, msg);
    snprintf(p, sizeof p, "%s/missing.pw", dir);
    ck_assert(!cli_named_readable(p));
    snprintf(msg, sizeof msg, "cannot read `%s`: %s", p, strerror(ENOENT));
    ck_assert_str_eq(said, msg);
}
END_TEST

/* ---- cli_read_line, cli_codepoint_column ----------------------------------------- */

START_TEST(read_line)
{
    char p[300];
    make_file(p, sizeof p, "l.pw", "one\n\nthree"); /* no newline at the end */
    pd_buf b = {0};
    ck_assert(cli_read_line(p, 1, &b));
    ck_assert_str_eq(b.data, "one");
    pd_buf_free(&b);
    ck_assert(cli_read_line(p, 2, &b)); /* an empty line is there */
    ck_assert_ptr_null(b.data);
    ck_assert(cli_read_line(p, 3, &b));
    ck_assert_str_eq(b.data, "three");
    pd_buf_free(&b);
    ck_assert(!cli_read_line(p, 4, &b)); /* past the end */
    ck_assert_ptr_null(b.data);
    snprintf(p, sizeof p, "%s/missing.pw", dir);
    ck_assert(!cli_read_line(p, 1, &b));
    ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(codepoint_column)
{
    char p[300];
    make_file(p, sizeof p, "u.pw", "x\n\"\xc3\xa9\xc3\xa9\" b\n\n");
    /* `b` is byte 7 of line 2 and code point 5. */
    ck_assert_uint_eq(cli_codepoint_column(p, 2, 7), 5);
    ck_assert_uint_eq(cli_codepoint_column(p, 2, 1), 1);
    /* An empty line, a line past the end, a file not there: the byte column. */
    ck_assert_uint_eq(cli_codepoint_column(p, 3, 4), 4);
    ck_assert_uint_eq(cli_codepoint_column(p, 9, 7), 7);
    snprintf(p, sizeof p, "%s/missing.pw", dir);
    ck_assert_uint_eq(cli_codepoint_column(p, 2, 7), 7);
}
END_TEST

/* ---- cli_read_json_diags --------------------------------------------------------- */

typedef struct seen {
    size_t n;
    cli_json_diag d[8];
    char code[8][32], file[8][300], message[8][512];
} seen;

static void keep(void *user, const cli_json_diag *d)
{
    seen *s = user;
    ck_assert_uint_lt(s->n, 8);
    size_t i = s->n++;
    s->d[i] = *d;
    snprintf(s->code[i], sizeof s->code[i], "%s", d->code);
    snprintf(s->file[i], sizeof s->file[i], "%s", d->file ? d->file : "(none)");
    snprintf(s->message[i], sizeof s->message[i], "%s", d->message);
}

START_TEST(json_fields_missing)
{
    seen s = {0};
    /* No code, file, message; a note without a place, one without text. */
    ck_assert(cli_read_json_diags("{\"severity\":\"note\",\"notes\":[{\"message\":\"see here\"},"
                                  "{\"file\":\"x.pw\",\"line\":2,\"column\":3}]}\n"
                                  "{\"severity\":\"warning\",\"message\":\"w\",\"notes\":[{}]}\n"
                                  "{\"severity\":\"fatal\",\"message\":\"e\"}\n"
                                  "{\"message\":\"m\",\"severity\":7}",
                                  keep, &s));
    ck_assert_uint_eq(s.n, 4);
    ck_assert_str_eq(s.code[0], "");
    ck_assert_int_eq(s.d[0].severity, PD_NOTE);
    ck_assert_str_eq(s.file[0], "(none)");
    ck_assert_uint_eq(s.d[0].line, 0);
    ck_assert_str_eq(s.message[0], "\nnote: see here\nx.pw:2:3: note: ");
    ck_assert_int_eq(s.d[1].severity, PD_WARNING);
    ck_assert_str_eq(s.message[1], "w\nnote: ");
    /* A severity the renderer does not write, or not a string: an error. */
    ck_assert_int_eq(s.d[2].severity, PD_ERROR);
    ck_assert_int_eq(s.d[3].severity, PD_ERROR);
    ck_assert_str_eq(s.message[3], "m");
}
END_TEST

START_TEST(json_places)
{
    char p[300], line[1200];
    make_file(p, sizeof p, "u.pw", "x\n\"\xc3\xa9\xc3\xa9\" b\n");
    seen s = {0};
    /* Columns become code points; an end before the start is the start. */
    snprintf(line, sizeof line,
             "{\"code\":\"E0402\",\"file\":\"%s\",\"line\":2,\"column\":7,\"end_line\":1,\"end_column\":8,"
             "\"message\":\"m\"}\n",
             p);
    ck_assert(cli_read_json_diags(line, keep, &s));
    ck_assert_uint_eq(s.n, 1);
    ck_assert_str_eq(s.code[0], "E0402");
    ck_assert_uint_eq(s.d[0].line, 2);
    ck_assert_uint_eq(s.d[0].end_line, 2);
    ck_assert_uint_eq(s.d[0].column, 5);
    ck_assert_uint_eq(s.d[0].end_column, 6);
    /* Numbers out of range or not numbers are none: no line, no columns. */
    snprintf(line, sizeof line,
             "{\"file\":\"%s\",\"line\":0,\"column\":-4,\"end_line\":4e9,\"end_column\":\"8\"}", p);
    ck_assert(cli_read_json_diags(line, keep, &s));
    ck_assert_uint_eq(s.n, 2);
    ck_assert_str_eq(s.file[1], p);
    ck_assert_uint_eq(s.d[1].line, 0);
    ck_assert_uint_eq(s.d[1].end_line, 0);
    ck_assert_uint_eq(s.d[1].column, 0);
    ck_assert_uint_eq(s.d[1].end_column, 0);
}
END_TEST

START_TEST(json_not_json)
{
    seen s = {0};
    /* Blank lines are skipped; a line that is not JSON makes the answer
     * false, and the lines around it are still passed on. */
    ck_assert(!cli_read_json_diags("\n{\"message\":\"a\"}\n\nnot json\n{\"message\":\"b\"}\n", keep, &s));
    ck_assert_uint_eq(s.n, 2);
    ck_assert_str_eq(s.message[0], "a");
    ck_assert_str_eq(s.message[1], "b");
    ck_assert(cli_read_json_diags("", keep, &s));
    ck_assert(cli_read_json_diags(NULL, keep, &s));
    ck_assert_uint_eq(s.n, 2);
}
END_TEST

/* ---- cli_annotate_json, cli_annotate_sink ---------------------------------------- */

START_TEST(annotate_json)
{
    pd_buf out = {0};
    ck_assert(cli_annotate_json("{\"code\":\"PW101\",\"severity\":\"warning\",\"message\":\"unused\","
                                "\"notes\":[{\"message\":\"n\"}]}\n",
                                &out));
    ck_assert_str_eq(out.data, "::warning title=PW101::unused%0Anote: n\n");
    ck_assert(!cli_annotate_json("{", &out));
    pd_buf_free(&out);
}
END_TEST

/* Runs cli_annotate_sink(rendered) with standard output and error in files,
 * into out and err. */
static void sink_run(const char *rendered, char *out, char *err, size_t cap)
{
    char po[300], pe[300];
    snprintf(po, sizeof po, "%s/out", dir);
    snprintf(pe, sizeof pe, "%s/err", dir);
    fflush(NULL);
    int keep1 = dup(1), keep2 = dup(2);
    int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600), fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert(keep1 >= 0 && keep2 >= 0 && fo >= 0 && fe >= 0);
    ck_assert(dup2(fo, 1) == 1 && dup2(fe, 2) == 2);
    cli_diag_sink sink = {stdout, false};
    cli_annotate_sink(&sink, rendered);
    fflush(NULL);
    ck_assert(dup2(keep1, 1) == 1 && dup2(keep2, 2) == 2);
    close(fo);
    close(fe);
    close(keep1);
    close(keep2);
    ck_assert(sink.printed);
    FILE *f = fopen(po, "rb");
    out[fread(out, 1, cap - 1, f)] = '\0';
    fclose(f);
    f = fopen(pe, "rb");
    err[fread(err, 1, cap - 1, f)] = '\0';
    fclose(f);
}

START_TEST(annotate_sink)
{
    char out[512], err[512];
    sink_run("{\"code\":\"E0402\",\"message\":\"unknown name\"}\n", out, err, sizeof out);
    ck_assert_str_eq(out, "::error title=E0402::unknown name\n");
    ck_assert_str_eq(err, "");
    /* What cannot be read back is never lost: as it came, on standard error. */
    sink_run("{\"message\":\"a\"}\nnot json\n", out, err, sizeof out);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "{\"message\":\"a\"}\nnot json\n");
    /* Nothing to annotate: nothing printed, yet the sink has spoken. */
    sink_run("\n", out, err, sizeof out);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli_annotate");
    TCase *tc = tcase_create("annotate");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, named_readable);
    tcase_add_test(tc, read_line);
    tcase_add_test(tc, codepoint_column);
    tcase_add_test(tc, json_fields_missing);
    tcase_add_test(tc, json_places);
    tcase_add_test(tc, json_not_json);
    tcase_add_test(tc, annotate_json);
    tcase_add_test(tc, annotate_sink);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
