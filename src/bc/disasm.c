/* The readable listing of an image: tables, programs with their requirement
 * trees, and every function's instructions with operands rendered from the
 * opcode table. The output depends only on the image (and the source lines the
 * callback returns), so golden tests can snapshot it. Indices are checked as
 * they are printed, so even an unverified image can be listed. */
#include "bytecode.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/date.h"
#include "code.h"

static const char *d_str(const pb_image *img, uint32_t id)
{
    return id < img->nstrings && img->strings[id] ? img->strings[id] : NULL;
}

static const char *d_rec_name(const pb_image *img, uint32_t rec, char *buf, size_t n)
{
    const char *s = rec < img->nrecords ? d_str(img, img->records[rec].name) : NULL;
    if (s)
        return s;
    snprintf(buf, n, "record %u", rec);
    return buf;
}

const char *pb_type_str(const pb_image *img, pb_type t, char *buf, size_t n)
{
    static const char *const names[] = {"void", "integer", "number", "boolean", "text", "date"};
    char rb[32];
    const char *opt = t.optional ? "?" : "";
    switch (t.kind) {
    case PB_T_LIST: snprintf(buf, n, "list of %s%s", d_rec_name(img, t.rec, rb, sizeof rb), opt); break;
    case PB_T_SET: snprintf(buf, n, "set of text%s", opt); break;
    case PB_T_ELEM: snprintf(buf, n, "%s%s", d_rec_name(img, t.rec, rb, sizeof rb), opt); break;
    default:
        if (t.kind < sizeof names / sizeof names[0])
            snprintf(buf, n, "%s%s", names[t.kind], opt);
        else
            snprintf(buf, n, "<kind %u>%s", t.kind, opt);
        break;
    }
    return buf;
}

/* ---- values ------------------------------------------------------------------ */

/* One byte of a string as it is written between quotes. */
static const char *d_esc(unsigned char c, char buf[5])
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\t': return "\\t";
    default:
        if (c < 0x20 || c == 0x7f)
            snprintf(buf, 5, "\\x%02x", c);
        else
            buf[0] = (char)c, buf[1] = '\0';
        return buf;
    }
}

