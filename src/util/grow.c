#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

bool pu_grow(void **data, size_t *cap, size_t len, size_t extra, size_t first, bool *oom)
{
    if (*oom)
        return false;
    if (extra <= *cap - len)
        return true;
    size_t ncap = *cap ? *cap : first;
    while (ncap - len < extra) {
        if (ncap > SIZE_MAX / 2) {
            *oom = true;
            return false;
        }
        ncap *= 2;
    }
    void *p = realloc(*data, ncap);
    if (!p) {
        *oom = true;
        return false;
    }
    *data = p;
    *cap = ncap;
    return true;
}
