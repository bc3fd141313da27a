/* The checker: resolves every name, lays out the facts record, types every
 * expression and rejects what cannot run (unknown names, type mismatches,
 * recursive definitions, malformed programs). It annotates the AST in place
 * (pa_expr.type / ref / ref_index) and returns the tables the code generator
 * needs. Every problem becomes a diagnostic; checking goes on after an error
 * so that one run reports them all. */
#ifndef PC_CHECK_H
#define PC_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "../diag/diag.h"
#include "../front/ast.h"

/* A pseudo kind for duration literals (`2 years`), which only appear as the
 * right operand of date arithmetic and never reach the image. */
#define PC_T_DURATION (PB_T_COUNT + 1)
/* The type of a literal list `[...]`, only valid on the right of `in`. */
#define PC_T_LITLIST (PB_T_COUNT + 2)

typedef enum pc_builtin { PC_BI_MAX, PC_BI_MIN, PC_BI_COUNT } pc_builtin;

typedef struct pc_field {
    const char *name;
    ps_span span;
    pb_type type;
    uint8_t def;        /* pb_default */
    const pa_expr *defexpr; /* PB_DEF_VALUE: the literal (possibly negated) */
    const pa_expr *min, *max; /* `>= a`, `<= b`: literals of the field's type, or NULL */
    uint32_t known;     /* `text in NAME`: index into pc_program.known + 1; 0 for none */
    const pa_grant *grant; /* `granted here ...` after it, or NULL */
} pc_field;

#define PC_NO_FIELD UINT32_MAX

/* Where a program's `grants` lands (`granted here` on a facts list, or by
 * convention a `certificates` list with `id` and `issued`): the facts
 * field, and the fields of its record for the id, the issue day and the
 * expiry (PC_NO_FIELD: none). `marked`: the rules say it. */
typedef struct pc_grants {
    uint32_t slot;      /* PC_NO_FIELD: the rules do not say */
    uint32_t id, issued, expires;
    bool marked;
} pc_grants;

/* `known NAME = ["a", "b"]`: the values a text is known to take. */
typedef struct pc_known {
    const pa_decl *decl;
    const pa_expr **values; /* the PA_E_STR items, in order */
    uint32_t nvalues;
} pc_known;

typedef struct pc_record {
    const char *name;
    ps_span span;
    pc_field *fields;
    uint32_t nfields;
} pc_record;

typedef struct pc_define {
    const pa_decl *decl;
    uint32_t nparams;
    pb_type *params;
    uint32_t *param_known; /* per parameter: `text in NAME` as for pc_field.known */
    pb_type result;
    uint32_t nlocals;   /* parameters plus quantifier locals */
    uint32_t func;      /* function index: callees always have lower ones */
    bool typed;         /* result type is known (checking may be in progress) */
    uint8_t state;      /* cycle detection: 0 new, 1 in progress, 2 done */
} pc_define;

typedef struct pc_program {
    pc_record *records;  /* [0] is the facts record */
    uint32_t nrecords;
    bool has_facts;      /* records[0] was declared (else E0309 was reported) */
    pc_define *defs;     /* in declaration order */
    uint32_t ndefs;
    uint32_t *def_order; /* definitions by function index (callees first) */
    const pa_decl **progs; /* in declaration order */
    uint32_t nprogs;
    pc_known *known;     /* in declaration order */
    uint32_t nknown;
    pc_grants grants;    /* `granted here` (check_grant.c) */
} pc_program;

/* "from 2026-06-01 until 2027-08-31", "from ...", "until ...", "always". */
const char *pc_period_text(const pa_period *p, char *buf, size_t len);

/* Checks the declarations. Returns false when any error was reported.
 * `max_nesting` (0 = PP_DEFAULT_NESTING) bounds an expression's height and
 * how deep checking nests along a cycle of definitions. Definitions are
 * checked callees first without recursion, so a chain of them (each using
 * the next) costs no stack, however long. */
bool pc_check(pm_arena *arena, ps_sources *src, pd_list *diags, pa_decl *decls,
              unsigned max_nesting, pc_program *out);

/* Quantifiers own five locals from the index in their ref_index: the list,
 * the position and the key of the iterator (ITER_INIT, ITER_KEY), the loop
 * variable (PC_QUANT_VAR), and the count/sum accumulator. */
#define PC_QUANT_LOCALS 5
#define PC_QUANT_VAR 3

#endif
