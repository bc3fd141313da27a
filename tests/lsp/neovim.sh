#!/usr/bin/env bash
# lsp.neovim: Neovim's built-in LSP client (Debian's neovim, 0.7 or later)
# run headless with the shipped setup (editors/nvim/pathway.lua) opens a
# copy of a rule file with errors, receives `pathway lsp`'s diagnostics
# (positions converted back from UTF-16 by the client) and formats the
# buffer, then on a copy of rules/usatf gets a hover with a citation and a
# go to definition into the included coach.pw; what it saw must be tests/lsp/golden/neovim.txt (UPDATE_GOLDEN=1
# accepts a new one). Without nvim the test is skipped (exit 77) on a
# developer's machine, and fails in CI (CI=true), where it must run.
# usage: neovim.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
here=$root/tests/lsp
if ! command -v nvim >/dev/null; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL nvim is not installed, and CI must run the Neovim test (bash scripts/deps.sh installs it)"
    exit 1
  fi
  echo "SKIP nvim is not installed (apt-get install neovim, or bash scripts/deps.sh)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/fixtures/base.pw" "$here/nvim/broken.pw" "$tmp/"
mkdir -p "$tmp/rules/usatf" "$tmp/rules/common"
cp "$root/rules/usatf/usatf.pw" "$tmp/rules/usatf/"
cp "$root/rules/common/coach.pw" "$tmp/rules/common/"
# Neovim's state, logs and configuration stay in the scratch directory.
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data \
  XDG_STATE_HOME=$tmp/state XDG_CACHE_HOME=$tmp/cache XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
export PW_BIN=$bin PW_FILE=$tmp/broken.pw PW_USATF=$tmp/rules/usatf/usatf.pw PW_OUT=$tmp/seen.txt PW_NVIM_DIR=$root/editors/nvim
(cd "$tmp" && timeout 300 nvim --headless --clean -u "$here/nvim/diagnostics.lua" </dev/null >"$tmp/nvim.log" 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ ! -f "$tmp/seen.txt" ]; then
  echo "FAIL nvim exited $rc"
  cat "$tmp/nvim.log" "$tmp/seen.txt" 2>/dev/null
  exit 1
fi
golden=$here/golden/neovim.txt
if [ -n "${UPDATE_GOLDEN:-}" ]; then
  cp "$tmp/seen.txt" "$golden"
  echo "updated $golden"
  exit 0
fi
if ! diff -u "$golden" "$tmp/seen.txt"; then
  echo "FAIL Neovim saw other diagnostics than tests/lsp/golden/neovim.txt (UPDATE_GOLDEN=1 accepts them)"
  exit 1
fi
echo "ok: Neovim received the diagnostics and formatted the buffer"
