/* The instruction set, defined once.
 *
 * Every instruction is one opcode byte followed by at most two operands whose
 * kinds (and so their encoded widths) are given here. The same table drives the
 * code generator, the verifier's operand and stack checks, the disassembler and
 * the VM dispatch table, so none of them can disagree with the others.
 *
 * X(NAME, OPERAND_A, OPERAND_B, POPS, PUSHES, description)
 *
 * POPS and PUSHES are type strings, one letter per stack value, rightmost on
 * top: i integer, n number, b boolean, s text, d date, l list (of records or of
 * text), e element of a record list, * any single value, @ decided by the
 * operand (the verifier works it out: a field's, local's or function's type),
 * and "" for nothing. All values may be "none" when their type is optional;
 * only CMP_*, IS_NONE and OTHERWISE look at that. */
#ifndef PB_OPCODES_H
#define PB_OPCODES_H

#define PB_OPCODES(X)                                                                     \
    X(NOP,         NONE,  NONE,  "",   "",  "do nothing")                                 \
    X(PUSH_TRUE,   NONE,  NONE,  "",   "b", "push true")                                  \
    X(PUSH_FALSE,  NONE,  NONE,  "",   "b", "push false")                                 \
    X(PUSH_NONE,   TYPE,  NONE,  "",   "@", "push an absent value of the given type")     \
    X(PUSH_INT,    KINT,  NONE,  "",   "i", "push integer constant A")                    \
    X(PUSH_NUM,    KNUM,  NONE,  "",   "n", "push number constant A")                     \
    X(PUSH_STR,    STR,   NONE,  "",   "s", "push text A")                                \
    X(PUSH_DATE,   DATE,  NONE,  "",   "d", "push date A")                                \
    X(PUSH_TODAY,  NONE,  NONE,  "",   "d", "push the evaluation date")                   \
    X(LOAD_FACT,   SLOT,  NONE,  "",   "@", "push field A of the facts record")           \
    X(LOAD_FIELD,  REC,   FIELD, "e",  "@", "pop an element of record A, push its field B") \
    X(LOAD_LOCAL,  LOCAL, NONE,  "",   "@", "push local A")                               \
    X(STORE_LOCAL, LOCAL, NONE,  "*",  "",  "pop into local A")                           \
    X(DUP,         NONE,  NONE,  "*",  "**", "duplicate the top value")                   \
    X(POP,         NONE,  NONE,  "*",  "",  "drop the top value")                         \
    X(NOT,         NONE,  NONE,  "b",  "b", "boolean not")                                \
    X(NEG_INT,     NONE,  NONE,  "i",  "i", "negate an integer (error on overflow)")      \
    X(ADD_INT,     NONE,  NONE,  "ii", "i", "add integers (error on overflow)")           \
    X(SUB_INT,     NONE,  NONE,  "ii", "i", "subtract integers (error on overflow)")      \
    X(MUL_INT,     NONE,  NONE,  "ii", "i", "multiply integers (error on overflow)")      \
    X(MIN_INT,     NONE,  NONE,  "ii", "i", "smaller of two integers")                    \
    X(MAX_INT,     NONE,  NONE,  "ii", "i", "larger of two integers")                     \
    X(NEG_NUM,     NONE,  NONE,  "n",  "n", "negate a number")                            \
    X(ADD_NUM,     NONE,  NONE,  "nn", "n", "add numbers")                                \
    X(SUB_NUM,     NONE,  NONE,  "nn", "n", "subtract numbers")                           \
    X(MUL_NUM,     NONE,  NONE,  "nn", "n", "multiply numbers")                           \
    X(MIN_NUM,     NONE,  NONE,  "nn", "n", "smaller of two numbers")                     \
    X(MAX_NUM,     NONE,  NONE,  "nn", "n", "larger of two numbers")                      \
    X(INT_TO_NUM,  NONE,  NONE,  "i",  "n", "convert an integer to a number")             \
    X(CMP_INT,     CMP,   NONE,  "ii", "b", "compare integers with condition A")          \
    X(CMP_NUM,     CMP,   NONE,  "nn", "b", "compare numbers with condition A")           \
    X(CMP_DATE,    CMP,   NONE,  "dd", "b", "compare dates with condition A")             \
    X(CMP_TEXT,    CMP,   NONE,  "ss", "b", "compare texts for (in)equality")             \
    X(CMP_BOOL,    CMP,   NONE,  "bb", "b", "compare booleans for (in)equality")          \
    X(IS_NONE,     NONE,  NONE,  "*",  "b", "true when the value is absent")              \
    X(OTHERWISE,   NONE,  NONE,  "**", "@", "the first value unless absent, else the second") \
    X(DATE_ADD,    UNIT,  NONE,  "di", "d", "shift a date by an integer count of unit A") \
    X(BETWEEN,     UNIT,  NONE,  "dd", "i", "full units of A from the first date to the second") \
    X(HAS,         NONE,  NONE,  "ls", "b", "true when the set of text holds the text")   \
    X(JUMP,        JUMP,  NONE,  "",   "",  "jump forward by A")                          \
    X(JUMP_FALSE,  JUMP,  NONE,  "b",  "",  "pop; jump forward by A when false")          \
    X(JUMP_TRUE,   JUMP,  NONE,  "b",  "",  "pop; jump forward by A when true")           \
    X(ITER_INIT,   LOCAL, TYPE,  "l",  "",  "pop a list of type B into iterator locals A, A+1") \
    X(ITER_NEXT,   LOCAL, JUMP,  "",   "@", "push the next element of iterator A, or jump forward by B when done") \
    X(LOOP,        JUMP,  NONE,  "",   "",  "jump back by A to an ITER_NEXT")             \
    X(CALL,        FUNC,  NONE,  "@",  "@", "call function A with its parameters on the stack") \
    X(RET,         NONE,  NONE,  "@",  "",  "return the top value to the caller")        \
    X(ITER_KEY,    LOCAL, FIELD, "s",  "",  "pop the text that ITER_FIND A looks for in field B of its elements") \
    X(ITER_FIND,   LOCAL, JUMP,  "",   "@", "like ITER_NEXT, but skip the elements whose field differs from the ITER_KEY") \
    X(DATE_PART,   UNIT,  NONE,  "d",  "i", "the year, month or day (unit A: 2, 1, 0) of a date") \
    X(DATE_MAKE,   NONE,  NONE,  "iii", "d", "the date of year, month and day (error when there is no such day)") \
    X(DATE_NEXT,   NONE,  NONE,  "dii", "d", "the first day after the date that has the month and day (error when none)")

