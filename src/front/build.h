/* The AST constructors the grammar's actions call (grammar/parser.y): each
 * allocates from the parse's arena and returns NULL only when memory runs
 * out (the action then stops the parse, see NEW in parser.y); some report
 * what shows only while building (nesting too deep, chained comparisons, a
 * repeated `citing`, an unterminated block). Kept here so that parser.y
 * holds the grammar. The types (pp_parser, pp_exprs, pp_tail ...) are the
 * parser's, from its generated header. */
#ifndef PP_BUILD_H
#define PP_BUILD_H

#include "parser.h"

/* Appends node x to a list under construction (its head and tail
 * fields, nodes linked by `next`), in place. */
#define PP_APPEND(list, head, tail, x) \
    do {                               \
        if ((list).tail)               \
            (list).tail->next = (x);   \
        else                           \
            (list).head = (x);         \
        (list).tail = (x);             \
    } while (0)

void *pp_alloc(pp_parser *p, size_t size);
uint32_t pp_height(const pa_expr *e);
void pp_check_depth(pp_parser *p, pa_expr *e);
pa_expr *pp_node(pp_parser *p, pa_expr_kind kind, ps_span span, const pa_expr *a,
        const pa_expr *b, const pa_expr *c);
pa_expr *pp_int(pp_parser *p, ps_span span, int64_t v);
pa_expr *pp_text(pp_parser *p, ps_span span, pp_str s);
pa_expr *pp_is_none(pp_parser *p, ps_span span, pa_expr *a, bool negated);
pa_expr *pp_unary(pp_parser *p, ps_span span, pa_op op, pa_expr *a);
pa_expr *pp_binary(pp_parser *p, ps_span span, pa_op op, ps_span op_span, pa_expr *a,
        pa_expr *b);
pa_expr *pp_duration(pp_parser *p, ps_span span, int64_t n, pa_unit unit);
pa_expr *pp_between(pp_parser *p, ps_span span, pa_unit unit, pa_expr *a, pa_expr *b);
pa_expr *pp_count_duration(pp_parser *p, ps_span span, pa_expr *count, pa_unit unit);
pa_expr *pp_date_part(pp_parser *p, ps_span span, pa_unit unit, pa_expr *a);
pa_expr *pp_named_date(pp_parser *p, ps_span span, pa_expr *day, int month, ps_span month_span,
        pa_expr *year, pa_expr *after);
pa_expr *pp_parts_date(pp_parser *p, ps_span span, pa_expr *d, pa_expr *m, pa_expr *y);
pa_expr *pp_quant(pp_parser *p, ps_span span, pa_quant q, const char *var, ps_span var_span,
        pa_expr *list, pa_expr *where, pa_expr *value);
pa_expr *pp_items_node(pp_parser *p, pa_expr_kind kind, ps_span span, pp_exprs items);
pp_exprs pp_exprs_one(pa_expr *e);
pp_exprs pp_exprs_add(pp_exprs l, pa_expr *e);
void pp_chained(pp_parser *p, ps_span op_span);
pa_decl *pp_decl(pp_parser *p, pa_decl_kind kind, ps_span span, const char *name,
        ps_span name_span);
pa_decl *pp_program(pp_parser *p, ps_span span, const char *name, ps_span name_span, pp_opt_str title,
                    pp_tail header, pp_pbody body);
void pp_append_decl(pp_parser *p, pa_decl *d);
/* After a syntax error: the definition being read, if any, is declared
 * without a body (pa_decl.u.define.failed), so that the checker treats its
 * uses as already reported. */
void pp_define_failed(pp_parser *p);
pa_req *pp_leaf(pp_parser *p, pa_expr *cond);
pa_req *pp_group(pp_parser *p, ps_span span, pa_group g, pa_req *members);
/* `decided by "WHO" [as "KEY"]`: a leaf whose conditions pp_decision makes
 * once the label is known (after pp_labelled); pp_decision does nothing for
 * other requirements, and returns false only when out of memory. */
pa_req *pp_decided(pp_parser *p, ps_span span, const char *who, ps_span who_span, const char *key,
                   ps_span key_span);
bool pp_decision(pp_parser *p, pa_req *r);
pa_req *pp_labelled(pa_req *r, pa_role role, ps_span span, const char *label,
        ps_span label_span, pp_tail tail);
