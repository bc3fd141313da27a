/* Evaluating batches of records, on worker threads when the input is large,
 * with the output written in input order. What evaluating one record means
 * is the command's (eval_hooks in eval.h): pathway eval's own hooks are at
 * the end of the first section; report and diff bring theirs.
 *
 * The main thread reads batches (eval_input.c) and writes their output; each
 * worker thread has its own pw_context over the shared, read-only program
 * and takes the next batch in input order, evaluating it into the batch's own
 * buffers. Batches live in a ring of slots: the main thread writes slot k's
 * output only when every earlier batch has been written, and refills a slot
 * only once it is written, so at most `nslots` batches are in memory
 * whatever the size of the input.
 *
 * The first EVAL_INLINE_RECORDS records are always evaluated on the main
 * thread: a small input (the common interactive case) never starts a thread,
 * and a large one loses nothing worth measuring. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "util/assert.h"
#include "vm/vm.h"
#include "eval.h"

#ifndef EVAL_INLINE_RECORDS /* test_cli_allocfail starts its threads early */
#define EVAL_INLINE_RECORDS 4096u
#endif

/* ---- one record ---------------------------------------------------------------- */

/* The text is bounded as it always was (a 600-byte buffer): a very long
 * path is cut the same way. */
void eval_where_text(const eval_shared *sh, const eval_where *w, char where[600])
{
    if (w->kind == EVAL_LINES)
        snprintf(where, 600, "%s:%llu", sh->o->facts, w->n);
    else if (w->kind == EVAL_ARRAY)
        snprintf(where, 600, "%s: record %llu", sh->o->facts, w->n);
    else
        snprintf(where, 600, "%s", sh->o->facts);
}

void eval_fail(const eval_shared *sh, eval_sink *s, const eval_where *w, const char *id, const char *msg)
{
    char where[600];
    eval_where_text(sh, w, where);
    sh->hooks->fail(sh, s, id, where, msg);
}

const char *eval_record_id(const cJSON *rec)
{
    const cJSON *id = cJSON_IsObject(rec) ? cJSON_GetObjectItemCaseSensitive(rec, "id") : NULL;
    /* An id holding U+0000 would print cut short, as another record's. */
    return cJSON_IsString(id) && !pf_json_has_nul(id) ? id->valuestring : NULL;
}

/* The programs on the record loaded into ctx, and its result line. */
static void eval_loaded(const eval_shared *sh, pw_context *ctx, eval_sink *s, const char *id, const eval_where *w)
{
    pw_error err;
    if (pt_evaluate_list(ctx, sh->o->progs, sh->o->nprogs, sh->o->as_of, &err) != PW_OK) {
        eval_fail(sh, s, w, id, err.message);
        return;
    }
    eval_write_result(sh->fmt, ctx, id, s);
}

static void eval_record(const eval_shared *sh, void *state, eval_sink *s, const cJSON *rec,
                        const eval_where *w)
{
    pw_context *ctx = state;
    const char *id = eval_record_id(rec);
    pw_error err;
    if (!cJSON_IsObject(rec)) {
        eval_fail(sh, s, w, NULL, "expected a JSON object for the record");
        return;
    }
    if (pt_context_set_cjson(ctx, rec, &err) != PW_OK) {
        eval_fail(sh, s, w, id, err.message);
        return;
    }
    eval_loaded(sh, ctx, s, id, w);
}

/* A line the fast path loads needs no tree (the rest: eval_record). */
static bool eval_record_line(const eval_shared *sh, void *state, eval_sink *s, const char *p, size_t len,
                             const eval_where *w)
{
    const char *id;
    pw_error err;
    if (!pt_context_try_json(state, p, len, &id, &err))
        return false;
    eval_loaded(sh, state, s, id, w);
    return true;
}

static void eval_record_fail(const eval_shared *sh, eval_sink *s, const char *id, const char *where,
                             const char *msg)
{
    eval_write_error(sh->fmt, s, id, where, msg);
}

/* A worker's context, with the run's limits. */
static void *eval_state_new(const eval_shared *sh)
{
    pw_context *ctx;
    return cli_context_new(sh->program, &sh->o->limits, &ctx, NULL) == PW_OK ? ctx : NULL;
}

