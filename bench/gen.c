/* bench/gen.c: the benchmark's population of coach records, as JSON Lines.
 *
 * Written from docs/coach-record.md (section 1, the record; section
 * 2, time), not from the engine. Every record is valid. The mix is meant to
 * look like a governing body's register: parents who volunteer, coaches at
 * each level of the USATF pathway, lapsed members, elite coaches, coaches of
 * other bodies; and, as real registers do on any given day, many dates on and
 * around the evaluation date: 18th birthdays, memberships and certificates
 * expiring, certificates issued, two, five and eight years of experience
 * reached, 29 February.
 *
 * The output depends only on the options (a fixed pseudo-random generator,
 * splitmix64), so every run of the benchmark sees the same bytes: about 418
 * bytes a record.
 *
 * usage: gen [--records N] [--seed S] [--as-of YYYY-MM-DD] [-o FILE] */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_date.h"

/* ---- random numbers --------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* 0 <= r < n */
static int rnd(int n)
{
    return (int)(rng_next() % (uint64_t)n);
}

/* lo <= r <= hi */
static int between(int lo, int hi)
{
    return lo + rnd(hi - lo + 1);
}

/* true with probability pct percent */
static int chance(int pct)
{
    return rnd(1000) < pct * 10;
}

/* ---- dates -------------------------------------------------------------------- */

static int asof_y, asof_m, asof_d;
static int32_t asof_days;

/* The day `years` full years before the evaluation date (29 February becomes
 * 28 February in a common year), then `days` later. */
static int32_t years_before(int years, int days)
{
    int y = asof_y - years, m = asof_m, d = asof_d;
    if (m == 2 && d == 29 && !bd_leap(y))
        d = 28;
    return bd_days(y, m, d) + days;
}

/* A day about `years` before the evaluation date. One time in five it sits on
 * the boundary (the anniversary itself, or a day either side); one time in
 * fifty it is a 29 February; otherwise anywhere in the year around it. */
static int32_t around(int years)
{
    int r = rnd(100);
    if (r < 2) {
        int y = asof_y - years;
        while (!bd_leap(y))
            y--;
        return bd_days(y, 2, 29);
    }
    if (r < 22)
        return years_before(years, between(-1, 1));
    return years_before(years, between(-182, 182));
}

/* An expiry date: on or just around the evaluation date one time in four,
 * else up to two years either side. */
static int32_t expiry(int past_pct)
{
    if (chance(25))
        return asof_days + between(-1, 1);
    return chance(past_pct) ? asof_days - between(2, 730) : asof_days + between(2, 730);
}

/* ---- output ------------------------------------------------------------------- */

static char buf[8192];
static size_t len;

static void put(const char *s)
{
    size_t n = strlen(s);
    memcpy(buf + len, s, n);
    len += n;
}

static void put_date(int32_t days)
{
    buf[len++] = '"';
    bd_format(days, buf + len);
    len += 10;
    buf[len++] = '"';
}

static void put_str(const char *s)
{
    buf[len++] = '"';
    put(s);
    buf[len++] = '"';
}

static void put_int(long v)
{
    len += (size_t)snprintf(buf + len, 32, "%ld", v);
}

/* ---- the record ----------------------------------------------------------------- */

enum { MAX_ITEMS = 8 };

typedef struct membership {
    const char *body;
    int32_t expires; /* 0: null */
    int open;
} membership;

typedef struct certificate {
    const char *id;
    int32_t issued, expires;
    int open;              /* expires null */
    const char *group;     /* NULL: absent or null, see group_null */
    int group_null;
} certificate;

typedef struct coach {
    int32_t birth;
    int since_kind; /* 0 absent, 1 null, 2 a date */
    int32_t since;
    membership mem[MAX_ITEMS];
    int nmem;
    certificate cert[MAX_ITEMS];
    int ncert;
    const char *roles[MAX_ITEMS];
    int nroles;
} coach;

