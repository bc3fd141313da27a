/* pathway: the Pathway rules engine as PostgreSQL functions.
 *
 * pathway_eval, pathway_eval_line, pathway_eligible and pathway_results
 * evaluate one coach's facts (jsonb or text) against a rule set given as the
 * bytes of a .pwc file (bytea) or as rule source (text), on a date.
 *
 * The rule set is compiled or loaded once per backend and kept in a small
 * cache keyed by a 64-bit hash of its bytes (and checked byte for byte, so a
 * collision can never pick the wrong rules); each entry owns one pw_context,
 * which is per thread in the library and a backend is one thread. A call site
 * (one FmgrInfo, so one expression in one execution of a query) also
 * remembers the entry it used last: when the rules argument is a constant or
 * an external parameter, or the same datum bytes as last row's (a rule set
 * joined from a table: its compressed image or TOAST pointer), the next row
 * skips decompressing and hashing altogether.
 *
 * Memory: the library allocates with malloc and frees its own; nothing it
 * returns is kept past the call except programs and contexts, which belong
 * to the cache. No library memory is held across a call that can raise an
 * error (ereport longjmps), so no PG_TRY is needed: every ereport happens
 * after the library call returned and anything it made was freed. The eval
 * line is written into a buffer PostgreSQL owns (TopMemoryContext). */
#include "postgres.h"

#include <string.h>

#include "access/detoast.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "pathway.h"

PG_MODULE_MAGIC;

/* The most programs a backend keeps (pathway.cache_size may lower it). */
#define PGW_CACHE_MAX 64

/* What the rules argument holds. */
typedef enum pgw_kind { PGW_BYTECODE = 'b', PGW_SOURCE = 't' } pgw_kind;

/* One cached rule set: its key (kind, hash, the bytes themselves), the
 * program and the backend's context for it. generation 0 marks a free slot;
 * every load takes a new generation so that a call site's memo of an
 * evicted entry is seen to be stale. */
typedef struct pgw_entry {
    uint64 generation;
    uint64 last_used;
    uint64 hash;
    pgw_kind kind;
    Size len;
    char *key; /* TopMemoryContext */
    pw_program *prog;
    pw_context *ctx;
    /* The program versions applying on sel_as_of, in declaration order (what
     * the eval line lists), and whether each is dated: found once per date,
     * since finding them compares program ids (TopMemoryContext). */
    size_t *sel;
    bool *sel_dated;
    size_t nsel;
    pw_date sel_as_of;
    bool sel_valid;
} pgw_entry;

typedef struct pgw_stats {
    int64 calls;      /* rules resolved (one per row) */
    int64 site_hits;  /* resolved by the call site's memo: no hashing */
    int64 hash_hits;  /* found in the cache by hash and bytes */
    int64 loads;      /* compiled or loaded */
    int64 evictions;  /* dropped to make room */
} pgw_stats;

/* Per backend: a backend is a single thread, and parallel workers are
 * processes with their own copy. */
static pgw_entry pgw_cache[PGW_CACHE_MAX];
static pgw_stats pgw_counts;
static uint64 pgw_clock;
static uint64 pgw_generations;
static int pgw_cache_size = 16;
static char *pgw_line;
static Size pgw_line_size;

/* A call site's memo (fn_extra), for the life of its FmgrInfo. */
typedef struct pgw_site {
    bool rules_stable; /* a Const or an external Param: same value every row */
    int slot;          /* -1: none yet */
    uint64 generation;
    /* The rules datum as the last row passed it, byte for byte: inline
     * (maybe compressed) bytes, or an on-disk TOAST pointer. */
    char *raw;
    Size raw_len;
    Size raw_cap;
    TupleDesc desc; /* pathway_results' row type */
} pgw_site;

/* The largest rules datum a call site keeps a copy of. */
#define PGW_SITE_RAW_MAX ((Size) 1 << 20)

void _PG_init(void);

