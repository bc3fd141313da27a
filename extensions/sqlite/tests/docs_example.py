"""sqlite.docs: runs docs/sqlite.md's worked example as written.

The blocks between <!-- example --> and <!-- /example --> run in order in a
scratch directory laid out like a built checkout (rules/, build/pathway,
build/sqlite/libpathway_sqlite.so, `pathway` on PATH): ```sh blocks with
bash, ```sql blocks with the sqlite3 command the page gives, ```python blocks
with this Python; a ```text block right after one is what it must print.
Environment: PWS_EXT, PW_BIN, PW_SRC.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXT = os.environ["PWS_EXT"]
PW_BIN = os.environ["PW_BIN"]
SRC = os.environ["PW_SRC"]
SQLITE = ["sqlite3", "-cmd", ".load build/sqlite/libpathway_sqlite", "members.db"]


def example_blocks(page):
    """(info, body) of each fenced block of the worked example, in order."""
    text = page.split("<!-- example -->", 1)[1].split("<!-- /example -->", 1)[0]
    return re.findall(r"^```(\w*)\n(.*?)^```$", text, flags=re.S | re.M)


def setup(tmp):
    shutil.copytree(os.path.join(SRC, "rules"), os.path.join(tmp, "rules"))
    os.makedirs(os.path.join(tmp, "build", "sqlite"))
    shutil.copy(EXT, os.path.join(tmp, "build", "sqlite", "libpathway_sqlite.so"))
    shutil.copy(PW_BIN, os.path.join(tmp, "build", "pathway"))
    env = dict(os.environ)
    env["PATH"] = os.path.join(tmp, "build") + os.pathsep + env["PATH"]
    return env


def run(info, body, tmp, env):
    if info == "sh":
        cmd, stdin = ["bash", "-e", "-c", body], None
    elif info == "sql":
        cmd, stdin = SQLITE, body
    elif info == "python":
        cmd, stdin = [sys.executable, "-c", body], None
    else:
        return None
    p = subprocess.run(cmd, input=stdin, cwd=tmp, env=env, capture_output=True, text=True)
    if p.returncode != 0 or p.stderr:
        print("FAIL: exit %d\n%s\n--- stderr:\n%s" % (p.returncode, body, p.stderr))
        return False
    return p.stdout


def main():
    if shutil.which("sqlite3") is None:
        print("sqlite3 shell not found (Debian: sqlite3)", file=sys.stderr)
        sys.exit(1 if os.environ.get("CI") == "true" else 77)
    with open(os.path.join(SRC, "docs", "sqlite.md"), encoding="utf-8") as f:
        blocks = example_blocks(f.read())
    tmp = tempfile.mkdtemp()
    failed, checked, ran = 0, 0, 0
    try:
        env = setup(tmp)
        out = None
        for info, body in blocks:
            if info == "text":
                if out is None:
                    print("FAIL: a text block follows no block that runs:\n" + body)
                    failed = 1
                elif out != body:
                    print("FAIL: printed\n%s--- the page says\n%s" % (out, body))
                    failed = 1
                checked += 1
                out = None
                continue
            out = run(info, body, tmp, env)
            if out is False:
                failed = 1
                out = None
            elif out is not None:
                ran += 1
    finally:
        shutil.rmtree(tmp)
    print("%d blocks run, %d outputs compared" % (ran, checked))
    if ran < 5 or checked < 4:
        print("FAIL: the worked example is missing from docs/sqlite.md")
        failed = 1
    sys.exit(failed)


if __name__ == "__main__":
    main()
