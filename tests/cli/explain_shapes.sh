#!/usr/bin/env bash
# What explain shows of values in less usual shapes (issue 23), on
# tests/explain/shapes.pw: a definition compared twice in one requirement
# (shown once per comparison), comparisons written with the constant on the
# left (said the other way round: `18 <= age` is "at least 18", `70 > age`
# "less than 70"), and a sum of an expression rather than of a field ("sum
# over courses", with what each entry adds); arithmetic on constants shown
# as its value (`10 + 8`, `20 - 2`, `9 * 2`, `-(-18)`), a product too big to
# compute left out, and `year of today` as a value of its own; a count
# whose where clause looks through another list (the entries that counted
# listed), and a sum whose where clause counts its own list again (no
# entries: what one adds cannot be told from the sum alone); a set of text
# asked for a constant ("needs holding") and for a value of the facts (both
# shown as they are). Text and JSON pinned exactly.
# usage: explain_shapes.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
rules=$root/tests/explain/shapes.pw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
echo '{"id":"a","birth_date":"2010-03-01","courses":[{"completed":"2025-01-01","points":2,"code":"x"},{"completed":"2025-02-01","points":4,"code":"y"}],"licences":[{"code":"x"}],"roles":["assistant"]}' >"$tmp/a.jsonl"
q() { "$bin" explain "$rules" --facts "$tmp/a.jsonl" --as-of 2026-06-01 --horizon 5y "$@"; }

expect_status text 0 q --format text && expect_out text <<'OUT'
a as of 2026-06-01 (looking from 2021-06-01 to 2031-06-01)
  p (P): not eligible
    [not met] between 18 and 65
          age 16, needs at least 18: reaches 18 on 2028-03-01
          age 16, needs at most 65: reaches 18 on 2028-03-01
    [not met] at least 18, constant first
          age 16, needs at least 18: reaches 18 on 2028-03-01
    [not met] older than 20, constant first
          age 16, needs more than 20: reaches 21 on 2031-03-01
    [met] at most 65, constant first
          age 16 (needs at most 65)
    [met] younger than 70, constant first
          age 16 (needs less than 70)
    [met] double points
          sum over courses 12 (needs at least 10)
            {completed: 2025-01-01, points: 2, code: "x"} adds 4
            {completed: 2025-02-01, points: 4, code: "y"} adds 8
  arith (Arithmetic): not eligible
    [not met] ten plus eight
          age 16, needs at least 18: reaches 18 on 2028-03-01
    [not met] twenty minus two
          age 16, needs at least 18: reaches 18 on 2028-03-01
    [not met] nine times two
          age 16, needs at least 18: reaches 18 on 2028-03-01
    [not met] minus minus
          age 16, needs at least 18: reaches 18 on 2028-03-01
    [met] too big to compute, never computed
          age 16 (needs at least 0)
    [not met] year of today
          year of today 2026, needs at least 2027: reaches 2027 on 2027-01-01
    [met] month of birth
          birth_date is 2010-03-01
  lists (Lists): not eligible
    [not met] two courses with a licence of their code
          count of courses 1, needs at least 2
            {completed: 2025-01-01, points: 2, code: "x"}
          not met on any day up to the horizon
    [met] points of courses, while there are two
          sum of points over courses 6 (needs at least 5)
  sets (Sets): not eligible
    [not met] a head coach
          roles ["assistant"], needs holding "head"
          not met on any day up to the horizon
    [not met] a role named like the coach
          roles is ["assistant"]
          id is "a"
          not met on any day up to the horizon
OUT
expect_status json 0 q --format json && expect_out json <<'OUT'
{"id":"a","as_of":"2026-06-01","horizon":{"from":"2021-06-01","until":"2031-06-01"},"programs":[{"program":"p","title":"P","status":"not_eligible","eligible":false,"in_force":{"from":null,"until":null},"requirements":[{"label":"between 18 and 65","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":"2028-03-01","last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"at least 18","value_then":"18","entries":[]},{"expr":"age","value":"16","test":"at most 65","value_then":"18","entries":[]}]},{"label":"at least 18, constant first","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":"2028-03-01","last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"at least 18","value_then":"18","entries":[]}]},{"label":"older than 20, constant first","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":"2031-03-01","last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"more than 20","value_then":"21","entries":[]}]},{"label":"at most 65, constant first","citation":null,"kind":"single","role":"require","depth":0,"outcome":"met","holds":"met","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"at most 65","value_then":null,"entries":[]}]},{"label":"younger than 70, constant first","citation":null,"kind":"single","role":"require","depth":0,"outcome":"met","holds":"met","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"less than 70","value_then":null,"entries":[]}]},{"label":"double points","citation":null,"kind":"single","role":"require","depth":0,"outcome":"met","holds":"met","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"sum over courses","value":"12","test":"at least 10","value_then":null,"entries":["{completed: 2025-01-01, points: 2, code: \"x\"} adds 4","{completed: 2025-02-01, points: 4, code: \"y\"} adds 8"]}]}]},{"program":"arith","title":"Arithmetic","status":"not_eligible","eligible":false,"in_force":{"from":null,"until":null},"requirements":[{"label":"ten plus eight","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":"2028-03-01","last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"at least 18","value_then":"18","entries":[]}]},{"label":"twenty minus two","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":"2028-03-01","last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"at least 18","value_then":"18","entries":[]}]},{"label":"nine times two","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":"2028-03-01","last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"at least 18","value_then":"18","entries":[]}]},{"label":"minus minus","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":"2028-03-01","last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"at least 18","value_then":"18","entries":[]}]},{"label":"too big to compute, never computed","citation":null,"kind":"single","role":"require","depth":0,"outcome":"met","holds":"met","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"age","value":"16","test":"at least 0","value_then":null,"entries":[]}]},{"label":"year of today","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":"2027-01-01","last_met":null,"unmet_on":null,"seen":[{"expr":"year of today","value":"2026","test":"at least 2027","value_then":"2027","entries":[]}]},{"label":"month of birth","citation":null,"kind":"single","role":"require","depth":0,"outcome":"met","holds":"met","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"birth_date","value":"2010-03-01","test":null,"value_then":null,"entries":[]}]}]},{"program":"lists","title":"Lists","status":"not_eligible","eligible":false,"in_force":{"from":null,"until":null},"requirements":[{"label":"two courses with a licence of their code","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"count of courses","value":"1","test":"at least 2","value_then":null,"entries":["{completed: 2025-01-01, points: 2, code: \"x\"}"]}]},{"label":"points of courses, while there are two","citation":null,"kind":"single","role":"require","depth":0,"outcome":"met","holds":"met","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"sum of points over courses","value":"6","test":"at least 5","value_then":null,"entries":[]}]}]},{"program":"sets","title":"Sets","status":"not_eligible","eligible":false,"in_force":{"from":null,"until":null},"requirements":[{"label":"a head coach","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"roles","value":"[\"assistant\"]","test":"holding \"head\"","value_then":null,"entries":[]}]},{"label":"a role named like the coach","citation":null,"kind":"single","role":"require","depth":0,"outcome":"unmet","holds":"unmet","met_on":null,"last_met":null,"unmet_on":null,"seen":[{"expr":"roles","value":"[\"assistant\"]","test":null,"value_then":null,"entries":[]},{"expr":"id","value":"\"a\"","test":null,"value_then":null,"entries":[]}]}]}]}
OUT
exit $failed
