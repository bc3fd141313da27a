#!/usr/bin/env bash
# Installs the Debian packages Pathway needs, when any is missing.
set -euo pipefail
# clang brings libFuzzer and the sanitizer runtimes (libclang-rt-*-dev); GNU
# time measures peak memory in tests/cli/eval_stream.sh; chromium renders
# pathway report's HTML page in tests/browser/report_html.sh.
pkgs=(build-essential cmake flex bison check libcjson-dev pkg-config python3 clang valgrind time chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
