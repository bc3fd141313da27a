"""explain, when and plan: every field the `pathway` command prints for the
same questions (--format json) is in the Python objects, equal."""
from __future__ import annotations

import datetime
import json
from typing import Any, Optional

import pytest

import pathway_rules
from conftest import AS_OF, COACHES, ENGLAND, REPO, USATF, pathway_cli

SETS = {"usatf": USATF, "england": ENGLAND}


def iso(d: Optional[datetime.date]) -> Optional[str]:
    return None if d is None else d.isoformat()


def change(c: pathway_rules.Change) -> dict:
    out = {"kind": c.kind, "day": iso(c.day)}
    if c.last_day is not None:
        out["last_day"] = iso(c.last_day)
    out["label"] = c.label
    return out


def blocking(cs) -> list:
    """Requirements listed after a version that left force carry "until",
    its last day in force."""
    out, ended = [], None
    for c in cs:
        d = change(c)
        if c.kind == "out_of_force":
            ended = c.last_day
        elif c.kind == "in_force":
            ended = None
        elif c.kind == "unmet" and ended is not None:
            d["until"] = iso(ended)
        out.append(d)
    return out


def when_as_printed(w: pathway_rules.Eligibility) -> dict:
    return {"id": w.coach, "program": w.program, "as_of": iso(w.as_of), "horizon_until": iso(w.last),
            "eligible_within_horizon": bool(w.periods),
            "periods": [{"from": iso(p.start), "until": None if p.to_end else iso(p.until),
                         "from_as_of": p.from_start, "starts": [change(c) for c in p.starts],
                         "ends": [change(c) for c in p.ends]} for p in w.periods],
            "blocking": blocking(w.blocking)}


def hours(h: Optional[float]) -> Any:
    return None if h is None else (int(h) if h == int(h) else h)


def plan_as_printed(p: pathway_rules.Plan) -> dict:
    out = {"id": p.coach, "target": p.target, "as_of": iso(p.as_of), "horizon_until": iso(p.last),
           "reachable": p.reachable}
    # The command prints null for a plan that does not reach the target.
    out["eligible_on"] = iso(p.steps[-1].enrol) if p.reachable else None
    out["steps"] = [{"program": s.program, "title": s.title, "enrol": iso(s.enrol),
                     "hours": hours(s.hours), "grants": s.grants, "granted": iso(s.granted),
                     "expires": iso(s.expires), "waits": list(s.waits),
                     "arrange": list(s.arrange)} for s in p.steps]
    out["hours"] = hours(p.hours)
    out["blocking"] = list(p.blocking)
    if p.blocking_sentences:
        out["blocking_sentences"] = p.blocking_sentences
    return out


def requirement_as_printed(r: pathway_rules.RequirementExplanation, printed: dict) -> dict:
    out = {"label": r.label, "citation": r.citation, "kind": r.kind, "role": r.role,
           "depth": r.depth, "outcome": r.outcome, "holds": r.holds}
    if r.kind != "single":
        out.update(min=r.min, members=r.members, members_met=r.members_met)
    out.update(met_on=iso(r.met_on), last_met=iso(r.last_met), unmet_on=iso(r.unmet_on))
    if "in_force" in printed:
        out["in_force"] = {"from": iso(r.period[0]), "until": iso(r.period[1])}
    out["seen"] = [{"expr": s.expr, "value": s.value, "test": s.test, "value_then": s.value_then,
                    "entries": list(s.entries)} for s in r.seen]
    return {k: out[k] for k in printed}  # the command's order; a key it lacks fails below


def explain_as_printed(e: pathway_rules.Explanation, printed: dict) -> dict:
    progs = []
    for p, q in zip(e.programs, printed["programs"]):
        d = {"program": p.program, "title": p.title, "status": p.verdict, "eligible": p.eligible,
             "in_force": {"from": iso(p.period[0]), "until": iso(p.period[1])},
             "requirements": [requirement_as_printed(r, x)
                              for r, x in zip(p.requirements, q["requirements"])]}
        if p.enrolment:
            d["enrolment"] = {"opens": iso(p.enrolment[0]), "closes": iso(p.enrolment[1])}
        assert len(p.requirements) == len(q["requirements"])
        progs.append({k: d[k] for k in q})
    assert len(e.programs) == len(printed["programs"])
    return {"id": e.coach, "as_of": iso(e.as_of),
            "horizon": {"from": iso(e.first), "until": iso(e.last)}, "programs": progs}


