using System.Buffers;

namespace ObjectStorage;

// Streams of unknown length: spooled to memory or a temporary file before the write lock is taken.
public partial class SqliteStore
{
    private const int SpoolThreshold = 1 << 20;

    /// <summary>
    /// Streams the object into a <c>zeroblob</c> through incremental blob I/O inside one transaction, so no one sees
    /// it before it is complete and a failure leaves the previous version. A stream of unknown length is first read
    /// up to 1 MiB into memory and beyond that spooled to a temporary file, so the write lock waits for no one. So is
    /// a seekable stream whose bytes turn out not to be as many as its <see cref="Stream.Length"/> says.
    /// </summary>
    protected override void PutStreamCore(string key, Stream data, PutOptions options)
    {
        if (data.CanSeek)
        {
            long start = data.Position;
            try
            {
                WriteBlob(key, data, Math.Max(0, data.Length - start));
                return;
            }
            catch (LengthMismatch)
            {
                data.Position = start;
            }
        }
        var head = ArrayPool<byte>.Shared.Rent(SpoolThreshold);
        try
        {
            int filled = data.ReadAtLeast(head.AsSpan(0, SpoolThreshold), SpoolThreshold, throwOnEndOfStream: false);
            if (filled < SpoolThreshold)
            {
                PutCore(key, head.AsMemory(0, filled), options);
                return;
            }
            using var spool = OpenSpoolFile(key);
            // Reads from the caller's stream pass its errors on unchanged; the spool's own (a full disk) name the key.
            int read = filled;
            do
            {
                WriteSpool(spool, key, head, read);
                read = data.Read(head, 0, SpoolThreshold);
            }
            while (read > 0);
            spool.Position = 0;
            try
            {
                WriteBlob(key, spool, spool.Length);
            }
            catch (LengthMismatch ex)
            {
                throw Failure(key, $"the spool file '{spool.Name}' changed while it was written ({ex.Message}); nothing was written");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private void WriteSpool(FileStream spool, string key, byte[] buffer, int count)
    {
        try
        {
            spool.Write(buffer, 0, count);
        }
        catch (IOException ex)
        {
            throw Failure(key, $"could not spool a stream of unknown length to '{spool.Name}' (is the disk full?); the previous version is kept", ex);
        }
    }

    private FileStream OpenSpoolFile(string key)
    {
        var directory = _options.SpoolDirectory
            ?? (_inMemory ? System.IO.Path.GetTempPath() : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path))!);
        var path = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(_path)}.spool-{Guid.NewGuid():N}");
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBufferBytes, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure(key, $"cannot create a spool file in '{directory}' for a stream of unknown length", ex);
        }
    }
}
