#!/usr/bin/env bash
# The option tables (src/cli/options.h): each completion script offers what
# each command's --help lists (tests/options/accepted.sh: what it accepts); an unknown
# option and a missing value get the same message and exit status from
# every command; `--name=VALUE` is `--name VALUE`; the man page list of
# CMakeLists.txt is the command list of `pathway --help`.
# usage: options.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
. "$(dirname "$0")/lib/options.sh"
cd "$tmp" || exit 1

pw_commands >commands
[ "$(wc -l <commands)" -ge 13 ] && ok "pathway --help lists $(wc -l <commands) commands" \
  || fail "pathway --help lists too few commands: $(tr '\n' ' ' <commands)"

# --- each completion script offers the options of each command's help ------------------
# (tests/options/accepted.sh checks that the help lists every option the
# command accepts and no other; tests/completion/ runs the scripts.)
while read -r c; do pw_help_options "$c" >"help.$c"; done <commands
for sh in bash zsh fish; do
  expect_status "completion-$sh" 0 "$bin" completion "$sh"
done
while read -r c; do
  # bash: the command's branch sets opts='...'
  sed -n "/^    $c)\$/,/;;\$/s/^        opts='\(.*\)'\$/\1/p" "$tmp/completion-bash.out" | tr ' ' '\n' | sort -u >bash.$c
  same_set "bash completion offers $c's options" "help.$c" "bash.$c"
  # zsh: the specs of _pathway_CMD, '*--name=[...' or '(- *)-h[...'
  sed -n "/^_pathway_$c() {\$/,/^}\$/p" "$tmp/completion-zsh.out" \
    | sed -n "s/^    '\(\*\|(- \*)\)\(-[-a-z]*\).*/\2/p" | sort -u >zsh.$c
  same_set "zsh completion offers $c's options" "help.$c" "zsh.$c"
  # fish: complete -c pathway -n '__fish_seen_subcommand_from CMD' -s X -l NAME
  grep -F "__fish_seen_subcommand_from $c'" "$tmp/completion-fish.out" \
    | grep -oE ' -(s [a-z]|l [a-z][-a-z]*)' | sed 's/^ -s /-/; s/^ -l /--/' | sort -u >fish.$c
  same_set "fish completion offers $c's options" "help.$c" "fish.$c"
done <commands

# The names --limit's help lists are the names it takes (its table, which
# completion offers).
"$bin" eval --help >eval.help
awk '/^  --limit /{on=1} on && /^  -/ && !/^  --limit /{on=0} on' eval.help | tr -s ' \n' ' ' \
  | sed 's/.*(repeatable): //; s/;.*//' | tr -d ',' | tr ' ' '\n' | grep -v '^$' | sort >limit.help
sed -n "0,/^        --limit) _pathway_words '\([^']*\)'.*/s//\1/p" "$tmp/completion-bash.out" | tr ' ' '\n' \
  | sed 's/=$//' | grep -v '^$' | sort >limit.table
[ "$(wc -l <limit.table)" -ge 10 ] || fail "--limit: completion offers $(wc -l <limit.table) names"
same_set "--limit's help names the limits it takes" limit.table limit.help

# --- unknown options and missing values: the message and status of today ----------------
while read -r c; do
  if expect_status "$c-unknown" 2 "$bin" "$c" --nope; then
    [ "$(head -1 "$tmp/$c-unknown.err")" = "pathway: unknown option \`--nope\`" ] \
      && ok "$c-unknown: the message" || fail "$c-unknown: $(head -1 "$tmp/$c-unknown.err")"
    expect_grep "$c-unknown" err "usage: pathway $c"
    [ -s "$tmp/$c-unknown.out" ] && fail "$c-unknown: wrote to standard output"
  fi
  bad=""
  for o in $(pw_value_options "$c"); do
    "$bin" "$c" "$o" </dev/null >run.out 2>run.err
    st=$?
    [ "$st" -eq 2 ] && [ "$(head -1 run.err)" = "pathway: $o needs a value" ] || bad="$bad $o($st: $(head -1 run.err))"
  done
  [ -z "$bad" ] && ok "$c: every option with a value says so when it has none" || fail "$c:$bad"
done <commands

# A flag takes no value: `--check=x` is not --check; `-o=x` is not -o x.
expect_status flag-value 2 "$bin" fmt --check=yes x.pw && expect_grep flag-value err "unknown option \`--check=yes\`"
expect_status flag-value-2 2 "$bin" test --coverage=1 x.pw && expect_grep flag-value-2 err "unknown option \`--coverage=1\`"
expect_status short-equals 2 "$bin" compile x.pw -o=x.pwc && expect_grep short-equals err "unknown option \`-o=x.pwc\`"
expect_status short-glued 2 "$bin" lint -ox.sarif x.pw && expect_grep short-glued err "unknown option \`-ox.sarif\`"

