"""`pathway when` and `pathway explain` against the evaluation, day by day,
on generated rule sets (tests/tools/gen.py) that compute from `today` with
the constructs of issue 17.

For each rule set: `when` gives every program's periods from FIRST over the
whole range; a test file written from them expects, for every record and
every day of the range, each program eligible or not as `when` predicted,
and `pathway test` (the evaluation itself, no day windows) must pass it.
Then `explain` on a day in the middle must agree with those (now checked)
periods: each requirement's outcome, the day it next changes (`met_on` /
`unmet_on`) and the last day it was met before (`last_met`), since every
requirement is a program of its own (`only_N`), and so is each group
(`group_N`).

usage: when_differential.py PATHWAY_BINARY REPOSITORY_ROOT [SEEDS]
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

FIRST = datetime.date(2025, 1, 1)
LAST = datetime.date(2028, 12, 31)
MID = datetime.date(2026, 11, 20)


def run(args, ok=(0, 1)):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode not in ok:
        raise SystemExit(f"FAIL: {' '.join(args)} exited {p.returncode}\n{p.stderr}")
    return p.stdout


def day(s):
    return datetime.date.fromisoformat(s)


def eligible_days(periods):
    """The set of days in FIRST..LAST covered by when's periods."""
    days = set()
    for p in periods:
        d, end = day(p["from"]), LAST if p["until"] is None else min(day(p["until"]), LAST)
        while d <= end:
            days.add(d)
            d += datetime.timedelta(days=1)
    return days


def literal(v):
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return v if len(v) == 10 and v[4] == "-" else json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    return "{ " + ", ".join(f"{k}: {literal(x)}" for k, x in v.items()) + " }"


def write_tests(path, rules_name, recs, progs, truth):
    days = (LAST - FIRST).days + 1
    with open(path, "w") as f:
        f.write(f'include "{rules_name}"\n\n')
        for rec in recs:
            body = {k: v for k, v in rec.items() if k != "id"}
            f.write(f"example {rec['id']} = {literal(body)}\n\n")
        for rec in recs:
            for i in range(days):
                d = FIRST + datetime.timedelta(days=i)
                f.write(f'test "{rec["id"]} {d}" {{\n  as of {d}\n  given {rec["id"]}\n')
                for pid in progs:
                    word = "eligible" if d in truth[(rec["id"], pid)] else "not eligible"
                    if pid == "dated_0" and d < datetime.date.fromisoformat(gen.DATED_FROM):
                        word = "not yet in force"
                    f.write(f"  expect {pid} {word}\n")
                f.write("}\n")


def check_explain(bin_, rules, facts, recs, progs, truth, problems):
    """explain on MID for the single-requirement programs against truth."""
    out = run([bin_, "explain", rules, "--facts", facts, "--as-of", str(MID), "--format", "json",
               "--horizon", "600d"])
    hi, lo = MID + datetime.timedelta(days=600), MID - datetime.timedelta(days=600)
    for line in out.splitlines():
        ex = json.loads(line)
        for prog in ex["programs"]:
            pid = prog["program"]
            if not pid.startswith(("only_", "group_")):
                continue
            met = truth[(ex["id"], pid)]
            req = prog["requirements"][0]
            now = MID in met
            if (req["outcome"] == "met") != now:
                problems.append(f"{ex['id']} {pid}: explain says {req['outcome']} on {MID}")
                continue
            # The next change within the checked range.
            d, nxt = MID, None
            while d < hi:
                d += datetime.timedelta(days=1)
                if (d in met) != now:
                    nxt = d
                    break
            key = "unmet_on" if now else "met_on"
            said = req[key]
            if nxt is not None and said != str(nxt):
                problems.append(f"{ex['id']} {pid}: explain {key} {said}, the evaluation changes on {nxt}")
            if nxt is None and said is not None and day(said) <= hi:
                problems.append(f"{ex['id']} {pid}: explain {key} {said}, no change up to {hi}")
            if not now:
                d, last = MID, None
                while d > lo:
                    d -= datetime.timedelta(days=1)
                    if d in met:
                        last = d
                        break
                said = req["last_met"]
                if last is not None and said != str(last):
                    problems.append(f"{ex['id']} {pid}: explain last_met {said}, last met on {last}")
                if last is None and said is not None and day(said) >= lo:
                    problems.append(f"{ex['id']} {pid}: explain last_met {said}, not met from {lo}")


def one(bin_, tmp, seed, problems):
    text, progs, _, _ = gen.rules(seed)
    rules = os.path.join(tmp, f"g{seed}.pw")
    facts = os.path.join(tmp, f"g{seed}.jsonl")
    with open(rules, "w") as f:
        f.write(text)
    recs_text = gen.records(seed)
    with open(facts, "w") as f:
        f.write(recs_text)
    recs = [json.loads(x) for x in recs_text.splitlines()]
    truth = {}
    horizon = f"{(LAST - FIRST).days + 1}d"
    for pid in progs:
        out = run([bin_, "when", rules, "--facts", facts, "--program", pid, "--as-of", str(FIRST),
                   "--horizon", horizon, "--format", "json"])
        for line in out.splitlines():
            w = json.loads(line)
            if "error" in w:
                raise SystemExit(f"FAIL: seed {seed}: when {pid}: {w['error']}")
            truth[(w["id"], pid)] = eligible_days(w["periods"])
    tests = os.path.join(tmp, f"g{seed}.test.pw")
    write_tests(tests, os.path.basename(rules), recs, progs, truth)
    p = subprocess.run([bin_, "test", tests], capture_output=True, text=True)
    if os.environ.get("PW_DIFF_VERBOSE"):
        print(p.stdout.splitlines()[-1] if p.stdout else p.stderr[:500])
    if p.returncode != 0:
        fails = [l for l in p.stdout.splitlines() if l.startswith("FAIL")][:5]
        problems.append(f"seed {seed}: `when` disagrees with the evaluation:\n  " +
                        "\n  ".join(fails) + ("\n" + p.stderr[:2000] if not fails else ""))
        return
    check_explain(bin_, rules, facts, recs, progs, truth, problems)


def main():
    bin_ = os.path.abspath(sys.argv[1])
    seeds = range(int(sys.argv[3])) if len(sys.argv) > 3 else range(12)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            n = len(problems)
            one(bin_, tmp, seed, problems)
            if len(problems) > n:
                print(f"seed {seed}: generated rules kept for reading:\n{gen.rules(seed)[0]}", file=sys.stderr)
    for p in problems:
        print(p)
    if problems:
        raise SystemExit(1)
    print(f"ok: {len(seeds)} generated rule sets, {FIRST} to {LAST}, every day")


if __name__ == "__main__":
    main()
