using System.Security.Cryptography;
using System.Text;

namespace ObjectStorage.Server.Auth;

/// <summary>The arithmetic of AWS Signature Version 4: signing keys, signatures and the hashes they chain.</summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /// <summary>The SHA-256 of no bytes, in hex: the hash of every chunk's empty header block.</summary>
    public static readonly string EmptyHash = Hex(SHA256.HashData([]));

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static string Sign(byte[] signingKey, string stringToSign) => Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static string Hash(string text) => Hex(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Compares two hex signatures in constant time, so that timing reveals nothing of the expected one.</summary>
    public static bool SameSignature(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant()));
}

/// <summary>What a verified signature leaves for the body: the key and scope that sign each aws-chunked chunk.</summary>
/// <param name="SigningKey">The derived key of the request's date, region and service.</param>
/// <param name="AmzDate">The request time as signed ("20260101T000000Z").</param>
/// <param name="Scope">The credential scope ("20260101/us-east-1/s3/aws4_request").</param>
/// <param name="SeedSignature">The request's own signature, which the first chunk's signature chains from.</param>
internal sealed record SigningContext(byte[] SigningKey, string AmzDate, string Scope, string SeedSignature);
