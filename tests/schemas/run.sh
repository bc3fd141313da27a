#!/usr/bin/env bash
# schemas.outputs: every JSON output of `pathway` validated against its
# versioned JSON Schema in docs/schemas/v1 (draft 2020-12, with format
# checking), by tests/schemas/validate.py and Debian's python3-jsonschema.
# Each command runs over the shipped rules and examples AND over
# tests/schemas/edge.pw and edge.jsonl (dated versions, enrolment windows
# not yet open and closed, decisions made, refused and pending, groups,
# preferences, advice, assumptions, bad records, rules that do not
# compile), and `need` checks that every optional part of each output shape
# appeared, so that a branch the schema gets wrong cannot go unseen. The
# negative checks: every object of the first documents of each output,
# given an extra field, a renamed field, a date that is not a day or an
# unknown status, must be rejected (validate.py --mutants), and so must a
# hand-made eval line with an extra field and one with a renamed field.
# The documentation's examples of eval's line (docs/coach-record.md and
# docs/language.md) are validated too: the schema says what the contract
# says. Skipped (77) where python3-jsonschema is not installed, except on
# CI (CI=true), where scripts/deps.sh installs it.
# usage: run.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
root=$(cd "$2" && pwd) || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"

# The python3 that has jsonschema with draft 2020-12: the first on PATH, or
# Debian's (a python3 of pyenv or a venv may come first on PATH).
py=
for p in python3 /usr/bin/python3; do
  if "$p" -c 'from jsonschema import Draft202012Validator' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL python3-jsonschema is not installed (bash scripts/deps.sh test installs it)"
    exit 1
  fi
  echo "skip: python3-jsonschema is not installed"
  exit 77
fi

cd "$root" || exit 1
S=docs/schemas/v1
E=tests/schemas

# validate [--mutants|--invalid] [--def NAME] SCHEMA NAME...: the outputs NAME
# ($tmp/NAME.out) against docs/schemas/v1/SCHEMA.schema.json.
validate() {
  local opts=()
  while [ "${1:0:2}" = -- ]; do
    opts+=("$1")
    [ "$1" = --def ] && { opts+=("$2"); shift; }
    shift
  done
  local schema=$S/$1.schema.json
  shift
  local files=()
  for n in "$@"; do files+=("$tmp/$n.out"); done
  if "$py" "$E/validate.py" "${opts[@]}" "$schema" "${files[@]}" >"$tmp/validate.log" 2>&1; then
    ok "$(basename "$schema"): ${opts[*]} $* ($(grep -c '^ok' "$tmp/validate.log") files)"
  else
    fail "$(basename "$schema"): ${opts[*]} $*"
    sed 's/^/    /' "$tmp/validate.log" | head -30
  fi
}

# need TEXT NAME...: TEXT appears in the output of some NAME: a part of the
# shape that the inputs must make appear.
need() {
  local text=$1
  shift
  for n in "$@"; do
    grep -qF -- "$text" "$tmp/$n.out" && return 0
  done
  fail "no output of $* has $text: an input no longer makes that part of the shape appear"
}

# run NAME STATUS CMD...: CMD's standard output in $tmp/NAME.out; its exit
# status must be STATUS, or one of STATUS's when it is a list such as 1,2
# (where the exit-status convention of docs/cli.md is the concern of other
# tests, not this one's: any status but a crash's would still be checked).
run() {
  local name=$1 want=$2 got
  shift 2
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  got=$?
  case ",$want," in
    *",$got,"*) ;;
    *) fail "$name: exit status $got, expected $want"; sed 's/^/    /' "$tmp/$name.err" | head -10 ;;
  esac
}

# ---- eval --------------------------------------------------------------------
run eval.usatf 0 "$bin" eval rules/usatf/usatf.pw --facts examples/coaches.jsonl --as-of 2026-11-23
run eval.ea 0 "$bin" eval rules/england-athletics/england-athletics.pw --facts examples/coaches.jsonl --as-of 2026-05-01
run eval.windows 0 "$bin" eval tests/rules/handbooks/windows.pw --facts "$E/licences.jsonl" --as-of 2027-01-11
for d in 2025-06-01 2026-06-01 2026-11-23 2027-06-01; do
  run "eval.edge.$d" 1 "$bin" eval "$E/edge.pw" --facts "$E/edge.jsonl" --as-of "$d"
