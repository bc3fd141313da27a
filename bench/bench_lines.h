/* Reading JSON Lines for the benchmark's C programs (header-only): the next
 * non-blank line of a file, with getline(3). Only the untimed loading phases
 * use it; parse_only.c has its own chunked reader. */
#ifndef BENCH_LINES_H
#define BENCH_LINES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

typedef struct bl_reader {
    FILE *f;
    char *line;
    size_t cap;
    long lineno;
} bl_reader;

static inline bool bl_open(bl_reader *r, const char *path)
{
    r->f = fopen(path, "rb");
    r->line = NULL;
    r->cap = 0;
    r->lineno = 0;
    return r->f != NULL;
}

/* The next line that is not blank, without its newline; its length in *len.
 * NULL at the end of the file. */
static inline const char *bl_next(bl_reader *r, size_t *len)
{
    ssize_t n;
    while ((n = getline(&r->line, &r->cap, r->f)) >= 0) {
        r->lineno++;
        while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
            r->line[--n] = '\0';
        bool blank = true;
        for (ssize_t i = 0; i < n && blank; i++)
            blank = r->line[i] == ' ' || r->line[i] == '\t';
        if (!blank) {
            *len = (size_t)n;
            return r->line;
        }
    }
    return NULL;
}

static inline void bl_close(bl_reader *r)
{
    if (r->f)
        fclose(r->f);
    free(r->line);
}

/* Monotonic time in nanoseconds. */
static inline double bl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* CPU time of the process in nanoseconds: what the load of other processes
 * on a shared machine inflates least (a wait for a core is not counted). */
static inline double bl_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Writes s as a JSON string (quotes, escapes; other bytes as they are). */
static inline void bl_json_string(FILE *out, const char *s)
{
    putc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
        } else if (c == '\n') {
            fputs("\\n", out);
        } else if (c < 0x20) {
            fprintf(out, "\\u%04x", c);
        } else {
            putc(c, out);
        }
    }
    putc('"', out);
}

/* The record's "id" (the population's ids need no unescaping). */
static inline char *bl_record_id(const char *text)
{
    const char *k = strstr(text, "\"id\":\"");
    if (!k)
        return strdup("");
    k += 6;
    const char *e = strchr(k, '"');
    return strndup(k, e ? (size_t)(e - k) : strlen(k));
}

/* The options floor.c and vm_only.c share. bo_parse takes them from argv
 * and gives the positional arguments, in order, to pos[0..npos-1]; an
 * option it does not know (floor's --by-requirement) is left to `extra`,
 * which returns false for one it does not know either. Returns false on a
 * usage error. */
typedef struct bo_options {
    const char *as_of;
    long coaches, evals, rounds;
    bool emit;
} bo_options;

static inline bool bo_parse(int argc, char **argv, bo_options *o, const char **pos, int npos,
                            bool (*extra)(const char *arg))
{
    *o = (bo_options){NULL, 100, 0, 3, false};
    int given = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (strcmp(a, "--emit") == 0)
            o->emit = true;
        else if (strcmp(a, "--as-of") == 0 && more)
            o->as_of = argv[++i];
        else if (strcmp(a, "--coaches") == 0 && more)
            o->coaches = atol(argv[++i]);
        else if (strcmp(a, "--evals") == 0 && more)
            o->evals = atol(argv[++i]);
        else if (strcmp(a, "--rounds") == 0 && more)
            o->rounds = atol(argv[++i]);
        else if (a[0] != '-' && given < npos)
            pos[given++] = a;
        else if (!extra || !extra(a))
            return false;
    }
    return given == npos && o->as_of && o->coaches >= 1 && o->rounds >= 1;
}

#endif
