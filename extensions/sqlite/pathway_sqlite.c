/* extensions/sqlite/pathway_sqlite.c: the entry point and the scalar
 * functions of the SQLite extension (docs/sqlite.md).
 *
 *   pathway_eval(rules, coach_json, as_of)              the eval line (JSON)
 *   pathway_eligible(rules, coach_json, program, as_of) 0 or 1
 *   pathway_cache_stats()                               the connection's cache
 *   pathway_version()                                   the library's version
 *
 * The table-valued pathway_results is in results.c, the cache in cache.c. */
#include <limits.h>
#include <string.h>

#include "pws.h"

/* The one pointer every loadable extension has: SQLite's API table, the same
 * for every connection, set by the entry point below. */
SQLITE_EXTENSION_INIT1

#define PWS_EXPORT __attribute__((visibility("default")))

/* One call's shared arguments: the rule set and the coach's JSON. */
typedef struct pws_call {
    pws_entry *rules;
    int fresh;           /* rules came from the cache, not the statement */
    const char *json;
    size_t len;
    pw_date as_of;
} pws_call;

/* Reports an error as "FUNCTION: message" and frees msg. */
static void pws_fail(sqlite3_context *f, const char *fn, int rc, char *msg)
{
    if (rc == SQLITE_NOMEM && !msg) {
        sqlite3_result_error_nomem(f);
        return;
    }
    char *text = sqlite3_mprintf("%s: %s", fn, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    if (!text) {
        sqlite3_result_error_nomem(f);
        return;
    }
    sqlite3_result_error(f, text, -1);
    sqlite3_free(text);
}

/* The rule set of argument 0: the one this statement already holds when the
 * argument is a constant (a literal or a bound parameter), else the cache's. */
static int pws_rules_arg(sqlite3_context *f, sqlite3_value *v, pws_call *c, char **msg)
{
    c->rules = sqlite3_get_auxdata(f, 0);
    c->fresh = 0;
    if (c->rules)
        return SQLITE_OK;
    int rc = pws_rules(sqlite3_user_data(f), v, &c->rules, msg);
    c->fresh = rc == SQLITE_OK;
    return rc;
}

/* Hands the call's reference to the statement, which keeps the rule set
 * while the argument stays the same. Last in a call: SQLite may release it
 * at once. */
static void pws_call_end(sqlite3_context *f, pws_call *c)
{
    if (c->fresh)
        sqlite3_set_auxdata(f, 0, c->rules, pws_entry_release);
}

/* Reads rules, coach and as_of. Returns 0 when the result is already set:
 * NULL for a NULL rule set or coach, or an error. */
static int pws_call_begin(sqlite3_context *f, const char *fn, sqlite3_value *rules,
                          sqlite3_value *coach, sqlite3_value *as_of, pws_call *c)
{
    if (sqlite3_value_type(rules) == SQLITE_NULL || sqlite3_value_type(coach) == SQLITE_NULL) {
        sqlite3_result_null(f);
        return 0;
    }
    char *msg = NULL;
    int rc = pws_as_of(as_of, &c->as_of, &msg);
    if (rc == SQLITE_OK && !pws_is_text(coach)) {
        msg = sqlite3_mprintf("coach_json must be a JSON object as text");
        rc = SQLITE_MISMATCH;
    }
    if (rc == SQLITE_OK) {
        c->json = (const char *)sqlite3_value_text(coach);
        c->len = (size_t)sqlite3_value_bytes(coach);
        if (!c->json)
            rc = SQLITE_NOMEM;
    }
    if (rc == SQLITE_OK)
        rc = pws_rules_arg(f, rules, c, &msg);
    if (rc != SQLITE_OK) {
        pws_fail(f, fn, rc, msg);
        return 0;
    }
    return 1;
}

static void pws_fail_pw(sqlite3_context *f, const char *fn, pw_status s, const pw_error *err)
{
    if (s == PW_ERR_NOMEM)
        sqlite3_result_error_nomem(f);
    else
        pws_fail(f, fn, SQLITE_ERROR, sqlite3_mprintf("%s", err->message));
}

/* pathway_eval(rules, coach_json, as_of): what `pathway eval` prints for the
 * coach, without the newline. */
static void pws_fn_eval(sqlite3_context *f, int argc, sqlite3_value **argv)
{
    (void)argc;
    pws_call c;
    if (!pws_call_begin(f, "pathway_eval", argv[0], argv[1], argv[2], &c))
        return;
    pw_error err;
    char *line = NULL;
    size_t n = 0;
    pw_status s = pw_eval_json_alloc(c.rules->ctx, c.json, c.len, c.as_of, &line, &n, &err);
    if (s != PW_OK) {
        pws_fail_pw(f, "pathway_eval", s, &err);
    } else {
        if (n > 0 && line[n - 1] == '\n')
            n--;
        if (n > INT_MAX) {
            pw_free(line);
            sqlite3_result_error_toobig(f);
        } else {
            sqlite3_result_text(f, line, (int)n, pw_free);
        }
    }
    pws_call_end(f, &c);
}

/* The version of program `id` applying on the date, evaluated on the coach. */
static pw_status pws_eligible(pws_call *c, const char *id, int *out, pw_error *err)
{
    const pw_program *prog = c->rules->prog;
    size_t p;
    pw_status s = pw_program_find(prog, id, &p, err);
    if (s != PW_OK)
        return s;
    p = pw_program_version_at(prog, p, c->as_of);
    s = pw_context_set_json(c->rules->ctx, c->json, c->len, err);
    if (s == PW_OK)
        s = pw_evaluate(c->rules->ctx, p, c->as_of, err);
    if (s == PW_OK)
        *out = pw_result_eligible(c->rules->ctx, p);
    return s;
}

/* pathway_eligible(rules, coach_json, program, as_of): 1 when the coach may
 * enrol in the program on the date, else 0. */
static void pws_fn_eligible(sqlite3_context *f, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *id = (const char *)sqlite3_value_text(argv[2]);
    if (sqlite3_value_type(argv[2]) == SQLITE_NULL || !id) {
        sqlite3_result_null(f);
        return;
    }
    pws_call c;
    if (!pws_call_begin(f, "pathway_eligible", argv[0], argv[1], argv[3], &c))
        return;
    pw_error err;
    int eligible = 0;
    pw_status s = pws_eligible(&c, id, &eligible, &err);
    if (s != PW_OK)
        pws_fail_pw(f, "pathway_eligible", s, &err);
    else
        sqlite3_result_int(f, eligible);
    pws_call_end(f, &c);
}

/* pathway_cache_stats(): {"programs":N,"loads":N,"hits":N} for this
 * connection; `loads` counts rule sets compiled or loaded. */
static void pws_fn_cache_stats(sqlite3_context *f, int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    char *json = pws_cache_stats(sqlite3_user_data(f));
    if (!json)
        sqlite3_result_error_nomem(f);
    else
        sqlite3_result_text(f, json, -1, sqlite3_free);
}

static void pws_fn_version(sqlite3_context *f, int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    sqlite3_result_text(f, pw_version(), -1, SQLITE_STATIC);
}

/* Not SQLITE_DETERMINISTIC: as_of NULL is today, and a path's file may
 * change. Not SQLITE_INNOCUOUS: a path reads a file, so with
 * PRAGMA trusted_schema=OFF a database's views and triggers cannot call them
 * (docs/sqlite.md, "Flags"). */
#define PWS_READS_RULES SQLITE_UTF8

int pws_register_functions(sqlite3 *db, pws_state *st)
{
    static const struct {
        const char *name;
        int nargs, flags;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {
        {"pathway_eval", 3, PWS_READS_RULES, pws_fn_eval},
        {"pathway_eligible", 4, PWS_READS_RULES, pws_fn_eligible},
        {"pathway_cache_stats", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, pws_fn_cache_stats},
        {"pathway_version", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, pws_fn_version},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        st->refs++; /* released by SQLite through pws_state_release, even on failure */
        int rc = sqlite3_create_function_v2(db, fns[i].name, fns[i].nargs, fns[i].flags, st,
                                            fns[i].fn, NULL, NULL, pws_state_release);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

PWS_EXPORT int sqlite3_pathway_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    pws_state *st = sqlite3_malloc(sizeof *st);
    if (!st)
        return SQLITE_NOMEM;
    memset(st, 0, sizeof *st);
    st->refs = 1; /* this function's, until the registrations hold theirs */
    int rc = pws_register_functions(db, st);
    if (rc == SQLITE_OK)
        rc = pws_register_results(db, st);
    if (rc != SQLITE_OK && err)
        *err = sqlite3_mprintf("pathway: cannot register its functions: %s", sqlite3_errstr(rc));
    pws_state_release(st);
    return rc;
}

/* The name SQLite derives from the file name libpathway_sqlite.so, so that
 * `.load libpathway_sqlite` needs no entry point. */
PWS_EXPORT int sqlite3_pathwaysqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    return sqlite3_pathway_init(db, err, api);
}
