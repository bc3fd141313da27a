#!/usr/bin/env bash
# docs.examples: every fenced block of README.md, docs/*.md and
# rules/*/README.md says what it holds, and every example in the rule
# language does what its label promises. The labels and the words after
# them are documented in docs/architecture.md, "Examples in the
# documentation":
#   ```pathway           a whole rule file: `pathway check` prints nothing and
#                        exits 0 (and `pathway test` passes when it has tests)
#   ```pathway-error     a whole rule file that must not compile: exit 1 with
#                        an `error:` diagnostic, never a crash (a code after
#                        the label, ```pathway-error E0401, is for
#                        docs/errors.md's own test)
#   ```pathway-fragment  an excerpt: its context included and the excerpt
#                        wrapped in a program, group or test as its first
#                        word asks, then checked like ```pathway
#   words after them     dir=D, include=FILE|none, name=N, with=N, parse,
#                        formatted
#   ```json [facts=R]    valid JSON or JSON Lines; a coach record R loads
#   ```sh, ```text       shell syntax; the pathway commands and options named
#                        (in sh, or a text synopsis's lines) exist
#   <!-- output of: pathway ARGS [(in DIR)] -->  on the line above a fence:
#                        the block's lines are printed by that command
#   ```console           `$ pathway ARGS` lines, each followed by lines it
#                        prints
# Any other block must carry a known label (c, sql, ...) and must not hold
# rule-language lines. Each failure names the document's file and line;
# the compiler's diagnostics for a block carry the document's line numbers
# too (the block's file is padded to its place in the document).
# usage: run.sh PATHWAY_BINARY REPOSITORY_ROOT [DOC...]
set -uo pipefail
bin=$1 root=$2
shift 2
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac  # the checks run in other directories
here=$(cd "$(dirname "$0")" && pwd) || exit 1
root=$(cd "$root" && pwd) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
failed=0 checked=0
declare -A named  # DOC/NAME: the file of the block that says name=NAME

cd "$root" || exit 1
shopt -s nullglob
if [ $# -gt 0 ]; then docs=("$@"); else docs=(README.md docs/*.md rules/*/README.md); fi

known_labels=" pathway pathway-error pathway-fragment console text sh json yaml c cmake sql python diff ebnf "
# A line that only a rule file would hold (a declaration, or a requirement).
rule_line='^[[:space:]]*(program [a-z_][a-z_0-9]*( "| *\{|$)|define [a-z_][a-z_0-9]*[ :(=]|(facts|record) [a-z_][a-z_0-9]* *\{|known [a-z_][a-z_0-9]* *=|extend (facts|record|known) [a-z_]|(require|prefer|advise) +"|include +"|example [a-z_][a-z_0-9]* *=|test +".*\{)'

fail() { # DOC LINE MESSAGE [FILE OF DETAILS]
  echo "FAIL $1:$2: $3"
  if [ -n "${4:-}" ]; then sed 's/^/    /' "$4" | head -30; fi
  failed=1
}

# --- the blocks -------------------------------------------------------------
mkdir "$tmp/blocks"
awk -v out="$tmp/blocks" -f "$here/extract.awk" "${docs[@]}" >"$tmp/index" || {
  echo "FAIL could not read the documents"; exit 1; }

# --- a scratch copy of the repository to check blocks in --------------------
# $tmp/w mirrors the repository with symbolic links; a directory a block is
# checked in is made real (its entries linked) so that the block's file can
# be written there without touching the source tree.
mkdir "$tmp/w"
for e in "$root"/* "$root"/.[!.]*; do if [ -e "$e" ]; then ln -s "$e" "$tmp/w/${e##*/}"; fi; done
make_real() { # DIR (relative to the repository)
  local p="" part
  local IFS=/
  for part in $1; do
    p=${p:+$p/}$part
    if [ -L "$tmp/w/$p" ]; then
      rm "$tmp/w/$p" && mkdir "$tmp/w/$p" || return 1
      for e in "$root/$p"/* "$root/$p"/.[!.]*; do
        if [ -e "$e" ]; then ln -s "$e" "$tmp/w/$p/${e##*/}" || return 1; fi
      done
    elif [ ! -d "$tmp/w/$p" ]; then
      mkdir "$tmp/w/$p" || return 1
    fi
  done
}

