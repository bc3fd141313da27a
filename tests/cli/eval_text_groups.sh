#!/usr/bin/env bash
# cli.eval_text_groups: `pathway eval --format text` on an unmet group with
# a group inside it: every member under its group, indented by depth, the
# inner group's members under it (and not again at the outer level), each
# with its outcome; and the enrolment window of a program while it is open
# (both ends) and once it has closed.
# usage: eval_text_groups.sh PATHWAY_BINARY
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
cd "$tmp" || exit 1

cat >nest.pw <<'EOF'
facts coach {
  id: text
  age: integer
  n: integer = 0
}
program p "P" enrolment open from 2026-01-01 until 2026-12-31 {
  require "qualified": any of {
    "adult": age >= 18
    "experience": all of {
      "coaches": n >= 1
      "veteran": age >= 60
    }
  }
}
EOF
echo '{"id":"k","age":10}' >k.jsonl

expect_status open_window 0 "$bin" eval nest.pw --facts k.jsonl --as-of 2026-06-01 --format text &&
  expect_out open_window <<'EOF'
k (as of 2026-06-01)
  not eligible     p (P)
                     open for enrolment from 2026-01-01 until 2026-12-31
                     missing: qualified
                       - adult: not met
                       - experience: not met
                         - coaches: not met
                         - veteran: not evaluated

EOF
expect_status closed_window 0 "$bin" eval nest.pw --facts k.jsonl --as-of 2027-06-01 --format text &&
  expect_out closed_window <<'EOF'
k (as of 2027-06-01)
  closed           p (P)
                     closed for enrolment on 2026-12-31
                     missing: qualified
                       - adult: not met
                       - experience: not met
                         - coaches: not met
                         - veteran: not evaluated

EOF
exit $failed
