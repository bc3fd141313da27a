#!/usr/bin/env python3
"""lsp.hostile: `pathway lsp` stays up, answers every request and exits as
the protocol asks, on input meant to break it: rule files of every deep
shape (tests/cli/gen/deep.py; expression chains past the nesting limit and
100,000-definition chains, which must not cost quadratic time to index)
with every request on each, then seeded random bytes between valid
messages. No timing is asserted: a request that is never answered fails
after a generous wait.

Usage: hostile.py PATHWAY SOURCE_DIR"""
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import protocol  # noqa: E402

SHAPES = {"and": 100000, "not": 100000, "field": 100000, "parens": 100000, "if": 100000,
          "quant": 100000, "groups": 100000, "minus": 100000, "chain-down": 20000,
          "chain-up": 20000, "chain-tall": 2000, "cycle": 20000}
METHODS = ("textDocument/hover", "textDocument/definition", "textDocument/references",
           "textDocument/completion", "textDocument/documentSymbol", "textDocument/formatting",
           "textDocument/codeAction")


def main():
    pathway, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = os.path.realpath(tempfile.mkdtemp())
    try:
        return run(pathway, source, tmp)
    finally:
        shutil.rmtree(tmp)


def run(pathway, source, tmp):
    gen = os.path.join(source, "tests", "cli", "gen", "deep.py")
    s = protocol.Server(pathway, tmp)
    s.response(s.request("initialize", {"capabilities": {}}))
    failed = 0
    for shape, n in SHAPES.items():
        path = os.path.join(tmp, shape + ".pw")
        subprocess.run([sys.executable, gen, shape, str(n), path], check=True)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        uri = "file://" + path
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "version": 1, "text": text}})
        s.diagnostics()
        for method in METHODS:
            got = s.response(s.request(method, {
                "textDocument": {"uri": uri}, "position": {"line": 7, "character": 8},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"includeDeclaration": True, "diagnostics": []}, "options": {}}))[-1]
            # Formatting may refuse a file past the nesting limit; nothing else fails.
            if "error" in got and method != "textDocument/formatting":
                print("FAIL %s on %s: %s" % (method, shape, got["error"]))
                failed += 1
        s.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        s.diagnostics()
        print("ok %s (%d): every request answered" % (shape, n))

    rng = random.Random(20)
    for i in range(200):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        # Whatever the junk did to the framing, a header block ends it, and
        # then a request must be answered.
        s.raw(junk + b"\r\n\r\n")
        rid = s.request("textDocument/documentSymbol", {"textDocument": {"uri": "file:///none.pw"}})
        got = s.response(rid)[-1]
        if got.get("error", {}).get("code") != -32602:
            print("FAIL after junk %d: %s" % (i, got))
            failed += 1
    print("ok 200 pieces of junk: the server answered after each")
    s.response(s.request("shutdown", None))
    s.notify("exit", None)
    rc = s.finish()
    if rc != 0:
        print("FAIL exit status %d after shutdown and exit" % rc)
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
