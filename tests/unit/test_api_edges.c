/* The public API's and the tools tier's less travelled paths (issue 23):
 * pw_program_open's choice between source and bytecode, its limits and
 * standard input; the tools' context copies, saved results and decisions;
 * compiled (native) rule sets handed to pw_program_use_native; the eval
 * line of a rule set without programs and of programs not yet evaluated;
 * and what the requirement fingerprint sees of loops over sets and of
 * number constants. Each test asserts the status and exact message, or the
 * exact output, the branch exists for. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/tools.h"
#include "asm_helpers.h"
#include "bc/bytecode.h"
#include "check_main.h"
#include "bc/decision.h"
#include "native/native.h"
#include "vm/vm.h"
#include "pathway.h"
#include "pathway_native.h"
#include "tmpdir.h"

#define EXPECT(call, want_st, want_msg)                                                                  \
    do {                                                                                               \
        pw_error e_;                                                                                   \
        memset(&e_, 0x5a, sizeof e_);                                                                  \
        pw_error *err = &e_;                                                                           \
        pw_status st_ = (call);                                                                        \
        ck_assert_msg(st_ == (want_st), "%s: got %s (%s)", #call, pw_status_name(st_), e_.message);     \
        ck_assert_int_eq(e_.status, (want_st));                                                        \
        ck_assert_str_eq(e_.message, (want_msg));                                                      \
    } while (0)

static pw_program *compile(const char *text)
{
    pw_program *p = NULL;
    pw_error err;
    ck_assert_msg(pw_compile_source("edges.pw", text, strlen(text), NULL, &p, &err) == PW_OK, "%s",
                  err.message);
    return p;
}

static pw_date day(const char *text)
{
    pw_date d;
    ck_assert_int_eq(pw_date_parse(text, &d, NULL), PW_OK);
    return d;
}

static char tmp[64];

static void tmp_up(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/pw-api-edges-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void tmp_down(void)
{
    ut_tmpdir_remove(tmp);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

#define SMALL "facts coach { id: text  level: integer = 0 }\nprogram a \"A\" { require \"l1\": level >= 1 }\n"

/* ---- pw_program_open ------------------------------------------------------- */

/* A file named .pwc is bytecode whatever it holds: rule source under that
 * name gets the loader's message, not syntax errors; bytecode under any
 * other name is recognised by its magic. */
START_TEST(open_decides_by_name_and_magic)
{
    char path[128];
    snprintf(path, sizeof path, "%s/source.pwc", tmp);
    write_file(path, SMALL, strlen(SMALL));
    pw_program *p = (pw_program *)(uintptr_t)1;
    pw_error e;
    ck_assert_int_eq(pw_program_open(path, NULL, &p, &e), PW_ERR_FORMAT);
    ck_assert_ptr_null(p);
    ck_assert_msg(strncmp(e.message, path, strlen(path)) == 0 && strstr(e.message, ": ") != NULL, "%s",
                  e.message);
    /* Without a pw_error, the status alone. */
    ck_assert_int_eq(pw_program_open(path, NULL, &p, NULL), PW_ERR_FORMAT);

    pw_program *src = compile(SMALL);
    void *bytes;
    size_t len;
    ck_assert_int_eq(pw_program_save(src, &bytes, &len, NULL), PW_OK);
    snprintf(path, sizeof path, "%s/rules.bin", tmp);
    write_file(path, bytes, len);
    EXPECT(pw_program_open(path, NULL, &p, err), PW_OK, "");
    ck_assert_str_eq(pw_program_id(p, 0), "a");
    pw_program_free(p);

    /* The bytecode limit holds for bytecode, the source limit for source. */
    pw_limits lim;
    pw_limits_init(&lim);
    lim.max_bytecode_bytes = 16;
    pw_compile_options opt;
    pw_compile_options_init(&opt);
    opt.limits = &lim;
    char want[600];
    snprintf(want, sizeof want, "%s: bytecode of %zu bytes is larger than the limit of 16 bytes", path, len);
    EXPECT(pw_program_open(path, &opt, &p, err), PW_ERR_FORMAT, want);
    lim.max_bytecode_bytes = 0;
    lim.max_source_bytes = 8;
    snprintf(path, sizeof path, "%s/rules.pw", tmp);
    write_file(path, SMALL, strlen(SMALL));
    snprintf(want, sizeof want, "`%s` is too large: the limit is 8 bytes", path);
    EXPECT(pw_program_open(path, &opt, &p, err), PW_ERR_COMPILE, want);
    pw_free(bytes);
    pw_program_free(src);
}
END_TEST

/* Options from another release, a file larger than both limits, and a
 * source shorter than the bytecode magic. */
START_TEST(open_options_limits_and_short_files)
{
    char path[128];
    snprintf(path, sizeof path, "%s/rules.pw", tmp);
    write_file(path, SMALL, strlen(SMALL));
    pw_compile_options opt;
    pw_compile_options_init(&opt);
    opt.size = 1;
    pw_program *p = NULL;
    EXPECT(pw_program_open(path, &opt, &p, err), PW_ERR_USAGE,
           "pw_compile_options: size 1 is too small (initialise it with pw_compile_options_init)");
    pw_compile_options_init(&opt);
    pw_limits lim;
    pw_limits_init(&lim);
    lim.max_bytecode_bytes = 8;
    lim.max_source_bytes = 8;
    opt.limits = &lim;
    pw_error e;
    ck_assert_int_eq(pw_program_open(path, &opt, &p, &e), PW_ERR_IO);
    ck_assert_msg(strstr(e.message, path) != NULL, "%s", e.message);
    ck_assert_ptr_null(p);
    snprintf(path, sizeof path, "%s/x.pw", tmp);
    write_file(path, "x", 1);
    ck_assert_int_eq(pw_program_open(path, NULL, &p, &e), PW_ERR_COMPILE);
    ck_assert_msg(strncmp(e.message, path, strlen(path)) == 0, "%s", e.message);
}
END_TEST

