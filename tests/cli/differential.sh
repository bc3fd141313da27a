#!/usr/bin/env bash
# Differential test: pathway eval on the shipped USATF rules must print,
# record for record, exactly what tests/rules/oracle.py (an evaluator written
# by hand from the coach-record spec) prints, over generated populations that
# crowd the spec's boundaries, on several evaluation dates.
# usage: differential.sh PATHWAY_BINARY REPOSITORY_ROOT
set -euo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
for case in "2026-11-23 1" "2028-02-29 2" "2027-03-01 3" "2026-01-01 4"; do
  set -- $case
  asof=$1 seed=$2
  python3 "$root/tests/rules/gen_population.py" 3000 "$seed" "$asof" >"$tmp/pop.jsonl"
  python3 "$root/tests/rules/oracle.py" "$tmp/pop.jsonl" "$asof" >"$tmp/want.jsonl"
  "$bin" eval "$root/rules/usatf/usatf.pw" --facts "$tmp/pop.jsonl" --as-of "$asof" --format jsonl \
    >"$tmp/got.jsonl" 2>"$tmp/err.txt" || { echo "FAIL $asof: pathway eval exited non-zero"; head "$tmp/err.txt"; failed=1; continue; }
  if diff -q "$tmp/want.jsonl" "$tmp/got.jsonl" >/dev/null; then
    echo "ok   as of $asof: 3000 generated coaches decide as the spec says"
  else
    echo "FAIL as of $asof: first differences (- oracle, + pathway):"
    diff "$tmp/want.jsonl" "$tmp/got.jsonl" | head -6
    failed=1
  fi
done
exit $failed
