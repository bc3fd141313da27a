/* The tree cJSON builds of one JSON Lines record, allocated from a bump
 * arena of the thread's instead of node by node from malloc.
 *
 * Measured with callgrind over `pathway eval` of 20,000 benchmark records
 * (docs/performance.md, "What each change bought"): malloc and free of the
 * tree's ~100 nodes and strings were a fifth of eval's instructions, more
 * than the VM's dispatch; and with worker threads glibc gives each its own
 * malloc arena, whose frees cost more again. A record's tree lives exactly
 * as long as eval_line, so its memory can go all at once.
 *
 * cJSON allocates only through its hooks, which are the process's
 * (cJSON_InitHooks), so the hooks are installed once and ask the calling
 * thread: while that thread parses a record (eval_arena_parse) allocations
 * come from its arena; at any other time, and on any other thread, they are
 * plain malloc. A free of arena memory does nothing (the arena is emptied
 * after the tree is deleted); any other pointer goes to free(), so trees
 * and text allocated elsewhere (pf_json_scan's number texts, what a
 * command's hooks build while a record is evaluated) are freed as before.
 * The arena is the thread's own: no lock, no sharing between threads.
 * Not a pm_arena (src/util/arena.h): that one zeroes what it hands out, and
 * the free hook must tell the arena's pointers from malloc's. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"

/* The first chunk: a benchmark record's tree takes some 6 KiB, so one
 * chunk holds every usual record and is kept from record to record. */
#define EVAL_ARENA_CHUNK ((size_t)64 << 10)

typedef struct eval_chunk {
    struct eval_chunk *prev;
    size_t size, used;
    max_align_t data[]; /* aligned for any node */
} eval_chunk;

typedef struct eval_arena {
    eval_chunk *top;  /* newest chunk; the first is the bottom of the chain */
    bool parsing;     /* allocations come from here */
} eval_arena;

static _Thread_local eval_arena eval_tls_arena;

static void *eval_chunk_alloc(eval_arena *a, size_t n)
{
    size_t want = n > EVAL_ARENA_CHUNK / 4 ? n : EVAL_ARENA_CHUNK;
    eval_chunk *c = malloc(sizeof *c + want);
    if (!c)
        return NULL;
    c->prev = a->top;
    c->size = want;
    c->used = 0;
    a->top = c;
    return c;
}

static void *eval_arena_malloc(size_t n)
{
    eval_arena *a = &eval_tls_arena;
    if (!a->parsing)
        return malloc(n);
    size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (need < n) /* overflow */
        return NULL;
    eval_chunk *c = a->top;
    if ((!c || c->size - c->used < need) && !(c = eval_chunk_alloc(a, need)))
        return NULL;
    void *p = (char *)c->data + c->used;
    c->used += need;
    return p;
}

/* Whether p lies in one of the thread's chunks. */
static bool eval_arena_owns(const eval_arena *a, const void *p)
{
    uintptr_t u = (uintptr_t)p;
    for (const eval_chunk *c = a->top; c; c = c->prev)
        if (u >= (uintptr_t)c->data && u < (uintptr_t)c->data + c->size)
            return true;
    return false;
}

static void eval_arena_free(void *p)
{
    if (p && !eval_arena_owns(&eval_tls_arena, p))
        free(p);
}

/* Empties the arena, keeping its first chunk for the next record. */
static void eval_arena_reset(eval_arena *a)
{
    while (a->top && a->top->prev) {
        eval_chunk *c = a->top;
        a->top = c->prev;
        free(c);
    }
    if (a->top)
        a->top->used = 0;
}

void eval_arena_install(void)
{
    cJSON_Hooks h = {eval_arena_malloc, eval_arena_free};
    cJSON_InitHooks(&h);
}

cJSON *eval_arena_parse(const char *p, size_t len, const char **after)
{
    eval_arena *a = &eval_tls_arena;
    a->parsing = true;
    cJSON *rec = cJSON_ParseWithLengthOpts(p, len, after, 0);
    a->parsing = false;
    return rec;
}

void eval_arena_delete(cJSON *rec)
{
    cJSON_Delete(rec);
    eval_arena_reset(&eval_tls_arena);
}

void eval_arena_release(void)
{
    eval_arena *a = &eval_tls_arena;
    eval_arena_reset(a);
    free(a->top);
    a->top = NULL;
}