/* "-" is standard input; a name shorter than ".pwc" is read as any other. */
START_TEST(open_stdin_and_short_names)
{
    char path[128];
    snprintf(path, sizeof path, "%s/in.pw", tmp);
    write_file(path, SMALL, strlen(SMALL));
    ck_assert_ptr_nonnull(freopen(path, "rb", stdin));
    pw_program *p = NULL;
    EXPECT(pw_program_open("-", NULL, &p, err), PW_OK, "");
    ck_assert_uint_eq(pw_program_count(p), 1);
    pw_program_free(p);

    ck_assert_int_eq(chdir(tmp), 0);
    write_file("a", SMALL, strlen(SMALL));
    EXPECT(pw_program_open("a", NULL, &p, err), PW_OK, "");
    ck_assert_str_eq(pw_program_title(p, 0), "A");
    pw_program_free(p);
}
END_TEST

/* A compile error without a pw_error: the status alone. */
START_TEST(compile_error_without_pw_error)
{
    static const char bad[] = "facts coach { id: text }\nprogram a \"A\" { require \"x\": nope }\n";
    pw_program *p = (pw_program *)(uintptr_t)1;
    ck_assert_int_eq(pw_compile_source("bad.pw", bad, strlen(bad), NULL, &p, NULL), PW_ERR_COMPILE);
    ck_assert_ptr_null(p);
}
END_TEST

static void keep_text(void *user, const char *rendered)
{
    snprintf(user, 4096, "%s", rendered);
}

/* An included file that is not rule source: its first syntax error, then
 * the include's own error, and checking stops there (no error for the
 * names the file would have declared). */
START_TEST(include_not_rule_source)
{
    char path[128], main_path[128];
    snprintf(path, sizeof path, "%s/notes.pw", tmp);
    static const char notes[] = "these are meeting notes, not rules\n";
    write_file(path, notes, strlen(notes));
    snprintf(main_path, sizeof main_path, "%s/main.pw", tmp);
    static const char text[] = "include \"notes.pw\"\nfacts coach { id: text }\n"
                               "program a \"A\" { require \"x\": declared_in_notes }\n";
    char rendered[4096] = "";
    pw_compile_options opt;
    pw_compile_options_init(&opt);
    opt.on_diagnostics = keep_text;
    opt.user = rendered;
    pw_program *p = (pw_program *)(uintptr_t)1;
    pw_error e;
    ck_assert_int_eq(pw_compile_source(main_path, text, strlen(text), &opt, &p, &e), PW_ERR_COMPILE);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(e.message, "notes.pw:1:") != NULL && strstr(e.message, "(and 1 more error)") != NULL, "%s",
                  e.message);
    ck_assert_msg(strstr(rendered, "declared_in_notes") == NULL, "%s", rendered);
    ck_assert_msg(strstr(rendered, "2 errors generated.\n") != NULL, "%s", rendered);
}
END_TEST

/* An included file over the source limit: E0002 at the include, and
 * checking stops there (no error for the names it would have declared). */
START_TEST(include_too_large)
{
    char path[128], main_path[128];
    snprintf(path, sizeof path, "%s/big.pw", tmp);
    char big[400];
    memset(big, '#', sizeof big - 1);
    big[sizeof big - 1] = '\n';
    write_file(path, big, sizeof big);
    snprintf(main_path, sizeof main_path, "%s/main.pw", tmp);
    static const char text[] = "include \"big.pw\"\nfacts coach { id: text }\n"
                               "program a \"A\" { require \"x\": declared_in_big }\n";
    pw_limits lim;
    pw_limits_init(&lim);
    lim.max_source_bytes = 200;
    pw_compile_options opt;
    pw_compile_options_init(&opt);
    opt.limits = &lim;
    pw_program *p = NULL;
    char want[400];
    snprintf(want, sizeof want, "%s:1:9: `%s` is too large: the limit is 200 bytes", main_path, path);
    EXPECT(pw_compile_source(main_path, text, strlen(text), &opt, &p, err), PW_ERR_COMPILE, want);
    ck_assert_ptr_null(p);
}
END_TEST

/* ---- the tools' context calls ------------------------------------------------ */

#define DECIDED                                                                                          \
    "record decision { key: text  accepted: boolean }\n"                                                 \
    "facts coach { id: text  level: integer  decisions: list of decision = [] }\n"                       \
    "program plain \"Plain\" { require \"l1\": level >= 1 }\n"                                           \
    "program b \"B\" {\n  require \"rule\": decided by \"the committee\"\n"                              \
    "  prefer \"style\": decided by \"the panel\"\n  require \"l2\": level >= 2\n}\n"

