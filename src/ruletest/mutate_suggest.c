/* A suggested test per surviving mutant: a coach and a day on which the
 * rules as written and the mutant disagree, found from the file's own tests.
 *
 * The search is the one `pathway when` makes: every day evaluated with
 * pw_evaluate, in the version in force that day. From each test's coach
 * and date it tries, nearest first, (a) the same coach on other days, (b)
 * the coach on its own day with one top-level field given another value,
 * and (c) the same day with a date of the coach's record moved (each alone,
 * then all together: a coach born later or earlier), so a boundary outside
 * a version's effective period is still reached. Once a disagreement is found, it
 * follows the disagreement to its far end, where the rules as written flip:
 * the two tests on either side of that boundary pin it. Nothing found
 * within the horizon is said so: a candidate equivalent mutant, never a
 * claim. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruletest_int.h"
#include "util/assert.h"
#include "util/date.h"

/* Days either way the same coach is tried on (about three years), and
 * days the coach's dates are moved either way (about eighty years: an age
 * limit is reached from any adult's record), a year of moves at a time. */
#define PR_SG_DAYS 1100
#define PR_SG_SHIFT 29300
#define PR_SG_BLOCK 366
/* Evaluations one mutant's search may spend (both programs counted): about
 * half a second on the shipped rules. */
#define PR_SG_BUDGET 600000L

typedef struct pr_sg_test {
    char *title;
    pw_date as_of;
    char *given;      /* the `given` clause as written */
    char *base;       /* its example name, or NULL */
    char **names;     /* its `with` fields, as written */
    char **values;
    size_t nwith;
    cJSON *facts;     /* the record the test gives */
    pr_strings progs; /* programs its expectations name */
} pr_sg_test;

/* A top-level field of the coach record the search may give another value:
 * a boolean, an integer, a text or set of texts of a `known` list, a list
 * (emptied: a coach without memberships, without certificates). */
typedef enum pr_sg_vkind { PR_SG_BOOL, PR_SG_INT, PR_SG_TEXT, PR_SG_SET, PR_SG_LIST } pr_sg_vkind;
typedef struct pr_sg_vfield {
    char *name;
    pr_sg_vkind kind;
    pr_strings known; /* PR_SG_TEXT, PR_SG_SET: the list's values */
} pr_sg_vfield;

struct pr_suggester {
    char *path;       /* the file compiled (its mutants too) */
    pr_sg_vfield *vary;
    size_t nvary, vcap;
    pw_program *prog; /* the rules as written */
    pw_context *ctx;
    pr_sg_test *tests;
    size_t ntests;
    pr_strings dates; /* top-level date fields of the coach record */
    bool oom;
};

static char *pr_sg_text(const pt_tree *tree, ps_span s)
{
    char *out = malloc(s.end - s.start + 1);
    if (out) {
        memcpy(out, tree->src->files[s.file].text + s.start, s.end - s.start);
        out[s.end - s.start] = '\0';
    }
    return out;
}

/* The date fields of `facts coach` and its extensions. */
static void pr_sg_date_fields(pr_suggester *s, const pt_tree *tree)
{
    for (const pa_decl *d = tree->decls; d; d = d->next) {
        const pa_field *f = d->kind == PA_D_FACTS                                     ? d->u.record.fields
                            : d->kind == PA_D_EXTEND && d->u.extend.what == PA_D_FACTS ? d->u.extend.fields
                                                                                       : NULL;
        for (; f; f = f->next)
            if (f->type.form == PA_TY_NAMED && strcmp(f->type.name, "date") == 0 &&
                !pr_strings_has(&s->dates, f->name) && !pr_strings_push(&s->dates, f->name))
                s->oom = true;
    }
}

/* The values of known list `name` and its extensions. */
static bool pr_sg_known_values(const pt_tree *tree, const char *name, pr_strings *out)
{
    for (const pa_decl *d = tree->decls; d; d = d->next) {
        /* Every known value is a text (the checker: E0371) without a NUL
         * byte (the lexer: E0107). */
        for (const pa_expr *v = pr_known_items(d, name); v; v = v->next) {
            char *text = malloc(v->u.str.len + 1);
            if (!text)
                return false;
            memcpy(text, v->u.str.s, v->u.str.len);
            text[v->u.str.len] = '\0';
            bool ok = pr_strings_has(out, text) || pr_strings_push(out, text);
            free(text);
            if (!ok)
                return false;
        }
    }
    return true;
}

