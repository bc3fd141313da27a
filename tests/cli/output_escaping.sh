#!/usr/bin/env bash
# Ids and text from facts in every output (docs/robustness.md, "Ids and text
# from facts in output"; util/escape.h). A generated facts file holds the
# whole class of hostile ids: every C0 control, DEL, every C1 control, ESC
# sequences (clear screen, OSC 8 hyperlink, CSI), CR and LF that would forge
# a line, the bidi embeddings, overrides and isolates, U+2028/U+2029, a lone
# surrogate, raw bytes that are not UTF-8, a 100,000-character id, ids that
# a spreadsheet runs as a formula (= + - @ TAB CR) and ids with commas and
# quotes; every piece also at an id's start and end; U+0000 in ids and
# values (refused, never cut short); hostile text also sits in a field's
# value and in a bad record's message. Every command and format runs on it, and the checker asserts:
#  - no raw control, bidi or separator character and no invalid UTF-8 reaches
#    standard output or standard error, other than the format's own line
#    breaks (CSV, a data file, keeps an id's characters inside quotes: it
#    is parsed and checked apart, and must be UTF-8);
#  - the text formats show each such character as its visible escape
#    (\x1b, \u202e, \xff), where the id is printed;
#  - JSON output parses, line by line, and gives each id back exactly;
#  - CSV parses as RFC 4180, gives each id back, and a field that starts
#    with a formula character is neutralised with a leading quote.
# usage: output_escaping.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

mkdir -p "$tmp/common"
cp "$root/rules/common/coach.pw" "$tmp/common/"
# Coaches born in 2007 are 19 on the date: adults under the old rules, not
# under the new, so that every one of them is in diff's list; "named" makes
# explain show the id again, as a value it looked at. The rules' own text
# (a label with a tab and a line break) is shown the same way.
cat >"$tmp/old.pw" <<'EOF'
include "common/coach.pw"
program p "P" {
  require "adult\tline\nforged": age >= 18
  require "a member": member("usatf")
  require "named": id != "nobody"
}
EOF
sed 's/age >= 18/age >= 21/' "$tmp/old.pw" >"$tmp/new.pw"

python3 - "$tmp" gen <<'EOF' || fail "generating the facts"
import json, sys
tmp = sys.argv[1]
ids = []
for c in list(range(1, 0x20)) + [0x7F] + list(range(0x80, 0xA0)):
    ids.append("c%02x-%s-end" % (c, chr(c)))
ids += ["\u001b[2Jcleared", "\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007",
        "\u009b31mred", "C0001\nC0002 (as of 2026-06-01)", "C0003\r\nforged", "tab\there",
        "=HYPERLINK(\"http://evil.example/\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)",
        "\t=1+1", "\r=1+1", "a,b", "say \"hi\"", "\"quoted\"", " padded ",
        "long-" + "x" * 100000 + "\u001b[2J"]
ids += ["bidi-%04x-%s-end" % (c, chr(c)) for c in list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))]
ids += ["sep-\u2028-\u2029-end", "caf\u00e9 \u2713 ok"]
# The class, not only the cases: every hostile piece also at the start and
# at the end of an id (a bidi override or ESC first, a line break last).
pieces = ([chr(c) for c in list(range(1, 0x20)) + [0x7F] + list(range(0x80, 0xA0))]
          + [chr(c) for c in list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))]
          + ["\u2028", "\u2029", "\u001b[2J", "\u001b]8;;http://evil.example/\u0007", "\u009b31m"])
for k, p in enumerate(pieces):
    ids += [p + "start%d" % k, "end%d-" % k + p]
# The text \u0000 (an escaped backslash): six ordinary characters.
ids += ["esc-\\u0000-text"]
lines = []
for i in ids:
    lines.append(json.dumps({"id": i, "birth_date": "2007-01-01",
                             "memberships": [{"body": "usatf", "expires": None},
                                             {"body": "x-\u001b[31m-" + i[:20], "expires": None}]}))
# Not UTF-8: raw bytes inside the JSON text.
raw = [b"raw-\xff\xfe-end", b"raw-\xc3-cut", b"raw-\xc0\xaf-overlong", b"raw-\x9b-c1byte", b"raw-\xed\xa0\x80-surrogate"]
out = b"".join(l.encode() + b"\n" for l in lines)
for r in raw:
    out += b'{"id":"' + r + b'","birth_date":"2007-01-01","memberships":[{"body":"usatf","expires":null}]}\n'
