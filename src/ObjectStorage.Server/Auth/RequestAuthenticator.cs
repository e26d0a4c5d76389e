using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Auth;

/// <summary>Who sent a request: anonymous, or the holder of an access key whose signature checked out.</summary>
/// <param name="AccessKeyId">The verified access key, or null for an anonymous request.</param>
/// <param name="PayloadHash">What the signature says of the body: a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-... mode.</param>
/// <param name="Signing">The key and scope that sign aws-chunked chunks; null for anonymous requests.</param>
internal sealed record Caller(string? AccessKeyId, string PayloadHash, SigningContext? Signing)
{
    public bool IsAnonymous => AccessKeyId is null;
}

/// <summary>
/// Verifies SigV4 signatures in the Authorization header and in presigned query strings against
/// the configured credentials, from the raw request so that what is checked is what was sent.
/// </summary>
internal sealed class RequestAuthenticator(S3ServerOptions options)
{
    private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>True when the request carries no signature at all, in the header or the query.</summary>
    public static bool IsUnsigned(HttpRequest http, S3Request request) =>
        http.Headers.Authorization.Count == 0 && !request.Has("X-Amz-Signature") && !request.Has("Signature") && !request.Has("AWSAccessKeyId");

    public Caller Authenticate(HttpRequest http, S3Request request)
    {
        var authorization = http.Headers.Authorization.ToString();
        if (authorization.Length > 0) return FromHeader(http, request, authorization);
        if (request.Has("X-Amz-Signature")) return FromQuery(http, request);
        if (request.Has("Signature") || request.Has("AWSAccessKeyId"))
            throw S3Error.InvalidRequest("Signature Version 2 is not supported; sign requests with AWS4-HMAC-SHA256.");
        if (!options.AnonymousRead) throw S3Error.AccessDenied("Anonymous requests are not allowed: sign the request with an access key this server knows.");
        if (!HttpMethods.IsGet(http.Method) && !HttpMethods.IsHead(http.Method))
            throw S3Error.AccessDenied("Anonymous requests may only read (the server runs with anonymous read only).");
        return new Caller(null, SigV4.UnsignedPayload, null);
    }

    private Caller FromHeader(HttpRequest http, S3Request request, string authorization)
    {
        if (!authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
            throw S3Error.InvalidRequest("Only AWS4-HMAC-SHA256 authorization is supported (Signature Version 2 and SigV4a are not).");
        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in authorization[(SigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals < 0) continue;
            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }
        if (credential is null || signedHeaders is null || signature is null)
            throw S3Error.InvalidArgument("The Authorization header lacks Credential, SignedHeaders or Signature.");
        var amzDate = http.Headers["x-amz-date"].ToString();
        if (amzDate.Length == 0) throw new S3Error(403, "AccessDenied", "A signed request needs an x-amz-date header.");
        var payloadHash = http.Headers["x-amz-content-sha256"].ToString();
        if (payloadHash.Length == 0) throw S3Error.InvalidRequest("A request signed in the header needs x-amz-content-sha256 (S3 requires it).");
        var canonicalQuery = CanonicalQuery(request, excludeSignature: false);
        return Verify(http, request, credential, signedHeaders, signature, amzDate, canonicalQuery, payloadHash, expires: null);
    }

    private Caller FromQuery(HttpRequest http, S3Request request)
    {
        if (request["X-Amz-Algorithm"] != SigV4.Algorithm) throw S3Error.InvalidRequest("Presigned URLs must use X-Amz-Algorithm=AWS4-HMAC-SHA256.");
        var credential = request["X-Amz-Credential"];
        var signedHeaders = request["X-Amz-SignedHeaders"];
        var amzDate = request["X-Amz-Date"];
        var expiresText = request["X-Amz-Expires"];
        if (credential is null || signedHeaders is null || amzDate is null || expiresText is null)
            throw S3Error.AccessDenied("A presigned URL needs X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Date and X-Amz-Expires.");
        if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires is < 1 or > 604800)
            throw S3Error.AuthorizationQueryParametersError("X-Amz-Expires must be a number of seconds from 1 to 604800.");
        var payloadHash = request["X-Amz-Content-Sha256"] ?? SigV4.UnsignedPayload;
        var canonicalQuery = CanonicalQuery(request, excludeSignature: true);
        return Verify(http, request, credential, signedHeaders, request["X-Amz-Signature"]!, amzDate, canonicalQuery, payloadHash, TimeSpan.FromSeconds(expires));
    }

