#!/usr/bin/env bash
# Versions that amend the previous version (`amends the previous version`,
# `drop`, `replace`): the amending form compiles to the code of the same
# versions written out in full (`pathway disasm` identical but for where
# each requirement is written: an inherited one at the line of the version
# that states it), so eval, explain, when and plan decide the same; the
# title and attributes carry over (plan's hours and certificate); lint
# reports a finding in an inherited requirement once; fmt keeps the form
# and is idempotent.
# usage: amend.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

facts='facts coach {
  birth_date: date
  dbs: boolean = false
  course: boolean = false
}
define age = years since birth_date
'
mkdir "$tmp/amended" "$tmp/written"
cat >"$tmp/amended/coach.pw" <<PW
$facts
program coach "Coach"
  effective until 2027-08-31
{
  hours 12
  grants "coach"
  require "at least 16 years of age": age >= 16 citing "aged 16+"
  require "a current DBS check": dbs
  advise "a safeguarding course": course
}

program coach
  effective from 2027-09-01 until 2028-08-31
  amends the previous version
{
  drop "a current DBS check"
  replace "at least 16 years of age": age >= 18 citing "aged 18+"
  require "a safeguarding course, done": course
}

program coach "Senior coach"
  effective from 2028-09-01
  amends the previous version
{
  require "a current DBS check": dbs
}
PW
cat >"$tmp/written/coach.pw" <<PW
$facts
program coach "Coach"
  effective until 2027-08-31
{
  hours 12
  grants "coach"
  require "at least 16 years of age": age >= 16 citing "aged 16+"
  require "a current DBS check": dbs
  advise "a safeguarding course": course
}

program coach "Coach"
  effective from 2027-09-01 until 2028-08-31
{
  hours 12
  grants "coach"
  require "at least 16 years of age": age >= 18 citing "aged 18+"
  advise "a safeguarding course": course
  require "a safeguarding course, done": course
}

program coach "Senior coach"
  effective from 2028-09-01
{
  hours 12
  grants "coach"
  require "at least 16 years of age": age >= 18 citing "aged 18+"
  advise "a safeguarding course": course
  require "a safeguarding course, done": course
  require "a current DBS check": dbs
}
PW

for f in amended written; do
  expect_status "disasm-$f" 0 "$bin" disasm "$tmp/$f/coach.pw"
  sed -E -e '/^; coach\.pw:/d' -e 's/   ; coach\.pw:[0-9:]+$//' -e 's/, [0-9]+ line entries$//' \
    "$tmp/disasm-$f.out" >"$tmp/code-$f"
done
same "disasm: the amending versions compile to the written-out ones" "$tmp/code-amended" "$tmp/code-written"
# Each requirement is placed where it is stated: the age of the second and
# third versions at the second version's `replace` line, the advice of all
# three at the first version's line.
replace_line=$(grep -n '^  replace ' "$tmp/amended/coach.pw" | cut -d: -f1)
advise_line=$(grep -n '^  advise ' "$tmp/amended/coach.pw" | cut -d: -f1)
grep -cE "require \"at least 16 years of age\".*coach\.pw:$replace_line:11\$" "$tmp/disasm-amended.out" \
  >"$tmp/placed"
[ "$(cat "$tmp/placed")" = 2 ] && ok "disasm: the replacement is placed at its line, in both versions" \
  || fail "disasm: the replacement's place ($(cat "$tmp/placed") at line $replace_line)"
grep -cE "advise \"a safeguarding course\".*coach\.pw:$advise_line:10\$" "$tmp/disasm-amended.out" >"$tmp/advice"
[ "$(cat "$tmp/advice")" = 3 ] && ok "disasm: the inherited advice is placed at the first version" \
  || fail "disasm: the inherited advice's place ($(cat "$tmp/advice") at line $advise_line)"

cat >"$tmp/coaches.jsonl" <<'JSON'
{"id": "a", "birth_date": "2010-05-01"}
{"id": "b", "birth_date": "1990-05-01", "dbs": true}
{"id": "c", "birth_date": "1990-05-01", "course": true}
{"id": "d", "birth_date": "1990-05-01", "dbs": true, "course": true}
JSON
for day in 2027-08-31 2027-09-01 2028-08-31 2028-09-01; do
  for f in amended written; do
    expect_status "eval-$f-$day" 0 "$bin" eval "$tmp/$f/coach.pw" --facts "$tmp/coaches.jsonl" --as-of "$day"
    expect_status "explain-$f-$day" 0 "$bin" explain --format text "$tmp/$f/coach.pw" --facts "$tmp/coaches.jsonl" --as-of "$day"
  done
  same "eval $day: the same for both forms" "$tmp/eval-amended-$day.out" "$tmp/eval-written-$day.out"
  same "explain $day: the same for both forms" "$tmp/explain-amended-$day.out" "$tmp/explain-written-$day.out"
