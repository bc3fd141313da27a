#!/usr/bin/env python3
"""Checks `pathway diff` against two separate `pathway eval` runs: every count
of its JSON summary, and its --list (JSON Lines), must be what the two evals
imply (docs/impact.md defines each number).

usage: compare.py DIFF.json OLD_EVAL.jsonl NEW_EVAL.jsonl LIST.jsonl

The evals are of the same facts, so their lines pair up in input order. A
record that either eval could not evaluate is a bad record of the diff, and
counts nowhere else. Prints what differs and exits 1, or prints a summary."""
import json
import sys
from collections import Counter


def load_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def results(rec):
    return {r["program"]: r for r in rec["results"]}


def in_force(r):
    return r.get("status") not in ("not_yet_in_force", "withdrawn")


def why_not(r, absent):
    """The reasons a coach is not eligible for one side's program."""
    if r is None:
        return [absent]
    if in_force(r) and r["unmet"]:
        return list(r["unmet"])
    return ["(not in force)"]


def main():
    diff = json.load(open(sys.argv[1], encoding="utf-8"))
    old, new = load_lines(sys.argv[2]), load_lines(sys.argv[3])
    listed = load_lines(sys.argv[4])
    problems = []
    if len(old) != len(new):
        problems.append(f"the evals have {len(old)} and {len(new)} lines")
    good = [(a, b) for a, b in zip(old, new) if "error" not in a and "error" not in b]
    bad = len(old) - len(good)
    if diff["records"] != len(good) or diff["bad_records"] != bad:
        problems.append(f"records {diff['records']}/{diff['bad_records']} bad, evals imply {len(good)}/{bad}")
    expected_list = []
    want = {}
    for a, b in good:
        ra, rb = results(a), results(b)
        for p in diff["programs"]:
            key = p["program"], p["old_program"]
            w = want.setdefault(key, {"before": 0, "after": 0, "gained": 0, "lost": 0,
                                      "gained_because": Counter(), "lost_because": Counter()})
            o = ra.get(p["old_program"]) if p["old_program"] else None
            n = rb.get(p["program"]) if p["status"] != "removed" else None
            be, ae = bool(o and o["eligible"]), bool(n and n["eligible"])
            w["before"] += be
            w["after"] += ae
            if be == ae:
                continue
            change = "lost" if be else "gained"
            reasons = why_not(n, "(program removed)") if be else why_not(o, "(program added)")
            w[change] += 1
            w[change + "_because"].update(reasons)
            expected_list.append({"id": a["id"], "program": p["program"], "change": change, "reasons": reasons})
    for p in diff["programs"]:
        w = want[p["program"], p["old_program"]]
        for k in ("before", "after"):
            if p[k] is not None and p[k] != w[k]:
                problems.append(f"{p['program']}: {k} {p[k]}, evals imply {w[k]}")
        for k in ("gained", "lost"):
            if p[k] != w[k]:
                problems.append(f"{p['program']}: {k} {p[k]}, evals imply {w[k]}")
            got = Counter({x["requirement"]: x["count"] for x in p[k + "_because"]})
            if got != w[k + "_because"]:
                problems.append(f"{p['program']}: {k}_because {dict(got)}, evals imply {dict(w[k + '_because'])}")
    if listed != expected_list:
        problems.append(f"--list has {len(listed)} lines, evals imply {len(expected_list)}")
        for i, (x, y) in enumerate(zip(listed, expected_list)):
            if x != y:
                problems.append(f"  first difference at line {i + 1}: {x} != {y}")
                break
    for p in problems:
        print("MISMATCH " + p)
    if not problems:
        changed = sum(p["gained"] + p["lost"] for p in diff["programs"])
        print(f"agree: {len(good)} records, {bad} bad, {len(diff['programs'])} programs, {changed} changes")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
