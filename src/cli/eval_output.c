/* pathway eval's output: one JSON line (or a text report) per record, as
 * docs/coach-record.md (section 5) fixes it. The JSON line is the library's
 * (pw_result_format, src/api/api_json.c), so that a host calling
 * pw_eval_json gets the same bytes. Output is assembled in a buffer per
 * batch of records and written with write(2) in large pieces. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "api/tools.h"
#include "bc/decision.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "util/assert.h"
#include "vm/vm.h"
#include "eval.h"

/* ---- the JSON line: the library's renderer -------------------------------------- */

bool eval_fmt_init(eval_fmt *f, const pw_program *program, const eval_opts *o)
{
    memset(f, 0, sizeof *f);
    f->program = program;
    f->o = o;
    pw_date_format(o->as_of, f->as_of);
    return pw_result_format_new(program, o->as_of, o->progs, o->nprogs, &f->json, NULL) == PW_OK;
}

void eval_fmt_fini(eval_fmt *f)
{
    pw_result_format_free(f->json);
    f->json = NULL;
}

static void eval_json_id(cli_buf *out, const char *id)
{
    if (id)
        cli_buf_json_string(out, id);
    else
        cli_buf_put(out, "null", 4);
}

/* ---- text reports ------------------------------------------------------------ */

/* The report, not a hot path: it reads everything through the public API. */
typedef struct eval_report {
    const eval_fmt *f;
    const pw_context *ctx;
    cli_buf *out;
} eval_report;

static const char *eval_outcome_word(pw_outcome o)
{
    return o == PW_MET ? "met" : o == PW_UNMET ? "not met"
           : o == PW_NOT_IN_FORCE ? "not in force on this date" : "not evaluated";
}

/* The members of an unmet group under it, each with its outcome, so that the
 * report says which way to qualify came closest. */
static void eval_write_members(const eval_report *r, size_t p, size_t group, unsigned depth)
{
    pw_requirement info;
    size_t n = pw_requirement_count(r->f->program, p);
    for (size_t i = group + 1; i < n; i++) {
        /* It fails only for an index past pw_requirement_count. */
        pw_status st = pw_requirement_info(r->f->program, p, i, &info, NULL);
        if (PU_NEVER(st != PW_OK) || info.depth < depth)
            break;
        if (info.depth != depth)
            continue;
        pw_outcome o = pw_result_outcome(r->ctx, p, i);
        cli_buf_printf(r->out, "%*s- ", 21 + 2 * (int)depth, "");
        cli_buf_text(r->out, info.label);
        cli_buf_printf(r->out, ": %s", eval_outcome_word(o));
        const char *who = NULL;
        int decided = pt_result_decision(r->ctx, p, i, &who);
        if (decided >= 0) {
            cli_buf_printf(r->out, " (%s", decided == PB_DECIDED_NO ? "refused by " : "needs a decision by ");
            cli_buf_text(r->out, who);
            cli_buf_put(r->out, ")", 1);
        }
        cli_buf_put(r->out, "\n", 1);
        if (info.kind != PW_REQ_SINGLE && o == PW_UNMET)
            eval_write_members(r, p, i, depth + 1);
    }
}

/* Requirements in declaration order: what is missing (with a group's
 * members), preferences not met, and advice. */
static void eval_write_reasons(const eval_report *r, size_t p)
{
    pw_requirement info;
    size_t n = pw_requirement_count(r->f->program, p);
    for (size_t i = 0; i < n; i++) {
        pw_status st = pw_requirement_info(r->f->program, p, i, &info, NULL);
        if (PU_NEVER(st != PW_OK) || info.depth != 0 || pw_result_outcome(r->ctx, p, i) != PW_UNMET)
            continue;
        const char *what = info.role == PW_ROLE_REQUIRE ? "missing"
                           : info.role == PW_ROLE_PREFER ? "preferred, not met" : "note";
        const char *who = NULL;
        int decided = pt_result_decision(r->ctx, p, i, &who);
        if (decided >= 0) {
            /* A decision to be made is not a missing fact. */
            cli_buf_printf(r->out, "                     %s",
                           decided == PB_DECIDED_NO ? "refused by " : "needs a decision by ");
            cli_buf_text(r->out, who);
            cli_buf_put(r->out, ": ", 2);
        } else {
            cli_buf_printf(r->out, "                     %s: ", what);
        }
        cli_buf_text(r->out, info.label); /* a label may hold "\n" */
        cli_buf_put(r->out, "\n", 1);
        if (info.kind != PW_REQ_SINGLE && info.role != PW_ROLE_ADVISE)
            eval_write_members(r, p, i, 1);
    }
}

