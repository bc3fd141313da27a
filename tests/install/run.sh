#!/usr/bin/env bash
# Install and discovery (docs/embedding.md). Each test installs the build into
# its own temporary prefix, under the build tree's Testing/Temporary, then
# builds and runs a consumer out of tree against the installed files only.
#
#   run.sh TEST BUILD_DIR SOURCE_DIR
#
# The environment (tests/install/CMakeLists.txt) gives the configured layout:
# PW_VERSION PW_CMAKE PW_CC PW_CXX PW_CFLAGS PW_LDFLAGS PW_PREFIX PW_LIBDIR PW_INCLUDEDIR PW_MANDIR PW_DOCDIR
# PW_MAN (ON when man pages are), PW_DATADIR, PW_COMPLETION (ON when the shell
# completion scripts are).
set -u
test=$1 build=$2 src=$3

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

mkdir -p "$build/Testing/Temporary"
work=$(mktemp -d "$build/Testing/Temporary/install.$test.XXXXXX") || fail "mktemp"
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
libdir=$prefix/$PW_LIBDIR

# The host examples print this for examples/coaches.jsonl; the runtime host
# prints the JSON part only.
expected=$src/examples/host.expected
expected_json=$work/expected_json
sed '/^coach built field by field:/,$d' "$expected" >"$expected_json"

install_prefix() {
    "$PW_CMAKE" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
        { cat "$work/install.log"; fail "cmake --install --prefix $prefix"; }
}

# run_host EXPECTED PROGRAM ARGS...: runs a host and compares what it prints.
run_host() {
    local want=$1
    shift
    "$@" >"$work/out" 2>"$work/err" || { cat "$work/err"; fail "$* exited non-zero"; }
    diff -u "$want" "$work/out" || fail "$1 printed something else"
}

# needed BINARY: the shared libraries it names (DT_NEEDED).
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

# cmake_consumer NAME TARGET HOST [CMAKE ARGS...]: configures and builds
# tests/install/consumer against the prefix; the program is $work/NAME/host.
cmake_consumer() {
    local name=$1 lib=$2 host=$3
    shift 3
    "$PW_CMAKE" -S "$src/tests/install/consumer" -B "$work/$name" -DCMAKE_C_COMPILER="$PW_CC" \
        -DCMAKE_C_FLAGS="$PW_CFLAGS" -DCMAKE_EXE_LINKER_FLAGS="$PW_LDFLAGS" \
        -DCMAKE_PREFIX_PATH="$prefix" -DPW_LIB="$lib" -DPW_HOST="$host" "$@" \
        >"$work/$name.log" 2>&1 &&
        "$PW_CMAKE" --build "$work/$name" >>"$work/$name.log" 2>&1
}

case "$test" in
pkgconfig)
    # examples/host.c built as its comment says, against the installed tree,
    # shared and static.
    install_prefix
    export PKG_CONFIG_PATH=$libdir/pkgconfig
    [ "$(pkg-config --modversion pathway)" = "$PW_VERSION" ] ||
        fail "pkg-config --modversion pathway"
    [ "$(pkg-config --variable=prefix pathway)" = "$prefix" ] || fail "pathway.pc names another prefix"
    # shellcheck disable=SC2046,SC2086
    "$PW_CC" $PW_CFLAGS $PW_LDFLAGS -std=c11 -Wall -Wextra -Wpedantic -Werror "$src/examples/host.c" -o "$work/host" \
        $(pkg-config --cflags --libs pathway) -Wl,-rpath,"$libdir" || fail "host.c with pkg-config"
    needed "$work/host" | grep -qx 'libpathway.so.0' || fail "host does not link libpathway.so.0"
    run_host "$expected" "$work/host" "$src/rules/usatf/usatf.pw" "$src/examples/coaches.jsonl"
    # shellcheck disable=SC2046,SC2086
    "$PW_CC" $PW_CFLAGS $PW_LDFLAGS -std=c11 -Wall -Wextra -Wpedantic -Werror "$src/examples/host.c" -o "$work/host_static" \
        $(pkg-config --cflags pathway) -Wl,-Bstatic -lpathway -Wl,-Bdynamic \
        $(pkg-config --static --libs pathway | sed 's/ -lpathway\b//') || fail "host.c static"
    needed "$work/host_static" | grep -q 'libpathway' && fail "the static host needs a shared libpathway"
    run_host "$expected" "$work/host_static" "$src/rules/usatf/usatf.pw" "$src/examples/coaches.jsonl"
    ;;
