/* The eval line: one JSON object per coach, as `pathway eval` prints it
 * (docs/coach-record.md, "eval output"). The command line and
 * pw_eval_json share this code.
 *
 * Why it looks like this: a JSON line is mostly the same bytes for every
 * record (program ids, labels, the date), so those are escaped once, into
 * the format's store, and copied per record; only the record's id goes
 * through the escaper. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "util/assert.h"
#include "bc/decision.h"
#include "util/date.h"
#include "util/escape.h"

/* A piece of precomputed output: bytes [off, off + len) of the store. */
typedef struct pwj_piece {
    size_t off, len;
} pwj_piece;

/* One selected program's constant output. */
typedef struct pwj_prog {
    size_t p;               /* the program version */
    bool dated;
    bool windowed;          /* the version has an enrolment window */
    bool decided;           /* has a requirement a person decides: "awaiting_decision" */
    /* Per eligible (0, 1) and, for a dated or windowed program, pw_verdict:
     * [,]{"program":"level_2","eligible":false[,"status":...[,"in_force":{...}]
     * [,"enrolment":{...}]],"unmet":[ */
    pwj_piece open[2][PW_CLOSED + 1];
    const pwj_piece *labels; /* per requirement node: its label as a JSON string */
} pwj_prog;
_Static_assert(sizeof(pwj_prog) % _Alignof(size_t) == 0, "pw_result_format's index array follows its pwj_progs");

struct pw_result_format {
    const pw_program *program;
    pw_date as_of;
    size_t nprogs;
    pwj_piece results;      /* ,"as_of":"2026-11-23","results":[ */
    pwj_prog *progs;
    size_t *prog_index;     /* nprogs: each one's program index, for pwi_evaluate_list;
                             * in the block of progs */
    pwj_piece *labels;      /* backs every pwj_prog.labels */
    pu_buf store;
};

static pwj_piece pwj_mark(const pu_buf *b, size_t from)
{
    return (pwj_piece){from, b->len - from};
}

static inline void pwj_put_piece(pu_buf *out, const pw_result_format *f, pwj_piece pc)
{
    pu_buf_put(out, f->store.data + pc.off, pc.len);
}

static const char *const pwj_status[] = {
    [PW_ELIGIBLE] = "eligible", [PW_NOT_ELIGIBLE] = "not_eligible",
    [PW_NOT_YET_IN_FORCE] = "not_yet_in_force", [PW_WITHDRAWN] = "withdrawn",
    [PW_NOT_YET_OPEN] = "not_yet_open", [PW_CLOSED] = "closed",
};

static void pwj_date(pu_buf *b, pw_date d, pw_date open)
{
    char buf[11];
    if (d == open) {
        pu_buf_puts(b, "null");
        return;
    }
    pw_date_format(d, buf);
    pu_buf_printf(b, "\"%s\"", buf);
}

/* Programs with effective dates also say which version applied and, when
 * none is in force, why the coach cannot enrol ("status"). Undated programs
 * keep exactly the contract's shape. The period is the version's own, so
 * this depends only on the verdict. */
static void pwj_fmt_status(pw_result_format *f, const pwj_prog *pf, pw_verdict v)
{
    pw_date from, until;
    pu_buf_printf(&f->store, ",\"status\":\"%s\"", pwj_status[v]);
    if (pf->dated) {
        pw_program_period(f->program, pf->p, &from, &until);
        pu_buf_puts(&f->store, ",\"in_force\":{\"from\":");
        pwj_date(&f->store, from, PW_DATE_MIN);
        pu_buf_puts(&f->store, ",\"until\":");
        pwj_date(&f->store, until, PW_DATE_MAX);
        pu_buf_puts(&f->store, "}");
    }
    /* A program with an enrolment window says when it opens and closes, so
     * that "closed" comes with its day. */
    if (pf->windowed) {
        pw_program_window(f->program, pf->p, &from, &until);
        pu_buf_puts(&f->store, ",\"enrolment\":{\"opens\":");
        pwj_date(&f->store, from, PW_DATE_MIN);
        pu_buf_puts(&f->store, ",\"closes\":");
        pwj_date(&f->store, until, PW_DATE_MAX);
        pu_buf_puts(&f->store, "}");
    }
}

