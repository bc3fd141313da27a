#!/usr/bin/env bash
# Requirements a person decides (`decided by "WHO"`): eval's JSON line says
# which `require`s await a decision ("awaiting_decision", only for programs
# that have one: the others' lines are byte for byte as before), eval's text
# report, explain, when and plan say "needs a decision by WHO" or "refused
# by WHO" rather than a missing fact; the bytecode of a rule set without
# decisions is unchanged; fmt keeps the form.
# usage: decisions.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
rules=$root/tests/rules/handbooks/decisions.pw

cat >"$tmp/coaches.jsonl" <<'JSON'
{"id":"pending","birth_date":"1990-06-15","licences":[{"id":"c-licence","issued":"2024-03-01"}]}
{"id":"refused","birth_date":"1990-06-15","licences":[{"id":"c-licence","issued":"2024-03-01"}],"decisions":[{"key":"meets the 3.2 Rule","accepted":false},{"key":"foreign-licence","accepted":false}]}
{"id":"accepted","birth_date":"1990-06-15","licences":[{"id":"c-licence","issued":"2024-03-01"}],"decisions":[{"key":"meets the 3.2 Rule","accepted":true}]}
JSON

expect_status eval 0 "$bin" eval "$rules" --facts "$tmp/coaches.jsonl" --as-of 2026-11-23 \
  --program d_licence --program b_licence --format jsonl && expect_out eval <<'OUT'
{"id":"pending","as_of":"2026-11-23","results":[{"program":"d_licence","eligible":true,"unmet":[],"preferred_unmet":[]},{"program":"b_licence","eligible":false,"unmet":["meets the 3.2 Rule"],"preferred_unmet":[],"awaiting_decision":["meets the 3.2 Rule"]}]}
{"id":"refused","as_of":"2026-11-23","results":[{"program":"d_licence","eligible":true,"unmet":[],"preferred_unmet":[]},{"program":"b_licence","eligible":false,"unmet":["meets the 3.2 Rule"],"preferred_unmet":[],"awaiting_decision":[]}]}
{"id":"accepted","as_of":"2026-11-23","results":[{"program":"d_licence","eligible":true,"unmet":[],"preferred_unmet":[]},{"program":"b_licence","eligible":true,"unmet":[],"preferred_unmet":[],"awaiting_decision":[]}]}
OUT

# A decided member of a group: the group's label is unmet, the member awaits.
head -1 "$tmp/coaches.jsonl" >"$tmp/one.json"
expect_status eval-group 0 "$bin" eval "$rules" --facts "$tmp/one.json" --as-of 2026-11-23 \
  --program a_licence --format jsonl && expect_out eval-group <<'OUT'
{"id":"pending","as_of":"2026-11-23","results":[{"program":"a_licence","eligible":false,"unmet":["a B License, or a foreign licence the federation accepts"],"preferred_unmet":[],"awaiting_decision":["a foreign licence accepted by the federation"]}]}
OUT

expect_status eval-text 0 "$bin" eval "$rules" --facts "$tmp/coaches.jsonl" --as-of 2026-11-23 \
  --program b_licence --program a_licence --format text
expect_grep eval-text out "needs a decision by the national coaching committee: meets the 3.2 Rule"
expect_grep eval-text out "refused by the national coaching committee: meets the 3.2 Rule"
expect_grep eval-text out "- a foreign licence accepted by the federation: not met (needs a decision by the federation's Coaching Education Department)"
expect_grep eval-text out "- a foreign licence accepted by the federation: not met (refused by the federation's Coaching Education Department)"

expect_status explain 0 "$bin" explain "$rules" --facts "$tmp/coaches.jsonl" --as-of 2026-11-23 \
  --program b_licence --format text
expect_grep explain out "needs a decision by the national coaching committee"
expect_grep explain out "refused by the national coaching committee"
expect_grep explain out "accepted by the national coaching committee"
if grep -q "not met on any day" "$tmp/explain.out"; then
  fail "explain: a decision is said to be never met"; else ok "explain: a decision is not a day's question"; fi

