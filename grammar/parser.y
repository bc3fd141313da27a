/* The Pathway grammar (docs/language.md, "Grammar summary").
 *
 * A pure, reentrant parser: no global state, the scanner handle and the
 * parser state come in as parameters. Actions build the AST (src/front/ast.h)
 * directly in the compilation's arena; every node carries its source span and
 * every list is kept in source order (head/tail pairs while it is built).
 *
 * Expressions are split in two levels so that `years between A and B` is not
 * ambiguous with the `and` operator: `expr` has the logical operators, the
 * comparisons, `if` and the quantifiers; `oexpr` has `otherwise`, arithmetic,
 * unary minus, fields, calls and primaries. Comparisons take `oexpr` operands,
 * which makes them non-associative; a chained comparison is parsed anyway
 * (rule `cmp: cmp cmpop oexpr`) to say "comparisons do not chain".
 *
 * Syntax errors are reported by yyreport_syntax_error below, which hands
 * the expected-token set (exact, thanks to LAC) to src/front/syntax.c to be
 * written as a clang-like sentence. */

%require "3.8"
%define api.pure full
%define api.prefix {pw_yy}
%define api.token.prefix {T_}
%define api.value.type union
%define api.location.type {ps_span}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {pp_parser *p}
%expect 0

%code requires {
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "diag/diag.h"
#include "front/ast.h"
#include "front/parse.h"
#include "source/source.h"
#include "util/arena.h"

/* The scanner's handle, declared as flex declares it (same guard). */
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* A text literal after escape processing (NUL-terminated, in the arena). */
typedef struct pp_str { const char *s; uint32_t len; } pp_str;
/* An optional text with its span (title, citation); s == NULL when absent. */
typedef struct pp_opt_str { const char *s; ps_span span; } pp_opt_str;

/* Which block an open `{` belongs to, for "unterminated ... block" errors. */
typedef enum pp_block {
    PP_BLOCK_OTHER, PP_BLOCK_PROGRAM, PP_BLOCK_FACTS, PP_BLOCK_RECORD,
    PP_BLOCK_ALL_OF, PP_BLOCK_ANY_OF, PP_BLOCK_AT_LEAST, PP_BLOCK_TEST, PP_BLOCK_REQUIREMENTS
} pp_block;

typedef struct pp_brace pp_brace;
struct pp_brace {
    pp_block block;
    ps_span span;  /* the `{` */
    pp_brace *up;  /* the enclosing open brace */
};

/* One token as the parser saw it (for messages that depend on context). */
typedef struct pp_tok { int kind; ps_span span; } pp_tok;

/* The scanner's extra state (yyextra). */
typedef struct pp_lex {
    pm_arena *arena;      /* token texts, scanner memory */
    ps_sources *src;
    uint32_t file;        /* index of the text in src */
    pd_list *diags;
    uint32_t offset;      /* byte offset of the next unread byte */
    uint32_t last_end;    /* end of the last real token: where end of file is shown */
    unsigned max_depth;   /* open brackets allowed at once */
    unsigned depth;       /* brackets of any kind open now */
    pp_brace *braces;     /* open `{`, innermost first */
    pp_brace *spare;      /* closed brace records, reused */
    int decl_kw;          /* last of `program`, `facts`, `record`, `test`, `example` seen */
    pp_tok hist[3];       /* tokens handed out: [0] newest (the lookahead) */
    bool stop;            /* fatal problem (depth, memory): the parser gets end of file */
    bool keep_comments;   /* return comments as COMMENT tokens: for the formatter
                           * (src/fmt), which scans without parsing; never set
                           * when parsing (no grammar rule takes a comment) */
    jmp_buf *fatal;       /* flex's fatal errors (out of memory) jump here */
} pp_lex;

/* The parser's state (the parse-param). */
typedef struct pp_parser {
    pp_lex *lex;
    pm_arena *arena;
    pd_list *diags;
    uint32_t file;
    unsigned max_depth;   /* expression tree height allowed */
    pa_decl *head, *tail; /* declarations parsed so far, in order */
    bool depth_reported;  /* one "nested too deeply" per text is enough */
    bool oom;             /* an allocation failed: stop quietly */
    const char *defining; /* the definition being read (its name), until it ends */
    pa_req *last_use;     /* the last `require NAME` read: a syntax error right after it voids it */
    ps_span defining_span;
} pp_parser;

/* Lists under construction. */
typedef struct pp_exprs { pa_expr *head, *tail; uint32_t n; uint32_t depth; } pp_exprs;
typedef struct pp_fields { pa_field *head, *tail; } pp_fields;
typedef struct pp_params { pa_param *head, *tail; bool has; } pp_params;
typedef struct pp_reqs { pa_req *head, *tail; } pp_reqs;
typedef struct pp_pbody {
    pa_attr *ahead, *atail;
    pa_req *rhead, *rtail;
    pa_change *chead, *ctail; /* `drop`, `replace` */
} pp_pbody;
/* What may follow a requirement's body, or a program's title: `citing`,
 * `effective` and `assuming` clauses, each optional, in any order. */
typedef struct pp_tail {
    pp_opt_str cite;
    const char *cite_name; /* `citing NAME`: cite.span is the name's */
    pa_period period;
    pa_assume *ahead, *atail;
    bool amends;           /* a program's header: `amends the previous version` */
    ps_span amends_span;
    int words;             /* words of that phrase read since the last whole one; -1: others */
    ps_span words_span;
    pa_window window;      /* program headers only */
    pp_opt_str arrange;    /* requirements only: `arrange "..."` */
} pp_tail;
/* One end of an enrolment window: its day and where it is written. */
typedef struct pp_wday { int32_t day; ps_span span; } pp_wday;
typedef struct pp_values { pa_value *head, *tail; uint32_t n; } pp_values;
/* `>= a <= b` after a field's type. */
typedef struct pp_bounds { pa_expr *min, *max; } pp_bounds;
typedef struct pp_entries { pa_entry *head, *tail; } pp_entries;
typedef struct pp_labels { pa_label *head, *tail; uint32_t n; } pp_labels;
typedef struct pp_tbody { pa_decl *test; pa_expect *tail; } pp_tbody;
/* A list of labels given at most once, and where. */
typedef struct pp_clause { bool has; pp_labels labels; ps_span span; } pp_clause;
/* `prefer unmet ...` and `advise ...` after an expectation's outcome. */
typedef struct pp_xtail { pp_clause pref, advice, awaiting; } pp_xtail;
}

