/* Jump threading: a peephole pass over one function's finished code.
 *
 * `and`, `or`, `if` and the quantifiers are compiled one at a time, each
 * leaving a boolean on the stack, so a condition nested in another often
 * jumps to a constant that the next instruction at once tests again:
 *
 *     JUMP_FALSE  -> L        ; c.id = cert failed
 *     ...
 *  L: PUSH_FALSE
 *     JUMP_FALSE  -> M        ; the enclosing `and` tests it
 *
 * Since PUSH_FALSE; JUMP_FALSE M always reaches M with the stack as it was
 * before the push, the first jump may go to M directly. The pass follows
 * such chains (and plain JUMPs) from every forward jump and retargets it to
 * the end of the chain. In `any c in certificates where c.id = X and ...`
 * that takes a certificate of another id from 13 instructions to 9.
 *
 * It only moves jump targets forward, to instructions that the original
 * path reached with the same stack, so the verifier's view (forward jumps,
 * stack depth and types at merges) is unchanged; code it bypasses may become
 * unreachable, which the verifier allows and never runs. */
#include "gen_int.h"

/* Chains are short in generated code; the cap only bounds the work. */
#define PK_THREAD_STEPS 16

/* Where the jump operand of the instruction at pc is, or 0 when it has
 * none that the pass may move (LOOP jumps back and must reach its loop's head). */
static uint32_t pk_jump_operand(const pb_insn *in, uint32_t pc)
{
    switch (in->op) {
    case PB_OP_JUMP:
    case PB_OP_JUMP_FALSE:
    case PB_OP_JUMP_TRUE: return pc + 1;
    case PB_OP_ITER_NEXT:
    case PB_OP_ITER_FIND: return pc + 1 + pb_operand_size[pb_opinfo_table[in->op].a];
    default: return 0;
    }
}

/* One step along a chain: where a path that arrives at t with the stack
 * unchanged goes next without doing anything observable, or t itself. */
static uint32_t pk_thread_step(const uint8_t *code, uint32_t end, uint32_t t)
{
    pb_insn in;
    if (t >= end || !pb_decode(code, end, t, &in))
        return t;
    if (in.op == PB_OP_JUMP)
        return t + in.size + (uint32_t)in.ja;
    if (in.op != PB_OP_PUSH_TRUE && in.op != PB_OP_PUSH_FALSE)
        return t;
    uint32_t u = t + in.size;
    pb_insn test;
    if (u >= end || !pb_decode(code, end, u, &test))
        return t;
    if (test.op != PB_OP_JUMP_TRUE && test.op != PB_OP_JUMP_FALSE)
        return t;
    bool pushed = in.op == PB_OP_PUSH_TRUE;
    bool taken = pushed == (test.op == PB_OP_JUMP_TRUE);
    return taken ? u + test.size + (uint32_t)test.ja : u + test.size;
}

static void pk_retarget(uint8_t *code, uint32_t operand, uint32_t insn_end, uint32_t target)
{
    uint32_t off = target - insn_end;
    code[operand] = (uint8_t)off;
    code[operand + 1] = (uint8_t)(off >> 8);
    code[operand + 2] = (uint8_t)(off >> 16);
    code[operand + 3] = (uint8_t)(off >> 24);
}

void pk_thread_jumps(pg *g, uint32_t start)
{
    if (g->oom)
        return;
    uint8_t *code = g->code.data;
    uint32_t end = g->code.len;
    pb_insn in;
    for (uint32_t pc = start; pc < end && pb_decode(code, end, pc, &in); pc += in.size) {
        uint32_t operand = pk_jump_operand(&in, pc);
        if (!operand)
            continue;
        uint32_t insn_end = pc + in.size;
        int32_t rel = pb_opinfo_table[in.op].b == PB_K_JUMP ? in.jb : in.ja;
        uint32_t t = insn_end + (uint32_t)rel;
        uint32_t first = t;
        for (int step = 0; step < PK_THREAD_STEPS; step++) {
            uint32_t next = pk_thread_step(code, end, t);
            if (next == t || next <= pc) /* not a forward jump any more: keep the last */
                break;
            t = next;
        }
        if (t != first)
            pk_retarget(code, operand, insn_end, t);
    }
}
