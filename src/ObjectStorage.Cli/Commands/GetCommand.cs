using System.CommandLine;
using ObjectStorage.Cli.Output;
using ObjectStorage.Cli.Progress;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore get URL KEY [-o FILE]</c>: an object into a local file.</summary>
internal sealed class GetCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Argument<string> _key = KeyArgument();
    private readonly Option<string?> _output = new("--output", "-o")
    {
        Description = "The file to write (a file with content is replaced atomically; a link, device, FIFO or empty file is written into); '-' for stdout. Default: the key's last segment, in the current directory",
    };

    public GetCommand()
        : base("get", "Download an object into a local file.",
            "objstore get sqlite://objstore-demo.db cli.md",
            "objstore get s3://my-bucket/backups db/2026-11-26.tar -o restore.tar")
    {
        Arguments.Add(_url);
        Arguments.Add(_key);
        Options.Add(_output);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var key = parse.GetRequiredValue(_key);
        ObjectKey.Validate(key);
        var file = parse.GetValue(_output) ?? key[(key.LastIndexOf('/') + 1)..];
        await using var store = Stores.Open(parse.GetRequiredValue(_url), StoreAccess.Read);

        // Open the object first, so that a missing key leaves no empty file behind.
        await using var stored = await store.OpenReadAsync(key, cancellationToken);
        long? total = stored.CanSeek ? stored.Length : (await store.StatAsync(key, cancellationToken))?.Size;
        await using var progress = new ByteProgress("get", total);
        var body = progress.Track(stored);
        if (file == "-")
        {
            await body.CopyToAsync(StandardOutput.Stream, cancellationToken);
            return ExitCodes.Ok;
        }

        var path = Path.GetFullPath(file);
        var (written, inPlace) = WriteTarget(path);
        var size = inPlace ? await WriteInPlaceAsync(body, written, cancellationToken) : await ReplaceAsync(body, written, cancellationToken);

        if (WantsJson(parse)) Json.Write(new GetDocument(key, size, path), Json.Context.GetDocument);
        else Console.Out.WriteLine($"{key} -> {file} ({Units.Bytes(size)})");
        return ExitCodes.Ok;
    }

    // Where the bytes go and whether they are written into the existing file. A link is followed to
    // what it names, so the link stays; a device, a FIFO or a procfs file (all of size 0) is written
    // into, never replaced by a regular file. A file with content is replaced atomically.
    private static (string Path, bool InPlace) WriteTarget(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null) return (path, InPlace: true);
            return WriteTarget(target.FullName);
        }
        // .NET reports no file type, so a size of 0 stands in for "not a regular file"; writing
        // an empty regular file in place loses nothing that was in it.
        return (path, InPlace: info.Exists && info.Length == 0);
    }

    private static async Task<long> WriteInPlaceAsync(Stream body, string path, CancellationToken cancellationToken)
    {
        // Open, not Create: a device or FIFO takes no truncation, and an empty file has nothing to cut.
        await using var output = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        var counter = new CountingStream(output);
        await body.CopyToAsync(counter, cancellationToken);
        return counter.Written;
    }

    // Into a temporary file beside the target, then renamed: an interrupted get leaves the old file whole.
    private static async Task<long> ReplaceAsync(Stream body, string path, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.objstore-{Guid.NewGuid():N}.tmp");
        try
        {
            long size;
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await body.CopyToAsync(output, cancellationToken);
                size = output.Length;
            }
            File.Move(temp, path, overwrite: true);
            return size;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    // Counts what passes, for outputs (a FIFO, a device) that have no length to ask.
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
