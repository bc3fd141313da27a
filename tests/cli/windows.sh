#!/usr/bin/env bash
# Enrolment windows (`enrolment open from D until D`) through every tool:
# eval's statuses and "enrolment" object (and the same from bytecode), the
# text report, explain, when (a window's ends are day boundaries, the
# requirements still shown outside it), plan (no step in a closed window),
# report and diff (closed counted apart from not in force), fmt (the
# author's spelling kept, idempotent) and lint (no finding from a window).
# usage: windows.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

cat >"$tmp/w.pw" <<'PW'
facts coach {
  id: text
  birth_date: date
  certificates: list of certificate = []
}

record certificate {
  id: text
  issued: date
  expires: date? = none
}

define age = years since birth_date

define holds(id: text) = any c in certificates where c.id = id and c.issued <= today and (c.expires otherwise today) >= today

program level_1 "Level 1 course"
  enrolment open from 2027-03-01 until 2027-09-15 - 3 months
{
  grants "level-1"
  require "at least 18 years of age": age >= 18
}

program level_2 "Level 2" effective from 2027-01-01 enrollment open until 2027-12-31 {
  require "Level 1": holds("level-1")
}

program club "Club coach" {
  require "at least 16 years of age": age >= 16
}
PW
# A is an adult; B turns 18 on 2027-05-01.
printf '%s\n' '{"id":"A","birth_date":"1990-01-01"}' '{"id":"B","birth_date":"2009-05-01"}' >"$tmp/coaches.jsonl"

# ---- eval: statuses by day, the window's ends included --------------------------
for d in 2027-02-28 2027-03-01 2027-06-15 2027-06-16; do
  expect_status "eval-$d" 0 "$bin" eval "$tmp/w.pw" --facts "$tmp/coaches.jsonl" --as-of "$d" --program level_1
done
expect_out eval-2027-02-28 <<'OUT'
{"id":"A","as_of":"2027-02-28","results":[{"program":"level_1","eligible":false,"status":"not_yet_open","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":[],"preferred_unmet":[]}]}
{"id":"B","as_of":"2027-02-28","results":[{"program":"level_1","eligible":false,"status":"not_yet_open","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":["at least 18 years of age"],"preferred_unmet":[]}]}
OUT
expect_out eval-2027-03-01 <<'OUT'
{"id":"A","as_of":"2027-03-01","results":[{"program":"level_1","eligible":true,"status":"eligible","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":[],"preferred_unmet":[]}]}
{"id":"B","as_of":"2027-03-01","results":[{"program":"level_1","eligible":false,"status":"not_eligible","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":["at least 18 years of age"],"preferred_unmet":[]}]}
OUT
expect_out eval-2027-06-15 <<'OUT'
{"id":"A","as_of":"2027-06-15","results":[{"program":"level_1","eligible":true,"status":"eligible","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":[],"preferred_unmet":[]}]}
{"id":"B","as_of":"2027-06-15","results":[{"program":"level_1","eligible":true,"status":"eligible","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":[],"preferred_unmet":[]}]}
OUT
expect_out eval-2027-06-16 <<'OUT'
{"id":"A","as_of":"2027-06-16","results":[{"program":"level_1","eligible":false,"status":"closed","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":[],"preferred_unmet":[]}]}
{"id":"B","as_of":"2027-06-16","results":[{"program":"level_1","eligible":false,"status":"closed","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":[],"preferred_unmet":[]}]}
OUT

