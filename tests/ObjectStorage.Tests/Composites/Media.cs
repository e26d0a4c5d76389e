using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Composites;

/// <summary>
/// The media that sync and copy tests run between, one line each; adding a medium (a
/// FilesystemStore in its scratch directory, a SqliteStore file, a BucketStore) adds it to every
/// pair. Composites and wrappers are media too.
/// </summary>
public static class Media
{
    private static readonly Dictionary<string, Func<string, ObjectStore>> Factories = new()
    {
        ["memory"] = _ => new DictStore(),
        ["gzip(memory)"] = _ => new GzipStore(new DictStore()),
        ["prefix(memory)"] = _ => new PrefixStore(new DictStore(), "under/here"),
        ["fanout(memory,memory)"] = _ => new FanoutStore(new DictStore(), new DictStore()),
    };

    /// <summary>The names of every medium.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Every ordered pair of media, a medium with itself included.</summary>
    public static IEnumerable<(string Source, string Target)> Pairs =>
        Factories.Keys.SelectMany(source => Factories.Keys.Select(target => (source, target)));

    /// <summary>A fresh, empty store of the medium, with its own scratch directory for media that live on disk.</summary>
    public static ObjectStore Create(string name, List<IDisposable> cleanup)
    {
        var scratch = new TempDirectory("composites");
        cleanup.Add(scratch);
        var store = Factories[name](scratch.Path);
        cleanup.Insert(0, store);
        return store;
    }
}
