/* `expect NAME = value` and `expect NAME(args) = value` in a test: the
 * definition is called with the VM on the test's facts and date, as the
 * rules call it, and its result compared with the value written. The
 * checker has made sure the definition exists, the arguments are as many
 * as its parameters and every literal fits its type (check_test.c). */
#include <stdio.h>
#include <string.h>

#include "ruletest_int.h"
#include "util/assert.h"

/* ---- the expectation as text --------------------------------------------------- */

static void pr_quote(pd_buf *out, const char *s, size_t len)
{
    pd_buf_printf(out, "\"");
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '"' || ch == '\\')
            pd_buf_printf(out, "\\%c", ch);
        else if (ch == '\n')
            pd_buf_printf(out, "\\n");
        else if (ch == '\t')
            pd_buf_printf(out, "\\t");
        else
            pd_buf_printf(out, "%c", ch);
    }
    pd_buf_printf(out, "\"");
}

/* A literal as the rule language writes it. */
static void pr_literal_text(const pa_value *v, pd_buf *out)
{
    char b[40];
    switch (v->kind) {
    case PA_V_INT: pd_buf_printf(out, "%lld", (long long)v->u.i); break;
    case PA_V_NUM:
        pf_number_text(v->u.n, b, sizeof b);
        pd_buf_printf(out, "%s", b);
        break;
    case PA_V_TEXT: pr_quote(out, v->u.str.s, v->u.str.len); break;
    case PA_V_DATE:
        pw_date_format(v->u.date, b);
        pd_buf_printf(out, "%s", b);
        break;
    case PA_V_BOOL: pd_buf_printf(out, "%s", v->u.b ? "true" : "false"); break;
    case PA_V_NONE: pd_buf_printf(out, "none"); break;
    default: pd_buf_printf(out, "..."); break; /* refused by the checker */
    }
}

/* "pd_points(2020, 2024) = 19" */
static void pr_expect_text(const pa_expect *x, pd_buf *out)
{
    pd_buf_printf(out, "%s", x->program);
    if (x->has_args) {
        pd_buf_printf(out, "(");
        for (const pa_value *a = x->args; a; a = a->next) {
            pr_literal_text(a, out);
            pd_buf_printf(out, "%s", a->next ? ", " : "");
        }
        pd_buf_printf(out, ")");
    }
    pd_buf_printf(out, " = ");
    pr_literal_text(x->value, out);
}

/* A result of type t as the rule language writes it. */
static void pr_result_text(const pf_facts *facts, pb_type t, const pv_value *v, pd_buf *out)
{
    char b[40];
    const char *s;
    if (t.optional && v->none) {
        pd_buf_printf(out, "none");
        return;
    }
    switch (t.kind) {
    case PB_T_INT: pd_buf_printf(out, "%lld", (long long)v->as.i); break;
    case PB_T_NUM:
        pf_number_text(v->as.n, b, sizeof b);
        pd_buf_printf(out, "%s", b);
        break;
    case PB_T_TEXT:
        s = pf_string(facts, v->as.s);
        pr_quote(out, s ? s : "", s ? strlen(s) : 0);
        break;
    case PB_T_DATE:
        pw_date_format(v->as.d, b);
        pd_buf_printf(out, "%s", b);
        break;
    case PB_T_BOOL: pd_buf_printf(out, "%s", v->as.b ? "true" : "false"); break;
    default: pd_buf_printf(out, "..."); break;
    }
}

/* ---- calling ----------------------------------------------------------------- */

static const pc_define *pr_find_define(const pt_tree *tree, const char *name)
{
    for (uint32_t i = 0; i < tree->checked->ndefs; i++)
        if (strcmp(tree->checked->defs[i].decl->name, name) == 0)
            return &tree->checked->defs[i];
    return NULL;
}

