/* Diagnostics as data. Stages append records (code, severity, span, message,
 * notes, optional fix); renderers print them as clang-style text or JSON. */
#ifndef PD_DIAG_H
#define PD_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "../source/source.h"
#include "../util/escape.h"
#include "codes.h"

typedef enum pd_severity { PD_ERROR, PD_WARNING, PD_NOTE } pd_severity;

typedef struct pd_note pd_note;
struct pd_note {
    ps_span span;
    bool has_span;
    const char *message;
    pd_note *next;
};

typedef struct pd_diag pd_diag;
struct pd_diag {
    const char *code;     /* stable id: a compiler code ("E0201", codes.h) or a lint code */
    pd_severity severity;
    ps_span span;
    bool has_span;        /* false for whole-file or command-level problems */
    const char *message;
    pd_note *notes;
    const char *fix;      /* replacement text for `span`, or NULL */
    pd_diag *next;
};

typedef struct pd_list {
    pm_arena *arena;
    pd_diag *head, *tail;
    unsigned errors, warnings;
    unsigned max_errors;  /* errors past this are counted but not recorded */
    bool truncated;
    bool oom;             /* a diagnostic could not be recorded */
} pd_list;

void pd_init(pd_list *l, pm_arena *arena, unsigned max_errors);
/* Records a diagnostic; returns it (to add notes) or NULL when dropped.
 * `span` may be NULL for a problem without a place. */