/* The fields of `facts coach` the search may give other values. */
static void pr_sg_vary_fields(pr_suggester *s, const pt_tree *tree)
{
    for (const pa_decl *d = tree->decls; d && !s->oom; d = d->next) {
        const pa_field *f = d->kind == PA_D_FACTS                                     ? d->u.record.fields
                            : d->kind == PA_D_EXTEND && d->u.extend.what == PA_D_FACTS ? d->u.extend.fields
                                                                                       : NULL;
        for (; f && !s->oom; f = f->next) {
            const pa_typeref *ty = &f->type;
            pr_sg_vkind kind;
            if (ty->form == PA_TY_NAMED && strcmp(ty->name, "boolean") == 0)
                kind = PR_SG_BOOL;
            else if (ty->form == PA_TY_NAMED && strcmp(ty->name, "integer") == 0)
                kind = PR_SG_INT;
            else if (ty->form == PA_TY_NAMED && ty->known && strcmp(ty->name, "text") == 0)
                kind = PR_SG_TEXT;
            else if (ty->form == PA_TY_SET && ty->known)
                kind = PR_SG_SET;
            else if (ty->form == PA_TY_LIST)
                kind = PR_SG_LIST;
            else
                continue;
            pr_sg_vfield *v = pr_reserve(s->vary, &s->vcap, s->nvary, sizeof *v);
            if (!v) {
                s->oom = true;
                return;
            }
            s->vary = v;
            v = &s->vary[s->nvary++];
            memset(v, 0, sizeof *v);
            v->kind = kind;
            if (!(v->name = pr_dup(f->name)) || (ty->known && !pr_sg_known_values(tree, ty->known, &v->known)))
                s->oom = true;
        }
    }
}

static bool pr_sg_keep_test(pr_sg_test *t, const pt_tree *tree, const pa_decl *d)
{
    const pa_facts_ref *g = &d->u.test.given;
    t->as_of = d->u.test.as_of;
    if (!(t->title = pr_dup(d->name)) || !(t->given = pr_sg_text(tree, g->span)))
        return false;
    if (g->base && !(t->base = pr_dup(g->base)))
        return false;
    size_t n = 0;
    for (const pa_entry *e = g->with ? g->with->u.record.entries : NULL; e; e = e->next)
        n++;
    if (n && (!(t->names = calloc(n, sizeof *t->names)) || !(t->values = calloc(n, sizeof *t->values))))
        return false;
    /* nwith counts an entry before its copies are made (the arrays are
     * zeroed), so pr_suggester_free frees a name whose value ran out. */
    for (const pa_entry *e = g->with ? g->with->u.record.entries : NULL; e; e = e->next) {
        size_t k = t->nwith++;
        if (!(t->names[k] = pr_dup(e->name)) || !(t->values[k] = pr_sg_text(tree, e->value->span)))
            return false;
    }
    for (const pa_expect *x = d->u.test.expects; x; x = x->next)
        if (x->kind != PA_X_VALUE && x->program && !pr_strings_has(&t->progs, x->program) &&
            !pr_strings_push(&t->progs, x->program))
            return false;
    return true;
}

static void pr_sg_inspect(void *user, const pt_tree *tree)
{
    pr_suggester *s = user;
    if (!tree->program)
        return;
    pr_sg_date_fields(s, tree);
    pr_sg_vary_fields(s, tree);
    size_t n = 0;
    for (const pa_decl *d = tree->decls; d; d = d->next)
        n += d->kind == PA_D_TEST && d->span.file == 0;
    if (n && !(s->tests = calloc(n, sizeof *s->tests))) {
        s->oom = true;
        return;
    }
    for (const pa_decl *d = tree->decls; d && !s->oom; d = d->next) {
        if (d->kind != PA_D_TEST || d->span.file != 0 || !d->u.test.has_given || !d->u.test.has_as_of)
            continue;
        pr_sg_test *t = &s->tests[s->ntests++];
        pw_error e;
        pw_status st = pr_build_facts(tree, &d->u.test.given, &t->facts, &e);
        if (st == PW_ERR_NOMEM || (st == PW_OK && !pr_sg_keep_test(t, tree, d)))
            s->oom = true;
    }
}

