/* pathway eval, in pieces: the command and its options (cmd_eval.c), reading
 * the facts in batches of records (eval_input.c), writing the results
 * (eval_output.c), and evaluating batches, on worker threads when there are
 * many, with the output kept in input order (eval_jobs.c). The design is in
 * docs/architecture.md, "Throughput". */
#ifndef CLI_EVAL_H
#define CLI_EVAL_H

#include <stdint.h>

#include "cli.h"

struct cJSON;

/* The largest --jobs: more threads than cores only costs memory. */
#define EVAL_JOBS_MAX 256u

typedef struct eval_opts {
    const char *rules, *facts;
    pw_date as_of;
    int text;      /* --format text (a cli_choices number) */
    size_t *progs; /* selected program versions, in declaration order */
    size_t nprogs;
    const char **prog_ids;
    size_t nids;
    cli_limits limits;
    unsigned jobs; /* --jobs; 0 = one per online core */
} eval_opts;

/* ---- output (eval_output.c) ------------------------------------------------ */

/* Everything of the output that does not depend on the record, made once
 * per run and then only read (by every thread). */
typedef struct eval_fmt {
    const pw_program *program;
    const eval_opts *o;
    char as_of[11];
    pw_result_format *json; /* the JSON line's constant pieces (the library's) */
} eval_fmt;

bool eval_fmt_init(eval_fmt *f, const pw_program *program, const eval_opts *o);
void eval_fmt_fini(eval_fmt *f);

/* A diagnostic for standard error, and how much of the output precedes it:
 * it is printed after the record's error line, as an unbuffered writer
 * would print it. */
typedef struct eval_note {
    size_t out_at, off, len;
} eval_note;

/* What evaluating a batch of records produced. */
typedef struct eval_sink {
    cli_buf out, err;
    eval_note *notes;
    size_t nnotes, cap;
    unsigned long long bad; /* records that could not be evaluated */
    bool oom;
} eval_sink;

/* The results of an evaluated record (pw_evaluate succeeded for every
 * selected program), as a JSON line or a text report. */
void eval_write_result(const eval_fmt *f, const pw_context *ctx, const char *id, eval_sink *s);
/* A record that could not be evaluated: its error line (or paragraph) in
 * the output and a diagnostic naming where it is. */
void eval_write_error(const eval_fmt *f, eval_sink *s, const char *id, const char *where,
                      const char *msg);
/* Only the diagnostic on standard error, in its place (for commands whose
 * output is not one line per record); counts the record as bad. */
void eval_write_note(eval_sink *s, const char *id, const char *where, const char *msg);
void eval_sink_clear(eval_sink *s);
void eval_sink_free(eval_sink *s);

/* Standard output, written with write(2) in large pieces. */
typedef struct eval_writer {
    int fd;
    bool failed; /* a write failed: the rest is dropped, the run ends with 1 */
    bool oom;    /* some output could not be assembled for want of memory */
} eval_writer;

/* Writes a sink's output, and its diagnostics to standard error in their
 * places, then empties it. */
void eval_sink_flush(eval_sink *s, eval_writer *w);

/* ---- input (eval_input.c) -------------------------------------------------- */

typedef enum eval_kind {
    EVAL_LINES,  /* JSON Lines: text holds whole lines */
    EVAL_ARRAY,  /* the file is one array: count elements from node */
    EVAL_OBJECT  /* the file is one object: node */
} eval_kind;

/* A run of consecutive records, the unit of work handed to a thread. */
typedef struct eval_batch {
    eval_kind kind;
    cli_buf text;                /* EVAL_LINES: complete lines */
    unsigned long long first;    /* line number of text's first line, or array
                                  * position (from 1) of node */
    const struct cJSON *node;    /* EVAL_ARRAY, EVAL_OBJECT */
    size_t count;                /* nodes, following node->next */
    eval_sink sink;              /* what evaluating it produced */
} eval_batch;

typedef struct eval_reader {
    int fd;
    bool own_fd;                 /* opened here (not standard input) */
    bool eof;
    int error;                   /* errno of a failed read; 0 */
    size_t block;                /* bytes asked of each read */
    cli_buf win;                 /* read and not yet handed out */
    size_t last_nl;              /* 1 + offset of the last newline in win; 0: none */
    bool short_read;             /* the last read returned less than asked */
    unsigned long long line;     /* lines handed out so far */
    eval_kind kind;
    struct cJSON *root;          /* EVAL_ARRAY, EVAL_OBJECT: the whole file */
    const struct cJSON *next;    /* the next node to hand out */
    unsigned long long index;    /* its position, from 1 */
    /* JSON Lines: bytes of one line kept at most (docs/robustness.md). A
     * longer line keeps max_record + 1 bytes, so that it is reported as too
     * long, and the rest up to its newline is dropped as it is read. */
    size_t max_record;
    bool bounded;                /* JSON Lines: max_record applies */
    bool skipping;               /* dropping the rest of a too long line */
} eval_reader;

