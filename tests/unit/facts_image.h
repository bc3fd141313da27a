/* Test helper: builds by hand a pb_image holding only strings and records, with
 * the record layout of the reference coach record
 * (docs/coach-record.md):
 *
 *   record 0 coach            id: text, birth_date: date, coaching_since: date? = none,
 *                             memberships: list of membership = [],
 *                             certificates: list of certificate = [],
 *                             roles: set of text = [], athletes_coached: integer = 0,
 *                             teaching_experience: boolean = false,
 *                             advanced_degree: text? = none,
 *                             background_checks: list of background_check = [],
 *                             courses: list of course = []
 *   record 1 membership       body: text, expires: date?
 *   record 2 certificate      id: text, issued: date, expires: date?,
 *                             event_group: text? = none
 *   record 3 background_check kind: text, expires: date
 *   record 4 course           id: text, completed: date, hours: number
 *
 * Besides the names, the image knows a few texts that rules would mention
 * (FI_KNOWN_TEXTS). Also a generic layout with nested lists and a recursive
 * one, for paths like a[1].b[2].c and for the depth limit. */
#ifndef FACTS_IMAGE_H
#define FACTS_IMAGE_H

#include <stdbool.h>
#include <string.h>

#include "bc/image.h"

typedef struct fi_field {
    const char *name;
    uint8_t kind, optional;
    uint16_t rec;
    uint8_t def;
    pv_value defv;
} fi_field;

typedef struct fi_record {
    const char *name;
    const fi_field *fields;
    uint32_t nfields;
} fi_record;

static uint32_t fi_string(pb_image *img, uint32_t *cap, const char *s)
{
    for (uint32_t i = 0; i < img->nstrings; i++)
        if (strcmp(img->strings[i], s) == 0)
            return i;
    if (img->nstrings == *cap)
        return PB_NO_STRING; /* the helper's fixed capacity: tests only */
    img->strings[img->nstrings] = pm_strndup(&img->arena, s, strlen(s));
    img->string_len[img->nstrings] = (uint32_t)strlen(s);
    return img->nstrings++;
}

/* An image with the given records and extra known texts; NULL on failure. */
static pb_image *fi_build(const fi_record *recs, uint32_t nrecs, const char *const *texts,
                          uint32_t ntexts)
{
    pb_image *img = pb_image_new();
    if (!img)
        return NULL;
    uint32_t cap = 256;
    img->strings = pm_alloc(&img->arena, sizeof *img->strings * cap);
    img->string_len = pm_alloc(&img->arena, sizeof *img->string_len * cap);
    uint32_t nf = 0;
    for (uint32_t r = 0; r < nrecs; r++)
        nf += recs[r].nfields;
    img->records = pm_alloc(&img->arena, sizeof *img->records * nrecs);
    img->fields = pm_alloc(&img->arena, sizeof *img->fields * (nf ? nf : 1));
    if (!img->strings || !img->string_len || !img->records || !img->fields) {
        pb_image_free(img);
        return NULL;
    }
    img->nrecords = nrecs;
    for (uint32_t r = 0; r < nrecs; r++) {
        pb_record *pr = &img->records[r];
        pr->name = fi_string(img, &cap, recs[r].name);
        pr->first_field = img->nfields;
        pr->nfields = recs[r].nfields;
        for (uint32_t j = 0; j < recs[r].nfields; j++) {
            const fi_field *ff = &recs[r].fields[j];
            pb_field *pf = &img->fields[img->nfields++];
            pf->name = fi_string(img, &cap, ff->name);
            pf->type = (pb_type){ff->kind, ff->optional, ff->rec};
            pf->def = ff->def;
            pf->defv = ff->defv;
        }
    }
    for (uint32_t i = 0; i < ntexts; i++)
        fi_string(img, &cap, texts[i]);
    if (!pb_build_hash(img)) {
        pb_image_free(img);
        return NULL;
    }
    return img;
}

enum { FI_COACH = 0, FI_MEMBERSHIP, FI_CERTIFICATE, FI_BACKGROUND_CHECK, FI_COURSE };

static const fi_field fi_coach_fields[] = {
    {"id", PB_T_TEXT, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"birth_date", PB_T_DATE, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"coaching_since", PB_T_DATE, 1, 0, PB_DEF_NONE, {{0}, 0, 0}},
    {"memberships", PB_T_LIST, 0, FI_MEMBERSHIP, PB_DEF_EMPTY, {{0}, 0, 0}},
    {"certificates", PB_T_LIST, 0, FI_CERTIFICATE, PB_DEF_EMPTY, {{0}, 0, 0}},
    {"roles", PB_T_SET, 0, 0, PB_DEF_EMPTY, {{0}, 0, 0}},
    {"athletes_coached", PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 0}, 0, 0}},
    {"teaching_experience", PB_T_BOOL, 0, 0, PB_DEF_VALUE, {{.b = false}, 0, 0}},
    {"advanced_degree", PB_T_TEXT, 1, 0, PB_DEF_NONE, {{0}, 0, 0}},
    {"background_checks", PB_T_LIST, 0, FI_BACKGROUND_CHECK, PB_DEF_EMPTY, {{0}, 0, 0}},
    {"courses", PB_T_LIST, 0, FI_COURSE, PB_DEF_EMPTY, {{0}, 0, 0}},
};
enum {
    FI_ID, FI_BIRTH_DATE, FI_COACHING_SINCE, FI_MEMBERSHIPS, FI_CERTIFICATES, FI_ROLES,
    FI_ATHLETES_COACHED, FI_TEACHING_EXPERIENCE, FI_ADVANCED_DEGREE, FI_BACKGROUND_CHECKS,
    FI_COURSES, FI_COACH_NFIELDS
};