# The wrapper a fragment needs, from its first word: "program", "member"
# (a group member: a quoted label), "test" or "" (declarations).
fragment_kind() { # BODY
  local word
  word=$(awk '{ sub(/^[ \t]+/, "") } /^#/ || /^$/ { next } { print; exit }' "$1")
  case ${word%% *} in
    require|prefer|advise|hours|format|provider|grants|title|duration) echo program ;;
    \"*) echo member ;;
    expect|given|as) echo test ;;
    *) echo "" ;;
  esac
}
open_wrapper() { # KIND
  case $1 in
    program) echo 'program doc_example "Documentation example" {' ;;
    member) echo 'program doc_example "Documentation example" { require "doc example": all of {' ;;
    test) echo 'test "documentation example" {' ;;
  esac
}
close_wrapper() { # KIND
  case $1 in
    program|test) echo '}' ;;
    member) echo '} }' ;;
  esac
}

# FILE without its first HEAD and last TAIL lines, and without the
# indentation all its non-blank lines share.
dedent() { # FILE HEAD TAIL
  awk -v head="$2" -v tail="$3" '
    { line[NR] = $0 }
    END {
      min = -1
      for (i = head + 1; i <= NR - tail; i++) {
        if (line[i] !~ /[^ ]/) continue
        match(line[i], /^ */)
        if (min < 0 || RLENGTH < min) min = RLENGTH
      }
      for (i = head + 1; i <= NR - tail; i++) print substr(line[i], min + 1)
    }' "$1"
}

# Writes the file a rule block is checked as: the block's lines on their own
# line numbers in the document (FENCE+1 on), the fragment's context and
# opening wrapper on the fence's line, its closing after the block.
write_rule_file() { # BODY FENCE_LINE PREFIX SUFFIX OUT
  rm -f "$5"  # a link to the source tree is replaced, never written through
  { local i
    for ((i = 1; i < $2; i++)); do echo; done
    printf '%s\n' "$3"
    cat "$1"
    printf '%s\n' "$4"
  } >"$5"
}

