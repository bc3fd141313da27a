#!/usr/bin/env python3
"""Checks what headless Chromium made of `pathway report --format html`:
the DOM it rendered (--dump-dom) and its screenshot (--screenshot, PNG).

usage: check_page.py REPORT.json DOM.html SCREENSHOT.png

- Every program of the JSON report has its section, and in it a chart (an
  <svg class="chart">) whose bars (<rect class="bar ...">) carry the report's
  numbers: eligible, not eligible, and its unmet requirements most common
  first, with their labels.
- The screenshot shows bars: pixels of the eligible (#2e7d32) and unmet
  (#c62828) colours. The PNG is decoded with the standard library only.
Prints what it checked; exits 1 on the first difference."""
import json
import struct
import sys
import zlib
from html.parser import HTMLParser


class Page(HTMLParser):
    """Sections of the rendered page, each with its chart's bars."""

    def __init__(self):
        super().__init__()
        self.sections, self.section, self.charts = {}, None, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "program" in a.get("class", "").split():
            self.section = a["id"][len("program-"):]
            self.sections[self.section] = []
        elif tag == "svg" and "chart" in a.get("class", "").split():
            self.charts += 1
        elif tag == "rect" and "bar" in a.get("class", "").split() and self.section:
            kind = [c for c in a["class"].split() if c != "bar"][0]
            self.sections[self.section].append((kind, a.get("data-label"), int(a["data-count"]),
                                                float(a["width"])))

    def handle_endtag(self, tag):
        if tag == "section":
            self.section = None


def fail(msg):
    print(f"FAIL {msg}")
    sys.exit(1)


def check_dom(report, dom):
    page = Page()
    page.feed(dom)
    if page.charts != len(report["programs"]):
        fail(f"{page.charts} charts rendered, expected {len(report['programs'])}")
    for p in report["programs"]:
        bars = page.sections.get(p["program"])
        if bars is None:
            fail(f"no section for {p['program']}")
        want = [("eligible", "eligible", p["eligible"]), ("not-eligible", "not eligible", p["not_eligible"])]
        want += [("unmet", u["requirement"], u["count"]) for u in p["unmet"] if u["count"]][:3]
        got = [(k, label, n) for k, label, n, _ in bars]
        if got != want:
            fail(f"{p['program']}: bars {got}, expected {want}")
        for k, label, n, width in bars:
            if (n > 0) != (width > 0):
                fail(f"{p['program']}: bar {label!r} of {n} is {width} wide")
    print(f"ok   DOM: {page.charts} charts, every bar with the report's count and label")


def png_pixels(data):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, color = head[0], head[1], head[2], head[3]
    if depth != 8 or color not in (2, 6):
        fail(f"unexpected PNG format: depth {depth}, colour type {color}")
    bpp = 3 if color == 2 else 4
    raw, stride, prev, rows, at = zlib.decompress(idat), w * bpp, bytearray(w * bpp), [], 0
    for _ in range(h):
        f, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def check_png(data):
    w, h, bpp, rows = png_pixels(data)
    colours = {"eligible": (0x2e, 0x7d, 0x32), "unmet": (0xc6, 0x28, 0x28)}
    counts = dict.fromkeys(colours, 0)
    for row in rows:
        for x in range(0, w * bpp, bpp):
            px = row[x], row[x + 1], row[x + 2]
            for name, c in colours.items():
                if all(abs(px[i] - c[i]) <= 6 for i in range(3)):
                    counts[name] += 1
    for name, n in counts.items():
        if n < 200:
            fail(f"screenshot {w}x{h}: only {n} pixels of the {name} bars' colour")
    print(f"ok   screenshot {w}x{h}: {counts['eligible']} eligible-bar and {counts['unmet']} unmet-bar pixels")


def main():
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    check_dom(report, open(sys.argv[2], encoding="utf-8").read())
    check_png(open(sys.argv[3], "rb").read())


if __name__ == "__main__":
    main()
