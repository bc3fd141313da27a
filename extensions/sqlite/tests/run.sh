#!/usr/bin/env bash
# sqlite.shell: the extension through Debian's sqlite3 shell (docs/sqlite.md).
#   PWS_EXT  the built libpathway_sqlite.so    PW_BIN  pathway    PW_SRC  the source tree
# Every answer is compared with examples/coaches.expected.jsonl (pathway eval
# --as-of 2026-11-23); every wrong input must be an SQL error with the
# library's message, the shell exiting 1 (never a signal); the connection's
# cache must load a rule set once per content.
set -u
: "${PWS_EXT:?}" "${PW_BIN:?}" "${PW_SRC:?}"
if ! command -v sqlite3 >/dev/null; then
  echo "sqlite3 shell not found (Debian: sqlite3)" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
# shellcheck source=/dev/null
. "$PW_SRC/tests/cli/lib/asserts.sh"

cd "$tmp" || exit 1
ex=$PW_SRC/examples
usatf=$PW_SRC/rules/usatf/usatf.pw
"$PW_BIN" compile "$usatf" -o usatf.pwc || exit 1
# sq NAME SQL: runs SQL in the shell on members.db with the extension loaded.
sq() {
  local name=$1
  shift
  expect_status "$name" "${want:-0}" sqlite3 -bail -cmd ".load $PWS_EXT" members.db "$@"
}

# The members: one row per line of coaches.jsonl, and the expected lines.
sed "s/'/''/g; s/.*/INSERT INTO members(facts) VALUES('&');/" "$ex/coaches.jsonl" >members.sql
sed "s/'/''/g; s/.*/INSERT INTO expected(line) VALUES('&');/" "$ex/coaches.expected.jsonl" >expected.sql
sqlite3 -bail members.db "CREATE TABLE members(facts TEXT);
  CREATE TABLE expected(line TEXT);
  CREATE TABLE rules(name TEXT, pwc BLOB);" ".read members.sql" ".read expected.sql" \
  "INSERT INTO rules VALUES('usatf', readfile('usatf.pwc'))" || exit 1

# ---- pathway_eval: the eval line, from a .pw path, a .pwc path, a BLOB ------------
sq eval_pw "SELECT pathway_eval('$usatf', facts, '2026-11-23') FROM members ORDER BY rowid" &&
  expect_golden eval_pw "$tmp/eval_pw.out" "$ex/coaches.expected.jsonl"
sq eval_pwc "SELECT pathway_eval('usatf.pwc', facts, '2026-11-23') FROM members ORDER BY rowid" &&
  expect_golden eval_pwc "$tmp/eval_pwc.out" "$ex/coaches.expected.jsonl"
sq eval_blob "SELECT pathway_eval(r.pwc, m.facts, '2026-11-23') FROM members m, rules r
  ORDER BY m.rowid" && expect_golden eval_blob "$tmp/eval_blob.out" "$ex/coaches.expected.jsonl"
sq eval_null "SELECT quote(pathway_eval(NULL, facts, '2026-11-23')),
  quote(pathway_eval('usatf.pwc', NULL, NULL)) FROM members LIMIT 1" &&
  printf 'NULL|NULL\n' | expect_out eval_null

# ---- pathway_results: the same answers, row by row -----------------------------
# The eval line rebuilt from the table's rows with SQLite's JSON functions.
sq results_rebuilt "SELECT json_object('id', json_extract(m.facts, '\$.id'), 'as_of', '2026-11-23',
    'results', (SELECT json_group_array(json_object('program', program,
        'eligible', json(CASE eligible WHEN 1 THEN 'true' ELSE 'false' END),
        'unmet', json(unmet), 'preferred_unmet', json(preferred_unmet)))
      FROM pathway_results('usatf.pwc', m.facts, '2026-11-23')))
  FROM members m ORDER BY m.rowid" &&
  expect_golden results_rebuilt "$tmp/results_rebuilt.out" "$ex/coaches.expected.jsonl"
# WHERE eligible and GROUP BY program: the counts from the expected lines.
sq counts_expected "SELECT json_extract(r.value, '\$.program') AS program,
    sum(json_extract(r.value, '\$.eligible')) FROM expected, json_each(line, '\$.results') r
  GROUP BY program ORDER BY program"
