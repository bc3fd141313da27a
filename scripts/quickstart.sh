#!/usr/bin/env bash
# Installs what is missing, builds, and shows who may enrol in what: the
# shipped USATF rules against the example coaches.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/pathway eval rules/usatf/usatf.pw --facts examples/coaches.jsonl --format text "$@"
