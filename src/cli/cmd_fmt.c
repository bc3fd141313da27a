/* pathway fmt: print, check or rewrite rule files in the canonical layout
 * (docs/fmt.md). */

/* realpath is an XSI interface; the build asks only for POSIX. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fmt/fmt.h"
#include "ruletest/ruletest.h"
#include "util/assert.h"
#include "util/file.h"

enum {
    FMT_MAX_BYTES = 4 << 20, /* a rule file, as the compiler's default limit */
    FMT_MAX_ERRORS = 50      /* syntax errors shown per file, as `check` shows */
};

typedef enum fmt_mode { FMT_PRINT, FMT_CHECK, FMT_WRITE } fmt_mode;

typedef struct fmt_run {
    fmt_mode mode;
    bool color;          /* diagnostics in colour (standard error is a terminal) */
    size_t unformatted;  /* --check: files that would change */
    bool failed;         /* a file or directory could not be read, memory ran out */
    bool unparsed;       /* a file does not parse */
    bool unwritten;      /* a file could not be written */
} fmt_run;

/* ---- options -------------------------------------------------------------------- */

typedef struct fmt_opts {
    bool check, write;
    pr_strings *args;
} fmt_opts;

static const cli_option fmt_options[] = {
    {.name = "(no option)", .kind = CLI_NOTE, .help = "print one FILE formatted (`-` reads standard input)"},
    {.name = "--check", .kind = CLI_FLAG, CLI_DEST(fmt_opts, check, bool),
     .help = "print a unified diff for each file that is not formatted"},
    {.name = "--write", .short_name = 'w', .kind = CLI_FLAG, CLI_DEST(fmt_opts, write, bool),
     .help = "rewrite the files that are not formatted, in place, atomically"},
};

static int fmt_operand(const cli_command *cmd, void *opts, const char *a)
{
    (void)cmd;
    return cli_push_operand(((fmt_opts *)opts)->args, a);
}

static int fmt_usage(const char *msg)
{
    return cli_usage_error(&cli_fmt_cmd, "%s", msg);
}

/* Returns CLI_HELP after printing help. */
static int fmt_parse(int argc, char **argv, fmt_run *r, pr_strings *args)
{
    fmt_opts o = {false, false, args};
    int st = cli_parse(&cli_fmt_cmd, argc, argv, &o);
    if (st != CLI_OK)
        return st;
    bool check = o.check, write = o.write;
    if (check && write)
        return fmt_usage("--check and -w do not go together: --check changes nothing");
    if (args->n == 0)
        return fmt_usage("no rule files or directories given");
    r->mode = check ? FMT_CHECK : write ? FMT_WRITE : FMT_PRINT;
    for (size_t i = 0; i < args->n; i++) {
        struct stat st;
        bool dir = stat(args->items[i], &st) == 0 && S_ISDIR(st.st_mode);
        if (r->mode == FMT_PRINT && (args->n > 1 || dir))
            return fmt_usage("without --check or -w, fmt prints one file");
        if (r->mode == FMT_WRITE && strcmp(args->items[i], "-") == 0)
            return fmt_usage("-w rewrites files; standard input has none to rewrite");
    }
    return CLI_OK;
}

/* ---- one file ------------------------------------------------------------------- */

/* The syntax errors, as `pathway check` prints them. */
static void fmt_report(const pd_list *diags, ps_sources *src, bool color)
{
    pd_buf b = {0};
    pd_render_text(diags, src, color, &b);
    if (diags->truncated)
        pd_buf_printf(&b, "error: too many errors; stopped reporting after %u\n", diags->max_errors);
    /* FM_SYNTAX: the parser failed without running out of memory, so it
     * counted an error (docs/robustness.md). */
    if (PU_ALWAYS(diags->errors))
        pd_buf_printf(&b, "%u error%s generated.\n", diags->errors, diags->errors == 1 ? "" : "s");
    if (b.oom)
        cli_error("out of memory reporting the errors");
    else if (b.data)
        fputs(b.data, stderr);
    pd_buf_free(&b);
}

/* Rewrites `path` with the formatted text, through a symbolic link the
 * user named to its target. The writer keeps the file's permissions and
 * owner, keeps its hard links, and refuses a read-only file
 * (docs/robustness.md, "Outputs"). */
static bool fmt_rewrite(const char *path, const pd_buf *out)
{
    char *real = realpath(path, NULL);
    bool ok = cli_write_output(real ? real : path, out->data ? out->data : "", out->len) == CLI_OK;
    free(real);
    return ok;
}

