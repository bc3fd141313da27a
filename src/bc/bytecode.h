/* The .pwc file: writing an image, reading one back, verifying it, and
 * printing it. See docs/bytecode.md for the format and the invariants the
 * verifier establishes. */
#ifndef PB_BYTECODE_H
#define PB_BYTECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "image.h"

#define PB_MAGIC "\x89PWC\r\n\x1a\n" /* 8 bytes; catches text-mode and 7-bit mangling */
#define PB_MAGIC_LEN 8
#define PB_FORMAT_VERSION 1

typedef struct pb_limits {
    size_t max_file;     /* bytes of a .pwc; 0 = 64 MiB */
    uint32_t max_code;   /* code bytes; 0 = 16 MiB */
    uint32_t max_frame;  /* values per evaluation stack; 0 = 1 << 20 */
} pb_limits;

/* Serializes img. *out is malloc'd. Returns false on OOM. */
bool pb_save(const pb_image *img, uint8_t **out, size_t *len);

/* Parses a .pwc file into a new image and verifies it (pb_verify). On failure
 * returns NULL with a message such as "truncated file: the code section needs
 * 4096 bytes, 12 remain" or "checksum mismatch in section 'code'". */
pb_image *pb_load(const uint8_t *data, size_t len, const pb_limits *limits, char *err,
                  size_t errlen);

/* Proves that running img cannot misbehave: every table index in range, every
 * string NUL-terminated, every function's code well formed (operands in range,
 * jumps onto instruction boundaries inside the function, only LOOP jumping
 * backwards and only to an ITER_NEXT, a consistent stack depth and types on
 * every path, RET at every end, calls only to lower-numbered functions), the
 * requirement trees well formed, and frame sizes right. Also used on images the
 * compiler just built. On failure returns false with a message naming the
 * function and byte offset. */
bool pb_verify(pb_image *img, char *err, size_t errlen);

/* Returns the text of a source line (without newline) or NULL. */
typedef const char *(*pb_source_line_fn)(void *user, const char *file, uint32_t line);

/* Readable listing: strings, records, programs with their requirement trees,
 * and each function's instructions. When the line table moves to a new source
 * line, the line is printed above the instructions it produced
 * (`; usatf.pw:12: require "...": age >= 18`), fetched through `source_line`
 * (may be NULL: file and line number only). */
void pb_disasm(const pb_image *img, FILE *out, pb_source_line_fn source_line, void *user);

#endif