void _PG_init(void)
{
    DefineCustomIntVariable("pathway.cache_size",
                            "Rule sets each backend keeps compiled.",
                            "Least recently used rule sets are dropped beyond this.",
                            &pgw_cache_size, 16, 1, PGW_CACHE_MAX, PGC_USERSET, 0, NULL,
                            NULL, NULL);
#if PG_VERSION_NUM >= 150000
    MarkGUCPrefixReserved("pathway");
#else
    EmitWarningsOnPlaceholders("pathway");
#endif
}

/* ---- errors ------------------------------------------------------------ */

static int pgw_errcode(pw_status st, const pw_error *err)
{
    switch (st) {
    case PW_ERR_COMPILE:
    case PW_ERR_FORMAT:
        return ERRCODE_INVALID_PARAMETER_VALUE;
    case PW_ERR_FACTS:
        /* JSON that does not parse carries its line; a value that does not
         * fit the record carries its field. */
        return err->line > 0 ? ERRCODE_INVALID_TEXT_REPRESENTATION : ERRCODE_DATA_EXCEPTION;
    case PW_ERR_USAGE:
        return ERRCODE_UNDEFINED_OBJECT;
    case PW_ERR_EVAL:
        return ERRCODE_EXTERNAL_ROUTINE_EXCEPTION;
    case PW_ERR_NOMEM:
        return ERRCODE_OUT_OF_MEMORY;
    case PW_ERR_IO:
        return ERRCODE_IO_ERROR;
    default:
        return ERRCODE_INTERNAL_ERROR;
    }
}

/* The library's message as the error message; where it has one, the field
 * (facts) or the line and column (rule source, facts JSON) as the detail. */
static void pgw_raise(pw_status st, const pw_error *err, const char *what) pg_attribute_noreturn();
static void pgw_raise(pw_status st, const pw_error *err, const char *what)
{
    if (err->field[0])
        ereport(ERROR, (errcode(pgw_errcode(st, err)), errmsg("pathway: %s", err->message),
                        errdetail("%s field: %s", what, err->field)));
    if (err->line > 0)
        ereport(ERROR, (errcode(pgw_errcode(st, err)), errmsg("pathway: %s", err->message),
                        errdetail("%s line %u, column %u", what, err->line, err->column)));
    ereport(ERROR, (errcode(pgw_errcode(st, err)), errmsg("pathway: %s", err->message)));
}

/* Bytecode that is not loadable: say when it is merely another release's. */
static void pgw_raise_format(const pw_error *err, const char *bytes, Size len) pg_attribute_noreturn();
static void pgw_raise_format(const pw_error *err, const char *bytes, Size len)
{
    uint32_t format;
    pw_error ferr;
    if (pw_bytecode_format_of(bytes, len, &format, &ferr) == PW_OK && format != pw_bytecode_format())
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("pathway: %s", err->message),
                 errdetail("The rules are .pwc format %u; this library (Pathway %s) reads format %u.",
                           format, pw_version(), pw_bytecode_format()),
                 errhint("Compile the rules again with this release's `pathway compile`.")));
    pgw_raise(PW_ERR_FORMAT, err, "rules");
}

/* ---- the program cache ------------------------------------------------- */

/* Rule text from SQL never reads the server's files: every include is
 * refused (compile such rules with `pathway compile` and pass the bytes). */
static char *pgw_no_includes(void *user, const char *includer, const char *include, char *why,
                             size_t why_size)
{
    snprintf(why, why_size,
             "rule text given to SQL cannot include files; pass the bytes of `pathway compile`");
    return NULL;
}

static pw_status pgw_compile(const char *text, Size len, pw_program **prog, pw_error *err)
{
    pw_compile_options opt;
    pw_compile_options_init(&opt);
    opt.include_resolver = pgw_no_includes;
    return pw_compile_source("rules", text, len, &opt, prog, err);
}

static void pgw_entry_drop(pgw_entry *e)
{
    pw_context_free(e->ctx);
    pw_program_free(e->prog);
    if (e->key)
        pfree(e->key);
    if (e->sel)
        pfree(e->sel);
    if (e->sel_dated)
        pfree(e->sel_dated);
    memset(e, 0, sizeof *e);
}

static int pgw_cache_count(void)
{
    int n = 0;
    for (int i = 0; i < PGW_CACHE_MAX; i++)
        n += pgw_cache[i].generation != 0;
    return n;
}

