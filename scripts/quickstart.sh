#!/usr/bin/env bash
# Installs what building and running needs (not the test toolchain), builds
# the `pathway` command, and shows who may enrol in what: the shipped USATF
# rules against the example coaches.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)" --target pathway_cli >/dev/null
./build/pathway eval rules/usatf/usatf.pw --facts examples/coaches.jsonl --format text "$@"
