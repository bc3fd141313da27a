/* What every lint check shares: the rules (code, severity, name, one
 * line) and the helpers that report a finding, allocate, quote the source
 * and find the spans of requirements. The checks call these; the driver
 * (lint.c) calls the checks. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"
#include "util/assert.h"

/* ---- the rules ---------------------------------------------------------------------- */

static const pd_rule pl_rule_table[] = {
    {"PW101", PD_WARNING, "A definition, known list or example is never used"},
    {"PW102", PD_WARNING, "A record or facts field is never read"},
    {"PW103", PD_WARNING, "Nothing from an included file is used"},
    {"PW110", PD_ERROR, "A requirement can never be met"},
    {"PW111", PD_WARNING, "A requirement is always met"},
    {"PW112", PD_WARNING, "A requirement is implied by another requirement of the same program"},
    {"PW113", PD_WARNING, "A comparison that the field's declared range decides"},
    {"PW114", PD_WARNING, "A text that is not a known value"},
    {"PW120", PD_ERROR, "A program no coach can ever become eligible for"},
    {"PW130", PD_WARNING, "Two requirements of a program, or members of a group, with the same label"},
    {"PW131", PD_WARNING, "Two programs with the same title"},
    {"PW132", PD_WARNING, "A preference with the same condition as a requirement"},
    {"PW133", PD_WARNING, "A group with one member"},
    {"PW134", PD_WARNING, "Members of a group that overlap"},
    {"PW140", PD_WARNING, "A requirement without a citation"},
    {"PW150", PD_ERROR, "A program whose requirements cannot all hold together"},
    {"PW151", PD_WARNING, "A member of a required group that the program's other requirements make redundant"},
    {"PW190", PD_WARNING, "A suppression without a reason or a known code"},
    {"PW191", PD_NOTE, "A suppression that silences nothing"},
};

const pd_rule *pl_rules(size_t *count)
{
    *count = sizeof pl_rule_table / sizeof *pl_rule_table;
    return pl_rule_table;
}

const pd_rule *pl_rule(const char *code)
{
    for (size_t i = 0; i < sizeof pl_rule_table / sizeof *pl_rule_table; i++)
        if (strcmp(pl_rule_table[i].code, code) == 0)
            return &pl_rule_table[i];
    return NULL;
}

/* ---- helpers the checks share -------------------------------------------------------- */

pd_diag *pl_report(pl_ctx *c, const char *code, const ps_span *span, const char *fmt, ...)
{
    const pd_rule *r = pl_rule(code);
    va_list ap;
    va_start(ap, fmt);
    pd_diag *d = pd_vadd(c->found, PU_ALWAYS(r) ? r->severity : PD_WARNING, code, span, fmt, ap);
    va_end(ap);
    if (!d)
        c->oom = true;
    return d;
}

void *pl_alloc(pl_ctx *c, size_t size)
{
    void *p = pm_alloc(c->arena, size ? size : 1);
    if (!p)
        c->oom = true;
    return p;
}

const char *pl_format(pl_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? pl_alloc(c, (size_t)n + 1) : NULL;
    if (!s)
        return "";
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

bool pl_in_root(const pl_ctx *c, ps_span span)
{
    return span.file == c->root;
}

/* Drops a character cut in two at the end of out[0..n). */
static size_t pl_whole_chars(const char *out, size_t n)
{
    size_t k = n;
    while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
        k--;
    if (k == 0)
        return n;
    unsigned char lead = (unsigned char)out[k - 1];
    size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return k - 1 + len > n ? k - 1 : n;
}

const char *pl_source(pl_ctx *c, ps_span span, size_t max)
{
    if (PU_NEVER(span.file >= c->src->nfiles || span.end > c->src->files[span.file].len || span.end < span.start))
        return "";
    const char *t = c->src->files[span.file].text;
    char *out = pl_alloc(c, max + 4);
    if (!out)
        return "";
    size_t n = 0;
    bool in_string = false, space = false;
    uint32_t i = span.start;
    for (; i < span.end && n < max; i++) {
        char ch = t[i];
        if (in_string) {
            if (ch == '\\' && i + 1 < span.end && n + 1 < max) {
                out[n++] = ch;
                ch = t[++i];
            } else if (ch == '"' || ch == '\n') {
                in_string = false;
            }
            out[n++] = ch;
            continue;
        }
        if (ch == '#') { /* a comment inside a multi-line condition */
            while (i + 1 < span.end && t[i + 1] != '\n')
                i++;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = n > 0;
            continue;
        }
        if (space && n + 1 < max)
            out[n++] = ' ';
        space = false;
        in_string = ch == '"';
        out[n++] = ch;
    }
    if (i < span.end) {
        n = pl_whole_chars(out, n);
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

bool pl_granted(const pl_ctx *c, const char *text)
{
    for (uint32_t i = 0; i < c->ngrants; i++)
        if (strcmp(c->grants[i]->u.str.s, text) == 0)
            return true;
    return false;
}

const char *pl_program_name(pl_ctx *c, const pa_decl *prog)
{
    if (!prog->u.program.period.given)
        return pl_format(c, "`%s`", prog->name);
    char period[48];
    return pl_format(c, "`%s` (%s)", prog->name, pc_period_text(&prog->u.program.period, period, sizeof period));
}

bool pl_always_in_force(const pa_req *r, const pa_decl *prog)
{
    if (!r->period.given)
        return true;
    const pa_period *p = &prog->u.program.period;
    int32_t from = p->given ? p->from : PA_DATE_OPEN_FROM, until = p->given ? p->until : PA_DATE_OPEN_UNTIL;
    return r->period.from <= from && r->period.until >= until;
}

/* Skips layout and comments from `at`; returns the offset of the next
 * token's first byte. */
static uint32_t pl_skip_layout(const ps_file *f, uint32_t at)
{
    while (at < f->len) {
        char ch = f->text[at];
        if (ch == '#') {
            while (at < f->len && f->text[at] != '\n')
                at++;
        } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            at++;
        } else {
            break;
        }
    }
    return at;
}

ps_span pl_group_span(pl_ctx *c, const pa_req *r)
{
    ps_span fallback = r->label_span;
    const pa_req *last = r->members;
    while (last && last->next)
        last = last->next;
    if (r->label_span.file >= c->src->nfiles || !last)
        return fallback;
    const ps_file *f = &c->src->files[r->label_span.file];
    uint32_t at = pl_skip_layout(f, r->label_span.end);
    if (at >= f->len || f->text[at] != ':')
        return fallback;
    uint32_t start = pl_skip_layout(f, at + 1);
    uint32_t close = pl_skip_layout(f, last->span.end);
    if (close >= f->len || f->text[close] != '}' || start >= close)
        return fallback;
    ps_span s = {r->label_span.file, start, close + 1};
    return s;
}

ps_span pl_req_span(pl_ctx *c, const pa_req *r)
{
    return r->group == PA_LEAF ? r->cond->span : pl_group_span(c, r);
}
