/* Finding rule files under directories, for the commands that take
 * FILE|DIR arguments (`pathway test`, `pathway fmt`). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ruletest.h"
#include "util/assert.h"

typedef struct pr_walk {
    pr_strings *files;
    pr_strings *notes;
} pr_walk;

/* A message for the user; false, so that callers can return it. */
static bool pr_note(pr_walk *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static bool pr_note(pr_walk *w, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pr_strings_push(w->notes, msg); /* out of memory: the failure still shows */
    return false;
}

static bool pr_oom(pr_walk *w) { return pr_note(w, "out of memory"); }

static int pr_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool pr_is_rule_file(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".pw") == 0;
}

static char *pr_join(const char *dir, const char *name)
{
    size_t d = strlen(dir), n = strlen(name);
    bool slash = PU_ALWAYS(d) && dir[d - 1] == '/'; /* dir: one opendir opened */
    char *p = malloc(d + n + 2);
    if (p)
        snprintf(p, d + n + 2, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}

static bool pr_walk_dir(pr_walk *w, const char *dir);

/* One directory entry: a rule file is listed, a directory searched. */
static bool pr_visit(pr_walk *w, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return true; /* gone since it was listed */
    if (S_ISDIR(st.st_mode))
        return pr_walk_dir(w, path);
    if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
        return true;
    if (S_ISREG(st.st_mode) && pr_is_rule_file(path) && !pr_strings_push(w->files, path))
        return pr_oom(w);
    return true;
}

/* Every *.pw file under dir, sorted by name at each level. */
static bool pr_walk_dir(pr_walk *w, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return pr_note(w, "cannot read directory %s: %s", dir, strerror(errno));
    pr_strings names = {0};
    bool ok = true;
    for (struct dirent *e; ok && (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            ok = pr_strings_push(&names, e->d_name);
    closedir(d);
    if (!ok)
        pr_oom(w);
    if (names.n)
        qsort(names.items, names.n, sizeof *names.items, pr_compare);
    for (size_t i = 0; ok && i < names.n; i++) {
        char *path = pr_join(dir, names.items[i]);
        ok = path ? pr_visit(w, path) : pr_oom(w);
        free(path);
    }
    pr_strings_fini(&names);
    return ok;
}

bool pr_collect_files(const pr_strings *args, pr_strings *files, pr_strings *notes)
{
    pr_walk w = {files, notes};
    bool ok = true;
    for (size_t i = 0; i < args->n; i++) {
        struct stat st;
        size_t before = files->n;
        if (stat(args->items[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            ok = pr_walk_dir(&w, args->items[i]) && ok;
            if (ok && files->n == before)
                pr_note(&w, "note: no *.pw files under %s", args->items[i]);
        } else if (!pr_strings_push(files, args->items[i])) {
            return pr_oom(&w);
        }
    }
    return ok;
}
