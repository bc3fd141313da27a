/* Shared between the checker's files; not part of its interface. */
#ifndef PC_CHECK_INT_H
#define PC_CHECK_INT_H

#include "check.h"
#include "names.h"

/* A name bound inside an expression: a parameter or a loop variable. */
typedef struct pc_scope pc_scope;
struct pc_scope {
    const char *name;
    ps_span span;
    pb_type type;
    uint32_t local;
    pa_ref ref;
    pc_scope *up;
};

/* A name or field path (`crc`, `c.expires`) known not to be none where the
 * checker is: the right of `x is not none and`, a branch of `if`. */
typedef struct pc_narrow pc_narrow;
struct pc_narrow {
    const pa_expr *path;
    pc_narrow *up;
};

/* The function being checked: a definition's body or a requirement. */
typedef struct pc_fn {
    pc_define *def;    /* NULL for a requirement */
    pc_scope *scope;
    uint32_t nlocals;
    unsigned depth;    /* expression nesting, to bound recursion */
    pc_narrow *narrow; /* paths known not to be none here */
} pc_fn;

typedef struct pc_ctx {
    pm_arena *arena;
    ps_sources *src;
    pd_list *d;
    pc_program *p;
    pc_names records;  /* record name -> index */
    pc_names defs;     /* definition name -> index into p->defs */
    pc_names facts;    /* facts field name -> index */
    pc_names known;    /* known-list name -> index into p->known */
    pc_names sources;  /* source name -> index into sources_decl */
    const pa_decl **sources_decl;
    uint32_t nsources;
    pc_names blocks;   /* `requirements` block name -> index into blocks_of */
    struct pc_block *blocks_of;
    uint32_t nblocks;
    pc_define **stack; /* definitions being checked, for cycle reports */
    uint32_t nstack;
    unsigned max_nesting; /* expression height and definition chain length */
    bool chain_reported;  /* one E0445 per compilation is enough */
    bool depth_reported;  /* and one E0439 */
    uint32_t next_func;
    struct pc_keys *decision_keys; /* decision key -> its first requirement (check_decision.c) */
    bool decisions_reported;       /* E0476 or E0477 is said once */
} pc_ctx;

static inline pb_type pc_ty(int kind, bool optional, uint32_t rec)
{
    pb_type t = {(uint8_t)kind, (uint8_t)(optional ? 1 : 0), (uint16_t)rec};
    return t;
}

#define PC_ERR(c, span, code, ...) pd_report((c)->d, code, span, __VA_ARGS__)

/* Writes a readable type name ("date?", "list of certificate") into buf. */
const char *pc_type_name(const pc_ctx *c, pb_type t, char *buf, size_t len);
/* Types a definition's body on first use (or at its turn). */
void pc_check_define(pc_ctx *c, pc_define *def, const ps_span *use);
/* Types `def` for a use at `use`. Returns false (after reporting it) when
 * that would nest the checking of definitions deeper than max_nesting. */
bool pc_check_use(pc_ctx *c, pc_define *def, const ps_span *use);
/* Types an expression; returns its type (PB_T_VOID after an error). */
pb_type pc_expr(pc_ctx *c, pc_fn *fn, pa_expr *e);
/* Named sources (check_source.c): collects the `source` declarations, and
 * gives a `citing NAME` requirement its source's text (reports unknown names). */
void pc_collect_sources(pc_ctx *c, const pa_decl *decls);
void pc_resolve_cite(pc_ctx *c, pa_req *r);
/* The text of the source `name` cited at `span`, or NULL (reported). */
const char *pc_source_text(pc_ctx *c, const char *name, const ps_span *span);
/* Named requirements (check_block.c): checks each `requirements` block once,
 * then replaces every `require NAME` in the programs by copies of the
 * block's requirements (reports unknown names, names declared twice, and
 * blocks that use themselves). */
void pc_expand_blocks(pc_ctx *c, pa_decl *decls);
/* Copies of the requirements r (its `next`s; marked shared: checked where
 * they are written), the last in *tail (when not NULL). */
