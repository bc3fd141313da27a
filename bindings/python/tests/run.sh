#!/usr/bin/env bash
# bindings/python/tests/run.sh TEST_FILE [pytest args]: one pytest file of the
# Python binding, run by ctest (bindings/python/CMakeLists.txt), which sets
# PATHWAY_LIBRARY (the build tree's libpathway.so), PATHWAY_BIN and
# PATHWAY_SOURCE. Everything the run writes (pytest's temporary directories,
# a venv) goes into one scratch directory, removed at the end; no bytecode
# or cache is written into the source tree.
#
# Python: $PYTHON when set, else the first of python3 and Debian's
# /usr/bin/python3 that has pytest (Debian: python3-pytest). Without one:
# exit 77 (ctest's SKIP) on a developer's machine, a failure in CI (CI=true).
set -u
here=$(cd "$(dirname "$0")" && pwd)
test_file=$1
shift

python=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import pytest' >/dev/null 2>&1; then
    python=$(command -v "$p")
    break
  fi
done
if [ -z "$python" ]; then
  echo "python.*: no python3 with pytest (apt-get install python3-pytest; bash scripts/deps.sh test)"
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH="$here/../src${PYTHONPATH:+:$PYTHONPATH}"
export TMPDIR="$tmp"
export PATHWAY_PYTHON="$python"
cd "$tmp" || exit 1
"$python" -m pytest -p no:cacheprovider -q -c /dev/null --rootdir "$tmp" \
  "$here/$test_file" "$@"
