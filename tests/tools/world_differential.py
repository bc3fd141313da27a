"""`when` and `plan` against the evaluation on generated rule sets with
random names (tests/tools/gen.py world()): a random facts record and
certificate list, programs with versions that close, enrolment windows,
groups, grants with `valid for` / `valid until`, ladders of certificates.

For each rule set and every coach record:
- `when` gives every program's periods over FIRST..LAST; a test file
  expects, on every day, each program's status: eligible on the days `when`
  says, else not eligible, closed, not yet open, not yet in force or
  withdrawn as the generated (literal) dates say; `pathway test` (the
  evaluation, no day windows) must pass it.
- With no period, `when`'s blocking list is checked: the version's last day
  in force (`last_day`), the window, and the requirements it names unmet,
  which the test file then expects, exactly, from the evaluation on that
  day (the horizon's last day, or the last day a version was in force).
- Each blocking requirement is unmet (eval) from the day `when` gives,
  and not the day before when the same version was in force.
- `when` from a day in the middle: the same eligible days from then on.
- `plan` for every program (from FIRST and the middle): unreachable only
  when `when` finds no period, never later than `when`'s first day (that
  very day when the plan is the target alone, nothing arranged), and every
  step replayed through
  `pathway eval` on its day with the certificates of the steps before it
  added to the record's list (whatever the list and its fields are named):
  each step eligible, or unmet only in what the plan says to arrange.

usage: world_differential.py PATHWAY_BINARY [--seeds N] [--first S] [--keep DIR] [--names]

--names also plans the same rule set with the certificate list named as
shipped (unmarked) and at random (marked `granted here`), and expects the
same plans: plan must not depend on a field's name.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

FIRST = datetime.date(*gen.WORLD_FIRST)
LAST = datetime.date(*gen.WORLD_LAST)
ONE = datetime.timedelta(days=1)
HORIZON = f"{(LAST - FIRST).days}d"


def run(args, ok=(0, 1)):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode not in ok:
        raise SystemExit(f"FAIL: {' '.join(args)} exited {p.returncode}\n{p.stderr}")
    return p.stdout


def day(s):
    return None if s is None else datetime.date.fromisoformat(s)


def days(a, b):
    while a <= b:
        yield a
        a += ONE


def version_on(versions, d):
    """(index, version) in force on d, else (None, None)."""
    for i, v in enumerate(versions):
        if (v[0] is None or v[0] <= d) and (v[1] is None or d <= v[1]):
            return i, v
    return None, None


def status(versions, d, eligible):
    """The status eval gives on d, from the literal dates (eligible: the
    days `when` says)."""
    _, v = version_on(versions, d)
    if v is None:
        return "not yet in force" if any(w[0] is not None and w[0] > d for w in versions) else "withdrawn"
    if v[2] is not None and d < v[2]:
        return "not yet open"
    if v[3] is not None and d > v[3]:
        return "closed"
    return "eligible" if d in eligible else "not eligible"


def eligible_days(periods):
    out = set()
    for p in periods:
        out.update(days(day(p["from"]), LAST if p["until"] is None else day(p["until"])))
    return out


def quote(labels):
    return ", ".join(json.dumps(x) for x in labels) if labels else "none"


def literal(v):
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return v if len(v) == 10 and v[4] == "-" and v[:4].isdigit() else json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    return "{ " + ", ".join(f"{k}: {literal(x)}" for k, x in v.items()) + " }"


def check_blocking(w, versions, problems, extra, start=FIRST):
    """when's blocking list (from `start`), for a coach with no period; adds
    to `extra` the expectation (day, word, labels) the evaluation must
    confirm."""
    tag = f"{w['id']} {w['program']} from {start}"
    inforce = [d for d in days(start, LAST) if version_on(versions, d)[1] is not None]
    b = w["blocking"]
    kinds = [c["kind"] for c in b]
    if not inforce:
        later = [v[0] for v in versions if v[0] is not None and v[0] > LAST]
        want = ["in_force"] if later else ["out_of_force"]
        if kinds != want:
            problems.append(f"{tag}: never in force in the horizon, blocking {kinds}, expected {want}")
        return
    f = inforce[-1]
    i, v = version_on(versions, f)
    k = 0
    if f < LAST:
        if not b or b[0]["kind"] != "out_of_force" or day(b[0].get("last_day")) != f:
            problems.append(f"{tag}: last in force on {f}, blocking starts {b[:1]}")
            return
        k = 1
    word = status(versions, f, set())
    if word in ("closed", "not yet open"):
        want = "closes" if word == "closed" else "opens"
        wday = v[3] + ONE if word == "closed" else v[2]
        if k >= len(b) or b[k]["kind"] != want or day(b[k]["day"]) != wday:
            problems.append(f"{tag}: window {word} on {f}, blocking {b[k:k + 1]}, expected {want} {wday}")
            return
        k += 1
    unmet = []
    while k < len(b) and b[k]["kind"] == "unmet":
        if f < LAST and day(b[k].get("until")) != f:
            problems.append(f"{tag}: unmet {b[k]['label']!r} until {b[k].get('until')}, expected {f}")
        if day(b[k]["day"]) > f:
            problems.append(f"{tag}: unmet {b[k]['label']!r} since {b[k]['day']}, after {f}")
        unmet.append(b[k]["label"])
        since = day(b[k]["day"])
        checks = extra.setdefault("since", [])
        checks.append((w["id"], w["program"], b[k]["label"], since, True))
        if since > start and version_on(versions, since - ONE)[0] == i:
            checks.append((w["id"], w["program"], b[k]["label"], since - ONE, False))
        k += 1
    rest = [c["kind"] for c in b[k:]]
    later = [x[0] for x in versions[i + 1:] if x[0] is not None and x[0] > LAST]
    if rest != (["in_force"] if later and f < LAST else []):
        problems.append(f"{tag}: blocking ends with {rest}")
    if f < LAST and later and rest == ["in_force"] and day(b[-1]["day"]) != later[0]:
        problems.append(f"{tag}: next version in force on {b[-1]['day']}, the rules say {later[0]}")
    extra.setdefault((w["id"], f), []).append((w["program"], word, unmet))


def check_since(bin_, rules, facts, checks, problems):
    """Each blocking requirement is unmet from the day `when` says, and, in
    the same version, was not unmet the day before: through eval."""
    byday = {}
    for c in checks:
        byday.setdefault(c[3], []).append(c)
    for d, cs in sorted(byday.items()):
        res = {}
        for line in run([bin_, "eval", rules, "--facts", facts, "--as-of", str(d), "--format", "json"]).splitlines():
            x = json.loads(line)
            for r in x.get("results", []):
                res[(x["id"], r["program"])] = r.get("unmet", [])
        for rid, pid, label, _, want in cs:
            if (label in res.get((rid, pid), [])) != want:
                problems.append(f"{rid} {pid}: blocking says {label!r} unmet from "
                                f"{d if want else d + ONE}, eval on {d} says unmet {res.get((rid, pid))}")


def write_tests(path, rules_name, recs, info, truth, extra):
    with open(path, "w") as out:
        out.write(f'include "{rules_name}"\n\n')
        for rec in recs:
            body = {k: v for k, v in rec.items() if k != "id"}
            out.write(f"example {rec['id']} = {literal(body)}\n\n")
        for rec in recs:
            for d in days(FIRST, LAST):
                out.write(f'test "{rec["id"]} {d}" {{\n  as of {d}\n  given {rec["id"]}\n')
                pinned = {p: (wd, u) for p, wd, u in extra.get((rec["id"], d), ())}
                for pid in info["order"]:
                    word = status(info["programs"][pid], d, truth[(rec["id"], pid)])
                    # `closed unmet none` is not in the language: a shut
                    # window with nothing else unmet stays `closed`.
                    if pid in pinned and pinned[pid][0] == word and word != "eligible":
                        word += f" unmet {quote(pinned[pid][1])}" if pinned[pid][1] or word == "not eligible" else ""
                    elif pid in pinned:
                        word += "  # blocking on a day of another status"
                    out.write(f"  expect {pid} {word}\n")
                out.write("}\n")


def replay(bin_, tmp, rules, rec, plan, info, problems):
    """Every step of a reachable plan through `pathway eval`."""
    certs = list(rec.get(info["list"], []))
    for n, s in enumerate(plan["steps"]):
        r = dict(rec)
        r[info["list"]] = certs
        path = os.path.join(tmp, "replay.json")
        with open(path, "w") as f:
            json.dump(r, f)
        out = json.loads(run([bin_, "eval", rules, "--facts", path, "--as-of", s["enrol"], "--format", "json"]))
        res = [x for x in out.get("results", []) if x["program"] == s["program"]]
        tag = f"{rec['id']} plan {plan['target']} step {n + 1} ({s['program']} on {s['enrol']})"
        if not res:
            problems.append(f"{tag}: eval: {out}")
            return
        st = res[0].get("status", "eligible" if res[0].get("eligible") else "not_eligible")
        unmet = res[0].get("unmet", [])
        if st not in ("eligible", "not_eligible") or not set(unmet) <= set(s["arrange"]):
            problems.append(f"{tag}: eval says {st}, unmet {unmet}, the plan arranges {s['arrange']}")
        if s["grants"]:
            c = {info["id"]: s["grants"], info["issued"]: s["granted"]}
            if s["expires"] is not None:
                c[info["expires"]] = s["expires"]
            certs = certs + [c]


def one(bin_, tmp, seed, problems, stats):
    text, recs, info = gen.world(seed)
    rules = os.path.join(tmp, f"w{seed}.pw")
    facts = os.path.join(tmp, f"w{seed}.jsonl")
    with open(rules, "w") as f:
        f.write(text)
    with open(facts, "w") as f:
        f.write("".join(json.dumps(x) + "\n" for x in recs))
    # `when` from FIRST gives the days checked below; from a day in the
    # middle (the seed's), the same days from then on, and its own blocking.
    mid = FIRST + datetime.timedelta(days=(seed * 37) % (LAST - FIRST).days)  # before LAST: --horizon 1d at least
    truth, extra, first = {}, {}, {}
    for start in (FIRST, mid):
        for pid in info["order"]:
            out = run([bin_, "when", rules, "--facts", facts, "--program", pid, "--as-of", str(start),
                       "--horizon", f"{(LAST - start).days}d", "--format", "json"])
            for line in out.splitlines():
                w = json.loads(line)
                if "error" in w:
                    raise SystemExit(f"FAIL: seed {seed}: when {pid}: {w['error']}")
                if day(w["horizon_until"]) != LAST:
                    raise SystemExit(f"FAIL: horizon ends {w['horizon_until']}, expected {LAST}")
                key = (w["id"], pid)
                got = eligible_days(w["periods"])
                if start == FIRST:
                    truth[key] = got
                elif got != {d for d in truth[key] if d >= start}:
                    problems.append(f"seed {seed}: {key}: `when` from {start} differs from `when` from {FIRST}")
                first[key + (start,)] = day(w["periods"][0]["from"]) if w["periods"] else None
                if not w["periods"]:
                    check_blocking(w, info["programs"][pid], problems, extra, start)
                    stats["blocking"] += 1
    check_since(bin_, rules, facts, extra.pop("since", []), problems)
    tests = os.path.join(tmp, f"w{seed}.test.pw")
    write_tests(tests, os.path.basename(rules), recs, info, truth, extra)
    p = subprocess.run([bin_, "test", tests], capture_output=True, text=True)
    if p.returncode != 0:
        fails = [l for l in p.stdout.splitlines() if l.startswith("FAIL")][:5]
        problems.append(f"seed {seed}: `when` disagrees with the evaluation:\n  " +
                        "\n  ".join(fails) + ("\n" + p.stderr[:2000] if not fails else ""))
    stats["days"] += len(recs) * len(info["order"]) * ((LAST - FIRST).days + 1)
    byid = {x["id"]: x for x in recs}
    for start in (FIRST, mid):
        for pid in info["order"]:
            out = run([bin_, "plan", rules, "--facts", facts, "--target", pid, "--as-of", str(start),
                       "--horizon", f"{(LAST - start).days}d", "--format", "json"])
            for line in out.splitlines():
                check_plan(bin_, tmp, seed, rules, json.loads(line), pid, start, first, byid, info, problems, stats)


def check_plan(bin_, tmp, seed, rules, plan, pid, start, first, byid, info, problems, stats):
    """A plan from `start` against `when` from the same day, then replayed."""
    if "error" in plan:
        problems.append(f"seed {seed}: plan {pid} {plan.get('id')}: {plan['error']}")
        return
    key = (plan["id"], pid)
    when_first = first[key + (start,)]
    stats["plans"] += 1
    if not plan["reachable"]:
        if when_first is not None:
            problems.append(f"seed {seed}: {key} from {start}: plan unreachable, `when` eligible from {when_first}")
        for b in plan["blocking"]:
            if "is not in force on" in b:
                problems.append(f"seed {seed}: {key}: plan blocking {b!r}")
        return
    on = day(plan["eligible_on"])
    if when_first is not None and on > when_first:
        problems.append(f"seed {seed}: {key} from {start}: plan eligible on {on}, `when` from {when_first}")
    # The target alone, nothing arranged: exactly `when`'s first day.
    alone = len(plan["steps"]) == 1 and not plan["steps"][0]["arrange"]
    if alone and on != when_first:
        problems.append(f"seed {seed}: {key} from {start}: plan takes the target alone on {on}, "
                        f"`when` eligible from {when_first}")
    stats["steps"] += len(plan["steps"])
    replay(bin_, tmp, rules, byid[plan["id"]], plan, info, problems)


def plan_lines(bin_, tmp, seed, names):
    """Every plan of world(seed) with the certificate list named `names`."""
    text, recs, info = gen.world(seed, names=names)
    rules = os.path.join(tmp, f"n{seed}.pw")
    facts = os.path.join(tmp, f"n{seed}.jsonl")
    with open(rules, "w") as f:
        f.write(text)
    with open(facts, "w") as f:
        f.write("".join(json.dumps(x) + "\n" for x in recs))
    return {pid: run([bin_, "plan", rules, "--facts", facts, "--target", pid, "--as-of", str(FIRST),
                      "--horizon", HORIZON, "--format", "json"]).splitlines() for pid in info["order"]}


def same_plans(bin_, tmp, seed, problems):
    """The same rule set with the certificate list and its fields named as
    shipped and at random: the same plans (plan must not depend on a
    field's name)."""
    a, b = plan_lines(bin_, tmp, seed, "shipped"), plan_lines(bin_, tmp, seed, "random")
    for pid in a:
        for x, y in zip(a[pid], b[pid]):
            if x != y:
                problems.append(f"seed {seed}: plan {pid} depends on the list's names:\n  shipped: {x[:300]}\n"
                                f"  random:  {y[:300]}")
                return


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--keep", help="a directory to keep the rule sets of failing seeds in")
    ap.add_argument("--names", action="store_true",
                    help="also: the same plans with the certificate list named as shipped and at random")
    a = ap.parse_args()
    bin_ = os.path.abspath(a.binary)
    problems = []
    stats = {"days": 0, "plans": 0, "steps": 0, "blocking": 0}
    seeds = range(a.first, a.first + a.seeds)
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            n = len(problems)
            one(bin_, tmp, seed, problems, stats)
            if a.names:
                same_plans(bin_, tmp, seed, problems)
            if len(problems) > n:
                print(f"seed {seed}: {len(problems) - n} problem(s)", file=sys.stderr)
                if a.keep:
                    text, recs, _ = gen.world(seed)
                    with open(os.path.join(a.keep, f"w{seed}.pw"), "w") as f:
                        f.write(text)
                    with open(os.path.join(a.keep, f"w{seed}.jsonl"), "w") as f:
                        f.write("".join(json.dumps(x) + "\n" for x in recs))
    for p in problems:
        print(p)
    if problems:
        raise SystemExit(1)
    print(f"ok: {len(seeds)} generated rule sets (seeds {a.first}..{a.first + a.seeds - 1}), {FIRST} to {LAST}: "
          f"{stats['days']} program-days, {stats['blocking']} blocking lists, "
          f"{stats['plans']} plans, {stats['steps']} steps replayed")


if __name__ == "__main__":
    main()
