#!/usr/bin/env bash
# pulumi-qoder is not on the npm registry yet: this kit installs it from vendor/ (package.json:
# "file:vendor/pulumi-qoder-0.1.0.tgz"). Run once after copying the kit, and again to upgrade:
#   bash scripts/vendor-pulumi-qoder.sh /path/to/pulumi-qoder-clone
# It packs the clone (`npm pack` builds dist/ first), puts the tarball in vendor/ and refreshes
# package-lock.json; commit both. Once the package is published: "pulumi-qoder": "^0.1.0", and
# delete vendor/.
set -euo pipefail
clone=${1:?usage: bash scripts/vendor-pulumi-qoder.sh /path/to/pulumi-qoder-clone}
kit=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$kit/vendor"
# A clone without node_modules cannot build: install its dependencies first.
[ -d "$clone/node_modules" ] || (cd "$clone" && npm ci --no-audit --no-fund)
tarball=$(cd "$clone" && npm pack --silent --pack-destination "$kit/vendor" | tail -n 1)
echo "vendor/$tarball"
cd "$kit"
npm install --package-lock-only --no-audit --no-fund
