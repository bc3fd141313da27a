#!/usr/bin/env bash
# Named sources (`source NAME = "..."`, `citing NAME`) and named
# requirements (`requirements NAME { ... }`, `require NAME`): a rule set
# written with them compiles to the bytecode of the same rule set written
# out, each sentence quoted in place and each block's requirements in each
# program (`pathway disasm` identical but for where each requirement is
# written), so eval and explain are unchanged; explain shows the quoted
# sentence; fmt keeps the forms.
# usage: reuse.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
named=$root/tests/rules/handbooks/reuse.pw

# The same file written out: each `require BLOCK` replaced by the block's
# requirements (with the block's citation where one cites nothing), each
# `citing NAME` by its sentence, and the `source` and `requirements`
# declarations removed.
mkdir "$tmp/named" "$tmp/inline"
cp "$named" "$tmp/named/reuse.pw"
python3 - "$named" "$tmp/inline/reuse.pw" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
sources = dict(re.findall(r'^source (\w+) = ("[^"\n]*")$', text, re.M))
assert sources, "no source declarations"
text = re.sub(r'^source \w+ = .*\n', '', text, flags=re.M)
blocks = {}
def block(m):
    name, cite, body = m.group(1), m.group(3), m.group(4)
    lines = []
    for line in body.splitlines():
        if re.match(r'^  require [a-z_]', line):
            lines.extend(blocks[line.split()[1]])
        elif cite and ' citing ' not in line:
            lines.append(line + ' citing ' + cite)
        else:
            lines.append(line)
    blocks[name] = lines
    return ''
text = re.sub(r'^requirements (\w+)( citing (\w+))? \{\n(.*?)\n\}\n\n', block, text, flags=re.M | re.S)
assert blocks, "no requirements blocks"
text = re.sub(r'^  require ([a-z_]\w*)$', lambda m: '\n'.join(blocks[m.group(1)]), text, flags=re.M)
text = re.sub(r'\bciting ([a-z_][a-z0-9_]*)\b', lambda m: 'citing ' + sources[m.group(1)], text)
open(sys.argv[2], 'w').write(text)
PY
grep -q 'citing "all courses require a COACH membership"' "$tmp/inline/reuse.pw" \
  && ok "inline: sentences quoted in place" || fail "inline: the rewrite did not quote"
grep -q '^requirements\|^source\|^  require [a-z]' "$tmp/inline/reuse.pw" \
  && fail "inline: a block or a source is left" || ok "inline: blocks written out"
expect_status inline-test 0 "$bin" test --coverage --min-coverage 100 "$tmp/inline/reuse.pw"

expect_status disasm-named 0 "$bin" disasm "$tmp/named/reuse.pw"
expect_status disasm-inline 0 "$bin" disasm "$tmp/inline/reuse.pw"
# The code, the strings and the requirements are the same; only where each
# requirement is written differs (`; reuse.pw:46:11` after a requirement,
# the listing `; reuse.pw:46: require ...`, and the count of line entries).
for f in named inline; do
  sed -E -e '/^; reuse\.pw:/d' -e 's/   ; reuse\.pw:[0-9:]+$//' -e 's/, [0-9]+ line entries$//' \
    "$tmp/disasm-$f.out" >"$tmp/code-$f"
done
diff "$tmp/code-named" "$tmp/code-inline" >"$tmp/code.diff" \
  && ok "disasm: sources and blocks compile to the written-out form" \
  || { fail "disasm: the forms differ"; head -20 "$tmp/code.diff"; }
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

# fmt lays out a block of requirements like a program's.
cat >"$tmp/messy-block.pw" <<'PW'
facts coach { member: boolean }
source enrol = "USATF membership required to enroll."
  requirements   adult   citing enrol   {
      require "membership": member
        require "member again": member
}
program p "P" {
      require    adult
}
PW
expect_status fmt-block 0 "$bin" fmt "$tmp/messy-block.pw" && cp "$tmp/fmt-block.out" "$tmp/block-once.pw"
expect_grep fmt-block out 'requirements adult citing enrol {'
expect_grep fmt-block out '  require "member again": member'
expect_grep fmt-block out '  require adult'
expect_status fmt-block2 0 "$bin" fmt --check "$tmp/block-once.pw"

# A source and a block declared in an included file are used by name, and
# the include counts as used (no PW103).
cat >"$tmp/sources.pw" <<'PW'
facts coach { member: boolean }
source enrol = "USATF membership required to enroll."
requirements adult citing enrol {
  require "USATF membership": member
}
PW
cat >"$tmp/main.pw" <<'PW'
include "sources.pw"
program p "P" {
  require "membership": member citing enrol
}
program q "Q" {
  require adult
}
PW
expect_status include 0 "$bin" disasm "$tmp/main.pw"
expect_grep include out 'citing "USATF membership required to enroll."'
expect_grep include out 'require "USATF membership": function'
expect_status include-lint 0 "$bin" lint "$tmp/main.pw"
[ -s "$tmp/include-lint.out" ] && fail "include-lint: findings: $(cat "$tmp/include-lint.out")" \
  || ok "include-lint: no findings"

