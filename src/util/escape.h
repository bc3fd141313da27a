/* Showing text that came from outside (ids and values from facts, above
 * all) in each output format: ONE escaping function per format, so that no
 * writer invents its own. docs/robustness.md ("Ids and text from facts in
 * output") says what each format shows.
 *
 * The characters that must never reach an output raw, whatever the format:
 * C0 controls, DEL, C1 controls (U+0080-U+009F), the line and paragraph
 * separators U+2028/U+2029, the bidi embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), and bytes that are not UTF-8. */
#ifndef PU_ESCAPE_H
#define PU_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"

/* JSON: s[0..n) as a string literal, quotes included. Quote, backslash
 * and the characters above become \" \\ \n \r \t or \uXXXX (a byte that
 * is not UTF-8 becomes \ufffd); everything else is copied, so that a valid
 * UTF-8 id without those characters parses back exactly as it was. */
void pu_escape_json(pu_buf *b, const char *s, size_t n);
/* The same for a NUL-terminated string. */
void pu_buf_json_string(pu_buf *b, const char *s);

/* Text for a terminal or a log (stdout text reports, stderr messages):
 * s[0..n) with each character above shown as a visible escape: a C0
 * control or DEL as \xNN (\x1b), a C1 control, separator or bidi control
 * as \uNNNN (\u202e), and a byte that is not UTF-8 as \xNN (\xff). No
 * quotes are added; everything else, backslashes included, is copied. */
void pu_escape_text(pu_buf *b, const char *s, size_t n);

/* CSV (RFC 4180): s[0..n) as one field. A field that would start with
 * = + - @ TAB or CR (a spreadsheet formula) is prefixed with a single
 * quote (OWASP's CSV injection advice); a field holding a comma, a quote,
 * a control character or a leading or trailing space is quoted, with its
 * quotes doubled. A byte that is not UTF-8 becomes U+FFFD; every other
 * character is kept as it is, controls included (inside quotes), so that
 * the field reads back as the id, less the formula quote. */
void pu_escape_csv(pu_buf *b, const char *s, size_t n);

/* HTML and XML element text: & < > " ' become entities (&#39; for the
 * apostrophe), CR becomes &#13;, TAB and LF stay, and each other character
 * above is shown as pu_escape_text shows it (XML cannot hold most of them
 * at all). Safe in a quoted HTML attribute value too. */
void pu_escape_markup(pu_buf *b, const char *s, size_t n);
/* The same for an XML attribute value, where TAB and LF also become
 * character references (&#9; &#10;) so that they survive normalisation. */
void pu_escape_markup_attr(pu_buf *b, const char *s, size_t n);

/* A cJSON string item that prints as pu_escape_json writes it (a raw item):
 * for JSON that cJSON builds. cJSON's own escaping leaves DEL, the C1 and
 * bidi controls, U+2028/U+2029 and bytes that are not UTF-8 raw. NULL gives
 * a null item; NULL back when memory runs out. */
struct cJSON;
struct cJSON *pu_json_cjson(const char *s);

/* One of the functions above, applied to a NUL-terminated string (NULL
 * writes nothing) and written to `out`; false when memory runs out. */
typedef void pu_escape_fn(pu_buf *b, const char *s, size_t n);
bool pu_escape_fputs(FILE *out, pu_escape_fn *fn, const char *s);

#endif