static const char *const event_groups[] = {"combined-events", "endurance", "jumps",
                                           "sprints-hurdles-relays", "throws", "u20"};
static const char *const primary_roles[] = {"primary-coach-state-hs-qualifier",
                                            "primary-coach-collegiate-qualifier",
                                            "primary-coach-usatf-championship-qualifier"};
static const char *const team_roles[] = {"national-team-athlete", "national-team-staff-coach"};
static const char *const other_roles[] = {"assistant-coach", "club-secretary", "volunteer"};
static const char *const degrees[] = {"sport-science", "exercise-physiology", "education",
                                      "kinesiology"};
static const char *const courses[] = {"safesport-refresher", "concussion-awareness",
                                      "first-aid", "nutrition-basics", "sport-psychology"};

static void add_membership(coach *c, const char *body, int past_pct)
{
    if (c->nmem == MAX_ITEMS)
        return;
    membership *m = &c->mem[c->nmem++];
    m->body = body;
    m->open = chance(15);
    m->expires = m->open ? 0 : expiry(past_pct);
}

/* A certificate issued about `years_ago` years before the evaluation date
 * (sometimes on it or the day after), valid for `valid_years` or open. */
static void add_cert(coach *c, const char *id, int years_ago, int open_pct, int with_group)
{
    if (c->ncert == MAX_ITEMS)
        return;
    certificate *k = &c->cert[c->ncert++];
    k->id = id;
    int r = rnd(100);
    if (r < 3)
        k->issued = asof_days + between(0, 1);  /* issued today or tomorrow */
    else
        k->issued = years_before(years_ago, between(-300, 0));
    k->open = chance(open_pct);
    if (k->open)
        k->expires = 0;
    else if (chance(3))
        k->expires = k->issued - between(1, 400); /* issued after its own expiry */
    else
        k->expires = expiry(30);
    k->group = NULL;
    k->group_null = 0;
    if (with_group)
        k->group = event_groups[rnd(6)];
    else if (chance(30))
        k->group_null = 1;
}

static void add_role(coach *c, const char *role)
{
    for (int i = 0; i < c->nroles; i++)
        if (strcmp(c->roles[i], role) == 0)
            return;
    if (c->nroles < MAX_ITEMS)
        c->roles[c->nroles++] = role;
}

static void set_since(coach *c, int years)
{
    c->since_kind = 2;
    c->since = around(years);
}

