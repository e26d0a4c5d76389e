using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ObjectStorage.Server.Protocol;

/// <summary>
/// What the server keeps about an object beyond the core's metadata, in the store's user metadata
/// under names that start with <see cref="Prefix"/> (refused from clients, never shown as
/// <c>x-amz-meta-*</c>): S3's system headers (Cache-Control, Content-Disposition, Content-Encoding,
/// Content-Language, Expires) and the facts of the content (S3's ETag, the checksum given at the put,
/// the sizes of a multipart object's parts). Facts are bound to the size and modification time of
/// the version they were computed for and trusted only while the object still has both, so an object
/// replaced through the library, not the server, falls back to the store's own tag.
/// </summary>
internal static class ServerMetadata
{
    /// <summary>The start of every name the server keeps; an <c>x-amz-meta-</c> header with it is refused.</summary>
    public const string Prefix = "objstore-";

    private const string FactsName = Prefix + "s3";

    /// <summary>The system headers S3 keeps with an object and sends back on HEAD and GET.</summary>
    public static readonly string[] SystemHeaders = ["Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"];

    /// <summary>
    /// Whether the server keeps facts in <paramref name="store"/>: it must keep user metadata and list it,
    /// so that listings show the same ETag as HEAD, and keep times, which bind the facts to a version.
    /// </summary>
    public static bool KeepsFacts(ObjectStore store) =>
        store.MetadataSupport.Keeps(MetadataKinds.UserMetadata | MetadataKinds.ModificationTime)
        && store.MetadataSupport.Lists(MetadataKinds.UserMetadata | MetadataKinds.ModificationTime);

    /// <summary>The system headers of a request as reserved metadata pairs, added to <paramref name="pairs"/>.</summary>
    public static void AddSystemHeaders(IHeaderDictionary headers, Dictionary<string, string> pairs)
    {
        foreach (var header in SystemHeaders)
        {
            var value = headers[header].ToString();
            // aws-chunked names the upload's framing, not the object's encoding; S3 drops it too.
            if (header == "Content-Encoding")
                value = string.Join(",", value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Where(coding => !coding.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));
            if (value.Length > 0) pairs[Prefix + header.ToLowerInvariant()] = value;
        }
    }

    /// <summary>The system headers kept with an object, as response headers.</summary>
    public static void WriteSystemHeaders(HttpResponse response, UserMetadata metadata)
    {
        foreach (var header in SystemHeaders)
            if (metadata.TryGetValue(Prefix + header.ToLowerInvariant(), out var value)) response.Headers[header] = value;
    }

    public static bool IsReserved(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The facts kept with <paramref name="info"/>, or null when none are kept or they describe another version.</summary>
    public static ContentFacts? Facts(ObjectInfo info)
    {
        if (info.Metadata is null || !info.Metadata.TryGetValue(FactsName, out var text)) return null;
        var facts = ContentFacts.Parse(text);
        if (facts is null || facts.Size != info.Size || info.LastModified is not { } time) return null;
        // A store gives a kept time back within its precision; every store that keeps user metadata keeps milliseconds at least.
        return Math.Abs(time.UtcTicks - facts.TimeTicks) < TimeSpan.TicksPerMillisecond ? facts : null;
    }

    /// <summary>
    /// <paramref name="options"/> with <paramref name="facts"/> (whose size is the object's) bound in,
    /// and the time they are bound to (the options' own, or now); unchanged where the store keeps no facts or the
    /// user metadata leaves no room for them (the store's tag serves then).
    /// </summary>
    public static PutOptions Bind(ObjectStore store, PutOptions options, ContentFacts facts, TimeProvider clock)
    {
        if (!KeepsFacts(store)) return options;
        var time = options.LastModified ?? clock.GetUtcNow();
        var pairs = (options.Metadata ?? UserMetadata.Empty).Where(p => p.Key != FactsName).ToList();
        pairs.Add(KeyValuePair.Create(FactsName, (facts with { TimeTicks = time.UtcTicks, TimeGiven = options.LastModified is not null }).Format()));
        return UserMetadata.TryCreate(pairs, out var metadata, out _) ? options with { Metadata = metadata, LastModified = time } : options;
    }

    /// <summary>The user metadata without the facts, which describe one version only (a copy binds them anew).</summary>
    public static UserMetadata? WithoutFacts(UserMetadata? metadata) =>
        metadata is null || !metadata.ContainsKey(FactsName) ? metadata : new UserMetadata(metadata.Where(p => p.Key != FactsName));
}

/// <summary>
/// The facts of one version of an object's content: S3's ETag (unquoted), its size and time (the
/// binding), the checksum given at the put (algorithm in lower case and S3's base64 value), and
/// the part sizes of a multipart object. <see cref="TimeGiven"/> says whether the writer gave the
/// time (x-amz-meta-mtime) rather than the server stamping it.
/// </summary>
internal sealed record ContentFacts(string ETag, long Size, long TimeTicks = 0, string? ChecksumAlgorithm = null, string? Checksum = null, IReadOnlyList<long>? PartSizes = null)
{
    public bool TimeGiven { get; init; }

