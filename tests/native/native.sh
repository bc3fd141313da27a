#!/usr/bin/env bash
# The C back end (`pathway compile --emit c`) against the VM: for the shipped
# rule sets, tests/native/edge.pw and rule sets from tests/tools/gen.py, the
# generated C is compiled with the system compiler (warnings are errors, as
# in the project), linked with the runtime library alone, and run beside the
# VM (tests/native/driver.c) on many coaches and many days across effective
# periods and enrolment windows: every status, message, verdict, node
# outcome and list must be the same. Runtime errors (overflow, no such day)
# and a small instruction budget make the generated code fall back to the
# VM, whose errors must then be reported unchanged; compiled rules of other
# rules are refused. The C comes from the .pwc file, the runtime reads it.
# A small rule set's C is pinned (tests/native/golden.c).
# usage: native.sh PATHWAY_BINARY REPOSITORY_ROOT RUNTIME_LIBRARY [CC [CFLAGS]]
#   CC and CFLAGS: the build's compiler and flags (a sanitizer build's
#   library needs the driver built the same way); default cc.
set -uo pipefail
bin=$1 root=$2 lib=$3 cc=${4:-cc}
read -r -a build_flags <<<"${5:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$root/tests/cli/lib/asserts.sh"
require_tool "$cc"

cflags=("${build_flags[@]}" -std=c11 -O1 -Wall -Wextra -Wpedantic -Werror -I"$root/include")
# build NAME RULES: NAME.pwc, NAME.c (from the .pwc) and the driver NAME.drv.
build() {
  local name=$1 rules=$2
  "$bin" compile "$rules" -o "$tmp/$name.pwc" >"$tmp/$name.compile.err" 2>&1 &&
    "$bin" compile "$tmp/$name.pwc" --emit c -o "$tmp/$name.c" >>"$tmp/$name.compile.err" 2>&1 ||
    { fail "$name: pathway compile"; cat "$tmp/$name.compile.err"; return 1; }
  "$cc" "${cflags[@]}" "$root/tests/native/driver.c" "$tmp/$name.c" "$lib" -Wl,-rpath,"$(dirname "$lib")" \
    -o "$tmp/$name.drv" >"$tmp/$name.cc.err" 2>&1 || { fail "$name: cc"; head -20 "$tmp/$name.cc.err"; return 1; }
}
# run NAME FACTS FROM TO STEP [BUDGET] PATTERN: the driver's summary must match PATTERN.
run() {
  local name=$1 facts=$2 from=$3 to=$4 step=$5 budget=$6 want=$7
  "$tmp/$name.drv" "$tmp/$name.pwc" "$facts" "$from" "$to" "$step" $budget >"$tmp/$name.out" 2>&1
  local st=$?
  if [ $st -eq 0 ] && grep -Eq "$want" "$tmp/$name.out"; then
    ok "$name $from..$to every $step days${budget:+ (budget $budget)}: $(cat "$tmp/$name.out")"
  else
    fail "$name $from..$to every $step days${budget:+ (budget $budget)} (exit $st):"
    head -5 "$tmp/$name.out"
  fi
}

python3 "$root/tests/rules/gen_population.py" 400 7 2026-11-23 >"$tmp/pop.jsonl"
for rules in usatf/usatf england-athletics/england-athletics; do
  name=$(basename "$rules")
  build "$name" "$root/rules/$rules.pw" &&
    run "$name" "$tmp/pop.jsonl" 2024-01-01 2030-12-31 47 "" "ended in an error" &&
    run "$name" "$root/examples/coaches.jsonl" 2025-06-01 2028-06-01 1 "" "ended in an error"
done

