/* Growing a malloc'd buffer by doubling: shared by every byte buffer that
 * renders or serializes (diagnostics, .pwc writing). */
#ifndef PU_GROW_H
#define PU_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* Makes room for `extra` bytes after the first `len` of *data (capacity
 * *cap), doubling from `first`. Returns false, with *oom set and the buffer
 * untouched, when memory runs out or the size would overflow. */
bool pu_grow(void **data, size_t *cap, size_t len, size_t extra, size_t first, bool *oom);

#endif
