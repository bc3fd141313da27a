/* The syntax tree, as the parser builds it and the checker annotates it. Every
 * node lives in the compilation's arena and carries its source span. Lists of
 * siblings are linked through `next`, in source order. */
#ifndef PA_AST_H
#define PA_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "../bc/image.h"
#include "../source/source.h"

typedef enum pa_unit { PA_DAYS = 0, PA_MONTHS = 1, PA_YEARS = 2 } pa_unit; /* = pu_unit */

typedef enum pa_expr_kind {
    PA_E_INT,      /* u.i */
    PA_E_NUM,      /* u.n */
    PA_E_STR,      /* u.s */
    PA_E_DATE,     /* u.date: day number, already validated by the parser */
    PA_E_BOOL,     /* u.b */
    PA_E_NONE,     /* `none` */
    PA_E_TODAY,    /* `today` */
    PA_E_DURATION, /* u.dur: `2 years`, `n months` (count set) */
    PA_E_NAME,     /* u.name: a field, definition, parameter or loop variable */
    PA_E_FIELD,    /* u.field: obj.name */
    PA_E_CALL,     /* u.call: name(args) */
    PA_E_LIST,     /* u.list: [a, b, c] */
    PA_E_UNARY,    /* u.un: not a, -a */
    PA_E_BINARY,   /* u.bin */
    PA_E_IS_NONE,  /* u.isnone: a is none / a is not none */
    PA_E_IF,       /* u.cond: if c then a else b */
    PA_E_BETWEEN,  /* u.between: years between a and b; years since a (b NULL) */
    PA_E_QUANT,    /* u.quant: any/all/count/sum */
    PA_E_DATE_PART, /* u.part: year of a, month of a, day of a */
    PA_E_MAKE_DATE  /* u.make: 31 August of y; day d of month m of year y;
                       1 January following a */
} pa_expr_kind;

/* How a PA_E_MAKE_DATE was written (fmt and messages only; all build a date). */
typedef enum pa_make_form {
    PA_MAKE_NAMED,     /* `31 August of Y`: d, m literal PA_E_INT, y */
    PA_MAKE_PARTS,     /* `day D of month M of year Y` */
    PA_MAKE_FOLLOWING  /* `1 January following A`: d, m literal, after */
} pa_make_form;

typedef enum pa_op {
    PA_OP_NOT, PA_OP_NEG,                                           /* unary */
    PA_OP_AND, PA_OP_OR,
    PA_OP_EQ, PA_OP_NE, PA_OP_LT, PA_OP_LE, PA_OP_GT, PA_OP_GE,
    PA_OP_ADD, PA_OP_SUB, PA_OP_MUL,
    PA_OP_IN,        /* a in b: b a set of text or a literal list */
    PA_OP_OTHERWISE  /* a otherwise b */
} pa_op;

typedef enum pa_quant { PA_Q_ANY, PA_Q_ALL, PA_Q_COUNT, PA_Q_SUM } pa_quant;

/* What a name resolved to (set by the checker). */
typedef enum pa_ref {
    PA_REF_NONE = 0,
    PA_REF_FACT,    /* field `index` of the facts record */
    PA_REF_DEFINE,  /* definition `index` */
    PA_REF_PARAM,   /* parameter / local `index` of the enclosing definition */
    PA_REF_LOCAL,   /* loop variable in local `index` */
    PA_REF_BUILTIN  /* builtin function `index` (pc_builtin) */
} pa_ref;

