/* A program built in the same CMake project as Pathway (add_subdirectory,
 * tests/install/subdir), linking pathway::pathway, in GNU C mode and using
 * M_PI, which <math.h> hides when _POSIX_C_SOURCE is defined: Pathway's own
 * feature macros must not leak into its consumers. */
#include <math.h>
#include <stdio.h>

#include "pathway.h"

int main(void)
{
    printf("%s %.5f\n", pw_version(), M_PI);
    return 0;
}
