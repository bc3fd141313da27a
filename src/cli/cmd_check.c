/* pathway check / compile / disasm */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annotate.h"
#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "bc/bytecode.h"
#include "native/native.h"
#include "util/buf.h"
#include "cli.h"
#include "source/source.h"
#include "ruletest/ruletest.h"
#include "util/file.h"

static bool cli_same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether a[i] was already printed from an earlier file (two roots may
 * include the same file). The same `assuming` shared by several programs
 * or versions (a `requirements` block's, or one a version inherits) is
 * listed once for each of them: it is an assumption of each. */
static bool cli_assumption_seen(const pr_assumptions *a, size_t i)
{
    const pr_assumption *x = &a->items[i];
    for (size_t j = 0; j < i; j++) {
        const pr_assumption *y = &a->items[j];
        if (y->line == x->line && y->column == x->column && strcmp(y->key, x->key) == 0 &&
            cli_same_text(y->program, x->program) && cli_same_text(y->version, x->version))
            return true;
    }
    return false;
}

/* A JSON string, or null for no text. */
static void cli_json_or_null(cli_buf *b, const char *s)
{
    if (s)
        cli_buf_json_string(b, s);
    else
        cli_buf_puts(b, "null");
}

/* One assumption as a JSON line, built whole before it is written: false
 * when memory ran out (nothing written, never half a line). */
static bool cli_print_assumption_json(const pr_assumption *a)
{
    cli_buf b = {0};
    cli_buf_puts(&b, "{\"file\":");
    cli_buf_json_string(&b, a->file);
    cli_buf_printf(&b, ",\"line\":%u,\"column\":%u,", a->line, a->column);
    /* A definition's names it, and has no program. */
    if (a->definition) {
        cli_buf_puts(&b, "\"definition\":");
        cli_buf_json_string(&b, a->definition);
        cli_buf_puts(&b, ",");
    }
    cli_buf_puts(&b, "\"program\":");
    cli_json_or_null(&b, a->program);
    cli_buf_puts(&b, ",\"version\":");
    cli_json_or_null(&b, a->version);
    cli_buf_puts(&b, ",\"requirement\":");
    cli_json_or_null(&b, a->requirement);
    cli_buf_puts(&b, ",\"reason\":");
    cli_buf_json_string(&b, a->reason);
    cli_buf_puts(&b, "}\n");
    bool ok = !b.oom;
    if (ok)
        fwrite(b.data, 1, b.len, stdout);
    cli_buf_free(&b);
    return ok;
}

static bool cli_print_assumption(const pr_assumption *a, pw_diag_format format)
{
    if (format == PW_DIAG_JSON)
        return cli_print_assumption_json(a);
    /* file:line:col: program (its period, when dated): "requirement": reason
     * file:line:col: define NAME: reason */
    if (a->definition) {
        printf("%s:%u:%u: define %s: %s\n", a->file, a->line, a->column, a->definition, a->reason);
        return true;
    }
    printf("%s:%u:%u: %s", a->file, a->line, a->column, a->program ? a->program : "");
    if (a->version)
        printf(" (%s)", a->version);
    if (a->requirement)
        printf(": \"%s\"", a->requirement);
    printf(": %s\n", a->reason);
    return true;
}

/* Compiles one file; with `assumptions`, collects and prints the new ones.
 * PW_ERR_COMPILE when the rules have errors; another status when the file
 * could not be checked at all (it cannot be read, memory ran out). */
static pw_status cli_check_file(const char *path, const pw_compile_options *opt, cli_diag_sink *sink,
                                pr_assumptions *assumptions, pw_diag_format format)
{
    pw_error err;
    sink->printed = false;
    if (!assumptions) {
        pw_program *prog = NULL;
        pw_status st = pw_compile_file(path, opt, &prog, &err);
        pw_program_free(prog);
        if (st != PW_OK)
            cli_report_failure(sink, &err);
        return st;
    }
    size_t before = assumptions->n;
    pw_status st = pr_list_assumptions(path, opt, assumptions, &err);
    if (st != PW_OK) {
        cli_report_failure(sink, &err);
        return st;
    }
    for (size_t i = before; i < assumptions->n; i++)
        if (!cli_assumption_seen(assumptions, i) && !cli_print_assumption(&assumptions->items[i], format)) {
            cli_error("out of memory");
            return PW_ERR_NOMEM;
        }
    return PW_OK;
}

/* ---- check ---------------------------------------------------------------------- */

typedef struct check_opts {
    int format;            /* pw_diag_format */
    bool list;             /* --list-assumptions */
    const char *explain;   /* --explain CODE */
    pr_strings args;       /* FILE|DIR as given */
    pr_strings changed;    /* --changed */
    cli_limits limits;
} check_opts;

/* --format github: GitHub Actions annotations, from the JSON diagnostics. */
enum { CHECK_GITHUB = PW_DIAG_JSON + 1 };

static const cli_choices check_formats = {
    "format", false, {{"text", PW_DIAG_TEXT, false}, {"json", PW_DIAG_JSON, false}, {"github", CHECK_GITHUB, false}}};

static const cli_option check_options[] = {
    {.name = "--format", .arg = "FORMAT", .kind = CLI_CHOICE, CLI_DEST(check_opts, format, int),
     .choices = &check_formats, .brief = "how errors are reported",
     .help = "text (default): clang-style, on standard error; json: one JSON object per "
             "diagnostic, on standard output; github: GitHub Actions annotations "
             "(::error file=...::message), on standard output"},
    {.name = "--list-assumptions", .kind = CLI_FLAG, CLI_DEST(check_opts, list, bool),
     .help = "when a file compiles, print every `assuming` of its programs and definitions (and of "
             "the files it includes), in source order: FILE:LINE:COL: PROGRAM: \"REQUIREMENT\": "
             "REASON, or FILE:LINE:COL: define NAME: REASON\n"
             "(with --format json, one JSON object per line)"},
    {.name = "--explain", .arg = "CODE", .kind = CLI_STRING, CLI_DEST(check_opts, explain, const char *),
     .brief = "what a compiler error code means",
     .help = "print what error CODE (such as E0401) means, an example of a rule file that fails "
             "with it, and the fix (the code's section of docs/errors.md), and check nothing"},
    CLI_CHANGED_OPTION(check_opts, changed),
    CLI_LIMIT_OPTIONS(check_opts, limits),
};

static int check_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)cmd;
    check_opts *o = opts;
    return cli_push_operand(&o->args, a);
}

