/* Diagnostics and sources: recording, positions, and the exact text and JSON
 * the renderers produce. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "diag/diag.h"
#include "source/source.h"

typedef struct fx {
    pm_arena arena;
    ps_sources src;
    pd_list diags;
    pd_buf out;
} fx;

static void fx_init(fx *f, unsigned max_errors)
{
    pm_init(&f->arena, 0);
    ps_init(&f->src, &f->arena);
    pd_init(&f->diags, &f->arena, max_errors);
    memset(&f->out, 0, sizeof f->out);
}

static void fx_free(fx *f)
{
    pd_buf_free(&f->out);
    ps_fini(&f->src);
    pm_free(&f->arena);
}

static uint32_t fx_file(fx *f, const char *name, const char *text)
{
    int i = ps_add(&f->src, name, NULL, text, strlen(text));
    ck_assert_int_ge(i, 0);
    return (uint32_t)i;
}

static ps_span sp(uint32_t file, uint32_t start, uint32_t end)
{
    ps_span s = {file, start, end};
    return s;
}

static const char *fx_text(fx *f, bool color)
{
    pd_render_text(&f->diags, &f->src, color, &f->out);
    ck_assert(!f->out.oom);
    return f->out.data ? f->out.data : "";
}

static const char *fx_json(fx *f)
{
    pd_render_json(&f->diags, &f->src, &f->out);
    ck_assert(!f->out.oom);
    return f->out.data ? f->out.data : "";
}

/* ---- sources ---------------------------------------------------------------- */

static const struct {
    uint32_t offset, line, col;
} positions[] = {
    {0, 1, 1}, {2, 1, 3}, {3, 1, 4}, {4, 2, 1}, {5, 2, 2}, {6, 3, 1},
    {7, 4, 1}, {9, 4, 3}, {10, 4, 4}, {99, 4, 4}, /* past the end: clamped */
};

START_TEST(test_position)
{
    fx f;
    fx_init(&f, 0);
    uint32_t file = fx_file(&f, "p.pw", "abc\nd\n\nxyz");
    uint32_t line, col;
    ps_position(&f.src, file, positions[_i].offset, &line, &col);
    ck_assert_uint_eq(line, positions[_i].line);
    ck_assert_uint_eq(col, positions[_i].col);
    fx_free(&f);
}
END_TEST

START_TEST(test_line_text)
{
    fx f;
    fx_init(&f, 0);
    uint32_t file = fx_file(&f, "l.pw", "one\r\ntwo\n\nlast");
    static const char *const want[] = {"one", "two", "", "last"};
    for (uint32_t l = 1; l <= 4; l++) {
        uint32_t len;
        const char *t = ps_line_text(&f.src, file, l, &len);
        ck_assert_uint_eq(len, strlen(want[l - 1]));
        ck_assert(memcmp(t, want[l - 1], len) == 0);
    }
    uint32_t len = 7;
    ck_assert_str_eq(ps_line_text(&f.src, file, 5, &len), "");
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(ps_line_text(&f.src, 9, 1, &len), "");
    /* Lines count from 1: line 0 is empty, as one past the end. */
    len = 7;
    ck_assert_str_eq(ps_line_text(&f.src, file, 0, &len), "");
    ck_assert_uint_eq(len, 0);
    /* A position in a file that is not there is 1:1. */
    uint32_t line = 0, col = 0;
    ps_position(&f.src, 9, 3, &line, &col);
    ck_assert_uint_eq(line, 1);
    ck_assert_uint_eq(col, 1);
    /* A file added without text (a name only) is empty, under its name as path. */
    int none = ps_add(&f.src, "none.pw", NULL, NULL, 5);
    ck_assert_int_ge(none, 0);
    ck_assert_uint_eq(f.src.files[none].len, 0);
    ck_assert_str_eq(f.src.files[none].text, "");
    ck_assert_str_eq(f.src.files[none].path, "none.pw");
    ck_assert_str_eq(ps_line_text(&f.src, (uint32_t)none, 1, &len), "");
    /* Offsets are 32-bit: a text of 4 GiB or more is refused before it is read. */
    uint32_t nfiles = f.src.nfiles;
    ck_assert_int_eq(ps_add(&f.src, "huge.pw", NULL, "x", (size_t)UINT32_MAX), -1);
    ck_assert_uint_eq(f.src.nfiles, nfiles);
    fx_free(&f);
}
END_TEST

