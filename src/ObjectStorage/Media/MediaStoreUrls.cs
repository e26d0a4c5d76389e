using System.IO.Compression;

[assembly: ObjectStorage.StoreUrlProvider(typeof(ObjectStorage.MediaStoreUrls))]

namespace ObjectStorage;

/// <summary>The URL schemes of the stores in the core package: <c>mem://</c>, plain paths and <c>file://</c>, <c>hashdir://</c>, <c>safefs://</c>, <c>http(s)://</c>, <c>zip://</c>.</summary>
internal sealed class MediaStoreUrls : IStoreUrlProvider
{
    public IEnumerable<StoreUrlScheme> Schemes =>
    [
        new("mem", OpenMemory, ["mem://"]),
        new("file", OpenFilesystem, ["PATH", "file:///abs/path[?fsync=true&links=skip|follow-inside-root]"]),
        new("hashdir", OpenHashdir, ["hashdir:///path[?width=2&depth=3&keyrecord=auto|xattr|file&fsync=true&links=skip|follow-inside-root]"]),
        new("safefs", OpenSafeFilesystem, ["safefs:///path[?fsync=true&links=skip|follow-inside-root]"]),
        new("http", OpenHttp, ["http://host/base/path[?redirects=false]"]),
        new("https", OpenHttp, ["https://host/base/path[?redirects=false]"]),
        new("zip", OpenZip, ["zip:///path/to.zip[?mode=read|create|update&compression=optimal|fastest|smallest|none&max_expanded_mib=16384&max_ratio=100]"]),
    ];

    private static ObjectStore OpenMemory(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly();
        if (url.Location.Length > 0) throw url.Invalid("mem:// takes no location (every mem:// store is new and empty)");
        return new DictStore();
    }

    private static ObjectStore OpenFilesystem(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("fsync", "links");
        var root = RequireDirectory(url, access);
        return new FilesystemStore(root, TreeOptions(url));
    }

    private static ObjectStore OpenSafeFilesystem(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("fsync", "links");
        return new SafeFilesystemStore(RequireDirectory(url, access), TreeOptions(url));
    }

    private static ObjectStore OpenHashdir(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("width", "depth", "keyrecord", "fsync", "links");
        var root = RequireDirectory(url, access);
        var keyRecords = url.ChoiceOption("keyrecord", "auto", "auto", "xattr", "file") switch
        {
            "xattr" => HashdirKeyRecords.ExtendedAttribute,
            "file" => HashdirKeyRecords.File,
            _ => HashdirKeyRecords.Auto,
        };
        return new HashdirStore(
            root,
            url.IntOption("width", 2, min: 1, max: 8),
            url.IntOption("depth", 3, min: 0, max: 8),
            TreeOptions(url),
            keyRecords);
    }

    // The options both tree stores take: fsync=true|false, links=skip|follow-inside-root.
    private static FilesystemStoreOptions TreeOptions(StoreUrl url) => new()
    {
        FlushToDisk = url.BoolOption("fsync", false),
        Links = url.ChoiceOption("links", "skip", "skip", "follow-inside-root") == "skip" ? LinkPolicy.Skip : LinkPolicy.FollowInsideRoot,
    };

    // The whole URL up to the query is the base address: the location alone has lost its percent-escapes.
    private static ObjectStore OpenHttp(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("redirects");
        int query = url.Text.IndexOf('?', StringComparison.Ordinal);
        if (!Uri.TryCreate(query < 0 ? url.Text : url.Text[..query], UriKind.Absolute, out var address) || address.Host.Length == 0)
            throw url.Invalid("the base address is not an absolute URL with a host");
        return new HttpStore(address, new HttpStoreOptions { FollowRedirects = url.BoolOption("redirects", true) });
    }

    // Default mode: update (which creates a missing archive). Opened only to read, the archive is
    // read whatever the mode says: a `create` would empty it and an `update` could rewrite it.
    private static ObjectStore OpenZip(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("mode", "compression", "max_expanded_mib", "max_ratio");
        var path = url.RequirePath();
        var mode = url.ChoiceOption("mode", "update", "read", "create", "update") switch
        {
            _ when access == StoreAccess.Read => ZipStoreMode.Read,
            "read" => ZipStoreMode.Read,
            "create" => ZipStoreMode.Create,
            _ => ZipStoreMode.Update,
        };
        if (mode == ZipStoreMode.Read) RequireFile(path);
        var level = url.ChoiceOption("compression", "optimal", "optimal", "fastest", "smallest", "none") switch
        {
            "fastest" => CompressionLevel.Fastest,
            "smallest" => CompressionLevel.SmallestSize,
            "none" => CompressionLevel.NoCompression,
            _ => CompressionLevel.Optimal,
        };
        return new ZipStore(path, new ZipStoreOptions
        {
            Mode = mode,
            CompressionLevel = level,
            MaxExpandedBytes = (long)url.IntOption("max_expanded_mib", (int)(ExpansionLimit.DefaultMaxBytes >> 20), min: 1) << 20,
            MaxExpansionRatio = url.IntOption("max_ratio", ExpansionLimit.DefaultMaxRatio, min: 1),
        });
    }

    private static string RequireDirectory(StoreUrl url, StoreAccess access)
    {
        var root = url.RequirePath();
        if (access == StoreAccess.Read && !Directory.Exists(root))
            throw new DirectoryNotFoundException($"{url}: no directory at {Path.GetFullPath(root)}");
        return root;
    }

    /// <summary>Throws <see cref="FileNotFoundException"/> unless a file is at <paramref name="path"/>; for single-file stores opened to read.</summary>
    internal static void RequireFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no file at {Path.GetFullPath(path)}", path);
    }
}
