/* The rule sections of docs/lint.md, one per lint code, compiled into the
 * command from the document itself (cmake/lint_doc.cmake generates
 * lint_docs.c in the build directory): each rule's fullDescription and help
 * in `pathway lint --format sarif`. */
#ifndef CLI_LINT_DOCS_H
#define CLI_LINT_DOCS_H

#include <stddef.h>

#include "diag/diag.h"

extern const pd_rule_doc cli_lint_docs[];
extern const size_t cli_lint_ndocs;

#endif
