#!/usr/bin/env bash
# Installs Azurite 3.37.0 (the Azure Storage emulator) from npm into DIR (default: .azurite/ at the
# repository root) and prints the package folder. Both .ci/run and the test fixture
# (tests/ObjectStorage.Tests/Support/AzuriteProcess.cs) install through this script, so they run
# the same server. Needs node and npm, no root. Start the blob service as
#   node PKG/dist/src/blob/main.js --blobHost 127.0.0.1 --blobPort PORT --inMemoryPersistence --skipApiVersionCheck --loose
# (without --skipApiVersionCheck Azure.Storage.Blobs 12.30 is refused: its API version is newer).
set -euo pipefail
dir=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.azurite"}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
pkg="$dir/node_modules/azurite"
# One installer at a time per folder: the fixture and .ci/run may both reach here.
exec 9>"$dir/.install.lock"
command -v flock >/dev/null && flock 9
if [ ! -f "$pkg/package.json" ] || ! grep -q '"version": "3.37.0"' "$pkg/package.json"; then
  (cd "$dir" && npm install --no-audit --no-fund --silent azurite@3.37.0 >/dev/null)
fi
echo "$pkg"
