#!/usr/bin/env bash
# when, plan and explain about programs not in force on the evaluation date
# (issue 23), on tests/explain/periods.pw: a program withdrawn before it and
# never in force within the horizon (its last day is what blocks), and one
# that comes into force after the horizon (the day it does is what blocks);
# and explain of programs with enrolment windows (open from and until, until
# only, from only, not yet open), each said with its days. The outputs are
# pinned exactly.
# usage: explain_periods.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
rules=$root/tests/explain/periods.pw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
echo '{"id":"a","n":0}' >"$tmp/a.jsonl"
q() { "$bin" "$@" "$rules" --facts "$tmp/a.jsonl" --as-of 2026-06-01 --horizon 1y; }

expect_status old_text 1 q when --program old --format text && expect_out old_text <<'OUT'
a: old, from 2026-06-01 to 2027-06-01
  not eligible within the horizon
    Old Award is not in force (it ended on 2026-05-31)
OUT
expect_status old_json 1 q when --program old --format json && expect_out old_json <<'OUT'
{"id":"a","program":"old","as_of":"2026-06-01","horizon_until":"2027-06-01","eligible_within_horizon":false,"periods":[],"blocking":[{"kind":"out_of_force","day":"2026-06-01","last_day":"2026-05-31","label":"Old Award"}]}
OUT
expect_status future_text 1 q when --program future --format text && expect_out future_text <<'OUT'
a: future, from 2026-06-01 to 2027-06-01
  not eligible within the horizon
    Future Award is not in force (it comes into force on 2030-01-01)
OUT
expect_status future_json 1 q when --program future --format json && expect_out future_json <<'OUT'
{"id":"a","program":"future","as_of":"2026-06-01","horizon_until":"2027-06-01","eligible_within_horizon":false,"periods":[],"blocking":[{"kind":"in_force","day":"2030-01-01","label":"Future Award"}]}
OUT
expect_status future_plan 1 q plan --target future --format text && expect_out future_plan <<'OUT'
a: plan for future as of 2026-06-01
  not reachable by 2027-06-01:
    Future Award is not in force (it comes into force on 2030-01-01)
OUT
expect_status explain 0 q explain --format text && expect_out explain <<'OUT'
a as of 2026-06-01 (looking from 2025-06-01 to 2027-06-01)
  old (Old Award): withdrawn, in force until 2026-05-31
  future (Future Award): not yet in force, in force from 2030-01-01
  term (Term Course): not eligible, open for enrolment from 2026-05-01 until 2026-07-31
    [not met] n at least 1
          n 0, needs at least 1
          not met on any day up to the horizon
  rolling (Rolling Course): not eligible, open for enrolment until 2026-12-31
    [not met] n at least 1
          n 0, needs at least 1
          not met on any day up to the horizon
  opened (Opened Course): not eligible, open for enrolment from 2026-01-01
    [not met] n at least 1
          n 0, needs at least 1
          not met on any day up to the horizon
  autumn (Autumn Course): not yet open, opens for enrolment on 2026-09-01
    [not met] n at least 1
          n 0, needs at least 1
          not met on any day up to the horizon
OUT
expect_status explain_json 0 q explain --format json && expect_out explain_json <<'OUT'
{"id":"a","as_of":"2026-06-01","horizon":{"from":"2025-06-01","until":"2027-06-01"},"programs":[{"program":"old","title":"Old Award","status":"withdrawn","eligible":false,"in_force":{"from":null,"until":"2026-05-31"},"requirements":[{"label":"n at least 1","citation":null,"kind":"single","role":"require","depth":0,"outcome":"not_evaluated","holds":"not_in_force","met_on":null,"last_met":null,"unmet_on":null,"seen":[]}]},{"program":"future","title":"Future Award","status":"not_yet_in_force","eligible":false,"in_force":{"from":"2030-01-01","until":null},"requirements":[{"label":"n at least 1","citation":null,"kind":"single","role":"require","depth":0,"outcome":"not_evaluated","holds":"not_in_force","met_on":null,"last_met":null,"unmet_on":null,"seen":[]}]},{"program":"term","title":"Term Course","status":"not_eligible","eligible":false,"in_force":{"from":null,"until":null},"enrolment":{"opens":"2026-05-01","closes":"2026-07-31"},"requirements":[{"label":"n at least 1","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"n","value":"0","test":"at least 1","value_then":null,"entries":[]}]}]},{"program":"rolling","title":"Rolling Course","status":"not_eligible","eligible":false,"in_force":{"from":null,"until":null},"enrolment":{"opens":null,"closes":"2026-12-31"},"requirements":[{"label":"n at least 1","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"n","value":"0","test":"at least 1","value_then":null,"entries":[]}]}]},{"program":"opened","title":"Opened Course","status":"not_eligible","eligible":false,"in_force":{"from":null,"until":null},"enrolment":{"opens":"2026-01-01","closes":null},"requirements":[{"label":"n at least 1","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"n","value":"0","test":"at least 1","value_then":null,"entries":[]}]}]},{"program":"autumn","title":"Autumn Course","status":"not_yet_open","eligible":false,"in_force":{"from":null,"until":null},"enrolment":{"opens":"2026-09-01","closes":null},"requirements":[{"label":"n at least 1","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"n","value":"0","test":"at least 1","value_then":null,"entries":[]}]}]}]}
OUT
exit $failed
