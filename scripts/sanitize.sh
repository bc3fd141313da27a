#!/usr/bin/env bash
# The whole test suite again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer: any out-of-bounds access, use after free, leak
# (LeakSanitizer), signed overflow, misaligned or null access, or bad shift
# aborts the test that caused it. usage: scripts/sanitize.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-asan}
jobs=$(nproc)
cc=${CC:-$(command -v clang >/dev/null && echo clang || echo cc)}
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CC=$cc cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$dir" -j"$jobs"
# Check forks a child per test: each child reports its own findings.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The allocation-failure tests re-run a pipeline once per allocation; under
# the sanitizers unit.test_allocfail alone took 13 minutes. Here they try
# every N up to 64, then every 4th (the plain gcc and clang builds above
# sweep every N; test_cli_allocfail sets its own sample in ctest).
export PW_ALLOCFAIL_STRIDE=${PW_ALLOCFAIL_STRIDE:-4}
# Not the tests that load the library into another program (Python, the
# sqlite3 shell, a PostgreSQL server): those programs are not built with
# the sanitizers, and an instrumented library cannot load into them
# without the sanitizer runtime. They run in the plain and clang builds;
# the SQLite extension also under valgrind (sqlite.memcheck). Nor the
# Debian packages, which build with their own (Debian's) flags.
ctest --test-dir "$dir" --output-on-failure -j"$jobs" -E '^(python|sqlite|postgresql|package)\.'
