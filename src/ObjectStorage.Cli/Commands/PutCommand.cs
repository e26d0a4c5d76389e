using System.CommandLine;
using ObjectStorage.Cli.Output;
using ObjectStorage.Cli.Progress;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore put URL KEY [FILE|-]</c>: a local file or stdin into an object, streamed.</summary>
internal sealed class PutCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Argument<string> _key = KeyArgument();
    private readonly Argument<string> _file = new("FILE")
    {
        Description = "The file to upload; '-' or nothing for stdin",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly Option<string?> _contentType = new("--content-type") { Description = "The object's media type, e.g. 'text/plain; charset=utf-8'" };
    private readonly Option<string[]> _meta = new("--meta")
    {
        Description = "User metadata as NAME=VALUE (repeatable); names are case-insensitive and kept in lower case",
        AllowMultipleArgumentsPerToken = false,
    };

    public PutCommand()
        : base("put", "Upload a file (or stdin) as an object, replacing any object under the key atomically.",
            "objstore put sqlite://objstore-demo.db notes/hello.txt hello.txt",
            "echo hello | objstore put ./data greetings/en.txt",
            "objstore put s3://my-bucket site/index.html index.html --content-type text/html --meta owner=web")
    {
        Arguments.Add(_url);
        Arguments.Add(_key);
        Arguments.Add(_file);
        Options.Add(_contentType);
        Options.Add(_meta);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var key = parse.GetRequiredValue(_key);
        var file = parse.GetValue(_file) ?? "-";
        ObjectKey.Validate(key);
        await using var input = file == "-"
            ? Console.OpenStandardInput()
            : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using var store = Stores.Open(parse.GetRequiredValue(_url), StoreAccess.ReadWrite);
        var options = new PutOptions
        {
            ContentType = parse.GetValue(_contentType),
            Metadata = Pairs(parse.GetValue(_meta) ?? []),
            // A file's own time goes with it where the store keeps one, as a sync of it would.
            LastModified = file != "-" && store.MetadataSupport.Keeps(MetadataKinds.ModificationTime) ? File.GetLastWriteTimeUtc(file) : null,
        };
        await using (var progress = new ByteProgress("put", input.CanSeek ? input.Length : null))
            await store.PutAsync(key, progress.Track(input), options, cancellationToken);
        var size = (await store.StatAsync(key, cancellationToken))?.Size;

        if (WantsJson(parse)) Json.Write(new PutDocument(key, size, file == "-" ? "stdin" : Path.GetFullPath(file)), Json.Context.PutDocument);
        else Console.Out.WriteLine($"{(file == "-" ? "stdin" : file)} -> {key}" + (size is { } n ? $" ({Units.Bytes(n)})" : ""));
        return ExitCodes.Ok;
    }

    private static Dictionary<string, string> Pairs(string[] pairs)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new ArgumentException($"--meta takes NAME=VALUE, not '{pair}'.");
            metadata[pair[..equals]] = pair[(equals + 1)..];
        }
        return metadata;
    }
}
