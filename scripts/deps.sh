#!/usr/bin/env bash
# Installs the Debian packages Pathway needs, when any is missing.
#   bash scripts/deps.sh build   what building and running `pathway` needs
#   bash scripts/deps.sh test    that, and everything the test suite uses (the default)
set -euo pipefail
mode=${1:-test}
# Building: a C11 compiler, CMake, flex and bison (the front end), cJSON and
# yajl (facts: yajl's tokeniser sees numbers as written and U+0000 in text)
# and pkg-config (which finds cJSON).
pkgs=(build-essential cmake flex bison libcjson-dev libyajl-dev pkg-config)
case "$mode" in
  build) ;;
  # Testing: Check (unit tests); python3 (rule-table tests); clang (the second
  # compiler, libFuzzer and the sanitizer runtimes); valgrind; GNU time (peak
  # memory in tests/cli/eval_stream.sh); chromium (pathway report's HTML page
  # in tests/browser/report_html.sh); libsqlite3-dev and sqlite3 (the SQLite
  # extension, extensions/sqlite, and its tests through the sqlite3 shell);
  # pytest, pip, setuptools, wheel and venv (the Python binding's tests,
  # bindings/python: pytest, and pip install into a venv without network);
  # postgresql and postgresql-server-dev-all (the PostgreSQL extension: a real
  # server, PGXS and pg_regress, in extensions/postgresql/tests/run.sh); zsh
  # and fish (the completion scripts driven in real shells, tests/completion);
  # lintian and help2man (the Debian packages and their man pages,
  # tests/package/deb.sh); nodejs and npm (the VS Code grammar through
  # vscode-textmate, installed by npm ci in tests/editors/textmate.sh) and vim
  # (the Vim syntax file, tests/editors/vim.sh); python3-jsonschema (every
  # JSON output validated against its schema in docs/schemas, draft 2020-12,
  # tests/schemas/run.sh); libxml2-utils (xmllint) and python3-junitparser
  # (`pathway test --format junit` against the Jenkins junit-10 schema and
  # read by a JUnit consumer, tests/junit/schema.sh); pre-commit, git and
  # python3-yaml (the hooks and workflow of docs/ci.md, tests/ci); gcovr
  # (line and branch coverage per directory, scripts/coverage.sh).
  test) pkgs+=(check python3 clang valgrind time chromium libsqlite3-dev sqlite3
               python3-pytest python3-pip python3-setuptools python3-wheel python3-venv python3-jsonschema
               postgresql postgresql-server-dev-all zsh fish lintian help2man nodejs vim
               libxml2-utils python3-junitparser pre-commit git python3-yaml gcovr)
        # Debian's npm, unless the nodejs installed brings its own (NodeSource's
        # does, and conflicts with Debian's).
        command -v npm >/dev/null || pkgs+=(npm) ;;
  *) echo "usage: bash scripts/deps.sh [build|test]" >&2; exit 2 ;;
esac
# Testing the language server: Neovim's built-in LSP client, headless
# (tests/lsp/neovim.sh).
if [ "$mode" = test ]; then
  pkgs+=(neovim)
fi
missing=()
for p in "${pkgs[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
