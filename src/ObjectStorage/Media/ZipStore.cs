using System.Buffers;
using System.IO.Compression;
using System.Text;
using ObjectStorage.Zip;

namespace ObjectStorage;

/// <summary>
/// Objects as the entries of one zip file: the entry name is the key's path under
/// <see cref="KeyPathMapping"/> ('/'-separated, UTF-8), so <c>unzip</c> makes the tree a
/// <see cref="FilesystemStore"/> would, and no archive this store writes holds a name that leaves
/// the directory it is unpacked in (<c>..</c>, an empty or absolute path).
/// Opening reads the central directory once into a dictionary, so a get is a look-up, not a
/// scan. Writes of a session wait in a spool file on disk (not in memory) and are visible at
/// once to reads and listings of this store; <see cref="Flush"/> and <see cref="ObjectStore.Dispose()"/>
/// build a new archive beside the old one (unchanged entries streamed from it, new ones from the
/// spool, deleted ones left out) and rename it into place, so the file on disk is always a
/// complete zip: the old one or the new one. Thread-safe.
/// </summary>
/// <remarks>
/// Any entry name of a foreign archive reads as a key (<c>../x</c> is the key "../x"; the store
/// never makes a path of it). An archive that names an entry twice, or has a name that is no key
/// (empty, U+0000, over 1024 bytes), is refused at open with an <see cref="ObjectStoreException"/>.
/// Directory entries (names ending in '/') are not objects; a rebuilt archive keeps them.
/// </remarks>
public sealed class ZipStore : ObjectStore
{
    // Stream puts up to this size share one spool file; larger ones get a file of their own.
    private const int SharedSpoolLimit = 1 << 20;

    private readonly object _gate = new();
    private readonly ZipStoreOptions _options;
    private readonly ExpansionLimit _limit;
    private readonly string _path;
    private readonly string _directory;
    private readonly string _fileName;
    private Dictionary<string, Item> _items = new(StringComparer.Ordinal);
    private List<string> _directories = [];
    private string[]? _sorted;
    private ZipSource? _source;
    private ZipSpoolFile? _spool;
    private bool _dirty;
    private long _version;

    /// <summary>
    /// Opens (<see cref="ZipStoreMode.Read"/>, <see cref="ZipStoreMode.Update"/>) or creates
    /// (<see cref="ZipStoreMode.Create"/>, which replaces any file at the path with an empty archive
    /// at the first <see cref="Flush"/> or at dispose, not before) the archive at <paramref name="path"/>. Throws <see cref="ObjectStoreException"/> when the file
    /// is missing (read mode), is not a readable zip, or has an unsafe or duplicate entry name.
    /// </summary>
    public ZipStore(string path, ZipStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _options = options ?? new ZipStoreOptions();
        _limit = ExpansionLimit.Checked(_options.MaxExpandedBytes, _options.MaxExpansionRatio);
        _path = System.IO.Path.GetFullPath(path);
        _directory = System.IO.Path.GetDirectoryName(_path)!;
        _fileName = System.IO.Path.GetFileName(_path);
        try
        {
            if (_options.Mode == ZipStoreMode.Read || (_options.Mode == ZipStoreMode.Update && File.Exists(_path)))
            {
                Adopt(ZipSource.Open(_path));
            }
            else
            {
                // Written at the first flush or at dispose, not now: an interrupted session leaves
                // the previous file (or none), never an empty archive in its place.
                _dirty = true;
            }
        }
        catch (Exception e) when (IsMediumFailure(e))
        {
            throw Failure(null, $"cannot open the archive: {e.Message}", e);
        }
    }

    /// <summary>The archive's full path.</summary>
    public string Path => _path;

    /// <summary>The mode the archive was opened in.</summary>
    public ZipStoreMode Mode => _options.Mode;

