#!/usr/bin/env bash
# Heap Lens e2e, step 1: what the end-to-end test needs outside the repo, cached and idempotent.
#   - Debian packages: chromium (the browser), ripgrep (seeded into @vscode/ripgrep's cache),
#     and what code-server's native modules build with (libkrb5-dev, build-essential, ...).
#   - code-server@4.100.3 (VS Code 1.100.3 workbench + js-debug) and playwright-core, in
#     $HEAPLENS_E2E_DIR/tools (default ~/.cache/heaplens/e2e), never in the repo.
# See /work/shared/e2e/README.md for why each trap is here.
set -euo pipefail

W="${HEAPLENS_E2E_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/heaplens/e2e}"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
mkdir -p "$W/tools" "$W/tmp"

need_pkgs=()
for p in chromium libkrb5-dev pkg-config ripgrep build-essential python3 ca-certificates; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  echo "e2e-setup: apt-get install ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

installed_version() { node -p "require('$W/tools/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(installed_version code-server)" = "$CODE_SERVER_VERSION" ] \
   && [ "$(installed_version playwright-core)" = "$PLAYWRIGHT_VERSION" ] \
   && [ -x "$W/tools/node_modules/.bin/code-server" ] \
   && [ -f "$W/tools/.complete" ]; then
  echo "e2e-setup: code-server $CODE_SERVER_VERSION and playwright-core $PLAYWRIGHT_VERSION cached in $W/tools"
  exit 0
fi

echo "e2e-setup: installing code-server@$CODE_SERVER_VERSION and playwright-core@$PLAYWRIGHT_VERSION into $W/tools"
rm -f "$W/tools/.complete"
# @vscode/ripgrep downloads rg from GitHub (blocked here): seed its cache with Debian's rg.
mkdir -p "$W/tmp/vscode-ripgrep-cache-1.15.11" "$W/rg"
cp /usr/bin/rg "$W/rg/rg"
tar czf "$W/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$W/rg" rg
cd "$W/tools"
[ -f package.json ] || echo '{"private":true}' > package.json
# Root: code-server's postinstall needs unsafe_perm; node-pty runs `npx node-gyp` (needs yes).
TMPDIR="$W/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --loglevel=error \
  "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
touch "$W/tools/.complete"
echo "e2e-setup: done"
