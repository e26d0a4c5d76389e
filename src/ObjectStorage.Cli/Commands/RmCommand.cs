using System.CommandLine;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore rm URL KEY...</c>: delete objects; a key that is already absent is not an error.</summary>
internal sealed class RmCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Argument<string[]> _keys = new("KEY")
    {
        Description = "The keys to delete",
        Arity = ArgumentArity.OneOrMore,
    };

    public RmCommand()
        : base("rm", "Delete objects. Every key is checked before any is deleted; a key that is already absent is reported, not an error (as in every store).",
            "objstore rm sqlite://objstore-demo.db notes/hello.txt",
            "objstore rm ./data a.txt b.txt --json")
    {
        Arguments.Add(_url);
        Arguments.Add(_keys);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var keys = parse.GetRequiredValue(_keys);
        foreach (var key in keys) ObjectKey.Validate(key);
        await using var store = Stores.Open(parse.GetRequiredValue(_url), StoreAccess.ReadWrite);
        var removed = new List<string>();
        var absent = new List<string>();
        foreach (var key in keys) (await store.ExistsAsync(key, cancellationToken) ? removed : absent).Add(key);
        // One batch: a single DeleteObjects request on S3, one transaction in SQLite.
        await store.DeleteManyAsync(keys, cancellationToken);

        if (WantsJson(parse)) Json.Write(new { removed, absent });
        else
        {
            foreach (var key in removed) Console.Out.WriteLine($"removed {key}");
            foreach (var key in absent) Console.Out.WriteLine($"absent  {key} (nothing to remove)");
        }
        return ExitCodes.Ok;
    }
}
