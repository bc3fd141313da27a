#!/usr/bin/env bash
# Every option a command accepts is in its --help, and no other: each
# option the help lists is accepted (whatever else the command then says, it
# is not "unknown option"), and every other option any command's help lists
# or its sources name is refused as unknown, with exit status 2. Kept out of
# tests/cli/ (run under valgrind by scripts/valgrind.sh): it runs the command
# some 450 times; tests/cli/options.sh runs the error paths under valgrind.
# usage: accepted.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
here=$(dirname "$0")
. "$here/../cli/lib/asserts.sh"
. "$here/../cli/lib/options.sh"
cd "$tmp" || exit 1

pw_commands >commands
[ "$(wc -l <commands)" -ge 13 ] && ok "pathway --help lists $(wc -l <commands) commands" \
  || fail "pathway --help lists too few commands: $(tr '\n' ' ' <commands)"
# --- every option a command accepts is in its help, and no other ---------------------
# The candidates: every option any help lists, every option named in the
# command's sources, and a few that no command takes.
while read -r c; do pw_help_options "$c"; done <commands >all.raw
grep -ohE '"--?[a-z][a-z-]*' "$root"/src/cli/*.c | tr -d '"' >>all.raw
printf '%s\n' --verbose --nope -x -q >>all.raw
sort -u all.raw | grep -vx -- '-' >universe
while read -r c; do
  pw_help_options "$c" >"help.$c"
  bad=""
  while read -r o; do
    "$bin" "$c" "$o" </dev/null >run.out 2>run.err
    grep -qF "unknown option" run.err && bad="$bad $o"
  done <"help.$c"
  [ -z "$bad" ] && ok "$c: every option its help lists is accepted" || fail "$c: listed but refused:$bad"
  bad=""
  while read -r o; do
    grep -qxF -- "$o" "help.$c" && continue
    "$bin" "$c" "$o" </dev/null >run.out 2>run.err
    st=$?
    [ "$st" -eq 2 ] && grep -qF "unknown option \`$o\`" run.err || bad="$bad $o($st)"
  done <universe
  [ -z "$bad" ] && ok "$c: every option its help does not list is unknown" || fail "$c: accepted, not listed:$bad"
  grep -qxF -- --help "help.$c" && grep -qxF -- -h "help.$c" && ok "$c: help lists -h, --help" \
    || fail "$c: help does not list -h, --help"
done <commands

exit $failed
