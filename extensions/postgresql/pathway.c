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
#include "utils/numeric.h"
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
    /* What the results are built from, made once and kept (see "memos"):
     * in mcxt, a child of TopMemoryContext deleted with the entry. */
    MemoryContext mcxt;
    struct pgw_memo *results_memo; /* pathway_eval's "results" arrays */
    struct pgw_memo *rows_memo;    /* pathway_results' rows */
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
static int pgw_memo_size = 1024;
static char *pgw_line;
static Size pgw_line_size;
/* jsonb facts as text, and a memo key: made for every row, so kept and
 * reused (TopMemoryContext; see pgw_text_buffer). */
static StringInfoData pgw_text;
static struct pgw_key *pgw_keybuf;

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
    MemoryContext rows; /* pathway_results' tuplestores (see pgw_materialize) */
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
    DefineCustomIntVariable("pathway.memo_size",
                            "Distinct results each cached rule set keeps built.",
                            "pathway_eval's results array and pathway_results' rows are built once "
                            "per distinct combination of results and kept, this many of each.",
                            &pgw_memo_size, 1024, 1, 65536, PGC_USERSET, 0, NULL, NULL, NULL);
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
    if (e->mcxt)
        MemoryContextDelete(e->mcxt);
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

/* ---- jsonb as JSON text ------------------------------------------------ *
 *
 * The library reads JSON text, so jsonb facts are written out first. These
 * write exactly what PostgreSQL's JsonbToCString writes (", " and ": "
 * between items, escape_json's escapes, numeric_out's numbers), so that
 * nothing a coach's facts say, nor where an error is found in them,
 * depends on which writer ran; the tests compare the two on every example
 * record and on hostile values (pathway_facts_text below). Faster because
 * strings are copied in runs between the bytes that need escaping (not one
 * character at a time, after a copy of each string), and integers, the most
 * common numbers in a record, are written without numeric_out. */

/* Room for n more bytes (and the NUL StringInfo keeps): enlargeStringInfo
 * is a call into the server, so it is called only when the room is short. */
static inline char *pgw_room(StringInfo out, int n)
{
    if (out->maxlen - out->len <= n)
        enlargeStringInfo(out, n);
    return out->data + out->len;
}

static inline void pgw_put(StringInfo out, const char *s, int n)
{
    memcpy(pgw_room(out, n), s, n);
    out->len += n;
    out->data[out->len] = '\0';
}

/* The bytes escape_json escapes: ", \ and those below 0x20 (a table: one
 * load a byte in the loop that copies runs). */
static const bool pgw_escaped[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
    [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
    [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
    [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
    ['"'] = 1, ['\\'] = 1,
};

/* A string as escape_json writes it: ", \, \b, \f, \n, \r, \t escaped,
 * other bytes below 0x20 as \u00XX, everything else as it is. A jsonb
 * string never holds a NUL; escape_json would stop at one, and so does this. */
static void pgw_put_string(StringInfo out, const char *s, int len)
{
    /* At most 6 bytes for one (\u00XX), and the quotes. */
    char *w = pgw_room(out, 6 * len + 2);
    const char *end = s + len;
    *w++ = '"';
    while (s < end) {
        const char *run = s;
        unsigned char c;
        while (s < end && !pgw_escaped[(unsigned char) *s])
            s++;
        memcpy(w, run, s - run);
        w += s - run;
        if (s == end)
            break;
        c = (unsigned char) *s++;
        if (c == '\0')
            break;
        *w++ = '\\';
        switch (c) {
        case '\b': *w++ = 'b'; break;
        case '\f': *w++ = 'f'; break;
        case '\n': *w++ = 'n'; break;
        case '\r': *w++ = 'r'; break;
        case '\t': *w++ = 't'; break;
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        default:
            /* escape_json's "\\u%04x": lower-case hex digits */
            *w++ = 'u';
            *w++ = '0';
            *w++ = '0';
            *w++ = "0123456789abcdef"[c >> 4];
            *w++ = "0123456789abcdef"[c & 15];
            break;
        }
    }
    *w++ = '"';
    *w = '\0';
    out->len = (int) (w - out->data);
}

/* A number as numeric_out writes it. An integer written without a fraction
 * (display scale 0) that fits 32 bits is the same digits pg_ltoa writes. */
static void pgw_put_numeric(StringInfo out, Numeric n)
{
    if (!numeric_is_nan(n) && !numeric_is_inf(n) &&
        DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(n))) == 0) {
        bool overflow = false;
        int32 i = numeric_int4_opt_error(n, &overflow);
        if (!overflow) {
            char *w = pgw_room(out, 12);
            out->len += pg_ltoa(i, w);
            return;
        }
    }
    appendStringInfoString(out, DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n))));
}

