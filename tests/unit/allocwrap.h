/* Allocation-failure injection shared by the tests that fail allocations in
 * turn (test_allocfail, test_lsp_allocfail, test_ruletest_allocfail), the
 * way SQLite does it: the test binary is linked with GNU ld's --wrap for
 * malloc, calloc, realloc, free, strdup, strndup, realpath, pm_alloc,
 * pm_strndup and pm_grow (tests/CMakeLists.txt, pw_allocfail_link), so every
 * allocation the static Pathway libraries make comes through allocwrap.c,
 * which counts the live blocks and fails the Nth counted call on request.
 *
 * Test code, not library code: the injector is one global state, armed
 * around the calls under test and never while Check itself allocates.
 * Allocations may come from several threads (pathway eval --jobs N in
 * test_cli_allocfail): the counted calls are numbered atomically, so the
 * failing one is still exactly the Nth, and the live set is updated under a
 * lock. The other fields are set and read only while one thread runs. */
#ifndef PW_TEST_ALLOCWRAP_H
#define PW_TEST_ALLOCWRAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

/* Where an allocation comes from. */
enum {
    SRC_LIBC = 1,     /* malloc, calloc, realloc, strdup, strndup */
    SRC_REALPATH = 2, /* realpath's result */
    SRC_CJSON = 4,    /* cJSON's nodes and strings (aw_cjson_malloc) */
    SRC_ARENA = 8,    /* pm_alloc, pm_strndup, pm_grow */
};
#define SRC_SYS (SRC_LIBC | SRC_REALPATH | SRC_CJSON)

typedef struct injector {
    bool armed;            /* counting (and maybe failing) calls */
    unsigned sources;      /* the SRC_ bits that count */
    unsigned scope;        /* 0, or a bit of active_scopes that must be set */
    atomic_ulong calls;    /* counted calls since armed */
    unsigned long fail_at; /* 0: none; else the counted call that fails */
    bool sticky;           /* every counted call from fail_at on fails */
    atomic_ulong failed;   /* failures injected since armed */
} injector;

extern injector inj;
/* Stages entered (a test's own scope wrappers set and clear the bits). */
extern unsigned active_scopes;
/* Live allocations made through the wrappers. */
extern size_t nlive;
/* The live set overflowed or saw a pointer twice. */
extern bool tracking_broken;
/* Pointers the wrappers never handed out, freed while armed. */
extern unsigned long foreign_frees;

/* Counts a call from source and says whether it must fail (errno ENOMEM). */
bool inj_fail(unsigned source);
void arm(unsigned sources, unsigned scope, unsigned long fail_at, bool sticky);
void disarm(void);

/* cJSON's allocator hooks (cJSON is a shared library, so its calls are not
 * wrapped): counted as SRC_CJSON. */
void *aw_cjson_malloc(size_t n);
void aw_cjson_free(void *p);

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
char *__real_realpath(const char *path, char *resolved);
void *__real_pm_alloc(pm_arena *a, size_t size);
char *__real_pm_strndup(pm_arena *a, const char *s, size_t len);
void *__real_pm_grow(pm_arena *a, const void *items, size_t n, size_t *cap, size_t size, size_t first);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
char *__wrap_realpath(const char *path, char *resolved);
void *__wrap_pm_alloc(pm_arena *a, size_t size);
char *__wrap_pm_strndup(pm_arena *a, const char *s, size_t len);
void *__wrap_pm_grow(pm_arena *a, const void *items, size_t n, size_t *cap, size_t size, size_t first);

#endif
