/* Small owned-string helpers and source positions for the rule-test tools. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ruletest_int.h"
#include "util/assert.h"

char *pr_dup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void *pr_reserve(void *items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 8;
    /* *cap * size bytes were allocated (at most PTRDIFF_MAX): twice that fits; 8 of an item does */
    if (PU_NEVER(ncap > SIZE_MAX / size))
        return NULL;
    void *p = realloc(items, ncap * size);
    if (p)
        *cap = ncap;
    return p;
}

bool pr_strings_push(pr_strings *s, const char *text)
{
    char **items = pr_reserve(s->items, &s->cap, s->n, sizeof *s->items);
    if (!items)
        return false;
    s->items = items;
    char *copy = pr_dup(text ? text : "");
    if (!copy)
        return false;
    s->items[s->n++] = copy;
    return true;
}

bool pr_strings_has(const pr_strings *s, const char *text)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i], text) == 0)
            return true;
    return false;
}

void pr_strings_fini(pr_strings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
    s->items = NULL;
    s->n = s->cap = 0;
}

pr_pos pr_position(const pt_tree *tree, ps_span span)
{
    pr_pos p = {"", "", 0, 0};
    ps_sources *src = tree->src;
    if (!src || span.file >= src->nfiles)
        return p;
    uint32_t line, col;
    ps_position(src, span.file, span.start, &line, &col);
    p.file = src->files[span.file].name;
    p.key = src->files[span.file].path ? src->files[span.file].path : p.file;
    p.line = line;
    p.column = col;
    return p;
}

double pr_now(void)
{
    struct timespec ts;
    /* CLOCK_MONOTONIC is always there (POSIX 2008, Linux) and ts is valid:
     * neither EINVAL nor EFAULT can happen. */
    int rc = clock_gettime(CLOCK_MONOTONIC, &ts);
    if (PU_NEVER(rc != 0))
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
