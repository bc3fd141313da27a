#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pm_chunk {
    pm_chunk *next;
    size_t size;
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

#define PM_ALIGN (alignof(max_align_t))

void pm_init(pm_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 16384;
    a->used_total = 0;
    a->limit = 0;
}

static pm_chunk *pm_new_chunk(size_t size)
{
    if (size > SIZE_MAX - sizeof(pm_chunk)) /* the header would wrap the size */
        return NULL;
    pm_chunk *c = malloc(sizeof *c + size);
    if (!c)
        return NULL;
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *pm_alloc(pm_arena *a, size_t size)
{
    size_t need = (size + PM_ALIGN - 1) & ~(PM_ALIGN - 1);
    if (need < size)
        return NULL;
    if (a->limit && a->used_total + need > a->limit)
        return NULL;
    pm_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        /* Oversized requests get a chunk of their own behind the current one,
         * so the remaining space of the current chunk is not wasted. */
        size_t csize = need > a->chunk_size / 2 ? need : a->chunk_size;
        pm_chunk *n = pm_new_chunk(csize);
        if (!n)
            return NULL;
        if (c && csize != a->chunk_size) {
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->used_total += need;
    memset(p, 0, size);
    return p;
}

void *pm_grow(pm_arena *a, const void *items, size_t n, size_t *cap, size_t size, size_t first)
{
    size_t ncap = *cap ? *cap * 2 : first;
    if (ncap < *cap || (size && ncap > SIZE_MAX / size))
        return NULL;
    void *p = pm_alloc(a, ncap * size);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, items, n * size);
    *cap = ncap;
    return p;
}

char *pm_strndup(pm_arena *a, const char *s, size_t len)
{
    char *p = pm_alloc(a, len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void pm_reset(pm_arena *a)
{
    pm_chunk *keep = NULL;
    pm_chunk *c = a->head;
    while (c) {
        pm_chunk *next = c->next;
        if (!keep && c->size == a->chunk_size) {
            keep = c;
            keep->used = 0;
        } else {
            free(c);
        }
        c = next;
    }
    if (keep)
        keep->next = NULL;
    a->head = keep;
    a->used_total = 0;
}

void pm_free(pm_arena *a)
{
    pm_chunk *c = a->head;
    while (c) {
        pm_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

char *pm_vprintf(pm_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = pm_alloc(a, (size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *pm_printf(pm_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pm_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}
