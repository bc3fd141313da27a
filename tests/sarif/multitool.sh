#!/usr/bin/env bash
# sarif.multitool: `pathway lint --format sarif` is ready for GitHub code
# scanning. Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool,
# pinned in tests/sarif/package.json and package-lock.json; its linux
# package is a self-contained .NET binary) validates, with its GitHub rules
# (`validate --rule-kind "Sarif;Gh"`), the logs of: the shipped rules
# (rules/), every tests/lint fixture with findings (*.bad.pw), and a file
# that does not compile. Each must have 0 errors and 0 warnings (the
# Multitool's notes are suggestions: message ids, snippets, rule names).
# Then what code scanning needs beyond the Multitool's checks: every rule
# with fullDescription, help (text and markdown) and a helpUri at its
# section of docs/lint.md; a compile error as a result under its code with
# its place; notes with a place linked from the message; fingerprints that
# do not change when the code moves down the file or is re-indented.
# The npm packages are installed with `npm ci` into the test's temp
# directory (the network is needed, or a filled npm cache in
# PW_NPM_CACHE). Skipped (77) where node or npm is not installed, except on
# CI (CI=true), where scripts/deps.sh installs them.
# usage: multitool.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
root=$(cd "$2" && pwd) || exit 1
here=$root/tests/sarif
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool node
require_tool npm

mkdir -p "$tmp/logs" "$tmp/work"
npm_ci "$here"
mt=$tmp/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
# npm may leave its postinstall (chmod u+x) unrun.
chmod u+x "$mt" 2>/dev/null
if ! DOTNET_CLI_TELEMETRY_OPTOUT=1 "$mt" --version >"$tmp/version" 2>&1; then
  echo "FAIL the SARIF Multitool does not run here:"; head -5 "$tmp/version"; exit 1
fi
ok "npm ci: $(head -1 "$tmp/version")"

# validate NAME LOG: 0 errors and 0 warnings from the Multitool's SARIF and
# GitHub rules.
validate() {
  local out=$tmp/logs/$1.validation
  DOTNET_CLI_TELEMETRY_OPTOUT=1 HOME=$tmp "$mt" validate --rule-kind "Sarif;Gh" --level "Error;Warning" \
    --log ForceOverwrite -o "$tmp/logs/$1.out.sarif" "$2" >"$out" 2>&1
  if ! grep -q "Analysis completed successfully" "$out"; then
    fail "$1: the Multitool did not complete:"; tail -5 "$out"; return
  fi
  local bad
  bad=$(grep -cE ': (error|warning) [A-Z]+[0-9]+' "$out")
  if [ "$bad" -eq 0 ]; then ok "$1: 0 errors, 0 warnings (Sarif;Gh rules)"
  else fail "$1: $bad errors or warnings:"; grep -E ': (error|warning) ' "$out" | head -10; fi
}

cd "$root" || exit 1
expect_status lint_rules 0 "$bin" lint --format sarif --fail-on never -o "$tmp/logs/rules.sarif" rules
validate rules "$tmp/logs/rules.sarif"
bad=$(find tests/lint -maxdepth 1 -name '*.bad.pw' | LC_ALL=C sort)
# shellcheck disable=SC2086
expect_status lint_fixtures 0 "$bin" lint --format sarif --fail-on never -o "$tmp/logs/fixtures.sarif" $bad
validate fixtures "$tmp/logs/fixtures.sarif"

# A file that does not compile, next to one with findings, in a scratch
# directory: relative names, as in a checkout.
cp -r tests/lint/lib "$tmp/work/lib"
cp tests/lint/PW112.bad.pw "$tmp/work/"
printf 'include "lib/coach.pw"\n\nprogram broken "Broken" {\n  require "x": nosuch >= 1\n}\n' >"$tmp/work/broken.pw"
cd "$tmp/work" || exit 1
expect_status lint_broken 1 "$bin" lint --format sarif -o "$tmp/logs/broken.sarif" \
  PW112.bad.pw broken.pw
validate broken "$tmp/logs/broken.sarif"

# Moved down two lines and indented: the same fingerprints.
mkdir -p moved && cp -r lib moved/lib && cp PW112.bad.pw moved/PW112.bad.pw
(cd moved && "$bin" lint --format sarif --fail-on never -o "$tmp/logs/orig.sarif" PW112.bad.pw) ||
  fail "lint of PW112.bad.pw failed"
{ printf '\n\n'; sed 's/^/  /' PW112.bad.pw; } >moved/PW112.bad.pw
(cd moved && "$bin" lint --format sarif --fail-on never -o "$tmp/logs/moved.sarif" PW112.bad.pw) ||
  fail "lint of the moved PW112.bad.pw failed"

