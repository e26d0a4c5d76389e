namespace ObjectStorage.Server;

/// <summary>
/// What an S3 endpoint serves and who may use it: one <see cref="ObjectStore"/> per bucket name,
/// the access keys whose SigV4 signatures it accepts, and whether unsigned requests may read.
/// The stores stay owned by the caller, who disposes them after the app stops.
/// </summary>
public sealed record S3ServerOptions
{
    /// <summary>The buckets, by name; each bucket shows every key of its store.</summary>
    public required IReadOnlyDictionary<string, ObjectStore> Buckets { get; init; }

    /// <summary>The access keys whose signatures are accepted (every one may use every bucket; the first owns the buckets of <see cref="Buckets"/>, a created bucket its creator); empty with <see cref="AnonymousRead"/> for a public read-only server.</summary>
    public IReadOnlyList<S3Credentials> Credentials { get; init; } = [];

    /// <summary>Let unsigned requests list and read (never write); signed requests are still verified.</summary>
    public bool AnonymousRead { get; init; }

    /// <summary>How far a signed request's time may be from the server's clock (S3 allows 15 minutes).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The region reported by GetBucketLocation; signatures are accepted for any region the client signed for.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The clock used to check request times and presigned expiry; the system clock unless a test sets another.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Makes the store of a bucket a client creates (CreateBucket); null answers CreateBucket with 501.</summary>
    public Func<string, ObjectStore>? CreateBucket { get; init; }

    /// <summary>Disposes and removes the store of a bucket that DeleteBucket found empty; null answers DeleteBucket with 501, and it may throw <see cref="NotSupportedException"/> for a bucket it keeps.</summary>
    public Action<string, ObjectStore>? DeleteBucket { get; init; }

    /// <summary>Host names under which buckets are addressed virtual-host style: with "localhost", a request to "photos.localhost:9000" is for the bucket "photos".</summary>
    public IReadOnlyList<string> VirtualHostBases { get; init; } = ["localhost"];

    /// <summary>Where multipart parts are spooled; null for a private folder under the system temp directory, removed when the server stops (a named folder keeps uploads across restarts).</summary>
    public string? MultipartDirectory { get; init; }

    /// <summary>The smallest part but the last that CompleteMultipartUpload accepts (S3: 5 MiB); smaller ones are EntityTooSmall.</summary>
    public long MinPartSize { get; init; } = 5 << 20;

    /// <summary>Multipart uploads initiated longer ago than this are removed when the server starts.</summary>
    public TimeSpan AbandonedUploadAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The path under which the browse page is served ("/_browse", beneath the endpoint's prefix); null serves none.</summary>
    public string? BrowsePath { get; init; } = "/_browse";

    internal void Validate()
    {
        if (Buckets is null || (Buckets.Count == 0 && CreateBucket is null))
            throw new ArgumentException("S3ServerOptions.Buckets must name at least one bucket (or CreateBucket let clients make them).");
        if (BrowsePath is not null && (!BrowsePath.StartsWith('/') || BrowsePath.Length < 2 || BrowsePath.EndsWith('/')))
            throw new ArgumentException($"S3ServerOptions.BrowsePath '{BrowsePath}' must start with '/' and name a path, like \"/_browse\".");
        if (MinPartSize < 1) throw new ArgumentException("S3ServerOptions.MinPartSize must be positive.");
        foreach (var host in VirtualHostBases)
            if (string.IsNullOrWhiteSpace(host) || host.Contains(':', StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
                throw new ArgumentException($"S3ServerOptions.VirtualHostBases: '{host}' is not a host name.");
        foreach (var (name, store) in Buckets)
        {
            if (!BucketName.IsValid(name))
                throw new ArgumentException($"S3ServerOptions.Buckets: '{name}' is not an S3 bucket name (3 to 63 characters of a-z, 0-9, '.', '-', starting and ending with a letter or digit).");
            ArgumentNullException.ThrowIfNull(store, $"Buckets[{name}]");
        }
        if (Credentials.Count == 0 && !AnonymousRead)
            throw new ArgumentException("S3ServerOptions needs Credentials, or AnonymousRead for a public read-only server; with neither no request could be served.");
        foreach (var credential in Credentials)
            if (string.IsNullOrEmpty(credential.AccessKeyId) || string.IsNullOrEmpty(credential.SecretAccessKey))
                throw new ArgumentException("S3ServerOptions.Credentials: every access key needs an id and a secret.");
    }
}

/// <summary>An access key and its secret, as an S3 client is configured with them.</summary>
/// <param name="AccessKeyId">The public half, sent in every signed request.</param>
/// <param name="SecretAccessKey">The secret half, used to verify signatures; never sent.</param>
public sealed record S3Credentials(string AccessKeyId, string SecretAccessKey)
{
    /// <summary>The id only, so that logs and exception messages never carry the secret.</summary>
    public override string ToString() => $"S3Credentials({AccessKeyId})";
}
