#!/usr/bin/env bash
# cli.error_paths: the errors users meet first, each with its exact message
# and exit status (docs/cli.md, "Exit status": 1 problems in the input,
# 2 the command could not do what was asked, 3 an output that cannot be
# written): operands missing or one too many, records that are not objects
# or not JSON, a record whose evaluation fails, a facts file that is a
# directory, an unknown program, an output that is a directory, in a
# directory that does not exist, the same file as another output or as an
# input; a test that cannot run, annotated for GitHub. Everything is written under the test's own temporary directory.
# usage: error_paths.sh PATHWAY_BINARY
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
cd "$tmp" || exit 1
export LC_ALL=C

printf 'facts coach {\n  id: text\n  age: integer\n}\n\nprogram p "P" {\n  require "adult": age >= 18\n}\n' >clean.pw
printf 'facts coach {\n  id: text\n  n: integer = 0\n}\n\nprogram cube "Cube" {\n  require "a squad": n * n * n >= 8\n}\n' >cube.pw
printf 'facts coach { id: text }\nprogram q "Q" {\n  require "any": true\n}\ntest "q" {\n  as of 2026-06-01\n  given { id: "a" }\n  expect q eligible\n}\n' >q.test.pw
echo '{"id":"a","age":20}' >one.jsonl
printf '[1,2]\n42\n{"id":"a","age":20}\n{bad json\n' >mixed.jsonl
printf '{"id":"big","n":9007199254740992}\n{"id":"small","n":3}\n' >big.jsonl
mkdir dir

# ---- diff: operands
expect_status diff_no_facts 2 "$bin" diff clean.pw &&
  expect_grep diff_no_facts err "pathway: no facts given (--facts FILE)"
expect_status diff_no_rules 2 "$bin" diff --facts one.jsonl &&
  expect_grep diff_no_rules err "pathway: no rules file given"
expect_status diff_one_file 2 "$bin" diff clean.pw --facts one.jsonl &&
  expect_grep diff_one_file err "pathway: diff needs a second rules file, or --to DATE to compare one file at two dates"
expect_status diff_third 2 "$bin" diff clean.pw clean.pw clean.pw --facts one.jsonl &&
  expect_grep diff_third err "pathway: diff takes two rules files at most; \`clean.pw\` is a third"
# ---- diff: outputs
expect_status diff_list_nodir 3 "$bin" diff clean.pw clean.pw --facts one.jsonl --list nodir/l.jsonl &&
  expect_grep diff_list_nodir err "pathway: cannot write nodir/l.jsonl: cannot open its directory nodir: No such file or directory"
[ ! -e nodir ] || fail "diff_list_nodir: made the directory"
expect_status diff_same_outputs 3 "$bin" diff clean.pw clean.pw --facts one.jsonl -o same.txt --list same.txt &&
  expect_grep diff_same_outputs err "pathway: cannot write same.txt: -o and --list name the same file"
[ ! -e same.txt ] || fail "diff_same_outputs: wrote same.txt"
cp clean.pw before.pw
expect_status diff_output_input 3 "$bin" diff clean.pw clean.pw --facts one.jsonl -o clean.pw &&
  expect_grep diff_output_input err "pathway: cannot write clean.pw: it is an input of this command; choose another output file"
cmp -s clean.pw before.pw || fail "diff_output_input: the rules were overwritten"

# ---- compile and disasm: operands
expect_status compile_nothing 2 "$bin" compile && expect_grep compile_nothing err "pathway: no rule file given"
expect_status compile_no_output 2 "$bin" compile clean.pw &&
  expect_grep compile_no_output err "pathway: no output file given (-o OUT.pwc)"
expect_status disasm_two 2 "$bin" disasm clean.pw cube.pw && expect_grep disasm_two err "pathway: disasm takes one file"

# ---- records that are not objects, not JSON: each reported in its place,
# the others evaluated, exit 1
expect_status explain_not_objects 1 "$bin" explain clean.pw --facts mixed.jsonl --as-of 2026-06-01 &&
  expect_grep explain_not_objects err "mixed.jsonl:1: error: record without an id: expected a JSON object for the record" &&
  expect_grep explain_not_objects err "mixed.jsonl:2: error: record without an id: expected a JSON object for the record" &&
  expect_grep explain_not_objects err "mixed.jsonl:4: error: record without an id: invalid JSON at column 3"
[ "$(grep -c '^{"id":null,"error":"expected a JSON object for the record"}$' "$tmp/explain_not_objects.out")" = 2 ] ||
  fail "explain_not_objects: not two error lines in the output"
grep -q '^{"id":"a","as_of":"2026-06-01",' "$tmp/explain_not_objects.out" ||
  fail "explain_not_objects: the good record was not explained"