# A lone surrogate escape, and bad records whose messages quote hostile text.
out += b'{"id":"lone-\\ud800-end","birth_date":"2007-01-01","memberships":[]}\n'
out += json.dumps({"id": "bad-\u001b[2J-\u202e", "birth_date": "x\u001b[2J\u202e"}).encode() + b"\n"
out += json.dumps({"id": "=bad\nrecord", "birth_date": 5}).encode() + b"\n"
# U+0000 in an id, alone, and in a value: refused (cJSON would cut the text
# short: "nul-" would pass for the id), never shown raw.
for r in [{"id": "nul-\u0000-end"}, {"id": "\u0000"},
          {"id": "nulval-\u202e", "memberships": [{"body": "usatf\u0000x", "expires": None}]}]:
    r.setdefault("birth_date", "2007-01-01")
    out += json.dumps(r).encode() + b"\n"
open(tmp + "/hostile.jsonl", "wb").write(out)
json.dump(ids, open(tmp + "/ids.json", "w"))
EOF

pw() { (cd "$tmp" && "$bin" "$@"); }
day=(--as-of 2026-06-01)
# NAME KIND STATUS ARGS...: runs one command; KIND tells the checker what
# standard output is (jsonl, text, csv, html, json).
runs=()
run() {
  local name=$1 kind=$2 want=$3
  shift 3
  expect_status "$name" "$want" pw "$@" && runs+=("$name:$kind")
}
run eval-jsonl jsonl 1 eval old.pw --facts hostile.jsonl "${day[@]}"
run eval-text text 1 eval old.pw --facts hostile.jsonl "${day[@]}" --format text
run eval-jobs text 1 eval old.pw --facts hostile.jsonl "${day[@]}" --format text --jobs 2
run explain-text text 1 explain old.pw --facts hostile.jsonl "${day[@]}" --format text
run explain-json jsonl 1 explain old.pw --facts hostile.jsonl "${day[@]}" --format json
run when-text text 1 when old.pw --facts hostile.jsonl "${day[@]}" --program p --format text
run when-json jsonl 1 when old.pw --facts hostile.jsonl "${day[@]}" --program p --format json
run plan-text text 1 plan old.pw --facts hostile.jsonl "${day[@]}" --target p --format text
run plan-json jsonl 1 plan old.pw --facts hostile.jsonl "${day[@]}" --target p --format json
for f in text json csv html; do
  run report-$f $f 1 report old.pw --facts hostile.jsonl "${day[@]}" --format $f
done
run diff-text text 1 diff old.pw new.pw --facts hostile.jsonl "${day[@]}" --list list.jsonl
cp "$tmp/list.jsonl" "$tmp/diff-list-jsonl.out" 2>/dev/null && : >"$tmp/diff-list-jsonl.err" &&
  runs+=("diff-list-jsonl:list-jsonl")
run diff-json json 1 diff old.pw new.pw --facts hostile.jsonl "${day[@]}" --format json \
  --list list.csv --list-format csv
cp "$tmp/list.csv" "$tmp/diff-list-csv.out" 2>/dev/null && : >"$tmp/diff-list-csv.err" &&
  runs+=("diff-list-csv:list-csv")

python3 - "$tmp" "${runs[@]}" <<'EOF' || failed=1
import csv, io, json, re, sys
tmp, runs = sys.argv[1], [r.split(":") for r in sys.argv[2:]]
if len(runs) != 17:
    print("FAIL only %d of the 17 runs ran as expected" % len(runs))
    sys.exit(1)
ids = json.load(open(tmp + "/ids.json"))
bad = 0
def fail(msg):
    global bad
    bad = 1
    print("FAIL " + msg)
def ok(msg):
    print("ok   " + msg)

# Characters no output may hold raw (util/escape.h).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
def visible(s):
    """The id as the text formats show it (pu_escape_text)."""
    return "".join(("\\x%02x" % ord(c) if ord(c) < 0x80 else "\\u%04x" % ord(c)) if UNSAFE.match(c) else c
                   for c in s)

def check_raw(name, what, data, allowed):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("%s: %s is not UTF-8 (%s)" % (name, what, e))
        return data.decode("utf-8", "replace") if allowed is None else None
    if allowed is None:  # CSV keeps the characters, inside quotes
        ok("%s: %s is UTF-8" % (name, what))
        return text
    hits = {c for c in UNSAFE.findall(text) if c not in allowed}
    if hits:
        fail("%s: %s holds raw %s" % (name, what, ", ".join("U+%04X" % ord(c) for c in sorted(hits))))
    else:
        ok("%s: %s holds no raw control, bidi or separator character" % (name, what))
    return text

