#!/bin/sh
# Installs the real npm packages the package scenarios run (examples/packages/*.js), each at
# the version with a known leak and at the version that fixed it (see package.json here and
# examples/README.md), from the npm registry into a folder outside the repo:
#   HEAPLENS_EXAMPLE_PACKAGES (default ~/.cache/heaplens/example-packages).
# Idempotent: does nothing when the installed set already matches package.json.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${HEAPLENS_EXAMPLE_PACKAGES:-$HOME/.cache/heaplens/example-packages}
mkdir -p "$dir"
if [ -f "$dir/package.json" ] && cmp -s "$here/package.json" "$dir/package.json" && [ -f "$dir/.installed" ]; then
  exit 0
fi
cp "$here/package.json" "$dir/package.json"
rm -f "$dir/.installed"
(cd "$dir" && npm install --no-audit --no-fund --no-package-lock --loglevel=error)
touch "$dir/.installed"
echo "example packages installed in $dir"
