using YamlDotNet.RepresentationModel;

namespace ObjectStorage;

/// <summary>One store entry of a <see cref="StoreConfigFile"/> as the settings its type's factory reads.</summary>
internal sealed class YamlStoreSettings(StoreConfigFile.BuildRun build, string name, string type, YamlMappingNode entry) : StoreConfigSettings
{
    private readonly YamlMappingNode? _config = entry.Children.TryGetValue("config", out var config) ? config as YamlMappingNode : null;

    public override string Name => name;

    public override string Type => type;

    public override string? Value(string key)
    {
        if (Config() is not { } config || !config.Children.TryGetValue(key, out var node)) return null;
        if (node is not YamlScalarNode scalar) throw At(node, $"config \"{key}\" must be a single value");
        return StoreConfigFile.IsNull(scalar) ? null : build.File.Substitute(scalar.Value ?? "", StoreConfigFile.LineOf(node), name);
    }

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> Maps(string key)
    {
        if (Config() is not { } config || !config.Children.TryGetValue(key, out var node)) return [];
        if (node is not YamlSequenceNode items) throw At(node, $"config \"{key}\" must be a list of maps");
        var maps = new List<IReadOnlyDictionary<string, string>>();
        foreach (var item in items)
        {
            if (item is not YamlMappingNode map) throw At(item, $"each item of \"{key}\" must be a map");
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                if (StoreConfigFile.Text(k) is not { } itemKey || v is not YamlScalarNode scalar || StoreConfigFile.IsNull(scalar))
                    throw At(v, $"each item of \"{key}\" must map names to single values");
                values[itemKey] = build.File.Substitute(scalar.Value ?? "", StoreConfigFile.LineOf(v), name);
            }
            maps.Add(values);
        }
        return maps;
    }

    public override ObjectStore Base() => BaseNode() switch
    {
        YamlScalarNode reference => Reference(reference),
        YamlMappingNode inline when IsInline(inline) => Inline(inline, "base"),
        var other => throw At(other, $"{type} rests on one store: write \"base: name\""),
    };

    public override IReadOnlyList<ObjectStore> BaseList()
    {
        if (BaseNode() is not YamlSequenceNode items) throw At(entry, $"{type} rests on a list of stores: write \"base: [a, b]\"");
        if (items.Children.Count == 0) throw At(items, $"{type} needs at least one store in \"base\"");
        return [.. items.Children.Select((item, i) => Store(item, $"base[{i}]"))];
    }

    public override ObjectStore BaseNamed(string role)
    {
        if (BaseNode() is not YamlMappingNode roles || IsInline(roles))
            throw At(entry, $"{type} rests on stores by role: write \"base:\" with \"{role}: name\"");
        if (!roles.Children.TryGetValue(role, out var node)) throw At(roles, $"\"base\" has no \"{role}\"");
        return Store(node, role);
    }

    public override ObjectStore Build(string storeName) => build.Named(storeName, Config());

    public override void AllowOnly(params string[] known)
    {
        if (Config() is not { } config) return;
        foreach (var key in config.Children.Keys)
            if (Array.IndexOf(known, StoreConfigFile.Text(key)) < 0)
                throw At(key, $"unknown config \"{StoreConfigFile.Text(key)}\" for {type} " +
                    (known.Length == 0 ? "(it takes none)" : $"(it takes {string.Join(", ", known)})"));
    }

    public override Exception Invalid(string message) => At(entry, message);

    private YamlMappingNode? Config() => entry.Children.TryGetValue("config", out var node) && node is not YamlMappingNode && !(node is YamlScalarNode s && StoreConfigFile.IsNull(s))
        ? throw At(node, "\"config:\" must be a map of names to values")
        : _config;

    private YamlNode BaseNode() =>
        entry.Children.TryGetValue("base", out var node) ? node : throw At(entry, $"{type} needs \"base:\", the store it rests on");

    private ObjectStore Store(YamlNode node, string role) => node switch
    {
        YamlScalarNode reference => Reference(reference),
        YamlMappingNode inline when IsInline(inline) => Inline(inline, role),
        _ => throw At(node, $"\"{role}\" must name a store or define one inline with \"type:\""),
    };

    private ObjectStore Reference(YamlScalarNode reference)
    {
        var referenced = StoreConfigFile.Text(reference) ?? throw At(reference, "a store name is missing");
        return build.Named(build.File.Substitute(referenced, StoreConfigFile.LineOf(reference), name), reference);
    }

    // An inline store is named after its place, so that errors can point at it.
    private ObjectStore Inline(YamlMappingNode definition, string role)
    {
        foreach (var key in definition.Children.Keys)
            if (StoreConfigFile.Text(key) is not ("type" or "config" or "base"))
                throw At(key, $"unknown key \"{StoreConfigFile.Text(key)}\" in an inline store (a store has type, config and base)");
        return build.Entry($"{name}.{role}", definition);
    }

    private static bool IsInline(YamlMappingNode node) => node.Children.ContainsKey("type");

    private StoreConfigException At(YamlNode node, string message) => new(build.File.Source, StoreConfigFile.LineOf(node), name, message);
}