# A dated program with a window carries both objects; a program with neither
# keeps the contract's shape exactly.
expect_status eval-all 0 "$bin" eval "$tmp/w.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-12-31
expect_out eval-all <<'OUT'
{"id":"A","as_of":"2026-12-31","results":[{"program":"level_1","eligible":false,"status":"not_yet_open","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":[],"preferred_unmet":[]},{"program":"level_2","eligible":false,"status":"not_yet_in_force","in_force":{"from":"2027-01-01","until":null},"enrolment":{"opens":null,"closes":"2027-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"club","eligible":true,"unmet":[],"preferred_unmet":[]}]}
{"id":"B","as_of":"2026-12-31","results":[{"program":"level_1","eligible":false,"status":"not_yet_open","enrolment":{"opens":"2027-03-01","closes":"2027-06-15"},"unmet":["at least 18 years of age"],"preferred_unmet":[]},{"program":"level_2","eligible":false,"status":"not_yet_in_force","in_force":{"from":"2027-01-01","until":null},"enrolment":{"opens":null,"closes":"2027-12-31"},"unmet":[],"preferred_unmet":[]},{"program":"club","eligible":true,"unmet":[],"preferred_unmet":[]}]}
OUT

# The same from bytecode.
expect_status compile 0 "$bin" compile "$tmp/w.pw" -o "$tmp/w.pwc"
expect_status eval-pwc 0 "$bin" eval "$tmp/w.pwc" --facts "$tmp/coaches.jsonl" --as-of 2026-12-31
same "eval-pwc: bytecode gives the source's lines" "$tmp/eval-all.out" "$tmp/eval-pwc.out"
expect_status disasm 0 "$bin" disasm "$tmp/w.pwc"
expect_grep disasm out "  enrolment open from 2027-03-01 until 2027-06-15"

# ---- the text report ---------------------------------------------------------------
expect_status eval-text 0 "$bin" eval "$tmp/w.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-06-16 --format text
expect_grep eval-text out "  closed           level_1 (Level 1 course)"
expect_grep eval-text out "                     closed for enrolment on 2027-06-15"
expect_status eval-text-early 0 "$bin" eval "$tmp/w.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-02-01 --format text
expect_grep eval-text-early out "  not yet open     level_1 (Level 1 course)"
expect_grep eval-text-early out "                     opens for enrolment on 2027-03-01"
expect_grep eval-text-early out "                     missing: at least 18 years of age"

# ---- explain: the status with its dates, the requirements still explained ---------
expect_status explain 0 "$bin" explain "$tmp/w.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-06-16 \
  --program level_1 --format text
expect_grep explain out "level_1 (Level 1 course): closed, closed for enrolment on 2027-06-15"
expect_grep explain out "[met] at least 18 years of age"

# ---- when: a window's ends are day boundaries ------------------------------------------
head -n 1 "$tmp/coaches.jsonl" >"$tmp/a.json"
sed -n 2p "$tmp/coaches.jsonl" >"$tmp/b.json"
expect_status when-a 0 "$bin" when "$tmp/w.pw" --facts "$tmp/a.json" --program level_1 --as-of 2027-01-01 \
  --horizon 1y --format text
expect_out when-a <<'OUT'
A: level_1, from 2027-01-01 to 2028-01-01
  eligible from 2027-03-01, when Level 1 course opens for enrolment, until 2027-06-15, when Level 1 course closes for enrolment
OUT
# Outside the window the coach is told it is closed, and what else is unmet.
expect_status when-b 1 "$bin" when "$tmp/w.pw" --facts "$tmp/b.json" --program level_1 --as-of 2026-06-01 \
  --horizon 6m --format text
expect_out when-b <<'OUT'
B: level_1, from 2026-06-01 to 2026-12-01
  not eligible within the horizon
    Level 1 course is not yet open for enrolment (it opens on 2027-03-01)
    blocked by "at least 18 years of age": not met from 2026-06-01 to the end of the horizon
OUT
expect_status when-closed 1 "$bin" when "$tmp/w.pw" --facts "$tmp/a.json" --program level_1 --as-of 2027-06-16 \
  --horizon 1m --format json
expect_grep when-closed out '"blocking":[{"kind":"closes","day":"2027-06-16","last_day":"2027-06-15","label":"Level 1 course"}]'

# ---- plan: no step in a closed window --------------------------------------------------
expect_status plan-before 0 "$bin" plan "$tmp/w.pw" --facts "$tmp/a.json" --target level_2 --as-of 2027-01-10 \
  --horizon 1y --format text
expect_grep plan-before out "  1. 2027-03-01: level_1 (Level 1 course)"
expect_status plan-after 1 "$bin" plan "$tmp/w.pw" --facts "$tmp/a.json" --target level_2 --as-of 2027-06-16 \
  --horizon 6m --format text
expect_grep plan-after out "not reachable by 2027-12-16"
expect_grep plan-after out "    Level 1 course closed for enrolment on 2027-06-15"

# ---- report and diff: closed is neither not eligible nor not in force ------------------
expect_status report 0 "$bin" report "$tmp/w.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-06-16
expect_grep report out "  closed for enrolment on 2027-06-16 for 2"
expect_status report-json 0 "$bin" report "$tmp/w.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-06-16 --format json
expect_grep report-json out '"not_eligible":0,"not_in_force":0,"closed":2,"not_yet_open":0'
expect_grep report-json out '{"program":"club","title":"Club coach","eligible":2,"eligible_share":1,"not_eligible":0,"not_in_force":0,"unmet":['
expect_status diff-dates 0 "$bin" diff "$tmp/w.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-06-15 --to 2027-06-16
expect_grep diff-dates out "(closed for enrolment)"
sed 's/until 2027-09-15 - 3 months/until 2027-09-15/' "$tmp/w.pw" >"$tmp/later.pw"
expect_status diff-window 0 "$bin" diff "$tmp/w.pw" "$tmp/later.pw" --facts "$tmp/coaches.jsonl" --as-of 2027-07-01
expect_grep diff-window out "level_1: program's enrolment window changed"

# ---- fmt and lint ----------------------------------------------------------------------
printf '%s\n' 'facts coach {' ' age: integer' '}' '' 'program p "P"' \
  '      enrollment   open from 2027-03-01 until 2027-09-15-3 months' ' assuming "x"' '{' \
  '  require "adult": age >= 18' '}' >"$tmp/messy.pw"
expect_status fmt 0 "$bin" fmt "$tmp/messy.pw"
expect_out fmt <<'OUT'
facts coach {
  age: integer
}

program p "P"
  enrollment open from 2027-03-01 until 2027-09-15 - 3 months
  assuming "x"
{
  require "adult": age >= 18
}
OUT
cp "$tmp/fmt.out" "$tmp/once.pw"
expect_status fmt-twice 0 "$bin" fmt "$tmp/once.pw"
same "fmt: idempotent" "$tmp/once.pw" "$tmp/fmt-twice.out"
expect_status lint 0 "$bin" lint "$tmp/w.pw"

exit $failed