START_TEST(tools_copy_save_restore)
{
    pw_program *p = compile(DECIDED);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    EXPECT(pt_context_set_cjson(NULL, NULL, err), PW_ERR_USAGE, "pwi_context_set_cjson: NULL argument");
    EXPECT(pt_context_set_cjson(ctx, NULL, err), PW_ERR_USAGE, "pwi_context_set_cjson: NULL argument");

    /* Nothing evaluated yet: no decisions, nothing awaited. */
    const char *nobody = NULL;
    ck_assert_int_eq(pt_result_decision(ctx, 1, 0, &nobody), -1);
    ck_assert_ptr_null(nobody);
    ck_assert_uint_eq(pt_result_awaiting_count(ctx, 1), 0);
    ck_assert_ptr_null(pt_result_awaiting_label(ctx, 1, 0));

    /* Facts given field by field and not complete: the copy says which is missing. */
    pw_context *copy = (pw_context *)(uintptr_t)1;
    cJSON *rec = (cJSON *)(uintptr_t)1;
    ck_assert_int_eq(pw_context_reset(ctx, NULL), PW_OK);
    EXPECT(pt_context_copy(ctx, &copy, &rec, err), PW_ERR_FACTS, "missing required field `id`");
    ck_assert_ptr_null(copy);
    ck_assert_ptr_null(rec);
    struct pwi_saved *saved = (struct pwi_saved *)(uintptr_t)1;
    EXPECT(pt_context_save(ctx, &saved, err), PW_ERR_FACTS, "missing required field `id`");
    ck_assert_ptr_null(saved);

    static const char facts[] = "{\"id\":\"c\",\"level\":1,\"decisions\":[{\"key\":\"style\",\"accepted\":false}]}";
    ck_assert_int_eq(pw_context_set_json(ctx, facts, strlen(facts), NULL), PW_OK);
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2026-01-01"), NULL), PW_OK);
    ck_assert_int_eq(pt_context_copy(ctx, &copy, &rec, NULL), PW_OK);
    char *text = cJSON_PrintUnformatted(rec);
    ck_assert_str_eq(text, "{\"id\":\"c\",\"level\":1,\"decisions\":[{\"key\":\"style\",\"accepted\":false}]}");
    free(text);
    ck_assert_int_eq(pw_evaluate_all(copy, day("2026-01-01"), NULL), PW_OK);
    ck_assert_int_eq(pw_result_eligible(copy, 1), pw_result_eligible(ctx, 1));
    ck_assert_uint_eq(pw_result_unmet_count(copy, 1), 2);

    /* Saved results come back after other facts were evaluated. */
    ck_assert_int_eq(pt_context_save(ctx, &saved, NULL), PW_OK);
    static const char other[] = "{\"id\":\"d\",\"level\":5}";
    ck_assert_int_eq(pw_context_set_json(ctx, other, strlen(other), NULL), PW_OK);
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2026-01-01"), NULL), PW_OK);
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 1), 1);
    pt_context_restore(ctx, saved);
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 1), 2);
    ck_assert_str_eq(pw_result_unmet_label(ctx, 1, 0), "rule");
    ck_assert_str_eq(pw_result_unmet_label(ctx, 1, 1), "l2");
    ck_assert_ptr_null(pw_result_unmet_label(ctx, 1, 2));
    pt_context_restore(ctx, NULL); /* nothing saved: nothing changes */
    ck_assert_uint_eq(pw_result_unmet_count(ctx, 1), 2);

    /* Decisions: the committee's is awaited, the panel's refused (a prefer,
     * so never "awaiting"); the plain program has none. */
    const char *who = NULL;
    ck_assert_int_eq(pt_result_decision(ctx, 1, 0, &who), PB_DECIDED_NOTHING);
    ck_assert_str_eq(who, "the committee");
    ck_assert_int_eq(pt_result_decision(ctx, 1, 1, &who), PB_DECIDED_NO);
    ck_assert_str_eq(who, "the panel");
    ck_assert_int_eq(pt_result_decision(ctx, 1, 2, &who), -1);
    ck_assert_int_eq(pt_result_decision(ctx, 1, 3, &who), -1);
    ck_assert_int_eq(pt_result_decision(ctx, 0, 0, &who), -1);
    ck_assert_uint_eq(pt_result_awaiting_count(ctx, 1), 1);
    ck_assert_str_eq(pt_result_awaiting_label(ctx, 1, 0), "rule");
    ck_assert_ptr_null(pt_result_awaiting_label(ctx, 1, 1));
    ck_assert_uint_eq(pt_result_awaiting_count(ctx, 0), 0);

    char *line = NULL;
    ck_assert_int_eq(pw_eval_json_alloc(ctx, facts, strlen(facts), day("2026-01-01"), &line, NULL, NULL), PW_OK);
    ck_assert_str_eq(line, "{\"id\":\"c\",\"as_of\":\"2026-01-01\",\"results\":[{\"program\":\"plain\",\"eligible\":true,"
                           "\"unmet\":[],\"preferred_unmet\":[]},{\"program\":\"b\",\"eligible\":false,\"unmet\":"
                           "[\"rule\",\"l2\"],\"preferred_unmet\":[\"style\"],\"awaiting_decision\":[\"rule\"]}]}\n");
    pw_free(line);

    /* pt_decision_at: one decision on a day, without evaluating the program. */
    int decided = 7;
    EXPECT(pt_decision_at(ctx, 2, 0, day("2026-01-01"), &who, &decided, err), PW_ERR_USAGE,
           "no requirement 0 in program 2");
    ck_assert_int_eq(decided, -1);
    EXPECT(pt_decision_at(ctx, 1, 3, day("2026-01-01"), &who, &decided, err), PW_ERR_USAGE,
           "no requirement 3 in program 1");
    ck_assert_int_eq(pt_decision_at(ctx, 1, 2, day("2026-01-01"), &who, &decided, NULL), PW_OK);
    ck_assert_int_eq(decided, -1);
    ck_assert_int_eq(pt_decision_at(ctx, 1, 1, day("2026-01-01"), &who, &decided, NULL), PW_OK);
    ck_assert_int_eq(decided, PB_DECIDED_NO);
    ck_assert_str_eq(who, "the panel");
    ck_assert_int_eq(pt_decision_at(ctx, 1, 0, day("2026-01-01"), &who, &decided, NULL), PW_OK);
    ck_assert_int_eq(decided, PB_DECIDED_NOTHING);
    ck_assert_str_eq(who, "the committee");
    ck_assert_int_eq(pw_context_reset(ctx, NULL), PW_OK);
    EXPECT(pt_decision_at(ctx, 1, 0, day("2026-01-01"), &who, &decided, err), PW_ERR_FACTS,
           "missing required field `id`");
    ck_assert_int_eq(pw_context_set_int(ctx, "level", 3, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "id", "e", NULL), PW_OK);
    size_t at;
    ck_assert_int_eq(pw_context_add(ctx, "decisions", &at, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "decisions[0].key", "rule", NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_bool(ctx, "decisions[0].accepted", true, NULL), PW_OK);
    ck_assert_int_eq(pt_decision_at(ctx, 1, 0, day("2026-01-01"), &who, &decided, NULL), PW_OK);
    ck_assert_int_eq(decided, PB_DECIDED_YES);

    pw_context_free(copy);
    cJSON_Delete(rec);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* An instruction budget too small for the decisions of a program fails
 * like one too small for its requirements: every budget below what the
 * whole evaluation takes gives the budget's message and no result. */
START_TEST(decision_over_budget)
{
    pw_program *p = compile(DECIDED);
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    static const char facts[] = "{\"id\":\"c\",\"level\":3}";
    ck_assert_int_eq(pw_context_set_json(ctx, facts, strlen(facts), NULL), PW_OK);
    pw_limits lim;
    unsigned budget = 1;
    for (;; budget++) {
        pw_limits_init(&lim);
        lim.max_instructions = budget;
        ck_assert_int_eq(pw_context_set_limits(ctx, &lim, NULL), PW_OK);
        pw_error e;
        pw_status st = pw_evaluate(ctx, 1, day("2026-01-01"), &e);
        if (st == PW_OK)
            break;
        char want[128];
        snprintf(want, sizeof want, ": instruction budget exceeded (%u instructions) (program `b`)", budget);
        ck_assert_int_eq(st, PW_ERR_EVAL);
        ck_assert_msg(strncmp(e.message, "edges.pw:", 9) == 0 && strlen(e.message) > strlen(want) &&
                          strcmp(e.message + strlen(e.message) - strlen(want), want) == 0,
                      "%s", e.message);
        ck_assert_str_eq(e.file, "edges.pw");
        ck_assert_int_eq(pw_result_verdict(ctx, 1), PW_VERDICT_NOT_EVALUATED);
        ck_assert_uint_lt(budget, 1000);
    }
    ck_assert_uint_gt(budget, 1);
    ck_assert_uint_eq(pt_result_awaiting_count(ctx, 1), 1);
    /* pt_decision_at with a budget too small for the decision alone. */
    pw_limits_init(&lim);
    lim.max_instructions = 1;
    ck_assert_int_eq(pw_context_set_limits(ctx, &lim, NULL), PW_OK);
    int decided;
    const char *who;
    EXPECT(pt_decision_at(ctx, 1, 0, day("2026-01-01"), &who, &decided, err), PW_ERR_EVAL,
           "instruction budget exceeded (1 instructions) (program `b`)");
    ck_assert_int_eq(decided, -1);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* A program without requirements: its results are saved and restored
 * (nothing per requirement to copy). */
START_TEST(save_without_requirements)
{
    pw_program *p = compile("facts coach { id: text }\nprogram a \"A\" { }\n");
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, "{\"id\":\"x\"}", 10, NULL), PW_OK);
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2026-01-01"), NULL), PW_OK);
    struct pwi_saved *saved;
    ck_assert_int_eq(pt_context_save(ctx, &saved, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, "{\"id\":\"y\"}", 10, NULL), PW_OK);
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_VERDICT_NOT_EVALUATED);
    pt_context_restore(ctx, saved);
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_ELIGIBLE);
    ck_assert(pw_result_eligible(ctx, 0));
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* pw_evaluate_all stops at the first program that fails (pv_run_all):
 * the programs before it have the new day's results, it has none, and
 * those after it keep the results of their last evaluation, as after
 * pw_evaluate program by program (pathway.h). */
