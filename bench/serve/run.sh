#!/usr/bin/env bash
# The same boto3 load (load.py) against objstore serve over DictStore and over FilesystemStore, and
# s3rver, one after the other in one run; prints one JSON line per server. RGW: pass
# RGW_ENDPOINT/RGW_ACCESS_KEY/RGW_SECRET_KEY/RGW_PID of a running gateway (.ci/ceph-rgw.sh) to include it.
#   bench/serve/run.sh [SECONDS] [BIG_MIB]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-5}
big_mib=${2:-1024}
work=$(mktemp -d)
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
head -c $((big_mib << 20)) /dev/urandom >"$work/big.bin"
dotnet build -c Release -v q src/ObjectStorage.Cli >/dev/null
dll=$root/src/ObjectStorage.Cli/bin/Release/net10.0/objstore.dll
echo "# $(uptime)"

serve() { # NAME STORE_URL
  OBJSTORE_SERVE_ACCESS_KEY=k OBJSTORE_SERVE_SECRET_KEY=s dotnet "$dll" serve --bucket "bench=$2" --listen 127.0.0.1:0 --json \
    --multipart-dir "$work/spool-$1" >"$work/$1.out" 2>&1 &
  pid=$!
  local endpoint=""
  for _ in $(seq 1 200); do endpoint=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/$1.out" | head -1 || true); [ -n "$endpoint" ] && break; sleep 0.1; done
  echo "$1 $(/usr/bin/python3 bench/serve/load.py "$endpoint" k s bench "$seconds" "$work/big.bin" "$pid")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
serve serve-dict mem://
serve serve-filesystem "$work/fs"

s3rver_pkg=$(bash .ci/s3rver.sh "$root/.s3rver")
mkdir -p "$work/s3rver"
NODE_OPTIONS=--openssl-legacy-provider node "$s3rver_pkg/bin/s3rver.js" -d "$work/s3rver" -a 127.0.0.1 -p 0 --configure-bucket bench --silent >"$work/s3rver.out" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 100); do port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$work/s3rver.out" | grep -oE '[0-9]+$' || true); [ -n "$port" ] && break; sleep 0.1; done
echo "s3rver $(/usr/bin/python3 bench/serve/load.py "http://127.0.0.1:$port" S3RVER S3RVER bench "$seconds" "$work/big.bin" "$pid")"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

if [ -n "${RGW_ENDPOINT:-}" ]; then
  echo "rgw $(/usr/bin/python3 bench/serve/load.py "$RGW_ENDPOINT" "$RGW_ACCESS_KEY" "$RGW_SECRET_KEY" bench "$seconds" "$work/big.bin" "${RGW_PID:-0}")"
fi
echo "# $(uptime)"
