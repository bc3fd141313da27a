"""docs/python.md runs as written: its ```python blocks, in order, in one
namespace, from the repository's root; each block's printed output must be
the ```text block that follows it (before the next python block)."""
from __future__ import annotations

import contextlib
import io
import os
import re

from conftest import REPO

DOC = REPO / "docs" / "python.md"


def blocks() -> list:
    """(code, expected output or None) for each python block."""
    fenced = re.findall(r"^```(\w*)\n(.*?)^```$", DOC.read_text(), flags=re.M | re.S)
    out = []
    for lang, body in fenced:
        if lang == "python":
            out.append([body, None])
        elif lang == "text" and out and out[-1][1] is None:
            out[-1][1] = body
    return out


def test_the_worked_example_runs_as_written(monkeypatch):
    found = blocks()
    assert len(found) >= 8
    monkeypatch.chdir(REPO)  # the page's paths are relative to the repository
    namespace: dict = {"__name__": "__docs__"}
    checked = 0
    for n, (code, want) in enumerate(found):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"{DOC}:python block {n + 1}", "exec"), namespace)
        if want is not None:
            assert printed.getvalue() == want, f"python block {n + 1}"
            checked += 1
    assert checked >= 6
    # the example's answers, as the page states them
    outputs = "".join(want or "" for _, want in found)
    assert "Dev Patel: level_2 True -> False" in outputs
    assert "Ana Ruiz may enrol" in outputs


def test_the_page_names_the_environment_variable():
    text = DOC.read_text()
    assert "PATHWAY_LIBRARY" in text and "--system-site-packages" in text
    assert os.environ.get("PATHWAY_LIBRARY")
