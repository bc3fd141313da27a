#!/usr/bin/env bash
# The edges of completion, test, fmt, disasm and lint (issue 23): options
# with values out of range, outputs that cannot be written, many syntax
# errors, sources of a .pwc moved or changed, lint run from a directory
# that was removed. Each case: the exact status and message.
# usage: command_edges.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
cd "$tmp" || exit 1

# expect_err NAME LINE: the first line of NAME's standard error is LINE.
expect_err() {
  local got
  got=$(head -n 1 "$tmp/$1.err")
  if [ "$got" = "$2" ]; then ok "$1: says '$2'"; else fail "$1: stderr '$got', expected '$2'"; fi
}

# expect_line NAME TEXT: a line of NAME's standard output is exactly TEXT.
expect_line() {
  if grep -qxF -- "$2" "$tmp/$1.out"; then ok "$1: has the line '$2'"; else
    fail "$1: no line '$2'"; grep -F -- "${2%%:*}" "$tmp/$1.out" | head -5 | sed 's/^/    /'; fi
}

# --- completion: a shell is needed, and one of the three --------------------------------
expect_status completion-none 2 "$bin" completion \
  && expect_err completion-none "pathway: no shell given (bash, zsh or fish)"
expect_status completion-tcsh 2 "$bin" completion tcsh \
  && expect_err completion-tcsh "pathway: unknown shell \`tcsh\` (expected bash, zsh or fish)"

# --- test: percentages from 0 to 100, with or without `%` --------------------------------
weak=$root/tests/mutate/weak.test.pw strong=$root/tests/mutate/strong.test.pw
for v in abc 101 -1 nan 5x 1e999 "" 50%%; do
  expect_status "min-coverage[$v]" 2 "$bin" test --min-coverage "$v" "$weak" \
    && expect_err "min-coverage[$v]" "pathway: --min-coverage: \`$v\` is not a percentage from 0 to 100"
done
expect_status min-score 2 "$bin" test --mutate --min-mutation-score 100.5 "$strong" \
  && expect_err min-score "pathway: --min-mutation-score: \`100.5\` is not a percentage from 0 to 100"
expect_status min-coverage-ok 0 "$bin" test --min-coverage 100% "$weak"
expect_status mutate-min-coverage 2 "$bin" test --mutate --min-coverage 50 "$strong" \
  && expect_err mutate-min-coverage "pathway: --mutate reports as text, json or sarif; it takes no --coverage, --min-coverage or --format junit|github"

# --- test: -o that cannot be written is 3, for the report, the XML and --mutate ----------
nodir="cannot open its directory nodir: No such file or directory"
expect_status test-o 3 "$bin" test "$weak" -o nodir/report.txt \
  && expect_err test-o "pathway: cannot write nodir/report.txt: $nodir"
expect_status test-o-junit 3 "$bin" test "$weak" --format junit -o nodir/report.xml \
  && expect_err test-o-junit "pathway: cannot write nodir/report.xml: $nodir"
expect_status mutate-o 3 "$bin" test --mutate "$strong" -o nodir/mutants.txt \
  && expect_err mutate-o "pathway: cannot write nodir/mutants.txt: $nodir"
# ... and one that can: the file holds the JSON, standard output nothing.
expect_status mutate-o-json 0 "$bin" test --mutate --format json "$strong" -o mutants.json
if [ ! -s "$tmp/mutate-o-json.out" ] && grep -q '"mutants":6,"killed":6,"survived":0' mutants.json; then
  ok "mutate-o-json: the JSON in the file, nothing on standard output"
else fail "mutate-o-json: output misplaced"; fi

# --- test --mutate of a directory without rule files: said, and nothing else ---------------
mkdir empty
expect_status mutate-empty 0 "$bin" test --mutate empty \
  && expect_err mutate-empty "pathway: note: no *.pw files under empty"
if [ ! -s "$tmp/mutate-empty.out" ]; then ok "mutate-empty: no report"; else fail "mutate-empty: a report"; fi
expect_status mutate-empty-o 0 "$bin" test --mutate -o empty.txt empty
if [ -f empty.txt ] && [ ! -s empty.txt ]; then ok "mutate-empty-o: an empty file"; else fail "mutate-empty-o: no empty file"; fi
expect_status mutate-empty-json 0 "$bin" test --mutate --format json empty \
  && expect_out mutate-empty-json <<'EOF'
{"files":[],"mutants":0,"killed":0,"survived":0,"not_compiled":0,"equivalent":0,"score":100.0}
EOF

