using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ObjectStorage;

/// <summary>
/// Objects as files named by the SHA-256 of their key: the object for a key lives at the
/// lowercase hex digest of the key's UTF-8 bytes, split into <c>depth</c> directories of
/// <c>width</c> characters and a file named by the rest (<c>ab/cd/ef/&lt;58 hex&gt;</c> for the
/// defaults), byte-compatible with stores written by the Python original. Puts are atomic.
/// </summary>
/// <remarks>
/// The Python layout does not record keys, so this store records each key with its object: in the
/// extended attribute <see cref="KeyRecordAttribute"/> of the object file, set before the file takes
/// its name, or where the file system keeps no such attributes in a record file
/// <c>&lt;object file name&gt;.key</c> beside it (<see cref="HashdirKeyRecords"/>); listings read both.
/// Over a tree without records (one written by the Python original) Get, Exists, Stat, Put and Delete
/// work by key, but listing throws <see cref="NotSupportedException"/> when it meets an object
/// that has no record. The hash order is not key order, so a listing reads every record and
/// sorts the matching keys in memory before it yields the first. Symbolic links (fan-out
/// directories or objects) are treated as <see cref="FilesystemStoreOptions.Links"/> says, and a
/// FIFO, device or socket is never an object; what a listing passes over is reported through
/// <see cref="ObjectStore.EntrySkipped"/>. See docs/stores/hashdir.md.
/// </remarks>
public class HashdirStore : DirectoryTreeStore
{
    /// <summary>The ending of a key record's file name, after the object file's name.</summary>
    public const string KeyRecordSuffix = ".key";

    /// <summary>The extended attribute of an object file that holds its key, as UTF-8 bytes.</summary>
    public const string KeyRecordAttribute = "user.objstore.key";

    // The attribute's name as the system calls take it.
    private static ReadOnlySpan<byte> RecordAttribute => "user.objstore.key\0"u8;

    private const int HexDigits = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int _fileNameLength;

    // Where this store's puts record keys: Auto until the first put finds whether the file system
    // under the root keeps user attributes.
    private volatile HashdirKeyRecords _recordsInUse;

    /// <summary>
    /// A store over <paramref name="root"/>, created if missing, with <paramref name="depth"/> levels
    /// of directories named by <paramref name="width"/> hex digits each. Throws <see cref="ObjectStoreException"/>
    /// when the root is a file, cannot be created or read, or holds a tree of another layout (another
    /// width or depth, or plain files), which this store would list as empty; <paramref name="keyRecords"/>
    /// says where puts record keys (<see cref="NotSupportedException"/> for extended attributes off Linux).
    /// </summary>
    public HashdirStore(string root, int width = 2, int depth = 3, FilesystemStoreOptions? options = null, HashdirKeyRecords keyRecords = HashdirKeyRecords.Auto)
        : base(root, options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        if (width * depth >= HexDigits)
            throw new ArgumentOutOfRangeException(nameof(depth), $"width × depth must leave at least one of the {HexDigits} hex digits for the file name.");
        if (!Enum.IsDefined(keyRecords)) throw new ArgumentOutOfRangeException(nameof(keyRecords), keyRecords, "not a kind of key record");
        if (keyRecords == HashdirKeyRecords.ExtendedAttribute && !OperatingSystem.IsLinux())
            throw Unsupported("recording keys in extended attributes", "this store sets them on Linux only; use HashdirKeyRecords.File or Auto");
        Width = width;
        Depth = depth;
        KeyRecords = keyRecords;
        // macOS has extended attributes too, behind other signatures; this store leaves it on record files.
        _recordsInUse = keyRecords == HashdirKeyRecords.Auto && !OperatingSystem.IsLinux() ? HashdirKeyRecords.File : keyRecords;
        _fileNameLength = HexDigits - width * depth;
        OpenRoot();
        CheckLayout();
    }

    /// <summary>Hex digits per directory level.</summary>
    public int Width { get; }

    /// <summary>Number of directory levels.</summary>
    public int Depth { get; }

    /// <summary>Where puts record keys, as asked at construction; listings read every kind of record whatever this says.</summary>
    public HashdirKeyRecords KeyRecords { get; }

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

