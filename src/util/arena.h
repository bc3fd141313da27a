/* Arena allocation: everything from one compilation (or one facts record) is
 * carved out of large chunks and released at once. Allocation failure is
 * reported as NULL; callers turn that into an error, never an abort. */
#ifndef PM_ARENA_H
#define PM_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pm_chunk pm_chunk;

typedef struct pm_arena {
    pm_chunk *head;     /* newest chunk first */
    size_t chunk_size;  /* size of a regular chunk */
    size_t used_total;  /* bytes handed out since the last reset */
    size_t limit;       /* 0 = unlimited; otherwise pm_alloc fails past it */
} pm_arena;

void pm_init(pm_arena *a, size_t chunk_size);
/* Returns zeroed, max-aligned memory or NULL. */
void *pm_alloc(pm_arena *a, size_t size);
/* An array of `size`-byte elements growing in the arena: returns a copy of
 * the `n` in use of `items` with room for *cap doubled (or `first` when
 * *cap is 0), and sets *cap; the old array stays in the arena until the
 * arena goes. NULL, *cap unchanged, when memory runs out or the size would
 * overflow. */
void *pm_grow(pm_arena *a, const void *items, size_t n, size_t *cap, size_t size, size_t first);
/* Copies len bytes and appends a NUL. */
char *pm_strndup(pm_arena *a, const char *s, size_t len);
/* printf into the arena; NULL when out of memory. */
char *pm_vprintf(pm_arena *a, const char *fmt, va_list ap);
char *pm_printf(pm_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Keeps the first chunk for reuse, frees the rest. */
void pm_reset(pm_arena *a);
void pm_free(pm_arena *a);

#endif
