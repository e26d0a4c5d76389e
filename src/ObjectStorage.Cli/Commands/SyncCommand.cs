using System.CommandLine;

namespace ObjectStorage.Cli.Commands;

/// <summary><c>objstore sync SRC_URL DST_URL [--delete [--max-delete N]] [--dry-run] [--parallel N] [--compare ...] [filters]</c>.</summary>
internal sealed class SyncCommand : TransferCommand
{
    private static readonly Dictionary<string, SyncCompare> s_compare = new(StringComparer.Ordinal)
    {
        ["size-then-hash"] = SyncCompare.SizeThenHash,
        ["size"] = SyncCompare.Size,
        ["content"] = SyncCompare.Content,
        ["missing"] = SyncCompare.Missing,
        ["always"] = SyncCompare.Always,
    };

    private readonly Option<bool> _delete = new("--delete") { Description = "Also delete target keys that the source lacks" };
    private readonly Option<long?> _maxDelete = new("--max-delete")
    {
        Description = "With --delete: refuse the sync, before changing anything, when it would delete more than this many objects (a dry run reports it and exits 1)",
    };
    private readonly Option<string> _compare = new("--compare")
    {
        Description = "When an object on both sides is copied again: size-then-hash (sizes, then content hashes where both stores have comparable ones, else modification times; reads no bodies), size, content (byte by byte), missing (never), always",
        DefaultValueFactory = _ => "size-then-hash",
    };

    public SyncCommand()
        : base("sync", "Make the target hold what the source holds: copy missing and changed objects, optionally delete extras. A second run over unchanged stores copies nothing.",
            "objstore sync docs sqlite://objstore-demo.db",
            "objstore sync ./site s3://my-bucket/site --delete --parallel 16",
            "objstore sync sqlite://a.db sqlite://b.db --compare content --dry-run",
            "objstore sync ./photos s3://my-bucket/photos --delete --max-delete 100 --exclude '*.tmp' --min-size 1KiB")
    {
        _compare.AcceptOnlyFromAmong([.. s_compare.Keys]);
        Options.Add(_delete);
        Options.Add(_compare);
        Options.Add(_maxDelete);
    }

    protected override SyncOptions Choose(ParseResult parse, SyncOptions shared) => shared with
    {
        DeleteExtraneous = parse.GetValue(_delete),
        Compare = s_compare[parse.GetValue(_compare) ?? "size-then-hash"],
        MaxDelete = parse.GetValue(_maxDelete) is { } limit
            ? limit >= 0 ? limit : throw new ArgumentException($"--max-delete must be 0 or more, not {limit}")
            : null,
    };
}
