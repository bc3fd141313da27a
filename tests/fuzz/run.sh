#!/usr/bin/env bash
# Builds the libFuzzer harnesses (build-fuzz, clang, PATHWAY_FUZZ=ON) and runs
# each for SECONDS seconds over a scratch copy of its committed corpus, so
# that a run never changes the repository.
#
#   bash tests/fuzz/run.sh SECONDS [NAME...]     NAME: compile bytecode facts roundtrip
#
# Fails (exit 1) on any crash, sanitizer report, leak, timeout (-timeout=10),
# out-of-memory (-rss_limit_mb=2048) or failed check of a harness (the
# differential comparison of fuzz_roundtrip among them), and prints the
# reproducer's path and how to replay and minimise it. Reproducers and logs
# are kept in build-fuzz/fuzz-out/NAME/. FUZZ_JOBS=N runs N harnesses at
# once (default 1). Works as root without a terminal on a fresh Debian.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
all=(compile bytecode facts roundtrip)
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: bash tests/fuzz/run.sh SECONDS [${all[*]}]" >&2
  exit 2
fi
secs=$1
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")
for n in "${names[@]}"; do
  [[ " ${all[*]} " == *" $n "* ]] || { echo "run.sh: no harness \`$n\` (have: ${all[*]})" >&2; exit 2; }
done
jobs=${FUZZ_JOBS:-1}

# ---- dependencies: the project's, and libFuzzer's runtime ----------------------
bash scripts/deps.sh
if ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; return (int)n * 0; }\n' |
  clang -x c -fsanitize=fuzzer,address,undefined - -o /tmp/pw-fuzz-probe.$$ 2>/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  major=$(clang -dumpversion | cut -d. -f1)
  echo "installing libFuzzer's runtime (libclang-rt-dev)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libclang-rt-dev >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "libclang-rt-$major-dev" >/dev/null
fi
rm -f /tmp/pw-fuzz-probe.$$

# ---- build -----------------------------------------------------------------------
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPATHWAY_FUZZ=ON >/dev/null
targets=()
for n in "${names[@]}"; do targets+=(--target "fuzz_$n"); done
cmake --build build-fuzz -j"$(nproc)" "${targets[@]}"

# ---- run -------------------------------------------------------------------------
out=$root/build-fuzz/fuzz-out
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local name=$1 dir=$out/$1
  rm -rf "$dir"
  mkdir -p "$dir/artifacts" "$scratch/$name"
  cp -R "$root/tests/fuzz/corpus/$name/." "$scratch/$name/"
  local args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
    -artifact_prefix="$dir/artifacts/")
  case $name in
  compile | roundtrip) args+=(-dict="$root/tests/fuzz/pathway.dict") ;;
  facts) args+=(-dict="$root/tests/fuzz/facts.dict") ;;
  esac
  # New inputs go to the first directory (the scratch copy); the others are
  # only read.
  local corpora=("$scratch/$name")
  [ "$name" = bytecode ] && corpora+=("$root/tests/hostile")
  # From the scratch directory, so that a fuzzed `include` resolves there.
  local rc=0
  (cd "$scratch" && "$root/build-fuzz/tests/fuzz/fuzz_$name" "${args[@]}" "${corpora[@]}") \
    </dev/null >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/status"
}

pids=()
for n in "${names[@]}"; do
  echo "fuzzing $n for ${secs}s (log: build-fuzz/fuzz-out/$n/log)"
  run_one "$n" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || true
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || true; done

# ---- report ----------------------------------------------------------------------
failed=0
printf '\n%-10s %12s %8s %7s %7s %7s  %s\n' harness executions exec/s cov ft corpus result
for n in "${names[@]}"; do
  dir=$out/$n
  rc=$(cat "$dir/status" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$dir/log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  result=ok
  if [ "$rc" -ne 0 ]; then result="FAILED (exit $rc)"; failed=1; fi
  printf '%-10s %12s %8s %7s %7s %7s  %s\n' "$n" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$result"
done
for n in "${names[@]}"; do
  dir=$out/$n
  [ "$(cat "$dir/status" 2>/dev/null || echo 1)" -ne 0 ] || continue
  echo
  echo "==== $n failed; from its log ($dir/log):"
  # From the report (sanitizer, failed check, timeout, leak), else the end.
  first=$(grep -n -m1 -E 'ERROR: |fuzz check failed|runtime error:|ALARM: |out-of-memory|SUMMARY: ' "$dir/log" | cut -d: -f1 || true)
  if [ -n "$first" ]; then
    tail -n +"$first" "$dir/log" | grep -v -E '^#[0-9]+|^  [A-Z].*: +[0-9a-f]{2}' | head -50
  else
    grep -v -E '^#[0-9]+' "$dir/log" | tail -50
  fi
  for a in "$dir"/artifacts/*; do
    [ -e "$a" ] || continue
    echo "reproducer: $a"
    echo "  replay:   build-fuzz/tests/fuzz/fuzz_$n $a"
    echo "  minimise: build-fuzz/tests/fuzz/fuzz_$n -minimize_crash=1 -runs=100000 -exact_artifact_path=$a.min $a"
    echo "  keep it:  cp $a.min tests/fuzz/corpus/$n/crash-SHORT-NAME"
  done
done
exit $failed
