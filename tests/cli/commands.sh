#!/usr/bin/env bash
# Command-line behaviour: help and version, exit statuses, input framing,
# compiled bytecode, and clear failures for malformed rules, facts and
# bytecode. usage: commands.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
rules=$root/rules/usatf/usatf.pw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"


# --- help and version ---------------------------------------------------------
expect_status version 0 "$bin" --version && expect_grep version out "pathway 0.1.0"
expect_status help 0 "$bin" --help && expect_grep help out "eval RULES --facts FILE"
for c in check compile eval disasm; do
  expect_status "help-$c" 0 "$bin" "$c" --help && expect_grep "help-$c" out "usage: pathway $c"
done
expect_status no-args 2 "$bin" && expect_grep no-args err "usage: pathway"
expect_status unknown-command 2 "$bin" evaluate && expect_grep unknown-command err "unknown command \`evaluate\`"
expect_status eval-no-facts 2 "$bin" eval "$rules" && expect_grep eval-no-facts err "no facts given"
expect_status eval-bad-date 2 "$bin" eval "$rules" --facts "$root/examples/coaches.jsonl" --as-of 2026-02-30 \
  && expect_grep eval-bad-date err "invalid date \"2026-02-30\""
expect_status eval-unknown-option 2 "$bin" eval "$rules" --facts x --verbose \
  && expect_grep eval-unknown-option err "unknown option \`--verbose\`"
expect_status eval-unknown-program 2 "$bin" eval "$rules" --facts "$root/examples/coaches.jsonl" --program level2 \
  && expect_grep eval-unknown-program err "no program \`level2\`"

# --- check ---------------------------------------------------------------------
expect_status check-usatf 0 "$bin" check "$rules"
[ -s "$tmp/check-usatf.err" ] && fail "check-usatf: printed diagnostics for clean rules" || ok "check-usatf: quiet"
cat >"$tmp/bad.pw" <<'PW'
facts coach { birth_date: date }
program p {
  require "adult": years since birth_dat >= 18
}
PW
expect_status check-bad 1 "$bin" check "$tmp/bad.pw" && expect_grep check-bad err "bad.pw:3:32: error: unknown name \`birth_dat\`"
expect_status check-json 1 "$bin" check --format json "$tmp/bad.pw" && expect_grep check-json out '"severity":"error"'
{ echo 'facts coach { birth_date: date }'; echo 'program p {'
  for i in $(seq 1 60); do echo "  require \"r$i\": nope$i"; done; echo '}'; } >"$tmp/many.pw"
expect_status check-many 1 "$bin" check "$tmp/many.pw" && expect_grep check-many err "stopped reporting after 50"
expect_grep check-many err "60 errors generated."
[ "$(grep -c ': error: unknown name' "$tmp/check-many.err")" -eq 50 ] && ok "check-many: 50 shown" || fail "check-many: expected 50 errors shown"
expect_status check-missing 2 "$bin" check "$tmp/none.pw" && expect_grep check-missing err "none.pw"

# --- eval: framing ---------------------------------------------------------------
one='{"id":"S1","birth_date":"1990-01-01","memberships":[{"body":"usatf","expires":null}]}'
printf '%s\n' "$one" >"$tmp/one.json"
expect_status eval-object 0 "$bin" eval "$rules" --facts "$tmp/one.json" --as-of 2026-11-23 --program level_1 \
  && expect_grep eval-object out '{"id":"S1","as_of":"2026-11-23","results":[{"program":"level_1","eligible":true,"unmet":[],"preferred_unmet":[]}]}'
printf '[\n  %s,\n  %s\n]\n' "$one" "${one/S1/S2}" >"$tmp/array.json"
expect_status eval-array 0 "$bin" eval "$rules" --facts "$tmp/array.json" --as-of 2026-11-23 --program level_1
[ "$(wc -l <"$tmp/eval-array.out")" -eq 2 ] && ok "eval-array: two records" || fail "eval-array: expected two lines"
expect_grep eval-array out '"id":"S2"'
expect_status eval-stdin 0 "$bin" eval "$rules" --facts - --as-of 2026-11-23 --program level_1 <"$tmp/one.json" \
  && expect_grep eval-stdin out '"id":"S1"'
printf '\xef\xbb\xbf%s\r\n%s\r\n' "$one" "${one/S1/S4}" >"$tmp/bom.jsonl"
expect_status eval-bom-crlf 0 "$bin" eval "$rules" --facts "$tmp/bom.jsonl" --as-of 2026-11-23 --program level_1 \
  && expect_grep eval-bom-crlf out '"id":"S4"'