static void pgw_put_scalar(StringInfo out, const JsonbValue *v)
{
    switch (v->type) {
    case jbvString:
        pgw_put_string(out, v->val.string.val, v->val.string.len);
        break;
    case jbvNumeric:
        pgw_put_numeric(out, v->val.numeric);
        break;
    case jbvBool:
        if (v->val.boolean)
            pgw_put(out, "true", 4);
        else
            pgw_put(out, "false", 5);
        break;
    case jbvNull:
        pgw_put(out, "null", 4);
        break;
    default:
        elog(ERROR, "pathway: unknown jsonb scalar type %d", (int) v->type);
    }
}

/* The container as JSON text into out: JsonbToCString's walk, without its
 * indenting. */
static void pgw_jsonb_text(StringInfo out, JsonbContainer *root)
{
    JsonbIterator *it = JsonbIteratorInit(root);
    JsonbValue v;
    JsonbIteratorToken token;
    bool first = true;       /* no ", " before the next item */
    bool raw_scalar = false; /* a bare scalar: jsonb holds it as a one-element array */

    while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
        switch (token) {
        case WJB_BEGIN_ARRAY:
            if (!first)
                pgw_put(out, ", ", 2);
            if (v.val.array.rawScalar)
                raw_scalar = true;
            else
                pgw_put(out, "[", 1);
            first = true;
            break;
        case WJB_BEGIN_OBJECT:
            if (!first)
                pgw_put(out, ", ", 2);
            pgw_put(out, "{", 1);
            first = true;
            break;
        case WJB_KEY:
            if (!first)
                pgw_put(out, ", ", 2);
            pgw_put_scalar(out, &v);
            pgw_put(out, ": ", 2);
            first = true; /* its value follows with no comma */
            break;
        case WJB_VALUE:
            pgw_put_scalar(out, &v);
            first = false;
            break;
        case WJB_ELEM:
            if (!first)
                pgw_put(out, ", ", 2);
            pgw_put_scalar(out, &v);
            first = false;
            break;
        case WJB_END_ARRAY:
            if (!raw_scalar)
                pgw_put(out, "]", 1);
            first = false;
            break;
        case WJB_END_OBJECT:
            pgw_put(out, "}", 1);
            first = false;
            break;
        default:
            break;
        }
    }
}

/* jsonb's text as pgw_jsonb_text writes it, next to the jsonb type's own
 * output: for the tests (they create it; the extension's SQL does not). */
