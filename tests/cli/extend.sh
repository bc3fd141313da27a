#!/usr/bin/env bash
# `extend facts|record NAME { ... }` and `extend known NAME with [...]`: a
# rule set that extends the shared coach record compiles to the bytecode of
# the same rule set with the fields and values written into the shared
# declarations (after their own: `pathway disasm` identical but for source
# lines), so eval, explain, when, plan and diff are unchanged; a coach's
# JSON is checked on the added fields like on any other; the lint reads
# them (PW102, PW103, PW114); fmt lays an extension out and is idempotent.
# usage: extend.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

# The handbook rule set as written (named), and with its extensions written
# into the shared file's declarations (inline).
for f in named inline; do mkdir -p "$tmp/$f/common" "$tmp/$f/body"; done
sed 's|^include "../../../rules/common/coach.pw"|include "../common/coach.pw"|' \
  "$root/tests/rules/handbooks/extend.pw" >"$tmp/named/body/extend.pw"
cp "$root/rules/common/coach.pw" "$tmp/named/common/coach.pw"
python3 - "$tmp/named/body/extend.pw" "$tmp/named/common/coach.pw" \
  "$tmp/inline/body/extend.pw" "$tmp/inline/common/coach.pw" <<'PY'
import re, sys
body, coach = open(sys.argv[1]).read(), open(sys.argv[2]).read()
exts = re.findall(r'^extend (facts|record) (\w+) \{\n(.*?)^\}\n', body, re.M | re.S)
known = re.findall(r'^extend known (\w+) with \[(.*?)\]\n', body, re.M | re.S)
assert len(exts) == 2 and len(known) == 2, (exts, known)
for kind, name, fields in exts:
    # the fields go last in the declaration (before its closing brace)
    m = re.search(r'^%s %s \{\n.*?^\}' % (kind, name), coach, re.M | re.S)
    coach = coach[:m.end() - 1] + fields + coach[m.end() - 1:]
for name, values in known:
    m = re.search(r'^known %s = \[(.*?)\]' % name, coach, re.M | re.S)
    coach = coach[:m.end() - 1] + ', ' + values.strip() + coach[m.end() - 1:]
body = re.sub(r'^extend (facts|record) \w+ \{\n.*?^\}\n\n?', '', body, flags=re.M | re.S)
body = re.sub(r'^extend known \w+ with \[.*?\]\n\n?', '', body, flags=re.M | re.S)
open(sys.argv[3], 'w').write(body)
open(sys.argv[4], 'w').write(coach)
PY
grep -q '^extend' "$tmp/inline/body/extend.pw" && fail "inline: an extension is left" || ok "inline: extensions written in"
grep -q 'head_coach: boolean = false' "$tmp/inline/common/coach.pw" \
  && ok "inline: the field is in the shared record" || fail "inline: the rewrite did not add the field"
for f in named inline; do
  expect_status test-$f 0 "$bin" test --coverage --min-coverage 100 "$tmp/$f/body/extend.pw"
  expect_status disasm-$f 0 "$bin" disasm "$tmp/$f/body/extend.pw"
  # Only where things are written differs: the lines of the shared file
  # move when fields are written into it.
  sed -E -e '/^; [^ ]+\.pw:[0-9]+:/d' -e 's/   ; [^ ]+\.pw:[0-9:]+$//' -e 's/, [0-9]+ line entries$//' \
    "$tmp/disasm-$f.out" >"$tmp/code-$f"
done
diff "$tmp/code-named" "$tmp/code-inline" >"$tmp/code.diff" \
  && ok "disasm: extensions compile to the fields and values written in" \
  || { fail "disasm: the forms differ"; head -20 "$tmp/code.diff"; }
