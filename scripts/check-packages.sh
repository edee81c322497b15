#!/usr/bin/env bash
# Publishing checks for every library package: builds it, packs it as pnpm publishes it (publishConfig applied),
# then runs publint and "Are the Types Wrong?" on the tarball. Exit status non-zero on any problem.
#   usage: scripts/check-packages.sh [package folder under packages/ ...]   (default: all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(data lrp models viz)
status=0
for pkg in "${pkgs[@]}"; do
  echo "== @lrpjs/$pkg"
  (cd "$root/packages/$pkg" && pnpm exec tsup --silent >/dev/null && pnpm pack --pack-destination "$tmp/$pkg" >/dev/null)
  tgz=$(ls "$tmp/$pkg"/*.tgz)
  "$root/node_modules/.bin/publint" run "$tgz" --strict || status=1
  # node16 profile: every modern resolution (node16 CJS and ESM, bundler); node10 predates "exports" subpaths.
  "$root/node_modules/.bin/attw" "$tgz" --profile node16 --format table-flipped --no-color || status=1
done
exit $status