# --name=VALUE and --name VALUE are the same option, for every command with --format.
while read -r c; do
  grep -qxF -- --format "help.$c" || continue
  "$bin" "$c" --format=bogus </dev/null >eq.out 2>eq.err
  a=$?
  "$bin" "$c" --format bogus </dev/null >sp.out 2>sp.err
  b=$?
  [ "$a" -eq 2 ] && [ "$b" -eq 2 ] && cmp -s eq.err sp.err && grep -qF "unknown format \`bogus\`" eq.err \
    && ok "$c: --format=bogus is --format bogus" || fail "$c: --format=bogus ($a) and --format bogus ($b) differ"
done <commands
expect_status fail-on 2 "$bin" lint --fail-on=often x.pw \
  && expect_grep fail-on err "--fail-on: unknown level \`often\` (expected error, warning, note or never)"
expect_status list-format 2 "$bin" diff a.pw --to 2026-01-01 --facts f --list-format=xml \
  && expect_grep list-format err "unknown list format \`xml\` (expected jsonl or csv)"
expect_status empty-value 2 "$bin" check --include-root= x.pw && expect_grep empty-value err "--include-root: needs a directory"
expect_status limit-value 2 "$bin" check --limit=nope=3 x.pw && expect_grep limit-value err "--limit: unknown limit \`nope=3\`"
expect_grep limit-value err "  --limit NAME=N"
# Aliases are accepted and never offered: eval --format json, explain --format jsonl.
printf 'facts coach {\n  id: text\n  first_aid: boolean = false\n}\nprogram p "P" {\n  require "first aid": first_aid\n}\n' >r.pw
printf '{"id":"a","first_aid":true}\n' >f.jsonl
expect_status eval-json 0 "$bin" eval r.pw --facts=f.jsonl --format=json && expect_grep eval-json out '"id":"a"'
expect_status explain-jsonl 0 "$bin" explain r.pw --facts f.jsonl --format jsonl && expect_grep explain-jsonl out '"id":"a"'

# `--` ends the options, once; `-` is an operand.
expect_status after-dashes 2 "$bin" check -- --nope && expect_grep after-dashes err "--nope"
[ -s "$tmp/after-dashes.err" ] && ! grep -qF "unknown option" "$tmp/after-dashes.err" \
  && ok "after-dashes: --nope is a file" || fail "after-dashes: --nope taken as an option"
expect_status stdin-operand 0 "$bin" fmt - <r.pw

# -h/--help: check, compile and disasm print it wherever it is before `--`;
# the others where the parser meets it.
for c in check compile disasm; do
  expect_status "$c-help-first" 0 "$bin" "$c" --nope --help && expect_grep "$c-help-first" out "usage: pathway $c"
done
expect_status eval-help-in-order 2 "$bin" eval --nope --help && expect_grep eval-help-in-order err "unknown option \`--nope\`"
expect_status help-after-dashes 2 "$bin" check -- --help

# One rules file per command: a second operand is named, exit 2, nothing run.
expect_status eval-two 2 "$bin" eval r.pw r2.pw --facts f.jsonl \
  && expect_grep eval-two err "eval takes one rules file; \`r2.pw\` is a second one"
for c in explain when; do
  expect_status "$c-two" 2 "$bin" "$c" r.pw r2.pw --facts f.jsonl \
    && expect_grep "$c-two" err "$c takes one rules file; \`r2.pw\` is a second one"
done
expect_status report-two 2 "$bin" report r.pw r2.pw --facts f.jsonl \
  && expect_grep report-two err "report takes one rules file; \`r2.pw\` is a second one"
expect_status compile-two 2 "$bin" compile r.pw r2.pw \
  && expect_grep compile-two err "compile takes one rule file (it compiles what that file includes)"
expect_status disasm-two 2 "$bin" disasm a.pwc b.pwc && expect_grep disasm-two err "disasm takes one file"
expect_status completion-two 2 "$bin" completion bash zsh \
  && expect_grep completion-two err "completion takes one shell; \`zsh\` is a second one"

# --- the man pages: CMakeLists.txt names every command `pathway --help` lists ----------------
# NAME|SUMMARY per command; a long synopsis has its summary on the next line.
awk '/^Commands:/ {on = 1; next}
     on && /^$/ {exit}
     on && /^  [a-z]/ {name = $1; if (split($0, f, /  +/) >= 3) {print name "|" f[3]; name = ""}; next}
     on && name != "" {sub(/^ +/, ""); print name "|" $0; name = ""}' "$tmp/.commands.help" >listed
sed -n '/^set(PW_MAN_COMMANDS/,/)$/s/^ *"\([^"]*\)".*/\1/p' "$root/CMakeLists.txt" >man
same_set "CMakeLists.txt's PW_MAN_COMMANDS are pathway --help's commands and summaries" listed man

exit $failed
