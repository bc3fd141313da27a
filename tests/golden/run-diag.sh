#!/usr/bin/env bash
# Golden diagnostics: `pathway check FILE.pw` must fail (exit 1) and print
# exactly FILE.expected on standard error. Run with UPDATE_GOLDEN=1 to rewrite
# the expected file after a deliberate change (then review the diff).
set -u
bin=$1 src=$2
dir=$(dirname "$src") name=$(basename "$src" .pw)
cd "$dir" || exit 1
actual=$(NO_COLOR=1 "$bin" check "$name.pw" 2>&1 >/dev/null)
status=$?
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$name.expected"
fi
if [ "$status" -ne 1 ]; then
  echo "expected exit status 1 from pathway check $name.pw, got $status"
  printf '%s\n' "$actual"
  exit 1
fi
if ! diff -u "$name.expected" <(printf '%s\n' "$actual"); then
  echo "diagnostics of $name.pw differ from $name.expected (UPDATE_GOLDEN=1 to accept)"
  exit 1
fi
