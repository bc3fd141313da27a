/* Reading whole files, with a size limit and a message on failure. */
#ifndef PU_FILE_H
#define PU_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads `path` ("-" is standard input) into a malloc'd, NUL-terminated
 * buffer. Fails with a message past `max` bytes (0 = no limit). On failure
 * errno is ENOMEM exactly when memory ran out (the message alone cannot say:
 * it quotes the path). */
bool pu_read_file(const char *path, size_t max, char **data, size_t *len, char *err, size_t errlen);

/* Writes data to `path` atomically: a temporary file in the same directory,
 * then rename. */
bool pu_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen);

#endif