START_TEST(test_sources_add)
{
    fx f;
    fx_init(&f, 0);
    char text[] = "abc";
    for (int i = 0; i < 20; i++) /* grows past the first allocation */
        ck_assert_int_eq(ps_add(&f.src, "n.pw", i % 2 ? "/real/n.pw" : NULL, text, 3), i);
    text[0] = 'X'; /* the text was copied */
    ck_assert_str_eq(f.src.files[0].text, "abc");
    ck_assert_str_eq(f.src.files[0].path, "n.pw"); /* no path: the name */
    ck_assert_str_eq(f.src.files[1].path, "/real/n.pw");
    ck_assert_uint_eq(f.src.files[5].len, 3);
    fx_free(&f);
}
END_TEST

/* ---- recording ---------------------------------------------------------------- */

START_TEST(test_add_and_notes)
{
    fx f;
    fx_init(&f, 0);
    ps_span s = sp(0, 1, 2);
    pd_diag *d = pd_add(&f.diags, PD_ERROR, "E0001", &s, "bad %s %d", "thing", 7);
    ck_assert_ptr_nonnull(d);
    pd_note_add(&f.diags, d, NULL, "first");
    pd_note_add(&f.diags, d, &s, "second %c", 'x');
    pd_set_fix(&f.diags, d, "good");
    pd_add(&f.diags, PD_WARNING, "W0001", NULL, "careful");
    pd_note_add(&f.diags, NULL, NULL, "ignored");
    ck_assert_str_eq(d->message, "bad thing 7");
    ck_assert_str_eq(d->notes->message, "first");
    ck_assert(!d->notes->has_span);
    ck_assert_str_eq(d->notes->next->message, "second x");
    ck_assert(d->notes->next->has_span);
    ck_assert_str_eq(d->fix, "good");
    ck_assert_uint_eq(f.diags.errors, 1);
    ck_assert_uint_eq(f.diags.warnings, 1);
    ck_assert_ptr_eq(f.diags.head, d);
    ck_assert(!f.diags.tail->has_span);
    fx_free(&f);
}
END_TEST

/* pd_report: the code's text and severity from the table (codes.h). */
START_TEST(test_report_code)
{
    fx f;
    fx_init(&f, 0);
    ps_span s = sp(0, 1, 2);
    pd_diag *d = pd_report(&f.diags, PD_E0401, &s, "needs %s", "a value");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->code, "E0401");
    ck_assert_int_eq(d->severity, PD_ERROR);
    ck_assert_str_eq(d->message, "needs a value");
    ck_assert(d->has_span);
    ck_assert(pd_diag_is(d, PD_E0401));
    ck_assert(!pd_diag_is(d, PD_E0402));
    ck_assert_uint_eq(f.diags.errors, 1);
    fx_free(&f);
}
END_TEST

/* The table: codes are unique, written Ennnn, in increasing order; every
 * summary is one line without a final period; lookup ignores case. */
START_TEST(test_code_table)
{
    for (int i = 0; i < PD_CODE_COUNT; i++) {
        const char *name = pd_code_name((pd_code)i), *sum = pd_code_summary((pd_code)i);
        ck_assert_uint_eq(strlen(name), 5);
        ck_assert_int_eq(name[0], 'E');
        ck_assert_uint_eq(strspn(name + 1, "0123456789"), 4);
        if (i > 0)
            ck_assert_int_lt(strcmp(pd_code_name((pd_code)(i - 1)), name), 0);
        ck_assert(sum[0] && !strchr(sum, '\n') && sum[strlen(sum) - 1] != '.');
        pd_code found;
        ck_assert(pd_code_find(name, &found));
        ck_assert_int_eq(found, i);
    }
    pd_code c;
    ck_assert(pd_code_find("e0205", &c) && c == PD_E0205);
    ck_assert_str_eq(pd_code_name(PD_E0001), "E0001");
    ck_assert(!pd_code_find("E9999", &c));
    ck_assert(!pd_code_find("E040", &c));
    ck_assert(!pd_code_find("E04011", &c));
    ck_assert(!pd_code_find("", &c));
    ck_assert(!pd_code_find("PW101", &c));
}
END_TEST

