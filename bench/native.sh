#!/usr/bin/env bash
# bench/native.sh: the C back end (`pathway compile --emit c`) beside the VM
# and the hand-written C floor (bench/floor.c), on the same coaches: time per
# coach (best of R rounds) and, with valgrind, machine instructions per coach
# (callgrind, the difference of two runs over the difference of their
# evaluations, so that loading and start-up cancel out; instructions do not
# drift with a shared machine's load, time does). The native figures are
# pw_evaluate_all through the API after pw_program_use_native, as a host
# would run them (bench/vm_only.c built with -DVM_ONLY_NATIVE); the
# checksums of the three must agree.
#
# usage: bash bench/native.sh BUILD_DIR [EVALS] [ROUNDS]
#   BUILD_DIR  a build of this tree (libpathway.a and pathway in it)
#   EVALS      evaluations timed (default 200000, over 100 coaches); ROUNDS 3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
evals=${2:-200000}
rounds=${3:-3}
rules=$here/../rules/usatf/usatf.pw
as_of=2026-11-23
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
read -r -a cj_c <<<"$(pkg-config --cflags libcjson)"
read -r -a cj_l <<<"$(pkg-config --libs libcjson)"
read -r -a yj_l <<<"$(pkg-config --libs yajl)"
cflags=(-std=c11 -O3 -DNDEBUG -g)
cc "${cflags[@]}" "$here/gen.c" -o "$tmp/gen"
cc "${cflags[@]}" "${cj_c[@]}" "$here/floor.c" -o "$tmp/floor" "${cj_l[@]}"
"$build/pathway" compile "$rules" -o "$tmp/rules.pwc" >/dev/null
"$build/pathway" compile "$tmp/rules.pwc" --emit c -o "$tmp/rules.c"
cc "${cflags[@]}" "${cj_c[@]}" -I"$here/../include" "$here/vm_only.c" -o "$tmp/vm_only" \
    "$build/libpathway.a" "${cj_l[@]}" "${yj_l[@]}" -lm
cc "${cflags[@]}" "${cj_c[@]}" -I"$here/../include" -DVM_ONLY_NATIVE "$here/vm_only.c" "$tmp/rules.c" \
    -o "$tmp/native_only" "$build/libpathway.a" "${cj_l[@]}" "${yj_l[@]}" -lm
"$tmp/gen" --records 100 --as-of "$as_of" -o "$tmp/coaches.jsonl"

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$2"; }  # " NAME=": not load_NAME=
"$tmp/floor" "$tmp/coaches.jsonl" --as-of "$as_of" --evals "$evals" --rounds "$rounds" >"$tmp/floor.txt"
"$tmp/vm_only" "$tmp/rules.pwc" "$tmp/coaches.jsonl" --as-of "$as_of" --evals "$evals" --rounds "$rounds" >"$tmp/vm.txt"
"$tmp/native_only" "$tmp/rules.pwc" "$tmp/coaches.jsonl" --as-of "$as_of" --evals "$evals" --rounds "$rounds" \
    >"$tmp/native.txt"
fl=$(field ns_per_coach "$tmp/floor.txt") vm=$(field ns_per_coach "$tmp/vm.txt") na=$(field ns_per_coach "$tmp/native.txt")
sums="$(field checksum "$tmp/floor.txt") $(field checksum "$tmp/vm.txt") $(field checksum "$tmp/native.txt")"
read -r a b c <<<"$sums"
if [[ $a != "$b" || $b != "$c" ]]; then
    echo "native.sh: the floor, the VM and the native code decided differently (checksums $sums)" >&2
    exit 1
fi
echo "time per coach (ns, best of $rounds rounds of $evals evaluations over 100 coaches; checksums agree):"
awk -v f="$fl" -v v="$vm" -v n="$na" 'BEGIN {
    printf "  C floor %8.1f   VM %8.1f (%5.1fx floor)   native %8.1f (%5.1fx floor, VM / native %5.1fx)\n",
           f, v, v / f, n, n / f, v / n }'

command -v valgrind >/dev/null || { echo "(valgrind is not installed: no instruction counts)"; exit 0; }
# Counted inside pw_evaluate_all for the library (vm_only also times
# loading, which grows with the evaluations), the whole program for the floor.
insns() {
    local out=$1 toggle=$2 total=()
    shift 2
    for e in 2000 4000; do
        valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$out.$e" $toggle "$@" --evals "$e" --rounds 1 \
            >/dev/null 2>"$tmp/cg.$out.err"
        total+=("$(awk '/^summary:/ {print $2}' "$tmp/cg.$out.$e")")
    done
    echo $(((total[1] - total[0]) / 2000))
}
ifl=$(insns floor "" "$tmp/floor" "$tmp/coaches.jsonl" --as-of "$as_of")
ivm=$(insns vm --toggle-collect=pw_evaluate_all "$tmp/vm_only" "$tmp/rules.pwc" "$tmp/coaches.jsonl" --as-of "$as_of")
ina=$(insns native --toggle-collect=pw_evaluate_all "$tmp/native_only" "$tmp/rules.pwc" "$tmp/coaches.jsonl" --as-of "$as_of")
echo "machine instructions per coach (callgrind):"
awk -v f="$ifl" -v v="$ivm" -v n="$ina" 'BEGIN {
    printf "  C floor %8d   VM %8d (%5.1fx floor)   native %8d (%5.1fx floor, VM / native %5.1fx)\n",
           f, v, v / f, n, n / f, v / n }'
