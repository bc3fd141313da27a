/* What the server knows of a compilation, kept after the tree is freed (index.c):
 * every declaration a name can mean (its place and its hover text), every
 * place a name is used, and the lists completion offers. Positions are
 * already LSP ranges, in the file's URI. */
#ifndef LS_INDEX_H
#define LS_INDEX_H

#include "lsp_int.h"

typedef enum ls_kind {
    LS_K_FIELD, LS_K_DEFINE, LS_K_PROGRAM, LS_K_REQUIREMENT, LS_K_KNOWN, LS_K_SOURCE,
    LS_K_BLOCK, LS_K_RECORD, LS_K_EXAMPLE
} ls_kind;

/* A string -> index table (open addressing; keys are borrowed, not
 * copied): entities by key, and completion's labels offered once. */
typedef struct ls_map {
    const char **keys;
    size_t *vals;
    size_t cap, count;   /* cap is 0 or a power of two */
} ls_map;

/* SIZE_MAX when absent. */
size_t ls_map_get(const ls_map *m, const char *key);
/* Adds a key that is not in the map (the callers look it up first); false
 * without memory. */
bool ls_map_put(ls_map *m, const char *key, size_t val);
void ls_map_fini(ls_map *m);

/* A place in a file of the compilation. */
typedef struct ls_place {
    uint32_t file;          /* index into ls_index.uris */
    size_t start, end;      /* bytes */
    ls_pos a, b;            /* the same as an LSP range */
} ls_place;

/* A declaration: `key` names it ("f:coach.age", "d:adult", "p:level_1",
 * "r:level_1:label", "k:regions", "s:enrol", "b:adult_member"). */
typedef struct ls_entity {
    char *key;
    char *name;             /* as completion offers it */
    ls_kind kind;
    char *hover;            /* Markdown */
    char *detail;           /* one line: a field's record, a program's title */
    char *known;            /* a field's `known` list, or NULL */
    char **values;          /* a `known` list's values (extensions too) */
    size_t nvalues;
    char **param_known;     /* a definition's parameters: each one's `known`
                               list, or NULL */
    size_t nparams;
    ls_place at;            /* its name where declared */
} ls_entity;

/* A use of a name (a declaration's own name counts as one too). */
typedef struct ls_use {
    size_t entity;
    ls_place at;
} ls_use;

struct ls_index {
    char **uris;            /* per file of the compilation; [0] the document */
    uint32_t nfiles;
    ls_entity *ents;
    size_t nents, cap_ents;
    ls_map by_key;          /* entity index by key */
    ls_use *uses;
    size_t nuses, cap_uses;
    /* The document's tests (bytes of file 0), for completion. */
    size_t *tests;          /* start, end pairs */
    size_t ntests, cap_tests;
    bool oom;
};
typedef struct ls_index ls_index;

/* Compiles the document (its includes from disk) and indexes the checked
 * tree; NULL without memory. An index of text that does not compile holds
 * what the checker resolved. */
ls_index *ls_index_build(const ls_doc *doc);

/* The use at byte `offset` of the document (file 0), or NULL. */
const ls_use *ls_index_use_at(const ls_index *x, size_t offset);
/* The entity of a key, or NULL. */
const ls_entity *ls_index_find(const ls_index *x, const char *key);
/* {"uri":..,"range":..} of a place. */
cJSON *ls_index_location(const ls_index *x, const ls_place *p);

#endif
