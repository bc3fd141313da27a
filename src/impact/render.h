/* What the renderers of src/impact share (not for the command line). */
#ifndef PI_RENDER_H
#define PI_RENDER_H

#include <cjson/cJSON.h>

#include "impact.h"

/* Adds item to object `to` under key, or to array `to` when key is NULL;
 * false (item freed) when item is NULL or adding it failed: out of memory. */
bool pi_json_add(cJSON *to, const char *key, cJSON *item);
/* item when ok, else NULL (item freed): a JSON value one of whose members
 * could not be made is not returned without it. */
cJSON *pi_json_done(cJSON *item, bool ok);
/* Prints root as one line of JSON and frees it. False when `ok` is false
 * (building root ran out of memory) or printing it did. */
bool pi_json_print(FILE *out, cJSON *root, bool ok);

/* Program k's top-level requires, most often unmet first (stable); NULL
 * when out of memory. The caller frees it. */
size_t *pi_report_order(const pi_report_view *v, size_t k);
/* Coaches evaluated for whom program k is in force and not eligible. */
uint64_t pi_report_not_eligible(const pi_report_view *v, size_t k);

#endif