PG_FUNCTION_INFO_V1(pathway_facts_text);
Datum pathway_facts_text(PG_FUNCTION_ARGS)
{
    Jsonb *jb = PG_GETARG_JSONB_P(0);
    StringInfoData out;
    initStringInfo(&out);
    pgw_jsonb_text(&out, &jb->root);
    PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* The backend's buffer for jsonb facts as text, emptied. One that grew past
 * 1 MB for a huge record is given back rather than kept. */
static StringInfo pgw_text_buffer(void)
{
    if (pgw_text.data && pgw_text.maxlen > (1 << 20)) {
        pfree(pgw_text.data);
        pgw_text.data = NULL;
    }
    if (!pgw_text.data) {
        MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
        initStringInfo(&pgw_text);
        MemoryContextSwitchTo(old);
    }
    resetStringInfo(&pgw_text);
    return &pgw_text;
}

/* jsonb facts as JSON text, in the backend's buffer (valid until the next
 * row's). */
static StringInfo pgw_jsonb_facts_text(Jsonb *jb)
{
    StringInfo out = pgw_text_buffer();
    pgw_jsonb_text(out, &jb->root);
    return out;
}

/* ---- arguments --------------------------------------------------------- */

/* The coach's facts (argument 1) as JSON text; *owned is set when the text
 * was made for this call (jsonb) and should be freed. */
static const char *pgw_facts(FunctionCallInfo fcinfo, bool jsonb, Size *len, void **owned)
{
    if (jsonb) {
        Jsonb *jb = PG_GETARG_JSONB_P(1);
        StringInfo text = pgw_jsonb_facts_text(jb);
        *len = text->len;
        *owned = NULL;
        if ((Pointer) jb != DatumGetPointer(PG_GETARG_DATUM(1)))
            pfree(jb);
        return text->data;
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
 * alone when it holds an escape; it is a few bytes). *len is -1 for null. */
static const char *pgw_line_id(const char *line, int *len)
{
    static const char prefix[] = "{\"id\":";
    const size_t n = sizeof prefix - 1;
    *len = -1;
    if (strncmp(line, prefix, n) == 0 && line[n] == '"') {
        const char *start = line + n + 1;
        const char *end = start;
        bool escaped = false;
        while (*end && *end != '"') {
            escaped |= *end == '\\';
            end += *end == '\\' && end[1] ? 2 : 1;
        }
        if (*end != '"')
            return NULL;
        if (!escaped) {
            *len = (int) (end - start);
            return start;
        } else {
            char *token = pnstrdup(start - 1, end - start + 2);
            Jsonb *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(token)));
            JsonbValue v;
            if (JsonbExtractScalar(&jb->root, &v) && v.type == jbvString) {
                *len = v.val.string.len;
                return v.val.string.val;
            }
        }
    }
    return NULL;
}

/* The record's "id" from jsonb facts, as pw_eval_json takes it: a string,
 * else null (*len -1). jsonb keeps the last of repeated keys and its text
 * (what the library read) has it alone; no jsonb string holds a NUL. */
static const char *pgw_jsonb_id(Jsonb *jb, int *len)
{
    JsonbValue v;
    *len = -1;
    if (JB_ROOT_IS_OBJECT(jb) && getKeyJsonValueFromContainer(&jb->root, "id", 2, &v) &&
        v.type == jbvString) {
        *len = v.val.string.len;
        return v.val.string.val;
    }
    return NULL;
}

/* ---- memos: what results are built from, kept by the entry ------------- *
 *
 * Coaches share results: among 50,000 generated records 266 distinct
 * combinations of the 11 programs' verdicts and labels. What is built from
 * them (pathway_eval's jsonb "results" array, pathway_results' rows) is
 * built once and kept under a key
 * of words naming the results exactly: program version, verdict, and the
 * label pointers (labels have the program's lifetime, so a pointer names a
 * label; two equal labels at two addresses only make two entries). A memo
 * is a table of pathway.memo_size slots in the entry's memory, each key in
 * one of PGW_MEMO_WAYS places: a miss builds and replaces the least recently
 * used of them, so memory stays bounded whatever the data (a slot holds a
 * few kB). */

typedef struct pgw_memo_slot {
    uint64 hash;
    uint64 used; /* the memo's clock when last found or stored */
    uint64 *key; /* NULL: empty */
    int nkey;
    Size len;
    char *bytes;
} pgw_memo_slot;

/* pathway.memo_size slots, as it was when the memo was made. */
typedef struct pgw_memo {
    int nslots;
    uint64 clock;
    pgw_memo_slot slots[FLEXIBLE_ARRAY_MEMBER];
} pgw_memo;

/* A key may sit in any of this many slots from the one its hash picks:
 * with one place only, two common results sharing it would push each other
 * out at every other coach. */
