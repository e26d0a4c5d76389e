using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;

namespace ObjectStorage;

/// <summary>
/// Objects as files named by the SHA-256 of their key: the object for a key lives at the
/// lowercase hex digest of the key's UTF-8 bytes, split into <c>depth</c> directories of
/// <c>width</c> characters and a file named by the rest (<c>ab/cd/ef/&lt;58 hex&gt;</c> for the
/// defaults), byte-compatible with stores written by the Python original. Puts are atomic.
/// </summary>
/// <remarks>
/// The Python layout does not record keys, so this store writes each key beside its object, in a
/// key record <c>&lt;object file name&gt;.key</c> holding the key's UTF-8 bytes. Over a tree
/// without those records (one written by the Python original) Get, Exists, Stat, Put and Delete
/// work by key, but listing throws <see cref="NotSupportedException"/> when it meets an object
/// that has no record. The hash order is not key order, so a listing reads every record and
/// sorts the matching keys in memory before it yields the first. See docs/stores/hashdir.md.
/// </remarks>
public class HashdirStore : DirectoryTreeStore
{
    /// <summary>The ending of a key record's file name, after the object file's name.</summary>
    public const string KeyRecordSuffix = ".key";

    private const int HexDigits = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int _fileNameLength;

    /// <summary>
    /// A store over <paramref name="root"/>, created if missing, with <paramref name="depth"/> levels
    /// of directories named by <paramref name="width"/> hex digits each. Throws <see cref="ObjectStoreException"/>
    /// when the root is a file or cannot be created or read.
    /// </summary>
    public HashdirStore(string root, int width = 2, int depth = 3, FilesystemStoreOptions? options = null)
        : base(root, options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        if (width * depth >= HexDigits)
            throw new ArgumentOutOfRangeException(nameof(depth), $"width × depth must leave at least one of the {HexDigits} hex digits for the file name.");
        Width = width;
        Depth = depth;
        _fileNameLength = HexDigits - width * depth;
        OpenRoot();
    }

    /// <summary>Hex digits per directory level.</summary>
    public int Width { get; }

    /// <summary>Number of directory levels.</summary>
    public int Depth { get; }

    /// <inheritdoc/>
    public override string ToString() => $"HashdirStore({Root})";

    /// <summary>The root directory, links resolved, with a layout that names the width and depth (keys are hashed, so a key prefix narrows no directory).</summary>
    public override IReadOnlyList<StoreLocation> Locations => [StoreLocation.OfLocalPath(Root, $"hashdir {Width}x{Depth}")];

    /// <summary>The path of the file that holds <paramref name="key"/>'s object (whether or not it exists).</summary>
    public string PathOf(string key)
    {
        ObjectKey.Validate(key);
        return ObjectFile(key);
    }

    // ---- Writes ------------------------------------------------------------------------------

    // Every write keeps one rule: an object file never exists without its key record. The record
    // goes first; a crash between the two leaves a record without an object, which listings skip.

    private protected override void BeforeReplace(string key, string path) => EnsureRecord(path, key);

    // A delete that ran between the first record check and the object's rename removed the record.
    private protected override void AfterReplace(string key, string path) => EnsureRecord(path, key);

    // ---- Delete ------------------------------------------------------------------------------

    /// <summary>Deletes the object, then its key record. Directories stay: the fan-out is fixed.</summary>
    protected override void DeleteCore(string key)
    {
        var path = ObjectFile(key);
        try
        {
            File.Delete(path);
            File.Delete(path + KeyRecordSuffix);
            // A put of the same key (maybe in another process) may have landed its object between
            // the two deletes, after checking its record: give that object its record back.
            if (File.Exists(path)) EnsureRecord(path, key);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            if (!IsAbsent(error, path)) throw Translate(key, error);
        }
    }

    // ---- Listing -----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix)
    {
        // The first MoveNext reads the whole tree: hash order says nothing about key order.
        var found = Collect(prefix, static (key, path) =>
        {
            var file = new FileInfo(path);
            return file.Exists ? AtomicFile.Info(key, file.Length, file.LastWriteTimeUtc) : null;
        });
        found.Sort(static (x, y) => KeyComparer.Compare(x.Key, y.Key));
        foreach (var info in found) yield return info;
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix)
    {
        // Names only: no stat of each object. A key is still listed only when its object file
        // was in its directory when the directory was read.
        var keys = Collect(prefix, static (key, _) => key);
        keys.Sort(KeyComparer.Utf8);
        foreach (var key in keys) yield return key;
    }

    // make(key, object path) for every recorded object under the root whose key starts with the
    // prefix, in no order; a null item is left out. The top-level directories are read in
    // parallel: a listing costs a directory read per leaf directory and a record read per object,
    // which wait on system calls (and, on a cold cache, the disk), so several in flight go faster.
    private List<T> Collect<T>(string prefix, Func<string, string, T?> make) where T : class
    {
        if (Depth == 0)
        {
            var all = new List<T>();
            CollectLeaves(Root, level: 0, prefix, make, all);
            return all;
        }
        var tops = Entries(Root, directories: true).Where(name => IsHex(name, Width)).ToArray();
        var parts = new List<T>[tops.Length];
        try
        {
            Parallel.For(0, tops.Length, new ParallelOptions { MaxDegreeOfParallelism = ListingParallelism }, i =>
            {
                var part = new List<T>();
                CollectLeaves(Path.Join(Root, tops[i]), level: 1, prefix, make, part);
                parts[i] = part;
            });
        }
        catch (AggregateException failures)
        {
            // One failure is reported as the sequential listing would have reported it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failures.InnerExceptions[0]).Throw();
            throw;
        }
        var found = new List<T>(parts.Sum(part => part.Count));
        foreach (var part in parts) found.AddRange(part);
        return found;
    }

