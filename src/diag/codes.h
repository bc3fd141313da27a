/* The compiler's diagnostic codes, defined once (as src/bc/opcodes.h defines
 * the instruction set).
 *
 * X(CODE, SEVERITY, summary)
 *
 * CODE is the stable id a diagnostic carries ("E0401" in text, JSON and
 * SARIF); SEVERITY is ERROR, WARNING or NOTE; the summary is one line, and
 * it is the heading of the code's section in docs/errors.md (which
 * `pathway check --explain CODE` prints). The table makes the enum `pd_code`
 * (PD_E0401, ...), and pd_report takes that enum, so a code that is not in
 * the table does not compile. A code kept for later, reported by nothing, is
 * a row whose summary starts with "reserved: " and says why; one the
 * compiler reports but no rule file can reach starts with "internal: ". The
 * errors.catalogue test checks that every code has its section and every
 * other code is reported, and that each section's failing example reports
 * its code. Codes are never reused: a retired one stays, reserved.
 *
 * The hundreds say the stage: E00xx files and includes, E01xx the scanner,
 * E02xx the grammar, E03xx declarations (types, fields, definitions,
 * programs, examples and tests, known lists and bounds), E04xx expressions.
 * Adding a diagnostic: docs/architecture.md, "Adding a compiler diagnostic". */
#ifndef PD_CODES_H
#define PD_CODES_H