%code provides {
/* The scanner (grammar/lexer.l). */
int pw_yylex(PW_YYSTYPE *val, PW_YYLTYPE *loc, yyscan_t scanner);
/* Prepares `lx` and a scanner over text[0..len); lx->arena, src, file,
 * diags and max_depth must be set. All scanner memory comes from the arena.
 * On failure (out of memory) it sets diags->oom.
 * lx->fatal must point at a jmp_buf armed by the caller for as long as the
 * scanner runs: flex reports running out of memory there. Returns false when
 * out of memory. */
bool pp_lex_open(pp_lex *lx, yyscan_t *scanner, const char *text, size_t len);
void pp_lex_close(yyscan_t scanner);
/* A readable name for a token kind: "`require`", "identifier", "end of file". */
const char *pp_token_name(int kind);
}

%code {
#include <string.h>

/* The constructors the actions call, and the sentences of syntax errors. */
#include "front/build.h"
#include "front/syntax.h"

/* Merges the spans of the right-hand side; an empty rule gets an empty span
 * just after the symbol before it. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N) {                                                      \
            (Cur).file = YYRHSLOC(Rhs, 1).file;                       \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                     \
            (Cur).end = YYRHSLOC(Rhs, N).end;                         \
        } else {                                                      \
            (Cur).file = YYRHSLOC(Rhs, 0).file;                       \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;           \
        }                                                             \
    } while (0)

static void pw_yyerror(PW_YYLTYPE *loc, yyscan_t scanner, pp_parser *p, const char *msg);

/* Actions stop the parse through bison's out-of-memory path when a
 * constructor fails (it returns NULL only then). */
#define NEW(x)             \
    do {                   \
        if (!(x)) {        \
            p->oom = true; \
            YYNOMEM;       \
        }                  \
    } while (0)


}

/* ---- tokens ---------------------------------------------------------------- */

%token
    INCLUDE "`include`" FACTS "`facts`" RECORD "`record`" DEFINE "`define`"
    PROGRAM "`program`" REQUIRE "`require`" PREFER "`prefer`" ADVISE "`advise`"
    CITING "`citing`" GRANTS "`grants`" VALID "`valid`" FOR "`for`"
    ALL "`all`" ANY "`any`" OF "`of`" AT "`at`" LEAST "`least`"
    COUNT "`count`" SUM "`sum`" IN "`in`" WHERE "`where`"
    IF "`if`" THEN "`then`" ELSE "`else`" AND "`and`" OR "`or`" NOT "`not`"
    IS "`is`" NONE "`none`" TRUE "`true`" FALSE "`false`" TODAY "`today`"
    SINCE "`since`" BETWEEN "`between`" FOLLOWING "`following`"
    YEAR "`year`" YEARS "`years`" MONTH "`month`" MONTHS "`months`" DAY "`day`" DAYS "`days`"
    EXAMPLE "`example`" TEST "`test`" GIVEN "`given`" EXPECT "`expect`" WITH "`with`"
    UNMET "`unmet`" EFFECTIVE "`effective`" FROM "`from`" UNTIL "`until`" ASSUMING "`assuming`"
    ENROLMENT "`enrolment`" YET "`yet`"
    KNOWN "`known`" SOURCE "`source`" REQUIREMENTS "`requirements`"
    EXTEND "`extend`"
    OTHERWISE "`otherwise`" LIST "`list`" SET "`set`"
    DECIDED "`decided`" AS "`as`" AWAITING "`awaiting`"
    GRANTED "`granted`" ARRANGE "`arrange`"
    LBRACE "`{`" RBRACE "`}`" LPAREN "`(`" RPAREN "`)`" LBRACKET "`[`" RBRACKET "`]`"
    COMMA "`,`" COLON "`:`" DOT "`.`" QUESTION "`?`"
    EQ "`=`" NE "`!=`" LT "`<`" LE "`<=`" GT "`>`" GE "`>=`"
    PLUS "`+`" MINUS "`-`" STAR "`*`"
    COMMENT "comment"  /* only in the formatter's scans (pp_lex.keep_comments) */
%token <const char *> IDENT "identifier"
%token <int64_t> INT "integer"
%token <double> NUMBER "number"
%token <pp_str> STRING "text in quotes"
%token <int32_t> DATE "date"
%token <int> MONTHNAME "a month's name"

/* Loosest first. QUANT is the precedence of `if`/`else` and the quantifier
 * rules: lower than every operator, so they reach as far right as they can.
 * (A `count` or `sum` without `where` is a primary, and its list a postfix:
 * it ends where the list does. A `where` after the list is always the
 * quantifier's own: the list of a quantifier cannot hold one with `where`,
 * so no precedence is needed for it.) SPAN is
 * the precedence of `years since A` and `years between A and B`, whose last
 * operand reaches over `otherwise` and arithmetic (and of `oexpr: postfix`,
 * so that `years since a.b` takes the field of `a`). A postfix `.` binds
 * tighter than everything.
 *
 * A missing `}` (the empty `close`, `program ... { pbody` without `}`) also
 * has QUANT: it ends the block at a declaration keyword or the end of the
 * file. `error` ranks above QUANT so that, in the same state, recovering
 * inside the block (`pbody: pbody error`) wins over ending it. */
%precedence QUANT
%precedence error
%left OR
%left AND
%precedence NOT
%precedence SPAN
%left OTHERWISE
%left PLUS MINUS
%left STAR
%precedence UMINUS
%precedence DOT

%nterm <pa_decl *> decl include record define program example test known source requirements
%nterm <pa_decl *> extend
%nterm <pp_tail> bcite
%nterm <pp_reqs> breqs
%nterm <pa_req *> use
%nterm <pa_decl_kind> record_kw
%nterm <bool> close
%nterm <pp_bounds> bounds
%nterm <pp_tail> rtail header dassumes
%nterm <pa_period> period
%nterm <pa_window> window
%nterm <pp_wday> wday
%nterm <pa_value *> value vrecord
%nterm <pp_values> values args
%nterm <pp_entries> entries
%nterm <pa_entry *> entry
%nterm <pa_facts_ref> facts_ref
%nterm <pp_tbody> tbody
%nterm <pa_expect *> expect outcome
%nterm <pp_labels> labels some_labels
%nterm <pa_label *> label
%nterm <pp_xtail> xtail
%nterm <pp_fields> fields
%nterm <pa_field *> field
%nterm <pa_grant *> granted gkeys
%nterm <pa_gkey *> gkey
%nterm <pa_typeref> type set_of
%nterm <pa_typeref *> opt_result
%nterm <pa_expr *> opt_default expr quant cmp oexpr postfix primary literal constant duration
%nterm <pa_expr *> opt_validity
%nterm <pp_params> opt_params params
%nterm <const char *> define_name
%nterm <pa_param *> param
%nterm <pp_opt_str> opt_title
%nterm <pp_pbody> pbody
%nterm <pa_attr *> attr
%nterm <pa_req *> req body group member decided
%nterm <pp_reqs> members
%nterm <pa_role> role
%nterm <pa_change *> change
%nterm <pa_unit> unit part
%nterm <pa_op> cmpop
%nterm <pp_exprs> exprs opt_exprs

