/* FILE|DIR arguments, shared by `pathway test` and `pathway fmt`; the inputs
 * a command reads and the outputs it writes. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/tools.h"
#include "bc/bytecode.h"
#include "cli.h"
#include "source/source.h"
#include "ruletest/ruletest.h"
#include "util/file.h"

int cli_push_operand(pr_strings *args, const char *arg)
{
    if (pr_strings_push(args, arg))
        return CLI_OK;
    cli_error("out of memory");
    return CLI_USAGE;
}

bool cli_collect_files(const pr_strings *args, pr_strings *files)
{
    pr_strings notes = {0};
    bool ok = pr_collect_files(args, files, &notes);
    for (size_t i = 0; i < notes.n; i++)
        cli_error("%s", notes.items[i]);
    /* A failure without a note: memory ran out, for the note too
     * (tests/unit/test_cli_allocfail.c). */
    if (!ok && !notes.n)
        cli_error("out of memory");
    pr_strings_fini(&notes);
    return ok;
}

/* ---- inputs and outputs ---------------------------------------------------------- */

static bool cli_same_file(const struct stat *st, const cli_input *in)
{
    return (unsigned long long)st->st_dev == in->dev && (unsigned long long)st->st_ino == in->ino;
}

static void cli_inputs_push(cli_inputs *in, const struct stat *st, const char *name)
{
    for (size_t i = 0; i < in->n; i++)
        if (cli_same_file(st, &in->items[i]))
            return;
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 8;
        cli_input *items = realloc(in->items, cap * sizeof *items);
        if (!items) {
            in->oom = true;
            return;
        }
        in->items = items;
        in->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        in->oom = true;
        return;
    }
    in->items[in->n++] = (cli_input){(unsigned long long)st->st_dev, (unsigned long long)st->st_ino, copy};
}

void cli_inputs_add(cli_inputs *in, const char *path)
{
    struct stat st;
    bool is_stdin = strcmp(path, "-") == 0;
    /* Standard input counts when it is a file an output could replace (a
     * pipe is not); it is open (main fills a closed one), so fstat works. */
    int got = is_stdin ? fstat(STDIN_FILENO, &st) : stat(path, &st);
    if (got == 0 && (!is_stdin || S_ISREG(st.st_mode)))
        cli_inputs_push(in, &st, is_stdin ? "standard input" : path);
}

static void cli_inputs_quiet(void *user, const char *rendered)
{
    (void)user;
    (void)rendered;
}

static void cli_inputs_of_tree(void *user, const pt_tree *tree)
{
    for (uint32_t i = 0; i < tree->src->nfiles; i++)
        if (tree->src->files[i].path)
            cli_inputs_add(user, tree->src->files[i].path);
}

bool cli_is_bytecode(const char *path)
{
    FILE *f = fopen(path, "rb");
    char magic[PB_MAGIC_LEN];
    bool yes = f && fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, PB_MAGIC, PB_MAGIC_LEN) == 0;
    if (f)
        fclose(f);
    return yes;
}

/* Compiles `path` only to see its tree (the files it includes), reporting
 * nothing: the command reports the file's errors when it compiles it. */
static void cli_inspect_quietly(const char *path, const cli_limits *limits, pt_tree_fn inspect, void *user)
{
    pw_compile_options opt;
    memset(&opt, 0, sizeof opt);
    opt.on_diagnostics = cli_inputs_quiet;
    if (limits)
        cli_apply_limits(&opt, limits);
    pw_program *prog = NULL;
    pw_error err;
    pt_compile_tree(path, &opt, inspect, user, &prog, &err);
    pw_program_free(prog);
}

void cli_inputs_add_rules(cli_inputs *in, const char *path, const cli_limits *limits)
{
    cli_inputs_add(in, path);
    if (strcmp(path, "-") == 0 || cli_is_bytecode(path))
        return;
    cli_inspect_quietly(path, limits, cli_inputs_of_tree, in);
}

void cli_inputs_fini(cli_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->items[i].name);
    free(in->items);
    memset(in, 0, sizeof *in);
}

int cli_output_check(const cli_inputs *in, const char *output)
{
    struct stat st;
    if (!output || strcmp(output, "-") == 0)
        return CLI_OK;
    if (in->oom) {
        cli_error("out of memory checking the output %s", output);
        return CLI_WRITE;
    }
    bool exists = stat(output, &st) == 0;
    for (size_t i = 0; exists && i < in->n; i++) {
        if (!cli_same_file(&st, &in->items[i]))
            continue;
        if (strcmp(in->items[i].name, output) == 0)
            cli_error("cannot write %s: it is an input of this command; choose another output file", output);
        else
            cli_error("cannot write %s: it is the input %s; choose another output file", output, in->items[i].name);
        return CLI_WRITE;
    }
    /* What the writer would refuse at the end (a directory, DIR/, a link, a
     * block device, a missing directory, a read-only file), refused now,
     * before the command's work. */
    char msg[1024];
    if (!pu_out_check(output, msg, sizeof msg)) {
        cli_error("%s", msg);
        return CLI_WRITE;
    }
    return CLI_OK;
}

int cli_write_output(const char *path, const void *data, size_t len)
{
    char msg[1024];
    if (!pu_write_file(path, data, len, msg, sizeof msg)) {
        cli_error("%s", msg);
        return CLI_WRITE;
    }
    return CLI_OK;
}

/* ---- --changed: the rule files a change touches ------------------------------------ */

int cli_set_changed(const cli_option *opt, void *dest, const char *value)
{
    (void)opt;
    return cli_push_operand(dest, value);
}

typedef struct cli_touch {
    const cli_inputs *changed;
    bool inspected, hit;
} cli_touch;

static void cli_touch_tree(void *user, const pt_tree *tree)
{
    cli_touch *t = user;
    t->inspected = true;
    for (uint32_t i = 0; i < tree->src->nfiles && !t->hit; i++) {
        struct stat st;
        const char *path = tree->src->files[i].path;
        if (!path || stat(path, &st) != 0)
            continue;
        for (size_t k = 0; k < t->changed->n; k++)
            t->hit = t->hit || cli_same_file(&st, &t->changed->items[k]);
    }
}

/* Whether rule file `path` is one of `changed` or includes one. A file that
 * does not parse is kept: it fails either way, and what it would include
 * cannot be told. */
static bool cli_touches(const char *path, const cli_inputs *changed, const cli_limits *limits)
{
    cli_touch t = {changed, false, false};
    cli_inspect_quietly(path, limits, cli_touch_tree, &t);
    return t.hit || !t.inspected;
}

bool cli_keep_changed(pr_strings *files, const pr_strings *changed, const cli_limits *limits)
{
    cli_inputs want = {0};
    for (size_t i = 0; i < changed->n; i++) {
        struct stat st;
        /* A deleted file: which files included it can no longer be told
         * (each now fails to compile), so every file is kept. */
        if (stat(changed->items[i], &st) != 0) {
            cli_inputs_fini(&want);
            return true;
        }
        cli_inputs_add(&want, changed->items[i]);
    }
    if (want.oom) {
        cli_inputs_fini(&want);
        cli_error("out of memory");
        return false;
    }
    size_t kept = 0;
    for (size_t i = 0; i < files->n; i++) {
        if (cli_touches(files->items[i], &want, limits))
            files->items[kept++] = files->items[i];
        else
            free(files->items[i]);
    }
    files->n = kept;
    cli_inputs_fini(&want);
    return true;
}
