"""pip install of bindings/python into a fresh venv (--system-site-packages,
no network: --no-build-isolation --no-index), then import it from outside
the source tree, finding the library through PATHWAY_LIBRARY and through the
loader's path. Everything is written inside pytest's temporary directory:
the package is copied there first, because pip builds in the directory it
is given."""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import AS_OF, EXPECTED, REPO, USATF

PACKAGE = REPO / "bindings" / "python"


def need(module: str) -> None:
    p = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True)
    if p.returncode != 0:
        msg = f"{sys.executable} has no {module} (Debian: bash scripts/deps.sh test)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> pathlib.Path:
    for m in ("pip", "setuptools", "wheel", "venv"):
        need(m)
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "pathway-rules"
    shutil.copytree(PACKAGE, src, ignore=shutil.ignore_patterns("__pycache__", "build",
                                                                "*.egg-info"))
    env_dir = tmp / "venv"
    # --without-pip: Debian's pip (python3-pip) is seen through the system site-packages
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    env = clean_env(tmp)
    p = subprocess.run([str(py), "-m", "pip", "install", "--no-build-isolation", "--no-index",
                        "--no-cache-dir", "--disable-pip-version-check", str(src)],
                       env=env, cwd=tmp, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Successfully installed pathway-rules-0.1.0" in p.stdout
    return env_dir


def clean_env(tmp: pathlib.Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PATHWAY_LIBRARY", "LD_LIBRARY_PATH")}
    env.update(HOME=str(tmp), XDG_CACHE_HOME=str(tmp / "cache"), PYTHONDONTWRITEBYTECODE="1")
    return env


SCRIPT = f"""
import json, sys, pathway_rules
rules = pathway_rules.Rules.open({str(USATF)!r})
r = rules.evaluate(open({str(REPO / "examples" / "coaches.jsonl")!r}).readline(), as_of={AS_OF!r})
print(json.dumps({{"file": pathway_rules.__file__, "line": r.line,
                  "library": pathway_rules.library_name,
                  "version": pathway_rules.library_version}}))
"""


def run_installed(venv: pathlib.Path, **extra: str) -> dict:
    env = clean_env(venv.parent)
    env.update(extra)
    p = subprocess.run([str(venv / "bin" / "python"), "-c", SCRIPT], env=env, cwd=venv.parent,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_installed_package_imports_with_pathway_library(venv):
    lib = os.environ["PATHWAY_LIBRARY"]
    got = run_installed(venv, PATHWAY_LIBRARY=lib)
    assert pathlib.Path(got["file"]).is_relative_to(venv)
    assert "site-packages" in got["file"]
    assert got["line"] == EXPECTED.read_text().splitlines()[0] + "\n"
    assert got["library"] == lib
    assert got["version"] == "0.1.0"
    typed = pathlib.Path(got["file"]).parent / "py.typed"
    assert typed.exists()


def test_installed_package_finds_the_library_on_the_loader_path(venv):
    lib_dir = str(pathlib.Path(os.environ["PATHWAY_LIBRARY"]).resolve().parent)
    got = run_installed(venv, LD_LIBRARY_PATH=lib_dir)
    assert got["library"] == "libpathway.so.0"
    assert got["line"] == EXPECTED.read_text().splitlines()[0] + "\n"


def test_installed_package_without_the_library_says_what_to_do(venv):
    env = clean_env(venv.parent)
    env["PATHWAY_LIBRARY"] = str(venv.parent / "nowhere" / "libpathway.so")
    p = subprocess.run([str(venv / "bin" / "python"), "-c", "import pathway_rules"], env=env,
                       capture_output=True, text=True)
    assert p.returncode == 1
    assert "cannot load the Pathway library" in p.stderr and "PATHWAY_LIBRARY" in p.stderr


def test_the_source_tree_stays_clean():
    # pip builds in the directory it is given: here, the copy
    left = [p for p in PACKAGE.rglob("*") if p.name == "build" or p.name.endswith(".egg-info")]
    assert left == []
