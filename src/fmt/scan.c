/* The formatter's scan: the grammar's own scanner (grammar/lexer.l) in its
 * comment-keeping mode, so that the formatter sees exactly the tokens the
 * parser sees, and the comments between them. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_int.h"
#include "parser.h"

/* A comment's trailing blanks (and the \r of a CRLF line) are layout. */
static uint32_t fm_comment_end(const char *text, uint32_t start, uint32_t end)
{
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' ||
                           text[end - 1] == '\f' || text[end - 1] == '\v'))
        end--;
    return end;
}

static bool fm_push_token(fm_token **toks, size_t *n, size_t *cap, fm_token t)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        fm_token *p = ncap <= SIZE_MAX / sizeof *p ? realloc(*toks, ncap * sizeof *p) : NULL;
        if (!p)
            return false;
        *toks = p;
        *cap = ncap;
    }
    (*toks)[(*n)++] = t;
    return true;
}

/* Runs the scanner to the end of the text. Returns false when memory ran out
 * or the nesting limit stopped it (lx->stop). */
static bool fm_scan_all(pp_lex *lx, const ps_file *f, fm_token **toks, size_t *n)
{
    yyscan_t scanner;
    if (!pp_lex_open(lx, &scanner, f->text, f->len))
        return false;
    /* Room from the start: an empty file still gets an array, not NULL. */
    size_t cap = 256;
    *toks = malloc(cap * sizeof **toks);
    bool ok = *toks != NULL;
    while (ok) {
        PW_YYSTYPE val;
        PW_YYLTYPE loc;
        int kind = pw_yylex(&val, &loc, scanner);
        if (kind == T_YYEOF)
            break;
        fm_token t = {kind, loc.start, loc.end};
        if (kind == T_COMMENT)
            t.end = fm_comment_end(f->text, t.start, t.end);
        ok = fm_push_token(toks, n, &cap, t);
    }
    pp_lex_close(scanner);
    return ok && !lx->stop;
}

/* Flex reports running out of memory through YY_FATAL_ERROR, which jumps
 * back here. Everything the scan changes lives in the caller's frame (or on
 * the heap), never in this function's, so nothing is indeterminate after
 * the jump. */
static bool fm_scan_guarded(pp_lex *lx, const ps_file *f, fm_token **toks, size_t *n)
{
    jmp_buf fatal;
    lx->fatal = &fatal;
    if (setjmp(fatal))
        return false;
    return fm_scan_all(lx, f, toks, n);
}

fm_token *fm_scan(ps_sources *src, uint32_t file, unsigned max_depth, size_t *n)
{
    *n = 0;
    if (file >= src->nfiles)
        return NULL;
    /* The scanner's memory and token texts: a scratch arena, freed here. */
    pm_arena arena;
    pm_init(&arena, 0);
    pd_list diags; /* scanning errors: the parse has reported them already */
    pd_init(&diags, &arena, 1);
    pp_lex lx;
    memset(&lx, 0, sizeof lx);
    lx.arena = &arena;
    lx.src = src;
    lx.file = file;
    lx.diags = &diags;
    lx.max_depth = max_depth ? max_depth : UINT32_MAX;
    lx.keep_comments = true;
    fm_token *toks = NULL;
    bool ok = fm_scan_guarded(&lx, &src->files[file], &toks, n);
    pm_free(&arena);
    if (!ok) {
        *n = lx.stop && !diags.oom ? SIZE_MAX : 0; /* SIZE_MAX: nested too deeply */
        free(toks);
        return NULL;
    }
    return toks;
}
