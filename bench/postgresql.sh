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
# as root), loads the records into a table and times, --runs times over,
# `pathway eval` and then each query in turn (so that a busy machine slows
# both sides of a ratio alike), on one backend (no parallel workers) as
# `pathway eval --jobs 1` runs on one thread, and without JIT compilation (a
# fixed cost per query, not per row). Each is timed twice: wall time, and
# the CPU time of the process (the backend, or `pathway eval`), which the
# load of other processes on a shared machine inflates least. A query's
# time includes reading the table: "scan" is that alone,
# "scan_jsonb_as_text" what PostgreSQL's own jsonb output costs (the
# extension writes jsonb facts as text with a writer of its own). "x eval"
# is a row's time over `pathway eval`'s per record in the same run; the
# minimum and median over the runs are printed (the minimum: the least
# disturbed run; the median: how typical it is).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
records=50000
runs=5
build="$repo/build"
as_of=2026-11-23
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build-dir) build=$(cd "$2" && pwd); shift 2 ;;
    --help|-h) sed -n '2,24p' "$0"; echo "options: --records N (50000) --runs N (5) --build-dir DIR ($repo/build)"; exit 0 ;;
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

# One run of `pathway eval` per record, one thread: "wall cpu" in ms (CPU:
# user + system).
eval_once() {
  local TIMEFORMAT='%3R %3U %3S'
  { time "$build/pathway" eval "$data/usatf.pwc" --facts "$data/coaches.jsonl" --as-of "$as_of" --jobs 1 >/dev/null; } 2>&1 |
    awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }'
}

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

# time_query SQL: "wall cpu" in ms of one run: the server's time (psql's
# \timing) and the backend's CPU time (user + system, from /proc: what the
# load of other processes inflates least), at the kernel's tick (CLK_TCK)
# resolution.
hz=$(getconf CLK_TCK)
cpu_ticks="SELECT f[12]::bigint + f[13]::bigint FROM (SELECT string_to_array(split_part(pg_read_file('/proc/' || pg_backend_pid() || '/stat'), ') ', 2), ' ') AS f) s"
time_query() {
  local sql=$1
  printf 'SET max_parallel_workers_per_gather = 0;\nSET jit = off;\n%s \\gset t0_\n\\timing on\n%s\n\\timing off\n%s \\gset t1_\n\\echo ticks :t0_bigint :t1_bigint\n' \
    "${cpu_ticks/bigint FROM/bigint AS bigint FROM}" "$sql" "${cpu_ticks/bigint FROM/bigint AS bigint FROM}" |
    psql_db -At 2>&1 | awk -v hz="$hz" '
      /^Time: / { wall = $2 }
      /^ticks / { cpu = ($3 - $2) * 1000 / hz }
      END { printf "%s %.1f\n", wall, cpu }'
}

d="DATE '$as_of'"
const="'\\x$rules_hex'::bytea"
declare -A q
q[scan]="SELECT count(*) FROM members;"
q[scan_jsonb_as_text]="SELECT count(coach::text) FROM members;"
q[eval_line_text]="SELECT count(pathway_eval_line($const, raw, $d)) FROM members;"
q[eval_line_jsonb]="SELECT count(pathway_eval_line($const, coach, $d)) FROM members;"
q[eval_jsonb]="SELECT count(pathway_eval($const, coach, $d)) FROM members;"
q[eval_text]="SELECT count(pathway_eval($const, raw, $d)) FROM members;"
q[eligible_text]="SELECT count(*) FROM members WHERE pathway_eligible($const, raw, 'level_2', $d);"
q[eligible_jsonb]="SELECT count(*) FROM members WHERE pathway_eligible($const, coach, 'level_2', $d);"
q[eligible_rules_column]="SELECT count(*) FROM members, rule_sets r WHERE r.name = 'usatf' AND pathway_eligible(r.rules, coach, 'level_2', $d);"
q[results_jsonb]="SELECT count(*) FROM members m, pathway_results($const, m.coach, $d) x WHERE x.eligible;"
q[results_text]="SELECT count(*) FROM members m, pathway_results($const, m.raw, $d) x WHERE x.eligible;"
order=(scan scan_jsonb_as_text eval_line_text eval_line_jsonb eval_jsonb eval_text eligible_text
       eligible_jsonb eligible_rules_column results_jsonb results_text)

# Run after run, `pathway eval` and then every query, so that a busy machine
# slows both sides of a ratio alike; each run's ratios are its own.
declare -A wall_of cpu_of
eval_wall=() eval_cpu=()
for r in $(seq "$runs"); do
  read -r w c <<<"$(eval_once)"
  eval_wall[r]=$w eval_cpu[r]=$c
  for k in "${order[@]}"; do
    read -r w c <<<"$(time_query "${q[$k]}")"
    wall_of[$k,$r]=$w cpu_of[$k,$r]=$c
  done
done

# stats "v1 v2 ...": "min median"
stats() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s\n", v[1], m }'; }
ns() { awk -v ms="$1" -v n="$records" 'BEGIN { printf "%.0f", ms * 1e6 / n }'; }
row() { # name, then "wall cpu" ms pairs per run as two lists, then the ratio lists
  local name=$1 walls=$2 cpus=$3 wall_ratios=$4 cpu_ratios=$5
  read -r wmin wmed <<<"$(stats "$walls")"
  read -r cmin cmed <<<"$(stats "$cpus")"
  read -r rwmin rwmed <<<"$(stats "$wall_ratios")"
  read -r rcmin rcmed <<<"$(stats "$cpu_ratios")"
  printf '%-22s %7s %7s %7s %7s %6.2f %6.2f %6.2f %6.2f\n' "$name" "$(ns "$wmin")" "$(ns "$wmed")" \
    "$(ns "$cmin")" "$(ns "$cmed")" "$rwmin" "$rwmed" "$rcmin" "$rcmed"
}
echo "records: $records, rules: usatf.pwc (11 programs), as of $as_of, $runs runs"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %15s %15s %13s %13s\n' "" "wall ns/row" "CPU ns/row" "x eval wall" "x eval CPU"
printf '%-22s %7s %7s %7s %7s %6s %6s %6s %6s\n' "" min median min median min median min median
ones=$(for r in $(seq "$runs"); do printf '1 '; done)
row "pathway eval --jobs 1" "${eval_wall[*]}" "${eval_cpu[*]}" "$ones" "$ones"
for k in "${order[@]}"; do
  walls= cpus= wr= cr=
  for r in $(seq "$runs"); do
    walls+="${wall_of[$k,$r]} " cpus+="${cpu_of[$k,$r]} "
    wr+="$(awk -v a="${wall_of[$k,$r]}" -v b="${eval_wall[r]}" 'BEGIN { printf "%.4f", a / b }') "
    cr+="$(awk -v a="${cpu_of[$k,$r]}" -v b="${eval_cpu[r]}" 'BEGIN { printf "%.4f", a / b }') "
  done
  row "$k" "$walls" "$cpus" "$wr" "$cr"
done
psql_db -c "SELECT * FROM pathway_cache_stats();" >/dev/null
