[assembly: ObjectStorage.StoreUrlProvider(typeof(ObjectStorage.AzureBlobStoreUrl.Provider))]

namespace ObjectStorage;

/// <summary>
/// The <c>azure://</c> store URL: <c>azure://container[/prefix][?account=NAME&amp;endpoint=URL&amp;create_container=true&amp;block_size_mb=8]</c>.
/// Credentials never sit in the URL: with <c>account</c>, the account key comes from
/// <c>AZURE_STORAGE_KEY</c> (and the endpoint defaults to <c>https://NAME.blob.core.windows.net</c>);
/// without it, the connection string comes from <c>AZURE_STORAGE_CONNECTION_STRING</c>, or from
/// the variable <c>connection_string_env</c> names.
/// </summary>
public static class AzureBlobStoreUrl
{
    /// <summary>The environment variable an <c>account=</c> URL reads the account key from.</summary>
    public const string AccountKeyVariable = "AZURE_STORAGE_KEY";

    private static readonly StoreUrlScheme s_scheme = new("azure", Open,
        ["azure://container[/prefix][?account=NAME&endpoint=http://127.0.0.1:10000/NAME&create_container=true&connection_string_env=VAR]"]);

    /// <summary>Registers the <c>azure</c> scheme with <see cref="StoreUrl"/>, which already finds it in a referencing application; calling it again does no harm.</summary>
    public static void Register() => StoreUrl.Register(s_scheme);

    private static ObjectStore Open(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("account", "endpoint", "connection_string_env", "create_container", "block_size_mb");
        var location = url.Location;
        int slash = location.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? location : location[..slash];
        var prefix = slash < 0 ? "" : location[(slash + 1)..].TrimEnd('/');
        if (container.Length == 0) throw url.Invalid("the container name is missing (azure://container/prefix)");
        if (prefix.Length > 0 && ObjectKey.FindBrokenRule(prefix, isPrefix: false) is { } rule)
            throw url.Invalid($"the prefix \"{prefix}\" is not a valid key: {rule}");

        string connection;
        if (url.Option("account") is { Length: > 0 } account)
        {
            var key = Environment.GetEnvironmentVariable(AccountKeyVariable);
            if (string.IsNullOrEmpty(key)) throw url.Invalid($"account={account} needs the account key in the environment variable {AccountKeyVariable}");
            var endpoint = url.Option("endpoint") ?? $"https://{account}.blob.core.windows.net";
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _)) throw url.Invalid($"endpoint \"{endpoint}\" is not an absolute URL");
            connection = $"DefaultEndpointsProtocol={new Uri(endpoint).Scheme};AccountName={account};AccountKey={key};BlobEndpoint={endpoint}";
        }
        else
        {
            if (url.Option("endpoint") is not null) throw url.Invalid("endpoint= goes with account=; a connection string names its own endpoint");
            var variable = url.Option("connection_string_env") ?? AzureBlobStoreOptions.ConnectionStringVariable;
            connection = Environment.GetEnvironmentVariable(variable) ?? "";
            if (connection.Length == 0) throw url.Invalid($"no credentials: set {variable} to the account's connection string, or give account=NAME with {AccountKeyVariable}");
        }
        return new AzureBlobStore(new AzureBlobStoreOptions
        {
            ConnectionString = connection,
            ContainerName = container,
            Prefix = prefix,
            CreateContainer = url.BoolOption("create_container", false),
            BlockSize = url.IntOption("block_size_mb", 8, min: 1, max: 1024) << 20,
        });
    }

    /// <summary>Declares the <c>azure</c> scheme and the <c>AzureBlobStore</c> configuration type to <see cref="StoreUrl"/>'s discovery.</summary>
    internal sealed class Provider : IStoreUrlProvider
    {
        public IEnumerable<StoreUrlScheme> Schemes => [s_scheme];

        public IEnumerable<StoreConfigType> ConfigTypes => [new("AzureBlobStore", settings => settings.OpenUrl("azure", Open))];
    }

}
