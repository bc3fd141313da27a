/* Shared between the code generator's files; not part of its interface. */
#ifndef PK_GEN_INT_H
#define PK_GEN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../bc/code.h"
#include "gen.h"

/* A growable array of fixed-size items (malloc'd; copied into the image at
 * the end). */
typedef struct pk_vec {
    void *data;
    uint32_t len, cap;
    uint32_t item;
} pk_vec;

/* Hash from a key (text or 64-bit value) to an index. */
typedef struct pk_map {
    uint64_t *keys;     /* for text: the string id in vals only */
    uint32_t *vals;     /* index + 1; 0 empty */
    uint32_t cap;
} pk_map;

typedef struct pk_fn {
    uint32_t start;     /* code offset */
    int depth, max;     /* operand stack depth now, and its peak */
    uint32_t nlocals;
    uint32_t callee_frame;
} pk_fn;

typedef struct pg {
    const pc_program *p;
    ps_sources *src;
    bool oom;
    bool too_big;
    pk_vec strings;     /* const char * (borrowed from the AST or sources) */
    pk_vec string_lens; /* uint32_t */
    pk_map string_map;
    pk_vec ints;        /* int64_t */
    pk_map int_map;
    pk_vec nums;        /* double */
    pk_map num_map;
    pk_vec code;        /* uint8_t */
    pk_vec funcs;       /* pb_func */
    pk_vec params;      /* pb_type */
    pk_vec progs;       /* pb_prog */
    pk_vec reqs;        /* pb_req */
    pk_vec lines;       /* pb_line */
    pk_fn fn;
    pm_arena names;     /* generated names (leaf functions) until copied */
} pg;

void *pk_push(pg *g, pk_vec *v);
uint32_t pk_string(pg *g, const char *s, uint32_t len);
uint32_t pk_cstring(pg *g, const char *s);
/* The string id of a source file's name as the bytecode records it. */
uint32_t pk_file(pg *g, uint32_t file);
uint32_t pk_int(pg *g, int64_t v);
uint32_t pk_num(pg *g, double v);

/* Emits one instruction and tracks the stack depth from the opcode table. */
uint32_t pk_emit(pg *g, pb_op op, uint32_t a, uint32_t b);
/* Emits a forward jump; returns the offset of its operand for pk_patch. */
uint32_t pk_jump(pg *g, pb_op op, uint32_t a);
/* Points the jump operand at `at` to the current end of code. */
void pk_patch(pg *g, uint32_t at);
/* Retargets the jumps of the function that starts at `start` (all of its
 * code is emitted) past chains that only pass a constant on (thread.c). */
void pk_thread_jumps(pg *g, uint32_t start);
/* Records that code from here on comes from `span`. */
void pk_mark(pg *g, const ps_span *span);

/* Emits code that leaves the value of e on the stack, converted to number
 * when `want_num` and e is an integer. */
void pk_expr(pg *g, const pa_expr *e, bool want_num);
/* Locals an expression's quantifiers and temporaries need, at least `floor`. */
uint32_t pk_locals_needed(const pa_expr *e, uint32_t floor);

#endif
