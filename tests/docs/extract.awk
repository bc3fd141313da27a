# The fenced code blocks of Markdown files, for tests/docs/run.sh.
# usage: awk -v out=DIR -f extract.awk FILE...
# Writes each block's text to DIR/N (N counts from 1, in file order, with
# the fence's indentation taken off each line, as CommonMark does) and
# prints one line per block, its fields separated by the character \037:
# N, file, line of the opening fence, its info string, "closed" (or
# "unclosed" for a fence left open at the end of a file, or "tilde", for
# run.sh to report), and the command of an `<!-- output of: COMMAND -->`
# comment on the line just before the fence (or nothing).
# Only ``` fences of up to three spaces' indentation open a block; a ~~~
# fence is reported with the state "tilde" (the docs use ```, which
# run.sh reads), and a ``` later in a line is inline code.

function finish_file() {
    if (open) report("unclosed")
    open = 0
}

function report(state) {
    printf "%d\037%s\037%d\037%s\037%s\037%s\n", n, file, start, info, state, cmd
}

# The number of leading spaces of s.
function indent(s,    i) {
    i = 0
    while (substr(s, i + 1, 1) == " ") i++
    return i
}

FNR == 1 { finish_file(); file = FILENAME; prev = ""; tilde = 0 }

{
    ind = indent($0)
    last = prev; prev = $0
    rest = substr($0, ind + 1)
    if (!open) {
        if (ind <= 3 && substr(rest, 1, 3) == "~~~") {  # not read: reported
            if (!tilde) {
                n++; start = FNR; info = ""; cmd = ""
                printf "" > (out "/" n)
                close(out "/" n)
                report("tilde")
            }
            tilde = !tilde
            next
        }
        if (tilde) next
        if (ind > 3 || substr(rest, 1, 3) != "```") next
        ticks = 0
        while (substr(rest, ticks + 1, 1) == "`") ticks++
        info = substr(rest, ticks + 1)
        if (index(info, "`")) next  # CommonMark: no backtick in the info string
        cmd = ""
        if (last ~ /^<!-- output of: .* -->$/) cmd = substr(last, 17, length(last) - 20)
        sub(/^[ \t]+/, "", info); sub(/[ \t]+$/, "", info)
        n++; open = 1; start = FNR; fence_ind = ind; fence_len = ticks
        body = out "/" n
        printf "" > body
        next
    }
    if (ind <= 3 && rest ~ /^```+[ \t]*$/) {
        closing = rest; sub(/[ \t]+$/, "", closing)
        if (length(closing) >= fence_len) {
            report("closed")
            close(body); open = 0
            next
        }
    }
    line = $0
    strip = ind < fence_ind ? ind : fence_ind
    print substr(line, strip + 1) > body
}

END { finish_file() }
