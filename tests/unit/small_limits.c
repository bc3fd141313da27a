/* The runtime built again with two limits lowered (tests/CMakeLists.txt:
 * PF_EXTRA_SLOTS_MAX, PB_SECTION_MAX), so that a test reaches what the real
 * limits put gigabytes away: a record with more distinct texts of its own
 * than the table of them may hold (2^30 at full size), and a section of
 * bytecode longer than its 32-bit length can say (4 GiB). Each must be
 * refused, with the record's place or a failed save, never a wrapped count;
 * below the limits everything works as in the full-size build. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_helpers.h"
#include "check_main.h"
#include "facts/facts.h"
/* Only the coach image of the helper's several is used here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "facts_image.h"
#pragma GCC diagnostic pop

#if PF_EXTRA_SLOTS_MAX != 128 || PB_SECTION_MAX != 4096
#error "built with the lowered limits of tests/CMakeLists.txt"
#endif

/* A coach record whose roles are n distinct texts the image does not know. */
static char *roles_record(int n)
{
    size_t cap = 64 + (size_t)n * 16;
    char *js = malloc(cap);
    ck_assert_ptr_nonnull(js);
    size_t pos = (size_t)snprintf(js, cap, "{\"id\":\"x\",\"birth_date\":\"1990-01-01\",\"roles\":[");
    for (int i = 0; i < n; i++)
        pos += (size_t)snprintf(js + pos, cap - pos, "%s\"r%d\"", i ? "," : "", i);
    snprintf(js + pos, cap - pos, "]}");
    return js;
}

static bool load_roles(pf_facts *f, int n, char *err, size_t errlen)
{
    char *js = roles_record(n);
    cJSON *j = cJSON_ParseWithLengthOpts(js, strlen(js), NULL, 0);
    ck_assert_ptr_nonnull(j);
    ck_assert(pf_json_scan(j, js, strlen(js)));
    bool ok = pf_load_json(f, j, err, errlen);
    cJSON_Delete(j);
    free(js);
    return ok;
}

/* The table of a record's own texts grows to 128 slots, half full: 63
 * texts and the id fit, the 64th text is refused where it stands, and the
 * next record, within the limit, loads into the same facts. */
START_TEST(texts_past_the_table)
{
    pb_image *img = fi_coach_image();
    ck_assert_ptr_nonnull(img);
    pf_facts f;
    ck_assert(pf_init(&f, img));
    char err[256];
    ck_assert_msg(load_roles(&f, 63, err, sizeof err), "%s", err);
    ck_assert_uint_eq(f.nextra, 64);
    ck_assert(!load_roles(&f, 64, err, sizeof err));
    ck_assert_str_eq(err, "`roles[63]`: too many distinct texts in one record");
    ck_assert(!f.oom);
    ck_assert_msg(load_roles(&f, 10, err, sizeof err), "%s", err);
    ck_assert_uint_eq(f.nextra, 11);
    pf_fini(&f);
    pb_image_free(img);
}
END_TEST

/* An image whose string section would pass PB_SECTION_MAX bytes: pb_save
 * fails (and frees what it wrote) rather than write a length that wrapped;
 * the same image with a shorter text saves and loads back. */
static pb_image *image_with_text(size_t n)
{
    char *text = malloc(n + 1);
    ck_assert_ptr_nonnull(text);
    memset(text, 'a', n);
    text[n] = '\0';
    ah *b = ah_new();
    ah_str(b, text);
    ah_record(b, "coach");
    pv_value zero;
    memset(&zero, 0, sizeof zero);
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    uint32_t yes = ah_const_fn(b, "yes", true);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "x", yes);
    pb_image *img = ah_image(b);
    free(b);
    free(text);
    return img;
}

START_TEST(section_past_its_length)
{
    pb_image *img = image_with_text(5000);
    uint8_t *bytes = NULL;
    size_t len = 0;
    ck_assert(!pb_save(img, &bytes, &len));
    ck_assert_ptr_null(bytes);
    pb_image_free(img);
    img = image_with_text(3000);
    ck_assert(pb_save(img, &bytes, &len));
    pb_image_free(img);
    char err[256];
    pb_image *back = pb_load(bytes, len, NULL, err, sizeof err);
    ck_assert_msg(back != NULL, "%s", err);
    ck_assert_uint_eq(back->string_len[0], 3000);
    pb_image_free(back);
    free(bytes);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("small_limits");
    TCase *tc = tcase_create("limits");
    tcase_add_test(tc, texts_past_the_table);
    tcase_add_test(tc, section_past_its_length);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
