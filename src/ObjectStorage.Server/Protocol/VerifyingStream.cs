namespace ObjectStorage.Server.Protocol;

/// <summary>
/// A request body on its way into a store, checked as it streams: each digest is compared at the
/// end of the body and a mismatch throws before the store's put completes, so that the store
/// (whose puts are atomic) keeps the old object and nothing half-checked is ever stored.
/// </summary>
internal sealed class VerifyingStream(Stream inner, long? expectedLength, string? key) : Stream
{
    private readonly List<Check> _checks = [];
    private Digest? _md5;
    private long _length;
    private bool _verified;

    /// <summary>Compares <paramref name="digest"/> at the end of the body with <paramref name="expected"/> (asked for then, as trailers arrive last).</summary>
    public void Add(Digest digest, Func<byte[]?> expected, Func<S3Error> failure) => _checks.Add(new Check(digest, expected, failure));

    /// <summary>The <c>x-amz-checksum-*</c> the request declared (algorithm in lower case, and its value once the body has ended), or null.</summary>
    public (string Algorithm, Func<byte[]?> Value)? DeclaredChecksum { get; set; }

    /// <summary>The MD5 of the whole body, once it has ended, when <see cref="ComputeMd5"/> asked for it before the first read.</summary>
    public byte[]? Md5 { get; private set; }

    /// <summary>Computes the body's MD5 as it streams (S3's ETag of an object put whole).</summary>
    public void ComputeMd5() => _md5 ??= new Digest.Hash(System.Security.Cryptography.HashAlgorithmName.MD5);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
        {
            _length += data.Length;
            foreach (var check in _checks) check.Digest.Append(data);
            _md5?.Append(data);
            return;
        }
        if (_verified || (_checks.Count == 0 && expectedLength is null && _md5 is null)) return;
        _verified = true;
        Md5 = _md5?.Finish();
        if (expectedLength is { } declared && declared != _length)
            throw new S3Error(400, "IncompleteBody", $"The body held {_length} bytes where the request declared {declared}; nothing was stored.", key);
        foreach (var check in _checks)
        {
            var expected = check.Expected();
            if (expected is not null && !check.Digest.Finish().AsSpan().SequenceEqual(expected)) throw check.Failure();
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private sealed record Check(Digest Digest, Func<byte[]?> Expected, Func<S3Error> Failure);
}