START_TEST(evaluate_all_stops_at_a_failure)
{
    pw_program *p = compile("facts coach { id: text  level: integer }\n"
                            "program a \"A\" {\n  require \"one\": level >= 1\n}\n"
                            "program b \"B\" {\n  require \"big\": level * 1024 * (years since 2000-01-01) > 0\n}\n"
                            "program c \"C\"\n  effective from 2003-01-01\n{\n  require \"one\": level >= 1\n}\n");
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    static const char rec[] = "{\"id\":\"x\",\"level\":4503599627370496}";
    ck_assert_int_eq(pw_context_set_json(ctx, rec, sizeof rec - 1, NULL), PW_OK);
    /* 2001: one year since 2000, no overflow; c not yet in force. */
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2001-06-01"), NULL), PW_OK);
    ck_assert_int_eq(pw_result_verdict(ctx, 1), PW_ELIGIBLE);
    ck_assert_int_eq(pw_result_verdict(ctx, 2), PW_NOT_YET_IN_FORCE);
    /* 2005: five years overflow in b. */
    pw_error e;
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2005-06-01"), &e), PW_ERR_EVAL);
    ck_assert_str_eq(e.message, "edges.pw:6:31: integer overflow in `*` (program `b`)");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_ELIGIBLE);
    ck_assert_int_eq(pw_result_verdict(ctx, 1), PW_VERDICT_NOT_EVALUATED);
    ck_assert_int_eq(pw_result_verdict(ctx, 2), PW_NOT_YET_IN_FORCE); /* 2001's */
    ck_assert_int_eq(pw_result_outcome(ctx, 2, 0), PW_NOT_EVALUATED);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* pt_evaluate_list (pathway eval's one VM call for a line's programs)
 * completes facts set field by field first, as pw_evaluate does: a
 * required field left out is the error, and no program is evaluated. */
START_TEST(evaluate_list_completes_the_facts)
{
    pw_program *p = compile("facts coach { id: text  level: integer }\n"
                            "program a \"A\" {\n  require \"one\": level >= 1\n}\n");
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_text(ctx, "id", "x", NULL), PW_OK);
    size_t progs[] = {0};
    pw_error e;
    ck_assert_int_eq(pt_evaluate_list(ctx, progs, 1, day("2026-01-01"), &e), PW_ERR_FACTS);
    ck_assert_str_eq(e.message, "missing required field `level`");
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_VERDICT_NOT_EVALUATED);
    ck_assert_int_eq(pw_context_set_int(ctx, "level", 2, NULL), PW_OK);
    ck_assert_int_eq(pt_evaluate_list(ctx, progs, 1, day("2026-01-01"), &e), PW_OK);
    ck_assert_int_eq(pw_result_verdict(ctx, 0), PW_ELIGIBLE);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* A runtime error with its place in the rules, and one without (the
 * instruction budget). */
START_TEST(eval_errors_with_and_without_place)
{
    pw_program *p = compile("facts coach { id: text  level: integer }\n"
                            "program a \"A\" {\n  require \"big\": level * 9223372036854775807 > 0\n}\n");
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, "{\"id\":\"x\",\"level\":2}", 20, NULL), PW_OK);
    pw_error e;
    ck_assert_int_eq(pw_evaluate(ctx, 0, day("2026-01-01"), &e), PW_ERR_EVAL);
    ck_assert_str_eq(e.message, "edges.pw:3:24: integer overflow in `*` (program `a`)");
    ck_assert_str_eq(e.file, "edges.pw");
    ck_assert_uint_eq(e.line, 3);
    ck_assert_uint_eq(e.column, 24);
    ck_assert_int_eq(pw_evaluate(ctx, 0, day("2026-01-01"), NULL), PW_ERR_EVAL);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* The image b describes (b is freed), saved and loaded as an embedder
 * loads bytecode: through the loader and the verifier. */
static pw_program *ah_loaded(ah *b)
{
    pb_image *img = ah_image(b);
    free(b);
    uint8_t *bytes;
    size_t len;
    ck_assert(pb_save(img, &bytes, &len));
    pb_image_free(img);
    pw_program *p = NULL;
    pw_error e;
    ck_assert_msg(pw_program_load(bytes, len, &p, &e) == PW_OK, "%s", e.message);
    free(bytes);
    return p;
}

