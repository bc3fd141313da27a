"""The tools on the constructs of issue 17 (tools.newconstructs).

On the handbook rule sets (tests/rules/handbooks/*.pw, rules/usatf) and on
generated ones (tests/tools/gen.py, fixed seeds):
- fmt: the formatter's properties (tests/fmt/properties.c --dir: idempotent,
  tokens and comments kept, the same bytecode, messy layouts and other line
  breaks formatted alike); every generated file is already formatted;
- lint, in every format: never crashes, and each finding that decides a
  condition (PW110, PW111, PW112, PW120, PW150) holds for the generated records on
  every day of four years (the verdicts `when` gives, which
  tools.when.differential checks against the evaluation);
- explain (text and json), when, plan, eval --format text, test --coverage,
  check --list-assumptions: run without an error on every rule set;
- the regressions of the bugs this suite found, each with its own check.

usage: newconstructs.py PATHWAY_BINARY REPOSITORY_ROOT FMT_PROPERTIES_BINARY
"""
import datetime
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
import when_differential as wd  # noqa: E402

# Seeds 4 and 16 each give a program whose requirements cannot hold together
# (PW150), checked against evaluation below.
SEEDS = [*range(12), 16]
problems = []
counts = {}  # the deciding findings checked, by code


def run(args, ok=(0, 1), stdin=None):
    p = subprocess.run(args, capture_output=True, text=True, input=stdin)
    if p.returncode not in ok:
        problems.append(f"{' '.join(args)} exited {p.returncode}\n{p.stderr[:1500]}")
    return p


def check(cond, what):
    if not cond:
        problems.append(what)


def truth_of(bin_, rules, facts, progs):
    truth = {}
    horizon = f"{(wd.LAST - wd.FIRST).days + 1}d"
    for pid in progs:
        out = run([bin_, "when", rules, "--facts", facts, "--program", pid, "--as-of", str(wd.FIRST),
                   "--horizon", horizon, "--format", "json"]).stdout
        for line in out.splitlines():
            w = json.loads(line)
            truth[(w["id"], pid)] = wd.eligible_days(w["periods"])
    return truth


def all_days():
    d = wd.FIRST
    while d <= wd.LAST:
        yield d
        d += datetime.timedelta(days=1)


def check_lint_finding(seed, f, recs, truth):
    """A deciding finding against the records' verdicts on every day."""
    code, msg = f["code"], f["message"]
    labels = re.findall(r'"(r\d+)"', msg)
    ids = [r["id"] for r in recs]
    where = f"seed {seed}: lint {code} {msg!r}"
    if code in ("PW110", "PW111") and labels:
        pid = "only_" + labels[0][1:]
        for rid in ids:
            met = truth[(rid, pid)]
            if code == "PW110":
                check(not met, f"{where}: met for {rid} on {min(met) if met else None}")
            else:
                check(len(met) == (wd.LAST - wd.FIRST).days + 1, f"{where}: unmet for {rid} on some day")
    elif code == "PW112" and len(labels) == 2:
        a, b = ("only_" + x[1:] for x in labels)
        same = "says the same as" in msg
        for rid in ids:
            ma, mb = truth[(rid, a)], truth[(rid, b)]
            bad = mb - ma
            if same:
                bad |= ma - mb
            check(not bad, f"{where}: for {rid} on {min(bad) if bad else None}")
    elif code in ("PW120", "PW150"):
        # PW150: requirements that cannot hold together leave their program
        # (version) with no eligible coach, as PW120 says of a program.
        counts[code] = counts.get(code, 0) + 1
        pid = re.search(r"program `([a-z_0-9]+)`", msg).group(1)
        # A version's finding holds on that version's days.
        lo = re.search(r"from (\d{4}-\d\d-\d\d)", msg)
        hi = re.search(r"until (\d{4}-\d\d-\d\d)", msg)
        lo = datetime.date.fromisoformat(lo.group(1)) if lo else wd.FIRST
        hi = datetime.date.fromisoformat(hi.group(1)) if hi else wd.LAST
        for rid in ids:
            met = {d for d in truth[(rid, pid)] if lo <= d <= hi}
            check(not met, f"{where}: {rid} eligible on {min(met) if met else None}")


