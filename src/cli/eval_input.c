/* pathway eval's input: the facts file, read in blocks and handed out as
 * batches of records.
 *
 * Framing, as the coach-record contract fixes it: a file that is exactly one
 * JSON value (an object, or an array of objects) is read as that; anything
 * else is JSON Lines. The old reader parsed the whole file once to find out;
 * this one decides from the start of the file, and reads the whole file only
 * when the answer needs it:
 *
 *   - The first byte that is not white space (after a byte order mark) is not
 *     `{` or `[`: JSON Lines.
 *   - Otherwise the first value's end is found by matching brackets outside
 *     strings, reading as far as that takes. A file that is one value must end
 *     there (a JSON value ends at its closing bracket, and the parser never
 *     looks past it), so parsing up to there decides exactly what parsing the
 *     whole file did: if it fails, or anything but white space follows, the
 *     file is JSON Lines; if the rest of the file is white space, it is one
 *     value.
 *
 * For JSON Lines the first value is the first line, so only about two lines
 * are read ahead before streaming starts. A file that is one value (or whose
 * first value never closes) has been read whole by then; cJSON cannot parse
 * incrementally, and the old reader read every file whole anyway. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "eval.h"
#include "facts/facts.h"

/* Bytes asked of each read, and so the size of a batch of JSON Lines: small
 * enough that the batches in flight stay a few megabytes, large enough that
 * a batch (some 600 coaches) dwarfs the cost of handing it to a thread. */
#ifndef EVAL_BLOCK /* tests/CMakeLists.txt: test_cli_allocfail's are tiny */
#define EVAL_BLOCK ((size_t)256 << 10)
#endif
/* Elements of a JSON array per batch. */
#ifndef EVAL_NODES
#define EVAL_NODES 512
#endif

