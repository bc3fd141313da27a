#!/usr/bin/env bash
# pathway explain, when and plan (docs/explain.md): the text and JSON of the
# worked coaches and of examples/coaches.jsonl pinned as golden files (the
# worked examples of docs/explain.md are these files, checked word for
# word), `when` against `eval --as-of` on the days around every boundary,
# bad records with their place, and usage errors.
# usage: explain.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
usatf=$root/rules/usatf/usatf.pw
ea=$root/rules/england-athletics/england-athletics.pw
gold=$root/tests/golden/explain
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
cd "$root"

# golden NAME STATUS FILE ARGS...: the command's output is the golden FILE.
golden() {
  local name=$1 want=$2 file=$3
  shift 3
  expect_status "$name" "$want" "$bin" "$@" && expect_golden "$name" "$tmp/$name.out" "$gold/$file"
}

facts=tests/golden/explain/coaches.jsonl
head -1 $facts >"$tmp/maya.jsonl"
sed -n 2p $facts >"$tmp/jordan.jsonl"
sed -n 3p $facts >"$tmp/sam.jsonl"
sed -n 4p $facts >"$tmp/leap.jsonl"
cp $facts "$tmp/all.jsonl"
(cd "$tmp" && "$bin" explain "$usatf" --facts maya.jsonl --as-of 2026-11-23 --format text --program level_1 \
  >maya-explain.txt) && expect_golden maya-explain "$tmp/maya-explain.txt" "$gold/maya-explain.txt"
(cd "$tmp" && "$bin" explain "$usatf" --facts jordan.jsonl --as-of 2026-11-23 --format text --program level_2 \
  >jordan-explain.txt) && expect_golden jordan-explain "$tmp/jordan-explain.txt" "$gold/jordan-explain.txt"
(cd "$tmp" && "$bin" explain "$usatf" --facts sam.jsonl --as-of 2026-11-23 --format text --program podium_camp \
  >sam-explain.txt) && expect_golden sam-explain "$tmp/sam-explain.txt" "$gold/sam-explain.txt"
(cd "$tmp" && "$bin" explain "$usatf" --facts leap.jsonl --as-of 2026-01-10 --format text --program campus \
  >leap-explain.txt) && expect_golden leap-explain "$tmp/leap-explain.txt" "$gold/leap-explain.txt"
golden maya-when 0 maya-when.txt when "$usatf" --facts "$tmp/maya.jsonl" --as-of 2026-11-23 --format text \
  --program level_1
golden maya-plan 0 maya-plan.txt plan "$usatf" --facts "$tmp/maya.jsonl" --as-of 2026-11-23 --format text \
  --target level_3
golden ea-plan 0 ea-plan.txt plan "$ea" --facts tests/golden/explain/ea.jsonl --as-of 2026-01-15 --format text \
  --target advanced_coach
golden ea-when 1 ea-when.txt when "$ea" --facts tests/golden/explain/ea.jsonl --as-of 2026-01-15 --format text \
  --program coach

# JSON, every example coach (one object per line).
golden examples-explain 0 examples-explain.jsonl explain "$usatf" --facts examples/coaches.jsonl \
  --as-of 2026-11-23 --format json
golden examples-when 1 examples-when.jsonl when "$usatf" --facts examples/coaches.jsonl --as-of 2026-11-23 \
  --format json --program level_2
golden examples-plan 1 examples-plan.jsonl plan "$usatf" --facts examples/coaches.jsonl --as-of 2026-11-23 \
  --format json --target level_3
golden examples-plan-text 1 examples-plan.txt plan "$usatf" --facts examples/coaches.jsonl --as-of 2026-11-23 \
  --format text --target instructor_training

# The worked examples of docs/explain.md are the golden files, verbatim.
for f in maya-explain.txt jordan-explain.txt sam-explain.txt leap-explain.txt maya-when.txt maya-plan.txt \
    ea-plan.txt; do
  if python3 -c 'import sys; sys.exit(0 if open(sys.argv[1]).read() in open(sys.argv[2]).read() else 1)' \
      "$gold/$f" docs/explain.md; then ok "docs/explain.md shows $f"; else fail "docs/explain.md lacks $f"; fi
done