%initial-action {
    @$.file = p->file;
    @$.start = @$.end = 0;
}

%%

file
    : %empty
    | file decl   { pp_append_decl(p, $2); }
    | file error  { pp_define_failed(p); } /* resynchronise at the next declaration */
    ;

decl: include | record | define | program | example | test | known | source | requirements | extend ;

/* `source enrol_18 = "USATF membership and ... required to enroll."`: a
 * sentence of the handbook, quoted once and cited by name (`citing
 * enrol_18`) by every requirement that comes from it. */
source
    : SOURCE IDENT EQ STRING {
        NEW($$ = pp_decl(p, PA_D_SOURCE, @$, $2, @2));
        $$->u.source.text = $4.s;
        $$->u.source.text_span = @4;
    }
    ;

/* The values a text field is known to take (coach-record.md lists them):
 * the lint checks literals against them; facts may hold others. */
known
    : KNOWN IDENT EQ expr {
        NEW($$ = pp_decl(p, PA_D_KNOWN, @$, $2, @2));
        $$->u.known.values = $4;
    }
    ;

/* `extend facts coach { licences: list of licence = [] }`, `extend record
 * certificate { ... }`, `extend known certificate_id with ["ussf-d"]`: a
 * body adds its own fields and known values to a record or list another
 * file declares (rules/common/coach.pw), without copying it. */
extend
    : EXTEND record_kw IDENT LBRACE fields close {
        if (!$6)
            pp_unterminated(p, $2 == PA_D_FACTS ? PP_BLOCK_FACTS : PP_BLOCK_RECORD, @4);
        NEW($$ = pp_decl(p, PA_D_EXTEND, @$, $3, @3));
        $$->u.extend.what = $2;
        $$->u.extend.what_span = @2;
        $$->u.extend.fields = $5.head;
    }
    | EXTEND KNOWN IDENT WITH expr {
        NEW($$ = pp_decl(p, PA_D_EXTEND, @$, $3, @3));
        $$->u.extend.what = PA_D_KNOWN;
        $$->u.extend.what_span = @2;
        $$->u.extend.values = $5;
    }
    ;

include
    : INCLUDE STRING {
        NEW($$ = pp_decl(p, PA_D_INCLUDE, @$, NULL, @1));
        $$->u.include.path = $2.s;
        $$->u.include.path_span = @2;
    }
    ;

/* `requirements adult_member citing enrol_18 { require ... }`: requirements
 * several programs share, declared once and used by name (`require
 * adult_member`). The block's citation is that of each requirement in it
 * that cites nothing of its own. */
requirements
    : REQUIREMENTS IDENT bcite LBRACE breqs close {
        if (!$6)
            pp_unterminated(p, PP_BLOCK_REQUIREMENTS, @4);
        NEW($$ = pp_decl(p, PA_D_REQUIREMENTS, @$, $2, @2));
        $$->u.block.reqs = $5.head;
        $$->u.block.cite = $3.cite.s;
        $$->u.block.cite_name = $3.cite_name;
        $$->u.block.cite_span = $3.cite.span;
    }
    ;

bcite
    : %empty              { $$ = pp_tail_empty(@$); }
    | CITING STRING       { $$ = pp_tail_cite(p, pp_tail_empty(@$), $2.s, @2); }
    | CITING IDENT        { $$ = pp_tail_cite_name(p, pp_tail_empty(@$), $2, @2); }
    ;

breqs
    : %empty  { $$ = (pp_reqs){NULL, NULL}; }
    | breqs req  { $$ = $1; PP_APPEND($$, head, tail, $2); }
    | breqs use  { $$ = $1; PP_APPEND($$, head, tail, $2); }
    | breqs error  { $$ = $1; }  /* resynchronise at the next requirement */
    ;

/* `require adult_member`: the requirements of a `requirements` block. */
use
    : REQUIRE IDENT  { yyerrok; NEW($$ = pp_use(p, @$, $2, @2)); p->last_use = $$; }
    ;

/* ---- records ---------------------------------------------------------------- */

/* `facts` (the record the rules decide about) and `record` read alike. */
record
    : record_kw IDENT LBRACE fields close {
        if (!$5)
            pp_unterminated(p, $1 == PA_D_FACTS ? PP_BLOCK_FACTS : PP_BLOCK_RECORD, @3);
        NEW($$ = pp_decl(p, $1, @$, $2, @2));
        $$->u.record.fields = $4.head;
    }
    ;

record_kw
    : FACTS   { $$ = PA_D_FACTS; }
    | RECORD  { $$ = PA_D_RECORD; }
    ;

/* The `}` of a declaration's block (true), or none (false) when a
 * declaration keyword or the end of the file comes first (see QUANT): the
 * block ends there, the action reports it unterminated, and what follows is
 * still read. */
close
    : RBRACE              { $$ = true; }
    | %empty %prec QUANT  { $$ = false; }
    ;

fields
    : %empty        { $$ = (pp_fields){NULL, NULL}; }
    | fields field  { $$ = $1; PP_APPEND($$, head, tail, $2); }
    | fields error  { $$ = $1; }
    ;

field
    : IDENT COLON type bounds opt_default {
        NEW($$ = pp_field(p, $1, @1, $3, $5));
        $$->min = $4.min;
        $$->max = $4.max;
    }
    | IDENT COLON type bounds opt_default granted {
        NEW($$ = pp_field(p, $1, @1, $3, $5));
        $$->min = $4.min;
        $$->max = $4.max;
        $$->grant = $6;
    }
    ;

