# Assertions shared by the command-line test scripts (tests/cli/*.sh), which
# source this file after setting `tmp` (a scratch directory) and `failed=0`.
# Each command's standard output and error are kept as $tmp/NAME.out and
# $tmp/NAME.err; a failed check prints FAIL and sets failed=1, and the script
# ends with `exit $failed`.

fail() { echo "FAIL $*"; failed=1; }
ok() { echo "ok   $*"; }

# require_tool NAME: a test that needs a program the test tier of
# scripts/deps.sh installs ends here without it: skipped (77) on a
# developer's machine, failed on CI (CI=true), where it must have run.
require_tool() {
  command -v "$1" >/dev/null && return 0
  if [ "${CI:-}" = true ]; then
    echo "FAIL $1 is not installed (bash scripts/deps.sh test installs it)"
    exit 1
  fi
  echo "skip: $1 is not installed"
  exit 77
}

# expect_status NAME WANT CMD...: runs CMD; its exit status must be WANT.
# Returns non-zero otherwise, so that `expect_status ... && expect_...`
# skips checks of output that is not there.
expect_status() {
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$name: exit status $got, expected $want"
    sed 's/^/    /' "$tmp/$name.err" | head -20
    return 1
  fi
  ok "$name: exit status $want"
  return 0
}

# expect_grep NAME out|err TEXT: that output of NAME contains TEXT.
expect_grep() {
  if grep -qF -- "$3" "$tmp/$1.$2"; then ok "$1: $2 has '$3'"; else
    fail "$1: $2 lacks '$3'"; sed 's/^/    /' "$tmp/$1.$2" | head -20; fi
}

# expect_out NAME: standard output of NAME is exactly standard input.
expect_out() {
  if diff -u - "$tmp/$1.out" >"$tmp/diff"; then ok "$1: output as pinned"; else
    fail "$1: output differs"; sed 's/^/    /' "$tmp/diff"; fi
}

# expect_golden NAME ACTUAL_FILE EXPECTED_FILE: the files are equal; with
# UPDATE_GOLDEN=1 the expected file is rewritten first (review the diff).
expect_golden() {
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$2" "$3"; fi
  if diff -u "$3" "$2" >"$tmp/diff"; then ok "$1: matches $(basename "$3")"; else
    fail "$1: differs from $(basename "$3") (UPDATE_GOLDEN=1 to accept)"; cat "$tmp/diff"; fi
}

# same NAME FILE1 FILE2: two outputs that must be equal byte for byte (the
# same run two ways: --jobs 1 and 2, a file and a pipe); the first lines
# that differ when not.
same() {
  if cmp -s "$2" "$3"; then ok "$1"; else
    fail "$1: $(basename "$2") and $(basename "$3") differ"; diff "$2" "$3" | head -6 | cut -c1-200; fi
}

# npm_ci DIR: the npm packages pinned in DIR/package.json and
# DIR/package-lock.json, installed with `npm ci` into $tmp/npm (their
# programs in $tmp/npm/node_modules/.bin). npm writes only its cache, in
# $tmp too unless PW_NPM_CACHE names a filled one; it still reads the user's
# ~/.npmrc, where a registry mirror or a proxy may be set. The network (or
# that cache) is needed; a failure ends the test.
npm_ci() {
  export npm_config_cache=${PW_NPM_CACHE:-$tmp/npm-cache}
  export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  mkdir -p "$tmp/npm"
  cp "$1/package.json" "$1/package-lock.json" "$tmp/npm/"
  if ! npm ci --prefix "$tmp/npm" --no-progress >"$tmp/npm.log" 2>&1; then
    echo "FAIL npm ci ($1/package-lock.json) did not install:"
    tail -20 "$tmp/npm.log"
    exit 1
  fi
}