# The lint reports a finding inside a block once, however many programs use
# the block.
cat >"$tmp/never.pw" <<'PW'
facts coach { birth_date: date }
define age = years since birth_date
requirements odd {
  require "a young adult": age >= 18 and age < 16
}
program p "P" {
  require odd
}
program q "Q" {
  require odd
}
PW
expect_status never-lint 1 "$bin" lint "$tmp/never.pw"
n=$(grep -c 'can never be met \[PW110\]' "$tmp/never-lint.out")
[ "$n" -eq 1 ] && ok "lint: the block's finding once" || fail "lint: the block's finding $n times"

# The shipped USATF rules, written with named sources and a block (194
# lines, 8,477 bytes), decide exactly as they did written out
# (tests/reuse/usatf-written-out.pw: 200 lines, 10,775 bytes without its
# own header): the rule tests, the examples, a generated population on two
# dates, and explain.
mkdir -p "$tmp/rules/usatf" "$tmp/rules/common"
cp "$root/rules/common/"*.pw "$tmp/rules/common/"
cp "$root/tests/reuse/usatf-written-out.pw" "$tmp/rules/usatf/usatf.pw"
cp "$root/rules/usatf/usatf.test.pw" "$tmp/rules/usatf/"
expect_status usatf-test 0 "$bin" test --coverage --min-coverage 100 "$tmp/rules/usatf/usatf.test.pw"
expect_status usatf-disasm-out 0 "$bin" disasm "$tmp/rules/usatf/usatf.pw"
expect_status usatf-disasm 0 "$bin" disasm "$root/rules/usatf/usatf.pw"
for f in usatf-disasm-out usatf-disasm; do
  sed -E -e '/^; usatf\.pw:/d' -e 's/   ; usatf\.pw:[0-9:]+$//' -e 's/, [0-9]+ line entries$//' \
    "$tmp/$f.out" >"$tmp/$f.code"
done
diff "$tmp/usatf-disasm-out.code" "$tmp/usatf-disasm.code" >"$tmp/usatf.diff" \
  && ok "usatf: the same bytecode but for where requirements are written" \
  || { fail "usatf: the bytecode differs"; head -20 "$tmp/usatf.diff"; }
expect_status usatf-fmt 0 "$bin" fmt --check "$tmp/rules/usatf/usatf.pw"
expect_status usatf-lint 0 "$bin" lint "$tmp/rules/usatf/usatf.pw"
expect_status usatf-examples 0 "$bin" eval "$tmp/rules/usatf/usatf.pw" --facts "$root/examples/coaches.jsonl" \
  --as-of 2026-11-23 --format jsonl
expect_status usatf-examples-shipped 0 "$bin" eval "$root/rules/usatf/usatf.pw" \
  --facts "$root/examples/coaches.jsonl" --as-of 2026-11-23 --format jsonl
cmp -s "$tmp/usatf-examples.out" "$tmp/usatf-examples-shipped.out" \
  && ok "usatf: the examples decide as with the rules written out" || fail "usatf: the examples differ"
for asof in 2026-11-23 2028-02-29; do
  python3 "$root/tests/rules/gen_population.py" 1000 7 "$asof" >"$tmp/pop.jsonl"
  for f in named shipped; do
    rules=$tmp/rules/usatf/usatf.pw
    [ "$f" = shipped ] && rules=$root/rules/usatf/usatf.pw
    "$bin" eval "$rules" --facts "$tmp/pop.jsonl" --as-of "$asof" --format jsonl >"$tmp/pop-$f.jsonl" 2>&1
    "$bin" explain "$rules" --facts "$tmp/pop.jsonl" --as-of "$asof" --format text 2>&1 \
      | sed -E 's/usatf\.pw:[0-9]+(:[0-9]+)?/usatf.pw/g' >"$tmp/why-$f.txt"
  done
  cmp -s "$tmp/pop-named.jsonl" "$tmp/pop-shipped.jsonl" \
    && ok "usatf: 1000 generated coaches decide alike as of $asof" || fail "usatf: decisions differ as of $asof"
  cmp -s "$tmp/why-named.txt" "$tmp/why-shipped.txt" \
    && ok "usatf: explain alike as of $asof" || fail "usatf: explain differs as of $asof"
done

exit $failed
