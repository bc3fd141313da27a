/* pathway eval: one line of results per coach record, in input order, as
 * ../shared/spec/coach-record.md section 5 fixes it. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_int.h"
#include "cli.h"
#include "util/file.h"

static const char eval_help[] =
    "usage: pathway eval RULES --facts FILE [--as-of YYYY-MM-DD] [--program ID]...\n"
    "                   [--format jsonl|text] [--limit NAME=N]...\n"
    "\n"
    "Evaluates every coach record in FILE (\"-\" for standard input) against the\n"
    "rules (a .pw source file or a compiled .pwc file) as of a date (default:\n"
    "today). FILE holds one JSON object, a JSON array of objects, or JSON Lines.\n"
    "\n"
    "  --facts FILE       the coach records\n"
    "  --as-of DATE       the evaluation date\n"
    "  --program ID       only this program (repeatable); default: all, in the\n"
    "                     order the rule file declares them\n"
    "  --format FORMAT    jsonl (default when standard output is not a terminal):\n"
    "                     one JSON object per record; text: a readable report\n"
    "\n"
    "A record that cannot be evaluated gets {\"id\":...,\"error\":\"...\"} in its place\n"
    "and a message on standard error; the other records are still evaluated.\n"
    "Exit status: 0 every record evaluated, 1 some record had an error,\n"
    "2 usage error or rules that do not compile.\n"
    "\n";

typedef struct eval_opts {
    const char *rules, *facts;
    pw_date as_of;
    bool text;
    size_t *progs; /* selected program indices */
    size_t nprogs;
    const char **prog_ids;
    size_t nids;
    cli_limits limits;
} eval_opts;

typedef struct eval_run {
    eval_opts *o;
    pw_program *program;
    pw_context *ctx;
    FILE *out;
    char as_of[11];
    unsigned bad;
    unsigned records;
} eval_run;

/* ---- options -------------------------------------------------------------- */

static int eval_parse(int argc, char **argv, eval_opts *o)
{
    o->as_of = pw_date_today();
    o->text = isatty(STDOUT_FILENO);
    o->prog_ids = calloc((size_t)argc, sizeof *o->prog_ids);
    if (!o->prog_ids)
        return CLI_USAGE;
    int st;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(eval_help, stdout);
            fputs(cli_limit_help, stdout);
            return -1;
        } else if (cli_limit_option(argc, argv, &i, &o->limits, &st)) {
            if (st != CLI_OK)
                return st;
        } else if (cli_is_option(a, "--facts")) {
            if (!(o->facts = cli_option_value(argc, argv, &i, "--facts")))
                return CLI_USAGE;
        } else if (cli_is_option(a, "--as-of")) {
            if (!(v = cli_option_value(argc, argv, &i, "--as-of")))
                return CLI_USAGE;
            pw_error err;
            if (pw_date_parse(v, &o->as_of, &err) != PW_OK) {
                cli_error("--as-of: %s", err.message);
                return CLI_USAGE;
            }
        } else if (cli_is_option(a, "--program")) {
            if (!(v = cli_option_value(argc, argv, &i, "--program")))
                return CLI_USAGE;
            o->prog_ids[o->nids++] = v;
        } else if (cli_is_option(a, "--format")) {
            if (!(v = cli_option_value(argc, argv, &i, "--format")))
                return CLI_USAGE;
            if (strcmp(v, "jsonl") == 0 || strcmp(v, "json") == 0) {
                o->text = false;
            } else if (strcmp(v, "text") == 0) {
                o->text = true;
            } else {
                cli_error("unknown format `%s` (expected jsonl or text)", v);
                return CLI_USAGE;
            }
        } else if (a[0] == '-' && a[1]) {
            cli_error("unknown option `%s`\n%s", a, eval_help);
            return CLI_USAGE;
        } else if (o->rules) {
            cli_error("eval takes one rules file; `%s` is a second one", a);
            return CLI_USAGE;
        } else {
            o->rules = a;
        }
    }
    if (!o->rules || !o->facts) {
        cli_error("%s\n%s", !o->rules ? "no rules file given" : "no facts given (--facts FILE)", eval_help);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Resolves --program ids, in the order the rule file declares them, each
 * to the version that applies on the evaluation date. */
static int eval_select(eval_run *r)
{
    eval_opts *o = r->o;
    size_t n = pw_program_count(r->program);
    o->progs = calloc(n ? n : 1, sizeof *o->progs);
    bool *chosen = calloc(n ? n : 1, sizeof *chosen);
    if (!o->progs || !chosen) {
        free(chosen);
        cli_error("out of memory");
        return CLI_USAGE;
    }
    for (size_t k = 0; k < o->nids; k++) {
        size_t idx;
        if (pw_program_find(r->program, o->prog_ids[k], &idx, NULL) != PW_OK) {
            cli_error("--program: no program `%s` in %s", o->prog_ids[k], o->rules);
            fprintf(stderr, "  the programs are:");
            for (size_t i = 0; i < n; i++)
                if (pw_program_is_first_version(r->program, i))
                    fprintf(stderr, " %s", pw_program_id(r->program, i));
            fputc('\n', stderr);
            free(chosen);
            return CLI_USAGE;
        }
        chosen[idx] = true;
    }
    for (size_t i = 0; i < n; i++)
        if ((!o->nids || chosen[i]) && pw_program_is_first_version(r->program, i))
            o->progs[o->nprogs++] = pw_program_version_at(r->program, i, o->as_of);
    free(chosen);
    return CLI_OK;
}

/* ---- output --------------------------------------------------------------- */

static void eval_json_list(FILE *out, const pw_context *ctx, size_t p, size_t n,
                           const char *(*label)(const pw_context *, size_t, size_t))
{
    putc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(',', out);
        cli_json_string(out, label(ctx, p, i));
    }
    putc(']', out);
}