static void eval_state_end(const eval_shared *sh, void *state, void *main_state)
{
    (void)sh;
    (void)main_state;
    pw_context_free(state);
}

const eval_hooks eval_record_hooks = {eval_state_new, eval_state_end, eval_record, eval_record_fail,
                                      eval_record_line};

/* Within one line, which holds no newline. */
static bool eval_blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

static size_t eval_max_record(const eval_shared *sh)
{
    size_t n = sh->o->limits.max_record_bytes;
    return n ? n : CLI_DEFAULT_RECORD_BYTES;
}

/* One non-blank line of JSON Lines. */
static void eval_line(const eval_shared *sh, void *state, eval_sink *s, const char *p, size_t len,
                      const eval_where *w)
{
    const char *after = NULL;
    char msg[160];
    if (len > eval_max_record(sh)) {
        /* The reader kept at most one byte more of it (eval_input.c). */
        snprintf(msg, sizeof msg,
                 "the record is longer than the limit of %zu bytes (--limit record-bytes=N)",
                 eval_max_record(sh));
        eval_fail(sh, s, w, NULL, msg);
        return;
    }
    if (sh->hooks->line && sh->hooks->line(sh, state, s, p, len, w))
        return;
    /* cJSON fails the same way for bad JSON and for memory running out;
     * only the allocator sets ENOMEM (tests/unit/test_cli_allocfail.c). */
    errno = 0;
    cJSON *rec = cJSON_ParseWithLengthOpts(p, len, &after, 0);
    if (!rec && errno == ENOMEM) {
        eval_fail(sh, s, w, NULL, "out of memory");
    } else if (!rec) {
        /* cJSON points `after` at the error, within the text, whenever it
         * fails for bad JSON. */
        snprintf(msg, sizeof msg, "invalid JSON at column %u",
                 (unsigned)((PU_ALWAYS(after && after >= p) ? after : p) - p) + 1);
        eval_fail(sh, s, w, NULL, msg);
    } else if (!pf_json_scan(rec, p, len)) {
        eval_fail(sh, s, w, NULL, "out of memory");
    } else if (!eval_blank(after, p + len)) {
        snprintf(msg, sizeof msg, "unexpected text after the JSON value at column %u",
                 (unsigned)(after - p) + 1);
        eval_fail(sh, s, w, eval_record_id(rec), msg);
    } else {
        sh->hooks->record(sh, state, s, rec, w);
    }
    cJSON_Delete(rec);
}

/* Evaluates a batch into its sink; returns the records it held. */
static size_t eval_batch_run(const eval_shared *sh, void *state, eval_batch *b)
{
    eval_where w = {b->kind, b->first};
    size_t records = 0;
    if (b->kind != EVAL_LINES) {
        const cJSON *rec = b->node;
        for (size_t i = 0; i < b->count; i++, rec = rec->next, w.n++)
            sh->hooks->record(sh, state, &b->sink, rec, &w);
        return b->count;
    }
    const char *p = b->text.data, *end = p + b->text.len;
    for (; p < end; w.n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        if (!eval_blank(p, stop)) {
            eval_line(sh, state, &b->sink, p, (size_t)(stop - p), &w);
            records++;
        }
        p = nl ? nl + 1 : end;
    }
    return records;
}

/* ---- worker threads ------------------------------------------------------------ */

typedef struct eval_pool eval_pool;

typedef struct eval_worker {
    eval_pool *pool;
    void *state;
    pthread_t thread;
} eval_worker;

struct eval_pool {
    const eval_shared *sh;
    pthread_mutex_t mu;
    pthread_cond_t work;            /* a batch was published, or the run ends */
    pthread_cond_t done;            /* a batch was evaluated */
    eval_batch *slots;
    bool *ready;                    /* per slot: evaluated, not yet written */
    size_t nslots;
    unsigned long long published;   /* batches handed to the workers */
    unsigned long long taken;       /* of those, batches a worker took */
    bool closing;
    eval_worker *workers;
    unsigned nworkers;
    void *main_state;               /* where workers' states end (eval_hooks) */
};

