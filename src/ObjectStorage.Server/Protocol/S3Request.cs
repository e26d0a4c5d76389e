namespace ObjectStorage.Server.Protocol;

/// <summary>
/// The bucket, key and query of one request, read from the raw request target rather than from
/// ASP.NET Core's decoded path, because the server normalises dot segments and decodes what a key
/// must keep byte for byte ("a/../b", "a//b", "%2F").
/// </summary>
internal sealed class S3Request
{
    private S3Request(string path, string? bucket, string? key, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        Path = path;
        Bucket = bucket;
        Key = key;
        Query = query;
    }

    /// <summary>The decoded path as the client signed it, mount prefix included.</summary>
    public string Path { get; }

    /// <summary>The bucket, or null for the service root (ListBuckets).</summary>
    public string? Bucket { get; }

    /// <summary>The object key, or null for a request on the bucket itself.</summary>
    public string? Key { get; }

    /// <summary>The decoded query parameters in the order sent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    public bool Has(string name) => Query.Any(p => p.Key == name);

    public string? this[string name]
    {
        get
        {
            foreach (var pair in Query)
                if (pair.Key == name) return pair.Value;
            return null;
        }
    }

    /// <summary>
    /// Parses <paramref name="rawTarget"/> ("/prefix/bucket/key?query") under the mount
    /// <paramref name="mountPrefix"/> ("" or "/s3"); with a <paramref name="hostBucket"/> (virtual-host
    /// addressing) the path after the prefix is the key alone.
    /// </summary>
    public static S3Request Parse(string rawTarget, string mountPrefix, string? hostBucket = null)
    {
        var questionMark = rawTarget.IndexOf('?');
        var rawPath = questionMark < 0 ? rawTarget : rawTarget[..questionMark];
        var rawQuery = questionMark < 0 ? "" : rawTarget[(questionMark + 1)..];
        var path = UriEncoding.Decode(rawPath) ?? throw S3Error.InvalidRequest("The request path is not percent-encoded UTF-8.");
        if (!path.StartsWith(mountPrefix + "/", StringComparison.Ordinal))
            throw S3Error.InvalidRequest($"The request path does not start with the S3 endpoint's prefix '{mountPrefix}/'.");
        var rest = path[(mountPrefix.Length + 1)..];
        string? bucket = null, key = null;
        if (hostBucket is not null)
        {
            bucket = hostBucket;
            if (rest.Length > 0) key = rest;
        }
        else if (rest.Length > 0)
        {
            var slash = rest.IndexOf('/');
            bucket = slash < 0 ? rest : rest[..slash];
            // "/bucket/" is the bucket itself; every character after that slash belongs to the key.
            if (slash >= 0 && slash + 1 < rest.Length) key = rest[(slash + 1)..];
        }
        return new S3Request(path, bucket, key, ParseQuery(rawQuery));
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            var rawName = equals < 0 ? part : part[..equals];
            var rawValue = equals < 0 ? "" : part[(equals + 1)..];
            var name = UriEncoding.Decode(rawName);
            var value = UriEncoding.Decode(rawValue);
            if (name is null || value is null) throw S3Error.InvalidArgument($"The query parameter '{rawName}' is not percent-encoded UTF-8.");
            pairs.Add(new(name, value));
        }
        return pairs;
    }
}
