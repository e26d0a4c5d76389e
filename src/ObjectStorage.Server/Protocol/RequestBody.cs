using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using ObjectStorage.Server.Auth;

namespace ObjectStorage.Server.Protocol;

/// <summary>
/// The body of an upload as the store should see it: aws-chunked framing removed, and every digest
/// the request declares (signed SHA-256, Content-MD5, x-amz-checksum-* in a header or a trailer)
/// checked as it streams, so that a mismatch fails the store's atomic put.
/// </summary>
internal static class RequestBody
{
    private static readonly string[] ChecksumAlgorithms = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"];

    public static VerifyingStream Open(HttpRequest http, Caller caller, string? key, bool checksumsOfBody = true)
    {
        AwsChunkedStream? chunked = caller.PayloadHash switch
        {
            SigV4.StreamingSigned => new AwsChunkedStream(http.Body, caller.Signing, hasTrailer: false, key),
            SigV4.StreamingSignedTrailer => new AwsChunkedStream(http.Body, caller.Signing, hasTrailer: true, key),
            SigV4.StreamingUnsignedTrailer => new AwsChunkedStream(http.Body, null, hasTrailer: true, key),
            _ => null,
        };
        long? decodedLength = null;
        if (chunked is not null && http.Headers["x-amz-decoded-content-length"].ToString() is { Length: > 0 } declared)
            decodedLength = long.TryParse(declared, out var length) && length >= 0 ? length
                : throw S3Error.InvalidArgument($"x-amz-decoded-content-length '{declared}' is not a length.", key);
        var body = new VerifyingStream(chunked ?? http.Body, decodedLength, key);

        var payload = caller.PayloadHash;
        if (chunked is null && payload != SigV4.UnsignedPayload)
        {
            if (payload.StartsWith("STREAMING-", StringComparison.Ordinal)) throw S3Error.NotImplemented($"The payload mode {payload}");
            if (payload.Length != 64 || !payload.All(char.IsAsciiHexDigit))
                throw S3Error.InvalidArgument($"x-amz-content-sha256 '{payload}' is neither a hex SHA-256 nor a known payload mode.", key);
            var signedHash = Convert.FromHexString(payload);
            body.Add(new Digest.Hash(HashAlgorithmName.SHA256), () => signedHash,
                () => new S3Error(400, "XAmzContentSHA256Mismatch", "The SHA-256 of the body does not match x-amz-content-sha256; nothing was stored.", key));
        }
        if (http.Headers["Content-MD5"].ToString() is { Length: > 0 } md5Text)
        {
            var md5 = FromBase64(md5Text, "Content-MD5", key);
            if (md5.Length != 16) throw new S3Error(400, "InvalidDigest", "Content-MD5 is not the base64 of 16 bytes.", key);
            body.Add(new Digest.Hash(HashAlgorithmName.MD5), () => md5, () => S3Error.BadDigest(key, "MD5 (Content-MD5)"));
        }
        var trailerNames = http.Headers["x-amz-trailer"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var algorithm in checksumsOfBody ? ChecksumAlgorithms : [])
        {
            var header = "x-amz-checksum-" + algorithm;
            var inHeader = http.Headers[header].ToString();
            var inTrailer = trailerNames.Contains(header, StringComparer.OrdinalIgnoreCase);
            if (inHeader.Length == 0 && !inTrailer) continue;
            var digest = Digest.ForChecksum(algorithm) ?? throw S3Error.NotImplemented($"The checksum {header}");
            if (inTrailer && chunked is null) throw S3Error.InvalidRequest($"x-amz-trailer names {header}, but the body is not aws-chunked.", key);
            // A checksum that is not base64 matches no body: BadDigest, as s3-tests expects (Content-MD5's is InvalidDigest).
            Func<byte[]?> expected = inHeader.Length > 0
                ? () => FromBase64(inHeader, header, key, "BadDigest")
                : () => chunked!.Trailers.TryGetValue(header, out var value) ? FromBase64(value, header, key, "BadDigest")
                    : throw S3Error.InvalidRequest($"The upload announced the trailer {header} but did not send it; nothing was stored.", key);
            body.Add(digest, expected, () => S3Error.BadDigest(key, $"checksum ({header})"));
            body.DeclaredChecksum = (algorithm, expected);
        }
        return body;
    }

    /// <summary>The checksum the body declared (checked by now, at its end) in the answer, as S3 echoes it.</summary>
    public static void EchoChecksum(HttpResponse response, VerifyingStream body)
    {
        if (body.DeclaredChecksum is { } checksum && checksum.Value() is { } value)
            response.Headers["x-amz-checksum-" + checksum.Algorithm] = Convert.ToBase64String(value);
    }

    private static byte[] FromBase64(string text, string header, string? key, string code = "InvalidDigest")
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new S3Error(400, code, $"{header} '{text}' is not base64; nothing was stored.", key);
        }
    }
}
