"""The shortcuts taken for speed (bench/python.py, docs/python.md "Cost")
give exactly what the plain ways give: the JSON encoder made once, the
cached evaluation dates and the results cached under the line's part after
the id."""
from __future__ import annotations

import collections
import datetime
import json

import pytest

import pathway_rules
from pathway_rules import _dates, _rules
from pathway_rules._errors import UsageError

from conftest import AS_OF, USATF

HOSTILE = [
    {"id": "C\"1\u00e9/\u0001\\x\u2028\U0001f600", "birth_date": "1990-01-01"},
    {"id": "</script>", "n": 10**40, "m": -(2**63), "f": 1e300, "g": 0.1, "h": -0.0,
     "t": True, "u": None, "list": [1, [2, [3, {}]], []], "e": ""},
    {1: "int key", 2.5: "float key", None: "null key", True: "bool key"},
    {"tuple": (1, 2), "date": datetime.date(2026, 11, 23),
     "datetime": datetime.datetime(2026, 11, 23, 12, 30), "nan": float("nan"),
     "inf": float("inf"), "set": {"only"}},
    {"\u0000key": "nul\u0000", "\ud800": "lone surrogate"},
]


def _plain(obj):
    return json.JSONEncoder(default=_rules._json_default, ensure_ascii=False,
                            separators=(",", ":"), check_circular=False).encode(obj)


def test_the_encoder_made_once_writes_what_json_writes(coaches):
    assert _rules._encode is not _rules._json_encoder.encode  # the C encoder is in use here
    for rec in coaches:
        d = json.loads(rec)
        assert _rules._encode(d) == _plain(d) == json.dumps(d, ensure_ascii=False,
                                                             separators=(",", ":"))
    for d in HOSTILE:
        assert _rules._encode(d) == _plain(d)
    # Called again after an error: nothing of the failed call stays behind.
    for bad in ({"x": object()}, {"x": [1, {"y": object()}]}):
        with pytest.raises(TypeError, match="JSON cannot carry"):
            _rules._encode(bad)
        assert _rules._encode(HOSTILE[1]) == _plain(HOSTILE[1])


def test_without_a_c_encoder_json_encode_is_used(monkeypatch):
    enc = json.JSONEncoder(separators=(",", ":"), check_circular=False)
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    assert _rules._make_encode(enc) == enc.encode
    monkeypatch.undo()
    # Nor for encoders whose options the shortcut does not carry.
    for e in (json.JSONEncoder(indent=1), json.JSONEncoder(check_circular=True)):
        assert _rules._make_encode(e) == e.encode
    ascii_only = _rules._make_encode(json.JSONEncoder(ensure_ascii=True, check_circular=False))
    assert ascii_only({"a": "\u00e9"}) == '{"a": "\\u00e9"}'


def test_dicts_and_mappings_give_what_their_json_gives(usatf, coaches):
    for rec in coaches:
        d = json.loads(rec)
        want = usatf.evaluate(rec.encode(), as_of=AS_OF)
        assert usatf.evaluate(d, as_of=AS_OF) == want
        assert usatf.evaluate(collections.OrderedDict(d), as_of=AS_OF) == want
    weird = dict(json.loads(coaches[0]), id=HOSTILE[0]["id"])
    assert usatf.evaluate(weird, as_of=AS_OF).id == HOSTILE[0]["id"]


def test_cached_dates_convert_as_before():
    day = datetime.date(2026, 11, 23)
    want = day.toordinal() - datetime.date(1970, 1, 1).toordinal()
    assert _dates.to_pw(day) == want and _dates.to_pw(day) == want  # the second from the cache
    assert _dates.to_pw("2026-11-23") == want
    assert _dates.to_pw(datetime.datetime(2026, 11, 23, 23, 59)) == want
    for _ in range(2):  # a refused date is refused every time, never cached
        with pytest.raises(UsageError, match="outside the years 1800-2999"):
            _dates.to_pw(datetime.date(1700, 1, 1))
    for i in range(300):  # the cache stays bounded
        _dates.to_pw(datetime.date(2000, 1, 1) + datetime.timedelta(days=i))
    assert len(_dates._DAYS) <= 256
    with pytest.raises(UsageError, match="not a date"):
        _dates.to_pw([2026, 11, 23])  # type: ignore[arg-type]


def test_the_same_results_on_two_dates_keep_their_own_dates(coaches):
    rules = pathway_rules.Rules.open(USATF)  # its caches empty
    a = rules.evaluate(coaches[0], as_of="2026-11-23")
    b = rules.evaluate(coaches[0], as_of="2026-11-24")
    assert a.programs == b.programs  # the same results ...
    assert (a.as_of, b.as_of) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 24))
    assert a.line.endswith(b.line[b.line.index(',"results"'):])
    assert sum(map(len, rules._bodies.values())) == 2  # ... cached once per date
    again = rules.evaluate(coaches[0], as_of="2026-11-23")
    assert again == a and again.as_of == a.as_of and again.line == a.line


@pytest.mark.parametrize("coach_id", [
    'a","as_of":"2026-11-23","results":[', 'back\\slash', 'q"uote', '\\"', '\\', 'null', '',
    '\u00e9\u2028\U0001f600', '{"id":"x"}'])
def test_ids_the_quick_path_does_not_read_are_read_the_slow_way(usatf, coaches, coach_id):
    rec = dict(json.loads(coaches[0]), id=coach_id)
    r = usatf.evaluate(rec, as_of=AS_OF)
    assert r.id == coach_id == json.loads(r.line)["id"]
    assert r.programs == usatf.evaluate(coaches[0], as_of=AS_OF).programs


def test_results_sharing_a_fingerprint_are_told_apart(monkeypatch, coaches, expected):
    # Every part after an id made to share one fingerprint per length: each
    # is still found by its full bytes, and no list of them grows past 8.
    monkeypatch.setattr(_rules, "hash", lambda b: 0, raising=False)
    rules = pathway_rules.Rules.open(USATF)
    for days in range(0, 3000, 97):
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=days)
        for rec in coaches:
            r = rules.evaluate(rec, as_of=day)
            line = json.loads(r.line)
            assert r.as_of == day and r.id == line["id"]
            assert [(p.program, p.eligible, list(p.unmet), list(p.preferred_unmet)) for p in r] == \
                [(p["program"], p["eligible"], p["unmet"], p["preferred_unmet"]) for p in line["results"]]
    assert max(map(len, rules._bodies.values())) <= 8
    assert [rules.evaluate(rec, as_of=AS_OF).line for rec in coaches] == [e + "\n" for e in expected]


def test_the_last_date_is_reused_for_the_same_object_only(coaches):
    rules = pathway_rules.Rules.open(USATF)
    day = datetime.date(2026, 11, 23)
    assert rules.evaluate(coaches[0], as_of=day).as_of == day
    assert rules._last_day == (day, _dates.to_pw(day))
    assert rules.evaluate(coaches[0], as_of=day).as_of == day  # from _last_day
    assert rules.evaluate(coaches[0], as_of="2027-01-31").as_of == datetime.date(2027, 1, 31)
    assert rules.evaluate(coaches[0], as_of=datetime.date(2025, 2, 1)).as_of == datetime.date(2025, 2, 1)
    # None is "today", which changes: never taken from the last call.
    assert rules.evaluate(coaches[0]).as_of == datetime.date.today()
    assert rules._last_day[0] is None
    assert rules.evaluate(coaches[0]).as_of == datetime.date.today()
    with pytest.raises(UsageError):
        rules.evaluate(coaches[0], as_of="1700-01-01")
    assert rules.evaluate(coaches[0], as_of=day).as_of == day
