/* Where a program's `grants` lands, as the generator compiles `granted here`
 * (docs/language.md, "Where a granted certificate lands"): a function of no
 * parameters that gives the marked facts list (LOAD_FACT slot; RET), named
 * "granted here with id: F, issued: G[, expires: H]" after the fields of the
 * list's record. No new field or instruction: a rule set without the marker
 * compiles to exactly the bytes it did, and a reader that does not know the
 * marker sees one more definition. */
#ifndef PB_GRANTED_H
#define PB_GRANTED_H

#include <stdbool.h>
#include <stdint.h>

#include "image.h"

#define PB_GRANTED_PREFIX "granted here with "
#define PB_NO_GRANT_FIELD UINT32_MAX

/* The marked list: the facts field, and the fields of its record (indices
 * into the record) for the id, the issue day and the expiry
 * (PB_NO_GRANT_FIELD: none). */
typedef struct pb_granted {
    uint32_t slot;
    uint32_t id, issued, expires;
} pb_granted;

/* A requirement's `arrange "TEXT"` (what a coach does to meet it, for
 * `pathway plan`), compiled the same way: a function of no parameters
 * giving true, named "arrange N: TEXT" where N is the requirement node's
 * index in the image. */
#define PB_ARRANGE_PREFIX "arrange "

/* Fills texts[0..img->nreqs) with each node's arrange text, or NULL. */
void pb_arrange_texts(const pb_image *img, const char **texts);

/* Whether the image has the marker; fills *out when it has. A marker that
 * does not resolve (names no field of the list's record) is not one. */
bool pb_granted_find(const pb_image *img, pb_granted *out);

#endif
