/* pathway diff's summary, as text and as JSON: the structural changes first,
 * then per program the coaches eligible before and after, gained and lost,
 * and for the coaches who changed, the requirements that made the
 * difference, grouped by label and counted (docs/impact.md). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "impact.h"
#include "render.h"
#include "util/escape.h"

/* A reason and how many coaches it applies to. */
typedef struct pi_reason {
    const char *label;
    uint64_t count;
} pi_reason;

/* Why a side's version decided nobody by its requirements: it was not in
 * force on that side's date, or it was but its enrolment window was shut
 * (the same for every coach: the window is the version's). */
static const char *pi_side_reason(const pi_diff_view *v, const pi_prog *p, pi_change ch)
{
    const pw_program *prog = ch == PI_LOST ? v->d->new : v->d->old;
    pw_date date = ch == PI_LOST ? v->d->new_date : v->d->old_date;
    pw_date from, until, opens, closes;
    pw_program_period(prog, p->p, &from, &until);
    pw_program_window(prog, p->p, &opens, &closes);
    if (date < from || date > until)
        return "(not in force)";
    if (date > closes)
        return "(closed for enrolment)";
    if (date < opens)
        return "(not yet open for enrolment)";
    return "(not in force)";
}

/* The reasons of one direction of a pair, labels merged (a rule file may
 * repeat a label), most common first, ties in declaration order; the side's
 * own reason ("(not in force)", "(program added)") last among equals. NULL
 * when out of memory. */
static pi_reason *pi_reasons(const pi_diff_view *v, const pi_pair *pr, pi_change ch, size_t *n)
{
    const pi_prog *p = ch == PI_LOST ? &pr->new : &pr->old;
    const uint64_t *c = v->counts + pr->base + PI_D_REASONS + (ch == PI_LOST ? pr->old.nreqs : 0);
    bool has = ch == PI_LOST ? pr->has_new : pr->has_old;
    uint64_t other = v->counts[pr->base + (ch == PI_LOST ? PI_D_LOST_OTHER : PI_D_GAINED_OTHER)];
    pi_reason *r = calloc(p->nreqs + 1, sizeof *r);
    *n = 0;
    if (!r)
        return NULL;
    for (size_t j = 0; j < p->nreqs; j++) {
        if (!c[j])
            continue;
        size_t i = 0;
        while (i < *n && strcmp(r[i].label, p->labels[j]) != 0)
            i++;
        if (i == *n)
            r[(*n)++].label = p->labels[j];
        r[i].count += c[j];
    }
    if (other)
        r[(*n)++] = (pi_reason){has ? pi_side_reason(v, p, ch) : ch == PI_LOST ? "(program removed)" : "(program added)",
                                other};
    for (size_t i = 1; i < *n; i++) {
        pi_reason x = r[i];
        size_t j = i;
        for (; j > 0 && r[j - 1].count < x.count; j--)
            r[j] = r[j - 1];
        r[j] = x;
    }
    return r;
}

static const char *pi_pair_word(pi_pair_kind k)
{
    static const char *const w[] = {"same", "renamed", "removed", "added"};
    return w[k];
}

/* "condition, citation": what changed, in words. */
static void pi_what_words(unsigned what, char *buf, size_t len)
{
    static const struct {
        unsigned bit;
        const char *word;
    } words[] = {{PI_W_TITLE, "title"}, {PI_W_CONDITION, "condition"}, {PI_W_ROLE, "role"},
                 {PI_W_CITATION, "citation"}, {PI_W_PERIOD, "effective period"},
                 {PI_W_WINDOW, "enrolment window"}};
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        if (!(what & words[i].bit))
            continue;
        size_t at = strlen(buf);
        snprintf(buf + at, len - at, "%s%s", at ? ", " : "", words[i].word);
    }
}

static const char *pi_pair_id(const pi_pair *pr)
{
    return pr->has_new ? pr->new.id : pr->old.id;
}

/* ---- text ---------------------------------------------------------------------------- */

/* False when memory ran out escaping the name. */
static bool pi_text_side(FILE *out, const char *rules, pw_date date)
{
    char d[11];
    pw_date_format(date, d);
    bool ok = pu_escape_fputs(out, pu_escape_text, rules);
    fprintf(out, " (as of %s)", d);
    return ok;
}

