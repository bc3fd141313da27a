/* Indentation (docs/fmt.md, "Indentation"): a walk over the tokens that
 * follows brackets and statements as far as the layout needs, without a
 * parse tree. The file has already parsed, so the walk can trust the token
 * order; it only has to tell, for the first token of each line, whether it
 * starts a statement (a declaration, a requirement, a field...), starts a
 * tail clause (`citing`, `advise` in an expectation...), or continues the
 * one before.
 *
 * Frames: one per open bracket, plus the file itself (TOP), plus an
 * implicit one after a line that ends with `where` (the quantifier's
 * condition goes on, indented, until its statement or bracket ends). A `{`
 * opens a block of statements whose kind its context tells; `(` and `[`
 * hold no statements, only lines indented inside them. */
#include <stdlib.h>
#include <string.h>

#include "fmt_int.h"
#include "parser.h"

enum { FM_STEP = 2 }; /* columns per open bracket */

typedef enum fm_kind {
    FK_TOP,     /* the file: declarations */
    FK_PROGRAM, /* `program ... {`: attributes and requirements */
    FK_GROUP,   /* `all of {`, `any of {`, `at least N of {`: members */
    FK_FIELDS,  /* `facts NAME {`, `record NAME {`: fields */
    FK_TEST,    /* `test "..." {`: `as of`, `given`, `expect` */
    FK_VALUE,   /* `{ name: value ... }`: literal facts entries */
    FK_PAREN,   /* `(`: no statements */
    FK_BRACKET, /* `[`: no statements */
    FK_WHERE    /* after a line ending in `where`; no token closes it */
} fm_kind;

/* How the first token of a line relates to the statement it is in. */
typedef enum fm_role {
    FR_STMT,   /* starts a statement */
    FR_CLAUSE, /* starts a tail clause of the current statement */
    FR_BRACE,  /* a `{` that opens the statement's block or group */
    FR_CONT    /* continues the current clause */
} fm_role;

/* The statement being read in a block. */
typedef struct fm_stmt {
    int head;               /* kind of its first token; 0: none yet */
    uint32_t head_indent;   /* of the line it starts on */
    uint32_t clause_indent; /* of the line its current clause starts on */
    uint8_t clause_step;    /* a clause line: head_indent + clause_step */
    uint8_t cont_step;      /* a continuation line: clause_indent + cont_step */
} fm_stmt;

typedef struct fm_frame {
    uint8_t kind;       /* fm_kind */
    bool value;         /* inside literal facts values: `-` is always a sign */
    uint32_t outer;     /* indentation of the line that closes it */
    uint32_t inner;     /* indentation of the lines inside */
    size_t line;        /* the line that opened it */
    fm_stmt stmt;       /* blocks of statements only */
} fm_frame;

typedef struct fm_layout {
    fm_doc *doc;
    fm_frame *frames;   /* frames[0] is the file */
    size_t n, cap;
    size_t line;        /* the line being placed */
    int prev;           /* the previous code token's kind; 0 at the start */
    int prev2;          /* the one before it */
    bool leading;       /* only closing brackets so far on this line */
} fm_layout;

/* ---- tokens ------------------------------------------------------------------ */

static bool fm_is_opener(int k) { return k == T_LBRACE || k == T_LPAREN || k == T_LBRACKET; }
static bool fm_is_closer(int k) { return k == T_RBRACE || k == T_RPAREN || k == T_RBRACKET; }

/* After one of these the statement cannot end: more must follow. */
static bool fm_open_ended(int k)
{
    switch (k) {
    case T_COLON: case T_EQ: case T_NE: case T_LT: case T_LE: case T_GT: case T_GE:
    case T_PLUS: case T_MINUS: case T_STAR: case T_COMMA: case T_DOT: case T_LPAREN:
    case T_LBRACKET: case T_AND: case T_OR: case T_NOT: case T_IF: case T_THEN: case T_ELSE:
    case T_WHERE: case T_IN: case T_OF: case T_IS: case T_OTHERWISE: case T_SINCE:
    case T_BETWEEN: case T_FOR: case T_ANY: case T_ALL: case T_COUNT: case T_SUM: case T_WITH:
    case T_FOLLOWING: case T_MONTHNAME: case T_DECIDED: case T_AS: case T_AWAITING:
    case T_CITING: case T_ASSUMING: case T_ARRANGE: case T_GRANTED: case T_EFFECTIVE: case T_ENROLMENT: case T_YET: case T_FROM:
    case T_UNTIL: case T_VALID:
    case T_GRANTS: case T_REQUIRE: case T_PREFER: case T_ADVISE: case T_INCLUDE: case T_FACTS:
    case T_RECORD: case T_DEFINE: case T_PROGRAM: case T_EXAMPLE: case T_TEST: case T_KNOWN:
    case T_SOURCE: case T_REQUIREMENTS: case T_GIVEN: case T_EXPECT: case T_UNMET: case T_AT: case T_LEAST: case T_LIST: case T_SET:
    case T_EXTEND:
        return true;
    default:
        return false;
    }
}

