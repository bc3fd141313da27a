#!/usr/bin/env bash
# Every suite of tests is registered in BUILD_DIR's ctest: one test of each
# must be listed by `ctest -N`. A suite can vanish without a failure (an
# add_test before enable_testing is dropped silently; the sqlite.* tests
# once were), so CI checks the list before it trusts a green run.
# usage: suites.sh BUILD_DIR
set -euo pipefail
build=$1
want=(
  unit.test_vm golden.diag.bad_date golden.disasm.small cli.commands cli.options rules.test docs.examples
  errors.catalogue fuzz.replay.compile hostile.corpus install.symbols
  install.completion cli.completion.bash cli.completion.zsh cli.completion.fish
  browser.report_html python.evaluate sqlite.shell sqlite.python postgresql.regress package.deb
  editors.textmate editors.vim schemas.outputs ci.workflow ci.hooks ci.precommit
  lsp.protocol lsp.neovim sarif.multitool junit.schema github.annotations lint.differential mutate.golden
)
ctest --test-dir "$build" -N >"$build/ctest-list.txt"
missing=0
for t in "${want[@]}"; do
  grep -qE "Test +#[0-9]+: $t\$" "$build/ctest-list.txt" ||
    { echo "suites: $t is not registered in $build's ctest" >&2; missing=1; }
done
[ "$missing" = 0 ] && echo "suites: all ${#want[@]} suites registered"
exit "$missing"
