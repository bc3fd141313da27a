#!/usr/bin/env bash
# editors.textmate: the VS Code extension's TextMate grammar
# (editors/vscode/syntaxes/pathway.tmLanguage.json) run through
# vscode-textmate with vscode-oniguruma, the libraries VS Code uses, over
# every shipped rule file (rules/**/*.pw) and tests/editors/fixture.pw (every
# construct of the language). Each file's token scopes must equal its golden
# file in tests/editors/golden/ (UPDATE_GOLDEN=1 to accept a deliberate
# change; review the diff). textmate.js also fails when a token is left with
# only the root scope, or a reserved word of grammar/lexer.l is not scoped as
# a keyword (or the fixture lacks one).
# The npm packages are pinned in tests/editors/package.json and
# package-lock.json and installed with `npm ci` into the test's temp
# directory (the network is needed, or a filled npm cache in
# PW_NPM_CACHE). Skipped (77) where node or npm is not installed, except on
# CI (CI=true), where scripts/deps.sh installs them.
# usage: textmate.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
root=$(cd "$2" && pwd) || exit 1
here=$root/tests/editors
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool node
require_tool npm

mkdir -p "$tmp/tokens"
npm_ci "$here"
ok "npm ci: vscode-textmate and vscode-oniguruma installed"

cd "$root" || exit 1
# The extension's manifest: the language, its files, its grammar and
# language configuration, and the settings that start `pathway lsp`.
rulefiles=$(find rules tests/editors -name '*.pw' ! -name invalid.pw | LC_ALL=C sort)
# shellcheck disable=SC2086
if node - $rulefiles >"$tmp/manifest" 2>&1 <<'JS'
const fs = require('fs');
const dir = 'editors/vscode';
const pkg = JSON.parse(fs.readFileSync(`${dir}/package.json`, 'utf8'));
const c = pkg.contributes, want = (ok, what) => { if (!ok) throw new Error(what); };
want(c.languages[0].id === 'pathway' && c.languages[0].extensions.includes('.pw'), 'language pathway, .pw');
want(c.grammars[0].scopeName === 'source.pathway' && fs.existsSync(`${dir}/${c.grammars[0].path}`), 'grammar');
const conf = JSON.parse(fs.readFileSync(`${dir}/${c.languages[0].configuration}`, 'utf8'));
want(conf.comments.lineComment === '#', 'line comments are #');
want(new RegExp(conf.wordPattern).test('birth_date'), 'word pattern');
const p = c.configuration.properties;
want(p['pathway.server.path'].default === 'pathway', 'pathway.server.path defaults to pathway');
want(JSON.stringify(p['pathway.server.args'].default) === '["lsp"]', 'pathway.server.args defaults to ["lsp"]');
want(pkg.dependencies['vscode-languageclient'] && pkg.main === './extension.js', 'client');
// The indentation rules agree with `pathway fmt`: in every formatted rule
// file, the line after one that opens a bracket is one level (2 spaces)
// in, or back out when it closes one.
const inc = new RegExp(conf.indentationRules.increaseIndentPattern);
const dec = new RegExp(conf.indentationRules.decreaseIndentPattern);
const indent = (l) => l.match(/^ */)[0].length;
let opened = 0;
for (const f of process.argv.slice(2)) {
  const lines = fs.readFileSync(f, 'utf8').split('\n');
  lines.forEach((l, i) => {
    if (!inc.test(l)) return;
    opened++;
    const next = lines.slice(i + 1).find((n) => n.trim());
    const expected = indent(l) + (dec.test(next) ? 0 : 2);
    want(indent(next) === expected, `${f}: after line ${i + 1}: indented ${indent(next)}, the rules say ${expected}`);
  });
}
want(opened > 100, `only ${opened} lines open a block`);
console.log(`${opened} blocks`);
JS
then ok "editors/vscode/package.json declares the language, grammar and server settings;"\
  "the indentation rules agree with fmt ($(cat "$tmp/manifest"))"
else fail "editors/vscode/package.json:"; cat "$tmp/manifest"; fi
expect_status extension.syntax 0 node --check editors/vscode/extension.js
# The fixture is real Pathway: it compiles, lints clean and its tests pass.
expect_status fixture.test 0 "$bin" test tests/editors/fixture.pw
expect_status fixture.lint 0 "$bin" lint tests/editors/fixture.pw
files=(tests/editors/fixture.pw tests/editors/invalid.pw)
while IFS= read -r f; do files+=("$f"); done < <(find rules -name '*.pw' | LC_ALL=C sort)
if [ ${#files[@]} -lt 4 ]; then fail "found only ${#files[@]} rule files"; fi
if NODE_PATH=$tmp/npm/node_modules node "$here/textmate.js" \
     editors/vscode/syntaxes/pathway.tmLanguage.json grammar/lexer.l "$tmp/tokens" "$root" \
     --fixture "${files[@]}" >"$tmp/checks" 2>&1; then
  ok "every token highlighted, every reserved word a keyword (${#files[@]} files)"
else
  fail "textmate.js found problems:"; head -40 "$tmp/checks"
fi
for f in "${files[@]}"; do
  name=${f//\//__}.tokens
  [ -f "$tmp/tokens/$name" ] || { fail "$f: no tokens written"; continue; }
  expect_golden "$f" "$tmp/tokens/$name" "$here/golden/$name"
done
# A golden file whose rule file is gone.
for g in "$here"/golden/*.tokens; do
  [ -e "$g" ] || continue
  [ -f "$tmp/tokens/$(basename "$g")" ] || fail "$(basename "$g"): no such rule file any more"
done
exit $failed