/* `granted here`, `granted here with issued: awarded, expires: lapses`:
 * the facts list a program's `grants` adds its certificate to, and which
 * of its record's fields hold the id, the issue day and the expiry. */
granted
    : GRANTED IDENT {
        /* The scanner gives `granted` only before `here`. */
        NEW($$ = pp_grant(p, @$, $2, @2));
    }
    | gkeys
    ;

gkeys
    : GRANTED IDENT WITH gkey  { NEW($$ = pp_grant(p, @$, $2, @2)); pp_grant_key_add($$, $4); }
    | gkeys COMMA gkey         { $$ = $1; pp_grant_key_add($$, $3); $$->span.end = @3.end; }
    ;

gkey
    : IDENT COLON IDENT { NEW($$ = pp_grant_key(p, $1, @1, $3, @3)); }
    ;

/* The range a number or date field may hold: values outside are facts
 * errors, and the lint knows comparisons against them are decided. */
bounds
    : %empty  { $$ = (pp_bounds){NULL, NULL}; }
    | bounds GE literal  { $$ = $1; pp_bound_once(p, &$$.min, ">=", @2, $3); }
    | bounds LE literal  { $$ = $1; pp_bound_once(p, &$$.max, "<=", @2, $3); }
    ;

opt_default
    : %empty   { $$ = NULL; }
    | EQ expr  { $$ = $2; }
    ;

type
    : IDENT           { $$ = pp_type(PA_TY_NAMED, $1, false, @$); }
    | IDENT QUESTION  { $$ = pp_type(PA_TY_NAMED, $1, true, @$); }
    | LIST OF IDENT   { $$ = pp_type(PA_TY_LIST, $3, false, @$); }
    | set_of
    /* `in K`: the values are those `known K` lists; the type's own span
     * stays without the `?` and the `in`. */
    | IDENT IN IDENT           { $$ = pp_type_in(pp_type(PA_TY_NAMED, $1, false, @1), $3, @3); }
    | IDENT QUESTION IN IDENT  { $$ = pp_type_in(pp_type(PA_TY_NAMED, $1, true, @1), $4, @4); }
    | set_of IN IDENT          { $$ = pp_type_in($1, $3, @3); }
    ;

set_of
    : SET OF IDENT  { $$ = pp_type(PA_TY_SET, $3, false, @$); }
    ;

/* ---- definitions ------------------------------------------------------------ */

/* The name is noted as soon as it is read, so that a syntax error later in
 * the definition still declares it (pp_define_failed): its uses are then
 * not reported as unknown names. */
define
    : DEFINE define_name opt_params opt_result EQ expr dassumes {
        p->defining = NULL;
        NEW($$ = pp_decl(p, PA_D_DEFINE, @$, $2, @2));
        $$->u.define.params = $3.head;
        $$->u.define.has_params = $3.has;
        $$->u.define.result = $4;
        $$->u.define.body = $6;
        $$->u.define.assumes = $7.ahead;
    }
    ;

/* `define signed = true assuming "..."`: a constant (or any definition) the
 * handbook does not state, and why it is there. */
dassumes
    : %empty                   { $$ = pp_tail_empty(@$); }
    | dassumes ASSUMING STRING { $$ = $1; NEW(pp_tail_assume(p, &$$, $3.s, @3)); }
    ;

define_name
    : IDENT  { $$ = $1; p->defining = $1; p->defining_span = @1; }
    ;

opt_params
    : %empty               { $$ = (pp_params){NULL, NULL, false}; }
    | LPAREN RPAREN        { $$ = (pp_params){NULL, NULL, true}; }
    | LPAREN params RPAREN { $$ = $2; }
    ;

params
    : param               { $$ = (pp_params){$1, $1, true}; }
    | params COMMA param  { $$ = $1; PP_APPEND($$, head, tail, $3); }
    ;

param
    : IDENT COLON type {
        NEW($$ = pp_alloc(p, sizeof *$$));
        $$->name = $1;
        $$->span = @1;
        $$->type = $3;
    }
    ;

opt_result
    : %empty      { $$ = NULL; }
    | COLON type  { NEW($$ = pp_alloc(p, sizeof *$$)); *$$ = $2; }
    ;

/* ---- programs ----------------------------------------------------------------- */

program
    : PROGRAM IDENT opt_title header LBRACE pbody close {
        if (!$7)
            pp_unterminated(p, PP_BLOCK_PROGRAM, @5);
        NEW($$ = pp_program(p, @$, $2, @2, $3, $4, $6));
    }
    ;

/* Between the title and `{`: when the program is in force, and the
 * assumptions behind it. (Inside the block, an `effective` after a
 * requirement would be ambiguous between the two.) */
header
    : %empty  { $$ = pp_tail_empty(@$); }
    | header EFFECTIVE period  { $$ = pp_tail_period(p, $1, $3); }
    | header ASSUMING STRING   { $$ = $1; NEW(pp_tail_assume(p, &$$, $3.s, @3)); }
    | header ENROLMENT IDENT window  {
        ps_span clause = {@2.file, @2.start, @4.end};
        $$ = pp_tail_window(p, $1, @2, $3, @3, $4, clause);
    }
    | header CITING STRING     { $$ = $1; pp_program_citing(p, @2); }
    | header CITING IDENT      { $$ = $1; pp_program_citing(p, @2); }
    /* `amends the previous version`: words, not keywords (each may still
     * name a field or a definition); pp_program checks the phrase. */
    | header IDENT             { $$ = pp_tail_word(p, $1, $2, @2); }
    ;

period
    : FROM DATE             { $$ = pp_period(@$, $2, PA_DATE_OPEN_UNTIL); }
    | UNTIL DATE            { $$ = pp_period(@$, PA_DATE_OPEN_FROM, $2); }
    | FROM DATE UNTIL DATE  { $$ = pp_period(@$, $2, $4); }
    ;

/* `enrolment open from D until D` (`open` is checked in the action, so
 * it stays a name elsewhere). An end may be a date moved by a literal
 * duration, worked out here: `until 2027-09-15 - 3 months`. */
window
    : FROM wday             { $$ = pp_window(@$, $2, (pp_wday){PA_DATE_OPEN_UNTIL, @$}); }
    | UNTIL wday            { $$ = pp_window(@$, (pp_wday){PA_DATE_OPEN_FROM, @$}, $2); }
    | FROM wday UNTIL wday  { $$ = pp_window(@$, $2, $4); }
    ;

