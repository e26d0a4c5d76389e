namespace ObjectStorage;

/// <summary>
/// Where a store keeps its objects, as far as telling two stores over one place from two separate
/// ones needs: the medium, the place on it, how keys are laid out there, and the key prefix every
/// key of the store carries. <see cref="StoreSync"/> compares the locations of its source and
/// target (<see cref="ObjectStore.Locations"/>) and refuses stores that overlap.
/// </summary>
/// <param name="Medium">
/// The namespace <paramref name="Path"/> lives in: <see cref="LocalFiles"/> for this machine's file
/// system, <c>s3 ENDPOINT BUCKET</c> for a bucket, <c>memory N</c> for one in-memory store.
/// </param>
/// <param name="Path">
/// The place on the medium, '/'-separated: for local files the absolute path with every symbolic
/// link resolved (a directory for the tree stores, the file for SQLite and zip); "" for a bucket.
/// </param>
/// <param name="Layout">
/// <see cref="TreeLayout"/> when a key is a path below <paramref name="Path"/> (a store over a
/// sub-directory, or under a bucket prefix, holds a part of the keys of one over the parent);
/// otherwise a name for the store's own arrangement ("hashdir 2x3", "sqlite", "zip"), which only
/// a store of the same layout over the same path can share without trampling.
/// </param>
/// <param name="KeyPrefix">The prefix that every key of the store has at this place (a <see cref="PrefixStore"/> adds its prefix).</param>
public sealed record StoreLocation(string Medium, string Path, string Layout, string KeyPrefix = "")
{
    /// <summary>The <see cref="Medium"/> of paths on this machine's file system.</summary>
    public const string LocalFiles = "file";

    /// <summary>The <see cref="Layout"/> in which a key is the path of its object below <see cref="Path"/>.</summary>
    public const string TreeLayout = "tree";

    private const string MemoryMedium = "memory ";

    private static long s_memoryStores;

    /// <summary>True for this machine's file system and one process's memory: reading an object there costs no request over a network.</summary>
    public bool IsLocal => Medium == LocalFiles || Medium.StartsWith(MemoryMedium, StringComparison.Ordinal);

    /// <summary>A location on the local file system, at <paramref name="path"/> with its symbolic links resolved, so that two spellings of one place compare equal.</summary>
    public static StoreLocation OfLocalPath(string path, string layout)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var canonical = Canonical(System.IO.Path.GetFullPath(path), depth: 0);
        if (System.IO.Path.DirectorySeparatorChar != '/') canonical = canonical.Replace(System.IO.Path.DirectorySeparatorChar, '/');
        return new StoreLocation(LocalFiles, canonical.Length > 1 ? canonical.TrimEnd('/') : canonical, layout);
    }

    /// <summary>A location of its own, for a store whose objects live in this process only and that no other store can reach.</summary>
    public static StoreLocation OfPrivateMemory() => new($"{MemoryMedium}{Interlocked.Increment(ref s_memoryStores)}", "", TreeLayout);

    /// <summary>This location with <paramref name="prefix"/> added to the key prefix, as a wrapper that prefixes keys sees it.</summary>
    public StoreLocation Under(string prefix) => this with { KeyPrefix = KeyPrefix + prefix };

    /// <summary>
    /// True when a store at this location and one at <paramref name="other"/> could touch the same
    /// object (a file, a row, an entry) while each works on its keys that start with
    /// <paramref name="keyPrefix"/>. When unsure (a layout whose file names cannot be read as keys) it says true.
    /// </summary>
    public bool Overlaps(StoreLocation other, string keyPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        if (!string.Equals(Medium, other.Medium, StringComparison.Ordinal)) return false;
        var (outer, inner) = Contains(this, other) ? (this, other) : Contains(other, this) ? (other, this) : (null, null);
        if (outer is null || inner is null) return false;
        var outerKeys = outer.KeyPrefix + keyPrefix;
        var innerKeys = inner.KeyPrefix + keyPrefix;
        if (SamePath(outer.Path, inner.Path))
            return !string.Equals(outer.Layout, inner.Layout, StringComparison.Ordinal) || Meet(outerKeys, innerKeys);

        // The inner store sits below the outer one: only a tree holds it at keys we can name.
        if (outer.Layout != TreeLayout) return true;
        var relative = inner.Path[(outer.Path.TrimEnd('/').Length + 1)..];
        // An escaped or reserved file name means another key than itself (see KeyPathMapping).
        if (relative.Split('/').Any(static name => name.StartsWith('%') || name.StartsWith('\\'))) return true;
        // A file store's side files (a "-wal", a spool) start with its name, so its name is a prefix here.
        var seen = inner.Layout == TreeLayout ? relative + "/" + innerKeys : relative;
        return Meet(outerKeys, seen);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var place = Medium == LocalFiles ? Path : Path.Length == 0 ? Medium : $"{Medium} {Path}";
        return KeyPrefix.Length == 0 ? $"{place} ({Layout})" : $"{place} ({Layout}, keys under {ObjectKey.Describe(KeyPrefix)})";
    }

    private static bool Meet(string a, string b) => a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal);

    // Case-insensitive where the usual file systems are, so that two spellings of one folder are not taken for two.
    private static StringComparison PathComparison(string medium) =>
        medium == LocalFiles && (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private bool SamePath(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), PathComparison(Medium));

    private static bool Contains(StoreLocation outer, StoreLocation inner)
    {
        var comparison = PathComparison(outer.Medium);
        var parent = outer.Path.TrimEnd('/');
        return string.Equals(parent, inner.Path.TrimEnd('/'), comparison)
            || parent.Length == 0 && outer.Medium != LocalFiles
            || inner.Path.StartsWith(parent + "/", comparison);
    }

    // Resolves the links of every existing component, so /tmp/link/sub and /data/sub compare equal.
    private static string Canonical(string full, int depth)
    {
        var root = System.IO.Path.GetPathRoot(full) ?? "/";
        var names = full[root.Length..].Split([System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (int i = 0; i < names.Length; i++)
        {
            var next = System.IO.Path.Join(current, names[i]);
            FileSystemInfo? target = null;
            try
            {
                // 40 links deep is where Linux gives up with ELOOP too.
                if (depth < 40 && new FileInfo(next).LinkTarget is not null) target = File.ResolveLinkTarget(next, returnFinalTarget: true);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            if (target is not null)
                return Canonical(System.IO.Path.GetFullPath(System.IO.Path.Join([target.FullName, .. names[(i + 1)..]])), depth + 1);
            current = next;
        }
        return current;
    }
}
