using System.Globalization;
using Microsoft.AspNetCore.Http;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Operations;

/// <summary>The operations on one object: HeadObject, GetObject, PutObject, CopyObject, DeleteObject.</summary>
internal static class ObjectOperations
{
    /// <summary>Conditional puts are buffered whole, because a store's create-only put takes bytes, not a stream.</summary>
    public const int MaxConditionalPutBytes = 64 << 20;

    private static readonly string[] ResponseOverrides =
        ["Content-Type", "Content-Language", "Expires", "Cache-Control", "Content-Disposition", "Content-Encoding"];

    public static async Task GetAsync(S3Call call, bool headOnly)
    {
        var key = call.ValidKey();
        var store = call.Store;
        var (info, body) = await StatAndOpenAsync(store, key, open: !headOnly, call.Aborted).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
            await AnswerAsync(call, key, info, body).ConfigureAwait(false);
    }

    // The headers (ETag, which clients check against the body when it is an MD5) must describe the bytes sent, and an
    // overwrite may come between the Stat and the open: a second Stat that sees the same version shows that it did not.
    private static async Task<(ObjectInfo Info, Stream Body)> StatAndOpenAsync(ObjectStore store, string key, bool open, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var info = await store.StatAsync(key, cancellationToken).ConfigureAwait(false) ?? throw S3Error.NoSuchKey(key);
            if (!open) return (info, Stream.Null);
            var body = await OpenReadAsync(store, key, cancellationToken).ConfigureAwait(false);
            if (await store.StatAsync(key, cancellationToken).ConfigureAwait(false) is { } again
                && again.Size == info.Size && again.LastModified == info.LastModified && ObjectVersion.ETag(again) == ObjectVersion.ETag(info))
                return (info, body);
            await body.DisposeAsync().ConfigureAwait(false);
            if (attempt == 3) throw new S3Error(503, "SlowDown", "The object kept changing while it was being read; retry.", key);
        }
    }

    private static async Task AnswerAsync(S3Call call, string key, ObjectInfo info, Stream body)
    {
        var response = call.Response;
        switch (ObjectVersion.Judge(info, call.HttpRequest.Headers))
        {
            case 412: throw S3Error.PreconditionFailed(key, "If-Match, If-Unmodified-Since");
            case 304:
                response.StatusCode = StatusCodes.Status304NotModified;
                ObjectVersion.WriteHeaders(response, info);
                return;
        }
        var facts = ServerMetadata.Facts(info);
        var range = call.Request["partNumber"] is { } partNumber
            ? PartRange(partNumber, facts?.PartSizes, info.Size, key, response)
            : ByteRange.Parse(call.HttpRequest.Headers.Range.ToString(), info.Size, key);
        ObjectVersion.WriteHeaders(response, info);
        response.Headers.AcceptRanges = "bytes";
        RequestMetadata.WriteHeaders(response, info);
        // S3 sends the checksum given at the put only when asked, and only with the whole object.
        if (call.HttpRequest.Headers["x-amz-checksum-mode"] == "ENABLED" && facts is { ChecksumAlgorithm: { } algorithm, Checksum: { } checksum }
            && (range is null || range.Value.Length == info.Size))
            response.Headers["x-amz-checksum-" + algorithm] = checksum;
        foreach (var header in ResponseOverrides)
            if (call.Request["response-" + header.ToLowerInvariant()] is { } value) response.Headers[header] = value;
        response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        if (range is { } partial) response.Headers.ContentRange = partial.ContentRange(info.Size);
        var (first, length) = range is { } r ? (r.First, r.Length) : (0L, info.Size);
        response.ContentLength = length;
        if (body == Stream.Null) return;

        // A body of another length than the Stat's would break the response's framing.
        if (body.CanSeek && body.Length != info.Size)
            throw new S3Error(503, "SlowDown", "The object changed while it was being read; retry.", key);
        await SkipAsync(body, first, call.Aborted).ConfigureAwait(false);
        await CopyAsync(body, response.Body, length, call.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// GetObjectAttributes: the attributes <c>x-amz-object-attributes</c> names (ETag, Checksum,
    /// ObjectParts, StorageClass, ObjectSize); the checksum and parts where the server keeps them.
    /// </summary>
    public static async Task AttributesAsync(S3Call call)
    {
        var key = call.ValidKey();
        var info = await call.Store.StatAsync(key, call.Aborted).ConfigureAwait(false) ?? throw S3Error.NoSuchKey(key);
        var headers = call.HttpRequest.Headers;
        var wanted = headers["x-amz-object-attributes"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0) throw S3Error.InvalidArgument("GetObjectAttributes needs x-amz-object-attributes (ETag, Checksum, ObjectParts, StorageClass, ObjectSize).", key);
        var maxParts = headers["x-amz-max-parts"].ToString() is { Length: > 0 } maxText ? Count(maxText, "x-amz-max-parts", key) : 1000;
        var marker = headers["x-amz-part-number-marker"].ToString() is { Length: > 0 } markerText ? Count(markerText, "x-amz-part-number-marker", key) : 0;
        var facts = ServerMetadata.Facts(info);
        call.Response.Headers.LastModified = ObjectVersion.LastModified(info).ToString("R", CultureInfo.InvariantCulture);
        await S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement("GetObjectAttributesResponse", S3Xml.Namespace);
            if (wanted.Contains("ETag")) xml.Element("ETag", ObjectVersion.ETag(info).Trim('"'));
            if (wanted.Contains("Checksum") && facts is { ChecksumAlgorithm: { } algorithm, Checksum: { } checksum })
            {
                xml.WriteStartElement("Checksum");
                xml.Element("Checksum" + algorithm.ToUpperInvariant(), checksum);
                xml.WriteEndElement();
            }
            if (wanted.Contains("ObjectParts") && facts?.PartSizes is { } sizes)
            {
                var after = Enumerable.Range(1, sizes.Count).Where(n => n > marker).ToList();
                var page = after.Take(maxParts).ToList();
                xml.WriteStartElement("ObjectParts");
                xml.Element("PartsCount", sizes.Count.ToString(CultureInfo.InvariantCulture));
                xml.Element("PartNumberMarker", marker.ToString(CultureInfo.InvariantCulture));
                if (page.Count > 0) xml.Element("NextPartNumberMarker", page[^1].ToString(CultureInfo.InvariantCulture));
                xml.Element("MaxParts", maxParts.ToString(CultureInfo.InvariantCulture));
                xml.Element("IsTruncated", S3Xml.Bool(after.Count > page.Count));
                foreach (var number in page)
                {
                    xml.WriteStartElement("Part");
                    xml.Element("PartNumber", number.ToString(CultureInfo.InvariantCulture));
                    xml.Element("Size", sizes[number - 1].ToString(CultureInfo.InvariantCulture));
                    if (facts.PartChecksums is { } sums && sums.Count == sizes.Count)
                        xml.Element("Checksum" + facts.ChecksumAlgorithm!.ToUpperInvariant(), sums[number - 1]);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            if (wanted.Contains("StorageClass")) xml.Element("StorageClass", "STANDARD");
            if (wanted.Contains("ObjectSize")) xml.Element("ObjectSize", info.Size.ToString(CultureInfo.InvariantCulture));
            xml.WriteEndElement();
        }).ConfigureAwait(false);
    }

    private static int Count(string text, string header, string key) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
            : throw S3Error.InvalidArgument($"{header} '{text}' is not a non-negative number.", key);

    // GET or HEAD with ?partNumber=N: the bytes of that part of a multipart object, whose part count goes in
    // x-amz-mp-parts-count; an object put whole (or one whose parts the server does not know) is its one part.
    private static ByteRange? PartRange(string text, IReadOnlyList<long>? partSizes, long size, string key, HttpResponse response)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            throw S3Error.InvalidArgument($"Part number must be a positive integer (got '{text}').", key);
        var count = partSizes?.Count ?? 1;
        if (number > count)
            throw new S3Error(400, "InvalidPart", string.Create(CultureInfo.InvariantCulture, $"The object has {count} part(s); there is no part {number}."), key);
        if (partSizes is null) return null;
        response.Headers["x-amz-mp-parts-count"] = count.ToString(CultureInfo.InvariantCulture);
        var first = partSizes.Take(number - 1).Sum();
        return new ByteRange(first, partSizes[number - 1]);
    }

    public static async Task PutAsync(S3Call call)
    {
        var key = call.ValidKey();
        var store = call.WritableStore();
        var headers = call.HttpRequest.Headers;
        var ifNoneMatch = headers.IfNoneMatch.ToString();
        if (headers.IfMatch.Count > 0 || (ifNoneMatch.Length > 0 && ifNoneMatch != "*"))
        {
            // A condition that fails is decided now and nothing is written; one that holds would need an atomic
            // compare-and-swap, which no store offers, so it is refused rather than run as a check and a separate put.
            var current = await store.StatAsync(key, call.Aborted).ConfigureAwait(false);
            if (current is null && headers.IfMatch.Count > 0) throw S3Error.NoSuchKey(key);
            if (current is not null && ObjectVersion.Judge(current, headers.IfMatch.ToString(), ifNoneMatch, "", "") is not null)
                throw S3Error.PreconditionFailed(key, "If-Match, If-None-Match");
            throw S3Error.NotImplemented("A conditional PutObject whose If-Match or If-None-Match (other than '*') holds (no store has an atomic compare-and-swap)");
        }
        var putOptions = RequestMetadata.Keepable(store, RequestMetadata.Options(headers, key), call.Response);
        await using var body = RequestBody.Open(call.HttpRequest, call.Caller, key);
        var keepsFacts = ServerMetadata.KeepsFacts(store);
        if (keepsFacts) body.ComputeMd5();
        if (ifNoneMatch == "*")
        {
            if (!store.CanPutIfNotExists)
                throw S3Error.NotImplemented($"If-None-Match: * on the bucket '{call.Bucket}' (its store, {store}, has no atomic create-only put)");
            var data = await ReadLimitedAsync(body, MaxConditionalPutBytes, key, call.Aborted).ConfigureAwait(false);
            if (keepsFacts) putOptions = ServerMetadata.Bind(store, putOptions, FactsOf(body, data.Length), call.Options.Clock);
            if (!await store.PutIfNotExistsAsync(key, data, putOptions, call.Aborted).ConfigureAwait(false))
                throw S3Error.PreconditionFailed(key, "If-None-Match: *");
        }
        else if (keepsFacts)
        {
            // The MD5 and a trailing checksum are known only at the body's end, and the put's metadata is given at its start.
            var whole = await SpooledBody.ReadAsync(body, call.Uploads.Directory, call.Aborted).ConfigureAwait(false);
            await using (whole.ConfigureAwait(false))
            {
                putOptions = ServerMetadata.Bind(store, putOptions, FactsOf(body, whole.Length), call.Options.Clock);
                await store.PutAsync(key, whole, putOptions, call.Aborted).ConfigureAwait(false);
            }
        }
        else
        {
            await store.PutAsync(key, body, putOptions, call.Aborted).ConfigureAwait(false);
        }
        // The tag a later HEAD or listing shows; another writer may have replaced the object since.
        if (await store.StatAsync(key, call.Aborted).ConfigureAwait(false) is { } info) call.Response.Headers.ETag = ObjectVersion.ETag(info);
        RequestBody.EchoChecksum(call.Response, body);
        call.Response.StatusCode = StatusCodes.Status200OK;
    }

    // What a put of the whole body knows once it has ended: S3's ETag (the MD5) and the checksum the request declared.
    private static ContentFacts FactsOf(VerifyingStream body, long size) => new(
        Convert.ToHexStringLower(body.Md5 ?? throw new InvalidOperationException("The body's MD5 was not computed.")), size,
        ChecksumAlgorithm: body.DeclaredChecksum?.Algorithm,
        Checksum: body.DeclaredChecksum?.Value() is { } checksum ? Convert.ToBase64String(checksum) : null);

    public static async Task CopyAsync(S3Call call, string copySource)
    {
        var key = call.ValidKey();
        var target = call.WritableStore();
        var directive = call.HttpRequest.Headers["x-amz-metadata-directive"].ToString();
        if (directive.Length > 0 && directive != "COPY" && directive != "REPLACE")
            throw S3Error.InvalidArgument($"x-amz-metadata-directive '{directive}' is neither COPY nor REPLACE.", key);
        var (source, sourceKey, info) = await CopySourceAsync(call, copySource).ConfigureAwait(false);
        var onItself = ReferenceEquals(source, target) && sourceKey == key;
        if (onItself && directive != "REPLACE")
            throw S3Error.InvalidRequest("This copy request is illegal because it copies an object onto itself without changing its metadata.", key);
        // COPY takes the source's content type and user metadata; REPLACE those of the request. The copy is a new write, with a new time, as in S3.
        var putOptions = RequestMetadata.Keepable(target, directive == "REPLACE"
            ? RequestMetadata.Options(call.HttpRequest.Headers, key)
            : new PutOptions { ContentType = info.ContentType, Metadata = ServerMetadata.WithoutFacts(info.Metadata) }, call.Response);
        // The same bytes have the same ETag and checksum; they are bound to the copy's own time.
        if (ServerMetadata.Facts(info) is { } facts) putOptions = ServerMetadata.Bind(target, putOptions, facts, call.Options.Clock);
        var body = await ObjectOperations.OpenReadAsync(source, sourceKey, call.Aborted).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
            await target.PutAsync(key, body, putOptions, call.Aborted).ConfigureAwait(false);
        var written = await target.StatAsync(key, call.Aborted).ConfigureAwait(false) ?? info;
        await S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement("CopyObjectResult", S3Xml.Namespace);
            xml.Element("LastModified", S3Xml.Time(ObjectVersion.LastModified(written)));
            xml.Element("ETag", ObjectVersion.ETag(written));
            xml.WriteEndElement();
        }).ConfigureAwait(false);
    }

    /// <summary>The store, key and metadata of what <c>x-amz-copy-source</c> names, with its <c>x-amz-copy-source-if-*</c> conditions checked.</summary>
    public static async Task<(ObjectStore Store, string Key, ObjectInfo Info)> CopySourceAsync(S3Call call, string copySource)
    {
        var (sourceBucket, sourceKey) = ParseCopySource(copySource);
        var source = call.StoreOf(sourceBucket);
        var info = await source.StatAsync(sourceKey, call.Aborted).ConfigureAwait(false) ?? throw S3Error.NoSuchKey(sourceKey);
        if (ObjectVersion.Judge(info, call.HttpRequest.Headers, "x-amz-copy-source-") is not null)
            throw S3Error.PreconditionFailed(call.Key, "x-amz-copy-source-if-*");
        return (source, sourceKey, info);
    }

    public static async Task DeleteAsync(S3Call call)
    {
        var key = call.ValidKey();
        var store = call.WritableStore(delete: true);
        if (call.HttpRequest.Headers.IfMatch.Count > 0) throw S3Error.NotImplemented("A conditional DeleteObject with If-Match");
        await store.DeleteAsync(key, call.Aborted).ConfigureAwait(false);
        call.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    // "/bucket/key", "bucket/key" or either with "?versionId=...", percent-encoded.
    private static (string Bucket, string Key) ParseCopySource(string header)
    {
        var question = header.IndexOf('?');
        if (question >= 0)
        {
            var query = header[(question + 1)..];
            if (query.StartsWith("versionId=", StringComparison.Ordinal) && query != "versionId=null")
                throw S3Error.NotImplemented("Copying a version (versionId) of an object");
            header = header[..question];
        }
        var decoded = UriEncoding.Decode(header) ?? throw S3Error.InvalidArgument("x-amz-copy-source is not percent-encoded UTF-8.");
        if (decoded.StartsWith('/')) decoded = decoded[1..];
        var slash = decoded.IndexOf('/');
        if (slash <= 0 || slash == decoded.Length - 1) throw S3Error.InvalidArgument($"x-amz-copy-source '{header}' is not BUCKET/KEY.");
        return (decoded[..slash], S3Call.ValidKey(decoded[(slash + 1)..]));
    }

    /// <summary>Reads a body of at most <paramref name="limit"/> bytes, or throws what <paramref name="tooLarge"/> makes (EntityTooLarge by default).</summary>
    public static async Task<byte[]> ReadLimitedAsync(Stream body, int limit, string? key, CancellationToken cancellationToken, Func<S3Error>? tooLarge = null)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
                throw tooLarge?.Invoke() ?? new S3Error(400, "EntityTooLarge", string.Create(CultureInfo.InvariantCulture, $"A conditional put is limited to {limit} bytes on this server."), key);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Opens an object for reading; NoSuchKey when it is gone (deleted since it was found).</summary>
    public static async Task<Stream> OpenReadAsync(ObjectStore store, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            throw S3Error.NoSuchKey(key);
        }
    }

    public static async Task SkipAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        if (body.CanSeek)
        {
            body.Seek(count, SeekOrigin.Current);
            return;
        }
        var scratch = new byte[81920];
        while (count > 0)
        {
            var read = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0) throw new EndOfStreamException("The object ended before the requested range.");
            count -= read;
        }
    }

    private static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0) throw new EndOfStreamException("The object ended before the length its metadata gave.");
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            count -= read;
        }
    }
}