/* A free slot, dropping the least recently used entries beyond the
 * configured size. */
static pgw_entry *pgw_cache_slot(void)
{
    pgw_entry *free_slot = NULL;
    while (pgw_cache_count() >= pgw_cache_size) {
        pgw_entry *old = NULL;
        for (int i = 0; i < PGW_CACHE_MAX; i++)
            if (pgw_cache[i].generation && (!old || pgw_cache[i].last_used < old->last_used))
                old = &pgw_cache[i];
        pgw_entry_drop(old);
        pgw_counts.evictions++;
    }
    for (int i = 0; i < PGW_CACHE_MAX && !free_slot; i++)
        if (!pgw_cache[i].generation)
            free_slot = &pgw_cache[i];
    return free_slot;
}

static pgw_entry *pgw_cache_find(pgw_kind kind, uint64 hash, const char *bytes, Size len)
{
    for (int i = 0; i < PGW_CACHE_MAX; i++) {
        pgw_entry *e = &pgw_cache[i];
        if (e->generation && e->hash == hash && e->kind == kind && e->len == len &&
            memcmp(e->key, bytes, len) == 0)
            return e;
    }
    return NULL;
}

/* Compiles or loads the rules into a new cache entry; raises the library's
 * error when they do not compile or load. */
static pgw_entry *pgw_cache_load(pgw_kind kind, uint64 hash, const char *bytes, Size len)
{
    /* Allocated before the library is called: if this fails, nothing of the
     * library's is held. */
    char *key = MemoryContextAlloc(TopMemoryContext, len ? len : 1);
    pw_program *prog = NULL;
    pw_context *ctx = NULL;
    pw_error err;
    pw_status st;
    pgw_entry *e;

    memcpy(key, bytes, len);
    st = kind == PGW_BYTECODE ? pw_program_load(bytes, len, &prog, &err)
                              : pgw_compile(bytes, len, &prog, &err);
    if (st == PW_OK && (st = pw_context_new(prog, &ctx, &err)) != PW_OK)
        pw_program_free(prog);
    if (st != PW_OK) {
        pfree(key);
        if (st == PW_ERR_FORMAT)
            pgw_raise_format(&err, bytes, len);
        pgw_raise(st, &err, "rules");
    }
    e = pgw_cache_slot();
    e->generation = ++pgw_generations;
    e->hash = hash;
    e->kind = kind;
    e->len = len;
    e->key = key;
    e->prog = prog;
    e->ctx = ctx;
    pgw_counts.loads++;
    return e;
}

/* The entry's selection for as_of (see pgw_entry); returns its length. */
static size_t pgw_selection(pgw_entry *e, pw_date as_of)
{
    size_t count = pw_program_count(e->prog);
    if (!e->sel) {
        /* Allocated here, once the entry is in the cache: an error cannot
         * leave the library's program behind. */
        e->sel = MemoryContextAlloc(TopMemoryContext, (count ? count : 1) * sizeof *e->sel);
        e->sel_dated = MemoryContextAlloc(TopMemoryContext, (count ? count : 1) * sizeof *e->sel_dated);
    }
    if (!e->sel_valid || e->sel_as_of != as_of) {
        size_t n = 0;
        for (size_t p = 0; p < count; p++) {
            if (!pw_program_is_first_version(e->prog, p))
                continue;
            e->sel[n] = pw_program_version_at(e->prog, p, as_of);
            e->sel_dated[n] = pw_program_dated(e->prog, e->sel[n]);
            n++;
        }
        e->nsel = n;
        e->sel_as_of = as_of;
        e->sel_valid = true;
    }
    return e->nsel;
}

static pgw_site *pgw_site_get(FunctionCallInfo fcinfo)
{
    pgw_site *site = fcinfo->flinfo->fn_extra;
    if (!site) {
        site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *site);
        site->slot = -1;
        site->rules_stable = get_fn_expr_arg_stable(fcinfo->flinfo, 0);
        fcinfo->flinfo->fn_extra = site;
    }
    return site;
}

