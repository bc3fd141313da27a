#!/usr/bin/env bash
# `pathway lint`: for every check a rule file that triggers it and one that
# does not (tests/lint/PWnnn.bad.pw, PWnnn.good.pw), the findings pinned as
# text (PWnnn.bad.expected); every code documented in docs/lint.md has its
# pair; more findings of a code at its edges (tests/lint/edges/PWnnn-*.pw,
# pinned as *.expected); JSON lines and SARIF (checked by tests/lint/sarif_check.py against
# the SARIF 2.1.0 schema's rules); --fail-on, -o, directories, files that
# do not compile, exit statuses; and the shipped rules lint clean.
# usage: lint.sh PATHWAY_BINARY REPOSITORY_ROOT
# Run with UPDATE_GOLDEN=1 to rewrite the pinned findings after a deliberate
# change (then review the diff).
set -uo pipefail
bin=$1 root=$2
fixtures=$root/tests/lint
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

# Paths in the findings are as given: run from the fixtures so they are short.
cd "$fixtures" || exit 1

have_python=0
command -v python3 >/dev/null && have_python=1
valid_sarif() { # NAME FILE [RESULTS]
  if [ "$have_python" = 0 ]; then ok "$1: (python3 absent: SARIF not checked)"; return; fi
  if python3 sarif_check.py "$2" ${3:+--results "$3"} >"$tmp/sarif.err" 2>&1; then
    ok "$1: valid SARIF 2.1.0${3:+ with $3 results}"
  else
    fail "$1: SARIF"; sed 's/^/    /' "$tmp/sarif.err" | head -20
  fi
}
# The number of findings in a text report: its headers that carry a code.
count_findings() { grep -cE '^[^ ].*: (error|warning|note): .* \[PW[0-9]+\]$' "$1"; }

# --- every check: the bad file pinned, the good file clean ------------------------------
codes=$(grep -oE '^## PW[0-9]{3}' "$root/docs/lint.md" | cut -c4-)
[ -n "$codes" ] || fail "docs/lint.md documents no PWnnn check"
for code in $codes; do
  [ -f "$code.bad.pw" ] || { fail "$code: no $code.bad.pw"; continue; }
  [ -f "$code.good.pw" ] || { fail "$code: no $code.good.pw"; continue; }
  # --fail-on note: a check that reports notes (PW191) fails too.
  if expect_status "$code.bad" 1 "$bin" lint --fail-on note "$code.bad.pw"; then
    expect_golden "$code.bad" "$tmp/$code.bad.out" "$code.bad.expected"
    expect_grep "$code.bad" out "[$code]"
  fi
  if expect_status "$code.good" 0 "$bin" lint --fail-on note "$code.good.pw"; then
    [ -s "$tmp/$code.good.out" ] && { fail "$code.good: findings"; sed 's/^/    /' "$tmp/$code.good.out"; } \
      || ok "$code.good: no findings"
  fi
done
# And no fixture without its documentation.
for f in PW*.bad.pw; do
  code=${f%.bad.pw}
  grep -q "^## $code" "$root/docs/lint.md" && ok "$code: documented" || fail "$code: not in docs/lint.md"
done

