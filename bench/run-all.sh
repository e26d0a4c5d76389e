#!/usr/bin/env bash
# Reruns the benchmarks of docs/benchmarks.md on this machine and renders its charts.
#
#   bench/run-all.sh                 everything: every BenchmarkDotNet class, the sync and memory harnesses, the charts
#   bench/run-all.sh PART...         only these parts, in this order:
#     peer         FilesystemStore vs FluentStorage (PeerBenchmarks, PeerDeleteBenchmarks)
#     scaling      listings of 10k/100k/1M keys; put/get of 1 KiB .. 1 GiB (ScalingListBenchmarks, *ObjectSizeBenchmarks)
#     concurrency  put/get from 1, 2, 4, 8 tasks (ConcurrencyBenchmarks)
#     memory       peak memory of the listings (list-memory harness)
#     sync         StoreSync vs rclone sync into s3rver (sync harness)
#     stores       the classes of the other sections (FilesystemBenchmarks, Sqlite*, Zip*, S3* but multipart, DictStore*, Telemetry*)
#     charts       docs/*.svg and bench/results/tables.md from the results
#     rgw          S3Benchmarks and the sync harness against Ceph RGW (not in "everything": it needs Ceph). The gateway
#                  OBJSTORE_RGW_ENDPOINT, OBJSTORE_RGW_ACCESS_KEY, OBJSTORE_RGW_SECRET_KEY (and OBJSTORE_RGW_CONF, for
#                  freeing replaced objects at once: S3Server.cs) name, as .ci/ceph-rgw.sh prints them; unset, this
#                  starts one with .ci/ceph-rgw.sh for the run (CEPH_MON_PORT, RGW_PORT: default 3300, 7480) and
#                  stops it at the end. Results: bench/results/rgw/ (BenchmarkDotNet) and bench/results/sync-rgw.*;
#                  the benchmarks' objects are deleted afterwards.
#
# Needs: the .NET SDK of global.json, node + npm (s3rver, installed and patched as .ci/run does), rclone
# (installed with apt-get when missing). The listing data sets (about 20 GB, 4.5 million inodes, the
# 1M-key hashdir alone takes minutes to write) are created once under OBJSTORE_BENCH_DATA
# (default /tmp/objstore-bench-data) and reused. Results: bench/results/ (BenchmarkDotNet artifacts
# and the harnesses' CSV files), each table's load average in bench/results/load.txt.
# The peer, concurrency and core (FilesystemBenchmarks) classes write under TMPDIR: point it at the file
# system to measure (docs/benchmarks.md compares an unjournalled and a journalled ext4 this way).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/bench/results"
mkdir -p "$results"
parts=("$@")
if [ ${#parts[@]} -eq 0 ]; then parts=(peer scaling concurrency memory sync stores charts); fi
wants() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

s3rver_pid=""
s3rver_data=""
rgw_dir=""
cleanup() {
  if [ -n "$s3rver_pid" ]; then kill "$s3rver_pid" 2>/dev/null || true; wait "$s3rver_pid" 2>/dev/null || true; fi
  if [ -n "$s3rver_data" ]; then rm -rf "$s3rver_data" "$s3rver_data.out"; fi
  if [ -n "$rgw_dir" ]; then .ci/ceph-rgw.sh stop "$rgw_dir" || true; fi
}
trap cleanup EXIT

load() { echo "$(date -u +%H:%M:%S) $1: load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/load.txt"; }
need_rclone() {
  if ! command -v rclone >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rclone >/dev/null
  fi
}

# ---- s3rver, for the sync and S3 parts: the same install, patches and settings as .ci/run ----
if wants sync || wants stores; then
  section=$(sed -n '/^s3rver_pkg=/,/^export NODE_OPTIONS/p' .ci/run)
  if [ -z "$section" ]; then echo "cannot find the s3rver set-up in .ci/run" >&2; exit 1; fi
  eval "$section"
  need_rclone
  s3rver_data=$(mktemp -d)
  node "$s3rver_pkg/bin/s3rver.js" -d "$s3rver_data" -a 127.0.0.1 -p 0 --configure-bucket objstore-tests --silent >"$s3rver_data.out" 2>&1 &
  s3rver_pid=$!
  port=""
  for _ in $(seq 1 100); do
    port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$s3rver_data.out" | grep -oE '[0-9]+$' || true)
    if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/objstore-tests?list-type=2&max-keys=1" >/dev/null; then break; fi
    port=""
    sleep 0.1
  done
  if [ -z "$port" ]; then echo "s3rver did not start" >&2; exit 1; fi
  export OBJSTORE_S3_ENDPOINT="http://127.0.0.1:$port"
  export OBJSTORE_S3_BUCKET=objstore-tests
fi

# ---- Ceph RGW, for the rgw part: the environment's, or one of this run's own ----
if wants rgw; then
  if [ -z "${OBJSTORE_RGW_ENDPOINT:-}" ]; then
    rgw_dir=$(mktemp -d)
    rgw_vars=$(.ci/ceph-rgw.sh start "$rgw_dir")
    while IFS= read -r line; do export "${line?}"; done <<<"$rgw_vars"
  fi
  need_rclone
fi

dotnet build -c Release bench/ObjectStorage.Benchmarks -v quiet -nologo
bench=(dotnet "$root/bench/ObjectStorage.Benchmarks/bin/Release/net10.0/ObjectStorage.Benchmarks.dll")
bdn() { (cd "$results" && "${bench[@]}" --exporters json github --filter "$@"); }

if wants scaling || wants memory; then "${bench[@]}" prepare; fi
if wants peer; then load peer; bdn '*PeerBenchmarks*' '*PeerDeleteBenchmarks*'; fi
if wants scaling; then load scaling; bdn '*ScalingListBenchmarks*' '*SmallObjectSizeBenchmarks*' '*LargeObjectSizeBenchmarks*'; fi
if wants concurrency; then load concurrency; bdn '*ConcurrencyBenchmarks*'; fi
if wants memory; then load memory; (cd "$results" && "${bench[@]}" list-memory --csv "$results/list-memory.csv" ${LIST_MEMORY_SKIP:+--skip "$LIST_MEMORY_SKIP"}); fi
if wants sync; then
  load sync
  (cd "$results" && "${bench[@]}" sync --files "${SYNC_FILES:-10000}" --parallel "${SYNC_PARALLEL:-8}" --reps "${SYNC_REPS:-3}" --csv "$results/sync.csv") | tee "$results/sync.md"
fi
if wants stores; then
  load stores
  bdn '*.FilesystemBenchmarks.*' '*.DictStoreBenchmarks.*' '*.SqliteBenchmarks.*' '*.SqliteConcurrencyBenchmarks.*' \
      '*.SqliteLargeObjectBenchmarks.*' '*.ZipBenchmarks.*' '*.TelemetryBenchmarks.*' \
      '*.S3Benchmarks.*4KiB' '*.S3Benchmarks.*8MiB' '*.S3Benchmarks.*List10000*'
  # S3Benchmarks' multipart 256 MiB category runs in the rgw part, with a fixed iteration count.
fi
if wants rgw; then
  (
    export OBJSTORE_S3_ENDPOINT="$OBJSTORE_RGW_ENDPOINT" OBJSTORE_S3_ACCESS_KEY="$OBJSTORE_RGW_ACCESS_KEY" \
           OBJSTORE_S3_SECRET_KEY="$OBJSTORE_RGW_SECRET_KEY" OBJSTORE_S3_BUCKET="${OBJSTORE_S3_BUCKET:-objstore-tests}"
    load rgw-s3
    # A fixed count: BenchmarkDotNet's default would repeat a 256 MiB upload until its noise settles, up to 100 times;
    # a long build timeout: on a loaded machine its generated project takes more than the default 2 minutes to build.
    bdn '*.S3Benchmarks.*' --artifacts "$results/rgw" --job short --iterationCount "${RGW_ITERATIONS:-15}" --buildTimeout 1200
    (cd "$results" && "${bench[@]}" s3-clean bench-s3/)
    load rgw-sync
    (cd "$results" && "${bench[@]}" sync --files "${SYNC_FILES:-10000}" --parallel "${SYNC_PARALLEL:-8}" --reps "${SYNC_REPS:-3}" --csv "$results/sync-rgw.csv") | tee "$results/sync-rgw.md"
  )
fi
if wants charts; then dotnet run -c Release --project bench/ObjectStorage.Charts -- "$results" "$root/docs"; fi
load done
