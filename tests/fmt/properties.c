/* fmt.properties: the formatter's guarantees (docs/fmt.md), checked over
 * every rule file of the repository and the corpus in tests/fmt/corpus:
 *
 *   idempotent      fmt(fmt(x)) == fmt(x)
 *   tokens          the tokens of fmt(x), comments included, are those of x:
 *                   same kinds, same texts, same order
 *   bytecode        compile(fmt(x)) == compile(x), source positions aside
 *                   (both compile to the same bytes, or both fail with the
 *                   same messages)
 *   layout-blind    fmt(mess(x)) == fmt(x), where mess(x) re-indents and
 *                   re-spaces x at random (tabs, CRLF, trailing blanks,
 *                   more blank lines), keeping its tokens and line breaks
 *   any breaks      for y = rebreak(x), x with line breaks and comments
 *                   added at random (some comments in the column of a
 *                   trailing comment above): fmt(y) is idempotent, keeps
 *                   y's tokens, and compiles as x does
 *
 * Usage: fmt_properties ROOT. Prints a line per failure and a summary with
 * the counts; exits 1 on any failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/tools.h"
#include "bc/image.h"
#include "facts/facts.h"
#include "vm/vm.h"
#include "bc/bytecode.h"
#include "fmt/fmt.h"
#include "parser.h"
#include "ruletest/ruletest.h"
#include "util/file.h"

enum {
    MESSES = 8,   /* messy variants per file */
    REBREAKS = 8  /* variants with other line breaks per file */
};

typedef struct set {
    const char *dir;    /* under ROOT */
    bool must_parse;    /* every file of it must parse */
} set;

static const set sets[] = {
    {"rules", true},
    {"tests/ruletest", true},
    {"tests/golden/disasm", true},
    {"tests/golden/diag", false}, /* some are syntax errors on purpose */
    {"tests/fmt/corpus", true},
    {"tests/rules/handbooks", true}, /* the rule sets of issue 17 */
};

typedef struct tally {
    size_t files, formatted, unparsed, compiled, both_fail, messes, rebreaks, failures;
} tally;

static void fail(tally *t, const char *path, const char *what)
{
    printf("FAIL %s: %s\n", path, what);
    t->failures++;
}

/* ---- formatting and scanning --------------------------------------------------- */

/* fmt(text) as a malloc'd string (*len bytes); NULL when it does not parse. */
static char *format(const char *name, const char *text, size_t len, size_t *out_len)
{
    pm_arena arena;
    pm_init(&arena, 0);
    ps_sources src;
    ps_init(&src, &arena);
    pd_list diags;
    pd_init(&diags, &arena, 0);
    pd_buf out = {0};
    int file = ps_add(&src, name, NULL, text, len);
    fm_status st = fm_format(&src, (uint32_t)file, &diags, &out);
    ps_fini(&src);
    pm_free(&arena);
    if (st != FM_OK) {
        pd_buf_free(&out);
        return NULL;
    }
    *out_len = out.len;
    if (!out.data) /* an empty file */
        return calloc(1, 1);
    return out.data;
}

typedef struct toks {
    fm_token *t;
    size_t n;
    const char *text;
} toks;

static toks scan(const char *text, size_t len)
{
    pm_arena arena;
    pm_init(&arena, 0);
    ps_sources src;
    ps_init(&src, &arena);
    int file = ps_add(&src, "x.pw", NULL, text, len);
    toks r = {NULL, 0, text};
    r.t = fm_scan(&src, (uint32_t)file, 0, &r.n);
    ps_fini(&src);
    pm_free(&arena);
    return r;
}

static bool same_tokens(const toks *a, const toks *b)
{
    if (!a->t || !b->t || a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const fm_token *x = &a->t[i], *y = &b->t[i];
        if (x->kind != y->kind || x->end - x->start != y->end - y->start ||
            memcmp(a->text + x->start, b->text + y->start, x->end - x->start) != 0)
            return false;
    }
    return true;
}

/* ---- compiling ------------------------------------------------------------------- */

/* The bytecode with every source position zeroed and the line table's runs
 * merged: what two layouts of the same rules must share. */
