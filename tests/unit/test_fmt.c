/* The formatter (src/fmt, docs/fmt.md): spacing, indentation, comments,
 * blank lines, line ends, files that do not parse, and the unified diff.
 * Most cases are table rows: input -> the exact formatted text. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "fmt/fmt.h"
#include "parser.h"

/* ---- helpers ------------------------------------------------------------------ */

typedef struct fx {
    pm_arena arena;
    ps_sources src;
    pd_list diags;
    pd_buf out;
    fm_status st;
} fx;

static void fx_format(fx *f, const char *text, size_t len)
{
    pm_init(&f->arena, 0);
    ps_init(&f->src, &f->arena);
    pd_init(&f->diags, &f->arena, 0);
    memset(&f->out, 0, sizeof f->out);
    int file = ps_add(&f->src, "t.pw", NULL, text, len);
    ck_assert_int_ge(file, 0);
    f->st = fm_format(&f->src, (uint32_t)file, &f->diags, &f->out);
}

static void fx_free(fx *f)
{
    pd_buf_free(&f->out);
    ps_fini(&f->src);
    pm_free(&f->arena);
}

/* Formats `in`, which must parse, and checks the result is `want`, and that
 * formatting `want` gives `want` again. */
static void check_format_n(const char *in, size_t len, const char *want)
{
    fx f;
    fx_format(&f, in, len);
    ck_assert_msg(f.st == FM_OK, "does not format:\n%s", in);
    const char *got = f.out.data ? f.out.data : "";
    ck_assert_msg(f.out.len == strlen(want) && memcmp(got, want, f.out.len) == 0,
                  "input:\n%s\nwant:\n%s\ngot:\n%s", in, want, got);
    fx_free(&f);
    fx again;
    fx_format(&again, want, strlen(want));
    ck_assert(again.st == FM_OK);
    ck_assert_str_eq(again.out.data ? again.out.data : "", want);
    fx_free(&again);
}

static void check_format(const char *in, const char *want) { check_format_n(in, strlen(in), want); }

typedef struct row {
    const char *in, *want;
} row;

#define ROWS(rows) (int)(sizeof rows / sizeof *rows)

/* ---- spacing within a line ----------------------------------------------------- */

static const row spacing[] = {
    {"define  x=1+2*3", "define x = 1 + 2 * 3\n"},
    {"define x = max( 1 ,2 )", "define x = max(1, 2)\n"},
    {"define x = - 1", "define x = -1\n"},
    {"define x = 1 - - 1", "define x = 1 - -1\n"},
    {"define x = 1-2", "define x = 1 - 2\n"},
    {"define x = ( - y )", "define x = (-y)\n"},
    {"define x = max(0,-y)", "define x = max(0, -y)\n"},
    {"define x = y . z . w", "define x = y.z.w\n"},
    {"define x = \"a\" in [ \"a\" , \"b\" ]", "define x = \"a\" in [\"a\", \"b\"]\n"},
    {"define x = [ ]", "define x = []\n"},
    {"define f( a : text , b:integer ) : boolean = a = \"x\"",
     "define f(a: text, b: integer): boolean = a = \"x\"\n"},
    {"define x = years since(birth_date)", "define x = years since (birth_date)\n"},
    {"define x = not(a or b)", "define x = not (a or b)\n"},
    {"define x = a is not none", "define x = a is not none\n"},
    {"define x = if a then b else c", "define x = if a then b else c\n"},
    {"define x = today+90 days", "define x = today + 90 days\n"},
    {"define x = (sum c.hours for c in cs where c.ok)>=10",
     "define x = (sum c.hours for c in cs where c.ok) >= 10\n"},
    {"define x = 2.5*-1", "define x = 2.5 * -1\n"},
    {"define x = 2026-01-01 - 1 day", "define x = 2026-01-01 - 1 day\n"},
    {"facts c { a : date ? = none }", "facts c { a: date? = none }\n"},
    {"facts c {a:integer>=0<=10}", "facts c { a: integer >= 0 <= 10 }\n"},
    {"facts c { xs : list of r = [] }", "facts c { xs: list of r = [] }\n"},
    {"program p { }", "program p {}\n"},
    {"program p{hours -1}", "program p { hours -1 }\n"},
    {"program p { grants \"x\" valid for 4 years }", "program p { grants \"x\" valid for 4 years }\n"},
    /* the date forms: an operand after `following` or a part word is not
     * an attribute, and `-` after it subtracts */
    {"program p { grants \"x\" valid until 1 January following granted+5 years-1 day }",
     "program p { grants \"x\" valid until 1 January following granted + 5 years - 1 day }\n"},
    {"program p {\nrequire \"a\": day d of month m of year y-1 day > today\nhours 3\n}\n",
     "program p {\n  require \"a\": day d of month m of year y - 1 day > today\n  hours 3\n}\n"},
    {"program p {\nduration 1 day\nhours 3\n}\n", "program p {\n  duration 1 day\n  hours 3\n}\n"},
    {"define x = today-n months", "define x = today - n months\n"},
    {"define x = 31 August of(year of today+1)", "define x = 31 August of (year of today + 1)\n"},
    {"program p { require \"a\" : x>=1 citing \"c\" }",
     "program p { require \"a\": x >= 1 citing \"c\" }\n"},
    {"example e = {a:1,b:[1 -2],c:{d:-2.5}}", "example e = { a: 1, b: [1 -2], c: { d: -2.5 } }\n"},
    {"example e = {xs:[{a:1},{a:2}]}", "example e = { xs: [{ a: 1 }, { a: 2 }] }\n"},
    {"example e = base with{a:none}", "example e = base with { a: none }\n"},
    {"test \"t\" { as of 2026-01-01 given e expect p not eligible unmet \"a\" , \"b\" }",
     "test \"t\" { as of 2026-01-01 given e expect p not eligible unmet \"a\", \"b\" }\n"},
    {"include   \"x.pw\"", "include \"x.pw\"\n"},
};