/* Bytecode without a line table (made by hand, not by the compiler): a
 * runtime error has no place in the rules, and the message says only the
 * program. So does one whose line table names a file but line 0 (unknown):
 * no place is made up, and the error's place stays empty. */
static void eval_error_placed(bool line_zero)
{
    ah *b = ah_new();
    ah_str(b, "f.pw");
    ah_record(b, "coach");
    pv_value zero;
    memset(&zero, 0, sizeof zero);
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    uint32_t big = ah_int(b, INT64_MAX), none = ah_int(b, 0);
    uint32_t f = AH_FN(b, "overflow", ah_t(PB_T_BOOL), 0, NULL, 0, 2, {PB_OP_PUSH_INT, big, 0},
                       {PB_OP_PUSH_INT, big, 0}, {PB_OP_ADD_INT, 0, 0}, {PB_OP_PUSH_INT, none, 0},
                       {PB_OP_CMP_INT, PB_GT, 0}, {PB_OP_RET, 0, 0});
    if (line_zero)
        ah_line(b, 0, "f.pw", 0, 0);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "big", f);
    pw_program *p = ah_loaded(b);
    pw_context *ctx;
    pw_error e;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    ck_assert_int_eq(pw_context_set_json(ctx, "{\"id\":\"x\"}", 10, NULL), PW_OK);
    EXPECT(pw_evaluate(ctx, 0, day("2026-01-01"), err), PW_ERR_EVAL, "integer overflow in `+` (program `p`)");
    ck_assert_int_eq(pw_evaluate(ctx, 0, day("2026-01-01"), &e), PW_ERR_EVAL);
    ck_assert_str_eq(e.file, "");
    ck_assert_uint_eq(e.line, 0);
    ck_assert_uint_eq(e.column, 0);
    ck_assert_int_eq(pw_evaluate(ctx, 0, day("2026-01-01"), NULL), PW_ERR_EVAL);
    pw_context_free(ctx);
    pw_program_free(p);
}

START_TEST(eval_error_without_place)
{
    eval_error_placed(false);
    eval_error_placed(true);
}
END_TEST

/* Versions are told apart by their id's text, not its string number: an
 * image not made by the compiler may hold the same id twice. */
START_TEST(versions_by_text)
{
    ah *b = ah_new();
    ah_str(b, "f.pw");
    ah_record(b, "coach");
    pv_value zero;
    memset(&zero, 0, sizeof zero);
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    uint32_t yes = ah_const_fn(b, "yes", true);
    uint32_t first = ah_prog(b, "p");
    b->progs[first].until = day("2026-12-31");
    ah_leaf(b, PB_ROLE_REQUIRE, "x", yes);
    uint32_t second = ah_prog(b, "q");
    b->strs[b->nstrs] = "p"; /* a second string "p", not interned */
    b->progs[second].id = b->nstrs++;
    b->progs[second].from = day("2027-01-01");
    ah_leaf(b, PB_ROLE_REQUIRE, "x", yes);
    ck_assert_uint_ne(b->progs[first].id, b->progs[second].id);
    pw_program *p = ah_loaded(b);
    ck_assert_uint_eq(pw_program_version_at(p, 0, day("2027-06-01")), 1);
    ck_assert_uint_eq(pw_program_version_at(p, 1, day("2026-06-01")), 0);
    ck_assert(pw_program_is_first_version(p, 0));
    ck_assert(!pw_program_is_first_version(p, 1));
    pw_program_free(p);
}
END_TEST

/* ---- the eval line ------------------------------------------------------------ */

/* A rule set without programs: the line has no results. */
START_TEST(format_without_programs)
{
    pw_program *p = compile("facts coach { id: text }\n");
    ck_assert_uint_eq(pw_program_count(p), 0);
    pw_result_format *f;
    EXPECT(pw_result_format_new(p, day("2026-02-03"), NULL, 0, &f, err), PW_OK, "");
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    char buf[128];
    size_t n = pw_result_format_json(f, ctx, "x", buf, sizeof buf);
    ck_assert_str_eq(buf, "{\"id\":\"x\",\"as_of\":\"2026-02-03\",\"results\":[]}\n");
    ck_assert_uint_eq(n, strlen(buf));
    pw_result_format_free(f);
    pw_context_free(ctx);
    pw_program_free(p);
}
END_TEST

/* ---- versions ------------------------------------------------------------------ */

/* Before every version, the earliest comes next, whatever the order they
 * were declared in. */
START_TEST(version_at_before_all)
{
    static const char *const orders[2] = {
        "facts coach { id: text }\n"
        "program a \"A\" effective from 2028-01-01 until 2028-12-31 { require \"x\": true }\n"
        "program a \"A\" effective from 2029-01-01 { require \"x\": true }\n",
        "facts coach { id: text }\n"
        "program a \"A\" effective from 2029-01-01 { require \"x\": true }\n"
        "program a \"A\" effective from 2028-01-01 until 2028-12-31 { require \"x\": true }\n",
    };
    for (int k = 0; k < 2; k++) {
        pw_program *p = compile(orders[k]);
        size_t v = pw_program_version_at(p, 0, day("2020-01-01"));
        pw_date from, until;
        pw_program_period(p, v, &from, &until);
        ck_assert_int_eq(from, day("2028-01-01"));
        pw_program_free(p);
    }
}
END_TEST

/* ---- the fingerprint ----------------------------------------------------------- */

static uint64_t fingerprint(const pw_program *p, size_t req)
{
    uint64_t fp = 0;
    ck_assert_int_eq(pw_requirement_fingerprint(p, 0, req, &fp, NULL), PW_OK);
    return fp;
}

/* Number constants and loops over sets are part of what a condition
 * computes; so is each of many loops in one condition. */
