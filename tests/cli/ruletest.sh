#!/usr/bin/env bash
# `pathway test` and `pathway check --list-assumptions`: pinned reports (text,
# JUnit XML, coverage, assumptions), directory runs, files that do not
# compile, --min-coverage, -o, and exit statuses.
# usage: ruletest.sh PATHWAY_BINARY REPOSITORY_ROOT
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

# Paths in the reports are as given: run from the fixtures so they are short.
cd "$fixtures" || exit 1

# JUnit times vary from run to run.
no_times() { sed -E 's/time="[0-9.]+"/time="T"/g' "$1"; }
valid_xml() {
  if ! command -v python3 >/dev/null; then ok "$1: (python3 absent: XML not parsed)"; return; fi
  if python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$2" 2>"$tmp/xml.err"; then
    ok "$1: well-formed XML"; else fail "$1: not well-formed XML"; cat "$tmp/xml.err"; fi
}

# --- help and usage ---------------------------------------------------------------
expect_status help 0 "$bin" test --help && expect_grep help out "usage: pathway test"
expect_status main-help 0 "$bin" --help && expect_grep main-help out "test FILE|DIR..."
expect_status no-files 2 "$bin" test && expect_grep no-files err "no rule files or directories given"
expect_status bad-format 2 "$bin" test --format xml pass.test.pw && expect_grep bad-format err "unknown format \`xml\`"
expect_status bad-option 2 "$bin" test --verbose pass.test.pw && expect_grep bad-option err "unknown option \`--verbose\`"
expect_status bad-min 2 "$bin" test --min-coverage lots pass.test.pw && expect_grep bad-min err "--min-coverage"
expect_status min-over-100 2 "$bin" test --min-coverage 101 pass.test.pw

# --- passing tests ---------------------------------------------------------------------
expect_status pass 0 "$bin" test pass.test.pw
expect_grep pass out "PASS pass.test.pw:18 a 14-year-old may take the starter course, not the coach course"
expect_grep pass out "4 tests: 4 passed, 0 failed"
[ -s "$tmp/pass.err" ] && fail "pass: wrote to standard error" || ok "pass: quiet on standard error"
# The rules alone declare no tests: not an error.
expect_status no-tests 0 "$bin" test lib.pw && expect_grep no-tests out "0 tests: 0 passed, 0 failed"

# --- failing tests: the readable report and the JUnit XML are pinned ----------------------
expect_status broken 1 "$bin" test broken.test.pw
expect_golden broken "$tmp/broken.out" broken.expected
expect_status broken-junit 1 "$bin" test --format junit broken.test.pw
no_times "$tmp/broken-junit.out" >"$tmp/broken.junit"
expect_golden broken-junit "$tmp/broken.junit" broken.junit.expected
valid_xml broken-junit "$tmp/broken-junit.out"
# With the XML on standard output, the readable report goes to standard error.
expect_grep broken-junit err "5 tests: 1 passed, 3 failed, 1 error"

# -o: the XML to a file, the report to standard output.
expect_status junit-file 1 "$bin" test --format junit -o "$tmp/report.xml" broken.test.pw
no_times "$tmp/report.xml" >"$tmp/report.junit"
expect_golden junit-file "$tmp/report.junit" broken.junit.expected
cmp -s "$tmp/junit-file.out" broken.expected && ok "junit-file: report on standard output" \
  || fail "junit-file: standard output is not the readable report"
expect_status text-file 1 "$bin" test --output="$tmp/report.txt" broken.test.pw
cmp -s "$tmp/report.txt" broken.expected && ok "text-file: report written" || fail "text-file: report differs"
[ -s "$tmp/text-file.out" ] && fail "text-file: also wrote to standard output" || ok "text-file: nothing on standard output"

# Markup and quotes in titles and messages are escaped.
cat >"$tmp/escape.test.pw" <<'PW'
include "FIXTURES/lib.pw"
test "<a & 'b'> \"c\"" {
  as of 2026-06-01
  given { id: "x" birth_date: 2020-01-01 }
  expect starter eligible
}
PW
sed -i "s|FIXTURES|$fixtures|" "$tmp/escape.test.pw"
expect_status escape 1 "$bin" test --format junit "$tmp/escape.test.pw"
expect_grep escape out 'name="&lt;a &amp; &#39;b&#39;&gt; &quot;c&quot;"'
valid_xml escape "$tmp/escape.out"

