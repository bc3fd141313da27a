#!/usr/bin/env bash
# pathway plan on a rule set written for it (issue 18; not the shipped
# rules): tests/plan/ladder.pw, a soccer licence ladder whose licences land
# in `licences` (`granted here with id: code, ...`), with "held for 12
# months" prerequisites. The plans are pinned as golden files
# (tests/golden/plan/), and each is replayed by `plan` itself before it is
# printed.
# usage: plan_rules.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
rules=$root/tests/plan/ladder.pw
facts=$root/tests/plan/coaches.jsonl
gold=$root/tests/golden/plan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
cd "$root"

golden() {
  local name=$1 want=$2 file=$3
  shift 3
  expect_status "$name" "$want" "$bin" "$@" && expect_golden "$name" "$tmp/$name.out" "$gold/$file"
}

# Item 1: a program's certificate lands in the list the rules mark. Before
# the marker, `ana` was told to arrange "the B Licence held for at least 12
# months" (no program gives it) on 2026-06-01.
grep '"ana"' "$facts" >"$tmp/ana.jsonl"
golden ana-text 0 ana.txt plan "$rules" --facts "$tmp/ana.jsonl" --as-of 2026-06-01 --target national_a --format text
golden ana-json 0 ana.jsonl plan "$rules" --facts "$tmp/ana.jsonl" --as-of 2026-06-01 --target national_a --format json
expect_grep ana-json out '"grants":"ussf-b","granted":"2026-06-01"'

# The same rules without the marker: `licences` is not where certificates
# land by convention (that is a `certificates` list with `id` and
# `issued`), so plan says so rather than give a wrong plan.
sed 's/ granted here with id: code, issued: awarded, expires: lapses//' "$rules" >"$tmp/unmarked.pw"
expect_status unmarked 1 "$bin" plan "$tmp/unmarked.pw" --facts "$tmp/ana.jsonl" --as-of 2026-06-01 \
  --target national_a --format text &&
  expect_grep unmarked out 'the rules do not say where a certificate a program grants lands' &&
  expect_grep unmarked err 'mark the facts list with `granted here`'

# The marker, spelled for the conventional list, changes nothing: a
# `certificates` list with `id`, `issued`, `expires` plans the same.
sed -e 's/code: text/id: text/; s/awarded: date/issued: date/; s/lapses: date?/expires: date?/' \
    -e 's/c\.code/c.id/g; s/c\.awarded/c.issued/g; s/c\.lapses/c.expires/g' \
    -e 's/licences: list of licence = \[\] granted here with id: code, issued: awarded, expires: lapses/certificates: list of licence = []/' \
    -e 's/in licences where/in certificates where/g' "$rules" >"$tmp/conventional.pw"
sed -e 's/"licences"/"certificates"/; s/"code"/"id"/g; s/"awarded"/"issued"/g; s/"lapses"/"expires"/g' \
  "$tmp/ana.jsonl" >"$tmp/ana-conv.jsonl"
expect_status conventional 0 "$bin" plan "$tmp/conventional.pw" --facts "$tmp/ana-conv.jsonl" --as-of 2026-06-01 \
  --target national_a --format text && same conventional-same "$tmp/ana-text.out" "$tmp/conventional.out"

# The compiled marker is an ordinary definition: the .pwc plans the same.
expect_status compile 0 "$bin" compile "$rules" -o "$tmp/ladder.pwc" &&
  expect_status ana-pwc 0 "$bin" plan "$tmp/ladder.pwc" --facts "$tmp/ana.jsonl" --as-of 2026-06-01 \
    --target national_a --format text && same pwc-same "$tmp/ana-text.out" "$tmp/ana-pwc.out"

