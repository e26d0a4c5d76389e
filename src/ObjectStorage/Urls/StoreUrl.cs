using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace ObjectStorage;

/// <summary>Makes the store a <see cref="StoreUrl"/> names; declared per scheme by an <see cref="IStoreUrlProvider"/> or <see cref="StoreUrl.Register(string, StoreUrlFactory, string[])"/>.</summary>
public delegate ObjectStore StoreUrlFactory(StoreUrl url, StoreAccess access);

/// <summary>
/// One string that names a store: <c>mem://</c>, a plain path or <c>file:///abs/path</c>,
/// <c>hashdir:///path</c>, <c>zip:///path/to.zip</c>, and the schemes of every referenced package
/// that declares a <see cref="StoreUrlProviderAttribute"/>, found on first use with no registration
/// call. The text after <c>scheme://</c> up to an optional
/// <c>?name=value&amp;...</c> query is the <see cref="Location"/>: for file-backed media a path, so
/// <c>sqlite:///abs/x.db</c> is absolute and <c>sqlite://x.db</c> relative to the current directory.
/// </summary>
public sealed partial class StoreUrl
{
    private static readonly Lock s_lock = new();
    private static readonly Dictionary<string, Registration> s_schemes = new(StringComparer.Ordinal);
    private static readonly HashSet<string> s_scanned = new(StringComparer.Ordinal);
    private static readonly List<string> s_providerFailures = [];
    private static readonly object s_discoveryLock = new();
    private static volatile bool s_loadedScanned;
    private static volatile bool s_discovered;
    [ThreadStatic] private static bool t_discovering;

    private StoreUrl(string text, string scheme, string location, IReadOnlyDictionary<string, string> options)
    {
        Text = text;
        Scheme = scheme;
        Location = location;
        Options = options;
    }

    /// <summary>The URL exactly as given.</summary>
    public string Text { get; }

    /// <summary>The scheme in lower case; <c>file</c> for a plain path.</summary>
    public string Scheme { get; }

    /// <summary>The part between <c>scheme://</c> and the query, percent-decoded: a path, or a bucket and prefix.</summary>
    public string Location { get; }

    /// <summary>The query's <c>name=value</c> pairs, percent-decoded (names in lower case).</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <inheritdoc/>
    public override string ToString() => Text;

    // ---- Registry ----------------------------------------------------------------------------

