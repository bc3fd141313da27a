#!/usr/bin/env bash
# Includes (docs/robustness.md, docs/language.md): only regular files are
# read (a FIFO must not hang the compiler), an included file that is not
# rule source is quoted once, --include-root confines includes on every
# command that compiles rules (symbolic links and `..` included), and the
# bytecode is the same from any working directory.
# usage: includes.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
# A safety net only: on a tree that blocks on a FIFO, the command is killed
# and its status (124) fails the check. Nothing asserts how long anything takes.
run() { timeout "${PW_TEST_TIMEOUT:-60}" "$@"; }

# --- regular files only --------------------------------------------------------
mkfifo "$tmp/fifo"
mkdir "$tmp/dir"
printf 'include "fifo"\n' >"$tmp/inc_fifo.pw"
printf 'include "dir"\n' >"$tmp/inc_dir.pw"
printf 'include "/dev/null"\n' >"$tmp/inc_null.pw"
expect_status fifo 1 run "$bin" check "$tmp/inc_fifo.pw" &&
  expect_grep fifo err "inc_fifo.pw:1:9: error: cannot read \`$tmp/fifo\`: not a regular file" &&
  expect_grep fifo err '    1 | include "fifo"' &&
  expect_grep fifo err '      |         ^~~~~~'
expect_status dir 1 run "$bin" check "$tmp/inc_dir.pw" &&
  expect_grep dir err "inc_dir.pw:1:9: error: cannot read \`$tmp/dir\`: not a regular file"
expect_status devnull 1 run "$bin" check "$tmp/inc_null.pw" &&
  expect_grep devnull err "inc_null.pw:1:9: error: cannot read \`/dev/null\`: not a regular file"
# The main rule file too, through the compiler and through eval's loader.
expect_status main-fifo 2 run "$bin" check "$tmp/fifo" &&
  expect_grep main-fifo err "cannot read \`$tmp/fifo\`: not a regular file"
expect_status main-fifo-eval 2 run "$bin" eval "$tmp/fifo" --facts "$root/examples/coaches.jsonl" &&
  expect_grep main-fifo-eval err "cannot read $tmp/fifo: not a regular file"

# --- an included file that is not rule source is quoted once -----------------
cat >"$tmp/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
fake-secret-user:x:1000:1000::/home/fake:/bin/sh
EOF
{ echo '-----BEGIN PRIVATE KEY-----'
  for i in $(seq 1 30); do echo "FAKEKEYBODYLINE${i}AAAAB3NzaC1yc2EAAAADAQABAAABAQC7"; done
  echo '-----END PRIVATE KEY-----'; } >"$tmp/key.pem"
printf 'include "passwd"\n' >"$tmp/inc_passwd.pw"
printf 'include "key.pem"\n' >"$tmp/inc_key.pw"
expect_status passwd 1 "$bin" check "$tmp/inc_passwd.pw" &&
  expect_grep passwd err "is not a rule file: diagnostics of an included file stop at its first syntax error" &&
  expect_grep passwd err "2 errors generated."
# Exactly one source line of the included file is quoted: its first.
n=$(grep -c '^ *[0-9][0-9]* | ' "$tmp/passwd.err")
[ "$n" -eq 2 ] && ok "passwd: two quoted lines (the passwd line and the include)" ||
  fail "passwd: $n quoted lines, expected 2"
grep -q 'daemon\|fake-secret-user' "$tmp/passwd.err" && fail "passwd: a second line was quoted" ||
  ok "passwd: no line past the first"
expect_status pem 1 "$bin" check "$tmp/inc_key.pw" &&
  expect_grep pem err "key.pem\` is not a rule file"
grep -q 'FAKEKEYBODY' "$tmp/pem.err" && fail "pem: the key's body was quoted" || ok "pem: the key's body is not quoted"
expect_status pem-json 1 "$bin" check --format json "$tmp/inc_key.pw"
grep -q 'FAKEKEYBODY' "$tmp/pem-json.out" && fail "pem-json: the key's body was quoted" || ok "pem-json: the key's body is not quoted"

# --- --include-root ------------------------------------------------------------
mkdir -p "$tmp/r/sub" "$tmp/outside"
cp "$root/rules/common/coach.pw" "$tmp/outside/secret.pw"
ln -s ../../outside/secret.pw "$tmp/r/sub/link.pw"
cp "$root/rules/common/coach.pw" "$tmp/r/sub/coach.pw"
sed 's|include "../common/coach.pw"|include "sub/coach.pw"|' "$root/rules/usatf/usatf.pw" >"$tmp/r/good.pw"
printf 'include "../outside/secret.pw"\n' >"$tmp/r/dotdot.pw"
printf 'include "%s"\n' "$tmp/outside/secret.pw" >"$tmp/r/abs.pw"
sed 's|include "../common/coach.pw"|include "sub/link.pw"|' "$root/rules/usatf/usatf.pw" >"$tmp/r/symlink.pw"
expect_status root-inside 0 "$bin" check --include-root "$tmp/r" "$tmp/r/good.pw"
expect_status root-dotdot 1 "$bin" check --include-root "$tmp/r" "$tmp/r/dotdot.pw" &&
  expect_grep root-dotdot err "dotdot.pw:1:9: error: include \`../outside/secret.pw\` refused: \`$tmp/r/../outside/secret.pw\` is outside the include root"
expect_status root-abs 1 "$bin" check --include-root="$tmp/r" "$tmp/r/abs.pw" &&
  expect_grep root-abs err "refused: an absolute path is outside the include root"
