using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ObjectStorage.Server.Protocol;

/// <summary>
/// How an object's <see cref="ObjectInfo"/> appears to S3 clients (ETag, Last-Modified) and how
/// the conditional headers of a request (If-Match and friends) are judged against it.
/// </summary>
internal static class ObjectVersion
{
    /// <summary>
    /// The quoted ETag: S3's (the MD5 of the body, or of the parts' MD5s with "-N") where the server
    /// keeps it for this version (<see cref="ServerMetadata"/>), else the store's own tag, so that it
    /// changes exactly when the object does. Clients (the AWS SDKs, rclone) take a tag without '-' for
    /// the MD5 of the body and check it, as S3 only leaves multipart tags ("hex-N") unhashed; the
    /// stores' tags are versions, not MD5s, so each one is sent with a '-' in it.
    /// </summary>
    public static string ETag(ObjectInfo info)
    {
        if (ServerMetadata.Facts(info) is { } facts) return "\"" + facts.ETag + "\"";
        var tag = info.ETag ?? string.Create(CultureInfo.InvariantCulture, $"{info.Size:x}-{(info.LastModified ?? DateTimeOffset.UnixEpoch).UtcTicks:x}");
        return "\"" + (tag.Contains('-', StringComparison.Ordinal) ? tag : tag + "-0") + "\"";
    }

    /// <summary>The modification time, to the second as HTTP dates carry it; the Unix epoch where the medium keeps none.</summary>
    public static DateTimeOffset LastModified(ObjectInfo info)
    {
        var time = info.LastModified ?? DateTimeOffset.UnixEpoch;
        return new DateTimeOffset(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    public static void WriteHeaders(HttpResponse response, ObjectInfo info)
    {
        response.Headers.ETag = ETag(info);
        response.Headers.LastModified = LastModified(info).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The status that the conditions <paramref name="ifMatch"/>, <paramref name="ifNoneMatch"/>,
    /// <paramref name="ifModifiedSince"/> and <paramref name="ifUnmodifiedSince"/> call for, as S3
    /// combines them: 412 when a must-hold condition fails, 304 (or 412 for writes) when a
    /// must-differ one fails, null to go ahead.
    /// </summary>
    public static int? Judge(ObjectInfo info, string ifMatch, string ifNoneMatch, string ifModifiedSince, string ifUnmodifiedSince)
    {
        var etag = ETag(info);
        var modified = LastModified(info);
        if (ifMatch.Length > 0)
        {
            if (!Matches(ifMatch, etag)) return 412;
        }
        else if (ifUnmodifiedSince.Length > 0 && TryDate(ifUnmodifiedSince, out var unmodifiedSince) && modified > unmodifiedSince)
            return 412;
        if (ifNoneMatch.Length > 0)
        {
            if (Matches(ifNoneMatch, etag)) return 304;
        }
        else if (ifModifiedSince.Length > 0 && TryDate(ifModifiedSince, out var modifiedSince) && modified <= modifiedSince)
            return 304;
        return null;
    }

    public static int? Judge(ObjectInfo info, IHeaderDictionary headers, string prefix = "") =>
        Judge(info, headers[prefix + "If-Match"].ToString(), headers[prefix + "If-None-Match"].ToString(),
            headers[prefix + "If-Modified-Since"].ToString(), headers[prefix + "If-Unmodified-Since"].ToString());

    private static bool Matches(string condition, string etag)
    {
        foreach (var candidate in condition.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*") return true;
            var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (!tag.StartsWith('"')) tag = "\"" + tag + "\"";
            if (tag == etag) return true;
        }
        return false;
    }

    private static bool TryDate(string text, out DateTimeOffset date) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);
}