START_TEST(fingerprint_numbers_sets_many_loops)
{
    static const char facts[] = "record c { id: text }\n"
                                "facts coach { id: text  hours: number = 0  roles: set of text = []  cs: list of c = [] }\n";
    char text[4096];
    snprintf(text, sizeof text, "%sprogram a \"A\" {\n  require \"h\": hours >= 1.5\n"
                                "  require \"r\": any r in roles where r = \"lead\"\n}\n", facts);
    pw_program *p = compile(text);
    snprintf(text, sizeof text, "%sprogram a \"A\" {\n  require \"h\": hours >= 2.5\n"
                                "  require \"r\": any r in roles where r = \"aide\"\n}\n", facts);
    pw_program *q = compile(text);
    snprintf(text, sizeof text, "%sprogram z \"Z\" { require \"q\": hours >= 9.25 }\n"
                                "program a \"A\" {\n  require \"h\": hours >= 1.5\n"
                                "  require \"r\": any r in roles where r = \"lead\"\n}\n", facts);
    pw_program *r = compile(text);
    ck_assert(fingerprint(p, 0) != fingerprint(q, 0));
    ck_assert(fingerprint(p, 1) != fingerprint(q, 1));
    size_t a;
    ck_assert_int_eq(pw_program_find(r, "a", &a, NULL), PW_OK);
    uint64_t fr0, fr1;
    ck_assert_int_eq(pw_requirement_fingerprint(r, a, 0, &fr0, NULL), PW_OK);
    ck_assert_int_eq(pw_requirement_fingerprint(r, a, 1, &fr1, NULL), PW_OK);
    ck_assert(fingerprint(p, 0) == fr0);
    ck_assert(fingerprint(p, 1) == fr1);

    /* Ten keyed loops in one condition: more than the fingerprint keeps
     * iterators for; each key still names its field. */
    int at = snprintf(text, sizeof text, "%sprogram a \"A\" {\n  require \"many\": ", facts);
    for (int i = 0; i < 10; i++)
        at += snprintf(text + at, sizeof text - (size_t)at, "%sany x in cs where x.id = \"k%d\"",
                       i ? " and " : "", i);
    snprintf(text + at, sizeof text - (size_t)at, "\n}\n");
    pw_program *m = compile(text);
    text[at - 2] = 'z';
    pw_program *m2 = compile(text);
    ck_assert(fingerprint(m, 0) != fingerprint(m2, 0));
    ck_assert(fingerprint(m, 0) == fingerprint(m, 0));
    pw_program_free(m);
    pw_program_free(m2);

    /* Who decides is part of a decided requirement's meaning. */
    static const char dec[] = "record decision { key: text  accepted: boolean }\n"
                              "facts coach { id: text  decisions: list of decision = [] }\n";
    snprintf(text, sizeof text, "%sprogram a \"A\" {\n  require \"r\": decided by \"the board\"\n}\n", dec);
    pw_program *d1 = compile(text);
    snprintf(text, sizeof text, "%sprogram a \"A\" {\n  require \"r\": decided by \"the panel\"\n}\n", dec);
    pw_program *d2 = compile(text);
    snprintf(text, sizeof text,
             "%sprogram z \"Z\" { require \"q\": decided by \"x\" }\n"
             "program a \"A\" {\n  require \"r\": decided by \"the board\"\n}\n", dec);
    pw_program *d3 = compile(text);
    ck_assert(fingerprint(d1, 0) != fingerprint(d2, 0));
    ck_assert_int_eq(pw_program_find(d3, "a", &a, NULL), PW_OK);
    ck_assert_int_eq(pw_requirement_fingerprint(d3, a, 0, &fr0, NULL), PW_OK);
    ck_assert(fingerprint(d1, 0) == fr0);
    pw_program_free(d1);
    pw_program_free(d2);
    pw_program_free(d3);
    pw_program_free(p);
    pw_program_free(q);
    pw_program_free(r);
}
END_TEST

/* A keyed loop in an image made by hand: its key names the older of two
 * iterators (found a step back), or one set up more than FP_ITERS (8)
 * iterators before (no longer known: hashed by the field's index). The
 * record's fields are given in either order. */
static pw_program *keyed_image(bool swapped, unsigned between)
{
    ah *b = ah_new();
    ah_str(b, "f.pw");
    pv_value zero;
    memset(&zero, 0, sizeof zero);
    ah_record(b, "coach");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    ah_field(b, "certs", ah_list(1), PB_DEF_EMPTY, zero);
    ah_record(b, "cert");
    ah_field(b, swapped ? "kind" : "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    ah_field(b, swapped ? "id" : "kind", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    uint32_t list = pb_type_pack(ah_list(1));
    ah_func(b, "keyed", ah_t(PB_T_BOOL), 0, NULL, 3 * (between + 1), 1);
    ah_emit(b, PB_OP_LOAD_FACT, 1, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, list);
    for (unsigned k = 1; k <= between; k++) {
        ah_emit(b, PB_OP_LOAD_FACT, 1, 0);
        ah_emit(b, PB_OP_ITER_INIT, 3 * k, list);
    }
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "x"), 0);
    ah_emit(b, PB_OP_ITER_KEY, 0, swapped ? 1 : 0);
    uint32_t head = ah_emit(b, PB_OP_ITER_FIND, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_patch(b, ah_emit(b, PB_OP_LOOP, 0, 0), head);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    uint32_t f = ah_end(b);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "x", f);
    return ah_loaded(b);
}

/* A function whose result is an element (the verifier allows it; the
 * compiler makes none): `same(c) = c`, called on each certificate before
 * its issue date is read. Its record is named like a list's, by name: the
 * records in another order (named, cert_name) give the same fingerprint. */
static pw_program *element_image(bool swapped, const char *cert_name)
{
    ah *b = ah_new();
    ah_str(b, "f.pw");
    pv_value zero;
    memset(&zero, 0, sizeof zero);
    uint32_t rec_cert = swapped ? 2 : 1;
    ah_record(b, "coach");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    ah_field(b, "certs", ah_list(rec_cert), PB_DEF_EMPTY, zero);
    for (uint32_t r = 1; r <= 2; r++) {
        if (r == rec_cert) {
            ah_record(b, cert_name);
            ah_field(b, "issued", ah_t(PB_T_DATE), PB_DEF_REQUIRED, zero);
        } else {
            ah_record(b, "other");
            ah_field(b, "n", ah_t(PB_T_INT), PB_DEF_REQUIRED, zero);
        }
    }
    pb_type p[1] = {ah_elem(rec_cert)};
    uint32_t same = AH_FN(b, "same", ah_elem(rec_cert), 1, p, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0}, {PB_OP_RET, 0, 0});
    uint32_t issued = AH_FN(b, "issued", ah_t(PB_T_DATE), 1, p, 1, 1, {PB_OP_LOAD_LOCAL, 0, 0},
                            {PB_OP_LOAD_FIELD, rec_cert, 0}, {PB_OP_RET, 0, 0});
    ah_func(b, "any_issued_before", ah_t(PB_T_BOOL), 0, NULL, 2, 2);
    ah_emit(b, PB_OP_LOAD_FACT, 1, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, pb_type_pack(ah_list(rec_cert)));
    uint32_t head = ah_emit(b, PB_OP_ITER_NEXT, 0, 0);
    ah_emit(b, PB_OP_CALL, same, 0);
    ah_emit(b, PB_OP_CALL, issued, 0);
    ah_emit(b, PB_OP_PUSH_TODAY, 0, 0);
    ah_emit(b, PB_OP_CMP_DATE, PB_LT, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_FALSE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    uint32_t f = ah_end(b);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "x", f);
    return ah_loaded(b);
}

