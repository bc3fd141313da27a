#!/usr/bin/env bash
# cli.edge_paths: the rarer paths of eval, report, diff and explain (and of
# the option parsers they share), each with its exact message or output and
# exit status: values out of range for --jobs, --top, --horizon, --limit and
# --to; an operand missing; facts that start with white space, a blank file,
# an object past the record limit or never closed, one value that is not JSON, blank lines
# of tabs and carriage returns; eval's text report of every shape of program
# (a record without an id, a program without a title, dated programs and
# enrolment windows open at one end, groups with their members, preferences
# and advice); diff's list of a record without an id and a change with two
# reasons, in CSV and JSON Lines, and -o naming the list under another name;
# standard input (a file, a pipe) as the facts and as the rules, an input
# on another device; a full disk for the summary
# and for --help. Everything is written under the test's own directory.
# usage: edge_paths.sh PATHWAY_BINARY
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
cd "$tmp" || exit 1
export LC_ALL=C

printf 'facts coach {\n  id: text\n  age: integer\n}\n\nprogram p "P" {\n  require "adult": age >= 18\n}\n' >clean.pw
echo '{"id":"a","age":20}' >one.jsonl
good='{"id":"a","as_of":"2026-06-01","results":[{"program":"p","eligible":true,"unmet":[],"preferred_unmet":[]}]}'

# ---- values out of range: 2, the option named, nothing run
bad_value() { # NAME MESSAGE ARGS...
  local name=$1 msg=$2
  shift 2
  expect_status "$name" 2 "$bin" "$@" && expect_grep "$name" err "$msg"
  [ ! -s "$tmp/$name.out" ] || fail "$name: printed something"
}
for v in x -1 1001 99999999999999999999999 5x; do
  bad_value "top-$v" "pathway: --top: \`$v\` needs a whole number from 0 to 1000" report --top "$v" clean.pw --facts one.jsonl
done
for v in 257 99999999999999999999999 2x -1; do
  bad_value "jobs-$v" "pathway: --jobs: \`$v\` needs a whole number from 1 to 256" eval --jobs "$v" clean.pw --facts one.jsonl
done
for v in 0y 5x 5yy y 36526d -3d; do
  bad_value "horizon-$v" "pathway: --horizon: \`$v\` needs a whole number of years, months or days, e.g. 20y, 6m, 90d" \
    explain --horizon "$v" clean.pw --facts one.jsonl
done
# Days and months: the horizon runs that far ahead, and as many days back.
for h in 90d:2026-03-03:2026-08-30 6m:2025-11-30:2026-12-01; do
  IFS=: read -r n from until <<<"$h"
  expect_status "horizon-$n" 0 "$bin" explain --horizon "$n" --as-of 2026-06-01 clean.pw --facts one.jsonl --format json &&
    expect_grep "horizon-$n" out "{\"id\":\"a\",\"as_of\":\"2026-06-01\",\"horizon\":{\"from\":\"$from\",\"until\":\"$until\"},"
done
# The horizon's end past 2999: refused as one longer than 100 years.
bad_value horizon-past-2999 "pathway: --horizon: at most 100 years, within the years 1800-2999" \
  explain --as-of 2999-06-01 --horizon 2000y clean.pw --facts one.jsonl
bad_value to-date 'pathway: --to: invalid date "2026-13-01": expected a real day as YYYY-MM-DD, years 1800-2999' \
  diff clean.pw --facts one.jsonl --to 2026-13-01
for v in text-bytes=99999999999999999999999 text-bytes=5G text-bytes=0 text-bytes=1x; do
  bad_value "limit-$v" "pathway: --limit: \`$v\` needs a whole number from 1 to 4294967295" eval --limit "$v" clean.pw --facts one.jsonl
