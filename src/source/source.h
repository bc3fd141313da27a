/* Source files of one compilation, and positions in them. Positions are byte
 * offsets; line and column are computed only when a message is printed. */
#ifndef PS_SOURCE_H
#define PS_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

typedef struct ps_span {
    uint32_t file;  /* index into ps_sources.files */
    uint32_t start; /* byte offset of the first byte */
    uint32_t end;   /* byte offset just past the last byte (>= start) */
} ps_span;

typedef struct ps_file {
    const char *name;     /* as the user or the include named it */
    const char *path;     /* resolved path used to read it (and dedupe) */
    const char *text;     /* NUL-terminated */
    uint32_t len;
    uint32_t *line_start; /* byte offset of each line; built on demand */
    uint32_t nlines;
} ps_file;

typedef struct ps_sources {
    pm_arena *arena;      /* owns the texts and tables */
    ps_file *files;
    uint32_t nfiles, cap;
} ps_sources;

void ps_init(ps_sources *s, pm_arena *arena);
void ps_fini(ps_sources *s);
/* Adds a file whose text is copied into the arena. Returns its index, or -1
 * when out of memory. */
int ps_add(ps_sources *s, const char *name, const char *path, const char *text, size_t len);
/* 1-based line and column (column counts bytes) of a byte offset. */
void ps_position(ps_sources *s, uint32_t file, uint32_t offset, uint32_t *line, uint32_t *col);
/* The text of a 1-based line, without its newline. */
const char *ps_line_text(ps_sources *s, uint32_t file, uint32_t line, uint32_t *len);

/* Opens `path` for reading as rule source. Only a regular file is opened:
 * a FIFO, a terminal or a device could block the read forever, and a
 * directory has no text. The open itself never blocks (O_NONBLOCK), and the
 * descriptor is not inherited (O_CLOEXEC). Returns the descriptor, or -1
 * with errno set; *not_regular is true when the path exists but is not a
 * regular file (errno is then EINVAL). */
int ps_open_regular(const char *path, bool *not_regular);

#endif
