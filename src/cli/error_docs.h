/* The sections of docs/errors.md, one per compiler code, compiled into the
 * command from the document itself (cmake/errors_doc.cmake generates
 * error_docs.c in the build directory) for `pathway check --explain`. */
#ifndef CLI_ERROR_DOCS_H
#define CLI_ERROR_DOCS_H

#include <stddef.h>

typedef struct cli_error_doc {
    const char *code; /* "E0401" */
    const char *text; /* the section without its heading, ending in a newline */
} cli_error_doc;

extern const cli_error_doc cli_error_docs[];
extern const size_t cli_error_ndocs;

#endif
