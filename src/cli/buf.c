/* The command line's helpers over util/buf.h. */
#include <stdio.h>

#include "cli.h"
#include "util/escape.h"

void cli_buf_text(cli_buf *b, const char *s)
{
    pu_escape_text(b, s, strlen(s));
}

void cli_json_string(FILE *out, const char *s)
{
    cli_buf b = {0};
    cli_buf_json_string(&b, s);
    if (b.data)
        fwrite(b.data, 1, b.len, out);
    cli_buf_free(&b);
}