    private Caller Verify(HttpRequest http, S3Request request, string credential, string signedHeaders, string signature,
        string amzDate, string canonicalQuery, string payloadHash, TimeSpan? expires)
    {
        // Credential = ACCESSKEY/DATE/REGION/SERVICE/aws4_request; the access key itself may not contain '/'.
        var scopeParts = credential.Split('/');
        if (scopeParts.Length != 5 || scopeParts[4] != "aws4_request")
            throw S3Error.AuthorizationHeaderMalformed($"The credential '{credential}' is not ACCESSKEY/DATE/REGION/SERVICE/aws4_request.");
        var (accessKey, date, region, service) = (scopeParts[0], scopeParts[1], scopeParts[2], scopeParts[3]);
        var secret = options.Credentials.FirstOrDefault(c => c.AccessKeyId == accessKey)?.SecretAccessKey
            ?? throw new S3Error(403, "InvalidAccessKeyId", $"The access key '{accessKey}' is not known to this server.");
        if (!DateTimeOffset.TryParseExact(amzDate, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
            throw S3Error.AccessDenied($"The request time '{amzDate}' is not in the form yyyyMMddTHHmmssZ.");
        if (!amzDate.StartsWith(date, StringComparison.Ordinal))
            throw S3Error.AuthorizationHeaderMalformed($"The credential date '{date}' is not the date of the request time '{amzDate}'.");
        var now = options.Clock.GetUtcNow();
        if (expires is { } lifetime)
        {
            if (now > signedAt + lifetime) throw S3Error.AccessDenied("The presigned URL has expired.");
            if (signedAt - now > options.MaxClockSkew) throw new S3Error(403, "RequestTimeTooSkewed", "The presigned URL's time is in the future.");
        }
        else if ((now - signedAt).Duration() > options.MaxClockSkew)
            throw new S3Error(403, "RequestTimeTooSkewed", $"The request time {amzDate} differs from the server's by more than {options.MaxClockSkew}.");

        var canonicalRequest = new StringBuilder()
            .Append(http.Method).Append('\n')
            .Append(UriEncoding.Encode(request.Path, keepSlash: true)).Append('\n')
            .Append(canonicalQuery).Append('\n')
            .Append(CanonicalHeaders(http, signedHeaders)).Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(payloadHash)
            .ToString();
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{SigV4.Algorithm}\n{amzDate}\n{scope}\n{SigV4.Hash(canonicalRequest)}";
        var signingKey = SigV4.SigningKey(secret, date, region, service);
        var expected = SigV4.Sign(signingKey, stringToSign);
        if (!SigV4.SameSignature(expected, signature))
            throw S3Error.SignatureDoesNotMatch("The request signature does not match the one computed with the access key's secret; check the secret and that the client signs what it sends.");
        return new Caller(accessKey, payloadHash, new SigningContext(signingKey, amzDate, scope, expected));
    }

    private static string CanonicalQuery(S3Request request, bool excludeSignature)
    {
        var pairs = request.Query
            .Where(p => !(excludeSignature && p.Key == "X-Amz-Signature"))
            .Select(p => (Name: UriEncoding.Encode(p.Key, keepSlash: false), Value: UriEncoding.Encode(p.Value, keepSlash: false)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    private static string CanonicalHeaders(HttpRequest http, string signedHeaders)
    {
        var builder = new StringBuilder();
        foreach (var name in signedHeaders.Split(';'))
        {
            var values = name == "host" ? [http.Headers.Host.ToString()] : http.Headers[name].ToArray();
            builder.Append(name).Append(':').Append(string.Join(',', values.Select(v => CollapseSpaces(v ?? "")))).Append('\n');
        }
        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal)) return trimmed;
        var builder = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ') builder.Append(c);
        return builder.ToString();
    }
}
