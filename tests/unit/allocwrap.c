/* The wrappers of allocwrap.h: counting, failing on request, and the set
 * of live blocks. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "allocwrap.h"

injector inj;
unsigned active_scopes;

bool inj_fail(unsigned source)
{
    if (!inj.armed || !(inj.sources & source) || (inj.scope && !(active_scopes & inj.scope)))
        return false;
    /* Each counted call gets its own number, whatever thread makes it. */
    unsigned long n = atomic_fetch_add(&inj.calls, 1) + 1;
    if (inj.fail_at && (n == inj.fail_at || (inj.sticky && n > inj.fail_at))) {
        atomic_fetch_add(&inj.failed, 1);
        errno = ENOMEM; /* as malloc, calloc, realloc and realpath do */
        return true;
    }
    return false;
}

void arm(unsigned sources, unsigned scope, unsigned long fail_at, bool sticky)
{
    inj.armed = false;
    atomic_store(&inj.calls, 0);
    atomic_store(&inj.failed, 0);
    inj.sources = sources;
    inj.scope = scope;
    inj.fail_at = fail_at;
    inj.sticky = sticky;
    inj.armed = true;
}

void disarm(void)
{
    inj.armed = false;
}

/* Every live allocation made through the wrappers, in an open-addressing set
 * (linear probing, backward-shift deletion), so that a free of a pointer the
 * wrappers never returned (a double free) is noticed instead of crashing. */
#define LIVE_CAP (1u << 20)
static void *live[LIVE_CAP];
size_t nlive;
bool tracking_broken;        /* the set overflowed or saw a duplicate */
unsigned long foreign_frees; /* unknown pointers freed while armed */

/* The set is shared by every thread that allocates: a spin lock (held for
 * a few probes) keeps it whole. */
static atomic_flag live_lock = ATOMIC_FLAG_INIT;

static void live_lock_take(void)
{
    while (atomic_flag_test_and_set_explicit(&live_lock, memory_order_acquire))
        ;
}

static void live_lock_give(void)
{
    atomic_flag_clear_explicit(&live_lock, memory_order_release);
}

static size_t live_slot(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 40) & (LIVE_CAP - 1);
}

static void live_add_locked(void *p)
{
    if (nlive >= LIVE_CAP / 2) {
        tracking_broken = true;
        return;
    }
    size_t i = live_slot(p);
    while (live[i]) {
        if (live[i] == p) {
            tracking_broken = true;
            return;
        }
        i = (i + 1) & (LIVE_CAP - 1);
    }
    live[i] = p;
    nlive++;
}

static void live_add(void *p)
{
    if (!p)
        return;
    live_lock_take();
    live_add_locked(p);
    live_lock_give();
}

static bool live_del(void *p)
{
    size_t i = live_slot(p);
    while (live[i] != p) {
        if (!live[i])
            return false;
        i = (i + 1) & (LIVE_CAP - 1);
    }
    live[i] = NULL;
    nlive--;
    for (size_t j = (i + 1) & (LIVE_CAP - 1); live[j]; j = (j + 1) & (LIVE_CAP - 1)) {
        size_t k = live_slot(live[j]);
        /* An entry stays when its home slot is cyclically in (i, j]. */
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (stays)
            continue;
        live[i] = live[j];
        live[j] = NULL;
        i = j;
    }
    return true;
}

static void forget(void *p)
{
    if (!p)
        return;
    live_lock_take();
    if (!live_del(p) && inj.armed)
        foreign_frees++;
    live_lock_give();
}

static void *counted_malloc(size_t n, unsigned source)
{
    if (inj_fail(source))
        return NULL;
    void *p = __real_malloc(n);
    live_add(p);
    return p;
}

void *__wrap_malloc(size_t n)
{
    return counted_malloc(n, SRC_LIBC);
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (inj_fail(SRC_LIBC))
        return NULL;
    void *p = __real_calloc(n, size);
    live_add(p);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    if (!p)
        return __wrap_malloc(n);
    if (n == 0) {
        /* glibc frees p and returns NULL. */
        forget(p);
        return __real_realloc(p, 0);
    }
    if (inj_fail(SRC_LIBC))
        return NULL; /* p is untouched, as after a real failure */
    void *q = __real_realloc(p, n);
    if (q) {
        forget(p);
        live_add(q);
    }
    return q;
}

void __wrap_free(void *p)
{
    forget(p);
    __real_free(p);
}

char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = __wrap_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = __wrap_malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* realpath(path, NULL) returns a buffer glibc allocated itself; it is an
 * allocation the library must free, and one that can fail. */
char *__wrap_realpath(const char *path, char *resolved)
{
    if (!resolved && inj_fail(SRC_REALPATH))
        return NULL;
    char *r = __real_realpath(path, resolved);
    if (r && !resolved)
        live_add(r);
    return r;
}

void *__wrap_pm_alloc(pm_arena *a, size_t size)
{
    return inj_fail(SRC_ARENA) ? NULL : __real_pm_alloc(a, size);
}

char *__wrap_pm_strndup(pm_arena *a, const char *s, size_t len)
{
    return inj_fail(SRC_ARENA) ? NULL : __real_pm_strndup(a, s, len);
}

/* The arena's growing arrays (src/explain's scans, changes and values). */
void *__wrap_pm_grow(pm_arena *a, const void *items, size_t n, size_t *cap, size_t size, size_t first)
{
    return inj_fail(SRC_ARENA) ? NULL : __real_pm_grow(a, items, n, cap, size, first);
}

void *aw_cjson_malloc(size_t n)
{
    return counted_malloc(n, SRC_CJSON);
}

void aw_cjson_free(void *p)
{
    __wrap_free(p);
}
