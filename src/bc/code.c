#include "code.h"

static uint32_t pb_put(uint8_t *p, pb_operand k, uint32_t v)
{
    unsigned n = pb_operand_size[k];
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return n;
}

uint32_t pb_encode(uint8_t *buf, pb_op op, uint32_t a, uint32_t b)
{
    const pb_opinfo *info = &pb_opinfo_table[op];
    uint32_t n = 0;
    buf[n++] = (uint8_t)op;
    n += pb_put(buf + n, info->a, a);
    n += pb_put(buf + n, info->b, b);
    return n;
}

static uint32_t pb_get(const uint8_t *p, pb_operand k, int32_t *sv)
{
    switch (pb_operand_size[k]) {
    case 1:
        *sv = (int8_t)p[0];
        return p[0];
    case 2:
        *sv = (int16_t)pb_rd16(p);
        return pb_rd16(p);
    case 4: {
        uint32_t v = pb_rd32(p);
        *sv = (int32_t)v;
        return v;
    }
    default:
        *sv = 0;
        return 0;
    }
}

bool pb_decode(const uint8_t *code, size_t len, size_t pc, pb_insn *out)
{
    if (pc >= len || code[pc] >= PB_OP_COUNT)
        return false;
    const pb_opinfo *info = &pb_opinfo_table[code[pc]];
    if (info->size > len - pc)
        return false;
    out->op = (pb_op)code[pc];
    out->size = info->size;
    const uint8_t *p = code + pc + 1;
    out->a = pb_get(p, info->a, &out->ja);
    out->b = pb_get(p + pb_operand_size[info->a], info->b, &out->jb);
    return true;
}
