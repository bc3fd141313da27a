/* The three answers as a person's report (text) and as one JSON object per
 * coach (built with cJSON). docs/explain.md describes both. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "util/escape.h"

/* The output, and scratch room for the texts from the facts (the id, the
 * values and entries seen) that a text answer shows escaped. */
#define PX_SCRATCH 4
typedef struct px_out {
    char **buf;
    size_t *len, *cap;
    bool oom;
    pu_buf scratch[PX_SCRATCH];
} px_out;

/* `s` as terminal text (pu_escape_text), in scratch slot `slot`: valid
 * until the slot is used again. */
static const char *px_text(px_out *o, int slot, const char *s)
{
    pu_buf *b = &o->scratch[slot];
    b->len = 0;
    pu_escape_text(b, s, strlen(s));
    if (b->oom) {
        o->oom = true;
        return "";
    }
    return b->data;
}

/* Frees the scratch; whether all went well. */
static bool px_done(px_out *o)
{
    for (int i = 0; i < PX_SCRATCH; i++)
        free(o->scratch[i].data);
    return !o->oom;
}

static void px_emit(px_out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void px_emit(px_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || o->oom) {
        o->oom = true;
        return;
    }
    if (*o->len + (size_t)n + 1 > *o->cap) {
        size_t ncap = *o->cap ? *o->cap : 1024;
        while (ncap < *o->len + (size_t)n + 1)
            ncap *= 2;
        char *nb = realloc(*o->buf, ncap);
        if (!nb) {
            o->oom = true;
            return;
        }
        *o->buf = nb;
        *o->cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(*o->buf + *o->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *o->len += (size_t)n;
}

static const char *px_day(pw_date d, char buf[11])
{
    pw_date_format(d, buf);
    return buf;
}

/* Appends a cJSON tree as one line (false, nothing appended, when oom:
 * a part of it could not be built); frees it. */
static bool px_emit_json(px_out *o, cJSON *root, bool oom)
{
    char *s = root && !oom ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!s)
        return false;
    px_emit(o, "%s\n", s);
    free(s);
    return !o->oom;
}

static cJSON *px_json_date(pw_date d)
{
    char b[11];
    return d == PW_DATE_MIN || d == PW_DATE_MAX ? cJSON_CreateNull() : cJSON_CreateString(px_day(d, b));
}

/* Strings from the facts and the rules, escaped as every JSON output
 * escapes them; NULL becomes null. */
static cJSON *px_json_str(const char *s)
{
    return pu_json_cjson(s);
}

/* A JSON answer is built with every failure noted in *oom: an item that
 * cannot be made (NULL) or added (cJSON copies each key) is freed and the
 * answer refused, never printed with a member missing. */
static cJSON *px_put(bool *oom, cJSON *obj, const char *key, cJSON *item)
{
    if (obj && item && cJSON_AddItemToObject(obj, key, item))
        return item;
    cJSON_Delete(item);
    *oom = true;
    return NULL;
}

static void px_push(bool *oom, cJSON *array, cJSON *item)
{
    if (array && item && cJSON_AddItemToArray(array, item))
        return;
    cJSON_Delete(item);
    *oom = true;
}

static cJSON *px_json_strings(bool *oom, const char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++)
        px_push(oom, a, px_json_str(v[i]));
    return a;
}

static const char *const px_verdict_name[] = {
    [PW_ELIGIBLE] = "eligible", [PW_NOT_ELIGIBLE] = "not_eligible", [PW_NOT_YET_IN_FORCE] = "not_yet_in_force",
    [PW_WITHDRAWN] = "withdrawn", [PW_VERDICT_NOT_EVALUATED] = "not_eligible",
    [PW_VERDICT_NO_PROGRAM] = "not_eligible", [PW_NOT_YET_OPEN] = "not_yet_open", [PW_CLOSED] = "closed"};
