/* The command line's helpers over util/buf.h. */
#include <stdio.h>

#include "cli.h"

void cli_json_string(FILE *out, const char *s)
{
    cli_buf b = {0};
    cli_buf_json_string(&b, s);
    if (b.data)
        fwrite(b.data, 1, b.len, out);
    cli_buf_free(&b);
}
