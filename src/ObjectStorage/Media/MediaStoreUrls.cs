using System.IO.Compression;

[assembly: ObjectStorage.StoreUrlProvider(typeof(ObjectStorage.MediaStoreUrls))]

namespace ObjectStorage;

/// <summary>The URL schemes of the stores in the core package: <c>mem://</c>, plain paths and <c>file://</c>, <c>hashdir://</c>, <c>zip://</c>.</summary>
internal sealed class MediaStoreUrls : IStoreUrlProvider
{
    public IEnumerable<StoreUrlScheme> Schemes =>
    [
        new("mem", OpenMemory, ["mem://"]),
        new("file", OpenFilesystem, ["PATH", "file:///abs/path[?fsync=true&links=skip|follow-inside-root]"]),
        new("hashdir", OpenHashdir, ["hashdir:///path[?width=2&depth=3&fsync=true&links=skip|follow-inside-root]"]),
        new("zip", OpenZip, ["zip:///path/to.zip[?mode=read|create|update&compression=optimal|fastest|smallest|none]"]),
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

    private static ObjectStore OpenHashdir(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("width", "depth", "fsync", "links");
        var root = RequireDirectory(url, access);
        return new HashdirStore(
            root,
            url.IntOption("width", 2, min: 1, max: 8),
            url.IntOption("depth", 3, min: 0, max: 8),
            TreeOptions(url));
    }

    // The options both tree stores take: fsync=true|false, links=skip|follow-inside-root.
    private static FilesystemStoreOptions TreeOptions(StoreUrl url) => new()
    {
        FlushToDisk = url.BoolOption("fsync", false),
        Links = url.ChoiceOption("links", "skip", "skip", "follow-inside-root") == "skip" ? LinkPolicy.Skip : LinkPolicy.FollowInsideRoot,
    };

    // Default mode: read an existing archive when only reading, otherwise update (which creates a missing one).
    private static ObjectStore OpenZip(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("mode", "compression");
        var path = url.RequirePath();
        var mode = url.ChoiceOption("mode", access == StoreAccess.Read ? "read" : "update", "read", "create", "update") switch
        {
            "read" => ZipStoreMode.Read,
            "create" => ZipStoreMode.Create,
            _ => ZipStoreMode.Update,
        };
        if (mode == ZipStoreMode.Read || access == StoreAccess.Read) RequireFile(path);
        var level = url.ChoiceOption("compression", "optimal", "optimal", "fastest", "smallest", "none") switch
        {
            "fastest" => CompressionLevel.Fastest,
            "smallest" => CompressionLevel.SmallestSize,
            "none" => CompressionLevel.NoCompression,
            _ => CompressionLevel.Optimal,
        };
        return new ZipStore(path, new ZipStoreOptions { Mode = mode, CompressionLevel = level });
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
