#include "names.h"

#include <string.h>

#include "../bc/image.h"
#include "../util/distance.h"

void pc_names_init(pc_names *n, pm_arena *arena)
{
    n->arena = arena;
    n->keys = NULL;
    n->vals = NULL;
    n->cap = n->count = 0;
}

static bool pc_names_grow(pc_names *n)
{
    uint32_t cap = n->cap ? n->cap * 2 : 32;
    const char **keys = pm_alloc(n->arena, sizeof *keys * cap);
    uint32_t *vals = pm_alloc(n->arena, sizeof *vals * cap);
    if (!keys || !vals)
        return false;
    for (uint32_t i = 0; i < n->cap; i++) {
        if (!n->keys[i])
            continue;
        uint32_t s = (uint32_t)pb_hash_bytes(n->keys[i], strlen(n->keys[i])) & (cap - 1);
        while (keys[s])
            s = (s + 1) & (cap - 1);
        keys[s] = n->keys[i];
        vals[s] = n->vals[i];
    }
    /* The old arrays stay in the arena until the compilation ends. */
    n->keys = keys;
    n->vals = vals;
    n->cap = cap;
    return true;
}

static uint32_t pc_names_slot(const pc_names *n, const char *key)
{
    uint32_t s = (uint32_t)pb_hash_bytes(key, strlen(key)) & (n->cap - 1);
    while (n->keys[s] && strcmp(n->keys[s], key) != 0)
        s = (s + 1) & (n->cap - 1);
    return s;
}

bool pc_names_add(pc_names *n, const char *key, uint32_t val, uint32_t *old)
{
    if ((n->count + 1) * 2 > n->cap && !pc_names_grow(n)) {
        *old = UINT32_MAX;
        return false;
    }
    uint32_t s = pc_names_slot(n, key);
    if (n->keys[s]) {
        *old = n->vals[s];
        return false;
    }
    n->keys[s] = key;
    n->vals[s] = val;
    n->count++;
    return true;
}

bool pc_names_get(const pc_names *n, const char *key, uint32_t *val)
{
    if (!n->cap)
        return false;
    uint32_t s = pc_names_slot(n, key);
    if (!n->keys[s])
        return false;
    *val = n->vals[s];
    return true;
}

void pc_suggest_init(pc_suggest *s, const char *name)
{
    s->name = name;
    s->best = NULL;
    s->best_dist = 0;
}

void pc_suggest_offer(pc_suggest *s, const char *candidate)
{
    if (!candidate || strcmp(candidate, s->name) == 0)
        return;
    size_t d = pu_distance(s->name, strlen(s->name), candidate, strlen(candidate));
    unsigned dist = d > 99 ? 99 : (unsigned)d;
    /* A third of the name's length, at least one edit: "experiance" finds
     * "experience", "ag" does not find "id". */
    size_t len = strlen(s->name);
    unsigned limit = (unsigned)(len / 3 ? len / 3 : 1);
    if (dist <= limit && (!s->best || dist < s->best_dist)) {
        s->best = candidate;
        s->best_dist = dist;
    }
}

const char *pc_suggest_result(const pc_suggest *s)
{
    return s->best;
}