# --- files that do not compile -----------------------------------------------------------
expect_status uncompiled 1 "$bin" test uncompiled/bad.pw pass.test.pw
expect_grep uncompiled err "uncompiled/bad.pw:7:10: error: unknown program \`startr\`"
expect_grep uncompiled out "FAIL uncompiled/bad.pw: does not compile"
expect_grep uncompiled out "PASS pass.test.pw:38"
expect_grep uncompiled out "4 tests: 4 passed, 0 failed; 1 file does not compile"
expect_status uncompiled-junit 1 "$bin" test --format junit uncompiled/bad.pw
expect_grep uncompiled-junit out '<error message="uncompiled/bad.pw:7:10: unknown program `startr`'
valid_xml uncompiled-junit "$tmp/uncompiled-junit.out"
# A file named that cannot be read: the command could not do its job (docs/cli.md, "Exit status").
expect_status missing-file 2 "$bin" test nowhere.pw && expect_grep missing-file err "cannot read \`nowhere.pw\`"

# --- directories ---------------------------------------------------------------------------
expect_status tree 0 "$bin" test tree
grep -E '^(PASS|FAIL)' "$tmp/tree.out" >"$tmp/tree.lines"
printf '%s\n' "PASS tree/a.test.pw:8 a 16-year-old may help" "PASS tree/a.test.pw:14 a 15-year-old may not help" \
  "PASS tree/sub/b.test.pw:3 a coach of one athlete meets the preference" >"$tmp/tree.want"
cmp -s "$tmp/tree.lines" "$tmp/tree.want" && ok "tree: every test file, sorted, recursively" \
  || { fail "tree: unexpected tests"; cat "$tmp/tree.lines"; }
expect_grep tree out "3 tests: 3 passed, 0 failed"
expect_status tree-slash 0 "$bin" test tree/ && expect_grep tree-slash out "PASS tree/sub/b.test.pw:3"
mkdir "$tmp/empty"
expect_status empty-dir 0 "$bin" test "$tmp/empty" && expect_grep empty-dir err "note: no *.pw files under"
expect_status dir-mixed 1 "$bin" test uncompiled tree && expect_grep dir-mixed out "3 tests: 3 passed, 0 failed; 1 file does not compile"

# --- coverage -------------------------------------------------------------------------------
expect_status coverage 0 "$bin" test --coverage pass.test.pw
sed -n '/^coverage/,/^total/p' "$tmp/coverage.out" >"$tmp/coverage.txt"
expect_golden coverage "$tmp/coverage.txt" coverage.expected
expect_status min-met 0 "$bin" test --min-coverage 36 pass.test.pw
expect_status min-short 1 "$bin" test --min-coverage 37 pass.test.pw
expect_grep min-short out "FAIL coverage 36.3% is below the minimum of 37%"
expect_status min-100-short 1 "$bin" test --min-coverage=100% pass.test.pw
# Coverage merges over compilations: the directory's rules are compiled three times.
expect_status min-100 0 "$bin" test --coverage --min-coverage 100 tree
expect_grep min-100 out "tree/rules.pw:12: helper: 2/2 requirements covered"
[ "$(grep -c 'helper:' "$tmp/min-100.out")" -eq 1 ] && ok "min-100: one entry per program version" \
  || fail "min-100: program listed more than once"
expect_grep min-100 out "total: 2/2 requirements covered (100.0%)"

# --- check --list-assumptions -------------------------------------------------------------
expect_status assumptions 0 "$bin" check --list-assumptions pass.test.pw lib.pw
expect_golden assumptions "$tmp/assumptions.out" assumptions.expected
expect_status assumptions-json 0 "$bin" check --list-assumptions --format json lib.pw
expect_golden assumptions-json "$tmp/assumptions-json.out" assumptions.jsonl.expected
if command -v python3 >/dev/null; then
  python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/assumptions-json.out" \
    && ok "assumptions-json: every line is JSON" || fail "assumptions-json: a line is not JSON"
fi
expect_status assumptions-none 0 "$bin" check --list-assumptions tree/rules.pw
[ -s "$tmp/assumptions-none.out" ] && fail "assumptions-none: printed something" || ok "assumptions-none: nothing to list"
expect_status assumptions-bad 1 "$bin" check --list-assumptions uncompiled/bad.pw
expect_grep assumptions-bad err "unknown program \`startr\`"
[ -s "$tmp/assumptions-bad.out" ] && fail "assumptions-bad: listed assumptions of a broken file" || ok "assumptions-bad: no listing"

exit $failed
