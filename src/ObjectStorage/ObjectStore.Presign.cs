namespace ObjectStorage;

// Presigned URLs: a capability only. A medium that cannot issue them has no honest fallback (a
// URL to a local file or a database row serves no one), so the members throw NotSupportedException.
public abstract partial class ObjectStore
{
    /// <summary>A URL that lets anyone holding it GET the object until <paramref name="expiresIn"/> has passed; throws <see cref="NotSupportedException"/> unless <see cref="CanPresign"/>.</summary>
    public Uri PresignGetUrl(string key, TimeSpan expiresIn) => Presign(key, HttpMethod.Get, expiresIn);

    /// <inheritdoc cref="PresignGetUrl(string, TimeSpan)"/>
    public ValueTask<Uri> PresignGetUrlAsync(string key, TimeSpan expiresIn, CancellationToken cancellationToken = default) =>
        PresignAsync(key, HttpMethod.Get, expiresIn, cancellationToken);

    /// <summary>A URL that lets anyone holding it PUT the object (replacing it) until <paramref name="expiresIn"/> has passed; needs <see cref="CanPresign"/> and <see cref="CanWrite"/>.</summary>
    public Uri PresignPutUrl(string key, TimeSpan expiresIn) => Presign(key, HttpMethod.Put, expiresIn);

    /// <inheritdoc cref="PresignPutUrl(string, TimeSpan)"/>
    public ValueTask<Uri> PresignPutUrlAsync(string key, TimeSpan expiresIn, CancellationToken cancellationToken = default) =>
        PresignAsync(key, HttpMethod.Put, expiresIn, cancellationToken);

    /// <summary>A URL for <paramref name="method"/> (GET or PUT) on the object, valid for <paramref name="expiresIn"/>.</summary>
    protected virtual Uri PresignCore(string key, HttpMethod method, TimeSpan expiresIn)
    {
        Require(Overrides.PresignAsync, "presigned URLs");
        return RunSync(() => PresignAsyncCore(key, method, expiresIn, CancellationToken.None));
    }

    /// <inheritdoc cref="PresignCore(string, HttpMethod, TimeSpan)"/>
    protected virtual ValueTask<Uri> PresignAsyncCore(string key, HttpMethod method, TimeSpan expiresIn, CancellationToken cancellationToken)
    {
        Require(Overrides.Presign, "presigned URLs");
        return FromSync((Store: this, key, method, expiresIn), static s => s.Store.PresignCore(s.key, s.method, s.expiresIn), cancellationToken);
    }

    private Uri Presign(string key, HttpMethod method, TimeSpan expiresIn)
    {
        CheckPresign(key, method, expiresIn);
        var op = StoreOperation.Start(this, StoreOperations.Presign, key);
        try
        {
            var url = PresignCore(key, method, expiresIn);
            op.Succeeded();
            return url;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    private async ValueTask<Uri> PresignAsync(string key, HttpMethod method, TimeSpan expiresIn, CancellationToken cancellationToken)
    {
        CheckPresign(key, method, expiresIn);
        var op = StoreOperation.Start(this, StoreOperations.Presign, key);
        try
        {
            var url = await PresignAsyncCore(key, method, expiresIn, cancellationToken).ConfigureAwait(false);
            op.Succeeded();
            return url;
        }
        catch (Exception e) when (op.Failed(e))
        {
            throw;
        }
    }

    private void CheckPresign(string key, HttpMethod method, TimeSpan expiresIn)
    {
        var operation = $"presigned {method} URLs";
        if (method == HttpMethod.Put) CheckWrite(key, operation);
        else Check(key);
        if (!CanPresign) throw Unsupported(operation, "its medium cannot sign URLs (CanPresign is false)");
        if (expiresIn <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(expiresIn), expiresIn, $"{this}: a presigned URL for '{key}' must expire after a positive time.");
    }
}
