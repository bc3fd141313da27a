"""Evaluation: the results are what `pathway eval` prints, as plain objects."""
from __future__ import annotations

import datetime
import json

import pytest

import pathway_rules
from conftest import AS_OF, COACHES, ENGLAND, USATF, pathway_cli


def test_lines_are_the_expected_output(usatf, coaches, expected):
    assert len(coaches) == len(expected) == 8
    for record, want in zip(coaches, expected):
        assert usatf.evaluate(record, as_of=AS_OF).line == want + "\n"


def test_objects_carry_every_field_of_the_line(usatf, coaches, expected):
    titles = {p.id: p.title for p in usatf.programs}
    for record, want in zip(coaches, expected):
        w = json.loads(want)
        r = usatf.evaluate(record, as_of=datetime.date(2026, 11, 23))
        assert r.id == w["id"]
        assert r.as_of == datetime.date(2026, 11, 23)
        assert [p.program for p in r] == [x["program"] for x in w["results"]]
        for p, x in zip(r, w["results"]):
            assert isinstance(p, pathway_rules.ProgramResult)
            assert p.title == titles[p.program]
            assert p.eligible is x["eligible"]
            assert p.status == ("eligible" if x["eligible"] else "not_eligible")
            assert p.unmet == tuple(x["unmet"])
            assert p.preferred_unmet == tuple(x["preferred_unmet"])
            assert p.in_force is None
        assert r.eligible == [x["program"] for x in w["results"] if x["eligible"]]


def test_specific_verdicts(usatf, coaches):
    c1 = usatf.evaluate(coaches[0], as_of=AS_OF)
    assert c1.id == "C0001"
    assert c1["level_2"].eligible is False
    assert c1["level_2"].unmet == ("at least 18 years of age", "current USATF Level 1 certificate",
                                   "at least two years of coaching experience")
    assert c1["partner_courses"].eligible is True
    assert c1["instructor_training"].preferred_unmet == (
        "classroom teaching or public speaking experience, or an advanced degree in sport science",)
    assert "level_2" in c1 and "level_9" not in c1
    with pytest.raises(KeyError):
        c1["level_9"]


def test_dict_str_and_bytes_give_the_same_result(usatf, coaches):
    for record in coaches:
        as_dict = usatf.evaluate(json.loads(record), as_of=AS_OF)
        assert as_dict == usatf.evaluate(record, as_of=AS_OF)
        assert as_dict == usatf.evaluate(record.encode(), as_of=AS_OF)
        assert as_dict == usatf.evaluate(bytearray(record.encode()), as_of=AS_OF)


def test_dates_in_a_dict_are_written_as_iso_dates(usatf):
    coach = {"id": "D1", "birth_date": datetime.date(1990, 7, 2),
             "coaching_since": datetime.date(2020, 1, 1),
             "memberships": [{"body": "usatf", "expires": datetime.date(2027, 8, 14)}],
             "certificates": [{"id": "usatf-level-1", "issued": datetime.date(2021, 1, 1),
                               "expires": None}]}
    r = usatf.evaluate(coach, as_of="2026-11-23")
    assert r["level_2"].eligible is True
    with pytest.raises(TypeError, match="JSON cannot carry"):
        usatf.evaluate({"id": "D2", "birth_date": object()})
    with pytest.raises(TypeError, match="a coach is a dict or JSON text"):
        usatf.evaluate(42)  # type: ignore[arg-type]


def test_as_of_defaults_to_today(usatf, coaches):
    r = usatf.evaluate(coaches[2])
    assert r.as_of == datetime.date.today()
    assert usatf.evaluate(coaches[2], as_of=datetime.datetime(2026, 11, 23, 15, 0)).as_of == \
        datetime.date(2026, 11, 23)


def test_evaluate_many_is_a_generator_in_input_order(usatf, coaches, expected):
    gen = usatf.evaluate_many(iter(coaches), as_of=AS_OF)
    assert iter(gen) is gen
    lines = [r.line for r in gen]
    assert lines == [e + "\n" for e in expected]
    dicts = (json.loads(c) for c in coaches)
    assert [r.id for r in usatf.evaluate_many(dicts, as_of=AS_OF)] == \
        [json.loads(e)["id"] for e in expected]


def test_programs(usatf):
    ids = [p.id for p in usatf.programs]
    assert ids[:3] == ["developmental_coach", "bridge_to_level_1", "level_1"]
    assert len(ids) == 11
    assert usatf.programs[3] == pathway_rules.ProgramInfo("level_2", "USATF Level 2 Program", False)


@pytest.mark.parametrize("as_of", ["2026-05-01", "2026-11-23", "2027-09-30"])
def test_dated_programs_match_pathway_eval(england, coaches, as_of):
    want = pathway_cli("eval", str(ENGLAND), "--facts", str(COACHES), "--as-of", as_of,
                       "--format", "jsonl")
    got = list(england.evaluate_many(coaches, as_of=as_of))
    assert [json.loads(r.line) for r in got] == want
    statuses = set()
    for r, w in zip(got, want):
        for p, x in zip(r, w["results"]):
            assert p.status == x.get("status", "eligible" if x["eligible"] else "not_eligible")
            statuses.add(p.status)
            if "in_force" in x:
                f, u = x["in_force"]["from"], x["in_force"]["until"]
                assert p.in_force == (f and datetime.date.fromisoformat(f),
                                      u and datetime.date.fromisoformat(u))
            else:
                assert p.in_force is None
    assert "eligible" in statuses and "not_eligible" in statuses


