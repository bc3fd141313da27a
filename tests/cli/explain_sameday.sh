#!/usr/bin/env bash
# Several requirements met on the same day, and groups (issue 23), on
# tests/explain/sameday.pw: when lists every reason a period starts ("when
# A is met, B is met and C is met"), plan every requirement a step waits
# for, and explain each group's count of members that hold against what it
# needs (any of, at least N of). The outputs are pinned exactly.
# usage: explain_sameday.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
rules=$root/tests/explain/sameday.pw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
echo '{"id":"a","n":1}' >"$tmp/a.jsonl"
q() { "$bin" "$@" "$rules" --facts "$tmp/a.jsonl" --as-of 2026-06-01 --horizon 1y --format text; }

expect_status when 0 q when --program launch && expect_out when <<'OUT'
a: launch, from 2026-06-01 to 2027-06-01
  eligible from 2027-01-01, when "the launch day" is met, "the launch day, written the other way" is met and "the launch year" is met, to the end of the horizon
OUT
expect_status plan 0 q plan --target launch && expect_out plan <<'OUT'
a: plan for launch as of 2026-06-01
  1. 2027-01-01: launch (Launch)
       after waiting for: "the launch day", "the launch day, written the other way", "the launch year"
  eligible for launch on 2027-01-01: 1 program
OUT
expect_status explain 0 q explain && expect_out explain <<'OUT'
a as of 2026-06-01 (looking from 2025-06-01 to 2027-06-01)
  launch (Launch): not eligible
    [not met] the launch day
          met from 2027-01-01
    [not met] the launch day, written the other way
          met from 2027-01-01
    [not met] the launch year
          year of today 2026, needs at least 2027: reaches 2027 on 2027-01-01
    [met] one of two (any_of: 1 of 2 members hold, needs 1)
      [met] n at least 1
            n 1 (needs at least 1)
      [not met] n at least 2
            n 1, needs at least 2
            not met on any day up to the horizon
    [met] two of three (at_least: 2 of 3 members hold, needs 2)
      [met] n at least 1 again
            n 1 (needs at least 1)
      [met] n at most 5
            n 1 (needs at most 5)
      [not met] n at least 9
            n 1, needs at least 9
            not met on any day up to the horizon
OUT
exit $failed