typedef struct pa_expr pa_expr;
struct pa_expr {
    pa_expr_kind kind;
    ps_span span;
    pa_expr *next; /* next argument / list item */
    uint32_t depth; /* height of this subtree (1 for a leaf); the parser bounds it */
    union {
        int64_t i;
        double n;
        struct { const char *s; uint32_t len; } str;
        int32_t date;
        bool b;
        struct { int64_t n; pa_unit unit; pa_expr *count; } dur; /* count NULL: n */
        struct { const char *name; } name;
        struct { pa_expr *obj; const char *name; ps_span name_span; } field;
        struct { const char *name; ps_span name_span; pa_expr *args; uint32_t nargs; } call;
        struct { pa_expr *items; uint32_t nitems; } list;
        struct { pa_op op; pa_expr *a; } un;
        struct { pa_op op; pa_expr *a, *b; ps_span op_span; } bin;
        struct { pa_expr *a; bool negated; } isnone;
        struct { pa_expr *c, *a, *b; } cond;
        struct { pa_unit unit; pa_expr *a, *b; } between;
        struct { pa_unit unit; pa_expr *a; } part;
        struct { pa_make_form form; pa_expr *y, *m, *d, *after; ps_span month_span; } make;
        struct {
            pa_quant q;
            const char *var;
            ps_span var_span;
            pa_expr *list;
            pa_expr *where; /* may be NULL (count, sum) */
            pa_expr *value; /* sum only */
        } quant;
    } u;
    /* Filled by the checker. */
    pb_type type;
    pa_ref ref;
    uint32_t ref_index;
    uint32_t ref_rec;   /* PA_E_FIELD: record of obj; u.field index in ref_index */
};

/* Calls fn(ctx, c) for each direct subexpression c of e, in source order
 * (call arguments and list items included; absent parts skipped), so that
 * the walkers that treat most kinds alike (the checker's definition graph,
 * the lint's usage and known-value passes) do not each list the kinds. */
typedef void pa_child_fn(void *ctx, const pa_expr *child);
static inline void pa_each_child(const pa_expr *e, pa_child_fn *fn, void *ctx)
{
    const pa_expr *k[3] = {NULL, NULL, NULL}, *list = NULL;
    switch (e->kind) {
    case PA_E_FIELD: k[0] = e->u.field.obj; break;
    case PA_E_CALL: list = e->u.call.args; break;
    case PA_E_LIST: list = e->u.list.items; break;
    case PA_E_UNARY: k[0] = e->u.un.a; break;
    case PA_E_BINARY: k[0] = e->u.bin.a, k[1] = e->u.bin.b; break;
    case PA_E_IS_NONE: k[0] = e->u.isnone.a; break;
    case PA_E_IF: k[0] = e->u.cond.c, k[1] = e->u.cond.a, k[2] = e->u.cond.b; break;
    case PA_E_BETWEEN: k[0] = e->u.between.a, k[1] = e->u.between.b; break;
    case PA_E_QUANT: k[0] = e->u.quant.list, k[1] = e->u.quant.where, k[2] = e->u.quant.value; break;
    case PA_E_DURATION: k[0] = e->u.dur.count; break;
    case PA_E_DATE_PART: k[0] = e->u.part.a; break;
    case PA_E_MAKE_DATE:
        k[0] = e->u.make.after ? e->u.make.after : e->u.make.y, k[1] = e->u.make.m, k[2] = e->u.make.d;
        break;
    default: break;
    }
    for (; list; list = list->next)
        fn(ctx, list);
    for (int i = 0; i < 3; i++)
        if (k[i])
            fn(ctx, k[i]);
}

/* A type as written: `integer`, `date?`, `list of certificate`, `set of text`. */
typedef enum pa_type_form { PA_TY_NAMED, PA_TY_LIST, PA_TY_SET } pa_type_form;
typedef struct pa_typeref {
    pa_type_form form;
    const char *name; /* the base or element type name */
    bool optional;    /* `?` after a named type */
    ps_span span;
    const char *known; /* `text in NAME`, `set of text in NAME`: a `known` list, or NULL */
    ps_span known_span;
} pa_typeref;

/* `issued: awarded` after `granted here with`: which field of the list's
 * record holds the certificate's id, issue day or expiry. */
