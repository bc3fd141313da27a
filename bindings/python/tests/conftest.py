"""Shared fixtures. The tests run against the library named by
PATHWAY_LIBRARY (ctest sets it to the build tree's libpathway.so) and, for
comparisons, the `pathway` command named by PATHWAY_BIN."""
from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest

import pathway_rules

REPO = pathlib.Path(os.environ.get("PATHWAY_SOURCE") or pathlib.Path(__file__).resolve().parents[3])
USATF = REPO / "rules" / "usatf" / "usatf.pw"
ENGLAND = REPO / "rules" / "england-athletics" / "england-athletics.pw"
COACHES = REPO / "examples" / "coaches.jsonl"
EXPECTED = REPO / "examples" / "coaches.expected.jsonl"
AS_OF = "2026-11-23"  # the date coaches.expected.jsonl was made for


@pytest.fixture(scope="session")
def usatf() -> pathway_rules.Rules:
    return pathway_rules.Rules.open(USATF)


@pytest.fixture(scope="session")
def england() -> pathway_rules.Rules:
    return pathway_rules.Rules.open(ENGLAND)


@pytest.fixture(scope="session")
def coaches() -> list:
    return COACHES.read_text().splitlines()


@pytest.fixture(scope="session")
def expected() -> list:
    return EXPECTED.read_text().splitlines()


def pathway_cli(*args: str) -> list:
    """The `pathway` command's JSON lines (exit status 0 or 1: some coach not eligible)."""
    exe = os.environ.get("PATHWAY_BIN")
    if not exe:
        pytest.fail("PATHWAY_BIN is not set (ctest sets it to the build tree's pathway)")
    p = subprocess.run([exe, *args], capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    return [json.loads(line) for line in p.stdout.splitlines()]
