/* A verified image and a VM on it, for the VM's unit tests (test_vm,
 * test_vm_branches): the image is built with asm_helpers.h. */
#ifndef PW_TEST_VM_HELPERS_H
#define PW_TEST_VM_HELPERS_H

#include <check.h>

#include "asm_helpers.h"
#include "bc/bytecode.h"
#include "vm/vm.h"

typedef struct vm {
    pb_image *img;
    pv_state st;
    pv_error err;
} vm;

/* Builds, verifies and opens a context on b's image; frees b. */
static inline void vm_open(vm *v, ah *b)
{
    if (b->nprogs == 0)
        ah_prog(b, "none");
    v->img = ah_image(b);
    free(b);
    ck_assert_ptr_nonnull(v->img);
    char err[512];
    ck_assert_msg(pb_verify(v->img, err, sizeof err), "not verified: %s", err);
    ck_assert(pv_init(&v->st, v->img));
}

static inline void vm_close(vm *v)
{
    pv_fini(&v->st);
    pb_image_free(v->img);
}

#endif
