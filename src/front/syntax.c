/* The sentences of syntax errors (syntax.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "syntax.h"
#include "util/assert.h"

/* Messages are built in a bounded buffer; a long list is cut, never overrun. */
typedef struct pp_msg {
    char buf[400];
    size_t len;
} pp_msg;

static void pp_msg_add(pp_msg *m, const char *s)
{
    size_t n = strlen(s);
    /* A sentence is at most four phrases, a context and a quote of 36
     * bytes: far under the buffer. The cut stays for safety. */
    if (PU_NEVER(n > sizeof m->buf - 1 - m->len))
        n = sizeof m->buf - 1 - m->len;
    memcpy(m->buf + m->len, s, n);
    m->len += n;
    m->buf[m->len] = '\0';
}

/* The lookahead as the reader sees it: its own text in backticks, cut short
 * (on a character boundary) when long. */
static void pp_found(const pp_parser *p, int kind, const ps_span *span, pp_msg *m)
{
    /* Any other token was read by the scanner from its file: its span is in it. */
    if (kind == T_YYEOF || PU_NEVER(span->file >= p->lex->src->nfiles)) {
        pp_msg_add(m, "end of file");
        return;
    }
    const ps_file *f = &p->lex->src->files[span->file];
    uint32_t start = span->start < f->len ? span->start : f->len;
    uint32_t len = span->end > start ? span->end - start : 0;
    if (PU_NEVER(start + len > f->len))
        len = f->len - start;
    bool cut = len > 32;
    if (cut) {
        len = 29;
        while (len > 0 && ((unsigned char)f->text[start + len] & 0xC0) == 0x80)
            len--;
    }
    char text[40];
    memcpy(text, f->text + start, len);
    text[len] = '\0';
    pp_msg_add(m, "`");
    pp_msg_add(m, text);
    pp_msg_add(m, cut ? "...`" : "`");
}

/* ---- classes of tokens, folded into one phrase each ------------------------- */

/* What a token may be, for folding the expected set: it can start an
 * expression, it is a value in facts, an operator after an expression, a
 * declaration keyword, a unit of time. A new token joins its classes here. */
enum {
    PP_STARTS_EXPR = 1 << 0,
    PP_VALUE = 1 << 1,
    PP_OPERATOR = 1 << 2,
    PP_TOPLEVEL = 1 << 3,
    PP_UNIT = 1 << 4,
};

#define PP_LITERAL (PP_STARTS_EXPR | PP_VALUE)
#define PP_TIME (PP_STARTS_EXPR | PP_UNIT)

static const unsigned char pp_class[PP_TOKEN_KINDS] = {
    [T_INT] = PP_LITERAL, [T_NUMBER] = PP_LITERAL, [T_STRING] = PP_LITERAL,
    [T_DATE] = PP_LITERAL, [T_TRUE] = PP_LITERAL, [T_FALSE] = PP_LITERAL,
    [T_NONE] = PP_LITERAL, [T_MINUS] = PP_LITERAL | PP_OPERATOR,
    [T_TODAY] = PP_STARTS_EXPR, [T_IDENT] = PP_STARTS_EXPR,
    [T_LPAREN] = PP_STARTS_EXPR | PP_OPERATOR, [T_LBRACKET] = PP_STARTS_EXPR,
    [T_NOT] = PP_STARTS_EXPR, [T_IF] = PP_STARTS_EXPR, [T_ANY] = PP_STARTS_EXPR,
    [T_ALL] = PP_STARTS_EXPR, [T_COUNT] = PP_STARTS_EXPR, [T_SUM] = PP_STARTS_EXPR,
    [T_YEAR] = PP_TIME, [T_YEARS] = PP_TIME, [T_MONTH] = PP_TIME,
    [T_MONTHS] = PP_TIME, [T_DAY] = PP_TIME, [T_DAYS] = PP_TIME,
    [T_MONTHNAME] = PP_UNIT, /* `31 August`: a detail after a number, as a unit is */
    [T_OR] = PP_OPERATOR, [T_AND] = PP_OPERATOR, [T_EQ] = PP_OPERATOR,
    [T_NE] = PP_OPERATOR, [T_LT] = PP_OPERATOR, [T_LE] = PP_OPERATOR,
    [T_GT] = PP_OPERATOR, [T_GE] = PP_OPERATOR, [T_IN] = PP_OPERATOR,
    [T_IS] = PP_OPERATOR, [T_OTHERWISE] = PP_OPERATOR, [T_PLUS] = PP_OPERATOR,
    [T_STAR] = PP_OPERATOR, [T_DOT] = PP_OPERATOR,
    [T_INCLUDE] = PP_TOPLEVEL, [T_FACTS] = PP_TOPLEVEL, [T_RECORD] = PP_TOPLEVEL,
    [T_DEFINE] = PP_TOPLEVEL, [T_PROGRAM] = PP_TOPLEVEL, [T_EXAMPLE] = PP_TOPLEVEL,
    [T_TEST] = PP_TOPLEVEL, [T_KNOWN] = PP_TOPLEVEL, [T_SOURCE] = PP_TOPLEVEL,
    [T_REQUIREMENTS] = PP_TOPLEVEL, [T_EXTEND] = PP_TOPLEVEL,
};

