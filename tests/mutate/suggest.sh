#!/usr/bin/env bash
# The suggested tests are ready to paste: with a third of the shipped USATF
# tests kept, every survivor the search found a coach and day for comes with
# tests that, pasted into the test file, pass on the rules as written and
# kill it; the only survivors left are those it found none for. Structural,
# so that a change to the shipped rules or tests does not break it.
# usage: suggest.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
export NO_COLOR=1
command -v python3 >/dev/null || require_tool python3

cp -r "$root/rules" "$tmp/rules" || exit 1
cd "$tmp/rules/usatf" || exit 1
# Keep the header, the examples and every third test.
python3 - <<'PY' || exit 1
import re
s = open("usatf.test.pw").read()
parts = re.split(r'(?m)^(?=test ")', s)
open("usatf.test.pw", "w").write(parts[0] + "".join(t for i, t in enumerate(parts[1:]) if i % 3 == 0))
PY
expect_status weak 0 "$bin" test --mutate --jobs 2 --format json usatf.test.pw
python3 - "$tmp/weak.out" >"$tmp/counts" <<'PY' || fail "weak: the report cannot be read"
import json, sys
r = json.load(open(sys.argv[1]))["files"][0]["results"]
surv = [x for x in r if x["outcome"] == "survived"]
tests = []
for x in surv:
    if x.get("suggested_tests") and x["suggested_tests"] not in tests:
        tests.append(x["suggested_tests"])
open("usatf.test.pw", "a").write("\n" + "\n".join(tests))
with_w = sum(1 for x in surv if x.get("witness"))
without = sorted("%d:%d %s" % (x["line"], x["column"], x["after"]) for x in surv if x.get("witness") is None)
print(len(surv), with_w, sum(1 for x in r if x["outcome"] == "killed"))
open(sys.argv[1] + ".without", "w").write("\n".join(without) + "\n")
PY
read -r survived witnessed killed <"$tmp/counts"
if [ "${survived:-0}" -ge 10 ] && [ "${witnessed:-0}" -ge $((survived * 3 / 4)) ]; then
  ok "weak: $survived survivors, $witnessed with suggested tests"
else
  fail "weak: $survived survivors, only $witnessed with suggested tests"
fi

# The pasted tests pass on the rules as written ...
expect_status pasted-test 0 "$bin" test usatf.test.pw
# ... and kill every survivor they were suggested for.
expect_status pasted 0 "$bin" test --mutate --format json usatf.test.pw
python3 - "$tmp/pasted.out" >"$tmp/left" <<'PY' || fail "pasted: the report cannot be read"
import json, sys
r = json.load(open(sys.argv[1]))["files"][0]["results"]
print("\n".join(sorted("%d:%d %s" % (x["line"], x["column"], x["after"]) for x in r if x["outcome"] == "survived")))
PY
same "pasted: the survivors left are those without a suggested test" "$tmp/weak.out.without" "$tmp/left"
expect_grep pasted out "\"killed\":$((killed + witnessed)),"

exit $failed