static uint8_t *canonical_bytes(pw_program *p, size_t *len)
{
    /* The test owns p and rewrites its positions in place before saving. */
    pb_image *img = (pb_image *)pt_program_image(p);
    for (uint32_t i = 0; i < img->nprogs; i++)
        img->progs[i].line = 0;
    for (uint32_t i = 0; i < img->nreqs; i++)
        img->reqs[i].line = img->reqs[i].col = 0;
    uint32_t n = 0;
    for (uint32_t i = 0; i < img->nlines; i++) {
        pb_line l = img->lines[i];
        l.line = l.col = 0;
        if (n == 0 || img->lines[n - 1].file != l.file)
            img->lines[n++] = l;
    }
    img->nlines = n;
    uint8_t *bytes = NULL;
    if (!pb_save(img, &bytes, len))
        return NULL;
    return bytes;
}

/* The messages of the diagnostics, without places, source lines or carets. */
static void keep_messages(void *user, const char *rendered)
{
    pd_buf *b = user;
    for (const char *line = rendered; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        const char *sev = strstr(line, ": error: ");
        if (!sev || sev > line + n)
            sev = strstr(line, ": warning: ");
        if (sev && sev < line + n)
            pd_buf_printf(b, "%.*s\n", (int)(line + n - sev), sev);
        line += n + (end != NULL);
    }
}

typedef struct compiled {
    uint8_t *bytes;   /* NULL when it did not compile */
    size_t len;
    pd_buf messages;
} compiled;

static compiled compile(const char *path, const char *text, size_t len)
{
    compiled c = {NULL, 0, {0}};
    pw_compile_options opt;
    memset(&opt, 0, sizeof opt);
    opt.on_diagnostics = keep_messages;
    opt.user = &c.messages;
    pw_program *p = NULL;
    pw_error err;
    if (pw_compile_source(path, text, len, &opt, &p, &err) == PW_OK)
        c.bytes = canonical_bytes(p, &c.len);
    pw_program_free(p);
    return c;
}

typedef enum verdict { SAME_BYTES, FAIL_ALIKE, DIFFERENT } verdict;

/* Compiles x and its formatted text f under x's name (includes resolve
 * alike); *why says how they differ. */
static verdict compare_bytecode(const char *path, const char *x, size_t xn, const char *f, size_t fn,
                                const char **why)
{
    compiled a = compile(path, x, xn), b = compile(path, f, fn);
    verdict v = DIFFERENT;
    if (a.bytes && b.bytes) {
        if (a.len == b.len && memcmp(a.bytes, b.bytes, a.len) == 0)
            v = SAME_BYTES;
        else
            *why = "compiles to other bytecode";
    } else if (!a.bytes && !b.bytes) {
        const char *ma = a.messages.data ? a.messages.data : "";
        const char *mb = b.messages.data ? b.messages.data : "";
        if (strcmp(ma, mb) == 0)
            v = FAIL_ALIKE;
        else
            *why = "fails to compile with other messages";
    } else {
        *why = a.bytes ? "does not compile" : "compiles (the original does not)";
    }
    free(a.bytes);
    free(b.bytes);
    pd_buf_free(&a.messages);
    pd_buf_free(&b.messages);
    return v;
}

static void check_bytecode(tally *t, const char *path, const char *x, size_t xn, const char *f,
                           size_t fn)
{
    const char *why = "";
    char msg[256];
    switch (compare_bytecode(path, x, xn, f, fn, &why)) {
    case SAME_BYTES: t->compiled++; break;
    case FAIL_ALIKE: t->both_fail++; break;
    case DIFFERENT:
        snprintf(msg, sizeof msg, "the formatted file %s", why);
        fail(t, path, msg);
        break;
    }
}

/* ---- messy layouts ------------------------------------------------------------------ */

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

static void blanks(pd_buf *b, unsigned *seed, unsigned min, unsigned max)
{
    unsigned n = min + next(seed) % (max - min + 1);
    for (unsigned i = 0; i < n; i++)
        pd_buf_printf(b, "%c", next(seed) % 3 ? ' ' : '\t');
}

static void newline(pd_buf *b, unsigned *seed, bool crlf)
{
    if (next(seed) % 4 == 0)
        blanks(b, seed, 1, 3); /* trailing blanks */
    pd_buf_printf(b, crlf ? "\r\n" : "\n");
}

static size_t count_newlines(const char *s, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += s[i] == '\n';
    return n;
}

/* x with the same tokens and line breaks, laid out at random. Lines with a
 * comment are kept as they are: a comment's column is the one piece of
 * layout the formatter reads (to continue a trailing comment). */
