/* The sentences of syntax errors. Bison's view of an error (the lookahead,
 * the tokens that would have fit) is static in the generated parser, so
 * grammar/parser.y gathers it into a pp_syntax, in the scanner's token kinds
 * (T_*), and the sentence is written here: "expected `:` after the
 * requirement label, found `age`" rather than a list of twenty tokens. The
 * types (pp_parser, pp_block) are the parser's, from its generated header. */
#ifndef PP_SYNTAX_H
#define PP_SYNTAX_H

#include <stdbool.h>

#include "parser.h"

/* Every token kind is below this; parser.y checks it against bison's
 * largest (a token declared after UMINUS must move the bound). */
#define PP_TOKEN_KINDS (T_UMINUS + 1)

/* What the parser knew when the lookahead did not fit. */
typedef struct pp_syntax {
    int lookahead;                    /* its token kind; T_YYEOF at the end of the file */
    ps_span at;                       /* where it is */
    bool expected[PP_TOKEN_KINDS];    /* by token kind: what would have fit (exact, thanks to LAC) */
    int nexpected;                    /* how many are set */
} pp_syntax;

/* Whether syntax errors go unreported now: the scanner gave up and said
 * why, or memory ran out; the rest would be noise. The parser asks before
 * gathering a pp_syntax (which costs a LAC exploration, and memory). */
bool pp_syntax_quiet(const pp_parser *p);

/* Reports a syntax error: a block left open at the end of the file (E0202),
 * a requirement without its label (E0203), or a sentence saying what was
 * found and what was expected, after what (E0201). */
void pp_syntax_error(pp_parser *p, const pp_syntax *s);

/* Reports bison's own failure (its stack outgrew max_stack, or memory ran
 * out: then only the out-of-memory flag is set). */
void pp_parser_failed(pp_parser *p, const ps_span *at, int max_stack);

/* Reports a block left open (E0202) at `at`, where token `before` ends it
 * (T_YYEOF: the end of the file), with a note at its `{`. */
void pp_report_unterminated(pp_parser *p, pp_block block, const ps_span *at, int before,
                            const ps_span *brace);

#endif
