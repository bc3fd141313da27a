#!/usr/bin/env bash
# Disassembly snapshots: `pathway disasm FILE.pw` must print exactly
# FILE.disasm, and the same through a compiled .pwc (save/load round trip).
# UPDATE_GOLDEN=1 rewrites the snapshot.
set -u
bin=$1 src=$2
dir=$(dirname "$src") name=$(basename "$src" .pw)
cd "$dir" || exit 1
actual=$("$bin" disasm "$name.pw") || { echo "disasm of $name.pw failed"; exit 1; }
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$name.disasm"
fi
if ! diff -u "$name.disasm" <(printf '%s\n' "$actual"); then
  echo "disassembly of $name.pw differs from $name.disasm (UPDATE_GOLDEN=1 to accept)"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" compile "$name.pw" -o "$tmp/$name.pwc" || { echo "compile failed"; exit 1; }
from_pwc=$("$bin" disasm "$tmp/$name.pwc") || { echo "disasm of the .pwc failed"; exit 1; }
if ! diff -u <(printf '%s\n' "$actual") <(printf '%s\n' "$from_pwc"); then
  echo "the loaded .pwc disassembles differently from the compiled source"
  exit 1
fi