static bool pp_is_role(int k) { return k == T_REQUIRE || k == T_PREFER || k == T_ADVISE; }

/* The expected tokens, folded into what a reader thinks of: "an expression"
 * rather than twenty tokens that can start one. */
typedef struct pp_expect {
    const char *phrase[PP_TOKEN_KINDS];
    int n;
    bool after_expr;  /* an operator would fit: the parser is after an expression */
} pp_expect;

/* Replaces a class of tokens by one phrase (or by nothing when NULL). */
static void pp_fold(bool has[PP_TOKEN_KINDS], unsigned cls, pp_expect *e, const char *phrase)
{
    for (int k = 0; k < PP_TOKEN_KINDS; k++)
        if (pp_class[k] & cls)
            has[k] = false;
    if (phrase)
        e->phrase[e->n++] = phrase;
}

/* `n months`: after a name, a unit may follow (a duration with a computed
 * count), but the reader is told what usually comes; the units are listed
 * only when nothing else would fit (`valid for 4`). */
static void pp_fold_units_beside(bool has[PP_TOKEN_KINDS], pp_expect *e)
{
    bool unit = false, other = false;
    for (int k = 0; k < PP_TOKEN_KINDS; k++) {
        if (!has[k])
            continue;
        if (pp_class[k] & PP_UNIT)
            unit = true;
        else
            other = true;
    }
    if (unit && other)
        pp_fold(has, PP_UNIT, e, NULL);
}

/* Folds the classes in `has` (clearing them there) and lists what is left
 * by name, in the order the tokens are declared. */
