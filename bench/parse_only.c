/* bench/parse_only.c: the cost of reading JSON Lines, without deciding
 * anything — the lower bound for `pathway eval` end to end.
 *
 * Reads FILE in 1 MiB chunks and splits it into lines (as a streaming reader
 * would); with --parse (the default) each non-blank line is parsed with
 * cJSON_ParseWithLengthOpts, as pathway eval parses it, then freed with
 * cJSON_Delete. --lines only finds the lines: the floor of reading the file.
 *
 * usage: parse_only [--parse | --lines] FILE
 *        prints  parse_only: records=N bytes=B */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)1 << 20)

static bool blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

int main(int argc, char **argv)
{
    bool parse = true;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lines") == 0)
            parse = false;
        else if (strcmp(argv[i], "--parse") == 0)
            parse = true;
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            path = NULL, i = argc;
    }
    if (!path) {
        fputs("usage: parse_only [--parse | --lines] FILE\n", stderr);
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "parse_only: %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 2 * CHUNK, have = 0;
    char *buf = malloc(cap);
    if (!buf)
        return 1;
    unsigned long long records = 0, bytes = 0, bad = 0;
    for (;;) {
        if (cap - have < CHUNK) {
            /* a line longer than the buffer: make room */
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                return 1;
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + have, 1, cap - have, f);
        bool eof = n == 0;
        have += n;
        bytes += n;
        char *p = buf, *end = buf + have;
        for (;;) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl && !(eof && p < end))
                break;
            char *stop = nl ? nl : end;
            if (!blank(p, stop)) {
                records++;
                if (parse) {
                    const char *after = NULL;
                    cJSON *rec = cJSON_ParseWithLengthOpts(p, (size_t)(stop - p), &after, 0);
                    if (!rec)
                        bad++;
                    cJSON_Delete(rec);
                }
            }
            p = nl ? nl + 1 : end;
        }
        have = (size_t)(end - p);
        memmove(buf, p, have);
        if (eof)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "parse_only: %s: read error\n", path);
        return 1;
    }
    fclose(f);
    free(buf);
    printf("parse_only: records=%llu bytes=%llu invalid=%llu\n", records, bytes, bad);
    return bad ? 1 : 0;
}
