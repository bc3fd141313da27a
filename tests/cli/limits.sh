#!/usr/bin/env bash
# Every documented limit (docs/robustness.md), set with `--limit NAME=N`:
# an input past it is refused with a clear message and the documented exit
# status, the same input within it is accepted, and bad --limit arguments
# are usage errors.
# usage: limits.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
usatf=$root/rules/usatf/usatf.pw
coaches=$root/examples/coaches.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

# --- compiling -----------------------------------------------------------------
expect_status source-bytes 1 "$bin" check --limit source-bytes=1k "$usatf" &&
  expect_grep source-bytes err "is too large: the limit is 1024 bytes"
expect_status source-bytes-ok 0 "$bin" check --limit source-bytes=64k "$usatf"

expect_status includes 1 "$bin" check --limit includes=1 "$usatf" &&
  expect_grep includes err "error: too many files: the limit is 1"
# A file that could not be read stops checking: no cascade of unknown names.
expect_grep includes err "1 error generated."
expect_status includes-ok 0 "$bin" check --limit includes=2 "$usatf"

# 12 nested parentheses around a condition.
{ echo 'facts f { n: integer }'
  printf 'program p { require "r": %s n > 1 %s }\n' "$(printf '(%.0s' {1..12})" "$(printf ')%.0s' {1..12})"
} >"$tmp/deep.pw"
expect_status nesting 1 "$bin" check --limit nesting=8 "$tmp/deep.pw" &&
  expect_grep nesting err "(the limit is 8 levels"
expect_status nesting-ok 0 "$bin" check --limit nesting=40 "$tmp/deep.pw"
# An operator chain is as deep as it is long: --limit nesting governs it
# in the parser and in the checker alike, and the message names the limit.
{ echo 'facts f { n: integer }'
  printf 'program p { require "r": n > 0'
  for _ in $(seq 300); do printf ' and n > 1'; done
  echo ' }'
} >"$tmp/chain.pw"
expect_status nesting-chain 1 "$bin" check "$tmp/chain.pw" &&
  expect_grep nesting-chain err "(the limit is 200 levels)"
expect_status nesting-chain-250 1 "$bin" check --limit nesting=250 "$tmp/chain.pw" &&
  expect_grep nesting-chain-250 err "(the limit is 250 levels)"
expect_status nesting-chain-ok 0 "$bin" check --limit nesting=400 "$tmp/chain.pw"
# The most the stack is sized for (PW_MAX_NESTING).
expect_status nesting-max 2 "$bin" check --limit nesting=2001 "$tmp/chain.pw" &&
  expect_grep nesting-max err "needs a whole number from 1 to 2000"
echo '{"id":"a","n":3}' >"$tmp/n.jsonl"
expect_status nesting-chain-eval 0 "$bin" eval --limit nesting=400 "$tmp/chain.pw" --facts "$tmp/n.jsonl" &&
  expect_grep nesting-chain-eval out '"eligible"'

{ echo 'facts f { n: integer }'
  for i in 1 2 3 4 5; do echo "define d$i = nope$i"; done
} >"$tmp/errors.pw"
expect_status errors 1 "$bin" check --limit errors=2 "$tmp/errors.pw" &&
  expect_grep errors err "error: too many errors; stopped reporting after 2"
expect_grep errors err "5 errors generated."

# --- bytecode ------------------------------------------------------------------
expect_status compile 0 "$bin" compile "$usatf" -o "$tmp/usatf.pwc"
expect_status bytecode-bytes 2 "$bin" eval "$tmp/usatf.pwc" --facts "$coaches" --limit bytecode-bytes=1k &&
  expect_grep bytecode-bytes err "usatf.pwc: bytecode of"
expect_grep bytecode-bytes err "bytes is larger than the limit of 1024 bytes"
expect_status disasm-bytes 1 "$bin" disasm "$tmp/usatf.pwc" --limit bytecode-bytes=1k
expect_status bytecode-ok 0 "$bin" eval "$tmp/usatf.pwc" --facts "$coaches" --limit bytecode-bytes=1M --as-of 2026-11-23

# --- facts and evaluation: one bad record does not stop the others -----------
expect_status list-items 1 "$bin" eval "$usatf" --facts "$coaches" --as-of 2026-11-23 --limit list-items=1 &&
  expect_grep list-items err 'record "C0003": `certificates`: more than 1 element (the limit)'
expect_grep list-items out '{"id":"C0001","as_of":"2026-11-23","results":['
expect_status text-bytes 1 "$bin" eval "$usatf" --facts "$coaches" --limit text-bytes=4 &&
  expect_grep text-bytes err '`id`: text of 5 bytes is longer than the limit of 4 bytes'
expect_status instructions 1 "$bin" eval "$usatf" --facts "$coaches" --limit instructions=10 &&
  expect_grep instructions err "instruction budget exceeded (10 instructions) (program \`developmental_coach\`)"
expect_status instructions-ok 0 "$bin" eval "$usatf" --facts "$coaches" --limit instructions=100k

cat >"$tmp/tree.pw" <<'PW'
facts node { id: text
  kids: list of kid = [] }
record kid { name: text
  kids: list of grandkid = [] }
record grandkid { name: text }
program p { }
PW
echo '{"id":"a","kids":[{"name":"b","kids":[{"name":"c"}]}]}' >"$tmp/tree.jsonl"
expect_status json-depth 1 "$bin" eval "$tmp/tree.pw" --facts "$tmp/tree.jsonl" --limit json-depth=1 &&
  expect_grep json-depth err '`kids[0].kids`: nested deeper than the limit of 1 level'
expect_status json-depth-ok 0 "$bin" eval "$tmp/tree.pw" --facts "$tmp/tree.jsonl" --limit json-depth=2
# Nesting past the JSON parser's own bound (1000) is a bad record, not a crash.
python3 -c 'print("{\"id\":\"x\",\"deep\":" + "[" * 5000 + "]" * 5000 + "}")' >"$tmp/deep.jsonl"
echo '{"id":"a"}' >>"$tmp/deep.jsonl"
expect_status json-parser-bound 1 "$bin" eval "$tmp/tree.pw" --facts "$tmp/deep.jsonl" &&
  expect_grep json-parser-bound out '{"id":"a","as_of"'

# --- bad --limit arguments -----------------------------------------------------
expect_status unknown 2 "$bin" eval "$usatf" --facts "$coaches" --limit nope=3 &&
  expect_grep unknown err "--limit: unknown limit \`nope=3\`"
expect_status zero 2 "$bin" check --limit nesting=0 "$usatf" &&
  expect_grep zero err "needs a whole number from 1 to 2000"
expect_status too-deep 2 "$bin" eval "$usatf" --facts "$coaches" --limit json-depth=2000 &&
  expect_grep too-deep err "needs a whole number from 1 to 1000"
expect_status no-value 2 "$bin" compile "$usatf" -o "$tmp/x.pwc" --limit
expect_status suffix 2 "$bin" check --limit source-bytes=4X "$usatf"
# strtoull would take a sign (and wrap -1 round) or leading space: a value
# must start with a digit.
expect_status negative 2 "$bin" check --limit errors=-1 "$usatf" &&
  expect_grep negative err "pathway: --limit: \`errors=-1\` needs a whole number from 1 to 4294967295"
expect_status not-digit 2 "$bin" check --limit errors=x "$usatf" &&
  expect_grep not-digit err "pathway: --limit: \`errors=x\` needs a whole number from 1 to 4294967295"
expect_status spaced 2 "$bin" check --limit "errors= 3" "$usatf"
expect_status help 0 "$bin" eval --help && expect_grep help out "--limit NAME=N"
exit $failed
