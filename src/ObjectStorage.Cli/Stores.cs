using System.Text.RegularExpressions;

namespace ObjectStorage.Cli;

/// <summary>
/// Opens stores from URLs (the tool references the SQLite and S3 packages, so StoreUrl finds their
/// schemes itself), and "NAME:" as the store of that name in the <c>--config</c> file.
/// </summary>
internal static partial class Stores
{
    private static string? s_configPath;
    private static StoreConfigFile? s_config;

    /// <summary>The accepted URL forms, for help texts.</summary>
    public static string Forms => string.Join(", ", StoreUrl.AcceptedForms) + ", NAME: (a store of the --config file)";

    /// <summary>Names the configuration file of this command (null: none); read on the first "NAME:".</summary>
    public static void UseConfig(string? path)
    {
        s_configPath = path;
        s_config = null;
    }

    public static ObjectStore Open(string url, StoreAccess access)
    {
        if (NamedStore().Match(url) is { Success: true } named)
        {
            var name = named.Groups[1].Value;
            if (s_configPath is not null) return Config().Build(name);
            if (!StoreUrl.IsRegistered(name))
                throw new StoreUrlException(url, $"\"{name}:\" names a store of a configuration file: give the file with --config stores.yaml", StoreUrl.AcceptedForms);
        }
        return StoreUrl.Open(url, access);
    }

    private static StoreConfigFile Config()
    {
        var config = s_config ??= StoreConfigFile.Load(s_configPath!);
        return config;
    }

    [GeneratedRegex("^([A-Za-z0-9_][A-Za-z0-9_.-]*):$")]
    private static partial Regex NamedStore();
}