/* Compiles each file. docs/cli.md, "Exit status": errors in the rules are
 * 1; a file that cannot be read is 2, as for lint, fmt and test. */
static int check_files(const check_opts *o, const pr_strings *files)
{
    int failed = 0;
    bool unchecked = false; /* a file that could not be checked at all */
    cli_diag_sink sink;
    bool github = o->format == CHECK_GITHUB;
    pw_diag_format format = github ? PW_DIAG_JSON : (pw_diag_format)o->format;
    pw_compile_options opt = cli_compile_options(format, &sink);
    if (github)
        opt.on_diagnostics = cli_annotate_sink;
    cli_apply_limits(&opt, &o->limits);
    pr_assumptions assumptions = {0};
    /* Assumptions are not diagnostics: with github, listed as text. */
    pw_diag_format listed = github ? PW_DIAG_TEXT : format;
    for (size_t i = 0; i < files->n; i++) {
        if (!cli_named_readable(files->items[i])) {
            unchecked = true;
            continue;
        }
        pw_status fst = cli_check_file(files->items[i], &opt, &sink, o->list ? &assumptions : NULL, listed);
        if (fst == PW_ERR_COMPILE)
            failed++;
        else if (fst != PW_OK)
            unchecked = true;
    }
    pr_assumptions_fini(&assumptions);
    return unchecked ? CLI_USAGE : failed ? CLI_FOUND : CLI_OK;
}

static int check_main(int argc, char **argv)
{
    check_opts o = {.format = PW_DIAG_TEXT};
    int st = cli_parse(&cli_check_cmd, argc, argv, &o);
    if (st == CLI_OK && o.explain) {
        st = cli_explain_code(o.explain);
    } else if (st == CLI_OK && o.args.n == 0) {
        st = cli_usage_error(&cli_check_cmd, "no rule files given");
    } else if (st == CLI_OK) {
        pr_strings files = {0};
        bool listed = cli_collect_files(&o.args, &files) &&
                      (!o.changed.n || cli_keep_changed(&files, &o.changed, &o.limits));
        st = check_files(&o, &files);
        if (!listed)
            st = CLI_USAGE;
        pr_strings_fini(&files);
    } else if (st == CLI_HELP) {
        st = CLI_OK;
    }
    pr_strings_fini(&o.args);
    pr_strings_fini(&o.changed);
    return st;
}

const cli_command cli_check_cmd = {
    .name = "check",
    .synopsis = "FILE|DIR...",
    .summary = "compile rule files and report every error",
    .usage = "usage: pathway check [--format text|json|github] [--list-assumptions] [--changed FILE]...\n"
             "                     [--limit NAME=N]... FILE|DIR...\n"
             "       pathway check --explain CODE\n",
    .about = "Compiles each rule file (and what it includes) and reports every error,\n"
             "clang-style, on standard error; with --format json, one JSON object per\n"
             "diagnostic on standard output. Prints nothing for a clean file. A DIR\n"
             "stands for every *.pw file under it, in sorted order.\n",
    CLI_OPTIONS(check_options),
    .tail = "Exit status: 0 all files compile, 1 some file has errors, 2 a usage error\n"
            "or a file that cannot be read (with --explain: an unknown code).\n",
    .operand = check_operand,
    .help_first = true,
    .operands = CLI_FILE,
    .run = check_main,
};

