namespace ObjectStorage.Server.Protocol;

/// <summary>
/// A request the server answers with one of S3's error codes; the code, status and message become
/// the XML error body every S3 client parses.
/// </summary>
internal sealed class S3Error(int status, string code, string message, string? key = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string? Key { get; } = key;

    /// <summary>Headers the answer must carry besides the body (Content-Range on 416).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static S3Error NoSuchBucket(string bucket) => new(404, "NoSuchBucket", $"The bucket '{bucket}' is not served here.");

    public static S3Error NoSuchKey(string key) => new(404, "NoSuchKey", $"No object has the key {ObjectKey.Describe(key)}.", key);

    public static S3Error AccessDenied(string why) => new(403, "AccessDenied", why);

    public static S3Error InvalidArgument(string why, string? key = null) => new(400, "InvalidArgument", why, key);

    /// <summary>
    /// A key that is not a key, or that the served store's medium cannot hold: the code MinIO
    /// answers with its own prefix, so that a client can tell the key from the request at fault.
    /// BucketStore turns it into an InvalidKeyException.
    /// </summary>
    public static S3Error InvalidObjectName(string why, string? key) => new(400, "InvalidObjectName", why, key);

    public static S3Error InvalidRequest(string why, string? key = null) => new(400, "InvalidRequest", why, key);

    public static S3Error NotImplemented(string what) => new(501, "NotImplemented", $"{what} is not implemented by this server.");

    public static S3Error PreconditionFailed(string? key, string condition) => new(412, "PreconditionFailed", $"At least one of the preconditions ({condition}) did not hold.", key);

    public static S3Error BadDigest(string? key, string what) => new(400, "BadDigest", $"The {what} of the body does not match the one the request declared; nothing was stored.", key);

    public static S3Error SignatureDoesNotMatch(string why) => new(403, "SignatureDoesNotMatch", why);

    public static S3Error AuthorizationHeaderMalformed(string why) => new(400, "AuthorizationHeaderMalformed", why);

    public static S3Error AuthorizationQueryParametersError(string why) => new(400, "AuthorizationQueryParametersError", why);

    public static S3Error MalformedXml(string why) => new(400, "MalformedXML", why);
}
