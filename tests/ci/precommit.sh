#!/usr/bin/env bash
# ci.precommit: Pathway's hook through the pre-commit framework (Debian's
# pre-commit), as docs/ci.md tells a rules repository to set it up: a
# .pre-commit-config.yaml naming Pathway's repository and a rev, then
# `pre-commit install`. The hook repository here is a scratch git
# repository holding this tree's .pre-commit-hooks.yaml (a link to
# ci/pre-commit-hooks.yaml) and ci/hooks/, so that the files under test are
# the working tree's, committed or not. The framework's cache stays in the
# test's directory (PRE_COMMIT_HOME).
# usage: precommit.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
root=$(cd "$2" && pwd) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool git
require_tool pre-commit
# shellcheck source=tests/ci/lib.sh
. "$root/tests/ci/lib.sh"
export PRE_COMMIT_HOME=$tmp/pre-commit-cache PATHWAY=$bin

hooks=$tmp/pathway-hooks
mkdir -p "$hooks/ci"
cp -R "$root/ci/hooks" "$root/ci/pre-commit-hooks.yaml" "$hooks/ci/"
cp -P "$root/.pre-commit-hooks.yaml" "$hooks/"
[ -L "$hooks/.pre-commit-hooks.yaml" ] || fail ".pre-commit-hooks.yaml is not a link to ci/pre-commit-hooks.yaml"
git -C "$hooks" init -q -b main && git -C "$hooks" add -A && git -C "$hooks" commit -qm hooks
rev=$(git -C "$hooks" rev-parse HEAD)

ci_scratch_repo "$tmp/repo"
cd "$tmp/repo" || exit 1
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: pathway
YAML
git add .pre-commit-config.yaml && git commit -qm config --no-verify
expect_status install 0 pre-commit install

usatf=rules/usatf/usatf.pw
# A clean change is committed.
sed -i 's/^  format "online"$/  format "online"\n  # Reviewed with the 2026 handbook./' "$usatf" && git add "$usatf"
expect_status clean 0 git commit -qm clean
# An unformatted one is refused, and the framework shows the hook's reason.
sed -i 's/^  require adult_member$/  require   adult_member/' "$usatf" && git add "$usatf"
expect_status unformatted 1 git commit -qm unformatted &&
  expect_grep unformatted err "pre-commit: commit refused (format)"
git reset -q --hard HEAD
# A change to the included file alone that breaks the file including it.
sed -i 's/^define age: integer/define age_in_years: integer/' rules/common/coach.pw && git add rules/common/coach.pw
expect_status include 1 git commit -qm include && expect_grep include err "compile failed"
git reset -q --hard HEAD
# Deleting the included file: the framework passes no file name for a
# deletion; always_run makes the hook judge it anyway.
git rm -q rules/common/coach.pw
expect_status deleted 1 git commit -qm deleted && expect_grep deleted err "commit refused"
exit $failed
