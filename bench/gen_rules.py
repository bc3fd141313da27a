#!/usr/bin/env python3
"""bench/gen_rules.py: a large rule set for timing `pathway compile` and
`pathway check` against its size.

Writes DIR/common/coach.pw (a copy of the shipped record and definitions) and
DIR/rules-N.pw, which includes it and DIR/rules-N.partK.pw, 500 programs a
file (one rule file may be at most 4 MiB): N programs in all, shaped like
those of rules/usatf/usatf.pw —
attributes, citations, memberships, ages, certificates, experience, roles,
`any of` / `all of` / `at least N of` groups, preferences and advice — drawn
from a fixed seed, so the same N always gives the same file. Every program has
its own labels and citations, so the string table grows with N as it would for
a real rule set.

usage: gen_rules.py DIR N [N...]   (prints the paths written)"""
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COACH = os.path.join(HERE, "..", "rules", "common", "coach.pw")

BODIES = ["usatf", "usatf-coaches-registry", "england-athletics"]
CERTS = ["usatf-developmental", "usatf-level-1", "usatf-level-2", "usatf-level-3",
         "usatf-instructor", "usatf-marathon-specialist", "usatf-cross-country-specialist",
         "ustfccca-technical-specialist", "ustfccca-master-coach", "ea-coaching-assistant",
         "ea-sessional-coach", "ea-coach"]
ROLES = ["primary-coach-state-hs-qualifier", "primary-coach-collegiate-qualifier",
         "primary-coach-usatf-championship-qualifier", "national-team-athlete",
         "national-team-staff-coach"]
FORMATS = ["online", "blended", "in person"]
PART = 500  # programs per file: a rule file is at most 4 MiB (docs/robustness.md)
WORDS = ["coaching", "athletes", "enrol", "course", "certificate", "season", "experience",
         "membership", "programme", "event", "group", "club", "safeguarding", "education"]


def condition(rng):
    """(label, condition) of one simple requirement."""
    k = rng.randrange(6)
    if k == 0:
        b = rng.choice(BODIES)
        return f"current {b} membership", f'member("{b}")'
    if k == 1:
        a = rng.randint(14, 21)
        return f"at least {a} years of age", f"age >= {a}"
    if k == 2:
        c = rng.choice(CERTS)
        return f"current {c} certificate", f'current("{c}")'
    if k == 3:
        e = rng.randint(1, 12)
        return f"at least {e} years of coaching experience", f"experience >= {e}"
    if k == 4:
        r = rng.sample(ROLES, 2)
        return f"{r[0]} or {r[1]}", f'"{r[0]}" in roles or "{r[1]}" in roles'
    c1, c2 = rng.sample(CERTS, 2)
    return f"current {c1} or {c2} certificate", f'current("{c1}") or current("{c2}")'


def citing(rng, n, i):
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))
    return f'citing "Handbook {n}.{i}: {words}."'


def program(rng, n):
    lines = [f'program p{n:05d} "Generated Program {n}" {{']
    if rng.random() < 0.7:
        lines.append(f"  hours {rng.randint(2, 40)}")
    lines.append(f'  format "{rng.choice(FORMATS)}"')
    lines.append('  provider "USATF"')
    labels = set()
    for i in range(rng.randint(1, 5)):
        if rng.random() < 0.15:
            kind = rng.choice(["any of", "all of", "at least 2 of"])
            members, seen = [], set()
            while len(members) < 3:
                label, cond = condition(rng)
                if label not in seen:
                    seen.add(label)
                    members.append(f'    "{label} ({n})": {cond}')
            lines.append(f'  require "qualification {i} of program {n}": {kind} {{')
            lines.extend(members)
            lines.append(f"  }} {citing(rng, n, i)}")
            continue
        label, cond = condition(rng)
        if label in labels:
            continue
        labels.add(label)
        lines.append(f'  require "{label}": {cond}')
        if rng.random() < 0.8:
            lines.append(f"    {citing(rng, n, i)}")
    if rng.random() < 0.2:
        lines.append(f'  prefer "teaching experience or a degree ({n})": '
                     'teaching_experience or advanced_degree = "sport-science"')
    if rng.random() < 0.2:
        lines.append(f'  advise "bring an athlete you coach ({n})": athletes_coached >= 1')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    out, counts = sys.argv[1], [int(a) for a in sys.argv[2:]]
    os.makedirs(os.path.join(out, "common"), exist_ok=True)
    shutil.copyfile(COACH, os.path.join(out, "common", "coach.pw"))
    for count in counts:
        rng = random.Random(count)
        parts = []
        for first in range(1, count + 1, PART):
            part = f"rules-{count}.part{len(parts) + 1:03d}.pw"
            with open(os.path.join(out, part), "w", encoding="utf-8") as f:
                f.write(f"# programs {first} to {min(first + PART - 1, count)} of {count} "
                        "(bench/gen_rules.py)\n\n")
                for n in range(first, min(first + PART, count + 1)):
                    f.write(program(rng, n))
                    f.write("\n")
            parts.append(part)
        path = os.path.join(out, f"rules-{count}.pw")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"# {count} generated programs (bench/gen_rules.py)\n\n")
            f.write('include "common/coach.pw"\n')
            for part in parts:
                f.write(f'include "{part}"\n')
        print(path)


main()
