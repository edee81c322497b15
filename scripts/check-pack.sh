#!/usr/bin/env bash
# Packs a workspace package and installs the tarball into an empty folder, then imports it (CJS and ESM):
# proof that what we publish is self-contained.   usage: scripts/check-pack.sh data
set -euo pipefail
pkg=${1:?usage: check-pack.sh <package folder under packages/>}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root/packages/$pkg" && pnpm pack --pack-destination "$tmp" >/dev/null)
cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund ./*.tgz >/dev/null
name=$(node -p "require('$root/packages/$pkg/package.json').name")
node -e "const m=require('$name'); console.log('$name (cjs):', Object.keys(m).length, 'exports')"
echo "import * as m from '$name'; console.log('$name (esm):', Object.keys(m).length, 'exports');" > t.mjs && node t.mjs