static const char *const eval_status[] = {
    [PW_ELIGIBLE] = "eligible", [PW_NOT_ELIGIBLE] = "not_eligible",
    [PW_NOT_YET_IN_FORCE] = "not_yet_in_force", [PW_WITHDRAWN] = "withdrawn",
};

static void eval_json_date(FILE *out, pw_date d, pw_date open)
{
    char buf[11];
    if (d == open) {
        fputs("null", out);
        return;
    }
    pw_date_format(d, buf);
    fprintf(out, "\"%s\"", buf);
}

/* Programs with effective dates also say which version applied and, when
 * none is in force, why the coach cannot enrol ("status"). Undated programs
 * keep exactly the contract's shape. */
static void eval_json_version(eval_run *r, size_t p)
{
    if (!pw_program_dated(r->program, p))
        return;
    pw_date from, until;
    pw_program_period(r->program, p, &from, &until);
    fprintf(r->out, ",\"status\":\"%s\",\"in_force\":{\"from\":", eval_status[pw_result_verdict(r->ctx, p)]);
    eval_json_date(r->out, from, PW_DATE_MIN);
    fputs(",\"until\":", r->out);
    eval_json_date(r->out, until, PW_DATE_MAX);
    putc('}', r->out);
}

static void eval_write_jsonl(eval_run *r, const char *id)
{
    FILE *out = r->out;
    fputs("{\"id\":", out);
    if (id)
        cli_json_string(out, id);
    else
        fputs("null", out);
    fprintf(out, ",\"as_of\":\"%s\",\"results\":[", r->as_of);
    for (size_t k = 0; k < r->o->nprogs; k++) {
        size_t p = r->o->progs[k];
        if (k)
            putc(',', out);
        fputs("{\"program\":", out);
        cli_json_string(out, pw_program_id(r->program, p));
        fprintf(out, ",\"eligible\":%s", pw_result_eligible(r->ctx, p) ? "true" : "false");
        eval_json_version(r, p);
        fputs(",\"unmet\":", out);
        eval_json_list(out, r->ctx, p, pw_result_unmet_count(r->ctx, p), pw_result_unmet_label);
        fputs(",\"preferred_unmet\":", out);
        eval_json_list(out, r->ctx, p, pw_result_preferred_unmet_count(r->ctx, p),
                       pw_result_preferred_unmet_label);
        putc('}', out);
    }
    fputs("]}\n", out);
}

static const char *eval_outcome_word(pw_outcome o)
{
    return o == PW_MET ? "met" : o == PW_UNMET ? "not met"
           : o == PW_NOT_IN_FORCE ? "not in force on this date" : "not evaluated";
}

/* The members of an unmet group under it, each with its outcome, so that the
 * report says which way to qualify came closest. */
static void eval_write_members(eval_run *r, size_t p, size_t group, unsigned depth)
{
    pw_requirement info;
    size_t n = pw_requirement_count(r->program, p);
    for (size_t i = group + 1; i < n; i++) {
        if (pw_requirement_info(r->program, p, i, &info, NULL) != PW_OK || info.depth < depth)
            break;
        if (info.depth != depth)
            continue;
        pw_outcome o = pw_result_outcome(r->ctx, p, i);
        fprintf(r->out, "%*s- %s: %s\n", 21 + 2 * (int)depth, "", info.label, eval_outcome_word(o));
        if (info.kind != PW_REQ_SINGLE && o == PW_UNMET)
            eval_write_members(r, p, i, depth + 1);
    }
}