wday
    : DATE                  { $$ = (pp_wday){$1, @$}; }
    | DATE MINUS INT unit   { $$ = pp_wday_shift(p, @$, $1, -1, $3, $4); }
    | DATE PLUS INT unit    { $$ = pp_wday_shift(p, @$, $1, 1, $3, $4); }
    ;

opt_title
    : %empty  { $$ = (pp_opt_str){NULL, @$}; }
    | STRING  { $$ = (pp_opt_str){$1.s, @1}; }
    ;

pbody
    : %empty  { $$ = (pp_pbody){NULL, NULL, NULL, NULL, NULL, NULL}; }
    | pbody attr {
        $$ = $1;
        pa_change *drop = pp_drop(p, $2);  /* `drop "label"` reads as an attribute */
        if (drop)
            PP_APPEND($$, chead, ctail, drop);
        else
            PP_APPEND($$, ahead, atail, $2);
    }
    | pbody change { $$ = $1; PP_APPEND($$, chead, ctail, $2); }
    | pbody req { $$ = $1; PP_APPEND($$, rhead, rtail, $2); }
    | pbody use { $$ = $1; PP_APPEND($$, rhead, rtail, $2); }
    | pbody error  { $$ = $1; }  /* resynchronise at the next requirement */
    ;

attr
    : IDENT literal {
        NEW($$ = pp_alloc(p, sizeof *$$));
        $$->name = $1;
        $$->span = @1;
        $$->value = $2;
    }
    | GRANTS STRING opt_validity {
        NEW($$ = pp_alloc(p, sizeof *$$));
        $$->name = "grants";
        $$->span = @1;
        NEW($$->value = pp_text(p, @2, $2));
        $$->validity = $3;
    }
    /* `valid until 1 January following granted + 5 years - 1 day`: the
     * certificate's last day, computed from the day it is granted. */
    | GRANTS STRING VALID UNTIL expr {
        NEW($$ = pp_alloc(p, sizeof *$$));
        $$->name = "grants";
        $$->span = @1;
        NEW($$->value = pp_text(p, @2, $2));
        $$->valid_until = $5;
    }
    ;

/* `replace "at least 16 years of age": age >= 18` in a version that
 * amends the previous one (`drop "label"` is read as an attribute). */
change
    : IDENT STRING COLON body rtail {
        yyerrok;
        NEW($$ = pp_replace(p, @$, $1, @1, $2.s, @2, $4, $5));
    }
    ;

opt_validity
    : %empty              { $$ = NULL; }
    | VALID FOR duration  { $$ = $3; }
    ;

/* An attribute's value: a literal, possibly negated (the checker says which
 * attributes take which literals). */
literal
    : constant
    | MINUS literal  { NEW($$ = pp_unary(p, @$, PA_OP_NEG, $2)); }
    ;

/* What both an attribute's value and an expression may be. */
constant
    : INT       { NEW($$ = pp_int(p, @$, $1)); }
    | NUMBER    { NEW($$ = pp_node(p, PA_E_NUM, @$, NULL, NULL, NULL)); $$->u.n = $1; }
    | STRING    { NEW($$ = pp_text(p, @$, $1)); }
    | DATE      { NEW($$ = pp_node(p, PA_E_DATE, @$, NULL, NULL, NULL)); $$->u.date = $1; }
    | TRUE      { NEW($$ = pp_node(p, PA_E_BOOL, @$, NULL, NULL, NULL)); $$->u.b = true; }
    | FALSE     { NEW($$ = pp_node(p, PA_E_BOOL, @$, NULL, NULL, NULL)); $$->u.b = false; }
    | NONE      { NEW($$ = pp_node(p, PA_E_NONE, @$, NULL, NULL, NULL)); }
    | duration
    ;

duration
    : INT unit  { NEW($$ = pp_duration(p, @$, $1, $2)); }
    ;

unit
    : YEAR    { $$ = PA_YEARS; }
    | YEARS   { $$ = PA_YEARS; }
    | MONTH   { $$ = PA_MONTHS; }
    | MONTHS  { $$ = PA_MONTHS; }
    | DAY     { $$ = PA_DAYS; }
    | DAYS    { $$ = PA_DAYS; }
    ;

/* The part of a date `year of D`, `month of D`, `day of D` takes. */
part
    : YEAR   { $$ = PA_YEARS; }
    | MONTH  { $$ = PA_MONTHS; }
    | DAY    { $$ = PA_DAYS; }
    ;

/* ---- requirements ------------------------------------------------------------ */

req
    : role STRING COLON body rtail {
        $$ = pp_labelled($4, $1, @$, $2.s, @2, $5);
        NEW(pp_decision(p, $$));
    }
    ;

/* A new requirement is a fresh start after an error: report the next error
 * even if fewer than three tokens were read since the last one (yyerrok). */
role
    : REQUIRE  { $$ = PA_REQUIRE; yyerrok; }
    | PREFER   { $$ = PA_PREFER; yyerrok; }
    | ADVISE   { $$ = PA_ADVISE; yyerrok; }
    ;

body
    : expr   { NEW($$ = pp_leaf(p, $1)); }
    | group
    | decided
    ;

/* `decided by "WHO"`, `decided by "WHO" as "KEY"`: a requirement a person
 * decides; its condition is made from the label (or KEY) by pp_decision. */
decided
    : DECIDED IDENT STRING {
        /* The scanner gives `decided` only before `by`. */
        NEW($$ = pp_decided(p, @$, $3.s, @3, NULL, @3));
    }
    | DECIDED IDENT STRING AS STRING {
        NEW($$ = pp_decided(p, @$, $3.s, @3, $5.s, @5));
    }
    ;

group
    : ALL OF LBRACE members RBRACE  { NEW($$ = pp_group(p, @$, PA_ALL_OF, $4.head)); }
    | ANY OF LBRACE members RBRACE  { NEW($$ = pp_group(p, @$, PA_ANY_OF, $4.head)); }
    | AT LEAST INT OF LBRACE members RBRACE {
        NEW($$ = pp_group(p, @$, PA_AT_LEAST, $6.head));
        $$->min = $3;
        $$->min_span = @3;
    }
    ;

members
    : %empty  { $$ = (pp_reqs){NULL, NULL}; }
    | members member { $$ = $1; PP_APPEND($$, head, tail, $2); }
    | members error  { $$ = $1; }  /* resynchronise at the next member */
    ;

