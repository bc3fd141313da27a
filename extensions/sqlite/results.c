/* extensions/sqlite/results.c: pathway_results(rules, coach_json, as_of), a
 * table-valued function with one row per program (docs/sqlite.md):
 *
 *   program, title, eligible, status, unmet, preferred_unmet
 *
 * unmet and preferred_unmet are JSON arrays of labels. The cursor copies a
 * coach's results when it starts, so another call on the same rules (in the
 * same row, or a cursor nested in a join) cannot change rows already made. */
#include <string.h>

#include "pws.h"

enum { PWS_COL_PROGRAM, PWS_COL_TITLE, PWS_COL_ELIGIBLE, PWS_COL_STATUS, PWS_COL_UNMET,
       PWS_COL_PREFERRED, PWS_COL_RULES, PWS_COL_COACH, PWS_COL_AS_OF };

/* idxNum's bits: which arguments xFilter gets, in this order. */
enum { PWS_ARG_RULES = 1, PWS_ARG_COACH = 2, PWS_ARG_AS_OF = 4 };

typedef struct pws_vtab {
    sqlite3_vtab base;
    pws_state *st;
} pws_vtab;

typedef struct pws_row {
    const char *program, *title; /* lifetime: the cursor's entry */
    int eligible;
    const char *status;
    char *unmet, *preferred;     /* sqlite3_malloc'd JSON arrays */
} pws_row;

typedef struct pws_cursor {
    sqlite3_vtab_cursor base;
    pws_entry *rules;            /* a reference while rows point into it */
    pws_row *rows;
    size_t nrows, at;
} pws_cursor;

static int pws_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                       sqlite3_vtab **out, char **err)
{
    (void)argc, (void)argv, (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(program TEXT, title TEXT, eligible INTEGER,"
                                      " status TEXT, unmet TEXT, preferred_unmet TEXT,"
                                      " rules HIDDEN, coach HIDDEN, as_of HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    pws_vtab *vt = sqlite3_malloc(sizeof *vt);
    if (!vt)
        return SQLITE_NOMEM;
    memset(vt, 0, sizeof *vt);
    vt->st = aux;
    *out = &vt->base;
    return SQLITE_OK;
}

static int pws_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

/* Needs rules and coach as equality constraints; as_of is optional. A plan
 * where either is not usable (it comes from a table joined later) is refused
 * with SQLITE_CONSTRAINT, so that SQLite orders the join the other way. */
static int pws_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    int where[3] = {-1, -1, -1}, seen = 0, unusable = 0;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn < PWS_COL_RULES || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        int arg = c->iColumn - PWS_COL_RULES;
        seen |= 1 << arg;
        if (!c->usable)
            unusable |= 1 << arg;
        else
            where[arg] = i;
    }
    if ((seen & (PWS_ARG_RULES | PWS_ARG_COACH)) != (PWS_ARG_RULES | PWS_ARG_COACH)) {
        sqlite3_free(vt->zErrMsg);
        vt->zErrMsg = sqlite3_mprintf("pathway_results needs its arguments: "
                                      "pathway_results(rules, coach_json[, as_of])");
        return SQLITE_ERROR;
    }
    if (unusable & (PWS_ARG_RULES | PWS_ARG_COACH))
        return SQLITE_CONSTRAINT;
    int n = 0, mask = 0;
    for (int arg = 0; arg < 3; arg++) {
        if (where[arg] < 0)
            continue;
        info->aConstraintUsage[where[arg]].argvIndex = ++n;
        info->aConstraintUsage[where[arg]].omit = 1;
        mask |= 1 << arg;
    }
    info->idxNum = mask;
    info->estimatedCost = 100;
    info->estimatedRows = 20;
    return SQLITE_OK;
}

static int pws_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    (void)vt;
    pws_cursor *cur = sqlite3_malloc(sizeof *cur);
    if (!cur)
        return SQLITE_NOMEM;
    memset(cur, 0, sizeof *cur);
    *out = &cur->base;
    return SQLITE_OK;
}