done
# k and M multiply by 1024: 2M nestings is past 2000, 1k is not.
bad_value limit-2M "pathway: --limit: \`nesting=2M\` needs a whole number from 1 to 2000" \
  eval --limit text-bytes=1G --limit record-bytes=1k --limit nesting=2M clean.pw --facts one.jsonl
bad_value limit-no-eq "pathway: --limit: unknown limit \`nolimit\`; expected NAME=N" eval --limit nolimit clean.pw --facts one.jsonl
expect_grep limit-no-eq err "  --limit NAME=N      change a limit on what the input may cost (repeatable):"
expect_status limits-ok 0 "$bin" eval --limit text-bytes=1G --limit record-bytes=1k --limit nesting=1k clean.pw \
  --facts one.jsonl --as-of 2026-06-01 && echo "$good" | expect_out limits-ok

# ---- an operand missing
bad_value report-no-facts "pathway: no facts given (--facts FILE)" report clean.pw
bad_value report-no-rules "pathway: no rules file given" report --facts one.jsonl
bad_value eval-no-facts "pathway: no facts given (--facts FILE)" eval clean.pw
bad_value eval-no-rules "pathway: no rules file given" eval --facts one.jsonl
bad_value explain-no-rules "pathway: no rules file given" explain --facts one.jsonl
bad_value explain-no-facts "pathway: no facts given (--facts FILE)" explain clean.pw
expect_grep explain-no-facts err "usage: pathway explain RULES --facts FILE"
# Every --program is looked up, the second as the first; the first unknown is named.
bad_value explain-second-program "pathway: no program \`q\` in clean.pw" explain --program p --program q clean.pw --facts one.jsonl
bad_value explain-first-program "pathway: no program \`q\` in clean.pw" explain --program q --program r clean.pw --facts one.jsonl

# Rules without a program: every record evaluated, with no results.
printf 'facts coach {\n  id: text\n}\n' >noprog.pw
expect_status no-program 0 "$bin" eval noprog.pw --facts one.jsonl --as-of 2026-06-01 &&
  echo '{"id":"a","as_of":"2026-06-01","results":[]}' | expect_out no-program
# Rules of ten files: each included one is an input no output may replace.
mkdir inc
{
  printf 'facts coach {\n  id: text\n  age: integer\n}\n'
  for i in 1 2 3 4 5 6 7 8 9; do
    printf 'program p%d "P%d" {\n  require "x": age >= %d\n}\n' "$i" "$i" "$i" >"inc/p$i.pw"
    echo "include \"inc/p$i.pw\""
  done
} >many.pw
cp inc/p9.pw p9.before
expect_status many-includes 3 "$bin" report many.pw --facts one.jsonl -o inc/p9.pw &&
  expect_grep many-includes err "pathway: cannot write inc/p9.pw: it is the input $(pwd -P)/inc/p9.pw; choose another output file"
cmp -s inc/p9.pw p9.before || fail "many-includes: inc/p9.pw was overwritten"

# ---- the facts' framing
printf ' \t\r\n{"id":"a","age":20}\n' >ws.json
expect_status leading-space 0 "$bin" eval clean.pw --facts ws.json --as-of 2026-06-01 && echo "$good" | expect_out leading-space
printf ' \t\r\n' >blank.json
expect_status blank-file 0 "$bin" eval clean.pw --facts blank.json --as-of 2026-06-01
[ ! -s "$tmp/blank-file.out" ] && [ ! -s "$tmp/blank-file.err" ] && ok "blank-file: no record, no word" ||
  fail "blank-file: printed something"
# One object past the record limit is no file of one value: JSON Lines,
# whose line is too long.
printf '{"id":"a","age":20,"pad":"%0200d"}\n' 0 >long.json
expect_status long-object 1 "$bin" eval clean.pw --facts long.json --as-of 2026-06-01 --limit record-bytes=100 &&
  expect_out long-object <<'EOF'
{"id":null,"error":"the record is longer than the limit of 100 bytes (--limit record-bytes=N)"}
EOF
expect_grep long-object err "long.json:1: error: record without an id: the record is longer than the limit of 100 bytes (--limit record-bytes=N)"
# Brackets that match around what is not JSON: read as JSON Lines.
printf '{"id" "a"}\n' >badone.json
expect_status bad-one-value 1 "$bin" eval clean.pw --facts badone.json --as-of 2026-06-01 &&
  echo '{"id":null,"error":"invalid JSON at column 7"}' | expect_out bad-one-value