/* A token that can end an operand: a `-` after it subtracts. */
static bool fm_ends_operand(int k)
{
    switch (k) {
    case T_IDENT: case T_INT: case T_NUMBER: case T_STRING: case T_DATE: case T_RPAREN:
    case T_RBRACKET: case T_RBRACE: case T_TRUE: case T_FALSE: case T_NONE: case T_TODAY:
    case T_YEAR: case T_YEARS: case T_MONTH: case T_MONTHS: case T_DAY: case T_DAYS:
    case T_QUESTION:
        return true;
    default:
        return false;
    }
}

static bool fm_is_declaration(int k)
{
    return k == T_INCLUDE || k == T_FACTS || k == T_RECORD || k == T_DEFINE || k == T_PROGRAM ||
           k == T_EXAMPLE || k == T_TEST || k == T_KNOWN || k == T_SOURCE ||
           k == T_REQUIREMENTS || k == T_EXTEND;
}

static bool fm_is_word(const fm_layout *L, size_t i, const char *word)
{
    const fm_token *t = &L->doc->toks[i];
    size_t n = strlen(word);
    return t->kind == T_IDENT && t->end - t->start == n &&
           memcmp(L->doc->text + t->start, word, n) == 0;
}

/* ---- frames ------------------------------------------------------------------- */

static fm_frame *fm_top(fm_layout *L) { return &L->frames[L->n - 1]; }

/* The innermost frame that is not a `where`. */
static fm_frame *fm_bracket(fm_layout *L)
{
    size_t i = L->n - 1;
    while (i > 0 && L->frames[i].kind == FK_WHERE)
        i--;
    return &L->frames[i];
}

/* The block whose statements the current token belongs to; NULL inside
 * `(` or `[`. */
static fm_frame *fm_block(fm_layout *L)
{
    fm_frame *f = fm_bracket(L);
    return f->kind == FK_PAREN || f->kind == FK_BRACKET ? NULL : f;
}

static bool fm_push(fm_layout *L, fm_frame f)
{
    if (L->n == L->cap) {
        size_t ncap = L->cap * 2;
        fm_frame *p = realloc(L->frames, ncap * sizeof *p);
        if (!p)
            return false;
        L->frames = p;
        L->cap = ncap;
    }
    L->frames[L->n++] = f;
    return true;
}

/* A statement or clause ends the conditions of the `where`s before it. */
static void fm_pop_wheres(fm_layout *L)
{
    while (L->n > 1 && fm_top(L)->kind == FK_WHERE)
        L->n--;
}

/* Closes the innermost bracket (and the `where`s inside it); returns it. */
static fm_frame fm_pop_bracket(fm_layout *L)
{
    fm_pop_wheres(L);
    fm_frame f = *fm_top(L);
    if (L->n > 1) /* always, in a file that parses */
        L->n--;
    return f;
}

/* Where a bracket opened now starts: the line's indentation, one step
 * further for each bracket opened earlier on this line and still open. */
static uint32_t fm_base(fm_layout *L)
{
    uint32_t base = L->doc->lines[L->line].indent;
    for (size_t i = L->n - 1; i > 0 && L->frames[i].line == L->line; i--)
        if (L->frames[i].kind != FK_WHERE)
            base += FM_STEP;
    return base;
}

/* What a `{` opens, from what comes before it. */
static fm_kind fm_brace_kind(fm_layout *L)
{
    if (L->prev == T_OF)
        return FK_GROUP;
    const fm_frame *f = fm_bracket(L);
    if (f->kind != FK_TOP)
        return FK_VALUE;
    switch (f->stmt.head) {
    case T_PROGRAM: case T_REQUIREMENTS: return FK_PROGRAM;
    case T_FACTS: case T_RECORD: case T_EXTEND: return FK_FIELDS; /* `extend facts coach {` */
    case T_TEST: return FK_TEST;
    default: return FK_VALUE;
    }
}

