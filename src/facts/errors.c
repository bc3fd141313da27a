/* Facts errors: the messages, and the paths (certificates[2].issued) they
 * name. */
#include "facts_int.h"


static void pf_vput(pf_out *o, const char *fmt, va_list ap)
{
    if (!o->buf || o->len == 0 || o->pos + 1 >= o->len)
        return;
    int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
    /* The layer's own formats (no wide characters), into buffers far below
     * INT_MAX: vsnprintf has no error to report. */
    if (PU_NEVER(n < 0))
        return;
    o->pos += (size_t)n;
    if (o->pos >= o->len)
        o->pos = o->len - 1;
}

void pf_put(pf_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pf_vput(o, fmt, ap);
    va_end(ap);
}

/* Where the JSON loader is: a chain of stack frames from the innermost field or
 * element back to the root, printed as `certificates[2].issued`. */

/* One segment of a path: "name", ".name" or "[i]". */
static void pf_put_seg(pf_out *o, const pf_frame *fr)
{
    if (!fr->name)
        pf_put(o, "[%zu]", fr->index);
    else
        pf_put(o, fr->up ? ".%s" : "%s", fr->name);
}

static size_t pf_seg_len(const pf_frame *fr)
{
    char b[32];
    if (!fr->name)
        return (size_t)snprintf(b, sizeof b, "[%zu]", fr->index);
    return strlen(fr->name) + (fr->up ? 1 : 0);
}

/* The k-th frame from the root (of n). Quadratic, but only for a message. */
static const pf_frame *pf_frame_at(const pf_frame *leaf, size_t n, size_t k)
{
    for (size_t i = n - 1; i > k; i--)
        leaf = leaf->up;
    return leaf;
}

#define PF_PATH_SHOWN 160
#define PF_PATH_HEAD 40

/* Writes the path; a very long one (deep nesting) keeps its start and its end
 * around "...", so that the message after it still fits. */
static void pf_put_path(pf_out *o, const pf_frame *leaf)
{
    size_t n = 0, total = 0;
    for (const pf_frame *fr = leaf; fr; fr = fr->up, n++)
        total += pf_seg_len(fr);
    size_t k = 0, shown = 0;
    if (total > PF_PATH_SHOWN) {
        /* The head ends after an index, the tail starts at a field name. */
        for (; k < n; k++) {
            const pf_frame *fr = pf_frame_at(leaf, n, k);
            if (shown >= PF_PATH_HEAD && fr->name)
                break;
            pf_put_seg(o, fr);
            shown += pf_seg_len(fr);
        }
        if (k < n) { /* else the head was all of it (a long field name) */
            pf_put(o, "...");
            size_t rest = total - shown;
            /* The tail starts at a field name, or at the leaf. */
            for (; k + 1 < n; k++) {
                const pf_frame *fr = pf_frame_at(leaf, n, k);
                if (rest <= PF_PATH_SHOWN - PF_PATH_HEAD && fr->name)
                    break;
                rest -= pf_seg_len(fr);
            }
            const pf_frame *fr = pf_frame_at(leaf, n, k++);
            if (fr->name)
                pf_put(o, "%s", fr->name);
            else
                pf_put_seg(o, fr);
        }
    }
    for (; k < n; k++)
        pf_put_seg(o, pf_frame_at(leaf, n, k));
}

/* Writes "`path`: message" (or just the message when at is NULL) and returns
 * false. */
bool pf_fail(char *err, size_t errlen, const pf_frame *at, const char *fmt, ...)
{
    pf_out o = {err, errlen, 0};
    if (err && errlen)
        err[0] = '\0';
    if (at) {
        pf_put(&o, "`");
        pf_put_path(&o, at);
        pf_put(&o, "`: ");
    }
    va_list ap;
    va_start(ap, fmt);
    pf_vput(&o, fmt, ap);
    va_end(ap);
    return false;
}

/* Out of memory: the message, and the flag that lets the caller say so. */
bool pf_oom(pf_facts *f, char *err, size_t errlen, const pf_frame *at)
{
    f->oom = true;
    return pf_fail(err, errlen, at, "out of memory");
}

/* The shortest "%.*g" form that reads back as d, without an exponent for
 * a whole number below 10^15 or a number from 10^-4 on, so that a bound
 * written 100 is quoted as 100, not as 1e+02. */