static void pp_expectations(bool has[PP_TOKEN_KINDS], pp_expect *e)
{
    e->n = 0;
    e->after_expr = false;
    /* `granted here` and `arrange "..."` are words only in their places (the
     * scanner decides): details, never what the reader is told must come. */
    has[T_GRANTED] = has[T_ARRANGE] = false;
    /* End of file and a new declaration are accepted inside a block only to
     * report it unterminated; they are not what the author should write. */
    if (has[T_RBRACE]) {
        has[T_YYEOF] = false;
        pp_fold(has, PP_TOPLEVEL, e, NULL);
    }
    if (has[T_PLUS] && has[T_STAR]) {
        e->after_expr = true;
        pp_fold(has, PP_OPERATOR, e, "an operator");
        pp_fold(has, PP_UNIT, e, NULL); /* `2 years`: the unit is a detail here */
    }
    pp_fold_units_beside(has, e);
    if (has[T_LIST] && has[T_SET] && has[T_IDENT]) {
        has[T_LIST] = has[T_SET] = has[T_IDENT] = false;
        e->phrase[e->n++] = "a type";
    }
    if (has[T_IDENT] && has[T_INT] && has[T_LPAREN]) {
        bool group = has[T_AT];
        has[T_AT] = false;
        has[T_DECIDED] = false; /* `decided by "WHO"`: a detail, as a unit is */
        pp_fold(has, PP_STARTS_EXPR, e, group ? "an expression or a group" : "an expression");
    } else if (has[T_INT] && has[T_STRING] && has[T_DATE]) {
        pp_fold(has, PP_VALUE, e, "a value");
    }
    if (has[T_REQUIRE] && has[T_PREFER] && has[T_ADVISE]) {
        has[T_REQUIRE] = has[T_PREFER] = has[T_ADVISE] = false;
        e->phrase[e->n++] = "a requirement";
        if (has[T_IDENT] || has[T_GRANTS]) {
            has[T_IDENT] = has[T_GRANTS] = false;
            e->phrase[e->n++] = "an attribute";
        }
    }
    if (has[T_FACTS] && has[T_RECORD] && has[T_DEFINE] && has[T_PROGRAM]) {
        /* After a definition's value, `assuming` is a detail (as a unit is
         * after an expression): the reader is told what usually comes. */
        has[T_YYEOF] = has[T_ASSUMING] = false;
        pp_fold(has, PP_TOPLEVEL, e, "a declaration");
    }
    for (int k = 0; k < PP_TOKEN_KINDS; k++)
        if (has[k])
            e->phrase[e->n++] = pp_token_name(k);
}

/* "A", "A or B", "A, B or C". */
static void pp_list(const pp_expect *e, pp_msg *m)
{
    for (int i = 0; i < e->n; i++) {
        if (i > 0)
            pp_msg_add(m, i == e->n - 1 ? " or " : ", ");
        pp_msg_add(m, e->phrase[i]);
    }
}

/* What the error comes after, when the last tokens say so ("the requirement
 * label", "`if`"); NULL when a plain "unexpected X" reads better. */
static const char *pp_context(const pp_lex *lx)
{
    int prev = lx->hist[1].kind, before = lx->hist[2].kind;
    if (prev == T_STRING && pp_is_role(before))
        return "the requirement label";
    if (prev == T_IDENT && before == T_PROGRAM)
        return "the program name";
    if (prev == T_IDENT && (before == T_FACTS || before == T_RECORD))
        return "the record name";
    if (prev == T_IDENT && before == T_DEFINE)
        return "the definition name";
    if (prev >= T_INCLUDE && prev <= T_SET)
        return pp_token_name(prev);
    return NULL;
}

/* ---- the reports -------------------------------------------------------------- */

static const char *const pp_block_name[] = {
    [PP_BLOCK_OTHER] = "block", [PP_BLOCK_PROGRAM] = "`program` block",
    [PP_BLOCK_FACTS] = "`facts` block", [PP_BLOCK_RECORD] = "`record` block",
    [PP_BLOCK_ALL_OF] = "`all of` group", [PP_BLOCK_ANY_OF] = "`any of` group",
    [PP_BLOCK_AT_LEAST] = "`at least` group", [PP_BLOCK_TEST] = "`test` block",
    [PP_BLOCK_REQUIREMENTS] = "`requirements` block",
};

void pp_report_unterminated(pp_parser *p, pp_block block, const ps_span *at, int before,
                            const ps_span *brace)
{
    pd_diag *d;
    if (before == T_YYEOF)
        d = pd_report(p->diags, PD_E0202, at, "unterminated %s: expected `}`",
                   pp_block_name[block]);
    else
        d = pd_report(p->diags, PD_E0202, at, "unterminated %s: expected `}` before %s",
                   pp_block_name[block], pp_token_name(before));
    pd_note_add(p->diags, d, brace, "to match this `{`");
}

/* The end of the file inside a group: name the group and its `{`. (The
 * blocks of declarations end there by a rule of the grammar instead.) */
static bool pp_report_unclosed(pp_parser *p, const pp_syntax *s)
{
    const pp_brace *b = p->lex->braces;
    if (s->lookahead != T_YYEOF || !b || !s->expected[T_RBRACE])
        return false;
    pp_report_unterminated(p, b->block, &s->at, T_YYEOF, &b->span);
    return true;
}

