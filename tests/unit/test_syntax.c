/* The sentences of syntax errors (src/front/syntax.c), from a pp_syntax
 * written by hand: no bison involved, so each folding rule ("an
 * expression", "a declaration", the context after a label) is checked on
 * its own, with its exact message. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "check_main.h"
#include "front/syntax.h"

enum { END = -100 }; /* ends a list of token kinds (T_YYEOF is 0) */

typedef struct fx {
    pm_arena arena;
    ps_sources src;
    pd_list diags;
    pp_lex lx;
    pp_parser p;
} fx;

/* A parser state over `text` whose last two tokens before the lookahead
 * were `before` and `prev`. */
static void fx_init(fx *f, const char *text, int before, int prev)
{
    pm_init(&f->arena, 0);
    ps_init(&f->src, &f->arena);
    pd_init(&f->diags, &f->arena, 0);
    int file = ps_add(&f->src, "t.pw", NULL, text, strlen(text));
    ck_assert_int_ge(file, 0);
    memset(&f->lx, 0, sizeof f->lx);
    f->lx.arena = &f->arena;
    f->lx.src = &f->src;
    f->lx.file = (uint32_t)file;
    f->lx.diags = &f->diags;
    f->lx.hist[1].kind = prev;
    f->lx.hist[2].kind = before;
    memset(&f->p, 0, sizeof f->p);
    f->p.lex = &f->lx;
    f->p.arena = &f->arena;
    f->p.diags = &f->diags;
    f->p.file = (uint32_t)file;
}

static void fx_free(fx *f)
{
    ps_fini(&f->src);
    pm_free(&f->arena);
}

/* The lookahead at text[start..end) and the tokens that would fit. */
static pp_syntax syntax(const fx *f, int la, uint32_t start, uint32_t end, const int *expected)
{
    pp_syntax s;
    memset(&s, 0, sizeof s);
    s.lookahead = la;
    s.at = (ps_span){f->p.file, start, end};
    for (const int *k = expected; *k != END; k++) {
        ck_assert_int_lt(*k, PP_TOKEN_KINDS);
        s.expected[*k] = true;
        s.nexpected++;
    }
    return s;
}

/* ---- E0201: what was found, what would fit, after what ------------------------ */

