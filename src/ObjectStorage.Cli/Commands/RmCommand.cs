using System.CommandLine;
using ObjectStorage.Cli.Options;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// <c>objstore rm URL KEY...</c>: delete objects; a key that is already absent is not an error.
/// <c>objstore rm URL --prefix P</c> or <c>objstore rm URL P... -r</c>: every object under the
/// prefixes, through the filters, with <c>--dry-run</c> and <c>--max-delete</c>.
/// </summary>
internal sealed class RmCommand : StoreCommand
{
    private const int Batch = 1000;
    private readonly Argument<string> _url = UrlArgument();
    private readonly Argument<string[]> _keys = new("KEY")
    {
        Description = "The keys to delete (with -r: the prefixes whose objects are deleted)",
        Arity = ArgumentArity.ZeroOrMore,
    };
    private readonly Option<string?> _prefix = new("--prefix", "-p") { Description = "Delete every object whose key starts with this ('' for every object in the store)" };
    private readonly Option<bool> _recursive = new("--recursive", "-r") { Description = "Take each KEY as a prefix and delete every object under it, as 'aws s3 rm --recursive'" };
    private readonly Option<bool> _dryRun = new("--dry-run", "-n") { Description = "List what would be deleted; delete nothing" };
    private readonly Option<long?> _maxDelete = new("--max-delete") { Description = "Refuse, before deleting anything, when more than this many objects match" };
    private readonly SelectionOptions _selection = new();

    public RmCommand()
        : base("rm", "Delete objects: the KEYs given (every key is checked before any is deleted; a key that is already absent is reported, not an error), " +
                     "or every object under a prefix (--prefix P, or -r with prefixes as KEYs), through the filters.",
            "objstore rm sqlite://objstore-demo.db notes/hello.txt",
            "objstore rm ./data a.txt b.txt --json",
            "objstore rm s3://my-bucket --prefix tmp/ --dry-run",
            "objstore rm s3://my-bucket logs/2025/ cache/ -r --include '*.gz' --min-age 30d --max-delete 10000")
    {
        Arguments.Add(_url);
        Arguments.Add(_keys);
        Options.Add(_prefix);
        Options.Add(_recursive);
        Options.Add(_dryRun);
        Options.Add(_maxDelete);
        _selection.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var keys = parse.GetValue(_keys) ?? [];
        var prefix = parse.GetValue(_prefix);
        bool recursive = parse.GetValue(_recursive);
        if (prefix is null && !recursive)
        {
            if (keys.Length == 0) throw new ArgumentException("rm needs the keys to delete, or --prefix P (or -r with prefixes) for every object under a prefix");
            if (parse.GetValue(_dryRun) || parse.GetValue(_maxDelete) is not null || _selection.Filter(parse) is not null)
                throw new ArgumentException("--dry-run, --max-delete and the filters choose among the objects under a prefix: use them with --prefix or -r");
            return await RemoveKeysAsync(parse, keys, cancellationToken);
        }
        if (prefix is not null && keys.Length > 0) throw new ArgumentException("rm takes either --prefix P or KEYs (with -r, as prefixes), not both");
        if (recursive && prefix is null && keys.Length == 0) throw new ArgumentException("rm -r needs the prefixes to delete under (--prefix '' deletes every object)");
        string[] prefixes = prefix is not null ? [prefix] : keys;
        foreach (var p in prefixes) ObjectKey.ValidatePrefix(p);
        return await RemovePrefixesAsync(parse, prefixes, cancellationToken);
    }

    private async Task<int> RemoveKeysAsync(ParseResult parse, string[] keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys) ObjectKey.Validate(key);
        await using var store = Stores.Open(parse.GetRequiredValue(_url), StoreAccess.ReadWrite);
        var removed = new List<string>();
        var absent = new List<string>();
        foreach (var key in keys) (await store.ExistsAsync(key, cancellationToken) ? removed : absent).Add(key);
        // One batch: a single DeleteObjects request on S3, one transaction in SQLite.
        await store.DeleteManyAsync(keys, cancellationToken);

        if (WantsJson(parse)) Json.Write(new RemoveKeysDocument(removed, absent), Json.Context.RemoveKeysDocument);
        else
        {
            foreach (var key in removed) Console.Out.WriteLine($"removed {key}");
            foreach (var key in absent) Console.Out.WriteLine($"absent  {key} (nothing to remove)");
        }
        return ExitCodes.Ok;
    }

    private async Task<int> RemovePrefixesAsync(ParseResult parse, string[] prefixes, CancellationToken cancellationToken)
    {
        bool dryRun = parse.GetValue(_dryRun);
        var limit = parse.GetValue(_maxDelete);
        if (limit < 0) throw new ArgumentException($"--max-delete must be 0 or more, not {limit}");
        var filter = _selection.Filter(parse);
        bool json = WantsJson(parse);
        await using var store = Stores.Open(parse.GetRequiredValue(_url), dryRun ? StoreAccess.Read : StoreAccess.ReadWrite);
        var now = DateTimeOffset.UtcNow;

        if (limit is { } max && !dryRun)
        {
            long matching = 0;
            foreach (var prefix in prefixes)
                await foreach (var info in store.ListAsync(prefix, cancellationToken))
                    if (filter?.Matches(info, now) != false) matching++;
            if (matching > max)
                throw new InvalidOperationException($"Refusing to delete {matching} objects from {store}: more than --max-delete {max}; nothing was deleted");
        }

        // The keys are gathered before any is deleted: some media cannot delete under a listing that is still being read.
        var removed = new List<string>();
        long bytes = 0;
        foreach (var prefix in prefixes)
            await foreach (var info in store.ListAsync(prefix, cancellationToken))
            {
                if (filter?.Matches(info, now) == false) continue;
                removed.Add(info.Key);
                bytes += info.Size;
            }
        if (!dryRun)
            foreach (var batch in removed.Chunk(Batch)) await store.DeleteManyAsync(batch, cancellationToken);

        if (json) Json.Write(new RemovePrefixDocument(removed, removed.Count, bytes, dryRun, removed.Count > limit), Json.Context.RemovePrefixDocument);
        else
        {
            foreach (var key in removed) Console.Out.WriteLine($"{(dryRun ? "would remove" : "removed")} {ObjectKey.Quote(key)}");
            Console.Error.WriteLine($"rm: {(dryRun ? "would remove" : "removed")} {Units.Objects(removed.Count)} ({Units.Bytes(bytes)})");
        }
        if (dryRun && removed.Count > limit)
        {
            Console.Error.WriteLine($"objstore: rm: would remove {removed.Count} objects, more than --max-delete {limit}: the removal would be refused");
            return ExitCodes.Failure;
        }
        return ExitCodes.Ok;
    }
}