    /// <summary>Number of objects, counting the writes and deletes of this session.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _items.Count;
        }
    }

    /// <inheritdoc/>
    public override bool CanWrite => _options.Mode != ZipStoreMode.Read;

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => CanWrite;

    /// <summary>The archive file, links resolved.</summary>
    public override IReadOnlyList<StoreLocation> Locations => [StoreLocation.OfLocalPath(_path, "zip")];

    /// <inheritdoc/>
    public override string ToString() => $"ZipStore({_path}, {_options.Mode.ToString().ToLowerInvariant()})";

    /// <summary>
    /// Writes the archive with every write and delete of the session, atomically (a new file renamed
    /// over the old one), when anything changed. The store stays open. Throws <see cref="ObjectStoreException"/>
    /// when the archive cannot be written; the file on disk is then unchanged.
    /// </summary>
    public void Flush() => FlushUnlessCancelled(CancellationToken.None);

    // A cancelled flush deletes its half-built file and leaves the archive and the session as they were.
    private void FlushUnlessCancelled(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                RebuildLocked(cancellationToken);
            }
            catch (Exception e) when (IsMediumFailure(e))
            {
                throw Failure(null, $"cannot write the archive: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Writes the archive as <see cref="Flush"/> does; cancelling stops the write between blocks,
    /// removes the partly written file and throws <see cref="OperationCanceledException"/>, leaving
    /// the archive on disk and the session's changes as they were.
    /// </summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        FlushUnlessCancelled(cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Closes the store without writing the archive: the writes and deletes of the session are
    /// dropped with their spool files, and the file on disk keeps what it had (or stays absent).
    /// For a session that must not take effect, such as an interrupted sync.
    /// </summary>
    public void Discard()
    {
        lock (_gate)
        {
            if (IsDisposed) return;
            foreach (var item in _items.Values) item.Segment?.File.Release();
            _items.Clear();
            _sorted = null;
            _dirty = false;
        }
        Dispose();
    }

    // ---- Operations --------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        try
        {
            ZipSegment segment;
            lock (_gate)
            {
                ThrowIfDisposed();
                if (!_items.TryGetValue(key, out var item)) return null;
                if (item.Entry is { } entry)
                {
                    CheckExpansion(key, entry);
                    CheckFitsInArray(key, item.Size);
                    return ReadEntry(entry, _options.VerifyChecksums);
                }
                CheckFitsInArray(key, item.Size);
                segment = item.Segment!;
                segment.File.Acquire();
            }
            try
            {
                return segment.ReadAll();
            }
            finally
            {
                segment.File.Release();
            }
        }
        catch (Exception e) when (IsMediumFailure(e))
        {
            throw Failure(key, $"cannot read the object: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    protected override Stream? OpenReadCore(string key)
    {
        try
        {
            lock (_gate)
            {
                ThrowIfDisposed();
                if (!_items.TryGetValue(key, out var item)) return null;
                if (item.Entry is not null) CheckExpansion(key, item.Entry);
                RefCounted holder = item.Entry is null ? item.Segment!.File : _source!;
                holder.Acquire();
                try
                {
                    return item.Entry is { } entry
                        ? new ZipReadStream(OpenEntry(entry), item.Size, _gate, holder, e => Failure(key, $"cannot read the object: {e.Message}", e))
                        : new ZipReadStream(item.Segment!.OpenStream(), item.Size, null, holder, e => Failure(key, $"cannot read the object: {e.Message}", e));
                }
                catch
                {
                    holder.Release();
                    throw;
                }
            }
        }
        catch (Exception e) when (IsMediumFailure(e))
        {
            throw Failure(key, $"cannot read the object: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) => Commit(key, Spool(key, data.Span), onlyIfAbsent: false);

    /// <inheritdoc/>
    protected override bool PutIfNotExistsCore(string key, ReadOnlyMemory<byte> data, PutOptions options) =>
        !ExistsCore(key) && Commit(key, Spool(key, data.Span), onlyIfAbsent: true);

    private ZipSegment Spool(string key, ReadOnlySpan<byte> data)
    {
        var spool = AcquireSpool(key);
        try
        {
            return spool.Append(data);
        }
        catch (Exception e)
        {
            spool.Release();
            if (IsMediumFailure(e)) throw Failure(key, $"cannot spool the object: {e.Message}", e);
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SharedSpoolLimit);
        try
        {
            int head = data.ReadAtLeast(buffer.AsSpan(0, SharedSpoolLimit), SharedSpoolLimit, throwOnEndOfStream: false);
            if (head < SharedSpoolLimit)
            {
                PutCore(key, buffer.AsMemory(0, head), options);
                return;
            }
            ZipSpoolFile own;
            try
            {
                own = ZipSpoolFile.Create(SpoolDirectory, _fileName);
            }
            catch (Exception e) when (IsMediumFailure(e))
            {
                throw Failure(key, $"cannot spool the object: {e.Message}", e);
            }
            ZipSegment segment;
            try
            {
                segment = own.AppendStream(buffer.AsSpan(0, head), data, buffer);
            }
            catch (Exception e)
            {
                own.Release();
                if (IsMediumFailure(e)) throw Failure(key, $"cannot spool the object: {e.Message}", e);
                throw;
            }
            Commit(key, segment, onlyIfAbsent: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    protected override bool ExistsCore(string key)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _items.ContainsKey(key);
        }
    }

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _items.TryGetValue(key, out var item) ? item.Info(key) : null;
        }
    }

    /// <inheritdoc/>
    protected override void DeleteCore(string key)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!_items.Remove(key, out var old)) return;
            old.Segment?.File.Release();
            _sorted = null;
            _dirty = true;
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix)
    {
        string[] sorted;
        lock (_gate)
        {
            ThrowIfDisposed();
            sorted = SortedKeysLocked();
        }
        for (int i = FirstAtOrAfter(sorted, prefix); i < sorted.Length && sorted[i].StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            ObjectInfo? info;
            lock (_gate)
            {
                ThrowIfDisposed();
                info = _items.TryGetValue(sorted[i], out var item) ? item.Info(sorted[i]) : null;
            }
            if (info is not null) yield return info;
        }
    }

    // ---- Disposal ----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        lock (_gate)
        {
            try
            {
                if (CanWrite) RebuildLocked();
            }
            catch (Exception e) when (IsMediumFailure(e))
            {
                throw Failure(null, $"cannot write the archive on dispose; the file keeps its previous contents: {e.Message}", e);
            }
            finally
            {
                foreach (var item in _items.Values) item.Segment?.File.Release();
                _items.Clear();
                _spool?.Release();
                _spool = null;
                _source?.Release();
                _source = null;
            }
        }
    }

    // ---- Private helpers ---------------------------------------------------------------------

    private string SpoolDirectory => _options.SpoolDirectory ?? _directory;

    // The one place that decides which exceptions are failures of the medium (the file, the zip format).
    private static bool IsMediumFailure(Exception e) =>
        e is (IOException and not ObjectStoreException) or InvalidDataException or UnauthorizedAccessException;

    private void CheckFitsInArray(string key, long size)
    {
        if (size > Array.MaxLength)
            throw Failure(key, $"the object is {size} bytes, too large for one array; read it with OpenRead");
    }

    // Judged by the sizes the central directory declares, so a bomb is refused before a byte is inflated; an entry
    // that inflates past its declared length fails a get (read into an array of that length) and a checked read.
    private void CheckExpansion(string key, ZipArchiveEntry entry)
    {
        if (_limit.Exceeded(entry.Length, entry.CompressedLength) is { } why) throw Failure(key, why);
    }

    // Reads to the end, so that a length that differs from the header shows, and checks the CRC.
    private static byte[] ReadEntry(ZipArchiveEntry entry, bool verify)
    {
        var data = GC.AllocateUninitializedArray<byte>((int)entry.Length);
        using var stream = entry.Open();
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        Span<byte> probe = stackalloc byte[1];
        if (read < data.Length || stream.Read(probe) != 0) throw ZipCheckedReadStream.WrongLength(entry.FullName, entry.Length);
        if (!verify) return data;
        uint crc = ZipCrc32.Append(0, data);
        if (crc != entry.Crc32) throw ZipCheckedReadStream.WrongCrc(entry.FullName, crc, entry.Crc32);
        return data;
    }

    private Stream OpenEntry(ZipArchiveEntry entry) =>
        _options.VerifyChecksums ? new ZipCheckedReadStream(entry.Open(), entry.FullName, entry.Crc32, entry.Length) : entry.Open();

    private ZipSpoolFile AcquireSpool(string key)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                _spool ??= ZipSpoolFile.Create(SpoolDirectory, _fileName);
            }
            catch (Exception e) when (IsMediumFailure(e))
            {
                throw Failure(key, $"cannot create a spool file in {SpoolDirectory}: {e.Message}", e);
            }
            _spool.Acquire();
            return _spool;
        }
    }

    // Publishes a spooled object; the reference the writer held on its spool file passes to the
    // index (or is dropped when the object is not published).
    private bool Commit(string key, ZipSegment segment, bool onlyIfAbsent)
    {
        lock (_gate)
        {
            if (IsDisposed || (onlyIfAbsent && _items.ContainsKey(key)))
            {
                segment.File.Release();
                ThrowIfDisposed();
                return false;
            }
            var item = new Item(segment.Length, DateTimeOffset.UtcNow, $"w{++_version}-{segment.Length:x}") { Segment = segment };
            if (_items.Remove(key, out var old)) old.Segment?.File.Release();
            else _sorted = null;
            _items.Add(key, item);
            _dirty = true;
            return true;
        }
    }

    private string[] SortedKeysLocked()
    {
        if (_sorted is null)
        {
            var keys = _items.Keys.ToArray();
            Array.Sort(keys, KeyComparer.Utf8);
            _sorted = keys;
        }
        return _sorted;
    }

    private static int FirstAtOrAfter(string[] sorted, string prefix)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (KeyComparer.Utf8.Compare(sorted[mid], prefix) < 0) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    // Writes the whole archive to a temp file beside it, renames that into place and reopens it.
    private void RebuildLocked(CancellationToken cancellationToken = default)
    {
        if (!_dirty) return;
        var temp = System.IO.Path.Combine(_directory, $".{_fileName}.{Guid.NewGuid():N}.zipstore-tmp");
        using var removedAtExit = ZipTemporaryFiles.Track(temp);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16))
            {
                using (var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
                {
                    foreach (var directory in _directories) archive.CreateEntry(directory);
                    foreach (var key in SortedKeysLocked())
                    {
                        var item = _items[key];
                        var entry = archive.CreateEntry(KeyPathMapping.ToRelativePath(key), _options.CompressionLevel);
                        entry.LastWriteTime = DosRange(item.Modified);
                        using var target = entry.Open();
                        using var source = item.Entry is { } old ? OpenEntry(old) : item.Segment!.OpenStream();
                        CopyUnlessCancelled(source, target, cancellationToken);
                    }
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, _path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw;
        }
        Adopt(ZipSource.Open(_path));
    }

    // Makes the index point at the entries of a freshly opened archive; what the session knew
    // about an object (its time and tag) carries over, so a flush changes no ETag.
    private void Adopt(ZipSource source)
    {
        var items = new Dictionary<string, Item>(source.Objects.Count, StringComparer.Ordinal);
        foreach (var (key, entry) in source.Objects)
        {
            items.Add(key, _items.TryGetValue(key, out var known)
                ? known with { Entry = entry, Segment = null }
                : new Item(entry.Length, entry.LastWriteTime, $"{entry.Crc32:x8}-{entry.Length:x}") { Entry = entry });
        }
        foreach (var old in _items.Values) old.Segment?.File.Release();
        _source?.Release();
        _spool?.Release();
        _spool = null;
        _source = source;
        _items = items;
        _directories = source.Directories;
        _sorted = null;
        _dirty = false;
    }

    private static void CopyUnlessCancelled(Stream source, Stream target, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            source.CopyTo(target);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                target.Write(buffer, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DateTimeOffset DosRange(DateTimeOffset time)
    {
        var local = time.ToLocalTime();
        if (local.Year < 1980) return new DateTimeOffset(1980, 1, 1, 0, 0, 0, local.Offset);
        if (local.Year > 2107) return new DateTimeOffset(2107, 12, 31, 0, 0, 0, local.Offset);
        return local;
    }

    /// <summary>One object: in the opened archive (<see cref="Entry"/>) or in a spool file (<see cref="Segment"/>).</summary>
    private sealed record Item(long Size, DateTimeOffset Modified, string ETag)
    {
        public ZipArchiveEntry? Entry { get; init; }
        public ZipSegment? Segment { get; init; }

        public ObjectInfo Info(string key) => new(key, Size, Modified, ETag);
    }
}
