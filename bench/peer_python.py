#!/usr/bin/env python3
"""bench/peer_python.py: the USATF decisions in plain Python (json module),
a peer for the benchmark.

What a developer would write instead of Pathway: read JSON Lines, decide the
11 USATF programs of docs/coach-record.md (sections 2 and 3), print
exactly what `pathway eval --format jsonl` prints (section 5). Dates are
compared as "YYYY-MM-DD" strings, which order like the dates they spell. Like
the other peers it trusts the shape of its input (the benchmark's population
is valid) and checks only that a record is an object with an id and a birth
date; a record that fails is printed as {"id":...,"error":...}.

usage: peer_python.py FILE YYYY-MM-DD > results.jsonl"""
import json
import sys

MEM = "USATF membership"
AGE = "at least 18 years of age"
REG = "USATF Coaches Registry membership"
PREFER = "classroom teaching or public speaking experience, or an advanced degree in sport science"
PODIUM_ROLES = {"primary-coach-state-hs-qualifier", "primary-coach-collegiate-qualifier",
                "primary-coach-usatf-championship-qualifier", "national-team-athlete",
                "national-team-staff-coach"}
PODIUM_CERTS = {"usatf-level-2", "usatf-level-3", "ustfccca-technical-specialist",
                "ustfccca-master-coach"}


def full_years(since, today):
    """The spec's formula on "YYYY-MM-DD" strings."""
    return int(today[:4]) - int(since[:4]) - (today[5:] < since[5:])


def decide(rec, today):
    age = full_years(rec["birth_date"], today)
    since = rec.get("coaching_since")
    exp = 0 if since is None or since > today else full_years(since, today)
    bodies = {m["body"] for m in rec.get("memberships", ())
              if m["expires"] is None or m["expires"] >= today}
    certs = {c["id"] for c in rec.get("certificates", ())
             if c["issued"] <= today and (c["expires"] is None or c["expires"] >= today)}
    member, registry, adult = "usatf" in bodies, "usatf-coaches-registry" in bodies, age >= 18
    l2, l3 = "usatf-level-2" in certs, "usatf-level-3" in certs
    podium = bool(PODIUM_ROLES.intersection(rec.get("roles", ()))) or bool(PODIUM_CERTS & certs)
    prefer = rec.get("teaching_experience", False) or rec.get("advanced_degree") == "sport-science"
    basic = [(MEM, member), (AGE, adult)]
    programs = (
        ("developmental_coach", basic, ()),
        ("bridge_to_level_1", basic + [("current USATF Developmental Coach certificate",
                                        "usatf-developmental" in certs)], ()),
        ("level_1", basic, ()),
        ("level_2", basic + [("current USATF Level 1 certificate", "usatf-level-1" in certs),
                             ("at least two years of coaching experience", exp >= 2)], ()),
        ("level_3", basic + [("current USATF Level 2 certificate", l2),
                             ("at least five years of coaching experience", exp >= 5)], ()),
        ("instructor_training", [(REG, registry),
                                 ("current USATF Level 2 or Level 3 certificate", l2 or l3),
                                 ("at least eight years of coaching experience", exp >= 8)],
         [(PREFER, prefer)]),
        ("marathon_specialist", basic, ()),
        ("cross_country_specialist", basic, ()),
        ("podium_camp", [(REG, registry),
                         ("at least one of the three Podium Camp qualifications", podium)], ()),
        ("campus", [(AGE, adult)], ()),
        ("partner_courses", (), ()),
    )
    results = []
    for pid, reqs, prefs in programs:
        unmet = [label for label, ok in reqs if not ok]
        results.append({"program": pid, "eligible": not unmet, "unmet": unmet,
                        "preferred_unmet": [label for label, ok in prefs if not ok]})
    return results


def main():
    path, today = sys.argv[1], sys.argv[2]
    out = sys.stdout
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rid = None
            try:
                rec = json.loads(line)
                rid = rec["id"]
                if not isinstance(rid, str):
                    rid = None
                    raise TypeError("id is not text")
                line_out = {"id": rid, "as_of": today, "results": decide(rec, today)}
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                print(f"{path}: error: record {rid}: {e!r}", file=sys.stderr)
                line_out = {"id": rid, "error": str(e)}
            out.write(dumps(line_out))
            out.write("\n")


main()