static char *mess(const toks *tk, unsigned seed, size_t *len)
{
    pd_buf b = {0};
    bool crlf = next(&seed) % 2;
    const char *x = tk->text;
    if (next(&seed) % 4 == 0 && strncmp(x, "\xEF\xBB\xBF", 3) != 0)
        pd_buf_printf(&b, "\xEF\xBB\xBF");
    size_t i = 0;
    while (i < tk->n) {
        size_t j = i + 1; /* the tokens of one line: [i, j) */
        while (j < tk->n && count_newlines(x, tk->t[j - 1].end, tk->t[j].start) == 0)
            j++;
        bool commented = tk->t[j - 1].kind == T_COMMENT;
        size_t line_start = tk->t[i].start;
        while (line_start > 0 && x[line_start - 1] != '\n')
            line_start--;
        if (commented) {
            pd_buf_printf(&b, "%.*s", (int)(tk->t[j - 1].end - line_start), x + line_start);
        } else {
            blanks(&b, &seed, 0, 9);
            for (size_t k = i; k < j; k++) {
                if (k > i)
                    blanks(&b, &seed, 1, 3);
                pd_buf_printf(&b, "%.*s", (int)(tk->t[k].end - tk->t[k].start), x + tk->t[k].start);
            }
        }
        newline(&b, &seed, crlf);
        size_t gap = j < tk->n ? count_newlines(x, tk->t[j - 1].end, tk->t[j].start) : 1;
        for (size_t k = 1; k < gap; k++) { /* blank lines: one or more stay one or more */
            if (next(&seed) % 2)
                blanks(&b, &seed, 1, 4);
            newline(&b, &seed, crlf);
        }
        if (gap > 1 && next(&seed) % 2)
            newline(&b, &seed, crlf);
        i = j;
    }
    *len = b.len;
    return b.data ? b.data : calloc(1, 1);
}

static void check_messes(tally *t, const char *path, const toks *tx, size_t xn, const char *f,
                         size_t fn)
{
    for (unsigned k = 0; k < MESSES; k++) {
        size_t mn, gn;
        char *m = mess(tx, 7919u * (k + 1) + (unsigned)xn, &mn);
        toks tm = scan(m, mn);
        char *g = format(path, m, mn, &gn);
        if (!same_tokens(tx, &tm))
            fail(t, path, "(test bug) a messy variant has other tokens");
        else if (!g)
            fail(t, path, "a messy variant does not parse");
        else if (gn != fn || memcmp(g, f, fn) != 0)
            fail(t, path, "a messy variant formats differently");
        else
            t->messes++;
        free(tm.t);
        free(g);
        free(m);
    }
}

/* ---- other line breaks ------------------------------------------------------------- */

/* x's tokens with line breaks, blank lines and comments added at random.
 * Layout carries no meaning, so this is the same rule file; the comments
 * stress the comment rules (continuations, runs, ends of blocks). */
static char *rebreak(const toks *tk, unsigned seed, size_t *len)
{
    pd_buf b = {0};
    uint32_t col = 0;     /* where the next character goes */
    int comment_at = -1;  /* the column of the trailing comment on this line */
    for (size_t i = 0; i < tk->n; i++) {
        const fm_token *t = &tk->t[i];
        int n = (int)(t->end - t->start);
        bool fresh = col == 0 || b.len == 0 || b.data[b.len - 1] == ' ';
        if (!fresh) {
            pd_buf_printf(&b, " ");
            col++;
        }
        if (t->kind == T_COMMENT)
            comment_at = col > 0 && !fresh ? (int)col : -1;
        pd_buf_printf(&b, "%.*s", n, tk->text + t->start);
        col += (uint32_t)n;
        bool ends_line = t->kind == T_COMMENT;
        if (!ends_line && next(&seed) % 16 == 0) { /* a trailing comment */
            comment_at = (int)col + 2;
            pd_buf_printf(&b, "  # t%u", next(&seed) % 100);
            ends_line = true;
        }
        if (!ends_line && next(&seed) % 16 > 4)
            continue; /* the next token on this line */
        pd_buf_printf(&b, "\n");
        if (next(&seed) % 8 == 0)
            pd_buf_printf(&b, "\n");
        if (next(&seed) % 6 == 0) { /* a comment of its own, sometimes continuing */
            bool cont = comment_at >= 0 && next(&seed) % 2;
            int at = cont ? comment_at : (int)(next(&seed) % 9);
            pd_buf_printf(&b, "%*s# o%u\n", at, "", next(&seed) % 100);
        }
        comment_at = -1;
        col = next(&seed) % 9; /* the next line's indentation */
        pd_buf_printf(&b, "%*s", (int)col, "");
    }
    *len = b.len;
    return b.data ? b.data : calloc(1, 1);
}