cmake)
    # find_package(pathway) and the imported targets, shared and static; the
    # version check is SameMajorVersion.
    install_prefix
    cmake_consumer shared pathway::pathway "$src/examples/host.c" ||
        { cat "$work/shared.log"; fail "consumer of pathway::pathway"; }
    needed "$work/shared/host" | grep -qx 'libpathway.so.0' || fail "pathway::pathway is not libpathway.so.0"
    run_host "$expected" "$work/shared/host" "$src/rules/usatf/usatf.pw" "$src/examples/coaches.jsonl"
    cmake_consumer static pathway::pathway_static "$src/examples/host.c" ||
        { cat "$work/static.log"; fail "consumer of pathway::pathway_static"; }
    needed "$work/static/host" | grep -q 'libpathway' && fail "pathway::pathway_static links a shared libpathway"
    run_host "$expected" "$work/static/host" "$src/rules/usatf/usatf.pw" "$src/examples/coaches.jsonl"
    cmake_consumer next_major pathway::pathway "$src/examples/host.c" -DPW_WANT_VERSION=1.0 &&
        fail "find_package(pathway 1.0) accepted version 0"
    grep -q 'pathwayConfig.cmake, version: 0\.' "$work/next_major.log" ||
        { cat "$work/next_major.log"; fail "find_package(pathway 1.0) failed for another reason"; }
    ;;
runtime)
    # A host of libpathway_runtime evaluates what the installed `pathway
    # compile` wrote; neither the library nor the host holds compiler code.
    install_prefix
    "$prefix/bin/pathway" compile "$src/rules/usatf/usatf.pw" -o "$work/usatf.pwc" || fail "pathway compile"
    export PKG_CONFIG_PATH=$libdir/pkgconfig
    # shellcheck disable=SC2046,SC2086
    "$PW_CC" $PW_CFLAGS $PW_LDFLAGS -std=c11 -Wall -Wextra -Wpedantic -Werror "$src/tests/install/runtime_host.c" -o "$work/rt_host" \
        $(pkg-config --cflags --libs pathway-runtime) -Wl,-rpath,"$libdir" || fail "runtime host with pkg-config"
    needed "$work/rt_host" | grep -qx 'libpathway_runtime.so.0' || fail "runtime host does not link libpathway_runtime.so.0"
    needed "$work/rt_host" | grep -qx 'libpathway.so.0' && fail "runtime host links the full libpathway"
    run_host "$expected_json" "$work/rt_host" "$work/usatf.pwc" "$src/examples/coaches.jsonl"
    # The one-call eval line is in the runtime: the bytes `pathway eval` prints.
    run_host "$src/examples/coaches.expected.jsonl" "$work/rt_host" "$work/usatf.pwc" "$src/examples/coaches.jsonl" --json
    cmake_consumer runtime pathway::runtime "$src/tests/install/runtime_host.c" ||
        { cat "$work/runtime.log"; fail "consumer of pathway::runtime"; }
    run_host "$expected_json" "$work/runtime/host" "$work/usatf.pwc" "$src/examples/coaches.jsonl"
    cmake_consumer runtime_static pathway::runtime_static "$src/tests/install/runtime_host.c" ||
        { cat "$work/runtime_static.log"; fail "consumer of pathway::runtime_static"; }
    run_host "$expected_json" "$work/runtime_static/host" "$work/usatf.pwc" "$src/examples/coaches.jsonl"
    # Compiler code: the parser and scanner (pw_yy*, yy*), the front end (pp_,
    # ps_), the checker (pc_), the generator (pk_), diagnostics (pd_), the
    # formatter (fm_).
    compiler='^(pw_yy|yy|pp_|ps_|pc_|pk_|pd_|fm_)'
    for f in "$libdir/libpathway_runtime.so.0" "$libdir/libpathway_runtime.a" "$work/runtime_static/host"; do
        found=$(nm --defined-only "$f" 2>/dev/null | awk 'NF == 3 {print $3}' | grep -E "$compiler" | head -5)
        [ -z "$found" ] || fail "compiler code in $(basename "$f"): $found"
    done
    ;;