void pr_suggester_free(pr_suggester *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ntests; i++) {
        pr_sg_test *t = &s->tests[i];
        free(t->title);
        free(t->given);
        free(t->base);
        for (size_t k = 0; k < t->nwith; k++) {
            free(t->names[k]);
            free(t->values[k]);
        }
        free(t->names);
        free(t->values);
        cJSON_Delete(t->facts);
        pr_strings_fini(&t->progs);
    }
    free(s->tests);
    for (size_t i = 0; i < s->nvary; i++) {
        free(s->vary[i].name);
        pr_strings_fini(&s->vary[i].known);
    }
    free(s->vary);
    free(s->path);
    pr_strings_fini(&s->dates);
    pw_context_free(s->ctx);
    pw_program_free(s->prog);
    free(s);
}

pw_status pr_suggester_new(const char *path, const pw_compile_options *quiet, pr_suggester **out,
                           pw_error *err)
{
    pr_suggester *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return pt_fail(err, PW_ERR_NOMEM, "out of memory");
    pw_error e;
    if (!(s->path = pr_dup(path)))
        s->oom = true;
    pw_status st = pt_compile_tree(path, quiet, pr_sg_inspect, s, &s->prog, &e);
    if (st == PW_OK && !s->oom)
        st = pw_context_new(s->prog, &s->ctx, &e);
    if (s->oom)
        st = pt_fail(&e, PW_ERR_NOMEM, "out of memory");
    if (st != PW_OK) {
        pr_suggester_free(s);
        return pt_fail(err, st, "%s", e.message);
    }
    *out = s;
    return PW_OK;
}

/* ---- the search ---------------------------------------------------------------- */

/* One side of the comparison: a program, a context on it, the program's index. */
typedef struct pr_sg_side {
    const pw_program *prog;
    pw_context *ctx;
    size_t first;
    size_t ver; /* the version last evaluated */
} pr_sg_side;

typedef struct pr_sg_run {
    pr_sg_side orig, mut;
    const pr_sg_test *t;
    const pr_strings *dates;
    long only; /* the one date moved (an index into dates), or -1: all of them */
    const char *vary_name; /* a field given another value, or NULL */
    const cJSON *vary_value;
    bool no_follow; /* the point found is reported alone */
    long budget;
    pw_status st; /* PW_ERR_NOMEM only: an evaluation error is a day with no answer */
} pr_sg_run;

/* The verdict of one side as `when` reads it: the version in force on day. */
static bool pr_sg_verdict(pr_sg_run *r, pr_sg_side *side, pw_date day, pw_verdict *v)
{
    pw_error e;
    size_t ver = pw_program_version_at(side->prog, side->first, day);
    r->budget--;
    side->ver = ver;
    if (pw_evaluate(side->ctx, ver, day, &e) != PW_OK) {
        if (e.status == PW_ERR_NOMEM)
            r->st = PW_ERR_NOMEM;
        return false;
    }
    *v = pw_result_verdict(side->ctx, ver);
    return true;
}

/* The coach's record with its top-level dates (or the one r->only names)
 * moved by `shift` days; NULL when memory runs out. */
static cJSON *pr_sg_shifted(const pr_sg_run *r, long shift)
{
    cJSON *rec = cJSON_Duplicate(r->t->facts, true);
    for (size_t i = 0; rec && i < r->dates->n; i++) {
        if (r->only >= 0 && (size_t)r->only != i)
            continue;
        cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, r->dates->items[i]);
        int32_t d;
        if (!cJSON_IsString(f) || !pu_date_parse(f->valuestring, strlen(f->valuestring), &d))
            continue;
        char buf[16];
        pu_date_format(d + (int32_t)shift, buf);
        if (!pr_json_set(rec, r->dates->items[i], cJSON_CreateString(buf))) {
            cJSON_Delete(rec);
            return NULL;
        }
    }
    if (rec && r->vary_name && !pr_json_set(rec, r->vary_name, cJSON_Duplicate(r->vary_value, true))) {
        cJSON_Delete(rec);
        return NULL;
    }
    return rec;
}

static bool pr_sg_set(pr_sg_run *r, long shift)
{
    cJSON *rec = pr_sg_shifted(r, shift);
    pw_error e;
    bool ok = rec && pt_context_set_cjson(r->orig.ctx, rec, &e) == PW_OK &&
              pt_context_set_cjson(r->mut.ctx, rec, &e) == PW_OK;
    /* Facts that do not fit are a coach with no answer; memory is not. */
    if (!rec || (!ok && e.status == PW_ERR_NOMEM))
        r->st = PW_ERR_NOMEM;
    cJSON_Delete(rec);
    return ok;
}