@pytest.mark.parametrize("which", sorted(SETS))
def test_when_matches_the_command(which, coaches):
    rules = pathway_rules.Rules.open(SETS[which])
    periods = 0
    for prog in rules.programs:
        want = pathway_cli("when", str(SETS[which]), "--facts", str(COACHES), "--program", prog.id,
                           "--as-of", AS_OF, "--format", "json")
        got = [when_as_printed(rules.when(c, prog.id, as_of=AS_OF)) for c in coaches]
        assert got == want
        periods += sum(len(w["periods"]) for w in want)
    assert periods > 0


@pytest.mark.parametrize("which, target", [("usatf", "level_2"), ("usatf", "level_3"),
                                           ("usatf", "instructor_training"),
                                           ("england", "coach"), ("england", "advanced_coach")])
def test_plan_matches_the_command(which, target, coaches):
    rules = pathway_rules.Rules.open(SETS[which])
    want = pathway_cli("plan", str(SETS[which]), "--facts", str(COACHES), "--target", target,
                       "--as-of", AS_OF, "--format", "json")
    got = [plan_as_printed(rules.plan(c, target, as_of=AS_OF)) for c in coaches]
    assert got == want


@pytest.mark.parametrize("which", sorted(SETS))
def test_explain_matches_the_command(which, coaches):
    rules = pathway_rules.Rules.open(SETS[which])
    want = pathway_cli("explain", str(SETS[which]), "--facts", str(COACHES), "--as-of", AS_OF,
                       "--format", "json")
    for c, w in zip(coaches, want):
        assert explain_as_printed(rules.explain(c, as_of=AS_OF), w) == w


def test_explain_specific_values(usatf, coaches):
    e = usatf.explain(coaches[0], as_of=AS_OF, programs=["level_2"])
    assert [p.program for p in e.programs] == ["level_2"]
    lvl2 = e["level_2"]
    assert lvl2.verdict == "not_eligible" and not lvl2.eligible
    age = lvl2.requirements[1]
    assert age.label == "at least 18 years of age"
    assert (age.holds, age.met_on) == ("unmet", datetime.date(2027, 5, 14))
    assert age.seen[0] == pathway_rules.Seen("age", "17", "at least 18", "18", ())
    assert (age.file, age.line) == ("usatf.pw", 84)
    assert [r.label for r in lvl2.unmet] == ["at least 18 years of age",
                                            "current USATF Level 1 certificate",
                                            "at least two years of coaching experience"]


def test_the_day_only(usatf, coaches):
    e = usatf.explain(coaches[0], as_of=AS_OF, programs="level_2", horizon_days=0)
    age = e["level_2"].requirements[1]
    assert age.seen[0].value == "17" and age.met_on is None and age.seen[0].value_then is None
    w = usatf.when(coaches[2], "level_2", as_of=AS_OF, horizon_days=0)
    assert w.eligible_now and w.last == datetime.date(2026, 11, 23)


def test_when_and_plan_specific_values(usatf, coaches):
    w = usatf.when(coaches[3], "level_2", as_of=AS_OF)
    assert w.eligible_now
    assert w.periods[0].until == datetime.date(2027, 12, 31)
    assert w.periods[0].ends == (pathway_rules.Change("unmet", datetime.date(2028, 1, 1),
                                                      "USATF membership", 0),)
    p = usatf.plan(coaches[1], "level_3", as_of=AS_OF)
    assert p.reachable
    assert [(s.program, s.enrol) for s in p.steps] == [
        ("level_2", datetime.date(2027, 8, 15)), ("level_3", datetime.date(2030, 8, 15))]
    assert p.steps[0].waits == ("at least two years of coaching experience",)
    assert p.hours == 32.0


