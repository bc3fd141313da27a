/* The front end: reads a rule file and the files it includes, and parses each
 * with the reentrant scanner and pure parser in grammar/. */
#ifndef PP_PARSE_H
#define PP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "pathway.h"

#include "../diag/diag.h"
#include "ast.h"
#include "source.h"

/* pw_limits.max_nesting bounds brackets open at once, an expression
 * tree's height (in the parser and the checker) and definitions checked
 * one inside another (along a cycle); pathway.h has its default and its
 * maximum. */
#define PP_DEFAULT_NESTING PW_DEFAULT_MAX_NESTING

typedef struct pp_limits {
    size_t max_file_size;  /* bytes; 0 = 4 MiB */
    unsigned max_depth;    /* expression/group nesting; 0 = PP_DEFAULT_NESTING; at most PW_MAX_NESTING */
    unsigned max_includes; /* files in one compilation; 0 = 256 */
} pp_limits;

/* Parses one text; appends its declarations to *decls (in order). Syntax
 * errors go to `diags`; returns false if there were any. `file` is the
 * ps_sources index of the text. Includes are not followed here. Whatever
 * parsed is appended even when it returns false. */
bool pp_parse_text(pm_arena *arena, ps_sources *src, uint32_t file, pd_list *diags,
                   const pp_limits *limits, pa_decl **decls);

/* Reads and parses `path` (or, when text != NULL, the given text under the
 * name `path`), then every file it includes, relative to the including file,
 * each once; an include cycle is an error naming the chain. The declarations
 * of all files come back in one list, each included file's declarations at
 * the place of its include. Returns false if any error was reported.
 *
 * The PA_D_INCLUDE declarations stay in the list, each followed directly by
 * the declarations of the file it names (depth first). A file is read once
 * (dedupe by realpath): a second include of it is followed by nothing, and
 * an include that closes a cycle is reported and followed by nothing. An
 * included file is named `dir-of-includer/path` in messages (not
 * normalised; `..` is kept), like a C compiler's include names. Files that
 * parse with errors still contribute what could be parsed. */
bool pp_parse_program(pm_arena *arena, ps_sources *src, pd_list *diags,
                      const pp_limits *limits, const char *path, const char *text,
                      size_t len, pa_decl **decls);

#endif