expect_grep eval-bom-crlf out '"id":"S1"'
printf '{"id":"U\xff\xc3\xa9\\u0001","birth_date":"1990-01-01"}\n' >"$tmp/utf8.jsonl"
expect_status eval-utf8 0 "$bin" eval "$rules" --facts "$tmp/utf8.jsonl" --as-of 2026-11-23 --program campus \
  && expect_grep eval-utf8 out $'{"id":"U\\ufffd\xc3\xa9\\u0001",'
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/eval-utf8.out" \
  && ok "eval-utf8: output parses as JSON" || fail "eval-utf8: output is not JSON"
expect_status eval-programs 0 "$bin" eval "$rules" --facts "$tmp/one.json" --as-of 2026-11-23 --program campus --program level_1
expect_grep eval-programs out '"results":[{"program":"level_1"'
expect_status eval-text 0 "$bin" eval "$rules" --facts "$root/examples/coaches.jsonl" --as-of 2026-11-23 --format text
expect_grep eval-text out "not eligible"
expect_grep eval-text out "missing: "
expect_grep eval-text out "                    - elite athlete or staff coach on a USATF National Team: not met"
expect_grep eval-text out "note: the Level 3 capstone project is done with an athlete you are currently coaching"
expect_grep eval-text out "preferred, not met: classroom teaching"

# --- eval: bad records do not cost the others -------------------------------------
printf '%s\nnot json\n{"id":"B2","birth_date":"2026-02-30"}\n[1,2]\n{"birth_date":"1990-01-01"}\n%s\n' \
  "$one" "${one/S1/S3}" >"$tmp/mixed.jsonl"
expect_status eval-mixed 1 "$bin" eval "$rules" --facts "$tmp/mixed.jsonl" --as-of 2026-11-23 --program level_1
[ "$(wc -l <"$tmp/eval-mixed.out")" -eq 6 ] && ok "eval-mixed: one line per record" || fail "eval-mixed: expected 6 lines"
expect_grep eval-mixed out '{"id":null,"error":"invalid JSON at column 1"}'
expect_grep eval-mixed out '"id":"B2","error":'
expect_grep eval-mixed out '"id":"S3","as_of"'
expect_grep eval-mixed err "mixed.jsonl:3: error: record \"B2\""
expect_grep eval-mixed err "mixed.jsonl:4: error: record without an id"

# --- eval: rules that do not compile ----------------------------------------------
expect_status eval-bad-rules 2 "$bin" eval "$tmp/bad.pw" --facts "$tmp/one.json" \
  && expect_grep eval-bad-rules err "unknown name"

# --- bytecode -----------------------------------------------------------------------
expect_status compile 0 "$bin" compile "$rules" -o "$tmp/usatf.pwc"
expect_status eval-pwc 0 "$bin" eval "$tmp/usatf.pwc" --facts "$root/examples/coaches.jsonl" --as-of 2026-11-23
"$bin" eval "$rules" --facts "$root/examples/coaches.jsonl" --as-of 2026-11-23 >"$tmp/from-source.out" 2>/dev/null
if cmp -s "$tmp/from-source.out" "$tmp/eval-pwc.out"; then ok "eval-pwc: same decisions as the source"; else
  fail "eval-pwc: bytecode decides differently from source"; fi
expect_status disasm-pwc 0 "$bin" disasm "$tmp/usatf.pwc" && expect_grep disasm-pwc out "level_2"
# Corruptions: a flipped byte, a truncated file, a wrong version, not bytecode at all.
size=$(stat -c %s "$tmp/usatf.pwc")
cp "$tmp/usatf.pwc" "$tmp/flip.pwc"
printf "\xff" | dd of="$tmp/flip.pwc" bs=1 seek=$((size - 2)) conv=notrunc status=none
expect_status pwc-flipped 2 "$bin" eval "$tmp/flip.pwc" --facts "$tmp/one.json" && expect_grep pwc-flipped err "checksum"
head -c $((size - 7)) "$tmp/usatf.pwc" >"$tmp/trunc.pwc"
expect_status pwc-truncated 2 "$bin" eval "$tmp/trunc.pwc" --facts "$tmp/one.json" && expect_grep pwc-truncated err "truncated"
cp "$tmp/usatf.pwc" "$tmp/version.pwc"
printf '\x09' | dd of="$tmp/version.pwc" bs=1 seek=8 conv=notrunc status=none
expect_status pwc-version 2 "$bin" eval "$tmp/version.pwc" --facts "$tmp/one.json" && expect_grep pwc-version err "version"
head -c 8 "$tmp/usatf.pwc" >"$tmp/magic-only.pwc"
expect_status pwc-magic-only 1 "$bin" disasm "$tmp/magic-only.pwc" && expect_grep pwc-magic-only err "truncated"
expect_status disasm-truncated 1 "$bin" disasm "$tmp/trunc.pwc" && expect_grep disasm-truncated err "truncated"

exit $failed