expect_grep bad-one-value err "badone.json:1: error: record without an id: invalid JSON at column 7"
# An object that never closes: JSON Lines too.
printf '{"id":"a","age":20\n' >unclosed.json
expect_status unclosed 1 "$bin" eval clean.pw --facts unclosed.json --as-of 2026-06-01 &&
  echo '{"id":null,"error":"invalid JSON at column 18"}' | expect_out unclosed
# Tabs and carriage returns: blank lines skipped, blank after a value, but
# not before other text.
printf '{"id":"a","age":20}\t\r\n\t \r\n{"id":"b","age":20} \tx\n' >tabs.jsonl
expect_status tabs 1 "$bin" eval clean.pw --facts tabs.jsonl --as-of 2026-06-01 &&
  expect_out tabs <<EOF
$good
{"id":"b","error":"unexpected text after the JSON value at column 20"}
EOF
expect_grep tabs err 'tabs.jsonl:3: error: record "b": unexpected text after the JSON value at column 20'

# ---- eval's text report, every shape of program
cat >shapes.pw <<'EOF'
facts coach {
  id: text = ""
  n: integer = 0
}

program early "Early Course"
  enrolment open until 2026-05-31
{
  require "n at least 1": n >= 1
}

program late "Late Course"
  enrolment open from 2026-09-01
{
  require "n at least 1": n >= 1
}

program gone "Gone Award"
  effective until 2026-05-31
{
  require "n at least 1": n >= 1
}

program bare {
  require "n at least 1": n >= 1
}

program later "Later Award"
  effective from 2027-01-01
  enrolment open from 2027-02-01 until 2027-03-01
{
  require "n at least 1": n >= 1
}

program grouped "Grouped" {
  require "one way": any of {
    "n at least 5": n >= 5
    "both": all of {
      "n at least 3": n >= 3
      "soon": n >= 1 effective from 2027-01-01
    }
  }
}

program hints "Hints" {
  require "n at least 0": n >= 0
  prefer "a lot": any of {
    "n at least 7": n >= 7
    "n at least 8": n >= 8
  }
  advise "tip": any of {
    "n at least 9": n >= 9
    "n at least 10": n >= 10
  }
}

program ended "Ended Course"
  effective until 2026-05-31
  enrolment open from 2026-01-01 until 2026-03-01
{
  require "n at least 1": n >= 1
}

program mixed "Mixed" {
  require "either": all of {
    "some way": any of {
      "n at least 0": n >= 0
      "n at least 6": n >= 6
    }
    "n at least 4": n >= 4
  }
  require "first fails": all of {
    "n at least 11": n >= 11
    "other": any of {
      "n at least 12": n >= 12
      "n at least 0 again": n >= 0
    }
  }
}
EOF
echo '{"n":0}' >noid.jsonl
expect_status shapes-april 0 "$bin" eval shapes.pw --facts noid.jsonl --as-of 2026-04-01 --format text &&
  expect_out shapes-april <<'EOF'