static void check_rebreaks(tally *t, const char *path, const toks *tx, const char *x, size_t xn)
{
    for (unsigned k = 0; k < REBREAKS; k++) {
        size_t yn, fn = 0, ffn = 0;
        char *y = rebreak(tx, 104729u * (k + 1) + (unsigned)xn, &yn);
        char *f = format(path, y, yn, &fn);
        char *ff = f ? format(path, f, fn, &ffn) : NULL;
        toks ty = scan(y, yn), tf = f ? scan(f, fn) : (toks){NULL, 0, NULL};
        const char *why = "";
        if (!f)
            fail(t, path, "a variant with other line breaks does not parse");
        else if (!ff || ffn != fn || memcmp(ff, f, fn) != 0)
            fail(t, path, "a variant with other line breaks does not format idempotently");
        else if (!same_tokens(&ty, &tf))
            fail(t, path, "a variant with other line breaks loses or changes tokens");
        else if (compare_bytecode(path, x, xn, f, fn, &why) == DIFFERENT)
            fail(t, path, "a variant with other line breaks, formatted, compiles otherwise");
        else
            t->rebreaks++;
        free(ty.t);
        free(tf.t);
        free(ff);
        free(f);
        free(y);
    }
}

/* ---- one file ------------------------------------------------------------------------- */

static void check_file(tally *t, const char *path, bool must_parse)
{
    char *x, msg[512];
    size_t xn;
    t->files++;
    if (!pu_read_file(path, 0, &x, &xn, msg, sizeof msg)) {
        fail(t, path, msg);
        return;
    }
    size_t fn, ffn;
    char *f = format(path, x, xn, &fn);
    if (!f) {
        if (must_parse)
            fail(t, path, "does not parse");
        t->unparsed++;
        free(x);
        return;
    }
    char *ff = format(path, f, fn, &ffn);
    toks tx = scan(x, xn), tf = scan(f, fn);
    if (!ff || ffn != fn || memcmp(ff, f, fn) != 0)
        fail(t, path, "not idempotent: formatting the formatted text changes it");
    else if (!same_tokens(&tx, &tf))
        fail(t, path, "the formatted text has other tokens");
    else
        t->formatted++;
    check_bytecode(t, path, x, xn, f, fn);
    check_messes(t, path, &tx, xn, f, fn);
    check_rebreaks(t, path, &tx, x, xn);
    free(tx.t);
    free(tf.t);
    free(ff);
    free(f);
    free(x);
}

int main(int argc, char **argv)
{
    /* `--dir DIR`: every file of DIR alone, each of which must parse (the
     * generated rule sets of tests/tools/newconstructs.py). */
    bool one_dir = argc == 3 && strcmp(argv[1], "--dir") == 0;
    if (argc != 2 && !one_dir) {
        fprintf(stderr, "usage: fmt_properties ROOT | --dir DIR\n");
        return 2;
    }
    tally t;
    memset(&t, 0, sizeof t);
    for (size_t s = 0; s < (one_dir ? 1 : sizeof sets / sizeof *sets); s++) {
        char dir[4096];
        if (one_dir)
            snprintf(dir, sizeof dir, "%s", argv[2]);
        else
            snprintf(dir, sizeof dir, "%s/%s", argv[1], sets[s].dir);
        pr_strings args = {0}, files = {0}, notes = {0};
        pr_strings_push(&args, dir);
        if (!pr_collect_files(&args, &files, &notes) || files.n == 0)
            fail(&t, dir, "no rule files found");
        for (size_t i = 0; i < files.n; i++)
            check_file(&t, files.items[i], one_dir || sets[s].must_parse);
        pr_strings_fini(&args);
        pr_strings_fini(&files);
        pr_strings_fini(&notes);
    }
    printf("%zu files: %zu formatted idempotently with their tokens unchanged, %zu do not parse "
           "(syntax-error fixtures);\n"
           "bytecode: %zu compile to the same bytes formatted, %zu fail alike both ways;\n"
           "%zu messy variants format the same as the files; %zu with other line breaks and\n"
           "comments format idempotently, keep their tokens and compile the same; %zu failures\n",
           t.files, t.formatted, t.unparsed, t.compiled, t.both_fail, t.messes, t.rebreaks,
           t.failures);
    return t.failures ? 1 : 0;
}
