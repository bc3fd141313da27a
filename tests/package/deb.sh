#!/usr/bin/env bash
# The Debian packages (docs/packaging.md): built by scripts/package.sh,
# checked by lintian (no error and no warning, pedantic tags included), then
# installed with `dpkg -i` into a root of the test's own (dpkg --root: its
# own package database, nothing written outside the test's directory), used
# there as a host would use them, and removed again.
#
#   deb.sh SOURCE_DIR WORK_PARENT
set -u
src=$1 parent=$2

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

for tool in dpkg-buildflags lintian help2man cpack; do
    if ! command -v "$tool" >/dev/null; then
        [ "${CI:-}" = true ] && fail "$tool is not installed (bash scripts/deps.sh test)"
        skip "$tool is not installed"
    fi
done
mkdir -p "$parent"
work=$(mktemp -d "$parent/package.deb.XXXXXX") || fail "mktemp"
trap 'rm -rf "$work"' EXIT

bash "$src/scripts/package.sh" "$work/build" >"$work/package.log" 2>&1 ||
    { tail -40 "$work/package.log"; fail "scripts/package.sh"; }
version=$(sed -n 's/^project(pathway VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
debs=()
for p in pathway libpathway0 libpathway-runtime0 libpathway-dev; do
    f=$work/build/${p}_${version}_${arch}.deb
    [ -f "$f" ] || fail "no package $p ($f)"
    debs+=("$f")
done

# lintian: errors, warnings and pedantic tags fail; the overrides are ours,
# each with its reason (packaging/*.lintian-overrides.in).
lintian --fail-on error,warning,pedantic --pedantic "${debs[@]}" >"$work/lintian.log" 2>&1 ||
    { cat "$work/lintian.log"; fail "lintian"; }

# What each package holds, and what it depends on.
contents() { dpkg-deb -c "$1" | awk '{print $6}'; }
field() { dpkg-deb -f "$1" "$2"; }
contents "${debs[0]}" >"$work/c.cli"
for want in ./usr/bin/pathway ./usr/share/man/man1/pathway.1.gz ./usr/share/man/man1/pathway-eval.1.gz \
    ./usr/share/bash-completion/completions/pathway ./usr/share/doc/pathway/copyright \
    ./usr/share/doc/pathway/language.md; do
    grep -qx -- "$want" "$work/c.cli" || fail "pathway lacks $want"
done
grep -q 'libpathway' <(field "${debs[0]}" Depends) && fail "pathway depends on a library package it does not link"
grep -q 'libcjson1' <(field "${debs[0]}" Depends) || fail "pathway does not depend on libcjson1"
for i in 1 2; do
    contents "${debs[$i]}" >"$work/c.lib$i"
    grep -q '\.so\.0$' "$work/c.lib$i" || fail "${debs[$i]##*/} has no shared library"
    grep -E '\.(a|h|pc)$' "$work/c.lib$i" && fail "${debs[$i]##*/} holds development files"
    dpkg-deb --ctrl-tarfile "${debs[$i]}" | tar -xOf - ./triggers | grep -qx 'activate-noawait ldconfig' ||
        fail "${debs[$i]##*/} does not activate the ldconfig trigger"
    dpkg-deb --ctrl-tarfile "${debs[$i]}" | tar -xOf - ./shlibs >"$work/shlibs$i" || fail "no shlibs file"
done
grep -qx "libpathway 0 libpathway0 (>= $version)" "$work/shlibs1" || { cat "$work/shlibs1"; fail "libpathway0's shlibs"; }
grep -qx "libpathway_runtime 0 libpathway-runtime0 (>= $version)" "$work/shlibs2" ||
    { cat "$work/shlibs2"; fail "libpathway-runtime0's shlibs"; }
grep -q "libpathway0 (= $version)" <(field "${debs[3]}" Depends) || fail "libpathway-dev does not pin libpathway0"

# dpkg -i into the test's own root. Its database knows none of the host's
# packages, so dependencies are not checked there (--force-depends); the
# maintainer scripts run outside a chroot with DPKG_ROOT set
# (--force-script-chrootless), which packaging/postinst honours.
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkgr() { dpkg --root="$root" --force-depends --force-script-chrootless --force-not-root "$@"; }
dpkgr -i "${debs[@]}" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
for p in pathway libpathway0 libpathway-runtime0 libpathway-dev; do
    [ "$(dpkgr -s "$p" 2>/dev/null | sed -n 's/^Status: //p')" = "install ok installed" ] ||
        fail "$p is not installed in the test root"
done

# The installed command, and a host built against the installed library.
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
libdir=$root/usr/lib/$multiarch
"$root/usr/bin/pathway" --version >"$work/version" 2>&1 || fail "installed pathway --version"
grep -q "$version" "$work/version" || fail "installed pathway says another version: $(cat "$work/version")"
"$root/usr/bin/pathway" check "$src/rules/usatf/usatf.pw" >"$work/check" 2>&1 ||
    { cat "$work/check"; fail "installed pathway check"; }
zcat "$root/usr/share/man/man1/pathway-lint.1.gz" | grep -q '^\.TH PATHWAY-LINT "1"' || fail "pathway-lint.1.gz"
# pathway.pc names /usr; here the prefix is the test's root.
pc() { PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --define-variable=prefix="$root/usr" "$@"; }
[ "$(pc --variable=libdir pathway)" = "$libdir" ] || fail "pathway.pc: libdir is not under its prefix"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$src/examples/host.c" -o "$work/host" $(pc --cflags --libs pathway) ||
    fail "examples/host.c against the installed libpathway-dev"
LD_LIBRARY_PATH=$libdir "$work/host" "$src/rules/usatf/usatf.pw" "$src/examples/coaches.jsonl" >"$work/host.out" 2>&1 ||
    { cat "$work/host.out"; fail "the host built against the package"; }
diff -u "$src/examples/host.expected" "$work/host.out" || fail "the packaged library decides otherwise"
cmake -S "$src/tests/install/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$root/usr" \
    -DPW_LIB=pathway::runtime -DPW_HOST="$src/tests/install/runtime_host.c" >"$work/consumer.log" 2>&1 &&
    cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1 ||
    { cat "$work/consumer.log"; fail "find_package(pathway) from the package"; }
"$root/usr/bin/pathway" compile "$src/rules/usatf/usatf.pw" -o "$work/usatf.pwc" || fail "installed pathway compile"
sed '/^coach built field by field:/,$d' "$src/examples/host.expected" >"$work/expected_json"
LD_LIBRARY_PATH=$libdir "$work/consumer/host" "$work/usatf.pwc" "$src/examples/coaches.jsonl" >"$work/rt.out" 2>&1 ||
    { cat "$work/rt.out"; fail "the runtime host built with find_package(pathway)"; }
diff -u "$work/expected_json" "$work/rt.out" || fail "the packaged runtime decides otherwise"

# Removing leaves nothing of the packages behind but the directories.
dpkgr --purge libpathway-dev pathway libpathway0 libpathway-runtime0 >"$work/purge.log" 2>&1 ||
    { cat "$work/purge.log"; fail "dpkg --purge"; }
left=$(find "$root" -path "$root/var" -prune -o -type f -print)
[ -z "$left" ] || fail "files left after purge: $left"
echo "PASS: 4 packages built, lintian-clean, installed, used and purged"
