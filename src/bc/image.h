/* The program image: everything the runtime needs to evaluate a compiled rule
 * set, in memory. The code generator builds one, the loader reads one from a
 * .pwc file (after which the verifier proves it safe), the VM runs one. An image
 * is read-only once built and may be shared by any number of threads.
 *
 * All cross references are indices, never pointers, so that the on-disk form is
 * a straight encoding of these tables (see docs/bytecode.md). */
#ifndef PB_IMAGE_H
#define PB_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

#define PB_NO_STRING UINT32_MAX

/* ---- types ---------------------------------------------------------------- */

typedef enum pb_kind {
    PB_T_VOID = 0, /* only as "no type" */
    PB_T_INT,      /* 64-bit signed integer */
    PB_T_NUM,      /* IEEE double */
    PB_T_BOOL,
    PB_T_TEXT,     /* string id */
    PB_T_DATE,     /* day number */
    PB_T_LIST,     /* list of records of type `rec` */
    PB_T_SET,      /* set of text */
    PB_T_ELEM,     /* one element of a list of record `rec` (verifier and VM only) */
    PB_T_COUNT
} pb_kind;

typedef struct pb_type {
    uint8_t kind;     /* pb_kind */
    uint8_t optional; /* 1: the value may be absent ("none") */
    uint16_t rec;     /* record index for PB_T_LIST and PB_T_ELEM, else 0 */
} pb_type;

static inline uint32_t pb_type_pack(pb_type t)
{
    return (uint32_t)t.kind | (uint32_t)t.optional << 8 | (uint32_t)t.rec << 16;
}
static inline pb_type pb_type_unpack(uint32_t v)
{
    pb_type t = {(uint8_t)(v & 0xff), (uint8_t)(v >> 8 & 0xff), (uint16_t)(v >> 16)};
    return t;
}

/* ---- values --------------------------------------------------------------- */

/* One value on the VM stack, in a local, or in a facts record. 16 bytes. */
typedef struct pv_value {
    union {
        int64_t i;
        double n;
        int32_t d;                     /* date: day number */
        uint32_t s;                    /* text: string id (see pf_ / pb_intern) */
        bool b;
        const struct pv_value *items;  /* list/set: first element; element: its fields */
    } as;
    uint32_t count; /* list/set: number of elements */
    uint8_t none;   /* 1: absent (only for optional types) */
} pv_value;
/* The layout the VM's stack and the facts' arrays are sized by. */
_Static_assert(sizeof(pv_value) == 16, "pv_value is 16 bytes");

/* ---- tables --------------------------------------------------------------- */

typedef enum pb_default {
    PB_DEF_REQUIRED = 0, /* no default: the field must be given */
    PB_DEF_NONE,         /* absent value of an optional field */
    PB_DEF_EMPTY,        /* empty list or set */
    PB_DEF_VALUE         /* the literal in `def` */
} pb_default;

/* pb_field.bounds: which of min / max a number or date field has. */
enum { PB_BOUND_MIN = 1, PB_BOUND_MAX = 2 };

typedef struct pb_field {
    uint32_t name;  /* string id */
    pb_type type;
    uint8_t def;    /* pb_default */
    pv_value defv;  /* the default, when def == PB_DEF_VALUE (never a list) */
    uint8_t bounds; /* PB_BOUND_*: facts outside [minv, maxv] are refused */
    pv_value minv, maxv; /* integer, number or date, as the field's kind */
} pb_field;

typedef struct pb_record {
    uint32_t name;        /* string id */
    uint32_t first_field; /* index into fields */
    uint32_t nfields;
} pb_record;

typedef struct pb_func {
    uint32_t name;        /* string id of the definition or "<program>.<n>" */
    uint32_t code_off;    /* byte offset into code */
    uint32_t code_len;
    uint16_t nparams;     /* parameters are locals 0 .. nparams-1 */
    uint16_t nlocals;     /* including parameters */
    uint16_t max_stack;   /* operand stack depth this function alone needs */
    uint32_t first_param; /* index into param_types */
    pb_type result;
    uint32_t frame;       /* values this call needs, callees included */
} pb_func;

/* The open ends of an effective period. */
#define PB_OPEN_FROM INT32_MIN
#define PB_OPEN_UNTIL INT32_MAX

typedef enum pb_req_kind { PB_R_LEAF = 0, PB_R_ALL, PB_R_ANY, PB_R_ATLEAST } pb_req_kind;
typedef enum pb_req_role { PB_ROLE_REQUIRE = 0, PB_ROLE_PREFER, PB_ROLE_ADVISE } pb_req_role;

