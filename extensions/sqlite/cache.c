/* extensions/sqlite/cache.c: a connection's compiled rule sets, keyed by
 * content, so that a query loads its rules once and not once a row. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "pws.h"

/* What identifies a file's content without reading it. */
typedef struct pws_file_key {
    uint64_t dev, ino, size;
    int64_t mtime_s, mtime_ns;
} pws_file_key;

static void pws_entry_free(pws_entry *e)
{
    pw_context_free(e->ctx);
    pw_program_free(e->prog);
    sqlite3_free(e->bytes);
    sqlite3_free(e->path);
    sqlite3_free(e);
}

void pws_entry_release(void *entry)
{
    pws_entry *e = entry;
    if (e && --e->refs == 0)
        pws_entry_free(e);
}

void pws_state_release(void *state)
{
    pws_state *st = state;
    if (!st || --st->refs > 0)
        return;
    while (st->entries) {
        pws_entry *e = st->entries;
        st->entries = e->next;
        pws_entry_release(e);
    }
    sqlite3_free(st);
}

char *pws_cache_stats(const pws_state *st)
{
    return sqlite3_mprintf("{\"programs\":%u,\"loads\":%lld,\"hits\":%lld}", st->count,
                           st->loads, st->hits);
}

static int pws_blob_matches(const pws_entry *e, const void *bytes, size_t len)
{
    return e->bytes && e->len == len && memcmp(e->bytes, bytes, len) == 0;
}

static int pws_file_matches(const pws_entry *e, const char *path, const pws_file_key *k)
{
    return e->path && strcmp(e->path, path) == 0 && e->dev == k->dev && e->ino == k->ino &&
           e->size == k->size && e->mtime_s == k->mtime_s && e->mtime_ns == k->mtime_ns;
}

/* Moves the entry after `prev` to the front: most recently used first. */
static void pws_to_front(pws_state *st, pws_entry *prev, pws_entry *e)
{
    if (!prev)
        return;
    prev->next = e->next;
    e->next = st->entries;
    st->entries = e;
}

/* The cached entry for a BLOB or a file (path != NULL), NULL when none. */
static pws_entry *pws_find(pws_state *st, const void *bytes, size_t len, const char *path,
                           const pws_file_key *k)
{
    pws_entry *prev = NULL;
    for (pws_entry *e = st->entries; e; prev = e, e = e->next) {
        if (path ? pws_file_matches(e, path, k) : pws_blob_matches(e, bytes, len)) {
            pws_to_front(st, prev, e);
            st->hits++;
            return e;
        }
    }
    return NULL;
}

/* Adds a new entry at the front, dropping the least recently used beyond
 * PWS_CACHE_MAX (a statement or cursor still holding it keeps it alive). */
static void pws_insert(pws_state *st, pws_entry *e)
{
    e->next = st->entries;
    st->entries = e;
    if (++st->count <= PWS_CACHE_MAX)
        return;
    pws_entry *prev = st->entries;
    while (prev->next->next)
        prev = prev->next;
    pws_entry_release(prev->next);
    prev->next = NULL;
    st->count--;
}

static char *pws_error_message(const pw_error *err)
{
    return sqlite3_mprintf("%s", err->message);
}

/* Compiles or loads the program and makes its context. */
static int pws_entry_open(pws_entry *e, const void *bytes, size_t len, const char *path, char **msg)
{
    pw_error err;
    pw_status s = path ? pw_program_open(path, NULL, &e->prog, &err)
                       : pw_program_load(bytes, len, &e->prog, &err);
    if (s == PW_OK)
        s = pw_context_new(e->prog, &e->ctx, &err);
    if (s == PW_OK)
        return SQLITE_OK;
    *msg = pws_error_message(&err);
    return s == PW_ERR_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
}

