/* bench/floor.c: the hand-written C floor for deciding the 11 USATF programs.
 *
 * What a C programmer would write by hand for exactly these rules, to know
 * how fast deciding them can be: the coach records are loaded first (with
 * cJSON, not timed) into plain structs, text interned to small integers, dates
 * packed as YYYYMMDD integers; then one function decides, for a coach, every
 * program: which `require`s are unmet (a bit per requirement, in declaration
 * order) and which `prefer`s. That function, called N times, is what is timed.
 * The rules are those of rules/usatf/usatf.pw, as docs/coach-record.md
 * (sections 2 and 3) states them.
 *
 * usage: floor FILE --as-of YYYY-MM-DD [--coaches K] [--evals N] [--rounds R]
 *              [--by-requirement]
 *          K distinct coaches (the first K records, default 100) are decided
 *          round-robin N times (default: the number of records in FILE), on
 *          the given day and the next in turn, pass after pass; the best of R
 *          rounds (default 3) is printed as
 *            floor: ns_per_coach=... coaches=K evals=N checksum=...
 *          --by-requirement times decide_by_requirement instead: the same
 *          decisions without sharing anything between programs.
 *        floor FILE --as-of YYYY-MM-DD --emit
 *          prints what `pathway eval --format jsonl` prints for FILE, from the
 *          same decisions (the benchmark checks that the two agree). */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_date.h"
#include "bench_lines.h"

/* ---- the coach, as plain structs ------------------------------------------ */

#define NO_DATE INT32_MAX /* a null expiry or an absent coaching_since */

enum body { B_USATF, B_REGISTRY, B_OTHER };
enum cert {
    C_DEVELOPMENTAL, C_LEVEL_1, C_LEVEL_2, C_LEVEL_3,
    C_TECHNICAL, C_MASTER, C_OTHER
};
enum role {
    R_STATE_HS, R_COLLEGIATE, R_CHAMPIONSHIP, R_TEAM_ATHLETE, R_TEAM_STAFF, R_OTHER
};

typedef struct membership {
    int32_t expires; /* YYYYMMDD, or NO_DATE */
    uint8_t body;
} membership;

typedef struct certificate {
    int32_t issued, expires;
    uint8_t id;
} certificate;

typedef struct coach {
    int32_t birth, since;             /* YYYYMMDD; since NO_DATE when absent or null */
    uint32_t mem, nmem;               /* a slice of the membership pool */
    uint32_t cert, ncert;             /* of the certificate pool */
    uint32_t role, nroles;            /* of the role pool */
    uint32_t athletes;
    bool teaching, sport_science;     /* advanced_degree == "sport-science" */
    char *id;
} coach;

static membership *mems;
static certificate *certs;
static uint8_t *roles;
static size_t nmems, ncerts, nroles_total, cap_mems, cap_certs, cap_roles;

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap * 2 : 1024;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * size);
    if (!q) {
        fputs("floor: out of memory\n", stderr);
        exit(1);
    }
    *cap = n;
    return q;
}

/* ---- the decisions ---------------------------------------------------------- */

enum {
    P_DEVELOPMENTAL, P_BRIDGE, P_LEVEL_1, P_LEVEL_2, P_LEVEL_3, P_INSTRUCTOR,
    P_MARATHON, P_CROSS_COUNTRY, P_PODIUM, P_CAMPUS, P_PARTNER, NPROG
};

typedef struct decision {
    uint8_t unmet[NPROG]; /* bit i: the program's i-th `require` is unmet */
    uint8_t pref[NPROG];  /* bit i: its i-th `prefer` */
} decision;

/* Full years from `from` to `to`, both YYYYMMDD: the spec's formula,
 * to.year - from.year - ((to.month, to.day) < (from.month, from.day)). */
static inline int full_years(int32_t from, int32_t to)
{
    int32_t diff = to - from;
    int32_t q = diff / 10000;
    return (int)(diff % 10000 < 0 ? q - 1 : q);
}