expect_status eval_not_json 1 "$bin" eval clean.pw --facts mixed.jsonl --as-of 2026-06-01 --format jsonl &&
  expect_out eval_not_json <<'EOF'
{"id":null,"error":"expected a JSON object for the record"}
{"id":null,"error":"expected a JSON object for the record"}
{"id":"a","as_of":"2026-06-01","results":[{"program":"p","eligible":true,"unmet":[],"preferred_unmet":[]}]}
{"id":null,"error":"invalid JSON at column 3"}
EOF
expect_grep eval_not_json err "mixed.jsonl:4: error: record without an id: invalid JSON at column 3"

# ---- a record whose evaluation fails: not counted, said so, exit 1
expect_status report_eval_error 1 "$bin" report cube.pw --facts big.jsonl --as-of 2026-06-01 &&
  expect_grep report_eval_error err "big.jsonl:1: error: record \"big\": cube.pw:7:24: integer overflow in \`*\` (program \`cube\`)" &&
  expect_grep report_eval_error out "1 coaches evaluated; 1 record could not be evaluated and is not counted" &&
  expect_grep report_eval_error out "eligible: 1 of 1 (100.0%)"

# ---- inputs that cannot be used
expect_status eval_facts_dir 2 "$bin" eval clean.pw --facts dir && expect_grep eval_facts_dir err "pathway: cannot read dir: Is a directory"
expect_status eval_unknown_program 2 "$bin" eval clean.pw --facts one.jsonl --program nope &&
  expect_grep eval_unknown_program err "pathway: --program: no program \`nope\` in clean.pw" &&
  expect_grep eval_unknown_program err "  the programs are: p"
expect_status explain_unknown_program 2 "$bin" explain clean.pw --facts one.jsonl --program nope &&
  expect_grep explain_unknown_program err "pathway: no program \`nope\` in clean.pw"
expect_status explain_horizon 2 "$bin" explain --horizon 101y clean.pw --facts one.jsonl &&
  expect_grep explain_horizon err "pathway: --horizon: at most 100 years, within the years 1800-2999"

# ---- a test that cannot run (examples nested past 256: nothing evaluated)
# is an ERROR, annotated at the test itself with --format github
{
  printf 'facts coach {\n  id: text\n  n: integer = 0\n}\nprogram q "Q" {\n  require "any": n >= 0\n}\n'
  echo 'example e0 = { id: "a" }'
  for i in $(seq 1 299); do echo "example e$i = e$((i - 1)) with { n: $i }"; done
  printf 'test "deep" {\n  as of 2026-06-01\n  given e299\n  expect q eligible\n}\n'
} >deep.test.pw
expect_status test_error_github 1 "$bin" test --format github deep.test.pw &&
  expect_out test_error_github <<'EOF'
ERROR deep.test.pw:308 deep
    facts error: examples are nested more than 256 deep
::error file=deep.test.pw,line=308,endLine=308,col=1,title=ERROR%3A deep::ERROR deep.test.pw:308 deep%0A    facts error: examples are nested more than 256 deep

not passed:
    ERROR deep.test.pw:308 deep

1 test: 0 passed, 0 failed, 1 error
EOF

# ---- outputs that cannot be written: 3, nothing made
expect_status report_output_dir 3 "$bin" report clean.pw --facts one.jsonl -o dir &&
  expect_grep report_output_dir err "pathway: cannot write dir: it is a directory; give a file name"
expect_status report_output_nodir 3 "$bin" report clean.pw --facts one.jsonl -o nodir/x.txt &&
  expect_grep report_output_nodir err "pathway: cannot write nodir/x.txt: cannot open its directory nodir: No such file or directory"
expect_status test_output_nodir 3 "$bin" test -o nodir/r.txt q.test.pw &&
  expect_grep test_output_nodir err "pathway: cannot write nodir/r.txt: cannot open its directory nodir: No such file or directory"
expect_status mutate_output_dir 3 "$bin" test --mutate -o dir q.test.pw &&
  expect_grep mutate_output_dir err "pathway: cannot write dir: it is a directory; give a file name"
expect_status lint_output_input 3 "$bin" lint -o clean.pw clean.pw &&
  expect_grep lint_output_input err "pathway: cannot write clean.pw: it is an input of this command; choose another output file"
# disasm takes exactly one file; check --explain only the codes docs/errors.md documents.
expect_status disasm_none 2 "$bin" disasm &&
  expect_grep disasm_none err "pathway: disasm takes one file"
expect_status disasm_two 2 "$bin" disasm clean.pw cube.pw &&
  expect_grep disasm_two err "pathway: disasm takes one file"
[ ! -s disasm_two.out ] || fail "disasm_two: printed a disassembly"
expect_status explain_unknown 2 "$bin" check --explain E9999 &&
  expect_grep explain_unknown err "pathway: unknown error code \`E9999\` (the codes are E0001 to"
[ ! -s explain_unknown.out ] || fail "explain_unknown: printed a section"
cmp -s clean.pw before.pw || fail "lint_output_input: the rules were overwritten"
[ ! -e nodir ] || fail "an output made the directory nodir"
[ -z "$(ls -A dir)" ] || fail "something was written into dir"

exit $failed
