/* Invariants the code relies on without handling them: what the verifier
 * promises the VM (stack depth within the frame, calls within the image's
 * depth), what the generator promises the format (jump widths), the sizes
 * the layout assumes. A broken one is a bug in Pathway, not bad input.
 *
 * Checked in builds with PATHWAY_ASSERTS (every Debug build, so the
 * sanitizer run, and the fuzzing build): there a broken invariant stops
 * the process at once, naming its place, so that a fuzzer reports a crash
 * where undefined behaviour would have gone unseen. Compiled out
 * elsewhere: a release never aborts (the library returns its errors), and
 * the condition is not even evaluated. */
#ifndef PU_ASSERT_H
#define PU_ASSERT_H

#ifdef PATHWAY_ASSERTS
#include <stdio.h>
#include <stdlib.h>
#define PU_ASSERT(cond)                                                                        \
    ((cond) ? (void)0                                                                          \
            : (fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond), \
               abort()))
#else
#define PU_ASSERT(cond) ((void)0)
#endif

#endif
