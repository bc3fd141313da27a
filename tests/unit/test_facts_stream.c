/* The fast path (src/facts/stream.c, pf_stream_load) against the usual one
 * (cJSON_ParseWithLengthOpts, the white-space check after the value,
 * pf_json_scan, pf_load_json), record by record: a differential check.
 * Whenever the fast path LOADS, the usual path loads too, and the two leave
 * the same facts: values by type, given bits, text ids and their text,
 * the record's own texts in the same order, list elements in order. Where
 * the usual path fails, the fast path must have DECLINED (and left the
 * facts reset). The id handed back is the one pw_eval_json used to take
 * from the tree.
 *
 * Corpus: every JSON Lines and JSON file under tests/, examples/ and
 * rules/ (each line, and each whole file), 2,000 records of the benchmark's
 * generator (bench/gen.c, built in: it must LOAD at least 99% of them),
 * and hand-written records for every reason to decline; over the USATF and
 * England Athletics rules, a rule set of its own with bounds, optional
 * fields, defaults, sets and nested lists, and the hand-built images of
 * tests/unit/facts_image.h (nested and recursive lists, two fields of one
 * name). */
#define _GNU_SOURCE /* memmem */
#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api_int.h"
#include "check_main.h"
#include "facts/facts.h"
#include "facts/facts_int.h"
#include "pathway.h"

#include "facts_image.h"

/* The benchmark's generator, built in (its main renamed). */
#define main gen_main
#include "../../bench/gen.c"
#undef main

/* ---- the usual path, and the comparison ------------------------------------ */

/* What pw_context_set_json did before the fast path, on the facts alone. */
static bool slow_load(pf_facts *f, const char *json, size_t len)
{
    const char *end = json;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    bool ok = root != NULL;
    for (const char *p = end; ok && p < json + len; p++)
        ok = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
    char msg[512];
    ok = ok && pf_json_scan(root, json, len) && pf_load_json(f, root, msg, sizeof msg);
    if (!ok)
        pf_reset(f);
    cJSON_Delete(root);
    return ok;
}

/* The id pw_eval_json took from the tree, or NULL. */
static char *slow_id(const char *json, size_t len)
{
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, NULL, 0);
    ck_assert_ptr_nonnull(root);
    pf_json_scan(root, json, len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
    char *s = cJSON_IsString(id) && !pf_json_has_nul(id) ? strdup(id->valuestring) : NULL;
    cJSON_Delete(root);
    return s;
}

static void same_text(const pf_facts *a, const pf_facts *b, uint32_t x, uint32_t y)
{
    ck_assert_uint_eq(x, y);
    ck_assert_ptr_nonnull(pf_string(a, x));
    ck_assert_str_eq(pf_string(a, x), pf_string(b, y));
}

static void same_values(const pf_facts *a, const pf_facts *b, uint32_t rec, const pv_value *x, const pv_value *y);

static void same_value(const pf_facts *a, const pf_facts *b, pb_type t, const pv_value *x, const pv_value *y)
{
    ck_assert_uint_eq(x->none, y->none);
    if (x->none)
        return;
    switch (t.kind) {
    case PB_T_INT: ck_assert_int_eq(x->as.i, y->as.i); break;
    case PB_T_NUM: ck_assert(memcmp(&x->as.n, &y->as.n, sizeof x->as.n) == 0); break;
    case PB_T_BOOL: ck_assert_int_eq(x->as.b, y->as.b); break;
    case PB_T_TEXT: same_text(a, b, x->as.s, y->as.s); break;
    case PB_T_DATE: ck_assert_int_eq(x->as.d, y->as.d); break;
    case PB_T_LIST: {
        ck_assert_uint_eq(x->count, y->count);
        uint32_t nf = a->img->records[t.rec].nfields;
        for (uint32_t i = 0; i < x->count; i++)
            same_values(a, b, t.rec, x->as.items + (size_t)i * nf, y->as.items + (size_t)i * nf);
        if (x->count) {
            ck_assert_ptr_null(pf_list_of(x)->given);
            ck_assert_ptr_null(pf_list_of(y)->given);
        }
        break;
    }
    case PB_T_SET:
        ck_assert_uint_eq(x->count, y->count);
        for (uint32_t i = 0; i < x->count; i++)
            same_text(a, b, x->as.items[i].as.s, y->as.items[i].as.s);
        break;
    default: ck_abort_msg("kind %u", t.kind);
    }
}

