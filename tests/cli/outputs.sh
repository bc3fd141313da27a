#!/usr/bin/env bash
# Outputs (docs/robustness.md, "Outputs"): no output may name an input; the
# atomic writer is safe in a directory others can write to; symbolic links,
# directories, devices, fifos (a reader gets the bytes, the fifo stays),
# hard links and read-only files are handled as documented; standard output
# is checked by every command; `-o -` and `--`.
# Everything is written inside this script's own temporary directory.
# usage: outputs.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1
w=$tmp/w
mkdir "$w" && cd "$w" || exit 1

fixtures() {
  echo 'facts coach { birth_date: date }' >inc.pw
  cat >u.pw <<'PW'
include "inc.pw"
program p {
  require "adult": years since birth_date >= 18
}
test "adult" {
  given { birth_date: 1990-01-01 }
  as of 2026-01-01
  expect p eligible
}
PW
  echo '{"id":"a","birth_date":"1990-01-01"}' >c.jsonl
  cp u.pw u.orig; cp inc.pw inc.orig; cp c.jsonl c.orig
}
# unchanged NAME FILE...: each FILE is still its .orig copy.
unchanged() {
  local name=$1 f; shift
  for f in "$@"; do
    if cmp -s "$f" "${f%.*}.orig"; then ok "$name: $f untouched"; else fail "$name: $f was changed"; fi
  done
}
# no_temp NAME: no temporary file left in the directory.
no_temp() {
  if [[ "$(ls -A "$w")" == *.tmp* ]]; then fail "$1: temporary file left: $(ls -A "$w" | grep '\.tmp')"; else ok "$1: no temporary file left"; fi
}

# --- 2. no output may name an input (status 3, nothing written) ------------------
fixtures
expect_status in-diff-list 3 "$bin" diff u.pw u.pw --facts c.jsonl --list c.jsonl \
  && expect_grep in-diff-list err "cannot write c.jsonl: it is an input"
unchanged in-diff-list c.jsonl
expect_status in-diff-o 3 "$bin" diff u.pw --to 2027-01-01 --facts c.jsonl -o inc.pw \
  && expect_grep in-diff-o err "cannot write inc.pw: it is the input"
unchanged in-diff-o inc.pw
expect_status in-lint 3 "$bin" lint u.pw -o u.pw && expect_grep in-lint err "cannot write u.pw"
unchanged in-lint u.pw
expect_status in-test 3 "$bin" test u.pw -o u.pw && expect_grep in-test err "cannot write u.pw"
unchanged in-test u.pw
expect_status in-test-include 3 "$bin" test u.pw -o inc.pw
unchanged in-test-include inc.pw
expect_status in-compile 3 "$bin" compile u.pw -o u.pw
unchanged in-compile u.pw
expect_status in-compile-include 3 "$bin" compile u.pw -o inc.pw && expect_grep in-compile-include err "inc.pw"
unchanged in-compile-include inc.pw
expect_status in-report 3 "$bin" report u.pw --facts c.jsonl -o c.jsonl
unchanged in-report c.jsonl
ln c.jsonl hard.jsonl
expect_status in-report-hardlink 3 "$bin" report u.pw --facts c.jsonl -o hard.jsonl \
  && expect_grep in-report-hardlink err "it is the input c.jsonl"
unchanged in-report-hardlink c.jsonl
rm -f hard.jsonl
expect_status in-report-stdin 3 "$bin" report u.pw --facts - -o c.jsonl <c.jsonl
unchanged in-report-stdin c.jsonl
expect_status in-diff-same 3 "$bin" diff u.pw u.pw --facts c.jsonl --list l.jsonl -o l.jsonl \
  && expect_grep in-diff-same err "-o and --list name the same file"
expect_status out-ok 0 "$bin" compile u.pw -o u.pwc && [ -s u.pwc ] && ok "out-ok: written" || fail "out-ok: no u.pwc"
no_temp inputs