/* Whether a verdict can be a status line of this program (its slot in open[][]
 * is filled): every verdict the VM gives a dated or windowed program. */
static bool pwj_has_status(const pwj_prog *pf, int v)
{
    if (v == PW_ELIGIBLE || v == PW_NOT_ELIGIBLE)
        return true;
    if (v == PW_NOT_YET_IN_FORCE || v == PW_WITHDRAWN)
        return pf->dated;
    return (v == PW_NOT_YET_OPEN || v == PW_CLOSED) && pf->windowed;
}

static bool pwj_program_decided(const pw_program *program, size_t p)
{
    const pb_prog *pr = &program->img->progs[p];
    for (uint32_t i = 0; i < pr->nreqs; i++)
        if (pb_decision(program->img, pr->first_req + i, NULL) != PB_NO_DECISION)
            return true;
    return false;
}

/* `,"awaiting_decision":[...]`: the `require`s (or their members) a
 * person decides that no decision has been recorded for, in order. */
static void pwj_awaiting(pu_buf *out, const pw_result_format *f, const pwj_prog *pf, const pw_context *ctx)
{
    pu_buf_put(out, ",\"awaiting_decision\":[", 22);
    const pb_image *img = f->program->img;
    const pb_prog *pr = &img->progs[pf->p];
    bool first = true;
    for (uint32_t i = 0; i < pr->nreqs; i++) {
        if (img->reqs[pr->first_req + i].role != PB_ROLE_REQUIRE ||
            pt_result_decision(ctx, pf->p, i, NULL) != PB_DECIDED_NOTHING)
            continue;
        if (!first)
            pu_buf_put(out, ",", 1);
        first = false;
        pwj_put_piece(out, f, pf->labels[i]);
    }
    pu_buf_put(out, "]", 1);
}

/* A program's output up to its first unmet label, for each way it can
 * start, and every requirement label, escaped. */
static void pwj_fmt_program(pw_result_format *f, size_t k, size_t p, pwj_piece *labels)
{
    pwj_prog *pf = &f->progs[k];
    pf->p = p;
    pf->dated = pw_program_dated(f->program, p);
    pf->windowed = pw_program_has_window(f->program, p);
    pf->decided = pwj_program_decided(f->program, p);
    for (int e = 0; e < 2; e++) {
        for (int v = PW_ELIGIBLE; v <= PW_CLOSED; v++) {
            /* Undated programs without a window have one shape, the contract's. */
            if (v > PW_ELIGIBLE && !pf->dated && !pf->windowed)
                break;
            if (!pwj_has_status(pf, v))
                continue;
            size_t at = f->store.len;
            pu_buf_puts(&f->store, k ? ",{\"program\":" : "{\"program\":");
            pu_buf_json_string(&f->store, pw_program_id(f->program, p));
            pu_buf_puts(&f->store, e ? ",\"eligible\":true" : ",\"eligible\":false");
            if (pf->dated || pf->windowed)
                pwj_fmt_status(f, pf, (pw_verdict)v);
            pu_buf_puts(&f->store, ",\"unmet\":[");
            pf->open[e][v] = pwj_mark(&f->store, at);
        }
    }
    size_t n = pw_requirement_count(f->program, p);
    for (size_t i = 0; i < n; i++) {
        pw_requirement info;
        size_t at = f->store.len;
        pw_status st = pw_requirement_info(f->program, p, i, &info, NULL);
        if (PU_ALWAYS(st == PW_OK)) /* i < n */
            pu_buf_json_string(&f->store, info.label);
        labels[i] = pwj_mark(&f->store, at);
    }
    pf->labels = labels;
}

