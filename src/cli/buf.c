/* The command line's helpers over util/buf.h. */
#include <stdio.h>

#include "cli.h"
#include "util/escape.h"

void cli_buf_text(cli_buf *b, const char *s)
{
    pu_escape_text(b, s, strlen(s));
}