# --- each check at its edges: more findings of the code a file is named after, pinned -------
for f in edges/*.pw; do
  name=edge-$(basename "$f" .pw)
  if expect_status "$name" 1 "$bin" lint --fail-on note "$f"; then
    expect_golden "$name" "$tmp/$name.out" "${f%.pw}.expected"
    expect_grep "$name" out "[$(basename "$f" | cut -c1-5)]"
  fi
done

# --- the shipped rules ----------------------------------------------------------------------
expect_status shipped 0 "$bin" lint --fail-on note "$root/rules"
[ -s "$tmp/shipped.out" ] && { fail "shipped: findings"; sed 's/^/    /' "$tmp/shipped.out" | head -40; } \
  || ok "shipped: rules/ lints clean"

# --- help and usage ---------------------------------------------------------------------------
expect_status help 0 "$bin" lint --help && expect_grep help out "usage: pathway lint"
expect_status main-help 0 "$bin" --help && expect_grep main-help out "lint FILE|DIR..."
expect_status no-files 2 "$bin" lint && expect_grep no-files err "no rule files or directories given"
expect_status bad-format 2 "$bin" lint --format xml PW101.bad.pw && expect_grep bad-format err "unknown format \`xml\`"
expect_status bad-fail-on 2 "$bin" lint --fail-on sometimes PW101.bad.pw && expect_grep bad-fail-on err "--fail-on"
expect_status bad-option 2 "$bin" lint --verbose PW101.bad.pw && expect_grep bad-option err "unknown option \`--verbose\`"
expect_status missing-value 2 "$bin" lint PW101.bad.pw -o

# --- text: the closing tally --------------------------------------------------------------------
expect_status tally 1 "$bin" lint PW101.bad.pw PW110.bad.pw PW191.bad.pw
expect_grep tally out "5 warnings, 7 errors and 4 notes generated."
expect_status tally-notes 0 "$bin" lint PW191.bad.pw && expect_grep tally-notes out "4 notes generated."
expect_status tally-mixed 1 "$bin" lint PW110.bad.pw PW191.bad.pw
expect_grep tally-mixed out "7 errors and 4 notes generated."
[ -s "$tmp/tally.err" ] && fail "tally: wrote to standard error" || ok "tally: quiet on standard error"

# --- --fail-on -------------------------------------------------------------------------------------
expect_status fail-on-default-notes 0 "$bin" lint PW191.bad.pw
expect_status fail-on-note 1 "$bin" lint --fail-on note PW191.bad.pw
expect_status fail-on-warning 1 "$bin" lint --fail-on=warning PW101.bad.pw
expect_status fail-on-error-warnings 0 "$bin" lint --fail-on error PW101.bad.pw
expect_status fail-on-error-errors 1 "$bin" lint --fail-on error PW110.bad.pw
expect_status fail-on-never 0 "$bin" lint --fail-on never PW110.bad.pw
expect_grep fail-on-never out "7 errors generated."

# --- -o: the findings to a file, atomically -----------------------------------------------------------
expect_status output 1 "$bin" lint -o "$tmp/report.txt" PW101.bad.pw
cmp -s "$tmp/report.txt" <(cat PW101.bad.expected) && ok "output: the report written" || fail "output: the report differs"
[ -s "$tmp/output.out" ] && fail "output: also wrote to standard output" || ok "output: nothing on standard output"

# --- files that do not compile: their errors as `check` prints them; the others still linted -------------
printf 'facts coach { id: text }\nprogram p "P" { require "x": nope }\n' >"$tmp/broken.pw"
expect_status uncompiled 1 "$bin" lint "$tmp/broken.pw" PW101.bad.pw
expect_grep uncompiled err "error: unknown name \`nope\`"
expect_grep uncompiled err "1 error generated."
expect_grep uncompiled out "[PW101]"
"$bin" check "$tmp/broken.pw" 2>"$tmp/check.err"
diff -u "$tmp/check.err" "$tmp/uncompiled.err" >/dev/null && ok "uncompiled: errors as check prints them" \
  || fail "uncompiled: errors differ from check's"
expect_status missing 2 "$bin" lint "$tmp/no-such-file.pw" && expect_grep missing err "cannot read"
"$bin" compile PW101.good.pw -o "$tmp/rules.pwc" >/dev/null 2>&1
expect_status bytecode 2 "$bin" lint "$tmp/rules.pwc" && expect_grep bytecode err "is compiled bytecode"

# --- directories ----------------------------------------------------------------------------------------
expect_status dir 1 "$bin" lint .
n_dir=$(count_findings "$tmp/dir.out")
n_files=0
for f in $(find . -name '*.pw' | sort); do
  "$bin" lint "$f" >"$tmp/one.out" 2>/dev/null
  n_files=$((n_files + $(count_findings "$tmp/one.out")))
done
[ "$n_dir" -gt 0 ] && [ "$n_dir" = "$n_files" ] && ok "dir: $n_dir findings, as file by file" \
  || fail "dir: $n_dir findings, but $n_files file by file"
mkdir "$tmp/empty"
expect_status empty-dir 0 "$bin" lint "$tmp/empty" && expect_grep empty-dir err "no *.pw files"

# --- JSON: one object per finding, with its code -----------------------------------------------------------
expect_status json 1 "$bin" lint --format json PW114.bad.pw
if [ "$have_python" = 1 ]; then
  python3 - "$tmp/json.out" >"$tmp/json.check" 2>&1 <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objs = [json.loads(l) for l in lines]
assert len(objs) == 3, len(objs)
assert all(o["code"] == "PW114" and o["severity"] == "warning" for o in objs)
assert objs[0]["fix"] == '"usatf"' and objs[0]["line"] == 6 and objs[0]["column"] == 36
assert objs[0]["end_column"] == 44
PY
  [ $? = 0 ] && ok "json: three PW114 objects, with the fix" || { fail "json"; cat "$tmp/json.check"; }
fi
expect_status json-uncompiled 1 "$bin" lint --format json "$tmp/broken.pw"
expect_grep json-uncompiled out '"code":"E0402"'

# --- SARIF ---------------------------------------------------------------------------------------------------
expect_status sarif 1 "$bin" lint --format sarif PW114.bad.pw
valid_sarif sarif "$tmp/sarif.out" 3
expect_status sarif-all 1 "$bin" lint --format sarif .
valid_sarif sarif-all "$tmp/sarif-all.out" "$n_dir"
expect_status sarif-clean 0 "$bin" lint --format sarif "$root/rules"
valid_sarif sarif-clean "$tmp/sarif-clean.out" 0
expect_status sarif-file 1 "$bin" lint --format=sarif -o "$tmp/lint.sarif" PW120.bad.pw PW133.bad.pw
valid_sarif sarif-file "$tmp/lint.sarif" 6
if [ "$have_python" = 1 ]; then
  python3 - "$tmp/lint.sarif" >"$tmp/sarif.check" 2>&1 <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
driver = run["tool"]["driver"]
assert driver["name"] == "pathway" and driver["version"] and driver["informationUri"]
ids = [r["id"] for r in driver["rules"]]
assert ids[0] == "PW101" and "PW191" in ids, ids
for r in driver["rules"]:
    assert r["helpUri"].endswith("docs/lint.md#" + r["id"].lower()), r["helpUri"]
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
res = run["results"]
cycle = [r for r in res if r["ruleId"] == "PW120"][0]
assert cycle["level"] == "error"
assert cycle["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "PW120.bad.pw"
assert cycle["locations"][0]["physicalLocation"]["region"] == \
    {"startLine": 4, "startColumn": 9, "endLine": 4, "endColumn": 18}
assert len(cycle["relatedLocations"]) == 2, cycle
assert "cycle" in cycle["message"]["text"]
group = [r for r in res if r["ruleId"] == "PW133"][0]
change = group["fixes"][0]["artifactChanges"][0]
assert change["replacements"][0]["insertedContent"]["text"] == 'member("usatf")'
assert change["replacements"][0]["deletedRegion"]["endLine"] == 7
PY
  [ $? = 0 ] && ok "sarif-file: driver, rules, locations and fixes as expected" || { fail "sarif-file"; cat "$tmp/sarif.check"; }
fi

exit $failed
