/* Source files of one compilation. Texts, names and line tables live in the
 * arena; only the growing array of files is malloc'd (it moves as it grows,
 * so callers hold indices, never ps_file pointers, across ps_add). */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ps_init(ps_sources *s, pm_arena *arena)
{
    s->arena = arena;
    s->files = NULL;
    s->nfiles = s->cap = 0;
}

void ps_fini(ps_sources *s)
{
    free(s->files);
    s->files = NULL;
    s->nfiles = s->cap = 0;
}

static bool ps_reserve(ps_sources *s)
{
    if (s->nfiles < s->cap)
        return true;
    if (s->cap > UINT32_MAX / 2 / sizeof(ps_file))
        return false;
    uint32_t cap = s->cap ? s->cap * 2 : 8;
    ps_file *f = realloc(s->files, cap * sizeof *f);
    if (!f)
        return false;
    s->files = f;
    s->cap = cap;
    return true;
}

int ps_add(ps_sources *s, const char *name, const char *path, const char *text, size_t len)
{
    /* Offsets are 32-bit; a span must be able to point one past the end. */
    if (len >= UINT32_MAX || s->nfiles >= INT32_MAX || !ps_reserve(s))
        return -1;
    char *t = pm_strndup(s->arena, text ? text : "", text ? len : 0);
    char *n = pm_strndup(s->arena, name, strlen(name));
    char *p = path ? pm_strndup(s->arena, path, strlen(path)) : n;
    if (!t || !n || !p)
        return -1;
    ps_file *f = &s->files[s->nfiles];
    f->name = n;
    f->path = p;
    f->text = t;
    f->len = text ? (uint32_t)len : 0;
    f->line_start = NULL;
    f->nlines = 0;
    return (int)s->nfiles++;
}

/* Builds the table of line starts; false when out of memory (callers then
 * count lines by scanning, which is slower but never fails). */
static bool ps_lines(ps_sources *s, ps_file *f)
{
    if (f->line_start)
        return true;
    uint32_t n = 1;
    for (uint32_t i = 0; i < f->len; i++)
        n += f->text[i] == '\n';
    uint32_t *ls = pm_alloc(s->arena, (size_t)n * sizeof *ls);
    if (!ls)
        return false;
    uint32_t k = 0;
    ls[k++] = 0;
    for (uint32_t i = 0; i < f->len; i++)
        if (f->text[i] == '\n')
            ls[k++] = i + 1;
    f->line_start = ls;
    f->nlines = n;
    return true;
}

/* The 0-based line holding `offset` (the last line with start <= offset). */
static uint32_t ps_line_index(const ps_file *f, uint32_t offset)
{
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->line_start[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void ps_position(ps_sources *s, uint32_t file, uint32_t offset, uint32_t *line, uint32_t *col)
{
    *line = *col = 1;
    if (file >= s->nfiles)
        return;
    ps_file *f = &s->files[file];
    if (offset > f->len)
        offset = f->len;
    if (ps_lines(s, f)) {
        uint32_t i = ps_line_index(f, offset);
        *line = i + 1;
        *col = offset - f->line_start[i] + 1;
        return;
    }
    uint32_t start = 0;
    for (uint32_t i = 0; i < offset; i++)
        if (f->text[i] == '\n') {
            ++*line;
            start = i + 1;
        }
    *col = offset - start + 1;
}

const char *ps_line_text(ps_sources *s, uint32_t file, uint32_t line, uint32_t *len)
{
    *len = 0;
    if (file >= s->nfiles || line == 0)
        return "";
    ps_file *f = &s->files[file];
    uint32_t start = 0;
    if (ps_lines(s, f)) {
        if (line > f->nlines)
            return "";
        start = f->line_start[line - 1];
    } else {
        for (uint32_t l = 1, i = 0; l < line; i++) {
            if (i >= f->len)
                return "";
            if (f->text[i] == '\n') {
                l++;
                start = i + 1;
            }
        }
    }
    uint32_t end = start;
    while (end < f->len && f->text[end] != '\n')
        end++;
    if (end > start && f->text[end - 1] == '\r')
        end--; /* a CRLF file */
    *len = end - start;
    return f->text + start;
}

int ps_open_regular(const char *path, bool *not_regular)
{
    *not_regular = false;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        *not_regular = true;
        errno = EINVAL;
        return -1;
    }
    return fd;
}