static inline bool member(const coach *c, int body, int32_t today)
{
    const membership *m = mems + c->mem;
    for (uint32_t i = 0; i < c->nmem; i++)
        if (m[i].body == body && m[i].expires >= today)
            return true;
    return false;
}

static inline bool current(const coach *c, int id, int32_t today)
{
    const certificate *k = certs + c->cert;
    for (uint32_t i = 0; i < c->ncert; i++)
        if (k[i].id == id && k[i].issued <= today && k[i].expires >= today)
            return true;
    return false;
}

static inline bool has_role(const coach *c, int role)
{
    const uint8_t *r = roles + c->role;
    for (uint32_t i = 0; i < c->nroles; i++)
        if (r[i] == role)
            return true;
    return false;
}

/* Bit i set when `cond` holds. */
#define BIT(cond, i) ((unsigned)(cond) << (i))

static void decide(const coach *c, int32_t today, decision *out)
{
    const bool usatf = member(c, B_USATF, today);
    const bool registry = member(c, B_REGISTRY, today);
    const bool adult = full_years(c->birth, today) >= 18;
    const int experience = c->since > today ? 0 : full_years(c->since, today);
    const bool level_2 = current(c, C_LEVEL_2, today);
    const bool level_3 = current(c, C_LEVEL_3, today);
    const unsigned member_adult = BIT(!usatf, 0) | BIT(!adult, 1);

    out->unmet[P_DEVELOPMENTAL] = (uint8_t)member_adult;
    out->unmet[P_BRIDGE] = (uint8_t)(member_adult | BIT(!current(c, C_DEVELOPMENTAL, today), 2));
    out->unmet[P_LEVEL_1] = (uint8_t)member_adult;
    out->unmet[P_LEVEL_2] = (uint8_t)(member_adult | BIT(!current(c, C_LEVEL_1, today), 2) |
                                      BIT(experience < 2, 3));
    out->unmet[P_LEVEL_3] = (uint8_t)(member_adult | BIT(!level_2, 2) | BIT(experience < 5, 3));
    out->unmet[P_INSTRUCTOR] = (uint8_t)(BIT(!registry, 0) | BIT(!(level_2 || level_3), 1) |
                                         BIT(experience < 8, 2));
    out->pref[P_INSTRUCTOR] = !(c->teaching || c->sport_science);
    out->unmet[P_MARATHON] = (uint8_t)member_adult;
    out->unmet[P_CROSS_COUNTRY] = (uint8_t)member_adult;
    const bool podium = has_role(c, R_STATE_HS) || has_role(c, R_COLLEGIATE) ||
                        has_role(c, R_CHAMPIONSHIP) || has_role(c, R_TEAM_ATHLETE) ||
                        has_role(c, R_TEAM_STAFF) || level_2 || level_3 ||
                        current(c, C_TECHNICAL, today) || current(c, C_MASTER, today);
    out->unmet[P_PODIUM] = (uint8_t)(BIT(!registry, 0) | BIT(!podium, 1));
    out->unmet[P_CAMPUS] = !adult;
    out->unmet[P_PARTNER] = 0;
}

/* The same decisions made requirement by requirement, each as the rule file
 * states it: nothing is shared between programs, so `member("usatf")` is
 * looked up for each of the six programs that require it — the work the VM
 * does. (--by-requirement) */