/* The kinds of coach on the register, with their share in percent. */
static void make_coach(coach *c)
{
    memset(c, 0, sizeof *c);
    int kind = rnd(100);
    if (kind < 12) {
        /* a parent or a young volunteer: about 18, often a USATF member */
        c->birth = chance(60) ? around(18) : around(between(14, 19));
        c->since_kind = rnd(3);
        if (c->since_kind == 2)
            set_since(c, between(0, 2));
        if (chance(70))
            add_membership(c, "usatf", 20);
    } else if (kind < 27) {
        /* a Developmental Coach */
        c->birth = around(between(19, 60));
        if (chance(80))
            set_since(c, between(0, 3));
        else
            c->since_kind = rnd(2);
        add_membership(c, "usatf", 15);
        add_cert(c, "usatf-developmental", between(0, 3), 40, 0);
    } else if (kind < 52) {
        /* a Level 1 coach: two years of experience is the next step */
        c->birth = around(between(20, 65));
        set_since(c, chance(40) ? 2 : between(1, 8));
        add_membership(c, "usatf", 15);
        if (chance(40))
            add_cert(c, "usatf-developmental", between(3, 6), 50, 0);
        add_cert(c, "usatf-level-1", between(0, 6), 50, 0);
        if (chance(15))
            add_cert(c, chance(50) ? "usatf-marathon-specialist" : "usatf-cross-country-specialist",
                     between(0, 4), 60, 0);
    } else if (kind < 67) {
        /* a Level 2 coach: five years is the next step */
        c->birth = around(between(24, 70));
        set_since(c, chance(40) ? 5 : between(3, 12));
        add_membership(c, "usatf", 15);
        if (chance(30))
            add_membership(c, "usatf-coaches-registry", 30);
        add_cert(c, "usatf-level-1", between(4, 12), 60, 0);
        add_cert(c, "usatf-level-2", between(0, 4), 50, 1);
        if (chance(20))
            add_role(c, primary_roles[rnd(3)]);
    } else if (kind < 75) {
        /* a Level 3 veteran on the Coaches Registry: eight years for Instructor */
        c->birth = around(between(30, 75));
        set_since(c, chance(40) ? 8 : between(6, 35));
        add_membership(c, "usatf", 10);
        add_membership(c, "usatf-coaches-registry", 20);
        add_cert(c, "usatf-level-1", between(10, 20), 70, 0);
        add_cert(c, "usatf-level-2", between(6, 10), 60, 1);
        if (chance(60))
            add_cert(c, "usatf-level-3", between(0, 5), 60, 1);
        if (chance(20))
            add_cert(c, "usatf-instructor", between(0, 4), 60, 0);
        if (chance(30))
            add_role(c, primary_roles[rnd(3)]);
    } else if (kind < 80) {
        /* elite: national team athletes and staff, qualifiers' coaches */
        c->birth = around(between(25, 60));
        set_since(c, between(2, 25));
        if (chance(70))
            add_membership(c, "usatf", 10);
        add_membership(c, "usatf-coaches-registry", 20);
        add_role(c, team_roles[rnd(2)]);
        if (chance(50))
            add_role(c, primary_roles[rnd(3)]);
        if (chance(50))
            add_cert(c, chance(50) ? "ustfccca-technical-specialist" : "ustfccca-master-coach",
                     between(0, 10), 50, 0);
        if (chance(40))
            add_cert(c, "usatf-level-1", between(3, 15), 70, 0);
    } else if (kind < 90) {
        /* lapsed: memberships and certificates that ran out */
        c->birth = around(between(20, 70));
        set_since(c, between(1, 20));
        add_membership(c, "usatf", 90);
        if (chance(50))
            add_cert(c, "usatf-level-1", between(3, 10), 10, 0);
        if (chance(30))
            add_cert(c, "usatf-developmental", between(3, 10), 10, 0);
        if (chance(20))
            add_cert(c, "usatf-level-2", between(2, 8), 10, 1);
    } else {
        /* coaches of England Athletics and other bodies */
        c->birth = around(between(16, 70));
        if (chance(70))
            set_since(c, between(0, 20));
        add_membership(c, chance(80) ? "england-athletics" : "scottish-athletics", 20);
        if (chance(20))
            add_membership(c, "usatf", 30);
        static const char *const ea[] = {"ea-coaching-assistant", "ea-sessional-coach", "ea-coach"};
        add_cert(c, ea[rnd(3)], between(0, 8), 40, 0);
        if (chance(30))
            add_cert(c, ea[rnd(3)], between(0, 8), 40, 0);
    }
    if (chance(10))
        add_role(c, other_roles[rnd(3)]);
}

