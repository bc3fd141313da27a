/* pathway eval's output: one JSON line (or a text report) per record, as
 * docs/coach-record.md (section 5) fixes it.
 *
 * Why it looks like this: a JSON line is mostly the same bytes for every
 * record (program ids, labels, the date), so those are escaped once per run
 * into eval_fmt and copied per record; only the record's id goes through the
 * escaper. Output is assembled in a buffer per batch of records and written
 * with write(2) in large pieces. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "api/api_int.h"
#include "eval.h"

/* ---- precomputed pieces ------------------------------------------------------ */

static eval_piece eval_piece_mark(const cli_buf *b, size_t from)
{
    return (eval_piece){from, b->len - from};
}

static inline void eval_put_piece(cli_buf *out, const eval_fmt *f, eval_piece pc)
{
    cli_buf_put(out, f->store.data + pc.off, pc.len);
}

static const char *const eval_status[] = {
    [PW_ELIGIBLE] = "eligible", [PW_NOT_ELIGIBLE] = "not_eligible",
    [PW_NOT_YET_IN_FORCE] = "not_yet_in_force", [PW_WITHDRAWN] = "withdrawn",
};

static void eval_json_date(cli_buf *b, pw_date d, pw_date open)
{
    char buf[11];
    if (d == open) {
        cli_buf_puts(b, "null");
        return;
    }
    pw_date_format(d, buf);
    cli_buf_printf(b, "\"%s\"", buf);
}

/* Programs with effective dates also say which version applied and, when
 * none is in force, why the coach cannot enrol ("status"). Undated programs
 * keep exactly the contract's shape. The period is the version's own, so
 * this depends only on the verdict. */
static void eval_fmt_status(eval_fmt *f, size_t p, pw_verdict v)
{
    pw_date from, until;
    pw_program_period(f->program, p, &from, &until);
    cli_buf_printf(&f->store, ",\"status\":\"%s\",\"in_force\":{\"from\":", eval_status[v]);
    eval_json_date(&f->store, from, PW_DATE_MIN);
    cli_buf_puts(&f->store, ",\"until\":");
    eval_json_date(&f->store, until, PW_DATE_MAX);
    cli_buf_puts(&f->store, "}");
}

/* A program's output up to its first unmet label, for each way it can
 * start, and every requirement label, escaped. */
static void eval_fmt_program(eval_fmt *f, size_t k, eval_piece *labels)
{
    eval_prog_fmt *pf = &f->progs[k];
    pf->p = f->o->progs[k];
    pf->dated = pw_program_dated(f->program, pf->p);
    for (int e = 0; e < 2; e++) {
        for (int v = PW_ELIGIBLE; v <= (pf->dated ? PW_WITHDRAWN : PW_ELIGIBLE); v++) {
            size_t at = f->store.len;
            cli_buf_puts(&f->store, k ? ",{\"program\":" : "{\"program\":");
            cli_buf_json_string(&f->store, pw_program_id(f->program, pf->p));
            cli_buf_puts(&f->store, e ? ",\"eligible\":true" : ",\"eligible\":false");
            if (pf->dated)
                eval_fmt_status(f, pf->p, (pw_verdict)v);
            cli_buf_puts(&f->store, ",\"unmet\":[");
            pf->open[e][v] = eval_piece_mark(&f->store, at);
        }
    }
    size_t n = pw_requirement_count(f->program, pf->p);
    for (size_t i = 0; i < n; i++) {
        pw_requirement info;
        size_t at = f->store.len;
        if (pw_requirement_info(f->program, pf->p, i, &info, NULL) == PW_OK)
            cli_buf_json_string(&f->store, info.label);
        labels[i] = eval_piece_mark(&f->store, at);
    }
    pf->labels = labels;
}

