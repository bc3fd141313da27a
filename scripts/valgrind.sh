#!/usr/bin/env bash
# Every command-line test (tests/cli/*.sh) with the `pathway` binary run
# under valgrind memcheck: an invalid read or write, a use of uninitialised
# memory or any leak makes the command exit 99, which the test reports as
# a wrong exit status. Then the allocation-failure test under memcheck.
# usage: scripts/valgrind.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
[ -x "$dir/pathway" ] || { echo "valgrind.sh: build $dir first" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed" >&2; exit 2; }
wrapper=$(mktemp)
cat >"$wrapper" <<WRAP
#!/usr/bin/env bash
exec valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=all \\
  --errors-for-leak-kinds=all --track-origins=yes "$(realpath "$dir/pathway")" "\$@"
WRAP
chmod +x "$wrapper"
# The tests run side by side, one per core (each in its own temporary
# directory); each one's report is kept and printed in order at the end.
reports=$(mktemp -d)
trap 'rm -rf "$wrapper" "$reports"' EXIT
run_one() {
  local t=$1 report=$2 start log
  start=$(date +%s)
  log=$report.log
  if bash "$t" "$wrapper" "$PWD" >"$log" 2>&1; then
    echo "valgrind: $t passed ($(( $(date +%s) - start )) s)" >"$report"
  else
    { echo "valgrind: $t FAILED"; grep -v '^ok ' "$log" | head -60; } >"$report"
  fi
  rm -f "$log"
}
export -f run_one
export wrapper
i=0
for t in tests/cli/*.sh; do
  i=$((i + 1))
  # The deep shapes run up to 100,000 levels through every command: minutes
  # natively under ASan (sanitize.sh), far too long under memcheck.
  if [ "$t" = tests/cli/deep.sh ]; then
    echo "valgrind: $t skipped (covered by the ASan run)" >"$reports/$(printf %03d $i)"
    continue
  fi
  printf '%s %s\n' "$t" "$reports/$(printf %03d $i)"
done | xargs -P "$(nproc)" -L 1 bash -c 'run_one "$0" "$1"'
cat "$reports"/[0-9][0-9][0-9]
failed=0
grep -q '^valgrind: .* FAILED$' "$reports"/[0-9][0-9][0-9] && failed=1
# The allocation-failure test's error paths under memcheck (an uninitialised
# read on one of them is only visible here); every 25th failure point.
if [ -x "$dir/tests/test_allocfail" ]; then
  start=$(date +%s)
  if CK_FORK=no PW_ALLOCFAIL_STRIDE=25 valgrind --quiet --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=all "$dir/tests/test_allocfail" >"$reports/allocfail.log" 2>&1; then
    echo "valgrind: test_allocfail passed ($(( $(date +%s) - start )) s)"
  else
    echo "valgrind: test_allocfail FAILED"
    tail -40 "$reports/allocfail.log"
    failed=1
  fi
fi
exit $failed