static void decide_by_requirement(const coach *c, int32_t today, decision *out)
{
#define AGE18 (full_years(c->birth, today) >= 18)
#define EXP (c->since > today ? 0 : full_years(c->since, today))
    out->unmet[P_DEVELOPMENTAL] = (uint8_t)(BIT(!member(c, B_USATF, today), 0) | BIT(!AGE18, 1));
    out->unmet[P_BRIDGE] = (uint8_t)(BIT(!member(c, B_USATF, today), 0) | BIT(!AGE18, 1) |
                                     BIT(!current(c, C_DEVELOPMENTAL, today), 2));
    out->unmet[P_LEVEL_1] = (uint8_t)(BIT(!member(c, B_USATF, today), 0) | BIT(!AGE18, 1));
    out->unmet[P_LEVEL_2] = (uint8_t)(BIT(!member(c, B_USATF, today), 0) | BIT(!AGE18, 1) |
                                      BIT(!current(c, C_LEVEL_1, today), 2) | BIT(EXP < 2, 3));
    out->unmet[P_LEVEL_3] = (uint8_t)(BIT(!member(c, B_USATF, today), 0) | BIT(!AGE18, 1) |
                                      BIT(!current(c, C_LEVEL_2, today), 2) | BIT(EXP < 5, 3));
    out->unmet[P_INSTRUCTOR] = (uint8_t)(
        BIT(!member(c, B_REGISTRY, today), 0) |
        BIT(!(current(c, C_LEVEL_2, today) || current(c, C_LEVEL_3, today)), 1) | BIT(EXP < 8, 2));
    out->pref[P_INSTRUCTOR] = !(c->teaching || c->sport_science);
    out->unmet[P_MARATHON] = (uint8_t)(BIT(!member(c, B_USATF, today), 0) | BIT(!AGE18, 1));
    out->unmet[P_CROSS_COUNTRY] = (uint8_t)(BIT(!member(c, B_USATF, today), 0) | BIT(!AGE18, 1));
    const bool podium = has_role(c, R_STATE_HS) || has_role(c, R_COLLEGIATE) ||
                        has_role(c, R_CHAMPIONSHIP) || has_role(c, R_TEAM_ATHLETE) ||
                        has_role(c, R_TEAM_STAFF) || current(c, C_LEVEL_2, today) ||
                        current(c, C_LEVEL_3, today) || current(c, C_TECHNICAL, today) ||
                        current(c, C_MASTER, today);
    out->unmet[P_PODIUM] = (uint8_t)(BIT(!member(c, B_REGISTRY, today), 0) | BIT(!podium, 1));
    out->unmet[P_CAMPUS] = !AGE18;
    out->unmet[P_PARTNER] = 0;
#undef AGE18
#undef EXP
}

/* ---- loading (not timed) ---------------------------------------------------- */

static const char *const body_names[] = {"usatf", "usatf-coaches-registry"};
static const char *const cert_names[] = {"usatf-developmental", "usatf-level-1", "usatf-level-2",
                                         "usatf-level-3", "ustfccca-technical-specialist",
                                         "ustfccca-master-coach"};
static const char *const role_names[] = {"primary-coach-state-hs-qualifier",
                                         "primary-coach-collegiate-qualifier",
                                         "primary-coach-usatf-championship-qualifier",
                                         "national-team-athlete", "national-team-staff-coach"};

static int intern(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return n;
}

static long g_line;

static _Noreturn void bad(const char *what)
{
    fprintf(stderr, "floor: line %ld: %s (the benchmark's population is valid)\n", g_line, what);
    exit(1);
}

static int32_t packed_date(const cJSON *v, bool nullable)
{
    int y, m, d;
    if (nullable && cJSON_IsNull(v))
        return NO_DATE;
    if (!cJSON_IsString(v) || !bd_parse(v->valuestring, &y, &m, &d))
        bad("not a date");
    return y * 10000 + m * 100 + d;
}

static const cJSON *list(const cJSON *rec, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    if (v && !cJSON_IsArray(v))
        bad(key);
    return v;
}