sq counts "SELECT p.program, count(*) FILTER (WHERE p.eligible) FROM members m,
    pathway_results(r.pwc, m.facts, '2026-11-23') p JOIN rules r ON r.name = 'usatf'
  GROUP BY p.program ORDER BY p.program" &&
  expect_golden counts "$tmp/counts.out" "$tmp/counts_expected.out"
sq where_eligible "SELECT json_extract(m.facts, '\$.id') FROM members m,
    pathway_results('usatf.pwc', m.facts, '2026-11-23') p
  WHERE p.program = 'level_2' AND p.eligible ORDER BY 1"
sq where_expected "SELECT json_extract(line, '\$.id') FROM expected, json_each(line, '\$.results') r
  WHERE json_extract(r.value, '\$.program') = 'level_2' AND json_extract(r.value, '\$.eligible')
  ORDER BY 1" && expect_golden where_eligible "$tmp/where_eligible.out" "$tmp/where_expected.out"
grep -q . "$tmp/where_eligible.out" || fail "where_eligible: nobody may enrol in level_2"
sq status "SELECT DISTINCT status FROM members m, pathway_results('usatf.pwc', m.facts, '2026-11-23')
  ORDER BY 1" && printf 'eligible\nnot_eligible\n' | expect_out status
sq results_null "SELECT count(*) FROM pathway_results('usatf.pwc', NULL, NULL)" &&
  echo 0 | expect_out results_null

# ---- pathway_eligible: every coach and program, as expected ----------------------
sq eligible_all "SELECT count(*), sum(pathway_eligible('usatf.pwc', m.facts,
      json_extract(r.value, '\$.program'), '2026-11-23') = json_extract(r.value, '\$.eligible'))
  FROM members m JOIN expected e ON json_extract(e.line, '\$.id') = json_extract(m.facts, '\$.id'),
    json_each(e.line, '\$.results') r" && echo '88|88' | expect_out eligible_all

# ---- wrong inputs: SQL errors with the library's message ------------------------
printf 'program broken {\n  require "x": nonsense(\n}\n' >bad.pw
printf 'not bytecode' >junk.pwc
good='{"id":"X1","birth_date":"1990-01-01"}'
err_case() { # NAME TEXT SQL: exit status 1 and TEXT on standard error
  want=1 sq "$1" "$3" && expect_grep "$1" err "$2"
}
err_case bad_rules "bad.pw:3:1: unexpected" "SELECT pathway_eval('bad.pw', '$good', NULL)"
err_case bad_rules_results "bad.pw:3:1: unexpected" "SELECT * FROM pathway_results('bad.pw', '$good', NULL)"
err_case missing_rules "cannot open nowhere.pw" "SELECT pathway_eval('nowhere.pw', '$good', NULL)"
err_case bad_blob "not a Pathway bytecode file" "SELECT pathway_eval(readfile('junk.pwc'), '$good', NULL)"
err_case bad_blob_results "not a Pathway bytecode file" \
  "SELECT * FROM pathway_results(x'0102', '$good', NULL)"
err_case rules_type "rules must be a file path" "SELECT pathway_eval(42, '$good', NULL)"
err_case bad_facts '`birth_date`: invalid date "1990-02-30"' \
  "SELECT pathway_eval('usatf.pwc', '{\"id\":\"X\",\"birth_date\":\"1990-02-30\"}', NULL)"
err_case bad_facts_field '`certificates[0].id`' \
  "SELECT pathway_eligible('usatf.pwc', '{\"id\":\"X\",\"birth_date\":\"1990-01-01\",\"certificates\":[{\"id\":7}]}', 'level_1', NULL)"
err_case bad_facts_results '`birth_date`' \
  "SELECT * FROM pathway_results('usatf.pwc', '{\"id\":\"X\",\"birth_date\":\"x\"}', NULL)"
err_case bad_json "invalid JSON at byte" "SELECT pathway_eval('usatf.pwc', '{\"id\":', NULL)"
err_case two_records "unexpected text after the JSON value" \
  "SELECT pathway_eval('usatf.pwc', '$good $good', NULL)"
err_case not_object "expected a JSON object" "SELECT pathway_eval('usatf.pwc', '[1]', NULL)"
err_case unknown_program "no program \`level_9\`" \
  "SELECT pathway_eligible('usatf.pwc', '$good', 'level_9', NULL)"