START_TEST(test_spacing)
{
    check_format(spacing[_i].in, spacing[_i].want);
}
END_TEST

/* ---- indentation ---------------------------------------------------------------- */

static const row indentation[] = {
    /* statements in blocks; tabs and stray indentation do not matter */
    {"program p {\n\t\thours 6\n format \"online\"\n      require \"a\": x\n}\n",
     "program p {\n  hours 6\n  format \"online\"\n  require \"a\": x\n}\n"},
    /* clauses +2, condition lines +4 */
    {"program p {\nrequire \"a\":\nx or y\nciting \"c\"\nassuming \"d\"\nrequire \"b\": z\n}\n",
     "program p {\n  require \"a\":\n      x or y\n    citing \"c\"\n    assuming \"d\"\n"
     "  require \"b\": z\n}\n"},
    {"program p {\nrequire \"a\": x\nor y\nor z\neffective from 2026-01-01\n}\n",
     "program p {\n  require \"a\": x\n      or y\n      or z\n    effective from 2026-01-01\n}\n"},
    /* group members */
    {"program p {\nrequire \"g\": any of {\n\"m\":\nx\nor y\nciting \"c\"\n\"n\": z\n} citing \"q\"\n"
     "assuming \"r\"\n}\n",
     "program p {\n  require \"g\": any of {\n    \"m\":\n        x\n        or y\n      citing \"c\"\n"
     "    \"n\": z\n  } citing \"q\"\n    assuming \"r\"\n}\n"},
    {"program p {\nrequire \"g\": at least 1 of {\n\"m\": all of {\n\"n\": x\n}\n}\n}\n",
     "program p {\n  require \"g\": at least 1 of {\n    \"m\": all of {\n      \"n\": x\n    }\n  }\n}\n"},
    /* a group whose `{` starts a line */
    {"program p {\nrequire \"g\": any of\n{\n\"m\": x\n}\n}\n",
     "program p {\n  require \"g\": any of\n  {\n    \"m\": x\n  }\n}\n"},
    /* program header clauses and a `{` on its own line */
    {"program p \"P\"\neffective from 2026-01-01\nassuming \"a\"\n{\nhours 1\n}\n",
     "program p \"P\"\n  effective from 2026-01-01\n  assuming \"a\"\n{\n  hours 1\n}\n"},
    /* a declaration's block goes with the declaration, wherever its `{` is */
    {"program p\n\"P\" {\nhours 1\n}\n", "program p\n    \"P\" {\n  hours 1\n}\n"},
    /* definitions continue +2; after `where`, one step more */
    {"define g =\nany y in ys where\ny.a > 1\nand y.b\n", "define g =\n  any y in ys where\n    y.a > 1\n    and y.b\n"},
    {"define g = any y in ys where\ny.a > 1\n", "define g = any y in ys where\n  y.a > 1\n"},
    {"define g = a or\n(any y in ys where\ny.ok)\nor b\n",
     "define g = a or\n  (any y in ys where\n      y.ok)\n  or b\n"},
    {"program p {\nrequire \"a\": any y in ys where\ny.ok\nciting \"c\"\n}\n",
     "program p {\n  require \"a\": any y in ys where\n      y.ok\n    citing \"c\"\n}\n"},
    {"define f(a: integer,\nb: integer) = a\n", "define f(a: integer,\n  b: integer) = a\n"},
    /* fields and entries */
    {"facts c {\na:\ninteger\nb: text? =\nnone\n}\n", "facts c {\n  a:\n    integer\n  b: text? =\n    none\n}\n"},
    /* brackets: a step per bracket still open, closers back to the opener */
    {"example e = {\nxs: [\n{ a: 1 },\n{ a: 2 }\n]\n}\n",
     "example e = {\n  xs: [\n    { a: 1 },\n    { a: 2 }\n  ]\n}\n"},
    {"example e = {\nxs: [{\na: 1\n}]\n}\n", "example e = {\n  xs: [{\n      a: 1\n  }]\n}\n"},
    {"example e =\n{\na: 1\n}\n", "example e =\n{\n  a: 1\n}\n"},
    /* tests: clauses of an expectation +4, label lists +2 */
    {"test \"t\" {\nas of 2026-01-01\ngiven e with {\na: 1\n}\nexpect p not eligible unmet \"a\",\n\"b\"\n"
     "advise \"c\",\n\"d\"\nprefer unmet\n\"e\"\nexpect q\neligible\n}\n",
     "test \"t\" {\n  as of 2026-01-01\n  given e with {\n    a: 1\n  }\n"
     "  expect p not eligible unmet \"a\",\n    \"b\"\n      advise \"c\",\n        \"d\"\n"
     "      prefer unmet\n        \"e\"\n  expect q\n    eligible\n}\n"},
    {"test \"t\" {\nexpect p not eligible\nunmet \"a\"\n}\n",
     "test \"t\" {\n  expect p not eligible\n      unmet \"a\"\n}\n"},
    /* a top-level statement that continues */
    {"include\n\"x.pw\"\n", "include\n  \"x.pw\"\n"},
};

