#!/usr/bin/env python3
"""bench/python.py: what one coach costs from Python (bindings/python), next
to the C API on the same records (docs/python.md, "Cost").

    python3 bench/python.py [--build-dir DIR] [--records K] [--evals N] [--rounds R]
                            [--bindings SRC]

Builds bench/gen.c (the benchmark's population, docs/performance.md) and
bench/coarse.c against DIR's libpathway.a into a scratch directory, generates
K records, and times, round-robin over them, N coaches each way (best of R
rounds; the C, bytes and dict runs in turn within each round, with each
round's ratios, their minimum and median printed):

  C coarse       pw_eval_json into a buffer: record in, eval line out (bench/coarse.c)
  C fine         the same line from pw_evaluate_all and the pw_result_* calls (coarse.c)
  py evaluate    Rules.evaluate(json_bytes) and reading every result: each
                 program's id, title, eligible, status, unmet and preferred-unmet labels;
                 a new Rules for each round, so what it parsed before counts once
  C from tree    the coarse call for a C host holding the record as a structure (a
                 cJSON tree) that writes it as JSON first: the C side of "from a dict"
  py from dict   the same from a dict (json.dumps on the way in)
  py line only   Rules' one ctypes call alone, without parsing the line
  py fine        the same results read call by call through ctypes (70-88 calls a coach):
                 what the one call avoids

The goal (issue 15): py evaluate and py from dict at most 3x C coarse. DIR defaults to
build-bench (what bench/run.sh builds, Release) when it exists, else build.
Nothing is written into the repository; the scratch directory is removed.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import pathlib
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent


def sh(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def pkg(flag: str, name: str) -> list:
    return shlex.split(sh("pkg-config", flag, name))


def best_ns(make, records: list, evals: int, rounds: int) -> tuple:
    """Best of `rounds` runs over `evals` records, round-robin: (wall, CPU)
    ns per record, each the best of the runs. make() gives the function to
    time, afresh for each round (new Rules: nothing parsed in an earlier
    round is reused). CPU time is the process's (time.process_time_ns):
    what the load of other processes inflates least."""
    n = len(records)
    work = [records[i % n] for i in range(evals)]
    best = best_cpu = None
    for _ in range(rounds):
        fn = make()
        t0, c0 = time.perf_counter_ns(), time.process_time_ns()
        for rec in work:
            fn(rec)
        t, c = time.perf_counter_ns() - t0, time.process_time_ns() - c0
        best = t if best is None or t < best else best
        best_cpu = c if best_cpu is None or c < best_cpu else best_cpu
    return best / evals, best_cpu / evals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir")
    ap.add_argument("--records", type=int, default=100000)
    ap.add_argument("--evals", type=int, default=0, help="default: --records (each record once)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--bindings", default=str(REPO / "bindings" / "python" / "src"),
                    help="the directory holding the pathway_rules package to time "
                         "(another checkout's, to compare)")
    ap.add_argument("--as-of", default="2026-11-23")
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--rules", default=str(REPO / "rules" / "usatf" / "usatf.pw"))
    a = ap.parse_args()
    a.evals = a.evals or a.records
    build = pathlib.Path(a.build_dir or (REPO / "build-bench" if (REPO / "build-bench").is_dir()
                                         else REPO / "build")).resolve()
    so, archive = build / "libpathway.so", build / "libpathway.a"
    for f in (so, archive):
        if not f.exists():
            print(f"bench/python.py: {f} is missing: build pathway first (cmake --build {build})",
                  file=sys.stderr)
            return 1
    os.environ["PATHWAY_LIBRARY"] = str(so)
    sys.path.insert(0, str(pathlib.Path(a.bindings).resolve()))
    sys.dont_write_bytecode = True
    import pathway_rules
    from pathway_rules import _native, _rules

    with tempfile.TemporaryDirectory(prefix="pathway-bench-python-") as tmp:
        coarse, lines = prepare(a, archive, pathlib.Path(tmp))
        return measure(a, so, coarse, lines, pathway_rules, _native, _rules)


def prepare(a, archive: pathlib.Path, t: pathlib.Path):
    """Builds gen and coarse into t, generates the records: coarse's command
    line and the records."""
    cflags = ["-std=c11", "-O3", "-DNDEBUG"]
    sh("cc", *cflags, str(REPO / "bench" / "gen.c"), "-o", str(t / "gen"))
    sh("cc", *cflags, *pkg("--cflags", "libcjson"), f"-I{REPO / 'include'}",
       str(REPO / "bench" / "coarse.c"), "-o", str(t / "coarse"), str(archive),
       *pkg("--libs", "libcjson"), *pkg("--libs", "yajl"), "-lm")
    facts = t / "coaches.jsonl"
    sh(str(t / "gen"), "--records", str(a.records), "--seed", str(a.seed), "--as-of", a.as_of,
       "-o", str(facts))
    coarse = [str(t / "coarse"), a.rules, str(facts), "--as-of", a.as_of, "--coaches",
              str(a.records), "--evals", str(a.evals), "--rounds", "1"]
    return coarse, facts.read_bytes().splitlines()


def measure(a, so, coarse: list, lines: list, pathway_rules, _native, _rules) -> int:
    rules = pathway_rules.Rules.open(a.rules)
    dicts = [json.loads(x) for x in lines]

    def read_all(result) -> int:
        n = 0
        for p in result:
            n += len(p.program) + len(p.title) + p.eligible + len(p.status) + len(p.unmet) \
                + len(p.preferred_unmet)
        return n

    def evaluating():
        fresh = pathway_rules.Rules.open(a.rules)

        def evaluate(rec) -> None:
            read_all(fresh.evaluate(rec, as_of=a.as_of))
        evaluating.last = fresh
        return evaluate

    import datetime
    day = datetime.date.fromisoformat(a.as_of)
    pw_day = day.toordinal() - datetime.date(1970, 1, 1).toordinal()
    ctx = rules._context()

    def line_only(rec) -> None:
        ctx.eval_line(rec, pw_day)

    fine = fine_reader(_native.lib, rules, ctx, pw_day)
    # Every way gives the same results (checked on every record first).
    for rec in lines:
        r = rules.evaluate(rec, as_of=day)
        assert fine(rec) == [(p.program, p.eligible, p.unmet, p.preferred_unmet) for p in r]
        assert r == rules.evaluate(json.loads(rec), as_of=day)
    fine_calls = fine.calls / len(lines)

    # The goal's sides, measured in turn within each round (C coarse, then
    # Python from bytes, then from a dict), so that a busy machine slows
    # them alike; each round gives its own ratios, and the rounds' minimum
    # and median are reported (the minimum is the least disturbed run; the
    # median says how typical it is).
    keys = ("ns_per_coach", "fine_ns_per_coach", "cpu_ns_per_coach", "fine_cpu_ns_per_coach",
            "tree_ns_per_coach", "tree_cpu_ns_per_coach")
    c_runs: dict = {k: [] for k in keys}
    py_runs: list = []
    dict_runs: list = []
    for _ in range(a.rounds):
        out = sh(*coarse)
        c = dict(kv.split("=") for kv in out.split(":", 1)[1].split())
        for k in keys:
            c_runs[k].append(float(c[k]))
        py_runs.append(best_ns(evaluating, lines, a.evals, 1))
        dict_runs.append(best_ns(evaluating, dicts, a.evals, 1))
    base = list(zip(c_runs["ns_per_coach"], c_runs["cpu_ns_per_coach"]))
    rows = [
        ("C coarse", base, "pw_eval_json: 1 call (bench/coarse.c)"),
        ("C fine", list(zip(c_runs["fine_ns_per_coach"], c_runs["fine_cpu_ns_per_coach"])),
         f"{float(c['fine_calls_per_coach']):.0f} calls: pw_result_* (bench/coarse.c)"),
        ("C from tree", list(zip(c_runs["tree_ns_per_coach"], c_runs["tree_cpu_ns_per_coach"])),
         "the record held as a cJSON tree, written as JSON, then 1 call (bench/coarse.c)"),
        ("py evaluate", py_runs, "Rules.evaluate(bytes) + reading every result"),
        ("py from dict", dict_runs, "Rules.evaluate(dict) + reading every result"),
        ("py line only", [best_ns(lambda: line_only, lines, a.evals, a.rounds)],
         "the one ctypes call, line not parsed (best of the rounds)"),
        ("py fine", [best_ns(lambda: fine, lines, max(a.evals // 10, 1), a.rounds)],
         f"ctypes call by call ({fine_calls:.0f} calls a coach; best of the rounds)"),
    ]
    print(f"rules {pathlib.Path(a.rules).name}, {len(lines)} generated records, as of {a.as_of}, "
          f"{a.evals} evaluations, {a.rounds} rounds; library {so}; pathway_rules from "
          f"{pathlib.Path(pathway_rules.__file__).parent}")
    print(f"load average: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    last = evaluating.last
    print(f"distinct results parsed: {len(last._parsed)} program results, "
          f"{sum(map(len, last._bodies.values()))} whole-coach results "
          f"(the caches hold {_rules._PARSED_MAX} each)")

    def ratios(runs: list, i: int) -> list:
        # Round by round (the same round's C run) where there is one run a
        # round; else against the C runs' best.
        if len(runs) == len(base):
            return [r[i] / b[i] for r, b in zip(runs, base)]
        return [r[i] / min(b[i] for b in base) for r in runs]

    print(f"{'':14}{'wall ns/coach':>16}{'x C (wall)':>14}{'CPU ns/coach':>16}{'x C (CPU)':>14}")
    print(f"{'':14}{'min':>8}{'median':>8}{'min':>7}{'median':>7}{'min':>8}{'median':>8}"
          f"{'min':>7}{'median':>7}  what")
    for name, runs, what in rows:
        cols = ""
        for i in (0, 1):
            vals, rs = [r[i] for r in runs], ratios(runs, i)
            cols += (f"{min(vals):8.0f}{statistics.median(vals):8.0f}"
                     f"{min(rs):7.2f}{statistics.median(rs):7.2f}")
        print(f"{name:14}{cols}  {what}")
    for name, runs in (("py evaluate", py_runs), ("py from dict", dict_runs)):
        wall, cpu = statistics.median(ratios(runs, 0)), statistics.median(ratios(runs, 1))
        print(f"goal: {name} <= 3x C coarse (median of the rounds): {wall:.2f}x wall, "
              f"{cpu:.2f}x CPU, {'met' if max(wall, cpu) <= 3 else 'NOT met'}")
    # A dict is a record held as a structure: the same work in C writes it
    # as JSON too (the tree row), round by round.
    tree = rows[2][1]
    same = [statistics.median([r[i] / t[i] for r, t in zip(dict_runs, tree)]) for i in (0, 1)]
    print(f"py from dict next to C from tree (the same work: a structure written as JSON, "
          f"then evaluated): {same[0]:.2f}x wall, {same[1]:.2f}x CPU (median of the rounds)")
    return 0


def fine_reader(lib, rules, ctx, day: int):
    """The results read one ctypes call at a time, as a host without
    pw_eval_json would (the prototypes of issue 15)."""
    from ctypes import c_bool, c_char_p, c_int, c_int32, c_size_t, c_void_p
    from pathway_rules import _native
    sig = {"pw_context_set_json": (c_int, [c_void_p, c_char_p, c_size_t, ctypes.POINTER(_native.Error)]),
           "pw_evaluate_all": (c_int, [c_void_p, c_int32, ctypes.POINTER(_native.Error)]),
           "pw_result_eligible": (c_bool, [c_void_p, c_size_t]),
           "pw_result_unmet_count": (c_size_t, [c_void_p, c_size_t]),
           "pw_result_unmet_label": (c_char_p, [c_void_p, c_size_t, c_size_t]),
           "pw_result_preferred_unmet_count": (c_size_t, [c_void_p, c_size_t]),
           "pw_result_preferred_unmet_label": (c_char_p, [c_void_p, c_size_t, c_size_t])}
    for name, (res, args) in sig.items():
        getattr(lib, name).restype, getattr(lib, name).argtypes = res, args
    prog = rules._program.ptr
    err = _native.Error()

    def read(rec):
        calls = 2
        if lib.pw_context_set_json(ctx.ptr, rec, len(rec), ctypes.byref(err)) or \
                lib.pw_evaluate_all(ctx.ptr, day, ctypes.byref(err)):
            raise RuntimeError(err.message.decode())
        out = []
        n = lib.pw_program_count(prog)
        calls += 1
        for p in range(n):
            calls += 1
            if not lib.pw_program_is_first_version(prog, p):
                continue
            pid = lib.pw_program_id(prog, p).decode()
            ok = lib.pw_result_eligible(ctx.ptr, p)
            u = lib.pw_result_unmet_count(ctx.ptr, p)
            unmet = tuple(lib.pw_result_unmet_label(ctx.ptr, p, i).decode() for i in range(u))
            f = lib.pw_result_preferred_unmet_count(ctx.ptr, p)
            pref = tuple(lib.pw_result_preferred_unmet_label(ctx.ptr, p, i).decode()
                         for i in range(f))
            calls += 4 + u + f
            out.append((pid, ok, unmet, pref))
        read.calls += calls
        return out

    read.calls = 0
    return read


if __name__ == "__main__":
    sys.exit(main())