expect_status root-symlink 1 "$bin" check --include-root "$tmp/r" "$tmp/r/symlink.pw" &&
  expect_grep root-symlink err "include \`sub/link.pw\` refused: \`$tmp/r/sub/link.pw\` is outside the include root"
# A path out of the root is refused whether or not it exists; a missing
# file inside the root is reported as missing.
printf 'include "../outside/no-such.pw"\ninclude "sub/no-such.pw"\n' >"$tmp/r/missing.pw"
expect_status root-nonexistent 1 "$bin" check --include-root "$tmp/r" "$tmp/r/missing.pw" &&
  expect_grep root-nonexistent err "include \`../outside/no-such.pw\` refused: \`$tmp/r/../outside/no-such.pw\` is outside the include root" &&
  expect_grep root-nonexistent err "cannot read \`$tmp/r/sub/no-such.pw\`: No such file or directory"
grep -q 'outside/no-such.pw`: No such file' "$tmp/root-nonexistent.err" &&
  fail "root-nonexistent: tells that a file outside the root is missing" ||
  ok "root-nonexistent: nothing said about the file outside"
# Without the root the same files are followed (the escape is the root's doing).
expect_status no-root 0 "$bin" check "$tmp/r/symlink.pw"
expect_status root-missing 1 "$bin" check --include-root "$tmp/nowhere" "$tmp/r/good.pw" &&
  expect_grep root-missing err "include root \`$tmp/nowhere\`: No such file or directory"
expect_status root-empty 2 "$bin" check --include-root= "$tmp/r/good.pw"
# Every command that compiles rules takes the flag.
facts=$root/examples/coaches.jsonl
bad=$tmp/r/symlink.pw
cmds=(
  "compile:compile $bad -o $tmp/x.pwc"
  "disasm:disasm $bad"
  "eval:eval $bad --facts $facts"
  "explain:explain $bad --facts $facts"
  "report:report $bad --facts $facts"
  "diff:diff $bad $tmp/r/good.pw --facts $facts"
  "lint:lint $bad"
  "test:test $bad"
  "when:when $bad --facts $facts --program level_1"
  "plan:plan $bad --facts $facts --target level_1"
)
for c in "${cmds[@]}"; do
  name=root-${c%%:*}
  # shellcheck disable=SC2086 # the command's words
  "$bin" ${c#*:} --include-root "$tmp/r" >"$tmp/$name.out" 2>"$tmp/$name.err"
  st=$?
  if [ "$st" -ne 0 ] && grep -qF "is outside the include root" "$tmp/$name.out" "$tmp/$name.err"; then
    ok "$name: refused (status $st)"
  else
    fail "$name: status $st without the include root's refusal"; head -5 "$tmp/$name.err"
  fi
done

# --- reproducible bytecode -----------------------------------------------------
(cd "$root" && "$bin" compile rules/usatf/usatf.pw -o "$tmp/a.pwc")
(cd "$root/rules" && "$bin" compile usatf/usatf.pw -o "$tmp/b.pwc")
(cd "$root/rules/usatf" && "$bin" compile usatf.pw -o "$tmp/c.pwc")
(cd "$tmp" && "$bin" compile "$root/rules/usatf/usatf.pw" -o "$tmp/d.pwc")
same "pwc: the same from the repository and rules/" "$tmp/a.pwc" "$tmp/b.pwc"
same "pwc: the same from rules/usatf" "$tmp/a.pwc" "$tmp/c.pwc"
same "pwc: the same by absolute path" "$tmp/a.pwc" "$tmp/d.pwc"
expect_status pwc-names 0 "$bin" disasm "$tmp/d.pwc" &&
  expect_grep pwc-names out '"../common/coach.pw"' &&
  expect_grep pwc-names out '; usatf.pw:37:11'
# disasm finds the source lines from the rule file's directory, whatever the
# working directory.
(cd "$tmp" && "$bin" disasm "$root/rules/usatf/usatf.pw" >"$tmp/disasm-src.out" 2>&1)
expect_grep disasm-src out '; ../common/coach.pw:'
grep -q '^; \.\./common/coach\.pw:[0-9]*: define age' "$tmp/disasm-src.out" &&
  ok "disasm-src: source lines of the included file" || fail "disasm-src: no source lines"
# Run-time messages name the file the same way, from a .pwc or from source.
mkdir -p "$tmp/rt/sub"
printf 'facts coach {\n  id: text\n  n: integer\n}\nprogram p { require "r": n * n > 1 }\n' >"$tmp/rt/sub/a.pw"
printf 'include "sub/a.pw"\n' >"$tmp/rt/main.pw"
echo '{"id":"c1","n":9007199254740000}' >"$tmp/rt/f.jsonl"
"$bin" compile "$tmp/rt/main.pw" -o "$tmp/rt.pwc"
expect_status rt-pwc 1 "$bin" eval "$tmp/rt.pwc" --facts "$tmp/rt/f.jsonl" &&
  expect_grep rt-pwc out '"error":"sub/a.pw:5:28: integer overflow in `*` (program `p`)"'
expect_status rt-src 1 "$bin" eval "$tmp/rt/main.pw" --facts "$tmp/rt/f.jsonl" &&
  expect_grep rt-src out '"error":"sub/a.pw:5:28: integer overflow in `*` (program `p`)"'
grep -q "$root" "$tmp/d.pwc" && fail "pwc: the build directory is in the bytecode" ||
  ok "pwc: no absolute path in the bytecode"

exit $failed
