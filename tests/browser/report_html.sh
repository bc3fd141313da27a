#!/usr/bin/env bash
# `pathway report --format html` in a real browser: headless Chromium
# renders the page; the rendered DOM must hold a chart per program whose
# bars carry the report's numbers and labels, and the screenshot must show
# the bars' colours (check_page.py). Not among tests/cli/*.sh, so that
# scripts/valgrind.sh does not run a browser under valgrind.
#
# Chromium comes from Debian (scripts/deps.sh installs it). Without it the
# test is skipped (exit 77) on a developer's machine, and fails in CI
# (CI=true), where it must run.
# usage: report_html.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL chromium is not installed, and CI must run the browser test (bash scripts/deps.sh installs it)"
    exit 1
  fi
  echo "SKIP chromium is not installed (apt-get install chromium, or bash scripts/deps.sh)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/tests/rules/gen_population.py" 3000 5 2026-11-23 >"$tmp/pop.jsonl"
rules=$root/rules/usatf/usatf.pw
"$bin" report "$rules" --facts "$tmp/pop.jsonl" --as-of 2026-11-23 --format html -o "$tmp/report.html" || exit 1
"$bin" report "$rules" --facts "$tmp/pop.jsonl" --as-of 2026-11-23 --format json >"$tmp/report.json" || exit 1

# As root (CI) Chromium needs --no-sandbox; its profile and crash files go
# to the scratch directory, never to $HOME.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars
       --user-data-dir="$tmp/profile" --window-size=1000,4200)
export HOME=$tmp
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$tmp/report.html" >"$tmp/dom.html" 2>"$tmp/chromium.err"
rc=$?
if [ $rc -ne 0 ] || ! grep -q '<svg' "$tmp/dom.html"; then
  echo "FAIL chromium --dump-dom (exit $rc)"; tail -20 "$tmp/chromium.err"; exit 1
fi
(cd "$tmp" && timeout 120 "$browser" "${flags[@]}" --screenshot="$tmp/page.png" "file://$tmp/report.html" \
  >/dev/null 2>>"$tmp/chromium.err")
rc=$?
if [ $rc -ne 0 ] || [ ! -s "$tmp/page.png" ]; then
  echo "FAIL chromium --screenshot (exit $rc)"; tail -20 "$tmp/chromium.err"; exit 1
fi
echo "ok   rendered by $("$browser" --version 2>/dev/null | head -1)"
python3 "$here/check_page.py" "$tmp/report.json" "$tmp/dom.html" "$tmp/page.png"
