#!/usr/bin/env bash
# Installs s3rver 3.7.1 from npm into DIR (default: .s3rver/ at the repository root) and patches it
# to behave like S3 where the tests depend on it; prints the package folder. Both .ci/run and the
# test fixture (tests/ObjectStorage.Tests/Support/S3rverProcess.cs) install through this script, so
# they run the same server. Needs node and npm, no root. Run s3rver with
# NODE_OPTIONS=--openssl-legacy-provider: ListObjectsV2 continuation tokens need node's legacy
# OpenSSL provider.
set -euo pipefail
dir=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.s3rver"}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
s3rver_pkg="$dir/node_modules/s3rver"
# One installer at a time per folder: the fixture and .ci/run may both reach here.
exec 9>"$dir/.install.lock"
command -v flock >/dev/null && flock 9
# The patches (each is idempotent):
#  - CopyObject decodes its source with decodeURIComponent, not decodeURI;
#  - shorter bookkeeping-file suffixes ("name.~object" for "name._S3rver_object"), so a key segment
#    of 240 bytes still fits the file system's 255-byte names;
#  - listings in key (UTF-8 byte) order: s3rver walks directories in file-name order, which puts
#    "b/a" before "b" and breaks the order S3 guarantees and continuation tokens rely on.
#  - (not a patch) NODE_OPTIONS=--openssl-legacy-provider, as said above.
if [ ! -f "$s3rver_pkg/package.json" ] || ! grep -q '"version": "3.7.1"' "$s3rver_pkg/package.json"; then
  (cd "$dir" && npm install --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null)
fi
sed -i 's/decodeURI(ctx.headers/decodeURIComponent(ctx.headers/' "$s3rver_pkg/lib/controllers/object.js"
sed -i "s/const S3RVER_SUFFIX = '%s._S3rver_%s';/const S3RVER_SUFFIX = '%s.~%s';/" "$s3rver_pkg/lib/stores/filesystem.js"
sed -i "s|for (const filename of fs.readdirSync(dir)) {|for (const filename of fs.readdirSync(dir, { withFileTypes: true }).map(d => [d.name, Buffer.from(d.isDirectory() ? d.name + '/' : d.name.endsWith('.~object') ? d.name.slice(0, -8) : d.name)]).sort((a, b) => Buffer.compare(a[1], b[1])).map(p => p[0])) {|" "$s3rver_pkg/lib/utils.js"
# Atomic overwrite, as S3's: s3rver rewrites an object's file in place, so a concurrent GET can
# see part of it. Write to a temp file and rename it in, with a per-key lock so that a GET reads
# its metadata and opens the file while no rename happens.
node - "$s3rver_pkg/lib/stores/filesystem.js" <<'JS'
const fs = require('fs');
const file = process.argv[2];
let src = fs.readFileSync(file, 'utf8');
if (!src.includes('withKeyLock')) {
  const lock = `
const keyLocks = new Map();
async function withKeyLock(id, fn) {
  const previous = keyLocks.get(id) || Promise.resolve();
  let release;
  const mine = previous.then(() => new Promise(resolve => (release = resolve)));
  keyLocks.set(id, mine);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (keyLocks.get(id) === mine) keyLocks.delete(id);
  }
}
`;
  src = src.replace("const S3RVER_SUFFIX", lock + "\nconst S3RVER_SUFFIX");
  src = src.replace("  async getObject(bucket, key, options) {",
    "  async getObject(bucket, key, options) {\n    return withKeyLock(bucket + '/' + key, () => this.getObjectUnlocked(bucket, key, options));\n  }\n\n  async getObjectUnlocked(bucket, key, options) {");
  const start = src.indexOf("  async putObject(object) {");
  const end = src.indexOf("  async copyObject(");
  const put = `  async putObject(object) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await fs.mkdirp(path.dirname(objectPath));
    const tmpPath = path.join(path.dirname(objectPath), '.~tmp-' + crypto.randomBytes(8).toString('hex'));
    const md5Context = crypto.createHash('md5');
    let size = 0;
    try {
      await new Promise((resolve, reject) => {
        const writeStream = fs.createWriteStream(tmpPath);
        writeStream.on('error', reject).on('finish', resolve);
        if (Buffer.isBuffer(object.content)) {
          md5Context.update(object.content);
          size = object.content.length;
          writeStream.end(object.content);
        } else {
          object.content
            .on('error', reject)
            .pipe(new Transform({
              transform(chunk, encoding, callback) {
                md5Context.update(chunk, encoding);
                size += chunk.length;
                callback(null, chunk);
              },
            }))
            .on('error', reject)
            .pipe(writeStream);
        }
      });
    } catch (err) {
      await fs.remove(tmpPath);
      throw err;
    }
    const md5 = md5Context.digest('hex');
    await withKeyLock(object.bucket + '/' + object.key, async () => {
      await this.putMetadata(object.bucket, object.key, object.metadata, md5);
      await fs.rename(tmpPath, objectPath);
    });
    return { size, md5 };
  }

`;
  if (start < 0 || end < start) throw new Error('s3rver putObject not found; cannot patch');
  src = src.slice(0, start) + put + src.slice(end);
  fs.writeFileSync(file, src);
}
JS
echo "$s3rver_pkg"
