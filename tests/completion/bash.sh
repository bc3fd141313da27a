#!/usr/bin/env bash
# `pathway completion bash` in a real bash: sourced, it registers _pathway
# for `pathway`, and the function, driven the way readline drives it
# (COMP_WORDS, COMP_CWORD), offers the commands, each command's options (the
# ones its --help lists), an option's values, and file names where a file
# goes. usage: bash.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
here=$(dirname "$0")
. "$here/../cli/lib/asserts.sh"
. "$here/../cli/lib/options.sh"
cd "$tmp" || exit 1

expect_status script 0 "$bin" completion bash || exit 1
# shellcheck disable=SC1091
. "$tmp/script.out"
complete -p pathway >complete.txt 2>&1
[ "$(cat complete.txt)" = "complete -F _pathway pathway" ] && ok "complete -p pathway: _pathway" \
  || fail "complete -p pathway: $(cat complete.txt)"

# offers NAME WORD...: completes the last WORD of `WORD...` (the command
# line split as readline splits it) into NAME, one candidate per line, sorted.
offers() {
  local name=$1
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _pathway
  if [ ${#COMPREPLY[@]} -gt 0 ]; then printf '%s\n' "${COMPREPLY[@]}"; fi | sort >"$tmp/$name"
}
# expect_offers NAME WANT WORD...: the candidates are exactly WANT (words).
expect_offers() {
  local name=$1 want=$2
  shift 2
  offers "$name" "$@"
  : >"$tmp/$name.want"
  [ -z "$want" ] || printf '%s\n' $want | sort >"$tmp/$name.want"
  same_set "$name: [$*] offers: $want" "$tmp/$name.want" "$tmp/$name"
}

pw_commands >commands
# File names are completed in a directory of their own.
mkdir ws ws/dir1 ws/dir2
touch ws/rules.pw ws/coaches.jsonl
{ cat commands; printf '%s\n' -h --help --version; } | sort >top.want
offers top pathway ""
same_set "pathway <TAB> offers every command" "$tmp/top.want" "$tmp/top"
expect_offers prefix "eval explain" pathway e
while read -r c; do
  pw_help_options "$c" >"help.$c"
  offers "opts.$c" pathway "$c" -
  same_set "pathway $c -<TAB> offers its options" "$tmp/help.$c" "$tmp/opts.$c"
done <commands
cd ws || exit 1
# Options after operands and other options, and long ones only from --.
expect_offers after-operand "--facts --format" pathway eval rules.pw --as-of 2026-01-01 --f
# Values: the choices of --format, in both spellings (bash splits at =).
expect_offers format "jsonl text" pathway eval --format ""
expect_offers format-eq "jsonl text" pathway eval --format = ""
expect_offers format-eq-prefix "text" pathway eval --format = t
expect_offers lint-format "github json sarif text" pathway lint --format ""
expect_offers fail-on "error never note warning" pathway lint --fail-on ""
offers limit pathway check --limit ""
grep -qx 'nesting=' "$tmp/limit" && grep -qx 'record-bytes=' "$tmp/limit" && ok "--limit offers NAME=" \
  || fail "--limit offers: $(tr '\n' ' ' <"$tmp/limit")"
# Nothing for a date or a number; directories for --include-root; files for
# --facts, -o and the operands.
expect_offers as-of "" pathway eval --as-of ""
expect_offers jobs "" pathway report --jobs ""
expect_offers include-root "dir1 dir2" pathway check --include-root ""
expect_offers facts "coaches.jsonl" pathway eval --facts c
expect_offers output "coaches.jsonl" pathway report -o c
expect_offers operand "rules.pw" pathway eval r
expect_offers after-flag "rules.pw" pathway fmt --check r
# After `--` every word is an operand.
expect_offers after-dashes "" pathway check -- --f
expect_offers shells "bash fish zsh" pathway completion ""
expect_offers unknown-command "" pathway frobnicate -

exit $failed
