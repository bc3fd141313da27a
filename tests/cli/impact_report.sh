#!/usr/bin/env bash
# `pathway report` (docs/impact.md): its text, JSON, CSV and HTML over a
# small club are as pinned; its counts are what `pathway eval` implies over
# a generated population; CSV and HTML quote and escape what they must;
# --jobs 1 and --jobs 2 write the same bytes; bad records are reported with
# their place and left out of the counts. (The HTML page in a real browser:
# tests/browser/report_html.sh.)
# usage: impact_report.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
fx=$root/tests/impact
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"

mkdir -p "$tmp/rules/usatf" "$tmp/rules/common"
cp "$root/rules/common/coach.pw" "$tmp/rules/common/"
cp "$root/rules/usatf/usatf.pw" "$tmp/rules/usatf/"
cp "$fx/club.jsonl" "$tmp/"
rules=rules/usatf/usatf.pw
pw() { (cd "$tmp" && "$bin" "$@"); }

# --- each format, pinned ---------------------------------------------------------------
for f in text json csv html; do
  expect_status "club_$f" 1 pw report $rules --facts club.jsonl --as-of 2026-11-23 --format $f
  expect_golden "report as $f" "$tmp/club_$f.out" "$fx/report.$f"
done
expect_grep club_text err 'club.jsonl:11: error: record "I-11": `birth_date`: invalid date "1993-02-30"'
expect_status top1 1 pw report $rules --facts club.jsonl --as-of 2026-11-23 --top 1
if [ "$(grep -c ' lack: ' "$tmp/top1.out")" -le 11 ]; then ok "--top 1: one unmet requirement per program at most"; else
  fail "--top 1 shows more than one per program"; fi
expect_status output 1 pw report $rules --facts club.jsonl --as-of 2026-11-23 --format html -o page.html
same "-o FILE writes what standard output would get" "$tmp/page.html" "$fx/report.html"

# --- counts against pathway eval ---------------------------------------------------------
python3 "$root/tests/rules/gen_population.py" 6000 31 2026-11-23 >"$tmp/pop.jsonl"
cat "$root/tests/rules/bad-records.jsonl" >>"$tmp/pop.jsonl"
expect_status pop 1 pw report $rules --facts pop.jsonl --as-of 2026-11-23 --format json
pw eval $rules --facts pop.jsonl --as-of 2026-11-23 >"$tmp/pop.eval" 2>/dev/null
if python3 - "$tmp/pop.out" "$tmp/pop.eval" >"$tmp/pop.cmp" <<'PY'
import json, sys
from collections import Counter
rep = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
good = [l for l in lines if "error" not in l]
bad = len(lines) - len(good)
problems = []
if (rep["records"], rep["bad_records"]) != (len(good), bad):
    problems.append(f"records {rep['records']}/{rep['bad_records']}, eval says {len(good)}/{bad}")
for p in rep["programs"]:
    rs = [next(r for r in l["results"] if r["program"] == p["program"]) for l in good]
    elig = sum(r["eligible"] for r in rs)
    ne = [r for r in rs if not r["eligible"] and r.get("status") not in ("not_yet_in_force", "withdrawn")]
    unmet = Counter(u for r in ne for u in r["unmet"])
    got = {u["requirement"]: u["count"] for u in p["unmet"] if u["count"]}
    if (p["eligible"], p["not_eligible"]) != (elig, len(ne)) or got != dict(unmet):
        problems.append(f"{p['program']}: {p['eligible']}/{p['not_eligible']} {got}, eval says {elig}/{len(ne)} {dict(unmet)}")
    if abs(p["eligible_share"] - elig / len(good)) > 0.00005:
        problems.append(f"{p['program']}: share {p['eligible_share']}")
print("\n".join(problems) or f"agree: {len(good)} records, {bad} bad, {len(rep['programs'])} programs")
sys.exit(1 if problems else 0)
PY
then ok "report counts: $(cat "$tmp/pop.cmp")"; else fail "report disagrees with eval"; cat "$tmp/pop.cmp"; fi
if [ "$(wc -l <"$tmp/pop.err")" = 9 ]; then ok "pop: one diagnostic per bad record"; else
  fail "pop: $(wc -l <"$tmp/pop.err") diagnostics, expected 9"; fi
ea=$root/rules/england-athletics/england-athletics.pw
expect_status ea 1 pw report "$ea" --facts pop.jsonl --as-of 2026-05-01 --format json
expect_grep ea out '"program":"advanced_coach","title":"Advanced Coach","eligible":0,"eligible_share":0,"not_eligible":0,"not_in_force":6003'

# --- the same bytes whatever --jobs is ------------------------------------------------------
for f in text json csv html; do
  pw report $rules --facts pop.jsonl --as-of 2026-11-23 --format $f --jobs 1 >"$tmp/j1.$f" 2>"$tmp/j1.err"
  pw report $rules --facts pop.jsonl --as-of 2026-11-23 --format $f --jobs 2 >"$tmp/j2.$f" 2>"$tmp/j2.err"
  same "--jobs 1 and 2: the same $f" "$tmp/j1.$f" "$tmp/j2.$f"
done
same "--jobs 1 and 2: the same diagnostics" "$tmp/j1.err" "$tmp/j2.err"

# --- quoting and escaping --------------------------------------------------------------------
expect_status quoting_csv 1 pw report "$fx/quoting.pw" --facts club.jsonl --as-of 2026-11-23 --format csv
if python3 - "$tmp/quoting_csv.out" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0][0] == "program" and len(rows) == 3, rows
assert all(len(r) == 10 for r in rows), rows
assert rows[1][1] == 'Title, with "quotes" & <angle brackets>', rows[1][1]
assert {rows[1][7], rows[2][7]} == {'a label, with "quotes"', "two\nlines <b>not bold</b> & 'single'"}, rows
PY
then ok "CSV: commas, quotes and line breaks quoted (read back by python's csv)"; else fail "CSV quoting"; cat "$tmp/quoting_csv.out"; fi
expect_status quoting_html 1 pw report "$fx/quoting.pw" --facts club.jsonl --as-of 2026-11-23 --format html
expect_grep quoting_html out 'Title, with &quot;quotes&quot; &amp; &lt;angle brackets&gt;'
expect_grep quoting_html out 'lines &lt;b&gt;not bold&lt;/b&gt; &amp; &#39;single&#39;'
if grep -q '<b>not bold' "$tmp/quoting_html.out"; then fail "HTML: a label's markup is not escaped"; else ok "HTML: no raw markup from labels"; fi
if grep -Eq '(src|href)="(https?:)?//' "$tmp/quoting_html.out"; then fail "HTML: refers to an external asset"; else ok "HTML: self-contained"; fi

# --- usage ------------------------------------------------------------------------------------
expect_status format 2 pw report $rules --facts club.jsonl --format xml
expect_grep format err 'unknown format `xml` (expected text, json, csv or html)'
expect_status top 2 pw report $rules --facts club.jsonl --top x
expect_status two 2 pw report $rules $rules --facts club.jsonl
expect_status no_facts 2 pw report $rules
expect_status jobs 2 pw report $rules --facts club.jsonl --jobs 0
expect_status help 0 pw report --help
expect_grep help out '--format FORMAT'
exit $failed