static void same_values(const pf_facts *a, const pf_facts *b, uint32_t rec, const pv_value *x, const pv_value *y)
{
    const pb_record *r = &a->img->records[rec];
    for (uint32_t j = 0; j < r->nfields; j++)
        same_value(a, b, a->img->fields[r->first_field + j].type, &x[j], &y[j]);
}

static void same_facts(const pf_facts *a, const pf_facts *b)
{
    uint32_t n = a->img->records[0].nfields;
    ck_assert(memcmp(a->given, b->given, n) == 0);
    same_values(a, b, 0, a->root, b->root);
    ck_assert_uint_eq(a->nextra, b->nextra);
    for (uint32_t k = 0; k < a->nextra; k++) {
        ck_assert_uint_eq(a->extra_len[k], b->extra_len[k]);
        ck_assert(memcmp(a->extra[k], b->extra[k], a->extra_len[k]) == 0);
    }
}

/* Facts reset: nothing given, no texts of the record's own. */
static void is_reset(const pf_facts *f)
{
    for (uint32_t j = 0; j < f->img->records[0].nfields; j++)
        ck_assert_uint_eq(f->given[j], 0);
    ck_assert_uint_eq(f->nextra, 0);
}

typedef struct pair {
    pf_facts fast, slow;
    unsigned loaded, declined;
} pair;

static void pair_init(pair *p, const pb_image *img)
{
    ck_assert(pf_init(&p->fast, img));
    ck_assert(pf_init(&p->slow, img));
    p->loaded = p->declined = 0;
}

static void pair_fini(pair *p)
{
    pf_fini(&p->fast);
    pf_fini(&p->slow);
}

/* The differential check of one record; returns whether the fast path
 * loaded it. */
static bool check_one(pair *p, const char *json, size_t len)
{
    const char *id = (const char *)1;
    size_t id_len = 99;
    pf_stream_result r = pf_stream_load(&p->fast, json, len, &id, &id_len);
    bool slow = slow_load(&p->slow, json, len);
    if (r == PF_STREAM_DECLINED) {
        p->declined++;
        ck_assert_ptr_null(id);
        ck_assert_uint_eq(id_len, 0);
        is_reset(&p->fast);
        ck_assert(!p->fast.oom);
        return false;
    }
    p->loaded++;
    ck_assert_msg(slow, "the fast path loaded what the usual one refuses: %.*s", (int)len, json);
    same_facts(&p->fast, &p->slow);
    char *want = slow_id(json, len);
    if (want) {
        ck_assert_ptr_nonnull(id);
        ck_assert_uint_eq(id_len, strlen(want));
        ck_assert(memcmp(id, want, id_len) == 0);
    } else {
        ck_assert_ptr_null(id);
    }
    free(want);
    /* And without asking for the id. */
    ck_assert_int_eq(pf_stream_load(&p->fast, json, len, NULL, NULL), PF_STREAM_LOADED);
    same_facts(&p->fast, &p->slow);
    return true;
}

static bool check_str(pair *p, const char *json)
{
    return check_one(p, json, strlen(json));
}

/* ---- images ---------------------------------------------------------------- */

static pw_program *compile_file(const char *path)
{
    pw_program *prog;
    pw_error err;
    ck_assert_msg(pw_compile_file(path, NULL, &prog, &err) == PW_OK, "%s", err.message);
    return prog;
}

/* A rule set with bounds of each kind, optional fields with and without
 * defaults, sets, lists nested in lists, and defaults of each kind. */