/* "in force from 2026-06-01 until 2027-08-31", for dated programs. */
static void eval_write_period(const eval_report *r, size_t p)
{
    pw_date from, until;
    pw_program_period(r->f->program, p, &from, &until);
    char a[11] = "", b[11] = "";
    if (from != PW_DATE_MIN)
        pw_date_format(from, a);
    if (until != PW_DATE_MAX)
        pw_date_format(until, b);
    pw_verdict v = pw_result_verdict(r->ctx, p);
    const char *lead = v == PW_NOT_YET_IN_FORCE ? "takes effect" : v == PW_WITHDRAWN ? "was in force"
                                                                                   : "version in force";
    cli_buf_printf(r->out, "                     %s", lead);
    if (from != PW_DATE_MIN)
        cli_buf_printf(r->out, " from %s", a);
    if (until != PW_DATE_MAX)
        cli_buf_printf(r->out, " until %s", b);
    cli_buf_put(r->out, "\n", 1);
}

/* "closed for enrolment on 2027-06-15", "opens for enrolment on
 * 2027-03-01", or the window while it is open, for programs with one. */
static void eval_write_window(const eval_report *r, size_t p)
{
    pw_date opens, closes;
    pw_program_window(r->f->program, p, &opens, &closes);
    char a[11] = "", b[11] = "";
    if (opens != PW_DATE_MIN)
        pw_date_format(opens, a);
    if (closes != PW_DATE_MAX)
        pw_date_format(closes, b);
    pw_verdict v = pw_result_verdict(r->ctx, p);
    if (v == PW_CLOSED) {
        cli_buf_printf(r->out, "                     closed for enrolment on %s\n", b);
        return;
    }
    if (v == PW_NOT_YET_OPEN) {
        cli_buf_printf(r->out, "                     opens for enrolment on %s\n", a);
        return;
    }
    cli_buf_puts(r->out, "                     open for enrolment");
    if (opens != PW_DATE_MIN)
        cli_buf_printf(r->out, " from %s", a);
    if (closes != PW_DATE_MAX)
        cli_buf_printf(r->out, " until %s", b);
    cli_buf_put(r->out, "\n", 1);
}

static void eval_write_text(const eval_report *r, const char *id)
{
    static const char *const word[] = {
        [PW_ELIGIBLE] = "eligible", [PW_NOT_ELIGIBLE] = "not eligible",
        [PW_NOT_YET_IN_FORCE] = "not yet in force", [PW_WITHDRAWN] = "withdrawn",
        [PW_VERDICT_NOT_EVALUATED] = "not eligible", [PW_VERDICT_NO_PROGRAM] = "not eligible",
        [PW_NOT_YET_OPEN] = "not yet open", [PW_CLOSED] = "closed",
    };
    const pw_program *prog = r->f->program;
    cli_buf_text(r->out, id ? id : "(record without id)");
    cli_buf_printf(r->out, " (as of %s)\n", r->f->as_of);
    for (size_t k = 0; k < r->f->o->nprogs; k++) {
        size_t p = r->f->o->progs[k];
        const char *title = pw_program_title(prog, p);
        pw_verdict v = pw_result_verdict(r->ctx, p);
        cli_buf_printf(r->out, "  %-16s %s", word[v], pw_program_id(prog, p));
        if (title) {
            cli_buf_puts(r->out, " (");
            cli_buf_text(r->out, title);
            cli_buf_puts(r->out, ")");
        }
        cli_buf_put(r->out, "\n", 1);
        if (pw_program_dated(prog, p))
            eval_write_period(r, p);
        if (pw_program_has_window(prog, p) && v != PW_NOT_YET_IN_FORCE && v != PW_WITHDRAWN)
            eval_write_window(r, p);
        eval_write_reasons(r, p);
    }
    cli_buf_put(r->out, "\n", 1);
}