# --- fmt: errors past the limit, files not formatted ------------------------------------
for i in $(seq 60); do echo "define x$i = = ="; done >many.pw
expect_status fmt-many 1 "$bin" fmt many.pw
if [ "$(grep -c '^many.pw:.*error' fmt-many.err)" = 50 ] \
    && [ "$(tail -n 2 fmt-many.err)" = "error: too many errors; stopped reporting after 50
60 errors generated." ]; then ok "fmt-many: 50 errors shown, the rest counted"
else fail "fmt-many: not 50 errors and the count"; tail -n 3 fmt-many.err; fi
printf 'define  a = 1\n' >ugly1.pw
printf 'define b =  2\n' >ugly2.pw
expect_status fmt-two 1 "$bin" fmt --check ugly1.pw ugly2.pw \
  && expect_err fmt-two "pathway: 2 files are not formatted (\`pathway fmt -w\` rewrites them)"

# A file of blank lines formats to nothing: printed as nothing, a diff that
# removes every line, rewritten empty.
: >empty.pw
printf '\n\n' >blank.pw
expect_status fmt-empty 0 "$bin" fmt empty.pw && expect_out fmt-empty </dev/null
expect_status fmt-blank 1 "$bin" fmt --check blank.pw && expect_out fmt-blank <<'EOF'
--- blank.pw.orig
+++ blank.pw
@@ -1,2 +0,0 @@
-
-
EOF
expect_status fmt-blank-w 0 "$bin" fmt -w blank.pw
if [ -f blank.pw ] && [ ! -s blank.pw ]; then ok "fmt-blank-w: rewritten empty"; else fail "fmt-blank-w: not empty"; fi

# --- disasm: source lines of a .pwc whose sources moved or changed ----------------------
# The bytecode names the main file's includes from its directory, and one
# included by an absolute name by that name.
mkdir -p d/r
sed -n 1,12p "$root/tests/mutate/rules.pw" >d/r/facts.pw
{ echo "include \"$tmp/d/r/facts.pw\""; sed -n '13,$p' "$root/tests/mutate/rules.pw"; } >d/r/main.pw
expect_status compile 0 "$bin" compile d/r/main.pw -o d/main.pwc
# Beside the .pwc, with the sources under r/: no main.pw there nor in the
# working directory, so its lines have no text; facts.pw, absolute, has.
expect_status disasm-moved 0 "$bin" disasm d/main.pwc \
  && expect_line disasm-moved "; $tmp/d/r/facts.pw:12: define age = years since birth_date" \
  && expect_line disasm-moved "; main.pw:4"
# Named without a directory, from the working directory: found there.
(cd d/r && "$bin" disasm ../main.pwc >"$tmp/disasm-cwd.out" 2>&1
 cp ../main.pwc . && "$bin" disasm main.pwc >"$tmp/disasm-here.out" 2>&1)
expect_line disasm-cwd '; main.pw:4: require "at least 16 years of age": age >= 16'
expect_line disasm-here '; main.pw:4: require "at least 16 years of age": age >= 16'
# Shorter than the bytecode says: the lines past its end have no text.
head -n 3 d/r/main.pw >d/r/short.pw && mv d/r/short.pw d/r/main.pw
(cd d/r && "$bin" disasm main.pwc >"$tmp/disasm-short.out" 2>&1)
expect_line disasm-short '; main.pw:4'
expect_line disasm-short '; main.pw:5'
# Larger than a source may be (16 MiB, sparse): read as not there.
truncate -s 17M d/r/facts.pw
(cd d/r && "$bin" disasm main.pwc >"$tmp/disasm-big.out" 2>&1)
expect_line disasm-big "; $tmp/d/r/facts.pw:12"

# --- lint --format sarif ------------------------------------------------------------------
printf 'define a = b\ndefine c = d\n' >twice.pw
expect_status lint-twice 1 "$bin" lint --format sarif twice.pw
# The compiler's code is one rule of the driver, however many results it has.
if command -v python3 >/dev/null; then
  if python3 - "$tmp/lint-twice.out" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
res = [r["ruleId"] for r in run["results"]]
assert ids.count("E0402") == 1 and res.count("E0402") == 2, (ids, res)
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://" + sys.argv[1].rsplit("/", 1)[0] + "/"
PY
  then ok "lint-twice: E0402 one rule, two results, %SRCROOT% the working directory"
  else fail "lint-twice: rules or results not as expected"; fi
fi
# A compile error's region is never empty (one at the end of the file is
# one character wide) and may span lines; bytecode is refused, the run failed.
printf 'facts coach { id: text }\ndefine a = ' >eof.pw
printf 'facts coach { id: text }\ndefine a: boolean = 1 +\n 2\n' >span.pw
expect_status lint-eof 1 "$bin" lint --format sarif eof.pw \
  && expect_grep lint-eof out '"region":{"startLine":2,"startColumn":11,"endLine":2,"endColumn":12}'
expect_status lint-span 1 "$bin" lint --format sarif span.pw \
  && expect_grep lint-span out '"region":{"startLine":2,"startColumn":21,"endLine":3,"endColumn":3}'
expect_status lint-pwc 2 "$bin" lint --format sarif d/main.pwc \
  && expect_err lint-pwc "pathway: d/main.pwc is compiled bytecode; lint reads rule source (.pw)" \
  && expect_grep lint-pwc out '"invocations":[{"executionSuccessful":false}]'
# Run from a directory that was removed: no %SRCROOT%, the files' own URIs.
mkdir gone
(cd gone && rmdir "$tmp/gone" && "$bin" lint --format sarif "$tmp/twice.pw" >"$tmp/lint-gone.out" 2>"$tmp/lint-gone.err"
 echo $? >"$tmp/lint-gone.status")
if [ "$(cat lint-gone.status)" = 1 ] && ! grep -q SRCROOT lint-gone.out \
    && grep -qF "\"artifactLocation\":{\"uri\":\"file://$tmp/twice.pw\"}" lint-gone.out; then
  ok "lint-gone: status 1, no %SRCROOT%, absolute URIs"
else fail "lint-gone: status $(cat lint-gone.status)"; head -c 400 lint-gone.out; fi

exit $failed