#define PGW_MEMO_WAYS 4

/* A growable key of words: the backend's one (pgw_key_buffer). */
typedef struct pgw_key {
    uint64 *w;
    int n, cap;
} pgw_key;

static pgw_key *pgw_key_buffer(void)
{
    if (!pgw_keybuf) {
        pgw_keybuf = MemoryContextAllocZero(TopMemoryContext, sizeof *pgw_keybuf);
        pgw_keybuf->cap = 256;
        pgw_keybuf->w = MemoryContextAlloc(TopMemoryContext, pgw_keybuf->cap * sizeof *pgw_keybuf->w);
    }
    pgw_keybuf->n = 0;
    return pgw_keybuf;
}

static void pgw_key_put(pgw_key *k, uint64 word)
{
    if (k->n == k->cap) {
        k->cap *= 2;
        k->w = repalloc(k->w, k->cap * sizeof *k->w);
    }
    k->w[k->n++] = word;
}

/* The key's hash: a multiply-xor over its words (the slot is picked by it
 * and the words are compared in full, so it need only spread). */
static uint64 pgw_key_hash(const pgw_key *k)
{
    uint64 h = (uint64) k->n;
    for (int i = 0; i < k->n; i++) {
        h ^= k->w[i];
        h *= UINT64CONST(0x9E3779B97F4A7C15);
        h ^= h >> 29;
    }
    return h;
}

/* A program version's labels of one kind into the key: count, pointers. */
static void pgw_key_labels(pgw_key *k, const pw_context *ctx, size_t v, size_t n,
                           const char *(*label)(const pw_context *, size_t, size_t))
{
    pgw_key_put(k, n);
    for (size_t i = 0; i < n; i++)
        pgw_key_put(k, (uint64) (uintptr_t) label(ctx, v, i));
}

static pgw_memo *pgw_memo_new(pgw_entry *e)
{
    pgw_memo *m;
    if (!e->mcxt)
        e->mcxt = AllocSetContextCreate(TopMemoryContext, "pathway results", ALLOCSET_DEFAULT_SIZES);
    m = MemoryContextAllocZero(e->mcxt, offsetof(pgw_memo, slots) + pgw_memo_size * sizeof(pgw_memo_slot));
    m->nslots = pgw_memo_size;
    return m;
}

/* The slot for key; *hit says whether it holds the key's bytes. */
/* The slot for key; *hit says whether it holds the key's bytes. On a miss,
 * the slot to store them in: an empty one of the key's places, else the
 * least recently used. */
static pgw_memo_slot *pgw_memo_slot_for(pgw_memo *memo, const pgw_key *k, bool *hit)
{
    uint64 hash = pgw_key_hash(k);
    int ways = Min(PGW_MEMO_WAYS, memo->nslots);
    int first = (int) (hash % (uint64) memo->nslots);
    pgw_memo_slot *victim = NULL;

    memo->clock++;
    for (int w = 0; w < ways; w++) {
        pgw_memo_slot *slot = &memo->slots[(first + w) % memo->nslots];
        if (slot->key && slot->hash == hash && slot->nkey == k->n &&
            memcmp(slot->key, k->w, k->n * sizeof *k->w) == 0) {
            slot->used = memo->clock;
            *hit = true;
            return slot;
        }
        if (!victim || (victim->key && (!slot->key || slot->used < victim->used)))
            victim = slot;
    }
    *hit = false;
    victim->hash = hash;
    victim->used = memo->clock;
    return victim;
}

/* Keeps a copy of bytes in the slot, under key. */
static const char *pgw_memo_store(pgw_entry *e, pgw_memo_slot *slot, const pgw_key *k,
                                  const void *bytes, Size len)
{
    if (slot->key) {
        pfree(slot->key);
        pfree(slot->bytes);
        slot->key = NULL;
    }
    slot->bytes = MemoryContextAlloc(e->mcxt, len ? len : 1);
    memcpy(slot->bytes, bytes, len);
    slot->len = len;
    slot->key = MemoryContextAlloc(e->mcxt, k->n * sizeof *k->w);
    memcpy(slot->key, k->w, k->n * sizeof *k->w);
    slot->nkey = k->n;
    return slot->bytes;
}

