#!/usr/bin/env bash
# Builds every CMake build type (Release, Debug, RelWithDebInfo, MinSizeRel)
# with gcc and with clang, warnings as errors, into build-types/<cc>-<type>.
# Optimisation levels change what the compilers warn about (gcc's
# -Wmaybe-uninitialized only fires with inlining), so one build type passing
# says little about the others. Tests are not built (BUILD_TESTING=OFF); the
# first failure stops the script. usage: scripts/build-types.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-types}
jobs=$(nproc)
for cc in gcc clang; do
  if ! command -v "$cc" >/dev/null; then
    echo "build-types: $cc is not installed" >&2
    exit 1
  fi
  for type in Release Debug RelWithDebInfo MinSizeRel; do
    dir=$out/$cc-$type
    echo "== $cc $type"
    CC=$cc cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$dir" -j"$jobs" >"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
  done
done
echo "build-types: 8 builds, no warnings"