cd "$root" || exit 1
if node - "$tmp/logs" >"$tmp/checks" 2>&1 <<'JS'; then
const fs = require('fs');
const dir = process.argv[2];
const load = (n) => JSON.parse(fs.readFileSync(`${dir}/${n}.sarif`, 'utf8')).runs[0];
const want = (ok, what) => { if (!ok) throw new Error(what); };
const lintMd = fs.readFileSync('docs/lint.md', 'utf8');
for (const name of ['rules', 'fixtures', 'broken']) {
  const run = load(name);
  const rules = run.tool.driver.rules;
  for (const r of rules) {
    want(r.fullDescription && r.fullDescription.text.endsWith('.'), `${name}: ${r.id}: fullDescription`);
    want(r.help && r.help.text && r.help.markdown, `${name}: ${r.id}: help text and markdown`);
    const page = r.id.startsWith('PW') ? 'docs/lint.md' : 'docs/errors.md';
    want(r.helpUri.endsWith(`${page}#${r.id.toLowerCase()}`), `${name}: ${r.id}: helpUri ${r.helpUri}`);
    if (r.id.startsWith('PW'))
      want(lintMd.includes(`<a id="${r.id.toLowerCase()}"></a>`), `${r.id}: no anchor in docs/lint.md`);
  }
  want(run.originalUriBaseIds['%SRCROOT%'].uri.startsWith('file:///') &&
       run.originalUriBaseIds['%SRCROOT%'].uri.endsWith('/'), `${name}: %SRCROOT%`);
  for (const res of run.results) {
    const loc = res.locations[0].physicalLocation;
    want(loc.artifactLocation.uriBaseId === '%SRCROOT%' && !loc.artifactLocation.uri.startsWith('/'),
         `${name}: ${res.ruleId}: relative uri under %SRCROOT%`);
    want(/^[0-9a-f]{16}:[0-9]+$/.test(res.partialFingerprints.primaryLocationLineHash),
         `${name}: ${res.ruleId}: primaryLocationLineHash`);
    want(rules[res.ruleIndex].id === res.ruleId, `${name}: ${res.ruleId}: ruleIndex`);
    for (const rel of res.relatedLocations || [])
      want(res.message.text.includes(`](${rel.id})`), `${name}: ${res.ruleId}: related location ${rel.id} not linked`);
  }
  const fps = run.results.map((r) => r.partialFingerprints.primaryLocationLineHash);
  want(new Set(fps).size === fps.length, `${name}: two results with one fingerprint`);
  want(run.invocations[0].executionSuccessful === (name !== 'broken'), `${name}: executionSuccessful`);
}
const fixtures = load('fixtures');
want(fixtures.results.length >= 40, `only ${fixtures.results.length} fixture results`);
want(fixtures.results.some((r) => (r.relatedLocations || []).length > 0), 'no related locations');
const broken = load('broken');
const e = broken.results.find((r) => r.ruleId === 'E0402');
want(e, 'the compile error E0402 is not a result');
const reg = e.locations[0].physicalLocation.region;
want(e.level === 'error' && e.locations[0].physicalLocation.artifactLocation.uri === 'broken.pw' &&
     reg.startLine === 4 && reg.startColumn === 16 && reg.endColumn === 22, `E0402's place: ${JSON.stringify(reg)}`);
want(broken.results.some((r) => r.ruleId === 'PW112'), 'the other file\'s findings are missing');
const fp = (n) => load(n).results.map((r) => `${r.ruleId} ${r.partialFingerprints.primaryLocationLineHash}`);
const moved = fp('moved'), orig = fp('orig');
want(orig.length > 0 && JSON.stringify(moved) === JSON.stringify(orig),
     `fingerprints changed when the code moved: ${orig} / ${moved}`);
want(JSON.stringify(load('moved').results.map((r) => r.locations[0].physicalLocation.region.startLine)) !==
     JSON.stringify(load('orig').results.map((r) => r.locations[0].physicalLocation.region.startLine)),
     'the moved copy did not move');
console.log(`${fixtures.results.length} fixture results, ${fixtures.tool.driver.rules.length} rules`);
JS
  ok "code scanning's needs: $(cat "$tmp/checks")"
else
  fail "the SARIF logs lack what code scanning needs:"; head -20 "$tmp/checks"
fi
exit $failed
