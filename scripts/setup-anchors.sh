#!/bin/sh
# Install the anchors' (reference analyzers') node_modules into a scratch folder
# OUTSIDE the repo, exactly as ../shared/anchors/README.md prescribes.  The oracles
# find their dependencies through --work DIR / $ANCHOR_WORK, so nothing of theirs
# ever lands in our package.json or lockfile.
#
#   sh scripts/setup-anchors.sh [DIR]        (default ${ANCHOR_WORK:-/tmp/anchorwork})
#
# Idempotent: when every pinned version is already present it does nothing, so CI
# and `npm run bench` can call it unconditionally.
set -eu

WORK=${1:-${ANCHOR_WORK:-/tmp/anchorwork}}

# Pinned to what the anchors' README measured with; a different DevTools build can
# change retained sizes, which would make parity failures meaningless.
PKGS="chrome-devtools-frontend@1.0.1705227 @memlab/core@2.0.5 @memlab/heap-analysis@2.0.5 esbuild@0.28.2"
VSCODE_PARSER="@vscode/v8-heap-parser@0.1.0"

# Prints the pinned packages that are missing or at another version (empty = done).
# Read package.json directly: @vscode/v8-heap-parser does not export it, so
# require.resolve('<pkg>/package.json') would throw for it.
missing() {
  [ -d "$WORK/node_modules" ] || { echo "node_modules"; return; }
  node -e '
    const fs = require("fs"), path = require("path");
    const [work, ...specs] = process.argv.slice(1);
    for (const spec of specs) {
      const at = spec.lastIndexOf("@"), name = spec.slice(0, at), want = spec.slice(at + 1);
      let have = null;
      try { have = JSON.parse(fs.readFileSync(path.join(work, "node_modules", name, "package.json"), "utf8")).version; } catch {}
      if (have !== want) console.log(spec);
    }' "$WORK" $PKGS $VSCODE_PARSER
}

todo=$(missing)
if [ -z "$todo" ]; then
  echo "anchors: already installed in $WORK"
  exit 0
fi

echo "anchors: installing into $WORK (missing: $(echo $todo | tr '\n' ' '))"
mkdir -p "$WORK"
LOG="$WORK/setup-anchors.log"
: > "$LOG"
# npm's chatter goes to a log so CI output stays short; shown in full only on failure.
run() {
  if ! "$@" >>"$LOG" 2>&1; then
    echo "anchors: FAILED: $*" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}
cd "$WORK"
[ -f package.json ] || run npm init -y
# memlab pulls in puppeteer, whose postinstall downloads Chrome from a host that is
# unreachable here (and never used by the oracles): skip it or npm install fails.
run env PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund $PKGS
run npm install --no-audit --no-fund $VSCODE_PARSER

todo=$(missing)
if [ -n "$todo" ]; then
  echo "anchors: FAILED: still missing after install: $todo (log: $LOG)" >&2
  exit 1
fi
echo "anchors: installed in $WORK ($(du -sh node_modules | cut -f1))"