def generated(bin_, fmt_props, tmp):
    gdir = os.path.join(tmp, "generated")
    os.mkdir(gdir)
    for seed in SEEDS:
        text, progs, _, _ = gen.rules(seed, with_tests=True)
        text = text.rstrip("\n") + "\n"
        rules = os.path.join(gdir, f"g{seed}.pw")
        with open(rules, "w") as f:
            f.write(text)
        facts = os.path.join(tmp, f"g{seed}.jsonl")
        with open(facts, "w") as f:
            f.write(gen.records(seed))
        recs = [json.loads(x) for x in gen.records(seed).splitlines()]
        run([bin_, "fmt", "--check", rules], ok=(0,))
        run([bin_, "test", "--coverage", rules], ok=(0, 1))
        tools(bin_, rules, facts, progs)
        truth = truth_of(bin_, rules, facts, progs)
        for fmt in ("text", "sarif"):
            run([bin_, "lint", "--format", fmt, rules])
        out = run([bin_, "lint", "--format", "json", rules]).stdout
        for line in out.splitlines():
            check_lint_finding(seed, json.loads(line), recs, truth)
    p = run([fmt_props, "--dir", gdir], ok=(0,))
    check("0 failures" in p.stdout, f"fmt properties on the generated rule sets:\n{p.stdout[-2000:]}")


def tools(bin_, rules, facts, progs):
    """Every tool runs on the rule set without an error (exit 0 or 1 with
    no record in error)."""
    for args in (["explain", "--format", "text"], ["explain", "--format", "json"],
                 ["eval", "--format", "text"], ["eval", "--format", "jsonl"]):
        p = run([bin_, args[0], rules, "--facts", facts, "--as-of", "2026-11-20"] + args[1:])
        check("error" not in p.stderr, f"{args[0]} {rules}: {p.stderr[:500]}")
    for pid in progs[:3]:
        for cmd, opt in (("when", "--program"), ("plan", "--target")):
            p = run([bin_, cmd, rules, "--facts", facts, opt, pid, "--as-of", "2026-11-20", "--format", "json"])
            check("error" not in p.stderr, f"{cmd} {pid} {rules}: {p.stderr[:500]}")
    run([bin_, "check", "--list-assumptions", rules], ok=(0,))


def handbooks(bin_, root, fmt_props):
    files = sorted(glob.glob(os.path.join(root, "tests/rules/handbooks/*.pw")))
    files.append(os.path.join(root, "rules/usatf/usatf.pw"))
    for f in files:
        run([bin_, "fmt", "--check", f], ok=(0,))
        for fmt in ("text", "json", "sarif"):
            run([bin_, "lint", "--format", fmt, f], ok=(0,))
        run([bin_, "check", "--list-assumptions", f], ok=(0,))
        run([bin_, "check", "--list-assumptions", "--format", "json", f], ok=(0,))


# ---- regressions ----------------------------------------------------------------

BLOCK_ASSUMING = """\
facts coach {
  n: integer = 0
}

requirements shared {
  require "n at least 3": n >= 3
    assuming "the handbook's three"
}

program p "P" {
  require shared
}

program q "Q" {
  require shared
}
"""


HELD_FOR = """\
record licence {
  id: text
  issued: date
}

facts coach {
  birth_date: date
  licences: list of licence = []
}

define held_for(id: text, n: integer): boolean =
  any l in licences where l.id = id and l.issued <= today - n months

program a_licence "A License" {
  require "held the C License for 24 months": held_for("c-licence", 2 * 12)
  require "16 or over": years since birth_date >= 2 * 8
}
"""