check_rule_block() { # BODY DOC LINE LABEL DIRECTIVES...
  local body=$1 doc=$2 line=$3 label=$4
  shift 4
  local dir=docs include=rules/common/coach.pw parse=0 formatted=0 bname="" with="" d
  for d in "$@"; do
    case $d in
      dir=*) dir=${d#dir=} ;;
      include=*) include=${d#include=} ;;
      name=*) bname=${d#name=} ;;
      with=*) with=${d#with=} ;;
      parse) parse=1 ;;
      formatted) formatted=1 ;;
      E[0-9]*) [ "$label" = pathway-error ] || { fail "$doc" "$line" "\`$d\` is for \`\`\`pathway-error"; return; } ;;
      *) fail "$doc" "$line" "unknown word \`$d\` after \`\`\`$label (see docs/architecture.md, \"Examples in the documentation\")"; return ;;
    esac
  done
  if [ "$label" != pathway-fragment ] && { [ "$parse" = 1 ] || [ "$include" != rules/common/coach.pw ]; }; then
    fail "$doc" "$line" "\`parse\` and \`include=\` are for \`\`\`pathway-fragment"; return
  fi
  if [ -n "$with" ]; then
    [ "$label" = pathway-fragment ] || { fail "$doc" "$line" "\`with=\` is for \`\`\`pathway-fragment"; return; }
    [ -n "${named[$doc/$with]:-}" ] || { fail "$doc" "$line" "with=$with: no block before it in $doc says name=$with"; return; }
    include=${named[$doc/$with]}
  elif [ "$include" != none ]; then
    [ -f "$root/$include" ] || { fail "$doc" "$line" "include=$include: no such file"; return; }
    include=$root/$include
  fi
  make_real "$dir" || { fail "$doc" "$line" "dir=$dir: cannot be made"; return; }
  local name=$dir/${doc##*/}.pw kind="" prefix="" suffix=""
  if [ "$label" = pathway-fragment ]; then
    kind=$(fragment_kind "$body")
    [ "$include" != none ] && [ "$parse" = 0 ] && prefix="include \"$include\" "
    prefix+=$(open_wrapper "$kind")
    suffix=$(close_wrapper "$kind")
  fi
  # A failing example is not padded: its size may be what it is about.
  local at=$line
  [ "$label" != pathway-error ] || at=1
  write_rule_file "$body" "$at" "$prefix" "$suffix" "$tmp/w/$name"
  if [ -n "$bname" ]; then  # kept, beside it, for later blocks' with=
    named[$doc/$bname]=$tmp/w/$dir/.docs-block-$bname.pw
    cp "$tmp/w/$name" "${named[$doc/$bname]}"
  fi
  local status opts=()
  if [ "$label" = pathway-error ]; then
    # docs/errors.md's notations: `# check with: OPTIONS`, and {{N x TEXT}}
    # and {{NUL}} for what cannot be printed.
    read -ra opts < <(sed -n 's/^# check with: //p' "$body")
    perl -i -pe 's/\{\{(\d+) x (.*?)\}\}/$2 x $1/ge; s/\{\{NUL\}\}/\0/g' "$tmp/w/$name"
  fi
  if [ "$parse" = 1 ]; then
    (cd "$tmp/w" && "$bin" fmt "$name") >/dev/null 2>"$tmp/err"
    status=$?
    [ "$status" = 0 ] || fail "$doc" "$line" "\`\`\`$label parse: does not parse (pathway fmt: exit $status)" "$tmp/err"
  else
    (cd "$tmp/w" && "$bin" check "${opts[@]}" "$name") >"$tmp/out" 2>"$tmp/err"
    status=$?
    cat "$tmp/out" >>"$tmp/err"
    case $label in
      pathway-error)
        if [ "$status" = 0 ]; then fail "$doc" "$line" "\`\`\`pathway-error: compiles, but must fail"
        elif [ "$status" != 1 ]; then fail "$doc" "$line" "\`\`\`pathway-error: pathway check exit $status (expected 1: a diagnostic, not a crash)" "$tmp/err"
        elif ! grep -qE '(^|: )error: ' "$tmp/err"; then fail "$doc" "$line" "\`\`\`pathway-error: exit 1 without an error diagnostic" "$tmp/err"
        fi ;;
      *)
        if [ "$status" != 0 ] || [ -s "$tmp/err" ]; then
          fail "$doc" "$line" "\`\`\`$label: pathway check exit $status (expected 0, no diagnostics)" "$tmp/err"
        elif [ "$label" = pathway ] && grep -qE '^[[:space:]]*test +"' "$body"; then
          (cd "$tmp/w" && "$bin" test "$name") >"$tmp/out" 2>&1 ||
            fail "$doc" "$line" "\`\`\`pathway: its tests do not pass" "$tmp/out"
        fi ;;
    esac
  fi
  if [ "$formatted" = 1 ]; then
    # Formatting is checked without the padding and the context, and the
    # block as the wrapper's inside: both with their common indentation
    # taken off (a fragment of a program is shown from column 1).
    local f=$tmp/fmt.pw
    { open_wrapper "$kind"; cat "$body"; close_wrapper "$kind"; } >"$f"
    "$bin" fmt "$f" >"$tmp/fmt.out" 2>"$tmp/err" || { fail "$doc" "$line" "formatted: pathway fmt fails" "$tmp/err"; return; }
    local wrap
    wrap=$(open_wrapper "$kind" | wc -l)
    dedent "$body" 0 0 >"$tmp/fmt.want"
    dedent "$tmp/fmt.out" "$wrap" "$wrap" >"$tmp/fmt.got"
    diff -u --label "as written" --label "as pathway fmt prints it" "$tmp/fmt.want" "$tmp/fmt.got" >"$tmp/diff" ||
      fail "$doc" "$line" "formatted: pathway fmt changes it" "$tmp/diff"
  fi
}

check_json_block() { # BODY DOC LINE DIRECTIVES...
  local doc=$2 line=$3 d body=$tmp/block.json
  # `, ...]` and `, ...}` elide the rest of an array or object.
  sed -E 's/,[[:space:]]*\.\.\.([[:space:]]*[]}])/\1/g' "$1" >"$body"
  shift 3
  if command -v python3 >/dev/null; then
    # One JSON value, or JSON Lines.
    python3 - "$body" >"$tmp/err" 2>&1 <<'EOF' || fail "$doc" "$line" "\`\`\`json: not JSON" "$tmp/err"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    json.loads(text)
except ValueError:
    for n, l in enumerate(text.splitlines(), 1):
        if l.strip():
            try:
                json.loads(l)
            except ValueError as e:
                sys.exit("line %d: %s" % (n, e))
EOF
  fi
  for d in "$@"; do
    case $d in
      facts=*)
        local rules=${d#facts=}
        "$bin" eval "$root/$rules" --facts "$body" --as-of 2026-11-23 >"$tmp/out" 2>"$tmp/err"
        local status=$?
        if [ "$status" != 0 ] || [ -s "$tmp/err" ]; then
          fail "$doc" "$line" "\`\`\`json facts=$rules: pathway eval exit $status" "$tmp/err"
        fi ;;
      *) fail "$doc" "$line" "unknown word \`$d\` after \`\`\`json" ;;
    esac
  done
}

