#!/usr/bin/env bash
# sarif.rules: without npm (sarif.multitool needs it), the part of code
# scanning's needs that a rule added later most easily misses: every rule of
# `pathway lint --format sarif` has a fullDescription, help (text and
# markdown, from its section of docs/lint.md) and a helpUri at that section,
# and the log names %SRCROOT%. A rule without a `## PWnnn:` section in
# docs/lint.md fails here.
# usage: rules.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
root=$(cd "$2" && pwd) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool python3
cd "$root/tests/lint" || exit 1
expect_status sarif 0 "$bin" lint --format sarif --fail-on never -o "$tmp/log.sarif" PW112.bad.pw
if python3 - "$tmp/log.sarif" "$root/docs/lint.md" >"$tmp/checks" 2>&1 <<'PY'; then
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
doc = open(sys.argv[2], encoding="utf-8").read()
rules = run["tool"]["driver"]["rules"]
assert len(rules) >= 19, f"{len(rules)} rules"
for r in rules:
    i = r["id"]
    assert f"## {i}: " in doc, f"{i}: no section in docs/lint.md"
    assert r["fullDescription"]["text"].endswith("."), f"{i}: fullDescription"
    assert r["help"]["text"] and r["help"]["markdown"], f"{i}: help"
    assert r["help"]["markdown"].split("\n")[0] in doc, f"{i}: help is not docs/lint.md's section"
    assert r["helpUri"].endswith(f"docs/lint.md#{i.lower()}"), f"{i}: helpUri {r['helpUri']}"
    assert f'<a id="{i.lower()}"></a>' in doc, f"{i}: no anchor"
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/tests/lint/")
res = run["results"]
assert res and all(r["partialFingerprints"]["primaryLocationLineHash"] for r in res)
assert all(f"]({l['id']})" in r["message"]["text"] for r in res for l in r.get("relatedLocations", []))
print(f"{len(rules)} rules documented")
PY
  ok "$(cat "$tmp/checks")"
else
  fail "the SARIF rules lack their documentation:"; cat "$tmp/checks"
fi
exit $failed
