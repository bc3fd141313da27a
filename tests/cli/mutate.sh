#!/usr/bin/env bash
# `pathway test --mutate`: a weak test (the age boundary seen met and unmet
# but not pinned) leaves its mutants alive at their exact line and column; a
# strong one (a coach on each side of the boundary) kills every mutant; JSON,
# --min-mutation-score, usage errors, and no file written.
# usage: mutate.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

# Run on a copy, so that "nothing written" can be checked on the whole directory.
mkdir "$tmp/m" && cp "$root"/tests/mutate/*.pw "$tmp/m/" || exit 1
cd "$tmp/m" || exit 1
(ls -l --time-style=full-iso; cat ./*.pw) >"$tmp/before"

# --- the weak test: the boundary of `age >= 16` (rules.pw line 15) survives ---------
expect_status weak 0 "$bin" test --mutate weak.test.pw
expect_grep weak out 'SURVIVED rules.pw:15:43 `age >= 16` -> `age > 16`'
expect_grep weak out 'SURVIVED rules.pw:15:46 `age >= 16` -> `age >= 15`'
expect_grep weak out 'SURVIVED rules.pw:15:46 `age >= 16` -> `age >= 17`'
expect_grep weak out 'weak.test.pw: 6 mutants: 3 killed, 3 survived; mutation score 50.0%'
# Killed mutants are not listed.
if grep -q 'not banned' "$tmp/weak.out"; then fail "weak: lists a killed mutant"; else ok "weak: killed mutants not listed"; fi

# A suggested test per survivor: the coach of a test with its dates moved to
# the boundary (a 16th birthday on the test's date), on both sides of it.
expect_grep weak out "  \`helper\` is eligible as written and not eligible as mutated as of 2026-06-01 for the coach of test \"a child may not\" with its \`birth_date\` moved 3501 days earlier; with its \`birth_date\` a day later, it is not eligible either way; suggested tests:"
expect_grep weak out '      given adult with { birth_date: 2010-06-01 }'
expect_grep weak out '      given adult with { birth_date: 2010-06-02 }'
expect_grep weak out '    test "helper not eligible (mutant rules.pw:15:46, other side)" {'

# --min-mutation-score: below it, exit 1 and say so.
expect_status weak-min 1 "$bin" test --mutate --min-mutation-score 100 weak.test.pw
expect_grep weak-min out "FAIL mutation score 50.0% is below the minimum of 100%"
expect_status weak-min-50 0 "$bin" test --mutate --min-mutation-score 50% weak.test.pw

# JSON: every mutant with its outcome.
expect_status weak-json 1 "$bin" test --mutate --format json --min-mutation-score 60 weak.test.pw
expect_grep weak-json out '{"file":"rules.pw","line":15,"column":46,"outcome":"survived","before":"age >= 16","after":"age >= 17","witness":"`helper` is eligible as written and not eligible as mutated as of 2026-06-01'
expect_grep weak-json out '"outcome":"killed","before":"not banned","after":"(banned)","killed_by":"an adult may help"}'
expect_grep weak-json out '"mutants":6,"killed":3,"survived":3,"not_compiled":0,"equivalent":0,"score":50.0}'
if command -v python3 >/dev/null; then
  if python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/weak-json.out"; then ok "weak-json: valid JSON"
  else fail "weak-json: not valid JSON"; fi
fi

# SARIF: a result per survivor, at its line and column.
expect_status weak-sarif 0 "$bin" test --mutate --format sarif weak.test.pw
expect_grep weak-sarif out '"version":"2.1.0"'
expect_grep weak-sarif out '"helpUri":"https://pathway.example/docs/cli.md#mutation-testing"'
expect_grep weak-sarif out '"artifactLocation":{"uri":"rules.pw"},"region":{"startLine":15,"startColumn":46}'
if command -v python3 >/dev/null; then
  if python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["runs"][0]["results"]; assert len(r) == 3, len(r)' \
      "$tmp/weak-sarif.out"; then ok "weak-sarif: valid JSON, 3 results"; else fail "weak-sarif: not 3 results in valid JSON"; fi
fi

# The suggested tests, pasted into the weak file, kill every survivor.
if command -v python3 >/dev/null; then
  mkdir "$tmp/p" && cp rules.pw weak.test.pw "$tmp/p/" || exit 1
  python3 -c 'import json, sys
seen = set()
for r in json.load(open(sys.argv[1]))["files"][0]["results"]:
    if r["outcome"] == "survived" and r["suggested_tests"] not in seen:
        seen.add(r["suggested_tests"]); print(r["suggested_tests"])' "$tmp/weak-json.out" >>"$tmp/p/weak.test.pw"
  expect_status pasted 0 "$bin" test --mutate --min-mutation-score 100 "$tmp/p/weak.test.pw"
  expect_grep pasted out 'weak.test.pw: 6 mutants: 6 killed, 0 survived; mutation score 100.0%'
fi

# SARIF: the suggested tests as a property of the result.
expect_status weak-sarif2 0 "$bin" test --mutate --format sarif weak.test.pw
expect_grep weak-sarif2 out '"properties":{"suggestedTests":"test \"helper eligible (mutant rules.pw:15:43)\" {\n  as of 2026-06-01\n  given adult with { birth_date: 2010-06-01 }'

# A survivor no test's coach tells apart: said so, never called equivalent
# (a number is not among the fields the search changes).
mkdir "$tmp/e" && cat >"$tmp/e/e.test.pw" <<'PW'
facts coach {
  id: text
  score: number
}
program p "P" {
  require "score at least 2.5": score >= 2.5
}
test "t" {
  as of 2026-01-01
  given { id: "a", score: 5.0 }
  expect p eligible
}
PW
expect_status nowitness 0 "$bin" test --mutate "$tmp/e/e.test.pw"
expect_grep nowitness out "  no coach and day found on which it changes a decision (the file's tests' coaches on other days, with one field changed or their dates moved, within the search's horizon): a candidate equivalent mutant"
expect_status nowitness-json 0 "$bin" test --mutate --format json "$tmp/e/e.test.pw"
expect_grep nowitness-json out '"after":"score > 2.5","witness":null}'

# Dates of a version's effective period and enrolment window moved by a
# day, and a known value compared with a field replaced by the next of its
# list; their suggested tests found by moving the day (the coach as written).
mkdir "$tmp/d" && cat >"$tmp/d/d.test.pw" <<'PW'
known role = ["official", "coach", "volunteer"]
facts coach {
  id: text
  roles: set of text in role = []
  kind: text in role
}
program p "P"
  effective from 2026-01-01
  enrolment open from 2026-03-01 until 2026-09-30
{
  require "a coach": "coach" in roles
  require "kind": kind = "official"
}
test "open" {
  as of 2026-06-01
  given { id: "a", roles: ["coach"], kind: "official" }
  expect p eligible
}
test "before" {
  as of 2025-06-01
  given { id: "a", roles: ["coach"], kind: "official" }
  expect p not yet in force
}
PW
cd "$tmp/d" || exit 1
expect_status dates 0 "$bin" test --mutate d.test.pw
expect_grep dates out 'SURVIVED d.test.pw:8:18 `from 2026-01-01` -> `from 2025-12-31`'
expect_grep dates out 'SURVIVED d.test.pw:9:40 `enrolment open from 2026-03-01 until 2026-09-30` -> `enrolment open from 2026-03-01 until 2026-10-01`'
expect_grep dates out '  `p` is closed as written and eligible as mutated as of 2026-10-01 for the coach of test "open"; as of 2026-09-30 it is eligible either way; suggested tests:'
expect_grep dates out '      expect p closed'
# A field of the coach changed: another known value, a set without a value.
expect_grep dates out '  `p` is not eligible as written and eligible as mutated as of 2026-06-01 for the coach of test "open" with its `kind` set to "coach"; suggested test:'
expect_grep dates out '      given { id: "a", roles: [], kind: "official" }'
expect_grep dates out 'd.test.pw: 11 mutants: 3 killed, 8 survived; mutation score 27.2%'
expect_status dates-json 0 "$bin" test --mutate --format json d.test.pw
expect_grep dates-json out '"line":11,"column":22,"outcome":"killed","before":"\"coach\" in roles","after":"\"volunteer\" in roles","killed_by":"open"}'
expect_grep dates-json out '"line":12,"column":26,"outcome":"killed","before":"kind = \"official\"","after":"kind = \"coach\"","killed_by":"open"}'
cd "$tmp/m" || exit 1

# Equivalent mutants: proved by the lint's reasoning to change no decision
# (a redundant `age >= 14` beside `age >= 16`; a bound the record declares),
# listed with the reason and left out of the score. The rest are killed.
mkdir "$tmp/q" && cat >"$tmp/q/q.test.pw" <<'PW'
facts coach {
  id: text
  birth_date: date
  athletes: integer >= 0 = 0
}
define age = years since birth_date
program p "P" {
  require "old enough": age >= 16 and age >= 14
  require "athletes": athletes >= 0
  require "some athletes": athletes >= 1
}
test "16 today" {
  as of 2026-06-01
  given { id: "a", birth_date: 2010-06-01, athletes: 1 }
  expect p eligible
}
test "15" {
  as of 2026-06-01
  given { id: "a", birth_date: 2010-06-02, athletes: 1 }
  expect p not eligible unmet "old enough"
}
test "no athletes" {
  as of 2026-06-01
  given { id: "a", birth_date: 2000-06-02, athletes: 0 }
  expect p not eligible unmet "some athletes"
}
PW
cd "$tmp/q" || exit 1
expect_status equiv 0 "$bin" test --mutate --min-mutation-score 100 q.test.pw
expect_grep equiv out 'EQUIVALENT q.test.pw:8:46 `age >= 14` -> `age >= 15`'
expect_grep equiv out '  the condition of "old enough", `age >= 16 and age >= 14`, holds as mutated for exactly the same values (the lint'"'"'s reasoning, within the record'"'"'s declared ranges): it changes no decision; not counted'
expect_grep equiv out 'EQUIVALENT q.test.pw:8:43 `age >= 14` -> `age > 14`'
expect_grep equiv out 'EQUIVALENT q.test.pw:8:46 `age >= 14` -> `age >= 13`'
expect_grep equiv out 'EQUIVALENT q.test.pw:9:23 `athletes >= 0` -> `true`'
expect_grep equiv out 'EQUIVALENT q.test.pw:9:35 `athletes >= 0` -> `athletes >= -1`'
expect_grep equiv out 'q.test.pw: 16 mutants: 11 killed, 0 survived, 5 equivalent (not counted); mutation score 100.0%'
# Never a claim without a proof: `age >= 16`'s own boundary is killed, not equivalent.
if grep -q 'EQUIVALENT q.test.pw:8:3[0-9]' "$tmp/equiv.out"; then fail "equiv: age >= 16 called equivalent"; else ok "equiv: age >= 16 not equivalent"; fi
expect_status equiv-json 0 "$bin" test --mutate --format json q.test.pw
expect_grep equiv-json out '"line":9,"column":35,"outcome":"equivalent","before":"athletes >= 0","after":"athletes >= -1","equivalent_because":"the condition of \"athletes\", `athletes >= 0`, holds as mutated'
expect_grep equiv-json out '"mutants":16,"killed":11,"survived":0,"not_compiled":0,"equivalent":5,"score":100.0}'
cd "$tmp/m" || exit 1

# --- the strong test: a coach on each side of the boundary kills every mutant -------
expect_status strong 0 "$bin" test --mutate --min-mutation-score 100 strong.test.pw
expect_grep strong out 'strong.test.pw: 6 mutants: 6 killed, 0 survived; mutation score 100.0%'
if grep -q SURVIVED "$tmp/strong.out"; then fail "strong: a survivor"; else ok "strong: no survivor"; fi

# Both files: a total line.
expect_status both 0 "$bin" test --mutate weak.test.pw strong.test.pw
expect_grep both out "12 mutants: 9 killed, 3 survived, 0 not compiled; mutation score 75.0%"

# --- files whose tests cannot serve ----------------------------------------------
# A file without tests is skipped (as `pathway test` passes it): a directory works.
expect_status no-tests 0 "$bin" test --mutate rules.pw
expect_grep no-tests out "SKIP rules.pw: declares no tests"
expect_status dir 0 "$bin" test --mutate .
expect_grep dir out "SURVIVED ./rules.pw:15:46 \`age >= 16\` -> \`age >= 17\`"
expect_grep dir out "12 mutants: 9 killed, 3 survived, 0 not compiled; mutation score 75.0%"
printf 'include "rules.pw"\ntest "wrong" {\n  as of 2026-06-01\n  given { id: "x", birth_date: 2020-01-01 }\n  expect helper eligible\n}\n' >failing.test.pw
expect_status failing 1 "$bin" test --mutate failing.test.pw
expect_grep failing out "ERROR failing.test.pw: has tests that fail on the rules as written"
rm failing.test.pw

# --- usage ----------------------------------------------------------------------
expect_status json-no-mutate 2 "$bin" test --format json weak.test.pw
expect_grep json-no-mutate err "--format json|sarif, --min-mutation-score and --jobs need --mutate"
expect_status jobs-no-mutate 2 "$bin" test --jobs 2 weak.test.pw
expect_status jobs-zero 2 "$bin" test --mutate --jobs 0 weak.test.pw
expect_grep jobs-zero err "--jobs: \`0\` needs a whole number from 1 to"
expect_status sarif-no-mutate 2 "$bin" test --format sarif weak.test.pw
expect_status score-no-mutate 2 "$bin" test --min-mutation-score 90 weak.test.pw
expect_status mutate-junit 2 "$bin" test --mutate --format junit weak.test.pw
expect_status mutate-coverage 2 "$bin" test --mutate --coverage weak.test.pw
expect_status bad-score 2 "$bin" test --mutate --min-mutation-score 101 weak.test.pw
expect_grep bad-score err "--min-mutation-score"

# --- the mutants were compiled in memory: no file written or changed --------------
(ls -l --time-style=full-iso; cat ./*.pw) >"$tmp/after"
same "nothing written in the rules' directory" "$tmp/before" "$tmp/after"

# SARIF counts columns in code points, the text report in bytes: a label
# with a non-ASCII character before the comparison.
mkdir "$tmp/u" && cd "$tmp/u" || exit 1
cat >u.test.pw <<'PW'
facts coach {
  id: text
  n: integer
}
program p "P" {
  require "n ≥ 2": n >= 2
}
test "t" {
  as of 2026-01-01
  given { id: "a", n: 5 }
  expect p eligible
}
PW
expect_status utf8 0 "$bin" test --mutate u.test.pw
expect_grep utf8 out 'SURVIVED u.test.pw:6:27 `n >= 2` -> `n >= 3`'
expect_status utf8-sarif 0 "$bin" test --mutate --format sarif u.test.pw
expect_grep utf8-sarif out '"region":{"startLine":6,"startColumn":25}'

# A known value replaced by the next of its list (usatf.pw line 85), killed
# by the shipped tests.
expect_status usatf-json 0 "$bin" test --mutate --format json "$root/rules/usatf/usatf.test.pw"
expect_grep usatf-json out '"line":85,"column":56,"outcome":"killed","before":"current(\"usatf-level-1\")","after":"current(\"usatf-level-2\")"'

# --jobs: the same report, in the same order, whatever the number of threads
# (the seconds aside).
for j in 1 2 3; do
  expect_status "jobs$j" 0 "$bin" test --mutate --jobs "$j" --format json "$root/rules"
  sed 's/"seconds":[0-9.]*//g' "$tmp/jobs$j.out" >"$tmp/jobs$j.norm"
done
same "--jobs 2: the report of --jobs 1" "$tmp/jobs1.norm" "$tmp/jobs2.norm"
same "--jobs 3: the report of --jobs 1" "$tmp/jobs1.norm" "$tmp/jobs3.norm"
expect_status jobs-weak 0 "$bin" test --mutate --jobs 2 "$tmp/m/weak.test.pw"
expect_status jobs-weak1 0 "$bin" test --mutate --jobs 1 "$tmp/m/weak.test.pw"
sed 's/ ([0-9.]* s)$//' "$tmp/jobs-weak.out" >"$tmp/jobs-weak.norm"
sed 's/ ([0-9.]* s)$//' "$tmp/jobs-weak1.out" >"$tmp/jobs-weak1.norm"
same "--jobs 2: the suggested tests of --jobs 1" "$tmp/jobs-weak1.norm" "$tmp/jobs-weak.norm"
expect_grep jobs-weak out "m/rules.pw:15:46, other side)\" {"

# The shipped rules are held to 100% by ctest entry rules.mutate.

exit $failed