static void pws_cursor_clear(pws_cursor *cur)
{
    for (size_t i = 0; i < cur->nrows; i++) {
        sqlite3_free(cur->rows[i].unmet);
        sqlite3_free(cur->rows[i].preferred);
    }
    sqlite3_free(cur->rows);
    cur->rows = NULL;
    cur->nrows = cur->at = 0;
    pws_entry_release(cur->rules);
    cur->rules = NULL;
}

static int pws_close(sqlite3_vtab_cursor *base)
{
    pws_cursor *cur = (pws_cursor *)base;
    pws_cursor_clear(cur);
    sqlite3_free(cur);
    return SQLITE_OK;
}

/* Appends s as a JSON string. */
static void pws_json_string(sqlite3_str *out, const char *s)
{
    sqlite3_str_appendchar(out, 1, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            sqlite3_str_appendf(out, "\\%c", ch);
        else if (ch < 0x20)
            sqlite3_str_appendf(out, "\\u%04x", ch);
        else
            sqlite3_str_appendchar(out, 1, (char)ch);
    }
    sqlite3_str_appendchar(out, 1, '"');
}

/* The labels as a JSON array ("[]" for none); NULL when out of memory. */
static char *pws_json_labels(const pw_context *ctx, size_t p,
                             size_t (*count)(const pw_context *, size_t),
                             const char *(*label)(const pw_context *, size_t, size_t))
{
    sqlite3_str *out = sqlite3_str_new(NULL);
    sqlite3_str_appendchar(out, 1, '[');
    size_t n = count(ctx, p);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sqlite3_str_appendchar(out, 1, ',');
        const char *l = label(ctx, p, i);
        pws_json_string(out, l ? l : "");
    }
    sqlite3_str_appendchar(out, 1, ']');
    return sqlite3_str_finish(out);
}

static const char *pws_status_text(pw_verdict v)
{
    switch (v) {
    case PW_ELIGIBLE: return "eligible";
    case PW_NOT_ELIGIBLE: return "not_eligible";
    case PW_NOT_YET_IN_FORCE: return "not_yet_in_force";
    case PW_WITHDRAWN: return "withdrawn";
    default: return "not_evaluated";
    }
}

/* Evaluates version p and copies its results into row. */
static int pws_make_row(pws_entry *e, size_t p, pw_date as_of, pws_row *row, pw_error *err)
{
    pw_status s = pw_evaluate(e->ctx, p, as_of, err);
    if (s != PW_OK)
        return s == PW_ERR_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    row->program = pw_program_id(e->prog, p);
    row->title = pw_program_title(e->prog, p);
    row->eligible = pw_result_eligible(e->ctx, p);
    row->status = pws_status_text(pw_result_verdict(e->ctx, p));
    row->unmet = pws_json_labels(e->ctx, p, pw_result_unmet_count, pw_result_unmet_label);
    row->preferred = pws_json_labels(e->ctx, p, pw_result_preferred_unmet_count,
                                     pw_result_preferred_unmet_label);
    return row->unmet && row->preferred ? SQLITE_OK : SQLITE_NOMEM;
}

/* One row per program, in declaration order: the version applying on the
 * date, as `pathway eval` writes them. */
