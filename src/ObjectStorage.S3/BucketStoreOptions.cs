using Amazon.Runtime;

namespace ObjectStorage;

/// <summary>
/// Where a <see cref="BucketStore"/> keeps its objects and how it talks to the service. The
/// connection settings (<see cref="ServiceUrl"/> to <see cref="Timeout"/>) are used only when the
/// store builds its own client; a store given an <c>IAmazonS3</c> uses that client as it is.
/// </summary>
public sealed record BucketStoreOptions
{
    /// <summary>The bucket that holds the objects. It must exist.</summary>
    public required string BucketName { get; init; }

    /// <summary>
    /// A key prefix that isolates the store inside the bucket ("tenant/a"); a '/' is added when it
    /// lacks one. Keys inside the store never show it. Empty: the whole bucket.
    /// </summary>
    public string Prefix { get; init; } = "";

    /// <summary>The endpoint of an S3-compatible service (MinIO, Ceph RGW, R2, s3rver); null for AWS S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>The region (e.g. "us-east-1"); null for the SDK's default region chain (us-east-1 with a <see cref="ServiceUrl"/>).</summary>
    public string? Region { get; init; }

    /// <summary>Credentials; null for the SDK's default credential chain (environment, profile, instance role).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>
    /// Address buckets as <c>endpoint/bucket/key</c> rather than <c>bucket.endpoint/key</c>, as most
    /// S3-compatible services need. Null: on with a <see cref="ServiceUrl"/>, off for AWS S3.
    /// </summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>
    /// Compute and validate checksums only where the service requires them, as the services that
    /// predate S3's flexible checksums expect; false is the SDK's default (always). Null: on with a
    /// <see cref="ServiceUrl"/>, off for AWS S3.
    /// </summary>
    public bool? ChecksumOnlyWhenRequired { get; init; }

    /// <summary>
    /// Send upload bodies with <c>aws-chunked</c> encoding where the service stores them right. Off
    /// by default, which works on every service measured (docs/stores/s3.md). On, the store first
    /// checks with a probe object and falls back to plain bodies where the service refuses chunked
    /// ones (Ceph RGW with checksum trailers, Swift) or answers 200 and stores the chunk framing
    /// inside the object (s3rver). Applies to every put and part upload, also with an injected client.
    /// </summary>
    public bool UseChunkEncoding { get; init; }

    /// <summary>
    /// Size of one multipart part, at least 5 MiB (S3's minimum). Objects up to this size go up
    /// in one request; longer ones, and streams that turn out longer, as a multipart upload.
    /// </summary>
    public int PartSize { get; init; } = 8 << 20;

    /// <summary>How many parts of one multipart upload are in flight at once (each holds one part in memory).</summary>
    public int MaxConcurrentParts { get; init; } = 4;

    /// <summary>
    /// Whether the service honours <c>If-None-Match: *</c> on PutObject (AWS S3 since 2024, Ceph
    /// RGW, recent MinIO), so that PutIfNotExists is atomic. Null (the default): the store asks the
    /// service once, with a probe object, because a service that ignores the header (s3rver, older
    /// MinIO) would overwrite silently; where it is not honoured, PutIfNotExists throws
    /// <see cref="NotSupportedException"/>.
    /// </summary>
    public bool? SupportsConditionalPut { get; init; }

    /// <summary>Retries of a failed request by the SDK; null for the SDK's default.</summary>
    public int? MaxErrorRetry { get; init; }

    /// <summary>The SDK's retry strategy (Standard, Adaptive, Legacy); null for the SDK's default.</summary>
    public RequestRetryMode? RetryMode { get; init; }

    /// <summary>The timeout of one HTTP request; null for the SDK's default.</summary>
    public TimeSpan? Timeout { get; init; }
}