void eval_write_result(const eval_fmt *f, const pw_context *ctx, const char *id, eval_sink *s)
{
    if (f->o->text) {
        eval_report r = {f, ctx, &s->out};
        eval_write_text(&r, id);
    } else {
        pt_result_format_append(f->json, ctx, id, &s->out);
    }
}

/* ---- errors ------------------------------------------------------------------ */

static void eval_note_add(eval_sink *s, size_t off)
{
    if (s->nnotes == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        eval_note *n = realloc(s->notes, cap * sizeof *n);
        if (!n) {
            s->oom = true;
            return;
        }
        s->notes = n;
        s->cap = cap;
    }
    s->notes[s->nnotes++] = (eval_note){s->out.len, off, s->err.len - off};
}

void eval_write_error(const eval_fmt *f, eval_sink *s, const char *id, const char *where, const char *msg)
{
    if (f->o->text) {
        cli_buf_text(&s->out, id ? id : "(record without id)");
        cli_buf_puts(&s->out, ": error: ");
        cli_buf_text(&s->out, msg);
        cli_buf_puts(&s->out, "\n\n");
    } else {
        cli_buf_put(&s->out, "{\"id\":", 6);
        eval_json_id(&s->out, id);
        cli_buf_put(&s->out, ",\"error\":", 9);
        cli_buf_json_string(&s->out, msg);
        cli_buf_put(&s->out, "}\n", 2);
    }
    eval_write_note(s, id, where, msg); /* counts the record as bad */
}

void eval_write_note(eval_sink *s, const char *id, const char *where, const char *msg)
{
    s->bad++;
    size_t off = s->err.len;
    /* Every piece may hold text from the facts (the file's name, the id, a
     * value the message quotes): all of it shown as terminal text. */
    cli_buf_text(&s->err, where);
    if (id) {
        cli_buf_puts(&s->err, ": error: record \"");
        cli_buf_text(&s->err, id);
        cli_buf_puts(&s->err, "\": ");
    } else {
        cli_buf_puts(&s->err, ": error: record without an id: ");
    }
    cli_buf_text(&s->err, msg);
    cli_buf_puts(&s->err, "\n");
    eval_note_add(s, off);
}

/* ---- writing ----------------------------------------------------------------- */

void eval_sink_clear(eval_sink *s)
{
    s->out.len = 0;
    s->err.len = 0;
    s->nnotes = 0;
    s->bad = 0;
}

void eval_sink_free(eval_sink *s)
{
    cli_buf_free(&s->out);
    cli_buf_free(&s->err);
    free(s->notes);
    memset(s, 0, sizeof *s);
}

static void eval_write_fd(eval_writer *w, const char *p, size_t n)
{
    while (n && !w->failed) {
        ssize_t k = write(w->fd, p, n);
        if (k < 0) {
            if (errno != EINTR)
                w->failed = true;
            continue;
        }
        p += k;
        n -= (size_t)k;
    }
}

void eval_sink_flush(eval_sink *s, eval_writer *w)
{
    if (s->oom || s->out.oom || s->err.oom)
        w->oom = true;
    size_t at = 0;
    for (size_t i = 0; i < s->nnotes; i++) {
        const eval_note *n = &s->notes[i];
        if (n->out_at > at)
            eval_write_fd(w, s->out.data + at, n->out_at - at);
        at = n->out_at;
        fwrite(s->err.data + n->off, 1, n->len, stderr);
    }
    if (s->out.len > at)
        eval_write_fd(w, s->out.data + at, s->out.len - at);
    eval_sink_clear(s);
    s->oom = s->out.oom = s->err.oom = false;
}