static void load(coach *c, const char *text, size_t len)
{
    cJSON *rec = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(rec))
        bad("not a JSON object");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
    if (!cJSON_IsString(id))
        bad("id");
    memset(c, 0, sizeof *c);
    c->id = strdup(id->valuestring);
    c->birth = packed_date(cJSON_GetObjectItemCaseSensitive(rec, "birth_date"), false);
    const cJSON *since = cJSON_GetObjectItemCaseSensitive(rec, "coaching_since");
    c->since = since ? packed_date(since, true) : NO_DATE;

    const cJSON *e;
    c->mem = (uint32_t)nmems;
    cJSON_ArrayForEach(e, list(rec, "memberships")) {
        const cJSON *body = cJSON_GetObjectItemCaseSensitive(e, "body");
        if (!cJSON_IsString(body))
            bad("memberships[].body");
        mems = grow(mems, &cap_mems, nmems + 1, sizeof *mems);
        mems[nmems].body = (uint8_t)intern(body->valuestring, body_names, 2);
        mems[nmems].expires = packed_date(cJSON_GetObjectItemCaseSensitive(e, "expires"), true);
        nmems++;
    }
    c->nmem = (uint32_t)nmems - c->mem;
    c->cert = (uint32_t)ncerts;
    cJSON_ArrayForEach(e, list(rec, "certificates")) {
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (!cJSON_IsString(cid))
            bad("certificates[].id");
        certs = grow(certs, &cap_certs, ncerts + 1, sizeof *certs);
        certs[ncerts].id = (uint8_t)intern(cid->valuestring, cert_names, 6);
        certs[ncerts].issued = packed_date(cJSON_GetObjectItemCaseSensitive(e, "issued"), false);
        certs[ncerts].expires = packed_date(cJSON_GetObjectItemCaseSensitive(e, "expires"), true);
        ncerts++;
    }
    c->ncert = (uint32_t)ncerts - c->cert;
    c->role = (uint32_t)nroles_total;
    cJSON_ArrayForEach(e, list(rec, "roles")) {
        if (!cJSON_IsString(e))
            bad("roles[]");
        roles = grow(roles, &cap_roles, nroles_total + 1, sizeof *roles);
        roles[nroles_total++] = (uint8_t)intern(e->valuestring, role_names, 5);
    }
    c->nroles = (uint32_t)nroles_total - c->role;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "athletes_coached");
    c->athletes = cJSON_IsNumber(v) ? (uint32_t)v->valuedouble : 0;
    c->teaching = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "teaching_experience"));
    v = cJSON_GetObjectItemCaseSensitive(rec, "advanced_degree");
    c->sport_science = cJSON_IsString(v) && strcmp(v->valuestring, "sport-science") == 0;
    cJSON_Delete(rec);
}

/* ---- output (--emit) --------------------------------------------------------- */

static const char *const prog_ids[NPROG] = {
    "developmental_coach", "bridge_to_level_1", "level_1", "level_2", "level_3",
    "instructor_training", "marathon_specialist", "cross_country_specialist", "podium_camp",
    "campus", "partner_courses",
};

#define MEM "USATF membership"
#define AGE "at least 18 years of age"
#define REG "USATF Coaches Registry membership"
static const char *const require_labels[NPROG][4] = {
    {MEM, AGE},
    {MEM, AGE, "current USATF Developmental Coach certificate"},
    {MEM, AGE},
    {MEM, AGE, "current USATF Level 1 certificate", "at least two years of coaching experience"},
    {MEM, AGE, "current USATF Level 2 certificate", "at least five years of coaching experience"},
    {REG, "current USATF Level 2 or Level 3 certificate", "at least eight years of coaching experience"},
    {MEM, AGE},
    {MEM, AGE},
    {REG, "at least one of the three Podium Camp qualifications"},
    {AGE},
    {NULL},
};
static const char *const prefer_labels[NPROG][1] = {
    [P_INSTRUCTOR] = {"classroom teaching or public speaking experience, or an advanced degree in sport science"},
};

static void emit_labels(FILE *out, uint8_t bits, const char *const *labels, int n)
{
    putc('[', out);
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (bits & (1u << i)) {
            if (!first)
                putc(',', out);
            bl_json_string(out, labels[i]);
            first = false;
        }
    }
    putc(']', out);
}

static void emit(FILE *out, const coach *c, const decision *d, const char *asof)
{
    fputs("{\"id\":", out);
    bl_json_string(out, c->id);
    fprintf(out, ",\"as_of\":\"%s\",\"results\":[", asof);
    for (int p = 0; p < NPROG; p++) {
        fprintf(out, "%s{\"program\":\"%s\",\"eligible\":%s,\"unmet\":", p ? "," : "", prog_ids[p],
                d->unmet[p] ? "false" : "true");
        emit_labels(out, d->unmet[p], require_labels[p], 4);
        fputs(",\"preferred_unmet\":", out);
        emit_labels(out, d->pref[p], prefer_labels[p], 1);
        putc('}', out);
    }
    fputs("]}\n", out);
}

