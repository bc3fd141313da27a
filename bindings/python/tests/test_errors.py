"""Bad rules, bad bytecode, bad facts and unknown programs: exceptions that
carry the library's diagnostic (status, message, file, line, column, field),
never a crash of the interpreter."""
from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest

import pathway_rules
from pathway_rules import (CompileError, EvalError, FactsError, FormatError, PathwayError,
                           PathwayIOError, UsageError)
from conftest import AS_OF, USATF

BAD_RULES = """include "../common/coach.pw"
program x "X" {
  require "adult": agee >= 18
}
"""
ADULT = '{"id":"A1","birth_date":"1990-01-01"}'


def test_bad_rules_give_file_line_column_and_diagnostics():
    name = str(USATF.parent / "bad.pw")
    with pytest.raises(CompileError) as info:
        pathway_rules.Rules.compile(BAD_RULES, name=name)
    e = info.value
    assert isinstance(e, PathwayError)
    assert e.status == "PW_ERR_COMPILE"
    assert (e.file, e.line, e.column) == (name, 3, 20)
    assert e.message == f"{name}:3:20: unknown name `agee`"
    assert str(e) == e.message
    assert e.field is None
    assert "did you mean `age`?" in e.diagnostics
    assert "1 error generated." in e.diagnostics


def test_bad_rules_in_a_file(tmp_path):
    path = tmp_path / "bad.pw"
    path.write_text('program x "X" {\n  require "a": 1 +\n}\n')
    with pytest.raises(CompileError) as info:
        pathway_rules.Rules.open(path)
    assert info.value.file == str(path)
    assert info.value.line == 3 and info.value.column == 1
    assert str(path) in info.value.diagnostics


def test_missing_file_and_bad_bytecode():
    with pytest.raises(PathwayIOError) as info:
        pathway_rules.Rules.open("/nonexistent/rules.pw")
    assert info.value.status == "PW_ERR_IO"
    assert "cannot open /nonexistent/rules.pw" in info.value.message
    assert isinstance(info.value, OSError)
    with pytest.raises(FormatError, match="bad magic") as info:
        pathway_rules.Rules.load(b"garbage")
    assert info.value.status == "PW_ERR_FORMAT"
    data = pathway_rules.Rules.open(USATF).save()
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0xFF
    with pytest.raises(FormatError):
        pathway_rules.Rules.load(bytes(damaged))


@pytest.mark.parametrize("record, message, field, line, column", [
    ('{"id":"B1","birth_date":"1990-02-30"}',
     '`birth_date`: invalid date "1990-02-30" (expected a real day as YYYY-MM-DD, years 1800-2999)',
     "birth_date", None, None),
    ('{"id":"B2","birth_date":"1990-01-01","certificates":[{"id":"x"}]}',
     "`certificates[0]`: missing required field `issued`", "certificates[0].issued", None, None),
    ('{"id":"B5"}', "missing required field `birth_date`", "birth_date", None, None),
    ('{"id":"B3","birth_date":"1990-01-01","athletes_coached":"many"}', None,
     "athletes_coached", None, None),
    ('{"id":"B4",\n "birth_date": 1990-01-01}', "invalid JSON at byte 31", None, 2, 20),
    ("[]", "expected a JSON object, got an array", None, None, None),
])
def test_bad_facts_name_the_field(usatf, record, message, field, line, column):
    with pytest.raises(FactsError) as info:
        usatf.evaluate(record, as_of=AS_OF)
    e = info.value
    assert e.status == "PW_ERR_FACTS"
    if message is not None:
        assert e.message == message
    assert (e.field, e.line, e.column) == (field, line, column)
    assert isinstance(e, ValueError)


def test_the_context_works_after_an_error(usatf, expected, coaches):
    with pytest.raises(FactsError):
        usatf.evaluate("{", as_of=AS_OF)
    assert usatf.evaluate(coaches[0], as_of=AS_OF).line == expected[0] + "\n"


def test_evaluate_many_raises_or_yields_errors(usatf, coaches):
    batch = [coaches[0], '{"id":"bad"}', coaches[1]]
    with pytest.raises(FactsError, match="missing required field `birth_date`"):
        list(usatf.evaluate_many(batch, as_of=AS_OF))
    out = list(usatf.evaluate_many(batch, as_of=AS_OF, errors="yield"))
    assert [type(x) for x in out] == [pathway_rules.Result, FactsError, pathway_rules.Result]
    assert [out[0].id, out[2].id] == ["C0001", "C0002"]
    with pytest.raises(UsageError):
        list(usatf.evaluate_many(batch, errors="ignore"))


def test_unknown_program(usatf):
    for ask in (lambda: usatf.when(ADULT, "level_9", as_of=AS_OF),
                lambda: usatf.plan(ADULT, "level_9", as_of=AS_OF),
                lambda: usatf.explain(ADULT, as_of=AS_OF, programs=["level_2", "level_9"])):
        with pytest.raises(UsageError) as info:
            ask()
        assert info.value.status == "PW_ERR_USAGE"
        assert info.value.message == "no program `level_9` in this rule set"


def test_bad_arguments(usatf):
    with pytest.raises(UsageError, match="not a date: '2026-13-01'"):
        usatf.evaluate(ADULT, as_of="2026-13-01")
    with pytest.raises(UsageError, match="not a date"):
        usatf.evaluate(ADULT, as_of=20261123)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="outside the years 1800-2999"):
        usatf.evaluate(ADULT, as_of=datetime.date(1, 1, 1))
    with pytest.raises(UsageError, match="outside the years 1800-2999"):
        usatf.evaluate(ADULT, as_of="3000-01-01")
    with pytest.raises(UsageError, match="horizon"):
        usatf.when(ADULT, "level_1", as_of=AS_OF, horizon_days=-3)
    with pytest.raises(UsageError, match="horizon"):
        usatf.when(ADULT, "level_1", as_of=AS_OF, horizon_days=200 * 366)


def test_runtime_error_is_an_eval_error():
    rules = pathway_rules.Rules.compile(
        'include "../common/coach.pw"\n'
        'program p "P" {\n  require "huge": athletes_coached * 9223372036854775807 > 0\n}\n',
        name=str(USATF.parent / "overflow.pw"))
    with pytest.raises(EvalError) as info:
        rules.evaluate({"id": "E", "birth_date": "1990-01-01", "athletes_coached": 2}, as_of=AS_OF)
    assert info.value.status == "PW_ERR_EVAL"
    assert "overflow" in info.value.message


def test_library_not_found_is_a_clear_import_error(tmp_path):
    env = dict(os.environ, PATHWAY_LIBRARY=str(tmp_path / "libpathway.so"))
    p = subprocess.run([sys.executable, "-c", "import pathway_rules"], env=env,
                       capture_output=True, text=True)
    assert p.returncode == 1
    assert "ImportError: pathway_rules: cannot load the Pathway library" in p.stderr
    assert str(tmp_path / "libpathway.so") in p.stderr
    assert "set PATHWAY_LIBRARY" in p.stderr


def test_not_a_pathway_library_is_refused(tmp_path):
    # Some other shared library: libc has none of the pw_ calls.
    import ctypes.util
    libc = ctypes.util.find_library("c")
    env = dict(os.environ, PATHWAY_LIBRARY=libc)
    p = subprocess.run([sys.executable, "-c", "import pathway_rules"], env=env,
                       capture_output=True, text=True)
    assert p.returncode == 1
    assert "has no pw_version" in p.stderr
