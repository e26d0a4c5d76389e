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
    private readonly Lock _gate = new();

    public IEnumerable<string> Names => _stores.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string name, out ObjectStore store) => _stores.TryGetValue(name, out store!);

    /// <summary>CreateBucket: a new store from the options' factory; BucketAlreadyOwnedByYou when the name is served.</summary>
    public void Create(string name)
    {
        if (_stores.TryGetValue(name, out var existing))
            throw new S3Error(409, "BucketAlreadyOwnedByYou", $"The bucket '{name}' exists ({existing}).");
        var factory = options.CreateBucket ?? throw S3Error.NotImplemented("CreateBucket on this server (its buckets are the stores it was started with)");
        if (!BucketName.IsValid(name))
            throw new S3Error(400, "InvalidBucketName", $"'{name}' is not an S3 bucket name (3 to 63 characters of a-z, 0-9, '.', '-', starting and ending with a letter or digit).");
        lock (_gate)
        {
            if (_stores.ContainsKey(name)) throw new S3Error(409, "BucketAlreadyOwnedByYou", $"The bucket '{name}' exists.");
            _stores[name] = factory(name);
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
        }
        uploads.RemoveAll(name);
    }
}