/* Opens `path` ("-": standard input). On failure writes the message. */
bool eval_reader_open(eval_reader *r, const char *path, size_t max_record, char *msg, size_t len);
/* Reads enough of the input to tell its framing (see eval_input.c). */
void eval_reader_start(eval_reader *r);
/* Fills b with the next records; false at the end of the input or after a
 * read error (r->error). */
bool eval_reader_next(eval_reader *r, eval_batch *b);
void eval_reader_close(eval_reader *r);

/* ---- evaluating (eval_jobs.c) ----------------------------------------------- */

/* Where a record is, for its diagnostic; formatted only when one is due. */
typedef struct eval_where {
    eval_kind kind;
    unsigned long long n; /* line number, or position in the array */
} eval_where;

typedef struct eval_shared eval_shared;

/* What a command does with each record: the streaming, the threads and the
 * ordering are the same for every command over a population (eval, diff,
 * report); these say what evaluating one record means. A thread's state is
 * whatever it evaluates with (for eval, a pw_context); the main thread's is
 * the caller's, and each worker makes its own, which `state_end` folds into
 * the main thread's (tallies) and frees, once the worker has stopped. */
typedef struct eval_hooks {
    void *(*state_new)(const eval_shared *sh);  /* NULL: the worker does not start */
    void (*state_end)(const eval_shared *sh, void *state, void *main_state);
    /* A parsed record (maybe not an object); output goes into the sink. */
    void (*record)(const eval_shared *sh, void *state, eval_sink *s, const struct cJSON *rec,
                   const eval_where *w);
    /* A record that could not be evaluated (s->bad is counted here). */
    void (*fail)(const eval_shared *sh, eval_sink *s, const char *id, const char *where,
                 const char *msg);
    /* Optional: a line of JSON Lines as text, before it is parsed; true
     * when the hook took care of it, false to have it parsed and handed to
     * `record` (pathway eval's fast path). */
    bool (*line)(const eval_shared *sh, void *state, eval_sink *s, const char *p, size_t len,
                 const eval_where *w);
} eval_hooks;

/* pathway eval's own: a pw_context per thread, a JSON line per record. */
extern const eval_hooks eval_record_hooks;

/* What every thread reads and nobody writes during the run. */
struct eval_shared {
    const eval_opts *o;
    const pw_program *program;
    const eval_fmt *fmt;
    const eval_hooks *hooks;
    const void *user;       /* the command's own read-only data */
};

/* The text naming where a record is ("coaches.jsonl:4"), for diagnostics. */
void eval_where_text(const eval_shared *sh, const eval_where *w, char where[600]);
/* Reports a bad record through sh->hooks->fail, with its place. */
void eval_fail(const eval_shared *sh, eval_sink *s, const eval_where *w, const char *id, const char *msg);
/* The record's "id" when it is a string, else NULL. */
const char *eval_record_id(const struct cJSON *rec);

/* Evaluates every batch the reader gives, writes the output in input order
 * and returns the number of records that could not be evaluated. `state` is
 * the main thread's (see eval_hooks); worker threads make their own. */
unsigned long long eval_run_all(const eval_shared *sh, void *state, eval_reader *r, eval_writer *w);

/* --jobs N: a whole number from 1 to EVAL_JOBS_MAX into dest (an
 * unsigned); CLI_USAGE (and a message) otherwise. A cli_setter. */
int eval_set_jobs(const cli_option *opt, void *dest, const char *v);

/* Opens sh->o->facts and runs eval_run_all over it, the output going to fd
 * (`output` names it in messages: "the results"). Reports what stopped the
 * run and returns CLI_USAGE when the facts could not be read, `write_rc`
 * when the output could not be written, else CLI_OK; *bad gets the records
 * that could not be evaluated. For every command over a population. */
int eval_stream(const eval_shared *sh, void *state, int fd, const char *output, int write_rc,
                unsigned long long *bad);

#endif