/* What the mode does with a file that formatted. */
static void fmt_result(fmt_run *r, const char *name, const char *path, const char *text,
                       size_t len, const pd_buf *out)
{
    const char *formatted = out->data ? out->data : "";
    bool same = out->len == len && memcmp(formatted, text, len) == 0;
    if (r->mode == FMT_PRINT) {
        fwrite(formatted, 1, out->len, stdout);
    } else if (r->mode == FMT_CHECK && !same) {
        size_t n = strlen(name);
        char *orig = malloc(n + 6);
        pd_buf diff = {0};
        if (orig) {
            snprintf(orig, n + 6, "%s.orig", name);
            fm_diff(orig, text, len, name, formatted, out->len, &diff);
        }
        if (!orig || diff.oom) {
            cli_error("%s: out of memory showing the difference", name);
            r->failed = true;
        } else {
            fwrite(diff.data, 1, diff.len, stdout); /* a comment may hold a NUL byte */
        }
        r->unformatted++;
        free(orig);
        pd_buf_free(&diff);
    } else if (r->mode == FMT_WRITE && !same && !fmt_rewrite(path, out)) {
        r->unwritten = true;
    }
}

static void fmt_file(fmt_run *r, const char *path)
{
    char *text = NULL, msg[512];
    size_t len = 0;
    if (!pu_read_file(path, FMT_MAX_BYTES, &text, &len, msg, sizeof msg)) {
        cli_error("%s", msg);
        r->failed = true;
        return;
    }
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    pm_arena arena;
    pm_init(&arena, 0);
    ps_sources src;
    ps_init(&src, &arena);
    pd_list diags;
    pd_init(&diags, &arena, FMT_MAX_ERRORS);
    pd_buf out = {0};
    int file = ps_add(&src, name, path, text, len);
    fm_status st = file < 0 ? FM_NOMEM : fm_format(&src, (uint32_t)file, &diags, &out);
    if (st == FM_OK) {
        fmt_result(r, name, path, text, len, &out);
    } else {
        if (st == FM_SYNTAX) {
            fmt_report(&diags, &src, r->color);
            r->unparsed = true;
        } else {
            cli_error("%s: out of memory", name);
            r->failed = true;
        }
    }
    pd_buf_free(&out);
    ps_fini(&src);
    pm_free(&arena);
    free(text);
}

static int fmt_main(int argc, char **argv)
{
    fmt_run r;
    memset(&r, 0, sizeof r);
    r.color = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    pr_strings args = {0}, files = {0};
    int rc = fmt_parse(argc, argv, &r, &args);
    if (rc == CLI_OK) {
        if (!cli_collect_files(&args, &files))
            r.failed = true;
        for (size_t i = 0; i < files.n; i++)
            fmt_file(&r, files.items[i]);
        if (r.unformatted)
            cli_error("%zu file%s not formatted (`pathway fmt -w` rewrites %s)", r.unformatted,
                      r.unformatted == 1 ? " is" : "s are", r.unformatted == 1 ? "it" : "them");
        /* Standard output is checked by main, as every command's. */
        /* docs/cli.md, "Exit status": a file that does not parse is a
         * problem in the rules (1), as `check` and `lint` say; one that
         * cannot be read is one fmt could not work on (2). */
        rc = r.unwritten ? CLI_WRITE : r.failed ? CLI_USAGE : r.unformatted || r.unparsed ? CLI_FOUND : CLI_OK;
    }
    pr_strings_fini(&args);
    pr_strings_fini(&files);
    return rc < 0 ? CLI_OK : rc;
}

const cli_command cli_fmt_cmd = {
    .name = "fmt",
    .synopsis = "FILE|DIR...",
    .summary = "lay rule files out in the canonical layout",
    .usage = "usage: pathway fmt [--check | -w] FILE|DIR...\n",
    .about = "Lays rule files out in the one canonical layout (docs/fmt.md): indentation,\n"
             "spacing within lines, blank lines, the column of trailing comments. Line\n"
             "breaks and comments are kept, and the formatted file compiles to the same\n"
             "program. A file that does not parse is reported, clang-style, and left alone.\n",
    CLI_OPTIONS(fmt_options),
    .tail = "With --check or -w, a DIR is searched recursively for *.pw files.\n"
            "-w keeps each file's permissions, owner and hard links, and refuses a\n"
            "read-only file (docs/robustness.md).\n"
            "Exit status: 0 done (with --check: every file is formatted), 1 --check found\n"
            "files that are not formatted, or a file does not parse, 2 a usage error or\n"
            "a file that cannot be read, 3 a file that cannot be written.\n",
    .operand = fmt_operand,
    .operands = CLI_FILE,
    .run = fmt_main,
};