# The facts record's fields: the shared ones in their places, then the added ones.
python3 - "$tmp/disasm-named.out" >"$tmp/order" <<'PY'
import re, sys
names = re.findall(r'^\s+\d+\s+"([a-z_0-9]+)"$', open(sys.argv[1]).read(), re.M)
print(' '.join(names[:14]))
PY
expect_grep_order() { grep -qF -- "$1" "$tmp/order" && ok "layout: $1" || { fail "layout: $(cat "$tmp/order")"; }; }
expect_grep_order 'coach id birth_date coaching_since memberships certificates roles athletes_coached teaching_experience advanced_degree background_checks courses foreign_licences head_coach'

# The same answers from both forms.
cat >"$tmp/coaches.jsonl" <<'JSON'
{"id": "d", "birth_date": "2006-04-01", "memberships": [{"body": "state-association", "expires": null}, {"body": "us-soccer", "expires": null}], "certificates": [{"id": "ussf-grassroots-11v11", "issued": "2024-05-01", "expires": null, "in_person": true}, {"id": "ussf-d", "issued": "2025-06-15", "expires": null}]}
{"id": "b", "birth_date": "1990-01-01", "head_coach": true, "memberships": [{"body": "us-soccer", "expires": null}], "certificates": [{"id": "ussf-c", "issued": "2025-10-01", "expires": null}]}
{"id": "f", "birth_date": "1990-01-01", "memberships": [{"body": "us-soccer", "expires": null}], "foreign_licences": [{"equivalent": "ussf-d", "reviewed": true}]}
JSON
for f in named inline; do
  expect_status eval-$f 0 "$bin" eval "$tmp/$f/body/extend.pw" --facts "$tmp/coaches.jsonl" --as-of 2026-11-23
  expect_status explain-$f 0 "$bin" explain --format text "$tmp/$f/body/extend.pw" --facts "$tmp/coaches.jsonl" \
    --as-of 2026-11-23
  # exit 1: coach "b" holds no D License, so is never eligible for the C
  expect_status when-$f 1 "$bin" when --format text "$tmp/$f/body/extend.pw" --facts "$tmp/coaches.jsonl" \
    --program ussf_c --as-of 2026-01-01
  expect_status plan-$f 0 "$bin" plan --format text "$tmp/$f/body/extend.pw" --facts "$tmp/coaches.jsonl" \
    --target ussf_b --as-of 2026-11-23
done
for c in eval explain when plan; do
  cmp -s "$tmp/$c-named.out" "$tmp/$c-inline.out" \
    && ok "$c: the same for both forms" || fail "$c: the forms differ"
done
expect_grep eval-named out '{"id":"b","as_of":"2026-11-23","results":[{"program":"ussf_d","eligible":false'
expect_grep eval-named out '{"program":"ussf_b","eligible":true'
# explain shows the added fields it read, in the facts and in an element
expect_grep explain-named out 'head_coach is true'
expect_grep when-named out 'eligible from 2026-06-15, when "a National D License for 12 months, or a recognised one" is met'
expect_grep plan-named out 'the head coach of a team'
expect_status diff 0 "$bin" diff "$tmp/inline/body/extend.pw" "$tmp/named/body/extend.pw" \
  --facts "$tmp/coaches.jsonl" --as-of 2026-11-23 --format json
python3 - "$tmp/diff.out" <<'PY' && ok "diff: no coach changes between the forms" || fail "diff: $(head -c 400 "$tmp/diff.out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["records"] == 3 and len(d["programs"]) == 3, d
for p in d["programs"]:
    assert p["status"] == "same" and p["gained"] == 0 and p["lost"] == 0 and not p["requirements"], p
PY

