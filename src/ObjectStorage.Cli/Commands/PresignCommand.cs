using System.CommandLine;
using ObjectStorage.Cli.Options;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore presign URL KEY [--expires 1h] [--put]</c>: a URL that lets its holder GET (or PUT) one object until it expires.</summary>
internal sealed class PresignCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Argument<string> _key = KeyArgument();
    private readonly Option<string> _expires = new("--expires", "-e")
    {
        Description = "How long the URL works: 90s, 15m, 1h, 7d (S3 allows at most 7 days)",
        DefaultValueFactory = _ => "1h",
    };
    private readonly Option<bool> _put = new("--put") { Description = "A URL to upload (PUT) the object instead of downloading it" };

    public PresignCommand()
        : base("presign", "Print a presigned URL that lets anyone holding it download (or, with --put, upload) one object until it expires; no credentials needed to use it. Only stores that can sign URLs (S3) can.",
            "objstore presign s3://my-bucket/reports q3.pdf --expires 15m",
            "curl -T build.tar \"$(objstore presign s3://my-bucket/uploads build.tar --put --expires 10m)\"")
    {
        Arguments.Add(_url);
        Arguments.Add(_key);
        Options.Add(_expires);
        Options.Add(_put);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var key = parse.GetRequiredValue(_key);
        ObjectKey.Validate(key);
        var expires = UnitText.Duration(parse.GetValue(_expires) ?? "1h", "--expires");
        if (expires <= TimeSpan.Zero) throw new ArgumentException($"--expires must be a positive time, not '{parse.GetValue(_expires)}'");
        bool put = parse.GetValue(_put);
        await using var store = Stores.Open(parse.GetRequiredValue(_url), put ? StoreAccess.ReadWrite : StoreAccess.Read);
        var url = put ? await store.PresignPutUrlAsync(key, expires, cancellationToken) : await store.PresignGetUrlAsync(key, expires, cancellationToken);

        if (WantsJson(parse)) Json.Write(new PresignDocument(key, put ? "PUT" : "GET", url.AbsoluteUri, DateTimeOffset.UtcNow + expires), Json.Context.PresignDocument);
        else Console.Out.WriteLine(url.AbsoluteUri);
        return ExitCodes.Ok;
    }
}
