#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
            char probe;
            if (max && cap >= max && fread(&probe, 1, 1, f) == 0 && !ferror(f))
                break; /* exactly full: a file of the limit's size is allowed */
            if (max && cap >= max) {
                snprintf(err, errlen, "%s is larger than the limit of %zu bytes", path, max);
                ok = false;
                why = EFBIG;
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
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                why = errno ? errno : EIO;
                snprintf(err, errlen, "cannot read %s: %s", path, strerror(why));
                ok = false;
            }
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

bool pu_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    snprintf(tmp, plen + 16, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok;
}