/* Operand kinds: X(NAME, encoded bytes) */
#define PB_OPERANDS(X) \
    X(NONE, 0)  /* no operand */                                   \
    X(TYPE, 4)  /* a pb_type, packed (see pb_type_pack) */          \
    X(KINT, 4)  /* index into the integer constants */             \
    X(KNUM, 4)  /* index into the number constants */              \
    X(STR, 4)   /* string id */                                    \
    X(DATE, 4)  /* day number, signed */                           \
    X(SLOT, 2)  /* field of the facts record */                    \
    X(REC, 2)   /* record index */                                 \
    X(FIELD, 2) /* field index within the record of operand A */   \
    X(LOCAL, 2) /* local variable index */                         \
    X(JUMP, 4)  /* byte offset from the end of the instruction */  \
    X(FUNC, 2)  /* function index */                               \
    X(UNIT, 1)  /* pu_unit: 0 days, 1 months, 2 years */           \
    X(CMP, 1)   /* pb_cmp */

typedef enum pb_op {
#define PB_X(name, a, b, pops, pushes, desc) PB_OP_##name,
    PB_OPCODES(PB_X)
#undef PB_X
    PB_OP_COUNT
} pb_op;

/* An opcode is one byte of code. */
_Static_assert(PB_OP_COUNT <= 256, "opcodes fit in a byte");

typedef enum pb_operand {
#define PB_X(name, bytes) PB_K_##name,
    PB_OPERANDS(PB_X)
#undef PB_X
    PB_K_COUNT
} pb_operand;

/* Encoded width of each operand kind, as constants the tables can use. */
enum pb_operand_width {
#define PB_X(name, bytes) PB_W_##name = bytes,
    PB_OPERANDS(PB_X)
#undef PB_X
};

typedef enum pb_cmp { PB_EQ, PB_NE, PB_LT, PB_LE, PB_GT, PB_GE, PB_CMP_COUNT } pb_cmp;

typedef struct pb_opinfo {
    const char *name;
    pb_operand a, b;
    const char *pops, *pushes;
    const char *desc;
    unsigned size; /* encoded bytes, opcode included */
} pb_opinfo;

/* Indexed by pb_op; defined in opcodes.c from the table above. */
extern const pb_opinfo pb_opinfo_table[PB_OP_COUNT];
extern const unsigned pb_operand_size[PB_K_COUNT];
extern const char *const pb_cmp_name[PB_CMP_COUNT];

#endif