WINDOWED = """include "../common/coach.pw"
program course "Course" enrolment open from 2027-03-01 until 2027-09-15 - 3 months {
  require "adult": age >= 18
}
program always "Always" {
  require "adult": age >= 18
}
"""


def test_enrolment_window_statuses():
    rules = pathway_rules.Rules.compile(WINDOWED, name=str(USATF.parent / "windowed.pw"))
    window = (datetime.date(2027, 3, 1), datetime.date(2027, 6, 15))
    young = {"id": "Y", "birth_date": "2012-01-01"}
    r = rules.evaluate(young, as_of="2027-06-16")
    # Closed, and the requirements still evaluated: the coach sees what else is missing.
    assert r["course"] == pathway_rules.ProgramResult(
        "course", "Course", False, "closed", ("adult",), (), None, window)
    assert r["always"] == pathway_rules.ProgramResult("always", "Always", False, "not_eligible", ("adult",), ())
    r = rules.evaluate({"id": "A", "birth_date": "1990-01-01"}, as_of="2027-02-28")
    assert r["course"].status == "not_yet_open" and not r["course"].eligible and r["course"].unmet == ()
    r = rules.evaluate({"id": "A", "birth_date": "1990-01-01"}, as_of="2027-06-15")
    assert r["course"].status == "eligible" and r["course"].enrolment == window
    e = rules.explain(young, as_of="2027-06-16", programs=["course"])
    assert e.programs[0].verdict == "closed" and e.programs[0].enrolment == window
    assert [x.label for x in e.programs[0].unmet] == ["adult"]
    w = rules.when({"id": "A", "birth_date": "1990-01-01"}, "course", as_of="2027-01-01", horizon_days=365)
    assert [(p.start, p.until) for p in w.periods] == [window]
    assert [c.kind for c in w.periods[0].starts] == ["opens"]
    assert [c.kind for c in w.periods[0].ends] == ["closes"]


MINI = """include "../common/coach.pw"
program old "Old" effective until 2026-01-31 {
  require "adult": age >= 18
}
program new "New" effective from 2030-01-01 {
  require "adult": age >= 18
}
program always "Always" {
  require "adult": age >= 18
}
"""


def test_withdrawn_and_not_yet_in_force():
    rules = pathway_rules.Rules.compile(MINI, name=str(USATF.parent / "mini.pw"))
    assert [(p.id, p.dated) for p in rules.programs] == \
        [("old", True), ("new", True), ("always", False)]
    r = rules.evaluate({"id": "M", "birth_date": "1990-01-01"}, as_of="2026-11-23")
    assert r["old"] == pathway_rules.ProgramResult(
        "old", "Old", False, "withdrawn", (), (), (None, datetime.date(2026, 1, 31)))
    assert r["new"] == pathway_rules.ProgramResult(
        "new", "New", False, "not_yet_in_force", (), (), (datetime.date(2030, 1, 1), None))
    assert r["always"] == pathway_rules.ProgramResult("always", "Always", True, "eligible", (), ())


def test_save_and_load(usatf, coaches, expected):
    data = usatf.save()
    assert isinstance(data, bytes) and len(data) > 100
    again = pathway_rules.Rules.load(data)
    assert [p.id for p in again.programs] == [p.id for p in usatf.programs]
    assert again.evaluate(coaches[1], as_of=AS_OF).line == expected[1] + "\n"
    assert again.save() == data


def test_compile_from_text_with_includes(coaches, expected):
    rules = pathway_rules.Rules.compile(USATF.read_text(), name=str(USATF))
    assert rules.evaluate(coaches[3], as_of=AS_OF).line == expected[3] + "\n"


def test_a_big_record_grows_the_buffer(usatf):
    # A line longer than the first buffer: an id of 20,000 characters.
    coach = {"id": "X" * 20000, "birth_date": "1990-01-01"}
    r = usatf.evaluate(coach, as_of=AS_OF)
    assert r.id == "X" * 20000
    assert r["level_1"].eligible is False
    assert usatf.evaluate({"id": "small", "birth_date": "1990-01-01"}, as_of=AS_OF).id == "small"


def test_close(coaches):
    rules = pathway_rules.Rules.open(USATF)
    with rules:
        rules.evaluate(coaches[0], as_of=AS_OF)
    with pytest.raises(pathway_rules.UsageError, match="closed"):
        rules.evaluate(coaches[0], as_of=AS_OF)


@pytest.mark.parametrize("coach_id", ['a"b', "back\\slash", "é✓ 名前", '},{"program":"x",', "",
                                      ',"results":[', "tab\tnew\nline"])
def test_ids_that_need_escaping(usatf, coach_id):
    coach = {"id": coach_id, "birth_date": "1990-01-01"}
    r = usatf.evaluate(coach, as_of=AS_OF)
    assert r.id == coach_id
    assert json.loads(r.line)["id"] == coach_id
    assert [p.program for p in r] == [p.id for p in usatf.programs]
    plain = usatf.evaluate({"id": "plain", "birth_date": "1990-01-01"}, as_of=AS_OF)
    assert r.programs == plain.programs


def test_a_record_without_a_text_id():
    # `id` is required text in the shipped rules; a rule set without one gives id None.
    rules = pathway_rules.Rules.compile(
        'facts f {\n  n: integer = 0\n}\nprogram p "P" {\n  require "n": n > 1\n}\n')
    r = rules.evaluate({"n": 2}, as_of=AS_OF)
    assert r.id is None
    assert r["p"] == pathway_rules.ProgramResult("p", "P", True, "eligible", (), ())
    assert r.line == '{"id":null,"as_of":"2026-11-23","results":[{"program":"p","eligible":true,' \
        '"unmet":[],"preferred_unmet":[]}]}\n'