static const char *const px_outcome_name[] = {"not_evaluated", "met", "unmet", "not_in_force"};
static const char *const px_kind_name[] = {"single", "all_of", "any_of", "at_least"};
static const char *const px_role_name[] = {"require", "prefer", "advise"};
static const char *const px_change_name[] = {"met", "unmet", "in_force", "out_of_force", "opens", "closes"};

/* ---- explain ----------------------------------------------------------- */

static void px_text_seen(px_out *o, const pw_req_explained *r, const char *pad)
{
    char b[11];
    bool dated = false;
    for (size_t i = 0; i < r->nseen; i++) {
        const pw_seen *s = &r->seen[i];
        if (!s->expr) {
            /* A decision ("needs a decision by ..."): it does not change
             * with the day, so no day is said either. */
            px_emit(o, "%s%s\n", pad, px_text(o, 0, s->value));
            return;
        }
        if (s->test && r->holds == PW_UNMET) {
            px_emit(o, "%s%s %s, needs %s", pad, px_text(o, 0, s->expr), px_text(o, 1, s->value),
                    px_text(o, 2, s->test));
            if (r->met_on != PW_DATE_MAX && s->value_then) {
                px_emit(o, ": reaches %s on %s", px_text(o, 0, s->value_then), px_day(r->met_on, b));
                dated = true;
            }
            px_emit(o, "\n");
        } else if (s->test) {
            px_emit(o, "%s%s %s (needs %s)\n", pad, px_text(o, 0, s->expr), px_text(o, 1, s->value),
                    px_text(o, 2, s->test));
        } else {
            px_emit(o, "%s%s is %s\n", pad, px_text(o, 0, s->expr), px_text(o, 1, s->value));
        }
        for (size_t k = 0; k < s->nentries; k++)
            px_emit(o, "%s  %s\n", pad, px_text(o, 0, s->entries[k]));
    }
    if (r->holds == PW_UNMET) {
        if (r->last_met != PW_DATE_MIN)
            px_emit(o, "%slast met on %s\n", pad, px_day(r->last_met, b));
        if (r->met_on != PW_DATE_MAX && !dated)
            px_emit(o, "%smet from %s\n", pad, px_day(r->met_on, b));
        else if (r->met_on == PW_DATE_MAX)
            px_emit(o, "%snot met on any day up to the horizon\n", pad);
    } else if (r->holds == PW_MET && r->unmet_on != PW_DATE_MAX) {
        px_emit(o, "%smet until %s\n", pad, px_day(r->unmet_on - 1, b));
    }
}

static void px_text_req(px_out *o, const pw_req_explained *r)
{
    static const char *const mark[] = {"[?]", "[met]", "[not met]", "[not in force]"};
    char pad[64];
    unsigned depth = r->info.depth < 20 ? r->info.depth : 20;
    snprintf(pad, sizeof pad, "%*s", (int)(4 + 2 * depth), "");
    const char *role = r->info.role == PW_ROLE_PREFER ? "prefer: " : r->info.role == PW_ROLE_ADVISE ? "advice: " : "";
    px_emit(o, "%s%s %s%s", pad, mark[r->holds], role, px_text(o, 0, r->info.label));
    if (r->info.kind != PW_REQ_SINGLE && r->holds != PW_NOT_IN_FORCE)
        px_emit(o, " (%s: %u of %u members hold, %s %u)", px_kind_name[r->info.kind], r->members_met, r->members,
                r->info.kind == PW_REQ_ALL_OF ? "needs all" : "needs", r->info.kind == PW_REQ_ALL_OF ? r->members : r->info.min);
    px_emit(o, "\n");
    char inner[80];
    snprintf(inner, sizeof inner, "%s      ", pad);
    if (r->info.citation)
        px_emit(o, "%sciting \"%s\"\n", inner, px_text(o, 0, r->info.citation));
    px_text_seen(o, r, inner);
}

