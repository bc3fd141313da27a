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

/* A program's results, copied out of the context. The labels are the
 * program's strings (lifetime: the cursor's entry), kept as pointers; the
 * JSON arrays are made only when a query reads them. */
typedef struct pws_row {
    size_t p;                    /* the program version */
    int eligible;
    const char *status;
    size_t unmet_at, unmet_n;    /* in the cursor's labels */
    size_t pref_at, pref_n;
} pws_row;

typedef struct pws_cursor {
    sqlite3_vtab_cursor base;
    pws_entry *rules;            /* a reference, kept from one xFilter to the
                                  * next while the rules argument is the same */
    pws_row *rows;
    size_t nrows, rows_cap, at;
    const char **labels;
    size_t nlabels, labels_cap;
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

static int pws_close(sqlite3_vtab_cursor *base)
{
    pws_cursor *cur = (pws_cursor *)base;
    pws_entry_release(cur->rules);
    sqlite3_free(cur->rows);
    sqlite3_free(cur->labels);
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

/* Labels [at, at + n) of the cursor as a JSON array ("[]" for none); NULL
 * when out of memory. */
static char *pws_json_labels(const pws_cursor *cur, size_t at, size_t n)
{
    sqlite3_str *out = sqlite3_str_new(NULL);
    sqlite3_str_appendchar(out, 1, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sqlite3_str_appendchar(out, 1, ',');
        const char *l = cur->labels[at + i];
        pws_json_string(out, l ? l : "");
    }
    sqlite3_str_appendchar(out, 1, ']');
    return sqlite3_str_finish(out);
}

/* Room for n more labels. */
static int pws_labels_reserve(pws_cursor *cur, size_t n)
{
    if (cur->nlabels + n <= cur->labels_cap)
        return SQLITE_OK;
    size_t cap = cur->labels_cap ? cur->labels_cap : 32;
    while (cap < cur->nlabels + n)
        cap *= 2;
    const char **l = sqlite3_realloc64(cur->labels, sizeof *l * cap);
    if (!l)
        return SQLITE_NOMEM;
    cur->labels = l;
    cur->labels_cap = cap;
    return SQLITE_OK;
}

/* Appends the n labels label(ctx, p, i); *at gets where they start. */
static int pws_copy_labels(pws_cursor *cur, const pw_context *ctx, size_t p, size_t n,
                           const char *(*label)(const pw_context *, size_t, size_t), size_t *at)
{
    if (pws_labels_reserve(cur, n) != SQLITE_OK)
        return SQLITE_NOMEM;
    *at = cur->nlabels;
    for (size_t i = 0; i < n; i++)
        cur->labels[cur->nlabels++] = label(ctx, p, i);
    return SQLITE_OK;
}

static const char *pws_status_text(pw_verdict v)
{
    switch (v) {
    case PW_ELIGIBLE: return "eligible";
    case PW_NOT_ELIGIBLE: return "not_eligible";
    case PW_NOT_YET_IN_FORCE: return "not_yet_in_force";
    case PW_WITHDRAWN: return "withdrawn";
    case PW_NOT_YET_OPEN: return "not_yet_open";
    case PW_CLOSED: return "closed";
    default: return "not_evaluated";
    }
}

/* Evaluates version p and copies its results into row. */
static int pws_make_row(pws_cursor *cur, size_t p, pw_date as_of, pws_row *row, pw_error *err)
{
    pws_entry *e = cur->rules;
    pw_status s = pw_evaluate(e->ctx, p, as_of, err);
    if (s != PW_OK)
        return s == PW_ERR_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    row->p = p;
    row->eligible = pw_result_eligible(e->ctx, p);
    row->status = pws_status_text(pw_result_verdict(e->ctx, p));
    row->unmet_n = pw_result_unmet_count(e->ctx, p);
    row->pref_n = pw_result_preferred_unmet_count(e->ctx, p);
    if (pws_copy_labels(cur, e->ctx, p, row->unmet_n, pw_result_unmet_label, &row->unmet_at) != SQLITE_OK ||
        pws_copy_labels(cur, e->ctx, p, row->pref_n, pw_result_preferred_unmet_label,
                        &row->pref_at) != SQLITE_OK)
        return SQLITE_NOMEM;
    return SQLITE_OK;
}

/* One row per program, in declaration order: the version applying on the
 * date, as `pathway eval` writes them. */
static int pws_make_rows(pws_cursor *cur, const char *json, size_t len, pw_date as_of,
                         pw_error *err)
{
    pws_entry *e = cur->rules;
    size_t count = pw_program_count(e->prog);
    if (count > cur->rows_cap) {
        pws_row *rows = sqlite3_realloc64(cur->rows, sizeof *rows * count);
        if (!rows)
            return SQLITE_NOMEM;
        cur->rows = rows;
        cur->rows_cap = count;
    }
    pw_status s = pw_context_set_json(e->ctx, json, len, err);
    if (s != PW_OK)
        return s == PW_ERR_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    for (size_t p = 0; p < count; p++) {
        if (!pw_program_is_first_version(e->prog, p))
            continue;
        pws_row *row = &cur->rows[cur->nrows++];
        int rc = pws_make_row(cur, pw_program_version_at(e->prog, p, as_of), as_of, row, err);
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
    cur->nrows = cur->at = 0;
    return rc;
}

static int pws_filter(sqlite3_vtab_cursor *base, int idx_num, const char *idx_str, int argc,
                      sqlite3_value **argv)
{
    (void)idx_str;
    pws_cursor *cur = (pws_cursor *)base;
    cur->nrows = cur->at = cur->nlabels = 0;
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
    if (!cur->rules || !pws_entry_is(cur->rules, rules)) {
        pws_entry_release(cur->rules);
        cur->rules = NULL;
        pws_vtab *vt = (pws_vtab *)base->pVtab;
        rc = pws_rules(vt->st, rules, &cur->rules, &msg);
        if (rc != SQLITE_OK)
            return pws_cursor_fail(cur, rc, msg);
    }
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

static void pws_json_column(sqlite3_context *f, const pws_cursor *cur, size_t at, size_t n)
{
    char *json = pws_json_labels(cur, at, n);
    if (json)
        sqlite3_result_text(f, json, -1, sqlite3_free);
    else
        sqlite3_result_error_nomem(f);
}

static int pws_column(sqlite3_vtab_cursor *base, sqlite3_context *f, int col)
{
    pws_cursor *cur = (pws_cursor *)base;
    const pws_row *row = &cur->rows[cur->at];
    const pw_program *prog = cur->rules->prog;
    switch (col) {
    case PWS_COL_PROGRAM: pws_text(f, pw_program_id(prog, row->p)); break;
    case PWS_COL_TITLE: pws_text(f, pw_program_title(prog, row->p)); break;
    case PWS_COL_ELIGIBLE: sqlite3_result_int(f, row->eligible); break;
    case PWS_COL_STATUS: sqlite3_result_text(f, row->status, -1, SQLITE_STATIC); break;
    case PWS_COL_UNMET: pws_json_column(f, cur, row->unmet_at, row->unmet_n); break;
    case PWS_COL_PREFERRED: pws_json_column(f, cur, row->pref_at, row->pref_n); break;
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