# --- 3. the atomic writer in a directory others can write to --------------------
# Symbolic links planted where the old writer put its temporary file
# (FILE.tmpPID) and at the target itself: nothing they point to is written.
fixtures
echo 'secret' >victim; cp victim victim.orig
for pid in $(seq $(( $$ + 1 )) $(( $$ + 200 ))); do ln -sf "$w/victim" "u.pw.tmp$pid"; done
expect_status planted-fmt 0 "$bin" fmt -w u.pw
unchanged planted-fmt victim
[ -f u.pw ] && [ ! -L u.pw ] && ok "planted-fmt: u.pw is a regular file" || fail "planted-fmt: u.pw is not a regular file"
rm -f u.pw.tmp*
ln -s victim target.txt
expect_status planted-target 3 "$bin" report u.pw --facts c.jsonl -o target.txt \
  && expect_grep planted-target err "cannot write target.txt: it is a symbolic link"
unchanged planted-target victim
[ -L target.txt ] && ok "planted-target: the link is left as it was" || fail "planted-target: the link was replaced"
# The output gets the old file's permissions before it takes its name.
fixtures
printf 'old\n' >mode.out; chmod 640 mode.out
expect_status keep-mode 0 "$bin" report u.pw --facts c.jsonl -o mode.out
[ "$(stat -c %a mode.out)" = 640 ] && ok "keep-mode: 640 kept" || fail "keep-mode: mode $(stat -c %a mode.out)"
# A directory symbolic link is not written through.
mkdir real; ln -s real dirlink
expect_status dir-link 3 "$bin" report u.pw --facts c.jsonl -o dirlink/x.txt \
  && expect_grep dir-link err "its directory dirlink is a symbolic link"
[ ! -e real/x.txt ] && ok "dir-link: nothing written" || fail "dir-link: wrote through the link"
no_temp atomic

# --- 4. special files: fifos written in place, symlinks and directories refused ----
fixtures
# A fifo is written in place: a reader started before or after the command
# gets the bytes a regular file would get, and the fifo stays a fifo (the
# writer opens it as any writer does, and waits for its reader). `timeout`
# only keeps a broken writer from hanging the test; nothing is timed.
# fifo_case NAME REF CMD...: CMD (which writes to `fifo`) run with a reader.
fifo_case() {
  local name=$1 ref=$2 reader r
  shift 2
  rm -f fifo got
  mkfifo fifo || { fail "$name: mkfifo"; return; }
  timeout 60 cat fifo >got &
  reader=$!
  expect_status "$name" 0 timeout 60 "$@"
  if [ -p fifo ]; then ok "$name: still a fifo"; else
    fail "$name: the fifo was replaced by a $(stat -c %F fifo)"
    kill "$reader" 2>/dev/null  # it waits on the fifo no one will open now
  fi
  wait "$reader"; r=$?
  [ "$r" -eq 0 ] && ok "$name: the reader saw the end" || fail "$name: the reader ended with status $r"
  if cmp -s got "$ref"; then ok "$name: the reader got the output"; else fail "$name: the reader got other bytes"; fi
  rm -f fifo got
}
day=(--as-of 2026-01-01)
"$bin" report u.pw --facts c.jsonl "${day[@]}" -o report.ref
fifo_case fifo-report report.ref "$bin" report u.pw --facts c.jsonl "${day[@]}" -o fifo
"$bin" report u.pw --facts c.jsonl "${day[@]}" --format json -o report.json.ref
fifo_case fifo-report-json report.json.ref "$bin" report u.pw --facts c.jsonl "${day[@]}" --format json -o fifo
"$bin" diff u.pw --to 2027-01-01 --facts c.jsonl --list diff.ref >/dev/null
fifo_case fifo-diff-list diff.ref "$bin" diff u.pw --to 2027-01-01 --facts c.jsonl --list fifo
"$bin" lint u.pw -o lint.ref
fifo_case fifo-lint lint.ref "$bin" lint u.pw -o fifo
"$bin" compile u.pw -o compile.ref
fifo_case fifo-compile compile.ref "$bin" compile u.pw -o fifo
# `-o fifo` where the facts come from it: an input, refused before anything
# is opened (nothing waits).
mkfifo infifo
expect_status fifo-input 3 timeout 60 "$bin" report u.pw --facts infifo -o infifo </dev/null \
  && expect_grep fifo-input err "cannot write infifo"