static void px_text_program(px_out *o, const pw_program_explained *p)
{
    static const char *const verdict[] = {
        [PW_ELIGIBLE] = "eligible", [PW_NOT_ELIGIBLE] = "not eligible",
        [PW_NOT_YET_IN_FORCE] = "not yet in force", [PW_WITHDRAWN] = "withdrawn",
        [PW_VERDICT_NOT_EVALUATED] = "not eligible", [PW_VERDICT_NO_PROGRAM] = "not eligible",
        [PW_NOT_YET_OPEN] = "not yet open", [PW_CLOSED] = "closed"};
    char b[11], c[11];
    px_emit(o, "  %s (%s): %s", p->id, px_text(o, 0, p->title), verdict[p->verdict]);
    bool in_force = p->verdict != PW_NOT_YET_IN_FORCE && p->verdict != PW_WITHDRAWN;
    if (p->verdict == PW_NOT_YET_IN_FORCE)
        px_emit(o, ", in force from %s", px_day(p->from, b));
    else if (p->verdict == PW_WITHDRAWN)
        px_emit(o, ", in force until %s", px_day(p->until, b));
    else if (p->verdict == PW_NOT_YET_OPEN)
        px_emit(o, ", opens for enrolment on %s", px_day(p->opens, b));
    else if (p->verdict == PW_CLOSED)
        px_emit(o, ", closed for enrolment on %s", px_day(p->closes, b));
    else if (p->windowed && p->opens != PW_DATE_MIN && p->closes != PW_DATE_MAX)
        px_emit(o, ", open for enrolment from %s until %s", px_day(p->opens, b), px_day(p->closes, c));
    else if (p->windowed && p->closes != PW_DATE_MAX)
        px_emit(o, ", open for enrolment until %s", px_day(p->closes, b));
    else if (p->windowed)
        px_emit(o, ", open for enrolment from %s", px_day(p->opens, b));
    px_emit(o, "\n");
    /* Outside the window the requirements still say what else is missing. */
    for (size_t i = 0; i < p->nreqs && in_force; i++)
        px_text_req(o, &p->reqs[i]);
}

static cJSON *px_json_req(bool *oom, const pw_req_explained *r)
{
    cJSON *j = cJSON_CreateObject();
    px_put(oom, j, "label", px_json_str(r->info.label));
    px_put(oom, j, "citation", px_json_str(r->info.citation));
    px_put(oom, j, "kind", px_json_str(px_kind_name[r->info.kind]));
    px_put(oom, j, "role", px_json_str(px_role_name[r->info.role]));
    px_put(oom, j, "depth", cJSON_CreateNumber(r->info.depth));
    px_put(oom, j, "outcome", px_json_str(px_outcome_name[r->outcome]));
    px_put(oom, j, "holds", px_json_str(px_outcome_name[r->holds]));
    if (r->info.kind != PW_REQ_SINGLE) {
        px_put(oom, j, "min", cJSON_CreateNumber(r->info.kind == PW_REQ_ALL_OF ? r->members : r->info.min));
        px_put(oom, j, "members", cJSON_CreateNumber(r->members));
        px_put(oom, j, "members_met", cJSON_CreateNumber(r->members_met));
    }
    px_put(oom, j, "met_on", px_json_date(r->met_on));
    px_put(oom, j, "last_met", px_json_date(r->last_met));
    px_put(oom, j, "unmet_on", px_json_date(r->unmet_on));
    cJSON *seen = px_put(oom, j, "seen", cJSON_CreateArray());
    for (size_t i = 0; seen && i < r->nseen; i++) {
        const pw_seen *s = &r->seen[i];
        cJSON *js = cJSON_CreateObject();
        px_put(oom, js, "expr", px_json_str(s->expr));
        px_put(oom, js, "value", px_json_str(s->value));
        px_put(oom, js, "test", px_json_str(s->test));
        px_put(oom, js, "value_then", px_json_str(s->value_then));
        px_put(oom, js, "entries", px_json_strings(oom, s->entries, s->nentries));
        px_push(oom, seen, js);
    }
    return j;
}