/* Requirements in declaration order: what is missing (with a group's
 * members), preferences not met, and advice. */
static void eval_write_reasons(eval_run *r, size_t p)
{
    pw_requirement info;
    size_t n = pw_requirement_count(r->program, p);
    for (size_t i = 0; i < n; i++) {
        if (pw_requirement_info(r->program, p, i, &info, NULL) != PW_OK || info.depth != 0 ||
            pw_result_outcome(r->ctx, p, i) != PW_UNMET)
            continue;
        const char *what = info.role == PW_ROLE_REQUIRE ? "missing"
                           : info.role == PW_ROLE_PREFER ? "preferred, not met" : "note";
        fprintf(r->out, "                     %s: %s\n", what, info.label);
        if (info.kind != PW_REQ_SINGLE && info.role != PW_ROLE_ADVISE)
            eval_write_members(r, p, i, 1);
    }
}

/* "in force from 2026-06-01 until 2027-08-31", for dated programs. */
static void eval_write_period(eval_run *r, size_t p)
{
    pw_date from, until;
    pw_program_period(r->program, p, &from, &until);
    char a[11] = "", b[11] = "";
    if (from != PW_DATE_MIN)
        pw_date_format(from, a);
    if (until != PW_DATE_MAX)
        pw_date_format(until, b);
    pw_verdict v = pw_result_verdict(r->ctx, p);
    const char *lead = v == PW_NOT_YET_IN_FORCE ? "takes effect" : v == PW_WITHDRAWN ? "was in force"
                                                                                   : "version in force";
    fprintf(r->out, "                     %s", lead);
    if (from != PW_DATE_MIN)
        fprintf(r->out, " from %s", a);
    if (until != PW_DATE_MAX)
        fprintf(r->out, " until %s", b);
    putc('\n', r->out);
}

static void eval_write_text(eval_run *r, const char *id)
{
    static const char *const word[] = {
        [PW_ELIGIBLE] = "eligible", [PW_NOT_ELIGIBLE] = "not eligible",
        [PW_NOT_YET_IN_FORCE] = "not yet in force", [PW_WITHDRAWN] = "withdrawn",
    };
    FILE *out = r->out;
    fprintf(out, "%s (as of %s)\n", id ? id : "(record without id)", r->as_of);
    for (size_t k = 0; k < r->o->nprogs; k++) {
        size_t p = r->o->progs[k];
        const char *title = pw_program_title(r->program, p);
        pw_verdict v = pw_result_verdict(r->ctx, p);
        fprintf(out, "  %-16s %s%s%s%s\n", word[v], pw_program_id(r->program, p), title ? " (" : "",
                title ? title : "", title ? ")" : "");
        if (pw_program_dated(r->program, p))
            eval_write_period(r, p);
        eval_write_reasons(r, p);
    }
    putc('\n', out);
}

static void eval_write_error(eval_run *r, const char *id, const char *where, const char *msg)
{
    r->bad++;
    if (r->o->text) {
        fprintf(r->out, "%s: error: %s\n\n", id ? id : "(record without id)", msg);
    } else {
        fputs("{\"id\":", r->out);
        if (id)
            cli_json_string(r->out, id);
        else
            fputs("null", r->out);
        fputs(",\"error\":", r->out);
        cli_json_string(r->out, msg);
        fputs("}\n", r->out);
    }
    fflush(r->out);
    if (id)
        fprintf(stderr, "%s: error: record \"%s\": %s\n", where, id, msg);
    else
        fprintf(stderr, "%s: error: record without an id: %s\n", where, msg);
}

/* ---- records -------------------------------------------------------------- */

static const char *eval_record_id(const cJSON *rec)
{
    const cJSON *id = cJSON_IsObject(rec) ? cJSON_GetObjectItemCaseSensitive(rec, "id") : NULL;
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

static void eval_record(eval_run *r, const cJSON *rec, const char *where)
{
    r->records++;
    const char *id = eval_record_id(rec);
    pw_error err;
    if (!cJSON_IsObject(rec)) {
        eval_write_error(r, NULL, where, "expected a JSON object for the record");
        return;
    }
    if (pw_context_set_cjson(r->ctx, rec, &err) != PW_OK) {
        eval_write_error(r, id, where, err.message);
        return;
    }
    for (size_t k = 0; k < r->o->nprogs; k++) {
        if (pw_evaluate(r->ctx, r->o->progs[k], r->o->as_of, &err) != PW_OK) {
            eval_write_error(r, id, where, err.message);
            return;
        }
    }
    if (r->o->text)
        eval_write_text(r, id);
    else
        eval_write_jsonl(r, id);
}

static bool eval_blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            return false;
    return true;
}

