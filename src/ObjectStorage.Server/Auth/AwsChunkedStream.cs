using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Auth;

/// <summary>
/// The payload of an <c>aws-chunked</c> upload without its framing: "SIZE;chunk-signature=SIG",
/// the bytes, CRLF, up to a zero-size chunk and optional trailing headers. With a signing context
/// every chunk's signature (and the trailer's) is checked before the chunk's last byte is handed
/// on, so a store never completes a put of bytes the key's holder did not sign; the framing itself
/// never reaches the store.
/// </summary>
internal sealed class AwsChunkedStream(Stream inner, SigningContext? signing, bool hasTrailer, string? key) : Stream
{
    private const int MaxLineBytes = 4096;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly Dictionary<string, string> _trailers = new(StringComparer.OrdinalIgnoreCase);
    private readonly IncrementalHash _chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _previousSignature = signing?.SeedSignature;
    private string? _chunkSignature;
    private int _start;
    private int _end;
    private long _chunkRemaining;
    private bool _done;

    /// <summary>The trailing headers (x-amz-checksum-...), known once the stream has been read to its end.</summary>
    public IReadOnlyDictionary<string, string> Trailers => _trailers;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Kestrel's own synchronous body read blocks on its async read in the same way.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0) return 0;
        while (!_done && _chunkRemaining == 0) await StartChunkAsync(cancellationToken).ConfigureAwait(false);
        if (_done) return 0;
        if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false)) throw Truncated();
        var n = (int)Math.Min(Math.Min(destination.Length, _end - _start), _chunkRemaining);
        var data = _buffer.AsSpan(_start, n);
        data.CopyTo(destination.Span);
        _chunkHash.AppendData(data);
        _start += n;
        _chunkRemaining -= n;
        if (_chunkRemaining == 0)
        {
            if (await ReadLineAsync(cancellationToken).ConfigureAwait(false) != "") throw Malformed("a chunk's data is not followed by CRLF");
            VerifyChunk();
        }
        return n;
    }

    private async ValueTask StartChunkAsync(CancellationToken cancellationToken)
    {
        var header = await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw Truncated();
        var semicolon = header.IndexOf(';');
        var sizeText = semicolon < 0 ? header : header[..semicolon];
        if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            throw Malformed($"the chunk header '{Shorten(header)}' does not start with a hex size");
        _chunkSignature = null;
        if (semicolon >= 0)
            foreach (var extension in header[(semicolon + 1)..].Split(';'))
                if (extension.StartsWith("chunk-signature=", StringComparison.Ordinal)) _chunkSignature = extension["chunk-signature=".Length..];
        if (signing is not null && _chunkSignature is null) throw Malformed("a signed upload's chunk has no chunk-signature");
        _chunkRemaining = size;
        if (size > 0) return;
        VerifyChunk();
        await ReadTrailersAsync(cancellationToken).ConfigureAwait(false);
        _done = true;
    }

    private void VerifyChunk()
    {
        var hash = SigV4.Hex(_chunkHash.GetHashAndReset());
        if (signing is null) return;
        var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{signing.AmzDate}\n{signing.Scope}\n{_previousSignature}\n{SigV4.EmptyHash}\n{hash}";
        var expected = SigV4.Sign(signing.SigningKey, stringToSign);
        if (!SigV4.SameSignature(expected, _chunkSignature!))
            throw S3Error.SignatureDoesNotMatch($"A chunk signature of the upload to {Describe()} does not match; nothing was stored.");
        _previousSignature = expected;
    }

    private async ValueTask ReadTrailersAsync(CancellationToken cancellationToken)
    {
        string? trailerSignature = null;
        var canonical = new StringBuilder();
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) throw Malformed($"the trailer line '{Shorten(line)}' is not NAME:VALUE");
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature") trailerSignature = value;
            else
            {
                _trailers[name] = value;
                canonical.Append(name).Append(':').Append(value).Append('\n');
            }
        }
        if (!hasTrailer && _trailers.Count > 0) throw Malformed("trailing headers arrived although the payload mode announces none");
        if (signing is null || !hasTrailer) return;
        if (trailerSignature is null) throw Malformed("a signed upload's trailer has no x-amz-trailer-signature");
        var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{signing.AmzDate}\n{signing.Scope}\n{_previousSignature}\n{SigV4.Hash(canonical.ToString())}";
        if (!SigV4.SameSignature(SigV4.Sign(signing.SigningKey, stringToSign), trailerSignature))
            throw S3Error.SignatureDoesNotMatch($"The trailer signature of the upload to {Describe()} does not match; nothing was stored.");
    }

    // A line without its CRLF, or null at the end of the body.
    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
                return Encoding.ASCII.GetString(line);
            }
            if (_end - _start >= MaxLineBytes) throw Malformed("a chunk header or trailer line is longer than 4096 bytes");
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_start == _end) return null;
                var rest = Encoding.ASCII.GetString(_buffer, _start, _end - _start);
                _start = _end;
                return rest;
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await inner.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    private string Describe() => key is null ? "the request" : ObjectKey.Describe(key);

    private S3Error Truncated() => new(400, "IncompleteBody", $"The aws-chunked body of the upload to {Describe()} ended before its final chunk; nothing was stored.", key);

    private S3Error Malformed(string why) => new(400, "InvalidRequest", $"The aws-chunked body of the upload to {Describe()} is malformed: {why}; nothing was stored.", key);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    protected override void Dispose(bool disposing)
    {
        if (disposing) _chunkHash.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