START_TEST(test_indentation)
{
    check_format(indentation[_i].in, indentation[_i].want);
}
END_TEST

/* ---- comments --------------------------------------------------------------------- */

static const row comments[] = {
    /* on its own line: indented like the code below it */
    {"# top\nfacts c {\n        # about a\na: text\n}\n", "# top\nfacts c {\n  # about a\n  a: text\n}\n"},
    /* last in a block: the block's indentation */
    {"facts c {\na: text\n# last\n}\n", "facts c {\n  a: text\n  # last\n}\n"},
    {"program p {\nrequire \"g\": any of {\n\"m\": x\n          # last member\n}\n}\n",
     "program p {\n  require \"g\": any of {\n    \"m\": x\n    # last member\n  }\n}\n"},
    /* before a continuation line: with it */
    {"program p {\nrequire \"a\":\n# why\nx\n}\n", "program p {\n  require \"a\":\n      # why\n      x\n}\n"},
    /* at the end of the file */
    {"define x = 1\n    # end", "define x = 1\n# end\n"},
    {"# only a comment", "# only a comment\n"},
    /* trailing: two spaces after the longest code of the run */
    {"facts c {\na: text # x\nbbbb: integer       # y\n}\n",
     "facts c {\n  a: text        # x\n  bbbb: integer  # y\n}\n"},
    /* a line without one ends the run, as a blank line does */
    {"facts c {\na: text # x\nbbbbbbbbbb: text\nc: text # y\n\nd: integer # z\n}\n",
     "facts c {\n  a: text  # x\n  bbbbbbbbbb: text\n  c: text  # y\n\n  d: integer  # z\n}\n"},
    /* a comment under a trailing one, in its column, continues it */
    {"facts c {\na: text   # one\n          # two\nbb: text # three\n# own\n}\n",
     "facts c {\n  a: text   # one\n            # two\n  bb: text  # three\n  # own\n}\n"},
    /* indented into that column: a continuation too (so that formatting
     * the output again reads it the same way) */
    {"define x =\n  ((  # c\n# d\n1))  # e\n",
     "define x =\n  ((       # c\n           # d\n      1))  # e\n"},
    /* not in its column: a comment of its own */
    {"facts c {\na: text   # one\n  # two\nb: text\n}\n", "facts c {\n  a: text  # one\n  # two\n  b: text\n}\n"},
    /* after an opening bracket, and a `#` inside a string is not a comment */
    {"program p {   # the program\nrequire \"a # b\": x # c # d\n}\n",
     "program p {           # the program\n  require \"a # b\": x  # c # d\n}\n"},
    /* the text of a comment is kept, trailing blanks aside */
    {"#no space  \t\n#\n##  two\n", "#no space\n#\n##  two\n"},
};

