using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

/// <summary>
/// Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2), optionally under a key
/// prefix that isolates the store. Async-native: the sync members run the async ones without
/// deadlocking under a <see cref="SynchronizationContext"/>. Puts are atomic as S3's are: an
/// object larger than <see cref="BucketStoreOptions.PartSize"/> goes up as a multipart upload that
/// is aborted on failure or cancellation, so readers never see part of it.
/// </summary>
public sealed partial class BucketStore : ObjectStore
{
    /// <summary>S3's smallest part for every part of a multipart upload but the last.</summary>
    public const int MinPartSize = 5 << 20;

    private const int DeleteBatchSize = 1000;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly BucketStoreOptions _options;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly int _prefixBytes;
    private readonly string _description;
    private volatile bool _bucketSeen;

    /// <summary>A store over <paramref name="client"/>, which the caller keeps owning and disposes after the store.</summary>
    public BucketStore(IAmazonS3 client, BucketStoreOptions options)
        : this(client ?? throw new ArgumentNullException(nameof(client)), options, ownsClient: false) { }

    /// <summary>A store with its own client built from <paramref name="options"/>; disposing the store disposes the client.</summary>
    public BucketStore(BucketStoreOptions options)
        : this(CreateClient(options), options, ownsClient: true) { }

    private BucketStore(IAmazonS3 client, BucketStoreOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.BucketName)) throw new ArgumentException("BucketName must name a bucket.", nameof(options));
        if (options.PartSize < MinPartSize) throw new ArgumentOutOfRangeException(nameof(options), $"PartSize must be at least {MinPartSize} bytes (S3's minimum part).");
        if (options.MaxConcurrentParts < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrentParts must be at least 1.");
        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _bucket = options.BucketName;
        _prefix = NormalizePrefix(options.Prefix);
        _prefixBytes = Encoding.UTF8.GetByteCount(_prefix);
        var endpoint = client.Config.ServiceURL ?? client.Config.RegionEndpoint?.SystemName ?? "default endpoint";
        _description = $"BucketStore(s3://{_bucket}/{_prefix} at {endpoint})";
    }

    private static string NormalizePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return "";
        var trimmed = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        ObjectKey.Validate(trimmed);
        return trimmed + "/";
    }

    private static AmazonS3Client CreateClient(BucketStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        if (options.ChecksumOnlyWhenRequired)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        if (options.MaxErrorRetry is { } retries) config.MaxErrorRetry = retries;
        if (options.RetryMode is { } mode) config.RetryMode = mode;
        if (options.Timeout is { } timeout) config.Timeout = timeout;
        return options.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(options.Credentials, config);
    }

    /// <summary>The bucket the store lives in.</summary>
    public string BucketName => _bucket;

    /// <summary>The key prefix of the store inside the bucket, ending with '/', or empty.</summary>
    public string Prefix => _prefix;

    /// <summary>The longest key this store holds: S3's 1024 bytes less the prefix.</summary>
    public int MaxKeyBytes => ObjectKey.MaxBytes - _prefixBytes;

    /// <inheritdoc/>
    public override bool CanPutIfNotExists => _options.SupportsConditionalPut;

    /// <summary>
    /// S3 ETags: the MD5 of a single-part object, a hash of the part MD5s for a multipart one.
    /// Equal tags mean equal content; the same content uploaded with other part sizes gets another tag.
    /// </summary>
    public override string? ETagKind => "s3-md5";

    /// <inheritdoc/>
    public override string ToString() => _description;

    // ---- Get and OpenRead --------------------------------------------------------------------

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = FullKey(key) };
        try
        {
            using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.ContentLength > Array.MaxLength)
                throw Failure(key, $"the object is {response.ContentLength} bytes, too large for one array; use OpenRead");
            var data = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
            return data;
        }
        catch (Exception ex) when (IsMissingKey(ex))
        {
            return null;
        }
        catch (Exception ex) when (Translate(ex, key, "read", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken) =>
        OpenRangeAsync(key, range: null, cancellationToken);

    /// <summary>
    /// Opens <paramref name="length"/> bytes of the object from <paramref name="offset"/> (to its
    /// end when <paramref name="length"/> is null) as a stream straight from the service; a range
    /// past the end gives fewer bytes or none. Throws <see cref="ObjectNotFoundException"/> when absent.
    /// </summary>
    public async ValueTask<Stream> OpenReadRangeAsync(string key, long offset, long? length = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ObjectKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n, nameof(length));
            if (n == 0)
                return await StatAsyncCore(key, cancellationToken).ConfigureAwait(false) is null ? throw NotFound(key) : Stream.Null;
        }
        var range = new ByteRange(offset, length is { } count ? offset + count - 1 : long.MaxValue);
        return await OpenRangeAsync(key, range, cancellationToken).ConfigureAwait(false) ?? throw NotFound(key);
    }

    /// <inheritdoc cref="OpenReadRangeAsync(string, long, long?, CancellationToken)"/>
    public Stream OpenReadRange(string key, long offset, long? length = null) =>
        Block(() => OpenReadRangeAsync(key, offset, length, CancellationToken.None).AsTask());

    private async ValueTask<Stream?> OpenRangeAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = FullKey(key) };
        if (range is not null) request.ByteRange = range.End == long.MaxValue ? new ByteRange($"bytes={range.Start}-") : range;
        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new S3ObjectStream(response, ex => Translate(ex, key, "read", CancellationToken.None));
        }
        catch (Exception ex) when (IsMissingKey(ex))
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (range is not null && ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return Stream.Null;
        }
        catch (Exception ex) when (Translate(ex, key, "read", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    // ---- Put ---------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var fullKey = FullKey(key);
        try
        {
            if (data.Length <= _options.PartSize)
                await PutObjectAsync(fullKey, data, ifNoneMatch: false, cancellationToken).ConfigureAwait(false);
            else
                await NewMultipartUpload(fullKey).UploadAsync(MultipartUpload.PartsOf(data, _options.PartSize), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "write", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, CancellationToken cancellationToken)
    {
        var fullKey = FullKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        // The first part decides: a stream that ends within it goes up in one request.
        var first = ArrayPool<byte>.Shared.Rent(_options.PartSize);
        var handedOver = false;
        try
        {
            int length = await MultipartUpload.FillAsync(data, first.AsMemory(0, _options.PartSize), cancellationToken).ConfigureAwait(false);
            if (length < _options.PartSize)
            {
                await PutObjectAsync(fullKey, first.AsMemory(0, length), ifNoneMatch: false, cancellationToken).ConfigureAwait(false);
                return;
            }
            handedOver = true;
            var parts = MultipartUpload.PartsOf(data, first, _options.PartSize);
            await NewMultipartUpload(fullKey).UploadAsync(parts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "write", cancellationToken) is { } error)
        {
            throw error;
        }
        finally
        {
            if (!handedOver) ArrayPool<byte>.Shared.Return(first);
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var fullKey = FullKey(key);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await PutObjectAsync(fullKey, data, ifNoneMatch: true, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }
            // 409: a concurrent conditional write to the key; S3 asks for a retry.
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
            }
            catch (Exception ex) when (Translate(ex, key, "create", cancellationToken) is { } error)
            {
                throw error;
            }
        }
    }

    private async Task PutObjectAsync(string fullKey, ReadOnlyMemory<byte> data, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        using var body = MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = fullKey,
            InputStream = body,
            AutoCloseStream = false,
            UseChunkEncoding = _options.UseChunkEncoding,
        };
        if (ifNoneMatch) request.IfNoneMatch = "*";
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private MultipartUpload NewMultipartUpload(string fullKey) =>
        new(_client, _bucket, fullKey, _options.UseChunkEncoding, _options.MaxConcurrentParts);

    // ---- Exists and Stat ---------------------------------------------------------------------

    /// <inheritdoc/>
    protected override async ValueTask<bool> ExistsAsyncCore(string key, CancellationToken cancellationToken) =>
        await StatAsyncCore(key, cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        var request = new GetObjectMetadataRequest { BucketName = _bucket, Key = FullKey(key) };
        try
        {
            var response = await _client.GetObjectMetadataAsync(request, cancellationToken).ConfigureAwait(false);
            _bucketSeen = true;
            return new ObjectInfo(key, response.ContentLength, ToOffset(response.LastModified), response.ETag);
        }
        catch (Exception ex) when (IsMissingKey(ex))
        {
            // A HEAD answer has no body, so a missing bucket looks like a missing key; ask once.
            if (!_bucketSeen) await EnsureBucketAsync(key, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (Translate(ex, key, "look up", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    private async Task EnsureBucketAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            _bucketSeen = true;
        }
        catch (Exception ex) when (Translate(ex, key, "look up", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    // ---- Delete ------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectRequest { BucketName = _bucket, Key = FullKey(key) };
        try
        {
            await _client.DeleteObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "delete", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <summary>
    /// Deletes the given keys with batched DeleteObjects requests (1,000 keys each); missing keys
    /// are not an error; an invalid key deletes nothing. Returns how many keys were sent. Throws
    /// <see cref="ObjectStoreException"/> naming the first key the service refused.
    /// </summary>
    public Task<int> DeleteManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        // All keys are checked before the first request, so a bad key deletes nothing.
        var list = keys.ToList();
        foreach (var key in list)
        {
            ObjectKey.Validate(key);
            FullKey(key);
        }
        return DeleteInBatchesAsync(list.ToAsyncEnumerable(), cancellationToken);
    }

    /// <summary>
    /// Deletes every object whose key starts with <paramref name="prefix"/> ("" clears the store),
    /// in batches of 1,000 while the listing streams; returns how many.
    /// </summary>
    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        DeleteInBatchesAsync(KeysAsync(prefix, cancellationToken), cancellationToken);

    private async Task<int> DeleteInBatchesAsync(IAsyncEnumerable<string> keys, CancellationToken cancellationToken)
    {
        int count = 0;
        var batch = new List<string>(DeleteBatchSize);
        await foreach (var key in keys.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            batch.Add(FullKey(key));
            if (batch.Count == DeleteBatchSize) count += await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        if (batch.Count > 0) count += await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <inheritdoc cref="DeleteManyAsync(IEnumerable{string}, CancellationToken)"/>
    public int DeleteMany(IEnumerable<string> keys) => Block(() => DeleteManyAsync(keys, CancellationToken.None));

    /// <inheritdoc cref="DeletePrefixAsync(string, CancellationToken)"/>
    public int DeletePrefix(string prefix) => Block(() => DeletePrefixAsync(prefix, CancellationToken.None));

    private async Task<int> DeleteBatchAsync(List<string> fullKeys, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectsRequest { BucketName = _bucket, Quiet = true };
        foreach (var fullKey in fullKeys) request.AddKey(fullKey);
        int count = fullKeys.Count;
        fullKeys.Clear();
        DeleteObjectsResponse response;
        try
        {
            response = await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, null, "delete many", cancellationToken) is { } error)
        {
            throw error;
        }
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            var first = errors[0];
            throw Failure(first.Key[_prefix.Length..], $"{errors.Count} of {count} deletes failed; the first with S3 error {first.Code}: {first.Message}");
        }
        return count;
    }

    // ---- Listing -----------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Url encoding lets keys with characters XML 1.0 cannot carry (U+0001, ESC) survive the listing.
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix, Encoding = EncodingType.Url };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate(ex, null, "list", cancellationToken) is { } error)
            {
                throw error;
            }
            foreach (var entry in page.S3Objects ?? [])
            {
                cancellationToken.ThrowIfCancellationRequested();
                // S3 encodes as a form does (a space is "+"); a server that ignores encoding-type leaves Encoding unset.
                var fullKey = page.Encoding == EncodingType.Url ? System.Net.WebUtility.UrlDecode(entry.Key) : entry.Key;
                var key = fullKey[_prefix.Length..];
                if (ObjectKey.FindBrokenRule(key, isPrefix: false) is { } rule)
                {
                    ReportSkipped(fullKey, $"the object's key is not one a store can hold: {rule}");
                    continue;
                }
                yield return new ObjectInfo(key, entry.Size ?? 0, ToOffset(entry.LastModified), entry.ETag);
            }
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    // ---- Presigned URLs ----------------------------------------------------------------------

    /// <summary>A URL that lets anyone holding it GET the object until <paramref name="expiresIn"/> has passed.</summary>
    public Uri PresignGetUrl(string key, TimeSpan expiresIn) => Presign(key, HttpVerb.GET, expiresIn);

    /// <summary>A URL that lets anyone holding it PUT the object (replacing it) until <paramref name="expiresIn"/> has passed.</summary>
    public Uri PresignPutUrl(string key, TimeSpan expiresIn) => Presign(key, HttpVerb.PUT, expiresIn);

    private Uri Presign(string key, HttpVerb verb, TimeSpan expiresIn)
    {
        ThrowIfDisposed();
        ObjectKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiresIn, TimeSpan.Zero);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = FullKey(key),
            Verb = verb,
            Expires = DateTime.UtcNow + expiresIn,
        };
        if (_client.Config.ServiceURL is { } url && url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            request.Protocol = Protocol.HTTP;
        try
        {
            return new Uri(_client.GetPreSignedURL(request));
        }
        catch (Exception ex) when (Translate(ex, key, "presign", CancellationToken.None) is { } error)
        {
            throw error;
        }
    }

    // ---- Disposal and helpers ----------------------------------------------------------------

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsClient) _client.Dispose();
    }

    private string FullKey(string key)
    {
        if (_prefix.Length == 0) return key;
        int bytes = Encoding.UTF8.GetByteCount(key);
        if (_prefixBytes + bytes > ObjectKey.MaxBytes)
            throw new InvalidKeyException(key, $"a key in {this} must be at most {MaxKeyBytes} bytes of UTF-8 (this one is {bytes}), because the prefix takes {_prefixBytes} of S3's {ObjectKey.MaxBytes}");
        return _prefix + key;
    }

    private static DateTimeOffset? ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : null;

    // For the store's own sync members: the async operation on the pool, so no caller context is captured.
    private static T Block<T>(Func<Task<T>> operation) => Task.Run(operation).GetAwaiter().GetResult();
}
