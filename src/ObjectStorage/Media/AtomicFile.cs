using System.Buffers;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace ObjectStorage;

/// <summary>
/// Replaces a file atomically, as the disk stores do it: the bytes go to a temporary file in the
/// target's directory, which is stamped with a unique modification time, optionally flushed to
/// disk, then takes the target's name. A reader sees the old file or the new one, never a mix,
/// also when the writing process is killed; a killed writer leaves at most a temporary file. On
/// Linux the calls are made directly (<see cref="LinuxFiles"/>), and the temporary file of a new
/// target is unnamed and linked in one call where the file system allows; otherwise it is named and renamed.
/// </summary>
/// <remarks>
/// Temporary names start with <see cref="KeyPathMapping.TemporaryPrefix"/>, which the mapping
/// escapes in every key segment, so a temporary file can never collide with an object and listings
/// pass it over. A backslash is an ordinary character in a Linux or macOS file name, and unlike a
/// control character it prints plainly in <c>ls</c>.
/// </remarks>
internal static class AtomicFile
{
    private const int CopyBufferSize = 81920;
    private const int DirectoryRetries = 16;

    private static long s_lastStamp;

    /// <summary>
    /// Writes <paramref name="data"/> to <paramref name="path"/> atomically, creating its directory if
    /// needed, stamped <paramref name="modified"/> when given; through <paramref name="linux"/>'s calls
    /// when given, and then through an unnamed temporary file when <paramref name="isNew"/> says the
    /// target did not exist (a target made meanwhile is still replaced atomically);
    /// <paramref name="beforePublish"/> gets the temporary file's handle after the bytes, before the file takes the name.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> data, bool flushToDisk, DateTimeOffset? modified, LinuxFiles? linux = null, bool isNew = false, Action<SafeFileHandle>? beforePublish = null)
    {
        var file = CreateTemporary(path, linux, isNew);
        try
        {
            RandomAccess.Write(file.Handle, data, 0);
            beforePublish?.Invoke(file.Handle);
            Publish(file, path, flushToDisk, modified);
        }
        catch
        {
            Abandon(file);
            throw;
        }
    }

    /// <summary>Copies the rest of <paramref name="source"/> to <paramref name="path"/> atomically, a buffer at a time.</summary>
    public static void Write(string path, Stream source, bool flushToDisk, DateTimeOffset? modified, LinuxFiles? linux = null, bool isNew = false, Action<SafeFileHandle>? beforePublish = null) =>
        // Without useAsync nothing awaits for real, so the task is complete when it returns.
        WriteAsync(path, source, flushToDisk, modified, linux, isNew, beforePublish, useAsync: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Write(string, Stream, bool, DateTimeOffset?, LinuxFiles?, bool, Action{SafeFileHandle}?)"/>
    public static ValueTask WriteAsync(string path, Stream source, bool flushToDisk, DateTimeOffset? modified, LinuxFiles? linux, bool isNew, Action<SafeFileHandle>? beforePublish, CancellationToken cancellationToken) =>
        WriteAsync(path, source, flushToDisk, modified, linux, isNew, beforePublish, useAsync: true, cancellationToken);

    // One copy loop for both sides, as System.IO's own readers do it: useAsync picks Read or ReadAsync.
    private static async ValueTask WriteAsync(string path, Stream source, bool flushToDisk, DateTimeOffset? modified, LinuxFiles? linux, bool isNew, Action<SafeFileHandle>? beforePublish, bool useAsync, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = CreateTemporary(path, linux, isNew);
        try
        {
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                long offset = 0;
                int read;
                while ((read = useAsync
                    ? await FromSource(() => source.ReadAsync(buffer, cancellationToken)).ConfigureAwait(false)
                    : FromSource(() => source.Read(buffer, 0, buffer.Length))) > 0)
                {
                    RandomAccess.Write(file.Handle, buffer.AsSpan(0, read), offset);
                    offset += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            cancellationToken.ThrowIfCancellationRequested();
            beforePublish?.Invoke(file.Handle);
            Publish(file, path, flushToDisk, modified);
        }
        catch
        {
            Abandon(file);
            throw;
        }
    }

    /// <summary>
    /// What a store reports for the file holding <paramref name="key"/>. The ETag is the size and
    /// the modification time; every write through this type without a given time stamps a distinct
    /// time (to the 100 ns tick), so the tag changes on such an overwrite even where the file
    /// system's own clock is coarse. A write with a given time (a sync's copy) takes that time.
    /// </summary>
    public static ObjectInfo Info(string key, long size, DateTime lastWriteTimeUtc) =>
        new(key, size, new DateTimeOffset(lastWriteTimeUtc, TimeSpan.Zero),
            string.Create(CultureInfo.InvariantCulture, $"{size:x}-{lastWriteTimeUtc.Ticks:x}"));

    /// <summary>The metadata of the file at <paramref name="path"/> as the object <paramref name="key"/>, or null when there is no such file.</summary>
    public static ObjectInfo? Stat(string key, string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? Info(key, file.Length, file.LastWriteTimeUtc) : null;
    }

    /// <summary>
    /// True when <paramref name="error"/> came from the caller's source stream, not from the file
    /// system: stores let it through unchanged instead of reporting a failure of their medium.
    /// </summary>
    public static bool IsFromSource(Exception error) => error.Data.Contains(SourceFailure);

    private const string SourceFailure = "ObjectStorage.SourceFailure";

    private static T FromSource<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception error)
        {
            error.Data[SourceFailure] = true;
            throw;
        }
    }

