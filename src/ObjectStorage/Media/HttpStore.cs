using System.Net;
using System.Net.Http.Headers;

namespace ObjectStorage;

/// <summary>
/// Objects read over plain HTTP(S) with GET and HEAD, as the Python original's <c>HttpStore</c>: a
/// read-only store (<see cref="ObjectStore.CanWrite"/> and <see cref="ObjectStore.CanList"/> are false,
/// so puts, deletes and listings throw <see cref="NotSupportedException"/>). Under a base address,
/// key "a/b c" is the URL base + "a/b%20c": each '/'-separated segment is percent-encoded on its
/// own, and "." or ".." segments are written %2E so that no key climbs out of the base. Without a
/// base address each key is an absolute http or https URL, used as it is (the original's form).
/// </summary>
/// <remarks>
/// 404 and 410 mean absent. Stat sends HEAD (and GET when the server answers HEAD with 405) and
/// reports Content-Length, Last-Modified and the ETag. Ranged reads send a Range header; a server
/// that ignores it still yields the right bytes, by skipping. Other statuses and network failures
/// throw <see cref="ObjectStoreException"/> naming the store, the key and the status. See docs/stores/http.md.
/// </remarks>
public sealed class HttpStore : ObjectStore
{
    private readonly HttpClient _client;
    private readonly bool _ownsClient;

