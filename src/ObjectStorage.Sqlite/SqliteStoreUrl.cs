[assembly: ObjectStorage.StoreUrlProvider(typeof(ObjectStorage.SqliteStoreUrl.Provider))]

namespace ObjectStorage;

/// <summary>
/// The <c>sqlite://</c> store URL: <c>sqlite:///abs/path/to.db</c>, <c>sqlite://relative.db</c>
/// (relative to the current directory) or <c>sqlite://:memory:</c>, with options
/// <c>readonly</c>, <c>busy_timeout</c> (seconds), <c>durable</c> and <c>page_size</c> (bytes, for a new file).
/// </summary>
public static class SqliteStoreUrl
{
    private static readonly StoreUrlScheme s_scheme = new("sqlite", Open, ["sqlite:///path/to.db (or sqlite://relative.db)[?readonly=true&busy_timeout=30&durable=true]"]);

    /// <summary>Registers the <c>sqlite</c> scheme with <see cref="StoreUrl"/>, which already finds it in a referencing application; calling it again does no harm.</summary>
    public static void Register() => StoreUrl.Register(s_scheme);

    private static ObjectStore Open(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("readonly", "busy_timeout", "durable", "page_size");
        var path = url.RequirePath();
        bool inMemory = path == ":memory:";
        // Only reading: a missing database is an error, not an empty file left behind.
        if (access == StoreAccess.Read && !inMemory && !File.Exists(path))
            throw new FileNotFoundException($"{url}: no database at {Path.GetFullPath(path)}", path);
        return new SqliteStore(path, new SqliteStoreOptions
        {
            // Opened to read, the file is never written: no table is made and no journal mode changed.
            ReadOnly = url.BoolOption("readonly", false) || (access == StoreAccess.Read && !inMemory),
            BusyTimeout = TimeSpan.FromSeconds(url.IntOption("busy_timeout", 30, min: 0, max: 3600)),
            DurableCommits = url.BoolOption("durable", false),
            PageSize = PageSize(url.Option("page_size") is null ? null : url.IntOption("page_size", 0, min: 512, max: 65536), url.Invalid),
        });
    }

    // The Python original's SqliteStore(db_path), with this store's options beside it.
    private static ObjectStore FromConfig(StoreConfigSettings config)
    {
        config.AllowOnly("db_path", "readonly", "busy_timeout", "durable", "page_size");
        return new SqliteStore(config.Require("db_path"), new SqliteStoreOptions
        {
            ReadOnly = config.Bool("readonly", false),
            BusyTimeout = TimeSpan.FromSeconds(config.Int("busy_timeout", 30, min: 0, max: 3600)),
            DurableCommits = config.Bool("durable", false),
            PageSize = PageSize(config.Value("page_size") is null ? null : config.Int("page_size", 0, min: 512, max: 65536), config.Invalid),
        });
    }

    // A page size for a new file, null for SQLite's default; the range is checked as the number is read.
    private static int? PageSize(int? size, Func<string, Exception> invalid) =>
        size is { } bytes && !SqliteStoreOptions.IsPageSize(bytes) ? throw invalid($"\"page_size\" must be a power of two from 512 to 65536, not {bytes}") : size;

    /// <summary>Declares the <c>sqlite</c> scheme and the <c>SqliteStore</c> configuration type to <see cref="StoreUrl"/>'s discovery.</summary>
    internal sealed class Provider : IStoreUrlProvider
    {
        public IEnumerable<StoreUrlScheme> Schemes => [s_scheme];

        public IEnumerable<StoreConfigType> ConfigTypes => [new("SqliteStore", FromConfig), new("AsyncSqliteStore", FromConfig)];
    }
}