# Every shape of tree, periods, windows, and runtime errors (the fallback).
python3 - "$tmp/edge.jsonl" <<'PY'
import json, random, sys
r = random.Random(5)
def d(y0, y1): return "%04d-%02d-%02d" % (r.randint(y0, y1), r.randint(1, 12), r.randint(1, 28))
with open(sys.argv[1], "w") as out:
    for i in range(300):
        rec = {"id": "c%d" % i, "birth_date": d(1950, 2012), "hours": r.choice([0.0, 0.4, 12.5, 13.0, 3.0]),
               "big": r.choice([1] * 12 + [2097152, 3037000500, -2097153]),
               "mon": r.choice([1, 2, 6, 12, 2, 6, 13]), "dom": r.choice([1, 15, 28, 1, 15, 28, 29, 30, 31])}
        if r.random() < 0.7:
            rec["club"] = r.choice(["c1", "c2", "none", "x"])
        rec["roles"] = r.sample(["coach", "official", "x", "y"], r.randint(0, 3))
        rec["decisions"] = [{"key": k, "accepted": r.random() < 0.5}
                            for k in r.sample(["foreign", "review", "other"], r.randint(0, 2))]
        rec["certs"] = [{"id": r.choice(["l1", "l2", "l3", "l4"]), "issued": d(2020, 2028),
                         **({"expires": d(2025, 2030)} if r.random() < 0.5 else {}), "level": r.randint(1, 3)}
                        for _ in range(r.randint(0, 5))]
        print(json.dumps(rec), file=out)
PY
if build edge "$root/tests/native/edge.pw"; then
  # Some evaluations end in overflow or `no day 31 in ...`: the VM's errors.
  run edge "$tmp/edge.jsonl" 2025-06-01 2028-06-01 29 "" "ended in an error" &&
    grep -Eq "evaluations of 300 records, [1-9][0-9]* ended" "$tmp/edge.out" ||
    fail "edge: no evaluation fell back on an error"
  # A budget that some programs exceed and others do not.
  run edge "$tmp/edge.jsonl" 2025-06-01 2028-06-01 101 60 "ended in an error"
  grep -Eq "evaluations of 300 records, [1-9][0-9]* ended" "$tmp/edge.out" ||
    fail "edge (budget 60): no evaluation exceeded the budget"
  # Compiled rules of other rules are refused, naming both.
  "$tmp/edge.drv" --refuse "$tmp/usatf.pwc" >"$tmp/refuse.out" 2>&1
  if [ $? -eq 0 ] && grep -q "generated from other rules (7 programs, .*) than this program (11 programs" "$tmp/refuse.out"; then
    ok "compiled rules of other rules refused: $(cat "$tmp/refuse.out")"
  else
    fail "compiled rules of other rules not refused:"
    cat "$tmp/refuse.out"
  fi
fi

# Generated rule sets: versions, periods, windows, groups, computed dates.
python3 "$root/tests/native/gen_cases.py" "$tmp" 1 2 3 4 5 6
for seed in 1 2 3 4 5 6; do
  for kind in world rules; do
    build "$kind-$seed" "$tmp/$kind-$seed.pw" &&
      run "$kind-$seed" "$tmp/$kind-$seed.jsonl" 2024-01-01 2031-12-31 11 "" "ended in an error"
  done
done

# The C of a small rule set, pinned (review the diff: UPDATE_GOLDEN=1); it
# changes with the bytecode the compiler makes, since it records its hash.
(cd "$root/tests/native" && "$bin" compile golden.pw --emit c -o "$tmp/golden.c") &&
  expect_golden "golden.pw as C" "$tmp/golden.c" "$root/tests/native/golden.c"
"$cc" "${cflags[@]}" -c "$root/tests/native/golden.c" -o "$tmp/golden.o" || fail "golden.c does not compile"

# The C of a rule file and of its .pwc are the same but for the header comment.
"$bin" compile "$root/rules/usatf/usatf.pw" --emit c -o "$tmp/from-source.c"
if diff <(tail -n +2 "$tmp/from-source.c") <(tail -n +2 "$tmp/usatf.c") >/dev/null; then
  ok "the C of usatf.pw and of usatf.pwc agree"
else
  fail "the C of usatf.pw and of usatf.pwc differ"
fi
exit $failed
