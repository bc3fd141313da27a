#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A read of path failed (ferror): the message, and in *why the errno the
 * caller leaves (stdio may fail without setting one). */
static bool pu_read_failed(const char *path, int *why, char *err, size_t errlen)
{
    *why = errno ? errno : EIO;
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(*why));
    return false;
}

bool pu_read_file(const char *path, size_t max, char **data, size_t *len, char *err, size_t errlen)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(e));
        errno = e;
        return false;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    bool ok = buf != NULL;
    int why = buf ? 0 : ENOMEM; /* errno on failure: callers tell ENOMEM apart */
    while (ok) {
        if (n == cap) {
            if (max && cap >= max) {
                /* Exactly full: a file of the limit's size is allowed, one
                 * more byte is not, and a failing read is no size at all. */
                char probe;
                errno = 0;
                if (fread(&probe, 1, 1, f) == 1) {
                    snprintf(err, errlen, "%s is larger than the limit of %zu bytes", path, max);
                    ok = false;
                    why = EFBIG;
                } else if (ferror(f)) {
                    ok = pu_read_failed(path, &why, err, errlen);
                }
                break;
            }
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                ok = false;
                why = ENOMEM;
                snprintf(err, errlen, "out of memory reading %s", path);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        errno = 0;
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                ok = pu_read_failed(path, &why, err, errlen);
            break;
        }
    }
    if (!buf)
        snprintf(err, errlen, "out of memory reading %s", path);
    if (ok && max && n > max) {
        snprintf(err, errlen, "%s is larger than the limit of %zu bytes", path, max);
        ok = false;
        why = EFBIG;
    }
    if (!is_stdin)
        fclose(f);
    if (!ok) {
        free(buf);
        errno = why;
        return false;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return true;
}

/* ---- the writer ---------------------------------------------------------------------
 * Safe in a directory others can write to: the directory is opened once
 * (not through a symbolic link) and every later step is relative to it; the
 * temporary file gets a fresh name, created exclusively and never through a
 * link; the target is checked without following links, and a link is
 * refused, never followed or replaced (docs/robustness.md, "Outputs"). */

static bool pu_fail(char *err, size_t errlen, const char *path, const char *why)
{
    snprintf(err, errlen, "cannot write %s: %s", path, why);
    return false;
}

/* A name for the temporary file no one can guess in advance: the target's
 * name, hidden, with random letters (O_EXCL, not the name, is what makes
 * it safe; the randomness only keeps others from taking every name). */
static void pu_temp_name(char *out, size_t n, const char *base, unsigned attempt)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char bytes[8] = {0};
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool got = fd >= 0 && read(fd, bytes, sizeof bytes) == (ssize_t)sizeof bytes;
    if (fd >= 0)
        close(fd);
    if (!got) { /* no /dev/urandom (a chroot): the clock, the process and the try */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_nsec * 2654435761u ^ (unsigned long long)getpid() << 20 ^
                               (unsigned long long)ts.tv_sec ^ attempt * 40503u;
        for (size_t i = 0; i < sizeof bytes; i++, x >>= 7)
            bytes[i] = (unsigned char)x;
    }
    char rnd[sizeof bytes + 1];
    for (size_t i = 0; i < sizeof bytes; i++)
        rnd[i] = letters[bytes[i] % (sizeof letters - 1)];
    rnd[sizeof bytes] = '\0';
    snprintf(out, n, ".%.200s.%s.tmp", base, rnd);
}

/* Splits path into its directory (opened into o->dir) and its last name. */
static bool pu_open_dir(pu_out *o, const char *path, char *err, size_t errlen)
{
    size_t len = strlen(path);
    if (len == 0)
        return pu_fail(err, errlen, "``", "no file name");
    if (path[len - 1] == '/')
        return pu_fail(err, errlen, path, "it names a directory; give a file name");
    const char *slash = strrchr(path, '/');
    o->base = slash ? slash + 1 : path;
    if (strcmp(o->base, ".") == 0 || strcmp(o->base, "..") == 0)
        return pu_fail(err, errlen, path, "it names a directory; give a file name");
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    char *dir = malloc(dlen + 2);
    if (!dir)
        return pu_fail(err, errlen, path, "out of memory");
    if (!slash)
        strcpy(dir, ".");
    else if (dlen == 0)
        strcpy(dir, "/");
    else {
        memcpy(dir, path, dlen);
        dir[dlen] = '\0';
    }
    o->dir = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    bool ok = o->dir >= 0;
    if (!ok) {
        char why[512];
        struct stat ls;
        /* O_NOFOLLOW on a link: ENOTDIR (Linux, with O_DIRECTORY) or ELOOP
         * (POSIX). ELOOP is also a loop of links on the way, not the
         * directory's own: lstat tells. */
        if ((e == ELOOP || e == ENOTDIR) && lstat(dir, &ls) == 0 && S_ISLNK(ls.st_mode))
            snprintf(why, sizeof why, "its directory %s is a symbolic link; name the directory it points to", dir);
        else
            snprintf(why, sizeof why, "cannot open its directory %s: %s", dir, strerror(e));
        pu_fail(err, errlen, path, why);
    }
    free(dir);
    return ok;
}

