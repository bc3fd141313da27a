#!/usr/bin/env python3
"""lsp.protocol: drives `pathway lsp` through a full exchange over its
standard input and output and compares what it answers with the golden
transcript tests/lsp/golden/protocol.json (UPDATE_GOLDEN=1 accepts a new one).

The exchange: a request before initialize, initialize, open a buffer with
unsaved errors (diagnostics with UTF-16 positions, notes and fix-its), a
burst of changes (diagnostics once, for the last version), formatting,
the outline, malformed input that must leave the server up (a bad header,
bad JSON, an unknown method, an invalid request, bad params), shutdown and
exit; then the exit statuses the protocol asks for.

Usage: protocol.py PATHWAY SOURCE_DIR"""
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading

WAIT = 120  # seconds before a missing message fails the test (never a timing assertion)


class Server:
    def __init__(self, pathway, cwd):
        self.p = subprocess.Popen([pathway, "lsp", "--debounce", "50"], cwd=cwd,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.q = queue.Queue()
        threading.Thread(target=self._reader, daemon=True).start()
        self.next_id = 0

    def _reader(self):
        out = self.p.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.q.put(None)
                    return
                if line == b"\r\n":
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            body = out.read(length)
            self.q.put(json.loads(body.decode("utf-8")))

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    @staticmethod
    def frame(msg):
        body = json.dumps(msg).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def notify(self, method, params):
        self.raw(self.frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def request(self, method, params):
        self.next_id += 1
        self.raw(self.frame({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                             "params": params}))
        return self.next_id

    def receive(self):
        try:
            msg = self.q.get(timeout=WAIT)
        except queue.Empty:
            sys.exit("FAIL: no message from the server in %d s" % WAIT)
        if msg is None:
            sys.exit("FAIL: the server closed its output")
        return msg

    def wait_for(self, pred):
        """Messages up to the one pred accepts (returned last)."""
        got = []
        while True:
            msg = self.receive()
            got.append(msg)
            if pred(msg):
                return got

    def response(self, rid):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m)

    def diagnostics(self):
        return self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")

    def finish(self):
        self.p.stdin.close()
        rc = self.p.wait(timeout=WAIT)
        return rc


def normalise(obj, tmp):
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False)
    text = text.replace(tmp, "$TMP")
    obj = json.loads(text)
    if isinstance(obj, dict) and "result" in obj and isinstance(obj["result"], dict):
        info = obj["result"].get("serverInfo")
        if info:
            info["version"] = "$VERSION"
    return obj


BROKEN = """include "base.pw"
# lint: require citations

source enrol = "At least 18 years of age required to enroll."

define adult: boolean = agee >= 18

program level_1 "Level 1 Course" {
  hours 6
  grants "level-1"
  require "at least 18 years of age": adult citing enrol
  require "r\u00e9gion \U0001F600": regoin = "north"
}

define north_member: boolean = any m in memberships where m.body = "north"

define in_region(r: text in regions): boolean = region = r

define northern: boolean = in_region("north") and north_member

test "an adult may enrol" {
  as of 2026-11-23
  given { age: 30, region: "north" }
  expect level_1 not eligible unmet "r\u00e9gion \U0001F600"
}
"""


def position(text, needle, after=0):
    """The LSP position (UTF-16 characters) `after` characters into the
    first occurrence of needle."""
    at = text.index(needle) + after
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return {"line": line, "character": len(text[start:at].encode("utf-16-le")) // 2}


def main():
    pathway, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    here = os.path.join(source, "tests", "lsp")
    golden = os.path.join(here, "golden", "protocol.json")
    tmp = os.path.realpath(tempfile.mkdtemp())  # the server names includes by realpath
    try:
        transcript = run(pathway, here, tmp)
    finally:
        shutil.rmtree(tmp)
    text = json.dumps(transcript, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        with open(golden, "w", encoding="utf-8") as f:
            f.write(text)
        print("updated", golden)
        return 0
    with open(golden, encoding="utf-8") as f:
        want = f.read()
    if want != text:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                                   "golden/protocol.json", "got"))
        print("FAIL: the exchange differs from tests/lsp/golden/protocol.json "
              "(UPDATE_GOLDEN=1 accepts it)")
        return 1
    print("ok: %d steps as golden" % len(transcript))
    return 0