static cJSON *px_json_program(bool *oom, const pw_program_explained *p)
{
    cJSON *j = cJSON_CreateObject();
    px_put(oom, j, "program", px_json_str(p->id));
    px_put(oom, j, "title", px_json_str(p->title));
    px_put(oom, j, "status", px_json_str(px_verdict_name[p->verdict]));
    px_put(oom, j, "eligible", cJSON_CreateBool(p->verdict == PW_ELIGIBLE));
    cJSON *f = px_put(oom, j, "in_force", cJSON_CreateObject());
    px_put(oom, f, "from", px_json_date(p->from));
    px_put(oom, f, "until", px_json_date(p->until));
    if (p->windowed) { /* only then: other programs' objects stay as they were */
        cJSON *w = px_put(oom, j, "enrolment", cJSON_CreateObject());
        px_put(oom, w, "opens", px_json_date(p->opens));
        px_put(oom, w, "closes", px_json_date(p->closes));
    }
    cJSON *reqs = px_put(oom, j, "requirements", cJSON_CreateArray());
    for (size_t i = 0; reqs && i < p->nreqs; i++)
        px_push(oom, reqs, px_json_req(oom, &p->reqs[i]));
    return j;
}

bool px_render_explain(const pw_explanation *e, bool json, char **buf, size_t *len, size_t *cap)
{
    px_out o = {buf, len, cap, false, {{0}}};
    char b[11], c[11];
    if (json) {
        bool failed = false, *oom = &failed;
        cJSON *j = cJSON_CreateObject();
        px_put(oom, j, "id", px_json_str(e->coach));
        px_put(oom, j, "as_of", px_json_date(e->as_of));
        cJSON *h = px_put(oom, j, "horizon", cJSON_CreateObject());
        px_put(oom, h, "from", px_json_date(e->first));
        px_put(oom, h, "until", px_json_date(e->last));
        cJSON *ps = px_put(oom, j, "programs", cJSON_CreateArray());
        for (size_t i = 0; ps && i < e->nprograms; i++)
            px_push(oom, ps, px_json_program(oom, &e->programs[i]));
        return px_emit_json(&o, j, *oom); /* no scratch used */
    }
    char d[11];
    px_emit(&o, "%s as of %s (looking from %s to %s)\n", px_text(&o, 0, e->coach ? e->coach : "(no id)"), px_day(e->as_of, b),
            px_day(e->first, c), px_day(e->last, d));
    for (size_t i = 0; i < e->nprograms; i++)
        px_text_program(&o, &e->programs[i]);
    return px_done(&o);
}

/* ---- when ---------------------------------------------------------------- */

static void px_text_changes(px_out *o, const pw_change *c, size_t n)
{
    static const char *const what[] = {"\"%s\" is met", "\"%s\" is no longer met", "%s comes into force",
                                       "%s is no longer in force", "%s opens for enrolment",
                                       "%s closes for enrolment"};
    for (size_t i = 0; i < n; i++) {
        px_emit(o, i ? (i + 1 == n ? " and " : ", ") : ", when ");
        px_emit(o, what[c[i].kind], px_text(o, 0, c[i].label));
    }
}

/* decision: NULL for a period's changes; for a blocking list, parallel to
 * c (pw_eligibility.blocking_decision, never NULL there), so it also says
 * which list this is. A change's day is the first day of the new state; for a version leaving
 * force or a window closing, "last_day" is the day a reader means (the
 * version's last day in force, the window's last open day). In blocking,
 * requirements listed after a version that left force were unmet on its
 * last day in force: "until" says which day that was. */