done
# One JSON array on standard input: the framing that is not JSON Lines.
printf '[{"id":"a","birth_date":"1990-01-01"},{"id":"b"}]' >"$tmp/array.json"
run eval.array 1 "$bin" eval "$E/edge.pw" --facts - --as-of 2026-06-01 <"$tmp/array.json"
evals=(eval.usatf eval.ea eval.windows eval.edge.2025-06-01 eval.edge.2026-06-01 eval.edge.2026-11-23
       eval.edge.2027-06-01 eval.array)
validate eval "${evals[@]}"
validate --mutants eval eval.usatf eval.edge.2025-06-01 eval.edge.2026-11-23
for t in '"status":"eligible"' '"status":"not_eligible"' '"status":"not_yet_in_force"' '"status":"withdrawn"' \
         '"status":"not_yet_open"' '"status":"closed"' '"in_force":{"from":null,"until":"' \
         '"in_force":{"from":"' '"enrolment":{"opens":"' '"awaiting_decision":["' '"awaiting_decision":[]' \
         '"preferred_unmet":["' '{"id":null,"error":"' '{"id":"bad-date","error":"' '"id":null,"as_of"'; do
  need "$t" "${evals[@]}"
done

# The contract's examples: docs/coach-record.md section 5's line, and
# docs/language.md's JSON lines of one program's result.
awk '/^## 5\./{s=1} /^## 6\./{s=0} s&&/^```json/{j=1;next} j&&/^```/{j=0} j' docs/coach-record.md >"$tmp/doc.contract.out"
awk '/^```json/{j=1;next} j&&/^```/{j=0} j&&/^\{"program":/' docs/language.md >"$tmp/doc.programs.out"
validate eval doc.contract
validate --def program eval doc.programs
need '"status":"closed"' doc.programs
need '"awaiting_decision"' doc.programs
need '"in_force"' doc.programs

# Strictness, by hand: an extra field and a renamed one.
printf '%s\n' '{"id":"C1","as_of":"2026-11-23","results":[],"extra":1}' \
  '{"id":"C1","as_of":"2026-11-23","results":[{"program":"p","eligible":true,"unmet":[],"preferredUnmet":[]}]}' \
  '{"id":"C1","as_of":"2026-02-30","results":[]}' \
  '{"id":"C1","as_of":"2026-11-23","results":[{"program":"p","eligible":false,"status":"open","enrolment":{"opens":null,"closes":null},"unmet":[],"preferred_unmet":[]}]}' \
  '{"id":"C1","error":"bad","as_of":"2026-11-23"}' >"$tmp/eval.bad.out"
validate --invalid eval eval.bad