static void *eval_worker_main(void *arg)
{
    eval_worker *wk = arg;
    eval_pool *pl = wk->pool;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (pl->taken == pl->published && !pl->closing)
            pthread_cond_wait(&pl->work, &pl->mu);
        if (pl->taken == pl->published)
            break;
        size_t slot = (size_t)(pl->taken++ % pl->nslots);
        pthread_mutex_unlock(&pl->mu);
        eval_batch_run(pl->sh, wk->state, &pl->slots[slot]);
        pthread_mutex_lock(&pl->mu);
        pl->ready[slot] = true;
        pthread_cond_signal(&pl->done);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* Starts up to n workers; returns how many run (0: evaluate inline). */
static unsigned eval_pool_start(eval_pool *pl, unsigned n)
{
    pl->workers = calloc(n, sizeof *pl->workers);
    if (!pl->workers)
        return 0;
    const eval_hooks *h = pl->sh->hooks;
    while (pl->nworkers < n) {
        eval_worker *wk = &pl->workers[pl->nworkers];
        wk->pool = pl;
        if (!(wk->state = h->state_new(pl->sh)))
            break;
        if (pthread_create(&wk->thread, NULL, eval_worker_main, wk) != 0) {
            h->state_end(pl->sh, wk->state, pl->main_state);
            break;
        }
        pl->nworkers++;
    }
    return pl->nworkers;
}

static void eval_pool_stop(eval_pool *pl)
{
    pthread_mutex_lock(&pl->mu);
    pl->closing = true;
    pthread_cond_broadcast(&pl->work);
    pthread_mutex_unlock(&pl->mu);
    for (unsigned i = 0; i < pl->nworkers; i++) {
        pthread_join(pl->workers[i].thread, NULL);
        pl->sh->hooks->state_end(pl->sh, pl->workers[i].state, pl->main_state);
    }
    free(pl->workers);
}

/* ---- the run ------------------------------------------------------------------- */

static unsigned eval_jobs(const eval_opts *o)
{
    if (o->jobs)
        return o->jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > (long)EVAL_JOBS_MAX ? EVAL_JOBS_MAX : (unsigned)n;
}

/* Writes the evaluated batches at the head of the ring, in order. Called
 * with the lock held; writes without it. */
static void eval_pool_write(eval_pool *pl, unsigned long long *written, eval_writer *w,
                            unsigned long long *bad)
{
    for (;;) {
        size_t slot = (size_t)(*written % pl->nslots);
        if (*written == pl->published || !pl->ready[slot])
            return;
        pthread_mutex_unlock(&pl->mu);
        *bad += pl->slots[slot].sink.bad;
        eval_sink_flush(&pl->slots[slot].sink, w);
        pthread_mutex_lock(&pl->mu);
        pl->ready[slot] = false;
        ++*written;
    }
}

/* The main thread's loop once workers run: keep every slot busy, write
 * batches as soon as they and all before them are done. */
static void eval_pool_run(eval_pool *pl, eval_reader *r, eval_writer *w, unsigned long long *bad)
{
    unsigned long long written = 0;
    bool input = true;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        eval_pool_write(pl, &written, w, bad);
        if (!input && written == pl->published)
            break;
        if (!input || pl->published - written == pl->nslots) {
            pthread_cond_wait(&pl->done, &pl->mu);
            continue;
        }
        /* The slot is free: nobody else touches it until it is published. */
        eval_batch *b = &pl->slots[pl->published % pl->nslots];
        pthread_mutex_unlock(&pl->mu);
        input = eval_reader_next(r, b);
        pthread_mutex_lock(&pl->mu);
        if (input) {
            pl->published++;
            pthread_cond_signal(&pl->work);
        }
    }
    pthread_mutex_unlock(&pl->mu);
}

/* Two slots per worker keep each busy while the main thread writes and
 * reads; two more absorb a slow batch. */
static bool eval_pool_init(eval_pool *pl, const eval_shared *sh, void *state, eval_batch *first,
                           unsigned jobs)
{
    memset(pl, 0, sizeof *pl);
    pl->sh = sh;
    pl->main_state = state;
    pl->nslots = 2 * (size_t)jobs + 2;
    pl->slots = calloc(pl->nslots, sizeof *pl->slots);
    pl->ready = calloc(pl->nslots, sizeof *pl->ready);
    if (!pl->slots || !pl->ready) {
        free(pl->slots);
        free(pl->ready);
        return false;
    }
    /* The inline batch's buffers, already grown, become slot 0's. */
    pl->slots[0] = *first;
    memset(first, 0, sizeof *first);
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->work, NULL);
    pthread_cond_init(&pl->done, NULL);
    return true;
}