START_TEST(test_max_errors)
{
    fx f;
    fx_init(&f, 2);
    for (int i = 0; i < 5; i++)
        pd_add(&f.diags, PD_ERROR, "E", NULL, "e%d", i);
    pd_add(&f.diags, PD_WARNING, "W", NULL, "w");
    ck_assert_uint_eq(f.diags.errors, 5);
    ck_assert(f.diags.truncated);
    int n = 0;
    for (pd_diag *d = f.diags.head; d; d = d->next)
        n++;
    ck_assert_int_eq(n, 3); /* two errors and the warning */
    fx_free(&f);
}
END_TEST

START_TEST(test_oom)
{
    fx f;
    fx_init(&f, 0);
    f.arena.limit = 1; /* nothing fits */
    ck_assert_ptr_null(pd_add(&f.diags, PD_ERROR, "E", NULL, "x"));
    ck_assert(f.diags.oom);
    ck_assert_uint_eq(f.diags.errors, 1);
    fx_free(&f);
}
END_TEST

START_TEST(test_buf_printf)
{
    pd_buf b = {NULL, 0, 0, false};
    for (int i = 0; i < 1000; i++)
        pd_buf_printf(&b, "%d,", i % 10);
    ck_assert_uint_eq(b.len, 2000);
    ck_assert_uint_eq(strlen(b.data), 2000);
    ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    pd_buf_free(&b);
    ck_assert_ptr_null(b.data);
}
END_TEST

/* ---- text ---------------------------------------------------------------------- */

static const char example[] =
    "# rules\n"
    "\n"
    "facts coach {\n"
    "  experience: integer\n"
    "}\n"
    "\n"
    "\n"
    "\n"
    "\n"
    "\n"
    "program p {\n"
    "  require \"two years\": experiance >= 2\n"
    "}\n";

START_TEST(test_render_example)
{
    fx f;
    fx_init(&f, 0);
    uint32_t file = fx_file(&f, "rules/x.pw", example);
    uint32_t use = (uint32_t)(strstr(example, "experiance") - example);
    uint32_t decl = (uint32_t)(strstr(example, "experience") - example);
    ps_span s = sp(file, use, use + 10), t = sp(file, decl, decl + 10);
    pd_diag *d = pd_add(&f.diags, PD_ERROR, "E0402", &s, "unknown name `%s`", "experiance");
    pd_note_add(&f.diags, d, &t, "did you mean `%s`?", "experience");
    ck_assert_str_eq(fx_text(&f, false),
                     "rules/x.pw:12:24: error: unknown name `experiance`\n"
                     "   12 |   require \"two years\": experiance >= 2\n"
                     "      |                        ^~~~~~~~~~\n"
                     "rules/x.pw:4:3: note: did you mean `experience`?\n"
                     "    4 |   experience: integer\n"
                     "      |   ^~~~~~~~~~\n");
    fx_free(&f);
}
END_TEST

START_TEST(test_render_color)
{
    fx f;
    fx_init(&f, 0);
    uint32_t file = fx_file(&f, "c.pw", "a = b\n");
    ps_span s = sp(file, 4, 5);
    pd_diag *d = pd_add(&f.diags, PD_WARNING, NULL, &s, "odd");
    pd_note_add(&f.diags, d, NULL, "why");
    ck_assert_str_eq(fx_text(&f, true),
                     "\x1b[1mc.pw:1:5: \x1b[0m\x1b[1;35mwarning: \x1b[0m\x1b[1modd\x1b[0m\n"
                     "    1 | a = b\n"
                     "      |     \x1b[1;32m^\x1b[0m\n"
                     "\x1b[1;36mnote: \x1b[0mwhy\n");
    fx_free(&f);
}
END_TEST