START_TEST(fingerprint_element_result)
{
    pw_program *a = element_image(false, "cert"), *b = element_image(true, "cert");
    pw_program *c = element_image(false, "permit");
    ck_assert(fingerprint(a, 0) == fingerprint(b, 0));
    ck_assert(fingerprint(a, 0) != fingerprint(c, 0));
    /* It runs, too: a certificate issued before the day. */
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(a, &ctx, NULL), PW_OK);
    static const char facts[] = "{\"id\":\"x\",\"certs\":[{\"issued\":\"2020-01-01\"}]}";
    ck_assert_int_eq(pw_context_set_json(ctx, facts, strlen(facts), NULL), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, day("2026-01-01"), NULL), PW_OK);
    ck_assert(pw_result_eligible(ctx, 0));
    pw_context_free(ctx);
    pw_program_free(a);
    pw_program_free(b);
    pw_program_free(c);
}
END_TEST

/* A requirement with no function at all: a group with no members, in an
 * image made by hand (the compiler makes none). Its fingerprint is its
 * kind and count, the same each time and whatever its own label (a
 * requirement's label is its name, not its meaning); "all of none" and
 * "any of none" differ. */
static pw_program *empty_group_image(pb_req_kind kind, const char *label)
{
    ah *b = ah_new();
    ah_str(b, "f.pw");
    pv_value zero;
    memset(&zero, 0, sizeof zero);
    ah_record(b, "coach");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    ah_prog(b, "p");
    ah_open(b, kind, PB_ROLE_REQUIRE, label, 0);
    ah_close(b);
    return ah_loaded(b);
}

START_TEST(fingerprint_without_functions)
{
    pw_program *a = empty_group_image(PB_R_ALL, "g"), *b = empty_group_image(PB_R_ALL, "h");
    pw_program *c = empty_group_image(PB_R_ANY, "g");
    ck_assert_uint_eq(pw_program_count(a), 1);
    ck_assert_uint_eq(pw_requirement_count(a, 0), 1);
    ck_assert(fingerprint(a, 0) == fingerprint(a, 0));
    ck_assert(fingerprint(a, 0) == fingerprint(b, 0));
    ck_assert(fingerprint(a, 0) != fingerprint(c, 0));
    pw_program_free(a);
    pw_program_free(b);
    pw_program_free(c);
}
END_TEST

/* A key whose iterator the fingerprint takes for the wrong one: the code
 * sets iterator 0 up over `certs` (two fields), then, when the flag is
 * false, over `tags` (one field) and returns; the key below runs only on
 * the first, but `tags` is the set-up written last before it. Its field 1
 * is then out of range for the record the fingerprint believes: hashed as
 * unknown, never read from past the record's fields. */