/* Whether the call site may compare this datum's bytes: inline values and
 * on-disk TOAST pointers (a TOAST value never changes while a query's
 * snapshot can see it); not in-memory pointers (expanded, indirect). */
static bool pgw_raw_comparable(struct varlena *raw)
{
    return !VARATT_IS_EXTERNAL(raw) || VARATT_IS_EXTERNAL_ONDISK(raw);
}

/* The call site's remembered entry, when this row's rules are certainly the
 * same bytes as last row's: a stable argument, or the very same datum bytes
 * (cheaper than hashing: no decompressing, no fetching from TOAST, and a
 * memcmp of a compressed image or an 18-byte pointer). */
static pgw_entry *pgw_site_entry(pgw_site *site, struct varlena *raw)
{
    pgw_entry *e;
    if (site->slot < 0)
        return NULL;
    e = &pgw_cache[site->slot];
    if (e->generation != site->generation)
        return NULL;
    if (site->rules_stable)
        return e;
    if (site->raw_len == 0 || !pgw_raw_comparable(raw) || VARSIZE_ANY(raw) != site->raw_len)
        return NULL;
    return memcmp(raw, site->raw, site->raw_len) == 0 ? e : NULL;
}

/* Remembers the datum the call site's entry came from. */
static void pgw_site_remember(FunctionCallInfo fcinfo, pgw_site *site, struct varlena *raw)
{
    Size len = VARSIZE_ANY(raw);
    site->raw_len = 0;
    if (site->rules_stable || !pgw_raw_comparable(raw) || len > PGW_SITE_RAW_MAX)
        return;
    if (len > site->raw_cap) {
        if (site->raw)
            pfree(site->raw);
        site->raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len);
        site->raw_cap = len;
    }
    memcpy(site->raw, raw, len);
    site->raw_len = len;
}

/* The cache entry for argument 0, the rules. */
static pgw_entry *pgw_rules(FunctionCallInfo fcinfo, pgw_kind kind)
{
    pgw_site *site = pgw_site_get(fcinfo);
    struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(0));
    struct varlena *v;
    pgw_entry *e;
    uint64 hash;

    pgw_counts.calls++;
    e = pgw_site_entry(site, raw);
    if (e) {
        pgw_counts.site_hits++;
        e->last_used = ++pgw_clock;
        return e;
    }
    v = pg_detoast_datum_packed(raw);
    hash = hash_bytes_extended((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), kind);
    e = pgw_cache_find(kind, hash, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
    if (e)
        pgw_counts.hash_hits++;
    else
        e = pgw_cache_load(kind, hash, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
    e->last_used = ++pgw_clock;
    site->slot = (int) (e - pgw_cache);
    site->generation = e->generation;
    pgw_site_remember(fcinfo, site, raw);
    if (v != raw)
        pfree(v);
    return e;
}

/* ---- arguments --------------------------------------------------------- */

/* The coach's facts (argument 1) as JSON text; *owned is set when the text
 * was made for this call (jsonb) and should be freed. */
static const char *pgw_facts(FunctionCallInfo fcinfo, bool jsonb, Size *len, void **owned)
{
    if (jsonb) {
        Jsonb *jb = PG_GETARG_JSONB_P(1);
        char *s = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
        *len = strlen(s);
        *owned = s;
        if ((Pointer) jb != DatumGetPointer(PG_GETARG_DATUM(1)))
            pfree(jb);
        return s;
    } else {
        struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(1));
        struct varlena *t = pg_detoast_datum_packed(raw);
        *len = VARSIZE_ANY_EXHDR(t);
        *owned = t != raw ? t : NULL;
        return VARDATA_ANY(t);
    }
}

/* A PostgreSQL date as a Pathway date, within the years Pathway reads. */
static pw_date pgw_date(DateADT d)
{
    const DateADT lo = date2j(1800, 1, 1) - POSTGRES_EPOCH_JDATE;
    const DateADT hi = date2j(2999, 12, 31) - POSTGRES_EPOCH_JDATE;
    if (DATE_NOT_FINITE(d) || d < lo || d > hi)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("pathway: as_of must be a date from 1800-01-01 to 2999-12-31")));
    return (pw_date) (d + (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE));
}