static const char own_rules[] =
    "facts r {\n"
    "  id: text\n"
    "  n: integer >= 0 <= 1000 = 0\n"
    "  x: number >= -1 <= 100 = 2.5\n"
    "  d: date >= 1900-01-01 <= 2100-12-31 = 2000-01-01\n"
    "  od: date? = none\n"
    "  ot: text?\n"
    "  ob: integer? >= 0 = none\n"
    "  b: boolean = true\n"
    "  tags: set of text = []\n"
    "  items: list of item = []\n"
    "  must: list of item\n"
    "}\n"
    "record item {\n"
    "  k: text\n"
    "  v: number? = none\n"
    "  subs: list of sub = []\n"
    "  labels: set of text = []\n"
    "}\n"
    "record sub {\n"
    "  s: text\n"
    "  i: integer = 7\n"
    "}\n"
    "program p \"P\" {\n"
    "  require \"a\": n >= 0 and x >= 0 and d > 1950-01-01 and b and \"known\" in tags\n"
    "}\n";

static pw_program *own_program(void)
{
    pw_program *prog;
    pw_error err;
    ck_assert_msg(pw_compile_source("own.pw", own_rules, strlen(own_rules), NULL, &prog, &err) == PW_OK, "%s",
                  err.message);
    return prog;
}

/* ---- the corpus ------------------------------------------------------------ */

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* Each line of the text, then the whole text. */
static void check_text(pair *p, const char *text, size_t len)
{
    for (const char *s = text, *end = text + len; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        if (e > s)
            check_one(p, s, (size_t)(e - s));
        s = e + 1;
    }
    check_one(p, text, len);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static unsigned files_seen;

static void check_tree(pair *p, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            check_tree(p, path);
        } else if ((has_suffix(path, ".jsonl") || has_suffix(path, ".json")) && st.st_size < 4 * 1024 * 1024) {
            size_t len;
            char *text = read_all(path, &len);
            check_text(p, text, len);
            free(text);
            files_seen++;
        }
    }
    closedir(d);
}

static void check_corpus(pair *p)
{
    files_seen = 0;
    check_tree(p, PW_SOURCE_DIR "/tests");
    check_tree(p, PW_SOURCE_DIR "/examples");
    check_tree(p, PW_SOURCE_DIR "/rules");
    ck_assert_uint_gt(files_seen, 50);
}

/* The generator's records, as a file. */
static char *generated(size_t records, size_t *len)
{
    char path[] = "/tmp/pw-stream-gen-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char n[32];
    snprintf(n, sizeof n, "%zu", records);
    char *argv[] = {"gen", "--records", n, "--as-of", "2026-11-23", "-o", path, NULL};
    ck_assert_int_eq(gen_main(7, argv), 0);
    char *text = read_all(path, len);
    unlink(path);
    return text;
}

/* ---- tests ------------------------------------------------------------------ */

START_TEST(test_usatf_generated)
{
    pw_program *prog = compile_file(PW_SOURCE_DIR "/rules/usatf/usatf.pw");
    pair p;
    pair_init(&p, prog->img);
    size_t len;
    char *text = generated(2000, &len);
    unsigned lines = 0, with_hours = 0, hours_loaded = 0;
    for (const char *s = text, *end = text + len; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        if (e > s) {
            lines++;
            bool hours = memmem(s, (size_t)(e - s), "\"hours\":", 8) != NULL;
            bool loaded = check_one(&p, s, (size_t)(e - s));
            with_hours += hours;
            hours_loaded += hours && loaded;
        }
        s = e + 1;
    }
    free(text);
    ck_assert_uint_eq(lines, 2000);
    ck_assert_msg(p.loaded * 100 >= lines * 99, "loaded %u of %u", p.loaded, lines);
    ck_assert_uint_gt(with_hours, 0);
    ck_assert_uint_eq(hours_loaded, with_hours);
    pair_fini(&p);
    pw_program_free(prog);
}
END_TEST

START_TEST(test_corpus)
{
    static const char *const paths[] = {PW_SOURCE_DIR "/rules/usatf/usatf.pw",
                                         PW_SOURCE_DIR "/rules/england-athletics/england-athletics.pw"};
    for (size_t i = 0; i < 3; i++) {
        pw_program *prog = i < 2 ? compile_file(paths[i]) : own_program();
        pair p;
        pair_init(&p, prog->img);
        check_corpus(&p);
        if (i < 2)
            ck_assert_uint_gt(p.loaded, 50);
        ck_assert_uint_gt(p.declined, 50);
        pair_fini(&p);
        pw_program_free(prog);
    }
}
END_TEST

