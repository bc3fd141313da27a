/* Diagnostics: recording them (in the compilation's arena) and rendering them
 * as clang-style text or as JSON lines. Rendering computes line and column
 * from byte offsets only now, when a message is printed. */
#include "diag.h"
#include "../util/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- recording ------------------------------------------------------------ */

void pd_init(pd_list *l, pm_arena *arena, unsigned max_errors)
{
    memset(l, 0, sizeof *l);
    l->arena = arena;
    l->max_errors = max_errors;
}

pd_diag *pd_vadd(pd_list *l, pd_severity sev, const char *code, const ps_span *span,
                 const char *fmt, va_list ap)
{
    if (sev == PD_ERROR) {
        /* Counted even when dropped, so that the caller's summary is true. */
        l->errors++;
        if (l->max_errors && l->errors > l->max_errors) {
            l->truncated = true;
            return NULL;
        }
    } else if (sev == PD_WARNING) {
        l->warnings++;
    }
    pd_diag *d = pm_alloc(l->arena, sizeof *d);
    char *msg = d ? pm_vprintf(l->arena, fmt, ap) : NULL;
    if (!msg) {
        l->oom = true;
        return NULL;
    }
    d->code = code;
    d->severity = sev;
    d->has_span = span != NULL;
    if (span)
        d->span = *span;
    d->message = msg;
    if (l->tail)
        l->tail->next = d;
    else
        l->head = d;
    l->tail = d;
    return d;
}

pd_diag *pd_add(pd_list *l, pd_severity sev, const char *code, const ps_span *span,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_diag *d = pd_vadd(l, sev, code, span, fmt, ap);
    va_end(ap);
    return d;
}

void pd_note_add(pd_list *l, pd_diag *d, const ps_span *span, const char *fmt, ...)
{
    if (!d)
        return;
    pd_note *n = pm_alloc(l->arena, sizeof *n);
    va_list ap;
    va_start(ap, fmt);
    char *msg = n ? pm_vprintf(l->arena, fmt, ap) : NULL;
    va_end(ap);
    if (!msg) {
        l->oom = true;
        return;
    }
    n->has_span = span != NULL;
    if (span)
        n->span = *span;
    n->message = msg;
    pd_note **end = &d->notes; /* notes print in the order they were added */
    while (*end)
        end = &(*end)->next;
    *end = n;
}

void pd_set_fix(pd_list *l, pd_diag *d, const char *replacement)
{
    if (!d)
        return;
    char *s = pm_strndup(l->arena, replacement, strlen(replacement));
    if (!s)
        l->oom = true;
    else
        d->fix = s;
}

/* ---- the output buffer ---------------------------------------------------- */

/* Room for `extra` bytes and the terminating NUL. */
static bool pd_buf_reserve(pd_buf *b, size_t extra)
{
    void *p = b->data;
    bool ok = pu_grow(&p, &b->cap, b->len, extra + 1, 256, &b->oom);
    b->data = p;
    return ok;
}

