/* --limit NAME=N and --include-root DIR: what every command over rule files
 * may be told about the cost of its input (docs/robustness.md). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/assert.h"

/* Parses N with an optional binary suffix; false unless it is a whole
 * number from 1 up to max. */
static bool cli_parse_amount(const char *s, uint64_t max, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = *end == 'k' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
    if (shift)
        end++;
    if (errno || *end || v == 0 || v > (max >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

/* Each --limit name, the field it sets in cli_limits and the largest value. */
typedef struct cli_limit_field {
    const char *name;
    size_t offset;
    size_t size; /* of the field: 4 (unsigned, uint32_t) or 8 (size_t, uint64_t) */
    uint64_t max;
} cli_limit_field;

#define CLI_LIMIT(name, field, max) {name, offsetof(cli_limits, field), sizeof ((cli_limits *)0)->field, max}
static const cli_limit_field cli_limit_fields[] = {
    CLI_LIMIT("source-bytes", limits.max_source_bytes, SIZE_MAX),
    CLI_LIMIT("nesting", limits.max_nesting, PW_MAX_NESTING),
    CLI_LIMIT("includes", limits.max_includes, 100000),
    CLI_LIMIT("errors", max_errors, UINT32_MAX),
    CLI_LIMIT("bytecode-bytes", limits.max_bytecode_bytes, SIZE_MAX),
    CLI_LIMIT("list-items", limits.max_list_items, UINT32_MAX),
    CLI_LIMIT("json-depth", limits.max_json_depth, PW_MAX_JSON_DEPTH),
    CLI_LIMIT("text-bytes", limits.max_text_bytes, UINT32_MAX),
    CLI_LIMIT("instructions", limits.max_instructions, UINT64_MAX),
    CLI_LIMIT("record-bytes", max_record_bytes, SIZE_MAX),
};
#undef CLI_LIMIT

const char *cli_limit_name(size_t i)
{
    return i < sizeof cli_limit_fields / sizeof *cli_limit_fields ? cli_limit_fields[i].name : NULL;
}

/* The two entries alone, for the message on an unknown limit. */
typedef struct cli_limits_only {
    cli_limits limits;
} cli_limits_only;
static const cli_option cli_limit_entries[] = {CLI_LIMIT_OPTIONS(cli_limits_only, limits)};

int cli_set_limit(const cli_option *opt, void *dest, const char *v)
{
    (void)opt;
    const char *eq = strchr(v, '=');
    size_t n = eq ? (size_t)(eq - v) : 0;
    for (size_t k = 0; eq && k < sizeof cli_limit_fields / sizeof *cli_limit_fields; k++) {
        const cli_limit_field *f = &cli_limit_fields[k];
        if (strlen(f->name) != n || memcmp(v, f->name, n) != 0)
            continue;
        uint64_t amount;
        if (!cli_parse_amount(eq + 1, f->max, &amount)) {
            cli_error("--limit: `%s` needs a whole number from 1 to %llu", v, (unsigned long long)f->max);
            return CLI_USAGE;
        }
        char *field = (char *)dest + f->offset;
        if (f->size == sizeof(uint32_t)) {
            uint32_t x = (uint32_t)amount;
            memcpy(field, &x, sizeof x);
        } else {
            memcpy(field, &amount, sizeof amount); /* an 8-byte size_t or uint64_t */
        }
        return CLI_OK;
    }
    cli_error("--limit: unknown limit `%s`; expected NAME=N", v);
    cli_print_options(cli_limit_entries, sizeof cli_limit_entries / sizeof *cli_limit_entries, stderr);
    return CLI_USAGE;
}

int cli_set_include_root(const cli_option *opt, void *dest, const char *v)
{
    (void)opt;
    if (!*v) {
        cli_error("--include-root: needs a directory");
        return CLI_USAGE;
    }
    ((cli_limits *)dest)->include_root = v;
    return CLI_OK;
}

void cli_apply_limits(pw_compile_options *opt, const cli_limits *l)
{
    opt->limits = &l->limits;
    opt->include_root = l->include_root;
    if (l->max_errors)
        opt->max_errors = l->max_errors;
}

pw_status cli_context_new(const pw_program *program, const cli_limits *l, pw_context **out, pw_error *err)
{
    pw_status st = pw_context_new(program, out, err);
    if (st != PW_OK)
        return st;
    /* Every limit was bounded when it was parsed (cli_limit_fields: the JSON
     * depth at most PW_MAX_JSON_DEPTH), so there is nothing to refuse. */
    st = pw_context_set_limits(*out, &l->limits, err);
    if (PU_NEVER(st != PW_OK)) {
        pw_context_free(*out);
        *out = NULL;
    }
    return st;
}
