#!/usr/bin/env bash
# pathway report and pathway diff on programs that are not simply eligible or
# not (issue 23): enrolment windows closed and not yet open, a program out
# of force, a program without a title (tests/impact/windows.pw); and a change
# of rules (tests/impact/changes-*.pw) that moves a window, a program's and a
# requirement's period, changes two conditions (the reasons sorted by how
# many coaches each made lose eligibility), removes a program and adds one
# with other labels (not paired as a rename), and untitled programs. Each
# output is a golden file in tests/impact/.
# usage: impact_windows.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
fx=$root/tests/impact
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
pw() { (cd "$fx" && "$bin" "$@"); }

for f in text json csv html; do
  expect_status "report_$f" 0 pw report windows.pw --facts windows.jsonl --as-of 2026-06-15 --format $f &&
    expect_golden "report as $f" "$tmp/report_$f.out" "$fx/windows.report.$f"
done
# What each count is for, said plainly (the golden files hold them too).
expect_grep report_text out 'closed for enrolment on 2026-06-15 for 7'
expect_grep report_text out 'not yet open for enrolment on 2026-06-15 for 7'
expect_grep report_text out 'not in force on 2026-06-15 for 7'
expect_grep report_csv out 'early,Early Course,7,0,0.0000,0,0,n at least 1,0,0.0000,7,0'
expect_grep report_html out '<p>0 of 7 coaches eligible (0.0%); not yet open for enrolment for 7.</p>'
expect_grep report_html out '<h2>bare</h2>'

for f in text json; do
  expect_status "diff_$f" 0 pw diff changes-old.pw changes-new.pw --facts windows.jsonl --as-of 2026-06-15 \
    --to 2026-10-01 --format $f &&
    expect_golden "diff as $f" "$tmp/diff_$f.out" "$fx/changes.diff.$f"
done
expect_grep diff_text out 'course: program'"'"'s enrolment window changed'
expect_grep diff_text out 'award: require "n at least 1" changed (effective period)'
expect_grep diff_json out '"lost_because":[{"requirement":"n at most 5","count":2},{"requirement":"n at least 1","count":1}]'
expect_grep diff_text out 'stale: program removed'
expect_grep diff_text out 'fresh: program added'

# One set of rules on two dates: the reasons are the window and the period.
expect_status closed 0 pw diff changes-old.pw --facts windows.jsonl --as-of 2026-06-15 --to 2027-02-01 &&
  expect_grep closed out '(closed for enrolment)' && expect_grep closed out '(not in force)'
expect_status not_yet 0 pw diff changes-old.pw --facts windows.jsonl --as-of 2026-06-15 --to 2026-02-01 --format json &&
  expect_grep not_yet out '"lost_because":[{"requirement":"(not yet open for enrolment)","count":6}]'
exit $failed
