using System.Text;
using Azure.Storage.Blobs.Models;

namespace ObjectStorage;

// Metadata: the content type as the blob's Content-Type, user metadata as blob metadata, and a
// given modification time as the metadata "mtime" (Unix seconds, as S3 stores and rclone keep it).
// Azure metadata names are C# identifiers and values ASCII, narrower than the S3 rules every store
// shares, so other names and values are encoded reversibly: a name as "objstore_" and the hex of its
// bytes, a value as an RFC 2047 encoded word (=?UTF-8?B?...?=), as S3 returns non-ASCII values.
public sealed partial class AzureBlobStore
{
    private const string EncodedNamePrefix = "objstore_";

    // Azure stamps blobs written without a type with this one; it reads as "none".
    private const string DefaultContentType = "application/octet-stream";

    /// <summary>Content type, user metadata and modification time, kept and listed; a given time comes back to the 100 ns tick.</summary>
    public override MetadataSupport MetadataSupport { get; } = new()
    {
        Kept = MetadataKinds.All,
        Listed = MetadataKinds.All,
        TimePrecision = TimeSpan.FromTicks(1),
    };

    private static BlobHttpHeaders HeadersOf(PutOptions options) => new() { ContentType = options.ContentType };

    private static Dictionary<string, string> MetadataOf(PutOptions options)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in options.UserMetadata) metadata[EncodeName(name)] = EncodeValue(value);
        if (options.LastModified is { } time) metadata[UserMetadata.ReservedTimeName] = UserMetadata.FormatTime(time);
        return metadata;
    }

    private static ObjectInfo InfoOf(string key, long size, DateTimeOffset? stamped, string? etag, string? contentType, IDictionary<string, string>? metadata)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        DateTimeOffset? given = null;
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            if (string.Equals(name, UserMetadata.ReservedTimeName, StringComparison.OrdinalIgnoreCase)) given = UserMetadata.ParseTime(value);
            else pairs.Add(new(DecodeName(name), DecodeValue(value)));
        }
        // Metadata another tool wrote may break the shared rules; then the store gives none rather than fail the read.
        UserMetadata.TryCreate(pairs, out var user, out _);
        return new ObjectInfo(key, size, given ?? stamped, etag)
        {
            ContentType = contentType is null or "" or DefaultContentType ? null : contentType,
            Metadata = user ?? UserMetadata.Empty,
        };
    }

    private static string EncodeName(string name)
    {
        bool identifier = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_')
            && name.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_')
            && !name.StartsWith(EncodedNamePrefix, StringComparison.OrdinalIgnoreCase);
        return identifier ? name : EncodedNamePrefix + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(name));
    }

    private static string DecodeName(string name)
    {
        if (!name.StartsWith(EncodedNamePrefix, StringComparison.OrdinalIgnoreCase)) return name.ToLowerInvariant();
        try
        {
            return Encoding.UTF8.GetString(Convert.FromHexString(name[EncodedNamePrefix.Length..]));
        }
        catch (FormatException)
        {
            return name.ToLowerInvariant();
        }
    }

    private static string EncodeValue(string value)
    {
        bool plain = value.All(static c => c is >= ' ' and <= '~') && !value.StartsWith("=?", StringComparison.Ordinal)
            && value.Trim().Length == value.Length;
        return plain ? value : $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}?=";
    }

    private static string DecodeValue(string value)
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
