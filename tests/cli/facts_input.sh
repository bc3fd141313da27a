#!/usr/bin/env bash
# What a facts record may hold, and what it may cost (docs/coach-record.md,
# docs/robustness.md): text, keys and ids holding \u0000 are bad records
# (cJSON would cut them short: "usatf\u0000-expired" read as "usatf");
# integers are checked as written (no fraction, no exponent, nothing rounded
# past 2^53, the message quotes the number as the record wrote it); numbers
# and text that are not JSON (RFC 8259) although cJSON reads them (01, 1.,
# a raw tab inside a string) are refused, every spelling from a table
# agreeing with Python's json module; and a
# line longer than --limit record-bytes is a bad record at its line number on
# every command that reads facts, skipped to its newline, while the records
# around it still get their results.
# usage: facts_input.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
rules=$root/rules/usatf/usatf.pw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

ev() { "$bin" eval "$rules" --as-of 2026-11-23 --facts "$@"; }
good='"birth_date":"1980-01-01","coaching_since":"2010-01-01"'
member='"memberships":[{"body":"usatf","expires":"2027-12-31"}]'

# --- \u0000 in text, keys and ids ------------------------------------------------
{
  echo '{"id":"N1",'"$good"',"memberships":[{"body":"usatf\u0000-expired-2001","expires":"2027-12-31"}]}'
  echo '{"id":"N2",'"$good"','"$member"',"certificates":[{"id":"usatf-level-1\u0000REVOKED","issued":"2020-01-01","expires":null}]}'
  echo '{"id":"C0001\u0000",'"$good"'}'
  echo '{"id":"C0001",'"$good"'}'
  echo '{"id":"N4",'"$good"',"athletes_coached":3,"ath\u0000letes_coached":4}'
  echo '{"id":"N5",'"$good"',"roles":["a","b\u0000"]}'
  echo '{"id":"N6",'"$good"','"$member"',"note":"a\\u0000b"}'
} >"$tmp/nul.jsonl"
expect_status nul 1 ev "$tmp/nul.jsonl"
expect_grep nul out '{"id":"N1","error":"`memberships[0].body`: text holds \\u0000 (U+0000)'
expect_grep nul out '{"id":"N2","error":"`certificates[0].id`: text holds \\u0000 (U+0000)'
expect_grep nul out '{"id":null,"error":"`id`: text holds \\u0000 (U+0000)'
expect_grep nul out '{"id":"N4","error":"a key holds \\u0000 (U+0000)'
expect_grep nul out '{"id":"N5","error":"`roles[1]`: text holds \\u0000 (U+0000)'
# An escaped backslash before u0000 is the text \u0000, which is fine.
expect_grep nul out '{"id":"N6","as_of"'
if [ "$(grep -c '"id":"C0001"' "$tmp/nul.out")" = 1 ]; then ok "nul: one record prints as C0001"; else
  fail "nul: the id C0001\\u0000 printed as C0001"; fi
expect_grep nul err 'nul.jsonl:1: error: record "N1": `memberships[0].body`: text holds \u0000'
# A file that is one array is checked the same way.
{ echo '['; sed -n 1p "$tmp/nul.jsonl"; echo ','; sed -n 4p "$tmp/nul.jsonl"; echo ']'; } >"$tmp/nul.json"
expect_status nul_array 1 ev "$tmp/nul.json"
expect_grep nul_array out '{"id":"N1","error":"`memberships[0].body`: text holds \\u0000'
expect_grep nul_array out '{"id":"C0001","as_of"'

# --- integers as written ---------------------------------------------------------
{
  for n in 1e2 1.0 1e15 -0.0 9007199254740993 -9007199254740993 100000000000000000000; do
    echo '{"id":"I'"$n"'",'"$good"',"athletes_coached":'"$n"'}'
  done
  echo '{"id":"I_ok",'"$good"',"athletes_coached":9007199254740992,"x":1.5}'
  echo '{"id":"I_num",'"$good"',"courses":[{"id":"c","completed":"2020-01-01","hours":1e1}]}'
} >"$tmp/int.jsonl"
expect_status int 1 ev "$tmp/int.jsonl"
for n in 1e2 1.0 1e15 -0.0; do
  expect_grep int out '{"id":"I'"$n"'","error":"`athletes_coached`: expected an integer, got '"$n"'"}'