LINT_DATES = """\
facts coach {
  d1: date
  d2: date? = none
  extra: integer = 0
}

define period_end(d: date): date = 31 December of (year of d + extra)

requirements shared {
  require "a real month": month of d1 <= 12
  require "a month past December": month of d1 > 12
}

program p "P" {
  grants "x" valid until period_end(granted)
  require shared
  require "from 2027": year of today >= 2027
  require "not 2026": year of today != 2026
  require "d2 passed": d2 is not none and d2 <= today
  require "d2 passed, again": d2 is not none and d2 <= today
  require "a year after d1": today >= d1 + (extra + 1) years
}
"""


def lint_dates(bin_, tmp):
    # What lint says of the date forms: the ranges of `month of`, `year of
    # today` as one term, a narrowed field, a finding inside a block once;
    # nothing about the computed duration or `valid until` (a definition
    # only it uses is used).
    path = os.path.join(tmp, "lint_dates.pw")
    with open(path, "w") as f:
        f.write(LINT_DATES)
    out = run([bin_, "lint", "--format", "json", path]).stdout
    got = [(f["line"], f["code"], f["message"], [n["message"] for n in f["notes"]])
           for f in map(json.loads, out.splitlines())]
    want = [
        (10, "PW111", 'requirement "a real month" is always met, whatever the coach\'s facts',
         ["`month of d1 <= 12` holds for every value it can take", "a month is 1 to 12"]),
        (11, "PW110", 'requirement "a month past December" can never be met',
         ["it needs `month of d1 > 12`", "a month is 1 to 12"]),
        (14, "PW120", "no coach can ever become eligible for program `p`",
         ['requirement "a month past December" can never be met']),
        (18, "PW112", 'requirement "not 2026" is implied by requirement "from 2027"',
         ['whenever "from 2027" is met, so is "not 2026"']),
        (20, "PW112", 'requirement "d2 passed, again" says the same as requirement "d2 passed"',
         ['"d2 passed" is required here']),
    ]
    check(got == want, "lint of the date forms:\n" + "\n".join(map(str, got)))


def diffs(bin_, root, tmp):
    """diff between versions of the reuse and dates handbooks."""
    text = open(os.path.join(root, "tests/rules/handbooks/reuse.pw")).read()
    rules = text[:text.index("\nexample ")]
    old = os.path.join(tmp, "reuse-old.pw")
    with open(old, "w") as f:
        f.write(rules)
    facts = os.path.join(tmp, "reuse.jsonl")
    with open(facts, "w") as f:
        f.write('{"id":"a","birth_date":"2008-01-01","coach_member":true}\n'
                '{"id":"b","birth_date":"1990-01-01","coach_member":true,"crc":"2024-01-01","safesport":true}\n')

    def structure(new_text):
        new = os.path.join(tmp, "reuse-new.pw")
        with open(new, "w") as f:
            f.write(new_text)
        out = run([bin_, "diff", old, new, "--facts", facts, "--as-of", "2026-11-23", "--format", "json"],
                  ok=(0,)).stdout
        return sorted((p["program"], r["change"], r["requirement"], tuple(r["what"]))
                      for p in json.loads(out)["programs"] for r in p["requirements"]) if out else None

    # The blocks and sources written out in full: the same rules.
    srcs = dict(re.findall(r'^source (\w+) = (".*")$', rules, re.M))
    inline = re.sub(r"^source .*\n", "", rules, flags=re.M)
    blocks = dict(re.findall(r"^requirements (\w+)[^{]*\{\n((?:  .*\n)*)\}\n", inline, re.M))
    cites = dict(re.findall(r"^requirements (\w+) citing (\w+)", inline, re.M))
    inline = re.sub(r"^requirements \w+[^{]*\{\n(?:  .*\n)*\}\n", "", inline, flags=re.M)
    for _ in range(3):
        for name, body in blocks.items():
            if name in cites:
                body = re.sub(r"^(  require \"[^\"]*\": (?:(?!citing).)*)$", r"\1 citing " + cites[name], body,
                              flags=re.M)
            inline = inline.replace(f"  require {name}\n", body)
    for name, sentence in srcs.items():
        inline = re.sub(rf"citing {name}\b", "citing " + sentence.replace("\\", "\\\\"), inline)
    check(structure(inline) == [], f"diff of the reuse handbook written out: {structure(inline)}")
    # One source's sentence changed: a citation change wherever it is cited.
    changed = rules.replace("at 19 and over\"\n", "at 18 and over\"\n", 1)
    want = [(p, "changed", "a current criminal record check at 19 and over", ("citation",))
            for p in ("community_coach", "competition_coach")]
    check(structure(changed) == want, f"diff of a source's sentence: {structure(changed)}")