/* Whether the user may write the existing regular file: as root, whether
 * any write bit is set (root could write anything; editors and `sed -i`
 * warn the same way). */
static bool pu_writable(const pu_out *o, const struct stat *st)
{
    if (geteuid() == 0)
        return (st->st_mode & 0222) != 0;
    return faccessat(o->dir, o->base, W_OK, AT_EACCESS) == 0 || errno != EACCES;
}

/* Opens the existing target itself (a device, a fifo, a hard-linked file)
 * and checks that it is still the file that was examined. */
static bool pu_open_in_place(pu_out *o, const struct stat *st, char *err, size_t errlen)
{
    o->fd = openat(o->dir, o->base, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (o->fd < 0)
        return pu_fail(err, errlen, o->path, strerror(errno));
    struct stat now;
    if (fstat(o->fd, &now) != 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
        return pu_fail(err, errlen, o->path, "it changed while it was being opened");
    o->in_place = true;
    o->regular = S_ISREG(now.st_mode);
    return true;
}

/* Creates the temporary file beside the target, with the target's owner,
 * group and permissions when it exists (set before the rename, so the
 * target never has others'). */
static bool pu_open_temp(pu_out *o, const struct stat *st, bool existed, char *err, size_t errlen)
{
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        pu_temp_name(o->tmp, sizeof o->tmp, o->base, attempt);
        o->fd = openat(o->dir, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, existed ? 0600 : 0666);
        if (o->fd >= 0 || errno != EEXIST)
            break;
    }
    if (o->fd < 0) {
        o->tmp[0] = '\0';
        return pu_fail(err, errlen, o->path, strerror(errno));
    }
    o->regular = true;
    if (!existed)
        return true;
    /* chown before chmod: chown clears the set-id bits. Only root may give
     * a file away; others keep the group when they belong to it. */
    if (geteuid() == 0 ? fchown(o->fd, st->st_uid, st->st_gid) != 0
                       : st->st_gid != getegid() && fchown(o->fd, (uid_t)-1, st->st_gid) != 0 && errno != EPERM)
        return pu_fail(err, errlen, o->path, "cannot keep its owner");
    if (fchmod(o->fd, st->st_mode & 07777) != 0)
        return pu_fail(err, errlen, o->path, "cannot keep its permissions");
    return true;
}

/* What the writer does with its target. */
typedef enum { PU_NEW, PU_IN_PLACE, PU_REPLACE } pu_way;

/* Looks at the target o->base in o->dir without following a link and
 * decides how it is written, or refuses it: the one set of rules both
 * pu_out_open and pu_out_check apply. */
static bool pu_target(pu_out *o, struct stat *st, pu_way *way, char *err, size_t errlen)
{
    const char *path = o->path;
    memset(st, 0, sizeof *st);
    if (fstatat(o->dir, o->base, st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT)
            return pu_fail(err, errlen, path, strerror(errno));
        *way = PU_NEW;
        return true;
    }
    if (S_ISLNK(st->st_mode))
        return pu_fail(err, errlen, path, "it is a symbolic link; pathway neither follows nor replaces one "
                                          "(name the file it points to)");
    if (S_ISDIR(st->st_mode))
        return pu_fail(err, errlen, path, "it is a directory; give a file name");
    if (S_ISCHR(st->st_mode) || S_ISFIFO(st->st_mode)) {
        *way = PU_IN_PLACE;
        return true;
    }
    if (!S_ISREG(st->st_mode))
        return pu_fail(err, errlen, path, "it is not a regular file, a character device or a fifo");
    if (!pu_writable(o, st))
        return pu_fail(err, errlen, path, "it is read-only; make it writable first (chmod u+w) "
                                          "if it is to be replaced");
    *way = st->st_nlink > 1 ? PU_IN_PLACE : PU_REPLACE; /* in place keeps its other names */
    return true;
}

/* Opens the directory and judges the target; o->fd stays closed. */
static bool pu_prepare(pu_out *o, const char *path, struct stat *st, pu_way *way, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->fd = o->dir = -1;
    o->path = path;
    return pu_open_dir(o, path, err, errlen) && pu_target(o, st, way, err, errlen);
}

bool pu_out_open(pu_out *o, const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0) {
        memset(o, 0, sizeof *o);
        o->dir = -1;
        o->path = path;
        o->fd = STDOUT_FILENO;
        o->std = o->in_place = true;
        if (fflush(stdout) != 0)
            return pu_fail(err, errlen, "standard output", strerror(errno));
        return true;
    }
    struct stat st;
    pu_way way = PU_NEW;
    bool ok = pu_prepare(o, path, &st, &way, err, errlen);
    if (ok)
        ok = way == PU_IN_PLACE ? pu_open_in_place(o, &st, err, errlen)
                                : pu_open_temp(o, &st, way == PU_REPLACE, err, errlen);
    if (!ok)
        pu_out_abort(o);
    return ok;
}