/* One diagnostic on one line of source: the rendered caret lines. */
static const struct {
    const char *text;       /* the source */
    uint32_t start, end;    /* the span */
    const char *fix;
    const char *want;       /* everything after the header line */
} snippets[] = {
    /* tabs are expanded to stops of 8, and the caret follows */
    {"\tx = 1\n", 1, 2, NULL,
     "    1 |         x = 1\n"
     "      |         ^\n"},
    {"a\tbb = 1\n", 2, 4, NULL,
     "    1 | a       bb = 1\n"
     "      |         ^~\n"},
    /* a tab inside the span is underlined over its whole width */
    {"a\tb\n", 0, 3, NULL,
     "    1 | a       b\n"
     "      | ^~~~~~~~~\n"},
    /* a span running past the end of its line stops there */
    {"abc def\nghi\n", 4, 11, NULL,
     "    1 | abc def\n"
     "      |     ^~~\n"},
    /* an empty span is a lone caret; at the end of a line it follows the text */
    {"abc\n", 3, 3, NULL,
     "    1 | abc\n"
     "      |    ^\n"},
    /* UTF-8 characters take one column each */
    {"\"é\" x\n", 5, 6, NULL,
     "    1 | \"é\" x\n"
     "      |     ^\n"},
    /* CRLF files do not show the CR */
    {"ab\r\ncd\r\n", 4, 6, NULL,
     "    2 | cd\n"
     "      | ^~\n"},
    /* the fix is shown under the caret */
    {"a == b\n", 2, 4, "=",
     "    1 | a == b\n"
     "      |   ^~\n"
     "      |   =\n"},
};

START_TEST(test_render_snippets)
{
    fx f;
    fx_init(&f, 0);
    uint32_t file = fx_file(&f, "s.pw", snippets[_i].text);
    ps_span s = sp(file, snippets[_i].start, snippets[_i].end);
    pd_diag *d = pd_add(&f.diags, PD_ERROR, NULL, &s, "m");
    if (snippets[_i].fix)
        pd_set_fix(&f.diags, d, snippets[_i].fix);
    const char *out = fx_text(&f, false);
    const char *nl = strchr(out, '\n');
    ck_assert_ptr_nonnull(nl);
    ck_assert_str_eq(nl + 1, snippets[_i].want);
    fx_free(&f);
}
END_TEST

START_TEST(test_render_gutter)
{
    fx f;
    fx_init(&f, 0);
    /* 12345 lines: the gutter widens to fit the number */
    size_t n = 12345;
    char *text = malloc(n * 2 + 1);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < n; i++) {
        text[2 * i] = 'x';
        text[2 * i + 1] = '\n';
    }
    text[2 * n] = '\0';
    uint32_t file = fx_file(&f, "g.pw", text);
    free(text);
    ps_span last = sp(file, (uint32_t)(2 * (n - 1)), (uint32_t)(2 * (n - 1) + 1));
    pd_add(&f.diags, PD_ERROR, "E1", &last, "far");
    ck_assert_str_eq(fx_text(&f, false), "g.pw:12345:1: error: far\n"
                                         " 12345 | x\n"
                                         "       | ^\n");
    fx_free(&f);
}
END_TEST

START_TEST(test_render_without_span)
{
    fx f;
    fx_init(&f, 0);
    pd_diag *d = pd_add(&f.diags, PD_ERROR, "E0001", NULL, "cannot read `x.pw`: gone");
    pd_note_add(&f.diags, d, NULL, "check the path");
    pd_add(&f.diags, PD_NOTE, NULL, NULL, "a plain note");
    ck_assert_str_eq(fx_text(&f, false), "error: cannot read `x.pw`: gone\n"
                                         "note: check the path\n"
                                         "note: a plain note\n");
    fx_free(&f);
}
END_TEST

/* A span in a file the sources do not hold is shown without a place (no
 * header position, no snippet, nulls in JSON); a fix of several lines is
 * not drawn under the snippet; DEL shows as `?`; a diagnostic without a
 * code is none of the table's. */