/* The selection eval makes when none is given: every program's version
 * that applies on as_of, in declaration order. */
static size_t pwj_default_progs(const pw_program *program, pw_date as_of, size_t *progs)
{
    size_t n = 0;
    for (size_t i = 0; i < pw_program_count(program); i++)
        if (pw_program_is_first_version(program, i))
            progs[n++] = pw_program_version_at(program, i, as_of);
    return n;
}

pw_status pw_result_format_new(const pw_program *program, pw_date as_of, const size_t *progs,
                               size_t nprogs, pw_result_format **out, pw_error *err)
{
    if (!program || !out || (nprogs && !progs))
        return pwi_fail(err, PW_ERR_USAGE, "pw_result_format_new: NULL argument");
    *out = NULL;
    /* The line writes the date as YYYY-MM-DD: only the years facts and
     * --as-of take (explain, when and plan refuse the same). */
    if (as_of < pu_from_ymd(PU_YEAR_MIN, 1, 1) || as_of > pu_from_ymd(PU_YEAR_MAX, 12, 31))
        return pwi_fail(err, PW_ERR_USAGE, "the evaluation date is outside the years %d-%d", PU_YEAR_MIN,
                        PU_YEAR_MAX);
    size_t count = pw_program_count(program);
    for (size_t k = 0; k < nprogs; k++)
        if (progs[k] >= count)
            return pwi_fail(err, PW_ERR_USAGE, "pw_result_format_new: no program %zu", progs[k]);
    pw_result_format *f = calloc(1, sizeof *f);
    size_t *chosen = progs ? NULL : calloc(count ? count : 1, sizeof *chosen);
    if (!f || (!progs && !chosen)) {
        free(f);
        free(chosen);
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    if (!progs) {
        nprogs = pwj_default_progs(program, as_of, chosen);
        progs = chosen;
    }
    f->program = program;
    f->as_of = as_of;
    f->nprogs = nprogs;
    size_t nlabels = 0;
    for (size_t k = 0; k < nprogs; k++)
        nlabels += pw_requirement_count(program, progs[k]);
    /* pwj_prog holds a size_t, so the index array after it is aligned. */
    f->progs = calloc(nprogs ? nprogs : 1, sizeof *f->progs + sizeof *f->prog_index);
    f->labels = calloc(nlabels ? nlabels : 1, sizeof *f->labels);
    if (f->progs && f->labels) {
        f->prog_index = (size_t *)(f->progs + (nprogs ? nprogs : 1));
        memcpy(f->prog_index, progs, nprogs * sizeof *progs);
        char day[11];
        pw_date_format(as_of, day);
        pu_buf_printf(&f->store, ",\"as_of\":\"%s\",\"results\":[", day);
        f->results = pwj_mark(&f->store, 0);
        nlabels = 0;
        for (size_t k = 0; k < nprogs; k++) {
            pwj_fmt_program(f, k, progs[k], f->labels + nlabels);
            nlabels += pw_requirement_count(program, progs[k]);
        }
    }
    free(chosen);
    if (!f->progs || !f->labels || f->store.oom) {
        pw_result_format_free(f);
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    *out = f;
    return pwi_ok(err);
}

void pw_result_format_free(pw_result_format *f)
{
    if (!f)
        return;
    free(f->progs);
    free(f->labels);
    pu_buf_free(&f->store);
    free(f);
}

/* ---- one line --------------------------------------------------------------- */

/* The labels of nodes[0..n), comma-separated. */
static void pwj_labels(pu_buf *out, const pw_result_format *f, const pwj_prog *pf, const uint32_t *nodes,
                       size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            pu_buf_put(out, ",", 1);
        pwj_put_piece(out, f, pf->labels[nodes[i]]);
    }
}

void pwi_result_format_append(const pw_result_format *f, const pw_context *ctx, const char *id, pu_buf *out)
{
    pu_buf_put(out, "{\"id\":", 6);
    if (id)
        pu_buf_json_string(out, id);
    else
        pu_buf_put(out, "null", 4);
    pwj_put_piece(out, f, f->results);
    for (size_t k = 0; k < f->nprogs; k++) {
        const pwj_prog *pf = &f->progs[k];
        int v = pf->dated || pf->windowed ? (int)pw_result_verdict(ctx, pf->p) : PW_ELIGIBLE;
        /* pf->p is one of the format's program's (pw_result_format_new
         * checked), which is the context's; the VM gives a program only
         * the verdicts its dates and window allow (pv_force_at). */
        if (v == PW_VERDICT_NOT_EVALUATED || PU_NEVER(v == PW_VERDICT_NO_PROGRAM) || PU_NEVER(!pwj_has_status(pf, v)))
            v = PW_NOT_ELIGIBLE; /* not evaluated: as the contract has always said, not eligible */
        pwj_put_piece(out, f, pf->open[pw_result_eligible(ctx, pf->p)][v]);
        const uint32_t *nodes = pwi_result_nodes(ctx, pf->p);
        size_t unmet = pw_result_unmet_count(ctx, pf->p);
        pwj_labels(out, f, pf, nodes, unmet);
        pu_buf_put(out, "],\"preferred_unmet\":[", 21);
        pwj_labels(out, f, pf, nodes + unmet, pw_result_preferred_unmet_count(ctx, pf->p));
        pu_buf_put(out, "]", 1);
        if (pf->decided)
            pwj_awaiting(out, f, pf, ctx);
        pu_buf_put(out, "}", 1);
    }
    pu_buf_put(out, "]}\n", 3);
}

size_t pw_result_format_json(const pw_result_format *f, const pw_context *ctx, const char *id, char *buf,
                             size_t size)
{
    if (!f || !ctx || ctx->program != f->program)
        return 0;
    pu_buf out = {0};
    pwi_result_format_append(f, ctx, id, &out);
    if (out.oom) {
        pu_buf_free(&out);
        return 0;
    }
    if (buf && size) {
        size_t n = out.len < size - 1 ? out.len : size - 1;
        memcpy(buf, out.data, n);
        buf[n] = '\0';
    }
    size_t len = out.len;
    pu_buf_free(&out);
    return len;
}

/* ---- the coarse call ----------------------------------------------------------- */

/* The context's format for as_of, made on first use and kept until the
 * date changes or the context is freed. */
static pw_status pwj_context_format(pw_context *ctx, pw_date as_of, pw_error *err)
{
    if (ctx->json_fmt && ctx->json_as_of == as_of)
        return PW_OK;
    pw_result_format_free(ctx->json_fmt);
    ctx->json_fmt = NULL;
    pw_status st = pw_result_format_new(ctx->program, as_of, NULL, 0, &ctx->json_fmt, err);
    if (st == PW_OK)
        ctx->json_as_of = as_of;
    return st;
}

/* Loads the record the usual way, through a cJSON tree: PW_OK with *rec
 * (the caller deletes it) and *id (the tree's "id" member when it is text,
 * else NULL), or the reason it does not fit (with *rec, to be deleted,
 * when the tree was made). */
static pw_status pwj_load_tree(pw_context *ctx, const char *json, size_t len, cJSON **rec, const char **id_text,
                               pw_error *err)
{
    *rec = NULL;
    /* Text after the object (a second record, say) is an error, as for
     * pw_context_set_json, not something to ignore. */
    const char *end = json; /* set by cJSON, whether it succeeds or not */
    cJSON *r = cJSON_ParseWithLengthOpts(json, len, &end, false);
    while (r && end < json + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
        end++;
    if (!r || !cJSON_IsObject(r) || end < json + len) {
        cJSON_Delete(r);
        pw_status st = pw_context_set_json(ctx, json, len, err); /* its message, with the place */
        /* Read this time: the first parse ran out of memory (cJSON fails
         * alike for both), and the line was not made. */
        if (st == PW_OK)
            st = pwi_fail(err, PW_ERR_NOMEM, "out of memory reading the facts");
        return st;
    }
    /* Integers as written, and no U+0000 in text (docs/coach-record.md). */
    if (!pf_json_scan(r, json, len)) {
        cJSON_Delete(r);
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory reading the facts");
    }
    *rec = r;
    pw_status st = pwi_context_set_cjson(ctx, r, err);
    if (st != PW_OK)
        return st;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "id");
    /* An id holding U+0000 would print cut short, as another record's;
     * but the record was loaded, and pf_load_json refuses one with
     * U+0000 anywhere (or left unchecked, as invalid), so it cannot. */
    bool named = cJSON_IsString(id) && !PU_NEVER(pf_json_has_nul(id));
    *id_text = named ? id->valuestring : NULL;
    return PW_OK;
}

/* Loads the record, evaluates the format's programs and renders the line
 * into out. */
static pw_status pwj_eval(pw_context *ctx, const char *json, size_t len, pw_date as_of, pu_buf *out,
                          pw_error *err)
{
    if (!ctx || !json)
        return pwi_fail(err, PW_ERR_USAGE, "pw_eval_json: NULL argument");
    /* The fast path loads the record and hands back its id; when it
     * declines, the tree's way below, which says why the record does not
     * fit. */
    const char *id_text = NULL;
    cJSON *rec = NULL;
    pw_status st;
    if (!pwi_context_try_stream(ctx, json, len, &id_text, err)) {
        st = pwj_load_tree(ctx, json, len, &rec, &id_text, err);
        if (st != PW_OK) {
            cJSON_Delete(rec);
            return st;
        }
    }
    st = pwj_context_format(ctx, as_of, err);
    const pw_result_format *f = ctx->json_fmt;
    /* With compiled rules, one call computes every program (docs/embedding.md). */
    bool native = false;
    if (st == PW_OK)
        st = pwi_native_run(ctx, as_of, &native, err);
    for (size_t k = 0; st == PW_OK && native && k < f->nprogs; k++)
        st = pwi_native_result(ctx, f->progs[k].p, as_of, err);
    if (st == PW_OK && !native)
        st = pwi_evaluate_list(ctx, f->prog_index, f->nprogs, as_of, err);
    if (st == PW_OK) {
        pwi_result_format_append(f, ctx, id_text, out);
        if (out->oom)
            st = pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    cJSON_Delete(rec);
    return st;
}

pw_status pw_eval_json(pw_context *ctx, const char *json, size_t len, pw_date as_of, char *buf, size_t size,
                       size_t *needed, pw_error *err)
{
    pu_buf out = {0};
    pw_status st = pwj_eval(ctx, json, len, as_of, &out, err);
    if (st == PW_OK) {
        if (needed)
            *needed = out.len;
        if (buf && size) {
            size_t n = out.len < size - 1 ? out.len : size - 1;
            memcpy(buf, out.data, n);
            buf[n] = '\0';
        }
        if (out.len >= size)
            st = pwi_fail(err, PW_ERR_USAGE, "pw_eval_json: the line needs %zu bytes and a NUL; the buffer has %zu",
                         out.len, size);
    }
    pu_buf_free(&out);
    return st;
}

pw_status pw_eval_json_alloc(pw_context *ctx, const char *json, size_t len, pw_date as_of, char **line,
                             size_t *line_len, pw_error *err)
{
    if (!line)
        return pwi_fail(err, PW_ERR_USAGE, "pw_eval_json_alloc: NULL argument");
    *line = NULL;
    pu_buf out = {0};
    pw_status st = pwj_eval(ctx, json, len, as_of, &out, err);
    if (st == PW_OK)
        pu_buf_put(&out, "", 1); /* the NUL */
    if (st == PW_OK && out.oom)
        st = pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    if (st != PW_OK) {
        pu_buf_free(&out);
        return st;
    }
    *line = out.data;
    if (line_len)
        *line_len = out.len - 1;
    return PW_OK;
}
