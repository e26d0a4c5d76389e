using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

// Presigned URLs: signed by the client alone, without a request to the service.
public sealed partial class BucketStore
{
    /// <summary>True: GET and PUT URLs are signed with the client's credentials.</summary>
    public override bool CanPresign => true;

    /// <inheritdoc/>
    protected override Uri PresignCore(string key, HttpMethod method, TimeSpan expiresIn)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = FullKey(key),
            Verb = method == HttpMethod.Put ? HttpVerb.PUT : HttpVerb.GET,
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
