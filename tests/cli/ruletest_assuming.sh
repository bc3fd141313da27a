#!/usr/bin/env bash
# `assuming` on definitions (`define NAME = ... assuming "reason"`): listed by
# `pathway check --list-assumptions` beside the programs' own, in source
# order, as text and JSON (pinned: tests/ruletest/define-assumptions.*);
# formatted as written; a syntax error after a definition's value still
# reads as before.
# usage: ruletest_assuming.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
fixtures=$root/tests/ruletest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
cd "$fixtures" || exit 1

expect_status list 0 "$bin" check --list-assumptions define-assumptions.pw
expect_golden list "$tmp/list.out" define-assumptions.expected
expect_status list-json 0 "$bin" check --list-assumptions --format json define-assumptions.pw
expect_golden list-json "$tmp/list-json.out" define-assumptions.jsonl.expected
if command -v python3 >/dev/null; then
  python3 - "$tmp/list-json.out" >"$tmp/json.check" 2>&1 <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
defs = [r for r in rows if "definition" in r]
assert [r["definition"] for r in defs] == ["u16_declaration_signed", "held_for", "held_for"], defs
assert all(r["program"] is None and r["requirement"] is None and r["version"] is None for r in defs)
assert all("definition" not in r and isinstance(r["program"], str) for r in rows if r not in defs)
PY
  [ $? -eq 0 ] && ok "list-json: definitions named, programs unchanged" || { fail "list-json: shape"; cat "$tmp/json.check"; }
fi
# The same file reached twice (directly and through an include) lists once.
printf 'include "%s/define-assumptions.pw"\n' "$fixtures" >"$tmp/twice.pw"
expect_status twice 0 "$bin" check --list-assumptions define-assumptions.pw "$tmp/twice.pw"
[ "$(grep -c 'define u16_declaration_signed' "$tmp/twice.out")" -eq 1 ] && ok "twice: listed once" \
  || fail "twice: a definition's assumption listed more than once"
# The tests of the file still run, and the file is formatted.
expect_status test 0 "$bin" test define-assumptions.pw
expect_grep test out "1 test: 1 passed, 0 failed"
expect_status fmt 0 "$bin" fmt --check define-assumptions.pw

# fmt lays out a definition's clauses as a requirement's: one step in.
printf 'facts coach { a: boolean = false }\ndefine signed = true\nassuming "x"\n      assuming "y"\n' >"$tmp/fmt.pw"
"$bin" fmt "$tmp/fmt.pw" >"$tmp/fmt.out" 2>"$tmp/fmt.err"
printf 'facts coach { a: boolean = false }\ndefine signed = true\n  assuming "x"\n  assuming "y"\n' >"$tmp/fmt.want"
cmp -s "$tmp/fmt.out" "$tmp/fmt.want" && ok "fmt: clauses indented" || { fail "fmt: layout"; diff "$tmp/fmt.want" "$tmp/fmt.out"; }
"$bin" fmt "$tmp/fmt.want" >"$tmp/fmt2.out" && cmp -s "$tmp/fmt2.out" "$tmp/fmt.want" && ok "fmt: idempotent" \
  || fail "fmt: not idempotent"

# A wrong token after a definition's value reads as it did before `assuming`
# could follow it there.
printf 'define x = 1 "b"\n' >"$tmp/syntax.pw"
expect_status syntax 1 "$bin" check "$tmp/syntax.pw"
expect_grep syntax err 'unexpected `"b"`; expected an operator or a declaration'
# `assuming` takes a text.
printf 'define x = 1 assuming why\n' >"$tmp/reason.pw"
expect_status reason 1 "$bin" check "$tmp/reason.pw"
expect_grep reason err 'expected text in quotes after `assuming`, found `why`'

exit $failed