/* ---- pathway_eval: the jsonb ------------------------------------------- *
 *
 * The object is {"id": ..., "as_of": ..., "results": [...]}. Its "results"
 * array, the bulk of it, is built once per distinct combination of results
 * (a memo) from a JsonbValue tree; each row then writes the object around
 * it in jsonb's binary form (utils/jsonb.h, the on-disk format, which
 * PostgreSQL keeps stable across releases): a header of three pairs, keys
 * in jsonb's order ("id", "as_of", "results": shorter first), the id and the
 * date, padding to a 4-byte boundary, then the array's container as it is.
 * That is byte for byte what JsonbValueToJsonb makes of the whole tree (the
 * tests compare the two forms and their sizes). */

/* The key naming the selected versions' results. */
static void pgw_results_key(const pgw_entry *e, pgw_key *k)
{
    for (size_t j = 0; j < e->nsel; j++) {
        size_t v = e->sel[j];
        pgw_key_put(k, v);
        pgw_key_put(k, (uint64) pw_result_verdict(e->ctx, v) << 1 | pw_result_eligible(e->ctx, v));
        pgw_key_labels(k, e->ctx, v, pw_result_unmet_count(e->ctx, v), pw_result_unmet_label);
        pgw_key_labels(k, e->ctx, v, pw_result_preferred_unmet_count(e->ctx, v),
                       pw_result_preferred_unmet_label);
    }
}

/* The "results" array's container (its bytes, *len of them). */
static const char *pgw_results_array(pgw_entry *e, Size *len)
{
    pgw_key *k = pgw_key_buffer();
    pgw_memo_slot *slot;
    bool hit;
    JsonbValue results;
    Jsonb *built;

    if (!e->results_memo)
        e->results_memo = pgw_memo_new(e);
    pgw_results_key(e, k);
    slot = pgw_memo_slot_for(e->results_memo, k, &hit);
    if (hit) {
        *len = slot->len;
        return slot->bytes;
    }
    results.type = jbvArray;
    results.val.array.rawScalar = false;
    results.val.array.elems = palloc((e->nsel ? e->nsel : 1) * sizeof(JsonbValue));
    for (size_t j = 0; j < e->nsel; j++)
        results.val.array.elems[j] = pgw_jv_program(e, e->sel[j], e->sel_dated[j]);
    results.val.array.nElems = (int) e->nsel;
    built = JsonbValueToJsonb(&results);
    *len = VARSIZE(built) - VARHDRSZ;
    return pgw_memo_store(e, slot, k, &built->root, *len);
}

/* {"id": id, "as_of": date, "results": array} in jsonb's binary form; id
 * NULL for null. */
static Jsonb *pgw_eval_jsonb(const char *id, int id_len, const char date[10], const char *array,
                             Size array_len)
{
    static const char keys[] = "idas_ofresults"; /* 2 + 5 + 7 bytes */
    const Size head = VARHDRSZ + sizeof(uint32) + 6 * sizeof(JEntry);
    Size idn = id ? (Size) id_len : 0;
    Size data = head + (sizeof keys - 1) + idn + 10;
    Size pad = INTALIGN(data) - data;
    Size total = data + pad + array_len;
    char *p;
    JsonbContainer *c;

    if (total > JENTRY_OFFLENMASK)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("pathway: the result is larger than jsonb holds")));
    p = palloc(total);
    SET_VARSIZE(p, total);
    c = (JsonbContainer *) (p + VARHDRSZ);
    c->header = 3 | JB_FOBJECT;
    /* Keys, then values; the first child of each stride of
     * JB_OFFSET_STRIDE holds its end offset instead of its length. */
    c->children[0] = JENTRY_ISSTRING | JENTRY_HAS_OFF | 2;
    c->children[1] = JENTRY_ISSTRING | 5;
    c->children[2] = JENTRY_ISSTRING | 7;
    c->children[3] = id ? (JENTRY_ISSTRING | (JEntry) idn) : JENTRY_ISNULL;
    c->children[4] = JENTRY_ISSTRING | 10;
    c->children[5] = JENTRY_ISCONTAINER | (JEntry) (pad + array_len);
    memcpy(p + head, keys, sizeof keys - 1);
    if (idn)
        memcpy(p + head + sizeof keys - 1, id, idn);
    memcpy(p + head + sizeof keys - 1 + idn, date, 10);
    memset(p + data, 0, pad);
    memcpy(p + data + pad, array, array_len);
    return (Jsonb *) p;
}

