/* The tools tier's compilation with the checked tree (tools.h). */
#include "api_int.h"

pw_status pt_compile_tree(const char *path, const pw_compile_options *options, pt_tree_fn inspect,
                          void *user, pw_program **out, pw_error *err)
{
    return pwi_compile(path, NULL, 0, options, inspect, user, out, err);
}

pw_status pt_compile_tree_overlay(const char *path, const pw_compile_options *options,
                                  const pt_overlay *overlay, pt_tree_fn inspect, void *user,
                                  pw_program **out, pw_error *err)
{
    return pwi_compile_overlay(path, NULL, 0, options, overlay, inspect, user, out, err);
}
