#!/usr/bin/env bash
# `pathway diff` (docs/impact.md): its counts are what two separate `pathway
# eval` runs imply, for a rule change in rules/usatf (two years of coaching
# experience for Level 2 become three), for one file at two dates (England
# Athletics' dated programs) and for renamed, added and removed programs;
# the coaches the USATF change affects are exactly the hand-written list,
# as JSON Lines and as CSV; the worked example of docs/impact.md is its
# output; --jobs 1 and --jobs 2 write the same bytes; bad records are
# reported with their place and counted apart.
# usage: impact_diff.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
fx=$root/tests/impact
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

# The rules before and after, side by side as a governing body keeps them:
# rules/usatf/usatf.pw and rules/usatf/usatf-2027.pw, both including
# rules/common/coach.pw. Commands run from $tmp so that outputs name them so.
mkdir -p "$tmp/rules/usatf" "$tmp/rules/common"
cp "$root/rules/common/coach.pw" "$tmp/rules/common/"
cp "$root/rules/usatf/usatf.pw" "$tmp/rules/usatf/usatf.pw"
sed -e 's/"at least two years of coaching experience": experience >= 2$/"at least three years of coaching experience": experience >= 3/' \
  "$root/rules/usatf/usatf.pw" >"$tmp/rules/usatf/usatf-2027.pw"
if [ "$(diff "$tmp/rules/usatf/usatf.pw" "$tmp/rules/usatf/usatf-2027.pw" | grep -c '^>')" = 1 ]; then
  ok "the change is one line of usatf.pw"
else
  fail "sed did not change exactly one line of usatf.pw"
fi
cp "$fx/club.jsonl" "$tmp/club.jsonl"
old=rules/usatf/usatf.pw
new=rules/usatf/usatf-2027.pw
pw() { (cd "$tmp" && "$bin" "$@"); }

# --- the worked example (docs/impact.md) and the affected list ----------------------
expect_status club 1 pw diff $old $new --facts club.jsonl --as-of 2026-11-23 --list club.list.jsonl
expect_golden "worked example" "$tmp/club.out" "$fx/usatf-3y.txt"
expect_grep club err 'club.jsonl:11: error: record "I-11": `birth_date`: invalid date "1993-02-30"'
if [ "$(wc -l <"$tmp/club.err")" = 1 ]; then ok "club: one diagnostic"; else fail "club: $(wc -l <"$tmp/club.err") diagnostics"; fi
same "affected list (jsonl) as written by hand" "$tmp/club.list.jsonl" "$fx/usatf-3y.list.jsonl"
expect_status club_csv 1 pw diff $old $new --facts club.jsonl --as-of 2026-11-23 --list club.list.csv --list-format csv
same "affected list (csv) as written by hand" "$tmp/club.list.csv" "$fx/usatf-3y.list.csv"
expect_status club_json 1 pw diff $old $new --facts club.jsonl --as-of 2026-11-23 --format json
expect_golden "summary as JSON" "$tmp/club_json.out" "$fx/usatf-3y.json"
if python3 - "$root/docs/impact.md" "$fx/usatf-3y.txt" <<'PY'
import sys
doc, want = (open(p, encoding="utf-8").read() for p in sys.argv[1:])
sys.exit(0 if want in doc else 1)
PY
then ok "docs/impact.md shows the worked example's output"; else fail "docs/impact.md does not show tests/impact/usatf-3y.txt verbatim"; fi

# The same change keeping the label: the requirement is reported as changed.
sed -e 's/"at least two years of coaching experience": experience >= 2$/"at least two years of coaching experience": experience >= 3/' \
  "$root/rules/usatf/usatf.pw" >"$tmp/rules/usatf/usatf-cond.pw"
expect_status cond 1 pw diff $old rules/usatf/usatf-cond.pw --facts club.jsonl --as-of 2026-11-23
expect_grep cond out 'level_2: require "at least two years of coaching experience" changed (condition)'
expect_grep cond out '           4  at least two years of coaching experience'
if [ "$(grep -c ' changed (\| added$\| removed$' "$tmp/cond.out")" = 1 ]; then ok "cond: nothing else changed"; else
  fail "cond: other changes reported"; cat "$tmp/cond.out"; fi

# --- counts against two pathway eval runs ---------------------------------------------
python3 "$root/tests/rules/gen_population.py" 6000 23 2026-11-23 >"$tmp/pop.jsonl"
# compare NAME OLD_RULES OLD_DATE NEW_RULES NEW_DATE [DIFF ARGS...]
compare() {
  local name=$1 o=$2 od=$3 n=$4 nd=$5
  shift 5
  expect_status "$name" 0 pw diff "$o" "$@" --facts pop.jsonl --as-of "$od" --format json --list "$name.list" || return
  pw eval "$o" --facts pop.jsonl --as-of "$od" >"$tmp/$name.old" 2>/dev/null
  pw eval "$n" --facts pop.jsonl --as-of "$nd" >"$tmp/$name.new" 2>/dev/null
  if python3 "$fx/compare.py" "$tmp/$name.out" "$tmp/$name.old" "$tmp/$name.new" "$tmp/$name.list" >"$tmp/$name.cmp"; then
    ok "$name: $(cat "$tmp/$name.cmp")"
  else
    fail "$name: diff disagrees with two eval runs"; head -20 "$tmp/$name.cmp"
  fi
}
compare usatf $old 2026-11-23 $new 2026-11-23 $new
ea=$root/rules/england-athletics/england-athletics.pw
compare dates "$ea" 2026-05-01 "$ea" 2027-09-15 --to 2027-09-15
# The programs fixtures include ../../rules/common/coach.pw: run them where they are.
compare programs "$fx/programs-old.pw" 2026-11-23 "$fx/programs-new.pw" 2026-11-23 "$fx/programs-new.pw"