#define PD_CODES(X)                                                                                      \
    /* files and includes */                                                                             \
    X(E0001, ERROR, "A rule file or an included file cannot be read")                                   \
    X(E0002, ERROR, "A rule file is larger than the source-bytes limit")                                \
    X(E0003, ERROR, "Files include each other in a cycle")                                              \
    X(E0004, ERROR, "More files than the includes limit")                                               \
    X(E0005, ERROR, "An included file is not rule source")                                              \
    X(E0006, ERROR, "An include refused by the include root or the include resolver")                  \
    /* the scanner */                                                                                    \
    X(E0101, ERROR, "A character that is not part of the language")                                     \
    X(E0102, ERROR, "Text in quotes that does not end on its line")                                     \
    X(E0103, ERROR, "An unknown escape in text")                                                        \
    X(E0104, ERROR, "An integer too large to hold")                                                     \
    X(E0105, ERROR, "A date that does not exist")                                                       \
    X(E0106, ERROR, "A number too large to hold")                                                       \
    X(E0107, ERROR, "Text that holds a NUL byte")                                                       \
    /* the grammar */                                                                                    \
    X(E0201, ERROR, "A syntax error: a token the grammar does not allow there")                         \
    X(E0202, ERROR, "A block whose closing brace is missing")                                           \
    X(E0203, ERROR, "A requirement without a label")                                                    \
    X(E0204, ERROR, "Comparisons chained without `and`")                                                \
    X(E0205, ERROR, "Brackets or an expression nested deeper than the nesting limit")                   \
    X(E0206, ERROR, "Constructs nested deeper than the parser can hold")                                \
    X(E0207, ERROR, "A clause of a test given twice")                                                   \
    X(E0208, ERROR, "An expected outcome of a test that is not one of the outcomes")                    \
    X(E0209, ERROR, "A citation on a program rather than on its requirements")                          \
    X(E0210, ERROR, "A reserved word of the language where a name is written")                          \
    /* types, fields and records */                                                                      \
    X(E0301, ERROR, "A list of a record that is not declared")                                          \
    X(E0302, ERROR, "A set of something other than text")                                              \
    X(E0303, ERROR, "A record used as the type of a field")                                             \
    X(E0304, ERROR, "An unknown type")                                                                  \
    X(E0305, ERROR, "A default that is not a literal value")                                            \
    X(E0306, ERROR, "A default that does not fit its field's type")                                     \
    X(E0307, ERROR, "A field declared twice in one record")                                             \
    X(E0308, ERROR, "A second facts declaration")                                                       \
    X(E0309, ERROR, "No facts declaration")                                                             \
    X(E0310, ERROR, "A record declared twice")                                                          \
    X(E0311, ERROR, "A definition with the name of a facts field")                                      \
    X(E0312, ERROR, "A definition with the name of a built-in function")                                \
    X(E0313, ERROR, "A name defined twice")                                                             \
    X(E0314, ERROR, "A parameter named twice")                                                          \
    X(E0315, ERROR, "A definition that depends on itself")                                              \
    X(E0316, ERROR, "A definition whose value is not of its declared type")                             \
    X(E0317, ERROR, "A definition whose value is a list or a set")                                      \
    /* versions that amend the previous version */                                                      \
    X(E0318, ERROR, "A `drop` or `replace` in a version that amends nothing")                           \
    X(E0319, ERROR, "A requirement dropped or replaced twice in one version")                           \
    /* program attributes and requirements */                                                           \
    X(E0320, ERROR, "A program attribute that takes text given something else")                         \
    X(E0321, ERROR, "An empty program attribute")                                                       \
    X(E0322, ERROR, "A validity period that is not a positive duration")                                \
    X(E0323, ERROR, "Hours that are not a number that is not negative")                                 \
    X(E0324, ERROR, "A duration that is not a number of days")                                          \
    X(E0325, ERROR, "An unknown program attribute")                                                     \
    X(E0326, ERROR, "A new requirement with a label the amended version has")                           \
    X(E0327, ERROR, "Words in a program that are not part of an amendment")                             \
    X(E0330, ERROR, "An empty requirement label")                                                       \
    X(E0331, ERROR, "A requirement that is not a condition")                                            \
    X(E0332, ERROR, "A requirement group without members")                                              \
    X(E0333, ERROR, "`at least N of` with N out of range")                                              \
    X(E0334, ERROR, "Requirement groups nested too deeply")                                             \
    /* extending a declaration of another file */                                                        \
    X(E0335, ERROR, "An extension of a record or known list that does not exist")                       \
    X(E0336, ERROR, "An extension that adds a field the record already has")                            \
    X(E0337, ERROR, "An extension that adds a value the known list already has")                        \
    X(E0338, ERROR, "A field without a default added to a record of another file")                      \
    X(E0339, ERROR, "An extension in the file that declares what it extends")                           \
    /* programs and their versions */                                                                    \
    X(E0340, ERROR, "A program declared twice")                                                         \
    X(E0341, ERROR, "A program attribute given twice")                                                  \
    X(E0342, ERROR, "A program title given twice")                                                      \
    X(E0343, ERROR, "Versions of a program in force at the same time")                                  \
    X(E0344, ERROR, "A period that ends before it begins")                                              \
    X(E0345, ERROR, "A requirement never in force while its program is")                                \
    /* extending a declaration of another file (continued) */                                            \
    X(E0346, ERROR, "An extension that adds nothing")                                                   \
    /* examples and tests */                                                                             \
    X(E0350, ERROR, "An example declared twice")                                                        \
    X(E0351, ERROR, "An unknown example")                                                               \
    X(E0352, ERROR, "An example built on itself")                                                       \
    X(E0353, ERROR, "A value in facts that does not fit its field")                                     \
    X(E0354, ERROR, "A field in facts that the record does not have")                                   \
    X(E0355, ERROR, "Facts that lack a field without a default")                                        \
    X(E0356, ERROR, "A field given twice in facts")                                                     \
    X(E0357, ERROR, "An integer in facts too large for JSON")                                           \
    X(E0358, ERROR, "A test that expects an enrolment status of a program without a window")            \
    X(E0360, ERROR, "A test without a title, or with the title of another")                             \
    X(E0361, ERROR, "A test without `as of`")                                                           \
    X(E0362, ERROR, "A test without `given`")                                                           \
    X(E0363, ERROR, "A test that expects nothing")                                                      \
    X(E0364, ERROR, "A test that names an unknown program")                                             \
    X(E0365, ERROR, "A test that names a requirement the program does not have")                        \
    X(E0366, ERROR, "A requirement listed twice in one expectation")                                    \
    /* known lists and bounds */                                                                         \
    X(E0370, ERROR, "A known list that is not a list of texts in brackets")                             \
    X(E0371, ERROR, "A known value that is not text")                                                   \
    X(E0372, ERROR, "A known value listed twice")                                                       \
    X(E0373, ERROR, "A known list declared twice")                                                      \
    X(E0374, ERROR, "A field in a known list that is not text")                                         \
    X(E0375, ERROR, "An unknown known list")                                                            \
    X(E0376, ERROR, "Bounds on a field that is not an integer, number or date")                         \
    X(E0377, ERROR, "A bound that is not a literal of the field's type")                                \
    X(E0378, ERROR, "Bounds that no value meets")                                                       \
    X(E0379, ERROR, "A default outside its field's bounds")                                             \
    X(E0380, ERROR, "A test that expects the value of an unknown definition")                           \
    X(E0381, ERROR, "A value expectation with the wrong number of arguments")                           \
    X(E0382, ERROR, "A value in a value expectation that does not fit its type")                        \
    X(E0383, ERROR, "A value expectation of a type a test cannot write")                                \
    X(E0384, ERROR, "A text in test data that is not a known value")                                    \
    X(E0385, ERROR, "A text marked `not known` that no list holds or that its list has")                \
    X(E0386, ERROR, "A decision in test data under a key no requirement is decided by")                 \
    X(E0387, ERROR, "`awaiting decision` with a label no person decides")                               \
    /* named sources */                                                                                \
    X(E0390, ERROR, "A source declared twice")                                                          \
    X(E0391, ERROR, "A citation of an unknown source")                                                  \
    X(E0392, ERROR, "An empty source")                                                                  \
    /* named requirements */                                                                            \
    X(E0393, ERROR, "A use of unknown requirements")                                                    \
    X(E0394, ERROR, "Requirements declared twice under one name")                                       \
    X(E0395, ERROR, "Requirements that use themselves")                                                 \
    X(E0396, ERROR, "Requirements declared with none in them")                                          \
    /* versions that amend the previous version */                                                      \
    X(E0397, ERROR, "A version that amends when no version comes before it")                              \
    X(E0398, ERROR, "A `drop` or `replace` of a label the previous version lacks")                        \
    X(E0399, ERROR, "An amendment that changes nothing")                                                  \
    /* expressions */                                                                                    \
    X(E0401, ERROR, "A value that may be none used where a value is needed")                            \
    X(E0402, ERROR, "An unknown name")                                                                  \
    X(E0403, ERROR, "A definition that takes arguments used without them")                              \
    X(E0404, ERROR, "A field read from something that is not a record")                                \
    X(E0405, ERROR, "A field the record does not have")                                                 \
    X(E0410, ERROR, "`min` or `max` without two arguments")                                             \
    X(E0411, ERROR, "`min` or `max` of something other than numbers")                                  \
    X(E0412, ERROR, "A value called as a function")                                                     \
    X(E0413, ERROR, "A call with the wrong number of arguments")                                        \
    X(E0414, ERROR, "An argument of the wrong type")                                                    \
    X(E0420, ERROR, "`and` or `or` joining something that is not a condition")                          \
    X(E0421, ERROR, "A comparison of values of different types")                                        \
    X(E0422, ERROR, "An order comparison of text or of conditions")                                     \
    X(E0423, ERROR, "Arithmetic on values it does not apply to")                                        \
    X(E0424, ERROR, "A list item of another type than the value looked for")                            \
    X(E0425, ERROR, "`in` an empty list")                                                               \
    X(E0426, ERROR, "`in` something that is not a set of text or a list")                              \
    X(E0427, ERROR, "Something other than text looked for in a set of text")                            \
    X(E0428, ERROR, "`otherwise` with a replacement of another type")                                   \
    X(E0429, ERROR, "`otherwise` on a value that is never none")                                        \
    X(E0430, ERROR, "`not` of something that is not a condition")                                       \
    X(E0431, ERROR, "`-` of something that is not a number")                                            \
    X(E0432, ERROR, "`is none` of a value that is never none")                                          \
    X(E0433, ERROR, "`if` whose test is not a condition")                                               \
    X(E0434, ERROR, "`if` whose branches have different types")                                         \
    X(E0435, ERROR, "Counting time from something that is not a date")                                  \
    X(E0436, ERROR, "A quantifier over something that is not a list or set")                            \
    X(E0437, ERROR, "`where` that is not a condition")                                                  \
    X(E0438, ERROR, "`sum` of something that is not a number")                                          \
    X(E0439, ERROR, "internal: an expression deeper than the nesting limit, found by the checker")      \
    X(E0440, ERROR, "`none` where a value is needed")                                                   \
    X(E0441, ERROR, "A list in brackets anywhere but after `in`")                                       \
    X(E0442, ERROR, "`none` compared with `none`")                                                      \
    X(E0443, ERROR, "`if` whose branches are both `none`")                                              \
    X(E0444, ERROR, "A quantifier's `where` that takes in the operator after it")                       \
    X(E0445, ERROR, "A chain of definitions longer than the nesting limit")                             \
    X(E0450, ERROR, "A duration whose count is not a whole number")                                     \
    X(E0451, ERROR, "A day that the month never has")                                                   \
    X(E0452, ERROR, "`year of`, `month of`, `day of` or `following` without a date")                    \
    X(E0453, ERROR, "A date built from parts that are not whole numbers")                               \
    X(E0454, ERROR, "A computed validity (`valid until`) that is not a date")                           \
    X(E0460, ERROR, "A count of time whose last date takes in the arithmetic after it")                 \
    /* enrolment windows */                                                                              \
    X(E0470, ERROR, "An enrolment window that closes before it opens")                                  \
    X(E0471, ERROR, "An enrolment window outside its program's effective period")                       \
    X(E0472, ERROR, "`enrolment` not followed by `open`")                                               \
    X(E0473, ERROR, "A window's end moved outside the years of a date") \
    /* requirements a person decides */                                                               \
    X(E0476, ERROR, "A decided requirement in a rule set with no `decisions` field")                    \
    X(E0477, ERROR, "A `decisions` field that cannot record decisions")                                 \
    X(E0478, ERROR, "One decision made by two different deciders")                                      \
    X(E0479, ERROR, "A decision with no one to decide it, or an empty key")                             \
    /* where a program's certificate lands, and what a coach arranges */                              \
    X(E0480, ERROR, "`granted here` on a field that is not a list of the facts record")                 \
    X(E0481, ERROR, "`granted here` on more than one list")                                             \
    X(E0482, ERROR, "`granted here with` naming something other than `id`, `issued` or `expires`")      \
    X(E0483, ERROR, "`granted here` without a field for the id or the issue day")                       \
    X(E0484, ERROR, "A field `granted here` cannot hold: the id not text, the issue day not a date")    \
    X(E0485, ERROR, "An `arrange` clause that says nothing, or on what a plan never arranges")

typedef enum pd_code {
#define PD_CODE_ENUM(code, sev, summary) PD_##code,
    PD_CODES(PD_CODE_ENUM)
#undef PD_CODE_ENUM
    PD_CODE_COUNT
} pd_code;

#endif