static void d_quoted(FILE *out, const char *s)
{
    char e[5];
    if (!s) {
        fputs("<no string>", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        fputs(d_esc(*p, e), out);
    fputc('"', out);
}

static void d_quoted_id(FILE *out, const pb_image *img, uint32_t id)
{
    d_quoted(out, d_str(img, id));
}

/* The shortest text that reads back as the same double. */
static void d_number(char *buf, size_t n, double v)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static bool d_date_ok(int32_t d)
{
    return d >= pu_from_ymd(PU_YEAR_MIN, 1, 1) && d <= pu_from_ymd(PU_YEAR_MAX, 12, 31);
}

static void d_date(char *buf, size_t n, int32_t d)
{
    if (d_date_ok(d)) {
        char iso[11];
        pu_date_format(d, iso);
        snprintf(buf, n, "%s", iso);
    } else {
        snprintf(buf, n, "day %d", (int)d);
    }
}

static const char *d_unit(uint32_t u, bool one)
{
    static const char *const many[] = {"days", "months", "years"};
    static const char *const single[] = {"day", "month", "year"};
    return u <= PU_YEARS ? (one ? single[u] : many[u]) : "<bad unit>";
}

/* ---- header and tables ------------------------------------------------------- */

static void d_header(FILE *out, const pb_image *img)
{
    fprintf(out, "; Pathway bytecode (format version %u)\n", PB_FORMAT_VERSION);
    fprintf(out, "; %u strings, %u records, %u fields, %u integers, %u numbers, %u code bytes\n",
            img->nstrings, img->nrecords, img->nfields, img->nints, img->nnums, img->ncode);
    fprintf(out, "; %u functions, %u parameter types, %u programs, %u requirement nodes, %u line entries\n",
            img->nfuncs, img->nparam_types, img->nprogs, img->nreqs, img->nlines);
    fprintf(out, "; max frame %u, max requirements %u, max call depth %u\n", img->max_frame,
            img->max_reqs, img->max_calls);
}

static void d_strings(FILE *out, const pb_image *img)
{
    fprintf(out, "\nstrings (%u):\n", img->nstrings);
    for (uint32_t i = 0; i < img->nstrings; i++) {
        fprintf(out, "  %4u  ", i);
        d_quoted_id(out, img, i);
        fputc('\n', out);
    }
}

/* A field's default or bound, as the source writes it. */
static void d_field_value(FILE *out, const pb_image *img, const pb_field *f, const pv_value *v)
{
    char buf[64];
    switch (f->type.kind) {
    case PB_T_INT: fprintf(out, "%lld", (long long)v->as.i); break;
    case PB_T_NUM: d_number(buf, sizeof buf, v->as.n); fputs(buf, out); break;
    case PB_T_BOOL: fputs(v->as.b ? "true" : "false", out); break;
    case PB_T_TEXT: d_quoted_id(out, img, v->as.s); break;
    case PB_T_DATE: d_date(buf, sizeof buf, v->as.d); fputs(buf, out); break;
    default: fputs("<value>", out); break;
    }
}

/* `>= 0 <= 10 = 3`, as in the source. */
static void d_bounds_and_default(FILE *out, const pb_image *img, const pb_field *f)
{
    if (f->bounds & PB_BOUND_MIN) {
        fputs(" >= ", out);
        d_field_value(out, img, f, &f->minv);
    }
    if (f->bounds & PB_BOUND_MAX) {
        fputs(" <= ", out);
        d_field_value(out, img, f, &f->maxv);
    }
    switch (f->def) {
    case PB_DEF_REQUIRED: return;
    case PB_DEF_NONE: fputs(" = none", out); return;
    case PB_DEF_EMPTY: fputs(" = []", out); return;
    case PB_DEF_VALUE: break;
    default: fprintf(out, " = <bad default kind %u>", f->def); return;
    }
    fputs(" = ", out);
    d_field_value(out, img, f, &f->defv);
}

static void d_records(FILE *out, const pb_image *img)
{
    char tb[96], nb[32];
    fprintf(out, "\nrecords (%u):\n", img->nrecords);
    for (uint32_t r = 0; r < img->nrecords; r++) {
        const pb_record *rec = &img->records[r];
        fprintf(out, "  record %u %s%s, %u fields\n", r, d_rec_name(img, r, nb, sizeof nb),
                r == 0 ? " (facts)" : "", rec->nfields);
        for (uint32_t i = 0; i < rec->nfields; i++) {
            if ((uint64_t)rec->first_field + i >= img->nfields) {
                fprintf(out, "    %4u  <field out of range>\n", i);
                continue;
            }
            const pb_field *f = &img->fields[rec->first_field + i];
            const char *name = d_str(img, f->name);
            fprintf(out, "    %4u  %s: %s", i, name ? name : "?", pb_type_str(img, f->type, tb, sizeof tb));
            d_bounds_and_default(out, img, f);
            fputc('\n', out);
        }
    }
}

static void d_constants(FILE *out, const pb_image *img)
{
    char buf[64];
    fprintf(out, "\nintegers (%u):\n", img->nints);
    for (uint32_t i = 0; i < img->nints; i++)
        fprintf(out, "  %4u  %lld\n", i, (long long)img->ints[i]);
    fprintf(out, "\nnumbers (%u):\n", img->nnums);
    for (uint32_t i = 0; i < img->nnums; i++) {
        d_number(buf, sizeof buf, img->nums[i]);
        fprintf(out, "  %4u  %s\n", i, buf);
    }
}

/* ---- programs ------------------------------------------------------------------ */

static void d_where(FILE *out, const pb_image *img, uint32_t file, uint32_t line, uint32_t col)
{
    const char *f = d_str(img, file);
    if (!f && !line)
        return;
    fprintf(out, "   ; %s:%u", f ? f : "?", line);
    if (col)
        fprintf(out, ":%u", col);
}

static void d_func_ref(FILE *out, const pb_image *img, uint32_t fi)
{
    const char *name = fi < img->nfuncs ? d_str(img, img->funcs[fi].name) : NULL;
    fprintf(out, "function %u '%s'", fi, name ? name : "?");
}

static void d_req(FILE *out, const pb_image *img, const pb_prog *p, uint32_t i)
{
    static const char *const roles[] = {"require", "prefer", "advise"};
    const pb_req *r = &img->reqs[i];
    fprintf(out, "    %4u  %*s", i - p->first_req, 2 * (int)(r->depth < 32 ? r->depth : 32), "");
    if (r->depth == 0)
        fprintf(out, "%s ", r->role <= PB_ROLE_ADVISE ? roles[r->role] : "<bad role>");
    d_quoted_id(out, img, r->label);
    fputs(": ", out);
    switch (r->kind) {
    case PB_R_LEAF: d_func_ref(out, img, r->func); break;
    case PB_R_ALL: fprintf(out, "all of %u", r->nchildren); break;
    case PB_R_ANY: fprintf(out, "any of %u", r->nchildren); break;
    case PB_R_ATLEAST: fprintf(out, "at least %u of %u", r->min, r->nchildren); break;
    default: fprintf(out, "<bad kind %u>", r->kind); break;
    }
    d_where(out, img, r->file, r->line, r->col);
    fputc('\n', out);
    if (r->cite != PB_NO_STRING) {
        fprintf(out, "          %*s  citing ", 2 * (int)(r->depth < 32 ? r->depth : 32), "");
        d_quoted_id(out, img, r->cite);
        fputc('\n', out);
    }
}

static void d_attr_str(FILE *out, const pb_image *img, const char *name, uint32_t id)
{
    if (id == PB_NO_STRING)
        return;
    fprintf(out, "  %s ", name);
    d_quoted_id(out, img, id);
    fputc('\n', out);
}

static void d_program(FILE *out, const pb_image *img, uint32_t pi)
{
    const pb_prog *p = &img->progs[pi];
    const char *id = d_str(img, p->id);
    char buf[64];
    fprintf(out, "\nprogram %u %s", pi, id ? id : "?");
    d_where(out, img, p->file, p->line, 0);
    fputc('\n', out);
    d_attr_str(out, img, "title", p->title);
    d_attr_str(out, img, "format", p->format);
    d_attr_str(out, img, "provider", p->provider);
    if (p->hours >= 0) {
        d_number(buf, sizeof buf, p->hours);
        fprintf(out, "  hours %s\n", buf);
    }
    if (p->duration)
        fprintf(out, "  duration %d %s\n", (int)p->duration, d_unit(PU_DAYS, p->duration == 1));
    if (p->grants != PB_NO_STRING) {
        fputs("  grants ", out);
        d_quoted_id(out, img, p->grants);
        if (p->valid_unit == PB_VALID_COMPUTED)
            fprintf(out, " valid until function %u (of the day granted)", (uint32_t)p->valid_n);
        else if (p->valid_n)
            fprintf(out, " valid for %d %s", (int)p->valid_n, d_unit(p->valid_unit, p->valid_n == 1));
        fputc('\n', out);
    }
    if (p->opens != PB_OPEN_FROM || p->closes != PB_OPEN_UNTIL) {
        /* Only a window that was written: programs without one print as before. */
        fputs("  enrolment open", out);
        if (p->opens != PB_OPEN_FROM) {
            d_date(buf, sizeof buf, p->opens);
            fprintf(out, " from %s", buf);
        }
        if (p->closes != PB_OPEN_UNTIL) {
            d_date(buf, sizeof buf, p->closes);
            fprintf(out, " until %s", buf);
        }
        fputc('\n', out);
    }
    fprintf(out, "  requirements (%u nodes from %u):\n", p->nreqs, p->first_req);
    if ((uint64_t)p->first_req + p->nreqs > img->nreqs) {
        fputs("    <out of range>\n", out);
        return;
    }
    for (uint32_t i = p->first_req; i < p->first_req + p->nreqs; i++)
        d_req(out, img, p, i);
}

/* ---- code ------------------------------------------------------------------------ */

/* One operand as text (`3`, `-> 0040`, `years`, `date?`) and, when an index
 * means something, a comment (`birth_date`, `"usatf"`, `18`). */
#define D_NOTE_MAX 48 /* bytes of a string shown in a comment */

typedef struct d_operand {
    char text[48];
    char note[4 * D_NOTE_MAX + 8];
} d_operand;

/* A string in a comment: quoted, and cut after D_NOTE_MAX bytes (at a UTF-8
 * character boundary) since the string table has it in full. */
static void d_note_str(d_operand *o, const pb_image *img, uint32_t id)
{
    const char *s = d_str(img, id);
    if (!s)
        return;
    size_t len = strlen(s), keep = len;
    if (len > D_NOTE_MAX) {
        keep = D_NOTE_MAX;
        while (keep && ((unsigned char)s[keep] & 0xc0) == 0x80)
            keep--;
    }
    char e[5];
    size_t n = 0;
    o->note[n++] = '"';
    for (size_t i = 0; i < keep; i++) {
        const char *x = d_esc((unsigned char)s[i], e);
        size_t xl = strlen(x);
        memcpy(o->note + n, x, xl); /* at most 4 bytes each: 48 * 4 fits the note */
        n += xl;
    }
    snprintf(o->note + n, sizeof o->note - n, "%s\"", keep < len ? "..." : "");
}

static void d_note_field(d_operand *o, const pb_image *img, uint32_t rec, uint32_t field, bool qualify)
{
    if (rec >= img->nrecords || field >= img->records[rec].nfields ||
        (uint64_t)img->records[rec].first_field + field >= img->nfields)
        return;
    const char *f = d_str(img, img->fields[img->records[rec].first_field + field].name);
    const char *r = d_str(img, img->records[rec].name);
    if (qualify)
        snprintf(o->note, sizeof o->note, "%s.%s", r ? r : "?", f ? f : "?");
    else
        snprintf(o->note, sizeof o->note, "%s", f ? f : "?");
}

static void d_render(d_operand *o, const pb_image *img, const pb_insn *in, pb_operand k, uint32_t v,
                     int32_t sv, uint32_t pc)
{
    o->text[0] = o->note[0] = '\0';
    switch (k) {
    case PB_K_NONE:
    default: break; /* no operand (the opcode table holds no other kind) */
    case PB_K_TYPE: pb_type_str(img, pb_type_unpack(v), o->text, sizeof o->text); break;
    case PB_K_KINT:
        snprintf(o->text, sizeof o->text, "%u", v);
        if (v < img->nints)
            snprintf(o->note, sizeof o->note, "%lld", (long long)img->ints[v]);
        break;
    case PB_K_KNUM:
        snprintf(o->text, sizeof o->text, "%u", v);
        if (v < img->nnums)
            d_number(o->note, sizeof o->note, img->nums[v]);
        break;
    case PB_K_STR:
        snprintf(o->text, sizeof o->text, "%u", v);
        d_note_str(o, img, v);
        break;
    case PB_K_DATE: d_date(o->text, sizeof o->text, sv); break;
    case PB_K_SLOT:
        snprintf(o->text, sizeof o->text, "%u", v);
        d_note_field(o, img, 0, v, false);
        break;
    case PB_K_REC: {
        char nb[32];
        snprintf(o->text, sizeof o->text, "%u", v);
        snprintf(o->note, sizeof o->note, "%s", d_rec_name(img, v, nb, sizeof nb));
        break;
    }
    case PB_K_FIELD:
        snprintf(o->text, sizeof o->text, "%u", v);
        /* ITER_KEY's field belongs to the record of the list its iterator
         * walks, which only the verifier's types know. */
        if (in->op == PB_OP_ITER_KEY)
            snprintf(o->note, sizeof o->note, "field %u of the elements", v);
        else
            d_note_field(o, img, in->a, v, true);
        break;
    case PB_K_LOCAL: snprintf(o->text, sizeof o->text, "%u", v); break;
    case PB_K_JUMP: {
        uint64_t next = (uint64_t)pc + in->size;
        long long t = in->op == PB_OP_LOOP ? (long long)next - (long long)v : (long long)(next + v);
        snprintf(o->text, sizeof o->text, "-> %04lld", t);
        break;
    }
    case PB_K_FUNC: {
        const char *name = v < img->nfuncs ? d_str(img, img->funcs[v].name) : NULL;
        snprintf(o->text, sizeof o->text, "%u", v);
        if (name)
            snprintf(o->note, sizeof o->note, "%s", name);
        break;
    }
    case PB_K_UNIT:
        if (v <= PU_YEARS)
            snprintf(o->text, sizeof o->text, "%s", d_unit(v, false));
        else
            snprintf(o->text, sizeof o->text, "<unit %u>", v);
        break;
    case PB_K_CMP:
        if (v < PB_CMP_COUNT)
            snprintf(o->text, sizeof o->text, "%s", pb_cmp_name[v]);
        else
            snprintf(o->text, sizeof o->text, "<cmp %u>", v);
        break;
    }
}

static void d_insn(FILE *out, const pb_image *img, const pb_insn *in, uint32_t pc)
{
    const pb_opinfo *info = &pb_opinfo_table[in->op];
    d_operand a, b;
    d_render(&a, img, in, info->a, in->a, in->ja, pc);
    d_render(&b, img, in, info->b, in->b, in->jb, pc);
    /* One note per instruction: only LOAD_FIELD has two operands that name
     * something, and its FIELD operand's `record.field` names the REC
     * operand's record too; the record alone when the field names nothing. */
    const char *note = b.note[0] ? b.note : a.note;
    char ops[2 * sizeof a.text + 4];
    snprintf(ops, sizeof ops, "%s%s%s", a.text, b.text[0] ? ", " : "", b.text);
    if (!ops[0]) {
        fprintf(out, "  %04u  %s\n", pc, info->name);
        return;
    }
    if (!note[0]) {
        fprintf(out, "  %04u  %-14s %s\n", pc, info->name, ops);
        return;
    }
    int w = fprintf(out, "  %04u  %-14s %s", pc, info->name, ops);
    int col = 8 + 15 + 9; /* the comment column */
    fprintf(out, "%*s; %s\n", w < col ? col - w : 1, "", note);
}

typedef struct d_lines {
    const pb_line *last;
    pb_source_line_fn source_line;
    void *user;
} d_lines;

/* Announces the source line an instruction came from, when it changes. */
static void d_source(FILE *out, const pb_image *img, d_lines *dl, uint32_t pc)
{
    const pb_line *l = img->lines ? pb_line_at(img, pc) : NULL;
    if (!l || (dl->last && dl->last->file == l->file && dl->last->line == l->line))
        return;
    dl->last = l;
    const char *file = d_str(img, l->file);
    fprintf(out, "; %s:%u", file ? file : "?", l->line);
    const char *text = dl->source_line && file ? dl->source_line(dl->user, file, l->line) : NULL;
    if (text) {
        while (*text == ' ' || *text == '\t')
            text++;
        fprintf(out, ": %s", text);
    }
    fputc('\n', out);
}

static void d_function(FILE *out, const pb_image *img, uint32_t fi, d_lines *dl)
{
    const pb_func *f = &img->funcs[fi];
    char tb[96];
    const char *name = d_str(img, f->name);
    fprintf(out, "\nfunction %u %s(", fi, name ? name : "?");
    for (uint32_t p = 0; p < f->nparams; p++) {
        if ((uint64_t)f->first_param + p >= img->nparam_types) {
            fputs("?", out);
            break;
        }
        fprintf(out, "%s%s", p ? ", " : "", pb_type_str(img, img->param_types[f->first_param + p], tb, sizeof tb));
    }
    fprintf(out, "): %s\n", pb_type_str(img, f->result, tb, sizeof tb));
    fprintf(out, "  params %u, locals %u, max_stack %u, frame %u, code %u..%u\n", f->nparams,
            f->nlocals, f->max_stack, f->frame, f->code_off, f->code_off + f->code_len);
    if ((uint64_t)f->code_off + f->code_len > img->ncode) {
        fputs("  <code out of range>\n", out);
        return;
    }
    uint32_t end = f->code_off + f->code_len;
    dl->last = NULL;
    for (uint32_t pc = f->code_off; pc < end;) {
        pb_insn in;
        d_source(out, img, dl, pc);
        if (!pb_decode(img->code, end, pc, &in)) {
            fprintf(out, "  %04u  <undecodable byte 0x%02x>\n", pc, img->code[pc]);
            return;
        }
        d_insn(out, img, &in, pc);
        pc += in.size;
    }
}

void pb_disasm(const pb_image *img, FILE *out, pb_source_line_fn source_line, void *user)
{
    d_header(out, img);
    d_strings(out, img);
    d_records(out, img);
    d_constants(out, img);
    for (uint32_t p = 0; p < img->nprogs; p++)
        d_program(out, img, p);
    d_lines dl = {NULL, source_line, user};
    for (uint32_t f = 0; f < img->nfuncs; f++)
        d_function(out, img, f, &dl);
}
