using System.Globalization;
using System.Text;
using System.Xml;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Operations;

/// <summary>ListBuckets, and ListObjects (V1 with markers, V2 with continuation tokens) over a store's streamed, byte-ordered listing.</summary>
internal static class ListOperations
{
    private const int MaxKeysLimit = 1000;

    // Buckets are configuration, not objects, so they report the time the server came up.
    private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow;

    public static Task ListBucketsAsync(S3Call call) => S3Xml.WriteAsync(call.Response, 200, xml =>
    {
        xml.WriteStartElement("ListAllMyBucketsResult", S3Xml.Namespace);
        S3Xml.Owner(xml, "Owner", call.Caller.AccessKeyId);
        xml.WriteStartElement("Buckets");
        foreach (var name in call.Buckets.Names)
        {
            xml.WriteStartElement("Bucket");
            xml.Element("Name", name);
            xml.Element("CreationDate", S3Xml.Time(Started));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    });

    /// <summary>ListObjects V1 (marker), V2 (continuation token) or ListObjectVersions, which lists each object as its one version "null", as S3 does for a bucket that never had versioning.</summary>
    public static async Task ListObjectsAsync(S3Call call, ListKind kind)
    {
        var store = call.Store;
        if (!store.CanList) throw S3Error.NotImplemented($"Listing the bucket '{call.Bucket}' (its store, {store}, cannot list)");
        var request = call.Request;
        var prefix = request["prefix"] ?? "";
        if (prefix.Length > 0 && ObjectKey.FindBrokenRule(prefix, isPrefix: true) is { } rule)
            throw S3Error.InvalidArgument($"The prefix {ObjectKey.Describe(prefix)} is not a key prefix: {rule}.");
        var delimiter = request["delimiter"] is { Length: > 0 } d ? d : null;
        var encodingType = request["encoding-type"];
        var encode = UriEncoding.ForListing(encodingType);
        var maxKeys = MaxKeysLimit;
        if (request["max-keys"] is { } maxKeysText
            && (!int.TryParse(maxKeysText, NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys)))
            throw S3Error.InvalidArgument($"max-keys '{maxKeysText}' is not a non-negative number.");
        maxKeys = Math.Min(maxKeys, MaxKeysLimit);
        var v2 = kind == ListKind.V2;
        var continuationToken = v2 ? request["continuation-token"] : null;
        var startAfter = request[kind switch { ListKind.V2 => "start-after", ListKind.Versions => "key-marker", _ => "marker" }];
        var after = continuationToken is not null ? DecodeToken(continuationToken) : startAfter is { Length: > 0 } ? startAfter : null;

        var page = await ReadPageAsync(store, prefix, delimiter, after, maxKeys, call.Aborted).ConfigureAwait(false);
        await S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement(kind == ListKind.Versions ? "ListVersionsResult" : "ListBucketResult", S3Xml.Namespace);
            xml.Element("Name", call.Bucket);
            // ListObjects V1 gives its prefix as sent: botocore, which asks for url encoding on its own, decodes
            // the V1 answer's Delimiter, Marker, NextMarker and keys, but not its Prefix.
            xml.Element("Prefix", kind == ListKind.V1 ? prefix : encode(prefix));
            if (v2)
            {
                xml.Element("KeyCount", (page.Objects.Count + page.CommonPrefixes.Count).ToString(CultureInfo.InvariantCulture));
                xml.Element("ContinuationToken", continuationToken);
                xml.Element("StartAfter", startAfter is null ? null : encode(startAfter));
                if (page.IsTruncated) xml.Element("NextContinuationToken", EncodeToken(page.Last!));
            }
            else if (kind == ListKind.Versions)
            {
                xml.Element("KeyMarker", encode(startAfter ?? ""));
                xml.Element("VersionIdMarker", request["version-id-marker"] ?? "");
                if (page.IsTruncated)
                {
                    xml.Element("NextKeyMarker", encode(page.Last!));
                    xml.Element("NextVersionIdMarker", "null");
                }
            }
            else
            {
                xml.Element("Marker", encode(startAfter ?? ""));
                // S3 sends NextMarker only with a delimiter; without one, clients continue from the last key.
                if (page.IsTruncated && delimiter is not null) xml.Element("NextMarker", encode(page.Last!));
            }
            xml.Element("MaxKeys", maxKeys.ToString(CultureInfo.InvariantCulture));
            xml.Element("Delimiter", delimiter is null ? null : encode(delimiter));
            xml.Element("EncodingType", encodingType);
            xml.Element("IsTruncated", S3Xml.Bool(page.IsTruncated));
            // V1 and version listings name each object's owner; V2 only when asked (fetch-owner). The bucket's owner owns
            // every object in it, as in S3 with object ownership "bucket owner enforced".
            var owner = kind != ListKind.V2 || request["fetch-owner"] == "true" ? call.Buckets.OwnerOf(call.Bucket) ?? "anonymous" : null;
            foreach (var info in page.Objects) WriteObject(xml, info, encode, kind == ListKind.Versions, owner);
            foreach (var commonPrefix in page.CommonPrefixes)
            {
                xml.WriteStartElement("CommonPrefixes");
                xml.Element("Prefix", encode(commonPrefix));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }).ConfigureAwait(false);
    }