static bool fm_open(fm_layout *L, int k)
{
    fm_frame f;
    memset(&f, 0, sizeof f);
    f.kind = (uint8_t)(k == T_LPAREN ? FK_PAREN : k == T_LBRACKET ? FK_BRACKET : fm_brace_kind(L));
    f.value = f.kind == FK_VALUE ||
              ((f.kind == FK_PAREN || f.kind == FK_BRACKET) && fm_bracket(L)->value);
    /* A declaration's block goes with the declaration even when its `{`
     * ends a continuation line; other brackets go with their line. */
    bool declaration = f.kind == FK_PROGRAM || f.kind == FK_FIELDS || f.kind == FK_TEST;
    f.outer = declaration ? fm_bracket(L)->stmt.head_indent : fm_base(L);
    f.inner = f.outer + FM_STEP;
    f.line = L->line;
    return fm_push(L, f);
}

/* ---- statements --------------------------------------------------------------- */

/* The tail clauses a statement takes, by its first token. */
typedef enum fm_tail {
    FT_NONE,
    FT_REQUIREMENT, /* requirements, members: `citing`, `effective`, `assuming`;
                     * program headers: `effective`, `assuming` */
    FT_EXPECT       /* expectations: `unmet`, `prefer unmet`, `advise`, `awaiting decision` */
} fm_tail;

static fm_tail fm_tail_of(const fm_frame *b, int head)
{
    if (head == T_REQUIRE || head == T_PREFER || head == T_ADVISE || head == T_PROGRAM ||
        head == T_REQUIREMENTS ||
        (head == T_STRING && b->kind == FK_GROUP))
        return FT_REQUIREMENT;
    return head == T_EXPECT ? FT_EXPECT : FT_NONE;
}

static bool fm_is_clause(const fm_frame *b, int k, int prev)
{
    switch (fm_tail_of(b, b->stmt.head)) {
    case FT_REQUIREMENT:
        return k == T_CITING || k == T_EFFECTIVE || k == T_ASSUMING || k == T_ENROLMENT || k == T_ARRANGE;
    case FT_EXPECT:
        return k == T_ADVISE || k == T_PREFER || k == T_AWAITING || (k == T_UNMET && prev != T_PREFER);
    default:
        return false;
    }
}

/* `day d of month m of year y`: a unit word that no number comes before
 * names a part of a date, and the operand after it follows. */
static bool fm_part_word(const fm_layout *L)
{
    return (L->prev == T_DAY || L->prev == T_MONTH || L->prev == T_YEAR) && L->prev2 != T_INT;
}

static fm_role fm_role_of(fm_layout *L, const fm_frame *b, size_t i)
{
    int k = L->doc->toks[i].kind;
    /* `decided by "WHO"`: the text after `by` is the decider, not a label. */
    bool more = fm_open_ended(L->prev) || fm_part_word(L) || L->prev2 == T_DECIDED;
    bool starts = false;
    switch ((fm_kind)b->kind) {
    case FK_TOP:
        starts = fm_is_declaration(k) && L->prev != T_EXTEND; /* `extend facts` is one */
        break;
    case FK_PROGRAM:
        starts = k == T_REQUIRE || k == T_PREFER || k == T_ADVISE || k == T_GRANTS ||
                 (k == T_IDENT && !more);
        break;
    case FK_GROUP:
        starts = k == T_STRING && !more;
        break;
    case FK_FIELDS: case FK_VALUE:
        starts = k == T_IDENT && !more;
        break;
    case FK_TEST:
        starts = k == T_GIVEN || k == T_EXPECT || (fm_is_word(L, i, "as") && !more);
        break;
    default:
        break;
    }
    if (starts || !b->stmt.head)
        return FR_STMT;
    if (k == T_LBRACE)
        return FR_BRACE;
    /* `amends the previous version` is a clause of a program's header. */
    bool amends = b->stmt.head == T_PROGRAM && fm_is_word(L, i, "amends");
    return fm_is_clause(b, k, L->prev) || amends ? FR_CLAUSE : FR_CONT;
}

/* Requirements and headers: clauses +2, the condition's lines +4 (deeper
 * than the clauses, so that `citing` stands out). Expectations: clauses
 * (`advise`, `prefer unmet`) +4, the lines of a label list +2. Anything
 * else continues +2. */
static void fm_start(fm_layout *L, fm_frame *b, int k)
{
    uint32_t indent = L->doc->lines[L->line].indent;
    fm_stmt *s = &b->stmt;
    s->head = k;
    s->head_indent = s->clause_indent = indent;
    fm_tail tail = fm_tail_of(b, k);
    s->clause_step = tail == FT_REQUIREMENT ? 2 : tail == FT_EXPECT ? 4 : 0;
    s->cont_step = tail == FT_REQUIREMENT ? 4 : 2;
}

