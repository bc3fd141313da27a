#!/usr/bin/env python3
"""Generates a population of coach records (JSON Lines) for the differential
test, dense around the boundaries the spec cares about: birthdays and
expiries on, just before and just after the evaluation date, 29 February,
experience one day short, certificates issued in the future.

usage: gen_population.py COUNT SEED AS_OF > coaches.jsonl"""
import datetime
import json
import random
import sys

BODIES = ["usatf", "usatf-coaches-registry", "england-athletics", "other-body"]
CERTS = ["usatf-developmental", "usatf-level-1", "usatf-level-2", "usatf-level-3", "usatf-instructor",
         "ustfccca-technical-specialist", "ustfccca-master-coach", "ea-coach", "unknown-cert"]
ROLES = ["primary-coach-state-hs-qualifier", "primary-coach-collegiate-qualifier",
         "primary-coach-usatf-championship-qualifier", "national-team-athlete",
         "national-team-staff-coach", "volunteer"]


def shift_years(d, years, days):
    try:
        base = d.replace(year=d.year - years)
    except ValueError:  # 29 February in a common year
        base = d.replace(year=d.year - years, day=28)
    return base + datetime.timedelta(days=days)


def near(rng, asof, years):
    """A date `years` before as_of, give or take a day or two, or 29 Feb."""
    if rng.random() < 0.05:
        y = asof.year - years
        while not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
            y -= 1
        return datetime.date(y, 2, 29)
    return shift_years(asof, years, rng.choice([-2, -1, 0, 0, 1, 2, rng.randint(-400, 400)]))


def iso(d):
    return d.isoformat()


def coach(rng, i, asof):
    rec = {"id": f"G{i:06d}", "birth_date": iso(near(rng, asof, rng.choice([14, 17, 18, 18, 19, 30, 60])))}
    r = rng.random()
    if r < 0.15:
        rec["coaching_since"] = None
    elif r < 0.9:
        rec["coaching_since"] = iso(near(rng, asof, rng.choice([0, 1, 2, 2, 5, 5, 8, 8, 12, -1])))
    rec["memberships"] = [
        {"body": rng.choice(BODIES),
         "expires": None if rng.random() < 0.3 else iso(asof + datetime.timedelta(days=rng.choice([-1, 0, 1, 30, -30])))}
        for _ in range(rng.randint(0, 3))]
    certs = []
    for _ in range(rng.randint(0, 4)):
        issued = asof + datetime.timedelta(days=rng.choice([-3000, -400, -1, 0, 1]))
        expires = None if rng.random() < 0.4 else iso(asof + datetime.timedelta(days=rng.choice([-1, 0, 1, 365, -3100])))
        cert = {"id": rng.choice(CERTS), "issued": iso(issued), "expires": expires}
        if rng.random() < 0.3:
            cert["event_group"] = rng.choice(["endurance", "jumps", None])
        certs.append(cert)
    rec["certificates"] = certs
    rec["roles"] = rng.sample(ROLES, rng.randint(0, 2))
    rec["athletes_coached"] = rng.randint(0, 3)
    rec["teaching_experience"] = rng.random() < 0.3
    if rng.random() < 0.4:
        rec["advanced_degree"] = rng.choice(["sport-science", "history", None])
    return rec


def main():
    count, seed, asof = int(sys.argv[1]), int(sys.argv[2]), datetime.date.fromisoformat(sys.argv[3])
    rng = random.Random(seed)
    for i in range(count):
        print(json.dumps(coach(rng, i, asof), separators=(",", ":")))


main()
