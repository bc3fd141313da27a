#!/usr/bin/env bash
# pathway plan through an enrolment window and a program's start
# (issue 23), on tests/plan/windows.pw: the plan waits for the window to open
# and for the award to come into force; with a horizon that ends before the
# window opens, or starting after it closed, the window is what blocks, said
# as a sentence. Outputs pinned exactly.
# usage: plan_windows.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
rules=$root/tests/plan/windows.pw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
echo '{"id":"a"}' >"$tmp/a.jsonl"
q() { "$bin" plan "$rules" --facts "$tmp/a.jsonl" --target top "$@"; }

expect_status reachable 0 q --as-of 2026-06-01 --horizon 2y --format text && expect_out reachable <<'OUT'
a: plan for top as of 2026-06-01
  1. 2026-09-01: course (Course)
       grants course-cert on 2026-09-01
  2. 2026-10-01: award (Award)
       grants award-cert on 2026-10-01
  3. 2026-10-01: top (Top)
  eligible for top on 2026-10-01: 3 programs
OUT
expect_status opens 1 q --as-of 2026-06-01 --horizon 30d --format text && expect_out opens <<'OUT'
a: plan for top as of 2026-06-01
  not reachable by 2026-07-01:
    Course opens for enrolment on 2026-09-01
OUT
expect_status opens_json 1 q --as-of 2026-06-01 --horizon 30d --format json && expect_out opens_json <<'OUT'
{"id":"a","target":"top","as_of":"2026-06-01","horizon_until":"2026-07-01","reachable":false,"eligible_on":null,"steps":[],"hours":0,"blocking":["Course opens for enrolment on 2026-09-01"],"blocking_sentences":1}
OUT
expect_status closed 1 q --as-of 2027-02-01 --horizon 30d --format text && expect_out closed <<'OUT'
a: plan for top as of 2027-02-01
  not reachable by 2027-03-03:
    Course closed for enrolment on 2026-12-31
OUT
exit $failed