expect_status explain-json 0 "$bin" explain "$rules" --facts "$tmp/one.json" --as-of 2026-11-23 \
  --program b_licence --format json
expect_grep explain-json out '"seen":[{"expr":null,"value":"needs a decision by the national coaching committee"'

expect_status when 1 "$bin" when "$rules" --facts "$tmp/one.json" --as-of 2026-11-23 \
  --program b_licence --format text
expect_grep when out 'blocked by "meets the 3.2 Rule": needs a decision by the national coaching committee'

expect_status plan 0 "$bin" plan "$rules" --facts "$tmp/coaches.jsonl" --as-of 2026-11-23 \
  --target b_licence --format text
expect_grep plan out 'arrange first: ask the national coaching committee for a decision on "meets the 3.2 Rule"'
expect_grep plan out 'arrange first: ask the national coaching committee to review its refusal of "meets the 3.2 Rule"'
# The same in JSON, through the public fields (blocking_decision,
# arrange_decision), not only in the text report.
expect_status when-json 1 "$bin" when "$rules" --facts "$tmp/one.json" --as-of 2026-11-23 \
  --program b_licence --format json
expect_grep when-json out '"label":"meets the 3.2 Rule","decision":"needs a decision by the national coaching committee"'
expect_status plan-json 0 "$bin" plan "$rules" --facts "$tmp/coaches.jsonl" --as-of 2026-11-23 \
  --target b_licence --format json
expect_grep plan-json out '"arrange_decision":["ask the national coaching committee for a decision on"]'
if grep -q "not reachable" "$tmp/plan.out"; then
  fail "plan: a pending decision made the target unreachable"; else ok "plan: a decision is arranged, not impossible"; fi

# Without decided requirements, the bytecode is that of main's rules: the
# shipped rule sets compile to the same bytes as their disassembly pins.
expect_status disasm-usatf 0 "$bin" disasm "$root/rules/usatf/usatf.pw"
if grep -q "decided by" "$tmp/disasm-usatf.out"; then fail "usatf: a decision function appeared"; else
  ok "usatf: no decision function"; fi

# The decision function follows its requirement's, named for the decider.
expect_status disasm 0 "$bin" disasm "$rules"
expect_grep disasm out "decided by the national coaching committee(): integer"

# diff: a new decider (same key) changes the requirement; the coaches'
# eligibility does not change with it.
sed '/^example/,$d' "$rules" >"$tmp/old.pw"
sed 's/decided by "the national coaching committee"/decided by "the licensing committee"/' "$tmp/old.pw" >"$tmp/new.pw"
expect_status diff 0 "$bin" diff "$tmp/old.pw" "$tmp/new.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-11-23 --format text
expect_grep diff out 'b_licence: require "meets the 3.2 Rule" changed (condition)'
expect_status diff-same 0 "$bin" diff "$tmp/old.pw" "$tmp/old.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-11-23 --format text
expect_grep diff-same out 'no program or requirement changed'

# fmt keeps `decided by ... as ...`, and is idempotent on it.
cat >"$tmp/messy.pw" <<'PW'
record decision { key: text
accepted: boolean }
facts coach { decisions: list of decision = [] }
program p "P" {
require "meets the 3.2 Rule":   decided   by   "the national coaching committee"   as   "rule-3.2"
  citing "meet the 3.2 Rule"
}
PW
expect_status fmt 0 "$bin" fmt "$tmp/messy.pw"
expect_grep fmt out 'require "meets the 3.2 Rule": decided by "the national coaching committee" as "rule-3.2"'
cp "$tmp/fmt.out" "$tmp/once.pw"
expect_status fmt-again 0 "$bin" fmt "$tmp/once.pw"
cmp -s "$tmp/fmt.out" "$tmp/fmt-again.out" && ok "fmt: idempotent" || fail "fmt: not idempotent"

exit $failed