static bool pi_text_structure(FILE *out, const pi_diff *d)
{
    fputs("\nStructure\n", out);
    bool any = false, ok = true;
    char what[96];
    for (size_t k = 0; k < d->npairs; k++) {
        const pi_pair *pr = &d->pairs[k];
        if (pr->kind == PI_RENAMED)
            fprintf(out, "  %s: renamed from %s (same %s)\n", pr->new.id, pr->old.id, pr->renamed_by);
        else if (pr->kind == PI_ADDED || pr->kind == PI_REMOVED)
            fprintf(out, "  %s: program %s\n", pi_pair_id(pr), pi_pair_word(pr->kind));
        any |= pr->kind != PI_SAME;
        if (pr->what) {
            pi_what_words(pr->what, what, sizeof what);
            fprintf(out, "  %s: program's %s changed\n", pi_pair_id(pr), what);
            any = true;
        }
        for (size_t i = 0; i < pr->nchanges; i++) {
            const pi_req_change *c = &pr->changes[i];
            fprintf(out, "  %s: %s \"", pi_pair_id(pr), c->role);
            ok = pu_escape_fputs(out, pu_escape_text, c->label) && ok;
            fputs("\" ", out);
            if (c->kind == PI_REQ_CHANGED) {
                pi_what_words(c->what, what, sizeof what);
                fprintf(out, "changed (%s)\n", what);
            } else {
                fputs(c->kind == PI_REQ_ADDED ? "added\n" : "removed\n", out);
            }
            any = true;
        }
    }
    if (!any)
        fputs("  no program or requirement changed\n", out);
    return ok;
}

static void pi_text_count(FILE *out, bool has, uint64_t n)
{
    if (has)
        fprintf(out, " %8llu", (unsigned long long)n);
    else
        fprintf(out, " %8s", "-");
}

static void pi_text_table(FILE *out, const pi_diff_view *v)
{
    fprintf(out, "\nEligibility\n  %-32s %8s %8s %8s %8s\n", "program", "before", "after", "gained", "lost");
    for (size_t k = 0; k < v->d->npairs; k++) {
        const pi_pair *pr = &v->d->pairs[k];
        const uint64_t *c = v->counts + pr->base;
        char name[256];
        snprintf(name, sizeof name, "%s%s", pi_pair_id(pr),
                 pr->kind == PI_ADDED ? " (added)" : pr->kind == PI_REMOVED ? " (removed)"
                                                   : pr->kind == PI_RENAMED ? " (renamed)" : "");
        fprintf(out, "  %-32s", name);
        pi_text_count(out, pr->has_old, c[PI_D_BEFORE]);
        pi_text_count(out, pr->has_new, c[PI_D_AFTER]);
        fprintf(out, " %8llu %8llu\n", (unsigned long long)c[PI_D_GAINED], (unsigned long long)c[PI_D_LOST]);
    }
}

static bool pi_text_reasons(FILE *out, const pi_diff_view *v)
{
    fputs("\nWho changed, and why\n", out);
    bool any = false, ok = true;
    for (size_t k = 0; k < v->d->npairs; k++) {
        const pi_pair *pr = &v->d->pairs[k];
        for (int ch = PI_GAINED; ch <= PI_LOST; ch++) {
            uint64_t total = v->counts[pr->base + (ch == PI_LOST ? PI_D_LOST : PI_D_GAINED)];
            if (!total)
                continue;
            size_t n;
            pi_reason *r = pi_reasons(v, pr, (pi_change)ch, &n);
            if (!r)
                return false;
            fprintf(out, "  %s: %llu %s eligibility; %s:\n", pi_pair_id(pr), (unsigned long long)total,
                    ch == PI_LOST ? "lost" : "gained",
                    ch == PI_LOST ? "what they lack now" : "what they lacked before");
            for (size_t i = 0; i < n; i++) {
                fprintf(out, "    %8llu  ", (unsigned long long)r[i].count);
                ok = pu_escape_fputs(out, pu_escape_text, r[i].label) && ok;
                fputs("\n", out);
            }
            free(r);
            any = true;
        }
    }
    if (!any)
        fputs("  nobody: every coach is eligible for the same programs as before\n", out);
    return ok;
}

