using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ObjectStorage;

/// <summary>
/// A configuration file in the Python original's format (its <c>StoreFactory</c>): named stores
/// under <c>stores:</c>, each with a <c>type</c> (the original's class names, <see cref="StoreConfigTypes"/>),
/// optional <c>config</c> values and a <c>base</c> (a store name, a list of names, a map of roles to
/// names, or an inline store), and the name of the <c>main</c> store. Values may hold
/// <c>${VAR}</c> and <c>${VAR:-default}</c>. See docs/configuration.md.
/// </summary>
/// <remarks>
/// Loading reads and checks the file's shape; each <see cref="Build(string?)"/> builds one store and
/// what it rests on, afresh, so that stores are made only when asked for and each build owns what it
/// returns. A store named twice within one build is built once and shared; a store that rests on
/// itself is refused. When a build fails, the stores it had made are disposed.
/// </remarks>
public sealed class StoreConfigFile
{
    private static readonly string[] EntryKeys = ["type", "config", "base"];

    private readonly Dictionary<string, YamlMappingNode> _stores;
    private readonly Func<string, string?> _variables;

    private StoreConfigFile(string source, Dictionary<string, YamlMappingNode> stores, string? main, Func<string, string?> variables)
    {
        Source = source;
        _stores = stores;
        Main = main;
        _variables = variables;
    }

    /// <summary>The file's path, or the name given to its text.</summary>
    public string Source { get; }

    /// <summary>The store <c>main:</c> names, built by <see cref="Build(string?)"/> without a name; null when the file names none.</summary>
    public string? Main { get; }

    /// <summary>The names of the stores the file defines, in file order.</summary>
    public IReadOnlyList<string> Names => [.. _stores.Keys];

