#!/usr/bin/env bash
# `pathway completion zsh` in a real zsh: an interactive zsh in a
# pseudo-terminal (zsh/zpty), with the script as _pathway in its $fpath and
# compinit run, is typed each command line and TAB; what it lists (or
# inserts) is read back up to a marker echoed after it. It must offer the
# commands, each command's options (the ones its --help lists), an option's
# values and file names. Skipped (77) where zsh is not installed, except on
# CI (CI=true), where scripts/deps.sh installs it.
# usage: zsh.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
here=$(dirname "$0")
. "$here/../cli/lib/asserts.sh"
. "$here/../cli/lib/options.sh"
require_tool zsh
cd "$tmp" || exit 1
export HOME=$tmp/home
mkdir -p "$HOME" fpath ws ws/dir1 ws/dir2
touch ws/rules.pw ws/coaches.jsonl ws/dirty.txt

expect_status script 0 "$bin" completion zsh || exit 1
cp script.out fpath/_pathway
expect_status syntax 0 zsh -n fpath/_pathway

pw_commands | sort >commands
# The lines to complete, NAME<TAB>LINE.
{
  printf 'top\tpathway \n'
  while read -r c; do printf 'opts.%s\tpathway %s -\n' "$c" "$c"; done <commands
  printf 'format\tpathway eval --format \n'
  printf 'format-eq\tpathway eval --format=\n'
  printf 'fail-on\tpathway lint --fail-on \n'
  printf 'shells\tpathway completion \n'
  printf 'include-root\tpathway check --include-root dir\n'
  printf 'operands\tpathway fmt --check \n'
  printf 'facts\tpathway eval --facts c\n'
} >queries
# The driver: compinit without a dump file (-D), a wide terminal, no
# question before a long list. TAB completes, redisplays (the list) and
# prints a mark, which the read waits for: only then is the line erased
# (^U) and an end marker echoed, and the next line is typed once the prompt
# is back (keys typed ahead would keep zle from showing the list).
cat >driver.zsh <<DRIVER
zmodload zsh/zpty || exit 3
zpty z 'TERM=dumb zsh -f -i'
zpty -w z "PS1='@@PROMPT@@%% '; fpath=($tmp/fpath \\\$fpath); autoload -Uz compinit; compinit -u -D; LISTMAX=10000; unsetopt beep; stty cols 200 rows 200; cd $tmp/ws"
zpty -w z '_pw_tab() { zle complete-word; zle -R; print -n "@@MA""RK@@" }; zle -N _pw_tab; bindkey "^I" _pw_tab'
zpty -w z 'echo RE""ADY'
zpty -r z out '*READY*@@PROMPT@@'
while IFS=\$'\t' read -r name line; do
  zpty -w -n z "\$line"\$'\t'
  zpty -r z out '*@@MARK@@'
  print -r -- "=== \$name"
  print -r -- "\${out%@@MARK@@}"
  zpty -w -n z \$'\C-u'
  zpty -w z 'echo DO""NE'
  zpty -r z out '*DONE*@@PROMPT@@'
done <$tmp/queries
zpty -d z
DRIVER
expect_status driver 0 zsh -f driver.zsh || exit 1
# Each query's lines, without carriage returns, escapes and the prompt lines.
sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/@@PROMPT@@//g' "$tmp/driver.out" >transcript
awk '/^=== / { f = $2; next } { print > ("q." f) }' transcript
# listed NAME: the candidates zsh listed (before " -- DESCRIPTION").
listed() {
  grep -v -e '^% ' -e '^#' -e '^ *$' "q.$1" | sed 's/ -- .*//' | tr -s ' ' '\n' | grep -v '^$' | sort -u >"listed.$1"
}
expect_listed() {
  listed "$1"
  printf '%s\n' $2 | sort >"want.$1"
  same_set "$1: lists $2" "want.$1" "listed.$1"
}

listed top
same_set "pathway <TAB> lists every command" commands listed.top
grep -qF -- "eval        -- decide who may enrol" q.top && ok "commands come with their summaries" \
  || fail "no summaries: $(head -5 q.top)"
while read -r c; do
  pw_help_options "$c" >"help.$c"
  listed "opts.$c"
  same_set "pathway $c -<TAB> lists its options" "help.$c" "listed.opts.$c"
done <commands
expect_listed format "jsonl text"
expect_listed format-eq "jsonl text"
expect_listed fail-on "error never note warning"
expect_listed shells "bash fish zsh"
expect_listed include-root "dir1/ dir2/"
expect_listed operands "coaches.jsonl dir1/ dir2/ dirty.txt rules.pw"
# One candidate is inserted into the line.
grep -qF "% pathway eval --facts coaches.jsonl " q.facts && ok "--facts c<TAB> inserts coaches.jsonl" \
  || fail "--facts c<TAB>: $(cat q.facts)"

exit $failed
