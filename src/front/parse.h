/* The front end: reads a rule file and the files it includes, and parses each
 * with the reentrant scanner and pure parser in grammar/. */
#ifndef PP_PARSE_H
#define PP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "pathway.h"

#include "../diag/diag.h"
#include "ast.h"
#include "../source/source.h"

/* pw_limits.max_nesting bounds brackets open at once, an expression
 * tree's height (in the parser and the checker) and definitions checked
 * one inside another (along a cycle); pathway.h has its default and its
 * maximum. */
#define PP_DEFAULT_NESTING PW_DEFAULT_MAX_NESTING
/* Resolves an include for the host (pw_include_fn in pathway.h): returns a
 * malloc'd path, or NULL to refuse with a message written into `why`. */
typedef char *(*pp_include_fn)(void *user, const char *includer, const char *include,
                               char *why, size_t why_size);

typedef struct pp_limits {
    size_t max_file_size;  /* bytes; 0 = 4 MiB */
    unsigned max_depth;    /* expression/group nesting; 0 = PP_DEFAULT_NESTING; at most PW_MAX_NESTING */
    unsigned max_includes; /* files in one compilation; 0 = 256 */
} pp_limits;

/* Where includes may come from (pw_compile_options' include fields). */
typedef struct pp_includes {
    const char *root;          /* NULL, or every include must resolve under it */
    pp_include_fn resolver;    /* NULL: includes are relative to their file */
    void *user;                /* passed to the resolver */
    /* The text of one file held in memory (`pathway test --mutate`
     * compiles each mutant so, writing no file): the file whose resolved
     * path is overlay_path is read from overlay_text instead. NULL: none. */
    const char *overlay_path;
    const char *overlay_text;
    size_t overlay_len;
} pp_includes;

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
 * normalised; `..` is kept), like a C compiler's include names. The root
 * file, when it parses with errors, still contributes what could be parsed.
 * An included file that does not parse contributes nothing, and only its
 * first diagnostic is kept (it may be any file the process can read: its
 * lines are not quoted further), followed by E0005 at the include. */
bool pp_parse_program(pm_arena *arena, ps_sources *src, pd_list *diags,
                      const pp_limits *limits, const char *path, const char *text,
                      size_t len, pa_decl **decls);
/* pp_parse_program, with includes resolved and confined as `inc` says
 * (NULL: relative to their file, anywhere). A root that cannot be resolved
 * is an error (E0006); so is an include the root or the resolver refuses. */
bool pp_parse_program_with(pm_arena *arena, ps_sources *src, pd_list *diags,
                           const pp_limits *limits, const pp_includes *inc, const char *path,
                           const char *text, size_t len, pa_decl **decls);

#endif
