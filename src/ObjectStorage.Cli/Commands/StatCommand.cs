using System.CommandLine;
using System.Globalization;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore stat URL KEY</c>: an object's size, time and tag, without reading it.</summary>
internal sealed class StatCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Argument<string> _key = KeyArgument();

    public StatCommand()
        : base("stat", "Show an object's size, last-modified time, ETag, content type and user metadata without reading its bytes. Exit code 3 when absent.",
            "objstore stat sqlite://objstore-demo.db cli.md",
            "objstore stat s3://my-bucket/backups db.tar --json")
    {
        Arguments.Add(_url);
        Arguments.Add(_key);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var key = parse.GetRequiredValue(_key);
        await using var store = Stores.Open(parse.GetRequiredValue(_url), StoreAccess.Read);
        var info = await store.StatAsync(key, cancellationToken) ?? throw new ObjectNotFoundException(store.ToString() ?? "store", key);
        if (WantsJson(parse))
        {
            Json.Write(info, Json.Context.ObjectInfo);
            return ExitCodes.Ok;
        }
        Console.Out.WriteLine($"key:           {ObjectKey.Quote(info.Key)}");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"size:          {info.Size} ({Units.Bytes(info.Size)})"));
        Console.Out.WriteLine($"last modified: {info.LastModified?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fffffff 'UTC'", CultureInfo.InvariantCulture) ?? "-"}");
        Console.Out.WriteLine($"etag:          {info.ETag ?? "-"}");
        Console.Out.WriteLine($"content type:  {info.ContentType ?? "-"}");
        if (info.Metadata is { Count: > 0 } metadata)
            foreach (var (name, value) in metadata) Console.Out.WriteLine($"meta {name}: {ObjectKey.Quote(value)}");
        Console.Out.WriteLine($"store:         {store}");
        return ExitCodes.Ok;
    }
}