    /// <summary>Reads the file at <paramref name="path"/>; throws <see cref="StoreConfigException"/> naming file and line when it is not a valid configuration.</summary>
    public static StoreConfigFile Load(string path, Func<string, string?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreConfigException(path, 0, null, $"cannot read the configuration file: {e.Message}", e);
        }
        return Parse(text, path, variables);
    }

    /// <summary>Reads configuration <paramref name="yaml"/>, naming it <paramref name="source"/> in errors; <paramref name="variables"/> replaces the environment for <c>${VAR}</c>.</summary>
    public static StoreConfigFile Parse(string yaml, string source = "configuration", Func<string, string?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new StoreConfigException(source, (int)e.Start.Line, null, $"not valid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections ("[a, b"), without a position.
            throw new StoreConfigException(source, 0, null, $"not valid YAML (an unclosed [ or {{?): {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new StoreConfigException(source, 0, null, "the file must be a map with \"stores:\" (and usually \"main:\")");
        var stores = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        string? main = null;
        foreach (var (keyNode, valueNode) in root.Children)
        {
            switch (Text(keyNode))
            {
                case "stores":
                    if (valueNode is not YamlMappingNode entries)
                        throw new StoreConfigException(source, LineOf(valueNode), null, "\"stores:\" must map store names to their definitions");
                    foreach (var (nameNode, definition) in entries.Children)
                    {
                        var name = Text(nameNode) ?? throw new StoreConfigException(source, LineOf(nameNode), null, "a store name must be text");
                        stores[name] = CheckEntry(source, name, definition);
                    }
                    break;
                case "main":
                    main = Text(valueNode) ?? throw new StoreConfigException(source, LineOf(valueNode), null, "\"main:\" must name a store");
                    break;
                default:
                    throw new StoreConfigException(source, LineOf(keyNode), null, $"unknown top-level key \"{Text(keyNode)}\" (a file has \"stores:\" and \"main:\")");
            }
        }
        if (main is not null && !stores.ContainsKey(main))
            throw new StoreConfigException(source, 0, null, $"\"main: {main}\" names no store (the file defines {Listed(stores.Keys)})");
        return new StoreConfigFile(source, stores, main, variables ?? Environment.GetEnvironmentVariable);
    }

    /// <summary>Builds the store named <paramref name="name"/> (the <see cref="Main"/> store when null) and the stores it rests on; throws <see cref="StoreConfigException"/> naming file, line and store.</summary>
    public ObjectStore Build(string? name = null)
    {
        name ??= Main ?? throw new StoreConfigException(Source, 0, null, $"the file names no \"main:\" store, so name one of {Listed(_stores.Keys)}");
        var build = new BuildRun(this);
        try
        {
            return build.Named(name, null);
        }
        catch
        {
            build.DisposeAll();
            throw;
        }
    }

    /// <summary>Builds every store of the file in one go, so that a store several others rest on is one instance; throws as <see cref="Build(string?)"/> does, after disposing what it had made.</summary>
    public IReadOnlyDictionary<string, ObjectStore> BuildAll()
    {
        var build = new BuildRun(this);
        try
        {
            return _stores.Keys.ToDictionary(name => name, name => build.Named(name, null), StringComparer.Ordinal);
        }
        catch
        {
            build.DisposeAll();
            throw;
        }
    }

    /// <summary>True when the file defines a store named <paramref name="name"/>.</summary>
    public bool Defines(string name) => _stores.ContainsKey(name);

    // ---- Reading the YAML --------------------------------------------------------------------

    internal static string? Text(YamlNode node) => node is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value : null;

    internal static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    internal static int LineOf(YamlNode node) => (int)node.Start.Line;

    internal static string Listed(IEnumerable<string> names) => string.Join(", ", names.Select(static n => $"\"{n}\""));

    internal string Substitute(string value, int line, string store) =>
        ConfigVariables.Substitute(value, _variables, message => new StoreConfigException(Source, line, store, message));

    private static YamlMappingNode CheckEntry(string source, string name, YamlNode definition)
    {
        if (definition is not YamlMappingNode entry)
            throw new StoreConfigException(source, LineOf(definition), name, "a store's definition must be a map with \"type:\" (and optionally \"config:\" and \"base:\")");
        foreach (var key in entry.Children.Keys)
            if (Array.IndexOf(EntryKeys, Text(key)) < 0)
                throw new StoreConfigException(source, LineOf(key), name, $"unknown key \"{Text(key)}\" (a store has type, config and base)");
        if (!entry.Children.TryGetValue("type", out var type) || Text(type) is null)
            throw new StoreConfigException(source, LineOf(entry), name, "\"type:\" is missing");
        return entry;
    }

    // ---- Building ----------------------------------------------------------------------------

    /// <summary>One call of <see cref="Build(string?)"/>: what it has made (shared by name) and what it is making (to refuse loops).</summary>
    internal sealed class BuildRun(StoreConfigFile file)
    {
        private readonly Dictionary<string, ObjectStore> _built = new(StringComparer.Ordinal);
        private readonly List<string> _making = [];
        private readonly List<ObjectStore> _all = [];

        public StoreConfigFile File => file;

        public ObjectStore Named(string name, YamlNode? reference)
        {
            if (_built.TryGetValue(name, out var done)) return done;
            if (!file._stores.TryGetValue(name, out var entry))
                throw new StoreConfigException(file.Source, reference is null ? 0 : LineOf(reference), _making.LastOrDefault(),
                    $"no store is named \"{name}\" (the file defines {Listed(file._stores.Keys)})");
            if (_making.Contains(name))
                throw new StoreConfigException(file.Source, reference is null ? LineOf(entry) : LineOf(reference), name,
                    $"Recursive store definition found -- {name} mentioned multiple times ({string.Join(" -> ", [.. _making, name])})");
            _making.Add(name);
            var store = Entry(name, entry);
            _making.RemoveAt(_making.Count - 1);
            _built[name] = store;
            return store;
        }

        public ObjectStore Entry(string name, YamlMappingNode entry)
        {
            var typeNode = entry.Children["type"];
            var typeName = Text(typeNode)!;
            var type = StoreConfigTypes.Find(typeName) ?? throw UnknownType(name, typeName, typeNode);
            var settings = new YamlStoreSettings(this, name, typeName, entry);
            ObjectStore store;
            try
            {
                store = type.Factory(settings);
            }
            catch (Exception e) when (e is not StoreConfigException and not OutOfMemoryException)
            {
                throw new StoreConfigException(file.Source, LineOf(entry), name, $"{typeName} cannot be built: {e.Message}", e);
            }
            _all.Add(store);
            return store;
        }

        public void DisposeAll()
        {
            for (int i = _all.Count - 1; i >= 0; i--) _all[i].Dispose();
        }

        private StoreConfigException UnknownType(string name, string typeName, YamlNode node)
        {
            var message = Unavailable.TryGetValue(typeName, out var why)
                ? $"type \"{typeName}\" has no .NET counterpart here: {why}"
                : $"unknown store type \"{typeName}\"; known types: {string.Join(", ", StoreConfigTypes.Names)}";
            if (StoreConfigTypes.ProviderFailures is { Length: > 0 } failures) message += $" (packages that failed to load: {failures})";
            return new StoreConfigException(file.Source, LineOf(node), name, message);
        }
    }

    // The original's types that are not stores of bytes here, and what to write instead.
    private static readonly Dictionary<string, string> Unavailable = new(StringComparer.Ordinal)
    {
        ["TextEncodingStore"] = "typed access is a view in .NET: build its base store and read it with store.Text()",
        ["AsyncTextEncodingStore"] = "typed access is a view in .NET: build its base store and read it with store.Text()",
        ["JsonStore"] = "typed access is a view in .NET: build its base store and read it with store.Json(context.YourType)",
        ["AsyncJsonStore"] = "typed access is a view in .NET: build its base store and read it with store.Json(context.YourType)",
        ["Base64Store"] = "typed access is a view in .NET: build its base store and read it with store.Base64()",
        ["AsyncBase64Store"] = "typed access is a view in .NET: build its base store and read it with store.Base64()",
        ["BufferStore"] = "every store reads and writes streams (OpenRead, Put of a Stream): use its base store",
        ["AsyncBufferStore"] = "every store reads and writes streams (OpenRead, Put of a Stream): use its base store",
        ["LoggingStore"] = "wrap the built store in LoggingStore (ObjectStorage.Extensions.Logging) with your ILogger, or use the DI package's logging",
        ["ExceptionLoggingStore"] = "it swallows errors, which no store here does; wrap the store in LoggingStore instead",
        ["TransformingStore"] = "a transformation is code: write an ObjectStore wrapper",
        ["KeyTransformingStore"] = "a transformation is code: write a WrapperStore",
        ["UrlEncodingStore"] = "FilesystemStore and ZipStore already escape what a file name cannot hold",
        ["MediaStore"] = "not ported",
    };
}
