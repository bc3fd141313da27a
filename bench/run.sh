#!/usr/bin/env bash
# bench/run.sh: Pathway's benchmark, in one command (docs/performance.md).
#
#   bash bench/run.sh                 # 1,000,000 records: several minutes
#   bash bench/run.sh --smoke         # 2,000 records: checks that everything works and agrees
#
# Builds pathway (Release, in its own build directory) and the benchmark's C
# programs, generates the population into a scratch directory (never into the
# repository), checks that every peer makes the same decisions as
# `pathway eval`, times them all and prints one table of results and goals.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

usage() {
    cat <<'EOF'
usage: bash bench/run.sh [options]

  --records N       records in the population (default 1000000)
  --small N         records in the small file, for the memory ratio (default 10000)
  --smoke           2000 records, single runs: a quick end-to-end check (well under a minute)
  --dir DIR         scratch directory for generated files (default $BENCH_DIR, else /tmp/pathway-bench)
  --build-dir DIR   build directory (default build-bench in the repository; Release)
  --source DIR      build pathway from the source tree DIR instead of this repository
                    (e.g. a snapshot: mkdir DIR && git archive HEAD | tar -x -C DIR)
  --as-of DATE      the evaluation date (default 2026-11-23)
  --seed N          the generator's seed (default 20261123)
  --runs N          runs of each fast measurement, the best is kept (default 3)
  --wait-idle S     before each measurement, wait up to S seconds for other processes to
                    leave the CPUs alone (default 60; 0 with --smoke)
  --strict          exit 3 when a goal is not met (default: report only)
  --help            this text

Exit status: 0 done, 1 a peer disagreed with pathway eval or a step failed,
2 usage error, 3 (with --strict) a goal not met.
EOF
}

records=1000000
small=10000
smoke=0
dir=${BENCH_DIR:-/tmp/pathway-bench}
build="$repo/build-bench"
source_dir=$repo
as_of=2026-11-23
seed=20261123
runs=3
wait_idle=
strict=0
records_given=0
small_given=0

need_value() {
    if [[ $# -lt 2 || -z $2 ]]; then
        echo "bench/run.sh: $1 needs a value" >&2
        exit 2
    fi
}
while [[ $# -gt 0 ]]; do
    case $1 in
    --records) need_value "$@"; records=$2; records_given=1; shift 2 ;;
    --small) need_value "$@"; small=$2; small_given=1; shift 2 ;;
    --smoke) smoke=1; shift ;;
    --dir) need_value "$@"; dir=$2; shift 2 ;;
    --build-dir) need_value "$@"; build=$2; shift 2 ;;
    --source) need_value "$@"; source_dir=$(cd "$2" && pwd); shift 2 ;;
    --as-of) need_value "$@"; as_of=$2; shift 2 ;;
    --seed) need_value "$@"; seed=$2; shift 2 ;;
    --runs) need_value "$@"; runs=$2; shift 2 ;;
    --wait-idle) need_value "$@"; wait_idle=$2; shift 2 ;;
    --strict) strict=1; shift ;;
    --help | -h) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ $smoke == 1 ]]; then
    dir=$dir/smoke  # keep the last full run's files and results
    [[ $records_given == 1 ]] || records=2000
    [[ $small_given == 1 ]] || small=500
    runs=1
    wait_idle=${wait_idle:-0}
fi
wait_idle=${wait_idle:-60}
if ! [[ $wait_idle =~ ^[0-9]+$ ]]; then
    echo "bench/run.sh: --wait-idle: expected a number of seconds, got '$wait_idle'" >&2
    exit 2
fi
for n in "$records" "$small" "$runs" "$seed"; do
    if ! [[ $n =~ ^[0-9]+$ ]] || [[ $n == 0 ]]; then
        echo "bench/run.sh: expected a positive number, got '$n'" >&2
        exit 2
    fi
done

# Generated files are large and never belong in the repository.
dir=$(realpath -m "$dir")
case "$dir/" in
"$(realpath "$repo")/"*)
    echo "bench/run.sh: --dir $dir is inside the repository; use a scratch directory" >&2
    exit 2 ;;
esac
mkdir -p "$dir"

step() { printf '\n== %s\n' "$*" >&2; }

# ---- tools ---------------------------------------------------------------------
missing=()
for tool in cmake cc python3 pkg-config flex bison; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "bench/run.sh: missing: ${missing[*]} (bash scripts/quickstart.sh installs them)" >&2
    exit 1
