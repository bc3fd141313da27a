#include "opcodes.h"

const unsigned pb_operand_size[PB_K_COUNT] = {
#define PB_X(name, bytes) bytes,
    PB_OPERANDS(PB_X)
#undef PB_X
};

const pb_opinfo pb_opinfo_table[PB_OP_COUNT] = {
#define PB_X(name, a, b, pops, pushes, desc) \
    {#name, PB_K_##a, PB_K_##b, pops, pushes, desc, 1u + PB_W_##a + PB_W_##b},
    PB_OPCODES(PB_X)
#undef PB_X
};

const char *const pb_cmp_name[PB_CMP_COUNT] = {"eq", "ne", "lt", "le", "gt", "ge"};