cxx)
    # The installed header compiles as strict C++11 and links.
    install_prefix
    export PKG_CONFIG_PATH=$libdir/pkgconfig
    # shellcheck disable=SC2046,SC2086
    "$PW_CXX" $PW_CFLAGS $PW_LDFLAGS -std=c++11 -pedantic -Wall -Wextra -Werror "$src/tests/install/consumer.cpp" -o "$work/cxx" \
        $(pkg-config --cflags --libs pathway) -Wl,-rpath,"$libdir" || fail "g++ -std=c++11 on pathway.h"
    printf '%s 2026-11-23\n' "$(pkg-config --modversion pathway)" >"$work/cxx.expected"
    run_host "$work/cxx.expected" "$work/cxx"
    ;;
symbols)
    # The shared libraries export the API and nothing else: every defined
    # dynamic symbol starts with pw_ (PATHWAY_0, the version node, aside), the
    # full library exports every function the header declares, and the
    # runtime's symbols are a subset of the full library's.
    install_prefix
    exports() { nm -D --defined-only "$1" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort; }
    libs=(libpathway libpathway_runtime)
    for lib in "${libs[@]}"; do
        so=$libdir/$lib.so
        [ "$(readlink "$so")" = "$lib.so.0" ] || fail "$lib.so is not a link to $lib.so.0"
        [ -L "$so.0" ] || fail "$lib.so.0 is not a link"
        readelf -d "$so" | grep -q "Library soname: \[$lib.so.0\]" || fail "$lib: SONAME is not $lib.so.0"
        [ -f "$libdir/$lib.a" ] || fail "$lib.a is not installed"
        other=$(exports "$so" | grep -v '^pw_')
        [ -z "$other" ] || fail "$lib.so exports symbols outside the API: ${other//$'\n'/ }"
        echo "$lib.so: $(exports "$so" | wc -l) symbols exported"
        # Linked statically into a host's own shared object (a database
        # extension), an internal name must not become that object's export
        # nor bind to the host's symbol of the same name: every global symbol
        # of the archive but the API has hidden visibility.
        visible=$(readelf -s --wide "$libdir/$lib.a" |
            awk '$5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" {print $8}' | grep -v '^pw_' | sort -u)
        [ -z "$visible" ] || fail "$lib.a has visible symbols outside the API: ${visible//$'\n'/ }"
    done
    # pathway_native.h declares the helpers that compiled rule sets call.
    cat "$prefix/$PW_INCLUDEDIR/pathway.h" "$prefix/$PW_INCLUDEDIR/pathway_native.h" |
        grep -o '\bpw_[a-z0-9_]*(' | tr -d '(' | sort -u >"$work/declared"
    missing=$(comm -23 "$work/declared" <(exports "$libdir/libpathway.so"))
    [ -z "$missing" ] || fail "declared in pathway.h or pathway_native.h, not exported by libpathway.so: ${missing//$'\n'/ }"
    extra=$(comm -13 "$work/declared" <(exports "$libdir/libpathway.so"))
    [ -z "$extra" ] || fail "exported by libpathway.so, not declared in pathway.h or pathway_native.h: ${extra//$'\n'/ }"
    extra=$(comm -13 <(exports "$libdir/libpathway.so") <(exports "$libdir/libpathway_runtime.so"))
    [ -z "$extra" ] || fail "libpathway_runtime.so exports what libpathway.so does not: ${extra//$'\n'/ }"
    ;;