(record without id) (as of 2026-04-01)
  not eligible     early (Early Course)
                     open for enrolment until 2026-05-31
                     missing: n at least 1
  not yet open     late (Late Course)
                     opens for enrolment on 2026-09-01
                     missing: n at least 1
  not eligible     gone (Gone Award)
                     version in force until 2026-05-31
                     missing: n at least 1
  not eligible     bare
                     missing: n at least 1
  not yet in force later (Later Award)
                     takes effect from 2027-01-01
  not eligible     grouped (Grouped)
                     missing: one way
                       - n at least 5: not met
                       - both: not met
                         - n at least 3: not met
                         - soon: not in force on this date
  eligible         hints (Hints)
                     preferred, not met: a lot
                       - n at least 7: not met
                       - n at least 8: not met
                     note: tip
  closed           ended (Ended Course)
                     version in force until 2026-05-31
                     closed for enrolment on 2026-03-01
                     missing: n at least 1
  not eligible     mixed (Mixed)
                     missing: either
                       - some way: met
                       - n at least 4: not met
                     missing: first fails
                       - n at least 11: not met
                       - other: not evaluated

EOF
expect_status shapes-october 0 "$bin" eval shapes.pw --facts noid.jsonl --as-of 2026-10-01 --format text \
  --program early --program late --program gone --program ended &&
  expect_out shapes-october <<'EOF'
(record without id) (as of 2026-10-01)
  closed           early (Early Course)
                     closed for enrolment on 2026-05-31
                     missing: n at least 1
  not eligible     late (Late Course)
                     open for enrolment from 2026-09-01
                     missing: n at least 1
  withdrawn        gone (Gone Award)
                     was in force until 2026-05-31
  withdrawn        ended (Ended Course)
                     was in force until 2026-05-31

EOF

# ---- diff's list: a record without an id, a change with two reasons
printf 'facts coach {\n  id: text = ""\n  age: integer\n  licensed: boolean = false\n}\n\nprogram p "P" {\n  require "adult": age >= 18\n}\n' >old.pw
sed 's/age >= 18/age >= 21\n  require "licensed": licensed/' old.pw >new.pw
printf '{"age":19}\n{"id":"b","age":30,"licensed":true}\n{"id":"c, \\"q\\"","age":19}\n' >pop.jsonl
expect_status diff-csv 0 "$bin" diff old.pw new.pw --facts pop.jsonl --as-of 2026-06-01 --list l.csv --list-format csv &&
  expect_grep diff-csv out "  p: 2 lost eligibility; what they lack now:"
printf 'id,program,change,reasons\r\n,p,lost,adult; licensed\r\n"c, ""q""",p,lost,adult; licensed\r\n' >l.want
same "diff-csv: the list" l.want l.csv
expect_status diff-jsonl 0 "$bin" diff old.pw new.pw --facts pop.jsonl --as-of 2026-06-01 --list l.jsonl
cat >l.want <<'EOF'
{"id":null,"program":"p","change":"lost","reasons":["adult","licensed"]}
{"id":"c, \"q\"","program":"p","change":"lost","reasons":["adult","licensed"]}
EOF
same "diff-jsonl: the list" l.want l.jsonl
# -o - (standard output) with a list: no file to compare.
expect_status diff-stdout-list 0 "$bin" diff old.pw new.pw --facts pop.jsonl --as-of 2026-06-01 --list l2.jsonl -o - &&
  expect_grep diff-stdout-list out "3 coaches evaluated"
same "diff-stdout-list: the list" l.jsonl l2.jsonl
# -o and a list that are different files, the list new or already there.
expect_status diff-two-outputs 0 "$bin" diff old.pw new.pw --facts pop.jsonl --as-of 2026-06-01 --list l3.jsonl -o d1.txt &&
  same "diff-two-outputs: the list" l.jsonl l3.jsonl && grep -qxF "3 coaches evaluated" d1.txt &&
  ok "diff-two-outputs: the summary" || fail "diff-two-outputs: no summary"
expect_status diff-list-there 0 "$bin" diff old.pw new.pw --facts pop.jsonl --as-of 2026-06-01 --list l3.jsonl -o d2.txt &&
  same "diff-list-there: the list" l.jsonl l3.jsonl && cmp -s d1.txt d2.txt && ok "diff-list-there: the summary" ||
  fail "diff-list-there: the summary differs"