/* ---- compile -------------------------------------------------------------------- */

typedef struct compile_opts {
    const char *in, *out;
    int emit; /* 0 bytecode, 1 C */
    cli_limits limits;
} compile_opts;

static const cli_choices compile_emits = {"output kind", false, {{"bytecode", 0, false}, {"c", 1, false}}};

static const cli_option compile_options[] = {
    {.name = "--output", .short_name = 'o', .arg = "OUT.pwc", .kind = CLI_STRING, .complete = CLI_FILE,
     CLI_DEST(compile_opts, out, const char *),
     .help = "the file to write: bytecode, or C with --emit c (`-`: standard output)"},
    {.name = "--emit", .arg = "KIND", .kind = CLI_CHOICE, CLI_DEST(compile_opts, emit, int),
     .choices = &compile_emits, .brief = "what to write",
     .help = "bytecode (default): a .pwc file; c: C source implementing pathway_native.h, for "
             "pw_program_use_native (docs/embedding.md); FILE may then be a .pwc file too"},
    CLI_LIMIT_OPTIONS(compile_opts, limits),
};

static int compile_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)cmd;
    compile_opts *o = opts;
    if (o->in) {
        cli_error("compile takes one rule file (it compiles what that file includes)");
        return CLI_USAGE;
    }
    o->in = a;
    return CLI_OK;
}

/* --emit c: the program as C source (src/native). */
static int compile_emit_c(pw_program *prog, const char *in, const char *out)
{
    pu_buf c = {0};
    char msg[256];
    int rc;
    if (!pn_emit_c(pt_program_image(prog), in, &c, msg, sizeof msg)) {
        cli_error("%s: %s", in, msg);
        rc = CLI_FOUND;
    } else {
        rc = cli_write_output(out, c.data, c.len);
    }
    pu_buf_free(&c);
    pw_program_free(prog);
    return rc;
}

static int compile_main(int argc, char **argv)
{
    compile_opts o = {0};
    int st = cli_parse(&cli_compile_cmd, argc, argv, &o);
    if (st != CLI_OK)
        return st == CLI_HELP ? CLI_OK : st;
    if (!o.in || !o.out)
        return cli_usage_error(&cli_compile_cmd, "%s",
                               !o.in ? "no rule file given" : "no output file given (-o OUT.pwc)");
    const char *in = o.in, *out = o.out;
    cli_limits limits = o.limits;
    /* The rule file and what it includes are inputs: -o naming one is
     * refused before anything is compiled or written. */
    cli_inputs inputs = {0};
    cli_inputs_add_rules(&inputs, in, &limits);
    st = cli_output_check(&inputs, out);
    cli_inputs_fini(&inputs);
    if (st != CLI_OK)
        return st;
    cli_diag_sink sink;
    pw_compile_options opt = cli_compile_options(PW_DIAG_TEXT, &sink);
    cli_apply_limits(&opt, &limits);
    pw_program *prog = NULL;
    pw_error err;
    if ((o.emit ? pw_program_open(in, &opt, &prog, &err) : pw_compile_file(in, &opt, &prog, &err)) != PW_OK) {
        cli_report_failure(&sink, &err);
        return CLI_FOUND;
    }
    if (o.emit)
        return compile_emit_c(prog, in, out);
    void *bytes = NULL;
    size_t len = 0;
    int rc = CLI_OK;
    if (pw_program_save(prog, &bytes, &len, &err) != PW_OK) {
        cli_error("%s", err.message);
        rc = CLI_FOUND;
    } else {
        rc = cli_write_output(out, bytes, len);
    }
    pw_free(bytes);
    pw_program_free(prog);
    return rc;
}

const cli_command cli_compile_cmd = {
    .name = "compile",
    .synopsis = "FILE -o OUT.pwc",
    .summary = "compile a rule file to bytecode",
    .usage = "usage: pathway compile FILE -o OUT.pwc [--emit c] [--limit NAME=N]...\n",
    .about = "Compiles a rule file to bytecode (see docs/bytecode.md). The output is\n"
             "written atomically (docs/robustness.md); `-o -` writes standard output.\n",
    CLI_OPTIONS(compile_options),
    .tail = "Exit status: 0 written, 1 the rules have errors, 2 usage error, 3 the\n"
            "output cannot be written (or names the rule file or a file it includes).\n",
    .operand = compile_operand,
    .help_first = true,
    .operands = CLI_FILE,
    .run = compile_main,
};

