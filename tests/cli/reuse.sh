#!/usr/bin/env bash
# Named sources (`source NAME = "..."`, `citing NAME`): a rule set that cites
# its sources by name compiles to the bytecode of the same rule set with the
# sentences quoted in place (`pathway disasm` identical but for the listing
# of each requirement's source line, which shows what was written), so eval
# and explain are unchanged; explain shows the quoted sentence; fmt
# keeps the form.
# usage: reuse.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
named=$root/tests/rules/handbooks/reuse.pw

# The same file with each `citing NAME` replaced by its sentence, and each
# `source` line kept as a comment (so that every line keeps its number).
mkdir "$tmp/named" "$tmp/inline"
cp "$named" "$tmp/named/reuse.pw"
python3 - "$named" "$tmp/inline/reuse.pw" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
sources = dict(re.findall(r'^source (\w+) = ("[^"\n]*")$', text, re.M))
assert sources, "no source declarations"
text = re.sub(r'^source (\w+) = .*$', r'# source \1', text, flags=re.M)
text = re.sub(r'\bciting ([a-z_][a-z0-9_]*)\b', lambda m: 'citing ' + sources[m.group(1)], text)
open(sys.argv[2], 'w').write(text)
PY
grep -q 'citing "all courses require a COACH membership"' "$tmp/inline/reuse.pw" \
  && ok "inline: sentences quoted in place" || fail "inline: the rewrite did not quote"

expect_status disasm-named 0 "$bin" disasm "$tmp/named/reuse.pw"
expect_status disasm-inline 0 "$bin" disasm "$tmp/inline/reuse.pw"
# `; reuse.pw:46: require ... citing NAME` lists the line as written.
for f in named inline; do grep -v '^; reuse\.pw:' "$tmp/disasm-$f.out" >"$tmp/code-$f"; done
diff "$tmp/code-named" "$tmp/code-inline" >"$tmp/code.diff" \
  && ok "disasm: citing by name compiles to the quoted form" \
  || { fail "disasm: the forms differ"; head -20 "$tmp/code.diff"; }
n=$(diff "$tmp/disasm-named.out" "$tmp/disasm-inline.out" | grep -c '^< ; reuse\.pw:[0-9]*: require .* citing [a-z_]*$')
[ "$n" -eq 6 ] && ok "disasm: only the 6 listed source lines differ" || fail "disasm: $n listed lines differ, expected 6"
expect_grep disasm-named out 'citing "a current criminal record check at 19 and over"'

cat >"$tmp/coach.json" <<'JSON'
{"birth_date": "1990-06-15", "coach_member": true, "crc": "2020-01-01"}
JSON
expect_status explain-named 0 "$bin" explain --format text "$tmp/named/reuse.pw" --facts "$tmp/coach.json" --as-of 2026-11-23
expect_status explain-inline 0 "$bin" explain --format text "$tmp/inline/reuse.pw" --facts "$tmp/coach.json" --as-of 2026-11-23
cmp -s "$tmp/explain-named.out" "$tmp/explain-inline.out" \
  && ok "explain: the same for both forms" || fail "explain: the forms differ"
expect_grep explain-named out 'citing "a current criminal record check at 19 and over"'
expect_status eval-named 0 "$bin" eval "$tmp/named/reuse.pw" --facts "$tmp/coach.json" --as-of 2026-11-23
expect_status eval-inline 0 "$bin" eval "$tmp/inline/reuse.pw" --facts "$tmp/coach.json" --as-of 2026-11-23
cmp -s "$tmp/eval-named.out" "$tmp/eval-inline.out" \
  && ok "eval: the same for both forms" || fail "eval: the forms differ"

# fmt lays out a badly spaced source declaration and a citation by name, and
# is idempotent on the result.
cat >"$tmp/messy.pw" <<'PW'
facts coach { member: boolean }
   source   enrol   =   "USATF membership required to enroll."
program p "P" {
require "membership": member    citing    enrol
}
PW
expect_status fmt1 0 "$bin" fmt "$tmp/messy.pw" && cp "$tmp/fmt1.out" "$tmp/once.pw"
expect_grep fmt1 out 'source enrol = "USATF membership required to enroll."'
expect_grep fmt1 out '  require "membership": member citing enrol'
expect_status fmt2 0 "$bin" fmt "$tmp/once.pw"
cmp -s "$tmp/fmt1.out" "$tmp/fmt2.out" && ok "fmt: idempotent" || fail "fmt: not idempotent"
expect_status check-once 0 "$bin" check "$tmp/once.pw"

# A source declared in an included file is cited by name.
cat >"$tmp/sources.pw" <<'PW'
facts coach { member: boolean }
source enrol = "USATF membership required to enroll."
PW
cat >"$tmp/main.pw" <<'PW'
include "sources.pw"
program p "P" {
  require "membership": member citing enrol
}
PW
expect_status include 0 "$bin" disasm "$tmp/main.pw"
expect_grep include out 'citing "USATF membership required to enroll."'

exit $failed