bool eval_reader_open(eval_reader *r, const char *path, size_t max_record, char *msg, size_t len)
{
    memset(r, 0, sizeof *r);
    r->max_record = max_record;
    r->block = EVAL_BLOCK;
    r->kind = EVAL_LINES;
    if (strcmp(path, "-") == 0) {
        r->fd = STDIN_FILENO;
        return true;
    }
    r->fd = open(path, O_RDONLY);
    if (r->fd < 0) {
        snprintf(msg, len, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    r->own_fd = true;
    return true;
}

void eval_reader_close(eval_reader *r)
{
    if (r->own_fd)
        close(r->fd);
    cli_buf_free(&r->win);
    cJSON_Delete(r->root);
    r->root = NULL;
}

/* JSON Lines past the reader's start: bytes from `from` on were just read.
 * A line longer than max_record keeps max_record + 1 bytes, enough for
 * eval_line to report it as too long, and the rest up to its newline is
 * dropped as it arrives, so `--facts` on an endless line cannot fill
 * memory. Dropped bytes hold no newline, so line numbers stay right. */
static void eval_bound(eval_reader *r, size_t from)
{
    if (r->skipping) {
        char *nl = memchr(r->win.data + from, '\n', r->win.len - from);
        if (!nl) {
            r->win.len = from;
            return;
        }
        size_t keep = r->win.len - (size_t)(nl - r->win.data);
        memmove(r->win.data + from, nl, keep);
        r->win.len = from + keep;
        r->skipping = false;
    }
    /* The newest newline is the batch's end; only the new bytes can hold it. */
    for (size_t i = r->win.len; i > from; i--) {
        if (r->win.data[i - 1] == '\n') {
            r->last_nl = i;
            break;
        }
    }
    if (r->bounded && r->win.len - r->last_nl > r->max_record + 1) {
        r->win.len = r->last_nl + r->max_record + 1;
        r->skipping = true;
    }
}

/* Reads up to a block more into the window. False at the end of the input
 * or on a read error (then r->error is set and the input ends there). */
static bool eval_read(eval_reader *r)
{
    if (r->eof)
        return false;
    if (!cli_buf_reserve(&r->win, r->block)) {
        r->error = ENOMEM;
        r->eof = true;
        return false;
    }
    ssize_t got;
    do
        got = read(r->fd, r->win.data + r->win.len, r->block);
    while (got < 0 && errno == EINTR);
    if (got <= 0) {
        if (got < 0)
            r->error = errno;
        r->eof = true;
        return false;
    }
    size_t from = r->win.len;
    r->win.len += (size_t)got;
    eval_bound(r, from);
    r->short_read = (size_t)got < r->block;
    return true;
}

/* The window holds byte i, reading more as needed. */
static bool eval_have(eval_reader *r, size_t i)
{
    while (i >= r->win.len)
        if (!eval_read(r))
            return false;
    return true;
}

static bool eval_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* One past the bracket that closes the value opened at `from`; false when
 * the input ends first. Brackets inside strings do not count; the parser
 * decides whether what lies between is JSON. */
static bool eval_value_end(eval_reader *r, size_t from, size_t *end)
{
    size_t depth = 0;
    bool in_string = false, escaped = false;
    /* One object is one record: past the record limit it is no file of one
     * value, and JSON Lines reports it as too long. */
    size_t most = r->win.data[from] == '{' ? r->max_record : SIZE_MAX;
    for (size_t i = from; i - from <= most && eval_have(r, i); i++) {
        char c = r->win.data[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            *end = i + 1;
            return true;
        }
    }
    return false;
}

/* Whether the rest of the input, from `from`, is white space. */
static bool eval_rest_blank(eval_reader *r, size_t from)
{
    for (size_t i = from; eval_have(r, i); i++)
        if (!eval_space(r->win.data[i]))
            return false;
    return true;
}

/* Whether the input is exactly one JSON value; if so it is parsed into
 * r->root. */
static bool eval_one_value(eval_reader *r)
{
    size_t i = 0;
    while (eval_have(r, i) && eval_space(r->win.data[i]))
        i++;
    if (i >= r->win.len || (r->win.data[i] != '{' && r->win.data[i] != '['))
        return false;
    size_t end;
    if (!eval_value_end(r, i, &end))
        return false;
    /* From the window's start, white space included, as the whole file was. */
    if (!eval_rest_blank(r, end))
        return false;
    errno = 0;
    cJSON *root = cJSON_ParseWithLengthOpts(r->win.data, end, NULL, 0);
    if (root && !pf_json_scan(root, r->win.data, end)) {
        cJSON_Delete(root);
        root = NULL;
        errno = ENOMEM;
    }
    if (!root && errno == ENOMEM) {
        /* Not bad JSON (only the allocator sets ENOMEM): the input ends
         * here, and nothing of it is read as JSON Lines instead
         * (tests/unit/test_cli_allocfail.c). */
        r->error = ENOMEM;
        r->eof = true;
        r->win.len = 0;
        r->last_nl = 0;
        return false;
    }
    if (!root)
        return false;
    r->root = root;
    return true;
}

void eval_reader_start(eval_reader *r)
{
    /* Spreadsheet exports often start with a UTF-8 byte order mark. */
    if (eval_have(r, 2) && memcmp(r->win.data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(r->win.data, r->win.data + 3, r->win.len - 3);
        r->win.len -= 3;
        r->last_nl = r->last_nl > 3 ? r->last_nl - 3 : 0;
    }
    if (eval_one_value(r)) {
        r->kind = cJSON_IsArray(r->root) ? EVAL_ARRAY : EVAL_OBJECT;
        r->next = r->kind == EVAL_ARRAY ? r->root->child : r->root;
        r->index = 1;
        cli_buf_free(&r->win); /* the tree holds what it needs */
        return;
    }
    /* JSON Lines: from here on no line is kept longer than the limit. */
    r->bounded = true;
    eval_bound(r, r->win.len);
}

/* Newlines in p[0..n): the main thread counts every batch's lines to number
 * the next one. memchr scans a line in a few vector steps; lines are long
 * enough that this beats any byte loop. */
static unsigned long long eval_count_lines(const char *p, size_t n)
{
    unsigned long long count = 0;
    const char *end = p + n;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        count++;
        p++;
    }
    return count;
}

/* JSON Lines: the complete lines read so far, once there are a block's worth
 * or the input paused (a pipe) or ended. The window's buffer becomes the
 * batch's and the partial last line moves to the batch's old buffer, so the
 * bulk of the input is never copied. */
static bool eval_next_lines(eval_reader *r, eval_batch *b)
{
    for (;;) {
        bool enough = r->win.len >= r->block || r->short_read;
        if ((r->last_nl && enough) || !eval_read(r))
            break;
    }
    size_t cut = r->eof ? r->win.len : r->last_nl;
    if (cut == 0)
        return false;
    cli_buf full = r->win;
    r->win = b->text;
    r->win.len = 0;
    size_t tail = full.len - cut;
    if (tail && !cli_buf_reserve(&r->win, tail + r->block)) {
        /* Hand out what there is, and end the input there. */
        r->error = ENOMEM;
        r->eof = true;
        cut = full.len;
        tail = 0;
    }
    cli_buf_put(&r->win, full.data + cut, tail);
    r->last_nl = 0;
    r->short_read = false;
    full.len = cut;
    b->text = full;
    b->kind = EVAL_LINES;
    b->first = r->line + 1;
    r->line += eval_count_lines(full.data, cut);
    return true;
}

/* One JSON value: its records, a run of array elements at a time. */
static bool eval_next_nodes(eval_reader *r, eval_batch *b)
{
    if (!r->next)
        return false;
    b->kind = r->kind;
    b->node = r->next;
    b->first = r->index;
    b->count = 0;
    size_t most = r->kind == EVAL_ARRAY ? EVAL_NODES : 1;
    while (r->next && b->count < most) {
        r->next = r->kind == EVAL_ARRAY ? r->next->next : NULL;
        b->count++;
    }
    r->index += b->count;
    return true;
}

bool eval_reader_next(eval_reader *r, eval_batch *b)
{
    return r->kind == EVAL_LINES ? eval_next_lines(r, b) : eval_next_nodes(r, b);
}
