using System.Text;
using Amazon.S3.Model;

namespace ObjectStorage;

// Metadata: Content-Type, x-amz-meta-* for user metadata, and the time in x-amz-meta-mtime as rclone keeps it.
public sealed partial class BucketStore
{
    private const string MetaPrefix = "x-amz-meta-";

    private static readonly MetadataSupport Kept =
        new() { Kept = MetadataKinds.All, Listed = MetadataKinds.None, TimePrecision = TimeSpan.FromMilliseconds(1) };

    /// <summary>
    /// Everything, as S3 keeps it: the content type as Content-Type, user metadata as <c>x-amz-meta-*</c> headers
    /// (non-ASCII values RFC 2047-encoded), and a given time in <c>x-amz-meta-mtime</c> as seconds with a fraction,
    /// as rclone writes and reads it; an object without one has the service's whole-second upload time. Listings
    /// carry none of it (an S3 listing has the upload time only): <see cref="ObjectStore.Stat(string)"/> gives it.
    /// </summary>
    public override MetadataSupport MetadataSupport => Kept;

    // The request's headers for the put's metadata; both request types carry the same two. Without a content type
    // the SDK or the service would pick one from the key's extension; octet-stream says that none was given.
    private static void Describe(PutOptions options, Action<string> setContentType, MetadataCollection metadata)
    {
        setContentType(options.ContentType ?? "application/octet-stream");
        foreach (var (name, value) in options.UserMetadata) metadata.Add(name, Encode(value));
        if (options.LastModified is { } time) metadata.Add(UserMetadata.ReservedTimeName, UserMetadata.FormatTime(time));
    }

    private static void Describe(PutObjectRequest request, PutOptions options) =>
        Describe(options, type => request.ContentType = type, request.Metadata);

    private static void Describe(InitiateMultipartUploadRequest request, PutOptions options) =>
        Describe(options, type => request.ContentType = type, request.Metadata);

    // What a HEAD says about the object: the kept time where the put gave one, else the upload time.
    private static ObjectInfo InfoOf(string key, GetObjectMetadataResponse response)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        DateTimeOffset? kept = null;
        foreach (var header in response.Metadata.Keys)
        {
            var name = header.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase) ? header[MetaPrefix.Length..] : header;
            var value = Decode(response.Metadata[header]);
            if (string.Equals(name, UserMetadata.ReservedTimeName, StringComparison.OrdinalIgnoreCase)) kept = UserMetadata.ParseTime(value);
            else pairs.Add(KeyValuePair.Create(name, value));
        }
        // Metadata another client wrote under other rules is given as far as it goes rather than refused.
        var metadata = UserMetadata.TryCreate(pairs, out var valid, out _) ? valid : UserMetadata.Empty;
        return new ObjectInfo(key, response.ContentLength, kept ?? ToOffset(response.LastModified), response.ETag)
        {
            ContentType = string.IsNullOrEmpty(response.Headers.ContentType) ? null : response.Headers.ContentType,
            Metadata = metadata,
        };
    }

    // HTTP headers carry ASCII; other text goes as an RFC 2047 encoded word, as S3's console writes it.
    private static string Encode(string value) =>
        value.All(static c => c is >= ' ' and <= '~') ? value : $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}?=";

    private static string Decode(string value)
    {
        if (!value.StartsWith("=?UTF-8?B?", StringComparison.OrdinalIgnoreCase) || !value.EndsWith("?=", StringComparison.Ordinal)) return value;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value[10..^2]));
        }
        catch (FormatException)
        {
            return value;
        }
    }
}
