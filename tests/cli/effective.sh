#!/usr/bin/env bash
# `pathway eval` with effective dates: the version in force on each date, the
# "status" and "in_force" keys that dated programs (and only they) add, the
# same answers from compiled bytecode, and undated rules whose output keeps
# exactly the shape it had before dates existed.
# usage: effective.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"


cat >"$tmp/dated.pw" <<'PW'
facts coach {
  id: text
  birth_date: date
  first_aid: boolean = false
}

define age = years since birth_date

program club "Club coach" effective until 2025-12-31 {
  require "at least 16 years of age": age >= 16
}
program club "Club coach" effective from 2026-01-01 until 2026-12-31 {
  require "at least 18 years of age": age >= 18
  require "first aid": first_aid effective from 2026-09-01
}
program regional "Regional coach" effective from 2027-01-01 {
  require "at least 18 years of age": age >= 18
}
program assistant "Assistant coach" {
  require "at least 16 years of age": age >= 16
  require "first aid": first_aid effective from 2026-09-01
}
PW
# A is 17 until 2026-03-01, then 18, and has no first aid; B has it.
printf '%s\n' '{"id":"A","birth_date":"2008-03-01"}' \
  '{"id":"B","birth_date":"1990-01-01","first_aid":true}' >"$tmp/coaches.jsonl"

expect_status check-dated 0 "$bin" check "$tmp/dated.pw" && ok "check-dated: rules with versions check cleanly"

