using Microsoft.AspNetCore.Http;

namespace ObjectStorage.Server.Protocol;

/// <summary>
/// Object metadata as S3 carries it: Content-Type and the <c>x-amz-meta-*</c> headers, of which
/// <c>x-amz-meta-mtime</c> (rclone's and S3 tools' modification time, seconds since 1970) is the
/// object's time. A store keeps the kinds its <see cref="ObjectStore.MetadataSupport"/> declares;
/// what it cannot keep is left out and named in the answer's <c>x-objstore-metadata-dropped</c> header.
/// </summary>
internal static class RequestMetadata
{
    public const string HeaderPrefix = "x-amz-meta-";
    public const string DroppedHeader = "x-objstore-metadata-dropped";
    private const string DefaultContentType = "binary/octet-stream";

    /// <summary>
    /// The x-amz-meta-* headers of a request, by lower-case name without the prefix, as sent, and the
    /// system headers S3 keeps (Cache-Control and friends) under the server's reserved names.
    /// </summary>
    public static Dictionary<string, string> Pairs(IHeaderDictionary headers, string? key)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (!name.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            var metadataName = name[HeaderPrefix.Length..].ToLowerInvariant();
            if (ServerMetadata.IsReserved(metadataName))
                throw S3Error.InvalidArgument($"The metadata name '{metadataName}' starts with '{ServerMetadata.Prefix}', which this server reserves for what it keeps itself.", key);
            pairs[metadataName] = value.ToString();
        }
        ServerMetadata.AddSystemHeaders(headers, pairs);
        return pairs;
    }

    public static string? ContentType(IHeaderDictionary headers) => headers.ContentType.ToString() is { Length: > 0 } type ? type : null;

    /// <summary>The put that a content type and x-amz-meta-* pairs ask for; S3's errors for metadata that breaks its rules.</summary>
    public static PutOptions Options(string? contentType, IReadOnlyDictionary<string, string> pairs, string? key)
    {
        DateTimeOffset? time = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            if (name == UserMetadata.ReservedTimeName)
                time = UserMetadata.ParseTime(value)
                    ?? throw S3Error.InvalidArgument($"x-amz-meta-mtime '{value}' is not a time in seconds since 1970.", key);
            else metadata[name] = value;
        }
        UserMetadata? user = null;
        if (metadata.Count > 0 && !UserMetadata.TryCreate(metadata, out user, out var rule))
            throw new S3Error(400, Size(metadata) > UserMetadata.MaxBytes ? "MetadataTooLarge" : "InvalidArgument", $"The x-amz-meta-* headers break a rule: {rule}.", key);
        if (contentType is not null && (contentType.Length > PutOptions.MaxContentTypeLength || contentType.Any(c => c is < ' ' or > '~')))
            throw S3Error.InvalidArgument("Content-Type must be 1 to 1024 printable ASCII characters.", key);
        return new PutOptions { ContentType = contentType, Metadata = user, LastModified = time };
    }

    public static PutOptions Options(IHeaderDictionary headers, string? key) => Options(ContentType(headers), Pairs(headers, key), key);

    /// <summary>The part of <paramref name="options"/> that <paramref name="store"/> keeps; the rest is named in the response.</summary>
    public static PutOptions Keepable(ObjectStore store, PutOptions options, HttpResponse response)
    {
        var kept = store.MetadataSupport.Kept;
        var dropped = options.Kinds & ~kept;
        // Every client sends a Content-Type; a store without one serves binary/octet-stream, which is no news worth a header.
        if ((dropped & ~MetadataKinds.ContentType) != MetadataKinds.None) response.Headers[DroppedHeader] = dropped.ToString();
        return options.Keeping(kept);
    }

    /// <summary>Content-Type and x-amz-meta-* of a HEAD or GET answer.</summary>
    public static void WriteHeaders(HttpResponse response, ObjectInfo info)
    {
        response.ContentType = info.ContentType ?? DefaultContentType;
        if (info.Metadata is { } metadata)
        {
            foreach (var (name, value) in metadata)
                if (!ServerMetadata.IsReserved(name)) response.Headers[HeaderPrefix + name] = value;
            ServerMetadata.WriteSystemHeaders(response, metadata);
        }
        // Last-Modified carries whole seconds; the exact time goes where a put took it from, so that a
        // client that sets times (rclone, BucketStore) reads back what it wrote. Where the server knows that
        // the writer gave no time (it keeps facts of the version), none is sent: S3 adds no metadata of its own.
        if (info.LastModified is { } time && ServerMetadata.Facts(info) is not { TimeGiven: false })
            response.Headers[HeaderPrefix + UserMetadata.ReservedTimeName] = UserMetadata.FormatTime(time);
    }

    private static int Size(Dictionary<string, string> metadata) =>
        metadata.Sum(p => System.Text.Encoding.UTF8.GetByteCount(p.Key) + System.Text.Encoding.UTF8.GetByteCount(p.Value));
}
