#!/usr/bin/env bash
# What explain shows a requirement looked at (issue 18, item 6), on a rule
# set written for the test (tests/explain/seen-ladder.pw): a definition
# called with several arguments, constants or values of the facts
# (`held_for_months("ussf-b", 12)`, `held_for_months(current_licence, 12)`),
# lists the entries it looked at as a one-argument call does; a computed
# total (a `sum` or `count`, in the requirement or as a definition) lists
# the entries that counted, with what each adds. Text and JSON are golden
# files; the JSON's entries add up to the totals shown.
# usage: explain_seen.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
rules=$root/tests/explain/seen-ladder.pw
facts=$root/tests/golden/explain/seen.jsonl
gold=$root/tests/golden/explain
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

expect_status text 0 "$bin" explain "$rules" --facts "$facts" --as-of 2026-06-01 --format text &&
  expect_golden text "$tmp/text.out" "$gold/seen-explain.txt"
expect_status json 0 "$bin" explain "$rules" --facts "$facts" --as-of 2026-06-01 --format json &&
  expect_golden json "$tmp/json.out" "$gold/seen-explain.jsonl"

# The lines the issue asked for, said plainly (the golden files hold them
# too; these name what each is for).
expect_grep text out 'held_for_months("ussf-b", 12) is false'
expect_grep text out '            {id: "ussf-b", issued: 2026-01-10}'
expect_grep text out 'held_for_months(current_licence, 12) is false'
expect_grep text out 'points_earned(2020-01-01, 2024-12-31) 19, needs at least 20'
expect_grep text out '{title: "course b", completed: 2023-02-01, points: 11, hours: 4, in_person: false} adds 11'
expect_grep text out 'sum of points over courses 6, needs at least 10'
expect_grep text out 'count of courses 1, needs at least 2'
sed -n '/^  renewal/,/^  shapes/p' "$tmp/text.out" >"$tmp/renewal.txt"
if grep -q 'courses is [0-9]* entr' "$tmp/renewal.txt"; then
  fail "text: a total shown as the size of its list"; else ok "text: no total shown as the size of its list"; fi
# A total inside a quantifier over another list is not a value of its own.
grep -A2 'a course after each licence' "$tmp/text.out" >"$tmp/nested.txt"
if grep -q 'count of' "$tmp/nested.txt"; then
  fail "text: a count that depends on another list's entry shown as a value"; else
  ok "text: a count that depends on another list's entry is not shown as a value"; fi
expect_grep text out 'sum of hours over courses 10.75 (needs at least 10)'
expect_grep text out 'sum of points over courses 11 (needs at least 10)' 

# In JSON, a sum's entries add up to its value and a count's are as many as
# its value, for every requirement and coach.
if python3 - "$tmp/json.out" >"$tmp/sums.out" 2>&1 <<'PY'
import json, re, sys
checked = 0
for line in open(sys.argv[1]):
    for p in json.loads(line)["programs"]:
        for r in p["requirements"]:
            for s in r["seen"]:
                e = s["expr"] or ""
                adds = [re.search(r" adds (-?[0-9.]+)$", x) for x in s["entries"]]
                if e.startswith("count of"):
                    assert len(s["entries"]) == int(s["value"]), s
                    checked += 1
                elif all(adds) and adds:
                    assert sum(float(m.group(1)) for m in adds) == float(s["value"]), s
                    checked += 1
assert checked >= 5, checked
print(checked, "totals checked")
PY
then ok "json: entries add up to the totals ($(cat "$tmp/sums.out"))"; else
  fail "json: entries do not add up"; sed 's/^/    /' "$tmp/sums.out"; fi

exit $failed