# An output that is an input, with a list: refused for the input.
expect_status diff-output-input-list 3 "$bin" diff old.pw new.pw --facts pop.jsonl --list l4.jsonl -o old.pw &&
  expect_grep diff-output-input-list err "pathway: cannot write old.pw: it is an input of this command; choose another output file"
[ ! -e l4.jsonl ] || fail "diff-output-input-list: wrote the list"
# -o is the list under another name: refused before the run, both left.
echo keep >same.txt
expect_status diff-same-file 3 "$bin" diff old.pw new.pw --facts pop.jsonl --as-of 2026-06-01 --list same.txt -o ./same.txt &&
  expect_grep diff-same-file err "pathway: cannot write ./same.txt: it is the input same.txt; choose another output file"
[ "$(cat same.txt)" = keep ] && ok "diff-same-file: the file is untouched" || fail "diff-same-file: same.txt was written"

# ---- standard input as the facts (a file: it cannot be an output) and as the rules
expect_status stdin-facts-output 3 "$bin" report clean.pw --facts - -o one.jsonl <one.jsonl &&
  expect_grep stdin-facts-output err "pathway: cannot write one.jsonl: it is the input standard input; choose another output file"
[ "$(cat one.jsonl)" = '{"id":"a","age":20}' ] || fail "stdin-facts-output: the facts were overwritten"
expect_status stdin-rules 0 "$bin" report - --facts one.jsonl --as-of 2026-06-01 -o r.txt <clean.pw &&
  grep -qxF "Eligibility report: -, as of 2026-06-01" r.txt &&
  ok "stdin-rules: the report names the rules -" || fail "stdin-rules: no report of -"
# A pipe is no file an output could replace; a file on another device
# (/dev/null, read) is not the output either.
cp one.jsonl piped.jsonl
expect_status stdin-pipe 0 sh -c "cat piped.jsonl | '$bin' report clean.pw --facts - -o piped.txt --as-of 2026-06-01" &&
  grep -qxF "  eligible: 1 of 1 (100.0%)" piped.txt && ok "stdin-pipe: reported" || fail "stdin-pipe: no report"
echo old >r3.txt
expect_status other-device 0 "$bin" report clean.pw --facts /dev/null -o r3.txt --as-of 2026-06-01 &&
  grep -qxF "0 coaches evaluated" r3.txt && ok "other-device: r3.txt replaced" || fail "other-device: r3.txt not written"
# A rules file shorter than bytecode's magic number is read as source.
: >empty.pw
expect_status short-rules 2 "$bin" report empty.pw --facts one.jsonl -o r2.txt &&
  expect_grep short-rules err "error: no \`facts\` declaration"
[ ! -e r2.txt ] || fail "short-rules: wrote the report"

# ---- a full disk: the summary (short: flushed at the end; long: written in
# pieces) and the help
full() { # NAME STATUS MESSAGE ARGS...: the command's standard output is /dev/full
  local name=$1 want=$2 msg=$3
  shift 3
  "$bin" "$@" >/dev/full 2>"$tmp/$name.err"
  local got=$?
  [ "$got" = "$want" ] && ok "$name: exit status $want" || fail "$name: exit status $got, expected $want"
  expect_grep "$name" err "$msg"
}
if [ -w /dev/full ]; then
  full full-text 3 "pathway: error writing the summary" report clean.pw --facts one.jsonl
  full full-html 3 "pathway: error writing the summary" report clean.pw --facts one.jsonl --format html
  full full-help 3 "pathway: error writing standard output: No space left on device" --help
fi

# ---- the spellings of --version and --help
expect_status version 0 "$bin" version && expect_grep version out "pathway "
"$bin" --help >help.txt
for h in -h help; do
  expect_status "help-$h" 0 "$bin" "$h" && same "help-$h: the same as --help" help.txt "$tmp/help-$h.out"
done

exit $failed
