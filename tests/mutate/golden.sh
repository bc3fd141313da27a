#!/usr/bin/env bash
# Golden reports of `pathway test --mutate` as text, JSON and SARIF: the weak
# test of tests/mutate (age boundaries: suggested tests with the coach's
# birth date moved), golden/dates.test.pw (effective and enrolment dates,
# known values compared with fields: suggested tests on other days or with
# one field changed) and golden/equivalent.test.pw (equivalent mutants
# proved and left out of the score; an advice list pinned). The seconds are
# blanked. Run on a copy, in a temporary directory.
# usage: golden.sh PATHWAY_BINARY REPOSITORY_ROOT [--update]
#   --update rewrites tests/mutate/golden/expected.* (by hand, never in CI)
set -uo pipefail
bin=$1 root=$2 update=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
export NO_COLOR=1

cp -r "$root/tests/mutate" "$tmp/m" || exit 1
cd "$tmp/m" || exit 1
files=(weak.test.pw golden/dates.test.pw golden/equivalent.test.pw)
for fmt in text json sarif; do
  "$bin" test --mutate --format "$fmt" "${files[@]}" >"$tmp/$fmt.raw" 2>"$tmp/$fmt.err"
  status=$?
  [ "$status" = 0 ] || fail "$fmt: exit status $status, expected 0"
  [ -s "$tmp/$fmt.err" ] && fail "$fmt: wrote to standard error: $(head -3 "$tmp/$fmt.err")"
  sed -E 's/ \([0-9.]+ s\)$/ (0.00 s)/; s/"seconds":[0-9.]+/"seconds":0/g; s/"name":"pathway","version":"[^"]*"/"name":"pathway","version":"V"/' "$tmp/$fmt.raw" >"$tmp/$fmt.out"
  want=$root/tests/mutate/golden/expected.$fmt
  if [ "$update" = --update ]; then
    cp "$tmp/$fmt.out" "$want"
    ok "$fmt: $want rewritten"
  elif diff -u "$want" "$tmp/$fmt.out" >"$tmp/$fmt.diff"; then
    ok "$fmt: as $want"
  else
    fail "$fmt: differs from $want"
    head -40 "$tmp/$fmt.diff"
  fi
done

exit $failed
