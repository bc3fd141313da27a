/* What the facts files share (facts.c: the record, its text, lists,
 * defaults and completion; errors.c: messages and the paths they name;
 * json.c: loading a cJSON record; set.c: the field-by-field setters). Not
 * for use outside src/facts. */
#ifndef PF_FACTS_INT_H
#define PF_FACTS_INT_H

#include "facts.h"
#include "../util/distance.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/assert.h"
#include "../util/date.h"
#include "../util/escape.h"

#define PF_DEFAULT_MAX_LIST 100000u
#define PF_DEFAULT_MAX_DEPTH 64u
#define PF_DEFAULT_MAX_STRING (1024u * 1024u)

/* 2^53: beyond it a double no longer holds every integer. */
#define PF_INT_LIMIT 9007199254740992.0

typedef struct pf_list {
    uint8_t *given; /* NULL: every element field is set */
    uint32_t cap;   /* elements the block holds */
} pf_list;

#define PF_HDR_SIZE ((sizeof(pf_list) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))

static inline uint32_t pf_lim(uint32_t v, uint32_t def)
{
    return v ? v : def;
}

/* A bounded writer: output past the end is dropped, the buffer stays
 * NUL-terminated. */
typedef struct pf_out {
    char *buf;
    size_t len, pos;
} pf_out;

/* Where in the record a message is about: a chain from the value up to the
 * root (a field name, or an element index). */
typedef struct pf_frame {
    const struct pf_frame *up;
    const char *name; /* field name, or NULL for an element index */
    size_t index;
} pf_frame;

/* errors.c: writing messages (each definition says more). */
void pf_expected(const pf_facts *f, pb_type t, char *buf, size_t len);
bool pf_fail(char *err, size_t errlen, const pf_frame *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
const char *pf_field_name(const pf_facts *f, const pb_field *fld);
void pf_fmt_number(double d, char *buf, size_t len);
const char *pf_json_what(const cJSON *v, char *buf, size_t len);
bool pf_oom(pf_facts *f, char *err, size_t errlen, const pf_frame *at);
void pf_put(pf_out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
bool pf_quote(const char *s, char *buf, size_t len);
const char *pf_rec_name(const pf_facts *f, uint32_t rec);
const char *pf_type_noun(pb_type t);
/* facts.c: the record's text, lists and defaults. */
bool pf_apply_default(const pb_field *fld, pv_value *v);
bool pf_intern(pf_facts *f, const char *s, size_t len, uint32_t *id, const pf_frame *at, char *err,
               size_t errlen);
pv_value *pf_list_alloc(pf_facts *f, uint32_t cap, uint32_t width, bool with_given);
pf_list *pf_list_of(const pv_value *v);
/* Whether record `rec` and its fields are inside the image's tables. The
 * verifier rejects an image where one is not (v_records, v_type), so every
 * use is a PU_NEVER / PU_ALWAYS mark (docs/robustness.md); inline, so that
 * a coverage build, where marks are compiled out, counts no dead body. */
static inline bool pf_record_ok(const pf_facts *f, uint32_t rec)
{
    const pb_image *img = f->img;
    return rec < img->nrecords && img->records[rec].first_field <= img->nfields &&
           img->records[rec].nfields <= img->nfields - img->records[rec].first_field;
}
/* json.c: a value against its field's bounds (the setters check them too). */
bool pf_in_bounds(const pb_field *fld, const pv_value *v, char *msg, size_t len);

#endif