/* Loads the facts into the entry's context. */
static void pgw_set_facts(FunctionCallInfo fcinfo, pgw_entry *e, bool jsonb)
{
    Size len;
    void *owned = NULL;
    const char *json = pgw_facts(fcinfo, jsonb, &len, &owned);
    pw_error err;
    pw_status st = pw_context_set_json(e->ctx, json, len, &err);
    if (owned)
        pfree(owned);
    if (st != PW_OK)
        pgw_raise(st, &err, "facts");
}

static const char *pgw_status_text(pw_verdict v);

/* ---- pathway_eval: the eval line --------------------------------------- */

/* The eval line for argument 1's facts in pgw_line (NUL-terminated, ending
 * with a newline); returns its length, and the entry and date it used. */
static Size pgw_eval_line(FunctionCallInfo fcinfo, pgw_kind kind, bool jsonb, pgw_entry **entry,
                          pw_date *date)
{
    pgw_entry *e = pgw_rules(fcinfo, kind);
    pw_date as_of = pgw_date(PG_GETARG_DATEADT(2));
    Size len;
    void *owned = NULL;
    const char *json = pgw_facts(fcinfo, jsonb, &len, &owned);
    size_t needed = 0;
    pw_error err;
    pw_status st;

    if (!pgw_line) {
        pgw_line_size = 8192;
        pgw_line = MemoryContextAlloc(TopMemoryContext, pgw_line_size);
    }
    st = pw_eval_json(e->ctx, json, len, as_of, pgw_line, pgw_line_size, &needed, &err);
    if (st == PW_ERR_USAGE && needed >= pgw_line_size) {
        /* Too small: grow (the buffer is kept for the next rows) and again. */
        pgw_line = repalloc(pgw_line, needed + 1);
        pgw_line_size = needed + 1;
        st = pw_eval_json(e->ctx, json, len, as_of, pgw_line, pgw_line_size, &needed, &err);
    }
    if (owned)
        pfree(owned);
    if (st != PW_OK)
        pgw_raise(st, &err, "facts");
    *entry = e;
    *date = as_of;
    return needed;
}

/* ---- the eval line as jsonb, built from the results -------------------- *
 *
 * Parsing the 2 kB line with jsonb_in would cost more than the evaluation;
 * the same values are in the context after pw_eval_json, so the jsonb is
 * built from them as a tree of JsonbValues, each object's keys already in
 * jsonb's order (shorter keys first, then bytewise), which JsonbValueToJsonb
 * turns into the binary form without a sort. The tests compare the result
 * with the line, parsed. */

static JsonbValue pgw_jv_string(const char *s)
{
    JsonbValue v;
    v.type = jbvString;
    v.val.string.val = (char *) s;
    v.val.string.len = (int) strlen(s);
    return v;
}

static JsonbValue pgw_jv_bool(bool b)
{
    JsonbValue v;
    v.type = jbvBool;
    v.val.boolean = b;
    return v;
}

/* A date as the line writes it: "YYYY-MM-DD", or null for an open end. */
static JsonbValue pgw_jv_date(pw_date d, pw_date open)
{
    JsonbValue v;
    char *text;
    if (d == open) {
        v.type = jbvNull;
        return v;
    }
    text = palloc(11);
    pw_date_format(d, text);
    return pgw_jv_string(text);
}

static JsonbValue pgw_jv_labels(const pw_context *ctx, size_t prog, size_t n,
                                const char *(*label)(const pw_context *, size_t, size_t))
{
    JsonbValue v;
    v.type = jbvArray;
    v.val.array.nElems = (int) n;
    v.val.array.rawScalar = false;
    v.val.array.elems = n ? palloc(n * sizeof(JsonbValue)) : NULL;
    for (size_t i = 0; i < n; i++)
        v.val.array.elems[i] = pgw_jv_string(label(ctx, prog, i));
    return v;
}

/* An object of n pairs whose keys the caller gives in jsonb's order. */
static JsonbValue pgw_jv_object(JsonbPair *pairs, int n)
{
    JsonbValue v;
    v.type = jbvObject;
    v.val.object.nPairs = n;
    v.val.object.pairs = pairs;
    return v;
}

