/* The formatter's internals: the text cut into output lines of tokens, which
 * fm_indent (layout.c) places and fmt.c prints. */
#ifndef FM_FMT_INT_H
#define FM_FMT_INT_H

#include "fmt.h"

/* One line of the output: tokens of one line of the input, in order. */
typedef struct fm_line {
    uint32_t first, n;     /* its tokens: toks[first .. first + n) */
    uint32_t blanks;       /* blank lines before it in the input */
    uint32_t indent;       /* columns (fm_indent; alignment for `cont`) */
    uint32_t inner;        /* when it starts with `}`, `]` or `)`: the indentation
                            * inside the bracket it closes, for a comment above it */
    uint32_t comment_col;  /* where its comment starts in the input (columns) */
    uint32_t col;          /* where its trailing comment is printed */
    bool comment_only;     /* nothing but a comment */
    bool trailing;         /* code, then a comment */
    bool cont;             /* comment_only, and continues the trailing comment of
                            * the line above: aligned with it, not indented */
} fm_line;

typedef struct fm_doc {
    const char *text;
    const fm_token *toks;
    size_t ntoks;
    fm_line *lines;
    size_t nlines;
    uint8_t *unary;        /* per token: 1 for a `-` that negates (no space after) */
} fm_doc;

/* Appends n bytes to b as they are (pd_buf_printf would stop at a NUL byte,
 * which a comment may hold), keeping it NUL-terminated; sets b->oom when
 * memory runs out. */
void fm_put(pd_buf *b, const char *s, size_t n);

/* Sets the indentation of every line and marks unary minus signs
 * (docs/fmt.md, "Indentation"). False when memory runs out. */
bool fm_indent(fm_doc *d);

#endif