/* jsonb facts: loaded and the selection evaluated without writing the line
 * (the jsonb is built from the results, the id read from the jsonb). */
static void pgw_eval_jsonb_facts(pgw_entry *e, Jsonb *jb, pw_date as_of)
{
    size_t nsel = pgw_selection(e, as_of);
    StringInfo text = pgw_jsonb_facts_text(jb);
    pw_error err;
    pw_status st = pw_context_set_json(e->ctx, text->data, text->len, &err);
    for (size_t j = 0; st == PW_OK && j < nsel; j++)
        st = pw_evaluate(e->ctx, e->sel[j], as_of, &err);
    if (st != PW_OK)
        pgw_raise(st, &err, "facts");
}

static Datum pgw_eval(FunctionCallInfo fcinfo, pgw_kind kind, bool jsonb)
{
    pgw_entry *e;
    pw_date as_of;
    char date[11];
    const char *id;
    int id_len;
    const char *array;
    Size array_len;

    if (jsonb) {
        Jsonb *jb;
        e = pgw_rules(fcinfo, kind);
        as_of = pgw_date(PG_GETARG_DATEADT(2));
        jb = PG_GETARG_JSONB_P(1);
        pgw_eval_jsonb_facts(e, jb, as_of);
        id = pgw_jsonb_id(jb, &id_len);
    } else {
        pgw_eval_line(fcinfo, kind, jsonb, &e, &as_of);
        pgw_selection(e, as_of);
        id = pgw_line_id(pgw_line, &id_len);
    }
    pw_date_format(as_of, date);
    array = pgw_results_array(e, &array_len);
    PG_RETURN_JSONB_P(pgw_eval_jsonb(id, id_len, date, array, array_len));
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
    case PW_NOT_YET_OPEN:
        return "not_yet_open";
    case PW_CLOSED:
        return "closed";
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
    if (!site->rows) {
#if PG_VERSION_NUM >= 150000
        /* A tuplestore starts with a 16 kB array, which PostgreSQL's usual
         * allocator takes from malloc for each coach (and glibc then tidies
         * its free lists each time: a tenth of a row's cost). A generation
         * context serves it from a block it keeps: freed by the executor
         * when it has read the rows, reused by the next coach. A child of
         * the query's memory, as the tuplestore would otherwise be. */
        site->rows = GenerationContextCreate(rsinfo->econtext->ecxt_per_query_memory,
                                             "pathway_results rows", 0, 64 * 1024, 1024 * 1024);
#else
        site->rows = rsinfo->econtext->ecxt_per_query_memory;
#endif
    }
    old = MemoryContextSwitchTo(site->rows);
    store = tuplestore_begin_heap(true, false, work_mem);
    rsinfo->returnMode = SFRM_Materialize;
    rsinfo->setResult = store;
    /* A copy: the executor frees the one it is given. */
    rsinfo->setDesc = CreateTupleDescCopy(site->desc);
    MemoryContextSwitchTo(old);
    return store;
}

