using System.IO.Compression;
using System.Text.RegularExpressions;

[assembly: ObjectStorage.StoreUrlProvider(typeof(ObjectStorage.CoreStoreConfigTypes))]

namespace ObjectStorage;

/// <summary>
/// The configuration types of the core package's stores, wrappers and composites, under the Python
/// original's class names (and its <c>Async...</c> twins, which are the same stores here) and this
/// library's own. Declared from this package because the core's media may not use its wrappers.
/// </summary>
internal sealed class CoreStoreConfigTypes : IStoreUrlProvider
{
    public IEnumerable<StoreUrlScheme> Schemes => [];

    public IEnumerable<StoreConfigType> ConfigTypes =>
    [
        new("DictStore", Dict),
        .. Twins(["FilesystemStore", "AsyncFilesystemStore"], Filesystem),
        .. Twins(["HashdirStore", "AsyncHashdirStore"], Hashdir),
        .. Twins(["SafeFilesystemStore", "AsyncSafeFilesystemStore"], SafeFilesystem),
        new("ZipStore", Zip),
        .. Twins(["HttpStore", "AsyncHttpStore"], Http),
        .. Twins(["MirroringStore", "FanoutStore", "AsyncFanoutStore"], Fanout),
        .. Twins(["CachingStore", "AsyncCachingStore"], Caching),
        .. Twins(["IdentityStore", "AsyncIdentityStore"], static c => Wrap(c, static inner => inner)),
        .. Twins(["ReadonlyStore", "ReadOnlyStore", "AsyncReadonlyStore"], static c => Wrap(c, static inner => new ReadOnlyStore(inner))),
        .. Twins(["WriteonlyStore", "WriteOnlyStore", "AsyncWriteonlyStore"], static c => Wrap(c, static inner => new WriteOnlyStore(inner))),
        .. Twins(["NotifyingStore", "AsyncNotifyingStore"], static c => Wrap(c, static inner => new NotifyingStore(inner))),
        .. Twins(["GzipStore", "AsyncGzipStore"], static c => Wrap(c, static inner => new GzipStore(inner, CompressionLevel.Fastest))),
        .. Twins(["PrefixStore", "AsyncPrefixStore"], Prefix),
        .. Twins(["HashPrefixStore", "AsyncHashPrefixStore"], HashPrefix),
        .. Twins(["RegexValidatingStore", "KeyValidatingStore", "AsyncRegexValidatingStore"], RegexValidating),
        .. Twins(["UrlValidatingStore", "AsyncUrlValidatingStore"], UrlValidating),
        new("RoutingStore", Routing),
    ];

    private static IEnumerable<StoreConfigType> Twins(string[] names, StoreConfigFactory factory) => names.Select(name => new StoreConfigType(name, factory));

    private static ObjectStore Dict(StoreConfigSettings c)
    {
        c.AllowOnly("capacity_bytes");
        return c.Value("capacity_bytes") is null ? new DictStore() : new DictStore(c.Int("capacity_bytes", 0, min: 1));
    }

    private static ObjectStore Filesystem(StoreConfigSettings c)
    {
        c.AllowOnly("root_path", "fsync", "links");
        return new FilesystemStore(c.Require("root_path"), TreeOptions(c));
    }

    private static ObjectStore Hashdir(StoreConfigSettings c)
    {
        c.AllowOnly("root_path", "width", "depth", "fsync", "links");
        return new HashdirStore(c.Require("root_path"), c.Int("width", 2, min: 1, max: 8), c.Int("depth", 3, min: 0, max: 8), TreeOptions(c));
    }

    private static ObjectStore SafeFilesystem(StoreConfigSettings c)
    {
        c.AllowOnly("root_path", "fsync", "links");
        return new SafeFilesystemStore(c.Require("root_path"), TreeOptions(c));
    }