static void pgw_jv_pair(JsonbPair *pair, const char *key, JsonbValue value)
{
    pair->key = pgw_jv_string(key);
    pair->value = value;
    pair->order = 0;
}

/* One element of "results", for program version v. */
static JsonbValue pgw_jv_program(const pgw_entry *e, size_t v, bool dated)
{
    JsonbPair *pairs = palloc(6 * sizeof(JsonbPair));
    int n = 0;

    pgw_jv_pair(&pairs[n++], "unmet",
                pgw_jv_labels(e->ctx, v, pw_result_unmet_count(e->ctx, v), pw_result_unmet_label));
    if (dated)
        pgw_jv_pair(&pairs[n++], "status",
                    pgw_jv_string(pgw_status_text(pw_result_verdict(e->ctx, v))));
    pgw_jv_pair(&pairs[n++], "program", pgw_jv_string(pw_program_id(e->prog, v)));
    pgw_jv_pair(&pairs[n++], "eligible", pgw_jv_bool(pw_result_eligible(e->ctx, v)));
    if (dated) {
        JsonbPair *period = palloc(2 * sizeof(JsonbPair));
        pw_date from, until;
        pw_program_period(e->prog, v, &from, &until);
        pgw_jv_pair(&period[0], "from", pgw_jv_date(from, PW_DATE_MIN));
        pgw_jv_pair(&period[1], "until", pgw_jv_date(until, PW_DATE_MAX));
        pgw_jv_pair(&pairs[n++], "in_force", pgw_jv_object(period, 2));
    }
    pgw_jv_pair(&pairs[n++], "preferred_unmet",
                pgw_jv_labels(e->ctx, v, pw_result_preferred_unmet_count(e->ctx, v),
                              pw_result_preferred_unmet_label));
    return pgw_jv_object(pairs, n);
}

/* The record's "id" as the line wrote it: null, or a JSON string (parsed
 * alone, it is a few bytes). */
static JsonbValue pgw_jv_line_id(const char *line)
{
    static const char prefix[] = "{\"id\":";
    const size_t n = sizeof prefix - 1;
    JsonbValue v;
    v.type = jbvNull;
    if (strncmp(line, prefix, n) == 0 && line[n] == '"') {
        const char *end = line + n + 1;
        while (*end && *end != '"')
            end += *end == '\\' && end[1] ? 2 : 1;
        if (*end == '"') {
            char *token = pnstrdup(line + n, end - (line + n) + 1);
            Jsonb *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(token)));
            if (!JsonbExtractScalar(&jb->root, &v))
                v.type = jbvNull;
        }
    }
    return v;
}

static Datum pgw_eval(FunctionCallInfo fcinfo, pgw_kind kind, bool jsonb)
{
    pgw_entry *e;
    pw_date as_of;
    char *date = palloc(11);
    size_t nsel;
    JsonbValue results, top;
    JsonbPair *pairs = palloc(3 * sizeof(JsonbPair));

    pgw_eval_line(fcinfo, kind, jsonb, &e, &as_of);
    pw_date_format(as_of, date);
    nsel = pgw_selection(e, as_of);
    results.type = jbvArray;
    results.val.array.rawScalar = false;
    results.val.array.elems = palloc((nsel ? nsel : 1) * sizeof(JsonbValue));
    for (size_t k = 0; k < nsel; k++)
        results.val.array.elems[k] = pgw_jv_program(e, e->sel[k], e->sel_dated[k]);
    results.val.array.nElems = (int) nsel;
    pgw_jv_pair(&pairs[0], "id", pgw_jv_line_id(pgw_line));
    pgw_jv_pair(&pairs[1], "as_of", pgw_jv_string(date));
    pgw_jv_pair(&pairs[2], "results", results);
    top = pgw_jv_object(pairs, 3);
    PG_RETURN_JSONB_P(JsonbValueToJsonb(&top));
}

/* The same line as text, byte for byte what `pathway eval` prints (without
 * the newline). */
