#!/usr/bin/env bash
# junit.schema: `pathway test --format junit` is valid against the Jenkins
# junit-10 schema and is read right by a real JUnit consumer.
# The schema, tests/junit/junit-10.xsd, is the xunit-plugin's, unchanged:
#   https://github.com/jenkinsci/xunit-plugin/blob/031e285ef3b60dee7aaf36e9096d7dcd95ffae83/src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
# (MIT, its licence in the file). It allows no `file` or `line` on a
# testcase: the suite carries the file, a failure's text each line.
# The consumer is junitparser (Debian python3-junitparser), the library
# behind several CI report actions: the counts, each case's outcome, and a
# file that does not compile as one errored case whose message gives the
# first error's place (file:line:column).
# Skipped (77) where xmllint or junitparser is missing, except on CI
# (CI=true), where scripts/deps.sh installs them.
# usage: schema.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
root=$(cd "$2" && pwd) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool xmllint
# Debian's package is in Debian's python3, which another on PATH (pyenv, a
# venv) may hide.
py=
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import junitparser' 2>/dev/null; then py=$candidate; break; fi
done
if [ -z "$py" ]; then
  if [ "${CI:-}" = true ]; then echo "FAIL python3-junitparser is not installed"; exit 1; fi
  echo "skip: python3-junitparser is not installed"; exit 77
fi

cd "$root/tests/ruletest" || exit 1
# Failures, an error, passes, value expectations, and a file that does not
# compile.
expect_status junit 1 "$bin" test --format junit -o "$tmp/report.xml" \
  broken.test.pw values.test.pw pass.test.pw uncompiled/bad.pw
if xmllint --noout --schema "$root/tests/junit/junit-10.xsd" "$tmp/report.xml" >"$tmp/xmllint" 2>&1; then
  ok "valid against the Jenkins junit-10 schema"
else
  fail "not valid against the Jenkins junit-10 schema:"; head -20 "$tmp/xmllint"
fi

if "$py" - "$tmp/report.xml" >"$tmp/consumer" 2>&1 <<'PY'; then
import sys
from junitparser import JUnitXml, Error, Failure
xml = JUnitXml.fromfile(sys.argv[1])
suites = {s.name: s for s in xml}
def want(ok, what):
    if not ok:
        raise SystemExit(what)
want(set(suites) == {"broken.test.pw", "values.test.pw", "pass.test.pw", "uncompiled/bad.pw"},
     f"suites: {sorted(suites)}")
b = suites["broken.test.pw"]
want((b.tests, b.failures, b.errors) == (5, 3, 1), f"broken.test.pw: {b.tests} {b.failures} {b.errors}")
outcomes = [type(c.result[0]).__name__ if c.result else "pass" for c in b]
want(outcomes.count("Failure") == 3 and outcomes.count("Error") == 1, f"broken.test.pw cases: {outcomes}")
want(all(c.classname == "broken.test.pw" for c in b), "classname is the file")
p = suites["pass.test.pw"]
want(p.tests > 0 and p.failures == 0 and p.errors == 0 and all(not c.result for c in p), "pass.test.pw passes")
u = suites["uncompiled/bad.pw"]
cases = list(u)
want(len(cases) == 1 and isinstance(cases[0].result[0], Error), "the file that does not compile: one errored case")
e = cases[0].result[0]
want(e.type == "compile" and e.message.startswith("uncompiled/bad.pw:7:10: "), f"compile error's message: {e.message}")
want(xml.tests == sum(s.tests for s in xml), "totals")
print(f"{xml.tests} cases in {len(suites)} suites")
PY
  ok "junitparser reads it: $(cat "$tmp/consumer")"
else
  fail "junitparser reads it wrong:"; cat "$tmp/consumer"
fi
exit $failed