err_case bad_date 'invalid date "2026-02-30"' "SELECT pathway_eval('usatf.pwc', '$good', '2026-02-30')"
err_case bad_date_results 'invalid date "tomorrow"' \
  "SELECT * FROM pathway_results('usatf.pwc', '$good', 'tomorrow')"
err_case date_type "as_of must be a date as text" "SELECT pathway_eval('usatf.pwc', '$good', 20261123)"
err_case results_args "pathway_results needs its arguments" "SELECT * FROM pathway_results"
# A failing row in the middle of a table: the error, the earlier rows printed.
sqlite3 members.db "INSERT INTO members(facts) VALUES('{\"id\":\"BAD\",\"birth_date\":\"1990-02-30\"}')"
err_case bad_row '`birth_date`: invalid date' \
  "SELECT pathway_eligible('usatf.pwc', facts, 'level_1', '2026-11-23') FROM members ORDER BY rowid"
[ "$(wc -l <"$tmp/bad_row.out")" -eq 8 ] || fail "bad_row: the 8 good rows before the error"
sqlite3 members.db "DELETE FROM members WHERE facts LIKE '%BAD%'"

# ---- the cache: one load per content, per connection ------------------------------
# A file is reloaded only when its identity or version (inode, size, mtime)
# changes; a BLOB is keyed by its bytes; `loads` counts compilations, `hits`
# lookups the cache answered. A constant argument (the path literal) is looked
# up once per statement (the statement keeps the rule set); a BLOB read from
# a table once per row (8 members: 1 load and 7 hits), never reloaded;
# pathway_results's cursor keeps it while the argument stays the same (1 hit).
# Level 2 with one year of experience (rules-next.pw) admits one more (C0002).
cp "$usatf" rules.pw
sed -i "s|\"../common/coach.pw\"|\"$PW_SRC/rules/common/coach.pw\"|" rules.pw
# The same rules with level_2 needing one year, not two: another size.
sed 's/experience >= 2$/experience >= 1/' rules.pw >rules-next.pw
cmp -s rules.pw rules-next.pw && fail "cache: the rule change did not apply"
cat >cache.sql <<'SQL'
SELECT pathway_cache_stats();
SELECT count(*) FROM members WHERE pathway_eligible('rules.pw', facts, 'level_2', '2026-11-23');
SELECT pathway_cache_stats();
SELECT count(*) FROM members m, rules r WHERE pathway_eligible(r.pwc, m.facts, 'level_2', '2026-11-23');
SELECT pathway_cache_stats();
SELECT count(*) FROM members m, pathway_results(r.pwc, m.facts, '2026-11-23') p, rules r
  WHERE p.program = 'level_2' AND p.eligible;
SELECT count(*) FROM members WHERE pathway_eligible('rules.pw', facts, 'level_2', '2026-11-23');
SELECT pathway_cache_stats();
.shell mv rules-next.pw rules.pw
SELECT count(*) FROM members WHERE pathway_eligible('rules.pw', facts, 'level_2', '2026-11-23');
SELECT pathway_cache_stats();
SELECT count(*) FROM members WHERE pathway_eligible('rules.pw', facts, 'level_2', '2026-11-23');
SELECT pathway_cache_stats();
SQL
sq cache ".read cache.sql" &&
  expect_out cache <<'OUT'
{"programs":0,"loads":0,"hits":0}
3
{"programs":1,"loads":1,"hits":0}
3
{"programs":2,"loads":2,"hits":7}
3
3
{"programs":2,"loads":2,"hits":9}
4
{"programs":3,"loads":3,"hits":9}
4
{"programs":3,"loads":3,"hits":10}
OUT

# ---- the library inside, and nothing else exported ----------------------------------
if command -v nm >/dev/null; then
  nm -D --defined-only "$PWS_EXT" | awk '{print $3}' | sort >exports
  printf 'sqlite3_pathway_init\nsqlite3_pathwaysqlite_init\n' >exports_expected
  expect_golden exports "$tmp/exports" "$tmp/exports_expected"
fi
# Loaded by its path alone (the entry point SQLite derives from the file name)
# and by its entry point.
sq load_plain "SELECT pathway_version()" && "$PW_BIN" --version | grep -qF "$(cat "$tmp/load_plain.out")" ||
  fail "load_plain: pathway_version() is not pathway --version's"
expect_status load_entry 0 sqlite3 -bail :memory: \
  "SELECT load_extension('$PWS_EXT', 'sqlite3_pathway_init')" "SELECT pathway_version()"

exit $failed
