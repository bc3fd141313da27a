#!/usr/bin/env bash
# cli.exit_status: the one exit-status convention of the commands that
# check rule files (docs/cli.md, "Exit status"), command by command:
#   0 clean; 1 problems in the rules (errors, a file that does not compile
#   or parse, lint findings at --fail-on, files not formatted); 2 the command
#   could not do what was asked (a usage error, a file named that cannot be
#   read: missing, a directory, not a regular file; bytecode where source is
#   needed); 3 an output that cannot be written.
# In every output format, and whatever lint's --fail-on says about a file
# that does not compile.
# usage: exit_status.sh PATHWAY_BINARY
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
cd "$tmp" || exit 1

printf 'facts coach {\n  id: text\n  age: integer\n}\n\nprogram p "P" {\n  require "adult": age >= 18\n}\n' >clean.pw
printf 'facts coach {\n  id: text\n  age: integer\n}\n\nprogram p "P" {\n  require "x": nope >= 1\n}\n' >broken.pw
printf 'program p {\n  require "a" x\n}\n' >unparsed.pw
printf 'facts coach {\n  id: text\n  age: integer\n}\n\nprogram p "P" {\n  require "never": age >= 18 and age < 16\n}\n' >finding.pw
printf 'facts coach {\n  id:   text\n  age: integer\n}\n\nprogram p "P" {\n  require "adult": age >= 18\n}\n' >messy.pw
mkdir dir
"$bin" compile clean.pw -o clean.pwc >/dev/null 2>&1 || fail "compile clean.pw"

# check
expect_status check_clean 0 "$bin" check clean.pw
expect_status check_broken 1 "$bin" check broken.pw clean.pw
for format in json github; do
  expect_status "check_broken_$format" 1 "$bin" check --format "$format" broken.pw
done
expect_status check_missing 2 "$bin" check none.pw clean.pw && expect_grep check_missing err "cannot read \`none.pw\`"
# A directory stands for its *.pw files (none here: a note, as for lint and test).
expect_status check_dir 0 "$bin" check dir && expect_grep check_dir err "no *.pw files under dir"
cp broken.pw dir/
expect_status check_dir_broken 1 "$bin" check dir
expect_status check_missing_and_broken 2 "$bin" check none.pw broken.pw
expect_status check_usage 2 "$bin" check --nope clean.pw

# lint
expect_status lint_clean 0 "$bin" lint clean.pw
expect_status lint_finding 1 "$bin" lint finding.pw
expect_status lint_finding_never 0 "$bin" lint --fail-on never finding.pw
for format in text json sarif github; do
  expect_status "lint_broken_$format" 1 "$bin" lint --format "$format" broken.pw clean.pw
  expect_status "lint_broken_never_$format" 1 "$bin" lint --format "$format" --fail-on never broken.pw
done
expect_status lint_missing 2 "$bin" lint none.pw && expect_grep lint_missing err "cannot read \`none.pw\`"
expect_status lint_bytecode 2 "$bin" lint clean.pwc
expect_status lint_usage 2 "$bin" lint --format nope clean.pw

# fmt
"$bin" fmt clean.pw >formatted.pw 2>/dev/null && mv formatted.pw clean.pw
expect_status fmt_clean 0 "$bin" fmt --check clean.pw
expect_status fmt_unformatted 1 "$bin" fmt --check messy.pw
expect_status fmt_unparsed_check 1 "$bin" fmt --check unparsed.pw clean.pw
expect_status fmt_unparsed_print 1 "$bin" fmt unparsed.pw
expect_status fmt_unparsed_write 1 "$bin" fmt -w unparsed.pw
expect_status fmt_missing 2 "$bin" fmt --check none.pw
expect_status fmt_usage 2 "$bin" fmt --check -w clean.pw

# test: a file that does not compile is a failure (1), as for the others.
expect_status test_broken 1 "$bin" test broken.pw
expect_status test_usage 2 "$bin" test --nope broken.pw
expect_status test_missing 2 "$bin" test none.pw broken.pw && expect_grep test_missing err "cannot read \`none.pw\`"
exit $failed