done
for n in 9007199254740993 -9007199254740993 100000000000000000000; do
  expect_grep int out '{"id":"I'"$n"'","error":"`athletes_coached`: integer '"$n"' is out of range (magnitude at most 2^53)"}'
done
expect_grep int out '{"id":"I_ok","as_of"'
expect_grep int out '{"id":"I_num","as_of"'

# --- numbers JSON does not allow (RFC 8259), though cJSON reads them ----------
{
  echo '{"id":"Z01",'"$good"',"athletes_coached":01}'
  echo '{"id":"Z-01",'"$good"',"athletes_coached":-01}'
  echo '{"id":"Z007",'"$good"',"athletes_coached":007}'
  echo '{"id":"Zh",'"$good"',"courses":[{"id":"c","completed":"2020-01-01","hours":00.5}]}'
  echo '{"id":"Zdot",'"$good"',"athletes_coached":1.}'
  echo '{"id":"Z0",'"$good"',"athletes_coached":0,"x":-0}'
  printf '{"id":"Ztab",%s,"advanced_degree":"a\tb"}\n' "$good"
  # Past the raw tab nothing is checked: this id may be cut short (it is),
  # so the error line does not name it.
  printf '{%s,"advanced_degree":"a\tb","id":"Z0\\u0000x"}\n' "$good"
} >"$tmp/zero.jsonl"
expect_status zero 1 ev "$tmp/zero.jsonl"
for n in 01 -01 007; do
  expect_grep zero out '{"id":"Z'"$n"'","error":"`athletes_coached`: '"$n"' is not a JSON number (RFC 8259): it has a leading zero"}'
done
expect_grep zero out '{"id":"Zh","error":"`courses[0].hours`: 00.5 is not a JSON number (RFC 8259): it has a leading zero"}'
expect_grep zero out '{"id":"Zdot","error":"`athletes_coached`: 1. is not a JSON number (RFC 8259): it has no digit on one side of the decimal point"}'
expect_grep zero out '{"id":"Ztab","error":"not valid JSON (RFC 8259) at byte 90: invalid character inside string"}'
expect_grep zero out '{"id":"Z0","as_of"'
expect_grep zero out '{"id":null,"error":"not valid JSON (RFC 8259) at byte 78: invalid character inside string"}'
if [ "$(grep -c '"id":"Z0"' "$tmp/zero.out")" = 1 ]; then ok "zero: one record prints as Z0"; else
  fail "zero: the id Z0\\u0000x printed as Z0"; fi
expect_grep zero err 'zero.jsonl:1: error: record "Z01": `athletes_coached`: 01 is not a JSON number'
if [ "$(grep -c . "$tmp/zero.out")" = 8 ]; then ok "zero: one line per record"; else fail "zero: not one line per record"; fi
# A file that is one array: the bad record and every one after it are
# refused (the text is not JSON from there on; their ids unchecked, so not
# named), the one before is read.
{ echo '['; sed -n 6p "$tmp/zero.jsonl"; echo ','; sed -n 1p "$tmp/zero.jsonl"; echo ','
  echo '{"id":"after",'"$good"',"roles":["b\u0000"]}'; echo ']'; } >"$tmp/zero.json"
expect_status zero_array 1 ev "$tmp/zero.json"
expect_grep zero_array out '{"id":"Z0","as_of"'
expect_grep zero_array out '{"id":"Z01","error":"`athletes_coached`: 01 is not a JSON number (RFC 8259): it has a leading zero"}'
expect_grep zero_array out '{"id":null,"error":"not valid JSON (RFC 8259) at byte 188: 01 is not a JSON number"}'
if grep -q '"id":"after"' "$tmp/zero_array.out"; then fail "zero_array: an unchecked id is named"; else
  ok "zero_array: the unchecked id is not named"; fi

# The class, not the case: every spelling of a number from a table of signs,
# integer parts, fractions and exponents, in a field the rules do not read
# (where any JSON number is fine), is accepted exactly when Python's json
# module (RFC 8259) accepts it.
python3 - "$tmp/spell.jsonl" "$tmp/spell.want" <<'PY' || fail "spell: generating the facts"
import itertools, json, sys
out, want = open(sys.argv[1], "w"), open(sys.argv[2], "w")
good = '"birth_date":"1980-01-01"'
for i, parts in enumerate(itertools.product(["", "-", "+"], ["", "0", "00", "01", "1", "10", "007"],
                                            ["", ".", ".0", ".5", ".50"], ["", "e", "e5", "E+5", "e-05", "e+"])):
    n = "".join(parts)
    line = '{"id":"S%d",%s,"x":%s}' % (i, good, n)
    try:
        json.loads(line)
        ok = True
    except ValueError:
        ok = False
    out.write(line + "\n")
    want.write("S%d %s %s\n" % (i, "ok" if ok else "refused", n))
