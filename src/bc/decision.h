/* Requirements a person decides, as the generator compiles them: the leaf
 * function (true when a yes is recorded) is followed by a function of no
 * parameters giving an integer, named "decided by WHO", that says what was
 * recorded. No new field or instruction: a rule set without decisions
 * compiles to exactly the bytes it did. */
#ifndef PB_DECISION_H
#define PB_DECISION_H

#include <stdint.h>

#include "image.h"

#define PB_DECISION_PREFIX "decided by "

/* What the facts record for a decided requirement. */
typedef enum pb_decided {
    PB_DECIDED_NOTHING = 0, /* no decision recorded: it awaits one */
    PB_DECIDED_YES = 1,
    PB_DECIDED_NO = 2
} pb_decided;

#define PB_NO_DECISION UINT32_MAX

/* For requirement node `req` of the image: the index of its decision
 * function, with *who set to the decider's name (within the image's
 * strings), or PB_NO_DECISION when the node is not decided by a person. */
uint32_t pb_decision(const pb_image *img, uint32_t req, const char **who);

#endif
