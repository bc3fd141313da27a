#!/usr/bin/env bash
# `pathway test` with value expectations (`expect NAME(args) = value`): the
# readable report and the JUnit XML of tests/ruletest/values.test.pw are
# pinned; a value expectation evaluates no program, so coverage is unchanged.
# usage: ruletest_values.sh PATHWAY_BINARY REPOSITORY_ROOT
# Run with UPDATE_GOLDEN=1 to rewrite the pinned files after a deliberate
# change (then review the diff).
set -uo pipefail
bin=$1 root=$2
fixtures=$root/tests/ruletest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
cd "$fixtures" || exit 1
no_times() { sed -E 's/time="[0-9.]+"/time="T"/g' "$1"; }

expect_status values 1 "$bin" test values.test.pw
expect_golden values "$tmp/values.out" values.expected
[ -s "$tmp/values.err" ] && fail "values: wrote to standard error" || ok "values: quiet on standard error"
expect_status values-junit 1 "$bin" test --format junit values.test.pw
no_times "$tmp/values-junit.out" >"$tmp/values.junit"
expect_golden values-junit "$tmp/values.junit" values.junit.expected
expect_grep values-junit err "4 tests: 2 passed, 1 failed, 1 error"

# Only value expectations: every expectation holds, and no program was
# evaluated, so none of lib.pw's requirements counts as covered.
cat >"$tmp/only.test.pw" <<PW
include "$fixtures/lib.pw"
test "the age of a coach born in 1990" {
  as of 2026-06-01
  given { id: "a" birth_date: 1990-01-01 }
  expect age = 36
  expect current("starter") = false
}
PW
expect_status only 0 "$bin" test --coverage "$tmp/only.test.pw"
expect_grep only out "1 test: 1 passed, 0 failed"
expect_grep only out "starter: 0/1 requirements covered (no test evaluated it in force)"
expect_grep only out "total: 0/"

# The same values after formatting: `pathway fmt` keeps them and is idempotent.
cp values.test.pw "$tmp/fmt.test.pw"
"$bin" fmt -w "$tmp/fmt.test.pw" && "$bin" fmt --check "$tmp/fmt.test.pw" >"$tmp/fmt.out" 2>&1 \
  && ok "fmt: value expectations round-trip" || { fail "fmt: not idempotent"; cat "$tmp/fmt.out"; }
cmp -s values.test.pw "$tmp/fmt.test.pw" && ok "fmt: values.test.pw is already formatted" \
  || fail "fmt: values.test.pw changes under fmt"

exit $failed
