using System.Globalization;

namespace ObjectStorage;

/// <summary>Makes the store one entry of a configuration file describes; declared per type name by an <see cref="IStoreUrlProvider"/>'s <see cref="IStoreUrlProvider.ConfigTypes"/>.</summary>
public delegate ObjectStore StoreConfigFactory(StoreConfigSettings settings);

/// <summary>One store type that configuration files can name (<c>type: SqliteStore</c>), with the factory that builds it.</summary>
public sealed record StoreConfigType(string Name, StoreConfigFactory Factory);

/// <summary>
/// The settings of one configured store, independent of the file format: its <c>config</c> values,
/// its <c>base</c> stores, and errors that name the store, the file and the line. A configuration
/// loader (the ObjectStorage.Configuration package reads the Python original's YAML) implements it.
/// </summary>
public abstract class StoreConfigSettings
{
    /// <summary>The store's name in the file.</summary>
    public abstract string Name { get; }

    /// <summary>The type the entry names.</summary>
    public abstract string Type { get; }

    /// <summary>The <c>config</c> value <paramref name="key"/> as text, variables substituted; null when absent.</summary>
    public abstract string? Value(string key);

    /// <summary>The <c>config</c> value <paramref name="key"/> as a list of maps of text (for example routes); empty when absent.</summary>
    public abstract IReadOnlyList<IReadOnlyDictionary<string, string>> Maps(string key);

    /// <summary>The single <c>base</c> store (<c>base: name</c>), built; throws <see cref="Invalid(string)"/>'s exception when there is none.</summary>
    public abstract ObjectStore Base();

    /// <summary>The <c>base</c> stores given as a list (<c>base: [a, b]</c>), built in order.</summary>
    public abstract IReadOnlyList<ObjectStore> BaseList();

    /// <summary>The <c>base</c> store under <paramref name="role"/> of a map (<c>base: {main_store: a, cache_store: b}</c>), built.</summary>
    public abstract ObjectStore BaseNamed(string role);

    /// <summary>Builds the store named <paramref name="name"/> in the same file (for settings that refer to stores, such as routes).</summary>
    public abstract ObjectStore Build(string name);

    /// <summary>Throws <see cref="Invalid(string)"/>'s exception when <c>config</c> holds a key not in <paramref name="known"/>.</summary>
    public abstract void AllowOnly(params string[] known);

    /// <summary>An exception for a wrong setting of this store, naming the store, its type, the file and the line.</summary>
    public abstract Exception Invalid(string message);

    /// <summary>
    /// The store a <c>url</c> value names (a <paramref name="scheme"/>:// store URL, opened by
    /// <paramref name="open"/>), for types whose settings are their store URL; <paramref name="aliases"/>
    /// are other keys accepted for it. Refuses any other key, a missing URL and one of another scheme.
    /// </summary>
    public ObjectStore OpenUrl(string scheme, StoreUrlFactory open, params string[] aliases)
    {
        ArgumentNullException.ThrowIfNull(open);
        AllowOnly(["url", .. aliases]);
        var url = Value("url") ?? aliases.Select(Value).FirstOrDefault(static v => v is not null)
            ?? throw Invalid($"\"url\" is missing (for example url: {scheme}://...)");
        if (!url.StartsWith(scheme + "://", StringComparison.OrdinalIgnoreCase)) throw Invalid($"\"url\" must start with {scheme}://, not \"{url}\"");
        return open(StoreUrl.Parse(url), StoreAccess.ReadWrite);
    }

    /// <summary>The <c>config</c> value <paramref name="key"/>; throws when absent or empty.</summary>
    public string Require(string key) =>
        Value(key) is { Length: > 0 } value ? value : throw Invalid($"config \"{key}\" is required for {Type}");

    /// <summary>A whole-number value within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (Value(key) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number) || number < min || number > max)
            throw Invalid($"config \"{key}\" must be a whole number from {min} to {max}, not \"{text}\"");
        return number;
    }

    /// <summary>A yes/no value (<c>true/false/yes/no/1/0</c>, any case), or <paramref name="fallback"/> when absent.</summary>
    public bool Bool(string key, bool fallback)
    {
        if (Value(key) is not { } text) return fallback;
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw Invalid($"config \"{key}\" must be true or false, not \"{text}\""),
        };
    }
}