# --- renamed, added and removed programs ------------------------------------------------
expect_status programs_text 1 pw diff "$fx/programs-old.pw" "$fx/programs-new.pw" --facts club.jsonl --as-of 2026-11-23
sed -e "s|$fx/||g" "$tmp/programs_text.out" >"$tmp/programs.txt"
expect_golden "renamed, added and removed programs" "$tmp/programs.txt" "$fx/programs.txt"
if python3 - "$tmp/programs.out" <<'PY'
import json, sys
d = {p["program"]: p for p in json.load(open(sys.argv[1]))["programs"]}
assert d["starter_course"]["status"] == "renamed" and d["starter_course"]["renamed_by"] == "title"
assert d["starter_course"]["old_program"] == "starter"
assert d["club_coach_2027"]["status"] == "renamed" and d["club_coach_2027"]["renamed_by"] == "requirements"
assert d["club_coach_2027"]["program_changes"] == ["title"]
assert d["retired"]["status"] == "removed" and d["retired"]["after"] is None
assert d["new_course"]["status"] == "added" and d["new_course"]["before"] is None
m = {(r["change"], r["requirement"]): r for r in d["mentor"]["requirements"]}
assert m[("changed", "at least five years of coaching experience")]["what"] == ["condition"]
assert m[("changed", "at least 21 years of age")]["what"] == ["citation"]
assert m[("added", "teaching experience")]["role"] == "prefer"
assert len(m) == 3
assert d["retired"]["lost_because"] == [{"requirement": "(program removed)", "count": d["retired"]["lost"]}]
PY
then ok "programs: statuses and requirement changes"; else fail "programs: statuses or requirement changes wrong"; fi

# --- the same bytes whatever --jobs is -----------------------------------------------------
for j in 1 2; do
  pw diff $old $new --facts pop.jsonl --as-of 2026-11-23 --jobs $j --list "j$j.csv" --list-format csv \
    >"$tmp/j$j.txt" 2>"$tmp/j$j.err"
  pw diff "$ea" --facts pop.jsonl --as-of 2026-05-01 --to 2027-09-15 --jobs $j --list "j$j.jsonl" \
    --format json >"$tmp/j$j.json" 2>>"$tmp/j$j.err"
done
same "--jobs 1 and 2: the same summary" "$tmp/j1.txt" "$tmp/j2.txt"
same "--jobs 1 and 2: the same JSON" "$tmp/j1.json" "$tmp/j2.json"
same "--jobs 1 and 2: the same CSV list" "$tmp/j1.csv" "$tmp/j2.csv"
same "--jobs 1 and 2: the same JSON Lines list" "$tmp/j1.jsonl" "$tmp/j2.jsonl"

# --- bad records -------------------------------------------------------------------------
cp "$root/tests/rules/bad-records.jsonl" "$tmp/bad.jsonl"
expect_status bad 1 pw diff $old $new --facts bad.jsonl --as-of 2026-11-23 --format json
expect_grep bad out '"records":3,"bad_records":9'
expect_grep bad err 'bad.jsonl:8: error: record without an id: invalid JSON at column'
expect_grep bad err 'bad.jsonl:3: error: record "X-no-birth-date": missing required field `birth_date`'
# Facts the new rules alone refuse (they declare the record differently).
printf 'facts coach {\n  id: text\n  birth_date: date\n  level: integer\n}\nprogram p "P" {\n  require "adult": level >= 18\n}\n' >"$tmp/strict.pw"
printf 'facts coach {\n  id: text\n  birth_date: date\n  level: integer = 0\n}\nprogram p "P" {\n  require "adult": level >= 18\n}\n' >"$tmp/lenient.pw"
expect_status new_side 1 pw diff lenient.pw strict.pw --facts club.jsonl --as-of 2026-11-23
expect_grep new_side err 'club.jsonl:1: error: record "I-01": under the new rules: missing required field `level`'

# --- usage ---------------------------------------------------------------------------------
expect_status one_file 2 pw diff $old --facts club.jsonl
expect_grep one_file err 'diff needs a second rules file, or --to DATE'
expect_status list_format 2 pw diff $old $new --facts club.jsonl --list x --list-format xml
expect_status format 2 pw diff $old $new --facts club.jsonl --format csv
expect_status three 2 pw diff $old $new $new --facts club.jsonl
printf 'program x "X" {\n  require "r": nonsense >= 1\n}\n' >"$tmp/broken.pw"
expect_status broken 2 pw diff $old broken.pw --facts club.jsonl
expect_grep broken err 'broken.pw:2:'
expect_status no_facts 2 pw diff $old $new --facts missing.jsonl
expect_grep no_facts err 'cannot open missing.jsonl'
expect_status help 0 pw diff --help
expect_grep help out '--list-format F'
exit $failed