destdir)
    # DESTDIR=STAGE cmake --install: everything lands under STAGE/PREFIX, and
    # what is installed still names PREFIX.
    stage=$work/stage
    DESTDIR=$stage "$PW_CMAKE" --install "$build" >"$work/install.log" 2>&1 ||
        { cat "$work/install.log"; fail "DESTDIR install"; }
    root=$stage$PW_PREFIX
    for f in bin/pathway "$PW_INCLUDEDIR/pathway.h" "$PW_LIBDIR/libpathway.so.0" "$PW_LIBDIR/libpathway.a" \
        "$PW_LIBDIR/pkgconfig/pathway.pc" "$PW_LIBDIR/cmake/pathway/pathwayConfig.cmake" \
        "$PW_LIBDIR/cmake/pathway/pathwayConfigVersion.cmake" "$PW_DOCDIR/embedding.md"; do
        [ -e "$root/$f" ] || fail "DESTDIR install has no $f"
    done
    [ -z "$(find "$stage" -path "$root" -prune -o -type f -print | head -1)" ] ||
        fail "DESTDIR install wrote outside $root: $(find "$stage" -path "$root" -prune -o -type f -print | head -3)"
    grep -qx "prefix=$PW_PREFIX" "$root/$PW_LIBDIR/pkgconfig/pathway.pc" || fail "pathway.pc under DESTDIR names another prefix"
    "$root/bin/pathway" --version | grep -q '^pathway ' || fail "the staged pathway does not run"
    ;;
man)
    # A man page for the command and for each command `pathway --help` lists.
    [ "$PW_MAN" = ON ] || skip "man pages are not built (help2man not found, or PATHWAY_MAN=OFF)"
    install_prefix
    man1=$prefix/$PW_MANDIR/man1
    grep -q '^\.TH PATHWAY "1"' "$man1/pathway.1" || fail "no pathway.1"
    cmds=$("$prefix/bin/pathway" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
    [ "$(echo "$cmds" | wc -w)" -ge 10 ] || fail "pathway --help lists too few commands: $cmds"
    for c in $cmds; do
        up=PATHWAY-${c^^}
        grep -q "^\.TH $up \"1\"" "$man1/pathway-$c.1" || fail "no man page for pathway $c"
        grep -q -- '--help' "$man1/pathway-$c.1" || grep -q 'usage' "$man1/pathway-$c.1" || fail "pathway-$c.1 has no usage"
    done
    ;;
completion)
    # The completion scripts, where bash-completion, zsh and fish look under
    # the prefix, and each the one `pathway completion SHELL` prints.
    [ "$PW_COMPLETION" = ON ] || skip "completion scripts are not built (PATHWAY_COMPLETION=OFF)"
    install_prefix
    share=$prefix/$PW_DATADIR
    for f in bash:bash-completion/completions/pathway zsh:zsh/site-functions/_pathway \
        fish:fish/vendor_completions.d/pathway.fish; do
        [ -f "$share/${f#*:}" ] || fail "no $share/${f#*:}"
        "$prefix/bin/pathway" completion "${f%%:*}" >"$work/script" || fail "pathway completion ${f%%:*}"
        cmp -s "$work/script" "$share/${f#*:}" || fail "$share/${f#*:} is not what pathway completion ${f%%:*} prints"
    done
    grep -q '^complete -F _pathway pathway$' "$share/bash-completion/completions/pathway" || fail "bash script registers nothing"
    grep -q '^#compdef pathway$' "$share/zsh/site-functions/_pathway" || fail "zsh script lacks #compdef"
    ;;
subdirectory)
    # add_subdirectory(pathway) in another project: builds the libraries there
    # and the consumers against pathway::pathway and pathway::pathway_static.
    if ! "$PW_CMAKE" -S "$src/tests/install/subdir" -B "$work/subdir" -DCMAKE_C_COMPILER="$PW_CC" \
        -DCMAKE_C_FLAGS="$PW_CFLAGS" -DCMAKE_EXE_LINKER_FLAGS="$PW_LDFLAGS" \
        -DPW_SOURCE="$src" -DPATHWAY_MAN=OFF >"$work/subdir.log" 2>&1 ||
        ! "$PW_CMAKE" --build "$work/subdir" >>"$work/subdir.log" 2>&1; then
        cat "$work/subdir.log"
        fail "add_subdirectory consumer"
    fi
    grep -q -- '-D_POSIX_C_SOURCE' "$work/subdir/CMakeFiles/mpi.dir/flags.make" &&
        fail "_POSIX_C_SOURCE reaches the consumer"
    printf '%s 3.14159\n' "$PW_VERSION" >"$work/mpi.expected"
    run_host "$work/mpi.expected" "$work/subdir/mpi"
    run_host "$expected" "$work/subdir/host" "$src/rules/usatf/usatf.pw" "$src/examples/coaches.jsonl"
    ;;
*) fail "unknown test $test" ;;
esac
echo "ok: install.$test"