/* `require age >= 18`: say what the author needs to write. (Parsing the
 * unlabelled form instead would make `require "x" age` mean a requirement
 * on the text "x" followed by an attribute named `age`.) */
static bool pp_report_unlabelled(pp_parser *p, const pp_syntax *s)
{
    int prev = p->lex->hist[1].kind;
    const ps_span *at = &s->at;
    /* `require age >= 18` reads `require age` as the use of a block of
     * requirements (`require adult_member`) up to the `>=`. */
    if (prev == T_IDENT && p->lex->hist[2].kind == T_REQUIRE) {
        prev = T_REQUIRE;
        at = &p->lex->hist[1].span;
        if (p->last_use)
            p->last_use->use = NULL; /* not a use: the checker drops it */
    } else if (!pp_is_role(prev) || s->lookahead == T_STRING) {
        return false;
    }
    const char *role = prev == T_PREFER ? "prefer" : prev == T_ADVISE ? "advise" : "require";
    pd_report(p->diags, PD_E0203, at,
           "a requirement needs a label in quotes: %s \"at least 18 years of age\": age >= 18",
           role);
    return true;
}

/* ---- reserved words ----------------------------------------------------------- */

static bool pp_is_word(int k) { return k >= T_INCLUDE && k <= T_SET; }

static bool pp_is_unit(int k)
{
    return k == T_YEAR || k == T_YEARS || k == T_MONTH || k == T_MONTHS || k == T_DAY || k == T_DAYS;
}

/* What a name written at this point names, from the token before it. */
static const char *pp_name_role(int prev)
{
    switch (prev) {
    case T_DEFINE: return "a definition's name";
    case T_LPAREN: case T_COMMA: return "a parameter's name";
    case T_PROGRAM: return "a program's name";
    case T_FACTS: case T_RECORD: return "a record's name";
    case T_ANY: case T_ALL: case T_COUNT: case T_FOR: return "a quantifier's variable";
    case T_EXAMPLE: return "an example's name";
    case T_KNOWN: return "a list's name";
    case T_SOURCE: return "a source's name";
    case T_REQUIREMENTS: return "a block's name";
    case T_DOT: return "a field's name";
    default: return "a name";
    }
}

/* Two spellings that are names, for the word (`n_months`, `month_count`):
 * what the author most likely means by it. */
static void pp_reserved_spellings(const char *word, char *a, char *b, size_t len)
{
    static const struct { const char *word, *a, *b; } named[] = {
        {"count", "n", "how_many"}, {"sum", "total", "sum_of"}, {"today", "as_of", "on_day"},
        {"from", "start", "from_date"}, {"until", "end", "until_date"}, {"test", "check", "test_name"},
        {"set", "set_name", "group"}, {"list", "items", "list_name"}, {"record", "entry", "record_name"},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strcmp(word, named[i].word) == 0) {
            snprintf(a, len, "%s", named[i].a);
            snprintf(b, len, "%s", named[i].b);
            return;
        }
    }
    size_t n = strlen(word);
    bool unit = strncmp(word, "year", 4) == 0 || strncmp(word, "month", 5) == 0 || strncmp(word, "day", 3) == 0;
    if (unit) {
        int stem = (int)(word[n - 1] == 's' ? n - 1 : n);
        snprintf(a, len, "n_%.*ss", stem, word);
        snprintf(b, len, "%.*s_count", stem, word);
        return;
    }
    snprintf(a, len, "the_%s", word);
    snprintf(b, len, "%s_value", word);
}

/* The text of a keyword token at `at` (short: a keyword), into bare. */
static void pp_word_at(const pp_parser *p, const ps_span *at, char *bare, size_t len)
{
    pp_msg word = {.len = 0};
    pp_found(p, T_IDENT, at, &word);
    /* pp_found quotes it; the bare word is between the backticks. */
    size_t n = word.len >= 2 ? word.len - 2 : 0;
    if (PU_NEVER(n >= len)) /* the quote is at most 35 bytes */
        n = len - 1;
    memcpy(bare, word.buf + 1, n);
    bare[n] = '\0';
}

