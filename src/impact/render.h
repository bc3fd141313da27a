/* What the renderers of src/impact share (not for the command line). */
#ifndef PI_RENDER_H
#define PI_RENDER_H

#include "impact.h"

/* Program k's top-level requires, most often unmet first (stable); NULL
 * when out of memory. The caller frees it. */
size_t *pi_report_order(const pi_report_view *v, size_t k);
/* Coaches evaluated for whom program k is in force and not eligible. */
uint64_t pi_report_not_eligible(const pi_report_view *v, size_t k);

#endif