static Datum pgw_eval_text(FunctionCallInfo fcinfo, pgw_kind kind, bool jsonb)
{
    pgw_entry *e;
    pw_date as_of;
    Size len = pgw_eval_line(fcinfo, kind, jsonb, &e, &as_of);
    if (len > 0 && pgw_line[len - 1] == '\n')
        len--;
    PG_RETURN_TEXT_P(cstring_to_text_with_len(pgw_line, (int) len));
}

/* ---- pathway_eligible -------------------------------------------------- */

/* The version of the named program (argument 2) applying on the date. */
static size_t pgw_program_version(pgw_entry *e, text *id, pw_date as_of)
{
    char *name = text_to_cstring(id);
    size_t index;
    pw_error err;
    pw_status st = pw_program_find(e->prog, name, &index, &err);
    pfree(name);
    if (st != PW_OK)
        pgw_raise(st, &err, "program");
    return pw_program_version_at(e->prog, index, as_of);
}

static Datum pgw_eligible(FunctionCallInfo fcinfo, pgw_kind kind, bool jsonb)
{
    pgw_entry *e = pgw_rules(fcinfo, kind);
    pw_date as_of = pgw_date(PG_GETARG_DATEADT(3));
    size_t v = pgw_program_version(e, PG_GETARG_TEXT_PP(2), as_of);
    pw_error err;
    pw_status st;

    pgw_set_facts(fcinfo, e, jsonb);
    st = pw_evaluate(e->ctx, v, as_of, &err);
    if (st != PW_OK)
        pgw_raise(st, &err, "facts");
    PG_RETURN_BOOL(pw_result_eligible(e->ctx, v));
}

/* ---- pathway_results: one row per program ------------------------------ */

static const char *pgw_status_text(pw_verdict v)
{
    switch (v) {
    case PW_ELIGIBLE:
        return "eligible";
    case PW_NOT_ELIGIBLE:
        return "not_eligible";
    case PW_NOT_YET_IN_FORCE:
        return "not_yet_in_force";
    case PW_WITHDRAWN:
        return "withdrawn";
    default:
        return "not_evaluated";
    }
}