START_TEST(test_render_odd_spans)
{
    fx f;
    fx_init(&f, 0);
    uint32_t file = fx_file(&f, "o.pw", "a\x7f" "b = c\n");
    ps_span nowhere = sp(9, 0, 1), s = sp(file, 4, 5);
    pd_add(&f.diags, PD_ERROR, NULL, &nowhere, "lost");
    pd_diag *d = pd_add(&f.diags, PD_ERROR, NULL, &s, "two-line fix");
    pd_set_fix(&f.diags, d, "x\ny");
    ck_assert(!pd_diag_is(d, PD_E0402));
    ck_assert_str_eq(fx_text(&f, false), "error: lost\n"
                                         "o.pw:1:5: error: two-line fix\n"
                                         "    1 | a?b = c\n"
                                         "      |     ^\n");
    f.out.len = 0;
    const char *json = fx_json(&f);
    ck_assert_msg(strstr(json, "\"file\":null,\"line\":null,\"column\":null,\"end_line\":null,\"end_column\":null") !=
                      NULL, "%s", json);
    fx_free(&f);
}
END_TEST

/* ---- JSON ---------------------------------------------------------------------- */

START_TEST(test_json)
{
    fx f;
    fx_init(&f, 0);
    uint32_t file = fx_file(&f, "dir/j.pw", "ab\ncd \"q\"\n");
    ps_span s = sp(file, 3, 9), t = sp(file, 0, 2), multi = sp(file, 1, 5);
    pd_diag *d = pd_add(&f.diags, PD_ERROR, "E0201", &s, "bad \"q\" \\ here\n\ttab");
    pd_note_add(&f.diags, d, &t, "see `ab`");
    pd_note_add(&f.diags, d, NULL, "no place");
    pd_set_fix(&f.diags, d, "x");
    pd_add(&f.diags, PD_WARNING, NULL, &multi, "two lines");
    pd_add(&f.diags, PD_NOTE, NULL, NULL, "ctl \x01 and bad \xff utf-8 \xc3\xa9");
    ck_assert_str_eq(
        fx_json(&f),
        "{\"file\":\"dir/j.pw\",\"line\":2,\"column\":1,\"end_line\":2,\"end_column\":7,"
        "\"severity\":\"error\",\"code\":\"E0201\",\"message\":\"bad \\\"q\\\" \\\\ here\\n\\ttab\","
        "\"notes\":[{\"file\":\"dir/j.pw\",\"line\":1,\"column\":1,\"message\":\"see `ab`\"},"
        "{\"file\":null,\"line\":null,\"column\":null,\"message\":\"no place\"}],\"fix\":\"x\"}\n"
        "{\"file\":\"dir/j.pw\",\"line\":1,\"column\":2,\"end_line\":2,\"end_column\":3,"
        "\"severity\":\"warning\",\"code\":null,\"message\":\"two lines\",\"notes\":[],\"fix\":null}\n"
        "{\"file\":null,\"line\":null,\"column\":null,\"end_line\":null,\"end_column\":null,"
        "\"severity\":\"note\",\"code\":null,"
        "\"message\":\"ctl \\u0001 and bad \\ufffd utf-8 \xc3\xa9\",\"notes\":[],\"fix\":null}\n");
    fx_free(&f);
}
END_TEST

START_TEST(test_json_empty_span)
{
    fx f;
    fx_init(&f, 0);
    uint32_t file = fx_file(&f, "e.pw", "abc");
    ps_span s = sp(file, 3, 3);
    pd_add(&f.diags, PD_ERROR, "E", &s, "at the end");
    ck_assert(strstr(fx_json(&f), "\"line\":1,\"column\":4,\"end_line\":1,\"end_column\":4") != NULL);
    fx_free(&f);
}
END_TEST

/* GitHub workflow commands: the three levels; a place only with a file and
 * a line, columns only within one line; a title only for a code; `%`, CR
 * and LF escaped everywhere, `:` and `,` in properties only. */
