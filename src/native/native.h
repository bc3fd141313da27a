/* The ahead-of-time C back end: a verified image translated to C source
 * that implements include/pathway_native.h (docs/embedding.md, "Compiled
 * rule sets"). It reads the image only, never the compiler's structures, so
 * a .pwc file translates as well as a rule file. */
#ifndef PN_NATIVE_H
#define PN_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bc/image.h"
#include "../util/buf.h"

/* Appends the C source of img (verified) to out. `origin` names what it was
 * generated from, for the file's header comment. On failure (out of memory,
 * an image this back end cannot translate) returns false with a message. */
bool pn_emit_c(const pb_image *img, const char *origin, pu_buf *out, char *err, size_t errlen);

/* The hash a generated file records (pw_native.image_hash): FNV-1a of the
 * image's .pwc encoding, the same for a rule file and its compiled .pwc.
 * Returns false when out of memory. */
bool pn_image_hash(const pb_image *img, uint64_t *hash);

#endif
