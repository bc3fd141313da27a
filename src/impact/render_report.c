/* pathway report's text, JSON and CSV (the HTML page is render_html.c).
 * The numbers are defined in docs/impact.md; every renderer shows the same
 * ones, in the rule file's program order, each program's unmet requirements
 * most common first (ties in declaration order). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "impact.h"
#include "render.h"
#include "util/escape.h"

double pi_share(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole : 0.0;
}

/* A share as JSON and CSV give it: a fraction with four decimals. */
static double pi_round4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

bool pi_csv_field(FILE *out, const char *s)
{
    return pu_escape_fputs(out, pu_escape_csv, s);
}

size_t *pi_report_order(const pi_report_view *v, size_t k)
{
    const pi_prog *p = &v->r->progs[k];
    const uint64_t *c = v->counts + v->r->base[k] + PI_R_UNMET;
    size_t *order = calloc(p->nreqs ? p->nreqs : 1, sizeof *order);
    if (!order)
        return NULL;
    /* Insertion sort: stable, and a program has a handful of requirements. */
    for (size_t i = 0; i < p->nreqs; i++) {
        size_t j = i;
        for (; j > 0 && c[order[j - 1]] < c[i]; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    return order;
}

uint64_t pi_report_not_eligible(const pi_report_view *v, size_t k)
{
    const uint64_t *c = v->counts + v->r->base[k];
    return v->totals.records - c[PI_R_ELIGIBLE] - c[PI_R_NOT_IN_FORCE] - c[PI_R_CLOSED] - c[PI_R_NOT_YET_OPEN];
}

/* Whether any program of the report has an enrolment window: only then do
 * the CSV rows carry its columns (other reports keep their shape). */
static bool pi_report_windowed(const pi_report_view *v)
{
    for (size_t k = 0; k < v->r->nprogs; k++)
        if (v->r->progs[k].windowed)
            return true;
    return false;
}

/* ---- text ------------------------------------------------------------------------ */

static bool pi_report_text(FILE *out, const pi_report_view *v)
{
    char date[11];
    pw_date_format(v->r->as_of, date);
    fputs("Eligibility report: ", out);
    bool ok = pu_escape_fputs(out, pu_escape_text, v->rules); /* false: out of memory */
    fprintf(out, ", as of %s\n", date);
    fprintf(out, "%llu coaches evaluated", (unsigned long long)v->totals.records);
    if (v->totals.bad)
        fprintf(out, "; %llu record%s could not be evaluated and %s not counted",
                (unsigned long long)v->totals.bad, v->totals.bad == 1 ? "" : "s",
                v->totals.bad == 1 ? "is" : "are");
    fputs("\n", out);
    for (size_t k = 0; k < v->r->nprogs; k++) {
        const pi_prog *p = &v->r->progs[k];
        const uint64_t *c = v->counts + v->r->base[k];
        uint64_t not_eligible = pi_report_not_eligible(v, k);
        fprintf(out, "\n%s%s", p->id, p->title ? " - " : "");
        ok = pu_escape_fputs(out, pu_escape_text, p->title) && ok; /* rules text may hold "\n" */
        fputs("\n", out);
        fprintf(out, "  eligible: %llu of %llu (%.1f%%)\n", (unsigned long long)c[PI_R_ELIGIBLE],
                (unsigned long long)v->totals.records, 100.0 * pi_share(c[PI_R_ELIGIBLE], v->totals.records));
        if (c[PI_R_NOT_IN_FORCE])
            fprintf(out, "  not in force on %s for %llu\n", date, (unsigned long long)c[PI_R_NOT_IN_FORCE]);
        if (c[PI_R_CLOSED])
            fprintf(out, "  closed for enrolment on %s for %llu\n", date, (unsigned long long)c[PI_R_CLOSED]);
        if (c[PI_R_NOT_YET_OPEN])
            fprintf(out, "  not yet open for enrolment on %s for %llu\n", date,
                    (unsigned long long)c[PI_R_NOT_YET_OPEN]);
        if (!not_eligible)
            continue;
        fprintf(out, "  not eligible: %llu\n", (unsigned long long)not_eligible);
        size_t *order = pi_report_order(v, k);
        if (!order)
            return false;
        for (size_t i = 0; i < p->nreqs && i < v->top && c[PI_R_UNMET + order[i]]; i++) {
            uint64_t n = c[PI_R_UNMET + order[i]];
            fprintf(out, "    %5.1f%% (%llu) lack: ", 100.0 * pi_share(n, not_eligible), (unsigned long long)n);
            ok = pu_escape_fputs(out, pu_escape_text, p->labels[order[i]]) && ok;
            fputs("\n", out);
        }
        free(order);
    }
    return ok;
}

/* ---- JSON -------------------------------------------------------------------------- */

static cJSON *pi_report_json_prog(const pi_report_view *v, size_t k)
{
    const pi_prog *p = &v->r->progs[k];
    const uint64_t *c = v->counts + v->r->base[k];
    uint64_t not_eligible = pi_report_not_eligible(v, k);
    size_t *order = pi_report_order(v, k);
    cJSON *o = cJSON_CreateObject();
    cJSON *unmet = cJSON_CreateArray();
    if (!order || !o || !unmet) {
        free(order);
        cJSON_Delete(o);
        cJSON_Delete(unmet);
        return NULL;
    }
    bool ok = true;
    ok = pi_json_add(o, "program", pu_json_cjson(p->id)) && ok;
    if (p->title)
        ok = pi_json_add(o, "title", pu_json_cjson(p->title)) && ok;
    else
        ok = pi_json_add(o, "title", cJSON_CreateNull()) && ok;
    ok = pi_json_add(o, "eligible", cJSON_CreateNumber((double)c[PI_R_ELIGIBLE])) && ok;
    ok = pi_json_add(o, "eligible_share",
                     cJSON_CreateNumber(pi_round4(pi_share(c[PI_R_ELIGIBLE], v->totals.records)))) &&
         ok;
    ok = pi_json_add(o, "not_eligible", cJSON_CreateNumber((double)not_eligible)) && ok;
    ok = pi_json_add(o, "not_in_force", cJSON_CreateNumber((double)c[PI_R_NOT_IN_FORCE])) && ok;
    if (p->windowed) {
        ok = pi_json_add(o, "closed", cJSON_CreateNumber((double)c[PI_R_CLOSED])) && ok;
        ok = pi_json_add(o, "not_yet_open", cJSON_CreateNumber((double)c[PI_R_NOT_YET_OPEN])) && ok;
    }
    for (size_t i = 0; i < p->nreqs; i++) {
        uint64_t n = c[PI_R_UNMET + order[i]];
        cJSON *u = cJSON_CreateObject();
        if (!pi_json_add(unmet, NULL, u)) { /* u is gone (or never was) */
            ok = false;
            break;
        }
        ok = pi_json_add(u, "requirement", pu_json_cjson(p->labels[order[i]])) && ok;
        ok = pi_json_add(u, "count", cJSON_CreateNumber((double)n)) && ok;
        ok = pi_json_add(u, "share", cJSON_CreateNumber(pi_round4(pi_share(n, not_eligible)))) && ok;
    }
    ok = pi_json_add(o, "unmet", unmet) && ok;
    free(order);
    return pi_json_done(o, ok);
}

bool pi_json_add(cJSON *to, const char *key, cJSON *item)
{
    if (item && (key ? cJSON_AddItemToObject(to, key, item) : cJSON_AddItemToArray(to, item)))
        return true;
    cJSON_Delete(item);
    return false;
}

cJSON *pi_json_done(cJSON *item, bool ok)
{
    if (ok)
        return item;
    cJSON_Delete(item);
    return NULL;
}

bool pi_json_print(FILE *out, cJSON *root, bool ok)
{
    char *text = ok && root ? cJSON_PrintUnformatted(root) : NULL;
    if (text) {
        fputs(text, out);
        fputc('\n', out);
    }
    cJSON_free(text);
    cJSON_Delete(root);
    return text != NULL;
}

static bool pi_report_json(FILE *out, const pi_report_view *v)
{
    char date[11];
    pw_date_format(v->r->as_of, date);
    cJSON *root = cJSON_CreateObject();
    cJSON *progs = NULL;
    bool ok = root && pi_json_add(root, "rules", pu_json_cjson(v->rules)) &&
              pi_json_add(root, "as_of", pu_json_cjson(date)) &&
              cJSON_AddNumberToObject(root, "records", (double)v->totals.records) &&
              cJSON_AddNumberToObject(root, "bad_records", (double)v->totals.bad) &&
              (progs = cJSON_AddArrayToObject(root, "programs")) != NULL;
    for (size_t k = 0; ok && k < v->r->nprogs; k++)
        ok = pi_json_add(progs, NULL, pi_report_json_prog(v, k));
    return pi_json_print(out, root, ok);
}

/* ---- CSV ----------------------------------------------------------------------------- */

/* One row per program and top-level requirement (a program without any has
 * one row with the requirement columns empty): spreadsheets want one table. */
static bool pi_report_csv(FILE *out, const pi_report_view *v)
{
    bool windowed = pi_report_windowed(v), ok = true;
    fputs("program,title,records,eligible,eligible_share,not_eligible,not_in_force,requirement,unmet,"
          "unmet_share",
          out);
    fputs(windowed ? ",closed,not_yet_open\r\n" : "\r\n", out);
    for (size_t k = 0; k < v->r->nprogs; k++) {
        const pi_prog *p = &v->r->progs[k];
        const uint64_t *c = v->counts + v->r->base[k];
        uint64_t not_eligible = pi_report_not_eligible(v, k);
        size_t *order = pi_report_order(v, k);
        if (!order)
            return false;
        for (size_t i = 0; i < (p->nreqs ? p->nreqs : 1); i++) {
            ok = pi_csv_field(out, p->id) && ok;
            fputc(',', out);
            ok = pi_csv_field(out, p->title) && ok;
            fprintf(out, ",%llu,%llu,%.4f,%llu,%llu,", (unsigned long long)v->totals.records,
                    (unsigned long long)c[PI_R_ELIGIBLE], pi_share(c[PI_R_ELIGIBLE], v->totals.records),
                    (unsigned long long)not_eligible, (unsigned long long)c[PI_R_NOT_IN_FORCE]);
            if (p->nreqs) {
                uint64_t n = c[PI_R_UNMET + order[i]];
                ok = pi_csv_field(out, p->labels[order[i]]) && ok;
                fprintf(out, ",%llu,%.4f", (unsigned long long)n, pi_share(n, not_eligible));
            } else {
                fputs(",,", out);
            }
            if (windowed)
                fprintf(out, ",%llu,%llu", (unsigned long long)c[PI_R_CLOSED], (unsigned long long)c[PI_R_NOT_YET_OPEN]);
            fputs("\r\n", out);
        }
        free(order);
    }
    return ok;
}

bool pi_render_report(FILE *out, const pi_report_view *v, pi_format format)
{
    bool ok = format == PI_JSON   ? pi_report_json(out, v)
              : format == PI_CSV  ? pi_report_csv(out, v)
              : format == PI_HTML ? pi_render_report_html(out, v)
                                  : pi_report_text(out, v);
    return ok && !ferror(out);
}