static const fi_field fi_membership_fields[] = {
    {"body", PB_T_TEXT, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"expires", PB_T_DATE, 1, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
};
static const fi_field fi_certificate_fields[] = {
    {"id", PB_T_TEXT, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"issued", PB_T_DATE, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"expires", PB_T_DATE, 1, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"event_group", PB_T_TEXT, 1, 0, PB_DEF_NONE, {{0}, 0, 0}},
};
static const fi_field fi_background_check_fields[] = {
    {"kind", PB_T_TEXT, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"expires", PB_T_DATE, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
};
static const fi_field fi_course_fields[] = {
    {"id", PB_T_TEXT, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"completed", PB_T_DATE, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"hours", PB_T_NUM, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
};

#define FI_N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static const fi_record fi_coach_records[] = {
    {"coach", fi_coach_fields, FI_N(fi_coach_fields)},
    {"membership", fi_membership_fields, FI_N(fi_membership_fields)},
    {"certificate", fi_certificate_fields, FI_N(fi_certificate_fields)},
    {"background_check", fi_background_check_fields, FI_N(fi_background_check_fields)},
    {"course", fi_course_fields, FI_N(fi_course_fields)},
};

/* Texts the rules of the test image mention. */
static const char *const fi_known_texts[] = {
    "usatf", "usatf-level-1", "usatf-level-2", "sport-science", "jumps", "safesport",
};

static pb_image *fi_coach_image(void)
{
    return fi_build(fi_coach_records, FI_N(fi_coach_records), fi_known_texts, FI_N(fi_known_texts));
}

/* record 0 r { xs: list of x = [], tag: text? = none }
 * record 1 x { n: integer, ys: list of y = [] }
 * record 2 y { c: text, w: number = 1.5 } */
static const fi_field fi_r_fields[] = {
    {"xs", PB_T_LIST, 0, 1, PB_DEF_EMPTY, {{0}, 0, 0}},
    {"tag", PB_T_TEXT, 1, 0, PB_DEF_NONE, {{0}, 0, 0}},
};
static const fi_field fi_x_fields[] = {
    {"n", PB_T_INT, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"ys", PB_T_LIST, 0, 2, PB_DEF_EMPTY, {{0}, 0, 0}},
};
static const fi_field fi_y_fields[] = {
    {"c", PB_T_TEXT, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"w", PB_T_NUM, 0, 0, PB_DEF_VALUE, {{.n = 1.5}, 0, 0}},
};
static const fi_record fi_nested_records[] = {
    {"r", fi_r_fields, FI_N(fi_r_fields)},
    {"x", fi_x_fields, FI_N(fi_x_fields)},
    {"y", fi_y_fields, FI_N(fi_y_fields)},
};

static pb_image *fi_nested_image(void)
{
    return fi_build(fi_nested_records, FI_N(fi_nested_records), NULL, 0);
}

/* record 0 node { kids: list of node = [], v: integer = 0 } (recursive: only
 * to test the depth limit; the checker may not allow it). */
static const fi_field fi_node_fields[] = {
    {"kids", PB_T_LIST, 0, 0, PB_DEF_EMPTY, {{0}, 0, 0}},
    {"v", PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 0}, 0, 0}},
};
static const fi_record fi_node_records[] = {
    {"node", fi_node_fields, FI_N(fi_node_fields)},
};

static pb_image *fi_node_image(void)
{
    return fi_build(fi_node_records, FI_N(fi_node_records), NULL, 0);
}

/* record 0 req { items: list of item } -- a list without default: required. */
static const fi_field fi_req_fields[] = {
    {"items", PB_T_LIST, 0, 1, PB_DEF_REQUIRED, {{0}, 0, 0}},
    {"tags", PB_T_SET, 0, 0, PB_DEF_REQUIRED, {{0}, 0, 0}},
};
static const fi_field fi_item_fields[] = {
    {"k", PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 7}, 0, 0}},
};
static const fi_record fi_req_records[] = {
    {"req", fi_req_fields, FI_N(fi_req_fields)},
    {"item", fi_item_fields, FI_N(fi_item_fields)},
};

static pb_image *fi_req_image(void)
{
    return fi_build(fi_req_records, FI_N(fi_req_records), NULL, 0);
}

#endif