    private static void WriteObject(XmlWriter xml, ObjectInfo info, Func<string, string> encode, bool asVersion, string? owner)
    {
        xml.WriteStartElement(asVersion ? "Version" : "Contents");
        xml.Element("Key", encode(info.Key));
        if (asVersion)
        {
            xml.Element("VersionId", "null");
            xml.Element("IsLatest", "true");
        }
        xml.Element("LastModified", S3Xml.Time(ObjectVersion.LastModified(info)));
        xml.Element("ETag", ObjectVersion.ETag(info));
        xml.Element("Size", info.Size.ToString(CultureInfo.InvariantCulture));
        xml.Element("StorageClass", "STANDARD");
        if (owner is not null) S3Xml.Owner(xml, "Owner", owner);
        xml.WriteEndElement();
    }

    internal sealed record Page(List<ObjectInfo> Objects, List<string> CommonPrefixes, bool IsTruncated, string? Last);

    /// <summary>
    /// One page: the keys after <paramref name="after"/> (a key, or a common prefix, whose keys are
    /// then all skipped), rolled up at <paramref name="delimiter"/>, at most <paramref name="maxKeys"/> entries.
    /// </summary>
    internal static async Task<Page> ReadPageAsync(ObjectStore store, string prefix, string? delimiter, string? after, int maxKeys, CancellationToken cancellationToken)
    {
        var objects = new List<ObjectInfo>();
        var commonPrefixes = new List<string>();
        string? last = null;
        var skipUnder = after is not null && delimiter is not null && after.EndsWith(delimiter, StringComparison.Ordinal) ? after : null;
        await foreach (var info in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var key = info.Key;
            if (after is not null && KeyComparer.Utf8.Compare(key, after) <= 0) continue;
            if (skipUnder is not null && key.StartsWith(skipUnder, StringComparison.Ordinal)) continue;
            string? rolledUp = null;
            if (delimiter is not null)
            {
                var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (at >= 0) rolledUp = key[..(at + delimiter.Length)];
            }
            if (rolledUp is not null && rolledUp == last) continue;
            if (objects.Count + commonPrefixes.Count == maxKeys) return new Page(objects, commonPrefixes, last is not null, last);
            if (rolledUp is not null)
            {
                commonPrefixes.Add(rolledUp);
                last = rolledUp;
                skipUnder = rolledUp;
            }
            else
            {
                objects.Add(info);
                last = key;
            }
        }
        return new Page(objects, commonPrefixes, false, last);
    }

    private static string EncodeToken(string last) => Convert.ToBase64String(Encoding.UTF8.GetBytes(last));

    private static string DecodeToken(string token)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(token));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw S3Error.InvalidArgument("The continuation token provided is incorrect.");
        }
    }
}

/// <summary>Which listing a GET on a bucket asked for.</summary>
internal enum ListKind
{
    V1,
    V2,
    Versions,
}