static int pws_make_rows(pws_cursor *cur, const char *json, size_t len, pw_date as_of,
                         pw_error *err)
{
    pws_entry *e = cur->rules;
    size_t count = pw_program_count(e->prog);
    cur->rows = sqlite3_malloc64(sizeof *cur->rows * (count ? count : 1));
    if (!cur->rows)
        return SQLITE_NOMEM;
    pw_status s = pw_context_set_json(e->ctx, json, len, err);
    if (s != PW_OK)
        return s == PW_ERR_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    for (size_t p = 0; p < count; p++) {
        if (!pw_program_is_first_version(e->prog, p))
            continue;
        pws_row *row = &cur->rows[cur->nrows++];
        memset(row, 0, sizeof *row);
        int rc = pws_make_row(e, pw_program_version_at(e->prog, p, as_of), as_of, row, err);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int pws_cursor_fail(pws_cursor *cur, int rc, char *msg)
{
    sqlite3_vtab *vt = cur->base.pVtab;
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = msg ? sqlite3_mprintf("pathway_results: %s", msg) : NULL;
    sqlite3_free(msg);
    pws_cursor_clear(cur);
    return rc;
}

static int pws_filter(sqlite3_vtab_cursor *base, int idx_num, const char *idx_str, int argc,
                      sqlite3_value **argv)
{
    (void)idx_str;
    pws_cursor *cur = (pws_cursor *)base;
    pws_cursor_clear(cur);
    if (argc < 2 || !(idx_num & PWS_ARG_RULES) || !(idx_num & PWS_ARG_COACH))
        return SQLITE_ERROR; /* pws_best_index refuses such plans */
    sqlite3_value *rules = argv[0], *coach = argv[1];
    if (sqlite3_value_type(rules) == SQLITE_NULL || sqlite3_value_type(coach) == SQLITE_NULL)
        return SQLITE_OK; /* no rows */
    char *msg = NULL;
    pw_date as_of = pw_date_today();
    int rc = (idx_num & PWS_ARG_AS_OF) ? pws_as_of(argv[2], &as_of, &msg) : SQLITE_OK;
    if (rc != SQLITE_OK)
        return pws_cursor_fail(cur, rc, msg);
    if (!pws_is_text(coach))
        return pws_cursor_fail(cur, SQLITE_MISMATCH,
                               sqlite3_mprintf("coach_json must be a JSON object as text"));
    const char *json = (const char *)sqlite3_value_text(coach);
    size_t len = (size_t)sqlite3_value_bytes(coach);
    if (!json)
        return pws_cursor_fail(cur, SQLITE_NOMEM, NULL);
    pws_vtab *vt = (pws_vtab *)base->pVtab;
    rc = pws_rules(vt->st, rules, &cur->rules, &msg);
    if (rc != SQLITE_OK)
        return pws_cursor_fail(cur, rc, msg);
    pw_error err;
    rc = pws_make_rows(cur, json, len, as_of, &err);
    if (rc == SQLITE_ERROR)
        return pws_cursor_fail(cur, rc, sqlite3_mprintf("%s", err.message));
    if (rc != SQLITE_OK)
        return pws_cursor_fail(cur, rc, NULL);
    return SQLITE_OK;
}

static int pws_next(sqlite3_vtab_cursor *base)
{
    ((pws_cursor *)base)->at++;
    return SQLITE_OK;
}

static int pws_eof(sqlite3_vtab_cursor *base)
{
    pws_cursor *cur = (pws_cursor *)base;
    return cur->at >= cur->nrows;
}

static void pws_text(sqlite3_context *f, const char *s)
{
    if (s)
        sqlite3_result_text(f, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(f);
}

static int pws_column(sqlite3_vtab_cursor *base, sqlite3_context *f, int col)
{
    pws_cursor *cur = (pws_cursor *)base;
    const pws_row *row = &cur->rows[cur->at];
    switch (col) {
    case PWS_COL_PROGRAM: pws_text(f, row->program); break;
    case PWS_COL_TITLE: pws_text(f, row->title); break;
    case PWS_COL_ELIGIBLE: sqlite3_result_int(f, row->eligible); break;
    case PWS_COL_STATUS: pws_text(f, row->status); break;
    case PWS_COL_UNMET: pws_text(f, row->unmet); break;
    case PWS_COL_PREFERRED: pws_text(f, row->preferred); break;
    default: sqlite3_result_null(f); break; /* the arguments: constraints SQLite omits */
    }
    return SQLITE_OK;
}

static int pws_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((pws_cursor *)base)->at + 1;
    return SQLITE_OK;
}

/* Eponymous only (no xCreate): a table-valued function, not a table. */
static const sqlite3_module pws_results_module = {
    .iVersion = 0,
    .xConnect = pws_connect,
    .xBestIndex = pws_best_index,
    .xDisconnect = pws_disconnect,
    .xOpen = pws_open,
    .xClose = pws_close,
    .xFilter = pws_filter,
    .xNext = pws_next,
    .xEof = pws_eof,
    .xColumn = pws_column,
    .xRowid = pws_rowid,
};

int pws_register_results(sqlite3 *db, pws_state *st)
{
    st->refs++; /* released by SQLite through pws_state_release, even on failure */
    return sqlite3_create_module_v2(db, "pathway_results", &pws_results_module, st,
                                    pws_state_release);
}