# ---- check --format json, lint --format json ------------------------------------
run check.golden 1,2 "$bin" check --format json tests/golden/diag/*.pw
run check.shipped 0 "$bin" check --format json rules/usatf/usatf.pw rules/england-athletics/england-athletics.pw "$E/edge.pw"
if [ -s "$tmp/check.shipped.out" ]; then fail "check --format json printed something for clean files"; fi
run lint.bad 1 "$bin" lint --format json tests/lint/*.bad.pw
run lint.uncompiled 1,2 "$bin" lint --format json tests/ruletest/uncompiled/bad.pw tests/lint/PW101.bad.pw
validate diagnostic check.golden lint.bad lint.uncompiled
validate --mutants diagnostic lint.bad lint.uncompiled
for t in '"severity":"error"' '"severity":"warning"' '"severity":"note"' '"code":"E0' '"code":"PW1' \
         '"notes":[{"file":"' '"fix":"' '"fix":null'; do
  need "$t" check.golden lint.bad lint.uncompiled
done

# ---- check --list-assumptions --format json -------------------------------------
run assumptions 0 "$bin" check --list-assumptions --format json rules/england-athletics/england-athletics.pw \
  rules/usatf/usatf.pw "$E/edge.pw" tests/ruletest/define-assumptions.pw
run assumptions.broken 1,2 "$bin" check --list-assumptions --format json "$E/edge.pw" tests/ruletest/uncompiled/bad.pw
validate assumptions assumptions assumptions.broken
validate --mutants assumptions assumptions.broken
for t in '"definition":"' '"version":"from ' '"version":"until ' '"version":null' '"requirement":"' \
         '"requirement":null' '"severity":"error"'; do
  need "$t" assumptions assumptions.broken
done

# ---- explain, when, plan ----------------------------------------------------------
run explain.usatf 0 "$bin" explain rules/usatf/usatf.pw --facts examples/coaches.jsonl --as-of 2026-11-23 --format json
run explain.seen 0 "$bin" explain tests/explain/seen-ladder.pw --facts tests/golden/explain/seen.jsonl --as-of 2026-06-01 --format json
run explain.edge 1 "$bin" explain "$E/edge.pw" --facts "$E/edge.jsonl" --as-of 2026-06-01 --format json
run explain.edge2 1 "$bin" explain "$E/edge.pw" --facts "$E/edge.jsonl" --as-of 2025-06-01 --horizon 2y --format json
explains=(explain.usatf explain.seen explain.edge explain.edge2)
validate explain "${explains[@]}"
validate --mutants explain explain.edge
for t in '"kind":"single"' '"kind":"all_of"' '"kind":"any_of"' '"kind":"at_least"' '"role":"prefer"' \
         '"role":"advise"' '"outcome":"not_evaluated"' '"outcome":"unmet"' '"status":"not_yet_open"' \
         '"status":"not_yet_in_force"' '"enrolment":{' '"expr":null' '"met_on":"' '"last_met":"' \
         '"unmet_on":"' '"entries":["' '"title":null' '"error":'; do
  need "$t" "${explains[@]}"
done

run when.usatf 1 "$bin" when rules/usatf/usatf.pw --facts examples/coaches.jsonl --program level_2 --as-of 2026-11-23 --format json
whens=(when.usatf)
for p in basic windowed dated future dropped decided; do
  run "when.edge.$p" 1 "$bin" when "$E/edge.pw" --facts "$E/edge.jsonl" --program "$p" --as-of 2025-06-01 --horizon 3y --format json
  whens+=("when.edge.$p")
done
validate when "${whens[@]}"
validate --mutants when when.edge.windowed when.edge.dated
for t in '"kind":"met"' '"kind":"unmet"' '"kind":"in_force"' '"kind":"out_of_force"' '"kind":"opens"' \
         '"kind":"closes"' '"last_day":"' '"from_as_of":false' '"from_as_of":true' '"until":null' \
         '"ends":[{' '"eligible_within_horizon":false' '"decision":"' '"error":'; do
  need "$t" "${whens[@]}"
done

run plan.usatf 1 "$bin" plan rules/usatf/usatf.pw --facts examples/coaches.jsonl --target level_3 --as-of 2026-11-23 --format json
plans=(plan.usatf)
for p in decided windowed mentored future; do
  run "plan.edge.$p" 1 "$bin" plan "$E/edge.pw" --facts "$E/edge.jsonl" --target "$p" --as-of 2026-11-23 --format json
  plans+=("plan.edge.$p")
done
validate plan "${plans[@]}"
validate --mutants plan plan.edge.decided plan.edge.mentored
for t in '"reachable":true' '"reachable":false' '"arrange_decision":["' '"arrange_how":["' \
         '"blocking_sentences":' '"expires":"' '"hours":null' '"grants":null' '"eligible_on":null' '"error":'; do
  need "$t" "${plans[@]}"
done

# ---- report, diff, diff --list ------------------------------------------------------
run report.usatf 0 "$bin" report rules/usatf/usatf.pw --facts examples/coaches.jsonl --as-of 2026-11-23 --format json
run report.edge 1 "$bin" report "$E/edge.pw" --facts "$E/edge.jsonl" --as-of 2025-06-01 --format json
validate report report.usatf report.edge
validate --mutants report report.edge
for t in '"title":null' '"closed":' '"not_yet_open":' '"not_in_force":0' '"bad_records":0' '"unmet":[{'; do
  need "$t" report.usatf report.edge
done

run diff.club 1 "$bin" diff tests/impact/programs-old.pw tests/impact/programs-new.pw --facts tests/impact/club.jsonl \
  --as-of 2026-11-23 --format json --list "$tmp/list.club.out"
run diff.edge 1 "$bin" diff "$E/edge.pw" "$E/edge-new.pw" --facts "$E/edge.jsonl" --as-of 2026-08-01 --format json \
  --list "$tmp/list.edge.out"
run diff.dates 1 "$bin" diff "$E/edge.pw" --facts "$E/edge.jsonl" --as-of 2025-06-01 --to 2027-06-01 --format json
validate diff diff.club diff.edge diff.dates
validate --mutants diff diff.edge
for t in '"status":"same"' '"status":"renamed"' '"status":"added"' '"status":"removed"' '"renamed_by":"title"' \
         '"renamed_by":"requirements"' '"program_changes":["title"' '"enrolment"' '"period"' '"what":["role"]' \
         '"what":["citation"]' '"what":["condition"]' '"change":"added"' '"change":"removed"' \
         '"lost_because":[{"requirement":"at least' '"gained_because":[{'; do
  need "$t" diff.club diff.edge diff.dates
done
validate diff-list list.club list.edge
validate --mutants diff-list list.edge
for t in '"change":"lost"' '"change":"gained"' '{"id":null'; do
  need "$t" list.club list.edge
done

# ---- test --mutate --format json ----------------------------------------------------
run mutate.rules 0 "$bin" test --mutate --format json rules/
run mutate.edge 1 "$bin" test --mutate --format json tests/mutate/weak.test.pw tests/ruletest/broken.test.pw tests/mutate/rules.pw
# Equivalent mutants and survivors with and without a witness.
cd tests/mutate && run mutate.golden 0 "$bin" test --mutate --format json weak.test.pw golden/dates.test.pw golden/equivalent.test.pw; cd "$root" || exit 1
validate mutation mutate.rules mutate.edge mutate.golden
validate --mutants mutation mutate.edge mutate.golden
for t in '"outcome":"killed"' '"outcome":"survived"' '"killed_by":"' '"no_tests":true' '"error":"' \
  '"outcome":"equivalent"' '"equivalent_because":"' '"witness":"' '"suggested_tests":"'; do
  need "$t" mutate.rules mutate.edge mutate.golden
done

# ---- the schemas themselves ------------------------------------------------------
# Each is named by its $id (the base of docs/schemas/README.md, its version
# directory, its file name) and listed in the README; the commands that
# offer a JSON format are exactly those above (a new one needs a schema).
for f in "$S"/*.schema.json; do
  name=$(basename "$f")
  grep -qF "\"\$id\": \"https://pathway.example/schemas/v1/$name\"" "$f" || fail "$f: \$id is not .../schemas/v1/$name"
  grep -qF "(v1/$name)" docs/schemas/README.md || fail "docs/schemas/README.md does not list v1/$name"
done
grep -l '{"json"\|{"jsonl"' src/cli/cmd_*.c | LC_ALL=C sort >"$tmp/json-commands"
printf '%s\n' src/cli/cmd_check.c src/cli/cmd_diff.c src/cli/cmd_eval.c src/cli/cmd_explain.c \
  src/cli/cmd_lint.c src/cli/cmd_report.c src/cli/cmd_test.c >"$tmp/json-commands.want"
if diff -u "$tmp/json-commands.want" "$tmp/json-commands" >"$tmp/diff"; then
  ok "the commands with a JSON format are those validated here"
else
  fail "the commands with a JSON format changed: give the new output a schema"
  cat "$tmp/diff"
fi

exit $failed
