using System.CommandLine;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore cat URL KEY</c>: an object's bytes on stdout, streamed.</summary>
internal sealed class CatCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Argument<string> _key = KeyArgument();

    public CatCommand()
        : base("cat", "Write an object's bytes to stdout.",
            "objstore cat sqlite://objstore-demo.db cli.md",
            "objstore cat ./data notes/today.txt --json")
    {
        Arguments.Add(_url);
        Arguments.Add(_key);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var key = parse.GetRequiredValue(_key);
        await using var store = Stores.Open(parse.GetRequiredValue(_url), StoreAccess.Read);
        if (WantsJson(parse))
        {
            var data = await store.GetAsync(key, cancellationToken);
            Json.Write(new CatDocument(key, data.LongLength, Convert.ToBase64String(data)), Json.Context.CatDocument);
            return ExitCodes.Ok;
        }
        await using var body = await store.OpenReadAsync(key, cancellationToken);
        await body.CopyToAsync(StandardOutput.Stream, cancellationToken);
        return ExitCodes.Ok;
    }
}