    /// <summary>A store whose keys are paths under <paramref name="baseAddress"/> (an absolute http or https URL; a missing final '/' is added).</summary>
    public HttpStore(Uri baseAddress, HttpStoreOptions? options = null) : this(options)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"HttpStore needs an absolute http or https base address, not \"{baseAddress}\".", nameof(baseAddress));
        if (!string.IsNullOrEmpty(baseAddress.Query) || !string.IsNullOrEmpty(baseAddress.Fragment))
            throw new ArgumentException($"HttpStore's base address cannot have a query or fragment: \"{baseAddress}\".", nameof(baseAddress));
        var text = baseAddress.AbsoluteUri;
        BaseAddress = new Uri(text.EndsWith('/') ? text : text + "/");
    }

    /// <summary>A store whose keys are absolute http or https URLs, as the Python original's <c>HttpStore()</c>.</summary>
    public HttpStore(HttpStoreOptions? options = null)
    {
        options ??= new HttpStoreOptions();
        _ownsClient = options.Client is null;
        _client = options.Client ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = options.FollowRedirects }) { Timeout = options.Timeout };
    }

    /// <summary>The address keys are relative to, ending with '/'; null when each key is a whole URL.</summary>
    public Uri? BaseAddress { get; }

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override bool CanList => false;

    /// <inheritdoc/>
    public override bool IsRangeReadNative => true;

    /// <inheritdoc/>
    public override string ToString() => BaseAddress is null ? "HttpStore" : $"HttpStore({BaseAddress})";

    /// <summary>No location: the server's storage is out of sight, so sync never refuses an HttpStore as overlapping.</summary>
    public override IReadOnlyList<StoreLocation> Locations => [];

    /// <summary>The URL <paramref name="key"/> is read from; throws <see cref="InvalidKeyException"/> when, without a base address, the key is not an absolute http(s) URL.</summary>
    public Uri UrlOf(string key)
    {
        ObjectKey.Validate(key);
        // Uri would otherwise unescape %2E and drop the dot segments, reaching another object.
        if (BaseAddress is not null) return new Uri(BaseAddress.AbsoluteUri + EscapePath(key), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        if (Uri.TryCreate(key, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)) return url;
        throw new InvalidKeyException(key, $"{this} has no base address, so a key must be an absolute http or https URL");
    }

    // ---- Operations --------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override async ValueTask<byte[]?> GetAsyncCore(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(key, HttpMethod.Get, null, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        return await Read(key, () => response.Content.ReadAsByteArrayAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken)
    {
        var response = await SendAsync(key, HttpMethod.Get, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        return await BodyOf(key, response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async ValueTask<Stream?> OpenRangeAsyncCore(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        if (length == 0) return await StatAsyncCore(key, cancellationToken).ConfigureAwait(false) is null ? null : new MemoryStream([], writable: false);
        var range = new RangeHeaderValue(offset, length is { } l ? offset + l - 1 : null);
        var response = await SendAsync(key, HttpMethod.Get, range, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The object exists; the range starts at or after its end.
            response.Dispose();
            return new MemoryStream([], writable: false);
        }
        var body = await BodyOf(key, response, cancellationToken).ConfigureAwait(false);
        // 200 rather than 206: the server sent the whole object, so the store cuts the range out itself.
        return response.StatusCode == HttpStatusCode.PartialContent ? body : await SliceAsync(body, offset, length, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async ValueTask<ObjectInfo?> StatAsyncCore(string key, CancellationToken cancellationToken)
    {
        using var head = await SendAsync(key, HttpMethod.Head, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (head is null) return null;
        if (head.StatusCode != HttpStatusCode.MethodNotAllowed && head.Content.Headers.ContentLength is { } size) return InfoOf(key, head, size);
        // No HEAD, or no length in its answer: GET and count the bytes.
        using var get = await SendAsync(key, HttpMethod.Get, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (get is null) return null;
        if (get.Content.Headers.ContentLength is { } length) return InfoOf(key, get, length);
        await using var body = await BodyOf(key, get, cancellationToken).ConfigureAwait(false);
        long counted = 0;
        var buffer = new byte[81920];
        for (int read; (read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0;) counted += read;
        return InfoOf(key, get, counted);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsClient) _client.Dispose();
    }

    // ---- Private -----------------------------------------------------------------------------

    private static async ValueTask<Stream?> SliceAsync(Stream body, long offset, long? length, CancellationToken cancellationToken) =>
        await RangeReadStream.SliceAsync(body, offset, length, cancellationToken).ConfigureAwait(false);

    private static ObjectInfo InfoOf(string key, HttpResponseMessage response, long size) =>
        new(key, size, response.Content.Headers.LastModified, response.Headers.ETag?.Tag);

    // The response for a status that means "here it is" (2xx, 405 to a HEAD, 416 to a range); null for 404 and 410; else throws.
    private async ValueTask<HttpResponseMessage?> SendAsync(string key, HttpMethod method, RangeHeaderValue? range, HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        using var request = new HttpRequestMessage(method, UrlOf(key));
        request.Headers.Range = range;
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Failure(key, $"{method} {request.RequestUri} failed: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(key, $"{method} {request.RequestUri} timed out", e);
        }
        var status = response.StatusCode;
        if (response.IsSuccessStatusCode || (method == HttpMethod.Head && status == HttpStatusCode.MethodNotAllowed)
            || (range is not null && status == HttpStatusCode.RequestedRangeNotSatisfiable))
            return response;
        response.Dispose();
        if (status is HttpStatusCode.NotFound or HttpStatusCode.Gone) return null;
        throw Failure(key, $"{method} {request.RequestUri} answered {(int)status} {response.ReasonPhrase}");
    }

    private async ValueTask<Stream> BodyOf(string key, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await Read(key, () => response.Content.ReadAsStreamAsync(cancellationToken)).ConfigureAwait(false);
        return new ResponseStream(body, response);
    }

    private async ValueTask<T> Read<T>(string key, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Failure(key, $"reading the response failed: {e.Message}", e);
        }
    }

    // Segment by segment, so that '/' stays a separator and nothing else in a key can end the path or start a query.
    private static string EscapePath(string key) =>
        string.Join('/', key.Split('/').Select(static segment =>
            segment is "." or ".." ? segment.Replace(".", "%2E", StringComparison.Ordinal) : Uri.EscapeDataString(segment)));

    // The response lives as long as its body is read, and goes with it.
    private sealed class ResponseStream(Stream body, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => body.Read(buffer);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            body.ReadAsync(buffer, offset, count, cancellationToken);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => body.ReadAsync(buffer, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                body.Dispose();
                response.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
