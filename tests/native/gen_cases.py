#!/usr/bin/env python3
"""Generated rule sets and their coaches for tests/native/native.sh, from the
generators of the tools' differential tests (tests/tools/gen.py): world()
has program versions, effective periods, enrolment windows, groups, grants
and validity; rules() dates from parts, parts of dates and computed
durations.

usage: gen_cases.py DIR SEED...   (writes DIR/world-S.pw, DIR/world-S.jsonl,
                                   DIR/rules-S.pw, DIR/rules-S.jsonl)"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import gen  # noqa: E402


def main():
    out = sys.argv[1]
    for seed in map(int, sys.argv[2:]):
        text, recs, _ = gen.world(seed)
        with open(os.path.join(out, f"world-{seed}.pw"), "w") as f:
            f.write(text)
        with open(os.path.join(out, f"world-{seed}.jsonl"), "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in recs)
        with open(os.path.join(out, f"rules-{seed}.pw"), "w") as f:
            f.write(gen.rules(seed)[0])
        with open(os.path.join(out, f"rules-{seed}.jsonl"), "w") as f:
            f.write(gen.records(seed, 40))


main()
