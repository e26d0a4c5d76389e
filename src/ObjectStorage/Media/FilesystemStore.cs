using System.IO.Enumeration;
using System.Text;

namespace ObjectStorage;

/// <summary>
/// Objects as plain files under a root directory: the key is the relative path ("reports/q3.pdf"
/// is <c>root/reports/q3.pdf</c>), so a person can browse the store, and a store opened over an
/// existing tree of files lists and reads them. Segments that cannot be file names ("a//b",
/// "/lead", "trail/", "..") are escaped by <see cref="KeyPathMapping"/>, reversibly, and never
/// outside the root. Puts are atomic (a temporary file in the same directory, renamed over the
/// target). What a file tree cannot hold throws <see cref="InvalidKeyException"/> naming the limit:
/// a name over 255 bytes, and a key that is both a file and a directory of other keys (putting "a"
/// when "a/b" exists, or the reverse).
/// </summary>
/// <remarks>
/// Listings walk the tree depth first, reading and sorting one directory at a time, so memory
/// grows with the depth and the widest directory, not with the number of files. Temporary files
/// are passed over; names that are not valid UTF-8, symbolic links (unless
/// <see cref="FilesystemStoreOptions.Links"/> follows them), FIFOs, devices, sockets and paths
/// longer than a key are passed over and reported through <see cref="ObjectStore.EntrySkipped"/>.
/// No operation reads, writes or deletes through a link the options do not follow. See docs/stores/filesystem.md.
/// </remarks>
public class FilesystemStore : DirectoryTreeStore
{
    private const int MaxNameBytes = 255;

    /// <summary>
    /// A store over <paramref name="root"/>, created if missing. Throws <see cref="ObjectStoreException"/>
    /// when the root is a file or cannot be created or read.
    /// </summary>
    public FilesystemStore(string root, FilesystemStoreOptions? options = null)
        : base(root, options) => OpenRoot();

    /// <inheritdoc/>
    public override string ToString() => $"FilesystemStore({Root})";

    /// <summary>The root directory, links resolved, in which a key is the relative path of its file.</summary>
    public override IReadOnlyList<StoreLocation> Locations => [StoreLocation.OfLocalPath(Root, StoreLocation.TreeLayout)];

    // ---- Delete ------------------------------------------------------------------------------

    /// <summary>Deletes the file, then every directory the deletion left empty, up to (never including) the root and never through a link.</summary>
    protected override void DeleteCore(string key)
    {
        if (DeleteObjectFile(key) is not { } path) return;
        for (var directory = Path.GetDirectoryName(path)!; IsBelowRoot(directory); directory = Path.GetDirectoryName(directory)!)
        {
            // Directory.Delete removes a link to a directory as if it were one: a link made since Locate stays.
            if (FileKinds.Of(directory) != FileKind.Directory) break;
            try
            {
                Directory.Delete(directory);
            }
            catch (Exception error) when (IsMediumError(error))
            {
                break; // not empty (or already gone): a concurrent put may be filling it
            }
        }
    }