/* A record of the own rules: the required fields, then `more`. */
#define OWN(more) "{\"id\":\"R1\",\"ot\":null" more ",\"must\":[]}"

typedef struct edge {
    const char *json;
    bool loads; /* by the fast path */
} edge;

/* Records the fast path loads (checked against the usual path). */
static const edge own_edges[] = {
    {OWN(""), true},
    /* every field, in declaration order, with texts the image does not know */
    {"{\"id\":\"R2\",\"n\":1000,\"x\":-1,\"d\":\"1900-01-01\",\"od\":\"2026-02-28\",\"ot\":\"zz\",\"b\":false,"
     "\"tags\":[\"known\",\"t1\",\"t1\",\"t2\"],\"items\":[{\"k\":\"a\",\"v\":1.25,\"subs\":[{\"s\":\"q\",\"i\":-5},"
     "{\"s\":\"r\"}],\"labels\":[\"l\"]},{\"k\":\"b\",\"v\":null}],\"must\":[{\"k\":\"m\",\"subs\":[]}]}",
     true},
    /* whole numbers in a number field, -0 in both kinds */
    {OWN(",\"x\":100,\"n\":-0"), true},
    {OWN(",\"x\":-0,\"n\":0"), true},
    /* null in a bounded optional field: no bound to meet */
    {OWN(",\"ob\":null"), true},
    {OWN(",\"ob\":3"), true},
    {OWN(",\"x\":0.5,\"n\":999999999999999"), false}, /* n above 1000: a bound */
    /* keys out of order, one text of the record's own: the order of ids
     * cannot differ */
    {"{\"must\":[],\"ot\":\"own1\",\"id\":\"known\"}", true},
    /* keys out of order with two texts the image does not know: declined */
    {"{\"must\":[],\"ot\":\"own1\",\"id\":\"own2\"}", false},
    /* keys not declared, of every kind, skipped (nested, with arrays) */
    {OWN(",\"zz\":{\"a\":[1,{\"b\":null}],\"c\":true},\"yy\":[[],{}],\"ww\":1e999,\"vv\":\"\\\\u\""), true},
    /* a key that is the start of a field's name, and one that has it as its start */
    {OWN(",\"ta\":1,\"tagsx\":2,\"i\":3"), true},
    /* escapes other than \u */
    {OWN(",\"tags\":[\"a\\n\\t\\\"\\\\\\/\\b\\f\\r\"]"), true},
    /* white space around the record and between tokens */
    {" \t\r\n" OWN("") " \n\t\r", true},
    {"{ \"id\" : \"R1\" ,\n\"ot\" :\tnull , \"must\" : [ ] }", true},
    /* a set past the scratch kept on the stack, twice over (it moves to the heap, and grows there) */
    {NULL, true},
    /* a text as long as max_string allows (set below) */
};

START_TEST(test_own_edges)
{
    pw_program *prog = own_program();
    pair p;
    pair_init(&p, prog->img);
    for (size_t i = 0; i < sizeof own_edges / sizeof own_edges[0]; i++) {
        const char *json = own_edges[i].json;
        char *built = NULL;
        if (!json) {
            size_t cap = 20000, n = 0;
            built = malloc(cap);
            n += (size_t)snprintf(built + n, cap - n, "{\"id\":\"R\",\"ot\":null,\"tags\":[");
            for (int k = 0; k < 700; k++)
                n += (size_t)snprintf(built + n, cap - n, "%s\"t%d\"", k ? "," : "", k);
            snprintf(built + n, cap - n, "],\"must\":[]}");
            json = built;
        }
        ck_assert_msg(check_str(&p, json) == own_edges[i].loads, "edge %zu: %.300s", i, json);
        free(built);
    }
    pair_fini(&p);
    pw_program_free(prog);
}
END_TEST

/* Records the fast path declines, each for the reason in its comment
 * (the usual path's verdict is checked too: it may load some). */
