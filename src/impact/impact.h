/* Impact of rules on a population (pathway report, pathway diff): what a
 * rule set decides for a whole membership, and what changes between two
 * versions of it. Built on the public API only (include/pathway.h); nothing
 * here reads facts or prints: the command line streams the records, calls
 * pi_*_record once per coach on each thread's own tallies, merges the
 * tallies, and renders them (render_*.c) into a stdio stream it owns.
 *
 * Tallies are flat arrays of counters laid out by a read-only plan, so that
 * a thread's tallies are one allocation, merging is adding arrays, and
 * memory does not depend on the size of the population. docs/impact.md
 * defines every number. */
#ifndef PI_IMPACT_H
#define PI_IMPACT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pathway.h"

/* ---- a program version as the tools see it ---------------------------------- */

typedef struct pi_prog {
    size_t p;              /* the version's index in its pw_program */
    const char *id, *title;/* title NULL when none */
    size_t *reqs;          /* its top-level `require` nodes, declaration order */
    const char **labels;   /* and their labels */
    size_t nreqs;
    bool windowed;         /* the version has an enrolment window */
} pi_prog;

/* Fills `out` with the version of `first` (a first version) that applies on
 * `date`. False when out of memory. */
bool pi_prog_init(pi_prog *out, const pw_program *program, size_t first, pw_date date);
void pi_prog_fini(pi_prog *p);

/* ---- report: one rule set over a population --------------------------------- */

typedef struct pi_report {
    const pw_program *program;
    pw_date as_of;
    pi_prog *progs;        /* every program, declaration order */
    size_t nprogs;
    size_t *base;          /* per program: its first counter */
    size_t ncounters;
} pi_report;

/* Counters of a report: per program, eligible, not in force, closed and not
 * yet open for enrolment (in force, outside its window), then per top-level
 * require the coaches not eligible for whom it is unmet. */
enum { PI_R_ELIGIBLE, PI_R_NOT_IN_FORCE, PI_R_CLOSED, PI_R_NOT_YET_OPEN, PI_R_UNMET };

bool pi_report_init(pi_report *r, const pw_program *program, pw_date as_of, pw_error *err);
void pi_report_fini(pi_report *r);
/* The versions to evaluate, for pw_evaluate: r->progs[k].p. After every one
 * of them was evaluated in ctx, counts the coach into `counts`. */
void pi_report_record(const pi_report *r, const pw_context *ctx, uint64_t *counts);

/* ---- diff: two rule sets, or one at two dates --------------------------------- */

typedef enum pi_pair_kind { PI_SAME, PI_RENAMED, PI_REMOVED, PI_ADDED } pi_pair_kind;

/* Bits of pi_req_change.what and pi_pair.what. */
enum {
    PI_W_CONDITION = 1, /* pw_requirement_fingerprint differs */
    PI_W_ROLE = 2,      /* require / prefer / advise */
    PI_W_CITATION = 4,
    PI_W_PERIOD = 8,    /* effective period */
    PI_W_TITLE = 16,    /* programs only */
    PI_W_WINDOW = 32    /* enrolment window; programs only */
};

typedef enum pi_req_change_kind { PI_REQ_ADDED, PI_REQ_REMOVED, PI_REQ_CHANGED } pi_req_change_kind;

typedef struct pi_req_change {
    pi_req_change_kind kind;
    const char *label;
    const char *role;     /* "require", "prefer", "advise": the new one, else the old */
    unsigned what;        /* PI_REQ_CHANGED: PI_W_* */
} pi_req_change;

/* A program of the old rules matched with one of the new (same id, or
 * renamed), or one that only one side has. */
typedef struct pi_pair {
    pi_pair_kind kind;
    const char *renamed_by; /* PI_RENAMED: "title" or "requirements" */
    bool has_old, has_new;
    pi_prog old, new;
    unsigned what;          /* PI_W_TITLE, PI_W_PERIOD of the versions */
    pi_req_change *changes; /* top-level requirements, all roles */
    size_t nchanges;
    size_t base;            /* first counter */
} pi_pair;

/* Counters of a pair: before, after, gained, lost, gained/lost where the
 * other side was not in force or absent, then per old require the gained
 * coaches it had blocked, then per new require the lost coaches it blocks. */
enum { PI_D_BEFORE, PI_D_AFTER, PI_D_GAINED, PI_D_LOST, PI_D_GAINED_OTHER, PI_D_LOST_OTHER, PI_D_REASONS };

typedef struct pi_diff {
    const pw_program *old, *new;
    pw_date old_date, new_date;
    pi_pair *pairs;   /* old's declaration order, then the added programs */
    size_t npairs;
    size_t ncounters;
    size_t max_reasons; /* the most reasons one change can have */
} pi_diff;

bool pi_diff_init(pi_diff *d, const pw_program *old, pw_date old_date, const pw_program *new,
                  pw_date new_date, pw_error *err);
void pi_diff_fini(pi_diff *d);

typedef enum pi_change { PI_GAINED, PI_LOST } pi_change;

/* One coach whose eligibility for one program changed. */
typedef struct pi_affected {
    const pi_pair *pair;
    pi_change change;
    const char **reasons; /* labels; or one of "(program added)", "(program removed)",
                           * "(not in force)" */
    size_t nreasons;
} pi_affected;

typedef void (*pi_affected_fn)(void *user, const pi_affected *a);

/* After before's pairs' old versions were evaluated in `before` and the new
 * ones in `after`, counts the coach and calls `fn` (when not NULL) for each
 * program whose eligibility changed, in pair order. `scratch` holds
 * d->max_reasons pointers. */
void pi_diff_record(const pi_diff *d, const pw_context *before, const pw_context *after, uint64_t *counts,
                    const char **scratch, pi_affected_fn fn, void *user);

/* ---- rendering (render_report.c, render_diff.c, render_html.c) ----------------- */

/* What the tallies cover. */
typedef struct pi_totals {
    uint64_t records; /* evaluated */
    uint64_t bad;     /* could not be evaluated, not counted */
} pi_totals;

typedef enum pi_format { PI_TEXT, PI_JSON, PI_CSV, PI_HTML } pi_format;

typedef struct pi_report_view {
    const pi_report *r;
    const uint64_t *counts;
    pi_totals totals;
    const char *rules;  /* the rules' name, as given */
    unsigned top;       /* text and HTML: unmet requirements shown per program */
} pi_report_view;

/* False when the stream reports an error or memory ran out. */
bool pi_render_report(FILE *out, const pi_report_view *v, pi_format format);
bool pi_render_report_html(FILE *out, const pi_report_view *v);

typedef struct pi_diff_view {
    const pi_diff *d;
    const uint64_t *counts;
    pi_totals totals;
    const char *old_rules, *new_rules;
} pi_diff_view;

bool pi_render_diff(FILE *out, const pi_diff_view *v, pi_format format);

/* Shared by the renderers: "62.0%" style shares and CSV fields. */
double pi_share(uint64_t part, uint64_t whole);
bool pi_csv_field(FILE *out, const char *s); /* false: out of memory */

#endif