fi
if ! pkg-config --exists libcjson; then
    echo "bench/run.sh: libcjson-dev is missing (bash scripts/quickstart.sh installs it)" >&2
    exit 1
fi
if ! command -v jq >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        step "installing jq (a peer)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null
    else
        echo "bench/run.sh: jq is missing (apt-get install jq)" >&2
        exit 1
    fi
fi

# ---- build ---------------------------------------------------------------------
step "building pathway (Release) from $source_dir in $build"
cmake -S "$source_dir" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DPATHWAY_WERROR=OFF >"$dir/cmake.log" 2>&1 || { cat "$dir/cmake.log" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" --target pathway_cli pathway_shared_static >>"$dir/cmake.log" 2>&1 \
    || { tail -40 "$dir/cmake.log" >&2; exit 1; }

step "building the benchmark's C programs in $build/bench"
tools="$build/bench"
mkdir -p "$tools"
cflags=(-std=c11 -O3 -DNDEBUG -Wall -Wextra -Wpedantic)
read -r -a cjson_cflags <<<"$(pkg-config --cflags libcjson)"
read -r -a cjson_libs <<<"$(pkg-config --libs libcjson)"
cc "${cflags[@]}" "$here/gen.c" -o "$tools/gen"
cc "${cflags[@]}" "$here/spawn.c" -o "$tools/spawn"
cc "${cflags[@]}" "${cjson_cflags[@]}" "$here/floor.c" -o "$tools/floor" "${cjson_libs[@]}"
cc "${cflags[@]}" "${cjson_cflags[@]}" "$here/parse_only.c" -o "$tools/parse_only" "${cjson_libs[@]}"
# libpathway.a is the installed archive: the whole library in one.
read -r -a yajl_libs <<<"$(pkg-config --libs yajl)"
for prog in vm_only coarse; do
    cc "${cflags[@]}" "${cjson_cflags[@]}" -I"$source_dir/include" "$here/$prog.c" -o "$tools/$prog" \
        "$build/libpathway.a" "${cjson_libs[@]}" "${yajl_libs[@]}" -lm
done
# The rules compiled to C (`pathway compile --emit c`), hosted through
# pw_program_use_native in vm_only built with -DVM_ONLY_NATIVE: the same
# measurement on the C back end. From the same rule file and the same
# pathway as bench.py's usatf.pwc, so its bytecode hash matches. A --source
# tree without the back end has its native lines NOT MEASURED.
rm -f "$tools/native_only"
if ! { "$build/pathway" compile "$repo/rules/usatf/usatf.pw" --emit c -o "$tools/usatf.c" &&
       cc "${cflags[@]}" "${cjson_cflags[@]}" -I"$source_dir/include" -DVM_ONLY_NATIVE "$here/vm_only.c" \
           "$tools/usatf.c" -o "$tools/native_only" "$build/libpathway.a" "${cjson_libs[@]}" "${yajl_libs[@]}" \
           -lm; } 2>"$dir/native-build.log"; then
    rm -f "$tools/native_only"
    echo "bench/run.sh: the C back end does not build (see $dir/native-build.log): not measured" >&2
fi
# horizon needs pw_when_context and pw_explain_context: a --source tree older
# than them has its when/explain goals NOT MEASURED rather than no benchmark.
rm -f "$tools/horizon"
if ! cc "${cflags[@]}" "${cjson_cflags[@]}" -I"$source_dir/include" "$here/horizon.c" -o "$tools/horizon" \
        "$build/libpathway.a" "${cjson_libs[@]}" "${yajl_libs[@]}" -lm 2>"$dir/horizon-build.log"; then
    echo "bench/run.sh: bench/horizon.c does not build against $source_dir (see $dir/horizon-build.log):" \
        "the when and explain goals are not measured" >&2
fi

# ---- measure -------------------------------------------------------------------
args=(--repo "$repo" --source "$source_dir" --pathway "$build/pathway" --tools "$tools" --dir "$dir"
      --records "$records" --small "$small" --as-of "$as_of" --seed "$seed" --runs "$runs"
      --wait-idle "$wait_idle")
[[ $smoke == 1 ]] && args+=(--smoke)
[[ $strict == 1 ]] && args+=(--strict)
exec python3 "$here/bench.py" "${args[@]}"
