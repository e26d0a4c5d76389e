namespace ObjectStorage;

/// <summary>
/// The bytes of a stream that can be read once, kept so that several readers can each read them
/// from the start: in memory up to a threshold, beyond it in a temporary file that is deleted when
/// the spool is disposed. Memory use stays bounded whatever the stream's length.
/// </summary>
internal sealed class StreamSpool : IDisposable, IAsyncDisposable
{
    private const int MemoryLimit = 1 << 20;
    private readonly MemoryStream _memory = new();
    private FileStream? _file;

    private StreamSpool() { }

    public static StreamSpool Fill(Stream data)
    {
        var spool = new StreamSpool();
        var buffer = new byte[81920];
        int n;
        while ((n = data.Read(buffer)) > 0) spool.Append(buffer.AsSpan(0, n));
        spool._file?.Flush();
        return spool;
    }

    public static async ValueTask<StreamSpool> FillAsync(Stream data, CancellationToken cancellationToken)
    {
        var spool = new StreamSpool();
        var buffer = new byte[81920];
        int n;
        while ((n = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) spool.Append(buffer.AsSpan(0, n));
        if (spool._file is not null) await spool._file.FlushAsync(cancellationToken).ConfigureAwait(false);
        return spool;
    }

    /// <summary>A new stream over all the spooled bytes, independent of the others.</summary>
    public Stream OpenReader() => _file is null
        ? new MemoryStream(_memory.GetBuffer(), 0, (int)_memory.Length, writable: false)
        : new FileStream(_file.Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_file is null && _memory.Length + bytes.Length > MemoryLimit)
        {
            _file = new FileStream(Path.Combine(Path.GetTempPath(), "objectstorage-spool-" + Guid.NewGuid().ToString("N")),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.DeleteOnClose);
            _file.Write(_memory.GetBuffer().AsSpan(0, (int)_memory.Length));
            _memory.SetLength(0);
        }
        if (_file is null) _memory.Write(bytes);
        else _file.Write(bytes);
    }

    public void Dispose()
    {
        _file?.Dispose();
        _memory.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null) await _file.DisposeAsync().ConfigureAwait(false);
        await _memory.DisposeAsync().ConfigureAwait(false);
    }
}