static cJSON *px_json_changes(bool *oom, const pw_change *c, size_t n, const char *const *decision)
{
    cJSON *a = cJSON_CreateArray();
    pw_date ended = 0;
    bool after_end = false;
    for (size_t i = 0; a && i < n; i++) {
        cJSON *j = cJSON_CreateObject();
        px_put(oom, j, "kind", px_json_str(px_change_name[c[i].kind]));
        px_put(oom, j, "day", px_json_date(c[i].day));
        if (c[i].kind == PW_CHANGE_OUT_OF_FORCE || c[i].kind == PW_CHANGE_CLOSES)
            px_put(oom, j, "last_day", px_json_date(c[i].day - 1));
        if (c[i].kind == PW_CHANGE_OUT_OF_FORCE) {
            ended = c[i].day - 1;
            after_end = true;
        } else if (c[i].kind == PW_CHANGE_IN_FORCE) {
            after_end = false;
        }
        px_put(oom, j, "label", px_json_str(c[i].label));
        if (decision && after_end && c[i].kind == PW_CHANGE_UNMET)
            px_put(oom, j, "until", px_json_date(ended));
        if (decision && decision[i])
            px_put(oom, j, "decision", px_json_str(decision[i]));
        px_push(oom, a, j);
    }
    return a;
}

static bool px_when_json(px_out *o, const pw_eligibility *e)
{
    bool failed = false, *oom = &failed;
    cJSON *j = cJSON_CreateObject();
    px_put(oom, j, "id", px_json_str(e->coach));
    px_put(oom, j, "program", px_json_str(e->program));
    px_put(oom, j, "as_of", px_json_date(e->as_of));
    px_put(oom, j, "horizon_until", px_json_date(e->last));
    px_put(oom, j, "eligible_within_horizon", cJSON_CreateBool(e->nperiods > 0));
    cJSON *ps = px_put(oom, j, "periods", cJSON_CreateArray());
    for (size_t i = 0; ps && i < e->nperiods; i++) {
        const pw_period *p = &e->periods[i];
        cJSON *jp = cJSON_CreateObject();
        px_put(oom, jp, "from", px_json_date(p->from));
        px_put(oom, jp, "until", p->to_end ? cJSON_CreateNull() : px_json_date(p->until));
        px_put(oom, jp, "from_as_of", cJSON_CreateBool(p->from_start));
        px_put(oom, jp, "starts", px_json_changes(oom, p->start, p->nstart, NULL));
        px_put(oom, jp, "ends", px_json_changes(oom, p->end, p->nend, NULL));
        px_push(oom, ps, jp);
    }
    px_put(oom, j, "blocking", px_json_changes(oom, e->blocking, e->nblocking, e->blocking_decision));
    return px_emit_json(o, j, *oom);
}

bool px_render_when(const pw_eligibility *e, bool json, char **buf, size_t *len, size_t *cap)
{
    px_out o = {buf, len, cap, false, {{0}}};
    if (json)
        return px_when_json(&o, e); /* no scratch used */
    char b[11], c[11];
    px_emit(&o, "%s: %s, from %s to %s\n", px_text(&o, 0, e->coach ? e->coach : "(no id)"), e->program, px_day(e->as_of, b),
            px_day(e->last, c));
    for (size_t i = 0; i < e->nperiods; i++) {
        const pw_period *p = &e->periods[i];
        px_emit(&o, "  eligible from %s", px_day(p->from, b));
        if (p->from_start)
            px_emit(&o, " (the evaluation date)");
        px_text_changes(&o, p->start, p->nstart);
        if (p->to_end) {
            px_emit(&o, ", to the end of the horizon\n");
            continue;
        }
        px_emit(&o, ", until %s", px_day(p->until, b));
        px_text_changes(&o, p->end, p->nend);
        px_emit(&o, "\n");
    }
    if (!e->nperiods) {
        px_emit(&o, "  not eligible within the horizon\n");
        /* Requirements after a version that left force blocked while it
         * was in force: their run ends on its last day, not the horizon's. */
        bool after_end = false;
        pw_date ended = 0;
        for (size_t i = 0; i < e->nblocking; i++) {
            const pw_change *ch = &e->blocking[i];
            const char *decision = e->blocking_decision ? e->blocking_decision[i] : NULL;
            if (ch->kind == PW_CHANGE_UNMET && decision)
                px_emit(&o, "    blocked by \"%s\": %s\n", px_text(&o, 0, ch->label), px_text(&o, 1, decision));
            else if (ch->kind == PW_CHANGE_UNMET && after_end)
                px_emit(&o, "    blocked by \"%s\": not met from %s to %s, its last day in force\n",
                        px_text(&o, 0, ch->label), px_day(ch->day, b), px_day(ended, c));
            else if (ch->kind == PW_CHANGE_UNMET)
                px_emit(&o, "    blocked by \"%s\": not met from %s to the end of the horizon\n", px_text(&o, 0, ch->label),
                        px_day(ch->day, b));
            else if (ch->kind == PW_CHANGE_OPENS)
                px_emit(&o, "    %s is not yet open for enrolment (it opens on %s)\n", px_text(&o, 0, ch->label),
                        px_day(ch->day, b));
            else if (ch->kind == PW_CHANGE_CLOSES)
                px_emit(&o, "    %s is closed for enrolment (it closed on %s)\n", px_text(&o, 0, ch->label),
                        px_day(ch->day - 1, b));
            else if (ch->kind == PW_CHANGE_OUT_OF_FORCE) {
                /* day is the first day out of force; the reader wants the last in. */
                ended = ch->day - 1;
                after_end = true;
                px_emit(&o, "    %s is not in force (it ended on %s)\n", px_text(&o, 0, ch->label), px_day(ended, b));
            } else {
                after_end = false;
                px_emit(&o, "    %s is not in force (it comes into force on %s)\n", px_text(&o, 0, ch->label),
                        px_day(ch->day, b));
            }
        }
    }
    return px_done(&o);
}