/* Requirement nodes of a program are stored in pre-order: a group is followed
 * by its members, each member by its own subtree, and `size` counts the node
 * and everything beneath it, so siblings are found by skipping `size`. */
typedef struct pb_req {
    uint8_t kind;       /* pb_req_kind */
    uint8_t role;       /* pb_req_role; members inherit their group's role */
    uint16_t depth;     /* 0 for a top-level requirement */
    uint32_t label;     /* string id */
    uint32_t cite;      /* string id or PB_NO_STRING */
    uint32_t func;      /* PB_R_LEAF: function returning boolean */
    uint32_t min;       /* groups: members that must hold (ALL: all, ANY: 1) */
    uint32_t nchildren; /* groups: direct members */
    uint32_t size;      /* nodes in this subtree, itself included */
    uint32_t file;      /* string id of the source file name */
    uint32_t line, col; /* where the requirement is written */
    int32_t from, until; /* in force on these days and those between;
                          * PB_OPEN_FROM / PB_OPEN_UNTIL when open */
} pb_req;

/* pb_prog.valid_unit of `grants "id" valid until EXPR`: valid_n is then the
 * function (one date parameter, the day of the grant; a date result, the
 * last valid day) that computes the certificate's expiry. */
#define PB_VALID_COMPUTED 3

typedef struct pb_prog {
    uint32_t id;        /* string id: the program identifier */
    uint32_t title;     /* string id or PB_NO_STRING */
    uint32_t format;    /* string id or PB_NO_STRING */
    uint32_t provider;  /* string id or PB_NO_STRING */
    double hours;       /* < 0 when not given */
    int32_t duration;   /* days from enrolment to the certificate; 0 if not given */
    uint32_t grants;    /* certificate id granted (string id) or PB_NO_STRING */
    int32_t valid_n;    /* validity of the granted certificate; 0 = no expiry */
    uint8_t valid_unit; /* pu_unit, or PB_VALID_COMPUTED */
    uint32_t first_req; /* index into reqs */
    uint32_t nreqs;     /* nodes, all levels */
    uint32_t file, line;
    int32_t from, until; /* the version's effective period (see pb_req) */
    int32_t opens, closes; /* its enrolment window, both days included (format 6);
                            * PB_OPEN_FROM / PB_OPEN_UNTIL when open or not given */
} pb_prog;

typedef struct pb_line {
    uint32_t pc;   /* first code byte this entry covers */
    uint32_t file; /* string id */
    uint32_t line;
    uint32_t col;
} pb_line;

typedef struct pb_image {
    pm_arena arena; /* owns every table below */

    uint32_t nstrings;
    const char **strings;   /* NUL-terminated */
    uint32_t *string_len;
    /* Open-addressing hash of the strings, for interning facts' text. */
    uint32_t *hash;         /* slot -> string id + 1, 0 empty */
    uint32_t hash_mask;

    uint32_t nrecords;      /* record 0 is the facts record */
    pb_record *records;
    uint32_t nfields;
    pb_field *fields;

    uint32_t nints;
    int64_t *ints;
    uint32_t nnums;
    double *nums;

    uint32_t ncode;
    uint8_t *code;
    uint32_t nfuncs;        /* a function may only call lower-numbered ones */
    pb_func *funcs;
    uint32_t nparam_types;
    pb_type *param_types;

    uint32_t nprogs;
    pb_prog *progs;
    uint32_t nreqs;
    pb_req *reqs;

    uint32_t nlines;        /* sorted by pc */
    pb_line *lines;

    uint32_t max_frame;     /* values a context reserves: max of funcs[].frame */
    uint32_t max_reqs;      /* largest nreqs of any program */
    uint32_t max_calls;     /* longest chain of nested calls, the outermost
                             * included: return points a context reserves */
} pb_image;

/* A new, empty image whose own arena holds it. NULL when out of memory. */
pb_image *pb_image_new(void);
/* Builds the string hash (after strings are final). Returns false on OOM. */
bool pb_build_hash(pb_image *img);
/* Returns the string id of s, or PB_NO_STRING if the image has no such string. */
uint32_t pb_find_string(const pb_image *img, const char *s, size_t len);
/* FNV-1a: stable, for tables whose order may show (names, the generator). */
uint64_t pb_hash_bytes(const char *s, size_t len);
/* A faster hash for tables only looked up (the image's strings, facts
 * text): its values may differ between builds and hosts. */
uint64_t pb_hash_text(const char *s, size_t len);
/* The line-table entry covering pc, or NULL. */
const pb_line *pb_line_at(const pb_image *img, uint32_t pc);
void pb_image_free(pb_image *img);

#endif
