#!/usr/bin/env bash
# pathway eval parses each JSON Lines record into the thread's arena
# (src/cli/eval_arena.c), not node by node with malloc: the number of heap
# allocations a run makes does not grow with the records (it was some 60 a
# record). Counted by valgrind (deterministic, not timed), over 300 and 600
# generated coaches, good and bad records mixed (a bad record's partial
# tree goes the same way), with no leak and no memory error either.
# usage: eval_allocs.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

require_tool valgrind
# Sanitizers and valgrind.sh's wrapper count allocations of their own.
if [ "$(head -c 4 "$bin")" != $'\x7fELF' ] || grep -qa -e __asan_init -e __tsan_init -e __msan_init "$bin"; then
  echo "skip: $bin is instrumented or wrapped"
  exit 77
fi

python3 "$root/tests/rules/gen_population.py" 600 21 2026-11-23 >"$tmp/gen.jsonl" || fail "generating coaches"
# Every tenth record broken a different way: cut short, trailing text, wrong type.
awk 'NR % 30 == 10 { print substr($0, 1, length($0) / 2); next }
     NR % 30 == 20 { print $0 " x"; next }
     NR % 30 == 0 { sub(/"birth_date":"[^"]*"/, "\"birth_date\":6.5"); print; next }
     { print }' "$tmp/gen.jsonl" >"$tmp/600.jsonl"
head -300 "$tmp/600.jsonl" >"$tmp/300.jsonl"

# allocs N: the run's heap allocations over N records; checks the run.
allocs() {
  local n=$1
  valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    "$bin" eval "$root/rules/usatf/usatf.pw" --facts "$tmp/$n.jsonl" --as-of 2026-11-23 --jobs 1 \
    >"$tmp/$n.out" 2>"$tmp/$n.err"
  local rc=$?
  [ "$rc" -eq 1 ] || fail "$n records: exit status $rc, not 1 (bad records; 99: valgrind found errors)"
  [ "$(wc -l <"$tmp/$n.out")" -eq "$n" ] || fail "$n records: not one line a record"
  sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' "$tmp/$n.err" | tr -d ,
}
a300=$(allocs 300)
a600=$(allocs 600)
if [ -z "$a300" ] || [ -z "$a600" ]; then
  fail "no allocation count from valgrind"
elif [ $(( a600 - a300 )) -le 30 ]; then
  ok "allocations: $a300 for 300 records, $a600 for 600"
else
  fail "allocations grow with the records: $a300 for 300, $a600 for 600"
fi
exit $failed
