#!/usr/bin/env bash
# `pathway lsp` on the command line (the protocol itself: tests/lsp and
# tests/unit/test_lsp_session.c): --debounce takes 1 to 60000 milliseconds,
# anything else is a usage error (2) naming the value; an operand is one too;
# --stdio is accepted; an input that ends without `exit` is status 1.
# usage: lsp.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

for v in 0 abc 60001 5x 99999999999999999999 ''; do
  name=debounce_$(printf '%s' "$v" | tr -c 'a-z0-9' '_')
  expect_status "$name" 2 "$bin" lsp --debounce "$v" </dev/null &&
    expect_grep "$name" err "--debounce: \`$v\` needs a whole number of milliseconds from 1 to 60000"
done
expect_status debounce_missing 2 "$bin" lsp --debounce </dev/null &&
  expect_grep debounce_missing err "--debounce needs a value"
expect_status operand 2 "$bin" lsp extra </dev/null &&
  expect_grep operand err "unexpected argument \`extra\`"
expect_status help 0 "$bin" lsp --help </dev/null &&
  expect_grep help out "usage: pathway lsp [--stdio] [--debounce MS]"
printf 'Content-Length: 58\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}' >"$tmp/in"
expect_status no_exit 1 "$bin" lsp --stdio --debounce 60000 <"$tmp/in" &&
  expect_grep no_exit out '{"jsonrpc":"2.0","id":1,"result":{"capabilities":'
exit $failed
