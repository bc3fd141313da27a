#!/usr/bin/env bash
# Rebuilds the seed files of the committed fuzz corpora from the repository's
# own inputs; run it when rule files or test records change, and commit the
# result. Only files named seed-* are rewritten: hand-made seeds (hand-*) and
# crash reproducers (crash-*) are kept.
#   compile, roundtrip   every rule file (rules/, tests/golden, tests/ruletest),
#                        and the shipped rule sets with their includes written
#                        in place (the harnesses compile them as "fuzz.pw",
#                        where relative includes do not resolve)
#   bytecode             the .pwc of each of those that compiles, and cut and
#                        bit-flipped copies of the USATF one
#   facts                each line of tests/rules/*.jsonl (coach records, and
#                        the expected results, which are JSON too) and of
#                        examples/coaches.jsonl, one per file
# usage: tests/fuzz/seed_corpus.sh PATHWAY_BINARY
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.."
corpus=tests/fuzz/corpus
mkdir -p "$corpus/compile" "$corpus/roundtrip" "$corpus/bytecode" "$corpus/facts"
rm -f "$corpus"/*/seed-*

# A rule file with its includes written in place (each file once).
inline() {
  local file=$1 dir line
  dir=$(dirname "$file")
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line =~ ^include\ \"([^\"]+)\" ]]; then
      local inc="$dir/${BASH_REMATCH[1]}"
      if [[ " $seen " != *" $(realpath "$inc") "* ]]; then
        seen="$seen $(realpath "$inc")"
        inline "$inc"
      fi
    else
      printf '%s\n' "$line"
    fi
  done <"$file"
}

rules=$(find rules tests/golden tests/ruletest -name '*.pw' | LC_ALL=C sort)
for f in $rules; do
  name=seed-$(echo "$f" | tr '/' '_')
  cp "$f" "$corpus/compile/$name"
  cp "$f" "$corpus/roundtrip/$name"
  if "$bin" compile "$f" -o "$corpus/bytecode/${name%.pw}.pwc" 2>/dev/null; then :; else
    rm -f "$corpus/bytecode/${name%.pw}.pwc"
  fi
done
for f in rules/usatf/usatf.pw rules/usatf/usatf.test.pw \
  rules/england-athletics/england-athletics.pw rules/england-athletics/england-athletics.test.pw; do
  seen=""
  name=seed-inlined-$(basename "$f")
  inline "$f" >"$corpus/compile/$name"
  cp "$corpus/compile/$name" "$corpus/roundtrip/$name"
done

# Cut and flipped copies of the USATF bytecode (the harness also recomputes
# checksums, so a flipped payload byte reaches the verifier).
usatf=$corpus/bytecode/seed-rules_usatf_usatf.pwc
size=$(stat -c %s "$usatf")
for cut in 19 100 $((size / 2)) $((size - 1)); do
  head -c "$cut" "$usatf" >"$corpus/bytecode/seed-usatf-cut-$cut.pwc"
done
for at in 9 40 $((size / 3)) $((size / 2)) $((size - 20)); do
  { head -c "$at" "$usatf"
    head -c $((at + 1)) "$usatf" | tail -c 1 | tr '\000-\377' '\200-\377\000-\177'
    tail -c +$((at + 2)) "$usatf"; } >"$corpus/bytecode/seed-usatf-flip-$at.pwc"
done

# One coach record per file.
for f in tests/rules/*.jsonl examples/coaches.jsonl; do
  base=$(basename "$f" .jsonl)
  n=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    printf '%s\n' "$line" >"$corpus/facts/seed-$base-$(printf %03d $n).json"
  done <"$f"
done
du -sh "$corpus"/*