/* A point of the search: the day moved by `day`, the coach's dates by
 * `shift`; the verdicts there, and which label lists differ (bit i: list i
 * of pr_sg_lists) when the verdicts agree. */
typedef struct pr_sg_point {
    long day, shift;
    pw_verdict orig, mut;
    unsigned lists;
} pr_sg_point;

/* The lists an expectation can pin, with the words that pin them. */
typedef size_t (*pr_sg_count_fn)(const pw_context *, size_t);
typedef const char *(*pr_sg_label_fn)(const pw_context *, size_t, size_t);
static const struct {
    const char *words;
    pr_sg_count_fn count;
    pr_sg_label_fn label;
} pr_sg_lists[] = {
    {"unmet", pw_result_unmet_count, pw_result_unmet_label},
    {"prefer unmet", pw_result_preferred_unmet_count, pw_result_preferred_unmet_label},
    {"advise", pw_result_advice_count, pw_result_advice},
};
#define PR_SG_NLISTS (sizeof pr_sg_lists / sizeof pr_sg_lists[0])

static bool pr_sg_same_list(const pr_sg_run *r, size_t i)
{
    size_t n = pr_sg_lists[i].count(r->orig.ctx, r->orig.ver);
    if (n != pr_sg_lists[i].count(r->mut.ctx, r->mut.ver))
        return false;
    for (size_t k = 0; k < n; k++)
        if (strcmp(pr_sg_lists[i].label(r->orig.ctx, r->orig.ver, k), pr_sg_lists[i].label(r->mut.ctx, r->mut.ver, k)))
            return false;
    return true;
}

/* Evaluates both sides at p (facts already set for p.shift): true when they
 * disagree, on the verdict or on a list of labels a test can pin. */
static bool pr_sg_differs(pr_sg_run *r, pr_sg_point *p)
{
    pw_date day = r->t->as_of + (pw_date)p->day;
    p->lists = 0;
    if (!pr_sg_verdict(r, &r->orig, day, &p->orig) || !pr_sg_verdict(r, &r->mut, day, &p->mut))
        return false;
    if (p->orig != p->mut)
        return true;
    for (size_t i = 0; i < PR_SG_NLISTS; i++)
        if (!pr_sg_same_list(r, i))
            p->lists |= 1u << i;
    return p->lists != 0;
}

/* Moves p along `step` (a day or a shift of one) while the sides still
 * disagree; *beyond gets the first point past the disagreement, true when
 * the rules as written flip there (the boundary) . */
static void pr_sg_follow(pr_sg_run *r, pr_sg_point *p, int step, bool by_day, pr_sg_point *beyond, bool *flips)
{
    *flips = false;
    for (long i = 0; i < PR_SG_SHIFT && r->budget > 0 && r->st == PW_OK; i++) {
        pr_sg_point q = *p;
        if (by_day)
            q.day += step;
        else if (!pr_sg_set(r, (q.shift += step)))
            return;
        if (!pr_sg_differs(r, &q)) {
            *beyond = q;
            *flips = q.orig != p->orig && (q.orig == PW_ELIGIBLE || q.orig == PW_NOT_ELIGIBLE ||
                                           q.orig == PW_NOT_YET_OPEN || q.orig == PW_CLOSED ||
                                           q.orig == PW_NOT_YET_IN_FORCE || q.orig == PW_WITHDRAWN);
            return;
        }
        *p = q;
    }
}

/* Nearest first: lo, -lo, lo + 1, -(lo + 1) ... up to hi (excluded), by day
 * or by shift. */
static bool pr_sg_scan(pr_sg_run *r, bool by_day, long lo, long hi, pr_sg_point *hit)
{
    for (long i = lo; i < hi && r->budget > 0 && r->st == PW_OK; i++)
        for (int sign = 1; sign >= -1; sign -= 2) {
            if (i == 0 && sign < 0)
                continue;
            pr_sg_point p = {by_day ? sign * i : 0, by_day ? 0 : sign * i, 0, 0, 0};
            if (!by_day && !pr_sg_set(r, p.shift))
                continue;
            if (pr_sg_differs(r, &p)) {
                *hit = p;
                return true;
            }
        }
    return false;
}

