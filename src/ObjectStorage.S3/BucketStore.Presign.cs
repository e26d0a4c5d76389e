using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

// Presigned URLs: signed by the client alone, without a request to the service.
public sealed partial class BucketStore
{

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
}
