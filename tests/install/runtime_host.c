/* A runtime-only host: loads rules compiled by `pathway compile` (.pwc) and
 * evaluates each line of a JSON Lines file, printing what examples/host.c
 * prints for it. It links libpathway_runtime, which has no compiler.
 *
 *   runtime_host RULES.pwc COACHES.jsonl [--json]
 *
 * With --json it prints each coach's eval line instead (pw_eval_json), the
 * bytes `pathway eval --as-of 2026-11-23` prints. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathway.h"

/* Reads a whole file; NULL when it cannot. */
static void *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void print_results(const pw_program *prog, const pw_context *ctx)
{
    printf("coach from JSON:\n");
    for (size_t p = 0; p < pw_program_count(prog); p++) {
        printf("  %-26s %s\n", pw_program_id(prog, p),
               pw_result_eligible(ctx, p) ? "eligible" : "not eligible");
        for (size_t i = 0; i < pw_result_unmet_count(ctx, p); i++)
            printf("      missing: %s\n", pw_result_unmet_label(ctx, p, i));
    }
}

int main(int argc, char **argv)
{
    bool json = argc == 4 && strcmp(argv[3], "--json") == 0;
    if (argc != 3 && !json) {
        fprintf(stderr, "usage: %s RULES.pwc COACHES.jsonl [--json]\n", argv[0]);
        return 2;
    }
    size_t len;
    void *bytes = read_file(argv[1], &len);
    if (!bytes) {
        fprintf(stderr, "%s: cannot read the file\n", argv[1]);
        return 1;
    }
    pw_program *prog = NULL;
    pw_context *ctx = NULL;
    pw_error err;
    pw_date as_of;
    pw_status st = pw_program_load(bytes, len, &prog, &err);
    free(bytes);
    if (st != PW_OK || pw_date_parse("2026-11-23", &as_of, &err) != PW_OK ||
        pw_context_new(prog, &ctx, &err) != PW_OK) {
        fprintf(stderr, "%s\n", err.message);
        pw_program_free(prog);
        return 1;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        pw_context_free(ctx);
        pw_program_free(prog);
        return 1;
    }
    char line[65536];
    int failures = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '\n')
            continue;
        if (json) {
            char *out = NULL;
            if (pw_eval_json_alloc(ctx, line, strlen(line), as_of, &out, NULL, &err) != PW_OK) {
                fprintf(stderr, "record skipped: %s\n", err.message);
                failures++;
                continue;
            }
            fputs(out, stdout);
            pw_free(out);
            continue;
        }
        if (pw_context_set_json(ctx, line, strlen(line), &err) != PW_OK ||
            pw_evaluate_all(ctx, as_of, &err) != PW_OK) {
            fprintf(stderr, "record skipped: %s\n", err.message);
            failures++;
            continue;
        }
        print_results(prog, ctx);
    }
    fclose(f);
    pw_context_free(ctx);
    pw_program_free(prog);
    return failures ? 1 : 0;
}
