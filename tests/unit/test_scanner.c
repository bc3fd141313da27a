/* The scanner (grammar/lexer.l): token kinds, values and spans, and the
 * lexical errors with their exact messages and places. */
#include <check.h>
#include <locale.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "parser.h"
#include "util/date.h"

enum { MAX_TOKENS = 64 };

typedef struct tok {
    int kind;
    uint32_t start, end;
    PW_YYSTYPE val;
} tok;

typedef struct fx {
    pm_arena arena;
    ps_sources src;
    pd_list diags;
    pp_lex lx;
    tok toks[MAX_TOKENS];
    int n;       /* tokens before end of file */
    tok eof;
} fx;

/* Scans `len` bytes of text to the end, as the parser would. */
static void lex_n(fx *f, const char *text, size_t len, unsigned max_depth)
{
    pm_init(&f->arena, 0);
    ps_init(&f->src, &f->arena);
    pd_init(&f->diags, &f->arena, 0);
    int file = ps_add(&f->src, "t.pw", NULL, text, len);
    ck_assert_int_ge(file, 0);
    memset(&f->lx, 0, sizeof f->lx);
    f->lx.arena = &f->arena;
    f->lx.src = &f->src;
    f->lx.file = (uint32_t)file;
    f->lx.diags = &f->diags;
    f->lx.max_depth = max_depth;
    jmp_buf fatal;
    f->lx.fatal = &fatal;
    if (setjmp(fatal))
        ck_abort_msg("the scanner ran out of memory");
    yyscan_t sc;
    ck_assert(pp_lex_open(&f->lx, &sc, f->src.files[file].text, len));
    f->n = 0;
    for (;;) {
        PW_YYSTYPE val;
        PW_YYLTYPE loc;
        memset(&val, 0, sizeof val);
        int k = pw_yylex(&val, &loc, sc);
        tok t = {k, loc.start, loc.end, val};
        ck_assert_uint_eq(loc.file, (uint32_t)file);
        if (k == T_YYEOF) {
            f->eof = t;
            break;
        }
        ck_assert_int_lt(f->n, MAX_TOKENS);
        f->toks[f->n++] = t;
    }
    pp_lex_close(sc);
}

static void lex(fx *f, const char *text) { lex_n(f, text, strlen(text), 200); }

static void fx_free(fx *f)
{
    ps_fini(&f->src);
    pm_free(&f->arena);
}

/* ---- keywords and punctuation ------------------------------------------------ */

