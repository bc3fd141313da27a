#include "image.h"

#include <stdlib.h>
#include <string.h>

pb_image *pb_image_new(void)
{
    pm_arena a;
    pm_init(&a, 65536);
    pb_image *img = pm_alloc(&a, sizeof *img);
    if (!img) {
        pm_free(&a);
        return NULL;
    }
    img->arena = a;
    return img;
}

uint64_t pb_hash_bytes(const char *s, size_t len)
{
    /* FNV-1a: short keys (ids, labels), cheap and good enough for a table
     * that is at most half full. */
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t pb_hash_text(const char *s, size_t len)
{
    /* Eight bytes at a time, each word mixed in with a multiply and a shift
     * (the finalizer of splitmix64): interning hashes every text of every
     * facts record, and FNV's multiply per byte showed in profiles. Only
     * ever compared within one process, so the byte order of the words does
     * not matter. */
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)len;
    for (; len >= 8; s += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < len; i++)
        w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    h = (h ^ w) * 0x94D049BB133111EBu;
    return h ^ (h >> 29) ^ (h >> 43);
}

bool pb_build_hash(pb_image *img)
{
    uint32_t cap = 16;
    while (cap < img->nstrings * 2u + 2u)
        cap *= 2;
    img->hash = pm_alloc(&img->arena, sizeof *img->hash * cap);
    if (!img->hash)
        return false;
    img->hash_mask = cap - 1;
    for (uint32_t id = 0; id < img->nstrings; id++) {
        uint32_t slot = (uint32_t)pb_hash_text(img->strings[id], img->string_len[id]) & img->hash_mask;
        while (img->hash[slot])
            slot = (slot + 1) & img->hash_mask;
        img->hash[slot] = id + 1;
    }
    return true;
}

uint32_t pb_find_string(const pb_image *img, const char *s, size_t len)
{
    if (!img->hash)
        return PB_NO_STRING;
    uint32_t slot = (uint32_t)pb_hash_text(s, len) & img->hash_mask;
    for (;;) {
        uint32_t e = img->hash[slot];
        if (!e)
            return PB_NO_STRING;
        uint32_t id = e - 1;
        if (img->string_len[id] == len && memcmp(img->strings[id], s, len) == 0)
            return id;
        slot = (slot + 1) & img->hash_mask;
    }
}

const pb_line *pb_line_at(const pb_image *img, uint32_t pc)
{
    const pb_line *best = NULL;
    uint32_t lo = 0, hi = img->nlines;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (img->lines[mid].pc <= pc) {
            best = &img->lines[mid];
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return best;
}

void pb_image_free(pb_image *img)
{
    if (!img)
        return;
    pm_arena a = img->arena;
    pm_free(&a);
}
