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

/* Not in a coverage build (PATHWAY_COVERAGE, scripts/coverage.sh): an
 * invariant's failing side is never taken by design, and would count as an
 * untested branch. */
#if defined(PATHWAY_ASSERTS) && !defined(PATHWAY_COVERAGE)
#include <stdio.h>
#include <stdlib.h>
#define PU_ASSERT(cond)                                                                        \
    ((cond) ? (void)0                                                                          \
            : (fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond), \
               abort()))
#else
#define PU_ASSERT(cond) ((void)0)
#endif

/* Defensive branches that cannot be taken, in the spirit of SQLite's
 * NEVER() and ALWAYS(): `if (PU_NEVER(n > cap)) return pu_fail(...)`. The
 * condition is one the surrounding code already rules out (the verifier
 * proved it, a caller checked it), kept so that a release build still
 * returns an error instead of misbehaving if that reasoning is ever wrong.
 *   - With PATHWAY_ASSERTS (Debug, sanitizers, fuzzing) a taken branch is a
 *     broken invariant and stops the process, as PU_ASSERT does.
 *   - In a coverage build (PATHWAY_COVERAGE) the branch is compiled out,
 *     so that coverage counts only branches tests can reach; every use is
 *     listed with its reason in docs/robustness.md.
 *   - Elsewhere the condition is evaluated and the branch kept. */
#if defined(PATHWAY_COVERAGE)
#define PU_ALWAYS(cond) ((void)sizeof(cond), 1)
#define PU_NEVER(cond) ((void)sizeof(cond), 0)
#elif defined(PATHWAY_ASSERTS)
#define PU_ALWAYS(cond) ((cond) ? 1 : (PU_ASSERT(!"PU_ALWAYS: " #cond), 0))
#define PU_NEVER(cond) ((cond) ? (PU_ASSERT(!"PU_NEVER: " #cond), 1) : 0)
#else
#define PU_ALWAYS(cond) ((cond) ? 1 : 0)
#define PU_NEVER(cond) ((cond) ? 1 : 0)
#endif

#endif