/* Program version v's row. */
static HeapTuple pgw_result_row(const pgw_entry *e, TupleDesc desc, size_t v)
{
    Datum values[6];
    bool nulls[6] = {false, false, false, false, false, false};
    const char *title = pw_program_title(e->prog, v);
    values[0] = CStringGetTextDatum(pw_program_id(e->prog, v));
    values[1] = title ? CStringGetTextDatum(title) : (Datum) 0;
    nulls[1] = title == NULL;
    values[2] = BoolGetDatum(pw_result_eligible(e->ctx, v));
    values[3] = CStringGetTextDatum(pgw_status_text(pw_result_verdict(e->ctx, v)));
    values[4] = pgw_labels(e->ctx, v, pw_result_unmet_count(e->ctx, v), pw_result_unmet_label);
    values[5] = pgw_labels(e->ctx, v, pw_result_preferred_unmet_count(e->ctx, v),
                           pw_result_preferred_unmet_label);
    return heap_form_tuple(desc, values, nulls);
}

/* The selection's rows, as the memo keeps them: one after another, each
 * its length (a MAXALIGNed word) then its tuple (MAXALIGNed). */
static const char *pgw_rows_blob(const pgw_entry *e, TupleDesc desc, Size *len)
{
    HeapTuple *rows = palloc((e->nsel ? e->nsel : 1) * sizeof(HeapTuple));
    Size total = 0;
    char *blob, *p;
    for (size_t j = 0; j < e->nsel; j++) {
        rows[j] = pgw_result_row(e, desc, e->sel[j]);
        total += MAXALIGN(sizeof(uint64)) + MAXALIGN(rows[j]->t_len);
    }
    p = blob = palloc0(total ? total : 1);
    for (size_t j = 0; j < e->nsel; j++) {
        *(uint64 *) p = rows[j]->t_len;
        p += MAXALIGN(sizeof(uint64));
        memcpy(p, rows[j]->t_data, rows[j]->t_len);
        p += MAXALIGN(rows[j]->t_len);
    }
    *len = total;
    return blob;
}

/* The rows for the context's results into the tuplestore. A coach's rows
 * are those of every coach with the same results (the same key as
 * pathway_eval's array): formed once, kept in a memo, copied into each
 * coach's tuplestore. The row type is the function's, whatever the call
 * site (pathway_results' OUT columns). */
static void pgw_put_rows(pgw_entry *e, TupleDesc desc, Tuplestorestate *store)
{
    pgw_key *k = pgw_key_buffer();
    bool hit;
    pgw_memo_slot *slot;
    const char *p;

    if (!e->rows_memo)
        e->rows_memo = pgw_memo_new(e);
    pgw_results_key(e, k);
    slot = pgw_memo_slot_for(e->rows_memo, k, &hit);
    if (!hit) {
        Size len;
        const char *blob = pgw_rows_blob(e, desc, &len);
        pgw_memo_store(e, slot, k, blob, len);
    }
    p = slot->bytes;
    for (size_t j = 0; j < e->nsel; j++) {
        HeapTupleData row;
        row.t_len = (uint32) *(const uint64 *) p;
        p += MAXALIGN(sizeof(uint64));
        row.t_data = (HeapTupleHeader) p;
        ItemPointerSetInvalid(&row.t_self);
        row.t_tableOid = InvalidOid;
        tuplestore_puttuple(store, &row);
        p += MAXALIGN(row.t_len);
    }
}

static Datum pgw_results(FunctionCallInfo fcinfo, pgw_kind kind, bool jsonb)
{
    pgw_entry *e = pgw_rules(fcinfo, kind);
    pw_date as_of = pgw_date(PG_GETARG_DATEADT(2));
    TupleDesc desc;
    Tuplestorestate *store;
    size_t nsel = pgw_selection(e, as_of);

    pgw_set_facts(fcinfo, e, jsonb);
    for (size_t k = 0; k < nsel; k++) {
        pw_error err;
        pw_status st = pw_evaluate(e->ctx, e->sel[k], as_of, &err);
        if (st != PW_OK)
            pgw_raise(st, &err, "facts");
    }
    store = pgw_materialize(fcinfo, &desc);
    pgw_put_rows(e, desc, store);
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