    /// <summary>Each part's checksum in <see cref="ChecksumAlgorithm"/>, for a multipart object whose composite checksum was kept.</summary>
    public IReadOnlyList<string>? PartChecksums { get; init; }

    public string Format()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"etag={ETag};size={Size};time={TimeTicks}");
        if (TimeGiven) text.Append(";given=time");
        if (ChecksumAlgorithm is not null && Checksum is not null) text.Append(CultureInfo.InvariantCulture, $";checksum={ChecksumAlgorithm}:{Checksum}");
        if (PartSizes is not null) text.Append(";parts=").Append(FormatParts(PartSizes));
        if (PartChecksums is not null) text.Append(";partsums=").AppendJoin(',', PartChecksums);
        return text.ToString();
    }

    public static ContentFacts? Parse(string text)
    {
        string? etag = null, checksumAlgorithm = null, checksum = null;
        var timeGiven = false;
        string[]? partChecksums = null;
        long size = -1, time = 0;
        List<long>? parts = null;
        foreach (var field in text.Split(';'))
        {
            var equals = field.IndexOf('=');
            if (equals <= 0) return null;
            var value = field[(equals + 1)..];
            switch (field[..equals])
            {
                case "etag": etag = value; break;
                case "size": if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out size)) return null; break;
                case "time": if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out time)) return null; break;
                case "checksum":
                    var colon = value.IndexOf(':');
                    if (colon <= 0) return null;
                    (checksumAlgorithm, checksum) = (value[..colon], value[(colon + 1)..]);
                    break;
                case "parts": if ((parts = ParseParts(value)) is null) return null; break;
                case "given": timeGiven = value == "time"; break;
                case "partsums": partChecksums = value.Split(','); break;
            }
        }
        return etag is null || size < 0 ? null
            : new ContentFacts(etag, size, time, checksumAlgorithm, checksum, parts) { TimeGiven = timeGiven, PartChecksums = partChecksums };
    }

    // Runs of equal sizes, "5242880*3,1048576", so that the usual upload (equal parts, a shorter last one) stays short.
    private static string FormatParts(IReadOnlyList<long> sizes)
    {
        var runs = new List<string>();
        for (int i = 0; i < sizes.Count;)
        {
            int run = 1;
            while (i + run < sizes.Count && sizes[i + run] == sizes[i]) run++;
            runs.Add(run == 1 ? sizes[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{sizes[i]}*{run}"));
            i += run;
        }
        return string.Join(',', runs);
    }

    private static List<long>? ParseParts(string text)
    {
        var sizes = new List<long>();
        foreach (var run in text.Split(','))
        {
            var star = run.IndexOf('*');
            var count = 1;
            if (!long.TryParse(star < 0 ? run : run[..star], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                || (star >= 0 && !int.TryParse(run.AsSpan(star + 1), NumberStyles.None, CultureInfo.InvariantCulture, out count))
                || count < 1 || sizes.Count + count > 10000)
                return null;
            sizes.AddRange(Enumerable.Repeat(size, count));
        }
        return sizes;
    }
}