def check_ids_json(name, objs):
    got = {o.get("id") for o in objs if isinstance(o, dict)}
    missing = [i for i in ids if i not in got]
    if missing:
        fail("%s: %d ids do not come back exactly, e.g. %r" % (name, len(missing), missing[0][:60]))
    else:
        ok("%s: every id comes back exactly (%d)" % (name, len(ids)))
    if not any(isinstance(i, str) and i.startswith("raw-") and "\ufffd" in i for i in got):
        fail("%s: bytes that are not UTF-8 do not read as U+FFFD" % name)

for name, kind in runs:
    out = open("%s/%s.out" % (tmp, name), "rb").read()
    err = open("%s/%s.err" % (tmp, name), "rb").read()
    etext = check_raw(name, "standard error", err, "\n")
    if etext is not None and "error" in err.decode("utf-8", "replace"):
        if "bad-\\x1b[2J-\\u202e" not in etext:
            fail("%s: standard error does not show the bad record's id escaped" % name)
        elif "=bad\\x0arecord" not in etext:
            fail("%s: a line break in a bad record's id is not shown as \\x0a" % name)
        else:
            ok("%s: bad records' ids are shown escaped on standard error" % name)
    if kind in ("list-csv",):
        text = check_raw(name, "the CSV", out, None)
        if text is None:
            continue
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header, rows = rows[0], rows[1:]
        if header[:2] != ["id", "program"] or any(len(r) != len(header) for r in rows):
            fail("%s: rows do not all have the header's %d fields" % (name, len(header)))
        got = {r[0] for r in rows}
        formula = [r[0] for r in rows if r[0][:1] in ("=", "+", "-", "@", "\t", "\r")]
        if formula:
            fail("%s: %d fields start a formula, e.g. %r" % (name, len(formula), formula[0][:40]))
        else:
            ok("%s: no field starts with = + - @ TAB or CR" % name)
        want = {("'" + i) if i[:1] in ("=", "+", "-", "@", "\t", "\r") else i for i in ids}
        missing = want - got
        if missing:
            fail("%s: %d ids are not in the CSV as expected, e.g. %r" % (name, len(missing), sorted(missing)[0][:60]))
        else:
            ok("%s: every id is a field, formulas neutralised with a leading quote (%d)" % (name, len(ids)))
        continue
    text = check_raw(name, "standard output", out, None if kind == "csv" else "\n")
    if text is None:
        continue
    if kind in ("jsonl", "list-jsonl"):
        try:
            objs = [json.loads(l) for l in text.split("\n") if l]
            ok("%s: every line parses as JSON" % name)
        except ValueError as e:
            fail("%s: a line does not parse as JSON (%s)" % (name, e))
            continue
        check_ids_json(name, objs)
        cut = [o.get("id") for o in objs if isinstance(o, dict) and o.get("id") in ("nul-", "")]
        if cut:
            fail("%s: an id holding U+0000 was read cut short: %r" % (name, cut[0]))
        else:
            ok("%s: no id holding U+0000 was read cut short" % name)
        if name == "eval-jsonl":
            nul = [o for o in objs if "U+0000" in str(o.get("error", ""))]
            if len(nul) == 3 and any(o.get("id") == "nulval-\u202e" for o in nul):
                ok("%s: the three records holding U+0000 are refused" % name)
            else:
                fail("%s: %d records refused for U+0000, expected 3" % (name, len(nul)))
    elif kind == "json":
        try:
            json.loads(text)
            ok("%s: parses as JSON" % name)
        except ValueError as e:
            fail("%s: does not parse as JSON (%s)" % (name, e))
    if kind == "text" and name.startswith(("explain", "diff")):
        if "adult\\x09line\\x0aforged" in text and not re.search("^forged", text, re.M):
            ok("%s: a label's tab and line break are shown as \\x09 and \\x0a" % name)
        else:
            fail("%s: a label's tab or line break is not escaped" % name)
    if kind == "text" and not name.startswith(("report", "diff")):
        missing = [i for i in ids if visible(i) not in text]
        if missing:
            fail("%s: %d ids are not shown as their visible escapes, e.g. %r" % (name, len(missing), visible(missing[0])[:60]))
        else:
            ok("%s: every id shown, its controls as visible escapes (%d)" % (name, len(ids)))
        if "\\x" in text and "raw-\\xff\\xfe-end" not in text:
            fail("%s: bytes that are not UTF-8 are not shown as \\xNN" % name)
sys.exit(bad)
EOF
exit $failed
