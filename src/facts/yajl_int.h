/* What scan.c and stream.c share around yajl: its allocator, which never
 * returns NULL (scan.c, pf_yrealloc), and the test for a fraction that
 * strtod reads as written. Not for use outside src/facts. */
#ifndef PF_YAJL_INT_H
#define PF_YAJL_INT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

/* The blocks yajl holds, and where its allocator jumps when malloc fails:
 * the caller sets the jump with setjmp(m->nomem) before calling yajl, and
 * frees what yajl still holds with pf_yrelease afterwards either way. The
 * allocator's ctx (yajl_alloc_funcs.ctx) is the pf_ymem. */
typedef struct pf_ymem {
    union pf_yblock *blocks;
    jmp_buf nomem;
} pf_ymem;

void *pf_ymalloc(void *ctx, size_t n);
void *pf_yrealloc(void *ctx, void *p, size_t n);
void pf_yfree(void *ctx, void *p);
void pf_yrelease(pf_ymem *m);

/* Whether the fraction with integer digits ip[0..idigits) and fraction
 * digits fp[0..fdigits) is plain (scan.c says what that buys). */
bool pf_plain_fraction(const char *ip, size_t idigits, const char *fp, size_t fdigits);

#endif
