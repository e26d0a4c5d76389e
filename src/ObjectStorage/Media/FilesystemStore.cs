using System.IO.Enumeration;
using System.Text;

namespace ObjectStorage;

/// <summary>
/// Objects as plain files under a root directory: the key is the relative path ("reports/q3.pdf"
/// is <c>root/reports/q3.pdf</c>), so a person can browse the store, and a store opened over an
/// existing tree of files lists and reads them. Puts are atomic (a temporary file in the same
/// directory, renamed over the target). A key cannot be both a file and a directory of other
/// keys: putting "a" when "a/b" exists, or the reverse, throws <see cref="ObjectStoreException"/>.
/// </summary>
/// <remarks>
/// Listings walk the tree depth first, reading and sorting one directory at a time, so memory
/// grows with the depth and the widest directory, not with the number of files. Files whose names
/// are not valid key segments (temporary files among them) are skipped. Symbolic links to
/// directories are not followed. See docs/stores/filesystem.md.
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

    // ---- Delete ------------------------------------------------------------------------------

    /// <summary>Deletes the file, then every directory the deletion left empty, up to (never including) the root.</summary>
    protected override void DeleteCore(string key)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            if (IsAbsent(error, path)) return;
            throw Translate(key, error);
        }
        for (var directory = Path.GetDirectoryName(path)!; directory.Length > Root.Length; directory = Path.GetDirectoryName(directory)!)
        {
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
        Walk(prefix, withMetadata: true).Select(static found => AtomicFile.Info(found.Key, found.Entry.Length, found.Entry.LastWriteTimeUtc));

    // Keys skip the stat(2) of every file that sizes and times need.
    private IEnumerable<(string Key, Entry Entry)> Walk(string prefix, bool withMetadata)
    {
        // Only the directory named by the prefix's complete segments can hold matches; within
        // it, only the entries that start with the prefix's last, partial segment.
        int slash = prefix.LastIndexOf('/');
        var keyPrefix = prefix[..(slash + 1)];
        var directory = slash < 0 ? Root : PathOf(prefix[..slash]);
        var pending = new Stack<Frame>();
        pending.Push(new Frame(directory, keyPrefix, ReadSorted(directory, keyPrefix, prefix[(slash + 1)..], withMetadata)));
        while (pending.TryPeek(out var frame))
        {
            if (frame.Next == frame.Entries.Count)
            {
                pending.Pop();
                continue;
            }
            var entry = frame.Entries[frame.Next++];
            if (entry.IsDirectory)
            {
                var subdirectoryKey = string.Concat(frame.KeyPrefix, entry.Name, "/");
                var subdirectory = Path.Join(frame.Directory, entry.Name);
                pending.Push(new Frame(subdirectory, subdirectoryKey, ReadSorted(subdirectory, subdirectoryKey, "", withMetadata)));
                continue;
            }
            var key = frame.KeyPrefix + entry.Name;
            if (ObjectKey.IsValid(key)) yield return (key, entry);
        }
    }

    // One directory's entries that can be keys, in key order: a directory "a" sorts as "a/", so "a.b" < "a/b" < "a0".
    private List<Entry> ReadSorted(string directory, string keyPrefix, string namePrefix, bool withMetadata)
    {
        var entries = new List<Entry>();
        try
        {
            var found = new FileSystemEnumerable<Entry>(directory,
                withMetadata ? static (ref FileSystemEntry e) => Entry.Of(ref e, withMetadata: true) : static (ref FileSystemEntry e) => Entry.Of(ref e, withMetadata: false),
                EveryEntry)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => e.FileName.StartsWith(namePrefix, StringComparison.Ordinal),
            };
            foreach (var entry in found)
                if (entry.IsUsable) entries.Add(entry);
        }
        catch (DirectoryNotFoundException)
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

    private sealed class Frame(string directory, string keyPrefix, List<Entry> entries)
    {
        public string Directory { get; } = directory;
        public string KeyPrefix { get; } = keyPrefix;
        public List<Entry> Entries { get; } = entries;
        public int Next { get; set; }
    }

    private readonly record struct Entry(string Name, string SortName, bool IsDirectory, long Length, DateTime LastWriteTimeUtc)
    {
        public static Entry Of(ref FileSystemEntry e, bool withMetadata)
        {
            var name = e.FileName.ToString();
            if (!e.IsDirectory)
                return withMetadata ? new Entry(name, name, false, e.Length, e.LastWriteTimeUtc.UtcDateTime) : new Entry(name, name, false, 0, default);
            // A link to a directory is not followed (it could loop); it is not an object either.
            bool isLink = (e.Attributes & FileAttributes.ReparsePoint) != 0;
            return new Entry(isLink ? "" : name, name + "/", true, 0, default);
        }

        // A name that could be a key segment: this skips temporary files ('\'), and names with control characters.
        public bool IsUsable => Name.Length > 0 && ObjectKey.FindBrokenRule(Name, isPrefix: false) is null;
    }

    // ---- Helpers -----------------------------------------------------------------------------

    private protected override string ObjectFile(string key) => PathOf(key);

    private string PathOf(string key) => string.Concat(Root, "/", key);

    // No object has the key: nothing at the path, a file where a directory would be, a name too
    // long for the file system, or a directory (which holds keys but is not one).
    private protected override bool IsAbsent(Exception error, string path) =>
        base.IsAbsent(error, path) || error is PathTooLongException || Directory.Exists(path);

    // The one place where this store turns file system errors into ours, explaining the collisions a tree imposes.
    private protected override ObjectStoreException Translate(string key, Exception error)
    {
        if (error is PathTooLongException)
        {
            var longest = key.Split('/').MaxBy(Encoding.UTF8.GetByteCount)!;
            return Failure(key, $"the file system cannot hold this key: its segment {ObjectKey.Describe(longest)} is " +
                $"{Encoding.UTF8.GetByteCount(longest)} bytes of UTF-8, and a file or directory name may have at most {MaxNameBytes}", error);
        }
        for (int slash = key.IndexOf('/'); slash > 0; slash = key.IndexOf('/', slash + 1))
        {
            var ancestor = key[..slash];
            if (File.Exists(PathOf(ancestor)))
                return Failure(key, $"the key {ObjectKey.Describe(ancestor)} is an object (a file), so it cannot also be a directory holding this key", error);
        }
        if (Directory.Exists(PathOf(key)))
            return Failure(key, "the key is a directory holding other keys, so it cannot also be an object (a file)", error);
        return base.Translate(key, error);
    }
}