/* The indentation of a line whose first token has role r in block b. */
static uint32_t fm_place(fm_layout *L, const fm_frame *b, fm_role r)
{
    const fm_stmt *s = &b->stmt;
    switch (r) {
    case FR_STMT:
        return b->inner;
    case FR_BRACE:
        return s->head_indent;
    case FR_CLAUSE:
        return s->head_indent + s->clause_step;
    case FR_CONT:
    default:
        if (fm_top(L)->kind == FK_WHERE)
            return fm_top(L)->inner;
        return s->clause_indent + s->cont_step;
    }
}

/* ---- tokens, lines ---------------------------------------------------------------- */

static bool fm_is_attribute(const fm_frame *b)
{
    return b && b->kind == FK_PROGRAM && b->stmt.head == T_IDENT;
}

/* A `-` is a sign where no operand ends before it, and always among
 * literal values (`[1 -2]` is two values) and in attributes (`hours -1`). */
static bool fm_is_sign(fm_layout *L, const fm_frame *b)
{
    return fm_bracket(L)->value || fm_is_attribute(b) || !fm_ends_operand(L->prev);
}

static bool fm_take(fm_layout *L, size_t i)
{
    fm_line *ln = &L->doc->lines[L->line];
    int k = L->doc->toks[i].kind;
    if (fm_is_closer(k)) {
        fm_frame f = fm_pop_bracket(L);
        if (i == ln->first)
            ln->inner = f.inner;
        if (L->leading)
            ln->indent = f.outer;
        L->prev2 = L->prev;
        L->prev = k;
        return true;
    }
    L->leading = false;
    fm_frame *b = fm_block(L);
    if (b) {
        fm_role r = fm_role_of(L, b, i);
        if (r == FR_STMT || r == FR_CLAUSE)
            fm_pop_wheres(L);
        if (i == ln->first)
            ln->indent = fm_place(L, b, r);
        if (r == FR_STMT)
            /* `replace "label": ...` reads like a requirement, not an attribute. */
            fm_start(L, b, b->kind == FK_PROGRAM && fm_is_word(L, i, "replace") ? T_REQUIRE : k);
        else if (r == FR_CLAUSE)
            b->stmt.clause_indent = ln->indent;
    } else if (i == ln->first) {
        ln->indent = fm_top(L)->inner;
    }
    if (k == T_MINUS)
        L->doc->unary[i] = fm_is_sign(L, b);
    bool ok = !fm_is_opener(k) || fm_open(L, k); /* looks at the token before */
    L->prev2 = L->prev;
    L->prev = k;
    return ok;
}

/* After a line ending in `where`, the condition goes on one step in, and at
 * least as far in as the statement's continuation lines. */
static bool fm_open_where(fm_layout *L)
{
    fm_frame f;
    memset(&f, 0, sizeof f);
    f.kind = FK_WHERE;
    f.inner = fm_base(L) + FM_STEP;
    f.line = L->line;
    const fm_frame *b = fm_block(L);
    if (b && b->stmt.head && b->stmt.clause_indent + b->stmt.cont_step > f.inner)
        f.inner = b->stmt.clause_indent + b->stmt.cont_step;
    return fm_push(L, f);
}

static bool fm_take_line(fm_layout *L)
{
    const fm_line *ln = &L->doc->lines[L->line];
    uint32_t end = ln->first + ln->n - (ln->trailing ? 1 : 0);
    L->leading = true;
    for (uint32_t i = ln->first; i < end; i++)
        if (!fm_take(L, i))
            return false;
    if (L->doc->toks[end - 1].kind == T_WHERE)
        return fm_open_where(L);
    return true;
}

/* A comment on its own line goes with the code below it: at that line's
 * indentation or, above a closing bracket, inside the bracket. */
static void fm_place_comments(fm_doc *d)
{
    uint32_t below = 0; /* at the end of the file: top level */
    for (size_t i = d->nlines; i-- > 0;) {
        fm_line *ln = &d->lines[i];
        if (ln->comment_only) {
            ln->indent = below;
        } else {
            bool closes = fm_is_closer(d->toks[ln->first].kind);
            below = closes ? ln->inner : ln->indent;
        }
    }
}

bool fm_indent(fm_doc *d)
{
    fm_layout L;
    memset(&L, 0, sizeof L);
    L.doc = d;
    L.cap = 64;
    L.frames = calloc(L.cap, sizeof *L.frames);
    if (!L.frames)
        return false;
    L.n = 1; /* the file: statements at column 0 */
    bool ok = true;
    for (L.line = 0; ok && L.line < d->nlines; L.line++)
        if (!d->lines[L.line].comment_only)
            ok = fm_take_line(&L);
    free(L.frames);
    if (ok)
        fm_place_comments(d);
    return ok;
}
