#!/usr/bin/env bash
# Runs a Python test (default: test_sqlite.py) with a python3 whose sqlite3
# module can load extensions: Debian's /usr/bin/python3 can, a python3 built
# elsewhere (pyenv, say) often cannot. Missing: fails on CI, skips elsewhere.
# With PWS_MEMCHECK set, under valgrind's memcheck.
set -u
here=$(cd "$(dirname "$0")" && pwd)
script=${1:-$here/test_sqlite.py}
for py in /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null &&
     "$py" -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension(True)' 2>/dev/null; then
    if [ -n "${PWS_MEMCHECK:-}" ]; then
      # sqlite.memcheck: no invalid access and nothing definitely lost.
      command -v valgrind >/dev/null || {
        echo "valgrind not found (Debian: valgrind)" >&2
        [ "${CI:-}" = true ] && exit 1
        exit 77
      }
      exec valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite "$(command -v "$py")" "$script"
    fi
    exec "$py" "$script"
  fi
done
echo "no python3 whose sqlite3 module loads extensions (Debian: python3)" >&2
[ "${CI:-}" = true ] && exit 1
exit 77