void pf_fmt_number(double d, char *buf, size_t len)
{
    if (isnan(d)) {
        snprintf(buf, len, "NaN");
        return;
    }
    if (isinf(d)) {
        snprintf(buf, len, d < 0 ? "-Infinity" : "Infinity");
        return;
    }
    double mag = fabs(d);
    bool plain = mag < 1e15 && (mag >= 1e-4 || d == 0);
    for (int prec = 1; prec < 17; prec++) {
        snprintf(buf, len, "%.*g", prec, d);
        if (strtod(buf, NULL) == d && (!plain || !strchr(buf, 'e')))
            return;
    }
    /* 17 significant digits read back as any double (DBL_DECIMAL_DIG); a
     * plain one of them is below 10^15, so %g writes it without exponent. */
    snprintf(buf, len, "%.17g", d);
}

/* How an unexpected JSON value is named after "got". */
const char *pf_json_what(const cJSON *v, char *buf, size_t len)
{
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsTrue(v))
        return "true";
    if (cJSON_IsFalse(v))
        return "false";
    if (cJSON_IsNumber(v)) {
        if (v->valuestring) /* as written (pf_json_scan) */
            snprintf(buf, len, "%s", v->valuestring);
        else
            pf_fmt_number(v->valuedouble, buf, len);
        return buf;
    }
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "an unsupported JSON value";
}

/* A string quoted for a message: at most 40 bytes of it (cut at a
 * character's start), between quotes, shown as every text output shows
 * text from outside (pu_escape_text: controls, bidi and separator
 * characters and bytes that are not UTF-8 as visible escapes). False when
 * memory runs out. */
bool pf_quote(const char *s, char *buf, size_t len)
{
    size_t n = strlen(s), cut = n > 40 ? 40 : n;
    while (cut > 0 && cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    pu_buf b = {0};
    pu_escape_text(&b, s, cut);
    bool ok = !b.oom; /* then b.data is a string: pu_escape_text NUL-terminates */
    if (ok)
        snprintf(buf, len, "\"%.*s%s\"", (int)b.len, b.data, cut < n ? "..." : "");
    pu_buf_free(&b);
    return ok;
}

const char *pf_rec_name(const pf_facts *f, uint32_t rec)
{
    /* Records named by a field's type or 0, and their names, are the
     * image's (the verifier: v_type, v_records). */
    uint32_t id = PU_ALWAYS(rec < f->img->nrecords) ? f->img->records[rec].name : PB_NO_STRING;
    return PU_ALWAYS(id < f->img->nstrings) ? f->img->strings[id] : "?";
}

const char *pf_field_name(const pf_facts *f, const pb_field *fld)
{
    return PU_ALWAYS(fld->name < f->img->nstrings) ? f->img->strings[fld->name] : "?"; /* v_field */
}

/* What a JSON value for type t must be, after "expected". */
void pf_expected(const pf_facts *f, pb_type t, char *buf, size_t len)
{
    pf_out o = {buf, len, 0};
    buf[0] = '\0';
    switch (t.kind) {
    case PB_T_INT: pf_put(&o, "an integer"); break;
    case PB_T_NUM: pf_put(&o, "a number"); break;
    case PB_T_BOOL: pf_put(&o, "true or false"); break;
    case PB_T_TEXT: pf_put(&o, "text"); break;
    case PB_T_DATE: pf_put(&o, "a date \"YYYY-MM-DD\""); break;
    case PB_T_LIST: pf_put(&o, "a list of `%s` objects", pf_rec_name(f, t.rec)); break;
    case PB_T_SET: pf_put(&o, "a set of text"); break;
    default: pf_put(&o, "nothing (the image's field type is invalid)"); break;
    }
    if (t.optional)
        pf_put(&o, " or null");
}

/* The type of a field as a noun, for the field-by-field API. */
const char *pf_type_noun(pb_type t)
{
    switch (t.kind) {
    case PB_T_INT: return "an integer";
    case PB_T_NUM: return "a number";
    case PB_T_BOOL: return "a boolean";
    case PB_T_TEXT: return "a text";
    case PB_T_DATE: return "a date";
    case PB_T_LIST: return "a list";
    case PB_T_SET: return "a set";
    default: return "an invalid";
    }
}