# Before 2026: the first version of club; regional is not yet in force.
expect_status eval-2025-06-01 0 "$bin" eval "$tmp/dated.pw" --facts "$tmp/coaches.jsonl" --as-of 2025-06-01 \
  && expect_out eval-2025-06-01 <<'OUT'
{"id":"A","as_of":"2025-06-01","results":[{"program":"club","eligible":true,"status":"eligible","in_force":{"from":null,"until":"2025-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"regional","eligible":false,"status":"not_yet_in_force","in_force":{"from":"2027-01-01","until":null},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
{"id":"B","as_of":"2025-06-01","results":[{"program":"club","eligible":true,"status":"eligible","in_force":{"from":null,"until":"2025-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"regional","eligible":false,"status":"not_yet_in_force","in_force":{"from":"2027-01-01","until":null},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
OUT

# The last day before first aid takes effect: the second version, A eligible.
expect_status eval-2026-08-31 0 "$bin" eval "$tmp/dated.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-08-31 \
  && expect_out eval-2026-08-31 <<'OUT'
{"id":"A","as_of":"2026-08-31","results":[{"program":"club","eligible":true,"status":"eligible","in_force":{"from":"2026-01-01","until":"2026-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"regional","eligible":false,"status":"not_yet_in_force","in_force":{"from":"2027-01-01","until":null},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
{"id":"B","as_of":"2026-08-31","results":[{"program":"club","eligible":true,"status":"eligible","in_force":{"from":"2026-01-01","until":"2026-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"regional","eligible":false,"status":"not_yet_in_force","in_force":{"from":"2027-01-01","until":null},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
OUT

# The day it takes effect: A now lacks first aid, in club and in (undated) assistant.
expect_status eval-2026-09-01 0 "$bin" eval "$tmp/dated.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-09-01 \
  && expect_out eval-2026-09-01 <<'OUT'
{"id":"A","as_of":"2026-09-01","results":[{"program":"club","eligible":false,"status":"not_eligible","in_force":{"from":"2026-01-01","until":"2026-12-31"},"unmet":["first aid"],"preferred_unmet":[]},{"program":"regional","eligible":false,"status":"not_yet_in_force","in_force":{"from":"2027-01-01","until":null},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":false,"unmet":["first aid"],"preferred_unmet":[]}]}
{"id":"B","as_of":"2026-09-01","results":[{"program":"club","eligible":true,"status":"eligible","in_force":{"from":"2026-01-01","until":"2026-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"regional","eligible":false,"status":"not_yet_in_force","in_force":{"from":"2027-01-01","until":null},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
OUT

# After the last version of club: withdrawn, with no unmet requirement.
expect_status eval-2027-01-01 0 "$bin" eval "$tmp/dated.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-01-01 \
  && expect_out eval-2027-01-01 <<'OUT'
{"id":"A","as_of":"2027-01-01","results":[{"program":"club","eligible":false,"status":"withdrawn","in_force":{"from":"2026-01-01","until":"2026-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"regional","eligible":true,"status":"eligible","in_force":{"from":"2027-01-01","until":null},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":false,"unmet":["first aid"],"preferred_unmet":[]}]}
{"id":"B","as_of":"2027-01-01","results":[{"program":"club","eligible":false,"status":"withdrawn","in_force":{"from":"2026-01-01","until":"2026-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"regional","eligible":true,"status":"eligible","in_force":{"from":"2027-01-01","until":null},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
OUT

# --program picks the version in force, once, whichever version it names.
expect_status eval-program 0 "$bin" eval "$tmp/dated.pw" --facts "$tmp/coaches.jsonl" --as-of 2025-12-31 \
  --program club --program assistant && expect_out eval-program <<'OUT'
{"id":"A","as_of":"2025-12-31","results":[{"program":"club","eligible":true,"status":"eligible","in_force":{"from":null,"until":"2025-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
{"id":"B","as_of":"2025-12-31","results":[{"program":"club","eligible":true,"status":"eligible","in_force":{"from":null,"until":"2025-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
OUT
# An unknown id lists each program once, not once per version.
expect_status eval-unknown 2 "$bin" eval "$tmp/dated.pw" --facts "$tmp/coaches.jsonl" --program clubs
if grep -qxF '  the programs are: club regional assistant' "$tmp/eval-unknown.err"; then
  ok "eval-unknown: each program listed once"; else fail "eval-unknown: program list"; cat "$tmp/eval-unknown.err"; fi

# The text report says which version applied and why a program cannot be joined.
expect_status eval-text 0 "$bin" eval "$tmp/dated.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-09-01 \
  --format text && expect_out eval-text <<'OUT'
A (as of 2026-09-01)
  not eligible     club (Club coach)
                     version in force from 2026-01-01 until 2026-12-31
                     missing: first aid
  not yet in force regional (Regional coach)
                     takes effect from 2027-01-01
  not eligible     assistant (Assistant coach)
                     missing: first aid

B (as of 2026-09-01)
  eligible         club (Club coach)
                     version in force from 2026-01-01 until 2026-12-31
  not yet in force regional (Regional coach)
                     takes effect from 2027-01-01
  eligible         assistant (Assistant coach)

OUT
expect_status eval-text-withdrawn 0 "$bin" eval "$tmp/dated.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-01-01 \
  --format text --program club
if grep -qxF '                     was in force from 2026-01-01 until 2026-12-31' "$tmp/eval-text-withdrawn.out" \
  && grep -qxF '  withdrawn        club (Club coach)' "$tmp/eval-text-withdrawn.out"; then
  ok "eval-text-withdrawn: says when it was in force"; else
  fail "eval-text-withdrawn"; cat "$tmp/eval-text-withdrawn.out"; fi

# Compiled bytecode keeps the periods: the same output on every date.
expect_status compile 0 "$bin" compile "$tmp/dated.pw" -o "$tmp/dated.pwc"
for d in 2025-06-01 2026-08-31 2026-09-01 2027-01-01; do
  expect_status "pwc-$d" 0 "$bin" eval "$tmp/dated.pwc" --facts "$tmp/coaches.jsonl" --as-of "$d"
  if cmp -s "$tmp/pwc-$d.out" "$tmp/eval-$d.out"; then
    ok "pwc-$d: same as the source"; else fail "pwc-$d: bytecode decides differently"; fi
done

# Undated rules: no "status", no "in_force", exactly the old shape.
cat >"$tmp/undated.pw" <<'PW'
facts coach {
  id: text
  birth_date: date
  first_aid: boolean = false
}
define age = years since birth_date
program assistant "Assistant coach" {
  require "at least 16 years of age": age >= 16
  require "first aid": first_aid
  prefer "an adult": age >= 18
}
PW
expect_status eval-undated 0 "$bin" eval "$tmp/undated.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-09-01 \
  && expect_out eval-undated <<'OUT'
{"id":"A","as_of":"2026-09-01","results":[{"program":"assistant","eligible":false,"unmet":["first aid"],"preferred_unmet":[]}]}
{"id":"B","as_of":"2026-09-01","results":[{"program":"assistant","eligible":true,"unmet":[],"preferred_unmet":[]}]}
OUT
expect_status eval-undated-text 0 "$bin" eval "$tmp/undated.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-02-28 \
  --format text && expect_out eval-undated-text <<'OUT'
A (as of 2026-02-28)
  not eligible     assistant (Assistant coach)
                     missing: first aid
                     preferred, not met: an adult

B (as of 2026-02-28)
  eligible         assistant (Assistant coach)

OUT

# Rules whose versions overlap do not compile.
cat >"$tmp/overlap.pw" <<'PW'
facts coach { id: text }
program p effective until 2026-06-01 { require "r": true }
program p effective from 2026-06-01 { require "r": true }
PW
expect_status eval-overlap 2 "$bin" eval "$tmp/overlap.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-06-01
if grep -qF 'overlap.pw:3:21: error: versions of program `p` overlap: this one is in force from 2026-06-01, another until 2026-06-01' "$tmp/eval-overlap.err"; then
  ok "eval-overlap: refused"; else fail "eval-overlap: message"; cat "$tmp/eval-overlap.err"; fi

exit $failed
