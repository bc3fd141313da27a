/* Positions: the compiler counts bytes, the protocol counts lines from 0 and
 * characters in UTF-16 code units. And file: URIs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp_int.h"

/* How many bytes the UTF-8 sequence led by byte b takes, and how many UTF-16
 * units its character needs: a four-byte sequence is a surrogate pair. A
 * stray byte counts as one character (a client shows it as U+FFFD). */
static size_t ls_seq_len(unsigned char b, uint32_t *units)
{
    *units = 1;
    if (b >= 0xF0 && b < 0xF8) {
        *units = 2;
        return 4;
    }
    if (b >= 0xE0 && b < 0xF0)
        return 3;
    if (b >= 0xC0 && b < 0xE0)
        return 2;
    return 1;
}

ls_pos ls_pos_of(const char *text, size_t len, size_t offset)
{
    ls_pos p = {0, 0};
    if (offset > len)
        offset = len;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n') {
            p.line++;
            start = i + 1;
        }
    for (size_t i = start; i < offset;) {
        uint32_t units;
        size_t n = ls_seq_len((unsigned char)text[i], &units);
        if (i + n > offset) /* inside a character: its start */
            break;
        p.character += units;
        i += n;
    }
    return p;
}

size_t ls_offset_of(const char *text, size_t len, ls_pos pos)
{
    size_t i = 0;
    for (uint32_t line = 0; line < pos.line && i < len; i++)
        if (text[i] == '\n')
            line++;
    uint32_t ch = 0;
    while (i < len && text[i] != '\n' && ch < pos.character) {
        uint32_t units;
        size_t n = ls_seq_len((unsigned char)text[i], &units);
        if (i + n > len)
            n = len - i;
        ch += units;
        i += n;
    }
    return i;
}

size_t ls_offset_of_line_col(const char *text, size_t len, uint32_t line, uint32_t col)
{
    size_t i = 0;
    for (uint32_t l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    size_t end = i;
    while (end < len && text[end] != '\n')
        end++;
    size_t at = i + (col > 0 ? col - 1 : 0);
    return at < end ? at : end;
}

void ls_lines_init(ls_lines *l, const char *text, size_t len)
{
    l->text = text;
    l->len = len;
    l->n = 1;
    for (size_t i = 0; i < len; i++)
        l->n += text[i] == '\n';
    l->starts = malloc(l->n * sizeof *l->starts);
    if (!l->starts)
        return;
    size_t k = 0;
    l->starts[k++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            l->starts[k++] = i + 1;
}

void ls_lines_fini(ls_lines *l)
{
    free(l->starts);
    l->starts = NULL;
}

/* The UTF-16 length of text[from, to) on one line. */
static uint32_t ls_units(const char *text, size_t from, size_t to)
{
    uint32_t ch = 0;
    for (size_t i = from; i < to;) {
        uint32_t units;
        size_t n = ls_seq_len((unsigned char)text[i], &units);
        if (i + n > to)
            break;
        ch += units;
        i += n;
    }
    return ch;
}

ls_pos ls_lines_pos(const ls_lines *l, size_t offset)
{
    if (!l->starts)
        return ls_pos_of(l->text, l->len, offset);
    if (offset > l->len)
        offset = l->len;
    size_t lo = 0, hi = l->n; /* the last line starting at or before offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return (ls_pos){(uint32_t)lo, ls_units(l->text, l->starts[lo], offset)};
}

size_t ls_lines_offset(const ls_lines *l, uint32_t line, uint32_t col)
{
    if (!l->starts || line == 0 || line > l->n)
        return ls_offset_of_line_col(l->text, l->len, line, col);
    size_t i = l->starts[line - 1], end = i;
    while (end < l->len && l->text[end] != '\n')
        end++;
    size_t at = i + (col > 0 ? col - 1 : 0);
    return at < end ? at : end;
}

cJSON *ls_lines_span(const ls_lines *l, size_t start, size_t end)
{
    return ls_json_range(ls_lines_pos(l, start), ls_lines_pos(l, end));
}

cJSON *ls_json_pos(ls_pos p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "line", p.line);
    cJSON_AddNumberToObject(o, "character", p.character);
    return o;
}

cJSON *ls_json_range(ls_pos start, ls_pos end)
{
    cJSON *o = cJSON_CreateObject();
    ls_put(o, "start", ls_json_pos(start));
    ls_put(o, "end", ls_json_pos(end));
    return o;
}

cJSON *ls_json_span(const char *text, size_t len, size_t start, size_t end)
{
    return ls_json_range(ls_pos_of(text, len, start), ls_pos_of(text, len, end));
}

bool ls_read_pos(const cJSON *j, ls_pos *out)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(j, "line");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "character");
    if (!cJSON_IsNumber(l) || !cJSON_IsNumber(c) || l->valuedouble < 0 || c->valuedouble < 0 ||
        l->valuedouble > 4e9 || c->valuedouble > 4e9)
        return false;
    out->line = (uint32_t)l->valuedouble;
    out->character = (uint32_t)c->valuedouble;
    return true;
}

static int ls_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *ls_uri_path(const char *uri)
{
    const char *scheme = "file://";
    if (!uri || strncmp(uri, scheme, strlen(scheme)) != 0)
        return NULL;
    const char *p = uri + strlen(scheme);
    if (*p != '/') /* file://host/...: not a local path */
        return NULL;
    char *out = malloc(strlen(p) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (; *p && *p != '?' && *p != '#'; p++) {
        int hi, lo;
        if (*p == '%' && (hi = ls_hex(p[1])) >= 0 && (lo = ls_hex(p[2])) >= 0) {
            char c = (char)(hi * 16 + lo);
            if (c == '\0') { /* a NUL cannot be in a path */
                free(out);
                return NULL;
            }
            out[n++] = c;
            p += 2;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return out;
}

char *ls_path_uri(const char *path)
{
    static const char keep[] = "-._~/";
    size_t n = strlen(path);
    char *out = malloc(7 + 3 * n + 1);
    if (!out)
        return NULL;
    size_t k = (size_t)sprintf(out, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p))
            out[k++] = (char)*p;
        else
            k += (size_t)sprintf(out + k, "%%%02X", *p);
    }
    out[k] = '\0';
    return out;
}