member
    : STRING COLON body rtail {
        $$ = pp_labelled($3, PA_MEMBER, @$, $1.s, @1, $4);
        NEW(pp_decision(p, $$));
    }
    ;

rtail
    : %empty                  { $$ = pp_tail_empty(@$); }
    | rtail CITING STRING     { $$ = pp_tail_cite(p, $1, $3.s, @3); }
    | rtail CITING IDENT      { $$ = pp_tail_cite_name(p, $1, $3, @3); }
    | rtail EFFECTIVE period  { $$ = pp_tail_period(p, $1, $3); }
    | rtail ASSUMING STRING   { $$ = $1; NEW(pp_tail_assume(p, &$$, $3.s, @3)); }
    | rtail ARRANGE STRING    { $$ = pp_tail_arrange(p, $1, $3.s, @3); }
    ;

/* ---- tests -------------------------------------------------------------------- */

example
    : EXAMPLE IDENT EQ facts_ref {
        NEW($$ = pp_decl(p, PA_D_EXAMPLE, @$, $2, @2));
        $$->u.example.facts = $4;
    }
    ;

facts_ref
    : IDENT               { $$ = pp_facts_ref($1, @1, NULL, @$); }
    | vrecord             { $$ = pp_facts_ref(NULL, @$, $1, @$); }
    | IDENT WITH vrecord  { $$ = pp_facts_ref($1, @1, $3, @$); }
    ;

test
    : TEST STRING LBRACE tbody close {
        if (!$5)
            pp_unterminated(p, PP_BLOCK_TEST, @3);
        $$ = $4.test;
        $$->span = @$;
        $$->name = $2.s;
        $$->name_span = @2;
    }
    ;

tbody
    : %empty  { NEW($$.test = pp_decl(p, PA_D_TEST, @$, NULL, @$)); $$.tail = NULL; }
    /* `as of DATE` (`as` is not a keyword, so it stays free as a name) */
    | tbody IDENT OF DATE    { $$ = $1; yyerrok; pp_test_as_of(p, $$.test, $2, @2, $4, @4); }
    | tbody GIVEN facts_ref  { $$ = $1; yyerrok; pp_test_given(p, $$.test, $3); }
    | tbody expect           { $$ = $1; yyerrok; pp_test_expect(&$$, $2); }
    | tbody error            { $$ = $1; }
    ;

/* NULL (after an error was reported) when the outcome words are wrong. */
expect
    : EXPECT IDENT outcome xtail {
        $$ = $3;
        if ($$)
            pp_expect_of($$, $2, @2, @$, $4);
    }
    /* `expect points = 19`, `expect pd_points(2020, 2024) = 19`: a definition's value */
    | EXPECT IDENT EQ value {
        NEW($$ = pp_expect_value(p, $2, @2, @$, NULL, $4));
    }
    | EXPECT IDENT LPAREN RPAREN EQ value {
        pp_values none = {NULL, NULL, 0};
        NEW($$ = pp_expect_value(p, $2, @2, @$, &none, $6));
    }
    | EXPECT IDENT LPAREN args RPAREN EQ value {
        NEW($$ = pp_expect_value(p, $2, @2, @$, &$4, $7));
    }
    ;

/* A value expectation's arguments: literal values, separated by commas. */
args
    : value             { $$ = (pp_values){$1, $1, 1}; }
    | args COMMA value  { $$ = $1; PP_APPEND($$, head, tail, $3); $$.n++; }
    ;

/* The unmet preferences and the advice shown, each an exact list. */
xtail
    : %empty  { memset(&$$, 0, sizeof $$); }
    | xtail PREFER UNMET some_labels  { $$ = $1; pp_clause_once(p, &$$.pref, "prefer unmet", @2, $4); }
    | xtail ADVISE some_labels        { $$ = $1; pp_clause_once(p, &$$.advice, "advise", @2, $3); }
    /* The scanner gives `awaiting` only before `decision`. */
    | xtail AWAITING IDENT some_labels {
        $$ = $1;
        pp_clause_once(p, &$$.awaiting, "awaiting decision", @2, $4);
    }
    ;

some_labels
    : labels
    | NONE  { $$ = (pp_labels){NULL, NULL, 0}; }
    ;

outcome
    : IDENT {
        $$ = NULL;
        if (strcmp($1, "withdrawn") == 0)
            NEW($$ = pp_new_expect(p, PA_X_WITHDRAWN, @$));
        else if (strcmp($1, "closed") == 0)
            NEW($$ = pp_new_expect(p, PA_X_CLOSED, @$));
        else if (pp_word_is(p, $1, "eligible", @1))
            NEW($$ = pp_new_expect(p, PA_X_ELIGIBLE, @$));
    }
    | NOT IDENT {
        $$ = NULL;
        if (pp_word_is(p, $2, "eligible", @2))
            NEW($$ = pp_new_expect(p, PA_X_NOT_ELIGIBLE, @$));
    }
    | NOT IDENT UNMET labels {
        $$ = NULL;
        if (pp_word_is(p, $2, "eligible", @2)) {
            NEW($$ = pp_new_expect(p, PA_X_NOT_ELIGIBLE, @$));
            $$->has_unmet = true;
            $$->unmet = $4.head;
            $$->nunmet = $4.n;
        }
    }
    /* `yet` is a word of its own: after `not eligible` a test's next
     * clause may start with a name (`as of`). */
    | NOT YET IN IDENT {
        $$ = NULL;
        if (pp_word_is(p, $4, "force", @4))
            NEW($$ = pp_new_expect(p, PA_X_NOT_YET, @$));
    }
    | NOT IDENT IN IDENT {  /* a misspelt `yet`: say which words may follow */
        $$ = NULL;
        pp_word_is(p, $2, "yet", @2);
    }
    | NOT YET IDENT {
        $$ = NULL;
        if (pp_word_is(p, $3, "open", @3))
            NEW($$ = pp_new_expect(p, PA_X_NOT_YET_OPEN, @$));
    }
    /* Outside an enrolment window the requirements are still evaluated:
     * a test may pin what else is unmet. */
    | IDENT UNMET labels {
        $$ = NULL;
        if (pp_word_is(p, $1, "closed", @1)) {
            NEW($$ = pp_new_expect(p, PA_X_CLOSED, @$));
            $$->has_unmet = true;
            $$->unmet = $3.head;
            $$->nunmet = $3.n;
        }
    }
    | NOT YET IDENT UNMET labels {
        $$ = NULL;
        if (pp_word_is(p, $3, "open", @3)) {
            NEW($$ = pp_new_expect(p, PA_X_NOT_YET_OPEN, @$));
            $$->has_unmet = true;
            $$->unmet = $5.head;
            $$->nunmet = $5.n;
        }
    }
    ;

