/* tests/native/driver.c: the native back end against the VM. Compiled by
 * tests/native/native.sh together with a file `pathway compile --emit c`
 * generated, and linked with the library.
 *
 * usage: driver RULES.pwc FACTS.jsonl FROM TO STEP [MAX_INSTRUCTIONS]
 *   evaluates every record of FACTS on every STEP-th day from FROM to TO,
 *   once by the VM and once through the compiled rules (pw_program_use_native
 *   on a second copy of RULES), and compares everything the API reports:
 *   status and message, and per program its verdict, eligibility, every
 *   requirement node's outcome and the unmet, preferred and advice lists;
 *   and pw_eval_json's line for each record on FROM and on TO.
 *   Prints "compared N evaluations, E ended in an error" or the first
 *   difference (exit 1).
 * usage: driver --refuse OTHER_RULES.pwc
 *   prints why pw_program_use_native refuses the compiled rules for
 *   OTHER_RULES (exit 0), or exits 1 if it accepts them. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathway.h"
#include "pathway_native.h"

extern const pw_native pathway_native_rules;

/* A .pwc file: the driver links the runtime library alone, which has no
 * compiler, as a host of compiled rules may. */
static pw_program *open_rules(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char buf[1 << 24];
    size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (!f || ferror(f) || !feof(f)) {
        fprintf(stderr, "driver: cannot read %s (or larger than %zu bytes)\n", path, sizeof buf);
        exit(2);
    }
    fclose(f);
    pw_program *p = NULL;
    pw_error err;
    if (pw_program_load(buf, len, &p, &err) != PW_OK) {
        fprintf(stderr, "driver: %s: %s\n", path, err.message);
        exit(2);
    }
    return p;
}

static pw_context *new_context(const pw_program *p, uint64_t budget)
{
    pw_context *c = NULL;
    pw_error err;
    pw_limits lim;
    pw_limits_init(&lim);
    lim.max_instructions = budget;
    if (pw_context_new(p, &c, &err) != PW_OK || pw_context_set_limits(c, &lim, &err) != PW_OK) {
        fprintf(stderr, "driver: context: %s\n", err.message);
        exit(2);
    }
    return c;
}

static int differ(const char *rec, const char *day, const char *what, long a, long b)
{
    printf("DIFFERENCE on %s for %s: %s: vm %ld, native %ld\n", day, rec, what, a, b);
    return 1;
}

typedef size_t (*count_fn)(const pw_context *, size_t);
typedef const char *(*label_fn)(const pw_context *, size_t, size_t);

static int same_list(const pw_context *a, const pw_context *b, size_t p, count_fn count, label_fn label)
{
    size_t n = count(a, p);
    if (n != count(b, p))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(label(a, p, i), label(b, p, i)) != 0)
            return 0;
    return 1;
}

/* Everything the API reports of one evaluation. */
static int compare(const pw_program *prog, pw_context *vm, pw_context *nat, const char *rec, pw_date day,
                   unsigned *errors)
{
    char ds[11];
    pw_date_format(day, ds);
    pw_error ea, eb;
    pw_status sa = pw_evaluate_all(vm, day, &ea), sb = pw_evaluate_all(nat, day, &eb);
    if (sa != sb)
        return differ(rec, ds, "status", sa, sb);
    if (sa != PW_OK) {
        (*errors)++;
        if (strcmp(ea.message, eb.message) != 0) {
            printf("DIFFERENCE on %s for %s: message: vm `%s`, native `%s`\n", ds, rec, ea.message, eb.message);
            return 1;
        }
    }
    for (size_t p = 0; p < pw_program_count(prog); p++) {
        if (pw_result_verdict(vm, p) != pw_result_verdict(nat, p))
            return differ(rec, ds, "verdict", pw_result_verdict(vm, p), pw_result_verdict(nat, p));
        if (pw_result_eligible(vm, p) != pw_result_eligible(nat, p))
            return differ(rec, ds, "eligible", pw_result_eligible(vm, p), pw_result_eligible(nat, p));
        for (size_t r = 0; r < pw_requirement_count(prog, p); r++)
            if (pw_result_outcome(vm, p, r) != pw_result_outcome(nat, p, r)) {
                printf("program %s node %zu: ", pw_program_id(prog, p), r);
                return differ(rec, ds, "outcome", pw_result_outcome(vm, p, r), pw_result_outcome(nat, p, r));
            }
        if (!same_list(vm, nat, p, pw_result_unmet_count, pw_result_unmet_label) ||
            !same_list(vm, nat, p, pw_result_preferred_unmet_count, pw_result_preferred_unmet_label) ||
            !same_list(vm, nat, p, pw_result_advice_count, pw_result_advice))
            return differ(rec, ds, "lists", 0, 1);
    }
    return 0;
}

