# What `pathway --help` and `pathway CMD --help` say, for the tests of the
# option tables (tests/cli/options.sh, tests/completion/*.sh). Sourced after
# lib/asserts.sh, with $bin and $tmp set.

# pw_commands: the commands `pathway --help` lists, one per line.
pw_commands() {
  "$bin" --help >"$tmp/.commands.help"
  sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$tmp/.commands.help"
}

# pw_help_labels CMD: the labels of the option list of CMD's help, one per
# line ("-o, --output FILE"): the lines indented by two that start with -.
pw_help_labels() {
  "$bin" "$1" --help >"$tmp/.labels.help"
  sed -n 's/^  \(-[^ ].*\)$/\1/p' "$tmp/.labels.help" | sed 's/  .*//'
}

# pw_help_options CMD: every option CMD's help lists (-o and --output apart),
# sorted, one per line.
pw_help_options() {
  pw_help_labels "$1" | tr ' ' '\n' | sed -n 's/,$//; /^-/p' | sort -u
}

# pw_value_options CMD: the options of CMD's help that take a value (the
# label names one: "--facts FILE").
pw_value_options() {
  pw_help_labels "$1" | while read -r label; do
    case $label in *" "[!-]*) ;; *) continue ;; esac
    for w in $label; do
      case $w in -*) echo "${w%,}" ;; esac
    done
  done | sort -u
}

# same_set NAME WANT_FILE GOT_FILE: two lists are equal, line for line; what
# one has and the other lacks when not.
same_set() {
  if cmp -s "$2" "$3"; then ok "$1"; else
    sort "$2" >"$tmp/.want"; sort "$3" >"$tmp/.got"
    fail "$1: missing: $(comm -23 "$tmp/.want" "$tmp/.got" | tr '\n' ' ')extra: $(comm -13 "$tmp/.want" "$tmp/.got" | tr '\n' ' ')"; fi
}