    /// <summary>
    /// Makes <paramref name="scheme"/> open stores through <paramref name="factory"/>, replacing an
    /// earlier registration or a discovered one. <paramref name="forms"/> are the accepted forms shown
    /// when a URL is wrong (e.g. <c>sqlite:///path/to.db</c>).
    /// </summary>
    public static void Register(string scheme, StoreUrlFactory factory, params string[] forms)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        RequireSchemeName(scheme, nameof(scheme));
        EnsureLoadedScanned();
        lock (s_lock) s_schemes[scheme.ToLowerInvariant()] = new Registration(factory, forms.Length > 0 ? forms : [scheme + "://..."]);
    }

    /// <summary>Registers <paramref name="scheme"/> as <see cref="Register(string, StoreUrlFactory, string[])"/> does.</summary>
    public static void Register(StoreUrlScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        Register(scheme.Name, scheme.Factory, [.. scheme.Forms]);
    }

    /// <summary>True when <paramref name="scheme"/> has a registered factory.</summary>
    public static bool IsRegistered(string scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        return Lookup(scheme.ToLowerInvariant()) is not null;
    }

    /// <summary>Every accepted URL form of the registered schemes, for help texts and error messages.</summary>
    public static IReadOnlyList<string> AcceptedForms
    {
        get
        {
            EnsureDiscovered();
            lock (s_lock) return [.. s_schemes.Values.SelectMany(static r => r.Forms)];
        }
    }

    // ---- Parse and open ----------------------------------------------------------------------

    /// <summary>
    /// Opens the store <paramref name="url"/> names. Throws <see cref="StoreUrlException"/> (an
    /// <see cref="ArgumentException"/>) for a malformed URL, an unknown scheme or option, listing the
    /// accepted forms; with <see cref="StoreAccess.Read"/>, a <see cref="FileNotFoundException"/> or
    /// <see cref="DirectoryNotFoundException"/> when the store does not exist.
    /// </summary>
    public static ObjectStore Open(string url, StoreAccess access = StoreAccess.ReadWrite)
    {
        var parsed = Parse(url);
        var registration = Lookup(parsed.Scheme);
        if (registration is null)
        {
            string failures;
            lock (s_lock) failures = string.Join("; ", s_providerFailures);
            // A scheme from another package is found once that package is referenced; say why one may be missing.
            var reason = $"unknown scheme \"{parsed.Scheme}\" (no referenced package declares it)";
            if (failures.Length > 0) reason += $"; store URL providers that failed to load: {failures}";
            throw new StoreUrlException(url, reason, AcceptedForms);
        }
        return registration.Factory(parsed, access);
    }

    /// <summary>Splits <paramref name="url"/> into scheme, location and options without opening anything; throws <see cref="StoreUrlException"/> when malformed.</summary>
    public static StoreUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Length == 0) throw new StoreUrlException(url, "the URL is empty", AcceptedForms);

        var match = SchemePattern().Match(url);
        if (!match.Success)
        {
            // "sqlite:x.db" or "mem:" are almost certainly URLs missing their "//", not file names.
            var bare = BareSchemePattern().Match(url);
            if (bare.Success)
                throw new StoreUrlException(url, $"\"{bare.Groups[1].Value}:\" must be followed by \"//\" (write {bare.Groups[1].Value}://...; for a file path with a colon, write ./{url})", AcceptedForms);
            return new StoreUrl(url, "file", url, new Dictionary<string, string>());
        }

        var scheme = match.Groups[1].Value.ToLowerInvariant();
        var rest = url[match.Length..];
        var query = "";
        int mark = rest.IndexOf('?', StringComparison.Ordinal);
        if (mark >= 0)
        {
            query = rest[(mark + 1)..];
            rest = rest[..mark];
        }
        return new StoreUrl(url, scheme, Decode(rest), ParseQuery(url, query));
    }

    // ---- For factories -----------------------------------------------------------------------

    /// <summary>Throws <see cref="StoreUrlException"/> when the URL has an option not in <paramref name="known"/>.</summary>
    public void AllowOnly(params string[] known)
    {
        foreach (var name in Options.Keys)
        {
            if (Array.IndexOf(known, name) >= 0) continue;
            var accepted = known.Length == 0 ? $"{Scheme}:// takes no options" : $"{Scheme}:// takes {string.Join(", ", known)}";
            throw Invalid($"unknown option \"{name}\" ({accepted})");
        }
    }

    /// <summary>The option's value, or null when absent.</summary>
    public string? Option(string name) => Options.TryGetValue(name, out var value) ? value : null;

    /// <summary>A boolean option (<c>true/false/1/0/yes/no</c>; a bare name means true), or <paramref name="fallback"/> when absent.</summary>
    public bool BoolOption(string name, bool fallback)
    {
        var value = Option(name);
        if (value is null) return fallback;
        return value.ToLowerInvariant() switch
        {
            "" or "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw Invalid($"option \"{name}\" must be true or false, not \"{value}\""),
        };
    }

    /// <summary>A whole-number option within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int IntOption(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Option(name);
        if (value is null) return fallback;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < min || number > max)
            throw Invalid($"option \"{name}\" must be a whole number from {min} to {max}, not \"{value}\"");
        return number;
    }

    /// <summary>An option that must be one of <paramref name="choices"/> (compared ignoring case), or <paramref name="fallback"/> when absent.</summary>
    public string ChoiceOption(string name, string fallback, params string[] choices)
    {
        var value = Option(name);
        if (value is null) return fallback;
        foreach (var choice in choices)
            if (string.Equals(choice, value, StringComparison.OrdinalIgnoreCase)) return choice;
        throw Invalid($"option \"{name}\" must be one of {string.Join(", ", choices)}, not \"{value}\"");
    }

    /// <summary>The location as a local path; throws <see cref="StoreUrlException"/> when it is empty.</summary>
    public string RequirePath()
    {
        if (Location.Length == 0)
            throw Invalid($"a path is missing after \"{Scheme}://\" (\"{Scheme}:///abs/path\" is absolute, \"{Scheme}://relative/path\" relative)");
        return Location;
    }

    /// <summary>A <see cref="StoreUrlException"/> for this URL with <paramref name="reason"/> and the accepted forms.</summary>
    public StoreUrlException Invalid(string reason) => new(Text, reason, AcceptedForms);

    // ---- Private -----------------------------------------------------------------------------

    private static void RequireSchemeName(string scheme, string parameter)
    {
        if (!SchemePattern().IsMatch(scheme + "://"))
            throw new ArgumentException($"\"{scheme}\" is not a URL scheme (a letter, then letters, digits, '+', '-' or '.').", parameter);
    }

    // The scheme's registration, looking first among the loaded assemblies and reading the unloaded
    // ones only when it is not there: "mem://" or a path then never reads the S3 or SQLite packages,
    // which is most of a short command's start-up.
    private static Registration? Lookup(string scheme)
    {
        EnsureLoadedScanned();
        lock (s_lock)
            if (s_schemes.TryGetValue(scheme, out var found)) return found;
        EnsureDiscovered();
        lock (s_lock) return s_schemes.GetValueOrDefault(scheme);
    }

    // The loaded assemblies are scanned once, on first use; assemblies loaded after it announce themselves through AssemblyLoad.
    private static void EnsureLoadedScanned()
    {
        if (s_loadedScanned || t_discovering) return;
        lock (s_discoveryLock)
        {
            if (s_loadedScanned) return;
            t_discovering = true;
            try
            {
                // Subscribed before the scan so that nothing loaded meanwhile is missed; AddProviders skips what it has seen.
                AppDomain.CurrentDomain.AssemblyLoad += static (_, e) => AddLoadedProviders(e.LoadedAssembly);
                foreach (var assembly in StoreUrlProviders.Loaded()) AddProviders(assembly);
                s_loadedScanned = true;
            }
            finally
            {
                t_discovering = false;
            }
        }
    }

    // Full discovery, once: the application's assemblies that are not loaded yet are read as metadata and loaded when they declare a provider.
    private static void EnsureDiscovered()
    {
        EnsureLoadedScanned();
        if (s_discovered || t_discovering) return;
        lock (s_discoveryLock)
        {
            if (s_discovered) return;
            t_discovering = true;
            try
            {
                var failures = new List<string>();
                foreach (var assembly in StoreUrlProviders.Unloaded(failures)) AddProviders(assembly);
                lock (s_lock) s_providerFailures.AddRange(failures);
                s_discovered = true;
            }
            finally
            {
                t_discovering = false;
            }
        }
    }

    // Runs inside whatever code loaded the assembly: a failure here is recorded, never thrown into that code.
    private static void AddLoadedProviders(Assembly assembly)
    {
        try
        {
            AddProviders(assembly);
        }
        catch (Exception e)
        {
            lock (s_lock) s_providerFailures.Add($"{assembly.GetName().Name}: {e.Message}");
        }
    }

    // A scheme found by discovery never replaces one already registered: an explicit Register wins.
    private static void AddProviders(Assembly assembly)
    {
        if (!StoreUrlProviders.MayDeclare(assembly)) return;
        lock (s_lock)
            if (!s_scanned.Add(assembly.FullName ?? assembly.GetName().Name ?? "")) return;
        var failures = new List<string>();
        var schemes = new List<StoreUrlScheme>();
        foreach (var scheme in StoreUrlProviders.SchemesOf(assembly, failures))
        {
            if (SchemePattern().IsMatch(scheme.Name + "://")) schemes.Add(scheme);
            else failures.Add($"{assembly.GetName().Name} declares \"{scheme.Name}\", which is not a URL scheme");
        }
        lock (s_lock)
        {
            foreach (var scheme in schemes)
                s_schemes.TryAdd(scheme.Name.ToLowerInvariant(), new Registration(scheme.Factory, [.. scheme.Forms]));
            s_providerFailures.AddRange(failures);
        }
    }

    // Lenient as browsers are: "%20" is a space, a '%' that starts no escape stays as it is.
    private static string Decode(string text) => Uri.UnescapeDataString(text);

    private static Dictionary<string, string> ParseQuery(string url, string query)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if (name.Length == 0) throw new StoreUrlException(url, $"an option without a name (\"{pair}\")", AcceptedForms);
            if (!options.TryAdd(name, value)) throw new StoreUrlException(url, $"option \"{name}\" is given twice", AcceptedForms);
        }
        return options;
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex SchemePattern();

    // Two or more letters so that a Windows drive ("C:\data") stays a path.
    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]+):(?!//)")]
    private static partial Regex BareSchemePattern();

    private sealed record Registration(StoreUrlFactory Factory, string[] Forms);
}