/* ---- plan ---------------------------------------------------------------- */

static void px_text_step(px_out *o, size_t k, const pw_plan_step *s)
{
    char b[11], c[11];
    px_emit(o, "  %zu. %s: %s (%s)", k + 1, px_day(s->enrol, b), s->program, px_text(o, 0, s->title));
    if (s->hours > 0)
        px_emit(o, ", %g hours", s->hours);
    px_emit(o, "\n");
    if (s->nwaits) {
        px_emit(o, "       after waiting for:");
        for (size_t i = 0; i < s->nwaits; i++)
            px_emit(o, "%s \"%s\"", i ? "," : "", px_text(o, 0, s->waits[i]));
        px_emit(o, "\n");
    }
    for (size_t i = 0; i < s->narrange; i++) {
        /* A decision to ask for, not an impossibility. */
        const char *decision = s->arrange_decision ? s->arrange_decision[i] : NULL;
        const char *how = s->arrange_how ? s->arrange_how[i] : NULL;
        if (decision)
            px_emit(o, "       arrange first: %s \"%s\"\n", px_text(o, 1, decision), px_text(o, 0, s->arrange[i]));
        else if (how) /* the rules' own words (`arrange "..."`) */
            px_emit(o, "       arrange first: %s (for \"%s\")\n", px_text(o, 1, how), px_text(o, 0, s->arrange[i]));
        else
            px_emit(o, "       arrange first: \"%s\" (no program gives it, and with these facts it is not met again in the horizon)\n",
                    px_text(o, 0, s->arrange[i]));
    }
    if (s->grants) {
        px_emit(o, "       grants %s on %s", s->grants, px_day(s->granted, b));
        if (s->expires != PW_DATE_MAX)
            px_emit(o, ", valid until %s", px_day(s->expires, c));
        px_emit(o, "\n");
    }
}

/* obj[key] = v's n strings, NULL entries as null; left out when v has no
 * string at all, so that plans without one print as before. */
static void px_json_sparse(bool *oom, cJSON *obj, const char *key, const char *const *v, size_t n)
{
    bool any = false;
    for (size_t k = 0; v && k < n; k++)
        any |= v[k] != NULL;
    cJSON *a = any ? px_put(oom, obj, key, cJSON_CreateArray()) : NULL;
    for (size_t k = 0; a && k < n; k++)
        px_push(oom, a, v[k] ? px_json_str(v[k]) : cJSON_CreateNull());
}