static const char *const own_declined[] = {
    "{\"id\":\"R1\",\"ot\":null,\"must\":[]", /* yajl: not JSON (cut short) */
    OWN("") "x",                             /* yajl: trailing garbage */
    OWN("") "\f",                            /* white space cJSON's check refuses after the value */
    OWN("") " \v ",                          /* the same, between blanks */
    "   ",                                   /* nothing but white space */
    "",                                      /* nothing */
    "[" OWN("") "]",                         /* a top level that is an array */
    "\"R1\"",                                /* a top level that is text (ends with no brace) */
    "{\"a\":1} 5",                           /* trailing value */
    "5 }",                                   /* a top level that is a number (ends with a brace) */
    "[] }",                                  /* a top level that is an array (ends with a brace) */
    OWN("") "\\",                           /* a backslash, last */
    OWN(",\"zz\":\"\\u0041\""),              /* a \u escape */
    OWN(",\"zz\":\"\\u0000\""),              /* U+0000 */
    OWN(",\"zz\":\"x\\\\\\u0041\""),         /* \u after an escaped backslash, in a key not declared */
    OWN(",\"zz\":\"\xff\""),                 /* not UTF-8 */
    OWN(",\"zz\":\"a\x01\""),                /* a raw control character in text */
    OWN(",\"n\":1,\"n\":2"),                 /* a field given twice */
    "{\"id\":\"R1\",\"ot\":null,\"must\":[{\"k\":\"a\",\"k\":\"b\"}]}", /* twice in an element */
    "{\"ot\":null,\"must\":[]}",             /* a required field missing */
    "{\"id\":\"R1\",\"ot\":null,\"must\":[{\"v\":1}]}", /* missing in an element */
    OWN(",\"n\":\"5\""),                     /* text for an integer */
    OWN(",\"n\":true"),                      /* a boolean for an integer */
    OWN(",\"b\":1"),                         /* a number for a boolean */
    OWN(",\"x\":\"1\""),                     /* text for a number */
    OWN(",\"d\":5"),                         /* a number for a date */
    OWN(",\"tags\":\"a\""),                  /* text for a set */
    OWN(",\"tags\":{}"),                     /* an object for a set */
    OWN(",\"id\":{}"),                       /* an object for text (and "id" twice) */
    OWN(",\"items\":[{\"k\":{}}]"),                    /* an object for text */
    OWN(",\"n\":[]"),                        /* an array for an integer */
    OWN(",\"tags\":[1]"),                    /* a number in a set */
    OWN(",\"tags\":[null]"),                 /* null in a set */
    OWN(",\"tags\":[[]]"),                   /* an array in a set */
    OWN(",\"tags\":[{}]"),                   /* an object in a set */
    OWN(",\"items\":[1]"),                   /* a number in a list of records */
    OWN(",\"items\":[\"a\"]"),               /* text in a list of records */
    OWN(",\"items\":[null]"),                /* null in a list of records */
    OWN(",\"items\":[true]"),                /* a boolean in a list of records */
    OWN(",\"items\":[[]]"),                  /* an array in a list of records */
    OWN(",\"n\":null"),                      /* null where not optional */
    OWN(",\"tags\":null"),                   /* null for a set */
    OWN(",\"n\":-1"),                        /* below a bound (integer) */
    OWN(",\"n\":1001"),                      /* above a bound */
    OWN(",\"x\":100.5"),                     /* above a bound (number) */
    OWN(",\"d\":\"1899-12-31\""),            /* below a bound (date) */
    OWN(",\"n\":1.5"),                       /* a fraction for an integer */
    OWN(",\"n\":1e2"),                       /* an exponent for an integer */
    OWN(",\"n\":1234567890123456"),          /* sixteen digits */
    OWN(",\"x\":1e2"),                       /* an exponent for a number */
    OWN(",\"x\":1.5e1"),                     /* a fraction with an exponent */
    OWN(",\"x\":1234567890123456"),          /* sixteen digits for a number */
    OWN(",\"x\":0.00001"),                   /* not a plain fraction (four zeros) */
    OWN(",\"x\":1.50"),                      /* not a plain fraction (a trailing zero) */
    OWN(",\"x\":01"),                        /* a leading zero: not JSON */
    OWN(",\"d\":\"2026-02-30\""),            /* no such day */
    OWN(",\"d\":\"2026-1-01\""),             /* not YYYY-MM-DD */
    OWN(",\"od\":\"3000-01-01\""),           /* out of the years */
    "{\"must\":[],\"ot\":\"own1\",\"id\":\"own2\"}", /* out of order with two texts of its own */
};

