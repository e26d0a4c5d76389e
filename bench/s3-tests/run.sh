#!/usr/bin/env bash
# ceph/s3-tests (the snapshot in ../shared/s3-tests, or $S3TESTS) against `objstore serve`, or against
# any endpoint: the object, listing, multipart, copy, range and conditional subset of RUNNING.md.
#   bench/s3-tests/run.sh [OUT_DIR]                      objstore serve --bucket-root mem:// (default)
#   STORE=DIR bench/s3-tests/run.sh [OUT_DIR]           objstore serve --bucket-root DIR (FilesystemStore)
#   ENDPOINT=http://127.0.0.1:7480 ACCESS_KEY=K SECRET_KEY=S bench/s3-tests/run.sh OUT_DIR   another server (Ceph RGW)
# Writes OUT_DIR/junit.xml and OUT_DIR/results.tsv (test, outcome) and prints the counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
out=$(realpath -m "${1:-$root/bench/s3-tests/out}")
mkdir -p "$out"
s3tests=${S3TESTS:-$(realpath "$root/../../shared/s3-tests" 2>/dev/null || echo /work/shared/s3-tests)}
python=/usr/bin/python3   # Debian's, which has boto3 and pytest (another python3 may come first on PATH)

server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [ -z "${ENDPOINT:-}" ]; then
  ACCESS_KEY=s3tests-key SECRET_KEY=s3tests-secret
  ALT_ACCESS_KEY=s3tests-alt-key ALT_SECRET_KEY=s3tests-alt-secret
  dotnet build -c Release -v q src/ObjectStorage.Cli >/dev/null
  dll=$root/src/ObjectStorage.Cli/bin/Release/net10.0/objstore.dll
  OBJSTORE_SERVE_ACCESS_KEY=$ACCESS_KEY OBJSTORE_SERVE_SECRET_KEY=$SECRET_KEY OBJSTORE_SERVE_USERS="$ALT_ACCESS_KEY:$ALT_SECRET_KEY" \
    dotnet "$dll" serve --bucket-root "${STORE:-mem://}" --listen 127.0.0.1:0 --json >"$out/serve.out" 2>"$out/serve.err" &
  server_pid=$!
  for _ in $(seq 1 100); do
    ENDPOINT=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$out/serve.out" | head -1 || true)
    [ -n "$ENDPOINT" ] && break
    sleep 0.1
  done
  [ -n "$ENDPOINT" ] || { echo "objstore serve did not start: $(cat "$out/serve.err")" >&2; exit 1; }
fi
port=${ENDPOINT##*:}

# main and alt are two users (objstore serve: --user; another server: ALT_ACCESS_KEY/ALT_SECRET_KEY, else alt is main);
# tenant is main, as the subset leaves out the tenant tests.
ALT_ACCESS_KEY=${ALT_ACCESS_KEY:-$ACCESS_KEY} ALT_SECRET_KEY=${ALT_SECRET_KEY:-$SECRET_KEY}
cat >"$out/s3tests.conf" <<CONF
[DEFAULT]
host = 127.0.0.1
port = $port
is_secure = False
ssl_verify = False
[fixtures]
bucket prefix = s3t-{random}-
[s3 main]
display_name = $ACCESS_KEY
user_id = $ACCESS_KEY
email = main@example.com
access_key = $ACCESS_KEY
secret_key = $SECRET_KEY
[s3 alt]
display_name = $ALT_ACCESS_KEY
user_id = $ALT_ACCESS_KEY
email = alt@example.com
access_key = $ALT_ACCESS_KEY
secret_key = $ALT_SECRET_KEY
[s3 tenant]
display_name = main
user_id = $ACCESS_KEY
email = tenant@example.com
tenant = testx
access_key = $ACCESS_KEY
secret_key = $SECRET_KEY
[iam]
email = s3@example.com
user_id = $ACCESS_KEY
access_key = $ACCESS_KEY
secret_key = $SECRET_KEY
display_name = main
[iam root]
access_key = $ACCESS_KEY
secret_key = $SECRET_KEY
user_id = $ACCESS_KEY
email = root@example.com
[iam alt root]
access_key = $ACCESS_KEY
secret_key = $SECRET_KEY
user_id = $ACCESS_KEY
email = altroot@example.com
CONF

cd "$s3tests"
S3TEST_CONF="$out/s3tests.conf" timeout "${TIMEOUT:-1800}" $python -m pytest s3tests/functional/test_s3.py -q -p no:cacheprovider \
  --junitxml="$out/junit.xml" \
  -k "bucket_list or object_write or object_read or object_head or object_copy or copy_object or multipart or ranged or object_put or object_delete or atomic or bucket_create or bucket_head or checksum or ifmatch or ifnonematch or if_match or if_none_match or ifmodified or ifunmodified" \
  -m "not fails_on_aws and not bucket_logging and not lifecycle and not encryption and not sse_s3 and not bucket_policy and not tagging and not object_lock" \
  >"$out/pytest.log" 2>&1 || true
$python - "$out/junit.xml" "$out/results.tsv" <<'PY'
import sys, xml.etree.ElementTree as ET
counts = {}
with open(sys.argv[2], "w") as tsv:
    for case in ET.parse(sys.argv[1]).iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"): outcome = "failed"
            elif child.tag == "skipped": outcome = "skipped"
        counts[outcome] = counts.get(outcome, 0) + 1
        tsv.write(f"{case.get('name')}\t{outcome}\n")
print(", ".join(f"{n} {o}" for o, n in sorted(counts.items())), "of", sum(counts.values()))
PY
tail -1 "$out/pytest.log"