static int pws_load(pws_state *st, const void *bytes, size_t len, const char *path,
                    const pws_file_key *k, pws_entry **out, char **msg)
{
    pws_entry *e = sqlite3_malloc(sizeof *e);
    if (!e)
        return SQLITE_NOMEM;
    memset(e, 0, sizeof *e);
    e->refs = 1; /* the cache's */
    int rc = SQLITE_NOMEM;
    if (path) {
        e->path = sqlite3_mprintf("%s", path);
        if (e->path) {
            e->dev = k->dev, e->ino = k->ino, e->size = k->size;
            e->mtime_s = k->mtime_s, e->mtime_ns = k->mtime_ns;
            rc = SQLITE_OK;
        }
    } else {
        e->bytes = sqlite3_malloc64(len ? len : 1);
        if (e->bytes) {
            memcpy(e->bytes, bytes, len);
            e->len = len;
            rc = SQLITE_OK;
        }
    }
    if (rc == SQLITE_OK)
        rc = pws_entry_open(e, bytes, len, path, msg);
    if (rc != SQLITE_OK) {
        pws_entry_free(e);
        return rc;
    }
    st->loads++;
    pws_insert(st, e);
    e->refs++; /* the caller's */
    *out = e;
    return SQLITE_OK;
}

/* A file's identity and version. Taken before the file is read: should it
 * change in between, the next lookup sees another key and reloads. */
static int pws_stat(const char *path, pws_file_key *k, char **msg)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        char why[256];
        if (strerror_r(errno, why, sizeof why) != 0)
            why[0] = 0;
        *msg = sqlite3_mprintf("cannot open %s: %s", path, why);
        return SQLITE_ERROR;
    }
    k->dev = (uint64_t)sb.st_dev, k->ino = (uint64_t)sb.st_ino, k->size = (uint64_t)sb.st_size;
    k->mtime_s = (int64_t)sb.st_mtim.tv_sec, k->mtime_ns = (int64_t)sb.st_mtim.tv_nsec;
    return SQLITE_OK;
}

int pws_rules(pws_state *st, sqlite3_value *rules, pws_entry **out, char **msg)
{
    *msg = NULL;
    pws_file_key k = {0};
    const void *bytes = NULL;
    const char *path = NULL;
    size_t len = 0;
    switch (sqlite3_value_type(rules)) {
    case SQLITE_BLOB:
        bytes = sqlite3_value_blob(rules);
        len = (size_t)sqlite3_value_bytes(rules);
        if (!bytes)
            bytes = "";
        break;
    case SQLITE_TEXT: {
        path = (const char *)sqlite3_value_text(rules);
        if (!path)
            return SQLITE_NOMEM;
        int rc = pws_stat(path, &k, msg);
        if (rc != SQLITE_OK)
            return rc;
        break;
    }
    default:
        *msg = sqlite3_mprintf("rules must be a file path (text) or a compiled .pwc (BLOB)");
        return SQLITE_MISMATCH;
    }
    pws_entry *e = pws_find(st, bytes, len, path, &k);
    if (e) {
        e->refs++;
        *out = e;
        return SQLITE_OK;
    }
    return pws_load(st, bytes, len, path, &k, out, msg);
}

int pws_as_of(sqlite3_value *v, pw_date *out, char **msg)
{
    *msg = NULL;
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        *out = pw_date_today();
        return SQLITE_OK;
    }
    const char *text = (const char *)sqlite3_value_text(v);
    if (sqlite3_value_type(v) != SQLITE_TEXT || !text) {
        *msg = sqlite3_mprintf("as_of must be a date as text 'YYYY-MM-DD', or NULL for today");
        return SQLITE_MISMATCH;
    }
    pw_error err;
    if (pw_date_parse(text, out, &err) != PW_OK) {
        *msg = pws_error_message(&err);
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

int pws_is_text(sqlite3_value *v)
{
    int t = sqlite3_value_type(v);
    return t == SQLITE_TEXT || t == SQLITE_BLOB;
}

int pws_entry_is(const pws_entry *e, sqlite3_value *rules)
{
    switch (sqlite3_value_type(rules)) {
    case SQLITE_BLOB: {
        const void *bytes = sqlite3_value_blob(rules);
        return pws_blob_matches(e, bytes ? bytes : "", (size_t)sqlite3_value_bytes(rules));
    }
    case SQLITE_TEXT: {
        const char *path = (const char *)sqlite3_value_text(rules);
        return path && e->path && strcmp(e->path, path) == 0;
    }
    default:
        return 0;
    }
}
