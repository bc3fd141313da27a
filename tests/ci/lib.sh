# Shared by tests/ci/*.sh, sourced after asserts.sh with $tmp, $bin and
# $root set: a scratch rules repository, and the workflow's verdict on a
# staged tree.

# Git and the hooks see only the test's own configuration and home.
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.org \
  GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.org
mkdir -p "$HOME"
export PATH="$(dirname "$bin"):$PATH"

# ci_scratch_repo DIR: a git repository holding a copy of rules/,
# committed and tagged `base`.
ci_scratch_repo() {
  mkdir -p "$1" && cp -R "$root/rules" "$1/" &&
    git -C "$1" init -q -b main && git -C "$1" add -A && git -C "$1" commit -qm base &&
    git -C "$1" tag base
}

# ci_workflow_steps DIR: the run: lines of the workflow's checks (the steps
# with ids compile, lint, format, test, mutate), one script per step, and
# the workflow's env as DIR/env.
ci_workflow_steps() {
  mkdir -p "$1"
  python3 - "$root/ci/github/pathway.yml" "$1" <<'PY'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
out = sys.argv[2]
with open(f"{out}/env", "w") as f:
    for k, v in wf.get("env", {}).items():
        f.write(f"export {k}='{v}'\n")
steps = [s for s in wf["jobs"]["rules"]["steps"] if s.get("id") in ("compile", "lint", "format", "test", "mutate")]
assert [s["id"] for s in steps] == ["compile", "lint", "format", "test", "mutate"], steps
for i, s in enumerate(steps):
    assert "${{" not in s["run"], f"step {s['id']}: its command must not need GitHub's expressions"
    open(f"{out}/{i}-{s['id']}.sh", "w").write(s["run"] + "\n")
PY
}

# ci_verdict STEPS OUT: runs the workflow's checks on the staged tree of the
# current repository (copied to OUT) as GitHub runs a step (bash
# --noprofile --norc -eo pipefail); prints pass or block. The log is OUT.log.
ci_verdict() {
  local steps=$1 out=$2 verdict=pass
  mkdir -p "$out"
  git ls-files -z | git checkout-index -z --stdin --prefix="$out/"
  for s in "$steps"/*-*.sh; do
    (cd "$out" && . "$steps/env" && bash --noprofile --norc -eo pipefail "$s") >>"$out.log" 2>&1 ||
      { verdict=block; echo "step $(basename "$s") failed" >>"$out.log"; }
  done
  echo "$verdict"
}
