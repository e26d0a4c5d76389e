using Microsoft.AspNetCore.Http;

namespace ObjectStorage.Server.Protocol;

/// <summary>S3's user metadata: the <c>x-amz-meta-*</c> headers of a request, by their lower-case names without the prefix.</summary>
internal static class UserMetadata
{
    public const string HeaderPrefix = "x-amz-meta-";

    public static Dictionary<string, string> From(IHeaderDictionary headers)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
            if (name.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase))
                metadata[name[HeaderPrefix.Length..].ToLowerInvariant()] = value.ToString();
        return metadata;
    }
}
