using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ObjectStorage;

/// <summary>
/// One named store: a store URL, or a composite over other stores, each given as the name of
/// another configured store or as a URL. In appsettings.json it is one entry under
/// <c>ObjectStorage:Stores</c>, e.g. <c>"media": { "Url": "s3://bucket/media" }</c>,
/// <c>"media": "s3://bucket/media"</c> for short, or
/// <c>"fast": { "Type": "caching", "Main": "media", "Cache": "mem://" }</c>.
/// </summary>
public sealed class StoreSettings
{
    /// <summary>The kind of store; <see cref="StoreTypes.Url"/> when left out and <see cref="Url"/> is set.</summary>
    public string? Type { get; set; }

    /// <summary>For <see cref="StoreTypes.Url"/>: the store URL (<c>mem://</c>, <c>file:///path</c>, <c>sqlite:///path.db</c>, <c>s3://bucket/prefix</c>...).</summary>
    public string? Url { get; set; }

    /// <summary>For <see cref="StoreTypes.Caching"/>: the store of record, by name or URL.</summary>
    public string? Main { get; set; }

    /// <summary>For <see cref="StoreTypes.Caching"/>: the cache in front of <see cref="Main"/>, by name or URL.</summary>
    public string? Cache { get; set; }

    /// <summary>For <see cref="StoreTypes.Caching"/>: objects larger than this are not cached (see <see cref="CachingOptions.MaxObjectBytes"/>).</summary>
    public long? MaxObjectBytes { get; set; }

    /// <summary>For <see cref="StoreTypes.Fanout"/>: the stores every write goes to, by name or URL; reads come from the first that has the key.</summary>
    public IList<string> Children { get; set; } = [];

    /// <summary>For <see cref="StoreTypes.Fanout"/>: see <see cref="FanoutOptions.ReadRepair"/>.</summary>
    public bool ReadRepair { get; set; }

    /// <summary>For <see cref="StoreTypes.ReadOnly"/> and <see cref="StoreTypes.Prefix"/>: the wrapped store, by name or URL.</summary>
    public string? Inner { get; set; }

    /// <summary>For <see cref="StoreTypes.Prefix"/>: the key prefix the store lives under in <see cref="Inner"/>.</summary>
    public string? Prefix { get; set; }

    /// <summary>Wraps the store in a <see cref="LoggingStore"/> logging to the category <c>ObjectStorage.Stores.&lt;name&gt;</c>.</summary>
    public bool Log { get; set; }

    // Where the settings came from ("ObjectStorage:Stores:media" or "AddObjectStore(\"media\")"), for messages.
    internal string Origin { get; set; } = "";

    // Values that could not be read from configuration (a non-number MaxObjectBytes...), reported at start-up.
    internal List<string> Problems { get; } = [];

    /// <summary>Reads one store entry of configuration; values that cannot be read are reported when the host starts.</summary>
    public static StoreSettings FromConfiguration(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var settings = new StoreSettings { Origin = section.Path };
        if (section.Value is { } shorthand)
        {
            settings.Url = shorthand;
            return settings;
        }
        settings.Type = section[nameof(Type)];
        settings.Url = section[nameof(Url)];
        settings.Main = section[nameof(Main)];
        settings.Cache = section[nameof(Cache)];
        settings.Inner = section[nameof(Inner)];
        settings.Prefix = section[nameof(Prefix)];
        settings.Children = [.. section.GetSection(nameof(Children)).GetChildren().Select(static c => c.Value ?? "")];
        settings.ReadRepair = ReadBool(section, nameof(ReadRepair), settings.Problems);
        settings.Log = ReadBool(section, nameof(Log), settings.Problems);
        if (section[nameof(MaxObjectBytes)] is { } max)
        {
            if (long.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes) && bytes >= 0) settings.MaxObjectBytes = bytes;
            else settings.Problems.Add($"{section.Path}:{nameof(MaxObjectBytes)} = \"{max}\": not a byte count (a whole number, 0 or more)");
        }
        return settings;
    }

    private static bool ReadBool(IConfigurationSection section, string name, List<string> problems)
    {
        if (section[name] is not { } text) return false;
        if (bool.TryParse(text, out bool value)) return value;
        problems.Add($"{section.Path}:{name} = \"{text}\": not true or false");
        return false;
    }
}

/// <summary>The values of <see cref="StoreSettings.Type"/> (case-insensitive).</summary>
public static class StoreTypes
{
    /// <summary>A store opened from <see cref="StoreSettings.Url"/>.</summary>
    public const string Url = "url";

    /// <summary>A <see cref="CachingStore"/> of <see cref="StoreSettings.Main"/> cached in <see cref="StoreSettings.Cache"/>.</summary>
    public const string Caching = "caching";

    /// <summary>A <see cref="FanoutStore"/> over <see cref="StoreSettings.Children"/>.</summary>
    public const string Fanout = "fanout";

    /// <summary>A <see cref="ReadOnlyStore"/> over <see cref="StoreSettings.Inner"/>.</summary>
    public const string ReadOnly = "readonly";

    /// <summary>A <see cref="PrefixStore"/> over <see cref="StoreSettings.Inner"/> under <see cref="StoreSettings.Prefix"/>.</summary>
    public const string Prefix = "prefix";

    internal static readonly string[] All = [Url, Caching, Fanout, ReadOnly, Prefix];
}
