/* Loading, saving and describing programs: the runtime, no compiler inside
 * (compiling is api_compile.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_int.h"
#include "native/native.h"
#include "pathway_native.h"
#include "bc/bytecode.h"
#include "util/date.h"

/* Clears every field of a caller's error but the status. */
static void pwi_error_clear(pw_error *err, pw_status st)
{
    err->status = st;
    err->message[0] = '\0';
    err->file[0] = '\0';
    err->field[0] = '\0';
    err->line = err->column = 0;
}

pw_status pwi_vfail(pw_error *err, pw_status st, const char *fmt, va_list ap)
{
    if (err) {
        pwi_error_clear(err, st);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    }
    return st;
}

pw_status pwi_fail(pw_error *err, pw_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pwi_vfail(err, st, fmt, ap);
    va_end(ap);
    return st;
}

pw_status pwi_ok(pw_error *err)
{
    if (err)
        pwi_error_clear(err, PW_OK);
    return PW_OK;
}

pw_status pwi_options(const void *given, size_t known, void *copy, const char *what, pw_error *err)
{
    memset(copy, 0, known);
    if (!given)
        return PW_OK;
    size_t size = *(const size_t *)given;
    if (size == 0)
        size = known;
    if (size < sizeof(size_t))
        return pwi_fail(err, PW_ERR_USAGE, "%s: size %zu is too small (initialise it with %s_init)", what,
                       size, what);
    /* Fields this release does not know must be unused. */
    const unsigned char *bytes = given;
    for (size_t i = known; i < size; i++)
        if (bytes[i])
            return pwi_fail(err, PW_ERR_USAGE,
                           "%s: fields past byte %zu are set, and this library (%s) does not know them",
                           what, known, pw_version());
    memcpy(copy, given, size < known ? size : known);
    *(size_t *)copy = known;
    return PW_OK;
}

const char *pw_version(void)
{
    return "0.1.0";
}

int pw_version_number(void)
{
    return PW_VERSION_NUMBER;
}

uint32_t pw_bytecode_format(void)
{
    return PB_FORMAT_VERSION;
}