def plans(bin_, root, tmp):
    # plan on the reuse handbook, whose certificates have `id` and `issued`
    # but no `expires`: Community Coach is a step towards Competition Coach
    # (it said "no program gives it").
    rules = os.path.join(root, "tests/rules/handbooks/reuse.pw")
    facts = '{"id":"b","birth_date":"1990-01-01","coach_member":true,"crc":"2024-01-01","safesport":true}'
    out = run([bin_, "plan", rules, "--facts", "-", "--target", "competition_coach", "--as-of", "2026-11-23",
               "--format", "json"], ok=(0,), stdin=facts).stdout
    steps = [(s["program"], s["enrol"], s["arrange"]) for s in json.loads(out)["steps"]] if out else []
    check(steps == [("community_coach", "2026-11-23", []), ("competition_coach", "2026-11-23", [])],
          f"plan on reuse.pw: {steps}")
    # A computed expiry (`valid until`) in the facts a later step sees: the
    # certificate granted on 2026-06-20 (10 days' course) lasts to 31
    # December of the next year, and the target reads `expires`.
    path = os.path.join(tmp, "valid_until.pw")
    with open(path, "w") as f:
        f.write(VALID_UNTIL)
    out = run([bin_, "plan", path, "--facts", "-", "--target", "top", "--as-of", "2026-06-10",
               "--format", "json"], ok=(0,), stdin='{"birth_date":"1990-01-01"}').stdout
    steps = [(s["program"], s["granted"], s["expires"]) for s in json.loads(out)["steps"]] if out else []
    check(steps == [("base", "2026-06-20", "2027-12-31"), ("top", None, None)],
          f"plan with valid until: {steps}")
    # The target opens after the computed expiry: the plan (each step on its
    # first day) cannot reach it, and says why instead of listing nothing.
    late = os.path.join(tmp, "valid_until_late.pw")
    with open(late, "w") as f:
        f.write(VALID_UNTIL.replace("2027-06-01", "2029-06-01"))
    out = run([bin_, "plan", late, "--facts", "-", "--target", "top", "--as-of", "2026-06-10",
               "--format", "text"], ok=(1,), stdin='{"birth_date":"1990-01-01"}').stdout
    check(out.endswith("not reachable by 2046-06-10:\n    each requirement can be met with the certificates the "
                       "steps grant, but no steps taken on the first day they may be meet them all on one day "
                       "(a step cannot be taken, or a certificate lapses first)\n"),
          f"plan not reachable through a lapsed certificate:\n{out}")


VALID_UNTIL = """\
record certificate {
  id: text
  issued: date
  expires: date? = none
}

facts coach {
  birth_date: date
  certificates: list of certificate = []
}

define current(id: text) =
  any c in certificates where c.id = id and c.issued <= today and (c.expires is none or today <= c.expires)

program base "Base" {
  duration 10 days
  grants "x" valid until 31 December of (year of granted + 1)
  require "adult": years since birth_date >= 18
}

program top "Top" {
  require "a current x": current("x")
  require "from 2027-06-01": today >= 2027-06-01
}
"""


PARTS = """\
facts coach {
  birth_date: date
}

program p "P" {
  require "from 2027": year of today >= 2027
  require "from June": month of today >= 6
  require "turns 16 this year": year of today - year of birth_date >= 16
}
"""


