#!/usr/bin/env python3
"""bench/pairs.py: counts of adjacent opcode pairs, the shapes superinstructions
are chosen from (docs/bytecode.md, docs/performance.md).

usage: python3 bench/pairs.py DISASM.txt [--top N]
         static: pairs in `pathway disasm` output. A pair is two instructions
         next to each other in one function where the second is not a jump
         target (a superinstruction cannot swallow a target).
       python3 bench/pairs.py --dynamic STATS [--top N]
         executed: the "FIRST SECOND COUNT" lines a PATHWAY_STATS build
         appends to $PATHWAY_STATS (one block per context), added up; FIRST
         "-" is a function's first instruction. Pairs whose first instruction
         jumps, calls or returns are listed but cannot be fused."""
import re
import sys
from collections import Counter

INSN = re.compile(r"^  ([0-9]{4,})  ([A-Z_]+)\b(.*)$")
TARGET = re.compile(r"-> ([0-9]{4,})")


def pairs(lines):
    funcs, cur = [], None
    for line in lines:
        if line.startswith("function "):
            cur = []
            funcs.append(cur)
            continue
        m = INSN.match(line)
        if m and cur is not None:
            cur.append((int(m.group(1)), m.group(2), m.group(3)))
    counts, singles = Counter(), Counter()
    for insns in funcs:
        targets = {int(t) for _, _, rest in insns for t in TARGET.findall(rest)}
        for i, (_, op, _) in enumerate(insns):
            singles[op] += 1
            if i and insns[i][0] not in targets:
                counts[(insns[i - 1][1], op)] += 1
    return counts, singles


def dynamic(lines):
    counts, singles = Counter(), Counter()
    for line in lines:
        a, b, n = line.split()
        counts[(a, b)] += int(n)
        singles[b] += int(n)
    return counts, singles


def main():
    args = sys.argv[1:]
    dyn = bool(args) and args[0] == "--dynamic"
    if dyn:
        args = args[1:]
    if not args:
        sys.exit("usage: pairs.py [--dynamic] FILE [--top N]")
    top = int(args[2]) if len(args) > 2 and args[1] == "--top" else 15
    with open(args[0], encoding="utf-8") as f:
        counts, singles = dynamic(f) if dyn else pairs(f)
    kind = "executed" if dyn else "static"
    print(f"{kind}: instructions={sum(singles.values())} pairs={sum(counts.values())}")
    for (a, b), n in counts.most_common(top):
        print(f"{n:8d}  {a} {b}")


if __name__ == "__main__":
    main()