    // Every write keeps one rule: an object file never exists without its key record. An attribute
    // is part of the temporary file, so it appears with the object in one rename. A record file goes
    // first; a crash between the two leaves a record without an object, which listings skip.
    private protected override bool UsesTemporaryFileHook => true;

    /// <inheritdoc/>
    private protected override void OnTemporaryFile(string key, string path, SafeFileHandle temporary)
    {
        if (_recordsInUse != HashdirKeyRecords.File)
        {
            Span<byte> utf8 = stackalloc byte[ObjectKey.MaxBytes];
            if (ExtendedAttributes.TrySet(temporary, RecordAttribute, utf8[..Encoding.UTF8.GetBytes(key, utf8)]))
            {
                if (_recordsInUse == HashdirKeyRecords.Auto) _recordsInUse = HashdirKeyRecords.ExtendedAttribute;
                return;
            }
            if (KeyRecords == HashdirKeyRecords.ExtendedAttribute)
                throw new IOException($"the file system under {Root} keeps no user extended attributes, which keyrecord=xattr needs for the key record; use keyrecord=file or auto");
            _recordsInUse = HashdirKeyRecords.File;
        }
        // An existing record file already holds this key: a record names the one key that hashes to its path.
        EnsureRecord(path, key);
    }

    // A delete that ran between the record file's check and the object's rename removed the record.
    private protected override void AfterReplace(string key, string path)
    {
        if (_recordsInUse == HashdirKeyRecords.File) EnsureRecord(path, key);
    }

    // ---- Delete ------------------------------------------------------------------------------

