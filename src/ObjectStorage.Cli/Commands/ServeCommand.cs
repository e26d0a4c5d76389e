using System.CommandLine;
using System.Net;
using ObjectStorage.Cli.Output;
using ObjectStorage.Server;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore serve --bucket NAME=URL ...</c>: any stores as the buckets of an S3 server, until Ctrl+C.</summary>
internal sealed class ServeCommand : StoreCommand
{
    public const string AccessKeyVariable = "OBJSTORE_SERVE_ACCESS_KEY";
    public const string SecretKeyVariable = "OBJSTORE_SERVE_SECRET_KEY";
    public const string UsersVariable = "OBJSTORE_SERVE_USERS";

    private readonly Option<string[]> _buckets = new("--bucket", "-b")
    {
        Description = "A bucket and the store it serves, NAME=STORE_URL (repeatable)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<string?> _bucketRoot = new("--bucket-root")
    {
        Description = "A directory whose sub-directories are buckets, which clients may create and (when empty) delete; mem:// for buckets in memory",
    };

    private readonly Option<string?> _multipartDir = new("--multipart-dir")
    {
        Description = "Where multipart parts are spooled (default: a private temp folder, removed on exit); a named folder keeps uploads across restarts",
    };

    private readonly Option<string[]> _virtualHosts = new("--virtual-host")
    {
        Description = "A base host name for virtual-host addressing, BUCKET.HOST (repeatable; default localhost)",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string> _listen = new("--listen", "-l")
    {
        Description = "The address and port to listen on; port 0 picks a free one",
        DefaultValueFactory = _ => "127.0.0.1:9000",
    };

    private readonly Option<string?> _accessKey = new("--access-key") { Description = $"The access key clients sign with (default: ${AccessKeyVariable})" };

    private readonly Option<string?> _secretKey = new("--secret-key") { Description = $"Its secret (default: ${SecretKeyVariable}; prefer the variable, as arguments show in process lists)" };

    private readonly Option<string[]> _users = new("--user")
    {
        Description = $"A further user, KEY:SECRET (repeatable; or ${UsersVariable}, space-separated): every user may use every bucket, and a bucket belongs to the user who created it",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<bool> _anonymousRead = new("--anonymous-read") { Description = "Let unsigned requests list and read (never write)" };

    private readonly Option<bool> _readOnly = new("--read-only") { Description = "Open every store for reading only" };

    public ServeCommand()
        : base("serve", "Serve stores over the S3 protocol (path-style, SigV4) until Ctrl+C.",
            "objstore serve --bucket photos=./photos --bucket cache=mem:// --listen 127.0.0.1:9000 --access-key me --secret-key secret",
            "OBJSTORE_SERVE_ACCESS_KEY=me OBJSTORE_SERVE_SECRET_KEY=secret objstore serve --bucket docs=sqlite://objstore-demo.db",
            "objstore serve --bucket public=zip:///srv/site.zip --anonymous-read --read-only")
    {
        Options.Add(_buckets);
        Options.Add(_bucketRoot);
        Options.Add(_multipartDir);
        Options.Add(_virtualHosts);
        Options.Add(_listen);
        Options.Add(_accessKey);
        Options.Add(_secretKey);
        Options.Add(_users);
        Options.Add(_anonymousRead);
        Options.Add(_readOnly);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var listen = ParseListen(parse.GetRequiredValue(_listen));
        var credentials = Credentials(parse.GetValue(_accessKey), parse.GetValue(_secretKey), parse.GetValue(_users) ?? []);
        var anonymousRead = parse.GetValue(_anonymousRead);
        if (credentials.Count == 0 && !anonymousRead)
            throw new ArgumentException($"objstore serve needs an access key and secret (--access-key/--secret-key or ${AccessKeyVariable}/${SecretKeyVariable}), or --anonymous-read for a public read-only server.");
        var access = parse.GetValue(_readOnly) ? StoreAccess.Read : StoreAccess.ReadWrite;
        var specs = parse.GetValue(_buckets) ?? [];
        var root = parse.GetValue(_bucketRoot) is { } rootText ? new BucketRoot(rootText, access) : null;
        if (specs.Length == 0 && root is null) throw new ArgumentException("objstore serve needs --bucket NAME=STORE_URL (repeatable) or --bucket-root DIR.");
        var buckets = new Dictionary<string, ObjectStore>(StringComparer.Ordinal);
        try
        {
            if (root is not null)
                foreach (var (name, store) in root.OpenExisting()) buckets[name] = store;
            foreach (var spec in specs)
            {
                var equals = spec.IndexOf('=');
                if (equals <= 0 || equals == spec.Length - 1) throw new ArgumentException($"--bucket '{spec}' is not NAME=STORE_URL.");
                var name = spec[..equals];
                if (buckets.ContainsKey(name)) throw new ArgumentException($"--bucket names '{name}' twice.");
                buckets[name] = Stores.Open(spec[(equals + 1)..], access);
            }
            var options = new S3ServerOptions
            {
                Buckets = buckets, Credentials = credentials, AnonymousRead = anonymousRead,
                CreateBucket = access == StoreAccess.ReadWrite && root is not null ? root.Create : null,
                DeleteBucket = access == StoreAccess.ReadWrite && root is not null ? root.Delete : null,
                MultipartDirectory = parse.GetValue(_multipartDir),
                VirtualHostBases = parse.GetValue(_virtualHosts) is { Length: > 0 } hosts ? hosts : ["localhost"],
            };
            await using var server = await S3Server.StartAsync(options, listen, cancellationToken: cancellationToken);
            var endpoint = server.Endpoint.ToString().TrimEnd('/');
            if (WantsJson(parse)) Json.Write(new ServeDocument(endpoint, buckets.Keys.Order(StringComparer.Ordinal).ToArray()), Json.Context.ServeDocument);
            else Console.Out.WriteLine($"objstore serve: {endpoint} serves {string.Join(", ", buckets.Select(b => $"{b.Key} ({b.Value})"))}; Ctrl+C stops it");
            await Console.Out.FlushAsync(cancellationToken);
            try
            {
                await server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var store in buckets.Values) await store.DisposeAsync();
            if (root is not null) await root.DisposeCreatedAsync();
        }
    }

    /// <summary>
    /// The buckets of --bucket-root: each sub-directory of a directory is a FilesystemStore, or, for
    /// mem://, each bucket a DictStore; clients create new ones and delete empty ones.
    /// </summary>
    private sealed class BucketRoot(string location, StoreAccess access)
    {
        private readonly bool _inMemory = location == "mem://";
        private readonly string _directory = Path.GetFullPath(location == "mem://" ? "." : location);
        private readonly List<ObjectStore> _created = [];

        public IEnumerable<(string Name, ObjectStore Store)> OpenExisting()
        {
            if (_inMemory) yield break;
            if (!Directory.Exists(_directory)) throw new ArgumentException($"--bucket-root '{location}' is not a directory.");
            foreach (var folder in Directory.EnumerateDirectories(_directory).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(folder);
                // A folder whose name is no bucket name cannot be addressed, so it is not served (and said so).
                if (!BucketName.IsValid(name))
                {
                    Console.Error.WriteLine($"objstore serve: {folder} is not served: '{name}' is not an S3 bucket name.");
                    continue;
                }
                yield return (name, Stores.Open(folder, access));
            }
        }

        public ObjectStore Create(string name)
        {
            ObjectStore store = _inMemory ? new DictStore() : new FilesystemStore(Path.Combine(_directory, name));
            lock (_created) _created.Add(store);
            return store;
        }

        public void Delete(string name, ObjectStore store)
        {
            store.Dispose();
            // The server found the bucket empty; what is left is the folder (and empty folders a put left).
            if (!_inMemory) Directory.Delete(Path.Combine(_directory, name), recursive: true);
        }

        public async Task DisposeCreatedAsync()
        {
            foreach (var store in _created) await store.DisposeAsync();
        }
    }

    // The first is the server's own user (it owns the buckets the server starts with), then --user and $OBJSTORE_SERVE_USERS.
    private static List<S3Credentials> Credentials(string? accessKey, string? secretKey, string[] users)
    {
        accessKey ??= Environment.GetEnvironmentVariable(AccessKeyVariable) is { Length: > 0 } a ? a : null;
        secretKey ??= Environment.GetEnvironmentVariable(SecretKeyVariable) is { Length: > 0 } s ? s : null;
        var credentials = new List<S3Credentials>();
        if (accessKey is not null || secretKey is not null)
        {
            if (accessKey is null || secretKey is null) throw new ArgumentException("An access key needs its secret, and a secret its access key.");
            credentials.Add(new S3Credentials(accessKey, secretKey));
        }
        var fromVariable = (Environment.GetEnvironmentVariable(UsersVariable) ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        foreach (var user in users.Concat(fromVariable))
        {
            var colon = user.IndexOf(':');
            if (colon <= 0 || colon == user.Length - 1) throw new ArgumentException($"A user '{user[..Math.Max(colon, 0)]}...' is not KEY:SECRET (--user or ${UsersVariable}).");
            var key = user[..colon];
            if (credentials.Any(c => c.AccessKeyId == key)) throw new ArgumentException($"The access key '{key}' is given twice.");
            credentials.Add(new S3Credentials(key, user[(colon + 1)..]));
        }
        return credentials;
    }

    private static IPEndPoint ParseListen(string text) =>
        IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw new ArgumentException($"--listen '{text}' is not ADDRESS:PORT (for example 127.0.0.1:9000).");
}