typedef struct pa_gkey pa_gkey;
struct pa_gkey {
    const char *key;   /* `id`, `issued` or `expires` (the checker says so) */
    ps_span key_span;
    const char *field; /* a field of the list's record */
    ps_span field_span;
    pa_gkey *next;
};

/* `granted here [with KEY: FIELD, ...]` after a facts list: where the
 * certificate a program `grants` lands when a plan takes it. */
typedef struct pa_grant {
    ps_span span;      /* from `granted` to the last field name */
    pa_gkey *keys, *keys_tail;
} pa_grant;

typedef struct pa_field pa_field;
struct pa_field {
    const char *name;
    ps_span span; /* the name */
    pa_typeref type;
    pa_expr *min, *max; /* `>= value`, `<= value` after the type, or NULL */
    pa_expr *def; /* `= value`, or NULL */
    pa_grant *grant; /* `granted here ...`, or NULL */
    pa_field *next;
};

typedef struct pa_param pa_param;
struct pa_param {
    const char *name;
    ps_span span;
    pa_typeref type;
    pa_param *next;
};

typedef enum pa_role { PA_REQUIRE, PA_PREFER, PA_ADVISE, PA_MEMBER } pa_role;
typedef enum pa_group { PA_LEAF, PA_ALL_OF, PA_ANY_OF, PA_AT_LEAST, PA_USE } pa_group;

/* `effective from D until D`: both days inclusive; an open end is
 * PA_DATE_OPEN_FROM / PA_DATE_OPEN_UNTIL. */
#define PA_DATE_OPEN_FROM INT32_MIN
#define PA_DATE_OPEN_UNTIL INT32_MAX
typedef struct pa_period {
    bool given;        /* the clause was written */
    int32_t from, until;
    ps_span span;      /* the whole clause */
} pa_period;

/* `enrolment open from D until D` in a program's header: the days a coach
 * may enrol in the version, both included; an open end as pa_period's.
 * The ends are dates the parser computed (`2027-09-15 - 3 months`). */
typedef struct pa_window {
    bool given;        /* the clause was written */
    int32_t opens, closes;
    ps_span span;      /* the whole clause */
    ps_span opens_span, closes_span; /* each end as written (empty when open) */
} pa_window;

/* `assuming "reason"`: a requirement (or a program's header, or a
 * definition) that the source document does not state, and why it is there. */
typedef struct pa_assume pa_assume;
struct pa_assume {
    const char *reason;
    ps_span span;
    pa_assume *next;
};

typedef struct pa_req pa_req;
struct pa_req {
    pa_role role;       /* PA_MEMBER for members of a group */
    const char *label;
    ps_span label_span;
    ps_span span;       /* the whole requirement */
    pa_group group;
    pa_expr *cond;      /* PA_LEAF */
    pa_req *members;    /* groups */
    int64_t min;        /* PA_AT_LEAST */
    ps_span min_span;
    const char *cite;   /* `citing "..."`, or NULL; the checker sets it for `citing NAME` */
    const char *cite_name; /* `citing NAME`: a `source` declaration's name, or NULL */
    ps_span cite_span;
    pa_period period;   /* `effective ...` */
    pa_assume *assumes; /* `assuming "..."`, in order */
    const char *arrange; /* `arrange "..."`: what the coach does to meet it, or NULL */
    ps_span arrange_span;
    /* `require NAME` (PA_USE): the `requirements` block it stands for; the
     * checker replaces it by copies of the block's requirements. */
    const char *use;
    bool shared;        /* a copy of a block's requirement, checked with the block */
    /* `decided by "WHO" [as "KEY"]` (PA_LEAF): a requirement a person decides.
     * The parser makes `cond` (a yes is recorded for the key in the facts
     * field `decisions`) and `decision` (0: nothing recorded, 1: yes, 2: no)
     * from the key, the label when no `as` is written. */
    const char *decided_by;
    ps_span decided_span;  /* the whole `decided by ...` */
    ps_span by_span;       /* WHO */
    const char *decision_key;
    ps_span key_span;      /* KEY, or WHO's when there is no `as` */
    bool key_given;
    pa_expr *decision;
    pa_req *next;
};