START_TEST(test_comments)
{
    check_format(comments[_i].in, comments[_i].want);
}
END_TEST

/* ---- blank lines, line ends ---------------------------------------------------------- */

static const row blanks[] = {
    {"\n\n\ndefine x = 1\n", "define x = 1\n"},
    {"define x = 1\n\n\n\ndefine y = 2\n\n\n", "define x = 1\n\ndefine y = 2\n"},
    {"facts c {\n\n\na: text\n\n\nb: text\n\n}\n", "facts c {\n  a: text\n\n  b: text\n}\n"},
    {"facts c {  # c\n\na: text\n}\n", "facts c {  # c\n  a: text\n}\n"},
    {"define x = [\n\n1\n\n]\n", "define x = [\n  1\n]\n"},
    {"define x = 1", "define x = 1\n"},
    {"  \t define x = 1   \t", "define x = 1\n"},
    {"# a\n\n\n# b\n", "# a\n\n# b\n"},
    {"", ""},
    {" \n\t\n", ""},
};

START_TEST(test_blank_lines)
{
    check_format(blanks[_i].in, blanks[_i].want);
}
END_TEST

START_TEST(test_crlf)
{
    check_format("# a\r\nfacts c {\r\n  a: text   # b \r\n}\r\n", "# a\nfacts c {\n  a: text  # b\n}\n");
}
END_TEST

START_TEST(test_bom)
{
    check_format("\xEF\xBB\xBF# a\ndefine x = 1\n", "# a\ndefine x = 1\n");
    /* it takes no column: the comment below continues the one above */
    check_format("\xEF\xBB\xBF" "define x = 1 # a\n             # b\n", "define x = 1  # a\n              # b\n");
}
END_TEST

START_TEST(test_utf8_alignment)
{
    /* Columns count characters, not bytes. */
    check_format("program p {\nrequire \"é\": x # a\nrequire \"ee\": x # b\n}\n",
                 "program p {\n  require \"é\": x   # a\n  require \"ee\": x  # b\n}\n");
}
END_TEST

START_TEST(test_nul_in_comment)
{
    /* A NUL byte in a comment is still the comment's text. */
    static const char in[] = "# a\0b\ndefine  x = 1\n", want[] = "# a\0b\ndefine x = 1\n";
    fx f;
    fx_format(&f, in, sizeof in - 1);
    ck_assert_int_eq(f.st, FM_OK);
    ck_assert_uint_eq(f.out.len, sizeof want - 1);
    ck_assert(memcmp(f.out.data, want, sizeof want - 1) == 0);
    fx_free(&f);
}
END_TEST

/* ---- files that do not parse --------------------------------------------------------- */

static const char *const broken[] = {
    "program p {\n  require \"a\" x\n}\n",
    "program p {\n",
    "define x = 1 +\n",
    "define x = \"unterminated\n",
    "define x = 2026-02-30\n",
    "define x = a == b\n",
};

