#!/usr/bin/env bash
# `pathway completion fish` in a real fish: `complete -C LINE` lists what
# fish offers for LINE, with the script sourced: the commands, each
# command's options (the ones its --help lists), an option's values, and
# file names where a file goes. Skipped (77) where fish is not installed,
# except on CI (CI=true), where scripts/deps.sh installs it.
# usage: fish.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
here=$(dirname "$0")
. "$here/../cli/lib/asserts.sh"
. "$here/../cli/lib/options.sh"
require_tool fish
cd "$tmp" || exit 1
# fish keeps history and variables under HOME: here, nowhere else.
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share \
  XDG_CACHE_HOME=$tmp/home/.cache
mkdir -p "$HOME"

expect_status script 0 "$bin" completion fish || exit 1
expect_status syntax 0 fish --no-config -n "$tmp/script.out"

# offers NAME LINE: the first column of what fish offers for LINE, sorted.
offers() {
  fish --no-config -c "source '$tmp/script.out'; complete -C '$2'" >"$tmp/$1.raw" 2>"$tmp/$1.err"
  cut -f1 "$tmp/$1.raw" | sort >"$tmp/$1"
}
expect_offers() {
  offers "$1" "$3"
  : >"$tmp/$1.want"
  [ -z "$2" ] || printf '%s\n' $2 | sort >"$tmp/$1.want"
  same_set "$1: [$3] offers: $2" "$tmp/$1.want" "$tmp/$1"
}

pw_commands | sort >commands
mkdir ws ws/dir1 ws/dir2
touch ws/rules.pw ws/coaches.jsonl
offers top "pathway "
same_set "pathway <TAB> offers every command" "$tmp/commands" "$tmp/top"
grep -qF "decide who may enrol" top.raw && ok "commands come with their summaries" || fail "no summary: $(head -3 top.raw)"
while read -r c; do
  pw_help_options "$c" >"help.$c"
  offers "opts.$c" "pathway $c -"
  same_set "pathway $c -<TAB> offers its options" "$tmp/help.$c" "$tmp/opts.$c"
done <commands
cd ws || exit 1
expect_offers format "jsonl text" "pathway eval --format "
expect_offers format-eq "--format=jsonl --format=text" "pathway eval --format="
expect_offers fail-on "error never note warning" "pathway lint --fail-on "
expect_offers as-of "" "pathway eval --as-of "
expect_offers facts "coaches.jsonl" "pathway eval --facts c"
expect_offers operand "rules.pw" "pathway eval r"
expect_offers include-root "dir1/ dir2/" "pathway check --include-root "
expect_offers shells "bash fish zsh" "pathway completion "
offers limit "pathway check --limit "
grep -qx 'nesting=' "$tmp/limit" && ok "--limit offers NAME=" || fail "--limit offers: $(tr '\n' ' ' <"$tmp/limit")"

exit $failed
