#!/usr/bin/env bash
# Hostile bytecode (tests/hostile, written by tests/hostile/make_hostile.c):
# one file per check of the loader and the verifier. `pathway disasm FILE`
# must refuse each with exit status 1 and exactly the message pinned in
# NAME.expected; a case with NAME.facts is valid bytecode that fails at run
# time, and `pathway eval FILE --facts NAME.facts` must say why, also with
# status 1. Files are named relative to tests/hostile, as the messages show
# them. UPDATE_GOLDEN=1 rewrites the .expected files (review the diff).
# usage: hostile.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(cd "$2" && pwd)/tests/hostile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

cd "$dir" || exit 1
n=0
for f in *.pwc; do
  name=${f%.pwc}
  n=$((n + 1))
  if [ -f "$name.facts" ]; then
    expect_status "$name" 1 "$bin" eval "$f" --facts "$name.facts" --as-of 2026-11-23
  else
    expect_status "$name" 1 "$bin" disasm "$f"
  fi && expect_golden "$name" "$tmp/$name.err" "$dir/$name.expected"
done
[ "$n" -gt 0 ] || fail "no hostile files in $dir"
for e in *.expected; do
  [ -f "${e%.expected}.pwc" ] || fail "$e: no ${e%.expected}.pwc (left over from a removed case?)"
done
exit $failed