static bool pi_diff_text(FILE *out, const pi_diff_view *v)
{
    fputs("Impact of a rule change: ", out);
    bool ok = pi_text_side(out, v->old_rules, v->d->old_date);
    fputs(" -> ", out);
    ok = pi_text_side(out, v->new_rules, v->d->new_date) && ok;
    fprintf(out, "\n%llu coaches evaluated", (unsigned long long)v->totals.records);
    if (v->totals.bad)
        fprintf(out, "; %llu record%s could not be evaluated and %s not counted",
                (unsigned long long)v->totals.bad, v->totals.bad == 1 ? "" : "s",
                v->totals.bad == 1 ? "is" : "are");
    fputs("\n", out);
    ok = pi_text_structure(out, v->d) && ok;
    pi_text_table(out, v);
    return pi_text_reasons(out, v) && ok;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static cJSON *pi_json_side(const char *rules, pw_date date)
{
    char d[11];
    pw_date_format(date, d);
    cJSON *o = cJSON_CreateObject();
    bool ok = pi_json_add(o, "rules", pu_json_cjson(rules));
    ok = pi_json_add(o, "as_of", pu_json_cjson(d)) && ok;
    return pi_json_done(o, ok);
}

static cJSON *pi_json_what(unsigned what)
{
    static const struct {
        unsigned bit;
        const char *word;
    } words[] = {{PI_W_TITLE, "title"}, {PI_W_CONDITION, "condition"}, {PI_W_ROLE, "role"},
                 {PI_W_CITATION, "citation"}, {PI_W_PERIOD, "period"}, {PI_W_WINDOW, "enrolment"}};
    cJSON *a = cJSON_CreateArray();
    bool ok = a != NULL;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (what & words[i].bit)
            ok = pi_json_add(a, NULL, pu_json_cjson(words[i].word)) && ok;
    return pi_json_done(a, ok);
}

static cJSON *pi_json_changes(const pi_pair *pr)
{
    static const char *const kind[] = {"added", "removed", "changed"};
    cJSON *a = cJSON_CreateArray();
    bool ok = a != NULL;
    for (size_t i = 0; ok && i < pr->nchanges; i++) {
        const pi_req_change *c = &pr->changes[i];
        cJSON *o = cJSON_CreateObject();
        bool made = pi_json_add(o, "change", pu_json_cjson(kind[c->kind]));
        made = pi_json_add(o, "requirement", pu_json_cjson(c->label)) && made;
        made = pi_json_add(o, "role", pu_json_cjson(c->role)) && made;
        made = pi_json_add(o, "what", pi_json_what(c->what)) && made;
        ok = pi_json_add(a, NULL, pi_json_done(o, made));
    }
    return pi_json_done(a, ok);
}

static cJSON *pi_json_reasons(const pi_diff_view *v, const pi_pair *pr, pi_change ch)
{
    size_t n;
    pi_reason *r = pi_reasons(v, pr, ch, &n);
    if (!r)
        return NULL;
    cJSON *a = cJSON_CreateArray();
    bool ok = a != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        bool made = pi_json_add(o, "requirement", pu_json_cjson(r[i].label));
        made = pi_json_add(o, "count", cJSON_CreateNumber((double)r[i].count)) && made;
        ok = pi_json_add(a, NULL, pi_json_done(o, made));
    }
    free(r);
    return pi_json_done(a, ok);
}

static cJSON *pi_json_pair(const pi_diff_view *v, const pi_pair *pr)
{
    const uint64_t *c = v->counts + pr->base;
    cJSON *o = cJSON_CreateObject();
    bool ok = pi_json_add(o, "program", pu_json_cjson(pi_pair_id(pr)));
    if (pr->has_old)
        ok = pi_json_add(o, "old_program", pu_json_cjson(pr->old.id)) && ok;
    else
        ok = pi_json_add(o, "old_program", cJSON_CreateNull()) && ok;
    ok = pi_json_add(o, "status", pu_json_cjson(pi_pair_word(pr->kind))) && ok;
    if (pr->renamed_by)
        ok = pi_json_add(o, "renamed_by", pu_json_cjson(pr->renamed_by)) && ok;
    else
        ok = pi_json_add(o, "renamed_by", cJSON_CreateNull()) && ok;
    ok = pi_json_add(o, "program_changes", pi_json_what(pr->what)) && ok;
    ok = pi_json_add(o, "requirements", pi_json_changes(pr)) && ok;
    if (pr->has_old)
        ok = pi_json_add(o, "before", cJSON_CreateNumber((double)c[PI_D_BEFORE])) && ok;
    else
        ok = pi_json_add(o, "before", cJSON_CreateNull()) && ok;
    if (pr->has_new)
        ok = pi_json_add(o, "after", cJSON_CreateNumber((double)c[PI_D_AFTER])) && ok;
    else
        ok = pi_json_add(o, "after", cJSON_CreateNull()) && ok;
    ok = pi_json_add(o, "gained", cJSON_CreateNumber((double)c[PI_D_GAINED])) && ok;
    ok = pi_json_add(o, "lost", cJSON_CreateNumber((double)c[PI_D_LOST])) && ok;
    cJSON *g = pi_json_reasons(v, pr, PI_GAINED), *l = pi_json_reasons(v, pr, PI_LOST);
    if (!g || !l) {
        cJSON_Delete(g);
        cJSON_Delete(l);
        cJSON_Delete(o);
        return NULL;
    }
    ok = pi_json_add(o, "gained_because", g) && ok;
    ok = pi_json_add(o, "lost_because", l) && ok;
    return pi_json_done(o, ok);
}

static bool pi_diff_json(FILE *out, const pi_diff_view *v)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *progs = NULL;
    bool ok = root && pi_json_add(root, "before", pi_json_side(v->old_rules, v->d->old_date)) &&
              pi_json_add(root, "after", pi_json_side(v->new_rules, v->d->new_date)) &&
              cJSON_AddNumberToObject(root, "records", (double)v->totals.records) &&
              cJSON_AddNumberToObject(root, "bad_records", (double)v->totals.bad) &&
              (progs = cJSON_AddArrayToObject(root, "programs")) != NULL;
    for (size_t k = 0; ok && k < v->d->npairs; k++)
        ok = pi_json_add(progs, NULL, pi_json_pair(v, &v->d->pairs[k]));
    return pi_json_print(out, root, ok);
}

bool pi_render_diff(FILE *out, const pi_diff_view *v, pi_format format)
{
    bool ok = format == PI_JSON ? pi_diff_json(out, v) : pi_diff_text(out, v);
    return ok && !ferror(out);
}