START_TEST(test_own_declined)
{
    pw_program *prog = own_program();
    pair p;
    pair_init(&p, prog->img);
    for (size_t i = 0; i < sizeof own_declined / sizeof own_declined[0]; i++)
        ck_assert_msg(!check_str(&p, own_declined[i]), "%zu: %s", i, own_declined[i]);
    /* Bytes past a NUL: the length, not the NUL, ends the text. */
    ck_assert(!check_one(&p, OWN("") "\0", sizeof OWN("")));
    /* The limits: a list, a set past max_list, a text past max_string. */
    p.fast.max_list = p.slow.max_list = 2;
    ck_assert(check_str(&p, OWN(",\"tags\":[\"a\",\"b\"],\"items\":[{\"k\":\"a\"},{\"k\":\"b\"}]")));
    ck_assert(!check_str(&p, OWN(",\"tags\":[\"a\",\"b\",\"c\"]")));
    ck_assert(!check_str(&p, OWN(",\"items\":[{\"k\":\"a\"},{\"k\":\"b\"},{\"k\":\"c\"}]")));
    p.fast.max_list = p.slow.max_list = 0;
    p.fast.max_string = p.slow.max_string = 3;
    ck_assert(check_str(&p, OWN(",\"tags\":[\"abc\"]")));
    ck_assert(!check_str(&p, OWN(",\"tags\":[\"abcd\"]")));
    p.fast.max_string = p.slow.max_string = 0;
    /* Lists nested: two levels allowed, not one. */
    p.fast.max_depth = p.slow.max_depth = 2;
    ck_assert(check_str(&p, OWN(",\"items\":[{\"k\":\"a\",\"subs\":[{\"s\":\"x\"}]}]")));
    p.fast.max_depth = p.slow.max_depth = 1;
    ck_assert(!check_str(&p, OWN(",\"items\":[{\"k\":\"a\",\"subs\":[{\"s\":\"x\"}]}]")));
    ck_assert(check_str(&p, OWN(",\"items\":[{\"k\":\"a\",\"subs\":[]}]")) == false);
    p.fast.max_depth = p.slow.max_depth = 0;
    /* Containers nested past the fast path's bound (128), in a key not
     * declared: the usual path loads it. */
    char deep[1024];
    size_t n = (size_t)snprintf(deep, sizeof deep, "{\"id\":\"R\",\"ot\":null,\"must\":[],\"zz\":");
    for (int k = 0; k < 200; k++)
        deep[n++] = '[';
    for (int k = 0; k < 200; k++)
        deep[n++] = ']';
    deep[n++] = '}';
    ck_assert(!check_one(&p, deep, n));
    ck_assert(slow_load(&p.slow, deep, n));
    /* Objects too. */
    n = (size_t)snprintf(deep, sizeof deep, "{\"id\":\"R\",\"ot\":null,\"must\":[],\"zz\":");
    for (int k = 0; k < 130; k++)
        n += (size_t)snprintf(deep + n, sizeof deep - n, "{\"a\":");
    deep[n++] = '1';
    for (int k = 0; k < 131; k++)
        deep[n++] = '}';
    ck_assert(!check_one(&p, deep, n));
    pair_fini(&p);
    pw_program_free(prog);
}
END_TEST

/* The hand-built images: lists nested three deep, a recursive record and
 * the depth limit, two fields of one name, a record of no fields. */
