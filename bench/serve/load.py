# One client load against an S3 endpoint (boto3, Debian's /usr/bin/python3): put and get of 4 KiB
# objects at 1 and 16 parallel requests, a listing of 10k keys, a multipart upload of a big file
# with the server's peak RSS (VmHWM of SERVER_PID) and its peak private memory during the upload
# (RssAnon + RssShmem, sampled every 50 ms). Prints one JSON line.
#   load.py ENDPOINT ACCESS SECRET BUCKET SECONDS BIG_FILE SERVER_PID
import json, os, sys, threading, time
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

endpoint, access, secret, bucket, seconds, big, pid = sys.argv[1:8]
seconds = float(seconds)
def client():
    return boto3.session.Session().client("s3", endpoint_url=endpoint, aws_access_key_id=access, aws_secret_access_key=secret,
        region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, max_pool_connections=32))

body = os.urandom(4096)
result = {}
errors = {}
# Clients are made here, one per thread, before the threads start: botocore's client creation is not
# thread-safe (concurrent creation raised KeyError in credential and endpoint resolution and killed
# the 16-thread phases of an earlier version of this script).
clients = [client() for _ in range(16)]
def rate(name, threads, op):
    counts = [0] * threads
    failed = [0] * threads
    stop = time.monotonic() + seconds
    def run(i):
        c = clients[i]
        n = 0
        while time.monotonic() < stop:
            try:
                op(c, i, n)
                n += 1
            except Exception as e:  # counted and reported, so that an error cannot pass for a slow server
                failed[i] += 1
                errors.setdefault(name, f"{type(e).__name__}: {e}"[:300])
        counts[i] = n
    ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    start = time.monotonic()
    for t in ts: t.start()
    for t in ts: t.join()
    result[name] = round(sum(counts) / (time.monotonic() - start), 1)
    if sum(failed): result[name + "_errors"] = sum(failed)

# The objects that the get phases read are written first, so that a short put phase leaves none missing.
for i in range(16):
    for n in range(20): clients[0].put_object(Bucket=bucket, Key=f"get/{i}/{n}", Body=body)
for threads in (1, 16):
    rate(f"put_4k_x{threads}", threads, lambda c, i, n: c.put_object(Bucket=bucket, Key=f"small/{i}/{n % 200}", Body=body))
    rate(f"get_4k_x{threads}", threads, lambda c, i, n: c.get_object(Bucket=bucket, Key=f"get/{i}/{n % 20}")["Body"].read())

c = clients[0]
def put_many(i):
    cc = clients[i]
    for n in range(i, 10000, 16): cc.put_object(Bucket=bucket, Key=f"list/{n:05d}", Body=b"x")
ts = [threading.Thread(target=put_many, args=(i,)) for i in range(16)]
for t in ts: t.start()
for t in ts: t.join()
start = time.monotonic()
keys = 0
for page in c.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="list/"):
    keys += len(page.get("Contents", []))
result["list_10k_seconds"] = round(time.monotonic() - start, 2)
result["list_10k_keys"] = keys

def hwm():
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"): return int(line.split()[1]) // 1024
    except OSError:
        return None
# The server's private memory (anonymous and shared-anonymous pages: heaps, the JIT's code), sampled,
# beside VmRSS, which also counts the pages of mapped framework files that every .NET process shares.
def private_mib():
    try:
        fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
        return (int(fields["RssAnon"].split()[0]) + int(fields["RssShmem"].split()[0])) // 1024
    except (OSError, KeyError, ValueError):
        return None
result["rss_before_multipart_mib"] = hwm()
result["private_before_multipart_mib"] = private_mib()
peak_private = [result["private_before_multipart_mib"] or 0]
sampling = threading.Event()
def sample():
    while not sampling.wait(0.05):
        peak_private[0] = max(peak_private[0], private_mib() or 0)
sampler = threading.Thread(target=sample)
sampler.start()
start = time.monotonic()
c.upload_file(big, bucket, "big/object", Config=TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=16 << 20, max_concurrency=4))
result["multipart_seconds"] = round(time.monotonic() - start, 1)
sampling.set()
sampler.join()
result["peak_private_mib"] = peak_private[0]
result["multipart_mib_s"] = round(os.path.getsize(big) / 2**20 / result["multipart_seconds"], 1)
result["peak_rss_mib"] = hwm()
if errors: result["first_errors"] = errors
print(json.dumps(result))
