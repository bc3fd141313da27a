#!/usr/bin/env bash
# Builds Pathway's Debian packages (docs/packaging.md):
#   bash scripts/package.sh [BUILD_DIR]      (default: build-package)
# leaves pathway_*.deb, libpathway0_*.deb, libpathway-runtime0_*.deb and
# libpathway-dev_*.deb in BUILD_DIR. A Release build with Debian's own
# compiler and linker flags (dpkg-buildflags: hardening included), installed
# under /usr, man pages compressed; the tests and the SQLite extension are
# not built. Needs dpkg-dev and help2man (bash scripts/deps.sh test).
# PATHWAY_DOCS_URL, when set, is where the release's documentation lives
# (the links of lint's SARIF log: docs/lint.md).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-package}
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cflags="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DPATHWAY_TESTS=OFF -DPATHWAY_SQLITE=OFF -DPATHWAY_MAN=ON -DPATHWAY_MAN_GZIP=ON \
    -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
    -DCMAKE_SHARED_LINKER_FLAGS="$ldflags" ${PATHWAY_DOCS_URL:+"-DPATHWAY_DOCS_URL=$PATHWAY_DOCS_URL"} >/dev/null
cmake --build "$build" -j"$(nproc)"
(cd "$build" && cpack -G DEB)