/* Whether the search moves field `name`. */
static bool pr_sg_moved(const pr_sg_run *r, const char *name)
{
    for (size_t i = 0; i < r->dates->n; i++)
        if (strcmp(r->dates->items[i], name) == 0)
            return r->only < 0 || (size_t)r->only == i;
    return false;
}

/* The `given` clause for the test's coach with dates moved by shift. */
static void pr_sg_quoted(const char *s, pd_buf *out);

/* A value of the record as the language writes it. */
static void pr_sg_literal(const cJSON *v, pd_buf *out)
{
    if (cJSON_IsBool(v)) {
        pd_buf_printf(out, cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNumber(v)) {
        pd_buf_printf(out, "%lld", (long long)v->valuedouble);
    } else if (cJSON_IsString(v)) {
        pr_sg_quoted(v->valuestring, out);
    } else if (PU_ALWAYS(cJSON_IsArray(v))) { /* pr_sg_alternatives makes only the kinds above and lists */
        pd_buf_printf(out, "[");
        for (const cJSON *e = v->child; e; e = e->next) {
            pr_sg_literal(e, out);
            pd_buf_printf(out, e->next ? ", " : "");
        }
        pd_buf_printf(out, "]");
    } else {
        pd_buf_printf(out, "none");
    }
}

/* The `given` clause for the test's coach as the search changed it: the
 * test's own `with` fields (changed where the search changed them), then
 * the fields it changed that the test does not write. */
static void pr_sg_given(pr_sg_run *r, long shift, pd_buf *out)
{
    const pr_sg_test *t = r->t;
    if (shift == 0 && !r->vary_name) {
        pd_buf_printf(out, "%s", t->given);
        return;
    }
    cJSON *rec = pr_sg_shifted(r, shift);
    pd_buf_printf(out, "%s%s{ ", t->base ? t->base : "", t->base ? " with " : "");
    size_t n = 0;
    bool vary_written = false;
    for (size_t k = 0; k < t->nwith; k++) {
        bool varied = r->vary_name && strcmp(t->names[k], r->vary_name) == 0;
        vary_written = vary_written || varied;
        cJSON *f = shift && pr_sg_moved(r, t->names[k]) ? cJSON_GetObjectItemCaseSensitive(rec, t->names[k]) : NULL;
        pd_buf_printf(out, "%s%s: ", n++ ? ", " : "", t->names[k]);
        if (varied)
            pr_sg_literal(r->vary_value, out);
        else
            pd_buf_printf(out, "%s", cJSON_IsString(f) ? f->valuestring : t->values[k]);
    }
    for (size_t i = 0; shift && i < r->dates->n; i++) {
        bool written = false;
        for (size_t k = 0; k < t->nwith; k++)
            written = written || strcmp(t->names[k], r->dates->items[i]) == 0;
        cJSON *f = rec ? cJSON_GetObjectItemCaseSensitive(rec, r->dates->items[i]) : NULL;
        int32_t d;
        if (!written && (r->only < 0 || (size_t)r->only == i) && cJSON_IsString(f) &&
            pu_date_parse(f->valuestring, strlen(f->valuestring), &d))
            pd_buf_printf(out, "%s%s: %s", n++ ? ", " : "", r->dates->items[i], f->valuestring);
    }
    if (r->vary_name && !vary_written) {
        pd_buf_printf(out, "%s%s: ", n++ ? ", " : "", r->vary_name);
        pr_sg_literal(r->vary_value, out);
    }
    pd_buf_printf(out, " }");
    if (!rec)
        out->oom = true;
    cJSON_Delete(rec);
}

/* A label as a quoted text of the language. */
static void pr_sg_quoted(const char *s, pd_buf *out)
{
    pd_buf_printf(out, "\"");
    for (; *s; s++)
        pd_buf_printf(out, *s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
    pd_buf_printf(out, "\"");
}

/* The test's expectation at p: the verdict as written, and each list in
 * `lists` exactly, as the rules as written give it there. */
static void pr_sg_expect(pr_sg_run *r, const char *prog, const pr_sg_point *p, unsigned lists, pd_buf *out)
{
    pd_buf_printf(out, "  expect %s %s", prog, pr_verdict_word(p->orig));
    pw_verdict v;
    if (!lists || !pr_sg_set(r, p->shift) || !pr_sg_verdict(r, &r->orig, r->t->as_of + (pw_date)p->day, &v))
        return;
    for (size_t i = 0; i < PR_SG_NLISTS; i++) {
        if (!(lists & (1u << i)))
            continue;
        size_t n = pr_sg_lists[i].count(r->orig.ctx, r->orig.ver);
        pd_buf_printf(out, "\n      %s %s", pr_sg_lists[i].words, n ? "" : "none");
        for (size_t k = 0; k < n; k++) {
            pd_buf_printf(out, k ? ", " : "");
            pr_sg_quoted(pr_sg_lists[i].label(r->orig.ctx, r->orig.ver, k), out);
        }
    }
}

static void pr_sg_test_text(pr_sg_run *r, const char *prog, const pr_sg_point *p, unsigned lists,
                            const char *title, pd_buf *out)
{
    char day[16];
    pu_date_format(r->t->as_of + (pw_date)p->day, day);
    pd_buf_printf(out, "test ");
    pr_sg_quoted(title, out); /* a file name may hold a quote */
    pd_buf_printf(out, " {\n  as of %s\n  given ", day);
    pr_sg_given(r, p->shift, out);
    pd_buf_printf(out, "\n");
    pr_sg_expect(r, prog, p, lists, out);
    pd_buf_printf(out, "\n}\n");
}

/* What was found, into the mutant: a sentence and the tests. */
static void pr_sg_report(pr_sg_run *r, const char *prog, const pr_sg_point *hit, const pr_sg_point *beyond,
                         bool flips, pr_mutant *out)
{
    pd_buf why = {0}, tests = {0};
    char day[16];
    pu_date_format(r->t->as_of + (pw_date)hit->day, day);
    if (hit->orig != hit->mut) {
        pd_buf_printf(&why, "`%s` is %s as written and %s as mutated", prog, pr_verdict_word(hit->orig),
                      pr_verdict_word(hit->mut));
    } else {
        pd_buf_printf(&why, "`%s` is %s either way, but its", prog, pr_verdict_word(hit->orig));
        for (size_t i = 0, n = 0; i < PR_SG_NLISTS; i++)
            if (hit->lists & (1u << i))
                pd_buf_printf(&why, "%s `%s`", n++ ? " and" : "", pr_sg_lists[i].words);
        pd_buf_printf(&why, " labels differ");
    }
    pd_buf_printf(&why, " as of %s for the coach of test \"%s\"", day, r->t->title);
    char what[128];
    if (r->only >= 0)
        snprintf(what, sizeof what, "its `%s`", r->dates->items[r->only]);
    else
        snprintf(what, sizeof what, "every date of the record");
    if (hit->shift)
        pd_buf_printf(&why, " with %s moved %ld day%s %s", what, labs(hit->shift), labs(hit->shift) == 1 ? "" : "s",
                      hit->shift > 0 ? "later" : "earlier");
    if (r->vary_name) {
        pd_buf_printf(&why, " with its `%s` set to ", r->vary_name);
        pr_sg_literal(r->vary_value, &why);
    }
    char title[256];
    snprintf(title, sizeof title, "%s %s (mutant %s:%u:%u)", prog, pr_verdict_word(hit->orig), out->file,
             out->line, out->column);
    pr_sg_test_text(r, prog, hit, hit->lists, title, &tests);
    if (flips) {
        char other[16];
        pu_date_format(r->t->as_of + (pw_date)beyond->day, other);
        if (beyond->day != hit->day)
            pd_buf_printf(&why, "; as of %s it is %s either way", other, pr_verdict_word(beyond->orig));
        else
            pd_buf_printf(&why, "; with %s a day %s, it is %s either way", what,
                          beyond->shift > hit->shift ? "later" : "earlier", pr_verdict_word(beyond->orig));
        snprintf(title, sizeof title, "%s %s (mutant %s:%u:%u, other side)", prog, pr_verdict_word(beyond->orig),
                 out->file, out->line, out->column);
        pd_buf_printf(&tests, "\n");
        pr_sg_test_text(r, prog, beyond, hit->lists, title, &tests);
    }
    if (why.oom || tests.oom || !why.data || !tests.data) {
        /* Not a survivor without a witness: the search found one. */
        r->st = PW_ERR_NOMEM;
        pd_buf_free(&why);
        pd_buf_free(&tests);
        return;
    }
    out->witness = why.data;
    out->suggestion = tests.data;
}

/* Searches one test and one program, from lo to hi days or shifts away:
 * true when a disagreement was found. */
static bool pr_sg_search(pr_sg_run *r, const char *prog, bool by_day, long lo, long hi, pr_mutant *out)
{
    pw_error e;
    if (pw_program_find(r->orig.prog, prog, &r->orig.first, &e) != PW_OK ||
        pw_program_find(r->mut.prog, prog, &r->mut.first, &e) != PW_OK || !pr_sg_set(r, 0))
        return false;
    pr_sg_point hit, beyond = {0, 0, 0, 0, 0};
    if (!pr_sg_scan(r, by_day, lo, hi, &hit))
        return false;
    /* Follow the disagreement away from the test's own coach and day, else
     * back toward it, to where the rules as written flip. */
    long at = by_day ? hit.day : hit.shift;
    bool flips = false;
    for (int step = at < 0 ? -1 : 1, tries = r->no_follow ? 0 : 2; tries-- > 0 && !flips; step = -step) {
        pr_sg_point p = hit;
        if (!by_day && !pr_sg_set(r, p.shift))
            break;
        pr_sg_follow(r, &p, step, by_day, &beyond, &flips);
        if (flips)
            hit = p;
    }
    if (r->st == PW_OK)
        pr_sg_report(r, prog, &hit, &beyond, flips, out);
    return true;
}

/* The other values field v of the test's record is tried with: a boolean
 * flipped, an integer from 0 to 5 or within 2 of its own, another value of
 * its known list, a known value added to or taken from a set, a list
 * emptied. A cJSON
 * array (NULL when memory runs out). */
static cJSON *pr_sg_alternatives(const pr_sg_vfield *v, const cJSON *cur)
{
    cJSON *alts = cJSON_CreateArray();
    if (!alts)
        return NULL;
    bool ok = true;
    if (v->kind == PR_SG_BOOL) {
        if (!cJSON_IsFalse(cur))
            ok = cJSON_AddItemToArray(alts, cJSON_CreateFalse());
        if (!cJSON_IsTrue(cur))
            ok = ok && cJSON_AddItemToArray(alts, cJSON_CreateTrue());
    } else if (v->kind == PR_SG_LIST) {
        if (cJSON_GetArraySize(cur) > 0)
            ok = cJSON_AddItemToArray(alts, cJSON_CreateArray());
    } else if (v->kind == PR_SG_INT) {
        bool has = cJSON_IsNumber(cur);
        long long own = has ? (long long)cur->valuedouble : 0;
        for (long long x = 0; ok && x <= 5; x++)
            if (!(has && x == own))
                ok = cJSON_AddItemToArray(alts, cJSON_CreateNumber((double)x));
        for (long long x = own - 2; ok && has && x <= own + 2; x++)
            if (x > 5 && x != own)
                ok = cJSON_AddItemToArray(alts, cJSON_CreateNumber((double)x));
    } else {
        for (size_t i = 0; ok && i < v->known.n; i++) {
            const char *k = v->known.items[i];
            if (v->kind == PR_SG_TEXT) {
                if (!(cJSON_IsString(cur) && strcmp(cur->valuestring, k) == 0))
                    ok = cJSON_AddItemToArray(alts, cJSON_CreateString(k));
                continue;
            }
            cJSON *set = cJSON_IsArray(cur) ? cJSON_Duplicate(cur, true) : cJSON_CreateArray();
            bool had = false;
            for (cJSON *e = set ? set->child : NULL; e; e = e->next)
                if (cJSON_IsString(e) && strcmp(e->valuestring, k) == 0) {
                    /* e is freed: the loop must not step on from it */
                    cJSON_Delete(cJSON_DetachItemViaPointer(set, e));
                    had = true;
                    break;
                }
            ok = set && (had || cJSON_AddItemToArray(set, cJSON_CreateString(k))) && cJSON_AddItemToArray(alts, set);
        }
    }
    if (!ok) {
        cJSON_Delete(alts);
        return NULL;
    }
    return alts;
}

/* The test's coach on its own day with one field given each other value
 * it may take: true when the rules and the mutant disagree on one. */
static bool pr_sg_vary_test(pr_suggester *s, pr_sg_run *r, pr_mutant *out)
{
    bool found = false;
    r->no_follow = true;
    for (size_t i = 0; i < s->nvary && !found && r->st == PW_OK && r->budget > 0; i++) {
        const pr_sg_vfield *v = &s->vary[i];
        cJSON *alts = pr_sg_alternatives(v, cJSON_GetObjectItemCaseSensitive(r->t->facts, v->name));
        if (!alts) {
            r->st = PW_ERR_NOMEM;
            break;
        }
        r->vary_name = v->name;
        for (const cJSON *a = alts->child; a && !found && r->budget > 0; a = a->next) {
            r->vary_value = a;
            for (size_t k = 0; k < r->t->progs.n && !found; k++)
                found = pr_sg_search(r, r->t->progs.items[k], true, 0, 1, out);
        }
        cJSON_Delete(alts);
    }
    r->vary_name = NULL;
    r->vary_value = NULL;
    r->no_follow = false;
    return found;
}

/* Whether the test's record holds a date in field `name`. */
static bool pr_sg_has_date(const pr_sg_test *t, const char *name)
{
    cJSON *f = t->facts ? cJSON_GetObjectItemCaseSensitive(t->facts, name) : NULL;
    int32_t d;
    return cJSON_IsString(f) && pu_date_parse(f->valuestring, strlen(f->valuestring), &d);
}

static size_t pr_sg_dates_present(const pr_sg_test *t, const pr_strings *dates)
{
    size_t n = 0;
    for (size_t i = 0; i < dates->n; i++)
        n += pr_sg_has_date(t, dates->items[i]);
    return n;
}

pw_status pr_suggest(pr_suggester *s, const pt_overlay *ov, const pw_compile_options *quiet, pr_mutant *out,
                     pw_error *err)
{
    pw_program *mprog = NULL;
    pw_context *mctx = NULL;
    pw_error e;
    if (pt_compile_tree_overlay(s->path, quiet, ov, NULL, NULL, &mprog, &e) != PW_OK ||
        pw_context_new(mprog, &mctx, &e) != PW_OK) {
        pw_program_free(mprog);
        return e.status == PW_ERR_NOMEM ? pt_fail(err, PW_ERR_NOMEM, "out of memory") : PW_OK;
    }
    pr_sg_run r = {{s->prog, s->ctx, 0, 0}, {mprog, mctx, 0, 0}, NULL, &s->dates, -1, NULL, NULL, false,
                   PR_SG_BUDGET, PW_OK};
    bool found = false;
    /* Every test by day first (the coach as the test wrote it), then by
     * shift, a year of shifts of every test at a time: the nearest coach
     * of any test is found before a far one of the first. Each date of the
     * record is moved alone first (a coach born later, the rest as
     * written), then all of them together. */
    for (long lo = 0; !found && lo <= PR_SG_SHIFT && r.st == PW_OK; lo += lo ? PR_SG_BLOCK : 1) {
        /* Between the days and the dates: each test's coach with one field
         * changed, on its own day. */
        for (size_t i = 0; lo == 1 && i < s->ntests && !found && r.st == PW_OK && r.budget > 0; i++)
            if ((r.t = &s->tests[i])->facts)
                found = pr_sg_vary_test(s, &r, out);
        bool by_day = lo == 0;
        long hi = by_day ? PR_SG_DAYS + 1 : lo + PR_SG_BLOCK;
        for (size_t i = 0; i < s->ntests && !found && r.st == PW_OK && r.budget > 0; i++) {
            r.t = &s->tests[i];
            size_t present = pr_sg_dates_present(r.t, &s->dates);
            for (long only = by_day ? -1 : 0; only < (long)s->dates.n && !found; only++) {
                if (only >= 0 && !pr_sg_has_date(r.t, s->dates.items[only]))
                    continue;
                r.only = only;
                for (size_t k = 0; r.t->facts && k < r.t->progs.n && !found; k++)
                    found = pr_sg_search(&r, r.t->progs.items[k], by_day, by_day ? 0 : lo, hi, out);
                if (by_day)
                    break;
            }
            if (!by_day && !found && present >= 2) {
                r.only = -1;
                for (size_t k = 0; r.t->facts && k < r.t->progs.n && !found; k++)
                    found = pr_sg_search(&r, r.t->progs.items[k], false, lo, hi, out);
            }
        }
    }
    out->no_witness = !found;
    pw_context_free(mctx);
    pw_program_free(mprog);
    return r.st == PW_OK ? PW_OK : pt_fail(err, PW_ERR_NOMEM, "out of memory");
}
