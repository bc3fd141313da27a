#!/usr/bin/env python3
"""Per-directory coverage of src/ from gcovr's JSON summary, checked against
floors that can only rise (tests/coverage-floor.txt; scripts/coverage.sh).

usage: coverage_floor.py SUMMARY.json FLOOR.txt [--update]

Prints a table (lines and branches, covered/total and %, per directory and
for all of src/), then fails (exit 1) naming each directory whose lines or
branches are below its floor. --update rewrites the floor file with this
measurement less SLACK points, rounded down to 0.1, keeping any floor that
is higher."""
import json
import math
import sys


def per_directory(summary):
    dirs = {}
    for f in summary["files"]:
        name = f["filename"]
        d = name.rsplit("/", 1)[0] if "/" in name else "."
        for key in ("src", d):
            t = dirs.setdefault(key, [0, 0, 0, 0])
            t[0] += f["line_covered"]
            t[1] += f["line_total"]
            t[2] += f["branch_covered"]
            t[3] += f["branch_total"]
    return dirs


def pct(covered, total):
    return 100.0 * covered / total if total else 100.0


# A floor is written this far below the measurement: a few branches depend
# on timing (the language server's debounce, which worker thread takes a
# batch), and a floor that an unchanged tree can miss would make CI flaky.
SLACK = 0.3


def floor1(x):
    # Rounded down to 0.1, with a margin for the binary fraction (99.95 -> 99.9).
    return math.floor(x * 10 + 1e-9) / 10


def read_floors(path):
    floors = {}
    try:
        with open(path) as fh:
            for line in fh:
                line = line.split("#", 1)[0].split()
                if line:
                    floors[line[0]] = (float(line[1]), float(line[2]))
    except FileNotFoundError:
        pass
    return floors


def write_floors(path, dirs, old):
    with open(path, "w") as fh:
        fh.write("# Coverage floors per directory of src/ (lines% branches%), checked by\n"
                 "# scripts/coverage.sh: a directory below its floor fails CI. Only ever\n"
                 "# raised (COVERAGE_UPDATE_FLOOR=1 bash scripts/coverage.sh), to 0.3 below\n"
                 "# the measurement: a few branches depend on timing.\n")
        for d in sorted(dirs):
            c = dirs[d]
            lf, bf = floor1(pct(c[0], c[1]) - SLACK), floor1(pct(c[2], c[3]) - SLACK)
            if d in old:
                lf, bf = max(lf, old[d][0]), max(bf, old[d][1])
            fh.write(f"{d:<14} {lf:5.1f} {bf:5.1f}\n")


def main(argv):
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--update"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as fh:
        dirs = per_directory(json.load(fh))
    floors = read_floors(argv[2])
    print(f"{'directory':<14} {'lines':>17} {'branches':>17}   floor (lines branches)")
    below = []
    for d in sorted(dirs, key=lambda k: (k != "src", k)):
        c = dirs[d]
        lp, bp = pct(c[0], c[1]), pct(c[2], c[3])
        fl = floors.get(d)
        mark = f"{fl[0]:5.1f} {fl[1]:5.1f}" if fl else "  (no floor)"
        print(f"{d:<14} {c[0]:>6}/{c[1]:<6} {lp:5.1f}% {c[2]:>6}/{c[3]:<6} {bp:5.1f}%   {mark}")
        if fl:
            if floor1(lp) < fl[0]:
                below.append(f"{d}: lines {lp:.1f}% is below its floor {fl[0]:.1f}%")
            if floor1(bp) < fl[1]:
                below.append(f"{d}: branches {bp:.1f}% is below its floor {fl[1]:.1f}%")
    for d in sorted(set(floors) - set(dirs)):
        print(f"coverage: {d} has a floor but was not measured", file=sys.stderr)
    if len(argv) == 4:
        write_floors(argv[2], dirs, floors)
        print(f"coverage: floors written to {argv[2]}")
        return 0
    for msg in below:
        print(f"coverage: {msg} (tests/coverage-floor.txt)", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
