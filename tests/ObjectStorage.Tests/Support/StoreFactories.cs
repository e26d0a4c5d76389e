namespace ObjectStorage.Tests.Support;

/// <summary>
/// A fresh store and what must be cleaned up after it. A store on disk lives in
/// <see cref="Root"/> inside a <see cref="Sandbox"/> directory, so a test can check that nothing
/// was written beside the root.
/// </summary>
public sealed class StoreUnderTest(ObjectStore store, IDisposable? cleanup = null, string? sandbox = null, string? root = null) : IDisposable
{
    public ObjectStore Store { get; } = store;

    public string? Sandbox { get; } = sandbox;

    public string? Root { get; } = root;

    /// <summary>Makes a store whose files live in a new sandbox directory; <paramref name="create"/> gets the root path inside it.</summary>
    public static StoreUnderTest InSandbox(string tag, Func<string, ObjectStore> create)
    {
        var sandbox = new TempDirectory(tag);
        var root = Path.Combine(sandbox.Path, "root");
        try
        {
            return new StoreUnderTest(create(root), sandbox, sandbox.Path, root);
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Store.Dispose();
        cleanup?.Dispose();
    }
}

/// <summary>
/// Every kind of store the cross-store tests (model-based, hostile input, sync matrix) run on, by
/// name. Adding a medium or composite here puts it under all of them.
/// </summary>
public static class StoreFactories
{
    /// <summary>
    /// <paramref name="CannotHold"/> says why the store may refuse a valid key by a limit of its
    /// medium (a prefix that leaves less room, a stand-in server), or null when it must hold it.
    /// </summary>
    public sealed record Factory(string Name, Func<StoreUnderTest> Create, bool KeysMayNestUnderKeys = true, bool Concurrent = true,
        Func<string, string?>? CannotHold = null);

    public static IReadOnlyList<Factory> All { get; } =
    [
        new("dict", () => new StoreUnderTest(new DictStore())),
        new("async-only", () => new StoreUnderTest(new AsyncOnlyStore())),
        new("filesystem", () => StoreUnderTest.InSandbox("fs", root => new FilesystemStore(root)), KeysMayNestUnderKeys: false),
        new("hashdir", () => StoreUnderTest.InSandbox("hashdir", root => new HashdirStore(root))),
        new("sqlite", () => StoreUnderTest.InSandbox("sqlite", root => new SqliteStore(root + ".db"))),
        new("zip", () => StoreUnderTest.InSandbox("zip", root => new ZipStore(root + ".zip"))),
        new("fanout", () => new StoreUnderTest(new FanoutStore(new DictStore(), new AsyncOnlyStore()))),
        new("caching", () => new StoreUnderTest(new CachingStore(new AsyncOnlyStore(), new DictStore(64 * 1024)))),
        new("prefix", () => new StoreUnderTest(new PrefixStore(new DictStore(), "tenant/a")),
            CannotHold: key => System.Text.Encoding.UTF8.GetByteCount("tenant/a/" + key) > ObjectKey.MaxBytes ? "the prefix leaves less room" : null),
        new("gzip", () => new StoreUnderTest(new GzipStore(new DictStore()))),
        .. Servers(),
    ];

    /// <summary>
    /// Stores on the S3 test servers: s3rver always (its tests skip where it cannot start), Ceph RGW
    /// where the environment names it (.ci/run).
    /// </summary>
    private static IEnumerable<Factory> Servers()
    {
        yield return new("s3", () => new StoreUnderTest(new BucketStore(S3TestServer.S3rver.Options(S3TestServer.NewPrefix("cross")))), Concurrent: false,
            CannotHold: key => CannotHoldUnderPrefix(key) ?? S3TestServer.S3rver.CannotHold(key));
        if (S3TestServer.Rgw.Configured)
            yield return new("rgw", () => new StoreUnderTest(new BucketStore(S3TestServer.Rgw.Options(S3TestServer.NewPrefix("cross")))),
                CannotHold: key => CannotHoldUnderPrefix(key) ?? S3TestServer.Rgw.CannotHold(key));
    }

    // A store under a test prefix has less room for the key than ObjectKey.MaxBytes.
    private static string? CannotHoldUnderPrefix(string key) =>
        System.Text.Encoding.UTF8.GetByteCount(S3TestServer.NewPrefix("cross") + "/" + key) > ObjectKey.MaxBytes ? "the prefix leaves less room" : null;

    public static Factory Named(string name) => All.First(f => f.Name == name);

    public static TheoryData<string> Names(Func<Factory, bool>? where = null)
    {
        var data = new TheoryData<string>();
        foreach (var factory in All.Where(where ?? (_ => true))) data.Add(factory.Name);
        return data;
    }
}