START_TEST(test_syntax_error)
{
    fx f;
    fx_format(&f, broken[_i], strlen(broken[_i]));
    ck_assert_int_eq(f.st, FM_SYNTAX);
    ck_assert_uint_ge(f.diags.errors, 1);
    ck_assert_ptr_nonnull(f.diags.head);
    ck_assert_ptr_null(f.out.data);
    fx_free(&f);
}
END_TEST

START_TEST(test_not_checked)
{
    /* Only parsing matters: unknown names are formatted all the same. */
    check_format("program p{require \"a\":nonsense(1)>=\"x\"}", "program p { require \"a\": nonsense(1) >= \"x\" }\n");
}
END_TEST

/* ---- scanning ------------------------------------------------------------------------- */

START_TEST(test_scan_comments)
{
    pm_arena arena;
    pm_init(&arena, 0);
    ps_sources src;
    ps_init(&src, &arena);
    const char *text = "define x = 1  # one \r\n# two\n";
    int file = ps_add(&src, "t.pw", NULL, text, strlen(text));
    size_t n;
    fm_token *t = fm_scan(&src, (uint32_t)file, 0, &n);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(t[0].kind, T_DEFINE);
    ck_assert_int_eq(t[4].kind, T_COMMENT);
    ck_assert_uint_eq(t[4].end - t[4].start, 5); /* "# one": no blanks, no \r */
    ck_assert_int_eq(t[5].kind, T_COMMENT);
    free(t);
    ps_fini(&src);
    pm_free(&arena);
}
END_TEST

START_TEST(test_scan_empty)
{
    pm_arena arena;
    pm_init(&arena, 0);
    ps_sources src;
    ps_init(&src, &arena);
    int file = ps_add(&src, "t.pw", NULL, "", 0);
    size_t n = 99;
    fm_token *t = fm_scan(&src, (uint32_t)file, 0, &n);
    ck_assert_ptr_nonnull(t); /* an empty array, not a failure */
    ck_assert_uint_eq(n, 0);
    free(t);
    ps_fini(&src);
    pm_free(&arena);
}
END_TEST

/* ---- the diff --------------------------------------------------------------------------- */

typedef struct diff_row {
    const char *a, *b, *want;
} diff_row;

