/* Edit distance between two names, for "did you mean" suggestions in the
 * checker and in facts paths. */
#ifndef PU_DISTANCE_H
#define PU_DISTANCE_H

#include <stddef.h>

/* Insertions, deletions, substitutions and swaps of neighbours each count
 * one. Names of 64 bytes or more are never close: SIZE_MAX. */
size_t pu_distance(const char *a, size_t la, const char *b, size_t lb);

#endif
