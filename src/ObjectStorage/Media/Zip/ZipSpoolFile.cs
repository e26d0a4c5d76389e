using Microsoft.Win32.SafeHandles;

namespace ObjectStorage.Zip;

/// <summary>
/// A temporary file that holds objects written in a session until the archive is rebuilt.
/// Writers reserve a region and fill it with positional writes, so several writers append at
/// once; a region is never written again, so readers need no lock. Deleted when the last holder
/// releases it.
/// </summary>
internal sealed class ZipSpoolFile : RefCounted
{
    private readonly SafeFileHandle _handle;
    private long _end;

    private ZipSpoolFile(string path)
    {
        Path = path;
        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        // Every access goes through the handle, so on Unix the name can go at once: a process
        // that is killed leaves no spool file behind. (Windows deletes it when the handle closes,
        // also at a crash.)
        if (!OperatingSystem.IsWindows()) File.Delete(path);
    }

    public string Path { get; }

    /// <summary>A new spool file in <paramref name="directory"/>, named after the archive so that a leftover is recognisable.</summary>
    public static ZipSpoolFile Create(string directory, string archiveName) =>
        new(System.IO.Path.Combine(directory, $".{archiveName}.{Guid.NewGuid():N}.zipstore-spool"));

    /// <summary>Appends <paramref name="data"/> and returns where it lies.</summary>
    public ZipSegment Append(ReadOnlySpan<byte> data)
    {
        long offset = Interlocked.Add(ref _end, data.Length) - data.Length;
        RandomAccess.Write(_handle, data, offset);
        return new ZipSegment(this, offset, data.Length);
    }

    /// <summary>
    /// Appends the rest of <paramref name="data"/> in a region of its own; only one caller may
    /// stream into a file at a time (a file made for this object alone).
    /// </summary>
    public ZipSegment AppendStream(ReadOnlySpan<byte> head, Stream data, byte[] buffer)
    {
        long start = Volatile.Read(ref _end);
        long offset = start;
        RandomAccess.Write(_handle, head, offset);
        offset += head.Length;
        int n;
        while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
        {
            RandomAccess.Write(_handle, buffer.AsSpan(0, n), offset);
            offset += n;
        }
        Volatile.Write(ref _end, offset);
        return new ZipSegment(this, start, offset - start);
    }

    public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(_handle, buffer, offset);

    protected override void Free() => _handle.Dispose();
}

/// <summary>One object's bytes in a spool file.</summary>
internal sealed record ZipSegment(ZipSpoolFile File, long Offset, long Length)
{
    /// <summary>The whole object as an array.</summary>
    public byte[] ReadAll()
    {
        var data = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        int done = 0;
        while (done < data.Length)
        {
            int n = File.Read(data.AsSpan(done), Offset + done);
            if (n == 0) throw new EndOfStreamException($"spool file {File.Path} ended inside an object");
            done += n;
        }
        return data;
    }

    /// <summary>A read-only, seekable stream over the object; it does not own a reference to the file.</summary>
    public Stream OpenStream() => new SegmentStream(this);

    private sealed class SegmentStream(ZipSegment segment) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => segment.Length;

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long left = segment.Length - _position;
            if (left <= 0 || buffer.Length == 0) return 0;
            if (buffer.Length > left) buffer = buffer[..(int)left];
            int n = segment.File.Read(buffer, segment.Offset + _position);
            if (n == 0) throw new EndOfStreamException($"spool file {segment.File.Path} ended inside an object");
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => segment.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