    /// <summary>Deletes the object (with its attribute record), then any record file. Directories stay: the fan-out is fixed.</summary>
    protected override void DeleteCore(string key)
    {
        var (path, kind) = Locate(key);
        if (kind == FileKind.Missing) return;
        try
        {
            File.Delete(path);
            File.Delete(path + KeyRecordSuffix);
            // A put of the same key (maybe in another process) may have landed its object between
            // the two deletes, after checking its record file: give that object its record back.
            if (File.Exists(path) && !HasRecordAttribute(path)) EnsureRecord(path, key);
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
        // Names only: no stat of each object beyond its type. A key is still listed only when its
        // object file was in its directory when the directory was read.
        var keys = Collect(prefix, static (key, _) => key);
        keys.Sort(KeyComparer.Utf8);
        foreach (var key in keys) yield return key;
    }

    // make(key, object path) for every recorded object under the root whose key starts with the
    // prefix, in no order; a null item is left out. The top-level directories are read in
    // parallel: a listing costs a directory read per leaf directory and a record read per object,
    // which wait on system calls (and, on a cold cache, the disk), so several in flight go faster.
    // What the walk passes over is reported afterwards, on the listing's thread.
    private List<T> Collect<T>(string prefix, Func<string, string, T?> make) where T : class
    {
        CheckLayout();
        var skipped = new List<(string Entry, string Reason)>();
        var found = new List<T>();
        if (Depth == 0)
        {
            CollectLeaves(Root, level: 0, prefix, make, found, skipped);
        }
        else
        {
            var tops = Subdirectories(Root, skipped);
            var parts = new (List<T> Found, List<(string, string)> Skipped)[tops.Count];
            try
            {
                Parallel.For(0, tops.Count, new ParallelOptions { MaxDegreeOfParallelism = ListingParallelism }, i =>
                {
                    parts[i] = ([], []);
                    CollectLeaves(tops[i], level: 1, prefix, make, parts[i].Found, parts[i].Skipped);
                });
            }
            catch (AggregateException failures)
            {
                // One failure is reported as the sequential listing would have reported it.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failures.InnerExceptions[0]).Throw();
                throw;
            }
            found.Capacity = parts.Sum(part => part.Found.Count);
            foreach (var part in parts)
            {
                found.AddRange(part.Found);
                skipped.AddRange(part.Skipped);
            }
        }
        foreach (var (entry, reason) in skipped) ReportSkipped(entry, reason);
        return found;
    }

    private static int ListingParallelism => Math.Clamp(Environment.ProcessorCount * 4, 4, 32);

    private void CollectLeaves<T>(string directory, int level, string prefix, Func<string, string, T?> make, List<T> found, List<(string, string)> skipped) where T : class
    {
        if (level < Depth)
        {
            foreach (var sub in Subdirectories(directory, skipped)) CollectLeaves(sub, level + 1, prefix, make, found, skipped);
            return;
        }
        var entries = Entries(directory);
        HashSet<string>? records = null;
        foreach (var entry in entries)
        {
            if (entry.IsDirectory || !entry.Name.EndsWith(KeyRecordSuffix, StringComparison.Ordinal)) continue;
            (records ??= new HashSet<string>(StringComparer.Ordinal)).Add(entry.Name);
        }
        foreach (var entry in entries)
        {
            if (entry.IsDirectory || !IsHex(entry.Name, _fileNameLength)) continue; // temporary files, records, anything foreign
            var path = Path.Join(directory, entry.Name);
            // Where both records exist (an object of an older version overwritten since), both hold the one
            // key that hashes to this path; the record file is read then, and only then, as before.
            bool hasRecordFile = records is not null && records.Contains(entry.Name + KeyRecordSuffix);
            // Only regular files and directories carry user attributes, so one found on an entry the
            // directory read calls neither a directory nor a link makes the object's lstat needless:
            // the usual object costs this one system call.
            var key = hasRecordFile || entry.IsLink ? null : ReadRecordAttribute(path, followLinks: false);
            if (key is null)
            {
                if (SkipObject(path) is { } why)
                {
                    if (why.Length > 0) skipped.Add((path, why));
                    continue;
                }
                key = hasRecordFile ? ReadRecord(path) : RecheckUnrecorded(path);
            }
            if (key is null || !key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (make(key, path) is { } item) found.Add(item);
        }
    }

    // Why the object file at path is not listed ("" when it is gone: a delete raced the directory
    // read), or null when it is a regular file or a link the policy follows to one.
    private string? SkipObject(string path)
    {
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Link && SkipLink(path, out _, out kind) is { } why) return why;
        if (kind.IsSpecial()) return $"{kind.Describe()}, not a regular file, so it cannot be an object";
        if (kind == FileKind.Directory) return "a directory where an object file would be";
        return kind == FileKind.Missing ? "" : null;
    }

    // The fan-out directories (named by Width hex digits) in directory; a link to one is entered
    // only when the policy follows it, and reported otherwise.
    private List<string> Subdirectories(string directory, List<(string, string)> skipped)
    {
        var subdirectories = new List<string>();
        foreach (var entry in Entries(directory))
        {
            if (!entry.IsDirectory || !IsHex(entry.Name, Width)) continue;
            var path = Path.Join(directory, entry.Name);
            if (!entry.IsLink) subdirectories.Add(path);
            else if (SkipLink(path, out var target, out var kind) is { } why) skipped.Add((path, why));
            else if (kind == FileKind.Directory) subdirectories.Add(target);
            else skipped.Add((path, $"a symbolic link to {kind.Describe()} where a directory would be"));
        }
        return subdirectories;
    }

    // IsDirectory is true for a link to a directory too; IsLink tells them apart (and marks links to files).
    private readonly record struct Entry(string Name, bool IsDirectory, bool IsLink);

    private List<Entry> Entries(string directory)
    {
        try
        {
            return
            [
                .. new FileSystemEnumerable<Entry>(directory, static (ref entry) => new Entry(
                    entry.FileName.ToString(), entry.IsDirectory, (entry.Attributes & FileAttributes.ReparsePoint) != 0), EveryEntry),
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

    // ---- Layout ------------------------------------------------------------------------------

    // A tree of another width or depth, or a plain directory tree, lists as empty here, and a sync
    // with --delete from an empty listing deletes its whole target. So the first path down the
    // tree must have this store's shape: at each level some directory of Width hex digits, at the
    // bottom some object file or key record (an empty directory anywhere proves nothing and passes).
    private void CheckLayout()
    {
        var directory = Root;
        for (int level = 0; level <= Depth; level++)
        {
            var entries = Entries(directory).Where(entry => !KeyPathMapping.IsTemporary(entry.Name)).ToList();
            if (entries.Count == 0) return;
            if (level < Depth)
            {
                var sub = entries.Find(entry => entry.IsDirectory && !entry.IsLink && IsHex(entry.Name, Width));
                if (sub.Name is null) throw LayoutMismatch(directory, entries, $"no directory named by {Width} hex digits");
                directory = Path.Join(directory, sub.Name);
            }
            else if (!entries.Exists(entry => !entry.IsDirectory && IsHex(StripRecordSuffix(entry.Name), _fileNameLength)))
            {
                throw LayoutMismatch(directory, entries, $"no object file named by {_fileNameLength} hex digits");
            }
        }
    }

    private ObjectStoreException LayoutMismatch(string directory, List<Entry> entries, string missing)
    {
        var sample = string.Join(", ", entries.Select(entry => entry.IsDirectory ? entry.Name + "/" : entry.Name).Order(StringComparer.Ordinal).Take(3));
        return Failure(null,
            $"the root does not hold the layout of width {Width} and depth {Depth}: {directory} has {sample}{(entries.Count > 3 ? ", ..." : "")} " +
            $"but {missing}, so a listing would find nothing. {GuessLayout()}");
    }

    // What the tree looks like instead, following its first directories down.
    private string GuessLayout()
    {
        var directory = Root;
        int width = 0, depth = 0;
        while (depth < HexDigits)
        {
            var entries = Entries(directory).Where(entry => !KeyPathMapping.IsTemporary(entry.Name)).ToList();
            var sub = entries.Find(entry => entry.IsDirectory && !entry.IsLink && entry.Name.Length > 0 && (width == 0 || entry.Name.Length == width) && IsHex(entry.Name, entry.Name.Length));
            if (sub.Name is null)
            {
                int rest = HexDigits - width * depth;
                if (rest <= 0 || !entries.Exists(entry => !entry.IsDirectory && IsHex(StripRecordSuffix(entry.Name), rest)))
                    return "It looks like a plain directory tree, which a filesystem store (file://) reads.";
                return depth == 0
                    ? "It looks like a store of depth 0 (hashdir://...?depth=0)."
                    : $"It looks like a store of width {width} and depth {depth} (hashdir://...?width={width}&depth={depth}).";
            }
            width = sub.Name.Length;
            depth++;
            directory = Path.Join(directory, sub.Name);
        }
        return "";
    }

    private static string StripRecordSuffix(string name) =>
        name.EndsWith(KeyRecordSuffix, StringComparison.Ordinal) ? name[..^KeyRecordSuffix.Length] : name;

    // The key in an object's record file, checked against the object's path; null when the object
    // and record were deleted after the directory was read.
    private string? ReadRecord(string objectPath)
    {
        var recordPath = objectPath + KeyRecordSuffix;
        var kind = FileKinds.Of(recordPath);
        if (kind == FileKind.Missing) return RecheckUnrecorded(objectPath);
        // Reading a FIFO would block, and a link may lead anywhere: a record is a plain file or damage.
        if (kind is not (FileKind.Regular or FileKind.Unknown))
            throw Failure(null, $"the key record {recordPath} is {kind.Describe()}, not a regular file: the store is damaged");
        // One byte more than the longest key tells a record that is too long.
        Span<byte> buffer = stackalloc byte[ObjectKey.MaxBytes + 1];
        int length = 0;
        try
        {
            using var handle = File.OpenHandle(recordPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            int read;
            while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer[length..], length)) > 0) length += read;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return RecheckUnrecorded(objectPath);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw Failure(null, $"cannot read the key record {recordPath} ({error.Message})", error);
        }
        return RecordedKey(buffer[..length], objectPath, recordPath);
    }

    // The key in the object file's attribute, checked against its path; null when the file has none
    // (or is gone). A link the listing follows is followed unless followLinks is false.
    private string? ReadRecordAttribute(string objectPath, bool followLinks = true)
    {
        Span<byte> buffer = stackalloc byte[ObjectKey.MaxBytes + 1];
        AttributeRead read;
        int length;
        try
        {
            read = ExtendedAttributes.Get(objectPath, RecordAttribute, buffer, followLinks, out length);
        }
        catch (IOException error)
        {
            throw Failure(null, $"cannot read the key record {DescribeRecord(objectPath, recordFile: null)} ({error.Message})", error);
        }
        return read switch
        {
            AttributeRead.Found => RecordedKey(buffer[..length], objectPath, recordFile: null),
            AttributeRead.TooLong => RecordedKey(buffer, objectPath, recordFile: null),
            _ => null,
        };
    }

    // Whether the file at path (not followed if a link) carries an attribute record; the size alone is asked for.
    private static bool HasRecordAttribute(string path) =>
        ExtendedAttributes.Get(path, RecordAttribute, [], followLinks: false, out _) == AttributeRead.Found;

    // The key a record holds (in recordFile, or in the object's attribute when null), when it is one
    // this object's record can hold; otherwise the store is damaged.
    private string RecordedKey(ReadOnlySpan<byte> utf8, string objectPath, string? recordFile)
    {
        if (utf8.Length > ObjectKey.MaxBytes)
            throw Failure(null, $"cannot read the key record {DescribeRecord(objectPath, recordFile)} (the record is longer than the longest key ({ObjectKey.MaxBytes} bytes))");
        string key;
        try
        {
            key = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException error)
        {
            throw Failure(null, $"cannot read the key record {DescribeRecord(objectPath, recordFile)} ({error.Message})", error);
        }
        if (!ObjectKey.IsValid(key) || !IsObjectFileOf(key, objectPath))
            throw Failure(null, $"the key record {DescribeRecord(objectPath, recordFile)} holds {ObjectKey.Describe(key)}, whose object would not be this file: the store is damaged");
        return key;
    }

    private static string DescribeRecord(string objectPath, string? recordFile) => recordFile ?? $"{KeyRecordAttribute} of {objectPath}";

    // A fan-out directory reached through a followed link has another path than the key's own.
    private bool IsObjectFileOf(string key, string objectPath)
    {
        var expected = ObjectFile(key);
        return expected == objectPath || (Options.Links != LinkPolicy.Skip && FileKinds.Resolve(expected) == FileKinds.Resolve(objectPath));
    }

    // An object file seen without its record: gone now (a delete raced the directory read), replaced
    // (by a put that records in an attribute), about to get its record file back (a put raced a
    // delete of the same key: the put restores the record right after its rename, above), or written
    // by a store that does not record keys, which this store cannot list. Only when the record stays
    // missing for a while is it the last.
    private string? RecheckUnrecorded(string objectPath)
    {
        for (int wait = 1; ; wait *= 2)
        {
            if (!File.Exists(objectPath)) return null;
            if (ReadRecordAttribute(objectPath) is { } key) return key;
            if (File.Exists(objectPath + KeyRecordSuffix)) return ReadRecord(objectPath);
            if (wait > RecordRaceMilliseconds) break;
            Thread.Sleep(wait);
        }
        throw Unsupported("listing",
            $"the object file {objectPath} has no key record (neither the extended attribute {KeyRecordAttribute} nor {Path.GetFileName(objectPath)}{KeyRecordSuffix}). " +
            "Stores written by the Python original name files by the hash of the key only, so their keys cannot be recovered, " +
            "and a copy that drops extended attributes (cp without -a, rsync without -X) drops the records of this store; " +
            "Get, Exists, Stat, Put and Delete by key work, and Keys and List work once every object was written by this store");
    }

    // How long a listing waits, at most, for a racing put to restore a record (1 + 2 + ... + 256 ms).
    private const int RecordRaceMilliseconds = 256;

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
        if (!File.Exists(recordPath)) AtomicFile.Write(recordPath, Encoding.UTF8.GetBytes(key), Options.FlushToDisk, modified: null);
    }

    private static bool IsHex(string name, int length)
    {
        if (name.Length != length) return false;
        foreach (char c in name)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        return true;
    }
}
