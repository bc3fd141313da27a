#!/usr/bin/env bash
# `pathway fmt`: printing, --check (the diff, exit 1), -w (atomic rewrite,
# only when something changes, permissions and symbolic links kept), files
# that do not parse (exit 2, never rewritten), directories, and usage.
# usage: fmt.sh PATHWAY_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
. "$(dirname "$0")/lib/asserts.sh"
export NO_COLOR=1

# Paths in the output are as given: work in a scratch directory.
cd "$tmp" || exit 1
mkdir -p w/sub
printf 'define  x=1\n' >messy.pw
printf 'define x = 1\n' >tidy.pw
printf 'program p {\n  require "a" x\n}\n' >broken.pw

# --- help and usage ---------------------------------------------------------------
expect_status help 0 "$bin" fmt --help && expect_grep help out "usage: pathway fmt [--check | -w] FILE|DIR..."
expect_status main-help 0 "$bin" --help && expect_grep main-help out "fmt FILE|DIR..."
expect_status no-files 2 "$bin" fmt && expect_grep no-files err "no rule files or directories given"
expect_status bad-option 2 "$bin" fmt --diff messy.pw && expect_grep bad-option err "unknown option \`--diff\`"
expect_status check-and-write 2 "$bin" fmt --check -w messy.pw && expect_grep check-and-write err "do not go together"
expect_status print-two 2 "$bin" fmt messy.pw tidy.pw && expect_grep print-two err "fmt prints one file"
expect_status print-dir 2 "$bin" fmt w && expect_grep print-dir err "fmt prints one file"
expect_status write-stdin 2 "$bin" fmt -w - && expect_grep write-stdin err "standard input"
expect_status missing 2 "$bin" fmt --check nosuch.pw && expect_grep missing err "cannot open nosuch.pw"

# --- printing -----------------------------------------------------------------------------
expect_status print 0 "$bin" fmt messy.pw && expect_out print <<'EOF'
define x = 1
EOF
expect_status stdin 0 "$bin" fmt - <messy.pw && expect_out stdin <<'EOF'
define x = 1
EOF
expect_status print-tidy 0 "$bin" fmt tidy.pw && expect_out print-tidy <tidy.pw
if [ "$(cat messy.pw)" = 'define  x=1' ]; then ok "print: the file is untouched"; else fail "print: the file changed"; fi

# --- --check ---------------------------------------------------------------------------------
expect_status check-tidy 0 "$bin" fmt --check tidy.pw && expect_out check-tidy </dev/null
expect_status check-messy 1 "$bin" fmt --check messy.pw && expect_out check-messy <<'EOF'
--- messy.pw.orig
+++ messy.pw
@@ -1 +1 @@
-define  x=1
+define x = 1
EOF
expect_grep check-messy err "1 file is not formatted"
if [ "$(cat messy.pw)" = 'define  x=1' ]; then ok "check: the file is untouched"; else fail "check: the file changed"; fi
# The diff applies: patch -p0 turns the file into its formatted text.
if command -v patch >/dev/null; then
  cp messy.pw p.pw
  "$bin" fmt --check p.pw >p.diff 2>/dev/null
  patch -s -p0 <p.diff && cmp -s p.pw tidy.pw && ok "check: the diff applies with patch -p0" ||
    fail "check: the diff does not apply"
fi
# No newline at the end of the file, as diff marks it.
printf 'define x = 1' >nonl.pw
expect_status check-nonl 1 "$bin" fmt --check nonl.pw && expect_grep check-nonl out '\ No newline at end of file'
# A file that does not parse: its errors, clang-style, and status 2 over 1.
expect_status check-broken 1 "$bin" fmt --check messy.pw broken.pw
expect_grep check-broken err "broken.pw:2:15: error:"
expect_grep check-broken err "1 error generated."
expect_grep check-broken out "+define x = 1"

# --- -w ----------------------------------------------------------------------------------------
cp messy.pw w/a.pw
cp tidy.pw w/sub/b.pw
cp broken.pw w/sub/c.pw
printf 'not a rule file\n' >w/notes.txt
chmod 640 w/a.pw
ln -s a.pw w/link.pw
touch -d '2001-01-01' w/sub/b.pw w/sub/c.pw
expect_status write-dir 1 "$bin" fmt -w w
expect_grep write-dir err "w/sub/c.pw:2:15: error:"
if cmp -s w/a.pw tidy.pw; then ok "write: rewritten"; else fail "write: w/a.pw not formatted"; cat w/a.pw; fi
if [ "$(stat -c %a w/a.pw)" = 640 ]; then ok "write: permissions kept"; else fail "write: permissions $(stat -c %a w/a.pw)"; fi
if [ -L w/link.pw ]; then ok "write: the symbolic link is still a link"; else fail "write: the link was replaced"; fi
if cmp -s w/sub/c.pw broken.pw; then ok "write: a file that does not parse is left alone"; else fail "write: broken file changed"; fi
# Formatted files are not touched (their time stays).
if [ "$(stat -c %Y w/sub/b.pw)" = "$(date -d 2001-01-01 +%s)" ]; then ok "write: a formatted file is not rewritten"; else
  fail "write: a formatted file was rewritten"; fi
if [ "$(cat w/notes.txt)" = 'not a rule file' ]; then ok "write: other files ignored"; else fail "write: notes.txt changed"; fi
if ls w/*.tmp* w/sub/*.tmp* >/dev/null 2>&1; then fail "write: temporary files left behind"; else ok "write: no temporary files left"; fi
rm w/sub/c.pw
expect_status write-again 0 "$bin" fmt -w w
expect_status check-dir 0 "$bin" fmt --check w && expect_out check-dir </dev/null
expect_status empty-dir 0 "$bin" fmt --check w/sub/.. w/sub
mkdir empty
expect_status no-rules 0 "$bin" fmt --check empty && expect_grep no-rules err "note: no *.pw files under empty"

# --- a file that does not parse ----------------------------------------------------------------
expect_status print-broken 1 "$bin" fmt broken.pw && expect_out print-broken </dev/null
expect_grep print-broken err "broken.pw:2:15: error:"
expect_status write-broken 1 "$bin" fmt -w broken.pw
if [ "$(cat broken.pw)" = "$(printf 'program p {\n  require "a" x\n}')" ]; then ok "write-broken: untouched"; else
  fail "write-broken: changed"; fi

# --- the shipped rules are formatted -------------------------------------------------------------
expect_status shipped 0 "$bin" fmt --check "$root/rules" "$root/tests/ruletest"
expect_out shipped </dev/null

exit $failed