pw_status pw_bytecode_format_of(const void *bytes, size_t len, uint32_t *format, pw_error *err)
{
    if (!bytes || !format)
        return pwi_fail(err, PW_ERR_USAGE, "pw_bytecode_format_of: NULL argument");
    if (len < PB_MAGIC_LEN + 4 || memcmp(bytes, PB_MAGIC, PB_MAGIC_LEN) != 0)
        return pwi_fail(err, PW_ERR_FORMAT, "not a .pwc image: no bytecode header");
    const uint8_t *v = (const uint8_t *)bytes + PB_MAGIC_LEN; /* little-endian u32 */
    *format = (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
    return pwi_ok(err);
}

const char *pw_status_name(pw_status status)
{
    static const char *const names[] = {
        [PW_OK] = "PW_OK",           [PW_ERR_USAGE] = "PW_ERR_USAGE",   [PW_ERR_IO] = "PW_ERR_IO",
        [PW_ERR_COMPILE] = "PW_ERR_COMPILE", [PW_ERR_FORMAT] = "PW_ERR_FORMAT",
        [PW_ERR_FACTS] = "PW_ERR_FACTS", [PW_ERR_EVAL] = "PW_ERR_EVAL", [PW_ERR_NOMEM] = "PW_ERR_NOMEM",
    };
    if ((unsigned)status >= sizeof names / sizeof names[0])
        return "PW_UNKNOWN";
    return names[status];
}

void pw_free(void *p)
{
    free(p);
}

void pw_limits_init(pw_limits *limits)
{
    if (limits) {
        memset(limits, 0, sizeof *limits);
        limits->size = sizeof *limits;
    }
}

void pw_compile_options_init(pw_compile_options *options)
{
    if (options) {
        memset(options, 0, sizeof *options);
        options->size = sizeof *options;
    }
}

pw_status pw_date_parse(const char *text, pw_date *out, pw_error *err)
{
    if (!text || !out)
        return pwi_fail(err, PW_ERR_USAGE, "pw_date_parse: NULL argument");
    int32_t d;
    if (!pu_date_parse(text, strlen(text), &d))
        return pwi_fail(err, PW_ERR_USAGE,
                       "invalid date \"%s\": expected a real day as YYYY-MM-DD, years %d-%d", text,
                       PU_YEAR_MIN, PU_YEAR_MAX);
    *out = d;
    return pwi_ok(err);
}

void pw_date_format(pw_date date, char buf[11])
{
    if (date == PW_DATE_MIN)
        memcpy(buf, "-infinity", 10);
    else if (date == PW_DATE_MAX)
        memcpy(buf, "infinity", 9);
    else
        pu_date_format(date, buf);
}

/* ---- bytecode ------------------------------------------------------------- */

/* A program's id, for sorting the versions together. */
typedef struct pwi_version {
    const char *id;
    uint32_t prog;
} pwi_version;

_Static_assert(sizeof(pw_program) % _Alignof(pwi_version) == 0, "a program's versions follow it in its block");

/* By id, then by program: a run of versions starts with the first. */
static int pwi_version_cmp(const void *a, const void *b)
{
    const pwi_version *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (int)(x->prog > y->prog) - (int)(x->prog < y->prog);
}

/* Versions are told apart by text, not string id: a loaded image need not
 * have interned its strings. Sorted (n log n, for rule sets of thousands
 * of programs), in the program's own block. */
static void pwi_versions(pw_program *p, pwi_version *v, uint32_t *first)
{
    const pb_image *img = p->img;
    for (uint32_t i = 0; i < img->nprogs; i++)
        v[i] = (pwi_version){img->strings[img->progs[i].id], i};
    qsort(v, img->nprogs, sizeof *v, pwi_version_cmp);
    for (uint32_t k = 0; k < img->nprogs; k++)
        first[v[k].prog] = k > 0 && strcmp(v[k].id, v[k - 1].id) == 0 ? first[v[k - 1].prog] : v[k].prog;
    p->first_version = first;
}

/* Hands a verified image to the caller as a program; takes ownership. */
pw_status pwi_wrap(pb_image *img, pw_program **out, pw_error *err)
{
    /* The program, then its versions sorted, then each one's first. */
    pw_program *p = malloc(sizeof *p + img->nprogs * (sizeof(pwi_version) + sizeof(uint32_t)));
    if (!p) {
        pb_image_free(img);
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    }
    p->img = img;
    p->native = NULL;
    pwi_version *v = (pwi_version *)(void *)(p + 1);
    pwi_versions(p, v, (uint32_t *)(void *)(v + img->nprogs));
    *out = p;
    return pwi_ok(err);
}

pw_status pw_program_load(const void *bytes, size_t len, pw_program **out, pw_error *err)
{
    if (!bytes || !out)
        return pwi_fail(err, PW_ERR_USAGE, "pw_program_load: NULL argument");
    *out = NULL;
    char msg[512];
    pb_image *img = pb_load(bytes, len, NULL, msg, sizeof msg);
    if (!img)
        return pwi_fail(err, strstr(msg, "out of memory") ? PW_ERR_NOMEM : PW_ERR_FORMAT, "%s", msg);
    return pwi_wrap(img, out, err);
}

pw_status pw_program_save(const pw_program *program, void **bytes, size_t *len, pw_error *err)
{
    if (!program || !bytes || !len)
        return pwi_fail(err, PW_ERR_USAGE, "pw_program_save: NULL argument");
    uint8_t *out;
    if (!pb_save(program->img, &out, len))
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    *bytes = out;
    return pwi_ok(err);
}

pw_status pw_program_use_native(pw_program *program, const pw_native *native, pw_error *err)
{
    if (!program)
        return pwi_fail(err, PW_ERR_USAGE, "pw_program_use_native: NULL program");
    if (!native) {
        program->native = NULL;
        return pwi_ok(err);
    }
    const pb_image *img = program->img;
    if (native->abi != PW_NATIVE_ABI || !native->entry)
        return pwi_fail(err, PW_ERR_USAGE,
                        "the compiled rule set was generated for native interface %u; this library has %u "
                        "(generate it again with this release's `pathway compile --emit c`)",
                        native->abi, (unsigned)PW_NATIVE_ABI);
    uint64_t hash;
    if (!pn_image_hash(img, &hash))
        return pwi_fail(err, PW_ERR_NOMEM, "out of memory");
    if (native->nprogs != img->nprogs || native->nreqs != img->nreqs || native->image_hash != hash)
        return pwi_fail(err, PW_ERR_USAGE,
                        "the compiled rule set was generated from other rules (%u programs, %u requirements, "
                        "image %016llx) than this program (%u programs, %u requirements, image %016llx): "
                        "generate it again from the same rules",
                        native->nprogs, native->nreqs, (unsigned long long)native->image_hash, img->nprogs,
                        img->nreqs, (unsigned long long)hash);
    program->native = native;
    return pwi_ok(err);
}

void pw_program_free(pw_program *program)
{
    if (!program)
        return;
    pb_image_free(program->img);
    free(program);
}

/* ---- describing ----------------------------------------------------------- */

static const char *pw_str(const pb_image *img, uint32_t id)
{
    return id < img->nstrings ? img->strings[id] : NULL;
}

size_t pw_program_count(const pw_program *program)
{
    return program ? program->img->nprogs : 0;
}

const char *pw_program_id(const pw_program *program, size_t index)
{
    if (!program || index >= program->img->nprogs)
        return NULL;
    return pw_str(program->img, program->img->progs[index].id);
}

const char *pw_program_title(const pw_program *program, size_t index)
{
    if (!program || index >= program->img->nprogs)
        return NULL;
    return pw_str(program->img, program->img->progs[index].title);
}

pw_status pw_program_find(const pw_program *program, const char *id, size_t *index, pw_error *err)
{
    if (!program || !id || !index)
        return pwi_fail(err, PW_ERR_USAGE, "pw_program_find: NULL argument");
    for (uint32_t i = 0; i < program->img->nprogs; i++) {
        if (strcmp(pw_str(program->img, program->img->progs[i].id), id) == 0) {
            *index = i;
            return pwi_ok(err);
        }
    }
    return pwi_fail(err, PW_ERR_USAGE, "no program `%s` in this rule set", id);
}

size_t pw_requirement_count(const pw_program *program, size_t prog)
{
    if (!program || prog >= program->img->nprogs)
        return 0;
    return program->img->progs[prog].nreqs;
}

pw_status pw_requirement_info(const pw_program *program, size_t prog, size_t req,
                              pw_requirement *out, pw_error *err)
{
    if (!program || !out || prog >= program->img->nprogs ||
        req >= program->img->progs[prog].nreqs)
        return pwi_fail(err, PW_ERR_USAGE, "pw_requirement_info: no requirement %zu in program %zu", req,
                       prog);
    const pb_image *img = program->img;
    const pb_req *r = &img->reqs[img->progs[prog].first_req + req];
    out->label = pw_str(img, r->label);
    out->citation = pw_str(img, r->cite);
    out->kind = (pw_req_kind)r->kind;
    out->role = (pw_req_role)r->role;
    out->depth = r->depth;
    out->min = r->min;
    out->file = pw_str(img, r->file);
    out->line = r->line;
    out->column = r->col;
    out->from = r->from;
    out->until = r->until;
    return pwi_ok(err);
}

/* ---- versions ------------------------------------------------------------- */

/* Whether programs a and b are versions of one (pwi_versions). */
static bool pw_same_id(const pw_program *program, uint32_t a, uint32_t b)
{
    return program->first_version[a] == program->first_version[b];
}

void pw_program_period(const pw_program *program, size_t prog, pw_date *from, pw_date *until)
{
    bool ok = program && prog < program->img->nprogs;
    if (from)
        *from = ok ? program->img->progs[prog].from : PW_DATE_MIN;
    if (until)
        *until = ok ? program->img->progs[prog].until : PW_DATE_MAX;
}

void pw_program_window(const pw_program *program, size_t prog, pw_date *opens, pw_date *closes)
{
    bool ok = program && prog < program->img->nprogs;
    if (opens)
        *opens = ok ? program->img->progs[prog].opens : PW_DATE_MIN;
    if (closes)
        *closes = ok ? program->img->progs[prog].closes : PW_DATE_MAX;
}

bool pw_program_has_window(const pw_program *program, size_t prog)
{
    if (!program || prog >= program->img->nprogs)
        return false;
    const pb_prog *p = &program->img->progs[prog];
    return p->opens != PB_OPEN_FROM || p->closes != PB_OPEN_UNTIL;
}

bool pw_program_dated(const pw_program *program, size_t prog)
{
    if (!program || prog >= program->img->nprogs)
        return false;
    const pb_image *img = program->img;
    for (uint32_t i = 0; i < img->nprogs; i++)
        if (pw_same_id(program, (uint32_t)prog, i) &&
            (img->progs[i].from != PB_OPEN_FROM || img->progs[i].until != PB_OPEN_UNTIL))
            return true;
    return false;
}

bool pw_program_is_first_version(const pw_program *program, size_t prog)
{
    if (!program || prog >= program->img->nprogs)
        return false;
    for (uint32_t i = 0; i < prog; i++)
        if (pw_same_id(program, (uint32_t)prog, i))
            return false;
    return true;
}

size_t pw_program_version_at(const pw_program *program, size_t prog, pw_date date)
{
    if (!program || prog >= program->img->nprogs)
        return prog;
    const pb_image *img = program->img;
    size_t next = SIZE_MAX, last = prog;
    for (uint32_t i = 0; i < img->nprogs; i++) {
        if (!pw_same_id(program, (uint32_t)prog, i))
            continue;
        const pb_prog *v = &img->progs[i];
        if (date >= v->from && date <= v->until)
            return i;
        if (v->from > date && (next == SIZE_MAX || v->from < img->progs[next].from))
            next = i;
        if (v->until < date && v->until >= img->progs[last].until)
            last = i;
    }
    return next != SIZE_MAX ? next : last;
}