# A coach's JSON is checked on the added fields: types, and required keys
# inside an element come from the shared record as before.
cat >"$tmp/bad.jsonl" <<'JSON'
{"id": "t", "birth_date": "1990-01-01", "head_coach": "yes"}
{"id": "e", "birth_date": "1990-01-01", "certificates": [{"id": "ussf-d", "issued": "2025-01-01", "expires": null, "in_person": 1}]}
{"id": "r", "birth_date": "1990-01-01", "foreign_licences": [{"reviewed": true}]}
JSON
expect_status eval-bad 1 "$bin" eval "$tmp/named/body/extend.pw" --facts "$tmp/bad.jsonl" --as-of 2026-11-23
expect_grep eval-bad out '{"id":"t","error":"`head_coach`:'
expect_grep eval-bad out '{"id":"e","error":"`certificates[0].in_person`:'
expect_grep eval-bad out '{"id":"r","error":"`foreign_licences[0]`: missing required field `equivalent`"}'

# Lint: an added field nothing reads is reported where it is added; a file
# included only to extend its list is used; the added values are known.
cat >"$tmp/named/body/lint.pw" <<'PW'
include "../common/coach.pw"
include "extra.pw"

extend known membership_body with ["us-soccer"]
extend known region with ["west"]

extend facts coach {
  games: integer >= 0 = 0
  licence_number: text? = none
}

program p "P" {
  require "a U.S. Soccer member": member("us-soccer") citing "p. 1"
  require "50 games": games >= 50 citing "p. 1"
  require "the usatf": member("usatf-coaches-registy") citing "p. 1"
}
PW
cat >"$tmp/named/body/extra.pw" <<'PW'
known region = ["east"]
PW
expect_status lint 1 "$bin" lint "$tmp/named/body/lint.pw"
expect_grep lint out 'lint.pw:9:3: warning: field `licence_number` of facts `coach` is never read [PW102]'
expect_grep lint out '"usatf-coaches-registy" is not a known value of `membership_body` [PW114]'
grep -q 'games\|us-soccer\|PW103' "$tmp/lint.out" && fail "lint: a finding about what is read: $(cat "$tmp/lint.out")" \
  || ok "lint: the added field read, the added value known, the include used"

# A root's own facts record extended by a file it includes: a field added
# there is that file's, reported nowhere when unread (the include is, PW103).
mkdir "$tmp/plugin"
cat >"$tmp/plugin/main.pw" <<'PW'
include "plugin.pw"
facts coach { n: integer = 0 }
program p "P" { require "r": n > 1 citing "x" }
PW
printf 'extend facts coach { m: integer = 0 }\n' >"$tmp/plugin/plugin.pw"
expect_status lint-plugin 1 "$bin" lint "$tmp/plugin/main.pw"
expect_grep lint-plugin out 'nothing from "plugin.pw" is used [PW103]'
grep -q 'PW102' "$tmp/lint-plugin.out" && fail "lint-plugin: PW102 in the included file" || ok "lint-plugin: no PW102"
sed -i 's/n > 1/n + m > 1/' "$tmp/plugin/main.pw"
expect_status lint-plugin-used 0 "$bin" lint "$tmp/plugin/main.pw"

# fmt: an extension laid out like the declaration it extends (a `}` stays
# on its line, as in a `facts` block), idempotent.
cat >"$tmp/messy.pw" <<'PW'
include "../common/coach.pw"
  extend   known   certificate_id   with   [ "ussf-d" ,
       "ussf-c" ]
extend facts coach {
licences: integer = 0
      head_coach: boolean = false }
   extend record certificate { in_person: boolean = false }
PW
cp "$tmp/messy.pw" "$tmp/named/body/messy.pw"
expect_status fmt1 0 "$bin" fmt "$tmp/named/body/messy.pw" && cp "$tmp/fmt1.out" "$tmp/named/body/once.pw"
expect_out fmt1 <<'PW'
include "../common/coach.pw"
extend known certificate_id with ["ussf-d",
  "ussf-c"]
extend facts coach {
  licences: integer = 0
  head_coach: boolean = false }
extend record certificate { in_person: boolean = false }
PW
expect_status fmt2 0 "$bin" fmt --check "$tmp/named/body/once.pw"
expect_status check-once 0 "$bin" check "$tmp/named/body/once.pw"

exit $failed
