using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ObjectStorage;

/// <summary>
/// The named stores as a graph: each store refers to others by name or opens URLs of its own.
/// <see cref="Validate"/> finds every mistake without opening anything (run when the host starts);
/// <see cref="Build"/> makes one store when it is first resolved.
/// </summary>
internal static class StoreGraph
{
    public static List<string> Validate(ObjectStorageOptions options)
    {
        var errors = new List<string>();
        foreach (var (name, settings) in options.Stores)
        {
            errors.AddRange(settings.Problems);
            var origin = OriginOf(name, settings);
            var type = TypeOf(settings);
            if (type is null)
            {
                errors.Add($"{origin}: neither Url nor Type is set (give a store URL such as mem:// or file:///data, or a Type: {string.Join(", ", StoreTypes.All)})");
                continue;
            }
            if (Array.IndexOf(StoreTypes.All, type) < 0)
            {
                errors.Add($"{origin}:Type = \"{settings.Type}\": unknown store type (expected {string.Join(", ", StoreTypes.All)})");
                continue;
            }
            if (type == StoreTypes.Url)
            {
                if (StoreUrls.Problem(settings.Url ?? "") is { } problem)
                    errors.Add($"{origin}:Url = \"{settings.Url}\": {problem}");
                continue;
            }
            foreach (var (field, value) in References(settings, type))
            {
                if (string.IsNullOrEmpty(value))
                    errors.Add($"{origin}:{field} is missing: a {type} store needs it (the name of another store or a store URL)");
                else if (!options.Stores.ContainsKey(value) && ReferenceProblem(value) is { } problem)
                    errors.Add($"{origin}:{field} = \"{value}\": neither the name of a configured store nor a usable store URL ({problem})");
            }
            if (type == StoreTypes.Fanout && settings.Children.Count == 0)
                errors.Add($"{origin}:Children is empty: a fanout store needs at least one child");
            if (type == StoreTypes.Prefix && string.IsNullOrEmpty(settings.Prefix))
                errors.Add($"{origin}:Prefix is missing: a prefix store needs the key prefix it lives under");
            else if (type == StoreTypes.Prefix && ObjectKey.FindBrokenRule(settings.Prefix!.EndsWith('/') ? settings.Prefix[..^1] : settings.Prefix, isPrefix: false) is { } rule)
                errors.Add($"{origin}:Prefix = \"{settings.Prefix}\": {rule}");
        }
        errors.AddRange(Cycles(options));
        return errors;
    }

    public static ObjectStore Build(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptions<ObjectStorageOptions>>().Value;
        var settings = options.Stores[name];
        var origin = OriginOf(name, settings);

        var type = TypeOf(settings);
        // A read-only view opens its own URL for reading, so that it never creates a store.
        var access = type == StoreTypes.ReadOnly ? StoreAccess.Read : StoreAccess.ReadWrite;

        ObjectStore Resolve(string field, string reference) =>
            options.Stores.ContainsKey(reference)
                ? services.GetRequiredKeyedService<ObjectStore>(reference)
                : services.GetRequiredService<InlineStores>().Add(Open($"{origin}:{field}", reference, access));

        ObjectStore store = type switch
        {
            StoreTypes.Caching => new CachingStore(Resolve("Main", settings.Main!), Resolve("Cache", settings.Cache!),
                new CachingOptions { MaxObjectBytes = settings.MaxObjectBytes, OwnsStores = false }),
            StoreTypes.Fanout => new FanoutStore(settings.Children.Select((child, i) => Resolve($"Children:{i}", child)).ToList(),
                new FanoutOptions { ReadRepair = settings.ReadRepair, OwnsChildren = false }),
            StoreTypes.ReadOnly => new ReadOnlyStore(Resolve("Inner", settings.Inner!), leaveOpen: true),
            StoreTypes.Prefix => new PrefixStore(Resolve("Inner", settings.Inner!), settings.Prefix!, leaveOpen: true),
            _ => Open($"{origin}:Url", settings.Url!, access),
        };
        if (!settings.Log) return store;
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        return new LoggingStore(store, loggers.CreateLogger("ObjectStorage.Stores." + name));
    }

    private static ObjectStore Open(string what, string url, StoreAccess access)
    {
        try
        {
            return StoreUrls.Open(url, access);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{what} = \"{url}\": the store could not be opened: {e.Message}", e);
        }
    }

    // A bare word is a directory to StoreUrl, but here it is far more likely a misspelt store
    // name: a reference that is not a name must say it is a URL or a path.
    private static string? ReferenceProblem(string reference) =>
        reference.Contains("://", StringComparison.Ordinal) || reference.Contains('/') || reference.Contains('\\')
            ? StoreUrls.Problem(reference)
            : $"no store has that name; for a directory write ./{reference} or file://{reference}";

    private static string? TypeOf(StoreSettings settings) =>
        settings.Type?.Trim().ToLowerInvariant() ?? (settings.Url is null ? null : StoreTypes.Url);

    private static string OriginOf(string name, StoreSettings settings) =>
        settings.Origin.Length > 0 ? settings.Origin : $"ObjectStorage:Stores:{name}";

    private static IEnumerable<(string Field, string? Value)> References(StoreSettings settings, string type) => type switch
    {
        StoreTypes.Caching => [("Main", settings.Main), ("Cache", settings.Cache)],
        StoreTypes.Fanout => settings.Children.Select(static (child, i) => ($"Children:{i}", (string?)child)),
        StoreTypes.ReadOnly => [("Inner", settings.Inner)],
        StoreTypes.Prefix => [("Inner", settings.Inner)],
        _ => [],
    };

    // A store that reaches itself through names could never be built: report the loop.
    private static IEnumerable<string> Cycles(ObjectStorageOptions options)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in options.Stores.Keys)
        {
            var path = new List<string>();
            if (FindLoop(start, path) is { } loop && reported.Add(loop[0]))
                yield return $"{OriginOf(loop[0], options.Stores[loop[0]])}: refers back to itself through {string.Join(" -> ", loop)}";
        }

        List<string>? FindLoop(string name, List<string> path)
        {
            int seen = path.IndexOf(name);
            if (seen >= 0) return [.. path.Skip(seen), name];
            if (done.Contains(name) || !options.Stores.TryGetValue(name, out var settings)) return null;
            path.Add(name);
            var type = TypeOf(settings);
            foreach (var (field, value) in type is null ? [] : References(settings, type))
            {
                if (value is null || !options.Stores.ContainsKey(value)) continue;
                if (FindLoop(value, path) is { } loop) return loop;
            }
            path.RemoveAt(path.Count - 1);
            done.Add(name);
            return null;
        }
    }
}