static const struct {
    const char *text;
    int before, prev;            /* the two tokens before the lookahead */
    int la;                      /* the lookahead, the word at `start` */
    uint32_t start;
    int expected[40];
    const char *message;
} sentences[] = {
    /* After a label, only `:` is worth naming. */
    {"require \"x\" age", T_REQUIRE, T_STRING, T_IDENT, 12, {T_COLON, END},
     "expected `:` after the requirement label, found `age`"},
    {"\"m\" age", T_LBRACE, T_STRING, T_IDENT, 4, {T_COLON, END},
     "expected `:` after the label, found `age`"},
    /* The tokens that start an expression are one phrase; `at` adds a group. */
    {"x: }", T_IDENT, T_COLON, T_RBRACE, 3,
     {T_INT, T_NUMBER, T_STRING, T_DATE, T_TRUE, T_FALSE, T_NONE, T_TODAY, T_IDENT,
      T_LPAREN, T_LBRACKET, T_MINUS, T_NOT, T_IF, T_ANY, T_ALL, T_COUNT, T_SUM, T_YEAR,
      T_YEARS, T_MONTH, T_MONTHS, T_DAY, T_DAYS, T_AT, END},
     "unexpected `}`; expected an expression or a group"},
    {"a: )", T_IDENT, T_COLON, T_RPAREN, 3, {T_LIST, T_SET, T_IDENT, END},
     "unexpected `)`; expected a type"},
    {"e = { x: ) }", T_IDENT, T_COLON, T_RPAREN, 9,
     {T_INT, T_NUMBER, T_STRING, T_DATE, T_TRUE, T_FALSE, T_NONE, T_MINUS, T_LBRACE,
      T_LBRACKET, END},
     "unexpected `)`; expected a value, `{` or `[`"},
    /* At the top level: end of file is no advice. */
    {"}", T_RBRACE, T_RBRACE, T_RBRACE, 0,
     {T_YYEOF, T_INCLUDE, T_FACTS, T_RECORD, T_DEFINE, T_PROGRAM, T_EXAMPLE, T_TEST, T_KNOWN,
      END},
     "unexpected `}`; expected a declaration"},
    /* Inside a block, `}` is what to write: not end of file, not a declaration. */
    {"p { 7", T_IDENT, T_LBRACE, T_INT, 4,
     {T_YYEOF, T_PROGRAM, T_FACTS, T_REQUIRE, T_PREFER, T_ADVISE, T_IDENT, T_GRANTS, T_RBRACE,
      END},
     "unexpected `7`; expected a requirement, an attribute or `}`"},
    /* More than four phrases: only where it stands. */
    {"a b", T_COLON, T_IDENT, T_IDENT, 2,
     {T_OR, T_AND, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_IN, T_IS, T_OTHERWISE, T_PLUS,
      T_MINUS, T_STAR, T_DOT, T_LPAREN, T_CITING, T_EFFECTIVE, T_ASSUMING, T_REQUIRE,
      T_PREFER, T_ADVISE, T_GRANTS, T_RBRACE, T_YYEOF, T_PROGRAM, END},
     "unexpected `b` after an expression"},
    /* A keyword names the context itself. */
    {"if )", T_COLON, T_IF, T_RPAREN, 3, {T_IDENT, T_INT, T_LPAREN, T_STRING, END},
     "expected an expression after `if`, found `)`"},
    {"define f", T_DEFINE, T_IDENT, T_YYEOF, 8, {T_LPAREN, T_COLON, T_EQ, END},
     "expected `(`, `:` or `=` after the definition name, found end of file"},
    /* A long lookahead is cut, on a character boundary. */
    {"x abcdefghijklmnopqrstuvwxyzabcdefghij", T_COLON, T_IDENT, T_IDENT, 2, {T_COLON, END},
     "unexpected `abcdefghijklmnopqrstuvwxyzabc...`; expected `:`"},
    {"x abcdefghijklmnopqrstuvwxyzab\xc3\xa9xxxxxxxx", T_COLON, T_IDENT, T_IDENT, 2,
     {T_COLON, END}, "unexpected `abcdefghijklmnopqrstuvwxyzab...`; expected `:`"},
    /* Units alone are listed; beside other tokens they are a detail. */
    {"for x", T_VALID, T_FOR, T_IDENT, 4, {T_YEAR, T_YEARS, T_MONTH, T_MONTHS, T_DAY, T_DAYS, END},
     "unexpected `x` after `for`"},
    /* Partial classes are named token by token. */
    {"a x", T_COLON, T_IDENT, T_IDENT, 2, {T_PLUS, T_MINUS, T_RPAREN, END},
     "unexpected `x`; expected `)`, `+` or `-`"},
    {"a: x", T_IDENT, T_COLON, T_INT, 3, {T_LIST, T_SET, END}, "unexpected `x`; expected `list` or `set`"},
    {"a: 1", T_IDENT, T_COLON, T_INT, 3, {T_LIST, T_IDENT, END},
     "unexpected `1`; expected `list` or identifier"},
    {"a = )", T_IDENT, T_EQ, T_RPAREN, 4, {T_IDENT, T_INT, END},
     "unexpected `)`; expected identifier or integer"},
    {"a = )", T_IDENT, T_EQ, T_RPAREN, 4, {T_INT, T_STRING, END},
     "unexpected `)`; expected integer or text in quotes"},
    {"p { 7", T_IDENT, T_LBRACE, T_INT, 4, {T_REQUIRE, T_PREFER, T_RBRACE, END},
     "unexpected `7`; expected `require`, `prefer` or `}`"},
    {"p { 7", T_IDENT, T_LBRACE, T_INT, 4, {T_REQUIRE, T_RBRACE, END},
     "unexpected `7`; expected `require` or `}`"},
    {"p { 7", T_IDENT, T_LBRACE, T_INT, 4, {T_REQUIRE, T_PREFER, T_ADVISE, T_GRANTS, T_RBRACE, END},
     "unexpected `7`; expected a requirement, an attribute or `}`"},
    {"} 7", T_RBRACE, T_RBRACE, T_INT, 2, {T_FACTS, T_RECORD, T_DEFINE, END},
     "unexpected `7`; expected `facts`, `record` or `define`"},
    {"} 7", T_RBRACE, T_RBRACE, T_INT, 2, {T_FACTS, T_RECORD, END},
     "unexpected `7`; expected `facts` or `record`"},
    {"} 7", T_RBRACE, T_RBRACE, T_INT, 2, {T_FACTS, T_DEFINE, END},
     "unexpected `7`; expected `facts` or `define`"},
    /* After a name, what it names. */
    {"record r x", T_RECORD, T_IDENT, T_IDENT, 9, {T_LBRACE, END},
     "expected `{` after the record name, found `x`"},
    {"require \"x\"", T_LBRACE, T_REQUIRE, T_STRING, 8, {T_IDENT, END},
     "expected identifier after `require`, found `\"x\"`"},
    /* A word in a type's place is not taken for a name. */
    {"list of count", T_LIST, T_OF, T_COUNT, 8, {T_IDENT, END},
     "expected identifier after `of`, found `count`"},
    {"a: text? count", T_IDENT, T_QUESTION, T_COUNT, 9, {T_IDENT, T_EQ, END},
     "unexpected `count`; expected `=` or identifier"},
    /* A unit before something other than `since` and `between`. */
    {"year )", T_COLON, T_YEAR, T_RPAREN, 5, {T_SINCE, T_OF, END},
     "expected `of` or `since` after `year`, found `)`"},
    {"month since", T_INT, T_MONTH, T_SINCE, 6, {T_PLUS, T_STAR, T_MINUS, T_RBRACE, END},
     "expected an operator or `}` after `month`, found `since`"},
    {"day between", T_INT, T_DAY, T_BETWEEN, 4, {T_PLUS, T_STAR, T_MINUS, T_RBRACE, END},
     "expected an operator or `}` after `day`, found `between`"},
    /* A word that is no month: no note. */
    {"1 Jaxx", T_COLON, T_INT, T_IDENT, 2, {T_MONTHNAME, T_PLUS, T_STAR, END},
     "unexpected `Jaxx`; expected an operator"},
    /* After a label, something other than `:` would fit only. */
    {"require \"x\" age", T_REQUIRE, T_STRING, T_IDENT, 12, {T_LBRACE, END},
     "expected `{` after the requirement label, found `age`"},
    {"\"m\" age", T_LBRACE, T_STRING, T_IDENT, 4, {T_COMMA, END}, "unexpected `age`; expected `,`"},
    {"year )", T_COLON, T_YEAR, T_RPAREN, 5, {T_SINCE, T_BETWEEN, T_OF, END},
     "expected `of`, `since` or `between` after `year`, found `)`"},
    {"p { 7", T_IDENT, T_LBRACE, T_INT, 4, {T_REQUIRE, T_PREFER, T_ADVISE, T_RBRACE, END},
     "unexpected `7`; expected a requirement or `}`"},
    {"x y", T_COLON, T_IDENT, T_IDENT, 2, {T_ARRANGE, END}, "unexpected `y`"},
    {"x y", T_COLON, T_IDENT, T_IDENT, 2, {T_COMMA, T_RPAREN, T_RBRACKET, T_COLON, T_LBRACE, END},
     "unexpected `y`"},
    {"x since", T_COLON, T_IDENT, T_SINCE, 2, {T_PLUS, T_STAR, T_MINUS, END},
     "unexpected `since`; expected an operator"},
};