    private static int ListingParallelism => Math.Clamp(Environment.ProcessorCount * 4, 4, 32);

    private void CollectLeaves<T>(string directory, int level, string prefix, Func<string, string, T?> make, List<T> found) where T : class
    {
        if (level < Depth)
        {
            foreach (var sub in Entries(directory, directories: true))
                if (IsHex(sub, Width)) CollectLeaves(Path.Join(directory, sub), level + 1, prefix, make, found);
            return;
        }
        var names = Entries(directory, directories: false);
        HashSet<string>? records = null;
        foreach (var name in names)
        {
            if (!name.EndsWith(KeyRecordSuffix, StringComparison.Ordinal)) continue;
            (records ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        }
        foreach (var name in names)
        {
            if (!IsHex(name, _fileNameLength)) continue; // temporary files, records, anything foreign
            var path = Path.Join(directory, name);
            var key = records is not null && records.Contains(name + KeyRecordSuffix) ? ReadRecord(path) : RecheckUnrecorded(path);
            if (key is null || !key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (make(key, path) is { } item) found.Add(item);
        }
    }

    private List<string> Entries(string directory, bool directories)
    {
        try
        {
            // Names only: no full path string is made for an entry.
            return
            [
                .. new FileSystemEnumerable<string>(directory, static (ref entry) => entry.FileName.ToString(), EveryEntry)
                {
                    ShouldIncludePredicate = directories ? static (ref entry) => entry.IsDirectory : static (ref entry) => !entry.IsDirectory,
                },
            ];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw ListingFailure(null, directory, error);
        }
    }

    // The key in an object's record, checked against the object's path; null when the object
    // and record were deleted after the directory was read.
    private string? ReadRecord(string objectPath)
    {
        var recordPath = objectPath + KeyRecordSuffix;
        string key;
        try
        {
            key = ReadKey(recordPath);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return RecheckUnrecorded(objectPath);
        }
        catch (Exception error) when (IsMediumError(error) || error is DecoderFallbackException or InvalidDataException)
        {
            throw Failure(null, $"cannot read the key record {recordPath} ({error.Message})", error);
        }
        if (!ObjectKey.IsValid(key) || ObjectFile(key) != objectPath)
            throw Failure(null, $"the key record {recordPath} holds {ObjectKey.Describe(key)}, whose object would not be this file: the store is damaged");
        return key;
    }

    // A record holds at most ObjectKey.MaxBytes bytes; one more tells a record that is too long.
    private static string ReadKey(string recordPath)
    {
        using var handle = File.OpenHandle(recordPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> buffer = stackalloc byte[ObjectKey.MaxBytes + 1];
        int length = 0, read;
        while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer[length..], length)) > 0) length += read;
        if (length > ObjectKey.MaxBytes)
            throw new InvalidDataException($"the record is longer than the longest key ({ObjectKey.MaxBytes} bytes)");
        return StrictUtf8.GetString(buffer[..length]);
    }

    // An object file seen without its record: gone now (a delete raced the directory read), or
    // written by a store that does not record keys, which this store cannot list.
    private string? RecheckUnrecorded(string objectPath)
    {
        if (!File.Exists(objectPath)) return null;
        if (File.Exists(objectPath + KeyRecordSuffix)) return ReadRecord(objectPath);
        throw Unsupported("listing",
            $"the object file {objectPath} has no key record ({Path.GetFileName(objectPath)}{KeyRecordSuffix}). " +
            "Stores written by the Python original name files by the hash of the key only, so their keys cannot be recovered; " +
            "Get, Exists, Stat, Put and Delete by key work, and Keys and List work once every object was written by this store");
    }

    // ---- Helpers -----------------------------------------------------------------------------

    private protected override string ObjectFile(string key)
    {
        var utf8 = Encoding.UTF8.GetBytes(key);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8, hash);
        Span<char> hex = stackalloc char[HexDigits];
        Convert.TryToHexStringLower(hash, hex, out _);
        var path = new StringBuilder(Root.Length + HexDigits + Depth + 1).Append(Root);
        for (int level = 0; level < Depth; level++) path.Append('/').Append(hex.Slice(level * Width, Width));
        return path.Append('/').Append(hex[(Depth * Width)..]).ToString();
    }

    private void EnsureRecord(string objectPath, string key)
    {
        var recordPath = objectPath + KeyRecordSuffix;
        if (!File.Exists(recordPath)) AtomicFile.Write(recordPath, Encoding.UTF8.GetBytes(key), Options.FlushToDisk);
    }

    private static bool IsHex(string name, int length)
    {
        if (name.Length != length) return false;
        foreach (char c in name)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        return true;
    }
}