done
expect_grep eval-amended-2027-08-31 out '{"id":"a","as_of":"2027-08-31","results":[{"program":"coach","eligible":false,"status":"not_eligible","in_force":{"from":null,"until":"2027-08-31"},"unmet":["a current DBS check"],"preferred_unmet":[]}]}'
expect_grep eval-amended-2027-09-01 out '{"id":"a","as_of":"2027-09-01","results":[{"program":"coach","eligible":false,"status":"not_eligible","in_force":{"from":"2027-09-01","until":"2028-08-31"},"unmet":["at least 16 years of age","a safeguarding course, done"],"preferred_unmet":[]}]}'
expect_grep eval-amended-2028-09-01 out '{"id":"c","as_of":"2028-09-01","results":[{"program":"coach","eligible":false,"status":"not_eligible","in_force":{"from":"2028-09-01","until":null},"unmet":["a current DBS check"],"preferred_unmet":[]}]}'
expect_grep explain-amended-2027-09-01 out 'citing "aged 18+"'
# (when exits 1: some coach never becomes eligible.)
for f in amended written; do
  expect_status "when-$f" 1 "$bin" when "$tmp/$f/coach.pw" --facts "$tmp/coaches.jsonl" --program coach --as-of 2027-01-01
  expect_status "plan-$f" 0 "$bin" plan "$tmp/$f/coach.pw" --facts "$tmp/coaches.jsonl" --target coach --as-of 2027-01-01
done
same "when: the same for both forms" "$tmp/when-amended.out" "$tmp/when-written.out"
same "plan: the same for both forms" "$tmp/plan-amended.out" "$tmp/plan-written.out"
expect_grep plan-amended out '"hours":12,"grants":"coach"'

# diff sees the expanded versions: one rule file against itself across the
# change (--to) reports the requirements the amendment changes, the same for
# both forms.
for f in amended written; do
  expect_status "diff-$f" 0 "$bin" diff "$tmp/$f/coach.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-08-31 --to 2027-09-01
  sed -E -e "s#$tmp/$f/##g" -e 's/coach\.pw:[0-9]+(:[0-9]+)?/coach.pw/g' "$tmp/diff-$f.out" >"$tmp/diff-$f.txt"
done
same "diff: the same for both forms" "$tmp/diff-amended.txt" "$tmp/diff-written.txt"
expect_grep diff-amended out 'a current DBS check'

# A test names the labels of the expanded version.
cat >"$tmp/tested.pw" <<PW
$(cat "$tmp/amended/coach.pw")

test "the second version" {
  as of 2027-09-01
  given { birth_date: 2010-05-01 }
  expect coach not eligible unmet "at least 16 years of age", "a safeguarding course, done"
}
PW
expect_status test 0 "$bin" test "$tmp/tested.pw"

# lint sees the expanded versions: a finding in a requirement the later
# versions inherit is reported once, at its line.
cat >"$tmp/lint.pw" <<PW
$facts
program coach "Coach"
  effective until 2027-08-31
{
  require "never": age >= 16 and age < 10
}

program coach
  effective from 2027-09-01
  amends the previous version
{
  require "a current DBS check": dbs
}
PW
expect_status lint 1 "$bin" lint "$tmp/lint.pw"
cat "$tmp/lint.out" "$tmp/lint.err" >"$tmp/lint.all"
[ "$(grep -c 'error: requirement "never" can never be met \[PW110\]' "$tmp/lint.all")" = 1 ] \
  && ok "lint: the inherited finding once" || { fail "lint: findings"; cat "$tmp/lint.all"; }
grep -qF 'error: no coach can ever become eligible for program `coach` (from 2027-09-01) [PW120]' "$tmp/lint.all" \
  && ok "lint: the amending version inherits the requirement that is never met" \
  || { fail "lint: the amending version"; cat "$tmp/lint.all"; }

# fmt lays out an amending version, keeping what the author wrote, and is
# idempotent.
cat >"$tmp/messy.pw" <<PW
$facts
program coach "Coach"
  effective until 2027-08-31
{
  require "at least 16 years of age": age >= 16
  require "a current DBS check": dbs
}
program coach
        effective from 2027-09-01
            amends   the previous   version
{
      drop    "a current DBS check"
  replace "at least 16 years of age":
  age - 1 >= 17
        citing "aged 18+"
}
PW
expect_status fmt1 0 "$bin" fmt "$tmp/messy.pw" && cp "$tmp/fmt1.out" "$tmp/once.pw"
expect_grep fmt1 out '  amends the previous version'
expect_grep fmt1 out '  drop "a current DBS check"'
expect_grep fmt1 out '      age - 1 >= 17'
expect_grep fmt1 out '    citing "aged 18+"'
expect_status fmt2 0 "$bin" fmt "$tmp/once.pw"
same "fmt: idempotent" "$tmp/fmt1.out" "$tmp/fmt2.out"
expect_status check-once 0 "$bin" check "$tmp/once.pw"

exit $failed
