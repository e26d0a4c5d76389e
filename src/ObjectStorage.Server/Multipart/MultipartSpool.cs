using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Multipart;

/// <summary>
/// Multipart uploads in progress, spooled to a directory: one folder per upload holding its
/// description and one file per part, so that no part is ever held whole in memory and an upload
/// survives a restart of a server that names its directory. A part is written to a temporary file
/// and renamed into place only once its body checked out, so a failed part upload leaves the
/// previous part of that number in place.
/// </summary>
internal sealed class MultipartSpool
{
    private const string UploadFile = "upload.json";
    private const string TempSuffix = ".tmp";
    private const string ChecksumSuffix = ".checksum";
    private const string PrivatePrefix = "objstore-serve-multipart-";
    private const int CopyBufferBytes = 128 << 10;

    private readonly Lock _gate = new();

    // Uploads completed since the server started, by id: a repeated Complete is answered again, as S3 does.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Bucket, string Key)> _completed = new();

    /// <summary>
    /// Spools into <paramref name="directory"/>, or a private folder under the system temp
    /// directory when null. Stale leftovers are removed first: temporary part files, uploads older
    /// than <paramref name="abandonAfter"/>, and the private folders of servers that are no longer running.
    /// </summary>
    public MultipartSpool(string? directory, TimeSpan abandonAfter, TimeProvider clock)
    {
        IsPrivate = directory is null;
        if (directory is null)
        {
            RemoveFoldersOfEndedServers();
            directory = Path.Combine(Path.GetTempPath(), PrivatePrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        }
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        RemoveStale(clock.GetUtcNow() - abandonAfter);
    }

    /// <summary>The folder that holds the uploads.</summary>
    public string Directory { get; }

    /// <summary>Whether the folder is this server's own, to be removed when it stops.</summary>
    public bool IsPrivate { get; }

    public Upload Create(string bucket, string key, string? initiator, string? contentType, IReadOnlyDictionary<string, string> metadata, DateTimeOffset now, string? checksumAlgorithm)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var upload = new Upload(id, bucket, key, initiator, now, contentType, new Dictionary<string, string>(metadata), checksumAlgorithm);
        var folder = FolderOf(id);
        System.IO.Directory.CreateDirectory(folder);
        // Written under a temporary name and renamed, so a listing never reads half a description.
        var temp = Path.Combine(folder, UploadFile + TempSuffix);
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(upload, SpoolJson.Default.Upload));
        File.Move(temp, Path.Combine(folder, UploadFile));
        return upload;
    }

    /// <summary>The upload <paramref name="uploadId"/> of <paramref name="key"/> in <paramref name="bucket"/>, or NoSuchUpload.</summary>
    public Upload Get(string bucket, string key, string uploadId)
    {
        if (IsUploadId(uploadId) && Read(FolderOf(uploadId)) is { } upload && upload.Bucket == bucket && upload.Key == key) return upload;
        throw NoSuchUpload(uploadId, key);
    }

    /// <summary>Every upload in progress in <paramref name="bucket"/>, in S3's order: by key, then by time of initiation.</summary>
    public List<Upload> List(string bucket)
    {
        var uploads = new List<Upload>();
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory))
            if (Read(folder) is { } upload && upload.Bucket == bucket) uploads.Add(upload);
        uploads.Sort((a, b) =>
        {
            var byKey = KeyComparer.Utf8.Compare(a.Key, b.Key);
            return byKey != 0 ? byKey : a.Initiated != b.Initiated ? a.Initiated.CompareTo(b.Initiated) : string.CompareOrdinal(a.Id, b.Id);
        });
        return uploads;
    }

    /// <summary>Every upload of a bucket, for removing a bucket's leftovers.</summary>
    public void RemoveAll(string bucket)
    {
        foreach (var upload in List(bucket)) Remove(upload);
    }

    /// <summary>
    /// Writes part <paramref name="number"/> of <paramref name="upload"/> from <paramref name="body"/>,
    /// replacing an earlier part of that number only when the whole body was read without error.
    /// </summary>
    /// <remarks>
    /// <paramref name="checksum"/> is asked for once the body has ended (a trailer comes last); the checksum it
    /// gives (algorithm, value) is kept beside the part for the upload's composite checksum.
    /// </remarks>
    public async Task<Part> WritePartAsync(Upload upload, int number, Stream body, CancellationToken cancellationToken, Func<(string Algorithm, byte[] Value)?>? checksum = null)
    {
        var folder = FolderOf(upload.Id);
        var temp = Path.Combine(folder, PartName(number) + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + TempSuffix);
        string hex;
        try
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[CopyBufferBytes];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            hex = Convert.ToHexStringLower(md5.GetHashAndReset());
            var sum = checksum?.Invoke();
            lock (_gate)
            {
                if (!File.Exists(Path.Combine(folder, UploadFile))) throw NoSuchUpload(upload.Id, upload.Key);
                foreach (var earlier in System.IO.Directory.EnumerateFiles(folder, PartName(number) + ".*"))
                    if (!earlier.EndsWith(TempSuffix, StringComparison.Ordinal)) File.Delete(earlier);
                // Named after the part's MD5, the checksum file can only ever describe these bytes.
                if (sum is { } given) File.WriteAllText(Path.Combine(folder, PartName(number) + "." + hex + ChecksumSuffix), given.Algorithm + ":" + Convert.ToBase64String(given.Value));
                File.Move(temp, Path.Combine(folder, PartName(number) + "." + hex));
            }
        }
        catch (DirectoryNotFoundException)
        {
            throw NoSuchUpload(upload.Id, upload.Key);
        }
        finally
        {
            File.Delete(temp);
        }
        return PartOf(new FileInfo(Path.Combine(folder, PartName(number) + "." + hex)))!;
    }

    /// <summary>The parts uploaded so far, by number.</summary>
    public List<Part> Parts(Upload upload)
    {
        var parts = new List<Part>();
        try
        {
            foreach (var file in new DirectoryInfo(FolderOf(upload.Id)).EnumerateFiles())
                if (PartOf(file) is { } part) parts.Add(part);
        }
        catch (DirectoryNotFoundException)
        {
            throw NoSuchUpload(upload.Id, upload.Key);
        }
        parts.Sort((a, b) => a.Number.CompareTo(b.Number));
        return parts;
    }

    /// <summary>The bytes of <paramref name="parts"/> one after the other, each file opened only when the one before it ends.</summary>
    public Stream OpenConcatenated(IReadOnlyList<Part> parts) => new PartsStream(parts);

    /// <summary>Removes a completed upload, remembering that it completed.</summary>
    public void RemoveCompleted(Upload upload)
    {
        _completed[upload.Id] = (upload.Bucket, upload.Key);
        Remove(upload);
    }

    /// <summary>Whether <paramref name="uploadId"/> completed here into <paramref name="key"/> of <paramref name="bucket"/>.</summary>
    public bool WasCompleted(string bucket, string key, string uploadId) =>
        _completed.TryGetValue(uploadId, out var target) && target == (bucket, key);

    /// <summary>Removes the upload and its parts (after Complete or Abort).</summary>
    public void Remove(Upload upload)
    {
        lock (_gate)
        {
            var folder = FolderOf(upload.Id);
            // The description goes first, so that a part arriving meanwhile finds no upload.
            File.Delete(Path.Combine(folder, UploadFile));
            DeleteFolder(folder);
        }
    }

    /// <summary>Removes the spool folder when it is this server's own.</summary>
    public void RemoveIfPrivate()
    {
        if (IsPrivate) DeleteFolder(Directory);
    }

    public static S3Error NoSuchUpload(string uploadId, string? key) =>
        new(404, "NoSuchUpload", $"The multipart upload '{uploadId}' does not exist: it was never created here, or was completed or aborted.", key);

    private static bool IsUploadId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private string FolderOf(string uploadId) => Path.Combine(Directory, uploadId);

    private static string PartName(int number) => number.ToString("D5", CultureInfo.InvariantCulture);

    // A part file is NNNNN.<md5 hex>: its name says its number and tag, its length its size.
    private static Part? PartOf(FileInfo file)
    {
        var name = file.Name;
        if (name.Length != 5 + 1 + 32 || name[5] != '.' || !int.TryParse(name.AsSpan(0, 5), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return null;
        string? algorithm = null, checksum = null;
        try
        {
            var text = File.ReadAllText(file.FullName + ChecksumSuffix);
            var colon = text.IndexOf(':');
            if (colon > 0) (algorithm, checksum) = (text[..colon], text[(colon + 1)..]);
        }
        catch (FileNotFoundException)
        {
        }
        return new Part(number, name[6..], file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), file.FullName, algorithm, checksum);
    }

    private static Upload? Read(string folder)
    {
        try
        {
            // The folder's name is the upload's id, whatever the description says.
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(folder, UploadFile)), SpoolJson.Default.Upload) is { } upload
                ? upload with { Id = Path.GetFileName(folder) }
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private void RemoveStale(DateTimeOffset initiatedBefore)
    {
        foreach (var body in System.IO.Directory.EnumerateFiles(Directory, SpooledBody.FilePrefix + "*" + TempSuffix)) File.Delete(body);
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory))
        {
            if (!IsUploadId(Path.GetFileName(folder))) continue;
            if (Read(folder) is not { } upload || upload.Initiated < initiatedBefore)
            {
                DeleteFolder(folder);
                continue;
            }
            foreach (var temp in System.IO.Directory.EnumerateFiles(folder, "*" + TempSuffix)) File.Delete(temp);
        }
    }

    // Private folders are named after the server's process id; a folder whose process is gone was left by a crash.
    private static void RemoveFoldersOfEndedServers()
    {
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Path.GetTempPath(), PrivatePrefix + "*"))
        {
            var rest = Path.GetFileName(folder)[PrivatePrefix.Length..];
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid)) continue;
            DeleteFolder(folder);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>What CreateMultipartUpload was told: where the object goes, by whom, with which metadata.</summary>
    internal sealed record Upload(string Id, string Bucket, string Key, string? Initiator, DateTimeOffset Initiated, string? ContentType, Dictionary<string, string> Metadata, string? ChecksumAlgorithm = null);

    /// <summary>One uploaded part: its number, the MD5 of its bytes (its ETag, as S3 gives it), size, file, and the checksum its upload declared.</summary>
    internal sealed record Part(int Number, string Md5Hex, long Size, DateTimeOffset LastModified, string Path, string? ChecksumAlgorithm = null, string? Checksum = null)
    {
        public string ETag => "\"" + Md5Hex + "\"";
    }

    private sealed class PartsStream(IReadOnlyList<Part> parts) : Stream
    {
        private int _next;
        private FileStream? _current;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => parts.Sum(p => p.Size);
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (Advance())
            {
                var read = _current!.Read(buffer);
                if (read > 0) return Count(read);
                Close(_current);
            }
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (Advance())
            {
                var read = await _current!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read > 0) return Count(read);
                Close(_current);
            }
            return 0;
        }

        private bool Advance()
        {
            if (_current is not null) return true;
            if (_next == parts.Count) return false;
            var part = parts[_next++];
            try
            {
                _current = new FileStream(part.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
            }
            catch (FileNotFoundException)
            {
                throw new S3Error(404, "NoSuchUpload", $"Part {part.Number} disappeared while the upload was being completed (aborted meanwhile?); nothing was stored.");
            }
            // A part replaced while the upload completes would mix versions; its length gives it away.
            if (_current.Length != part.Size)
                throw new S3Error(409, "InvalidPart", $"Part {part.Number} changed while the upload was being completed; nothing was stored.");
            return true;
        }

        private int Count(int read)
        {
            _position += read;
            return read;
        }

        private void Close(FileStream stream)
        {
            stream.Dispose();
            _current = null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _current?.Dispose();
            _current = null;
            base.Dispose(disposing);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>The upload description's JSON, generated at compile time so that the server runs trimmed and ahead-of-time compiled; the names are the record's, as before.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(MultipartSpool.Upload))]
internal sealed partial class SpoolJson : System.Text.Json.Serialization.JsonSerializerContext;
