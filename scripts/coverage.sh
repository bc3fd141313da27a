#!/usr/bin/env bash
# Line and branch coverage of src/, per directory, from the whole test suite
# (docs/robustness.md, "Coverage"): a gcc --coverage Debug build of its own,
# every ctest entry (the fuzz corpora replayed as fuzz.replay.*), then gcovr:
# a table per directory of src/ on stdout, an HTML report in
# BUILD_DIR/coverage/index.html, and a check against the floors in
# tests/coverage-floor.txt (non-zero when a directory is below its floor).
#   bash scripts/coverage.sh [BUILD_DIR]        default build-cov
#   COVERAGE_UPDATE_FLOOR=1 bash scripts/coverage.sh   raises the floors to
#                                               this measurement (never lowers)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-cov}
jobs=${COVERAGE_JOBS:-$(nproc)}
command -v gcovr >/dev/null ||
  { echo "coverage.sh: gcovr is not installed (bash scripts/deps.sh test)" >&2; exit 2; }
start=$(date +%s)
# -fprofile-update=atomic: the threaded tests (unit.test_threads, the
# evaluation pool) update the counters from several threads; atomic updates
# keep the counts exact (processes running side by side under ctest -j merge
# their counts under a file lock, which needs nothing). PATHWAY_COVERAGE
# compiles out the branches marked PU_NEVER/PU_ALWAYS (src/util/assert.h).
flags="--coverage -fprofile-update=atomic -DPATHWAY_COVERAGE"
CC=gcc cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS=--coverage -DCMAKE_SHARED_LINKER_FLAGS=--coverage \
  -DCMAKE_MODULE_LINKER_FLAGS=--coverage >/dev/null
cmake --build "$dir" -j"$jobs"
# Counts of an earlier run would add up with this one's.
find "$dir" -name '*.gcda' -delete
# Every test but two that build with flags of their own, which cannot link
# this build's instrumented objects and would count nothing: package.deb
# (the Debian packages, a Release build with Debian's flags, about a
# minute) and postgresql.* (PGXS links the extension with PostgreSQL's
# flags, without libgcov: the server fails to load it, undefined symbol
# __gcov_merge_add). Both run in the plain build of scripts/test.sh.
status=0
ctest --test-dir "$dir" --output-on-failure -j"$jobs" -E '^(package\.deb|postgresql\..*)$' || status=$?
tested=$(date +%s)
# Only src/: the grammar's outputs (the bison parser and flex scanner in
# BUILD_DIR/grammar, whose #line directives name grammar/*.y and *.l) and
# the tests' own code are not measured. --exclude-unreachable-branches drops
# the branches gcc generates on lines with no code of their own (a closing
# brace, the end of a loop); no other branch is excluded (C has no
# exceptions: --exclude-throw-branches would change nothing).
mkdir -p "$dir/coverage"
gcovr --root . --filter 'src/' --exclude-unreachable-branches -j "$jobs" \
  --json-summary "$dir/coverage/summary.json" \
  --html-details "$dir/coverage/index.html" \
  --txt "$dir/coverage/files.txt" "$dir"
check=0
python3 scripts/coverage_floor.py "$dir/coverage/summary.json" tests/coverage-floor.txt \
  ${COVERAGE_UPDATE_FLOOR:+--update} || check=$?
end=$(date +%s)
echo "coverage: build $((tested - start)) s with the tests, gcovr $((end - tested)) s;" \
  "per file: $dir/coverage/files.txt, HTML: $dir/coverage/index.html"
[ "$status" = 0 ] || { echo "coverage.sh: some tests failed (above)" >&2; exit "$status"; }
exit "$check"
