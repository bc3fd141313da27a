/* pathway report --format html: one self-contained page (inline CSS, an
 * inline SVG bar chart per program, no script, nothing fetched), to open in
 * a browser or attach to a board paper.
 *
 * Every text that comes from the rules or the command line is escaped for
 * HTML (& < > " '), in element content and in attributes alike. Each bar is
 * a <rect> with class "bar" and one of "eligible", "not-eligible" or
 * "unmet", and data-count and data-label attributes, so that a test (or a
 * script of the reader's) can find the numbers in the rendered page. */
#include <stdlib.h>

#include "impact.h"
#include "render.h"
#include "util/escape.h"

/* The chart's geometry, in SVG user units. */
enum { H_LABEL = 330, H_BAR = 300, H_VALUE = 230, H_ROW = 26, H_TOP = 6 };

static const char pi_html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Eligibility report</title>\n<style>\n"
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",sans-serif;margin:2em auto;max-width:60em;"
    "color:#222;padding:0 1em}\n"
    "h1{font-size:1.5em}h2{font-size:1.15em;margin:1.6em 0 .3em}h2 small{font-weight:normal;color:#555}\n"
    "table{border-collapse:collapse;margin:1em 0}td,th{padding:.25em .8em;border-bottom:1px solid #ddd;"
    "text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "svg.chart{display:block;max-width:100%;height:auto}svg text{font-size:13px;fill:#222}\n"
    "rect.track{fill:#eee}rect.eligible{fill:#2e7d32}rect.not-eligible{fill:#757575}"
    "rect.unmet{fill:#c62828}\n"
    ".legend span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;vertical-align:-.1em}\n"
    "</style>\n</head>\n<body>\n";

/* Text as HTML element content or a quoted attribute value
 * (pu_escape_markup); *ok becomes false when memory ran out escaping it. */
static void pi_html(FILE *out, const char *s, bool *ok)
{
    if (!pu_escape_fputs(out, pu_escape_markup, s))
        *ok = false;
}

/* One bar: its label, a track the width of the whole population, the bar
 * and its value. */
static void pi_html_bar(FILE *out, unsigned row, const char *cls, const char *label, uint64_t n,
                        uint64_t scale, const char *value, bool *ok)
{
    unsigned y = H_TOP + row * H_ROW;
    double w = scale ? (double)H_BAR * (double)n / (double)scale : 0.0;
    fprintf(out, "<text x=\"0\" y=\"%u\">", y + 15);
    pi_html(out, label, ok);
    fprintf(out, "</text>\n<rect class=\"track\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"18\"/>\n", H_LABEL,
            y + 2, H_BAR);
    fprintf(out, "<rect class=\"bar %s\" x=\"%u\" y=\"%u\" width=\"%.1f\" height=\"18\" data-count=\"%llu\" "
                 "data-label=\"",
            cls, H_LABEL, y + 2, w, (unsigned long long)n);
    pi_html(out, label, ok);
    fputs("\"><title>", out);
    pi_html(out, label, ok);
    fprintf(out, ": %s</title></rect>\n<text x=\"%u\" y=\"%u\">%s</text>\n", value, H_LABEL + H_BAR + 8, y + 15,
            value);
}

/* Program k's section: the numbers, then its chart. */
static bool pi_html_prog(FILE *out, const pi_report_view *v, size_t k)
{
    const pi_prog *p = &v->r->progs[k];
    const uint64_t *c = v->counts + v->r->base[k];
    uint64_t all = v->totals.records, ne = pi_report_not_eligible(v, k);
    size_t *order = pi_report_order(v, k);
    if (!order)
        return false;
    bool escaped = true, *ok = &escaped;
    size_t shown = 0;
    while (shown < p->nreqs && shown < v->top && c[PI_R_UNMET + order[shown]])
        shown++;
    fputs("<section class=\"program\" id=\"program-", out);
    pi_html(out, p->id, ok);
    fputs("\">\n<h2>", out);
    pi_html(out, p->id, ok);
    if (p->title) {
        fputs(" <small>", out);
        pi_html(out, p->title, ok);
        fputs("</small>", out);
    }
    fprintf(out, "</h2>\n<p>%llu of %llu coaches eligible (%.1f%%)", (unsigned long long)c[PI_R_ELIGIBLE],
            (unsigned long long)all, 100.0 * pi_share(c[PI_R_ELIGIBLE], all));
    if (c[PI_R_NOT_IN_FORCE])
        fprintf(out, "; not in force for %llu", (unsigned long long)c[PI_R_NOT_IN_FORCE]);
    if (c[PI_R_CLOSED])
        fprintf(out, "; closed for enrolment for %llu", (unsigned long long)c[PI_R_CLOSED]);
    if (c[PI_R_NOT_YET_OPEN])
        fprintf(out, "; not yet open for enrolment for %llu", (unsigned long long)c[PI_R_NOT_YET_OPEN]);
    fputs(".</p>\n", out);
    unsigned rows = 2 + (unsigned)shown;
    fprintf(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%u\" "
                 "height=\"%u\" viewBox=\"0 0 %u %u\">\n<title>",
            H_LABEL + H_BAR + H_VALUE, H_TOP * 2 + rows * H_ROW, H_LABEL + H_BAR + H_VALUE,
            H_TOP * 2 + rows * H_ROW);
    pi_html(out, p->id, ok);
    fputs(": eligibility</title>\n", out);
    char value[96];
    snprintf(value, sizeof value, "%llu (%.1f%%)", (unsigned long long)c[PI_R_ELIGIBLE],
             100.0 * pi_share(c[PI_R_ELIGIBLE], all));
    pi_html_bar(out, 0, "eligible", "eligible", c[PI_R_ELIGIBLE], all, value, ok);
    snprintf(value, sizeof value, "%llu (%.1f%%)", (unsigned long long)ne, 100.0 * pi_share(ne, all));
    pi_html_bar(out, 1, "not-eligible", "not eligible", ne, all, value, ok);
    for (size_t i = 0; i < shown; i++) {
        uint64_t n = c[PI_R_UNMET + order[i]];
        snprintf(value, sizeof value, "%llu (%.1f%% of not eligible)", (unsigned long long)n,
                 100.0 * pi_share(n, ne));
        pi_html_bar(out, 2 + (unsigned)i, "unmet", p->labels[order[i]], n, all, value, ok);
    }
    fputs("</svg>\n</section>\n", out);
    free(order);
    return escaped;
}

static void pi_html_summary(FILE *out, const pi_report_view *v, bool *ok)
{
    fputs("<table class=\"summary\">\n<tr><th>program</th><th>title</th><th>eligible</th><th>share</th></tr>\n",
          out);
    for (size_t k = 0; k < v->r->nprogs; k++) {
        const pi_prog *p = &v->r->progs[k];
        uint64_t e = v->counts[v->r->base[k] + PI_R_ELIGIBLE];
        fputs("<tr><td><a href=\"#program-", out);
        pi_html(out, p->id, ok);
        fputs("\">", out);
        pi_html(out, p->id, ok);
        fputs("</a></td><td>", out);
        pi_html(out, p->title, ok);
        fprintf(out, "</td><td class=\"n\">%llu</td><td class=\"n\">%.1f%%</td></tr>\n", (unsigned long long)e,
                100.0 * pi_share(e, v->totals.records));
    }
    fputs("</table>\n", out);
}

bool pi_render_report_html(FILE *out, const pi_report_view *v)
{
    char date[11];
    pw_date_format(v->r->as_of, date);
    bool escaped = true, *ok = &escaped;
    fputs(pi_html_head, out);
    fputs("<h1>Eligibility report</h1>\n<p class=\"meta\">Rules <code>", out);
    pi_html(out, v->rules, ok);
    fprintf(out, "</code>, as of %s: %llu coaches evaluated", date, (unsigned long long)v->totals.records);
    if (v->totals.bad)
        fprintf(out, "; %llu record%s could not be evaluated and %s not counted", (unsigned long long)v->totals.bad,
                v->totals.bad == 1 ? "" : "s", v->totals.bad == 1 ? "is" : "are");
    fputs(".</p>\n<p class=\"legend\"><span style=\"background:#2e7d32\"></span>eligible"
          "<span style=\"background:#757575\"></span>not eligible"
          "<span style=\"background:#c62828\"></span>coaches not eligible who lack the requirement</p>\n",
          out);
    pi_html_summary(out, v, ok);
    for (size_t k = 0; k < v->r->nprogs; k++)
        if (!pi_html_prog(out, v, k))
            return false;
    fputs("</body>\n</html>\n", out);
    return escaped;
}
