/* extensions/sqlite/pws.h: the SQLite extension's parts (docs/sqlite.md).
 *
 * One pws_state per connection that loaded the extension: its cache of
 * compiled rule sets, each with the pw_context the connection evaluates in.
 * SQLite runs a connection's functions one at a time (docs/sqlite.md,
 * "Threads"), so an entry's context is never used by two calls at once. */
#ifndef PWS_H
#define PWS_H

#include <sqlite3ext.h>
#include <stddef.h>
#include <stdint.h>

#include "pathway.h"

/* Not the whole API table: sqlite3ext.h's macros reach it through this
 * pointer, set once by the entry point (pathway_sqlite.c). */
SQLITE_EXTENSION_INIT3

/* How many compiled rule sets a connection keeps. */
#define PWS_CACHE_MAX 8

/* A compiled rule set, keyed by what it was made from: a BLOB's bytes, or a
 * file's path with its device, inode, size and modification time. Counted
 * references: the cache holds one, so does every statement that keeps it
 * (sqlite3_set_auxdata) and every open pathway_results cursor. */
typedef struct pws_entry pws_entry;
struct pws_entry {
    pws_entry *next;
    unsigned refs;
    unsigned char *bytes; /* BLOB: a copy of the .pwc, compared in full */
    size_t len;
    char *path;           /* file: its path as given, and its stat */
    uint64_t dev, ino, size;
    int64_t mtime_s, mtime_ns;
    pw_program *prog;
    pw_context *ctx;
};

typedef struct pws_state {
    unsigned refs;          /* the functions and the module registered with it */
    pws_entry *entries;     /* most recently used first */
    unsigned count;
    sqlite3_int64 loads;    /* rule sets compiled or loaded */
    sqlite3_int64 hits;     /* lookups the cache answered */
} pws_state;

/* The compiled rule set `rules` names (a path or a .pwc BLOB), from the cache
 * or loaded into it; *out gets a reference the caller releases with
 * pws_entry_release. Otherwise an SQLite code and *msg (sqlite3_malloc'd). */
int pws_rules(pws_state *st, sqlite3_value *rules, pws_entry **out, char **msg);
void pws_entry_release(void *entry);
/* Whether `rules` names the entry: the same BLOB bytes, or the same path (its
 * file not looked at again: a statement keeps the rules it started with). */
int pws_entry_is(const pws_entry *e, sqlite3_value *rules);
void pws_state_release(void *state);
/* The statistics pathway_cache_stats() returns, as a JSON object. */
char *pws_cache_stats(const pws_state *st);

/* coach_json: text, or a BLOB of UTF-8 (as readfile() returns). */
int pws_is_text(sqlite3_value *v);

/* as_of: 'YYYY-MM-DD' text, or NULL for today (the local date). */
int pws_as_of(sqlite3_value *v, pw_date *out, char **msg);

int pws_register_functions(sqlite3 *db, pws_state *st);
int pws_register_results(sqlite3 *db, pws_state *st);

#endif
