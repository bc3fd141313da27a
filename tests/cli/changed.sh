#!/usr/bin/env bash
# --changed FILE on check, lint and test (docs/ci.md): only the rule files
# given that are FILE or include it, directly or through another file; a
# deleted FILE keeps every file, and so does a file that does not parse.
# check also takes directories.
# usage: changed.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

r=$tmp/rules
mkdir -p "$r/common" "$r/a" "$r/b"
cat >"$r/common/record.pw" <<'PW'
facts coach {
  birth_date: date
}
define age: integer = years since birth_date
PW
cat >"$r/common/adult.pw" <<'PW'
include "record.pw"
define adult: boolean = age >= 18
PW
cat >"$r/a/a.pw" <<'PW'
include "../common/adult.pw"
program a "A" {
  require "an adult": adult
}
PW
cat >"$r/b/b.pw" <<'PW'
include "../common/record.pw"
program b "B" {
  require "sixteen": age >= 16
}
PW
cat >"$r/b/other.pw" <<'PW'
facts coach {
  birth_date: date
}
program other "Other" {
  require "born": birth_date <= today
}
PW

# A change to record.pw reaches a.pw through adult.pw, and b.pw; other.pw,
# which includes nothing, is not compiled (its error is not reported).
sed -i 's/^  birth_date: date$/  birth_date: dat/' "$r/common/record.pw"
sed -i 's/birth_date <= today/birth_date <= 3/' "$r/b/other.pw"
expect_status record 1 "$bin" check --changed "$r/common/record.pw" "$r" &&
  expect_grep record err "a/../common/record.pw" && expect_grep record err "b/../common/record.pw"
grep -q "other.pw" "$tmp/record.err" && fail "check --changed record.pw compiled other.pw"
expect_status other 1 "$bin" check --changed "$r/b/other.pw" "$r" && expect_grep other err "other.pw:5:"
grep -q "record.pw" "$tmp/other.err" && fail "check --changed other.pw compiled the files of record.pw"
sed -i 's/^  birth_date: dat$/  birth_date: date/' "$r/common/record.pw"
sed -i 's/birth_date <= 3/birth_date <= today/' "$r/b/other.pw"

# Which files the run took, told by the tests that run: one test per program file.
for f in a/a b/b b/other; do
  name=${f#*/}
  cat >"$r/$f.test.pw" <<PW
include "$name.pw"
test "$name: an adult" {
  given { birth_date: 1990-01-01 }
  as of 2026-01-01
  expect $name eligible
}
PW
done
expect_status t_adult 0 "$bin" test --changed "$r/common/adult.pw" "$r" &&
  expect_grep t_adult out "a: an adult" && expect_grep t_adult out "1 test: 1 passed"
expect_status t_record 0 "$bin" test --changed "$r/common/record.pw" "$r" &&
  expect_grep t_record out "2 tests: 2 passed"
grep -q "other: an adult" "$tmp/t_record.out" && fail "test --changed record.pw ran other.test.pw, which does not include it"
expect_status t_self 0 "$bin" test --changed "$r/b/other.test.pw" "$r" && expect_grep t_self out "1 test: 1 passed"
# Two changes: the union.
expect_status t_two 0 "$bin" test --changed "$r/common/adult.pw" --changed "$r/b/other.pw" "$r" &&
  expect_grep t_two out "2 tests: 2 passed"
# A change that touches no rule file: nothing to run, and that is not a failure.
echo notes >"$r/README.md"
expect_status t_none 0 "$bin" test --changed "$r/README.md" "$r" && expect_grep t_none out "0 tests"
# A deleted file: every file, since what included it can no longer be told.
expect_status t_deleted 0 "$bin" test --changed "$r/common/gone.pw" "$r" && expect_grep t_deleted out "3 tests: 3 passed"
# A file that does not parse is kept, whatever changed (a finding: status 1).
printf 'program {\n' >"$r/b/broken.pw"
expect_status l_broken 1 "$bin" lint --changed "$r/common/adult.pw" "$r" &&
  expect_grep l_broken err "broken.pw"
rm "$r/b/broken.pw"
# lint: only a.pw and its test file are linted for a change to adult.pw.
expect_status l_adult 0 "$bin" lint --format json --changed "$r/common/adult.pw" "$r"
# check takes a directory.
expect_status c_dir 0 "$bin" check "$r"
sed -i 's/age >= 16/age >= "x"/' "$r/b/b.pw"
expect_status c_dir_bad 1 "$bin" check "$r" && expect_grep c_dir_bad err "b/b.pw:3:"
exit $failed
