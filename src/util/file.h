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

/* An output file being written (docs/robustness.md, "Outputs"). A new or
 * ordinary existing file gets a temporary file in the same directory,
 * renamed over it at commit (readers see the old or the new content, never
 * a mix), with the old file's permissions and, when run as root, its owner.
 * A character device or fifo (/dev/null, /dev/stdout, a pipe) and a regular
 * file with other hard links are written in place, the latter cut to the
 * new length at commit. "-" is standard output. A symbolic link, a
 * directory, another kind of file and a read-only file are refused. */
typedef struct pu_out {
    int fd;                  /* where write goes */
    int dir;                 /* the target's directory, or -1 */
    const char *path;        /* as given, for messages */
    const char *base;        /* the target's name in dir (within path) */
    char tmp[256];           /* the temporary file's name in dir; "" when none */
    bool in_place, regular, std;
    unsigned long long written;
} pu_out;

/* Opens an output: nothing is written to the target before commit. */
bool pu_out_open(pu_out *o, const char *path, char *err, size_t errlen);
/* Writes all of data (retrying short writes). On failure call pu_out_abort. */
bool pu_out_write(pu_out *o, const void *data, size_t len, char *err, size_t errlen);
/* Makes the output the target's content: fsync, rename, fsync the
 * directory. On failure the temporary file is removed and the target is
 * left as it was (unless written in place). Releases o either way. */
bool pu_out_commit(pu_out *o, char *err, size_t errlen);
/* Removes the temporary file and releases o; the target is untouched. */
void pu_out_abort(pu_out *o);

/* Whether pu_out_open would take path, judged by the same rules, without
 * creating or opening anything but its directory (a fifo is not opened, so
 * nothing waits): for a command to refuse a bad output before its work.
 * "-" (standard output) passes. On failure err says why, as pu_out_open. */
bool pu_out_check(const char *path, char *err, size_t errlen);
/* pu_out_open, pu_out_write and pu_out_commit in one. */
bool pu_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen);

#endif
