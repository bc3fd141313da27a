/* A complete host program embedding Pathway: compile the rules once, then
 * evaluate coaches from JSON and one coach built field by field.
 *
 *   example_host RULES.pw COACHES.jsonl
 *
 * Build, against an installed Pathway (docs/embedding.md):
 *   cc host.c $(pkg-config --cflags --libs pathway) -o example_host
 * or in a CMake project: find_package(pathway) and link pathway::pathway. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathway.h"

static void print_diagnostics(void *user, const char *text)
{
    (void)user;
    fputs(text, stderr);
}

static void print_results(const pw_program *prog, const pw_context *ctx, const char *who)
{
    printf("%s:\n", who);
    for (size_t p = 0; p < pw_program_count(prog); p++) {
        printf("  %-26s %s\n", pw_program_id(prog, p),
               pw_result_eligible(ctx, p) ? "eligible" : "not eligible");
        for (size_t i = 0; i < pw_result_unmet_count(ctx, p); i++)
            printf("      missing: %s\n", pw_result_unmet_label(ctx, p, i));
    }
}

/* Evaluates each line of a JSON Lines file. */
static int evaluate_file(const pw_program *prog, pw_context *ctx, const char *path, pw_date as_of)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    char line[65536];
    int failures = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '\n')
            continue;
        pw_error err;
        if (pw_context_set_json(ctx, line, strlen(line), &err) != PW_OK ||
            pw_evaluate_all(ctx, as_of, &err) != PW_OK) {
            fprintf(stderr, "record skipped: %s\n", err.message);
            failures++;
            continue;
        }
        print_results(prog, ctx, "coach from JSON");
    }
    fclose(f);
    return failures;
}

/* The same facts can be given one field at a time. */
static int evaluate_built(const pw_program *prog, pw_context *ctx, pw_date as_of)
{
    pw_error err;
    pw_date born, since, issued;
    size_t m, c;
    if (pw_context_reset(ctx, &err) != PW_OK || pw_date_parse("1990-05-17", &born, &err) != PW_OK ||
        pw_date_parse("2019-09-01", &since, &err) != PW_OK ||
        pw_date_parse("2021-06-30", &issued, &err) != PW_OK ||
        pw_context_set_text(ctx, "id", "BUILT-1", &err) != PW_OK ||
        pw_context_set_date(ctx, "birth_date", born, &err) != PW_OK ||
        pw_context_set_date(ctx, "coaching_since", since, &err) != PW_OK ||
        pw_context_add(ctx, "memberships", &m, &err) != PW_OK ||
        pw_context_set_text(ctx, "memberships[0].body", "usatf", &err) != PW_OK ||
        pw_context_set_none(ctx, "memberships[0].expires", &err) != PW_OK ||
        pw_context_add(ctx, "certificates", &c, &err) != PW_OK ||
        pw_context_set_text(ctx, "certificates[0].id", "usatf-level-1", &err) != PW_OK ||
        pw_context_set_date(ctx, "certificates[0].issued", issued, &err) != PW_OK ||
        pw_context_set_none(ctx, "certificates[0].expires", &err) != PW_OK ||
        pw_evaluate_all(ctx, as_of, &err) != PW_OK) {
        fprintf(stderr, "building a coach failed: %s\n", err.message);
        return 1;
    }
    print_results(prog, ctx, "coach built field by field");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s RULES.pw COACHES.jsonl\n", argv[0]);
        return 2;
    }
    pw_compile_options opt = {.on_diagnostics = print_diagnostics, .format = PW_DIAG_TEXT};
    pw_program *prog = NULL;
    pw_context *ctx = NULL;
    pw_error err;
    pw_date as_of;
    if (pw_date_parse("2026-11-23", &as_of, &err) != PW_OK ||
        pw_compile_file(argv[1], &opt, &prog, &err) != PW_OK ||
        pw_context_new(prog, &ctx, &err) != PW_OK) {
        fprintf(stderr, "%s\n", err.message);
        pw_program_free(prog);
        return 1;
    }
    int failures = evaluate_file(prog, ctx, argv[2], as_of);
    failures += evaluate_built(prog, ctx, as_of);
    pw_context_free(ctx);
    pw_program_free(prog);
    return failures ? 1 : 0;
}
