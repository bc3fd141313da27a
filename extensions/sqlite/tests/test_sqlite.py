"""sqlite.python: the extension through Python's sqlite3 module.

Environment: PWS_EXT (libpathway_sqlite.so), PW_BIN (pathway), PW_SRC (the
source tree). Answers are compared with examples/coaches.expected.jsonl;
errors must be sqlite3 exceptions carrying the library's message, and the
connection must stay usable after them.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unittest

EXT = os.environ["PWS_EXT"]
PW_BIN = os.environ["PW_BIN"]
SRC = os.environ["PW_SRC"]
AS_OF = "2026-11-23"
USATF = os.path.join(SRC, "rules", "usatf", "usatf.pw")

with open(os.path.join(SRC, "examples", "coaches.jsonl"), encoding="utf-8") as f:
    COACHES = [line.rstrip("\n") for line in f if line.strip()]
with open(os.path.join(SRC, "examples", "coaches.expected.jsonl"), encoding="utf-8") as f:
    EXPECTED = [line.rstrip("\n") for line in f if line.strip()]


def connect(path=":memory:", **kw):
    db = sqlite3.connect(path, **kw)
    db.enable_load_extension(True)
    db.load_extension(EXT)  # the entry point SQLite derives from the file name
    db.enable_load_extension(False)
    return db


def stats(db):
    return json.loads(db.execute("SELECT pathway_cache_stats()").fetchone()[0])


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.pwc_path = os.path.join(cls.tmp, "usatf.pwc")
        subprocess.run([PW_BIN, "compile", USATF, "-o", cls.pwc_path], check=True)
        with open(cls.pwc_path, "rb") as f:
            cls.pwc = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def setUp(self):
        self.db = connect()
        self.db.execute("CREATE TABLE members(id TEXT, facts TEXT)")
        self.db.executemany("INSERT INTO members VALUES(?, ?)",
                            [(json.loads(c)["id"], c) for c in COACHES])

    def tearDown(self):
        self.db.close()


class Answers(Base):
    def test_eval_matches_pathway_eval(self):
        for rules in (USATF, self.pwc_path, self.pwc):
            got = [r[0] for r in self.db.execute(
                "SELECT pathway_eval(?, facts, ?) FROM members ORDER BY rowid", (rules, AS_OF))]
            self.assertEqual(got, EXPECTED)

    def test_results_rows(self):
        for coach, line in zip(COACHES, EXPECTED):
            want = json.loads(line)["results"]
            rows = self.db.execute(
                "SELECT program, title, eligible, status, unmet, preferred_unmet"
                " FROM pathway_results(?, ?, ?)", (self.pwc, coach, AS_OF)).fetchall()
            self.assertEqual([r[0] for r in rows], [w["program"] for w in want])
            for (program, title, eligible, status, unmet, preferred), w in zip(rows, want):
                self.assertIsInstance(title, str)
                self.assertEqual(bool(eligible), w["eligible"], program)
                self.assertEqual(status, "eligible" if w["eligible"] else "not_eligible")
                self.assertEqual(json.loads(unmet), w["unmet"])
                self.assertEqual(json.loads(preferred), w["preferred_unmet"])

    def test_enrolment_window_statuses(self):
        # A program outside its enrolment window: closed or not yet open, with
        # its requirements still evaluated (docs/language.md, "Enrolment windows").
        rules = os.path.join(self.tmp, "windows.pw")
        with open(rules, "w", encoding="utf-8") as f:
            f.write('facts coach { age: integer }\n'
                    'program course "Course" enrolment open from 2027-03-01 until 2027-09-15 - 3 months {\n'
                    '  require "adult": age >= 18\n}\n')
        coach = '{"age": 17}'
        got = [self.db.execute("SELECT status, eligible, unmet FROM pathway_results(?, ?, ?)",
                               (rules, coach, d)).fetchall() for d in ("2027-02-28", "2027-03-01", "2027-06-16")]
        self.assertEqual(got, [[("not_yet_open", 0, '["adult"]')], [("not_eligible", 0, '["adult"]')],
                               [("closed", 0, '["adult"]')]])
        line = json.loads(self.db.execute("SELECT pathway_eval(?, '{\"age\": 30}', '2027-06-16')",
                                          (rules,)).fetchone()[0])
        self.assertEqual(line["results"][0]["status"], "closed")
        self.assertEqual(line["results"][0]["enrolment"], {"opens": "2027-03-01", "closes": "2027-06-15"})

    def test_eligible_and_group_by(self):
        want = {}
        for line in EXPECTED:
            for r in json.loads(line)["results"]:
                want[r["program"]] = want.get(r["program"], 0) + r["eligible"]
        got = dict(self.db.execute(
            "SELECT program, sum(eligible) FROM members m, pathway_results(?, m.facts, ?)"
            " GROUP BY program", (self.pwc, AS_OF)))
        self.assertEqual(got, want)
        who = [r[0] for r in self.db.execute(
            "SELECT id FROM members WHERE pathway_eligible(?, facts, 'level_2', ?) ORDER BY id",
            (self.pwc, AS_OF))]
        self.assertEqual(who, sorted(json.loads(l)["id"] for l in EXPECTED
                                     if any(r["program"] == "level_2" and r["eligible"]
                                            for r in json.loads(l)["results"])))

    def test_nested_results_do_not_disturb_each_other(self):
        # Two cursors on the same rules, and the scalar function in the same
        # row: each cursor keeps its own coach's rows.
        got = self.db.execute(
            "SELECT a.program, a.eligible, b.eligible, pathway_eligible(?3, m2.facts, a.program, ?4)"
            " FROM members m1, members m2,"
            " pathway_results(?3, m1.facts, ?4) a, pathway_results(?3, m2.facts, ?4) b"
            " WHERE m1.id = 'C0001' AND m2.id = 'C0003' AND a.program = b.program",
            (None, None, self.pwc, AS_OF)).fetchall()
        c1 = {r["program"]: r["eligible"] for r in json.loads(EXPECTED[0])["results"]}
        c3 = {r["program"]: r["eligible"] for r in json.loads(EXPECTED[2])["results"]}
        self.assertEqual(len(got), len(c1))
        for program, e1, e3, scalar in got:
            self.assertEqual((bool(e1), bool(e3), bool(scalar)), (c1[program], c3[program], c3[program]))

    def test_null_arguments(self):
        row = self.db.execute("SELECT pathway_eval(NULL, '{}', NULL), pathway_eval(?, NULL, NULL),"
                              " pathway_eligible(?, '{}', NULL, NULL)", (self.pwc, self.pwc)).fetchone()
        self.assertEqual(row, (None, None, None))

    def test_today(self):
        # as_of NULL is today: the line says so.
        import datetime
        line = self.db.execute("SELECT pathway_eval(?, ?, NULL)", (self.pwc, COACHES[0])).fetchone()[0]
        self.assertIn(json.loads(line)["as_of"],
                      {datetime.date.today().isoformat(),
                       (datetime.date.today() - datetime.timedelta(days=1)).isoformat()})


class Errors(Base):
    def assertSqlError(self, sql, params, text):
        with self.assertRaises(sqlite3.Error) as cm:
            self.db.execute(sql, params).fetchall()
        self.assertIn(text, str(cm.exception))
        # The connection goes on working.
        self.assertEqual(self.db.execute("SELECT pathway_eligible(?, facts, 'partner_courses', ?)"
                                         " FROM members LIMIT 1", (self.pwc, AS_OF)).fetchone(), (1,))

    def test_bad_rules(self):
        bad = os.path.join(self.tmp, "bad.pw")
        with open(bad, "w") as f:
            f.write('program p {\n  require "x": age >=\n}\n')
        self.assertSqlError("SELECT pathway_eval(?, facts, NULL) FROM members", (bad,), bad + ":3:1:")
        self.assertSqlError("SELECT pathway_eval(?, facts, NULL) FROM members", (b"junk",),
                            "not a Pathway bytecode file")
        self.assertSqlError("SELECT pathway_eval(?, facts, NULL) FROM members",
                            (self.pwc[:-10],), "pathway_eval: ")
        self.assertSqlError("SELECT pathway_eval(?, facts, NULL) FROM members", (3.5,),
                            "rules must be a file path")

    def test_bad_facts(self):
        self.assertSqlError("SELECT pathway_eval(?, ?, NULL)",
                            (self.pwc, '{"id":"X","birth_date":"1990-01-01","athletes_coached":"many"}'),
                            "`athletes_coached`")
        self.assertSqlError("SELECT * FROM pathway_results(?, ?, NULL)",
                            (self.pwc, '{"id":"X","birth_date":"1990-02-30"}'), "`birth_date`")
        self.assertSqlError("SELECT pathway_eval(?, ?, NULL)", (self.pwc, "{"), "invalid JSON")

    def test_unknown_program_and_bad_date(self):
        self.assertSqlError("SELECT pathway_eligible(?, facts, 'level_9', NULL) FROM members",
                            (self.pwc,), "no program `level_9`")
        self.assertSqlError("SELECT pathway_eval(?, facts, '23/11/2026') FROM members",
                            (self.pwc,), 'invalid date "23/11/2026"')
        self.assertSqlError("SELECT * FROM pathway_results(?, ?, 7)", (self.pwc, COACHES[0]),
                            "as_of must be a date as text")


class Cache(Base):
    def test_one_load_per_content_and_connection(self):
        self.db.execute("SELECT pathway_eval(?, facts, ?) FROM members", (self.pwc, AS_OF)).fetchall()
        self.db.execute("SELECT pathway_eval(?, facts, ?) FROM members", (self.pwc, AS_OF)).fetchall()
        self.assertEqual(stats(self.db)["loads"], 1)
        # An equal copy of the bytes is the same content.
        self.db.execute("SELECT pathway_eval(?, facts, ?) FROM members",
                        (bytes(bytearray(self.pwc)), AS_OF)).fetchall()
        self.assertEqual(stats(self.db)["loads"], 1)
        # Another connection has its own cache.
        other = connect()
        other.execute("SELECT pathway_eval(?, '{\"id\":\"x\",\"birth_date\":\"1990-01-01\"}', ?)",
                      (self.pwc, AS_OF)).fetchall()
        self.assertEqual(stats(other)["loads"], 1)
        other.close()
        self.assertEqual(stats(self.db)["loads"], 1)

    def test_file_replaced_mid_statement(self):
        # The statement keeps the rule set it started with; the next statement
        # sees the new file. swap() replaces the file after the first row.
        path = os.path.join(self.tmp, "rules.pw")
        with open(USATF, encoding="utf-8") as f:
            text = f.read().replace('"../common/coach.pw"',
                                    json.dumps(os.path.join(SRC, "rules", "common", "coach.pw")))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        nxt = os.path.join(self.tmp, "rules-next.pw")
        with open(nxt, "w", encoding="utf-8") as f:
            f.write(text.replace("experience >= 2\n", "experience >= 1\n"))
        swapped = []

        def swap():
            if not swapped:
                os.replace(nxt, path)
                swapped.append(1)
            return 0

        self.db.create_function("swap", 0, swap)
        # Columns are computed left to right: row 1 loads the rules, then swaps.
        rows = self.db.execute("SELECT id, pathway_eligible(?, facts, 'level_2', ?), swap()"
                               " FROM members ORDER BY rowid", (path, AS_OF)).fetchall()
        self.assertEqual(swapped, [1])
        self.assertEqual(rows[0][0], "C0001")
        self.assertEqual({r[0]: r[1] for r in rows}["C0002"], 0)  # the old rules throughout
        self.assertEqual(stats(self.db)["loads"], 1)
        rows = dict(self.db.execute("SELECT id, pathway_eligible(?, facts, 'level_2', ?)"
                                    " FROM members", (path, AS_OF)).fetchall())
        self.assertEqual(rows["C0002"], 1)  # the new rules
        self.assertEqual(stats(self.db)["loads"], 2)

    def test_cache_is_bounded(self):
        # Nine different rule sets: the cache keeps eight, and a statement
        # still holding an evicted one goes on using it.
        with open(USATF, encoding="utf-8") as f:
            text = f.read().replace('"../common/coach.pw"',
                                    json.dumps(os.path.join(SRC, "rules", "common", "coach.pw")))
        paths = []
        for i in range(9):
            paths.append(os.path.join(self.tmp, "r%d.pw" % i))
            with open(paths[-1], "w") as f:
                f.write(text + "# variant" + "." * i + "\n")
        held = self.db.execute("SELECT pathway_eval(?, facts, ?) FROM members ORDER BY rowid",
                               (paths[0], AS_OF))
        first = held.fetchone()
        for path in paths[1:]:
            self.db.execute("SELECT pathway_eval(?, facts, ?) FROM members", (path, AS_OF)).fetchall()
        s = stats(self.db)
        self.assertEqual((s["programs"], s["loads"]), (8, 9))
        self.assertEqual([first[0]] + [r[0] for r in held.fetchall()], EXPECTED)
        self.assertEqual(stats(self.db)["loads"], 9)


class Threads(Base):
    def test_connections_in_threads(self):
        # One connection per thread, as SQLite has it: each its own cache.
        path = os.path.join(self.tmp, "threads.db")
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE members(facts TEXT)")
        db.executemany("INSERT INTO members VALUES(?)", [(c,) for c in COACHES])
        db.commit()
        db.close()
        out, errors = {}, []

        def work(n):
            try:
                c = connect(path)
                for _ in range(20):
                    got = [r[0] for r in c.execute(
                        "SELECT pathway_eval(?, facts, ?) FROM members ORDER BY rowid", (self.pwc, AS_OF))]
                out[n] = (got, stats(c)["loads"])
                c.close()
            except Exception as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        for n in range(4):
            self.assertEqual(out[n], (EXPECTED, 1))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