/* E0210: the word, that it is reserved, and two names to use instead. */
static pd_diag *pp_reserved_report(pp_parser *p, const ps_span *at, const char *role)
{
    char bare[40], a[48], b[48];
    pp_word_at(p, at, bare, sizeof bare);
    pp_reserved_spellings(bare, a, b, sizeof a);
    pd_diag *d = pd_report(p->diags, PD_E0210, at, "`%s` is a reserved word of the language and cannot be %s",
                           bare, role);
    pd_note_add(p->diags, d, NULL, "choose another spelling, e.g. `%s` or `%s`", a, b);
    pd_set_fix(p->diags, d, a);
    return d;
}

/* `define held_for(licence: text, months: integer)`: a word of the language
 * where only a name fits. Its definition is then declared without a body
 * (pp_define_failed), so its uses add nothing. */
static bool pp_report_reserved(pp_parser *p, const pp_syntax *s)
{
    if (!pp_is_word(s->lookahead) || !s->expected[T_IDENT] || s->expected[T_INT] || s->expected[T_STRING])
        return false;
    /* After an expression a name fits only as the start of what follows
     * (a program's attribute): the word is not meant as a name there
     * (`n months since D`). */
    if (s->expected[T_PLUS] && s->expected[T_STAR])
        return false;
    int prev = p->lex->hist[1].kind;
    if (prev == T_COLON || prev == T_OF || prev == T_QUESTION)
        return false; /* a type's place: "expected a type" says it better */
    pp_reserved_report(p, &s->at, pp_name_role(prev));
    return true;
}

/* `months > 1`, `months` meant as a name: the unit starts `months since D`
 * or `months between A and B`, and nothing else fits after it. */
static bool pp_report_unit_as_name(pp_parser *p, const pp_syntax *s)
{
    const pp_tok *unit = &p->lex->hist[1];
    if (!pp_is_unit(unit->kind) || !s->expected[T_SINCE] || !s->expected[T_BETWEEN])
        return false;
    /* `year`, `month` and `day` also start `year of D` (and `day D of ...`):
     * then only an operator after the word says it was meant as a name. */
    bool part = s->expected[T_OF];
    if (s->nexpected != 2 && !(part && s->lookahead < PP_TOKEN_KINDS && (pp_class[s->lookahead] & PP_OPERATOR)))
        return false;
    char bare[40];
    pp_word_at(p, &unit->span, bare, sizeof bare);
    pd_diag *d = pp_reserved_report(p, &unit->span, "a name");
    if (part)
        pd_note_add(p->diags, d, NULL, "here it starts a part of a date, `%s of D`, or a count of time, such as "
                    "`%ss since D`", bare, bare);
    else
        pd_note_add(p->diags, d, NULL, "here it starts a count of time, such as `%s since D` or `%s between A and B`",
                    bare, bare);
    return true;
}

/* "expected A or B after C, found D" when both the list and C are known,
 * else "unexpected D", then "; expected A or B" or " after C". */
static void pp_sentence(const pp_expect *e, const char *after, const char *found, pp_msg *m)
{
    bool listed = e->n > 0 && e->n <= 4;
    if (listed && after) {
        pp_msg_add(m, "expected ");
        pp_list(e, m);
        pp_msg_add(m, " after ");
        pp_msg_add(m, after);
        pp_msg_add(m, ", found ");
        pp_msg_add(m, found);
        return;
    }
    pp_msg_add(m, "unexpected ");
    pp_msg_add(m, found);
    if (listed) {
        pp_msg_add(m, "; expected ");
        pp_list(e, m);
    } else if (after || e->after_expr) {
        pp_msg_add(m, " after ");
        pp_msg_add(m, after ? after : "an expression");
    }
}

/* Whether `w` (n bytes) could be month `m` misspelt or cut short: the same
 * first letter, and the month's next two among the word's first four. */