/* `name value` inside a program: title, hours, format, provider, duration;
 * `grants "id"` and `grants "id" valid for N unit` use `value` and `validity`. */
typedef struct pa_attr pa_attr;
struct pa_attr {
    const char *name;
    ps_span span;       /* the attribute name */
    pa_expr *value;
    pa_expr *validity;  /* grants only: a PA_E_DURATION, or NULL */
    /* grants only: `valid until EXPR`, the last day the certificate is
     * valid, computed from the parameter `granted` (a date); or NULL. */
    pa_expr *valid_until;
    uint32_t valid_nlocals; /* set by the checker: `granted` and EXPR's loop variables */
    bool inherited;     /* copied from the version it amends, checked there */
    pa_attr *next;
};

/* `drop "label"` and `replace "label": CONDITION` in a version that amends
 * the previous version: the checker applies them to a copy of that
 * version's requirements. */
typedef struct pa_change pa_change;
struct pa_change {
    bool drop;          /* `drop`; else `replace` */
    const char *label;
    ps_span label_span;
    ps_span span;       /* the whole line */
    pa_req *req;        /* replace: the requirement that takes the label's place */
    pa_change *next;
};

/* ---- test data ------------------------------------------------------------------ */

/* A literal facts value in an `example` or a test's `given`: the JSON a coach
 * record would hold, written in the rule language. */
typedef enum pa_value_kind {
    PA_V_INT, PA_V_NUM, PA_V_TEXT, PA_V_DATE, PA_V_BOOL, PA_V_NONE,
    PA_V_LIST,   /* [a, b] */
    PA_V_RECORD  /* { name: value ... } */
} pa_value_kind;

typedef struct pa_value pa_value;
typedef struct pa_entry pa_entry;
struct pa_entry {
    const char *name;
    ps_span span;       /* the name */
    pa_value *value;
    pa_entry *next;
};
struct pa_value {
    pa_value_kind kind;
    ps_span span;
    bool not_known;          /* PA_V_TEXT written `"x" not known`: outside its known list on purpose */
    ps_span not_known_span;  /* the words `not known` */
    pa_value *next;     /* next list item */
    union {
        int64_t i;
        double n;
        struct { const char *s; uint32_t len; } str;
        int32_t date;
        bool b;
        struct { pa_value *items; uint32_t n; } list;
        struct { pa_entry *entries; } record;
    } u;
};

/* `NAME`, `{ ... }` or `NAME with { ... }`: a named example, possibly with
 * some top-level fields replaced. */
typedef struct pa_facts_ref {
    const char *base;   /* example name, or NULL */
    ps_span base_span;
    pa_value *with;     /* a PA_V_RECORD, or NULL */
    ps_span span;
} pa_facts_ref;

typedef enum pa_expect_kind {
    PA_X_ELIGIBLE,      /* expect p eligible */
    PA_X_NOT_ELIGIBLE,  /* expect p not eligible [unmet "a", "b"] */
    /* Either may add `prefer unmet "c"` and `advise "d"` (or `none`). */
    PA_X_NOT_YET,       /* expect p not yet in force */
    PA_X_WITHDRAWN,     /* expect p withdrawn */
    PA_X_NOT_YET_OPEN,  /* expect p not yet open (an enrolment window) */
    PA_X_CLOSED,        /* expect p closed */
    PA_X_VALUE          /* expect d(args) = v, expect d = v: `program` names the definition */
} pa_expect_kind;

typedef struct pa_label pa_label;
struct pa_label {
    const char *text;
    ps_span span;
    pa_label *next;
};