static pw_program *misread_key_image(uint32_t field)
{
    ah *b = ah_new();
    ah_str(b, "f.pw");
    pv_value zero;
    memset(&zero, 0, sizeof zero);
    ah_record(b, "coach");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    ah_field(b, "certs", ah_list(1), PB_DEF_EMPTY, zero);
    ah_field(b, "tags", ah_list(2), PB_DEF_EMPTY, zero);
    ah_field(b, "flag", ah_t(PB_T_BOOL), PB_DEF_VALUE, zero);
    ah_record(b, "cert");
    ah_field(b, "id", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    ah_field(b, "kind", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    ah_record(b, "tag");
    ah_field(b, "t", ah_t(PB_T_TEXT), PB_DEF_REQUIRED, zero);
    ah_func(b, "keyed", ah_t(PB_T_BOOL), 0, NULL, 3, 2);
    ah_emit(b, PB_OP_LOAD_FACT, 1, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, pb_type_pack(ah_list(1)));
    ah_emit(b, PB_OP_LOAD_FACT, 3, 0);
    uint32_t skip = ah_emit(b, PB_OP_JUMP_TRUE, 0, 0);
    ah_emit(b, PB_OP_LOAD_FACT, 2, 0);
    ah_emit(b, PB_OP_ITER_INIT, 0, pb_type_pack(ah_list(2)));
    ah_emit(b, PB_OP_PUSH_FALSE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_patch(b, skip, b->ncode);
    ah_emit(b, PB_OP_PUSH_STR, ah_str(b, "x"), 0);
    ah_emit(b, PB_OP_ITER_KEY, 0, field);
    uint32_t head = ah_emit(b, PB_OP_ITER_FIND, 0, 0);
    ah_emit(b, PB_OP_POP, 0, 0);
    ah_emit(b, PB_OP_PUSH_TRUE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    ah_patch(b, head, b->ncode);
    ah_emit(b, PB_OP_PUSH_FALSE, 0, 0);
    ah_emit(b, PB_OP_RET, 0, 0);
    uint32_t f = ah_end(b);
    ah_prog(b, "p");
    ah_leaf(b, PB_ROLE_REQUIRE, "x", f);
    return ah_loaded(b);
}

START_TEST(fingerprint_key_out_of_range)
{
    pw_program *id = misread_key_image(0), *kind = misread_key_image(1), *kind2 = misread_key_image(1);
    ck_assert(fingerprint(kind, 0) == fingerprint(kind2, 0));
    ck_assert(fingerprint(kind, 0) != fingerprint(id, 0));
    /* The key is cert's `kind` when it runs. */
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(kind, &ctx, NULL), PW_OK);
    static const char facts[] = "{\"id\":\"c\",\"flag\":true,\"certs\":[{\"id\":\"a\",\"kind\":\"x\"}]}";
    ck_assert_int_eq(pw_context_set_json(ctx, facts, strlen(facts), NULL), PW_OK);
    ck_assert_int_eq(pw_evaluate(ctx, 0, day("2026-01-01"), NULL), PW_OK);
    ck_assert(pw_result_eligible(ctx, 0));
    pw_context_free(ctx);
    pw_program_free(id);
    pw_program_free(kind);
    pw_program_free(kind2);
}
END_TEST

START_TEST(fingerprint_hand_made_keys)
{
    /* One iterator between: the key's field is still named. */
    pw_program *a = keyed_image(false, 1), *b = keyed_image(true, 1);
    ck_assert(fingerprint(a, 0) == fingerprint(b, 0));
    pw_program_free(a);
    pw_program_free(b);
    /* Eight between: the key's iterator has dropped out, its field is a
     * number, and the same condition looks different. */
    a = keyed_image(false, 8);
    b = keyed_image(true, 8);
    ck_assert(fingerprint(a, 0) != fingerprint(b, 0));
    pw_program_free(a);
    pw_program_free(b);
}
END_TEST

/* ---- compiled rules ----------------------------------------------------------- */

static int native_calls;

static void native_fallback(pw_native_run *run)
{
    native_calls++;
    /* Gives up on the program (the rule set has one): the VM evaluates it. */
    run->fallback[0] = 1;
}

START_TEST(use_native_checks)
{
    pw_program *p = compile(SMALL);
    uint64_t hash;
    ck_assert(pn_image_hash(pt_program_image(p), &hash));
    pw_native n = {PW_NATIVE_ABI, 1, 1, hash, 0, native_fallback};
    EXPECT(pw_program_use_native(NULL, &n, err), PW_ERR_USAGE, "pw_program_use_native: NULL program");
    pw_native bad = n;
    bad.abi = PW_NATIVE_ABI + 1;
    char want[512];
    snprintf(want, sizeof want,
             "the compiled rule set was generated for native interface %u; this library has %u (generate it "
             "again with this release's `pathway compile --emit c`)",
             PW_NATIVE_ABI + 1, PW_NATIVE_ABI);
    EXPECT(pw_program_use_native(p, &bad, err), PW_ERR_USAGE, want);
    bad = n;
    bad.entry = NULL;
    snprintf(want, sizeof want,
             "the compiled rule set was generated for native interface %u; this library has %u (generate it "
             "again with this release's `pathway compile --emit c`)",
             PW_NATIVE_ABI, PW_NATIVE_ABI);
    EXPECT(pw_program_use_native(p, &bad, err), PW_ERR_USAGE, want);
    for (int k = 0; k < 3; k++) {
        bad = n;
        if (k == 0)
            bad.nprogs = 2;
        else if (k == 1)
            bad.nreqs = 2;
        else
            bad.image_hash = hash ^ 1;
        snprintf(want, sizeof want,
                 "the compiled rule set was generated from other rules (%u programs, %u requirements, image "
                 "%016llx) than this program (1 programs, 1 requirements, image %016llx): generate it again "
                 "from the same rules",
                 bad.nprogs, bad.nreqs, (unsigned long long)bad.image_hash, (unsigned long long)hash);
        EXPECT(pw_program_use_native(p, &bad, err), PW_ERR_USAGE, want);
    }
    EXPECT(pw_program_use_native(p, &n, err), PW_OK, "");
    /* The entry gives up: the VM's results, as without it. */
    pw_context *ctx;
    ck_assert_int_eq(pw_context_new(p, &ctx, NULL), PW_OK);
    static const char facts[] = "{\"id\":\"c\",\"level\":1}";
    char *line;
    ck_assert_int_eq(pw_eval_json_alloc(ctx, facts, strlen(facts), day("2026-01-01"), &line, NULL, NULL), PW_OK);
    ck_assert_str_eq(line, "{\"id\":\"c\",\"as_of\":\"2026-01-01\",\"results\":[{\"program\":\"a\",\"eligible\":true,"
                           "\"unmet\":[],\"preferred_unmet\":[]}]}\n");
    pw_free(line);
    ck_assert_int_eq(native_calls, 1);
    /* A tool noting the VM's day windows gets the VM's runs, not the
     * compiled code's. */
    struct pv_state *vm = pt_context_vm(ctx);
    pv_window_open(vm);
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2026-01-01"), NULL), PW_OK);
    pv_window_close(vm);
    ck_assert_int_eq(native_calls, 1);
    ck_assert(pw_result_eligible(ctx, 0));
    ck_assert_int_eq(pw_evaluate_all(ctx, day("2026-01-01"), NULL), PW_OK);
    ck_assert_int_eq(native_calls, 2);
    pw_context_free(ctx);
    EXPECT(pw_program_use_native(p, NULL, err), PW_OK, "");
    pw_program_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api_edges");
    TCase *tc = tcase_create("api_edges");
    tcase_add_checked_fixture(tc, tmp_up, tmp_down);
    tcase_add_test(tc, open_decides_by_name_and_magic);
    tcase_add_test(tc, open_stdin_and_short_names);
    tcase_add_test(tc, open_options_limits_and_short_files);
    tcase_add_test(tc, compile_error_without_pw_error);
    tcase_add_test(tc, include_not_rule_source);
    tcase_add_test(tc, include_too_large);
    tcase_add_test(tc, tools_copy_save_restore);
    tcase_add_test(tc, decision_over_budget);
    tcase_add_test(tc, save_without_requirements);
    tcase_add_test(tc, eval_errors_with_and_without_place);
    tcase_add_test(tc, evaluate_all_stops_at_a_failure);
    tcase_add_test(tc, evaluate_list_completes_the_facts);
    tcase_add_test(tc, eval_error_without_place);
    tcase_add_test(tc, versions_by_text);
    tcase_add_test(tc, format_without_programs);
    tcase_add_test(tc, version_at_before_all);
    tcase_add_test(tc, fingerprint_numbers_sets_many_loops);
    tcase_add_test(tc, fingerprint_hand_made_keys);
    tcase_add_test(tc, fingerprint_element_result);
    tcase_add_test(tc, fingerprint_without_functions);
    tcase_add_test(tc, fingerprint_key_out_of_range);
    tcase_add_test(tc, use_native_checks);
    suite_add_tcase(s, tc);
    return pw_run_suite(s);
}
