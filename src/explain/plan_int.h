/* Pathway plans, in pieces: what the rules let a plan change (plan_scope.c)
 * and the search (plan.c). */
#ifndef PX_PLAN_INT_H
#define PX_PLAN_INT_H

#include "explain.h"

#define PX_MAX_CANDIDATES 64 /* programs a plan may take, as a bit mask */

/* What the search may do and what it may assume, fixed per rule set,
 * target and coach. */
typedef struct px_scope {
    const pb_image *img;
    int32_t cert_slot;          /* the facts list grants land in (px_landing), or -1 */
    size_t target;              /* the target's first version */
    size_t cand[PX_MAX_CANDIDATES]; /* first versions of programs that may be steps */
    unsigned ncand;
    uint8_t *influenced;        /* per requirement node of the image: its code reads
                                 * the certificates, so a step may change it */
    uint8_t *fixed;             /* per node: its code reads a date of the facts record
                                 * (a birth date, the day coaching began): what the
                                 * coach cannot change, so never arranged by default */
    const char **arrange_how;   /* per node: its `arrange "..."`, or NULL */
    pw_date *last_met;          /* per node: for those not influenced, the last day
                                 * in [as_of, last] it holds (PW_DATE_MIN: never) */
    uint8_t *known;             /* per node: last_met computed */
} px_scope;

/* Where a step's certificate lands in the coach's facts: the list marked
 * `granted here` (docs/language.md), or by convention the shipped coach
 * record's `certificates` list of records with text `id` and date
 * `issued`; the JSON keys of the list and of its record's id, issue day
 * and expiry (NULL: none, the rules compute any expiry themselves). */
typedef struct px_land {
    int32_t slot; /* facts field index, -1 when the rules do not say */
    const char *list, *id, *issued, *expires;
    bool marked;  /* `granted here`, not the convention */
} px_land;

/* Fills *out; false when the rules say of no list where grants land. */
bool px_landing(const pb_image *img, px_land *out);

/* Whether some version of program `first` names text `str` (a string id)
 * in its requirements: it needs the certificate of that id. 1 when it
 * does, 0 when not, -1 when out of memory. */
int px_names_string(const pb_image *img, size_t first, uint32_t str);

/* Finds the certificates list, the programs whose certificates the target's
 * rules (transitively) name, and which requirements read certificates. */
pw_status px_scope_init(px_scope *s, pw_context *ctx, size_t target, pw_error *err);
void px_scope_fini(px_scope *s);

/* Whether top-level node `node` of `version`, unmet on `day`, is something
 * the coach must arrange: no step can change it (it does not read the
 * certificates), the coach can (its rules say `arrange "..."`, or it reads
 * no date of the facts record: an age or years of experience is waited
 * for, never arranged) and it does not hold on any day from `day` to the
 * horizon's end (so waiting does not help either; the requirement is evaluated on
 * those days whether or not the version is still in force, so that an age
 * reached after a version ends is a wait, not an arrangement). Its outcome
 * does not depend on certificates, so any state's facts give it. */
pw_status px_arrangeable(px_scope *s, pw_context *ctx, size_t version, size_t node, pw_date day,
                         const px_span *span, bool *out, pw_error *err);

#endif
