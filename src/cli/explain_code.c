/* `pathway check --explain CODE`: a compiler code's line of the table
 * (src/diag/codes.h) and its section of docs/errors.md. */
#include "cli.h"
#include "diag/diag.h"
#include "error_docs.h"

static const char *cli_error_doc_text(const char *code)
{
    for (size_t i = 0; i < cli_error_ndocs; i++)
        if (strcmp(cli_error_docs[i].code, code) == 0)
            return cli_error_docs[i].text;
    return NULL;
}

int cli_explain_code(const char *name)
{
    pd_code code;
    if (!pd_code_find(name, &code)) {
        cli_error("unknown error code `%s` (the codes are %s to %s: see docs/errors.md)", name,
                  pd_code_name(0), pd_code_name(PD_CODE_COUNT - 1));
        return CLI_USAGE;
    }
    const char *text = cli_error_doc_text(pd_code_name(code));
    printf("%s: %s\n\n", pd_code_name(code), pd_code_summary(code));
    /* The test errors.catalogue holds every code to a section. */
    fputs(text ? text : "(docs/errors.md has no section for this code)\n", stdout);
    return CLI_OK;
}