/* Source lines for the disassembler, read on demand and kept until exit. */
typedef struct cli_sources {
    char *names[16];
    char *texts[16];
    int n;
    char line[512];
    const char *file; /* the FILE disassembled: bytecode names sources from its directory */
} cli_sources;

/* Reads a regular file (a name in a .pwc could be a FIFO); NULL when it
 * cannot be read. */
static char *cli_read_regular(const char *path)
{
    bool not_regular;
    int fd = ps_open_regular(path, &not_regular);
    if (fd < 0)
        return NULL;
    close(fd);
    char *text = NULL;
    size_t len;
    char msg[256];
    if (!pu_read_file(path, 16u << 20, &text, &len, msg, sizeof msg))
        return NULL;
    return text;
}

/* Reads a source file named in the bytecode, which names files from the
 * main rule file's directory: first from the directory of the file
 * disassembled, then from the working directory (a .pwc kept apart from
 * its rules, disassembled where they are). NULL when it cannot be read. */
static char *cli_source_text(const cli_sources *s, const char *name)
{
    const char *slash = strrchr(s->file, '/');
    if (name[0] == '/' || !slash)
        return cli_read_regular(name);
    size_t dir = (size_t)(slash - s->file) + 1, n = dir + strlen(name) + 1;
    char *path = malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "%.*s%s", (int)dir, s->file, name);
    char *text = cli_read_regular(path);
    free(path);
    return text ? text : cli_read_regular(name);
}

static const char *cli_source_line(void *user, const char *file, uint32_t line)
{
    cli_sources *s = user;
    char *text = NULL;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->names[i], file) == 0)
            text = s->texts[i];
    if (!text && s->n < 16) {
        text = cli_source_text(s, file);
        s->names[s->n] = strdup(file);
        s->texts[s->n] = text;
        s->n++;
    }
    if (!text || line == 0)
        return NULL;
    char *buf = s->line;
    const char *p = text;
    for (uint32_t l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p) /* past the end (the text after the last newline is no line) */
        return NULL;
    size_t n = strcspn(p, "\n");
    if (n >= sizeof s->line)
        n = sizeof s->line - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

/* ---- disasm ---------------------------------------------------------------------- */

typedef struct disasm_opts {
    const char *file;
    cli_limits limits;
} disasm_opts;

static const cli_option disasm_options[] = {
    CLI_LIMIT_OPTIONS(disasm_opts, limits),
};

static int disasm_operand(const cli_command *cmd, void *opts, const char *a)
{
    disasm_opts *o = opts;
    if (o->file)
        return cli_usage_error(cmd, "disasm takes one file");
    o->file = a;
    return CLI_OK;
}

static int disasm_main(int argc, char **argv)
{
    disasm_opts o = {0};
    int st = cli_parse(&cli_disasm_cmd, argc, argv, &o);
    if (st != CLI_OK)
        return st == CLI_HELP ? CLI_OK : st;
    if (!o.file)
        return cli_usage_error(&cli_disasm_cmd, "disasm takes one file");
    const char *file = o.file;
    cli_limits limits = o.limits;
    cli_diag_sink sink;
    pw_compile_options opt = cli_compile_options(PW_DIAG_TEXT, &sink);
    cli_apply_limits(&opt, &limits);
    pw_program *prog = NULL;
    pw_error err;
    if (pw_program_open(file, &opt, &prog, &err) != PW_OK) {
        cli_report_failure(&sink, &err);
        return CLI_FOUND;
    }
    cli_sources sources;
    memset(&sources, 0, sizeof sources);
    sources.file = file;
    pb_disasm(pt_program_image(prog), stdout, cli_source_line, &sources);
    for (int i = 0; i < sources.n; i++) {
        free(sources.names[i]);
        free(sources.texts[i]);
    }
    pw_program_free(prog);
    return CLI_OK;
}

const cli_command cli_disasm_cmd = {
    .name = "disasm",
    .synopsis = "FILE",
    .summary = "print the bytecode of a rule or .pwc file",
    .usage = "usage: pathway disasm FILE [--limit NAME=N]...\n",
    .about = "Prints the bytecode of a rule file or .pwc file: strings, records,\n"
             "programs with their requirement trees, and every function's instructions\n"
             "under the source lines they come from.\n",
    CLI_OPTIONS(disasm_options),
    .tail = "Exit status: 0 printed, 1 the file does not load or compile, 2 usage.\n",
    .operand = disasm_operand,
    .help_first = true,
    .operands = CLI_FILE,
    .run = disasm_main,
};
