#!/usr/bin/env bash
# The example host program (examples/host.c) builds, runs, and prints exactly
# examples/host.expected: the embedding walk-through stays true.
set -u
host=$1 root=$2
actual=$("$host" "$root/rules/usatf/usatf.pw" "$root/examples/coaches.jsonl") || { echo "example_host failed"; exit 1; }
diff -u "$root/examples/host.expected" <(printf '%s\n' "$actual") || { echo "example_host output changed"; exit 1; }