START_TEST(test_sentence)
{
    fx f;
    fx_init(&f, sentences[_i].text, sentences[_i].before, sentences[_i].prev);
    const char *text = sentences[_i].text;
    uint32_t end = sentences[_i].start;
    while (text[end] && text[end] != ' ')
        end++;
    pp_syntax s = syntax(&f, sentences[_i].la, sentences[_i].start, end, sentences[_i].expected);
    ck_assert(!pp_syntax_quiet(&f.p));
    pp_syntax_error(&f.p, &s);
    ck_assert_ptr_nonnull(f.diags.head);
    ck_assert_str_eq(f.diags.head->code, "E0201");
    ck_assert_str_eq(f.diags.head->message, sentences[_i].message);
    ck_assert_uint_eq(f.diags.head->span.start, sentences[_i].start);
    ck_assert_ptr_null(f.diags.head->next);
    fx_free(&f);
}
END_TEST

/* ---- the other reports ---------------------------------------------------------- */

START_TEST(test_missing_label)
{
    fx f;
    fx_init(&f, "prefer age", T_RBRACE, T_PREFER);
    pp_syntax s = syntax(&f, T_IDENT, 7, 10, (const int[]){T_STRING, END});
    pp_syntax_error(&f.p, &s);
    ck_assert_str_eq(f.diags.head->code, "E0203");
    ck_assert_str_eq(f.diags.head->message, "a requirement needs a label in quotes: prefer "
                                            "\"at least 18 years of age\": age >= 18");
    fx_free(&f);
}
END_TEST