    // ---- Listing -----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) =>
        Walk(prefix, withMetadata: false).Select(static found => found.Key);

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix) =>
        Walk(prefix, withMetadata: true).Select(static found => AtomicFile.Info(found.Key, found.Length, found.LastWriteTimeUtc));

    // Keys skip the stat(2) of every file that sizes and times need, except for empty files, which
    // may be FIFOs or devices.
    private IEnumerable<(string Key, long Length, DateTime LastWriteTimeUtc)> Walk(string prefix, bool withMetadata)
    {
        // Only the directory named by the prefix's complete segments can hold matches; within
        // it, only the entries that start with the prefix's last, partial segment.
        int slash = prefix.LastIndexOf('/');
        var keyPrefix = prefix[..(slash + 1)];
        if ((slash < 0 ? (Root, RealRoot) : PrefixDirectory(KeyPathMapping.ToRelativePath(prefix[..slash]))) is not { } start) yield break;
        var (directory, real) = start;
        var pending = new Stack<Frame>();
        pending.Push(new Frame(directory, real, keyPrefix, ReadSorted(directory, keyPrefix, prefix[(slash + 1)..], withMetadata)));
        while (pending.TryPeek(out var frame))
        {
            if (frame.Next == frame.Entries.Count)
            {
                pending.Pop();
                continue;
            }
            var entry = frame.Entries[frame.Next++];
            var path = Path.Join(frame.Directory, entry.Name);
            var (kind, length, time) = (entry.Kind, entry.Length, entry.LastWriteTimeUtc);
            string? target = null;
            if (kind == FileKind.Link)
            {
                if (SkipLink(path, out var resolved, out kind) is { } why)
                {
                    ReportSkipped(path, why);
                    continue;
                }
                if (kind == FileKind.Directory && pending.Any(f => FileKinds.IsInside(f.RealDirectory, resolved)))
                {
                    ReportSkipped(path, $"a symbolic link to {resolved}, a directory the walk is already in (a loop)");
                    continue;
                }
                target = resolved;
            }
            if (kind.IsSpecial())
            {
                ReportSkipped(path, $"{kind.Describe()}, not a regular file, so it cannot be an object");
                continue;
            }
            if (kind == FileKind.Directory)
            {
                var subdirectoryKey = string.Concat(frame.KeyPrefix, entry.Segment, "/");
                // Reported paths stay as the walk reached them (through a followed link); loops are told by the real ones.
                pending.Push(new Frame(path, target ?? frame.RealDirectory + "/" + entry.Name, subdirectoryKey, ReadSorted(path, subdirectoryKey, "", withMetadata)));
                continue;
            }
            if (kind == FileKind.Missing) continue; // deleted since its directory was read
            var key = frame.KeyPrefix + entry.Segment;
            if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule)
            {
                ReportSkipped(path, $"its key {ObjectKey.Describe(key)} breaks a key rule: {rule}");
                continue;
            }
            // A followed link lists the size and time of what a read of it returns.
            if (target is not null && withMetadata && new FileInfo(target) is { Exists: true } file)
                (length, time) = (file.Length, file.LastWriteTimeUtc);
            yield return (key, length, time);
        }
    }

    // The directory that holds a prefix's complete segments, as written and with its links
    // resolved, reached without a link the policy does not follow (that link is reported); null
    // when there is none.
    private (string Directory, string Real)? PrefixDirectory(string relativePath)
    {
        var (current, real) = (Root, RealRoot);
        foreach (var name in relativePath.Split('/'))
        {
            var (next, nextReal) = (current + "/" + name, real + "/" + name);
            var kind = FileKinds.Of(next);
            if (kind == FileKind.Link && SkipLink(next, out nextReal, out kind) is { } why)
            {
                ReportSkipped(next, why);
                return null;
            }
            if (kind == FileKind.Unknown) return (Path.Join(Root, relativePath), Path.Join(RealRoot, relativePath)); // reading it reports why
            if (kind != FileKind.Directory) return null;
            (current, real) = (next, nextReal);
        }
        return (current, real);
    }

    // One directory's entries that can be keys, in key order: a directory "a" sorts as "a/", so "a.b" < "a/b" < "a0".
    // Only entries whose segment starts with segmentPrefix; an escaped name may decode to one that does.
    private List<Entry> ReadSorted(string directory, string keyPrefix, string segmentPrefix, bool withMetadata)
    {
        var entries = new List<Entry>();
        try
        {
            var found = new FileSystemEnumerable<Entry>(directory,
                withMetadata ? static (ref FileSystemEntry e) => Entry.Of(ref e, withMetadata: true) : static (ref FileSystemEntry e) => Entry.Of(ref e, withMetadata: false),
                EveryEntry)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !KeyPathMapping.IsTemporary(e.FileName)
                    && (e.FileName.StartsWith(segmentPrefix, StringComparison.Ordinal) || e.FileName.StartsWith(KeyPathMapping.Escape)),
            };
            foreach (var entry in found)
            {
                if (!entry.Segment.StartsWith(segmentPrefix, StringComparison.Ordinal)) continue;
                if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal) && !Path.Exists(Path.Join(directory, entry.Name)))
                    ReportSkipped(Path.Join(directory, entry.Name), "its name is not valid UTF-8, so it cannot be a key");
                else entries.Add(entry);
            }
        }
        catch (Exception error) when (error is DirectoryNotFoundException or PathTooLongException)
        {
            return entries; // the prefix names no directory, or a delete removed it meanwhile
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw ListingFailure(keyPrefix.Length == 0 ? null : keyPrefix, directory, error);
        }
        entries.Sort(static (x, y) => KeyComparer.Compare(x.SortName, y.SortName));
        return entries;
    }

    private sealed class Frame(string directory, string realDirectory, string keyPrefix, List<Entry> entries)
    {
        public string Directory { get; } = directory;
        public string RealDirectory { get; } = realDirectory;
        public string KeyPrefix { get; } = keyPrefix;
        public List<Entry> Entries { get; } = entries;
        public int Next { get; set; }
    }

    // Name is the file's, Segment the key segment it holds; a directory (or a link to one) sorts as its segment and '/'.
    private readonly record struct Entry(string Name, string Segment, string SortName, FileKind Kind, long Length, DateTime LastWriteTimeUtc)
    {
        public static Entry Of(ref FileSystemEntry e, bool withMetadata)
        {
            var name = e.FileName.ToString();
            var segment = KeyPathMapping.ToSegment(name);
            var sortName = e.IsDirectory ? segment + "/" : segment;
            var attributes = e.Attributes;
            // All bits set is .NET's answer for an entry deleted since its directory was read.
            if (attributes == (FileAttributes)(-1)) return new Entry(name, segment, sortName, FileKind.Missing, 0, default);
            if ((attributes & FileAttributes.ReparsePoint) != 0) return new Entry(name, segment, sortName, FileKind.Link, 0, default);
            if (e.IsDirectory) return new Entry(name, segment, sortName, FileKind.Directory, 0, default);
            // .NET reports a FIFO, a device or a socket as an empty file: only an empty file needs its type read.
            var kind = e.Length == 0 ? FileKinds.Of(e.ToFullPath()) : FileKind.Regular;
            if (kind == FileKind.Unknown) kind = FileKind.Regular;
            return withMetadata ? new Entry(name, segment, sortName, kind, e.Length, e.LastWriteTimeUtc.UtcDateTime) : new Entry(name, segment, sortName, kind, 0, default);
        }
    }

    // ---- Helpers -----------------------------------------------------------------------------

    private protected override string ObjectFile(string key) => PathOf(key);

    // The file for a key; throws InvalidKeyException for a name longer than the file system allows.
    private string PathOf(string key)
    {
        var relative = KeyPathMapping.ToRelativePath(key);
        if (KeyPathMapping.FindOverlongName(relative, MaxNameBytes) is { } name)
            throw new InvalidKeyException(key, $"{this} cannot hold it: the file name {ObjectKey.Describe(name)} is " +
                $"{Encoding.UTF8.GetByteCount(name)} bytes of UTF-8, and a file system name may have at most {MaxNameBytes}");
        return string.Concat(Root, "/", relative);
    }

    // No object has the key: nothing at the path, a file where a directory would be, a name too
    // long for the file system, or a directory (which holds keys but is not one).
    private protected override bool IsAbsent(Exception error, string path) =>
        base.IsAbsent(error, path) || error is PathTooLongException || Directory.Exists(path);

    // The one place where this store turns file system errors into ours, explaining the collisions a
    // tree imposes: those are the medium's limits, so they are InvalidKeyException like a long name.
    private protected override Exception Translate(string key, Exception error)
    {
        if (error is PathTooLongException)
            return new InvalidKeyException(key, $"{this} cannot hold it: its path is longer than the file system allows ({error.Message})");
        for (int slash = key.IndexOf('/'); slash >= 0; slash = key.IndexOf('/', slash + 1))
        {
            var ancestor = key[..slash];
            if (File.Exists(PathOf(ancestor)))
                return new InvalidKeyException(key, $"{this} cannot hold it: the key {ObjectKey.Describe(ancestor)} is an object (a file), " +
                    "and a file system cannot have a file that is also a directory holding this key");
        }
        if (Directory.Exists(PathOf(key)))
            return new InvalidKeyException(key, $"{this} cannot hold it: the key is a directory holding other keys, " +
                "and a file system cannot have a directory that is also an object (a file)");
        return base.Translate(key, error);
    }
}