/* text[] of n labels read through `label`. */
static Datum pgw_labels(const pw_context *ctx, size_t prog, size_t n,
                        const char *(*label)(const pw_context *, size_t, size_t))
{
    Datum *items;
    if (n == 0)
        return PointerGetDatum(construct_empty_array(TEXTOID));
    items = palloc(n * sizeof(Datum));
    for (size_t i = 0; i < n; i++)
        items[i] = CStringGetTextDatum(label(ctx, prog, i));
    return PointerGetDatum(construct_array(items, (int) n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* Sets up materialize mode: the rows go into a tuplestore the executor
 * reads (so the context's results need not outlive this call). */
static Tuplestorestate *pgw_materialize(FunctionCallInfo fcinfo, TupleDesc *desc)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
    pgw_site *site = pgw_site_get(fcinfo);
    MemoryContext old;
    Tuplestorestate *store;

    if (!rsinfo || !IsA(rsinfo, ReturnSetInfo) || !(rsinfo->allowedModes & SFRM_Materialize))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("pathway_results: set-valued function called in a context that cannot accept a set")));
    if (!site->desc) {
        /* Looked up once per call site: the catalogue lookup costs more
         * than a row. */
        TupleDesc found;
        if (get_call_result_type(fcinfo, NULL, &found) != TYPEFUNC_COMPOSITE)
            elog(ERROR, "pathway_results: return type must be a row type");
        old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        site->desc = CreateTupleDescCopy(found);
        MemoryContextSwitchTo(old);
    }
    *desc = site->desc;
    old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
    store = tuplestore_begin_heap(true, false, work_mem);
    rsinfo->returnMode = SFRM_Materialize;
    rsinfo->setResult = store;
    /* A copy: the executor frees the one it is given. */
    rsinfo->setDesc = CreateTupleDescCopy(site->desc);
    MemoryContextSwitchTo(old);
    return store;
}

static Datum pgw_results(FunctionCallInfo fcinfo, pgw_kind kind, bool jsonb)
{
    pgw_entry *e = pgw_rules(fcinfo, kind);
    pw_date as_of = pgw_date(PG_GETARG_DATEADT(2));
    TupleDesc desc;
    Tuplestorestate *store;
    size_t nsel = pgw_selection(e, as_of);

    pgw_set_facts(fcinfo, e, jsonb);
    store = pgw_materialize(fcinfo, &desc);
    for (size_t k = 0; k < nsel; k++) {
        size_t v = e->sel[k];
        Datum values[6];
        bool nulls[6] = {false, false, false, false, false, false};
        const char *title;
        pw_error err;
        pw_status st = pw_evaluate(e->ctx, v, as_of, &err);

        if (st != PW_OK)
            pgw_raise(st, &err, "facts");
        title = pw_program_title(e->prog, v);
        values[0] = CStringGetTextDatum(pw_program_id(e->prog, v));
        values[1] = title ? CStringGetTextDatum(title) : (Datum) 0;
        nulls[1] = title == NULL;
        values[2] = BoolGetDatum(pw_result_eligible(e->ctx, v));
        values[3] = CStringGetTextDatum(pgw_status_text(pw_result_verdict(e->ctx, v)));
        values[4] = pgw_labels(e->ctx, v, pw_result_unmet_count(e->ctx, v), pw_result_unmet_label);
        values[5] = pgw_labels(e->ctx, v, pw_result_preferred_unmet_count(e->ctx, v),
                               pw_result_preferred_unmet_label);
        tuplestore_putvalues(store, desc, values, nulls);
    }
    return (Datum) 0;
}

/* ---- the SQL entry points ---------------------------------------------- */

/* Four per function: rules bytea (b) or text (t), facts jsonb (j) or text
 * (t). They differ only in how the arguments are read. */
#define PGW_ENTRY(name, worker, kind, jsonb)                                                     \
    PG_FUNCTION_INFO_V1(name);                                                                   \
    Datum name(PG_FUNCTION_ARGS) { return worker(fcinfo, kind, jsonb); }
#define PGW_ENTRIES(base, worker)                                                                \
    PGW_ENTRY(base##_bj, worker, PGW_BYTECODE, true)                                             \
    PGW_ENTRY(base##_bt, worker, PGW_BYTECODE, false)                                            \
    PGW_ENTRY(base##_tj, worker, PGW_SOURCE, true)                                               \
    PGW_ENTRY(base##_tt, worker, PGW_SOURCE, false)

PGW_ENTRIES(pathway_eval, pgw_eval)
PGW_ENTRIES(pathway_eval_line, pgw_eval_text)
PGW_ENTRIES(pathway_eligible, pgw_eligible)
PGW_ENTRIES(pathway_results, pgw_results)

PG_FUNCTION_INFO_V1(pathway_version);
Datum pathway_version(PG_FUNCTION_ARGS)
{
    PG_RETURN_TEXT_P(cstring_to_text(pw_version()));
}

/* This backend's cache: what it holds and how rows found their rules. */
PG_FUNCTION_INFO_V1(pathway_cache_stats);
Datum pathway_cache_stats(PG_FUNCTION_ARGS)
{
    TupleDesc desc;
    Datum values[7];
    bool nulls[7] = {false, false, false, false, false, false, false};
    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "pathway_cache_stats: return type must be a row type");
    desc = BlessTupleDesc(desc);
    values[0] = Int32GetDatum(pgw_cache_count());
    values[1] = Int32GetDatum(pgw_cache_size);
    values[2] = Int64GetDatum(pgw_counts.calls);
    values[3] = Int64GetDatum(pgw_counts.site_hits);
    values[4] = Int64GetDatum(pgw_counts.hash_hits);
    values[5] = Int64GetDatum(pgw_counts.loads);
    values[6] = Int64GetDatum(pgw_counts.evictions);
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* Drops every cached rule set and zeroes the counts. */
PG_FUNCTION_INFO_V1(pathway_cache_reset);
Datum pathway_cache_reset(PG_FUNCTION_ARGS)
{
    for (int i = 0; i < PGW_CACHE_MAX; i++)
        if (pgw_cache[i].generation)
            pgw_entry_drop(&pgw_cache[i]);
    memset(&pgw_counts, 0, sizeof pgw_counts);
    PG_RETURN_VOID();
}
