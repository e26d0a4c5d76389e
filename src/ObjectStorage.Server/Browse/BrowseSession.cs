using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ObjectStorage.Server.Browse;

/// <summary>
/// The browse page's login: a cookie naming the access key, its expiry and an HMAC under a key only
/// this server process knows, so that the secret is checked once (at the login form) and never stored
/// in the browser; and the token that forms and scripts send with every change (against cross-site requests).
/// </summary>
internal sealed class BrowseSession(S3ServerOptions options)
{
    public const string CookieName = "objstore-browse";

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The cookie value for <paramref name="accessKey"/> when <paramref name="secret"/> is its secret, else null.</summary>
    public string? LogIn(string accessKey, string secret)
    {
        var known = options.Credentials.FirstOrDefault(c => c.AccessKeyId == accessKey);
        // Compared in constant time, as the S3 signatures are; an unknown key is compared against itself to take as long.
        var expected = Encoding.UTF8.GetBytes(known?.SecretAccessKey ?? secret);
        if (known is null | !CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(secret))) return null;
        var expires = (options.Clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(accessKey)).Replace('+', '-').Replace('/', '_') + "." + expires;
        return payload + "." + Mac(payload);
    }

    /// <summary>The access key a cookie value stands for, or null when it is forged, expired or names a key no longer accepted.</summary>
    public string? AccessKeyOf(string? cookie)
    {
        if (cookie is null) return null;
        var lastDot = cookie.LastIndexOf('.');
        if (lastDot < 0) return null;
        var payload = cookie[..lastDot];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(payload)), Encoding.ASCII.GetBytes(cookie[(lastDot + 1)..]))) return null;
        var dot = payload.IndexOf('.');
        if (dot < 0 || !long.TryParse(payload.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || options.Clock.GetUtcNow().ToUnixTimeSeconds() > expires) return null;
        var accessKey = Encoding.UTF8.GetString(Convert.FromBase64String(payload[..dot].Replace('-', '+').Replace('_', '/')));
        return options.Credentials.Any(c => c.AccessKeyId == accessKey) ? accessKey : null;
    }

    /// <summary>The token a change must carry along with <paramref name="cookie"/>.</summary>
    public string TokenFor(string cookie) => Mac("change:" + cookie);

    public bool IsToken(string cookie, string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(TokenFor(cookie)), Encoding.ASCII.GetBytes(token));

    private string Mac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
}