static const diff_row diffs[] = {
    {"a\nb\nc\n", "a\nb\nc\n", ""},
    {"a\nb\nc\n", "a\nB\nc\n", "--- x.orig\n+++ x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
    {"", "a\n", "--- x.orig\n+++ x\n@@ -0,0 +1 @@\n+a\n"},
    {"a\n", "", "--- x.orig\n+++ x\n@@ -1 +0,0 @@\n-a\n"},
    {"a\nb", "a\nb\n",
     "--- x.orig\n+++ x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
    /* changes far apart: two hunks with three lines of context each */
    {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "0\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n13\n",
     "--- x.orig\n+++ x\n@@ -1,4 +1,4 @@\n-1\n+0\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+13\n"},
    /* close together: one hunk */
    {"1\n2\n3\n4\n5\n6\n7\n", "0\n2\n3\n4\n5\n6\n8\n",
     "--- x.orig\n+++ x\n@@ -1,7 +1,7 @@\n-1\n+0\n 2\n 3\n 4\n 5\n 6\n-7\n+8\n"},
    /* a shortest script keeps the common lines */
    {"a\nb\nc\na\nb\nb\na\n", "c\nb\na\nb\na\nc\n",
     "--- x.orig\n+++ x\n@@ -1,7 +1,6 @@\n-a\n+c\n b\n-c\n a\n b\n-b\n a\n+c\n"},
};

START_TEST(test_diff)
{
    const diff_row *r = &diffs[_i];
    pd_buf out = {0};
    fm_diff("x.orig", r->a, strlen(r->a), "x", r->b, strlen(r->b), &out);
    ck_assert(!out.oom);
    ck_assert_str_eq(out.data ? out.data : "", r->want);
    pd_buf_free(&out);
}
END_TEST

/* Applies a unified diff made by fm_diff to `a` (at most 512 lines). */
static char *apply(const char *a, const char *diff)
{
    const char *line[513];
    size_t nlines = 0;
    for (const char *p = a; *p;) {
        line[nlines++] = p;
        const char *e = strchr(p, '\n');
        p = e ? e + 1 : p + strlen(p);
    }
    line[nlines] = a + strlen(a);
    char *out = malloc(strlen(a) + strlen(diff) + 1);
    size_t n = 0, at = 0; /* the next line of a to copy */
    const char *d = diff;
    for (int header = 0; header < 2 && *d; header++)
        d = strchr(d, '\n') + 1;
    while (*d == '@') {
        char *end;
        unsigned long start = strtoul(d + 4, &end, 10), count = 1;
        if (*end == ',')
            count = strtoul(end + 1, NULL, 10);
        for (size_t first = count ? start - 1 : start; at < first; at++) {
            memcpy(out + n, line[at], (size_t)(line[at + 1] - line[at]));
            n += (size_t)(line[at + 1] - line[at]);
        }
        d = strchr(d, '\n') + 1;
        char last = 0;
        while (*d && *d != '@') {
            const char *e = strchr(d, '\n');
            if (*d == '\\') { /* the line before had no newline */
                if (last != '-')
                    n--;
            } else {
                if (*d != '-') { /* its text and newline */
                    memcpy(out + n, d + 1, (size_t)(e - d));
                    n += (size_t)(e - d);
                }
                if (*d != '+')
                    at++;
                last = *d;
            }
            d = e + 1;
        }
    }
    for (; at < nlines; at++) {
        memcpy(out + n, line[at], (size_t)(line[at + 1] - line[at]));
        n += (size_t)(line[at + 1] - line[at]);
    }
    out[n] = '\0';
    return out;
}

START_TEST(test_diff_applies)
{
    /* Random edits of a random text: the diff turns one into the other. */
    unsigned seed = 12345u + (unsigned)_i;
    char a[2048], b[2048];
    size_t na = 0, nb = 0;
    for (int line = 0; line < 60; line++) {
        seed = seed * 1103515245u + 12345u;
        char c = (char)('a' + (seed >> 16) % 5);
        unsigned what = (seed >> 8) % 10;
        if (what != 0) { /* in a */
            a[na++] = c;
            a[na++] = '\n';
        }
        if (what != 1) { /* in b, sometimes changed */
            b[nb++] = what == 2 ? (char)(c + 1) : c;
            b[nb++] = '\n';
        }
    }
    if (_i % 2)
        na--; /* no newline at the end of a */
    a[na] = b[nb] = '\0';
    pd_buf out = {0};
    fm_diff("x.orig", a, na, "x", b, nb, &out);
    char *got = apply(a, out.data ? out.data : "");
    ck_assert_str_eq(got, b);
    free(got);
    pd_buf_free(&out);
}
END_TEST

static Suite *fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("layout");
    tcase_add_loop_test(tc, test_spacing, 0, ROWS(spacing));
    tcase_add_loop_test(tc, test_indentation, 0, ROWS(indentation));
    tcase_add_loop_test(tc, test_comments, 0, ROWS(comments));
    tcase_add_loop_test(tc, test_blank_lines, 0, ROWS(blanks));
    tcase_add_test(tc, test_crlf);
    tcase_add_test(tc, test_bom);
    tcase_add_test(tc, test_utf8_alignment);
    tcase_add_test(tc, test_nul_in_comment);
    tcase_add_loop_test(tc, test_syntax_error, 0, (int)(sizeof broken / sizeof *broken));
    tcase_add_test(tc, test_not_checked);
    suite_add_tcase(s, tc);
    TCase *scan = tcase_create("scan");
    tcase_add_test(scan, test_scan_comments);
    tcase_add_test(scan, test_scan_empty);
    suite_add_tcase(s, scan);
    TCase *diff = tcase_create("diff");
    tcase_add_loop_test(diff, test_diff, 0, (int)(sizeof diffs / sizeof *diffs));
    tcase_add_loop_test(diff, test_diff_applies, 0, 40);
    suite_add_tcase(s, diff);
    return s;
}

int main(void) { return pw_run_suite(fmt_suite()); }
