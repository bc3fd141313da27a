#!/usr/bin/env bash
# `pathway compile --emit c`: the output is written like the bytecode
# (never over an input, a rule file's or a .pwc's; never through a link),
# unknown kinds are usage errors, rules with errors give their diagnostics
# and no file, a .pwc translates to the same C as its rule file, and the
# default stays bytecode. (tests/native/native.sh compiles and runs the C.)
# usage: emit_c.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

cp "$root/tests/native/golden.pw" "$tmp/g.pw"
expect_status pwc 0 "$bin" compile "$tmp/g.pw" -o "$tmp/g.pwc"
expect_status c-from-pw 0 "$bin" compile "$tmp/g.pw" --emit c -o "$tmp/from-pw.c"
expect_status c-from-pwc 0 "$bin" compile "$tmp/g.pwc" --emit=c -o "$tmp/from-pwc.c"
same "the C of a rule file and of its .pwc agree (but the first line)" \
  <(tail -n +2 "$tmp/from-pw.c") <(tail -n +2 "$tmp/from-pwc.c")
grep -q '^const pw_native pathway_native_rules = {PW_NATIVE_ABI, 2u, 6u, ' "$tmp/from-pw.c" &&
  ok "the descriptor names 2 programs and 6 requirements" || fail "no descriptor in the C"
expect_status default-bytecode 0 "$bin" compile "$tmp/g.pw" --emit bytecode -o "$tmp/again.pwc"
same "--emit bytecode is the default" "$tmp/g.pwc" "$tmp/again.pwc"

cp "$tmp/g.pwc" "$tmp/keep.pwc"
expect_status over-pwc 3 "$bin" compile "$tmp/g.pwc" --emit c -o "$tmp/g.pwc" &&
  expect_grep over-pwc err "it is an input of this command"
same "the .pwc input is left as it was" "$tmp/g.pwc" "$tmp/keep.pwc"
expect_status over-rules 3 "$bin" compile "$tmp/g.pw" --emit c -o "$tmp/g.pw" &&
  expect_grep over-rules err "it is an input of this command"
ln -s "$tmp/elsewhere.c" "$tmp/link.c"
expect_status link 3 "$bin" compile "$tmp/g.pw" --emit c -o "$tmp/link.c" &&
  expect_grep link err "symbolic link"
[ -e "$tmp/elsewhere.c" ] && fail "written through the link" || ok "nothing written through the link"
expect_status kind 2 "$bin" compile "$tmp/g.pw" --emit java -o "$tmp/x.c" &&
  expect_grep kind err "unknown output kind \`java\` (expected bytecode or c)"
printf 'facts coach { n: integer }\nprogram x "x" { require "a": nope }\n' >"$tmp/bad.pw"
expect_status bad 1 "$bin" compile "$tmp/bad.pw" --emit c -o "$tmp/bad.c" &&
  expect_grep bad err "bad.pw:2:30: error: unknown name \`nope\`"
[ -e "$tmp/bad.c" ] && fail "a C file written for rules with errors" || ok "no C file for rules with errors"
exit $failed