# when agrees with eval on the days around each boundary of maya's periods.
eligible_on() { # PROGRAM DAY FACTS: prints true or false, as eval says
  "$bin" eval "$usatf" --facts "$3" --as-of "$2" --program "$1" --format jsonl |
    grep -o '"eligible":[a-z]*' | cut -d: -f2
}
for day_want in 2027-03-13:false 2027-03-14:true 2028-06-30:true 2028-07-01:false; do
  day=${day_want%:*} want=${day_want#*:}
  got=$(eligible_on level_1 "$day" "$tmp/maya.jsonl")
  if [ "$got" = "$want" ]; then ok "eval agrees with when on $day"; else fail "eval on $day: $got, when: $want"; fi
done

# A bad record: its place and id, an error object, and the others answered.
# The facts are read as pathway eval reads them (its reader and messages).
printf '%s\n' '{"id":"ok","birth_date":"1990-01-01"}' '{"id":"bad","birth_date":"2026-02-30"}' 'not json' \
  '{"id":"tail","birth_date":"1990-01-01"} junk' >"$tmp/bad.jsonl"
for cmd in "explain" "when --program level_1" "plan --target level_1"; do
  name=bad-${cmd%% *}
  # shellcheck disable=SC2086
  (cd "$tmp" && "$bin" $cmd "$usatf" --facts bad.jsonl --as-of 2026-11-23 --format json \
    >"$name.out" 2>"$name.err"; echo $? >"$name.rc")
  if [ "$(cat "$tmp/$name.rc")" = 1 ]; then ok "$name: exit status 1"; else fail "$name: status $(cat "$tmp/$name.rc")"; fi
  expect_grep "$name" err 'bad.jsonl:2: error: record "bad": `birth_date`: invalid date "2026-02-30"'
  expect_grep "$name" err 'bad.jsonl:3: error: record without an id: invalid JSON at column 1'
  expect_grep "$name" err 'bad.jsonl:4: error: record "tail": unexpected text after the JSON value at column 40'
  expect_grep "$name" out '{"id":"bad","error":'
  expect_grep "$name" out '{"id":"ok",'
  order=$(cut -d, -f1 "$tmp/$name.out" | tr '\n' ' ')
  if [ "$order" = '{"id":"ok" {"id":"bad" {"id":null {"id":"tail" ' ]; then
    ok "$name: one answer or error line per record, in input order"
  else
    fail "$name: lines out of order: $order"
  fi
done

# Over 4096 records the answers come from worker threads: the output is the
# same whatever --jobs is.
for i in $(seq 1 1100); do cat "$facts"; done >"$tmp/many.jsonl"
for jobs in 1 2; do
  "$bin" when "$usatf" --facts "$tmp/many.jsonl" --program level_2 --as-of 2026-11-23 --horizon 2d \
    --format json --jobs $jobs >"$tmp/many-$jobs.out" 2>"$tmp/many-$jobs.err"
  echo $? >"$tmp/many-$jobs.rc"
done
if cmp -s "$tmp/many-1.out" "$tmp/many-2.out" && [ "$(cat "$tmp/many-1.rc")" = "$(cat "$tmp/many-2.rc")" ] &&
   [ "$(wc -l <"$tmp/many-2.out")" = 4400 ]; then
  ok "when --jobs 1 and --jobs 2: the same 4400 lines"
else
  fail "when --jobs 1 and --jobs 2 differ ($(wc -l <"$tmp/many-1.out") and $(wc -l <"$tmp/many-2.out") lines)"
fi

# Usage errors.
expect_status no-program 2 "$bin" when "$usatf" --facts "$tmp/maya.jsonl" && expect_grep no-program err 'no program given'
expect_status no-target 2 "$bin" plan "$usatf" --facts "$tmp/maya.jsonl" && expect_grep no-target err 'no target given'
expect_status unknown-program 2 "$bin" when "$usatf" --facts "$tmp/maya.jsonl" --program level_9 &&
  expect_grep unknown-program err 'no program `level_9`'
expect_status bad-horizon 2 "$bin" when "$usatf" --facts "$tmp/maya.jsonl" --program level_1 --horizon 20x &&
  expect_grep bad-horizon err '--horizon'
expect_status no-facts 2 "$bin" explain "$usatf" && expect_grep no-facts err 'no facts given'
expect_status help 0 "$bin" plan --help && expect_grep help out 'usage: pathway plan RULES'
expect_status short-horizon 1 "$bin" when "$usatf" --facts "$tmp/maya.jsonl" --program level_1 --as-of 2026-11-23 \
  --horizon 90d --format text && expect_grep short-horizon out 'not eligible within the horizon'

exit $failed
