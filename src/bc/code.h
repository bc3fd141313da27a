/* Encoding and decoding single instructions, from the opcode table. All
 * multi-byte operands are little-endian. */
#ifndef PB_CODE_H
#define PB_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opcodes.h"

typedef struct pb_insn {
    pb_op op;
    uint32_t a, b;    /* raw operands (zero when absent) */
    int32_t ja, jb;   /* the operands read as signed (jumps, dates) */
    uint32_t size;    /* encoded bytes */
} pb_insn;

/* Writes the instruction into buf (at least PB_MAX_INSN bytes) and returns its
 * size. */
#define PB_MAX_INSN 16u
uint32_t pb_encode(uint8_t *buf, pb_op op, uint32_t a, uint32_t b);
/* Decodes the instruction at code[pc]. Returns false when the opcode is
 * unknown or the instruction runs past len. */
bool pb_decode(const uint8_t *code, size_t len, size_t pc, pb_insn *out);

static inline uint32_t pb_rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static inline uint32_t pb_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
