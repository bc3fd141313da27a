#!/usr/bin/env bash
# editors.vim: the Vim files of editors/vim in a headless Vim (`vim -Nu NONE
# -es`, editors/vim first in 'runtimepath'):
#   - ftdetect makes a .pw file filetype=pathway, and the ftplugin sets
#     `pathway fmt`'s layout (2 spaces, expandtab) and `# ` comments;
#   - the syntax group at every run of text of tests/editors/fixture.pw and
#     invalid.pw equals the golden list in tests/editors/golden/*.vim
#     (UPDATE_GOLDEN=1 to accept a deliberate change; review the diff);
#   - every reserved word of grammar/lexer.l is highlighted where the
#     fixture uses it;
#   - indent/pathway.vim re-indents the fixture's blocks as fmt wrote them.
# Skipped (77) where vim is not installed, except on CI (CI=true), where
# scripts/deps.sh installs it.
# usage: vim.sh REPOSITORY_ROOT
set -uo pipefail
root=$(cd "$1" && pwd) || exit 1
here=$root/tests/editors
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool vim
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state
export XDG_CACHE_HOME=$tmp/cache
mkdir -p "$HOME"

# dump FILE OUT: what vim_dump.vim writes for FILE (a copy in the temp dir).
dump() {
  mkdir -p "$tmp/in" && cp "$1" "$tmp/in/$(basename "$1")"
  vim -Nu NONE -i NONE -es \
    --cmd "set runtimepath^=$root/editors/vim" \
    --cmd "let g:pw_file = '$tmp/in/$(basename "$1")' | let g:pw_out = '$2'" \
    -S "$here/vim_dump.vim" </dev/null >"$tmp/vim.log" 2>&1
  [ -s "$2" ] || { fail "$1: vim wrote nothing"; cat "$tmp/vim.log"; return 1; }
}

for f in fixture invalid; do
  dump "$here/$f.pw" "$tmp/$f.vim" || continue
  if [ "$(head -1 "$tmp/$f.vim")" = filetype=pathway ]; then ok "$f.pw: filetype=pathway"
  else fail "$f.pw: $(head -1 "$tmp/$f.vim"), not filetype=pathway"; fi
  expect_golden "$f.pw syntax groups" "$tmp/$f.vim" "$here/golden/$f.vim"
done

if grep -qxF 'commentstring=# %s shiftwidth=2 expandtab=1 indentexpr=PathwayIndent(v:lnum)' \
     "$tmp/fixture.vim"; then ok "ftplugin and indent: fmt's layout, # comments"
else fail "ftplugin and indent options: $(sed -n 2p "$tmp/fixture.vim")"; fi

# Every reserved word of the scanner appears in the fixture, highlighted.
grep -oE '^"[A-Za-z]+"[[:space:]]+\{' "$root/grammar/lexer.l" | grep -oE '[A-Za-z]+' | sort -u >"$tmp/reserved"
[ "$(wc -l <"$tmp/reserved")" -ge 40 ] || fail "read only $(wc -l <"$tmp/reserved") reserved words"
missing=0
while read -r w; do
  if ! awk -v w="$w" '$2 == w && $3 != "-" && $3 !~ /Comment|String|Error/ { found = 1 }
                      END { exit !found }' "$tmp/fixture.vim"; then
    fail "reserved word \`$w\` is not highlighted in the fixture"; missing=1
  fi
  if awk -v w="$w" '$2 == w && $3 == "-" { print; bad = 1 } END { exit !bad }' "$tmp/fixture.vim" >"$tmp/plain"; then
    fail "reserved word \`$w\` left plain: $(head -1 "$tmp/plain")"; missing=1
  fi
done <"$tmp/reserved"
[ "$missing" = 0 ] && ok "all $(wc -l <"$tmp/reserved") reserved words highlighted"

# The indentation of the fixture's blocks (no continuation lines: those
# keep what was typed), taken off and put back by indent/pathway.vim.
awk '/^record licence/,/^extend known/' "$here/fixture.pw" >"$tmp/blocks.pw"
awk '/^test "an adult/,/^test "decisions/' "$here/fixture.pw" >>"$tmp/blocks.pw"
dump "$tmp/blocks.pw" "$tmp/blocks.vim" && same "indent: blocks re-indented as fmt wrote them" \
  "$tmp/blocks.pw" "$tmp/blocks.vim.indented"
exit $failed