def run(pathway, here, tmp):
    for name in ("base.pw", "rules.pw"):
        shutil.copy(os.path.join(here, "fixtures", name), tmp)
    rules = os.path.join(tmp, "rules.pw")
    uri = "file://" + rules
    doc = {"uri": uri}
    steps = []

    def step(name, msgs):
        steps.append({"step": name, "received": [normalise(m, tmp) for m in msgs]})

    s = Server(pathway, tmp)
    rid = s.request("textDocument/hover", {"textDocument": doc, "position": {"line": 0, "character": 0}})
    step("a request before initialize", s.response(rid))
    rid = s.request("initialize", {"processId": None, "rootUri": "file://" + tmp, "capabilities": {}})
    step("initialize", s.response(rid))
    s.notify("initialized", {})

    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "pathway",
                                                        "version": 1, "text": BROKEN}})
    broken_diags = s.diagnostics()
    step("open a buffer with unsaved errors", broken_diags)

    # A burst of changes in one write: checked once, at its last version.
    fixed = BROKEN.replace("agee", "age").replace("regoin", "region")
    burst = b"".join(Server.frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": t}]}})
        for v, t in ((2, BROKEN + "\n"), (3, BROKEN + "\n\n"), (4, fixed)))
    s.raw(burst)
    fixed_diags = s.diagnostics()
    step("a burst of changes, fixed at version 4", fixed_diags)

    def at(needle, after=0):
        return {"textDocument": doc, "position": position(fixed, needle, after)}

    for name, method, params in (
            ("hover: a field declared in an include", "textDocument/hover", at("age >= 18")),
            ("hover: a definition", "textDocument/hover", at(": adult", 3)),
            ("hover: a program", "textDocument/hover", at("level_1 not", 2)),
            ("hover: a requirement's label in a test", "textDocument/hover", at('unmet "', 8)),
            ("hover: a source", "textDocument/hover", at("citing enrol", 9)),
            ("hover: nothing there", "textDocument/hover", at("hours")),
            ("definition: into the include", "textDocument/definition", at("age >= 18")),
            ("definition: a record's field", "textDocument/definition", at("m.body", 3)),
            ("references of a definition", "textDocument/references",
             dict(at("define adult", 8), context={"includeDeclaration": True})),
            ("completion: fields after a dot", "textDocument/completion", at("m.body", 2)),
            ("completion: known values in a string", "textDocument/completion", at('region = "', 10)),
            ("completion: known values of a record's field", "textDocument/completion",
             at('m.body = "', 10)),
            ("completion: known values of a parameter, in a call", "textDocument/completion",
             at('in_region("', 11)),
            ("completion: program ids after expect", "textDocument/completion", at("expect ", 7)),
            ("completion: requirement labels in a test", "textDocument/completion", at('unmet "', 7)),
            ("completion: in code", "textDocument/completion", at("age >= 18")),
            ("completion: in a comment", "textDocument/completion", at("# lint", 3))):
        rid = s.request(method, params)
        step(name, s.response(rid))

    # Saved: the file's tests run, and the failed expectation is a diagnostic.
    with open(rules, "w", encoding="utf-8") as f:
        f.write(fixed)
    s.notify("textDocument/didSave", {"textDocument": doc})
    step("save: the tests run, a failure on its expectation", s.diagnostics())

    ugly = fixed.replace("  hours 6", "hours    6").replace("define adult", "define   adult")
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                        "contentChanges": [{"text": ugly}]})
    rid = s.request("textDocument/formatting", {"textDocument": doc,
                                                "options": {"tabSize": 2, "insertSpaces": True}})
    step("formatting an unformatted buffer", s.response(rid))
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 6},
                                        "contentChanges": [{"text": fixed}]})
    rid = s.request("textDocument/formatting", {"textDocument": doc, "options": {}})
    step("formatting a formatted buffer", s.response(rid))
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 7},
                                        "contentChanges": [{"text": fixed + "program {"}]})
    rid = s.request("textDocument/formatting", {"textDocument": doc, "options": {}})
    step("formatting a buffer that does not parse", s.response(rid))
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 8},
                                        "contentChanges": [{"text": fixed}]})

    rid = s.request("textDocument/documentSymbol", {"textDocument": doc})
    step("documentSymbol", s.response(rid))

    # The diagnostics' fix-its and the lint's suppression as quick fixes.
    wanted = (broken_diags[-1]["params"]["diagnostics"][:1] + fixed_diags[-1]["params"]["diagnostics"])
    rid = s.request("textDocument/codeAction", {"textDocument": doc, "range": wanted[0]["range"],
                                                "context": {"diagnostics": wanted}})
    step("codeAction: a fix-it and a lint suppression", s.response(rid))

    # Malformed input: each gets an error response and the server stays up.
    s.raw(b"Content-Length: x\r\n\r\n")
    step("a header without a number", [s.receive()])
    s.raw(b"Content-Length: 99999999999999999999999\r\n\r\n")
    step("a length past any size", [s.receive()])
    s.raw(b"Content-Type: text/plain\r\n\r\n")
    step("a header without Content-Length", [s.receive()])
    s.raw(b"Content-Length: 9\r\n\r\n{\"jsonrpc")
    step("a body that is not JSON", [s.receive()])
    s.raw(Server.frame([1, 2]))
    step("an array, not a request", [s.receive()])
    s.raw(Server.frame({"jsonrpc": "2.0", "id": "s1", "method": "textDocument/hover", "params": "x"}))
    step("params that are a string", [s.receive()])
    rid = s.request("pathway/nonesuch", {})
    step("an unknown method", s.response(rid))
    rid = s.request("textDocument/formatting", {"textDocument": {}})
    step("formatting without a uri", s.response(rid))
    rid = s.request("textDocument/documentSymbol", {"textDocument": {"uri": "file:///nowhere.pw"}})
    step("a document that is not open", s.response(rid))
    rid = s.request("textDocument/documentSymbol", {"textDocument": doc})
    still = s.response(rid)
    step("still up: documentSymbol answers", [{"answered": "result" in still[-1]}])

    s.notify("textDocument/didClose", {"textDocument": doc})
    step("close: diagnostics cleared", s.diagnostics())
    rid = s.request("shutdown", None)
    step("shutdown", s.response(rid))
    rid = s.request("textDocument/documentSymbol", {"textDocument": doc})
    step("a request after shutdown", s.response(rid))
    s.notify("exit", None)
    step("exit after shutdown: status", [{"status": s.finish()}])

    s = Server(pathway, tmp)
    rid = s.request("initialize", {"processId": None, "capabilities": {}})
    s.response(rid)
    s.notify("exit", None)
    step("exit without shutdown: status", [{"status": s.finish()}])

    s = Server(pathway, tmp)
    step("input ends without exit: status", [{"status": s.finish()}])

    # The client goes away: the answer cannot be written (no SIGPIPE kill).
    p = subprocess.Popen([pathway, "lsp"], cwd=tmp, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.close()
    p.stdin.write(Server.frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}))
    p.stdin.close()
    step("output closed by the client: status", [{"status": p.wait(timeout=WAIT)}])
    return steps


if __name__ == "__main__":
    sys.exit(main())
