#!/usr/bin/env bash
# Table tests for the shipped USATF rules: evaluates rules/usatf/usatf.pw over
# the example coaches, the boundary table, the 29 February table (on two
# evaluation dates) and a file of bad records, and compares with the expected
# output written by hand from the coach-record spec (see tests/rules/README.md).
#
# usage: rules_usatf.sh PATHWAY_BINARY REPOSITORY_ROOT
# Exit status 0 when every check passes, 1 otherwise (each failure is printed,
# with a diff where there is one), 2 for a usage error.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 PATHWAY_BINARY REPOSITORY_ROOT" >&2
  exit 2
fi
bin=$1
root=$2
rules=$root/rules/usatf/usatf.pw
tests=$root/tests/rules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# check NAME FACTS AS_OF EXPECTED: the run must exit 0 and print EXPECTED exactly.
check() {
  local name=$1 facts=$2 asof=$3 expected=$4 status=0
  "$bin" eval "$rules" --facts "$facts" --as-of "$asof" --format jsonl \
    >"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL $name: exit status $status, expected 0; standard error:"
    cat "$tmp/$name.err"
    failed=1
    return 0
  fi
  if ! diff -u "$expected" "$tmp/$name.out" >"$tmp/$name.diff"; then
    echo "FAIL $name: output differs from $expected (- expected, + actual)"
    cat "$tmp/$name.diff"
    failed=1
    return 0
  fi
  echo "ok   $name"
}

check examples "$root/examples/coaches.jsonl" 2026-11-23 "$root/examples/coaches.expected.jsonl"
check boundaries "$tests/usatf-boundaries.jsonl" 2026-11-23 "$tests/usatf-boundaries.expected.jsonl"
check feb29-2026-02-28 "$tests/usatf-feb29.jsonl" 2026-02-28 "$tests/usatf-feb29.2026-02-28.expected.jsonl"
check feb29-2026-03-01 "$tests/usatf-feb29.jsonl" 2026-03-01 "$tests/usatf-feb29.2026-03-01.expected.jsonl"

# Bad records: the run goes on past each bad record, prints an error line in
# its place and exits 1. The error wording is the implementation's; this
# checks the shape, the ids and the order, and that good records are still
# evaluated exactly as expected.
status=0
"$bin" eval "$rules" --facts "$tests/bad-records.jsonl" --as-of 2026-11-23 --format jsonl \
  >"$tmp/bad.out" 2>"$tmp/bad.err" || status=$?
if [ "$status" -ne 1 ]; then
  echo "FAIL bad-records: exit status $status, expected 1; standard error:"
  cat "$tmp/bad.err"
  failed=1
fi
if python3 - "$tmp/bad.out" "$tmp/bad.err" "$tests/bad-records.expected-ids.txt" \
    "$tests/bad-records.expected.jsonl" <<'PY'
import json, sys

out_path, err_path, ids_path, good_path = sys.argv[1:5]
out = open(out_path, encoding="utf-8").read().splitlines()
err = open(err_path, encoding="utf-8", errors="replace").read()
want = [l.split(" ", 1) for l in open(ids_path, encoding="utf-8").read().splitlines() if l.strip()]
good = open(good_path, encoding="utf-8").read().splitlines()
problems = []

if len(out) != len(want):
    problems.append(f"{len(out)} output lines, expected {len(want)} (one per non-blank input line)")
good_iter = iter(good)
bad_ids = []
for n, (line, (kind, rid)) in enumerate(zip(out, want), 1):
    try:
        obj = json.loads(line)
    except ValueError as e:
        problems.append(f"output line {n} is not valid JSON ({e}): {line}")
        continue
    if not isinstance(obj, dict):
        problems.append(f"output line {n} is not a JSON object: {line}")
        continue
    if kind == "ok":
        expected = next(good_iter, None)
        if obj.get("id") != rid or "error" in obj:
            problems.append(f"output line {n}: expected the result of {rid!r}, got: {line}")
        elif line != expected:
            problems.append(f"output line {n} ({rid}) differs:\n  expected {expected}\n  actual   {line}")
    else:
        exp_id = None if rid == "null" else rid
        bad_ids.append(exp_id)
        if set(obj) != {"id", "error"}:
            problems.append(f"output line {n}: expected keys id and error, got: {line}")
        elif obj["id"] != exp_id:
            problems.append(f"output line {n}: expected id {json.dumps(exp_id)}, got: {line}")
        elif not isinstance(obj["error"], str) or not obj["error"].strip():
            problems.append(f"output line {n}: error must be a non-empty text: {line}")

# One diagnostic per bad record on standard error. A diagnostic may run over
# several lines (notes, source excerpts), which are indented; its first line
# is not. Each diagnostic names its record: the id where there is one.
diags = [l for l in err.splitlines() if l.strip() and not l[0].isspace()]
if len(diags) != len(bad_ids):
    problems.append(f"{len(diags)} diagnostics on standard error, expected {len(bad_ids)}:\n{err}")
else:
    for d, rid in zip(diags, bad_ids):
        if rid is not None and rid not in d:
            problems.append(f"diagnostic does not name record {rid!r}: {d}")

for p in problems:
    print("FAIL bad-records: " + p)
sys.exit(1 if problems else 0)
PY
then
  echo "ok   bad-records"
else
  failed=1
fi

exit "$failed"
