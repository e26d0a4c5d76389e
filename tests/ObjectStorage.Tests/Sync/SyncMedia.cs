using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sync;

/// <summary>
/// The media that sync and copy tests run between, one line each; adding a medium (a
/// FilesystemStore in its scratch directory, a SqliteStore file, a BucketStore) adds it to every
/// pair. Composites and wrappers are media too.
/// </summary>
public static class SyncMedia
{
    // The real media: every ordered pair of these is tested.
    private static readonly Dictionary<string, Func<string, ObjectStore>> Primary = new()
    {
        ["memory"] = _ => new DictStore(),
        ["filesystem"] = dir => new FilesystemStore(Path.Combine(dir, "files")),
        ["hashdir"] = dir => new HashdirStore(Path.Combine(dir, "hashed")),
        ["sqlite"] = dir => new SqliteStore(Path.Combine(dir, "media.db")),
        ["zip"] = dir => new ZipStore(Path.Combine(dir, "media.zip")),
    };

    // Composites and wrappers: each is paired with memory in both directions.
    private static readonly Dictionary<string, Func<string, ObjectStore>> Composed = new()
    {
        ["gzip(memory)"] = _ => new GzipStore(new DictStore()),
        ["prefix(memory)"] = _ => new PrefixStore(new DictStore(), "under/here"),
        ["fanout(memory,memory)"] = _ => new FanoutStore(new DictStore(), new DictStore()),
    };

    static SyncMedia()
    {
        // S3: s3rver always (skipped where it cannot start), Ceph RGW where the environment names it;
        // each store gets a prefix of its own in the bucket.
        Primary["s3"] = _ => new BucketStore(S3TestServer.S3rver.Options(S3TestServer.NewPrefix("sync")));
        // Azure Blob on Azurite and Redis: each store gets a prefix of its own in the shared container or server.
        Primary["azure"] = _ => AzuriteProcess.NewStore("sync");
        Primary["redis"] = _ => RedisTestServer.NewStore("sync");
        if (S3TestServer.Rgw.Configured)
            Primary["rgw"] = _ => new BucketStore(S3TestServer.Rgw.Options(S3TestServer.NewPrefix("sync")));
    }

    private static Func<string, ObjectStore> Factory(string name) => Primary.TryGetValue(name, out var f) ? f : Composed[name];

    /// <summary>The names of every medium.</summary>
    public static IReadOnlyCollection<string> Names => [.. Primary.Keys, .. Composed.Keys];

    /// <summary>Every ordered pair of real media (a medium with itself included), and each composite with memory both ways.</summary>
    public static IEnumerable<(string Source, string Target)> Pairs =>
        Primary.Keys.SelectMany(source => Primary.Keys.Select(target => (source, target)))
            .Concat(Composed.Keys.SelectMany(c => new[] { (c, "memory"), ("memory", c) }));

    /// <summary>A fresh, empty store of the medium, with its own scratch directory for media that live on disk.</summary>
    public static ObjectStore Create(string name, List<IDisposable> cleanup)
    {
        var scratch = new TempDirectory("composites");
        cleanup.Add(scratch);
        var store = Factory(name)(scratch.Path);
        cleanup.Insert(0, store);
        return store;
    }
}
