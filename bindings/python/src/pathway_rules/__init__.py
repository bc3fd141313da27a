"""pathway_rules: Pathway's qualification-pathway rules from Python.

A pure-Python binding, through ctypes, over the Pathway shared library
(libpathway.so.0). The library is found through the PATHWAY_LIBRARY
environment variable (a path to libpathway.so) when it is set, else on the
dynamic loader's search path. See docs/python.md.

    >>> import pathway_rules
    >>> rules = pathway_rules.Rules.open("rules/usatf/usatf.pw")
    >>> result = rules.evaluate({"id": "C1", "birth_date": "1990-01-01"}, as_of="2026-11-23")
    >>> result["level_2"].eligible
    False

A Rules object is shared between threads; each thread evaluates in a
context of its own, made on its first evaluation.
"""
from ._errors import (CompileError, EvalError, FactsError, FormatError, PathwayError,
                      PathwayIOError, PathwayMemoryError, UsageError)
from ._native import lib as _lib, library_name
from ._results import (Change, Eligibility, Explanation, Period, Plan, PlanStep,
                       ProgramExplanation, ProgramInfo, ProgramResult, RequirementExplanation,
                       Result, Seen)
from ._rules import Coach, Rules

__version__ = "0.1.0"

#: The loaded library's version ("0.1.0").
library_version: str = _lib.pw_version().decode()

__all__ = [
    "Rules", "Coach", "Result", "ProgramResult", "ProgramInfo",
    "Explanation", "ProgramExplanation", "RequirementExplanation", "Seen",
    "Eligibility", "Period", "Change", "Plan", "PlanStep",
    "PathwayError", "UsageError", "CompileError", "FormatError", "FactsError", "EvalError",
    "PathwayIOError", "PathwayMemoryError", "library_name", "library_version",
]
