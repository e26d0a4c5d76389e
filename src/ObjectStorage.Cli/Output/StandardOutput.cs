using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ObjectStorage.Cli.Output;

/// <summary>
/// Stdout as the commands write it: every write failure surfaces as an <see cref="OutputException"/>,
/// so that a reader that went away (EPIPE, <c>objstore cat ... | head -c1</c>) ends the command
/// quietly and a full disk or <c>/dev/full</c> is one line on stderr, never a crash.
/// </summary>
internal static class StandardOutput
{
    private static readonly Lazy<Stream> s_stream = new(Open);

    /// <summary>Stdout as bytes, unbuffered; not to be disposed.</summary>
    public static Stream Stream => s_stream.Value;

    /// <summary>Makes <see cref="Console.Out"/> write through <see cref="Stream"/>, so text output fails the same way.</summary>
    public static void Install() =>
        Console.SetOut(new StreamWriter(Stream, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true });

    // The console stream .NET gives on Unix drops EPIPE in silence, so a `cat` into a closed pipe
    // would run to the end; a FileStream over descriptor 1 reports it. Only for a pipe or socket:
    // on a seekable file a FileStream writes at offsets of its own (pwrite), which would overwrite
    // what another process sharing the redirection wrote, so there the console stream serves.
    private static Stream Open()
    {
        if (OperatingSystem.IsWindows()) return new Checked(Console.OpenStandardOutput());
        try
        {
            var descriptor = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            if (!descriptor.CanSeek) return new Checked(descriptor);
            descriptor.Dispose();
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // Not a descriptor a FileStream takes (closed, a terminal on some systems): the console stream will do.
        }
        return new Checked(Console.OpenStandardOutput());
    }

    private sealed class Checked(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                inner.Write(buffer);
            }
            catch (IOException e) when (e is not OutputException)
            {
                throw new OutputException(e);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await inner.WriteAsync(buffer, cancellationToken);
            }
            catch (IOException e) when (e is not OutputException)
            {
                throw new OutputException(e);
            }
        }

        public override void Flush()
        {
            try
            {
                inner.Flush();
            }
            catch (IOException e) when (e is not OutputException)
            {
                throw new OutputException(e);
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flush();
            return Task.CompletedTask;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>Stdout could not be written: the reader went away (<see cref="IsBrokenPipe"/>) or the file or device behind it failed.</summary>
internal sealed class OutputException(IOException inner) : IOException($"cannot write the output: {inner.Message}", inner)
{
    // EPIPE is 32 on Linux and macOS; .NET puts the errno in HResult for the I/O errors it raises on Unix.
    private const int BrokenPipe = 32;

    /// <summary>True when nobody reads stdout any more (EPIPE), as when it is piped into <c>head</c>.</summary>
    public bool IsBrokenPipe => !OperatingSystem.IsWindows() && (inner.HResult & 0xFFFF) == BrokenPipe
        || inner.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase)
        || OperatingSystem.IsWindows() && (inner.HResult & 0xFFFF) is 109 or 232; // ERROR_BROKEN_PIPE, ERROR_NO_DATA
}
