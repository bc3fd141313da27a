/* Fuzzing the facts layer: bytes as a coach record, against the shipped
 * USATF rules.
 *
 * The rules (rules/usatf/usatf.pw, path given at build time as
 * PW_USATF_RULES) are compiled once, at the first input, and shared, read
 * only, by every input after; each input gets a fresh context, so inputs do
 * not influence one another.
 *
 * 1. The whole input goes to pw_context_set_json; when it is accepted,
 *    every program is evaluated at two dates and the results checked
 *    (fuzz_common.h).
 * 2. Then the same bytes, line by line, drive field-by-field calls on the
 *    same context (so they also edit a record loaded from JSON). A line is
 *    an operation letter, a path, and `=value`:
 *        i PATH=INT     pw_context_set_int        t PATH=TEXT   ..._set_text
 *        n PATH=NUMBER  pw_context_set_number     d PATH=DATE   ..._set_date
 *        b PATH=1|0     pw_context_set_bool       0 PATH        ..._set_none
 *        a PATH         pw_context_add            j JSON        ..._set_json
 *        r              pw_context_reset          e             evaluate all
 *        l LIST,DEPTH,TEXT,INSTR                  pw_context_set_limits
 *    Paths and values are whatever the input holds (invalid UTF-8, empty,
 *    unbalanced brackets, huge indices): each call may fail, none may crash.
 *    After the last line every program is evaluated once more. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#ifndef PW_USATF_RULES
#error "PW_USATF_RULES must name rules/usatf/usatf.pw"
#endif

/* The compiled rules, shared by every input of the process: a harness static,
 * not library state. */
static pw_program *fz_usatf;

static const pw_program *fz_rules(void)
{
    if (!fz_usatf) {
        pw_error err;
        if (pw_compile_file(PW_USATF_RULES, NULL, &fz_usatf, &err) != PW_OK)
            fz_die("cannot compile %s: %s", PW_USATF_RULES, err.message);
    }
    return fz_usatf;
}

/* Lines processed per input: bounds the work of one input. */
#define FZ_MAX_LINES 256

static void fz_line(pw_context *ctx, const pw_program *prog, char *line, size_t len, fz_buf *out)
{
    if (len == 0)
        return;
    char op = line[0];
    char *path = line + 1;
    while (*path == ' ')
        path++;
    char *value = strchr(path, '=');
    if (value)
        *value++ = '\0';
    else
        value = path + strlen(path);
    pw_error err;
    size_t index = 0;
    switch (op) {
    case 'i': pw_context_set_int(ctx, path, strtoll(value, NULL, 10), &err); break;
    case 'n': pw_context_set_number(ctx, path, strtod(value, NULL), &err); break;
    case 'b': pw_context_set_bool(ctx, path, value[0] == '1' || value[0] == 't', &err); break;
    case 't': pw_context_set_text(ctx, path, value, &err); break;
    case 'd': {
        pw_date d;
        if (pw_date_parse(value, &d, NULL) != PW_OK)
            d = (pw_date)strtol(value, NULL, 10);
        pw_context_set_date(ctx, path, d, &err);
        break;
    }
    case '0': pw_context_set_none(ctx, path, &err); break;
    case 'a': pw_context_add(ctx, path, &index, &err); break;
    case 'j': {
        /* The line after the letter, '=' and all: undo the split. */
        if (value > path && value[-1] == '\0')
            value[-1] = '=';
        pw_context_set_json(ctx, line + 1, len - 1, &err);
        break;
    }
    case 'r': pw_context_reset(ctx, &err); break;
    case 'e': fz_evaluate(ctx, prog, fz_date((size_t)(unsigned char)line[len - 1]), 16, true, out); break;
    case 'l': {
        /* Small limits reach the limit errors with small inputs. */
        pw_limits lim;
        memset(&lim, 0, sizeof lim);
        char *p = path;
        lim.max_list_items = (uint32_t)strtoul(p, &p, 10);
        if (*p == ',')
            lim.max_json_depth = (uint32_t)strtoul(p + 1, &p, 10);
        if (*p == ',')
            lim.max_text_bytes = (uint32_t)strtoul(p + 1, &p, 10);
        if (*p == ',')
            lim.max_instructions = strtoull(p + 1, &p, 10);
        /* Keep one input cheap: a budget this low still runs every rule. */
        if (lim.max_instructions == 0 || lim.max_instructions > FZ_BUDGET)
            lim.max_instructions = FZ_BUDGET;
        pw_context_set_limits(ctx, &lim, &err);
        break;
    }
    default: break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pw_program *prog = fz_rules();
    pw_context *ctx = NULL;
    pw_error err;
    if (pw_context_new(prog, &ctx, &err) != PW_OK)
        fz_die("pw_context_new: %s", err.message);
    fz_set_budget(ctx, FZ_BUDGET);
    fz_buf out = {0};

    /* 1. The bytes as one JSON record (not NUL-terminated: the length is
     * the API's). */
    pw_status st = pw_context_set_json(ctx, (const char *)data, size, &err);
    if (st != err.status)
        fz_die("pw_context_set_json returned %d but its pw_error says %d", (int)st, (int)err.status);
    if (st == PW_OK) {
        fz_evaluate(ctx, prog, fz_date(0), 64, true, &out);
        fz_evaluate(ctx, prog, fz_date(1), 64, true, &out);
    } else if (st != PW_ERR_FACTS && st != PW_ERR_NOMEM) {
        fz_die("pw_context_set_json failed with status %d: %s", (int)st, err.message);
    }

    /* 2. The bytes as lines of field-by-field calls. */
    char *text = fz_strndup(data, size);
    if (!text)
        fz_die("out of memory");
    char *p = text, *end = text + size;
    for (int n = 0; p < end && n < FZ_MAX_LINES; n++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        p[len] = '\0';
        fz_line(ctx, prog, p, strlen(p), &out);
        p += len + 1;
    }
    free(text);
    fz_evaluate(ctx, prog, fz_date(0), 64, true, &out);

    pw_context_free(ctx);
    fz_buf_free(&out);
    return 0;
}
