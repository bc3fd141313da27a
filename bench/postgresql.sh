#!/usr/bin/env bash
# bench/postgresql.sh: the per-row cost of the PostgreSQL extension
# (docs/postgresql.md) next to `pathway eval` per record, on the same
# records (bench/gen.c's population) and the same rules.
#
#   bash bench/postgresql.sh                   # 50,000 records
#   bash bench/postgresql.sh --records 200000
#
# Builds the extension against BUILD/libpathway.a and installs it into the
# server's extension directories (so: root, or write access to them), starts
# a private server in a temporary directory (as the `postgres` user when run
# as root), loads the records into a table and times each query the best of
# --runs times, on one backend (no parallel workers) as `pathway eval
# --jobs 1` runs on one thread, and without JIT compilation (a fixed cost
# per query, not per row). Each is timed twice: wall time, and the CPU time
# of the process (the backend, or `pathway eval`), which the load of other
# processes on a shared machine inflates least. A query's time includes
# reading the table: "scan" is that alone, "scan_jsonb_as_text" what turning
# jsonb back into JSON text costs (the jsonb forms pay it per row). "x eval"
# is a row's time over `pathway eval`'s per record.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
records=50000
runs=3
build="$repo/build"
as_of=2026-11-23
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build-dir) build=$(cd "$2" && pwd); shift 2 ;;
    --help|-h) sed -n '2,21p' "$0"; echo "options: --records N (50000) --runs N (3) --build-dir DIR ($repo/build)"; exit 0 ;;
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

# In /tmp whatever TMPDIR says: the server's user must reach it, and a Unix
# socket's path must stay under 108 bytes.
tmp=$(mktemp -d /tmp/pathway-pg.XXXXXX)
trap 'pgx_stop "$tmp"; rm -rf "$tmp"' EXIT
pgx_build_install "$repo" "$build" "$tmp/ext"

data=$tmp/data-files
mkdir -p "$data"
cc -std=c11 -O2 -I"$here" "$here/gen.c" -o "$tmp/gen"
"$tmp/gen" --records "$records" --as-of "$as_of" -o "$data/coaches.jsonl"
"$build/pathway" compile "$repo/rules/usatf/usatf.pw" -o "$data/usatf.pwc"

# `pathway eval` per record: the best of the runs, one thread; wall and
# CPU (user + system) time in ms.
eval_times=$(for _ in $(seq "$runs"); do
  TIMEFORMAT='%3R %3U %3S'
  { time "$build/pathway" eval "$data/usatf.pwc" --facts "$data/coaches.jsonl" --as-of "$as_of" --jobs 1 >/dev/null; } 2>&1 |
    awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }'
done | sort -g -k2 | head -1)
eval_wall=${eval_times% *}
eval_cpu=${eval_times#* }

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

# time_query SQL: "wall cpu" in ms, of the run with the least CPU time: the
# server's time (psql's \timing) and the backend's CPU time (user + system,
# from /proc: what the load of other processes inflates least), at the
# kernel's tick (CLK_TCK) resolution.
hz=$(getconf CLK_TCK)
cpu_ticks="SELECT f[12]::bigint + f[13]::bigint FROM (SELECT string_to_array(split_part(pg_read_file('/proc/' || pg_backend_pid() || '/stat'), ') ', 2), ' ') AS f) s"
time_query() {
  local sql=$1
  for _ in $(seq "$runs"); do
    printf 'SET max_parallel_workers_per_gather = 0;\nSET jit = off;\n%s \\gset t0_\n\\timing on\n%s\n\\timing off\n%s \\gset t1_\n\\echo ticks :t0_bigint :t1_bigint\n' \
      "${cpu_ticks/bigint FROM/bigint AS bigint FROM}" "$sql" "${cpu_ticks/bigint FROM/bigint AS bigint FROM}" |
      psql_db -At 2>&1 | awk -v hz="$hz" '
        /^Time: / { wall = $2 }
        /^ticks / { cpu = ($3 - $2) * 1000 / hz }
        END { printf "%s %.1f\n", wall, cpu }'
  done | sort -g -k2 | head -1
}

d="DATE '$as_of'"
const="'\\x$rules_hex'::bytea"
declare -A q
q[scan]="SELECT count(*) FROM members;"
q[scan_jsonb_as_text]="SELECT count(coach::text) FROM members;"
q[eval_line_text]="SELECT count(pathway_eval_line($const, raw, $d)) FROM members;"
q[eval_line_jsonb]="SELECT count(pathway_eval_line($const, coach, $d)) FROM members;"
q[eval_jsonb]="SELECT count(pathway_eval($const, coach, $d)) FROM members;"
q[eligible_text]="SELECT count(*) FROM members WHERE pathway_eligible($const, raw, 'level_2', $d);"
q[eligible_jsonb]="SELECT count(*) FROM members WHERE pathway_eligible($const, coach, 'level_2', $d);"
q[eligible_rules_column]="SELECT count(*) FROM members, rule_sets r WHERE r.name = 'usatf' AND pathway_eligible(r.rules, coach, 'level_2', $d);"
q[results_jsonb]="SELECT count(*) FROM members m, pathway_results($const, m.coach, $d) x WHERE x.eligible;"
order=(scan scan_jsonb_as_text eval_line_text eval_line_jsonb eval_jsonb eligible_text eligible_jsonb
       eligible_rules_column results_jsonb)

ns() { awk -v ms="$1" -v n="$records" 'BEGIN { printf "%.0f", ms * 1e6 / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "records: $records, rules: usatf.pwc (11 programs), as of $as_of, best of $runs"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-24s %10s %10s %10s %10s\n' "what" "wall ns" "CPU ns" "x eval" "x eval"
printf '%-24s %10s %10s %10s %10s\n' "" "per row" "per row" "(wall)" "(CPU)"
printf '%-24s %10s %10s %10s %10s\n' "pathway eval --jobs 1" "$(ns "$eval_wall")" "$(ns "$eval_cpu")" 1.00 1.00
for k in "${order[@]}"; do
  read -r wall cpu <<<"$(time_query "${q[$k]}")"
  printf '%-24s %10s %10s %10s %10s\n' "$k" "$(ns "$wall")" "$(ns "$cpu")" \
    "$(ratio "$wall" "$eval_wall")" "$(ratio "$cpu" "$eval_cpu")"
done
psql_db -c "SELECT * FROM pathway_cache_stats();" >/dev/null
