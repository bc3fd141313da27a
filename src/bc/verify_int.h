/* Shared between the verifier's files (verify.c: tables and code;
 * verify_progs.c: programs, requirement trees, line table). Not part of
 * the bytecode layer's interface. */
#ifndef PB_VERIFY_INT_H
#define PB_VERIFY_INT_H

#include "bytecode.h"

#include <stdarg.h>
#include <stdio.h>

#include "../util/arena.h"
#include "code.h"

/* ---- abstract values ---------------------------------------------------------- */

/* The verifier's view of a value: a pb_kind and, for lists and elements, the
 * record. A local may also be unset (kind PB_T_VOID) or an iterator's position
 * (VT_ITER, `sub` the kind of list it walks), which only ITER_INIT creates, so
 * the VM can keep the walk's stride there without bytecode forging it; or
 * an iterator's key (VT_KEY, `rec` the record whose elements it is compared
 * with), which only ITER_KEY creates, so the field index the VM keeps with it
 * is always one that the verifier checked. */
typedef struct vt {
    uint8_t kind;
    uint8_t sub;
    uint16_t rec;
} vt;

#define VT_UNSET PB_T_VOID
#define VT_ITER PB_T_COUNT
#define VT_KEY (PB_T_COUNT + 1)

static inline vt vt_make(unsigned kind, unsigned rec)
{
    vt t = {(uint8_t)kind, 0, (uint16_t)(kind == PB_T_LIST || kind == PB_T_ELEM ? rec : 0)};
    return t;
}

static inline vt vt_of(pb_type t) { return vt_make(t.kind, t.rec); }

static inline bool vt_eq(vt a, vt b) { return a.kind == b.kind && a.sub == b.sub && a.rec == b.rec; }

/* Locals first, then the operand stack. */
typedef struct vstate {
    uint32_t depth;
    vt v[];
} vstate;

/* ---- context ------------------------------------------------------------------- */

/* Bounds the verifier's own memory on hostile code (states kept at jump
 * targets); real functions need a few kilobytes. */
#define PB_VERIFY_MEMORY ((size_t)256 << 20)

enum { AT_BOUNDARY = 1, AT_TARGET = 2 };

typedef struct vc {
    pb_image *img;
    char *err;
    size_t errlen;
    int32_t dmin, dmax;  /* dates a constant may hold */

    /* Per function, filled in index order (callees come first). */
    uint32_t *need;  /* values its frame needs */
    uint32_t *calls; /* longest call chain from it, itself included */

    /* The function being verified. */
    uint32_t fi;
    const pb_func *f;
    uint32_t start, end; /* code range */
    uint32_t nl, ms;     /* locals, max_stack */
    uint8_t *flags;      /* per code byte of the function: AT_* */
    vstate **at;         /* per code byte: state on entry, for targets and ITER_NEXTs */
    size_t scratch_len;  /* bytes allocated for flags and at */
    pm_arena states;
    vstate *cur;         /* state before the current instruction */
    bool live;           /* cur is reachable */
    uint32_t pc;         /* offset of the current instruction */
    pb_op op;
    uint32_t callee_need, callee_calls;
} vc;

/* Writes the message (printf-style) into the caller's buffer; returns false. */
bool pbv_fail(vc *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A string of the image for messages, "?" when out of range. */
const char *pbv_name(const pb_image *img, uint32_t id);
/* Checks a string id; `opt` allows PB_NO_STRING. `where` completes the message. */
bool pbv_str(vc *c, uint32_t id, bool opt, const char *where, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* A day a date constant or period may hold (years PU_YEAR_MIN..PU_YEAR_MAX). */
bool pbv_date(vc *c, int32_t d);

/* Programs and their requirement trees (after the functions are verified). */
bool pbv_programs(vc *c);
/* The line table: sorted, in range. */
bool pbv_lines(vc *c);

#endif
