/* The `pathway` command's main.c with main() renamed pw_cli_main, so that a
 * test binary (test_cli_allocfail) can run the command in-process: linked
 * with the CLI's other sources by tests/CMakeLists.txt. */
int pw_cli_main(int argc, char **argv);
#define main pw_cli_main
#include "cli/main.c"
