#!/usr/bin/env bash
# A one-machine Ceph cluster for the S3 tests: one monitor, one OSD that keeps its data in memory,
# and one RADOS Gateway, all on 127.0.0.1, with a test user and the test bucket.
#
#   .ci/ceph-rgw.sh start DIR   installs the Debian packages if missing, starts the daemons with
#                               their config, logs and pid files in DIR, and prints the lines
#                               OBJSTORE_RGW_ENDPOINT=..., OBJSTORE_RGW_ACCESS_KEY=...,
#                               OBJSTORE_RGW_SECRET_KEY=..., OBJSTORE_RGW_CONF=... for the caller to export
#   .ci/ceph-rgw.sh stop DIR    stops the daemons started in DIR, by their pids, and removes DIR
#
# Ports: CEPH_MON_PORT (default 3300) and RGW_PORT (default 7480). The cluster runs without auth
# and with the crc messenger mode, since the gateway otherwise fails with
# "get_initial_auth_request returned -13" (docs/stores/s3.md, "Testing against s3rver and Ceph RGW").
set -euo pipefail

action=${1:-}
dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then echo "usage: $0 start|stop DIR" >&2; exit 2; fi
mon_port=${CEPH_MON_PORT:-3300}
rgw_port=${RGW_PORT:-7480}
bucket=${OBJSTORE_S3_BUCKET:-objstore-tests}
access_key=objstore-rgw
secret_key=objstore-rgw-secret

stop() {
  # The gateway first, so that it does not log errors about a vanished cluster; then OSD, monitor.
  for name in rgw osd mon; do
    local pid_file="$dir/$name.pid"
    [ -f "$pid_file" ] || continue
    local pid
    pid=$(cat "$pid_file")
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file"
  done
}

if [ "$action" = stop ]; then
  [ -d "$dir" ] || exit 0
  stop
  rm -rf "$dir"
  exit 0
fi
if [ "$action" != start ]; then echo "usage: $0 start|stop DIR" >&2; exit 2; fi

if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null \
   || ! command -v radosgw-admin >/dev/null || ! command -v uuidgen >/dev/null; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq radosgw ceph-mon ceph-osd ceph-common uuid-runtime; } >/dev/null 2>&1 \
    || { echo "could not install Ceph (apt-get install radosgw ceph-mon ceph-osd ceph-common uuid-runtime)" >&2; exit 1; }
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# A failed start leaves nothing running.
trap 'status=$?; if [ $status -ne 0 ]; then stop; fi' EXIT

fsid=$(uuidgen)
conf="$dir/ceph.conf"
mkdir -p "$dir/mon" "$dir/osd" "$dir/rgw" "$dir/run"
cat >"$conf" <<EOF
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:$mon_port
public_addr = 127.0.0.1
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_mon_client_mode = crc
ms_mon_service_mode = crc
ms_mon_cluster_mode = crc
ms_client_mode = crc
ms_service_mode = crc
ms_cluster_mode = crc
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
osd_pool_default_pg_autoscale_mode = off
osd_pool_default_pg_num = 8
osd_objectstore = memstore
memstore_device_bytes = 4294967296
run_dir = $dir/run
admin_socket = $dir/run/\$name.asok
log_file = $dir/\$name.log
mon_data = $dir/mon/\$id
osd_data = $dir/osd/\$id
keyring = $dir/keyring
[client.rgw.x]
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
rgw_data = $dir/rgw
EOF
touch "$dir/keyring"

monmaptool --create --clobber --addv a "[v2:127.0.0.1:$mon_port]" --fsid "$fsid" "$dir/monmap" >/dev/null
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >/dev/null 2>&1
ceph-mon -c "$conf" -i a --pid-file "$dir/mon.pid"
osd_id=$(timeout 60 ceph -c "$conf" osd create)
mkdir -p "$dir/osd/$osd_id"
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$(uuidgen)" >/dev/null 2>&1
ceph-osd -c "$conf" -i "$osd_id" --pid-file "$dir/osd.pid" >/dev/null 2>&1
radosgw -c "$conf" -n client.rgw.x --pid-file "$dir/rgw.pid"

for _ in $(seq 1 600); do
  if curl -s -o /dev/null "http://127.0.0.1:$rgw_port/"; then break; fi
  sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$rgw_port/" || { echo "radosgw did not answer on port $rgw_port; see $dir/*.log" >&2; exit 1; }
timeout 60 radosgw-admin -c "$conf" user create --uid test --display-name test --access-key "$access_key" --secret "$secret_key" >/dev/null

# The test bucket, made with a SigV4 request through curl so no S3 client is needed here; the
# gateway demands the payload hash header, which curl does not add (this one is of the empty body).
if ! curl -sf -o /dev/null -X PUT -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" --aws-sigv4 "aws:amz:us-east-1:s3" --user "$access_key:$secret_key" "http://127.0.0.1:$rgw_port/$bucket"; then
  echo "could not create bucket $bucket on radosgw" >&2
  exit 1
fi

echo "OBJSTORE_RGW_ENDPOINT=http://127.0.0.1:$rgw_port"
echo "OBJSTORE_RGW_ACCESS_KEY=$access_key"
echo "OBJSTORE_RGW_SECRET_KEY=$secret_key"
# Tests start gateways of their own on this cluster (to kill them mid-upload) from its config.
echo "OBJSTORE_RGW_CONF=$conf"