static void eval_pool_fini(eval_pool *pl)
{
    for (size_t i = 0; i < pl->nslots; i++) {
        cli_buf_free(&pl->slots[i].text);
        eval_sink_free(&pl->slots[i].sink);
    }
    free(pl->slots);
    free(pl->ready);
    pthread_mutex_destroy(&pl->mu);
    pthread_cond_destroy(&pl->work);
    pthread_cond_destroy(&pl->done);
}

/* Evaluates and writes one batch on the main thread. */
static size_t eval_inline(const eval_shared *sh, void *state, eval_batch *b, eval_writer *w,
                          unsigned long long *bad)
{
    size_t n = eval_batch_run(sh, state, b);
    *bad += b->sink.bad;
    eval_sink_flush(&b->sink, w);
    return n;
}

/* Hands the rest of the input to worker threads; b (the inline batch)
 * lends its buffers to the first slot. Returns false, with b as it was, when
 * no worker could start. */
static bool eval_run_pool(const eval_shared *sh, void *state, eval_batch *b, unsigned jobs,
                          eval_reader *r, eval_writer *w, unsigned long long *bad)
{
    eval_pool pl;
    if (!eval_pool_init(&pl, sh, state, b, jobs))
        return false;
    bool ran = eval_pool_start(&pl, jobs) > 0;
    if (ran) {
        eval_pool_run(&pl, r, w, bad);
    } else {
        *b = pl.slots[0];
        memset(&pl.slots[0], 0, sizeof pl.slots[0]);
    }
    eval_pool_stop(&pl);
    eval_pool_fini(&pl);
    return ran;
}

unsigned long long eval_run_all(const eval_shared *sh, void *state, eval_reader *r, eval_writer *w)
{
    unsigned jobs = eval_jobs(sh->o);
    unsigned long long bad = 0, records = 0;
    eval_batch b;
    memset(&b, 0, sizeof b);
    while ((jobs == 1 || records < EVAL_INLINE_RECORDS) && eval_reader_next(r, &b))
        records += eval_inline(sh, state, &b, w, &bad);
    if (jobs > 1 && records >= EVAL_INLINE_RECORDS && eval_run_pool(sh, state, &b, jobs, r, w, &bad))
        return bad;
    /* Whatever is left when no worker could start. */
    while (eval_reader_next(r, &b))
        eval_inline(sh, state, &b, w, &bad);
    cli_buf_free(&b.text);
    eval_sink_free(&b.sink);
    return bad;
}

int eval_stream(const eval_shared *sh, void *state, int fd, const char *output, int write_rc,
                unsigned long long *bad)
{
    eval_reader in;
    char msg[512];
    *bad = 0;
    if (!eval_reader_open(&in, sh->o->facts, eval_max_record(sh), msg, sizeof msg)) {
        cli_error("%s", msg);
        return CLI_USAGE;
    }
    eval_writer out = {fd, false, false};
    eval_reader_start(&in);
    *bad = eval_run_all(sh, state, &in, &out);
    int rc = CLI_OK;
    if (in.error == ENOMEM) {
        cli_error("out of memory reading %s", sh->o->facts);
        rc = CLI_USAGE;
    } else if (in.error) {
        cli_error("cannot read %s: %s", sh->o->facts, strerror(in.error));
        rc = CLI_USAGE;
    } else if (out.oom) {
        cli_error("out of memory writing %s", output);
        rc = write_rc;
    } else if (out.failed) {
        cli_error("error writing %s", output);
        rc = write_rc;
    }
    eval_reader_close(&in);
    return rc;
}

int eval_set_jobs(const cli_option *opt, void *dest, const char *v)
{
    (void)opt;
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || errno || n < 1 || n > EVAL_JOBS_MAX) {
        cli_error("--jobs: `%s` needs a whole number from 1 to %u", v, EVAL_JOBS_MAX);
        return CLI_USAGE;
    }
    *(unsigned *)dest = (unsigned)n;
    return CLI_OK;
}
