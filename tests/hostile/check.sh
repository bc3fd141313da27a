#!/usr/bin/env bash
# Keeps the hostile corpus honest (registered by tests/hostile/CMakeLists.txt).
#   check.sh corpus MAKE_HOSTILE PATHWAY_BIN HOSTILE_DIR
#     rebuilds the corpus into a scratch directory and requires the same
#     files, byte for byte, as those committed in HOSTILE_DIR: the generator
#     and the committed files cannot drift apart.
#   check.sh large MAKE_HOSTILE PATHWAY_BIN HOSTILE_DIR
#     builds the cases too large to commit (a 70 MB file, 16 MiB of code) and
#     runs `pathway disasm` on each: exit status 1 and standard error exactly
#     HOSTILE_DIR/large/NAME.expected (UPDATE_GOLDEN=1 rewrites it).
set -uo pipefail
mode=$1 gen=$2 bin=$3 dir=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$dir/../cli/lib/asserts.sh"

case $mode in
corpus)
  mkdir "$tmp/new"
  if ! "$gen" "$tmp/new"; then
    fail "make_hostile: a case no longer breaks the rule it is named for (see above)"
  fi
  (cd "$dir" && ls -1 -- *.pwc *.facts) >"$tmp/committed.txt"
  (cd "$tmp/new" && ls -1 -- *.pwc *.facts) >"$tmp/generated.txt"
  if diff -u "$tmp/committed.txt" "$tmp/generated.txt" >"$tmp/diff"; then
    ok "the same $(wc -l <"$tmp/generated.txt") files"
  else
    fail "the committed files and the generator's differ (regenerate: make_hostile tests/hostile)"
    cat "$tmp/diff"
  fi
  while read -r f; do
    if [ -f "$dir/$f" ] && ! cmp -s "$dir/$f" "$tmp/new/$f"; then
      fail "$f: the committed file differs from the generator's (regenerate: make_hostile tests/hostile)"
    fi
  done <"$tmp/generated.txt"
  ;;
large)
  mkdir "$tmp/large"
  "$gen" --large "$tmp/large" || fail "make_hostile --large"
  cd "$tmp/large" || exit 1
  for f in *.pwc; do
    name=${f%.pwc}
    expect_status "$name" 1 "$bin" disasm "$f" &&
      expect_golden "$name" "$tmp/$name.err" "$dir/large/$name.expected"
  done
  ;;
*)
  echo "usage: check.sh corpus|large MAKE_HOSTILE PATHWAY_BIN HOSTILE_DIR" >&2
  exit 2
  ;;
esac
exit $failed
