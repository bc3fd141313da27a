#!/usr/bin/env bash
# ci.hooks: the plain pre-commit hook (ci/hooks/pre-commit) blocks exactly
# what the CI workflow (ci/github/pathway.yml) blocks. A scratch rules
# repository (a copy of rules/) gets the hook; each case stages a change
# and tries to commit it. The same staged tree is then checked by the
# workflow's own check steps (their `run:` lines, read from the workflow
# file, under bash -eo pipefail as GitHub runs them). Both verdicts must
# equal the case's.
# usage: hooks.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
root=$(cd "$2" && pwd) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool git
# shellcheck source=tests/ci/lib.sh
. "$root/tests/ci/lib.sh"

ci_scratch_repo "$tmp/repo"
cp "$root/ci/hooks/pre-commit" "$tmp/repo/.git/hooks/pre-commit"
ci_workflow_steps "$tmp/steps" || { echo "FAIL cannot read the workflow's steps"; exit 1; }
cd "$tmp/repo" || exit 1

# case NAME WANT(pass|block) ACTION...: resets the repository, runs ACTION
# (a function), then compares the hook's and the workflow's verdicts.
case_() {
  local name=$1 want=$2 action=$3 hook ci
  git reset -q --hard base && git clean -fdq
  "$action"
  if git commit -qm "$name" >"$tmp/$name.hook" 2>&1; then hook=pass; else hook=block; fi
  if [ "$hook" = pass ]; then git reset -q --soft HEAD~1; fi
  ci=$(ci_verdict "$tmp/steps" "$tmp/ci-$name")
  if [ "$hook" = "$want" ] && [ "$ci" = "$want" ]; then
    ok "$name: hook and workflow both $want"
  else
    fail "$name: want $want; hook ${hook}s, workflow ${ci}es"
    sed 's/^/    hook: /' "$tmp/$name.hook" | head -20
    sed 's/^/    ci: /' "$tmp/ci-$name.log" | head -20
  fi
}

usatf=rules/usatf/usatf.pw
spaced() { sed -i 's/^  require adult_member$/  require   adult_member/' "$1"; }
commented() { sed -i 's/^  format "online"$/  format "online"\n  # Reviewed with the 2026 handbook./' "$1"; }

clean_change() { commented "$usatf" && git add "$usatf"; }
# The staged text is unformatted; `fmt -w` fixed only the working tree.
staged_unformatted() { spaced "$usatf" && git add "$usatf" && "$bin" fmt -w "$usatf" >/dev/null; }
# The reverse: what is staged is fine, the working tree is not.
worktree_unformatted() { commented "$usatf" && git add "$usatf" && spaced "$usatf"; }
# A renamed file whose content no longer passes its tests, in a name with a space.
renamed_broken() {
  git mv rules/usatf/usatf.test.pw "rules/usatf/usatf tests.pw" &&
    sed -i '0,/expect level_1 eligible/s//expect level_1 not eligible/' "rules/usatf/usatf tests.pw" &&
    git add -A rules
}
renamed_clean() { git mv rules/usatf/usatf.test.pw "rules/usatf/usatf tests.pw"; }
spaced_name_clean() { cp rules/usatf/usatf.test.pw "rules/usatf/usatf again.test.pw" && git add -A rules; }
# A requirement the tests only ever see met: coverage drops below 100%.
coverage_drop() {
  sed -i 's/^  require adult_member$/  require adult_member\n  require "not a centenarian": age < 100/' "$usatf" &&
    git add "$usatf"
}
# Only the included file changes, and the file that includes it breaks.
include_broken() {
  sed -i 's/^define age: integer/define age_in_years: integer/' rules/common/coach.pw && git add rules/common/coach.pw
}
include_deleted() { git rm -q rules/common/coach.pw; }
no_rule_change() { printf '\nMore notes.\n' >>rules/england-athletics/README.md && git add -A; }

grep -q '^  require adult_member$' "$usatf" && grep -q '^  format "online"$' "$usatf" &&
  grep -q '^define age: integer' rules/common/coach.pw &&
  grep -q 'expect level_1 eligible' rules/usatf/usatf.test.pw ||
  { echo "FAIL the shipped rules changed: update the cases of tests/ci/hooks.sh"; exit 1; }

case_ clean_change pass clean_change
case_ staged_unformatted block staged_unformatted
case_ worktree_unformatted pass worktree_unformatted
case_ renamed_broken block renamed_broken
case_ renamed_clean pass renamed_clean
case_ spaced_name_clean pass spaced_name_clean
case_ coverage_drop block coverage_drop
case_ include_broken block include_broken
case_ include_deleted block include_deleted
case_ no_rule_change pass no_rule_change

# A refused commit says which checks failed, and that the staged files were judged.
git reset -q --hard base && git clean -fdq
staged_unformatted
expect_status refused 1 git commit -qm refused &&
  expect_grep refused err "pre-commit: commit refused (format)" &&
  expect_grep refused err "the staged files are judged"
# Without pathway on PATH, the hook says how to get it.
git reset -q --hard base && clean_change
expect_status no_pathway 1 env PATHWAY=pathway-not-installed git commit -qm x &&
  expect_grep no_pathway err "install Pathway (docs/packaging.md)"
exit $failed