/* ---- main -------------------------------------------------------------------- */

static _Noreturn void usage(void)
{
    fputs("usage: floor FILE --as-of YYYY-MM-DD [--coaches K] [--evals N] [--rounds R]\n"
          "             [--by-requirement] [--emit]\n",
          stderr);
    exit(2);
}

static bool is_by_requirement(const char *arg)
{
    return strcmp(arg, "--by-requirement") == 0;
}

int main(int argc, char **argv)
{
    bo_options o;
    const char *path = NULL;
    if (!bo_parse(argc, argv, &o, &path, 1, is_by_requirement))
        usage();
    bool by_requirement = false;
    for (int i = 1; i < argc; i++)
        by_requirement = by_requirement || is_by_requirement(argv[i]);
    const char *asof = o.as_of;
    long want = o.coaches, evals = o.evals, rounds = o.rounds;
    bool emit_mode = o.emit;
    int y, m, d;
    if (!bd_parse(asof, &y, &m, &d))
        usage();
    const int32_t today = y * 10000 + m * 100 + d;

    bl_reader r;
    if (!bl_open(&r, path)) {
        perror(path);
        return 1;
    }
    size_t cap = 0, n = 0, len;
    coach *coaches = NULL;
    long records = 0;
    const char *text;
    while ((text = bl_next(&r, &len))) {
        records++;
        if (emit_mode || (long)n < want) {
            g_line = r.lineno;
            coaches = grow(coaches, &cap, n + 1, sizeof *coaches);
            load(&coaches[n++], text, len);
        }
    }
    bl_close(&r);
    if (n == 0) {
        fprintf(stderr, "floor: %s: no records\n", path);
        return 1;
    }
    decision *out = calloc(n, sizeof *out);
    if (!out)
        return 1;

    if (emit_mode) {
        static char obuf[1 << 16];
        setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
        for (size_t i = 0; i < n; i++) {
            if (by_requirement)
                decide_by_requirement(&coaches[i], today, &out[i]);
            else
                decide(&coaches[i], today, &out[i]);
            emit(stdout, &coaches[i], &out[i], asof);
        }
        return fflush(stdout) == 0 ? 0 : 1;
    }

    if (evals <= 0)
        evals = records;
    /* The evaluation date alternates between the day and the next, pass after
     * pass over the coaches, as vm_only.c must do (see there) to keep the
     * VM from remembering a coach's results from one pass to the next; the
     * decisions are then made again, at the day, for the checksum. */
    int32_t dates[2] = {today, 0};
    {
        int ny, nm, nd;
        bd_civil(bd_days(y, m, d) + 1, &ny, &nm, &nd);
        dates[1] = ny * 10000 + nm * 100 + nd;
    }
    double best = 0;
    size_t k = 0;
    unsigned pass = 0;
    for (long round = 0; round < rounds; round++) {
        double t0 = bl_now_ns();
        if (by_requirement) {
            for (long i = 0; i < evals; i++) {
                decide_by_requirement(&coaches[k], dates[pass & 1], &out[k]);
                if (++k == n) {
                    k = 0;
                    pass++;
                }
            }
        } else {
            for (long i = 0; i < evals; i++) {
                decide(&coaches[k], dates[pass & 1], &out[k]);
                if (++k == n) {
                    k = 0;
                    pass++;
                }
            }
        }
        double t = bl_now_ns() - t0;
        if (round == 0 || t < best)
            best = t;
    }
    for (size_t i = 0; i < n; i++) {
        if (by_requirement)
            decide_by_requirement(&coaches[i], today, &out[i]);
        else
            decide(&coaches[i], today, &out[i]);
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < NPROG; p++)
            sum = sum * 31 + (uint64_t)(out[i].unmet[p] | out[i].pref[p] << 4);
    printf("floor: ns_per_coach=%.2f coaches=%zu evals=%ld checksum=%016llx\n", best / (double)evals,
           n, evals, (unsigned long long)sum);
    return 0;
}
