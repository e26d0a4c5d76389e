[assembly: ObjectStorage.StoreUrlProvider(typeof(ObjectStorage.RedisStoreUrl.Provider))]

namespace ObjectStorage;

/// <summary>
/// The <c>redis://</c> store URL: <c>redis://[[user]:password@]host[:port][/db][?prefix=P&amp;max_object_mb=N&amp;ssl=true]</c>.
/// Without a password in the URL, <c>REDIS_PASSWORD</c> is used where set. The port defaults to
/// 6379 and the database to 0.
/// </summary>
public static class RedisStoreUrl
{
    private static readonly StoreUrlScheme s_scheme = new("redis", Open, ["redis://[:password@]host[:port][/db][?prefix=app:&max_object_mb=512&ssl=true]"]);

    /// <summary>Registers the <c>redis</c> scheme with <see cref="StoreUrl"/>, which already finds it in a referencing application; calling it again does no harm.</summary>
    public static void Register() => StoreUrl.Register(s_scheme);

    private static ObjectStore Open(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly("prefix", "max_object_mb", "ssl");
        var location = url.Location;
        int slash = location.IndexOf('/', StringComparison.Ordinal);
        var server = slash < 0 ? location : location[..slash];
        var database = slash < 0 ? "" : location[(slash + 1)..].TrimEnd('/');
        string? user = null, password = null;
        int at = server.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = server[..at];
            server = server[(at + 1)..];
            int colon = credentials.IndexOf(':', StringComparison.Ordinal);
            (user, password) = colon < 0 ? (null, credentials) : (credentials[..colon], credentials[(colon + 1)..]);
        }
        password ??= Environment.GetEnvironmentVariable("REDIS_PASSWORD");
        if (server.Length == 0) throw url.Invalid("the host is missing (redis://host:6379/0)");
        if (!server.Contains(':', StringComparison.Ordinal) || server.EndsWith(']')) server += ":6379";
        int db = 0;
        if (database.Length > 0 && (!int.TryParse(database, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out db) || db > 15_000))
            throw url.Invalid($"the database \"{database}\" is not a number (redis://host:6379/0)");
        if (user?.Contains(',') == true || password?.Contains(',') == true)
            throw url.Invalid("a user name or password with a comma cannot be passed on; use new RedisStore(IConnectionMultiplexer) instead");

        var configuration = server;
        if (!string.IsNullOrEmpty(user)) configuration += ",user=" + user;
        if (!string.IsNullOrEmpty(password)) configuration += ",password=" + password;
        if (url.BoolOption("ssl", false)) configuration += ",ssl=true";
        var prefix = url.Option("prefix") ?? "";
        if (ObjectKey.FindBrokenRule(prefix, isPrefix: true) is { } rule) throw url.Invalid($"the prefix is not a valid key prefix: {rule}");
        return new RedisStore(new RedisStoreOptions
        {
            Configuration = configuration,
            Database = db,
            Prefix = prefix,
            MaxObjectBytes = (long)url.IntOption("max_object_mb", 512, min: 1, max: 512) << 20,
        });
    }

    /// <summary>Declares the <c>redis</c> scheme and the <c>RedisStore</c> configuration type to <see cref="StoreUrl"/>'s discovery.</summary>
    internal sealed class Provider : IStoreUrlProvider
    {
        public IEnumerable<StoreUrlScheme> Schemes => [s_scheme];

        public IEnumerable<StoreConfigType> ConfigTypes => [new("RedisStore", settings => settings.OpenUrl("redis", Open, "redis_url"))];
    }

}
