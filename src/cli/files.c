/* FILE|DIR arguments, shared by `pathway test` and `pathway fmt`. */
#include "cli.h"
#include "ruletest/ruletest.h"

bool cli_collect_files(const pr_strings *args, pr_strings *files)
{
    pr_strings notes = {0};
    bool ok = pr_collect_files(args, files, &notes);
    for (size_t i = 0; i < notes.n; i++)
        cli_error("%s", notes.items[i]);
    pr_strings_fini(&notes);
    return ok;
}