typedef struct pa_expect pa_expect;
struct pa_expect {
    pa_expect_kind kind;
    const char *program;
    ps_span program_span;
    ps_span span;       /* the whole expectation */
    bool has_unmet;     /* `unmet` was written: the list is exact */
    pa_label *unmet;
    uint32_t nunmet;
    bool has_pref;      /* `prefer unmet ...`: the unmet `prefer` labels, exactly */
    pa_label *pref;
    uint32_t npref;
    bool has_advice;    /* `advise ...`: the `advise` notes shown, exactly */
    pa_label *advice;
    uint32_t nadvice;
    bool has_awaiting;  /* `awaiting decision ...`: the decided `require`s with no decision, exactly */
    pa_label *awaiting;
    uint32_t nawaiting;
    /* PA_X_VALUE: the arguments (literal values, in order; `has_args` when
     * parentheses were written) and the value the definition must give. */
    bool has_args;
    pa_value *args;
    uint32_t nargs;
    pa_value *value;
    pa_expect *next;
};

typedef enum pa_decl_kind {
    PA_D_INCLUDE, PA_D_FACTS, PA_D_RECORD, PA_D_DEFINE, PA_D_PROGRAM, PA_D_EXAMPLE, PA_D_TEST,
    PA_D_KNOWN,
    PA_D_SOURCE,  /* `source NAME = "sentence"` */
    PA_D_REQUIREMENTS, /* `requirements NAME [citing ...] { ... }` */
    PA_D_EXTEND        /* `extend facts|record NAME { ... }`, `extend known NAME with [...]` */
} pa_decl_kind;

typedef struct pa_decl pa_decl;
struct pa_decl {
    pa_decl_kind kind;
    ps_span span;       /* the whole declaration */
    const char *name;   /* not for include */
    ps_span name_span;
    pa_decl *next;
    union {
        struct { const char *path; ps_span path_span; } include;
        struct { pa_field *fields; } record;          /* facts and record */
        struct {
            pa_param *params;     /* NULL for a value */
            bool has_params;      /* `define f() = ...` vs `define f = ...` */
            pa_typeref *result;   /* `: type`, or NULL */
            pa_expr *body;
            pa_assume *assumes;   /* `assuming "..."` after the body, in order */
            bool failed;          /* a syntax error cut it short: only its name is known */
        } define;
        struct {
            const char *title;    /* `program id "title" {`, or NULL */
            ps_span title_span;
            pa_period period;     /* `effective ...` in the header */
            pa_window window;     /* `enrolment open ...` in the header */
            pa_assume *assumes;   /* `assuming "..."` in the header */
            pa_attr *attrs;
            pa_req *reqs;
            /* `amends the previous version` in the header: the version
             * whose period comes just before, changed by `changes`. */
            bool amends;
            ps_span amends_span;
            pa_change *changes;   /* `drop` and `replace`, in order */
        } program;
        struct { pa_facts_ref facts; } example;   /* name = the example's */
        struct { pa_expr *values; } known;        /* `known NAME = ["a", "b"]` */
        struct { const char *text; ps_span text_span; } source; /* `source NAME = "..."` */
        struct {
            pa_decl_kind what;  /* PA_D_FACTS, PA_D_RECORD or PA_D_KNOWN: what it extends */
            ps_span what_span;  /* the word `facts`, `record` or `known` */
            pa_field *fields;   /* facts and record: the fields it adds, in order */
            pa_expr *values;    /* known: the list after `with` */
        } extend;
        struct {
            pa_req *reqs;          /* in order; may hold uses (`require NAME`) */
            const char *cite;      /* `citing "..."` after the name, or NULL */
            const char *cite_name; /* `citing NAME`, or NULL */
            ps_span cite_span;
        } block;                   /* `requirements NAME { ... }` */
        struct {
            /* name = the test's title (a text); name_span its quotes */
            bool has_as_of;
            int32_t as_of;
            ps_span as_of_span;
            bool has_given;
            pa_facts_ref given;
            pa_expect *expects;
            bool expects_written; /* some `expect` was written, even a malformed one */
        } test;
    } u;
};

#endif
