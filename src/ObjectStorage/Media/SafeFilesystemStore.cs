using System.Text;

namespace ObjectStorage;

/// <summary>
/// Objects as files directly under a root directory, each named by <see cref="Base32FileNames"/>:
/// the layout of the Python original's <c>SafeFilesystemStore</c>, so that a tree it wrote reads
/// and writes here and the reverse. Any key becomes a portable file name (no case clashes, no
/// reserved names, no separators); the price is that names are not readable and a key is at most
/// 155 bytes of UTF-8, since a name holds 255 bytes. Puts are atomic (a temporary file renamed over
/// the target), as in <see cref="FilesystemStore"/>.
/// </summary>
/// <remarks>
/// Listings read the one directory, decode and sort the names, so they hold the matching keys in
/// memory. A file whose name is not one the layout writes, a directory, a symbolic link the options
/// do not follow and a special file are passed over and reported through <see cref="ObjectStore.EntrySkipped"/>.
/// </remarks>
public sealed class SafeFilesystemStore : DirectoryTreeStore
{
    /// <summary>The layout <see cref="StoreLocation"/>s of this store name.</summary>
    public const string Layout = "base32";

    private const int MaxNameBytes = 255;

    /// <summary>A store over <paramref name="root"/>, created if missing; throws <see cref="ObjectStoreException"/> when the root is a file or cannot be created or read.</summary>
    public SafeFilesystemStore(string root, FilesystemStoreOptions? options = null) : base(root, options) => OpenRoot();

    /// <inheritdoc/>
    public override string ToString() => $"SafeFilesystemStore({Root})";

    /// <summary>The root directory, links resolved, in the Base32 layout.</summary>
    public override IReadOnlyList<StoreLocation> Locations => [StoreLocation.OfLocalPath(Root, Layout)];

    /// <inheritdoc/>
    protected override void DeleteCore(string key) => DeleteObjectFile(key);

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) => ListCore(prefix).Select(static info => info.Key);

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix)
    {
        var found = new List<ObjectInfo>();
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = [.. new DirectoryInfo(Root).EnumerateFileSystemInfos("*", EveryEntry)];
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw ListingFailure(null, Root, error);
        }
        foreach (var entry in entries)
        {
            if (KeyPathMapping.IsTemporary(entry.Name)) continue;
            var path = entry.FullName;
            var kind = FileKinds.Of(path);
            var target = path;
            if (kind == FileKind.Link && SkipLink(path, out target, out kind) is { } why)
            {
                ReportSkipped(path, why);
                continue;
            }
            if (kind == FileKind.Missing) continue; // deleted since the directory was read
            if (kind != FileKind.Regular)
            {
                ReportSkipped(path, kind == FileKind.Directory
                    ? "a directory: the Base32 layout keeps every object directly under the root"
                    : $"{kind.Describe()}, not a regular file, so it cannot be an object");
                continue;
            }
            if (Base32FileNames.ToKey(entry.Name) is not { } key)
            {
                ReportSkipped(path, "its name is not the Base32 of a key as the layout writes it");
                continue;
            }
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var file = new FileInfo(target);
            if (file.Exists) found.Add(AtomicFile.Info(key, file.Length, file.LastWriteTimeUtc));
        }
        found.Sort(static (a, b) => KeyComparer.Utf8.Compare(a.Key, b.Key));
        return found;
    }

    private protected override string ObjectFile(string key)
    {
        var name = Base32FileNames.ToName(key);
        if (Encoding.ASCII.GetByteCount(name) > MaxNameBytes)
            throw new InvalidKeyException(key, $"{this} names each file by the Base32 of its key, and a file name holds {MaxNameBytes} bytes, " +
                $"so a key is at most 155 bytes of UTF-8 (this one is {Encoding.UTF8.GetByteCount(key)})");
        return Path.Join(Root, name);
    }
}
