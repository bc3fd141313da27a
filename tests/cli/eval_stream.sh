#!/usr/bin/env bash
# `pathway eval` streams its input and may evaluate on several threads
# (docs/cli.md, eval): whatever --jobs is, the output and the diagnostics are
# the same bytes in input order; records that span the reader's blocks
# (lines of 768 KiB), CRLF, a byte order mark, blank lines and a last line
# without a newline are read as JSON Lines always were; a file that is one
# object or one array is still read as that; standard input works; the exit
# status says whether every record was evaluated; and peak memory does not
# grow with the input.
# usage: eval_stream.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
rules=$root/rules/usatf/usatf.pw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

# same NAME A B: files A and B are byte for byte equal.
# eval NAME FILE [ARGS...]: evaluates FILE (run from $tmp, so that messages
# name it as given) with stdout, stderr and status kept as NAME.out/.err/.rc.
ev() {
  local name=$1 facts=$2
  shift 2
  (cd "$tmp" && "$bin" eval "$rules" --facts "$facts" --as-of 2026-11-23 "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err"; echo $? >"$tmp/$name.rc")
}

status_is() {
  if [ "$(cat "$tmp/$1.rc")" = "$2" ]; then ok "$1: exit status $2"; else
    fail "$1: exit status $(cat "$tmp/$1.rc"), expected $2"; head -5 "$tmp/$1.err"; fi
}

# --- the inputs --------------------------------------------------------------------
# good.jsonl: 20000 generated coaches, one per line. mixed.jsonl: the same
# coaches with a BOM, CRLF line ends, blank lines, bad records of every kind,
# lines of 768 KiB, three of the reader's blocks and under the record-bytes
# limit (a long unknown field, a long bad line) before and
# after the point where threads start, and no newline at the end.
# mixed.bad: the line numbers of the bad records.
python3 "$root/tests/rules/gen_population.py" 20000 11 2026-11-23 >"$tmp/good.jsonl"
python3 - "$tmp" <<'PY'
import sys
tmp = sys.argv[1]
good = open(f"{tmp}/good.jsonl", encoding="utf-8").read().splitlines()
long_good = good[0][:-1] + ',"notes":"' + "n" * (3 << 18) + '"}'
bad_kinds = ['not json', '{"id":"BADDATE","birth_date":"2026-02-30"}', '[1,2]',
             '{"birth_date":"1990-01-01"}', good[1] + ' trailing', "x" * (3 << 18)]
out, bad, n = [], [], 0
def add(line, is_bad=False):
    out.append(line)
    if is_bad:
        bad.append(len(out))
for i, g in enumerate(good):
    if i in (100, 9000):
        add(long_good)
        add(bad_kinds[-1], True)
    if i % 53 == 7:
        add(bad_kinds[i % (len(bad_kinds) - 1)], True)
    if i % 211 == 3:
        add("")
        add("   \t")
    add(g)
data = "\ufeff" + "\r\n".join(out)
open(f"{tmp}/mixed.jsonl", "w", encoding="utf-8", newline="").write(data)
open(f"{tmp}/mixed.bad", "w").write("".join(f"mixed.jsonl:{b}\n" for b in bad))
# The expected output of mixed.jsonl, given good.jsonl's output: fill in below.
open(f"{tmp}/mixed.layout", "w").write("".join(
    ("B\n" if (k + 1) in set(bad) else "L\n" if len(l) > 1000 else "G\n")
    for k, l in enumerate(out) if l.strip()))
PY

# --- the same output on 1, 2 and 4 threads -------------------------------------------
ev good good.jsonl --jobs 1
status_is good 0
for j in 1 2 4; do
  ev "mixed-$j" mixed.jsonl --jobs "$j"
  status_is "mixed-$j" 1
done
ev mixed-auto mixed.jsonl
status_is mixed-auto 1
for j in 2 4 auto; do
  same "mixed: stdout of --jobs $j is that of --jobs 1" "$tmp/mixed-1.out" "$tmp/mixed-$j.out"
  same "mixed: stderr of --jobs $j is that of --jobs 1" "$tmp/mixed-1.err" "$tmp/mixed-$j.err"
done

# Every record of mixed.jsonl in its place: a bad one is an error line, a
# good one is good.jsonl's line for it, and every diagnostic names the line.
if python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
out = open(f"{tmp}/mixed-1.out", encoding="utf-8").read().splitlines()
good = iter(open(f"{tmp}/good.out", encoding="utf-8").read().splitlines())
layout = open(f"{tmp}/mixed.layout").read().split()
problems = []
if len(out) != len(layout):
    problems.append(f"{len(out)} output lines for {len(layout)} records")
for n, (line, kind) in enumerate(zip(out, layout), 1):
    obj = json.loads(line)
    if kind == "B":
        if set(obj) != {"id", "error"}:
            problems.append(f"record {n} should be an error line: {line[:120]}")
    elif kind == "L":
        if obj.get("id") != "G000000" or "error" in obj:
            problems.append(f"record {n} (a line of 1.5 MiB) was not evaluated: {line[:120]}")
    elif line != next(good, None):
        problems.append(f"record {n} differs from good.jsonl's: {line[:120]}")