bool eval_fmt_init(eval_fmt *f, const pw_program *program, const eval_opts *o)
{
    memset(f, 0, sizeof *f);
    f->program = program;
    f->o = o;
    pw_date_format(o->as_of, f->as_of);
    size_t nlabels = 0;
    for (size_t k = 0; k < o->nprogs; k++)
        nlabels += pw_requirement_count(program, o->progs[k]);
    f->progs = calloc(o->nprogs ? o->nprogs : 1, sizeof *f->progs);
    f->labels = calloc(nlabels ? nlabels : 1, sizeof *f->labels);
    if (!f->progs || !f->labels)
        return false;
    cli_buf_printf(&f->store, ",\"as_of\":\"%s\",\"results\":[", f->as_of);
    f->results = eval_piece_mark(&f->store, 0);
    nlabels = 0;
    for (size_t k = 0; k < o->nprogs; k++) {
        eval_fmt_program(f, k, f->labels + nlabels);
        nlabels += pw_requirement_count(program, o->progs[k]);
    }
    return !f->store.oom;
}

void eval_fmt_fini(eval_fmt *f)
{
    free(f->progs);
    free(f->labels);
    cli_buf_free(&f->store);
}

/* ---- JSON lines ------------------------------------------------------------- */

static void eval_json_id(cli_buf *out, const char *id)
{
    if (id)
        cli_buf_json_string(out, id);
    else
        cli_buf_put(out, "null", 4);
}

/* The labels of nodes[0..n), comma-separated. */
static void eval_json_labels(cli_buf *out, const eval_fmt *f, const eval_prog_fmt *pf,
                             const uint32_t *nodes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            cli_buf_put(out, ",", 1);
        eval_put_piece(out, f, pf->labels[nodes[i]]);
    }
}

static void eval_write_jsonl(const eval_fmt *f, const pw_context *ctx, const char *id, cli_buf *out)
{
    cli_buf_put(out, "{\"id\":", 6);
    eval_json_id(out, id);
    eval_put_piece(out, f, f->results);
    for (size_t k = 0; k < f->o->nprogs; k++) {
        const eval_prog_fmt *pf = &f->progs[k];
        int v = pf->dated ? (int)pw_result_verdict(ctx, pf->p) : PW_ELIGIBLE;
        eval_put_piece(out, f, pf->open[pw_result_eligible(ctx, pf->p)][v]);
        const uint32_t *nodes = pw_result_nodes(ctx, pf->p);
        size_t unmet = pw_result_unmet_count(ctx, pf->p);
        eval_json_labels(out, f, pf, nodes, unmet);
        cli_buf_put(out, "],\"preferred_unmet\":[", 21);
        eval_json_labels(out, f, pf, nodes + unmet, pw_result_preferred_unmet_count(ctx, pf->p));
        cli_buf_put(out, "]}", 2);
    }
    cli_buf_put(out, "]}\n", 3);
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
        if (pw_requirement_info(r->f->program, p, i, &info, NULL) != PW_OK || info.depth < depth)
            break;
        if (info.depth != depth)
            continue;
        pw_outcome o = pw_result_outcome(r->ctx, p, i);
        cli_buf_printf(r->out, "%*s- ", 21 + 2 * (int)depth, "");
        cli_buf_text(r->out, info.label);
        cli_buf_printf(r->out, ": %s\n", eval_outcome_word(o));
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
        if (pw_requirement_info(r->f->program, p, i, &info, NULL) != PW_OK || info.depth != 0 ||
            pw_result_outcome(r->ctx, p, i) != PW_UNMET)
            continue;
        const char *what = info.role == PW_ROLE_REQUIRE ? "missing"
                           : info.role == PW_ROLE_PREFER ? "preferred, not met" : "note";
        cli_buf_printf(r->out, "                     %s: ", what);
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

static void eval_write_text(const eval_report *r, const char *id)
{
    static const char *const word[] = {
        [PW_ELIGIBLE] = "eligible", [PW_NOT_ELIGIBLE] = "not eligible",
        [PW_NOT_YET_IN_FORCE] = "not yet in force", [PW_WITHDRAWN] = "withdrawn",
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
        if (r->f->progs[k].dated)
            eval_write_period(r, p);
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
        eval_write_jsonl(f, ctx, id, &s->out);
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