static bool pp_like_month(const char *w, uint32_t n, const char *m)
{
    if (n < 3 || (w[0] | 0x20) != (m[0] | 0x20))
        return false;
    bool second = false, third = false;
    for (uint32_t i = 1; i < n && i < 4; i++) {
        second = second || (w[i] | 0x20) == m[1];
        third = third || (w[i] | 0x20) == m[2];
    }
    return second && third;
}

/* `31 august of Y`, `1 Jan following D` after a number: a month's name is
 * written out and capitalised. */
static void pp_month_note(pp_parser *p, const pp_syntax *s, pd_diag *d)
{
    static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    if (p->lex->hist[1].kind != T_INT || s->lookahead != T_IDENT || !s->expected[T_MONTHNAME])
        return;
    /* The lookahead is a name the scanner read from its file. */
    if (PU_NEVER(s->at.file >= p->lex->src->nfiles))
        return;
    const ps_file *f = &p->lex->src->files[s->at.file];
    if (PU_NEVER(s->at.end > f->len || s->at.end <= s->at.start))
        return;
    const char *w = f->text + s->at.start;
    for (int i = 0; i < 12; i++) {
        if (pp_like_month(w, s->at.end - s->at.start, months[i])) {
            pd_note_add(p->diags, d, NULL, "did you mean `%s`? A month is named in full, capitalised: `1 %s of Y`",
                        months[i], months[i]);
            return;
        }
    }
}

/* E0201: what was found, what would have fit, and after what. */
static void pp_report_unexpected(pp_parser *p, const pp_syntax *s)
{
    int prev = p->lex->hist[1].kind;
    const char *after = pp_context(p->lex);
    pp_msg found = {.len = 0}, m = {.len = 0};
    pp_found(p, s->lookahead, &s->at, &found);
    bool has[PP_TOKEN_KINDS];
    memcpy(has, s->expected, sizeof has);
    pp_expect e;
    pp_expectations(has, &e);
    /* A label (of a requirement or a group member) is followed by `:` and
     * nothing else. */
    if (after && strcmp(after, "the requirement label") == 0 && has[T_COLON]) {
        e.n = 1;
        e.phrase[0] = pp_token_name(T_COLON);
    } else if (!after && prev == T_STRING && s->nexpected == 1 && s->expected[T_COLON]) {
        after = "the label";
    }
    pp_sentence(&e, after, found.buf, &m);
    pd_diag *d = pd_report(p->diags, PD_E0201, &s->at, "%s", m.buf);
    pp_month_note(p, s, d);
    /* `n months since D`: the count made `n months` a length of time. */
    if ((s->lookahead == T_SINCE || s->lookahead == T_BETWEEN) && pp_is_unit(prev)) {
        char unit[40];
        pp_word_at(p, &p->lex->hist[1].span, unit, sizeof unit);
        pd_note_add(p->diags, d, NULL, "a number before `%s` makes a length of time; `%s %s` counts whole %s "
                    "by itself, without one", unit, unit, s->lookahead == T_SINCE ? "since D" : "between A and B",
                    unit);
    }
}

bool pp_syntax_quiet(const pp_parser *p)
{
    return p->lex->stop || p->oom;
}

void pp_syntax_error(pp_parser *p, const pp_syntax *s)
{
    if (!pp_report_unclosed(p, s) && !pp_report_unlabelled(p, s) && !pp_report_reserved(p, s) &&
        !pp_report_unit_as_name(p, s))
        pp_report_unexpected(p, s);
}

void pp_parser_failed(pp_parser *p, const ps_span *at, int max_stack)
{
    if (p->oom || p->lex->stop) {
        p->diags->oom = p->diags->oom || p->oom;
        return;
    }
    /* Bison says "memory exhausted" for both of its own failures; only a
     * failed malloc sets errno to ENOMEM (pp_run clears errno before the
     * parse, and nothing the parse calls sets ENOMEM without failing). */
    if (errno == ENOMEM) {
        p->diags->oom = true;
        return;
    }
    pd_diag *d = pd_report(p->diags, PD_E0206, at, "too deeply nested to parse");
    pd_note_add(p->diags, d, NULL, "the parser can hold at most %d unfinished constructs",
                max_stack);
}
