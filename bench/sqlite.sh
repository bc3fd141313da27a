#!/usr/bin/env bash
# bench/sqlite.sh: the SQLite extension's cost per row (docs/sqlite.md, "Cost"),
# next to `pathway eval`'s per record on the same generated coaches.
#
#   bash bench/sqlite.sh                  # 100,000 coaches
#   bash bench/sqlite.sh --records 2000   # a quick check
#
# Builds pathway and libpathway_sqlite (Release, in build-bench-sqlite), generates the
# coaches with bench/gen.c into a scratch directory, loads them into a table
# (members, the record as a JSON text column), checks that pathway_eval gives
# what `pathway eval` prints, then times each query (the best of --runs) and
# prints its time per row. "scan" is the query that only reads the column:
# what any function over the table pays before it is called. Times are CPU
# time (user + system) of the whole process, one thread each.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
records=100000
dir=${BENCH_DIR:-/tmp/pathway-bench}/sqlite
build=$repo/build-bench-sqlite  # its own: bench/run.sh configures build-bench without the tests
as_of=2026-11-23
seed=20261123
runs=3

usage() {
    cat <<'USAGE'
usage: bash bench/sqlite.sh [--records N] [--runs N] [--dir DIR] [--build-dir DIR]
                            [--as-of DATE] [--seed N]
USAGE
}
while [[ $# -gt 0 ]]; do
    case $1 in
    --records) records=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --dir) dir=${2:?}; shift 2 ;;
    --build-dir) build=${2:?}; shift 2 ;;
    --as-of) as_of=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --help | -h) usage; exit 0 ;;
    *) echo "bench/sqlite.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
for n in "$records" "$runs" "$seed"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench/sqlite.sh: expected a positive number, got '$n'" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "bench/sqlite.sh: the sqlite3 shell is missing (Debian: sqlite3)" >&2; exit 1; }
dir=$(realpath -m "$dir")
case "$dir/" in
"$(realpath "$repo")/"*) echo "bench/sqlite.sh: --dir $dir is inside the repository" >&2; exit 2 ;;
esac
mkdir -p "$dir"
step() { printf '== %s\n' "$*" >&2; }

step "building pathway and libpathway_sqlite (Release) in $build"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON -DPATHWAY_WERROR=OFF >"$dir/cmake.log" 2>&1 ||
    { cat "$dir/cmake.log" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" --target pathway_cli pathway_sqlite >>"$dir/cmake.log" 2>&1 ||
    { tail -40 "$dir/cmake.log" >&2; exit 1; }
pathway=$build/pathway
ext=$build/sqlite/libpathway_sqlite.so
cc -std=c11 -O2 "$here/gen.c" -o "$dir/gen"

step "generating $records coaches and loading them into $dir/members.db"
"$dir/gen" --records "$records" --seed "$seed" --as-of "$as_of" -o "$dir/coaches.jsonl"
"$pathway" compile "$repo/rules/usatf/usatf.pw" -o "$dir/usatf.pwc"
rm -f "$dir/members.db"
{
    echo "BEGIN; CREATE TABLE members(facts TEXT); CREATE TABLE rules(name TEXT, pwc BLOB);"
    echo "INSERT INTO rules VALUES('usatf', readfile('$dir/usatf.pwc'));"
    sed "s/'/''/g; s/.*/INSERT INTO members VALUES('&');/" "$dir/coaches.jsonl"
    echo "COMMIT;"
} | sqlite3 -bail "$dir/members.db"

step "checking that pathway_eval prints what pathway eval does"
"$pathway" eval "$dir/usatf.pwc" --facts "$dir/coaches.jsonl" --as-of "$as_of" --jobs 1 >"$dir/eval.jsonl" || true
sqlite3 -bail -cmd ".load $ext" "$dir/members.db" \
    "SELECT pathway_eval('$dir/usatf.pwc', facts, '$as_of') FROM members ORDER BY rowid" >"$dir/sqlite.jsonl"
cmp -s "$dir/eval.jsonl" "$dir/sqlite.jsonl" ||
    { echo "bench/sqlite.sh: pathway_eval and pathway eval disagree ($dir/*.jsonl)" >&2; exit 1; }

# best CMD...: the least CPU time (user + system, in ns) of CMD over $runs
# runs. CPU time, not wall time: the machine may be shared, and every peer
# here runs on one thread.
best() {
    local b=0 t r
    for ((r = 0; r < runs; r++)); do
        t=$( { TIMEFORMAT='%3U %3S'; time "$@" >/dev/null 2>&1; } 2>&1 |
            awk '{ printf "%d", ($1 + $2) * 1e9 }')
        ((b == 0 || t < b)) && b=$t
    done
    echo "$b"
}
sq() { sqlite3 -bail -cmd ".load $ext" "$dir/members.db" "$1"; }
pwc="'$dir/usatf.pwc'"
declare -a names queries
add() { names+=("$1"); queries+=("$2"); }
add "scan (reads facts only)" "SELECT count(facts) FROM members"
add "pathway_eval, path" "SELECT count(pathway_eval($pwc, facts, '$as_of')) FROM members"
add "pathway_eval, BLOB from a table" "SELECT count(pathway_eval(r.pwc, m.facts, '$as_of')) FROM members m, rules r"
add "pathway_eligible level_2" "SELECT count(*) FROM members WHERE pathway_eligible($pwc, facts, 'level_2', '$as_of')"
add "pathway_results, WHERE eligible" "SELECT count(*) FROM members m, pathway_results($pwc, m.facts, '$as_of') WHERE eligible"
add "pathway_results GROUP BY program" "SELECT program, sum(eligible) FROM members m, pathway_results($pwc, m.facts, '$as_of') GROUP BY program"

step "timing (best of $runs)"
t_eval=$(best "$pathway" eval "$dir/usatf.pwc" --facts "$dir/coaches.jsonl" --as-of "$as_of" --jobs 1)
t_scan=0
printf '%-36s %10s %12s %12s %10s\n' "query ($records coaches)" "CPU ms" "ns/row" "net ns/row" "x eval"
printf '%-36s %10d %12d %12s %10s\n' "pathway eval --jobs 1 (per record)" $((t_eval / 1000000)) $((t_eval / records)) "-" "1.00"
for i in "${!names[@]}"; do
    t=$(best sq "${queries[$i]}")
    [[ $i == 0 ]] && t_scan=$t
    net=$(((t - t_scan) / records))
    ratio=$(awk -v a="$t" -v b="$t_eval" 'BEGIN { printf "%.2f", a / b }')
    printf '%-36s %10d %12d %12s %10s\n' "${names[$i]}" $((t / 1000000)) $((t / records)) \
        "$([[ $i == 0 ]] && echo - || echo "$net")" "$ratio"
done
echo "(CPU time, best of $runs; ns/row: the whole sqlite3 run over the table; net: less the scan;"
echo " x eval: against pathway eval's; pathway_results makes 11 rows a coach, GROUP BY sorts them)"