labels
    : label               { $$ = (pp_labels){$1, $1, 1}; }
    | labels COMMA label  { $$ = $1; PP_APPEND($$, head, tail, $3); $$.n++; }
    ;

label
    : STRING {
        NEW($$ = pp_alloc(p, sizeof *$$));
        $$->text = $1.s;
        $$->span = @1;
    }
    ;

/* A facts value: the JSON of a coach record, in the rule language's words. */
value
    : INT           { NEW($$ = pp_value(p, PA_V_INT, @$)); $$->u.i = $1; }
    | MINUS INT     {
        NEW($$ = pp_value(p, PA_V_INT, @$));
        $$->u.i = $2 == INT64_MIN ? $2 : -$2;
    }
    | NUMBER        { NEW($$ = pp_value(p, PA_V_NUM, @$)); $$->u.n = $1; }
    | MINUS NUMBER  { NEW($$ = pp_value(p, PA_V_NUM, @$)); $$->u.n = -$2; }
    | STRING {
        NEW($$ = pp_value(p, PA_V_TEXT, @$));
        $$->u.str.s = $1.s;
        $$->u.str.len = $1.len;
    }
    /* `"USATF" not known`: a text deliberately outside its field's known list */
    | STRING NOT KNOWN {
        NEW($$ = pp_value(p, PA_V_TEXT, @1));
        $$->u.str.s = $1.s;
        $$->u.str.len = $1.len;
        $$->not_known = true;
        $$->not_known_span = (ps_span){@2.file, @2.start, @3.end};
    }
    | DATE   { NEW($$ = pp_value(p, PA_V_DATE, @$)); $$->u.date = $1; }
    | TRUE   { NEW($$ = pp_value(p, PA_V_BOOL, @$)); $$->u.b = true; }
    | FALSE  { NEW($$ = pp_value(p, PA_V_BOOL, @$)); $$->u.b = false; }
    | NONE   { NEW($$ = pp_value(p, PA_V_NONE, @$)); }
    | LBRACKET RBRACKET  { NEW($$ = pp_value(p, PA_V_LIST, @$)); }
    | LBRACKET values opt_comma RBRACKET {
        NEW($$ = pp_value(p, PA_V_LIST, @$));
        $$->u.list.items = $2.head;
        $$->u.list.n = $2.n;
    }
    | vrecord
    ;

/* Like a record's entries, list items may be separated by layout alone. */
values
    : value                   { $$ = (pp_values){$1, $1, 1}; }
    | values opt_comma value  { $$ = $1; PP_APPEND($$, head, tail, $3); $$.n++; }
    ;

opt_comma
    : %empty
    | COMMA
    ;

vrecord
    : LBRACE entries RBRACE {
        NEW($$ = pp_value(p, PA_V_RECORD, @$));
        $$->u.record.entries = $2.head;
    }
    ;

/* Entries are separated by commas or just by layout. */
entries
    : %empty                   { $$ = (pp_entries){NULL, NULL}; }
    | entries entry opt_comma  { $$ = $1; PP_APPEND($$, head, tail, $2); }
    | entries error            { $$ = $1; }
    ;

entry
    : IDENT COLON value {
        NEW($$ = pp_alloc(p, sizeof *$$));
        $$->name = $1;
        $$->span = @1;
        $$->value = $3;
    }
    ;

/* ---- expressions -------------------------------------------------------------- */

expr
    : IF expr THEN expr ELSE expr %prec QUANT {
        NEW($$ = pp_node(p, PA_E_IF, @$, $2, $4, $6));
        $$->u.cond.c = $2;
        $$->u.cond.a = $4;
        $$->u.cond.b = $6;
    }
    | quant
    | expr OR expr   { NEW($$ = pp_binary(p, @$, PA_OP_OR, @2, $1, $3)); }
    | expr AND expr  { NEW($$ = pp_binary(p, @$, PA_OP_AND, @2, $1, $3)); }
    | NOT expr       { NEW($$ = pp_unary(p, @$, PA_OP_NOT, $2)); }
    | cmp
    | oexpr
    ;

/* A quantifier's list is a name, a field or a call (`postfix`): no list
 * value is anything else. With `where`, the condition reaches as far right
 * as it can; without it, `count` and `sum` are values like any other (a
 * `primary` below), so `count c in certificates >= 2` compares the count. */
quant
    : ANY IDENT IN postfix WHERE expr %prec QUANT {
        NEW($$ = pp_quant(p, @$, PA_Q_ANY, $2, @2, $4, $6, NULL));
    }
    | ALL IDENT IN postfix WHERE expr %prec QUANT {
        NEW($$ = pp_quant(p, @$, PA_Q_ALL, $2, @2, $4, $6, NULL));
    }
    | COUNT IDENT IN postfix WHERE expr %prec QUANT {
        NEW($$ = pp_quant(p, @$, PA_Q_COUNT, $2, @2, $4, $6, NULL));
    }
    | SUM expr FOR IDENT IN postfix WHERE expr %prec QUANT {
        NEW($$ = pp_quant(p, @$, PA_Q_SUM, $4, @4, $6, $8, $2));
    }
    ;

cmp
    : oexpr cmpop oexpr  { NEW($$ = pp_binary(p, @$, $2, @2, $1, $3)); }
    | oexpr IS NONE      { NEW($$ = pp_is_none(p, @$, $1, false)); }
    | oexpr IS NOT NONE  { NEW($$ = pp_is_none(p, @$, $1, true)); }
    /* `a < b < c`: reported, and only `a < b` is kept, so that the checker
     * (which runs after syntax errors too) does not add a type error about
     * comparing a boolean. */
    | cmp cmpop oexpr     { pp_chained(p, @2); $$ = $1; }
    | cmp IS NONE         { pp_chained(p, @2); $$ = $1; }
    | cmp IS NOT NONE     { pp_chained(p, @2); $$ = $1; }
    ;