START_TEST(test_images)
{
    pb_image *img = fi_nested_image();
    pair p;
    pair_init(&p, img);
    ck_assert(check_str(&p, "{\"xs\":[{\"n\":1,\"ys\":[{\"c\":\"a\"},{\"c\":\"b\",\"w\":2}]},{\"n\":2}],\"tag\":null}"));
    ck_assert(check_str(&p, "{}"));
    ck_assert(!check_str(&p, "{\"xs\":[{\"n\":1,\"ys\":[{\"c\":1}]}]}"));
    pair_fini(&p);
    pb_image_free(img);

    img = fi_node_image();
    pair_init(&p, img);
    ck_assert(check_str(&p, "{\"kids\":[{\"kids\":[{\"v\":3}]},{}]}"));
    p.fast.max_depth = p.slow.max_depth = 2;
    ck_assert(!check_str(&p, "{\"kids\":[{\"kids\":[{\"kids\":[]}]}]}"));
    pair_fini(&p);
    pb_image_free(img);

    /* Two fields named alike: the usual path's business. */
    static const fi_field dup_fields[] = {
        {"a", PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 1}, 0, 0}},
        {"a", PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 2}, 0, 0}},
    };
    static const fi_record dup_records[] = {{"d", dup_fields, 2}};
    img = fi_build(dup_records, 1, NULL, 0);
    pair_init(&p, img);
    ck_assert(!check_str(&p, "{\"a\":5}"));
    pair_fini(&p);
    pb_image_free(img);

    /* A record of 65 fields: past the fast path's 64. */
    static fi_field many[65];
    static char names[65][8];
    for (int k = 0; k < 65; k++) {
        snprintf(names[k], sizeof names[k], "f%d", k);
        many[k] = (fi_field){names[k], PB_T_INT, 0, 0, PB_DEF_VALUE, {{.i = 0}, 0, 0}};
    }
    fi_record many_rec[] = {{"m", many, 65}};
    img = fi_build(many_rec, 1, NULL, 0);
    pair_init(&p, img);
    ck_assert(!check_str(&p, "{\"f1\":5}"));
    pair_fini(&p);
    pb_image_free(img);
    many_rec[0].nfields = 64;
    img = fi_build(many_rec, 1, NULL, 0);
    pair_init(&p, img);
    ck_assert(check_str(&p, "{\"f63\":5,\"f0\":1}"));
    pair_fini(&p);
    pb_image_free(img);
    (void)fi_req_image, (void)fi_coach_image;
}
END_TEST

/* Facts not initialised: declined. */
START_TEST(test_uninitialised)
{
    pf_facts f;
    memset(&f, 0, sizeof f);
    const char *id = (const char *)1;
    size_t len = 5;
    ck_assert_int_eq(pf_stream_load(&f, "{}", 2, &id, &len), PF_STREAM_DECLINED);
    ck_assert_ptr_null(id);
    ck_assert_uint_eq(len, 0);
}
END_TEST

/* The id handed back: a string, else none; "id" twice is declined. */
START_TEST(test_ids)
{
    pw_program *prog = compile_file(PW_SOURCE_DIR "/rules/usatf/usatf.pw");
    pair p;
    pair_init(&p, prog->img);
    ck_assert(check_str(&p, "{\"id\":\"C\\n1\",\"birth_date\":\"1990-01-01\",\"x\":{\"id\":\"no\"}}"));
    ck_assert(!check_str(&p, "{\"id\":\"C1\",\"birth_date\":\"1990-01-01\",\"id\":\"C2\"}"));
    pair_fini(&p);
    pw_program_free(prog);
    /* Rules whose record has no field `id`: it is still handed back when a
     * string, and not otherwise; twice is declined. */
    static const char rules[] = "facts r { n: integer = 0 }\nprogram p \"P\" { require \"a\": n >= 0 }\n";
    pw_error err;
    ck_assert_msg(pw_compile_source("r.pw", rules, strlen(rules), NULL, &prog, &err) == PW_OK, "%s", err.message);
    pair_init(&p, prog->img);
    ck_assert(check_str(&p, "{\"id\":\"abc\",\"n\":1}"));
    ck_assert(check_str(&p, "{\"id\":5,\"n\":1}"));
    ck_assert(check_str(&p, "{\"id\":[\"x\"],\"n\":1}"));
    ck_assert(check_str(&p, "{\"n\":1,\"ids\":\"x\",\"i\":\"y\"}"));
    ck_assert(!check_str(&p, "{\"id\":\"a\",\"id\":\"b\"}"));
    pair_fini(&p);
    pw_program_free(prog);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("facts_stream");
    TCase *tc = tcase_create("stream");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_usatf_generated);
    tcase_add_test(tc, test_corpus);
    tcase_add_test(tc, test_own_edges);
    tcase_add_test(tc, test_own_declined);
    tcase_add_test(tc, test_images);
    tcase_add_test(tc, test_uninitialised);
    tcase_add_test(tc, test_ids);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return pw_run_suite(suite());
}
