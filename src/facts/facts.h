/* Facts: one coach's record laid out as the image's record 0 expects, built
 * from JSON (cJSON) or field by field. Text is interned against the image's
 * string table, so that equal text has equal ids and the VM compares numbers;
 * text the rules never mention gets a per-record id above the image's. */
#ifndef PF_FACTS_H
#define PF_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bc/image.h"

struct cJSON;

typedef struct pf_facts {
    const pb_image *img;
    pm_arena arena;    /* everything of the current record; reset per record */
    pv_value *root;    /* img->records[0].nfields values */
    uint8_t *given;    /* per root field: 1 once set */
    /* Text not in the image: ids img->nstrings + k. */
    const char **extra;
    uint32_t *extra_len;
    uint32_t nextra, extra_cap;
    uint32_t *extra_hash; /* slot -> k + 1 */
    uint32_t extra_mask;
    /* Limits (0 = default); pf_init zeroes them, set them after it. */
    uint32_t max_list;   /* elements in one list or set (default 100000) */
    uint32_t max_depth;  /* lists nested in lists, from JSON (default 64) */
    uint32_t max_string; /* bytes in one text (default 1 MiB) */
    /* Per record of the image: 1 when its field names are distinct, so that
     * the JSON loader may take keys in declaration order (see
     * pf_find_key). */
    uint8_t *distinct;
    /* Set when the last failed call (loading or a setter) failed for want of
     * memory, so that callers can tell it from facts that do not fit. */
    bool oom;
} pf_facts;

bool pf_init(pf_facts *f, const pb_image *img);
void pf_fini(pf_facts *f);
/* Forgets the current record: every field back to unset. Returns false on OOM. */
bool pf_reset(pf_facts *f);

/* Loads one record from a JSON object, replacing the current one, and
 * completes it (defaults). On failure returns false, leaves the record reset
 * (every field unset) and writes a message naming the field:
 *   `certificates[2].issued`: invalid date "2026-02-30" (expected a real day as
 *   YYYY-MM-DD, years 1800-2999)
 *   `certificates[2]`: missing required field `issued`
 *   `roles`: expected a set of text, got null */
bool pf_load_json(pf_facts *f, const struct cJSON *obj, char *err, size_t errlen);

/* The fast path (stream.c): loads one record straight from yajl's tokens,
 * no tree, and completes it, when it is certain pf_load_json would load the
 * record cJSON reads from the same text (after the check that only white
 * space follows the value, and pf_json_scan), leaving the very same facts.
 * Anything else (bad JSON, a wrong value, a \u escape, no memory, ...) is
 * DECLINED, with no message and the record reset: the caller then takes
 * the usual path, which says why. On LOADED, *id (when id is not NULL)
 * is the decoded text of the top level's first "id" member when that is a
 * string, with its length in *id_len, else NULL; it lives until the facts
 * are reset. */
typedef enum { PF_STREAM_LOADED, PF_STREAM_DECLINED } pf_stream_result;
pf_stream_result pf_stream_load(pf_facts *f, const char *json, size_t len, const char **id, size_t *id_len);

/* What cJSON forgets, recovered from the JSON text `text` that `root` was
 * parsed from (scan.c): every number node gets its source text in
 * valuestring, so that integers are checked as written (no fraction, no
 * exponent, no rounding beyond 2^53); strings and keys whose decoded text
 * holds U+0000 are marked, and so is a number RFC 8259 does not allow (01,
 * 1., -.5) that cJSON took, so that pf_load_json refuses them; where the
 * text is not JSON elsewhere, the root is marked PF_JSON_INVALID with the
 * reason in its valuestring. Cheap when the text has none of these: a byte
 * scan decides. False only for want of memory. */