def regressions(bin_, tmp):
    # explain shows a call whose argument is computed from constants (a
    # computed duration's count, `2 * 12`) with its value, like a literal
    # one, and a comparison with `2 * 8` as "at least 16".
    path = os.path.join(tmp, "held_for.pw")
    with open(path, "w") as f:
        f.write(HELD_FOR)
    facts = '{"id":"x","birth_date":"2012-01-01","licences":[{"id":"c-licence","issued":"2025-01-01"}]}'
    out = run([bin_, "explain", path, "--facts", "-", "--as-of", "2026-03-15", "--format", "json"],
              stdin=facts).stdout
    reqs = json.loads(out)["programs"][0]["requirements"]
    seen = [(s["expr"], s["value"], s["test"]) for r in reqs for s in r["seen"]]
    check(seen == [('held_for("c-licence", 24)', "false", None), ("birth_date", "2012-01-01", None)],
          f"explain of computed arguments: {seen}")
    check(reqs[0]["met_on"] == "2027-01-01", f"explain of held_for: met_on {reqs[0]['met_on']}")
    # explain shows a part of the date (`year of today`) with its value, its
    # test and its value on the day the requirement changes.
    path = os.path.join(tmp, "parts.pw")
    with open(path, "w") as f:
        f.write(PARTS)
    out = run([bin_, "explain", path, "--facts", "-", "--as-of", "2026-03-15", "--format", "json"],
              stdin='{"id":"x","birth_date":"2010-08-15"}').stdout
    reqs = json.loads(out)["programs"][0]["requirements"]
    seen = [[(s["expr"], s["value"], s["test"], s["value_then"]) for s in r["seen"]] for r in reqs]
    check(seen == [[("year of today", "2026", "at least 2027", "2027")],
                   [("month of today", "3", "at least 6", "6")],
                   [("year of today", "2026", None, None), ("birth_date", "2010-08-15", None, None)]],
          f"explain of date parts: {seen}")
    out = run([bin_, "explain", path, "--facts", "-", "--as-of", "2026-03-15", "--format", "text"],
              stdin='{"id":"x","birth_date":"2010-08-15"}').stdout
    check("year of today 2026, needs at least 2027: reaches 2027 on 2027-01-01" in out,
          f"explain text of date parts:\n{out}")

    # `check --list-assumptions`: a block's `assuming` is an assumption of
    # every program that uses the block, not only of the first.
    path = os.path.join(tmp, "block_assuming.pw")
    with open(path, "w") as f:
        f.write(BLOCK_ASSUMING)
    out = run([bin_, "check", "--list-assumptions", path], ok=(0,)).stdout
    want = (f'{path}:7:14: p: "n at least 3": the handbook\'s three\n'
            f'{path}:7:14: q: "n at least 3": the handbook\'s three\n')
    check(out == want, f"list-assumptions of a block:\n{out}wanted:\n{want}")
    out = run([bin_, "check", "--list-assumptions", path, path], ok=(0,)).stdout
    check(out == want, f"list-assumptions of a file given twice:\n{out}")


def main():
    bin_ = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2])
    fmt_props = os.path.abspath(sys.argv[3])
    with tempfile.TemporaryDirectory() as tmp:
        regressions(bin_, tmp)
        plans(bin_, root, tmp)
        diffs(bin_, root, tmp)
        lint_dates(bin_, tmp)
        handbooks(bin_, root, fmt_props)
        generated(bin_, fmt_props, tmp)
    for p in problems:
        print("FAIL:", p)
    if problems:
        raise SystemExit(1)
    check(counts.get("PW150", 0) >= 2, f"the generated rule sets gave {counts.get('PW150', 0)} PW150 findings, not "
          "the two of seeds 4 and 16: the no-false-finding check of PW150 needs new seeds")
    tally = ", ".join(f"{n} {code}" for code, n in sorted(counts.items())) or "none"
    print(f"ok: handbooks and {len(SEEDS)} generated rule sets (program findings checked day by day: {tally})")


if __name__ == "__main__":
    main()
