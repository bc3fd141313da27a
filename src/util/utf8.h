/* UTF-8 validation, for writers of JSON that must always parse. */
#ifndef PU_UTF8_H
#define PU_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes, n >= 1), or 0
 * when it is not one (overlong forms, surrogates and code points past
 * U+10FFFF are not). */
size_t pu_utf8_len(const unsigned char *s, size_t n);

#endif
