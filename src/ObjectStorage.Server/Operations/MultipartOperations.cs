using System.Globalization;
using System.Xml;
using Microsoft.AspNetCore.Http;
using ObjectStorage.Server.Multipart;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Operations;

/// <summary>
/// Multipart uploads: Create, UploadPart, UploadPartCopy, Complete, Abort, ListParts and
/// ListMultipartUploads, over parts spooled to disk; Complete streams the parts into the store's
/// atomic put, so the object appears whole or not at all.
/// </summary>
internal static class MultipartOperations
{
    private const int MaxPartNumber = 10000;
    private const int MaxListed = 1000;
    private const int MaxCompleteDocumentBytes = 4 << 20;

    public static async Task CreateAsync(S3Call call)
    {
        var key = call.ValidKey();
        call.WritableStore();
        var headers = call.HttpRequest.Headers;
        // Checked now, so that a client learns of bad metadata before it uploads the parts.
        var contentType = RequestMetadata.ContentType(headers);
        var pairs = RequestMetadata.Pairs(headers, key);
        RequestMetadata.Options(contentType, pairs, key);
        var checksumAlgorithm = headers["x-amz-checksum-algorithm"].ToString() is { Length: > 0 } named ? named.ToLowerInvariant() : null;
        if (checksumAlgorithm is not null && Digest.ForChecksum(checksumAlgorithm) is null)
            throw S3Error.NotImplemented($"The checksum algorithm '{checksumAlgorithm}' of a multipart upload");
        var upload = call.Uploads.Create(call.Bucket, key, call.Caller.AccessKeyId, contentType, pairs, call.Options.Clock.GetUtcNow(), checksumAlgorithm);
        if (checksumAlgorithm is not null) call.Response.Headers["x-amz-checksum-algorithm"] = checksumAlgorithm.ToUpperInvariant();
        await S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement("InitiateMultipartUploadResult", S3Xml.Namespace);
            xml.Element("Bucket", call.Bucket);
            xml.Element("Key", key);
            xml.Element("UploadId", upload.Id);
            xml.WriteEndElement();
        }).ConfigureAwait(false);
    }

    public static async Task UploadPartAsync(S3Call call)
    {
        var key = call.ValidKey();
        call.WritableStore();
        var upload = call.Uploads.Get(call.Bucket, key, call.Request["uploadId"]!);
        var number = PartNumber(call, key);
        if (call.HttpRequest.Headers["x-amz-copy-source"].ToString() is { Length: > 0 } copySource)
        {
            await CopyPartAsync(call, upload, number, copySource).ConfigureAwait(false);
            return;
        }
        await using var body = RequestBody.Open(call.HttpRequest, call.Caller, key);
        var part = await call.Uploads.WritePartAsync(upload, number, body, call.Aborted,
            () => body.DeclaredChecksum is { } declared && declared.Value() is { } value ? (declared.Algorithm, value) : null).ConfigureAwait(false);
        call.Response.Headers.ETag = part.ETag;
        RequestBody.EchoChecksum(call.Response, body);
        call.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task CopyPartAsync(S3Call call, MultipartSpool.Upload upload, int number, string copySource)
    {
        var (source, sourceKey, info) = await ObjectOperations.CopySourceAsync(call, copySource).ConfigureAwait(false);
        long first = 0, length = info.Size;
        if (call.HttpRequest.Headers["x-amz-copy-source-range"].ToString() is { Length: > 0 } rangeText)
        {
            // S3 accepts only bytes=FIRST-LAST here: other forms are InvalidArgument, a range beyond the source InvalidRange.
            var range = ParseCopyRange(rangeText, info.Size, upload.Key);
            (first, length) = (range.First, range.Length);
        }
        var body = await ObjectOperations.OpenReadAsync(source, sourceKey, call.Aborted).ConfigureAwait(false);
        MultipartSpool.Part part;
        await using (body.ConfigureAwait(false))
        {
            await ObjectOperations.SkipAsync(body, first, call.Aborted).ConfigureAwait(false);
            part = await call.Uploads.WritePartAsync(upload, number, new LengthLimitedStream(body, length), call.Aborted).ConfigureAwait(false);
        }
        if (part.Size != length)
            throw new S3Error(503, "SlowDown", "The source object changed while it was being copied; retry.", sourceKey);
        await S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement("CopyPartResult", S3Xml.Namespace);
            xml.Element("LastModified", S3Xml.Time(part.LastModified));
            xml.Element("ETag", part.ETag);
            xml.WriteEndElement();
        }).ConfigureAwait(false);
    }

    public static async Task CompleteAsync(S3Call call)
    {
        var key = call.ValidKey();
        var store = call.WritableStore();
        var uploadId = call.Request["uploadId"]!;
        if (call.Uploads.WasCompleted(call.Bucket, key, uploadId) && await store.StatAsync(key, call.Aborted).ConfigureAwait(false) is { } done)
        {
            await WriteCompletedAsync(call, key, ObjectVersion.ETag(done), ServerMetadata.Facts(done)).ConfigureAwait(false);
            return;
        }
        var upload = call.Uploads.Get(call.Bucket, key, uploadId);
        byte[] document;
        // Its x-amz-checksum-* headers are the object's composite checksum, not the document's.
        await using (var body = RequestBody.Open(call.HttpRequest, call.Caller, key, checksumsOfBody: false))
            document = await ObjectOperations.ReadLimitedAsync(body, MaxCompleteDocumentBytes, key, call.Aborted,
                () => S3Error.MalformedXml($"The CompleteMultipartUpload document is larger than {MaxCompleteDocumentBytes >> 20} MiB.")).ConfigureAwait(false);
        var requested = ParseCompletion(document);
        var uploaded = call.Uploads.Parts(upload).ToDictionary(p => p.Number);
        var chosen = new List<MultipartSpool.Part>(requested.Count);
        for (int i = 0; i < requested.Count; i++)
        {
            var (number, etag) = requested[i];
            if (i > 0 && number < requested[i - 1].Number)
                throw new S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order: each part number must be greater than the one before it.", key);
            // A number listed twice in a row is a part the client sent again; its last listing counts, as in RGW, so that
            // a resent part whose upload finished last is named by the tag of the part that is there now.
            if (i + 1 < requested.Count && number == requested[i + 1].Number) continue;
            if (!uploaded.TryGetValue(number, out var part) || part.Md5Hex != etag.Trim().Trim('"').ToLowerInvariant())
                throw new S3Error(400, "InvalidPart", string.Create(CultureInfo.InvariantCulture,
                    $"Part {number} was not uploaded, or its ETag is not {etag}: name each part with the ETag its upload returned."), key);
            chosen.Add(part);
        }
        for (int i = 0; i < chosen.Count - 1; i++)
            if (chosen[i].Size < call.Options.MinPartSize)
                throw new S3Error(400, "EntityTooSmall", string.Create(CultureInfo.InvariantCulture,
                    $"Part {chosen[i].Number} is {chosen[i].Size} bytes; every part but the last must be at least {call.Options.MinPartSize} bytes."), key);

        var putOptions = RequestMetadata.Keepable(store, RequestMetadata.Options(upload.ContentType, upload.Metadata, key), call.Response);
        var (algorithm, checksum) = CompositeChecksum(call, upload, chosen, key);
        var facts = new ContentFacts(MultipartETag(chosen), chosen.Sum(p => p.Size), ChecksumAlgorithm: algorithm, Checksum: checksum, PartSizes: [.. chosen.Select(p => p.Size)])
        {
            PartChecksums = checksum is null ? null : [.. chosen.Select(p => p.Checksum!)],
        };
        putOptions = ServerMetadata.Bind(store, putOptions, facts, call.Options.Clock);
        await using (var joined = call.Uploads.OpenConcatenated(chosen))
            await store.PutAsync(key, joined, putOptions, call.Aborted).ConfigureAwait(false);
        call.Uploads.RemoveCompleted(upload);
        var written = await store.StatAsync(key, call.Aborted).ConfigureAwait(false);
        // The tag HEAD and listings show for the object, so that a client comparing them agrees.
        await WriteCompletedAsync(call, key, written is null ? "\"" + facts.ETag + "\"" : ObjectVersion.ETag(written), written is null ? facts : ServerMetadata.Facts(written)).ConfigureAwait(false);
    }

    /// <summary>
    /// S3's composite checksum of the chosen parts (the checksum of their checksums, "-N"), in the upload's
    /// algorithm or the one the Complete request names; BadDigest when the request gives another value or a
    /// part was uploaded without one. Null where neither names an algorithm.
    /// </summary>
    private static (string? Algorithm, string? Checksum) CompositeChecksum(S3Call call, MultipartSpool.Upload upload, List<MultipartSpool.Part> parts, string key)
    {
        string? given = null;
        var algorithm = upload.ChecksumAlgorithm;
        foreach (var name in new[] { "crc32", "crc32c", "sha1", "sha256" })
            if (call.HttpRequest.Headers["x-amz-checksum-" + name].ToString() is { Length: > 0 } value) (algorithm, given) = (name, value);
        if (algorithm is null || Digest.ForChecksum(algorithm) is not { } digest) return (null, null);
        foreach (var part in parts)
        {
            if (part.ChecksumAlgorithm != algorithm || part.Checksum is null)
            {
                if (given is not null) throw S3Error.BadDigest(key, $"composite checksum ({algorithm}, part {part.Number} was uploaded without one)");
                return (null, null);
            }
            digest.Append(Convert.FromBase64String(part.Checksum));
        }
        var composite = Convert.ToBase64String(digest.Finish()) + "-" + Number(parts.Count);
        if (given is not null && given != composite) throw S3Error.BadDigest(key, $"composite checksum ({algorithm})");
        return (algorithm, composite);
    }

    private static Task WriteCompletedAsync(S3Call call, string key, string etag, ContentFacts? facts) => S3Xml.WriteAsync(call.Response, 200, xml =>
    {
        xml.WriteStartElement("CompleteMultipartUploadResult", S3Xml.Namespace);
        xml.Element("Location", $"{call.HttpRequest.Scheme}://{call.HttpRequest.Host}{call.Request.Path}");
        xml.Element("Bucket", call.Bucket);
        xml.Element("Key", key);
        xml.Element("ETag", etag);
        if (facts is { ChecksumAlgorithm: { } algorithm, Checksum: { } checksum }) xml.Element("Checksum" + algorithm.ToUpperInvariant(), checksum);
        xml.WriteEndElement();
    });

    public static Task AbortAsync(S3Call call)
    {
        var key = call.ValidKey();
        call.WritableStore();
        call.Uploads.Remove(call.Uploads.Get(call.Bucket, key, call.Request["uploadId"]!));
        call.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    public static Task ListPartsAsync(S3Call call)
    {
        var key = call.ValidKey();
        RefuseAnonymous(call);
        var upload = call.Uploads.Get(call.Bucket, key, call.Request["uploadId"]!);
        var marker = NonNegative(call, "part-number-marker", 0);
        var maxParts = Math.Min(NonNegative(call, "max-parts", MaxListed), MaxListed);
        var after = call.Uploads.Parts(upload).Where(p => p.Number > marker).ToList();
        var page = after.Take(maxParts).ToList();
        var truncated = after.Count > page.Count;
        return S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement("ListPartsResult", S3Xml.Namespace);
            xml.Element("Bucket", call.Bucket);
            xml.Element("Key", key);
            xml.Element("UploadId", upload.Id);
            S3Xml.Owner(xml, "Initiator", upload.Initiator);
            S3Xml.Owner(xml, "Owner", upload.Initiator);
            xml.Element("StorageClass", "STANDARD");
            xml.Element("PartNumberMarker", Number(marker));
            if (page.Count > 0) xml.Element("NextPartNumberMarker", Number(page[^1].Number));
            xml.Element("MaxParts", Number(maxParts));
            xml.Element("IsTruncated", S3Xml.Bool(truncated));
            foreach (var part in page)
            {
                xml.WriteStartElement("Part");
                xml.Element("PartNumber", Number(part.Number));
                xml.Element("LastModified", S3Xml.Time(part.LastModified));
                xml.Element("ETag", part.ETag);
                xml.Element("Size", part.Size.ToString(CultureInfo.InvariantCulture));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        });
    }

    public static Task ListUploadsAsync(S3Call call)
    {
        _ = call.Store;
        RefuseAnonymous(call);
        var request = call.Request;
        var prefix = request["prefix"] ?? "";
        var delimiter = request["delimiter"] is { Length: > 0 } d ? d : null;
        var keyMarker = request["key-marker"] is { Length: > 0 } k ? k : null;
        var uploadIdMarker = keyMarker is null ? null : request["upload-id-marker"] is { Length: > 0 } u ? u : null;
        var maxUploads = Math.Min(NonNegative(call, "max-uploads", MaxListed), MaxListed);
        var encodingType = request["encoding-type"];
        var encode = UriEncoding.ForListing(encodingType);

        var uploads = new List<MultipartSpool.Upload>();
        var commonPrefixes = new List<string>();
        var truncated = false;
        string? nextKey = null, nextId = null;
        var passedMarkerUpload = uploadIdMarker is null;
        foreach (var upload in call.Uploads.List(call.Bucket))
        {
            if (!upload.Key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (keyMarker is not null)
            {
                var order = KeyComparer.Utf8.Compare(upload.Key, keyMarker);
                if (order < 0) continue;
                if (order == 0)
                {
                    // Within the marker's key, uploads after the marker's upload id follow; without one, the whole key is passed.
                    if (!passedMarkerUpload)
                    {
                        if (upload.Id == uploadIdMarker) passedMarkerUpload = true;
                        continue;
                    }
                    if (uploadIdMarker is null) continue;
                }
            }
            string? rolledUp = null;
            if (delimiter is not null && upload.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal) is var at and >= 0)
                rolledUp = upload.Key[..(at + delimiter.Length)];
            if (rolledUp is not null && commonPrefixes.Count > 0 && commonPrefixes[^1] == rolledUp) continue;
            if (keyMarker is not null && rolledUp is not null && keyMarker.StartsWith(rolledUp, StringComparison.Ordinal)) continue;
            if (uploads.Count + commonPrefixes.Count == maxUploads)
            {
                truncated = true;
                break;
            }
            if (rolledUp is not null)
            {
                commonPrefixes.Add(rolledUp);
                (nextKey, nextId) = (rolledUp, null);
            }
            else
            {
                uploads.Add(upload);
                (nextKey, nextId) = (upload.Key, upload.Id);
            }
        }
        return S3Xml.WriteAsync(call.Response, 200, xml =>
        {
            xml.WriteStartElement("ListMultipartUploadsResult", S3Xml.Namespace);
            xml.Element("Bucket", call.Bucket);
            xml.Element("KeyMarker", encode(keyMarker ?? ""));
            xml.Element("UploadIdMarker", uploadIdMarker ?? "");
            if (truncated)
            {
                xml.Element("NextKeyMarker", encode(nextKey!));
                xml.Element("NextUploadIdMarker", nextId ?? "");
            }
            xml.Element("Prefix", encode(prefix));
            xml.Element("Delimiter", delimiter is null ? null : encode(delimiter));
            xml.Element("MaxUploads", Number(maxUploads));
            xml.Element("EncodingType", encodingType);
            xml.Element("IsTruncated", S3Xml.Bool(truncated));
            foreach (var upload in uploads)
            {
                xml.WriteStartElement("Upload");
                xml.Element("Key", encode(upload.Key));
                xml.Element("UploadId", upload.Id);
                S3Xml.Owner(xml, "Initiator", upload.Initiator);
                S3Xml.Owner(xml, "Owner", upload.Initiator);
                xml.Element("StorageClass", "STANDARD");
                xml.Element("Initiated", S3Xml.Time(upload.Initiated));
                xml.WriteEndElement();
            }
            foreach (var commonPrefix in commonPrefixes)
            {
                xml.WriteStartElement("CommonPrefixes");
                xml.Element("Prefix", encode(commonPrefix));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        });
    }

    /// <summary>S3's tag for a multipart object (unquoted): the MD5 of the parts' MD5s and the number of parts.</summary>
    private static string MultipartETag(IReadOnlyList<MultipartSpool.Part> parts)
    {
        var joined = parts.SelectMany(p => Convert.FromHexString(p.Md5Hex)).ToArray();
        return Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(joined)) + "-" + Number(parts.Count);
    }

    private static int PartNumber(S3Call call, string key)
    {
        var text = call.Request["partNumber"];
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > MaxPartNumber)
            throw S3Error.InvalidArgument($"Part number must be an integer between 1 and {MaxPartNumber}, inclusive (got '{text}').", key);
        return number;
    }

    private static ByteRange ParseCopyRange(string text, long size, string key)
    {
        var spec = text.StartsWith("bytes=", StringComparison.Ordinal) ? text["bytes=".Length..] : null;
        var dash = spec?.IndexOf('-') ?? -1;
        if (spec is null || dash <= 0
            || !long.TryParse(spec.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(spec.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last < first)
            throw S3Error.InvalidArgument($"x-amz-copy-source-range '{text}' is not bytes=FIRST-LAST.", key);
        if (last >= size) throw ByteRange.Unsatisfiable(size, key);
        return new ByteRange(first, last - first + 1);
    }

    private static List<(int Number, string ETag)> ParseCompletion(byte[] document)
    {
        var parts = new List<(int, string)>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(document), settings);
            int? number = null;
            string? etag = null;
            reader.Read();
            // ReadElementContentAsString moves past the element itself, so only other nodes need a Read.
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "PartNumber")
                    number = int.TryParse(reader.ReadElementContentAsString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                        : throw S3Error.MalformedXml("A PartNumber of the CompleteMultipartUpload document is not a number.");
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "ETag")
                    etag = reader.ReadElementContentAsString();
                else
                {
                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Part")
                        (number, etag) = (null, null);
                    else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "Part")
                    {
                        if (number is null || etag is null) throw S3Error.MalformedXml("Each Part of the CompleteMultipartUpload document needs a PartNumber and an ETag.");
                        parts.Add((number.Value, etag));
                    }
                    reader.Read();
                }
            }
        }
        catch (XmlException e)
        {
            throw S3Error.MalformedXml($"The CompleteMultipartUpload document is not well-formed XML: {e.Message}");
        }
        if (parts.Count == 0) throw S3Error.MalformedXml("The CompleteMultipartUpload document names no part.");
        return parts;
    }

    private static void RefuseAnonymous(S3Call call)
    {
        if (call.Caller.IsAnonymous) throw S3Error.AccessDenied("Anonymous requests may not see multipart uploads in progress.");
    }

    private static int NonNegative(S3Call call, string name, int missing)
    {
        var text = call.Request[name];
        if (text is null) return missing;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
            : throw S3Error.InvalidArgument($"{name} '{text}' is not a non-negative number.");
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