    private static FilesystemStoreOptions TreeOptions(StoreConfigSettings c) => new()
    {
        FlushToDisk = c.Bool("fsync", false),
        Links = c.Value("links") switch
        {
            null or "skip" => LinkPolicy.Skip,
            "follow-inside-root" => LinkPolicy.FollowInsideRoot,
            var other => throw c.Invalid($"config \"links\" must be skip or follow-inside-root, not \"{other}\""),
        },
    };

    private static ObjectStore Zip(StoreConfigSettings c)
    {
        c.AllowOnly("path", "mode");
        var mode = c.Value("mode") switch
        {
            null or "update" => ZipStoreMode.Update,
            "read" => ZipStoreMode.Read,
            "create" => ZipStoreMode.Create,
            var other => throw c.Invalid($"config \"mode\" must be read, create or update, not \"{other}\""),
        };
        return new ZipStore(c.Require("path"), new ZipStoreOptions { Mode = mode });
    }

    private static ObjectStore Http(StoreConfigSettings c)
    {
        c.AllowOnly("follow_redirects", "base_url");
        var options = new HttpStoreOptions { FollowRedirects = c.Bool("follow_redirects", true) };
        if (c.Value("base_url") is not { } address) return new HttpStore(options);
        return Uri.TryCreate(address, UriKind.Absolute, out var url)
            ? new HttpStore(url, options)
            : throw c.Invalid($"config \"base_url\" must be an absolute http or https URL, not \"{address}\"");
    }

    private static ObjectStore Fanout(StoreConfigSettings c)
    {
        c.AllowOnly();
        return new FanoutStore(c.BaseList());
    }

    private static ObjectStore Caching(StoreConfigSettings c)
    {
        c.AllowOnly();
        return new CachingStore(c.BaseNamed("main_store"), c.BaseNamed("cache_store"));
    }

    private static ObjectStore Wrap(StoreConfigSettings c, Func<ObjectStore, ObjectStore> wrap)
    {
        c.AllowOnly();
        return wrap(c.Base());
    }

    // The original joins prefix + key as strings; this PrefixStore takes whole key segments, which is the same only for a prefix ending in '/'.
    private static ObjectStore Prefix(StoreConfigSettings c)
    {
        c.AllowOnly("prefix");
        var prefix = c.Require("prefix");
        if (!prefix.EndsWith('/'))
            throw c.Invalid($"config \"prefix\" must end with '/' (\"{prefix}/\"): a prefix here is whole key segments, while the original also joined \"{prefix}\" + key");
        return new PrefixStore(c.Base(), prefix);
    }

    private static ObjectStore HashPrefix(StoreConfigSettings c)
    {
        c.AllowOnly("hash_length", "separator");
        return new HashPrefixStore(c.Base(), c.Int("hash_length", 8, min: 1, max: 64), c.Value("separator") ?? "/");
    }

    private static ObjectStore RegexValidating(StoreConfigSettings c)
    {
        c.AllowOnly("pattern");
        return new KeyValidatingStore(c.Base(), Pattern(c, c.Require("pattern")));
    }

    // The original's validate_http_url_key: the key parses as a URL whose scheme is http or https.
    private static ObjectStore UrlValidating(StoreConfigSettings c)
    {
        c.AllowOnly();
        return new KeyValidatingStore(c.Base(), static key => Uri.TryCreate(key, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
            "is an http or https URL");
    }

    private static ObjectStore Routing(StoreConfigSettings c)
    {
        c.AllowOnly("routes");
        var routes = c.Maps("routes").Select((route, i) =>
        {
            if (!route.TryGetValue("pattern", out var pattern) || !route.TryGetValue("store", out var store) || route.Count != 2)
                throw c.Invalid($"route {i + 1} must have exactly \"pattern\" and \"store\"");
            return new StoreRoute(Pattern(c, pattern), c.Build(store));
        }).ToList();
        return new RoutingStore(routes, c.Base());
    }

    private static Regex Pattern(StoreConfigSettings c, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw c.Invalid($"\"{pattern}\" is not a regular expression: {e.Message}");
        }
    }
}