where = [l.split(": error:")[0] for l in open(f"{tmp}/mixed-1.err", encoding="utf-8", errors="replace")]
want = open(f"{tmp}/mixed.bad").read().split()
if where != want:
    problems.append(f"diagnostics name {where[:5]}..., expected {want[:5]}...")
for p in problems[:10]:
    print("FAIL mixed: " + p)
sys.exit(1 if problems else 0)
PY
then ok "mixed: each record in its place, each diagnostic naming its line"; else failed=1; fi

# --- standard input --------------------------------------------------------------------
(cd "$tmp" && "$bin" eval "$rules" --facts - --as-of 2026-11-23 --jobs 2 <mixed.jsonl \
  >stdin.out 2>stdin.err; echo $? >stdin.rc)
status_is stdin 1
same "stdin: the output of the file" "$tmp/mixed-1.out" "$tmp/stdin.out"
sed 's/^mixed\.jsonl:/-:/' "$tmp/mixed-1.err" >"$tmp/mixed-as-stdin.err"
same "stdin: the diagnostics of the file, naming -" "$tmp/mixed-as-stdin.err" "$tmp/stdin.err"
# Through a pipe, which returns short reads.
(cd "$tmp" && cat mixed.jsonl | "$bin" eval "$rules" --facts - --as-of 2026-11-23 --jobs 4 >pipe.out 2>/dev/null)
same "pipe: the output of the file" "$tmp/mixed-1.out" "$tmp/pipe.out"

# --- one object, one array ---------------------------------------------------------------
python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
good = [json.loads(l) for l in open(f"{tmp}/good.jsonl", encoding="utf-8")]
json.dump(good[5], open(f"{tmp}/one.json", "w"), indent=2)
json.dump(good[:6000], open(f"{tmp}/array.json", "w"), indent=1)
arr = good[:3] + [7, {"id": "no-date"}] + good[3:5]
json.dump(arr, open(f"{tmp}/small-array.json", "w"))
PY
ev one one.json
status_is one 0
sed -n 6p "$tmp/good.out" >"$tmp/one.want"
same "one object, pretty-printed: read as one record" "$tmp/one.want" "$tmp/one.out"
for j in 1 2 4; do
  ev "array-$j" array.json --jobs "$j"
  status_is "array-$j" 0
done
head -6000 "$tmp/good.out" >"$tmp/array.want"
for j in 1 2 4; do
  same "array, --jobs $j: one line per element, in order" "$tmp/array.want" "$tmp/array-$j.out"
done
ev small-array small-array.json --jobs 2
status_is small-array 1
expect_grep small-array err "small-array.json: record 4: error: record without an id: expected a JSON object"
expect_grep small-array err 'small-array.json: record 5: error: record "no-date": missing required field `birth_date`'

# --- exit statuses ----------------------------------------------------------------------
ev missing no-such-file.jsonl
status_is missing 2
expect_grep missing err "cannot open no-such-file.jsonl"
mkdir "$tmp/dir"
ev directory dir
status_is directory 2
expect_grep directory err "cannot read dir"
ev jobs-zero good.jsonl --jobs 0
status_is jobs-zero 2
expect_grep jobs-zero err "--jobs: \`0\` needs a whole number from 1 to 256"
ev jobs-word good.jsonl --jobs=many
status_is jobs-word 2
: >"$tmp/empty.jsonl"
ev empty empty.jsonl --jobs 2
status_is empty 0
[ -s "$tmp/empty.out" ] && fail "empty: printed something" || ok "empty: no output"

# --- memory: peak RSS does not grow with the input ------------------------------------------
# 8000 records, then ten times as many (past the point where threads start in
# both), measured by GNU time: a child of Python or the shell would count
# their memory too. Sanitizers and valgrind (a wrapper script) add memory of
# their own: the check needs the plain binary.
if [ ! -x /usr/bin/time ]; then
  echo "skip rss: /usr/bin/time (GNU time) is not installed"
elif [ "$(head -c 4 "$bin")" != $'\x7fELF' ] || grep -qa -e __asan_init -e __tsan_init -e __msan_init "$bin"; then
  echo "skip rss: $bin is instrumented or wrapped"
else
  head -8000 "$tmp/good.jsonl" >"$tmp/small.jsonl"
  for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$tmp/small.jsonl"; done >"$tmp/large.jsonl"
  for j in 1 2; do
    for size in small large; do
      /usr/bin/time -f %M -o "$tmp/rss-$size" "$bin" eval "$rules" --facts "$tmp/$size.jsonl" \
        --as-of 2026-11-23 --jobs "$j" >/dev/null
    done
    small=$(tail -1 "$tmp/rss-small") large=$(tail -1 "$tmp/rss-large")
    if [ $(( large * 10 )) -le $(( small * 12 )) ]; then
      ok "rss --jobs $j: $small KiB for 8000 records, $large KiB for 80000"
    else
      fail "rss --jobs $j: peak RSS grew from $small KiB to $large KiB with ten times the input"
    fi
  done
fi
exit $failed
