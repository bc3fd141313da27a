#!/usr/bin/env bash
# A program that closes within the horizon (issue 18, items 2-4), on a rule
# set written for this test: `when` gives the version's last day in force
# (the day `eval` last says in force, both ends counting), not the day
# after; it names what blocked the coach while the program was in force,
# not only that it ended; an enrolment window's last open day is printed as
# written; and `plan` says the target ended, as a sentence with that day,
# instead of an invented requirement "not in force on <horizon's end>".
# usage: closes.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

cat >"$tmp/c.pw" <<'PW'
record badge {
  id: text
  issued: date
  expires: date? = none
}

facts member {
  born: date
  club: boolean = false
  first_aid: boolean = false
  certificates: list of badge = []
}

program basic "Basic Course"
  effective from 2027-01-01
{
  grants "basic"
  require "adult": years since born >= 18
}

program camp "Summer Camp"
  effective from 2026-01-01 until 2026-07-16
{
  require "adult": years since born >= 18
  require "club member": club
  require "first aid": first_aid
}

program relay "Relay Camp"
  effective from 2026-01-01 until 2026-07-16
{
  require "holds basic": any c in certificates where c.id = "basic"
}

program relay "Relay Camp"
  effective from 2048-01-01
{
  require "holds basic": any c in certificates where c.id = "basic"
}

program clinic "Clinic"
  enrolment open until 2026-05-31
{
  require "first aid": first_aid
}
PW
printf '%s\n' '{"id":"x","born":"2000-01-01"}' >"$tmp/x.json"
printf '%s\n' '{"id":"y","born":"2000-01-01","club":true,"first_aid":true}' >"$tmp/y.json"

# eval: in force on 2026-07-16, withdrawn on 2026-07-17.
expect_status eval-last 0 "$bin" eval "$tmp/c.pw" --facts "$tmp/x.json" --as-of 2026-07-16 --format json &&
  expect_grep eval-last out '"program":"camp","eligible":false,"status":"not_eligible"'
expect_status eval-after 0 "$bin" eval "$tmp/c.pw" --facts "$tmp/x.json" --as-of 2026-07-17 --format json &&
  expect_grep eval-after out '"program":"camp","eligible":false,"status":"withdrawn"'

# Item 2 and 3: the last day in force, and the requirements that blocked.
expect_status when-text 1 "$bin" when "$tmp/c.pw" --facts "$tmp/x.json" --program camp --as-of 2026-03-01 --format text
expect_out when-text <<'OUT'
x: camp, from 2026-03-01 to 2046-03-01
  not eligible within the horizon
    Summer Camp is not in force (it ended on 2026-07-16)
    blocked by "club member": not met from 2026-03-01 to 2026-07-16, its last day in force
    blocked by "first aid": not met from 2026-03-01 to 2026-07-16, its last day in force
OUT
expect_status when-json 1 "$bin" when "$tmp/c.pw" --facts "$tmp/x.json" --program camp --as-of 2026-03-01 --format json
expect_out when-json <<'OUT'
{"id":"x","program":"camp","as_of":"2026-03-01","horizon_until":"2046-03-01","eligible_within_horizon":false,"periods":[],"blocking":[{"kind":"out_of_force","day":"2026-07-17","last_day":"2026-07-16","label":"Summer Camp"},{"kind":"unmet","day":"2026-03-01","label":"club member","until":"2026-07-16"},{"kind":"unmet","day":"2026-03-01","label":"first aid","until":"2026-07-16"}]}
OUT
# A period ending when the version ends: its last day is the version's.
expect_status when-period 0 "$bin" when "$tmp/c.pw" --facts "$tmp/y.json" --program camp --as-of 2026-03-01 --format text
expect_grep when-period out 'eligible from 2026-03-01 (the evaluation date), until 2026-07-16, when Summer Camp is no longer in force'
# Already ended on the evaluation date: no requirement seen in force.
expect_status when-before 1 "$bin" when "$tmp/c.pw" --facts "$tmp/x.json" --program camp --as-of 2026-08-01 --format text
expect_out when-before <<'OUT'
x: camp, from 2026-08-01 to 2046-08-01
  not eligible within the horizon
    Summer Camp is not in force (it ended on 2026-07-16)
OUT
# Ended, and the next version comes into force after the horizon.
expect_status when-gap 1 "$bin" when "$tmp/c.pw" --facts "$tmp/x.json" --program relay --as-of 2026-03-01 --format text
expect_out when-gap <<'OUT'
x: relay, from 2026-03-01 to 2046-03-01
  not eligible within the horizon
    Relay Camp is not in force (it ended on 2026-07-16)
    blocked by "holds basic": not met from 2026-03-01 to 2026-07-16, its last day in force
    Relay Camp is not in force (it comes into force on 2048-01-01)
OUT
# A window's last open day, as the rules write it.
expect_status when-window 1 "$bin" when "$tmp/c.pw" --facts "$tmp/x.json" --program clinic --as-of 2026-03-01 --format text
expect_out when-window <<'OUT'
x: clinic, from 2026-03-01 to 2046-03-01
  not eligible within the horizon
    Clinic is closed for enrolment (it closed on 2026-05-31)
    blocked by "first aid": not met from 2026-03-01 to the end of the horizon
OUT

# Item 4: plan says the target ended, with its last day, as a sentence.
expect_status plan-text 1 "$bin" plan "$tmp/c.pw" --facts "$tmp/x.json" --target relay --as-of 2026-03-01 --horizon 10y --format text
expect_out plan-text <<'OUT'
x: plan for relay as of 2026-03-01
  not reachable by 2036-03-01:
    Relay Camp is not in force (it comes into force on 2048-01-01)
OUT
expect_status plan-ended 1 "$bin" plan "$tmp/c.pw" --facts "$tmp/x.json" --target camp --as-of 2026-08-01 --format json
expect_grep plan-ended out '"blocking":["Summer Camp is not in force (it ended on 2026-07-16)"]'
expect_status plan-ended-text 1 "$bin" plan "$tmp/c.pw" --facts "$tmp/x.json" --target camp --as-of 2026-08-01 --format text
if grep -qF 'is not met on any day' "$tmp/plan-ended-text.out"; then fail "plan-ended-text: a sentence quoted as a requirement"; else ok "plan-ended-text: no invented requirement"; fi

exit $failed
