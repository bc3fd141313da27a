#!/usr/bin/env python3
"""The catalogue of compiler diagnostics (errors.catalogue).

src/diag/codes.h is the table of the compiler's codes; docs/errors.md has a
section per code. This checks that they agree and that the sections are true:

  (a) every code of the table has its section in docs/errors.md, in the
      table's order, headed by the table's summary, and every section is a
      code of the table;
  (b) every code is reported somewhere in src/ or grammar/ (PD_Ennnn), unless its summary
      starts with "reserved: " (then it is reported nowhere);
  (c) each section's failing example (its one ```pathway-error block),
      compiled with `pathway check`, fails, and every diagnostic it reports
      in the example's own file carries that code (or is one the example's
      `# also reports:` line names, each of which it must report); a code
      whose summary starts with "reserved: " or "internal: " (reported, but
      not from any rule file) has no example;
  (d) `pathway check --explain CODE` prints the section, and an unknown
      code is a usage error.

A failing example is written to example.pw in a temporary directory. A line
`# file: NAME` starts another file of the example (an included one); a
first line `# check with: OPTIONS` gives options for `pathway check`, and a
line `# also reports: CODE...` the codes reported with the section's own
(a follow-on error that the example cannot avoid).
`{{N x TEXT}}` stands for TEXT written N times, `{{NUL}}` for a NUL byte.

usage: catalogue.py PATHWAY_BINARY REPOSITORY_ROOT
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROW = re.compile(r'X\((E\d{4}),\s*(ERROR|WARNING|NOTE),\s*"((?:[^"\\]|\\.)*)"\)')
HEADING = re.compile(r'^## (E\d{4}): (.*)$', re.M)
FENCE = re.compile(r'^```(\S*)\n(.*?)^```$', re.M | re.S)

failures = []


def fail(msg):
    failures.append(msg)
    print('not ok - ' + msg)


def ok(msg):
    print('ok - ' + msg)


def table(root):
    with open(os.path.join(root, 'src/diag/codes.h'), encoding='utf-8') as f:
        rows = ROW.findall(f.read())
    return [(code, sev, summary.replace('\\"', '"')) for code, sev, summary in rows]


def sections(root):
    """{code: (summary, body)} in the order of docs/errors.md."""
    with open(os.path.join(root, 'docs/errors.md'), encoding='utf-8') as f:
        text = f.read()
    found = list(HEADING.finditer(text))
    out = {}
    for m in found:
        end = section_end(text, m.end())
        body = re.sub(r'^<a id="e\d{4}"></a>\n', '', text[m.end():end], flags=re.M)
        if m.group(1) in out:
            fail('docs/errors.md: %s has two sections' % m.group(1))
        out[m.group(1)] = (m.group(2), body)
    return out


def section_end(text, start):
    """Where a section that starts at `start` ends: the next heading of its
    level or above, outside fenced blocks."""
    fenced, pos = False, start
    for line in text[start:].splitlines(keepends=True):
        if line.startswith('```'):
            fenced = not fenced
        elif not fenced and re.match(r'#{1,2} ', line):
            return pos
        pos += len(line)
    return len(text)


def reported_codes(root):
    """Every code a source file under src/ or grammar/ reports."""
    seen = set()
    for top in ('src', 'grammar'):
        for d, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                path = os.path.join(d, name)
                if path.endswith(('diag/codes.h', 'diag/codes.c')):
                    continue
                if not name.endswith(('.c', '.h', '.l', '.y')):
                    continue
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                seen.update(re.findall(r'\bPD_(E\d{4})\b', text))
                # A code as a literal escapes the table.
                for m in re.finditer(r'\bpd_v?add\([^;]*?"(E\d{4})"', text):
                    fail('%s: %s reported by pd_add with a literal; use pd_report(..., PD_%s, ...)'
                         % (os.path.relpath(path, root), m.group(1), m.group(1)))
    return seen


def example_files(block):
    """The files of an example ({name: text}, example.pw first) and its options."""
    lines = block.split('\n')
    opts, also = [], []
    for line in lines:
        if line.startswith('# check with:'):
            opts = shlex.split(line[len('# check with:'):])
        elif line.startswith('# also reports:'):
            also = line[len('# also reports:'):].replace(',', ' ').split()
    files, name = {'example.pw': []}, 'example.pw'
    for line in lines:
        m = re.match(r'^# file: (\S+)$', line)
        if m:
            name = m.group(1)
            files[name] = []
        else:
            files[name].append(line)
    return {n: expand('\n'.join(ls)) for n, ls in files.items()}, opts, also


def expand(text):
    """The notations of docs/errors.md for what cannot be printed."""
    text = re.sub(r'\{\{(\d+) x (.*?)\}\}', lambda m: m.group(2) * int(m.group(1)), text)
    return text.replace('{{NUL}}', '\0')


def check_example(binary, code, block, tmp_root):
    files, opts, also = example_files(block)
    work = tempfile.mkdtemp(dir=tmp_root)
    for name, text in files.items():
        path = os.path.join(work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
    opts = [o.replace('$DIR', work) for o in opts]
    run = subprocess.run([binary, 'check', '--format', 'json'] + opts + ['example.pw'],
                         cwd=work, capture_output=True, text=True, env=dict(os.environ, NO_COLOR='1'))
    shutil.rmtree(work)
    if run.returncode != 1:
        fail('%s: the example exits %d, not 1: %s' % (code, run.returncode, run.stderr.strip()))
        return
    own = []
    for line in run.stdout.splitlines():
        d = json.loads(line)
        if d.get('file') in (None, 'example.pw'):
            own.append(d)
    codes = sorted({d['code'] for d in own})
    if codes == sorted(set([code] + also)):
        ok('%s: the example reports %s' % (code, code))
    else:
        fail('%s: the example reports %s in example.pw:\n%s' % (code, codes or 'nothing', run.stdout))


def check_explain(binary, code, summary, body):
    run = subprocess.run([binary, 'check', '--explain', code.lower()], capture_output=True, text=True)
    first = '%s: %s' % (code, summary)
    if run.returncode != 0:
        fail('%s: --explain exits %d: %s' % (code, run.returncode, run.stderr.strip()))
    elif not run.stdout.startswith(first + '\n'):
        fail('%s: --explain does not start with "%s":\n%s' % (code, first, run.stdout[:200]))
    elif body.strip() not in run.stdout:
        fail('%s: --explain does not print the section of docs/errors.md' % code)
    else:
        ok('%s: --explain prints its section' % code)


def main():
    binary, root = sys.argv[1], sys.argv[2]
    rows = table(root)
    docs = sections(root)
    if len(rows) < 100:
        fail('src/diag/codes.h: only %d codes read' % len(rows))
    codes = [r[0] for r in rows]
    if len(set(codes)) != len(codes):
        fail('src/diag/codes.h: a code is in the table twice')
    # (a) the table and the documentation agree, in the same order.
    for code, _, summary in rows:
        if code not in docs:
            fail('%s: no section "## %s: %s" in docs/errors.md' % (code, code, summary))
        elif docs[code][0] != summary:
            fail('%s: docs/errors.md says "%s", the table "%s"' % (code, docs[code][0], summary))
    for code in docs:
        if code not in codes:
            fail('%s: documented in docs/errors.md but not in src/diag/codes.h' % code)
    documented = [c for c in docs if c in codes]
    if documented != [c for c in codes if c in docs]:
        fail('docs/errors.md: the sections are not in the order of the table')
    # (b) every code is reported (or reserved, with its reason).
    reported = reported_codes(root)
    for code, _, summary in rows:
        if summary.startswith('reserved: '):
            if code in reported:
                fail('%s: reserved, but reported' % code)
        elif code not in reported:
            fail('%s: reported nowhere in src/ or grammar/ (mark it "reserved: why")' % code)
    # (c) and (d): each section's failing example, and --explain.
    tmp_root = tempfile.mkdtemp()
    try:
        for code, _, summary in rows:
            if code not in docs:
                continue
            body = docs[code][1]
            blocks = [b for info, b in FENCE.findall(body) if info == 'pathway-error']
            if summary.startswith(('reserved: ', 'internal: ')):
                if blocks:
                    fail('%s: %s, but has a failing example' % (code, summary.split(':')[0]))
            elif len(blocks) != 1:
                fail('%s: %d ```pathway-error blocks, not one' % (code, len(blocks)))
            else:
                check_example(binary, code, blocks[0], tmp_root)
            check_explain(binary, code, summary, body)
    finally:
        shutil.rmtree(tmp_root)
    run = subprocess.run([binary, 'check', '--explain', 'E9999'], capture_output=True, text=True)
    if run.returncode == 2 and 'E9999' in run.stderr and not run.stdout:
        ok('--explain E9999: a usage error naming the code')
    else:
        fail('--explain E9999: exit %d, stderr %r' % (run.returncode, run.stderr))
    run = subprocess.run([binary, 'check', '--explain'], capture_output=True, text=True)
    if run.returncode == 2 and '--explain' in run.stderr:
        ok('--explain without a code: a usage error')
    else:
        fail('--explain without a code: exit %d, stderr %r' % (run.returncode, run.stderr))
    print('%d codes, %d failures' % (len(rows), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
