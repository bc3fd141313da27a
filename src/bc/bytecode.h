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
#define PB_FORMAT_VERSION 6

/* The sections of a .pwc file, in the order they are written and must be
 * read (docs/bytecode.md gives each one's layout). */
#define PB_SECTIONS(X) X(STRS) X(RECS) X(KINT) X(KNUM) X(CODE) X(FUNC) X(PROG) X(REQS) X(LINE)
enum pb_section {
#define PB_X(tag) PB_SEC_##tag,
    PB_SECTIONS(PB_X)
#undef PB_X
    PB_NSECTIONS
};
/* "STRS", "RECS", ...: indexed by enum pb_section. */
extern const char pb_section_tag[PB_NSECTIONS][5];
#define PB_HEADER_LEN 20u         /* magic, version, flags, section count */
#define PB_SECTION_HEADER_LEN 12u /* tag, byte length, CRC-32 */

/* Requirements sit at most this many levels down a program's tree (the
 * VM evaluates them recursively; rule files nest two or three levels), so
 * groups nest at most PB_MAX_GROUP_NESTING deep, one inside another: the
 * checker's limit, documented in docs/robustness.md and docs/language.md. */
#define PB_MAX_REQ_DEPTH 64
#define PB_MAX_GROUP_NESTING (PB_MAX_REQ_DEPTH - 1)

typedef struct pb_limits {
    size_t max_file;     /* bytes of a .pwc; 0 = 64 MiB */
    uint32_t max_code;   /* code bytes; 0 = 16 MiB */
    uint32_t max_frame;  /* values per evaluation stack; 0 = 1 << 20 */
} pb_limits;

/* Serializes img. *out is malloc'd. Returns false on OOM. */
bool pb_save(const pb_image *img, uint8_t **out, size_t *len);

/* Parses a .pwc file into a new image and verifies it (pb_verify). On failure
 * returns NULL with a message such as "truncated file: section 'CODE' needs
 * 4096 bytes, 12 remain" or "checksum mismatch in section 'CODE' (file
 * corrupted)". */
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
/* pb_verify also sets img->max_frame, img->max_reqs and img->max_calls, which
 * pv_init sizes a context from. */

/* Returns the text of a source line (without newline) or NULL. */
typedef const char *(*pb_source_line_fn)(void *user, const char *file, uint32_t line);

/* Readable listing: strings, records, programs with their requirement trees,
 * and each function's instructions. When the line table moves to a new source
 * line, the line is printed above the instructions it produced
 * (`; usatf.pw:12: require "...": age >= 18`), fetched through `source_line`
 * (may be NULL: file and line number only). */
void pb_disasm(const pb_image *img, FILE *out, pb_source_line_fn source_line, void *user);

/* CRC-32 (IEEE 802.3, as zlib's crc32) of n bytes: the section checksum. */
uint32_t pb_crc32(const uint8_t *p, size_t n);

/* Writes a type's name ("integer?", "list of certificate", "set of text") into
 * buf and returns buf. Record names come from img; out-of-range indices are
 * printed as numbers, so any image may be described. */
const char *pb_type_str(const pb_image *img, pb_type t, char *buf, size_t n);

#endif