START_TEST(test_open_group)
{
    fx f;
    fx_init(&f, "require \"x\": any of { \"a\": b", T_COLON, T_IDENT);
    pp_brace b = {PP_BLOCK_ANY_OF, {f.p.file, 20, 21}, NULL};
    f.lx.braces = &b;
    pp_syntax s = syntax(&f, T_YYEOF, 29, 29, (const int[]){T_RBRACE, T_STRING, END});
    pp_syntax_error(&f.p, &s);
    ck_assert_str_eq(f.diags.head->code, "E0202");
    ck_assert_str_eq(f.diags.head->message, "unterminated `any of` group: expected `}`");
    ck_assert_ptr_nonnull(f.diags.head->notes);
    ck_assert_str_eq(f.diags.head->notes->message, "to match this `{`");
    ck_assert_uint_eq(f.diags.head->notes->span.start, 20);
    fx_free(&f);
}
END_TEST

START_TEST(test_unterminated_before)
{
    fx f;
    fx_init(&f, "facts f { a: text program", T_COLON, T_IDENT);
    ps_span at = {f.p.file, 18, 25}, brace = {f.p.file, 8, 9};
    pp_report_unterminated(&f.p, PP_BLOCK_FACTS, &at, T_PROGRAM, &brace);
    ck_assert_str_eq(f.diags.head->code, "E0202");
    ck_assert_str_eq(f.diags.head->message,
                     "unterminated `facts` block: expected `}` before `program`");
    fx_free(&f);
}
END_TEST

/* After the scanner gave up, or memory ran out, nothing more is said. */
START_TEST(test_quiet)
{
    fx f;
    fx_init(&f, "x y", T_COLON, T_IDENT);
    f.lx.stop = true;
    ck_assert(pp_syntax_quiet(&f.p));
    f.lx.stop = false;
    f.p.oom = true;
    ck_assert(pp_syntax_quiet(&f.p));
    fx_free(&f);
}
END_TEST

START_TEST(test_parser_failed)
{
    fx f;
    fx_init(&f, "not not not", T_NOT, T_NOT);
    ps_span at = {f.p.file, 8, 11};
    errno = 0;
    pp_parser_failed(&f.p, &at, 10000);
    ck_assert_str_eq(f.diags.head->code, "E0206");
    ck_assert_str_eq(f.diags.head->message, "too deeply nested to parse");
    ck_assert_str_eq(f.diags.head->notes->message,
                     "the parser can hold at most 10000 unfinished constructs");
    ck_assert(!f.diags.oom);
    fx_free(&f);
    /* After memory ran out in the parser, or the scanner gave up, nothing
     * more is said; only the first counts as out of memory. */
    fx_init(&f, "x", T_COLON, T_IDENT);
    f.p.oom = true;
    pp_parser_failed(&f.p, &at, 10000);
    ck_assert_ptr_null(f.diags.head);
    ck_assert(f.diags.oom);
    fx_free(&f);
    fx_init(&f, "x", T_COLON, T_IDENT);
    f.lx.stop = true;
    pp_parser_failed(&f.p, &at, 10000);
    ck_assert_ptr_null(f.diags.head);
    ck_assert(!f.diags.oom);
    fx_free(&f);
    /* A failed malloc is out of memory, not nesting. */
    fx_init(&f, "x", T_COLON, T_IDENT);
    errno = ENOMEM;
    pp_parser_failed(&f.p, &at, 10000);
    ck_assert_ptr_null(f.diags.head);
    ck_assert(f.diags.oom);
    errno = 0;
    fx_free(&f);
}
END_TEST

static Suite *syntax_suite(void)
{
    Suite *s = suite_create("syntax");
    TCase *tc = tcase_create("sentences");
    tcase_add_loop_test(tc, test_sentence, 0, (int)(sizeof sentences / sizeof *sentences));
    tcase_add_test(tc, test_missing_label);
    tcase_add_test(tc, test_open_group);
    tcase_add_test(tc, test_unterminated_before);
    tcase_add_test(tc, test_quiet);
    tcase_add_test(tc, test_parser_failed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(syntax_suite());
}
