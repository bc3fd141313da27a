#!/usr/bin/env bash
# bench/postgresql.sh: the per-row cost of the PostgreSQL extension
# (docs/postgresql.md) next to `pathway eval` per record, on the same
# records (bench/gen.c's population) and the same rules.
#
#   bash bench/postgresql.sh                   # 20,000 records
#   bash bench/postgresql.sh --records 100000
#
# Builds the extension against BUILD/libpathway.a and installs it into the
# server's extension directories (so: root, or write access to them), starts
# a private server in a temporary directory (as the `postgres` user when run
# as root), loads the records into a table and times each query the best of
# --runs times, on one backend (no parallel workers) as `pathway eval
# --jobs 1` runs on one thread, and without JIT compilation (a fixed cost
# per query, not per row). A query's time includes reading the table;
# "scan: count(*)" is that alone and "net" subtracts it ("scan: jsonb as
# text" shows what turning jsonb back into JSON text costs, which the jsonb
# forms pay per row). "x eval" is ns/row over `pathway eval`'s ns/record.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
records=20000
runs=3
build="$repo/build"
as_of=2026-11-23
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build-dir) build=$(cd "$2" && pwd); shift 2 ;;
    --help|-h) sed -n '2,19p' "$0"; echo "options: --records N (20000) --runs N (3) --build-dir DIR ($repo/build)"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

. "$repo/extensions/postgresql/tests/pg_lib.sh"
why=$(pgx_find) || { echo "bench/postgresql.sh: $why" >&2; exit 1; }
pgx_find
if [ ! -x "$build/pathway" ] || [ ! -f "$build/libpathway.a" ]; then
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target pathway_cli pathway >/dev/null
fi

tmp=$(mktemp -d)
trap 'pgx_stop "$tmp"; rm -rf "$tmp"' EXIT
pgx_build_install "$repo" "$build" "$tmp/ext"

data=$tmp/data-files
mkdir -p "$data"
cc -std=c11 -O2 -I"$here" "$here/gen.c" -o "$tmp/gen"
"$tmp/gen" --records "$records" --as-of "$as_of" -o "$data/coaches.jsonl"
"$build/pathway" compile "$repo/rules/usatf/usatf.pw" -o "$data/usatf.pwc"

# `pathway eval` per record: the best of the runs, one thread.
best_ms() { sort -n | head -1; }
eval_ms=$(for _ in $(seq "$runs"); do
  s=$(date +%s%N)
  "$build/pathway" eval "$data/usatf.pwc" --facts "$data/coaches.jsonl" --as-of "$as_of" --jobs 1 >/dev/null
  e=$(date +%s%N)
  echo $(((e - s) / 1000000))
done | best_ms)

pgx_start "$tmp"
psql_db() { pgx_psql "$tmp" -d postgres "$@"; }
psql_db <<EOF
CREATE EXTENSION pathway;
CREATE TABLE members (id text PRIMARY KEY, coach jsonb NOT NULL, raw text NOT NULL);
INSERT INTO members
SELECT line::jsonb ->> 'id', line::jsonb, line
FROM regexp_split_to_table(rtrim(pg_read_file('$data/coaches.jsonl'), E'\n'), E'\n') AS line;
CREATE TABLE rule_sets (name text PRIMARY KEY, rules bytea NOT NULL);
INSERT INTO rule_sets VALUES ('usatf', pg_read_binary_file('$data/usatf.pwc'));
VACUUM ANALYZE members;
EOF
rules_hex=$(psql_db -At -c "SELECT encode(rules, 'hex') FROM rule_sets")

# time_query SQL: the best server-side time of the runs, in ms (psql's \timing).
time_query() {
  local sql=$1 best=
  for _ in $(seq "$runs"); do
    local t
    t=$(printf 'SET max_parallel_workers_per_gather = 0;\nSET jit = off;\n\\timing on\n%s\n' "$sql" |
        psql_db -o /dev/null 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
    best=$(printf '%s\n%s\n' "$best" "$t" | grep -v '^$' | sort -g | head -1)
  done
  echo "$best"
}

d="DATE '$as_of'"
const="'\\x$rules_hex'::bytea"
scan=$(time_query "SELECT count(*) FROM members;")
scan_jsonb=$(time_query "SELECT count(coach::text) FROM members;")
declare -A q
q[eval_jsonb]="SELECT count(pathway_eval($const, coach, $d)) FROM members;"
q[eval_line_text]="SELECT count(pathway_eval_line($const, raw, $d)) FROM members;"
q[eval_line_jsonb]="SELECT count(pathway_eval_line($const, coach, $d)) FROM members;"
q[eligible_jsonb]="SELECT count(*) FROM members WHERE pathway_eligible($const, coach, 'level_2', $d);"
q[eligible_text]="SELECT count(*) FROM members WHERE pathway_eligible($const, raw, 'level_2', $d);"
q[eligible_rules_column]="SELECT count(*) FROM members, rule_sets r WHERE r.name = 'usatf' AND pathway_eligible(r.rules, coach, 'level_2', $d);"
q[results_jsonb]="SELECT count(*) FROM members m, pathway_results($const, m.coach, $d) x WHERE x.eligible;"
order=(eval_line_text eval_line_jsonb eval_jsonb eligible_text eligible_jsonb eligible_rules_column results_jsonb)

ns() { awk -v ms="$1" -v n="$records" 'BEGIN { printf "%.0f", ms * 1e6 / n }'; }
eval_ns=$(ns "$eval_ms")
echo "records: $records, rules: usatf.pwc, as of $as_of, best of $runs"
echo "pathway version: $("$build/pathway" --version 2>/dev/null | head -1)"
printf '%-24s %10s %10s %10s %8s\n' "what" "ms" "ns/row" "net ns" "x eval"
printf '%-24s %10s %10s %10s %8s\n' "pathway eval --jobs 1" "$eval_ms" "$eval_ns" "$eval_ns" "1.00"
printf '%-24s %10s %10s\n' "scan: count(*)" "$scan" "$(ns "$scan")"
printf '%-24s %10s %10s\n' "scan: jsonb as text" "$scan_jsonb" "$(ns "$scan_jsonb")"
for k in "${order[@]}"; do
  ms=$(time_query "${q[$k]}")
  net=$(awk -v a="$ms" -v b="$scan" 'BEGIN { print a - b }')
  printf '%-24s %10s %10s %10s %8s\n' "$k" "$ms" "$(ns "$ms")" "$(ns "$net")" \
    "$(awk -v a="$(ns "$ms")" -v b="$eval_ns" 'BEGIN { printf "%.2f", a / b }')"
done
psql_db -c "SELECT * FROM pathway_cache_stats();" >/dev/null
