/* The rule-file formatter behind `pathway fmt` (docs/fmt.md): one canonical
 * layout, computed from the tokens (comments included) and the author's line
 * breaks, so that comments survive and the formatted file compiles to the
 * same program. Also the unified diff that `pathway fmt --check` shows.
 *
 * Library code: nothing is printed; a text that does not parse comes back as
 * diagnostics, to be rendered by the caller (pd_render_text). */
#ifndef FM_FMT_H
#define FM_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../diag/diag.h"
#include "../source/source.h"

typedef enum fm_status {
    FM_OK = 0,
    FM_SYNTAX, /* the text does not parse: see the diagnostics; nothing formatted */
    FM_NOMEM   /* out of memory */
} fm_status;

/* One token of a rule file, comments included. `kind` is a token kind of the
 * grammar (T_... in parser.h; T_COMMENT for a comment). Spans are byte
 * offsets into the text; a comment's span leaves out trailing blanks and a
 * carriage return, which are layout. */
typedef struct fm_token {
    int kind;
    uint32_t start, end;
} fm_token;

/* Formats the text of file `file` of `src` (added by the caller with
 * ps_add). FM_OK: the formatted text is in `out` (appended; NUL-terminated;
 * free it with pd_buf_free). FM_SYNTAX: the parser's diagnostics are in
 * `diags` (which must use the arena of `src`), and `out` is untouched.
 * Only parsing is required: a file whose names or types are wrong is
 * formatted all the same. Includes are not followed. */
fm_status fm_format(ps_sources *src, uint32_t file, pd_list *diags, pd_buf *out);

/* The tokens of file `file` of `src`, comments included, in order, in a
 * malloc'd array (*n of them; free it). Scanning errors are not reported:
 * call it on text that parses. NULL when out of memory (or, with *n set to
 * SIZE_MAX, when brackets are nested past `max_depth`, 0 = no limit). */
fm_token *fm_scan(ps_sources *src, uint32_t file, unsigned max_depth, size_t *n);

/* A unified diff (3 lines of context) turning text `a` into text `b`, headed
 * `--- a_name` / `+++ b_name`, appended to `out`; nothing when the texts are
 * equal. Lines are compared byte for byte, newline included; a last line
 * without a newline is marked as diff marks it. The edit script is a
 * shortest one (Myers' O(ND) algorithm in linear space) unless the texts
 * differ so much that finding it would take long: then a longer, still
 * correct, script is given for the part that is too costly. */
void fm_diff(const char *a_name, const char *a, size_t alen, const char *b_name, const char *b,
             size_t blen, pd_buf *out);

#endif