/* The whole input as one JSON value: an object, or an array of objects.
 * Returns false when the input is not exactly one such value. */
static bool eval_single(eval_run *r, const char *data, size_t len)
{
    const char *p = data;
    while (p < data + len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p == data + len || (*p != '{' && *p != '['))
        return false;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    if (!root)
        return false;
    if (!end || !eval_blank(end, data + len)) {
        cJSON_Delete(root);
        return false;
    }
    char where[600];
    if (cJSON_IsArray(root)) {
        int i = 0;
        for (const cJSON *rec = root->child; rec; rec = rec->next, i++) {
            snprintf(where, sizeof where, "%s: record %d", r->o->facts, i + 1);
            eval_record(r, rec, where);
        }
    } else {
        snprintf(where, sizeof where, "%s", r->o->facts);
        eval_record(r, root, where);
    }
    cJSON_Delete(root);
    return true;
}

static void eval_lines(eval_run *r, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    unsigned line = 0;
    char where[600];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        line++;
        if (!eval_blank(p, stop)) {
            snprintf(where, sizeof where, "%s:%u", r->o->facts, line);
            const char *after = NULL;
            cJSON *rec = cJSON_ParseWithLengthOpts(p, (size_t)(stop - p), &after, 0);
            if (!rec) {
                r->records++;
                char msg[128];
                snprintf(msg, sizeof msg, "invalid JSON at column %u",
                         (unsigned)((after && after >= p ? after : p) - p) + 1);
                eval_write_error(r, NULL, where, msg);
            } else if (!eval_blank(after, stop)) {
                r->records++;
                char msg[128];
                snprintf(msg, sizeof msg, "unexpected text after the JSON value at column %u",
                         (unsigned)(after - p) + 1);
                eval_write_error(r, eval_record_id(rec), where, msg);
            } else {
                eval_record(r, rec, where);
            }
            cJSON_Delete(rec);
        }
        p = nl ? nl + 1 : end;
    }
}

int cli_eval(int argc, char **argv)
{
    eval_opts o;
    memset(&o, 0, sizeof o);
    int rc = eval_parse(argc, argv, &o);
    if (rc != CLI_OK) {
        free(o.prog_ids);
        return rc < 0 ? CLI_OK : rc;
    }
    eval_run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    r.out = stdout;
    pw_date_format(o.as_of, r.as_of);
    cli_diag_sink sink;
    pw_compile_options copt = cli_compile_options(PW_DIAG_TEXT, &sink);
    cli_apply_limits(&copt, &o.limits);
    pw_error err;
    char *data = NULL;
    size_t len = 0;
    char msg[512];
    if (pw_program_open(o.rules, &copt, &r.program, &err) != PW_OK) {
        cli_report_failure(&sink, &err);
        rc = CLI_USAGE;
    } else if ((rc = eval_select(&r)) != CLI_OK) {
        /* reported */
    } else if (pw_context_new(r.program, &r.ctx, &err) != PW_OK ||
               pw_context_set_limits(r.ctx, &o.limits.limits, &err) != PW_OK) {
        cli_error("%s", err.message);
        rc = CLI_USAGE;
    } else if (!pu_read_file(o.facts, 0, &data, &len, msg, sizeof msg)) {
        cli_error("%s", msg);
        rc = CLI_USAGE;
    } else {
        /* Spreadsheet exports often start with a UTF-8 byte order mark. */
        const char *body = data;
        size_t blen = len;
        if (blen >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
            body += 3;
            blen -= 3;
        }
        if (!eval_single(&r, body, blen))
            eval_lines(&r, body, blen);
        rc = r.bad ? CLI_FOUND : CLI_OK;
        if (fflush(r.out) != 0 || ferror(r.out)) {
            cli_error("error writing the results");
            rc = CLI_FOUND;
        }
    }
    free(data);
    pw_context_free(r.ctx);
    pw_program_free(r.program);
    free(o.progs);
    free(o.prog_ids);
    return rc;
}