bool pu_out_check(const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0)
        return true;
    pu_out o;
    struct stat st;
    pu_way way = PU_NEW;
    bool ok = pu_prepare(&o, path, &st, &way, err, errlen);
    /* The temporary file is made in the directory: the user must be able
     * to write there (root can, unless the file system is read-only). */
    if (ok && way != PU_IN_PLACE && faccessat(o.dir, ".", W_OK, AT_EACCESS) != 0)
        ok = pu_fail(err, errlen, path, strerror(errno));
    pu_out_abort(&o);
    return ok;
}

bool pu_out_write(pu_out *o, const void *data, size_t len, char *err, size_t errlen)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(o->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return pu_fail(err, errlen, o->std ? "standard output" : o->path, n < 0 ? strerror(errno) : "nothing written");
        p += n;
        len -= (size_t)n;
        o->written += (unsigned long long)n;
    }
    return true;
}

/* A file written in place: cut to what was written, then on disk. */
static bool pu_commit_in_place(pu_out *o, char *err, size_t errlen)
{
    bool ok = true;
    if (o->regular && (ftruncate(o->fd, (off_t)o->written) != 0 || fsync(o->fd) != 0))
        ok = pu_fail(err, errlen, o->path, strerror(errno));
    if (close(o->fd) != 0 && ok)
        ok = pu_fail(err, errlen, o->path, strerror(errno));
    o->fd = -1;
    return ok;
}

bool pu_out_commit(pu_out *o, char *err, size_t errlen)
{
    bool ok = true;
    if (o->std) {
        o->fd = -1;
    } else if (o->in_place) {
        ok = pu_commit_in_place(o, err, errlen);
    } else {
        if (fsync(o->fd) != 0)
            ok = pu_fail(err, errlen, o->path, strerror(errno));
        if (close(o->fd) != 0 && ok)
            ok = pu_fail(err, errlen, o->path, strerror(errno));
        o->fd = -1;
        if (ok && renameat(o->dir, o->tmp, o->dir, o->base) != 0)
            ok = pu_fail(err, errlen, o->path, strerror(errno));
        if (ok)
            o->tmp[0] = '\0';
        /* The new name on disk too; a directory some systems cannot fsync
         * (EINVAL) is no failure of the write. */
        if (ok && fsync(o->dir) != 0 && errno != EINVAL && errno != EROFS)
            ok = pu_fail(err, errlen, o->path, strerror(errno));
    }
    pu_out_abort(o);
    return ok;
}

void pu_out_abort(pu_out *o)
{
    if (o->fd >= 0 && !o->std)
        close(o->fd);
    o->fd = -1;
    if (o->tmp[0]) /* made only in the open directory (pu_open_temp) */
        unlinkat(o->dir, o->tmp, 0);
    o->tmp[0] = '\0';
    if (o->dir >= 0)
        close(o->dir);
    o->dir = -1;
}

bool pu_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    pu_out o;
    if (!pu_out_open(&o, path, err, errlen))
        return false;
    if (!pu_out_write(&o, data, len, err, errlen)) {
        pu_out_abort(&o);
        return false;
    }
    return pu_out_commit(&o, err, errlen);
}