void pp_unterminated(pp_parser *p, pp_block block, ps_span brace);
pa_field *pp_field(pp_parser *p, const char *name, ps_span span, pa_typeref type,
        pa_expr *def);
pa_typeref pp_type(pa_type_form form, const char *name, bool optional, ps_span span);
pa_typeref pp_type_in(pa_typeref t, const char *known, ps_span known_span);
pp_tail pp_tail_empty(ps_span at);
/* Amending versions: `amends the previous version`, `drop`, `replace`. */
pp_tail pp_tail_word(pp_parser *p, pp_tail t, const char *word, ps_span span);
pa_change *pp_drop(pp_parser *p, const pa_attr *a);
pa_change *pp_replace(pp_parser *p, ps_span span, const char *word, ps_span word_span, const char *label,
                      ps_span label_span, pa_req *body, pp_tail tail);
pa_period pp_period(ps_span span, int32_t from, int32_t until);
void pp_twice(pp_parser *p, const char *what, ps_span again, ps_span first);
void pp_bound_once(pp_parser *p, pa_expr **bound, const char *op, ps_span op_span, pa_expr *value);
void pp_program_citing(pp_parser *p, ps_span citing);
pp_tail pp_tail_cite(pp_parser *p, pp_tail t, const char *s, ps_span span);
/* `require NAME`: a use of a `requirements` block. */
pa_req *pp_use(pp_parser *p, ps_span span, const char *name, ps_span name_span);
pp_tail pp_tail_cite_name(pp_parser *p, pp_tail t, const char *name, ps_span span);
pp_tail pp_tail_period(pp_parser *p, pp_tail t, pa_period period);
/* `arrange "renew your membership"`: what a coach does to meet it. */
pp_tail pp_tail_arrange(pp_parser *p, pp_tail t, const char *s, ps_span span);
/* `enrolment WORD window` in a program's header: WORD must be `open`
 * (E0472); a second window is E0207. */
pp_tail pp_tail_window(pp_parser *p, pp_tail t, ps_span kw_span, const char *word, ps_span word_span,
                       pa_window w, ps_span clause);
pa_window pp_window(ps_span span, pp_wday opens, pp_wday closes);
/* `D - n unit` / `D + n unit` (sign -1 or 1) as a window's end: the day,
 * or D itself after E0473 when the result leaves the years of a date. */
pp_wday pp_wday_shift(pp_parser *p, ps_span span, int32_t day, int sign, int64_t n, pa_unit unit);
/* Appends an assumption to *t; false when memory ran out. */
bool pp_tail_assume(pp_parser *p, pp_tail *t, const char *reason, ps_span span);
pa_value *pp_value(pp_parser *p, pa_value_kind kind, ps_span span);
pa_facts_ref pp_facts_ref(const char *base, ps_span base_span, pa_value *with, ps_span span);
/* `granted here`, and its `KEY: FIELD` pairs (see pa_grant). */
pa_grant *pp_grant(pp_parser *p, ps_span span, const char *here, ps_span here_span);
pa_gkey *pp_grant_key(pp_parser *p, const char *key, ps_span key_span, const char *field, ps_span field_span);
void pp_grant_key_add(pa_grant *g, pa_gkey *k);
bool pp_word_is(pp_parser *p, const char *word, const char *want, ps_span span);
pa_expect *pp_new_expect(pp_parser *p, pa_expect_kind kind, ps_span span);
void pp_test_as_of(pp_parser *p, pa_decl *test, const char *word, ps_span word_span, int32_t date,
        ps_span date_span);
void pp_test_given(pp_parser *p, pa_decl *test, pa_facts_ref given);
void pp_test_expect(pp_tbody *b, pa_expect *x);
void pp_clause_once(pp_parser *p, pp_clause *c, const char *what, ps_span span, pp_labels labels);
void pp_expect_of(pa_expect *x, const char *program, ps_span program_span, ps_span span,
        pp_xtail tail);
/* `expect NAME = v` (args NULL) or `expect NAME(args) = v`. */
pa_expect *pp_expect_value(pp_parser *p, const char *name, ps_span name_span, ps_span span,
        const pp_values *args, pa_value *value);

#endif