static bool px_plan_json(px_out *o, const pw_plan *p)
{
    bool failed = false, *oom = &failed;
    cJSON *j = cJSON_CreateObject();
    px_put(oom, j, "id", px_json_str(p->coach));
    px_put(oom, j, "target", px_json_str(p->target));
    px_put(oom, j, "as_of", px_json_date(p->as_of));
    px_put(oom, j, "horizon_until", px_json_date(p->last));
    px_put(oom, j, "reachable", cJSON_CreateBool(p->reachable));
    px_put(oom, j, "eligible_on", p->nsteps ? px_json_date(p->steps[p->nsteps - 1].enrol)
                                                      : cJSON_CreateNull());
    cJSON *steps = px_put(oom, j, "steps", cJSON_CreateArray());
    for (size_t i = 0; steps && i < p->nsteps; i++) {
        const pw_plan_step *s = &p->steps[i];
        cJSON *js = cJSON_CreateObject();
        px_put(oom, js, "program", px_json_str(s->program));
        px_put(oom, js, "title", px_json_str(s->title));
        px_put(oom, js, "enrol", px_json_date(s->enrol));
        px_put(oom, js, "hours", s->hours > 0 ? cJSON_CreateNumber(s->hours) : cJSON_CreateNull());
        px_put(oom, js, "grants", px_json_str(s->grants));
        px_put(oom, js, "granted", s->grants ? px_json_date(s->granted) : cJSON_CreateNull());
        px_put(oom, js, "expires", px_json_date(s->expires));
        px_put(oom, js, "waits", px_json_strings(oom, s->waits, s->nwaits));
        px_put(oom, js, "arrange", px_json_strings(oom, s->arrange, s->narrange));
        px_json_sparse(oom, js, "arrange_decision", s->arrange_decision, s->narrange);
        px_json_sparse(oom, js, "arrange_how", s->arrange_how, s->narrange);
        px_push(oom, steps, js);
    }
    px_put(oom, j, "hours", cJSON_CreateNumber(p->hours));
    px_put(oom, j, "blocking", px_json_strings(oom, p->blocking, p->nblocking));
    /* How many of them, first, are sentences rather than labels. */
    if (p->nsentences)
        px_put(oom, j, "blocking_sentences", cJSON_CreateNumber((double)p->nsentences));
    return px_emit_json(o, j, *oom);
}

bool px_render_plan(const pw_plan *p, bool json, char **buf, size_t *len, size_t *cap)
{
    px_out o = {buf, len, cap, false, {{0}}};
    if (json)
        return px_plan_json(&o, p); /* no scratch used */
    char b[11];
    px_emit(&o, "%s: plan for %s as of %s\n", px_text(&o, 0, p->coach ? p->coach : "(no id)"), p->target, px_day(p->as_of, b));
    if (!p->reachable) {
        px_emit(&o, "  not reachable by %s:\n", px_day(p->last, b));
        for (size_t i = 0; i < p->nblocking; i++) {
            if (i < p->nsentences) /* a sentence, not a requirement's label */
                px_emit(&o, "    %s\n", px_text(&o, 0, p->blocking[i]));
            else
                px_emit(&o, "    \"%s\" is not met on any day, whatever programs are taken\n",
                        px_text(&o, 0, p->blocking[i]));
        }
        /* Every requirement can be met with the steps' certificates: what
         * fails is the steps (one that cannot be taken, or a certificate
         * that lapses before the others are met: steps are taken on their
         * first day). */
        if (!p->nblocking)
            px_emit(&o, "    each requirement can be met with the certificates the steps grant, but no steps taken "
                        "on the first day they may be meet them all on one day (a step cannot be taken, or a "
                        "certificate lapses first)\n");
        return px_done(&o);
    }
    for (size_t i = 0; i < p->nsteps; i++)
        px_text_step(&o, i, &p->steps[i]);
    px_emit(&o, "  eligible for %s on %s: %zu program%s", p->target, px_day(p->steps[p->nsteps - 1].enrol, b),
            p->nsteps, p->nsteps == 1 ? "" : "s");
    if (p->hours > 0)
        px_emit(&o, ", %g hours", p->hours);
    px_emit(&o, "\n");
    return px_done(&o);
}