START_TEST(test_github_annotations)
{
    static const struct {
        pd_annotation a;
        const char *want;
    } cases[] = {
        {{PD_NOTE, NULL, NULL, 0, 0, 0, 0, "plain"}, "::notice ::plain\n"},
        {{PD_WARNING, "", "f.pw", 0, 3, 0, 0, "no line: no place"}, "::warning ::no line: no place\n"},
        {{PD_ERROR, "E0402", "a,b:c.pw", 2, 3, 4, 9, "across lines"},
         "::error file=a%2Cb%3Ac.pw,line=2,endLine=4,title=E0402::across lines\n"},
        {{PD_ERROR, "E:1,2", "f.pw", 2, 3, 0, 0, "100%, a:b\r\nnext"},
         "::error file=f.pw,line=2,endLine=2,col=3,title=E%3A1%2C2::100%25, a:b%0D%0Anext\n"},
        {{PD_ERROR, NULL, "f.pw", 5, 0, 3, 0, "no column, end before start"},
         "::error file=f.pw,line=5,endLine=5::no column, end before start\n"},
        {{PD_ERROR, NULL, "f.pw", 5, 2, 5, 2, "one column"}, "::error file=f.pw,line=5,endLine=5,col=2::one column\n"},
        {{PD_ERROR, NULL, "f.pw", 5, 2, 5, 7, NULL}, "::error file=f.pw,line=5,endLine=5,col=2,endColumn=7::\n"},
        {{PD_NOTE, "X1", NULL, 0, 0, 0, 0, "m"}, "::notice title=X1::m\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pd_buf b = {0};
        pd_render_github(&cases[i].a, &b);
        ck_assert_msg(b.data && strcmp(b.data, cases[i].want) == 0, "case %zu: %s", i, b.data ? b.data : "(null)");
        pd_buf_free(&b);
    }
}
END_TEST

static char *sarif_uri(const char *name)
{
    static char out[2048];
    pd_buf b = {0};
    pd_sarif_uri(&b, name);
    ck_assert(b.data && !b.oom);
    snprintf(out, sizeof out, "%s", b.data);
    pd_buf_free(&b);
    return out;
}

/* File names as SARIF URIs: `.` and `dir/..` folded as a shell sees them,
 * a `..` with nothing to fold kept, absolute names as file: URIs, other
 * bytes percent-encoded. A name deeper than the folding keeps track of
 * (256 segments) keeps its `..` as written: it was folded into the wrong
 * directory, 46 segments up, before. */
START_TEST(test_sarif_uris)
{
    ck_assert_str_eq(sarif_uri("a/./b"), "\"a/b\"");
    ck_assert_str_eq(sarif_uri("a/."), "\"a/.\"");
    ck_assert_str_eq(sarif_uri("../../x"), "\"../../x\"");
    ck_assert_str_eq(sarif_uri("a/../.."), "\"..\"");
    ck_assert_str_eq(sarif_uri("a/b/../../../c"), "\"../c\"");
    ck_assert_str_eq(sarif_uri("."), "\".\"");
    ck_assert_str_eq(sarif_uri("/abs/./x"), "\"file:///abs/x\"");
    ck_assert_str_eq(sarif_uri("a b%"), "\"a%20b%25\"");
    char deep[700], want[710];
    int at = 0;
    for (int i = 0; i < 300; i++)
        at += snprintf(deep + at, sizeof deep - (size_t)at, "d/");
    snprintf(deep + at, sizeof deep - (size_t)at, "../../f");
    snprintf(want, sizeof want, "\"%s\"", deep);
    ck_assert_str_eq(sarif_uri(deep), want);
}
END_TEST

/* Code-point columns: UTF-8 continuation bytes take none, a column past
 * the line's end counts on. */
START_TEST(test_sarif_columns)
{
    ck_assert_uint_eq(pd_sarif_codepoint_column("abc", 3, 2), 2);
    ck_assert_uint_eq(pd_sarif_codepoint_column("\xc3\xa9x", 3, 3), 2);
    ck_assert_uint_eq(pd_sarif_codepoint_column("abc", 3, 4), 4);
    ck_assert_uint_eq(pd_sarif_codepoint_column("abc", 3, 6), 6);
}
END_TEST

static const pd_rule edge_rules[] = {{"E0402", PD_ERROR, "An unknown name"},
                                     {"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", PD_NOTE, "long"}};

/* Results without a code, a message or a place; a code no rule has; the
 * fingerprint folds runs of blanks (tabs, CR, LF) and ignores them at the
 * ends, and a missing line is an empty one. */
START_TEST(test_sarif_plain_edges)
{
    pd_sarif_tool tool = {"t", NULL, NULL, NULL, edge_rules, 2};
    pd_buf r = {0};
    size_t count = 0;
    pd_sarif_plain p0 = {NULL, PD_NOTE, NULL, NULL, 0, 0, 0, 0, NULL, 0};
    pd_sarif_plain_result(&p0, &tool, &r, &count);
    ck_assert_str_eq(r.data, "{\"ruleId\":\"\",\"level\":\"note\",\"message\":{\"text\":\"\"}}");
    pd_buf_free(&r);
    static const char *const lines[] = {"\t a \r\n b\t", "a b", NULL, ""};
    char hash[4][40];
    for (int i = 0; i < 4; i++) {
        pd_buf b = {0};
        size_t n = 0;
        pd_sarif_plain p = {"X9", PD_WARNING, "m", "f.pw", 1, 1, 1, 2, lines[i], lines[i] ? strlen(lines[i]) : 0};
        pd_sarif_plain_result(&p, &tool, &b, &n);
        ck_assert_ptr_null(strstr(b.data, "ruleIndex"));
        const char *h = strstr(b.data, "\"primaryLocationLineHash\":\"");
        ck_assert_ptr_nonnull(h);
        snprintf(hash[i], sizeof hash[i], "%.19s", h + 27);
        ck_assert_str_eq(hash[i] + 16, ":1\"");
        pd_buf_free(&b);
    }
    ck_assert_str_eq(hash[0], hash[1]);
    ck_assert_str_eq(hash[2], hash[3]);
    ck_assert_str_ne(hash[0], hash[2]);
    /* Without a code: no rule, and a fingerprint of its own. */
    pd_buf c = {0};
    size_t nc = 0;
    pd_sarif_plain pc = {NULL, PD_ERROR, "m", "f.pw", 1, 1, 1, 2, "a b", 3};
    pd_sarif_plain_result(&pc, &tool, &c, &nc);
    static const char start[] = "{\"ruleId\":\"\",\"level\":\"error\",\"message\"";
    ck_assert_msg(strncmp(c.data, start, strlen(start)) == 0, "%s", c.data);
    const char *hc = strstr(c.data, "\"primaryLocationLineHash\":\"");
    ck_assert_ptr_nonnull(hc);
    ck_assert(strncmp(hc + 27, hash[1], 16) != 0);
    pd_buf_free(&c);
}
END_TEST

/* A diagnostic without a code, and one whose span names a file the
 * sources do not hold: no place, no fingerprint. */
START_TEST(test_sarif_unplaced)
{
    fx f;
    fx_init(&f, 0);
    fx_file(&f, "s.pw", "abc\n");
    ps_span bad = sp(9, 0, 1);
    pd_add(&f.diags, PD_NOTE, NULL, &bad, "no code, no file");
    pd_sarif_tool tool = {"t", NULL, NULL, NULL, edge_rules, 2};
    size_t count = 0;
    pd_sarif_results(&f.diags, &f.src, &tool, &f.out, &count);
    ck_assert_str_eq(f.out.data, "{\"ruleId\":\"\",\"level\":\"note\",\"message\":{\"text\":\"no code, no file\"}}");
    fx_free(&f);
}
END_TEST

/* The log's driver without a version or an information URI; rules without
 * a help page; a title that is a sentence already; a code longer than the
 * anchor; the source root only when absolute ("/" stays "file:///"). */
START_TEST(test_sarif_log_edges)
{
    static const char *const md[] = {"Line.", NULL};
    static const pd_rule_doc docs[] = {{"E0402", "Ends with a period.", md, NULL}};
    static const char head[] =
        "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":"
        "{\"driver\":{\"name\":\"t\",\"rules\":[{\"id\":\"E0402\",\"shortDescription\":{\"text\":\"An unknown name\"}";
    static const char tail[] = "{\"id\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\",\"shortDescription\":{\"text\":\"long\"},"
                               "\"defaultConfiguration\":{\"level\":\"note\"}}]}}";
    static const char end[] = "\"columnKind\":\"unicodeCodePoints\",\"results\":[]}]}\n";
    pd_sarif_tool tool = {"t", NULL, NULL, NULL, edge_rules, 2};
    char want[2048];
    pd_buf b = {0};
    pd_render_sarif(&tool, NULL, &b);
    snprintf(want, sizeof want, "%s,\"defaultConfiguration\":{\"level\":\"error\"}},%s,%s", head, tail, end);
    ck_assert_str_eq(b.data, want);
    pd_buf_free(&b);

    pd_sarif_extra rel = {docs, 1, "rel/dir", false};
    pd_render_sarif_log(&tool, &rel, "", &b);
    snprintf(want, sizeof want,
             "%s,\"fullDescription\":{\"text\":\"Ends with a period.\"},\"help\":{\"text\":\"Line.\",\"markdown\":"
             "\"Line.\"},\"defaultConfiguration\":{\"level\":\"error\"}},%s,\"invocations\":[{"
             "\"executionSuccessful\":true}],%s",
             head, tail, end);
    ck_assert_str_eq(b.data, want);
    pd_buf_free(&b);

    /* No source root, and a rule whose title is empty: a period alone. */
    static const pd_rule_doc untitled[] = {{"E0402", "", md, NULL}};
    pd_sarif_extra none = {untitled, 1, NULL, false};
    pd_render_sarif_log(&tool, &none, NULL, &b);
    ck_assert_ptr_nonnull(strstr(b.data, "\"fullDescription\":{\"text\":\".\"}"));
    ck_assert_ptr_null(strstr(b.data, "originalUriBaseIds"));
    pd_buf_free(&b);

    pd_sarif_extra root = {NULL, 0, "/", true};
    pd_render_sarif_log(&tool, &root, NULL, &b);
    snprintf(want, sizeof want,
             "%s,\"defaultConfiguration\":{\"level\":\"error\"}},%s,\"invocations\":[{\"executionSuccessful\":false}],"
             "\"originalUriBaseIds\":{\"%%SRCROOT%%\":{\"uri\":\"file:///\",\"description\":{\"text\":\"The directory "
             "pathway ran in: relative file names are relative to it.\"}}},%s",
             head, tail, end);
    ck_assert_str_eq(b.data, want);
    pd_buf_free(&b);
}
END_TEST

static Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *src = tcase_create("sources");
    tcase_add_loop_test(src, test_position, 0, (int)(sizeof positions / sizeof *positions));
    tcase_add_test(src, test_line_text);
    tcase_add_test(src, test_sources_add);
    suite_add_tcase(s, src);
    TCase *rec = tcase_create("record");
    tcase_add_test(rec, test_add_and_notes);
    tcase_add_test(rec, test_report_code);
    tcase_add_test(rec, test_code_table);
    tcase_add_test(rec, test_max_errors);
    tcase_add_test(rec, test_oom);
    tcase_add_test(rec, test_buf_printf);
    suite_add_tcase(s, rec);
    TCase *text = tcase_create("text");
    tcase_add_test(text, test_render_example);
    tcase_add_test(text, test_render_color);
    tcase_add_loop_test(text, test_render_snippets, 0, (int)(sizeof snippets / sizeof *snippets));
    tcase_add_test(text, test_render_gutter);
    tcase_add_test(text, test_render_without_span);
    tcase_add_test(text, test_render_odd_spans);
    suite_add_tcase(s, text);
    TCase *json = tcase_create("json");
    tcase_add_test(json, test_json);
    tcase_add_test(json, test_json_empty_span);
    tcase_add_test(json, test_github_annotations);
    tcase_add_test(json, test_sarif_uris);
    tcase_add_test(json, test_sarif_columns);
    tcase_add_test(json, test_sarif_plain_edges);
    tcase_add_test(json, test_sarif_unplaced);
    tcase_add_test(json, test_sarif_log_edges);
    suite_add_tcase(s, json);
    return s;
}

int main(void)
{
    return pw_run_suite(diag_suite());
}
