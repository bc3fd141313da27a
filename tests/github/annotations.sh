#!/usr/bin/env bash
# github.annotations: `pathway check --format github` and `pathway lint
# --format github` print GitHub Actions workflow commands
# (::error file=F,line=L,endLine=L,col=C,endColumn=C,title=CODE::message),
# compared with golden files in tests/github/ (UPDATE_GOLDEN=1 to accept a
# deliberate change; review the diff). The cases: lint findings with notes
# folded into the message (%0A); a message with `%`, `,` and `:` (only `%`
# escaped: `,` and `:` are escaped in properties alone); a file name with
# `,`, `:` and `%` (escaped as %2C %3A %25); columns in code points after
# accented letters; a file that does not compile, from check and from lint
# (and its exit status 1 from both).
# usage: annotations.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
root=$(cd "$2" && pwd) || exit 1
here=$root/tests/github
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"

cd "$root/tests/lint" || exit 1
expect_status lint_fixtures 1 "$bin" lint --format github PW110.bad.pw PW112.bad.pw
expect_golden lint_fixtures "$tmp/lint_fixtures.out" "$here/lint_fixtures.expected"

mkdir -p "$tmp/work" && cp -r lib "$tmp/work/lib" && cd "$tmp/work" || exit 1
printf 'include "lib/coach.pw"\n\nprogram p "P" {\n  require "50%%, or: more": age >= 18\n  require "50%%, or: more": age >= 21\n}\n' >escapes.pw
expect_status lint_escapes 1 "$bin" lint --format github escapes.pw
expect_golden lint_escapes "$tmp/lint_escapes.out" "$here/lint_escapes.expected"

printf 'facts coach {\n  id: text\n  name: text = "é%%é"\n}\nprogram p "P" {\n  require "é, x: y": naïve >= 1\n}\n' >'odd,na:me%.pw'
expect_status check_odd 1 "$bin" check --format github 'odd,na:me%.pw'
expect_golden check_odd "$tmp/check_odd.out" "$here/check_odd.expected"

printf 'include "lib/coach.pw"\n\nprogram broken "Broken" {\n  require "x": nosuch >= 1\n}\n' >broken.pw
expect_status check_broken 1 "$bin" check --format github broken.pw
expect_golden check_broken "$tmp/check_broken.out" "$here/broken.expected"
expect_status lint_broken 1 "$bin" lint --format github broken.pw escapes.pw
# The same annotation as check's, then the other file's findings.
cat "$here/broken.expected" "$here/lint_escapes.expected" >"$tmp/lint_broken.want"
same "lint_broken: check's annotation, then the other file's" "$tmp/lint_broken.out" "$tmp/lint_broken.want"

# pathway test --format github: the text report, and each test that did not
# pass as an annotation at its failed expectation (the report's lines as the
# message); a file that does not compile as check's annotation. --quiet
# leaves the PASS lines out.
cat >tests.pw <<'PW'
include "lib/coach.pw"

program p "P" {
  require "adult": age >= 18
}

test "an adult, 50%: yes" {
  as of 2026-01-01
  given { id: "a", birth_date: 1990-01-01 }
  expect p eligible
}

test "a child, wrongly expected" {
  as of 2026-01-01
  given { id: "c", birth_date: 2015-01-01 }
  expect p eligible
}
PW
expect_status test_fail 1 "$bin" test --format github --quiet tests.pw
expect_golden test_fail "$tmp/test_fail.out" "$here/test_fail.expected"
expect_status test_broken 1 "$bin" test --format github broken.pw
grep -qxF -f "$here/broken.expected" "$tmp/test_broken.out" || fail "test_broken: lacks check's annotation of broken.pw"
expect_status test_mutate_github 2 "$bin" test --mutate --format github tests.pw
exit $failed
