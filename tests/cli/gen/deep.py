#!/usr/bin/env python3
"""Writes rule files of every deep shape the language has, at a given size:
the inputs of tests/cli/deep.sh. usage: deep.py SHAPE N OUT.pw

Shapes (N is the depth, or the length of the chain):
  chain-down   N+1 definitions, each using the one declared below it
  chain-up     N+1 definitions, each using the one declared above it
  chain-tall   chain-down with each use 150 levels down its definition
  cycle        N+1 definitions, each using the next, the last the first
  parens       a condition inside N pairs of parentheses
  and, or      N comparisons joined by `and` (or `or`)
  not          N `not`s before a comparison
  minus        N unary minuses before a number
  plus         a sum of N+1 terms
  field        N `.a` after a name (`n.a.a.a > 1`)
  if           N nested `if ... then ... else`
  quant        N nested `any x in xs where`
  groups       N requirement groups, one inside another
"""
import sys

HEAD = """facts f {
  id: text
  n: integer
  xs: list of r = []
}
record r { a: integer }
"""


def req(cond):
    return 'program p {\n  require "r": %s\n}\n' % cond


def chain(n, down, tall=1):
    lines = []
    if down:
        lines += ["define d%d = d%d" % (i, i + 1) + " + 1" * tall for i in range(n)]
        lines.append("define d%d = n" % n)
    else:
        lines.append("define d0 = n")
        lines += ["define d%d = d%d + 1" % (i, i - 1) for i in range(1, n + 1)]
    return "\n".join(lines) + "\n" + req("d0 > 1 and d%d > 1" % n)


def cycle(n):
    lines = ["define d%d = d%d + 1" % (i, i + 1) for i in range(n)]
    lines.append("define d%d = d0" % n)
    return "\n".join(lines) + "\n" + req("d0 > 1")


def groups(n):
    out = ['program p {\n  require "g0": all of {\n']
    out += ['"g%d": any of {\n' % i for i in range(1, n)]
    out.append('"leaf": n > 1\n')
    out.append("}\n" * n)
    out.append("}\n")
    return "".join(out)


def shape(name, n):
    if name == "chain-down":
        return chain(n, True)
    if name == "chain-tall":
        return chain(n, True, 150)
    if name == "chain-up":
        return chain(n, False)
    if name == "cycle":
        return cycle(n)
    if name == "parens":
        return req("(" * n + "n > 1" + ")" * n)
    if name in ("and", "or"):
        return req((" %s " % name).join(["n > 1"] * n))
    if name == "not":
        return req("not " * n + "n > 1")
    if name == "minus":
        return req("n > " + "-" * n + "1")
    if name == "plus":
        return req(" + ".join(["n"] * (n + 1)) + " > 1")
    if name == "field":
        return req("n" + ".a" * n + " > 1")
    if name == "if":
        return req("if n > 1 then " * n + "true" + " else false" * n)
    if name == "quant":
        head = "".join("any x%d in xs where " % i for i in range(n))
        return req(head + "x0.a > 1" if n else "n > 1")
    if name == "groups":
        return groups(n)
    raise SystemExit("deep.py: unknown shape " + name)


if __name__ == "__main__":
    with open(sys.argv[3], "w") as f:
        f.write(HEAD + shape(sys.argv[1], int(sys.argv[2])))
