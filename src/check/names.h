/* A small name table (string -> index) and "did you mean" suggestions, for
 * the checker's scopes of records, fields, definitions and programs. */
#ifndef PC_NAMES_H
#define PC_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"

typedef struct pc_names {
    pm_arena *arena;
    const char **keys;
    uint32_t *vals;
    uint32_t cap, count; /* cap is a power of two, or 0 */
} pc_names;

void pc_names_init(pc_names *n, pm_arena *arena);
/* Adds key -> val unless key is present. Returns false when present (with
 * *old set to its value) or on OOM (*old set to UINT32_MAX). */
bool pc_names_add(pc_names *n, const char *key, uint32_t val, uint32_t *old);
/* Returns true and sets *val when present. */
bool pc_names_get(const pc_names *n, const char *key, uint32_t *val);

/* Picks the candidate closest to `name` by edit distance, if close enough
 * to be a plausible typo; NULL otherwise. */
typedef struct pc_suggest {
    const char *name;
    const char *best;
    unsigned best_dist;
} pc_suggest;
void pc_suggest_init(pc_suggest *s, const char *name);
void pc_suggest_offer(pc_suggest *s, const char *candidate);
const char *pc_suggest_result(const pc_suggest *s);

#endif
