#!/usr/bin/env bash
# Deep shapes of every kind (tests/cli/gen/deep.py: chains of definitions
# in both orders and in a cycle, parentheses, `and`/`or` chains, `not`,
# unary minus, sums, `.field` chains, `if`, nested quantifiers, requirement groups) at sizes
# around and far past the limits, through every command that reads rules:
# each ends with a result or a clean diagnostic, never a signal
# (docs/robustness.md: the checker cannot overflow the stack).
# usage: deep.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
gen=$root/tests/cli/gen/deep.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
echo '{"id":"a","n":3,"xs":[{"a":2}]}' >"$tmp/f.jsonl"

# run NAME CMD...: CMD ends without a signal, and a non-zero status comes
# with a message (a diagnostic, or lint's findings on standard output).
run() {
  local name=$1
  shift
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  local got=$?
  if [ "$got" -ge 128 ]; then
    fail "$name: killed by signal $((got - 128))"
  elif [ "$got" -ne 0 ] && ! [ -s "$tmp/$name.err" ] && ! [ -s "$tmp/$name.out" ]; then
    fail "$name: exit status $got with no message"
  else
    ok "$name: exit status $got"
  fi
}

shapes="chain-down chain-up chain-tall cycle parens and or not minus plus field if quant groups"
for shape in $shapes; do
  for n in 10 63 64 200 201 10000 100000; do
    f=$tmp/$shape-$n.pw
    python3 "$gen" "$shape" "$n" "$f"
    for cmd in check lint disasm test fmt; do
      run "$shape-$n-$cmd" "$bin" "$cmd" "$f"
    done
    for cmd in eval explain; do
      run "$shape-$n-$cmd" "$bin" "$cmd" "$f" --facts "$tmp/f.jsonl"
    done
  done
done

# What each shape must give, where it matters.
check_ok() { expect_status "$1" 0 "$bin" check "$tmp/$1.pw"; }
check_err() { expect_status "$1" 1 "$bin" check "$tmp/$1.pw" && expect_grep "$1" err "$2"; }

# Chains of definitions of any length in either order are checked without
# recursion: only the bytecode's 65535 functions bound them. (A bound on
# the chain's length alone would not do: 200 definitions of 150 levels each
# are 30,000 levels of recursion.)
for n in 10 200 201 10000; do
  check_ok chain-down-$n
  check_ok chain-up-$n
done
check_ok chain-tall-201
check_err chain-tall-10000 "is too large: the limit is 4194304 bytes"
expect_status chain-eval 0 "$bin" eval "$tmp/chain-down-10000.pw" --facts "$tmp/f.jsonl" &&
  expect_grep chain-eval out '"id":"a"'
check_err chain-down-100000 "more than 65535 functions"
check_err cycle-10 "definition \`d0\` depends on itself: d0 → d1"
check_err cycle-10000 "is a chain of 201 definitions, each using the next (the limit is 200)"
expect_grep cycle-10000 err "cycle-10000.pw:206:15: error: definitions are nested too deeply: \`d0\` → \`d1\` → \`d2\` → … → \`d198\` → \`d199\` → \`d200\`"

# Requirement groups: at most 63, one inside another.
check_ok groups-63
check_err groups-64 "requirement groups are nested too deeply: \`g63\` is group 64, one inside another (the limit is 63)"

# Expressions: the nesting limit, whatever the operator.
for shape in parens and or not minus plus if quant; do
  check_ok $shape-10
  check_err $shape-201 "(the limit is 200 levels"
done
exit $failed