static void pd_buf_append(pd_buf *b, const char *s, size_t n)
{
    if (!pd_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void pd_buf_puts(pd_buf *b, const char *s) { pd_buf_append(b, s, strlen(s)); }

static void pd_buf_repeat(pd_buf *b, char c, size_t n)
{
    if (!pd_buf_reserve(b, n))
        return;
    memset(b->data + b->len, c, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pd_buf_printf(pd_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !pd_buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void pd_buf_free(pd_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

/* ---- text ------------------------------------------------------------------ */

/* clang's colours: bold locations and messages, red errors, magenta
 * warnings, cyan notes, green carets and fix-its. */
#define PD_BOLD "\x1b[1m"
#define PD_RED "\x1b[1;31m"
#define PD_MAGENTA "\x1b[1;35m"
#define PD_CYAN "\x1b[1;36m"
#define PD_GREEN "\x1b[1;32m"
#define PD_RESET "\x1b[0m"

enum { PD_TABSTOP = 8 };

static void pd_paint(pd_buf *b, bool color, const char *code)
{
    if (color)
        pd_buf_puts(b, code);
}

/* The display column after `n` bytes of a line: tabs advance to the next tab
 * stop, UTF-8 continuation bytes take no room. */
static size_t pd_column(const char *line, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == '\t')
            col += PD_TABSTOP - col % PD_TABSTOP;
        else if ((c & 0xC0) != 0x80)
            col++;
    }
    return col;
}

static void pd_expanded(pd_buf *b, const char *line, size_t len)
{
    size_t col = 0, from = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == '\t') {
            pd_buf_append(b, line + from, i - from);
            size_t to = col + PD_TABSTOP - col % PD_TABSTOP;
            pd_buf_repeat(b, ' ', to - col);
            col = to;
            from = i + 1;
        } else if (c < 0x20 || c == 0x7f) {
            /* A control byte (NUL, ESC...) echoed raw could cut the text
             * short or drive the reader's terminal: show it as `?`, one
             * column, as pd_column counts it. */
            pd_buf_append(b, line + from, i - from);
            pd_buf_puts(b, "?");
            col++;
            from = i + 1;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    pd_buf_append(b, line + from, len - from);
}

static const char *pd_severity_name(pd_severity s)
{
    return s == PD_ERROR ? "error" : s == PD_WARNING ? "warning" : "note";
}

static const char *pd_severity_color(pd_severity s)
{
    return s == PD_ERROR ? PD_RED : s == PD_WARNING ? PD_MAGENTA : PD_CYAN;
}

/* "file:line:col: error: message [code]" (no location when there is no
 * span; the code only when given). */
static void pd_header(pd_buf *b, ps_sources *src, const ps_span *span, pd_severity sev,
                      const char *msg, const char *code, bool color)
{
    if (span && span->file < src->nfiles) {
        uint32_t line, col;
        ps_position(src, span->file, span->start, &line, &col);
        pd_paint(b, color, PD_BOLD);
        pd_buf_printf(b, "%s:%u:%u: ", src->files[span->file].name, line, col);
        pd_paint(b, color, PD_RESET);
    }
    pd_paint(b, color, pd_severity_color(sev));
    pd_buf_printf(b, "%s: ", pd_severity_name(sev));
    pd_paint(b, color, PD_RESET);
    if (sev != PD_NOTE)
        pd_paint(b, color, PD_BOLD);
    pd_buf_puts(b, msg);
    if (sev != PD_NOTE)
        pd_paint(b, color, PD_RESET);
    if (code)
        pd_buf_printf(b, " [%s]", code);
    pd_buf_puts(b, "\n");
}

static int pd_digits(uint32_t v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* The empty gutter of the caret and fix-it lines: "      | ". */
static void pd_gutter(pd_buf *b, int width)
{
    pd_buf_repeat(b, ' ', (size_t)width + 1);
    pd_buf_puts(b, " | ");
}

/*    12 |   require "two years": experiance >= 2
 *       |                        ^~~~~~~~~~
 *       |                        experience        (the fix, when there is one) */
static void pd_snippet(pd_buf *b, ps_sources *src, const ps_span *span, const char *fix,
                       bool color)
{
    if (span->file >= src->nfiles)
        return;
    uint32_t line, col, len;
    ps_position(src, span->file, span->start, &line, &col);
    const char *text = ps_line_text(src, span->file, line, &len);
    int width = pd_digits(line) < 4 ? 4 : pd_digits(line);
    pd_buf_printf(b, " %*u | ", width, line);
    pd_expanded(b, text, len);
    pd_buf_puts(b, "\n");

    /* A span running past its line is underlined to the end of the line. */
    size_t from = col - 1 < len ? col - 1 : len;
    size_t to = from + (span->end > span->start ? span->end - span->start : 0);
    if (to > len)
        to = len;
    size_t c0 = pd_column(text, from), c1 = pd_column(text, to);
    pd_gutter(b, width);
    pd_buf_repeat(b, ' ', c0);
    pd_paint(b, color, PD_GREEN);
    pd_buf_puts(b, "^");
    if (c1 > c0 + 1)
        pd_buf_repeat(b, '~', c1 - c0 - 1);
    pd_paint(b, color, PD_RESET);
    pd_buf_puts(b, "\n");

    if (fix && !strchr(fix, '\n')) {
        pd_gutter(b, width);
        pd_buf_repeat(b, ' ', c0);
        pd_paint(b, color, PD_GREEN);
        pd_buf_puts(b, fix);
        pd_paint(b, color, PD_RESET);
        pd_buf_puts(b, "\n");
    }
}

void pd_render_text(const pd_list *l, ps_sources *src, bool color, pd_buf *out)
{
    pd_render_text_coded(l, src, color, false, out);
}

void pd_render_text_coded(const pd_list *l, ps_sources *src, bool color, bool codes, pd_buf *out)
{
    for (const pd_diag *d = l->head; d; d = d->next) {
        const ps_span *span = d->has_span ? &d->span : NULL;
        pd_header(out, src, span, d->severity, d->message, codes ? d->code : NULL, color);
        if (span)
            pd_snippet(out, src, span, d->fix, color);
        for (const pd_note *n = d->notes; n; n = n->next) {
            const ps_span *ns = n->has_span ? &n->span : NULL;
            pd_header(out, src, ns, PD_NOTE, n->message, NULL, color);
            if (ns)
                pd_snippet(out, src, ns, NULL, color);
        }
    }
}

/* ---- JSON ------------------------------------------------------------------ */

/* A JSON string; bytes that are not UTF-8 (a message may quote source text)
 * become U+FFFD so that the output always parses. */
void pd_json_str(pd_buf *b, const char *s)
{
    if (s)
        pu_escape_json(b, s, strlen(s));
    else
        pd_buf_puts(b, "null");
}

static void pd_json_position(pd_buf *b, ps_sources *src, const ps_span *span, bool end)
{
    if (!span || span->file >= src->nfiles) {
        pd_buf_puts(b, "\"file\":null,\"line\":null,\"column\":null");
        if (end)
            pd_buf_puts(b, ",\"end_line\":null,\"end_column\":null");
        return;
    }
    uint32_t line, col;
    ps_position(src, span->file, span->start, &line, &col);
    pd_buf_puts(b, "\"file\":");
    pd_json_str(b, src->files[span->file].name);
    pd_buf_printf(b, ",\"line\":%u,\"column\":%u", line, col);
    if (end) {
        ps_position(src, span->file, span->end > span->start ? span->end : span->start, &line, &col);
        pd_buf_printf(b, ",\"end_line\":%u,\"end_column\":%u", line, col);
    }
}

void pd_render_json(const pd_list *l, ps_sources *src, pd_buf *out)
{
    for (const pd_diag *d = l->head; d; d = d->next) {
        pd_buf_puts(out, "{");
        pd_json_position(out, src, d->has_span ? &d->span : NULL, true);
        pd_buf_printf(out, ",\"severity\":\"%s\",\"code\":", pd_severity_name(d->severity));
        pd_json_str(out, d->code);
        pd_buf_puts(out, ",\"message\":");
        pd_json_str(out, d->message);
        pd_buf_puts(out, ",\"notes\":[");
        for (const pd_note *n = d->notes; n; n = n->next) {
            pd_buf_puts(out, n == d->notes ? "{" : ",{");
            pd_json_position(out, src, n->has_span ? &n->span : NULL, false);
            pd_buf_puts(out, ",\"message\":");
            pd_json_str(out, n->message);
            pd_buf_puts(out, "}");
        }
        pd_buf_puts(out, "],\"fix\":");
        pd_json_str(out, d->fix);
        pd_buf_puts(out, "}\n");
    }
}
