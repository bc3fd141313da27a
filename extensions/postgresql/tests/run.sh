#!/usr/bin/env bash
# postgresql.regress: builds the `pathway` extension against the build tree's
# libpathway.a, installs it into the server's extension directories (PGXS
# `make install`: $(pg_config --sharedir)/extension and --pkglibdir, the one
# place a server looks; fine on CI's fresh machine), starts a real server of
# its own (initdb in a temporary directory, a Unix socket there, no TCP) and
# runs pg_regress over sql/*.sql against expected/*.out, plus the worked
# example of docs/postgresql.md as written there.
#
# Usage: run.sh SOURCE_DIR PATHWAY_BIN LIBPATHWAY_A
# Exit 77 (skip) when PostgreSQL's server or its headers are missing, unless
# CI=true, where that is a failure. Run as root (as CI does), the server runs
# as the `postgres` user: initdb refuses root.
set -euo pipefail
src=$(cd "$1" && pwd)
pathway=$2
build=$(cd "$(dirname "$3")" && pwd)
ext=$src/extensions/postgresql

unavailable() {
  if [ "${CI:-}" = true ]; then
    echo "FAIL: $* (CI=true: bash scripts/deps.sh installs it)" >&2
    exit 1
  fi
  echo "SKIP: $*"
  exit 77
}

. "$ext/tests/pg_lib.sh"
why=$(pgx_find) || unavailable "$why"
pgx_find
[ -f "$build/libpathway.a" ] && [ -x "$pathway" ] || { echo "FAIL: no $build/libpathway.a or $pathway" >&2; exit 1; }

# In /tmp whatever TMPDIR says: the server's user must reach it, and a Unix
# socket's path must stay under 108 bytes.
tmp=$(mktemp -d /tmp/pathway-pg.XXXXXX)
cleanup() {
  pgx_stop "$tmp"
  [ -n "${PATHWAY_PG_KEEP:-}" ] && { echo "kept $tmp"; return; }
  rm -rf "$tmp"
}
trap cleanup EXIT

pgx_build_install "$src" "$build" "$tmp/ext" || { echo "FAIL: build" >&2; exit 1; }
# The installed-library build (docs/postgresql.md): against a Pathway
# installed under a prefix, found by pkg-config, linking libpathway.so.0 by
# its run path (built, not installed).
if command -v cmake >/dev/null && [ -f "$build/cmake_install.cmake" ]; then
  cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; echo "FAIL: cmake --install" >&2; exit 1; }
  pc=$(dirname "$(find "$tmp/prefix" -name pathway.pc -print -quit)")
  mkdir -p "$tmp/ext-installed"
  PKG_CONFIG_PATH=$pc make -s -C "$tmp/ext-installed" -f "$ext/Makefile" PG_CONFIG="$pg_config" \
    PATHWAY_WERROR=1 >"$tmp/ext-installed/make.log" 2>&1 ||
    { cat "$tmp/ext-installed/make.log" >&2; echo "FAIL: the installed-library build" >&2; exit 1; }
  # Not `ldd | grep -q`: grep leaving early makes ldd die of SIGPIPE, and
  # pipefail then fails a pipeline whose match was found (CI, 2026-12-06).
  ldd "$tmp/ext-installed/pathway.so" >"$tmp/ldd.out"
  grep -qF "libpathway.so.0 => $tmp/prefix/" "$tmp/ldd.out" ||
    { cat "$tmp/ldd.out" >&2; echo "FAIL: pathway.so does not find the installed libpathway.so.0" >&2; exit 1; }
fi
# The second compiler: warning-free with clang too (built, not installed).
if command -v clang >/dev/null; then
  mkdir -p "$tmp/ext-clang"
  make -s -C "$tmp/ext-clang" -f "$ext/Makefile" PG_CONFIG="$pg_config" PATHWAY_BUILD="$build" \
    PATHWAY_WERROR=1 CC=clang >"$tmp/ext-clang/make.log" 2>&1 ||
    { cat "$tmp/ext-clang/make.log" >&2; echo "FAIL: the extension does not build with clang" >&2; exit 1; }
fi

# What the SQL reads (server side, so readable by the server's user).
data=$tmp/data-files
mkdir -p "$data"
cp "$src/examples/coaches.jsonl" "$src/examples/coaches.expected.jsonl" "$data/"
"$pathway" compile "$src/rules/usatf/usatf.pw" -o "$data/usatf.pwc"
"$pathway" compile "$src/rules/england-athletics/england-athletics.pw" -o "$data/england.pwc"
# Rule text from SQL cannot include files: the USATF rules as one text, with
# the record they include in place of the include.
awk 'FNR==NR{inc=inc $0 "\n"; next} /^include "\.\.\/common\/coach\.pw"$/{printf "%s", inc; done=1; next} {print} END{exit !done}' \
  "$src/rules/common/coach.pw" "$src/rules/usatf/usatf.pw" >"$data/usatf.pw" ||
  { echo "FAIL: usatf.pw no longer includes ../common/coach.pw" >&2; exit 1; }
# The worked example's rule change: Level 2 asks for seven years of
# coaching instead of two.
sed 's/"at least two years of coaching experience": experience >= 2/"at least seven years of coaching experience": experience >= 7/' \
  "$data/usatf.pw" >"$data/usatf-2027.pw"
cmp -s "$data/usatf.pw" "$data/usatf-2027.pw" && { echo "FAIL: the rule change did not apply" >&2; exit 1; }
"$pathway" compile "$data/usatf-2027.pw" -o "$data/usatf-2027.pwc"
printf 'not bytecode' >"$data/junk.pwc"

# pg_regress's inputs: the suite, and the worked example from the docs.
mkdir -p "$tmp/in/sql" "$tmp/in/expected" "$tmp/out"
cp "$ext"/sql/*.sql "$tmp/in/sql/"
cp "$ext"/expected/*.out "$tmp/in/expected/"
awk '/<!-- example:begin -->/{on=1; next} /<!-- example:end -->/{on=0} on && /^```sql$/{code=1; next} code && /^```$/{code=0; next} code' \
  "$src/docs/postgresql.md" >"$tmp/in/sql/example.sql"
[ -s "$tmp/in/sql/example.sql" ] || { echo "FAIL: no worked example in docs/postgresql.md" >&2; exit 1; }

pgx_start "$tmp" || { echo "FAIL: server" >&2; exit 1; }

tests=(setup results errors cache fastpath parallel example)
status=0
pgx_as_server env PATHWAY_DATA="$data" "$pg_regress" \
  --inputdir="$tmp/in" --outputdir="$tmp/out" --bindir="$pgbin" \
  --host="$tmp/sock" --port=5432 --user=postgres --dbname=pathway_regression \
  "${tests[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  [ -f "$tmp/out/regression.diffs" ] && cat "$tmp/out/regression.diffs" >&2
  echo "--- server log" >&2; tail -50 "$tmp/server.log" >&2
  echo "FAIL: pg_regress" >&2
  exit 1
fi
# A backend that crashed would have restarted the server: say so.
if grep -q "terminated by signal" "$tmp/server.log"; then
  grep "terminated by signal" "$tmp/server.log" >&2
  echo "FAIL: a backend crashed" >&2
  exit 1
fi
echo "postgresql.regress: ${#tests[@]} tests passed"
