using System.CommandLine;
using System.Globalization;
using System.Text;
using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// <c>objstore ls URL [--prefix P] [--long]</c>: the keys of a store, in UTF-8 byte order, streamed.
/// Keys with control or invisible characters are quoted (<see cref="ObjectKey.Quote"/>); <c>--json</c>
/// carries them exactly. What the listing passes over is reported on stderr, and the exit code is then 1.
/// </summary>
internal sealed class LsCommand : StoreCommand
{
    private readonly Argument<string> _url = UrlArgument();
    private readonly Option<string> _prefix = PrefixOption("List only keys that start with this");
    private readonly Option<bool> _long = new("--long", "-l") { Description = "Show size, last-modified time, and the content type and user metadata where the store lists them" };

    public LsCommand()
        : base("ls", "List the keys of a store, in UTF-8 byte order.",
            "objstore ls sqlite://objstore-demo.db --long",
            "objstore ls ./photos --prefix 2026/ --json")
    {
        Arguments.Add(_url);
        Options.Add(_prefix);
        Options.Add(_long);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var prefix = parse.GetValue(_prefix) ?? "";
        await using var store = Stores.Open(parse.GetRequiredValue(_url), StoreAccess.Read);
        int skipped = 0;
        store.EntrySkipped += (_, entry) =>
        {
            skipped++;
            Console.Error.WriteLine($"objstore: ls: {entry}");
        };
        if (WantsJson(parse))
        {
            await Json.WriteArrayAsync(store.ListAsync(prefix, cancellationToken), Json.Context.ObjectInfo, cancellationToken);
            return skipped == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }

        // Buffered: a listing of a million keys should not cost a write call per key.
        await using var stdout = new StreamWriter(StandardOutput.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        if (!parse.GetValue(_long))
        {
            await foreach (var key in store.KeysAsync(prefix, cancellationToken)) await stdout.WriteLineAsync(ObjectKey.Quote(key));
            return skipped == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }

        long count = 0, bytes = 0;
        await foreach (var info in store.ListAsync(prefix, cancellationToken))
        {
            count++;
            bytes += info.Size;
            var modified = info.LastModified?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-".PadRight(19);
            var described = (info.ContentType is { } type ? $"  [{type}]" : "") + (info.Metadata is { Count: > 0 } metadata ? $"  {{{ObjectKey.Quote(metadata.ToString())}}}" : "");
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{info.Size,12}  {modified}  {ObjectKey.Quote(info.Key)}{described}"));
        }
        await stdout.WriteLineAsync($"{Units.Objects(count)}, {Units.Bytes(bytes)}" + (skipped == 0 ? "" : $", {skipped} skipped (see above)"));
        return skipped == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