cmpop
    : EQ  { $$ = PA_OP_EQ; }
    | NE  { $$ = PA_OP_NE; }
    | LT  { $$ = PA_OP_LT; }
    | LE  { $$ = PA_OP_LE; }
    | GT  { $$ = PA_OP_GT; }
    | GE  { $$ = PA_OP_GE; }
    | IN  { $$ = PA_OP_IN; }
    ;

oexpr
    : oexpr OTHERWISE oexpr  { NEW($$ = pp_binary(p, @$, PA_OP_OTHERWISE, @2, $1, $3)); }
    | oexpr PLUS oexpr       { NEW($$ = pp_binary(p, @$, PA_OP_ADD, @2, $1, $3)); }
    | oexpr MINUS oexpr      { NEW($$ = pp_binary(p, @$, PA_OP_SUB, @2, $1, $3)); }
    | oexpr STAR oexpr       { NEW($$ = pp_binary(p, @$, PA_OP_MUL, @2, $1, $3)); }
    | MINUS oexpr %prec UMINUS  { NEW($$ = pp_unary(p, @$, PA_OP_NEG, $2)); }
    | postfix %prec SPAN
    ;

postfix
    : primary
    | postfix DOT IDENT {
        NEW($$ = pp_node(p, PA_E_FIELD, @$, $1, NULL, NULL));
        $$->u.field.obj = $1;
        $$->u.field.name = $3;
        $$->u.field.name_span = @3;
    }
    ;

primary
    : constant
    | TODAY     { NEW($$ = pp_node(p, PA_E_TODAY, @$, NULL, NULL, NULL)); }
    | unit BETWEEN oexpr AND oexpr %prec SPAN  { NEW($$ = pp_between(p, @$, $1, $3, $5)); }
    | unit SINCE oexpr %prec SPAN              { NEW($$ = pp_between(p, @$, $1, $3, NULL)); }
    /* Without `where` (see quant): a `where` after the list is the
     * quantifier's own (WHERE ranks above QUANT). */
    | COUNT IDENT IN postfix %prec QUANT {
        NEW($$ = pp_quant(p, @$, PA_Q_COUNT, $2, @2, $4, NULL, NULL));
    }
    | SUM expr FOR IDENT IN postfix %prec QUANT {
        NEW($$ = pp_quant(p, @$, PA_Q_SUM, $4, @4, $6, NULL, $2));
    }
    | part OF postfix %prec SPAN  { NEW($$ = pp_date_part(p, @$, $1, $3)); }
    | INT MONTHNAME OF postfix %prec SPAN {
        pa_expr *d;
        NEW(d = pp_int(p, @1, $1));
        NEW($$ = pp_named_date(p, @$, d, $2, @2, $4, NULL));
    }
    | INT MONTHNAME FOLLOWING postfix %prec SPAN {
        pa_expr *d;
        NEW(d = pp_int(p, @1, $1));
        NEW($$ = pp_named_date(p, @$, d, $2, @2, NULL, $4));
    }
    | DAY postfix OF MONTH postfix OF YEAR postfix %prec SPAN  { NEW($$ = pp_parts_date(p, @$, $2, $5, $8)); }
    /* A duration with a computed count: `n months`, `(2 * k) years`. */
    | IDENT unit {
        pa_expr *n;
        NEW(n = pp_node(p, PA_E_NAME, @1, NULL, NULL, NULL));
        n->u.name.name = $1;
        NEW($$ = pp_count_duration(p, @$, n, $2));
    }
    | LPAREN expr RPAREN unit {
        $2->span = (ps_span){@1.file, @1.start, @3.end}; /* the parentheses included */
        NEW($$ = pp_count_duration(p, @$, $2, $4));
    }
    | IDENT     { NEW($$ = pp_node(p, PA_E_NAME, @$, NULL, NULL, NULL)); $$->u.name.name = $1; }
    | IDENT LPAREN opt_exprs RPAREN {
        NEW($$ = pp_items_node(p, PA_E_CALL, @$, $3));
        $$->u.call.name = $1;
        $$->u.call.name_span = @1;
    }
    | LPAREN expr RPAREN  { $$ = $2; $$->span = @$; }  /* the span covers the parentheses */
    | LBRACKET opt_exprs RBRACKET  { NEW($$ = pp_items_node(p, PA_E_LIST, @$, $2)); }
    ;

opt_exprs
    : %empty  { $$ = (pp_exprs){NULL, NULL, 0, 0}; }
    | exprs
    ;

exprs
    : expr              { $$ = pp_exprs_one($1); }
    | exprs COMMA expr  { $$ = pp_exprs_add($1, $3); }
    ;

%%

/* ---- syntax errors ------------------------------------------------------------ */

/* The sentences are written in src/front/syntax.c; what bison knows about
 * the error is static here, so it is handed over in the scanner's token
 * kinds. */

_Static_assert(YYMAXUTOK < PP_TOKEN_KINDS, "PP_TOKEN_KINDS (front/syntax.h) is too small");

const char *pp_token_name(int kind)
{
    if (kind < 0)
        return "nothing";
    return yysymbol_name(YYTRANSLATE(kind));
}

/* The token kind of a terminal symbol: bison maps only the other way
 * (YYTRANSLATE), so the map is searched; YYEMPTY (no lookahead) stays. */
static int pp_token_kind(yysymbol_kind_t sym)
{
    if (sym == YYSYMBOL_YYEOF)
        return T_YYEOF;
    for (int t = T_PW_YYerror; t <= YYMAXUTOK; t++)
        if (YYTRANSLATE(t) == sym)
            return t;
    return T_PW_YYEMPTY;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, pp_parser *p)
{
    (void)scanner;
    if (pp_syntax_quiet(p))
        return 0;
    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
    if (n < 0)
        return n == YYENOMEM ? 2 : 0;
    pp_syntax s = {.lookahead = pp_token_kind(yypcontext_token(ctx)),
                   .at = *yypcontext_location(ctx), .nexpected = n};
    for (int i = 0; i < n; i++)
        s.expected[pp_token_kind(exp[i])] = true;
    pp_syntax_error(p, &s);
    return 0;
}

/* Bison's own failures: its stack outgrew YYMAXDEPTH (a pathological nesting
 * such as thousands of `not`), malloc could not grow its stack, or an action
 * ran out of memory. */
static void pw_yyerror(PW_YYLTYPE *loc, yyscan_t scanner, pp_parser *p, const char *msg)
{
    (void)scanner;
    (void)msg;
    pp_parser_failed(p, loc, (int)YYMAXDEPTH);
}