    private static async ValueTask<int> FromSource(Func<ValueTask<int>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            error.Data[SourceFailure] = true;
            throw;
        }
    }

    /// <summary>A temporary file open to write: <see cref="Path"/> is its name, or null for an unnamed one; <see cref="Native"/> when libc's calls made it.</summary>
    private readonly record struct Temporary(SafeFileHandle Handle, string? Path, bool Native);

    private static Temporary CreateTemporary(string path, LinuxFiles? linux, bool isNew)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (isNew && linux?.TryCreateUnnamed(directory) is { } unnamed) return new Temporary(unnamed, null, Native: true);
        for (int attempt = 1; ; attempt++)
        {
            var temp = Path.Join(directory, TempName());
            // The first put under a new directory; or a delete removed the emptied directory
            // between our create and our open, which a retry survives.
            if (linux is not null)
            {
                var handle = LinuxFiles.CreateNamed(temp, out int errno);
                if (errno == 0) return new Temporary(handle, temp, Native: true);
                if (errno != LinuxFiles.NoEntry || attempt == DirectoryRetries) throw LinuxFiles.Error(errno, temp);
            }
            else
            {
                try
                {
                    return new Temporary(File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None), temp, Native: false);
                }
                // On Unix .NET reports the missing directory of a create as FileNotFoundException.
                catch (IOException error) when (error is DirectoryNotFoundException or FileNotFoundException && attempt < DirectoryRetries)
                {
                }
            }
            CreateDirectory(directory);
        }
    }

    private static void CreateDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException)
        {
            // A delete removed the directory while CreateDirectory made it (.NET then says
            // "already exists"); the next attempt makes it again or reports the real error.
        }
    }

    /// <summary>
    /// How finely the file system under <paramref name="directory"/> keeps a file's modification time,
    /// found by stamping a temporary file there; null when no file can be made there (a read-only directory).
    /// </summary>
    public static TimeSpan? ProbeTimePrecision(string directory)
    {
        var temp = Path.Join(directory, TempName());
        try
        {
            using (File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write)) { }
            // A time off every coarser grid: 1.2345678 s past a second that is odd, so 2 s grids show too.
            var probe = new DateTime(2001, 2, 3, 4, 5, 7, DateTimeKind.Utc).AddTicks(2_345_678);
            File.SetLastWriteTimeUtc(temp, probe);
            var off = (File.GetLastWriteTimeUtc(temp) - probe).Duration();
            TimeSpan[] grids = [TimeSpan.FromTicks(1), TimeSpan.FromMicroseconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];
            return grids.FirstOrDefault(grid => off < grid, TimeSpan.FromSeconds(2));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        finally
        {
            Delete(temp);
        }
    }

    private static string TempName() =>
        string.Create(CultureInfo.InvariantCulture, $"{KeyPathMapping.TemporaryPrefix}{Environment.ProcessId:x}-{Random.Shared.NextInt64():x16}");

    // The time goes on the temporary file, so the object appears with it or not at all.
    private static void Publish(Temporary file, string path, bool flushToDisk, DateTimeOffset? modified)
    {
        var time = modified?.UtcDateTime ?? NextStamp();
        if (file.Native) LinuxFiles.SetModified(file.Handle, time, file.Path ?? path);
        else File.SetLastWriteTimeUtc(file.Handle, time);
        if (flushToDisk) RandomAccess.FlushToDisk(file.Handle);
        if (file.Path is { } temp)
        {
            file.Handle.Dispose();
            if (file.Native) LinuxFiles.Rename(temp, path);
            else File.Move(temp, path, overwrite: true);
            return;
        }
        LinkUnnamed(file.Handle, path);
        file.Handle.Dispose();
    }

    // A free name takes the file in one linkat(2). A name taken since the put looked (a racing
    // put) is replaced as a named temporary file would replace it: linked under a temporary name,
    // then renamed over it, which is atomic.
    private static void LinkUnnamed(SafeFileHandle handle, string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        for (int attempt = 1; ; attempt++)
        {
            int errno = LinuxFiles.Link(handle, path);
            if (errno == 0) return;
            var failed = path;
            if (errno == LinuxFiles.Exists)
            {
                failed = Path.Join(directory, TempName());
                errno = LinuxFiles.Link(handle, failed);
                if (errno == 0)
                {
                    RenameOver(failed, path);
                    return;
                }
            }
            // A delete removed the emptied directory since the file was opened in it; the file is
            // still ours, and a new directory of that name on the same file system can take it.
            if (errno == LinuxFiles.NoEntry && attempt < DirectoryRetries) CreateDirectory(directory);
            else if (errno != LinuxFiles.Exists || attempt == DirectoryRetries) throw LinuxFiles.Error(errno, failed);
        }
    }

    private static void RenameOver(string temp, string path)
    {
        try
        {
            LinuxFiles.Rename(temp, path);
        }
        catch
        {
            Delete(temp);
            throw;
        }
    }

    private static void Abandon(Temporary file)
    {
        file.Handle.Dispose();
        // An unnamed file is gone with its last descriptor.
        if (file.Path is { } temp) Delete(temp);
    }

    private static void Delete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // Now, or one tick after the last stamp this process gave, whichever is later.
    private static DateTime NextStamp()
    {
        while (true)
        {
            long last = Volatile.Read(ref s_lastStamp);
            long next = Math.Max(DateTime.UtcNow.Ticks, last + 1);
            if (Interlocked.CompareExchange(ref s_lastStamp, next, last) == last) return new DateTime(next, DateTimeKind.Utc);
        }
    }
}
