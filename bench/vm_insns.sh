#!/usr/bin/env bash
# bench/vm_insns.sh: machine instructions per coach for pw_evaluate_all (all
# programs of one coach), counted by callgrind, so that a change to the VM can
# be judged on a shared, busy machine (instruction counts do not drift with
# the load; wall time does). Also prints the static opcode-pair counts of the
# compiled rules (bench/pairs.py), which choose the superinstructions. Given a
# build made with -DPATHWAY_STATS=ON it counts instead the bytecode
# instructions and opcode pairs executed (no valgrind needed).
#
# usage: bash bench/vm_insns.sh BUILD_DIR [RULES.pw] [EVALS]
#   BUILD_DIR  a build of this tree (libpathway.a and pathway in it)
#   RULES.pw   default rules/usatf/usatf.pw (or a generated set:
#              bench/gen_rules.py); EVALS default 20000 (over 100 coaches)
# prints: insns_per_coach=N evals=E rules=R (machine instructions), or with a
#         stats build bytecode_per_coach=N and the executed pairs
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
rules=${2:-$here/../rules/usatf/usatf.pw}
evals=${3:-20000}
command -v valgrind >/dev/null || { echo "vm_insns: valgrind is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
read -r -a cj_c <<<"$(pkg-config --cflags libcjson)"
read -r -a cj_l <<<"$(pkg-config --libs libcjson)"
read -r -a yj_l <<<"$(pkg-config --libs yajl)"
cc -std=c11 -O2 -g -DNDEBUG "$here/gen.c" -o "$tmp/gen"
cc -std=c11 -O2 -g -DNDEBUG "${cj_c[@]}" -I"$here/../include" "$here/vm_only.c" -o "$tmp/vm_only" \
    "$build/libpathway.a" "${cj_l[@]}" "${yj_l[@]}" -lm
"$tmp/gen" --records 100 -o "$tmp/coaches.jsonl"
"$build/pathway" compile "$rules" -o "$tmp/rules.pwc" >/dev/null
if grep -q '^PATHWAY_STATS:BOOL=ON' "$build/CMakeCache.txt"; then
    PATHWAY_STATS="$tmp/pairs.txt" "$tmp/vm_only" "$tmp/rules.pwc" "$tmp/coaches.jsonl" --as-of 2026-11-23 \
        --evals "$evals" --rounds 1 >"$tmp/vm.txt"
    python3 "$here/pairs.py" --dynamic "$tmp/pairs.txt" --top 40 >"$tmp/pairs.out"
    executed=$(awk 'NR == 1 {sub("instructions=", "", $2); print $2}' "$tmp/pairs.out")
    echo "bytecode_per_coach=$((executed / evals)) evals=$evals rules=$(basename "$rules") (includes loading)"
    cat "$tmp/pairs.out"
    exit 0
fi
# Counted only inside pw_evaluate_all: loading the facts is not the VM.
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" --toggle-collect=pw_evaluate_all \
    "$tmp/vm_only" "$tmp/rules.pwc" "$tmp/coaches.jsonl" --as-of 2026-11-23 --evals "$evals" --rounds 1 \
    >"$tmp/vm.txt" 2>"$tmp/cg.err"
total=$(awk '/^summary:/ {print $2}' "$tmp/cg.out")
echo "insns_per_coach=$((total / evals)) evals=$evals rules=$(basename "$rules")"
"$build/pathway" disasm "$tmp/rules.pwc" >"$tmp/dis.txt"
python3 "$here/pairs.py" "$tmp/dis.txt" --top 40
