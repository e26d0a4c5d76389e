#!/usr/bin/env bash
# objstore (a Release build of the CLI) against rclone at the same parallelism, issue 16: sync and
# check of 2,000 and 10,000 small files (100 B to 4 KiB in 100 folders), filesystem -> filesystem
# and filesystem -> S3 (an s3rver of this run's own on loopback), first sync into an empty target,
# sync again with nothing changed, and check. The floor for a first sync is the raw file API or SDK
# with the same parallelism in a process of its own (bench/ObjectStorage.Benchmarks raw-copy), so
# every column pays one process start. Wall-clock milliseconds, median of REPS runs (default 1);
# the load average is printed with every table, as the machine may be shared.
#
#   bench/cli-vs-rclone.sh [FILES...]        (default: 2000 10000; REPS=3 PARALLEL=8 to change)
#   AOT=1 bench/cli-vs-rclone.sh 2000        objstore compiled ahead of time (docs/cli.md, "A native build")
#
# Needs: the .NET SDK, node + npm (s3rver, installed and patched by .ci/s3rver.sh), rclone.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
parallel=${PARALLEL:-8}
reps=${REPS:-1}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 10000)
work=$(mktemp -d /tmp/objstore-vs-rclone.XXXXXX)
s3rver_pid=""
cleanup() {
  if [ -n "$s3rver_pid" ]; then kill "$s3rver_pid" 2>/dev/null || true; wait "$s3rver_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Both .NET sides as a user would install them: Release, compiled ahead (ReadyToRun), so that start-up is not JIT;
# with AOT=1 objstore is the native build instead.
if [ "${AOT:-0}" = 1 ]; then
  dotnet publish src/ObjectStorage.Cli -c Release -r linux-x64 -p:PublishAot=true --artifacts-path "$work/aot-artifacts" -o "$work/objstore" -v q -nologo >/dev/null
else
  dotnet publish src/ObjectStorage.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/objstore" -v q -nologo >/dev/null
fi
dotnet publish bench/ObjectStorage.Benchmarks -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/raw" -v q -nologo >/dev/null
objstore=("$work/objstore/objstore")
raw=("$work/raw/ObjectStorage.Benchmarks" raw-copy)

# s3rver on a free loopback port, as bench/run-all.sh starts it.
s3rver_pkg=$(bash .ci/s3rver.sh "$root/.s3rver")
export NODE_OPTIONS=--openssl-legacy-provider
mkdir -p "$work/s3rver"
node "$s3rver_pkg/bin/s3rver.js" -d "$work/s3rver" -a 127.0.0.1 -p 0 --configure-bucket objstore-bench --silent >"$work/s3rver.out" 2>&1 &
s3rver_pid=$!
port=""
for _ in $(seq 1 200); do
  port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$work/s3rver.out" | grep -oE '[0-9]+$' || true)
  if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/objstore-bench?list-type=2&max-keys=1" >/dev/null; then break; fi
  port=""
  sleep 0.1
done
[ -n "$port" ] || { echo "s3rver did not start" >&2; exit 1; }
endpoint="http://127.0.0.1:$port"
export OBJSTORE_S3_ENDPOINT=$endpoint OBJSTORE_S3_BUCKET=objstore-bench AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
export RCLONE_CONFIG_OSB_TYPE=s3 RCLONE_CONFIG_OSB_PROVIDER=Other RCLONE_CONFIG_OSB_ENV_AUTH=false \
  RCLONE_CONFIG_OSB_ACCESS_KEY_ID=S3RVER RCLONE_CONFIG_OSB_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_OSB_ENDPOINT=$endpoint \
  RCLONE_CONFIG_OSB_FORCE_PATH_STYLE=true RCLONE_CONFIG_OSB_LIST_URL_ENCODE=false
s3url() { echo "s3://objstore-bench/$1?endpoint=$endpoint&region=us-east-1"; }
# rclone cannot use a custom CA bundle with its own HTTP transport; the loopback server needs none.
rc=(env -u AWS_CA_BUNDLE rclone --transfers "$parallel" --checkers "$parallel")

# Milliseconds of one run of the command; a failing run ends the script with its output.
ms() {
  local start end
  start=$(date +%s%N)
  if ! "$@" >"$work/last.out" 2>&1; then echo "failed: $*" >&2; cat "$work/last.out" >&2; exit 1; fi
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
# Before an unchanged sync is timed, the disk writes back what the first syncs left dirty (4,000 objects and their
# s3rver metadata files), so that neither side pays for the other's writeback.
settle() { sync; sleep 1; }
# s3rver answers the first listing of a prefix after writes to it a third slower than the next (0.37 against
# 0.25-0.29 s for 2,000 keys), whoever asks; each target is listed once, untimed, so that the side timed first
# does not pay for it.
warm() { "${rc[@]}" lsf -R "osb:objstore-bench/$1" >/dev/null 2>&1; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b / a}'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The source tree: N files of 100 B to 4 KiB in 100 folders, back-dated so every copy is newer.
tree() {
  local n=$1 dir=$work/src-$1
  python3 - "$dir" "$n" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(16)
for i in range(n):
    path = os.path.join(root, f"d{i % 100:02d}", f"f{i:06d}.bin")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(rng.randbytes(rng.randint(100, 4096)))
    os.utime(path, (1704067200, 1704067200))
PY
  echo "$dir"
}

for n in "${sizes[@]}"; do
  src=$(tree "$n")
  declare -A t=()
  for rep in $(seq 1 "$reps"); do
    # filesystem -> filesystem
    t[ff_raw]+=" $(ms "${raw[@]}" "$src" "$work/raw-$n-$rep" --parallel "$parallel")"
    t[ff_ours_first]+=" $(ms "${objstore[@]}" sync "$src" "$work/ours-$n-$rep" -j "$parallel" -q)"
    t[ff_theirs_first]+=" $(ms "${rc[@]}" sync "$src" "$work/theirs-$n-$rep")"
    settle
    t[ff_ours_again]+=" $(ms "${objstore[@]}" sync "$src" "$work/ours-$n-$rep" -j "$parallel" -q)"
    settle
    t[ff_theirs_again]+=" $(ms "${rc[@]}" sync "$src" "$work/theirs-$n-$rep")"
    t[ff_ours_check]+=" $(ms "${objstore[@]}" check "$src" "$work/ours-$n-$rep" -j "$parallel")"
    t[ff_theirs_check]+=" $(ms "${rc[@]}" check "$src" "$work/theirs-$n-$rep")"
    t[ff_theirs_check_size]+=" $(ms "${rc[@]}" check "$src" "$work/theirs-$n-$rep" --size-only)"
    # filesystem -> S3
    t[fs_raw]+=" $(ms "${raw[@]}" "$src" "s3:raw-$n-$rep/" --parallel "$parallel")"
    t[fs_ours_first]+=" $(ms "${objstore[@]}" sync "$src" "$(s3url "ours-$n-$rep")" -j "$parallel" -q)"
    t[fs_theirs_first]+=" $(ms "${rc[@]}" sync "$src" "osb:objstore-bench/theirs-$n-$rep" --fast-list)"
    warm "ours-$n-$rep"
    warm "theirs-$n-$rep"
    settle
    t[fs_ours_again]+=" $(ms "${objstore[@]}" sync "$src" "$(s3url "ours-$n-$rep")" -j "$parallel" -q)"
    settle
    t[fs_theirs_again]+=" $(ms "${rc[@]}" sync "$src" "osb:objstore-bench/theirs-$n-$rep" --fast-list)"
    t[fs_theirs_again_modtime]+=" $(ms "${rc[@]}" sync "$src" "osb:objstore-bench/theirs-$n-$rep" --fast-list --update --use-server-modtime)"
    t[fs_ours_check]+=" $(ms "${objstore[@]}" check "$src" "$(s3url "ours-$n-$rep")" -j "$parallel")"
    t[fs_theirs_check]+=" $(ms "${rc[@]}" check "$src" "osb:objstore-bench/theirs-$n-$rep" --fast-list)"
    t[fs_theirs_check_size]+=" $(ms "${rc[@]}" check "$src" "osb:objstore-bench/theirs-$n-$rep" --fast-list --size-only)"
  done
  m() { median ${t[$1]}; }
  echo
  echo "### $n files, $parallel parallel, median of $reps (ms; load average after: $(load); $(date -u +%H:%M) UTC)"
  echo
  echo "| step | raw API/SDK | objstore | rclone | rclone ÷ objstore | objstore ÷ raw |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| fs→fs first sync | $(m ff_raw) | $(m ff_ours_first) | $(m ff_theirs_first) | $(ratio "$(m ff_ours_first)" "$(m ff_theirs_first)") | $(ratio "$(m ff_raw)" "$(m ff_ours_first)") |"
  echo "| fs→fs unchanged sync | | $(m ff_ours_again) | $(m ff_theirs_again) | $(ratio "$(m ff_ours_again)" "$(m ff_theirs_again)") | |"
  echo "| fs→fs check (objstore: sizes; rclone: sizes and MD5 of both sides) | | $(m ff_ours_check) | $(m ff_theirs_check) | $(ratio "$(m ff_ours_check)" "$(m ff_theirs_check)") | |"
  echo "| fs→fs check, rclone --size-only | | $(m ff_ours_check) | $(m ff_theirs_check_size) | $(ratio "$(m ff_ours_check)" "$(m ff_theirs_check_size)") | |"
  echo "| fs→S3 first sync | $(m fs_raw) | $(m fs_ours_first) | $(m fs_theirs_first) | $(ratio "$(m fs_ours_first)" "$(m fs_theirs_first)") | $(ratio "$(m fs_raw)" "$(m fs_ours_first)") |"
  echo "| fs→S3 unchanged sync (rclone defaults: HEAD per object) | | $(m fs_ours_again) | $(m fs_theirs_again) | $(ratio "$(m fs_ours_again)" "$(m fs_theirs_again)") | |"
  echo "| fs→S3 unchanged sync, rclone --update --use-server-modtime | | $(m fs_ours_again) | $(m fs_theirs_again_modtime) | $(ratio "$(m fs_ours_again)" "$(m fs_theirs_again_modtime)") | |"
  echo "| fs→S3 check (objstore: sizes; rclone: sizes and local MD5 against ETags) | | $(m fs_ours_check) | $(m fs_theirs_check) | $(ratio "$(m fs_ours_check)" "$(m fs_theirs_check)") | |"
  echo "| fs→S3 check, rclone --size-only | | $(m fs_ours_check) | $(m fs_theirs_check_size) | $(ratio "$(m fs_ours_check)" "$(m fs_theirs_check_size)") | |"
  unset t
done