bool pf_json_scan(struct cJSON *root, const char *text, size_t len);
/* The reason a root gets with PF_JSON_INVALID (scan.c), from yajl's message
 * `why` (yajl 2.1: "lexical error: invalid char in json text.\n"; NULL
 * or another shape is taken as it comes: the text after "error: ", up to a
 * newline, without trailing dots) and the offset where yajl stopped in
 * text[0..len), moved back onto a raw control character just before it:
 * "not valid JSON (RFC 8259) at byte 8: invalid char in json text". NULL
 * for want of memory; the caller frees it. Separate for the tests, which
 * give it the shapes other versions of yajl write. */
char *pf_scan_reason(const char *why, const char *text, size_t len, size_t stop);
/* Type bits pf_json_scan sets (above cJSON's own): a string with U+0000, a
 * member whose key has one, a node with such a one below it; a number JSON
 * does not allow (valuestring: as written), a node with one below it; a
 * root whose text is not JSON (valuestring: why). */
#define PF_JSON_NUL (1 << 12)
#define PF_JSON_NUL_KEY (1 << 13)
#define PF_JSON_NUL_BELOW (1 << 14)
#define PF_JSON_BAD_NUMBER (1 << 15)
#define PF_JSON_BAD_BELOW (1 << 16)
#define PF_JSON_INVALID (1 << 17)
/* A node past where yajl stopped: its text and key were not checked. */
#define PF_JSON_UNCHECKED (1 << 18)
/* Whether v, its key or anything inside it holds U+0000, or may (it was
 * past where the text stopped being JSON): then an id is not shown as
 * cJSON read it (after pf_json_scan). */
bool pf_json_has_nul(const struct cJSON *v);
/* Whether v, its key or anything inside it holds U+0000 or a number JSON
 * does not allow (after pf_json_scan). */
bool pf_json_refused(const struct cJSON *v);

/* Field by field. `path` names a field of the facts record ("athletes_coached")
 * or of a list element ("certificates[0].id"). */
bool pf_set_int(pf_facts *f, const char *path, int64_t v, char *err, size_t errlen);
bool pf_set_number(pf_facts *f, const char *path, double v, char *err, size_t errlen);
bool pf_set_bool(pf_facts *f, const char *path, bool v, char *err, size_t errlen);
bool pf_set_text(pf_facts *f, const char *path, const char *v, char *err, size_t errlen);
bool pf_set_date(pf_facts *f, const char *path, int32_t day, char *err, size_t errlen);
bool pf_set_none(pf_facts *f, const char *path, char *err, size_t errlen);
/* Gives the list or set at `path` no elements (a required list can be given
 * empty this way; pf_append gives it too). */
bool pf_set_empty(pf_facts *f, const char *path, char *err, size_t errlen);
/* Appends an element with every field unset (list of records) or an empty
 * text (set of text) to the list at `path`; *index receives its position. */
bool pf_append(pf_facts *f, const char *path, size_t *index, char *err, size_t errlen);
/* Fills defaults of unset fields and fails naming the first missing required
 * one. pf_load_json does this itself; field-by-field callers call it before
 * evaluating. */
bool pf_complete(pf_facts *f, char *err, size_t errlen);


/* The facts as a JSON object that pf_load_json reads back to the same
 * values (integers exactly, dates as YYYY-MM-DD, absent optional values as
 * null). The record must be complete (pf_complete succeeded: every field
 * holds a value). NULL when memory runs out. The caller deletes it. */
struct cJSON *pf_to_cjson(const pf_facts *f);

/* The text of a string id (image or record-local). */
const char *pf_string(const pf_facts *f, uint32_t id);
/* The string id of `s` for this record (the image's, else a record-local
 * one, added if new), as text read from facts gets: for tools that pass
 * text of their own to the rules (a rule test's arguments). False with a
 * message when it is too long or memory runs out. */
bool pf_text_id(pf_facts *f, const char *s, size_t len, uint32_t *id, char *err, size_t errlen);
/* A number as its shortest text that reads back the same. */
void pf_number_text(double d, char *buf, size_t len);

#endif
