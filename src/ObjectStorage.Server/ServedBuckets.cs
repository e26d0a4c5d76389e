using System.Collections.Concurrent;
using ObjectStorage.Server.Multipart;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server;

/// <summary>
/// The buckets a server serves now: those it was started with, plus those clients created through
/// <see cref="S3ServerOptions.CreateBucket"/>, minus those they deleted.
/// </summary>
internal sealed class ServedBuckets(S3ServerOptions options)
{
    private readonly ConcurrentDictionary<string, ObjectStore> _stores = new(options.Buckets, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IEnumerable<string> Names => _stores.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string name, out ObjectStore store) => _stores.TryGetValue(name, out store!);

    /// <summary>
    /// The access key that owns <paramref name="name"/>: the one that created it, or the server's first
    /// credential for a bucket it was started with (null when it has none).
    /// </summary>
    public string? OwnerOf(string name) => _owners.TryGetValue(name, out var owner) ? owner : options.Credentials.FirstOrDefault()?.AccessKeyId;

    /// <summary>
    /// CreateBucket: a new store from the options' factory. A name served already is BucketAlreadyExists for
    /// another user; for its owner, S3's answer: nothing happens in us-east-1 (S3's legacy 200), BucketAlreadyOwnedByYou elsewhere.
    /// </summary>
    public void Create(string name, string? owner)
    {
        lock (_gate)
        {
            if (_stores.TryGetValue(name, out var existing))
            {
                if (OwnerOf(name) != owner) throw new S3Error(409, "BucketAlreadyExists", $"The bucket '{name}' exists and belongs to another user; bucket names are shared by all users.");
                if (options.Region == "us-east-1") return;
                throw new S3Error(409, "BucketAlreadyOwnedByYou", $"The bucket '{name}' exists ({existing}).");
            }
            var factory = options.CreateBucket ?? throw S3Error.NotImplemented("CreateBucket on this server (its buckets are the stores it was started with)");
            if (!BucketName.IsValid(name))
                throw new S3Error(400, "InvalidBucketName", $"'{name}' is not an S3 bucket name (3 to 63 characters of a-z, 0-9, '.', '-', starting and ending with a letter or digit).");
            _stores[name] = factory(name);
            if (owner is not null) _owners[name] = owner;
        }
    }

    /// <summary>DeleteBucket: only an empty bucket, only where the options allow; its multipart uploads in progress go with it.</summary>
    public async Task DeleteAsync(string name, MultipartSpool uploads, CancellationToken cancellationToken)
    {
        if (!_stores.TryGetValue(name, out var store)) throw S3Error.NoSuchBucket(name);
        var remove = options.DeleteBucket ?? throw S3Error.NotImplemented("DeleteBucket on this server (its buckets are the stores it was started with)");
        if (!store.CanList || !store.CanDelete) throw S3Error.NotImplemented($"DeleteBucket of '{name}' (its store, {store}, cannot list and delete)");
        await foreach (var _ in store.KeysAsync("", cancellationToken).ConfigureAwait(false))
            throw new S3Error(409, "BucketNotEmpty", $"The bucket '{name}' is not empty: delete its objects first.");
        lock (_gate)
        {
            remove(name, store);
            _stores.TryRemove(name, out _);
            _owners.TryRemove(name, out _);
        }
        uploads.RemoveAll(name);
    }
}
