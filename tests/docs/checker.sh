#!/usr/bin/env bash
# docs.checker: tests/docs/run.sh itself. fixtures/good.md holds every kind
# of block it accepts and must pass; fixtures/bad.md holds every mistake it
# reports, and its FAIL lines (each naming the file and line of the block)
# must be exactly fixtures/bad.expected. Run with UPDATE_GOLDEN=1 to rewrite
# that file after a deliberate change (then review the diff).
# usage: checker.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
run=$root/tests/docs/run.sh

expect_status good 0 bash "$run" "$bin" "$root" tests/docs/fixtures/good.md
expect_grep good out "15 fenced blocks checked in 1 documents"
expect_status bad 1 bash "$run" "$bin" "$root" tests/docs/fixtures/bad.md
grep '^FAIL' "$tmp/bad.out" >"$tmp/bad.fail"
expect_golden bad "$tmp/bad.fail" "$root/tests/docs/fixtures/bad.expected"
exit $failed
