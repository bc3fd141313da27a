/* One compiled program shared by many threads, each with its own context,
 * decides exactly as one thread does; and compilations run concurrently
 * (reentrant scanner, pure parser, no global state) give identical bytecode. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "pathway.h"

#define RULES PW_SOURCE_DIR "/rules/usatf/usatf.pw"
#define COACHES PW_SOURCE_DIR "/examples/coaches.jsonl"
#define THREADS 4
#define ROUNDS 200
#define MAX_LINES 64

typedef struct shared {
    const pw_program *prog;
    char *lines[MAX_LINES];
    size_t nlines;
    pw_date as_of;
} shared;

/* A record's decisions as a bit string: eligible per program. */
static unsigned long decide(const shared *s, pw_context *ctx, size_t line)
{
    pw_error err;
    if (pw_context_set_json(ctx, s->lines[line], strlen(s->lines[line]), &err) != PW_OK ||
        pw_evaluate_all(ctx, s->as_of, &err) != PW_OK)
        return ~0ul;
    unsigned long bits = 0;
    for (size_t p = 0; p < pw_program_count(s->prog); p++)
        bits |= (unsigned long)pw_result_eligible(ctx, p) << p;
    return bits;
}

typedef struct job {
    const shared *s;
    unsigned long out[MAX_LINES];
    int ok;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    pw_context *ctx = NULL;
    pw_error err;
    if (pw_context_new(j->s->prog, &ctx, &err) != PW_OK)
        return NULL;
    j->ok = 1;
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t i = 0; i < j->s->nlines; i++) {
            unsigned long d = decide(j->s, ctx, i);
            if (r == 0)
                j->out[i] = d;
            else if (d != j->out[i])
                j->ok = 0;
        }
    }
    pw_context_free(ctx);
    return NULL;
}

static void load_lines(shared *s)
{
    FILE *f = fopen(COACHES, "r");
    ck_assert_ptr_nonnull(f);
    char buf[65536];
    while (s->nlines < MAX_LINES && fgets(buf, sizeof buf, f))
        if (buf[0] != '\n')
            s->lines[s->nlines++] = strdup(buf);
    fclose(f);
    ck_assert_uint_gt(s->nlines, 3);
}

START_TEST(test_shared_program)
{
    shared s;
    memset(&s, 0, sizeof s);
    pw_error err;
    pw_program *prog = NULL;
    ck_assert_msg(pw_compile_file(RULES, NULL, &prog, &err) == PW_OK, "%s", err.message);
    s.prog = prog;
    ck_assert_int_eq(pw_date_parse("2026-11-23", &s.as_of, &err), PW_OK);
    load_lines(&s);

    job single = {&s, {0}, 0};
    pw_context *ctx = NULL;
    ck_assert_int_eq(pw_context_new(prog, &ctx, &err), PW_OK);
    for (size_t i = 0; i < s.nlines; i++)
        single.out[i] = decide(&s, ctx, i);
    pw_context_free(ctx);

    job jobs[THREADS];
    pthread_t tid[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (job){&s, {0}, 0};
        ck_assert_int_eq(pthread_create(&tid[t], NULL, worker, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(tid[t], NULL);
        ck_assert_msg(jobs[t].ok, "thread %d saw different decisions across rounds", t);
        for (size_t i = 0; i < s.nlines; i++)
            ck_assert_msg(jobs[t].out[i] == single.out[i], "thread %d, record %zu differs", t, i);
    }
    for (size_t i = 0; i < s.nlines; i++)
        free(s.lines[i]);
    pw_program_free(prog);
}
END_TEST

typedef struct compile_job {
    void *bytes;
    size_t len;
    int ok;
} compile_job;

static void *compiler(void *arg)
{
    compile_job *j = arg;
    pw_program *prog = NULL;
    pw_error err;
    for (int r = 0; r < 20; r++) {
        if (pw_compile_file(RULES, NULL, &prog, &err) != PW_OK)
            return NULL;
        free(j->bytes);
        if (pw_program_save(prog, &j->bytes, &j->len, &err) != PW_OK) {
            pw_program_free(prog);
            return NULL;
        }
        pw_program_free(prog);
    }
    j->ok = 1;
    return NULL;
}

START_TEST(test_concurrent_compilation)
{
    compile_job jobs[THREADS];
    pthread_t tid[THREADS];
    memset(jobs, 0, sizeof jobs);
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&tid[t], NULL, compiler, &jobs[t]), 0);
    for (int t = 0; t < THREADS; t++)
        pthread_join(tid[t], NULL);
    for (int t = 0; t < THREADS; t++) {
        ck_assert_msg(jobs[t].ok, "compilation failed in thread %d", t);
        ck_assert_uint_eq(jobs[t].len, jobs[0].len);
        ck_assert_msg(memcmp(jobs[t].bytes, jobs[0].bytes, jobs[0].len) == 0,
                      "thread %d produced different bytecode", t);
    }
    for (int t = 0; t < THREADS; t++)
        free(jobs[t].bytes);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("sharing");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_shared_program);
    tcase_add_test(tc, test_concurrent_compilation);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
