#!/usr/bin/env bash
# Heap Lens end-to-end test (npm run test:e2e): installs what it needs outside the repo
# (cached), packages the extension as a VSIX, then runs test/e2e/heaplens.e2e.mjs, which
# installs the VSIX into a fresh code-server profile, drives the workbench with chromium and
# stops everything it started. Whatever happens, this script ends the code-server process
# group it recorded, so nothing outlives the run.
#   HEAPLENS_E2E_DIR   scratch folder for tools and runs (default ~/.cache/heaplens/e2e)
#   HEAPLENS_E2E_SKIP_PACKAGE=1   use the heaplens.vsix already in the repo root
#   HEAPLENS_E2E_VSIX=path        test this VSIX instead of packaging one
#   HEAPLENS_E2E_ONLY=c,h         run only the scenarios with these letters
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
export HEAPLENS_E2E_DIR="${HEAPLENS_E2E_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/heaplens/e2e}"
mkdir -p "$HEAPLENS_E2E_DIR/runs" test-artifacts/e2e
rm -f test-artifacts/e2e/*.png test-artifacts/e2e/*.log

export HEAPLENS_E2E_PGID_FILE="$HEAPLENS_E2E_DIR/runs/code-server.$$.pgid"
# This run's folder (profile, workspace, browser): every process it starts mentions it.
export HEAPLENS_E2E_RUN="$HEAPLENS_E2E_DIR/runs/run-$(date +%s)-$$"
cleanup() {
  local rc=$?
  if [ -s "$HEAPLENS_E2E_PGID_FILE" ]; then
    local pgid; pgid=$(cat "$HEAPLENS_E2E_PGID_FILE")
    if kill -0 -- "-$pgid" 2>/dev/null; then
      echo "e2e: ending code-server process group $pgid"
      kill -TERM -- "-$pgid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
    rm -f "$HEAPLENS_E2E_PGID_FILE"
  fi
  # Debuggees run in their own process groups: end any of this run's that are left (its folder
  # in their command line or working directory), by pid.
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$pid" = "$$" ] && continue
    case "$(readlink "/proc/$pid/cwd" 2>/dev/null)" in "$HEAPLENS_E2E_RUN"*) ;; *)
      grep -qsF "$HEAPLENS_E2E_RUN" "/proc/$pid/cmdline" || continue ;;
    esac
    echo "e2e: ending leftover process $pid: $(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null | cut -c1-120)"
    kill -KILL "$pid" 2>/dev/null || true
  done
  # Keep only the newest few run folders (profiles, workspaces).
  ls -1dt "$HEAPLENS_E2E_DIR"/runs/run-* 2>/dev/null | tail -n +4 | xargs -r rm -rf
  echo "e2e: finished in $(( $(date +%s) - start ))s (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash scripts/e2e-setup.sh
echo "e2e: setup done after $(( $(date +%s) - start ))s"

if [ -n "${HEAPLENS_E2E_VSIX:-}" ]; then
  echo "e2e: testing the given VSIX $HEAPLENS_E2E_VSIX"
else
  if [ "${HEAPLENS_E2E_SKIP_PACKAGE:-}" != "1" ]; then
    echo "e2e: packaging the extension (npm run package)"
    npm run package --silent >/dev/null
  fi
  export HEAPLENS_E2E_VSIX="$PWD/heaplens.vsix"
fi
[ -f "$HEAPLENS_E2E_VSIX" ] || { echo "e2e: $HEAPLENS_E2E_VSIX is missing" >&2; exit 1; }

node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec test/e2e/heaplens.e2e.mjs