PY
ev "$tmp/spell.jsonl" >"$tmp/spell.out" 2>/dev/null
python3 - "$tmp/spell.out" "$tmp/spell.want" <<'PY' && ok "spell: accepted exactly when RFC 8259 allows it" || failed=1
import json, sys
got = {}
for l in open(sys.argv[1]):
    o = json.loads(l)
    got[o["id"] or ""] = "refused" if "error" in o else "ok"
bad = 0
lines = open(sys.argv[2]).read().split("\n")
for w in filter(None, lines):
    i, verdict, n = (w.split(" ") + [""])[:3]
    g = got.get(i, "refused")  # a record without a readable id is refused
    if g != verdict:
        bad += 1
        if bad <= 5:
            print("FAIL spell: %r is %s, RFC 8259 says %s" % (n, g, verdict))
print("     %d spellings, %d disagree" % (len(list(filter(None, lines))), bad))
sys.exit(1 if bad else 0)
PY

# --- record-bytes ----------------------------------------------------------------
{
  echo '{"id":"R1",'"$good"'}'
  printf '{"id":"R2","pad":"'; head -c 2000000 /dev/zero | tr '\0' x; echo '"}'
  echo '{"id":"R3",'"$good"'}'
  head -c 3000000 /dev/zero | tr '\0' x; echo
  echo '{"id":"R5",'"$good"'}'
} >"$tmp/long.jsonl"
expect_status long 1 ev "$tmp/long.jsonl"
expect_grep long err 'long.jsonl:2: error: record without an id: the record is longer than the limit of 1048576 bytes (--limit record-bytes=N)'
expect_grep long err 'long.jsonl:4: error: record without an id: the record is longer than the limit of 1048576 bytes'
for r in R1 R3 R5; do expect_grep long out '{"id":"'$r'","as_of"'; done
# A smaller limit; the same file whole when the limit allows it.
expect_status long_small 1 ev "$tmp/long.jsonl" --limit record-bytes=40
expect_grep long_small err 'long.jsonl:1: error: record without an id: the record is longer than the limit of 40 bytes'
expect_status long_big 1 ev "$tmp/long.jsonl" --limit record-bytes=4M
expect_grep long_big out '{"id":"R2","error":"missing required field `birth_date`"}'
expect_grep long_big err 'long.jsonl:4: error: record without an id: invalid JSON'
# A last line without a newline, longer than the limit.
head -c 2000000 /dev/zero | tr '\0' x >"$tmp/endless"
expect_status endless 1 ev "$tmp/endless"
expect_grep endless err 'endless:1: error: record without an id: the record is longer than the limit'
# Every command that reads facts.
for c in explain report; do
  expect_status "long_$c" 1 "$bin" "$c" "$rules" --facts "$tmp/long.jsonl" --as-of 2026-11-23
  expect_grep "long_$c" err 'long.jsonl:2: error: record without an id: the record is longer than the limit of 1048576 bytes'
done
expect_status long_when 1 "$bin" when "$rules" --facts "$tmp/long.jsonl" --program level_1 --as-of 2026-11-23
expect_grep long_when err 'long.jsonl:2: error: record without an id: the record is longer than the limit'
expect_status long_plan 1 "$bin" plan "$rules" --facts "$tmp/long.jsonl" --target level_1 --as-of 2026-11-23
expect_grep long_plan err 'long.jsonl:2: error: record without an id: the record is longer than the limit'
expect_status long_diff 1 "$bin" diff "$rules" "$rules" --facts "$tmp/long.jsonl" --as-of 2026-11-23
expect_grep long_diff err 'long.jsonl:2: error: record without an id: the record is longer than the limit'
expect_status limit_bad 2 ev "$tmp/long.jsonl" --limit record-bytes=0
expect_grep limit_bad err 'record-bytes=0'

exit $failed