/* The one-call eval line (pw_eval_json), which evaluates the programs
 * applying on the day, one by one, from the compiled entry's results. */
static int compare_line(pw_context *vm, pw_context *nat, const char *line, size_t len, const char *rec, pw_date day)
{
    static char a[1 << 16], b[1 << 16];
    size_t na = 0, nb = 0;
    pw_error ea, eb;
    pw_status sa = pw_eval_json(vm, line, len, day, a, sizeof a, &na, &ea);
    pw_status sb = pw_eval_json(nat, line, len, day, b, sizeof b, &nb, &eb);
    char ds[11];
    pw_date_format(day, ds);
    if (sa != sb)
        return differ(rec, ds, "pw_eval_json status", sa, sb);
    if (sa != PW_OK ? strcmp(ea.message, eb.message) != 0 : na != nb || strcmp(a, b) != 0) {
        printf("DIFFERENCE on %s for %s: pw_eval_json:\n  vm     %s\n  native %s\n", ds, rec,
               sa != PW_OK ? ea.message : a, sa != PW_OK ? eb.message : b);
        return 1;
    }
    return 0;
}

static int refuse(const char *other)
{
    pw_program *p = open_rules(other);
    pw_error err;
    pw_status st = pw_program_use_native(p, &pathway_native_rules, &err);
    pw_program_free(p);
    if (st == PW_OK) {
        printf("accepted\n");
        return 1;
    }
    printf("refused: %s\n", err.message);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--refuse") == 0)
        return refuse(argv[2]);
    if (argc != 6 && argc != 7) {
        fputs("usage: driver RULES.pwc FACTS.jsonl FROM TO STEP [MAX_INSTRUCTIONS]\n", stderr);
        return 2;
    }
    pw_program *vm_prog = open_rules(argv[1]), *nat_prog = open_rules(argv[1]);
    pw_error err;
    if (pw_program_use_native(nat_prog, &pathway_native_rules, &err) != PW_OK) {
        fprintf(stderr, "driver: %s\n", err.message);
        return 1;
    }
    pw_date from, to;
    long step = atol(argv[5]);
    uint64_t budget = argc == 7 ? strtoull(argv[6], NULL, 10) : 0;
    if (pw_date_parse(argv[3], &from, &err) != PW_OK || pw_date_parse(argv[4], &to, &err) != PW_OK || step < 1) {
        fprintf(stderr, "driver: bad dates or step\n");
        return 2;
    }
    pw_context *vm = new_context(vm_prog, budget), *nat = new_context(nat_prog, budget);
    FILE *in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long n = 0, records = 0;
    unsigned errors = 0;
    int bad = 0;
    while (!bad && (len = getline(&line, &cap, in)) > 0) {
        if (pw_context_set_json(vm, line, (size_t)len, &err) != PW_OK ||
            pw_context_set_json(nat, line, (size_t)len, &err) != PW_OK) {
            fprintf(stderr, "driver: record %lu: %s\n", records + 1, err.message);
            return 2;
        }
        records++;
        char rec[32];
        snprintf(rec, sizeof rec, "record %lu", records);
        for (pw_date d = from; !bad && d <= to; d += (pw_date)step, n++)
            bad = compare(vm_prog, vm, nat, rec, d, &errors);
        /* The eval line on the first and the last day of the range. */
        bad = bad || compare_line(vm, nat, line, (size_t)len, rec, from) || compare_line(vm, nat, line, (size_t)len, rec, to);
    }
    free(line);
    fclose(in);
    pw_context_free(vm);
    pw_context_free(nat);
    pw_program_free(vm_prog);
    pw_program_free(nat_prog);
    if (!bad)
        printf("compared %lu evaluations of %lu records, %u ended in an error\n", n, records, errors);
    return bad;
}