# Item 7: waiting is not arranging. `ben` turns 18 after a six-month
# horizon: the age blocks (it was "arrange first: at least 18 years of
# age"); `cal` has no `coaching_since`: the experience blocks (it was
# "arrange first: two years of coaching experience"); `dee`'s membership
# has lapsed, and the rules say how to arrange it (`arrange "..."`).
for c in ben cal dee; do grep "\"$c\"" "$facts" >"$tmp/$c.jsonl"; done
golden ben-text 1 ben.txt plan "$rules" --facts "$tmp/ben.jsonl" --as-of 2026-06-01 --horizon 6m --target ussf_d \
  --format text
golden cal-text 1 cal.txt plan "$rules" --facts "$tmp/cal.jsonl" --as-of 2026-06-01 --target ussf_b --format text
golden dee-text 0 dee.txt plan "$rules" --facts "$tmp/dee.jsonl" --as-of 2026-06-01 --target ussf_c --format text
golden dee-json 0 dee.jsonl plan "$rules" --facts "$tmp/dee.jsonl" --as-of 2026-06-01 --target ussf_c --format json
for c in ben cal; do
  if grep -q "arrange first" "$tmp/$c-text.out"; then fail "$c: a wait or a fixed fact is arranged"
  else ok "$c: nothing arranged"; fi
done
expect_grep ben-text out '"at least 18 years of age" is not met on any day'
expect_grep cal-text out '"two years of coaching experience" is not met on any day'
expect_grep dee-text out 'arrange first: renew your U.S. Soccer membership (for "a U.S. Soccer membership")'
expect_grep dee-json out '"arrange":["a U.S. Soccer membership"],"arrange_how":["renew your U.S. Soccer membership"]'
# The same age over the whole horizon is a wait, with its day.
expect_status ben-wait 0 "$bin" plan "$rules" --facts "$tmp/ben.jsonl" --as-of 2026-06-01 --target ussf_d \
  --format text && expect_grep ben-wait out '2027-01-20: ussf_d' &&
  expect_grep ben-wait out 'after waiting for: "at least 18 years of age"'
# An author who says how experience is arranged gets it arranged, in
# those words.
sed 's/years since coaching_since >= 2$/years since coaching_since >= 2 arrange "record the day you began coaching"/' \
  "$rules" >"$tmp/arrange-exp.pw"
expect_status cal-arranged 0 "$bin" plan "$tmp/arrange-exp.pw" --facts "$tmp/cal.jsonl" --as-of 2026-06-01 \
  --target ussf_b --format text &&
  expect_grep cal-arranged out 'arrange first: record the day you began coaching (for "two years of coaching experience")'

# Item 5: an earlier step blocks, not the target. `fay` turns 18 after a
# one-year horizon, so the D Licence is never taken: the plan names its
# requirement and the chain to the target (it said "the B Licence held for
# at least 12 months" is not met on any day). `eve` needs one more
# in-person course, a fact that is not a certificate: she arranges it.
for c in eve fay; do grep "\"$c\"" "$facts" >"$tmp/$c.jsonl"; done
golden fay-text 1 fay.txt plan "$rules" --facts "$tmp/fay.jsonl" --as-of 2026-06-01 --horizon 1y \
  --target national_a --format text
golden fay-json 1 fay.jsonl plan "$rules" --facts "$tmp/fay.jsonl" --as-of 2026-06-01 --horizon 1y \
  --target national_a --format json
expect_grep fay-text out '"at least 18 years of age" of ussf_d (National D Licence) is not met on any day'
expect_grep fay-text out 'national_a needs ussf-b from ussf_b, which needs ussf-c from ussf_c, which needs ussf-d from ussf_d'
if grep -q '"the B Licence held for at least 12 months" is not met' "$tmp/fay-text.out"; then
  fail "fay: the target is blamed"; else ok "fay: the target is not blamed"; fi
golden eve-text 0 eve.txt plan "$rules" --facts "$tmp/eve.jsonl" --as-of 2026-06-01 --target national_a --format text
expect_grep eve-text out 'arrange first: "two in-person grassroots courses"'
expect_grep eve-text out 'eligible for national_a on 2029-06-01: 4 programs'

exit $failed