static void write_coach(long index)
{
    coach c;
    make_coach(&c);
    len = 0;
    put("{\"id\":\"C");
    len += (size_t)snprintf(buf + len, 16, "%07ld", index);
    put("\",\"birth_date\":");
    put_date(c.birth);
    if (c.since_kind == 1) {
        put(",\"coaching_since\":null");
    } else if (c.since_kind == 2) {
        put(",\"coaching_since\":");
        put_date(c.since);
    }
    put(",\"memberships\":[");
    for (int i = 0; i < c.nmem; i++) {
        put(i ? ",{\"body\":" : "{\"body\":");
        put_str(c.mem[i].body);
        put(",\"expires\":");
        if (c.mem[i].open)
            put("null");
        else
            put_date(c.mem[i].expires);
        put("}");
    }
    put("]");
    if (c.ncert || chance(50)) {
        put(",\"certificates\":[");
        for (int i = 0; i < c.ncert; i++) {
            const certificate *k = &c.cert[i];
            put(i ? ",{\"id\":" : "{\"id\":");
            put_str(k->id);
            put(",\"issued\":");
            put_date(k->issued);
            put(",\"expires\":");
            if (k->open)
                put("null");
            else
                put_date(k->expires);
            if (k->group) {
                put(",\"event_group\":");
                put_str(k->group);
            } else if (k->group_null) {
                put(",\"event_group\":null");
            }
            put("}");
        }
        put("]");
    }
    if (c.nroles || chance(60)) {
        put(",\"roles\":[");
        for (int i = 0; i < c.nroles; i++) {
            if (i)
                put(",");
            put_str(c.roles[i]);
        }
        put("]");
    }
    put(",\"athletes_coached\":");
    put_int(chance(25) ? 0 : chance(80) ? between(1, 25) : between(26, 120));
    if (chance(85))
        put(chance(30) ? ",\"teaching_experience\":true" : ",\"teaching_experience\":false");
    int r = rnd(100);
    if (r < 15) {
        put(",\"advanced_degree\":");
        put_str(degrees[chance(50) ? 0 : rnd(4)]);
    } else if (r < 60) {
        put(",\"advanced_degree\":null");
    }
    if (chance(65)) {
        put(",\"background_checks\":[");
        int n = chance(80) ? 1 : 2;
        for (int i = 0; i < n; i++) {
            put(i ? ",{\"kind\":" : "{\"kind\":");
            put_str(i == 0 ? "safesport" : "background-screening");
            put(",\"expires\":");
            put_date(expiry(20));
            put("}");
        }
        put("]");
    }
    if (chance(30)) {
        put(",\"courses\":[");
        int n = between(1, 3);
        for (int i = 0; i < n; i++) {
            put(i ? ",{\"id\":" : "{\"id\":");
            put_str(courses[rnd(5)]);
            put(",\"completed\":");
            put_date(asof_days - between(0, 1500));
            put(",\"hours\":");
            int h = between(1, 24);
            if (chance(30))
                len += (size_t)snprintf(buf + len, 32, "%d.5", h);
            else
                put_int(h);
            put("}");
        }
        put("]");
    }
    put("}\n");
}

static _Noreturn void usage(void)
{
    fputs("usage: gen [--records N] [--seed S] [--as-of YYYY-MM-DD] [-o FILE]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    long records = 1000000;
    uint64_t seed = 20261123;
    const char *asof = "2026-11-23", *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        char *end;
        if (strcmp(argv[i], "--records") == 0) {
            records = strtol(argv[++i], &end, 10);
            if (*end || records < 0)
                usage();
        } else if (strcmp(argv[i], "--seed") == 0) {
            seed = strtoull(argv[++i], &end, 10);
            if (*end)
                usage();
        } else if (strcmp(argv[i], "--as-of") == 0) {
            asof = argv[++i];
        } else if (strcmp(argv[i], "-o") == 0) {
            out = argv[++i];
        } else {
            usage();
        }
    }
    if (!bd_parse(asof, &asof_y, &asof_m, &asof_d)) {
        fprintf(stderr, "gen: --as-of: not a date: %s\n", asof);
        return 2;
    }
    asof_days = bd_days(asof_y, asof_m, asof_d);
    rng_state = seed;
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "gen: %s: %s\n", out, strerror(errno));
        return 1;
    }
    static char obuf[1 << 20];
    setvbuf(f, obuf, _IOFBF, sizeof obuf);
    for (long i = 0; i < records; i++) {
        write_coach(i);
        fwrite(buf, 1, len, f);
    }
    if (fflush(f) != 0 || ferror(f) || (out && fclose(f) != 0)) {
        fprintf(stderr, "gen: write error: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
