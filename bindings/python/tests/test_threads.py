"""One Rules shared between threads, each evaluating in a context of its own
(made on the thread's first evaluation and kept in a threading.local): every
thread gets exactly the single-threaded results."""
from __future__ import annotations

import json
import threading

import pathway_rules
from conftest import AS_OF, USATF

THREADS = 6
ROUNDS = 150


def run_threads(target, n=THREADS):
    errors: list = []
    barrier = threading.Barrier(n)

    def wrapped(i):
        try:
            barrier.wait()
            target(i)
        except BaseException as e:  # reported in the main thread
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_threads_share_rules_and_agree(usatf, coaches, expected):
    want = [e + "\n" for e in expected]
    single = [usatf.evaluate(c, as_of=AS_OF) for c in coaches]
    got: dict = {}
    contexts: dict = {}

    def work(i):
        out = []
        # Each thread walks the coaches from a different start, so that
        # different records are in flight in different contexts at once.
        for r in range(ROUNDS):
            order = [(i + r + k) % len(coaches) for k in range(len(coaches))]
            results = {k: usatf.evaluate(coaches[k], as_of=AS_OF) for k in order}
            out.append([results[k] for k in range(len(coaches))])
        contexts[i] = usatf._local.ctx
        got[i] = out

    run_threads(work)
    for i in range(THREADS):
        for results in got[i]:
            assert [r.line for r in results] == want
            assert results == single
    # a context per thread, none of them the main thread's
    ids = {id(c) for c in contexts.values()}
    assert len(ids) == THREADS
    assert id(usatf._local.ctx) not in ids


def test_evaluate_many_in_threads(coaches, expected):
    rules = pathway_rules.Rules.open(USATF)
    want = [json.loads(e)["results"] for e in expected]
    got: dict = {}

    def work(i):
        batch = [coaches[(i + k) % len(coaches)] for k in range(len(coaches))] * 50
        got[i] = [[p._asdict() for p in r] for r in rules.evaluate_many(batch, as_of=AS_OF)]

    run_threads(work)
    for i in range(THREADS):
        for n, results in enumerate(got[i]):
            w = want[(i + n) % len(coaches)]
            assert [(p["program"], p["eligible"], list(p["unmet"]), list(p["preferred_unmet"]))
                    for p in results] == \
                [(x["program"], x["eligible"], x["unmet"], x["preferred_unmet"]) for x in w]


def test_questions_in_threads(usatf, coaches):
    single = [(usatf.when(c, "level_2", as_of=AS_OF), usatf.plan(c, "level_3", as_of=AS_OF),
               usatf.explain(c, as_of=AS_OF, programs=["level_2"])) for c in coaches]
    got: dict = {}

    def work(i):
        got[i] = [[(usatf.when(c, "level_2", as_of=AS_OF), usatf.plan(c, "level_3", as_of=AS_OF),
                    usatf.explain(c, as_of=AS_OF, programs=["level_2"])) for c in coaches]
                  for _ in range(5)]

    run_threads(work, 4)
    for i in range(4):
        for answers in got[i]:
            assert answers == single


def test_rules_outlive_their_last_reference_in_other_threads(coaches, expected):
    # The Rules object is dropped while threads still hold contexts: the
    # program is freed only after the last context (pathway.h's order).
    rules = pathway_rules.Rules.open(USATF)
    evaluate = rules.evaluate
    del rules
    out: dict = {}

    def work(i):
        out[i] = evaluate(coaches[i], as_of=AS_OF).line

    run_threads(work, 4)
    assert [out[i] for i in range(4)] == [e + "\n" for e in expected[:4]]