pd_diag *pd_add(pd_list *l, pd_severity sev, const char *code, const ps_span *span,
                const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
pd_diag *pd_vadd(pd_list *l, pd_severity sev, const char *code, const ps_span *span,
                 const char *fmt, va_list ap);
/* Records a compiler diagnostic: its code's text and severity come from the
 * table (codes.h), so the code must be one of it. As pd_add otherwise. */
pd_diag *pd_report(pd_list *l, pd_code code, const ps_span *span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* The table's columns for one code. */
const char *pd_code_name(pd_code code);      /* "E0401" */
pd_severity pd_code_severity(pd_code code);
const char *pd_code_summary(pd_code code);   /* one line, no final period */
/* The code named `name` ("E0401", in any case); false when there is none. */
bool pd_code_find(const char *name, pd_code *out);
/* Whether d was recorded under `code`. */
bool pd_diag_is(const pd_diag *d, pd_code code);
/* Adds a note to d (ignored when d is NULL). */
void pd_note_add(pd_list *l, pd_diag *d, const ps_span *span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void pd_set_fix(pd_list *l, pd_diag *d, const char *replacement);

/* A growable text buffer the renderers write into (malloc'd). */
typedef pu_buf pd_buf;
void pd_buf_printf(pd_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pd_buf_free(pd_buf *b);

/* file:line:col: error: message
 *    12 |   require "x": age >= 1O
 *       |                       ^~
 * file:line:col: note: ...                                   */
void pd_render_text(const pd_list *l, ps_sources *src, bool color, pd_buf *out);
/* One JSON object per line: {"file":..,"line":..,"column":..,"end_line":..,
 * "end_column":..,"severity":..,"code":..,"message":..,"notes":[..],"fix":..} */
void pd_render_json(const pd_list *l, ps_sources *src, pd_buf *out);
/* As pd_render_text; with `codes`, each message ends in its code the way
 * clang names a warning's flag: "warning: ... [PW101]". */
void pd_render_text_coded(const pd_list *l, ps_sources *src, bool color, bool codes, pd_buf *out);
/* `s` as a JSON string literal, quotes included (pu_escape_json); NULL
 * becomes null. */
void pd_json_str(pd_buf *b, const char *s);

/* ---- GitHub Actions annotations (github.c) ---------------------------------- */

/* One diagnostic as a workflow command; the notes already folded into the
 * message (a line each). Columns in code points, 0 for none. */
typedef struct pd_annotation {
    pd_severity severity;
    const char *code;             /* the title; NULL for none */
    const char *file;             /* NULL: no place */
    uint32_t line, column, end_line, end_column;
    const char *message;
} pd_annotation;
/* "::error file=..,line=..,endLine=..,col=..,endColumn=..,title=CODE::message\n",
 * escaped as GitHub asks. */
void pd_render_github(const pd_annotation *a, pd_buf *out);

/* ---- SARIF 2.1.0 (sarif.c) -------------------------------------------------- */

/* A rule a tool reports under one code: its one-line summary and the
 * severity it is reported with. */
typedef struct pd_rule {
    const char *code;
    pd_severity severity;
    const char *summary;
} pd_rule;

/* The reporting tool: runs[0].tool.driver. Each rule's helpUri is
 * `help_uri` followed by "#" and the code in lower case. */
typedef struct pd_sarif_tool {
    const char *name;
    const char *version;
    const char *information_uri;
    const char *help_uri;
    const pd_rule *rules;
    size_t nrules;
} pd_sarif_tool;

/* A rule's documentation, for code scanning: runs[0].tool.driver.rules[]
 * fullDescription (`title`), help (`markdown`, a line each; its text form
 * leaves out the code fences) and helpUri (`page`, or the tool's help_uri
 * when NULL, followed by "#" and the code in lower case). */
typedef struct pd_rule_doc {
    const char *code;
    const char *title;
    const char *const *markdown; /* NULL-terminated */
    const char *page;
} pd_rule_doc;

/* What a log says beyond its tool and results (pd_render_sarif_log). */
typedef struct pd_sarif_extra {
    const pd_rule_doc *docs;     /* each rule's documentation, by code */
    size_t ndocs;
    /* The absolute directory the relative artifact URIs are relative to
     * (where the tool ran): originalUriBaseIds["%SRCROOT%"]. NULL: left
     * for the consumer to resolve (GitHub: the checkout). */
    const char *srcroot;
    bool failed;                 /* invocations[0].executionSuccessful false */
} pd_sarif_extra;

/* Appends one SARIF result object per diagnostic of `l` to `results`,
 * separated by commas; *count is how many `results` already holds (updated).
 * Compilations free their sources, so each is rendered while it lives and
 * the pieces are joined by pd_render_sarif. Notes with a place become
 * relatedLocations; a fix becomes a SARIF fix. */
void pd_sarif_results(const pd_list *l, ps_sources *src, const pd_sarif_tool *tool, pd_buf *results,
                      size_t *count);
/* A file name as a SARIF artifact URI (a JSON string): relative names stay
 * relative, folded; absolute ones become file: URIs. For the reports that
 * are not diagnostics (`pathway test --mutate`). */
void pd_sarif_uri(pd_buf *b, const char *name);
/* A diagnostic known only by its place (a file's compile errors, read
 * back from their JSON), as a SARIF result appended to `results`. */
typedef struct pd_sarif_plain {
    const char *code;
    pd_severity severity;
    const char *message;         /* notes already folded in */
    const char *file;            /* NULL: no place */
    uint32_t line, column, end_line, end_column; /* columns in code points */
    const char *line_text;       /* the source line, for the fingerprint (may be NULL) */
    size_t line_len;
} pd_sarif_plain;
void pd_sarif_plain_result(const pd_sarif_plain *p, const pd_sarif_tool *tool, pd_buf *results,
                           size_t *count);
/* The code-point column of 1-based byte column `bytecol` of a line. */
uint32_t pd_sarif_codepoint_column(const char *line, size_t len, uint32_t bytecol);
/* The SARIF log: one run of `tool` holding `results` (from pd_sarif_results;
 * NULL for none). */
void pd_render_sarif(const pd_sarif_tool *tool, const char *results, pd_buf *out);
/* The same, with each rule's documentation, the source root and whether
 * the run succeeded (`extra` may be NULL). */
void pd_render_sarif_log(const pd_sarif_tool *tool, const pd_sarif_extra *extra, const char *results,
                         pd_buf *out);

#endif
