/* The code generator: turns a checked program into an image. Fact fields
 * become slot indices and text becomes string ids here, so evaluation does no
 * name lookups and no string hashing. */
#ifndef PK_GEN_H
#define PK_GEN_H

#include <stddef.h>

#include "../bc/image.h"
#include "../check/check.h"

/* Returns a new image, or NULL with a message (only on out-of-memory or a
 * limit the image format cannot represent). The image is not yet verified. */
pb_image *pk_generate(const pc_program *p, ps_sources *src, char *err, size_t errlen);

#endif