def test_explain_a_decision():
    """A requirement a person decides: one seen entry, with no expression,
    that says who decides and what is recorded."""
    rules = pathway_rules.Rules.open(REPO / "tests" / "rules" / "handbooks" / "decisions.pw")
    coach = {"id": "pending", "birth_date": "1990-06-15",
             "licences": [{"id": "c-licence", "issued": "2024-03-01"}]}
    rule = rules.explain(coach, as_of=AS_OF, programs=["b_licence"])["b_licence"].requirements[1]
    assert (rule.label, rule.holds) == ("meets the 3.2 Rule", "unmet")
    assert rule.seen == (pathway_rules.Seen(None, "needs a decision by the national coaching committee",
                                            None, None, ()),)
    coach["decisions"] = [{"key": "meets the 3.2 Rule", "accepted": False}]
    rule = rules.explain(coach, as_of=AS_OF, programs=["b_licence"])["b_licence"].requirements[1]
    assert rule.seen[0].value == "refused by the national coaching committee"


def test_when_and_plan_name_the_decision():
    """when's blocking and plan's arrange say who decides, as the text
    report does: pw_eligibility.blocking_decision and
    pw_plan_step.arrange_decision, read through the struct layout (a plan
    of several steps proves the stride)."""
    rules = pathway_rules.Rules.open(REPO / "tests" / "rules" / "handbooks" / "decisions.pw")
    coach = {"id": "pending", "birth_date": "1990-06-15",
             "licences": [{"id": "c-licence", "issued": "2024-03-01"}]}
    w = rules.when(coach, "b_licence", as_of=AS_OF)
    decided = [c for c in w.blocking if c.label == "meets the 3.2 Rule"]
    assert decided and decided[0].decision == "needs a decision by the national coaching committee"
    assert all(c.decision is None for c in w.blocking if c.label != "meets the 3.2 Rule")
    p = rules.plan(coach, "b_licence", as_of=AS_OF)
    asks = [(a, d) for s in p.steps for a, d in zip(s.arrange, s.arrange_decision) if d]
    assert asks == [("meets the 3.2 Rule", "ask the national coaching committee for a decision on")]
    assert all(len(s.arrange_decision) == len(s.arrange) for s in p.steps)


def test_explain_totals_and_several_arguments():
    """What a definition with several arguments looked at, and the entries
    behind a computed total ("{...} adds 8"), read through the binding as
    the command prints them (tests/explain/seen-ladder.pw)."""
    path = REPO / "tests" / "explain" / "seen-ladder.pw"
    facts = REPO / "tests" / "golden" / "explain" / "seen.jsonl"
    rules = pathway_rules.Rules.open(path)
    want = pathway_cli("explain", str(path), "--facts", str(facts), "--as-of", "2026-06-01",
                       "--format", "json")
    coaches = [json.loads(line) for line in facts.read_text().splitlines()]
    for c, w in zip(coaches, want):
        assert explain_as_printed(rules.explain(c, as_of="2026-06-01"), w) == w
    e = rules.explain(coaches[0], as_of="2026-06-01", programs=["renewal"])
    points = e["renewal"].requirements[0].seen[0]
    assert (points.expr, points.value) == ("points_earned(2020-01-01, 2024-12-31)", "19")
    assert [x.rsplit(" adds ", 1)[1] for x in points.entries] == ["8", "11"]


def test_plan_says_how_to_arrange():
    """pw_plan_step.arrange_how: the words of a requirement's `arrange
    "..."` (tests/plan/ladder.pw), after arrange_decision in the struct."""
    rules = pathway_rules.Rules.open(REPO / "tests" / "plan" / "ladder.pw")
    coach = {"id": "dee", "birth_date": "1985-09-09", "coaching_since": "2015-01-01",
             "membership_expires": "2025-12-31",
             "licences": [{"code": "ussf-d", "awarded": "2023-05-01", "lapses": None}]}
    p = rules.plan(coach, "ussf_c", as_of="2026-06-01")
    assert [s.arrange for s in p.steps] == [("a U.S. Soccer membership",)]
    assert [s.arrange_how for s in p.steps] == [("renew your U.S. Soccer membership",)]
    assert [s.arrange_decision for s in p.steps] == [(None,)]
