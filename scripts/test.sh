#!/usr/bin/env bash
# Builds and runs the whole test suite; then, where clang is installed, builds
# and tests again with clang (both compilers must stay warning-free); then
# the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, and the
# command-line tests under valgrind memcheck, then the coverage build
# checked against its floors, and a bounded fuzzing run (docs/robustness.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)
# The suite runs as root on CI: no command may replace a device node (as a
# linker told to write /dev/null would). Checked after every stage that
# runs commands, so that a culprit is caught at its stage, not later as a
# puzzling failure of tests that read /dev/null.
device_nodes_intact() {
  local d
  for d in /dev/null /dev/zero /dev/urandom; do
    [ -c "$d" ] || { echo "test.sh: $d is no longer a character device (after: $1)" >&2; exit 1; }
  done
}
device_nodes_intact "the dependencies"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
bash scripts/suites.sh build
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
device_nodes_intact "the gcc suite"
# Every CMake build type with gcc and clang: optimisation changes what the
# compilers warn about, and warnings are errors (docs/ci.md).
bash scripts/build-types.sh
device_nodes_intact "the build types"
# The rule files checked as a rules repository would be (also ctest entries):
# formatted, and their own tests passing with full coverage.
build/pathway fmt --check rules/
build/pathway lint rules/
build/pathway test --coverage --min-coverage 100 rules/ | tail -n 25
# Every mutant of the requirements killed: a boundary no test pins fails
# here (docs/ci.md; about 0.2 s on the shipped rules).
build/pathway test --mutate --min-mutation-score 100 rules/
device_nodes_intact "the rules checks"
if command -v clang >/dev/null; then
  CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Debug >/dev/null
  cmake --build build-clang -j"$jobs"
  # package.deb builds the packages with Debian's compiler whichever build
  # runs it: once (above) is enough.
  ctest --test-dir build-clang --output-on-failure -j"$jobs" -E '^package\.deb$'
  device_nodes_intact "the clang suite"
fi
bash scripts/sanitize.sh build-asan
device_nodes_intact "the sanitizer suite"
bash scripts/valgrind.sh build
device_nodes_intact "valgrind"
# Line and branch coverage of src/ per directory from the whole suite (gcc
# --coverage), failing below the floors of tests/coverage-floor.txt
# (docs/robustness.md, "Coverage").
bash scripts/coverage.sh build-cov
device_nodes_intact "the coverage suite"
# Each libFuzzer harness for a bounded time from the committed corpus, two at
# a time (docs/fuzzing.md has the long runs).
FUZZ_JOBS=2 bash tests/fuzz/run.sh "${PATHWAY_FUZZ_SECONDS:-60}"
device_nodes_intact "fuzzing"