pa_req *pc_copy_reqs(pc_ctx *c, const pa_req *r, pa_req **tail);
/* Amending versions (check_amend.c): after the programs are checked, makes
 * each version that amends the previous one what it says (reports `amends`
 * with no version before, drops and replacements of labels that version
 * lacks, and an amendment that changes nothing). */
void pc_expand_amendments(pc_ctx *c, pa_decl *decls);
/* A requirement dated outside its program's period (E0345). */
void pc_check_req_period(pc_ctx *c, const pa_req *r, const pa_decl *prog);
/* Checks one requirement (and its members): `depth` groups around it. */
void pc_check_req(pc_ctx *c, pa_req *r, unsigned depth);
/* Requirements a person decides (check_decision.c): the facts field
 * `decisions` and the made conditions of one requirement; then, over the
 * whole rule set, one decider per decision key. */
void pc_check_decided(pc_ctx *c, pa_req *r);
void pc_check_decision_keys(pc_ctx *c, const pa_decl *decls);
/* A test's `decisions: [...]` when the rule set decides requirements: a
 * key no requirement is decided under is E0386, with the nearest key. */
void pc_check_decision_value(pc_ctx *c, const pa_value *list);
/* A label after `awaiting decision` in an expectation of `prog`: it must
 * label a `require` (or a member of one) that a person decides (E0387). */
void pc_check_awaiting_label(pc_ctx *c, const char *prog, const pa_label *l);
/* Examples and tests (check_test.c): names, values against the facts
 * record, expectations against the programs (`ids`: program name -> the
 * index of its first version in p->progs). */
void pc_check_tests(pc_ctx *c, const pa_decl *decls, const pc_names *ids);
/* `known` lists and field bounds (check_known.c). */
void pc_collect_known(pc_ctx *c, const pa_decl *decls);
/* `text in NAME`: the list's index + 1, 0 when none is named (or it is
 * unknown or misapplied, which is reported). */
uint32_t pc_resolve_known(pc_ctx *c, const pa_typeref *t, pb_type resolved);
/* A text of a test's facts or arguments for something declared `text in
 * NAME` (known = index + 1; 0 for nothing declared so): not one of the
 * list's values (nor a certificate a program grants) is E0384, with the
 * nearest one, unless written `"x" not known`; that mark where no list
 * holds the text, or where the list has it, is E0385. */
void pc_check_known_value(pc_ctx *c, uint32_t known, const pa_value *v);
/* On dg, about a known list `name` that does not exist: "did you mean" the
 * nearest list (with the fix), else "LEAD `known NAME = [...]`". */
void pc_note_known_name(pc_ctx *c, pd_diag *dg, const char *name, const char *lead);
/* Extensions (check_extend.c): `extend known NAME with [...]` appends
 * values to a known list (after pc_collect_known); `extend facts NAME { ... }`
 * and `extend record NAME { ... }` append fields to a record, after every
 * record's own fields, so that the fields a declaration has keep their
 * places (and the code that reads them its bytes). Unknown targets, fields
 * and values given twice, a field without a default added to a record of
 * another file, and an extension in the declaring file are reported. */
void pc_extend_known(pc_ctx *c, const pa_decl *decls);
void pc_extend_records(pc_ctx *c, const pa_decl *decls);
/* `granted here` (check_grant.c): validates the marker and fills
 * pc_program.grants (or finds the `certificates` list by convention). */
void pc_check_grants(pc_ctx *c);
/* Appends the field `f` to r->fields (which has room): its type, known
 * list, default and bounds. */
void pc_add_field(pc_ctx *c, pc_record *r, const pa_field *f);
/* `>= a <= b` after a field's type. */
void pc_field_bounds(pc_ctx *c, pc_field *f, const pa_field *decl);
/* A literal (possibly negated) as a number for comparison: false when it is
 * not a number or date literal. */
bool pc_literal_number(const pa_expr *e, double *out);

/* Resolves a written type; reports and returns VOID when unknown. */
pb_type pc_resolve_type(pc_ctx *c, const pa_typeref *t);

#endif