[ -p infifo ] && ok "fifo-input: still a fifo" || fail "fifo-input: replaced"
rm -f infifo
mkdir adir
expect_status dir-slash 3 "$bin" compile u.pw -o adir/ && expect_grep dir-slash err "cannot write adir/: it names a directory"
expect_status dir 3 "$bin" compile u.pw -o adir && expect_grep dir err "cannot write adir: it is a directory"
ln -s u.pwc code-link
expect_status compile-link 3 "$bin" compile u.pw -o code-link && expect_grep compile-link err "symbolic link"
[ -L code-link ] && ok "compile-link: link kept" || fail "compile-link: link replaced"
no_temp special

# --- report and diff refuse a bad output before they evaluate anything ---------
# The facts hold a bad record: had the command evaluated them, its error line
# would come first. Each refusal must be the only line on standard error.
fixtures
printf '{"id":"bad"}\n' >>c.jsonl; cp c.jsonl c.orig
mkdir -p adir
ln -s c.jsonl flink
ln -s nowhere dlink
printf 'old\n' >ro.out; chmod 444 ro.out
targets=(c.jsonl adir adir/ nodir/out flink dlink dlink/out ro.out)
if mknod blk b 7 200 2>/dev/null; then targets+=(blk); else ok "early: no block device node (needs root)"; fi
early() { # NAME TARGET CMD...: refused with status 3, before any evaluation
  local name=$1 target=$2
  shift 2
  expect_status "$name" 3 "$@" || return
  expect_grep "$name" err "pathway: cannot write $target: "
  if [ "$(wc -l <"$tmp/$name.err")" -eq 1 ]; then ok "$name: the refusal is the only message"; else
    fail "$name: the refusal is not the only message (evaluated first?)"; sed 's/^/    /' "$tmp/$name.err" | head -5; fi
}
for t in "${targets[@]}"; do
  n=${t//\//_}
  early "early-report-$n" "$t" "$bin" report u.pw --facts c.jsonl -o "$t"
  early "early-diff-o-$n" "$t" "$bin" diff u.pw --to 2027-01-01 --facts c.jsonl -o "$t"
  early "early-diff-list-$n" "$t" "$bin" diff u.pw --to 2027-01-01 --facts c.jsonl --list "$t"
done
unchanged early c.jsonl u.pw inc.pw
[ -L flink ] && [ -d adir ] && [ ! -e nodir ] && ok "early: link, directory kept, nothing made" \
  || fail "early: a target was changed"
grep -qx old ro.out && ok "early: read-only file kept" || fail "early: read-only file changed"
[ -L dlink ] && [ ! -e nowhere ] && ok "early: dangling link kept, nothing made" || fail "early: dangling link followed"
rm -f blk flink dlink; rm -rf adir; chmod 644 ro.out
no_temp early

# --- 5. standard output that cannot be written: status 3 for every command --------
# (standard output closed: the writes fail with EBADF; no /dev node is used)
fixtures
stdout_fails() { # NAME CMD...
  local name=$1; shift
  "$@" >&- 2>"$tmp/$name.err"
  local got=$?
  if [ "$got" -eq 3 ]; then ok "$name: exit status 3"; else fail "$name: exit status $got, expected 3"; fi
  expect_grep "$name" err "error writing"
}
stdout_fails stdout-disasm "$bin" disasm u.pw
stdout_fails stdout-assumptions "$bin" check --list-assumptions "$root/rules/england-athletics/england-athletics.pw"
stdout_fails stdout-assumptions-json "$bin" check --list-assumptions --format json "$root/rules/england-athletics/england-athletics.pw"
stdout_fails stdout-help "$bin" --help
stdout_fails stdout-check-help "$bin" check --help
stdout_fails stdout-eval "$bin" eval u.pw --facts c.jsonl --as-of 2026-01-01
stdout_fails stdout-report "$bin" report u.pw --facts c.jsonl
stdout_fails stdout-test "$bin" test u.pw
stdout_fails stdout-fmt "$bin" fmt u.pw

# --- 7. fmt -w: owner, read-only files, hard links ----------------------------------
fixtures
printf 'facts coach {   birth_date: date }\n' >ro.pw; chmod 444 ro.pw; cp ro.pw ro.orig
expect_status fmt-readonly 3 "$bin" fmt -w ro.pw && expect_grep fmt-readonly err "read-only"
unchanged fmt-readonly ro.pw
printf 'facts coach {   birth_date: date }\n' >h1.pw; ln h1.pw h2.pw
expect_status fmt-hardlink 0 "$bin" fmt -w h1.pw
[ "$(stat -c %i h1.pw)" = "$(stat -c %i h2.pw)" ] && ok "fmt-hardlink: the link is kept" || fail "fmt-hardlink: the link was split"
grep -q '^facts coach { birth_date: date }$' h2.pw && ok "fmt-hardlink: both names formatted" || fail "fmt-hardlink: h2.pw not formatted"
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
  printf 'facts coach {   birth_date: date }\n' >own.pw; chown nobody own.pw; chmod 640 own.pw
  expect_status fmt-owner 0 "$bin" fmt -w own.pw
  [ "$(stat -c %U:%a own.pw)" = nobody:640 ] && ok "fmt-owner: owner and mode kept" \
    || fail "fmt-owner: now $(stat -c %U:%a own.pw)"
  printf 'facts coach {   birth_date: date }\n' >ro-root.pw; chmod 444 ro-root.pw
  expect_status fmt-readonly-root 3 "$bin" fmt -w ro-root.pw
else
  ok "fmt-owner: skipped (needs root and a user nobody to give the file to)"
fi
no_temp fmt

# --- 14. -o -, --, one status for write errors ----------------------------------------
fixtures
expect_status dash-report 0 "$bin" report u.pw --facts c.jsonl -o - && expect_grep dash-report out "1 coaches evaluated"
expect_status dash-lint 0 "$bin" lint u.pw -o -
expect_status dash-test 0 "$bin" test u.pw -o - && expect_grep dash-test out "1 test: 1 passed"
[ ! -e ./- ] && ok "dash: no file named -" || fail "dash: a file named - was made"
cp u.pw ./-dash.pw
for c in check test lint; do
  expect_status "end-$c" 0 "$bin" "$c" -- -dash.pw
done
expect_status end-compile 0 "$bin" compile -o dash.pwc -- -dash.pw
expect_status end-disasm 0 "$bin" disasm -- -dash.pw
expect_status end-report 0 "$bin" report --facts c.jsonl -- -dash.pw
expect_status end-diff 0 "$bin" diff --facts c.jsonl -- -dash.pw -dash.pw
expect_status end-eval 0 "$bin" eval --facts c.jsonl --as-of 2026-01-01 -- -dash.pw
expect_status end-explain 0 "$bin" explain --facts c.jsonl --as-of 2026-01-01 -- -dash.pw
printf 'facts coach {   birth_date: date }\n' >./-fmt.pw
expect_status end-fmt 0 "$bin" fmt -w -- -fmt.pw
mkdir ro-dir; chmod 555 ro-dir
if [ "$(id -u)" -ne 0 ]; then
  for c in "compile u.pw" "lint u.pw" "test u.pw" "report u.pw --facts c.jsonl"; do
    # shellcheck disable=SC2086
    expect_status "status-${c%% *}" 3 "$bin" $c -o ro-dir/out
  done
else
  # root writes any directory: a symbolic link target gives the write error
  ln -s nowhere dangling
  for c in "compile u.pw" "lint u.pw" "test u.pw" "report u.pw --facts c.jsonl"; do
    # shellcheck disable=SC2086
    expect_status "status-${c%% *}" 3 "$bin" $c -o dangling
  done
fi
no_temp end
exit $failed