/* A literal as a VM value of type t; text gets the facts' id for it. */
static bool pr_to_value(pf_facts *facts, const pa_value *a, pb_type t, pv_value *out, pw_error *e)
{
    char msg[256];
    memset(out, 0, sizeof *out);
    switch (a->kind) {
    case PA_V_NONE: out->none = 1; return true;
    case PA_V_INT:
        if (t.kind == PB_T_NUM)
            out->as.n = (double)a->u.i;
        else
            out->as.i = a->u.i;
        return true;
    case PA_V_NUM: out->as.n = a->u.n; return true;
    case PA_V_DATE: out->as.d = a->u.date; return true;
    case PA_V_BOOL: out->as.b = a->u.b; return true;
    case PA_V_TEXT:
        if (pf_text_id(facts, a->u.str.s, a->u.str.len, &out->as.s, msg, sizeof msg))
            return true;
        pt_fail(e, facts->oom ? PW_ERR_NOMEM : PW_ERR_FACTS, "%s", msg);
        return false;
    default: pt_fail(e, PW_ERR_USAGE, "a test cannot pass this value"); return false;
    }
}

/* Whether the result r of type t is the literal v. Numbers compare exactly:
 * the failure shows both in full. */
static bool pr_same(const pf_facts *facts, pb_type t, const pv_value *r, const pa_value *v)
{
    if (t.optional && r->none)
        return v->kind == PA_V_NONE;
    const char *s;
    switch (v->kind) {
    case PA_V_NONE: return false;
    case PA_V_INT: return t.kind == PB_T_NUM ? r->as.n == (double)v->u.i : r->as.i == v->u.i;
    case PA_V_NUM: return r->as.n == v->u.n;
    case PA_V_DATE: return r->as.d == v->u.date;
    case PA_V_BOOL: return r->as.b == v->u.b;
    case PA_V_TEXT:
        s = pf_string(facts, r->as.s);
        return s && strlen(s) == v->u.str.len && memcmp(s, v->u.str.s, v->u.str.len) == 0;
    default: return false;
    }
}

/* Calls the definition; *result gets its value. False with e set on a
 * runtime error (the message says where) or when memory runs out. */
static bool pr_call(pw_context *ctx, const pc_define *def, const pa_expect *x, pw_date as_of,
                    pv_value *result, pw_error *e)
{
    pf_facts *facts = pt_context_facts(ctx);
    pv_value args[PR_MAX_ARGS];
    uint32_t i = 0;
    for (const pa_value *a = x->args; a && i < def->nparams && i < PR_MAX_ARGS; a = a->next, i++)
        if (!pr_to_value(facts, a, def->params[i], &args[i], e))
            return false;
    if (i != def->nparams) {
        pt_fail(e, PW_ERR_USAGE, "`%s` takes more arguments than a test can pass", x->program);
        return false;
    }
    pv_error verr;
    if (pv_call(pt_context_vm(ctx), facts->root, as_of, def->func, args, result, &verr))
        return true;
    const pb_image *img = pt_program_image(pt_context_program(ctx));
    const char *file = verr.file < img->nstrings ? img->strings[verr.file] : NULL;
    if (file && verr.line)
        pt_fail(e, PW_ERR_EVAL, "%s:%u:%u: %s (definition `%s`)", file, verr.line, verr.col, verr.message,
                x->program);
    else
        pt_fail(e, PW_ERR_EVAL, "%s (definition `%s`)", verr.message, x->program);
    return false;
}

bool pr_check_value(const pt_tree *tree, pw_context *ctx, const pa_expect *x, pw_date as_of,
                    pr_failure *f, bool *holds)
{
    pd_buf want = {0}, got = {0};
    pw_error e;
    pv_value result;
    *holds = false;
    const pc_define *def = pr_find_define(tree, x->program);
    pr_expect_text(x, &want);
    bool ok = !want.oom && (f->value_expected = pr_dup(want.data)) != NULL;
    if (!ok) {
        /* out of memory */
    } else if (PU_NEVER(!def)) { /* the checker refuses an unknown definition (E0380) */
        ok = (f->error = pr_dup("no such definition")) != NULL;
    } else if (!pr_call(ctx, def, x, as_of, &result, &e)) {
        ok = e.status != PW_ERR_NOMEM && (f->error = pr_dup(e.message)) != NULL;
    } else {
        *holds = pr_same(pt_context_facts(ctx), def->result, &result, x->value);
        pr_result_text(pt_context_facts(ctx), def->result, &result, &got);
        ok = !got.oom && (f->value_actual = pr_dup(got.data)) != NULL;
    }
    pd_buf_free(&want);
    pd_buf_free(&got);
    return ok;
}
