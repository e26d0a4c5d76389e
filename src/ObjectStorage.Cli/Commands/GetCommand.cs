using System.CommandLine;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore get URL KEY [-o FILE]</c>: an object into a local file.</summary>
internal sealed class GetCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Argument<string> _key = KeyArgument();
    private readonly Option<string?> _output = new("--output", "-o")
    {
        Description = "The file to write (replaced if it exists); '-' for stdout. Default: the key's last segment, in the current directory",
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
        await using var body = await store.OpenReadAsync(key, cancellationToken);
        long size;
        if (file == "-")
        {
            await using var stdout = Console.OpenStandardOutput();
            await body.CopyToAsync(stdout, cancellationToken);
            return ExitCodes.Ok;
        }

        // Into a temporary file beside the target, then renamed: an interrupted get leaves the old file whole.
        var path = Path.GetFullPath(file);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.objstore-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await body.CopyToAsync(output, cancellationToken);
                size = output.Length;
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        if (WantsJson(parse)) Json.Write(new { key, size, file = path });
        else Console.Out.WriteLine($"{key} -> {file} ({Units.Bytes(size)})");
        return ExitCodes.Ok;
    }
}