# The pathway commands a block of commands (sh: anywhere in a line; text:
# a line that starts with one, as a synopsis does) names: each is a command
# of `pathway --help`, and each --option after it is in that command's
# --help. In sh, a command ends at | ; & # > or the end of the line; in a
# synopsis, at the end of the line.
"$bin" --help >"$tmp/help" 2>&1
check_commands() { # BODY DOC LINE sh|text
  local body=$1 doc=$2 line=$3 at=$4 sub opt
  awk -v at="$at" '
    {
      s = $0
      while (match(s, /(^|[ \/])pathway [a-z]+/)) {
        if (at == "text" && RSTART != 1) break
        cmd = substr(s, RSTART, RLENGTH); sub(/.*pathway /, "", cmd)
        s = substr(s, RSTART + RLENGTH)
        seg = s
        if (at == "sh") sub(/[|;&#>].*/, "", seg)
        print cmd "\t"
        while (match(seg, /(^|[ [])--[a-z][a-z-]*/)) {
          o = substr(seg, RSTART, RLENGTH); sub(/^[ []/, "", o)
          print cmd "\t" o
          seg = substr(seg, RSTART + RLENGTH)
        }
      }
    }' "$body" | sort -u >"$tmp/commands"
  while IFS=$'\t' read -r sub opt; do
    if ! grep -qE "^  $sub " "$tmp/help"; then
      fail "$doc" "$line" "\`pathway $sub\`: not a pathway command"; continue
    fi
    [ -n "$opt" ] || continue
    [ -f "$tmp/help.$sub" ] || "$bin" "$sub" --help >"$tmp/help.$sub" 2>&1
    grep -qE -- "$opt([^a-z-]|\$)" "$tmp/help.$sub" ||
      fail "$doc" "$line" "\`pathway $sub $opt\`: \`pathway $sub --help\` has no $opt"
  done <"$tmp/commands"
}

# `<!-- output of: pathway ARGS [(in DIR)] -->` just above a block: every
# line of the block is a line of what the command prints (standard output
# and error), in that order, so that a block may leave lines out (a line
# `...` says so and is skipped); a line ending in ` ...` is the start of the
# line printed. The command runs in DIR of the repository (default its
# root) and may only read.
check_output() { # BODY DOC LINE COMMAND
  local body=$1 doc=$2 line=$3 cmd=$4 dir=.
  if [[ $cmd =~ ^(.*)\ \(in\ ([^\)]+)\)$ ]]; then cmd=${BASH_REMATCH[1]} dir=${BASH_REMATCH[2]}; fi
  local -a words
  read -ra words <<<"$cmd"
  case ${words[0]:-} in
    pathway|*/pathway) ;;
    *) fail "$doc" "$line" "output of: \`$cmd\`: only a pathway command is run"; return ;;
  esac
  local w
  for w in "${words[@]}"; do
    case $w in -o|--output|--output=*|-w|--list|--list=*|*\;*|*\|*|*\>*|*\<*|*\$*|*\`*)
      fail "$doc" "$line" "output of: \`$cmd\`: \`$w\`: the command may only read and print"; return ;;
    esac
  done
  (cd "$root/$dir" && "$bin" "${words[@]:1}") >"$tmp/cmd.out" 2>&1
  local status=$?
  if [ "$status" -ge 128 ]; then fail "$doc" "$line" "output of: \`$cmd\`: killed by signal $((status - 128))" "$tmp/cmd.out"; return; fi
  awk -v want="$body" '
    # A line of the block that ends in " ..." is the start of a longer one.
    function same(line, shown,    n) {
      if (shown !~ / \.\.\.$/) return line == shown
      n = length(shown) - 4
      return substr(line, 1, n) == substr(shown, 1, n)
    }
    BEGIN { while ((getline l < want) > 0) w[++nw] = l }
    { got[++ng] = $0 }
    END {
      g = 1
      for (i = 1; i <= nw; i++) {
        if (w[i] ~ /^[ \t]*\.\.\.[ \t]*$/) continue
        while (g <= ng && !same(got[g], w[i])) g++
        if (g > ng) {
          where = ""
          if (i > 1) where = " after line " (i - 1)
          printf "line %d of the block is not printed%s: %s\n", i, where, w[i]
          exit 1
        }
        g++
      }
    }' "$tmp/cmd.out" >"$tmp/why" ||
    fail "$doc" "$line" "not what \`$cmd\` prints" "$tmp/why"
}

# A ```console block: each line `$ pathway ARGS` is followed by (some of) the
# lines it prints, checked as an `output of:` comment's block is; run at
# the repository's root.
check_console() { # BODY DOC LINE
  local body=$1 doc=$2 line=$3 k=0 i
  rm -f "$tmp/console".*
  awk -v out="$tmp/console" '
    /^\$ / { k++; print NR "\t" substr($0, 3) > (out ".cmds"); printf "" > (out "." k); next }
    k { print > (out "." k) }
    !k && /[^ \t]/ { print NR "\t" > (out ".cmds") }' "$body"
  [ -s "$tmp/console.cmds" ] || { fail "$doc" "$line" "\`\`\`console: no \`$ pathway ...\` line"; return; }
  while IFS=$'\t' read -r i cmd; do
    if [ -z "$cmd" ]; then fail "$doc" "$((line + i))" "\`\`\`console: output before the first \`$ \` command"; continue; fi
    k=$((k + 1))
    check_output "$tmp/console.$k" "$doc" "$((line + i))" "$cmd"
  done <"$tmp/console.cmds"
}

# The index is read on descriptor 3: no command run for a block can read it.
while IFS=$'\037' read -r -u 3 n doc line info state cmd; do
  body=$tmp/blocks/$n
  if [ "$state" = unclosed ]; then fail "$doc" "$line" "this fence is never closed"; continue; fi
  if [ "$state" = tilde ]; then fail "$doc" "$line" "a ~~~ fence: fence blocks with \`\`\` (only those are checked)"; continue; fi
  read -r label directives <<<"$info"
  if [ -z "$label" ]; then
    fail "$doc" "$line" "a fenced block without a label: label it (\`\`\`pathway, \`\`\`text, \`\`\`sh, ...: docs/architecture.md, \"Examples in the documentation\")"
    continue
  fi
  case $known_labels in
    *" $label "*) ;;
    *) fail "$doc" "$line" "unknown label \`\`\`$label (known:$known_labels; add one to tests/docs/run.sh)"; continue ;;
  esac
  checked=$((checked + 1))
  [ -z "$cmd" ] || check_output "$body" "$doc" "$line" "$cmd"
  # shellcheck disable=SC2086 # the directives are words
  case $label in
    pathway|pathway-error|pathway-fragment) check_rule_block "$body" "$doc" "$line" "$label" $directives ;;
    console)  # the output is compared with what the commands print
      check_console "$body" "$doc" "$line"
      [ -z "$directives" ] || fail "$doc" "$line" "unknown words \`$directives\` after \`\`\`$label" ;;
    *)
      if grep -nE "$rule_line" "$body" >"$tmp/rules"; then
        fail "$doc" "$line" "\`\`\`$label block holds rule-language lines: label it \`\`\`pathway, \`\`\`pathway-error or \`\`\`pathway-fragment" "$tmp/rules"
      elif [ "$label" = sh ] || [ "$label" = text ]; then
        check_commands "$body" "$doc" "$line" "$label"
        if [ "$label" = sh ] && ! bash -n "$body" 2>"$tmp/err"; then
          fail "$doc" "$line" "\`\`\`sh: not shell syntax (bash -n)" "$tmp/err"
        fi
        [ -z "$directives" ] || fail "$doc" "$line" "unknown words \`$directives\` after \`\`\`$label"
      elif [ "$label" = json ]; then
        check_json_block "$body" "$doc" "$line" $directives
      elif [ -n "$directives" ]; then
        fail "$doc" "$line" "unknown words \`$directives\` after \`\`\`$label"
      fi ;;
  esac
done 3<"$tmp/index" </dev/null

echo "$checked fenced blocks checked in ${#docs[@]} documents"
[ "$checked" -gt 0 ] || { echo "FAIL no fenced block found"; failed=1; }
exit $failed
