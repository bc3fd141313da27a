/* A test's own temporary directory, flat: made with mkdtemp, emptied and
 * removed after each test, so that a test writes nowhere else. */
#ifndef UT_TMPDIR_H
#define UT_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Removes the files directly in `dir` (tests make no subdirectories), then
 * `dir` itself. */
static inline void ut_tmpdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(dir);
}

#endif