static const struct {
    const char *text;
    int kind;
} words[] = {
    {"include", T_INCLUDE}, {"facts", T_FACTS}, {"record", T_RECORD}, {"define", T_DEFINE},
    {"program", T_PROGRAM}, {"require", T_REQUIRE}, {"prefer", T_PREFER},
    {"advise", T_ADVISE}, {"citing", T_CITING}, {"grants", T_GRANTS}, {"valid", T_VALID},
    {"for", T_FOR}, {"all", T_ALL}, {"any", T_ANY}, {"of", T_OF}, {"at", T_AT},
    {"least", T_LEAST}, {"count", T_COUNT}, {"sum", T_SUM}, {"in", T_IN},
    {"where", T_WHERE}, {"if", T_IF}, {"then", T_THEN}, {"else", T_ELSE}, {"and", T_AND},
    {"or", T_OR}, {"not", T_NOT}, {"is", T_IS}, {"none", T_NONE}, {"true", T_TRUE},
    {"false", T_FALSE}, {"today", T_TODAY}, {"since", T_SINCE}, {"between", T_BETWEEN},
    {"year", T_YEAR}, {"years", T_YEARS}, {"month", T_MONTH}, {"months", T_MONTHS},
    {"day", T_DAY}, {"days", T_DAYS}, {"otherwise", T_OTHERWISE}, {"list", T_LIST},
    {"set", T_SET},
    {"{", T_LBRACE}, {"}", T_RBRACE}, {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACKET},
    {"]", T_RBRACKET}, {",", T_COMMA}, {":", T_COLON}, {".", T_DOT}, {"?", T_QUESTION},
    {"=", T_EQ}, {"!=", T_NE}, {"<", T_LT}, {"<=", T_LE}, {">", T_GT}, {">=", T_GE},
    {"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR},
};

START_TEST(test_word)
{
    fx f;
    lex(&f, words[_i].text);
    ck_assert_int_eq(f.n, 1);
    ck_assert_int_eq(f.toks[0].kind, words[_i].kind);
    ck_assert_uint_eq(f.toks[0].start, 0);
    ck_assert_uint_eq(f.toks[0].end, strlen(words[_i].text));
    ck_assert_uint_eq(f.diags.errors, 0);
    fx_free(&f);
}
END_TEST

/* A keyword inside a longer name is a name; case matters. */
static const char *const names[] = {"includes", "Program", "years2", "_x", "notnone",
                                    "x_1", "ANY", "in_", "daysx"};

START_TEST(test_ident)
{
    fx f;
    lex(&f, names[_i]);
    ck_assert_int_eq(f.n, 1);
    ck_assert_int_eq(f.toks[0].kind, T_IDENT);
    ck_assert_str_eq(f.toks[0].val.T_IDENT, names[_i]);
    fx_free(&f);
}
END_TEST

/* ---- literals ------------------------------------------------------------------ */

static const struct {
    const char *text;
    int64_t value;
} ints[] = {
    {"0", 0}, {"18", 18}, {"007", 7}, {"9223372036854775807", INT64_MAX},
};

START_TEST(test_int)
{
    fx f;
    lex(&f, ints[_i].text);
    ck_assert_int_eq(f.n, 1);
    ck_assert_int_eq(f.toks[0].kind, T_INT);
    ck_assert(f.toks[0].val.T_INT == ints[_i].value);
    ck_assert_uint_eq(f.diags.errors, 0);
    fx_free(&f);
}
END_TEST

static const struct {
    const char *text;
    double value;
} numbers[] = {
    {"2.5", 2.5}, {"0.1", 0.1}, {"10.25", 10.25}, {"1.000", 1.0}, {"00012.50", 12.5},
    {"123456789.123456789", 123456789.123456789},
    {"0.30000000000000000000000000001", 0.30000000000000000000000000001},
};

START_TEST(test_number)
{
    fx f;
    lex(&f, numbers[_i].text);
    ck_assert_int_eq(f.n, 1);
    ck_assert_int_eq(f.toks[0].kind, T_NUMBER);
    ck_assert(f.toks[0].val.T_NUMBER == numbers[_i].value); /* exact: correctly rounded */
    fx_free(&f);
}
END_TEST

START_TEST(test_number_locale)
{
    /* A host program's locale must not change how rules read. */
    const char *names[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", NULL};
    const char *got = NULL;
    for (int i = 0; names[i] && !got; i++)
        got = setlocale(LC_NUMERIC, names[i]);
    fx f;
    lex(&f, "2.5 1234567890.1234567");
    ck_assert(f.toks[0].val.T_NUMBER == 2.5);
    ck_assert(f.toks[1].val.T_NUMBER == 1234567890.1234567);
    setlocale(LC_NUMERIC, "C");
    fx_free(&f);
}
END_TEST

static const struct {
    const char *text;
    int y, m, d;
} dates[] = {
    {"2026-01-15", 2026, 1, 15}, {"2024-02-29", 2024, 2, 29}, {"1800-01-01", 1800, 1, 1},
    {"2999-12-31", 2999, 12, 31}, {"1970-01-01", 1970, 1, 1},
};

START_TEST(test_date)
{
    fx f;
    lex(&f, dates[_i].text);
    ck_assert_int_eq(f.n, 1);
    ck_assert_int_eq(f.toks[0].kind, T_DATE);
    ck_assert_int_eq(f.toks[0].val.T_DATE, pu_from_ymd(dates[_i].y, dates[_i].m, dates[_i].d));
    ck_assert_uint_eq(f.toks[0].end, 10);
    ck_assert_uint_eq(f.diags.errors, 0);
    fx_free(&f);
}
END_TEST

static const struct {
    const char *text; /* with the quotes */
    const char *value;
    uint32_t len;
} strings[] = {
    {"\"\"", "", 0},
    {"\"USATF Level 2\"", "USATF Level 2", 13},
    {"\"say \\\"hi\\\"\"", "say \"hi\"", 8},
    {"\"a\\\\b\"", "a\\b", 3},
    {"\"line\\nnext\\tcol\"", "line\nnext\tcol", 13},
    {"\"# not a comment\"", "# not a comment", 15},
    {"\"caf\xc3\xa9\"", "caf\xc3\xa9", 5},
};

START_TEST(test_string)
{
    fx f;
    lex(&f, strings[_i].text);
    ck_assert_int_eq(f.n, 1);
    ck_assert_int_eq(f.toks[0].kind, T_STRING);
    ck_assert_str_eq(f.toks[0].val.T_STRING.s, strings[_i].value);
    ck_assert_uint_eq(f.toks[0].val.T_STRING.len, strings[_i].len);
    ck_assert_uint_eq(f.toks[0].end, strlen(strings[_i].text));
    ck_assert_uint_eq(f.diags.errors, 0);
    fx_free(&f);
}
END_TEST

/* ---- spans ----------------------------------------------------------------------- */

START_TEST(test_spans)
{
    fx f;
    const char *text = "\xEF\xBB\xBF# a comment\n  require \"x\": age >= 18 # more\n\tyears\r\n";
    lex(&f, text);
    static const struct {
        int kind;
        const char *text;
    } want[] = {
        {T_REQUIRE, "require"}, {T_STRING, "\"x\""}, {T_COLON, ":"}, {T_IDENT, "age"},
        {T_GE, ">="},           {T_INT, "18"},       {T_YEARS, "years"},
    };
    ck_assert_int_eq(f.n, 7);
    for (int i = 0; i < 7; i++) {
        ck_assert_int_eq(f.toks[i].kind, want[i].kind);
        size_t len = f.toks[i].end - f.toks[i].start;
        ck_assert_uint_eq(len, strlen(want[i].text));
        ck_assert(memcmp(text + f.toks[i].start, want[i].text, len) == 0);
    }
    /* end of file sits just after the last token */
    ck_assert_uint_eq(f.eof.start, f.toks[6].end);
    ck_assert_uint_eq(f.eof.end, f.toks[6].end);
    ck_assert_uint_eq(f.diags.errors, 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_adjacent)
{
    fx f;
    lex(&f, "a.b>=-2years(x)!=y<=[1,2]");
    static const int want[] = {T_IDENT, T_DOT, T_IDENT, T_GE, T_MINUS, T_INT, T_YEARS,
                               T_LPAREN, T_IDENT, T_RPAREN, T_NE, T_IDENT, T_LE, T_LBRACKET,
                               T_INT, T_COMMA, T_INT, T_RBRACKET};
    ck_assert_int_eq(f.n, (int)(sizeof want / sizeof *want));
    for (int i = 0; i < f.n; i++)
        ck_assert_int_eq(f.toks[i].kind, want[i]);
    fx_free(&f);
}
END_TEST

/* `decided`, `as` and `awaiting` are words only before what makes them
 * one (`by`, a text, `decision`), across layout and comments; elsewhere
 * they are names. */
static const struct {
    const char *text;
    int want[6];
} contextual[] = {
    {"decided by \"x\"", {T_DECIDED, T_IDENT, T_STRING}},
    {"decided\n  # why\n  by\"x\"", {T_DECIDED, T_IDENT, T_STRING}},
    {"decided", {T_IDENT}},
    {"decided byway", {T_IDENT, T_IDENT}},
    {"decided = by", {T_IDENT, T_EQ, T_IDENT}},
    {"as \"k\"", {T_AS, T_STRING}},
    {"as of 2026-01-01", {T_IDENT, T_OF, T_DATE}},
    {"awaiting decision none", {T_AWAITING, T_IDENT, T_NONE}},
    {"awaiting decisions", {T_IDENT, T_IDENT}},
};

START_TEST(test_contextual)
{
    fx f;
    lex(&f, contextual[_i].text);
    int n = 0;
    while (n < 6 && contextual[_i].want[n])
        n++;
    ck_assert_int_eq(f.n, n);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(f.toks[i].kind, contextual[_i].want[i]);
    ck_assert_uint_eq(f.diags.errors, 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_empty)
{
    fx f;
    lex(&f, "  # only a comment");
    ck_assert_int_eq(f.n, 0);
    ck_assert_uint_eq(f.eof.start, 0);
    fx_free(&f);
}
END_TEST

/* ---- errors ----------------------------------------------------------------------- */

static const struct {
    const char *text;
    const char *message;     /* the first diagnostic */
    uint32_t start, end;     /* its span */
    int ntokens;             /* tokens still produced */
    int first;               /* the first token's kind */
} errors[] = {
    {"a @ b", "unexpected character `@`", 2, 3, 2, T_IDENT},
    {"a \xc3\xa9 b", "unexpected character `\xc3\xa9`", 2, 4, 2, T_IDENT},
    {"\x01", "unexpected byte 0x01", 0, 1, 0, 0},
    {"'x'", "unexpected character `'`", 0, 1, 1, T_IDENT},
    {"x \xEF\xBB\xBF", "unexpected character `\xEF\xBB\xBF`", 2, 5, 1, T_IDENT},
    {"\"abc", "unterminated string", 0, 4, 1, T_STRING},
    {"\"abc\ndef", "unterminated string", 0, 4, 2, T_STRING},
    {"\"ab\\", "unterminated string", 0, 4, 1, T_STRING},
    {"\"a\\qb\"", "unknown escape `\\q` in text", 2, 4, 1, T_STRING},
    {"\"\\\x01\"", "unknown escape `\\\\x01` in text", 1, 3, 1, T_STRING},
    {"99999999999999999999", "integer `99999999999999999999` is too large (the largest is "
                             "9223372036854775807)", 0, 20, 1, T_INT},
    {"9223372036854775808", "integer `9223372036854775808` is too large (the largest is "
                            "9223372036854775807)", 0, 19, 1, T_INT},
    {"2026-02-30", "invalid date `2026-02-30`: February 2026 has 28 days", 0, 10, 1, T_DATE},
    {"2024-02-30", "invalid date `2024-02-30`: February 2024 has 29 days", 0, 10, 1, T_DATE},
    {"2026-04-31", "invalid date `2026-04-31`: April 2026 has 30 days", 0, 10, 1, T_DATE},
    {"1799-12-31", "invalid date `1799-12-31`: year out of range 1800-2999", 0, 10, 1, T_DATE},
    {"3000-01-01", "invalid date `3000-01-01`: year out of range 1800-2999", 0, 10, 1, T_DATE},
    {"2026-13-01", "invalid date `2026-13-01`: there is no month 13", 0, 10, 1, T_DATE},
    {"2026-00-10", "invalid date `2026-00-10`: there is no month 0", 0, 10, 1, T_DATE},
    {"2026-01-00", "invalid date `2026-01-00`: there is no day 0", 0, 10, 1, T_DATE},
    {"a == b", "`==` is not an operator here; write `=`", 2, 4, 3, T_IDENT},
    {"a && b", "`&&` is not an operator here; write `and`", 2, 4, 3, T_IDENT},
    {"a || b", "`||` is not an operator here; write `or`", 2, 4, 3, T_IDENT},
    {"!a", "`!` is not an operator here; write `not`", 0, 1, 2, T_NOT},
};

START_TEST(test_error)
{
    fx f;
    lex(&f, errors[_i].text);
    ck_assert_uint_ge(f.diags.errors, 1);
    pd_diag *d = f.diags.head;
    ck_assert_str_eq(d->message, errors[_i].message);
    ck_assert(d->has_span);
    ck_assert_uint_eq(d->span.start, errors[_i].start);
    ck_assert_uint_eq(d->span.end, errors[_i].end);
    ck_assert_int_eq(f.n, errors[_i].ntokens);
    if (f.n)
        ck_assert_int_eq(f.toks[0].kind, errors[_i].first);
    fx_free(&f);
}
END_TEST

START_TEST(test_error_values)
{
    fx f;
    /* bad literals still give tokens with usable values */
    lex(&f, "\"a\\qb\" 99999999999999999999 2026-02-30");
    ck_assert_int_eq(f.n, 3);
    ck_assert_str_eq(f.toks[0].val.T_STRING.s, "aqb");
    ck_assert(f.toks[1].val.T_INT == INT64_MAX);
    ck_assert_int_eq(f.toks[2].val.T_DATE, 0);
    ck_assert_uint_eq(f.diags.errors, 3);
    fx_free(&f);
}
END_TEST

START_TEST(test_error_notes)
{
    fx f;
    lex(&f, "'x' \"a\\q\" \"open");
    pd_diag *d = f.diags.head;
    ck_assert_str_eq(d->notes->message, "text is written in double quotes: \"like this\"");
    d = d->next->next; /* after the two quotes */
    ck_assert_str_eq(d->message, "unknown escape `\\q` in text");
    ck_assert_str_eq(d->notes->message, "the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`");
    d = d->next;
    ck_assert_str_eq(d->message, "unterminated string");
    ck_assert_str_eq(d->notes->message,
                     "text in quotes must end with `\"` on the line where it starts");
    fx_free(&f);
}
END_TEST

START_TEST(test_nul_byte)
{
    fx f;
    lex_n(&f, "a \0 \"x\0y\"", 9, 200);
    ck_assert_uint_eq(f.diags.errors, 2);
    ck_assert_str_eq(f.diags.head->message, "unexpected byte 0x00");
    ck_assert_uint_eq(f.diags.head->span.start, 2);
    ck_assert_str_eq(f.diags.head->next->message, "text cannot contain a NUL byte");
    ck_assert_uint_eq(f.diags.head->next->span.start, 6);
    ck_assert_int_eq(f.n, 2);
    ck_assert_int_eq(f.toks[1].kind, T_STRING);
    ck_assert_uint_eq(f.toks[1].val.T_STRING.len, 3);
    fx_free(&f);
}
END_TEST

/* ---- context kept for the parser ---------------------------------------------------- */

START_TEST(test_depth_limit)
{
    fx f;
    lex_n(&f, "((([x])))", 9, 3);
    /* the fourth bracket is one too many: reported, and the scan ends */
    ck_assert_uint_eq(f.diags.errors, 1);
    ck_assert_str_eq(f.diags.head->message, "too deeply nested (the limit is 3 levels of brackets)");
    ck_assert_uint_eq(f.diags.head->span.start, 3);
    ck_assert_int_eq(f.n, 3);
    ck_assert(f.lx.stop);
    fx_free(&f);
    lex_n(&f, "((x)) ((y)) [[z]]", 17, 2); /* closing brackets give the levels back */
    ck_assert_uint_eq(f.diags.errors, 0);
    ck_assert_int_eq(f.n, 15);
    fx_free(&f);
}
END_TEST

static const struct {
    const char *text;
    pp_block block; /* of the innermost open `{` at the end */
} blocks[] = {
    {"program p {", PP_BLOCK_PROGRAM},
    {"program p \"title\" {", PP_BLOCK_PROGRAM},
    {"facts f {", PP_BLOCK_FACTS},
    {"record r {", PP_BLOCK_RECORD},
    {"program p { require \"x\": all of {", PP_BLOCK_ALL_OF},
    {"program p { require \"x\": any of {", PP_BLOCK_ANY_OF},
    {"program p { require \"x\": at least 2 of {", PP_BLOCK_AT_LEAST},
    {"program p { require \"x\": any of { } }  record r { a: x }  facts f {", PP_BLOCK_FACTS},
};

START_TEST(test_braces)
{
    fx f;
    lex(&f, blocks[_i].text);
    ck_assert_ptr_nonnull(f.lx.braces);
    ck_assert_int_eq(f.lx.braces->block, blocks[_i].block);
    ck_assert_uint_eq(f.lx.braces->span.end, strlen(blocks[_i].text));
    fx_free(&f);
}
END_TEST

START_TEST(test_history)
{
    fx f;
    lex(&f, "require \"x\" age");
    /* after end of file the newest token is the end itself */
    ck_assert_int_eq(f.lx.hist[0].kind, T_YYEOF);
    ck_assert_int_eq(f.lx.hist[1].kind, T_IDENT);
    ck_assert_int_eq(f.lx.hist[2].kind, T_STRING);
    ck_assert_uint_eq(f.lx.hist[2].span.start, 8);
    fx_free(&f);
}
END_TEST

START_TEST(test_token_names)
{
    ck_assert_str_eq(pp_token_name(T_REQUIRE), "`require`");
    ck_assert_str_eq(pp_token_name(T_IDENT), "identifier");
    ck_assert_str_eq(pp_token_name(T_STRING), "text in quotes");
    ck_assert_str_eq(pp_token_name(T_YYEOF), "end of file");
    ck_assert_str_eq(pp_token_name(T_GE), "`>=`");
}
END_TEST

static int scan_guarded(pp_lex *lx, const char *text)
{
    jmp_buf fatal;
    lx->fatal = &fatal;
    if (setjmp(fatal))
        return -1;
    yyscan_t sc;
    if (!pp_lex_open(lx, &sc, text, strlen(text)))
        return -1;
    int n = 0;
    PW_YYSTYPE val;
    PW_YYLTYPE loc;
    while (pw_yylex(&val, &loc, sc) != T_YYEOF)
        n++;
    pp_lex_close(sc);
    return n;
}

/* Scans `text` in an arena of `limit` bytes: the number of tokens, or -1
 * when memory ran out (reported through diags.oom, never a crash). */
static int scan_limited(const char *text, size_t limit)
{
    pm_arena arena;
    pm_init(&arena, 1024);
    ps_sources src;
    ps_init(&src, &arena);
    pd_list diags;
    pd_init(&diags, &arena, 0);
    arena.limit = limit;
    int n = -1;
    int file = ps_add(&src, "t.pw", NULL, text, strlen(text));
    if (file >= 0) {
        pp_lex lx;
        memset(&lx, 0, sizeof lx);
        lx.arena = &arena;
        lx.src = &src;
        lx.file = (uint32_t)file;
        lx.diags = &diags;
        lx.max_depth = 200;
        n = scan_guarded(&lx, text);
        ck_assert(n >= 0 || diags.oom || file < 0);
        if (diags.oom)
            n = -1;
    }
    ps_fini(&src);
    pm_free(&arena);
    return n;
}

START_TEST(test_oom)
{
    /* Every arena size from nothing up: the scanner either works or says it
     * ran out of memory. */
    const char *text = "program p \"t\" { require \"x\": age >= 18 and name = \"bob\" }";
    int n = -1;
    size_t limit = 1; /* 0 would mean no limit */
    for (; n < 0; limit += 32) {
        ck_assert_uint_lt(limit, 1 << 20);
        n = scan_limited(text, limit);
    }
    ck_assert_int_eq(n, 15);
    ck_assert_uint_gt(limit, 256); /* the small sizes did fail */
}
END_TEST

static Suite *scanner_suite(void)
{
    Suite *s = suite_create("scanner");
    TCase *tokens = tcase_create("tokens");
    tcase_add_loop_test(tokens, test_word, 0, (int)(sizeof words / sizeof *words));
    tcase_add_loop_test(tokens, test_ident, 0, (int)(sizeof names / sizeof *names));
    tcase_add_loop_test(tokens, test_int, 0, (int)(sizeof ints / sizeof *ints));
    tcase_add_loop_test(tokens, test_number, 0, (int)(sizeof numbers / sizeof *numbers));
    tcase_add_test(tokens, test_number_locale);
    tcase_add_loop_test(tokens, test_date, 0, (int)(sizeof dates / sizeof *dates));
    tcase_add_loop_test(tokens, test_string, 0, (int)(sizeof strings / sizeof *strings));
    tcase_add_test(tokens, test_spans);
    tcase_add_test(tokens, test_adjacent);
    tcase_add_test(tokens, test_empty);
    tcase_add_loop_test(tokens, test_contextual, 0, (int)(sizeof contextual / sizeof *contextual));
    suite_add_tcase(s, tokens);
    TCase *errs = tcase_create("errors");
    tcase_add_loop_test(errs, test_error, 0, (int)(sizeof errors / sizeof *errors));
    tcase_add_test(errs, test_error_values);
    tcase_add_test(errs, test_error_notes);
    tcase_add_test(errs, test_nul_byte);
    tcase_add_test(errs, test_oom);
    suite_add_tcase(s, errs);
    TCase *ctx = tcase_create("context");
    tcase_add_test(ctx, test_depth_limit);
    tcase_add_loop_test(ctx, test_braces, 0, (int)(sizeof blocks / sizeof *blocks));
    tcase_add_test(ctx, test_history);
    tcase_add_test(ctx, test_token_names);
    suite_add_tcase(s, ctx);
    return s;
}

int main(void)
{
    return pw_run_suite(scanner_suite());
}
